import {
  type Clock,
  parseSecureUrl,
  type StoredTokenSet,
  systemClock,
  type TokenSet,
  type Transport,
  ValidationError,
} from '@mlh/core';
import { TIKTOK } from './mappers';
import { type TikTokAuthorizedShop, TikTokTokenData } from './schemas';
import { callTikTok } from './transport';

/** Which seller authorization page to use: US shops authorize on the US service host. */
export type TikTokMarket = 'global' | 'US';

/** The seller authorization pages, by market. */
export const TIKTOK_AUTHORIZE_URLS: Readonly<Record<TikTokMarket, string>> = Object.freeze({
  global: 'https://services.tiktokshop.com/open/authorize',
  US: 'https://services.us.tiktokshop.com/open/authorize',
});

/** Options of {@link tiktokAuthorizationUrl}. */
export interface TikTokAuthorizationUrlOptions {
  /** The app's Service ID from Partner Center (a long number): **not** the app key. */
  serviceId: string;
  /** An opaque anti-CSRF value; TikTok sends it back with the code. */
  state: string;
  /** `US` for shops in the United States, `global` (default) for the rest of the world. */
  market?: TikTokMarket | undefined;
  /** Overrides the authorization page (e.g. a sandbox). */
  authorizeBaseUrl?: string | undefined;
}

/**
 * The page to send a seller to. The redirect URL and the scopes are configured on the app in
 * Partner Center, not in this URL.
 *
 * @example
 * tiktokAuthorizationUrl({ serviceId: process.env.TIKTOK_SERVICE_ID!, state: 'csrf-123', market: 'US' })
 * // → 'https://services.us.tiktokshop.com/open/authorize?service_id=...&state=csrf-123'
 */
export function tiktokAuthorizationUrl(options: TikTokAuthorizationUrlOptions): string {
  const issues = [
    ...(options.serviceId.trim()
      ? []
      : [{ path: 'serviceId', message: 'required (the Service ID, not the app key)' }]),
    ...(options.state
      ? []
      : [{ path: 'state', message: 'required: an anti-CSRF value you check on the redirect' }]),
  ];
  if (issues.length > 0)
    throw new ValidationError('Invalid TikTok authorization URL options', issues, { marketplace: TIKTOK });
  const url = parseSecureUrl(
    options.authorizeBaseUrl ?? TIKTOK_AUTHORIZE_URLS[options.market ?? 'global'],
    'authorizeBaseUrl',
    TIKTOK,
    'Invalid TikTok authorization URL options',
  );
  url.searchParams.set('service_id', options.serviceId);
  url.searchParams.set('state', options.state);
  return url.toString();
}

/** A seller's tokens as TikTok grants them (one grant can cover several shops). Times are epoch ms. */
export interface TikTokGrant {
  accessToken: string;
  /** When the access token expires (epoch ms), from the absolute `access_token_expire_in`. */
  expiresAt: number;
  refreshToken: string;
  /** When the refresh token expires (epoch ms), from the absolute `refresh_token_expire_in`. */
  refreshExpiresAt: number | undefined;
  /** The seller's stable id for this app. */
  openId: string | undefined;
  sellerName: string | undefined;
  sellerBaseRegion: string | undefined;
  /** `0` seller, `1` creator. */
  userType: number | undefined;
  scopes: string[] | undefined;
}

