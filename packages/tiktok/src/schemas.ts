import { CurrencyCode, DecimalString, toDecimalString } from '@mlh/core';
import * as z from 'zod/mini';

/**
 * zod schemas of the raw TikTok Shop payloads this package reads (responses and webhooks) and
 * writes (request bodies). Response schemas keep unknown fields (`z.looseObject`) and are lenient
 * where the API is known to vary; request schemas are strict about what TikTok requires.
 */

/** A 64-bit id: TikTok sends strings; a number (seen in old webhook samples) is turned into a string. */
export const TikTokId = /* @__PURE__ */ (() =>
  z.union([
    z.string(),
    z.pipe(
      z.number(),
      z.transform((value) => String(value)),
    ),
  ]))();

/** A Unix time in seconds, as a number or a numeric string. */
export const UnixSeconds = /* @__PURE__ */ (() =>
  z.union([
    z.number(),
    z.pipe(
      z.string().check(z.regex(/^\d+$/)),
      z.transform((value) => Number(value)),
    ),
  ]))();

/** A decimal amount: TikTok sends strings; a number is converted without float noise; `""` is kept as absent. */
export const TikTokDecimal = /* @__PURE__ */ (() =>
  z.union([
    z.string(),
    z.pipe(
      z.number(),
      z.transform((value) => toDecimalString(value)),
    ),
  ]))();

/** The envelope of every TikTok Shop response: `code === 0` is success, whatever the HTTP status. */
export const TikTokEnvelope = /* @__PURE__ */ (() =>
  z.looseObject({
    code: z.union([
      z.number(),
      z.pipe(
        z.string(),
        z.transform((value) => Number(value)),
      ),
    ]),
    message: z.optional(z.string()),
    request_id: z.optional(z.string()),
    data: z.optional(z.unknown()),
  }))();
export type TikTokEnvelope = z.infer<typeof TikTokEnvelope>;

/** One per-item failure of a batch call, reported in `data.errors[]` even when `code` is 0. */
export const TikTokItemError = /* @__PURE__ */ (() =>
  z.looseObject({
    code: z.optional(z.union([z.number(), z.string()])),
    message: z.optional(z.string()),
    detail: z.optional(z.record(z.string(), z.unknown())),
  }))();
export type TikTokItemError = z.infer<typeof TikTokItemError>;

const ItemErrors = /* @__PURE__ */ (() => z.optional(z.array(TikTokItemError)))();

// ---------------------------------------------------------------- auth & shops

/** `data` of `/api/v2/token/get` and `/api/v2/token/refresh`. `*_expire_in` are absolute Unix seconds. */
export const TikTokTokenData = /* @__PURE__ */ (() =>
  z.looseObject({
    access_token: z.string().check(z.minLength(1)),
    access_token_expire_in: UnixSeconds,
    refresh_token: z.string().check(z.minLength(1)),
    refresh_token_expire_in: z.optional(UnixSeconds),
    open_id: z.optional(z.string()),
    seller_name: z.optional(z.string()),
    seller_base_region: z.optional(z.string()),
    user_type: z.optional(z.number()),
    granted_scopes: z.optional(z.array(z.string())),
  }))();
export type TikTokTokenData = z.infer<typeof TikTokTokenData>;

/** One shop of `GET /authorization/202309/shops`. */
export const TikTokAuthorizedShop = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    name: z.optional(z.string()),
    region: z.optional(z.string()),
    seller_type: z.optional(z.string()),
    cipher: z.string().check(z.minLength(1)),
    code: z.optional(z.string()),
  }))();
export type TikTokAuthorizedShop = z.infer<typeof TikTokAuthorizedShop>;

/** `data` of `GET /authorization/202309/shops`. */
export const TikTokAuthorizedShopsData = /* @__PURE__ */ (() =>
  z.looseObject({
    shops: z._default(z.array(TikTokAuthorizedShop), []),
  }))();

// ---------------------------------------------------------------- products

