import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';

/** A value bound to a `?` placeholder; `undefined` is bound as SQL `NULL`. */
export type Param = SqlValue | undefined;

/** One result row, by column name. */
export type Row = Record<string, SqlValue>;

/** The statements a transaction body may run. Every call is synchronous. */
export interface Sql {
  /** Every row the query returns. */
  all(sql: string, params?: readonly Param[]): Row[];
  /** The first row the query returns, if any. */
  get(sql: string, params?: readonly Param[]): Row | undefined;
  /** Runs a statement; returns how many rows it inserted, updated or deleted. */
  run(sql: string, params?: readonly Param[]): number;
  /** Runs a script of several statements without parameters (schema changes). */
  script(sql: string): void;
}

/** An open database: every read and write goes through one transaction. */
export interface SqliteDatabase {
  /**
   * Runs `body` in one write transaction (`BEGIN IMMEDIATE` … `COMMIT`, `ROLLBACK` on any error),
   * then, with a file, saves the database before returning. `body` must be synchronous: nothing can
   * run between its statements, which is what makes each call atomic.
   */
  write<T>(body: (sql: Sql) => T): T;
  /** Runs `body` in one read transaction, so several queries see one state. */
  read<T>(body: (sql: Sql) => T): T;
  /** Frees the database; later calls throw. */
  close(): void;
}

/** Where the database lives: a file path, or nowhere (in memory, gone when closed). */
export interface OpenOptions {
  filename?: string | undefined;
  /** Brings the schema to the current version inside the first write transaction. */
  migrate: (sql: Sql, fromVersion: number) => void;
  /** The schema version this code writes; a file with a higher `user_version` is refused. */
  schemaVersion: number;
}

let engine: Promise<SqlJsStatic> | undefined;

/**
 * Opens (or creates) a database in SQLite compiled to WebAssembly (sql.js). sql.js keeps the whole
 * database in memory; with a `filename` it is loaded from that file and saved back to it after
 * every transaction that changed something, through a temporary file renamed over the old one, so
 * the file always holds one complete committed state.
 */
export async function openSqliteDatabase(options: OpenOptions): Promise<SqliteDatabase> {
  engine ??= initSqlJs();
  const SQL = await engine;
  const { filename } = options;
  const existing = filename && existsSync(filename) ? readFileSync(filename) : undefined;
  let db = new SQL.Database(existing);
  // The bytes of the file as last saved: if a save fails, the database is put back to them, so a
  // call that rejects leaves nothing behind, in memory or on disk.
  let saved: Uint8Array | undefined = existing;
  let closed = false;

  const sql: Sql = {
    all: (text, params = []) => query(db, text, params),
    get: (text, params = []) => query(db, text, params, 1)[0],
    run: (text, params = []) => {
      db.run(text, bind(params));
      return db.getRowsModified();
    },
    script: (text) => {
      db.exec(text);
    },
  };

  function transaction<T>(begin: string, body: (sql: Sql) => T): T {
    if (closed) throw new Error('This SQLite store is closed');
    db.run(begin);
    let result: T;
    try {
      result = body(sql);
      if (isPromiseLike(result)) {
        throw new Error('A transaction body must be synchronous: an await would let other calls in');
      }
      db.run('COMMIT');
    } catch (error) {
      rollbackQuietly(db);
      throw error;
    }
    return result;
  }

  function save(target: string): void {
    const bytes = db.export();
    try {
      writeFileAtomically(target, bytes);
      saved = bytes;
    } catch (error) {
      db.close();
      db = new SQL.Database(saved);
      throw new Error(`Could not save the SQLite database to ${target}; the change was undone`, {
        cause: error,
      });
    }
  }

  const database: SqliteDatabase = {
    write(body) {
      const changesBefore = totalChanges(db);
      const result = transaction('BEGIN IMMEDIATE', body);
      if (filename && totalChanges(db) !== changesBefore) save(filename);
      return result;
    },
    read: (body) => transaction('BEGIN', body),
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };

  try {
    const version = schemaVersionOf(db, filename);
    if (version > options.schemaVersion) {
      throw new Error(
        `${filename ?? 'The database'} has schema version ${version}, newer than this store knows (${options.schemaVersion}): use the newer code`,
      );
    }
    if (version < options.schemaVersion) {
      transaction('BEGIN IMMEDIATE', (s) => {
        options.migrate(s, version);
        s.script(`PRAGMA user_version = ${options.schemaVersion}`);
      });
    }
    if (filename && (version < options.schemaVersion || !existing)) save(filename);
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

function schemaVersionOf(db: Database, filename: string | undefined): number {
  try {
    return Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
  } catch (error) {
    throw new Error(`${filename ?? 'The database'} is not a SQLite database`, { cause: error });
  }
}

function query(db: Database, text: string, params: readonly Param[], limit = Infinity): Row[] {
  const statement = db.prepare(text, bind(params));
  try {
    const rows: Row[] = [];
    while (rows.length < limit && statement.step()) rows.push(statement.getAsObject());
    return rows;
  } finally {
    statement.free();
  }
}

function bind(params: readonly Param[]): SqlValue[] {
  return params.map((value) => (value === undefined ? null : value));
}

function totalChanges(db: Database): number {
  return Number(db.exec('SELECT total_changes()')[0]?.values[0]?.[0] ?? 0);
}

function rollbackQuietly(db: Database): void {
  try {
    db.run('ROLLBACK');
  } catch {
    // SQLite already rolled the transaction back itself (it does on some errors): nothing to undo.
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Writes `bytes` to a temporary file beside `target`, flushes it to the disk, and renames it over
 * `target`: a crash leaves either the old file or the new one, never half of one.
 */
function writeFileAtomically(target: string, bytes: Uint8Array): void {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, 'w');
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
