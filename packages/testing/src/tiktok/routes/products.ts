/** Product endpoints (reference §6). */
import { compareDecimal } from '@mlh/core';
import * as z from 'zod';
import { isTikTokParentCategory, missingTikTokAttributes, tiktokCategoryRules } from '../categories';
import type { TikTokProductStatusField } from '../context';
import { itemError, type TikTokItemError, tiktokError } from '../errors';
import { parseInput, shopOf, type TikTokCall, type TikTokRoute, unixSeconds } from '../gateway';
import { setProductStatus, submitForAudit } from '../lifecycle';
import { paginate, readPageSize } from '../paging';
import { renderProduct, renderProductSummary } from '../render';
import type {
  TikTokProductStatus,
  TikTokSandboxProduct,
  TikTokSandboxSalesAttribute,
  TikTokSandboxSku,
} from '../state';

const READ = 'seller.product.basic';
const WRITE = 'seller.product.write';
/** Largest quantity the inventory endpoint accepts (sandbox bound). */
const MAX_QUANTITY = 999_999;

const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal string like "19.99"');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
const inventoryRow = z.looseObject({ warehouse_id: z.string().min(1), quantity: z.number().int() });
const salesAttribute = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  value_id: z.string().optional(),
  value_name: z.string().optional(),
});
const skuInput = z.looseObject({
  id: z.string().optional(),
  seller_sku: z.string().optional(),
  external_sku_id: z.string().optional(),
  price: z.looseObject({ amount: decimal, currency }),
  inventory: z.array(inventoryRow).min(1),
  sales_attributes: z.array(salesAttribute).optional(),
});
const dimensions = z.looseObject({
  length: decimal,
  width: decimal,
  height: decimal,
  unit: z.string().min(1),
});
const productInput = z.looseObject({
  title: z.string().min(1),
  description: z.string().min(1).max(10_000),
  category_id: z.string().min(1),
  brand_id: z.string().optional(),
  main_images: z
    .array(z.looseObject({ uri: z.string().min(1) }))
    .min(1)
    .max(9),
  skus: z.array(skuInput).min(1),
  package_weight: z.looseObject({ value: decimal, unit: z.string().min(1) }),
  package_dimensions: dimensions.optional(),
  external_product_id: z.string().optional(),
  save_mode: z.enum(['LISTING', 'AS_DRAFT']).optional(),
  product_attributes: z.array(z.looseObject({ id: z.string().optional() })).optional(),
});
type ProductInput = z.infer<typeof productInput>;
type SkuInput = z.infer<typeof skuInput>;

const searchBody = z.looseObject({
  status: z
    .enum([
      'ALL',
      'DRAFT',
      'PENDING',
      'FAILED',
      'ACTIVATE',
      'SELLER_DEACTIVATED',
      'PLATFORM_DEACTIVATED',
      'FREEZE',
      'DELETED',
    ])
    .optional(),
  seller_skus: z.array(z.string()).optional(),
  create_time_ge: unixSeconds.optional(),
  create_time_le: unixSeconds.optional(),
  update_time_ge: unixSeconds.optional(),
  update_time_le: unixSeconds.optional(),
});

const productIdsBody = z.looseObject({ product_ids: z.array(z.string().min(1)).min(1) });

/** Moves Get Product's `status` to the field real responses use (`status` or `product_status`), or drops it. */
function withStatusField(
  rendered: Record<string, unknown>,
  field: TikTokProductStatusField,
): Record<string, unknown> {
  if (field === 'status') return rendered;
  const { status, ...rest } = rendered;
  return field === 'product_status' ? { ...rest, product_status: status } : rest;
}

function productOf(call: TikTokCall, productId: string | undefined): TikTokSandboxProduct {
  const product = productId === undefined ? undefined : call.context.state.products.get(productId);
  if (!product || product.shopId !== shopOf(call).id) throw tiktokError('productNotFound');
  return product;
}

