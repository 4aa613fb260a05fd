import type { MarketplaceClient, MarketplaceId, MlhEvent, Return } from '@mlh/core';
import type { SyncFailure } from './events';
import { processEventOnce, withLease } from './internal/once';
import { describeError, isRetryable } from './internal/util';
import type { InventorySync } from './inventory-sync';
import { resolveRuntime, type SyncRuntime, type SyncRuntimeOptions } from './runtime';
import {
  type CheckpointKey,
  findListingsByExternalIdsOf,
  type StockMovement,
  type StockMovementResult,
  type SyncStore,
} from './store';

/*
 * Returned goods back into stock. A return whose goods have arrived becomes one keyed stock
 * movement per line (`return:<marketplace>:<account>:<return id>:<line>:restock`), applied through
 * the store's ledger like an order's movements: a return read twice (a webhook and a poll, a
 * redelivery, two workers) restocks once.
 */

/** One return line resolved to a catalog SKU. */
export interface ReturnLineStock {
  /** Stable id of the line within the return (see {@link returnLineIds}). */
  lineId: string;
  sku: string;
  quantity: number;
}

/**
 * Whether a return's goods are back where the seller can sell them again: the return parcel was
 * delivered, and not to the marketplace's warehouse (there the goods are the marketplace's to
 * triage; a later leg to the seller is the one that counts). The default of `shouldRestock`.
 */
export function returnGoodsReceived(ret: Return): boolean {
  const shipment = ret.shipment;
  return shipment?.status === 'delivered' && shipment.destination !== 'marketplace_warehouse';
}

/**
 * Stable ids for a return's lines: the marketplace's return line id, else its order line id,
 * else the SKU (or variant / product id) with its occurrence number.
 */
export function returnLineIds(ret: Return): string[] {
  const seen = new Map<string, number>();
  return ret.items.map((item) => {
    if (item.externalId) return `line:${item.externalId}`;
    if (item.orderItemExternalId) return `order-line:${item.orderItemExternalId}`;
    const base = `sku:${item.sku ?? item.variantExternalId ?? item.productExternalId ?? 'unknown'}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}#${n}`;
  });
}

/** The idempotency key of the restock of one return line: marketplace + account + return + line. */
export function returnMovementKey(
  ret: Pick<Return, 'marketplace' | 'accountId' | 'externalId'>,
  lineId: string,
): string {
  return `return:${ret.marketplace}:${ret.accountId}:${ret.externalId}:${lineId}:restock`;
}

/**
 * The movements a return implies: when its goods are received (`shouldRestock`, default
 * {@link returnGoodsReceived}), each line's units back into stock, once per key; otherwise none.
 *
 * @example
 * planReturnMovements(ret, [{ lineId: 'sku:MUG#0', sku: 'MUG', quantity: 1 }])
 * // → [{ key: 'return:meli:123:5256749420:sku:MUG#0:restock', sku: 'MUG', delta: 1, reason: 'return.restock' }]
 */
export function planReturnMovements(
  ret: Return,
  lines: readonly ReturnLineStock[],
  shouldRestock: (ret: Return) => boolean = returnGoodsReceived,
): StockMovement[] {
  if (!shouldRestock(ret)) return [];
  return lines
    .filter((line) => line.quantity > 0)
    .map((line) => ({
      key: returnMovementKey(ret, line.lineId),
      sku: line.sku,
      delta: line.quantity,
      reason: 'return.restock',
    }));
}

/** Options of {@link ReturnSync}. */
export interface ReturnSyncOptions extends SyncRuntimeOptions {
  store: SyncStore;
  /** One client per marketplace account whose returns are read (those without `listReturns` are skipped). */
  clients: readonly MarketplaceClient[];
  /** Receives the restocked SKUs and pushes their new stock to every listing. */
  inventory?: InventorySync;
  /** Which returns put their goods back into stock. Default {@link returnGoodsReceived}. */
  shouldRestock?: (ret: Return) => boolean;
  /** How far before the checkpoint each poll starts again. Default 10 minutes. */
  overlapMs?: number;
  /** How far back the first poll of an account looks. Default 30 days (returns come weeks after the sale). */
  initialLookbackMs?: number;
  /** How long a poller holds an account's lease. Default 5 minutes. */
  leaseTtlMs?: number;
  /** How long an event being processed stays claimed before a redelivery may take it. Default 5 minutes. */
  eventClaimTtlMs?: number;
  /** How long a processed event is remembered for deduplication. Default 7 days. */
  eventRetentionMs?: number;
}

/** What restocking one return did. */
export interface ReturnRestockResult {
  ret: Return;
  /** The movements' results: `applied` false for a line restocked before. Empty until the goods are received. */
  stock: StockMovementResult[];
  /** Units put back into stock by this call (0 when every line was restocked before). */
  restockedUnits: number;
  /** Lines whose SKU is not in the catalog: nothing was restocked for them. */
  unmatched: string[];
}

