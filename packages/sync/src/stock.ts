import type { MarketplaceClient, MarketplaceId, Order, OrderStatus, StockUpdate } from '@mlh/core';
import { chunk } from '@mlh/core';
import type { SyncFailure } from './events';
import { describeError, isRetryable } from './internal/util';
import type { ListingPush, StockMovement, StockPushCursor, StockToPush, SyncStore } from './store';

/** Where a stock is published: the buffer can depend on each. */
export interface StockTarget {
  marketplace: MarketplaceId;
  accountId: string;
  sku: string;
}

/**
 * Units held back from a marketplace (published stock = store stock − buffer, never below 0): one
 * number for all, one per marketplace, or a function.
 */
export type StockBuffer = number | Partial<Record<MarketplaceId, number>> | ((target: StockTarget) => number);

/**
 * The stock to publish: the store's stock less the buffer, clamped at 0 so a marketplace never
 * sees a negative stock (an oversold SKU publishes 0).
 *
 * @example
 * publishedStock(7, { marketplace: 'shopee', accountId: '1', sku: 'MUG' }, { shopee: 2 }) // 5
 */
export function publishedStock(stock: number, target: StockTarget, buffer: StockBuffer | undefined): number {
  const held =
    buffer === undefined
      ? 0
      : typeof buffer === 'number'
        ? buffer
        : typeof buffer === 'function'
          ? buffer(target)
          : (buffer[target.marketplace] ?? 0);
  return Math.max(0, Math.trunc(stock - Math.max(0, held)));
}

/**
 * Order statuses that hold stock by default: every status but `cancelled`. An order in a status
 * the SDK does not know (`unknown`) holds its units too: selling them again is the worse mistake.
 */
export const DEFAULT_RESERVING_STATUSES: readonly OrderStatus[] = [
  'pending',
  'paid',
  'shipped',
  'delivered',
  'unknown',
];

/** One order line resolved to a catalog SKU. */
export interface OrderLineStock {
  /** Stable id of the line within the order (see {@link orderLineIds}). */
  lineId: string;
  sku: string;
  quantity: number;
}

/**
 * Stable ids for an order's lines: the marketplace's line id when it gives one, otherwise the
 * line's SKU (or variant / product id) with its occurrence number, so reordered lines keep ids.
 */
export function orderLineIds(order: Order): string[] {
  const seen = new Map<string, number>();
  return order.items.map((item) => {
    if (item.externalId) return `line:${item.externalId}`;
    const base = `sku:${item.sku ?? item.variantExternalId ?? item.productExternalId}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}#${n}`;
  });
}

/**
 * The idempotency key of a stock movement caused by an order line:
 * marketplace + account + order + line + transition.
 */
export function orderMovementKey(order: Order, lineId: string, transition: 'reserve' | 'release'): string {
  return `order:${order.marketplace}:${order.accountId}:${order.externalId}:${lineId}:${transition}`;
}

/**
 * The movements an order's current state implies. A reserving status takes each line's units
 * once (`reserve`); `cancelled` implies the reserve and its `release`, so an order first seen
 * already cancelled nets to zero and a cancel after a reserve gives the units back exactly once.
 * Keys make them idempotent: applying the plan of every version of an order moves stock once.
 */
export function planOrderMovements(
  order: Order,
  lines: readonly OrderLineStock[],
  reservingStatuses: readonly OrderStatus[] = DEFAULT_RESERVING_STATUSES,
): StockMovement[] {
  const cancelled = order.status === 'cancelled';
  if (!cancelled && !reservingStatuses.includes(order.status)) return [];
  return lines.flatMap((line): StockMovement[] => {
    const reserve: StockMovement = {
      key: orderMovementKey(order, line.lineId, 'reserve'),
      sku: line.sku,
      delta: -line.quantity,
      reason: 'order.reserve',
    };
    if (!cancelled) return [reserve];
    return [
      reserve,
      {
        key: orderMovementKey(order, line.lineId, 'release'),
        sku: line.sku,
        delta: line.quantity,
        reason: 'order.release',
      },
    ];
  });
}

/** What pushing an account's stock did. */
export interface StockPushOutcome {
  pushed: StockPushed[];
  failed: SyncFailure[];
  /** Another worker holds this account's stock lease: nothing was pushed. */
  leaseHeld: boolean;
}

/** One SKU a marketplace accepted. */
export interface StockPushed {
  item: StockToPush;
  quantity: number;
}

/** Context of {@link pushAccountStock}. */
export interface StockPushContext {
  store: SyncStore;
  client: MarketplaceClient;
  buffer: StockBuffer | undefined;
  clock: () => number;
  owner: string;
  leaseTtlMs: number;
  onPushed?: ((pushed: StockPushed) => void) | undefined;
}

