import { describeActivityStoreConformance } from '@mlh/sync/testing';
import { createPostgresStores, type PostgresStores, postgresActivityStore } from '@mlh/sync-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, dropSchema, freshSchema, skipReason } from './support';

describe.skipIf(skipReason !== undefined)('PostgreSQL ActivityStore', () => {
  const schema = freshSchema();
  let stores: PostgresStores | undefined;
  afterAll(async () => {
    await stores?.close();
    await dropSchema(schema);
  });

  describeActivityStoreConformance('PostgreSQL', async () => {
    stores ??= await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    for (const table of ['sync_runs', 'sync_failures', 'sync_alerts', 'listing_errors']) {
      await stores.pool.query(`DELETE FROM "${schema}"."${table}"`);
    }
    return { store: stores.activityStore };
  });
});

describe.skipIf(skipReason !== undefined)('PostgreSQL ActivityStore retention', () => {
  const schema = freshSchema();
  afterAll(() => dropSchema(schema));

  it('forgets runs older than retentionDays when a run finishes, at most once an hour', async () => {
    const stores = await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    try {
      let now = Date.UTC(2026, 2, 1);
      const naming = { schema, prefix: '', table: (name: string) => `"${schema}"."${name}"` };
      const store = postgresActivityStore(stores.pool, naming, { retentionDays: 7, clock: () => now });
      const finish = (id: string) =>
        store.finishRun(
          { id, kind: 'products', startedAt: now },
          { status: 'succeeded', finishedAt: now, done: 1, failed: 0 },
        );
      await finish('old');
      expect(await store.getRun('old')).toBeDefined();
      now += 8 * 86_400_000;
      await finish('recent');
      expect(await store.getRun('old')).toBeUndefined();
      expect(await store.getRun('recent')).toBeDefined();
      // Within the hour nothing is pruned again, even what has aged meanwhile.
      now += 30 * 60_000;
      await stores.pool.query(`UPDATE "${schema}"."sync_runs" SET finished_at = 0 WHERE id = 'recent'`);
      await finish('next');
      expect(await store.getRun('recent')).toBeDefined();
    } finally {
      await stores.close();
    }
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/**
 * The activity tables grow with every run; their hot statements must read by index before
 * PostgreSQL has statistics (a fresh schema, autovacuum not yet run): thousands of rows, no ANALYZE.
 */
describe.skipIf(skipReason !== undefined)('PostgreSQL ActivityStore plans without statistics', () => {
  const schema = freshSchema();
  const seen: { text: string; values: unknown[] }[] = [];
  let raw: pg.Pool;
  let stores: PostgresStores;

  beforeAll(async () => {
    raw = new pg.Pool({ connectionString: databaseUrl });
    const recording = {
      query: ((text: string, values?: unknown[]) => {
        seen.push({ text, values: values ?? [] });
        return raw.query(text, values);
      }) as pg.Pool['query'],
      connect: () => raw.connect(),
    };
    stores = await createPostgresStores({ pool: recording, schema, migrate: true });
    const t = (name: string) => `"${schema}"."${name}"`;
    await raw.query(
      `INSERT INTO ${t('sync_failures')} (id, run_id, kind, marketplace, account_id, sku, stage, reason, retryable, at, resolved_at)
       SELECT 'f' || i, 'run-' || (i / 50), 'products', 'meli', 'acc-' || (i % 3), 'SKU' || i, 'create', 'x', false, i,
              CASE WHEN i % 2 = 0 THEN i + 1 END
       FROM generate_series(1, 6000) i`,
    );
    await raw.query(
      `INSERT INTO ${t('sync_runs')} (id, kind, status, started_at, finished_at, done, failed)
       SELECT 'run-' || i, 'products', 'succeeded', i, i + 1, 1, 0 FROM generate_series(1, 6000) i`,
    );
    await raw.query(
      `INSERT INTO ${t('listing_errors')} (marketplace, account_id, sku, stage, reason, at, failure_id)
       SELECT 'meli', 'acc-' || (i % 3), 'SKU' || i, 'create', 'x', i, 'f' || i FROM generate_series(1, 6000) i`,
    );
    await raw.query(
      `INSERT INTO ${t('sync_alerts')} (id, key, kind, severity, marketplace, account_id, sku, title, detail, opened_at, resolved_at)
       SELECT 'a' || i, 'k' || i, 'sync_failure', 'warning', 'meli', 'acc-' || (i % 3), 'SKU' || i, 't', 'd', i,
              CASE WHEN i % 2 = 0 THEN i + 1 END
       FROM generate_series(1, 6000) i`,
    );
  });

  afterAll(async () => {
    await stores?.close();
    await raw?.end();
    await dropSchema(schema);
  });

  async function seqScansOf(call: () => Promise<unknown>, statement: RegExp): Promise<string[]> {
    seen.length = 0;
    await call();
    const sent = seen.filter((s) => statement.test(s.text));
    expect(sent.length).toBeGreaterThan(0);
    const scans: string[] = [];
    await raw.query('BEGIN');
    try {
      for (const s of sent) {
        const { rows } = await raw.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          `EXPLAIN (FORMAT JSON) ${s.text}`,
          s.values,
        );
        for (const node of nodesOf(rows[0]!['QUERY PLAN'][0].Plan)) {
          if (node['Node Type'] === 'Seq Scan') scans.push(node['Relation Name'] ?? '?');
        }
      }
    } finally {
      await raw.query('ROLLBACK');
    }
    return scans;
  }

  const keys = Array.from({ length: 200 }, (_, i) => ({
    marketplace: 'meli' as const,
    accountId: `acc-${(i * 7) % 3}`,
    sku: `SKU${i * 7}`,
  }));

  it('reads and clears listing errors, failures and alerts of a batch of listings by index', async () => {
    const store = stores.activityStore;
    expect(await seqScansOf(() => store.getListingErrors(keys), /listing_errors/)).toEqual([]);
    expect(await seqScansOf(() => store.resolveListings(keys, 1_000_000), /listing_errors/)).toEqual([]);
    expect(await seqScansOf(() => store.resolveItemFailures(keys, 'stock', 1_000_000), /sync_/)).toEqual([]);
  });

  it('pages runs and failures, and resolves an account’s failures, by index', async () => {
    const store = stores.activityStore;
    expect(
      await seqScansOf(() => store.listRuns({ limit: 50, after: { at: 3000, id: 'run-3000' } }), /sync_runs/),
    ).toEqual([]);
    expect(
      await seqScansOf(() => store.listFailures({ limit: 50, status: 'open' }), /sync_failures/),
    ).toEqual([]);
    expect(
      await seqScansOf(() => store.listFailures({ limit: 50, runId: 'run-7' }), /sync_failures/),
    ).toEqual([]);
    expect(
      await seqScansOf(
        () => store.resolveFailures({ marketplace: 'meli', accountId: 'acc-1', sku: 'SKU4' }, 1_000_000),
        /sync_failures/,
      ),
    ).toEqual([]);
    expect(await seqScansOf(() => store.listAlerts({ status: 'open', limit: 100 }), /sync_alerts/)).toEqual(
      [],
    );
  });
});
