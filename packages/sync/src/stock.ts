import type {
  MarketplaceClient,
  MarketplaceId,
  Order,
  OrderStatus,
  Product,
  ProductVariant,
  StockUpdate,
} from '@mlh/core';
import { chunk, DEFAULT_TIMEOUT_MS, defaultRetryOptions, MlhError, ValidationError } from '@mlh/core';
import type { SyncFailure } from './events';
import { ProductBatcher, type ProductBatchLimits, productBatches } from './internal/product-batches';
import { describeError, isOutcomeUnknown, isRetryable } from './internal/util';
import type { SyncTimers } from './runtime';
import type { Lease, ListingPush, StockMovement, StockPushCursor, StockToPush, SyncStore } from './store';

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

/**
 * The longest one request can take through the core transport: every attempt running to its
 * timeout, plus the longest backoff between attempts. Pass your transport's settings when they are
 * not the defaults (4 attempts, 30 s timeout, 30 s longest backoff: 210 s).
 *
 * @example
 * new InventorySync({ store, clients, stockWriteMaxMs: transportWorstCaseMs({ timeoutMs: 10_000 }) });
 */
export function transportWorstCaseMs(
  options: { timeoutMs?: number; maxAttempts?: number; maxDelayMs?: number } = {},
): number {
  const attempts = Math.max(1, Math.trunc(options.maxAttempts ?? defaultRetryOptions.maxAttempts));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const delayMs = options.maxDelayMs ?? defaultRetryOptions.maxDelayMs;
  return attempts * timeoutMs + (attempts - 1) * delayMs;
}

/** Default longest stock write: the core transport's worst case with its default settings. */
export const DEFAULT_STOCK_WRITE_MAX_MS = transportWorstCaseMs();
/** Default stock lease: outlives the longest write by 30 s, so a write never outlives its lease. */
export const DEFAULT_STOCK_LEASE_TTL_MS = DEFAULT_STOCK_WRITE_MAX_MS + 30_000;
/** Default wait, after a stock write of unknown outcome, before reading the marketplace back. */
export const DEFAULT_READ_BACK_DELAY_MS = 60_000;

/**
 * Checks that a stock lease outlives the longest write; a lease that could expire while a write is
 * in flight would let another worker write meanwhile and the older value land last.
 */
export function assertStockLeaseOutlivesWrite(leaseTtlMs: number, stockWriteMaxMs: number): void {
  const issues = [];
  if (!(stockWriteMaxMs > 0))
    issues.push({ path: 'stockWriteMaxMs', message: 'must be a positive number of ms' });
  if (!(leaseTtlMs > stockWriteMaxMs)) {
    issues.push({
      path: 'leaseTtlMs',
      message: `must exceed stockWriteMaxMs (${stockWriteMaxMs} ms), the longest a stock write can take`,
    });
  }
  if (issues.length > 0) throw new ValidationError('Invalid stock lease settings', issues);
}

/** What pushing an account's stock did. */
export interface StockPushOutcome {
  pushed: StockPushed[];
  /** SKUs whose unknown-outcome write was read back and found right: now synced without a write. */
  verified: StockToPush[];
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
  /** The longest one stock write can take. Default {@link DEFAULT_STOCK_WRITE_MAX_MS}. */
  writeMaxMs?: number | undefined;
  /** Wait after a write of unknown outcome before reading it back. Default {@link DEFAULT_READ_BACK_DELAY_MS}. */
  readBackDelayMs?: number | undefined;
  /** Timers that renew the lease while a write is in flight. Default the global ones. */
  timers?: SyncTimers | undefined;
  onPushed?: ((pushed: StockPushed) => void) | undefined;
}

/** The lease key serializing stock writes to one account, so two workers never race absolute values. */
export function stockLeaseKey(marketplace: MarketplaceId, accountId: string): string {
  return `stock:${marketplace}:${accountId}`;
}

/** The account's stock lease was lost (expired, or taken by another worker): nothing more is written. */
export class StockLeaseLostError extends MlhError {
  constructor(marketplace: MarketplaceId, accountId: string, why: string) {
    super(`stock lease of ${marketplace} account ${accountId} lost: ${why}; no further stock is written`, {
      marketplace,
      code: 'lease_lost',
      retryable: true,
    });
  }
}

const globalTimers: SyncTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * An account's stock lease as one run holds it. Every write goes through {@link HeldStockLease.write}:
 * the fencing token is checked immediately before it, the lease must have at least the longest
 * write's duration left, and it is renewed while the write is in flight.
 */
