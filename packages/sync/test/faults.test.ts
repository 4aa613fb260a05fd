import { type MlhEvent, money, moneyEquals, type Product } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import type { FakeMarketplace, FaultKind } from './support/fake-marketplace';
import { FAULT_MODES, type FaultMode, StepFaults } from './support/faults';
import { catalog, cloneWorld, createWorker, createWorld, initialStock, type World } from './support/world';

const LATER = 60 * 60_000;

/** The worker of a process that may fail or stop at step `at`. */
function faultyWorker(world: World, faults: StepFaults, adoptExisting = true) {
  return createWorker(world, {
    owner: 'faulty',
    store: faults.wrap(world.store, 'store'),
    clients: world.marketplaces.map((m) => faults.wrap(m.client(), m.spec.marketplace, 'client')),
    products: { adoptExisting },
  });
}

/** A fresh process after the crash: new orchestrators, same store and marketplaces, time moved on. */
function recoveryWorker(world: World, adoptExisting = true) {
  world.clock.advance(LATER);
  return createWorker(world, { owner: `recovery-${world.clock.now()}`, products: { adoptExisting } });
}

async function writesDuring(world: World, action: () => Promise<unknown>): Promise<string[]> {
  const before = world.marketplaces.map((m) => m.writes().length);
  await action();
  return world.marketplaces.flatMap((m, i) =>
    m
      .writes()
      .slice(before[i])
      .map((c) => `${m.spec.marketplace}.${c.operation}`),
  );
}

/** Exactly one listing per SKU and marketplace, its ids stored, its content, price and stock equal to the store's. */
async function expectCatalogConverged(world: World): Promise<void> {
  const products = (await world.store.listProducts({ limit: 100 })).items;
  for (const marketplace of world.marketplaces) {
    for (const product of products) {
      const published = marketplace.listingsWithSku(product.sku);
      expect(published, `${marketplace.spec.marketplace} ${product.sku}`).toHaveLength(1);
      const listing = await world.store.getListing({ ...marketplace.client(), sku: product.sku });
      expect(listing?.productExternalId).toBe(published[0]?.externalId);
      expect(published[0]?.title).toBe(product.title);
      expect(published[0]?.status).toBe(product.status);
      for (const variant of product.variants) {
        expect(listing?.variants.find((v) => v.sku === variant.sku)?.externalId).toBe(
          published[0]?.variants.find((v) => v.sku === variant.sku)?.externalId,
        );
        expect(moneyEquals(marketplace.priceOf(variant.sku!)!, variant.price)).toBe(true);
        const [stock] = await world.store.getStock([variant.sku!]);
        expect(marketplace.stockOf(variant.sku!)).toBe(Math.max(0, stock!.quantity));
      }
    }
  }
}

/** A mug in two colours and a cap: a product with variants and one without, on three marketplaces. */
const FAULT_CATALOG = catalog().slice(0, 2);

async function productRun(faults: StepFaults, adoptExisting = true): Promise<World> {
  const world = await createWorld(FAULT_CATALOG);
  await faultyWorker(world, faults, adoptExisting)
    .products.run()
    .catch(() => undefined);
  return world;
}

async function expectProductRecovery(world: World, adoptExisting = true): Promise<void> {
  await recoveryWorker(world, adoptExisting).products.run();
  await expectCatalogConverged(world);
  const rerun = recoveryWorker(world, adoptExisting);
  expect(await writesDuring(world, () => rerun.products.run())).toEqual([]);
}

/**
 * The order scenario: the catalog is synced; then buyers order on every marketplace, two orders
 * are cancelled, and the notifications arrive duplicated and out of order.
 */
