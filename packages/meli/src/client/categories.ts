import {
  buildCategoryTree,
  type Category,
  type CategoryAttribute,
  type CategoryAttributeType,
  type CategoryReadOptions,
  type CategoryRequirements,
  type CategorySuggestion,
  type CategoryTree,
  type ListingAttributeValues,
  type ListingForRequirements,
  type MarketplaceClient,
  NotFoundError,
  type SuggestCategoriesOptions,
  ValidationError,
  validateAgainstRequirements,
} from '@mlh/core';
import * as categoriesApi from '../api/categories';
import type {
  MeliCategory,
  MeliCategoryAttribute,
  MeliCategoryRef,
  MeliDomainGuess,
  MeliNewItem,
} from '../schemas';
import type { MeliAccountContext } from './context';
import { meliModule } from './module';

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

const VALUE_TYPES: Readonly<Record<string, CategoryAttributeType>> = {
  string: 'text',
  number: 'number',
  number_unit: 'numberWithUnit',
  boolean: 'boolean',
  list: 'list',
};

/** One attribute definition in the core shape (tags read from an object or a list). */
export function toMeliAttribute(attribute: MeliCategoryAttribute): CategoryAttribute {
  const tags = attribute.tags;
  const type = VALUE_TYPES[attribute.value_type ?? ''] ?? 'unknown';
  return {
    id: attribute.id,
    name: attribute.name ?? attribute.id,
    type,
    required: tags.required === true,
    // Resolved per draft by POST /categories/{id}/attributes/conditional; new_required applies to new items.
    conditional: tags.conditional_required === true || tags.new_required === true,
    conditions: [],
    variation: tags.allow_variations === true || tags.variation_attribute === true,
    multiple: tags.multivalued === true,
    customValues: type === 'text' || type === 'number' || type === 'numberWithUnit',
    values: attribute.values.map((value) => ({ id: String(value.id), name: value.name ?? String(value.id) })),
    units: attribute.allowed_units.map((unit) => unit.id),
    raw: attribute,
  };
}

const PACKAGE_ATTRIBUTES = ['SELLER_PACKAGE_HEIGHT', 'SELLER_PACKAGE_WIDTH', 'SELLER_PACKAGE_LENGTH'];

/**
 * A category's attributes and settings as the core requirements. Attributes sellers cannot write
 * (`read_only`, `fixed`, `inferred`) are left out. Package dimensions are `undefined` unless the
 * category tags them required: Mercado Livre asks for them by shipping mode (ME2 cross docking).
 */