function checkSkusAgainstShop(call: TikTokCall, skus: readonly SkuInput[]): void {
  const shop = shopOf(call);
  skus.forEach((sku, index) => {
    if (sku.price.currency !== shop.currency) {
      throw tiktokError('invalidPrice', `skus.${index}.price.currency must be ${shop.currency} in this shop`);
    }
    if (compareDecimal(sku.price.amount, '0') <= 0) {
      throw tiktokError('invalidPrice', `skus.${index}.price.amount must be greater than 0`);
    }
    sku.inventory.forEach((row, rowIndex) => {
      if (!shop.warehouses.some((warehouse) => warehouse.id === row.warehouse_id)) {
        throw tiktokError(
          'warehouseNotFound',
          `skus.${index}.inventory.${rowIndex}.warehouse_id does not exist`,
        );
      }
      if (row.quantity < 0 || row.quantity > MAX_QUANTITY) {
        throw tiktokError('invalidQuantity', `skus.${index}.inventory.${rowIndex}.quantity is out of range`);
      }
    });
  });
}

/** Gives sales attributes ids, reusing the product's ids for the same names and values. */
function attributeIds(call: TikTokCall, existing: readonly TikTokSandboxSku[]) {
  const names = new Map<string, string>();
  const values = new Map<string, string>();
  for (const sku of existing) {
    for (const attribute of sku.salesAttributes) {
      names.set(attribute.name, attribute.id);
      values.set(`${attribute.name}\u0000${attribute.valueName}`, attribute.valueId);
    }
  }
  return (input: z.infer<typeof salesAttribute>): TikTokSandboxSalesAttribute => {
    const name = input.name ?? `Attribute ${input.id ?? ''}`.trim();
    const valueName = input.value_name ?? `Value ${input.value_id ?? ''}`.trim();
    const id = input.id ?? names.get(name) ?? call.context.state.nextId('attribute');
    names.set(name, id);
    const valueKey = `${name}\u0000${valueName}`;
    const valueId = input.value_id ?? values.get(valueKey) ?? call.context.state.nextId('attribute');
    values.set(valueKey, valueId);
    return { id, name, valueId, valueName };
  };
}

function buildSkus(
  call: TikTokCall,
  inputs: readonly SkuInput[],
  existing: readonly TikTokSandboxSku[],
): TikTokSandboxSku[] {
  const toAttribute = attributeIds(call, existing);
  return inputs.map((input, index) => {
    if (input.id !== undefined && !existing.some((sku) => sku.id === input.id)) {
      throw tiktokError('skuNotFound', `skus.${index}.id ${input.id} does not exist in this product`);
    }
    return {
      id: input.id ?? call.context.state.nextId('sku'),
      sellerSku: input.seller_sku ?? '',
      externalSkuId: input.external_sku_id,
      price: { amount: input.price.amount, currency: input.price.currency },
      inventory: input.inventory.map((row) => ({ warehouseId: row.warehouse_id, quantity: row.quantity })),
      salesAttributes: (input.sales_attributes ?? []).map(toAttribute),
    };
  });
}

/**
 * Only leaves take products; unknown ids stay accepted (the sandbox's tree is small). Outside
 * `AS_DRAFT` (which skips attribute validation) the leaf's required attributes and package
 * dimensions must be sent.
 */
function checkCategory(input: ProductInput): void {
  if (isTikTokParentCategory(input.category_id)) throw tiktokError('categoryNotLeaf');
  if (input.save_mode === 'AS_DRAFT') return;
  const attributes = Array.isArray(input.product_attributes) ? input.product_attributes : [];
  const missing = missingTikTokAttributes(input.category_id, attributes as never);
  if (missing.length > 0) {
    throw tiktokError(
      'requiredAttributeMissing',
      `product_attributes missing required ${missing.join(', ')}`,
    );
  }
  if (tiktokCategoryRules(input.category_id).packageDimensionRequired && !input.package_dimensions) {
    throw tiktokError('invalidParam', 'package_dimensions is required for this category');
  }
}

