import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresIdempotencyStore, type PostgresQuery } from '../src/postgres';
import { describeIdempotencyStoreConformance } from '../src/testing';

const databaseUrl = process.env.DATABASE_URL;
/** A schema of this file's own, dropped after it. */
const schema = `t_api_idem_${process.pid}_${Date.now().toString(36)}`;
const pools: pg.Pool[] = [];

function openPool(): { pool: pg.Pool; query: PostgresQuery } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  pools.push(pool);
  return { pool, query: (text, values) => pool.query(text, [...values]) };
}

async function closePool(pool: pg.Pool): Promise<void> {
  pools.splice(pools.indexOf(pool), 1);
  await pool.end();
}

afterAll(async () => {
  if (!databaseUrl) return;
  const { pool } = openPool();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await Promise.all(pools.map((pool) => pool.end()));
});

describe.skipIf(!databaseUrl)('the PostgreSQL idempotency store', () => {
  let table = 0;
  describeIdempotencyStoreConformance('PostgreSQL', async (times) => {
    // Two pools over one table: two processes of the API.
    table += 1;
    const first = openPool();
    const second = openPool();
    const options = { schema, table: `keys_${table}`, ...times };
    const store = await createPostgresIdempotencyStore({ ...options, query: first.query, migrate: true });
    const otherProcess = await createPostgresIdempotencyStore({ ...options, query: second.query });
    return {
      store,
      otherProcess,
      cleanup: async () => {
        await closePool(first.pool);
        await closePool(second.pool);
      },
    };
  });

  it('creates its table once when several processes migrate at once', async () => {
    const stores = await Promise.all(
      Array.from({ length: 4 }, () =>
        createPostgresIdempotencyStore({
          query: openPool().query,
          schema,
          table: 'migrated_at_once',
          migrate: true,
        }),
      ),
    );
    expect(await stores[0]!.begin('k', 'f', 0)).toEqual({ state: 'started' });
    expect(await stores[3]!.begin('k', 'f', 1)).toEqual({ state: 'in_progress' });
  });

  it('refuses to start on a missing table unless asked to create it, and names a bad identifier', async () => {
    const { query } = openPool();
    await expect(createPostgresIdempotencyStore({ query, schema, table: 'never_created' })).rejects.toThrow(
      /never_created does not exist: pass migrate: true/,
    );
    await expect(
      createPostgresIdempotencyStore({ query, schema: 'Bad-Name', migrate: true }),
    ).rejects.toMatchObject({
      kind: 'validation',
      issues: [expect.objectContaining({ path: 'schema' })],
    });
  });

  it('sweeps expired keys and accepts a driver that answers bare rows', async () => {
    const { pool } = openPool();
    // postgres.js and Neon hand back the rows themselves.
    const query: PostgresQuery = async (text, values) => (await pool.query(text, [...values])).rows;
    const store = await createPostgresIdempotencyStore({
      query,
      schema,
      table: 'swept',
      migrate: true,
      ttlMs: 1_000,
      startedTtlMs: 100,
    });
    await store.begin('done', 'f', 0);
    await store.complete('done', { status: 200, body: '{}', contentType: 'application/json' }, 0);
    await store.begin('dead', 'f', 0);
    await store.begin('live', 'f', 950);
    expect(await store.purgeExpired(1_000)).toBe(2);
    const { rows } = await pool.query<{ key: string }>(`SELECT key FROM "${schema}".swept ORDER BY key`);
    expect(rows.map((row) => row.key)).toEqual(['live']);
  });
});
