import {
  type Clock,
  type FieldIssue,
  parseSecureUrl,
  type StoredTokenSet,
  systemClock,
  type TokenSet,
  type Transport,
  ValidationError,
} from '@mlh/core';
import { jsonInteger } from './json';
import { ShopeeTokenResponse } from './schemas';
import { signShopeeRequest } from './signer';
import {
  callShopeeFlat,
  checkShopeeCredentials,
  merchantAccountId,
  parseShopeeAccountId,
  SHOPEE,
  type ShopeeEnvironment,
  type ShopeeRegion,
  shopAccountId,
  shopeeBaseUrl,
} from './transport';

/**
 * Shop authorization: the signed authorization and cancel links, the code exchange and the
 * refresh. Token responses are flat (no `response` wrapper). Refresh tokens are single-use and
 * rotate on every refresh, so refreshes must go through the core `TokenManager` (single-flight,
 * persisted before use) — {@link shopeeTokenRefresher} is its `refresh`.
 */

/** Path of the authorization link. */
export const SHOPEE_AUTH_PARTNER_PATH = '/api/v2/shop/auth_partner';
/** Path of the deauthorization link. */
export const SHOPEE_CANCEL_AUTH_PARTNER_PATH = '/api/v2/shop/cancel_auth_partner';
/** Path of the code exchange. */
export const SHOPEE_TOKEN_GET_PATH = '/api/v2/auth/token/get';
/** Path of the refresh. */
export const SHOPEE_ACCESS_TOKEN_GET_PATH = '/api/v2/auth/access_token/get';

/** A refresh token lives 30 days. */
export const SHOPEE_REFRESH_TOKEN_TTL_MS = 30 * 86_400_000;

/** Options of {@link buildShopeeAuthorizationUrl} and {@link buildShopeeCancelAuthorizationUrl}. */
export interface ShopeeAuthorizationUrlOptions {
  partnerId: number | string;
  partnerKey: string;
  /** Where Shopee sends the browser back, with `code` and `shop_id` or `main_account_id`. Carry your own state in its query. */
  redirectUrl: string;
  environment?: ShopeeEnvironment | undefined;
  region?: ShopeeRegion | undefined;
  /** Overrides the host. */
  baseUrl?: string | undefined;
  /** The link's time (epoch ms; default now). The link is valid for 5 minutes. */
  now?: number | undefined;
}

async function buildLink(path: string, options: ShopeeAuthorizationUrlOptions): Promise<string> {
  const partnerId = checkShopeeCredentials(options.partnerId, options.partnerKey);
  // The browser carries the authorization code back through this URL: https, or http to loopback.
  parseSecureUrl(options.redirectUrl, 'redirectUrl', SHOPEE, 'Invalid Shopee authorization link');
  const base = (options.baseUrl ?? shopeeBaseUrl(options.environment, options.region)).replace(/\/+$/, '');
  parseSecureUrl(base, 'baseUrl', SHOPEE, 'Invalid Shopee authorization link');
  const timestamp = Math.floor((options.now ?? Date.now()) / 1000);
  const sign = await signShopeeRequest({ partnerId, partnerKey: options.partnerKey, path, timestamp });
  const query = new URLSearchParams({
    partner_id: partnerId,
    timestamp: String(timestamp),
    sign,
    redirect: options.redirectUrl,
  });
  return `${base}${path}?${query.toString()}`;
}

/**
 * The signed link that sends a seller to authorize the app (`/api/v2/shop/auth_partner`).
 * Valid for 5 minutes: build it when the seller clicks.
 *
 * @example
 * const url = await buildShopeeAuthorizationUrl({
 *   partnerId: Number(process.env.SHOPEE_PARTNER_ID),
 *   partnerKey: process.env.SHOPEE_PARTNER_KEY!,
 *   redirectUrl: process.env.SHOPEE_REDIRECT_URL!,
 * });
 */
export function buildShopeeAuthorizationUrl(options: ShopeeAuthorizationUrlOptions): Promise<string> {
  return buildLink(SHOPEE_AUTH_PARTNER_PATH, options);
}

/** The signed link with which a seller revokes the app's authorization (`/api/v2/shop/cancel_auth_partner`). */
export function buildShopeeCancelAuthorizationUrl(options: ShopeeAuthorizationUrlOptions): Promise<string> {
  return buildLink(SHOPEE_CANCEL_AUTH_PARTNER_PATH, options);
}

