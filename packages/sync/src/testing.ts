/**
 * The conformance suite of a {@link SyncStore}, for the tests of a store of your own:
 * {@link describeSyncStoreConformance}. It runs under vitest (its `describe`/`it`/`expect`).
 *
 * @module @mlh/sync/testing
 */
import {
  money,
  normalizeProduct,
  type Order,
  type OrderStatus,
  type Product,
  ValidationError,
} from '@mlh/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findListingsByExternalIdsOf,
  type ListingKey,
  resolveOrderLineSkusOf,
  type StockMovement,
  type SyncStore,
  upsertOrdersOf,
} from './store';

export { type ActivityStoreUnderTest, describeActivityStoreConformance } from './activity-testing';
export {
  describeTokenStoreConformance,
  type TokenStoreConformanceOptions,
  type TokenStoreUnderTest,
} from './token-store-testing';

/**
 * The conformance battery every {@link SyncStore} runs: `@mlh/sync/testing`. It checks each
 * operation's contract, its atomicity, and its behaviour under concurrent calls on the same keys.
 */

/** What the factory of {@link describeSyncStoreConformance} returns: a fresh, empty store. */
export interface SyncStoreUnderTest {
  store: SyncStore;
  /** Called after each test (drop the schema, close the pool, ...). */
  cleanup?: () => Promise<void> | void;
}

/**
 * Declares the conformance suite for a store. The factory is called before every test and must
 * return an empty store (e.g. a fresh schema).
 *
 * @example
 * // test/my-store.test.ts
 * import { describeSyncStoreConformance } from '@mlh/sync/testing';
 * describeSyncStoreConformance('PostgresSyncStore', async () => {
 *   const store = await createPostgresSyncStore({ connectionString, schema: `t_${Date.now()}` });
 *   return { store, cleanup: () => store.close() };
 * });
 */
