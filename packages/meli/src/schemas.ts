import * as z from 'zod';
import * as zm from 'zod/mini';

/**
 * zod schemas of the raw Mercado Livre payloads this package reads. Every object keeps unknown
 * fields (`z.looseObject`), nullable fields accept `null` as well as absence, and numeric ids
 * accept numbers or strings: the API is not consistent about either, and a field the SDK does not
 * read must never make a response fail to parse.
 */

/** A numeric id (user, order, pack, shipment, variation) sent as a number or a string. */
export const MeliNumericId = z.union([z.number(), z.string().min(1)]);
export type MeliNumericId = z.infer<typeof MeliNumericId>;

/** An amount as Mercado Livre sends it: a JSON number (sometimes a numeric string). */
export const MeliAmount = z.union([z.number(), z.string().min(1)]);
export type MeliAmount = z.infer<typeof MeliAmount>;

const text = z.string().nullish();

/** An array that may be absent or null; read as an empty array. */
function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((value): z.infer<T>[] => value ?? []);
}

// ---------------------------------------------------------------------------------------------
// OAuth

/** `POST /oauth/token` success body. */
export const MeliTokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  /** Seconds; 21600 (6 hours) in practice. */
  expires_in: z.number().positive(),
  scope: z.string().optional(),
  user_id: MeliNumericId,
  refresh_token: z.string().min(1).optional(),
});
export type MeliTokenResponse = z.infer<typeof MeliTokenResponse>;

// ---------------------------------------------------------------------------------------------
// Errors

/** One entry of an error's `cause[]` (some endpoints send plain strings instead). */
export const MeliErrorCause = z.looseObject({
  department: text,
  cause_id: MeliNumericId.nullish(),
  type: text,
  code: text,
  references: list(z.string()),
  message: text,
});
export type MeliErrorCause = z.infer<typeof MeliErrorCause>;

/** Every error body shape seen: the standard one, the OAuth one, the 403 one and the ME1 V2 one. */
export const MeliErrorBody = z.looseObject({
  message: text,
  error: text,
  error_description: text,
  status: z.union([z.number(), z.string()]).nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
  cause: z
    .array(z.union([z.string(), MeliErrorCause, z.unknown()]))
    .nullish()
    .transform((value) => value ?? []),
  status_code: z.number().nullish(),
  error_code: text,
  request_id: text,
});
export type MeliErrorBody = z.infer<typeof MeliErrorBody>;

// ---------------------------------------------------------------------------------------------
// Users

/** `GET /users/me` (and `/users/{id}`). */
export const MeliUser = z.looseObject({
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
  status: z.looseObject({}).nullish(),
  seller_reputation: z.looseObject({}).nullish(),
});
export type MeliUser = z.infer<typeof MeliUser>;

// ---------------------------------------------------------------------------------------------
// Items

/** An attribute of an item or variation (`attributes[]`, `attribute_combinations[]`). */
export const MeliAttribute = z.looseObject({
  id: text,
  name: text,
  value_id: z.union([z.string(), z.number()]).nullish(),
  value_name: text,
});
export type MeliAttribute = z.infer<typeof MeliAttribute>;

/** A picture of an item. */
export const MeliPicture = z.looseObject({
  id: text,
  url: text,
  secure_url: text,
  source: text,
});
export type MeliPicture = z.infer<typeof MeliPicture>;

/** A variation of a classic listing: its own stock, price and attribute combination. */
export const MeliVariation = z.looseObject({
  id: MeliNumericId,
  price: MeliAmount.nullish(),
  available_quantity: z.number().int().nullish(),
  sold_quantity: z.number().int().nullish(),
  attribute_combinations: list(MeliAttribute),
  attributes: list(MeliAttribute),
  picture_ids: list(z.string()),
  seller_custom_field: text,
  user_product_id: text,
});
export type MeliVariation = z.infer<typeof MeliVariation>;