function applyProductInput(
  product: TikTokSandboxProduct,
  input: ProductInput,
  skus: TikTokSandboxSku[],
): void {
  product.title = input.title;
  product.description = input.description;
  product.categoryId = input.category_id;
  product.brandId = input.brand_id;
  product.mainImages = input.main_images.map((entry) => ({ uri: entry.uri }));
  product.packageWeight = { value: input.package_weight.value, unit: input.package_weight.unit };
  product.packageDimensions = input.package_dimensions && {
    length: input.package_dimensions.length,
    width: input.package_dimensions.width,
    height: input.package_dimensions.height,
    unit: input.package_dimensions.unit,
  };
  product.externalProductId = input.external_product_id;
  product.skus = skus;
}

function writeResult(product: TikTokSandboxProduct): Record<string, unknown> {
  return {
    product_id: product.id,
    skus: product.skus.map((sku) => ({
      id: sku.id,
      seller_sku: sku.sellerSku,
      ...(sku.externalSkuId === undefined ? {} : { external_sku_id: sku.externalSkuId }),
      sales_attributes: sku.salesAttributes.map((attribute) => ({
        id: attribute.id,
        value_id: attribute.valueId,
      })),
    })),
    warnings: [],
  };
}

function createProduct(call: TikTokCall): Record<string, unknown> {
  const input = parseInput(productInput, call.body);
  checkCategory(input);
  checkSkusAgainstShop(call, input.skus);
  const now = call.context.nowSeconds();
  const product: TikTokSandboxProduct = {
    id: call.context.state.nextId('product'),
    shopId: shopOf(call).id,
    title: '',
    description: '',
    categoryId: '',
    status: 'DRAFT',
    mainImages: [],
    createTime: now,
    updateTime: now,
    skus: [],
  };
  const skus = buildSkus(
    call,
    input.skus.map((sku) => ({ ...sku, id: undefined })),
    [],
  );
  applyProductInput(product, input, skus);
  call.context.state.products.set(product.id, product);
  if (input.save_mode !== 'AS_DRAFT') submitForAudit(call.context, product);
  return writeResult(product);
}

function editProduct(call: TikTokCall): Record<string, unknown> {
  const product = productOf(call, call.params.product_id);
  if (product.status === 'DELETED') throw tiktokError('productStatusConflict');
  const input = parseInput(productInput, call.body);
  checkCategory(input);
  checkSkusAgainstShop(call, input.skus);
  const skus = buildSkus(call, input.skus, product.skus);
  applyProductInput(product, input, skus);
  product.updateTime = call.context.nowSeconds();
  if (input.save_mode !== 'AS_DRAFT') submitForAudit(call.context, product);
  return writeResult(product);
}

const partialInput = z.looseObject({
  title: z.string().min(1).optional(),
  description: z.string().min(1).max(10_000).optional(),
  main_images: z
    .array(z.looseObject({ uri: z.string().min(1) }))
    .min(1)
    .max(9)
    .optional(),
  package_weight: z.looseObject({ value: decimal, unit: z.string().min(1) }).optional(),
  package_dimensions: dimensions.optional(),
  skus: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        seller_sku: z.string().optional(),
        price: z.looseObject({ amount: decimal, currency }).optional(),
        inventory: z.array(inventoryRow).min(1).optional(),
      }),
    )
    .optional(),
});