const ImageRef = /* @__PURE__ */ (() =>
  z.looseObject({
    uri: z.optional(z.string()),
    urls: z.optional(z.array(z.string())),
    thumb_urls: z.optional(z.array(z.string())),
    width: z.optional(z.number()),
    height: z.optional(z.number()),
  }))();

/** A SKU's price in responses (`sale_price`, not the request's `amount`). */
export const TikTokSkuPrice = /* @__PURE__ */ (() =>
  z.looseObject({
    currency: z.optional(z.string()),
    sale_price: z.optional(TikTokDecimal),
    tax_exclusive_price: z.optional(TikTokDecimal),
    unit_price: z.optional(TikTokDecimal),
    /** Not documented in responses, accepted defensively (the request shape). */
    amount: z.optional(TikTokDecimal),
  }))();

/** Stock of a SKU in one warehouse. */
export const TikTokInventory = /* @__PURE__ */ (() =>
  z.looseObject({
    warehouse_id: z.optional(TikTokId),
    quantity: z.number().check(z.int()),
  }))();

/** A variant axis value of a SKU (colour, size). */
export const TikTokSalesAttribute = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.optional(TikTokId),
    name: z.optional(z.string()),
    value_id: z.optional(TikTokId),
    value_name: z.optional(z.string()),
    sku_img: z.optional(ImageRef),
  }))();

/** A SKU of a product (search summary or detail). */
export const TikTokSku = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    seller_sku: z.optional(z.string()),
    external_sku_id: z.optional(z.string()),
    price: z.optional(TikTokSkuPrice),
    inventory: z.optional(z.array(TikTokInventory)),
    sales_attributes: z.optional(z.array(TikTokSalesAttribute)),
    identifier_code: z.optional(
      z.looseObject({ code: z.optional(z.string()), type: z.optional(z.string()) }),
    ),
  }))();
export type TikTokSku = z.infer<typeof TikTokSku>;

/**
 * A product, from search (summary) or detail (full). Its status comes as `status` in some
 * responses and `product_status` in others; either may be missing.
 */
export const TikTokProduct = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    title: z._default(z.string(), ''),
    status: z.optional(z.string()),
    product_status: z.optional(z.string()),
    description: z.optional(z.string()),
    category_chains: z.optional(
      z.array(
        z.looseObject({ id: TikTokId, is_leaf: z.optional(z.boolean()), local_name: z.optional(z.string()) }),
      ),
    ),
    brand: z.optional(z.looseObject({ id: z.optional(TikTokId), name: z.optional(z.string()) })),
    main_images: z.optional(z.array(ImageRef)),
    skus: z._default(z.array(TikTokSku), []),
    external_product_id: z.optional(z.string()),
    create_time: z.optional(UnixSeconds),
    update_time: z.optional(UnixSeconds),
    audit_failed_reasons: z.optional(z.array(z.unknown())),
  }))();
export type TikTokProduct = z.infer<typeof TikTokProduct>;

/** `data` of `POST /product/202309/products/search`. */
export const TikTokProductSearchData = /* @__PURE__ */ (() =>
  z.looseObject({
    products: z._default(z.array(TikTokProduct), []),
    next_page_token: z.optional(z.string()),
    total_count: z.optional(z.number()),
  }))();
export type TikTokProductSearchData = z.infer<typeof TikTokProductSearchData>;

/** `data` of create / edit product. */
export const TikTokProductWriteData = /* @__PURE__ */ (() =>
  z.looseObject({
    product_id: z.optional(TikTokId),
    skus: z._default(
      z.array(
        z.looseObject({
          id: TikTokId,
          seller_sku: z.optional(z.string()),
          external_sku_id: z.optional(z.string()),
          sales_attributes: z.optional(z.array(z.unknown())),
        }),
      ),
      [],
    ),
    warnings: z._default(z.array(z.looseObject({ message: z.optional(z.string()) })), []),
  }))();
export type TikTokProductWriteData = z.infer<typeof TikTokProductWriteData>;

