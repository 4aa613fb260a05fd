import { toDecimalString } from '@mlh/core';
import * as z from 'zod/mini';
import { type JsonNumberLiteral, jsonDecimal, jsonInteger } from '../json';

/**
 * zod pieces for the bodies this package sends: ids become exact integer literals and amounts
 * exact decimal literals, so `stringifyShopeeJson` writes them as JSON numbers without a float
 * ever being involved.
 */

/** An int64 id given as digits, a safe integer or a bigint → exact integer literal. */
export const IdInput = /* @__PURE__ */ (() =>
  z.pipe(
    z.union([
      z.string().check(z.regex(/^\s*\d+\s*$/, 'must be a numeric id')),
      z.number().check(z.int(), z.nonnegative()),
      z.bigint().check(z.gte(0n)),
    ]),
    z.transform((value): JsonNumberLiteral => jsonInteger(value)),
  ))();

/** A positive amount given as a decimal string or a finite number → exact decimal literal. */
export const AmountInput = /* @__PURE__ */ (() =>
  z.pipe(
    z.union([
      z.string().check(z.regex(/^\s*\d+(\.\d+)?\s*$/, 'must be a decimal like "19.90"')),
      z.number().check(z.nonnegative()),
    ]),
    z.transform((value): JsonNumberLiteral => jsonDecimal(toDecimalString(value))),
  ))();

/** A positive price. */
export const PriceInput = /* @__PURE__ */ (() =>
  AmountInput.check(z.refine((value) => Number(value.literal) > 0, 'must be greater than 0')))();

/** A whole, non-negative stock count. */
export const StockInput = /* @__PURE__ */ (() => z.number().check(z.int(), z.nonnegative()))();

/** `seller_stock` entries. */
export const SellerStockInput = /* @__PURE__ */ (() =>
  z.array(z.looseObject({ location_id: z.optional(z.string().check(z.minLength(1))), stock: StockInput })))();

/** `image` of add/update item. */
export const ItemImageInput = /* @__PURE__ */ (() =>
  z.looseObject({
    image_id_list: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
    image_ratio: z.optional(z.enum(['1:1', '3:4'])),
  }))();

/** `logistic_info[]` entry. */
export const LogisticInfoInput = /* @__PURE__ */ (() =>
  z.looseObject({
    logistic_id: IdInput,
    enabled: z.boolean(),
    shipping_fee: z.optional(AmountInput),
    size_id: z.optional(IdInput),
    is_free: z.optional(z.boolean()),
  }))();

/** `attribute_list[]` entry. */
export const AttributeInput = /* @__PURE__ */ (() =>
  z.looseObject({
    attribute_id: IdInput,
    attribute_value_list: z.array(
      z.looseObject({
        value_id: IdInput,
        original_value_name: z.optional(z.string()),
        value_unit: z.optional(z.string()),
      }),
    ),
  }))();

/** `brand` object. */
export const BrandInput = /* @__PURE__ */ (() =>
  z.looseObject({ brand_id: IdInput, original_brand_name: z.string().check(z.minLength(1)) }))();

/** `dimension` object (cm). */
export const DimensionInput = /* @__PURE__ */ (() =>
  z.looseObject({
    package_height: z.number().check(z.int(), z.positive()),
    package_length: z.number().check(z.int(), z.positive()),
    package_width: z.number().check(z.int(), z.positive()),
  }))();

/** Body of `POST /api/v2/product/add_item` (fields the SDK does not name pass through as given). */
export const ShopeeAddItemSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    item_name: z.string().check(z.trim(), z.minLength(1)),
    description: z.string().check(z.trim(), z.minLength(1)),
    original_price: PriceInput,
    /** kg */
    weight: AmountInput,
    category_id: IdInput,
    image: ItemImageInput,
    logistic_info: z.array(LogisticInfoInput).check(z.minLength(1)),
    seller_stock: z.optional(SellerStockInput),
    item_sku: z.optional(z.string()),
    item_status: z.optional(z.enum(['NORMAL', 'UNLIST'])),
    condition: z.optional(z.string()),
    brand: z.optional(BrandInput),
    attribute_list: z.optional(z.array(AttributeInput)),
    dimension: z.optional(DimensionInput),
    pre_order: z.optional(
      z.looseObject({ is_pre_order: z.boolean(), days_to_ship: z.optional(z.number().check(z.int())) }),
    ),
  }))();
/** What {@link ShopeeAddItemSchema} accepts. */
export type ShopeeAddItemBody = z.input<typeof ShopeeAddItemSchema>;

/** Body of `POST /api/v2/product/update_item`: `item_id` plus the fields to change. */
export const ShopeeUpdateItemSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    item_id: IdInput,
    item_name: z.optional(z.string().check(z.trim(), z.minLength(1))),
    description: z.optional(z.string().check(z.trim(), z.minLength(1))),
    item_sku: z.optional(z.string()),
    item_status: z.optional(z.enum(['NORMAL', 'UNLIST'])),
    category_id: z.optional(IdInput),
    weight: z.optional(AmountInput),
    image: z.optional(ItemImageInput),
    attribute_list: z.optional(z.array(AttributeInput)),
    brand: z.optional(BrandInput),
    dimension: z.optional(DimensionInput),
    condition: z.optional(z.string()),
    logistic_info: z.optional(z.array(LogisticInfoInput)),
  }))();
/** What {@link ShopeeUpdateItemSchema} accepts. */
export type ShopeeUpdateItemBody = z.input<typeof ShopeeUpdateItemSchema>;

/** Body of `POST /api/v2/product/init_tier_variation`. */
export const ShopeeInitTierVariationSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    item_id: IdInput,
    tier_variation: z
      .array(
        z.looseObject({
          name: z.string().check(z.minLength(1)),
          option_list: z
            .array(
              z.looseObject({
                option: z.string().check(z.minLength(1)),
                image: z.optional(z.looseObject({ image_id: z.string().check(z.minLength(1)) })),
              }),
            )
            .check(z.minLength(1)),
        }),
      )
      .check(z.minLength(1)),
    model: z
      .array(
        z.looseObject({
          tier_index: z.array(z.number().check(z.int(), z.nonnegative())).check(z.minLength(1)),
          original_price: PriceInput,
          model_sku: z.optional(z.string()),
          seller_stock: z.optional(SellerStockInput),
        }),
      )
      .check(z.minLength(1)),
  }))();
/** What {@link ShopeeInitTierVariationSchema} accepts. */
export type ShopeeInitTierVariationBody = z.input<typeof ShopeeInitTierVariationSchema>;
