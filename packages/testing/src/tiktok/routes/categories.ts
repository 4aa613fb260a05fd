/** Category endpoints (catalog reference §2.2 and §2.6). */
import * as z from 'zod';
import {
  isTikTokParentCategory,
  recommendTikTokLeaf,
  TIKTOK_SANDBOX_CATEGORIES,
  tiktokCategoryChain,
  tiktokCategoryName,
} from '../categories';
import { tiktokError } from '../errors';
import { parseInput, type TikTokCall, type TikTokRoute } from '../gateway';

const READ = 'seller.product.basic';
const VERSIONS = ['v1', 'v2'];

function readVersion(value: unknown): void {
  if (value !== undefined && value !== null && value !== '' && !VERSIONS.includes(String(value))) {
    throw tiktokError('invalidParam', 'category_version must be v1 or v2');
  }
}

function listCategories(call: TikTokCall): unknown {
  readVersion(call.query.get('category_version') ?? undefined);
  const locale = call.query.get('locale');
  const keyword = (call.query.get('keyword') ?? '').toLowerCase();
  const includeProhibited = call.query.get('include_prohibited_categories') === 'true';
  const categories = TIKTOK_SANDBOX_CATEGORIES.filter(
    (category) => includeProhibited || !category.permissionStatuses?.includes('PROHIBITED'),
  )
    .map((category) => ({ category, name: tiktokCategoryName(category, locale) }))
    .filter(({ name }) => keyword === '' || name.toLowerCase().includes(keyword));
  return {
    categories: categories.map(({ category, name }) => ({
      id: category.id,
      parent_id: category.parentId,
      local_name: name,
      is_leaf: !isTikTokParentCategory(category.id),
      ...(category.permissionStatuses ? { permission_statuses: [...category.permissionStatuses] } : {}),
    })),
  };
}

const recommendBody = z.looseObject({
  // Brazil and Mexico take 1–300 characters (reference §2.6).
  product_title: z.string().min(1).max(300),
  description: z.string().optional(),
  images: z.array(z.looseObject({ uri: z.string().min(1) })).optional(),
  category_version: z.string().optional(),
  include_prohibited_categories: z.boolean().optional(),
  listing_platform: z.string().optional(),
});

function recommend(call: TikTokCall): unknown {
  const body = parseInput(recommendBody, call.body);
  readVersion(body.category_version);
  const leaf = recommendTikTokLeaf(body.product_title, body.include_prohibited_categories === true);
  if (leaf === undefined) return { categories: [] };
  const chain = tiktokCategoryChain(leaf.id);
  return {
    leaf_category_id: leaf.id,
    categories: chain.map((category, index) => ({
      id: category.id,
      name: tiktokCategoryName(category, call.query.get('locale')),
      level: index + 1,
      is_leaf: !isTikTokParentCategory(category.id),
      permission_statuses: [...(category.permissionStatuses ?? [])],
    })),
  };
}

/** Category endpoints. */
export const categoryRoutes: TikTokRoute[] = [
  {
    method: 'GET',
    path: '/product/202309/categories',
    scope: READ,
    shopCipher: 'required',
    handle: listCategories,
  },
  {
    method: 'POST',
    path: '/product/202309/categories/recommend',
    scope: READ,
    shopCipher: 'required',
    handle: recommend,
  },
];
