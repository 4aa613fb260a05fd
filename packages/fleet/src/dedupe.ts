import { ValidationError, type WebhookDedupeStore } from '@mlh/core';
import type { Redis } from 'ioredis';
import { redisError, redisTarget } from './redis';
import { redisKeyPrefix } from './token-lock';

/** Options of {@link createRedisDedupeStore}. */
export interface RedisDedupeStoreOptions {
  /** Prefix of every key. Default `mlh:`; the keys are `<prefix>webhook:<marketplace>:<dedupe key>`. */
  prefix?: string;
}

/**
 * Durable webhook dedupe on Redis (`SET key 1 NX PX ttl`), shared by every process and kept across
 * restarts: a redelivery that reaches another process, or arrives after a deploy, is acknowledged
 * and not emitted again. Keys expire after the handler's `dedupeTtlMs` (72 h by default, longer than
 * every marketplace's redelivery window), so Redis never evicts a live key to make room for a flood
 * as the in-memory store does; give the Redis enough memory (roughly 150 bytes per key) or a
 * `noeviction` policy. A Redis outage makes `claim` reject (code `redis_unavailable`): the handler
 * then answers 503 and the marketplace redelivers later.
 *
 * @example
 * const redis = await connectRedis(process.env.REDIS_URL!);
 * const handler = createWebhookHandler({ sources, dedupe: createRedisDedupeStore(redis) });
 */
export function createRedisDedupeStore(
  redis: Redis,
  options: RedisDedupeStoreOptions = {},
): WebhookDedupeStore {
  const prefix = `${redisKeyPrefix(options.prefix)}webhook:`;
  const target = redisTarget(redis);
  return {
    async claim(key, ttlMs) {
      if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
        throw new ValidationError('Invalid dedupe claim', [
          { path: 'ttlMs', message: 'must be a positive whole number of milliseconds' },
        ]);
      }
      try {
        return (await redis.set(prefix + key, '1', 'PX', ttlMs, 'NX')) === 'OK';
      } catch (error) {
        throw redisError('claiming a webhook dedupe key', target, error);
      }
    },
  };
}
