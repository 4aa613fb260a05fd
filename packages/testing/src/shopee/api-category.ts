import type { ShopeeEndpoint } from './context';
import { envelopeResponse, ShopeeApiError } from './envelope';

/** A category of the sandbox's tree (`product/get_category`). */
export interface ShopeeSandboxCategory {
  categoryId: number;
  parentCategoryId: number;
  /** English name (`original_category_name`). */
  name: string;
  /** Brazilian Portuguese name, shown for `language=pt-br`. */
  namePtBr: string;
  /** Words of titles `category_recommend` maps here (leaves only). */
  keywords?: readonly string[];
}

/**
 * A small tree in the shape of Shopee Brazil's: three roots, leaves two or three levels down.
 * `100017` is the leaf the sandbox's seeded items use.
 */
export const SHOPEE_SANDBOX_CATEGORIES: readonly ShopeeSandboxCategory[] = Object.freeze([
  { categoryId: 100630, parentCategoryId: 0, name: 'Home & Living', namePtBr: 'Casa e Decoração' },
  { categoryId: 100636, parentCategoryId: 100630, name: 'Kitchen & Dining', namePtBr: 'Cozinha' },
  {
    categoryId: 100017,
    parentCategoryId: 100636,
    name: 'Mugs',
    namePtBr: 'Canecas',
    keywords: ['mug', 'mugs', 'caneca', 'canecas', 'xicara', 'xícara'],
  },
  {
    categoryId: 100637,
    parentCategoryId: 100636,
    name: 'Water Bottles',
    namePtBr: 'Garrafas',
    keywords: ['bottle', 'garrafa', 'squeeze', 'termica', 'térmica'],
  },
  {
    categoryId: 101200,
    parentCategoryId: 100630,
    name: 'Bedding',
    namePtBr: 'Cama',
    keywords: ['bedding', 'sheet', 'lençol', 'lencol', 'fronha', 'edredom'],
  },
  { categoryId: 100643, parentCategoryId: 0, name: 'Audio', namePtBr: 'Áudio' },
  {
    categoryId: 100644,
    parentCategoryId: 100643,
    name: 'Headphones',
    namePtBr: 'Fones de Ouvido',
    keywords: ['headphone', 'headphones', 'earphone', 'fone', 'fones', 'bluetooth'],
  },
  { categoryId: 100001, parentCategoryId: 0, name: "Women's Clothes", namePtBr: 'Roupas Femininas' },
  {
    categoryId: 100002,
    parentCategoryId: 100001,
    name: 'T-shirts',
    namePtBr: 'Camisetas',
    keywords: ['t-shirt', 'tshirt', 'camiseta', 'blusa', 'algodão', 'algodao'],
  },
]);

const LANGUAGES: Readonly<Record<string, 'en' | 'pt-br'>> = { en: 'en', 'pt-br': 'pt-br' };

/** True when `categoryId` is in the tree and has children: `add_item` refuses such a category. */
export function isShopeeNonLeafCategory(categoryId: number): boolean {
  return SHOPEE_SANDBOX_CATEGORIES.some((category) => category.parentCategoryId === categoryId);
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((word) => word !== '');
}

