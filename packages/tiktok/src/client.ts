import {
  asArray,
  type BatchFailure,
  type BatchResult,
  type CreateProductOptions,
  chunk,
  createTokenManager,
  type FieldIssue,
  type FulfillmentInput,
  FulfillmentInputSchema,
  groupBy,
  instantToEpochMs,
  isMlhError,
  type ListOrdersOptions,
  type ListProductsOptions,
  type MarketplaceCapabilities,
  type MarketplaceClient,
  MlhError,
  mapLimit,
  NotFoundError,
  normalizeProduct,
  type Order,
  type OrderStatus,
  PriceUpdateInput,
  type Product,
  type ProductStatus,
  paginate,
  parseOrThrow,
  type Shipment,
  StockUpdateInput,
  type StoredTokenSet,
  type TokenManager,
  type TokenStore,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  ValidationError,
  type WebhookSource,
} from '@mlh/core';
import * as z from 'zod';
import { getAuthorizedShops } from './api/authorization';
import * as fulfillmentApi from './api/fulfillment';
import * as logisticsApi from './api/logistics';
import * as ordersApi from './api/orders';
import * as productsApi from './api/products';
import {
  getTikTokAccessToken,
  refreshTikTokTokens,
  type TikTokGrant,
  type TikTokMarket,
  tiktokAuthorizationUrl,
  tiktokTokenExtra,
  tiktokTokenSet,
} from './auth';
import {
  mapTikTokProductStatus,
  packageIdOf,
  TIKTOK,
  TIKTOK_ORDER_STATUSES_BY_CORE,
  TIKTOK_PRODUCT_STATUSES_BY_CORE,
  toCoreOrder,
  toCoreProduct,
  toCoreShipment,
  toTikTokProductInput,
  toUnixSeconds,
} from './mappers';
import { type TikTokAuthorizedShop, type TikTokItemError, TikTokProductInput } from './schemas';
import {
  createTikTokAuthTransport,
  createTikTokTransport,
  type TikTokCallContext,
  type TikTokPassThroughOptions,
} from './transport';
import { tiktokWebhookSource } from './webhooks';

// ---------------------------------------------------------------- typed API bound to one shop

/** An API function with its call context bound: the same call without the first argument. */
export type Bound<F> = F extends (context: TikTokCallContext, ...args: infer A) => infer R
  ? (...args: A) => R
  : never;
/** The functions of an API module that take a call context, with the context bound. */
export type BoundApi<M> = {
  [K in keyof M as M[K] extends (context: TikTokCallContext, ...args: never[]) => unknown ? K : never]: Bound<
    M[K]
  >;
};

function bindApi<M extends Record<string, unknown>>(api: M, context: TikTokCallContext): BoundApi<M> {
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(api)) {
    if (typeof value === 'function' && value.length >= 1) {
      bound[name] = (...args: unknown[]) => (value as (...all: unknown[]) => unknown)(context, ...args);
    }
  }
  return bound as BoundApi<M>;
}

/** The raw product calls of `api/products`, bound to the client's shop. */
export type TikTokProductsApi = BoundApi<typeof productsApi>;
/** The raw order calls of `api/orders`, bound to the client's shop. */
export type TikTokOrdersApi = BoundApi<typeof ordersApi>;
/** The raw fulfillment calls of `api/fulfillment`, bound to the client's shop. */
export type TikTokFulfillmentApi = BoundApi<typeof fulfillmentApi>;
/** The raw logistics calls of `api/logistics`, bound to the client's shop. */
export type TikTokLogisticsApi = BoundApi<typeof logisticsApi>;

/** `listProducts` options, plus whether to fetch each product's detail (search gives summaries). */
export interface TikTokListProductsOptions extends ListProductsOptions {
  /** Fetch every product's detail (description, images, category): one more call per product. Default false. */
  detail?: boolean;
}

/**
 * A TikTok shop through the core `MarketplaceClient` interface, plus TikTok's own calls
 * (`products`, `orders`, `fulfillment`, `logistics`) bound to the same shop.
 */
export interface TikTokShopClient extends MarketplaceClient {
  readonly marketplace: 'tiktok';
  /** Search, detail, create, edit, stock, prices, activate / deactivate / delete, image upload. */
  readonly products: TikTokProductsApi;
  /** Search (page tokens), detail in batches of 50, seller cancellation. */
  readonly orders: TikTokOrdersApi;
  /** Packages: search, detail, ship, batch ship, mark as shipped, tracking, labels, handover slots. */
  readonly fulfillment: TikTokFulfillmentApi;
  /** Warehouses, delivery options, shipping providers. */
  readonly logistics: TikTokLogisticsApi;
  listProducts(options?: TikTokListProductsOptions): AsyncIterable<Product>;
  cancelOrder(orderExternalId: string, reason?: string): Promise<void>;
}

