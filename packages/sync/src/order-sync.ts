import type { MarketplaceClient, MarketplaceId, MlhEvent, Order, OrderStatus } from '@mlh/core';
import { SyncEmitter, type SyncFailure } from './events';
import { contentHashSyncWithout } from './hash';
import { processEventOnce, withLease } from './internal/once';
import { Scheduler } from './internal/scheduler';
import { describeError, isRetryable } from './internal/util';
import type { InventorySync } from './inventory-sync';
import { newId, resolveRuntime, type SyncRuntime, type SyncRuntimeOptions } from './runtime';
import { DEFAULT_RESERVING_STATUSES, type OrderLineStock, orderLineIds, planOrderMovements } from './stock';
import {
  type CheckpointKey,
  type OrderUpsertInput,
  type OrderUpsertResult,
  resolveOrderLineSkusOf,
  type SyncStore,
  upsertOrdersOf,
} from './store';

/** Options of {@link OrderSync}. */
export interface OrderSyncOptions extends SyncRuntimeOptions {
  store: SyncStore;
  /** One client per marketplace account whose orders are synced. */
  clients: readonly MarketplaceClient[];
  /** Receives the stock changes orders cause and pushes them to every listing. */
  inventory?: InventorySync;
  /** Order statuses that hold stock. Default every status but `cancelled`. */
  reservingStatuses?: readonly OrderStatus[];
  /** How far before the checkpoint each poll starts again, for late-indexed changes. Default 10 minutes. */
  overlapMs?: number;
  /** How far back the first poll of an account looks. Default 24 hours. */
  initialLookbackMs?: number;
  /** Poll interval for marketplaces without order webhooks; default each one's `capabilities.orderPollIntervalMs`. */
  pollIntervalMs?: number;
  /** Reconcile interval for marketplaces with order webhooks (webhooks get lost). Default 1 hour. */
  reconcileIntervalMs?: number;
  /** How long a poller holds an account's lease without renewing it. Default 5 minutes. */
  leaseTtlMs?: number;
  /**
   * How many polled orders are stored per store call: one transaction per batch where the store
   * has `upsertOrders` (an order that fails makes its batch be stored one order at a time, so
   * only it fails). After a batch the lease is renewed once a tenth of `leaseTtlMs` has passed
   * since it was last renewed. Default 100.
   */
  pollBatchSize?: number;
  /** How long an event being processed stays claimed before a redelivery may take it. Default 5 minutes. */
  eventClaimTtlMs?: number;
  /** How long a processed event is remembered for deduplication. Default 7 days. */
  eventRetentionMs?: number;
  /**
   * Where recovered events go that belong to an account this OrderSync has no client for: a
   * marketplace whose lost list is per app (Shopee) returns every shop's events to whichever shop
   * recovers, and confirms them once recovery moves on. Resolve only once the event is durable
   * (e.g. queued for that account's worker). Without it such events are counted as `skipped`.
   */
  forwardEvent?: (event: MlhEvent) => Promise<void>;
}

/** One order ready for the store: its upsert input and the lines that matched no catalog SKU. */
interface PreparedOrder {
  upsert: OrderUpsertInput;
  unmatched: string[];
}

/** What {@link OrderSync.ingest} did with an event. */
export type IngestResult =
  | { status: 'processed'; outcome: OrderUpsertResult['outcome']; order: Order }
  /** The event was processed (or is being processed) already. */
  | { status: 'duplicate' }
  /** Not an order event, or no client for its account. */
  | { status: 'ignored'; reason: string };

/** What one poll of one account did. */
export interface OrderPollSummary {
  kind: 'orders.poll';
  runId: string;
  marketplace: MarketplaceId;
  accountId: string;
  startedAt: number;
  finishedAt: number;
  /** False when another worker held the account's poll lease: nothing was done. */
  ran: boolean;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  stale: number;
  failed: SyncFailure[];
  /** The checkpoint written, when the poll could advance it. */
  checkpoint?: string | undefined;
}

/** What one missed-event recovery of one account did. */
export interface OrderRecoverySummary {
  kind: 'orders.recover';
  runId: string;
  marketplace: MarketplaceId;
  accountId: string;
  startedAt: number;
  finishedAt: number;
  events: number;
  processed: number;
  /** Events of other accounts handed to `forwardEvent`. */
  forwarded: number;
  /** Events of other accounts dropped for want of `forwardEvent`. */
  skipped: number;
  failed: SyncFailure[];
}