export class HeldStockLease {
  private constructor(
    private readonly context: StockPushContext,
    private readonly key: string,
    /** This run's name in the lease: the worker's owner name plus a run id. */
    readonly owner: string,
    readonly token: number,
  ) {}

  /**
   * Takes the account's stock lease; undefined when another run holds it. Each run holds it under
   * its own name (`<owner>#<run>`), so two orchestrators of one process (or a restarted worker
   * reusing its name) exclude each other instead of sharing one lease.
   */
  static async acquire(context: StockPushContext): Promise<HeldStockLease | undefined> {
    const { store, client, leaseTtlMs, clock } = context;
    const key = stockLeaseKey(client.marketplace, client.accountId);
    const owner = `${context.owner}#${crypto.randomUUID().slice(0, 8)}`;
    const lease = await store.acquireLease({ key, owner, ttlMs: leaseTtlMs, now: clock() });
    return lease ? new HeldStockLease(context, key, owner, lease.token) : undefined;
  }

  /** Renews the lease; throws {@link StockLeaseLostError} unless this very acquisition still holds it. */
  async renew(): Promise<Lease> {
    const { store, leaseTtlMs, clock } = this.context;
    const lease = await store.renewLease({
      key: this.key,
      owner: this.owner,
      ttlMs: leaseTtlMs,
      now: clock(),
    });
    if (!lease) throw this.lost('it expired or another worker took it');
    // The same owner name re-acquiring after an expiry gets a new token: the old run is fenced off.
    if (lease.token !== this.token)
      throw this.lost(`fencing token ${this.token} was superseded by ${lease.token}`);
    return lease;
  }

  /**
   * Sends one write under the lease. Returns its result and whether the lease held until it ended;
   * throws {@link StockLeaseLostError}, sending nothing, when the lease is lost or would expire
   * before the longest write could end.
   */
  async write<T>(
    send: () => Promise<T>,
  ): Promise<{ ok: true; value: T; held: boolean } | { ok: false; error: unknown; held: boolean }> {
    const { timers = globalTimers, leaseTtlMs, clock } = this.context;
    const writeMaxMs = this.context.writeMaxMs ?? DEFAULT_STOCK_WRITE_MAX_MS;
    const lease = await this.renew();
    const left = lease.expiresAt - clock();
    if (left < writeMaxMs) {
      throw this.lost(`only ${left} ms left, less than the longest write (${writeMaxMs} ms)`);
    }
    let held = true;
    let handle: unknown;
    let stopped = false;
    const every = Math.max(1, Math.floor(leaseTtlMs / 3));
    const keepAlive = () => {
      handle = timers.setTimeout(() => {
        this.renew().then(
          () => {
            if (!stopped) keepAlive();
          },
          () => {
            held = false;
          },
        );
      }, every);
    };
    keepAlive();
    let result: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      result = { ok: true, value: await send() };
    } catch (error) {
      result = { ok: false, error };
    }
    stopped = true;
    timers.clearTimeout(handle);
    // A renewal may have failed unseen by its timer (timers that did not fire): check once more.
    if (held)
      held = await this.renew().then(
        () => true,
        () => false,
      );
    return { ...result, held };
  }

  /** Releases the lease (best effort: it expires anyway). */
  async release(): Promise<void> {
    await this.context.store.releaseLease({ key: this.key, owner: this.owner }).catch(() => false);
  }

  /** The error for a lost lease of this account. */
  lost(why: string): StockLeaseLostError {
    return new StockLeaseLostError(this.context.client.marketplace, this.context.client.accountId, why);
  }
}

/**
 * Pushes to one account every SKU whose store stock changed since it was last pushed (plus
 * `extra`), as absolute values in the marketplace's largest batches of whole products (see
 * {@link stockBatchLimits}), under the account's stock lease (see {@link HeldStockLease}). A SKU
 * is recorded as pushed with the stock version it was computed from, so a movement that lands
 * meanwhile leaves it due for the next push.
 *
 * A write whose outcome is unknown (timeout, lost response, lease lost while it was in flight)
 * may still land later, even after a newer write: its SKUs are marked for a read-back after
 * `readBackDelayMs`, and stay due until the marketplace is read and shows the store's value
 * (or is written again after that read).
 */
