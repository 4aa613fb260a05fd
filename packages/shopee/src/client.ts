import {
  type AuthenticationError,
  asArray,
  type BatchFailure,
  type BatchResult,
  type Clock,
  ConflictError,
  type CreateProductOptions,
  compareDecimal,
  createTokenManager,
  DEFAULT_MAX_RESPONSE_BYTES,
  type FieldIssue,
  type FulfillmentInput,
  groupBy,
  type Instant,
  instantToEpochMs,
  isMlhError,
  type ListOrdersOptions,
  type ListProductsOptions,
  type MarketplaceCapabilities,
  type MarketplaceClient,
  MlhError,
  mapLimit,
  NotFoundError,
  type Order,
  type OrderStatus,
  type PriceUpdate,
  PriceUpdateInput,
  type Product,
  Product as ProductSchema,
  ProductStatus,
  readResponseBytes,
  type SettableProductStatus,
  type Shipment,
  type StockUpdate,
  StockUpdateInput,
  systemClock,
  type TokenManager,
  type TokenStore,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  toFieldIssues,
  ValidationError,
  type WebhookSource,
} from '@mlh/core';
import type { ShopeeAddItemBody, ShopeeUpdateItemBody } from './api/inputs';
import * as logisticsApi from './api/logistics';
import * as mediaApi from './api/media';
import * as ordersApi from './api/orders';
import * as productsApi from './api/products';
import {
  buildShopeeAuthorizationUrl,
  buildShopeeCancelAuthorizationUrl,
  exchangeShopeeCode,
  type ShopeeAuthorizationCallback,
  type ShopeeTokenGrant,
  shopeeTokenRefresher,
} from './auth';
import {
  mapShopeeItem,
  mapShopeeOrder,
  mapShopeeOrderStatus,
  mapShopeePackage,
  parseShopeeShipmentId,
  SHOPEE_DEFAULT_ITEM_STATUSES,
  SHOPEE_ITEM_STATUS_FILTER,
  shopeeShipmentId,
} from './mappers';
import type { ShopeeItem, ShopeeModelListResponse, ShopeeOrder, ShopeePackage } from './schemas';
import {
  createShopeeTransport,
  isShopeePublicPath,
  parseShopeeAccountId,
  SHOPEE,
  SHOPEE_LIMITS,
  type ShopeeEnvironment,
  type ShopeeListEncoding,
  type ShopeePassThroughOptions,
  type ShopeeRegion,
  type ShopeeScope,
  shopAccountId,
} from './transport';
import { shopeeWebhookSource } from './webhooks';

/** A function of `api/*` with its scope bound: the rest of its parameters, the same result. */
export type BoundShopeeCall<F> = F extends (scope: never, ...args: infer A) => infer R
  ? (...args: A) => R
  : never;

/** The `product` calls bound to one account. */
export interface ShopeeProductsApi {
  getItemList: BoundShopeeCall<typeof productsApi.getItemList>;
  iterateItemList: BoundShopeeCall<typeof productsApi.iterateItemList>;
  getItemBaseInfo: BoundShopeeCall<typeof productsApi.getItemBaseInfo>;
  getModelList: BoundShopeeCall<typeof productsApi.getModelList>;
  addItem: BoundShopeeCall<typeof productsApi.addItem>;
  updateItem: BoundShopeeCall<typeof productsApi.updateItem>;
  initTierVariation: BoundShopeeCall<typeof productsApi.initTierVariation>;
  updatePrice: BoundShopeeCall<typeof productsApi.updatePrice>;
  updateStock: BoundShopeeCall<typeof productsApi.updateStock>;
  unlistItems: BoundShopeeCall<typeof productsApi.unlistItems>;
  deleteItem: BoundShopeeCall<typeof productsApi.deleteItem>;
}

/** The `media_space` calls (Public APIs; the account only keys rate limiting). */
export interface ShopeeMediaApi {
  uploadImage: BoundShopeeCall<typeof mediaApi.uploadImage>;
  uploadImages: BoundShopeeCall<typeof mediaApi.uploadImages>;
}

/** The `order` calls bound to one account. */
export interface ShopeeOrdersApi {
  getOrderList: BoundShopeeCall<typeof ordersApi.getOrderList>;
  iterateOrderList: BoundShopeeCall<typeof ordersApi.iterateOrderList>;
  getOrderDetail: BoundShopeeCall<typeof ordersApi.getOrderDetail>;
  getShipmentList: BoundShopeeCall<typeof ordersApi.getShipmentList>;
  iterateShipmentList: BoundShopeeCall<typeof ordersApi.iterateShipmentList>;
  cancelOrder: BoundShopeeCall<typeof ordersApi.cancelOrder>;
}

/** The `logistics` calls bound to one account. */
export interface ShopeeLogisticsApi {
  getShippingParameter: BoundShopeeCall<typeof logisticsApi.getShippingParameter>;
  shipOrder: BoundShopeeCall<typeof logisticsApi.shipOrder>;
  getTrackingNumber: BoundShopeeCall<typeof logisticsApi.getTrackingNumber>;
  getTrackingInfo: BoundShopeeCall<typeof logisticsApi.getTrackingInfo>;
}

/**
 * One Shopee shop, through the core `MarketplaceClient` interface, plus the typed Shopee calls
 * (`products`, `media`, `orders`, `logistics`) for what the core model does not cover.
 */
export interface ShopeeClient extends MarketplaceClient {
  readonly marketplace: 'shopee';
  readonly products: ShopeeProductsApi;
  readonly media: ShopeeMediaApi;
  readonly orders: ShopeeOrdersApi;
  readonly logistics: ShopeeLogisticsApi;
}

/** Options of {@link createShopeeClient}. */
export interface ShopeeClientOptions {
  /** A Shopee transport with a token provider (see {@link createShopeeTransport}). */
  transport: Transport;
  /** The shop's account id (its shop id). */
  accountId: string;
  /** Encoding of `item_id_list` (`comma`, the default, or `repeat`). */
  listEncoding?: ShopeeListEncoding | undefined;
  /**
   * The shop's currency (e.g. `BRL`). When set, prices written in another currency are refused
   * before sending, and it names the currency of items whose payload carries none.
   */
  currency?: string | undefined;
  /** Clock for default time ranges. */
  clock?: Clock | undefined;
  /** Downloads product image URLs in `createProduct` (Shopee takes bytes, not URLs). Default global fetch. */
  fetch?: typeof fetch | undefined;
}

