/**
 * The fleet section's world: the three sandboxes behind one HTTP sandbox server (latency and
 * rate limits per app and per shop), N seller accounts spread over them, each with one product
 * of two SKUs listed on its marketplace and recorded in a fresh PostgreSQL schema, one paid order
 * the store has not seen, a restock the marketplace has not seen, and (one account in
 * {@link EXPIRED_EVERY}) an access token that has expired.
 */
import { money, normalizeProduct, type TokenSet } from '@mlh/core';
import type { FleetAccount } from '@mlh/fleet';
import { MeliTokenResponse, meliTokenSet } from '@mlh/meli';
import { shopAccountId } from '@mlh/shopee';
import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import {
  createMeliSandbox,
  createShopeeSandbox,
  createTikTokSandbox,
  type MeliSandbox,
  type RateLimitConfig,
  type ShopeeSandbox,
  type TikTokSandbox,
} from '@mlh/testing';
import { type SandboxServer, startSandboxServer } from '@mlh/testing/server';
import { tiktokTokenSet } from '@mlh/tiktok';
import { spreadAccounts } from './fleet-figures';
import type { FleetWorkerConfig } from './fleet-worker';

/** One token in this many has expired when the run starts (see bench/README.md on the `*` bucket). */
export const EXPIRED_EVERY = 4;
/** Units each SKU starts with, on the marketplace and in the store. */
const START_STOCK = 20;
/** Units the store receives for each account's first SKU before the run (the marketplace has not seen them). */
const RESTOCK = 5;

/** What the sandboxes enforce (per marketplace) and the budgets the workers get (read + write = the sandbox's rate). */
export interface FleetLimits {
  sandbox: { app: RateLimitConfig; account: RateLimitConfig };
  workers: FleetWorkerConfig['limits'];
}

/** One seeded account and where its SKUs are on its marketplace. */
export interface SeededAccount extends FleetAccount {
  skus: string[];
  productExternalId: string;
  orderId: string;
}

/** A world ready for one run. */
export interface FleetWorld {
  meli: MeliSandbox;
  shopee: ShopeeSandbox;
  tiktok: TikTokSandbox;
  server: SandboxServer;
  stores: PostgresStores;
  schema: string;
  accounts: SeededAccount[];
  expired: number;
  apps: FleetWorkerConfig['apps'];
  close(): Promise<void>;
}

const MARKETPLACES = ['meli', 'shopee', 'tiktok'] as const;

async function saveToken(stores: PostgresStores, tokens: TokenSet, expired: boolean): Promise<void> {
  const result = await stores.tokenStore.set(
    expired ? { ...tokens, expiresAt: Date.now() - 60_000 } : tokens,
  );
  if (!result.ok) throw new Error(`could not store the ${tokens.marketplace} tokens of ${tokens.accountId}`);
}

/** Builds the sandboxes, the server and a fresh schema, and seeds `count` accounts. */
export async function buildFleetWorld(options: {
  count: number;
  databaseUrl: string;
  latencyMs: number;
  limits: FleetLimits;
}): Promise<FleetWorld> {
  const { app, account } = options.limits.sandbox;
  // Mercado Livre: per seller + per app; Shopee: per partner (the app) + per shop; TikTok Shop:
  // per app × shop + per app.
  const meli = createMeliSandbox({ rateLimit: account, appRateLimit: app });
  const shopee = createShopeeSandbox({ rateLimit: app, shopRateLimit: account });
  const tiktok = createTikTokSandbox({ rateLimit: account, appRateLimit: app });
  for (const sandbox of [meli, shopee, tiktok])
    sandbox.faults.inject({ fault: { latencyMs: options.latencyMs } });
  const partner = shopee.addPartner();
  const server = await startSandboxServer([...meli.handlers, ...shopee.handlers, ...tiktok.handlers]);
  const schema = `bench_fleet_${process.pid}_${Date.now().toString(36)}`;
  const stores = await createPostgresStores({ connectionString: options.databaseUrl, schema, migrate: true });
  const world: FleetWorld = {
    meli,
    shopee,
    tiktok,
    server,
    stores,
    schema,
    accounts: [],
    expired: 0,
    apps: {
      meli: {
        clientId: String(meli.app.id),
        clientSecret: meli.app.secret,
        redirectUri: meli.app.redirectUris[0] ?? 'https://app.example.com/meli/callback',
      },
      shopee: { partnerId: partner.partnerId, partnerKey: partner.partnerKey },
      tiktok: { appKey: tiktok.app.appKey, appSecret: tiktok.app.appSecret, serviceId: tiktok.app.serviceId },
    },
    async close() {
      await server.close();
      await stores.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await stores.close();
    },
  };
  try {
    await seed(world, options.count);
  } catch (error) {
    await world.close();
    throw error;
  }
  return world;
}

