import { ValidationError } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { fastRead, hasFastReader, parseResponse } from '../src/fast-parse';
import {
  ShopeeOrderDetailResponse,
  ShopeeOrderListResponse,
  ShopeeTokenResponse,
  shopeeEnvelope,
} from '../src/schemas';

/** A `get_order_detail` response as the sandbox records it (Brazilian shop, every field asked). */
const ORDER_DETAIL = {
  order_list: [
    {
      order_sn: '26120500000001',
      region: 'BR',
      currency: 'BRL',
      cod: false,
      order_status: 'READY_TO_SHIP',
      message_to_seller: '',
      create_time: 1796497289,
      update_time: 1796497289,
      days_to_ship: 2,
      ship_by_date: 1796670089,
      booking_sn: '',
      buyer_user_id: 100000001,
      buyer_username: 'b****r',
      recipient_address: { name: 'N****n', phone: '******64', city: 'City', state: 'State', region: 'BR' },
      item_list: [
        {
          item_id: 30000000001,
          item_name: 'Camiseta algodão',
          item_sku: '',
          model_id: 100000000001,
          model_name: 'P',
          model_sku: 'TEE-P',
          model_quantity_purchased: 1,
          model_original_price: 59.9,
          model_discounted_price: '59.90',
          order_item_id: 100000000001,
          promotion_group_id: 0,
          image_info: { image_url: '' },
          product_location_id: ['BRZ'],
        },
      ],
      pay_time: 1796497289,
      total_amount: 119.8,
      package_list: [
        {
          package_number: 'OFG100000000000001',
          logistics_status: 'LOGISTICS_READY',
          logistics_channel_id: 18080,
          shipping_carrier: 'SPX Express',
          item_list: [{ item_id: '30000000001', model_id: 100000000001, model_quantity: 1 }],
        },
      ],
      estimated_shipping_fee: 0,
      shipping_carrier: 'SPX Express',
      pickup_done_time: 0,
      note: null,
      buyer_cpf_id: '52998224725',
      invoice_data: {},
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
  const fast = outcome(() => fastRead(schema, value));
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

describe('the fast response reader', () => {
  it('compiles the order read path schemas', () => {
    expect(hasFastReader(ShopeeOrderDetailResponse)).toBe(true);
    expect(hasFastReader(ShopeeOrderListResponse)).toBe(true);
    expect(hasFastReader(shopeeEnvelope(z.unknown()))).toBe(true);
    expect(hasFastReader(ShopeeTokenResponse)).toBe(true);
  });

  it('reads a well-formed order as zod does: ids as strings, unknown fields kept', () => {
    const fast = fastRead(ShopeeOrderDetailResponse, ORDER_DETAIL);
    expect(fast).toBeDefined();
    expect(fast?.value).toStrictEqual(ShopeeOrderDetailResponse.parse(ORDER_DETAIL));
    const [order] = fast?.value.order_list ?? [];
    expect(order?.buyer_user_id).toBe('100000001');
    expect(order?.item_list?.[0]?.item_id).toBe('30000000001');
    expect((order as Record<string, unknown>).booking_sn).toBe('');
    expect((order?.item_list?.[0] as Record<string, unknown> | undefined)?.product_location_id).toEqual([
      'BRZ',
    ]);
  });

  it('agrees with zod on every field replaced by every kind of wrong or unusual value', () => {
    for (const path of paths(ORDER_DETAIL)) {
      for (const next of REPLACEMENTS) {
        expectAgreesWithZod(ShopeeOrderDetailResponse, replaced(ORDER_DETAIL, path, next));
      }
    }
  });

  it('agrees with zod on envelopes and token answers', () => {
    const envelope = { request_id: 'r1', error: '', message: '', warning: ['w'], response: ORDER_DETAIL };
    const token = { access_token: 'a', refresh_token: 'b', expire_in: '14400', shop_id: 600000 };
    for (const [schema, sample] of [
      [shopeeEnvelope(z.unknown()), envelope],
      [ShopeeTokenResponse, token],
    ] as const) {
      for (const path of paths(sample)) {
        for (const next of REPLACEMENTS) expectAgreesWithZod(schema, replaced(sample, path, next));
      }
    }
  });

  it('gives up on constructs it does not know, so zod reads them', () => {
    const strict = z.strictObject({ a: z.string() });
    const refined = z.string().check(z.refine((value) => value !== 'no'));
    expect(hasFastReader(strict)).toBe(false);
    expect(parseResponse(refined, 'yes', 'value')).toBe('yes');
    expect(() => parseResponse(refined, 'no', 'value')).toThrow(ValidationError);
  });

  it('leaves a malformed response to zod, whose error names the field', () => {
    const broken = replaced(
      ORDER_DETAIL,
      ['order_list', 0, 'item_list', 0, 'model_quantity_purchased'],
      'one',
    );
    let error: unknown;
    try {
      parseResponse(ShopeeOrderDetailResponse, broken, 'Shopee order.get_order_detail response', {
        marketplace: 'shopee',
        path: 'response',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'response.order_list.0.item_list.0.model_quantity_purchased',
    ]);
  });
});
