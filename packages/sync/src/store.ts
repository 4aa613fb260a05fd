import type {
  MarketplaceId,
  Money,
  Order,
  OrderStatus,
  Product,
  ProductStatus,
  WebhookDedupeStore,
} from '@mlh/core';

/**
 * The storage port of @mlh/sync. The application implements {@link SyncStore} over its own
 * database (or uses `createMemorySyncStore()` / a published store); the orchestrators keep all
 * their state here, so they can run in any process and a crash loses or duplicates nothing.
 *
 * Every method is one unit of atomicity: a store over a transactional database runs each call in
 * one transaction. Times are epoch milliseconds supplied by the caller (`now`), so every worker
 * and every test decides time the same way.
 */

/** One page of a keyset-paged listing. `next` is present when more items may follow. */
export interface Page<T, C = string> {
  items: T[];
  /** Pass as `after` to read the next page; absent on the last page. */
  next?: C | undefined;
}

/** The stock of one SKU: an exact count that may be negative when oversold. */
export interface StockLevel {
  sku: string;
  /** Units available; negative means more was sold than the store held (oversell). */
  quantity: number;
  /** Increases by one on every movement applied to this SKU; never decreases. */
  version: number;
}

/**
 * A change to a SKU's stock, applied at most once per `key`. Either relative (`delta`) or absolute
 * (`set`, for a stock count). A movement on a SKU with no stock yet starts it at 0.
 */
export type StockMovement =
  | {
      /** Idempotency key: a key applied once is never applied again. */
      key: string;
      sku: string;
      /** Units to add (positive) or remove (negative). */
      delta: number;
      /** Why the stock moved, for the ledger (`order.reserve`, `order.release`, `restock`, ...). */
      reason?: string | undefined;
    }
  | {
      key: string;
      sku: string;
      /** The absolute stock after the movement. */
      set: number;
      reason?: string | undefined;
    };

/** What applying one movement did. */
export interface StockMovementResult extends StockLevel {
  key: string;
  /** False when the key had already been applied: nothing changed. */
  applied: boolean;
}

/** Identifies a listing: one catalog product on one marketplace account. */
export interface ListingKey {
  marketplace: MarketplaceId;
  accountId: string;
  /** The catalog product's SKU (the parent SKU of a product with variants). */
  sku: string;
}

/** The record of a create that was started: kept until the outcome is known. */
export interface ListingIntent {
  /** Unique per attempt; only the attempt that wrote it may abandon it. */
  id: string;
  startedAt: number;
}

/** One SKU of a listing and what was last pushed to it. */
export interface ListingVariant {
  sku: string;
  /** The marketplace's id of the variant (absent for a product without variants). */
  externalId?: string | undefined;
  /** The price the marketplace last accepted. */
  pushedPrice?: Money | undefined;
  /** The stock the marketplace last accepted. */
  pushedQuantity?: number | undefined;
  /** The {@link StockLevel.version} that `pushedQuantity` was computed from. */
  pushedStockVersion?: number | undefined;
  /**
   * Set when a stock write's outcome was unknown (timeout, lost response, lease lost while
   * writing): it may still land, even after a newer write, so the SKU does not count as synced
   * until its marketplace stock is read back at or after this time.
   */
  stockCheckAfter?: number | undefined;
}

/**
 * A catalog product on one marketplace account. `creating` means a create was started and its
 * outcome is not yet known: before creating again the marketplace must be searched by SKU.
 */
export interface Listing extends ListingKey {
  state: 'creating' | 'active';
  /** Present while `state` is `creating`. */
  intent?: ListingIntent | undefined;
  productExternalId?: string | undefined;
  /** Hash of the content last sent (title, description, images, attributes, variants, ...). */
  contentHash?: string | undefined;
  /** The status last set on the marketplace. */
  status?: ProductStatus | undefined;
  variants: ListingVariant[];
  updatedAt: number;
}

/** Outcome of {@link SyncStore.claimListingCreate}. */
export type ListingClaim =
  | {
      claimed: true;
      listing: Listing;
      /** An older intent this claim took over: a create may have happened, so search first. */
      takenOver?: ListingIntent | undefined;
    }
  | { claimed: false; listing: Listing };

/** Outcome of {@link SyncStore.completeListingCreate}. */
export type ListingCompletion =
  | { ok: true; listing: Listing }
  /** The listing is already active with another external id: the create made a duplicate. */
  | { ok: false; listing: Listing };

