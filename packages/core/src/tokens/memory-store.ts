import type { MarketplaceId } from '../errors';
import { createMemoryRefreshLocks, type MemoryRefreshLocksOptions } from './locks';
import type { StoredTokenSet, TokenRefreshLock, TokenSet, TokenStore, TokenWriteResult } from './types';

/** The key a token set is stored under: marketplace and account id. */
export function tokenStoreKey(marketplace: MarketplaceId, accountId: string): string {
  return `${marketplace}:${accountId}`;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** A copy of flat data (primitives only, as a plain object or a dense array), or undefined. */
function flatCopy(value: object): object | undefined {
  if (Array.isArray(value)) {
    if (Object.keys(value).length !== value.length || !value.every(isPrimitive)) return undefined;
    return value.slice();
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (key === '__proto__' || !isPrimitive(field)) return undefined;
    copy[key] = field;
  }
  return copy;
}

/**
 * What `structuredClone` gives for a stored record, without its cost on the records tokens are
 * (strings, numbers, the `scopes` list, a flat `extra`): read on every call a client makes.
 * Anything deeper is left to `structuredClone`.
 */
function copyOfRecord(record: StoredTokenSet): StoredTokenSet {
  const copy = flatCopy(record) as StoredTokenSet | undefined;
  if (copy) return copy;
  const shallow: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const field = (record as unknown as Record<string, unknown>)[key];
    if (key === '__proto__') return structuredClone(record);
    if (isPrimitive(field)) shallow[key] = field;
    else {
      const nested = flatCopy(field as object);
      if (!nested) return structuredClone(record);
      shallow[key] = nested;
    }
  }
  return shallow as unknown as StoredTokenSet;
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
    return record && copyOfRecord(record);
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
