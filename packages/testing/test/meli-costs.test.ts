import { describe, expect, it } from 'vitest';
import { call, useMeliServer, withSeller } from './meli-setup';

const sandbox = useMeliServer();
const FORMAT_NEW = { 'x-format-new': 'true' };

describe('Mercado Livre sale fees and shipment costs', () => {
  it("splits a shipment's cost between the buyer and the seller, summing to the list cost", async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const item = meli.addItem({ price: 62.96, available_quantity: 5 });
    const placed = meli.placeOrder({
      itemId: item.id,
      quantity: 2,
      shippingCost: '5.00',
      sellerShippingCost: '8.19',
    });

    const costs = await call(token, `/shipments/${placed.shipmentId}/costs`, { headers: FORMAT_NEW });
    expect(costs.status).toBe(200);
    expect(costs.body).toMatchObject({
      gross_amount: 13.19,
      receiver: { cost: 5 },
      senders: [{ user_id: item.seller_id, cost: 8.19 }],
    });
    expect(meli.getShipment(placed.shipmentId as number)?.lead_time.list_cost).toBe(13.19);

    const withoutHeader = await call(token, `/shipments/${placed.shipmentId}/costs`);
    expect(withoutHeader.status).toBe(400);
  });

  it("charges the order's marketplace_fee as the items' per-unit sale_fee times the quantity", async () => {
    const meli = sandbox({ behaviour: { saleFeePercent: 17.58 } });
    const { token } = withSeller(meli);
    const item = meli.addItem({ price: 62.96, available_quantity: 5 });
    const placed = meli.placeOrder({ itemId: item.id, quantity: 2 });
    meli.payOrder(placed.orderId);

    const { body } = await call(token, `/orders/${placed.orderId}`);
    expect(body.order_items[0].sale_fee).toBe(11.07);
    expect(body.payments[0].marketplace_fee).toBe(22.14);
  });

  it("rounds the fee once on the order's total when told to, a cent off the per-unit fees", async () => {
    const meli = sandbox({ behaviour: { saleFeePercent: 12, marketplaceFeeFrom: 'order_total' } });
    const { token } = withSeller(meli);
    const item = meli.addItem({ price: 10.05, available_quantity: 5 });
    const placed = meli.placeOrder({ itemId: item.id, quantity: 3 });
    meli.payOrder(placed.orderId);

    const { body } = await call(token, `/orders/${placed.orderId}`);
    expect(body.order_items[0].sale_fee).toBe(1.21);
    expect(body.payments[0].marketplace_fee).toBe(3.62);
  });
});
