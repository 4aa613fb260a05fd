import type { DeliveryOptions, RateLimitConfig, SandboxClock, WebhookTarget } from '../shared/index';
import type { MeliClaimTimings } from './claims';

/** An application registered in the sandbox's DevCenter. */
export interface MeliApp {
  /** The APP ID, used as `client_id`. */
  id: number;
  /** The client secret. */
  secret: string;
  /** Redirect URIs, matched character for character. */
  redirectUris: string[];
  /** PKCE enabled on the app: then `code_challenge` and `code_verifier` are mandatory. */
  pkce: boolean;
  /** Scopes granted to the app: `offline_access` (refresh tokens), `read`, `write`. */
  scopes: string[];
  /** Notification topics the app subscribed to; `'all'` for every topic. */
  topics: string[] | 'all';
  /** Site the app was registered on. */
  siteId: string;
}

/** A user of the sandbox (seller or buyer). */
export interface MeliUser {
  id: number;
  nickname: string;
  site_id: string;
  country_id: string;
  first_name: string;
  last_name: string;
  email: string;
  user_type: string;
  tags: string[];
  registration_date: string;
  /** Logistics mode given to items created without `shipping.mode`. */
  defaultShippingMode: MeliShippingMode;
  /** Brazil: a contributing PJ that issues its own NF-e and imports it to release labels. */
  issuesNfe?: boolean;
}

/** An NF-e imported for a shipment, as `GET /shipments/{id}/invoice_data` returns it. */
export interface MeliShipmentInvoice {
  id: number;
  sender_id: number;
  shipment_id: number;
  fiscal_key: string;
  invoice_serie: number;
  invoice_number: number;
  invoice_amount: number;
  item_title: string | null;
  status: string;
  invoice_date: string;
  date_created: string;
  last_updated: string;
}

/** Shipping modes of an item. */
export type MeliShippingMode = 'me1' | 'me2' | 'custom' | 'not_specified';

/** An attribute as the API returns it. */
export interface MeliAttribute {
  id: string;
  name: string;
  value_id: string | null;
  value_name: string | null;
  value_struct: { number: number; unit: string } | null;
  values: Array<{ id: string | null; name: string | null; struct: { number: number; unit: string } | null }>;
  attribute_group_id: string;
  attribute_group_name: string;
  value_type: string;
}

/** A picture as the API returns it. */
export interface MeliPicture {
  id: string;
  url: string;
  secure_url: string;
  size: string;
  max_size: string;
  quality: string;
}

/** One variation of a legacy-model item. */
export interface MeliVariation {
  id: number;
  price: number;
  attribute_combinations: MeliAttribute[];
  available_quantity: number;
  sold_quantity: number;
  sale_terms: unknown[];
  picture_ids: string[];
  seller_custom_field: string | null;
  attributes: MeliAttribute[];
  catalog_product_id: string | null;
  inventory_id: string | null;
  item_relations: unknown[];
  user_product_id: string | null;
}

/** An item (listing) as `GET /items/{id}` returns it to its owner. */
export interface MeliItem {
  id: string;
  site_id: string;
  title: string;
  family_name: string | null;
  family_id: number | null;
  seller_id: number;
  category_id: string;
  user_product_id: string | null;
  official_store_id: number | null;
  price: number;
  base_price: number;
  original_price: number | null;
  currency_id: string;
  initial_quantity: number;
  available_quantity: number;
  sold_quantity: number;
  sale_terms: unknown[];
  buying_mode: string;
  listing_type_id: string;
  start_time: string;
  stop_time: string;
  condition: string;
  permalink: string;
  thumbnail_id: string | null;
  thumbnail: string | null;
  pictures: MeliPicture[];
  video_id: string | null;
  descriptions: unknown[];
  accepts_mercadopago: boolean;
  shipping: {
    mode: MeliShippingMode;
    logistic_type: string | null;
    local_pick_up: boolean;
    free_shipping: boolean;
    methods: unknown[];
    tags: string[];
    dimensions: string | null;
  };
  seller_address: Record<string, unknown>;
  attributes: MeliAttribute[];
  variations: MeliVariation[];
  status: string;
  sub_status: string[];
  tags: string[];
  warranty: string | null;
  catalog_product_id: string | null;
  catalog_listing: boolean;
  domain_id: string | null;
  seller_custom_field: string | null;
  health: number | null;
  channels: string[];
  date_created: string;
  last_updated: string;
}

/** An item description as `GET /items/{id}/description` returns it. */
export interface MeliDescription {
  text: string;
  plain_text: string;
  last_updated: string;
  date_created: string;
  snapshot: { url: string; width: number; height: number; status: string };
}

/** One line of an order. */
export interface MeliOrderItem {
  item: {
    id: string;
    title: string;
    category_id: string;
    variation_id: number | null;
    variation_attributes: Array<{
      id: string;
      name: string;
      value_id: string | null;
      value_name: string | null;
    }>;
    seller_sku: string | null;
    seller_custom_field: string | null;
    condition: string;
    warranty: string | null;
    user_product_id: string | null;
  };
  quantity: number;
  requested_quantity: { value: number; measure: string };
  unit_price: number;
  full_unit_price: number;
  currency_id: string;
  sale_fee: number | null;
  listing_type_id: string;
  element_id: number;
  stock: Array<{ store_id: string | null; network_node_id: string | null }>;
}

