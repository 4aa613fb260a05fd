import { MlhError, NotFoundError, ValidationError } from '@mlh/core';
import { SHOPEE_ORDER_DETAIL_FIELDS, sliceShopeeTimeRange } from '@mlh/shopee';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, fail, fakeShopee, makeShopee, rawJson, rejectionOf, SHOP_ID } from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DAY = 86_400;

const detail = (orderSn: string, status = 'READY_TO_SHIP', extra: Record<string, unknown> = {}) => ({
  order_sn: orderSn,
  region: 'BR',
  currency: 'BRL',
  cod: false,
  order_status: status,
  create_time: 1768000000,
  update_time: 1768000600,
  days_to_ship: 2,
  ship_by_date: 1768172800,
  message_to_seller: '',
  total_amount: 129.7,
  pay_time: 1768000100,
  buyer_user_id: 123,
  buyer_username: 'b****r',
  recipient_address: {
    name: 'Maria Silva',
    phone: '******64',
    full_address: 'Rua A, 10',
    city: 'São Paulo',
    state: 'SP',
    district: '',
    town: 'Centro',
    region: 'BR',
    zipcode: '01000-000',
  },
  item_list: [
    {
      item_id: 1000,
      item_name: 'Tee',
      item_sku: 'TEE',
      model_id: 11,
      model_name: 'M',
      model_sku: 'TEE-M',
      model_quantity_purchased: 2,
      model_original_price: 59.9,
      model_discounted_price: 49.9,
    },
  ],
  package_list: [
    { package_number: `PKG${orderSn}`, logistics_status: 'LOGISTICS_READY', shipping_carrier: 'SPX' },
  ],
  ...extra,
});

