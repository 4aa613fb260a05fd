import * as z from 'zod/mini';

/**
 * zod schemas of the raw Shopee Open Platform v2 payloads this package reads. Every object keeps
 * unknown fields (`z.looseObject`), every enum-like string is open (Shopee adds values over time),
 * and every id is a string: bodies are parsed with core's `parseJsonLossless`, which keeps an
 * int64 beyond 2^53 as its exact digits, and a safe integer id is read as its decimal string.
 */

/**
 * An int64 id, as a decimal string. The number is tried first: Shopee sends ids as numbers (the
 * lossless parser gives a string only beyond 2^53), and a union pays for each option that fails.
 */
export const ShopeeId = /* @__PURE__ */ (() =>
  z.pipe(
    z.union([z.number().check(z.int()), z.string().check(z.minLength(1))]),
    z.transform((value) => String(value)),
  ))();

/** A Unix time in seconds. */
export const ShopeeTime = /* @__PURE__ */ (() =>
  z.pipe(z.union([z.number(), z.string().check(z.regex(/^\d+$/))]), z.transform(Number)))();

/** A float amount (prices, fees); mapped to an exact decimal string later. */
export const ShopeeAmount = /* @__PURE__ */ (() =>
  z.union([z.number(), z.string().check(z.regex(/^-?\d+(\.\d+)?$/))]))();
export type ShopeeAmount = z.infer<typeof ShopeeAmount>;

/** A count that some endpoints send as a string (e.g. `shopee_stock[].stock`). */
export const ShopeeCount = /* @__PURE__ */ (() =>
  z.pipe(z.union([z.number(), z.string().check(z.regex(/^-?\d+$/))]), z.transform(Number)))();

/** The envelope around every response except the token calls. */
export function shopeeEnvelope<T extends z.core.$ZodType>(response: T) {
  return z.looseObject({
    request_id: z.nullish(z.string()),
    error: z.nullish(z.string()),
    message: z.nullish(z.string()),
    /** A string on most APIs, `string[]` on a few (`get_order_detail`). */
    warning: z.nullish(z.union([z.string(), z.array(z.string())])),
    response: z.optional(response),
  });
}

// ---------------------------------------------------------------------------------------------
// Auth (flat responses: no `response` wrapper)

/** `/api/v2/auth/token/get`, `/api/v2/auth/access_token/get` and `get_token_by_resend_code`. */
export const ShopeeTokenResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    request_id: z.nullish(z.string()),
    error: z.nullish(z.string()),
    message: z.nullish(z.string()),
    access_token: z.string().check(z.minLength(1)),
    refresh_token: z.string().check(z.minLength(1)),
    /** Seconds of validity (defensively: a value above 10^9 is read as an epoch). */
    expire_in: ShopeeTime,
    partner_id: z.nullish(ShopeeId),
    shop_id: z.nullish(ShopeeId),
    merchant_id: z.nullish(ShopeeId),
    shop_id_list: z.nullish(z.array(ShopeeId)),
    merchant_id_list: z.nullish(z.array(ShopeeId)),
    supplier_id_list: z.nullish(z.array(ShopeeId)),
    user_id_list: z.nullish(z.array(ShopeeId)),
  }))();
export type ShopeeTokenResponse = z.infer<typeof ShopeeTokenResponse>;

/** One shop of `/api/v2/public/get_shops_by_partner`. */
export const ShopeeAuthedShop = /* @__PURE__ */ (() =>
  z.looseObject({
    shop_id: ShopeeId,
    region: z.nullish(z.string()),
    auth_time: z.nullish(ShopeeTime),
    expire_time: z.nullish(ShopeeTime),
  }))();

/** `/api/v2/public/get_shops_by_partner`, whose list is documented at the top level (read both places). */
export const ShopeeShopsByPartner = /* @__PURE__ */ (() =>
  z.looseObject({
    authed_shop_list: z.nullish(z.array(ShopeeAuthedShop)),
    more: z.nullish(z.boolean()),
  }))();