/** The checkpoint stream of order polling. */
export const ORDER_STREAM = 'orders';
/** The checkpoint stream of missed-event recovery. */
export const MISSED_EVENTS_STREAM = 'missed-events';

/**
 * Brings marketplace orders into the store, exactly once per order, with the newest state:
 * webhook events are deduplicated hints (the order is fetched), polls page from a checkpoint with
 * an overlap window under a per-account lease, and each order is upserted together with its stock
 * movements in one store call.
 *
 * @example
 * const orders = new OrderSync({ store, clients: [meli, shopee, tiktok], inventory });
 * webhookHandler.on('event', (event) => orders.ingest(event));
 * orders.start(); // polls Shopee every 5 minutes, reconciles the webhook marketplaces hourly
 */
export class OrderSync extends SyncEmitter {
  private readonly store: SyncStore;
  private readonly clients: readonly MarketplaceClient[];
  private readonly inventory: InventorySync | undefined;
  private readonly runtime: SyncRuntime;
  private readonly reservingStatuses: readonly OrderStatus[];
  private readonly overlapMs: number;
  private readonly initialLookbackMs: number;
  private readonly pollIntervalMs: number | undefined;
  private readonly reconcileIntervalMs: number;
  private readonly leaseTtlMs: number;
  private readonly pollBatchSize: number;
  private readonly eventClaimTtlMs: number;
  private readonly eventRetentionMs: number;
  private readonly forwardEvent: ((event: MlhEvent) => Promise<void>) | undefined;
  private readonly scheduler: Scheduler;

  constructor(options: OrderSyncOptions) {
    super();
    this.store = options.store;
    this.clients = options.clients;
    this.inventory = options.inventory;
    this.runtime = resolveRuntime(options);
    this.reservingStatuses = options.reservingStatuses ?? DEFAULT_RESERVING_STATUSES;
    this.overlapMs = options.overlapMs ?? 10 * 60_000;
    this.initialLookbackMs = options.initialLookbackMs ?? 24 * 60 * 60_000;
    this.pollIntervalMs = options.pollIntervalMs;
    this.reconcileIntervalMs = options.reconcileIntervalMs ?? 60 * 60_000;
    this.leaseTtlMs = options.leaseTtlMs ?? 5 * 60_000;
    this.pollBatchSize = Math.max(1, Math.floor(options.pollBatchSize ?? 100));
    this.eventClaimTtlMs = options.eventClaimTtlMs ?? 5 * 60_000;
    this.eventRetentionMs = options.eventRetentionMs ?? 7 * 24 * 60 * 60_000;
    this.forwardEvent = options.forwardEvent;
    this.scheduler = new Scheduler(this.runtime.timers);
  }

  /**
   * Handles a webhook event: claims its dedupe key, fetches the order it names (a notification is
   * only a hint), upserts it with its stock movements. A failure releases the claim and rethrows,
   * so the marketplace's redelivery is processed; a crash leaves the claim to expire after
   * `eventClaimTtlMs`, and the periodic poll catches up meanwhile.
   */
  async ingest(event: MlhEvent): Promise<IngestResult> {
    if (event.resourceType !== 'order')
      return { status: 'ignored', reason: `not an order event (${event.type})` };
    const client = this.clientFor(event.marketplace, event.accountId);
    if (!client)
      return { status: 'ignored', reason: `no client for ${event.marketplace} account ${event.accountId}` };
    const once = await processEventOnce(
      this.store,
      `order-sync:${event.marketplace}:${event.accountId}:${event.dedupeKey}`,
      { claimTtlMs: this.eventClaimTtlMs, retentionMs: this.eventRetentionMs, clock: this.runtime.clock },
      async () => this.syncOrder(await client.getOrder(event.resourceId)),
    );
    if (!once) return { status: 'duplicate' };
    return { status: 'processed', outcome: once.value.outcome, order: once.value.stored.order };
  }

  /**
   * Writes one order fetched from its marketplace: resolves its lines to catalog SKUs, upserts it
   * and applies its stock movements in one store call, then hands the new stock to the inventory.
   */
  async syncOrder(order: Order): Promise<OrderUpsertResult> {
    const [input] = await this.prepareOrders([order]);
    const result = await this.store.upsertOrder(input!.upsert);
    this.afterUpsert([{ input: input!, result }]);
    return result;
  }

