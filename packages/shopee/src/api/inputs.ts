import { toDecimalString } from '@mlh/core';
import * as z from 'zod';
import { type JsonNumberLiteral, jsonDecimal, jsonInteger } from '../json';

/**
 * zod pieces for the bodies this package sends: ids become exact integer literals and amounts
 * exact decimal literals, so `stringifyShopeeJson` writes them as JSON numbers without a float
 * ever being involved.
 */

/** An int64 id given as digits, a safe integer or a bigint → exact integer literal. */
export const IdInput = z
  .union([
    z.string().regex(/^\s*\d+\s*$/, 'must be a numeric id'),
    z.number().int().nonnegative(),
    z.bigint().nonnegative(),
  ])
  .transform((value): JsonNumberLiteral => jsonInteger(value));

/** A positive amount given as a decimal string or a finite number → exact decimal literal. */
export const AmountInput = z
  .union([
    z.string().regex(/^\s*\d+(\.\d+)?\s*$/, 'must be a decimal like "19.90"'),
    z.number().finite().nonnegative(),
  ])
  .transform((value): JsonNumberLiteral => jsonDecimal(toDecimalString(value)));

/** A positive price. */
export const PriceInput = AmountInput.refine((value) => Number(value.literal) > 0, 'must be greater than 0');

/** A whole, non-negative stock count. */
export const StockInput = z.number().int().nonnegative();

/** `seller_stock` entries. */
export const SellerStockInput = z.array(
  z.looseObject({ location_id: z.string().min(1).optional(), stock: StockInput }),
);

/** `image` of add/update item. */
export const ItemImageInput = z.looseObject({
  image_id_list: z.array(z.string().min(1)).min(1),
  image_ratio: z.enum(['1:1', '3:4']).optional(),
});

/** `logistic_info[]` entry. */
export const LogisticInfoInput = z.looseObject({
  logistic_id: IdInput,
  enabled: z.boolean(),
  shipping_fee: AmountInput.optional(),
  size_id: IdInput.optional(),
  is_free: z.boolean().optional(),
});

/** `attribute_list[]` entry. */
export const AttributeInput = z.looseObject({
  attribute_id: IdInput,
  attribute_value_list: z.array(
    z.looseObject({
      value_id: IdInput,
      original_value_name: z.string().optional(),
      value_unit: z.string().optional(),
    }),
  ),
});

/** `brand` object. */
export const BrandInput = z.looseObject({ brand_id: IdInput, original_brand_name: z.string().min(1) });

/** `dimension` object (cm). */
export const DimensionInput = z.looseObject({
  package_height: z.number().int().positive(),
  package_length: z.number().int().positive(),
  package_width: z.number().int().positive(),
});

/** Body of `POST /api/v2/product/add_item` (fields the SDK does not name pass through as given). */
export const ShopeeAddItemSchema = z.looseObject({
  item_name: z.string().trim().min(1),
  description: z.string().trim().min(1),
  original_price: PriceInput,
  /** kg */
  weight: AmountInput,
  category_id: IdInput,
  image: ItemImageInput,
  logistic_info: z.array(LogisticInfoInput).min(1),
  seller_stock: SellerStockInput.optional(),
  item_sku: z.string().optional(),
  item_status: z.enum(['NORMAL', 'UNLIST']).optional(),
  condition: z.string().optional(),
  brand: BrandInput.optional(),
  attribute_list: z.array(AttributeInput).optional(),
  dimension: DimensionInput.optional(),
  pre_order: z
    .looseObject({ is_pre_order: z.boolean(), days_to_ship: z.number().int().optional() })
    .optional(),
});
/** What {@link ShopeeAddItemSchema} accepts. */
export type ShopeeAddItemBody = z.input<typeof ShopeeAddItemSchema>;

/** Body of `POST /api/v2/product/update_item`: `item_id` plus the fields to change. */
export const ShopeeUpdateItemSchema = z.looseObject({
  item_id: IdInput,
  item_name: z.string().trim().min(1).optional(),
  description: z.string().trim().min(1).optional(),
  item_sku: z.string().optional(),
  item_status: z.enum(['NORMAL', 'UNLIST']).optional(),
  category_id: IdInput.optional(),
  weight: AmountInput.optional(),
  image: ItemImageInput.optional(),
  attribute_list: z.array(AttributeInput).optional(),
  brand: BrandInput.optional(),
  dimension: DimensionInput.optional(),
  condition: z.string().optional(),
  logistic_info: z.array(LogisticInfoInput).optional(),
});
/** What {@link ShopeeUpdateItemSchema} accepts. */
export type ShopeeUpdateItemBody = z.input<typeof ShopeeUpdateItemSchema>;

/** Body of `POST /api/v2/product/init_tier_variation`. */
export const ShopeeInitTierVariationSchema = z.looseObject({
  item_id: IdInput,
  tier_variation: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        option_list: z
          .array(
            z.looseObject({
              option: z.string().min(1),
              image: z.looseObject({ image_id: z.string().min(1) }).optional(),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
  model: z
    .array(
      z.looseObject({
        tier_index: z.array(z.number().int().nonnegative()).min(1),
        original_price: PriceInput,
        model_sku: z.string().optional(),
        seller_stock: SellerStockInput.optional(),
      }),
    )
    .min(1),
});
/** What {@link ShopeeInitTierVariationSchema} accepts. */
export type ShopeeInitTierVariationBody = z.input<typeof ShopeeInitTierVariationSchema>;