function partialEdit(call: TikTokCall): Record<string, unknown> {
  const product = productOf(call, call.params.product_id);
  if (product.status === 'DELETED') throw tiktokError('productStatusConflict');
  const input = parseInput(partialInput, call.body);
  const skuEdits = (input.skus ?? []).map((edit, index) => {
    const sku = product.skus.find((candidate) => candidate.id === edit.id);
    if (!sku) throw tiktokError('skuNotFound', `skus.${index}.id ${edit.id} does not exist in this product`);
    return { sku, edit };
  });
  checkSkusAgainstShop(
    call,
    skuEdits.map(({ sku, edit }) => ({
      price: edit.price ?? sku.price,
      inventory:
        edit.inventory ??
        sku.inventory.map((row) => ({ warehouse_id: row.warehouseId, quantity: row.quantity })),
    })),
  );
  if (input.title !== undefined) product.title = input.title;
  if (input.description !== undefined) product.description = input.description;
  if (input.main_images !== undefined)
    product.mainImages = input.main_images.map((entry) => ({ uri: entry.uri }));
  if (input.package_weight !== undefined) {
    product.packageWeight = { value: input.package_weight.value, unit: input.package_weight.unit };
  }
  if (input.package_dimensions !== undefined) {
    const { length, width, height, unit } = input.package_dimensions;
    product.packageDimensions = { length, width, height, unit };
  }
  for (const { sku, edit } of skuEdits) {
    if (edit.seller_sku !== undefined) sku.sellerSku = edit.seller_sku;
    if (edit.price !== undefined) sku.price = { amount: edit.price.amount, currency: edit.price.currency };
    if (edit.inventory !== undefined) {
      sku.inventory = edit.inventory.map((row) => ({
        warehouseId: row.warehouse_id,
        quantity: row.quantity,
      }));
    }
  }
  product.updateTime = call.context.nowSeconds();
  if (product.status !== 'DRAFT') submitForAudit(call.context, product);
  return writeResult(product);
}

const inventoryBody = z.looseObject({
  skus: z.array(z.looseObject({ id: z.string().min(1), inventory: z.array(inventoryRow).min(1) })).min(1),
});

function updateInventory(call: TikTokCall): Record<string, unknown> {
  const product = productOf(call, call.params.product_id);
  if (product.status === 'DELETED') throw tiktokError('productStatusConflict');
  const input = parseInput(inventoryBody, call.body);
  const shop = shopOf(call);
  const errors: TikTokItemError[] = [];
  for (const entry of input.skus) {
    const sku = product.skus.find((candidate) => candidate.id === entry.id);
    if (!sku) {
      errors.push(itemError('skuNotFound', { sku_id: entry.id }));
      continue;
    }
    const badWarehouse = entry.inventory.find(
      (row) => !shop.warehouses.some((warehouse) => warehouse.id === row.warehouse_id),
    );
    if (badWarehouse) {
      errors.push(
        itemError('warehouseNotFound', { sku_id: entry.id, warehouse_id: badWarehouse.warehouse_id }),
      );
      continue;
    }
    const badQuantity = entry.inventory.find((row) => row.quantity < 0 || row.quantity > MAX_QUANTITY);
    if (badQuantity) {
      errors.push(itemError('invalidQuantity', { sku_id: entry.id, warehouse_id: badQuantity.warehouse_id }));
      continue;
    }
    for (const row of entry.inventory) {
      const current = sku.inventory.find((candidate) => candidate.warehouseId === row.warehouse_id);
      if (current) current.quantity = row.quantity;
      else sku.inventory.push({ warehouseId: row.warehouse_id, quantity: row.quantity });
    }
  }
  product.updateTime = call.context.nowSeconds();
  return errors.length > 0 ? { errors } : {};
}

const priceBody = z.looseObject({
  skus: z
    .array(z.looseObject({ id: z.string().min(1), price: z.looseObject({ amount: decimal, currency }) }))
    .min(1),
});

