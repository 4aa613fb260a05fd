import { CurrencyCode, DecimalString, toDecimalString } from '@mlh/core';
import * as z from 'zod';
import * as zm from 'zod/mini';

/**
 * zod schemas of the raw TikTok Shop payloads this package reads (responses and webhooks) and
 * writes (request bodies). Response schemas keep unknown fields (`z.looseObject`) and are lenient
 * where the API is known to vary; request schemas are strict about what TikTok requires.
 */

/** A 64-bit id: TikTok sends strings; a number (seen in old webhook samples) is turned into a string. */
export const TikTokId = z.union([z.string(), z.number().transform((value) => String(value))]);

/** A Unix time in seconds, as a number or a numeric string. */
export const UnixSeconds = z.union([
  z.number(),
  z
    .string()
    .regex(/^\d+$/)
    .transform((value) => Number(value)),
]);

/** A decimal amount: TikTok sends strings; a number is converted without float noise; `""` is kept as absent. */
export const TikTokDecimal = z.union([z.string(), z.number().transform((value) => toDecimalString(value))]);

/** The envelope of every TikTok Shop response: `code === 0` is success, whatever the HTTP status. */
export const TikTokEnvelope = z.looseObject({
  code: z.union([z.number(), z.string().transform((value) => Number(value))]),
  message: z.string().optional(),
  request_id: z.string().optional(),
  data: z.unknown().optional(),
});
export type TikTokEnvelope = z.infer<typeof TikTokEnvelope>;

