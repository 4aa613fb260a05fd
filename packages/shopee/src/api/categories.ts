import { ValidationError } from '@mlh/core';
import {
  ShopeeAttributeTreeResponse,
  ShopeeBrandListResponse,
  type ShopeeCategory,
  ShopeeCategoryListResponse,
  ShopeeCategoryRecommendResponse,
  ShopeeItemLimitResponse,
} from '../schemas';
import { callShopee, SHOPEE, type ShopeeScope } from '../transport';

export type { ShopeeCategory };

/**
 * Category calls of the product module. All are Shop APIs: Shopee says category data differs by
 * market and seller type, so a tree is per shop (and per language).
 */

/** Options of {@link getCategories}. */
export interface GetCategoriesOptions {
  /** `en` (Shopee's default) or a market language; Brazil takes `pt-br` (lower case here). */
  language?: string | undefined;
}

/** `GET /api/v2/product/get_category`: the whole tree, flat (`parent_category_id` 0 for roots). */
export async function getCategories(
  scope: ShopeeScope,
  options: GetCategoriesOptions = {},
): Promise<ShopeeCategory[]> {
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/product/get_category',
      query: { language: options.language },
      accountId: scope.accountId,
      operation: 'product.get_category',
      signal: scope.signal,
    },
    ShopeeCategoryListResponse,
  );
  return response.category_list ?? [];
}

/** Input of {@link recommendCategory}. */
export interface RecommendCategoryInput {
  itemName: string;
  /** An `image_id` from `media_space/upload_image`; improves the guess. */
  productCoverImage?: string | undefined;
}

/** `GET /api/v2/product/category_recommend`: leaf category ids for a title, best first. */
export async function recommendCategory(
  scope: ShopeeScope,
  input: RecommendCategoryInput,
): Promise<string[]> {
  if (typeof input.itemName !== 'string' || input.itemName.trim() === '') {
    throw new ValidationError(
      'Invalid category_recommend input',
      [{ path: 'itemName', message: 'required' }],
      {
        marketplace: SHOPEE,
      },
    );
  }
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/product/category_recommend',
      query: {
        item_name: input.itemName,
        product_cover_image: input.productCoverImage || undefined,
      },
      accountId: scope.accountId,
      operation: 'product.category_recommend',
      signal: scope.signal,
    },
    ShopeeCategoryRecommendResponse,
  );
  return response.category_id ?? [];
}

/** Most leaves `get_attribute_tree` takes in one call. */
export const SHOPEE_ATTRIBUTE_TREE_MAX = 20;

/**
 * `GET /api/v2/product/get_attribute_tree`: the attributes of up to 20 leaves. The ids are sent
 * comma-joined as `category_id_list` (the reference's own sample spells `category_ids`; a working
 * integration sends `category_id_list`).
 */
export async function getAttributeTree(
  scope: ShopeeScope,
  categoryIds: readonly string[],
  options: GetCategoriesOptions = {},
): Promise<ShopeeAttributeTreeResponse> {
  const bad = categoryIds.length === 0 || categoryIds.length > SHOPEE_ATTRIBUTE_TREE_MAX;
  if (bad || categoryIds.some((id) => !/^\d+$/.test(id))) {
    throw new ValidationError(
      'Invalid get_attribute_tree input',
      [{ path: 'categoryIds', message: `1 to ${SHOPEE_ATTRIBUTE_TREE_MAX} numeric leaf ids` }],
      { marketplace: SHOPEE },
    );
  }
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/product/get_attribute_tree',
      query: { category_id_list: categoryIds.join(','), language: options.language },
      accountId: scope.accountId,
      operation: 'product.get_attribute_tree',
      signal: scope.signal,
    },
    ShopeeAttributeTreeResponse,
  );
  return response;
}

/** `GET /api/v2/product/get_item_limit` for one category: bounds, pre-order range, weight/dimension/GTIN rules. */
export async function getItemLimit(scope: ShopeeScope, categoryId: string): Promise<ShopeeItemLimitResponse> {
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/product/get_item_limit',
      query: { category_id: categoryId },
      accountId: scope.accountId,
      operation: 'product.get_item_limit',
      signal: scope.signal,
    },
    ShopeeItemLimitResponse,
  );
  return response;
}

/** Query of {@link getBrandList}. */
export interface BrandListQuery {
  categoryId: string;
  /** `1` Shopee's list (default), `2` your registrations under review. */
  status?: 1 | 2 | undefined;
  offset?: number | undefined;
  /** 1–100; default 100. */
  pageSize?: number | undefined;
  language?: string | undefined;
}

/** `GET /api/v2/product/get_brand_list`: one page of a leaf's brands, and whether a brand is mandatory. */
export async function getBrandList(
  scope: ShopeeScope,
  query: BrandListQuery,
): Promise<ShopeeBrandListResponse> {
  const pageSize = query.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new ValidationError('Invalid get_brand_list query', [{ path: 'pageSize', message: '1 to 100' }], {
      marketplace: SHOPEE,
    });
  }
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/product/get_brand_list',
      query: {
        category_id: query.categoryId,
        status: query.status ?? 1,
        offset: query.offset ?? 0,
        page_size: pageSize,
        language: query.language,
      },
      accountId: scope.accountId,
      operation: 'product.get_brand_list',
      signal: scope.signal,
    },
    ShopeeBrandListResponse,
  );
  return response;
}

/** Every brand of a leaf, page by page, stopping on a repeated offset. */
export async function* iterateBrands(
  scope: ShopeeScope,
  query: Omit<BrandListQuery, 'offset'>,
): AsyncGenerator<NonNullable<ShopeeBrandListResponse['brand_list']>[number]> {
  let offset = 0;
  const seen = new Set<number>();
  while (!seen.has(offset)) {
    seen.add(offset);
    const page = await getBrandList(scope, { ...query, offset });
    yield* page.brand_list ?? [];
    if (!page.has_next_page || typeof page.next_offset !== 'number') return;
    offset = page.next_offset;
  }
}