async function seed(world: FleetWorld, count: number): Promise<void> {
  const { meli, shopee, tiktok, stores } = world;
  const perMarketplace = spreadAccounts(count, MARKETPLACES);
  const now = Date.now();
  let index = 0;
  for (const marketplace of MARKETPLACES) {
    for (let n = 0; n < perMarketplace[marketplace]; n += 1, index += 1) {
      const sku = `FLEET-${index}`;
      const skus = [`${sku}-P`, `${sku}-M`];
      const expired = index % EXPIRED_EVERY === 0;
      if (expired) world.expired += 1;
      let accountId: string;
      let productExternalId: string;
      let variantIds: string[];
      let orderId: string;
      if (marketplace === 'meli') {
        const seller = meli.addSeller({ siteId: 'MLB' });
        accountId = String(seller.id);
        await saveToken(
          stores,
          meliTokenSet(MeliTokenResponse.parse(meli.issueTokens(seller.id)), now),
          expired,
        );
        const item = meli.addItem({
          sellerId: seller.id,
          title: `Camiseta ${index}`,
          price: 19.9,
          currency_id: 'BRL',
          variations: skus.map((variantSku, v) => ({
            attribute_combinations: [{ id: 'SIZE', value_name: v === 0 ? 'P' : 'M' }],
            price: 19.9,
            available_quantity: START_STOCK,
            attributes: [{ id: 'SELLER_SKU', value_name: variantSku }],
          })),
        });
        productExternalId = item.id;
        variantIds = item.variations.map((variation) => String(variation.id));
        const placed = meli.placeOrder({
          itemId: item.id,
          variationId: item.variations[1]?.id ?? 0,
          quantity: 2,
        });
        meli.payOrder(placed.orderId);
        orderId = String(placed.orderId);
      } else if (marketplace === 'shopee') {
        const shop = shopee.addShop({ region: 'BR' });
        accountId = String(shop.shopId);
        const issued = shopee.issueTokens({ partnerId: world.apps.shopee.partnerId, shopId: shop.shopId });
        await saveToken(
          stores,
          {
            marketplace: 'shopee',
            accountId: shopAccountId(shop.shopId),
            accessToken: issued.accessToken,
            refreshToken: issued.refreshToken,
            expiresAt: issued.accessTokenExpiresAt,
            refreshExpiresAt: issued.refreshTokenExpiresAt,
            extra: { shopId: accountId },
          },
          expired,
        );
        const item = shopee.addItem({
          shopId: shop.shopId,
          name: `Camiseta ${index}`,
          tierVariation: [{ name: 'Tamanho', options: ['P', 'M'] }],
          models: skus.map((variantSku, v) => ({
            tierIndex: [v],
            sku: variantSku,
            price: '19.90',
            stock: START_STOCK,
          })),
        });
        productExternalId = String(item.itemId);
        variantIds = item.models.map((model) => String(model.modelId));
        const order = await shopee.placeOrder({
          shopId: shop.shopId,
          items: [{ itemId: item.itemId, modelId: item.models[1]?.modelId ?? 0, quantity: 2 }],
        });
        await shopee.payOrder(order.orderSn);
        orderId = order.orderSn;
      } else {
        const shop = tiktok.addShop({ region: 'BR', sellerType: 'LOCAL', currency: 'BRL' });
        accountId = shop.id;
        const issued = tiktok.issueTokens({ shopId: shop.id });
        await saveToken(
          stores,
          tiktokTokenSet(
            {
              accessToken: issued.accessToken,
              expiresAt: issued.accessTokenExpireIn * 1000,
              refreshToken: issued.refreshToken,
              refreshExpiresAt: issued.refreshTokenExpireIn * 1000,
              openId: issued.openId,
              sellerName: undefined,
              sellerBaseRegion: 'BR',
              userType: 0,
              scopes: issued.grantedScopes,
            },
            { id: shop.id, cipher: shop.cipher, region: 'BR' },
          ),
          expired,
        );
        const product = tiktok.addProduct({
          shopId: shop.id,
          title: `Camiseta ${index}`,
          skus: skus.map((variantSku, v) => ({
            sellerSku: variantSku,
            price: '19.90',
            stock: START_STOCK,
            salesAttributes: { Size: v === 0 ? 'P' : 'M' },
          })),
        });
        productExternalId = product.id;
        variantIds = product.skus.map((entry) => entry.id);
        const order = tiktok.placeOrder({
          shopId: shop.id,
          items: [{ skuId: product.skus[1]?.id ?? '', quantity: 2 }],
        });
        tiktok.payOrder(order.id);
        orderId = order.id;
      }
      await stores.syncStore.upsertProducts([
        normalizeProduct({
          sku,
          title: `Camiseta ${index}`,
          variants: skus.map((variantSku, v) => ({
            sku: variantSku,
            price: money('19.90', 'BRL'),
            quantity: START_STOCK,
            attributes: { SIZE: v === 0 ? 'P' : 'M' },
          })),
        }),
      ]);
      const key = { marketplace, accountId, sku };
      await stores.syncStore.claimListingCreate({ ...key, intentId: `seed-${index}`, now, staleBefore: now });
      const completion = await stores.syncStore.completeListingCreate({
        ...key,
        productExternalId,
        contentHash: undefined,
        status: 'active',
        variants: skus.map((variantSku, v) => ({
          sku: variantSku,
          externalId: variantIds[v],
          pushedQuantity: START_STOCK,
          pushedStockVersion: 1,
        })),
        now,
      });
      if (!completion.ok) throw new Error(`could not record the listing of ${sku}`);
      await stores.syncStore.applyStockMovements([
        { key: `bench-restock-${sku}`, sku: skus[0] ?? '', delta: RESTOCK, reason: 'restock' },
      ]);
      world.accounts.push({ marketplace, accountId, skus, productExternalId, orderId });
    }
  }
}

