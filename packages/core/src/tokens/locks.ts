import { systemClock } from '../clock';
import { type MarketplaceId, ValidationError } from '../errors';
import type { Clock } from '../transport/types';
import type { TokenRefreshLock, TokenRefreshLocks, TokenStore } from './types';

/** Default lease of a refresh lock: long enough for a slow token endpoint, renewed while it runs. */
export const DEFAULT_REFRESH_LOCK_LEASE_MS = 10_000;

/** A refresh lock lease length given by a user (default 10 s), checked: a {@link ValidationError} names `field` when it is not a whole number of at least 100 ms. */
export function refreshLockLeaseMs(leaseMs: number | undefined, field = 'refreshLockLeaseMs'): number {
  const value = leaseMs ?? DEFAULT_REFRESH_LOCK_LEASE_MS;
  if (!Number.isInteger(value) || value < 100) {
    throw new ValidationError('Invalid refresh lock lease', [
      { path: field, message: 'must be a whole number of milliseconds, at least 100' },
    ]);
  }
  return value;
}

/** Options of {@link createMemoryRefreshLocks}. */
export interface MemoryRefreshLocksOptions {
  /** How long a lease lasts unless renewed. Default 10 s. */
  leaseMs?: number;
  /** Time source of the leases. Default the system clock. */
  clock?: Pick<Clock, 'now'>;
}

/**
 * Per-account refresh locks in process memory: they coordinate the token managers of one
 * process (several apps or tests sharing a store), not a fleet. Use `@mlh/sync-postgres` or
 * `@mlh/fleet` (Redis) when several processes share the tokens.
 */
export function createMemoryRefreshLocks(options: MemoryRefreshLocksOptions = {}): TokenRefreshLocks {
  const leaseMs = refreshLockLeaseMs(options.leaseMs, 'leaseMs');
  const clock = options.clock ?? systemClock;
  const holders = new Map<string, { holder: symbol; expiresAt: number }>();
  const isHeldBy = (key: string, holder: symbol) => {
    const current = holders.get(key);
    return current?.holder === holder && current.expiresAt > clock.now();
  };
  return {
    async acquireRefreshLock(marketplace: MarketplaceId, accountId: string) {
      const key = `${marketplace}:${accountId}`;
      const current = holders.get(key);
      if (current && current.expiresAt > clock.now()) return undefined;
      const holder = Symbol(key);
      holders.set(key, { holder, expiresAt: clock.now() + leaseMs });
      const lock: TokenRefreshLock = {
        leaseMs,
        async renew() {
          if (!isHeldBy(key, holder)) return false;
          holders.set(key, { holder, expiresAt: clock.now() + leaseMs });
          return true;
        },
        async release() {
          if (holders.get(key)?.holder === holder) holders.delete(key);
        },
      };
      return lock;
    },
  };
}

/**
 * Adds refresh locks to a token store that has none (your own database store), keeping its
 * reads and writes: e.g. tokens in your SQL database, locks on Redis.
 *
 * @example
 * const store = withRefreshLocks(myDatabaseTokenStore, createRedisRefreshLocks(redis));
 */
export function withRefreshLocks(store: TokenStore, locks: TokenRefreshLocks): TokenStore {
  return {
    get: (marketplace, accountId) => store.get(marketplace, accountId),
    set: (tokens, options) => store.set(tokens, options),
    delete: (marketplace, accountId) => store.delete(marketplace, accountId),
    acquireRefreshLock: (marketplace, accountId) => locks.acquireRefreshLock(marketplace, accountId),
  };
}
