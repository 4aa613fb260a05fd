import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type MarketplaceClient, ServerError, ValidationError } from '@mlh/core';
import {
  createFleetQueue,
  createFleetWorker,
  type FleetAccount,
  type FleetQueue,
  type FleetWorker,
  type FleetWorkerOptions,
} from '@mlh/fleet';
import { createMemoryActivityStore, type SyncStore } from '@mlh/sync';
import { createPostgresStores } from '@mlh/sync-postgres';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { catalog, createWorker, createWorld, type World } from '../../sync/test/support/world';
import { dropSchema, freshSchema, skipReason as postgresSkipReason } from '../../sync-postgres/test/support';
import { databaseUrl, redisSkipReason, redisUrl, uniqueQueueName } from './support/services';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const hangingWorkerScript = fileURLToPath(new URL('./support/hanging-worker.ts', import.meta.url));

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close().catch(() => undefined);
});

async function syncedWorld(): Promise<World> {
  const world = await createWorld();
  // Real time for the fleet's leases, the world's clock for the orchestrators: keep them together.
  world.clock.current = Date.now();
  await createWorker(world, { owner: 'setup' }).products.run();
  return world;
}

function accountsOf(world: World): FleetAccount[] {
  return world.marketplaces.map((m) => ({ marketplace: m.spec.marketplace, accountId: m.spec.accountId }));
}

function clientOf(world: World, account: FleetAccount): MarketplaceClient {
  const marketplace = world.marketplaces.find((m) => m.spec.marketplace === account.marketplace);
  if (!marketplace) throw new Error(`no ${account.marketplace} in this world`);
  return marketplace.client();
}

function openQueue(queueName: string): FleetQueue {
  const queue = createFleetQueue({ connection: redisUrl!, queueName, backoffMs: 50 });
  opened.push(queue);
  return queue;
}

function openWorker(
  world: World,
  queueName: string,
  options: Partial<FleetWorkerOptions> & { store?: SyncStore } = {},
): FleetWorker {
  const worker = createFleetWorker({
    connection: redisUrl!,
    queueName,
    store: world.store,
    clientFor: (account) => clientOf(world, account),
    orderSync: { clock: () => world.clock.now() },
    inventorySync: { clock: () => world.clock.now() },
    backoffMs: 50,
    flushDelayMs: 10,
    busyRetryMs: 50,
    ...options,
  });
  worker.on('error', () => undefined);
  opened.push({ close: () => worker.close({ timeoutMs: 5_000 }) });
  return worker;
}

/** Wraps a client so that each call takes `ms` and the most calls in flight at once are counted. */
function slowClient(
  client: MarketplaceClient,
  ms: number,
  inFlight: { now: number; most: number },
): MarketplaceClient {
  const enter = async () => {
    inFlight.now += 1;
    inFlight.most = Math.max(inFlight.most, inFlight.now);
    await new Promise((resolve) => setTimeout(resolve, ms));
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'listProducts' || property === 'listOrders') {
        return async function* (...args: unknown[]) {
          await enter();
          try {
            yield* value.apply(target, args) as AsyncIterable<unknown>;
          } finally {
            inFlight.now -= 1;
          }
        };
      }
      return async (...args: unknown[]) => {
        await enter();
        try {
          return await value.apply(target, args);
        } finally {
          inFlight.now -= 1;
        }
      };
    },
  });
}

