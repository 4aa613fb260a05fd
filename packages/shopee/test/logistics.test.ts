import { ValidationError } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fail, fakeShopee, makeShopee, rejectionOf, SHOP_ID } from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function orderWithPackage(status: string) {
  return {
    order_list: [
      {
        order_sn: '2112132KQ1MK9N',
        currency: 'BRL',
        order_status: 'READY_TO_SHIP',
        create_time: 1768000000,
        update_time: 1768000600,
        item_list: [{ item_id: 1, model_id: 0, model_quantity_purchased: 1, model_original_price: 10 }],
        package_list: [{ package_number: 'OFG1', logistics_status: status, shipping_carrier: 'SPX Express' }],
      },
    ],
  };
}

describe('fulfillOrder', () => {
  it('ships with the seller’s own tracking number through non_integrated', async () => {
    const { shopee } = await makeShopee();
    let shipped = false;
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': () =>
        orderWithPackage(shipped ? 'LOGISTICS_PICKUP_DONE' : 'LOGISTICS_READY'),
      '/api/v2/logistics/ship_order': () => {
        shipped = true;
        return {};
      },
      '/api/v2/logistics/get_tracking_number': () => ({ tracking_number: 'AK224200239740W' }),
      '/api/v2/logistics/get_tracking_info': () => ({
        logistics_status: 'LOGISTICS_PICKUP_DONE',
        tracking_info: [{ update_time: 1768001000, logistics_status: 'PICKED_UP', description: 'picked up' }],
      }),
    });
    const shipment = await shopee
      .forShop(SHOP_ID)
      .fulfillOrder('2112132KQ1MK9N', { method: 'seller', trackingNumber: 'AK224200239740W' });
    expect(fake.of('/api/v2/logistics/ship_order')[0]?.body).toBe(
      '{"order_sn":"2112132KQ1MK9N","package_number":"OFG1","non_integrated":{"tracking_number":"AK224200239740W"}}',
    );
    expect(shipment).toMatchObject({
      externalId: '2112132KQ1MK9N:OFG1',
      orderIds: ['2112132KQ1MK9N'],
      status: 'shipped',
      rawStatus: 'LOGISTICS_PICKUP_DONE',
      trackingNumber: 'AK224200239740W',
      carrier: 'SPX Express',
      mode: 'seller',
    });
  });

  it('arranges a pickup at the pickup address and its recommended slot', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': () => orderWithPackage('LOGISTICS_READY'),
      '/api/v2/logistics/get_shipping_parameter': () => ({
        info_needed: { pickup: ['address_id', 'pickup_time_id'], dropoff: [] },
        pickup: {
          address_list: [
            { address_id: 1, address_flag: ['return_address'], time_slot_list: [{ pickup_time_id: '100' }] },
            {
              address_id: 2826,
              address_flag: ['pickup_address'],
              time_slot_list: [
                { pickup_time_id: '1639472300' },
                { pickup_time_id: 1639472400, flags: ['recommended'] },
              ],
            },
          ],
        },
      }),
      '/api/v2/logistics/ship_order': () => ({}),
      '/api/v2/logistics/get_tracking_number': () => ({ tracking_number: '' }),
    });
    await shopee.forShop(SHOP_ID).fulfillOrder('2112132KQ1MK9N', { method: 'pickup' });
    expect(fake.of('/api/v2/logistics/ship_order')[0]?.body).toBe(
      '{"order_sn":"2112132KQ1MK9N","package_number":"OFG1","pickup":{"address_id":2826,"pickup_time_id":"1639472400"}}',
    );
  });

  it('drops off with an empty object when Shopee needs nothing, choosing it when pickup is not offered', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': () => orderWithPackage('LOGISTICS_READY'),
      '/api/v2/logistics/get_shipping_parameter': () => ({ info_needed: { dropoff: [] } }),
      '/api/v2/logistics/ship_order': () => ({}),
    });
    const shipment = await shopee.forShop(SHOP_ID).fulfillOrder('2112132KQ1MK9N', {});
    expect(JSON.parse(fake.of('/api/v2/logistics/ship_order')[0]?.body ?? '{}')).toEqual({
      order_sn: '2112132KQ1MK9N',
      package_number: 'OFG1',
      dropoff: {},
    });
    expect(shipment.mode).toBe('marketplace');
  });

  it('names what Shopee needs that was not given, without shipping', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': () => orderWithPackage('LOGISTICS_READY'),
      '/api/v2/logistics/get_shipping_parameter': () => ({
        info_needed: { dropoff: ['branch_id', 'tracking_no'] },
      }),
    });
    const error = await rejectionOf(
      shopee.forShop(SHOP_ID).fulfillOrder('2112132KQ1MK9N', { method: 'dropoff' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'marketplaceFields.branchId',
      'trackingNumber',
    ]);
    expect(fake.of('/api/v2/logistics/ship_order')).toHaveLength(0);
  });

  it('is not repeated when ship_order fails with an unknown outcome', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': () => orderWithPackage('LOGISTICS_READY'),
      '/api/v2/logistics/ship_order': () => fail('error_server', 'inner error', 500),
    });
    await rejectionOf(
      shopee.forShop(SHOP_ID).fulfillOrder('2112132KQ1MK9N', { method: 'seller', trackingNumber: 'T1' }),
    );
    expect(fake.of('/api/v2/logistics/ship_order')).toHaveLength(1);
  });
});

describe('getShipment', () => {
  it('reads a delivered package with its tracking number and delivery time', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': () => orderWithPackage('LOGISTICS_DELIVERY_DONE'),
      '/api/v2/logistics/get_tracking_number': () => ({ tracking_number: 'SPX1' }),
      '/api/v2/logistics/get_tracking_info': () => ({
        logistics_status: 'LOGISTICS_DELIVERY_DONE',
        tracking_info: [{ update_time: 1768100000, logistics_status: 'DELIVERED', description: 'delivered' }],
      }),
    });
    const shipment = await shopee.forShop(SHOP_ID).getShipment('2112132KQ1MK9N:OFG1');
    expect(shipment).toMatchObject({
      status: 'delivered',
      trackingNumber: 'SPX1',
      deliveredAt: '2026-01-11T02:53:20.000Z',
    });
    expect(fake.of('/api/v2/logistics/get_tracking_number')[0]?.query.get('package_number')).toBe('OFG1');
  });

  it('a package not yet arranged is ready_to_ship and asks for no tracking number', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_detail': () => orderWithPackage('LOGISTICS_READY'),
    });
    const shipment = await shopee.forShop(SHOP_ID).getShipment('2112132KQ1MK9N');
    expect(shipment).toMatchObject({ externalId: '2112132KQ1MK9N:OFG1', status: 'ready_to_ship' });
    expect(fake.received).toHaveLength(1);
  });
});
