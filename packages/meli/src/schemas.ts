import * as z from 'zod/mini';

/**
 * zod schemas of the raw Mercado Livre payloads this package reads. Every object keeps unknown
 * fields (`z.looseObject`), nullable fields accept `null` as well as absence, and numeric ids
 * accept numbers or strings: the API is not consistent about either, and a field the SDK does not
 * read must never make a response fail to parse.
 */

/** A numeric id (user, order, pack, shipment, variation) sent as a number or a string. */
export const MeliNumericId = /* @__PURE__ */ (() =>
  z.union([z.number(), z.string().check(z.minLength(1))]))();
export type MeliNumericId = z.infer<typeof MeliNumericId>;

/** An amount as Mercado Livre sends it: a JSON number (sometimes a numeric string). */
export const MeliAmount = /* @__PURE__ */ (() => z.union([z.number(), z.string().check(z.minLength(1))]))();
export type MeliAmount = z.infer<typeof MeliAmount>;

const text = /* @__PURE__ */ (() => z.nullish(z.string()))();

/** An array that may be absent or null; read as an empty array. */
function list<T extends z.core.$ZodType>(item: T) {
  return z.pipe(
    z.nullish(z.array(item)),
    z.transform((value): z.infer<T>[] => value ?? []),
  );
}

// ---------------------------------------------------------------------------------------------
// OAuth

/** `POST /oauth/token` success body. */
export const MeliTokenResponse = /* @__PURE__ */ (() =>
  z.looseObject({
    access_token: z.string().check(z.minLength(1)),
    token_type: z.optional(z.string()),
    /** Seconds; 21600 (6 hours) in practice. */
    expires_in: z.number().check(z.positive()),
    scope: z.optional(z.string()),
    user_id: MeliNumericId,
    refresh_token: z.optional(z.string().check(z.minLength(1))),
  }))();
export type MeliTokenResponse = z.infer<typeof MeliTokenResponse>;

// ---------------------------------------------------------------------------------------------
// Errors

/** One entry of an error's `cause[]` (some endpoints send plain strings instead). */
export const MeliErrorCause = /* @__PURE__ */ (() =>
  z.looseObject({
    department: text,
    cause_id: z.nullish(MeliNumericId),
    type: text,
    code: text,
    references: list(z.string()),
    message: text,
  }))();
export type MeliErrorCause = z.infer<typeof MeliErrorCause>;

/** Every error body shape seen: the standard one, the OAuth one, the 403 one and the ME1 V2 one. */
export const MeliErrorBody = /* @__PURE__ */ (() =>
  z.looseObject({
    message: text,
    error: text,
    error_description: text,
    status: z.nullish(z.union([z.number(), z.string()])),
    code: z.nullish(z.union([z.string(), z.number()])),
    cause: z.pipe(
      z.nullish(z.array(z.union([z.string(), MeliErrorCause, z.unknown()]))),
      z.transform((value) => value ?? []),
    ),
    status_code: z.nullish(z.number()),
    error_code: text,
    request_id: text,
  }))();
export type MeliErrorBody = z.infer<typeof MeliErrorBody>;

// ---------------------------------------------------------------------------------------------
// Users

/** `GET /users/me` (and `/users/{id}`). */
export const MeliUser = /* @__PURE__ */ (() =>
  z.looseObject({
    id: MeliNumericId,
    nickname: text,
    site_id: text,
    country_id: text,
    first_name: text,
    last_name: text,
    email: text,
    user_type: text,
    tags: list(z.string()),
    permalink: text,
    registration_date: text,
    seller_experience: text,
    status: z.nullish(z.looseObject({})),
    seller_reputation: z.nullish(z.looseObject({})),
  }))();
export type MeliUser = z.infer<typeof MeliUser>;

// ---------------------------------------------------------------------------------------------
// Items

/** An attribute of an item or variation (`attributes[]`, `attribute_combinations[]`). */
export const MeliAttribute = /* @__PURE__ */ (() =>
  z.looseObject({
    id: text,
    name: text,
    value_id: z.nullish(z.union([z.string(), z.number()])),
    value_name: text,
  }))();
export type MeliAttribute = z.infer<typeof MeliAttribute>;

/** A picture of an item. */
export const MeliPicture = /* @__PURE__ */ (() =>
  z.looseObject({
    id: text,
    url: text,
    secure_url: text,
    source: text,
  }))();
export type MeliPicture = z.infer<typeof MeliPicture>;