/** Shopee's capabilities for generic code. */
export const SHOPEE_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  marketplace: SHOPEE,
  // Push code 3 reports order status changes, but a lost push cannot be recovered through the API
  // (no missed-feeds call), so orders are polled every 5 minutes and pushes only make it sooner.
  orderWebhooks: false,
  orderPollIntervalMs: 5 * 60_000,
  missedEventRecovery: false,
  variants: true,
  maxBatch: Object.freeze({
    getProducts: SHOPEE_LIMITS.itemBaseInfoIds,
    getOrders: SHOPEE_LIMITS.orderDetailIds,
    updateInventory: SHOPEE_LIMITS.modelBatchEntries,
    updatePrices: SHOPEE_LIMITS.modelBatchEntries,
  }),
  cancelOrder: true,
  sellerFulfillment: true,
  productStatuses: Object.freeze(['active', 'paused'] as const),
}) as MarketplaceCapabilities;

const DAY_MS = 86_400_000;
const MODEL_FETCH_CONCURRENCY = 4;
/** Statuses after which a package has a tracking number to ask for. */
const ARRANGED_STATUSES = new Set([
  'LOGISTICS_REQUEST_CREATED',
  'LOGISTICS_PICKUP_RETRY',
  'LOGISTICS_PICKUP_DONE',
  'LOGISTICS_DELIVERY_DONE',
  'LOGISTICS_DELIVERY_FAILED',
  'LOGISTICS_LOST',
  'LOGISTICS_PICKUP_FAILED',
]);
const HANDED_OVER_STATUSES = new Set([
  'LOGISTICS_PICKUP_DONE',
  'LOGISTICS_DELIVERY_DONE',
  'LOGISTICS_DELIVERY_FAILED',
  'LOGISTICS_LOST',
]);

function invalid(what: string, issues: FieldIssue[]): ValidationError {
  return new ValidationError(`Invalid ${what}`, issues, { marketplace: SHOPEE });
}

/** Epoch ms of a core `Instant` (Date, ISO string or epoch ms). */
function toEpochMs(instant: Instant, path: string): number {
  const ms = instantToEpochMs(instant);
  if (ms === undefined)
    throw invalid('time', [{ path, message: 'must be a Date, an ISO 8601 string or epoch ms' }]);
  return ms;
}

function refusal(
  operation: string,
  itemId: string,
  modelId: string,
  reason: string | null | undefined,
): MlhError {
  return new ConflictError(
    `Shopee ${operation} refused item ${itemId}${modelId !== '0' ? ` model ${modelId}` : ''}: ${reason || 'no reason given'}`,
    { marketplace: SHOPEE, code: `${operation}.failure_list` },
  );
}

/** A batch failure that stops every later batch too: the account must be re-authorized. */
function isFatal(error: unknown): boolean {
  return (
    !isMlhError(error) ||
    (error.kind === 'authentication' && (error as AuthenticationError).reauthorizationRequired === true)
  );
}

interface ModelTarget<T> {
  update: T;
  modelId: string;
}

/**
 * Creates the `MarketplaceClient` of one Shopee shop. Immutable and cheap: make one per account;
 * they share the transport (and its limits and token manager).
 *
 * @example
 * const client = createShopeeClient({ transport, accountId: shopAccountId(process.env.SHOPEE_SHOP_ID!) });
 * for await (const order of client.listOrders({ since: Date.now() - 3_600_000 })) console.log(order.externalId);
 */