/** One per-item failure of a batch call, reported in `data.errors[]` even when `code` is 0. */
export const TikTokItemError = z.looseObject({
  code: z.union([z.number(), z.string()]).optional(),
  message: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type TikTokItemError = z.infer<typeof TikTokItemError>;

const ItemErrors = z.array(TikTokItemError).optional();

// ---------------------------------------------------------------- auth & shops

/** `data` of `/api/v2/token/get` and `/api/v2/token/refresh`. `*_expire_in` are absolute Unix seconds. */
export const TikTokTokenData = z.looseObject({
  access_token: z.string().min(1),
  access_token_expire_in: UnixSeconds,
  refresh_token: z.string().min(1),
  refresh_token_expire_in: UnixSeconds.optional(),
  open_id: z.string().optional(),
  seller_name: z.string().optional(),
  seller_base_region: z.string().optional(),
  user_type: z.number().optional(),
  granted_scopes: z.array(z.string()).optional(),
});
export type TikTokTokenData = z.infer<typeof TikTokTokenData>;

/** One shop of `GET /authorization/202309/shops`. */
export const TikTokAuthorizedShop = z.looseObject({
  id: TikTokId,
  name: z.string().optional(),
  region: z.string().optional(),
  seller_type: z.string().optional(),
  cipher: z.string().min(1),
  code: z.string().optional(),
});
export type TikTokAuthorizedShop = z.infer<typeof TikTokAuthorizedShop>;

/** `data` of `GET /authorization/202309/shops`. */
export const TikTokAuthorizedShopsData = z.looseObject({
  shops: z.array(TikTokAuthorizedShop).default([]),
});

// ---------------------------------------------------------------- products

const ImageRef = z.looseObject({
  uri: z.string().optional(),
  urls: z.array(z.string()).optional(),
  thumb_urls: z.array(z.string()).optional(),
  width: z.number().optional(),
  height: z.number().optional(),
});

/** A SKU's price in responses (`sale_price`, not the request's `amount`). */
export const TikTokSkuPrice = z.looseObject({
  currency: z.string().optional(),
  sale_price: TikTokDecimal.optional(),
  tax_exclusive_price: TikTokDecimal.optional(),
  unit_price: TikTokDecimal.optional(),
  /** Not documented in responses, accepted defensively (the request shape). */
  amount: TikTokDecimal.optional(),
});

/** Stock of a SKU in one warehouse. */
export const TikTokInventory = z.looseObject({
  warehouse_id: TikTokId.optional(),
  quantity: z.number().int(),
});

/** A variant axis value of a SKU (colour, size). */
export const TikTokSalesAttribute = z.looseObject({
  id: TikTokId.optional(),
  name: z.string().optional(),
  value_id: TikTokId.optional(),
  value_name: z.string().optional(),
  sku_img: ImageRef.optional(),
});

/** A SKU of a product (search summary or detail). */
export const TikTokSku = z.looseObject({
  id: TikTokId,
  seller_sku: z.string().optional(),
  external_sku_id: z.string().optional(),
  price: TikTokSkuPrice.optional(),
  inventory: z.array(TikTokInventory).optional(),
  sales_attributes: z.array(TikTokSalesAttribute).optional(),
  identifier_code: z.looseObject({ code: z.string().optional(), type: z.string().optional() }).optional(),
});
export type TikTokSku = z.infer<typeof TikTokSku>;

/**
 * A product, from search (summary) or detail (full). Its status comes as `status` in some
 * responses and `product_status` in others; either may be missing.
 */
export const TikTokProduct = z.looseObject({
  id: TikTokId,
  title: z.string().default(''),
  status: z.string().optional(),
  product_status: z.string().optional(),
  description: z.string().optional(),
  category_chains: z
    .array(
      z.looseObject({ id: TikTokId, is_leaf: z.boolean().optional(), local_name: z.string().optional() }),
    )
    .optional(),
  brand: z.looseObject({ id: TikTokId.optional(), name: z.string().optional() }).optional(),
  main_images: z.array(ImageRef).optional(),
  skus: z.array(TikTokSku).default([]),
  external_product_id: z.string().optional(),
  create_time: UnixSeconds.optional(),
  update_time: UnixSeconds.optional(),
  audit_failed_reasons: z.array(z.unknown()).optional(),
});
export type TikTokProduct = z.infer<typeof TikTokProduct>;

/** `data` of `POST /product/202309/products/search`. */
export const TikTokProductSearchData = z.looseObject({
  products: z.array(TikTokProduct).default([]),
  next_page_token: z.string().optional(),
  total_count: z.number().optional(),
});
export type TikTokProductSearchData = z.infer<typeof TikTokProductSearchData>;

/** `data` of create / edit product. */
export const TikTokProductWriteData = z.looseObject({
  product_id: TikTokId.optional(),
  skus: z
    .array(
      z.looseObject({
        id: TikTokId,
        seller_sku: z.string().optional(),
        external_sku_id: z.string().optional(),
        sales_attributes: z.array(z.unknown()).optional(),
      }),
    )
    .default([]),
  warnings: z.array(z.looseObject({ message: z.string().optional() })).default([]),
});
export type TikTokProductWriteData = z.infer<typeof TikTokProductWriteData>;

/** `data` of batch-style calls: may list per-item failures even when the envelope says success. */
export const TikTokBatchData = z.looseObject({ errors: ItemErrors }).nullish();
export type TikTokBatchData = z.infer<typeof TikTokBatchData>;

/** `data` of `POST /product/202309/images/upload`. */
export const TikTokUploadedImage = z.looseObject({
  uri: z.string().min(1),
  url: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  use_case: z.string().optional(),
});
export type TikTokUploadedImage = z.infer<typeof TikTokUploadedImage>;

// ---------------------------------------------------------------- logistics

/** A warehouse of `GET /logistics/202309/warehouses`. */
export const TikTokWarehouse = z.looseObject({
  id: TikTokId,
  name: z.string().optional(),
  effect_status: z.string().optional(),
  type: z.string().optional(),
  sub_type: z.string().optional(),
  is_default: z.boolean().optional(),
  address: z.looseObject({}).optional(),
});
export type TikTokWarehouse = z.infer<typeof TikTokWarehouse>;

/** `data` of `GET /logistics/202309/warehouses`. */
export const TikTokWarehousesData = z.looseObject({ warehouses: z.array(TikTokWarehouse).default([]) });

/** A delivery option of a warehouse. */
export const TikTokDeliveryOption = z.looseObject({ id: TikTokId, name: z.string().optional() });
/** `data` of the delivery options of a warehouse. */
export const TikTokDeliveryOptionsData = z.looseObject({
  delivery_options: z.array(TikTokDeliveryOption).default([]),
});

/** A carrier usable when the seller ships: its `id` is the `shipping_provider_id`. */
export const TikTokShippingProvider = z.looseObject({ id: TikTokId, name: z.string().optional() });
export type TikTokShippingProvider = z.infer<typeof TikTokShippingProvider>;
/** `data` of the shipping providers of a delivery option. */
export const TikTokShippingProvidersData = z.looseObject({
  shipping_providers: z.array(TikTokShippingProvider).default([]),
});

// ---------------------------------------------------------------- orders

const DistrictInfo = z.looseObject({
  address_level: z.string().optional(),
  address_level_name: z.string().optional(),
  address_name: z.string().optional(),
  iso_code: z.string().optional(),
});

/** A recipient / sender address; absent in `UNPAID` and `ON_HOLD` orders, partly masked elsewhere. */
export const TikTokAddress = z.looseObject({
  name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  phone_number: z.string().optional(),
  full_address: z.string().optional(),
  address_detail: z.string().optional(),
  address_line1: z.string().optional(),
  address_line2: z.string().optional(),
  address_line3: z.string().optional(),
  address_line4: z.string().optional(),
  postal_code: z.string().optional(),
  region_code: z.string().optional(),
  post_town: z.string().optional(),
  district_info: z.array(DistrictInfo).optional(),
});
export type TikTokAddress = z.infer<typeof TikTokAddress>;

/** One unit of an order: a quantity of N is N line items with the same `sku_id`. */
export const TikTokLineItem = z.looseObject({
  id: TikTokId,
  product_id: TikTokId,
  product_name: z.string().optional(),
  sku_id: TikTokId.optional(),
  sku_name: z.string().optional(),
  sku_image: z.string().optional(),
  seller_sku: z.string().optional(),
  sale_price: TikTokDecimal.optional(),
  original_price: TikTokDecimal.optional(),
  seller_discount: TikTokDecimal.optional(),
  platform_discount: TikTokDecimal.optional(),
  currency: z.string().optional(),
  display_status: z.string().optional(),
  package_id: TikTokId.optional(),
  package_status: z.string().optional(),
  tracking_number: z.string().optional(),
  shipping_provider_id: TikTokId.optional(),
  shipping_provider_name: z.string().optional(),
  rts_time: UnixSeconds.optional(),
});
export type TikTokLineItem = z.infer<typeof TikTokLineItem>;

/** `payment` of an order: every amount a decimal string. */
export const TikTokPayment = z.looseObject({
  currency: z.string().optional(),
  original_total_product_price: TikTokDecimal.optional(),
  seller_discount: TikTokDecimal.optional(),
  platform_discount: TikTokDecimal.optional(),
  sub_total: TikTokDecimal.optional(),
  original_shipping_fee: TikTokDecimal.optional(),
  shipping_fee: TikTokDecimal.optional(),
  tax: TikTokDecimal.optional(),
  total_amount: TikTokDecimal.optional(),
});

/** An order (202309), from search or detail. */
export const TikTokOrder = z.looseObject({
  id: TikTokId,
  status: z.string(),
  create_time: UnixSeconds,
  update_time: UnixSeconds.optional(),
  paid_time: UnixSeconds.optional(),
  cancel_time: UnixSeconds.optional(),
  collection_time: UnixSeconds.optional(),
  delivery_time: UnixSeconds.optional(),
  rts_time: UnixSeconds.optional(),
  user_id: TikTokId.optional(),
  buyer_email: z.string().optional(),
  buyer_nickname: z.string().optional(),
  buyer_message: z.string().optional(),
  payment: TikTokPayment.optional(),
  recipient_address: TikTokAddress.optional(),
  line_items: z.array(TikTokLineItem).default([]),
  packages: z.array(z.looseObject({ id: TikTokId })).optional(),
  tracking_number: z.string().optional(),
  shipping_provider: z.string().optional(),
  shipping_provider_id: TikTokId.optional(),
  shipping_type: z.string().optional(),
  delivery_option_id: TikTokId.optional(),
  warehouse_id: TikTokId.optional(),
  split_or_combine_tag: z.string().optional(),
});
export type TikTokOrder = z.infer<typeof TikTokOrder>;

/** `data` of `POST /order/202309/orders/search`. */
export const TikTokOrderSearchData = z.looseObject({
  orders: z.array(TikTokOrder).default([]),
  next_page_token: z.string().optional(),
  total_count: z.number().optional(),
});
export type TikTokOrderSearchData = z.infer<typeof TikTokOrderSearchData>;

/** `data` of `GET /order/202309/orders?ids=...`. */
export const TikTokOrderDetailData = z.looseObject({ orders: z.array(TikTokOrder).default([]) });

// ---------------------------------------------------------------- fulfillment

/** A package (shipment), from search (summary) or detail. Detail names its id `package_id`, search `id`. */
export const TikTokPackage = z
  .looseObject({
    id: TikTokId.optional(),
    package_id: TikTokId.optional(),
    package_status: z.string().optional(),
    status: z.string().optional(),
    orders: z.array(z.looseObject({ id: TikTokId })).optional(),
    order_line_item_ids: z.array(TikTokId).optional(),
    shipping_type: z.string().optional(),
    shipping_provider_id: TikTokId.optional(),
    shipping_provider_name: z.string().optional(),
    tracking_number: z.string().optional(),
    handover_method: z.string().optional(),
    recipient_address: TikTokAddress.optional(),
    create_time: UnixSeconds.optional(),
    update_time: UnixSeconds.optional(),
  })
  .refine((value) => value.id !== undefined || value.package_id !== undefined, {
    message: 'a package needs `package_id` or `id`',
  });
export type TikTokPackage = z.infer<typeof TikTokPackage>;

/** `data` of `POST /fulfillment/202309/packages/search`. */
export const TikTokPackageSearchData = z.looseObject({
  packages: z.array(TikTokPackage).default([]),
  next_page_token: z.string().optional(),
  total_count: z.number().optional(),
});

/** `data` of mark-package-as-shipped (`POST /fulfillment/202309/orders/{order_id}/packages`). */
export const TikTokMarkShippedData = z.looseObject({
  order_id: TikTokId.optional(),
  package_id: TikTokId,
  order_line_item_ids: z.array(TikTokId).optional(),
  warning: z.looseObject({ message: z.string().optional() }).nullish(),
});

/** One tracking event; its time is in **milliseconds** (`update_time_millis`). */
export const TikTokTrackingEvent = z.looseObject({
  description: z.string().optional(),
  update_time_millis: z.union([z.number(), z.string().transform((value) => Number(value))]),
});
/** `data` of the tracking call. */
export const TikTokTrackingData = z.looseObject({ tracking: z.array(TikTokTrackingEvent).default([]) });

/** `data` of the shipping documents call. */
export const TikTokShippingDocumentData = z.looseObject({
  doc_url: z.string(),
  tracking_number: z.string().optional(),
});

/** `data` of the handover time slots call (`avaliable` is TikTok's spelling). */
export const TikTokHandoverSlotsData = z.looseObject({
  can_pickup: z.boolean().optional(),
  can_drop_off: z.boolean().optional(),
  pickup_slots: z
    .array(
      z.looseObject({
        start_time: UnixSeconds,
        end_time: UnixSeconds,
        avaliable: z.boolean().optional(),
      }),
    )
    .default([]),
  drop_off_point_url: z.string().optional(),
});

// ---------------------------------------------------------------- event API (webhook subscriptions)

/** One subscription of `GET /event/202309/webhooks`: the address a shop's events of one type go to. */
export const TikTokShopWebhook = z.looseObject({
  event_type: z.string(),
  address: z.string(),
  create_time: UnixSeconds.optional(),
  update_time: UnixSeconds.optional(),
});
export type TikTokShopWebhook = z.infer<typeof TikTokShopWebhook>;

/** `data` of `GET /event/202309/webhooks`. */
export const TikTokShopWebhooksData = z.looseObject({
  total_count: z.number().int().optional(),
  webhooks: z.array(TikTokShopWebhook).default([]),
});

/** `data` of the Event API writes (`PUT`, `DELETE`): empty. */
export const TikTokEmptyData = z.unknown();

// ---------------------------------------------------------------- request bodies (validated before sending)

const PriceInput = z.object({ amount: DecimalString, currency: CurrencyCode });
const UriInput = z.looseObject({ uri: z.string().min(1) });

/** One SKU of a create / edit product body. */
export const TikTokSkuInput = z.looseObject({
  /** Only on edit: the existing SKU's id, so it is kept rather than replaced. */
  id: z.string().min(1).optional(),
  seller_sku: z.string().min(1).optional(),
  price: PriceInput,
  inventory: z
    .array(z.object({ warehouse_id: z.string().min(1), quantity: z.number().int().nonnegative() }))
    .min(1),
  sales_attributes: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        name: z.string().min(1).optional(),
        value_id: z.string().optional(),
        value_name: z.string().min(1),
        sku_img: UriInput.optional(),
      }),
    )
    .optional(),
  identifier_code: z.object({ code: z.string().min(1), type: z.string().min(1) }).optional(),
});
export type TikTokSkuInput = z.infer<typeof TikTokSkuInput>;

