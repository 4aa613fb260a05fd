import {
  asArray,
  type CatalogCapability,
  type CreateProductOptions,
  compareDecimal,
  DEFAULT_MAX_RESPONSE_BYTES,
  type FieldIssue,
  type ListProductsOptions,
  MlhError,
  mapLimit,
  NotFoundError,
  type Product,
  Product as ProductSchema,
  ProductStatus,
  readResponseBytes,
  type SettableProductStatus,
  toFieldIssues,
} from '@mlh/core';
import type { ShopeeAddItemBody, ShopeeUpdateItemBody } from '../api/inputs';
import * as mediaApi from '../api/media';
import * as productsApi from '../api/products';
import {
  mapShopeeItem,
  mapShopeeItemStatus,
  SHOPEE_DEFAULT_ITEM_STATUSES,
  SHOPEE_ITEM_STATUS_FILTER,
  shopeePriceProblem,
} from '../mappers';
import type { ShopeeItem, ShopeeModelListResponse } from '../schemas';
import { SHOPEE, SHOPEE_LIMITS } from '../transport';
import { checkId, invalid, refusal, toEpochMs } from './checks';
import type { ShopeeAccountContext } from './context';

const MODEL_FETCH_CONCURRENCY = 4;

/** The catalogue calls of a Shopee client. */
export type ShopeeCatalog = CatalogCapability;

/**
 * A check `createProduct` runs on the `add_item` fields before any upload or write, unless the
 * caller passes `validateRequirements: false`; it throws a `ValidationError` naming what is missing.
 * The categories module brings one (the leaf category's requirements).
 */
export type ShopeeListingCheck = (
  ctx: ShopeeAccountContext,
  fields: Record<string, unknown>,
) => Promise<void>;

/** Reads and writes listings: items, their models, images and status. */
export function catalogCapability(
  ctx: ShopeeAccountContext,
  listingChecks: readonly ShopeeListingCheck[],
): ShopeeCatalog {
  const { scope, scoped, accountId, shopCurrency, inBrazil, learnMarket } = ctx;
  const fetchImpl = ctx.fetch;

  async function loadProducts(itemIds: readonly string[], signal?: AbortSignal): Promise<Product[]> {
    if (itemIds.length === 0) return [];
    const askedTaxInfo = inBrazil();
    let items = await productsApi.getItemBaseInfo(scoped(signal), itemIds, { needTaxInfo: askedTaxInfo });
    if (items.some((item) => item.price_info?.[0]?.currency === 'BRL')) learnMarket('BR');
    if (!askedTaxInfo && inBrazil()) {
      // Learnt only now that the shop is Brazilian: ask once more, with the fiscal data.
      items = await productsApi.getItemBaseInfo(scoped(signal), itemIds, { needTaxInfo: true });
    }
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
      const problem = shopeePriceProblem(variant.price);
      if (problem) {
        issues.push({ path: `variants.${index}.price.amount`, message: `${problem} (refused, not rounded)` });
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
    if (sku.trim() === '') throw invalid('SKU', [{ path: 'sku', message: 'required' }]);
    return findProductsBySkus([sku]);
  }

  async function findProductsBySkus(skus: readonly string[]): Promise<Product[]> {
    const wanted = new Set(skus.map((sku) => sku.trim()));
    if (wanted.size === 0 || wanted.has('')) {
      throw invalid('SKUs', [{ path: 'skus', message: 'each SKU is required' }]);
    }
    // Shopee has no documented SKU lookup: one scan of the catalogue (deleted items excluded)
    // answers every SKU asked.
    const found: Product[] = [];
    for await (const product of listProducts()) {
      if (
        wanted.has(product.sku) ||
        product.variants.some((variant) => variant.sku !== undefined && wanted.has(variant.sku))
      )
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
    if (createOptions.validateRequirements === true && listingChecks.length === 0) {
      throw invalid('createProduct options', [
        {
          path: 'validateRequirements',
          message: 'needs the categories module (shopeeCategories) to read the requirements',
        },
      ]);
    }
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
    if (createOptions.validateRequirements !== false) {
      for (const check of listingChecks) await check(ctx, fields);
    }
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
    const added = await productsApi.addItem(scope, body as ShopeeAddItemBody);
    const itemId = added.item_id;
    let tiers: Awaited<ReturnType<typeof productsApi.initTierVariation>> | undefined;
    if (!single) {
      try {
        tiers = await productsApi.initTierVariation(scope, { item_id: itemId, ...tiersOf(value) });
      } catch (error) {
        throw new MlhError(
          `Shopee created item ${itemId} but refused its variations; fix and retry with updateProduct, or delete it`,
          { marketplace: SHOPEE, code: 'partial_create', cause: error },
        );
      }
    }
    // The two write responses carry the item id, its status and every model id: the item is read
    // back only when one of them lacks something (a missing status or model id).
    return (
      createdFromResponses(value, added, tiers, accountId) ??
      getProduct(itemId).catch((error: unknown) => {
        throw new MlhError(
          `Shopee created item ${itemId} but it could not be read back; it exists: adopt it by its id or SKU`,
          { marketplace: SHOPEE, code: 'created_unread', cause: error },
        );
      })
    );
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
    // updateProduct keeps failing with the failed call's own error (its kind drives callers' handling).
    const outcome = await productsApi.updatePrice(scope, externalId, prices).catch((error: unknown) => {
      throw error instanceof productsApi.ShopeePartialUpdateError ? error.cause : error;
    });
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

  return {
    validateProduct,
    listProducts,
    getProduct,
    getProducts,
    findProductsBySku,
    findProductsBySkus,
    createProduct,
    updateProduct,
    setProductStatus,
  };
}

/**
 * The product as created, from what was sent and what `add_item` / `init_tier_variation` answered;
 * `undefined` when the answers lack the status or a model id (then the item must be read back).
 */
function createdFromResponses(
  sent: Product,
  added: { item_id: string; item_status?: string | null | undefined },
  tiers:
    | {
        model?:
          | readonly {
              model_id: string;
              model_sku?: string | null | undefined;
              tier_index?: readonly number[] | null | undefined;
            }[]
          | null
          | undefined;
      }
    | undefined,
  accountId: string,
): Product | undefined {
  const rawStatus = added.item_status?.trim();
  if (!rawStatus) return undefined;
  const status = mapShopeeItemStatus(rawStatus);
  if (status === 'unknown') return undefined;
  let variants: Product['variants'];
  if (tiers === undefined) {
    const [only] = sent.variants;
    if (!only || sent.variants.length !== 1) return undefined;
    variants = [{ ...only, externalId: '0' }];
  } else {
    const models = tiers.model ?? [];
    const matched = sent.variants.map((variant) => models.find((model) => model.model_sku === variant.sku));
    if (matched.some((model) => model === undefined) || new Set(matched).size !== matched.length)
      return undefined;
    variants = sent.variants.map((variant, index) => ({ ...variant, externalId: matched[index]?.model_id }));
  }
  return ProductSchema.parse({
    ...sent,
    externalId: added.item_id,
    marketplace: SHOPEE,
    accountId,
    status,
    rawStatus,
    variants,
    raw: tiers ? { addItem: added, initTierVariation: tiers } : { addItem: added },
  });
}
