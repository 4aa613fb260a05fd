import { describeSyncStoreConformance, describeTokenStoreConformance } from '@mlh/sync/testing';
import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import { afterAll, describe } from 'vitest';
import { databaseUrl, dropSchema, emptySyncStorePerCase, freshSchema, skipReason } from './support';

describe.skipIf(skipReason !== undefined)('PostgreSQL SyncStore', () => {
  describeSyncStoreConformance('PostgreSQL', emptySyncStorePerCase());
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
