import {
  buildAppModules,
  type CacheSettings,
  createMemoryCache,
  createTokenManager,
  systemClock,
  type TokenManager,
  type TokenStore,
  type Transport,
} from '@mlh/core';
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
import { createShopeeClient, SHOPEE_MODULES, type ShopeeClient } from './account';
import { invalid } from './checks';
import type { ShopeeLeanClient } from './compose';
import type { ShopeeClientOptions } from './context';
import type { ShopeeEventsApp } from './events';
import type { ShopeeAppContext, ShopeeClientModule } from './module';

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
  /** Default of every client; see {@link ShopeeClientOptions.sellerIssuesInvoices}. */
  sellerIssuesInvoices?: boolean | 'auto' | undefined;
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
  /** Brazil: whether the shop issues its own NF-e; see {@link ShopeeClientOptions.sellerIssuesInvoices}. */
  sellerIssuesInvoices?: boolean | 'auto' | undefined;
}

/**
 * The app without optional modules: transport, tokens, authorization and per-shop clients
 * (`Client`: the full `ShopeeClient`, or the lean client with the modules given to
 * `@mlh/shopee/lean`). Modules add their own members (`shopeeEvents`: `push`, `webhookSource`).
 */
export interface ShopeeLeanApp<Client extends ShopeeLeanClient = ShopeeLeanClient> {
  readonly transport: Transport;
  readonly tokens: TokenManager;
  /** A signed authorization link (valid 5 minutes). */
  authorizationUrl(options?: { redirectUrl?: string | undefined }): Promise<string>;
  /** A signed deauthorization link. */
  cancelAuthorizationUrl(options?: { redirectUrl?: string | undefined }): Promise<string>;
  /** Exchanges the redirect's code and saves one token set per shop/merchant granted. */
  exchangeCode(callback: ShopeeAuthorizationCallback): Promise<ShopeeTokenGrant>;
  /** The client of an account (a shop id, as stored by `exchangeCode`). */
  forAccount(accountId: string, settings?: ShopeeShopSettings): Client;
  /** The client of a shop, e.g. `forShop(shopId, { market: 'BR', currency: 'BRL' })`. */
  forShop(shopId: string | number, settings?: ShopeeShopSettings): Client;
}

/** What {@link createShopee} returns: one app's transport, tokens, pushes and per-shop clients. */
export interface Shopee extends ShopeeLeanApp<ShopeeClient>, ShopeeEventsApp {}

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
  return buildShopee(options, createShopeeClient, SHOPEE_MODULES) as Shopee;
}

/**
 * The app of {@link createShopee} over a client maker and the modules' app-level members: the full
 * entry passes the client and every module, `@mlh/shopee/lean` the app's.
 */
export function buildShopee<Client extends ShopeeLeanClient>(
  options: CreateShopeeOptions,
  makeClient: (clientOptions: ShopeeClientOptions) => Client,
  modules: readonly ShopeeClientModule[],
): ShopeeLeanApp<Client> {
  const {
    tokenStore,
    refreshMarginMs,
    redirectUrl: defaultRedirect,
    // Read by the events module, through `options`.
    pushPartnerKey: _pushPartnerKey,
    listEncoding,
    currency,
    market,
    sellerIssuesInvoices,
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

  const forAccount = (accountId: string, settings: ShopeeShopSettings = {}): Client =>
    makeClient({
      transport,
      accountId,
      listEncoding,
      currency: settings.currency ?? currency,
      market: settings.market ?? market,
      sellerIssuesInvoices: settings.sellerIssuesInvoices ?? sellerIssuesInvoices,
      clock: options.clock,
      fetch: options.fetch,
      cache: cacheSettings,
    });

  const app: ShopeeAppContext = { options, transport, clock: options.clock ?? systemClock };
  const shopee: ShopeeLeanApp<Client> = {
    transport,
    tokens,
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
    ...buildAppModules(app, modules),
  };
  return Object.freeze(shopee);
}
