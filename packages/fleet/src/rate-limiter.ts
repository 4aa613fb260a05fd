import { MlhError, type RateLimiter, type RateLimitRule, redactText } from '@mlh/core';
import { Redis } from 'ioredis';
import { describeRedisTarget } from './redis';

/**
 * The token bucket of core's in-memory limiter, run atomically inside Redis so every process
 * draws on one bucket. Time is Redis's own (`TIME`), so machines with skewed clocks still agree.
 * A reservation takes a token now, or the next one to come (tokens go negative), and returns the
 * wait in ms before it may be used: callers are spaced exactly `1 / perSecond` apart.
 *
 * KEYS[1] bucket hash; ARGV[1] perSecond; ARGV[2] burst.
 */
const RESERVE_SCRIPT = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate / 1000)
  at = now
end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
-- A bucket that has refilled is the same as no bucket: let Redis drop it then.
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
if tokens >= 0 then
  return 0
end
return math.ceil(-tokens * 1000 / rate)
`;

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /**
   * A `redis://` URL (the limiter opens and owns its connection; `close()` ends it), or an
   * ioredis client you manage.
   */
  redis: string | Redis;
  /** Prefix of every bucket key, e.g. per environment. Default `mlh:ratelimit:`. */
  prefix?: string;
}

/** A `RateLimiter` (of `@mlh/core`) shared through Redis. */
export interface RedisRateLimiter extends RateLimiter {
  /** Closes the connection the limiter opened from a URL; a client you passed is left open. */
  close(): Promise<void>;
}

interface ReserveCommand {
  mlhReserveToken(key: string, perSecond: string, burst: string): Promise<number>;
}

/**
 * A rate limiter whose buckets live in Redis: every worker of a fleet passing the same Redis (and
 * prefix) to its transports spends one budget, not one per process. Pass it as `rateLimiter`
 * together with the marketplace's `appRateLimits` and `rateLimits` (see each adapter's
 * `*_RATE_LIMITS`). When Redis cannot be reached the reservation fails with a `redis_unavailable`
 * `MlhError` and the request is not sent: there is no silent fallback to per-process buckets.
 * Server-only (Node).
 *
 * @example
 * const limiter = createRedisRateLimiter({ redis: process.env.REDIS_URL! });
 * const meli = createMeliTransport({
 *   tokens,
 *   rateLimiter: limiter,
 *   appRateLimits: MELI_RATE_LIMITS.app,
 *   rateLimits: MELI_RATE_LIMITS.account,
 * });
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const owned = typeof options.redis === 'string';
  const where = owned ? describeRedisTarget(options.redis as string) : 'Redis';
  const redis: Redis = owned
    ? new Redis(options.redis as string, {
        // Fail a command fast while Redis is down instead of queueing it for minutes.
        maxRetriesPerRequest: 1,
        connectTimeout: 5_000,
        lazyConnect: false,
      })
    : (options.redis as Redis);
  if (owned) {
    // Connection errors surface on each reservation; an unhandled 'error' event would crash the process.
    redis.on('error', () => {});
  }
  const prefix = options.prefix ?? 'mlh:ratelimit:';
  if (!('mlhReserveToken' in redis)) {
    redis.defineCommand('mlhReserveToken', { numberOfKeys: 1, lua: RESERVE_SCRIPT });
  }
  const command = redis as unknown as ReserveCommand;

  return {
    async reserve(key: string, rule: RateLimitRule): Promise<number> {
      if (!(rule.perSecond > 0)) return 0;
      const burst = Math.max(1, rule.burst ?? rule.perSecond);
      try {
        return Number(await command.mlhReserveToken(prefix + key, String(rule.perSecond), String(burst)));
      } catch (error) {
        throw new MlhError(
          `the shared rate limiter at ${where} is unreachable: ${redactText(error instanceof Error ? error.message : String(error))}`,
          { code: 'redis_unavailable', retryable: true },
        );
      }
    },
    async close(): Promise<void> {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
