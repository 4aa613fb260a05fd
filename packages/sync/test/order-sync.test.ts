import { describe, expect, it } from 'vitest';
import type { OrderUpsertedEvent, StockOversoldEvent, SyncStore } from '../src/index';
import { createWorker, createWorld, initialStock, settle, type World } from './support/world';

async function syncedWorld(): Promise<World> {
  const world = await createWorld();
  await createWorker(world, { owner: 'setup' }).products.run();
  world.clock.advance(60_000);
  return world;
}

/** A synced world whose Shopee shop has `count` one-unit orders of TEE-L, placed a minute ago. */
async function withShopeeOrders(
  count: number,
): Promise<{ world: World; target: { marketplace: 'shopee'; accountId: string } }> {
  const world = await syncedWorld();
  for (let i = 0; i < count; i += 1) world.shopee.placeOrder([{ sku: 'TEE-L', quantity: 1 }]);
  world.clock.advance(60_000);
  return { world, target: { marketplace: 'shopee', accountId: world.shopee.spec.accountId } };
}

async function stockOf(store: SyncStore, sku: string): Promise<number | undefined> {
  return (await store.getStock([sku]))[0]?.quantity;
}

describe('OrderSync', () => {
  it('stores a webhook order once however often the notification is delivered', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const { order, event } = world.meli.placeOrder([{ sku: 'MUG-RED', quantity: 2 }]);

    const first = await worker.orders.ingest(event);
    const again = await worker.orders.ingest(event);
    const concurrent = await Promise.all([
      worker.orders.ingest(event),
      createWorker(world).orders.ingest(event),
    ]);

    expect(first).toMatchObject({ status: 'processed', outcome: 'created' });
    expect(again).toEqual({ status: 'duplicate' });
    expect(concurrent).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }]);
    expect(world.meli.calls.filter((c) => c.operation === 'getOrder')).toHaveLength(1);
    expect((await world.store.getOrder(order))?.order.status).toBe('paid');
    expect(await stockOf(world.store, 'MUG-RED')).toBe(8);
  });

  it('ends with the newest state when notifications arrive out of order and reads lag', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const placed = world.tiktok.placeOrder([{ sku: 'TEE-M', quantity: 1 }]);
    const cancelled = world.tiktok.changeOrder(placed.order.externalId, 'cancelled');
    const upserts: OrderUpsertedEvent[] = [];
    worker.orders.on('order.upserted', (e) => upserts.push(e));

    await worker.orders.ingest(cancelled.event);
    world.tiktok.serveStaleOrder(placed.order.externalId);
    await worker.orders.ingest(placed.event);

    expect(upserts.map((u) => [u.outcome, u.status])).toEqual([
      ['created', 'cancelled'],
      ['stale', 'cancelled'],
    ]);
    const stored = await world.store.listOrders({
      marketplace: 'tiktok',
      accountId: world.tiktok.spec.accountId,
      limit: 10,
    });
    expect(stored.items.map((o) => o.order.status)).toEqual(['cancelled']);
    expect(await stockOf(world.store, 'TEE-M')).toBe(4);
  });

  it('lowers the stock on the other marketplaces when one of them sells', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const { event } = world.tiktok.placeOrder([
      { sku: 'MUG-BLUE', quantity: 2 },
      { sku: 'CAP', quantity: 1 },
    ]);

    await worker.orders.ingest(event);
    await worker.inventory.idle();

    for (const marketplace of world.marketplaces) {
      expect(marketplace.stockOf('MUG-BLUE')).toBe(4);
      expect(marketplace.stockOf('CAP')).toBe(7);
      expect(marketplace.stockOf('MUG-RED')).toBe(10);
    }
  });

  it('gives the stock back once when the order is cancelled', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const placed = world.meli.placeOrder([{ sku: 'CAP', quantity: 3 }]);
    await worker.orders.ingest(placed.event);
    world.clock.advance(60_000);
    const cancelled = world.meli.changeOrder(placed.order.externalId, 'cancelled');

    await worker.orders.ingest(cancelled.event);
    await worker.orders.ingest(cancelled.event);
    await worker.orders.poll({ marketplace: 'meli', accountId: world.meli.spec.accountId });
    await worker.inventory.idle();

    expect(await stockOf(world.store, 'CAP')).toBe(8);
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('CAP')).toBe(8);
  });

  it('polls every page since the checkpoint, with an overlap, and advances the checkpoint', async () => {
    const { world, target } = await withShopeeOrders(5);
    const worker = createWorker(world);

    const first = await worker.orders.poll(target);
    world.clock.advance(2 * 60_000);
    world.shopee.placeOrder([{ sku: 'TEE-L', quantity: 1 }]);
    world.clock.advance(60_000);
    const second = await worker.orders.poll(target);

    expect(first).toMatchObject({ ran: true, fetched: 5, created: 5, failed: [] });
    expect(world.shopee.calls.filter((c) => c.operation === 'listOrders').length).toBeGreaterThanOrEqual(3);
    expect(second).toMatchObject({ created: 1, unchanged: 5 });
    expect(second.checkpoint).toBe(new Date(world.clock.now()).toISOString());
    expect(await stockOf(world.store, 'TEE-L')).toBe(-2);
  });

  it('stores a poll in one store call per batch of orders, each order counted once', async () => {
    const { world, target } = await withShopeeOrders(5);
    const calls: string[] = [];
    const counting: SyncStore = {
      ...world.store,
      upsertOrder: (input) => {
        calls.push('upsertOrder');
        return world.store.upsertOrder(input);
      },
      upsertOrders: (inputs) => {
        calls.push(`upsertOrders(${inputs.length})`);
        return world.store.upsertOrders!(inputs);
      },
    };

    const summary = await createWorker(world, { store: counting, orders: { pollBatchSize: 2 } }).orders.poll(
      target,
    );

    expect(calls).toEqual(['upsertOrders(2)', 'upsertOrders(2)', 'upsertOrder']);
    expect(summary).toMatchObject({ fetched: 5, created: 5, failed: [] });
    expect(await stockOf(world.store, 'TEE-L')).toBe(-1);
  });

  it('stores a batch order by order when its line lookup fails, with nothing left unhandled', async () => {
    const { world, target } = await withShopeeOrders(3);
    let lookups = 0;
    const flaky: SyncStore = {
      ...world.store,
      findListingsByExternalIds: (marketplace, accountId, ids) => {
        lookups += 1;
        // The batch's lookup fails at once, while its orders are still being hashed.
        if (lookups === 1) return Promise.reject(new Error('database unavailable'));
        return world.store.findListingsByExternalIds!(marketplace, accountId, ids);
      },
    };
    // Lines are then looked up through findListingsByExternalIds.
    delete flaky.resolveOrderLineSkus;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const summary = await createWorker(world, { store: flaky, orders: { pollBatchSize: 3 } }).orders.poll(
        target,
      );
      await new Promise((resolve) => setTimeout(resolve, 10));

      expect(summary).toMatchObject({ fetched: 3, created: 3, failed: [] });
      expect(unhandled).toEqual([]);
      expect(await stockOf(world.store, 'TEE-L')).toBe(initialStock().get('TEE-L')! - 3);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('reads the next batch while storing one, but stores batches one at a time and in order', async () => {
    const { world, target } = await withShopeeOrders(6);
    const events: string[] = [];
    let storing = 0;
    const observed: SyncStore = {
      ...world.store,
      getStock: (skus) => {
        events.push('read');
        return world.store.getStock(skus);
      },
      upsertOrders: async (inputs) => {
        storing += 1;
        expect(storing).toBe(1);
        events.push(`store ${inputs.map((input) => input.order.externalId).join(',')}`);
        // Long enough for the next batch to be fetched and read meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 20));
        const results = await world.store.upsertOrders!(inputs);
        events.push('stored');
        storing -= 1;
        return results;
      },
    };

    const summary = await createWorker(world, { store: observed, orders: { pollBatchSize: 2 } }).orders.poll(
      target,
    );

    expect(summary).toMatchObject({ fetched: 6, created: 6, failed: [] });
    const stores = events.filter((event) => event.startsWith('store '));
    expect(stores).toHaveLength(3);
    const polled = stores.flatMap((event) => event.slice('store '.length).split(','));
    expect(new Set(polled).size).toBe(6);
    // A later batch's stock was read while an earlier one was being stored.
    const overlapped = stores.some((event) => {
      const start = events.indexOf(event);
      return events.slice(start, events.indexOf('stored', start)).includes('read');
    });
    expect(overlapped).toBe(true);
    expect(await stockOf(world.store, 'TEE-L')).toBe(4 - 6);
  });

  it('reads the two batches after the one being stored, while it is stored, and stores them in turn', async () => {
    const { world, target } = await withShopeeOrders(8);
    let reads = 0;
    let readsWhileFirstStored = 0;
    let storing = 0;
    const stored: string[][] = [];
    const observed: SyncStore = {
      ...world.store,
      getStock: (skus) => {
        reads += 1;
        return world.store.getStock(skus);
      },
      upsertOrders: async (inputs) => {
        storing += 1;
        expect(storing).toBe(1);
        if (stored.length === 0) {
          // Held until two more batches were read, or long enough to tell that they were not.
          const readsBefore = reads;
          for (let wait = 0; wait < 100 && reads < readsBefore + 2; wait += 1) {
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          readsWhileFirstStored = reads - readsBefore;
        }
        stored.push(inputs.map((input) => input.order.externalId));
        const results = await world.store.upsertOrders!(inputs);
        storing -= 1;
        return results;
      },
    };

    const summary = await createWorker(world, { store: observed, orders: { pollBatchSize: 2 } }).orders.poll(
      target,
    );

    expect(summary).toMatchObject({ fetched: 8, created: 8, failed: [] });
    expect(readsWhileFirstStored).toBeGreaterThanOrEqual(2);
    expect(stored).toHaveLength(4);
    const listed = (await world.store.listOrders({ ...target, limit: 10 })).items
      .map((item) => item.order)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.externalId.localeCompare(b.externalId))
      .map((order) => order.externalId);
    expect(stored.flat()).toEqual(listed);
    expect(await stockOf(world.store, 'TEE-L')).toBe(4 - 8);
  });

  it('stops a poll whose lease expired and was taken while it stored a batch, before the next batch', async () => {
    const { world, target } = await withShopeeOrders(4);
    let batches = 0;
    const stalling: SyncStore = {
      ...world.store,
      upsertOrders: async (inputs) => {
        batches += 1;
        const results = await world.store.upsertOrders!(inputs);
        // The worker stalls past its lease; another one takes the account meanwhile.
        world.clock.advance(5 * 60_000 + 1);
        await world.store.acquireLease({
          key: `orders:shopee:${target.accountId}`,
          owner: 'worker-2',
          ttlMs: 5 * 60_000,
          now: world.clock.now(),
        });
        return results;
      },
    };

    const summary = await createWorker(world, { store: stalling, orders: { pollBatchSize: 2 } }).orders.poll(
      target,
    );

    expect(batches).toBe(1);
    expect(summary.created).toBe(2);
    expect(summary.checkpoint).toBeUndefined();
    expect(summary.failed.map((f) => f.reason)).toEqual([expect.stringMatching(/lost the order poll lease/)]);
  });

  it('stores a poll one order at a time in a store without upsertOrders', async () => {
    const { world, target } = await withShopeeOrders(3);
    const { upsertOrders: _batch, ...single } = world.store;

    const summary = await createWorker(world, { store: single }).orders.poll(target);

    expect(summary).toMatchObject({ fetched: 3, created: 3, failed: [] });
    expect(await stockOf(world.store, 'TEE-L')).toBe(1);
  });

  it('skips a poll while another worker holds the account lease', async () => {
    const world = await syncedWorld();
    const target = { marketplace: 'shopee', accountId: world.shopee.spec.accountId };
    await world.store.acquireLease({
      key: `orders:shopee:${target.accountId}`,
      owner: 'someone-else',
      ttlMs: 60_000,
      now: world.clock.now(),
    });

    const summary = await createWorker(world).orders.poll(target);

    expect(summary.ran).toBe(false);
    expect(world.shopee.calls.filter((c) => c.operation === 'listOrders')).toHaveLength(0);
  });

  it('holds the checkpoint at an order it could not store, and stores it on the next poll', async () => {
    const world = await syncedWorld();
    const target = { marketplace: 'shopee', accountId: world.shopee.spec.accountId };
    world.shopee.placeOrder([{ sku: 'CAP', quantity: 1 }]);
    const troubled = world.shopee.placeOrder([{ sku: 'CAP', quantity: 1 }]).order;
    world.shopee.placeOrder([{ sku: 'CAP', quantity: 1 }]);
    world.clock.advance(60_000);
    let failures = 1;
    const flaky: SyncStore = {
      ...world.store,
      upsertOrder: async (input) => {
        if (input.order.externalId === troubled.externalId && failures-- > 0)
          throw new Error('database unavailable');
        return world.store.upsertOrder(input);
      },
      // The batch holding the troubled order fails whole; the poll then stores its orders one by one.
      upsertOrders: async (inputs) => {
        if (failures > 0 && inputs.some((input) => input.order.externalId === troubled.externalId))
          throw new Error('database unavailable');
        return world.store.upsertOrders!(inputs);
      },
    };

    const first = await createWorker(world, { store: flaky }).orders.poll(target);
    world.clock.advance(30 * 60_000);
    const second = await createWorker(world, { store: flaky }).orders.poll(target);

    expect(first.failed).toMatchObject([
      { orderId: troubled.externalId, stage: 'store', reason: 'database unavailable' },
    ]);
    expect(first.checkpoint).toBe(troubled.updatedAt);
    expect(second.created).toBe(1);
    expect(await stockOf(world.store, 'CAP')).toBe(5);
  });

  it('releases the claim when processing fails, so the redelivery is processed', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const { event } = world.meli.placeOrder([{ sku: 'MUG-RED', quantity: 1 }]);
    world.meli.inject('getOrder', '5xx');

    await expect(worker.orders.ingest(event)).rejects.toThrow(/503/);
    expect(await worker.orders.ingest(event)).toMatchObject({ status: 'processed', outcome: 'created' });
  });

  it('ignores events that are not about orders or belong to no configured account', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const { event } = world.meli.placeOrder([{ sku: 'MUG-RED', quantity: 1 }]);

    expect(
      await worker.orders.ingest({ ...event, resourceType: 'shipment', type: 'shipment.updated' }),
    ).toMatchObject({
      status: 'ignored',
    });
    expect(await worker.orders.ingest({ ...event, accountId: 'stranger' })).toMatchObject({
      status: 'ignored',
    });
    expect(world.meli.calls.filter((c) => c.operation === 'getOrder')).toHaveLength(0);
  });

  it('polls Shopee every 5 minutes and reconciles the webhook marketplaces, recovering missed events', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world, { orders: { reconcileIntervalMs: 60 * 60_000 } });
    worker.orders.start();
    await world.timers.advance(0);
    const shopeeOrder = world.shopee.placeOrder([{ sku: 'CAP', quantity: 1 }]).order;
    const lostMeli = world.meli.placeOrder([{ sku: 'MUG-RED', quantity: 1 }], { deliver: false }).order;
    const lostTiktok = world.tiktok.placeOrder([{ sku: 'TEE-S', quantity: 1 }], { deliver: false }).order;

    await world.timers.advance(5 * 60_000);
    expect(await world.store.getOrder(shopeeOrder)).toBeDefined();
    expect(await world.store.getOrder(lostMeli)).toBeUndefined();

    await world.timers.advance(55 * 60_000);
    await worker.orders.stop();
    await worker.inventory.stop();

    expect(await world.store.getOrder(lostMeli)).toBeDefined();
    expect(await world.store.getOrder(lostTiktok)).toBeDefined();
    expect(
      world.meli.calls.filter((c) => c.operation === 'recoverMissedEvents').length,
    ).toBeGreaterThanOrEqual(2);
    const shopeePolls = world.shopee.calls.filter((c) => c.operation === 'listOrders').length;
    expect(shopeePolls).toBeGreaterThanOrEqual(13);
    await world.timers.advance(60 * 60_000);
    expect(world.shopee.calls.filter((c) => c.operation === 'listOrders')).toHaveLength(shopeePolls);
  });

  it('reports an oversold SKU and publishes 0 instead of a negative stock', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    const oversold: StockOversoldEvent[] = [];
    worker.inventory.on('stock.oversold', (e) => oversold.push(e));
    const first = world.meli.placeOrder([{ sku: 'TEE-S', quantity: 3 }]);
    const second = world.shopee.placeOrder([{ sku: 'TEE-S', quantity: 3 }]);

    await worker.orders.ingest(first.event);
    await worker.orders.poll({ marketplace: 'shopee', accountId: world.shopee.spec.accountId });
    await worker.inventory.idle();

    expect(second.order.items).toHaveLength(1);
    expect(await stockOf(world.store, 'TEE-S')).toBe(-2);
    expect(oversold).toMatchObject([{ sku: 'TEE-S', quantity: -2 }]);
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('TEE-S')).toBe(0);
  });

  it('keeps the ledger exact when two workers ingest and poll the same orders at once', async () => {
    const world = await syncedWorld();
    const a = createWorker(world, { owner: 'a' });
    const b = createWorker(world, { owner: 'b' });
    const events = [
      world.meli.placeOrder([{ sku: 'MUG-RED', quantity: 2 }]).event,
      world.tiktok.placeOrder([{ sku: 'MUG-RED', quantity: 1 }]).event,
    ];
    const shopeeOrder = world.shopee.placeOrder([{ sku: 'MUG-RED', quantity: 3 }]).order;
    world.clock.advance(60_000);
    events.push(world.meli.changeOrder(events[0]!.resourceId, 'cancelled').event);
    const shopee = { marketplace: 'shopee', accountId: world.shopee.spec.accountId };

    await Promise.all([
      ...events.map((e) => a.orders.ingest(e)),
      ...[...events].reverse().map((e) => b.orders.ingest(e)),
      a.orders.poll(shopee),
      b.orders.poll(shopee),
    ]);
    await Promise.all([a.inventory.idle(), b.inventory.idle()]);
    await settle();

    expect(await world.store.getOrder(shopeeOrder)).toBeDefined();
    expect(await stockOf(world.store, 'MUG-RED')).toBe(initialStock().get('MUG-RED')! - 1 - 3);
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('MUG-RED')).toBe(6);
  });
});
