import { isMlhError, type Logger, type MarketplaceClient } from '@mlh/core';
import {
  type ActivityStore,
  type InventoryFlushSummary,
  type InventoryReconcileSummary,
  InventorySync,
  type InventorySyncOptions,
  OrderSync,
  type OrderSyncOptions,
  recordSyncActivity,
  type SyncEmitter,
  type SyncFailure,
  type SyncStore,
} from '@mlh/sync';
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { EventEmitter } from 'eventemitter3';
import { assertReachable, bullConnection } from './connection';
import {
  accountKey,
  DEFAULT_FLEET_QUEUE,
  type FleetAccount,
  type FleetJobData,
  type FleetJobKind,
} from './jobs';
import { addEventJob, type FleetQueueOptions, fleetJobOptions, requestFlushOn } from './queue';

/** Options of {@link createFleetWorker}. */
export interface FleetWorkerOptions extends FleetQueueOptions {
  /** The shared store (e.g. `@mlh/sync-postgres`): every worker of the fleet must use the same one. */
  store: SyncStore;
  /** The client of one account, built from your TokenStore and app credentials. */
  clientFor(account: FleetAccount): MarketplaceClient | Promise<MarketplaceClient>;
  /**
   * Accounts to push every stock change to, on top of those the store finds listing the SKUs an
   * order moved (which is usually enough). Default none.
   */
  accounts?(): readonly FleetAccount[] | Promise<readonly FleetAccount[]>;
  /** Jobs this process runs at once (never two of one account). Default 4. */
  concurrency?: number;
  /** The per-account lease a job holds, renewed while it runs. Default 60 s. */
  accountLeaseMs?: number;
  /** When an account is busy with another job, try this one again after this long. Default 2 s. */
  busyRetryMs?: number;
  /** How long after a stock change its push runs, so a burst goes out once. Default 1 s. */
  flushDelayMs?: number;
  /** How long a job's lock lasts without renewal before another worker takes it over (BullMQ `lockDuration`). Default 30 s. */
  lockDurationMs?: number;
  /** How often stalled jobs (of a crashed worker) are looked for (BullMQ `stalledInterval`). Default 30 s. */
  stalledIntervalMs?: number;
  /** Dead-letter queue name. Default `<queueName>-dead`. */
  deadLetterQueueName?: string;
  /** Extra options of the `OrderSync` each job builds. */
  orderSync?: Omit<OrderSyncOptions, 'store' | 'clients' | 'inventory'>;
  /** Extra options of the `InventorySync` each job builds. */
  inventorySync?: Omit<InventorySyncOptions, 'store' | 'clients'>;
  /** This worker's name in leases and events. Default a random id. */
  owner?: string;
  /**
   * Where each job's sync runs, failures and alerts are recorded (`recordSyncActivity` of
   * `@mlh/sync`), e.g. the `activityStore` of `@mlh/sync-postgres`, shared by every worker. A job
   * ends once its activity is written; a failed write is an `error` event, never a failed job.
   */
  activity?: ActivityStore;
}

/** A job's identity in events. */
export interface FleetJobRef {
  id: string;
  kind: FleetJobKind;
  account: FleetAccount;
  attempt: number;
}

/** What a fleet worker reports. */
export interface FleetWorkerEvents {
  'job.started': [FleetJobRef];
  'job.completed': [FleetJobRef & { durationMs: number; result: unknown }];
  /** A job failed; `willRetry` says whether BullMQ tries it again (with backoff). */
  'job.failed': [FleetJobRef & { error: string; willRetry: boolean }];
  /** The account was busy with another job: this one waits `busyRetryMs` (no attempt spent). */
  'job.busy': [FleetJobRef];
  /**
   * Something needs a person: a job used up its attempts (or cannot succeed by retrying) and went
   * to the dead-letter queue. Wire it to your alerting.
   */
  alert: [{ kind: 'dead-letter'; job: FleetJobRef; error: string; deadLetterJobId: string | undefined }];
  /** Counters after each job; see {@link FleetMetrics}. */
  metrics: [FleetMetrics];
  /** Redis or worker-level errors (connection lost, a listener that threw). */
  error: [Error];
}

