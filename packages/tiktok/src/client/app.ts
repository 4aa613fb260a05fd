import {
  buildAppModules,
  createMemoryCache,
  createTokenManager,
  type StoredTokenSet,
  type TokenManager,
  type TokenStore,
  type Transport,
} from '@mlh/core';
import { getAuthorizedShops } from '../api/authorization';
import {
  getTikTokAccessToken,
  refreshTikTokTokens,
  type TikTokGrant,
  type TikTokMarket,
  tiktokAuthorizationUrl,
  tiktokTokenExtra,
  tiktokTokenSet,
} from '../auth';
import { TIKTOK } from '../mappers';
import type { TikTokAuthorizedShop } from '../schemas';
import {
  createTikTokAuthTransport,
  createTikTokTransport,
  type TikTokEmptyBodySignature,
  type TikTokPassThroughOptions,
} from '../transport';
import { createTikTokShopClient, TIKTOK_MODULES, type TikTokShopClient } from './account';
import type { TikTokLeanClient } from './compose';
import type { TikTokShopClientOptions } from './context';
import type { TikTokEventsApp } from './events';
import type { TikTokAppContext, TikTokClientModule } from './module';

/** Options of {@link createTikTokShop}. */
export interface CreateTikTokShopOptions extends TikTokPassThroughOptions {
  /** `TIKTOK_APP_KEY`. */
  appKey: string;
  /** `TIKTOK_APP_SECRET`. */
  appSecret: string;
  /** `TIKTOK_SERVICE_ID`: the Service ID of the authorization URL (not the app key). */
  serviceId?: string | undefined;
  /** Which authorization page sellers go to by default: `global` (default) or `US`. */
  market?: TikTokMarket | undefined;
  /** Where tokens live, one entry per shop (wrap it in core `EncryptedTokenStore`). */
  tokenStore: TokenStore;
  /** Default `https://open-api.tiktokglobalshop.com`. */
  apiBaseUrl?: string | undefined;
  /** Default `https://auth.tiktok-shops.com`. */
  authBaseUrl?: string | undefined;
  /** Overrides the authorization page of both markets (a sandbox). */
  authorizeBaseUrl?: string | undefined;
  /** Refresh this long before the access token expires. Default 5 minutes. */
  refreshMarginMs?: number | undefined;
  /** How a body of `{}` is signed (server rule undocumented): `bytes` (default) or `skipped`. */
  emptyBodySignature?: TikTokEmptyBodySignature | undefined;
  /** Defaults of every client made by `forAccount`. */
  clientDefaults?: Omit<TikTokShopClientOptions, 'transport' | 'accountId'> | undefined;
}

/** What the code exchange produced: the grant, the shops it covers, and the stored token sets. */
export interface TikTokAuthorization {
  grant: TikTokGrant;
  shops: TikTokAuthorizedShop[];
  /** One per shop (or one under the seller's `open_id` when the grant covers no shop). */
  tokenSets: StoredTokenSet[];
}

/**
 * The app without optional modules: app credentials, tokens, shop ciphers and per-shop clients
 * (`Client`: the full `TikTokShopClient`, or the lean client with the modules given to
 * `@mlh/tiktok/lean`). Modules add their own members (`tiktokEvents`: `webhookSource`).
 */
export interface TikTokShopLeanApp<Client extends TikTokLeanClient = TikTokLeanClient> {
  readonly transport: Transport;
  readonly authTransport: Transport;
  readonly tokens: TokenManager;
  /** The authorization page for a seller; `market` overrides the default. */
  authorizationUrl(options: { state: string; market?: TikTokMarket }): string;
  /** Exchanges the redirect's code, asks for the authorized shops, and saves one token set per shop. */
  exchangeCode(code: string): Promise<TikTokAuthorization>;
  /** The shops the seller of `accountId` authorized (fresh from TikTok). */
  authorizedShops(accountId: string): Promise<TikTokAuthorizedShop[]>;
  /** The shop's cipher: from memory, the token store, or TikTok, in that order. */
  shopCipher(accountId: string): Promise<string | undefined>;
  /** Asks TikTok for the shop's cipher again and stores it (after a `106013` or a shop change). */
  refreshShopCipher(accountId: string): Promise<string | undefined>;
  /** The client of one shop (`shop_id`). Cheap; clients share the transport and tokens. */
  forAccount(accountId: string, options?: Omit<TikTokShopClientOptions, 'transport' | 'accountId'>): Client;
}

