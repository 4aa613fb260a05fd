/**
 * The three marketplace sandboxes of `@mlh/testing` and the three real adapters wired to them, for the
 * end-to-end sync tests (in-process with msw, or over `startSandboxServer` from worker processes).
 * Sellers are seeded in the sandboxes; their tokens are minted by each sandbox's `issueTokens` and
 * saved through each adapter's own token manager, as an app does after its OAuth callback.
 */
import {
  type Clock,
  compareDecimal,
  type MarketplaceClient,
  type MarketplaceId,
  money,
  normalizeProduct,
  type Product,
  type TokenStore,
} from '@mlh/core';
import { createMeli, type Meli, type MeliClient, MeliTokenResponse, meliTokenSet } from '@mlh/meli';
import { createShopee, type Shopee, type ShopeeClient, shopAccountId } from '@mlh/shopee';
import {
  createMeliSandbox,
  createSandboxClock,
  createShopeeSandbox,
  createTikTokSandbox,
  type MeliSandbox,
  type SandboxClock,
  type ShopeeSandbox,
  type TikTokSandbox,
} from '@mlh/testing';
import { createTikTokShop, type TikTokShop, type TikTokShopClient, tiktokTokenSet } from '@mlh/tiktok';
import type { RequestHandler } from 'msw';
import type { PrepareListing } from '../src/index';

/** When every sandbox clock starts (a Monday noon, UTC). */
export const START = Date.UTC(2026, 0, 5, 12);

/** Where each marketplace delivers its webhooks; the last path segment routes them to their source. */
export const WEBHOOK_URLS = {
  meli: 'https://app.example.com/webhooks/meli',
  shopee: 'https://app.example.com/webhooks/shopee',
  tiktok: 'https://app.example.com/webhooks/tiktok',
} as const;

/** The marketplaces in the order every list of this module uses. */
export const MARKETPLACES = ['meli', 'shopee', 'tiktok'] as const satisfies readonly MarketplaceId[];
export type SandboxMarketplace = (typeof MARKETPLACES)[number];

/** What an app keeps about its three seller accounts: app credentials and account ids (plain data). */
export interface SandboxAccounts {
  meli: { clientId: string; clientSecret: string; redirectUri: string; sellerId: string };
  shopee: { partnerId: number; partnerKey: string; shopId: string };
  tiktok: { appKey: string; appSecret: string; serviceId: string; shopId: string; shopCipher: string };
}

/** The account id the adapters use for the seller on one marketplace (user id, shop id). */
export function accountIdOf(accounts: SandboxAccounts, marketplace: SandboxMarketplace): string {
  if (marketplace === 'meli') return accounts.meli.sellerId;
  return marketplace === 'shopee' ? accounts.shopee.shopId : accounts.tiktok.shopId;
}

/** The three sandboxes on one clock, with one seller account each. */
export interface Sandboxes {
  clock: SandboxClock;
  meli: MeliSandbox;
  shopee: ShopeeSandbox;
  tiktok: TikTokSandbox;
  /** Every sandbox's msw handlers, for one `setupServer` or one `startSandboxServer`. */
  handlers: RequestHandler[];
  accounts: SandboxAccounts;
  /**
   * Where Mercado Livre and TikTok Shop deliver webhooks from now on (the app's endpoint). Until one
   * is set they get 503 and redeliver later. Shopee pushes are not configured: its orders come by polling.
   */
  receiveWebhooks(receiver: (request: Request) => Promise<Response>): void;
}

/** Options of {@link createSandboxes}. */
export interface SandboxesOptions {
  /** Default: a frozen clock at {@link START}. */
  clock?: SandboxClock;
  /** At-least-once, shuffled webhook delivery. */
  duplicates?: boolean;
  outOfOrder?: boolean;
}

