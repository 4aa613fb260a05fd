import {
  chunk,
  type FieldIssue,
  isMlhError,
  MlhError,
  paginate,
  parseOrThrow,
  ValidationError,
} from '@mlh/core';
import * as z from 'zod/mini';
import { jsonInteger } from '../json';
import {
  ShopeeItemListResponse as ItemListSchema,
  ShopeeModelBatchResponse as ModelBatchSchema,
  ShopeeModelListResponse as ModelListSchema,
  ShopeeAddItemResponse,
  ShopeeInitTierVariationResponse,
  type ShopeeItem,
  ShopeeItemBaseInfoResponse,
  type ShopeeItemListResponse,
  ShopeeItemWriteResponse,
  type ShopeeModelBatchResponse,
  type ShopeeModelListResponse,
  type ShopeeUnlistResponse,
  ShopeeUnlistResponse as UnlistSchema,
} from '../schemas';
import { callShopee, encodeList, SHOPEE, SHOPEE_LIMITS, type ShopeeScope } from '../transport';
import {
  PriceInput,
  type ShopeeAddItemBody,
  ShopeeAddItemSchema,
  type ShopeeInitTierVariationBody,
  ShopeeInitTierVariationSchema,
  type ShopeeUpdateItemBody,
  ShopeeUpdateItemSchema,
} from './inputs';

/** Thin typed calls of the `product` module (Shop APIs). */

function invalid(what: string, issues: FieldIssue[]): ValidationError {
  return new ValidationError(`Invalid ${what}`, issues, { marketplace: SHOPEE });
}

function checkId(id: string, path: string, issues: FieldIssue[]): void {
  if (!/^\d+$/.test(id)) issues.push({ path, message: 'must be a numeric id' });
}

/** Options of {@link getItemList}. */
export interface GetItemListOptions {
  /** Start at 0; the next page starts at the previous `next_offset`. */
  offset?: number | undefined;
  /** 1–100 (default 100). */
  pageSize?: number | undefined;
  /** One or more `item_status` values (the key is repeated). */
  itemStatus: readonly string[];
  /** Unix seconds. */
  updateTimeFrom?: number | undefined;
  /** Unix seconds; must be later than `updateTimeFrom`. */
  updateTimeTo?: number | undefined;
}

/** `GET /api/v2/product/get_item_list`: one page of item ids. */
export async function getItemList(
  scope: ShopeeScope,
  options: GetItemListOptions,
): Promise<ShopeeItemListResponse> {
  const pageSize = options.pageSize ?? SHOPEE_LIMITS.itemListPageSize;
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SHOPEE_LIMITS.itemListPageSize) {
    issues.push({ path: 'pageSize', message: `must be 1..${SHOPEE_LIMITS.itemListPageSize}` });
  }
  if (options.itemStatus.length === 0)
    issues.push({ path: 'itemStatus', message: 'at least one status is required' });
  if (
    options.updateTimeFrom !== undefined &&
    options.updateTimeTo !== undefined &&
    options.updateTimeTo <= options.updateTimeFrom
  ) {
    issues.push({ path: 'updateTimeTo', message: 'must be later than updateTimeFrom' });
  }
  if (issues.length > 0) throw invalid('get_item_list options', issues);
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/product/get_item_list',
      query: {
        offset: options.offset ?? 0,
        page_size: pageSize,
        item_status: [...options.itemStatus],
        update_time_from: options.updateTimeFrom,
        update_time_to: options.updateTimeTo,
      },
      accountId: scope.accountId,
      operation: 'product.get_item_list',
      signal: scope.signal,
    },
    ItemListSchema,
  );
  return response;
}

/**
 * Every page of `get_item_list`, following `next_offset` until `has_next_page` is false. Stops
 * with an error if the API hands back an offset it already gave (a paging loop).
 */
export async function* iterateItemList(
  scope: ShopeeScope,
  options: Omit<GetItemListOptions, 'offset'>,
): AsyncGenerator<NonNullable<ShopeeItemListResponse['item']>> {
  const pages = paginate<ShopeeItemListResponse, number>({
    first: 0,
    fetchPage: (offset = 0) => getItemList(scope, { ...options, offset }),
    nextCursor: (page, offset = 0) => {
      const items = page.item ?? [];
      if (!page.has_next_page || items.length === 0) return undefined;
      return page.next_offset ?? offset + items.length;
    },
    repeated: (offset) =>
      new MlhError(`Shopee get_item_list returned offset ${offset} again; stopping to avoid a loop`, {
        marketplace: SHOPEE,
        code: 'repeated_cursor',
      }),
  });
  for await (const page of pages) {
    const items = page.item ?? [];
    if (items.length > 0) yield items;
  }
}