function updatePrices(call: TikTokCall): Record<string, unknown> {
  const product = productOf(call, call.params.product_id);
  if (product.status === 'DELETED') throw tiktokError('productStatusConflict');
  const input = parseInput(priceBody, call.body);
  const shop = shopOf(call);
  const errors: TikTokItemError[] = [];
  for (const entry of input.skus) {
    const sku = product.skus.find((candidate) => candidate.id === entry.id);
    if (!sku) {
      errors.push(itemError('skuNotFound', { sku_id: entry.id }));
    } else if (entry.price.currency !== shop.currency || compareDecimal(entry.price.amount, '0') <= 0) {
      errors.push(itemError('invalidPrice', { sku_id: entry.id }));
    } else {
      sku.price = { amount: entry.price.amount, currency: entry.price.currency };
    }
  }
  product.updateTime = call.context.nowSeconds();
  return errors.length > 0 ? { errors } : {};
}

/** A batch status change: per-product failures in `data.errors[]`. */
function batchStatus(
  transition: (product: TikTokSandboxProduct, call: TikTokCall) => 'changed' | 'unchanged' | 'conflict',
): (call: TikTokCall) => Record<string, unknown> {
  return (call) => {
    const input = parseInput(productIdsBody, call.body);
    const shop = shopOf(call);
    const errors: TikTokItemError[] = [];
    for (const productId of input.product_ids) {
      const product = call.context.state.products.get(productId);
      if (!product || product.shopId !== shop.id) {
        errors.push(itemError('productNotFound', { product_id: productId }));
      } else if (transition(product, call) === 'conflict') {
        errors.push(itemError('productStatusConflict', { product_id: productId, status: product.status }));
      }
    }
    return errors.length > 0 ? { errors } : {};
  };
}

function move(
  call: TikTokCall,
  product: TikTokSandboxProduct,
  from: readonly TikTokProductStatus[],
  to: TikTokProductStatus,
): 'changed' | 'conflict' {
  if (!from.includes(product.status)) return 'conflict';
  setProductStatus(call.context, product, to);
  return 'changed';
}

function searchProducts(call: TikTokCall): Record<string, unknown> {
  const pageSize = readPageSize(call.query, 100);
  const filters = parseInput(searchBody, call.body);
  const shop = shopOf(call);
  const status = filters.status ?? 'ALL';
  const matches = [...call.context.state.products.values()].filter(
    (product) =>
      product.shopId === shop.id &&
      (status === 'ALL' ? product.status !== 'DELETED' : product.status === status) &&
      (filters.seller_skus === undefined ||
        product.skus.some((sku) => filters.seller_skus?.includes(sku.sellerSku))) &&
      (filters.create_time_ge === undefined || product.createTime >= filters.create_time_ge) &&
      (filters.create_time_le === undefined || product.createTime <= filters.create_time_le) &&
      (filters.update_time_ge === undefined || product.updateTime >= filters.update_time_ge) &&
      (filters.update_time_le === undefined || product.updateTime <= filters.update_time_le),
  );
  const page = paginate(matches, {
    pageSize,
    pageToken: call.query.get('page_token'),
    fingerprint: JSON.stringify([new URL(call.request.url).pathname, shop.id, filters]),
    sortValue: (product) => product.createTime,
    id: (product) => product.id,
    descending: true,
  });
  return {
    products: page.items.map((product) => renderProductSummary(product, shop)),
    next_page_token: page.nextPageToken,
    total_count: page.totalCount,
  };
}

const IMAGE_USE_CASES = ['MAIN_IMAGE', 'ATTRIBUTE_IMAGE', 'DESCRIPTION_IMAGE', 'CERTIFICATION_IMAGE'];