/** What Shopee appends to the redirect URL. */
export type ShopeeAuthorizationCallback =
  | { code: string; shopId: string; mainAccountId?: undefined }
  | { code: string; mainAccountId: string; shopId?: undefined };

/**
 * Reads the redirect Shopee sends the seller back with: `code` plus `shop_id` (shop account) or
 * `main_account_id` (main account). Throws a `ValidationError` when they are missing.
 *
 * @example
 * const callback = parseShopeeAuthorizationCallback(request.url);
 * await shopee.exchangeCode(callback);
 */
export function parseShopeeAuthorizationCallback(
  url: string | URL | URLSearchParams,
): ShopeeAuthorizationCallback {
  const params =
    url instanceof URLSearchParams
      ? url
      : new URL(typeof url === 'string' ? url : url.toString()).searchParams;
  const code = params.get('code')?.trim();
  const shopId = params.get('shop_id')?.trim();
  const mainAccountId = params.get('main_account_id')?.trim();
  const issues: FieldIssue[] = [];
  if (!code) issues.push({ path: 'code', message: 'missing from the redirect' });
  if (shopId && !/^\d+$/.test(shopId)) issues.push({ path: 'shop_id', message: 'must be a number' });
  if (mainAccountId && !/^\d+$/.test(mainAccountId))
    issues.push({ path: 'main_account_id', message: 'must be a number' });
  if (!shopId && !mainAccountId)
    issues.push({ path: 'shop_id', message: 'shop_id or main_account_id is required' });
  if (issues.length > 0 || !code) {
    throw new ValidationError('Invalid Shopee authorization callback', issues, { marketplace: SHOPEE });
  }
  return shopId ? { code, shopId } : { code, mainAccountId: mainAccountId as string };
}

/** Access-token expiry from `expire_in`: seconds of validity, or (defensively) an epoch when above 10^9. */
export function shopeeExpiresAt(expireIn: number, now: number): number {
  return expireIn > 1_000_000_000 ? expireIn * 1000 : now + expireIn * 1000;
}

/** What a code exchange grants: one token set per shop and per merchant. */
export interface ShopeeTokenGrant {
  /** Token sets to store, keyed by account id (`shopAccountId` / `merchantAccountId`). */
  tokenSets: TokenSet[];
  shopIds: string[];
  merchantIds: string[];
  /** The main account that authorized, for main-account grants. */
  mainAccountId?: string | undefined;
  requestId: string | undefined;
}

/** Options of {@link exchangeShopeeCode}. */
export interface ExchangeShopeeCodeOptions {
  /** A Shopee transport (the call is Public: no token). */
  transport: Transport;
  partnerId: number | string;
  code: string;
  /** From the redirect, for a shop-account authorization. */
  shopId?: string | number | undefined;
  /** From the redirect, for a main-account authorization. */
  mainAccountId?: string | number | undefined;
  clock?: Clock | undefined;
  signal?: AbortSignal | undefined;
}

function digitString(
  value: string | number | undefined,
  path: string,
  issues: FieldIssue[],
): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) {
    issues.push({ path, message: 'must be a whole number' });
    return undefined;
  }
  return text;
}

/**
 * Exchanges the redirect's `code` for tokens (`POST /api/v2/auth/token/get`, `partner_id` in the
 * query and the body). A shop grant gives one token set; a main-account grant gives one per shop
 * in `shop_id_list` and per merchant in `merchant_id_list`, all starting from the shared pair —
 * each account's first refresh then splits them into independent pairs.
 */
