import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, dropSchema, freshSchema, skipReason } from './support';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Join Filter'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/**
 * Before PostgreSQL has statistics (a fresh schema, a bulk load, autovacuum off) it guesses one
 * row per index lookup, and a tie between plans once made `listStockToPush` join every variant
 * to every listing of the account: 40 s at 10,000 listings. These tests load a few thousand rows,
 * never ANALYZE, and check the plans of the store's own statements.
 */
describe.skipIf(skipReason !== undefined)('PostgreSQL query plans without statistics', () => {
  const schema = freshSchema();
  const seen: { text: string; values: unknown[] }[] = [];
  let raw: pg.Pool;
  let stores: PostgresStores;

  beforeAll(async () => {
    raw = new pg.Pool({ connectionString: databaseUrl });
    // The application's pool, recording each statement the store sends.
    const recording = {
      query: ((text: string, values?: unknown[]) => {
        seen.push({ text, values: values ?? [] });
        return raw.query(text, values);
      }) as pg.Pool['query'],
      connect: () => raw.connect(),
    };
    stores = await createPostgresStores({ pool: recording, schema, migrate: true });
    const t = (name: string) => `"${schema}"."${name}"`;
    const listings = Array.from({ length: 3000 }, (_, i) => `P${String(i).padStart(5, '0')}`);
    await raw.query(
      `INSERT INTO ${t('stock')} (sku, quantity, version) SELECT p || '-' || v, 5, 1 FROM unnest($1::text[]) p, generate_series(1, 3) v`,
      [listings],
    );
    for (const account of ['acc-1', 'acc-2']) {
      await raw.query(
        `INSERT INTO ${t('listings')} (marketplace, account_id, sku, state, product_external_id, updated_at)
         SELECT 'meli', $1, p, 'active', 'EXT-' || p, 0 FROM unnest($2::text[]) p`,
        [account, listings],
      );
      await raw.query(
        `INSERT INTO ${t('listing_variants')} (marketplace, account_id, sku, variant_sku, position, pushed_quantity, pushed_stock_version)
         SELECT 'meli', $1, p, p || '-' || v, v, 5, 1 FROM unnest($2::text[]) p, generate_series(1, 3) v`,
        [account, listings],
      );
    }
  });

  afterAll(async () => {
    await stores?.close();
    await raw?.end();
    await dropSchema(schema);
  });

  async function planOf(call: () => Promise<unknown>, statement: RegExp): Promise<PlanNode[]> {
    seen.length = 0;
    await call();
    const sent = seen.find((s) => statement.test(s.text));
    expect(sent, `no statement matching ${statement}`).toBeDefined();
    const { rows } = await raw.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${sent!.text}`,
      sent!.values,
    );
    return nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
  }

  it('lists the stock to push reading each listing and stock row by primary key', async () => {
    const store = stores.syncStore;
    const nodes = await planOf(
      () => store.listStockToPush({ marketplace: 'meli', accountId: 'acc-1', limit: 500 }),
      /listing_variants/,
    );
    expect(nodes.filter((n) => n['Join Filter'])).toEqual([]);
    const reads = nodes.filter((n) => n['Relation Name'] === 'listings' || n['Relation Name'] === 'stock');
    expect(reads.map((n) => n['Index Name'])).toEqual([`listings_pkey`, `stock_pkey`]);
    expect(await store.listStockToPush({ marketplace: 'meli', accountId: 'acc-1', limit: 500 })).toEqual({
      items: [],
    });
  });

  it('finds listings by SKU without scanning every listing', async () => {
    const nodes = await planOf(() => stores.syncStore.findListingsBySku('P01234'), /UNION/);
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    expect((await stores.syncStore.findListingsBySku('P01234-2')).map((l) => l.accountId)).toEqual([
      'acc-1',
      'acc-2',
    ]);
  });
});
