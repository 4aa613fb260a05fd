import type { MarketplaceId, StoredTokenSet, TokenSet, TokenStore } from '@mlh/core';
import type { Row, Sql, SqliteDatabase } from './sqlite';

/**
 * The core `TokenStore` on the same SQLite database. `set` with `expectedVersion` is a
 * compare-and-set: the version is checked and the new one written in one transaction, so of two
 * processes refreshing the same account only one can win (the other reads the winner's tokens and
 * uses them). Versions come from one store-wide counter, so a version is never reused, even after a
 * delete, and an old `expectedVersion` can never match by accident.
 *
 * Tokens are stored as given: wrap the store in core's `EncryptedTokenStore` to keep them encrypted.
 */
export function sqliteTokenStore(db: SqliteDatabase): TokenStore {
  return {
    async get(marketplace, accountId) {
      return db.read((sql) => readTokens(sql, marketplace, accountId));
    },

    async set(tokens, options = {}) {
      const { version: _ignored, ...fields } = tokens as TokenSet & { version?: number };
      return db.write((sql) => {
        const current = readTokens(sql, tokens.marketplace, tokens.accountId);
        const expected = options.expectedVersion;
        // Inside BEGIN IMMEDIATE no other writer can run between this check and the write below.
        if (expected !== undefined && (current?.version ?? 0) !== expected) return { ok: false, current };
        const version = Number(
          sql.get(
            `INSERT INTO counters (name, value) VALUES ('token_version', 1)
             ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
          )?.value,
        );
        sql.run(
          `INSERT INTO tokens (marketplace, account_id, data, version) VALUES (?, ?, ?, ?)
           ON CONFLICT (marketplace, account_id) DO UPDATE SET data = excluded.data, version = excluded.version`,
          [tokens.marketplace, tokens.accountId, JSON.stringify(fields), version],
        );
        return { ok: true, stored: readTokens(sql, tokens.marketplace, tokens.accountId)! };
      });
    },

    async delete(marketplace, accountId) {
      db.write((sql) =>
        sql.run('DELETE FROM tokens WHERE marketplace = ? AND account_id = ?', [marketplace, accountId]),
      );
    },
  };
}

function readTokens(sql: Sql, marketplace: MarketplaceId, accountId: string): StoredTokenSet | undefined {
  const row: Row | undefined = sql.get(
    'SELECT data, version FROM tokens WHERE marketplace = ? AND account_id = ?',
    [marketplace, accountId],
  );
  if (!row) return undefined;
  return { ...(JSON.parse(String(row.data)) as TokenSet), version: Number(row.version) };
}