/** `data` of batch-style calls: may list per-item failures even when the envelope says success. */
export const TikTokBatchData = /* @__PURE__ */ (() => z.nullish(z.looseObject({ errors: ItemErrors })))();
export type TikTokBatchData = z.infer<typeof TikTokBatchData>;

/** `data` of `POST /product/202309/images/upload`. */
export const TikTokUploadedImage = /* @__PURE__ */ (() =>
  z.looseObject({
    uri: z.string().check(z.minLength(1)),
    url: z.optional(z.string()),
    width: z.optional(z.number()),
    height: z.optional(z.number()),
    use_case: z.optional(z.string()),
  }))();
export type TikTokUploadedImage = z.infer<typeof TikTokUploadedImage>;

// ---------------------------------------------------------------- logistics

/** A warehouse of `GET /logistics/202309/warehouses`. */
export const TikTokWarehouse = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    name: z.optional(z.string()),
    effect_status: z.optional(z.string()),
    type: z.optional(z.string()),
    sub_type: z.optional(z.string()),
    is_default: z.optional(z.boolean()),
    address: z.optional(z.looseObject({})),
  }))();
export type TikTokWarehouse = z.infer<typeof TikTokWarehouse>;

/** `data` of `GET /logistics/202309/warehouses`. */
export const TikTokWarehousesData = /* @__PURE__ */ (() =>
  z.looseObject({ warehouses: z._default(z.array(TikTokWarehouse), []) }))();

/** A delivery option of a warehouse. */
export const TikTokDeliveryOption = /* @__PURE__ */ (() =>
  z.looseObject({ id: TikTokId, name: z.optional(z.string()) }))();
/** `data` of the delivery options of a warehouse. */
export const TikTokDeliveryOptionsData = /* @__PURE__ */ (() =>
  z.looseObject({
    delivery_options: z._default(z.array(TikTokDeliveryOption), []),
  }))();

/** A carrier usable when the seller ships: its `id` is the `shipping_provider_id`. */
export const TikTokShippingProvider = /* @__PURE__ */ (() =>
  z.looseObject({ id: TikTokId, name: z.optional(z.string()) }))();
export type TikTokShippingProvider = z.infer<typeof TikTokShippingProvider>;
/** `data` of the shipping providers of a delivery option. */
export const TikTokShippingProvidersData = /* @__PURE__ */ (() =>
  z.looseObject({
    shipping_providers: z._default(z.array(TikTokShippingProvider), []),
  }))();

// ---------------------------------------------------------------- orders

const DistrictInfo = /* @__PURE__ */ (() =>
  z.looseObject({
    address_level: z.optional(z.string()),
    address_level_name: z.optional(z.string()),
    address_name: z.optional(z.string()),
    iso_code: z.optional(z.string()),
  }))();

/** A recipient / sender address; absent in `UNPAID` and `ON_HOLD` orders, partly masked elsewhere. */
export const TikTokAddress = /* @__PURE__ */ (() =>
  z.looseObject({
    name: z.optional(z.string()),
    first_name: z.optional(z.string()),
    last_name: z.optional(z.string()),
    phone_number: z.optional(z.string()),
    full_address: z.optional(z.string()),
    address_detail: z.optional(z.string()),
    address_line1: z.optional(z.string()),
    address_line2: z.optional(z.string()),
    address_line3: z.optional(z.string()),
    address_line4: z.optional(z.string()),
    postal_code: z.optional(z.string()),
    region_code: z.optional(z.string()),
    post_town: z.optional(z.string()),
    district_info: z.optional(z.array(DistrictInfo)),
  }))();
export type TikTokAddress = z.infer<typeof TikTokAddress>;

