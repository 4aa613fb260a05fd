import {
  type MarketplaceId,
  MlhError,
  refreshLockLeaseMs,
  type StoredTokenSet,
  type TokenRefreshLock,
  type TokenSet,
  type TokenStore,
  type TokenWriteResult,
} from '@mlh/core';
import { connectionError, type Naming, type Queryable, toNumber } from './db';

interface TokenRow {
  data: TokenSet;
  version: string;
  reauthorization_required: boolean;
}

/** Options of {@link postgresTokenStore}. */
export interface PostgresTokenStoreOptions {
  /** How long a refresh lock lasts unless its holder renews it. Default 10 s. */
  refreshLockLeaseMs?: number | undefined;
  /** Where the database is, for error messages (never the password). */
  target?: string | undefined;
}

/**
 * The core {@link TokenStore} over PostgreSQL, with compare-and-set on a version column: two
 * processes refreshing the same account cannot both win. Tokens are stored as given; wrap it in
 * core's `EncryptedTokenStore` to keep them encrypted at rest.
 *
 * Its refresh locks are lease rows (`token_refresh_locks`) judged by the database's clock: the
 * processes sharing the database refresh an account one at a time, and a holder that dies frees
 * the lock when its lease ends. A database that cannot be reached is an error, never a local lock.
 */
export function postgresTokenStore(
  pool: Queryable,
  naming: Naming,
  options: PostgresTokenStoreOptions = {},
): TokenStore {
  const table = naming.table('tokens');
  const locks = naming.table('token_refresh_locks');
  const leaseMs = refreshLockLeaseMs(options.refreshLockLeaseMs);
  const target = options.target ?? 'the database';

  /** Runs a lock query; a failure says the lock could not be reached, naming the database, not the password. */
  async function lockQuery(sql: string, params: unknown[]): Promise<number> {
    try {
      const result = await pool.query(sql, params);
      return result.rowCount ?? 0;
    } catch (error) {
      const reason = connectionError(target, error);
      throw new MlhError(`Token refresh lock unavailable: ${reason.message}`, {
        code: 'token_refresh_lock_unavailable',
        retryable: true,
        cause: error,
      });
    }
  }

  async function acquireRefreshLock(
    marketplace: MarketplaceId,
    accountId: string,
  ): Promise<TokenRefreshLock | undefined> {
    const holder = crypto.randomUUID();
    const taken = await lockQuery(
      `INSERT INTO ${locks} AS l (marketplace, account_id, holder, expires_at)
       VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond')
       ON CONFLICT (marketplace, account_id) DO UPDATE
         SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE l.expires_at <= clock_timestamp()`,
      [marketplace, accountId, holder, leaseMs],
    );
    if (taken === 0) return undefined;
    return {
      leaseMs,
      async renew() {
        const renewed = await lockQuery(
          `UPDATE ${locks} SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
           WHERE marketplace = $1 AND account_id = $2 AND holder = $3 AND expires_at > clock_timestamp()`,
          [marketplace, accountId, holder, leaseMs],
        );
        return renewed > 0;
      },
      async release() {
        await lockQuery(`DELETE FROM ${locks} WHERE marketplace = $1 AND account_id = $2 AND holder = $3`, [
          marketplace,
          accountId,
          holder,
        ]);
      },
    };
  }
  const nextVersion = `nextval('${naming.table('token_versions')}')`;

  function fromRow(row: TokenRow): StoredTokenSet {
    return {
      ...row.data,
      version: toNumber(row.version),
      ...(row.reauthorization_required ? { reauthorizationRequired: true } : {}),
    };
  }

  return {
    acquireRefreshLock,

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
