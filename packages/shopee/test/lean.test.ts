import { money, normalizeProduct, ValidationError } from '@mlh/core';
import {
  createShopee as createFullShopee,
  SHOPEE_CAPABILITIES,
  SHOPEE_RETURNS_CAPABILITIES,
} from '@mlh/shopee';
import { shopeeCategories } from '@mlh/shopee/categories';
import { shopeeEvents } from '@mlh/shopee/events';
import { shopeeInvoices } from '@mlh/shopee/invoices';
import { shopeeLabels } from '@mlh/shopee/labels';
import { createShopee, SHOPEE_LEAN_CAPABILITIES } from '@mlh/shopee/lean';
import { shopeeProceeds } from '@mlh/shopee/proceeds';
import { shopeeRaw } from '@mlh/shopee/raw';
import { shopeeReturns } from '@mlh/shopee/returns';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type World, world } from './sandbox-world';
import { collect, rejectionOf } from './support';

/**
 * `@mlh/shopee/lean`: the client with catalog, inventory, orders and fulfilment only, against the
 * sandbox, next to the full client of the same shop; and modules added through `capabilities`.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const EVERY_MODULE = [
  shopeeRaw,
  shopeeEvents,
  shopeeCategories,
  shopeeLabels,
  shopeeProceeds,
  shopeeInvoices,
  shopeeReturns,
] as const;

/** A lean app over the world's partner, token store and clock (the world authorized the shop). */
function leanApp<const Modules extends readonly (typeof EVERY_MODULE)[number][] = []>(
  w: World,
  capabilities?: Modules,
) {
  const app = createShopee({
    partnerId: w.partnerId,
    partnerKey: w.partnerKey,
    environment: 'sandbox',
    tokenStore: w.store,
    clock: w.clock,
    random: () => 0,
    circuitBreaker: false,
    ...(capabilities ? { capabilities } : {}),
  });
  app.transport.events.on('retry', (event) => {
    void w.clock.advance(event.delayMs);
  });
  return app;
}

/** A paid order of two mugs; returns its order_sn. */
async function paidOrder(w: World): Promise<string> {
  const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 10 });
  const placed = await w.sandbox.placeOrder({
    shopId: Number(w.shopId),
    items: [{ itemId: mug.itemId, quantity: 2 }],
    shippingFee: '5.00',
  });
  await w.sandbox.payOrder(placed.orderSn);
  return placed.orderSn;
}

function requirementReads(w: World): number {
  return w.sandbox.stats().byPath['/api/v2/product/get_attribute_tree'] ?? 0;
}

const HOODIE = {
  marketplaceFields: {
    category_id: 100017,
    weight: '0.5',
    logistic_info: [{ logistic_id: 18080, enabled: true }],
    brand: { brand_id: 0, original_brand_name: 'NoBrand' },
  },
};

function hoodie(sku: string) {
  return normalizeProduct({
    sku,
    title: 'Hoodie',
    description: 'Warm hoodie',
    images: ['https://img.example.com/hoodie.jpg'],
    price: money('99.90', 'BRL'),
    quantity: 3,
  });
}