/** `GET /items/{id}`: a listing. */
export const MeliItem = z.looseObject({
  id: z.string().min(1),
  site_id: text,
  seller_id: MeliNumericId.nullish(),
  category_id: text,
  domain_id: text,
  title: text,
  family_name: text,
  family_id: MeliNumericId.nullish(),
  user_product_id: text,
  price: MeliAmount.nullish(),
  base_price: MeliAmount.nullish(),
  original_price: MeliAmount.nullish(),
  currency_id: text,
  initial_quantity: z.number().int().nullish(),
  available_quantity: z.number().int().nullish(),
  sold_quantity: z.number().int().nullish(),
  buying_mode: text,
  listing_type_id: text,
  condition: text,
  status: z.string().min(1),
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
  shipping: z
    .looseObject({ mode: text, logistic_type: text, free_shipping: z.boolean().nullish() })
    .nullish(),
  catalog_product_id: text,
});
export type MeliItem = z.infer<typeof MeliItem>;

/** `GET /items/{id}/description`. */
export const MeliDescription = z.looseObject({
  text: text,
  plain_text: text,
  last_updated: text,
  date_created: text,
});
export type MeliDescription = z.infer<typeof MeliDescription>;

/** `GET /users/{id}/items/search`: item ids only, with offset paging or a scan `scroll_id`. */
export const MeliItemSearch = z.looseObject({
  seller_id: MeliNumericId.nullish(),
  paging: z
    .looseObject({
      total: z.number().int().nonnegative().nullish(),
      offset: z.number().int().nullish(),
      limit: z.number().int().nullish(),
    })
    .nullish(),
  results: list(z.string()),
  scroll_id: text,
});
export type MeliItemSearch = z.infer<typeof MeliItemSearch>;

/** One element of the legacy multiget `GET /items?ids=`: `{ code, body }`. */
export const MeliMultigetEntry = z.looseObject({ code: z.number().int(), body: z.unknown() });
export type MeliMultigetEntry = z.infer<typeof MeliMultigetEntry>;

/** One element of `GET /items/bulk?ids=`: `{ id, status_code, body }`. */
export const MeliBulkEntry = z.looseObject({
  id: z.string().nullish(),
  status_code: z.number().int(),
  body: z.unknown(),
});
export type MeliBulkEntry = z.infer<typeof MeliBulkEntry>;

/** `GET /user-products/{id}/stock`: stock kept at User Product level. */
export const MeliUserProductStock = z.looseObject({
  user_id: MeliNumericId.nullish(),
  locations: list(
    z.looseObject({
      type: text,
      network_node_id: text,
      store_id: text,
      quantity: z.number().int().nullish(),
    }),
  ),
});
export type MeliUserProductStock = z.infer<typeof MeliUserProductStock>;

// ---------------------------------------------------------------------------------------------
// Orders and packs

/** One line of an order. */
export const MeliOrderItem = z.looseObject({
  item: z.looseObject({
    id: z.string().min(1),
    title: text,
    category_id: text,
    variation_id: MeliNumericId.nullish(),
    variation_attributes: list(MeliAttribute),
    seller_sku: text,
    seller_custom_field: text,
    condition: text,
    user_product_id: text,
  }),
  quantity: z.number().int().positive(),
  unit_price: MeliAmount,
  full_unit_price: MeliAmount.nullish(),
  currency_id: text,
  sale_fee: MeliAmount.nullish(),
  listing_type_id: text,
  element_id: MeliNumericId.nullish(),
});
export type MeliOrderItem = z.infer<typeof MeliOrderItem>;

/** One payment of an order. */
export const MeliPayment = z.looseObject({
  id: MeliNumericId,
  status: text,
  status_detail: text,
  transaction_amount: MeliAmount.nullish(),
  total_paid_amount: MeliAmount.nullish(),
  shipping_cost: MeliAmount.nullish(),
  marketplace_fee: MeliAmount.nullish(),
  currency_id: text,
  date_approved: text,
  date_created: text,
  date_last_modified: text,
});
export type MeliPayment = z.infer<typeof MeliPayment>;

