import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { FAILED, fastParse } from '../src/fast-parse';
import { fastSafeParse } from '../src/fast-path-hook';
import '../src/index.node';
import { Order, Product, Shipment } from '../src/models';
import { money } from '../src/money';
import { parseOrThrow } from '../src/validation';

/** A value written out with its key order and its `undefined`s, so two parses compare exactly. */
function exact(value: unknown): string {
  return JSON.stringify(value, (_key, field) => (field === undefined ? '<undefined>' : field));
}

/** Every variant of `value` with one field deleted or replaced by a value of another kind. */
function mutations(value: unknown): unknown[] {
  const replacements: unknown[] = [null, undefined, '', 'x', 0, -1, 1.5, Number.NaN, true, [], {}];
  const out: unknown[] = replacements.slice();
  if (Array.isArray(value)) {
    out.push([], [...value, ...value]);
    value.forEach((item, index) => {
      for (const variant of mutations(item)) out.push(value.map((v, i) => (i === index ? variant : v)));
    });
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    out.push({ ...record, extra: 'kept?' }, { ...record, __proto__: { polluted: true } });
    for (const key of Object.keys(record)) {
      const { [key]: _dropped, ...rest } = record;
      out.push(rest);
      for (const variant of mutations(record[key])) out.push({ ...record, [key]: variant });
    }
  }
  return out;
}

/** Like {@link exact}, keys sorted: an owned parse keeps the input's key order. */
function exactUnordered(value: unknown): string {
  return JSON.stringify(value, (_key, field) => {
    if (field === undefined) return '<undefined>';
    if (field === null || typeof field !== 'object' || Array.isArray(field)) return field;
    return Object.fromEntries(
      Object.keys(field)
        .sort()
        .map((key) => [key, field[key]]),
    );
  });
}

/**
 * The fast path agrees with zod on `value` and on every mutation of it: same verdict, same output;
 * parsing an owned value too, which is never written to.
 */
function expectAgreement(schema: z.core.$ZodType, value: unknown): number {
  let failures = 0;
  for (const sample of [value, ...mutations(value)]) {
    const zod = z.safeParse(schema, structuredClone(sample));
    if (!zod.success) failures += 1;
    // Objects parsed by generated code (Node) and by the loop (runtimes that compile no code).
    for (const generated of [true, false]) {
      const fast = fastParse(schema, structuredClone(sample), false, generated);
      const input = structuredClone(sample);
      const owned = fastParse(schema, input, true, generated);
      expect({ sample, generated, failed: fast === FAILED }).toEqual({
        sample,
        generated,
        failed: !zod.success,
      });
      expect({ sample, generated, failed: owned === FAILED }).toEqual({
        sample,
        generated,
        failed: !zod.success,
      });
      expect(exactUnordered(input)).toBe(exactUnordered(structuredClone(sample)));
      if (zod.success) {
        expect(exact(fast)).toBe(exact(zod.data));
        expect(exactUnordered(owned)).toBe(exactUnordered(zod.data));
      }
    }
  }
  return failures;
}

const brl = (amount: string) => money(amount, 'BRL');

const order = {
  externalId: '2000001',
  marketplace: 'meli',
  accountId: '123',
  buyer: { id: '9', nickname: 'ANA' },
  items: [
    {
      productExternalId: 'MLB1',
      sku: 'MUG',
      title: 'Mug',
      quantity: 3,
      unitPrice: brl('0.10'),
      total: brl('0.30'),
    },
  ],
  currency: 'BRL',
  subtotal: brl('0.30'),
  shippingCost: brl('0.20'),
  total: brl('0.50'),
  status: 'paid',
  rawStatus: 'paid',
  paymentStatus: 'paid',
  shippingAddress: { city: 'São Paulo', country: 'BR', unknownField: 1 },
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:05:00-03:00',
  raw: { id: 2000001, anything: [1, 'two'] },
};