/** Changes to an active listing after an update; absent fields are kept. */
export interface ListingPatch {
  productExternalId?: string | undefined;
  contentHash?: string | undefined;
  status?: ProductStatus | undefined;
  /**
   * The listing's SKUs after the update, replacing the list: what was pushed is kept for the SKUs
   * that remain (and their `externalId` is updated), SKUs not listed are dropped.
   */
  variants?: readonly { sku: string; externalId?: string | undefined }[] | undefined;
}

/** What the marketplace accepted for one SKU of a listing. */
export interface ListingPush extends ListingKey {
  /** The variant's SKU (equal to `sku` for a product without variants). */
  variantSku: string;
  price?: Money | undefined;
  /** Stock pushed together with the version it was computed from; an older version is ignored. */
  stock?: { quantity: number; version: number } | undefined;
  /**
   * A stock write's outcome is unknown: sets {@link ListingVariant.stockCheckAfter} (the later of
   * this and one already set wins). Recorded for an active listing only, like the rest.
   */
  stockCheckAfter?: number | undefined;
  /**
   * The marketplace's stock was read back at this time and matched `stock` (or `stock` was then
   * written): clears a `stockCheckAfter` at or before this time, keeps a later one.
   */
  stockReadBackAt?: number | undefined;
}

/** Position in {@link SyncStore.listStockToPush}: listing SKU, then variant SKU. */
export interface StockPushCursor {
  sku: string;
  variantSku: string;
}

/** A SKU of an active listing whose marketplace stock is older than the store's. */
export interface StockToPush {
  marketplace: MarketplaceId;
  accountId: string;
  /** The listing's (product's) SKU. */
  sku: string;
  variantSku: string;
  productExternalId: string;
  variantExternalId?: string | undefined;
  /** The store's stock now. */
  stock: StockLevel;
  pushedQuantity?: number | undefined;
  pushedStockVersion?: number | undefined;
  /** Present while a read-back is pending (see {@link ListingVariant.stockCheckAfter}). */
  stockCheckAfter?: number | undefined;
}

/** Identifies an order. */
export interface OrderKey {
  marketplace: MarketplaceId;
  accountId: string;
  externalId: string;
}

/** An order as stored, with what the store needs to order its versions. */
export interface StoredOrder {
  order: Order;
  /** Hash of the order's content, to tell an unchanged redelivery from a change. */
  contentHash: string;
  /** When the store last changed this row. */
  storedAt: number;
}

/** One order to store with the stock movements it causes: the input of {@link SyncStore.upsertOrder}. */
export interface OrderUpsertInput {
  order: Order;
  /** Hash of the order's content, to tell an unchanged redelivery from a change. */
  contentHash: string;
  movements: readonly StockMovement[];
  now: number;
}

/** What {@link SyncStore.upsertOrder} did with the order. */
export type OrderUpsertOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

/** Result of {@link SyncStore.upsertOrder}. */
export interface OrderUpsertResult {
  outcome: OrderUpsertOutcome;
  /** The order now stored (the incoming one unless `stale`). */
  stored: StoredOrder;
  /** The movements' results, in input order; empty when `stale` (nothing was applied). */
  stock: StockMovementResult[];
}

/** Identifies a checkpoint: one position per marketplace account and stream (`orders`, ...). */
export interface CheckpointKey {
  marketplace: MarketplaceId;
  accountId: string;
  stream: string;
}

/** A lease: who holds a key until when. */
export interface Lease {
  key: string;
  owner: string;
  expiresAt: number;
  /**
   * A fencing token: increases on every new acquisition of the key (not on renewal), also across
   * release and purge, so a late write by a former holder can be told apart.
   */
  token: number;
}

/**
 * The storage port. Implement it over your database and prove it with
 * `describeSyncStoreConformance` from `@mlh/sync/testing`. Each method is atomic; methods that
 * change several things (an order and its stock movements) do so all-or-nothing.
 */