/** One unit of an order: a quantity of N is N line items with the same `sku_id`. */
export const TikTokLineItem = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    product_id: TikTokId,
    product_name: z.optional(z.string()),
    sku_id: z.optional(TikTokId),
    sku_name: z.optional(z.string()),
    sku_image: z.optional(z.string()),
    seller_sku: z.optional(z.string()),
    sale_price: z.optional(TikTokDecimal),
    original_price: z.optional(TikTokDecimal),
    seller_discount: z.optional(TikTokDecimal),
    platform_discount: z.optional(TikTokDecimal),
    currency: z.optional(z.string()),
    display_status: z.optional(z.string()),
    package_id: z.optional(TikTokId),
    package_status: z.optional(z.string()),
    tracking_number: z.optional(z.string()),
    shipping_provider_id: z.optional(TikTokId),
    shipping_provider_name: z.optional(z.string()),
    rts_time: z.optional(UnixSeconds),
  }))();
export type TikTokLineItem = z.infer<typeof TikTokLineItem>;

/** `payment` of an order: every amount a decimal string. */
export const TikTokPayment = /* @__PURE__ */ (() =>
  z.looseObject({
    currency: z.optional(z.string()),
    original_total_product_price: z.optional(TikTokDecimal),
    seller_discount: z.optional(TikTokDecimal),
    platform_discount: z.optional(TikTokDecimal),
    sub_total: z.optional(TikTokDecimal),
    original_shipping_fee: z.optional(TikTokDecimal),
    shipping_fee: z.optional(TikTokDecimal),
    tax: z.optional(TikTokDecimal),
    total_amount: z.optional(TikTokDecimal),
  }))();

/** An order (202309), from search or detail. */
export const TikTokOrder = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    status: z.string(),
    create_time: UnixSeconds,
    update_time: z.optional(UnixSeconds),
    paid_time: z.optional(UnixSeconds),
    cancel_time: z.optional(UnixSeconds),
    collection_time: z.optional(UnixSeconds),
    delivery_time: z.optional(UnixSeconds),
    rts_time: z.optional(UnixSeconds),
    user_id: z.optional(TikTokId),
    buyer_email: z.optional(z.string()),
    buyer_nickname: z.optional(z.string()),
    buyer_message: z.optional(z.string()),
    payment: z.optional(TikTokPayment),
    recipient_address: z.optional(TikTokAddress),
    line_items: z._default(z.array(TikTokLineItem), []),
    packages: z.optional(z.array(z.looseObject({ id: TikTokId }))),
    tracking_number: z.optional(z.string()),
    shipping_provider: z.optional(z.string()),
    shipping_provider_id: z.optional(TikTokId),
    shipping_type: z.optional(z.string()),
    delivery_option_id: z.optional(TikTokId),
    warehouse_id: z.optional(TikTokId),
    split_or_combine_tag: z.optional(z.string()),
  }))();
export type TikTokOrder = z.infer<typeof TikTokOrder>;

/** `data` of `POST /order/202309/orders/search`. */
export const TikTokOrderSearchData = /* @__PURE__ */ (() =>
  z.looseObject({
    orders: z._default(z.array(TikTokOrder), []),
    next_page_token: z.optional(z.string()),
    total_count: z.optional(z.number()),
  }))();
export type TikTokOrderSearchData = z.infer<typeof TikTokOrderSearchData>;

/** `data` of `GET /order/202309/orders?ids=...`. */
export const TikTokOrderDetailData = /* @__PURE__ */ (() =>
  z.looseObject({ orders: z._default(z.array(TikTokOrder), []) }))();

// ---------------------------------------------------------------- fulfillment

/** A package (shipment), from search (summary) or detail. Detail names its id `package_id`, search `id`. */
export const TikTokPackage = /* @__PURE__ */ (() =>
  z
    .looseObject({
      id: z.optional(TikTokId),
      package_id: z.optional(TikTokId),
      package_status: z.optional(z.string()),
      status: z.optional(z.string()),
      orders: z.optional(z.array(z.looseObject({ id: TikTokId }))),
      order_line_item_ids: z.optional(z.array(TikTokId)),
      shipping_type: z.optional(z.string()),
      shipping_provider_id: z.optional(TikTokId),
      shipping_provider_name: z.optional(z.string()),
      tracking_number: z.optional(z.string()),
      handover_method: z.optional(z.string()),
      recipient_address: z.optional(TikTokAddress),
      create_time: z.optional(UnixSeconds),
      update_time: z.optional(UnixSeconds),
    })
    .check(
      z.refine((value) => value.id !== undefined || value.package_id !== undefined, {
        message: 'a package needs `package_id` or `id`',
      }),
    ))();