/** A variation of a classic listing: its own stock, price and attribute combination. */
export const MeliVariation = /* @__PURE__ */ (() =>
  z.looseObject({
    id: MeliNumericId,
    price: z.nullish(MeliAmount),
    available_quantity: z.nullish(z.number().check(z.int())),
    sold_quantity: z.nullish(z.number().check(z.int())),
    attribute_combinations: list(MeliAttribute),
    attributes: list(MeliAttribute),
    picture_ids: list(z.string()),
    seller_custom_field: text,
    user_product_id: text,
  }))();
export type MeliVariation = z.infer<typeof MeliVariation>;

/** `GET /items/{id}`: a listing. */
export const MeliItem = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.string().check(z.minLength(1)),
    site_id: text,
    seller_id: z.nullish(MeliNumericId),
    category_id: text,
    domain_id: text,
    title: text,
    family_name: text,
    family_id: z.nullish(MeliNumericId),
    user_product_id: text,
    price: z.nullish(MeliAmount),
    base_price: z.nullish(MeliAmount),
    original_price: z.nullish(MeliAmount),
    currency_id: text,
    initial_quantity: z.nullish(z.number().check(z.int())),
    available_quantity: z.nullish(z.number().check(z.int())),
    sold_quantity: z.nullish(z.number().check(z.int())),
    buying_mode: text,
    listing_type_id: text,
    condition: text,
    status: z.string().check(z.minLength(1)),
    sub_status: list(z.string()),
    pictures: list(MeliPicture),
    attributes: list(MeliAttribute),
    variations: list(MeliVariation),
    tags: list(z.string()),
    seller_custom_field: text,
    permalink: text,
    date_created: text,
    last_updated: text,
    start_time: text,
    stop_time: text,
    shipping: z.nullish(
      z.looseObject({ mode: text, logistic_type: text, free_shipping: z.nullish(z.boolean()) }),
    ),
    catalog_product_id: text,
  }))();
export type MeliItem = z.infer<typeof MeliItem>;

/** The part of an item a stock write reads (`attributes=body.id,body.variations`). */
export const MeliItemVariations = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.string().check(z.minLength(1)),
    variations: list(MeliVariation),
  }))();
export type MeliItemVariations = z.infer<typeof MeliItemVariations>;

/** `GET /items/{id}/description`. */
export const MeliDescription = /* @__PURE__ */ (() =>
  z.looseObject({
    text: text,
    plain_text: text,
    last_updated: text,
    date_created: text,
  }))();
export type MeliDescription = z.infer<typeof MeliDescription>;

/** `GET /users/{id}/items/search`: item ids only, with offset paging or a scan `scroll_id`. */
export const MeliItemSearch = /* @__PURE__ */ (() =>
  z.looseObject({
    seller_id: z.nullish(MeliNumericId),
    paging: z.nullish(
      z.looseObject({
        total: z.nullish(z.number().check(z.int(), z.nonnegative())),
        offset: z.nullish(z.number().check(z.int())),
        limit: z.nullish(z.number().check(z.int())),
      }),
    ),
    results: list(z.string()),
    scroll_id: text,
  }))();
export type MeliItemSearch = z.infer<typeof MeliItemSearch>;

/** One element of the legacy multiget `GET /items?ids=`: `{ code, body }`. */
export const MeliMultigetEntry = /* @__PURE__ */ (() =>
  z.looseObject({ code: z.number().check(z.int()), body: z.unknown() }))();
export type MeliMultigetEntry = z.infer<typeof MeliMultigetEntry>;

/** One element of `GET /items/bulk?ids=`: `{ id, status_code, body }`. */
export const MeliBulkEntry = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.nullish(z.string()),
    status_code: z.number().check(z.int()),
    body: z.unknown(),
  }))();
export type MeliBulkEntry = z.infer<typeof MeliBulkEntry>;

/** `GET /user-products/{id}/stock`: stock kept at User Product level. */
export const MeliUserProductStock = /* @__PURE__ */ (() =>
  z.looseObject({
    user_id: z.nullish(MeliNumericId),
    locations: list(
      z.looseObject({
        type: text,
        network_node_id: text,
        store_id: text,
        quantity: z.nullish(z.number().check(z.int())),
      }),
    ),
  }))();
export type MeliUserProductStock = z.infer<typeof MeliUserProductStock>;

// ---------------------------------------------------------------------------------------------
// Orders and packs

