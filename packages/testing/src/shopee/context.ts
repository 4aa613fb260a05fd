import type { SandboxClock } from '../shared/clock';
import type { ShopeeEscrowRates } from './api-payment';
import type { JsonValue, JsonWritable } from './json';
import type { PartnerRecord, ShopeeMerchantRecord, ShopeeShopRecord, ShopeeState } from './state';

/** Lifetimes and tolerances, in seconds. Defaults are Shopee's (reference §3.6, §2.4). */
export interface ShopeeLifetimes {
  /** Access token life. Default 14 400 (4 hours). */
  accessToken: number;
  /** Refresh token life. Default 2 592 000 (30 days). */
  refreshToken: number;
  /** How long the previous access token keeps working after a refresh. Default 300. */
  accessTokenGrace: number;
  /** Authorization code life. Default 600 (10 minutes). */
  code: number;
  /** Shop/merchant grant life. Default 31 536 000 (365 days). */
  grant: number;
  /** Allowed distance between a request's `timestamp` and the sandbox clock. Default 300. */
  timestampTolerance: number;
}

/** Default lifetimes (reference §3.6). */
export const SHOPEE_LIFETIMES: Readonly<ShopeeLifetimes> = {
  accessToken: 4 * 60 * 60,
  refreshToken: 30 * 24 * 60 * 60,
  accessTokenGrace: 5 * 60,
  code: 10 * 60,
  grant: 365 * 24 * 60 * 60,
  timestampTolerance: 5 * 60,
};

/** Id sources; each returns the next id. */
export interface ShopeeIdSources {
  itemId: () => bigint;
  modelId: () => bigint;
  orderSn: (nowSeconds: number) => string;
  shopId: () => number;
}

/** Push notifications the sandbox's state changes raise. */
export interface PushQueue {
  /** Queues `code` with `data` for each partner that has an active grant on `shopId`. */
  forShop(shopId: number, code: number, data: JsonWritable, options?: { msgId?: string }): void;
  /** Queues a partner-level push (no top-level `shop_id`), e.g. authorization codes 1 and 2. */
  forPartner(partnerId: number, code: number, data: JsonWritable): void;
  /** Resolves once every queued push has been signed and handed to the delivery. */
  settled(): Promise<void>;
}

/** What every handler and driver can reach. */
export interface ShopeeContext {
  state: ShopeeState;
  clock: SandboxClock;
  lifetimes: ShopeeLifetimes;
  ids: ShopeeIdSources;
  pushes: PushQueue;
  /** Which account consents when a browser follows an `auth_partner` link. */
  consentingAccount: () => { shopId: number } | { mainAccountId: number } | undefined;
  /** Error code answered for a missing/expired access token. */
  invalidTokenError: string;
  /** How `get_lost_push_message` writes `data` (see `ShopeeSandboxOptions.lostPushData`). */
  lostPushData: 'string' | 'object';
  /** Fee rates of escrows (see `ShopeeSandboxOptions.escrowRates`). */
  escrowRates: ShopeeEscrowRates;
}

/** One API call after the common checks passed. */
export interface ShopeeCall {
  request: Request;
  url: URL;
  path: string;
  query: URLSearchParams;
  partner: PartnerRecord;
  /** The shop of a Shop API call. */
  shop: ShopeeShopRecord | undefined;
  /** The merchant of a Merchant API call. */
  merchant: ShopeeMerchantRecord | undefined;
  /** The parsed JSON body of a POST (ids beyond 2^53 as bigint); undefined for GET/multipart. */
  body: JsonValue | undefined;
}

/** How an API is signed and authorized (reference §2.1). */
export type ShopeeApiKind = 'public' | 'shop' | 'merchant';

/** One API the sandbox serves. */
export interface ShopeeEndpoint {
  method: 'GET' | 'POST';
  kind: ShopeeApiKind;
  /** `multipart` endpoints read `request.formData()` themselves. */
  body?: 'json' | 'multipart';
  /** Browser links (auth_partner) are not counted as API calls and skip the rate limit. */
  browser?: boolean;
  handle(call: ShopeeCall, context: ShopeeContext): Response | Promise<Response>;
}

/** Current sandbox time in Unix seconds. */
export function nowSeconds(context: Pick<ShopeeContext, 'clock'>): number {
  return Math.floor(context.clock.now() / 1000);
}