/** Options of {@link createTikTokShopClient}. */
export interface TikTokShopClientOptions {
  /** The TikTok transport (`createTikTokTransport`), shared by every shop. */
  transport: Transport;
  /** The shop id (what webhooks call `shop_id`). */
  accountId: string;
  /** The shop's cipher, when known; otherwise the transport's resolver finds it. */
  shopCipher?: string | undefined;
  /** Where stock is written; default the shop's default sales warehouse (asked once). */
  warehouseId?: string | undefined;
  /** Currency assumed only where TikTok omits one. Default `USD`. */
  currency?: string | undefined;
  /** Downloads product images before they are uploaded to TikTok. Default global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** `cancel_reason` sent by `cancelOrder` when none is given. */
  defaultCancelReason?: string | undefined;
  /** How many product details are fetched at once by `getProducts` / `listProducts({ detail })`. Default 4. */
  concurrency?: number | undefined;
}

/** The capabilities of TikTok Shop, for generic code. */
export const TIKTOK_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  marketplace: TIKTOK,
  orderWebhooks: true,
  // Webhooks can be lost (TikTok says so): poll order search by update time as the source of truth.
  orderPollIntervalMs: 10 * 60_000,
  missedEventRecovery: false,
  variants: true,
  maxBatch: {
    getProducts: 1,
    getOrders: ordersApi.TIKTOK_ORDER_DETAIL_BATCH_MAX,
    updateInventory: 100,
    updatePrices: 100,
  },
  cancelOrder: true,
  sellerFulfillment: true,
  productStatuses: Object.freeze(['active', 'paused']) as readonly ProductStatus[],
});

// ---------------------------------------------------------------- helpers

/**
 * Walks page tokens until TikTok returns none, failing if a token comes back that was already
 * used (a server loop would otherwise never end).
 */
export function tiktokPages<P extends { nextPageToken: string | undefined }>(
  fetchPage: (pageToken: string | undefined) => Promise<P>,
  what: string,
  signal?: AbortSignal,
): AsyncGenerator<P> {
  return paginate<P, string>({
    fetchPage,
    nextCursor: (page) => page.nextPageToken || undefined,
    repeated: () =>
      new MlhError(
        `TikTok Shop ${what}: the API returned a page token that was already used; stopping to avoid an endless loop`,
        { marketplace: TIKTOK, code: 'repeated_page_token' },
      ),
    signal,
  });
}

/** A batch failure of one TikTok call, listing its per-item errors. */
export class TikTokBatchError extends MlhError {
  /** The per-item errors TikTok reported in `data.errors[]`. */
  readonly errors: readonly TikTokItemError[];
  constructor(
    message: string,
    errors: readonly TikTokItemError[],
    options: ConstructorParameters<typeof MlhError>[1],
  ) {
    const listed = errors
      .slice(0, 5)
      .map((e) => `${e.code ?? '?'} ${e.message ?? ''}`.trim())
      .join('; ');
    super(`${message}: ${listed}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}`, options);
    this.errors = errors;
  }
}

/** TikTok takes no tracking URL (it is never sent), so any string is let through unchecked. */
const TikTokFulfillmentInput = FulfillmentInputSchema.extend({
  trackingUrl: z.string().optional(),
}).superRefine((input, ctx) => {
  const method = input.method ?? (input.trackingNumber ? 'seller' : undefined);
  if (!method) {
    ctx.addIssue({
      code: 'custom',
      path: ['method'],
      message: 'give a tracking number (seller shipping) or method "pickup" / "dropoff" (TikTok shipping)',
    });
  }
  if (method === 'seller') {
    if (!input.trackingNumber)
      ctx.addIssue({ code: 'custom', path: ['trackingNumber'], message: 'required when the seller ships' });
    if (!input.carrier && !input.marketplaceFields?.shipping_provider_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['carrier'],
        message: 'required when the seller ships: a shipping provider id or name',
      });
    }
  }
});

// ---------------------------------------------------------------- the client

/**
 * Makes the client of one TikTok shop. Cheap: make one per shop, sharing the transport.
 *
 * @example
 * const client = createTikTokShopClient({ transport, accountId: '7494049642642441621' });
 * for await (const order of client.listOrders({ since: Date.now() - 86_400_000 })) console.log(order.externalId);
 */