// ---------------------------------------------------------------------------------------------
// Products

/** `price_info[]` of items and models. */
export const ShopeePriceInfo = /* @__PURE__ */ (() =>
  z.looseObject({
    currency: z.nullish(z.string()),
    original_price: z.nullish(ShopeeAmount),
    current_price: z.nullish(ShopeeAmount),
    inflated_price_of_original_price: z.nullish(ShopeeAmount),
    inflated_price_of_current_price: z.nullish(ShopeeAmount),
  }))();
export type ShopeePriceInfo = z.infer<typeof ShopeePriceInfo>;

/** `stock_info_v2`, the same on items and models. */
export const ShopeeStockInfo = /* @__PURE__ */ (() =>
  z.looseObject({
    summary_info: z.nullish(
      z.looseObject({
        total_reserved_stock: z.nullish(ShopeeCount),
        total_available_stock: z.nullish(ShopeeCount),
      }),
    ),
    seller_stock: z.nullish(
      z.array(z.looseObject({ location_id: z.nullish(z.string()), stock: z.nullish(ShopeeCount) })),
    ),
    shopee_stock: z.nullish(
      z.array(z.looseObject({ location_id: z.nullish(z.string()), stock: z.nullish(ShopeeCount) })),
    ),
  }))();
export type ShopeeStockInfo = z.infer<typeof ShopeeStockInfo>;

/** One entry of `get_item_list`. */
export const ShopeeItemListEntry = /* @__PURE__ */ (() =>
  z.looseObject({
    item_id: ShopeeId,
    item_status: z.nullish(z.string()),
    update_time: z.nullish(ShopeeTime),
  }))();

/** `response` of `GET /api/v2/product/get_item_list`. */
export const ShopeeItemListResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    item: z.nullish(z.array(ShopeeItemListEntry)),
    total_count: z.nullish(z.number()),
    has_next_page: z.nullish(z.boolean()),
    next_offset: z.nullish(z.number()),
  }))();
export type ShopeeItemListResponse = z.infer<typeof ShopeeItemListResponse>;

/** One item of `get_item_base_info`. */
export const ShopeeItem = /* @__PURE__ */ (() =>
  z.looseObject({
    item_id: ShopeeId,
    category_id: z.nullish(ShopeeId),
    item_name: z.nullish(z.string()),
    description: z.nullish(z.string()),
    description_type: z.nullish(z.string()),
    description_info: z.nullish(
      z.looseObject({
        extended_description: z.nullish(
          z.looseObject({
            field_list: z.nullish(
              z.array(z.looseObject({ field_type: z.nullish(z.string()), text: z.nullish(z.string()) })),
            ),
          }),
        ),
      }),
    ),
    item_sku: z.nullish(z.string()),
    create_time: z.nullish(ShopeeTime),
    update_time: z.nullish(ShopeeTime),
    attribute_list: z.nullish(
      z.array(
        z.looseObject({
          attribute_id: z.nullish(ShopeeId),
          original_attribute_name: z.nullish(z.string()),
          attribute_value_list: z.nullish(
            z.array(
              z.looseObject({
                value_id: z.nullish(ShopeeId),
                original_value_name: z.nullish(z.string()),
                value_unit: z.nullish(z.string()),
              }),
            ),
          ),
        }),
      ),
    ),
    price_info: z.nullish(z.array(ShopeePriceInfo)),
    image: z.nullish(
      z.looseObject({
        image_url_list: z.nullish(z.array(z.string())),
        image_id_list: z.nullish(z.array(z.string())),
      }),
    ),
    /** Declared a string of kg in reads, a float in writes. */
    weight: z.nullish(z.union([z.string(), z.number()])),
    item_status: z.nullish(z.string()),
    has_model: z.nullish(z.boolean()),
    condition: z.nullish(z.string()),
    stock_info_v2: z.nullish(ShopeeStockInfo),
    brand: z.nullish(
      z.looseObject({ brand_id: z.nullish(ShopeeId), original_brand_name: z.nullish(z.string()) }),
    ),
    /**
     * Fiscal data, returned only with `need_tax_info=true` (asked for Brazilian shops): in Brazil
     * `ncm`, `same_state_cfop`, `diff_state_cfop`, `csosn`, `origin`, `cest`, `measure_unit`, … as
     * Shopee sends them (kept whole, unknown keys included).
     */
    tax_info: z.nullish(z.looseObject({})),
  }))();
