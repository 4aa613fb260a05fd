import { ValidationError } from '@mlh/core';
import { type ShopeeCategory, ShopeeCategoryListResponse, ShopeeCategoryRecommendResponse } from '../schemas';
import { callShopee, SHOPEE, type ShopeeScope } from '../transport';

export type { ShopeeCategory };

/**
 * Category calls of the product module. Both are Shop APIs: Shopee says category data differs by
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