/** `GET /orders/{id}` and each result of `/orders/search`. */
export const MeliOrder = z.looseObject({
  id: MeliNumericId,
  status: z.string().min(1),
  status_detail: z.unknown().optional(),
  date_created: z.string().min(1),
  date_closed: text,
  last_updated: text,
  pack_id: MeliNumericId.nullish(),
  total_amount: MeliAmount,
  paid_amount: MeliAmount.nullish(),
  currency_id: z.string().min(1),
  order_items: z.array(MeliOrderItem),
  payments: list(MeliPayment),
  shipping: z.looseObject({ id: MeliNumericId.nullish() }).nullish(),
  buyer: z
    .looseObject({
      id: MeliNumericId.nullish(),
      nickname: text,
      first_name: text,
      last_name: text,
      email: text,
    })
    .nullish(),
  seller: z.looseObject({ id: MeliNumericId.nullish() }).nullish(),
  tags: list(z.string()),
  context: z.looseObject({ channel: text, site: text }).nullish(),
  taxes: z.looseObject({ amount: MeliAmount.nullish(), currency_id: text }).nullish(),
  cancel_detail: z.looseObject({ date: text, code: text, group: text, requested_by: text }).nullish(),
});
export type MeliOrder = z.infer<typeof MeliOrder>;

/** `GET /orders/search`. */
export const MeliOrderSearch = z.looseObject({
  results: list(MeliOrder),
  paging: z
    .looseObject({
      total: z.number().int().nonnegative().nullish(),
      offset: z.number().int().nullish(),
      limit: z.number().int().nullish(),
    })
    .nullish(),
});
export type MeliOrderSearch = z.infer<typeof MeliOrderSearch>;

/** `GET /packs/{id}`: a cart of 1..N orders with 0..1 shipment. */
export const MeliPack = z.looseObject({
  id: MeliNumericId,
  status: text,
  status_detail: z.unknown().optional(),
  buyer: z.looseObject({ id: MeliNumericId.nullish() }).nullish(),
  shipment: z.looseObject({ id: MeliNumericId.nullish() }).nullish(),
  orders: list(z.looseObject({ id: MeliNumericId })),
  date_created: text,
  last_updated: text,
});
export type MeliPack = z.infer<typeof MeliPack>;

// ---------------------------------------------------------------------------------------------
// Shipments

const named = z.looseObject({ id: z.union([z.string(), z.number()]).nullish(), name: text }).nullish();

/** A shipping address inside a shipment's `origin` / `destination`. */
export const MeliShippingAddress = z.looseObject({
  address_line: text,
  street_name: text,
  street_number: z.union([z.string(), z.number()]).nullish(),
  zip_code: text,
  comment: text,
  city: named,
  state: named,
  country: named,
  neighborhood: named,
  municipality: named,
});
export type MeliShippingAddress = z.infer<typeof MeliShippingAddress>;

/** `GET /shipments/{id}` in the new format (`x-format-new: true`): no `order_id`. */
export const MeliShipment = z.looseObject({
  id: MeliNumericId,
  status: z.string().min(1),
  substatus: text,
  tracking_number: text,
  tracking_method: text,
  date_created: text,
  last_updated: text,
  logistic: z.looseObject({ mode: text, type: text, direction: text }).nullish(),
  origin: z
    .looseObject({
      type: text,
      sender_id: MeliNumericId.nullish(),
      shipping_address: MeliShippingAddress.nullish(),
    })
    .nullish(),
  destination: z
    .looseObject({
      receiver_id: MeliNumericId.nullish(),
      receiver_name: text,
      receiver_phone: text,
      type: text,
      shipping_address: MeliShippingAddress.nullish(),
    })
    .nullish(),
  lead_time: z
    .looseObject({
      cost: MeliAmount.nullish(),
      list_cost: MeliAmount.nullish(),
      cost_type: text,
      currency_id: text,
      shipping_method: z.looseObject({ id: MeliNumericId.nullish(), name: text, type: text }).nullish(),
    })
    .nullish(),
  status_history: z
    .looseObject({
      date_handling: text,
      date_ready_to_ship: text,
      date_shipped: text,
      date_first_visit: text,
      date_delivered: text,
      date_not_delivered: text,
      date_returned: text,
      date_cancelled: text,
    })
    .nullish(),
  source: z.looseObject({ site_id: text }).nullish(),
  tags: list(z.string()),
});
export type MeliShipment = z.infer<typeof MeliShipment>;

