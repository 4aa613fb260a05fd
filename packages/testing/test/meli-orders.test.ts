import { describe, expect, it } from 'vitest';
import { MeliSandboxError } from '../src/index';
import { call, useMeliServer, withSeller } from './meli-setup';

const sandbox = useMeliServer();
const SHIPMENT_HEADERS = { 'x-format-new': 'true' };

describe('Mercado Livre sandbox: orders, packs and shipments', () => {
  it('reserves stock on order, counts it sold on payment and gives it back on cancellation', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    const item = meli.addItem({ price: 19.9, available_quantity: 3 });
    const { orderId, shipmentId } = meli.placeOrder({ itemId: item.id, quantity: 3 });
    expect(meli.getItem(item.id)).toMatchObject({
      available_quantity: 0,
      status: 'paused',
      sub_status: ['out_of_stock'],
    });
    expect(() => meli.placeOrder({ itemId: item.id })).toThrow(MeliSandboxError);

    const placed = await call(token, `/orders/${orderId}`);
    expect(placed.body).toMatchObject({
      id: orderId,
      status: 'confirmed',
      date_closed: null,
      total_amount: 59.7,
      paid_amount: 0,
      currency_id: 'BRL',
      shipping: { id: shipmentId },
      seller: { id: seller.id },
      tags: ['not_paid'],
      order_items: [{ item: { id: item.id, variation_id: null }, quantity: 3, unit_price: 19.9 }],
    });

    meli.payOrder(orderId);
    const paid = await call(token, `/orders/${orderId}`);
    expect(paid.body).toMatchObject({ status: 'paid', paid_amount: 59.7, tags: ['paid'] });
    expect(paid.body.date_closed).toMatch(/-03:00$/);
    expect(paid.body.payments[0]).toMatchObject({ status: 'approved', transaction_amount: 59.7 });
    expect(meli.getItem(item.id)).toMatchObject({ available_quantity: 0, sold_quantity: 3 });

    meli.cancelOrder(orderId);
    expect((await call(token, `/orders/${orderId}`)).body).toMatchObject({
      status: 'cancelled',
      cancel_detail: { requested_by: 'buyer' },
      payments: [{ status: 'refunded' }],
    });
    expect(meli.getItem(item.id)).toMatchObject({
      available_quantity: 3,
      sold_quantity: 0,
      status: 'active',
    });
    expect(meli.getShipment(shipmentId as number)?.status).toBe('cancelled');
  });

  it('reserves stock per variation and reports the variation SKU on the order', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const item = meli.addItem({
      variations: [
        {
          attribute_combinations: [{ id: 'SIZE', value_name: 'P' }],
          price: 30,
          available_quantity: 2,
          attributes: [{ id: 'SELLER_SKU', value_name: 'SKU-P' }],
        },
        { attribute_combinations: [{ id: 'SIZE', value_name: 'G' }], price: 30, available_quantity: 4 },
      ],
    });
    const [small, large] = item.variations;
    expect(() => meli.placeOrder({ itemId: item.id })).toThrow(/variationId/);
    const { orderId } = meli.placeOrder({ itemId: item.id, variationId: small?.id as number, quantity: 2 });
    const order = await call(token, `/orders/${orderId}`);
    expect(order.body.order_items[0].item).toMatchObject({
      variation_id: small?.id,
      seller_sku: 'SKU-P',
      variation_attributes: [{ id: 'SIZE', value_name: 'P' }],
    });
    const stored = meli.getItem(item.id);
    expect(stored?.variations.map((variation) => variation.available_quantity)).toEqual([
      0,
      large?.available_quantity,
    ]);
    expect(stored?.available_quantity).toBe(4);
    expect(stored?.status).toBe('active');
  });

  it('puts a cart into one pack with one shipment', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const a = meli.addItem({ price: 10 });
    const b = meli.addItem({ price: 15.5 });
    const placed = meli.placeOrder({ items: [{ itemId: a.id, quantity: 2 }, { itemId: b.id }] });
    expect(placed.orderIds).toHaveLength(2);
    const pack = await call(token, `/packs/${placed.packId}`);
    expect(pack.body).toMatchObject({
      id: placed.packId,
      shipment: { id: placed.shipmentId },
      orders: placed.orderIds.map((id) => ({ id })),
    });
    for (const id of placed.orderIds) meli.payOrder(id);
    expect((await call(token, `/packs/${placed.packId}`)).body.status).toBe('released');
    const order = await call(token, `/orders/${placed.orderIds[1]}`);
    expect(order.body).toMatchObject({
      pack_id: placed.packId,
      tags: ['pack_order', 'paid'],
      total_amount: 15.5,
    });
    const shipment = await call(token, `/shipments/${placed.shipmentId}`, { headers: SHIPMENT_HEADERS });
    expect(shipment.body.declared_value).toBe(35.5);
  });

  it('serves shipments only with x-format-new, without order_id, and hides the address until paid', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const item = meli.addItem();
    const { orderId, shipmentId } = meli.placeOrder({
      itemId: item.id,
      address: { street_name: 'Rua Augusta', street_number: '500' },
    });
    expect((await call(token, `/shipments/${shipmentId}`)).status).toBe(400);
    const pending = await call(token, `/shipments/${shipmentId}`, { headers: SHIPMENT_HEADERS });
    expect(pending.body).toMatchObject({
      status: 'pending',
      substatus: 'waiting_for_payment',
      logistic: { mode: 'me2' },
    });
    expect(pending.body).not.toHaveProperty('order_id');
    expect(pending.body.destination.shipping_address.street_name).toBeNull();

    meli.payOrder(orderId);
    const ready = await call(token, `/shipments/${shipmentId}`, { headers: SHIPMENT_HEADERS });
    expect(ready.body).toMatchObject({ status: 'ready_to_ship', substatus: 'ready_to_print' });
    expect(ready.body.destination.shipping_address.street_name).toBe('Rua Augusta');

    meli.shipOrder(orderId, { trackingNumber: 'OP123BR' });
    meli.deliverOrder(orderId);
    const history = await call(token, `/shipments/${shipmentId}/history`, { headers: SHIPMENT_HEADERS });
    expect(history.body.map((entry: { status: string }) => entry.status)).toEqual([
      'pending',
      'handling',
      'ready_to_ship',
      'shipped',
      'delivered',
    ]);
    const delivered = await call(token, `/shipments/${shipmentId}`, { headers: SHIPMENT_HEADERS });
    expect(delivered.body).toMatchObject({ status: 'delivered', tracking_number: 'OP123BR' });
    expect(delivered.body.status_history.date_delivered).toEqual(expect.any(String));
  });

  it('links orders and shipments through the X-New-Domain endpoints', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const item = meli.addItem();
    const { orderId, shipmentId, packId } = meli.placeOrder({ itemId: item.id });
    const newDomain = { 'x-new-domain': 'true' };
    expect((await call(token, `/orders/${orderId}/shipments`)).status).toBe(400);
    expect(
      (await call(token, `/orders/${orderId}/shipments?hosted=true`, { headers: newDomain })).body,
    ).toEqual([{ id: shipmentId, type: 'forward' }]);
    expect((await call(token, `/orders/${orderId}/shipments`, { headers: newDomain })).body.id).toBe(
      shipmentId,
    );
    expect((await call(token, `/shipments/${shipmentId}/orders`, { headers: newDomain })).body).toEqual([
      expect.objectContaining({ order_id: orderId, pack_id: packId, item_id: item.id }),
    ]);
    const none = meli.addItem({ shipping: { mode: 'not_specified' } });
    const unshipped = meli.placeOrder({ itemId: none.id });
    expect(unshipped.shipmentId).toBeNull();
    expect(
      (await call(token, `/orders/${unshipped.orderId}/shipments?hosted=true`, { headers: newDomain }))
        .status,
    ).toBe(204);
  });

  it('searches orders by seller, status and hour-truncated dates, with a limit cap', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    const item = meli.addItem({ available_quantity: 50 });
    const first = meli.placeOrder({ itemId: item.id });
    meli.clock.advance(2 * 60 * 60 * 1000);
    const second = meli.placeOrder({ itemId: item.id });
    meli.payOrder(second.orderId);
    const third = meli.placeOrder({ itemId: item.id });
    meli.cancelOrder(third.orderId);
    const search = (query: string) => call(token, `/orders/search?seller=${seller.id}&${query}`);

    expect((await call(token, '/orders/search')).status).toBe(400);
    expect((await call(token, '/orders/search?seller=1')).status).toBe(403);
    expect((await search('limit=51')).status).toBe(400);
    // A seller search without order.status leaves the cancelled order out; asking for it finds it.
    const all = await search('sort=date_desc');
    expect(all.body.paging).toEqual({ total: 2, offset: 0, limit: 50 });
    expect(all.body.sort).toEqual({ id: 'date_desc', name: 'Date descending' });
    const paid = await search('order.status=paid');
    expect(paid.body.results.map((order: { id: number }) => order.id)).toEqual([second.orderId]);
    const cancelled = await search('order.status=cancelled');
    expect(cancelled.body.results.map((order: { id: number }) => order.id)).toEqual([third.orderId]);
    // 12:30 truncates to 12:00, so an order created at 12:00 still matches.
    const early = await search(
      `order.date_created.to=${encodeURIComponent('2025-06-02T12:30:00.000-00:00')}`,
    );
    expect(early.body.results.map((order: { id: number }) => order.id)).toEqual([first.orderId]);
    const paged = await search('limit=1&offset=1');
    expect(paged.body.results).toHaveLength(1);
    expect(paged.body.paging).toEqual({ total: 2, offset: 1, limit: 1 });
  });

  it('forgets orders older than twelve months in search, and protects orders from other sellers', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    const other = withSeller(meli);
    const { orderId } = meli.placeOrder({ itemId: meli.addItem().id });
    expect((await call(other.token, `/orders/${orderId}`)).body).toEqual({
      message: 'caller.id.invalid',
      error: 'not_owned_order',
      status: 403,
      cause: [],
    });
    expect((await call(token, '/orders/123')).body.error).toBe('order_not_found');
    meli.clock.advance(366 * 24 * 60 * 60 * 1000);
    expect(
      (await call(meli.issueTokens(seller.id).access_token, `/orders/search?seller=${seller.id}`)).body.paging
        .total,
    ).toBe(0);
  });

  it('lets an ME1 seller report shipping through seller notifications (V2 rules)', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const item = meli.addItem({ shipping: { mode: 'me1' } });
    const { orderId, shipmentId } = meli.placeOrder({ itemId: item.id });
    meli.payOrder(orderId);
    const notify = (body: unknown) =>
      call(token, `/v2/shipments/${shipmentId}/seller_notifications`, { method: 'POST', body });
    const payload = { service_id: 11, comment: 'despachado', date: '2025-06-02T13:03:51.175-03:00' };
    const early = await notify({ payload, status: 'shipped', substatus: 'out_for_delivery' });
    expect(early.status).toBe(400);
    const noZone = await notify({
      payload: { ...payload, date: '2025-06-02T13:03:51' },
      status: 'shipped',
      substatus: null,
    });
    expect(noZone.body.error).toBe('invalid_seller_json_format');
    const shipped = await notify({
      payload,
      tracking_number: 'OP1BR',
      tracking_url: 'https://carrier.example/OP1BR',
      status: 'shipped',
      substatus: null,
    });
    expect(shipped.status).toBe(201);
    expect(meli.getShipment(shipmentId as number)).toMatchObject({
      status: 'shipped',
      tracking_number: 'OP1BR',
    });
    const me2 = meli.placeOrder({ itemId: meli.addItem().id });
    meli.payOrder(me2.orderId);
    const wrongMode = await call(token, `/v2/shipments/${me2.shipmentId}/seller_notifications`, {
      method: 'POST',
      body: { payload, status: 'shipped', substatus: null },
    });
    expect(wrongMode.body.error).toBe('shipment_mode_is_not_me1');
  });

  it('lets a custom-shipping seller mark shipped and delivered with PUT /shipments', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const item = meli.addItem({ shipping: { mode: 'custom' } });
    const { orderId, shipmentId } = meli.placeOrder({ itemId: item.id });
    meli.payOrder(orderId);
    const buyerId = meli.getOrder(orderId)?.buyer.id;
    const put = (body: unknown) =>
      call(token, `/shipments/${shipmentId}`, { method: 'PUT', body, headers: SHIPMENT_HEADERS });
    expect((await put({ status: 'shipped', receiver_id: 1 })).status).toBe(400);
    const shipped = await put({ status: 'shipped', speed: 120, tracking_number: 'T1', receiver_id: buyerId });
    expect(shipped.body).toMatchObject({ status: 'shipped', tracking_number: 'T1' });
    expect((await put({ status: 'delivered', receiver_id: buyerId })).body.status).toBe('delivered');
    expect((await put({ status: 'cancelled', receiver_id: buyerId })).status).toBe(400);
  });

  it('keeps post-sale messages per pack', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    const { orderId, packId } = meli.placeOrder({ itemId: meli.addItem().id });
    const message = meli.sendMessage({ orderId, text: 'Quando chega?' });
    expect((await call(token, `/messages/${message.id}`)).status).toBe(400);
    expect((await call(token, `/messages/${message.id}?tag=post_sale`)).body).toMatchObject({
      id: message.id,
      text: 'Quando chega?',
    });
    const conversation = await call(token, `/messages/packs/${packId}/sellers/${seller.id}?tag=post_sale`);
    expect(conversation.body.messages).toHaveLength(1);
  });
});
