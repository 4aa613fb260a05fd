/**
 * The TikTok Shop sandbox's state. Records are camelCase and typed; the routes render them into
 * the API's snake_case payloads. Every id is a decimal string (TikTok's ids are 64-bit), every
 * amount a decimal string, every time Unix seconds.
 */

import type { TikTokSandboxReturn } from './returns';

/** A Partner Center app. */
export interface TikTokSandboxApp {
  appKey: string;
  appSecret: string;
  /** The Service ID used on the authorize page (not the app key). */
  serviceId: string;
  name: string;
  /** Where the authorize page sends the seller back with `code` and `state`. */
  redirectUri: string;
  /** Default address for this app's webhooks (Partner Center configuration). */
  webhookUrl?: string | undefined;
}

/** A seller account (the one that authorizes apps); owns one or more shops. */
export interface TikTokSandboxSeller {
  openId: string;
  name: string;
  baseRegion: string;
  /** `0` seller, `1` creator. */
  userType: number;
}

/** A warehouse of a shop; inventory is kept per warehouse. */
export interface TikTokSandboxWarehouse {
  id: string;
  name: string;
  type: 'SALES_WAREHOUSE' | 'RETURN_WAREHOUSE';
  subType: string;
  effectStatus: 'ENABLED' | 'DISABLED';
  isDefault: boolean;
  address: { region: string; regionCode: string; city: string; postalCode: string; fullAddress: string };
}

/** A shop: the unit `shop_cipher` addresses. */
export interface TikTokSandboxShop {
  id: string;
  name: string;
  region: string;
  sellerType: 'LOCAL' | 'CROSS_BORDER';
  cipher: string;
  code: string;
  openId: string;
  currency: string;
  warehouses: TikTokSandboxWarehouse[];
  /**
   * True where seller-shipped orders get their package only when marked as shipped
   * (`POST /fulfillment/202309/orders/{order_id}/packages`), as for US/UK/EU/JP local sellers.
   */
  packagesCreatedOnMarkShipped: boolean;
}

/** An app's authorization by a seller, with the scopes (API packages) it grants. */
export interface TikTokSandboxAuthorization {
  appKey: string;
  openId: string;
  scopes: string[];
  revoked: boolean;
}

/** A single-use authorization code from the authorize page. */
export interface TikTokSandboxAuthCode {
  code: string;
  appKey: string;
  openId: string;
  expiresAt: number;
  used: boolean;
}

/** An issued access token. */
export interface TikTokSandboxAccessToken {
  token: string;
  appKey: string;
  openId: string;
  /** Absolute Unix seconds, as in `access_token_expire_in`. */
  expiresAt: number;
}

/** An issued refresh token. */
export interface TikTokSandboxRefreshToken {
  token: string;
  appKey: string;
  openId: string;
  /** Absolute Unix seconds, as in `refresh_token_expire_in`. */
  expiresAt: number;
  /** Set when a refresh rotated it out; a used token is refused. */
  used: boolean;
}

/** Product statuses (reference §6.3; note `ACTIVATE`). */
export type TikTokProductStatus =
  | 'DRAFT'
  | 'PENDING'
  | 'FAILED'
  | 'ACTIVATE'
  | 'SELLER_DEACTIVATED'
  | 'PLATFORM_DEACTIVATED'
  | 'FREEZE'
  | 'DELETED';

/** A variant axis value of a SKU (colour, size). */
export interface TikTokSandboxSalesAttribute {
  id: string;
  name: string;
  valueId: string;
  valueName: string;
}

/** A SKU with its price and stock per warehouse. */
export interface TikTokSandboxSku {
  id: string;
  sellerSku: string;
  externalSkuId?: string | undefined;
  price: { amount: string; currency: string };
  inventory: { warehouseId: string; quantity: number }[];
  salesAttributes: TikTokSandboxSalesAttribute[];
}