export interface SyncStore {
  // ── catalog ────────────────────────────────────────────────────────────────
  /**
   * Inserts or replaces catalog products (keyed by `sku`). A variant SKU with no stock yet gets
   * its `quantity` as initial stock (version 1); existing stock is never overwritten: stock moves
   * only through {@link applyStockMovements}.
   */
  upsertProducts(products: readonly Product[]): Promise<void>;
  /** The catalog products with these product SKUs; unknown SKUs are omitted. */
  getProducts(skus: readonly string[]): Promise<Product[]>;
  /** Catalog products in ascending SKU order, after the SKU `after`. */
  listProducts(options: { after?: string | undefined; limit: number }): Promise<Page<Product>>;
  /** How many catalog products there are. */
  countProducts(): Promise<number>;

  // ── stock ledger ───────────────────────────────────────────────────────────
  /** Current stock of these SKUs; SKUs with no stock are omitted. */
  getStock(skus: readonly string[]): Promise<StockLevel[]>;
  /**
   * Applies movements, each at most once per key, all in one transaction; returns each SKU's
   * stock after its movement (a key seen before changes nothing and reports the current stock).
   */
  applyStockMovements(movements: readonly StockMovement[]): Promise<StockMovementResult[]>;

  // ── listings ───────────────────────────────────────────────────────────────
  getListing(key: ListingKey): Promise<Listing | undefined>;
  /** The active listing with this product external id on this account. */
  findListingByExternalId(
    marketplace: MarketplaceId,
    accountId: string,
    productExternalId: string,
  ): Promise<Listing | undefined>;
  /**
   * Optional: {@link findListingByExternalId} for many ids at once (unknown ids are omitted; the
   * order of the result does not matter). `OrderSync` reads a poll batch's listings through it; a
   * store without it gets one `findListingByExternalId` per id (see {@link findListingsByExternalIdsOf}).
   */
  findListingsByExternalIds?(
    marketplace: MarketplaceId,
    accountId: string,
    productExternalIds: readonly string[],
  ): Promise<Listing[]>;
  /**
   * Optional: the catalog SKU each order line of one account moves, in input order (undefined
   * where none). A line moves the SKU of a variant of the active listing with its product
   * external id (the variant with the line's variant external id, or the listing's only
   * variant) when that SKU has stock; otherwise the line's own `sku` when it has stock. The
   * listing is the one {@link findListingByExternalId} finds. `OrderSync` resolves each poll
   * batch through it in one call per account; a store without it is read through
   * {@link findListingsByExternalIds} and {@link getStock}, with the same answer. Worth
   * implementing where one query can do the matching.
   */
  resolveOrderLineSkus?(
    marketplace: MarketplaceId,
    accountId: string,
    lines: readonly {
      productExternalId: string;
      variantExternalId?: string | undefined;
      sku?: string | undefined;
    }[],
  ): Promise<(string | undefined)[]>;
  /** Every listing (any marketplace and account) whose product SKU or a variant SKU is `sku`. */
  findListingsBySku(sku: string): Promise<Listing[]>;
  /** Listings of one account in ascending SKU order, after the SKU `after`. */
  listListings(options: {
    marketplace: MarketplaceId;
    accountId: string;
    after?: string | undefined;
    limit: number;
  }): Promise<Page<Listing>>;
  /**
   * Records the intent to create a listing, before the create is sent. Claims when no listing
   * exists, or when a `creating` intent started before `staleBefore` (it is taken over and
   * returned as `takenOver`). Otherwise returns the existing listing unclaimed.
   */
  claimListingCreate(
    input: ListingKey & { intentId: string; now: number; staleBefore: number },
  ): Promise<ListingClaim>;
  /**
   * Makes the listing active with its external ids and what the create sent. Succeeds when the
   * listing is `creating` (whichever intent), absent, or already active with the same
   * `productExternalId`; fails, changing nothing, when it is active with another one.
   */
  completeListingCreate(
    input: ListingKey & {
      productExternalId: string;
      contentHash?: string | undefined;
      status?: ProductStatus | undefined;
      variants: readonly ListingVariant[];
      now: number;
    },
  ): Promise<ListingCompletion>;
  /** Deletes a `creating` listing when its intent is still `intentId` (the create surely failed). */
  abandonListingCreate(input: ListingKey & { intentId: string }): Promise<boolean>;
  /** Patches an active listing; returns it, or undefined when there is no active listing. */
  updateListing(key: ListingKey, patch: ListingPatch, now: number): Promise<Listing | undefined>;
  /**
   * Records what marketplaces accepted, in one transaction. A stock push is ignored when an equal
   * or newer stock version was already recorded for that SKU of that listing; `stockCheckAfter`
   * and `stockReadBackAt` set and clear a pending read-back independently of the version.
   */
  recordPushes(pushes: readonly ListingPush[], now: number): Promise<void>;
  /**
   * SKUs of active listings of one account whose recorded stock version is older than the
   * store's (or absent), or whose stock awaits a read-back (`stockCheckAfter` set, due or not),
   * ordered by listing SKU then variant SKU, after `after`.
   */
  listStockToPush(options: {
    marketplace: MarketplaceId;
    accountId: string;
    after?: StockPushCursor | undefined;
    limit: number;
  }): Promise<Page<StockToPush, StockPushCursor>>;

