import { type ApiEventBus, bridgeEvents, createApi, generateApiKey, syncEventSource } from '@mlh/api';
import { MemoryTokenStore } from '@mlh/core';
import { connectRedis, createRedisEventBus, type FleetEvent, type RedisEventBus } from '@mlh/fleet';
import { createMemorySyncStore, SyncEmitter } from '@mlh/sync';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freshPrefix, redisSkipReason, redisUrl } from './services';

/** Waits for the first `count` events a bus delivers. */
function collect(bus: RedisEventBus, count: number) {
  const events: FleetEvent[] = [];
  let done!: (events: FleetEvent[]) => void;
  const all = new Promise<FleetEvent[]>((resolve) => {
    done = resolve;
  });
  const stop = bus.subscribe((event) => {
    events.push(event);
    if (events.length === count) done(events);
  });
  return { all, stop };
}

/** Reads `GET /events` until an event of `type` arrives. */
async function nextEventOf(response: Response, type: string): Promise<unknown> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error('the stream ended');
    buffer += chunk.value;
    for (const block of buffer.split('\n\n').slice(0, -1)) {
      const lines = block.split('\n');
      if (lines.includes(`event: ${type}`)) {
        await reader.cancel();
        return JSON.parse(lines.find((line) => line.startsWith('data: '))!.slice(6));
      }
    }
  }
}

describe.skipIf(redisSkipReason !== undefined)('the Redis live-event bus', () => {
  const connections: Redis[] = [];
  const buses: RedisEventBus[] = [];
  const connect = async () => {
    const redis = await connectRedis(redisUrl!);
    connections.push(redis);
    return redis;
  };
  const busOf = async (prefix: string) => {
    const bus = createRedisEventBus(await connect(), { prefix });
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
  });

  it("delivers one process's events to every process, itself included, in order", async () => {
    const prefix = freshPrefix();
    const [first, second] = [await busOf(prefix), await busOf(prefix)];
    const onFirst = collect(first, 2);
    const onSecond = collect(second, 2);
    await Promise.all([first.ready(), second.ready()]);
    await second.publish({ type: 'order.upserted', data: { orderId: '1' } });
    await second.publish({ type: 'alert.opened', data: { id: 'a' } });
    const expected = [
      { type: 'order.upserted', data: { orderId: '1' } },
      { type: 'alert.opened', data: { id: 'a' } },
    ];
    expect(await onFirst.all).toEqual(expected);
    expect(await onSecond.all).toEqual(expected);
    onFirst.stop();
    onSecond.stop();
  });

  it('ignores what is not an event on its channel, and another prefix is another bus', async () => {
    const prefix = freshPrefix();
    const bus = await busOf(prefix);
    const elsewhere = await busOf(freshPrefix());
    const received = collect(bus, 1);
    await bus.ready();
    const raw = await connect();
    await raw.publish(`${prefix}events`, 'not json');
    await raw.publish(`${prefix}events`, JSON.stringify({ data: 'no type' }));
    await elsewhere.publish({ type: 'order.upserted', data: { from: 'another environment' } });
    await bus.publish({ type: 'stock.set', data: { sku: 'CAP' } });
    expect(await received.all).toEqual([{ type: 'stock.set', data: { sku: 'CAP' } }]);
    received.stop();
  });

  it('carries a write on one API process and a worker sync event to a stream on another', async () => {
    const prefix = freshPrefix();
    const store = createMemorySyncStore();
    await store.applyStockMovements([{ key: 'seed', sku: 'CAP', set: 5 }]);
    const operator = await generateApiKey('ops', ['operator']);
    const apiProcess = async () => {
      // Structurally the API's bus: no adapter in between.
      const events: ApiEventBus = await busOf(prefix);
      return createApi({
        syncStore: store,
        tokenStore: new MemoryTokenStore(),
        accounts: [],
        apiKeys: [operator.record],
        events,
      });
    };
    const [writer, reader] = [await apiProcess(), await apiProcess()];
    const worker = new SyncEmitter();
    const workerBus = await busOf(prefix);
    const stopBridge = bridgeEvents(syncEventSource(worker), workerBus);
    const auth = { authorization: `Bearer ${operator.key}` };

    const stream = await reader.request('/events', { headers: auth });
    await buses.at(-2)!.ready();
    const written = await writer.request('/inventory/CAP', {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'fleet-live-1' },
      body: JSON.stringify({ quantity: 12 }),
    });
    expect(written.status).toBe(200);
    expect(await nextEventOf(stream, 'stock.set')).toEqual({
      sku: 'CAP',
      quantity: 12,
      version: 2,
      applied: true,
    });

    const drift = {
      marketplace: 'shopee',
      accountId: '600001',
      sku: 'CAP',
      variantSku: 'CAP',
      marketplaceQuantity: 3,
      expectedQuantity: 12,
    };
    const second = await reader.request('/events', { headers: auth });
    worker.emit('stock.drift', drift);
    expect(await nextEventOf(second, 'stock.drift')).toEqual(drift);
    stopBridge();
  });

  it('fails a publish with redis_unavailable when Redis is gone', async () => {
    const redis = await connectRedis(redisUrl!);
    const bus = createRedisEventBus(redis, { prefix: freshPrefix() });
    redis.disconnect();
    await expect(bus.publish({ type: 'x', data: null })).rejects.toMatchObject({ code: 'redis_unavailable' });
  });
});