/** A product (listing) with its SKUs. */
export interface TikTokSandboxProduct {
  id: string;
  shopId: string;
  title: string;
  description: string;
  categoryId: string;
  status: TikTokProductStatus;
  mainImages: { uri: string }[];
  packageWeight?: { value: string; unit: string } | undefined;
  packageDimensions?: { length: string; width: string; height: string; unit: string } | undefined;
  brandId?: string | undefined;
  externalProductId?: string | undefined;
  createTime: number;
  updateTime: number;
  skus: TikTokSandboxSku[];
}

/** Order statuses (reference §7.4). Webhooks spell `CANCELLED` as `CANCEL`. */
export type TikTokOrderStatus =
  | 'UNPAID'
  | 'ON_HOLD'
  | 'AWAITING_SHIPMENT'
  | 'PARTIALLY_SHIPPING'
  | 'AWAITING_COLLECTION'
  | 'IN_TRANSIT'
  | 'DELIVERED'
  | 'COMPLETED'
  | 'CANCELLED';

/** Package statuses (reference §8.2); `TO_FULFILL` before shipment is arranged. */
export type TikTokPackageStatus = 'TO_FULFILL' | 'PROCESSING' | 'FULFILLING' | 'COMPLETED' | 'CANCELLED';

/** Who ships: TikTok's label (`TIKTOK`) or the seller with their own carrier (`SELLER`). */
export type TikTokShippingType = 'TIKTOK' | 'SELLER';

/** One unit of one SKU in an order (TikTok has no quantity field: N units are N line items). */
export interface TikTokSandboxLineItem {
  id: string;
  productId: string;
  productName: string;
  skuId: string;
  skuName: string;
  sellerSku: string;
  salePrice: string;
  originalPrice: string;
  currency: string;
  displayStatus: TikTokOrderStatus;
  packageId?: string | undefined;
  packageStatus: TikTokPackageStatus;
  trackingNumber?: string | undefined;
  shippingProviderId?: string | undefined;
  shippingProviderName?: string | undefined;
  rtsTime?: number | undefined;
  cancelReason?: string | undefined;
  cancelUser?: 'BUYER' | 'SELLER' | 'OPERATOR' | 'SYSTEM' | undefined;
}

/** A buyer's delivery address. */
export interface TikTokSandboxAddress {
  name: string;
  phoneNumber: string;
  fullAddress: string;
  addressLine1: string;
  postalCode: string;
  regionCode: string;
  /**
   * `district_info`: the divisions from the country down, each with its level (`L0`..`L4`) and
   * the level's name, which differ by market (in the US L2 is the county and L3 the city; in
   * Brazil L2 is the city and L3 the district). Default: the shop's market.
   */
  districts: TikTokSandboxDistrict[];
}

/** One entry of an address's `district_info`. */
export interface TikTokSandboxDistrict {
  /** `L0` (country) to `L4`. */
  level: string;
  /** What the level is called in this market: `Country`, `State`, `County`, `City`, `District`, ... */
  levelName: string;
  name: string;
}

/** An order with its line items, payment inputs and fulfilment progress. */
export interface TikTokSandboxOrder {
  id: string;
  shopId: string;
  status: TikTokOrderStatus;
  createTime: number;
  updateTime: number;
  paidTime?: number | undefined;
  rtsTime?: number | undefined;
  collectionTime?: number | undefined;
  deliveryTime?: number | undefined;
  cancelTime?: number | undefined;
  userId: string;
  buyerEmail: string;
  buyerMessage: string;
  currency: string;
  shippingFee: string;
  lineItems: TikTokSandboxLineItem[];
  recipientAddress: TikTokSandboxAddress;
  shippingType: TikTokShippingType;
  warehouseId: string;
  /** Goes to `ON_HOLD` rather than `AWAITING_SHIPMENT` when paid. */
  holdOnPayment: boolean;
  isBuyerRequestCancel: boolean;
  cancelReason?: string | undefined;
  cancellationInitiator?: 'SELLER' | 'BUYER' | 'SYSTEM' | undefined;
  packageIds: string[];
  /**
   * Brazil: `need_upload_invoice` (`NEED_INVOICE` until an uploaded NF-e is verified, then
   * `INVOICE_UPLOADED`; `INVOICE_PROCESSING` while it is checked; `NO_NEED`). Absent elsewhere.
   */
  invoiceStatus?: 'NEED_INVOICE' | 'INVOICE_PROCESSING' | 'INVOICE_UPLOADED' | 'NO_NEED' | undefined;
  /** Brazil: the buyer's CPF and the name registered to it. */
  cpf?: string | undefined;
  cpfName?: string | undefined;
  /** An uploaded NF-e being verified: its outcome is reported when `verifiesAt` (Unix seconds) has passed. */
  pendingInvoice?: TikTokSandboxInvoiceUpload | undefined;
  /** The access key of the last NF-e uploaded for the order (a key serves one order only). */
  invoiceAccessKey?: string | undefined;
}

