import { OrderProceeds, ValidationError } from '@mlh/core';
import { createMeliSandbox, type MeliSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MeliClient } from '../src/index';
import { connectSandboxSeller, rejectionOf } from './support';

/**
 * Net proceeds against the Mercado Livre sandbox, charging 17.58 % so that the reference's worked
 * example comes out: 2 × 62.96 with R$ 8.19 of seller-paid shipping nets 125.92 − 22.14 − 8.19.
 */

const sandbox = createMeliSandbox({ behaviour: { saleFeePercent: 17.58 } });
const rounded = createMeliSandbox({ behaviour: { saleFeePercent: 12, marketplaceFeeFrom: 'order_total' } });
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function sellerClient(box: MeliSandbox = sandbox): Promise<MeliClient> {
  return connectSandboxSeller(box);
}

describe('Mercado Livre net proceeds', () => {
  it("nets the reference's worked example line by line: items, sale fee per unit, the seller's shipping", async () => {
    const client = await sellerClient();
    const item = sandbox.addItem({ title: 'Garrafa térmica', price: 62.96, available_quantity: 10 });
    const placed = sandbox.placeOrder({ itemId: item.id, quantity: 2, sellerShippingCost: '8.19' });
    sandbox.payOrder(placed.orderId);

    const proceeds = await client.getOrderProceeds(String(placed.orderId));

    expect(proceeds).toMatchObject({
      marketplace: 'meli',
      accountId: client.accountId,
      orderExternalId: String(placed.orderId),
      currency: 'BRL',
      gross: { amount: '125.92', currency: 'BRL' },
      net: { amount: '95.59', currency: 'BRL' },
      balanced: true,
      mismatches: [],
      status: 'confirmed',
      rawStatus: 'paid',
    });
    expect(proceeds.reportedNet).toBeUndefined();
    expect(proceeds.lines).toEqual([
      {
        kind: 'commission',
        label: 'sale_fee',
        amount: { amount: '-22.14', currency: 'BRL' },
        rawKey: 'order_items.0.sale_fee',
      },
      {
        kind: 'shipping',
        label: 'senders.cost',
        amount: { amount: '-8.19', currency: 'BRL' },
        rawKey: 'shipment_costs.senders.0.cost',
      },
    ]);
    expect(OrderProceeds.safeParse(proceeds).success).toBe(true);
    const order = await client.getOrder(String(placed.orderId));
    expect(order.total.amount).toBe(proceeds.gross.amount);
  });

  it('is an estimate before payment: the fee is only final once the payment is approved', async () => {
    const client = await sellerClient();
    const item = sandbox.addItem({ title: 'Caneca', price: 30, available_quantity: 10 });
    const placed = sandbox.placeOrder({ itemId: item.id, quantity: 1 });

    const proceeds = await client.getOrderProceeds(String(placed.orderId));

    expect(proceeds.status).toBe('estimated');
    expect(proceeds.lines.map((line) => [line.label, line.amount.amount])).toEqual([['sale_fee', '-5.27']]);
    expect(proceeds.net.amount).toBe('24.73');
  });

  it("counts a cart's shared shipment once, on the pack's first order", async () => {
    const client = await sellerClient();
    const mug = sandbox.addItem({ title: 'Caneca', price: 30, available_quantity: 10 });
    const plate = sandbox.addItem({ title: 'Prato', price: 45.5, available_quantity: 10 });
    const placed = sandbox.placeOrder({
      items: [{ itemId: mug.id }, { itemId: plate.id }],
      sellerShippingCost: '10.00',
    });
    for (const orderId of placed.orderIds) sandbox.payOrder(orderId);

    const [first, second] = await Promise.all(
      placed.orderIds.map((id) => client.getOrderProceeds(String(id))),
    );

    expect(first?.lines.map((line) => line.label)).toEqual(['sale_fee', 'senders.cost']);
    expect(second?.lines.map((line) => line.label)).toEqual(['sale_fee']);
    // 30.00 − 5.27 − 10.00 and 45.50 − 8.00: the pack nets 75.50 − 13.27 − 10.00.
    expect([first?.net.amount, second?.net.amount]).toEqual(['14.73', '37.50']);
  });

  it("reports a payment's marketplace_fee that the items' sale fees do not add up to", async () => {
    server.use(...rounded.handlers);
    const client = await sellerClient(rounded);
    const item = rounded.addItem({ title: 'Copo', price: 10.05, available_quantity: 10 });
    const placed = rounded.placeOrder({ itemId: item.id, quantity: 3 });
    rounded.payOrder(placed.orderId);

    const proceeds = await client.getOrderProceeds(String(placed.orderId));

    // 12 % of 10.05 is 1.21 per unit (3.63 for three), but of 30.15 once it is 3.62.
    expect(proceeds.net.amount).toBe('26.52');
    expect(proceeds.balanced).toBe(false);
    expect(proceeds.mismatches).toEqual([
      {
        subject: 'marketplace_fee',
        reported: { amount: '-3.62', currency: 'BRL' },
        computed: { amount: '-3.63', currency: 'BRL' },
        difference: { amount: '0.01', currency: 'BRL' },
      },
    ]);
  });

  it('refuses an order id that is not one before any request', async () => {
    const client = await sellerClient();
    const before = sandbox.stats().requests;
    expect(await rejectionOf(client.getOrderProceeds('../users/me'))).toBeInstanceOf(ValidationError);
    expect(sandbox.stats().requests).toBe(before);
  });
});
