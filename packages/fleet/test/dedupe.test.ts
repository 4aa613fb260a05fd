import { createMemoryDedupeStore, createWebhookHandler, type MlhEvent } from '@mlh/core';
import { connectRedis, createRedisDedupeStore } from '@mlh/fleet';
import { meliWebhookSource } from '@mlh/meli';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPrefix, redisSkipReason, redisUrl } from './services';

const APP_ID = '5503910054141466';

/** One Mercado Livre notification, as the marketplace POSTs it (a redelivery sends the same body). */
function notification(orderId: number): string {
  return JSON.stringify({
    _id: `f9f0868a-${orderId}`,
    resource: `/orders/${orderId}`,
    user_id: 123456789,
    topic: 'orders_v2',
    application_id: Number(APP_ID),
    attempts: 1,
    sent: '2026-01-01T10:00:00.000Z',
    received: '2026-01-01T10:00:00.000Z',
  });
}

/** One app process: its own webhook handler, sharing only Redis with the others. */
function appProcess(redis: Redis, prefix: string) {
  const handler = createWebhookHandler({
    sources: [meliWebhookSource({ applicationId: APP_ID })],
    dedupe: createRedisDedupeStore(redis, { prefix }),
  });
  const processed: MlhEvent[] = [];
  const duplicates: MlhEvent[] = [];
  handler.events.on('event', (event) => processed.push(event));
  handler.events.on('duplicate', (event) => duplicates.push(event));
  const deliver = (body: string) =>
    handler.handle(new Request('https://app.example.com/webhooks/meli', { method: 'POST', body }));
  return { deliver, processed, duplicates, handler };
}

describe.skipIf(redisSkipReason !== undefined)('Redis webhook dedupe', () => {
  const connections: Redis[] = [];
  const connect = async () => {
    const redis = await connectRedis(redisUrl!);
    connections.push(redis);
    return redis;
  };
  let shared: Redis;

  beforeAll(async () => {
    shared = await connect();
  });

  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit().catch(() => {})));
  });

  it('processes a notification once when its redelivery reaches another process, or a restarted one', async () => {
    const prefix = freshPrefix();
    const first = appProcess(await connect(), prefix);
    const second = appProcess(await connect(), prefix);

    expect((await first.deliver(notification(2000001))).status).toBeLessThan(300);
    expect((await second.deliver(notification(2000001))).status).toBeLessThan(300);
    // After a deploy: a new process with a new connection.
    const restarted = appProcess(await connect(), prefix);
    expect((await restarted.deliver(notification(2000001))).status).toBeLessThan(300);

    expect(first.processed.map((event) => event.resourceId)).toEqual(['2000001']);
    expect(second.processed).toEqual([]);
    expect(restarted.processed).toEqual([]);
    expect(second.duplicates).toHaveLength(1);
    expect(restarted.duplicates).toHaveLength(1);
  });

  it('forgets a key once its TTL has passed, and only then', async () => {
    const dedupe = createRedisDedupeStore(shared, { prefix: freshPrefix() });
    expect(await dedupe.claim('meli:orders_v2:/orders/1', 200)).toBe(true);
    expect(await dedupe.claim('meli:orders_v2:/orders/1', 200)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await dedupe.claim('meli:orders_v2:/orders/1', 200)).toBe(true);
  });

  it('keeps real keys through a flood of other notifications, which evicts them in memory', async () => {
    const prefix = freshPrefix();
    const redisDedupe = createRedisDedupeStore(shared, { prefix });
    const memoryDedupe = createMemoryDedupeStore({ maxEntries: 1_000 });
    const ttl = 60_000;
    for (const dedupe of [redisDedupe, memoryDedupe]) expect(await dedupe.claim('real', ttl)).toBe(true);
    const flood = Array.from({ length: 1_500 }, (_, i) => `flood-${i}`);
    await shared
      .pipeline(flood.map((key) => ['set', `${prefix}webhook:${key}`, '1', 'PX', String(ttl), 'NX']))
      .exec();
    for (const key of flood) await memoryDedupe.claim(key, ttl);

    expect(await redisDedupe.claim('real', ttl)).toBe(false);
    expect(await memoryDedupe.claim('real', ttl)).toBe(true);
  });

  it('answers 503 when Redis is gone, so the marketplace redelivers, and emits nothing', async () => {
    const redis = await connect();
    const app = appProcess(redis, freshPrefix());
    const failures: unknown[] = [];
    app.handler.events.on('handlerError', ({ error }) => failures.push(error));
    redis.disconnect();

    const response = await app.deliver(notification(2000002));

    expect(response.status).toBe(503);
    expect(app.processed).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: 'redis_unavailable', retryable: true });
  });

  it('refuses a TTL that is not a positive whole number of milliseconds', async () => {
    const dedupe = createRedisDedupeStore(shared, { prefix: freshPrefix() });
    await expect(dedupe.claim('k', 0)).rejects.toMatchObject({
      kind: 'validation',
      issues: [{ path: 'ttlMs' }],
    });
  });
});
