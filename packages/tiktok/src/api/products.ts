import { MlhError, parseOrThrow, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { TIKTOK } from '../mappers';
import {
  TikTokBatchData,
  type TikTokItemError,
  type TikTokProduct,
  TikTokProductInput,
  TikTokProduct as TikTokProductSchema,
  TikTokProductSearchData,
  TikTokProductWriteData,
  TikTokUploadedImage,
} from '../schemas';
import { callTikTok, mapTikTokError, type TikTokCallContext } from '../transport';

/** Largest `page_size` of product search. */
export const TIKTOK_PRODUCT_PAGE_SIZE_MAX = 100;

/** Filters of product search (body of `POST /product/{v}/products/search`). Times are Unix seconds. */
export interface TikTokProductSearchFilter {
  /** `ALL`, `DRAFT`, `PENDING`, `FAILED`, `ACTIVATE`, `SELLER_DEACTIVATED`, `PLATFORM_DEACTIVATED`, `FREEZE`, `DELETED`. */
  status?: string;
  seller_skus?: string[];
  create_time_ge?: number;
  /** Products use `_le` (inclusive), unlike orders' `_lt`. */
  create_time_le?: number;
  update_time_ge?: number;
  update_time_le?: number;
  category_version?: string;
  listing_platforms?: string[];
  [field: string]: unknown;
}

/** One page of products. */
export interface TikTokProductPage {
  products: TikTokProduct[];
  /** Empty or absent on the last page. */
  nextPageToken: string | undefined;
  totalCount: number | undefined;
}

/** Options of {@link searchProducts}. */
export interface TikTokProductSearchOptions {
  /** 1–100, default 100. */
  pageSize?: number | undefined;
  pageToken?: string | undefined;
  filter?: TikTokProductSearchFilter;
  /** Endpoint version in the path; `202309` by default (`202312` and `202502` exist). */
  version?: string;
}

function pageSizeOf(size: number | undefined, max: number): number {
  if (size === undefined) return max;
  if (!Number.isInteger(size) || size < 1) {
    throw new ValidationError('Invalid page size', [{ path: 'pageSize', message: `must be 1–${max}` }], {
      marketplace: TIKTOK,
    });
  }
  return Math.min(size, max);
}

/** Searches products, one page: `POST /product/202309/products/search`. */
export async function searchProducts(
  context: TikTokCallContext,
  options: TikTokProductSearchOptions = {},
): Promise<TikTokProductPage> {
  const { data } = await callTikTok(
    context,
    {
      method: 'POST',
      path: `/product/${options.version ?? '202309'}/products/search`,
      query: {
        page_size: pageSizeOf(options.pageSize, TIKTOK_PRODUCT_PAGE_SIZE_MAX),
        page_token: options.pageToken || undefined,
      },
      body: { json: options.filter ?? {} },
      idempotent: true,
      rateGroup: 'read',
      operation: 'product.search',
    },
    TikTokProductSearchData,
    'product.search',
  );
  return {
    products: data.products,
    nextPageToken: data.next_page_token || undefined,
    totalCount: data.total_count,
  };
}

/** One product in full: `GET /product/202309/products/{product_id}`. */
export async function getProduct(
  context: TikTokCallContext,
  productId: string,
  options: { returnUnderReviewVersion?: boolean } = {},
): Promise<TikTokProduct> {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: `/product/202309/products/${encodeURIComponent(productId)}`,
      query:
        options.returnUnderReviewVersion === undefined
          ? undefined
          : { return_under_review_version: String(options.returnUnderReviewVersion) },
      operation: 'product.get',
    },
    TikTokProductSchema,
    'product.get',
  );
  return data;
}

/** Create / edit outcome: the ids TikTok gave and the fields it silently cleared (`warnings`). */
export type TikTokProductWriteResult = z.infer<typeof TikTokProductWriteData> & {
  requestId: string | undefined;
};

/**
 * Creates a product: `POST /product/202309/products`. The body is validated first (title,
 * HTML description ≤ 10 000 chars, leaf category, 1–9 uploaded images, SKUs with price, stock per
 * warehouse, package weight). Never retried once it may have reached TikTok.
 */
