import { ValidationError } from '@mlh/core';
import {
  mapShopeeAddress,
  mapShopeeItem,
  mapShopeeItemStatus,
  mapShopeeLogisticsStatus,
  mapShopeeOrder,
  mapShopeeOrderStatus,
  mapShopeePackage,
  mapShopeePaymentStatus,
  parseShopeeShipmentId,
  SHOPEE_ITEM_STATUS,
  SHOPEE_LOGISTICS_STATUS,
  SHOPEE_ORDER_STATUS,
  type ShopeeOrder,
  type ShopeePackage,
  shopeeShipmentId,
} from '@mlh/shopee';
import { describe, expect, it } from 'vitest';

describe('status tables', () => {
  it('order statuses', () => {
    expect(SHOPEE_ORDER_STATUS).toEqual({
      UNPAID: 'pending',
      PENDING: 'pending',
      READY_TO_SHIP: 'paid',
      PROCESSED: 'paid',
      RETRY_SHIP: 'paid',
      INVOICE_PENDING: 'paid',
      IN_CANCEL: 'paid',
      SHIPPED: 'shipped',
      TO_CONFIRM_RECEIVE: 'delivered',
      COMPLETED: 'delivered',
      TO_RETURN: 'delivered',
      CANCELLED: 'cancelled',
    });
    expect(mapShopeeOrderStatus(' cancelled ')).toBe('cancelled');
    expect(mapShopeeOrderStatus('SOMETHING_NEW')).toBe('unknown');
  });

  it('item statuses', () => {
    expect(SHOPEE_ITEM_STATUS).toEqual({
      NORMAL: 'active',
      UNLIST: 'paused',
      REVIEWING: 'inactive',
      BANNED: 'inactive',
      SELLER_DELETE: 'inactive',
      SHOPEE_DELETE: 'inactive',
    });
    expect(mapShopeeItemStatus('SOMETHING_NEW')).toBe('unknown');
  });

  it('package logistics statuses', () => {
    expect(SHOPEE_LOGISTICS_STATUS).toEqual({
      LOGISTICS_NOT_START: 'pending',
      LOGISTICS_PENDING_ARRANGE: 'pending',
      LOGISTICS_READY: 'ready_to_ship',
      LOGISTICS_REQUEST_CREATED: 'ready_to_ship',
      LOGISTICS_PICKUP_RETRY: 'ready_to_ship',
      LOGISTICS_PICKUP_DONE: 'shipped',
      LOGISTICS_DELIVERY_DONE: 'delivered',
      LOGISTICS_DELIVERY_FAILED: 'not_delivered',
      LOGISTICS_LOST: 'not_delivered',
      LOGISTICS_INVALID: 'cancelled',
      LOGISTICS_REQUEST_CANCELED: 'cancelled',
      LOGISTICS_PICKUP_FAILED: 'cancelled',
      LOGISTICS_COD_REJECTED: 'cancelled',
    });
    expect(mapShopeeLogisticsStatus('LOGISTICS_SOMETHING_NEW')).toBe('unknown');
  });

  it('a package with an unlisted or no logistics status is unknown, never a guessed pending', () => {
    const order = {
      order_sn: 'A1',
      order_status: 'READY_TO_SHIP',
      create_time: 1712601591,
      update_time: 1712631591,
      item_list: [],
    } as unknown as ShopeeOrder;
    const unlisted = mapShopeePackage(
      { package_number: 'P1', logistics_status: 'LOGISTICS_SOMETHING_NEW' } as ShopeePackage,
      { order, accountId: '600000' },
    );
    expect([unlisted.status, unlisted.rawStatus]).toEqual(['unknown', 'LOGISTICS_SOMETHING_NEW']);
    const silent = mapShopeePackage(undefined, { order, accountId: '600000' });
    expect([silent.status, silent.rawStatus]).toEqual(['unknown', '']);
  });

  it('payment follows the order status and pay time', () => {
    expect(mapShopeePaymentStatus('UNPAID', undefined)).toBe('pending');
    expect(mapShopeePaymentStatus('CANCELLED', undefined)).toBe('failed');
    expect(mapShopeePaymentStatus('CANCELLED', 1768000000)).toBe('refunded');
    expect(mapShopeePaymentStatus('SHIPPED', 1768000000)).toBe('paid');
  });
});

