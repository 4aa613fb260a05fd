import { MemoryTokenStore, MlhError, withRefreshLocks } from '@mlh/core';
import { connectRedis, createRedisRefreshLocks } from '@mlh/fleet';
import { describeTokenStoreConformance } from '@mlh/sync/testing';
import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseUrl,
  freshPrefix,
  freshSchema,
  postgresSkipReason,
  redisSkipReason,
  redisUrl,
} from './services';

const leaseMs = 300;

describe.skipIf(redisSkipReason !== undefined)('Redis refresh locks', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectRedis(redisUrl!);
  });

  afterAll(async () => {
    await redis?.quit();
  });

  describeTokenStoreConformance('MemoryTokenStore with Redis refresh locks', async () => ({
    store: withRefreshLocks(
      new MemoryTokenStore(),
      createRedisRefreshLocks(redis, { prefix: freshPrefix(), leaseMs }),
    ),
    leaseMs,
  }));

  describe.skipIf(postgresSkipReason !== undefined)('over PostgreSQL', () => {
    const schema = freshSchema();
    let stores: PostgresStores | undefined;

    afterAll(async () => {
      await stores?.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await stores?.close();
    });

    describeTokenStoreConformance('PostgreSQL TokenStore with Redis refresh locks', async () => {
      stores ??= await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
      return {
        store: withRefreshLocks(
          stores.tokenStore,
          createRedisRefreshLocks(redis, { prefix: freshPrefix(), leaseMs }),
        ),
        leaseMs,
      };
    });
  });

  it('fails with a clear, retryable error once Redis is gone, never locking locally', async () => {
    const own = await connectRedis(redisUrl!);
    const locks = createRedisRefreshLocks(own, { prefix: freshPrefix(), leaseMs });
    own.disconnect();
    const error = await locks.acquireRefreshLock('meli', '1').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(MlhError);
    expect(error).toMatchObject({ code: 'redis_unavailable', retryable: true });
    expect((error as Error).message).toMatch(/^Redis unavailable at .+ \(taking a token refresh lock\): /);
  });
});

describe('connectRedis', () => {
  it('names the host and the cause when Redis cannot be reached, without the password', async () => {
    const error = await connectRedis('redis://app:s3cret-pass@127.0.0.1:1', { connectTimeoutMs: 1_000 }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(MlhError);
    expect(error).toMatchObject({ code: 'redis_unavailable', retryable: true });
    expect((error as Error).message).toBe(
      'Redis unavailable at 127.0.0.1:1 (connecting): connection refused (is Redis running?)',
    );
  });

  it('refuses a URL that is not redis:// or rediss://', async () => {
    await expect(connectRedis('http://127.0.0.1:6379')).rejects.toMatchObject({
      kind: 'validation',
      issues: [{ path: 'url' }],
    });
  });
});
