import { describe, expect, it } from 'vitest';
import { createTikTokSandbox, type TikTokWebhookBody } from '../src/tiktok/index';
import { installServer, nodeWebhookSign, START_S, shopSetup } from './tiktok-helpers';

const env = installServer();

interface Received {
  url: string;
  authorization: string | null;
  contentType: string | null;
  raw: string;
  body: TikTokWebhookBody;
}

function receiver(status = 200) {
  const received: Received[] = [];
  const target = async (request: Request) => {
    const raw = await request.text();
    received.push({
      url: request.url,
      authorization: request.headers.get('authorization'),
      contentType: request.headers.get('content-type'),
      raw,
      body: JSON.parse(raw),
    });
    return new Response(null, { status });
  };
  return { received, target };
}

describe('TikTok webhooks', () => {
  it('delivers each order change as a signed ORDER_STATUS_CHANGE, spelling cancelled CANCEL', async () => {
    const { received, target } = receiver();
    const sandbox = env.sandbox({ webhooks: { target } });
    const { shop } = shopSetup(sandbox);
    const sku = sandbox.addProduct({ skus: [{ stock: 5 }] }).skus[0]!;
    const shipped = sandbox.placeOrder({ items: [{ skuId: sku.id }] });
    sandbox.payOrder(shipped.id);
    sandbox.shipOrder(shipped.id);
    sandbox.deliverOrder(shipped.id);
    const cancelled = sandbox.placeOrder({ items: [{ skuId: sku.id }] });
    sandbox.cancelOrder(cancelled.id);

    const statuses = await sandbox.webhooks.flush();
    expect(statuses.every((status) => status === 200)).toBe(true);
    for (const webhook of received) {
      expect(webhook.authorization).toBe(
        nodeWebhookSign(sandbox.app.appKey, sandbox.app.appSecret, webhook.raw),
      );
      expect(webhook.contentType).toBe('application/json');
      expect(webhook.body).toMatchObject({ type: 1, shop_id: shop.id, timestamp: START_S });
      expect(webhook.body.tts_notification_id).toMatch(/^\d+$/);
    }
    expect(received.map((webhook) => [webhook.body.data.order_id, webhook.body.data.order_status])).toEqual([
      [shipped.id, 'UNPAID'],
      [shipped.id, 'AWAITING_SHIPMENT'],
      [shipped.id, 'AWAITING_COLLECTION'],
      [shipped.id, 'IN_TRANSIT'],
      [shipped.id, 'DELIVERED'],
      [cancelled.id, 'UNPAID'],
      [cancelled.id, 'CANCEL'],
    ]);
    expect(new Set(received.map((webhook) => webhook.body.tts_notification_id)).size).toBe(received.length);
  });

  it('sends no webhook for PARTIALLY_SHIPPING, which the webhook list omits', async () => {
    const { received, target } = receiver();
    const sandbox = env.sandbox({ webhooks: { target } });
    const { call } = shopSetup(sandbox);
    const sku = sandbox.addProduct().skus[0]!;
    const order = sandbox.payOrder(
      sandbox.placeOrder({ items: [{ skuId: sku.id, quantity: 2 }], shippingType: 'SELLER' }).id,
    );
    await call('POST', `/fulfillment/202309/orders/${order.id}/packages`, {
      body: {
        order_line_item_ids: [order.lineItems[0]!.id],
        shipping_provider_id: '7117858858072016686',
        tracking_number: 'T',
      },
    });
    expect(sandbox.getOrder(order.id)?.status).toBe('PARTIALLY_SHIPPING');
    await sandbox.webhooks.flush();
    expect(received.map((webhook) => webhook.body.data.order_status)).toEqual([
      'UNPAID',
      'AWAITING_SHIPMENT',
    ]);
  });

  it('repeats webhooks with the same tts_notification_id when duplicates are on', async () => {
    const { received, target } = receiver();
    const sandbox = env.sandbox({ webhooks: { target, duplicates: true } });
    shopSetup(sandbox);
    const sku = sandbox.addProduct().skus[0]!;
    sandbox.placeOrder({ items: [{ skuId: sku.id }] });
    await sandbox.webhooks.flush();
    expect(received).toHaveLength(2);
    expect(received[0]!.raw).toBe(received[1]!.raw);
    expect(received[1]!.authorization).toBe(received[0]!.authorization);
  });

  it('delivers out of order when asked, so apps must order by update_time', async () => {
    const { received, target } = receiver();
    const sandbox = env.sandbox({ webhooks: { target, outOfOrder: true, seed: 7 } });
    shopSetup(sandbox);
    const sku = sandbox.addProduct().skus[0]!;
    const order = sandbox.placeOrder({ items: [{ skuId: sku.id }] });
    sandbox.clock.advance(1000);
    sandbox.payOrder(order.id);
    sandbox.clock.advance(1000);
    sandbox.shipOrder(order.id);
    await sandbox.webhooks.flush();
    // Notification ids grow in the order the changes happened; delivery shuffles them.
    const ids = received.map((webhook) => BigInt(webhook.body.tts_notification_id));
    expect(ids).not.toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    const times = received.map((webhook) => webhook.body.data.update_time as number).sort((a, b) => a - b);
    expect(times).toEqual([START_S, START_S + 1, START_S + 2, START_S + 2]);
  });

  it('posts to the address a shop subscribed through the Event API', async () => {
    const { received, target } = receiver();
    const sandbox = env.sandbox({ webhooks: { target } });
    const { call } = shopSetup(sandbox);
    const put = await call('PUT', '/event/202309/webhooks', {
      body: { event_type: 'ORDER_STATUS_CHANGE', address: 'https://seller-app.example/tiktok/orders' },
    });
    expect(put.json.code).toBe(0);
    const listed = await call('GET', '/event/202309/webhooks');
    expect(listed.json.data).toEqual({
      total_count: 1,
      webhooks: [
        {
          event_type: 'ORDER_STATUS_CHANGE',
          address: 'https://seller-app.example/tiktok/orders',
          create_time: START_S,
          update_time: START_S,
        },
      ],
    });
    const badAddress = await call('PUT', '/event/202309/webhooks', {
      body: { event_type: 'ORDER_STATUS_CHANGE', address: 'http://insecure.example' },
    });
    expect(badAddress.json.code).toBe(36009004);
    const post = await call('POST', '/event/202309/webhooks', {
      body: { event_type: 'ORDER_STATUS_CHANGE' },
    });
    expect(post.json.code).toBe(36009010);

    sandbox.placeOrder({ items: [{ skuId: sandbox.addProduct().skus[0]!.id }] });
    sandbox.sendMessage({ content: 'Is this in stock?' });
    await sandbox.webhooks.flush();
    expect(received.map((webhook) => [webhook.body.type, webhook.url])).toEqual([
      [1, 'https://seller-app.example/tiktok/orders'],
      [14, 'http://localhost/webhooks'],
    ]);
    expect(JSON.parse(received[1]!.body.data.content as string)).toEqual({ content: 'Is this in stock?' });

    await call('DELETE', '/event/202309/webhooks', { body: { event_type: 'ORDER_STATUS_CHANGE' } });
    expect(
      (await call('DELETE', '/event/202309/webhooks', { body: { event_type: 'ORDER_STATUS_CHANGE' } })).json
        .code,
    ).toBe(0);
    expect(sandbox.webhookSubscriptions(sandbox.listShops()[0]!.id)).toEqual([]);
  });

  it("signs each authorized app's copy with that app's own key and secret", async () => {
    const { received, target } = receiver();
    const sandbox = env.sandbox({ webhooks: { target } });
    const { shop } = shopSetup(sandbox);
    const second = sandbox.createApp({ appKey: 'second_app', appSecret: 'second_secret' });
    const unauthorized = sandbox.createApp();
    sandbox.issueTokens({ appKey: second.appKey, shopId: shop.id });
    sandbox.updateRecipientAddress(
      sandbox.placeOrder({ items: [{ skuId: sandbox.addProduct().skus[0]!.id }] }).id,
      { postalCode: 'EC1A 1BB' },
    );
    await sandbox.webhooks.flush();
    const addressUpdates = received.filter((webhook) => webhook.body.type === 3);
    expect(addressUpdates).toHaveLength(2);
    const verifiedBy = addressUpdates.map(
      (webhook) =>
        [sandbox.app, second, unauthorized].find(
          (app) => nodeWebhookSign(app.appKey, app.appSecret, webhook.raw) === webhook.authorization,
        )?.appKey,
    );
    expect(verifiedBy.sort()).toEqual([sandbox.app.appKey, 'second_app'].sort());
  });

  it('tells the app when a seller deauthorizes it, and about an expiring authorization', async () => {
    const { received, target } = receiver();
    const sandbox = env.sandbox({ webhooks: { target } });
    const { shop } = shopSetup(sandbox);
    sandbox.notifyAuthorizationExpiring({ shopId: shop.id, expiresAt: START_S + 30 * 86_400 });
    sandbox.deauthorize({ shopId: shop.id });
    sandbox.placeOrder({ items: [{ skuId: sandbox.addProduct().skus[0]!.id }] });
    await sandbox.webhooks.flush();
    expect(received.map((webhook) => webhook.body.type)).toEqual([7, 6]);
    expect(received[0]!.body.data).toMatchObject({ expiration_time: String(START_S + 30 * 86_400) });
  });

  it('records failed deliveries and sends nothing without a target', async () => {
    const { target } = receiver(500);
    const sandbox = env.sandbox({ webhooks: { target } });
    shopSetup(sandbox);
    sandbox.placeOrder({ items: [{ skuId: sandbox.addProduct().skus[0]!.id }] });
    expect(await sandbox.webhooks.flush()).toEqual([500]);
    expect(sandbox.webhooks.log[0]).toMatchObject({ status: 500, ok: false });

    const silent = createTikTokSandbox();
    silent.addShop();
    silent.placeOrder({ items: [{ skuId: silent.addProduct().skus[0]!.id }] });
    expect(await silent.webhooks.flush()).toEqual([]);
  });
});
