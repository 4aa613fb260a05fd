import { MlhError } from '@mlh/core';
import pg from 'pg';

/** The part of a `pg` pool this package uses, so an application can pass its own pool. */
export interface Queryable {
  query: pg.Pool['query'];
  connect(): Promise<pg.PoolClient>;
}

/** How to reach the database: a connection string, or an existing pool the application shares. */
export type ConnectionOptions =
  | { connectionString: string; pool?: undefined }
  | { pool: Queryable; connectionString?: undefined };

/** Where the tables live: a schema (default `mlh`) and an optional table-name prefix. */
export interface NamingOptions {
  /** PostgreSQL schema holding the tables; created by `migrate()`. Default `mlh`. */
  schema?: string;
  /** Prefix of every table name, e.g. `shop1_`. Default none. */
  tablePrefix?: string;
}

/** Resolved, validated names of the schema and tables. */
export interface Naming {
  schema: string;
  prefix: string;
  /** The quoted, schema-qualified name of a table, e.g. `"mlh"."stock"`. */
  table(name: string): string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,40}$/;

/** Validates schema and prefix (they are spliced into SQL, so only plain identifiers are allowed). */
export function resolveNaming(options: NamingOptions = {}): Naming {
  const schema = options.schema ?? 'mlh';
  const prefix = options.tablePrefix ?? '';
  if (!IDENTIFIER.test(schema)) {
    throw new MlhError(`Invalid schema name "${schema}": use lower-case letters, digits and underscores`);
  }
  if (prefix !== '' && !IDENTIFIER.test(prefix)) {
    throw new MlhError(`Invalid table prefix "${prefix}": use lower-case letters, digits and underscores`);
  }
  return { schema, prefix, table: (name) => `"${schema}"."${prefix}${name}"` };
}

/** Opens a pool from a connection string (owned by us) or wraps the application's pool. */
export function openPool(options: ConnectionOptions): { pool: Queryable; owned: pg.Pool | undefined } {
  if (options.pool) return { pool: options.pool, owned: undefined };
  let url: URL;
  try {
    url = new URL(options.connectionString);
  } catch {
    throw new MlhError('Invalid PostgreSQL connection string: expected postgresql://user@host:port/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new MlhError(`Invalid PostgreSQL connection string: protocol "${url.protocol}" is not postgresql:`);
  }
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 10 });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return { pool, owned: pool };
}

/** Describes where a connection string points, without the password. */
export function describeTarget(options: ConnectionOptions): string {
  if (!options.connectionString) return 'the given pool';
  try {
    const url = new URL(options.connectionString);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname || ''}`;
  } catch {
    return 'an invalid connection string';
  }
}

/** Wraps a connection failure into an error naming the target and the cause, never the password. */
export function connectionError(target: string, error: unknown): MlhError {
  const code = (error as { code?: string }).code;
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused (is PostgreSQL running?)'
      : code === 'ENOTFOUND'
        ? 'host not found'
        : code === '28P01' || code === '28000'
          ? 'authentication failed'
          : code === '3D000'
            ? 'database does not exist'
            : error instanceof Error
              ? error.message
              : String(error);
  return new MlhError(`Cannot connect to PostgreSQL at ${target}: ${reason}`, { code, cause: error });
}

const RETRYABLE_CODES = new Set(['40001', '40P01']);

/**
 * Runs `work` in one transaction, retrying a few times on serialization failures and deadlocks
 * (the transaction rolled back whole, so repeating it is safe).
 */
export async function inTransaction<T>(
  pool: Queryable,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      const code = (error as { code?: string }).code;
      if (code && RETRYABLE_CODES.has(code) && attempt < 5) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

/** `bigint` columns arrive as strings from `pg`; every value this package stores fits a safe integer. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
