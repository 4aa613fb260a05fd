import { describe, expect, it } from 'vitest';
import { TikTokWebhookBody } from '../src/schemas';
import { readTikTokWebhook } from '../src/webhooks';

const webhook = {
  type: 1,
  tts_notification_id: '7327112393057371910',
  shop_id: '7494049642642441621',
  timestamp: 1762300800,
  data: { order_id: '576461413038785752', order_status: 'AWAITING_SHIPMENT' },
};

const bodies: unknown[] = [
  webhook,
  { ...webhook, shop_id: 4711, timestamp: '1762300800', extra: [1] },
  { type: 2, shop_id: 'S', timestamp: 1 },
  { ...webhook, tts_notification_id: undefined, data: undefined },
  { ...webhook, type: 1.5 },
  { ...webhook, type: '1' },
  { ...webhook, tts_notification_id: null },
  { ...webhook, shop_id: null, timestamp: 'soon' },
  { ...webhook, timestamp: '17623e5' },
  { ...webhook, data: null },
  { ...webhook, data: [1, 2] },
  { ...webhook, data: 'x' },
  { data: {} },
  {},
  [],
  null,
  'webhook',
];

describe('reading a webhook envelope without zod', () => {
  it('accepts and refuses what the TikTokWebhookBody schema does, with the same value and fields', () => {
    for (const body of bodies) {
      const schema = TikTokWebhookBody.safeParse(body);
      const read = readTikTokWebhook(body);
      expect(read.ok, JSON.stringify(body)).toBe(schema.success);
      if (read.ok && schema.success) expect(read.body).toStrictEqual(schema.data);
      if (!read.ok && !schema.success) {
        const fields = [...new Set(schema.error.issues.map((issue) => String(issue.path[0] ?? '(root)')))];
        expect(read.fields).toEqual(fields);
      }
    }
  });
});

describe('reading a webhook someone else holds', () => {
  it('leaves the JSON as it was: conversions go on a copy', () => {
    for (const body of bodies) {
      const before = structuredClone(body);
      readTikTokWebhook(body);
      expect(body, JSON.stringify(body)).toStrictEqual(before);
    }
  });
});