/** One line of an order. */
export const MeliOrderItem = /* @__PURE__ */ (() =>
  z.looseObject({
    item: z.looseObject({
      id: z.string().check(z.minLength(1)),
      title: text,
      category_id: text,
      variation_id: z.nullish(MeliNumericId),
      variation_attributes: list(MeliAttribute),
      seller_sku: text,
      seller_custom_field: text,
      condition: text,
      user_product_id: text,
    }),
    quantity: z.number().check(z.int(), z.positive()),
    unit_price: MeliAmount,
    full_unit_price: z.nullish(MeliAmount),
    currency_id: text,
    sale_fee: z.nullish(MeliAmount),
    listing_type_id: text,
    element_id: z.nullish(MeliNumericId),
  }))();
export type MeliOrderItem = z.infer<typeof MeliOrderItem>;

/** One payment of an order. */
export const MeliPayment = /* @__PURE__ */ (() =>
  z.looseObject({
    id: MeliNumericId,
    status: text,
    status_detail: text,
    transaction_amount: z.nullish(MeliAmount),
    total_paid_amount: z.nullish(MeliAmount),
    shipping_cost: z.nullish(MeliAmount),
    marketplace_fee: z.nullish(MeliAmount),
    currency_id: text,
    date_approved: text,
    date_created: text,
    date_last_modified: text,
  }))();
export type MeliPayment = z.infer<typeof MeliPayment>;

/** `GET /orders/{id}` and each result of `/orders/search`. */
export const MeliOrder = /* @__PURE__ */ (() =>
  z.looseObject({
    id: MeliNumericId,
    status: z.string().check(z.minLength(1)),
    status_detail: z.optional(z.unknown()),
    date_created: z.string().check(z.minLength(1)),
    date_closed: text,
    last_updated: text,
    pack_id: z.nullish(MeliNumericId),
    total_amount: MeliAmount,
    paid_amount: z.nullish(MeliAmount),
    currency_id: z.string().check(z.minLength(1)),
    order_items: z.array(MeliOrderItem),
    payments: list(MeliPayment),
    shipping: z.nullish(z.looseObject({ id: z.nullish(MeliNumericId) })),
    buyer: z.nullish(
      z.looseObject({
        id: z.nullish(MeliNumericId),
        nickname: text,
        first_name: text,
        last_name: text,
        email: text,
      }),
    ),
    seller: z.nullish(z.looseObject({ id: z.nullish(MeliNumericId) })),
    tags: list(z.string()),
    context: z.nullish(z.looseObject({ channel: text, site: text })),
    taxes: z.nullish(z.looseObject({ amount: z.nullish(MeliAmount), currency_id: text })),
    cancel_detail: z.nullish(z.looseObject({ date: text, code: text, group: text, requested_by: text })),
  }))();
export type MeliOrder = z.infer<typeof MeliOrder>;

/** `GET /orders/search`. */
export const MeliOrderSearch = /* @__PURE__ */ (() =>
  z.looseObject({
    results: list(MeliOrder),
    paging: z.nullish(
      z.looseObject({
        total: z.nullish(z.number().check(z.int(), z.nonnegative())),
        offset: z.nullish(z.number().check(z.int())),
        limit: z.nullish(z.number().check(z.int())),
      }),
    ),
  }))();
export type MeliOrderSearch = z.infer<typeof MeliOrderSearch>;

/** `GET /packs/{id}`: a cart of 1..N orders with 0..1 shipment. */
export const MeliPack = /* @__PURE__ */ (() =>
  z.looseObject({
    id: MeliNumericId,
    status: text,
    status_detail: z.optional(z.unknown()),
    buyer: z.nullish(z.looseObject({ id: z.nullish(MeliNumericId) })),
    shipment: z.nullish(z.looseObject({ id: z.nullish(MeliNumericId) })),
    orders: list(z.looseObject({ id: MeliNumericId })),
    date_created: text,
    last_updated: text,
  }))();
export type MeliPack = z.infer<typeof MeliPack>;

// ---------------------------------------------------------------------------------------------
// Shipments

const named = /* @__PURE__ */ (() =>
  z.nullish(z.looseObject({ id: z.nullish(z.union([z.string(), z.number()])), name: text })))();

/** A shipping address inside a shipment's `origin` / `destination`. */
export const MeliShippingAddress = /* @__PURE__ */ (() =>
  z.looseObject({
    address_line: text,
    street_name: text,
    street_number: z.nullish(z.union([z.string(), z.number()])),
    zip_code: text,
    comment: text,
    city: named,
    state: named,
    country: named,
    neighborhood: named,
    municipality: named,
  }))();
export type MeliShippingAddress = z.infer<typeof MeliShippingAddress>;

