import { type MarketplaceClient, money, normalizeProduct } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import type { SyncEventMap } from '../src/index';
import { catalog, createWorker, createWorld, type World } from './support/world';

const CATALOG_SKUS = ['CAP', 'MUG', 'TEE'];
const INTENT_TIMEOUT = 10 * 60_000;

function writesTo(world: World) {
  return world.marketplaces.flatMap((m) => m.writes().map((c) => `${m.spec.marketplace}.${c.operation}`));
}

/** Writes made to the marketplaces by `action`. */
async function writesDuring(world: World, action: () => Promise<unknown>): Promise<string[]> {
  const before = world.marketplaces.map((m) => m.writes().length);
  await action();
  return world.marketplaces.flatMap((m, i) =>
    m
      .writes()
      .slice(before[i])
      .map((c) => `${m.spec.marketplace}.${c.operation}`),
  );
}

describe('ProductSync', () => {
  it('publishes a catalog with variants to all three marketplaces and stores their external ids', async () => {
    const world = await createWorld();
    const summary = await createWorker(world).products.run();

    expect(summary).toMatchObject({ total: 9, created: 9, failed: [] });
    for (const marketplace of world.marketplaces) {
      for (const product of catalog()) {
        const published = marketplace.listingsWithSku(product.sku);
        expect(published).toHaveLength(1);
        const listing = await world.store.getListing({ ...marketplace.client(), sku: product.sku });
        expect(listing).toMatchObject({ state: 'active', productExternalId: published[0]?.externalId });
        for (const variant of product.variants) {
          const remote = published[0]?.variants.find((v) => v.sku === variant.sku);
          expect(listing?.variants.find((v) => v.sku === variant.sku)?.externalId).toBe(remote?.externalId);
          expect(remote?.quantity).toBe(variant.quantity);
          expect(remote?.price).toEqual(variant.price);
        }
      }
    }
  });

  it('sends nothing on a second run when nothing changed', async () => {
    const world = await createWorld();
    const worker = createWorker(world);
    await worker.products.run();
    expect(writesTo(world).length).toBeGreaterThan(0);
    let second: Awaited<ReturnType<typeof worker.products.run>> | undefined;

    expect(
      await writesDuring(world, async () => {
        second = await worker.products.run();
      }),
    ).toEqual([]);
    expect(second).toMatchObject({ unchanged: 9, created: 0, updated: 0, pricesPushed: 0, stockPushed: 0 });
  });

  it('updates only the listings whose content changed', async () => {
    const world = await createWorld();
    const worker = createWorker(world);
    await worker.products.run();
    const mug = catalog()[0]!;
    await world.store.upsertProducts([{ ...mug, title: 'Ceramic mug, 350 ml' }]);
    let summary: Awaited<ReturnType<typeof worker.products.run>> | undefined;

    const writes = await writesDuring(world, async () => {
      summary = await worker.products.run();
    });

    expect(writes.sort()).toEqual(['meli.updateProduct', 'shopee.updateProduct', 'tiktok.updateProduct']);
    expect(summary?.updated).toBe(3);
    expect(world.shopee.listingsWithSku('MUG')[0]?.title).toBe('Ceramic mug, 350 ml');
  });

  it('pushes changed prices and stock in batches no larger than each marketplace allows', async () => {
    const world = await createWorld();
    const worker = createWorker(world);
    await worker.products.run();
    const repriced = catalog().map((product) => ({
      ...product,
      variants: product.variants.map((v) => ({ ...v, price: money('99.00', 'BRL') })),
    }));
    await world.store.upsertProducts(repriced);
    const skus = repriced.flatMap((p) => p.variants.map((v) => v.sku!));
    await world.store.applyStockMovements(skus.map((sku) => ({ key: `recount-${sku}`, sku, set: 2 })));
    const callsBefore = new Map(world.marketplaces.map((m) => [m, m.calls.length]));

    const summary = await worker.products.run();

    expect(summary).toMatchObject({ pricesPushed: 18, stockPushed: 18, updated: 0, failed: [] });
    for (const marketplace of world.marketplaces) {
      const calls = marketplace.calls.slice(callsBefore.get(marketplace));
      for (const operation of ['updatePrices', 'updateInventory'] as const) {
        const batches = calls
          .filter((c) => c.operation === operation)
          .map((c) => (c.args[0] as unknown[]).length);
        const max = marketplace.spec.maxBatch[operation];
        expect(batches.every((size) => size <= max)).toBe(true);
        expect(batches.reduce((a, b) => a + b, 0)).toBe(skus.length);
      }
      for (const sku of skus) {
        expect(marketplace.priceOf(sku)).toEqual(money('99.00', 'BRL'));
        expect(marketplace.stockOf(sku)).toBe(2);
      }
    }
  });

  it('validates against each marketplace before sending, and one invalid product does not stop the run', async () => {
    const world = await createWorld([
      ...catalog(),
      normalizeProduct({
        sku: 'LONG',
        title: `An extremely descriptive title ${'x'.repeat(50)}`,
        images: ['https://example.com/long.jpg'],
        price: money('10', 'BRL'),
        quantity: 1,
      }),
    ]);
    const worker = createWorker(world);
    const failed: SyncEventMap['item.failed'][0][] = [];
    worker.products.on('item.failed', (event) => failed.push(event));

    const summary = await worker.products.run();

    expect(summary.created).toBe(11);
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0]).toMatchObject({
      marketplace: 'meli',
      sku: 'LONG',
      stage: 'validate',
      retryable: false,
    });
    expect(summary.failed[0]?.reason).toMatch(/title: at most 60 characters/);
    expect(failed).toHaveLength(1);
    expect(world.meli.calls.filter((c) => c.operation === 'createProduct')).toHaveLength(3);
    expect(world.shopee.listingsWithSku('LONG')).toHaveLength(1);
  });

  it('never makes a second listing when the response to a create was lost', async () => {
    const world = await createWorld();
    world.meli.inject('createProduct', 'lost-response');
    const worker = createWorker(world, { products: { adoptExisting: false } });

    const first = await worker.products.run();
    expect(first.failed).toMatchObject([{ marketplace: 'meli', stage: 'create', retryable: true }]);
    const lost = first.failed[0]!.sku!;
    expect((await world.store.getListing({ ...world.meli.client(), sku: lost }))?.state).toBe('creating');

    const tooSoon = await worker.products.run();
    expect(tooSoon.failed).toMatchObject([{ marketplace: 'meli', sku: lost, stage: 'create' }]);
    expect(world.meli.listingsWithSku(lost)).toHaveLength(1);

    world.clock.advance(INTENT_TIMEOUT + 1);
    const recovered = await worker.products.run();

    expect(recovered).toMatchObject({ adopted: 1, failed: [] });
    expect(world.meli.listingsWithSku(lost)).toHaveLength(1);
    const listing = await world.store.getListing({ ...world.meli.client(), sku: lost });
    expect(listing?.productExternalId).toBe(world.meli.listingsWithSku(lost)[0]?.externalId);
    expect(world.meli.calls.filter((c) => c.operation === 'findProductsBySku')).toHaveLength(1);
    await worker.products.run();
    expect(world.meli.listingsWithSku(lost)).toHaveLength(1);
  });

  it('creates again after a 5xx once the intent timed out and the SKU is not on the marketplace', async () => {
    const world = await createWorld();
    world.shopee.inject('createProduct', '5xx');
    const worker = createWorker(world);

    const first = await worker.products.run();
    const failedSku = first.failed[0]?.sku;
    expect(first.failed).toMatchObject([{ marketplace: 'shopee', stage: 'create', retryable: true }]);
    expect(world.shopee.listingsWithSku(failedSku!)).toHaveLength(0);

    world.clock.advance(INTENT_TIMEOUT + 1);
    const second = await worker.products.run();

    expect(second).toMatchObject({ created: 1, failed: [] });
    for (const sku of CATALOG_SKUS) expect(world.shopee.listingsWithSku(sku)).toHaveLength(1);
  });

  it('forgets the intent of a create the marketplace refused, so the next run tries at once', async () => {
    const world = await createWorld();
    const worker = createWorker(world);
    const cap = catalog()[1]!;
    await world.store.upsertProducts([{ ...cap, images: [] }]);

    const first = await worker.products.run({ skus: ['CAP'] });
    expect(first.failed.map((f) => f.stage)).toEqual(['validate', 'validate', 'validate']);
    await world.store.upsertProducts([cap]);
    const second = await worker.products.run({ skus: ['CAP'] });

    expect(second).toMatchObject({ created: 3, failed: [] });
  });

  it('adopts a listing that already carries the SKU instead of duplicating it', async () => {
    const world = await createWorld();
    const byHand = await world.tiktok.client().createProduct(catalog()[1]!);
    world.tiktok.calls.length = 0;

    const summary = await createWorker(world).products.run();

    expect(summary.adopted).toBe(1);
    expect(world.tiktok.listingsWithSku('CAP')).toHaveLength(1);
    expect((await world.store.getListing({ ...world.tiktok.client(), sku: 'CAP' }))?.productExternalId).toBe(
      byHand.externalId,
    );
    expect(world.tiktok.calls.filter((c) => c.operation === 'createProduct')).toHaveLength(2);
  });

  it('adopts a listing whose status the marketplace did not report without sending it a status change', async () => {
    const world = await createWorld();
    const product = catalog()[1]!;
    const byHand = await world.tiktok.client().createProduct(product);
    const tiktok = world.tiktok.client();
    // As a TikTok Shop product detail without `status` / `product_status`: the status is unknown.
    const statusless: MarketplaceClient = {
      ...tiktok,
      findProductsBySku: async (sku) =>
        (await tiktok.findProductsBySku(sku)).map((found) => ({ ...found, status: 'unknown' as const })),
    };
    const worker = createWorker(world, { clients: [statusless] });

    const writes = await writesDuring(world, () => worker.products.run({ skus: [product.sku] }));

    expect(writes).not.toContain('tiktok.setProductStatus');
    const listing = await world.store.getListing({ ...tiktok, sku: product.sku });
    expect(listing).toMatchObject({ productExternalId: byHand.externalId, status: 'unknown' });
    const again = await writesDuring(world, () => worker.products.run({ skus: [product.sku] }));
    expect(again).not.toContain('tiktok.setProductStatus');
  });

  it('adopts a listing whose product SKU the marketplace cannot search, found by its first variant SKU', async () => {
    const world = await createWorld();
    const product = catalog().find((candidate) => candidate.variants.length > 1)!;
    const byHand = await world.tiktok.client().createProduct(product);
    const tiktok = world.tiktok.client();
    const searched: string[] = [];
    // As TikTok Shop: the search matches variant SKUs only, never the product's own SKU.
    const variantSearchOnly: MarketplaceClient = {
      ...tiktok,
      findProductsBySku: async (sku) => {
        searched.push(sku);
        const found = await tiktok.findProductsBySku(sku);
        return found.filter((listing) => listing.variants.some((variant) => variant.sku === sku));
      },
    };

    const summary = await createWorker(world, { clients: [variantSearchOnly] }).products.run({
      skus: [product.sku],
    });

    expect(summary).toMatchObject({ adopted: 1, created: 0, failed: [] });
    expect(world.tiktok.listingsWithSku(product.sku)).toHaveLength(1);
    expect((await world.store.getListing({ ...tiktok, sku: product.sku }))?.productExternalId).toBe(
      byHand.externalId,
    );
    expect(searched).toEqual([product.sku, product.variants[0]!.sku]);
  });

  it('does not adopt a marketplace listing whose variants have no SKU, however it was found', async () => {
    const world = await createWorld();
    const product = catalog().find((candidate) => candidate.variants.length > 1)!;
    const tiktok = world.tiktok.client();
    // A listing the seller made by hand, without SKUs: nothing on it is the catalog's.
    const withoutSkus = normalizeProduct({
      ...product,
      externalId: 'HANDMADE-1',
      sku: 'HANDMADE-1',
      price: undefined,
      quantity: undefined,
      variants: product.variants.map(({ sku: _sku, ...variant }) => variant),
    });
    const loose: MarketplaceClient = { ...tiktok, findProductsBySku: async () => [withoutSkus] };

    const summary = await createWorker(world, { clients: [loose] }).products.run({ skus: [product.sku] });

    expect(summary).toMatchObject({ adopted: 0, created: 1, failed: [] });
  });

  it('refuses a catalog product with a variant without SKU before it is stored', async () => {
    const [first] = catalog();
    const world = await createWorld();
    const withoutSkus = normalizeProduct({
      ...first!,
      price: undefined,
      quantity: undefined,
      variants: first!.variants.map(({ sku: _sku, ...variant }) => variant),
    });

    await expect(world.store.upsertProducts([withoutSkus])).rejects.toThrow(/variants\.0\.sku/);
    expect(await world.store.getProducts([first!.sku])).toEqual([first]);
  });

  it('lets two workers sync the same catalog at once without duplicating a listing', async () => {
    const world = await createWorld();
    const a = createWorker(world, { owner: 'a' });
    const b = createWorker(world, { owner: 'b' });

    await Promise.all([a.products.run(), b.products.run()]);
    world.clock.advance(INTENT_TIMEOUT + 1);
    await Promise.all([a.products.run(), b.products.run()]);

    for (const marketplace of world.marketplaces) {
      for (const sku of CATALOG_SKUS) expect(marketplace.listingsWithSku(sku)).toHaveLength(1);
    }
  });

  it('holds back the buffer of each marketplace and never publishes a negative stock', async () => {
    const world = await createWorld();
    await world.store.applyStockMovements([{ key: 'oversold', sku: 'CAP', set: 0 }]);
    await world.store.applyStockMovements([{ key: 'oversold-2', sku: 'CAP', delta: -3 }]);
    await createWorker(world, { products: { stockBuffer: { shopee: 2 } } }).products.run();

    expect(world.shopee.stockOf('MUG-RED')).toBe(8);
    expect(world.meli.stockOf('MUG-RED')).toBe(10);
    expect(world.shopee.stockOf('TEE-S')).toBe(2);
    for (const marketplace of world.marketplaces) expect(marketplace.stockOf('CAP')).toBe(0);
  });

  it('sends what `prepare` shapes per marketplace and updates when that shape changes', async () => {
    const world = await createWorld();
    let category = 'MLB-1';
    const worker = createWorker(world, {
      products: {
        prepare: (product, client) =>
          client.marketplace === 'meli' ? { product: { ...product, categoryId: category } } : { product },
      },
    });
    await worker.products.run();
    expect(world.meli.listingsWithSku('MUG')[0]?.categoryId).toBe('MLB-1');

    category = 'MLB-2';
    const summary = await worker.products.run();

    expect(summary.updated).toBe(3);
    expect(world.meli.writes().filter((c) => c.operation === 'updateProduct')).toHaveLength(3);
    expect(world.shopee.writes().filter((c) => c.operation === 'updateProduct')).toHaveLength(0);
  });

  it('reports progress up to the total and finishes with the summary it returns', async () => {
    const world = await createWorld();
    const worker = createWorker(world);
    const seen: string[] = [];
    let last = { done: 0, total: 0 };
    let finished: unknown;
    worker.products.on('started', () => seen.push('started'));
    worker.products.on('progress', (p) => {
      last = p;
    });
    worker.products.on('item.synced', (e) => seen.push(`${e.marketplace}:${e.sku}:${e.actions.join('+')}`));
    worker.products.on('finished', (e) => {
      finished = e.summary;
    });
    worker.products.on('item.synced', () => {
      throw new Error('a listener bug');
    });

    const summary = await worker.products.run();

    expect(seen[0]).toBe('started');
    expect(seen).toContain('shopee:TEE:created');
    expect(last).toMatchObject({ done: 9, total: 9 });
    expect(finished).toBe(summary);
  });

  it('keeps at most `concurrency` products in flight per marketplace, and counts only known SKUs', async () => {
    const world = await createWorld([
      ...catalog(),
      ...['A', 'B', 'C', 'D', 'E'].map((sku) =>
        normalizeProduct({
          sku,
          title: sku,
          images: ['https://example.com/x.jpg'],
          price: money('1', 'BRL'),
          quantity: 1,
        }),
      ),
    ]);
    let inFlight = 0;
    let peak = 0;
    const base = world.shopee.client();
    const shopee = {
      ...base,
      createProduct: async (...args: Parameters<typeof base.createProduct>) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        try {
          return await base.createProduct(...args);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const worker = createWorker(world, { clients: [shopee], products: { concurrency: 2 } });
    let last = { done: 0, total: 0 };
    worker.products.on('progress', (p) => {
      last = p;
    });

    const summary = await worker.products.run({ skus: ['A', 'B', 'C', 'D', 'E', 'MUG', 'NOT-IN-CATALOG'] });

    expect(summary.created).toBe(6);
    expect(peak).toBe(2);
    expect(last).toEqual(expect.objectContaining({ done: 6, total: 6 }));
  });

  it('pauses a listing when the catalog product is paused', async () => {
    const world = await createWorld();
    const worker = createWorker(world);
    await worker.products.run();
    await world.store.upsertProducts([{ ...catalog()[1]!, status: 'paused' }]);

    const summary = await worker.products.run();

    expect(summary.statusChanged).toBe(3);
    for (const marketplace of world.marketplaces)
      expect(marketplace.listingsWithSku('CAP')[0]?.status).toBe('paused');
  });
});
