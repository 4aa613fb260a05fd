import type { Order } from '@mlh/core';
import { createPostgresStores } from '@mlh/sync-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, dropSchema, freshSchema, skipReason } from './support';

/**
 * A page of orders, its movements and a lease reach the server as SQL literals (so BEGIN and
 * COMMIT can travel in the same message): text with quotes, backslashes and SQL in it must come
 * back exactly as given, whatever the server's `standard_conforming_strings`.
 */
describe.skipIf(skipReason !== undefined)('text sent as SQL literals', () => {
  const schema = freshSchema();
  const awkward = [
    `O'Brien`,
    'back\\slash',
    '\\\\server\\share',
    `quote " and ' both`,
    `'); DROP TABLE x; --`,
    // An array element spelled NULL is a NULL unless quoted.
    'NULL',
  ];

  beforeAll(async () => {
    const stores = await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    await stores.close();
  });

  afterAll(async () => {
    await dropSchema(schema);
  });

  function orderNamed(externalId: string, text: string): Order {
    return {
      externalId,
      marketplace: 'meli',
      accountId: `acc ${text}`,
      buyer: { nickname: text },
      items: [],
      currency: 'BRL',
      status: 'paid',
      rawStatus: text,
      shipmentIds: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    } as unknown as Order;
  }

  it.each(['on', 'off'])(
    'stores orders, movements and leases as given (standard_conforming_strings %s)',
    async (conforming) => {
      // The application's pool, its sessions started with the setting.
      const pool = new pg.Pool({
        connectionString: databaseUrl,
        options: `-c standard_conforming_strings=${conforming}`,
      });
      const { syncStore: store } = await createPostgresStores({ pool, schema });
      try {
        const inputs = awkward.map((text, index) => ({
          order: orderNamed(`${conforming}-${index}-${text}`, text),
          contentHash: `hash ${text}`,
          movements: [
            { key: `${conforming} key ${text}`, sku: `${conforming} SKU ${text}`, delta: 2, reason: text },
          ],
          now: 1,
        }));
        const results = await store.upsertOrders!(inputs);
        expect(results.map((r) => r.outcome)).toEqual(awkward.map(() => 'created'));
        for (const input of inputs) {
          const stored = await store.getOrder(input.order);
          expect(stored?.order).toEqual(input.order);
          expect(stored?.contentHash).toBe(input.contentHash);
        }
        expect(await store.getStock(inputs.map((i) => i.movements[0]!.sku))).toEqual(
          inputs.map((i) => ({ sku: i.movements[0]!.sku, quantity: 2, version: 1 })),
        );
        // The ledger's rows (sent as arrays) hold the keys, SKUs and reasons as given, NULL as NULL.
        const ledger = await pool.query<{
          key: string;
          sku: string;
          delta: string;
          set_to: null;
          reason: string;
        }>(
          `SELECT key, sku, delta, set_to, reason FROM "${schema}"."stock_movements" WHERE key = ANY($1::text[])`,
          [inputs.map((i) => i.movements[0]!.key)],
        );
        expect(ledger.rows.sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual(
          inputs
            .map((i) => ({ ...i.movements[0]!, delta: '2', set_to: null }))
            .sort((a, b) => (a.key < b.key ? -1 : 1)),
        );
        const again = await store.applyStockMovements(inputs.map((i) => i.movements[0]!));
        expect(again.map((r) => r.applied)).toEqual(awkward.map(() => false));
        const key = `${conforming} lease ${awkward[4]}`;
        const lease = await store.acquireLease({ key, owner: awkward[1]!, ttlMs: 1_000, now: 0 });
        expect(lease).toMatchObject({ key, owner: awkward[1], token: 1 });
        expect(await store.acquireLease({ key, owner: awkward[0]!, ttlMs: 1_000, now: 10 })).toBeUndefined();
      } finally {
        await pool.end();
      }
    },
  );
});
