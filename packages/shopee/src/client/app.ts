import {
  type CacheSettings,
  type Clock,
  createMemoryCache,
  createTokenManager,
  systemClock,
  type TokenManager,
  type TokenStore,
  type Transport,
  type WebhookSource,
} from '@mlh/core';
import * as pushApi from '../api/push';
import {
  buildShopeeAuthorizationUrl,
  buildShopeeCancelAuthorizationUrl,
  exchangeShopeeCode,
  type ShopeeAuthorizationCallback,
  type ShopeeTokenGrant,
  shopeeTokenRefresher,
} from '../auth';
import {
  createShopeeTransport,
  SHOPEE,
  type ShopeeEnvironment,
  type ShopeeListEncoding,
  type ShopeePassThroughOptions,
  type ShopeeRegion,
  shopAccountId,
} from '../transport';
import { shopeeWebhookSource } from '../webhooks';
import { createShopeeClient, type ShopeeClient } from './account';
import { invalid } from './checks';
import { lostPushEvents } from './events';
import type { BoundShopeeCall } from './raw';

/** Options of {@link createShopee}. */
export interface CreateShopeeOptions extends ShopeePassThroughOptions {
  /** `SHOPEE_PARTNER_ID`. */
  partnerId: number | string;
  /** `SHOPEE_PARTNER_KEY`, verbatim. */
  partnerKey: string;
  environment?: ShopeeEnvironment | undefined;
  region?: ShopeeRegion | undefined;
  baseUrl?: string | undefined;
  /** Where tokens live (wrap it in core `EncryptedTokenStore` in production). */
  tokenStore: TokenStore;
  /** Refresh this long before expiry. Default 5 minutes. */
  refreshMarginMs?: number | undefined;
  /** `SHOPEE_REDIRECT_URL`: the default redirect of authorization links. */
  redirectUrl?: string | undefined;
  /** The Console's Live Push Partner Key; pushes are verified with it and the partner key. */
  pushPartnerKey?: string | undefined;
  listEncoding?: ShopeeListEncoding | undefined;
  /** Shop currency, see {@link ShopeeClientOptions.currency}. */
  currency?: string | undefined;
  /** Default shop market (`BR`, …) of every client; see {@link ShopeeClientOptions.market}. */
  market?: string | undefined;
  /**
   * Category cache of every shop's client (store, TTLs per kind, key prefix). Default: one
   * in-memory cache shared by the clients of this app; give Redis or your own for several processes.
   */
  cache?: CacheSettings | undefined;
}

/** Per-shop settings of {@link Shopee.forShop} / {@link Shopee.forAccount}, over the app's defaults. */
export interface ShopeeShopSettings {
  /** The shop's currency (`BRL`, `VND`, …). */
  currency?: string | undefined;
  /** The shop's market (`BR`, `VN`, …). */
  market?: string | undefined;
}

/**
 * The app-level `push` calls (Public APIs: they act on every shop that authorized the app).
 *
 * @example
 * await shopee.push.setAppPushConfig({ callbackUrl: 'https://app.example.com/shopee/push', pushConfigOn: [3, 4] });
 * const { live_push_status } = await shopee.push.getAppPushConfig(); // alert on Warning / Suspended
 */
export interface ShopeeAppPushApi {
  getAppPushConfig: BoundShopeeCall<typeof pushApi.getAppPushConfig>;
  setAppPushConfig: BoundShopeeCall<typeof pushApi.setAppPushConfig>;
  getLostPushMessages: BoundShopeeCall<typeof pushApi.getLostPushMessages>;
  confirmConsumedLostPushMessages: BoundShopeeCall<typeof pushApi.confirmConsumedLostPushMessages>;
  /** Lost pushes, each page confirmed once you asked for more after it (see `drainLostPushes`). */
  drainLostPushes: BoundShopeeCall<typeof pushApi.drainLostPushes>;
  /** The same, as core events of every shop (what `recoverMissedEvents` yields). */
  lostPushEvents: BoundShopeeCall<typeof lostPushEvents>;
}

/** What {@link createShopee} returns: one app's transport, tokens and per-shop clients. */
export interface Shopee {
  readonly transport: Transport;
  readonly tokens: TokenManager;
  /** Push configuration and lost-push recovery, for the whole app. */
  readonly push: ShopeeAppPushApi;
  /** A signed authorization link (valid 5 minutes). */
  authorizationUrl(options?: { redirectUrl?: string | undefined }): Promise<string>;
  /** A signed deauthorization link. */
  cancelAuthorizationUrl(options?: { redirectUrl?: string | undefined }): Promise<string>;
  /** Exchanges the redirect's code and saves one token set per shop/merchant granted. */
  exchangeCode(callback: ShopeeAuthorizationCallback): Promise<ShopeeTokenGrant>;
  /** The client of an account (a shop id, as stored by `exchangeCode`). */
  forAccount(accountId: string, settings?: ShopeeShopSettings): ShopeeClient;
  /** The client of a shop, e.g. `forShop(shopId, { market: 'BR', currency: 'BRL' })`. */
  forShop(shopId: string | number, settings?: ShopeeShopSettings): ShopeeClient;
  /** A core `WebhookSource` verifying pushes with the push key and the partner key. */
  webhookSource(options: {
    callbackUrl: string;
    partnerKeys?: string | readonly string[] | undefined;
    /** Replay window in seconds (default 24 hours; `0` turns it off). */
    toleranceSeconds?: number | undefined;
  }): WebhookSource;
}