/** `GET /shipments/{id}` in the new format (`x-format-new: true`): no `order_id`. */
export const MeliShipment = /* @__PURE__ */ (() =>
  z.looseObject({
    id: MeliNumericId,
    status: z.string().check(z.minLength(1)),
    substatus: text,
    tracking_number: text,
    tracking_method: text,
    date_created: text,
    last_updated: text,
    logistic: z.nullish(z.looseObject({ mode: text, type: text, direction: text })),
    origin: z.nullish(
      z.looseObject({
        type: text,
        sender_id: z.nullish(MeliNumericId),
        shipping_address: z.nullish(MeliShippingAddress),
      }),
    ),
    destination: z.nullish(
      z.looseObject({
        receiver_id: z.nullish(MeliNumericId),
        receiver_name: text,
        receiver_phone: text,
        type: text,
        shipping_address: z.nullish(MeliShippingAddress),
      }),
    ),
    lead_time: z.nullish(
      z.looseObject({
        cost: z.nullish(MeliAmount),
        list_cost: z.nullish(MeliAmount),
        cost_type: text,
        currency_id: text,
        shipping_method: z.nullish(z.looseObject({ id: z.nullish(MeliNumericId), name: text, type: text })),
      }),
    ),
    status_history: z.nullish(
      z.looseObject({
        date_handling: text,
        date_ready_to_ship: text,
        date_shipped: text,
        date_first_visit: text,
        date_delivered: text,
        date_not_delivered: text,
        date_returned: text,
        date_cancelled: text,
      }),
    ),
    source: z.nullish(z.looseObject({ site_id: text })),
    tags: list(z.string()),
  }))();
export type MeliShipment = z.infer<typeof MeliShipment>;

/** `GET /shipments/{id}/orders` (`X-New-Domain: true`): the orders a shipment carries. */
export const MeliShipmentOrders = /* @__PURE__ */ (() =>
  z.array(
    z.looseObject({
      order_id: MeliNumericId,
      pack_id: z.nullish(MeliNumericId),
      item_id: text,
      variation_id: z.nullish(MeliNumericId),
      seller_id: z.nullish(MeliNumericId),
    }),
  ))();
export type MeliShipmentOrders = z.infer<typeof MeliShipmentOrders>;

/** `GET /orders/{id}/shipments?hosted=true` (`X-New-Domain: true`): `[{ id, type }]`. */
export const MeliOrderShipmentRefs = /* @__PURE__ */ (() =>
  z.array(z.looseObject({ id: MeliNumericId, type: text })))();
export type MeliOrderShipmentRefs = z.infer<typeof MeliOrderShipmentRefs>;

/** `GET /shipments/{id}/history`. */
export const MeliShipmentHistory = /* @__PURE__ */ (() =>
  z.array(z.looseObject({ status: text, substatus: text, date: text })))();
export type MeliShipmentHistory = z.infer<typeof MeliShipmentHistory>;

/** `GET /shipments/{id}/carrier`. */
export const MeliCarrier = /* @__PURE__ */ (() => z.looseObject({ name: text, url: text }))();
export type MeliCarrier = z.infer<typeof MeliCarrier>;

/** `GET /shipment_statuses`: the catalogue of statuses and their substatuses. */
export const MeliShipmentStatusCatalogue = /* @__PURE__ */ (() =>
  z.array(
    z.looseObject({
      id: text,
      name: text,
      status: text,
      substatuses: list(z.looseObject({ id: text, name: text })),
    }),
  ))();
export type MeliShipmentStatusCatalogue = z.infer<typeof MeliShipmentStatusCatalogue>;

// ---------------------------------------------------------------------------------------------
// Notifications

/**
 * A notification POSTed to the callback URL. `_id` is sometimes absent or sent as `id`,
 * `user_id` comes as a number or a string, and one documented example spells `recieved`.
 */
export const MeliNotification = /* @__PURE__ */ (() =>
  z.looseObject({
    _id: z.nullish(z.union([z.string(), z.number()])),
    id: z.nullish(z.union([z.string(), z.number()])),
    resource: z.string().check(z.minLength(1)),
    user_id: MeliNumericId,
    topic: z.string().check(z.minLength(1)),
    application_id: MeliNumericId,
    attempts: z.nullish(z.number()),
    sent: text,
    received: text,
    recieved: text,
    actions: list(z.string()),
  }))();
export type MeliNotification = z.infer<typeof MeliNotification>;

/** `GET /missed_feeds`: notifications that were never acknowledged (kept 2 days). */
export const MeliMissedFeeds = /* @__PURE__ */ (() =>
  z.looseObject({
    messages: list(z.unknown()),
    paging: z.nullish(
      z.looseObject({
        total: z.nullish(z.number().check(z.int())),
        offset: z.nullish(z.number().check(z.int())),
      }),
    ),
  }))();