async function buildOrderWorld(): Promise<{ world: World; events: MlhEvent[] }> {
  const world = await createWorld();
  await createWorker(world, { owner: 'setup' }).products.run();
  world.clock.advance(60_000);
  const meliPaid = world.meli.placeOrder([{ sku: 'MUG-RED', quantity: 2 }]);
  const meliCancelled = world.meli.placeOrder([{ sku: 'CAP', quantity: 1 }]);
  const tiktokPaid = world.tiktok.placeOrder([
    { sku: 'TEE-M', quantity: 1 },
    { sku: 'MUG-BLUE', quantity: 1 },
  ]);
  world.shopee.placeOrder([{ sku: 'TEE-S', quantity: 2 }]);
  const shopeeCancelled = world.shopee.placeOrder([{ sku: 'CAP', quantity: 2 }]);
  world.clock.advance(60_000);
  const meliCancel = world.meli.changeOrder(meliCancelled.order.externalId, 'cancelled');
  world.shopee.changeOrder(shopeeCancelled.order.externalId, 'cancelled');
  world.clock.advance(60_000);
  return {
    world,
    events: [meliPaid.event, meliCancel.event, meliCancelled.event, meliPaid.event, tiktokPaid.event],
  };
}

let orderBase: Promise<{ world: World; events: MlhEvent[] }> | undefined;

/** A fresh copy of the order scenario (built once: its set-up is the same every time). */
async function orderWorld(): Promise<{ world: World; events: MlhEvent[] }> {
  orderBase ??= buildOrderWorld();
  const base = await orderBase;
  return { world: cloneWorld(base.world), events: base.events };
}

async function orderRun(faults: StepFaults): Promise<{ world: World; events: MlhEvent[] }> {
  const scenario = await orderWorld();
  const { world, events } = scenario;
  const worker = faultyWorker(world, faults);
  for (const event of events) await worker.orders.ingest(event).catch(() => undefined);
  await worker.orders
    .poll({ marketplace: 'shopee', accountId: world.shopee.spec.accountId })
    .catch(() => undefined);
  await worker.inventory.flush().catch(() => undefined);
  return scenario;
}

/** One order per marketplace order with its newest status; stock = initial − sold + cancelled, everywhere. */
async function expectOrdersConverged(world: World): Promise<void> {
  const expected = initialStock();
  for (const marketplace of world.marketplaces) {
    const stored = await world.store.listOrders({
      marketplace: marketplace.spec.marketplace,
      accountId: marketplace.spec.accountId,
      limit: 100,
    });
    expect(stored.items.map((o) => o.order.externalId).sort()).toEqual(
      [...marketplace.orderVersions.keys()].sort(),
    );
    for (const { order } of stored.items) {
      const current = marketplace.currentOrder(order.externalId)!;
      expect(order.status).toBe(current.status);
      if (current.status === 'cancelled') continue;
      for (const item of current.items) {
        const sku = skuOfLine(marketplace, item.productExternalId, item.variantExternalId);
        expected.set(sku, expected.get(sku)! - item.quantity);
      }
    }
  }
  for (const [sku, quantity] of expected) {
    expect((await world.store.getStock([sku]))[0]?.quantity, sku).toBe(quantity);
    for (const marketplace of world.marketplaces) {
      expect(marketplace.stockOf(sku), `${marketplace.spec.marketplace} ${sku}`).toBe(Math.max(0, quantity));
    }
  }
}

function skuOfLine(marketplace: FakeMarketplace, productId: string, variantId: string | undefined): string {
  const product = marketplace.products.get(productId)!;
  return product.variants.find((v) => v.externalId === variantId)!.sku!;
}

async function expectOrderRecovery(world: World, events: readonly MlhEvent[]): Promise<void> {
  const worker = recoveryWorker(world);
  for (const event of events) await worker.orders.ingest(event);
  for (const marketplace of world.marketplaces) {
    await worker.orders.reconcile({
      marketplace: marketplace.spec.marketplace,
      accountId: marketplace.spec.accountId,
    });
  }
  await worker.inventory.flush();
  await expectOrdersConverged(world);
}

