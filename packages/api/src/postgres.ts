/**
 * What the API keeps on PostgreSQL so that every process of it shares it: an
 * {@link IdempotencyStore} (a retry that reaches another process is answered from the first one's
 * response) and an {@link AccountRegistry} (a seller connected through one process is served by all).
 *
 * It takes a query function rather than a driver, so it needs no dependency and runs wherever the
 * API runs: `pg` on Node, Neon's serverless driver or Hyperdrive on Workers, postgres.js on Bun and
 * Deno.
 *
 * @module @mlh/api/postgres
 */
import { type MarketplaceId, ValidationError } from '@mlh/core';
import type { IdempotencyBegin, IdempotencyStore, StoredResponse } from './idempotency';
import type { AccountRef, AccountRegistry } from './options';

/** A row as the driver hands it back. */
export type PostgresRow = Record<string, unknown>;

/**
 * Runs one parameterized statement (`$1`, `$2`, ...) and resolves with its rows: either
 * `{ rows }` (`pg`'s `pool.query`) or the rows themselves (postgres.js `sql.unsafe`, Neon's `sql.query`).
 */
export type PostgresQuery = (
  text: string,
  values: readonly unknown[],
) => Promise<{ rows: readonly PostgresRow[] } | readonly PostgresRow[]>;

/** Options of {@link createPostgresIdempotencyStore}. */
export interface PostgresIdempotencyStoreOptions {
  /** Runs a statement: `(text, values) => pool.query(text, values)` with `pg`. */
  query: PostgresQuery;
  /** The schema of the table. Default `public`. */
  schema?: string | undefined;
  /** The table. Default `mlh_api_idempotency_keys`. */
  table?: string | undefined;
  /** Create the schema and table when missing (safe from several processes at once). Default false: they must exist. */
  migrate?: boolean | undefined;
  /** How long a completed key is remembered. Default 24 hours. */
  ttlMs?: number | undefined;
  /** How long a started key blocks others if its request never finishes (its process died). Default 5 minutes. */
  startedTtlMs?: number | undefined;
  /** At most one sweep of expired keys per this many milliseconds of the API's clock. Default 1 minute. */
  purgeIntervalMs?: number | undefined;
}

