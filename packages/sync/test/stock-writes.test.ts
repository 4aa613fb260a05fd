import { describe, expect, it } from 'vitest';
import { createMemorySyncStore, InventorySync, type SyncStore, stockLeaseKey } from '../src/index';
import type { FakeMarketplace } from './support/fake-marketplace';
import { createWorker, createWorld, settle, type World } from './support/world';

/**
 * Issue #14: a stock write that lands out of order must never leave a marketplace showing a value
 * the store does not hold. Only Shopee misbehaves in these tests; the other marketplaces show that
 * a healthy account is never held back by it.
 */

const READ_BACK_DELAY_MS = 60_000;
const LEASE_TTL_MS = 240_000;

async function syncedWorld(): Promise<World> {
  const world = await createWorld();
  await createWorker(world, { owner: 'setup' }).products.run();
  return world;
}

function stockWrites(marketplace: FakeMarketplace): number {
  return marketplace.calls.filter((c) => c.operation === 'updateInventory').length;
}

async function storeStock(store: SyncStore, sku: string): Promise<number | undefined> {
  return (await store.getStock([sku]))[0]?.quantity;
}

async function expectEveryMarketplaceAt(world: World, sku: string): Promise<void> {
  const stock = await storeStock(world.store, sku);
  for (const marketplace of world.marketplaces)
    expect([marketplace.spec.marketplace, marketplace.stockOf(sku)]).toEqual([
      marketplace.spec.marketplace,
      stock,
    ]);
}

/** A store whose `listStockToPush` runs `hook` once, between taking the lease and writing. */
function storeWithPause(store: SyncStore, hook: () => Promise<void>): SyncStore {
  let done = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'listStockToPush' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (!done) {
          done = true;
          await hook();
        }
        return value.apply(target, args);
      };
    },
  });
}

function inventoryOf(world: World, owner: string, store?: SyncStore): InventorySync {
  return createWorker(world, {
    owner,
    ...(store ? { store } : {}),
    inventory: { readBackDelayMs: READ_BACK_DELAY_MS, leaseTtlMs: LEASE_TTL_MS },
  }).inventory;
}

describe('stock writes that land out of order', () => {
  it('repairs a delayed write that lands after a newer one, once the read-back is due', async () => {
    const world = await syncedWorld();
    const inventory = inventoryOf(world, 'worker-1');
    world.shopee.inject('updateInventory', 'delayed');

    await inventory.adjust([{ key: 'count', sku: 'CAP', set: 7 }]);
    const first = await inventory.flush();
    expect(first.failed).toMatchObject([{ marketplace: 'shopee', sku: 'CAP', stage: 'stock' }]);

    await inventory.adjust([{ key: 'sale', sku: 'CAP', delta: -1 }]);
    await inventory.flush();
    expect(world.shopee.stockOf('CAP')).toBe(6);

    // The marketplace applies the first write only now: it overwrites the newer value.
    expect(world.shopee.landDelayed()).toBe(1);
    expect(world.shopee.stockOf('CAP')).toBe(7);

    world.clock.advance(READ_BACK_DELAY_MS);
    const repair = await inventory.flush();
    expect(repair.failed).toEqual([]);
    await expectEveryMarketplaceAt(world, 'CAP');

    // Read back and rewritten: the SKU is synced and nothing more is sent.
    const writes = stockWrites(world.shopee);
    const after = await inventory.flush();
    expect([after.pushed, after.verified, stockWrites(world.shopee)]).toEqual([0, 0, writes]);
  });

  it('reads back a write whose response was lost and, finding it applied, does not write it again', async () => {
    const world = await syncedWorld();
    const inventory = inventoryOf(world, 'worker-1');
    world.shopee.inject('updateInventory', 'lost-response');

    await inventory.adjust([{ key: 'count', sku: 'CAP', set: 3 }]);
    const first = await inventory.flush();
    expect(first.failed).toMatchObject([{ marketplace: 'shopee', sku: 'CAP' }]);
    expect(world.shopee.stockOf('CAP')).toBe(3);

    // Once the read-back is due, the marketplace is read instead of written.
    world.clock.advance(READ_BACK_DELAY_MS);
    const writes = stockWrites(world.shopee);
    const checked = await inventory.flush();
    expect(checked.verified).toBe(1);
    expect(stockWrites(world.shopee)).toBe(writes);
    expect((await inventory.flush()).verified).toBe(0);
    await expectEveryMarketplaceAt(world, 'CAP');
  });

  it('keeps a SKU due until it is read back, even after a newer write succeeded', async () => {
    const world = await syncedWorld();
    const inventory = inventoryOf(world, 'worker-1');
    world.shopee.inject('updateInventory', 'timeout');

    await inventory.adjust([{ key: 'count', sku: 'CAP', set: 3 }]);
    await inventory.flush();
    await inventory.adjust([{ key: 'sale', sku: 'CAP', delta: -1 }]);
    await inventory.flush();
    expect(world.shopee.stockOf('CAP')).toBe(2);

    const [due] = (
      await world.store.listStockToPush({ marketplace: 'shopee', accountId: 'shopee-shop-1', limit: 10 })
    ).items;
    expect(due).toMatchObject({ variantSku: 'CAP', stockCheckAfter: expect.any(Number) });
    world.clock.advance(READ_BACK_DELAY_MS);
    expect((await inventory.flush()).verified).toBe(1);
    expect(
      (await world.store.listStockToPush({ marketplace: 'shopee', accountId: 'shopee-shop-1', limit: 10 }))
        .items,
    ).toEqual([]);
  });
});

