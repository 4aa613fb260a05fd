/**
 * The Shopee sandbox's state: partners (apps), shops, merchants, grants, codes, tokens,
 * items with models, orders with their package, uploaded images. Plain data, so tests can
 * inspect it through the sandbox's snapshot helpers.
 */

/** Order statuses of Shopee v2 (reference §6.1), as an open string. */
export type ShopeeOrderStatus =
  | 'UNPAID'
  | 'READY_TO_SHIP'
  | 'PROCESSED'
  | 'RETRY_SHIP'
  | 'SHIPPED'
  | 'TO_CONFIRM_RECEIVE'
  | 'IN_CANCEL'
  | 'CANCELLED'
  | 'TO_RETURN'
  | 'COMPLETED'
  | 'INVOICE_PENDING'
  | 'PENDING';

/** Item statuses (reference §5). */
export type ShopeeItemStatus =
  | 'NORMAL'
  | 'BANNED'
  | 'UNLIST'
  | 'REVIEWING'
  | 'SELLER_DELETE'
  | 'SHOPEE_DELETE';

/** A registered app: what the Console calls partner id and partner key. */
export interface PartnerRecord {
  partnerId: number;
  partnerKey: string;
  /** Key that signs pushes ("Live Push Partner Key"); defaults to the partner key. */
  pushKey: string;
  /** Where pushes go (`set_app_push_config` can change it). */
  callbackUrl: string | undefined;
  /** Push codes switched off through `set_app_push_config`. */
  pushCodesOff: Set<number>;
  blockedShopIds: Set<number>;
  /** `get_app_push_config.live_push_status`; a suspended app receives no pushes and loses them for good. */
  livePushStatus: ShopeeLivePushStatus;
  /** When the subscription was suspended (Unix seconds). */
  suspendedTime: number | undefined;
  /** Pushes whose delivery failed for good, oldest first (`get_lost_push_message`). */
  lostPushes: ShopeeLostPushRecord[];
  /** Delivery attempts of the health window, oldest first (Unix seconds). */
  pushAttempts: { at: number; ok: boolean }[];
}

/** The health of an app's push subscription (reference shopee §8.6). */
export type ShopeeLivePushStatus = 'Normal' | 'Warning' | 'Suspended';

/** A push Shopee could not deliver, kept 3 days until the app confirms it consumed. */
export interface ShopeeLostPushRecord {
  /** Increasing per partner; `confirm_consumed_lost_push_message` consumes every id up to one. */
  messageId: number;
  /** Absent for partner-level codes (1, 2, 12). */
  shopId: number | undefined;
  code: number;
  /** When the push was lost (Unix seconds); the original push time is inside `body`. */
  lostAt: number;
  /** The original push body, exactly as it was signed and sent. */
  body: string;
  consumed: boolean;
}

/** A pickup address of a shop, as `get_shipping_parameter` lists it. */
export interface ShopeePickupAddressRecord {
  addressId: bigint;
  region: string;
  state: string;
  city: string;
  district: string;
  town: string;
  address: string;
  zipcode: string;
}

/** A logistics channel a shop has enabled. */
export interface ShopeeChannelRecord {
  logisticsChannelId: number;
  name: string;
  /** Integrated channels take pickup/dropoff and get a tracking number from the 3PL. */
  integrated: boolean;
}

/** A seller's shop. */
export interface ShopeeShopRecord {
  shopId: number;
  shopName: string;
  region: string;
  currency: string;
  merchantId: number | undefined;
  mainAccountId: number | undefined;
  pickupAddresses: ShopeePickupAddressRecord[];
  channels: ShopeeChannelRecord[];
}

/** A cross-border merchant (CNSC/KRSC) owning several shops. */
export interface ShopeeMerchantRecord {
  merchantId: number;
  merchantName: string;
  region: string;
  currency: string;
  mainAccountId: number | undefined;
}

/** A partner's access to shops and merchants, lasting 365 days. */
export interface GrantRecord {
  partnerId: number;
  shopIds: number[];
  merchantIds: number[];
  mainAccountId: number | undefined;
  authTime: number;
  expireTime: number;
  revoked: boolean;
}