/** `GET /shipments/{id}/orders` (`X-New-Domain: true`): the orders a shipment carries. */
export const MeliShipmentOrders = z.array(
  z.looseObject({
    order_id: MeliNumericId,
    pack_id: MeliNumericId.nullish(),
    item_id: text,
    variation_id: MeliNumericId.nullish(),
    seller_id: MeliNumericId.nullish(),
  }),
);
export type MeliShipmentOrders = z.infer<typeof MeliShipmentOrders>;

/** `GET /orders/{id}/shipments?hosted=true` (`X-New-Domain: true`): `[{ id, type }]`. */
export const MeliOrderShipmentRefs = z.array(z.looseObject({ id: MeliNumericId, type: text }));
export type MeliOrderShipmentRefs = z.infer<typeof MeliOrderShipmentRefs>;

/** `GET /shipments/{id}/history`. */
export const MeliShipmentHistory = z.array(z.looseObject({ status: text, substatus: text, date: text }));
export type MeliShipmentHistory = z.infer<typeof MeliShipmentHistory>;

/** `GET /shipments/{id}/carrier`. */
export const MeliCarrier = z.looseObject({ name: text, url: text });
export type MeliCarrier = z.infer<typeof MeliCarrier>;

/** `GET /shipment_statuses`: the catalogue of statuses and their substatuses. */
export const MeliShipmentStatusCatalogue = z.array(
  z.looseObject({
    id: text,
    name: text,
    status: text,
    substatuses: list(z.looseObject({ id: text, name: text })),
  }),
);
export type MeliShipmentStatusCatalogue = z.infer<typeof MeliShipmentStatusCatalogue>;

// ---------------------------------------------------------------------------------------------
// Notifications

/**
 * A notification POSTed to the callback URL. `_id` is sometimes absent or sent as `id`,
 * `user_id` comes as a number or a string, and one documented example spells `recieved`.
 */
export const MeliNotification = z.looseObject({
  _id: z.union([z.string(), z.number()]).nullish(),
  id: z.union([z.string(), z.number()]).nullish(),
  resource: z.string().min(1),
  user_id: MeliNumericId,
  topic: z.string().min(1),
  application_id: MeliNumericId,
  attempts: z.number().nullish(),
  sent: text,
  received: text,
  recieved: text,
  actions: list(z.string()),
});
export type MeliNotification = z.infer<typeof MeliNotification>;

/** `GET /missed_feeds`: notifications that were never acknowledged (kept 2 days). */
export const MeliMissedFeeds = z.looseObject({
  messages: list(z.unknown()),
  paging: z.looseObject({ total: z.number().int().nullish(), offset: z.number().int().nullish() }).nullish(),
});
export type MeliMissedFeeds = z.infer<typeof MeliMissedFeeds>;

// ---------------------------------------------------------------------------------------------
// Inputs of writes: checked before any request leaves

const attributeInput = z.looseObject({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  value_id: z.union([z.string(), z.number()]).nullish(),
  value_name: z.string().nullish(),
});

const pictureInput = z.looseObject({
  source: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
});

const variationInput = z.looseObject({
  id: MeliNumericId.optional(),
  price: z.number().positive().optional(),
  available_quantity: z.number().int().nonnegative().optional(),
  attribute_combinations: z.array(attributeInput).optional(),
  attributes: z.array(attributeInput).optional(),
  picture_ids: z.array(z.string().min(1)).optional(),
});

/**
 * The body of `POST /items` (and `/items/validate`): a classic listing (`title`, optional
 * `variations`) or a User Products item (`family_name`, no `title`, no `variations`).
 */
export const MeliNewItem = z
  .looseObject({
    title: z.string().min(1).optional(),
    family_name: z.string().min(1).optional(),
    category_id: z.string().min(1),
    price: z.number().positive(),
    currency_id: z.string().regex(/^[A-Z]{3}$/),
    available_quantity: z.number().int().nonnegative(),
    buying_mode: z.string().min(1),
    listing_type_id: z.string().min(1),
    condition: z.string().min(1).optional(),
    pictures: z.array(pictureInput).optional(),
    attributes: z.array(attributeInput).optional(),
    variations: z
      .array(variationInput.extend({ available_quantity: z.number().int().nonnegative() }))
      .optional(),
  })
  .superRefine((item, ctx) => {
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
  });