/** What {@link ReturnSync.ingest} did with an event. */
export type ReturnIngestResult =
  | { status: 'processed'; result: ReturnRestockResult }
  | { status: 'duplicate' }
  | { status: 'ignored'; reason: string };

/** What one {@link ReturnSync.poll} did. */
export interface ReturnPollSummary {
  marketplace: MarketplaceId;
  accountId: string;
  /** False when another worker held the account's lease: nothing was read. */
  ran: boolean;
  fetched: number;
  /** Units put back into stock by this poll (movements applied now, not before). */
  restockedUnits: number;
  failed: SyncFailure[];
}

/** The checkpoint stream of return polls. */
export const RETURN_STREAM = 'returns';

/**
 * Returns into stock: reads returns (by webhook event, by poll, or handed over) and applies, once
 * per return line, the restock of goods that came back. Everything is keyed, so a return seen by
 * a webhook, a poll and a redelivery moves stock once. Give it the `InventorySync` to push the
 * new stock to every listing.
 *
 * @example
 * const returns = new ReturnSync({ store, clients, inventory });
 * await returns.ingest(event); // a `return.updated` event: fetches the return, restocks if received
 * await returns.poll({ marketplace: 'meli', accountId }); // the safety net for lost webhooks
 */
export class ReturnSync {
  private readonly store: SyncStore;
  private readonly clients: readonly MarketplaceClient[];
  private readonly inventory: InventorySync | undefined;
  private readonly shouldRestock: (ret: Return) => boolean;
  private readonly runtime: SyncRuntime;
  private readonly overlapMs: number;
  private readonly initialLookbackMs: number;
  private readonly leaseTtlMs: number;
  private readonly eventClaimTtlMs: number;
  private readonly eventRetentionMs: number;

  constructor(options: ReturnSyncOptions) {
    this.store = options.store;
    this.clients = options.clients;
    this.inventory = options.inventory;
    this.shouldRestock = options.shouldRestock ?? returnGoodsReceived;
    this.runtime = resolveRuntime(options);
    this.overlapMs = options.overlapMs ?? 10 * 60_000;
    this.initialLookbackMs = options.initialLookbackMs ?? 30 * 24 * 60 * 60_000;
    this.leaseTtlMs = options.leaseTtlMs ?? 5 * 60_000;
    this.eventClaimTtlMs = options.eventClaimTtlMs ?? 5 * 60_000;
    this.eventRetentionMs = options.eventRetentionMs ?? 7 * 24 * 60 * 60_000;
  }

  /**
   * Restocks one return read from its marketplace: resolves its lines to catalog SKUs (through
   * the listing of each product, then the line's own SKU), applies the keyed movements, and hands
   * the new stock to the inventory.
   */
  async restock(ret: Return): Promise<ReturnRestockResult> {
    const { lines, unmatched } = await this.resolveLines(ret);
    const movements = planReturnMovements(ret, lines, this.shouldRestock);
    const stock = movements.length === 0 ? [] : await this.store.applyStockMovements(movements);
    const applied = stock.filter((result) => result.applied);
    if (applied.length > 0) this.inventory?.notify(applied);
    const units = new Map(
      movements.map((movement) => [movement.key, 'delta' in movement ? movement.delta : 0]),
    );
    return {
      ret,
      stock,
      restockedUnits: applied.reduce((sum, result) => sum + (units.get(result.key) ?? 0), 0),
      unmatched: movements.length === 0 ? [] : unmatched,
    };
  }

  /**
   * Handles a `return.updated` webhook event: claims its dedupe key, fetches the return it names
   * and restocks it if its goods are received. A failure releases the claim and rethrows, so the
   * marketplace's redelivery is processed.
   */
  async ingest(event: MlhEvent): Promise<ReturnIngestResult> {
    if (event.resourceType !== 'return')
      return { status: 'ignored', reason: `not a return event (${event.type})` };
    const client = this.clientFor(event.marketplace, event.accountId);
    if (!client?.getReturn) {
      return {
        status: 'ignored',
        reason: `no client reading returns for ${event.marketplace} account ${event.accountId}`,
      };
    }
    const getReturn = client.getReturn.bind(client);
    const once = await processEventOnce(
      this.store,
      `return-sync:${event.marketplace}:${event.accountId}:${event.dedupeKey}`,
      { claimTtlMs: this.eventClaimTtlMs, retentionMs: this.eventRetentionMs, clock: this.runtime.clock },
      async () => this.restock(await getReturn(event.resourceId)),
    );
    return once ? { status: 'processed', result: once.value } : { status: 'duplicate' };
  }

