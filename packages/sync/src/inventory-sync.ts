import type { MarketplaceClient, Product } from '@mlh/core';
import { SyncEmitter, type SyncFailure } from './events';
import { productBatches } from './internal/product-batches';
import { Scheduler } from './internal/scheduler';
import { describeError, isOutcomeUnknown, isRetryable } from './internal/util';
import { newId, resolveRuntime, type SyncRuntime, type SyncRuntimeOptions } from './runtime';
import {
  assertStockLeaseOutlivesWrite,
  DEFAULT_READ_BACK_DELAY_MS,
  DEFAULT_STOCK_LEASE_TTL_MS,
  DEFAULT_STOCK_WRITE_MAX_MS,
  HeldStockLease,
  matchVariant,
  publishedStock,
  pushAccountStock,
  type StockBuffer,
  type StockPushContext,
  type StockPushed,
  stockBatchLimits,
} from './stock';
import type {
  Listing,
  ListingKey,
  ListingPush,
  StockLevel,
  StockMovement,
  StockMovementResult,
  SyncStore,
} from './store';

/** Options of {@link InventorySync}. */
export interface InventorySyncOptions extends SyncRuntimeOptions {
  store: SyncStore;
  /** One client per marketplace account whose listings get the stock. */
  clients: readonly MarketplaceClient[];
  /** Units held back per marketplace (see {@link StockBuffer}). Default none. */
  stockBuffer?: StockBuffer;
  /** How long {@link InventorySync.notify} waits to gather a burst into one push. Default 500 ms. */
  coalesceMs?: number;
  /** Safety-net push interval while started: catches movements whose push a crash cut short. Default 60 s. */
  flushIntervalMs?: number;
  /**
   * Drift repair interval while started; 0 turns it off. Default 15 minutes: the last net for a
   * write that landed late at a marketplace, a sale the store has not seen yet, or a hand edit.
   */
  reconcileIntervalMs?: number;
  /**
   * How long a worker holds an account's stock lease without renewing it; it must exceed
   * `stockWriteMaxMs`. Default 240 s (the longest write plus 30 s). A crashed worker's accounts
   * wait this long before another worker writes their stock.
   */
  leaseTtlMs?: number;
  /**
   * The longest one stock write can take (all attempts with their timeouts and backoffs): a write
   * is sent only when the lease has at least this long left. Default 210 s, the core transport's
   * worst case with its defaults; use `transportWorstCaseMs()` with your transport's settings.
   */
  stockWriteMaxMs?: number;
  /**
   * After a stock write whose outcome is unknown (timeout, lost response), how long to wait
   * before reading the marketplace back; until that read shows the store's value, the SKU is due.
   * Default 60 s.
   */
  readBackDelayMs?: number;
}

/** What {@link InventorySync.flush} did. */
export interface InventoryFlushSummary {
  kind: 'inventory.flush';
  runId: string;
  startedAt: number;
  finishedAt: number;
  /** SKU × listing values the marketplaces accepted. */
  pushed: number;
  /** SKU × listing values read back after a write of unknown outcome and found right. */
  verified: number;
  failed: SyncFailure[];
  /** Accounts another worker was pushing at the time (it pushes what is due). */
  busyAccounts: { marketplace: string; accountId: string }[];
}

/** One SKU whose marketplace stock differed from the store's. */
export interface StockDrift {
  marketplace: string;
  accountId: string;
  sku: string;
  variantSku: string;
  marketplaceQuantity: number;
  expectedQuantity: number;
  repaired: boolean;
}

/** What {@link InventorySync.reconcile} found and did. */
export interface InventoryReconcileSummary {
  kind: 'inventory.reconcile';
  runId: string;
  startedAt: number;
  finishedAt: number;
  /** SKU × listing values compared. */
  checked: number;
  drift: StockDrift[];
  /** Listings the store has that the marketplace no longer returns. */
  missing: { marketplace: string; accountId: string; sku: string; productExternalId: string }[];
  failed: SyncFailure[];
  busyAccounts: { marketplace: string; accountId: string }[];
}