export type TikTokPackage = z.infer<typeof TikTokPackage>;

/** `data` of `POST /fulfillment/202309/packages/search`. */
export const TikTokPackageSearchData = /* @__PURE__ */ (() =>
  z.looseObject({
    packages: z._default(z.array(TikTokPackage), []),
    next_page_token: z.optional(z.string()),
    total_count: z.optional(z.number()),
  }))();

/** `data` of mark-package-as-shipped (`POST /fulfillment/202309/orders/{order_id}/packages`). */
export const TikTokMarkShippedData = /* @__PURE__ */ (() =>
  z.looseObject({
    order_id: z.optional(TikTokId),
    package_id: TikTokId,
    order_line_item_ids: z.optional(z.array(TikTokId)),
    warning: z.nullish(z.looseObject({ message: z.optional(z.string()) })),
  }))();

/** One tracking event; its time is in **milliseconds** (`update_time_millis`). */
export const TikTokTrackingEvent = /* @__PURE__ */ (() =>
  z.looseObject({
    description: z.optional(z.string()),
    update_time_millis: z.union([
      z.number(),
      z.pipe(
        z.string(),
        z.transform((value) => Number(value)),
      ),
    ]),
  }))();
/** `data` of the tracking call. */
export const TikTokTrackingData = /* @__PURE__ */ (() =>
  z.looseObject({ tracking: z._default(z.array(TikTokTrackingEvent), []) }))();

/** `data` of the shipping documents call. */
export const TikTokShippingDocumentData = /* @__PURE__ */ (() =>
  z.looseObject({
    doc_url: z.string(),
    tracking_number: z.optional(z.string()),
  }))();

/** `data` of the handover time slots call (`avaliable` is TikTok's spelling). */
export const TikTokHandoverSlotsData = /* @__PURE__ */ (() =>
  z.looseObject({
    can_pickup: z.optional(z.boolean()),
    can_drop_off: z.optional(z.boolean()),
    pickup_slots: z._default(
      z.array(
        z.looseObject({
          start_time: UnixSeconds,
          end_time: UnixSeconds,
          avaliable: z.optional(z.boolean()),
        }),
      ),
      [],
    ),
    drop_off_point_url: z.optional(z.string()),
  }))();

// ---------------------------------------------------------------- event API (webhook subscriptions)

/** One subscription of `GET /event/202309/webhooks`: the address a shop's events of one type go to. */
export const TikTokShopWebhook = /* @__PURE__ */ (() =>
  z.looseObject({
    event_type: z.string(),
    address: z.string(),
    create_time: z.optional(UnixSeconds),
    update_time: z.optional(UnixSeconds),
  }))();
export type TikTokShopWebhook = z.infer<typeof TikTokShopWebhook>;

/** `data` of `GET /event/202309/webhooks`. */
export const TikTokShopWebhooksData = /* @__PURE__ */ (() =>
  z.looseObject({
    total_count: z.optional(z.number().check(z.int())),
    webhooks: z._default(z.array(TikTokShopWebhook), []),
  }))();

/** `data` of the Event API writes (`PUT`, `DELETE`): empty. */
export const TikTokEmptyData = /* @__PURE__ */ (() => z.unknown())();

// ---------------------------------------------------------------- request bodies (validated before sending)

const PriceInput = /* @__PURE__ */ (() => z.object({ amount: DecimalString, currency: CurrencyCode }))();
const UriInput = /* @__PURE__ */ (() => z.looseObject({ uri: z.string().check(z.minLength(1)) }))();