export function describeSyncStoreConformance(name: string, factory: () => Promise<SyncStoreUnderTest>): void {
  describe(`SyncStore conformance: ${name}`, () => {
    let store: SyncStore;
    let cleanup: (() => Promise<void> | void) | undefined;

    beforeEach(async () => {
      const made = await factory();
      store = made.store;
      cleanup = made.cleanup;
    });

    afterEach(async () => {
      await cleanup?.();
    });

    describe('catalog', () => {
      it('returns the products it was given, by SKU, omitting unknown SKUs', async () => {
        const mug = sampleProduct('MUG', ['MUG-RED', 'MUG-BLUE']);
        const cap = sampleProduct('CAP');
        await store.upsertProducts([mug, cap]);
        const found = await store.getProducts(['CAP', 'NOPE', 'MUG']);
        expect(found.map((p) => p.sku).sort()).toEqual(['CAP', 'MUG']);
        expect(found.find((p) => p.sku === 'MUG')).toEqual(mug);
        expect(await store.countProducts()).toBe(2);
      });

      it('replaces a product on upsert but seeds stock only for SKUs without stock', async () => {
        await store.upsertProducts([sampleProduct('MUG', ['MUG-RED'], 5)]);
        await store.applyStockMovements([{ key: 'sold-1', sku: 'MUG-RED', delta: -2 }]);
        const renamed = { ...sampleProduct('MUG', ['MUG-RED', 'MUG-BLUE'], 9), title: 'Renamed mug' };
        await store.upsertProducts([renamed]);
        expect((await store.getProducts(['MUG']))[0]?.title).toBe('Renamed mug');
        const stock = await store.getStock(['MUG-RED', 'MUG-BLUE']);
        expect(stock.find((s) => s.sku === 'MUG-RED')?.quantity).toBe(3);
        expect(stock.find((s) => s.sku === 'MUG-BLUE')?.quantity).toBe(9);
        expect(await store.countProducts()).toBe(1);
      });

      it('pages through the whole catalog once, in ascending SKU order', async () => {
        const skus = Array.from({ length: 23 }, (_, i) => `SKU-${String(i).padStart(3, '0')}`);
        await store.upsertProducts([...skus].reverse().map((sku) => sampleProduct(sku)));
        const seen: string[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await store.listProducts({ after, limit: 10 });
          seen.push(...page.items.map((p) => p.sku));
          after = page.next;
          pages += 1;
        } while (after !== undefined && pages < 10);
        expect(seen).toEqual(skus);
        expect(pages).toBe(3);
      });

      it('is not changed by mutating what was passed in or read out', async () => {
        const mug = sampleProduct('MUG');
        await store.upsertProducts([mug]);
        mug.title = 'changed after upsert';
        const [read] = await store.getProducts(['MUG']);
        read!.title = 'changed after read';
        expect((await store.getProducts(['MUG']))[0]?.title).toBe('Mug MUG');
      });
    });

    describe('stock ledger', () => {
      it('applies a movement once per key and returns the new absolute stock', async () => {
        await store.upsertProducts([sampleProduct('MUG', ['MUG-RED'], 10)]);
        const [first] = await store.applyStockMovements([{ key: 'order-1', sku: 'MUG-RED', delta: -3 }]);
        expect(first).toMatchObject({ key: 'order-1', sku: 'MUG-RED', applied: true, quantity: 7 });
        const [again] = await store.applyStockMovements([{ key: 'order-1', sku: 'MUG-RED', delta: -3 }]);
        expect(again).toMatchObject({ applied: false, quantity: 7, version: first!.version });
        expect(first!.version).toBeGreaterThan(1);
      });

      it('sets an absolute stock and starts an unknown SKU at zero', async () => {
        const [counted] = await store.applyStockMovements([{ key: 'count-1', sku: 'NEW', set: 4 }]);
        expect(counted).toMatchObject({ applied: true, quantity: 4 });
        const [sold] = await store.applyStockMovements([{ key: 'sale-1', sku: 'NEW', delta: -6 }]);
        expect(sold?.quantity).toBe(-2);
        expect(await store.getStock(['NEW', 'NONE'])).toEqual([
          { sku: 'NEW', quantity: -2, version: sold!.version },
        ]);
      });

      it('applies a key repeated within one call once', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 10)]);
        const results = await store.applyStockMovements([
          { key: 'k', sku: 'CAP', delta: -1 },
          { key: 'k', sku: 'CAP', delta: -1 },
        ]);
        expect(results.map((r) => r.applied)).toEqual([true, false]);
        expect((await store.getStock(['CAP']))[0]?.quantity).toBe(9);
      });

      it('rejects a batch with an invalid movement without applying any of it', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 10)]);
        const batch: StockMovement[] = [
          { key: 'good', sku: 'CAP', delta: -1 },
          { key: 'bad', sku: 'CAP', delta: 0.5 },
        ];
        await expect(store.applyStockMovements(batch)).rejects.toBeInstanceOf(ValidationError);
        expect((await store.getStock(['CAP']))[0]?.quantity).toBe(10);
        const [retry] = await store.applyStockMovements([{ key: 'good', sku: 'CAP', delta: -1 }]);
        expect(retry?.applied).toBe(true);
      });

      it('applies 50 concurrent calls with the same key exactly once', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 100)]);
        const results = await Promise.all(
          Array.from({ length: 50 }, () =>
            store.applyStockMovements([{ key: 'same', sku: 'CAP', delta: -1 }]),
          ),
        );
        expect(results.flat().filter((r) => r.applied)).toHaveLength(1);
        expect((await store.getStock(['CAP']))[0]?.quantity).toBe(99);
      });

      it('sums 50 concurrent distinct movements exactly, one version each', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 100)]);
        const [before] = await store.getStock(['CAP']);
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store.applyStockMovements([{ key: `m-${i}`, sku: 'CAP', delta: i % 2 === 0 ? -3 : 1 }]),
          ),
        );
        const [after] = await store.getStock(['CAP']);
        expect(after?.quantity).toBe(100 - 25 * 3 + 25);
        expect(after!.version - before!.version).toBe(50);
      });

      it('starts a SKU without stock once under 30 concurrent first movements, losing none', async () => {
        await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            store.applyStockMovements([{ key: `new-${i}`, sku: 'NEW', delta: i % 3 === 0 ? -2 : 1 }]),
          ),
        );
        expect(await store.getStock(['NEW'])).toEqual([{ sku: 'NEW', quantity: 10 * -2 + 20, version: 30 }]);
      });
    });

    describe('listings', () => {
      const key: ListingKey = { marketplace: 'meli', accountId: 'acc-1', sku: 'MUG' };

      it('claims a create once, records the intent, and refuses a second fresh claim', async () => {
        const first = await store.claimListingCreate({ ...key, intentId: 'i-1', now: 1_000, staleBefore: 0 });
        expect(first.claimed).toBe(true);
        expect(first.listing).toMatchObject({
          ...key,
          state: 'creating',
          intent: { id: 'i-1', startedAt: 1_000 },
        });
        const second = await store.claimListingCreate({
          ...key,
          intentId: 'i-2',
          now: 2_000,
          staleBefore: 500,
        });
        expect(second.claimed).toBe(false);
        expect(second.listing.intent?.id).toBe('i-1');
        expect((await store.getListing(key))?.state).toBe('creating');
      });

      it('lets a stale intent be taken over and says which intent it replaced', async () => {
        await store.claimListingCreate({ ...key, intentId: 'i-1', now: 1_000, staleBefore: 0 });
        const takeover = await store.claimListingCreate({
          ...key,
          intentId: 'i-2',
          now: 9_000,
          staleBefore: 5_000,
        });
        expect(takeover).toMatchObject({ claimed: true, takenOver: { id: 'i-1', startedAt: 1_000 } });
        expect((await store.getListing(key))?.intent).toEqual({ id: 'i-2', startedAt: 9_000 });
      });

      it('grants exactly one of 20 concurrent claims on the same listing', async () => {
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.claimListingCreate({ ...key, intentId: `i-${i}`, now: 1_000, staleBefore: 0 }),
          ),
        );
        expect(claims.filter((c) => c.claimed)).toHaveLength(1);
      });

      it('grants exactly one of 20 concurrent takeovers of a stale intent', async () => {
        await store.claimListingCreate({ ...key, intentId: 'old', now: 1_000, staleBefore: 0 });
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.claimListingCreate({ ...key, intentId: `i-${i}`, now: 9_000, staleBefore: 5_000 }),
          ),
        );
        expect(claims.filter((c) => c.claimed)).toHaveLength(1);
      });

      it('completes a create into an active listing found by key, external id and any of its SKUs', async () => {
        await store.claimListingCreate({ ...key, intentId: 'i-1', now: 1_000, staleBefore: 0 });
        const done = await store.completeListingCreate({
          ...key,
          productExternalId: 'MLB1',
          contentHash: 'h1',
          status: 'active',
          variants: [
            {
              sku: 'MUG-RED',
              externalId: 'v1',
              pushedPrice: money('10', 'BRL'),
              pushedQuantity: 3,
              pushedStockVersion: 1,
            },
            { sku: 'MUG-BLUE', externalId: 'v2' },
          ],
          now: 2_000,
        });
        expect(done.ok).toBe(true);
        const listing = await store.getListing(key);
        expect(listing).toMatchObject({
          state: 'active',
          productExternalId: 'MLB1',
          contentHash: 'h1',
          status: 'active',
        });
        expect(listing?.intent).toBeUndefined();
        expect(listing?.variants.find((v) => v.sku === 'MUG-RED')).toMatchObject({
          externalId: 'v1',
          pushedPrice: { amount: '10', currency: 'BRL' },
          pushedQuantity: 3,
          pushedStockVersion: 1,
        });
        expect((await store.findListingByExternalId('meli', 'acc-1', 'MLB1'))?.sku).toBe('MUG');
        expect(await store.findListingByExternalId('meli', 'other', 'MLB1')).toBeUndefined();
        expect((await store.findListingsBySku('MUG-BLUE')).map((l) => l.productExternalId)).toEqual(['MLB1']);
        expect((await store.findListingsBySku('MUG')).map((l) => l.productExternalId)).toEqual(['MLB1']);
      });

      it('finds many active listings by external id at once, omitting unknown ids and other accounts', async () => {
        await activeListing(store, key, ['MUG-RED', 'MUG-BLUE']);
        await activeListing(store, { ...key, sku: 'CAP' }, ['CAP']);
        await activeListing(store, { ...key, accountId: 'other', sku: 'HAT' }, ['HAT']);
        await store.claimListingCreate({ ...key, sku: 'NEW', intentId: 'i-new', now: 0, staleBefore: 0 });
        const found = await findListingsByExternalIdsOf(store, key.marketplace, key.accountId, [
          'EXT-MUG',
          'EXT-CAP',
          'EXT-HAT',
          'NOPE',
          'EXT-MUG',
        ]);
        expect(found.map((l) => l.sku).sort()).toEqual(['CAP', 'MUG']);
        expect(found.find((l) => l.sku === 'MUG')?.variants.map((v) => v.sku)).toEqual([
          'MUG-RED',
          'MUG-BLUE',
        ]);
        expect(await findListingsByExternalIdsOf(store, key.marketplace, key.accountId, [])).toEqual([]);
      });

      it('resolves order lines to the SKUs they move: the listing variant, else the line SKU, when stocked', async () => {
        await store.upsertProducts([
          sampleProduct('MUG', ['MUG-RED', 'MUG-BLUE']),
          sampleProduct('CAP'),
          sampleProduct('LOOSE'),
          sampleProduct('HAT'),
        ]);
        await activeListing(store, key, ['MUG-RED', 'MUG-BLUE']);
        await activeListing(store, { ...key, sku: 'CAP' }, ['CAP']);
        await activeListing(store, { ...key, sku: 'GHOST' }, ['GHOST-1']);
        await activeListing(store, { ...key, accountId: 'other', sku: 'HAT' }, ['HAT']);
        await store.claimListingCreate({ ...key, sku: 'LOOSE', intentId: 'i-new', now: 0, staleBefore: 0 });
        const lines = [
          { productExternalId: 'EXT-MUG', variantExternalId: 'ext-MUG-BLUE', sku: 'LOOSE' },
          { productExternalId: 'EXT-MUG', variantExternalId: 'unknown', sku: 'LOOSE' },
          { productExternalId: 'EXT-MUG' },
          { productExternalId: 'EXT-CAP', variantExternalId: 'unknown' },
          { productExternalId: 'EXT-GHOST', variantExternalId: 'ext-GHOST-1', sku: 'LOOSE' },
          { productExternalId: 'EXT-GHOST', variantExternalId: 'ext-GHOST-1' },
          { productExternalId: 'EXT-HAT' },
          { productExternalId: 'EXT-HAT', sku: 'HAT' },
          { productExternalId: 'EXT-LOOSE', sku: 'NOPE' },
          { productExternalId: 'NOPE', sku: '' },
          { productExternalId: 'EXT-MUG', variantExternalId: 'ext-MUG-BLUE', sku: 'LOOSE' },
        ];
        const expected = ['MUG-BLUE', 'LOOSE', undefined, 'CAP', 'LOOSE', undefined, undefined, 'HAT'];
        expected.push(undefined, undefined, 'MUG-BLUE');
        expect(await resolveOrderLineSkusOf(store, key.marketplace, key.accountId, lines)).toEqual(expected);
        // A store's own resolution answers as the listings and stock it holds do.
        const readThroughListings = new Proxy(store, {
          get: (target, property, receiver) =>
            property === 'resolveOrderLineSkus' ? undefined : Reflect.get(target, property, receiver),
        });
        expect(
          await resolveOrderLineSkusOf(readThroughListings, key.marketplace, key.accountId, lines),
        ).toEqual(expected);
        expect(await resolveOrderLineSkusOf(store, key.marketplace, key.accountId, [])).toEqual([]);
      });

      it('refuses to complete with another external id once active, and accepts the same one again', async () => {
        await store.claimListingCreate({ ...key, intentId: 'i-1', now: 1_000, staleBefore: 0 });
        await store.completeListingCreate({
          ...key,
          productExternalId: 'MLB1',
          variants: [{ sku: 'MUG' }],
          now: 2_000,
        });
        const duplicate = await store.completeListingCreate({
          ...key,
          productExternalId: 'MLB2',
          variants: [{ sku: 'MUG' }],
          now: 3_000,
        });
        expect(duplicate).toMatchObject({ ok: false, listing: { productExternalId: 'MLB1' } });
        const same = await store.completeListingCreate({
          ...key,
          productExternalId: 'MLB1',
          variants: [{ sku: 'MUG' }],
          now: 3_000,
        });
        expect(same.ok).toBe(true);
        expect((await store.getListing(key))?.productExternalId).toBe('MLB1');
      });

      it('abandons only its own intent, and never an active listing', async () => {
        await store.claimListingCreate({ ...key, intentId: 'i-1', now: 1_000, staleBefore: 0 });
        expect(await store.abandonListingCreate({ ...key, intentId: 'someone-else' })).toBe(false);
        expect(await store.abandonListingCreate({ ...key, intentId: 'i-1' })).toBe(true);
        expect(await store.getListing(key)).toBeUndefined();
        await store.claimListingCreate({ ...key, intentId: 'i-2', now: 2_000, staleBefore: 0 });
        await store.completeListingCreate({
          ...key,
          productExternalId: 'MLB1',
          variants: [{ sku: 'MUG' }],
          now: 3_000,
        });
        expect(await store.abandonListingCreate({ ...key, intentId: 'i-2' })).toBe(false);
        expect((await store.getListing(key))?.state).toBe('active');
      });

      it('patches an active listing, keeping what was pushed for the SKUs that remain', async () => {
        expect(await store.updateListing(key, { contentHash: 'x' }, 1)).toBeUndefined();
        await activeListing(store, key, ['A', 'B']);
        await store.recordPushes(
          [{ ...key, variantSku: 'A', price: money('5', 'BRL'), stock: { quantity: 2, version: 3 } }],
          5,
        );
        const patched = await store.updateListing(
          key,
          {
            contentHash: 'h2',
            status: 'paused',
            variants: [
              { sku: 'A', externalId: 'va-2' },
              { sku: 'C', externalId: 'vc' },
            ],
          },
          6,
        );
        expect(patched).toMatchObject({ contentHash: 'h2', status: 'paused', productExternalId: 'EXT-MUG' });
        expect(patched?.variants.map((v) => v.sku).sort()).toEqual(['A', 'C']);
        expect(patched?.variants.find((v) => v.sku === 'A')).toMatchObject({
          externalId: 'va-2',
          pushedPrice: { amount: '5', currency: 'BRL' },
          pushedQuantity: 2,
          pushedStockVersion: 3,
        });
        expect(await store.getListing(key)).toEqual(patched);
      });

      it('records pushes without letting an older stock version overwrite a newer one', async () => {
        await activeListing(store, key, ['A']);
        await store.recordPushes([{ ...key, variantSku: 'A', stock: { quantity: 4, version: 7 } }], 1);
        await store.recordPushes([{ ...key, variantSku: 'A', stock: { quantity: 9, version: 5 } }], 2);
        await store.recordPushes([{ ...key, variantSku: 'A', price: money('3.50', 'BRL') }], 3);
        const variant = (await store.getListing(key))?.variants.find((v) => v.sku === 'A');
        expect(variant).toMatchObject({
          pushedQuantity: 4,
          pushedStockVersion: 7,
          pushedPrice: { amount: '3.50' },
        });
      });

      it('lists SKUs whose stock changed since their last push, page by page, for one account only', async () => {
        const skus = Array.from({ length: 7 }, (_, i) => `V${i}`);
        await store.upsertProducts([sampleProduct('MUG', skus, 5)]);
        await activeListing(store, key, skus);
        await activeListing(store, { ...key, accountId: 'acc-2' }, skus);
        await store.claimListingCreate({ ...key, sku: 'OTHER', intentId: 'i', now: 1, staleBefore: 0 });
        const all = await drainStockToPush(store, key, 3);
        expect(all.map((i) => i.variantSku)).toEqual(skus);
        expect(all[0]).toMatchObject({ ...key, productExternalId: 'EXT-MUG', variantExternalId: 'ext-V0' });
        expect(all[0]?.stock.quantity).toBe(5);
        await store.recordPushes(
          all.map((i) => ({
            ...key,
            variantSku: i.variantSku,
            stock: { quantity: 5, version: i.stock.version },
          })),
          2,
        );
        expect(await drainStockToPush(store, key, 3)).toEqual([]);
        await store.applyStockMovements([{ key: 'sale', sku: 'V3', delta: -1 }]);
        const due = await drainStockToPush(store, key, 3);
        expect(due.map((i) => [i.variantSku, i.stock.quantity, i.pushedQuantity])).toEqual([['V3', 4, 5]]);
      });

      it('keeps a SKU due after a write of unknown outcome until a read-back at or after its check time', async () => {
        await store.upsertProducts([sampleProduct('MUG', ['A', 'B'], 5)]);
        await activeListing(store, key, ['A', 'B']);
        const pushed = (version: number) => ({ quantity: 5, version });
        await store.recordPushes(
          [
            { ...key, variantSku: 'A', stock: pushed(1) },
            { ...key, variantSku: 'B', stock: pushed(1) },
          ],
          1,
        );
        expect(await drainStockToPush(store, key, 10)).toEqual([]);

        await store.recordPushes([{ ...key, variantSku: 'A', stockCheckAfter: 100 }], 2);
        await store.recordPushes([{ ...key, variantSku: 'A', stockCheckAfter: 50 }], 3);
        await store.recordPushes([{ ...key, variantSku: 'A', stock: pushed(1), stockReadBackAt: 99 }], 4);
        const due = await drainStockToPush(store, key, 10);
        expect(due.map((i) => [i.variantSku, i.stockCheckAfter])).toEqual([['A', 100]]);
        expect((await store.getListing(key))?.variants.find((v) => v.sku === 'A')?.stockCheckAfter).toBe(100);

        await store.recordPushes([{ ...key, variantSku: 'A', stock: pushed(1), stockReadBackAt: 100 }], 5);
        expect(await drainStockToPush(store, key, 10)).toEqual([]);
        expect(
          (await store.getListing(key))?.variants.find((v) => v.sku === 'A')?.stockCheckAfter,
        ).toBeUndefined();
      });

      it('pages through the listings of one account', async () => {
        for (const sku of ['C', 'A', 'B']) await activeListing(store, { ...key, sku }, [sku]);
        await activeListing(store, { ...key, accountId: 'acc-2', sku: 'Z' }, ['Z']);
        const first = await store.listListings({ marketplace: 'meli', accountId: 'acc-1', limit: 2 });
        expect(first.items.map((l) => l.sku)).toEqual(['A', 'B']);
        const second = await store.listListings({
          marketplace: 'meli',
          accountId: 'acc-1',
          after: first.next,
          limit: 2,
        });
        expect(second.items.map((l) => l.sku)).toEqual(['C']);
        expect(second.next).toBeUndefined();
      });
    });

    describe('orders', () => {
      it('tells created, unchanged, updated and stale apart by the marketplace update time', async () => {
        const paid = sampleOrder('paid', '2026-01-01T10:00:00.000Z');
        const shipped = sampleOrder('shipped', '2026-01-01T12:00:00.000Z');
        expect((await upsert(store, paid, 'h-paid')).outcome).toBe('created');
        expect((await upsert(store, paid, 'h-paid')).outcome).toBe('unchanged');
        expect((await upsert(store, shipped, 'h-shipped')).outcome).toBe('updated');
        const stale = await upsert(store, paid, 'h-paid');
        expect(stale.outcome).toBe('stale');
        expect(stale.stored.order.status).toBe('shipped');
        expect((await store.getOrder(orderKey(paid)))?.order.status).toBe('shipped');
      });

      it('on equal update times lets a later status win and an earlier one lose', async () => {
        const at = '2026-01-01T10:00:00.000Z';
        await upsert(store, sampleOrder('paid', at), 'h-paid');
        expect((await upsert(store, sampleOrder('cancelled', at), 'h-cancelled')).outcome).toBe('updated');
        expect((await upsert(store, sampleOrder('paid', at), 'h-paid')).outcome).toBe('stale');
        expect((await store.getOrder(orderKey(sampleOrder('paid', at))))?.order.status).toBe('cancelled');
      });

      it('applies the movements with the order, once, and none for a stale order', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 10)]);
        const reserve = { key: 'o1:reserve', sku: 'CAP', delta: -2 };
        const created = await upsert(store, sampleOrder('paid', '2026-01-01T10:00:00.000Z'), 'a', [reserve]);
        expect(created.stock).toMatchObject([{ key: 'o1:reserve', applied: true, quantity: 8 }]);
        const again = await upsert(store, sampleOrder('paid', '2026-01-01T10:00:00.000Z'), 'a', [reserve]);
        expect(again.stock).toMatchObject([{ applied: false, quantity: 8 }]);
        await upsert(store, sampleOrder('cancelled', '2026-01-02T10:00:00.000Z'), 'b', [
          reserve,
          { key: 'o1:release', sku: 'CAP', delta: 2 },
        ]);
        const stale = await upsert(store, sampleOrder('paid', '2026-01-01T10:00:00.000Z'), 'a', [
          { key: 'o1:other', sku: 'CAP', delta: -5 },
        ]);
        expect(stale).toMatchObject({ outcome: 'stale', stock: [] });
        expect((await store.getStock(['CAP']))[0]?.quantity).toBe(10);
      });

      it('stores neither the order nor any movement when a movement is invalid', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 10)]);
        const order = sampleOrder('paid', '2026-01-01T10:00:00.000Z');
        await expect(
          upsert(store, order, 'a', [
            { key: 'ok', sku: 'CAP', delta: -1 },
            { key: '', sku: 'CAP', delta: -1 },
          ]),
        ).rejects.toBeInstanceOf(ValidationError);
        expect(await store.getOrder(orderKey(order))).toBeUndefined();
        expect((await store.getStock(['CAP']))[0]?.quantity).toBe(10);
      });

      it('keeps the newest of 20 concurrent upserts with different update times, created once', async () => {
        const hours = shuffle(Array.from({ length: 20 }, (_, i) => i));
        const results = await Promise.all(
          hours.map((h) =>
            upsert(
              store,
              sampleOrder('paid', new Date(Date.UTC(2026, 0, 1, h)).toISOString(), `buyer-${h}`),
              `h-${h}`,
            ),
          ),
        );
        expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
        const stored = await store.getOrder(orderKey(sampleOrder('paid', '2026-01-01T00:00:00.000Z')));
        expect(stored?.order.updatedAt).toBe(new Date(Date.UTC(2026, 0, 1, 19)).toISOString());
        expect(stored?.contentHash).toBe('h-19');
      });

      it('moves stock once for 20 concurrent upserts of the same order', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 10)]);
        const order = sampleOrder('paid', '2026-01-01T10:00:00.000Z');
        await Promise.all(
          Array.from({ length: 20 }, () =>
            upsert(store, order, 'a', [{ key: 'o1:reserve', sku: 'CAP', delta: -3 }]),
          ),
        );
        expect((await store.getStock(['CAP']))[0]?.quantity).toBe(7);
      });

      it('upserts a batch of orders as one call per order would, in input order', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 10)]);
        const o1 = sampleOrder('paid', '2026-01-01T10:00:00.000Z');
        const o2 = { ...sampleOrder('paid', '2026-01-01T10:00:00.000Z'), externalId: 'o2' };
        const o1Shipped = sampleOrder('shipped', '2026-01-01T12:00:00.000Z');
        const reserve1 = { key: 'o1:reserve', sku: 'CAP', delta: -2 };
        const first = await upsertOrdersOf(store, [
          { order: o1, contentHash: 'a', movements: [reserve1], now: 1 },
          { order: o2, contentHash: 'b', movements: [{ key: 'o2:reserve', sku: 'CAP', delta: -1 }], now: 1 },
          { order: o1Shipped, contentHash: 'c', movements: [reserve1], now: 2 },
        ]);
        expect(first.map((r) => r.outcome)).toEqual(['created', 'created', 'updated']);
        expect(first.map((r) => r.stock.map((m) => [m.applied, m.quantity]))).toEqual([
          [[true, 8]],
          [[true, 7]],
          [[false, 7]],
        ]);
        expect(first[2]?.stored).toMatchObject({ contentHash: 'c', storedAt: 2 });
        const second = await upsertOrdersOf(store, [
          { order: o2, contentHash: 'b', movements: [], now: 3 },
          { order: o1, contentHash: 'a', movements: [{ key: 'o1:late', sku: 'CAP', delta: -5 }], now: 3 },
        ]);
        expect(second.map((r) => r.outcome)).toEqual(['unchanged', 'stale']);
        expect(second[1]?.stored.order.status).toBe('shipped');
        expect((await store.getOrder(orderKey(o1)))?.order.status).toBe('shipped');
        expect((await store.getStock(['CAP']))[0]?.quantity).toBe(7);
        expect(await upsertOrdersOf(store, [])).toEqual([]);
      });

      it('stores nothing of a batch when one of its orders is invalid, naming the field', async (context) => {
        if (!store.upsertOrders) context.skip();
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 10)]);
        const o1 = sampleOrder('paid', '2026-01-01T10:00:00.000Z');
        const o2 = { ...o1, externalId: 'o2' };
        const error = await store.upsertOrders!([
          { order: o1, contentHash: 'a', movements: [{ key: 'o1:reserve', sku: 'CAP', delta: -2 }], now: 0 },
          { order: o2, contentHash: 'b', movements: [{ key: '', sku: 'CAP', delta: -1 }], now: 0 },
        ]).catch((failure: unknown) => failure);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['1.movements.0.key']);
        expect(await store.getOrder(orderKey(o1))).toBeUndefined();
        expect((await store.getStock(['CAP']))[0]?.quantity).toBe(10);
      });

      it('moves stock once per key for 10 concurrent batches of the same orders', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 100), sampleProduct('MUG', ['MUG'], 100)]);
        const ids = ['o1', 'o2', 'o3', 'o4'];
        const inputs = ids.map((id, i) => ({
          order: { ...sampleOrder('paid', '2026-01-01T10:00:00.000Z'), externalId: id },
          contentHash: id,
          movements: [
            { key: `${id}:cap`, sku: 'CAP', delta: -(i + 1) },
            { key: `${id}:mug`, sku: 'MUG', delta: -1 },
          ],
          now: 0,
        }));
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, n) =>
            upsertOrdersOf(store, n % 2 === 0 ? inputs : [...inputs].reverse()),
          ),
        );
        expect(results.flat().filter((r) => r.outcome === 'created')).toHaveLength(4);
        expect(await store.getStock(['CAP', 'MUG'])).toEqual([
          expect.objectContaining({ sku: 'CAP', quantity: 90, version: 5 }),
          expect.objectContaining({ sku: 'MUG', quantity: 96, version: 5 }),
        ]);
      });

      it('sums order batches and direct movements on the same SKUs, with and without stock, when concurrent', async () => {
        await store.upsertProducts([sampleProduct('CAP', ['CAP'], 100)]);
        const batches = Array.from({ length: 6 }, (_, batch) =>
          Array.from({ length: 3 }, (_, n) => ({
            order: { ...sampleOrder('paid', '2026-01-01T10:00:00.000Z'), externalId: `b${batch}-o${n}` },
            contentHash: `b${batch}-o${n}`,
            movements: [
              { key: `b${batch}-o${n}:cap`, sku: 'CAP', delta: -1 },
              { key: `b${batch}-o${n}:fresh`, sku: 'FRESH', delta: -2 },
            ],
            now: 0,
          })),
        );
        const direct = Array.from({ length: 6 }, (_, i) => [
          { key: `restock-${i}:cap`, sku: 'CAP', delta: 5 },
          { key: `restock-${i}:fresh`, sku: 'FRESH', delta: 3 },
        ]);
        const results = await Promise.all([
          ...batches.map((inputs) => upsertOrdersOf(store, inputs)),
          ...direct.map((movements) => store.applyStockMovements(movements)),
        ]);
        expect(results.flat().filter((r) => 'outcome' in r && r.outcome === 'created')).toHaveLength(18);
        expect(await store.getStock(['CAP', 'FRESH'])).toEqual([
          { sku: 'CAP', quantity: 100 - 18 + 30, version: 1 + 18 + 6 },
          { sku: 'FRESH', quantity: -36 + 18, version: 18 + 6 },
        ]);
        // Every version of each SKU was reached once: no movement was applied on a stale read.
        const again = await Promise.all(batches.map((inputs) => upsertOrdersOf(store, inputs)));
        expect(again.flat().every((r) => r.outcome === 'unchanged' && r.stock.every((m) => !m.applied))).toBe(
          true,
        );
        expect((await store.getStock(['FRESH']))[0]?.quantity).toBe(-18);
      });

      it('pages through the orders of one account', async () => {
        for (const id of ['o3', 'o1', 'o2']) {
          await upsert(store, { ...sampleOrder('paid', '2026-01-01T10:00:00.000Z'), externalId: id }, id);
        }
        const first = await store.listOrders({ marketplace: 'shopee', accountId: 'shop-1', limit: 2 });
        const second = await store.listOrders({
          marketplace: 'shopee',
          accountId: 'shop-1',
          after: first.next,
          limit: 2,
        });
        expect([...first.items, ...second.items].map((o) => o.order.externalId)).toEqual(['o1', 'o2', 'o3']);
        expect(second.next).toBeUndefined();
      });
    });

    describe('input a database cannot hold', () => {
      const MAX = Number.MAX_SAFE_INTEGER;

      /** The paths of the ValidationError `promise` rejects with. */
      async function refusedPaths(promise: Promise<unknown>): Promise<string[]> {
        const error = await promise.then(
          () => undefined,
          (failure: unknown) => failure,
        );
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues.map((issue) => issue.path);
      }

      it('refuses a SKU with a NUL character anywhere, naming the field, and stores nothing', async () => {
        const mug = sampleProduct('MUG', ['MUG-RED']);
        const withNul = { ...mug, variants: [{ ...mug.variants[0]!, sku: 'MUG\u0000RED' }] };
        expect(await refusedPaths(store.upsertProducts([withNul]))).toContain('products.0.variants.0.sku');
        expect(await store.getProducts(['MUG'])).toEqual([]);
        expect(
          await refusedPaths(store.applyStockMovements([{ key: 'k1', sku: 'CAP\u0000', delta: 1 }])),
        ).toEqual(['movements.0.sku']);
        expect(await refusedPaths(store.getStock(['CAP\u0000']))).toEqual(['skus.0']);
        expect(await refusedPaths(store.findListingsBySku('A\u0000B'))).toEqual(['sku']);
      });

      it('refuses a lone surrogate in a title, keeps well-formed emoji', async () => {
        const broken = { ...sampleProduct('MUG'), title: 'Caneca \uD83D' };
        expect(await refusedPaths(store.upsertProducts([broken]))).toEqual(['products.0.title']);
        const order = sampleOrder('paid', '2026-01-01T10:00:00.000Z', 'Jo\uDE00o');
        expect(await refusedPaths(upsert(store, order, 'h'))).toEqual(['input.order.buyer.nickname']);
        expect(await store.getOrder(orderKey(order))).toBeUndefined();

        const fine = { ...sampleProduct('MUG'), title: 'Caneca ☕ 🎉 çãõ' };
        await store.upsertProducts([fine]);
        expect((await store.getProducts(['MUG']))[0]?.title).toBe('Caneca ☕ 🎉 çãõ');
      });

      it.each([
        ['beyond 2^53', MAX + 2],
        ['beyond a 64-bit integer', 1e20],
        ['negative', -1],
        ['fractional', 1.5],
      ])('refuses an initial stock %s, naming the field, and stores nothing', async (_name, quantity) => {
        const mug = sampleProduct('MUG', ['MUG-RED']);
        const product = { ...mug, variants: [{ ...mug.variants[0]!, quantity }] };
        expect(await refusedPaths(store.upsertProducts([product]))).toContain(
          'products.0.variants.0.quantity',
        );
        expect(await store.getProducts(['MUG'])).toEqual([]);
        expect(await store.getStock(['MUG-RED'])).toEqual([]);
      });

      it('keeps a stock of exactly 2^53−1 exact, and refuses a movement past it without applying the batch', async () => {
        await store.applyStockMovements([{ key: 'count', sku: 'CAP', set: MAX }]);
        expect((await store.getStock(['CAP']))[0]?.quantity).toBe(MAX);
        const batch: StockMovement[] = [
          { key: 'other', sku: 'MUG', delta: 3 },
          { key: 'over', sku: 'CAP', delta: 1 },
        ];
        expect(await refusedPaths(store.applyStockMovements(batch))).toEqual(['1.delta']);
        expect(await store.getStock(['CAP', 'MUG'])).toEqual([
          expect.objectContaining({ sku: 'CAP', quantity: MAX }),
        ]);
        const order = sampleOrder('paid', '2026-01-01T10:00:00.000Z');
        expect(
          await refusedPaths(upsert(store, order, 'h', [{ key: 'o1:over', sku: 'CAP', delta: 2 }])),
        ).toEqual(['0.delta']);
        expect(await store.getOrder(orderKey(order))).toBeUndefined();
        const [down] = await store.applyStockMovements([{ key: 'sale', sku: 'CAP', delta: -MAX }]);
        expect(down).toMatchObject({ applied: true, quantity: 0 });
      });
    });

    describe('checkpoints', () => {
      it('keeps one value per marketplace, account and stream', async () => {
        const key = { marketplace: 'shopee', accountId: 'shop-1', stream: 'orders' };
        expect(await store.getCheckpoint(key)).toBeUndefined();
        await store.setCheckpoint(key, '2026-01-01T00:00:00.000Z');
        await store.setCheckpoint({ ...key, stream: 'other' }, 'x');
        await store.setCheckpoint({ ...key, accountId: 'shop-2' }, 'y');
        await store.setCheckpoint(key, '2026-01-02T00:00:00.000Z');
        expect(await store.getCheckpoint(key)).toBe('2026-01-02T00:00:00.000Z');
        expect(await store.getCheckpoint({ ...key, stream: 'other' })).toBe('x');
      });
    });

    describe('seen events', () => {
      it('lets the first claimer win until the claim expires or is released', async () => {
        expect(await store.claimEvent({ key: 'e1', ttlMs: 1_000, now: 0 })).toBe(true);
        expect(await store.claimEvent({ key: 'e1', ttlMs: 1_000, now: 999 })).toBe(false);
        expect(await store.claimEvent({ key: 'e1', ttlMs: 1_000, now: 1_000 })).toBe(true);
        await store.releaseEvent('e1');
        expect(await store.claimEvent({ key: 'e1', ttlMs: 1_000, now: 1_001 })).toBe(true);
      });

      it('remembers a completed event for the longer retention', async () => {
        await store.claimEvent({ key: 'e1', ttlMs: 100, now: 0 });
        await store.completeEvent({ key: 'e1', ttlMs: 10_000, now: 50 });
        expect(await store.claimEvent({ key: 'e1', ttlMs: 100, now: 5_000 })).toBe(false);
        expect(await store.claimEvent({ key: 'e1', ttlMs: 100, now: 10_050 })).toBe(true);
      });

      it('grants exactly one of 50 concurrent claims of the same key', async () => {
        const claims = await Promise.all(
          Array.from({ length: 50 }, () => store.claimEvent({ key: 'burst', ttlMs: 60_000, now: 0 })),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('leases', () => {
      it('is held by one owner until it expires, then can be taken over with a new token', async () => {
        const a = await store.acquireLease({ key: 'poll', owner: 'a', ttlMs: 1_000, now: 0 });
        expect(a).toMatchObject({ key: 'poll', owner: 'a', expiresAt: 1_000 });
        expect(await store.acquireLease({ key: 'poll', owner: 'b', ttlMs: 1_000, now: 999 })).toBeUndefined();
        const again = await store.acquireLease({ key: 'poll', owner: 'a', ttlMs: 1_000, now: 500 });
        expect(again).toMatchObject({ owner: 'a', expiresAt: 1_500, token: a!.token });
        const b = await store.acquireLease({ key: 'poll', owner: 'b', ttlMs: 1_000, now: 1_500 });
        expect(b?.owner).toBe('b');
        expect(b!.token).toBeGreaterThan(a!.token);
      });

      it('renews only a live lease of its owner', async () => {
        await store.acquireLease({ key: 'poll', owner: 'a', ttlMs: 1_000, now: 0 });
        expect(await store.renewLease({ key: 'poll', owner: 'b', ttlMs: 1_000, now: 10 })).toBeUndefined();
        expect(await store.renewLease({ key: 'poll', owner: 'a', ttlMs: 1_000, now: 900 })).toMatchObject({
          expiresAt: 1_900,
        });
        expect(await store.renewLease({ key: 'poll', owner: 'a', ttlMs: 1_000, now: 1_900 })).toBeUndefined();
      });

      it('is released only by its owner, and is then free', async () => {
        await store.acquireLease({ key: 'poll', owner: 'a', ttlMs: 60_000, now: 0 });
        expect(await store.releaseLease({ key: 'poll', owner: 'b' })).toBe(false);
        expect(await store.releaseLease({ key: 'poll', owner: 'a' })).toBe(true);
        expect(await store.acquireLease({ key: 'poll', owner: 'b', ttlMs: 60_000, now: 1 })).toMatchObject({
          owner: 'b',
        });
      });

      it('grants exactly one of 50 concurrent acquisitions by different owners', async () => {
        const leases = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store.acquireLease({ key: 'poll', owner: `w-${i}`, ttlMs: 60_000, now: 0 }),
          ),
        );
        expect(leases.filter(Boolean)).toHaveLength(1);
      });

      it('keeps fencing tokens increasing across release and purge', async () => {
        const first = await store.acquireLease({ key: 'poll', owner: 'a', ttlMs: 10, now: 0 });
        await store.releaseLease({ key: 'poll', owner: 'a' });
        const second = await store.acquireLease({ key: 'poll', owner: 'b', ttlMs: 10, now: 1 });
        await store.purgeExpired(1_000);
        const third = await store.acquireLease({ key: 'poll', owner: 'c', ttlMs: 10, now: 1_000 });
        expect(second!.token).toBeGreaterThan(first!.token);
        expect(third!.token).toBeGreaterThan(second!.token);
      });

      it('purges expired claims and leases and keeps live ones', async () => {
        await store.claimEvent({ key: 'old', ttlMs: 10, now: 0 });
        await store.claimEvent({ key: 'live', ttlMs: 1_000, now: 0 });
        await store.acquireLease({ key: 'old-lease', owner: 'a', ttlMs: 10, now: 0 });
        expect(await store.purgeExpired(100)).toBe(2);
        expect(await store.claimEvent({ key: 'live', ttlMs: 1_000, now: 100 })).toBe(false);
        expect(await store.claimEvent({ key: 'old', ttlMs: 1_000, now: 100 })).toBe(true);
      });
    });
  });
}