/**
 * Keeps every listing's stock equal to the store's: movements go to the ledger once (by key), and
 * the resulting ABSOLUTE stock (less the buffer, never negative) is pushed to every listing of the
 * SKU on every account, the marketplace where the order happened included, so every listing
 * converges to one formula whatever that marketplace did on its own. Bursts coalesce: a push sends
 * the latest value once, however many movements came before it.
 *
 * @example
 * const inventory = new InventorySync({ store, clients: [meli, shopee, tiktok], stockBuffer: { shopee: 1 } });
 * await inventory.adjust([{ key: 'receipt-981:MUG-RED', sku: 'MUG-RED', delta: 20, reason: 'restock' }]);
 * await inventory.idle(); // the new stock is on every marketplace
 */
export class InventorySync extends SyncEmitter {
  private readonly store: SyncStore;
  private readonly clients: readonly MarketplaceClient[];
  private readonly buffer: StockBuffer | undefined;
  private readonly runtime: SyncRuntime;
  private readonly coalesceMs: number;
  private readonly leaseTtlMs: number;
  private readonly stockWriteMaxMs: number;
  private readonly readBackDelayMs: number;
  /** One stock run per account at a time in this process: a flush and a reconcile share the lease owner. */
  private readonly accountRuns = new Map<string, Promise<unknown>>();
  private readonly scheduler: Scheduler;
  private readonly flushIntervalMs: number;
  private readonly reconcileIntervalMs: number;
  private coalesceTimer: unknown;
  private activeFlush: Promise<InventoryFlushSummary> | undefined;
  private queuedFlush: Promise<InventoryFlushSummary> | undefined;

  constructor(options: InventorySyncOptions) {
    super();
    this.store = options.store;
    this.clients = options.clients;
    this.buffer = options.stockBuffer;
    this.runtime = resolveRuntime(options);
    this.coalesceMs = options.coalesceMs ?? 500;
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_STOCK_LEASE_TTL_MS;
    this.stockWriteMaxMs = options.stockWriteMaxMs ?? DEFAULT_STOCK_WRITE_MAX_MS;
    this.readBackDelayMs = options.readBackDelayMs ?? DEFAULT_READ_BACK_DELAY_MS;
    assertStockLeaseOutlivesWrite(this.leaseTtlMs, this.stockWriteMaxMs);
    this.flushIntervalMs = options.flushIntervalMs ?? 60_000;
    this.reconcileIntervalMs = options.reconcileIntervalMs ?? 15 * 60_000;
    this.scheduler = new Scheduler(this.runtime.timers);
  }

  /**
   * Applies the application's own movements (receipts, counts, returns) once per key, then
   * schedules the push of the new stock.
   */
  async adjust(movements: readonly StockMovement[]): Promise<StockMovementResult[]> {
    const results = await this.store.applyStockMovements(movements);
    this.notify(results);
    return results;
  }

  /**
   * Tells the inventory that these SKUs' stock changed (e.g. from `OrderSync`): reports oversold
   * SKUs and schedules one coalesced push after `coalesceMs`.
   */
  notify(levels: readonly (StockLevel & { applied?: boolean })[]): void {
    for (const level of levels) {
      if (level.applied !== false && level.quantity < 0) {
        this.emitSafe('stock.oversold', { sku: level.sku, quantity: level.quantity, version: level.version });
      }
    }
    if (levels.length > 0) this.scheduleFlush();
  }

  /**
   * Pushes at once what a coalescing timer is waiting to push, and resolves once no push or
   * scheduled run is in progress.
   */
  async idle(): Promise<void> {
    await this.scheduler.idle();
    while (this.coalesceTimer !== undefined || this.activeFlush || this.queuedFlush) {
      if (this.coalesceTimer !== undefined) {
        this.runtime.timers.clearTimeout(this.coalesceTimer);
        this.coalesceTimer = undefined;
        await this.flush().catch(() => undefined);
      }
      await (this.queuedFlush ?? this.activeFlush)?.catch(() => undefined);
    }
  }

  /**
   * Pushes every SKU whose stock changed since its last push, to every account, now. Calls made
   * while a flush runs share one follow-up flush.
   */
  flush(): Promise<InventoryFlushSummary> {
    if (this.queuedFlush) return this.queuedFlush;
    if (this.activeFlush) {
      const queued = this.activeFlush
        .catch(() => undefined)
        .then(() => {
          this.queuedFlush = undefined;
          return this.startFlush();
        });
      this.queuedFlush = queued;
      return queued;
    }
    return this.startFlush();
  }

