import { type FieldIssue, type MarketplaceId, NotFoundError } from './errors';

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

/**
 * The category `id` of `tree`, or a `NotFoundError` naming the marketplace and the id: what an
 * adapter's `getCategory` answers for a category that is not in the account's tree.
 */
export function categoryOfTree(tree: CategoryTree, id: string, marketplace: MarketplaceId): Category {
  const category = findCategory(tree, id);
  if (category === undefined) {
    throw new NotFoundError(`${marketplace} category ${id} is not in this account's category tree`, {
      marketplace,
    });
  }
  return category;
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

/** The values a listing sends for one attribute, as the adapter read them from its create call. */
export interface ListingAttributeValues {
  /** Where the attribute sits in the create call, for the issue's path. */
  path: string;
  /** Values chosen from the attribute's list, by id. */
  valueIds: readonly string[];
  /** Values given as text (a custom value, or a list value by name). */
  valueNames: readonly string[];
}

/**
 * A listing about to be created, reduced to what {@link validateAgainstRequirements} checks. Each
 * adapter builds it from its own create body; a part left `undefined` is not checked (the
 * marketplace carries it elsewhere, or the listing is a draft the marketplace takes incomplete).
 */
export interface ListingForRequirements {
  /** Attribute values of the product, by attribute id. */
  attributes: Readonly<Record<string, ListingAttributeValues>>;
  /** Where a missing attribute is reported (`marketplaceFields.attribute_list`). */
  attributesPath: string;
  /** Per variant, the variation attributes it sends (only where the marketplace models them). */
  variants?:
    | readonly { path: string; attributes: Readonly<Record<string, ListingAttributeValues>> }[]
    | undefined;
  /** The brand sent (`value` undefined: none), where the brand is not an attribute. */
  brand?:
    | { path: string; value: { id?: string | undefined; name?: string | undefined } | undefined }
    | undefined;
  /** Whether package dimensions are sent, where the marketplace may require them. */
  packageDimensions?: { path: string; given: boolean } | undefined;
}

const MAX_LISTED_VALUES = 20;

function allowedValues(attribute: CategoryAttribute): string {
  if (attribute.values.length === 0)
    return attribute.units.length > 0 ? ` (units: ${attribute.units.join(', ')})` : '';
  const listed = attribute.values
    .slice(0, MAX_LISTED_VALUES)
    .map((value) => `${value.id} "${value.name}"`)
    .join(', ');
  const more =
    attribute.values.length > MAX_LISTED_VALUES
      ? `, and ${attribute.values.length - MAX_LISTED_VALUES} more`
      : '';
  return attribute.customValues
    ? `; values offered: ${listed}${more}, or any other`
    : `; allowed values: ${listed}${more}`;
}

function describe(attribute: CategoryAttribute): string {
  return `attribute ${attribute.id} "${attribute.name}"`;
}

function hasValue(values: ListingAttributeValues | undefined): boolean {
  return (
    values !== undefined &&
    (values.valueIds.some((id) => id.trim() !== '') || values.valueNames.some((name) => name.trim() !== ''))
  );
}

function valueIssues(attribute: CategoryAttribute, values: ListingAttributeValues): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const count = values.valueIds.length + values.valueNames.length;
  if (!attribute.multiple && count > 1) {
    issues.push({
      path: values.path,
      message: `${describe(attribute)} takes one value, ${count} were given`,
      code: 'too_many_values',
    });
  }
  if (attribute.values.length === 0) return issues;
  const ids = new Set(attribute.values.map((value) => value.id));
  const names = new Set(attribute.values.map((value) => value.name.trim().toLowerCase()));
  // An id must always be one of the list; text is free where the attribute takes custom values,
  // else it must name a listed value (and is not checked when an id was sent with it).
  const unknown = [
    ...values.valueIds.filter((id) => !ids.has(id)),
    ...(attribute.customValues || values.valueIds.length > 0
      ? []
      : values.valueNames.filter((name) => !names.has(name.trim().toLowerCase()))),
  ];
  if (unknown.length > 0) {
    issues.push({
      path: values.path,
      message: `${describe(attribute)} does not take ${unknown.map((value) => `"${value}"`).join(', ')}${allowedValues(attribute)}`,
      code: 'value_not_allowed',
    });
  }
  return issues;
}

