import { describe, expect, it } from 'vitest';
import { ShopeePushBody } from '../src/schemas';
import { readShopeePush } from '../src/webhooks';

const push = {
  code: 3,
  shop_id: 1051400341536827267n.toString(),
  timestamp: 1762300800,
  data: { ordersn: 'X1' },
};

const bodies: unknown[] = [
  push,
  { ...push, shop_id: 4711, timestamp: '1762300800', msg_id: 'm-1', extra: [1] },
  { ...push, shop_id: null, timestamp: null, msg_id: null },
  { code: 1, data: { shop_id_list: [1, 2] } },
  { code: 3 },
  { ...push, code: 3.5 },
  { ...push, code: '3' },
  { ...push, shop_id: '' },
  { ...push, shop_id: 1.5 },
  { ...push, timestamp: '17623e5' },
  { ...push, timestamp: 'soon' },
  { ...push, msg_id: 9 },
  { data: {} },
  [],
  null,
  'push',
];

describe('reading a push without zod', () => {
  it('accepts and refuses what the ShopeePushBody schema does, with the same value', () => {
    for (const body of bodies) {
      const schema = ShopeePushBody.safeParse(body);
      const read = readShopeePush(body);
      expect(read !== undefined, JSON.stringify(body)).toBe(schema.success);
      if (schema.success) expect(read).toStrictEqual(schema.data);
    }
  });
});

describe('reading a push someone else holds', () => {
  it('leaves the JSON as it was: conversions go on a copy', () => {
    for (const body of bodies) {
      const before = structuredClone(body);
      readShopeePush(body);
      expect(body, JSON.stringify(body)).toStrictEqual(before);
    }
  });
});
