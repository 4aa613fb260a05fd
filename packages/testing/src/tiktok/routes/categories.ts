/** Category endpoints (catalog reference §2.2 and §2.6). */
import * as z from 'zod';
import {
  isTikTokParentCategory,
  recommendTikTokLeaf,
  TIKTOK_SANDBOX_CATEGORIES,
  tiktokCategoryChain,
  tiktokCategoryName,
  tiktokCategoryRules,
  tiktokSandboxCategory,
} from '../categories';
import { tiktokError } from '../errors';
import { parseInput, type TikTokCall, type TikTokRoute } from '../gateway';
import { readPageSize } from '../paging';

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

function leafOf(call: TikTokCall): string {
  const id = call.params.category_id as string;
  if (!tiktokSandboxCategory(id)) throw tiktokError('invalidParam', 'category_id is invalid');
  if (isTikTokParentCategory(id)) throw tiktokError('categoryNotLeaf');
  readVersion(call.query.get('category_version') ?? undefined);
  return id;
}

function attributes(call: TikTokCall): unknown {
  const rules = tiktokCategoryRules(leafOf(call));
  return {
    attributes: rules.attributes.map((attribute) => ({
      id: attribute.id,
      name: attribute.name,
      type: attribute.type,
      // TikTok's own spelling, as its spec and live captures send it.
      ...(attribute.type === 'PRODUCT_PROPERTY' ? { is_requried: attribute.required === true } : {}),
      is_customizable: attribute.customizable === true,
      is_multiple_selection: attribute.multiple === true,
      ...(attribute.valueDataFormat ? { value_data_format: attribute.valueDataFormat } : {}),
      ...(attribute.values ? { values: attribute.values.map((value) => ({ ...value })) } : {}),
      requirement_conditions: (attribute.conditions ?? []).map((condition) => ({
        attribute_id: condition.attributeId,
        attribute_value_id: condition.valueId,
        condition_type: 'VALUE_ID_MATCH',
      })),
    })),
  };
}

function rules(call: TikTokCall): unknown {
  const found = tiktokCategoryRules(leafOf(call));
  return {
    package_dimension: { is_required: found.packageDimensionRequired },
    size_chart: { is_supported: found.sizeChart.supported, is_required: found.sizeChart.required },
    product_certifications: found.certifications.map((certification) => ({
      id: certification.id,
      name: certification.name,
      is_required: certification.required,
      requirement_conditions: (certification.conditions ?? []).map((condition) => ({
        attribute_id: condition.attributeId,
        attribute_value_id: condition.valueId,
        condition_type: 'VALUE_ID_MATCH',
      })),
      sample_image_url: 'https://example.invalid/sample.jpg',
    })),
  };
}

/**
 * The brands every shop sees. `UNAUTHORIEZD` is TikTok's own spelling (spec enum, official sample
 * and live captures). `Nike` is a T1 brand this shop may not use.
 */
export const TIKTOK_SANDBOX_BRANDS = Object.freeze([
  { id: '7082427311584347905', name: 'Tramontina', authorized_status: 'AUTHORIZED', is_t1_brand: false },
  { id: '7082427311584347906', name: 'Térmica Sul', authorized_status: 'UNAUTHORIEZD', is_t1_brand: false },
  { id: '7082427311584347907', name: 'Nike', authorized_status: 'UNAUTHORIEZD', is_t1_brand: true },
  { id: '7082427311584347908', name: 'Tupperware', authorized_status: 'AUTHORIZED', is_t1_brand: false },
]);

function brands(call: TikTokCall): unknown {
  const pageSize = readPageSize(call.query, 100);
  const token = call.query.get('page_token') ?? '';
  const offset = token === '' ? 0 : /^b\d+$/.test(token) ? Number(token.slice(1)) : Number.NaN;
  if (!Number.isInteger(offset)) throw tiktokError('invalidParam', 'page_token is invalid');
  const prefix = (call.query.get('brand_name') ?? '').toLowerCase();
  const categoryId = call.query.get('category_id');
  const matching = TIKTOK_SANDBOX_BRANDS.filter((brand) =>
    brand.name.toLowerCase().startsWith(prefix),
  ).filter((brand) => call.query.get('is_authorized') !== '1' || brand.authorized_status === 'AUTHORIZED');
  const page = matching.slice(offset, offset + pageSize);
  const next = offset + page.length;
  return {
    brands: page.map((brand) => ({
      ...brand,
      // Only meaningful, and only sent, for authorized brands when a category is given.
      ...(categoryId && brand.authorized_status === 'AUTHORIZED' ? { brand_status: 'AVAILABLE' } : {}),
    })),
    next_page_token: next < matching.length ? `b${next}` : '',
    total_count: matching.length,
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
  {
    method: 'GET',
    path: '/product/202309/categories/{category_id}/attributes',
    scope: READ,
    shopCipher: 'required',
    handle: attributes,
  },
  { method: 'GET', path: '/product/202309/brands', scope: READ, shopCipher: 'required', handle: brands },
  {
    method: 'GET',
    path: '/product/202309/categories/{category_id}/rules',
    scope: READ,
    shopCipher: 'required',
    handle: rules,
  },
];