/**
 * What a listing lacks for its category, before anything is sent: required attributes (and those
 * the chosen values make required, see {@link requiredAttributes}) missing, values outside an
 * attribute's list, a required brand missing, required variation attributes missing on a variant,
 * package dimensions the category requires. Each issue names the attribute and the values allowed.
 * Pure: the adapters call it from `createProduct` with the category's cached requirements.
 *
 * @example
 * validateAgainstRequirements(
 *   { attributes: {}, attributesPath: 'marketplaceFields.attribute_list' },
 *   requirements,
 * ); // [{ path: 'marketplaceFields.attribute_list.100134', message: 'attribute 100134 "Material" is required; allowed values: ...' }]
 */
export function validateAgainstRequirements(
  listing: ListingForRequirements,
  requirements: CategoryRequirements,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const chosen: Record<string, string[]> = {};
  const collect = (attributes: Readonly<Record<string, ListingAttributeValues>>) => {
    for (const [id, values] of Object.entries(attributes)) {
      chosen[id] = [...(chosen[id] ?? []), ...values.valueIds];
    }
  };
  collect(listing.attributes);
  for (const variant of listing.variants ?? []) collect(variant.attributes);
  const required = new Set(requiredAttributes(requirements, chosen).map((attribute) => attribute.id));
  const perVariant = listing.variants !== undefined && listing.variants.length > 0;

  for (const attribute of requirements.attributes) {
    const onVariants = perVariant && attribute.variation;
    if (onVariants) {
      for (const variant of listing.variants ?? []) {
        const values = variant.attributes[attribute.id] ?? listing.attributes[attribute.id];
        if (hasValue(values)) issues.push(...valueIssues(attribute, values as ListingAttributeValues));
        else if (required.has(attribute.id)) {
          issues.push({
            path: `${variant.path}.${attribute.id}`,
            message: `${describe(attribute)} is required on each variant${allowedValues(attribute)}`,
            code: 'required_attribute',
          });
        }
      }
      continue;
    }
    const values = listing.attributes[attribute.id];
    if (hasValue(values)) issues.push(...valueIssues(attribute, values as ListingAttributeValues));
    else if (required.has(attribute.id)) {
      const why = attribute.required ? 'is required' : 'is required by the values chosen';
      issues.push({
        path: `${listing.attributesPath}.${attribute.id}`,
        message: `${describe(attribute)} ${why} in category ${requirements.categoryId}${allowedValues(attribute)}`,
        code: 'required_attribute',
      });
    }
  }

  if (listing.brand && requirements.brand.required === true) {
    const brand = listing.brand.value;
    const noBrand = requirements.brand.noBrand;
    const isNoBrand =
      brand === undefined ||
      ((brand.id === undefined || brand.id === '' || brand.id === noBrand?.id) &&
        (brand.name === undefined || brand.name.trim() === '' || brand.name === noBrand?.name));
    if (isNoBrand) {
      issues.push({
        path: listing.brand.path,
        message: `category ${requirements.categoryId} requires a brand${noBrand?.id !== undefined ? ` (not "no brand", id ${noBrand.id})` : ''}`,
        code: 'required_brand',
      });
    }
  }

  if (
    listing.packageDimensions &&
    requirements.packageDimensions.required === true &&
    !listing.packageDimensions.given
  ) {
    issues.push({
      path: listing.packageDimensions.path,
      message: `category ${requirements.categoryId} requires package dimensions`,
      code: 'required_package_dimensions',
    });
  }
  return issues;
}
