import type { MarketplaceId, Product } from '@mlh/core';
import { withoutUndefined } from '@mlh/core';
import {
  assertValidMovements,
  checkedStockAfterMovement,
  decideOrderUpsert,
  stockAfterMovement,
} from './rules';
import { withIssuePrefix, withStorableInputs } from './storable';
import type {
  CheckpointKey,
  Lease,
  Listing,
  ListingKey,
  OrderKey,
  OrderUpsertInput,
  OrderUpsertResult,
  Page,
  StockLevel,
  StockMovement,
  StockMovementResult,
  StockPushCursor,
  StockToPush,
  StoredOrder,
  SyncStore,
} from './store';

/** Everything a memory store holds, as plain data (structured-cloneable and JSON-safe). */
export interface MemorySyncStoreSnapshot {
  products: Product[];
  stock: StockLevel[];
  appliedMovements: string[];
  listings: Listing[];
  orders: StoredOrder[];
  checkpoints: [string, string][];
  eventClaims: [string, number][];
  leases: Lease[];
  leaseTokens: [string, number][];
}

/** The memory store: a {@link SyncStore} that can also be copied as a fixture. */
export interface MemorySyncStore extends SyncStore {
  /** A deep copy of the whole state; pass it to `createMemorySyncStore` to start another store from it. */
  snapshot(): MemorySyncStoreSnapshot;
}

/**
 * The reference {@link SyncStore}: everything in memory, for tests, demos and single-process
 * tools. Every method does all its work synchronously before its promise settles, so concurrent
 * calls on the same keys never interleave, and values are copied in and out so callers cannot
 * change stored state by mutating what they passed or received.
 *
 * @example
 * const store = createMemorySyncStore();
 * await store.upsertProducts([normalizeProduct({ sku: 'MUG', title: 'Mug', price: money('29.90', 'BRL'), quantity: 5 })]);
 * const fixture = store.snapshot();
 * const copy = createMemorySyncStore(fixture); // same state, independent from now on
 */
