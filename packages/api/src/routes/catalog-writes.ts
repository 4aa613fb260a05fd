import {
  ConflictError,
  type Logger,
  type MarketplaceClient,
  NotFoundError,
  normalizeProduct,
  type Product,
  ValidationError,
} from '@mlh/core';
import {
  type ActivityStore,
  ProductSync,
  type ProductSyncSummary,
  recordSyncActivity,
  type SyncStore,
} from '@mlh/sync';
import { Hono } from 'hono';
import * as zod from 'zod';
import type { ApiContext, ApiEnv } from '../context';
import { type ApiEvent, publishQuietly, syncEventSource } from '../events';
import type { IdempotencyStore } from '../idempotency';
import type { PublishOptions } from '../options';
import { PublishBody, type PublishResultView } from '../schemas';
import { idempotencyGuard, parseJsonBody, requireScope } from '../security';
import { withListings } from './products';

/** How long a product create holds its SKU against a concurrent create of the same SKU. */
const CREATE_CLAIM_TTL_MS = 60_000;

/** The body of a product write as a normalized core `Product`, or a `ValidationError` naming each bad field. */
async function productBody(c: ApiContext): Promise<Product> {
  // JSON and media type are checked by the shared parser; the product by core's own rules.
  return normalizeProduct(await parseJsonBody(c, zod.unknown()));
}

/** A catalog product with its listings, as `GET /products/{sku}` answers it. */
async function catalogProduct(store: SyncStore, activity: ActivityStore | undefined, sku: string) {
  const [product] = await store.getProducts([sku]);
  if (!product) throw new NotFoundError(`No product with SKU ${sku} in the catalog`);
  const [item] = await withListings(store, activity, [product]);
  return item!;
}

/**
 * `POST /products` (create; 409 when the SKU exists), `PUT /products/{sku}` (replace) and
 * `POST /products/{sku}/publish` (run `ProductSync` for that SKU on the named accounts).
 */
export function catalogWriteRoutes(options: {
  syncStore: SyncStore;
  activity?: ActivityStore | undefined;
  logger?: Logger | undefined;
  /** Where a publish's sync events (`sync.started`, `item.failed`, ...) go as live events. */
  publish?: ((event: ApiEvent) => void | Promise<void>) | undefined;
  clients?: readonly MarketplaceClient[] | undefined;
  productSync?: PublishOptions | undefined;
  idempotency: IdempotencyStore;
  clock: () => number;
}): Hono<ApiEnv> {
  const store = options.syncStore;
  const routes = new Hono<ApiEnv>();
  const idempotent = idempotencyGuard(options.idempotency, options.clock);

  routes.post('/', requireScope('operator'), idempotent, async (c) => {
    const product = await productBody(c);
    // Two creates of one SKU with different idempotency keys: the store has no insert-if-absent,
    // so a claim in the shared store makes them take turns, and the second sees the first's product.
    const claim = { key: `api:product-create:${product.sku}`, ttlMs: CREATE_CLAIM_TTL_MS };
    if (!(await store.claimEvent({ ...claim, now: options.clock() }))) {
      throw new ConflictError(`SKU ${product.sku} is being created by another request`, {
        code: 'product_create_in_progress',
        retryable: true,
      });
    }
    try {
      const [existing] = await store.getProducts([product.sku]);
      if (existing) {
        throw new ConflictError(
          `SKU ${product.sku} is in the catalog already: change it with PUT /products/${product.sku}`,
          { code: 'product_exists', retryable: false },
        );
      }
      await store.upsertProducts([product]);
    } finally {
      await store.releaseEvent(claim.key);
    }
    return c.json(await catalogProduct(store, options.activity, product.sku), 201);
  });

  routes.put('/:sku', requireScope('operator'), idempotent, async (c) => {
    const sku = c.req.param('sku');
    const product = await productBody(c);
    if (product.sku !== sku) {
      throw new ValidationError('Invalid body', [
        { path: 'sku', message: `must be the SKU of the path (${sku})`, code: 'sku_mismatch' },
      ]);
    }
    const [existing] = await store.getProducts([sku]);
    if (!existing)
      throw new NotFoundError(`No product with SKU ${sku} in the catalog: create it with POST /products`);
    await store.upsertProducts([product]);
    return c.json(await catalogProduct(store, options.activity, sku));
  });

  routes.post('/:sku/publish', requireScope('operator'), idempotent, async (c) => {
    const sku = c.req.param('sku');
    const body = await parseJsonBody(c, PublishBody);
    const [product] = await store.getProducts([sku]);
    if (!product) throw new NotFoundError(`No product with SKU ${sku} in the catalog`);
    const clients = body.targets.map((target, index) => {
      const client = options.clients?.find(
        (candidate) =>
          candidate.marketplace === target.marketplace && candidate.accountId === target.accountId,
      );
      if (!client) {
        throw new ValidationError('Invalid body', [
          {
            path: `targets.${index}`,
            message: `no client for account ${target.accountId} on ${target.marketplace}`,
            code: 'no_client',
          },
        ]);
      }
      return client;
    });
    // The listing intents and claims of ProductSync make a retried or concurrent publish create
    // each listing once: a second run finds the listing (or its create in flight) in the store.
    const sync = new ProductSync({ clock: options.clock, ...options.productSync, store, clients });
    // With an activity store the run is in the history like a worker's: its failures are listed,
    // alerted and shown as the listings' last errors; a success clears them.
    const recorder =
      options.activity &&
      recordSyncActivity(sync, options.activity, { clock: options.clock, logger: options.logger });
    const publish = options.publish;
    const stopEvents =
      publish && syncEventSource(sync).subscribe((event) => void publishQuietly(publish, event));
    let summary: ProductSyncSummary;
    try {
      summary = await sync.run({ skus: [sku] });
    } finally {
      stopEvents?.();
      await recorder?.idle();
      recorder?.stop();
    }
    const results: PublishResultView['results'] = [];
    for (const client of clients) {
      const marketplace = String(client.marketplace);
      const listing = await store.getListing({
        marketplace: client.marketplace,
        accountId: client.accountId,
        sku,
      });
      const failure = summary.failed.find(
        (candidate) =>
          candidate.marketplace === client.marketplace && candidate.accountId === client.accountId,
      );
      if (listing?.state === 'active' && listing.productExternalId !== undefined && !failure) {
        results.push({
          marketplace,
          accountId: client.accountId,
          status: 'published',
          productExternalId: listing.productExternalId,
        });
      } else {
        results.push({
          marketplace,
          accountId: client.accountId,
          status: 'failed',
          ...(listing?.productExternalId === undefined
            ? {}
            : { productExternalId: listing.productExternalId }),
          error:
            failure?.reason ??
            (listing?.state === 'creating'
              ? 'The listing is being created by another run; publish again to see its outcome'
              : 'The product was not listed'),
          stage: failure?.stage ?? (listing?.state === 'creating' ? 'create' : 'publish'),
          retryable: failure?.retryable ?? true,
        });
      }
    }
    return c.json({ results });
  });
  return routes;
}