export function createTikTokShopClient(options: TikTokShopClientOptions): TikTokShopClient {
  const { transport, accountId } = options;
  const context: TikTokCallContext = { transport, accountId, shopCipher: options.shopCipher };
  const currency = options.currency ?? 'USD';
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const download =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  let warehouse: Promise<string> | undefined;

  function warehouseId(): Promise<string> {
    if (options.warehouseId) return Promise.resolve(options.warehouseId);
    warehouse ??= logisticsApi.getWarehouses(context).then((list) => {
      const picked = logisticsApi.pickSalesWarehouse(list);
      if (!picked) {
        throw new ValidationError(
          `TikTok shop ${accountId} has no warehouse`,
          [
            {
              path: 'warehouseId',
              message: 'no warehouse found: create one in Seller Center or pass warehouseId',
            },
          ],
          { marketplace: TIKTOK },
        );
      }
      return picked.id;
    });
    warehouse.catch(() => {
      warehouse = undefined;
    });
    return warehouse;
  }

  const product = (raw: Parameters<typeof toCoreProduct>[0]) => toCoreProduct(raw, accountId, currency);

  async function getProduct(externalId: string): Promise<Product> {
    return product(await productsApi.getProduct(context, externalId));
  }

  /** The products with these ids, one detail call each; unknown ids are left out. */
  async function productsByIds(externalIds: readonly string[]): Promise<Product[]> {
    const ids = [...new Set(externalIds)];
    const found = await mapLimit(ids, concurrency, async (id) => {
      try {
        return await getProduct(id);
      } catch (error) {
        if (isMlhError(error) && error.kind === 'not_found') return undefined;
        throw error;
      }
    });
    return found.filter((p): p is Product => p !== undefined);
  }

  async function uploadImages(
    urls: readonly string[],
    useCase: productsApi.TikTokImageUseCase,
    known: Map<string, string>,
  ) {
    for (const url of urls) {
      if (known.has(url)) continue;
      let response: Response;
      try {
        response = await download(url);
      } catch (error) {
        throw new ValidationError(
          'Could not download a product image',
          [{ path: 'images', message: `${url}: ${error instanceof Error ? error.message : String(error)}` }],
          { marketplace: TIKTOK },
        );
      }
      if (!response.ok) {
        throw new ValidationError(
          'Could not download a product image',
          [{ path: 'images', message: `${url}: HTTP ${response.status}` }],
          { marketplace: TIKTOK },
        );
      }
      const image = await response.blob();
      const fileName = new URL(url).pathname.split('/').pop() || 'image';
      const uploaded = await productsApi.uploadProductImage(context, { image, useCase, fileName });
      known.set(url, uploaded.uri);
    }
  }

  /** Validates, uploads the images, and builds the create / edit body. Nothing is written before validation. */
  async function productBody(
    input: Product,
    writeOptions: CreateProductOptions | undefined,
    existing?: { skuIds: Map<string, string>; imageUris: Map<string, string> },
  ): Promise<TikTokProductInput> {
    const normalized = normalizeProduct(input);
    const issues = client.validateProduct(normalized);
    if (issues.length > 0)
      throw new ValidationError('Invalid product for TikTok Shop', issues, { marketplace: TIKTOK });
    const fields = writeOptions?.marketplaceFields ?? {};
    const warehouse = typeof fields.warehouse_id === 'string' ? fields.warehouse_id : await warehouseId();
    const draft = (imageUri: (url: string) => string) =>
      toTikTokProductInput(normalized, {
        warehouseId: warehouse,
        imageUri,
        skuIds: existing?.skuIds,
        fields,
      });
    // Check the whole body with placeholder image uris before uploading anything.
    parseOrThrow(
      TikTokProductInput,
      draft((url) => url),
      'TikTok product',
      { marketplace: TIKTOK },
    );
    const uris = new Map(existing?.imageUris);
    if (fields.main_images === undefined) await uploadImages(normalized.images, 'MAIN_IMAGE', uris);
    await uploadImages(
      normalized.variants.flatMap((v) =>
        Object.keys(v.attributes ?? {}).length > 0 && v.images?.[0] ? [v.images[0]] : [],
      ),
      'ATTRIBUTE_IMAGE',
      uris,
    );
    return parseOrThrow(
      TikTokProductInput,
      draft((url) => uris.get(url) ?? url),
      'TikTok product',
      {
        marketplace: TIKTOK,
      },
    );
  }

  function written(
    input: Product,
    result: productsApi.TikTokProductWriteResult,
    productId: string,
    rawStatus: string,
  ): Product {
    const normalized = normalizeProduct(input);
    const skuIds = new Map(
      result.skus.filter((s) => s.seller_sku).map((s) => [s.seller_sku as string, s.id]),
    );
    return {
      ...normalized,
      externalId: productId,
      marketplace: TIKTOK,
      accountId,
      status: mapTikTokProductStatus(rawStatus),
      rawStatus,
      variants: normalized.variants.map((v) => {
        const id = (v.sku === undefined ? undefined : skuIds.get(v.sku)) ?? v.externalId;
        return id ? { ...v, externalId: id } : v;
      }),
      raw: result,
    };
  }

  /** Resolves each update's SKU id; updates without one are resolved from the product detail. */
  async function resolveSkuIds<
    U extends { productExternalId: string; variantExternalId?: string | undefined; sku?: string | undefined },
  >(
    productId: string,
    updates: readonly U[],
  ): Promise<{ resolved: Array<{ update: U; skuId: string }>; failed: BatchFailure<U>[] }> {
    const resolved: Array<{ update: U; skuId: string }> = [];
    const failed: BatchFailure<U>[] = [];
    const pending = updates.filter((u) => !u.variantExternalId);
    for (const update of updates)
      if (update.variantExternalId) resolved.push({ update, skuId: update.variantExternalId });
    if (pending.length === 0) return { resolved, failed };
    let skus: Array<{ id: string; seller_sku?: string | undefined }>;
    try {
      skus = (await productsApi.getProduct(context, productId)).skus;
    } catch (error) {
      if (!isMlhError(error)) throw error;
      return { resolved, failed: [...failed, ...pending.map((item) => ({ item, error }))] };
    }
    for (const update of pending) {
      const match = update.sku
        ? skus.find((s) => s.seller_sku === update.sku)
        : skus.length === 1
          ? skus[0]
          : undefined;
      if (match) resolved.push({ update, skuId: match.id });
      else {
        failed.push({
          item: update,
          error: new NotFoundError(
            update.sku
              ? `TikTok product ${productId} has no SKU with seller SKU "${update.sku}"`
              : `TikTok product ${productId} has several SKUs: give variantExternalId or sku`,
            { marketplace: TIKTOK },
          ),
        });
      }
    }
    return { resolved, failed };
  }

  /** Splits one call's outcome into succeeded / failed items, attributing `data.errors[]` by SKU id. */
  function attribute<U>(
    entries: ReadonlyArray<{ update: U; skuId: string }>,
    response: productsApi.TikTokBatchResponse,
    operation: string,
  ): BatchResult<U> {
    const failed: BatchFailure<U>[] = [];
    const bySku = new Map<string, TikTokItemError>();
    const general: TikTokItemError[] = [];
    for (const error of response.errors) {
      const sku = productsApi.itemErrorSubject(error, 'sku_id') ?? productsApi.itemErrorSubject(error, 'id');
      if (sku) bySku.set(sku, error);
      else general.push(error);
    }
    const succeeded: U[] = [];
    for (const { update, skuId } of entries) {
      const own = bySku.get(skuId) ?? general[0];
      if (own)
        failed.push({ item: update, error: productsApi.tiktokItemError(own, response.requestId, operation) });
      else succeeded.push(update);
    }
    return { succeeded, failed };
  }

  async function batchPerProduct<
    U extends { productExternalId: string; variantExternalId?: string | undefined; sku?: string | undefined },
  >(
    updates: readonly U[],
    send: (
      productId: string,
      entries: Array<{ update: U; skuId: string }>,
    ) => Promise<productsApi.TikTokBatchResponse>,
    operation: string,
  ): Promise<BatchResult<U>> {
    const result: BatchResult<U> = { succeeded: [], failed: [] };
    for (const [productId, group] of groupBy(updates, (update) => update.productExternalId)) {
      const { resolved, failed } = await resolveSkuIds(productId, group);
      result.failed.push(...failed);
      for (const part of chunk(resolved, TIKTOK_CAPABILITIES.maxBatch.updateInventory)) {
        try {
          const outcome = attribute(part, await send(productId, part), operation);
          result.succeeded.push(...outcome.succeeded);
          result.failed.push(...outcome.failed);
        } catch (error) {
          if (!isMlhError(error)) throw error;
          result.failed.push(...part.map(({ update }) => ({ item: update, error })));
        }
      }
    }
    return result;
  }

  async function rawOrder(orderId: string) {
    const [order] = await ordersApi.getOrderDetails(context, [orderId]);
    if (!order)
      throw new NotFoundError(`TikTok order ${orderId} not found in shop ${accountId}`, {
        marketplace: TIKTOK,
      });
    return order;
  }

  /**
   * A carrier's `shipping_provider_id`: given as digits, or found by name among the providers of
   * the order's delivery option (or, when the order does not name one, of its warehouse's options).
   */
  async function shippingProviderId(
    carrier: string,
    order: { delivery_option_id?: string | undefined; warehouse_id?: string | undefined },
  ): Promise<string> {
    if (/^\d+$/.test(carrier)) return carrier;
    const optionIds = order.delivery_option_id
      ? [order.delivery_option_id]
      : (
          await logisticsApi.getWarehouseDeliveryOptions(context, order.warehouse_id ?? (await warehouseId()))
        ).map((option) => option.id);
    const wanted = carrier.trim().toLowerCase();
    const names: string[] = [];
    for (const optionId of optionIds) {
      const providers = await logisticsApi.getShippingProviders(context, optionId);
      const match = providers.find((p) => p.name?.trim().toLowerCase() === wanted);
      if (match) return match.id;
      names.push(...providers.flatMap((p) => (p.name ? [p.name] : [])));
    }
    throw new ValidationError(
      'Unknown TikTok shipping provider',
      [
        {
          path: 'carrier',
          message: `"${carrier}" is not one of: ${[...new Set(names)].join(', ') || '(none)'}`,
        },
      ],
      { marketplace: TIKTOK },
    );
  }

  const client: TikTokShopClient = {
    marketplace: TIKTOK,
    accountId,
    capabilities: TIKTOK_CAPABILITIES,
    products: bindApi(productsApi, context),
    orders: bindApi(ordersApi, context),
    fulfillment: bindApi(fulfillmentApi, context),
    logistics: bindApi(logisticsApi, context),

    validateProduct(input: Product): readonly FieldIssue[] {
      const issues: FieldIssue[] = [];
      if (!input.categoryId) issues.push({ path: 'categoryId', message: 'TikTok needs a leaf category id' });
      if (!input.description?.trim())
        issues.push({ path: 'description', message: 'TikTok needs a description' });
      else if (input.description.length > 10_000) {
        issues.push({ path: 'description', message: 'at most 10000 characters on TikTok' });
      }
      if ((input.images ?? []).length > 9)
        issues.push({ path: 'images', message: 'at most 9 images on TikTok' });
      if (input.variants.length > 1) {
        input.variants.forEach((variant, index) => {
          if (Object.keys(variant.attributes ?? {}).length === 0) {
            issues.push({
              path: `variants.${index}.attributes`,
              message: 'each SKU of a multi-SKU product needs its sales attributes (e.g. Color, Size)',
            });
          }
        });
      }
      input.variants.forEach((variant, index) => {
        if (!/^\d+(\.\d+)?$/.test(variant.price.amount) || /^0+(\.0+)?$/.test(variant.price.amount)) {
          issues.push({ path: `variants.${index}.price.amount`, message: 'must be greater than 0' });
        }
      });
      return issues;
    },

    async *listProducts(listOptions: TikTokListProductsOptions = {}) {
      const wanted = asArray(listOptions.status);
      const rawStatuses = wanted
        ? [...new Set(wanted.flatMap((s) => TIKTOK_PRODUCT_STATUSES_BY_CORE[s]))]
        : undefined;
      const filter: productsApi.TikTokProductSearchFilter = {};
      if (rawStatuses?.length === 1) filter.status = rawStatuses[0] as string;
      if (listOptions.updatedSince !== undefined)
        filter.update_time_ge = toUnixSeconds(listOptions.updatedSince);
      if (listOptions.updatedUntil !== undefined)
        filter.update_time_le = toUnixSeconds(listOptions.updatedUntil);
      const pages = tiktokPages(
        (pageToken) =>
          productsApi.searchProducts(context, { pageSize: listOptions.pageSize, pageToken, filter }),
        'product search',
        listOptions.signal,
      );
      for await (const page of pages) {
        const raws = listOptions.detail
          ? await mapLimit(page.products, concurrency, (p) => productsApi.getProduct(context, p.id))
          : page.products;
        for (const raw of raws) {
          const mapped = product(raw);
          if (wanted && !wanted.includes(mapped.status)) continue;
          yield mapped;
        }
      }
    },

    getProduct,

    getProducts: productsByIds,

    async findProductsBySku(sku) {
      const wanted = sku.trim();
      if (wanted === '') {
        throw new ValidationError('Invalid SKU', [{ path: 'sku', message: 'required' }], {
          marketplace: TIKTOK,
        });
      }
      // `seller_skus` matches the SKUs' seller SKUs only: a product's own SKU (external_product_id)
      // cannot be searched, so it is found here only when one of its SKUs carries it too.
      const ids: string[] = [];
      const pages = tiktokPages(
        (pageToken) => productsApi.searchProducts(context, { pageToken, filter: { seller_skus: [wanted] } }),
        'product search by SKU',
      );
      for await (const page of pages) {
        for (const raw of page.products) {
          if (raw.skus.some((candidate) => candidate.seller_sku?.trim() === wanted)) ids.push(raw.id);
        }
      }
      // Summaries carry no external_product_id: read each hit so the product's SKU is its own.
      const found = await productsByIds(ids);
      return found.filter(
        (candidate) => candidate.sku === wanted || candidate.variants.some((v) => v.sku === wanted),
      );
    },

    async createProduct(input, createOptions) {
      const body = await productBody(input, createOptions);
      const result = await productsApi.createProduct(context, body);
      if (!result.product_id) {
        throw new MlhError('TikTok Shop product.create: the answer has no product_id', {
          marketplace: TIKTOK,
          requestId: result.requestId,
        });
      }
      const draft = typeof body.save_mode === 'string' && /DRAFT/i.test(body.save_mode);
      return written(input, result, result.product_id, draft ? 'DRAFT' : 'PENDING');
    },

    async updateProduct(externalId, input, updateOptions) {
      const current = await productsApi.getProduct(context, externalId);
      const skuIds = new Map<string, string>();
      for (const sku of current.skus) if (sku.seller_sku) skuIds.set(sku.seller_sku, sku.id);
      const imageUris = new Map<string, string>();
      for (const image of current.main_images ?? []) {
        for (const url of image.urls ?? []) if (image.uri) imageUris.set(url, image.uri);
      }
      const body = await productBody(input, updateOptions, { skuIds, imageUris });
      const result = await productsApi.editProduct(context, externalId, body);
      return written(input, result, externalId, current.status === 'ACTIVATE' ? 'ACTIVATE' : 'PENDING');
    },

    async setProductStatus(externalId, status) {
      if (status === 'inactive') {
        throw new ValidationError(
          'Unsupported TikTok product status',
          [
            {
              path: 'status',
              message:
                'TikTok can activate or deactivate ("paused") a product; delete it with client.products.deleteProducts',
            },
          ],
          { marketplace: TIKTOK },
        );
      }
      const response =
        status === 'active'
          ? await productsApi.activateProducts(context, [externalId])
          : await productsApi.deactivateProducts(context, [externalId]);
      if (response.errors.length > 0) {
        throw new TikTokBatchError(
          `TikTok Shop refused to set product ${externalId} ${status}`,
          response.errors,
          {
            marketplace: TIKTOK,
            requestId: response.requestId,
            code: response.errors[0]?.code === undefined ? undefined : String(response.errors[0].code),
          },
        );
      }
    },

    async updateInventory(updates) {
      const valid = parseOrThrow(z.array(StockUpdateInput), [...updates], 'stock updates', {
        marketplace: TIKTOK,
      });
      if (valid.length === 0) return { succeeded: [], failed: [] };
      const warehouse = await warehouseId();
      const indexed = updates.map((update, index) => ({ ...update, index }));
      const outcome = await batchPerProduct(
        indexed,
        (productId, entries) =>
          productsApi.updateInventory(context, productId, {
            skus: entries.map(({ update, skuId }) => ({
              id: skuId,
              inventory: [{ warehouse_id: warehouse, quantity: update.quantity }],
            })),
          }),
        'product.inventory_update',
      );
      return restore(updates, outcome);
    },

    async updatePrices(updates) {
      parseOrThrow(z.array(PriceUpdateInput), [...updates], 'price updates', { marketplace: TIKTOK });
      if (updates.length === 0) return { succeeded: [], failed: [] };
      const indexed = updates.map((update, index) => ({ ...update, index }));
      const outcome = await batchPerProduct(
        indexed,
        (productId, entries) =>
          productsApi.updatePrices(context, productId, {
            skus: entries.map(({ update, skuId }) => ({
              id: skuId,
              price: { amount: update.price.amount, currency: update.price.currency },
            })),
          }),
        'product.price_update',
      );
      return restore(updates, outcome);
    },

    async *listOrders(listOptions: ListOrdersOptions = {}) {
      const wanted = asArray(listOptions.status) as readonly OrderStatus[] | undefined;
      const rawStatuses = wanted
        ? [...new Set(wanted.flatMap((s) => TIKTOK_ORDER_STATUSES_BY_CORE[s]))]
        : undefined;
      const by = listOptions.by ?? 'updated';
      const field = by === 'created' ? 'create_time' : 'update_time';
      const filter: ordersApi.TikTokOrderSearchFilter = {};
      if (rawStatuses?.length === 1) filter.order_status = rawStatuses[0] as string;
      if (listOptions.since !== undefined) filter[`${field}_ge`] = toUnixSeconds(listOptions.since);
      if (listOptions.until !== undefined) filter[`${field}_lt`] = exclusiveUpperSeconds(listOptions.until);
      const pages = tiktokPages(
        (pageToken) =>
          ordersApi.searchOrders(context, {
            pageSize: listOptions.pageSize,
            pageToken,
            sortField: field,
            sortOrder: 'ASC',
            filter,
          }),
        'order search',
        listOptions.signal,
      );
      for await (const page of pages) {
        for (const raw of page.orders) {
          const order = toCoreOrder(raw, accountId, currency);
          if (wanted && !wanted.includes(order.status)) continue;
          yield order;
        }
      }
    },

    async getOrder(externalId) {
      return toCoreOrder(await rawOrder(externalId), accountId, currency);
    },

    async getOrders(externalIds) {
      const ids = [...new Set(externalIds)];
      const byId = new Map<string, Order>();
      for (const part of chunk(ids, ordersApi.TIKTOK_ORDER_DETAIL_BATCH_MAX)) {
        for (const raw of await ordersApi.getOrderDetails(context, part)) {
          byId.set(raw.id, toCoreOrder(raw, accountId, currency));
        }
      }
      return ids.map((id) => byId.get(id)).filter((o): o is Order => o !== undefined);
    },

    async fulfillOrder(orderExternalId, input: FulfillmentInput) {
      const valid = parseOrThrow(TikTokFulfillmentInput, input, 'fulfillment', { marketplace: TIKTOK });
      const fields = valid.marketplaceFields ?? {};
      const method = valid.method ?? 'seller';
      const order = await rawOrder(orderExternalId);
      const packageIds = [
        ...(order.packages ?? []).map((p) => p.id),
        ...order.line_items.flatMap((l) => (l.package_id ? [l.package_id] : [])),
      ];
      let packageId = valid.shipmentId ?? packageIds[0];
      if (method === 'seller') {
        const providerId =
          typeof fields.shipping_provider_id === 'string'
            ? fields.shipping_provider_id
            : await shippingProviderId(valid.carrier as string, order);
        const trackingNumber = valid.trackingNumber as string;
        if (packageId && fields.markAsShipped !== true) {
          await fulfillmentApi.shipPackage(context, packageId, {
            self_shipment: { shipping_provider_id: providerId, tracking_number: trackingNumber },
          });
        } else {
          const lineItemIds = Array.isArray(fields.order_line_item_ids)
            ? (fields.order_line_item_ids as string[])
            : order.line_items.map((l) => l.id);
          const marked = await fulfillmentApi.markPackageAsShipped(context, orderExternalId, {
            order_line_item_ids: lineItemIds,
            shipping_provider_id: providerId,
            tracking_number: trackingNumber,
          });
          packageId = marked.package_id;
        }
      } else {
        if (!packageId) {
          throw new ValidationError(
            'Cannot arrange TikTok shipping',
            [{ path: 'shipmentId', message: `order ${orderExternalId} has no package yet` }],
            { marketplace: TIKTOK },
          );
        }
        await fulfillmentApi.shipPackage(context, packageId, {
          handover_method: method === 'pickup' ? 'PICKUP' : 'DROP_OFF',
          ...(fields.pickup_slot
            ? { pickup_slot: fields.pickup_slot as { start_time: number; end_time: number } }
            : {}),
        });
      }
      return client.getShipment(packageId as string);
    },

    async getShipment(externalId): Promise<Shipment> {
      const raw = await fulfillmentApi.getPackageDetail(context, externalId);
      return toCoreShipment({ ...raw, package_id: packageIdOf(raw) }, accountId);
    },

    async cancelOrder(orderExternalId, reason) {
      const cancelReason = reason ?? options.defaultCancelReason;
      await ordersApi.cancelOrder(context, {
        order_id: orderExternalId,
        ...(cancelReason ? { cancel_reason: cancelReason } : {}),
      });
    },

    request<T = unknown>(request: TransportRequest): Promise<TransportResponse<T>> {
      const query = { ...request.query };
      if (options.shopCipher !== undefined && query.shop_cipher === undefined)
        query.shop_cipher = options.shopCipher;
      return transport.request<T>({
        ...request,
        query,
        accountId,
        operation: request.operation ?? `${request.method} ${request.path}`,
      });
    },
  };
  return client;
}

