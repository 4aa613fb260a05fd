import * as z from 'zod';
import { isShopeeNonLeafCategory, shopeeCategoryRefusal } from './api-category';
import { nowSeconds, type ShopeeContext, type ShopeeEndpoint } from './context';
import { envelopeResponse, ShopeeApiError } from './envelope';
import type { JsonWritable } from './json';
import {
  listQuery,
  optionalIntQuery,
  paramError,
  parseBody,
  requiredIdQuery,
  requiredIntQuery,
} from './params';
import { marketPrice, priceJson } from './prices';
import type { ShopeeItemRecord, ShopeeItemStatus, ShopeeModelRecord, ShopeeShopRecord } from './state';

/** Most items per `get_item_list` page, ids per `get_item_base_info`, entries per batch write. */
export const SHOPEE_ITEM_LIMITS = { pageSize: 100, baseInfoIds: 50, batchEntries: 50 } as const;

const ITEM_STATUSES: readonly ShopeeItemStatus[] = [
  'NORMAL',
  'BANNED',
  'UNLIST',
  'REVIEWING',
  'SELLER_DELETE',
  'SHOPEE_DELETE',
];

const id = z
  .union([z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform((value) => BigInt(value));
const price = z.union([z.number(), z.bigint()]);

/** Only leaves of the category tree take items (reference: "Invalid category id" otherwise). */
function invalidCategory(): ShopeeApiError {
  return new ShopeeApiError('error_invalid_category', 'Invalid category ID.');
}

/** Image URL of an uploaded image id for a market (the CDN host is illustrative). */
export function imageUrl(imageId: string, region: string): string {
  return `https://down-${region.toLowerCase()}.img.susercontent.com/file/${imageId}`;
}

function stockInfo(stock: number, shop: ShopeeShopRecord): JsonWritable {
  return {
    summary_info: { total_reserved_stock: 0, total_available_stock: stock },
    seller_stock: [{ location_id: `${shop.region}Z`, stock, if_saleable: true }],
    shopee_stock: [],
    advance_stock: { sellable_advance_stock: 0, in_transit_advance_stock: 0 },
  };
}

function priceInfo(value: string, shop: ShopeeShopRecord): JsonWritable {
  return [
    {
      currency: shop.currency,
      original_price: priceJson(value),
      current_price: priceJson(value),
      inflated_price_of_original_price: priceJson(value),
      inflated_price_of_current_price: priceJson(value),
    },
  ];
}

function dimensionJson(item: ShopeeItemRecord): JsonWritable {
  if (!item.dimension) return undefined;
  return {
    package_length: item.dimension.packageLength,
    package_width: item.dimension.packageWidth,
    package_height: item.dimension.packageHeight,
  };
}

/** An item as `get_item_base_info` returns it. */
export function itemBaseInfoJson(
  item: ShopeeItemRecord,
  shop: ShopeeShopRecord,
  options: { taxInfo?: boolean } = {},
): JsonWritable {
  const hasModel = item.models.length > 0;
  return {
    // Only when asked with need_tax_info=true (reference §5.2).
    ...(options.taxInfo && item.taxInfo ? { tax_info: { ...item.taxInfo } } : {}),
    item_id: item.itemId,
    category_id: item.categoryId,
    item_name: item.name,
    description: item.description,
    description_type: 'normal',
    item_sku: item.sku,
    create_time: item.createTime,
    update_time: item.updateTime,
    attribute_list: [],
    price_info: hasModel ? undefined : priceInfo(item.price, shop),
    image: {
      image_url_list: item.imageIds.map((imageId) => imageUrl(imageId, shop.region)),
      image_id_list: item.imageIds,
      image_ratio: '1:1',
    },
    weight: item.weight,
    dimension: dimensionJson(item),
    logistic_info: shop.channels.map((channel) => ({
      logistic_id: channel.logisticsChannelId,
      logistic_name: channel.name,
      enabled: true,
      is_free: false,
    })),
    pre_order: { is_pre_order: false, days_to_ship: 2 },
    condition: item.condition,
    item_status: item.status,
    has_model: hasModel,
    brand: item.brand
      ? { brand_id: item.brand.brandId, original_brand_name: item.brand.originalBrandName }
      : { brand_id: 0, original_brand_name: 'NoBrand' },
    item_dangerous: 0,
    deboost: false,
    has_promotion: false,
    stock_info_v2: hasModel ? undefined : stockInfo(item.stock, shop),
  };
}

/** A model as `get_model_list` returns it. */
export function modelJson(
  model: ShopeeModelRecord,
  item: ShopeeItemRecord,
  shop: ShopeeShopRecord,
): JsonWritable {
  return {
    model_id: model.modelId,
    tier_index: model.tierIndex,
    model_sku: model.sku,
    model_status: model.status,
    price_info: priceInfo(model.price, shop),
    stock_info_v2: stockInfo(model.stock, shop),
    pre_order: { is_pre_order: false, days_to_ship: 2 },
    weight: item.weight,
    dimension: dimensionJson(item),
    has_promotion: false,
    promotion_id: 0,
    is_fulfillment_by_shopee: false,
  };
}

/** The tier variations of an item as `get_model_list` returns them. */
export function tierVariationJson(item: ShopeeItemRecord): JsonWritable {
  return item.tierVariation.map((tier) => ({
    name: tier.name,
    option_list: tier.options.map((option) => ({ option })),
  }));
}

/** The item of `shop` with that id, or `error_not_found` (deleted items only where `readable`). */
function findItem(
  context: ShopeeContext,
  shop: ShopeeShopRecord,
  itemId: bigint,
  mode: 'read' | 'write',
): ShopeeItemRecord {
  const item = context.state.items.get(itemId);
  const deleted = item?.status === 'SELLER_DELETE' || item?.status === 'SHOPEE_DELETE';
  if (!item || item.shopId !== shop.shopId || (mode === 'write' && deleted)) {
    throw new ShopeeApiError('error_not_found', `Item ${itemId} not found.`);
  }
  return item;
}

function touch(item: ShopeeItemRecord, context: ShopeeContext): void {
  item.updateTime = nowSeconds(context);
}

const StockBody = z.object({
  item_id: id,
  stock_list: z
    .array(
      z.object({
        model_id: id.optional(),
        seller_stock: z
          .array(z.object({ location_id: z.string().optional(), stock: z.number().int() }))
          .min(1),
      }),
    )
    .min(1)
    .max(SHOPEE_ITEM_LIMITS.batchEntries),
});

const PriceBody = z.object({
  item_id: id,
  price_list: z
    .array(z.object({ model_id: id.optional(), original_price: price }))
    .min(1)
    .max(SHOPEE_ITEM_LIMITS.batchEntries),
});

type BatchTarget =
  | { kind: 'item' }
  | { kind: 'model'; model: ShopeeModelRecord }
  | { kind: 'failure'; reason: string };

/** The model an entry of a batch write targets, or why that entry fails (the others go on). */
function targetOf(item: ShopeeItemRecord, modelId: bigint | undefined): BatchTarget {
  const wanted = modelId ?? 0n;
  if (item.models.length === 0) {
    return wanted === 0n
      ? { kind: 'item' }
      : { kind: 'failure', reason: `Model ${wanted} not found: this item has no models.` };
  }
  if (wanted === 0n) return { kind: 'failure', reason: 'model_id is required for an item with models.' };
  const model = item.models.find((candidate) => candidate.modelId === wanted);
  return model ? { kind: 'model', model } : { kind: 'failure', reason: `Model ${wanted} not found.` };
}

const AddItemBody = z.object({
  original_price: price,
  description: z.string().min(1),
  weight: z.number().positive(),
  item_name: z.string().min(1).max(255),
  category_id: z.number().int().positive(),
  image: z.object({ image_id_list: z.array(z.string().min(1)).min(1), image_ratio: z.string().optional() }),
  logistic_info: z
    .array(z.object({ logistic_id: z.number().int(), enabled: z.boolean(), is_free: z.boolean().optional() }))
    .min(1),
  seller_stock: z
    .array(z.object({ location_id: z.string().optional(), stock: z.number().int().min(0) }))
    .optional(),
  item_sku: z.string().max(100).optional(),
  item_status: z.enum(['NORMAL', 'UNLIST']).optional(),
  condition: z.enum(['NEW', 'USED']).optional(),
  dimension: z
    .object({
      package_length: z.number().int().positive(),
      package_width: z.number().int().positive(),
      package_height: z.number().int().positive(),
    })
    .optional(),
  brand: z.object({ brand_id: z.number().int(), original_brand_name: z.string() }).optional(),
  tax_info: z.record(z.string(), z.string()).optional(),
  attribute_list: z
    .array(
      z.object({ attribute_id: z.number().int(), attribute_value_list: z.array(z.unknown()).optional() }),
    )
    .optional(),
});

const InitTierBody = z.object({
  item_id: id,
  tier_variation: z
    .array(
      z.object({
        name: z.string().min(1),
        option_list: z.array(z.object({ option: z.string().min(1) })).min(1),
      }),
    )
    .min(1)
    .max(2),
  model: z
    .array(
      z.object({
        tier_index: z.array(z.number().int().nonnegative()),
        original_price: price,
        model_sku: z.string().max(100).optional(),
        seller_stock: z
          .array(z.object({ location_id: z.string().optional(), stock: z.number().int().min(0) }))
          .min(1),
      }),
    )
    .min(1),
});

const UpdateItemBody = z.object({
  item_id: id,
  item_name: z.string().min(1).max(255).optional(),
  description: z.string().min(1).optional(),
  item_sku: z.string().max(100).optional(),
  item_status: z.enum(['NORMAL', 'UNLIST']).optional(),
  category_id: z.number().int().positive().optional(),
  weight: z.number().positive().optional(),
  image: z
    .object({ image_id_list: z.array(z.string().min(1)).min(1), image_ratio: z.string().optional() })
    .optional(),
  // In the official request sample, not in the parameter table (reference §5.5 [U]): accepted, checked.
  logistic_info: z
    .array(z.object({ logistic_id: z.number().int(), enabled: z.boolean(), is_free: z.boolean().optional() }))
    .optional(),
  condition: z.enum(['NEW', 'USED']).optional(),
  dimension: z
    .object({
      package_length: z.number().int().positive(),
      package_width: z.number().int().positive(),
      package_height: z.number().int().positive(),
    })
    .optional(),
  brand: z.object({ brand_id: z.number().int(), original_brand_name: z.string() }).optional(),
});

/** Fields update_item cannot change, and the API that does (reference §5.5). */
const NOT_UPDATED_BY_UPDATE_ITEM: Readonly<Record<string, string>> = {
  original_price: 'update_price',
  price_list: 'update_price',
  seller_stock: 'update_stock',
  stock_list: 'update_stock',
  normal_stock: 'update_stock',
  tier_variation: 'init_tier_variation or update_tier_variation',
  model: 'init_tier_variation or add_model',
};

function totalStock(entries: readonly { stock: number }[]): number {
  return entries.reduce((sum, entry) => sum + entry.stock, 0);
}

function positivePrice(value: number | bigint, region: string): string | undefined {
  const normalized = marketPrice(value, region);
  return Number(normalized) > 0 ? normalized : undefined;
}

/** Product and media endpoints that read or write items (reference §5). */
export const productEndpoints: Record<string, ShopeeEndpoint> = {
  '/api/v2/product/get_item_list': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const offset = requiredIntQuery(call.query, 'offset');
      const pageSize = requiredIntQuery(call.query, 'page_size');
      if (offset < 0) throw paramError('offset should be greater than or equal to 0.');
      if (pageSize < 1 || pageSize > SHOPEE_ITEM_LIMITS.pageSize) {
        throw paramError(`page_size should be between 1 and ${SHOPEE_ITEM_LIMITS.pageSize}.`);
      }
      const statuses = listQuery(call.query, 'item_status');
      if (statuses.length === 0) throw paramError('item_status is required.');
      for (const status of statuses) {
        if (!ITEM_STATUSES.includes(status as ShopeeItemStatus))
          throw paramError(`Invalid item_status ${status}.`);
      }
      const fromValue = optionalIntQuery(call.query, 'update_time_from');
      const toValue = optionalIntQuery(call.query, 'update_time_to');
      if (fromValue !== undefined && toValue !== undefined && toValue <= fromValue) {
        throw new ShopeeApiError(
          'error_update_time_range',
          'update_time_to should be later than update_time_from.',
        );
      }
      const matching = [...context.state.items.values()].filter(
        (item) =>
          item.shopId === call.shop!.shopId &&
          statuses.includes(item.status) &&
          (fromValue === undefined || item.updateTime >= fromValue) &&
          (toValue === undefined || item.updateTime <= toValue),
      );
      const page = matching.slice(offset, offset + pageSize);
      const hasNext = offset + pageSize < matching.length;
      return envelopeResponse({
        item: page.map((item) => ({
          item_id: item.itemId,
          item_status: item.status,
          update_time: item.updateTime,
        })),
        total_count: matching.length,
        has_next_page: hasNext,
        next_offset: hasNext ? offset + pageSize : matching.length,
      });
    },
  },
  '/api/v2/product/get_item_base_info': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const ids = listQuery(call.query, 'item_id_list');
      if (ids.length === 0) throw paramError('item_id_list is required.');
      if (ids.length > SHOPEE_ITEM_LIMITS.baseInfoIds) {
        throw paramError(`item_id_list should contain at most ${SHOPEE_ITEM_LIMITS.baseInfoIds} items.`);
      }
      if (ids.some((value) => !/^\d+$/.test(value)))
        throw paramError('item_id_list should contain integers.');
      const shop = call.shop!;
      const taxInfo = call.query.get('need_tax_info') === 'true';
      const found: JsonWritable[] = [];
      const missing: string[] = [];
      for (const value of ids) {
        const item = context.state.items.get(BigInt(value));
        if (item && item.shopId === shop.shopId) found.push(itemBaseInfoJson(item, shop, { taxInfo }));
        else missing.push(value);
      }
      const extras = missing.length > 0 ? { warning: `item_id ${missing.join(',')} not found.` } : {};
      return envelopeResponse({ item_list: found }, extras);
    },
  },
  '/api/v2/product/get_model_list': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const shop = call.shop!;
      const item = findItem(context, shop, requiredIdQuery(call.query, 'item_id'), 'read');
      return envelopeResponse({
        tier_variation: tierVariationJson(item),
        model: item.models.map((model) => modelJson(model, item, shop)),
        standardise_tier_variation: [],
      });
    },
  },
  '/api/v2/product/update_stock': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(StockBody, call.body);
      const item = findItem(context, call.shop!, body.item_id, 'write');
      const successList: JsonWritable[] = [];
      const failureList: JsonWritable[] = [];
      for (const entry of body.stock_list) {
        const modelId = entry.model_id ?? 0n;
        const target = targetOf(item, entry.model_id);
        const stock = totalStock(entry.seller_stock);
        if (target.kind === 'failure') {
          failureList.push({ model_id: modelId, failed_reason: target.reason });
          continue;
        }
        if (entry.seller_stock.some((location) => location.stock < 0)) {
          failureList.push({
            model_id: modelId,
            failed_reason: 'Stock should be greater than or equal to 0.',
          });
          continue;
        }
        if (target.kind === 'item') item.stock = stock;
        else target.model.stock = stock;
        const locationId = entry.seller_stock[0]?.location_id;
        successList.push({ model_id: modelId, location_id: locationId, stock });
      }
      if (successList.length > 0) touch(item, context);
      return envelopeResponse({ failure_list: failureList, success_list: successList });
    },
  },
  '/api/v2/product/update_price': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const shop = call.shop!;
      const body = parseBody(PriceBody, call.body);
      const item = findItem(context, shop, body.item_id, 'write');
      const successList: JsonWritable[] = [];
      const failureList: JsonWritable[] = [];
      for (const entry of body.price_list) {
        const modelId = entry.model_id ?? 0n;
        const target = targetOf(item, entry.model_id);
        if (target.kind === 'failure') {
          failureList.push({ model_id: modelId, failed_reason: target.reason });
          continue;
        }
        const normalized = positivePrice(entry.original_price, shop.region);
        if (normalized === undefined) {
          failureList.push({ model_id: modelId, failed_reason: 'Price should be greater than 0.' });
          continue;
        }
        if (target.kind === 'item') item.price = normalized;
        else target.model.price = normalized;
        successList.push({ model_id: modelId, original_price: priceJson(normalized) });
      }
      if (successList.length > 0) touch(item, context);
      return envelopeResponse({ failure_list: failureList, success_list: successList });
    },
  },
  '/api/v2/product/unlist_item': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(
        z.object({
          item_list: z
            .array(z.object({ item_id: id, unlist: z.boolean() }))
            .min(1)
            .max(SHOPEE_ITEM_LIMITS.batchEntries),
        }),
        call.body,
      );
      const successList: JsonWritable[] = [];
      const failureList: JsonWritable[] = [];
      for (const entry of body.item_list) {
        const item = context.state.items.get(entry.item_id);
        if (!item || item.shopId !== call.shop!.shopId) {
          failureList.push({ item_id: entry.item_id, failed_reason: 'Item not found.' });
          continue;
        }
        if (item.status !== 'NORMAL' && item.status !== 'UNLIST') {
          failureList.push({
            item_id: entry.item_id,
            failed_reason: `Item in status ${item.status} cannot be changed.`,
          });
          continue;
        }
        item.status = entry.unlist ? 'UNLIST' : 'NORMAL';
        touch(item, context);
        successList.push({ item_id: entry.item_id, unlist: entry.unlist });
      }
      return envelopeResponse({ failure_list: failureList, success_list: successList });
    },
  },
  '/api/v2/product/delete_item': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(z.object({ item_id: id }), call.body);
      const item = findItem(context, call.shop!, body.item_id, 'write');
      item.status = 'SELLER_DELETE';
      touch(item, context);
      return envelopeResponse({});
    },
  },
  '/api/v2/product/add_item': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const shop = call.shop!;
      const body = parseBody(AddItemBody, call.body);
      if (isShopeeNonLeafCategory(body.category_id)) throw invalidCategory();
      const refusal = shopeeCategoryRefusal(body.category_id, body.attribute_list, body.brand?.brand_id);
      if (refusal) throw refusal;
      const originalPrice = positivePrice(body.original_price, shop.region);
      if (originalPrice === undefined) throw paramError('original_price should be greater than 0.');
      const enabledChannels = new Set(shop.channels.map((channel) => channel.logisticsChannelId));
      for (const logistic of body.logistic_info) {
        if (!enabledChannels.has(logistic.logistic_id)) {
          throw paramError(`logistic_id ${logistic.logistic_id} is not enabled for this shop.`);
        }
      }
      const now = nowSeconds(context);
      const item: ShopeeItemRecord = {
        itemId: context.ids.itemId(),
        shopId: shop.shopId,
        name: body.item_name,
        description: body.description,
        sku: body.item_sku ?? '',
        status: body.item_status ?? 'NORMAL',
        categoryId: body.category_id,
        condition: body.condition ?? 'NEW',
        weight: String(body.weight),
        dimension: body.dimension && {
          packageLength: body.dimension.package_length,
          packageWidth: body.dimension.package_width,
          packageHeight: body.dimension.package_height,
        },
        imageIds: body.image.image_id_list,
        brand: body.brand && {
          brandId: body.brand.brand_id,
          originalBrandName: body.brand.original_brand_name,
        },
        createTime: now,
        updateTime: now,
        price: originalPrice,
        stock: totalStock(body.seller_stock ?? []),
        tierVariation: [],
        models: [],
        taxInfo: body.tax_info,
      };
      context.state.items.set(item.itemId, item);
      return envelopeResponse(addItemJson(item, shop, body.logistic_info));
    },
  },
  '/api/v2/product/update_item': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const shop = call.shop!;
      const raw = call.body;
      if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
        for (const [field, api] of Object.entries(NOT_UPDATED_BY_UPDATE_ITEM)) {
          if (field in raw) throw paramError(`${field} cannot be changed by update_item; use ${api}.`);
        }
      }
      const body = parseBody(UpdateItemBody, raw);
      if (body.category_id !== undefined && isShopeeNonLeafCategory(body.category_id))
        throw invalidCategory();
      const item = findItem(context, shop, body.item_id, 'write');
      if (body.item_status !== undefined && item.status !== 'NORMAL' && item.status !== 'UNLIST') {
        throw paramError(`Item in status ${item.status} cannot be changed.`);
      }
      const enabledChannels = new Set(shop.channels.map((channel) => channel.logisticsChannelId));
      for (const logistic of body.logistic_info ?? []) {
        if (!enabledChannels.has(logistic.logistic_id)) {
          throw paramError(`logistic_id ${logistic.logistic_id} is not enabled for this shop.`);
        }
      }
      // Only the fields sent change (an empty item_sku clears it).
      if (body.item_name !== undefined) item.name = body.item_name;
      if (body.description !== undefined) item.description = body.description;
      if (body.item_sku !== undefined) item.sku = body.item_sku;
      if (body.item_status !== undefined) item.status = body.item_status;
      if (body.category_id !== undefined) item.categoryId = body.category_id;
      if (body.weight !== undefined) item.weight = String(body.weight);
      if (body.image !== undefined) item.imageIds = body.image.image_id_list;
      if (body.condition !== undefined) item.condition = body.condition;
      if (body.dimension !== undefined) {
        item.dimension = {
          packageLength: body.dimension.package_length,
          packageWidth: body.dimension.package_width,
          packageHeight: body.dimension.package_height,
        };
      }
      if (body.brand !== undefined) {
        item.brand = { brandId: body.brand.brand_id, originalBrandName: body.brand.original_brand_name };
      }
      touch(item, context);
      return envelopeResponse(updateItemJson(item, shop));
    },
  },
  '/api/v2/product/init_tier_variation': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const shop = call.shop!;
      const body = parseBody(InitTierBody, call.body);
      const item = findItem(context, shop, body.item_id, 'write');
      if (item.models.length > 0) {
        throw paramError('The item already has tier variations; use update_tier_variation.');
      }
      const seen = new Set<string>();
      const models: ShopeeModelRecord[] = body.model.map((entry, index) => {
        const valid =
          entry.tier_index.length === body.tier_variation.length &&
          entry.tier_index.every(
            (option, tier) => option < (body.tier_variation[tier]?.option_list.length ?? 0),
          );
        if (!valid) throw paramError(`model.${index}.tier_index does not match tier_variation.`);
        const key = entry.tier_index.join(',');
        if (seen.has(key)) throw paramError(`model.${index}.tier_index is duplicated.`);
        seen.add(key);
        const modelPrice = positivePrice(entry.original_price, shop.region);
        if (modelPrice === undefined)
          throw paramError(`model.${index}.original_price should be greater than 0.`);
        return {
          modelId: context.ids.modelId(),
          tierIndex: entry.tier_index,
          sku: entry.model_sku ?? '',
          price: modelPrice,
          stock: totalStock(entry.seller_stock),
          status: 'MODEL_NORMAL',
        };
      });
      item.tierVariation = body.tier_variation.map((tier) => ({
        name: tier.name,
        options: tier.option_list.map((option) => option.option),
      }));
      item.models = models;
      touch(item, context);
      return envelopeResponse({
        item_id: item.itemId,
        tier_variation: tierVariationJson(item),
        model: models.map((model) => ({
          model_id: model.modelId,
          tier_index: model.tierIndex,
          model_sku: model.sku,
          price_info: [{ original_price: priceJson(model.price), current_price: priceJson(model.price) }],
          seller_stock: [{ stock: model.stock }],
        })),
      });
    },
  },
};

