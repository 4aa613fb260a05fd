import { describe, expect, it } from 'vitest';
import { TikTokSandboxError } from '../src/tiktok/index';
import { installServer, START_S, shopSetup, tiktokClient } from './tiktok-helpers';

const env = installServer();
const ROYAL_MAIL = '7117858858072016686';

function seededShop(options: Parameters<typeof env.sandbox>[0] = {}) {
  const sandbox = env.sandbox(options);
  const setup = shopSetup(sandbox);
  const product = sandbox.addProduct({
    title: 'Socks',
    skus: [{ price: '12.99', stock: 10, sellerSku: 'SOCK' }],
  });
  return { sandbox, ...setup, product, sku: product.skus[0]! };
}

describe('TikTok order flow and stock', () => {
  it('reserves stock when placed, shows the order, and gives the stock back when cancelled', async () => {
    const { sandbox, call, sku } = seededShop();
    const order = sandbox.placeOrder({
      items: [{ skuId: sku.id, quantity: 2 }],
      shippingFee: '3.50',
      buyerMessage: 'Gift',
    });
    expect(sandbox.stockOf(sku.id)).toBe(8);

    const unpaid = await call('GET', '/order/202309/orders', { query: { ids: order.id } });
    const shown = unpaid.json.data.orders[0];
    expect(shown).toMatchObject({
      id: order.id,
      status: 'UNPAID',
      create_time: START_S,
      buyer_message: 'Gift',
    });
    expect(shown.recipient_address).toBeUndefined();
    expect(shown.line_items).toHaveLength(2);
    expect(shown.line_items.every((item: { sku_id: string }) => item.sku_id === sku.id)).toBe(true);
    expect(shown.line_items[0]).not.toHaveProperty('quantity');
    expect(shown.payment).toMatchObject({
      currency: 'GBP',
      original_total_product_price: '25.98',
      sub_total: '25.98',
      shipping_fee: '3.50',
      total_amount: '29.48',
    });

    sandbox.cancelOrder(order.id, { reason: 'Changed my mind' });
    expect(sandbox.stockOf(sku.id)).toBe(10);
    const cancelled = await call('GET', '/order/202309/orders', { query: { ids: order.id } });
    expect(cancelled.json.data.orders[0]).toMatchObject({
      status: 'CANCELLED',
      cancel_reason: 'Changed my mind',
      cancellation_initiator: 'BUYER',
    });
  });

  it('holds a paid order ON_HOLD, with the address hidden, until the hold is released', async () => {
    const { sandbox, call, sku } = seededShop();
    const order = sandbox.placeOrder({ items: [{ skuId: sku.id }], holdOnPayment: true });
    sandbox.payOrder(order.id);
    const held = (await call('GET', '/order/202309/orders', { query: { ids: order.id } })).json.data
      .orders[0];
    expect(held).toMatchObject({ status: 'ON_HOLD', is_on_hold_order: true, packages: [] });
    expect(held.recipient_address).toBeUndefined();
    sandbox.releaseHold(order.id);
    const released = (await call('GET', '/order/202309/orders', { query: { ids: order.id } })).json.data
      .orders[0];
    expect(released).toMatchObject({ status: 'AWAITING_SHIPMENT', is_on_hold_order: false });
    expect(released.packages).toHaveLength(1);
    expect(released.recipient_address).toBeDefined();
  });

  it('names each district_info level as the market does: in Brazil L2 is the city and L3 the district', async () => {
    const sandbox = env.sandbox();
    const shop = sandbox.addShop({ region: 'BR' });
    const { call } = {
      call: tiktokClient(sandbox, {
        accessToken: sandbox.issueTokens({ shopId: shop.id }).accessToken,
        cipher: shop.cipher,
      }),
    };
    const product = sandbox.addProduct({ shopId: shop.id, skus: [{ price: '29.90', stock: 5 }] });
    const order = sandbox.placeOrder({
      shopId: shop.id,
      items: [{ skuId: product.skus[0]!.id, quantity: 1 }],
    });
    sandbox.payOrder(order.id);
    const detail = await call('GET', '/order/202309/orders', { query: { ids: order.id } });
    expect(detail.json.data.orders[0].recipient_address.district_info).toEqual([
      { address_level: 'L0', address_level_name: 'Country', address_name: 'Brasil' },
      { address_level: 'L1', address_level_name: 'State', address_name: 'São Paulo' },
      { address_level: 'L2', address_level_name: 'City', address_name: 'São Paulo' },
      { address_level: 'L3', address_level_name: 'District', address_name: 'Consolação' },
    ]);
  });

  it('refuses an order beyond the available stock, leaving stock untouched', () => {
    const { sandbox, sku } = seededShop();
    expect(() => sandbox.placeOrder({ items: [{ skuId: sku.id, quantity: 11 }] })).toThrow(
      TikTokSandboxError,
    );
    expect(() => sandbox.placeOrder({ items: [{ skuId: sku.id }], shippingFee: '3,50' })).toThrow(
      /decimal string/,
    );
    expect(sandbox.stockOf(sku.id)).toBe(10);
    expect(sandbox.listOrders()).toEqual([]);
  });

  it('moves a TikTok-shipped order from payment to delivery through the API and the carrier', async () => {
    const { sandbox, call, sku } = seededShop();
    const order = sandbox.placeOrder({ items: [{ skuId: sku.id }] });
    sandbox.clock.advance(60_000);
    const paid = sandbox.payOrder(order.id);
    expect(paid).toMatchObject({ status: 'AWAITING_SHIPMENT', paidTime: START_S + 60 });
    const packageId = paid.packageIds[0]!;

    const detail = await call('GET', '/order/202309/orders', { query: { ids: order.id } });
    expect(detail.json.data.orders[0]).toMatchObject({
      status: 'AWAITING_SHIPMENT',
      paid_time: START_S + 60,
      packages: [{ id: packageId }],
      recipient_address: expect.objectContaining({ region_code: 'GB' }),
    });
    expect(detail.json.data.orders[0].line_items[0]).toMatchObject({
      package_id: packageId,
      package_status: 'TO_FULFILL',
    });

    const shipped = await call('POST', `/fulfillment/202309/packages/${packageId}/ship`, {
      body: { handover_method: 'DROP_OFF' },
    });
    expect(shipped.json.code).toBe(0);
    expect(sandbox.getOrder(order.id)?.status).toBe('AWAITING_COLLECTION');
    const again = await call('POST', `/fulfillment/202309/packages/${packageId}/ship`, { body: {} });
    expect(again.json.code).toBe(21001002);

    const label = await call('GET', `/fulfillment/202309/packages/${packageId}/shipping_documents`, {
      query: { document_type: 'SHIPPING_LABEL' },
    });
    expect(label.json.data).toMatchObject({
      doc_url: expect.stringMatching(/^https:/),
      tracking_number: expect.any(String),
    });

    sandbox.clock.advance(60_000);
    sandbox.shipOrder(order.id);
    expect(sandbox.getPackage(packageId)?.status).toBe('FULFILLING');
    sandbox.deliverOrder(order.id);
    sandbox.completeOrder(order.id);
    const pkg = await call('GET', `/fulfillment/202309/packages/${packageId}`);
    expect(pkg.json.data).toMatchObject({
      package_id: packageId,
      package_status: 'COMPLETED',
      handover_method: 'DROP_OFF',
      orders: [{ id: order.id }],
    });
    const tracking = await call('GET', `/fulfillment/202309/orders/${order.id}/tracking`);
    const times = tracking.json.data.tracking.map(
      (event: { update_time_millis: number }) => event.update_time_millis,
    );
    expect(times[0]).toBe((START_S + 120) * 1000);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(
      (await call('GET', '/order/202309/orders', { query: { ids: order.id } })).json.data.orders[0].status,
    ).toBe('COMPLETED');
  });

  it('ships a seller-shipped GB order by marking line items shipped, partly then fully', async () => {
    const { sandbox, call, sku } = seededShop();
    const order = sandbox.placeOrder({ items: [{ skuId: sku.id, quantity: 2 }], shippingType: 'SELLER' });
    const paid = sandbox.payOrder(order.id);
    expect(paid.packageIds).toEqual([]);
    const [first, second] = paid.lineItems;
    const path = `/fulfillment/202309/orders/${order.id}/packages`;

    const partial = await call('POST', path, {
      body: { order_line_item_ids: [first!.id], shipping_provider_id: ROYAL_MAIL, tracking_number: 'RM1' },
    });
    expect(partial.json.data).toEqual({
      order_id: order.id,
      order_line_item_ids: [first!.id],
      package_id: expect.any(String),
    });
    expect(sandbox.getOrder(order.id)?.status).toBe('PARTIALLY_SHIPPING');

    const twice = await call('POST', path, {
      body: { order_line_item_ids: [first!.id], shipping_provider_id: ROYAL_MAIL, tracking_number: 'RM1' },
    });
    expect(twice.json.code).toBe(21001003);
    const unknownCarrier = await call('POST', path, {
      body: { order_line_item_ids: [second!.id], shipping_provider_id: '1', tracking_number: 'X' },
    });
    expect(unknownCarrier.json.code).toBe(21001004);

    await call('POST', path, {
      body: { order_line_item_ids: [second!.id], shipping_provider_id: ROYAL_MAIL, tracking_number: 'RM2' },
    });
    const shown = (await call('GET', '/order/202309/orders', { query: { ids: order.id } })).json.data
      .orders[0];
    expect(shown.status).toBe('IN_TRANSIT');
    expect(shown.line_items.map((item: { tracking_number: string }) => item.tracking_number)).toEqual([
      'RM1',
      'RM2',
    ]);
  });

  it('corrects seller tracking within 72 hours of shipping only', async () => {
    const { sandbox, call, sku } = seededShop();
    const order = sandbox.placeOrder({ items: [{ skuId: sku.id }], shippingType: 'SELLER' });
    sandbox.payOrder(order.id);
    sandbox.shipOrder(order.id, { trackingNumber: 'OLD' });
    const path = `/fulfillment/202309/orders/${order.id}/shipping_info/update`;
    const fixed = await call('POST', path, {
      body: { tracking_number: 'NEW', shipping_provider_id: ROYAL_MAIL },
    });
    expect(fixed.json.code).toBe(0);
    expect(sandbox.getOrder(order.id)?.lineItems[0]?.trackingNumber).toBe('NEW');
    sandbox.clock.advance(72 * 60 * 60 * 1000 + 1000);
    const late = await call('POST', path, {
      body: { tracking_number: 'LATE', shipping_provider_id: ROYAL_MAIL },
    });
    expect(late.json.code).toBe(21001005);
  });

  it('batch-ships packages and reports the ones it cannot ship in data.errors[]', async () => {
    const { sandbox, call, sku } = seededShop();
    const order = sandbox.placeOrder({ items: [{ skuId: sku.id }] });
    const packageId = sandbox.payOrder(order.id).packageIds[0]!;
    const response = await call('POST', '/fulfillment/202309/packages/ship', {
      body: { packages: [{ id: packageId, handover_method: 'PICKUP' }, { id: '77' }] },
    });
    expect(response.json.code).toBe(0);
    expect(response.json.data.errors).toEqual([
      expect.objectContaining({ code: 21001001, detail: { package_id: '77' } }),
    ]);
    expect(sandbox.getPackage(packageId)?.status).toBe('PROCESSING');
  });
});