export async function createProduct(
  context: TikTokCallContext,
  input: TikTokProductInput,
): Promise<TikTokProductWriteResult> {
  const body = parseOrThrow(TikTokProductInput, input, 'TikTok product', { marketplace: TIKTOK });
  const { data, requestId } = await callTikTok(
    context,
    { method: 'POST', path: '/product/202309/products', body: { json: body }, operation: 'product.create' },
    TikTokProductWriteData,
    'product.create',
  );
  return { ...data, requestId };
}

/**
 * Replaces a product: `PUT /product/202309/products/{id}`, same body as create. Give existing SKUs
 * their `id`, or TikTok replaces them with new ones. A live product is audited again.
 */
export async function editProduct(
  context: TikTokCallContext,
  productId: string,
  input: TikTokProductInput,
): Promise<TikTokProductWriteResult> {
  const body = parseOrThrow(TikTokProductInput, input, 'TikTok product', { marketplace: TIKTOK });
  const { data, requestId } = await callTikTok(
    context,
    {
      method: 'PUT',
      path: `/product/202309/products/${encodeURIComponent(productId)}`,
      body: { json: body },
      operation: 'product.edit',
    },
    TikTokProductWriteData,
    'product.edit',
  );
  return { ...data, requestId };
}

/** Changes only the given fields: `POST /product/202309/products/{id}/partial_edit`. */
export async function partialEditProduct(
  context: TikTokCallContext,
  productId: string,
  fields: Record<string, unknown>,
): Promise<TikTokProductWriteResult> {
  const { data, requestId } = await callTikTok(
    context,
    {
      method: 'POST',
      path: `/product/202309/products/${encodeURIComponent(productId)}/partial_edit`,
      body: { json: fields },
      operation: 'product.partial_edit',
    },
    TikTokProductWriteData,
    'product.partial_edit',
  );
  return { ...data, requestId };
}

/** The per-item failures of a batch call (`data.errors[]`), reported even when `code` is 0. */
export interface TikTokBatchResponse {
  errors: TikTokItemError[];
  requestId: string | undefined;
}

async function batchCall(
  context: TikTokCallContext,
  method: 'POST' | 'DELETE',
  path: string,
  body: unknown,
  operation: string,
): Promise<TikTokBatchResponse> {
  const { data, requestId } = await callTikTok(
    context,
    // Each of these sets an absolute state, so repeating one is harmless.
    { method, path, body: { json: body }, idempotent: true, operation },
    TikTokBatchData,
    operation,
  );
  return { errors: data?.errors ?? [], requestId };
}

/** Body of the inventory update: absolute quantities per SKU and warehouse. */
export const TikTokInventoryUpdateBody = /* @__PURE__ */ (() =>
  z.object({
    skus: z
      .array(
        z.object({
          id: z.string().check(z.minLength(1)),
          inventory: z
            .array(
              z.object({
                warehouse_id: z.string().check(z.minLength(1)),
                quantity: z.number().check(z.int(), z.nonnegative()),
              }),
            )
            .check(z.minLength(1)),
        }),
      )
      .check(z.minLength(1)),
  }))();

/** Sets absolute stock per SKU and warehouse: `POST /product/202309/products/{id}/inventory/update`. */
export function updateInventory(
  context: TikTokCallContext,
  productId: string,
  body: z.input<typeof TikTokInventoryUpdateBody>,
): Promise<TikTokBatchResponse> {
  const valid = parseOrThrow(TikTokInventoryUpdateBody, body, 'TikTok inventory update', {
    marketplace: TIKTOK,
  });
  return batchCall(
    context,
    'POST',
    `/product/202309/products/${encodeURIComponent(productId)}/inventory/update`,
    valid,
    'product.inventory_update',
  );
}

