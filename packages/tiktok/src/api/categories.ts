import { ValidationError } from '@mlh/core';
import { TIKTOK } from '../mappers';
import {
  TikTokCategoryRecommendation as RecommendationSchema,
  type TikTokBrand,
  TikTokBrandsData,
  TikTokCategoriesData,
  type TikTokCategory,
  type TikTokCategoryAttribute,
  TikTokCategoryAttributesData,
  type TikTokCategoryRecommendation,
  type TikTokCategoryRules,
  TikTokCategoryRules as TikTokCategoryRulesSchema,
} from '../schemas';
import { callTikTok, type TikTokCallContext } from '../transport';
import { tiktokPages } from './paging';

/** Query of {@link getCategories}. */
export interface GetCategoriesQuery {
  /** BCP-47 (`pt-BR`, `en-US`); default the shop's locale. */
  locale?: string | undefined;
  /** Filters on `local_name`. */
  keyword?: string | undefined;
  /** `v1` (3 levels, default; Brazil) or `v2` (7 levels; US shops must send it). */
  categoryVersion?: 'v1' | 'v2' | undefined;
  /** `TIKTOK_SHOP` (default) or `TOKOPEDIA`. */
  listingPlatform?: string | undefined;
  /** Also list categories that can never be listed (BR, MX, EU, SEA). */
  includeProhibitedCategories?: boolean | undefined;
}

/** `GET /product/202309/categories`: the whole tree, flat (`parent_id` `"0"` for roots). */
export async function getCategories(
  context: TikTokCallContext,
  query: GetCategoriesQuery = {},
): Promise<TikTokCategory[]> {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: '/product/202309/categories',
      query: {
        locale: query.locale,
        keyword: query.keyword,
        category_version: query.categoryVersion,
        listing_platform: query.listingPlatform,
        include_prohibited_categories: query.includeProhibitedCategories,
      },
      operation: 'product.categories',
    },
    TikTokCategoriesData,
    'product.categories',
  );
  return data.categories ?? [];
}

/** Body of {@link recommendCategory}. */
export interface RecommendCategoryInput {
  /** 1–300 characters in Brazil and Mexico (25–255 in some markets). */
  productTitle: string;
  /** HTML description. */
  description?: string | undefined;
  /** URIs of images uploaded to TikTok. */
  imageUris?: readonly string[] | undefined;
  categoryVersion?: 'v1' | 'v2' | undefined;
  includeProhibitedCategories?: boolean | undefined;
  listingPlatform?: string | undefined;
}

/**
 * `POST /product/202309/categories/recommend`: one leaf and its chain. A suggestion only: it can
 * be `INVITE_ONLY` or plainly wrong, so check `permission_statuses` and let a person confirm.
 */
export async function recommendCategory(
  context: TikTokCallContext,
  input: RecommendCategoryInput,
): Promise<TikTokCategoryRecommendation> {
  const title = typeof input.productTitle === 'string' ? input.productTitle : '';
  if (title.trim() === '' || title.length > 300) {
    throw new ValidationError(
      'Invalid category recommendation input',
      [{ path: 'productTitle', message: 'required, at most 300 characters' }],
      { marketplace: TIKTOK },
    );
  }
  const { data } = await callTikTok(
    context,
    {
      method: 'POST',
      path: '/product/202309/categories/recommend',
      body: {
        json: {
          product_title: title,
          ...(input.description === undefined ? {} : { description: input.description }),
          ...(input.imageUris?.length ? { images: input.imageUris.map((uri) => ({ uri })) } : {}),
          ...(input.categoryVersion === undefined ? {} : { category_version: input.categoryVersion }),
          ...(input.includeProhibitedCategories === undefined
            ? {}
            : { include_prohibited_categories: input.includeProhibitedCategories }),
          ...(input.listingPlatform === undefined ? {} : { listing_platform: input.listingPlatform }),
        },
      },
      operation: 'product.categories.recommend',
    },
    RecommendationSchema,
    'product.categories.recommend',
  );
  return data;
}