export type ShopeeItem = z.infer<typeof ShopeeItem>;

/** `response` of `GET /api/v2/product/get_item_base_info`. */
export const ShopeeItemBaseInfoResponse = /* @__PURE__ */ (() =>
  z.looseObject({ item_list: z.nullish(z.array(ShopeeItem)) }))();

/** One tier of `tier_variation`. */
export const ShopeeTierVariation = /* @__PURE__ */ (() =>
  z.looseObject({
    name: z.nullish(z.string()),
    option_list: z.nullish(z.array(z.looseObject({ option: z.nullish(z.string()) }))),
  }))();

/** One model (variant) of `get_model_list`. */
export const ShopeeModel = /* @__PURE__ */ (() =>
  z.looseObject({
    model_id: ShopeeId,
    tier_index: z.nullish(z.array(z.number().check(z.int()))),
    model_sku: z.nullish(z.string()),
    model_status: z.nullish(z.string()),
    price_info: z.nullish(z.array(ShopeePriceInfo)),
    stock_info_v2: z.nullish(ShopeeStockInfo),
    gtin_code: z.nullish(z.string()),
  }))();
export type ShopeeModel = z.infer<typeof ShopeeModel>;

/** `response` of `GET /api/v2/product/get_model_list`. */
export const ShopeeModelListResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    tier_variation: z.nullish(z.array(ShopeeTierVariation)),
    model: z.nullish(z.array(ShopeeModel)),
  }))();
export type ShopeeModelListResponse = z.infer<typeof ShopeeModelListResponse>;

/** `response` of `add_item` / `update_item`: the item echoed back. */
export const ShopeeItemWriteResponse = /* @__PURE__ */ (() => z.looseObject({ item_id: ShopeeId }))();

/**
 * `response` of `add_item`: the reference says it echoes the item (status, images, ...); only
 * `item_id` is relied on, the rest is read when present.
 */
export const ShopeeAddItemResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    item_id: ShopeeId,
    item_status: z.nullish(z.string()),
    images: z.nullish(z.looseObject({ image_url_list: z.nullish(z.array(z.string())) })),
  }))();

/** `response` of `init_tier_variation`. */
export const ShopeeInitTierVariationResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    item_id: z.nullish(ShopeeId),
    model: z.nullish(
      z.array(
        z.looseObject({
          model_id: ShopeeId,
          tier_index: z.nullish(z.array(z.number().check(z.int()))),
          model_sku: z.nullish(z.string()),
        }),
      ),
    ),
  }))();

/** `failure_list[]` entry of the per-model batch writes. */
export const ShopeeModelFailure = /* @__PURE__ */ (() =>
  z.looseObject({
    model_id: z.nullish(ShopeeId),
    failed_reason: z.nullish(z.string()),
  }))();

/** `response` of `update_price` / `update_stock`: per-model outcome. */
export const ShopeeModelBatchResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    failure_list: z.nullish(z.array(ShopeeModelFailure)),
    success_list: z.nullish(z.array(z.looseObject({ model_id: z.nullish(ShopeeId) }))),
  }))();
export type ShopeeModelBatchResponse = z.infer<typeof ShopeeModelBatchResponse>;

