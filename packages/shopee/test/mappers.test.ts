import {
  mapShopeeItemStatus,
  mapShopeeLogisticsStatus,
  mapShopeeOrder,
  mapShopeeOrderStatus,
  mapShopeePaymentStatus,
  parseShopeeShipmentId,
  SHOPEE_ITEM_STATUS,
  SHOPEE_LOGISTICS_STATUS,
  SHOPEE_ORDER_STATUS,
  type ShopeeOrder,
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
    expect(mapShopeeOrderStatus('SOMETHING_NEW')).toBe('pending');
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
    expect(mapShopeeItemStatus('SOMETHING_NEW')).toBe('inactive');
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
    expect(mapShopeeLogisticsStatus('LOGISTICS_SOMETHING_NEW')).toBe('pending');
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
    expect(mapped.shippingCost.amount).toBe('0');
    expect(mapped.discount?.amount).toBe('10000');
    expect(mapped.total.amount).toBe('90000');
    expect(mapped.status).toBe('delivered');
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
    expect(mapped.subtotal.amount).toBe('0.3');
    expect(mapped.shippingCost.amount).toBe('0.3');
  });
});

describe('shipment ids', () => {
  it('join and split order_sn and package_number', () => {
    expect(shopeeShipmentId('A1', 'OFG1')).toBe('A1:OFG1');
    expect(parseShopeeShipmentId('A1:OFG1')).toEqual({ orderSn: 'A1', packageNumber: 'OFG1' });
    expect(parseShopeeShipmentId('A1')).toEqual({ orderSn: 'A1' });
  });
});
