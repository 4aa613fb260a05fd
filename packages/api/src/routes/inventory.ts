import { NotFoundError } from '@mlh/core';
import type {
  InventoryReconcileSummary,
  InventorySync,
  Listing,
  StockLevel,
  StockMovement,
  SyncStore,
} from '@mlh/sync';
import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import type { IdempotencyStore } from '../idempotency';
import { type InventoryLevelView, InventoryListQuery, InventorySetBody, ReconcileBody } from '../schemas';
import { idempotencyGuard, parseJsonBody, parseQuery, requireScope } from '../security';
import { compareText } from './accounts';

type ListingStockView = InventoryLevelView['listings'][number];

/** How far the SKU's stock reached one listing's variant of that SKU. */
function listingStock(listing: Listing, level: StockLevel): ListingStockView | undefined {
  const variant = listing.variants.find((candidate) => candidate.sku === level.sku);
  if (!variant || listing.state !== 'active') return undefined;
  const state =
    variant.stockCheckAfter !== undefined
      ? 'checking'
      : variant.pushedStockVersion !== undefined && variant.pushedStockVersion >= level.version
        ? 'synced'
        : 'pending';
  return {
    marketplace: String(listing.marketplace),
    accountId: listing.accountId,
    productSku: listing.sku,
    state,
    ...(variant.pushedQuantity === undefined ? {} : { pushedQuantity: variant.pushedQuantity }),
    ...(variant.pushedStockVersion === undefined ? {} : { pushedStockVersion: variant.pushedStockVersion }),
  };
}

/** A SKU's stock with where it stands on each listing. */
export async function inventoryLevel(store: SyncStore, level: StockLevel): Promise<InventoryLevelView> {
  const listings = (await store.findListingsBySku(level.sku))
    .map((listing) => listingStock(listing, level))
    .filter((view): view is ListingStockView => view !== undefined)
    .sort(
      (a, b) =>
        compareText(a.marketplace, b.marketplace) ||
        compareText(a.accountId, b.accountId) ||
        compareText(a.productSku, b.productSku),
    );
  return { sku: level.sku, quantity: level.quantity, version: level.version, listings };
}

/** The answer of a reconcile: times as ISO strings, failures without their error objects. */
export function reconcileView(summary: InventoryReconcileSummary) {
  return {
    runId: summary.runId,
    startedAt: new Date(summary.startedAt).toISOString(),
    finishedAt: new Date(summary.finishedAt).toISOString(),
    checked: summary.checked,
    drift: summary.drift,
    missing: summary.missing,
    failed: summary.failed.map((failure) => ({
      marketplace: String(failure.marketplace),
      accountId: failure.accountId,
      ...(failure.sku === undefined ? {} : { sku: failure.sku }),
      stage: failure.stage,
      reason: failure.reason,
      retryable: failure.retryable,
    })),
  };
}

/** `GET /inventory?sku=A,B` (many SKUs), `GET /inventory/{sku}` and `PUT /inventory/{sku}` (set the count; idempotency key required). */
export function inventoryRoutes(options: {
  syncStore: SyncStore;
  inventory?: InventorySync | undefined;
  idempotency: IdempotencyStore;
  clock: () => number;
}): Hono<ApiEnv> {
  const store = options.syncStore;
  const routes = new Hono<ApiEnv>();
  const currentLevel = async (sku: string) => {
    const [level] = await store.getStock([sku]);
    if (!level) throw new NotFoundError(`No stock for SKU ${sku}: it is not in the catalog`);
    return level;
  };
  const inventory = options.inventory;
  if (inventory) {
    // Reads every listing's stock from the marketplaces: the drift, repaired only when asked.
    routes.post(
      '/reconcile',
      requireScope('operator'),
      idempotencyGuard(options.idempotency, options.clock),
      async (c) => {
        const body = await parseJsonBody(c, ReconcileBody);
        return c.json(reconcileView(await inventory.reconcile({ repair: body.repair ?? false })));
      },
    );
  }
  routes.get('/', requireScope('read'), async (c) => {
    const { sku: skus } = parseQuery(c, InventoryListQuery);
    const levels = await store.getStock(skus);
    return c.json({ items: await Promise.all(levels.map((level) => inventoryLevel(store, level))) });
  });
  routes.get('/:sku', requireScope('read'), async (c) => {
    return c.json(await inventoryLevel(store, await currentLevel(c.req.param('sku'))));
  });
  routes.put(
    '/:sku',
    requireScope('operator'),
    idempotencyGuard(options.idempotency, options.clock),
    async (c) => {
      const sku = c.req.param('sku');
      const body = await parseJsonBody(c, InventorySetBody);
      // An unknown SKU is refused rather than started at this count: a typo must not create stock.
      await currentLevel(sku);
      // The idempotency key is also the ledger's movement key, so even with the idempotency store
      // lost or not shared, the store applies this count once.
      const movement: StockMovement = {
        key: `api:${c.get('idempotencyKey')}`,
        sku,
        set: body.quantity,
        reason: body.reason ?? 'api.set',
      };
      const [result] = options.inventory
        ? await options.inventory.adjust([movement])
        : await store.applyStockMovements([movement]);
      if (!result) throw new NotFoundError(`No stock for SKU ${sku}`);
      return c.json({ applied: result.applied, level: await inventoryLevel(store, result) });
    },
  );
  return routes;
}
