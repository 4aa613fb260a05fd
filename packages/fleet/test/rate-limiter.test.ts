import { createTransport, type MlhError, type RateLimitRule, type Transport } from '@mlh/core';
import { createRedisRateLimiter, type RedisRateLimiter } from '@mlh/fleet';
import { afterEach, describe, expect, it } from 'vitest';

const redisUrl = process.env.REDIS_URL;
const skipReason = redisUrl ? undefined : 'REDIS_URL is not set: Redis rate limiter tests skipped';
if (skipReason) console.warn(skipReason);

let counter = 0;
/** A key prefix of its own for each test, so runs and tests never share a bucket. */
function uniquePrefix(): string {
  counter += 1;
  return `mlh-test:${process.pid}:${Date.now().toString(36)}:${counter}:`;
}

const opened: RedisRateLimiter[] = [];
function limiter(redis: string, prefix: string): RedisRateLimiter {
  const created = createRedisRateLimiter({ redis, prefix });
  opened.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.close()));
});

/** A worker process's transport: its own limiter instance (own connection) on the shared Redis. */
function workerTransport(
  rateLimiter: RedisRateLimiter,
  sent: string[],
  name: string,
  limits: { app: RateLimitRule; account: RateLimitRule } = {
    app: { perSecond: 0.01, burst: 3 },
    account: { perSecond: 0.01, burst: 2 },
  },
): Transport {
  return createTransport({
    marketplace: 'shopee',
    baseUrl: 'https://partner.example.com',
    fetch: async () => {
      sent.push(name);
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    },
    mapError: () => undefined,
    rateLimiter,
    appRateLimits: { write: limits.app },
    rateLimits: { write: limits.account },
    onRateLimit: () => 'fail',
    retry: false,
  });
}

describe.skipIf(skipReason !== undefined)('Redis rate limiter shared by a fleet', () => {
  it('gives two limiter instances one bucket: k workers spend the budget once', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [limiter(redisUrl!, prefix), limiter(redisUrl!, prefix)];
    const rule: RateLimitRule = { perSecond: 0.01, burst: 4 };

    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      waits.push(await a.reserve('shopee:app:write', rule, 0));
      waits.push(await b.reserve('shopee:app:write', rule, 0));
    }

    expect(waits.filter((w) => w === 0)).toHaveLength(4);
    const later = waits.filter((w) => w > 0);
    expect(later).toHaveLength(4);
    // Each reservation beyond the burst is for a later token than the one before.
    expect([...later].sort((x, y) => x - y)).toEqual(later);
  });

  it('spends one app budget across worker transports, and one budget per account', async () => {
    const post = (transport: Transport, accountId: string) =>
      transport
        .request({ method: 'POST', path: '/api/v2/product/update_stock', accountId, auth: false })
        .then(
          () => 'sent',
          (error: MlhError) => `${error.code}`,
        );
    // Slow refills: within the test only the bursts are available.
    const slow = (burst: number): RateLimitRule => ({ perSecond: 0.01, burst });

    const appPrefix = uniquePrefix();
    const appSent: string[] = [];
    const appLimits = { app: slow(2), account: slow(10) };
    const one = workerTransport(limiter(redisUrl!, appPrefix), appSent, 'worker-1', appLimits);
    const two = workerTransport(limiter(redisUrl!, appPrefix), appSent, 'worker-2', appLimits);
    expect([await post(one, '1'), await post(two, '2'), await post(one, '3')]).toEqual([
      'sent',
      'sent',
      'local_rate_limit',
    ]);
    expect(appSent).toEqual(['worker-1', 'worker-2']);

    const accountPrefix = uniquePrefix();
    const accountSent: string[] = [];
    const accountLimits = { app: slow(10), account: slow(2) };
    const three = workerTransport(limiter(redisUrl!, accountPrefix), accountSent, 'worker-3', accountLimits);
    const four = workerTransport(limiter(redisUrl!, accountPrefix), accountSent, 'worker-4', accountLimits);
    expect([await post(three, '1'), await post(four, '1'), await post(three, '1')]).toEqual([
      'sent',
      'sent',
      'local_rate_limit',
    ]);
    // Another seller of the same app is not held back by the first one's budget.
    expect(await post(four, '2')).toBe('sent');
  });
});

describe('Redis rate limiter when Redis is unreachable', () => {
  it('fails the reservation with a clear error instead of falling back to per-process buckets', async () => {
    const unreachable = limiter('redis://127.0.0.1:1', uniquePrefix());
    const error = await Promise.resolve(unreachable.reserve('meli:app:read', { perSecond: 5 }, 0)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'redis_unavailable',
      retryable: true,
      message: expect.stringMatching(/shared rate limiter at 127\.0\.0\.1:1 is unreachable/),
    });
  });

  it('sends no request through a transport whose limiter cannot reach Redis', async () => {
    const sent: string[] = [];
    const transport = workerTransport(limiter('redis://127.0.0.1:1', uniquePrefix()), sent, 'worker');
    await expect(
      transport.request({
        method: 'POST',
        path: '/api/v2/product/update_stock',
        accountId: '1',
        auth: false,
      }),
    ).rejects.toMatchObject({ code: 'redis_unavailable' });
    expect(sent).toEqual([]);
  });
});