/** The body of create (`POST /product/202309/products`) and full edit (`PUT .../products/{id}`). */
export const TikTokProductInput = z.looseObject({
  title: z.string().min(1),
  description: z.string().min(1).max(10_000),
  category_id: z.string().min(1),
  category_version: z.string().optional(),
  brand_id: z.string().optional(),
  main_images: z.array(UriInput).min(1).max(9),
  skus: z.array(TikTokSkuInput).min(1),
  package_weight: z.object({ value: DecimalString, unit: z.string().min(1) }),
  package_dimensions: z
    .object({ length: DecimalString, width: DecimalString, height: DecimalString, unit: z.string().min(1) })
    .optional(),
  product_attributes: z.array(z.looseObject({ id: z.string() })).optional(),
  external_product_id: z.string().optional(),
  save_mode: z.string().optional(),
});
export type TikTokProductInput = z.infer<typeof TikTokProductInput>;

// ---------------------------------------------------------------- webhooks

/** The delivery envelope of a TikTok Shop webhook. */
export const TikTokWebhookBody = z.looseObject({
  type: z.number().int(),
  tts_notification_id: z.string().optional(),
  shop_id: TikTokId,
  timestamp: UnixSeconds,
  data: z.record(z.string(), z.unknown()).default({}),
});
export type TikTokWebhookBody = z.infer<typeof TikTokWebhookBody>;