/** Leaves whose keywords the title uses, most matches first (what a recommender would rank). */
function recommend(itemName: string): number[] {
  const given = new Set(words(itemName));
  return SHOPEE_SANDBOX_CATEGORIES.filter((category) => !isShopeeNonLeafCategory(category.categoryId))
    .map((category) => ({
      id: category.categoryId,
      score: (category.keywords ?? []).filter((keyword) => given.has(keyword)).length,
    }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.id);
}

/** `product/get_category` (the whole tree in one call) and `product/category_recommend`. */
export const categoryEndpoints: Record<string, ShopeeEndpoint> = {
  '/api/v2/product/get_category': {
    method: 'GET',
    kind: 'shop',
    handle(call) {
      const requested = call.query.get('language') ?? 'en';
      // The reference spells Brazil's language in lower case here (`pt-br`), unlike get_attribute_tree.
      const language = LANGUAGES[requested === '' ? 'en' : requested];
      if (language === undefined) throw new ShopeeApiError('error_invalid_language', 'Invalid language.');
      return envelopeResponse({
        category_list: SHOPEE_SANDBOX_CATEGORIES.map((category) => ({
          category_id: category.categoryId,
          parent_category_id: category.parentCategoryId,
          original_category_name: category.name,
          display_category_name: language === 'pt-br' ? category.namePtBr : category.name,
          has_children: isShopeeNonLeafCategory(category.categoryId),
        })),
      });
    },
  },
  '/api/v2/product/category_recommend': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const itemName = call.query.get('item_name') ?? '';
      if (itemName.trim() === '') throw new ShopeeApiError('error_param', 'item_name is required.');
      const cover = call.query.get('product_cover_image') ?? '';
      if (cover !== '' && !context.state.images.has(cover)) {
        throw new ShopeeApiError('error_image_unavailable', 'The product cover image is unavailable.');
      }
      return envelopeResponse({ category_id: recommend(itemName) });
    },
  },
};

/** An attribute node of `get_attribute_tree` in the sandbox. */
type SandboxAttribute = {
  attribute_id: number;
  mandatory: boolean;
  name: string;
  attribute_info: Record<string, number | boolean | string | string[]>;
  attribute_value_list: { value_id: number; name: string }[];
};

const MATERIAL: SandboxAttribute = {
  attribute_id: 100134,
  mandatory: false,
  name: 'Material',
  attribute_info: {
    input_type: 2,
    input_validation_type: 2,
    format_type: 1,
    max_value_count: 1,
    is_oem: false,
    support_search_value: false,
  },
  attribute_value_list: [
    { value_id: 2311, name: 'Algodão' },
    { value_id: 2312, name: 'Poliéster' },
    { value_id: 2313, name: 'Cerâmica' },
  ],
};

/**
 * Attributes per leaf. Bedding (`101200`) has a mandatory attribute and a quantity with units, the
 * reference's own example; `add_item` refuses it without the mandatory one. Other leaves have
 * optional material only, so the sandbox's seeded items stay valid.
 */
const ATTRIBUTES: Readonly<Record<number, readonly SandboxAttribute[]>> = {
  101200: [
    { ...MATERIAL, mandatory: true },
    {
      attribute_id: 100199,
      mandatory: false,
      name: 'Largura',
      attribute_info: {
        input_type: 3,
        input_validation_type: 3,
        format_type: 2,
        attribute_unit_list: ['cm', 'm'],
        max_value_count: 1,
      },
      attribute_value_list: [],
    },
  ],
};

/** Leaves where a brand is mandatory (`get_brand_list.is_mandatory`): `brand_id` 0 is refused there. */
const BRAND_MANDATORY = new Set([100644]);

/** The brands every leaf lists (status 1). */
export const SHOPEE_SANDBOX_BRANDS: readonly { brandId: number; name: string }[] = Object.freeze([
  { brandId: 1146, name: 'JBL' },
  { brandId: 2003, name: 'Sony' },
  { brandId: 3001, name: 'Philips' },
  { brandId: 3002, name: 'Tramontina' },
]);

/** Why `add_item` refuses an item's category data, or `undefined` when it fits the leaf. */
export function shopeeCategoryRefusal(
  categoryId: number,
  attributeList:
    | readonly { attribute_id: number; attribute_value_list?: readonly unknown[] | undefined }[]
    | undefined,
  brandId: number | undefined,
): ShopeeApiError | undefined {
  const sent = new Set(
    (attributeList ?? [])
      .filter((attribute) => (attribute.attribute_value_list ?? []).length > 0)
      .map((attribute) => attribute.attribute_id),
  );
  const missing = (ATTRIBUTES[categoryId] ?? []).filter(
    (attribute) => attribute.mandatory && !sent.has(attribute.attribute_id),
  );
  if (missing.length > 0) {
    return new ShopeeApiError(
      'error_param',
      `Mandatory attribute ${missing.map((attribute) => attribute.attribute_id).join(', ')} is missing.`,
    );
  }
  if (BRAND_MANDATORY.has(categoryId) && !brandId) {
    return new ShopeeApiError('error_param', 'Brand is mandatory for this category.');
  }
  return undefined;
}