/** Extra flags of `get_item_base_info`. */
export interface ItemBaseInfoOptions {
  needTaxInfo?: boolean | undefined;
  needComplaintPolicy?: boolean | undefined;
}

/**
 * `GET /api/v2/product/get_item_base_info` for any number of items, in calls of at most 50 ids.
 * Unknown ids are simply absent from the result.
 */
export async function getItemBaseInfo(
  scope: ShopeeScope,
  itemIds: readonly string[],
  options: ItemBaseInfoOptions = {},
): Promise<ShopeeItem[]> {
  const issues: FieldIssue[] = [];
  itemIds.forEach((id, index) => {
    checkId(id, `itemIds.${index}`, issues);
  });
  if (issues.length > 0) throw invalid('get_item_base_info ids', issues);
  const items: ShopeeItem[] = [];
  for (const ids of chunk([...new Set(itemIds)], SHOPEE_LIMITS.itemBaseInfoIds)) {
    const { response } = await callShopee(
      scope.transport,
      {
        method: 'GET',
        path: '/api/v2/product/get_item_base_info',
        query: {
          item_id_list: encodeList(ids, scope.listEncoding),
          need_tax_info: options.needTaxInfo,
          need_complaint_policy: options.needComplaintPolicy,
        },
        accountId: scope.accountId,
        operation: 'product.get_item_base_info',
        signal: scope.signal,
      },
      ShopeeItemBaseInfoResponse,
    );
    items.push(...(response.item_list ?? []));
  }
  return items;
}

/** `GET /api/v2/product/get_model_list`: the tiers and models (variants) of one item. */
export async function getModelList(scope: ShopeeScope, itemId: string): Promise<ShopeeModelListResponse> {
  const issues: FieldIssue[] = [];
  checkId(itemId, 'itemId', issues);
  if (issues.length > 0) throw invalid('get_model_list item id', issues);
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/product/get_model_list',
      query: { item_id: itemId },
      accountId: scope.accountId,
      operation: 'product.get_model_list',
      signal: scope.signal,
    },
    ModelListSchema,
  );
  return response;
}

/** `POST /api/v2/product/add_item`. Validated before sending; never retried (its outcome may be unknown). */
export async function addItem(
  scope: ShopeeScope,
  body: ShopeeAddItemBody,
): Promise<z.infer<typeof ShopeeAddItemResponse>> {
  const payload = parseOrThrow(ShopeeAddItemSchema, body, 'Shopee add_item body', { marketplace: SHOPEE });
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/product/add_item',
      body: payload,
      accountId: scope.accountId,
      operation: 'product.add_item',
      signal: scope.signal,
    },
    ShopeeAddItemResponse,
  );
  return response;
}

/** `POST /api/v2/product/update_item`: only the fields sent change (price and stock have their own calls). */
export async function updateItem(
  scope: ShopeeScope,
  body: ShopeeUpdateItemBody,
): Promise<{ item_id: string }> {
  const payload = parseOrThrow(ShopeeUpdateItemSchema, body, 'Shopee update_item body', {
    marketplace: SHOPEE,
  });
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/product/update_item',
      body: payload,
      accountId: scope.accountId,
      // Sending the same content twice leaves the item as the first call did.
      idempotent: true,
      operation: 'product.update_item',
      signal: scope.signal,
    },
    ShopeeItemWriteResponse,
  );
  return response;
}

/** `POST /api/v2/product/init_tier_variation`: turns a new item into one with models. */
export async function initTierVariation(
  scope: ShopeeScope,
  body: ShopeeInitTierVariationBody,
): Promise<z.infer<typeof ShopeeInitTierVariationResponse>> {
  const payload = parseOrThrow(ShopeeInitTierVariationSchema, body, 'Shopee init_tier_variation body', {
    marketplace: SHOPEE,
  });
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/product/init_tier_variation',
      body: payload,
      accountId: scope.accountId,
      operation: 'product.init_tier_variation',
      signal: scope.signal,
    },
    ShopeeInitTierVariationResponse,
  );
  return response;
}

/** One entry of {@link updatePrice}. */
export interface ShopeePriceEntry {
  /** The model; omit (or `"0"`) for an item without models. */
  modelId?: string | undefined;
  /** Decimal string (or number) in the shop's currency. */
  originalPrice: string | number;
}