describe('TikTok order search and detail limits', () => {
  it('pages orders with page tokens, sorted by update_time ascending when asked', async () => {
    const { sandbox, call, sku } = seededShop();
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      ids.push(sandbox.placeOrder({ items: [{ skuId: sku.id }] }).id);
      sandbox.clock.advance(1000);
    }
    sandbox.payOrder(ids[0]!);
    const seen: string[] = [];
    let token = '';
    do {
      const response = await call('POST', '/order/202309/orders/search', {
        query: {
          page_size: '2',
          sort_field: 'update_time',
          sort_order: 'ASC',
          ...(token ? { page_token: token } : {}),
        },
        body: { update_time_ge: START_S },
      });
      expect(response.json.data.total_count).toBe(5);
      seen.push(...response.json.data.orders.map((order: { id: string }) => order.id));
      token = response.json.data.next_page_token;
    } while (token);
    expect(seen).toEqual([...ids.slice(1), ids[0]]);

    const filtered = await call('POST', '/order/202309/orders/search', {
      query: { page_size: '100' },
      body: { order_status: 'AWAITING_SHIPMENT' },
    });
    expect(filtered.json.data.orders.map((order: { id: string }) => order.id)).toEqual([ids[0]]);
    const tooBig = await call('POST', '/order/202309/orders/search', { query: { page_size: '101' } });
    expect(tooBig.json.code).toBe(36009004);
    const badStatus = await call('POST', '/order/202309/orders/search', {
      query: { page_size: '10' },
      body: { order_status: 'SHIPPED' },
    });
    expect(badStatus.json).toMatchObject({
      code: 36009004,
      message: expect.stringContaining('order_status'),
    });
  });

  it('takes up to 50 comma-joined ids in Get Order Detail', async () => {
    const { sandbox, call, sku } = seededShop();
    sandbox.setStock(sku.id, 100);
    const ids = Array.from({ length: 51 }, () => sandbox.placeOrder({ items: [{ skuId: sku.id }] }).id);
    const fifty = await call('GET', '/order/202309/orders', { query: { ids: ids.slice(0, 50).join(',') } });
    expect(fifty.json.data.orders).toHaveLength(50);
    const fiftyOne = await call('GET', '/order/202309/orders', { query: { ids: ids.join(',') } });
    expect(fiftyOne.json).toMatchObject({ code: 36009004, message: expect.stringContaining('50') });
    const none = await call('GET', '/order/202309/orders');
    expect(none.json.message).toBe('ids is required');
  });

  it('pages packages with page_size capped at 50', async () => {
    const { sandbox, call } = seededShop();
    const response = await call('POST', '/fulfillment/202309/packages/search', {
      query: { page_size: '51' },
    });
    expect(response.json.code).toBe(36009004);
    expect(
      (await call('POST', '/fulfillment/202309/packages/search', { query: { page_size: '50' } })).json.code,
    ).toBe(0);
    expect(sandbox.listPackages()).toEqual([]);
  });
});

