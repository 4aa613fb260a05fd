import {
  buildCategoryTree,
  type Category,
  type CategoryReadOptions,
  type CategorySuggestion,
  type CategoryTree,
  findCategory,
  NotFoundError,
  type SuggestCategoriesOptions,
} from '@mlh/core';
import * as categoriesApi from '../api/categories';
import { TIKTOK } from '../mappers';
import type { TikTokCategory, TikTokCategoryRecommendation } from '../schemas';
import type { TikTokAccountContext } from './context';

/** A leaf TikTok lets this shop list in: `AVAILABLE` among its permission statuses. */
function listableOf(isLeaf: boolean | null | undefined, statuses: readonly string[] | null | undefined) {
  if (isLeaf === false) return false;
  // Absent statuses say nothing: unknown rather than a guess either way.
  return statuses ? statuses.includes('AVAILABLE') : undefined;
}

/** Get Categories as the core tree; `restrictions` keeps every status other than `AVAILABLE`. */
export function toTikTokCategoryTree(list: readonly TikTokCategory[], fetchedAt: number): CategoryTree {
  return buildCategoryTree(
    TIKTOK,
    list.map((category) => ({
      id: category.id,
      name: category.local_name || category.id,
      parentId: category.parent_id ?? undefined,
      isLeaf: category.is_leaf ?? undefined,
      listable: listableOf(category.is_leaf, category.permission_statuses),
      restrictions: (category.permission_statuses ?? []).filter((status) => status !== 'AVAILABLE'),
      raw: category,
    })),
    fetchedAt,
  );
}

/** Recommend Category as a core suggestion (one leaf, its chain as the path); none when TikTok gives no leaf. */
export function toTikTokSuggestions(recommendation: TikTokCategoryRecommendation): CategorySuggestion[] {
  const chain = recommendation.categories ?? [];
  const leafId =
    recommendation.leaf_category_id ?? chain.find((step) => step.is_leaf)?.id ?? chain.at(-1)?.id;
  if (!leafId) return [];
  const leaf = chain.find((step) => step.id === leafId);
  return [
    {
      marketplace: TIKTOK,
      categoryId: leafId,
      name: leaf?.name ?? undefined,
      path: chain.map((step) => ({ id: step.id, name: step.name ?? step.id })),
      isLeaf: leaf?.is_leaf ?? true,
      listable: listableOf(leaf?.is_leaf ?? true, leaf?.permission_statuses),
      attributes: [],
      raw: recommendation,
    },
  ];
}

/** Category tree and suggestions of one shop, the tree read through the client's cache. */
export function categories(ctx: TikTokAccountContext) {
  const version = ctx.categoryVersion;

  function getCategoryTree(options: CategoryReadOptions = {}): Promise<CategoryTree> {
    return ctx.cache.read(
      'categoryTree',
      [TIKTOK, ctx.accountId, options.locale ?? '', version ?? ''],
      async () =>
        toTikTokCategoryTree(
          await categoriesApi.getCategories(
            { ...ctx.call, signal: options.signal },
            { locale: options.locale, categoryVersion: version },
          ),
          ctx.clock.now(),
        ),
      { refresh: options.refresh },
    );
  }

  async function getCategory(categoryId: string, options: CategoryReadOptions = {}): Promise<Category> {
    const category = findCategory(await getCategoryTree(options), String(categoryId));
    if (category === undefined) {
      throw new NotFoundError(`TikTok category ${categoryId} is not in this shop's tree`, {
        marketplace: TIKTOK,
      });
    }
    return category;
  }

  async function suggestCategories(
    title: string,
    options: SuggestCategoriesOptions = {},
  ): Promise<CategorySuggestion[]> {
    const recommendation = await categoriesApi.recommendCategory(
      { ...ctx.call, signal: options.signal },
      {
        productTitle: title,
        description: options.description,
        imageUris: options.images,
        categoryVersion: version,
      },
    );
    return toTikTokSuggestions(recommendation);
  }

  return { suggestCategories, getCategoryTree, getCategory };
}

/** TikTok's category calls bound to one shop (uncached). */
export interface TikTokCategoriesApi {
  getCategories(query?: categoriesApi.GetCategoriesQuery): Promise<TikTokCategory[]>;
  recommendCategory(input: categoriesApi.RecommendCategoryInput): Promise<TikTokCategoryRecommendation>;
}

/** Binds the category calls to one shop. */
export function bindCategoriesApi(ctx: TikTokAccountContext): TikTokCategoriesApi {
  return Object.freeze({
    getCategories: (query?: categoriesApi.GetCategoriesQuery) => categoriesApi.getCategories(ctx.call, query),
    recommendCategory: (input: categoriesApi.RecommendCategoryInput) =>
      categoriesApi.recommendCategory(ctx.call, input),
  });
}