/** Query of {@link getCategoryAttributes} and {@link getCategoryRules}. */
export interface CategoryDetailQuery {
  locale?: string | undefined;
  categoryVersion?: 'v1' | 'v2' | undefined;
}

/** `GET /product/202309/categories/{id}/attributes`: product and sales (variant) attributes of a leaf. */
export async function getCategoryAttributes(
  context: TikTokCallContext,
  categoryId: string,
  query: CategoryDetailQuery = {},
): Promise<TikTokCategoryAttribute[]> {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: `/product/202309/categories/${encodeURIComponent(checkCategoryId(categoryId))}/attributes`,
      query: { locale: query.locale, category_version: query.categoryVersion },
      operation: 'product.categories.attributes',
    },
    TikTokCategoryAttributesData,
    'product.categories.attributes',
  );
  return data.attributes ?? [];
}

/** `GET /product/202309/categories/{id}/rules`: certifications, size chart, package dimensions... */
export async function getCategoryRules(
  context: TikTokCallContext,
  categoryId: string,
  query: CategoryDetailQuery = {},
): Promise<TikTokCategoryRules> {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: `/product/202309/categories/${encodeURIComponent(checkCategoryId(categoryId))}/rules`,
      query: { locale: query.locale, category_version: query.categoryVersion },
      operation: 'product.categories.rules',
    },
    TikTokCategoryRulesSchema,
    'product.categories.rules',
  );
  return data;
}

function checkCategoryId(categoryId: string): string {
  if (typeof categoryId !== 'string' || !/^\d+$/.test(categoryId)) {
    throw new ValidationError('Invalid category id', [{ path: 'categoryId', message: 'digits' }], {
      marketplace: TIKTOK,
    });
  }
  return categoryId;
}

/** Query of {@link iterateBrands}. */
export interface BrandsQuery {
  /** Recommended: only then is `brand_status` meaningful. */
  categoryId?: string | undefined;
  /** Prefix match. */
  brandName?: string | undefined;
  /** Only brands this shop is authorized for. */
  authorizedOnly?: boolean | undefined;
  categoryVersion?: 'v1' | 'v2' | undefined;
  /** 1–100; default 100. */
  pageSize?: number | undefined;
}

/**
 * Every brand of Get Brands (`GET /product/202309/brands`), page by page (`page_size` is required
 * by TikTok, 1–100), stopping on a repeated page token.
 */
export async function* iterateBrands(
  context: TikTokCallContext,
  query: BrandsQuery = {},
): AsyncGenerator<TikTokBrand> {
  const pageSize = query.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new ValidationError('Invalid brands query', [{ path: 'pageSize', message: '1 to 100' }], {
      marketplace: TIKTOK,
    });
  }
  const pages = tiktokPages(
    async (pageToken) => {
      const { data } = await callTikTok(
        context,
        {
          method: 'GET',
          path: '/product/202309/brands',
          query: {
            page_size: pageSize,
            page_token: pageToken,
            category_id: query.categoryId,
            brand_name: query.brandName,
            is_authorized: query.authorizedOnly === undefined ? undefined : query.authorizedOnly ? 1 : 0,
            category_version: query.categoryVersion,
          },
          operation: 'product.brands',
        },
        TikTokBrandsData,
        'product.brands',
      );
      return { brands: data.brands ?? [], nextPageToken: data.next_page_token ?? undefined };
    },
    'brands',
    context.signal,
  );
  for await (const page of pages) yield* page.brands;
}

/** Whether a brand can go on a new product: authorized and available, or unauthorized and not T1. */
export function isTikTokBrandUsable(brand: TikTokBrand): boolean {
  const status = (brand.authorized_status ?? '').toUpperCase();
  if (status === 'AUTHORIZED')
    return (
      brand.brand_status === undefined || brand.brand_status === null || brand.brand_status === 'AVAILABLE'
    );
  const unauthorized = status === 'UNAUTHORIEZD' || status === 'UNAUTHORIZED';
  return unauthorized && brand.is_t1_brand !== true;
}