/** A one-time authorization code from the redirect. */
export interface AuthCodeRecord {
  code: string;
  partnerId: number;
  shopId: number | undefined;
  mainAccountId: number | undefined;
  grant: GrantRecord;
  expiresAtMs: number;
  used: boolean;
}

/** `shop:<id>` or `merchant:<id>`: what a token may act on. */
export type TokenScope = `shop:${number}` | `merchant:${number}`;

/** An access token; each scope has its own expiry (a refresh ends one scope 5 minutes later). */
export interface AccessTokenRecord {
  token: string;
  partnerId: number;
  scopes: Map<TokenScope, number>;
  revoked: boolean;
}

/** A refresh token: single use per scope, 30 days. */
export interface RefreshTokenRecord {
  token: string;
  partnerId: number;
  scopes: Set<TokenScope>;
  usedBy: Set<TokenScope>;
  expiresAtMs: number;
  revoked: boolean;
}

/** A model (variant) of an item: one combination of tier options. */
export interface ShopeeModelRecord {
  modelId: bigint;
  tierIndex: number[];
  sku: string;
  /** Decimal string; written to JSON as a number literal. */
  price: string;
  stock: number;
  status: 'MODEL_NORMAL' | 'MODEL_UNAVAILABLE';
}

/** A tier variation (e.g. "Size" with options S, M, L). */
export interface ShopeeTierVariationRecord {
  name: string;
  options: string[];
}

/** A listing. Items without models carry `price`/`stock` themselves. */
export interface ShopeeItemRecord {
  itemId: bigint;
  shopId: number;
  name: string;
  description: string;
  sku: string;
  status: ShopeeItemStatus;
  categoryId: number;
  condition: 'NEW' | 'USED';
  weight: string;
  dimension: { packageLength: number; packageWidth: number; packageHeight: number } | undefined;
  imageIds: string[];
  brand: { brandId: number; originalBrandName: string } | undefined;
  createTime: number;
  updateTime: number;
  price: string;
  stock: number;
  tierVariation: ShopeeTierVariationRecord[];
  models: ShopeeModelRecord[];
  /** Fiscal data returned with `need_tax_info=true` (Brazil: NCM, CFOP, CSOSN, origin, …). */
  taxInfo: { [key: string]: string } | undefined;
}

/** One line of an order. */
export interface ShopeeOrderLineRecord {
  itemId: bigint;
  itemName: string;
  itemSku: string;
  modelId: bigint;
  modelName: string;
  modelSku: string;
  quantity: number;
  originalPrice: string;
  discountedPrice: string;
  orderItemId: bigint;
}

/** A tracking event of a package. */
export interface ShopeeTrackingEventRecord {
  updateTime: number;
  description: string;
  logisticsStatus: string;
}

/** The package of an order (one per order in the sandbox). */
export interface ShopeePackageRecord {
  packageNumber: string;
  logisticsStatus: string;
  logisticsChannelId: number;
  shippingCarrier: string;
  integrated: boolean;
  trackingNumber: string;
  shipMethod: 'pickup' | 'dropoff' | 'non_integrated' | undefined;
  pickupDoneTime: number | undefined;
  tracking: ShopeeTrackingEventRecord[];
}