describe('15-day windows', () => {
  it('slices a long range into windows of at most 15 days, oldest first', () => {
    expect(sliceShopeeTimeRange(0, 40 * DAY)).toEqual([
      { from: 0, to: 15 * DAY },
      { from: 15 * DAY, to: 30 * DAY },
      { from: 30 * DAY, to: 40 * DAY },
    ]);
    expect(sliceShopeeTimeRange(5, 5)).toEqual([]);
  });

  it('listOrders slices 40 days into three get_order_list windows, pages each by cursor, and deduplicates', async () => {
    const { shopee, clock } = await makeShopee();
    const until = Math.floor(clock.now() / 1000);
    const since = until - 40 * DAY;
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_list': (request) => {
        const from = Number(request.query.get('time_from'));
        const window = Math.round((from - since) / (15 * DAY));
        const cursor = request.query.get('cursor') ?? '';
        if (window === 0 && cursor === '') {
          return { more: true, next_cursor: 'c1', order_list: [{ order_sn: 'A1' }, { order_sn: 'A2' }] };
        }
        if (window === 0) return { more: false, next_cursor: '', order_list: [{ order_sn: 'A3' }] };
        if (window === 1)
          return { more: false, next_cursor: '', order_list: [{ order_sn: 'A3' }, { order_sn: 'B1' }] };
        return { more: false, next_cursor: '', order_list: [{ order_sn: 'C1' }] };
      },
      '/api/v2/order/get_order_detail': (request) => ({
        order_list: (request.query.get('order_sn_list') ?? '').split(',').map((sn) => detail(sn)),
      }),
    });
    const orders = await collect(
      shopee.forShop(SHOP_ID).listOrders({ since: since * 1000, until: until * 1000 }),
    );
    expect(orders.map((order) => order.externalId)).toEqual(['A1', 'A2', 'A3', 'B1', 'C1']);
    const lists = fake.of('/api/v2/order/get_order_list');
    expect(
      lists.map((r) => [Number(r.query.get('time_from')) - since, Number(r.query.get('time_to')) - since]),
    ).toEqual([
      [0, 15 * DAY],
      [0, 15 * DAY],
      [15 * DAY, 30 * DAY],
      [30 * DAY, 40 * DAY],
    ]);
    expect(
      lists.every((r) => Number(r.query.get('time_to')) - Number(r.query.get('time_from')) <= 15 * DAY),
    ).toBe(true);
    expect(lists.map((r) => r.query.get('cursor'))).toEqual([null, 'c1', null, null]);
    expect(lists[0]?.query.get('time_range_field')).toBe('update_time');
    expect(lists[0]?.query.get('page_size')).toBe('100');
  });

  it('stops on a repeated cursor instead of looping', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/order/get_order_list': () => ({ more: true, next_cursor: 'same', order_list: [] }),
    });
    const error = await rejectionOf(
      collect(
        shopee.forShop(SHOP_ID).orders.iterateOrderList({
          timeRangeField: 'create_time',
          timeFrom: 1768000000,
          timeTo: 1768003600,
        }),
      ),
    );
    expect(error).toBeInstanceOf(MlhError);
    expect((error as MlhError).code).toBe('repeated_cursor');
  });

  it('refuses a single call over 15 days', async () => {
    const { shopee } = await makeShopee();
    await expect(
      shopee
        .forShop(SHOP_ID)
        .orders.getOrderList({ timeRangeField: 'create_time', timeFrom: 0, timeTo: 15 * DAY + 1 }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('order detail', () => {
  it('requests the optional fields and reads in batches of 50', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': (request) => ({
        order_list: (request.query.get('order_sn_list') ?? '').split(',').map((sn) => detail(sn)),
      }),
    });
    const sns = Array.from({ length: 120 }, (_, index) => `SN${index}`);
    const orders = await shopee.forShop(SHOP_ID, { market: 'BR' }).getOrders(sns);
    expect(orders).toHaveLength(120);
    const calls = fake.of('/api/v2/order/get_order_detail');
    expect(calls.map((r) => r.query.get('order_sn_list')?.split(',').length)).toEqual([50, 50, 20]);
    const fields = calls[0]?.query.get('response_optional_fields')?.split(',');
    expect(fields).toEqual(
      expect.arrayContaining(['item_list', 'recipient_address', 'total_amount', 'pay_time', 'package_list']),
    );
    // A Brazilian shop also gets the buyer's CPF and the invoice data (for the NF-e).
    expect(fields).toEqual([
      ...SHOPEE_ORDER_DETAIL_FIELDS,
      'buyer_cpf_id',
      'invoice_data',
      'fulfillment_flag',
    ]);
  });

  it('asks other markets for no Brazilian field; learns a Brazilian shop from its first order and asks again once', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': (request) => ({
        order_list: (request.query.get('order_sn_list') ?? '').split(',').map((sn) => detail(sn)),
      }),
    });
    const fieldsOf = () =>
      fake
        .of('/api/v2/order/get_order_detail')
        .map((r) => r.query.get('response_optional_fields')?.split(','));
    await shopee.forShop(SHOP_ID, { market: 'SG' }).getOrder('A1');
    expect(fieldsOf()).toEqual([[...SHOPEE_ORDER_DETAIL_FIELDS]]);
    const client = shopee.forShop(SHOP_ID);
    await client.getOrder('A2');
    await client.getOrder('A3');
    expect(fieldsOf().slice(1)).toEqual([
      [...SHOPEE_ORDER_DETAIL_FIELDS],
      [...SHOPEE_ORDER_DETAIL_FIELDS, 'buyer_cpf_id', 'invoice_data', 'fulfillment_flag'],
      [...SHOPEE_ORDER_DETAIL_FIELDS, 'buyer_cpf_id', 'invoice_data', 'fulfillment_flag'],
    ]);
  });

  it('maps an order: lines at the discounted price, exact totals, masked values left out, packages as shipments', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/order/get_order_detail': () => ({ order_list: [detail('240409ABC123XY')] }),
    });
    const order = await shopee.forShop(SHOP_ID).getOrder('240409ABC123XY');
    expect(order).toMatchObject({
      externalId: '240409ABC123XY',
      marketplace: 'shopee',
      accountId: SHOP_ID,
      status: 'paid',
      rawStatus: 'READY_TO_SHIP',
      paymentStatus: 'paid',
      currency: 'BRL',
      items: [
        {
          productExternalId: '1000',
          variantExternalId: '11',
          sku: 'TEE-M',
          quantity: 2,
          unitPrice: { amount: '49.90', currency: 'BRL' },
          total: { amount: '99.80', currency: 'BRL' },
        },
      ],
      subtotal: { amount: '99.80', currency: 'BRL' },
      shippingCost: { amount: '29.90', currency: 'BRL' },
      total: { amount: '129.70', currency: 'BRL' },
      buyer: { id: '123' },
      shippingAddress: { name: 'Maria Silva', city: 'São Paulo', postalCode: '01000-000', country: 'BR' },
      shipmentIds: ['240409ABC123XY:PKG240409ABC123XY'],
      paidAt: '2026-01-09T23:08:20.000Z',
    });
    expect(order.buyer.nickname).toBeUndefined();
    expect(order.shippingAddress?.phone).toBeUndefined();
  });

  it('keeps ids beyond 2^53 exact', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/order/get_order_detail': () =>
        rawJson(
          '{"request_id":"r","error":"","message":"","response":{"order_list":[{"order_sn":"BIG1","currency":"BRL","order_status":"COMPLETED","create_time":1768000000,"update_time":1768000600,"total_amount":10,"item_list":[{"item_id":9007199254740993,"model_id":9007199254740995,"model_quantity_purchased":1,"model_original_price":10,"model_discounted_price":10,"promotion_group_id":1051400341536827267}]}]}}',
        ),
    });
    const order = await shopee.forShop(SHOP_ID).getOrder('BIG1');
    expect(order.items[0]).toMatchObject({
      productExternalId: '9007199254740993',
      variantExternalId: '9007199254740995',
    });
    const raw = order.raw as { item_list: { promotion_group_id: string }[] };
    expect(raw.item_list[0]?.promotion_group_id).toBe('1051400341536827267');
  });

  it('an unknown order is NotFoundError; getOrders omits it', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/order/get_order_detail': () => ({ order_list: [] }),
    });
    const client = shopee.forShop(SHOP_ID);
    await expect(client.getOrder('NOPE')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.getOrders(['NOPE'])).resolves.toEqual([]);
  });

  it('asks the INVOICE_PENDING list about a Brazilian order without an invoice, but not about one Shopee fulfils (Shopee issues its NF-e)', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': (request) => ({
        order_list: (request.query.get('order_sn_list') ?? '').split(',').map((sn) =>
          detail(sn, 'READY_TO_SHIP', {
            invoice_data: {},
            fulfillment_flag: sn.startsWith('FBS') ? 'fulfilled_by_shopee' : 'fulfilled_by_local_seller',
          }),
        ),
      }),
      '/api/v2/order/get_order_list': () => ({ more: false, order_list: [{ order_sn: 'SELLER1' }] }),
    });
    const client = shopee.forShop(SHOP_ID, { market: 'BR' });
    expect((await client.getOrder('FBS1')).fiscal?.invoice).toEqual({ status: 'not_required' });
    expect(fake.of('/api/v2/order/get_order_list')).toHaveLength(0);

    const [seller, byShopee] = await client.getOrders(['SELLER1', 'FBS2']);
    expect(seller?.fiscal?.invoice).toEqual({ status: 'required', rawStatus: 'INVOICE_PENDING' });
    expect(byShopee?.fiscal?.invoice).toEqual({ status: 'not_required' });
    const lists = fake.of('/api/v2/order/get_order_list');
    expect(lists).toHaveLength(1);
    expect(lists[0]?.query.get('order_status')).toBe('INVOICE_PENDING');
  });

  describe('who issues the NF-e (sellerIssuesInvoices)', () => {
    const uninvoiced = (request: { query: URLSearchParams }) => ({
      order_list: (request.query.get('order_sn_list') ?? '')
        .split(',')
        .map((sn) => detail(sn, 'READY_TO_SHIP', { invoice_data: {} })),
    });
    const pendingList = () => ({ more: false, order_list: [{ order_sn: 'SELLER1' }] });

    it('skips the INVOICE_PENDING look-up for a shop whose notes Shopee issues, reading its profile once', async () => {
      const { shopee } = await makeShopee();
      const fake = fakeShopee(server, {
        '/api/v2/order/get_order_detail': uninvoiced,
        '/api/v2/order/get_order_list': pendingList,
        '/api/v2/shop/get_profile': () => ({ shop_name: 'Loja', invoice_issuer: 'Shopee' }),
      });
      expect((await shopee.forShop(SHOP_ID, { market: 'BR' }).getOrder('SELLER1')).fiscal?.invoice).toEqual({
        status: 'not_required',
      });
      // A client made per request finds the profile in the app's cache.
      await shopee.forShop(SHOP_ID, { market: 'BR' }).getOrder('SELLER2');
      expect(fake.of('/api/v2/shop/get_profile')).toHaveLength(1);
      expect(fake.of('/api/v2/order/get_order_list')).toHaveLength(0);
    });

    it('looks the order up for a shop that issues its own notes, or whose profile names no issuer', async () => {
      for (const profile of [{ invoice_issuer: 'Other' }, { shop_name: 'CPF seller' }]) {
        const { shopee } = await makeShopee();
        const fake = fakeShopee(server, {
          '/api/v2/order/get_order_detail': uninvoiced,
          '/api/v2/order/get_order_list': pendingList,
          '/api/v2/shop/get_profile': () => profile,
        });
        const order = await shopee.forShop(SHOP_ID, { market: 'BR' }).getOrder('SELLER1');
        expect(order.fiscal?.invoice).toEqual({ status: 'required', rawStatus: 'INVOICE_PENDING' });
        expect(fake.of('/api/v2/order/get_order_list')).toHaveLength(1);
      }
    });

    it('keeps a refused profile read as unknown: looks the order up and asks for the profile no more', async () => {
      const { shopee } = await makeShopee();
      const fake = fakeShopee(server, {
        '/api/v2/order/get_order_detail': uninvoiced,
        '/api/v2/order/get_order_list': pendingList,
        '/api/v2/shop/get_profile': () => fail('error_permission', 'No permission.', 403),
      });
      const client = shopee.forShop(SHOP_ID, { market: 'BR' });
      expect((await client.getOrder('SELLER1')).fiscal?.invoice?.status).toBe('required');
      await client.getOrder('SELLER1');
      expect(fake.of('/api/v2/shop/get_profile')).toHaveLength(1);
      expect(fake.of('/api/v2/order/get_order_list')).toHaveLength(2);
    });

    it('follows the option without reading the profile: false never looks up, true always does', async () => {
      const { shopee } = await makeShopee();
      const fake = fakeShopee(server, {
        '/api/v2/order/get_order_detail': uninvoiced,
        '/api/v2/order/get_order_list': pendingList,
        '/api/v2/shop/get_profile': () => ({ invoice_issuer: 'Shopee' }),
      });
      const never = shopee.forShop(SHOP_ID, { market: 'BR', sellerIssuesInvoices: false });
      expect((await never.getOrder('SELLER1')).fiscal?.invoice).toEqual({ status: 'not_required' });
      expect(fake.of('/api/v2/order/get_order_list')).toHaveLength(0);
      const always = shopee.forShop(SHOP_ID, { market: 'BR', sellerIssuesInvoices: true });
      expect((await always.getOrder('SELLER1')).fiscal?.invoice?.status).toBe('required');
      expect(fake.of('/api/v2/order/get_order_list')).toHaveLength(1);
      expect(fake.of('/api/v2/shop/get_profile')).toHaveLength(0);
    });
  });

  it('a status filter skips the detail of orders it excludes (using the list status)', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_list': () => ({
        more: false,
        order_list: [
          { order_sn: 'U1', order_status: 'UNPAID' },
          { order_sn: 'C1', order_status: 'CANCELLED' },
        ],
      }),
      '/api/v2/order/get_order_detail': (request) => ({
        order_list: (request.query.get('order_sn_list') ?? '')
          .split(',')
          .map((sn) => detail(sn, 'CANCELLED')),
      }),
    });
    const orders = await collect(shopee.forShop(SHOP_ID).listOrders({ status: 'cancelled', by: 'created' }));
    expect(orders.map((order) => [order.externalId, order.status, order.paymentStatus])).toEqual([
      ['C1', 'cancelled', 'refunded'],
    ]);
    expect(fake.of('/api/v2/order/get_order_list')[0]?.query.get('response_optional_fields')).toBe(
      'order_status',
    );
    expect(fake.of('/api/v2/order/get_order_list')[0]?.query.get('time_range_field')).toBe('create_time');
    expect(fake.of('/api/v2/order/get_order_detail')[0]?.query.get('order_sn_list')).toBe('C1');
  });
});

describe('cancel', () => {
  it('cancels as out of stock with the order lines by default', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': () => ({ order_list: [detail('A1')] }),
      '/api/v2/order/cancel_order': () => ({ update_time: 1768001000 }),
    });
    await shopee.forShop(SHOP_ID).cancelOrder?.('A1');
    expect(fake.of('/api/v2/order/cancel_order')[0]?.body).toBe(
      '{"order_sn":"A1","cancel_reason":"OUT_OF_STOCK","item_list":[{"item_id":1000,"model_id":11}]}',
    );
  });

  it('takes a Shopee reason, and refuses free text', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, { '/api/v2/order/cancel_order': () => ({ update_time: 1 }) });
    const client = shopee.forShop(SHOP_ID);
    await client.cancelOrder?.('A1', 'customer request');
    expect(fake.received[0]?.body).toBe('{"order_sn":"A1","cancel_reason":"CUSTOMER_REQUEST"}');
    await expect(client.cancelOrder?.('A1', 'changed my mind')).rejects.toBeInstanceOf(ValidationError);
  });
});
