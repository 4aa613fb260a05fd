import {
  buildCategoryTree,
  type Category,
  type CategoryAttribute,
  type CategoryAttributeType,
  type CategoryReadOptions,
  type CategoryRequirements,
  type CategorySuggestion,
  type CategoryTree,
  categoryOfTree,
  findCategory,
  type ListingAttributeValues,
  type ListingForRequirements,
  type MarketplaceClient,
  type SuggestCategoriesOptions,
  ValidationError,
  validateAgainstRequirements,
} from '@mlh/core';
import * as categoriesApi from '../api/categories';
import type {
  ShopeeAttributeNode,
  ShopeeAttributeTreeResponse,
  ShopeeBrandListResponse,
  ShopeeItemLimitResponse,
} from '../schemas';
import { SHOPEE } from '../transport';
import { invalid } from './checks';
import type { ShopeeAccountContext } from './context';
import { shopeeModule } from './module';

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

function typeOf(node: ShopeeAttributeNode): CategoryAttributeType {
  const info = node.attribute_info ?? {};
  if (info.format_type === 2) return 'numberWithUnit';
  if (info.input_type === 1 || info.input_type === 2 || info.input_type === 4 || info.input_type === 5)
    return 'list';
  if (info.input_validation_type === 1 || info.input_validation_type === 3) return 'number';
  if (info.input_validation_type === 4) return 'date';
  return info.input_type === 3 ? 'text' : 'unknown';
}

/**
 * The attribute tree flattened: a child attribute (shown when a value of its parent is chosen)
 * comes after its parent, `conditional`, required only under that value when it is mandatory.
 */
export function toShopeeAttributes(
  nodes: readonly ShopeeAttributeNode[],
  parent?: { attributeId: string; valueId: string },
): CategoryAttribute[] {
  const attributes: CategoryAttribute[] = [];
  for (const node of nodes) {
    const info = node.attribute_info ?? {};
    const mandatory = (node.mandatory ?? node.is_mandatory ?? false) === true;
    const values = node.attribute_value_list ?? [];
    attributes.push({
      id: node.attribute_id,
      name: node.name ?? node.attribute_id,
      type: typeOf(node),
      required: parent === undefined && mandatory,
      conditional: parent !== undefined,
      conditions: parent !== undefined && mandatory ? [parent] : [],
      // Shopee's variations are tiers named by the seller, not attributes.
      variation: false,
      multiple: info.input_type === 4 || info.input_type === 5 || (info.max_value_count ?? 1) > 1,
      customValues: info.input_type === 2 || info.input_type === 3 || info.input_type === 5,
      values: values.map((value) => ({ id: value.value_id, name: value.name ?? value.value_id })),
      units: [...(info.attribute_unit_list ?? [])],
      raw: node,
    });
    for (const value of values) {
      if (value.child_attribute_list?.length) {
        attributes.push(
          ...toShopeeAttributes(value.child_attribute_list, {
            attributeId: node.attribute_id,
            valueId: value.value_id,
          }),
        );
      }
    }
  }
  return attributes;
}

/** `get_attribute_tree`, `get_item_limit` and `get_brand_list` of one leaf as the core requirements. */
export function toShopeeRequirements(
  categoryId: string,
  tree: ShopeeAttributeTreeResponse,
  limits: ShopeeItemLimitResponse,
  brands: ShopeeBrandListResponse,
): CategoryRequirements {
  const entry = (tree.list ?? []).find((item) => item.category_id === categoryId) ?? tree.list?.[0];
  const days = limits.dts_limit?.days_to_ship_limit;
  // −1/−1 means the category takes no pre-order.
  const preOrderAllowed =
    typeof days?.min_limit === 'number' && typeof days.max_limit === 'number'
      ? !(days.min_limit < 0 && days.max_limit < 0)
      : undefined;
  const sizeChart = limits.size_chart_limit;
  return {
    marketplace: SHOPEE,
    categoryId,
    attributes: toShopeeAttributes(entry?.attribute_tree ?? []),
    brand: {
      required: typeof brands.is_mandatory === 'boolean' ? brands.is_mandatory : undefined,
      noBrand: { id: '0', name: 'NoBrand' },
    },
    certifications: [],
    packageDimensions: { required: limits.dimension_limit?.dimension_mandatory ?? undefined },
    // add_item's schema requires a weight on every item.
    weight: { required: limits.weight_limit?.weight_mandatory ?? true },
    preOrder: {
      allowed: preOrderAllowed,
      ...(preOrderAllowed
        ? { minDays: days?.min_limit ?? undefined, maxDays: days?.max_limit ?? undefined }
        : {}),
    },
    conditions: ['NEW', 'USED'],
    sizeChart: {
      supported: sizeChart
        ? sizeChart.support_image_size_chart === true || sizeChart.support_template_size_chart === true
        : undefined,
      required: sizeChart?.size_chart_mandatory ?? undefined,
    },
    raw: { attributeTree: tree, itemLimit: limits, brandList: brands },
  };
}