describe('the lean Shopee client', () => {
  it('has the core capabilities and nothing of the modules', async () => {
    const w = await world(server);
    const app = leanApp(w);
    const client = app.forShop(w.shopId);
    expect(client.capabilities).toEqual(SHOPEE_LEAN_CAPABILITIES);
    expect(client.capabilities.returns).toBeUndefined();
    expect(client.capabilities.missedEventRecovery).toBe(false);
    for (const member of [
      'listReturns',
      'getOrderProceeds',
      'submitInvoice',
      'getShippingLabel',
      'products',
    ]) {
      expect(member in client).toBe(false);
    }
    expect('webhookSource' in app).toBe(false);
    expect(Object.isFrozen(client)).toBe(true);
  });

  it('lists, writes stock, reads and ships orders like the full client, end to end', async () => {
    const w = await world(server);
    const lean = leanApp(w).forShop(w.shopId);
    const full = w.shopee.forShop(w.shopId);
    const since = w.clock.now();
    const orderSn = await paidOrder(w);
    await w.clock.advance(60_000);

    const products = await collect(lean.listProducts());
    expect(products).toEqual(await collect(full.listProducts()));
    const mug = products.find((product) => product.sku === 'MUG');
    const stock = await lean.updateInventory([
      { sku: 'MUG', productExternalId: mug?.externalId as string, quantity: 7 },
    ]);
    expect(stock.failed).toEqual([]);
    expect((await full.getProduct(mug?.externalId as string)).quantity).toBe(7);

    const orders = await collect(lean.listOrders({ since }));
    expect(orders.map((order) => order.externalId)).toEqual([orderSn]);
    expect(await lean.getOrder(orderSn)).toEqual(await full.getOrder(orderSn));

    const shipment = await lean.fulfillOrder(orderSn, { method: 'dropoff' });
    expect(shipment.orderIds).toEqual([orderSn]);
    expect(await lean.getShipment(shipment.externalId)).toEqual(await full.getShipment(shipment.externalId));
  });

  it('creates a product without reading category requirements, unless the categories module is added', async () => {
    const w = await world(server);
    const lean = leanApp(w).forShop(w.shopId);
    const created = await lean.createProduct(hoodie('HOODIE-LEAN'), HOODIE);
    expect(created).toMatchObject({ sku: 'HOODIE-LEAN', quantity: 3 });
    expect(requirementReads(w)).toBe(0);

    const refused = await rejectionOf(
      lean.createProduct(hoodie('HOODIE-ASKED'), { ...HOODIE, validateRequirements: true }),
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues.map((issue) => issue.path)).toEqual(['validateRequirements']);

    const withCategories = leanApp(w, [shopeeCategories]).forShop(w.shopId);
    await withCategories.createProduct(hoodie('HOODIE-CHECKED'), HOODIE);
    expect(requirementReads(w)).toBe(1);
    expect(await withCategories.getCategoryRequirements('100017')).toEqual(
      await w.shopee.forShop(w.shopId).getCategoryRequirements('100017'),
    );
  });
});

describe('modules added through capabilities', () => {
  it('adds what the full client has: the same proceeds, the descriptor part, the app members', async () => {
    const w = await world(server);
    const orderSn = await paidOrder(w);
    const app = leanApp(w, [shopeeProceeds, shopeeReturns, shopeeEvents]);
    const client = app.forShop(w.shopId);

    expect(await client.getOrderProceeds(orderSn)).toEqual(
      await w.shopee.forShop(w.shopId).getOrderProceeds(orderSn),
    );
    expect(client.capabilities).toEqual({
      ...SHOPEE_LEAN_CAPABILITIES,
      returns: SHOPEE_RETURNS_CAPABILITIES,
      missedEventRecovery: true,
    });
    expect(await collect(client.listReturns())).toEqual([]);
    expect(typeof client.returns.getReturnList).toBe('function');
    expect(typeof client.recoverMissedEvents).toBe('function');
    expect(typeof app.webhookSource({ callbackUrl: 'https://app.example.com/shopee/push' }).verify).toBe(
      'function',
    );
    expect(typeof app.push.getAppPushConfig).toBe('function');
  });

  it('with every module, is the full client: same members, same capabilities', async () => {
    const w = await world(server);
    const lean = leanApp(w, EVERY_MODULE).forShop(w.shopId);
    const full = createFullShopee({
      partnerId: w.partnerId,
      partnerKey: w.partnerKey,
      environment: 'sandbox',
      tokenStore: w.store,
    }).forShop(w.shopId);
    expect(Object.keys(lean).sort()).toEqual(Object.keys(full).sort());
    expect(lean.capabilities).toEqual(SHOPEE_CAPABILITIES);
    expect(full.capabilities).toBe(SHOPEE_CAPABILITIES);
  });

  it('refuses what is not a Shopee module, and a module given twice, naming the entry', async () => {
    const w = await world(server);
    const foreign = { ...shopeeLabels, marketplace: 'meli' };
    const refused = await rejectionOf(
      Promise.resolve().then(() => leanApp(w, [shopeeLabels, foreign as typeof shopeeLabels])),
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues.map((issue) => issue.path)).toEqual(['capabilities[1]']);
    const twice = await rejectionOf(Promise.resolve().then(() => leanApp(w, [shopeeLabels, shopeeLabels])));
    expect((twice as ValidationError).issues).toEqual([
      { path: 'capabilities[1]', message: 'the labels module is already in the list' },
    ]);
  });
});