/** `response` of `unlist_item`: per-item outcome. */
export const ShopeeUnlistResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    failure_list: z.nullish(
      z.array(z.looseObject({ item_id: z.nullish(ShopeeId), failed_reason: z.nullish(z.string()) })),
    ),
    success_list: z.nullish(
      z.array(z.looseObject({ item_id: z.nullish(ShopeeId), unlist: z.nullish(z.boolean()) })),
    ),
  }))();
export type ShopeeUnlistResponse = z.infer<typeof ShopeeUnlistResponse>;

/** `image_info` of `media_space/upload_image`. */
export const ShopeeImageInfo = /* @__PURE__ */ (() =>
  z.looseObject({
    image_id: z.string().check(z.minLength(1)),
    image_url_list: z.nullish(
      z.array(z.looseObject({ image_url_region: z.nullish(z.string()), image_url: z.string() })),
    ),
  }))();
export type ShopeeImageInfo = z.infer<typeof ShopeeImageInfo>;

/** `response` of `POST /api/v2/media_space/upload_image`. */
export const ShopeeUploadImageResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    image_info: z.nullish(ShopeeImageInfo),
    image_info_list: z.nullish(
      z.array(
        z.looseObject({
          id: z.nullish(z.union([z.string(), z.number()])),
          error: z.nullish(z.string()),
          message: z.nullish(z.string()),
          image_info: z.nullish(ShopeeImageInfo),
        }),
      ),
    ),
  }))();

// ---------------------------------------------------------------------------------------------
// Orders

/** `response` of `GET /api/v2/order/get_order_list`. */
export const ShopeeOrderListResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    more: z.nullish(z.boolean()),
    next_cursor: z.nullish(z.string()),
    order_list: z.nullish(
      z.array(
        z.looseObject({
          order_sn: z.string().check(z.minLength(1)),
          order_status: z.nullish(z.string()),
          booking_sn: z.nullish(z.string()),
        }),
      ),
    ),
  }))();
export type ShopeeOrderListResponse = z.infer<typeof ShopeeOrderListResponse>;

/** One line of an order's `item_list`. */
export const ShopeeOrderItem = /* @__PURE__ */ (() =>
  z.looseObject({
    item_id: ShopeeId,
    item_name: z.nullish(z.string()),
    item_sku: z.nullish(z.string()),
    model_id: z.nullish(ShopeeId),
    model_name: z.nullish(z.string()),
    model_sku: z.nullish(z.string()),
    model_quantity_purchased: z.number().check(z.int()),
    model_original_price: z.nullish(ShopeeAmount),
    model_discounted_price: z.nullish(ShopeeAmount),
    order_item_id: z.nullish(ShopeeId),
    promotion_group_id: z.nullish(ShopeeId),
  }))();
export type ShopeeOrderItem = z.infer<typeof ShopeeOrderItem>;

/** One package of an order's `package_list`. */
export const ShopeePackage = /* @__PURE__ */ (() =>
  z.looseObject({
    package_number: z.string().check(z.minLength(1)),
    logistics_status: z.nullish(z.string()),
    logistics_channel_id: z.nullish(ShopeeId),
    shipping_carrier: z.nullish(z.string()),
    item_list: z.nullish(
      z.array(
        z.looseObject({
          item_id: z.nullish(ShopeeId),
          model_id: z.nullish(ShopeeId),
          model_quantity: z.nullish(z.number()),
        }),
      ),
    ),
  }))();
export type ShopeePackage = z.infer<typeof ShopeePackage>;

/** `recipient_address` of an order (values are often masked). */
export const ShopeeRecipientAddress = /* @__PURE__ */ (() =>
  z.looseObject({
    name: z.nullish(z.string()),
    phone: z.nullish(z.string()),
    full_address: z.nullish(z.string()),
    city: z.nullish(z.string()),
    state: z.nullish(z.string()),
    district: z.nullish(z.string()),
    town: z.nullish(z.string()),
    region: z.nullish(z.string()),
    zipcode: z.nullish(z.string()),
  }))();
export type ShopeeRecipientAddress = z.infer<typeof ShopeeRecipientAddress>;