export async function pushAccountStock(
  context: StockPushContext,
  extra: readonly StockToPush[] = [],
): Promise<StockPushOutcome> {
  const { store, client, clock } = context;
  const lease = await HeldStockLease.acquire(context);
  const outcome: StockPushOutcome = { pushed: [], verified: [], failed: [], leaseHeld: !lease };
  if (!lease) return outcome;
  try {
    const limits = stockBatchLimits(client);
    for (const batch of productBatches(extra, limits, listingOf)) {
      await pushBatch(context, lease, batch, outcome);
    }
    // Pages end anywhere, even inside a product: a call is sent once it is full or the last page is read.
    const batcher = new ProductBatcher(limits, listingOf);
    let after: StockPushCursor | undefined;
    do {
      const page = await store.listStockToPush({
        marketplace: client.marketplace,
        accountId: client.accountId,
        after,
        limit: limits.maxSkus,
      });
      const now = clock();
      const toCheck = page.items.filter((i) => i.stockCheckAfter !== undefined && i.stockCheckAfter <= now);
      const toPush = page.items.filter((i) => !toCheck.includes(i) && isBehind(i));
      if (toCheck.length > 0) {
        const { wrong, readAt } = await readBack(context, toCheck, outcome);
        for (const batch of productBatches(wrong, limits, listingOf)) {
          await pushBatch(context, lease, batch, outcome, readAt);
        }
      }
      batcher.add(toPush);
      after = page.next;
      for (const batch of after ? batcher.take() : batcher.finish()) {
        await pushBatch(context, lease, batch, outcome);
      }
      if (after) await lease.renew();
    } while (after);
  } finally {
    await lease.release();
  }
  return outcome;
}

/**
 * How SKUs are packed into `updateInventory` calls: whole products (every marketplace writes one
 * product per request), at most `maxBatch.updateInventory` SKUs and `maxBatch.updateInventoryProducts`
 * products each.
 */
export function stockBatchLimits(client: MarketplaceClient): ProductBatchLimits {
  const { updateInventory, updateInventoryProducts } = client.capabilities.maxBatch;
  return { maxSkus: Math.max(1, updateInventory), maxProducts: updateInventoryProducts };
}

/** The listing (product) a SKU to push belongs to. */
function listingOf(item: StockToPush): string {
  return item.sku;
}

/** True when the store's stock is newer than what was last pushed. */
function isBehind(item: StockToPush): boolean {
  return (item.pushedStockVersion ?? -1) < item.stock.version;
}

function expectedQuantity(item: StockToPush, buffer: StockBuffer | undefined): number {
  return publishedStock(item.stock.quantity, { ...item, sku: item.variantSku }, buffer);
}

function stockFailure(
  client: MarketplaceClient,
  item: StockToPush,
  stage: string,
  error: unknown,
): SyncFailure {
  return {
    marketplace: client.marketplace,
    accountId: client.accountId,
    sku: item.variantSku,
    stage,
    reason: describeError(error),
    retryable: isRetryable(error),
    error,
  };
}

/**
 * Reads the marketplace's stock of SKUs whose last write had an unknown outcome. Those showing the
 * expected value are recorded as synced (the read clears the check); the rest are returned, to be
 * written again. The read happens after the check time, so a late write that landed before it is seen.
 */
async function readBack(
  context: StockPushContext,
  items: readonly StockToPush[],
  outcome: StockPushOutcome,
): Promise<{ wrong: StockToPush[]; readAt: number }> {
  const { store, client, clock, buffer } = context;
  const readAt = clock();
  const ids = [...new Set(items.map((i) => i.productExternalId))];
  const products = new Map<string, Product>();
  const unread = new Set<string>();
  for (const batch of chunk(ids, Math.max(1, client.capabilities.maxBatch.getProducts))) {
    try {
      for (const product of await client.getProducts(batch)) {
        if (product.externalId !== undefined) products.set(product.externalId, product);
      }
    } catch (error) {
      for (const item of items.filter((i) => batch.includes(i.productExternalId))) {
        outcome.failed.push(stockFailure(client, item, 'read-back', error));
      }
      for (const id of batch) unread.add(id);
    }
  }
  const right: StockToPush[] = [];
  const wrong: StockToPush[] = [];
  for (const item of items) {
    if (unread.has(item.productExternalId)) continue;
    const product = products.get(item.productExternalId);
    const variant = product ? matchVariant(product, item.variantSku, item.variantExternalId) : undefined;
    if (variant?.quantity === expectedQuantity(item, buffer)) right.push(item);
    else wrong.push(item);
  }
  if (right.length > 0) {
    try {
      await store.recordPushes(
        right.map((item) => ({
          ...pushKey(item),
          stock: { quantity: expectedQuantity(item, buffer), version: item.stock.version },
          stockReadBackAt: readAt,
        })),
        clock(),
      );
      outcome.verified.push(...right);
    } catch (error) {
      for (const item of right) outcome.failed.push(stockFailure(client, item, 'stock', error));
    }
  }
  return { wrong, readAt };
}

