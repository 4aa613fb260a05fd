import { describe, expect, it } from 'vitest';
import { type App, call, START_S, useShopeeSandbox } from './shopee-helpers';

const DAY = 24 * 60 * 60;

describe('Shopee orders and logistics', () => {
  const { sandbox, app } = useShopeeSandbox();

  function seedShirt(a: App) {
    return sandbox.addItem({
      shopId: a.shopId,
      name: 'Cotton T-shirt',
      tierVariation: [{ name: 'Size', options: ['M', 'L'] }],
      models: [
        { tierIndex: [0], sku: 'TS-M', price: '19.90', stock: 5 },
        { tierIndex: [1], sku: 'TS-L', price: '21.50', stock: 2 },
      ],
    });
  }

  async function paidOrder(a: App, quantity = 1, channel?: number) {
    const shirt = seedShirt(a);
    const order = await sandbox.placeOrder({
      shopId: a.shopId,
      items: [{ itemId: shirt.itemId, modelId: shirt.models[0]!.modelId, quantity }],
      shippingFee: '1.99',
      ...(channel === undefined ? {} : { logisticsChannelId: channel }),
    });
    await sandbox.payOrder(order.orderSn);
    return { shirt, orderSn: order.orderSn };
  }

  const listQuery = (extra: Record<string, string | number> = {}) => ({
    time_range_field: 'create_time',
    time_from: START_S - DAY,
    time_to: START_S + DAY,
    page_size: 100,
    ...extra,
  });

  describe('stock', () => {
    it('placing an order takes stock, cancelling puts it back', async () => {
      const a = app();
      const shirt = seedShirt(a);
      const order = await sandbox.placeOrder({
        shopId: a.shopId,
        items: [{ itemId: shirt.itemId, modelId: shirt.models[0]!.modelId, quantity: 3 }],
      });
      expect(order.status).toBe('UNPAID');
      expect(sandbox.getItem(shirt.itemId)?.models[0]?.stock).toBe(2);
      await sandbox.cancelOrder(order.orderSn);
      expect(sandbox.getItem(shirt.itemId)?.models[0]?.stock).toBe(5);
      expect(sandbox.getOrder(order.orderSn)).toMatchObject({ status: 'CANCELLED', cancelBy: 'buyer' });
    });

    it('an order for more than the stock is refused and takes nothing', async () => {
      const a = app();
      const shirt = seedShirt(a);
      await expect(
        sandbox.placeOrder({
          shopId: a.shopId,
          items: [
            { itemId: shirt.itemId, modelId: shirt.models[0]!.modelId, quantity: 1 },
            { itemId: shirt.itemId, modelId: shirt.models[1]!.modelId, quantity: 3 },
          ],
        }),
      ).rejects.toThrow(/Not enough stock/);
      expect(sandbox.getItem(shirt.itemId)?.models.map((model) => model.stock)).toEqual([5, 2]);
    });
  });

  describe('get_order_list', () => {
    it('accepts a 15-day window and refuses one a second longer, or reversed', async () => {
      const a = app();
      const ok = await call(sandbox, a, 'GET', '/api/v2/order/get_order_list', {
        query: listQuery({ time_from: START_S - 15 * DAY, time_to: START_S }),
      });
      expect(ok.json.error).toBe('');
      const tooLong = await call(sandbox, a, 'GET', '/api/v2/order/get_order_list', {
        query: listQuery({ time_from: START_S - 15 * DAY - 1, time_to: START_S }),
      });
      expect(tooLong.json.error).toBe('order.order_list_invalid_time');
      const reversed = await call(sandbox, a, 'GET', '/api/v2/order/get_order_list', {
        query: listQuery({ time_from: START_S, time_to: START_S - 10 }),
      });
      expect(reversed.json.error).toBe('order.order_list_invalid_time');
    });

    it('refuses page_size above 100 and requires time_range_field', async () => {
      const a = app();
      const big = await call(sandbox, a, 'GET', '/api/v2/order/get_order_list', {
        query: listQuery({ page_size: 101 }),
      });
      expect(big.json.error).toBe('error_param');
      const query: Record<string, string | number> = listQuery();
      delete query.time_range_field;
      const missing = await call(sandbox, a, 'GET', '/api/v2/order/get_order_list', { query });
      expect(missing.json.message).toContain('time_range_field');
    });

    it('pages with a cursor until more is false', async () => {
      const a = app();
      const item = sandbox.addItem({ shopId: a.shopId, price: 1, stock: 100 });
      const placed: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        sandbox.clock.advance(1000);
        placed.push(
          (await sandbox.placeOrder({ shopId: a.shopId, items: [{ itemId: item.itemId, quantity: 1 }] }))
            .orderSn,
        );
      }
      const seen: string[] = [];
      let cursor = '';
      for (let pageCount = 0; pageCount < 10; pageCount += 1) {
        const result = await call(sandbox, a, 'GET', '/api/v2/order/get_order_list', {
          query: listQuery({ page_size: 2, cursor }),
        });
        seen.push(...result.json.response.order_list.map((order: { order_sn: string }) => order.order_sn));
        if (!result.json.response.more) {
          expect(result.json.response.next_cursor).toBe('');
          break;
        }
        cursor = result.json.response.next_cursor;
      }
      expect(seen).toEqual(placed);
    });

    it('returns order_status in the list only when asked through response_optional_fields', async () => {
      const a = app();
      await paidOrder(a);
      const plain = await call(sandbox, a, 'GET', '/api/v2/order/get_order_list', { query: listQuery() });
      expect(plain.json.response.order_list[0]).not.toHaveProperty('order_status');
      const withStatus = await call(sandbox, a, 'GET', '/api/v2/order/get_order_list', {
        query: listQuery({ response_optional_fields: 'order_status' }),
      });
      expect(withStatus.json.response.order_list[0].order_status).toBe('READY_TO_SHIP');
      const filtered = await call(sandbox, a, 'GET', '/api/v2/order/get_order_list', {
        query: listQuery({ order_status: 'UNPAID' }),
      });
      expect(filtered.json.response.order_list).toEqual([]);
    });
  });

  describe('get_order_detail', () => {
    it('returns only the default fields unless optional ones are requested', async () => {
      const a = app();
      const { orderSn } = await paidOrder(a, 2);
      const plain = await call(sandbox, a, 'GET', '/api/v2/order/get_order_detail', {
        query: { order_sn_list: orderSn },
      });
      const [order] = plain.json.response.order_list;
      expect(Object.keys(order).sort()).toEqual(
        [
          'booking_sn',
          'cod',
          'create_time',
          'currency',
          'days_to_ship',
          'message_to_seller',
          'order_sn',
          'order_status',
          'region',
          'ship_by_date',
          'update_time',
        ].sort(),
      );

      const detailed = await call(sandbox, a, 'GET', '/api/v2/order/get_order_detail', {
        query: {
          order_sn_list: orderSn,
          response_optional_fields: 'total_amount,item_list,pay_time,package_list',
        },
      });
      const [full] = detailed.json.response.order_list;
      expect(full.total_amount).toBe(41.79);
      expect(detailed.text).toContain('"total_amount":41.79');
      expect(full.pay_time).toBe(START_S);
      expect(full.item_list).toEqual([
        expect.objectContaining({
          model_name: 'M',
          model_sku: 'TS-M',
          model_quantity_purchased: 2,
          model_original_price: 19.9,
          model_discounted_price: 19.9,
        }),
      ]);
      expect(full.package_list[0]).toMatchObject({
        logistics_status: 'LOGISTICS_READY',
        logistics_channel_id: 18080,
      });
      expect(full).not.toHaveProperty('recipient_address');
      expect(full).not.toHaveProperty('buyer_username');
    });

    it('returns a Brazilian order’s buyer_cpf_id and invoice_data only when requested, and other markets never', async () => {
      const a = app();
      const br = sandbox.addShop({ region: 'BR' });
      const tokens = sandbox.issueTokens({ partnerId: a.partnerId, shopId: br.shopId });
      const shopApp = { ...a, shopId: br.shopId, accessToken: tokens.accessToken };
      const item = sandbox.addItem({ shopId: br.shopId, price: '29.90', stock: 5 });
      const invoiceData = {
        number: '000123',
        seriesNumber: '1',
        accessKey: '35240112345678000190550010000001231000001234',
        issueDate: START_S,
        totalValue: '29.90',
        productsTotalValue: '29.90',
        taxCode: '',
        status: 'ISSUED',
        pendingReason: '',
      };
      const order = await sandbox.placeOrder({
        shopId: br.shopId,
        items: [{ itemId: item.itemId, quantity: 1 }],
        buyerCpfId: '52998224725',
        invoiceData,
      });
      const read = (fields?: string) =>
        call(sandbox, shopApp, 'GET', '/api/v2/order/get_order_detail', {
          query: { order_sn_list: order.orderSn, ...(fields ? { response_optional_fields: fields } : {}) },
        }).then((result) => result.json.response.order_list[0]);
      const plain = await read();
      expect(plain).not.toHaveProperty('buyer_cpf_id');
      expect(plain).not.toHaveProperty('invoice_data');
      const fiscal = await read('buyer_cpf_id,invoice_data');
      expect(fiscal.buyer_cpf_id).toBe('52998224725');
      expect(fiscal.invoice_data).toMatchObject({
        number: '000123',
        access_key: invoiceData.accessKey,
        total_value: 29.9,
      });

      const { orderSn } = await paidOrder(a);
      const elsewhere = (
        await call(sandbox, a, 'GET', '/api/v2/order/get_order_detail', {
          query: { order_sn_list: orderSn, response_optional_fields: 'buyer_cpf_id,invoice_data' },
        })
      ).json.response.order_list[0];
      expect(elsewhere).not.toHaveProperty('buyer_cpf_id');
      expect(elsewhere).not.toHaveProperty('invoice_data');
    });

    it('takes 1 to 50 order_sn and warns about unknown ones', async () => {
      const a = app();
      const { orderSn } = await paidOrder(a);
      const fifty = [orderSn, ...Array.from({ length: 49 }, (_, index) => `UNKNOWN${index}`)];
      const ok = await call(sandbox, a, 'GET', '/api/v2/order/get_order_detail', {
        query: { order_sn_list: fifty.join(',') },
      });
      expect(ok.json.response.order_list).toHaveLength(1);
      expect(ok.json.warning).toHaveLength(49);
      const tooMany = await call(sandbox, a, 'GET', '/api/v2/order/get_order_detail', {
        query: { order_sn_list: [...fifty, 'ONE_MORE'].join(',') },
      });
      expect(tooMany.json.error).toBe('error_param');
    });
  });

  describe('shipping', () => {
    it('get_shipping_parameter → ship_order (pickup) → PROCESSED with a tracking number and tracking info', async () => {
      const a = app();
      const { orderSn } = await paidOrder(a);
      const params = await call(sandbox, a, 'GET', '/api/v2/logistics/get_shipping_parameter', {
        query: { order_sn: orderSn },
      });
      expect(params.json.response.info_needed).toEqual({
        pickup: ['address_id', 'pickup_time_id'],
        dropoff: [],
      });
      const [address] = params.json.response.pickup.address_list;
      const [slot] = address.time_slot_list;

      const shipmentList = await call(sandbox, a, 'GET', '/api/v2/order/get_shipment_list', {
        query: { page_size: 10 },
      });
      expect(
        shipmentList.json.response.order_list.map((entry: { order_sn: string }) => entry.order_sn),
      ).toEqual([orderSn]);

      const shipped = await call(sandbox, a, 'POST', '/api/v2/logistics/ship_order', {
        body: {
          order_sn: orderSn,
          pickup: { address_id: address.address_id, pickup_time_id: slot.pickup_time_id },
        },
      });
      expect(shipped.json).toMatchObject({ error: '', response: {} });
      expect(sandbox.getOrder(orderSn)?.status).toBe('PROCESSED');

      const tracking = await call(sandbox, a, 'GET', '/api/v2/logistics/get_tracking_number', {
        query: { order_sn: orderSn },
      });
      expect(tracking.json.response.tracking_number).toMatch(/^SPXSG\d{12}$/);

      await sandbox.shipOrder(orderSn);
      await sandbox.deliverOrder(orderSn);
      const info = await call(sandbox, a, 'GET', '/api/v2/logistics/get_tracking_info', {
        query: { order_sn: orderSn },
      });
      expect(info.json.response.logistics_status).toBe('LOGISTICS_DELIVERY_DONE');
      expect(
        info.json.response.tracking_info.map((event: { logistics_status: string }) => event.logistics_status),
      ).toEqual(['DELIVERED', 'PICKED_UP', 'ORDER_CREATED']);
      await sandbox.completeOrder(orderSn);
      expect(sandbox.getOrder(orderSn)?.status).toBe('COMPLETED');
    });

    it('answers the documented errors: one type only, not ready, already shipped, missing pickup fields', async () => {
      const a = app();
      const { orderSn } = await paidOrder(a);
      const both = await call(sandbox, a, 'POST', '/api/v2/logistics/ship_order', {
        body: { order_sn: orderSn, pickup: { address_id: 1 }, dropoff: {} },
      });
      expect(both.json.error).toBe('logistics.ship_order_only_support_one_type');
      const noTime = await call(sandbox, a, 'POST', '/api/v2/logistics/ship_order', {
        body: { order_sn: orderSn, pickup: { address_id: 1 } },
      });
      expect(noTime.json.error).toBe('logistics.ship_order_need_address_pickup_time');
      expect(
        (
          await call(sandbox, a, 'POST', '/api/v2/logistics/ship_order', {
            body: { order_sn: orderSn, dropoff: {} },
          })
        ).json.error,
      ).toBe('');
      const again = await call(sandbox, a, 'POST', '/api/v2/logistics/ship_order', {
        body: { order_sn: orderSn, dropoff: {} },
      });
      expect(again.json.error).toBe('logistics.package_already_shipped');

      const item = sandbox.addItem({ shopId: a.shopId, stock: 1 });
      const unpaid = await sandbox.placeOrder({
        shopId: a.shopId,
        items: [{ itemId: item.itemId, quantity: 1 }],
      });
      const notReady = await call(sandbox, a, 'POST', '/api/v2/logistics/ship_order', {
        body: { order_sn: unpaid.orderSn, dropoff: {} },
      });
      expect(notReady.json).toMatchObject({
        error: 'logistics.ship_order_not_ready_to_ship',
        message: 'logistic status not ready to ship',
      });
    });

    it('a non-integrated channel needs the seller tracking number and goes straight to SHIPPED', async () => {
      const a = app();
      const { orderSn } = await paidOrder(a, 1, 90000);
      const params = await call(sandbox, a, 'GET', '/api/v2/logistics/get_shipping_parameter', {
        query: { order_sn: orderSn },
      });
      expect(params.json.response.info_needed).toEqual({ non_integrated: ['tracking_no'] });
      const missing = await call(sandbox, a, 'POST', '/api/v2/logistics/ship_order', {
        body: { order_sn: orderSn, non_integrated: {} },
      });
      expect(missing.json.error).toBe('logistics.ship_order_need_tracking_number');
      await call(sandbox, a, 'POST', '/api/v2/logistics/ship_order', {
        body: { order_sn: orderSn, non_integrated: { tracking_number: 'AK224200239740W' } },
      });
      expect(sandbox.getOrder(orderSn)).toMatchObject({
        status: 'SHIPPED',
        package: { trackingNumber: 'AK224200239740W', logisticsStatus: 'LOGISTICS_PICKUP_DONE' },
      });
    });
  });

  describe('cancellation', () => {
    it('cancel_order needs item_list for OUT_OF_STOCK, then cancels and restocks', async () => {
      const a = app();
      const { shirt, orderSn } = await paidOrder(a, 2);
      const missing = await call(sandbox, a, 'POST', '/api/v2/order/cancel_order', {
        body: { order_sn: orderSn, cancel_reason: 'OUT_OF_STOCK' },
      });
      expect(missing.json.error).toBe('error_param');
      const result = await call(sandbox, a, 'POST', '/api/v2/order/cancel_order', {
        body: {
          order_sn: orderSn,
          cancel_reason: 'OUT_OF_STOCK',
          item_list: [{ item_id: Number(shirt.itemId), model_id: Number(shirt.models[0]!.modelId) }],
        },
      });
      expect(result.json.response).toEqual({ update_time: START_S });
      expect(sandbox.getOrder(orderSn)).toMatchObject({ status: 'CANCELLED', cancelBy: 'seller' });
      expect(sandbox.getItem(shirt.itemId)?.models[0]?.stock).toBe(5);
    });

    it('a buyer cancellation request can be rejected (back to READY_TO_SHIP) or accepted', async () => {
      const a = app();
      const { orderSn } = await paidOrder(a);
      await sandbox.requestCancellation(orderSn, 'Changed my mind');
      expect(sandbox.getOrder(orderSn)?.status).toBe('IN_CANCEL');
      await call(sandbox, a, 'POST', '/api/v2/order/handle_buyer_cancellation', {
        body: { order_sn: orderSn, operation: 'REJECT' },
      });
      expect(sandbox.getOrder(orderSn)?.status).toBe('READY_TO_SHIP');
      await sandbox.requestCancellation(orderSn, 'Changed my mind');
      await call(sandbox, a, 'POST', '/api/v2/order/handle_buyer_cancellation', {
        body: { order_sn: orderSn, operation: 'ACCEPT' },
      });
      expect(sandbox.getOrder(orderSn)).toMatchObject({ status: 'CANCELLED', cancelBy: 'buyer' });
    });

    it('an order that has shipped cannot be cancelled', async () => {
      const a = app();
      const { orderSn } = await paidOrder(a);
      await sandbox.shipOrder(orderSn);
      await expect(sandbox.cancelOrder(orderSn)).rejects.toThrow(/Cannot cancel/);
      const result = await call(sandbox, a, 'POST', '/api/v2/order/cancel_order', {
        body: { order_sn: orderSn, cancel_reason: 'CUSTOMER_REQUEST' },
      });
      expect(result.json.error).toBe('error_param');
    });
  });
});
