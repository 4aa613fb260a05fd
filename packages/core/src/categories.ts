import type { MarketplaceId } from './errors';

/** A category by id and name (a step of a path, a child). */
export interface CategoryRef {
  id: string;
  name: string;
}

/**
 * One category of a marketplace's tree. Listings go in leaves only; `listable` says whether this
 * account may list here (`undefined` when the marketplace did not say).
 */
export interface Category {
  marketplace: MarketplaceId;
  id: string;
  name: string;
  /** The parent's id; `undefined` for a root. */
  parentId: string | undefined;
  /** From the root down to this category, this one included. */
  path: CategoryRef[];
  children: CategoryRef[];
  isLeaf: boolean;
  /**
   * A leaf this account may list in: Mercado Livre `settings.listing_allowed`, TikTok
   * `permission_statuses` holding `AVAILABLE`, Shopee any leaf. `undefined` when unknown.
   */
  listable: boolean | undefined;
  /** The marketplace's own restriction flags (TikTok `INVITE_ONLY`, Mercado Livre `status`...). */
  restrictions: string[];
  /** The marketplace's payload for this category, as sent. */
  raw: unknown;
}

/** A whole category tree, flat: every category once, parents before children. */
export interface CategoryTree {
  marketplace: MarketplaceId;
  categories: Category[];
  /** Epoch ms when it was read from the marketplace (a cached tree keeps its original time). */
  fetchedAt: number;
}

/** A category a marketplace suggests for a product title, best first. */
export interface CategorySuggestion {
  marketplace: MarketplaceId;
  categoryId: string;
  name: string | undefined;
  /** From the root to the suggested category, where known. */
  path: CategoryRef[];
  isLeaf: boolean | undefined;
  listable: boolean | undefined;
  /**
   * Attribute values the marketplace inferred from the title (Mercado Livre: brand, model...).
   * Defaults to offer the seller, never facts.
   */
  attributes: {
    id: string;
    name?: string | undefined;
    valueId?: string | undefined;
    valueName?: string | undefined;
  }[];
  raw: unknown;
}

/** Options of {@link MarketplaceClient.suggestCategories}. */
export interface SuggestCategoriesOptions {
  /** Most suggestions wanted (Mercado Livre 1–8; Shopee and TikTok decide how many they give). */
  limit?: number | undefined;
  /** Product description (TikTok uses it). */
  description?: string | undefined;
  /** Image ids or URIs already uploaded to the marketplace (Shopee cover image id, TikTok image URIs). */
  images?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
}

