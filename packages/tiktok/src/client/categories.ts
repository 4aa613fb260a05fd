import {
  buildCategoryTree,
  type Category,
  type CategoryAttribute,
  type CategoryReadOptions,
  type CategoryRequirements,
  type CategorySuggestion,
  type CategoryTree,
  categoryOfTree,
  type ListingAttributeValues,
  type ListingForRequirements,
  type SuggestCategoriesOptions,
  ValidationError,
  validateAgainstRequirements,
} from '@mlh/core';
import * as categoriesApi from '../api/categories';
import { TIKTOK } from '../mappers';
import type {
  TikTokCategory,
  TikTokCategoryAttribute,
  TikTokCategoryRecommendation,
  TikTokCategoryRules,
  TikTokProductInput,
} from '../schemas';
import type { TikTokAccountContext } from './context';
import { tiktokModule } from './module';

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

type Conditions = TikTokCategoryAttribute['requirement_conditions'];

const toConditions = (conditions: Conditions) =>
  (conditions ?? []).map((condition) => ({
    attributeId: condition.attribute_id,
    valueId: condition.attribute_value_id,
  }));

/** One Get Attributes entry in the core shape; `is_requried` (TikTok's spelling) read before `is_required`. */
export function toTikTokAttribute(attribute: TikTokCategoryAttribute): CategoryAttribute {
  const conditions = toConditions(attribute.requirement_conditions);
  const values = (attribute.values ?? []).map((value) => ({ id: value.id, name: value.name ?? value.id }));
  return {
    id: attribute.id,
    name: attribute.name ?? attribute.id,
    type:
      attribute.value_data_format === 'POSITIVE_INT_OR_DECIMAL'
        ? 'number'
        : values.length > 0
          ? 'list'
          : attribute.is_customizable === false
            ? 'unknown'
            : 'text',
    required: (attribute.is_requried ?? attribute.is_required ?? false) === true,
    conditional: conditions.length > 0,
    conditions,
    variation: attribute.type === 'SALES_PROPERTY',
    multiple: attribute.is_multiple_selection === true,
    customValues: attribute.is_customizable === true,
    values,
    units: [],
    raw: attribute,
  };
}

/** Get Attributes and Get Category Rules of a leaf as the core requirements. */
export function toTikTokRequirements(
  categoryId: string,
  attributes: readonly TikTokCategoryAttribute[],
  rules: TikTokCategoryRules,
): CategoryRequirements {
  return {
    marketplace: TIKTOK,
    categoryId,
    attributes: attributes.map(toTikTokAttribute),
    // Brand is optional on create; an unauthorized non-T1 brand is accepted but not shown.
    brand: { required: false, noBrand: undefined },
    certifications: (rules.product_certifications ?? []).map((certification) => ({
      id: certification.id,
      name: certification.name ?? certification.id,
      required: certification.is_required === true,
      conditions: toConditions(certification.requirement_conditions),
      raw: certification,
    })),
    // Absent blocks mean "no requirement" (reference §2.3).
    packageDimensions: { required: rules.package_dimension?.is_required === true },
    weight: { required: true },
    preOrder: {
      allowed: rules.allowed_special_product_types
        ? rules.allowed_special_product_types.includes('PRE_ORDER')
        : false,
    },
    conditions: undefined,
    sizeChart: {
      supported: rules.size_chart ? rules.size_chart.is_supported === true : false,
      required: rules.size_chart?.is_required === true,
    },
    raw: { attributes, rules },
  };
}

/** Category tree and suggestions of one shop, the tree read through the client's cache. */
const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/**
 * The create body's fields checked against a leaf's requirements: `product_attributes` (a value
 * by `id`, or a custom one by `name`) and `package_dimensions`. The brand is optional on TikTok.
 */
export function tiktokListingForRequirements(body: Record<string, unknown>): ListingForRequirements {
  const attributes: Record<string, ListingAttributeValues> = {};
  const list = Array.isArray(body.product_attributes) ? body.product_attributes : [];
  list.forEach((entry: unknown, index) => {
    const item = (entry ?? {}) as { id?: unknown; values?: unknown };
    const id = idOf(item.id);
    if (id === undefined) return;
    const values = (Array.isArray(item.values) ? item.values : []) as { id?: unknown; name?: unknown }[];
    const valueIds: string[] = [];
    const valueNames: string[] = [];
    for (const value of values) {
      const valueId = idOf(value?.id);
      if (valueId !== undefined && valueId !== '') valueIds.push(valueId);
      else if (typeof value?.name === 'string') valueNames.push(value.name);
    }
    attributes[id] = { path: `marketplaceFields.product_attributes.${index}`, valueIds, valueNames };
  });
  return {
    attributes,
    attributesPath: 'marketplaceFields.product_attributes',
    packageDimensions: {
      path: 'marketplaceFields.package_dimensions',
      given: body.package_dimensions !== undefined && body.package_dimensions !== null,
    },
  };
}