// ---------------------------------------------------------------------------------------------
// Categories

/** One category of `GET /product/202309/categories` (the whole tree comes flat). */
export const TikTokCategory = z.looseObject({
  id: TikTokId,
  /** `"0"` for a root. */
  parent_id: TikTokId.nullish(),
  local_name: z.string().nullish(),
  is_leaf: z.boolean().nullish(),
  /** `AVAILABLE`, `INVITE_ONLY`, `NON_MAIN_CATEGORY`, `PROHIBITED`; open (TikTok adds values). */
  permission_statuses: z.array(z.string()).nullish(),
});
export type TikTokCategory = z.infer<typeof TikTokCategory>;

/** `data` of Get Categories. */
export const TikTokCategoriesData = z.looseObject({ categories: z.array(TikTokCategory).nullish() });

/** One step of the chain Recommend Category returns, root first. */
export const TikTokRecommendedCategory = z.looseObject({
  id: TikTokId,
  name: z.string().nullish(),
  level: z.number().nullish(),
  is_leaf: z.boolean().nullish(),
  permission_statuses: z.array(z.string()).nullish(),
});
export type TikTokRecommendedCategory = z.infer<typeof TikTokRecommendedCategory>;

/** `data` of Recommend Category: the leaf and its chain. */
export const TikTokCategoryRecommendation = z.looseObject({
  leaf_category_id: TikTokId.nullish(),
  categories: z.array(TikTokRecommendedCategory).nullish(),
});
export type TikTokCategoryRecommendation = z.infer<typeof TikTokCategoryRecommendation>;