/** One order of `get_order_detail` (optional fields present only when requested). */
export const ShopeeOrder = /* @__PURE__ */ (() =>
  z.looseObject({
    order_sn: z.string().check(z.minLength(1)),
    region: z.nullish(z.string()),
    currency: z.nullish(z.string()),
    cod: z.nullish(z.boolean()),
    order_status: z.string(),
    create_time: ShopeeTime,
    update_time: ShopeeTime,
    days_to_ship: z.nullish(z.number()),
    ship_by_date: z.nullish(ShopeeTime),
    message_to_seller: z.nullish(z.string()),
    total_amount: z.nullish(ShopeeAmount),
    pay_time: z.nullish(ShopeeTime),
    buyer_user_id: z.nullish(ShopeeId),
    buyer_username: z.nullish(z.string()),
    recipient_address: z.nullish(ShopeeRecipientAddress),
    item_list: z.nullish(z.array(ShopeeOrderItem)),
    package_list: z.nullish(z.array(ShopeePackage)),
    estimated_shipping_fee: z.nullish(ShopeeAmount),
    actual_shipping_fee: z.nullish(ShopeeAmount),
    shipping_carrier: z.nullish(z.string()),
    payment_method: z.nullish(z.string()),
    pickup_done_time: z.nullish(ShopeeTime),
    cancel_by: z.nullish(z.string()),
    cancel_reason: z.nullish(z.string()),
    note: z.nullish(z.string()),
    /** Brazil: the buyer's CPF (requested for Brazilian shops; needed on the NF-e). */
    buyer_cpf_id: z.nullish(z.string()),
    /**
     * Brazil: the order's invoice (`number`, `series_number`, `access_key`, `issue_date`,
     * `total_value`, `products_total_value`, `tax_code`, `status`, `pending_reason`), kept whole.
     */
    invoice_data: z.nullish(z.looseObject({})),
    /** `fulfilled_by_shopee`, `fulfilled_by_cb_seller` or `fulfilled_by_local_seller` (asked for in Brazil). */
    fulfillment_flag: z.nullish(z.string()),
  }))();
export type ShopeeOrder = z.infer<typeof ShopeeOrder>;

/** `response` of `GET /api/v2/order/get_order_detail`. */
export const ShopeeOrderDetailResponse = /* @__PURE__ */ (() =>
  z.looseObject({ order_list: z.nullish(z.array(ShopeeOrder)) }))();

/** `response` of `GET /api/v2/order/get_shipment_list`. */
export const ShopeeShipmentListResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    more: z.nullish(z.boolean()),
    next_cursor: z.nullish(z.string()),
    order_list: z.nullish(
      z.array(
        z.looseObject({ order_sn: z.string().check(z.minLength(1)), package_number: z.nullish(z.string()) }),
      ),
    ),
  }))();
export type ShopeeShipmentListResponse = z.infer<typeof ShopeeShipmentListResponse>;

/** `response` of `POST /api/v2/order/cancel_order`. */
export const ShopeeCancelOrderResponse = /* @__PURE__ */ (() =>
  z.looseObject({ update_time: z.nullish(ShopeeTime) }))();

// ---------------------------------------------------------------------------------------------
// Logistics

/** A pickup address of `get_shipping_parameter`. */
export const ShopeePickupAddress = /* @__PURE__ */ (() =>
  z.looseObject({
    address_id: ShopeeId,
    region: z.nullish(z.string()),
    state: z.nullish(z.string()),
    city: z.nullish(z.string()),
    address: z.nullish(z.string()),
    zipcode: z.nullish(z.string()),
    address_flag: z.nullish(z.array(z.string())),
    time_slot_list: z.nullish(
      z.array(
        z.looseObject({
          date: z.nullish(ShopeeTime),
          time_text: z.nullish(z.string()),
          pickup_time_id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
          flags: z.nullish(z.array(z.string())),
        }),
      ),
    ),
  }))();