/** One entry of {@link updateStock}. */
export interface ShopeeStockEntry {
  modelId?: string | undefined;
  sellerStock: readonly { locationId?: string | undefined; stock: number }[];
}

const StockEntries = /* @__PURE__ */ (() =>
  z.array(
    z.object({
      modelId: z.optional(z.string().check(z.regex(/^\d+$/, 'must be a numeric id'))),
      sellerStock: z
        .array(
          z.object({
            locationId: z.optional(z.string().check(z.minLength(1))),
            stock: z.number().check(z.int(), z.nonnegative()),
          }),
        )
        .check(z.minLength(1)),
    }),
  ))();

const PriceEntries = /* @__PURE__ */ (() =>
  z.array(
    z.object({
      modelId: z.optional(z.string().check(z.regex(/^\d+$/, 'must be a numeric id'))),
      originalPrice: PriceInput,
    }),
  ))();

function mergeModelBatches(responses: ShopeeModelBatchResponse[]): ShopeeModelBatchResponse {
  return {
    failure_list: responses.flatMap((response) => response.failure_list ?? []),
    success_list: responses.flatMap((response) => response.success_list ?? []),
  };
}

/**
 * `updatePrice` / `updateStock` of more than 50 models whose call failed after earlier calls were
 * applied. `applied` merges the earlier calls' `success_list` / `failure_list`; `notApplied` holds
 * the entries (as given) of the failed call and every later one, which were not confirmed (prices
 * and stock are absolute, so sending them again is safe). `cause` is the failed call's error, and
 * `retryable`, `status` and `requestId` are its. A failure of the first call throws its own error.
 *
 * @example
 * try {
 *   await client.products.updateStock(itemId, entries);
 * } catch (error) {
 *   if (error instanceof ShopeePartialUpdateError) await retryLater(itemId, error.notApplied);
 *   else throw error;
 * }
 */
export class ShopeePartialUpdateError<E = unknown> extends MlhError {
  readonly applied: ShopeeModelBatchResponse;
  readonly notApplied: readonly E[];

  constructor(
    operation: string,
    applied: ShopeeModelBatchResponse,
    notApplied: readonly E[],
    cause: unknown,
  ) {
    const sent = (applied.success_list?.length ?? 0) + (applied.failure_list?.length ?? 0);
    super(
      `Shopee ${operation}: a call failed after ${sent} models were answered; ${notApplied.length} entries were not applied`,
      {
        marketplace: SHOPEE,
        code: 'partial_update',
        cause,
        ...(isMlhError(cause)
          ? { retryable: cause.retryable, status: cause.status, requestId: cause.requestId }
          : {}),
      },
    );
    this.applied = applied;
    this.notApplied = notApplied;
  }
}

/**
 * Posts one item's per-model write (`update_price`, `update_stock`) in calls of at most 50
 * models, and merges their `failure_list` / `success_list`. A call that fails after earlier ones
 * were applied throws a {@link ShopeePartialUpdateError} naming the entries not applied.
 */
async function postModelBatches<E, G>(
  scope: ShopeeScope,
  call: { path: string; operation: string; listKey: 'price_list' | 'stock_list' },
  itemId: string,
  entries: readonly E[],
  toModelEntry: (entry: E) => Record<string, unknown>,
  given: readonly G[],
): Promise<ShopeeModelBatchResponse> {
  const responses: ShopeeModelBatchResponse[] = [];
  for (const part of chunk(entries, SHOPEE_LIMITS.modelBatchEntries)) {
    try {
      const { response } = await callShopee(
        scope.transport,
        {
          method: 'POST',
          path: call.path,
          body: { item_id: jsonInteger(itemId), [call.listKey]: part.map(toModelEntry) },
          accountId: scope.accountId,
          idempotent: true,
          operation: call.operation,
          signal: scope.signal,
        },
        ModelBatchSchema,
      );
      responses.push(response);
    } catch (error) {
      if (responses.length === 0) throw error;
      const sent = responses.length * SHOPEE_LIMITS.modelBatchEntries;
      throw new ShopeePartialUpdateError(
        call.operation,
        mergeModelBatches(responses),
        given.slice(sent),
        error,
      );
    }
  }
  return mergeModelBatches(responses);
}