function pushKey(item: StockToPush): Pick<ListingPush, 'marketplace' | 'accountId' | 'sku' | 'variantSku'> {
  return {
    marketplace: item.marketplace,
    accountId: item.accountId,
    sku: item.sku,
    variantSku: item.variantSku,
  };
}

/**
 * Marks SKUs whose write may land later: they stay due until read back after the delay. When even
 * this cannot be recorded the SKU is still due (its version was not recorded) and the periodic
 * reconcile is the last net.
 */
async function markUnknown(
  context: StockPushContext,
  items: readonly StockToPush[],
  outcome: StockPushOutcome,
): Promise<void> {
  const { store, client, clock } = context;
  const checkAfter = clock() + (context.readBackDelayMs ?? DEFAULT_READ_BACK_DELAY_MS);
  try {
    await store.recordPushes(
      items.map((item) => ({ ...pushKey(item), stockCheckAfter: checkAfter })),
      clock(),
    );
  } catch (error) {
    for (const item of items) outcome.failed.push(stockFailure(client, item, 'store', error));
  }
}

async function pushBatch(
  context: StockPushContext,
  lease: HeldStockLease,
  items: readonly StockToPush[],
  outcome: StockPushOutcome,
  readAt?: number,
): Promise<void> {
  const { store, client, buffer, clock } = context;
  const byUpdate = new Map<StockUpdate, StockToPush>();
  const updates = items.map((item) => {
    const update: StockUpdate = {
      productExternalId: item.productExternalId,
      variantExternalId: item.variantExternalId,
      sku: item.variantSku,
      quantity: expectedQuantity(item, buffer),
    };
    byUpdate.set(update, item);
    return update;
  });
  const written = await lease.write(() => client.updateInventory(updates));
  if (!written.ok) {
    if (isOutcomeUnknown(written.error) || !written.held) await markUnknown(context, items, outcome);
    for (const item of items) outcome.failed.push(stockFailure(client, item, 'stock', written.error));
    if (!written.held) throw lease.lost('it lapsed while a write was in flight');
    return;
  }
  const result = written.value;
  const accepted = result.succeeded.flatMap((update) => {
    const item = byUpdate.get(update) ?? findItem(items, update);
    return item ? [{ item, quantity: update.quantity }] : [];
  });
  for (const failure of result.failed) {
    const item = byUpdate.get(failure.item) ?? findItem(items, failure.item);
    if (item) outcome.failed.push(stockFailure(client, item, 'stock', failure.error));
  }
  if (!written.held) {
    // Another worker may have written a newer value while this one was in flight, and this one
    // may have landed last: the marketplace must be read before these SKUs count as synced.
    await markUnknown(
      context,
      accepted.map((a) => a.item),
      outcome,
    );
    throw lease.lost('it lapsed while a write was in flight');
  }
  if (accepted.length === 0) return;
  const pushes: ListingPush[] = accepted.map(({ item, quantity }) => ({
    ...pushKey(item),
    stock: { quantity, version: item.stock.version },
    ...(readAt === undefined ? {} : { stockReadBackAt: readAt }),
  }));
  try {
    await store.recordPushes(pushes, clock());
  } catch (error) {
    // The marketplace has the values; not recording them only means they are pushed again.
    for (const { item } of accepted) outcome.failed.push(stockFailure(client, item, 'stock', error));
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

/** The marketplace variant that carries a listing's SKU: by its external id, then by SKU. */
export function matchVariant(
  product: Product,
  sku: string,
  externalId: string | undefined,
): ProductVariant | undefined {
  return (
    (externalId ? product.variants.find((v) => v.externalId === externalId) : undefined) ??
    product.variants.find((v) => v.sku === sku) ??
    (product.variants.length === 1 && product.sku === sku ? product.variants[0] : undefined)
  );
}
