import {
  asArray,
  type CatalogCapability,
  type CreateProductOptions,
  chunk,
  DEFAULT_MAX_RESPONSE_BYTES,
  type FieldIssue,
  isMlhError,
  type ListProductsOptions,
  MlhError,
  type Money,
  mapLimit,
  moneyInCurrencyScale,
  normalizeProduct,
  type Product,
  parseOrThrow,
  readResponseBytes,
  ValidationError,
} from '@mlh/core';
import { tiktokPages } from '../api/paging';
import * as productsApi from '../api/products';
import {
  mapTikTokProductStatus,
  TIKTOK,
  TIKTOK_PRODUCT_STATUSES_BY_CORE,
  tiktokProductRawStatus,
  toCoreProduct,
  toTikTokProductInput,
  toUnixSeconds,
} from '../mappers';
import { TikTokProductInput } from '../schemas';
import type { TikTokAccountContext } from './context';
import { priceAmountIssues } from './inventory';

/**
 * SKUs named in one product search. TikTok documents `seller_skus` as a list without a maximum;
 * a page holds at most 100 products, so a group larger than that would only add pages.
 */
const TIKTOK_SKU_SEARCH_GROUP = 100;

/** `listProducts` options, plus whether to fetch each product's detail (search gives summaries). */
export interface TikTokListProductsOptions extends ListProductsOptions {
  /** Fetch every product's detail (description, images, category): one more call per product. Default false. */
  detail?: boolean;
}

/** The listing calls of a TikTok shop's client. */
export type TikTokCatalogCapability = Omit<CatalogCapability, 'listProducts'> & {
  listProducts(options?: TikTokListProductsOptions): AsyncIterable<Product>;
};

/**
 * What TikTok requires of a product before anything is sent: a leaf category, a description of
 * at most 10 000 characters, at most 9 images, sales attributes on every SKU of a multi-SKU
 * product, and prices above 0 that fit their currency's decimals.
 */
export function validateTikTokProduct(input: Product): readonly FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!input.categoryId) issues.push({ path: 'categoryId', message: 'TikTok needs a leaf category id' });
  if (!input.description?.trim()) issues.push({ path: 'description', message: 'TikTok needs a description' });
  else if (input.description.length > 10_000) {
    issues.push({ path: 'description', message: 'at most 10000 characters on TikTok' });
  }
  if ((input.images ?? []).length > 9) issues.push({ path: 'images', message: 'at most 9 images on TikTok' });
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
    issues.push(...priceAmountIssues(variant.price, `variants.${index}.price.amount`));
  });
  return issues;
}

/**
 * A check `createProduct` runs on the product body before any upload or write, unless the caller
 * passes `validateRequirements: false`; it throws a `ValidationError` naming what is missing. The
 * categories module brings one (the leaf category's requirements).
 */
export type TikTokListingCheck = (ctx: TikTokAccountContext, body: TikTokProductInput) => Promise<void>;

/** Listings: search, detail, find by SKU, create and edit (images uploaded first), status. */
export function catalog(
  ctx: TikTokAccountContext,
  listingChecks: readonly TikTokListingCheck[],
): TikTokCatalogCapability {
  const { call: context, accountId, currency, concurrency, download, warehouseId } = ctx;

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

  /** The modules' listing checks (the categories module's requirements), before any upload or write. */
  async function checkRequirements(body: TikTokProductInput): Promise<void> {
    for (const check of listingChecks) await check(ctx, body);
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
      const bytes = await readResponseBytes(response, {
        limitBytes: DEFAULT_MAX_RESPONSE_BYTES,
        url,
        what: 'downloading a product image',
        marketplace: TIKTOK,
      });
      const image = new Blob([bytes], { type: response.headers.get('content-type') ?? '' });
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
    checkBody?: (body: TikTokProductInput) => Promise<void>,
  ): Promise<TikTokProductInput> {
    const normalized = normalizeProduct(input);
    const issues = validateTikTokProduct(normalized);
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
    const checked = parseOrThrow(
      TikTokProductInput,
      draft((url) => url),
      'TikTok product',
      { marketplace: TIKTOK },
    );
    await checkBody?.(checked);
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
    rawStatus: string | undefined,
  ): Product {
    const normalized = normalizeProduct(input);
    const skuIds = new Map(
      result.skus.filter((s) => s.seller_sku).map((s) => [s.seller_sku as string, s.id]),
    );
    const inScale = (price: Money) => moneyInCurrencyScale(price.amount, price.currency);
    return {
      ...normalized,
      externalId: productId,
      marketplace: TIKTOK,
      accountId,
      price: inScale(normalized.price),
      status: mapTikTokProductStatus(rawStatus),
      rawStatus,
      variants: normalized.variants.map((v) => {
        const id = (v.sku === undefined ? undefined : skuIds.get(v.sku)) ?? v.externalId;
        const variant = { ...v, price: inScale(v.price) };
        return id ? { ...variant, externalId: id } : variant;
      }),
      raw: result,
    };
  }

  const capability: TikTokCatalogCapability = {
    validateProduct: validateTikTokProduct,

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

    async findProductsBySkus(skus) {
      const wanted = [...new Set(skus.map((sku) => sku.trim()))];
      const blank = wanted.indexOf('');
      if (blank >= 0 || wanted.length === 0) {
        throw new ValidationError('Invalid SKUs', [{ path: 'skus', message: 'each SKU is required' }], {
          marketplace: TIKTOK,
        });
      }
      const asked = new Set(wanted);
      const ids = new Set<string>();
      // One search names many SKUs; how many `seller_skus` one search takes is not documented,
      // so they go in groups no larger than a page.
      for (const group of chunk(wanted, TIKTOK_SKU_SEARCH_GROUP)) {
        const pages = tiktokPages(
          (pageToken) => productsApi.searchProducts(context, { pageToken, filter: { seller_skus: group } }),
          'product search by SKU',
        );
        for await (const page of pages) {
          for (const raw of page.products) {
            if (raw.skus.some((candidate) => asked.has(candidate.seller_sku?.trim() ?? ''))) ids.add(raw.id);
          }
        }
      }
      const found = await productsByIds([...ids]);
      return found.filter(
        (candidate) =>
          asked.has(candidate.sku) || candidate.variants.some((v) => v.sku !== undefined && asked.has(v.sku)),
      );
    },

    async createProduct(input, createOptions) {
      if (createOptions?.validateRequirements === true && listingChecks.length === 0) {
        throw new ValidationError(
          'Invalid createProduct options',
          [
            {
              path: 'validateRequirements',
              message: 'needs the categories module (tiktokCategories) to read the requirements',
            },
          ],
          { marketplace: TIKTOK },
        );
      }
      const body = await productBody(
        input,
        createOptions,
        undefined,
        createOptions?.validateRequirements === false ? undefined : checkRequirements,
      );
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
      const before = tiktokProductRawStatus(current);
      // An edit sends a product back to audit; a live one stays on sale meanwhile.
      const after = before === undefined ? undefined : before === 'ACTIVATE' ? 'ACTIVATE' : 'PENDING';
      return written(input, result, externalId, after);
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
        throw new productsApi.TikTokBatchError(
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
  };
  return capability;
}