function leafId(value: string | null, name: string): number {
  if (value === null || !/^\d+$/.test(value)) throw new ShopeeApiError('error_param', `${name} is required.`);
  const id = Number(value);
  if (
    !SHOPEE_SANDBOX_CATEGORIES.some((category) => category.categoryId === id) ||
    isShopeeNonLeafCategory(id)
  ) {
    throw new ShopeeApiError('error_invalid_category', 'Invalid category ID.');
  }
  return id;
}

function intParam(query: URLSearchParams, name: string, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') throw new ShopeeApiError('error_param', `${name} is required.`);
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ShopeeApiError('error_param', `${name} should be between ${min} and ${max}.`);
  }
  return value;
}

/** `get_attribute_tree`, `get_item_limit` and `get_brand_list`: what `add_item` needs per leaf. */
export const requirementEndpoints: Record<string, ShopeeEndpoint> = {
  '/api/v2/product/get_attribute_tree': {
    method: 'GET',
    kind: 'shop',
    handle(call) {
      const raw = call.query.get('category_id_list') ?? '';
      const ids = raw.split(',').filter((part) => part !== '');
      if (ids.length === 0) throw new ShopeeApiError('error_param', 'category_id_list is required.');
      if (ids.length > 20) throw new ShopeeApiError('error_param', 'At most 20 category ids.');
      return envelopeResponse({
        list: ids.map((id) => {
          const categoryId = leafId(id, 'category_id_list');
          return {
            category_id: categoryId,
            attribute_tree: (ATTRIBUTES[categoryId] ?? [MATERIAL]).map((attribute) => ({ ...attribute })),
          };
        }),
      });
    },
  },
  '/api/v2/product/get_item_limit': {
    method: 'GET',
    kind: 'shop',
    handle(call) {
      const raw = call.query.get('category_id');
      const categoryId = raw === null ? undefined : leafId(raw, 'category_id');
      const bedding = categoryId === 101200;
      return envelopeResponse({
        price_limit: { min_limit: 0.5, max_limit: 100000 },
        stock_limit: { min_limit: 0, max_limit: 999999 },
        item_name_length_limit: { min_limit: 20, max_limit: 120 },
        item_image_count_limit: { min_limit: 1, max_limit: 9 },
        item_description_length_limit: { min_limit: 100, max_limit: 3000 },
        item_count_limit: { max_limit: 1000 },
        dts_limit: {
          // −1/−1: this category takes no pre-order.
          days_to_ship_limit: bedding ? { min_limit: -1, max_limit: -1 } : { min_limit: 7, max_limit: 30 },
          non_pre_order_days_to_ship: 2,
        },
        weight_limit: { weight_mandatory: true },
        dimension_limit: { dimension_mandatory: bedding },
        size_chart_limit: {
          size_chart_mandatory: false,
          support_image_size_chart: true,
          support_template_size_chart: false,
        },
        gtin_limit: { gtin_validation_rule: 'Flexible' },
      });
    },
  },
  '/api/v2/product/get_brand_list': {
    method: 'GET',
    kind: 'shop',
    handle(call) {
      const categoryId = leafId(call.query.get('category_id'), 'category_id');
      const status = call.query.get('status');
      if (status === null || status === '') throw new ShopeeApiError('error_param', 'status is required.');
      const offset = intParam(call.query, 'offset', 0, Number.MAX_SAFE_INTEGER);
      const pageSize = intParam(call.query, 'page_size', 1, 100);
      const brands = status === '1' ? SHOPEE_SANDBOX_BRANDS : [];
      const page = brands.slice(offset, offset + pageSize);
      return envelopeResponse({
        brand_list: page.map((brand) => ({
          brand_id: brand.brandId,
          original_brand_name: brand.name,
          display_brand_name: brand.name,
        })),
        has_next_page: offset + pageSize < brands.length,
        next_offset: offset + page.length,
        is_mandatory: BRAND_MANDATORY.has(categoryId),
        input_type: 'DROP_DOWN',
      });
    },
  },
};