/** A payment of an order. */
export interface MeliPayment {
  id: number;
  order_id: number;
  payer_id: number;
  status: string;
  status_detail: string;
  transaction_amount: number;
  total_paid_amount: number;
  shipping_cost: number;
  marketplace_fee: number;
  payment_method_id: string;
  payment_type: string;
  installments: number;
  date_created: string;
  date_approved: string | null;
  date_last_modified: string;
  currency_id: string;
}

/** An order as `GET /orders/{id}` returns it. */
export interface MeliOrder {
  id: number;
  status: string;
  status_detail: string | null;
  date_created: string;
  date_closed: string | null;
  last_updated: string;
  expiration_date: string;
  pack_id: number | null;
  buying_mode: string;
  total_amount: number;
  paid_amount: number;
  currency_id: string;
  order_items: MeliOrderItem[];
  payments: MeliPayment[];
  shipping: { id: number | null };
  buyer: { id: number };
  seller: { id: number };
  tags: string[];
  context: { channel: string; site: string; flows: string[] };
  feedback: { buyer: null; seller: null };
  taxes: { amount: number | null; currency_id: string | null; id: string | null };
  cancel_detail: {
    group: string;
    code: string;
    description: string;
    requested_by: string;
    date: string;
  } | null;
  mediations: unknown[];
}

/** A pack (cart) as `GET /packs/{id}` returns it. */
export interface MeliPack {
  id: number;
  status: string;
  status_detail: string | null;
  buyer: { id: number };
  shipment: { id: number } | null;
  orders: Array<{ id: number }>;
  date_created: string;
  last_updated: string;
}

/** A shipment as `GET /shipments/{id}` returns it with `x-format-new: true` (no `order_id`). */
export interface MeliShipment {
  id: number;
  status: string;
  substatus: string | null;
  tracking_number: string | null;
  tracking_method: string | null;
  date_created: string;
  last_updated: string;
  declared_value: number;
  dimensions: { height: number; width: number; length: number; weight: number } | null;
  logistic: { mode: MeliShippingMode; type: string; direction: string };
  origin: { type: string; sender_id: number; shipping_address: Record<string, unknown> };
  destination: {
    type: string;
    receiver_id: number;
    receiver_name: string | null;
    receiver_phone: string | null;
    comments: string | null;
    shipping_address: Record<string, unknown>;
  };
  lead_time: {
    cost: number;
    list_cost: number;
    cost_type: string;
    currency_id: string;
    shipping_method: { id: number; name: string; type: string; deliver_to: string } | null;
    estimated_delivery_time: { date: string | null; type: string; unit: string } | null;
  };
  source: {
    site_id: string;
    market_place: string;
    customer_id: number | null;
    application_id: number | null;
  };
  tags: string[];
  items_types: string[];
  status_history: Record<string, string | null>;
}

/** The notification payload Mercado Livre posts to an app's callback URL. */
export interface MeliNotification {
  _id: string;
  resource: string;
  user_id: number;
  topic: string;
  application_id: number;
  attempts: number;
  sent: string;
  received: string;
  actions?: string[];
}

/** A file attached to a post-sale message, as the conversation lists it. */
export interface MeliMessageAttachment {
  filename: string;
  original_filename: string;
  type: string;
  size: number;
  potential_security_threat: boolean;
  creation_date: string;
}

/** A post-sale message sent in the sandbox. */
export interface MeliMessage {
  id: string;
  packId: number;
  from: number;
  to: number;
  text: string;
  createdAt: string;
  /** When the recipient read it; `null` while unread. */
  readAt: string | null;
  /**
   * `clean`, or `rejected` with a reason (`LINK_SHORT_URL`, ...). A buyer's rejected message is
   * never shown to the seller; the seller's own is, with its moderation.
   */
  moderation: { status: 'clean' | 'rejected'; reason: string | null };
  attachments: MeliMessageAttachment[];
}

/** A category the sandbox knows (only needed to make validation stricter than "any id of the site"). */
export interface MeliCategory {
  id: string;
  name?: string;
  /** Attribute ids that item creation must carry. */
  requiredAttributes?: string[];
  /** `settings.max_title_length`. Default: 60. */
  maxTitleLength?: number;
  /** `settings.max_pictures_per_item`. Default: 12. */
  maxPictures?: number;
}

/** Token response of `POST /oauth/token` (and of {@link MeliSandbox.issueTokens}). */
export interface MeliTokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
  user_id: number;
  refresh_token?: string;
}

