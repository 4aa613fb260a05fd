import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EncryptedTokenStore,
  generateTokenEncryptionKey,
  money,
  normalizeProduct,
  type Order,
  type TokenSet,
} from '@mlh/core';
import { describeSyncStoreConformance } from '@mlh/sync/testing';
import initSqlJs from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteSyncStore, type SqliteSyncStore } from '../sqlite-store/store';

describeSyncStoreConformance('SQLite (sql.js)', async () => {
  const store = await createSqliteSyncStore();
  return { store, cleanup: () => store.close() };
});

describe('SQLite store in a file', () => {
  let dir: string;
  let filename: string;
  const open: SqliteSyncStore[] = [];
  const openStore = async () => {
    const store = await createSqliteSyncStore({ filename });
    open.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlh-sqlite-'));
    filename = join(dir, 'store.sqlite');
  });

  afterEach(() => {
    for (const store of open.splice(0)) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back after reopening everything that was written', async () => {
    const first = await openStore();
    await first.upsertProducts([mug()]);
    await first.upsertOrder({
      order: order(),
      contentHash: 'h1',
      movements: [{ key: 'order:o1:reserve', sku: 'MUG-RED', delta: -2 }],
      now: 1_000,
    });
    await first.claimListingCreate({
      marketplace: 'meli',
      accountId: 'acc-1',
      sku: 'MUG',
      intentId: 'i-1',
      now: 1,
      staleBefore: 0,
    });
    await first.completeListingCreate({
      marketplace: 'meli',
      accountId: 'acc-1',
      sku: 'MUG',
      productExternalId: 'MLB1',
      variants: [
        {
          sku: 'MUG-RED',
          externalId: 'v1',
          pushedPrice: money('29.90', 'BRL'),
          pushedQuantity: 8,
          pushedStockVersion: 2,
        },
      ],
      now: 2,
    });
    await first.setCheckpoint({ marketplace: 'shopee', accountId: 'shop-1', stream: 'orders' }, 'cursor-1');
    const lease = await first.acquireLease({ key: 'poll', owner: 'worker-a', ttlMs: 60_000, now: 0 });
    first.close();

    const second = await openStore();
    expect(await second.getProducts(['MUG'])).toEqual([mug()]);
    expect(await second.getStock(['MUG-RED'])).toEqual([{ sku: 'MUG-RED', quantity: 8, version: 2 }]);
    expect(
      (await second.getOrder({ marketplace: 'shopee', accountId: 'shop-1', externalId: 'o1' }))?.order,
    ).toEqual(order());
    expect(await second.getListing({ marketplace: 'meli', accountId: 'acc-1', sku: 'MUG' })).toMatchObject({
      state: 'active',
      productExternalId: 'MLB1',
      variants: [
        {
          sku: 'MUG-RED',
          externalId: 'v1',
          pushedPrice: { amount: '29.90', currency: 'BRL' },
          pushedQuantity: 8,
        },
      ],
    });
    expect(await second.getCheckpoint({ marketplace: 'shopee', accountId: 'shop-1', stream: 'orders' })).toBe(
      'cursor-1',
    );
    // The movement key and the lease survived too: no double decrement, no second holder.
    const [again] = await second.applyStockMovements([
      { key: 'order:o1:reserve', sku: 'MUG-RED', delta: -2 },
    ]);
    expect(again).toMatchObject({ applied: false, quantity: 8 });
    expect(
      await second.acquireLease({ key: 'poll', owner: 'worker-b', ttlMs: 60_000, now: 1 }),
    ).toBeUndefined();
    expect(
      (await second.acquireLease({ key: 'poll', owner: 'worker-b', ttlMs: 60_000, now: 60_000 }))?.token,
    ).toBe(lease!.token + 1);
    // Saved through a temporary file renamed over the old one: nothing else is left in the folder.
    expect(readdirSync(dir)).toEqual(['store.sqlite']);
  });

  it('rejects a call whose save fails and keeps none of it, in memory or on disk', async () => {
    const store = await openStore();
    await store.upsertProducts([mug()]);
    const savedBefore = readFileSync(filename);
    rmSync(dir, { recursive: true, force: true }); // the next save cannot create its temporary file

    await expect(store.applyStockMovements([{ key: 'sale-1', sku: 'MUG-RED', delta: -3 }])).rejects.toThrow(
      /Could not save/,
    );
    expect(await store.getStock(['MUG-RED'])).toEqual([{ sku: 'MUG-RED', quantity: 10, version: 1 }]);

    mkdirSync(dir);
    writeFileSync(filename, savedBefore);
    const [retry] = await store.applyStockMovements([{ key: 'sale-1', sku: 'MUG-RED', delta: -3 }]);
    expect(retry).toMatchObject({ applied: true, quantity: 7 });
  });

  it('refuses a file that is not a SQLite database, or has a newer schema, without changing it', async () => {
    writeFileSync(filename, 'not a database '.repeat(100));
    await expect(openStore()).rejects.toThrow(/is not a SQLite database/);

    const SQL = await initSqlJs();
    const newer = new SQL.Database();
    newer.run('PRAGMA user_version = 99');
    const bytes = newer.export();
    newer.close();
    writeFileSync(filename, bytes);
    await expect(openStore()).rejects.toThrow(/schema version 99, newer/);
    expect(readFileSync(filename).equals(Buffer.from(bytes))).toBe(true);
  });

  it('creates the file when it does not exist yet', async () => {
    expect(existsSync(filename)).toBe(false);
    await openStore();
    expect(existsSync(filename)).toBe(true);
  });
});