describe('fastParse', () => {
  it('agrees with zod on the core Order, valid and broken field by field', () => {
    expect(expectAgreement(Order, order)).toBeGreaterThan(50);
  });

  it('agrees with zod on an Order whose amounts are in another currency (the refinement)', () => {
    const sample = { ...order, tax: money('1', 'USD') };
    expect(fastParse(Order, sample)).toBe(FAILED);
    expectAgreement(Order, sample);
  });

  it('agrees with zod on a Product and a Shipment', () => {
    const product = {
      sku: 'MUG',
      title: 'Mug',
      price: brl('10'),
      quantity: 2,
      variants: [{ sku: 'MUG', price: brl('10'), quantity: 2, attributes: { color: 'red' } }],
    };
    expectAgreement(Product, product);
    expectAgreement(Shipment, { externalId: 'S1', status: 'shipped', rawStatus: 'shipped', cost: brl('1') });
  });

  it('agrees with zod on each kind of node it builds itself', () => {
    const list = z.pipe(
      z.nullish(z.array(z.string())),
      z.transform((value) => value ?? []),
    );
    const schema = z
      .looseObject({
        id: z.union([z.number(), z.string().check(z.minLength(1))]),
        flag: z.optional(z.boolean()),
        kind: z._default(z.enum(['a', 'b']), 'a'),
        tags: list,
        nested: z.nullable(z.object({ n: z.number(), s: z.optional(z.string()) })),
        strict: z.optional(z.strictObject({ only: z.string() })),
        items: z.array(z.looseObject({ q: z.number().check(z.int(), z.positive()) })).check(z.minLength(1)),
        anything: z.unknown(),
        // An option that changes the value before one that keeps it: the first to take it decides.
        upper: z.union([
          z.pipe(
            z.string(),
            z.transform((value) => value.toUpperCase()),
          ),
          z.string(),
        ]),
        amount: z.union([z.number(), z.string().check(z.regex(/^\d+$/))]),
        choice: z.nullish(z.enum(['x', 'y'])),
        length: z.pipe(
          z.string(),
          z.transform((value, payload) => {
            if (value === 'bad') payload.issues.push({ code: 'custom', message: 'bad', input: value });
            return value.length;
          }),
        ),
      })
      .check(z.refine((value) => value.kind !== 'b' || value.flag === true, { message: 'b needs the flag' }));
    const sample = {
      id: 7,
      flag: true,
      kind: 'b',
      tags: null,
      nested: { n: 1, s: 'x', dropped: true },
      strict: { only: 'y' },
      items: [{ q: 1, extra: [1] }, { q: 2 }],
      anything: { deep: [null] },
      upper: 'low',
      amount: '12',
      choice: 'x',
      length: 'four',
      unknown: 'kept',
    };
    expect(expectAgreement(schema, sample)).toBeGreaterThan(50);
    // A transform that reports an issue fails the fast parse as it fails zod's.
    expect(expectAgreement(schema, { ...sample, length: 'bad' })).toBeGreaterThan(50);
    expect(fastParse(schema, { ...sample, length: 'bad' })).toBe(FAILED);
  });

  it('agrees with zod on absent, undefined, optional and defaulted keys in every combination', () => {
    const shape = {
      required: z.string(),
      optional: z.optional(z.string()),
      defaulted: z._default(z.string(), 'd'),
      optionalDefaulted: z.optional(z._default(z.string(), 'od')),
      defaultedOptional: z._default(z.optional(z.string()), 'do'),
      nullish: z.nullish(z.number()),
      orUndefined: z.union([z.string(), z.undefined()]),
      piped: z.pipe(
        z.optional(z.string()),
        z.transform((value) => value ?? 'none'),
      ),
      anything: z.unknown(),
    };
    for (const schema of [z.object(shape), z.looseObject(shape), z.strictObject(shape)]) {
      expectAgreement(schema, { required: 'r' });
      expectAgreement(schema, Object.fromEntries(Object.keys(shape).map((key) => [key, undefined])));
      expectAgreement(schema, { required: 'r', optional: 'o', defaulted: 'x', nullish: null, anything: 0 });
    }
  });

  it('reads keys that need quoting, and only reads them: a key is data, never code', () => {
    const odd = [
      'a"b',
      'back\\slash',
      'line\u2028break',
      'constructor',
      'toString',
      '0',
      '',
      "x']); globalThis.pwned = true; (['",
    ];
    const schema = z.object(Object.fromEntries(odd.map((key) => [key, z.optional(z.number())])));
    const value = Object.fromEntries(odd.map((key, index) => [key, index]));
    expectAgreement(schema, value);
    expect(fastParse(schema, value)).toEqual(value);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('agrees with zod on checked strings and numbers, lengths counted as zod counts them', () => {
    const leaves: z.core.$ZodType[] = [
      z.string().check(z.minLength(2), z.maxLength(3)),
      z.string().check(z.length(2)),
      z.string().check(z.regex(/^[A-Z]{3}$/)),
      z.iso.datetime({ offset: true }),
      z.iso.date(),
      z.url(),
      z.email(),
      z.int(),
      z.number().check(z.positive(), z.lte(10)),
      z.number().check(z.nonnegative(), z.multipleOf(0.5)),
      z.boolean(),
    ];
    const values = [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      '😀',
      '😀😀',
      '😀😀😀',
      'a😀',
      'BRL',
      'brl',
      '2026-11-01T10:00:00.000Z',
      '2026-11-01T10:00:00-03:00',
      '2026-11-01',
      'https://example.com/a b',
      'HTTPS://EXAMPLE.COM',
      'a@b.co',
      'a@b',
      0,
      -1,
      0.5,
      1,
      2.25,
      10,
      11,
      2 ** 53,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      null,
      undefined,
      {},
      [],
    ];
    for (const leaf of leaves) {
      for (const value of values) {
        const zod = z.safeParse(leaf, value);
        const fast = fastParse(leaf, value);
        expect({ value, failed: fast === FAILED }).toEqual({ value, failed: !zod.success });
        if (zod.success) expect(fast).toBe(zod.data);
      }
    }
  });

  it('agrees with zod on the leaves a generated object parser tests in place, wrapped or not', () => {
    const leaves: z.core.$ZodType[] = [
      z.string(),
      z.string().check(z.minLength(0)),
      z.string().check(z.minLength(1)),
      z.string().check(z.minLength(2)),
      z.string().check(z.regex(/^[A-Z]{3}$/)),
      // A global pattern remembers where it stopped: zod rewinds it before each test.
      z.string().check(z.regex(/^a+$/g)),
      z.iso.datetime({ offset: true }),
      z.iso.date(),
      z.email(),
      z.int(),
      z.number().check(z.int(), z.positive()),
      z.number().check(z.gte(-1), z.lt(2)),
      z.number().check(z.gt(0), z.lte(10)),
      z.boolean(),
      z.enum(['paid', 'pending']),
      z.unknown(),
      z.union([z.number().check(z.int()), z.string().check(z.minLength(1))]),
      z.union([z.number(), z.string().check(z.regex(/^\d+$/)), z.boolean()]),
      // Not tested in place (a transform changes the value), but parsed without zod's run.
      z.pipe(z.union([z.number().check(z.int()), z.string().check(z.minLength(1))]), z.transform(String)),
      z.pipe(
        z.string(),
        z.transform((value: string, payload) => {
          if (value === 'aa') payload.issues.push({ code: 'custom', message: 'refused', input: value });
          return value.toUpperCase();
        }),
      ),
    ];
    const values = [
      '',
      'a',
      'aa',
      'aaa',
      'BRL',
      '😀',
      '2026-11-01T10:00:00.000Z',
      '2026-11-01',
      'a@b.co',
      'paid',
    ];
    values.push(
      ...([-2, -1, 0, 0.5, 1, 2, 10, 11, 2 ** 53, Number.NaN, true, null, undefined, {}] as never[]),
    );
    for (const leaf of leaves) {
      const schemas = [
        z.object({ field: leaf, other: z.string() }),
        z.looseObject({ field: z.optional(leaf) }),
        z.object({ field: z.nullable(leaf) }),
        z.object({ field: z.optional(z.nullable(leaf)) }),
      ];
      for (const schema of schemas) {
        for (const value of values) {
          // Twice: a global pattern must answer the same on the second parse.
          for (let round = 0; round < 2; round++) {
            const input = { field: value, other: 'x' };
            const zod = z.safeParse(schema, input);
            for (const generated of [true, false]) {
              for (const owned of [false, true]) {
                const fast = fastParse(schema, { ...input }, owned, generated);
                const verdict = { value, generated, owned, failed: fast === FAILED };
                expect(verdict).toEqual({ ...verdict, failed: !zod.success });
                if (zod.success) expect(exact(fast)).toBe(exact(zod.data));
              }
            }
          }
        }
      }
    }
  });

  it('serves parseOrThrow under Node, leaving the error to zod: each bad field is still named', () => {
    expect(fastSafeParse?.(Order, order)).toEqual({ success: true, data: fastParse(Order, order) });
    expect(parseOrThrow(Order, order, 'order')).toEqual(fastParse(Order, order));
    expect(() => parseOrThrow(Order, { ...order, items: [], status: 'lost' }, 'order')).toThrow(
      /Invalid order/,
    );
    try {
      parseOrThrow(Order, { ...order, items: [], status: 'lost' }, 'order');
    } catch (error) {
      expect((error as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([
        'items',
        'status',
      ]);
    }
  });

  it('shares what the schema keeps as it is when the value is owned, copying only what changes', () => {
    const schema = z.looseObject({
      kind: z._default(z.string(), 'a'),
      lines: z.array(z.looseObject({ sku: z.string() })),
      buyer: z.looseObject({
        name: z.pipe(
          z.string(),
          z.transform((name) => name.trim()),
        ),
      }),
    });
    const body = { kind: 'b', lines: [{ sku: 'A', extra: 1 }], buyer: { name: ' Ana ' }, other: [1] };
    const parsed = fastParse(schema, body, true) as typeof body;
    expect(parsed).not.toBe(body); // buyer.name changed: the objects on its way are copies
    expect(parsed.buyer).toEqual({ name: 'Ana' });
    expect(body.buyer.name).toBe(' Ana ');
    expect(parsed.lines).toBe(body.lines);
    expect(parsed.other).toBe(body.other);
    const unchanged = { kind: 'b', lines: [{ sku: 'A' }], buyer: { name: 'Ana' } };
    expect(fastParse(schema, unchanged, true)).toBe(unchanged);
    const defaulted = { lines: [], buyer: { name: 'Ana' } };
    expect(fastParse(schema, defaulted, true)).toEqual({ ...defaulted, kind: 'a' });
    expect(defaulted).not.toHaveProperty('kind');
  });

  it('keeps an owned object whose schema strips unknown keys when there is nothing to strip or change', () => {
    const schema = z.object({ sku: z.string(), quantity: z.number(), note: z.optional(z.string()) });
    for (const generated of [true, false]) {
      const built = { sku: 'MUG', quantity: 2 };
      expect(fastParse(schema, built, true, generated)).toBe(built);
      const extra = { sku: 'MUG', quantity: 2, internal: true };
      const stripped = fastParse(schema, extra, true, generated);
      expect(stripped).toEqual({ sku: 'MUG', quantity: 2 });
      expect(extra).toEqual({ sku: 'MUG', quantity: 2, internal: true });
    }
    const built = structuredClone(order);
    const parsed = fastParse(Order, built, true) as typeof order;
    expect(parsed.items[0]).toBe(built.items[0]);
    expect(parsed.raw).toBe(built.raw);
  });

  it('builds a fresh value, never hands back its input', () => {
    const parsed = fastParse(Order, order) as typeof order;
    expect(parsed).not.toBe(order);
    expect(parsed.items[0]).not.toBe(order.items[0]);
  });
});
