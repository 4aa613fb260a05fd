import { describe, expect, it } from 'vitest';
import { MELI_SANDBOX_APP_ID, type MeliNotification, makeMeliNotificationRequest } from '../src/index';
import { call, useMeliServer, withSeller } from './meli-setup';

const sandbox = useMeliServer();

function inbox(status = 200) {
  const received: MeliNotification[] = [];
  const headers: Headers[] = [];
  return {
    received,
    headers,
    target: async (request: Request) => {
      headers.push(request.headers);
      received.push((await request.json()) as MeliNotification);
      return new Response(null, { status });
    },
  };
}

describe('Mercado Livre sandbox: notifications', () => {
  it('notifies each change with the real payload to the callback', async () => {
    const app = inbox();
    const meli = sandbox({ webhooks: { target: app.target } });
    const { seller } = withSeller(meli);
    const item = meli.addItem();
    const { orderId, shipmentId } = meli.placeOrder({ itemId: item.id });
    meli.payOrder(orderId);
    expect(await meli.webhooks.flush()).toEqual(app.received.map(() => 200));

    expect(app.received[0]).toEqual({
      _id: expect.any(String),
      resource: `/items/${item.id}`,
      user_id: seller.id,
      topic: 'items',
      application_id: MELI_SANDBOX_APP_ID,
      attempts: 1,
      sent: '2025-06-02T12:00:00.000Z',
      received: '2025-06-02T12:00:00.000Z',
    });
    expect(app.headers[0]?.get('content-type')).toBe('application/json');
    const topics = app.received.map((notification) => `${notification.topic} ${notification.resource}`);
    expect(topics).toContain(`orders_v2 /orders/${orderId}`);
    expect(topics).toContain(`shipments /shipments/${shipmentId}`);
  });

  it('sends only subscribed topics, and only for sellers who granted the app', async () => {
    const app = inbox();
    const meli = sandbox({ webhooks: { target: app.target }, app: { topics: ['orders_v2'] } });
    withSeller(meli);
    const stranger = meli.addSeller({ grantDefaultApp: false });
    const mine = meli.placeOrder({ itemId: meli.addItem().id });
    meli.placeOrder({ itemId: meli.addItem({ sellerId: stranger.id }).id });
    await meli.webhooks.flush();
    expect(app.received.map((notification) => notification.resource)).toEqual([`/orders/${mine.orderId}`]);
  });

  it('delivers duplicates and out of order when switched on', async () => {
    const app = inbox();
    const meli = sandbox({ webhooks: { target: app.target, duplicates: true, outOfOrder: true, seed: 5 } });
    withSeller(meli);
    const items = [meli.addItem(), meli.addItem(), meli.addItem()];
    await meli.webhooks.flush();
    const resources = app.received.map((notification) => notification.resource);
    expect(resources).toHaveLength(6);
    for (const item of items)
      expect(resources.filter((resource) => resource === `/items/${item.id}`)).toHaveLength(2);
    const firstSeen = [...new Set(resources)];
    expect(firstSeen).not.toEqual(items.map((item) => `/items/${item.id}`));
  });

  it('retries a failed notification with a growing attempt count, then keeps it as a missed feed', async () => {
    const app = inbox(500);
    const meli = sandbox({ webhooks: { target: app.target }, limits: { notificationAttempts: 3 } });
    const { seller, token } = withSeller(meli);
    const item = meli.addItem();
    await meli.webhooks.flush();
    await meli.webhooks.flush();
    await meli.webhooks.flush();
    expect(app.received.map((notification) => notification.attempts)).toEqual([1, 2, 3]);
    expect(meli.webhooks.pending).toBe(0);
    expect(meli.missedFeeds()).toEqual([
      expect.objectContaining({ resource: `/items/${item.id}`, attempts: 3 }),
    ]);

    const needsSite = await call(token, `/missed_feeds?app_id=${meli.app.id}&topic=items`);
    expect(needsSite.status).toBe(400);
    const feeds = await call(token, `/missed_feeds?app_id=${meli.app.id}&topic=items&site_id=MLB`);
    expect(feeds.body.messages).toEqual([
      expect.objectContaining({
        resource: `/items/${item.id}`,
        user_id: seller.id,
        request: expect.objectContaining({ url: 'http://localhost/webhooks' }),
        response: expect.objectContaining({ http_code: 500 }),
      }),
    ]);
    meli.clock.advance(2 * 24 * 60 * 60 * 1000 + 1);
    const later = await call(meli.issueTokens(seller.id).access_token, `/missed_feeds?app_id=${meli.app.id}`);
    expect(later.body.messages).toEqual([]);
  });

  it('notifies buyer messages on the messages topic with a bare id and actions', async () => {
    const app = inbox();
    const meli = sandbox({ webhooks: { target: app.target } });
    withSeller(meli);
    const { orderId } = meli.placeOrder({ itemId: meli.addItem().id });
    await meli.webhooks.flush();
    app.received.length = 0;
    const message = meli.sendMessage({ orderId, text: 'Olá' });
    await meli.webhooks.flush();
    expect(app.received).toEqual([
      expect.objectContaining({ topic: 'messages', resource: message.id, actions: ['created'] }),
    ]);
  });

  it('builds a notification request for an app’s own tests', async () => {
    const request = makeMeliNotificationRequest({
      url: 'https://my-app.test/webhooks/meli',
      body: { topic: 'orders_v2', resource: '/orders/2000009000000001', user_id: 100000001 },
      now: Date.UTC(2025, 0, 1),
    });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://my-app.test/webhooks/meli');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.json()).toEqual({
      _id: expect.any(String),
      resource: '/orders/2000009000000001',
      user_id: 100000001,
      topic: 'orders_v2',
      application_id: MELI_SANDBOX_APP_ID,
      attempts: 1,
      sent: '2025-01-01T00:00:00.000Z',
      received: '2025-01-01T00:00:00.000Z',
    });
  });
});
