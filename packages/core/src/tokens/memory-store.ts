import type { MarketplaceId } from '../errors';
import { createMemoryRefreshLocks, type MemoryRefreshLocksOptions } from './locks';
import type { StoredTokenSet, TokenRefreshLock, TokenSet, TokenStore, TokenWriteResult } from './types';

/** The key a token set is stored under: marketplace and account id. */
export function tokenStoreKey(marketplace: MarketplaceId, accountId: string): string {
  return `${marketplace}:${accountId}`;
}

/**
 * A {@link TokenStore} in process memory, with compare-and-set versions. For tests, scripts and
 * single-process apps; tokens are lost on restart, so production apps implement `TokenStore`
 * over their database (and wrap it in `EncryptedTokenStore`).
 *
 * Versions come from one counter for the whole store, so a version is never reused, even after
 * a delete: a stale compare-and-set can never succeed by accident. Its refresh locks (leases of
 * `refreshLockLeaseMs`, default 10 s) coordinate the token managers of this process only.
 *
 * @example
 * const store = new MemoryTokenStore();
 * await store.set({ marketplace: 'meli', accountId: '123', accessToken: 'APP_USR-…', expiresAt: Date.now() + 6 * 3600_000 });
 */
export class MemoryTokenStore implements TokenStore {
  readonly #records = new Map<string, StoredTokenSet>();
  readonly #locks;
  #lastVersion = 0;

  constructor(options: { refreshLockLeaseMs?: number; clock?: MemoryRefreshLocksOptions['clock'] } = {}) {
    this.#locks = createMemoryRefreshLocks({
      ...(options.refreshLockLeaseMs === undefined ? {} : { leaseMs: options.refreshLockLeaseMs }),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  acquireRefreshLock(marketplace: MarketplaceId, accountId: string): Promise<TokenRefreshLock | undefined> {
    return this.#locks.acquireRefreshLock(marketplace, accountId);
  }

  async get(marketplace: MarketplaceId, accountId: string): Promise<StoredTokenSet | undefined> {
    const record = this.#records.get(tokenStoreKey(marketplace, accountId));
    return record && structuredClone(record);
  }

  async set(
    tokens: TokenSet & { reauthorizationRequired?: boolean | undefined },
    options: { expectedVersion?: number } = {},
  ): Promise<TokenWriteResult> {
    const key = tokenStoreKey(tokens.marketplace, tokens.accountId);
    const current = this.#records.get(key);
    if (options.expectedVersion !== undefined && (current?.version ?? 0) !== options.expectedVersion) {
      return { ok: false, current: current && structuredClone(current) };
    }
    const { version: _ignored, ...fields } = tokens as TokenSet & { version?: number };
    this.#lastVersion += 1;
    const stored: StoredTokenSet = structuredClone({ ...fields, version: this.#lastVersion });
    this.#records.set(key, stored);
    return { ok: true, stored: structuredClone(stored) };
  }

  async delete(marketplace: MarketplaceId, accountId: string): Promise<void> {
    this.#records.delete(tokenStoreKey(marketplace, accountId));
  }
}
