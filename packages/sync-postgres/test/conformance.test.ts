import { describeSyncStoreConformance, describeTokenStoreConformance } from '@mlh/sync/testing';
import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import { afterAll, describe } from 'vitest';
import { databaseUrl, dropSchema, freshSchema, skipReason } from './support';

describe.skipIf(skipReason !== undefined)('PostgreSQL SyncStore', () => {
  // One schema for this run; every test starts from empty tables.
  const schema = freshSchema();
  let stores: PostgresStores | undefined;

  afterAll(async () => {
    await stores?.close();
    await dropSchema(schema);
  });

  describeSyncStoreConformance('PostgreSQL', async () => {
    stores ??= await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    const { rows } = await stores.pool.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'`,
      [schema],
    );
    // DELETE is much faster than TRUNCATE on tables this small.
    for (const { tablename } of rows) await stores.pool.query(`DELETE FROM "${schema}"."${tablename}"`);
    return { store: stores.syncStore };
  });
});

describe.skipIf(skipReason !== undefined)('PostgreSQL TokenStore', () => {
  // Every case uses accounts of its own, so one schema serves them all.
  const schema = freshSchema();
  const leaseMs = 300;
  let stores: PostgresStores | undefined;

  afterAll(async () => {
    await stores?.close();
    await dropSchema(schema);
  });

  describeTokenStoreConformance('PostgreSQL', async () => {
    stores ??= await createPostgresStores({
      connectionString: databaseUrl!,
      schema,
      migrate: true,
      refreshLockLeaseMs: leaseMs,
    });
    return { store: stores.tokenStore, leaseMs };
  });
});
