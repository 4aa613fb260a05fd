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

/** Whether a transaction that failed with `error` on its `attempt`-th try (of 5) is run again. */
function runsAgain(error: unknown, attempt: number): boolean {
  const code = (error as { code?: string }).code;
  return code !== undefined && RETRYABLE_CODES.has(code) && attempt < 5;
}

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
      if (runsAgain(error, attempt)) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

/**
 * A transaction whose `BEGIN` travels with its first statement sent as text and whose `COMMIT`
 * with its last: two round trips fewer than sending each alone. Text statements carry their
 * values as literals ({@link sqlLiteral}, {@link sqlArray}), since only the simple protocol
 * runs several statements in one message.
 */
export interface Transaction {
  /**
   * Runs `sql` (one or more statements, no parameters), opening the transaction first and, with
   * `commit`, committing it after them in the same round trip. Returns each statement's result.
   */
  text<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    options?: { commit?: boolean },
  ): Promise<pg.QueryResult<R>[]>;
  /** Runs one statement with parameters (its own round trip; the transaction is opened first). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * {@link inTransaction} for work that sends its statements through a {@link Transaction}: the
 * same retries on serialization failures and deadlocks, `BEGIN` and `COMMIT` sent along with the
 * work's own statements where it can, and no transaction at all when the work sends nothing.
 */
export async function inSharedTripTransaction<T>(
  pool: Queryable,
  work: (transaction: Transaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    let open = false;
    let committed = false;
    const transaction: Transaction = {
      async text<R extends pg.QueryResultRow>(sql: string, options: { commit?: boolean } = {}) {
        if (committed) throw new Error('statement sent after the transaction was committed');
        const opening = !open;
        open = true;
        const sent = `${opening ? 'BEGIN;\n' : ''}${sql}${options.commit ? ';\nCOMMIT' : ''}`;
        const answer = (await client.query(sent)) as unknown as pg.QueryResult<R> | pg.QueryResult<R>[];
        if (options.commit) committed = true;
        const results = Array.isArray(answer) ? answer : [answer];
        return results.slice(opening ? 1 : 0, options.commit ? -1 : undefined);
      },
      async query<R extends pg.QueryResultRow>(sql: string, values?: unknown[]) {
        if (committed) throw new Error('statement sent after the transaction was committed');
        if (!open) {
          await client.query('BEGIN');
          open = true;
        }
        return client.query<R>(sql, values);
      },
    };
    try {
      const result = await work(transaction);
      if (open && !committed) await client.query('COMMIT');
      return result;
    } catch (error) {
      if (open && !committed) await client.query('ROLLBACK').catch(() => {});
      if (runsAgain(error, attempt)) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

/**
 * Runs one parameterized statement as its own transaction (sent alone, it commits once it
 * succeeds and leaves nothing when it fails), run again on a serialization failure or deadlock
 * like {@link inTransaction}.
 */
export async function inOneStatement<R extends pg.QueryResultRow>(
  pool: Queryable,
  sql: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await pool.query<R>(sql, values);
    } catch (error) {
      if (runsAgain(error, attempt)) continue;
      throw error;
    }
  }
}

/**
 * `text` as an SQL string literal, right whatever `standard_conforming_strings` says: quotes
 * doubled, and backslashes doubled inside an `E'…'` literal when there are any.
 */
export function sqlLiteral(text: string): string {
  // Checked first: replaceAll copies even a text with nothing to replace.
  const quoted = text.includes("'") ? text.replaceAll("'", "''") : text;
  return text.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/** `value` as an SQL literal of type `bigint` (a fraction is refused by the server, as for a parameter). */
export function bigintLiteral(value: number): string {
  return `${sqlLiteral(String(value))}::bigint`;
}

/**
 * `values` as an SQL literal of type `text[]` or `bigint[]`, `null` elements as SQL NULLs. Text is
 * always quoted (so the text `NULL` stays text); numbers are written as they are, and only safe
 * integers reach a `bigint[]` (the store's inputs are checked first).
 */
export function sqlArray(values: readonly (string | number | null)[], type: 'text' | 'bigint'): string {
  // Most texts (SKUs, keys) hold neither quote nor backslash, and are quoted without a copy.
  const elements = values.map((value) =>
    value === null
      ? 'NULL'
      : typeof value === 'number'
        ? String(value)
        : ARRAY_ESCAPED.test(value)
          ? `"${value.replace(ARRAY_ESCAPES, '\\$&')}"`
          : `"${value}"`,
  );
  return `${sqlLiteral(`{${elements.join(',')}}`)}::${type}[]`;
}

const ARRAY_ESCAPED = /["\\]/;
const ARRAY_ESCAPES = /["\\]/g;

/** `bigint` columns arrive as strings from `pg`; every value this package stores fits a safe integer. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