const asId = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/**
 * The `add_item` fields checked against a leaf's requirements: `attribute_list` (a `value_id` of 0
 * is Shopee's custom value, sent as `original_value_name`), `brand` and `dimension`.
 */
export function shopeeListingForRequirements(fields: Record<string, unknown>): ListingForRequirements {
  const attributes: Record<string, ListingAttributeValues> = {};
  const list = Array.isArray(fields.attribute_list) ? fields.attribute_list : [];
  list.forEach((entry: unknown, index) => {
    const item = (entry ?? {}) as { attribute_id?: unknown; attribute_value_list?: unknown };
    const id = asId(item.attribute_id);
    if (id === undefined) return;
    const values = Array.isArray(item.attribute_value_list) ? item.attribute_value_list : [];
    const valueIds: string[] = [];
    const valueNames: string[] = [];
    for (const value of values as { value_id?: unknown; original_value_name?: unknown }[]) {
      const valueId = asId(value?.value_id);
      if (valueId !== undefined && valueId !== '0') valueIds.push(valueId);
      else if (typeof value?.original_value_name === 'string') valueNames.push(value.original_value_name);
    }
    attributes[id] = { path: `marketplaceFields.attribute_list.${index}`, valueIds, valueNames };
  });
  const brand = fields.brand as { brand_id?: unknown; original_brand_name?: unknown } | undefined;
  return {
    attributes,
    attributesPath: 'marketplaceFields.attribute_list',
    brand: {
      path: 'marketplaceFields.brand',
      value:
        brand === undefined || brand === null
          ? undefined
          : {
              id: asId(brand.brand_id),
              name: typeof brand.original_brand_name === 'string' ? brand.original_brand_name : undefined,
            },
    },
    packageDimensions: { path: 'marketplaceFields.dimension', given: fields.dimension !== undefined },
  };
}

/**
 * What a listing in this leaf needs, read through the client's cache: `createProduct` checks it
 * before any write (so the lean client reads it too), `getCategoryRequirements` returns it.
 */
export function readShopeeCategoryRequirements(
  ctx: ShopeeAccountContext,
  categoryId: string,
  options: CategoryReadOptions = {},
): Promise<CategoryRequirements> {
  const id = String(categoryId);
  // get_attribute_tree spells Brazil's language `pt-BR`, unlike get_category.
  const language = options.locale ?? (ctx.inBrazil() ? 'pt-BR' : 'en');
  const scope = ctx.scoped(options.signal);
  return ctx.cache.read(
    'categoryRequirements',
    [SHOPEE, ctx.accountId, id, language],
    async () => {
      const [tree, limits, brands] = await Promise.all([
        categoriesApi.getAttributeTree(scope, [id], { language }),
        categoriesApi.getItemLimit(scope, id),
        categoriesApi.getBrandList(scope, { categoryId: id, pageSize: 1 }),
      ]);
      return toShopeeRequirements(id, tree, limits, brands);
    },
    { refresh: options.refresh },
  );
}

/**
 * The listing check of the categories module: one cached read of the leaf's requirements (24 h by
 * default), so a missing attribute is named before any upload or write.
 */