describe('order mapping', () => {
  const order: ShopeeOrder = {
    order_sn: 'A1',
    currency: 'VND',
    order_status: 'COMPLETED',
    create_time: 1712601591,
    update_time: 1712631591,
    total_amount: 90000,
    item_list: [
      {
        item_id: '1',
        model_id: '0',
        model_quantity_purchased: 2,
        model_original_price: 50000,
        // Bundle-deal lines carry 0: the original price is the one paid.
        model_discounted_price: 0,
      },
    ],
  };

  it('reads a discount when the total is below the lines, keeping subtotal + shipping − discount = total', () => {
    const mapped = mapShopeeOrder(order, '600000');
    expect(mapped.items[0]).toMatchObject({ unitPrice: { amount: '50000' }, total: { amount: '100000' } });
    expect(mapped.items[0]?.variantExternalId).toBeUndefined();
    expect(mapped.subtotal.amount).toBe('100000');
    expect(mapped.shippingCost?.amount).toBe('0');
    expect(mapped.discount?.amount).toBe('10000');
    expect(mapped.total.amount).toBe('90000');
    expect(mapped.status).toBe('delivered');
  });

  it('gives plain data: every object of a mapped order is a plain object, equal to its JSON copy', () => {
    const mapped = mapShopeeOrder(
      {
        ...order,
        region: 'BR',
        currency: 'BRL',
        order_status: 'READY_TO_SHIP',
        total_amount: 95,
        buyer_user_id: '77',
        buyer_cpf_id: '123.456.789-09',
        invoice_data: {},
        item_list: [
          { ...order.item_list![0]!, order_item_id: '9', model_sku: 'SKU-9', model_original_price: 50 },
        ],
      },
      '600000',
      { invoicePending: false },
    );
    const { raw, ...model } = mapped;
    const notPlain: string[] = [];
    const visit = (value: unknown, path: string) => {
      if (typeof value !== 'object' || value === null) return;
      if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) notPlain.push(path);
      for (const [key, inner] of Object.entries(value)) visit(inner, `${path}.${key}`);
    };
    visit(model, 'order');
    expect(notPlain).toEqual([]);
    expect(model.items[0]?.constructor).toBe(Object);
    expect(model).toStrictEqual(JSON.parse(JSON.stringify(model)));
    expect(structuredClone(model)).toStrictEqual(model);
    expect(raw).toBeDefined();
  });

  it('adds decimals exactly (no float noise)', () => {
    const mapped = mapShopeeOrder(
      {
        ...order,
        currency: 'BRL',
        total_amount: 0.6,
        item_list: [
          { item_id: '1', model_quantity_purchased: 1, model_discounted_price: 0.1 },
          { item_id: '2', model_quantity_purchased: 1, model_discounted_price: 0.2 },
        ],
      },
      '600000',
    );
    expect(mapped.subtotal.amount).toBe('0.30');
    expect(mapped.shippingCost?.amount).toBe('0.30');
  });

  it('writes every amount in its currency scale: BRL with 2 decimals, VND and CLP with none', () => {
    const brl = mapShopeeOrder(
      {
        ...order,
        currency: 'BRL',
        total_amount: 64.8,
        item_list: [{ item_id: '1', model_quantity_purchased: 2, model_original_price: 29.9 }],
      },
      '600000',
    );
    expect([
      brl.items[0]?.unitPrice.amount,
      brl.subtotal.amount,
      brl.shippingCost?.amount,
      brl.total.amount,
    ]).toEqual(['29.90', '59.80', '5.00', '64.80']);
    // Shopee's order detail reports no tax: absent, not a zero that looks like data.
    expect(brl.tax).toBeUndefined();
    const clp = mapShopeeOrder({ ...order, currency: 'CLP', total_amount: 100000 }, '600000');
    expect(clp.total.amount).toBe('100000');
  });

  it('an unknown order status is unknown (payment too), with the raw word kept', () => {
    const mapped = mapShopeeOrder({ ...order, order_status: 'AWAITING_SOMETHING_NEW' }, '600000');
    expect(mapped).toMatchObject({
      status: 'unknown',
      paymentStatus: 'unknown',
      rawStatus: 'AWAITING_SOMETHING_NEW',
    });
  });

  it('an order without a currency is refused, not given a made-up one; the shop currency fills in', () => {
    const { currency: _currency, ...bare } = order;
    expect(() => mapShopeeOrder(bare, '600000')).toThrow(ValidationError);
    expect(mapShopeeOrder(bare, '600000', { currency: 'VND' }).total).toEqual({
      amount: '90000',
      currency: 'VND',
    });
  });

  it('keeps the unmasked parts of a partly masked address', () => {
    expect(
      mapShopeeAddress({
        name: 'J****a',
        phone: '******64',
        full_address: '****** 12, Centro, São Paulo, SP',
        city: 'São Paulo',
        state: 'SP',
        district: 'Centro',
        zipcode: '01001***',
        region: 'BR',
      }),
    ).toEqual({
      full: 'Centro, São Paulo, SP',
      neighborhood: 'Centro',
      city: 'São Paulo',
      state: 'SP',
      country: 'BR',
    });
    expect(mapShopeeAddress({ full_address: 'Rua A 1, Centro', region: 'BR' })).toMatchObject({
      line1: 'Rua A 1, Centro',
      full: 'Rua A 1, Centro',
    });
    // Empty parts, spaces around commas, a trailing comma, and nothing left at all.
    expect(mapShopeeAddress({ full_address: ' ,****** 12,, Centro ,SP, ' }).full).toBe('Centro, SP');
    expect(mapShopeeAddress({ full_address: '****** 12' }).full).toBeUndefined();
    expect(mapShopeeAddress({ full_address: '**, ***' })).toEqual({});
  });
});

