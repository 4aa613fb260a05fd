import { type MarketplaceClient, MemoryTokenStore, money, normalizeProduct, type Product } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySyncStore, ProductSync, type ProductSyncOptions } from '../src/index';
import {
  connectAdapters,
  createSandboxes,
  prepareListing,
  type Sandboxes,
  type SandboxMarketplace,
  sandboxAdapterClock,
  saveSandboxTokens,
} from './sandbox-setup';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

/** `count` products of two sizes each, SKUs `P0001`, `P0001-S`, `P0001-M`, ... */
function products(count: number, from = 0): Product[] {
  return Array.from({ length: count }, (_, offset) => {
    const sku = `P${String(from + offset).padStart(4, '0')}`;
    return normalizeProduct({
      sku,
      title: `Product ${sku}`,
      description: 'A product of the generated catalog.',
      images: [`https://cdn.example.com/${sku}.jpg`],
      variants: ['S', 'M'].map((size) => ({
        sku: `${sku}-${size}`,
        price: money('39.90', 'BRL'),
        quantity: 3,
        attributes: { SIZE: size },
      })),
    });
  });
}

interface Shop {
  sandboxes: Sandboxes;
  client: MarketplaceClient;
  calls(): number;
  byPath(): Record<string, number>;
}

async function shopOn(marketplace: SandboxMarketplace): Promise<Shop> {
  const sandboxes = createSandboxes();
  server.resetHandlers(...sandboxes.handlers);
  const adapters = connectAdapters(sandboxes.accounts, {
    tokenStore: new MemoryTokenStore(),
    clock: sandboxAdapterClock(sandboxes.clock),
  });
  await saveSandboxTokens(sandboxes, adapters);
  const client = { meli: adapters.meliClient, shopee: adapters.shopeeClient, tiktok: adapters.tiktokClient }[
    marketplace
  ];
  const sandbox = sandboxes[marketplace];
  return {
    sandboxes,
    client,
    calls: () => sandbox.stats().requests,
    byPath: () => sandbox.stats().byPath,
  };
}

/** Publishes `catalog` to a fresh shop and tells how many calls it took. */
async function publish(
  marketplace: SandboxMarketplace,
  catalog: Product[],
  options: Partial<ProductSyncOptions> = {},
): Promise<{ calls: number; byPath: Record<string, number>; created: number }> {
  const shop = await shopOn(marketplace);
  const store = createMemorySyncStore();
  await store.upsertProducts(catalog);
  const before = shop.calls();
  const summary = await new ProductSync({
    store,
    clients: [shop.client],
    prepare: prepareListing,
    pageSize: 20,
    ...options,
  }).run();
  expect(summary.failed).toEqual([]);
  return { calls: shop.calls() - before, byPath: shop.byPath(), created: summary.created };
}

/** Calls a first publish with `adoptExisting` (the default) spends beyond one without it. */
async function lookupCalls(marketplace: SandboxMarketplace, count: number, options = {}): Promise<number> {
  const catalog = products(count);
  const without = await publish(marketplace, catalog, { adoptExisting: false });
  const withAdoption = await publish(marketplace, catalog, options);
  expect(withAdoption.created).toBe(count);
  return withAdoption.calls - without.calls;
}

describe('the calls adoptExisting adds to a first publish', () => {
  it('Shopee (no SKU search): one catalogue read per run, however large the catalog', async () => {
    const small = await lookupCalls('shopee', 10);
    const large = await lookupCalls('shopee', 40);
    expect(small).toBe(1);
    expect(large).toBe(small);
  });

  it('TikTok Shop (many SKUs per search): one search per page of products', async () => {
    // 40 products, pages of 20: two searches, each naming the 40 SKUs of its page.
    expect(await lookupCalls('tiktok', 40)).toBe(2);
  });

  it('Mercado Livre (one SKU per search): products are searched one by one, then the catalogue is read once', async () => {
    const options = { adoptionScanAfter: 3 };
    const small = await lookupCalls('meli', 10, options);
    const large = await lookupCalls('meli', 40, options);
    expect(large).toBe(small);
  });

  it('Mercado Livre, by default: an empty account is read at once (one estimate, one empty search)', async () => {
    expect(await lookupCalls('meli', 40)).toBe(2);
  });

  it('Mercado Livre, by default: a large account is searched product by product while that costs less than reading it', async () => {
    const shop = await shopOn('meli');
    // The account holds thousands of listings: reading them would cost 300 calls, more than 10 lookups.
    const client: MarketplaceClient = {
      ...shop.client,
      estimateCatalogRead: async () => ({ listings: 5_000, calls: 300 }),
    };
    const store = createMemorySyncStore();
    await store.upsertProducts(products(10));
    const summary = await new ProductSync({ store, clients: [client], prepare: prepareListing }).run();
    expect(summary.created).toBe(10);
    expect(shop.byPath()['GET /items/bulk'] ?? 0).toBe(0);
    // Product SKU and first variant SKU, each by `seller_sku` and by `sku`.
    expect(shop.byPath()['GET /users/:userId/items/search']).toBe(40);
  });

  it("adoptionLookup: 'search' keeps one search per product", async () => {
    const perProduct = await lookupCalls('shopee', 4, { adoptionLookup: 'search' });
    expect(perProduct).toBeGreaterThanOrEqual(4);
  });
});

describe('adoption from a catalogue read or a page search', () => {
  for (const marketplace of ['meli', 'shopee', 'tiktok'] as const) {
    it(`${marketplace}: a listing another tool made is adopted, not created twice`, async () => {
      const shop = await shopOn(marketplace);
      const catalog = products(6);
      const made = catalog[4] as Product;
      const prepared = await prepareListing(structuredClone(made), shop.client);
      const existing = await shop.client.createProduct(prepared.product, prepared.options);
      const store = createMemorySyncStore();
      await store.upsertProducts(catalog);
      const summary = await new ProductSync({
        store,
        clients: [shop.client],
        prepare: prepareListing,
        pageSize: 4,
        // Mercado Livre reads its catalogue after two products searched one by one.
        adoptionScanAfter: 2,
      }).run();
      expect(summary.failed).toEqual([]);
      expect({ created: summary.created, adopted: summary.adopted }).toEqual({ created: 5, adopted: 1 });
      const listing = await store.getListing({
        marketplace: shop.client.marketplace,
        accountId: shop.client.accountId,
        sku: made.sku,
      });
      expect(listing?.productExternalId).toBe(existing.externalId);
    });
  }
});