/** `{attribute_id, attribute_value_id, condition_type}`: a value that makes something required. */
export const TikTokRequirementCondition = z.looseObject({
  attribute_id: TikTokId,
  attribute_value_id: TikTokId,
  condition_type: z.string().nullish(),
});

/**
 * One attribute of Get Attributes. TikTok spells the required flag `is_requried`; a few samples
 * use `is_required`: both are read (the misspelt one first).
 */
export const TikTokCategoryAttribute = z.looseObject({
  id: TikTokId,
  name: z.string().nullish(),
  /** `SALES_PROPERTY` (a variant axis) or `PRODUCT_PROPERTY`; open. */
  type: z.string().nullish(),
  is_requried: z.boolean().nullish(),
  is_required: z.boolean().nullish(),
  requirement_conditions: z.array(TikTokRequirementCondition).nullish(),
  is_customizable: z.boolean().nullish(),
  is_multiple_selection: z.boolean().nullish(),
  value_data_format: z.string().nullish(),
  /** Absent (not empty) for free-text attributes. */
  values: z.array(z.looseObject({ id: TikTokId, name: z.string().nullish() })).nullish(),
});
export type TikTokCategoryAttribute = z.infer<typeof TikTokCategoryAttribute>;

/** `data` of Get Attributes. */
export const TikTokCategoryAttributesData = z.looseObject({
  attributes: z.array(TikTokCategoryAttribute).nullish(),
});

const TikTokRequiredFlag = z.looseObject({ is_required: z.boolean().nullish() }).nullish();