  // ── orders ─────────────────────────────────────────────────────────────────
  getOrder(key: OrderKey): Promise<StoredOrder | undefined>;
  /**
   * Inserts or updates an order and applies its stock movements in one transaction. The stored
   * order changes only when the incoming one is newer (see `decideOrderUpsert`); the movements are
   * applied unless the outcome is `stale`.
   */
  upsertOrder(input: OrderUpsertInput): Promise<OrderUpsertResult>;
  /**
   * Optional: {@link upsertOrder} for many orders in one call, all-or-nothing (one transaction),
   * with the same outcome as calling `upsertOrder` for each in input order (an order given twice
   * is upserted twice, in turn). Results are in input order. `OrderSync` stores each page of a
   * poll through it; a store without it gets one `upsertOrder` per order (see
   * {@link upsertOrdersOf}). Worth implementing where one statement can carry many rows.
   */
  upsertOrders?(inputs: readonly OrderUpsertInput[]): Promise<OrderUpsertResult[]>;
  /** Orders of one account in ascending external id order, after `after`. */
  listOrders(options: {
    marketplace: MarketplaceId;
    accountId: string;
    after?: string | undefined;
    limit: number;
  }): Promise<Page<StoredOrder>>;

  // ── checkpoints ────────────────────────────────────────────────────────────
  getCheckpoint(key: CheckpointKey): Promise<string | undefined>;
  setCheckpoint(key: CheckpointKey, value: string): Promise<void>;

  // ── seen events ────────────────────────────────────────────────────────────
  /**
   * Claims an event key for `ttlMs`: true for the first claimer, false while a claim is live.
   * An expired claim can be claimed again. The shape of a webhook dedupe store's `claim`.
   */
  claimEvent(input: { key: string; ttlMs: number; now: number }): Promise<boolean>;
  /** Keeps a claimed key for `ttlMs` more (the event was processed: remember it longer). */
  completeEvent(input: { key: string; ttlMs: number; now: number }): Promise<void>;
  /** Forgets a claim so a redelivery can be processed (processing failed). */
  releaseEvent(key: string): Promise<void>;

  // ── leases ─────────────────────────────────────────────────────────────────
  /**
   * Takes the lease when it is free, expired, or already held by `owner` (then it is extended).
   * Returns the lease, or undefined when another owner holds a live one.
   */
  acquireLease(input: { key: string; owner: string; ttlMs: number; now: number }): Promise<Lease | undefined>;
  /** Extends a live lease held by `owner`; undefined when it was lost (expired or taken). */
  renewLease(input: { key: string; owner: string; ttlMs: number; now: number }): Promise<Lease | undefined>;
  /** Releases a lease held by `owner`; false when `owner` did not hold it. */
  releaseLease(input: { key: string; owner: string }): Promise<boolean>;

  // ── housekeeping ───────────────────────────────────────────────────────────
  /** Deletes expired event claims and leases; returns how many rows went. */
  purgeExpired(now: number): Promise<number>;
}

/**
 * Upserts orders through the store's {@link SyncStore.upsertOrders} when it has one, else one
 * {@link SyncStore.upsertOrder} per order in turn (then not all-or-nothing: the orders before a
 * failing one stay stored, as separate calls would leave them).
 *
 * @example
 * const results = await upsertOrdersOf(store, page.map((order) => ({ order, contentHash, movements: [], now })));
 */
export async function upsertOrdersOf(
  store: SyncStore,
  inputs: readonly OrderUpsertInput[],
): Promise<OrderUpsertResult[]> {
  if (inputs.length === 0) return [];
  if (store.upsertOrders) return store.upsertOrders(inputs);
  const results: OrderUpsertResult[] = [];
  for (const input of inputs) results.push(await store.upsertOrder(input));
  return results;
}