/**
 * The entry most applications start from: one transport and one token manager for the app,
 * authorization helpers, and cheap immutable per-shop clients.
 *
 * @example
 * const shopee = createShopee({
 *   partnerId: Number(process.env.SHOPEE_PARTNER_ID),
 *   partnerKey: process.env.SHOPEE_PARTNER_KEY!,
 *   redirectUrl: process.env.SHOPEE_REDIRECT_URL,
 *   environment: 'sandbox',
 *   tokenStore: new MemoryTokenStore(),
 * });
 * const client = shopee.forShop(process.env.SHOPEE_SHOP_ID!);
 */
export function createShopee(options: CreateShopeeOptions): Shopee {
  const {
    tokenStore,
    refreshMarginMs,
    redirectUrl: defaultRedirect,
    pushPartnerKey,
    listEncoding,
    currency,
    market,
    cache,
    ...transportOptions
  } = options;
  // One store for every shop's client, so per-request clients still hit a warm cache.
  const cacheSettings: CacheSettings = {
    ...cache,
    cache: cache?.cache ?? createMemoryCache({ clock: options.clock }),
  };
  let manager: TokenManager | undefined;
  const transport = createShopeeTransport({
    ...transportOptions,
    tokens: {
      getAccessToken: (accountId, request) => (manager as TokenManager).getAccessToken(accountId, request),
    },
  });
  const tokens = createTokenManager({
    marketplace: SHOPEE,
    store: tokenStore,
    refresh: shopeeTokenRefresher({ transport, partnerId: options.partnerId, clock: options.clock }),
    ...(refreshMarginMs !== undefined ? { refreshMarginMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  manager = tokens;

  const link = (build: typeof buildShopeeAuthorizationUrl, redirectUrl: string | undefined) => {
    const target = redirectUrl ?? defaultRedirect;
    if (!target) {
      throw invalid('authorization link', [
        { path: 'redirectUrl', message: 'required (or set it in createShopee)' },
      ]);
    }
    return build({
      partnerId: options.partnerId,
      partnerKey: options.partnerKey,
      redirectUrl: target,
      environment: options.environment,
      region: options.region,
      baseUrl: options.baseUrl,
      now: (options.clock ?? systemClock).now(),
    });
  };

  const forAccount = (accountId: string, settings: ShopeeShopSettings = {}): ShopeeClient =>
    createShopeeClient({
      transport,
      accountId,
      listEncoding,
      currency: settings.currency ?? currency,
      market: settings.market ?? market,
      clock: options.clock,
      fetch: options.fetch,
      cache: cacheSettings,
    });

  // Public APIs need no account; this name only keys the app's own rate-limit bucket.
  const appScope: pushApi.ShopeeAppScope = { transport, accountId: `partner:${options.partnerId}` };
  const push: ShopeeAppPushApi = Object.freeze({
    getAppPushConfig: () => pushApi.getAppPushConfig(appScope),
    setAppPushConfig: (input) => pushApi.setAppPushConfig(appScope, input),
    getLostPushMessages: () => pushApi.getLostPushMessages(appScope),
    confirmConsumedLostPushMessages: (id) => pushApi.confirmConsumedLostPushMessages(appScope, id),
    drainLostPushes: (drainOptions) => pushApi.drainLostPushes(appScope, drainOptions),
    lostPushEvents: (drainOptions) =>
      lostPushEvents(appScope, { now: () => (options.clock ?? systemClock).now(), ...drainOptions }),
  } satisfies ShopeeAppPushApi);

  const shopee: Shopee = {
    transport,
    tokens,
    push,
    authorizationUrl: (linkOptions = {}) => link(buildShopeeAuthorizationUrl, linkOptions.redirectUrl),
    cancelAuthorizationUrl: (linkOptions = {}) =>
      link(buildShopeeCancelAuthorizationUrl, linkOptions.redirectUrl),
    async exchangeCode(callback) {
      const grant = await exchangeShopeeCode({
        transport,
        partnerId: options.partnerId,
        code: callback.code,
        shopId: callback.shopId,
        mainAccountId: callback.mainAccountId,
        clock: options.clock,
      });
      for (const tokenSet of grant.tokenSets) await tokens.saveTokenSet(tokenSet);
      return grant;
    },
    forAccount,
    forShop: (shopId, settings) => forAccount(shopAccountId(shopId), settings),
    webhookSource: (sourceOptions) =>
      shopeeWebhookSource({
        callbackUrl: sourceOptions.callbackUrl,
        partnerKeys:
          sourceOptions.partnerKeys ??
          [pushPartnerKey, options.partnerKey].filter(
            (key): key is string => typeof key === 'string' && key !== '',
          ),
        toleranceSeconds: sourceOptions.toleranceSeconds,
        now: options.clock ? () => (options.clock as Clock).now() : undefined,
      }),
  };
  return Object.freeze(shopee);
}