export async function exchangeShopeeCode(options: ExchangeShopeeCodeOptions): Promise<ShopeeTokenGrant> {
  const issues: FieldIssue[] = [];
  const partnerId = digitString(options.partnerId, 'partnerId', issues);
  const shopId = digitString(options.shopId, 'shopId', issues);
  const mainAccountId = digitString(options.mainAccountId, 'mainAccountId', issues);
  if (!options.code?.trim()) issues.push({ path: 'code', message: 'required' });
  if ((shopId === undefined) === (mainAccountId === undefined) && !issues.some((i) => i.path !== 'code')) {
    issues.push({ path: 'shopId', message: 'give exactly one of shopId or mainAccountId' });
  }
  if (issues.length > 0 || partnerId === undefined) {
    throw new ValidationError('Invalid Shopee code exchange', issues, { marketplace: SHOPEE });
  }
  const clock = options.clock ?? systemClock;
  const { response, requestId } = await callShopeeFlat(
    options.transport,
    {
      method: 'POST',
      path: SHOPEE_TOKEN_GET_PATH,
      body: {
        code: options.code.trim(),
        partner_id: jsonInteger(partnerId),
        ...(shopId !== undefined ? { shop_id: jsonInteger(shopId) } : {}),
        ...(mainAccountId !== undefined ? { main_account_id: jsonInteger(mainAccountId) } : {}),
      },
      operation: 'auth.token.get',
      signal: options.signal,
    },
    ShopeeTokenResponse,
  );
  const now = clock.now();
  const shopIds = unique([...(shopId !== undefined ? [shopId] : []), ...(response.shop_id_list ?? [])]);
  const merchantIds = unique(response.merchant_id_list ?? []);
  const base = {
    marketplace: SHOPEE,
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    expiresAt: shopeeExpiresAt(response.expire_in, now),
    refreshExpiresAt: now + SHOPEE_REFRESH_TOKEN_TTL_MS,
  };
  const grant = mainAccountId !== undefined ? { mainAccountId } : {};
  const tokenSets: TokenSet[] = [
    ...shopIds.map((id) => ({ ...base, accountId: shopAccountId(id), extra: { shopId: id, ...grant } })),
    ...merchantIds.map((id) => ({
      ...base,
      accountId: merchantAccountId(id),
      extra: { merchantId: id, ...grant },
    })),
  ];
  return { tokenSets, shopIds, merchantIds, ...grant, requestId };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Options of {@link refreshShopeeTokens}. */
export interface RefreshShopeeTokensOptions {
  transport: Transport;
  partnerId: number | string;
  /** The stored tokens of one shop or merchant (its account id says which). */
  current: TokenSet;
  clock?: Clock | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Refreshes one shop's or merchant's tokens (`POST /api/v2/auth/access_token/get`). The answer
 * carries a **new** refresh token; the old one is dead. Call it only through the core
 * `TokenManager` (see {@link shopeeTokenRefresher}), which persists the new pair before use.
 */
export async function refreshShopeeTokens(options: RefreshShopeeTokensOptions): Promise<TokenSet> {
  const { current } = options;
  const issues: FieldIssue[] = [];
  const partnerId = digitString(options.partnerId, 'partnerId', issues);
  if (!current.refreshToken) issues.push({ path: 'current.refreshToken', message: 'required to refresh' });
  if (issues.length > 0 || partnerId === undefined) {
    throw new ValidationError('Invalid Shopee token refresh', issues, { marketplace: SHOPEE });
  }
  const account = parseShopeeAccountId(current.accountId);
  const clock = options.clock ?? systemClock;
  const { response } = await callShopeeFlat(
    options.transport,
    {
      method: 'POST',
      path: SHOPEE_ACCESS_TOKEN_GET_PATH,
      body: {
        refresh_token: current.refreshToken,
        partner_id: jsonInteger(partnerId),
        [account.kind === 'shop' ? 'shop_id' : 'merchant_id']: jsonInteger(account.id),
      },
      // Unsigned by a token (a public path), but counted against this account's rate limit and retry budget.
      accountId: current.accountId,
      operation: 'auth.access_token.get',
      signal: options.signal,
    },
    ShopeeTokenResponse,
  );
  const now = clock.now();
  return {
    marketplace: SHOPEE,
    accountId: current.accountId,
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    expiresAt: shopeeExpiresAt(response.expire_in, now),
    refreshExpiresAt: now + SHOPEE_REFRESH_TOKEN_TTL_MS,
    extra: { ...(current.extra ?? {}), [account.kind === 'shop' ? 'shopId' : 'merchantId']: account.id },
  };
}

/**
 * The `refresh` function of a core `TokenManager` for Shopee.
 *
 * @example
 * const tokens = createTokenManager({
 *   marketplace: 'shopee',
 *   store,
 *   refresh: shopeeTokenRefresher({ transport, partnerId }),
 * });
 */
export function shopeeTokenRefresher(options: {
  transport: Transport;
  partnerId: number | string;
  clock?: Clock | undefined;
}): (current: StoredTokenSet) => Promise<TokenSet> {
  return (current) =>
    refreshShopeeTokens({
      transport: options.transport,
      partnerId: options.partnerId,
      current,
      clock: options.clock,
    });
}
