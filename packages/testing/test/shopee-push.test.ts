import { HttpResponse, http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { type App, call, hmacHex, START_MS, useShopeeSandbox } from './shopee-helpers';

const CALLBACK = 'https://app.example.com/shopee/push';

interface Received {
  url: string;
  authorization: string | null;
  body: string;
}

const received: Received[] = [];

async function appHandler(request: Request): Promise<Response> {
  received.push({
    url: request.url,
    authorization: request.headers.get('authorization'),
    body: await request.text(),
  });
  return new Response(null, { status: 200 });
}

// biome-ignore lint/suspicious/noExplicitAny: push bodies are read as plain JSON
const bodies = (): any[] => received.map((push) => JSON.parse(push.body));

describe('Shopee pushes', () => {
  const { sandbox, server, app } = useShopeeSandbox({
    webhooks: { target: appHandler, callbackUrl: CALLBACK },
  });

  beforeEach(() => {
    received.length = 0;
    sandbox.webhooks.configure({
      target: appHandler,
      callbackUrl: CALLBACK,
      duplicates: false,
      outOfOrder: false,
    });
  });

  async function orderThroughDelivery(a: App): Promise<string> {
    const item = sandbox.addItem({ shopId: a.shopId, price: '9.90', stock: 10 });
    const order = await sandbox.placeOrder({
      shopId: a.shopId,
      items: [{ itemId: item.itemId, quantity: 1 }],
    });
    await sandbox.payOrder(order.orderSn);
    await sandbox.shipOrder(order.orderSn);
    await sandbox.deliverOrder(order.orderSn);
    return order.orderSn;
  }

  it('sends each order status change as code 3, signed over callback URL | raw body with the partner key', async () => {
    const a = app();
    const orderSn = await orderThroughDelivery(a);
    const statuses = await sandbox.webhooks.flush();
    expect(statuses.every((status) => status === 200)).toBe(true);

    for (const push of received) {
      expect(push.url).toBe(CALLBACK);
      expect(push.authorization).toBe(hmacHex(a.partnerKey, `${CALLBACK}|${push.body}`));
    }
    const orderPushes = bodies().filter((body) => body.code === 3);
    expect(orderPushes.map((body) => body.data.status)).toEqual([
      'UNPAID',
      'READY_TO_SHIP',
      'PROCESSED',
      'SHIPPED',
      'TO_CONFIRM_RECEIVE',
    ]);
    expect(orderPushes[0]).toEqual({
      data: { items: [], ordersn: orderSn, status: 'UNPAID', update_time: expect.any(Number) },
      shop_id: a.shopId,
      code: 3,
      timestamp: expect.any(Number),
    });
    expect(received[0]?.body.startsWith('{"data":{"items":[],"ordersn":')).toBe(true);
  });

  it('sends the tracking number as code 4 (tracking_no, ordersn, msg_id) matching get_tracking_number', async () => {
    const a = app();
    const item = sandbox.addItem({ shopId: a.shopId, stock: 1 });
    const order = await sandbox.placeOrder({
      shopId: a.shopId,
      items: [{ itemId: item.itemId, quantity: 1 }],
    });
    await sandbox.payOrder(order.orderSn);
    await call(sandbox, a, 'POST', '/api/v2/logistics/ship_order', {
      body: { order_sn: order.orderSn, dropoff: {} },
    });
    await sandbox.webhooks.flush();
    const tracking = bodies().find((body) => body.code === 4);
    const api = await call(sandbox, a, 'GET', '/api/v2/logistics/get_tracking_number', {
      query: { order_sn: order.orderSn },
    });
    expect(tracking.data).toMatchObject({
      ordersn: order.orderSn,
      tracking_no: api.json.response.tracking_number,
      package_number: sandbox.getOrder(order.orderSn)?.package.packageNumber,
    });
    expect(typeof tracking.data.forder_id).toBe('string');
    expect(tracking.msg_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('signs with the separate push key when the partner has one', async () => {
    const other = sandbox.addPartner({ pushKey: 'live-push-partner-key' });
    const a = app();
    sandbox.issueTokens({ partnerId: other.partnerId, shopId: a.shopId });
    await orderThroughDelivery(a);
    await sandbox.webhooks.flush();
    const signedWithPushKey = received.filter(
      (push) => push.authorization === hmacHex('live-push-partner-key', `${CALLBACK}|${push.body}`),
    );
    const signedWithPartnerKey = received.filter(
      (push) => push.authorization === hmacHex(a.partnerKey, `${CALLBACK}|${push.body}`),
    );
    // Five status changes (code 3) and one tracking number (code 4), for each partner.
    expect(signedWithPushKey).toHaveLength(6);
    expect(signedWithPartnerKey).toHaveLength(6);
    expect(hmacHex(other.partnerKey, `${CALLBACK}|${signedWithPushKey[0]?.body}`)).not.toBe(
      signedWithPushKey[0]?.authorization,
    );
  });

  it('with duplicates on, delivers every push twice with identical bytes and signature', async () => {
    sandbox.webhooks.configure({ duplicates: true });
    await orderThroughDelivery(app());
    await sandbox.webhooks.flush();
    expect(received).toHaveLength(12);
    const counts = new Map<string, number>();
    for (const push of received)
      counts.set(
        `${push.authorization}${push.body}`,
        (counts.get(`${push.authorization}${push.body}`) ?? 0) + 1,
      );
    expect([...counts.values()]).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('with outOfOrder on, delivers the same pushes in another order', async () => {
    sandbox.webhooks.configure({ outOfOrder: true });
    await orderThroughDelivery(app());
    await sandbox.webhooks.flush();
    const inQueueOrder = [
      '3:UNPAID',
      '3:READY_TO_SHIP',
      '3:PROCESSED',
      '4:',
      '3:SHIPPED',
      '3:TO_CONFIRM_RECEIVE',
    ];
    const delivered = bodies().map((body) => `${body.code}:${body.data.status ?? ''}`);
    expect(delivered).not.toEqual(inQueueOrder);
    expect([...delivered].sort()).toEqual([...inQueueOrder].sort());
  });

  it('pushes only to partners authorized by the shop', async () => {
    const stranger = sandbox.addPartner({ pushKey: 'stranger-key' });
    await orderThroughDelivery(app());
    await sandbox.webhooks.flush();
    expect(received).toHaveLength(6);
    expect(
      received.some((push) => push.authorization === hmacHex(stranger.pushKey, `${CALLBACK}|${push.body}`)),
    ).toBe(false);
  });

  it('set_app_push_config changes the signed callback URL and switches push codes off', async () => {
    const a = app();
    const result = await call(sandbox, a, 'POST', '/api/v2/push/set_app_push_config', {
      kind: 'public',
      body: { callback_url: 'https://new.example.com/push', set_push_config_off: [4] },
    });
    expect(result.json.response).toEqual({ result: 'success' });
    const config = await call(sandbox, a, 'GET', '/api/v2/push/get_app_push_config', { kind: 'public' });
    expect(config.json.response).toMatchObject({
      callback_url: 'https://new.example.com/push',
      push_config_off_list: [4],
    });

    await orderThroughDelivery(a);
    await sandbox.webhooks.flush();
    expect(bodies().map((body) => body.code)).toEqual([3, 3, 3, 3, 3]);
    for (const push of received) {
      expect(push.url).toBe('https://new.example.com/push');
      expect(push.authorization).toBe(hmacHex(a.partnerKey, `https://new.example.com/push|${push.body}`));
    }
  });

  it('posts to a URL target with fetch, signed over that URL', async () => {
    const target = 'https://hooks.example.com/shopee';
    const seen: Received[] = [];
    server.use(
      http.post(target, async ({ request }) => {
        seen.push({
          url: request.url,
          authorization: request.headers.get('authorization'),
          body: await request.text(),
        });
        return new HttpResponse(null, { status: 204 });
      }),
    );
    sandbox.webhooks.configure({ target });
    const a = app();
    await sandbox.sendMessage({ shopId: a.shopId, text: 'Is size M in stock?' });
    expect(await sandbox.webhooks.flush()).toEqual([204]);
    const [push] = seen;
    expect(push?.authorization).toBe(hmacHex(a.partnerKey, `${target}|${push?.body}`));
    const body = JSON.parse(push?.body ?? '{}');
    expect(body).toMatchObject({
      code: 10,
      shop_id: a.shopId,
      data: { type: 'message', content: { content: { text: 'Is size M in stock?' } } },
    });
  });

  it('announces an authorization as partner-level code 1, without a top-level shop_id', async () => {
    const a = app();
    const shop = sandbox.addShop({ region: 'TH' });
    await sandbox.authorize({ partnerId: a.partnerId, shopId: shop.shopId });
    await sandbox.webhooks.flush();
    const [push] = bodies();
    expect(push).toMatchObject({ code: 1, data: { shop_id: shop.shopId, success: 1 } });
    expect(push).not.toHaveProperty('shop_id');
  });

  it('warns of grants expiring within 7 days as one partner-level code 12 listing every shop and merchant', async () => {
    const a = app();
    const main = 88_001;
    const first = sandbox.addShop({ region: 'MY', mainAccountId: main });
    const second = sandbox.addShop({ region: 'MY', mainAccountId: main });
    const merchant = sandbox.addMerchant({ region: 'CN', mainAccountId: main });
    await sandbox.authorize({ partnerId: a.partnerId, mainAccountId: main });
    await expect(sandbox.warnExpiringGrants(a.partnerId)).resolves.toEqual({ shopIds: [], merchantIds: [] });
    sandbox.clock.set(START_MS + 359 * 86_400_000);
    const warned = await sandbox.warnExpiringGrants(a.partnerId);
    expect(warned.shopIds).toEqual(expect.arrayContaining([a.shopId, first.shopId, second.shopId]));
    await sandbox.webhooks.flush();
    const push = bodies().find((body) => body.code === 12);
    expect(push).not.toHaveProperty('shop_id');
    expect(push.data.shop_id_list).toEqual(expect.arrayContaining([first.shopId, second.shopId]));
    expect(push.data.merchant_id_list).toEqual([merchant.merchantId]);
  });

  it('re-signs queued pushes when the callback URL changes before the flush', async () => {
    const a = app();
    await sandbox.sendMessage({ shopId: a.shopId, text: 'hello' });
    sandbox.webhooks.configure({ callbackUrl: 'https://moved.example.com/push' });
    await sandbox.webhooks.flush();
    const [push] = received;
    expect(push?.url).toBe('https://moved.example.com/push');
    expect(push?.authorization).toBe(hmacHex(a.partnerKey, `https://moved.example.com/push|${push?.body}`));
  });
});
