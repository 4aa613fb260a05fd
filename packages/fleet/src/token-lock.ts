import {
  type MarketplaceId,
  refreshLockLeaseMs,
  type TokenRefreshLock,
  type TokenRefreshLocks,
  ValidationError,
} from '@mlh/core';
import type { Redis } from 'ioredis';
import { redisError, redisTarget } from './redis';

/** Options of {@link createRedisRefreshLocks}. */
export interface RedisRefreshLocksOptions {
  /** Prefix of every key, to share one Redis between apps or environments. Default `mlh:`. */
  prefix?: string;
  /**
   * How long a lock lasts unless its holder renews it (the token manager renews it while the
   * marketplace answers). A holder that dies blocks its account's refresh this long at most.
   * Default 10 s.
   */
  leaseMs?: number;
}

// Compare-and-delete and compare-and-extend: only the holder whose random value is stored may
// release or renew, so a holder whose lease ended can never touch its successor's lock.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** Checks a key prefix given by a user. */
export function redisKeyPrefix(prefix: string | undefined): string {
  const value = prefix ?? 'mlh:';
  if (typeof value !== 'string' || value.length > 100 || /\s/.test(value)) {
    throw new ValidationError('Invalid Redis key prefix', [
      { path: 'prefix', message: 'must be a string of at most 100 characters without spaces' },
    ]);
  }
  return value;
}

/**
 * Per-account token refresh locks on Redis (`SET key value NX PX lease`, released and renewed by
 * Lua compare-and-delete / compare-and-extend): every process sharing the Redis refreshes an
 * account one at a time. Add them to any token store with core's `withRefreshLocks`. Redis
 * unreachable is an error (code `redis_unavailable`), never a per-process lock.
 *
 * @example
 * const redis = await connectRedis(process.env.REDIS_URL!);
 * const tokenStore = withRefreshLocks(myTokenStore, createRedisRefreshLocks(redis, { prefix: 'shop1:' }));
 */
export function createRedisRefreshLocks(
  redis: Redis,
  options: RedisRefreshLocksOptions = {},
): TokenRefreshLocks {
  const prefix = redisKeyPrefix(options.prefix);
  const leaseMs = refreshLockLeaseMs(options.leaseMs, 'leaseMs');
  const target = redisTarget(redis);
  const call = async <T>(doing: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw redisError(doing, target, error);
    }
  };

  return {
    async acquireRefreshLock(marketplace: MarketplaceId, accountId: string) {
      const key = `${prefix}token-refresh-lock:${marketplace}:${accountId}`;
      const holder = crypto.randomUUID();
      const taken = await call('taking a token refresh lock', () =>
        redis.set(key, holder, 'PX', leaseMs, 'NX'),
      );
      if (taken !== 'OK') return undefined;
      const lock: TokenRefreshLock = {
        leaseMs,
        async renew() {
          const renewed = await call('renewing a token refresh lock', () =>
            redis.eval(RENEW, 1, key, holder, String(leaseMs)),
          );
          return Number(renewed) === 1;
        },
        async release() {
          await call('releasing a token refresh lock', () => redis.eval(RELEASE, 1, key, holder));
        },
      };
      return lock;
    },
  };
}
