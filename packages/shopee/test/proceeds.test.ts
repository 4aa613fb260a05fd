import { assertProceedsBalanced, NotFoundError, OrderProceeds, ValidationError } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type World, world } from './sandbox-world';
import { rejectionOf } from './support';

/** Net proceeds from Shopee escrows, against the sandbox (14 % commission, 6 % service fee). */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Two units at 59.90 with 15.00 shipping paid by the buyer, paid. */
async function paidOrder(w: World): Promise<string> {
  const lamp = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'LAMP', price: '59.90', stock: 10 });
  const placed = await w.sandbox.placeOrder({
    shopId: Number(w.shopId),
    items: [{ itemId: lamp.itemId, quantity: 2 }],
    shippingFee: '15.00',
  });
  await w.sandbox.payOrder(placed.orderSn);
  return placed.orderSn;
}

async function complete(w: World, orderSn: string): Promise<void> {
  await w.sandbox.shipOrder(orderSn);
  await w.sandbox.deliverOrder(orderSn);
  await w.clock.advance(60_000);
  await w.sandbox.completeOrder(orderSn);
}

describe('Shopee net proceeds', () => {
  it("lists each escrow term under Shopee's name and adds up to the escrow, in line with the order", async () => {
    const w = await world(server);
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);

    const proceeds = await client.getOrderProceeds(orderSn);

    expect(proceeds).toMatchObject({
      marketplace: 'shopee',
      accountId: w.shopId,
      orderExternalId: orderSn,
      currency: 'BRL',
      gross: { amount: '119.80', currency: 'BRL' },
      net: { amount: '95.84', currency: 'BRL' },
      reportedNet: { amount: '95.84', currency: 'BRL' },
      balanced: true,
      mismatches: [],
      status: 'estimated',
      rawStatus: 'READY_TO_SHIP',
    });
    // A Brazilian shop: the fees after Shopee's rebate stand in for the gross fee fields.
    expect(proceeds.lines.map((line) => [line.kind, line.label, line.amount.amount])).toEqual([
      ['shipping', 'buyer_paid_shipping_fee', '15.00'],
      ['shipping', 'actual_shipping_fee', '-15.00'],
      ['service_fee', 'net_service_fee', '-7.19'],
      ['commission', 'net_commission_fee', '-16.77'],
    ]);
    expect(proceeds.lines[3]?.rawKey).toBe('order_income.net_commission_fee');
    expect(OrderProceeds.safeParse(proceeds).success).toBe(true);

    const order = await client.getOrder(orderSn);
    expect(order.subtotal.amount).toBe(proceeds.gross.amount);
    expect(order.total.amount).toBe('134.80');
  });

  it('is settled once the buyer confirms receipt, and the release is listed by its time', async () => {
    const w = await world(server);
    const orderSn = await paidOrder(w);
    const other = await paidOrder(w);
    await complete(w, orderSn);
    const client = w.shopee.forShop(w.shopId);

    const proceeds = await client.getOrderProceeds(orderSn);
    expect(proceeds.status).toBe('settled');
    expect(proceeds.rawStatus).toBe('COMPLETED');

    const releases = [];
    for await (const release of client.listEscrowReleases({ since: w.clock.now() - 40 * 86_400_000 })) {
      releases.push(release);
    }
    expect(releases.map((release) => [release.orderSn, release.payoutAmount])).toEqual([[orderSn, '95.84']]);
    expect(releases[0]?.releasedAt).toBe(new Date(Math.floor(w.clock.now() / 1000) * 1000).toISOString());
    expect(releases.some((release) => release.orderSn === other)).toBe(false);
    // Forty days are read in three 15-day windows.
    expect(w.sandbox.stats().byPath['/api/v2/payment/get_escrow_list']).toBe(3);
  });

  it('lists an adjustment after settlement as its own line, under its reason', async () => {
    const w = await world(server);
    const orderSn = await paidOrder(w);
    await complete(w, orderSn);
    w.sandbox.adjustEscrow(orderSn, { amount: '-5.00', reason: 'Shipping fee adjustment' });

    const proceeds = await w.shopee.forShop(w.shopId).getOrderProceeds(orderSn);

    expect(proceeds.lines.at(-1)).toEqual({
      kind: 'adjustment',
      label: 'Shipping fee adjustment',
      amount: { amount: '-5.00', currency: 'BRL' },
      rawKey: 'order_income.order_adjustment.0.amount',
    });
    expect(proceeds.net.amount).toBe('90.84');
    expect(proceeds.reportedNet?.amount).toBe('90.84');
    expect(proceeds.balanced).toBe(true);
  });

  it('reports a fee Shopee added under a new name as a mismatch, never hiding it', async () => {
    const w = await world(server);
    const orderSn = await paidOrder(w);
    w.sandbox.chargeUnmodelledFee(orderSn, 'seller_growth_fee', '2.50');

    const proceeds = await w.shopee.forShop(w.shopId).getOrderProceeds(orderSn);

    expect(proceeds.balanced).toBe(false);
    expect(proceeds.net.amount).toBe('95.84');
    expect(proceeds.mismatches).toEqual([
      {
        subject: 'net',
        reported: { amount: '93.34', currency: 'BRL' },
        computed: { amount: '95.84', currency: 'BRL' },
        difference: { amount: '-2.50', currency: 'BRL' },
      },
      {
        subject: 'escrow_amount',
        reported: { amount: '93.34', currency: 'BRL' },
        computed: { amount: '95.84', currency: 'BRL' },
        difference: { amount: '-2.50', currency: 'BRL' },
      },
    ]);
    expect((proceeds.raw as { order_income: Record<string, unknown> }).order_income.seller_growth_fee).toBe(
      2.5,
    );
    expect(() => assertProceedsBalanced(proceeds)).toThrow(/difference -2\.50/);
  });

  it('uses the gross fee fields outside Brazil, in whole units where the market has no cents', async () => {
    const w = await world(server, { region: 'ID' });
    const coat = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'COAT', price: '149999', stock: 3 });
    const placed = await w.sandbox.placeOrder({
      shopId: Number(w.shopId),
      items: [{ itemId: coat.itemId, quantity: 1 }],
    });
    await w.sandbox.payOrder(placed.orderSn);

    const proceeds = await w.shopee.forShop(w.shopId).getOrderProceeds(placed.orderSn);

    // 14 % of 149999 = 20999.86 → 21000; 6 % = 8999.94 → 9000.
    expect(proceeds.currency).toBe('IDR');
    expect(proceeds.lines.map((line) => [line.label, line.amount.amount])).toEqual([
      ['service_fee', '-9000'],
      ['commission_fee', '-21000'],
    ]);
    expect(proceeds.net).toEqual({ amount: '119999', currency: 'IDR' });
    expect(proceeds.balanced).toBe(true);
  });

  it('has no proceeds before the buyer pays: the NotFoundError of income_not_found', async () => {
    const w = await world(server);
    const lamp = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'LAMP', price: '59.90', stock: 10 });
    const placed = await w.sandbox.placeOrder({
      shopId: Number(w.shopId),
      items: [{ itemId: lamp.itemId, quantity: 1 }],
    });
    const client = w.shopee.forShop(w.shopId);

    const unpaid = await rejectionOf(client.getOrderProceeds(placed.orderSn));
    expect(unpaid).toBeInstanceOf(NotFoundError);
    expect(unpaid).toMatchObject({ code: 'income_not_found', marketplace: 'shopee' });

    const unknown = await rejectionOf(client.getOrderProceeds('2601019ZZZZZZZ'));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown).toMatchObject({ code: 'order_not_found' });
  });

  it('refuses an order id that is not an order_sn before any request', async () => {
    const w = await world(server);
    const before = w.sandbox.stats().requests;
    const error = await rejectionOf(w.shopee.forShop(w.shopId).getOrderProceeds('../shop'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(w.sandbox.stats().requests).toBe(before);
  });
});