export async function checkShopeeListingRequirements(
  ctx: ShopeeAccountContext,
  fields: Record<string, unknown>,
): Promise<void> {
  const requirements = await readShopeeCategoryRequirements(ctx, String(fields.category_id));
  const missing = validateAgainstRequirements(shopeeListingForRequirements(fields), requirements);
  if (missing.length > 0) {
    throw invalid(`product for Shopee category ${requirements.categoryId}`, missing);
  }
}

/** Category tree and suggestions of one shop, the tree read through the client's cache. */
export function categoriesCapability(
  ctx: ShopeeAccountContext,
): Required<
  Pick<MarketplaceClient, 'suggestCategories' | 'getCategoryTree' | 'getCategory' | 'getCategoryRequirements'>
> {
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
    return categoryOfTree(await getCategoryTree(options), String(categoryId), SHOPEE);
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

  const getCategoryRequirements = (categoryId: string, options?: CategoryReadOptions) =>
    readShopeeCategoryRequirements(ctx, categoryId, options);

  return { suggestCategories, getCategoryTree, getCategory, getCategoryRequirements };
}

/** The category calls of the product module, bound to one shop (no cache: each call asks Shopee). */
export interface ShopeeCategoriesApi {
  getCategories(options?: categoriesApi.GetCategoriesOptions): Promise<categoriesApi.ShopeeCategory[]>;
  recommendCategory(input: categoriesApi.RecommendCategoryInput): Promise<string[]>;
  getAttributeTree(
    categoryIds: readonly string[],
    options?: categoriesApi.GetCategoriesOptions,
  ): Promise<ShopeeAttributeTreeResponse>;
  getItemLimit(categoryId: string): Promise<ShopeeItemLimitResponse>;
  getBrandList(query: categoriesApi.BrandListQuery): Promise<ShopeeBrandListResponse>;
  iterateBrands(
    query: Omit<categoriesApi.BrandListQuery, 'offset'>,
  ): ReturnType<typeof categoriesApi.iterateBrands>;
}

/** Binds the category calls to one shop. */
export function bindCategoriesApi(ctx: ShopeeAccountContext): ShopeeCategoriesApi {
  return Object.freeze({
    getCategories: (options?: categoriesApi.GetCategoriesOptions) =>
      categoriesApi.getCategories(ctx.scope, options),
    recommendCategory: (input: categoriesApi.RecommendCategoryInput) =>
      categoriesApi.recommendCategory(ctx.scope, input),
    getAttributeTree: (categoryIds: readonly string[], options?: categoriesApi.GetCategoriesOptions) =>
      categoriesApi.getAttributeTree(ctx.scope, categoryIds, options),
    getItemLimit: (categoryId: string) => categoriesApi.getItemLimit(ctx.scope, categoryId),
    getBrandList: (query: categoriesApi.BrandListQuery) => categoriesApi.getBrandList(ctx.scope, query),
    iterateBrands: (query: Omit<categoriesApi.BrandListQuery, 'offset'>) =>
      categoriesApi.iterateBrands(ctx.scope, query),
  });
}

/**
 * The category module: `suggestCategories`, `getCategoryTree`, `getCategory`,
 * `getCategoryRequirements` (read through the client's cache) and the uncached `categories` calls;
 * with it, `createProduct` checks the leaf category's requirements before any write.
 *
 * @example
 * import { createShopee } from '@mlh/shopee/lean';
 * import { shopeeCategories } from '@mlh/shopee/categories';
 * const client = createShopee({ ...options, capabilities: [shopeeCategories] }).forShop(shopId);
 * const [best] = await client.suggestCategories('Camiseta algodão');
 */
export const shopeeCategories = /* @__PURE__ */ shopeeModule({
  name: 'categories',
  capabilities: { categories: { suggestions: true, tree: true, requirements: true } },
  build: (ctx): { readonly categories: ShopeeCategoriesApi } & ReturnType<typeof categoriesCapability> => ({
    categories: bindCategoriesApi(ctx),
    ...categoriesCapability(ctx),
  }),
  listingCheck: checkShopeeListingRequirements,
});