/** One SKU of a create / edit product body. */
export const TikTokSkuInput = /* @__PURE__ */ (() =>
  z.looseObject({
    /** Only on edit: the existing SKU's id, so it is kept rather than replaced. */
    id: z.optional(z.string().check(z.minLength(1))),
    seller_sku: z.optional(z.string().check(z.minLength(1))),
    price: PriceInput,
    inventory: z
      .array(
        z.object({
          warehouse_id: z.string().check(z.minLength(1)),
          quantity: z.number().check(z.int(), z.nonnegative()),
        }),
      )
      .check(z.minLength(1)),
    sales_attributes: z.optional(
      z.array(
        z.looseObject({
          id: z.optional(z.string()),
          name: z.optional(z.string().check(z.minLength(1))),
          value_id: z.optional(z.string()),
          value_name: z.string().check(z.minLength(1)),
          sku_img: z.optional(UriInput),
        }),
      ),
    ),
    identifier_code: z.optional(
      z.object({ code: z.string().check(z.minLength(1)), type: z.string().check(z.minLength(1)) }),
    ),
  }))();
export type TikTokSkuInput = z.infer<typeof TikTokSkuInput>;

/** The body of create (`POST /product/202309/products`) and full edit (`PUT .../products/{id}`). */
export const TikTokProductInput = /* @__PURE__ */ (() =>
  z.looseObject({
    title: z.string().check(z.minLength(1)),
    description: z.string().check(z.minLength(1), z.maxLength(10_000)),
    category_id: z.string().check(z.minLength(1)),
    category_version: z.optional(z.string()),
    brand_id: z.optional(z.string()),
    main_images: z.array(UriInput).check(z.minLength(1), z.maxLength(9)),
    skus: z.array(TikTokSkuInput).check(z.minLength(1)),
    package_weight: z.object({ value: DecimalString, unit: z.string().check(z.minLength(1)) }),
    package_dimensions: z.optional(
      z.object({
        length: DecimalString,
        width: DecimalString,
        height: DecimalString,
        unit: z.string().check(z.minLength(1)),
      }),
    ),
    product_attributes: z.optional(z.array(z.looseObject({ id: z.string() }))),
    external_product_id: z.optional(z.string()),
    save_mode: z.optional(z.string()),
  }))();
export type TikTokProductInput = z.infer<typeof TikTokProductInput>;

// ---------------------------------------------------------------- webhooks

/** The delivery envelope of a TikTok Shop webhook. */
export const TikTokWebhookBody = /* @__PURE__ */ (() =>
  z.looseObject({
    type: z.number().check(z.int()),
    tts_notification_id: z.optional(z.string()),
    shop_id: TikTokId,
    timestamp: UnixSeconds,
    data: z._default(z.record(z.string(), z.unknown()), {}),
  }))();
export type TikTokWebhookBody = z.infer<typeof TikTokWebhookBody>;

// ---------------------------------------------------------------------------------------------
// Categories

/** One category of `GET /product/202309/categories` (the whole tree comes flat). */
export const TikTokCategory = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    /** `"0"` for a root. */
    parent_id: z.nullish(TikTokId),
    local_name: z.nullish(z.string()),
    is_leaf: z.nullish(z.boolean()),
    /** `AVAILABLE`, `INVITE_ONLY`, `NON_MAIN_CATEGORY`, `PROHIBITED`; open (TikTok adds values). */
    permission_statuses: z.nullish(z.array(z.string())),
  }))();
export type TikTokCategory = z.infer<typeof TikTokCategory>;

/** `data` of Get Categories. */
export const TikTokCategoriesData = /* @__PURE__ */ (() =>
  z.looseObject({ categories: z.nullish(z.array(TikTokCategory)) }))();

/** One step of the chain Recommend Category returns, root first. */
export const TikTokRecommendedCategory = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    name: z.nullish(z.string()),
    level: z.nullish(z.number()),
    is_leaf: z.nullish(z.boolean()),
    permission_statuses: z.nullish(z.array(z.string())),
  }))();
export type TikTokRecommendedCategory = z.infer<typeof TikTokRecommendedCategory>;