/**
 * An exclusive upper bound (`*_lt`) in whole seconds that still covers `instant`: TikTok times are
 * seconds, so a change made in the same second as `instant` must fall below the bound (rounded up).
 */
function exclusiveUpperSeconds(instant: Date | string | number): number {
  const ms = instantToEpochMs(instant);
  if (ms === undefined) throw new TypeError(`Not a valid moment: ${String(instant)}`);
  return Math.ceil(ms / 1000);
}

/** Maps the indexed copies used internally back to the caller's own update objects. */
function restore<U>(originals: readonly U[], outcome: BatchResult<{ index: number }>): BatchResult<U> {
  return {
    succeeded: outcome.succeeded.map((entry) => originals[entry.index] as U),
    failed: outcome.failed.map((failure) => ({
      item: originals[failure.item.index] as U,
      error: failure.error,
    })),
  };
}

// ---------------------------------------------------------------- createTikTokShop

/** Options of {@link createTikTokShop}. */
export interface CreateTikTokShopOptions extends TikTokPassThroughOptions {
  /** `TIKTOK_APP_KEY`. */
  appKey: string;
  /** `TIKTOK_APP_SECRET`. */
  appSecret: string;
  /** `TIKTOK_SERVICE_ID`: the Service ID of the authorization URL (not the app key). */
  serviceId?: string | undefined;
  /** Which authorization page sellers go to by default: `global` (default) or `US`. */
  market?: TikTokMarket | undefined;
  /** Where tokens live, one entry per shop (wrap it in core `EncryptedTokenStore`). */
  tokenStore: TokenStore;
  /** Default `https://open-api.tiktokglobalshop.com`. */
  apiBaseUrl?: string | undefined;
  /** Default `https://auth.tiktok-shops.com`. */
  authBaseUrl?: string | undefined;
  /** Overrides the authorization page of both markets (a sandbox). */
  authorizeBaseUrl?: string | undefined;
  /** Refresh this long before the access token expires. Default 5 minutes. */
  refreshMarginMs?: number | undefined;
  /** Defaults of every client made by `forAccount`. */
  clientDefaults?: Omit<TikTokShopClientOptions, 'transport' | 'accountId'> | undefined;
}