/** Options of the category reads that go through the cache. */
export interface CategoryReadOptions {
  /** Language / locale of names (`pt-BR`, `en`...); default the marketplace's default for the account. */
  locale?: string | undefined;
  /** Read from the marketplace even when a cached copy is fresh, and store the new copy. */
  refresh?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

/** One flat node given to {@link buildCategoryTree}. */
export interface CategoryNodeInput {
  id: string;
  name: string;
  /** `undefined`, `''` or `'0'` for a root. */
  parentId: string | undefined;
  /** When the marketplace says so; otherwise derived from having no children. */
  isLeaf?: boolean | undefined;
  /** When the marketplace says so for a leaf; non-leaves are never listable. */
  listable?: boolean | undefined;
  restrictions?: readonly string[] | undefined;
  raw: unknown;
}

const isRoot = (parentId: string | undefined) =>
  parentId === undefined || parentId === '' || parentId === '0';

/**
 * Builds a tree from a flat list (Shopee `get_category`, TikTok `categories`): paths, children,
 * leaves, and parents before children. A node whose parent is missing becomes a root rather than
 * being dropped; a cycle is cut where it closes.
 *
 * @example
 * buildCategoryTree('shopee', [{ id: '1', name: 'Home', parentId: '0', raw: {} }], Date.now())
 */
export function buildCategoryTree(
  marketplace: MarketplaceId,
  nodes: readonly CategoryNodeInput[],
  fetchedAt: number,
): CategoryTree {
  const byId = new Map<string, CategoryNodeInput>();
  for (const node of nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const parentOf = (node: CategoryNodeInput) =>
    !isRoot(node.parentId) && node.parentId !== node.id && byId.has(node.parentId as string)
      ? (node.parentId as string)
      : undefined;
  const children = new Map<string, CategoryRef[]>();
  for (const node of byId.values()) {
    const parent = parentOf(node);
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push({ id: node.id, name: node.name });
    children.set(parent, list);
  }
  const pathOf = (node: CategoryNodeInput): CategoryRef[] => {
    const path: CategoryRef[] = [];
    const seen = new Set<string>();
    let current: CategoryNodeInput | undefined = node;
    while (current && !seen.has(current.id)) {
      seen.add(current.id);
      path.unshift({ id: current.id, name: current.name });
      const parent = parentOf(current);
      current = parent === undefined ? undefined : byId.get(parent);
    }
    return path;
  };
  const categories = [...byId.values()].map((node): Category => {
    const kids = children.get(node.id) ?? [];
    const isLeaf = node.isLeaf ?? kids.length === 0;
    return {
      marketplace,
      id: node.id,
      name: node.name,
      parentId: parentOf(node),
      path: pathOf(node),
      children: kids,
      isLeaf,
      listable: isLeaf ? node.listable : false,
      restrictions: [...(node.restrictions ?? [])],
      raw: node.raw,
    };
  });
  categories.sort((a, b) => a.path.length - b.path.length);
  return { marketplace, categories, fetchedAt };
}

/** The category with this id in a tree, or `undefined`. */
export function findCategory(tree: CategoryTree, id: string): Category | undefined {
  return tree.categories.find((category) => category.id === id);
}

/** How an attribute's value is written. */
export type CategoryAttributeType =
  | 'text'
  | 'number'
  | 'numberWithUnit'
  | 'boolean'
  | 'list'
  | 'date'
  | 'unknown';

/** A value an attribute offers (or the only ones it takes, when it takes no custom value). */
export interface CategoryAttributeValue {
  id: string;
  name: string;
}

/** A value of another attribute that makes this one (or a certification) required. */
export interface RequirementCondition {
  attributeId: string;
  valueId: string;
}

/** One attribute of a category, as every marketplace describes it. */
export interface CategoryAttribute {
  id: string;
  name: string;
  type: CategoryAttributeType;
  /** Must be sent for the listing to be accepted. */
  required: boolean;
  /**
   * May become required depending on other values: see `conditions` (TikTok), or ask the
   * marketplace with the draft (Mercado Livre `conditional_required`, `new_required`).
   */
  conditional: boolean;
  /** Values of other attributes that make this one required (any one is enough). */
  conditions: RequirementCondition[];
  /** A variation axis (colour, size): sent per variant rather than once per product. */
  variation: boolean;
  /** Several values allowed. */
  multiple: boolean;
  /** A value outside `values` is accepted. */
  customValues: boolean;
  values: CategoryAttributeValue[];
  /** Units a number-with-unit takes (`cm`, `g`...). */
  units: string[];
  raw: unknown;
}

/** A certificate a listing in the category must (or may) carry. */
export interface CategoryCertification {
  id: string;
  name: string;
  required: boolean;
  conditions: RequirementCondition[];
  raw: unknown;
}

/**
 * What a listing in one category needs, in one shape. A field the marketplace does not describe is
 * `undefined` ("not said"), never a guess.
 */
export interface CategoryRequirements {
  marketplace: MarketplaceId;
  categoryId: string;
  attributes: CategoryAttribute[];
  brand: {
    required: boolean | undefined;
    /** How to say "no brand" where the marketplace has a rule (Shopee `brand_id` 0). */
    noBrand: { id?: string | undefined; name?: string | undefined } | undefined;
  };
  certifications: CategoryCertification[];
  packageDimensions: { required: boolean | undefined };
  weight: { required: boolean | undefined };
  /** Pre-order: whether allowed and the days-to-ship range. */
  preOrder: { allowed: boolean | undefined; minDays?: number | undefined; maxDays?: number | undefined };
  /** Item conditions the category takes (`new`, `used`...), where the marketplace lists them. */
  conditions: string[] | undefined;
  sizeChart: { supported: boolean | undefined; required: boolean | undefined };
  /** The marketplace's payloads the requirements were read from, by source. */
  raw: Record<string, unknown>;
}

/** Attributes of `requirements` that must be sent given the values already chosen (`attributeId → valueIds`). */
export function requiredAttributes(
  requirements: Pick<CategoryRequirements, 'attributes'>,
  chosen: Readonly<Record<string, readonly string[]>> = {},
): CategoryAttribute[] {
  return requirements.attributes.filter(
    (attribute) =>
      attribute.required ||
      attribute.conditions.some((condition) => chosen[condition.attributeId]?.includes(condition.valueId)),
  );
}