/** The PostgreSQL idempotency store, with its housekeeping. */
export interface PostgresIdempotencyStore extends IdempotencyStore {
  /** Deletes up to `limit` keys expired at `now` (default 1 000); resolves with how many. */
  purgeExpired(now: number, limit?: number): Promise<number>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function identifier(field: 'schema' | 'table', value: string, what = 'idempotency store'): string {
  if (!IDENTIFIER.test(value)) {
    throw new ValidationError(`Invalid PostgreSQL ${what} options`, [
      {
        path: field,
        message: 'must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63 characters)',
        code: 'invalid_identifier',
      },
    ]);
  }
  return `"${value}"`;
}

function rowsOf(result: { rows: readonly PostgresRow[] } | readonly PostgresRow[]): readonly PostgresRow[] {
  return Array.isArray(result) ? result : (result as { rows: readonly PostgresRow[] }).rows;
}

/** Response bodies travel as base64 into a `bytea`: any text, U+0000 included, comes back byte for byte. */
function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(base64: string): string {
  // PostgreSQL's `encode(…, 'base64')` breaks lines every 76 characters.
  const binary = atob(base64.replace(/\s+/g, ''));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

type Rows = (text: string, values: readonly unknown[]) => Promise<readonly PostgresRow[]>;

/**
 * Creates a table when asked (`migrate`), else checks that it exists. The creation is one
 * statement, so one transaction even through a pool: the advisory lock serializes processes
 * creating it at once (concurrent `CREATE … IF NOT EXISTS` can still collide).
 */
async function prepareTable(
  query: Rows,
  migrate: boolean,
  names: { schemaName: string; tableName: string; schema: string; table: string; what: string },
  ddl: string,
): Promise<void> {
  const { schemaName, tableName, schema, what } = names;
  if (migrate) {
    await query(
      `DO $mlh$ BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('mlh_api_${what}:${schemaName}.${tableName}'));
        CREATE SCHEMA IF NOT EXISTS ${schema};
        ${ddl}
      END $mlh$`,
      [],
    );
    return;
  }
  const [found] = await query('SELECT to_regclass($1) IS NOT NULL AS present', [`${schema}.${tableName}`]);
  if (found?.present !== true) {
    throw new Error(
      `The ${what} table ${schemaName}.${tableName} does not exist: pass migrate: true (or create it from the README)`,
    );
  }
}

/** How many times `begin` tries when the key is released or expires between its two statements. */
const BEGIN_ATTEMPTS = 3;

/**
 * An {@link IdempotencyStore} on PostgreSQL: one row per key in one table, claimed atomically with
 * `INSERT … ON CONFLICT DO UPDATE … WHERE expired`, so of concurrent requests with one key, in one
 * process or many, exactly one runs. Its semantics are the memory store's: a running key answers
 * `in_progress` until it completes, is released, or its `startedTtlMs` lease ends (the process
 * died); a completed key replays for `ttlMs`; another request with the key is a `mismatch`. Times
 * are the API's clock (`now`), like the memory store's, so keep the processes' clocks in sync (NTP).
 *
 * @example
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const idempotency = await createPostgresIdempotencyStore({ query: (text, values) => pool.query(text, [...values]), migrate: true });
 * createApi({ ..., idempotency });
 */
export async function createPostgresIdempotencyStore(
  options: PostgresIdempotencyStoreOptions,
): Promise<PostgresIdempotencyStore> {
  const schemaName = options.schema ?? 'public';
  const tableName = options.table ?? 'mlh_api_idempotency_keys';
  const schema = identifier('schema', schemaName);
  const table = `${schema}.${identifier('table', tableName)}`;
  const ttlMs = options.ttlMs ?? 86_400_000;
  const startedTtlMs = options.startedTtlMs ?? 300_000;
  const purgeIntervalMs = options.purgeIntervalMs ?? 60_000;
  const query = async (text: string, values: readonly unknown[]) => rowsOf(await options.query(text, values));
  // `expires_at` is a bigint: a clock with fractions of a millisecond is cut to whole ones.
  const ms = (time: number) => Math.floor(time);

  await prepareTable(
    query,
    options.migrate === true,
    { schemaName, tableName, schema, table, what: 'idempotency' },
    `CREATE TABLE IF NOT EXISTS ${table} (
       key text PRIMARY KEY,
       fingerprint text NOT NULL,
       expires_at bigint NOT NULL,
       status integer,
       content_type text,
       body bytea
     );
     CREATE INDEX IF NOT EXISTS ${identifier('table', `${tableName}_expires_at`.slice(0, 63))}
       ON ${table} (expires_at);`,
  );

  let nextPurgeAt = Number.NEGATIVE_INFINITY;
  const purgeExpired = async (now: number, limit = 1_000) => {
    const rows = await query(
      `DELETE FROM ${table} WHERE key IN (
         SELECT key FROM ${table} WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ) RETURNING 1`,
      [ms(now), limit],
    );
    return rows.length;
  };

  const claim = async (
    key: string,
    fingerprint: string,
    now: number,
  ): Promise<IdempotencyBegin | undefined> => {
    // A new key, or one whose time is over (a completed answer past its TTL, a dead request's
    // lease), is claimed; a live one is left as it is and returns no row.
    const claimed = await query(
      `INSERT INTO ${table} AS k (key, fingerprint, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, expires_at = EXCLUDED.expires_at,
             status = NULL, content_type = NULL, body = NULL
         WHERE k.expires_at <= $4
       RETURNING 1`,
      [key, fingerprint, ms(now + startedTtlMs), ms(now)],
    );
    if (claimed.length > 0) return { state: 'started' };
    // A separate statement, so a fresh snapshot: it sees the row a concurrent claim committed.
    const [row] = await query(
      `SELECT fingerprint, expires_at, status, content_type, encode(body, 'base64') AS body
       FROM ${table} WHERE key = $1`,
      [key],
    );
    // Released or expired in between: claim again.
    if (!row || Number(row.expires_at) <= ms(now)) return undefined;
    if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (row.status === null || row.status === undefined) return { state: 'in_progress' };
    const response: StoredResponse = {
      status: Number(row.status),
      body: fromBase64(String(row.body ?? '')),
      contentType: String(row.content_type),
    };
    return { state: 'replay', response };
  };

  return {
    async begin(key, fingerprint, now) {
      if (now >= nextPurgeAt) {
        nextPurgeAt = now + purgeIntervalMs;
        // Only bounds the table's size (an expired key is reclaimed by the claim anyway), so a
        // failed sweep must not fail the request; the next interval tries again.
        await purgeExpired(now).catch(() => 0);
      }
      for (let attempt = 0; attempt < BEGIN_ATTEMPTS; attempt += 1) {
        const begun = await claim(key, fingerprint, now);
        if (begun) return begun;
      }
      // The key keeps being claimed and released by others at this very moment: it is in use.
      return { state: 'in_progress' };
    },
    async complete(key, response, now) {
      await query(
        `UPDATE ${table} SET status = $2, content_type = $3, body = decode($4, 'base64'), expires_at = $5
         WHERE key = $1`,
        [key, response.status, response.contentType, toBase64(response.body), ms(now + ttlMs)],
      );
    },
    async release(key) {
      await query(`DELETE FROM ${table} WHERE key = $1`, [key]);
    },
    purgeExpired,
  };
}

/** Options of {@link createPostgresAccountRegistry}. */
export interface PostgresAccountRegistryOptions {
  /** Runs a statement: `(text, values) => pool.query(text, values)` with `pg`. */
  query: PostgresQuery;
  /** The schema of the table. Default `public`. */
  schema?: string | undefined;
  /** The table. Default `mlh_api_accounts`. */
  table?: string | undefined;
  /** Create the schema and table when missing (safe from several processes at once). Default false: they must exist. */
  migrate?: boolean | undefined;
}

/**
 * An {@link AccountRegistry} on PostgreSQL: the accounts connected through
 * `GET /accounts/{marketplace}/callback` on any process are served by every process (the memory
 * registry knows only its own process's). Listed in marketplace, then account id order.
 *
 * @example
 * const accounts = await createPostgresAccountRegistry({ query: (text, values) => pool.query(text, [...values]), migrate: true });
 * createApi({ ..., accounts, authorization });
 */
export async function createPostgresAccountRegistry(
  options: PostgresAccountRegistryOptions,
): Promise<AccountRegistry> {
  const what = 'account registry';
  const schemaName = options.schema ?? 'public';
  const tableName = options.table ?? 'mlh_api_accounts';
  const schema = identifier('schema', schemaName, what);
  const table = `${schema}.${identifier('table', tableName, what)}`;
  const query = async (text: string, values: readonly unknown[]) => rowsOf(await options.query(text, values));
  await prepareTable(
    query,
    options.migrate === true,
    { schemaName, tableName, schema, table, what: 'accounts' },
    `CREATE TABLE IF NOT EXISTS ${table} (
       marketplace text NOT NULL,
       account_id text NOT NULL,
       label text,
       PRIMARY KEY (marketplace, account_id)
     );`,
  );
  return {
    async list() {
      const rows = await query(
        `SELECT marketplace, account_id, label FROM ${table} ORDER BY marketplace COLLATE "C", account_id COLLATE "C"`,
        [],
      );
      return rows.map(
        (row): AccountRef => ({
          marketplace: String(row.marketplace) as MarketplaceId,
          accountId: String(row.account_id),
          ...(row.label === null || row.label === undefined ? {} : { label: String(row.label) }),
        }),
      );
    },
    async register(account) {
      // A reconnection without a label keeps the one the account had.
      await query(
        `INSERT INTO ${table} AS a (marketplace, account_id, label) VALUES ($1, $2, $3)
         ON CONFLICT (marketplace, account_id) DO UPDATE SET label = COALESCE(EXCLUDED.label, a.label)`,
        [account.marketplace, account.accountId, account.label ?? null],
      );
    },
  };
}