/** What the code exchange produced: the grant, the shops it covers, and the stored token sets. */
export interface TikTokAuthorization {
  grant: TikTokGrant;
  shops: TikTokAuthorizedShop[];
  /** One per shop (or one under the seller's `open_id` when the grant covers no shop). */
  tokenSets: StoredTokenSet[];
}

/** The TikTok Shop entry point: app credentials, tokens and shop ciphers shared by every shop. */
export interface TikTokShop {
  readonly transport: Transport;
  readonly authTransport: Transport;
  readonly tokens: TokenManager;
  /** The authorization page for a seller; `market` overrides the default. */
  authorizationUrl(options: { state: string; market?: TikTokMarket }): string;
  /** Exchanges the redirect's code, asks for the authorized shops, and saves one token set per shop. */
  exchangeCode(code: string): Promise<TikTokAuthorization>;
  /** The shops the seller of `accountId` authorized (fresh from TikTok). */
  authorizedShops(accountId: string): Promise<TikTokAuthorizedShop[]>;
  /** The shop's cipher: from memory, the token store, or TikTok, in that order. */
  shopCipher(accountId: string): Promise<string | undefined>;
  /** Asks TikTok for the shop's cipher again and stores it (after a `106013` or a shop change). */
  refreshShopCipher(accountId: string): Promise<string | undefined>;
  /** The client of one shop (`shop_id`). Cheap; clients share the transport and tokens. */
  forAccount(
    accountId: string,
    options?: Omit<TikTokShopClientOptions, 'transport' | 'accountId'>,
  ): TikTokShopClient;
  /** The webhook source for core `createWebhookHandler`. */
  webhookSource(options?: { appSecrets?: readonly string[]; toleranceSeconds?: number }): WebhookSource;
}

