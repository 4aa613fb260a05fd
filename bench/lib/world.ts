import { type MarketplaceClient, MemoryTokenStore, type TokenSet, type WebhookSource } from '@mlh/core';
import { createMeli } from '@mlh/meli';
import { createShopee, shopAccountId } from '@mlh/shopee';
import {
  createMeliSandbox,
  createShopeeSandbox,
  createTikTokSandbox,
  type MeliSandbox,
  type ShopeeSandbox,
  type TikTokSandbox,
} from '@mlh/testing';
import { createTikTokShop } from '@mlh/tiktok';
import { getResponse, type RequestHandler } from 'msw';

/** The marketplaces, in the order every table lists them. */
export const MARKETPLACES = ['meli', 'shopee', 'tiktok'] as const;
/** One of {@link MARKETPLACES}. */
export type Marketplace = (typeof MARKETPLACES)[number];
/** Display names. */
export const MARKETPLACE_NAMES: Record<Marketplace, string> = {
  meli: 'Mercado Livre',
  shopee: 'Shopee',
  tiktok: 'TikTok Shop',
};

const YEAR_MS = 365 * 86_400_000;
/** The URL the bench's webhooks are addressed to, and the one the webhook sources verify against. */
export const CALLBACK_URL = 'https://app.example.com/webhooks';

/**
 * A `fetch` that answers from msw handlers in the same process: no socket, no global patch, so
 * a sandbox costs what its handlers cost and nothing else in the process is intercepted.
 */
export function inProcessFetch(handlers: readonly RequestHandler[]): typeof fetch {
  const list = [...handlers];
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const response = await getResponse(list, request);
    if (!response) return Response.json({ error: 'not_found', message: request.url }, { status: 404 });
    if (response.type === 'error') throw new TypeError('fetch failed (sandbox network fault)');
    return response;
  };
}

/** Wraps the fetch a client uses (to record what it sends, for instance). */
export type FetchWrapper = (
  marketplace: Marketplace,
  fetchImpl: typeof globalThis.fetch,
) => typeof globalThis.fetch;

/** Options of the seat factories. */
export interface SeatOptions {
  wrapFetch?: FetchWrapper | undefined;
}

/**
 * What a client elsewhere (another process) needs to act as a seat's seller: the app's
 * credentials, the seller's tokens and ids. See {@link remoteClient}.
 */
export type SeatAccess =
  | { marketplace: 'meli'; clientId: string; clientSecret: string; redirectUri: string; tokens: TokenSet }
  | { marketplace: 'shopee'; partnerId: number; partnerKey: string; shopId: number; tokens: TokenSet }
  | {
      marketplace: 'tiktok';
      appKey: string;
      appSecret: string;
      shopId: string;
      shopCipher: string;
      tokens: TokenSet;
    };

interface SeatBase<M extends Marketplace, S> {
  marketplace: M;
  /** The app credentials and tokens, for a client in another process (see {@link remoteClient}). */
  access: SeatAccess;
  sandbox: S;
  client: MarketplaceClient;
  /** The adapter's webhook source, configured for {@link CALLBACK_URL}. */
  webhookSource: WebhookSource;
  /** API calls the sandbox answered since the seat was made (set-up excluded), by `METHOD /route`. */
  calls(): { total: number; byPath: Record<string, number> };
  /** Marketplace fields a real app reads once from the API and then passes to every create. */
  listingFields: Record<string, unknown>;
}

/** A seller account on Mercado Livre, served by the sandbox in process. */
export type MeliSeat = SeatBase<'meli', MeliSandbox> & { sellerId: number };
/** A Shopee shop, served by the sandbox in process. */
export type ShopeeSeat = SeatBase<'shopee', ShopeeSandbox> & { shopId: number; pushKey: string };
/** A TikTok Shop shop, served by the sandbox in process. */
export type TikTokSeat = SeatBase<'tiktok', TikTokSandbox> & { shopId: string };
/** Any seat. */
export type Seat = MeliSeat | ShopeeSeat | TikTokSeat;

