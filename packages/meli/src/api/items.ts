import { chunk, MlhError, NotFoundError, parseOrThrow, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import type { MeliPartialContent } from '../mappers';
import {
  MeliBulkEntry,
  MeliDescription,
  MeliItem,
  MeliItemSearch,
  MeliItemUpdate,
  MeliItemVariations,
  MeliMultigetEntry,
  MeliNewItem,
  MeliUserProductStock,
} from '../schemas';
import { assertMeliId, callMeli, elementError, type MeliContext, type MeliResponse } from '../transport';

/** Most ids one multiget (`/items/bulk`, `/items?ids=`) accepts. */
export const MELI_MULTIGET_MAX = 20;
/** Largest page of the seller item search. */
export const MELI_ITEM_SEARCH_MAX_LIMIT = 100;
/** Offset paging of the seller item search stops at this many results; `search_type=scan` goes beyond. */
export const MELI_ITEM_SEARCH_OFFSET_CAP = 1000;

/** Which multiget endpoint to use: `bulk` (`/items/bulk`, current) or `legacy` (`/items?ids=`, retiring 25/10/2026). */
export type MeliMultigetEndpoint = 'bulk' | 'legacy';

/**
 * Asked on every item read: without it, variations come back without their `attributes`, where
 * `SELLER_SKU` and `GTIN` live, and a variation's SKU would look absent.
 */
const WITH_VARIATION_ATTRIBUTES = { include_attributes: 'all' } as const;

/** `GET /items/{id}?include_attributes=all` (variations with their `SELLER_SKU`). */
export async function getItem(context: MeliContext, itemId: string): Promise<MeliResponse<MeliItem>> {
  assertMeliId(itemId, 'itemId');
  return callMeli(
    context,
    { method: 'GET', path: `/items/${itemId}`, query: WITH_VARIATION_ATTRIBUTES, operation: 'items.get' },
    MeliItem,
  );
}

/** Result of {@link getItems}: the items found (in the order asked) and the ids that do not exist. */
export interface MeliItemsResult<Item = MeliItem> {
  items: Item[];
  notFound: string[];
  /** Set when a chunk came back 206 (fields missing from its items). */
  partial: MeliPartialContent | undefined;
}

interface MultigetPage {
  entries: Array<{ id: string | undefined; status: number; body: unknown }>;
  partial: MeliPartialContent | undefined;
}

async function fetchMultiget(
  context: MeliContext,
  ids: readonly string[],
  endpoint: MeliMultigetEndpoint,
  fields: readonly string[] | undefined,
): Promise<MultigetPage> {
  const query: Record<string, string> = { ids: ids.join(','), ...WITH_VARIATION_ATTRIBUTES };
  if (endpoint === 'bulk') {
    // `/items/bulk` selects the item's fields under `body.`; a bare name would select the element's.
    if (fields) query.attributes = fields.map((field) => `body.${field}`).join(',');
    const page = await callMeli(
      context,
      { method: 'GET', path: '/items/bulk', query, operation: 'items.bulk' },
      z.array(MeliBulkEntry),
    );
    return {
      entries: page.data.map((entry) => ({
        id: entry.id ?? undefined,
        status: entry.status_code,
        body: entry.body,
      })),
      partial: page.partial,
    };
  }
  if (fields) query.attributes = fields.join(',');
  const page = await callMeli(
    context,
    { method: 'GET', path: '/items', query, operation: 'items.multiget' },
    z.array(MeliMultigetEntry),
  );
  return {
    entries: page.data.map((entry) => ({ id: undefined, status: entry.code, body: entry.body })),
    partial: page.partial,
  };
}

async function multigetItems<Item extends { id: string }>(
  context: MeliContext,
  itemIds: readonly string[],
  endpoint: MeliMultigetEndpoint,
  schema: z.ZodMiniType<Item>,
  fields?: readonly string[],
): Promise<MeliItemsResult<Item>> {
  itemIds.forEach((id, index) => {
    assertMeliId(id, `itemIds.${index}`);
  });
  const unique = [...new Set(itemIds)];
  const found = new Map<string, Item>();
  const notFound: string[] = [];
  const missing = new Set<string>();
  let partial = false;
  for (const ids of chunk(unique, MELI_MULTIGET_MAX)) {
    const page = await fetchMultiget(context, ids, endpoint, fields);
    if (page.partial) {
      partial = true;
      for (const name of page.partial.missing) missing.add(name);
    }
    page.entries.forEach((entry, index) => {
      const askedId = entry.id ?? ids[index];
      if (entry.status === 404) {
        if (askedId) notFound.push(askedId);
        return;
      }
      if (entry.status < 200 || entry.status >= 300)
        throw elementError(entry.status, entry.body, 'items.multiget');
      const item = parseOrThrow(schema, entry.body, 'multiget item', { marketplace: 'meli' });
      found.set(item.id, item);
    });
  }
  for (const id of unique) {
    if (!found.has(id) && !notFound.includes(id)) notFound.push(id);
  }
  return {
    items: unique.flatMap((id) => {
      const item = found.get(id);
      return item ? [item] : [];
    }),
    notFound,
    partial: partial ? { missing: [...missing] } : undefined,
  };
}

/**
 * Many items by id, in multigets of {@link MELI_MULTIGET_MAX}. Each element carries its own
 * status: a 404 element lands in `notFound`; any other failed element throws its mapped error.
 */
export function getItems(
  context: MeliContext,
  itemIds: readonly string[],
  options: { endpoint?: MeliMultigetEndpoint } = {},
): Promise<MeliItemsResult> {
  return multigetItems(context, itemIds, options.endpoint ?? 'bulk', MeliItem);
}

/**
 * Only the ids and variations (with their attributes) of many items, in multigets of
 * {@link MELI_MULTIGET_MAX}: what a stock write must know to send every variation id.
 */
export function getItemsVariations(
  context: MeliContext,
  itemIds: readonly string[],
  options: { endpoint?: MeliMultigetEndpoint } = {},
): Promise<MeliItemsResult<MeliItemVariations>> {
  return multigetItems(context, itemIds, options.endpoint ?? 'bulk', MeliItemVariations, [
    'id',
    'variations',
  ]);
}

/**
 * Creates a listing: `POST /items`. **Not idempotent**: the transport never repeats it after an
 * unknown outcome (timeout, 5xx). Check with a `seller_sku` search before trying again.
 */
export async function createItem(context: MeliContext, body: MeliNewItem): Promise<MeliResponse<MeliItem>> {
  const checked = parseOrThrow(MeliNewItem, body, 'new Mercado Livre item', { marketplace: 'meli' });
  return callMeli(
    context,
    { method: 'POST', path: '/items', body: { json: checked }, operation: 'items.create' },
    MeliItem,
  );
}

/**
 * Dry-runs a new listing: `POST /items/validate` answers 204 when valid; otherwise a
 * `ValidationError` whose issues are Mercado Livre's causes.
 */
export async function validateItem(context: MeliContext, body: MeliNewItem): Promise<void> {
  const checked = parseOrThrow(MeliNewItem, body, 'new Mercado Livre item', { marketplace: 'meli' });
  await callMeli(
    context,
    {
      method: 'POST',
      path: '/items/validate',
      body: { json: checked },
      // A dry run changes nothing, so it is safe to repeat.
      idempotent: true,
      operation: 'items.validate',
    },
    z.unknown(),
  );
}

/**
 * Changes fields of a listing: `PUT /items/{id}` with only the fields to change. Under the classic
 * model, a `variations` array **deletes the variations it leaves out**: send every variation id.
 * Mark `idempotent` when the body only sets absolute values (stock, price, status), so a failed
 * attempt may be repeated; never when it adds variations.
 */
export async function updateItem(
  context: MeliContext,
  itemId: string,
  body: MeliItemUpdate,
  options: { idempotent?: boolean; operation?: string } = {},
): Promise<MeliResponse<MeliItem>> {
  assertMeliId(itemId, 'itemId');
  const checked = parseOrThrow(MeliItemUpdate, body, 'Mercado Livre item update', { marketplace: 'meli' });
  return callMeli(
    context,
    {
      method: 'PUT',
      path: `/items/${itemId}`,
      body: { json: checked },
      idempotent: options.idempotent ?? false,
      operation: options.operation ?? 'items.update',
    },
    MeliItem,
  );
}

/** Sets a listing's status: `active`, `paused` or `closed` (final: a closed item cannot come back). */
export async function setItemStatus(
  context: MeliContext,
  itemId: string,
  status: 'active' | 'paused' | 'closed',
): Promise<MeliResponse<MeliItem>> {
  return updateItem(context, itemId, { status }, { idempotent: true, operation: 'items.status' });
}

/** Statuses a listing is closed from before it is deleted; from any other one, closing does not work. */
const CLOSE_BEFORE_DELETE = new Set(['active', 'paused']);

/**
 * Deletes a listing the way each status allows: an `active` or `paused` one is closed first, then
 * `{"deleted":"true"}`; a `closed`, `under_review` (including `forbidden`) or `payment_required`
 * one gets only the delete, since Mercado Livre refuses to close those.
 */
export async function deleteItem(context: MeliContext, itemId: string): Promise<MeliResponse<MeliItem>> {
  const current = await getItem(context, itemId);
  if (CLOSE_BEFORE_DELETE.has(current.data.status) && !current.data.sub_status.includes('forbidden')) {
    await setItemStatus(context, itemId, 'closed');
  }
  return updateItem(context, itemId, { deleted: 'true' }, { idempotent: true, operation: 'items.delete' });
}

/** `GET /items/{id}/description`. */
export async function getItemDescription(
  context: MeliContext,
  itemId: string,
): Promise<MeliResponse<MeliDescription>> {
  assertMeliId(itemId, 'itemId');
  return callMeli(
    context,
    { method: 'GET', path: `/items/${itemId}/description`, operation: 'items.description.get' },
    MeliDescription,
  );
}

/**
 * Writes a listing's plain-text description. Replaces it (`PUT …?api_version=2`, errors point at
 * character positions); when the item has none yet, creates it (`POST`).
 */
export async function setItemDescription(
  context: MeliContext,
  itemId: string,
  plainText: string,
): Promise<void> {
  assertMeliId(itemId, 'itemId');
  const body = { json: { plain_text: plainText } };
  try {
    await callMeli(
      context,
      {
        method: 'PUT',
        path: `/items/${itemId}/description`,
        query: { api_version: 2 },
        body,
        idempotent: true,
        operation: 'items.description.set',
      },
      z.unknown(),
    );
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await callMeli(
      context,
      { method: 'POST', path: `/items/${itemId}/description`, body, operation: 'items.description.create' },
      z.unknown(),
    );
  }
}

/** Filters of the seller item search (`GET /users/{id}/items/search`). */
export interface MeliItemSearchFilters {
  status?: string | undefined;
  sub_status?: string | undefined;
  /** Matches the `SELLER_SKU` attribute. */
  seller_sku?: string | undefined;
  /** Matches `seller_custom_field`. */
  sku?: string | undefined;
  listing_type_id?: string | undefined;
  logistic_type?: string | undefined;
  /** Sort; the parameter is `orders`, e.g. `last_updated_desc`. Ignored in scan mode. */
  orders?: string | undefined;
  [filter: string]: string | number | boolean | undefined;
}

/** One page of the seller item search (ids only). */
export async function searchSellerItems(
  context: MeliContext,
  sellerId: string,
  query: MeliItemSearchFilters & {
    offset?: number | undefined;
    limit?: number | undefined;
    search_type?: 'scan' | undefined;
    scroll_id?: string | undefined;
  },
): Promise<MeliResponse<MeliItemSearch>> {
  assertMeliId(sellerId, 'sellerId');
  return callMeli(
    context,
    { method: 'GET', path: `/users/${sellerId}/items/search`, query, operation: 'items.search' },
    MeliItemSearch,
  );
}

/** Options of {@link iterateSellerItemIds}. */
export interface MeliItemIdsOptions {
  /** Ids per call, at most {@link MELI_ITEM_SEARCH_MAX_LIMIT}. */
  pageSize?: number | undefined;
  /** Where offset paging stops. Default {@link MELI_ITEM_SEARCH_OFFSET_CAP}. */
  offsetCap?: number | undefined;
  /**
   * How many times a scan starts over when its `scroll_id` expired (it lives 5 minutes, so a
   * consumer slower than that between two pages loses it). Ids already yielded are not yielded
   * again. Default 3; then an `MlhError` with code `scroll_expired`.
   */
  scanRestarts?: number | undefined;
}

/**
 * Every item id of a seller matching `filters`, each once. The first page is read by offset,
 * which honours the `orders` sort and says how many match: up to the
 * {@link MELI_ITEM_SEARCH_OFFSET_CAP} it goes on by offset; beyond, it switches at once to
 * `search_type=scan` (which ignores the sort), so the switch re-reads one page, never the first
 * thousand ids. An expired `scroll_id` starts the scan over (see `scanRestarts`). Stops on an
 * empty page; throws (`pagination_stalled`) when a scroll id brings back the page it just gave.
 */
export async function* iterateSellerItemIds(
  context: MeliContext,
  sellerId: string,
  filters: MeliItemSearchFilters = {},
  options: MeliItemIdsOptions = {},
): AsyncGenerator<string> {
  const limit = Math.max(
    1,
    Math.min(options.pageSize ?? MELI_ITEM_SEARCH_MAX_LIMIT, MELI_ITEM_SEARCH_MAX_LIMIT),
  );
  const cap = options.offsetCap ?? MELI_ITEM_SEARCH_OFFSET_CAP;
  const yielded = new Set<string>();

  let offset = 0;
  for (;;) {
    const pageLimit = Math.min(limit, cap - offset);
    if (pageLimit <= 0) break;
    const page = await searchSellerItems(context, sellerId, { ...filters, offset, limit: pageLimit });
    const ids = page.data.results;
    for (const id of ids) {
      if (yielded.has(id)) continue;
      yielded.add(id);
      yield id;
    }
    offset += ids.length;
    const total = page.data.paging?.total;
    if (ids.length === 0 || (total != null && offset >= total)) return;
    if (total == null && ids.length < pageLimit) return;
    // More match than offset paging reaches: scan from here rather than page up to the cap first.
    if (total != null && total > cap) break;
  }
  yield* scanSellerItemIds(context, sellerId, filters, limit, yielded, options.scanRestarts ?? 3);
}

/** A refusal of a `scroll_id` the previous page gave: it expired (or was forgotten). */
function isLostScroll(error: unknown): boolean {
  return error instanceof ValidationError || error instanceof NotFoundError;
}

async function* scanSellerItemIds(
  context: MeliContext,
  sellerId: string,
  filters: MeliItemSearchFilters,
  limit: number,
  yielded: Set<string>,
  maxRestarts: number,
): AsyncGenerator<string> {
  const { orders: _sortIgnoredByScan, ...scanFilters } = filters;
  let scrollId: string | undefined;
  let previousPage = '';
  let restarts = 0;
  for (;;) {
    let page: MeliResponse<MeliItemSearch>;
    try {
      page = await searchSellerItems(context, sellerId, {
        ...scanFilters,
        search_type: 'scan',
        limit,
        scroll_id: scrollId,
      });
    } catch (error) {
      if (scrollId === undefined || !isLostScroll(error)) throw error;
      if (restarts >= maxRestarts) {
        throw new MlhError(
          `Mercado Livre item scan for seller ${sellerId} lost its scroll_id ${restarts + 1} times (it expires 5 minutes after each page): read the pages faster, or raise scanRestarts`,
          { marketplace: 'meli', code: 'scroll_expired', cause: error },
        );
      }
      restarts += 1;
      scrollId = undefined;
      previousPage = '';
      continue;
    }
    const ids = page.data.results;
    if (ids.length === 0) return;
    const signature = ids.join(',');
    // A scroll that hands back the page it just gave (whether or not its scroll_id changed) would
    // loop forever. Comparing pages, not ids, also tolerates a scroll_id that stays the same.
    if (signature === previousPage) {
      throw new MlhError(
        `Mercado Livre item scan for seller ${sellerId} did not advance: scroll_id ${scrollId ?? ''} returned the same page again`,
        { marketplace: 'meli', code: 'pagination_stalled' },
      );
    }
    previousPage = signature;
    for (const id of ids) {
      if (yielded.has(id)) continue;
      yielded.add(id);
      yield id;
    }
    const next = page.data.scroll_id ?? undefined;
    if (!next) return;
    scrollId = next;
  }
}

/** Stock of a User Product across its locations: `GET /user-products/{id}/stock`. */
export async function getUserProductStock(
  context: MeliContext,
  userProductId: string,
): Promise<MeliResponse<MeliUserProductStock>> {
  assertMeliId(userProductId, 'userProductId');
  return callMeli(
    context,
    { method: 'GET', path: `/user-products/${userProductId}/stock`, operation: 'userProducts.stock' },
    MeliUserProductStock,
  );
}
