import type { SandboxClock } from './clock';

/** A token-bucket limit: `requestsPerSecond` sustained, up to `burst` at once (default: `requestsPerSecond`). */
export interface RateLimitConfig {
  requestsPerSecond: number;
  burst?: number;
}

/** Decides, per key (seller, app, shop...), whether one more request is allowed right now. */
export interface RateLimitGate {
  /** Replaces the limit; `undefined` removes it. Buckets start full again. */
  configure(config?: RateLimitConfig): void;
  /** Takes one request from `key`'s bucket; false when it is empty (answer the marketplace's 429). */
  take(key: string): boolean;
  /** Milliseconds until `key` may make one more request (0 when it may now), for a `Retry-After` value. */
  retryAfterMs(key: string): number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Creates a per-key token-bucket gate on the sandbox clock, so a frozen clock makes the limit
 * fully deterministic: buckets refill only when the clock advances.
 *
 * @example
 * const gate = createRateLimitGate(clock, { requestsPerSecond: 5, burst: 10 });
 * if (!gate.take(`seller:${sellerId}`)) return tooManyRequests();
 */
export function createRateLimitGate(clock: SandboxClock, config?: RateLimitConfig): RateLimitGate {
  let current = config === undefined ? undefined : checked(config);
  let buckets = new Map<string, Bucket>();

  function refill(key: string, limit: Required<RateLimitConfig>): Bucket {
    const now = clock.now();
    const bucket = buckets.get(key) ?? { tokens: limit.burst, updatedAt: now };
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsed * limit.requestsPerSecond) / 1000);
    bucket.updatedAt = now;
    buckets.set(key, bucket);
    return bucket;
  }

  return {
    configure(next) {
      current = next === undefined ? undefined : checked(next);
      buckets = new Map();
    },
    take(key) {
      if (current === undefined) return true;
      const bucket = refill(key, current);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    retryAfterMs(key) {
      if (current === undefined) return 0;
      const bucket = refill(key, current);
      if (bucket.tokens >= 1) return 0;
      return Math.ceil(((1 - bucket.tokens) * 1000) / current.requestsPerSecond);
    },
  };
}

function checked(config: RateLimitConfig): Required<RateLimitConfig> {
  if (!(config.requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be greater than 0');
  const burst = config.burst ?? Math.max(1, config.requestsPerSecond);
  if (!(burst >= 1)) throw new RangeError('burst must be at least 1');
  return { requestsPerSecond: config.requestsPerSecond, burst };
}