export type MeliMissedFeeds = z.infer<typeof MeliMissedFeeds>;

// ---------------------------------------------------------------------------------------------
// Inputs of writes: checked before any request leaves

const attributeInput = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.optional(z.string().check(z.minLength(1))),
    name: z.optional(z.string().check(z.minLength(1))),
    value_id: z.nullish(z.union([z.string(), z.number()])),
    value_name: z.nullish(z.string()),
  }))();

const pictureInput = /* @__PURE__ */ (() =>
  z.looseObject({
    source: z.optional(z.string().check(z.minLength(1))),
    id: z.optional(z.string().check(z.minLength(1))),
  }))();

const variationInput = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.optional(MeliNumericId),
    price: z.optional(z.number().check(z.positive())),
    available_quantity: z.optional(z.number().check(z.int(), z.nonnegative())),
    attribute_combinations: z.optional(z.array(attributeInput)),
    attributes: z.optional(z.array(attributeInput)),
    picture_ids: z.optional(z.array(z.string().check(z.minLength(1)))),
  }))();

/**
 * The body of `POST /items` (and `/items/validate`): a classic listing (`title`, optional
 * `variations`) or a User Products item (`family_name`, no `title`, no `variations`).
 */
export const MeliNewItem = /* @__PURE__ */ (() =>
  z
    .looseObject({
      title: z.optional(z.string().check(z.minLength(1))),
      family_name: z.optional(z.string().check(z.minLength(1))),
      category_id: z.string().check(z.minLength(1)),
      price: z.number().check(z.positive()),
      currency_id: z.string().check(z.regex(/^[A-Z]{3}$/)),
      available_quantity: z.number().check(z.int(), z.nonnegative()),
      buying_mode: z.string().check(z.minLength(1)),
      listing_type_id: z.string().check(z.minLength(1)),
      condition: z.optional(z.string().check(z.minLength(1))),
      pictures: z.optional(z.array(pictureInput)),
      attributes: z.optional(z.array(attributeInput)),
      variations: z.optional(
        z.array(z.extend(variationInput, { available_quantity: z.number().check(z.int(), z.nonnegative()) })),
      ),
    })
    .check(
      z.superRefine((item, ctx) => {
        if (item.family_name === undefined && item.title === undefined) {
          ctx.addIssue({ code: 'custom', path: ['title'], message: 'a classic listing needs a title' });
        }
        if (item.family_name !== undefined && item.title !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['title'],
            message: 'User Products items take family_name, not title',
          });
        }
        if (item.family_name !== undefined && item.variations !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['variations'],
            message: 'User Products items have no variations: publish one item per variant',
          });
        }
      }),
    ))();
export type MeliNewItem = z.input<typeof MeliNewItem>;

/** The body of `PUT /items/{id}`: only the fields being changed. */
export const MeliItemUpdate = /* @__PURE__ */ (() =>
  z.looseObject({
    title: z.optional(z.string().check(z.minLength(1))),
    family_name: z.optional(z.string().check(z.minLength(1))),
    price: z.optional(z.number().check(z.positive())),
    available_quantity: z.optional(z.number().check(z.int(), z.nonnegative())),
    status: z.optional(z.enum(['active', 'paused', 'closed'])),
    deleted: z.optional(z.literal('true')),
    pictures: z.optional(z.array(pictureInput)),
    attributes: z.optional(z.array(attributeInput)),
    variations: z.optional(z.array(variationInput)),
  }))();
export type MeliItemUpdate = z.input<typeof MeliItemUpdate>;

const ME1_SHIPPED_SUBSTATUSES = [
  'out_for_delivery',
  'receiver_absent',
  'dangerous_area',
  'bad_address',
  'unauthorized_receiver',
];

/**
 * The body of an ME1 seller notification (`POST /v2/shipments/{id}/seller_notifications`): the
 * allowed status/substatus pairs, a zoned ISO date, tracking number and URL together.
 */