/** `data` of Get Category Rules: every block optional, absent meaning "no requirement". */
export const TikTokCategoryRules = z.looseObject({
  product_certifications: z
    .array(
      z.looseObject({
        id: TikTokId,
        name: z.string().nullish(),
        is_required: z.boolean().nullish(),
        requirement_conditions: z.array(TikTokRequirementCondition).nullish(),
      }),
    )
    .nullish(),
  size_chart: z
    .looseObject({ is_supported: z.boolean().nullish(), is_required: z.boolean().nullish() })
    .nullish(),
  package_dimension: TikTokRequiredFlag,
  cod: z.looseObject({ is_supported: z.boolean().nullish() }).nullish(),
  epr: TikTokRequiredFlag,
  manufacturer: TikTokRequiredFlag,
  responsible_person: TikTokRequiredFlag,
  /** `PRE_ORDER`, `MADE_TO_ORDER`, `CUSTOM`; omitted when the shop lacks permission. */
  allowed_special_product_types: z.array(z.string()).nullish(),
});
export type TikTokCategoryRules = z.infer<typeof TikTokCategoryRules>;

/**
 * One brand of Get Brands. `authorized_status` is `AUTHORIZED`, or the unauthorized literal that
 * TikTok spells `UNAUTHORIEZD` (spec, samples, live captures); `UNAUTHORIZED` is accepted too.
 */
export const TikTokBrand = z.looseObject({
  id: TikTokId,
  name: z.string().nullish(),
  authorized_status: z.string().nullish(),
  /** `AVAILABLE` / `UNAVAILABLE`: only for authorized brands when `category_id` is given. */
  brand_status: z.string().nullish(),
  is_t1_brand: z.boolean().nullish(),
});
export type TikTokBrand = z.infer<typeof TikTokBrand>;

/** `data` of Get Brands. */
export const TikTokBrandsData = z.looseObject({
  brands: z.array(TikTokBrand).nullish(),
  next_page_token: z.string().nullish(),
  total_count: z.number().nullish(),
});

// ---------------------------------------------------------------------------------------------
// Customer service (chat), in zod/mini

const chatId = zm.pipe(
  zm.union([zm.string(), zm.number()]),
  zm.transform((value) => String(value)),
);
const chatText = zm.nullish(zm.string());

/** One participant of a conversation: `im_user_id` (chat id) and, for the buyer, `user_id` (what orders carry). */
export const TikTokChatParticipant = zm.looseObject({
  im_user_id: zm.nullish(chatId),
  user_id: zm.nullish(chatId),
  role: chatText,
  nickname: chatText,
});
export type TikTokChatParticipant = zm.infer<typeof TikTokChatParticipant>;

/**
 * One chat message. `content` is a JSON-encoded string (`{"content":"…"}` for TEXT, `{url,width,height}`
 * for IMAGE); messages with `is_visible: false` are hidden from the seller's view.
 */
export const TikTokChatMessage = zm.looseObject({
  id: chatId,
  index: zm.nullish(chatId),
  type: chatText,
  content: chatText,
  create_time: zm.nullish(zm.union([zm.number(), zm.string()])),
  is_visible: zm.nullish(zm.boolean()),
  sender: zm.nullish(zm.looseObject({ im_user_id: zm.nullish(chatId), role: chatText, nickname: chatText })),
});
export type TikTokChatMessage = zm.infer<typeof TikTokChatMessage>;

/** A conversation: its participants and whether the shop may write now (`can_send_message`). */
export const TikTokConversation = zm.looseObject({
  id: chatId,
  can_send_message: zm.nullish(zm.boolean()),
  unread_count: zm.nullish(zm.number()),
  create_time: zm.nullish(zm.union([zm.number(), zm.string()])),
  participants: zm.nullish(zm.array(TikTokChatParticipant)),
});
export type TikTokConversation = zm.infer<typeof TikTokConversation>;

/** `data` of Get Conversation (202601): the conversation, wrapped or not. */
export const TikTokConversationData = zm.extend(zm.partial(TikTokConversation), {
  conversation: zm.optional(TikTokConversation),
});
export type TikTokConversationData = zm.infer<typeof TikTokConversationData>;

/** `data` of Get Conversation Messages. */
export const TikTokChatMessagesData = zm.looseObject({
  messages: zm.nullish(zm.array(TikTokChatMessage)),
  next_page_token: chatText,
});
export type TikTokChatMessagesData = zm.infer<typeof TikTokChatMessagesData>;
