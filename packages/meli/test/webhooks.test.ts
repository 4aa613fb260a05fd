import { concatBytes, createWebhookHandler, type MlhEvent, WebhookVerificationError } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import {
  assertMeliNotification,
  isMeliNotificationIp,
  meliWebhookSource,
  normalizeMeliTopic,
  verifyMeliNotification,
} from '../src/index';
import { APP_ID, SELLER, storeWithTokens, testMeli } from './support';

const CALLBACK = 'https://app.example.com/meli/notifications';

function notification(overrides: Record<string, unknown> = {}) {
  return {
    _id: 'f9f08571-1f65-4c46-9e0a-c0f43faa1557e',
    resource: '/orders/2195160686',
    user_id: Number(SELLER),
    topic: 'orders_v2',
    application_id: Number(APP_ID),
    attempts: 1,
    sent: '2019-10-30T16:19:20.129Z',
    received: '2019-10-30T16:19:20.106Z',
    ...overrides,
  };
}

const body = (value: unknown) => JSON.stringify(value);

describe('verifyMeliNotification', () => {
  it('accepts a good notification and names the resource to fetch', () => {
    const result = verifyMeliNotification({ body: body(notification()), applicationId: APP_ID });
    expect(result).toEqual({
      ok: true,
      event: {
        type: 'order.updated',
        marketplace: 'meli',
        accountId: SELLER,
        resourceType: 'order',
        resourceId: '2195160686',
        occurredAt: '2019-10-30T16:19:20.106Z',
        dedupeKey: `meli:${APP_ID}:id:f9f08571-1f65-4c46-9e0a-c0f43faa1557e`,
        topic: 'orders_v2',
        raw: expect.objectContaining({ resource: '/orders/2195160686' }),
      },
    });
  });

  it.each([
    ['items', '/items/MLA686791111', 'product.updated', 'product', 'MLA686791111'],
    ['questions', '/questions/5036111111', 'question.received', 'question', '5036111111'],
    [
      'messages',
      '3f6da1e35ac84f70a24af7360d24c7bc',
      'message.received',
      'message',
      '3f6da1e35ac84f70a24af7360d24c7bc',
    ],
    ['shipments', '/shipments/44028792542', 'shipment.updated', 'shipment', '44028792542'],
    ['stock-locations', '/user-products/MLBU123/stock', 'inventory.updated', 'other', 'MLBU123'],
  ])('topic %s: %s → %s', (topic, resource, type, resourceType, resourceId) => {
    const result = verifyMeliNotification({
      body: body(notification({ topic, resource })),
      applicationId: APP_ID,
    });
    expect(result.ok && result.event).toMatchObject({ type, resourceType, resourceId });
  });

  it('names the claim of every claims notification shape: post_purchase, claims and claims_actions', () => {
    const shapes = [
      { topic: 'post_purchase', actions: ['claims'], resource: '/post-purchase/v1/claims/5108684499' },
      { topic: 'post_purchase', actions: ['claims_actions'], resource: 'post-purchase/v1/claims/5108684499' },
      { topic: 'claims', resource: '/v1/claims/5108684499' },
      { topic: 'claims_actions', resource: '/post-purchase/v1/claims/5108684499/actions-history' },
    ];
    for (const shape of shapes) {
      const result = verifyMeliNotification({ body: body(notification(shape)), applicationId: APP_ID });
      expect(result.ok && result.event).toMatchObject({
        type: 'return.updated',
        resourceType: 'return',
        resourceId: '5108684499',
      });
    }
  });

  it('keeps a 19-digit user_id sent as a bare JSON number exact', () => {
    const text = body(notification({ user_id: 0 })).replace('"user_id":0', '"user_id":1234567890123456789');
    const result = verifyMeliNotification({ body: text, applicationId: APP_ID });
    expect(result.ok && result.event.accountId).toBe('1234567890123456789');
  });

  it('accepts the documented variants: id instead of _id, string user_id, "recieved", bytes', () => {
    const { _id: _ignored, received: _received, ...rest } = notification();
    const variant = { ...rest, id: 'abc', user_id: SELLER, recieved: '2019-10-30T16:19:20.106Z' };
    const result = verifyMeliNotification({
      body: new TextEncoder().encode(body(variant)),
      applicationId: Number(APP_ID),
    });
    expect(result.ok && result.event).toMatchObject({
      accountId: SELLER,
      occurredAt: '2019-10-30T16:19:20.106Z',
      dedupeKey: `meli:${APP_ID}:id:abc`,
    });
  });

  it('keeps the dedupe key across redeliveries (only attempts and sent change)', () => {
    const first = verifyMeliNotification({ body: body(notification()), applicationId: APP_ID });
    const again = verifyMeliNotification({
      body: body(notification({ attempts: 3, sent: '2019-10-30T16:29:20.000Z' })),
      applicationId: APP_ID,
    });
    const withoutId = (extra: Record<string, unknown>) => {
      const { _id: _ignored, ...rest } = notification(extra);
      return verifyMeliNotification({ body: body(rest), applicationId: APP_ID });
    };
    expect(first.ok && again.ok && first.event.dedupeKey === again.event.dedupeKey).toBe(true);
    const a = withoutId({ attempts: 1 });
    const b = withoutId({ attempts: 2, sent: '2019-10-30T16:39:20.000Z' });
    expect(a.ok && b.ok && a.event.dedupeKey === b.event.dedupeKey).toBe(true);
  });

  it('refuses a notification for another application', () => {
    const result = verifyMeliNotification({
      body: body(notification({ application_id: 123 })),
      applicationId: APP_ID,
    });
    expect(result).toMatchObject({ ok: false, reason: 'wrong_application' });
  });

  it('checks the shared secret of the callback URL, with rotation', () => {
    const good = { body: body(notification()), applicationId: APP_ID, secret: ['new-secret', 'old-secret'] };
    expect(verifyMeliNotification({ ...good, requestUrl: `${CALLBACK}?secret=old-secret` }).ok).toBe(true);
    expect(verifyMeliNotification({ ...good, requestUrl: `${CALLBACK}?secret=guess` })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyMeliNotification({ ...good, requestUrl: CALLBACK })).toMatchObject({
      ok: false,
      reason: 'missing_signature',
    });
    expect(
      verifyMeliNotification({ ...good, secretParam: 'k', requestUrl: `${CALLBACK}?k=new-secret` }).ok,
    ).toBe(true);
  });

  it.each([
    ['not JSON', '{"topic":'],
    ['no resource', body(notification({ resource: undefined }))],
    ['no topic', body({ ...notification(), topic: '' })],
    ['an array', '[]'],
  ])('refuses a malformed body: %s', (_case, raw) => {
    expect(verifyMeliNotification({ body: raw, applicationId: APP_ID })).toMatchObject({
      ok: false,
      reason: 'malformed_body',
    });
  });

  it('reads a resource that does not fit its topic as an unknown event naming the resource', () => {
    const result = verifyMeliNotification({
      body: body(notification({ topic: 'items', resource: '/items/MLB1/prices' })),
      applicationId: APP_ID,
    });
    expect(result).toMatchObject({
      ok: true,
      event: { type: 'unknown', resourceType: 'other', resourceId: '/items/MLB1/prices', topic: 'items' },
    });
  });

  it('acknowledges a resource that does not fit its topic with 200, so Mercado Livre stops retrying', async () => {
    const handler = createWebhookHandler({ sources: [meliWebhookSource({ applicationId: APP_ID })] });
    const seen: MlhEvent[] = [];
    handler.events.on('unknown', (event) => seen.push(event));
    const response = await handler.handle(
      new Request(CALLBACK, {
        method: 'POST',
        body: body(notification({ topic: 'orders_v2', resource: '/orders/not-a-number' })),
      }),
    );
    expect(response.status).toBe(200);
    expect(seen.map((event) => event.resourceId)).toEqual(['/orders/not-a-number']);
  });

  it('refuses an unknown topic, and a known one you did not subscribe', () => {
    expect(
      verifyMeliNotification({
        body: body(notification({ topic: 'brand_new_topic' })),
        applicationId: APP_ID,
      }),
    ).toMatchObject({ ok: false, reason: 'unknown_topic' });
    expect(
      verifyMeliNotification({
        body: body(notification({ topic: 'items', resource: '/items/MLB1' })),
        applicationId: APP_ID,
        topics: ['orders_v2'],
      }),
    ).toMatchObject({ ok: false, reason: 'unknown_topic' });
  });

  it('assertMeliNotification throws the reason', () => {
    expect(assertMeliNotification({ body: body(notification()), applicationId: APP_ID }).resourceId).toBe(
      '2195160686',
    );
    let error: unknown;
    try {
      assertMeliNotification({ body: body(notification({ application_id: 1 })), applicationId: APP_ID });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as WebhookVerificationError).reason).toBe('wrong_application');
  });

  it('matches topics leniently and checks source IPs against a list', () => {
    expect(normalizeMeliTopic(' Stock-Locations ')).toBe('stock-location');
    expect(isMeliNotificationIp('54.88.218.97')).toBe(true);
    expect(isMeliNotificationIp('10.0.0.1')).toBe(false);
  });
});

