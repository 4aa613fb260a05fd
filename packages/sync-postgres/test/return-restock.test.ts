import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import { afterAll, describe } from 'vitest';
import { describeReturnRestock } from '../../sync/test/support/return-restock-battery';
import { databaseUrl, dropSchema, freshSchema, skipReason } from './support';

describe.skipIf(skipReason !== undefined)('PostgreSQL', () => {
  // One schema for this file; every case starts from empty tables.
  const schema = freshSchema();
  let stores: PostgresStores | undefined;

  afterAll(async () => {
    await stores?.close();
    await dropSchema(schema);
  });

  describeReturnRestock('PostgreSQL', async () => {
    stores ??= await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    const { rows } = await stores.pool.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'`,
      [schema],
    );
    for (const { tablename } of rows) await stores.pool.query(`DELETE FROM "${schema}"."${tablename}"`);
    return { store: stores.syncStore };
  });
});