export function toMeliRequirements(
  category: MeliCategory,
  attributes: readonly MeliCategoryAttribute[],
): CategoryRequirements {
  const writable = attributes.filter((a) => !a.tags.read_only && !a.tags.fixed && !a.tags.inferred);
  const mapped = writable.map(toMeliAttribute);
  const brand = mapped.find((attribute) => attribute.id === 'BRAND');
  const packageRequired = mapped.some((a) => PACKAGE_ATTRIBUTES.includes(a.id) && a.required);
  return {
    marketplace: 'meli',
    categoryId: category.id,
    attributes: mapped,
    brand: { required: brand ? brand.required : undefined, noBrand: undefined },
    certifications: [],
    packageDimensions: { required: packageRequired ? true : undefined },
    weight: {
      required: mapped.some((a) => a.id === 'SELLER_PACKAGE_WEIGHT' && a.required) ? true : undefined,
    },
    preOrder: { allowed: undefined },
    conditions: category.settings?.item_conditions ?? undefined,
    sizeChart: { supported: undefined, required: undefined },
    raw: { category, attributes },
  };
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
const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

function meliAttributeValues(list: unknown, path: (id: string, index: number) => string) {
  const attributes: Record<string, ListingAttributeValues> = {};
  (Array.isArray(list) ? list : []).forEach((entry: unknown, index) => {
    const item = (entry ?? {}) as {
      id?: unknown;
      value_id?: unknown;
      value_name?: unknown;
      values?: unknown;
    };
    const id = idOf(item.id);
    if (id === undefined) return;
    const valueIds: string[] = [];
    const valueNames: string[] = [];
    const values = Array.isArray(item.values) && item.values.length > 0 ? item.values : [item];
    for (const value of values as {
      id?: unknown;
      value_id?: unknown;
      name?: unknown;
      value_name?: unknown;
    }[]) {
      const valueId = idOf(value?.value_id ?? (value === item ? undefined : value?.id));
      const name = value?.value_name ?? (value === item ? undefined : value?.name);
      if (valueId !== undefined && valueId !== '') valueIds.push(valueId);
      else if (typeof name === 'string') valueNames.push(name);
    }
    attributes[id] = { path: path(id, index), valueIds, valueNames };
  });
  return attributes;
}

/**
 * A `POST /items` body reduced to what is checked against a leaf's requirements: `attributes`
 * (reported as `attributes.<ID>`, the product's attribute of that id) and, on a classic listing,
 * each variation's `attribute_combinations`. The brand is the `BRAND` attribute.
 */
export function meliListingForRequirements(body: Record<string, unknown>): ListingForRequirements {
  const variations = Array.isArray(body.variations) ? (body.variations as Record<string, unknown>[]) : [];
  return {
    attributes: meliAttributeValues(body.attributes, (id) => `attributes.${id}`),
    attributesPath: 'attributes',
    variants: variations.map((variation, index) => ({
      path: `variants.${index}.attributes`,
      attributes: meliAttributeValues(
        variation?.attribute_combinations,
        (id) => `variants.${index}.attributes.${id}`,
      ),
    })),
  };
}

export function categoriesCapability(
  ctx: MeliAccountContext,
): Required<
  Pick<MarketplaceClient, 'suggestCategories' | 'getCategoryTree' | 'getCategory' | 'getCategoryRequirements'>
> {
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

  function getCategoryRequirements(
    categoryId: string,
    options: CategoryReadOptions = {},
  ): Promise<CategoryRequirements> {
    return ctx.cache.read(
      'categoryRequirements',
      ['meli', categoryId],
      async () => {
        const [category, attributes] = await Promise.all([
          categoriesApi.getCategory(ctx.context, categoryId),
          categoriesApi.getCategoryAttributes(ctx.context, categoryId),
        ]);
        return toMeliRequirements(category.data, attributes.data);
      },
      { refresh: options.refresh },
    );
  }

  return { suggestCategories, getCategoryTree, getCategory, getCategoryRequirements };
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
  getAttributes(categoryId: string): ReturnType<typeof categoriesApi.getCategoryAttributes>;
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
    getAttributes: (categoryId: string) => categoriesApi.getCategoryAttributes(context, categoryId),
  });
}

/**
 * The leaf's requirements (one cached read, 24 h by default) against each body, before any
 * write. Conditional attributes Mercado Livre resolves per draft are left to it.
 */
export async function checkMeliListingRequirements(
  ctx: MeliAccountContext,
  bodies: readonly MeliNewItem[],
): Promise<void> {
  const categoryId = (bodies[0] as Record<string, unknown> | undefined)?.category_id;
  if (typeof categoryId !== 'string' || categoryId === '') return;
  const requirements = await categoriesCapability(ctx).getCategoryRequirements(categoryId);
  const seen = new Set<string>();
  const issues = bodies
    .flatMap((body) =>
      validateAgainstRequirements(meliListingForRequirements(body as Record<string, unknown>), requirements),
    )
    .filter((issue) => {
      const key = `${issue.path}\u0000${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  if (issues.length > 0) {
    throw new ValidationError(`Product cannot be listed in Mercado Livre category ${categoryId}`, issues, {
      marketplace: 'meli',
    });
  }
}

/**
 * The category module: `suggestCategories`, `getCategoryTree`, `getCategory`,
 * `getCategoryRequirements` (read through the client's cache) and the uncached `categories` calls;
 * with it, `createProduct` checks the leaf category's requirements before any write.
 *
 * @example
 * import { createMeli } from '@mlh/meli/lean';
 * import { meliCategories } from '@mlh/meli/categories';
 * const client = createMeli({ ...options, capabilities: [meliCategories] }).forAccount(sellerId);
 * const [best] = await client.suggestCategories('Camiseta algodão');
 */
export const meliCategories = /* @__PURE__ */ meliModule({
  name: 'categories',
  capabilities: { categories: { suggestions: true, tree: true, requirements: true } },
  build: (ctx): { readonly categories: MeliCategoriesApi } & ReturnType<typeof categoriesCapability> => ({
    categories: bindCategoriesApi(ctx),
    ...categoriesCapability(ctx),
  }),
  listingCheck: checkMeliListingRequirements,
});