describe('meliWebhookSource with the core handler', () => {
  it('acknowledges with 200 (anything else is a failed delivery), dedupes redeliveries and emits the event', async () => {
    const meli = testMeli(await storeWithTokens(Date.now()));
    const handler = createWebhookHandler({ sources: { meli: meli.webhookSource({ secret: 's3cret' }) } });
    const events: MlhEvent[] = [];
    const duplicates: MlhEvent[] = [];
    handler.events.on('order.updated', (event) => events.push(event));
    handler.events.on('duplicate', (event) => duplicates.push(event));
    const post = (url: string, value: unknown) =>
      handler.handle(
        new Request(url, {
          method: 'POST',
          body: body(value),
          headers: { 'content-type': 'application/json' },
        }),
      );

    const first = await post(`${CALLBACK}/meli?secret=s3cret`, notification());
    const again = await post(`${CALLBACK}/meli?secret=s3cret`, notification({ attempts: 2 }));
    const forged = await post(`${CALLBACK}/meli?secret=nope`, notification());

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(forged.status).toBe(401);
    expect(events.map((event) => event.resourceId)).toEqual(['2195160686']);
    expect(duplicates).toHaveLength(1);
  });

  it('the source alone verifies a WebhookInput', async () => {
    const source = meliWebhookSource({ applicationId: APP_ID });
    const result = await source.verify({ body: body(notification()), headers: new Headers(), url: CALLBACK });
    expect(result.ok).toBe(true);
    expect(source.acknowledge?.().status).toBe(200);
  });
});

describe('body encoding', () => {
  it('refuses a notification whose bytes are not UTF-8 with reason invalid_encoding', () => {
    const text = body(notification());
    const bytes = concatBytes([text.slice(0, -2), new Uint8Array([0xff]), text.slice(-2)]);
    const result = verifyMeliNotification({ body: bytes, applicationId: APP_ID });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_encoding' });
  });
});