function sampleProduct(sku: string, variantSkus: readonly string[] = [sku], quantity = 5): Product {
  return normalizeProduct({
    sku,
    title: `Mug ${sku}`,
    description: 'A conformance product',
    images: ['https://example.com/mug.jpg'],
    variants: variantSkus.map((variantSku) => ({
      sku: variantSku,
      price: money('19.90', 'BRL'),
      quantity,
      attributes: { option: variantSku },
    })),
  });
}

function sampleOrder(status: OrderStatus, updatedAt: string, buyer = 'buyer'): Order {
  const brl = (amount: string) => money(amount, 'BRL');
  return {
    externalId: 'o1',
    marketplace: 'shopee',
    accountId: 'shop-1',
    buyer: { nickname: buyer },
    items: [
      {
        productExternalId: 'p1',
        sku: 'CAP',
        title: 'Cap',
        quantity: 2,
        unitPrice: brl('10'),
        total: brl('20'),
      },
    ],
    currency: 'BRL',
    subtotal: brl('20'),
    shippingCost: brl('0'),
    tax: brl('0'),
    total: brl('20'),
    status,
    rawStatus: status.toUpperCase(),
    paymentStatus: status === 'pending' ? 'pending' : 'paid',
    shipmentIds: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt,
  };
}

function orderKey(order: Order) {
  return { marketplace: order.marketplace, accountId: order.accountId, externalId: order.externalId };
}