/** An NF-e upload under verification, and what verification will say. */
export interface TikTokSandboxInvoiceUpload {
  packageId: string;
  accessKey: string;
  verifiesAt: number;
  /** `SUCCESS`, or `FAILED` with `invalidReason`. */
  outcome: 'SUCCESS' | 'FAILED';
  invalidReason?: 'FAILED' | 'NOT_FOUND' | 'NOT_AUTHORIZED' | 'ACCESS_KEY_DUPLICATE' | undefined;
}

/** Tracking event of a package; TikTok reports these in milliseconds. */
export interface TikTokSandboxTrackingEvent {
  description: string;
  updateTimeMillis: number;
}

/** A package: the unit that is shipped. */
export interface TikTokSandboxPackage {
  id: string;
  shopId: string;
  orderId: string;
  lineItemIds: string[];
  status: TikTokPackageStatus;
  shippingType: TikTokShippingType;
  handoverMethod?: 'PICKUP' | 'DROP_OFF' | undefined;
  pickupSlot?: { startTime: number; endTime: number } | undefined;
  trackingNumber?: string | undefined;
  shippingProviderId?: string | undefined;
  shippingProviderName?: string | undefined;
  createTime: number;
  updateTime: number;
  shippedTime?: number | undefined;
  tracking: TikTokSandboxTrackingEvent[];
}

/** A cancellation (buyer request or seller cancel). */
export interface TikTokSandboxCancellation {
  id: string;
  orderId: string;
  shopId: string;
  status: 'CANCELLATION_REQUEST_PENDING' | 'CANCELLATION_REQUEST_SUCCESS' | 'CANCELLATION_REQUEST_CANCEL';
  type: 'CANCEL' | 'BUYER_CANCEL';
  reason: string;
  role: 'BUYER' | 'SELLER' | 'SYSTEM';
  lineItemIds: string[];
  createTime: number;
  updateTime: number;
  rejectReason?: string | undefined;
}

/** A shop webhook subscription made through the Event API. */
export interface TikTokSandboxWebhookSubscription {
  eventType: string;
  address: string;
  createTime: number;
  updateTime: number;
}

/** A carrier a seller can ship with (`shipping_provider_id`). */
export interface TikTokSandboxShippingProvider {
  id: string;
  name: string;
}

/** Everything the sandbox knows. Mutated only by the routes and the sandbox's driver functions. */
export interface TikTokState {
  apps: Map<string, TikTokSandboxApp>;
  sellers: Map<string, TikTokSandboxSeller>;
  shops: Map<string, TikTokSandboxShop>;
  authorizations: Map<string, TikTokSandboxAuthorization>;
  authCodes: Map<string, TikTokSandboxAuthCode>;
  accessTokens: Map<string, TikTokSandboxAccessToken>;
  refreshTokens: Map<string, TikTokSandboxRefreshToken>;
  products: Map<string, TikTokSandboxProduct>;
  orders: Map<string, TikTokSandboxOrder>;
  packages: Map<string, TikTokSandboxPackage>;
  cancellations: Map<string, TikTokSandboxCancellation>;
  /** Return and refund requests by `return_id`. */
  returns: Map<string, TikTokSandboxReturn>;
  /** Answers of the after-sale writes by `appKey|path|idempotency_key`, replayed to a repeat. */
  idempotentAnswers: Map<string, unknown>;
  /** Keyed by `appKey|shopId`, then event type name. */
  webhookSubscriptions: Map<string, Map<string, TikTokSandboxWebhookSubscription>>;
  /** Customer-service conversations, by id. */
  conversations: Map<string, TikTokSandboxConversation>;
  nextId(kind: TikTokIdKind): string;
}