export type MeliNewItem = z.input<typeof MeliNewItem>;

/** The body of `PUT /items/{id}`: only the fields being changed. */
export const MeliItemUpdate = z.looseObject({
  title: z.string().min(1).optional(),
  family_name: z.string().min(1).optional(),
  price: z.number().positive().optional(),
  available_quantity: z.number().int().nonnegative().optional(),
  status: z.enum(['active', 'paused', 'closed']).optional(),
  deleted: z.literal('true').optional(),
  pictures: z.array(pictureInput).optional(),
  attributes: z.array(attributeInput).optional(),
  variations: z.array(variationInput).optional(),
});
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
export const MeliSellerNotification = z
  .object({
    payload: z.looseObject({
      service_id: z.number().int().positive(),
      comment: z.string().optional(),
      date: z.iso.datetime({ offset: true }),
    }),
    tracking_number: z.string().min(1).optional(),
    tracking_url: z.url().optional(),
    status: z.enum(['shipped', 'delivered', 'not_delivered']),
    substatus: z.string().min(1).nullable(),
  })
  .superRefine((notification, ctx) => {
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
  });
export type MeliSellerNotification = z.input<typeof MeliSellerNotification>;

/** The body of `PUT /shipments/{id}` for a custom (seller-delivered) shipment. */
export const MeliCustomShipmentUpdate = z.object({
  status: z.enum(['shipped', 'delivered', 'cancelled']).optional(),
  tracking_number: z.string().min(1).optional(),
  receiver_id: MeliNumericId,
  /** Promised delivery time in hours. */
  speed: z.number().int().positive().optional(),
  comments: z.string().optional(),
});
export type MeliCustomShipmentUpdate = z.input<typeof MeliCustomShipmentUpdate>;

// ---------------------------------------------------------------------------------------------
// Categories

/** A category by id and name (`path_from_root[]`, `children_categories[]`, the top level). */
export const MeliCategoryRef = z.looseObject({
  id: z.string().min(1),
  name: text,
  total_items_in_this_category: z.number().nullish(),
});
export type MeliCategoryRef = z.infer<typeof MeliCategoryRef>;

/** `GET /sites/{site}/categories`: the top level of the tree. */
export const MeliSiteCategories = z.array(MeliCategoryRef);

/** `settings` of a category: what listing there needs (only the fields the SDK reads are named). */
export const MeliCategorySettings = z.looseObject({
  listing_allowed: z.boolean().nullish(),
  /** `enabled` when listing is possible. */
  status: text,
  catalog_domain: text,
  max_title_length: z.number().nullish(),
  max_pictures_per_item: z.number().nullish(),
  max_variations_allowed: z.number().nullish(),
  item_conditions: z.array(z.string()).nullish(),
  buying_modes: z.array(z.string()).nullish(),
});

/** `GET /categories/{id}`: one category with its path, children (empty for a leaf) and settings. */
export const MeliCategory = z.looseObject({
  id: z.string().min(1),
  name: text,
  path_from_root: list(MeliCategoryRef),
  children_categories: list(MeliCategoryRef),
  attribute_types: text,
  settings: MeliCategorySettings.nullish(),
});
export type MeliCategory = z.infer<typeof MeliCategory>;

/**
 * `GET /sites/{site}/categories/all`: the whole tree, an object keyed by category id. An array of
 * categories is accepted too (the reference does not print the shape).
 */
export const MeliCategoryDump = z.union([z.record(z.string(), MeliCategory), z.array(MeliCategory)]);
export type MeliCategoryDump = z.infer<typeof MeliCategoryDump>;

/** One guess of `GET /sites/{site}/domain_discovery/search`, best first. */
export const MeliDomainGuess = z.looseObject({
  domain_id: text,
  domain_name: text,
  category_id: z.string().min(1),
  category_name: text,
  /** Values inferred from the title (brand, model...): defaults, never facts. */
  attributes: list(
    z.looseObject({
      id: z.string().min(1),
      name: text,
      value_id: z.union([z.string(), z.number()]).nullish(),
      value_name: text,
    }),
  ),
});
export type MeliDomainGuess = z.infer<typeof MeliDomainGuess>;

