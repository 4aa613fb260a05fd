import type { MarketplaceId, StoredTokenSet, TokenSet, TokenStore, TokenWriteResult } from '@mlh/core';
import { type Naming, type Queryable, toNumber } from './db';

interface TokenRow {
  data: TokenSet;
  version: string;
  reauthorization_required: boolean;
}

/**
 * The core {@link TokenStore} over PostgreSQL, with compare-and-set on a version column: two
 * processes refreshing the same account cannot both win. Tokens are stored as given; wrap it in
 * core's `EncryptedTokenStore` to keep them encrypted at rest.
 */
export function postgresTokenStore(pool: Queryable, naming: Naming): TokenStore {
  const table = naming.table('tokens');
  const nextVersion = `nextval('${naming.table('token_versions')}')`;

  function fromRow(row: TokenRow): StoredTokenSet {
    return {
      ...row.data,
      version: toNumber(row.version),
      ...(row.reauthorization_required ? { reauthorizationRequired: true } : {}),
    };
  }

  return {
    async get(marketplace: MarketplaceId, accountId: string) {
      const { rows } = await pool.query<TokenRow>(
        `SELECT data, version, reauthorization_required FROM ${table} WHERE marketplace = $1 AND account_id = $2`,
        [marketplace, accountId],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },

    async set(tokens, options = {}): Promise<TokenWriteResult> {
      const { reauthorizationRequired, ...rest } = tokens as TokenSet & {
        reauthorizationRequired?: boolean;
        version?: number;
      };
      delete (rest as { version?: number }).version;
      const params = [
        tokens.marketplace,
        tokens.accountId,
        JSON.stringify(rest),
        reauthorizationRequired === true,
      ];
      const expected = options.expectedVersion;
      const sql =
        expected === undefined
          ? `INSERT INTO ${table} AS t (marketplace, account_id, data, version, reauthorization_required)
             VALUES ($1, $2, $3, ${nextVersion}, $4)
             ON CONFLICT (marketplace, account_id) DO UPDATE
               SET data = EXCLUDED.data, version = EXCLUDED.version, reauthorization_required = EXCLUDED.reauthorization_required,
                   updated_at = now()
             RETURNING data, version, reauthorization_required`
          : expected === 0
            ? `INSERT INTO ${table} (marketplace, account_id, data, version, reauthorization_required)
               VALUES ($1, $2, $3, ${nextVersion}, $4) ON CONFLICT DO NOTHING
               RETURNING data, version, reauthorization_required`
            : `UPDATE ${table} SET data = $3, version = ${nextVersion}, reauthorization_required = $4, updated_at = now()
               WHERE marketplace = $1 AND account_id = $2 AND version = $5
               RETURNING data, version, reauthorization_required`;
      const { rows } = await pool.query<TokenRow>(sql, expected ? [...params, expected] : params);
      if (rows[0]) return { ok: true, stored: fromRow(rows[0]) };
      return { ok: false, current: await this.get(tokens.marketplace, tokens.accountId) };
    },

    async delete(marketplace: MarketplaceId, accountId: string) {
      await pool.query(`DELETE FROM ${table} WHERE marketplace = $1 AND account_id = $2`, [
        marketplace,
        accountId,
      ]);
    },
  };
}