/** The lease key serializing stock writes to one account, so two workers never race absolute values. */
export function stockLeaseKey(marketplace: MarketplaceId, accountId: string): string {
  return `stock:${marketplace}:${accountId}`;
}

/**
 * Pushes to one account every SKU whose store stock changed since it was last pushed (plus
 * `extra`), as absolute values in the marketplace's largest batches, under the account's stock
 * lease. A SKU is recorded as pushed with the stock version it was computed from, so a movement
 * that lands meanwhile leaves it due for the next push.
 */
export async function pushAccountStock(
  context: StockPushContext,
  extra: readonly StockToPush[] = [],
): Promise<StockPushOutcome> {
  const { store, client, clock, owner, leaseTtlMs } = context;
  const leaseKey = stockLeaseKey(client.marketplace, client.accountId);
  const lease = await store.acquireLease({ key: leaseKey, owner, ttlMs: leaseTtlMs, now: clock() });
  const outcome: StockPushOutcome = { pushed: [], failed: [], leaseHeld: !lease };
  if (!lease) return outcome;
  try {
    const batchSize = Math.max(1, client.capabilities.maxBatch.updateInventory);
    for (const batch of chunk(extra, batchSize)) await pushBatch(context, batch, outcome);
    let after: StockPushCursor | undefined;
    do {
      const page = await store.listStockToPush({
        marketplace: client.marketplace,
        accountId: client.accountId,
        after,
        limit: batchSize,
      });
      if (page.items.length > 0) await pushBatch(context, page.items, outcome);
      after = page.next;
      if (after && !(await store.renewLease({ key: leaseKey, owner, ttlMs: leaseTtlMs, now: clock() }))) {
        throw new Error(`lost the stock lease of ${client.marketplace} account ${client.accountId}`);
      }
    } while (after);
  } finally {
    await store.releaseLease({ key: leaseKey, owner }).catch(() => false);
  }
  return outcome;
}

async function pushBatch(
  context: StockPushContext,
  items: readonly StockToPush[],
  outcome: StockPushOutcome,
): Promise<void> {
  const { store, client, buffer, clock } = context;
  const byUpdate = new Map<StockUpdate, StockToPush>();
  const updates = items.map((item) => {
    const update: StockUpdate = {
      productExternalId: item.productExternalId,
      variantExternalId: item.variantExternalId,
      sku: item.variantSku,
      quantity: publishedStock(item.stock.quantity, { ...item, sku: item.variantSku }, buffer),
    };
    byUpdate.set(update, item);
    return update;
  });
  const fail = (item: StockToPush, error: unknown) =>
    outcome.failed.push({
      marketplace: client.marketplace,
      accountId: client.accountId,
      sku: item.variantSku,
      stage: 'stock',
      reason: describeError(error),
      retryable: isRetryable(error),
      error,
    });
  let result: Awaited<ReturnType<MarketplaceClient['updateInventory']>>;
  try {
    result = await client.updateInventory(updates);
  } catch (error) {
    for (const item of items) fail(item, error);
    return;
  }
  const accepted = result.succeeded.flatMap((update) => {
    const item = byUpdate.get(update) ?? findItem(items, update);
    return item ? [{ item, quantity: update.quantity }] : [];
  });
  for (const failure of result.failed) {
    const item = byUpdate.get(failure.item) ?? findItem(items, failure.item);
    if (item) fail(item, failure.error);
  }
  if (accepted.length === 0) return;
  const pushes: ListingPush[] = accepted.map(({ item, quantity }) => ({
    marketplace: item.marketplace,
    accountId: item.accountId,
    sku: item.sku,
    variantSku: item.variantSku,
    stock: { quantity, version: item.stock.version },
  }));
  try {
    await store.recordPushes(pushes, clock());
  } catch (error) {
    // The marketplace has the values; not recording them only means they are pushed again.
    for (const { item } of accepted) fail(item, error);
    return;
  }
  for (const pushed of accepted) {
    outcome.pushed.push(pushed);
    context.onPushed?.(pushed);
  }
}

/** Matches a batch result item to what was sent when the client returned copies. */
function findItem(items: readonly StockToPush[], update: StockUpdate): StockToPush | undefined {
  return items.find(
    (item) =>
      item.productExternalId === update.productExternalId &&
      (item.variantExternalId ?? undefined) === (update.variantExternalId ?? undefined) &&
      (update.sku === undefined || item.variantSku === update.sku),
  );
}
