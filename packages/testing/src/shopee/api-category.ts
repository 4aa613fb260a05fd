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