  /**
   * Resolves the lines of many orders (each listing and the stock of every candidate SKU read
   * once) and plans their movements: the input of one store call per order.
   */
  private async prepareOrders(orders: readonly Order[]): Promise<PreparedOrder[]> {
    // The orders are hashed while their lines are being resolved (a store round trip).
    const resolving = this.resolveLines(orders);
    if (orders.length > 1) {
      // A store may send the lookup only once this turn of the event loop ends (pg's pool hands
      // out its connection on the next tick), and hashing a batch takes milliseconds: the lookup
      // goes out first. Handled meanwhile, so a failure is not reported as unhandled before the
      // `await` below takes it.
      resolving.catch(() => undefined);
      await afterPendingIo();
    }
    let hashes: string[];
    try {
      // Without the marketplace's raw payload, as ever; hashed in place rather than on a copy.
      hashes = orders.map((order) => contentHashSyncWithout(order, 'raw'));
    } catch (error) {
      resolving.catch(() => undefined);
      throw error;
    }
    const resolved = await resolving;
    return orders.map((order, index) => {
      const { lines, unmatched } = resolved[index]!;
      return {
        upsert: {
          order,
          contentHash: hashes[index]!,
          movements: planOrderMovements(order, lines, this.reservingStatuses),
          now: this.runtime.clock(),
        },
        unmatched,
      };
    });
  }

  /** Reports stored orders and hands the stock they moved to the inventory, in one notification. */
  private afterUpsert(stored: readonly { input: PreparedOrder; result: OrderUpsertResult }[]): void {
    const moved: OrderUpsertResult['stock'] = [];
    for (const { input, result } of stored) {
      const { order } = input.upsert;
      this.emitSafe('order.upserted', {
        marketplace: order.marketplace,
        accountId: order.accountId,
        orderId: order.externalId,
        outcome: result.outcome,
        // A created or updated order is stored as given: its status needs no read of the stored copy.
        status:
          result.outcome === 'created' || result.outcome === 'updated'
            ? order.status
            : result.stored.order.status,
        stock: result.stock,
        unmatchedLines: input.unmatched,
      });
      moved.push(...result.stock.filter((r) => r.applied));
    }
    if (moved.length > 0) this.inventory?.notify(moved);
  }

  /**
   * The store inputs of a batch of polled orders, worked out ahead of storing it (so the reads it
   * needs can overlap the store call of the batch before); undefined when the batch will be
   * stored one order at a time: a single order, a store without `upsertOrders`, or a failure here
   * (each order then finds its own).
   */
  private async prepareBatch(orders: readonly Order[]): Promise<PreparedOrder[] | undefined> {
    if (orders.length <= 1 || !this.store.upsertOrders) return undefined;
    try {
      return await this.prepareOrders(orders);
    } catch {
      return undefined;
    }
  }

