import { describe, expect, it } from 'vitest';
import { MeliNotification } from '../src/schemas';
import { parseMeliNotification, readMeliNotification } from '../src/webhooks';

const valid = {
  _id: 'f9f08571-1f65-4c46-9e0a-c0f43faac1e3',
  resource: '/orders/2000003508419013',
  user_id: 468424240,
  topic: 'orders_v2',
  application_id: '5503910054141466',
  attempts: 1,
  sent: '2026-11-05T10:00:01.000Z',
  received: '2026-11-05T10:00:00.000Z',
};

const payloads: unknown[] = [
  valid,
  { ...valid, actions: ['changed'], extra: { kept: true } },
  { ...valid, _id: null, id: 77, attempts: null, sent: null, actions: null },
  { ...valid, recieved: '2026-11-05T10:00:00.000Z', received: undefined },
  { ...valid, resource: '' },
  { ...valid, user_id: '' },
  { ...valid, user_id: Number.NaN },
  { ...valid, topic: 7, application_id: null },
  { ...valid, attempts: '1', sent: 5 },
  { ...valid, actions: ['changed', 3] },
  { ...valid, actions: 'changed' },
  { ...valid, _id: { nested: true } },
  [],
  null,
  'orders_v2',
  {},
];

describe('reading a notification without zod', () => {
  it('accepts and refuses what the MeliNotification schema does, with the same value and fields', () => {
    for (const payload of payloads) {
      const schema = MeliNotification.safeParse(payload);
      const read = readMeliNotification(payload);
      expect(read.ok, JSON.stringify(payload)).toBe(schema.success);
      if (read.ok && schema.success) expect(read.notification).toStrictEqual(schema.data);
      if (!read.ok && !schema.success) {
        const fields = [...new Set(schema.error.issues.map((issue) => String(issue.path[0] ?? '(root)')))];
        expect(read.fields).toEqual(fields);
      }
    }
  });
});

describe('reading a notification someone else holds', () => {
  it('leaves the payload as it was: defaults go on a copy', () => {
    for (const payload of payloads) {
      const before = structuredClone(payload);
      readMeliNotification(payload);
      parseMeliNotification(payload, { applicationId: '5503910054141466' });
      expect(payload, JSON.stringify(payload)).toStrictEqual(before);
    }
  });
});