/** Creates the three sandboxes and seeds a Brazilian seller on each. */
export function createSandboxes(options: SandboxesOptions = {}): Sandboxes {
  const clock = options.clock ?? createSandboxClock({ start: START, frozen: true });
  let receiver: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const delivery = (url: string) => ({
    target: (request: Request) => receiver(request),
    callbackUrl: url,
    duplicates: options.duplicates ?? false,
    outOfOrder: options.outOfOrder ?? false,
  });
  const meli = createMeliSandbox({ clock, webhooks: delivery(WEBHOOK_URLS.meli) });
  const shopee = createShopeeSandbox({ clock });
  const tiktok = createTikTokSandbox({
    clock,
    webhooks: { ...delivery(WEBHOOK_URLS.tiktok), maxAttempts: 8 },
  });
  const seller = meli.addSeller({ siteId: 'MLB' });
  const partner = shopee.addPartner();
  const shop = shopee.addShop({ region: 'BR' });
  const tiktokShop = tiktok.addShop({ region: 'BR', sellerType: 'LOCAL' });
  return {
    clock,
    meli,
    shopee,
    tiktok,
    handlers: [...meli.handlers, ...shopee.handlers, ...tiktok.handlers],
    accounts: {
      meli: {
        clientId: String(meli.app.id),
        clientSecret: meli.app.secret,
        redirectUri: meli.app.redirectUris[0] ?? 'https://app.example.com/meli/callback',
        sellerId: String(seller.id),
      },
      shopee: { partnerId: partner.partnerId, partnerKey: partner.partnerKey, shopId: String(shop.shopId) },
      tiktok: {
        appKey: tiktok.app.appKey,
        appSecret: tiktok.app.appSecret,
        serviceId: tiktok.app.serviceId,
        shopId: tiktokShop.id,
        shopCipher: tiktokShop.cipher,
      },
    },
    receiveWebhooks(next) {
      receiver = next;
    },
  };
}

/** One app process's three adapters and the `MarketplaceClient` of each seller account. */
export interface Adapters {
  meli: Meli;
  shopee: Shopee;
  tiktok: TikTokShop;
  meliClient: MeliClient;
  shopeeClient: ShopeeClient;
  tiktokClient: TikTokShopClient;
  /** Mercado Livre, Shopee, TikTok Shop, in that order. */
  clients: MarketplaceClient[];
}

/** Options of {@link connectAdapters}. */
export interface ConnectOptions {
  tokenStore: TokenStore;
  /** The adapters' clock; default the system clock. */
  clock?: Clock;
  /** The `fetch` every adapter sends with; default the global one (which msw intercepts). */
  fetch?: typeof fetch;
  /**
   * A `startSandboxServer` URL: each adapter's base URL becomes `<serverUrl>/<marketplace host>`, so
   * one local server answers all three. Default: the real hosts.
   */
  serverUrl?: string;
}