/** The category reads of one shop, through the cache. */
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
    return categoryOfTree(await getCategoryTree(options), String(categoryId), TIKTOK);
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

  function getCategoryRequirements(
    categoryId: string,
    options: CategoryReadOptions = {},
  ): Promise<CategoryRequirements> {
    const call = { ...ctx.call, signal: options.signal };
    const query = { locale: options.locale, categoryVersion: version };
    return ctx.cache.read(
      'categoryRequirements',
      [TIKTOK, ctx.accountId, categoryId, options.locale ?? '', version ?? ''],
      async () => {
        const [attributes, rules] = await Promise.all([
          categoriesApi.getCategoryAttributes(call, categoryId, query),
          categoriesApi.getCategoryRules(call, categoryId, query),
        ]);
        return toTikTokRequirements(categoryId, attributes, rules);
      },
      { refresh: options.refresh },
    );
  }

  return { suggestCategories, getCategoryTree, getCategory, getCategoryRequirements };
}

/** TikTok's category calls bound to one shop (uncached). */
export interface TikTokCategoriesApi {
  getCategories(query?: categoriesApi.GetCategoriesQuery): Promise<TikTokCategory[]>;
  recommendCategory(input: categoriesApi.RecommendCategoryInput): Promise<TikTokCategoryRecommendation>;
  getAttributes(
    categoryId: string,
    query?: categoriesApi.CategoryDetailQuery,
  ): Promise<TikTokCategoryAttribute[]>;
  getRules(categoryId: string, query?: categoriesApi.CategoryDetailQuery): Promise<TikTokCategoryRules>;
  /** Every brand, paged; `isTikTokBrandUsable` says which can go on a product. */
  iterateBrands(query?: categoriesApi.BrandsQuery): ReturnType<typeof categoriesApi.iterateBrands>;
}

/** Binds the category calls to one shop. */
export function bindCategoriesApi(ctx: TikTokAccountContext): TikTokCategoriesApi {
  return Object.freeze({
    getCategories: (query?: categoriesApi.GetCategoriesQuery) => categoriesApi.getCategories(ctx.call, query),
    recommendCategory: (input: categoriesApi.RecommendCategoryInput) =>
      categoriesApi.recommendCategory(ctx.call, input),
    getAttributes: (categoryId: string, query?: categoriesApi.CategoryDetailQuery) =>
      categoriesApi.getCategoryAttributes(ctx.call, categoryId, query),
    getRules: (categoryId: string, query?: categoriesApi.CategoryDetailQuery) =>
      categoriesApi.getCategoryRules(ctx.call, categoryId, query),
    iterateBrands: (query?: categoriesApi.BrandsQuery) => categoriesApi.iterateBrands(ctx.call, query),
  });
}

/**
 * The leaf's requirements (one cached read, 24 h by default) against the body, before any upload
 * or write. A draft (`AS_DRAFT`) is left alone: TikTok takes it incomplete.
 */
export async function checkTikTokListingRequirements(
  ctx: TikTokAccountContext,
  body: TikTokProductInput,
): Promise<void> {
  const record = body as Record<string, unknown>;
  const categoryId = idOf(record.category_id);
  if (categoryId === undefined || record.save_mode === 'AS_DRAFT') return;
  const requirements = await categories(ctx).getCategoryRequirements(categoryId);
  const issues = validateAgainstRequirements(tiktokListingForRequirements(record), requirements);
  if (issues.length > 0) {
    throw new ValidationError(`Invalid product for TikTok Shop category ${categoryId}`, issues, {
      marketplace: TIKTOK,
    });
  }
}

/**
 * The category module: `suggestCategories`, `getCategoryTree`, `getCategory`,
 * `getCategoryRequirements` (read through the client's cache) and the uncached `categories` calls;
 * with it, `createProduct` checks the leaf category's requirements before any write.
 *
 * @example
 * import { createTikTokShop } from '@mlh/tiktok/lean';
 * import { tiktokCategories } from '@mlh/tiktok/categories';
 * const client = createTikTokShop({ ...options, capabilities: [tiktokCategories] }).forAccount(shopId);
 * const [best] = await client.suggestCategories('Camiseta algodão');
 */
export const tiktokCategories = /* @__PURE__ */ tiktokModule({
  name: 'categories',
  capabilities: { categories: { suggestions: true, tree: true, requirements: true } },
  build: (ctx): { readonly categories: TikTokCategoriesApi } & ReturnType<typeof categories> => ({
    categories: bindCategoriesApi(ctx),
    ...categories(ctx),
  }),
  listingCheck: checkTikTokListingRequirements,
});