/** `GET /sites/{site}/domain_discovery/search`. */
export const MeliDomainDiscovery = z.array(MeliDomainGuess);

/**
 * One attribute definition of `GET /categories/{id}/attributes`. `tags` is an object of booleans
 * there but a list in `technical_specs`: both are read.
 */
export const MeliCategoryAttribute = z.looseObject({
  id: z.string().min(1),
  name: text,
  /** `string`, `number`, `number_unit`, `boolean`, `list`; open. */
  value_type: text,
  tags: z
    .union([z.record(z.string(), z.unknown()), z.array(z.string())])
    .nullish()
    .transform((tags): Record<string, boolean> => {
      if (!tags) return {};
      if (Array.isArray(tags)) return Object.fromEntries(tags.map((tag) => [tag, true]));
      return Object.fromEntries(Object.entries(tags).map(([tag, on]) => [tag, on === true]));
    }),
  values: list(z.looseObject({ id: z.union([z.string(), z.number()]), name: text })),
  allowed_units: list(z.looseObject({ id: z.string(), name: text })),
  default_unit: text,
});
export type MeliCategoryAttribute = z.infer<typeof MeliCategoryAttribute>;

/** `GET /categories/{id}/attributes`. */
export const MeliCategoryAttributes = z.array(MeliCategoryAttribute);

/**
 * The answer of a question: `null` until answered. Its `status` is written in upper and lower
 * case by the docs (`ACTIVE`/`active`): compare it case-insensitively.
 */
export const MeliAnswer = z.looseObject({
  text: z
    .string()
    .nullish()
    .transform((value) => value ?? ''),
  status: text,
  date_created: text,
});
export type MeliAnswer = z.infer<typeof MeliAnswer>;

/**
 * A pre-sale question (`api_version=4`). `text` is empty when the question is `BANNED`; `hold`
 * means it cannot be answered yet; `from` carries only `id` for goods. The by-id call adds
 * `buyer_id`, `app_id` and `last_updated`.
 */
export const MeliQuestion = z.looseObject({
  id: MeliNumericId,
  seller_id: MeliNumericId.nullish(),
  item_id: text,
  text: z
    .string()
    .nullish()
    .transform((value) => value ?? ''),
  /** `UNANSWERED`, `ANSWERED`, `CLOSED_UNANSWERED`, `UNDER_REVIEW`, `BANNED`, `DELETED`, `DISABLED`; open. */
  status: z.string().min(1),
  date_created: text,
  last_updated: text,
  hold: z.boolean().nullish(),
  deleted_from_listing: z.boolean().nullish(),
  suspected_spam: z.boolean().nullish(),
  from: z.looseObject({ id: MeliNumericId.nullish() }).nullish(),
  answer: MeliAnswer.nullish(),
});
export type MeliQuestion = z.infer<typeof MeliQuestion>;

/** `GET /questions/search?api_version=4`: `total`, `limit` and the page of questions. */
export const MeliQuestionSearch = z.looseObject({
  total: z.number().int().nonnegative().nullish(),
  limit: z.number().int().nullish(),
  questions: list(MeliQuestion),
});
export type MeliQuestionSearch = z.infer<typeof MeliQuestionSearch>;

// ---------------------------------------------------------------------------------------------
// Post-sale messages (`tag=post_sale`), in zod/mini

const miniText = zm.nullish(zm.string());
const miniId = zm.union([zm.string(), zm.number()]);

/** An array that may be absent or null; read as an empty array. */
function miniList<T extends zm.ZodMiniType>(item: T) {
  return zm.pipe(
    zm.nullish(zm.array(item)),
    zm.transform((value): zm.infer<T>[] => value ?? []),
  );
}

/** One file of a message: `{filename, original_filename, type, size, potential_security_threat, creation_date}`. */
export const MeliMessageAttachment = zm.looseObject({
  filename: miniText,
  original_filename: miniText,
  type: miniText,
  size: zm.nullish(zm.number()),
  potential_security_threat: zm.nullish(zm.boolean()),
  creation_date: miniText,
});
export type MeliMessageAttachment = zm.infer<typeof MeliMessageAttachment>;