export function createShopeeClient(options: ShopeeClientOptions): ShopeeClient {
  const { transport } = options;
  const accountId = options.accountId;
  const account = parseShopeeAccountId(accountId);
  if (account.kind !== 'shop') {
    throw invalid('Shopee client options', [
      { path: 'accountId', message: 'the product, order and logistics APIs are Shop APIs: give a shop id' },
    ]);
  }
  const clock = options.clock ?? systemClock;
  const shopCurrency = options.currency?.toUpperCase();
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const scope: ShopeeScope = { transport, accountId, listEncoding: options.listEncoding };
  const scoped = (signal: AbortSignal | undefined): ShopeeScope => (signal ? { ...scope, signal } : scope);

  const products: ShopeeProductsApi = Object.freeze({
    getItemList: (o) => productsApi.getItemList(scope, o),
    iterateItemList: (o) => productsApi.iterateItemList(scope, o),
    getItemBaseInfo: (ids, o) => productsApi.getItemBaseInfo(scope, ids, o),
    getModelList: (id) => productsApi.getModelList(scope, id),
    addItem: (body) => productsApi.addItem(scope, body),
    updateItem: (body) => productsApi.updateItem(scope, body),
    initTierVariation: (body) => productsApi.initTierVariation(scope, body),
    updatePrice: (id, prices) => productsApi.updatePrice(scope, id, prices),
    updateStock: (id, stock) => productsApi.updateStock(scope, id, stock),
    unlistItems: (items) => productsApi.unlistItems(scope, items),
    deleteItem: (id) => productsApi.deleteItem(scope, id),
  } satisfies ShopeeProductsApi);
  const media: ShopeeMediaApi = Object.freeze({
    uploadImage: (file, o) => mediaApi.uploadImage(scope, file, o),
    uploadImages: (files, o) => mediaApi.uploadImages(scope, files, o),
  } satisfies ShopeeMediaApi);
  const orders: ShopeeOrdersApi = Object.freeze({
    getOrderList: (o) => ordersApi.getOrderList(scope, o),
    iterateOrderList: (o) => ordersApi.iterateOrderList(scope, o),
    getOrderDetail: (sns, o) => ordersApi.getOrderDetail(scope, sns, o),
    getShipmentList: (o) => ordersApi.getShipmentList(scope, o),
    iterateShipmentList: (o) => ordersApi.iterateShipmentList(scope, o),
    cancelOrder: (input) => ordersApi.cancelOrder(scope, input),
  } satisfies ShopeeOrdersApi);
  const logistics: ShopeeLogisticsApi = Object.freeze({
    getShippingParameter: (ref) => logisticsApi.getShippingParameter(scope, ref),
    shipOrder: (input) => logisticsApi.shipOrder(scope, input),
    getTrackingNumber: (ref) => logisticsApi.getTrackingNumber(scope, ref),
    getTrackingInfo: (ref) => logisticsApi.getTrackingInfo(scope, ref),
  } satisfies ShopeeLogisticsApi);

  // ------------------------------------------------------------------------------------------
  // Products

  async function loadProducts(itemIds: readonly string[], signal?: AbortSignal): Promise<Product[]> {
    if (itemIds.length === 0) return [];
    const items = await productsApi.getItemBaseInfo(scoped(signal), itemIds);
    const models = await mapLimit(items, MODEL_FETCH_CONCURRENCY, (item) =>
      item.has_model ? productsApi.getModelList(scoped(signal), item.item_id) : Promise.resolve(undefined),
    );
    return items.map((item, index) =>
      mapShopeeItem(item, models[index], {
        accountId,
        currency: shopCurrency ?? currencyOf(item, models[index]),
      }),
    );
  }

  function currencyOf(item: ShopeeItem, models: ShopeeModelListResponse | undefined): string | undefined {
    return (
      item.price_info?.[0]?.currency ??
      models?.model?.find((m) => m.price_info?.[0]?.currency)?.price_info?.[0]?.currency ??
      undefined
    );
  }

  function checkId(id: string, path: string, issues: FieldIssue[]): void {
    if (typeof id !== 'string' || !/^\d+$/.test(id))
      issues.push({ path, message: 'must be a Shopee item id' });
  }

  function validateProduct(product: Product): readonly FieldIssue[] {
    const parsed = ProductSchema.safeParse(product);
    if (!parsed.success) return toFieldIssues(parsed.error.issues);
    const issues: FieldIssue[] = [];
    const value = parsed.data;
    if (value.description.trim() === '') {
      issues.push({ path: 'description', message: 'Shopee requires a description' });
    }
    if (value.images.length === 0) {
      issues.push({ path: 'images', message: 'Shopee requires at least one image' });
    }
    if (shopCurrency && value.price.currency !== shopCurrency) {
      issues.push({ path: 'price.currency', message: `the shop sells in ${shopCurrency}` });
    }
    value.variants.forEach((variant, index) => {
      if (compareDecimal(variant.price.amount, '0') <= 0) {
        issues.push({ path: `variants.${index}.price.amount`, message: 'must be greater than 0' });
      }
    });
    if (value.variants.length > 1) {
      const names = Object.keys(value.variants[0]?.attributes ?? {});
      const combinations = new Set<string>();
      value.variants.forEach((variant, index) => {
        const keys = Object.keys(variant.attributes);
        if (keys.length === 0) {
          issues.push({
            path: `variants.${index}.attributes`,
            message:
              'each variant needs the attributes that tell it apart (they become Shopee tier variations)',
          });
          return;
        }
        if (keys.length !== names.length || !names.every((name) => keys.includes(name))) {
          issues.push({
            path: `variants.${index}.attributes`,
            message: `must name the same attributes as the first variant (${names.join(', ')})`,
          });
          return;
        }
        const combination = names.map((name) => variant.attributes[name]).join('\u0000');
        if (combinations.has(combination)) {
          issues.push({
            path: `variants.${index}.attributes`,
            message: 'repeats another variant’s attribute values',
          });
        }
        combinations.add(combination);
      });
    }
    return issues;
  }

  async function* listProducts(listOptions: ListProductsOptions = {}): AsyncGenerator<Product> {
    const statuses = asArray(listOptions.status);
    const issues: FieldIssue[] = [];
    statuses?.forEach((status, index) => {
      if (!ProductStatus.safeParse(status).success)
        issues.push({ path: `status.${index}`, message: 'unknown status' });
    });
    const from =
      listOptions.updatedSince === undefined
        ? undefined
        : Math.floor(toEpochMs(listOptions.updatedSince, 'updatedSince') / 1000);
    const to =
      listOptions.updatedUntil === undefined
        ? undefined
        : Math.ceil(toEpochMs(listOptions.updatedUntil, 'updatedUntil') / 1000);
    if (from !== undefined && to !== undefined && to <= from) {
      issues.push({ path: 'updatedUntil', message: 'must be later than updatedSince' });
    }
    if (issues.length > 0) throw invalid('listProducts options', issues);
    const itemStatus = statuses
      ? [...new Set(statuses.flatMap((status) => SHOPEE_ITEM_STATUS_FILTER[status]))]
      : [...SHOPEE_DEFAULT_ITEM_STATUSES];
    const pageSize = Math.min(
      Math.max(1, Math.floor(listOptions.pageSize ?? SHOPEE_LIMITS.itemListPageSize)),
      SHOPEE_LIMITS.itemListPageSize,
    );
    const pages = productsApi.iterateItemList(scoped(listOptions.signal), {
      itemStatus,
      pageSize,
      updateTimeFrom: from,
      updateTimeTo: to,
    });
    for await (const page of pages) {
      for (const product of await loadProducts(
        page.map((entry) => entry.item_id),
        listOptions.signal,
      )) {
        yield product;
      }
    }
  }

  async function getProduct(externalId: string): Promise<Product> {
    const issues: FieldIssue[] = [];
    checkId(externalId, 'externalId', issues);
    if (issues.length > 0) throw invalid('product id', issues);
    const [product] = await loadProducts([externalId]);
    if (!product) throw new NotFoundError(`Shopee item ${externalId} not found`, { marketplace: SHOPEE });
    return product;
  }

  async function getProducts(externalIds: readonly string[]): Promise<Product[]> {
    const issues: FieldIssue[] = [];
    externalIds.forEach((id, index) => {
      checkId(id, `externalIds.${index}`, issues);
    });
    if (issues.length > 0) throw invalid('product ids', issues);
    return loadProducts(externalIds);
  }

  async function findProductsBySku(sku: string): Promise<Product[]> {
    const wanted = sku.trim();
    if (wanted === '') throw invalid('SKU', [{ path: 'sku', message: 'required' }]);
    // Shopee has no documented SKU lookup: scan the catalogue (deleted items excluded).
    const found: Product[] = [];
    for await (const product of listProducts()) {
      if (product.sku === wanted || product.variants.some((variant) => variant.sku === wanted))
        found.push(product);
    }
    return found;
  }

  async function downloadImages(urls: readonly string[]): Promise<string[]> {
    const files: mediaApi.ShopeeImageFile[] = [];
    const issues: FieldIssue[] = [];
    for (const [index, url] of urls.entries()) {
      try {
        const response = await fetchImpl(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const what = 'downloading a product image';
        const limit = { limitBytes: DEFAULT_MAX_RESPONSE_BYTES, url, what, marketplace: SHOPEE };
        files.push({ data: await readResponseBytes(response, limit) });
      } catch (error) {
        issues.push({
          path: `images.${index}`,
          message: `could not be downloaded for upload to Shopee (${error instanceof Error ? error.message : String(error)})`,
        });
      }
    }
    if (issues.length > 0) throw invalid('product images', issues);
    const imageIds: string[] = [];
    for (let start = 0; start < files.length; start += SHOPEE_LIMITS.uploadImageFiles) {
      const part = files.slice(start, start + SHOPEE_LIMITS.uploadImageFiles);
      const results = await mediaApi.uploadImages(scope, part);
      results.forEach((result, offset) => {
        if (result.ok) imageIds.push(result.imageInfo.image_id);
        else issues.push({ path: `images.${start + offset}`, message: `${result.error}: ${result.message}` });
      });
    }
    if (issues.length > 0) throw invalid('product images', issues);
    return imageIds;
  }

  /** Fields of `marketplaceFields` that are passed to add_item/update_item as they are. */
  const ITEM_PASS_THROUGH = [
    'category_id',
    'weight',
    'logistic_info',
    'brand',
    'attribute_list',
    'dimension',
    'condition',
    'pre_order',
    'image',
    'wholesale',
    'gtin_code',
    'video_upload_id',
    'description_type',
    'description_info',
    'tax_info',
    'complaint_policy',
    'item_dangerous',
  ] as const;

  function passThrough(fields: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(fields).filter(
        ([key, value]) => value !== undefined && (ITEM_PASS_THROUGH as readonly string[]).includes(key),
      ),
    );
  }

  function tiersOf(product: Product) {
    const names = Object.keys(product.variants[0]?.attributes ?? {});
    const tiers = names.map((name) => ({
      name,
      options: [...new Set(product.variants.map((variant) => variant.attributes[name] as string))],
    }));
    return {
      tier_variation: tiers.map((tier) => ({
        name: tier.name,
        option_list: tier.options.map((option) => ({ option })),
      })),
      model: product.variants.map((variant) => ({
        tier_index: tiers.map((tier) => tier.options.indexOf(variant.attributes[tier.name] as string)),
        original_price: variant.price.amount,
        model_sku: variant.sku,
        seller_stock: [{ stock: variant.quantity }],
      })),
    };
  }

  async function createProduct(product: Product, createOptions: CreateProductOptions = {}): Promise<Product> {
    const fields = createOptions.marketplaceFields ?? {};
    const issues = [...validateProduct(product)].filter(
      (issue) => !(issue.path === 'images' && fields.image !== undefined),
    );
    for (const required of ['category_id', 'weight', 'logistic_info'] as const) {
      if (fields[required] === undefined) {
        issues.push({
          path: `marketplaceFields.${required}`,
          message: 'required by Shopee add_item (see get_category / get_channel_list)',
        });
      }
    }
    if (issues.length > 0) throw invalid('product for Shopee', issues);
    const value = ProductSchema.parse(product);
    const single = value.variants.length === 1;
    const body = {
      ...passThrough(fields),
      item_name: value.title,
      description: value.description,
      original_price: value.price.amount,
      item_sku: value.sku,
      ...(value.status === 'paused' ? { item_status: 'UNLIST' } : {}),
      ...(single ? { seller_stock: [{ stock: value.quantity }] } : {}),
    } as Record<string, unknown>;
    // Fail on a bad body before uploading anything.
    const imageIds = fields.image === undefined ? await downloadImages(value.images) : undefined;
    if (imageIds) body.image = { image_id_list: imageIds };
    const { item_id: itemId } = await productsApi.addItem(scope, body as ShopeeAddItemBody);
    if (!single) {
      try {
        await productsApi.initTierVariation(scope, { item_id: itemId, ...tiersOf(value) });
      } catch (error) {
        throw new MlhError(
          `Shopee created item ${itemId} but refused its variations; fix and retry with updateProduct, or delete it`,
          { marketplace: SHOPEE, code: 'partial_create', cause: error },
        );
      }
    }
    return getProduct(itemId);
  }

  /** An item created by add_item alone: its only "variant" is the item itself (model id 0). */
  function hasNoModels(item: Product): boolean {
    return item.variants.length === 1 && (item.variants[0]?.externalId ?? '0') === '0';
  }

  async function updateProduct(
    externalId: string,
    product: Product,
    updateOptions: CreateProductOptions = {},
  ): Promise<Product> {
    const fields = updateOptions.marketplaceFields ?? {};
    const issues = [...validateProduct(product)].filter((issue) => issue.path !== 'images');
    checkId(externalId, 'externalId', issues);
    if (issues.length > 0) throw invalid('product for Shopee', issues);
    const value = ProductSchema.parse(product);
    let current = await getProduct(externalId);
    if (value.variants.length > 1 && hasNoModels(current)) {
      // An item left without variations (add_item took effect, init_tier_variation did not, e.g. a
      // lost response or a stopped process): give it its models now, so a re-run converges.
      await productsApi.initTierVariation(scope, { item_id: externalId, ...tiersOf(value) });
      current = await getProduct(externalId);
    }
    // Match every variant to a model before writing anything: adding models to an item that
    // already has some is not modelled here.
    const prices: productsApi.ShopeePriceEntry[] = [];
    value.variants.forEach((variant, index) => {
      const model =
        current.variants.find(
          (candidate) => variant.externalId && candidate.externalId === variant.externalId,
        ) ??
        current.variants.find((candidate) => candidate.sku === variant.sku) ??
        (current.variants.length === 1 && value.variants.length === 1 ? current.variants[0] : undefined);
      if (!model) {
        issues.push({
          path: `variants.${index}`,
          message:
            'matches no model of the item (by externalId or sku); add models in Seller Center or with add_model',
        });
        return;
      }
      prices.push({ modelId: model.externalId ?? '0', originalPrice: variant.price.amount });
    });
    if (issues.length > 0) throw invalid('product for Shopee', issues);
    await productsApi.updateItem(scope, {
      ...passThrough(fields),
      item_id: externalId,
      item_name: value.title,
      description: value.description,
      item_sku: value.sku,
    } as ShopeeUpdateItemBody);
    const outcome = await productsApi.updatePrice(scope, externalId, prices);
    const failure = outcome.failure_list?.[0];
    if (failure) {
      throw refusal('update_price', externalId, failure.model_id ?? '0', failure.failed_reason);
    }
    return getProduct(externalId);
  }

  async function setProductStatus(externalId: string, status: SettableProductStatus): Promise<void> {
    const issues: FieldIssue[] = [];
    checkId(externalId, 'externalId', issues);
    if (status !== 'active' && status !== 'paused') {
      issues.push({
        path: 'status',
        message:
          'Shopee can list (active) or unlist (paused); deleting is irreversible: use products.deleteItem',
      });
    }
    if (issues.length > 0) throw invalid('status change', issues);
    const outcome = await productsApi.unlistItems(scope, [
      { itemId: externalId, unlist: status === 'paused' },
    ]);
    const failure = outcome.failure_list?.[0];
    if (failure) throw refusal('unlist_item', externalId, '0', failure.failed_reason);
  }

  /** Resolves each update's model id (by variant id, else by SKU through get_model_list). */
  async function resolveModels<
    T extends { productExternalId: string; variantExternalId?: string | undefined; sku?: string | undefined },
  >(itemId: string, updates: readonly T[], failed: BatchFailure<T>[]): Promise<ModelTarget<T>[]> {
    const needsLookup = updates.some((update) => !update.variantExternalId && update.sku);
    const models = needsLookup ? ((await productsApi.getModelList(scope, itemId)).model ?? []) : [];
    const targets: ModelTarget<T>[] = [];
    for (const update of updates) {
      if (update.variantExternalId) {
        targets.push({ update, modelId: update.variantExternalId });
        continue;
      }
      if (!update.sku || models.length === 0) {
        targets.push({ update, modelId: '0' });
        continue;
      }
      const model = models.find((candidate) => candidate.model_sku?.trim() === update.sku?.trim());
      if (model) targets.push({ update, modelId: model.model_id });
      else {
        failed.push({
          item: update,
          error: new NotFoundError(`Shopee item ${itemId} has no model with SKU ${update.sku}`, {
            marketplace: SHOPEE,
          }),
        });
      }
    }
    return targets;
  }

  async function runModelBatches<
    T extends { productExternalId: string; variantExternalId?: string | undefined; sku?: string | undefined },
  >(
    updates: readonly T[],
    operation: 'update_stock' | 'update_price',
    send: (
      itemId: string,
      targets: ModelTarget<T>[],
    ) => Promise<{
      failure_list?:
        | { model_id?: string | null | undefined; failed_reason?: string | null | undefined }[]
        | null
        | undefined;
    }>,
  ): Promise<BatchResult<T>> {
    const result: BatchResult<T> = { succeeded: [], failed: [] };
    for (const [itemId, group] of groupBy(updates, (update) => update.productExternalId)) {
      let targets: ModelTarget<T>[] = [];
      try {
        targets = await resolveModels(itemId, group, result.failed);
        if (targets.length === 0) continue;
        // One entry per model: the last update of a model wins, earlier ones share its outcome.
        const lastByModel = new Map<string, ModelTarget<T>>();
        for (const target of targets) lastByModel.set(target.modelId, target);
        const response = await send(itemId, [...lastByModel.values()]);
        const failures = response.failure_list ?? [];
        for (const target of targets) {
          const failure = failures.find((entry) => (entry.model_id ?? target.modelId) === target.modelId);
          if (failure) {
            result.failed.push({
              item: target.update,
              error: refusal(operation, itemId, target.modelId, failure.failed_reason),
            });
          } else {
            result.succeeded.push(target.update);
          }
        }
      } catch (error) {
        if (isFatal(error)) throw error;
        const pending = targets.length > 0 ? targets.map((target) => target.update) : group;
        for (const update of pending) {
          if (!result.failed.some((failure) => failure.item === update)) {
            result.failed.push({ item: update, error: error as MlhError });
          }
        }
      }
    }
    return result;
  }

  /**
   * Refuses a bad batch before anything is sent: each update's core shape, then Shopee's own
   * rules (numeric item and model ids, ...) on the fields the shape did not already refuse.
   */
  function checkUpdates<U extends StockUpdate | PriceUpdate>(
    updates: readonly U[],
    schema: typeof StockUpdateInput | typeof PriceUpdateInput,
    check: (update: U, path: string, issues: FieldIssue[]) => void = () => {},
  ): void {
    const issues: FieldIssue[] = [];
    updates.forEach((update, index) => {
      const path = String(index);
      const parsed = schema.safeParse(update);
      const shape = parsed.success ? [] : toFieldIssues(parsed.error.issues, path);
      const own: FieldIssue[] = [];
      checkId(update.productExternalId, `${path}.productExternalId`, own);
      if (update.variantExternalId !== undefined && !/^\d+$/.test(update.variantExternalId)) {
        own.push({ path: `${path}.variantExternalId`, message: 'must be a Shopee model id' });
      }
      check(update, path, own);
      const refused = (issue: FieldIssue) =>
        shape.some((bad) => issue.path === bad.path || issue.path.startsWith(`${bad.path}.`));
      issues.push(...shape, ...own.filter((issue) => !refused(issue)));
    });
    if (issues.length > 0) throw invalid('batch update', issues);
  }

  async function updateInventory(updates: readonly StockUpdate[]): Promise<BatchResult<StockUpdate>> {
    checkUpdates(updates, StockUpdateInput);
    return runModelBatches(updates, 'update_stock', (itemId, targets) =>
      productsApi.updateStock(
        scope,
        itemId,
        targets.map((target) => ({
          modelId: target.modelId,
          sellerStock: [{ stock: target.update.quantity }],
        })),
      ),
    );
  }

  async function updatePrices(updates: readonly PriceUpdate[]): Promise<BatchResult<PriceUpdate>> {
    checkUpdates(updates, PriceUpdateInput, (update, path, issues) => {
      const { price } = update;
      if (!price || !/^\d+(\.\d+)?$/.test(price.amount) || compareDecimal(price.amount, '0') <= 0) {
        issues.push({ path: `${path}.price.amount`, message: 'must be a decimal greater than 0' });
      }
      if (shopCurrency && price?.currency !== shopCurrency) {
        issues.push({ path: `${path}.price.currency`, message: `the shop sells in ${shopCurrency}` });
      }
    });
    return runModelBatches(updates, 'update_price', (itemId, targets) =>
      productsApi.updatePrice(
        scope,
        itemId,
        targets.map((target) => ({ modelId: target.modelId, originalPrice: target.update.price.amount })),
      ),
    );
  }

  // ------------------------------------------------------------------------------------------
  // Orders

  async function loadOrders(orderSns: readonly string[], signal?: AbortSignal): Promise<ShopeeOrder[]> {
    if (orderSns.length === 0) return [];
    return (await ordersApi.getOrderDetail(scoped(signal), orderSns)).orders;
  }

  async function* listOrders(listOptions: ListOrdersOptions = {}): AsyncGenerator<Order> {
    const untilMs = listOptions.until === undefined ? clock.now() : toEpochMs(listOptions.until, 'until');
    const sinceMs =
      listOptions.since === undefined ? untilMs - 15 * DAY_MS : toEpochMs(listOptions.since, 'since');
    if (sinceMs > untilMs)
      throw invalid('listOrders options', [{ path: 'since', message: 'must not be after until' }]);
    const from = Math.floor(sinceMs / 1000);
    const to = Math.ceil(untilMs / 1000);
    if (to <= from) return;
    const statuses = asArray(listOptions.status);
    const wanted = statuses ? new Set<OrderStatus>(statuses) : undefined;
    const pageSize = Math.min(
      Math.max(1, Math.floor(listOptions.pageSize ?? SHOPEE_LIMITS.orderListPageSize)),
      SHOPEE_LIMITS.orderListPageSize,
    );
    const pages = ordersApi.iterateOrderList(scoped(listOptions.signal), {
      timeRangeField: listOptions.by === 'created' ? 'create_time' : 'update_time',
      timeFrom: from,
      timeTo: to,
      pageSize,
      // The list's own status lets a status filter skip the detail call of orders it excludes.
      responseOptionalFields: wanted ? ['order_status'] : undefined,
    });
    for await (const page of pages) {
      const candidates = wanted
        ? page.filter((entry) => !entry.order_status || wanted.has(mapShopeeOrderStatus(entry.order_status)))
        : page;
      for (const raw of await loadOrders(
        candidates.map((entry) => entry.order_sn),
        listOptions.signal,
      )) {
        const order = mapShopeeOrder(raw, accountId);
        if (!wanted || wanted.has(order.status)) yield order;
      }
    }
  }

  function checkOrderSn(orderSn: string, path: string, issues: FieldIssue[]): void {
    if (typeof orderSn !== 'string' || !/^[A-Za-z0-9]+$/.test(orderSn)) {
      issues.push({ path, message: 'must be a Shopee order_sn' });
    }
  }

  async function getOrder(externalId: string): Promise<Order> {
    const issues: FieldIssue[] = [];
    checkOrderSn(externalId, 'externalId', issues);
    if (issues.length > 0) throw invalid('order id', issues);
    const [raw] = await loadOrders([externalId]);
    if (!raw) throw new NotFoundError(`Shopee order ${externalId} not found`, { marketplace: SHOPEE });
    return mapShopeeOrder(raw, accountId);
  }

  async function getOrders(externalIds: readonly string[]): Promise<Order[]> {
    const issues: FieldIssue[] = [];
    externalIds.forEach((id, index) => {
      checkOrderSn(id, `externalIds.${index}`, issues);
    });
    if (issues.length > 0) throw invalid('order ids', issues);
    return (await loadOrders(externalIds)).map((raw) => mapShopeeOrder(raw, accountId));
  }

  async function orderWithPackage(
    shipmentId: string,
  ): Promise<{ order: ShopeeOrder; pkg: ShopeePackage | undefined }> {
    const { orderSn, packageNumber } = parseShopeeShipmentId(shipmentId);
    const issues: FieldIssue[] = [];
    checkOrderSn(orderSn, 'shipmentId', issues);
    if (issues.length > 0) throw invalid('shipment id', issues);
    const [order] = await loadOrders([orderSn]);
    if (!order) throw new NotFoundError(`Shopee order ${orderSn} not found`, { marketplace: SHOPEE });
    const packages = order.package_list ?? [];
    const pkg = packageNumber
      ? packages.find((candidate) => candidate.package_number === packageNumber)
      : packages[0];
    if (packageNumber && !pkg) {
      throw new NotFoundError(`Shopee order ${orderSn} has no package ${packageNumber}`, {
        marketplace: SHOPEE,
      });
    }
    return { order, pkg };
  }

  async function readShipment(
    order: ShopeeOrder,
    pkg: ShopeePackage | undefined,
    mode: Shipment['mode'],
    knownTrackingNumber?: string,
  ): Promise<Shipment> {
    const ref = { orderSn: order.order_sn, ...(pkg ? { packageNumber: pkg.package_number } : {}) };
    const status = (pkg?.logistics_status ?? '').trim().toUpperCase();
    let trackingNumber = knownTrackingNumber;
    if (ARRANGED_STATUSES.has(status)) {
      const tracking = await logisticsApi.getTrackingNumber(scope, ref);
      trackingNumber = tracking.tracking_number?.trim() || trackingNumber;
    }
    const tracking = HANDED_OVER_STATUSES.has(status)
      ? await logisticsApi.getTrackingInfo(scope, ref)
      : undefined;
    return mapShopeePackage(pkg, { order, accountId, trackingNumber, tracking, mode });
  }

  async function getShipment(externalId: string): Promise<Shipment> {
    const { order, pkg } = await orderWithPackage(externalId);
    return readShipment(order, pkg, 'unknown');
  }

  function field(fields: Record<string, unknown>, ...names: string[]): string | undefined {
    for (const name of names) {
      const value = fields[name];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    }
    return undefined;
  }

  async function fulfillOrder(orderExternalId: string, input: FulfillmentInput): Promise<Shipment> {
    const issues: FieldIssue[] = [];
    checkOrderSn(orderExternalId, 'orderExternalId', issues);
    const target = input.shipmentId ? parseShopeeShipmentId(input.shipmentId) : { orderSn: orderExternalId };
    if (target.orderSn !== orderExternalId) {
      issues.push({
        path: 'shipmentId',
        message: `belongs to order ${target.orderSn}, not ${orderExternalId}`,
      });
    }
    if (input.method === 'seller' && !input.trackingNumber?.trim()) {
      issues.push({ path: 'trackingNumber', message: 'required to ship with your own carrier' });
    }
    if (issues.length > 0) throw invalid('fulfillment', issues);
    const fields = input.marketplaceFields ?? {};
    const { order, pkg } = await orderWithPackage(
      input.shipmentId ?? shopeeShipmentId(orderExternalId, undefined),
    );
    const ref = { orderSn: order.order_sn, ...(pkg ? { packageNumber: pkg.package_number } : {}) };
    const trackingNumber = input.trackingNumber?.trim() || undefined;

    let method: logisticsApi.ShopeeShipMethod;
    if (input.method === 'seller') {
      method = { nonIntegrated: { trackingNumber: trackingNumber as string } };
    } else {
      const parameters = await logisticsApi.getShippingParameter(scope, ref);
      const needed = parameters.info_needed ?? {};
      const available = (['pickup', 'dropoff', 'non_integrated'] as const).filter((key) =>
        Array.isArray(needed[key]),
      );
      const choice =
        input.method ??
        (trackingNumber && needed.non_integrated
          ? 'seller'
          : needed.pickup
            ? 'pickup'
            : needed.dropoff
              ? 'dropoff'
              : needed.non_integrated
                ? 'seller'
                : undefined);
      const key = choice === 'seller' ? 'non_integrated' : choice;
      if (!key || !needed[key]) {
        throw invalid('fulfillment', [
          {
            path: 'method',
            message: `${choice ?? 'no method'} is not available for order ${order.order_sn}; Shopee allows: ${available.join(', ') || 'none'}`,
          },
        ]);
      }
      const requires = new Set(needed[key] ?? []);
      const missing = (name: string, path: string) =>
        issues.push({ path, message: `Shopee needs ${name} for ${key}` });
      if (key === 'pickup') {
        const addresses = parameters.pickup?.address_list ?? [];
        const address =
          addresses.find((candidate) => candidate.address_id === field(fields, 'addressId', 'address_id')) ??
          addresses.find((candidate) => candidate.address_flag?.includes('pickup_address')) ??
          addresses.find((candidate) => candidate.address_flag?.includes('default_address')) ??
          addresses[0];
        const addressId = field(fields, 'addressId', 'address_id') ?? address?.address_id;
        const slots = address?.time_slot_list ?? [];
        const pickupTimeId =
          field(fields, 'pickupTimeId', 'pickup_time_id') ??
          (slots.find((slot) => slot.flags?.includes('recommended')) ?? slots[0])?.pickup_time_id;
        if (!addressId) missing('address_id', 'marketplaceFields.addressId');
        if (requires.has('pickup_time_id') && !pickupTimeId)
          missing('pickup_time_id', 'marketplaceFields.pickupTimeId');
        if (requires.has('tracking_number') && !trackingNumber) missing('tracking_number', 'trackingNumber');
        if (issues.length > 0) throw invalid('fulfillment', issues);
        method = {
          pickup: {
            addressId: addressId as string,
            ...(pickupTimeId ? { pickupTimeId } : {}),
            ...(trackingNumber && requires.has('tracking_number') ? { trackingNumber } : {}),
          },
        };
      } else if (key === 'dropoff') {
        const branchId = field(fields, 'branchId', 'branch_id');
        const senderRealName = field(fields, 'senderRealName', 'sender_real_name');
        const slug = field(fields, 'slug');
        if (requires.has('branch_id') && !branchId) missing('branch_id', 'marketplaceFields.branchId');
        if (requires.has('sender_real_name') && !senderRealName) {
          missing('sender_real_name', 'marketplaceFields.senderRealName');
        }
        if (requires.has('slug') && !slug) missing('slug', 'marketplaceFields.slug');
        if ((requires.has('tracking_no') || requires.has('tracking_number')) && !trackingNumber) {
          missing('tracking_no', 'trackingNumber');
        }
        if (issues.length > 0) throw invalid('fulfillment', issues);
        method = {
          dropoff: {
            ...(branchId ? { branchId } : {}),
            ...(senderRealName ? { senderRealName } : {}),
            ...(slug ? { slug } : {}),
            ...(trackingNumber && (requires.has('tracking_no') || requires.has('tracking_number'))
              ? { trackingNumber }
              : {}),
          },
        };
      } else {
        if (!trackingNumber) missing('tracking_no', 'trackingNumber');
        if (issues.length > 0) throw invalid('fulfillment', issues);
        method = { nonIntegrated: { trackingNumber: trackingNumber as string } };
      }
    }

    await logisticsApi.shipOrder(scope, { ...ref, ...method });
    const seller = 'nonIntegrated' in method;
    const after = await orderWithPackage(shopeeShipmentId(order.order_sn, pkg?.package_number));
    return readShipment(
      after.order,
      after.pkg ?? pkg,
      seller ? 'seller' : 'marketplace',
      seller ? trackingNumber : undefined,
    );
  }

  async function cancelOrder(orderExternalId: string, reason?: string): Promise<void> {
    const issues: FieldIssue[] = [];
    checkOrderSn(orderExternalId, 'orderExternalId', issues);
    const cancelReason = (reason ?? 'OUT_OF_STOCK')
      .trim()
      .toUpperCase()
      .replace(/[\s-]+/g, '_');
    if (!(ordersApi.SHOPEE_CANCEL_REASONS as readonly string[]).includes(cancelReason)) {
      issues.push({
        path: 'reason',
        message: `must be one of ${ordersApi.SHOPEE_CANCEL_REASONS.join(', ')} (default OUT_OF_STOCK)`,
      });
    }
    if (issues.length > 0) throw invalid('cancellation', issues);
    let itemList: { itemId: string; modelId: string }[] | undefined;
    if (cancelReason === 'OUT_OF_STOCK') {
      const [order] = await loadOrders([orderExternalId]);
      if (!order)
        throw new NotFoundError(`Shopee order ${orderExternalId} not found`, { marketplace: SHOPEE });
      itemList = (order.item_list ?? []).map((line) => ({
        itemId: line.item_id,
        modelId: line.model_id ?? '0',
      }));
    }
    await ordersApi.cancelOrder(scope, {
      orderSn: orderExternalId,
      cancelReason: cancelReason as ordersApi.ShopeeCancelReason,
      ...(itemList ? { itemList } : {}),
    });
  }

  function request<T = unknown>(raw: TransportRequest): Promise<TransportResponse<T>> {
    const path = raw.path.startsWith('/') ? raw.path : new URL(raw.path).pathname;
    return transport.request<T>({
      ...raw,
      accountId,
      ...(isShopeePublicPath(path) ? { auth: false } : {}),
    });
  }

  const client: ShopeeClient = {
    marketplace: SHOPEE,
    accountId,
    capabilities: SHOPEE_CAPABILITIES,
    products,
    media,
    orders,
    logistics,
    validateProduct,
    listProducts,
    getProduct,
    getProducts,
    findProductsBySku,
    createProduct,
    updateProduct,
    setProductStatus,
    updateInventory,
    updatePrices,
    listOrders,
    getOrder,
    getOrders,
    fulfillOrder,
    getShipment,
    cancelOrder,
    request,
  };
  return Object.freeze(client);
}