export type ShopeePickupAddress = z.infer<typeof ShopeePickupAddress>;

/** `response` of `GET /api/v2/logistics/get_shipping_parameter`. A missing `info_needed` key = method unavailable. */
export const ShopeeShippingParameterResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    info_needed: z.nullish(
      z.looseObject({
        pickup: z.nullish(z.array(z.string())),
        dropoff: z.nullish(z.array(z.string())),
        non_integrated: z.nullish(z.array(z.string())),
      }),
    ),
    pickup: z.nullish(z.looseObject({ address_list: z.nullish(z.array(ShopeePickupAddress)) })),
    dropoff: z.nullish(
      z.looseObject({
        branch_list: z.nullish(z.array(z.looseObject({ branch_id: ShopeeId }))),
        slug_list: z.nullish(z.array(z.looseObject({ slug: z.string(), slug_name: z.nullish(z.string()) }))),
      }),
    ),
  }))();
export type ShopeeShippingParameterResponse = z.infer<typeof ShopeeShippingParameterResponse>;

/** `response` of `GET /api/v2/logistics/get_tracking_number`. */
export const ShopeeTrackingNumberResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    tracking_number: z.nullish(z.string()),
    plp_number: z.nullish(z.string()),
    first_mile_tracking_number: z.nullish(z.string()),
    last_mile_tracking_number: z.nullish(z.string()),
    hint: z.nullish(z.string()),
    pickup_code: z.nullish(z.string()),
  }))();
export type ShopeeTrackingNumberResponse = z.infer<typeof ShopeeTrackingNumberResponse>;

/** `response` of `GET /api/v2/logistics/get_tracking_info`. */
export const ShopeeTrackingInfoResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    order_sn: z.nullish(z.string()),
    package_number: z.nullish(z.string()),
    logistics_status: z.nullish(z.string()),
    tracking_info: z.nullish(
      z.array(
        z.looseObject({
          update_time: z.nullish(ShopeeTime),
          description: z.nullish(z.string()),
          logistics_status: z.nullish(z.string()),
        }),
      ),
    ),
  }))();
export type ShopeeTrackingInfoResponse = z.infer<typeof ShopeeTrackingInfoResponse>;

// ---------------------------------------------------------------------------------------------
// Push

/** The body of a push notification (`data` differs per `code`). */
export const ShopeePushBody = /* @__PURE__ */ (() =>
  z.looseObject({
    code: z.number().check(z.int()),
    shop_id: z.nullish(ShopeeId),
    timestamp: z.nullish(ShopeeTime),
    msg_id: z.nullish(z.string()),
    data: z.optional(z.unknown()),
  }))();
export type ShopeePushBody = z.infer<typeof ShopeePushBody>;

/** A push config id or code: an int, read from a numeric string too. */
const PushCode = /* @__PURE__ */ (() =>
  z.union([z.number().check(z.int()), z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number))]))();

/** `response` of `GET /api/v2/push/get_app_push_config` (Public). */
export const ShopeeAppPushConfigResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    callback_url: z.nullish(z.string()),
    /** `Normal`, `Warning` or `Suspended`; the sample writes it in lower case, so compare case-insensitively. */
    live_push_status: z.nullish(z.string()),
    /** Present only while suspended. */
    suspended_time: z.nullish(ShopeeTime),
    blocked_shop_id: z.nullish(z.array(ShopeeId)),
    /** The setter's spelling, read too in case a response uses it. */
    blocked_shop_id_list: z.nullish(z.array(ShopeeId)),
    push_config_on_list: z.nullish(z.array(PushCode)),
    push_config_off_list: z.nullish(z.array(PushCode)),
  }))();
export type ShopeeAppPushConfigResponse = z.infer<typeof ShopeeAppPushConfigResponse>;

/** `response` of `POST /api/v2/push/set_app_push_config`. */
export const ShopeeSetAppPushConfigResponse = /* @__PURE__ */ (() =>
  z.looseObject({ result: z.nullish(z.string()) }))();
