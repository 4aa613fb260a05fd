import { concatBytes, createManualClock, hmacSha256Hex, WebhookVerificationError } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import { assertTikTokWebhook, tiktokWebhookSource, verifyTikTokWebhook } from '../src/webhooks';

const W1 = {
  appKey: 'abcdef',
  appSecrets: ['123'],
  body: '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}',
  authorization: '5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05',
  now: 1718305585_000,
};

const W2 = {
  appKey: 'fake_app_key',
  appSecrets: ['fake_app_secret'],
  body: '{"type":1,"shop_id":"7494726673780148744","timestamp":1664095733,"data":{"order_id":"576684019603311365","order_status":"AWAITING_SHIPMENT","update_time":1664095610}}',
  authorization: '21109834de72ec53c9959716d8514ae388ce1f123e5ffdcafc46713fcdf62b27',
  now: 1664095733_000,
};

const W3 = {
  appKey: '6abc123def',
  appSecrets: ['test_secret_0123456789'],
  body: '{"type":4,"tts_notification_id":"7400000000000000001","shop_id":"7494049642642441621","timestamp":1700000100,"data":{"package_id":"1152321127278713123","order_id":"576461413038785752","update_time":1700000090}}',
  authorization: '0e24ddf135318a477e60652abe8887a5374d405e622fcd226b183c5a6ccb46ed',
  now: 1700000100_000,
};

const APP_KEY = '6abc123def';
const SECRET = 'test_secret_0123456789';
const NOW = 1700000100_000;

async function signed(body: object | string, secret = SECRET) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    appKey: APP_KEY,
    appSecrets: [SECRET],
    body: text,
    authorization: await hmacSha256Hex(secret, APP_KEY + text),
    now: NOW,
  };
}

function envelope(type: number, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    type,
    tts_notification_id: `n-${type}`,
    shop_id: '7494049642642441621',
    timestamp: 1700000000,
    data,
    ...extra,
  };
}

describe('verifyTikTokWebhook: signature vectors (reference §9.4)', () => {
  it('W1: the official golden example verifies and parses into order.created', async () => {
    const result = await verifyTikTokWebhook(W1);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({
      type: 'order.created',
      marketplace: 'tiktok',
      accountId: '7495540735365777507',
      resourceType: 'order',
      resourceId: '576653688135258178',
      status: 'UNPAID',
      topic: 'ORDER_STATUS_CHANGE',
      dedupeKey: 'tiktok:7380066284010030890',
      occurredAt: new Date(1718305585_000).toISOString(),
      tiktok: { type: 1, topic: 'ORDER_STATUS_CHANGE', notificationId: '7380066284010030890' },
    });
  });

  it('W2: a body without tts_notification_id verifies and gets a stable body-hash dedupe key', async () => {
    const first = await verifyTikTokWebhook(W2);
    const again = await verifyTikTokWebhook({ ...W2 });
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(first.event.dedupeKey).toMatch(/^tiktok:sha256:[0-9a-f]{64}$/);
    expect(again.event.dedupeKey).toBe(first.event.dedupeKey);
    expect(first.event.type).toBe('order.updated');
  });

  it('W3: package update, from bytes as well as text', async () => {
    const fromText = await verifyTikTokWebhook(W3);
    const fromBytes = await verifyTikTokWebhook({ ...W3, body: new TextEncoder().encode(W3.body) });
    for (const result of [fromText, fromBytes]) {
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.event).toMatchObject({
        type: 'shipment.updated',
        resourceType: 'shipment',
        resourceId: '1152321127278713123',
        accountId: '7494049642642441621',
      });
    }
  });

  it('accepts an upper-case signature with surrounding spaces', async () => {
    const result = await verifyTikTokWebhook({ ...W1, authorization: ` ${W1.authorization.toUpperCase()} ` });
    expect(result.ok).toBe(true);
  });
});