/** An order and its package. */
export interface ShopeeOrderRecord {
  orderSn: string;
  shopId: number;
  region: string;
  currency: string;
  cod: boolean;
  status: ShopeeOrderStatus;
  /** Status before a buyer's cancellation request, restored when the seller rejects it. */
  statusBeforeCancelRequest: ShopeeOrderStatus | undefined;
  createTime: number;
  updateTime: number;
  payTime: number | undefined;
  daysToShip: number;
  shipByDate: number;
  messageToSeller: string;
  note: string;
  noteUpdateTime: number | undefined;
  buyerUserId: number;
  buyerUsername: string;
  recipient: {
    name: string;
    phone: string;
    fullAddress: string;
    city: string;
    state: string;
    district: string;
    town: string;
    region: string;
    zipcode: string;
  };
  lines: ShopeeOrderLineRecord[];
  estimatedShippingFee: string;
  actualShippingFee: string | undefined;
  totalAmount: string;
  paymentMethod: string;
  cancelBy: string | undefined;
  cancelReason: string | undefined;
  buyerCancelReason: string | undefined;
  /** Brazil: the buyer's CPF (`buyer_cpf_id`, only when requested). */
  buyerCpfId: string | undefined;
  /** Brazil: the order's invoice (`invoice_data`, only when requested). */
  invoiceData: ShopeeInvoiceDataRecord | undefined;
  package: ShopeePackageRecord;
  /** When the buyer confirmed receipt (COMPLETED): the escrow is released then. */
  completeTime?: number | undefined;
}

/** `invoice_data` of a Brazilian order (reference §6.3). */
export interface ShopeeInvoiceDataRecord {
  number: string;
  seriesNumber: string;
  accessKey: string;
  issueDate: number;
  totalValue: string;
  productsTotalValue: string;
  taxCode: string;
  status: string;
  pendingReason: string;
}

/** An image uploaded through `media_space/upload_image`. */
export interface ShopeeImageRecord {
  imageId: string;
  partnerId: number;
  scene: string;
  ratio: string;
  bytes: number;
}

/** Everything the sandbox knows. */
export interface ShopeeState {
  partners: Map<number, PartnerRecord>;
  shops: Map<number, ShopeeShopRecord>;
  merchants: Map<number, ShopeeMerchantRecord>;
  grants: GrantRecord[];
  codes: Map<string, AuthCodeRecord>;
  accessTokens: Map<string, AccessTokenRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  items: Map<bigint, ShopeeItemRecord>;
  orders: Map<string, ShopeeOrderRecord>;
  images: Map<string, ShopeeImageRecord>;
}

/** A fresh, empty state. */
export function emptyState(): ShopeeState {
  return {
    partners: new Map(),
    shops: new Map(),
    merchants: new Map(),
    grants: [],
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    items: new Map(),
    orders: new Map(),
    images: new Map(),
  };
}

/** ISO 4217 currency of each Shopee market. */
export const REGION_CURRENCY: Readonly<Record<string, string>> = {
  SG: 'SGD',
  MY: 'MYR',
  TH: 'THB',
  VN: 'VND',
  PH: 'PHP',
  ID: 'IDR',
  TW: 'TWD',
  BR: 'BRL',
  MX: 'MXN',
  CO: 'COP',
  CL: 'CLP',
  PL: 'PLN',
  ES: 'EUR',
  AR: 'ARS',
};

/** Markets that accept two decimals in prices; the others take whole numbers (reference §0). */
export const TWO_DECIMAL_REGIONS: ReadonlySet<string> = new Set(['SG', 'MY', 'BR', 'MX', 'PL', 'ES', 'AR']);

/** The active (not revoked, not expired) grant of `partnerId` covering a shop or merchant. */
export function activeGrant(
  state: ShopeeState,
  partnerId: number,
  scope: TokenScope,
  nowSeconds: number,
): GrantRecord | undefined {
  return findGrant(state, partnerId, scope, (grant) => !grant.revoked && grant.expireTime > nowSeconds);
}

/** The latest grant of `partnerId` covering a scope, whatever its state. */
export function findGrant(
  state: ShopeeState,
  partnerId: number,
  scope: TokenScope,
  accept: (grant: GrantRecord) => boolean = () => true,
): GrantRecord | undefined {
  const [kind, idText] = scope.split(':') as ['shop' | 'merchant', string];
  const id = Number(idText);
  for (let index = state.grants.length - 1; index >= 0; index -= 1) {
    const grant = state.grants[index] as GrantRecord;
    if (grant.partnerId !== partnerId) continue;
    const covers = kind === 'shop' ? grant.shopIds.includes(id) : grant.merchantIds.includes(id);
    if (covers && accept(grant)) return grant;
  }
  return undefined;
}
