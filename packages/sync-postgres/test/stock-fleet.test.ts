import type { MarketplaceClient } from '@mlh/core';
import { InventorySync, ProductSync } from '@mlh/sync';
import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type FakeMarketplace, fakeMarketplaces } from '../../sync/test/support/fake-marketplace';
import { catalog, ManualTimers, settle } from '../../sync/test/support/world';
import { databaseUrl, dropSchema, freshSchema, skipReason } from './support';

/**
 * Issue #14: two orchestrator instances (each with its own connection pool, as two processes
 * would have) share one PostgreSQL store and push the same SKU. At most one stock write per
 * account is in flight at any time, and a write that lands late is caught and repaired.
 */

const LEASE_TTL_MS = 240_000;
const READ_BACK_DELAY_MS = 60_000;

interface Instance {
  stores: PostgresStores;
  inventory: InventorySync;
}

describe.skipIf(skipReason !== undefined)('two inventory instances on one PostgreSQL store', () => {
  const schemas: string[] = [];
  const opened: PostgresStores[] = [];

  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    for (const schema of schemas) await dropSchema(schema);
  });

  async function open(schema: string): Promise<PostgresStores> {
    const stores = await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    opened.push(stores);
    return stores;
  }

  /** A schema with the catalog listed on the three fake marketplaces. */
  async function listedWorld() {
    const schema = freshSchema();
    schemas.push(schema);
    const clock = new FakeClock();
    const timers = new ManualTimers(clock);
    const marketplaces = fakeMarketplaces(clock);
    const setup = await open(schema);
    await setup.syncStore.upsertProducts(catalog());
    await new ProductSync({
      store: setup.syncStore,
      clients: marketplaces.map((m) => m.client()),
      clock: clock.now,
      timers,
      owner: 'setup',
    }).run();
    const shopee = marketplaces.find((m) => m.spec.marketplace === 'shopee')!;
    return { schema, clock, timers, marketplaces, shopee, store: setup.syncStore };
  }

  /** Clients whose stock writes are counted while in flight, per marketplace, across instances. */
  function probedClients(
    marketplaces: FakeMarketplace[],
    inFlight: Map<string, number>,
    most: Map<string, number>,
  ) {
    return marketplaces.map((marketplace): MarketplaceClient => {
      const client = marketplace.client();
      const update = client.updateInventory.bind(client);
      const name = marketplace.spec.marketplace;
      client.updateInventory = async (updates) => {
        inFlight.set(name, (inFlight.get(name) ?? 0) + 1);
        most.set(name, Math.max(most.get(name) ?? 0, inFlight.get(name)!));
        try {
          await settle();
          return await update(updates);
        } finally {
          inFlight.set(name, inFlight.get(name)! - 1);
        }
      };
      return client;
    });
  }

  async function instance(
    world: Awaited<ReturnType<typeof listedWorld>>,
    owner: string,
    clients: MarketplaceClient[],
  ): Promise<Instance> {
    const stores = await open(world.schema);
    const inventory = new InventorySync({
      store: stores.syncStore,
      clients,
      clock: world.clock.now,
      timers: world.timers,
      owner,
      leaseTtlMs: LEASE_TTL_MS,
      readBackDelayMs: READ_BACK_DELAY_MS,
    });
    return { stores, inventory };
  }

  let world: Awaited<ReturnType<typeof listedWorld>>;
  beforeAll(async () => {
    world = await listedWorld();
  });

  it('never has two writes of one account in flight, and ends with every marketplace at the store value', async () => {
    const inFlight = new Map<string, number>();
    const most = new Map<string, number>();
    const a = await instance(world, 'process-a', probedClients(world.marketplaces, inFlight, most));
    const b = await instance(world, 'process-b', probedClients(world.marketplaces, inFlight, most));

    let busy = 0;
    for (let round = 0; round < 12; round++) {
      const by = round % 2 === 0 ? a : b;
      await by.stores.syncStore.applyStockMovements([
        { key: `sale-${round}`, sku: 'CAP', delta: round % 3 === 0 ? 2 : -1 },
      ]);
      const [one, two] = await Promise.all([a.inventory.flush(), b.inventory.flush()]);
      busy += one.busyAccounts.length + two.busyAccounts.length;
      expect([...one.failed, ...two.failed]).toEqual([]);
    }
    await a.inventory.flush();

    expect(busy).toBeGreaterThan(0);
    expect([...most.values()].every((n) => n === 1)).toBe(true);
    const [level] = await world.store.getStock(['CAP']);
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('CAP')).toBe(level?.quantity);
  });

  it('repairs a write that lands after the lease lapsed and the other instance wrote a newer value', async () => {
    const a = await instance(
      world,
      'process-a',
      world.marketplaces.map((m) => m.client()),
    );
    const b = await instance(
      world,
      'process-b',
      world.marketplaces.map((m) => m.client()),
    );
    await world.store.applyStockMovements([{ key: 'count-late', sku: 'TEE-S', set: 9 }]);
    const release = world.shopee.hold('updateInventory');

    const writes = world.shopee.calls.length;
    const stalled = a.inventory.flush();
    // Wait until the write is in flight at the marketplace (the store is real I/O).
    while (world.shopee.calls.length === writes) await new Promise((resolve) => setTimeout(resolve, 5));
    world.clock.advance(LEASE_TTL_MS + 1);
    await world.store.applyStockMovements([{ key: 'sale-late', sku: 'TEE-S', delta: -1 }]);
    await b.inventory.flush();
    expect(world.shopee.stockOf('TEE-S')).toBe(8);
    release();
    const late = await stalled;

    expect(world.shopee.stockOf('TEE-S')).toBe(9);
    expect(late.failed.some((f) => /lease .* lost/.test(f.reason))).toBe(true);
    world.clock.advance(READ_BACK_DELAY_MS);
    await b.inventory.flush();
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('TEE-S')).toBe(8);
    expect((await b.inventory.flush()).pushed).toBe(0);
  });
});