/** New titles, prices, stock and a paused product: every kind of write a later run makes. */
async function changeEverything(world: World): Promise<void> {
  const [mug, cap] = FAULT_CATALOG as [Product, Product];
  await world.store.upsertProducts([
    {
      ...mug,
      title: `${mug.title} (new)`,
      variants: mug.variants.map((v) => ({ ...v, price: money('1.99', 'BRL') })),
    },
    { ...cap, status: 'paused', variants: cap.variants.map((v) => ({ ...v, price: money('2.50', 'BRL') })) },
  ]);
  await world.store.applyStockMovements([{ key: 'recount', sku: 'MUG-RED', set: 1 }]);
}

function stepCount(run: (faults: StepFaults) => Promise<unknown>): Promise<number> {
  const faults = new StepFaults();
  return run(faults).then(() => faults.steps);
}

describe('convergence after faults', () => {
  it('product sync: with no fault, one run converges and a second sends nothing', async () => {
    const world = await productRun(new StepFaults());
    await expectCatalogConverged(world);
    expect(await writesDuring(world, () => createWorker(world).products.run())).toEqual([]);
  });

  it('order sync: with no fault, one pass converges', async () => {
    const { world } = await orderRun(new StepFaults());
    await expectOrdersConverged(world);
  });

  for (const mode of FAULT_MODES) {
    it(`product sync: a ${mode} at any step, then a re-run, gives one listing per SKU and marketplace`, async () => {
      const steps = await stepCount(productRun);
      expect(steps).toBeGreaterThan(30);
      for (let at = 1; at <= steps; at += 1) {
        const faults = new StepFaults(at, mode);
        const world = await productRun(faults);
        await expectProductRecovery(world).catch((error: unknown) => {
          throw new Error(`${mode} at step ${at} (${faults.trace[at - 1]}): ${String(error)}`);
        });
      }
    });

    it(`order sync: a ${mode} at any step, then a re-run, gives one order each and exact stock`, async () => {
      const steps = await stepCount(orderRun);
      expect(steps).toBeGreaterThan(30);
      for (let at = 1; at <= steps; at += 1) {
        const faults = new StepFaults(at, mode);
        const { world, events } = await orderRun(faults);
        await expectOrderRecovery(world, events).catch((error: unknown) => {
          throw new Error(`${mode} at step ${at} (${faults.trace[at - 1]}): ${String(error)}`);
        });
      }
    });
  }

  it('product sync without the up-front search: a lost create at any step still never duplicates', async () => {
    const modes: FaultMode[] = ['fail-after', 'crash'];
    const steps = await stepCount((faults) => productRun(faults, false));
    for (const mode of modes) {
      for (let at = 1; at <= steps; at += 1) {
        const faults = new StepFaults(at, mode);
        const world = await productRun(faults, false);
        await expectProductRecovery(world, false).catch((error: unknown) => {
          throw new Error(`${mode} at step ${at} (${faults.trace[at - 1]}): ${String(error)}`);
        });
      }
    }
  });

  it('product sync: a marketplace 5xx, timeout or lost response on any call, then a re-run, converges', async () => {
    const kinds: FaultKind[] = ['5xx', 'timeout', 'lost-response'];
    const firstSync = ['findProductsBySku', 'createProduct'] as const;
    const changes = ['updateProduct', 'setProductStatus', 'updatePrices', 'updateInventory'] as const;
    for (const kind of kinds) {
      for (const operation of firstSync) {
        const world = await createWorld(FAULT_CATALOG);
        for (const marketplace of world.marketplaces) marketplace.inject(operation, kind, 2);
        const first = await createWorker(world).products.run();
        expect(first.failed.length, `${operation} ${kind}`).toBeGreaterThan(0);
        for (const marketplace of world.marketplaces) marketplace.clearFaults();
        await expectProductRecovery(world);
      }
      for (const operation of changes) {
        const world = await createWorld(FAULT_CATALOG);
        await createWorker(world).products.run();
        await changeEverything(world);
        for (const marketplace of world.marketplaces) marketplace.inject(operation, kind, 2);
        const first = await createWorker(world).products.run();
        expect(first.failed.length, `${operation} ${kind}`).toBeGreaterThan(0);
        for (const marketplace of world.marketplaces) marketplace.clearFaults();
        await expectProductRecovery(world);
      }
    }
  });
});