/**
 * The active listings with these product external ids on one account, through the store's
 * {@link SyncStore.findListingsByExternalIds} when it has one, else one lookup per distinct id.
 *
 * @example
 * const listings = await findListingsByExternalIdsOf(store, 'shopee', shopId, ['123', '456']);
 */
export async function findListingsByExternalIdsOf(
  store: SyncStore,
  marketplace: MarketplaceId,
  accountId: string,
  productExternalIds: readonly string[],
): Promise<Listing[]> {
  const ids = [...new Set(productExternalIds)];
  if (ids.length === 0) return [];
  if (store.findListingsByExternalIds) return store.findListingsByExternalIds(marketplace, accountId, ids);
  const found = await Promise.all(ids.map((id) => store.findListingByExternalId(marketplace, accountId, id)));
  return found.filter((listing): listing is Listing => listing !== undefined);
}

/** One order line as {@link SyncStore.resolveOrderLineSkus} reads it. */
type OrderLineRef = Parameters<NonNullable<SyncStore['resolveOrderLineSkus']>>[2][number];

/**
 * The catalog SKU each order line of one account moves (see
 * {@link SyncStore.resolveOrderLineSkus}), through the store's own method when it has one, else
 * from the lines' listings and the stock of every candidate SKU, each read once.
 *
 * @example
 * const skus = await resolveOrderLineSkusOf(store, 'shopee', shopId, order.items);
 */
export async function resolveOrderLineSkusOf(
  store: SyncStore,
  marketplace: MarketplaceId,
  accountId: string,
  lines: readonly OrderLineRef[],
): Promise<(string | undefined)[]> {
  if (lines.length === 0) return [];
  if (store.resolveOrderLineSkus) return store.resolveOrderLineSkus(marketplace, accountId, lines);
  // The stock of the SKUs the lines name is read while the listings are: most lines resolve to
  // one of those, and only the listings' other SKUs are read afterwards.
  const named = [...new Set(lines.flatMap((line) => line.sku || []))];
  const [found, namedStock] = await Promise.all([
    findListingsByExternalIdsOf(
      store,
      marketplace,
      accountId,
      lines.map((line) => line.productExternalId),
    ),
    named.length > 0 ? store.getStock(named) : [],
  ]);
  const listings = new Map(found.map((listing) => [listing.productExternalId, listing]));
  const candidates = lines.map((line) => {
    const listing = listings.get(line.productExternalId);
    const variant =
      listing?.variants.find(
        (v) => line.variantExternalId !== undefined && v.externalId === line.variantExternalId,
      ) ?? (listing?.variants.length === 1 ? listing.variants[0] : undefined);
    return [variant?.sku, line.sku].filter((sku): sku is string => !!sku);
  });
  const known = new Set(namedStock.map((level) => level.sku));
  const asked = new Set(named);
  const others = [...new Set(candidates.flat())].filter((sku) => !asked.has(sku));
  if (others.length > 0) for (const level of await store.getStock(others)) known.add(level.sku);
  return candidates.map((skus) => skus.find((sku) => known.has(sku)));
}

/** Order statuses from earliest to latest in an order's life, for ties on `updatedAt`. */
export const ORDER_STATUS_RANK: Readonly<Record<OrderStatus, number>> = {
  unknown: -1,
  pending: 0,
  paid: 1,
  shipped: 2,
  delivered: 3,
  cancelled: 4,
};

/**
 * A core `WebhookDedupeStore` over the sync store's seen-event keys, so the webhook handler and the
 * orchestrators share one database. Keys are prefixed (`webhook:` by default) to stay apart from
 * `OrderSync`'s own claims.
 *
 * @example
 * createWebhookHandler({ sources, dedupe: eventClaimStore(store) })
 */
export function eventClaimStore(
  store: Pick<SyncStore, 'claimEvent'>,
  options: { prefix?: string; clock?: () => number } = {},
): WebhookDedupeStore {
  const prefix = options.prefix ?? 'webhook:';
  const clock = options.clock ?? (() => Date.now());
  return { claim: (key, ttlMs) => store.claimEvent({ key: prefix + key, ttlMs, now: clock() }) };
}
