import {
  buildCategoryTree,
  type Category,
  type CategoryReadOptions,
  type CategorySuggestion,
  type CategoryTree,
  findCategory,
  type MarketplaceClient,
  NotFoundError,
  type SuggestCategoriesOptions,
  ValidationError,
} from '@mlh/core';
import * as categoriesApi from '../api/categories';
import { SHOPEE } from '../transport';
import type { ShopeeAccountContext } from './context';

/** Shopee's `get_category` language for a locale: lower case (`pt-BR` → `pt-br`). */
function languageOf(ctx: ShopeeAccountContext, locale: string | undefined): string {
  return (locale ?? (ctx.inBrazil() ? 'pt-br' : 'en')).toLowerCase();
}

/** A Shopee category list as the core tree (only leaves take items; every leaf is listable). */
export function toShopeeCategoryTree(
  list: readonly categoriesApi.ShopeeCategory[],
  fetchedAt: number,
): CategoryTree {
  return buildCategoryTree(
    SHOPEE,
    list.map((category) => ({
      id: category.category_id,
      name: category.display_category_name || category.original_category_name || category.category_id,
      parentId: category.parent_category_id ?? undefined,
      isLeaf: typeof category.has_children === 'boolean' ? !category.has_children : undefined,
      listable: typeof category.has_children === 'boolean' ? !category.has_children : undefined,
      raw: category,
    })),
    fetchedAt,
  );
}

/** Category tree and suggestions of one shop, the tree read through the client's cache. */
export function categoriesCapability(
  ctx: ShopeeAccountContext,
): Required<Pick<MarketplaceClient, 'suggestCategories' | 'getCategoryTree' | 'getCategory'>> {
  const getCategoryTree = (options: CategoryReadOptions = {}): Promise<CategoryTree> => {
    const language = languageOf(ctx, options.locale);
    return ctx.cache.read(
      'categoryTree',
      [SHOPEE, ctx.accountId, language],
      async () =>
        toShopeeCategoryTree(
          await categoriesApi.getCategories(ctx.scoped(options.signal), { language }),
          ctx.clock.now(),
        ),
      { refresh: options.refresh },
    );
  };

  async function getCategory(categoryId: string, options: CategoryReadOptions = {}): Promise<Category> {
    const category = findCategory(await getCategoryTree(options), String(categoryId));
    if (category === undefined) {
      throw new NotFoundError(`Shopee category ${categoryId} is not in this shop's tree`, {
        marketplace: SHOPEE,
      });
    }
    return category;
  }

  async function suggestCategories(
    title: string,
    options: SuggestCategoriesOptions = {},
  ): Promise<CategorySuggestion[]> {
    if (typeof title !== 'string' || title.trim() === '') {
      throw new ValidationError('Invalid category suggestion', [{ path: 'title', message: 'required' }], {
        marketplace: SHOPEE,
      });
    }
    const cover = options.images?.[0];
    const ids = await ctx.cache.read('categorySuggestions', [SHOPEE, ctx.accountId, title, cover ?? ''], () =>
      categoriesApi.recommendCategory(ctx.scoped(options.signal), {
        itemName: title,
        productCoverImage: cover,
      }),
    );
    const limited = options.limit === undefined ? ids : ids.slice(0, Math.max(1, options.limit));
    const tree = limited.length > 0 ? await getCategoryTree({ signal: options.signal }) : undefined;
    return limited.map((id): CategorySuggestion => {
      const category = tree && findCategory(tree, id);
      return {
        marketplace: SHOPEE,
        categoryId: id,
        name: category?.name,
        path: category?.path ?? [],
        isLeaf: category?.isLeaf,
        listable: category?.listable,
        attributes: [],
        raw: { category_id: id },
      };
    });
  }

  return { suggestCategories, getCategoryTree, getCategory };
}

/** The category calls of the product module, bound to one shop (no cache: each call asks Shopee). */
export interface ShopeeCategoriesApi {
  getCategories(options?: categoriesApi.GetCategoriesOptions): Promise<categoriesApi.ShopeeCategory[]>;
  recommendCategory(input: categoriesApi.RecommendCategoryInput): Promise<string[]>;
}

/** Binds the category calls to one shop. */
export function bindCategoriesApi(ctx: ShopeeAccountContext): ShopeeCategoriesApi {
  return Object.freeze({
    getCategories: (options?: categoriesApi.GetCategoriesOptions) =>
      categoriesApi.getCategories(ctx.scope, options),
    recommendCategory: (input: categoriesApi.RecommendCategoryInput) =>
      categoriesApi.recommendCategory(ctx.scope, input),
  });
}