/** One chat message: `content` is the JSON-encoded string TikTok sends. */
export interface TikTokSandboxChatMessage {
  id: string;
  /** Position in the conversation, from 1. */
  index: number;
  type: string;
  content: string;
  /** Unix seconds. */
  createTime: number;
  isVisible: boolean;
  sender: { role: 'BUYER' | 'SHOP' | 'SYSTEM'; imUserId: string };
  /** Read by the recipient. */
  read: boolean;
}

/** A customer-service conversation between a shop and a buyer. */
export interface TikTokSandboxConversation {
  id: string;
  shopId: string;
  /** The buyer's `user_id`, as orders carry it. */
  buyerUserId: string;
  /** The buyer's chat id, which is not their `user_id`. */
  buyerImUserId: string;
  shopImUserId: string;
  createTime: number;
  messages: TikTokSandboxChatMessage[];
}

/** The kinds of generated ids, each with its own deterministic sequence. */
export type TikTokIdKind =
  | 'app'
  | 'service'
  | 'seller'
  | 'shop'
  | 'warehouse'
  | 'product'
  | 'sku'
  | 'attribute'
  | 'order'
  | 'lineItem'
  | 'package'
  | 'cancellation'
  | 'return'
  | 'returnLineItem'
  | 'notification'
  | 'token'
  | 'buyer'
  | 'message';

// Realistic magnitudes (order ids have 18 digits, product/sku ids 19) so ids exercise the
// "never Number() an id" rule: all of these exceed Number.MAX_SAFE_INTEGER.
const ID_BASES: Record<TikTokIdKind, bigint> = {
  app: 6_000_000n,
  service: 7_300_000_000_000_000_000n,
  seller: 7_010_736_057_180_000_000n,
  shop: 7_494_049_642_642_400_000n,
  warehouse: 7_068_517_275_539_700_000n,
  product: 1_729_592_969_712_200_000n,
  sku: 1_729_592_969_713_300_000n,
  attribute: 7_082_427_311_584_000_000n,
  order: 576_461_413_038_700_000n,
  lineItem: 576_461_413_040_100_000n,
  package: 1_152_321_127_278_700_000n,
  cancellation: 4_035_201_234_567_800_000n,
  return: 4_035_301_234_567_900_000n,
  returnLineItem: 4_035_301_234_568_000_000n,
  notification: 7_380_066_284_010_000_000n,
  token: 100_000n,
  buyer: 7_494_000_000_000_100_000n,
  message: 7_400_000_000_000_500_000n,
};

/** Creates empty state with fresh id sequences. */
export function createTikTokState(): TikTokState {
  const counters = new Map<TikTokIdKind, bigint>();
  return {
    apps: new Map(),
    sellers: new Map(),
    shops: new Map(),
    authorizations: new Map(),
    authCodes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    products: new Map(),
    orders: new Map(),
    packages: new Map(),
    cancellations: new Map(),
    returns: new Map(),
    idempotentAnswers: new Map(),
    webhookSubscriptions: new Map(),
    conversations: new Map(),
    nextId(kind) {
      const next = (counters.get(kind) ?? 0n) + 1n;
      counters.set(kind, next);
      return (ID_BASES[kind] + next).toString();
    },
  };
}

/** Key of an app's authorization by a seller. */
export function authorizationKey(appKey: string, openId: string): string {
  return `${appKey}|${openId}`;
}

/** Key of an app's webhook subscriptions for a shop. */
export function subscriptionKey(appKey: string, shopId: string): string {
  return `${appKey}|${shopId}`;
}