  /**
   * Reads one account's returns updated since its checkpoint (less the overlap) and restocks
   * those whose goods are received, under the account's lease. The checkpoint advances to the
   * latest `updatedAt` read, and not past a return that failed, so it is read again next time.
   */
  async poll(target: { marketplace: MarketplaceId; accountId: string }): Promise<ReturnPollSummary> {
    const summary: ReturnPollSummary = { ...target, ran: false, fetched: 0, restockedUnits: 0, failed: [] };
    const client = this.clientFor(target.marketplace, target.accountId);
    if (!client)
      throw new Error(`ReturnSync has no client for ${target.marketplace} account ${target.accountId}`);
    if (!client.listReturns) return summary;
    const lease = {
      key: `returns:${client.marketplace}:${client.accountId}`,
      owner: this.runtime.owner,
      ttlMs: this.leaseTtlMs,
      clock: this.runtime.clock,
    };
    const listReturns = client.listReturns.bind(client);
    summary.ran = await withLease(this.store, lease, () =>
      this.pollWithLease(client, listReturns, target, summary),
    );
    return summary;
  }

  /** The body of {@link poll}, once the account's lease is held. */
  private async pollWithLease(
    client: MarketplaceClient,
    listReturns: NonNullable<MarketplaceClient['listReturns']>,
    target: { marketplace: MarketplaceId; accountId: string },
    summary: ReturnPollSummary,
  ): Promise<void> {
    const checkpointKey: CheckpointKey = { ...target, stream: RETURN_STREAM };
    try {
      const checkpoint = await this.store.getCheckpoint(checkpointKey);
      const since =
        checkpoint === undefined
          ? this.runtime.clock() - this.initialLookbackMs
          : Number(checkpoint) - this.overlapMs;
      let latest = checkpoint === undefined ? undefined : Number(checkpoint);
      let heldAt: number | undefined;
      for await (const ret of listReturns({ updatedSince: new Date(Math.max(0, since)) })) {
        summary.fetched += 1;
        const updatedAt = Date.parse(ret.updatedAt);
        try {
          summary.restockedUnits += (await this.restock(ret)).restockedUnits;
          latest = Math.max(latest ?? updatedAt, updatedAt);
        } catch (error) {
          heldAt = Math.min(heldAt ?? updatedAt, updatedAt);
          summary.failed.push(failureOf(client, ret, error));
        }
      }
      const next = heldAt === undefined ? latest : Math.min(latest ?? heldAt, heldAt - 1);
      if (next !== undefined && Number.isFinite(next))
        await this.store.setCheckpoint(checkpointKey, String(next));
    } catch (error) {
      summary.failed.push(failureOf(client, undefined, error));
    }
  }

  /** Each line resolved to a catalog SKU: the listing's variant SKU, else the line's own SKU, when the store knows it. */
  private async resolveLines(ret: Return): Promise<{ lines: ReturnLineStock[]; unmatched: string[] }> {
    const ids = ret.items.flatMap((item) => (item.productExternalId ? [item.productExternalId] : []));
    const listings = new Map(
      (await findListingsByExternalIdsOf(this.store, ret.marketplace, ret.accountId, ids)).map((listing) => [
        listing.productExternalId,
        listing,
      ]),
    );
    const candidates = ret.items.map((item) => {
      const listing = item.productExternalId ? listings.get(item.productExternalId) : undefined;
      const variant =
        listing?.variants.find(
          (v) => item.variantExternalId !== undefined && v.externalId === item.variantExternalId,
        ) ?? (listing?.variants.length === 1 ? listing.variants[0] : undefined);
      return [variant?.sku, item.sku].filter((sku): sku is string => !!sku);
    });
    const known = new Set(
      (await this.store.getStock([...new Set(candidates.flat())])).map((level) => level.sku),
    );
    const lineIds = returnLineIds(ret);
    const lines: ReturnLineStock[] = [];
    const unmatched: string[] = [];
    ret.items.forEach((item, index) => {
      const lineId = lineIds[index] ?? `index:${index}`;
      const sku = candidates[index]?.find((candidate) => known.has(candidate));
      if (sku) lines.push({ lineId, sku, quantity: item.quantity });
      else unmatched.push(lineId);
    });
    return { lines, unmatched };
  }

  private clientFor(marketplace: MarketplaceId, accountId: string): MarketplaceClient | undefined {
    return this.clients.find((c) => c.marketplace === marketplace && c.accountId === accountId);
  }
}

function failureOf(client: MarketplaceClient, ret: Return | undefined, error: unknown): SyncFailure {
  return {
    marketplace: client.marketplace,
    accountId: client.accountId,
    ...(ret?.orderExternalId === undefined ? {} : { orderId: ret.orderExternalId }),
    stage: ret === undefined ? 'returns.list' : 'return.restock',
    reason: ret === undefined ? describeError(error) : `return ${ret.externalId}: ${describeError(error)}`,
    retryable: isRetryable(error),
    error,
  };
}