/** Body of the price update: decimal-string prices per SKU. */
export const TikTokPriceUpdateBody = /* @__PURE__ */ (() =>
  z.object({
    skus: z
      .array(
        z.object({
          id: z.string().check(z.minLength(1)),
          price: z.object({
            amount: z.string().check(z.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string')),
            currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
          }),
        }),
      )
      .check(z.minLength(1)),
  }))();

/** Sets SKU prices (decimal strings, sent as given): `POST /product/202309/products/{id}/prices/update`. */
export function updatePrices(
  context: TikTokCallContext,
  productId: string,
  body: z.input<typeof TikTokPriceUpdateBody>,
): Promise<TikTokBatchResponse> {
  const valid = parseOrThrow(TikTokPriceUpdateBody, body, 'TikTok price update', { marketplace: TIKTOK });
  return batchCall(
    context,
    'POST',
    `/product/202309/products/${encodeURIComponent(productId)}/prices/update`,
    valid,
    'product.price_update',
  );
}

const ProductIds = /* @__PURE__ */ (() => z.array(z.string().check(z.minLength(1))).check(z.minLength(1)))();

function productIdsBody(productIds: readonly string[]): { product_ids: string[] } {
  return { product_ids: parseOrThrow(ProductIds, [...productIds], 'product ids', { marketplace: TIKTOK }) };
}

/** Puts products on sale (they go to `PENDING` for audit): `POST /product/202309/products/activate`. */
export function activateProducts(context: TikTokCallContext, productIds: readonly string[]) {
  return batchCall(
    context,
    'POST',
    '/product/202309/products/activate',
    productIdsBody(productIds),
    'product.activate',
  );
}

/** Takes products off sale: `POST /product/202309/products/deactivate`. */
export function deactivateProducts(context: TikTokCallContext, productIds: readonly string[]) {
  return batchCall(
    context,
    'POST',
    '/product/202309/products/deactivate',
    productIdsBody(productIds),
    'product.deactivate',
  );
}

/** Deletes products (recoverable): `DELETE /product/202309/products` with a JSON body. */
export function deleteProducts(context: TikTokCallContext, productIds: readonly string[]) {
  return batchCall(
    context,
    'DELETE',
    '/product/202309/products',
    productIdsBody(productIds),
    'product.delete',
  );
}

/** Recovers deleted products: `POST /product/202309/products/recover`. */
export function recoverProducts(context: TikTokCallContext, productIds: readonly string[]) {
  return batchCall(
    context,
    'POST',
    '/product/202309/products/recover',
    productIdsBody(productIds),
    'product.recover',
  );
}

/** What an uploaded image is for. */
export type TikTokImageUseCase =
  | 'MAIN_IMAGE'
  | 'ATTRIBUTE_IMAGE'
  | 'DESCRIPTION_IMAGE'
  | 'CERTIFICATION_IMAGE';

/**
 * Uploads an image: `POST /product/202309/images/upload`, multipart (`data`, `use_case`). Signed
 * over path and query only, without `shop_cipher`. Returns the `uri` products refer to.
 */
export async function uploadProductImage(
  context: TikTokCallContext,
  input: { image: Blob; useCase: TikTokImageUseCase; fileName?: string },
) {
  const form = new FormData();
  form.append('data', input.image, input.fileName ?? 'image');
  form.append('use_case', input.useCase);
  const { data } = await callTikTok(
    { ...context, shopCipher: undefined },
    {
      method: 'POST',
      path: '/product/202309/images/upload',
      body: { multipart: form },
      operation: 'product.image_upload',
    },
    TikTokUploadedImage,
    'product.image_upload',
  );
  return data;
}

/** A per-item failure of a batch call as a core error (classified like a whole-call failure). */
export function tiktokItemError(
  item: TikTokItemError,
  requestId: string | undefined,
  operation: string,
): MlhError {
  const code = item.code === undefined ? Number.NaN : Number(item.code);
  const mapped = Number.isFinite(code)
    ? mapTikTokError({
        marketplace: TIKTOK,
        status: 200,
        headers: new Headers(),
        text: '',
        json: { code, message: item.message, request_id: requestId },
        requestId,
        retryAfterMs: undefined,
        operation,
      })
    : undefined;
  return (
    mapped ??
    new MlhError(`TikTok Shop ${operation}: ${item.message ?? 'item failed'}`, {
      marketplace: TIKTOK,
      code: item.code === undefined ? undefined : String(item.code),
      requestId,
    })
  );
}

/** The id an item error is about (`detail.product_id`, `sku_id`, `package_id`, `id`), when it says. */
export function itemErrorSubject(item: TikTokItemError, key: string): string | undefined {
  const value = item.detail?.[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
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
