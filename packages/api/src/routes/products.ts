import { NotFoundError, type Product } from '@mlh/core';
import type { ActivityStore, Listing, ListingError, ListingKey, SyncStore } from '@mlh/sync';
import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import { decodeCursor, encodeCursor, ProductCursor } from '../cursor';
import { type ListingSummaryView, ProductListQuery } from '../schemas';
import { parseQuery, requireScope } from '../security';
import { compareText } from './accounts';

const DEFAULT_PAGE_SIZE = 50;

/** What the API shows of a listing: where it is and its state (and last error), without the sync bookkeeping. */
export function listingSummary(listing: Listing, lastError?: ListingError): ListingSummaryView {
  return {
    marketplace: String(listing.marketplace),
    accountId: listing.accountId,
    state: listing.state,
    ...(listing.status === undefined ? {} : { status: listing.status }),
    ...(listing.productExternalId === undefined ? {} : { productExternalId: listing.productExternalId }),
    updatedAt: new Date(listing.updatedAt).toISOString(),
    ...(lastError === undefined
      ? {}
      : {
          lastError: {
            stage: lastError.stage,
            reason: lastError.reason,
            at: new Date(lastError.at).toISOString(),
          },
        }),
  };
}

const listingKeyId = (key: ListingKey) => JSON.stringify([key.marketplace, key.accountId, key.sku]);

/** The listings of one catalog product (not those of another product with a variant of that SKU). */
async function listingsOf(store: SyncStore, product: Product): Promise<Listing[]> {
  const listings = await store.findListingsBySku(product.sku);
  return listings
    .filter((listing) => listing.sku === product.sku)
    .sort(
      (a, b) =>
        compareText(String(a.marketplace), String(b.marketplace)) || compareText(a.accountId, b.accountId),
    );
}

/** The products with their listings' summaries; one activity store call for every listing's last error. */
export async function withListings(
  store: SyncStore,
  activity: ActivityStore | undefined,
  products: readonly Product[],
): Promise<{ product: Product; listings: ListingSummaryView[] }[]> {
  const listed = await Promise.all(
    products.map(async (product) => ({ product, listings: await listingsOf(store, product) })),
  );
  const errors = new Map(
    activity === undefined
      ? []
      : (await activity.getListingErrors(listed.flatMap((item) => item.listings))).map(
          (error) => [listingKeyId(error), error] as const,
        ),
  );
  return listed.map(({ product, listings }) => ({
    product,
    listings: listings.map((listing) => listingSummary(listing, errors.get(listingKeyId(listing)))),
  }));
}

/** `GET /products` (catalog order by SKU, cursor paging) and `GET /products/{sku}`. */
export function productRoutes(options: {
  syncStore: SyncStore;
  activity?: ActivityStore | undefined;
}): Hono<ApiEnv> {
  const store = options.syncStore;
  const routes = new Hono<ApiEnv>();
  routes.get('/', requireScope('read'), async (c) => {
    const query = parseQuery(c, ProductListQuery);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ProductCursor).after;
    const page = await store.listProducts({ after, limit: query.limit ?? DEFAULT_PAGE_SIZE });
    const items = await withListings(store, options.activity, page.items);
    const last = page.items.at(-1);
    return c.json({
      items,
      ...(page.next === undefined || last === undefined
        ? {}
        : { nextCursor: encodeCursor({ after: last.sku }) }),
    });
  });
  routes.get('/:sku', requireScope('read'), async (c) => {
    const sku = c.req.param('sku');
    const [product] = await store.getProducts([sku]);
    if (!product) throw new NotFoundError(`No product with SKU ${sku} in the catalog`);
    const [item] = await withListings(store, options.activity, [product]);
    return c.json(item);
  });
  return routes;
}