describe('TikTok cancellations', () => {
  it('lets the seller cancel an unshipped order through the API, returning stock', async () => {
    const { sandbox, call, sku } = seededShop();
    const order = sandbox.placeOrder({ items: [{ skuId: sku.id, quantity: 3 }] });
    sandbox.payOrder(order.id);
    const response = await call('POST', '/return_refund/202309/cancellations', {
      body: { order_id: order.id, cancel_reason: 'Out of stock' },
    });
    expect(response.json.data).toEqual({
      cancel_id: expect.any(String),
      cancel_status: 'CANCELLATION_REQUEST_SUCCESS',
    });
    expect(sandbox.stockOf(sku.id)).toBe(10);
    expect(sandbox.getOrder(order.id)?.cancellationInitiator).toBe('SELLER');

    const shippedOrder = sandbox.placeOrder({ items: [{ skuId: sku.id }] });
    sandbox.payOrder(shippedOrder.id);
    sandbox.shipOrder(shippedOrder.id);
    const late = await call('POST', '/return_refund/202309/cancellations', {
      body: { order_id: shippedOrder.id, cancel_reason: 'Too late' },
    });
    expect(late.json.code).toBe(25001002);
  });

  it("approves or rejects a buyer's cancellation request", async () => {
    const { sandbox, call, sku } = seededShop();
    const approved = sandbox.placeOrder({ items: [{ skuId: sku.id }] });
    const rejected = sandbox.placeOrder({ items: [{ skuId: sku.id }] });
    const first = sandbox.requestCancellation(approved.id);
    const second = sandbox.requestCancellation(rejected.id);
    const pending = await call('POST', '/return_refund/202309/cancellations/search', {
      query: { page_size: '10' },
      body: { cancel_status: ['CANCELLATION_REQUEST_PENDING'] },
    });
    expect(
      pending.json.data.cancellations.map((entry: { cancel_id: string }) => entry.cancel_id).sort(),
    ).toEqual([first.id, second.id].sort());

    await call('POST', `/return_refund/202309/cancellations/${first.id}/approve`);
    await call('POST', `/return_refund/202309/cancellations/${second.id}/reject`, {
      body: { reject_reason: 'seller_reject_apply_product_has_been_packed' },
    });
    expect(sandbox.getOrder(approved.id)?.status).toBe('CANCELLED');
    expect(sandbox.getOrder(rejected.id)).toMatchObject({ status: 'UNPAID', isBuyerRequestCancel: false });
    expect(sandbox.stockOf(sku.id)).toBe(9);
    const twice = await call('POST', `/return_refund/202309/cancellations/${first.id}/approve`);
    expect(twice.json.code).toBe(25001002);
  });
});