async function save(store: MemoryTokenStore, tokens: TokenSet): Promise<void> {
  const result = await store.set(tokens);
  if (!result.ok) throw new Error(`could not store the ${tokens.marketplace} tokens`);
}

function counter(stats: () => { requests: number; byPath: Record<string, number> }) {
  const start = stats();
  return () => {
    const current = stats();
    const byPath: Record<string, number> = {};
    for (const [path, count] of Object.entries(current.byPath)) {
      const delta = count - (start.byPath[path] ?? 0);
      if (delta > 0) byPath[path] = delta;
    }
    return { total: current.requests - start.requests, byPath };
  };
}

// The clients keep their default settings (retries, circuit breaker), as an app gets them: the
// calls are counted where the sandbox answers them, so a retried call shows up as an extra call.

/** A Mercado Livre seller with tokens, and its client. */
export async function meliSeat(options: SeatOptions = {}): Promise<MeliSeat> {
  const sandbox = createMeliSandbox();
  const seller = sandbox.addSeller({ siteId: 'MLB' });
  const issued = sandbox.issueTokens(seller.id);
  const tokenStore = new MemoryTokenStore();
  const tokens: TokenSet = {
    marketplace: 'meli',
    accountId: String(seller.id),
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token,
    expiresAt: Date.now() + YEAR_MS,
  };
  await save(tokenStore, tokens);
  const fetchImpl = inProcessFetch(sandbox.handlers);
  const meli = createMeli({
    clientId: String(sandbox.app.id),
    clientSecret: sandbox.app.secret,
    redirectUri: sandbox.app.redirectUris[0] ?? 'https://app.example.com/callback',
    tokenStore,
    transport: { fetch: options.wrapFetch?.('meli', fetchImpl) ?? fetchImpl },
  });
  return {
    marketplace: 'meli',
    access: {
      marketplace: 'meli',
      clientId: String(sandbox.app.id),
      clientSecret: sandbox.app.secret,
      redirectUri: sandbox.app.redirectUris[0] ?? 'https://app.example.com/callback',
      tokens,
    },
    sandbox,
    sellerId: seller.id,
    client: meli.forAccount(String(seller.id), { siteId: 'MLB' }),
    webhookSource: meli.webhookSource(),
    calls: counter(() => sandbox.stats()),
    listingFields: {},
  };
}

/** A Shopee shop with tokens, and its client. */
export async function shopeeSeat(options: SeatOptions = {}): Promise<ShopeeSeat> {
  const sandbox = createShopeeSandbox();
  const partner = sandbox.addPartner({ callbackUrl: CALLBACK_URL });
  const shop = sandbox.addShop({ region: 'BR' });
  const issued = sandbox.issueTokens({ partnerId: partner.partnerId, shopId: shop.shopId });
  const tokenStore = new MemoryTokenStore();
  const tokens: TokenSet = {
    marketplace: 'shopee',
    accountId: shopAccountId(shop.shopId),
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresAt: Date.now() + YEAR_MS,
  };
  await save(tokenStore, tokens);
  const fetchImpl = inProcessFetch(sandbox.handlers);
  const shopee = createShopee({
    partnerId: partner.partnerId,
    partnerKey: partner.partnerKey,
    tokenStore,
    currency: 'BRL',
    fetch: options.wrapFetch?.('shopee', fetchImpl) ?? fetchImpl,
  });
  const client = shopee.forShop(shop.shopId);
  return {
    marketplace: 'shopee',
    access: {
      marketplace: 'shopee',
      partnerId: partner.partnerId,
      partnerKey: partner.partnerKey,
      shopId: shop.shopId,
      tokens,
    },
    sandbox,
    shopId: shop.shopId,
    pushKey: partner.pushKey,
    client,
    webhookSource: shopee.webhookSource({ callbackUrl: CALLBACK_URL }),
    calls: counter(() => sandbox.stats()),
    listingFields: {
      category_id: 100017,
      weight: 0.3,
      logistic_info: [{ logistic_id: shop.channels[0]?.logisticsChannelId ?? 18080, enabled: true }],
      // Shopee takes image bytes, not URLs: a real app uploads each image once and reuses its id.
      image: { image_id_list: ['br-11134207-bench-image'] },
    },
  };
}