export type ShopeeSetAppPushConfigResponse = z.infer<typeof ShopeeSetAppPushConfigResponse>;

/** One entry of `get_lost_push_message`: `data` is the original push, as JSON text or an object. */
export const ShopeeLostPushMessage = /* @__PURE__ */ (() =>
  z.looseObject({
    shop_id: z.nullish(ShopeeId),
    code: PushCode,
    /** When the push was lost (the original push time is inside `data`). */
    timestamp: z.nullish(ShopeeTime),
    data: z.optional(z.unknown()),
  }))();
export type ShopeeLostPushMessage = z.infer<typeof ShopeeLostPushMessage>;

/** `response` of `GET /api/v2/push/get_lost_push_message` (Public). */
export const ShopeeLostPushResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    push_message_list: z.nullish(z.array(ShopeeLostPushMessage)),
    has_next_page: z.nullish(z.boolean()),
    last_message_id: z.nullish(ShopeeId),
  }))();
export type ShopeeLostPushResponse = z.infer<typeof ShopeeLostPushResponse>;

// ---------------------------------------------------------------------------------------------
// Categories

/** One category of `product/get_category` (the whole tree comes flat, in one call). */
export const ShopeeCategory = /* @__PURE__ */ (() =>
  z.looseObject({
    category_id: ShopeeId,
    /** `0` for a level-1 category. */
    parent_category_id: z.nullish(ShopeeId),
    original_category_name: z.nullish(z.string()),
    /** Localized by the `language` parameter. */
    display_category_name: z.nullish(z.string()),
    has_children: z.nullish(z.boolean()),
  }))();
export type ShopeeCategory = z.infer<typeof ShopeeCategory>;

/** `response` of `product/get_category`. */
export const ShopeeCategoryListResponse = /* @__PURE__ */ (() =>
  z.looseObject({ category_list: z.nullish(z.array(ShopeeCategory)) }))();
export type ShopeeCategoryListResponse = z.infer<typeof ShopeeCategoryListResponse>;

/** `response` of `product/category_recommend`: leaf ids, best first. */
export const ShopeeCategoryRecommendResponse = /* @__PURE__ */ (() =>
  z.looseObject({ category_id: z.nullish(z.array(ShopeeId)) }))();
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
export const ShopeeAttributeNode: z.ZodMiniType<ShopeeAttributeNode> = /* @__PURE__ */ (() =>
  z.lazy(() =>
    z.looseObject({
      attribute_id: ShopeeId,
      mandatory: z.nullish(z.boolean()),
      is_mandatory: z.nullish(z.boolean()),
      name: z.nullish(z.string()),
      attribute_info: z.nullish(
        z.looseObject({
          input_type: z.nullish(z.number()),
          input_validation_type: z.nullish(z.number()),
          format_type: z.nullish(z.number()),
          attribute_unit_list: z.nullish(z.array(z.string())),
          max_value_count: z.nullish(z.number()),
        }),
      ),
      attribute_value_list: z.nullish(
        z.array(
          z.looseObject({
            value_id: ShopeeId,
            name: z.nullish(z.string()),
            value_unit: z.nullish(z.string()),
            child_attribute_list: z.nullish(
              z.union([
                z.array(ShopeeAttributeNode),
                z.pipe(
                  ShopeeAttributeNode,
                  z.transform((node) => [node]),
                ),
              ]),
            ),
          }),
        ),
      ),
    }),
  ) as z.ZodMiniType<ShopeeAttributeNode>)();

/** `response` of `product/get_attribute_tree`: one entry per requested leaf. */
export const ShopeeAttributeTreeResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    list: z.nullish(
      z.array(
        z.looseObject({
          category_id: ShopeeId,
          warning: z.nullish(z.string()),
          attribute_tree: z.nullish(z.array(ShopeeAttributeNode)),
        }),
      ),
    ),
  }))();