async function uploadImage(call: TikTokCall): Promise<Record<string, unknown>> {
  const file = call.form?.get('data');
  if (file === null || file === undefined || typeof file === 'string') {
    throw tiktokError('invalidParam', 'Invalid parameter. data: an image file is required');
  }
  const useCase = call.form?.get('use_case') ?? 'MAIN_IMAGE';
  if (typeof useCase !== 'string' || !IMAGE_USE_CASES.includes(useCase)) {
    throw tiktokError(
      'invalidParam',
      `Invalid parameter. use_case: must be one of ${IMAGE_USE_CASES.join(', ')}`,
    );
  }
  const size = (await file.arrayBuffer()).byteLength;
  if (size === 0) throw tiktokError('invalidParam', 'Invalid parameter. data: the image is empty');
  const uri = `tos-sandbox-i-${call.context.state.nextId('attribute')}/${size.toString(16)}`;
  return {
    uri,
    url: `https://p16-oec-sandbox.tiktokcdn.example/${uri}~tplv-origin.jpeg`,
    width: 800,
    height: 800,
    use_case: useCase,
  };
}

const getProductQuery = z.looseObject({ return_under_review_version: z.enum(['true', 'false']).optional() });

/** Product endpoints; search is served on each version the reference lists. */
export const productRoutes: TikTokRoute[] = [
  ...['202309', '202312', '202502'].map(
    (version): TikTokRoute => ({
      method: 'POST',
      path: `/product/${version}/products/search`,
      scope: READ,
      shopCipher: 'required',
      handle: searchProducts,
    }),
  ),
  {
    method: 'GET',
    path: '/product/202309/products/{product_id}',
    scope: READ,
    shopCipher: 'required',
    handle: (call) => {
      parseInput(getProductQuery, Object.fromEntries(call.query));
      return withStatusField(
        renderProduct(productOf(call, call.params.product_id)),
        call.context.settings.productStatusField,
      );
    },
  },
  {
    method: 'POST',
    path: '/product/202309/products',
    scope: WRITE,
    shopCipher: 'required',
    handle: createProduct,
  },
  {
    method: 'PUT',
    path: '/product/202309/products/{product_id}',
    scope: WRITE,
    shopCipher: 'required',
    handle: editProduct,
  },
  {
    method: 'POST',
    path: '/product/202309/products/{product_id}/partial_edit',
    scope: WRITE,
    shopCipher: 'required',
    handle: partialEdit,
  },
  {
    method: 'POST',
    path: '/product/202309/products/{product_id}/inventory/update',
    scope: WRITE,
    shopCipher: 'required',
    handle: updateInventory,
  },
  {
    method: 'POST',
    path: '/product/202309/products/{product_id}/prices/update',
    scope: WRITE,
    shopCipher: 'required',
    handle: updatePrices,
  },
  {
    method: 'POST',
    path: '/product/202309/products/activate',
    scope: WRITE,
    shopCipher: 'required',
    handle: batchStatus((product, call) => {
      if (product.status === 'ACTIVATE' || product.status === 'PENDING') return 'unchanged';
      if (product.status !== 'SELLER_DEACTIVATED') return 'conflict';
      submitForAudit(call.context, product);
      return 'changed';
    }),
  },
  {
    method: 'POST',
    path: '/product/202309/products/deactivate',
    scope: WRITE,
    shopCipher: 'required',
    handle: batchStatus((product, call) =>
      product.status === 'SELLER_DEACTIVATED'
        ? 'unchanged'
        : move(call, product, ['ACTIVATE', 'PENDING'], 'SELLER_DEACTIVATED'),
    ),
  },
  {
    method: 'DELETE',
    path: '/product/202309/products',
    scope: WRITE,
    shopCipher: 'required',
    handle: batchStatus((product, call) => {
      if (product.status === 'DELETED') return 'unchanged';
      setProductStatus(call.context, product, 'DELETED');
      return 'changed';
    }),
  },
  {
    method: 'POST',
    path: '/product/202309/products/recover',
    scope: WRITE,
    shopCipher: 'required',
    handle: batchStatus((product, call) => move(call, product, ['DELETED'], 'SELLER_DEACTIVATED')),
  },
  {
    method: 'POST',
    path: '/product/202309/images/upload',
    scope: WRITE,
    shopCipher: 'forbidden',
    multipart: true,
    handle: uploadImage,
  },
];
