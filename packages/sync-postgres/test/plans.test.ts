import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, dropSchema, freshSchema, paidOrderInput, skipReason } from './support';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Join Filter'?: string;
  'One-Time Filter'?: string;
  Plans?: PlanNode[];
}

/** `value` (text, a number, null or an array of them) as an SQL literal. */
function literalOf(client: pg.PoolClient, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) {
    const elements = value.map((element) =>
      element === null || element === undefined ? 'NULL' : `"${String(element).replace(/["\\]/g, '\\$&')}"`,
    );
    return client.escapeLiteral(`{${elements.join(',')}}`);
  }
  return client.escapeLiteral(String(value));
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
  const recorded = new WeakSet<pg.PoolClient>();

  beforeAll(async () => {
    raw = new pg.Pool({ connectionString: databaseUrl });
    // The application's pool, recording each statement the store sends.
    const recording = {
      query: ((text: string, values?: unknown[]) => {
        seen.push({ text, values: values ?? [] });
        return raw.query(text, values);
      }) as pg.Pool['query'],
      // Clients of a transaction record what they send too (once per pooled client).
      connect: async () => {
        const client = await raw.connect();
        if (!recorded.has(client)) {
          recorded.add(client);
          const send = client.query.bind(client) as (...args: unknown[]) => unknown;
          // The pool's own queries (callback form) are recorded by `query` above already.
          client.query = ((...args: unknown[]) => {
            if (typeof args[0] === 'string' && typeof args.at(-1) !== 'function') {
              seen.push({ text: args[0], values: (args[1] as unknown[] | undefined) ?? [] });
            }
            return send(...args);
          }) as typeof client.query;
        }
        return client;
      },
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

  /**
   * The plans of the statements in the body of the schema's PL/pgSQL function `name`, on the
   * arguments the store last sent it: each statement prepared with the function's parameters as
   * `$1…$n` and explained both as a generic plan and as a custom one, since the function's plan
   * cache may settle on either.
   */
  async function functionPlansOf(
    call: () => Promise<unknown>,
    name: string,
  ): Promise<{ mode: string; statement: string; nodes: PlanNode[] }[]> {
    seen.length = 0;
    await call();
    const sent = seen.find((s) => s.text.includes(`"${name}"(`));
    expect(sent, `no call of ${name}`).toBeDefined();
    const { rows } = await raw.query<{ source: string; names: string[]; types: string[] }>(
      `SELECT p.prosrc AS source, p.proargnames[1:p.pronargs] AS names,
         ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t) AS types
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = $1 AND p.proname = $2`,
      [schema, name],
    );
    const { source, names, types } = rows[0]!;
    // The body's SQL statements: the PL/pgSQL around them dropped, its variables as parameters.
    const statements = source
      .replace(/--[^\n]*/g, '')
      .split(';')
      .map((text) => text.replace(/^(\s*(BEGIN|RETURN QUERY|DECLARE\s+\w+\s+\w+))+\s*/, '').trim())
      .filter((text) => /^(SELECT|WITH|PERFORM)\b/.test(text))
      .map((text) =>
        names.reduce(
          (sql, parameter, index) => sql.replace(new RegExp(`\\b${parameter}\\b`, 'g'), `$${index + 1}`),
          text.replace(/^PERFORM\b/, 'SELECT').replace(/\bINTO\s+\w+(\s*,\s*\w+)*\s*$/, ''),
        ),
      );
    expect(statements.length, `statements of ${name}`).toBeGreaterThan(0);
    const client = await raw.connect();
    const plans: { mode: string; statement: string; nodes: PlanNode[] }[] = [];
    try {
      for (const [index, statement] of statements.entries()) {
        await client.query(`PREPARE body_${index}(${types.join(', ')}) AS ${statement}`);
        for (const mode of ['force_generic_plan', 'force_custom_plan']) {
          await client.query(`SET plan_cache_mode = ${mode}`);
          // EXPLAIN EXECUTE takes no parameters: the arguments go in as literals.
          const explained = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
            `EXPLAIN (FORMAT JSON) EXECUTE body_${index}(${sent!.values.map((value) => literalOf(client, value)).join(', ')})`,
          );
          plans.push({ mode, statement, nodes: nodesOf(explained.rows[0]!['QUERY PLAN'][0].Plan) });
        }
      }
    } finally {
      await client.query('DEALLOCATE ALL; RESET plan_cache_mode').catch(() => undefined);
      client.release();
    }
    return plans;
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

  it('reads the stock of many SKUs by primary key', async () => {
    const skus = Array.from({ length: 300 }, (_, i) => `P${String(i * 7).padStart(5, '0')}-1`);
    const nodes = await planOf(() => stores.syncStore.getStock(skus), /stock/);
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(nodes.find((n) => n['Relation Name'] === 'stock')?.['Index Name']).toBe('stock_pkey');
    expect(await stores.syncStore.getStock(skus)).toHaveLength(300);
  });

  it('finds the listings of many external ids, with their variants, by index', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `EXT-P${String(i * 7).padStart(5, '0')}`);
    const find = () => stores.syncStore.findListingsByExternalIds!('meli', 'acc-1', ids);
    const nodes = await planOf(find, /listing_variants/);
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    // Not the primary key's account prefix, which reads every listing of the account per id.
    expect(nodes.filter((n) => n['Relation Name'] === 'listings').map((n) => n['Index Name'])).toEqual([
      'listings_by_external_id',
    ]);
    const found = await find();
    expect(found).toHaveLength(300);
    expect(found[0]?.variants.map((v) => v.sku)).toEqual([`P00000-1`, `P00000-2`, `P00000-3`]);
  });

  it('resolves many order lines to SKUs reading listings, variants and stock by index', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => {
      const product = `P${String(i * 7).padStart(5, '0')}`;
      return { productExternalId: `EXT-${product}`, variantExternalId: undefined, sku: `${product}-2` };
    });
    const resolve = () => stores.syncStore.resolveOrderLineSkus!('meli', 'acc-1', lines);
    const plans = await functionPlansOf(resolve, 'resolve_order_line_skus');
    expect(plans.map((plan) => plan.mode)).toEqual(['force_generic_plan', 'force_custom_plan']);
    for (const { mode, nodes } of plans) {
      expect(
        nodes.filter((n) => n['Node Type'] === 'Seq Scan' || n['Node Type'] === 'Hash Join'),
        mode,
      ).toEqual([]);
      expect(nodes.filter((n) => n['Relation Name'] === 'listings').map((n) => n['Index Name'])).toEqual([
        'listings_by_external_id',
      ]);
      expect(nodes.filter((n) => n['Relation Name'] === 'stock').map((n) => n['Index Name'])).toEqual([
        'stock_pkey',
        'stock_pkey',
      ]);
      const variants = nodes.filter((n) => n['Relation Name'] === 'listing_variants');
      expect(variants.map((n) => n['Index Name'])).toEqual([
        'listing_variants_pkey',
        'listing_variants_pkey',
      ]);
      // The line's own SKU is read only when its listing gave none (a one-time filter), not per line.
      const gated = nodes.find((n) => n['One-Time Filter']?.includes('IS NULL'));
      expect(
        gated?.Plans?.map((n) => n['Index Name']),
        mode,
      ).toEqual(['stock_pkey']);
    }
    // Three variants each and no variant id: every line falls back to its own SKU.
    expect(await resolve()).toEqual(lines.map((line) => line.sku));
  });

  it('finds one listing by its external id on the index the external id leads', async () => {
    const find = () => stores.syncStore.findListingByExternalId('meli', 'acc-1', 'EXT-P00070');
    const nodes = await planOf(find, /product_external_id = \$3/);
    expect(nodes.filter((n) => n['Relation Name'] === 'listings').map((n) => n['Index Name'])).toEqual([
      'listings_by_external_id',
    ]);
    expect((await find())?.sku).toBe('P00070');
  });

  it('stores a page of orders and their movements reading stock, ledger and orders by key', async () => {
    const orders = Array.from({ length: 100 }, (_, i) =>
      paidOrderInput(`plan-${i}`, 'acc-1', `P${String(i * 11).padStart(5, '0')}-2`, `h${i}`),
    );
    // New orders: one call of the schema's function, whose statements read the stock by key.
    const plans = await functionPlansOf(() => stores.syncStore.upsertOrders!(orders), 'insert_new_orders');
    expect(plans.map((plan) => plan.mode)).toEqual([
      'force_generic_plan',
      'force_custom_plan',
      'force_generic_plan',
      'force_custom_plan',
    ]);
    for (const { mode, statement, nodes } of plans) {
      expect(
        nodes.filter((n) => n['Node Type'] === 'Seq Scan' || n['Node Type'] === 'Hash Join'),
        `${mode}: ${statement}`,
      ).toEqual([]);
    }
    const stockReads = plans.flatMap(({ nodes }) =>
      nodes.filter((n) => n['Relation Name'] === 'stock' && n['Node Type'] !== 'ModifyTable'),
    );
    expect(stockReads.map((n) => n['Index Name'])).toEqual(['stock_pkey', 'stock_pkey']);
    seen.length = 0;
    // Again, so the orders exist and are read back and locked.
    await stores.syncStore.upsertOrders!(orders.map((input) => ({ ...input, contentHash: 'changed' })));
    // BEGIN and COMMIT travel with the store's own statements, and the ledger check is a DO block
    // sent with the write: each statement of a message is explained on its own.
    const statements = seen
      .flatMap((s) => s.text.split(/;\n/).map((text) => ({ text: text.trim(), values: s.values })))
      .filter((s) => /orders|stock/.test(s.text) && !/^(BEGIN|COMMIT|DO)\b/.test(s.text));
    expect(statements.length).toBeGreaterThanOrEqual(4);
    for (const statement of statements) {
      const { rows } = await raw.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (FORMAT JSON) ${statement.text}`,
        statement.values,
      );
      const nodes = nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
      expect(
        nodes.filter((n) => n['Node Type'] === 'Seq Scan' || n['Node Type'] === 'Hash Join'),
        statement.text,
      ).toEqual([]);
    }
    expect((await stores.syncStore.getStock(['P00011-2']))[0]).toMatchObject({ quantity: 4, version: 2 });
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
