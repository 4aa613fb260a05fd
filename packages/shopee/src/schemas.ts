import * as z from 'zod';
import * as zm from 'zod/mini';

/**
 * zod schemas of the raw Shopee Open Platform v2 payloads this package reads. Every object keeps
 * unknown fields (`z.looseObject`), every enum-like string is open (Shopee adds values over time),
 * and every id is a string: bodies are parsed with core's `parseJsonLossless`, which keeps an
 * int64 beyond 2^53 as its exact digits, and a safe integer id is read as its decimal string.
 */

/** An int64 id, as a decimal string. */
export const ShopeeId = z.union([z.string().min(1), z.number().int()]).transform((value) => String(value));

/** A Unix time in seconds. */
export const ShopeeTime = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number);

/** A float amount (prices, fees); mapped to an exact decimal string later. */
export const ShopeeAmount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
export type ShopeeAmount = z.infer<typeof ShopeeAmount>;

/** A count that some endpoints send as a string (e.g. `shopee_stock[].stock`). */
export const ShopeeCount = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);

/** The envelope around every response except the token calls. */
export function shopeeEnvelope<T extends z.ZodType>(response: T) {
  return z.looseObject({
    request_id: z.string().nullish(),
    error: z.string().nullish(),
    message: z.string().nullish(),
    /** A string on most APIs, `string[]` on a few (`get_order_detail`). */
    warning: z.union([z.string(), z.array(z.string())]).nullish(),
    response: response.optional(),
  });
}

// ---------------------------------------------------------------------------------------------
// Auth (flat responses: no `response` wrapper)