/**
 * A post-sale message, in the conversation's shape (and the older flat one of `GET /messages/{id}`:
 * `message_id`, `date_*`, `text.plain`). Buyer messages that were moderated are never returned;
 * the seller's own moderated ones are, with `message_moderation.status`.
 */
export const MeliMessage = zm.looseObject({
  id: zm.optional(miniId),
  message_id: zm.optional(miniId),
  site_id: miniText,
  from: zm.nullish(zm.looseObject({ user_id: zm.nullish(miniId) })),
  to: zm.nullish(zm.looseObject({ user_id: zm.nullish(miniId) })),
  status: miniText,
  text: zm.nullish(zm.union([zm.string(), zm.looseObject({ plain: miniText })])),
  message_date: zm.nullish(
    zm.looseObject({
      created: miniText,
      received: miniText,
      available: miniText,
      notified: miniText,
      read: miniText,
    }),
  ),
  date_created: miniText,
  date_read: miniText,
  message_moderation: zm.nullish(zm.looseObject({ status: miniText, reason: miniText })),
  message_attachments: miniList(MeliMessageAttachment),
  attachments: miniList(MeliMessageAttachment),
  message_resources: miniList(zm.looseObject({ id: zm.nullish(miniId), name: miniText })),
  resource_id: zm.nullish(miniId),
});
export type MeliMessage = zm.infer<typeof MeliMessage>;

/**
 * `conversation_status` of a pack's conversation: `status` `active` or `blocked`, with the
 * `blocked_by_*` `substatus`. Newer pages carry `claim_ids` (an array) where older ones carry `claim_id`.
 */
export const MeliConversationStatus = zm.looseObject({
  path: miniText,
  status: miniText,
  substatus: miniText,
  status_date: miniText,
  status_update_allowed: zm.nullish(zm.boolean()),
  claim_id: zm.nullish(miniId),
  claim_ids: zm.nullish(zm.array(miniId)),
  shipping_id: zm.nullish(miniId),
});
export type MeliConversationStatus = zm.infer<typeof MeliConversationStatus>;

/** `GET /messages/packs/{pack}/sellers/{seller}?tag=post_sale`: one page of the conversation and its limits. */
export const MeliConversationPage = zm.looseObject({
  paging: zm.nullish(
    zm.looseObject({
      limit: zm.nullish(zm.number()),
      offset: zm.nullish(zm.number()),
      total: zm.nullish(zm.number()),
    }),
  ),
  conversation_status: zm.nullish(MeliConversationStatus),
  messages: miniList(MeliMessage),
  seller_max_message_length: zm.nullish(zm.number()),
  buyer_max_message_length: zm.nullish(zm.number()),
});
export type MeliConversationPage = zm.infer<typeof MeliConversationPage>;

/** `GET /messages/{id}?tag=post_sale`: the flat message, or the newer wrapped `{messages: […]}`. */
export const MeliMessageLookup = zm.extend(MeliMessage, { messages: zm.optional(zm.array(MeliMessage)) });
export type MeliMessageLookup = zm.infer<typeof MeliMessageLookup>;

/** One option of the ME2 action guide: a reason the seller may give to start the conversation. */
export const MeliActionGuideOption = zm.looseObject({
  id: zm.string(),
  type: miniText,
  enabled: zm.nullish(zm.boolean()),
  actionable: zm.nullish(zm.boolean()),
  templates: zm.nullish(zm.array(zm.looseObject({ id: zm.string(), vars: zm.nullish(zm.unknown()) }))),
  char_limit: zm.nullish(zm.number()),
  cap_available: zm.nullish(zm.number()),
  child_options: zm.nullish(zm.unknown()),
});
export type MeliActionGuideOption = zm.infer<typeof MeliActionGuideOption>;

/** `GET /messages/action_guide/packs/{pack}?tag=post_sale`. */
export const MeliActionGuide = zm.looseObject({ options: miniList(MeliActionGuideOption) });
export type MeliActionGuide = zm.infer<typeof MeliActionGuide>;