/** `data` of Recommend Category: the leaf and its chain. */
export const TikTokCategoryRecommendation = /* @__PURE__ */ (() =>
  z.looseObject({
    leaf_category_id: z.nullish(TikTokId),
    categories: z.nullish(z.array(TikTokRecommendedCategory)),
  }))();
export type TikTokCategoryRecommendation = z.infer<typeof TikTokCategoryRecommendation>;

/** `{attribute_id, attribute_value_id, condition_type}`: a value that makes something required. */
export const TikTokRequirementCondition = /* @__PURE__ */ (() =>
  z.looseObject({
    attribute_id: TikTokId,
    attribute_value_id: TikTokId,
    condition_type: z.nullish(z.string()),
  }))();

/**
 * One attribute of Get Attributes. TikTok spells the required flag `is_requried`; a few samples
 * use `is_required`: both are read (the misspelt one first).
 */
export const TikTokCategoryAttribute = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    name: z.nullish(z.string()),
    /** `SALES_PROPERTY` (a variant axis) or `PRODUCT_PROPERTY`; open. */
    type: z.nullish(z.string()),
    is_requried: z.nullish(z.boolean()),
    is_required: z.nullish(z.boolean()),
    requirement_conditions: z.nullish(z.array(TikTokRequirementCondition)),
    is_customizable: z.nullish(z.boolean()),
    is_multiple_selection: z.nullish(z.boolean()),
    value_data_format: z.nullish(z.string()),
    /** Absent (not empty) for free-text attributes. */
    values: z.nullish(z.array(z.looseObject({ id: TikTokId, name: z.nullish(z.string()) }))),
  }))();
export type TikTokCategoryAttribute = z.infer<typeof TikTokCategoryAttribute>;

/** `data` of Get Attributes. */
export const TikTokCategoryAttributesData = /* @__PURE__ */ (() =>
  z.looseObject({
    attributes: z.nullish(z.array(TikTokCategoryAttribute)),
  }))();

const TikTokRequiredFlag = /* @__PURE__ */ (() =>
  z.nullish(z.looseObject({ is_required: z.nullish(z.boolean()) })))();

/** `data` of Get Category Rules: every block optional, absent meaning "no requirement". */
export const TikTokCategoryRules = /* @__PURE__ */ (() =>
  z.looseObject({
    product_certifications: z.nullish(
      z.array(
        z.looseObject({
          id: TikTokId,
          name: z.nullish(z.string()),
          is_required: z.nullish(z.boolean()),
          requirement_conditions: z.nullish(z.array(TikTokRequirementCondition)),
        }),
      ),
    ),
    size_chart: z.nullish(
      z.looseObject({ is_supported: z.nullish(z.boolean()), is_required: z.nullish(z.boolean()) }),
    ),
    package_dimension: TikTokRequiredFlag,
    cod: z.nullish(z.looseObject({ is_supported: z.nullish(z.boolean()) })),
    epr: TikTokRequiredFlag,
    manufacturer: TikTokRequiredFlag,
    responsible_person: TikTokRequiredFlag,
    /** `PRE_ORDER`, `MADE_TO_ORDER`, `CUSTOM`; omitted when the shop lacks permission. */
    allowed_special_product_types: z.nullish(z.array(z.string())),
  }))();
export type TikTokCategoryRules = z.infer<typeof TikTokCategoryRules>;

/**
 * One brand of Get Brands. `authorized_status` is `AUTHORIZED`, or the unauthorized literal that
 * TikTok spells `UNAUTHORIEZD` (spec, samples, live captures); `UNAUTHORIZED` is accepted too.
 */
export const TikTokBrand = /* @__PURE__ */ (() =>
  z.looseObject({
    id: TikTokId,
    name: z.nullish(z.string()),
    authorized_status: z.nullish(z.string()),
    /** `AVAILABLE` / `UNAVAILABLE`: only for authorized brands when `category_id` is given. */
    brand_status: z.nullish(z.string()),
    is_t1_brand: z.nullish(z.boolean()),
  }))();
export type TikTokBrand = z.infer<typeof TikTokBrand>;

