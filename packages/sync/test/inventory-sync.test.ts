import { describe, expect, it } from 'vitest';
import type { StockDriftEvent, StockPushedEvent } from '../src/index';
import { createWorker, createWorld, type World } from './support/world';

async function syncedWorld(): Promise<World> {
  const world = await createWorld();
  await createWorker(world, { owner: 'setup' }).products.run();
  return world;
}

function inventoryCalls(world: World) {
  return world.marketplaces.map((m) => m.calls.filter((c) => c.operation === 'updateInventory').length);
}

describe('InventorySync', () => {
  it('coalesces a burst of movements into one push per marketplace with the latest absolute stock', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const before = inventoryCalls(world);
    const pushed: StockPushedEvent[] = [];
    worker.inventory.on('stock.pushed', (e) => pushed.push(e));

    for (let i = 0; i < 20; i += 1) {
      await worker.inventory.adjust([{ key: `pick-${i}`, sku: 'MUG-RED', delta: i % 4 === 0 ? 2 : -1 }]);
    }
    await world.timers.advance(500);

    expect(inventoryCalls(world).map((n, i) => n - before[i]!)).toEqual([1, 1, 1]);
    expect(pushed.map((p) => [p.marketplace, p.quantity])).toEqual([
      ['meli', 5],
      ['shopee', 5],
      ['tiktok', 5],
    ]);
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('MUG-RED')).toBe(5);
  });

  it('applies a movement key once however often it is repeated', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const receipt = { key: 'receipt-77:CAP', sku: 'CAP', delta: 5, reason: 'restock' };

    const results = await Promise.all([
      worker.inventory.adjust([receipt]),
      worker.inventory.adjust([receipt]),
    ]);
    await worker.inventory.adjust([receipt]);
    await worker.inventory.idle();

    expect(results.flat().filter((r) => r.applied)).toHaveLength(1);
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('CAP')).toBe(13);
  });

  it('holds back a per-marketplace buffer and clamps at zero', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world, { inventory: { stockBuffer: { meli: 3 } } });

    await worker.inventory.adjust([{ key: 'count', sku: 'TEE-M', set: 2 }]);
    await worker.inventory.idle();

    expect(world.meli.stockOf('TEE-M')).toBe(0);
    expect(world.shopee.stockOf('TEE-M')).toBe(2);
  });

  it('finds stock that drifted on a marketplace and repairs it', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const listing = world.shopee.listingsWithSku('TEE-L')[0]!;
    const variant = listing.variants.find((v) => v.sku === 'TEE-L')!;
    variant.quantity = 40;
    const drift: StockDriftEvent[] = [];
    worker.inventory.on('stock.drift', (e) => drift.push(e));

    const first = await worker.inventory.reconcile();
    const second = await worker.inventory.reconcile();

    expect(first.drift).toMatchObject([
      {
        marketplace: 'shopee',
        sku: 'TEE',
        variantSku: 'TEE-L',
        marketplaceQuantity: 40,
        expectedQuantity: 4,
        repaired: true,
      },
    ]);
    expect(first.checked).toBe(18);
    expect(drift).toHaveLength(1);
    expect(world.shopee.stockOf('TEE-L')).toBe(4);
    expect(second.drift).toEqual([]);
  });

  it('reports drift without touching the marketplace when repair is off, and listings gone missing', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const cap = world.tiktok.listingsWithSku('CAP')[0]!;
    world.tiktok.products.delete(cap.externalId!);
    world.meli.listingsWithSku('MUG-BLUE')[0]!.variants.find((v) => v.sku === 'MUG-BLUE')!.quantity = 1;
    const writesBefore = world.meli.writes().length;

    const summary = await worker.inventory.reconcile({ repair: false });

    expect(summary.missing).toMatchObject([
      { marketplace: 'tiktok', sku: 'CAP', productExternalId: cap.externalId },
    ]);
    expect(summary.drift).toMatchObject([{ marketplace: 'meli', variantSku: 'MUG-BLUE', repaired: false }]);
    expect(world.meli.writes()).toHaveLength(writesBefore);
  });

  it('pushes, on its safety-net schedule, stock whose push a crash cut short', async () => {
    const world = await syncedWorld();
    await world.store.applyStockMovements([{ key: 'applied-before-crash', sku: 'CAP', delta: -4 }]);
    const worker = createWorker(world, { inventory: { flushIntervalMs: 60_000 } });

    worker.inventory.start();
    await world.timers.advance(0);
    await worker.inventory.stop();

    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('CAP')).toBe(4);
  });

  it('keeps retrying a refused push until the marketplace accepts it', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    world.tiktok.inject('updateInventory', '5xx');

    await worker.inventory.adjust([{ key: 'sale', sku: 'MUG-RED', delta: -1 }]);
    const failed = await worker.inventory.flush();
    const retried = await worker.inventory.flush();

    expect(failed.failed).toMatchObject([
      { marketplace: 'tiktok', sku: 'MUG-RED', stage: 'stock', retryable: true },
    ]);
    expect(retried).toMatchObject({ pushed: 1, failed: [] });
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('MUG-RED')).toBe(9);
  });

  it('leaves an account to the worker holding its stock lease', async () => {
    const world = await syncedWorld();
    const a = createWorker(world, { owner: 'a' });
    const b = createWorker(world, { owner: 'b' });
    await a.inventory.adjust([{ key: 'sale', sku: 'CAP', delta: -2 }]);

    const [first, second] = await Promise.all([a.inventory.flush(), b.inventory.flush()]);

    expect(first.pushed + second.pushed).toBe(3);
    expect([...first.busyAccounts, ...second.busyAccounts]).toHaveLength(3);
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('CAP')).toBe(6);
  });
});