export type ShopeeAttributeTreeResponse = z.infer<typeof ShopeeAttributeTreeResponse>;

const ShopeeLimit = /* @__PURE__ */ (() =>
  z.nullish(z.looseObject({ min_limit: z.nullish(z.number()), max_limit: z.nullish(z.number()) })))();

/** `response` of `product/get_item_limit` (per category when `category_id` is sent). */
export const ShopeeItemLimitResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    price_limit: ShopeeLimit,
    stock_limit: ShopeeLimit,
    item_name_length_limit: ShopeeLimit,
    item_image_count_limit: ShopeeLimit,
    item_description_length_limit: ShopeeLimit,
    dts_limit: z.nullish(
      z.looseObject({ days_to_ship_limit: ShopeeLimit, non_pre_order_days_to_ship: z.nullish(z.number()) }),
    ),
    weight_limit: z.nullish(z.looseObject({ weight_mandatory: z.nullish(z.boolean()) })),
    dimension_limit: z.nullish(z.looseObject({ dimension_mandatory: z.nullish(z.boolean()) })),
    size_chart_limit: z.nullish(
      z.looseObject({
        size_chart_mandatory: z.nullish(z.boolean()),
        support_image_size_chart: z.nullish(z.boolean()),
        support_template_size_chart: z.nullish(z.boolean()),
      }),
    ),
    /** `Mandatory`, `Flexible` or `Optional`; the reference tree also puts it beside `response`. */
    gtin_limit: z.nullish(z.looseObject({ gtin_validation_rule: z.nullish(z.string()) })),
  }))();
export type ShopeeItemLimitResponse = z.infer<typeof ShopeeItemLimitResponse>;

/** `response` of `product/get_brand_list`. */
export const ShopeeBrandListResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    brand_list: z.nullish(
      z.array(
        z.looseObject({
          brand_id: ShopeeId,
          original_brand_name: z.nullish(z.string()),
          display_brand_name: z.nullish(z.string()),
        }),
      ),
    ),
    has_next_page: z.nullish(z.boolean()),
    next_offset: z.nullish(z.number()),
    /** A brand is required in this category; "No Brand" is `brand_id` 0. */
    is_mandatory: z.nullish(z.boolean()),
    input_type: z.nullish(z.string()),
  }))();
export type ShopeeBrandListResponse = z.infer<typeof ShopeeBrandListResponse>;

/**
 * `invoice_data` of a Brazilian order (`get_order_detail` with `response_optional_fields=invoice_data`).
 * `{}` or `null` when none is attached; `status` (`valid` / `pending`) and `pending_reason` only on
 * responses after 2026-08; amounts are numbers or strings, the issue date Unix seconds.
 */
export const ShopeeInvoiceData = /* @__PURE__ */ (() =>
  z.looseObject({
    number: z.nullish(z.union([z.string(), z.number()])),
    series_number: z.nullish(z.union([z.string(), z.number()])),
    access_key: z.nullish(z.string()),
    issue_date: z.nullish(z.union([z.number(), z.string()])),
    total_value: z.nullish(z.union([z.number(), z.string()])),
    products_total_value: z.nullish(z.union([z.number(), z.string()])),
    tax_code: z.nullish(z.string()),
    status: z.nullish(z.string()),
    pending_reason: z.nullish(z.string()),
  }))();
export type ShopeeInvoiceData = z.infer<typeof ShopeeInvoiceData>;

/**
 * `shop/get_profile`: the shop's public profile. `invoice_issuer` (Brazilian CNPJ sellers, since
 * 2023-03) is `Shopee` when Shopee issues the shop's NF-e, `Other` when the seller does.
 */
export const ShopeeShopProfile = /* @__PURE__ */ (() =>
  z.looseObject({
    shop_name: z.nullish(z.string()),
    invoice_issuer: z.nullish(z.string()),
  }))();
export type ShopeeShopProfile = z.infer<typeof ShopeeShopProfile>;