function upsert(store: SyncStore, order: Order, contentHash: string, movements: StockMovement[] = []) {
  return store.upsertOrder({ order, contentHash, movements, now: 0 });
}

async function activeListing(store: SyncStore, key: ListingKey, skus: readonly string[]): Promise<void> {
  await store.claimListingCreate({ ...key, intentId: `i-${key.sku}`, now: 0, staleBefore: 0 });
  await store.completeListingCreate({
    ...key,
    productExternalId: `EXT-${key.sku}`,
    contentHash: 'h1',
    status: 'active',
    variants: skus.map((sku) => ({ sku, externalId: `ext-${sku}` })),
    now: 0,
  });
}

async function drainStockToPush(store: SyncStore, key: ListingKey, limit: number) {
  const items: Awaited<ReturnType<SyncStore['listStockToPush']>>['items'] = [];
  let after: Awaited<ReturnType<SyncStore['listStockToPush']>>['next'];
  let pages = 0;
  do {
    const page = await store.listStockToPush({
      marketplace: key.marketplace,
      accountId: key.accountId,
      after,
      limit,
    });
    items.push(...page.items);
    after = page.next;
    pages += 1;
  } while (after && pages < 100);
  return items;
}

function shuffle<T>(items: T[]): T[] {
  // A fixed permutation: deterministic, yet far from sorted.
  return items
    .map((item, i) => ({ item, rank: (i * 7919) % items.length }))
    .sort((a, b) => a.rank - b.rank)
    .map((x) => x.item);
}