  /**
   * Reads every listing's stock from the marketplaces, compares it with what the store says it
   * should be, and (unless `repair` is false) pushes the store's value where they differ. Run it
   * after an order poll: an order the store has not seen yet shows up here as drift. `runId`
   * names the run (default a new UUID).
   */
  async reconcile(options: { repair?: boolean; runId?: string } = {}): Promise<InventoryReconcileSummary> {
    const runId = options.runId ?? newId();
    const startedAt = this.runtime.clock();
    const summary: InventoryReconcileSummary = {
      kind: 'inventory.reconcile',
      runId,
      startedAt,
      finishedAt: startedAt,
      checked: 0,
      drift: [],
      missing: [],
      failed: [],
      busyAccounts: [],
    };
    this.emitSafe('started', { runId, kind: 'inventory.reconcile', at: startedAt });
    await Promise.all(
      this.clients.map((client) => this.reconcileAccount(client, runId, options.repair ?? true, summary)),
    );
    summary.finishedAt = this.runtime.clock();
    this.emitSafe('finished', { runId, kind: 'inventory.reconcile', summary });
    return summary;
  }

  /** Starts the safety-net flush (and the reconcile, if configured) on the injected timers. */
  start(): void {
    this.scheduler.every('flush', this.flushIntervalMs, async () => {
      await this.flush();
    });
    if (this.reconcileIntervalMs > 0) {
      this.scheduler.every('reconcile', this.reconcileIntervalMs, async () => {
        await this.reconcile();
      });
    }
  }