  /**
   * Stores one batch of polled orders: in one store call when it was prepared as a batch; when
   * that fails, or it was not, one call per order, so a bad order fails alone.
   */
  private async syncBatch(
    orders: readonly Order[],
    prepared: readonly PreparedOrder[] | undefined,
  ): Promise<({ ok: true; result: OrderUpsertResult } | { ok: false; error: unknown })[]> {
    if (prepared) {
      let stored: Parameters<OrderSync['afterUpsert']>[0] | undefined;
      try {
        const results = await upsertOrdersOf(
          this.store,
          prepared.map((input) => input.upsert),
        );
        stored = prepared.map((input, index) => ({ input, result: results[index]! }));
      } catch {
        // Nothing of the batch was stored: find the failing order(s) one by one.
      }
      if (stored) {
        this.afterUpsert(stored);
        return stored.map(({ result }) => ({ ok: true, result }));
      }
    }
    const outcomes: ({ ok: true; result: OrderUpsertResult } | { ok: false; error: unknown })[] = [];
    for (const order of orders) {
      try {
        outcomes.push({ ok: true, result: await this.syncOrder(order) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  /**
   * Polls one account's orders updated since its checkpoint (less the overlap), through every
   * page, under the account's poll lease. The checkpoint advances only past orders that were
   * stored: a failing order holds it (and is reported on every poll) until it succeeds. `runId`
   * names the run (default a new UUID).
   */
  async poll(
    target: { marketplace: MarketplaceId; accountId: string },
    options: { runId?: string } = {},
  ): Promise<OrderPollSummary> {
    const runId = options.runId ?? newId();
    const startedAt = this.runtime.clock();
    const summary: OrderPollSummary = {
      kind: 'orders.poll',
      runId,
      marketplace: target.marketplace,
      accountId: target.accountId,
      startedAt,
      finishedAt: startedAt,
      ran: false,
      fetched: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      stale: 0,
      failed: [],
    };
    const client = this.clientFor(target.marketplace, target.accountId);
    if (!client)
      throw new Error(`OrderSync has no client for ${target.marketplace} account ${target.accountId}`);
    const leaseKey = `orders:${client.marketplace}:${client.accountId}`;
    const lease = {
      key: leaseKey,
      owner: this.runtime.owner,
      ttlMs: this.leaseTtlMs,
      clock: this.runtime.clock,
    };
    await withLease(this.store, lease, async () => {
      summary.ran = true;
      this.emitSafe('started', {
        runId,
        kind: 'orders.poll',
        at: startedAt,
        marketplace: client.marketplace,
        accountId: client.accountId,
      });
      try {
        await this.pollWithLease(client, leaseKey, summary);
      } catch (error) {
        this.fail(summary.failed, runId, 'orders.poll', { ...failureOf(client, 'list', error) });
      }
    });
    return this.finish(summary);
  }

  /**
   * Reconciles one account: replays the notifications its marketplace failed to deliver (where
   * the client can: Mercado Livre's missed feeds, Shopee's lost pushes) and then polls, so lost
   * webhooks and disabled topics cannot leave orders behind.
   */
  async reconcile(target: {
    marketplace: MarketplaceId;
    accountId: string;
  }): Promise<{ recovery?: OrderRecoverySummary; poll: OrderPollSummary }> {
    const client = this.clientFor(target.marketplace, target.accountId);
    if (!client)
      throw new Error(`OrderSync has no client for ${target.marketplace} account ${target.accountId}`);
    const recovery = client.recoverMissedEvents ? await this.recoverMissedEvents(client) : undefined;
    const poll = await this.poll(target);
    return recovery ? { recovery, poll } : { poll };
  }

  /**
   * Starts polling every account without order webhooks at its marketplace's poll interval (with
   * missed-event recovery first where the client has it), and reconciling every account with
   * webhooks every `reconcileIntervalMs`, on the injected timers.
   * Each account's runs never overlap; the lease keeps other workers from polling it meanwhile.
   */
  start(): void {
    for (const client of this.clients) {
      const target = { marketplace: client.marketplace, accountId: client.accountId };
      const name = `${client.marketplace}:${client.accountId}`;
      if (client.capabilities.orderWebhooks) {
        this.scheduler.every(name, this.reconcileIntervalMs, async () => {
          await this.reconcile(target);
          await this.store.purgeExpired(this.runtime.clock());
        });
      } else {
        const interval = this.pollIntervalMs ?? client.capabilities.orderPollIntervalMs;
        const recovers = client.recoverMissedEvents !== undefined;
        this.scheduler.every(name, interval, async () => {
          if (recovers) await this.reconcile(target);
          else await this.poll(target);
        });
      }
    }
  }

  /** Stops the schedule and waits for the runs in progress. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
  }

  /** Resolves once no scheduled run is in progress. */
  async idle(): Promise<void> {
    await this.scheduler.idle();
  }

  private async pollWithLease(
    client: MarketplaceClient,
    leaseKey: string,
    summary: OrderPollSummary,
  ): Promise<void> {
    const checkpointKey: CheckpointKey = {
      marketplace: client.marketplace,
      accountId: client.accountId,
      stream: ORDER_STREAM,
    };
    const checkpoint = await this.store.getCheckpoint(checkpointKey);
    const until = this.runtime.clock();
    const since = checkpoint ? Date.parse(checkpoint) - this.overlapMs : until - this.initialLookbackMs;
    let earliestFailure: number | undefined;
    let done = 0;
    // Renewed when a tenth of the TTL has passed, not after every batch: the lease can only be
    // lost by expiring, which takes the whole TTL, so a loss is still seen after the batch in
    // which it happened, at a round trip per 30 s rather than per batch.
    let renewedAt = this.runtime.clock();
    const store = async (orders: readonly Order[], prepared: readonly PreparedOrder[] | undefined) => {
      const outcomes = await this.syncBatch(orders, prepared);
      for (const [index, outcome] of outcomes.entries()) {
        const order = orders[index]!;
        if (outcome.ok) {
          summary[outcome.result.outcome] += 1;
        } else {
          const updatedAt = Date.parse(order.updatedAt);
          earliestFailure = Math.min(earliestFailure ?? updatedAt, updatedAt);
          this.fail(summary.failed, summary.runId, 'orders.poll', {
            ...failureOf(client, 'store', outcome.error),
            orderId: order.externalId,
          });
        }
        done += 1;
        this.emitSafe('progress', {
          runId: summary.runId,
          kind: 'orders.poll',
          done,
          total: summary.fetched,
        });
      }
      const now = this.runtime.clock();
      if (now - renewedAt < this.leaseTtlMs / 10) return;
      const renewed = await this.store.renewLease({
        key: leaseKey,
        owner: this.runtime.owner,
        ttlMs: this.leaseTtlMs,
        now,
      });
      if (!renewed)
        throw new Error(`lost the order poll lease of ${client.marketplace} account ${client.accountId}`);
      renewedAt = now;
    };
    // While one batch is stored, the next two are fetched and prepared (their listings and stock
    // read, hashed, their movements planned), so a slow line read does not hold the store back:
    // store calls stay one at a time and in order, each after the lease check that follows the
    // one before (a batch whose predecessor failed is never stored), and prepared inputs depend
    // on nothing a batch writes.
    /** The last batch handed over: stored once it is prepared and every batch before it is done. */
    let storing: Promise<void> | undefined;
    /** The batch handed over before it; the next one handed over waits for it. */
    let handedBefore: Promise<void> | undefined;
    const submit = async (orders: readonly Order[]) => {
      const prepared = this.prepareBatch(orders);
      const previous = storing;
      storing = (async () => {
        const inputs = await prepared;
        if (previous) await previous;
        await store(orders, inputs);
      })();
      // Awaited later (by a submit or below); meanwhile its failure must not count as unhandled.
      storing.catch(() => undefined);
      const waitFor = handedBefore;
      handedBefore = previous;
      if (waitFor) await waitFor;
      // Orders already listed are handed over without I/O, so the loop would gather and prepare
      // the next batch before the store call just started got to send anything; letting the
      // event loop turn first lets the call go out.
      await afterPendingIo();
    };
    let batch: Order[] = [];
    try {
      for await (const order of client.listOrders({ since, until, by: 'updated' })) {
        summary.fetched += 1;
        batch.push(order);
        if (batch.length >= this.pollBatchSize) {
          await submit(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await submit(batch);
    } catch (error) {
      // The lease is released once the poll returns: no store call may still be running then.
      await storing?.catch(() => undefined);
      throw error;
    }
    await storing;
    const next = new Date(Math.min(until, earliestFailure ?? until)).toISOString();
    await this.store.setCheckpoint(checkpointKey, next);
    summary.checkpoint = next;
  }

  private async recoverMissedEvents(client: MarketplaceClient): Promise<OrderRecoverySummary> {
    const runId = newId();
    const startedAt = this.runtime.clock();
    const summary: OrderRecoverySummary = {
      kind: 'orders.recover',
      runId,
      marketplace: client.marketplace,
      accountId: client.accountId,
      startedAt,
      finishedAt: startedAt,
      events: 0,
      processed: 0,
      forwarded: 0,
      skipped: 0,
      failed: [],
    };
    this.emitSafe('started', {
      runId,
      kind: 'orders.recover',
      at: startedAt,
      marketplace: client.marketplace,
      accountId: client.accountId,
    });
    const checkpointKey: CheckpointKey = {
      marketplace: client.marketplace,
      accountId: client.accountId,
      stream: MISSED_EVENTS_STREAM,
    };
    try {
      const checkpoint = await this.store.getCheckpoint(checkpointKey);
      const since = checkpoint ? Date.parse(checkpoint) - this.overlapMs : startedAt - this.initialLookbackMs;
      let clean = true;
      // A source may acknowledge what it yielded once asked for more (Shopee confirms its lost
      // pushes): stopping at the first failure keeps that event, and those after it, for next time.
      for await (const event of client.recoverMissedEvents?.({ since }) ?? []) {
        summary.events += 1;
        try {
          const outcome = await this.recovered(event);
          if (outcome !== 'ignored') summary[outcome] += 1;
        } catch (error) {
          clean = false;
          this.fail(summary.failed, runId, 'orders.recover', {
            ...failureOf(client, 'fetch', error),
            orderId: event.resourceId,
          });
          break;
        }
      }
      if (clean) await this.store.setCheckpoint(checkpointKey, new Date(startedAt).toISOString());
    } catch (error) {
      this.fail(summary.failed, runId, 'orders.recover', failureOf(client, 'recover', error));
    }
    summary.finishedAt = this.runtime.clock();
    this.emitSafe('finished', { runId, kind: 'orders.recover', summary });
    return summary;
  }

  /** One recovered event: ingested, forwarded to its own account's worker, or skipped. */
  private async recovered(event: MlhEvent): Promise<'processed' | 'forwarded' | 'skipped' | 'ignored'> {
    const foreign =
      event.resourceType === 'order' &&
      event.accountId !== '' &&
      !this.clientFor(event.marketplace, event.accountId);
    if (foreign) {
      if (!this.forwardEvent) return 'skipped';
      await this.forwardEvent(event);
      return 'forwarded';
    }
    const result = await this.ingest(event);
    return result.status === 'processed' ? 'processed' : 'ignored';
  }

  /**
   * Each order's lines resolved to catalog SKUs: one store call per account for all the lines of
   * the batch (see {@link resolveOrderLineSkusOf}).
   */
  private async resolveLines(
    orders: readonly Order[],
  ): Promise<{ lines: OrderLineStock[]; unmatched: string[] }[]> {
    const accounts = new Map<string, { marketplace: MarketplaceId; accountId: string; orders: number[] }>();
    orders.forEach((order, index) => {
      const account = `${order.marketplace}\u0000${order.accountId}`;
      let entry = accounts.get(account);
      if (!entry) {
        entry = { marketplace: order.marketplace, accountId: order.accountId, orders: [] };
        accounts.set(account, entry);
      }
      entry.orders.push(index);
    });
    const skus: (string | undefined)[][] = new Array(orders.length);
    await Promise.all(
      [...accounts.values()].map(async ({ marketplace, accountId, orders: indexes }) => {
        const resolved = await resolveOrderLineSkusOf(
          this.store,
          marketplace,
          accountId,
          indexes.flatMap((index) => orders[index]!.items.map(lineRefOf)),
        );
        let at = 0;
        for (const index of indexes) {
          const count = orders[index]!.items.length;
          skus[index] = resolved.slice(at, at + count);
          at += count;
        }
      }),
    );
    return orders.map((order, orderIndex) => {
      const ids = orderLineIds(order);
      const lines: OrderLineStock[] = [];
      const unmatched: string[] = [];
      order.items.forEach((item, index) => {
        const lineId = ids[index]!;
        const sku = skus[orderIndex]![index];
        if (sku) lines.push({ lineId, sku, quantity: item.quantity });
        else unmatched.push(lineId);
      });
      return { lines, unmatched };
    });
  }

  private clientFor(marketplace: MarketplaceId, accountId: string): MarketplaceClient | undefined {
    return this.clients.find((c) => c.marketplace === marketplace && c.accountId === accountId);
  }

  private fail(
    into: SyncFailure[],
    runId: string,
    kind: 'orders.poll' | 'orders.recover',
    failure: SyncFailure,
  ): void {
    into.push(failure);
    this.emitSafe('item.failed', { ...failure, runId, kind });
  }

  private finish(summary: OrderPollSummary): OrderPollSummary {
    summary.finishedAt = this.runtime.clock();
    if (summary.ran) this.emitSafe('finished', { runId: summary.runId, kind: 'orders.poll', summary });
    return summary;
  }
}

/**
 * Resolves once the event loop has turned (work already queued, such as a connection handed over
 * on the next tick, has run), through a message channel where the runtime has one (Node,
 * browsers, Deno, Bun): not a timer, which fake timers in tests would hold back. Elsewhere it
 * resolves at once.
 */
function afterPendingIo(): Promise<void> {
  if (typeof MessageChannel !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/** What line resolution reads of an order line. */
function lineRefOf(item: Order['items'][number]): {
  productExternalId: string;
  variantExternalId: string | undefined;
  sku: string | undefined;
} {
  return {
    productExternalId: item.productExternalId,
    variantExternalId: item.variantExternalId,
    sku: item.sku,
  };
}

function failureOf(client: MarketplaceClient, stage: string, error: unknown): SyncFailure {
  return {
    marketplace: client.marketplace,
    accountId: client.accountId,
    stage,
    reason: describeError(error),
    retryable: isRetryable(error),
    error,
  };
}