describe('item mapping without made-up data', () => {
  const item = {
    item_id: '10',
    item_name: 'Mug',
    item_sku: 'MUG',
    item_status: 'NORMAL',
    has_model: true,
  } as const;

  it('refuses an item with models whose model list is missing instead of pricing it at 0', () => {
    expect(() => mapShopeeItem(item, undefined, { currency: 'BRL' })).toThrow(/get_model_list returned none/);
    expect(() => mapShopeeItem(item, { model: [] }, { currency: 'BRL' })).toThrow(ValidationError);
  });

  it('reads prices in the currency scale, and an unknown or missing item status as unknown', () => {
    const simple = {
      ...item,
      has_model: false,
      item_status: 'SOMETHING_NEW',
      price_info: [{ currency: 'BRL', original_price: 29.9 }],
    };
    expect(mapShopeeItem(simple, undefined)).toMatchObject({
      price: { amount: '29.90', currency: 'BRL' },
      status: 'unknown',
      rawStatus: 'SOMETHING_NEW',
    });
    const { item_status: _status, ...statusless } = simple;
    expect(mapShopeeItem(statusless, undefined).status).toBe('unknown');
  });

  it('refuses a price without any currency rather than inventing one', () => {
    const simple = { ...item, has_model: false, price_info: [{ original_price: 10 }] };
    expect(() => mapShopeeItem(simple, undefined)).toThrow(ValidationError);
    expect(mapShopeeItem(simple, undefined, { currency: 'SGD' }).price).toEqual({
      amount: '10.00',
      currency: 'SGD',
    });
  });
});

describe('shipment ids', () => {
  it('join and split order_sn and package_number', () => {
    expect(shopeeShipmentId('A1', 'OFG1')).toBe('A1:OFG1');
    expect(parseShopeeShipmentId('A1:OFG1')).toEqual({ orderSn: 'A1', packageNumber: 'OFG1' });
    expect(parseShopeeShipmentId('A1')).toEqual({ orderSn: 'A1' });
  });
});