// ---------------------------------------------------------------------------------------------
// createShopee

/** Options of {@link createShopee}. */
export interface CreateShopeeOptions extends ShopeePassThroughOptions {
  /** `SHOPEE_PARTNER_ID`. */
  partnerId: number | string;
  /** `SHOPEE_PARTNER_KEY`, verbatim. */
  partnerKey: string;
  environment?: ShopeeEnvironment | undefined;
  region?: ShopeeRegion | undefined;
  baseUrl?: string | undefined;
  /** Where tokens live (wrap it in core `EncryptedTokenStore` in production). */
  tokenStore: TokenStore;
  /** Refresh this long before expiry. Default 5 minutes. */
  refreshMarginMs?: number | undefined;
  /** `SHOPEE_REDIRECT_URL`: the default redirect of authorization links. */
  redirectUrl?: string | undefined;
  /** The Console's Live Push Partner Key; pushes are verified with it and the partner key. */
  pushPartnerKey?: string | undefined;
  listEncoding?: ShopeeListEncoding | undefined;
  /** Shop currency, see {@link ShopeeClientOptions.currency}. */
  currency?: string | undefined;
}

/** What {@link createShopee} returns: one app's transport, tokens and per-shop clients. */
export interface Shopee {
  readonly transport: Transport;
  readonly tokens: TokenManager;
  /** A signed authorization link (valid 5 minutes). */
  authorizationUrl(options?: { redirectUrl?: string | undefined }): Promise<string>;
  /** A signed deauthorization link. */
  cancelAuthorizationUrl(options?: { redirectUrl?: string | undefined }): Promise<string>;
  /** Exchanges the redirect's code and saves one token set per shop/merchant granted. */
  exchangeCode(callback: ShopeeAuthorizationCallback): Promise<ShopeeTokenGrant>;
  /** The client of an account (a shop id, as stored by `exchangeCode`). */
  forAccount(accountId: string): ShopeeClient;
  /** The client of a shop. */
  forShop(shopId: string | number): ShopeeClient;
  /** A core `WebhookSource` verifying pushes with the push key and the partner key. */
  webhookSource(options: {
    callbackUrl: string;
    partnerKeys?: string | readonly string[] | undefined;
  }): WebhookSource;
}