describe('the stock lease around every write', () => {
  it('abandons a write whose lease expired and was taken by another worker: nothing is sent', async () => {
    const world = await syncedWorld();
    const accountId = world.shopee.spec.accountId;
    const paused = storeWithPause(world.store, async () => {
      world.clock.advance(LEASE_TTL_MS + 1);
      const taken = await world.store.acquireLease({
        key: stockLeaseKey('shopee', accountId),
        owner: 'worker-2',
        ttlMs: LEASE_TTL_MS,
        now: world.clock.now(),
      });
      expect(taken).toBeDefined();
    });
    const stale = createWorker(world, {
      owner: 'worker-1',
      store: paused,
      clients: [world.shopee.client()],
      inventory: { leaseTtlMs: LEASE_TTL_MS },
    }).inventory;
    await world.store.applyStockMovements([{ key: 'count', sku: 'CAP', set: 5 }]);
    const writes = stockWrites(world.shopee);

    const summary = await stale.flush();

    expect(stockWrites(world.shopee)).toBe(writes);
    expect(summary.pushed).toBe(0);
    expect(summary.failed).toMatchObject([
      { marketplace: 'shopee', stage: 'stock', reason: /lease .* lost/ },
    ]);
    expect(world.shopee.stockOf('CAP')).toBe(8);
  });

  it('abandons a write whose lease expired unclaimed, and sends nothing', async () => {
    const world = await syncedWorld();
    const paused = storeWithPause(world.store, async () => world.clock.advance(LEASE_TTL_MS + 1));
    const stale = createWorker(world, {
      owner: 'worker-1',
      store: paused,
      clients: [world.shopee.client()],
      inventory: { leaseTtlMs: LEASE_TTL_MS },
    }).inventory;
    await world.store.applyStockMovements([{ key: 'count', sku: 'CAP', set: 5 }]);
    const writes = stockWrites(world.shopee);

    const summary = await stale.flush();

    expect(stockWrites(world.shopee)).toBe(writes);
    expect(summary.failed).toMatchObject([{ reason: /lease .* lost/ }]);
    // The next run takes the lease again and writes.
    await stale.flush();
    expect(world.shopee.stockOf('CAP')).toBe(5);
  });

  it('writes nothing when the store cannot confirm the lease (database unreachable)', async () => {
    const world = await syncedWorld();
    const down = new Proxy(world.store, {
      get(target, property, receiver) {
        if (property === 'renewLease') {
          return () =>
            Promise.reject(new Error('Cannot connect to PostgreSQL at db:5432/app: connection refused'));
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const inventory = createWorker(world, {
      owner: 'worker-1',
      store: down,
      clients: [world.shopee.client()],
    }).inventory;
    await world.store.applyStockMovements([{ key: 'count', sku: 'CAP', set: 5 }]);
    const writes = stockWrites(world.shopee);

    const summary = await inventory.flush();

    expect(stockWrites(world.shopee)).toBe(writes);
    expect(summary.failed).toMatchObject([{ marketplace: 'shopee', reason: /Cannot connect to PostgreSQL/ }]);
  });

  it('refuses a lease shorter than the longest write', () => {
    const options = {
      store: createMemorySyncStore(),
      clients: [],
      leaseTtlMs: 60_000,
      stockWriteMaxMs: 120_000,
    };
    expect(() => new InventorySync(options)).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        issues: [expect.objectContaining({ path: 'leaseTtlMs' })],
      }),
    );
  });

  it('marks for read-back a write in flight when its lease lapsed, and stops writing', async () => {
    const world = await syncedWorld();
    const slow = inventoryOf(world, 'worker-1');
    const other = inventoryOf(world, 'worker-2');
    await world.store.applyStockMovements([{ key: 'count', sku: 'CAP', set: 7 }]);
    const release = world.shopee.hold('updateInventory');

    const slowFlush = slow.flush();
    await settle();
    // The slow worker's lease lapses (its process stalled); another worker takes over and writes.
    world.clock.advance(LEASE_TTL_MS + 1);
    await world.store.applyStockMovements([{ key: 'sale', sku: 'CAP', delta: -1 }]);
    await other.flush();
    expect(world.shopee.stockOf('CAP')).toBe(6);
    release();
    const stalled = await slowFlush;

    expect(world.shopee.stockOf('CAP')).toBe(7);
    expect(stalled.failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ marketplace: 'shopee', reason: expect.stringMatching(/lease .* lost/) }),
      ]),
    );
    world.clock.advance(READ_BACK_DELAY_MS);
    await other.flush();
    await expectEveryMarketplaceAt(world, 'CAP');
  });

  it('keeps the product and inventory syncs of one process from writing one account at once', async () => {
    const world = await syncedWorld();
    let inFlight = 0;
    let most = 0;
    const client = world.shopee.client();
    const update = client.updateInventory.bind(client);
    client.updateInventory = async (updates) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        await settle();
        return await update(updates);
      } finally {
        inFlight -= 1;
      }
    };
    // Both orchestrators carry the same owner name, as in one worker process.
    const worker = createWorker(world, { owner: 'worker-1', clients: [client] });
    await world.store.applyStockMovements([{ key: 'count', sku: 'CAP', set: 2 }]);

    await Promise.all([worker.products.run(), worker.inventory.flush()]);
    await worker.inventory.flush();

    expect(most).toBe(1);
    expect(world.shopee.stockOf('CAP')).toBe(2);
  });

  it('runs a flush and a reconcile of one process on an account one after the other', async () => {
    const world = await syncedWorld();
    let inFlight = 0;
    let most = 0;
    const client = world.shopee.client();
    const update = client.updateInventory.bind(client);
    client.updateInventory = async (updates) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        await settle();
        return await update(updates);
      } finally {
        inFlight -= 1;
      }
    };
    const worker = createWorker(world, { owner: 'worker-3', clients: [client] }).inventory;
    world.shopee.listingsWithSku('CAP')[0]!.variants[0]!.quantity = 40;
    await world.store.applyStockMovements([{ key: 'count', sku: 'TEE-M', set: 1 }]);

    await Promise.all([worker.flush(), worker.reconcile()]);

    expect(most).toBe(1);
    expect(world.shopee.stockOf('CAP')).toBe(8);
    expect(world.shopee.stockOf('TEE-M')).toBe(1);
  });
});