export function createMemorySyncStore(from?: MemorySyncStoreSnapshot): MemorySyncStore {
  const initial = from ? copy(from) : undefined;
  const listingId = (key: ListingKey) => join(key.marketplace, key.accountId, key.sku);
  const orderId = (key: OrderKey) => join(key.marketplace, key.accountId, key.externalId);
  const checkpointId = (key: CheckpointKey) => join(key.marketplace, key.accountId, key.stream);

  const products = new Map<string, Product>(initial?.products.map((p) => [p.sku, p]));
  const productOrder: string[] = [...products.keys()].sort(compareText);
  const stock = new Map<string, StockLevel>(initial?.stock.map((s) => [s.sku, s]));
  const appliedMovements = new Set<string>(initial?.appliedMovements);
  const listings = new Map<string, Listing>(initial?.listings.map((l) => [listingId(l), l]));
  const orders = new Map<string, StoredOrder>(initial?.orders.map((o) => [orderId(o.order), o]));
  const checkpoints = new Map<string, string>(initial?.checkpoints);
  const eventClaims = new Map<string, number>(initial?.eventClaims);
  const leases = new Map<string, Lease>(initial?.leases.map((l) => [l.key, l]));
  const leaseTokens = new Map<string, number>(initial?.leaseTokens);

  /** Throws before anything changes when a movement would take a stock beyond ±(2^53−1). */
  function assertMovementsFit(movements: readonly StockMovement[]): void {
    const keys = new Set<string>();
    const quantities = new Map<string, number>();
    movements.forEach((movement, index) => {
      if (appliedMovements.has(movement.key) || keys.has(movement.key)) return;
      keys.add(movement.key);
      const current = quantities.get(movement.sku) ?? stock.get(movement.sku)?.quantity;
      quantities.set(movement.sku, checkedStockAfterMovement(current, movement, index));
    });
  }

  /** Applies movements; `undo` collects how to take each change back (for an all-or-nothing batch). */
  function applyMovements(movements: readonly StockMovement[], undo?: Undo): StockMovementResult[] {
    return movements.map((movement) => {
      const current = stock.get(movement.sku);
      if (appliedMovements.has(movement.key)) {
        const level = current ?? { sku: movement.sku, quantity: 0, version: 0 };
        return { ...level, key: movement.key, applied: false };
      }
      undo?.push(() => appliedMovements.delete(movement.key), restorer(stock, movement.sku));
      appliedMovements.add(movement.key);
      const next: StockLevel = {
        sku: movement.sku,
        quantity: stockAfterMovement(current?.quantity, movement),
        version: (current?.version ?? 0) + 1,
      };
      stock.set(movement.sku, next);
      return { ...next, key: movement.key, applied: true };
    });
  }

  function upsertOne(
    { order, contentHash, movements, now }: OrderUpsertInput,
    undo?: Undo,
  ): OrderUpsertResult {
    assertValidMovements(movements);
    const id = orderId({
      marketplace: order.marketplace,
      accountId: order.accountId,
      externalId: order.externalId,
    });
    const existing = orders.get(id);
    const outcome = decideOrderUpsert(existing, { order, contentHash });
    if (outcome === 'stale') return { outcome, stored: copy(existing!), stock: [] };
    assertMovementsFit(movements);
    if (outcome !== 'unchanged') {
      undo?.push(restorer(orders, id));
      orders.set(id, { order: copy(order), contentHash, storedAt: now });
    }
    const results = applyMovements(movements, undo);
    return { outcome, stored: copy(orders.get(id)!), stock: results };
  }

  function accountListings(marketplace: MarketplaceId, accountId: string): Listing[] {
    return [...listings.values()]
      .filter((l) => l.marketplace === marketplace && l.accountId === accountId)
      .sort((a, b) => compareText(a.sku, b.sku));
  }

  function isLive(expiresAt: number | undefined, now: number): boolean {
    return expiresAt !== undefined && expiresAt > now;
  }

  return withStorableInputs({
    snapshot() {
      return copy({
        products: productOrder.map((sku) => products.get(sku)!),
        stock: [...stock.values()],
        appliedMovements: [...appliedMovements],
        listings: [...listings.values()],
        orders: [...orders.values()],
        checkpoints: [...checkpoints],
        eventClaims: [...eventClaims],
        leases: [...leases.values()],
        leaseTokens: [...leaseTokens],
      });
    },

    async upsertProducts(input) {
      for (const product of input) {
        if (!products.has(product.sku))
          productOrder.splice(insertionIndex(productOrder, product.sku), 0, product.sku);
        products.set(product.sku, copy(product));
        for (const variant of product.variants) {
          // Catalog variants carry a SKU; one without is no stock line.
          if (variant.sku !== undefined && !stock.has(variant.sku))
            stock.set(variant.sku, { sku: variant.sku, quantity: variant.quantity, version: 1 });
        }
      }
    },

    async getProducts(skus) {
      return skus.flatMap((sku) => {
        const product = products.get(sku);
        return product ? [copy(product)] : [];
      });
    },

    async listProducts({ after, limit }) {
      const start = after === undefined ? 0 : insertionIndex(productOrder, after, true);
      const skus = productOrder.slice(start, start + limit);
      const items = skus.map((sku) => copy(products.get(sku)!));
      return pageOf(items, start + limit < productOrder.length ? skus.at(-1) : undefined);
    },

    async countProducts() {
      return products.size;
    },

    async getStock(skus) {
      return skus.flatMap((sku) => {
        const level = stock.get(sku);
        return level ? [{ ...level }] : [];
      });
    },

    async applyStockMovements(movements) {
      assertValidMovements(movements);
      assertMovementsFit(movements);
      return applyMovements(movements);
    },

    async getListing(key) {
      return copyOrUndefined(listings.get(listingId(key)));
    },

    async findListingsByExternalIds(marketplace, accountId, productExternalIds) {
      const wanted = new Set(productExternalIds);
      return [...listings.values()]
        .filter(
          (listing) =>
            listing.marketplace === marketplace &&
            listing.accountId === accountId &&
            listing.state === 'active' &&
            listing.productExternalId !== undefined &&
            wanted.has(listing.productExternalId),
        )
        .map(copy);
    },

    async findListingByExternalId(marketplace, accountId, productExternalId) {
      for (const listing of listings.values()) {
        if (
          listing.marketplace === marketplace &&
          listing.accountId === accountId &&
          listing.state === 'active' &&
          listing.productExternalId === productExternalId
        ) {
          return copy(listing);
        }
      }
      return undefined;
    },

    async findListingsBySku(sku) {
      return [...listings.values()]
        .filter((l) => l.sku === sku || l.variants.some((v) => v.sku === sku))
        .sort((a, b) => compareText(listingId(a), listingId(b)))
        .map(copy);
    },

    async listListings({ marketplace, accountId, after, limit }) {
      const all = accountListings(marketplace, accountId).filter((l) => after === undefined || l.sku > after);
      const items = all.slice(0, limit).map(copy);
      return pageOf(items, all.length > limit ? items.at(-1)?.sku : undefined);
    },

    async claimListingCreate({ marketplace, accountId, sku, intentId, now, staleBefore }) {
      const id = listingId({ marketplace, accountId, sku });
      const existing = listings.get(id);
      const intent = { id: intentId, startedAt: now };
      if (!existing) {
        const listing: Listing = {
          marketplace,
          accountId,
          sku,
          state: 'creating',
          intent,
          variants: [],
          updatedAt: now,
        };
        listings.set(id, listing);
        return { claimed: true, listing: copy(listing) };
      }
      if (existing.state === 'creating' && existing.intent && existing.intent.startedAt < staleBefore) {
        const takenOver = { ...existing.intent };
        existing.intent = intent;
        existing.updatedAt = now;
        return { claimed: true, listing: copy(existing), takenOver };
      }
      return { claimed: false, listing: copy(existing) };
    },

    async completeListingCreate({
      marketplace,
      accountId,
      sku,
      productExternalId,
      contentHash,
      status,
      variants,
      now,
    }) {
      const id = listingId({ marketplace, accountId, sku });
      const existing = listings.get(id);
      if (existing?.state === 'active' && existing.productExternalId !== productExternalId) {
        return { ok: false, listing: copy(existing) };
      }
      const listing: Listing = {
        marketplace,
        accountId,
        sku,
        state: 'active',
        productExternalId,
        contentHash,
        status,
        variants: variants.map((v) => copy(v)),
        updatedAt: now,
      };
      listings.set(id, withoutUndefined(listing));
      return { ok: true, listing: copy(listings.get(id)!) };
    },

    async abandonListingCreate({ marketplace, accountId, sku, intentId }) {
      const id = listingId({ marketplace, accountId, sku });
      const existing = listings.get(id);
      if (existing?.state !== 'creating' || existing.intent?.id !== intentId) return false;
      listings.delete(id);
      return true;
    },

    async updateListing(key, patch, now) {
      const existing = listings.get(listingId(key));
      if (existing?.state !== 'active') return undefined;
      if (patch.productExternalId !== undefined) existing.productExternalId = patch.productExternalId;
      if (patch.contentHash !== undefined) existing.contentHash = patch.contentHash;
      if (patch.status !== undefined) existing.status = patch.status;
      if (patch.variants) {
        const before = new Map(existing.variants.map((v) => [v.sku, v]));
        existing.variants = patch.variants.map((v) =>
          withoutUndefined({
            ...before.get(v.sku),
            sku: v.sku,
            externalId: v.externalId ?? before.get(v.sku)?.externalId,
          }),
        );
      }
      existing.updatedAt = now;
      return copy(existing);
    },

    async recordPushes(pushes, now) {
      for (const push of pushes) {
        const listing = listings.get(listingId(push));
        if (listing?.state !== 'active') continue;
        let variant = listing.variants.find((v) => v.sku === push.variantSku);
        if (!variant) {
          variant = { sku: push.variantSku };
          listing.variants.push(variant);
        }
        if (push.price) variant.pushedPrice = { ...push.price };
        if (push.stock && (variant.pushedStockVersion ?? -1) < push.stock.version) {
          variant.pushedQuantity = push.stock.quantity;
          variant.pushedStockVersion = push.stock.version;
        }
        if (
          push.stockReadBackAt !== undefined &&
          (variant.stockCheckAfter ?? Infinity) <= push.stockReadBackAt
        ) {
          delete variant.stockCheckAfter;
        }
        if (push.stockCheckAfter !== undefined) {
          variant.stockCheckAfter = Math.max(variant.stockCheckAfter ?? -Infinity, push.stockCheckAfter);
        }
        listing.updatedAt = now;
      }
    },

    async listStockToPush({ marketplace, accountId, after, limit }) {
      const due: StockToPush[] = [];
      for (const listing of accountListings(marketplace, accountId)) {
        if (listing.state !== 'active' || listing.productExternalId === undefined) continue;
        const variants = [...listing.variants].sort((a, b) => compareText(a.sku, b.sku));
        for (const variant of variants) {
          if (after && compareCursor({ sku: listing.sku, variantSku: variant.sku }, after) <= 0) continue;
          const level = stock.get(variant.sku);
          if (!level) continue;
          if ((variant.pushedStockVersion ?? -1) >= level.version && variant.stockCheckAfter === undefined)
            continue;
          due.push(
            withoutUndefined({
              marketplace,
              accountId,
              sku: listing.sku,
              variantSku: variant.sku,
              productExternalId: listing.productExternalId,
              variantExternalId: variant.externalId,
              stock: { ...level },
              pushedQuantity: variant.pushedQuantity,
              pushedStockVersion: variant.pushedStockVersion,
              stockCheckAfter: variant.stockCheckAfter,
            }),
          );
          if (due.length > limit) break;
        }
        if (due.length > limit) break;
      }
      const items = due.slice(0, limit);
      const last = items.at(-1);
      return pageOf(
        items,
        due.length > limit && last ? { sku: last.sku, variantSku: last.variantSku } : undefined,
      );
    },

    async getOrder(key) {
      return copyOrUndefined(orders.get(orderId(key)));
    },

    async upsertOrder(input) {
      return upsertOne(input);
    },

    async upsertOrders(inputs) {
      const undo: Undo = [];
      try {
        return inputs.map((input, index) =>
          withIssuePrefix(`${index}.movements`, () => upsertOne(input, undo)),
        );
      } catch (error) {
        for (const step of undo.reverse()) step();
        throw error;
      }
    },

    async listOrders({ marketplace, accountId, after, limit }) {
      const all = [...orders.values()]
        .filter(
          (o) =>
            o.order.marketplace === marketplace &&
            o.order.accountId === accountId &&
            (after === undefined || o.order.externalId > after),
        )
        .sort((a, b) => compareText(a.order.externalId, b.order.externalId));
      const items = all.slice(0, limit).map(copy);
      return pageOf(items, all.length > limit ? items.at(-1)?.order.externalId : undefined);
    },

    async getCheckpoint(key) {
      return checkpoints.get(checkpointId(key));
    },

    async setCheckpoint(key, value) {
      checkpoints.set(checkpointId(key), value);
    },

    async claimEvent({ key, ttlMs, now }) {
      if (isLive(eventClaims.get(key), now)) return false;
      eventClaims.set(key, now + ttlMs);
      return true;
    },

    async completeEvent({ key, ttlMs, now }) {
      eventClaims.set(key, Math.max(eventClaims.get(key) ?? 0, now + ttlMs));
    },

    async releaseEvent(key) {
      eventClaims.delete(key);
    },

    async acquireLease({ key, owner, ttlMs, now }) {
      const current = leases.get(key);
      if (current && current.owner !== owner && isLive(current.expiresAt, now)) return undefined;
      const renewing = current?.owner === owner && isLive(current.expiresAt, now);
      const token = renewing ? current.token : (leaseTokens.get(key) ?? 0) + 1;
      leaseTokens.set(key, token);
      const lease: Lease = { key, owner, expiresAt: now + ttlMs, token };
      leases.set(key, lease);
      return { ...lease };
    },

    async renewLease({ key, owner, ttlMs, now }) {
      const current = leases.get(key);
      if (!current || current.owner !== owner || !isLive(current.expiresAt, now)) return undefined;
      current.expiresAt = now + ttlMs;
      return { ...current };
    },

    async releaseLease({ key, owner }) {
      const current = leases.get(key);
      if (!current || current.owner !== owner) return false;
      leases.delete(key);
      return true;
    },

    async purgeExpired(now) {
      let purged = 0;
      for (const [key, expiresAt] of eventClaims) {
        if (!isLive(expiresAt, now)) {
          eventClaims.delete(key);
          purged += 1;
        }
      }
      for (const [key, lease] of leases) {
        if (!isLive(lease.expiresAt, now)) {
          leases.delete(key);
          purged += 1;
        }
      }
      return purged;
    },
  });
}

function join(...parts: string[]): string {
  return parts.join('\u0000');
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

function copyOrUndefined<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : copy(value);
}

function pageOf<T, C>(items: T[], next: C | undefined): Page<T, C> {
  return next === undefined ? { items } : { items, next };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareCursor(a: StockPushCursor, b: StockPushCursor): number {
  return compareText(a.sku, b.sku) || compareText(a.variantSku, b.variantSku);
}

/** Index at which `value` is (or would be inserted) in the sorted `sorted`; `after` skips an equal entry. */
function insertionIndex(sorted: readonly string[], value: string, after = false): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const probe = sorted[mid]!;
    if (probe < value || (after && probe === value)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Steps that take a batch's changes back, run last first. */
type Undo = (() => void)[];

/** How to put one map entry back as it is now (present with its value, or absent). */
function restorer<K, V>(map: Map<K, V>, key: K): () => void {
  const had = map.has(key);
  const before = map.get(key);
  return () => {
    if (had) map.set(key, before as V);
    else map.delete(key);
  };
}