describe('verifyTikTokWebhook: refusals', () => {
  it('refuses a signature from another secret', async () => {
    const result = await verifyTikTokWebhook({ ...W1, appSecrets: ['456'] });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a body changed by one byte (re-serialised bodies never verify)', async () => {
    const reformatted = JSON.stringify(JSON.parse(W1.body), null, 1);
    expect(await verifyTikTokWebhook({ ...W1, body: reformatted })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifyTikTokWebhook({ ...W1, body: W1.body.replace('UNPAID', 'CANCEL') })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a signature made over the body alone (without the app key)', async () => {
    const authorization = await hmacSha256Hex('123', W1.body);
    expect(await verifyTikTokWebhook({ ...W1, authorization })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a missing Authorization header', async () => {
    expect(await verifyTikTokWebhook({ ...W1, authorization: null })).toMatchObject({
      ok: false,
      reason: 'missing_signature',
    });
    expect(await verifyTikTokWebhook({ ...W1, authorization: '' })).toMatchObject({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it('accepts the old or the new secret during a rotation', async () => {
    expect((await verifyTikTokWebhook({ ...W1, appSecrets: ['new-secret', '123'] })).ok).toBe(true);
    expect((await verifyTikTokWebhook({ ...W1, appSecrets: ['123', 'new-secret'] })).ok).toBe(true);
    expect((await verifyTikTokWebhook({ ...W1, appSecrets: '123' })).ok).toBe(true);
  });

  it('refuses a stale push outside the tolerance, in both directions, and the window is configurable', async () => {
    const day = 24 * 3600_000;
    expect(await verifyTikTokWebhook({ ...W1, now: W1.now + day + 1000 })).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    expect(await verifyTikTokWebhook({ ...W1, now: W1.now - day - 1000 })).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    expect((await verifyTikTokWebhook({ ...W1, now: W1.now + day - 1000 })).ok).toBe(true);
    expect(await verifyTikTokWebhook({ ...W1, now: W1.now + 301_000, toleranceSeconds: 300 })).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    expect((await verifyTikTokWebhook({ ...W1, now: W1.now + 400 * day, toleranceSeconds: 0 })).ok).toBe(
      true,
    );
  });

  it('refuses a signed body that is not JSON or not a TikTok envelope', async () => {
    expect(await verifyTikTokWebhook(await signed('not json'))).toMatchObject({
      ok: false,
      reason: 'malformed_body',
    });
    expect(await verifyTikTokWebhook(await signed({ hello: 'world' }))).toMatchObject({
      ok: false,
      reason: 'malformed_body',
    });
  });

  it('assertTikTokWebhook throws WebhookVerificationError with the reason', async () => {
    await expect(assertTikTokWebhook({ ...W1, appSecrets: ['nope'] })).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
    await expect(assertTikTokWebhook({ ...W1, appSecrets: ['nope'] })).rejects.toMatchObject({
      reason: 'bad_signature',
    });
    await expect(assertTikTokWebhook(W1)).resolves.toMatchObject({ type: 'order.created' });
  });
});

describe('verifyTikTokWebhook: dedupe', () => {
  it('a redelivery of the same notification has the same dedupe key', async () => {
    const first = await verifyTikTokWebhook(W3);
    const redelivered = await verifyTikTokWebhook({ ...W3, now: W3.now + 2 * 3600_000 });
    expect(first.ok && redelivered.ok).toBe(true);
    if (first.ok && redelivered.ok) expect(redelivered.event.dedupeKey).toBe(first.event.dedupeKey);
  });

  it('two different notifications have different keys', async () => {
    const a = await verifyTikTokWebhook(await signed(envelope(1, { order_id: '1', order_status: 'UNPAID' })));
    const b = await verifyTikTokWebhook(
      await signed(envelope(1, { order_id: '1', order_status: 'UNPAID' }, { tts_notification_id: 'other' })),
    );
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.event.dedupeKey).not.toBe(b.event.dedupeKey);
  });
});

describe('verifyTikTokWebhook: event types (reference §9.6)', () => {
  const cases: Array<[string, number, Record<string, unknown>, Record<string, unknown>]> = [
    [
      'order cancelled, as webhooks spell it (CANCEL)',
      1,
      { order_id: '576', order_status: 'CANCEL', update_time: 1700000050 },
      { type: 'order.cancelled', resourceType: 'order', resourceId: '576', status: 'CANCEL' },
    ],
    [
      'order cancelled, as the API spells it (CANCELLED)',
      1,
      { order_id: '576', order_status: 'CANCELLED' },
      { type: 'order.cancelled', resourceId: '576' },
    ],
    [
      'order awaiting shipment',
      1,
      { order_id: '576', order_status: 'AWAITING_SHIPMENT' },
      { type: 'order.updated' },
    ],
    [
      'legacy reverse update',
      2,
      { order_id: '576', reverse_order_id: 'r1' },
      { type: 'return.updated', resourceId: 'r1' },
    ],
    [
      'address update',
      3,
      { order_id: '576', update_time: 1700000010 },
      { type: 'order.updated', resourceId: '576' },
    ],
    [
      'package update with a package list',
      4,
      {
        sc_type: 'SPLIT',
        role_type: 'ROLE_SELLER',
        package_list: [{ package_id: 'p1', order_id_list: ['576'] }],
      },
      { type: 'shipment.updated', resourceType: 'shipment', resourceId: 'p1', status: 'SPLIT' },
    ],
    [
      'product status change',
      5,
      { product_id: '1729', status: 'PRODUCT_AUDIT_FAILURE', suspended_reason: 'x' },
      {
        type: 'product.updated',
        resourceType: 'product',
        resourceId: '1729',
        status: 'PRODUCT_AUDIT_FAILURE',
      },
    ],
    [
      'deauthorization',
      6,
      { message: 'bye' },
      { type: 'authorization.revoked', resourceType: 'account', resourceId: '7494049642642441621' },
    ],
    [
      'authorization expiring',
      7,
      { message: 'soon', expiration_time: '1702592000' },
      { type: 'authorization.expiring', resourceType: 'account' },
    ],
    [
      'cancellation request',
      11,
      {
        order_id: '576',
        cancel_id: 'c1',
        cancel_status: 'CANCELLATION_REQUEST_PENDING',
        create_time: 1700000000,
      },
      { type: 'order.updated', resourceId: '576', status: 'CANCELLATION_REQUEST_PENDING' },
    ],
    [
      'return status change',
      12,
      { order_id: '576', return_id: 'ret1', return_status: 'RETURN_OR_REFUND_REQUEST_PENDING' },
      { type: 'return.updated', resourceType: 'return', resourceId: 'ret1' },
    ],
    [
      'new message',
      14,
      { conversation_id: 'conv1', message_id: 'm1' },
      { type: 'message.received', resourceId: 'conv1' },
    ],
    [
      'product information change',
      15,
      { product_id: '1729', changed_fields: ['title'] },
      { type: 'product.updated' },
    ],
    [
      'invoice status change',
      36,
      { package_id: 'p9', order_ids: ['576'], invoice_status: 'FAILED' },
      { type: 'shipment.updated', resourceId: 'p9' },
    ],
    [
      'an unknown type parses as unknown instead of failing',
      999,
      { whatever: true },
      { type: 'unknown', resourceType: 'other', topic: '999' },
    ],
  ];

  it.each(cases)('%s', async (_name, type, data, expected) => {
    const result = await verifyTikTokWebhook(await signed(envelope(type, data)));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event).toMatchObject({ accountId: '7494049642642441621', ...expected });
  });

  it('reads the top-level id, not a same-named numeric field nested before it', async () => {
    const body =
      '{"type":4,"tts_notification_id":"n4","shop_id":7494049642642441621,"timestamp":1700000000,"data":{"package_list":[{"package_id":1152321127278713123,"order_id_list":[576461413038785111]}],"order_id":576461413038785752,"update_time":1700000000}}';
    const result = await verifyTikTokWebhook(await signed(body));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.accountId).toBe('7494049642642441621');
    expect(result.event.resourceId).toBe('1152321127278713123');
    expect((result.event.raw as { data: { order_id: unknown } }).data.order_id).toBe('576461413038785752');
    const cancelled =
      '{"type":11,"shop_id":"7494049642642441621","timestamp":1700000000,"data":{"cancel_line_items":[{"order_id":576461413038785111}],"order_id":576461413038785752,"cancel_id":"c1"}}';
    const cancel = await verifyTikTokWebhook(await signed(cancelled));
    expect(cancel.ok && cancel.event.resourceId).toBe('576461413038785752');
  });

  it('keeps a numeric 64-bit product id exactly, from the raw text', async () => {
    const body =
      '{"type":5,"tts_notification_id":"n5","shop_id":"7494049642642441621","timestamp":1700000000,"data":{"product_id":1729592969712207008,"status":"PRODUCT_STATUS_CHANGED","update_time":1700000000}}';
    const result = await verifyTikTokWebhook(await signed(body));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event.resourceId).toBe('1729592969712207008');
  });
});

describe('tiktokWebhookSource', () => {
  it('verifies a Request-shaped input through the Authorization header and acknowledges with 200', async () => {
    const clock = createManualClock(W3.now);
    const source = tiktokWebhookSource({ appKey: W3.appKey, appSecrets: W3.appSecrets, clock });
    const result = await source.verify({
      body: W3.body,
      headers: new Headers({ Authorization: W3.authorization, 'content-type': 'application/json' }),
      url: 'https://example.com/webhooks/tiktok',
    });
    expect(result.ok).toBe(true);
    expect(source.acknowledge?.().status).toBe(200);
    await clock.advance(2 * 24 * 3600_000);
    const late = await source.verify({
      body: W3.body,
      headers: new Headers({ authorization: W3.authorization }),
      url: 'https://example.com/webhooks/tiktok',
    });
    expect(late).toMatchObject({ ok: false, reason: 'stale' });
  });
});

describe('body encoding', () => {
  it('refuses a correctly signed push whose bytes are not UTF-8 with reason invalid_encoding', async () => {
    const text = JSON.stringify(envelope(1, { order_id: '576461413038785752', order_status: 'UNPAID' }));
    const broken = concatBytes([text.slice(0, 30), new Uint8Array([0xf0, 0x9f]), text.slice(30)]);
    const authorization = await hmacSha256Hex(SECRET, [APP_KEY, broken]);
    const result = await verifyTikTokWebhook({
      appKey: APP_KEY,
      appSecrets: [SECRET],
      body: broken,
      authorization,
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_encoding' });
  });
});