/** A TikTok Shop shop with tokens and its cipher, and its client. */
export async function tiktokSeat(options: SeatOptions = {}): Promise<TikTokSeat> {
  const sandbox = createTikTokSandbox();
  const shop = sandbox.addShop({ region: 'GB', currency: 'BRL' });
  const issued = sandbox.issueTokens({ shopId: shop.id });
  const tokenStore = new MemoryTokenStore();
  const tokens: TokenSet = {
    marketplace: 'tiktok',
    accountId: shop.id,
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresAt: Date.now() + YEAR_MS,
    extra: { shopCipher: shop.cipher, openId: issued.openId },
  };
  await save(tokenStore, tokens);
  const fetchImpl = inProcessFetch(sandbox.handlers);
  const tiktok = createTikTokShop({
    appKey: sandbox.app.appKey,
    appSecret: sandbox.app.appSecret,
    tokenStore,
    fetch: options.wrapFetch?.('tiktok', fetchImpl) ?? fetchImpl,
  });
  return {
    marketplace: 'tiktok',
    access: {
      marketplace: 'tiktok',
      appKey: sandbox.app.appKey,
      appSecret: sandbox.app.appSecret,
      shopId: shop.id,
      shopCipher: shop.cipher,
      tokens,
    },
    sandbox,
    shopId: shop.id,
    client: tiktok.forAccount(shop.id, { shopCipher: shop.cipher }),
    webhookSource: tiktok.webhookSource(),
    calls: counter(() => sandbox.stats()),
    listingFields: {
      warehouse_id: shop.warehouses[0]?.id,
      category_id: '601226',
      main_images: [{ uri: 'tos-maliva-i-bench/image' }],
      package_weight: { value: '0.3', unit: 'KILOGRAM' },
    },
  };
}

/** The seat of one marketplace. */
export function seat(marketplace: Marketplace, options: SeatOptions = {}): Promise<Seat> {
  switch (marketplace) {
    case 'meli':
      return meliSeat(options);
    case 'shopee':
      return shopeeSeat(options);
    case 'tiktok':
      return tiktokSeat(options);
  }
}

/**
 * A client with its defaults acting as a seat's seller against the sandboxes served over HTTP at
 * `serverUrl` (`@mlh/testing/server`, in another process): what the client costs is then all that
 * runs in this process.
 */
export async function remoteClient(access: SeatAccess, serverUrl: string): Promise<MarketplaceClient> {
  const tokenStore = new MemoryTokenStore();
  await save(tokenStore, access.tokens);
  switch (access.marketplace) {
    case 'meli':
      return createMeli({
        clientId: access.clientId,
        clientSecret: access.clientSecret,
        redirectUri: access.redirectUri,
        tokenStore,
        transport: { baseUrl: `${serverUrl}/api.mercadolibre.com` },
      }).forAccount(access.tokens.accountId, { siteId: 'MLB' });
    case 'shopee':
      return createShopee({
        partnerId: access.partnerId,
        partnerKey: access.partnerKey,
        tokenStore,
        currency: 'BRL',
        baseUrl: `${serverUrl}/partner.shopeemobile.com`,
      }).forShop(access.shopId);
    case 'tiktok':
      return createTikTokShop({
        appKey: access.appKey,
        appSecret: access.appSecret,
        tokenStore,
        apiBaseUrl: `${serverUrl}/open-api.tiktokglobalshop.com`,
        authBaseUrl: `${serverUrl}/auth.tiktok-shops.com`,
      }).forAccount(access.shopId, { shopCipher: access.shopCipher });
  }
}
