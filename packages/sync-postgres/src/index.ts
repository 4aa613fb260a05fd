import { refreshLockLeaseMs, type TokenStore, type WebhookDedupeStore } from '@mlh/core';
import { type ActivityStore, eventClaimStore, type SyncStore } from '@mlh/sync';
import { postgresActivityStore } from './activity-store';
import {
  type ConnectionOptions,
  describeTarget,
  type NamingOptions,
  openPool,
  type Queryable,
  resolveNaming,
} from './db';
import { assertSchemaCurrent, migrate } from './migrations';
import { postgresSyncStore } from './sync-store';
import { postgresTokenStore } from './token-store';

export { type PostgresActivityStoreOptions, postgresActivityStore } from './activity-store';
export type { ConnectionOptions, Naming, NamingOptions, Queryable } from './db';
export { MIGRATIONS, type Migration, SCHEMA_VERSION } from './migrations';

/** Options of {@link createPostgresStores}. */
export type PostgresStoreOptions = ConnectionOptions &
  NamingOptions & {
    /** Apply pending migrations first (default false: the schema is only checked). */
    migrate?: boolean;
    /**
     * How long a token refresh lock lasts unless its holder renews it (the token manager renews
     * it while the marketplace answers). A holder that dies blocks its account's refresh this
     * long at most. Default 10 s.
     */
    refreshLockLeaseMs?: number;
    /**
     * Keep finished sync runs, their resolved failures and resolved alerts this many days (the
     * activity store forgets older ones, at most once an hour). Default: keep everything.
     */
    activityRetentionDays?: number;
  };

/** The sync store and token store over one PostgreSQL schema. */
export interface PostgresStores {
  syncStore: SyncStore;
  /**
   * Where tokens live, with refresh locks: the processes sharing this database refresh an account
   * one at a time (one refresh call per expiry across the fleet).
   */
  tokenStore: TokenStore;
  /**
   * Durable webhook dedupe over the `event_claims` table, shared by every process on this database
   * and kept across restarts: `createWebhookHandler({ dedupe: dedupeStore })`. A claim lives for the
   * handler's `dedupeTtlMs` (default 72 h); `syncStore.purgeExpired(Date.now())` deletes old ones.
   */
  dedupeStore: WebhookDedupeStore;
  /**
   * The history of sync runs, failures, alerts and listing errors (`recordSyncActivity` of
   * `@mlh/sync` writes it, `@mlh/api` reads it), shared by every process on this database.
   */
  activityStore: ActivityStore;
  /** The pool in use (the application's own when one was passed). */
  pool: Queryable;
  /** Closes the pool when it was opened from a connection string; leaves an application's pool open. */
  close(): Promise<void>;
}

/**
 * Connects to PostgreSQL and returns the `SyncStore` and `TokenStore` of `@mlh` over it. Before any
 * data is touched it checks the schema: a wrong connection string, a missing migration or a schema
 * written by a newer version of this package is a clear error naming the cause.
 *
 * @example
 * const { syncStore, tokenStore, close } = await createPostgresStores({
 *   connectionString: process.env.DATABASE_URL!,
 *   migrate: true,
 * });
 */
export async function createPostgresStores(options: PostgresStoreOptions): Promise<PostgresStores> {
  const naming = resolveNaming(options);
  const target = describeTarget(options);
  const leaseMs = refreshLockLeaseMs(options.refreshLockLeaseMs);
  const { pool, owned } = openPool(options);
  try {
    if (options.migrate) await migrate(pool, naming, target);
    await assertSchemaCurrent(pool, naming, target);
  } catch (error) {
    await owned?.end().catch(() => {});
    throw error;
  }
  const syncStore = postgresSyncStore(pool, naming);
  return {
    syncStore,
    dedupeStore: eventClaimStore(syncStore),
    activityStore: postgresActivityStore(pool, naming, { retentionDays: options.activityRetentionDays }),
    tokenStore: postgresTokenStore(pool, naming, {
      refreshLockLeaseMs: leaseMs,
      target,
    }),
    pool,
    close: async () => {
      await owned?.end();
    },
  };
}

/**
 * Applies the pending schema migrations. Idempotent and safe to run from several processes at
 * once (they serialize on an advisory lock).
 *
 * @example
 * await migratePostgres({ connectionString: process.env.DATABASE_URL!, schema: 'mlh' });
 */
export async function migratePostgres(
  options: ConnectionOptions & NamingOptions,
): Promise<{ applied: number[] }> {
  const naming = resolveNaming(options);
  const { pool, owned } = openPool(options);
  try {
    return await migrate(pool, naming, describeTarget(options));
  } finally {
    await owned?.end().catch(() => {});
  }
}