/** Every SKU's stock on its marketplace, read from the sandboxes' own state. */
export function marketplaceStock(world: FleetWorld): Map<string, number> {
  const stock = new Map<string, number>();
  for (const account of world.accounts) {
    if (account.marketplace === 'meli') {
      for (const variation of world.meli.getItem(account.productExternalId)?.variations ?? []) {
        const sku = variation.attributes.find((attribute) => attribute.id === 'SELLER_SKU')?.value_name;
        if (sku) stock.set(sku, variation.available_quantity);
      }
    } else if (account.marketplace === 'shopee') {
      for (const model of world.shopee.getItem(account.productExternalId)?.models ?? []) {
        stock.set(model.sku, model.stock);
      }
    } else {
      for (const sku of world.tiktok.getProduct(account.productExternalId)?.skus ?? []) {
        stock.set(
          sku.sellerSku,
          sku.inventory.reduce((sum, entry) => sum + entry.quantity, 0),
        );
      }
    }
  }
  return stock;
}

/** Every SKU's stock in the store. */
export async function storeStock(world: FleetWorld): Promise<Map<string, number>> {
  const skus = world.accounts.flatMap((account) => account.skus);
  const stock = new Map<string, number>();
  for (let start = 0; start < skus.length; start += 500) {
    for (const level of await world.stores.syncStore.getStock(skus.slice(start, start + 500))) {
      stock.set(level.sku, level.quantity);
    }
  }
  return stock;
}

/** `<marketplace>:<account>:<order id>` of every order row the store holds for the world's accounts. */
export async function storedOrderKeys(world: FleetWorld): Promise<string[]> {
  const keys: string[] = [];
  for (const account of world.accounts) {
    let after: string | undefined;
    do {
      const page = await world.stores.syncStore.listOrders({
        marketplace: account.marketplace,
        accountId: account.accountId,
        after,
        limit: 100,
      });
      for (const { order } of page.items)
        keys.push(`${account.marketplace}:${account.accountId}:${order.externalId}`);
      after = page.next;
    } while (after !== undefined);
  }
  return keys;
}

/** Refresh calls each sandbox answered. */
export function refreshCalls(world: FleetWorld): number {
  return (
    (world.meli.stats().byPath['POST /oauth/token'] ?? 0) +
    (world.shopee.stats().byPath['/api/v2/auth/access_token/get'] ?? 0) +
    (world.tiktok.stats().byPath['/api/v2/token/refresh'] ?? 0)
  );
}

/** API calls the three sandboxes answered. */
export function sandboxCalls(world: FleetWorld): number {
  return world.meli.stats().requests + world.shopee.stats().requests + world.tiktok.stats().requests;
}
