import {
  buildCategoryTree,
  type Category,
  type CategoryReadOptions,
  type CategorySuggestion,
  type CategoryTree,
  type MarketplaceClient,
  NotFoundError,
  type SuggestCategoriesOptions,
  ValidationError,
} from '@mlh/core';
import * as categoriesApi from '../api/categories';
import type { MeliCategory, MeliCategoryRef, MeliDomainGuess } from '../schemas';
import type { MeliAccountContext } from './context';

const nameOf = (ref: MeliCategoryRef) => ref.name ?? ref.id;

/** Only an enabled leaf with `listing_allowed` takes items; `undefined` when the settings do not say. */
function listableOf(category: MeliCategory, isLeaf: boolean): boolean | undefined {
  if (!isLeaf) return false;
  const settings = category.settings;
  if (!settings) return undefined;
  if (settings.listing_allowed === false) return false;
  if (settings.status && settings.status !== 'enabled') return false;
  return settings.listing_allowed === true ? true : undefined;
}

/** `GET /categories/{id}` as a core category: its path, children and whether it takes items. */
export function toMeliCategory(category: MeliCategory): Category {
  const path = category.path_from_root.map((ref) => ({ id: ref.id, name: nameOf(ref) }));
  if (path.at(-1)?.id !== category.id) path.push({ id: category.id, name: category.name ?? category.id });
  const isLeaf = category.children_categories.length === 0;
  const status = category.settings?.status;
  return {
    marketplace: 'meli',
    id: category.id,
    name: category.name ?? category.id,
    parentId: path.at(-2)?.id,
    path,
    children: category.children_categories.map((ref) => ({ id: ref.id, name: nameOf(ref) })),
    isLeaf,
    listable: listableOf(category, isLeaf),
    restrictions: status && status !== 'enabled' ? [status] : [],
    raw: category,
  };
}

/** The site dump as a core tree: each category's parent is the one before it in its path. */
export function toMeliCategoryTree(categories: readonly MeliCategory[], fetchedAt: number): CategoryTree {
  return buildCategoryTree(
    'meli',
    categories.map((category) => {
      const mapped = toMeliCategory(category);
      return {
        id: mapped.id,
        name: mapped.name,
        parentId: mapped.parentId,
        isLeaf: mapped.isLeaf,
        listable: mapped.listable,
        restrictions: mapped.restrictions,
        raw: category,
      };
    }),
    fetchedAt,
  );
}

function toSuggestion(guess: MeliDomainGuess, category: Category | undefined): CategorySuggestion {
  return {
    marketplace: 'meli',
    categoryId: guess.category_id,
    name: guess.category_name ?? category?.name,
    path: category?.path ?? [],
    isLeaf: category?.isLeaf,
    listable: category?.listable,
    attributes: guess.attributes.map((attribute) => ({
      id: attribute.id,
      name: attribute.name ?? undefined,
      valueId:
        attribute.value_id === null || attribute.value_id === undefined
          ? undefined
          : String(attribute.value_id),
      valueName: attribute.value_name ?? undefined,
    })),
    raw: guess,
  };
}

/**
 * Category predictor, one category and the site's tree. Suggestions re-read each guessed category
 * (through the cache) so they carry its path and whether it takes items.
 */
export function categoriesCapability(
  ctx: MeliAccountContext,
): Required<Pick<MarketplaceClient, 'suggestCategories' | 'getCategoryTree' | 'getCategory'>> {
  async function site(): Promise<string> {
    const id = await ctx.siteId();
    if (!id) {
      throw new ValidationError('The seller site is unknown', [
        { path: 'siteId', message: 'pass siteId to createMeliClient' },
      ]);
    }
    return id;
  }

  function getCategory(categoryId: string, options: CategoryReadOptions = {}): Promise<Category> {
    return ctx.cache.read(
      'category',
      ['meli', categoryId],
      async () => toMeliCategory((await categoriesApi.getCategory(ctx.context, categoryId)).data),
      { refresh: options.refresh },
    );
  }

  async function getCategoryTree(options: CategoryReadOptions = {}): Promise<CategoryTree> {
    const siteId = await site();
    return ctx.cache.read(
      'categoryTree',
      ['meli', siteId],
      async () =>
        toMeliCategoryTree((await categoriesApi.getCategoryDump(ctx.context, siteId)).data, ctx.clock.now()),
      { refresh: options.refresh },
    );
  }

  async function suggestCategories(
    title: string,
    options: SuggestCategoriesOptions = {},
  ): Promise<CategorySuggestion[]> {
    const siteId = await site();
    const limit = options.limit === undefined ? undefined : Math.min(Math.max(1, options.limit), 8);
    const guesses = await ctx.cache.read(
      'categorySuggestions',
      ['meli', siteId, title, String(limit ?? '')],
      async () => (await categoriesApi.discoverDomains(ctx.context, siteId, { q: title, limit })).data,
    );
    return Promise.all(
      guesses.map(async (guess) => {
        const category = await getCategory(guess.category_id).catch((error: unknown) => {
          // A guess whose category cannot be read is still a guess: shown without path.
          if (error instanceof NotFoundError) return undefined;
          throw error;
        });
        return toSuggestion(guess, category);
      }),
    );
  }

  return { suggestCategories, getCategoryTree, getCategory };
}

/** Mercado Livre's category calls bound to one account (uncached). */
export interface MeliCategoriesApi {
  discoverDomains(
    siteId: string,
    query: categoriesApi.DomainDiscoveryQuery,
  ): ReturnType<typeof categoriesApi.discoverDomains>;
  getSiteCategories(siteId: string): ReturnType<typeof categoriesApi.getSiteCategories>;
  get(categoryId: string): ReturnType<typeof categoriesApi.getCategory>;
  getDump(siteId: string): ReturnType<typeof categoriesApi.getCategoryDump>;
}

/** Binds the category calls to one account. */
export function bindCategoriesApi(ctx: MeliAccountContext): MeliCategoriesApi {
  const { context } = ctx;
  return Object.freeze({
    discoverDomains: (siteId: string, query: categoriesApi.DomainDiscoveryQuery) =>
      categoriesApi.discoverDomains(context, siteId, query),
    getSiteCategories: (siteId: string) => categoriesApi.getSiteCategories(context, siteId),
    get: (categoryId: string) => categoriesApi.getCategory(context, categoryId),
    getDump: (siteId: string) => categoriesApi.getCategoryDump(context, siteId),
  });
}