export const MeliSellerNotification = /* @__PURE__ */ (() =>
  z
    .object({
      payload: z.looseObject({
        service_id: z.number().check(z.int(), z.positive()),
        comment: z.optional(z.string()),
        date: z.iso.datetime({ offset: true }),
      }),
      tracking_number: z.optional(z.string().check(z.minLength(1))),
      tracking_url: z.optional(z.url()),
      status: z.enum(['shipped', 'delivered', 'not_delivered']),
      substatus: z.nullable(z.string().check(z.minLength(1))),
    })
    .check(
      z.superRefine((notification, ctx) => {
        const { status, substatus } = notification;
        const allowed =
          (status === 'shipped' && (substatus === null || ME1_SHIPPED_SUBSTATUSES.includes(substatus))) ||
          (status === 'delivered' && substatus === null) ||
          (status === 'not_delivered' && substatus === 'returning_to_sender');
        if (!allowed) {
          ctx.addIssue({ code: 'custom', path: ['substatus'], message: `not allowed with status ${status}` });
        }
        if ((notification.tracking_number === undefined) !== (notification.tracking_url === undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['tracking_url'],
            message: 'tracking_number and tracking_url go together',
          });
        }
      }),
    ))();
export type MeliSellerNotification = z.input<typeof MeliSellerNotification>;

/** The body of `PUT /shipments/{id}` for a custom (seller-delivered) shipment. */
export const MeliCustomShipmentUpdate = /* @__PURE__ */ (() =>
  z.object({
    status: z.optional(z.enum(['shipped', 'delivered', 'cancelled'])),
    tracking_number: z.optional(z.string().check(z.minLength(1))),
    receiver_id: MeliNumericId,
    /** Promised delivery time in hours. */
    speed: z.optional(z.number().check(z.int(), z.positive())),
    comments: z.optional(z.string()),
  }))();
export type MeliCustomShipmentUpdate = z.input<typeof MeliCustomShipmentUpdate>;

// ---------------------------------------------------------------------------------------------
// Categories

/** A category by id and name (`path_from_root[]`, `children_categories[]`, the top level). */
export const MeliCategoryRef = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.string().check(z.minLength(1)),
    name: text,
    total_items_in_this_category: z.nullish(z.number()),
  }))();
export type MeliCategoryRef = z.infer<typeof MeliCategoryRef>;

/** `GET /sites/{site}/categories`: the top level of the tree. */
export const MeliSiteCategories = /* @__PURE__ */ (() => z.array(MeliCategoryRef))();

/** `settings` of a category: what listing there needs (only the fields the SDK reads are named). */
export const MeliCategorySettings = /* @__PURE__ */ (() =>
  z.looseObject({
    listing_allowed: z.nullish(z.boolean()),
    /** `enabled` when listing is possible. */
    status: text,
    catalog_domain: text,
    max_title_length: z.nullish(z.number()),
    max_pictures_per_item: z.nullish(z.number()),
    max_variations_allowed: z.nullish(z.number()),
    item_conditions: z.nullish(z.array(z.string())),
    buying_modes: z.nullish(z.array(z.string())),
  }))();

/** `GET /categories/{id}`: one category with its path, children (empty for a leaf) and settings. */
export const MeliCategory = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.string().check(z.minLength(1)),
    name: text,
    path_from_root: list(MeliCategoryRef),
    children_categories: list(MeliCategoryRef),
    attribute_types: text,
    settings: z.nullish(MeliCategorySettings),
  }))();
export type MeliCategory = z.infer<typeof MeliCategory>;

/**
 * `GET /sites/{site}/categories/all`: the whole tree, an object keyed by category id. An array of
 * categories is accepted too (the reference does not print the shape).
 */
export const MeliCategoryDump = /* @__PURE__ */ (() =>
  z.union([z.record(z.string(), MeliCategory), z.array(MeliCategory)]))();
export type MeliCategoryDump = z.infer<typeof MeliCategoryDump>;

/** One guess of `GET /sites/{site}/domain_discovery/search`, best first. */
export const MeliDomainGuess = /* @__PURE__ */ (() =>
  z.looseObject({
    domain_id: text,
    domain_name: text,
    category_id: z.string().check(z.minLength(1)),
    category_name: text,
    /** Values inferred from the title (brand, model...): defaults, never facts. */
    attributes: list(
      z.looseObject({
        id: z.string().check(z.minLength(1)),
        name: text,
        value_id: z.nullish(z.union([z.string(), z.number()])),
        value_name: text,
      }),
    ),
  }))();
export type MeliDomainGuess = z.infer<typeof MeliDomainGuess>;

/** `GET /sites/{site}/domain_discovery/search`. */
export const MeliDomainDiscovery = /* @__PURE__ */ (() => z.array(MeliDomainGuess))();

/**
 * One attribute definition of `GET /categories/{id}/attributes`. `tags` is an object of booleans
 * there but a list in `technical_specs`: both are read.
 */