/** `data` of Get Brands. */
export const TikTokBrandsData = /* @__PURE__ */ (() =>
  z.looseObject({
    brands: z.nullish(z.array(TikTokBrand)),
    next_page_token: z.nullish(z.string()),
    total_count: z.nullish(z.number()),
  }))();

/**
 * Brazilian fields of an order: `need_upload_invoice` (`UNKNOWN`, `NEED_INVOICE`, `NO_NEED`,
 * `INVOICE_UPLOADED`, `INVOICE_PROCESSING`, open: TikTok adds values), the buyer's `cpf` and the
 * name registered to it, `cpf_name`. Read leniently from the order payload.
 */
export const TikTokOrderFiscalFields = /* @__PURE__ */ (() => {
  // A string, or '' for anything else: what `z.catch(z.string(), '')` reads, without zod's `catch`,
  // which brings zod's whole `util` namespace into a bundle.
  const lenientString = z.pipe(
    z.unknown(),
    z.transform((value): string => (typeof value === 'string' ? value : '')),
  );
  return z.looseObject({
    need_upload_invoice: z.optional(lenientString),
    cpf: z.optional(lenientString),
    cpf_name: z.optional(lenientString),
  });
})();
export type TikTokOrderFiscalFields = z.infer<typeof TikTokOrderFiscalFields>;
// ---------------------------------------------------------------------------------------------
// Customer service (chat), in zod/mini

const chatId = /* @__PURE__ */ (() =>
  z.pipe(
    z.union([z.string(), z.number()]),
    z.transform((value) => String(value)),
  ))();
const chatText = /* @__PURE__ */ (() => z.nullish(z.string()))();

/** One participant of a conversation: `im_user_id` (chat id) and, for the buyer, `user_id` (what orders carry). */
export const TikTokChatParticipant = /* @__PURE__ */ (() =>
  z.looseObject({
    im_user_id: z.nullish(chatId),
    user_id: z.nullish(chatId),
    role: chatText,
    nickname: chatText,
  }))();
export type TikTokChatParticipant = z.infer<typeof TikTokChatParticipant>;

/**
 * One chat message. `content` is a JSON-encoded string (`{"content":"…"}` for TEXT, `{url,width,height}`
 * for IMAGE); messages with `is_visible: false` are hidden from the seller's view.
 */
export const TikTokChatMessage = /* @__PURE__ */ (() =>
  z.looseObject({
    id: chatId,
    index: z.nullish(chatId),
    type: chatText,
    content: chatText,
    create_time: z.nullish(z.union([z.number(), z.string()])),
    is_visible: z.nullish(z.boolean()),
    sender: z.nullish(z.looseObject({ im_user_id: z.nullish(chatId), role: chatText, nickname: chatText })),
  }))();
export type TikTokChatMessage = z.infer<typeof TikTokChatMessage>;

/** A conversation: its participants and whether the shop may write now (`can_send_message`). */
export const TikTokConversation = /* @__PURE__ */ (() =>
  z.looseObject({
    id: chatId,
    can_send_message: z.nullish(z.boolean()),
    unread_count: z.nullish(z.number()),
    create_time: z.nullish(z.union([z.number(), z.string()])),
    participants: z.nullish(z.array(TikTokChatParticipant)),
  }))();
export type TikTokConversation = z.infer<typeof TikTokConversation>;

/** `data` of Get Conversation (202601): the conversation, wrapped or not. */
export const TikTokConversationData = /* @__PURE__ */ (() =>
  z.extend(z.partial(TikTokConversation), {
    conversation: z.optional(TikTokConversation),
  }))();
export type TikTokConversationData = z.infer<typeof TikTokConversationData>;

/** `data` of Get Conversation Messages. */
export const TikTokChatMessagesData = /* @__PURE__ */ (() =>
  z.looseObject({
    messages: z.nullish(z.array(TikTokChatMessage)),
    next_page_token: chatText,
  }))();
export type TikTokChatMessagesData = z.infer<typeof TikTokChatMessagesData>;