  /** Stops the timers and waits for what is running, including a pending coalesced push. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.idle();
  }

  private scheduleFlush(): void {
    if (this.coalesceTimer !== undefined) return;
    this.coalesceTimer = this.runtime.timers.setTimeout(() => {
      this.coalesceTimer = undefined;
      this.flush().catch(() => undefined);
    }, this.coalesceMs);
  }

  private startFlush(): Promise<InventoryFlushSummary> {
    const running = this.flushOnce().finally(() => {
      if (this.activeFlush === running) this.activeFlush = undefined;
    });
    this.activeFlush = running;
    return running;
  }

  private async flushOnce(): Promise<InventoryFlushSummary> {
    const runId = newId();
    const startedAt = this.runtime.clock();
    this.emitSafe('started', { runId, kind: 'inventory.flush', at: startedAt });
    const summary: InventoryFlushSummary = {
      kind: 'inventory.flush',
      runId,
      startedAt,
      finishedAt: startedAt,
      pushed: 0,
      verified: 0,
      failed: [],
      busyAccounts: [],
    };
    await Promise.all(
      this.clients.map(async (client) => {
        try {
          const outcome = await this.exclusive(client, () =>
            pushAccountStock({
              ...this.stockContext(client),
              onPushed: (pushed) => this.reportPushed(client, pushed),
            }),
          );
          summary.pushed += outcome.pushed.length;
          summary.verified += outcome.verified.length;
          for (const failure of outcome.failed)
            this.reportFailure(runId, 'inventory.flush', failure, summary.failed);
          if (outcome.leaseHeld)
            summary.busyAccounts.push({ marketplace: client.marketplace, accountId: client.accountId });
        } catch (error) {
          this.reportFailure(
            runId,
            'inventory.flush',
            accountFailure(client, 'stock', error),
            summary.failed,
          );
        }
      }),
    );
    summary.finishedAt = this.runtime.clock();
    this.emitSafe('finished', { runId, kind: 'inventory.flush', summary });
    return summary;
  }

  private stockContext(client: MarketplaceClient): StockPushContext {
    return {
      store: this.store,
      client,
      buffer: this.buffer,
      clock: this.runtime.clock,
      owner: this.runtime.owner,
      leaseTtlMs: this.leaseTtlMs,
      writeMaxMs: this.stockWriteMaxMs,
      readBackDelayMs: this.readBackDelayMs,
      timers: this.runtime.timers,
    };
  }

  /** Runs `work` after this process's earlier stock run on the same account has ended. */
  private async exclusive<T>(client: MarketplaceClient, work: () => Promise<T>): Promise<T> {
    const key = `${client.marketplace}\u0000${client.accountId}`;
    const before = this.accountRuns.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(work);
    const tail = run.catch(() => undefined);
    this.accountRuns.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.accountRuns.get(key) === tail) this.accountRuns.delete(key);
    }
  }

  private reportPushed(client: MarketplaceClient, { item, quantity }: StockPushed): void {
    this.emitSafe('stock.pushed', {
      marketplace: client.marketplace,
      accountId: client.accountId,
      sku: item.sku,
      variantSku: item.variantSku,
      quantity,
      stock: item.stock.quantity,
      version: item.stock.version,
    });
  }

  private reportFailure(
    runId: string,
    kind: 'inventory.flush' | 'inventory.reconcile',
    failure: SyncFailure,
    into: SyncFailure[],
  ): void {
    into.push(failure);
    this.emitSafe('item.failed', { ...failure, runId, kind });
  }

  private async reconcileAccount(
    client: MarketplaceClient,
    runId: string,
    repair: boolean,
    summary: InventoryReconcileSummary,
  ): Promise<void> {
    await this.exclusive(client, async () => {
      const lease = await HeldStockLease.acquire(this.stockContext(client)).catch((error: unknown) => {
        this.reportFailure(
          runId,
          'inventory.reconcile',
          accountFailure(client, 'store', error),
          summary.failed,
        );
        return null;
      });
      if (lease === null) return;
      if (!lease) {
        summary.busyAccounts.push({ marketplace: client.marketplace, accountId: client.accountId });
        return;
      }
      try {
        const batchSize = Math.max(1, client.capabilities.maxBatch.getProducts);
        let after: string | undefined;
        do {
          const page = await this.store.listListings({
            marketplace: client.marketplace,
            accountId: client.accountId,
            after,
            limit: batchSize,
          });
          const active = page.items.filter(
            (l): l is Listing & { productExternalId: string } =>
              l.state === 'active' && !!l.productExternalId,
          );
          if (active.length > 0) await this.reconcileListings(client, lease, runId, active, repair, summary);
          after = page.next;
          if (after) await lease.renew();
        } while (after);
      } catch (error) {
        this.reportFailure(
          runId,
          'inventory.reconcile',
          accountFailure(client, 'reconcile', error),
          summary.failed,
        );
      } finally {
        await lease.release();
      }
    });
  }

  private async reconcileListings(
    client: MarketplaceClient,
    lease: HeldStockLease,
    runId: string,
    listings: readonly (Listing & { productExternalId: string })[],
    repair: boolean,
    summary: InventoryReconcileSummary,
  ): Promise<void> {
    let remote: Product[];
    const readAt = this.runtime.clock();
    try {
      remote = await client.getProducts(listings.map((l) => l.productExternalId));
    } catch (error) {
      for (const listing of listings) {
        this.reportFailure(
          runId,
          'inventory.reconcile',
          { ...accountFailure(client, 'fetch', error), sku: listing.sku },
          summary.failed,
        );
      }
      return;
    }
    const byId = new Map(remote.map((p) => [p.externalId, p]));
    const skus = listings.flatMap((l) => l.variants.map((v) => v.sku));
    const stock = new Map((await this.store.getStock(skus)).map((level) => [level.sku, level]));
    const repairs: {
      drift: StockDrift;
      push: ListingPush;
      update: Parameters<MarketplaceClient['updateInventory']>[0][number];
    }[] = [];
    const confirmed: ListingPush[] = [];
    for (const listing of listings) {
      const product = byId.get(listing.productExternalId);
      if (!product) {
        summary.missing.push({
          marketplace: client.marketplace,
          accountId: client.accountId,
          sku: listing.sku,
          productExternalId: listing.productExternalId,
        });
        continue;
      }
      for (const variant of listing.variants) {
        const level = stock.get(variant.sku);
        const remoteVariant = matchVariant(product, variant.sku, variant.externalId);
        if (!level || !remoteVariant) continue;
        summary.checked += 1;
        const expected = publishedStock(
          level.quantity,
          { marketplace: client.marketplace, accountId: client.accountId, sku: variant.sku },
          this.buffer,
        );
        if (remoteVariant.quantity === expected) {
          // A pending read-back is answered by this read when it is due.
          if (variant.stockCheckAfter !== undefined && variant.stockCheckAfter <= readAt) {
            confirmed.push({
              ...listingKey(listing),
              variantSku: variant.sku,
              stock: { quantity: expected, version: level.version },
              stockReadBackAt: readAt,
            });
          }
          continue;
        }
        const drift: StockDrift = {
          marketplace: client.marketplace,
          accountId: client.accountId,
          sku: listing.sku,
          variantSku: variant.sku,
          marketplaceQuantity: remoteVariant.quantity,
          expectedQuantity: expected,
          repaired: false,
        };
        summary.drift.push(drift);
        this.emitSafe('stock.drift', { ...drift });
        repairs.push({
          drift,
          push: {
            ...listingKey(listing),
            variantSku: variant.sku,
            stock: { quantity: expected, version: level.version },
            stockReadBackAt: readAt,
          },
          update: {
            productExternalId: listing.productExternalId,
            variantExternalId: variant.externalId,
            sku: variant.sku,
            quantity: expected,
          },
        });
      }
    }
    if (confirmed.length > 0) await this.store.recordPushes(confirmed, this.runtime.clock());
    if (!repair) return;
    for (const batch of productBatches(repairs, stockBatchLimits(client), (r) => r.push.sku)) {
      await this.repairBatch(client, lease, runId, batch, summary);
    }
  }

  private async repairBatch(
    client: MarketplaceClient,
    lease: HeldStockLease,
    runId: string,
    batch: readonly {
      drift: StockDrift;
      push: ListingPush;
      update: Parameters<MarketplaceClient['updateInventory']>[0][number];
    }[],
    summary: InventoryReconcileSummary,
  ): Promise<void> {
    const written = await lease.write(() => client.updateInventory(batch.map((r) => r.update)));
    if (!written.ok || !written.held) {
      const error = written.ok ? lease.lost('it lapsed while a write was in flight') : written.error;
      if (!written.held || isOutcomeUnknown(error)) {
        // The repair may land later than a newer write: read it back before trusting it.
        await this.store.recordPushes(
          batch.map((r) => ({
            ...listingKey(r.push),
            variantSku: r.push.variantSku,
            stockCheckAfter: this.runtime.clock() + this.readBackDelayMs,
          })),
          this.runtime.clock(),
        );
      }
      for (const r of batch) {
        this.reportFailure(
          runId,
          'inventory.reconcile',
          { ...accountFailure(client, 'stock', error), sku: r.push.variantSku },
          summary.failed,
        );
      }
      if (!written.held) throw error;
      return;
    }
    const result = written.value;
    for (const failure of result.failed) {
      const repair = batch.find((r) => r.update === failure.item);
      this.reportFailure(
        runId,
        'inventory.reconcile',
        { ...accountFailure(client, 'stock', failure.error), sku: repair?.push.variantSku },
        summary.failed,
      );
    }
    const done = batch.filter(
      (r) =>
        result.succeeded.includes(r.update) ||
        result.succeeded.some(
          (u) => u.productExternalId === r.update.productExternalId && u.sku === r.update.sku,
        ),
    );
    await this.store.recordPushes(
      done.map((r) => r.push),
      this.runtime.clock(),
    );
    for (const r of done) {
      r.drift.repaired = true;
      this.emitSafe('stock.pushed', {
        marketplace: client.marketplace,
        accountId: client.accountId,
        sku: r.push.sku,
        variantSku: r.push.variantSku,
        quantity: r.update.quantity,
        stock: r.push.stock?.quantity ?? r.update.quantity,
        version: r.push.stock?.version ?? 0,
      });
    }
  }
}

function listingKey(listing: ListingKey): ListingKey {
  return { marketplace: listing.marketplace, accountId: listing.accountId, sku: listing.sku };
}

function accountFailure(client: MarketplaceClient, stage: string, error: unknown): SyncFailure {
  return {
    marketplace: client.marketplace,
    accountId: client.accountId,
    stage,
    reason: describeError(error),
    retryable: isRetryable(error),
    error,
  };
}
