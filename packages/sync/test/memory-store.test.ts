import { money, normalizeProduct } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import { createMemorySyncStore, eventClaimStore } from '../src/index';
import { describeSyncStoreConformance } from '../src/testing';

describeSyncStoreConformance('createMemorySyncStore', async () => ({ store: createMemorySyncStore() }));

describe('createMemorySyncStore snapshots', () => {
  it('starts a new store from a snapshot, independent of the original from then on', async () => {
    const original = createMemorySyncStore();
    await original.upsertProducts([
      normalizeProduct({ sku: 'CAP', title: 'Cap', price: money('10', 'BRL'), quantity: 3, images: [] }),
    ]);
    await original.applyStockMovements([{ key: 'sold', sku: 'CAP', delta: -1 }]);
    await original.acquireLease({ key: 'poll', owner: 'a', ttlMs: 1_000, now: 0 });

    const copy = createMemorySyncStore(original.snapshot());
    await original.applyStockMovements([{ key: 'sold-again', sku: 'CAP', delta: -1 }]);

    expect(await copy.getStock(['CAP'])).toEqual([{ sku: 'CAP', quantity: 2, version: 2 }]);
    expect((await copy.applyStockMovements([{ key: 'sold', sku: 'CAP', delta: -1 }]))[0]?.applied).toBe(
      false,
    );
    expect(await copy.acquireLease({ key: 'poll', owner: 'b', ttlMs: 1_000, now: 10 })).toBeUndefined();
    expect(await copy.listProducts({ limit: 10 })).toMatchObject({ items: [{ sku: 'CAP' }] });
    expect((await original.getStock(['CAP']))[0]?.quantity).toBe(1);
  });
});

describe('eventClaimStore', () => {
  it('lets a webhook handler deduplicate on the sync store without colliding with OrderSync keys', async () => {
    const store = createMemorySyncStore();
    let now = 0;
    const dedupe = eventClaimStore(store, { clock: () => now });

    expect(await dedupe.claim('meli:n-1', 1_000)).toBe(true);
    expect(await dedupe.claim('meli:n-1', 1_000)).toBe(false);
    expect(await store.claimEvent({ key: 'meli:n-1', ttlMs: 1_000, now })).toBe(true);
    now = 1_000;
    expect(await dedupe.claim('meli:n-1', 1_000)).toBe(true);
  });
});