/**
 * `POST /api/v2/product/update_price` for one item, in calls of at most 50 models. Read
 * `failure_list`: a response with `error: ""` can still refuse some models. A call failing after
 * earlier ones were applied throws a {@link ShopeePartialUpdateError}.
 */
export async function updatePrice(
  scope: ShopeeScope,
  itemId: string,
  prices: readonly ShopeePriceEntry[],
): Promise<ShopeeModelBatchResponse> {
  const issues: FieldIssue[] = [];
  checkId(itemId, 'itemId', issues);
  if (prices.length === 0) issues.push({ path: 'prices', message: 'at least one entry is required' });
  if (issues.length > 0) throw invalid('update_price input', issues);
  const entries = parseOrThrow(PriceEntries, prices, 'update_price entries', {
    marketplace: SHOPEE,
    path: 'prices',
  });
  return postModelBatches(
    scope,
    { path: '/api/v2/product/update_price', operation: 'product.update_price', listKey: 'price_list' },
    itemId,
    entries,
    (entry) => ({ model_id: jsonInteger(entry.modelId ?? '0'), original_price: entry.originalPrice }),
    prices,
  );
}

/**
 * `POST /api/v2/product/update_stock` for one item (seller stock only), in calls of at most 50
 * models. Read `failure_list`: a response with `error: ""` can still refuse some models. A call
 * failing after earlier ones were applied throws a {@link ShopeePartialUpdateError}.
 */
export async function updateStock(
  scope: ShopeeScope,
  itemId: string,
  stock: readonly ShopeeStockEntry[],
): Promise<ShopeeModelBatchResponse> {
  const issues: FieldIssue[] = [];
  checkId(itemId, 'itemId', issues);
  if (stock.length === 0) issues.push({ path: 'stock', message: 'at least one entry is required' });
  if (issues.length > 0) throw invalid('update_stock input', issues);
  const entries = parseOrThrow(StockEntries, stock, 'update_stock entries', {
    marketplace: SHOPEE,
    path: 'stock',
  });
  return postModelBatches(
    scope,
    { path: '/api/v2/product/update_stock', operation: 'product.update_stock', listKey: 'stock_list' },
    itemId,
    entries,
    (entry) => ({
      model_id: jsonInteger(entry.modelId ?? '0'),
      seller_stock: entry.sellerStock.map((s) => ({
        ...(s.locationId ? { location_id: s.locationId } : {}),
        stock: s.stock,
      })),
    }),
    stock,
  );
}

/**
 * `POST /api/v2/product/unlist_item` (`unlist: true`) or relist (`false`), in calls of at most 50
 * items. Reviewing, banned and promotion-locked items land in `failure_list`.
 */
export async function unlistItems(
  scope: ShopeeScope,
  items: readonly { itemId: string; unlist: boolean }[],
): Promise<ShopeeUnlistResponse> {
  const issues: FieldIssue[] = [];
  items.forEach((item, index) => {
    checkId(item.itemId, `items.${index}.itemId`, issues);
  });
  if (items.length === 0) issues.push({ path: 'items', message: 'at least one item is required' });
  if (issues.length > 0) throw invalid('unlist_item input', issues);
  const merged = {
    failure_list: [] as NonNullable<ShopeeUnlistResponse['failure_list']>,
    success_list: [] as NonNullable<ShopeeUnlistResponse['success_list']>,
  };
  for (const part of chunk(items, SHOPEE_LIMITS.unlistItems)) {
    const { response } = await callShopee(
      scope.transport,
      {
        method: 'POST',
        path: '/api/v2/product/unlist_item',
        body: { item_list: part.map((item) => ({ item_id: jsonInteger(item.itemId), unlist: item.unlist })) },
        accountId: scope.accountId,
        idempotent: true,
        operation: 'product.unlist_item',
        signal: scope.signal,
      },
      UnlistSchema,
    );
    merged.failure_list.push(...(response.failure_list ?? []));
    merged.success_list.push(...(response.success_list ?? []));
  }
  return merged;
}

/** `POST /api/v2/product/delete_item`: status becomes `SELLER_DELETE`; irreversible. */
export async function deleteItem(scope: ShopeeScope, itemId: string): Promise<void> {
  const issues: FieldIssue[] = [];
  checkId(itemId, 'itemId', issues);
  if (issues.length > 0) throw invalid('delete_item item id', issues);
  await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/product/delete_item',
      body: { item_id: jsonInteger(itemId) },
      accountId: scope.accountId,
      operation: 'product.delete_item',
      signal: scope.signal,
    },
    z.unknown(),
  );
}