/** Lifetimes and limits; the defaults are the reference's values. */
export interface MeliSandboxLimits {
  /** Access-token lifetime. Default: 6 hours. */
  accessTokenTtlMs: number;
  /** Refresh-token lifetime, counted from each rotation. Default: 180 days (the reference's "6 months"). */
  refreshTokenTtlMs: number;
  /** Authorization-code lifetime. Default: 10 minutes (uncertain in the reference). */
  authorizationCodeTtlMs: number;
  /** Largest `limit` of `/users/{id}/items/search`. Default: 100. */
  itemSearchMaxLimit: number;
  /** Offset paging of item search stops here; beyond it use `search_type=scan`. Default: 1000. */
  itemSearchOffsetCap: number;
  /** Life of a scan `scroll_id`. Default: 5 minutes. */
  scrollTtlMs: number;
  /** Largest `limit` of `/orders/search`. Default: 50 (the reference says "about 50", some report 51). */
  orderSearchMaxLimit: number;
  /** Orders older than this cannot be searched. Default: 365 days. */
  orderRetentionMs: number;
  /** Ids per multiget call. Default: 20. */
  multigetMaxIds: number;
  /** Delivery attempts before a notification becomes a missed feed. Default: 8. */
  notificationAttempts: number;
  /** How long missed feeds are kept. Default: 2 days. */
  missedFeedsRetentionMs: number;
  /** Variations per item. Default: 100. */
  maxVariations: number;
}

/** Switches for behaviour the reference marks as uncertain. */
export interface MeliSandboxBehaviour {
  /** OAuth errors carry `error_description` (current docs) or `message` (older reports). Default: `error_description`. */
  oauthErrorField: 'error_description' | 'message';
  /** Answer 400 to `/shipments` calls without `x-format-new: true`. Default: true. */
  requireFormatNewHeader: boolean;
  /** Answer 400 to `/orders/{id}/shipments` and `/shipments/{id}/orders` without `X-New-Domain: true`. Default: true. */
  requireNewDomainHeader: boolean;
  /**
   * A PUT `variations` array that omits an existing variation id deletes it (stated for price
   * updates, [C]). Default: true. False keeps omitted variations on every PUT.
   */
  deleteOmittedVariations: boolean;
  /**
   * A stock-only PUT (a body of `variations` alone, each naming an `id` and at most an
   * `available_quantity`) keeps the variations it omits. Whether the deletion rule covers such a
   * PUT is uncertain in the reference ([U]): its stock example names a single variation. Default
   * false: they are deleted like on any other PUT. Set true to model an account where you have
   * confirmed they are kept.
   */
  stockOnlyPutKeepsOmittedVariations: boolean;
  /**
   * Seller order search leaves out cancelled orders unless `order.status` asks for them. The docs
   * say a seller search "filters cancelled orders" (ambiguous, [U]); default true, the stricter reading.
   */
  orderSearchHidesCancelled: boolean;
  /**
   * Seller item search accepts any `status` filter. The reference lists `active`, `paused`,
   * `closed`, `pending`, `not_yet_active` and `programmed`; whether others (`under_review`,
   * `payment_required`) work is not known. Default false: others answer 400.
   */
  itemSearchAcceptsAnyStatus: boolean;
  /** Send `Retry-After` (seconds) on 429. The reference says it is not documented. Default: false. */
  retryAfterHeader: boolean;
  /** Percent of the unit price charged as `sale_fee`. Default: 12. */
  saleFeePercent: number;
  /**
   * `seller_max_message_length` of post-sale conversations: the documented 350, though a 2026
   * response quoted by an integrator reports 3500 ([U]). Default: 350.
   */
  sellerMaxMessageLength: number;
  /**
   * How a payment's `marketplace_fee` (the order's total fee) is computed: `sale_fees` (default),
   * each item's rounded per-unit `sale_fee` times its quantity, as the reference's worked example
   * adds up; `order_total`, the percentage of the order's total rounded once, which can differ by
   * a cent (how a client reports such a difference can be tested with it).
   */
  marketplaceFeeFrom?: 'sale_fees' | 'order_total';
}

/** Options of `createMeliSandbox()`. */
export interface MeliSandboxOptions {
  /** Clock to use. Default: a running clock; pass a frozen one for exact expiry tests. */
  clock?: SandboxClock;
  /** The default app. Default: id 5503910054141466, secret `sandbox-secret`, redirect `https://app.example.com/meli/callback`. */
  app?: Partial<MeliApp>;
  /** Where notifications go (a URL or an in-process handler) and how. */
  webhooks?: DeliveryOptions & { target?: WebhookTarget };
  /** A rate limit per seller (answered with 429 `too_many_requests`). Default: none. */
  rateLimit?: RateLimitConfig;
  /**
   * A rate limit per application, over the calls of every seller it holds tokens for (answered
   * with 429 `too_many_requests`), checked after the per-seller one. Default: none.
   */
  appRateLimit?: RateLimitConfig;
  /** Lifetimes and limits. */
  limits?: Partial<MeliSandboxLimits>;
  /** Switches for uncertain behaviour. */
  behaviour?: Partial<MeliSandboxBehaviour>;
  /** Seed of the fault injector's random source. */
  seed?: number;
  /** How long each timed step of a claim takes (see `MELI_DEFAULT_CLAIM_TIMINGS`). */
  claims?: Partial<MeliClaimTimings>;
}
