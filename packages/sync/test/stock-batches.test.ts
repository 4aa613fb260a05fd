import type { MarketplaceClient, StockUpdate } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import type { SyncStore } from '../src/index';
import { ProductBatcher, productBatches } from '../src/internal/product-batches';
import type { FakeMarketplace } from './support/fake-marketplace';
import { catalog, createWorker, createWorld, type World } from './support/world';

/**
 * Every marketplace writes one product per request with all its SKUs: a product whose SKUs are
 * spread over two `updateInventory` calls costs two requests. Issue #17 (bench section 4).
 */

const PRODUCT_SKUS = new Map(catalog().map((p) => [p.sku, p.variants.map((v) => v.sku!)]));

async function syncedWorld(): Promise<World> {
  const world = await createWorld();
  await createWorker(world, { owner: 'setup' }).products.run();
  return world;
}

function stockCalls(marketplace: FakeMarketplace, from = 0): StockUpdate[][] {
  return marketplace.calls
    .slice(from)
    .filter((c) => c.operation === 'updateInventory')
    .map((c) => c.args[0] as StockUpdate[]);
}

/** For each product, how many calls carried some of its SKUs. */
function callsPerProduct(calls: StockUpdate[][]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [product, skus] of PRODUCT_SKUS) {
    counts[product] = calls.filter((call) => call.some((u) => skus.includes(u.sku!))).length;
  }
  return counts;
}

function withBatches(
  client: MarketplaceClient,
  maxBatch: Partial<MarketplaceClient['capabilities']['maxBatch']>,
) {
  return {
    ...client,
    capabilities: { ...client.capabilities, maxBatch: { ...client.capabilities.maxBatch, ...maxBatch } },
  };
}

const COUNT_EVERY_SKU = [...PRODUCT_SKUS.values()]
  .flat()
  .map((sku) => ({ key: `count:${sku}`, sku, set: 21 }));

describe('stock pushes in calls of whole products', () => {
  it("keeps each product's SKUs in one call, splitting only a product bigger than a call", async () => {
    const world = await syncedWorld();
    const before = world.marketplaces.map((m) => m.calls.length);
    const worker = createWorker(world);

    await worker.inventory.adjust(COUNT_EVERY_SKU);
    await worker.inventory.idle();

    // Calls carry at most 2 SKUs (meli), 3 (shopee), 4 (tiktok); the tee has 3 SKUs, the mug 2.
    expect(world.marketplaces.map((m, i) => callsPerProduct(stockCalls(m, before[i])))).toEqual([
      { MUG: 1, CAP: 1, TEE: 2 },
      { MUG: 1, CAP: 1, TEE: 1 },
      { MUG: 1, CAP: 1, TEE: 1 },
    ]);
    for (const marketplace of world.marketplaces) {
      for (const sku of [...PRODUCT_SKUS.values()].flat()) expect(marketplace.stockOf(sku)).toBe(21);
    }
  });

  it('fills a call with at most maxBatch.updateInventoryProducts products', async () => {
    const world = await syncedWorld();
    const before = world.meli.calls.length;
    const meli = withBatches(world.meli.client(), { updateInventory: 10, updateInventoryProducts: 2 });
    const worker = createWorker(world, { clients: [meli] });

    await worker.inventory.adjust(COUNT_EVERY_SKU);
    await worker.inventory.idle();

    const calls = stockCalls(world.meli, before);
    expect(calls.map((call) => call.map((u) => u.sku))).toEqual([
      ['CAP', 'MUG-BLUE', 'MUG-RED'],
      ['TEE-L', 'TEE-M', 'TEE-S'],
    ]);
    expect(world.meli.stockOf('TEE-S')).toBe(21);
  });

  it('pushes again a product held across a page whose stock moved before it was sent', async () => {
    const world = await syncedWorld();
    const worker = createWorker(world);
    await worker.inventory.adjust(COUNT_EVERY_SKU);
    // TikTok reads 4 SKUs a page: the first page ends inside the tee, which waits for the next.
    let pages = 0;
    const store = new Proxy(world.store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'listStockToPush' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const page = await value.apply(target, args);
          pages += 1;
          if (pages === 1) await target.applyStockMovements([{ key: 'sale', sku: 'TEE-L', delta: -1 }]);
          return page;
        };
      },
    }) as SyncStore;
    const tiktokOnly = createWorker(world, { store, clients: [world.tiktok.client()], owner: 'worker-2' });

    await tiktokOnly.inventory.flush();
    expect(world.tiktok.stockOf('TEE-L')).toBe(21);
    await tiktokOnly.inventory.flush();

    expect(world.tiktok.stockOf('TEE-L')).toBe(20);
    expect(world.tiktok.stockOf('TEE-S')).toBe(21);
  });
});

describe('ProductBatcher', () => {
  /** Items named `<product>:<n>`, products of the given sizes. */
  function items(sizes: readonly number[]): string[] {
    return sizes.flatMap((size, product) => Array.from({ length: size }, (_, n) => `${product}:${n}`));
  }
  const productOf = (item: string) => item.split(':')[0]!;

  it('sends every SKU exactly once, each product in as few calls as its size allows, however pages cut it', () => {
    const catalogs = [[1], [3, 3, 3, 3], [2, 5, 1, 1, 7, 3], [12, 1, 4], [4, 4, 4, 4, 4]];
    for (const sizes of catalogs) {
      const all = items(sizes);
      for (const maxSkus of [1, 2, 4, 5]) {
        for (const maxProducts of [undefined, 1, 2, 3]) {
          for (const pageSize of [1, 3, maxSkus, all.length]) {
            const batcher = new ProductBatcher({ maxSkus, maxProducts }, productOf);
            const calls: string[][] = [];
            for (let start = 0; start < all.length; start += pageSize) {
              batcher.add(all.slice(start, start + pageSize));
              calls.push(...batcher.take());
            }
            calls.push(...batcher.finish());
            const where = { sizes, maxSkus, maxProducts, pageSize };

            expect({ ...where, sent: calls.flat().sort() }).toEqual({ ...where, sent: [...all].sort() });
            for (const call of calls) {
              expect(call.length, JSON.stringify(where)).toBeLessThanOrEqual(maxSkus);
              expect(new Set(call.map(productOf)).size, JSON.stringify(where)).toBeLessThanOrEqual(
                maxProducts ?? Number.POSITIVE_INFINITY,
              );
            }
            sizes.forEach((size, product) => {
              const spanned = calls.filter((call) => call.some((item) => productOf(item) === `${product}`));
              expect([where, product, spanned.length]).toEqual([where, product, Math.ceil(size / maxSkus)]);
            });
          }
        }
      }
    }
  });

  it('fills calls with whole products rather than cutting one to fill a call', () => {
    expect(productBatches(items([2, 3, 1, 2]), { maxSkus: 4 }, productOf)).toEqual([
      ['0:0', '0:1'],
      ['1:0', '1:1', '1:2', '2:0'],
      ['3:0', '3:1'],
    ]);
  });

  it('gathers a product whose SKUs come apart', () => {
    expect(productBatches(['a:0', 'b:0', 'a:1'], { maxSkus: 2 }, productOf)).toEqual([
      ['a:0', 'a:1'],
      ['b:0'],
    ]);
  });
});