/** App credentials and the auth-host transport (`createTikTokAuthTransport`). */
export interface TikTokAuthOptions {
  appKey: string;
  appSecret: string;
  /** A transport on the auth host (`https://auth.tiktok-shops.com`). */
  authTransport: Transport;
  /** Only used to recognise an expiry sent as a duration instead of a time; default the system clock. */
  clock?: Clock | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * `*_expire_in` are absolute Unix times in seconds despite their names. A value too small to be a
 * time (before 2001) is read as a duration from now, in case TikTok ever sends one.
 */
export function tiktokExpiryToMs(value: number, nowMs: number): number {
  return value < 1_000_000_000 ? nowMs + value * 1000 : value * 1000;
}

function toGrant(data: TikTokTokenData, nowMs: number): TikTokGrant {
  return {
    accessToken: data.access_token,
    expiresAt: tiktokExpiryToMs(data.access_token_expire_in, nowMs),
    refreshToken: data.refresh_token,
    refreshExpiresAt:
      data.refresh_token_expire_in === undefined
        ? undefined
        : tiktokExpiryToMs(data.refresh_token_expire_in, nowMs),
    openId: data.open_id,
    sellerName: data.seller_name,
    sellerBaseRegion: data.seller_base_region,
    userType: data.user_type,
    scopes: data.granted_scopes,
  };
}

async function tokenCall(
  options: TikTokAuthOptions,
  path: string,
  query: Record<string, string>,
  operation: string,
  idempotent?: boolean,
  accountId?: string,
): Promise<TikTokGrant> {
  const { data } = await callTikTok(
    { transport: options.authTransport, signal: options.signal, accountId, auth: false },
    {
      method: 'GET',
      path,
      query: { app_key: options.appKey, app_secret: options.appSecret, ...query },
      operation,
      ...(idempotent === undefined ? {} : { idempotent }),
    },
    TikTokTokenData,
    operation,
  );
  return toGrant(data, (options.clock ?? systemClock).now());
}

/**
 * Exchanges the authorization code from the redirect for tokens: `GET /api/v2/token/get` on the
 * auth host with `grant_type=authorized_code` (TikTok's spelling). Unsigned.
 *
 * The code is single-use, so the call is sent as `idempotent: false`: the transport does not
 * repeat it after a timeout or a 5xx (the code may already be spent, and a retry would only report
 * "code already used" instead of the real failure; ask the seller to authorize again instead). A
 * rate-limit refusal (429) is still retried: TikTok did not process it.
 */
export function getTikTokAccessToken(options: TikTokAuthOptions & { code: string }): Promise<TikTokGrant> {
  if (!options.code) {
    throw new ValidationError('Invalid TikTok code exchange', [{ path: 'code', message: 'required' }], {
      marketplace: TIKTOK,
    });
  }
  return tokenCall(
    options,
    '/api/v2/token/get',
    { auth_code: options.code, grant_type: 'authorized_code' },
    'auth.token_get',
    false,
  );
}

/**
 * Renews the tokens: `GET /api/v2/token/refresh` with `grant_type=refresh_token`. Unsigned. With
 * `accountId` (a shop the tokens are for), the call counts against that shop's rate limit and retry
 * budget instead of the one all calls without an account share.
 */
export function refreshTikTokAccessToken(
  options: TikTokAuthOptions & { refreshToken: string; accountId?: string | undefined },
): Promise<TikTokGrant> {
  if (!options.refreshToken) {
    throw new ValidationError(
      'Invalid TikTok token refresh',
      [{ path: 'refreshToken', message: 'required' }],
      {
        marketplace: TIKTOK,
      },
    );
  }
  return tokenCall(
    options,
    '/api/v2/token/refresh',
    { refresh_token: options.refreshToken, grant_type: 'refresh_token' },
    'auth.token_refresh',
    undefined,
    options.accountId,
  );
}

/** What a TikTok `TokenSet` keeps in `extra`: the seller and the shop it is for. */
export interface TikTokTokenExtra {
  openId?: string | undefined;
  sellerName?: string | undefined;
  sellerBaseRegion?: string | undefined;
  userType?: number | undefined;
  /** The shop's `shop_cipher`. */
  shopCipher?: string | undefined;
  shopName?: string | undefined;
  shopRegion?: string | undefined;
  /** `LOCAL` or `CROSS_BORDER`. */
  sellerType?: string | undefined;
  shopCode?: string | undefined;
  /** The other shops of the same authorization, which share these tokens. */
  siblingShopIds?: readonly string[] | undefined;
}

function definedOnly(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/**
 * The core `TokenSet` of one shop from a grant: TikTok accounts are shops (their id is the
 * `shop_id` of webhooks), so the seller's tokens are stored once per shop, with the shop's cipher.
 */
export function tiktokTokenSet(
  grant: TikTokGrant,
  shop: Pick<TikTokAuthorizedShop, 'id'> & Partial<TikTokAuthorizedShop>,
  siblingShopIds: readonly string[] = [],
): TokenSet {
  const extra: TikTokTokenExtra = {
    openId: grant.openId,
    sellerName: grant.sellerName,
    sellerBaseRegion: grant.sellerBaseRegion,
    userType: grant.userType,
    shopCipher: shop.cipher,
    shopName: shop.name,
    shopRegion: shop.region,
    sellerType: shop.seller_type,
    shopCode: shop.code,
    siblingShopIds: siblingShopIds.length > 0 ? siblingShopIds : undefined,
  };
  return {
    marketplace: TIKTOK,
    accountId: shop.id,
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken,
    expiresAt: grant.expiresAt,
    ...(grant.refreshExpiresAt === undefined ? {} : { refreshExpiresAt: grant.refreshExpiresAt }),
    ...(grant.scopes ? { scopes: grant.scopes } : {}),
    extra: definedOnly({ ...extra }),
  };
}

/** Reads the TikTok fields of a stored token set's `extra`. */
export function tiktokTokenExtra(tokens: Pick<TokenSet, 'extra'> | undefined): TikTokTokenExtra {
  const extra = (tokens?.extra ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof extra[key] === 'string' ? (extra[key] as string) : undefined);
  const siblings = Array.isArray(extra.siblingShopIds)
    ? (extra.siblingShopIds as unknown[]).filter((id): id is string => typeof id === 'string')
    : undefined;
  return {
    openId: text('openId'),
    sellerName: text('sellerName'),
    sellerBaseRegion: text('sellerBaseRegion'),
    userType: typeof extra.userType === 'number' ? extra.userType : undefined,
    shopCipher: text('shopCipher'),
    shopName: text('shopName'),
    shopRegion: text('shopRegion'),
    sellerType: text('sellerType'),
    shopCode: text('shopCode'),
    siblingShopIds: siblings,
  };
}

/**
 * A `refresh` function for core `createTokenManager`: renews the shop's tokens and keeps its shop
 * fields (cipher, seller). Concurrent refreshes with the same refresh token (two shops of one
 * authorization expiring together) share one call in this process, so a refresh token is never
 * spent twice here.
 *
 * @example
 * const tokens = createTokenManager({ marketplace: 'tiktok', store, refresh: refreshTikTokTokens(auth) });
 */
export function refreshTikTokTokens(
  options: TikTokAuthOptions,
): (current: StoredTokenSet | TokenSet) => Promise<TokenSet> {
  const inFlight = new Map<string, Promise<TikTokGrant>>();
  return async (current) => {
    const refreshToken = current.refreshToken;
    if (!refreshToken) {
      throw new ValidationError(
        `TikTok shop ${current.accountId} has no refresh token`,
        [{ path: 'refreshToken', message: 'missing: the seller must authorize the app again' }],
        { marketplace: TIKTOK },
      );
    }
    let pending = inFlight.get(refreshToken);
    if (!pending) {
      pending = refreshTikTokAccessToken({ ...options, refreshToken, accountId: current.accountId });
      inFlight.set(refreshToken, pending);
      pending.then(
        () => inFlight.delete(refreshToken),
        () => inFlight.delete(refreshToken),
      );
    }
    const grant = await pending;
    const extra = tiktokTokenExtra(current);
    return {
      marketplace: TIKTOK,
      accountId: current.accountId,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      expiresAt: grant.expiresAt,
      ...(grant.refreshExpiresAt === undefined ? {} : { refreshExpiresAt: grant.refreshExpiresAt }),
      ...(grant.scopes ? { scopes: grant.scopes } : current.scopes ? { scopes: current.scopes } : {}),
      extra: definedOnly({
        ...(current.extra ?? {}),
        ...extra,
        openId: grant.openId ?? extra.openId,
        sellerName: grant.sellerName ?? extra.sellerName,
        sellerBaseRegion: grant.sellerBaseRegion ?? extra.sellerBaseRegion,
        userType: grant.userType ?? extra.userType,
      }),
    };
  };
}
