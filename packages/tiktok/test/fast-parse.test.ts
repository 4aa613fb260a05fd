import { parseOrThrow, ValidationError } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
// Core's internal module, by path: it is not a public entry.
import { FAILED, fastParse } from '../../core/src/fast-parse';
import { TikTokEnvelope, TikTokOrderDetailData, TikTokOrderSearchData } from '../src/schemas';

/** A Get Order Detail `data` as the sandbox records it, with a few fields as older payloads send them. */
const ORDER_DETAIL = {
  orders: [
    {
      id: '576461413038700001',
      status: 'AWAITING_SHIPMENT',
      create_time: 1796497289,
      update_time: '1796497289',
      paid_time: 1796497289,
      user_id: '7494000000000100001',
      buyer_email: 'v7494000000000100001@scs.sandbox.tiktokw.test',
      buyer_message: '',
      payment: {
        currency: 'BRL',
        original_total_product_price: '119.80',
        seller_discount: 0,
        sub_total: '119.80',
        shipping_fee: '0',
        total_amount: '119.80',
      },
      recipient_address: {
        name: 'Sandbox Buyer',
        full_address: '1 Sandbox Street, London, SW1A 1AA',
        postal_code: 'SW1A 1AA',
        region_code: 'GB',
        district_info: [{ address_level: 'L0', address_level_name: 'Country', address_name: 'GB' }],
      },
      line_items: [
        {
          id: '576461413040100001',
          product_id: 1729592969712200,
          product_name: 'Camiseta algodão',
          sku_id: '1729592969713300001',
          seller_sku: 'TEE-P',
          sale_price: '59.90',
          original_price: '59.90',
          currency: 'BRL',
          package_id: '1152321127278700001',
          is_gift: false,
        },
      ],
      packages: [{ id: '1152321127278700001' }],
      shipping_type: 'TIKTOK',
      need_upload_invoice: 'NEED_INVOICE',
    },
  ],
};

/** Every path to a value inside `value` (objects and arrays included), root first. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const found = [prefix];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) found.push(...paths(item, [...prefix, index]));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) found.push(...paths(item, [...prefix, key]));
  }
  return found;
}

const REMOVED = Symbol('removed');

/** A deep copy of `value` with the value at `path` replaced (or removed). */
function replaced(value: unknown, path: (string | number)[], next: unknown): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return next === REMOVED ? undefined : next;
  let holder = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (next === REMOVED) delete holder[last];
  else holder[last] = next;
  return copy;
}

const REPLACEMENTS: unknown[] = [
  REMOVED,
  null,
  '',
  '12',
  '-1.5',
  'abc',
  12,
  1.5,
  -3,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  {},
  [],
  [1],
  ['x'],
];

/** What `read` returns, or the error it throws (a transform may throw, as TikTok's amounts do beyond 2^53). */
function outcome<T>(read: () => T): { value: T } | { thrown: unknown } {
  try {
    return { value: read() };
  } catch (thrown) {
    return { thrown };
  }
}

/** The fast path may give up, but whatever it returns is what zod returns, and it never accepts what zod refuses. */
function expectAgreesWithZod(schema: z.core.$ZodType, value: unknown): void {
  const before = structuredClone(value);
  const fast = outcome(() => {
    const read = fastParse(schema, value);
    return read === FAILED ? undefined : { value: read };
  });
  const slow = outcome(() => z.safeParse(schema, value));
  if ('thrown' in slow) expect(fast).toStrictEqual(slow);
  else if ('thrown' in fast) throw fast.thrown;
  else if (fast.value) {
    expect(slow.value.success).toBe(true);
    expect(fast.value.value).toStrictEqual(slow.value.data);
  }
  // The input is left as it was (a field turned into a string lands in a copy).
  expect(value).toStrictEqual(before);
}

// Core's fast path (the `node` entry's parseOrThrow) on TikTok Shop's response schemas.
describe('the fast response reader on TikTok Shop responses', () => {
  it('reads the order read path without falling back to zod', () => {
    expect(fastParse(TikTokEnvelope, { code: 0, message: 'Success', request_id: 'r1', data: {} })).not.toBe(
      FAILED,
    );
    expect(fastParse(TikTokOrderSearchData, { orders: [ORDER_DETAIL.orders[0]], total_count: 1 })).not.toBe(
      FAILED,
    );
  });

  it('reads a well-formed order as zod does, unknown fields kept', () => {
    const fast = fastParse(TikTokOrderDetailData, ORDER_DETAIL) as z.infer<typeof TikTokOrderDetailData>;
    expect(fast).not.toBe(FAILED);
    expect(fast).toStrictEqual(TikTokOrderDetailData.parse(ORDER_DETAIL));
    const [order] = fast.orders;
    expect(order?.update_time).toBe(1796497289);
    expect(order?.line_items[0]?.product_id).toBe('1729592969712200');
    expect((order as Record<string, unknown>).need_upload_invoice).toBe('NEED_INVOICE');
  });

  it('agrees with zod on every field replaced by every kind of wrong or unusual value', () => {
    for (const path of paths(ORDER_DETAIL)) {
      for (const next of REPLACEMENTS) {
        expectAgreesWithZod(TikTokOrderDetailData, replaced(ORDER_DETAIL, path, next));
      }
    }
  });

  it('agrees with zod on envelopes', () => {
    const envelope = { code: 0, message: 'Success', request_id: 'r1', data: ORDER_DETAIL };
    for (const path of paths(envelope)) {
      for (const next of REPLACEMENTS) expectAgreesWithZod(TikTokEnvelope, replaced(envelope, path, next));
    }
  });

  it('leaves constructs it does not model to zod', () => {
    const refined = z.string().check(z.refine((value) => value !== 'no'));
    expect(parseOrThrow(refined, 'yes', 'value')).toBe('yes');
    expect(() => parseOrThrow(refined, 'no', 'value')).toThrow(ValidationError);
  });

  it('leaves a malformed response to zod, whose error names the field', () => {
    const broken = replaced(ORDER_DETAIL, ['orders', 0, 'line_items', 0, 'sale_price'], true);
    let error: unknown;
    try {
      parseOrThrow(TikTokOrderDetailData, broken, 'order.get response', {
        marketplace: 'tiktok',
        path: 'data',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'data.orders.0.line_items.0.sale_price',
    ]);
  });
});
