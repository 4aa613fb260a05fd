import { type Clock, MemoryTokenStore, NotFoundError, OrderProceeds, ValidationError } from '@mlh/core';
import { createSandboxClock, createTikTokSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTikTokShop } from '../src/index';

/**
 * Net proceeds of settled TikTok orders and the shop's statements, against the sandbox
 * (6 % commission, R$ 4.00 per item sold in Brazil; one statement per day at 00:00 UTC).
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const HOUR = 3_600_000;

async function setup() {
  const clock = createSandboxClock({ start: Date.UTC(2026, 0, 5, 12), frozen: true });
  const sandbox = createTikTokSandbox({ clock });
  server.use(...sandbox.handlers);
  const shared: Clock = { now: () => clock.now(), sleep: () => new Promise(() => {}) };
  const tiktok = createTikTokShop({
    appKey: sandbox.app.appKey,
    appSecret: sandbox.app.appSecret,
    serviceId: sandbox.app.serviceId,
    tokenStore: new MemoryTokenStore(),
    clock: shared,
  });
  const shop = sandbox.addShop({ region: 'BR', sellerType: 'LOCAL' });
  await tiktok.exchangeCode(sandbox.authorize({ shopId: shop.id }).code);
  const product = sandbox.addProduct({
    shopId: shop.id,
    skus: [
      { sellerSku: 'BOTTLE-BLUE', price: '49.90', stock: 5 },
      { sellerSku: 'LID', price: '10.10', stock: 5 },
    ],
  });
  const [bottle, lid] = product.skus.map((sku) => sku.id) as [string, string];
  // Two bottles and a lid, R$ 12.00 shipping paid by the buyer.
  const order = sandbox.placeOrder({
    items: [
      { skuId: bottle, quantity: 2 },
      { skuId: lid, quantity: 1 },
    ],
    shippingFee: '12.00',
  });
  sandbox.payOrder(order.id);
  const client = tiktok.forAccount(shop.id);
  const complete = () => {
    sandbox.shipOrder(order.id);
    sandbox.deliverOrder(order.id);
    sandbox.completeOrder(order.id);
  };
  return { sandbox, clock, client, order, complete };
}

describe('TikTok Shop net proceeds', () => {
  it('has none before the order settles: NotFoundError not_settled, until the statement at midnight UTC', async () => {
    const { client, order, complete, clock } = await setup();
    const early = await client.getOrderProceeds(order.id).catch((error: unknown) => error);
    expect(early).toBeInstanceOf(NotFoundError);
    expect(early).toMatchObject({ code: 'not_settled', marketplace: 'tiktok' });

    complete();
    await expect(client.getOrderProceeds(order.id)).rejects.toMatchObject({ code: 'not_settled' });
    clock.advance(12 * HOUR);
    await expect(client.getOrderProceeds(order.id)).resolves.toMatchObject({ status: 'settled' });
  });

  it('adds the signed breakdown fields of every SKU row up to the settlement, in line with the order', async () => {
    const { client, order, complete, clock } = await setup();
    complete();
    clock.advance(12 * HOUR);

    const proceeds = await client.getOrderProceeds(order.id);

    expect(proceeds).toMatchObject({
      marketplace: 'tiktok',
      orderExternalId: order.id,
      currency: 'BRL',
      gross: { amount: '109.90', currency: 'BRL' },
      net: { amount: '91.30', currency: 'BRL' },
      reportedNet: { amount: '91.30', currency: 'BRL' },
      balanced: true,
      mismatches: [],
      status: 'settled',
    });
    // 6 % of 99.80 is 5.99 and of 10.10 is 0.61: one commission line of both rows.
    expect(proceeds.lines.map((line) => [line.kind, line.label, line.amount.amount])).toEqual([
      ['shipping', 'actual_shipping_fee_amount', '-12.00'],
      ['shipping', 'customer_paid_shipping_fee_amount', '12.00'],
      ['commission', 'platform_commission_amount', '-6.60'],
      ['service_fee', 'fee_per_item_sold_amount', '-12.00'],
    ]);
    expect(proceeds.lines[2]?.rawKey).toBe(
      'sku_transactions[].fee_tax_breakdown.fee.platform_commission_amount',
    );
    expect(OrderProceeds.safeParse(proceeds).success).toBe(true);
    const detail = await client.getOrder(order.id);
    expect(detail.subtotal.amount).toBe(proceeds.gross.amount);
  });

  it('counts a fee field it has never seen under its own name', async () => {
    const { sandbox, client, order, complete, clock } = await setup();
    sandbox.chargeFinanceFee(order.id, { key: 'gmv_max_ad_fee_amount', amount: '-3.00', itemised: true });
    complete();
    clock.advance(12 * HOUR);

    const proceeds = await client.getOrderProceeds(order.id);

    expect(proceeds.lines).toContainEqual({
      kind: 'service_fee',
      label: 'gmv_max_ad_fee_amount',
      amount: { amount: '-3.00', currency: 'BRL' },
      rawKey: 'sku_transactions[].fee_tax_breakdown.fee.gmv_max_ad_fee_amount',
    });
    expect(proceeds.net.amount).toBe('88.30');
    expect(proceeds.balanced).toBe(true);
  });

  it('reports a fee counted in the totals but missing from the breakdown as mismatches', async () => {
    const { sandbox, client, order, complete, clock } = await setup();
    sandbox.chargeFinanceFee(order.id, { key: 'unlisted', amount: '-1.50', itemised: false });
    complete();
    clock.advance(12 * HOUR);

    const proceeds = await client.getOrderProceeds(order.id);

    expect(proceeds.balanced).toBe(false);
    expect(proceeds.net.amount).toBe('91.30');
    expect(
      proceeds.mismatches.map((m) => [m.subject, m.reported.amount, m.computed.amount, m.difference.amount]),
    ).toEqual([
      ['net', '89.80', '91.30', '-1.50'],
      ['fee_and_tax_amount', '-20.10', '-18.60', '-1.50'],
    ]);
  });

  it('lists the daily statement, processing until it is paid the next day', async () => {
    const { client, complete, clock } = await setup();
    complete();
    clock.advance(12 * HOUR);

    const first = [];
    for await (const statement of client.listStatements({ since: Date.UTC(2026, 0, 1) }))
      first.push(statement);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      statementTime: '2026-01-06T00:00:00.000Z',
      currency: 'BRL',
      revenue: { amount: '109.90', currency: 'BRL' },
      fees: { amount: '-18.60', currency: 'BRL' },
      settlement: { amount: '91.30', currency: 'BRL' },
      paymentStatus: 'PROCESSING',
    });

    clock.advance(24 * HOUR);
    const paid = [];
    for await (const statement of client.listStatements({ paymentStatus: 'PAID' })) paid.push(statement);
    expect(paid.map((statement) => [statement.id, statement.paymentStatus])).toEqual([
      [first[0]?.id, 'PAID'],
    ]);

    const none = [];
    for await (const statement of client.listStatements({ since: Date.UTC(2026, 0, 7) }))
      none.push(statement);
    expect(none).toEqual([]);
  });

  it('refuses an order id that is not TikTok digits before any request', async () => {
    const { client, sandbox } = await setup();
    const before = sandbox.stats().requests;
    await expect(client.getOrderProceeds('../statements')).rejects.toBeInstanceOf(ValidationError);
    expect(sandbox.stats().requests).toBe(before);
  });
});
