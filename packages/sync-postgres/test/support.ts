import type { Order } from '@mlh/core';
import type { OrderUpsertInput, SyncStore } from '@mlh/sync';
import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import pg from 'pg';
import { afterAll } from 'vitest';

/** The database the tests use; unset on a user's fresh clone, set by `.ci/run`. */
export const databaseUrl = process.env.DATABASE_URL;

/** Why the PostgreSQL tests are skipped, printed once, or undefined when they run. */
export const skipReason = databaseUrl ? undefined : 'DATABASE_URL is not set: PostgreSQL tests skipped';

if (skipReason) {
  if (process.env.CI) throw new Error('CI must run the PostgreSQL tests: set DATABASE_URL');
  console.warn(skipReason);
}

let counter = 0;

/** A schema name of its own for each test, so tests never see each other's rows. */
export function freshSchema(): string {
  counter += 1;
  return `t_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * For the enclosing `describe`: one schema, dropped after it, and a factory that hands each case
 * the sync store on empty tables (DELETE is much faster than TRUNCATE on tables this small).
 */
export function emptySyncStorePerCase(): () => Promise<{ store: SyncStore }> {
  const schema = freshSchema();
  let stores: PostgresStores | undefined;
  afterAll(async () => {
    await stores?.close();
    await dropSchema(schema);
  });
  return async () => {
    stores ??= await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    const { rows } = await stores.pool.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'`,
      [schema],
    );
    for (const { tablename } of rows) await stores.pool.query(`DELETE FROM "${schema}"."${tablename}"`);
    return { store: stores.syncStore };
  };
}

/**
 * A store input of one paid order on `meli` with no lines, moving `sku` by −1 (keys made from
 * the order id), as the store-level tests need it: the store checks no order's shape.
 */
export function paidOrderInput(
  externalId: string,
  accountId: string,
  sku: string,
  contentHash = externalId,
): OrderUpsertInput {
  return {
    order: {
      externalId,
      marketplace: 'meli',
      accountId,
      buyer: {},
      items: [],
      currency: 'BRL',
      status: 'paid',
      rawStatus: 'paid',
      shipmentIds: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    } as unknown as Order,
    contentHash,
    movements: [{ key: `${externalId}:reserve`, sku, delta: -1 }],
    now: 1,
  };
}