/** `/api/v2/auth/token/get`, `/api/v2/auth/access_token/get` and `get_token_by_resend_code`. */
export const ShopeeTokenResponse = z.looseObject({
  request_id: z.string().nullish(),
  error: z.string().nullish(),
  message: z.string().nullish(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  /** Seconds of validity (defensively: a value above 10^9 is read as an epoch). */
  expire_in: ShopeeTime,
  partner_id: ShopeeId.nullish(),
  shop_id: ShopeeId.nullish(),
  merchant_id: ShopeeId.nullish(),
  shop_id_list: z.array(ShopeeId).nullish(),
  merchant_id_list: z.array(ShopeeId).nullish(),
  supplier_id_list: z.array(ShopeeId).nullish(),
  user_id_list: z.array(ShopeeId).nullish(),
});
export type ShopeeTokenResponse = z.infer<typeof ShopeeTokenResponse>;

/** One shop of `/api/v2/public/get_shops_by_partner`. */
export const ShopeeAuthedShop = z.looseObject({
  shop_id: ShopeeId,
  region: z.string().nullish(),
  auth_time: ShopeeTime.nullish(),
  expire_time: ShopeeTime.nullish(),
});

/** `/api/v2/public/get_shops_by_partner`, whose list is documented at the top level (read both places). */
export const ShopeeShopsByPartner = z.looseObject({
  authed_shop_list: z.array(ShopeeAuthedShop).nullish(),
  more: z.boolean().nullish(),
});

// ---------------------------------------------------------------------------------------------
// Products

/** `price_info[]` of items and models. */
export const ShopeePriceInfo = z.looseObject({
  currency: z.string().nullish(),
  original_price: ShopeeAmount.nullish(),
  current_price: ShopeeAmount.nullish(),
  inflated_price_of_original_price: ShopeeAmount.nullish(),
  inflated_price_of_current_price: ShopeeAmount.nullish(),
});
export type ShopeePriceInfo = z.infer<typeof ShopeePriceInfo>;

/** `stock_info_v2`, the same on items and models. */
export const ShopeeStockInfo = z.looseObject({
  summary_info: z
    .looseObject({
      total_reserved_stock: ShopeeCount.nullish(),
      total_available_stock: ShopeeCount.nullish(),
    })
    .nullish(),
  seller_stock: z
    .array(z.looseObject({ location_id: z.string().nullish(), stock: ShopeeCount.nullish() }))
    .nullish(),
  shopee_stock: z
    .array(z.looseObject({ location_id: z.string().nullish(), stock: ShopeeCount.nullish() }))
    .nullish(),
});
export type ShopeeStockInfo = z.infer<typeof ShopeeStockInfo>;

/** One entry of `get_item_list`. */
export const ShopeeItemListEntry = z.looseObject({
  item_id: ShopeeId,
  item_status: z.string().nullish(),
  update_time: ShopeeTime.nullish(),
});

/** `response` of `GET /api/v2/product/get_item_list`. */
export const ShopeeItemListResponse = z.looseObject({
  item: z.array(ShopeeItemListEntry).nullish(),
  total_count: z.number().nullish(),
  has_next_page: z.boolean().nullish(),
  next_offset: z.number().nullish(),
});
export type ShopeeItemListResponse = z.infer<typeof ShopeeItemListResponse>;

/** One item of `get_item_base_info`. */
export const ShopeeItem = z.looseObject({
  item_id: ShopeeId,
  category_id: ShopeeId.nullish(),
  item_name: z.string().nullish(),
  description: z.string().nullish(),
  description_type: z.string().nullish(),
  description_info: z
    .looseObject({
      extended_description: z
        .looseObject({
          field_list: z
            .array(z.looseObject({ field_type: z.string().nullish(), text: z.string().nullish() }))
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
  item_sku: z.string().nullish(),
  create_time: ShopeeTime.nullish(),
  update_time: ShopeeTime.nullish(),
  attribute_list: z
    .array(
      z.looseObject({
        attribute_id: ShopeeId.nullish(),
        original_attribute_name: z.string().nullish(),
        attribute_value_list: z
          .array(
            z.looseObject({
              value_id: ShopeeId.nullish(),
              original_value_name: z.string().nullish(),
              value_unit: z.string().nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
  price_info: z.array(ShopeePriceInfo).nullish(),
  image: z
    .looseObject({
      image_url_list: z.array(z.string()).nullish(),
      image_id_list: z.array(z.string()).nullish(),
    })
    .nullish(),
  /** Declared a string of kg in reads, a float in writes. */
  weight: z.union([z.string(), z.number()]).nullish(),
  item_status: z.string().nullish(),
  has_model: z.boolean().nullish(),
  condition: z.string().nullish(),
  stock_info_v2: ShopeeStockInfo.nullish(),
  brand: z.looseObject({ brand_id: ShopeeId.nullish(), original_brand_name: z.string().nullish() }).nullish(),
  /**
   * Fiscal data, returned only with `need_tax_info=true` (asked for Brazilian shops): in Brazil
   * `ncm`, `same_state_cfop`, `diff_state_cfop`, `csosn`, `origin`, `cest`, `measure_unit`, … as
   * Shopee sends them (kept whole, unknown keys included).
   */
  tax_info: z.looseObject({}).nullish(),
});
export type ShopeeItem = z.infer<typeof ShopeeItem>;

/** `response` of `GET /api/v2/product/get_item_base_info`. */
export const ShopeeItemBaseInfoResponse = z.looseObject({ item_list: z.array(ShopeeItem).nullish() });

/** One tier of `tier_variation`. */
export const ShopeeTierVariation = z.looseObject({
  name: z.string().nullish(),
  option_list: z.array(z.looseObject({ option: z.string().nullish() })).nullish(),
});

/** One model (variant) of `get_model_list`. */
export const ShopeeModel = z.looseObject({
  model_id: ShopeeId,
  tier_index: z.array(z.number().int()).nullish(),
  model_sku: z.string().nullish(),
  model_status: z.string().nullish(),
  price_info: z.array(ShopeePriceInfo).nullish(),
  stock_info_v2: ShopeeStockInfo.nullish(),
  gtin_code: z.string().nullish(),
});
export type ShopeeModel = z.infer<typeof ShopeeModel>;

/** `response` of `GET /api/v2/product/get_model_list`. */
export const ShopeeModelListResponse = z.looseObject({
  tier_variation: z.array(ShopeeTierVariation).nullish(),
  model: z.array(ShopeeModel).nullish(),
});
export type ShopeeModelListResponse = z.infer<typeof ShopeeModelListResponse>;

/** `response` of `add_item` / `update_item`: the item echoed back. */
export const ShopeeItemWriteResponse = z.looseObject({ item_id: ShopeeId });

/**
 * `response` of `add_item`: the reference says it echoes the item (status, images, ...); only
 * `item_id` is relied on, the rest is read when present.
 */
export const ShopeeAddItemResponse = z.looseObject({
  item_id: ShopeeId,
  item_status: z.string().nullish(),
  images: z.looseObject({ image_url_list: z.array(z.string()).nullish() }).nullish(),
});

/** `response` of `init_tier_variation`. */
export const ShopeeInitTierVariationResponse = z.looseObject({
  item_id: ShopeeId.nullish(),
  model: z
    .array(
      z.looseObject({
        model_id: ShopeeId,
        tier_index: z.array(z.number().int()).nullish(),
        model_sku: z.string().nullish(),
      }),
    )
    .nullish(),
});

/** `failure_list[]` entry of the per-model batch writes. */
export const ShopeeModelFailure = z.looseObject({
  model_id: ShopeeId.nullish(),
  failed_reason: z.string().nullish(),
});

/** `response` of `update_price` / `update_stock`: per-model outcome. */
export const ShopeeModelBatchResponse = z.looseObject({
  failure_list: z.array(ShopeeModelFailure).nullish(),
  success_list: z.array(z.looseObject({ model_id: ShopeeId.nullish() })).nullish(),
});
export type ShopeeModelBatchResponse = z.infer<typeof ShopeeModelBatchResponse>;

/** `response` of `unlist_item`: per-item outcome. */
export const ShopeeUnlistResponse = z.looseObject({
  failure_list: z
    .array(z.looseObject({ item_id: ShopeeId.nullish(), failed_reason: z.string().nullish() }))
    .nullish(),
  success_list: z
    .array(z.looseObject({ item_id: ShopeeId.nullish(), unlist: z.boolean().nullish() }))
    .nullish(),
});
export type ShopeeUnlistResponse = z.infer<typeof ShopeeUnlistResponse>;

/** `image_info` of `media_space/upload_image`. */
export const ShopeeImageInfo = z.looseObject({
  image_id: z.string().min(1),
  image_url_list: z
    .array(z.looseObject({ image_url_region: z.string().nullish(), image_url: z.string() }))
    .nullish(),
});
export type ShopeeImageInfo = z.infer<typeof ShopeeImageInfo>;

/** `response` of `POST /api/v2/media_space/upload_image`. */
export const ShopeeUploadImageResponse = z.looseObject({
  image_info: ShopeeImageInfo.nullish(),
  image_info_list: z
    .array(
      z.looseObject({
        id: z.union([z.string(), z.number()]).nullish(),
        error: z.string().nullish(),
        message: z.string().nullish(),
        image_info: ShopeeImageInfo.nullish(),
      }),
    )
    .nullish(),
});

// ---------------------------------------------------------------------------------------------
// Orders

/** `response` of `GET /api/v2/order/get_order_list`. */
export const ShopeeOrderListResponse = z.looseObject({
  more: z.boolean().nullish(),
  next_cursor: z.string().nullish(),
  order_list: z
    .array(
      z.looseObject({
        order_sn: z.string().min(1),
        order_status: z.string().nullish(),
        booking_sn: z.string().nullish(),
      }),
    )
    .nullish(),
});
export type ShopeeOrderListResponse = z.infer<typeof ShopeeOrderListResponse>;

/** One line of an order's `item_list`. */
export const ShopeeOrderItem = z.looseObject({
  item_id: ShopeeId,
  item_name: z.string().nullish(),
  item_sku: z.string().nullish(),
  model_id: ShopeeId.nullish(),
  model_name: z.string().nullish(),
  model_sku: z.string().nullish(),
  model_quantity_purchased: z.number().int(),
  model_original_price: ShopeeAmount.nullish(),
  model_discounted_price: ShopeeAmount.nullish(),
  order_item_id: ShopeeId.nullish(),
  promotion_group_id: ShopeeId.nullish(),
});
export type ShopeeOrderItem = z.infer<typeof ShopeeOrderItem>;

/** One package of an order's `package_list`. */
export const ShopeePackage = z.looseObject({
  package_number: z.string().min(1),
  logistics_status: z.string().nullish(),
  logistics_channel_id: ShopeeId.nullish(),
  shipping_carrier: z.string().nullish(),
  item_list: z
    .array(
      z.looseObject({
        item_id: ShopeeId.nullish(),
        model_id: ShopeeId.nullish(),
        model_quantity: z.number().nullish(),
      }),
    )
    .nullish(),
});
export type ShopeePackage = z.infer<typeof ShopeePackage>;

/** `recipient_address` of an order (values are often masked). */
export const ShopeeRecipientAddress = z.looseObject({
  name: z.string().nullish(),
  phone: z.string().nullish(),
  full_address: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  district: z.string().nullish(),
  town: z.string().nullish(),
  region: z.string().nullish(),
  zipcode: z.string().nullish(),
});
export type ShopeeRecipientAddress = z.infer<typeof ShopeeRecipientAddress>;

/** One order of `get_order_detail` (optional fields present only when requested). */
export const ShopeeOrder = z.looseObject({
  order_sn: z.string().min(1),
  region: z.string().nullish(),
  currency: z.string().nullish(),
  cod: z.boolean().nullish(),
  order_status: z.string(),
  create_time: ShopeeTime,
  update_time: ShopeeTime,
  days_to_ship: z.number().nullish(),
  ship_by_date: ShopeeTime.nullish(),
  message_to_seller: z.string().nullish(),
  total_amount: ShopeeAmount.nullish(),
  pay_time: ShopeeTime.nullish(),
  buyer_user_id: ShopeeId.nullish(),
  buyer_username: z.string().nullish(),
  recipient_address: ShopeeRecipientAddress.nullish(),
  item_list: z.array(ShopeeOrderItem).nullish(),
  package_list: z.array(ShopeePackage).nullish(),
  estimated_shipping_fee: ShopeeAmount.nullish(),
  actual_shipping_fee: ShopeeAmount.nullish(),
  shipping_carrier: z.string().nullish(),
  payment_method: z.string().nullish(),
  pickup_done_time: ShopeeTime.nullish(),
  cancel_by: z.string().nullish(),
  cancel_reason: z.string().nullish(),
  note: z.string().nullish(),
  /** Brazil: the buyer's CPF (requested for Brazilian shops; needed on the NF-e). */
  buyer_cpf_id: z.string().nullish(),
  /**
   * Brazil: the order's invoice (`number`, `series_number`, `access_key`, `issue_date`,
   * `total_value`, `products_total_value`, `tax_code`, `status`, `pending_reason`), kept whole.
   */
  invoice_data: z.looseObject({}).nullish(),
});
export type ShopeeOrder = z.infer<typeof ShopeeOrder>;

/** `response` of `GET /api/v2/order/get_order_detail`. */
export const ShopeeOrderDetailResponse = z.looseObject({ order_list: z.array(ShopeeOrder).nullish() });

/** `response` of `GET /api/v2/order/get_shipment_list`. */
export const ShopeeShipmentListResponse = z.looseObject({
  more: z.boolean().nullish(),
  next_cursor: z.string().nullish(),
  order_list: z
    .array(z.looseObject({ order_sn: z.string().min(1), package_number: z.string().nullish() }))
    .nullish(),
});
export type ShopeeShipmentListResponse = z.infer<typeof ShopeeShipmentListResponse>;

/** `response` of `POST /api/v2/order/cancel_order`. */
export const ShopeeCancelOrderResponse = z.looseObject({ update_time: ShopeeTime.nullish() });

// ---------------------------------------------------------------------------------------------
// Logistics

/** A pickup address of `get_shipping_parameter`. */
export const ShopeePickupAddress = z.looseObject({
  address_id: ShopeeId,
  region: z.string().nullish(),
  state: z.string().nullish(),
  city: z.string().nullish(),
  address: z.string().nullish(),
  zipcode: z.string().nullish(),
  address_flag: z.array(z.string()).nullish(),
  time_slot_list: z
    .array(
      z.looseObject({
        date: ShopeeTime.nullish(),
        time_text: z.string().nullish(),
        pickup_time_id: z.union([z.string(), z.number()]).transform(String),
        flags: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});
export type ShopeePickupAddress = z.infer<typeof ShopeePickupAddress>;

/** `response` of `GET /api/v2/logistics/get_shipping_parameter`. A missing `info_needed` key = method unavailable. */
export const ShopeeShippingParameterResponse = z.looseObject({
  info_needed: z
    .looseObject({
      pickup: z.array(z.string()).nullish(),
      dropoff: z.array(z.string()).nullish(),
      non_integrated: z.array(z.string()).nullish(),
    })
    .nullish(),
  pickup: z.looseObject({ address_list: z.array(ShopeePickupAddress).nullish() }).nullish(),
  dropoff: z
    .looseObject({
      branch_list: z.array(z.looseObject({ branch_id: ShopeeId })).nullish(),
      slug_list: z.array(z.looseObject({ slug: z.string(), slug_name: z.string().nullish() })).nullish(),
    })
    .nullish(),
});
export type ShopeeShippingParameterResponse = z.infer<typeof ShopeeShippingParameterResponse>;

/** `response` of `GET /api/v2/logistics/get_tracking_number`. */
export const ShopeeTrackingNumberResponse = z.looseObject({
  tracking_number: z.string().nullish(),
  plp_number: z.string().nullish(),
  first_mile_tracking_number: z.string().nullish(),
  last_mile_tracking_number: z.string().nullish(),
  hint: z.string().nullish(),
  pickup_code: z.string().nullish(),
});
export type ShopeeTrackingNumberResponse = z.infer<typeof ShopeeTrackingNumberResponse>;

/** `response` of `GET /api/v2/logistics/get_tracking_info`. */
export const ShopeeTrackingInfoResponse = z.looseObject({
  order_sn: z.string().nullish(),
  package_number: z.string().nullish(),
  logistics_status: z.string().nullish(),
  tracking_info: z
    .array(
      z.looseObject({
        update_time: ShopeeTime.nullish(),
        description: z.string().nullish(),
        logistics_status: z.string().nullish(),
      }),
    )
    .nullish(),
});
export type ShopeeTrackingInfoResponse = z.infer<typeof ShopeeTrackingInfoResponse>;

// ---------------------------------------------------------------------------------------------
// Push

/** The body of a push notification (`data` differs per `code`). */
export const ShopeePushBody = z.looseObject({
  code: z.number().int(),
  shop_id: ShopeeId.nullish(),
  timestamp: ShopeeTime.nullish(),
  msg_id: z.string().nullish(),
  data: z.unknown().optional(),
});
export type ShopeePushBody = z.infer<typeof ShopeePushBody>;

/** A push config id or code: an int, read from a numeric string too. */
const PushCode = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

/** `response` of `GET /api/v2/push/get_app_push_config` (Public). */
export const ShopeeAppPushConfigResponse = z.looseObject({
  callback_url: z.string().nullish(),
  /** `Normal`, `Warning` or `Suspended`; the sample writes it in lower case, so compare case-insensitively. */
  live_push_status: z.string().nullish(),
  /** Present only while suspended. */
  suspended_time: ShopeeTime.nullish(),
  blocked_shop_id: z.array(ShopeeId).nullish(),
  /** The setter's spelling, read too in case a response uses it. */
  blocked_shop_id_list: z.array(ShopeeId).nullish(),
  push_config_on_list: z.array(PushCode).nullish(),
  push_config_off_list: z.array(PushCode).nullish(),
});
export type ShopeeAppPushConfigResponse = z.infer<typeof ShopeeAppPushConfigResponse>;

/** `response` of `POST /api/v2/push/set_app_push_config`. */
export const ShopeeSetAppPushConfigResponse = z.looseObject({ result: z.string().nullish() });
export type ShopeeSetAppPushConfigResponse = z.infer<typeof ShopeeSetAppPushConfigResponse>;

/** One entry of `get_lost_push_message`: `data` is the original push, as JSON text or an object. */
export const ShopeeLostPushMessage = z.looseObject({
  shop_id: ShopeeId.nullish(),
  code: PushCode,
  /** When the push was lost (the original push time is inside `data`). */
  timestamp: ShopeeTime.nullish(),
  data: z.unknown().optional(),
});
export type ShopeeLostPushMessage = z.infer<typeof ShopeeLostPushMessage>;

/** `response` of `GET /api/v2/push/get_lost_push_message` (Public). */
export const ShopeeLostPushResponse = z.looseObject({
  push_message_list: z.array(ShopeeLostPushMessage).nullish(),
  has_next_page: z.boolean().nullish(),
  last_message_id: ShopeeId.nullish(),
});
export type ShopeeLostPushResponse = z.infer<typeof ShopeeLostPushResponse>;

// ---------------------------------------------------------------------------------------------
// Categories

/** One category of `product/get_category` (the whole tree comes flat, in one call). */
export const ShopeeCategory = z.looseObject({
  category_id: ShopeeId,
  /** `0` for a level-1 category. */
  parent_category_id: ShopeeId.nullish(),
  original_category_name: z.string().nullish(),
  /** Localized by the `language` parameter. */
  display_category_name: z.string().nullish(),
  has_children: z.boolean().nullish(),
});
export type ShopeeCategory = z.infer<typeof ShopeeCategory>;

/** `response` of `product/get_category`. */
export const ShopeeCategoryListResponse = z.looseObject({ category_list: z.array(ShopeeCategory).nullish() });
export type ShopeeCategoryListResponse = z.infer<typeof ShopeeCategoryListResponse>;

/** `response` of `product/category_recommend`: leaf ids, best first. */
export const ShopeeCategoryRecommendResponse = z.looseObject({ category_id: z.array(ShopeeId).nullish() });
export type ShopeeCategoryRecommendResponse = z.infer<typeof ShopeeCategoryRecommendResponse>;

/** An attribute node of `get_attribute_tree` (children come under the values that expose them). */
export interface ShopeeAttributeNode {
  attribute_id: string;
  mandatory?: boolean | null | undefined;
  /** The legacy `get_attributes` name of the flag; read when `mandatory` is absent. */
  is_mandatory?: boolean | null | undefined;
  name?: string | null | undefined;
  attribute_info?:
    | {
        input_type?: number | null | undefined;
        input_validation_type?: number | null | undefined;
        format_type?: number | null | undefined;
        attribute_unit_list?: string[] | null | undefined;
        max_value_count?: number | null | undefined;
        [key: string]: unknown;
      }
    | null
    | undefined;
  attribute_value_list?:
    | {
        value_id: string;
        name?: string | null | undefined;
        value_unit?: string | null | undefined;
        child_attribute_list?: ShopeeAttributeNode[] | null | undefined;
        [key: string]: unknown;
      }[]
    | null
    | undefined;
  [key: string]: unknown;
}

/** One attribute node; `child_attribute_list` is documented as an object but arrives as an array: both read. */
export const ShopeeAttributeNode: z.ZodType<ShopeeAttributeNode> = z.lazy(() =>
  z.looseObject({
    attribute_id: ShopeeId,
    mandatory: z.boolean().nullish(),
    is_mandatory: z.boolean().nullish(),
    name: z.string().nullish(),
    attribute_info: z
      .looseObject({
        input_type: z.number().nullish(),
        input_validation_type: z.number().nullish(),
        format_type: z.number().nullish(),
        attribute_unit_list: z.array(z.string()).nullish(),
        max_value_count: z.number().nullish(),
      })
      .nullish(),
    attribute_value_list: z
      .array(
        z.looseObject({
          value_id: ShopeeId,
          name: z.string().nullish(),
          value_unit: z.string().nullish(),
          child_attribute_list: z
            .union([z.array(ShopeeAttributeNode), ShopeeAttributeNode.transform((node) => [node])])
            .nullish(),
        }),
      )
      .nullish(),
  }),
) as z.ZodType<ShopeeAttributeNode>;

/** `response` of `product/get_attribute_tree`: one entry per requested leaf. */
export const ShopeeAttributeTreeResponse = z.looseObject({
  list: z
    .array(
      z.looseObject({
        category_id: ShopeeId,
        warning: z.string().nullish(),
        attribute_tree: z.array(ShopeeAttributeNode).nullish(),
      }),
    )
    .nullish(),
});
export type ShopeeAttributeTreeResponse = z.infer<typeof ShopeeAttributeTreeResponse>;

const ShopeeLimit = z
  .looseObject({ min_limit: z.number().nullish(), max_limit: z.number().nullish() })
  .nullish();

/** `response` of `product/get_item_limit` (per category when `category_id` is sent). */
export const ShopeeItemLimitResponse = z.looseObject({
  price_limit: ShopeeLimit,
  stock_limit: ShopeeLimit,
  item_name_length_limit: ShopeeLimit,
  item_image_count_limit: ShopeeLimit,
  item_description_length_limit: ShopeeLimit,
  dts_limit: z
    .looseObject({ days_to_ship_limit: ShopeeLimit, non_pre_order_days_to_ship: z.number().nullish() })
    .nullish(),
  weight_limit: z.looseObject({ weight_mandatory: z.boolean().nullish() }).nullish(),
  dimension_limit: z.looseObject({ dimension_mandatory: z.boolean().nullish() }).nullish(),
  size_chart_limit: z
    .looseObject({
      size_chart_mandatory: z.boolean().nullish(),
      support_image_size_chart: z.boolean().nullish(),
      support_template_size_chart: z.boolean().nullish(),
    })
    .nullish(),
  /** `Mandatory`, `Flexible` or `Optional`; the reference tree also puts it beside `response`. */
  gtin_limit: z.looseObject({ gtin_validation_rule: z.string().nullish() }).nullish(),
});
export type ShopeeItemLimitResponse = z.infer<typeof ShopeeItemLimitResponse>;

/** `response` of `product/get_brand_list`. */
export const ShopeeBrandListResponse = z.looseObject({
  brand_list: z
    .array(
      z.looseObject({
        brand_id: ShopeeId,
        original_brand_name: z.string().nullish(),
        display_brand_name: z.string().nullish(),
      }),
    )
    .nullish(),
  has_next_page: z.boolean().nullish(),
  next_offset: z.number().nullish(),
  /** A brand is required in this category; "No Brand" is `brand_id` 0. */
  is_mandatory: z.boolean().nullish(),
  input_type: z.string().nullish(),
});
export type ShopeeBrandListResponse = z.infer<typeof ShopeeBrandListResponse>;

/**
 * `invoice_data` of a Brazilian order (`get_order_detail` with `response_optional_fields=invoice_data`).
 * `{}` or `null` when none is attached; `status` (`valid` / `pending`) and `pending_reason` only on
 * responses after 2026-08; amounts are numbers or strings, the issue date Unix seconds.
 */
export const ShopeeInvoiceData = zm.looseObject({
  number: zm.nullish(zm.union([zm.string(), zm.number()])),
  series_number: zm.nullish(zm.union([zm.string(), zm.number()])),
  access_key: zm.nullish(zm.string()),
  issue_date: zm.nullish(zm.union([zm.number(), zm.string()])),
  total_value: zm.nullish(zm.union([zm.number(), zm.string()])),
  products_total_value: zm.nullish(zm.union([zm.number(), zm.string()])),
  tax_code: zm.nullish(zm.string()),
  status: zm.nullish(zm.string()),
  pending_reason: zm.nullish(zm.string()),
});
export type ShopeeInvoiceData = zm.infer<typeof ShopeeInvoiceData>;