/** Running totals of one worker process. */
export interface FleetMetrics {
  completed: number;
  failed: number;
  retried: number;
  deadLettered: number;
  busy: number;
  /** Completed jobs by kind, with their total duration. */
  byKind: Partial<Record<FleetJobKind, { completed: number; totalMs: number }>>;
}

/** A running fleet worker. */
export interface FleetWorker extends EventEmitter<FleetWorkerEvents> {
  readonly worker: Worker<FleetJobData>;
  readonly deadLetters: Queue;
  /** Throws a clear error when Redis does not answer within `timeoutMs` (default 5 s). */
  ready(options?: { timeoutMs?: number }): Promise<void>;
  metrics(): FleetMetrics;
  /**
   * Stops taking jobs and waits up to `timeoutMs` (default 30 s) for the jobs in hand to finish.
   * Past that the worker closes anyway: a job it had not finished is taken over by another worker
   * once its lock runs out (`lockDurationMs`), and its account lease expires on its own.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/** A job failed in a way that retrying cannot fix (bad input, authorization revoked). */
function permanent(error: unknown): boolean {
  return isMlhError(error) && !error.retryable && error.kind !== 'timeout' && error.kind !== 'network';
}

function failuresError(failures: readonly SyncFailure[]): Error {
  const lines = failures
    .slice(0, 5)
    .map(
      (f) => `${f.stage}${f.sku ? ` ${f.sku}` : ''}${f.orderId ? ` order ${f.orderId}` : ''}: ${f.reason}`,
    );
  const more = failures.length > 5 ? ` (+${failures.length - 5} more)` : '';
  const message = `${failures.length} failure${failures.length === 1 ? '' : 's'}: ${lines.join('; ')}${more}`;
  return failures.every((f) => !f.retryable) ? new UnrecoverableError(message) : new Error(message);
}

function refOf(job: Job<FleetJobData>): FleetJobRef {
  return { id: job.id ?? '', kind: job.data.kind, account: job.data.account, attempt: job.attemptsMade + 1 };
}

/**
 * Starts a worker that runs the fleet's jobs: one job at a time per account across every worker
 * (a lease in the shared store), retries with exponential backoff, a dead-letter queue that
 * raises an `alert`, and stock pushes to every account after an order moves stock.
 *
 * @example
 * const stores = await createPostgresStores({ connectionString: process.env.DATABASE_URL! });
 * const worker = createFleetWorker({
 *   connection: process.env.REDIS_URL!,
 *   store: stores.syncStore,
 *   clientFor: (account) => clients.get(`${account.marketplace}:${account.accountId}`)!,
 * });
 * worker.on('alert', (alert) => pager.notify(alert));
 * process.on('SIGTERM', () => void worker.close());
 */
export function createFleetWorker(options: FleetWorkerOptions): FleetWorker {
  const queueName = options.queueName ?? DEFAULT_FLEET_QUEUE;
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const owner = options.owner ?? `fleet-${crypto.randomUUID()}`;
  const leaseMs = options.accountLeaseMs ?? 60_000;
  const busyRetryMs = options.busyRetryMs ?? 2_000;
  const flushDelayMs = options.flushDelayMs ?? 1_000;
  const { store } = options;
  const emitter = new EventEmitter<FleetWorkerEvents>();
  const totals: FleetMetrics = { completed: 0, failed: 0, retried: 0, deadLettered: 0, busy: 0, byKind: {} };
  // The flushes this worker queues after an order must retry like every other fleet job: without
  // these defaults BullMQ gives them one attempt, and one 429 would dead-letter a stock push.
  const producer = new Queue<FleetJobData>(queueName, {
    connection: bullConnection(options.connection, 'producer'),
    defaultJobOptions: fleetJobOptions(options),
    ...prefix,
  });
  const deadLetters = new Queue(options.deadLetterQueueName ?? `${queueName}-dead`, {
    connection: bullConnection(options.connection, 'producer'),
    ...prefix,
  });
  for (const queue of [producer, deadLetters]) queue.on('error', (error) => emitter.emit('error', error));

  const emit = <K extends keyof FleetWorkerEvents>(event: K, ...args: FleetWorkerEvents[K]) => {
    try {
      (emitter.emit as (event: K, ...args: FleetWorkerEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      if (event !== 'error') emitter.emit('error', error instanceof Error ? error : new Error(String(error)));
    }
  };

  /**
   * Asks for a stock push on every account that lists one of `skus` (found in the shared store),
   * so a sale on one marketplace lowers the stock on the others, and nowhere else: a fleet of many
   * separate sellers does not queue a flush per seller for each order.
   */
  async function flushAccountsListing(skus: ReadonlySet<string>): Promise<void> {
    const accounts = new Map<string, FleetAccount>();
    for (const account of (await options.accounts?.()) ?? []) accounts.set(accountKey(account), account);
    for (const sku of skus) {
      for (const listing of await store.findListingsBySku(sku)) {
        const account = { marketplace: listing.marketplace, accountId: listing.accountId };
        accounts.set(accountKey(account), account);
      }
    }
    for (const account of accounts.values()) await requestFlushOn(producer, account, flushDelayMs);
  }

  /** Reports the activity store's failed writes as `error` events (the job goes on). */
  const activityLogger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (message, fields) => emit('error', new Error(`${message} (${String(fields?.write ?? '')})`)),
  };

  /** Runs a job's orchestrator work with its events recorded in `options.activity`, when given. */
  async function withActivity<T>(orchestrator: SyncEmitter, work: () => Promise<T>): Promise<T> {
    const activity = options.activity;
    if (!activity) return work();
    const recorder = recordSyncActivity(orchestrator, activity, { logger: activityLogger });
    try {
      return await work();
    } finally {
      recorder.stop();
      await recorder.idle();
    }
  }

  async function runOrders(data: FleetJobData, client: MarketplaceClient): Promise<unknown> {
    const orders = new OrderSync({
      ...options.orderSync,
      store,
      clients: [client],
      owner,
      // Shopee's lost list is the app's: another shop's order events go to that shop's worker,
      // queued (durably, in Redis) before the recovery confirms them.
      forwardEvent: (event) => addEventJob(producer, event, fleetJobOptions(options)),
    });
    const movedSkus = new Set<string>();
    orders.on('order.upserted', (event) => {
      for (const level of event.stock) if (level.applied) movedSkus.add(level.sku);
    });
    let result: unknown;
    let failures: SyncFailure[] = [];
    await withActivity(orders, async () => {
      if (data.kind === 'webhook.event') {
        result = await orders.ingest(data.event);
      } else {
        const run = await orders.reconcile(data.account);
        failures = [...(run.recovery?.failed ?? []), ...run.poll.failed];
        result = run;
      }
    });
    // Push the stock before reporting failures: the orders that did go in moved it.
    if (movedSkus.size > 0) await flushAccountsListing(movedSkus);
    if (failures.length > 0) throw failuresError(failures);
    return result;
  }

  async function runInventory(data: FleetJobData, client: MarketplaceClient): Promise<unknown> {
    const inventory = new InventorySync({ ...options.inventorySync, store, clients: [client], owner });
    const summary = await withActivity(
      inventory,
      (): Promise<InventoryFlushSummary | InventoryReconcileSummary> =>
        data.kind === 'inventory.flush' ? inventory.flush() : inventory.reconcile({ repair: true }),
    );
    if (summary.failed.length > 0) throw failuresError(summary.failed);
    return summary;
  }

  async function underAccountLease<T>(
    job: Job<FleetJobData>,
    token: string | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    const key = `fleet:${accountKey(job.data.account)}`;
    const holder = `${owner}:${job.id}`;
    const lease = await store.acquireLease({ key, owner: holder, ttlMs: leaseMs, now: Date.now() });
    if (!lease) {
      totals.busy += 1;
      emit('job.busy', refOf(job));
      await job.moveToDelayed(Date.now() + busyRetryMs, token);
      throw new DelayedError();
    }
    const renew = setInterval(
      () => {
        store.renewLease({ key, owner: holder, ttlMs: leaseMs, now: Date.now() }).catch(() => undefined);
      },
      Math.max(1_000, Math.floor(leaseMs / 3)),
    );
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await store.releaseLease({ key, owner: holder }).catch(() => false);
    }
  }

  async function processJob(job: Job<FleetJobData>, token?: string): Promise<unknown> {
    return underAccountLease(job, token, async () => {
      const started = Date.now();
      emit('job.started', refOf(job));
      let result: unknown;
      try {
        const client = await options.clientFor(job.data.account);
        result =
          job.data.kind === 'inventory.flush' || job.data.kind === 'inventory.reconcile'
            ? await runInventory(job.data, client)
            : await runOrders(job.data, client);
      } catch (error) {
        if (permanent(error)) {
          throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
        }
        throw error;
      }
      const durationMs = Date.now() - started;
      const byKind = totals.byKind[job.data.kind] ?? { completed: 0, totalMs: 0 };
      byKind.completed += 1;
      byKind.totalMs += durationMs;
      totals.byKind[job.data.kind] = byKind;
      emit('job.completed', { ...refOf(job), durationMs, result });
      return result;
    });
  }

  const worker = new Worker<FleetJobData>(queueName, processJob, {
    connection: bullConnection(options.connection, 'worker'),
    ...prefix,
    concurrency: options.concurrency ?? 4,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
  });
  worker.on('error', (error) => emit('error', error));
  worker.on('completed', () => {
    totals.completed += 1;
    emit('metrics', structuredClone(totals));
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const final =
      error instanceof UnrecoverableError ||
      error.name === 'UnrecoverableError' ||
      job.attemptsMade >= attempts;
    const ref = { ...refOf(job), attempt: job.attemptsMade };
    totals.failed += 1;
    if (!final) totals.retried += 1;
    emit('job.failed', { ...ref, error: error.message, willRetry: !final });
    if (final) void deadLetter(job, ref, error.message);
    emit('metrics', structuredClone(totals));
  });

  async function deadLetter(job: Job<FleetJobData>, ref: FleetJobRef, error: string): Promise<void> {
    let deadLetterJobId: string | undefined;
    try {
      const dead = await deadLetters.add(job.name, {
        job: job.data,
        jobId: job.id,
        error,
        attemptsMade: job.attemptsMade,
        failedAt: new Date().toISOString(),
      });
      deadLetterJobId = dead.id;
      totals.deadLettered += 1;
    } catch (cause) {
      emit('error', new Error(`Could not dead-letter job ${job.id}: ${String(cause)}`, { cause }));
    }
    emit('alert', { kind: 'dead-letter', job: ref, error, deadLetterJobId });
  }

  return Object.assign(emitter, {
    worker,
    deadLetters,
    async ready({ timeoutMs = 5_000 } = {}) {
      await assertReachable(
        async () => (await producer.backend.client).get(`${producer.name}:ping`),
        options.connection,
        timeoutMs,
      );
      await worker.waitUntilReady();
    },
    metrics: () => structuredClone(totals),
    async close({ timeoutMs = 30_000 } = {}) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([worker.close().then(() => 'closed' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') await worker.close(true);
      await Promise.all([producer.close(), deadLetters.close()]);
    },
  });
}