/** Creates the three adapters as an app does at start-up. */
export function connectAdapters(accounts: SandboxAccounts, options: ConnectOptions): Adapters {
  const { tokenStore, serverUrl } = options;
  const transport = {
    // A fixed jitter, so retries wait the same each run.
    random: () => 0.5,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const hosted = (host: string) => (serverUrl ? `${serverUrl}/${host}` : undefined);
  const meliBaseUrl = hosted('api.mercadolibre.com');
  const meli = createMeli({
    clientId: accounts.meli.clientId,
    clientSecret: accounts.meli.clientSecret,
    redirectUri: accounts.meli.redirectUri,
    tokenStore,
    transport: { ...transport, ...(meliBaseUrl ? { baseUrl: meliBaseUrl } : {}) },
    client: { listingModel: 'classic', siteId: 'MLB' },
  });
  const shopeeBaseUrl = hosted('partner.shopeemobile.com');
  const shopee = createShopee({
    partnerId: accounts.shopee.partnerId,
    partnerKey: accounts.shopee.partnerKey,
    tokenStore,
    currency: 'BRL',
    ...transport,
    ...(shopeeBaseUrl ? { baseUrl: shopeeBaseUrl } : {}),
  });
  const tiktokApi = hosted('open-api.tiktokglobalshop.com');
  const tiktokAuth = hosted('auth.tiktok-shops.com');
  const tiktok = createTikTokShop({
    appKey: accounts.tiktok.appKey,
    appSecret: accounts.tiktok.appSecret,
    serviceId: accounts.tiktok.serviceId,
    tokenStore,
    ...transport,
    ...(tiktokApi ? { apiBaseUrl: tiktokApi } : {}),
    ...(tiktokAuth ? { authBaseUrl: tiktokAuth } : {}),
    clientDefaults: { currency: 'BRL' },
  });
  const meliClient = meli.forAccount(accounts.meli.sellerId);
  const shopeeClient = shopee.forShop(accounts.shopee.shopId);
  const tiktokClient = tiktok.forAccount(accounts.tiktok.shopId);
  return {
    meli,
    shopee,
    tiktok,
    meliClient,
    shopeeClient,
    tiktokClient,
    clients: [meliClient, shopeeClient, tiktokClient],
  };
}

/**
 * Mints each seller's tokens in its sandbox and saves them through the adapter's token manager,
 * as the app's OAuth callback would.
 */
export async function saveSandboxTokens(sandboxes: Sandboxes, adapters: Adapters): Promise<void> {
  const { accounts } = sandboxes;
  const now = sandboxes.clock.now();
  await adapters.meli.tokens.saveTokenSet(
    meliTokenSet(MeliTokenResponse.parse(sandboxes.meli.issueTokens(Number(accounts.meli.sellerId))), now),
  );
  const shopee = sandboxes.shopee.issueTokens({
    partnerId: accounts.shopee.partnerId,
    shopId: Number(accounts.shopee.shopId),
  });
  await adapters.shopee.tokens.saveTokenSet({
    marketplace: 'shopee',
    accountId: shopAccountId(accounts.shopee.shopId),
    accessToken: shopee.accessToken,
    refreshToken: shopee.refreshToken,
    expiresAt: shopee.accessTokenExpiresAt,
    refreshExpiresAt: shopee.refreshTokenExpiresAt,
    extra: { shopId: accounts.shopee.shopId },
  });
  const tiktok = sandboxes.tiktok.issueTokens({ shopId: accounts.tiktok.shopId });
  await adapters.tiktok.tokens.saveTokenSet(
    tiktokTokenSet(
      {
        accessToken: tiktok.accessToken,
        expiresAt: tiktok.accessTokenExpireIn * 1000,
        refreshToken: tiktok.refreshToken,
        refreshExpiresAt: tiktok.refreshTokenExpireIn * 1000,
        openId: tiktok.openId,
        sellerName: undefined,
        sellerBaseRegion: 'BR',
        userType: 0,
        scopes: tiktok.grantedScopes,
      },
      { id: accounts.tiktok.shopId, cipher: accounts.tiktok.shopCipher, region: 'BR' },
    ),
  );
}

/**
 * The adapters' clock in the in-process tests: the sandboxes' time, where a retry's backoff passes
 * at once (moving that time on) and a request timeout never fires by itself.
 */
export function sandboxAdapterClock(clock: SandboxClock): Clock {
  return {
    now: () => clock.now(),
    sleep(ms, signal) {
      if (ms < 10_000) {
        clock.advance(Math.max(0, ms));
        return Promise.resolve();
      }
      return new Promise((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
  };
}

/** The seller's catalog: a mug in two colours (a product with variants) and a cap without variants. */
export function catalog(): Product[] {
  const brl = (amount: string) => money(amount, 'BRL');
  return [
    normalizeProduct({
      sku: 'MUG',
      title: 'Ceramic mug 350 ml',
      description: 'Stoneware mug, dishwasher safe.',
      images: ['https://cdn.example.com/mug.jpg'],
      variants: [
        { sku: 'MUG-RED', price: brl('29.90'), quantity: 10, attributes: { COLOR: 'Red' } },
        { sku: 'MUG-BLUE', price: brl('29.90'), quantity: 6, attributes: { COLOR: 'Blue' } },
      ],
    }),
    normalizeProduct({
      sku: 'CAP',
      title: 'Baseball cap',
      description: 'Cotton twill, adjustable strap.',
      images: ['https://cdn.example.com/cap.jpg'],
      price: brl('49.00'),
      quantity: 8,
    }),
  ];
}

/** The initial stock of every variant SKU of {@link catalog}. */
export function initialStock(): Map<string, number> {
  return new Map(catalog().flatMap((p) => p.variants.map((v) => [v.sku!, v.quantity] as const)));
}

/**
 * What each marketplace needs beyond the catalog: a category, and on Shopee and TikTok Shop the
 * shipping weight and the images the app uploaded to their media spaces once.
 */
export const prepareListing: PrepareListing = (product, client) => {
  const imageKey = product.sku.toLowerCase();
  switch (client.marketplace) {
    case 'meli':
      return { product: { ...product, categoryId: 'MLB1055' } };
    case 'shopee':
      return {
        product,
        options: {
          marketplaceFields: {
            category_id: 100017,
            weight: '0.4',
            logistic_info: [{ logistic_id: 18080, enabled: true }],
            brand: { brand_id: 0, original_brand_name: 'NoBrand' },
            image: { image_id_list: [`br-11134207-${imageKey}`] },
          },
        },
      };
    default:
      return {
        product: { ...product, categoryId: '601226' },
        options: {
          marketplaceFields: {
            package_weight: { value: '0.4', unit: 'KILOGRAM' },
            main_images: [{ uri: `tos-maliva-i/${imageKey}` }],
          },
        },
      };
  }
};

/** One SKU as a sandbox holds it. */
export interface PublishedSku {
  /** The marketplace's id of the variant (variation, model or SKU id; the item id without variants). */
  variantId: string;
  stock: number;
  /** The price as a decimal string. */
  price: string;
}

/** One listing as a sandbox holds it (deleted or closed listings are left out). */
export interface PublishedListing {
  id: string;
  title: string;
  skus: Map<string, PublishedSku>;
}

/** Every live listing of the seller in one sandbox, read from the sandbox's own state. */
export function publishedListings(sandboxes: Sandboxes, marketplace: SandboxMarketplace): PublishedListing[] {
  const { accounts } = sandboxes;
  if (marketplace === 'meli') {
    return sandboxes.meli
      .listItems({ sellerId: Number(accounts.meli.sellerId) })
      .filter((item) => item.status !== 'closed')
      .map((item) => {
        const skus = new Map<string, PublishedSku>();
        for (const variation of item.variations) {
          const sku =
            variation.attributes.find((a) => a.id === 'SELLER_SKU')?.value_name ??
            variation.seller_custom_field;
          if (sku)
            skus.set(sku, {
              variantId: String(variation.id),
              stock: variation.available_quantity,
              price: String(variation.price),
            });
        }
        if (item.variations.length === 0) {
          const sku =
            item.attributes.find((a) => a.id === 'SELLER_SKU')?.value_name ?? item.seller_custom_field;
          if (typeof sku === 'string')
            skus.set(sku, { variantId: item.id, stock: item.available_quantity, price: String(item.price) });
        }
        return { id: item.id, title: item.title, skus };
      });
  }
  if (marketplace === 'shopee') {
    return sandboxes.shopee
      .listItems(Number(accounts.shopee.shopId))
      .filter((item) => item.status !== 'SELLER_DELETE' && item.status !== 'SHOPEE_DELETE')
      .map((item) => {
        const skus = new Map<string, PublishedSku>();
        for (const model of item.models) {
          skus.set(model.sku, { variantId: String(model.modelId), stock: model.stock, price: model.price });
        }
        if (item.models.length === 0)
          skus.set(item.sku, { variantId: String(item.itemId), stock: item.stock, price: item.price });
        return { id: String(item.itemId), title: item.name, skus };
      });
  }
  return sandboxes.tiktok
    .listProducts({ shopId: accounts.tiktok.shopId })
    .filter((product) => product.status !== 'DELETED')
    .map((product) => ({
      id: product.id,
      title: product.title,
      skus: new Map(
        product.skus.map((sku) => [
          sku.sellerSku,
          {
            variantId: sku.id,
            stock: sku.inventory.reduce((sum, entry) => sum + entry.quantity, 0),
            price: sku.price.amount,
          },
        ]),
      ),
    }));
}

/** The listings of one sandbox that carry any SKU of this catalog product. */
export function listingsOf(
  sandboxes: Sandboxes,
  marketplace: SandboxMarketplace,
  product: Product,
): PublishedListing[] {
  return publishedListings(sandboxes, marketplace).filter((listing) =>
    product.variants.some((variant) => listing.skus.has(variant.sku!)),
  );
}

/** The one listing that carries this variant SKU in a sandbox, and the SKU in it; throws otherwise. */
export function publishedSku(
  sandboxes: Sandboxes,
  marketplace: SandboxMarketplace,
  variantSku: string,
): { listing: PublishedListing; sku: PublishedSku } {
  const found = publishedListings(sandboxes, marketplace).flatMap((listing) => {
    const sku = listing.skus.get(variantSku);
    return sku ? [{ listing, sku }] : [];
  });
  if (found.length !== 1) {
    throw new Error(`${marketplace} has ${found.length} listings of ${variantSku}, expected exactly one`);
  }
  return found[0]!;
}

/** True when two decimal strings are the same amount (`29.9` and `29.90`). */
export function sameAmount(a: string, b: string): boolean {
  return compareDecimal(a, b) === 0;
}

/** A buyer's order on one marketplace, by SKU. */
export interface BuyerOrder {
  marketplace: SandboxMarketplace;
  orderId: string;
  lines: { sku: string; quantity: number }[];
}

/**
 * A buyer orders (and pays for) these SKUs on one marketplace; the sandbox takes the units from its
 * own stock at once, as the marketplace does.
 */
export async function placePaidOrder(
  sandboxes: Sandboxes,
  marketplace: SandboxMarketplace,
  lines: { sku: string; quantity: number }[],
): Promise<BuyerOrder> {
  const located = lines.map((line) => ({ ...line, ...publishedSku(sandboxes, marketplace, line.sku) }));
  if (marketplace === 'meli') {
    const placed = sandboxes.meli.placeOrder({
      items: located.map((line) => ({
        itemId: line.listing.id,
        ...(line.sku.variantId === line.listing.id ? {} : { variationId: Number(line.sku.variantId) }),
        quantity: line.quantity,
      })),
    });
    // One line per order here (a cart of several lines becomes several orders of one pack).
    for (const orderId of placed.orderIds) sandboxes.meli.payOrder(orderId);
    return { marketplace, orderId: String(placed.orderId), lines };
  }
  if (marketplace === 'shopee') {
    const order = await sandboxes.shopee.placeOrder({
      shopId: Number(sandboxes.accounts.shopee.shopId),
      items: located.map((line) => ({
        itemId: line.listing.id,
        ...(line.sku.variantId === line.listing.id ? {} : { modelId: line.sku.variantId }),
        quantity: line.quantity,
      })),
    });
    await sandboxes.shopee.payOrder(order.orderSn);
    return { marketplace, orderId: order.orderSn, lines };
  }
  const order = sandboxes.tiktok.placeOrder({
    shopId: sandboxes.accounts.tiktok.shopId,
    items: located.map((line) => ({ skuId: line.sku.variantId, quantity: line.quantity })),
  });
  sandboxes.tiktok.payOrder(order.id);
  return { marketplace, orderId: order.id, lines };
}

/** The buyer cancels; the sandbox puts the units back in its own stock. */
export async function cancelOrder(sandboxes: Sandboxes, order: BuyerOrder): Promise<void> {
  if (order.marketplace === 'meli') sandboxes.meli.cancelOrder(Number(order.orderId));
  else if (order.marketplace === 'shopee') await sandboxes.shopee.cancelOrder(order.orderId);
  else sandboxes.tiktok.cancelOrder(order.orderId);
}

/** The order's status word as the marketplace keeps it (what a stored order's `rawStatus` must say). */
export function marketplaceOrderStatus(sandboxes: Sandboxes, order: BuyerOrder): string | undefined {
  if (order.marketplace === 'meli') return sandboxes.meli.getOrder(Number(order.orderId))?.status;
  if (order.marketplace === 'shopee') return sandboxes.shopee.getOrder(order.orderId)?.status;
  return sandboxes.tiktok.getOrder(order.orderId)?.status;
}

/** API calls each sandbox answered so far. */
export function apiCalls(sandboxes: Sandboxes): Record<SandboxMarketplace, number> {
  return {
    meli: sandboxes.meli.stats().requests,
    shopee: sandboxes.shopee.stats().requests,
    tiktok: sandboxes.tiktok.stats().requests,
  };
}