export const MeliCategoryAttribute = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.string().check(z.minLength(1)),
    name: text,
    /** `string`, `number`, `number_unit`, `boolean`, `list`; open. */
    value_type: text,
    tags: z.pipe(
      z.nullish(z.union([z.record(z.string(), z.unknown()), z.array(z.string())])),
      z.transform((tags): Record<string, boolean> => {
        if (!tags) return {};
        if (Array.isArray(tags)) return Object.fromEntries(tags.map((tag) => [tag, true]));
        return Object.fromEntries(Object.entries(tags).map(([tag, on]) => [tag, on === true]));
      }),
    ),
    values: list(z.looseObject({ id: z.union([z.string(), z.number()]), name: text })),
    allowed_units: list(z.looseObject({ id: z.string(), name: text })),
    default_unit: text,
  }))();
export type MeliCategoryAttribute = z.infer<typeof MeliCategoryAttribute>;

/** `GET /categories/{id}/attributes`. */
export const MeliCategoryAttributes = /* @__PURE__ */ (() => z.array(MeliCategoryAttribute))();

/**
 * The answer of a question: `null` until answered. Its `status` is written in upper and lower
 * case by the docs (`ACTIVE`/`active`): compare it case-insensitively.
 */
export const MeliAnswer = /* @__PURE__ */ (() =>
  z.looseObject({
    text: z.pipe(
      z.nullish(z.string()),
      z.transform((value) => value ?? ''),
    ),
    status: text,
    date_created: text,
  }))();
export type MeliAnswer = z.infer<typeof MeliAnswer>;

/**
 * A pre-sale question (`api_version=4`). `text` is empty when the question is `BANNED`; `hold`
 * means it cannot be answered yet; `from` carries only `id` for goods. The by-id call adds
 * `buyer_id`, `app_id` and `last_updated`.
 */
export const MeliQuestion = /* @__PURE__ */ (() =>
  z.looseObject({
    id: MeliNumericId,
    seller_id: z.nullish(MeliNumericId),
    item_id: text,
    text: z.pipe(
      z.nullish(z.string()),
      z.transform((value) => value ?? ''),
    ),
    /** `UNANSWERED`, `ANSWERED`, `CLOSED_UNANSWERED`, `UNDER_REVIEW`, `BANNED`, `DELETED`, `DISABLED`; open. */
    status: z.string().check(z.minLength(1)),
    date_created: text,
    last_updated: text,
    hold: z.nullish(z.boolean()),
    deleted_from_listing: z.nullish(z.boolean()),
    suspected_spam: z.nullish(z.boolean()),
    from: z.nullish(z.looseObject({ id: z.nullish(MeliNumericId) })),
    answer: z.nullish(MeliAnswer),
  }))();
export type MeliQuestion = z.infer<typeof MeliQuestion>;

/** `GET /questions/search?api_version=4`: `total`, `limit` and the page of questions. */
export const MeliQuestionSearch = /* @__PURE__ */ (() =>
  z.looseObject({
    total: z.nullish(z.number().check(z.int(), z.nonnegative())),
    limit: z.nullish(z.number().check(z.int())),
    questions: list(MeliQuestion),
  }))();
export type MeliQuestionSearch = z.infer<typeof MeliQuestionSearch>;

/**
 * An imported NF-e, `GET /shipments/{id}/invoice_data?siteId=MLB` (catalog reference §6.1):
 * `{id, sender_id, shipment_id, fiscal_key, invoice_serie, invoice_number, invoice_amount, weight,
 * item_title, status: "approved", invoice_date, date_created, last_updated}`. Ids and numbers may
 * come as numbers or strings.
 */
export const MeliShipmentInvoice = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.nullish(z.union([z.string(), z.number()])),
    shipment_id: z.nullish(z.union([z.string(), z.number()])),
    fiscal_key: z.nullish(z.string()),
    invoice_serie: z.nullish(z.union([z.string(), z.number()])),
    invoice_number: z.nullish(z.union([z.string(), z.number()])),
    invoice_amount: z.nullish(z.union([z.string(), z.number()])),
    status: z.nullish(z.string()),
    invoice_date: z.nullish(z.string()),
  }))();
export type MeliShipmentInvoice = z.infer<typeof MeliShipmentInvoice>;

// ---------------------------------------------------------------------------------------------
// Post-sale messages (`tag=post_sale`), in zod/mini

const miniText = /* @__PURE__ */ (() => z.nullish(z.string()))();
const miniId = /* @__PURE__ */ (() => z.union([z.string(), z.number()]))();

/** An array that may be absent or null; read as an empty array. */
function miniList<T extends z.ZodMiniType>(item: T) {
  return z.pipe(
    z.nullish(z.array(item)),
    z.transform((value): z.infer<T>[] => value ?? []),
  );
}