/**
 * The entry most applications start from: one transport and one token manager for the app,
 * authorization helpers, and cheap immutable per-shop clients.
 *
 * @example
 * const shopee = createShopee({
 *   partnerId: Number(process.env.SHOPEE_PARTNER_ID),
 *   partnerKey: process.env.SHOPEE_PARTNER_KEY!,
 *   redirectUrl: process.env.SHOPEE_REDIRECT_URL,
 *   environment: 'sandbox',
 *   tokenStore: new MemoryTokenStore(),
 * });
 * const client = shopee.forShop(process.env.SHOPEE_SHOP_ID!);
 */
export function createShopee(options: CreateShopeeOptions): Shopee {
  const {
    tokenStore,
    refreshMarginMs,
    redirectUrl: defaultRedirect,
    pushPartnerKey,
    listEncoding,
    currency,
    ...transportOptions
  } = options;
  let manager: TokenManager | undefined;
  const transport = createShopeeTransport({
    ...transportOptions,
    tokens: {
      getAccessToken: (accountId, request) => (manager as TokenManager).getAccessToken(accountId, request),
    },
  });
  const tokens = createTokenManager({
    marketplace: SHOPEE,
    store: tokenStore,
    refresh: shopeeTokenRefresher({ transport, partnerId: options.partnerId, clock: options.clock }),
    ...(refreshMarginMs !== undefined ? { refreshMarginMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  manager = tokens;

  const link = (build: typeof buildShopeeAuthorizationUrl, redirectUrl: string | undefined) => {
    const target = redirectUrl ?? defaultRedirect;
    if (!target) {
      throw invalid('authorization link', [
        { path: 'redirectUrl', message: 'required (or set it in createShopee)' },
      ]);
    }
    return build({
      partnerId: options.partnerId,
      partnerKey: options.partnerKey,
      redirectUrl: target,
      environment: options.environment,
      region: options.region,
      baseUrl: options.baseUrl,
      now: (options.clock ?? systemClock).now(),
    });
  };

  const forAccount = (accountId: string): ShopeeClient =>
    createShopeeClient({
      transport,
      accountId,
      listEncoding,
      currency,
      clock: options.clock,
      fetch: options.fetch,
    });

  const shopee: Shopee = {
    transport,
    tokens,
    authorizationUrl: (linkOptions = {}) => link(buildShopeeAuthorizationUrl, linkOptions.redirectUrl),
    cancelAuthorizationUrl: (linkOptions = {}) =>
      link(buildShopeeCancelAuthorizationUrl, linkOptions.redirectUrl),
    async exchangeCode(callback) {
      const grant = await exchangeShopeeCode({
        transport,
        partnerId: options.partnerId,
        code: callback.code,
        shopId: callback.shopId,
        mainAccountId: callback.mainAccountId,
        clock: options.clock,
      });
      for (const tokenSet of grant.tokenSets) await tokens.saveTokenSet(tokenSet);
      return grant;
    },
    forAccount,
    forShop: (shopId) => forAccount(shopAccountId(shopId)),
    webhookSource: (sourceOptions) =>
      shopeeWebhookSource({
        callbackUrl: sourceOptions.callbackUrl,
        partnerKeys:
          sourceOptions.partnerKeys ??
          [pushPartnerKey, options.partnerKey].filter(
            (key): key is string => typeof key === 'string' && key !== '',
          ),
      }),
  };
  return Object.freeze(shopee);
}