/**
 * The convenience entry most apps start from.
 *
 * @example
 * const tiktok = createTikTokShop({
 *   appKey: process.env.TIKTOK_APP_KEY!,
 *   appSecret: process.env.TIKTOK_APP_SECRET!,
 *   serviceId: process.env.TIKTOK_SERVICE_ID!,
 *   tokenStore: new EncryptedTokenStore(myStore, { key }),
 * });
 * res.redirect(tiktok.authorizationUrl({ state }));
 * // on the redirect:
 * const { shops } = await tiktok.exchangeCode(code);
 * const client = tiktok.forAccount(shops[0].id);
 */
export function createTikTokShop(options: CreateTikTokShopOptions): TikTokShop {
  const {
    appKey,
    appSecret,
    serviceId,
    market,
    tokenStore,
    apiBaseUrl,
    authBaseUrl,
    authorizeBaseUrl,
    refreshMarginMs,
    clientDefaults,
    ...passThrough
  } = options;
  const authTransport = createTikTokAuthTransport({
    ...passThrough,
    ...(authBaseUrl ? { baseUrl: authBaseUrl } : {}),
  });
  const authOptions = { appKey, appSecret, authTransport, clock: passThrough.clock };
  const refreshOnce = refreshTikTokTokens(authOptions);

  const tokens = createTokenManager({
    marketplace: TIKTOK,
    store: tokenStore,
    ...(refreshMarginMs === undefined ? {} : { refreshMarginMs }),
    ...(passThrough.clock ? { clock: passThrough.clock } : {}),
    ...(passThrough.logger ? { logger: passThrough.logger } : {}),
    async refresh(current) {
      const next = await refreshOnce(current);
      await shareWithSiblings(current, next);
      return next;
    },
  });

  /** Shops of one authorization share its tokens: hand the renewed pair to the others too. */
  async function shareWithSiblings(current: StoredTokenSet, next: Awaited<ReturnType<typeof refreshOnce>>) {
    for (const siblingId of tiktokTokenExtra(current).siblingShopIds ?? []) {
      try {
        const sibling = await tokenStore.get(TIKTOK, siblingId);
        if (!sibling || sibling.refreshToken !== current.refreshToken) continue;
        const { version, ...fields } = sibling;
        await tokenStore.set(
          {
            ...fields,
            accessToken: next.accessToken,
            refreshToken: next.refreshToken,
            expiresAt: next.expiresAt,
            refreshExpiresAt: next.refreshExpiresAt,
            scopes: next.scopes ?? sibling.scopes,
            reauthorizationRequired: false,
          },
          { expectedVersion: version },
        );
      } catch {
        // Best effort: the sibling refreshes on its own when it needs to.
      }
    }
  }

  const ciphers = new Map<string, string>();
  const cipherLookups = new Map<string, Promise<string | undefined>>();

  async function fetchShops(accountId: string): Promise<TikTokAuthorizedShop[]> {
    const shops = await getAuthorizedShops({ transport, accountId });
    for (const shop of shops) ciphers.set(shop.id, shop.cipher);
    return shops;
  }

  function shopCipher(accountId: string): Promise<string | undefined> {
    const cached = ciphers.get(accountId);
    if (cached) return Promise.resolve(cached);
    let lookup = cipherLookups.get(accountId);
    if (!lookup) {
      lookup = (async () => {
        const stored = tiktokTokenExtra(await tokens.getTokenSet(accountId)).shopCipher;
        if (stored) {
          ciphers.set(accountId, stored);
          return stored;
        }
        await fetchShops(accountId);
        return ciphers.get(accountId);
      })().finally(() => cipherLookups.delete(accountId));
      cipherLookups.set(accountId, lookup);
    }
    return lookup;
  }

  const transport = createTikTokTransport({
    ...passThrough,
    appKey,
    appSecret,
    ...(apiBaseUrl ? { baseUrl: apiBaseUrl } : {}),
    tokens,
    shopCipher,
  });

  return {
    transport,
    authTransport,
    tokens,
    authorizationUrl({ state, market: chosen }) {
      return tiktokAuthorizationUrl({
        serviceId: serviceId ?? '',
        state,
        market: chosen ?? market,
        authorizeBaseUrl,
      });
    },
    async exchangeCode(code) {
      const grant = await getTikTokAccessToken({ ...authOptions, code });
      const shops = await getAuthorizedShops({ transport, accessToken: grant.accessToken });
      const sets =
        shops.length > 0
          ? shops.map((shop) =>
              tiktokTokenSet(
                grant,
                shop,
                shops.filter((other) => other.id !== shop.id).map((other) => other.id),
              ),
            )
          : grant.openId
            ? [tiktokTokenSet(grant, { id: grant.openId })]
            : [];
      const tokenSets: StoredTokenSet[] = [];
      for (const set of sets) tokenSets.push(await tokens.saveTokenSet(set));
      for (const shop of shops) ciphers.set(shop.id, shop.cipher);
      return { grant, shops, tokenSets };
    },
    authorizedShops: fetchShops,
    shopCipher,
    async refreshShopCipher(accountId) {
      ciphers.delete(accountId);
      await fetchShops(accountId);
      const cipher = ciphers.get(accountId);
      const stored = await tokens.getTokenSet(accountId);
      if (cipher && stored && tiktokTokenExtra(stored).shopCipher !== cipher) {
        const { version, ...fields } = stored;
        await tokenStore.set(
          { ...fields, extra: { ...(stored.extra ?? {}), shopCipher: cipher } },
          { expectedVersion: version },
        );
      }
      return cipher;
    },
    forAccount(accountId, clientOptions) {
      return createTikTokShopClient({ ...clientDefaults, ...clientOptions, transport, accountId });
    },
    webhookSource(sourceOptions = {}) {
      return tiktokWebhookSource({
        appKey,
        appSecrets: sourceOptions.appSecrets ?? [appSecret],
        ...(sourceOptions.toleranceSeconds === undefined
          ? {}
          : { toleranceSeconds: sourceOptions.toleranceSeconds }),
        ...(passThrough.clock ? { clock: passThrough.clock } : {}),
      });
    },
  };
}
