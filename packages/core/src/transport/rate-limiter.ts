import type { RateLimiter, RateLimitRule } from './types';

interface Bucket {
  /** Tokens available at `updatedAt`; negative when slots are reserved ahead. */
  tokens: number;
  updatedAt: number;
}

/**
 * The default {@link RateLimiter}: an in-memory token bucket per key. A reservation takes a
 * token now if one is there, or the next one to come, and says how long to wait for it; waiting
 * callers are therefore spaced exactly `1 / perSecond` apart. Over any interval of `T` seconds
 * at most `burst + perSecond × T` requests go out.
 *
 * For several processes sharing one marketplace quota, implement {@link RateLimiter} over a
 * shared store (e.g. Redis) instead.
 *
 * @example
 * const limiter = createTokenBucketLimiter();
 * const waitMs = await limiter.reserve('meli:123:read', { perSecond: 10 }, Date.now());
 */
export function createTokenBucketLimiter(options: { maxKeys?: number } = {}): RateLimiter {
  const maxKeys = options.maxKeys ?? 10_000;
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, rule: RateLimitRule, now: number): void => {
    const burst = Math.max(1, rule.burst ?? rule.perSecond);
    if (now > bucket.updatedAt) {
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) * rule.perSecond) / 1000);
      bucket.updatedAt = now;
    }
  };

  const forgetIdle = (now: number, rule: RateLimitRule): void => {
    // A bucket that has refilled completely is the same as no bucket: drop it to bound memory.
    for (const [key, bucket] of buckets) {
      refill(bucket, rule, now);
      if (bucket.tokens >= Math.max(1, rule.burst ?? rule.perSecond)) buckets.delete(key);
    }
  };

  return {
    reserve(key, rule, now) {
      if (!(rule.perSecond > 0)) return 0;
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxKeys) forgetIdle(now, rule);
        bucket = { tokens: Math.max(1, rule.burst ?? rule.perSecond), updatedAt: now };
        buckets.set(key, bucket);
      }
      refill(bucket, rule, now);
      bucket.tokens -= 1;
      if (bucket.tokens >= 0) return 0;
      return Math.ceil((-bucket.tokens * 1000) / rule.perSecond);
    },
  };
}