/** The TikTok Shop entry point: app credentials, tokens and shop ciphers shared by every shop. */
export interface TikTokShop extends TikTokShopLeanApp<TikTokShopClient>, TikTokEventsApp {}

/**
 * The convenience entry most apps start from.
 *
 * @example
 * const tiktok = createTikTokShop({
 *   appKey: process.env.TIKTOK_APP_KEY!,
 *   appSecret: process.env.TIKTOK_APP_SECRET!,
 *   serviceId: process.env.TIKTOK_SERVICE_ID!,
 *   tokenStore: new EncryptedTokenStore(myStore, { key }),
 * });
 * res.redirect(tiktok.authorizationUrl({ state }));
 * // on the redirect:
 * const { shops } = await tiktok.exchangeCode(code);
 * const client = tiktok.forAccount(shops[0].id);
 */
export function createTikTokShop(options: CreateTikTokShopOptions): TikTokShop {
  return buildTikTokShop(options, createTikTokShopClient, TIKTOK_MODULES) as TikTokShop;
}

/**
 * The app of {@link createTikTokShop} over a client maker and the modules' app-level members: the
 * full entry passes the client and every module, `@mlh/tiktok/lean` the app's.
 */
export function buildTikTokShop<Client extends TikTokLeanClient>(
  options: CreateTikTokShopOptions,
  makeClient: (clientOptions: TikTokShopClientOptions) => Client,
  modules: readonly TikTokClientModule[],
): TikTokShopLeanApp<Client> {
  const {
    appKey,
    appSecret,
    serviceId,
    market,
    tokenStore,
    apiBaseUrl,
    authBaseUrl,
    authorizeBaseUrl,
    refreshMarginMs,
    clientDefaults,
    emptyBodySignature,
    ...passThrough
  } = options;
  // One category cache for every shop's client, so per-request clients still hit a warm cache.
  const sharedCache = clientDefaults?.cache?.cache ?? createMemoryCache({ clock: passThrough.clock });
  const authTransport = createTikTokAuthTransport({
    ...passThrough,
    ...(authBaseUrl ? { baseUrl: authBaseUrl } : {}),
  });
  const authOptions = { appKey, appSecret, authTransport, clock: passThrough.clock };
  const refreshOnce = refreshTikTokTokens(authOptions);

  const tokens = createTokenManager({
    marketplace: TIKTOK,
    store: tokenStore,
    ...(refreshMarginMs === undefined ? {} : { refreshMarginMs }),
    ...(passThrough.clock ? { clock: passThrough.clock } : {}),
    ...(passThrough.logger ? { logger: passThrough.logger } : {}),
    async refresh(current) {
      const next = await refreshOnce(current);
      await shareWithSiblings(current, next);
      return next;
    },
  });

  /** Shops of one authorization share its tokens: hand the renewed pair to the others too. */
  async function shareWithSiblings(current: StoredTokenSet, next: Awaited<ReturnType<typeof refreshOnce>>) {
    for (const siblingId of tiktokTokenExtra(current).siblingShopIds ?? []) {
      try {
        const sibling = await tokenStore.get(TIKTOK, siblingId);
        if (!sibling || sibling.refreshToken !== current.refreshToken) continue;
        const { version, ...fields } = sibling;
        await tokenStore.set(
          {
            ...fields,
            accessToken: next.accessToken,
            refreshToken: next.refreshToken,
            expiresAt: next.expiresAt,
            refreshExpiresAt: next.refreshExpiresAt,
            scopes: next.scopes ?? sibling.scopes,
            reauthorizationRequired: false,
          },
          { expectedVersion: version },
        );
      } catch {
        // Best effort: the sibling refreshes on its own when it needs to.
      }
    }
  }

  const ciphers = new Map<string, string>();
  const cipherLookups = new Map<string, Promise<string | undefined>>();

  async function fetchShops(accountId: string): Promise<TikTokAuthorizedShop[]> {
    const shops = await getAuthorizedShops({ transport, accountId });
    for (const shop of shops) ciphers.set(shop.id, shop.cipher);
    return shops;
  }

  function shopCipher(accountId: string): Promise<string | undefined> {
    const cached = ciphers.get(accountId);
    if (cached) return Promise.resolve(cached);
    let lookup = cipherLookups.get(accountId);
    if (!lookup) {
      lookup = (async () => {
        const stored = tiktokTokenExtra(await tokens.getTokenSet(accountId)).shopCipher;
        if (stored) {
          ciphers.set(accountId, stored);
          return stored;
        }
        await fetchShops(accountId);
        return ciphers.get(accountId);
      })().finally(() => cipherLookups.delete(accountId));
      cipherLookups.set(accountId, lookup);
    }
    return lookup;
  }

  const transport = createTikTokTransport({
    ...passThrough,
    appKey,
    appSecret,
    ...(apiBaseUrl ? { baseUrl: apiBaseUrl } : {}),
    tokens,
    shopCipher,
    ...(emptyBodySignature ? { emptyBodySignature } : {}),
  });
  const app: TikTokAppContext = { options, transport };

  return {
    transport,
    authTransport,
    tokens,
    authorizationUrl({ state, market: chosen }) {
      return tiktokAuthorizationUrl({
        serviceId: serviceId ?? '',
        state,
        market: chosen ?? market,
        authorizeBaseUrl,
      });
    },
    async exchangeCode(code) {
      // Sent as `idempotent: false` (a single-use code): never repeated after a timeout or a 5xx.
      const grant = await getTikTokAccessToken({ ...authOptions, code });
      const shops = await getAuthorizedShops({ transport, accessToken: grant.accessToken });
      const sets =
        shops.length > 0
          ? shops.map((shop) =>
              tiktokTokenSet(
                grant,
                shop,
                shops.filter((other) => other.id !== shop.id).map((other) => other.id),
              ),
            )
          : grant.openId
            ? [tiktokTokenSet(grant, { id: grant.openId })]
            : [];
      const tokenSets: StoredTokenSet[] = [];
      for (const set of sets) tokenSets.push(await tokens.saveTokenSet(set));
      for (const shop of shops) ciphers.set(shop.id, shop.cipher);
      return { grant, shops, tokenSets };
    },
    authorizedShops: fetchShops,
    shopCipher,
    async refreshShopCipher(accountId) {
      ciphers.delete(accountId);
      await fetchShops(accountId);
      const cipher = ciphers.get(accountId);
      const stored = await tokens.getTokenSet(accountId);
      if (cipher && stored && tiktokTokenExtra(stored).shopCipher !== cipher) {
        const { version, ...fields } = stored;
        await tokenStore.set(
          { ...fields, extra: { ...(stored.extra ?? {}), shopCipher: cipher } },
          { expectedVersion: version },
        );
      }
      return cipher;
    },
    forAccount(accountId, clientOptions) {
      return makeClient({
        ...(passThrough.clock ? { clock: passThrough.clock } : {}),
        ...clientDefaults,
        ...clientOptions,
        cache: {
          ...clientDefaults?.cache,
          ...clientOptions?.cache,
          cache: clientOptions?.cache?.cache ?? sharedCache,
        },
        transport,
        accountId,
      });
    },
    ...buildAppModules(app, modules),
  };
}