/** One file of a message: `{filename, original_filename, type, size, potential_security_threat, creation_date}`. */
export const MeliMessageAttachment = /* @__PURE__ */ (() =>
  z.looseObject({
    filename: miniText,
    original_filename: miniText,
    type: miniText,
    size: z.nullish(z.number()),
    potential_security_threat: z.nullish(z.boolean()),
    creation_date: miniText,
  }))();
export type MeliMessageAttachment = z.infer<typeof MeliMessageAttachment>;

/**
 * A post-sale message, in the conversation's shape (and the older flat one of `GET /messages/{id}`:
 * `message_id`, `date_*`, `text.plain`). Buyer messages that were moderated are never returned;
 * the seller's own moderated ones are, with `message_moderation.status`.
 */
export const MeliMessage = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.optional(miniId),
    message_id: z.optional(miniId),
    site_id: miniText,
    from: z.nullish(z.looseObject({ user_id: z.nullish(miniId) })),
    to: z.nullish(z.looseObject({ user_id: z.nullish(miniId) })),
    status: miniText,
    text: z.nullish(z.union([z.string(), z.looseObject({ plain: miniText })])),
    message_date: z.nullish(
      z.looseObject({
        created: miniText,
        received: miniText,
        available: miniText,
        notified: miniText,
        read: miniText,
      }),
    ),
    date_created: miniText,
    date_read: miniText,
    message_moderation: z.nullish(z.looseObject({ status: miniText, reason: miniText })),
    message_attachments: miniList(MeliMessageAttachment),
    attachments: miniList(MeliMessageAttachment),
    message_resources: miniList(z.looseObject({ id: z.nullish(miniId), name: miniText })),
    resource_id: z.nullish(miniId),
  }))();
export type MeliMessage = z.infer<typeof MeliMessage>;

/**
 * `conversation_status` of a pack's conversation: `status` `active` or `blocked`, with the
 * `blocked_by_*` `substatus`. Newer pages carry `claim_ids` (an array) where older ones carry `claim_id`.
 */
export const MeliConversationStatus = /* @__PURE__ */ (() =>
  z.looseObject({
    path: miniText,
    status: miniText,
    substatus: miniText,
    status_date: miniText,
    status_update_allowed: z.nullish(z.boolean()),
    claim_id: z.nullish(miniId),
    claim_ids: z.nullish(z.array(miniId)),
    shipping_id: z.nullish(miniId),
  }))();
export type MeliConversationStatus = z.infer<typeof MeliConversationStatus>;

/** `GET /messages/packs/{pack}/sellers/{seller}?tag=post_sale`: one page of the conversation and its limits. */
export const MeliConversationPage = /* @__PURE__ */ (() =>
  z.looseObject({
    paging: z.nullish(
      z.looseObject({
        limit: z.nullish(z.number()),
        offset: z.nullish(z.number()),
        total: z.nullish(z.number()),
      }),
    ),
    conversation_status: z.nullish(MeliConversationStatus),
    messages: miniList(MeliMessage),
    seller_max_message_length: z.nullish(z.number()),
    buyer_max_message_length: z.nullish(z.number()),
  }))();
export type MeliConversationPage = z.infer<typeof MeliConversationPage>;

/** `GET /messages/{id}?tag=post_sale`: the flat message, or the newer wrapped `{messages: […]}`. */
export const MeliMessageLookup = /* @__PURE__ */ (() =>
  z.extend(MeliMessage, { messages: z.optional(z.array(MeliMessage)) }))();
export type MeliMessageLookup = z.infer<typeof MeliMessageLookup>;

/** One option of the ME2 action guide: a reason the seller may give to start the conversation. */
export const MeliActionGuideOption = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.string(),
    type: miniText,
    enabled: z.nullish(z.boolean()),
    actionable: z.nullish(z.boolean()),
    templates: z.nullish(z.array(z.looseObject({ id: z.string(), vars: z.nullish(z.unknown()) }))),
    char_limit: z.nullish(z.number()),
    cap_available: z.nullish(z.number()),
    child_options: z.nullish(z.unknown()),
  }))();
export type MeliActionGuideOption = z.infer<typeof MeliActionGuideOption>;

/** `GET /messages/action_guide/packs/{pack}?tag=post_sale`. */
export const MeliActionGuide = /* @__PURE__ */ (() =>
  z.looseObject({ options: miniList(MeliActionGuideOption) }))();
export type MeliActionGuide = z.infer<typeof MeliActionGuide>;