describe.skipIf(redisSkipReason !== undefined)('fleet worker (BullMQ)', () => {
  it('stores a webhook order once however often it is enqueued, and pushes its stock everywhere', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('webhook');
    const queue = openQueue(queueName);
    const worker = openWorker(world, queueName);
    await worker.ready();
    const { order, event } = world.meli.placeOrder([{ sku: 'MUG-RED', quantity: 2 }]);

    await queue.enqueueEvent(event);
    await queue.enqueueEvent(event); // a redelivery reaching another web process

    await vi.waitFor(
      () => {
        for (const marketplace of world.marketplaces) expect(marketplace.stockOf('MUG-RED')).toBe(8);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect((await world.store.getOrder(order))?.order.status).toBe('paid');
    expect(world.meli.calls.filter((call) => call.operation === 'getOrder')).toHaveLength(1);
  });

  it('polls an account without webhooks on its repeatable schedule', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('schedule');
    const queue = openQueue(queueName);
    openWorker(world, queueName);
    const shopee = accountsOf(world)[1]!;
    const { order } = world.shopee.placeOrder([{ sku: 'CAP', quantity: 1 }], { deliver: false });

    await queue.scheduleAccount(shopee, {
      ordersSyncMs: 200,
      inventoryFlushMs: 200,
      inventoryReconcileMs: 60_000,
    });

    await vi.waitFor(async () => expect((await world.store.getOrder(order))?.order.status).toBe('paid'), {
      timeout: 10_000,
      interval: 50,
    });
    await vi.waitFor(() => expect(world.tiktok.stockOf('CAP')).toBe(7), { timeout: 10_000, interval: 50 });
    await queue.unscheduleAccount(shopee);
    expect(await queue.queue.getJobSchedulersCount()).toBe(0);
  });

  it('queues another shop’s recovered order events for that shop’s worker (Shopee’s lost list is per app)', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('forward');
    const queue = openQueue(queueName);
    const [, shopee] = accountsOf(world) as [FleetAccount, FleetAccount];
    const sibling: FleetAccount = { marketplace: shopee.marketplace, accountId: 'shopee-shop-2' };
    const { event } = world.shopee.placeOrder([{ sku: 'CAP', quantity: 1 }], { deliver: false });
    const lost = { ...event, accountId: sibling.accountId, dedupeKey: 'shopee:3:lost-1' };
    const clientFor = (account: FleetAccount): MarketplaceClient => {
      const client = clientOf(world, account);
      if (account.accountId === sibling.accountId) return { ...client, accountId: sibling.accountId };
      return {
        ...client,
        async *recoverMissedEvents() {
          yield lost;
        },
      };
    };
    const worker = openWorker(world, queueName, { clientFor });
    const completed: { kind: string; accountId: string }[] = [];
    worker.on('job.completed', (job) => completed.push({ kind: job.kind, accountId: job.account.accountId }));
    await worker.ready();

    await queue.queue.add('orders.sync', { kind: 'orders.sync', account: shopee });

    // The sibling's event job may complete before the orders job that queued it has finished.
    await vi.waitFor(
      () => {
        expect(completed).toContainEqual({ kind: 'webhook.event', accountId: sibling.accountId });
        expect(completed).toContainEqual({ kind: 'orders.sync', accountId: shopee.accountId });
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('never runs two jobs of one account at once, even on two workers', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('serial');
    const queue = openQueue(queueName);
    const inFlight = { now: 0, most: 0 };
    // Only the account under test is counted: pushes to the other accounts may run meanwhile.
    const clientFor = (account: FleetAccount) =>
      account.marketplace === 'shopee'
        ? slowClient(clientOf(world, account), 40, inFlight)
        : clientOf(world, account);
    const first = openWorker(world, queueName, { clientFor, concurrency: 3 });
    const second = openWorker(world, queueName, { clientFor, concurrency: 3 });
    const busy: string[] = [];
    for (const worker of [first, second]) worker.on('job.busy', (job) => busy.push(job.id));
    const completed: string[] = [];
    for (const worker of [first, second]) worker.on('job.completed', (job) => completed.push(job.id));
    const shopee = accountsOf(world)[1]!;
    for (let i = 0; i < 4; i += 1) {
      await queue.queue.add('orders.sync', { kind: 'orders.sync', account: shopee }, { jobId: `sync-${i}` });
    }
    world.shopee.placeOrder([{ sku: 'CAP', quantity: 1 }], { deliver: false });

    await vi.waitFor(() => expect(completed.filter((id) => id.startsWith('sync-'))).toHaveLength(4), {
      timeout: 15_000,
      interval: 50,
    });
    expect(inFlight.most).toBe(1);
    expect(busy.length).toBeGreaterThan(0);
  });

  it('records the runs of its jobs in the activity store', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('activity');
    const queue = openQueue(queueName);
    const activity = createMemoryActivityStore();
    const worker = openWorker(world, queueName, { activity });
    await worker.ready();
    const shopee = accountsOf(world)[1]!;

    await queue.requestFlush(shopee, 0);

    await vi.waitFor(
      async () => {
        const runs = await activity.listRuns({ limit: 10, kind: 'inventory.flush' });
        expect(runs.items).toEqual([expect.objectContaining({ status: 'succeeded', failed: 0 })]);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('runs a stock push ahead of a backlog of order polls', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('priority');
    const queue = openQueue(queueName);
    const [meli, shopee, tiktok] = accountsOf(world);
    await queue.runNow([meli!, shopee!, tiktok!]);
    await queue.runNow(meli!, 'inventory.reconcile');
    await queue.requestFlush(tiktok!, 0);

    const worker = openWorker(world, queueName, { concurrency: 1 });
    const started: string[] = [];
    worker.on('job.started', (job) => started.push(`${job.kind} ${job.account.marketplace}`));
    await worker.ready();

    await vi.waitFor(() => expect(started).toContain('inventory.reconcile meli'), {
      timeout: 15_000,
      interval: 50,
    });
    expect(started[0]).toBe('inventory.flush tiktok');
    // The background kinds in their order: every queued poll before the hourly reconcile.
    expect(started.filter((run) => !run.startsWith('inventory.flush'))).toEqual([
      'orders.sync meli',
      'orders.sync shopee',
      'orders.sync tiktok',
      'inventory.reconcile meli',
    ]);
  });

  it('queues one run however often it is asked for while that run waits', async () => {
    const world = await syncedWorld();
    const queue = openQueue(uniqueQueueName('run-now'));
    const [meli, shopee] = accountsOf(world);

    await queue.runNow([meli!, shopee!]);
    await queue.runNow(meli!);
    await queue.runNow([meli!, shopee!]);

    const queued = await queue.queue.getJobs(['prioritized', 'waiting']);
    expect(queued.map((job) => `${job.data.kind} ${job.data.account.marketplace}`).sort()).toEqual([
      'orders.sync meli',
      'orders.sync shopee',
    ]);
  });

  it('retries a failing job with backoff, then dead-letters it and raises an alert', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('dead');
    const queue = createFleetQueue({ connection: redisUrl!, queueName, attempts: 3, backoffMs: 20 });
    opened.push(queue);
    const worker = openWorker(world, queueName, {
      clientFor: () => {
        throw new ServerError('Shopee answered 503', { marketplace: 'shopee', status: 503 });
      },
    });
    const failures: boolean[] = [];
    worker.on('job.failed', (failure) => failures.push(failure.willRetry));
    const alert = new Promise((resolve) => worker.once('alert', resolve));

    await queue.requestFlush(accountsOf(world)[1]!, 0);

    await expect(alert).resolves.toMatchObject({
      kind: 'dead-letter',
      job: { kind: 'inventory.flush', account: { marketplace: 'shopee' } },
      error: expect.stringContaining('503'),
    });
    expect(failures).toEqual([true, true, false]);
    await vi.waitFor(async () => expect(await worker.deadLetters.count()).toBe(1));
    expect(worker.metrics()).toMatchObject({ failed: 3, retried: 2, deadLettered: 1 });
  });

  it('retries the stock flushes it queues after an order, with the fleet’s attempts and backoff', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('own-flush');
    const queue = openQueue(queueName);
    // A long flush delay keeps the worker's own flush jobs waiting, so their options can be read.
    openWorker(world, queueName, { attempts: 4, backoffMs: 70, flushDelayMs: 60_000 });
    const { event } = world.meli.placeOrder([{ sku: 'MUG-RED', quantity: 1 }]);

    await queue.enqueueEvent(event);

    const flushes = await vi.waitFor(
      async () => {
        const delayed = (await queue.queue.getDelayed()).filter((job) => job.data.kind === 'inventory.flush');
        expect(delayed.length).toBeGreaterThan(0);
        return delayed;
      },
      { timeout: 10_000, interval: 50 },
    );
    for (const job of flushes) {
      expect(job.opts).toMatchObject({ attempts: 4, backoff: { type: 'exponential', delay: 70 } });
    }
  });

  it('dead-letters at once what retrying cannot fix', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('permanent');
    const queue = openQueue(queueName);
    const worker = openWorker(world, queueName, {
      clientFor: () => {
        throw new ValidationError('Invalid account', [{ path: 'accountId', message: 'unknown' }]);
      },
    });
    const failures: boolean[] = [];
    worker.on('job.failed', (failure) => failures.push(failure.willRetry));
    const alert = new Promise((resolve) => worker.once('alert', resolve));

    await queue.requestFlush(accountsOf(world)[0]!, 0);

    await expect(alert).resolves.toMatchObject({ kind: 'dead-letter' });
    expect(failures).toEqual([false]);
  });

  it('finishes the job in hand before a graceful shutdown returns', async () => {
    const world = await syncedWorld();
    const queueName = uniqueQueueName('shutdown');
    const queue = openQueue(queueName);
    const inFlight = { now: 0, most: 0 };
    const worker = createFleetWorker({
      connection: redisUrl!,
      queueName,
      store: world.store,
      clientFor: (account) => slowClient(clientOf(world, account), 300, inFlight),
      orderSync: { clock: () => world.clock.now() },
    });
    const started = new Promise((resolve) => worker.once('job.started', resolve));
    const completed: string[] = [];
    worker.on('job.completed', (job) => completed.push(job.id));
    world.shopee.placeOrder([{ sku: 'CAP', quantity: 1 }], { deliver: false });
    await queue.queue.add(
      'orders.sync',
      { kind: 'orders.sync', account: accountsOf(world)[1]! },
      { jobId: 'in-hand' },
    );

    await started;
    await worker.close({ timeoutMs: 10_000 });

    expect(completed).toEqual(['in-hand']);
  });

  it('says which Redis it cannot reach instead of running without it', async () => {
    const queue = createFleetQueue({ connection: 'redis://127.0.0.1:1', queueName: uniqueQueueName('down') });
    await expect(queue.ready({ timeoutMs: 300 })).rejects.toThrow(/Redis at 127\.0\.0\.1:1/);
    await queue.close().catch(() => undefined);
  });

  describe.skipIf(postgresSkipReason !== undefined)('with PostgreSQL', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      child?.kill('SIGKILL');
    });

    it('finishes a job whose worker was killed with -9 mid-job, once, on another worker', async () => {
      const schema = freshSchema();
      const stores = await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
      opened.push({
        close: async () => {
          await stores.close();
          await dropSchema(schema);
        },
      });
      const world = await syncedWorld();
      await stores.syncStore.upsertProducts(catalog());
      const queueName = uniqueQueueName('kill');
      const queue = openQueue(queueName);

      child = fork(hangingWorkerScript, [], {
        cwd: repositoryRoot,
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          MLH_SYNC_SCHEMA: schema,
          MLH_QUEUE: queueName,
          TSX_TSCONFIG_PATH: 'tsconfig.json',
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const messages: { type: string; id?: string }[] = [];
      child.on('message', (message: { type: string; id?: string }) => messages.push(message));
      await vi.waitFor(() => expect(messages.map((m) => m.type)).toContain('ready'), { timeout: 15_000 });
      const { order } = world.shopee.placeOrder([{ sku: 'CAP', quantity: 1 }], { deliver: false });
      await queue.queue.add(
        'orders.sync',
        { kind: 'orders.sync', account: accountsOf(world)[1]! },
        { jobId: 'killed' },
      );
      await vi.waitFor(() => expect(messages.map((m) => m.type)).toContain('started'), { timeout: 10_000 });

      child.kill('SIGKILL');
      const survivor = openWorker(world, queueName, {
        store: stores.syncStore,
        lockDurationMs: 1_000,
        stalledIntervalMs: 300,
      });
      const completed: string[] = [];
      survivor.on('job.completed', (job) => completed.push(job.id));

      await vi.waitFor(() => expect(completed).toContain('killed'), { timeout: 15_000, interval: 100 });
      expect(completed.filter((id) => id === 'killed')).toHaveLength(1);
      expect((await stores.syncStore.getOrder(order))?.order.status).toBe('paid');
    });
  });
});
