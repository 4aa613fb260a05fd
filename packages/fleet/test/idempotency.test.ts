import type { IdempotencyStore } from '@mlh/api';
import { describeIdempotencyStoreConformance } from '@mlh/api/testing';
import { connectRedis, createRedisIdempotencyStore } from '@mlh/fleet';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPrefix, redisSkipReason, redisUrl } from './services';

describe.skipIf(redisSkipReason !== undefined)('the Redis idempotency store', () => {
  const connections: Redis[] = [];
  const connect = async () => {
    const redis = await connectRedis(redisUrl!);
    connections.push(redis);
    return redis;
  };
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
  });

  describeIdempotencyStoreConformance('Redis', async (times) => {
    // Two connections over one prefix: two processes of the API.
    const prefix = freshPrefix();
    const store: IdempotencyStore = createRedisIdempotencyStore(await connect(), { prefix, ...times });
    const otherProcess: IdempotencyStore = createRedisIdempotencyStore(await connect(), { prefix, ...times });
    return { store, otherProcess };
  });

  it("gives Redis's own expiry to a key only as a clean-up, past its end", async () => {
    const redis = await connect();
    const prefix = freshPrefix();
    const store = createRedisIdempotencyStore(redis, { prefix, ttlMs: 1_000, startedTtlMs: 100 });
    await store.begin('k', 'f', Date.now());
    const ttl = await redis.pttl(`${prefix}idempotency:k`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(60_100);
  });

  it('names a bad option, and fails with redis_unavailable when Redis is gone', async () => {
    const redis = await connectRedis(redisUrl!);
    expect(() => createRedisIdempotencyStore(redis, { ttlMs: 0 })).toThrow(/ttlMs/);
    const store = createRedisIdempotencyStore(redis, { prefix: freshPrefix() });
    redis.disconnect();
    await expect(store.begin('k', 'f', 0)).rejects.toMatchObject({ code: 'redis_unavailable' });
  });
});
