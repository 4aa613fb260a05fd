import { describe, expect, it } from 'vitest';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { englishSchemaMessage } from '../src/schema-messages';

class Money {
  amount = 1;
}

/** Every kind of issue a schema can raise, with the inputs that raise it. */
const CASES: [string, z.ZodMiniType, unknown][] = [
  ['wrong type', z.string(), 42],
  ['null', z.number(), null],
  ['an array for an object', z.object({ a: z.string() }), []],
  ['a class instance', z.string(), new Money()],
  ['an object without prototype', z.string(), Object.create(null)],
  ['NaN', z.number(), Number.NaN],
  ['Infinity', z.number(), Number.POSITIVE_INFINITY],
  ['undefined', z.boolean(), undefined],
  ['a bigint', z.string(), 10n],
  ['an integer', z.int(), 1.5],
  ['one literal', z.literal('x'), 'y'],
  ['an enum', z.enum(['a', 'b']), 'c'],
  ['number literals', z.union([z.literal(1), z.literal(2n)]), 3],
  ['string too short', z.string().check(z.minLength(3)), 'ab'],
  ['string too long', z.string().check(z.maxLength(2)), 'abc'],
  ['exact length', z.string().check(z.length(2)), 'abc'],
  ['array too short', z.array(z.string()).check(z.minLength(1)), []],
  ['array too long', z.array(z.string()).check(z.maxLength(1)), ['a', 'b']],
  ['number too small (inclusive)', z.number().check(z.gte(1)), 0],
  ['number too small', z.number().check(z.positive()), 0],
  ['non-negative', z.number().check(z.nonnegative()), -1],
  ['number too big', z.number().check(z.lt(3)), 3],
  ['number too big (inclusive)', z.number().check(z.lte(3)), 4],
  ['a set too big', z.set(z.string()).check(z.maxSize(1)), new Set(['a', 'b'])],
  ['a regex', z.string().check(z.regex(/^MLB\d+$/)), 'x'],
  ['an ISO datetime', z.iso.datetime(), 'yesterday'],
  ['an ISO date', z.iso.date(), 'x'],
  ['a URL', z.url(), 'not a url'],
  ['an email', z.email(), 'x'],
  ['a UUID', z.uuid(), 'x'],
  ['a CUID (no English name)', z.cuid2(), '!'],
  ['starts with', z.string().check(z.startsWith('a')), 'b'],
  ['ends with', z.string().check(z.endsWith('a')), 'b'],
  ['includes', z.string().check(z.includes('a')), 'b'],
  ['a multiple', z.number().check(z.multipleOf(5)), 7],
  ['unknown key', z.strictObject({ a: z.string() }), { a: 'x', b: 1 }],
  ['unknown keys', z.strictObject({}), { a: 1, b: 2 }],
  ['a record key', z.record(z.string().check(z.minLength(2)), z.string()), { a: 'x' }],
  ['a map value', z.map(z.string(), z.number()), new Map([['a', 'x']])],
  ['a union', z.union([z.string(), z.number()]), true],
  ['an exclusive union', z.xor([z.string(), z.string().check(z.minLength(1))]), 'a'],
  [
    'a discriminated union',
    z.discriminatedUnion('type', [z.object({ type: z.literal('a') }), z.object({ type: z.literal('b') })]),
    { type: 'c' },
  ],
  ['a custom check', z.custom<string>((value) => value === 'ok'), 'no'],
];

describe('the English schema messages', () => {
  it.each(CASES)('word for word what zod’s en locale writes: %s', (_name, schema, input) => {
    const result = schema.safeParse(input, { reportInput: true });
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues.length).toBeGreaterThan(0);
    const zodMessage = en().localeError as (issue: z.core.$ZodRawIssue) => string;
    for (const issue of issues) {
      const raw = { ...issue, input: (issue as { input?: unknown }).input } as z.core.$ZodRawIssue;
      expect(englishSchemaMessage(raw)).toBe(zodMessage(raw));
    }
  });
});