describe('SQLite token store', () => {
  let store: SqliteSyncStore;
  const tokens = (accessToken: string): TokenSet => ({
    marketplace: 'meli',
    accountId: '123',
    accessToken,
    refreshToken: `refresh-of-${accessToken}`,
    expiresAt: 21_600_000,
  });

  beforeEach(async () => {
    store = await createSqliteSyncStore();
  });

  afterEach(() => store.close());

  it('lets one of two refreshes with the same expected version win; the loser reads the winner', async () => {
    const first = await store.tokens.set(tokens('first'), { expectedVersion: 0 });
    expect(first.ok).toBe(true);
    const version = first.ok ? first.stored.version : -1;
    const [a, b] = await Promise.all([
      store.tokens.set(tokens('from-a'), { expectedVersion: version }),
      store.tokens.set(tokens('from-b'), { expectedVersion: version }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, false]);
    expect(b).toMatchObject({ ok: false, current: { accessToken: 'from-a' } });
    expect(await store.tokens.set(tokens('again'), { expectedVersion: 0 })).toMatchObject({ ok: false });
  });

  it('never reuses a version after a delete, so an old expected version cannot match', async () => {
    const first = await store.tokens.set(tokens('first'));
    await store.tokens.delete('meli', '123');
    expect(await store.tokens.get('meli', '123')).toBeUndefined();
    const second = await store.tokens.set(tokens('second'), { expectedVersion: 0 });
    const stale = await store.tokens.set(tokens('stale'), {
      expectedVersion: first.ok ? first.stored.version : -1,
    });
    expect(second.ok && first.ok && second.stored.version > first.stored.version).toBe(true);
    expect(stale.ok).toBe(false);
  });

  it('keeps tokens encrypted in the file when wrapped in EncryptedTokenStore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlh-sqlite-'));
    const filename = join(dir, 'tokens.sqlite');
    try {
      const key = generateTokenEncryptionKey();
      const fileStore = await createSqliteSyncStore({ filename });
      const encrypted = new EncryptedTokenStore(fileStore.tokens, { key });
      await encrypted.set({ ...tokens('secret-access-token'), accountId: 'encrypted' });
      await fileStore.tokens.set({ ...tokens('plain-access-token'), accountId: 'plain' });
      fileStore.close();

      const file = readFileSync(filename).toString('latin1');
      expect(file).toContain('plain-access-token');
      expect(file).not.toContain('secret-access-token');
      const reopened = await createSqliteSyncStore({ filename });
      expect((await reopened.tokens.get('meli', 'encrypted'))?.accessToken).not.toContain('secret');
      const decrypted = await new EncryptedTokenStore(reopened.tokens, { key }).get('meli', 'encrypted');
      expect(decrypted?.accessToken).toBe('secret-access-token');
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function mug() {
  return normalizeProduct({
    sku: 'MUG',
    title: 'Ceramic mug',
    images: ['https://example.com/mug.jpg'],
    variants: [{ sku: 'MUG-RED', price: money('29.90', 'BRL'), quantity: 10, attributes: { color: 'Red' } }],
  });
}

function order(): Order {
  const brl = (amount: string) => money(amount, 'BRL');
  return {
    externalId: 'o1',
    marketplace: 'shopee',
    accountId: 'shop-1',
    buyer: { nickname: 'buyer' },
    items: [
      {
        productExternalId: 'p1',
        sku: 'MUG-RED',
        title: 'Mug',
        quantity: 2,
        unitPrice: brl('29.90'),
        total: brl('59.80'),
      },
    ],
    currency: 'BRL',
    subtotal: brl('59.80'),
    shippingCost: brl('0'),
    tax: brl('0'),
    total: brl('59.80'),
    status: 'paid',
    rawStatus: 'READY_TO_SHIP',
    paymentStatus: 'paid',
    shipmentIds: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
  };
}