/** The item as update_item echoes it. */
function updateItemJson(item: ShopeeItemRecord, shop: ShopeeShopRecord): JsonWritable {
  return {
    item_id: item.itemId,
    item_name: item.name,
    description: item.description,
    item_sku: item.sku,
    item_status: item.status,
    category_id: item.categoryId,
    images: {
      image_id_list: item.imageIds,
      image_url_list: item.imageIds.map((imageId) => imageUrl(imageId, shop.region)),
    },
    weight: Number(item.weight),
    dimension: dimensionJson(item),
    condition: item.condition,
    brand: item.brand
      ? { brand_id: item.brand.brandId, original_brand_name: item.brand.originalBrandName }
      : { brand_id: 0, original_brand_name: 'NoBrand' },
  };
}

function addItemJson(
  item: ShopeeItemRecord,
  shop: ShopeeShopRecord,
  logistics: readonly { logistic_id: number; enabled: boolean; is_free?: boolean | undefined }[],
): JsonWritable {
  return {
    item_id: item.itemId,
    item_name: item.name,
    description: item.description,
    item_status: item.status,
    category_id: item.categoryId,
    item_sku: item.sku,
    price_info: { original_price: priceJson(item.price), current_price: priceJson(item.price) },
    images: {
      image_id_list: item.imageIds,
      image_url_list: item.imageIds.map((imageId) => imageUrl(imageId, shop.region)),
    },
    weight: Number(item.weight),
    dimension: dimensionJson(item),
    logistic_info: logistics.map((logistic) => ({
      logistic_id: logistic.logistic_id,
      enabled: logistic.enabled,
      is_free: logistic.is_free ?? false,
    })),
    pre_order: { is_pre_order: false, days_to_ship: 2 },
    condition: item.condition,
    seller_stock: [{ stock: item.stock }],
  };
}
