import { createMemoryActivityStore, recordSyncActivity, SyncEmitter } from '@mlh/sync';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiEvent,
  type ApiEventSource,
  alertOpenedEvent,
  createMemoryEventBus,
  mergeEventSources,
  syncEventSource,
} from '../src/events';
import type { MlhApi } from '../src/index';
import { createWorld, type World } from './world';

/** `GET /events` through the Hono app, read as a browser's fetch would: chunk by chunk. */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let world: World;
beforeEach(async () => {
  world = await createWorld(server);
});

/** One message of the stream: an event, or a comment. */
type Message = { event: string; data: unknown } | { comment: string };

/** Reads a text/event-stream message by message. */
function messages(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const parse = (block: string): Message[] => {
    const lines = block.split('\n');
    const event = lines.find((line) => line.startsWith('event: '));
    const data = lines.find((line) => line.startsWith('data: '));
    if (event && data) return [{ event: event.slice(7), data: JSON.parse(data.slice(6)) }];
    return lines.filter((line) => line.startsWith(':')).map((line) => ({ comment: line.slice(1).trim() }));
  };
  return {
    reader,
    /** The next message, or undefined when the stream ended. */
    async next(): Promise<Message | undefined> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const [message] = parse(block);
          if (message) return message;
          continue;
        }
        const chunk = await reader.read();
        if (chunk.done) return undefined;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    /** The next event, skipping comments. */
    async nextEvent(): Promise<{ event: string; data: unknown } | undefined> {
      for (;;) {
        const message = await this.next();
        if (message === undefined || 'event' in message) return message;
      }
    },
  };
}

/** A source that counts its subscribers, to see a stream let go of it. */
function countingSource() {
  const bus = createMemoryEventBus();
  let subscribers = 0;
  const source: ApiEventSource = {
    subscribe(listener) {
      subscribers += 1;
      const stop = bus.subscribe(listener);
      return () => {
        subscribers -= 1;
        stop();
      };
    },
  };
  return { source, publish: (event: ApiEvent) => bus.publish(event), subscribers: () => subscribers };
}

function open(api: MlhApi, init: RequestInit = {}) {
  return api.request('/events', { ...init, headers: { authorization: `Bearer ${world.keys.read}` } });
}

describe('GET /events', () => {
  it('needs a key with the read scope and answers a text/event-stream', async () => {
    const api = world.api();
    expect((await api.request('/events')).status).toBe(401);
    const response = await open(api);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('no-cache');
    const stream = messages(response);
    expect(await stream.next()).toEqual({ comment: 'connected' });
    await stream.reader.cancel();
  });

  it("streams the sync orchestrators' events and the API's own writes, a replayed write once", async () => {
    const api = world.api({ events: syncEventSource(world.inventory) });
    const stream = messages(await open(api));
    const setStock = () =>
      api.request('/inventory/CAP', {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${world.keys.operator}`,
          'content-type': 'application/json',
          'idempotency-key': 'live-1',
        },
        body: JSON.stringify({ quantity: 31 }),
      });
    expect((await setStock()).status).toBe(200);
    expect((await setStock()).headers.get('idempotent-replayed')).toBe('true');
    // The count reaches every listing of CAP: one push per marketplace.
    await world.inventory.idle();

    const set = await stream.nextEvent();
    expect(set).toEqual({
      event: 'stock.set',
      data: { sku: 'CAP', quantity: 31, version: expect.any(Number), applied: true },
    });
    const pushed = [await stream.nextEvent(), await stream.nextEvent(), await stream.nextEvent()];
    expect(pushed.map((message) => message!.event)).toEqual(['sync.started', 'stock.pushed', 'stock.pushed']);
    const rest: Array<{ event: string; data: unknown }> = [];
    for (;;) {
      const message = await stream.nextEvent();
      rest.push(message!);
      if (message!.event === 'sync.finished') break;
    }
    const pushes = [...pushed, ...rest].filter((message) => message!.event === 'stock.pushed');
    expect(pushes.map((message) => (message!.data as { marketplace: string }).marketplace).sort()).toEqual([
      'meli',
      'shopee',
      'tiktok',
    ]);
    expect(pushes.every((message) => (message!.data as { quantity: number }).quantity >= 0)).toBe(true);
    expect((pushed[0]!.data as { at: string }).at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(rest.at(-1)!.data).toMatchObject({ kind: 'inventory.flush', failedCount: 0 });
    // The replayed write published nothing: no second stock.set anywhere.
    expect(rest.some((message) => message.event === 'stock.set')).toBe(false);
    await stream.reader.cancel();
  });

  it('publishes a fulfilment, a disconnect and any other write as they succeed, not a refused one', async () => {
    const api = world.api();
    const stream = messages(await open(api));
    const write = (method: string, path: string, body: unknown, key: string) =>
      api.request(path, {
        method,
        headers: {
          authorization: `Bearer ${world.keys.operator}`,
          'idempotency-key': key,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const tiktok = world.accounts[2]!;
    const placed = world.orders[2]!;
    const path = `/orders/tiktok/${tiktok.accountId}/${placed.orderId}/fulfillment`;
    expect(
      (await write('POST', path, { carrier: 'NOT A CARRIER', trackingNumber: 'X1' }, 'f-0')).status,
    ).toBe(400);
    expect(
      (await write('POST', path, { carrier: 'DPD', trackingNumber: 'AA123456785BR' }, 'f-1')).status,
    ).toBe(200);
    expect((await write('POST', '/inventory/reconcile', {}, 'r-1')).status).toBe(200);
    expect(
      (await write('DELETE', `/accounts/meli/${world.accounts[0]!.accountId}`, undefined, 'd-1')).status,
    ).toBe(204);

    const fulfilled = await stream.nextEvent();
    expect(fulfilled).toMatchObject({
      event: 'order.fulfilled',
      data: {
        marketplace: 'tiktok',
        accountId: tiktok.accountId,
        orderId: placed.orderId,
        shipment: { marketplace: 'tiktok', trackingNumber: 'AA123456785BR' },
      },
    });
    expect(await stream.nextEvent()).toEqual({
      event: 'api.write',
      data: { method: 'POST', path: '/inventory/reconcile', status: 200 },
    });
    expect(await stream.nextEvent()).toEqual({
      event: 'account.disconnected',
      data: { marketplace: 'meli', accountId: world.accounts[0]!.accountId },
    });
    await stream.reader.cancel();
  });

  it('carries an alert opened by the activity recorder, and its resolution through the API', async () => {
    const emitter = new SyncEmitter();
    const activity = createMemoryActivityStore();
    const alerts = createMemoryEventBus();
    const recorder = recordSyncActivity(emitter, activity, {
      onAlertOpened: (alert) => void alerts.publish(alertOpenedEvent(alert)),
    });
    const api = world.api({ activity, events: mergeEventSources(syncEventSource(emitter), alerts) });
    const stream = messages(await open(api));
    emitter.emit('started', { runId: 'run-1', kind: 'products', at: 0 });
    emitter.emit('item.failed', {
      runId: 'run-1',
      kind: 'products',
      marketplace: 'meli',
      accountId: world.accounts[0]!.accountId,
      sku: 'MUG-RED',
      stage: 'create',
      reason: 'title too long',
      retryable: false,
    });
    await recorder.idle();
    const seen = [await stream.nextEvent(), await stream.nextEvent(), await stream.nextEvent()];
    expect(seen.map((message) => message!.event)).toEqual(['sync.started', 'item.failed', 'alert.opened']);
    const opened = seen[2]!.data as { id: string; kind: string; openedAt: string };
    expect(opened).toMatchObject({ kind: 'sync_failure', marketplace: 'meli', openedAt: expect.any(String) });

    const resolved = await api.request(`/alerts/${opened.id}/resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.keys.operator}`, 'idempotency-key': 'resolve-live' },
    });
    expect(resolved.status).toBe(200);
    expect(await stream.nextEvent()).toEqual({ event: 'alert.resolved', data: await resolved.json() });
    await stream.reader.cancel();
  });

  it('holds at most maxStreamsPerKey streams open per key, and frees a place when one closes', async () => {
    const api = world.api({ eventStream: { maxStreamsPerKey: 2 } });
    const first = messages(await open(api));
    const second = messages(await open(api));
    const third = await open(api);
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ kind: 'rate_limit', code: 'too_many_streams' });
    // Another key has places of its own.
    const operator = await api.request('/events', {
      headers: { authorization: `Bearer ${world.keys.operator}` },
    });
    expect(operator.status).toBe(200);
    await operator.body!.cancel();
    await first.reader.cancel();
    const again = messages(await open(api));
    expect(await again.next()).toEqual({ comment: 'connected' });
    await Promise.all([second.reader.cancel(), again.reader.cancel()]);
  });

  it('sends a heartbeat comment on each tick of its timer', async () => {
    const ticks: Array<() => void> = [];
    const timers = {
      setInterval: (callback: () => void) => ticks.push(callback),
      clearInterval: () => undefined,
    };
    const stream = messages(await open(world.api({ eventStream: { timers } })));
    expect(await stream.next()).toEqual({ comment: 'connected' });
    ticks[0]!();
    expect(await stream.next()).toEqual({ comment: 'heartbeat' });
    ticks[0]!();
    expect(await stream.next()).toEqual({ comment: 'heartbeat' });
    await stream.reader.cancel();
  });

  it('lets go of the source and its timer when the client cancels or aborts', async () => {
    const { source, publish, subscribers } = countingSource();
    let cleared = 0;
    const timers = {
      setInterval: () => 1,
      clearInterval: () => {
        cleared += 1;
      },
    };
    const api = world.api({ events: source, eventStream: { timers } });

    const cancelled = messages(await open(api));
    expect(subscribers()).toBe(1);
    await cancelled.reader.cancel();
    expect(subscribers()).toBe(0);
    expect(cleared).toBe(1);

    const controller = new AbortController();
    const aborted = messages(await open(api, { signal: controller.signal }));
    expect(subscribers()).toBe(1);
    publish({ type: 'order.upserted', data: { orderId: '1' } });
    expect(await aborted.nextEvent()).toEqual({ event: 'order.upserted', data: { orderId: '1' } });
    controller.abort();
    expect(await aborted.nextEvent()).toBeUndefined();
    expect(subscribers()).toBe(0);
    expect(cleared).toBe(2);
    // Nothing more reaches a closed stream.
    publish({ type: 'order.upserted', data: { orderId: '2' } });
    expect(subscribers()).toBe(0);
  });

  it('holds a bounded backlog for a slow client and tells it how many events it lost', async () => {
    const { source, publish } = countingSource();
    const api = world.api({ events: source, eventStream: { maxQueuedEvents: 10 } });
    const stream = messages(await open(api));
    // The client reads nothing while 1 000 events arrive.
    for (let index = 0; index < 1_000; index += 1) publish({ type: 'stock.pushed', data: { index } });
    const received: Array<{ event: string; data: unknown }> = [];
    publish({ type: 'sync.finished', data: { last: true } });
    for (;;) {
      const message = await stream.nextEvent();
      received.push(message!);
      if (message!.event === 'sync.finished') break;
    }
    // What the stream itself buffers (16 chunks, the first of which was the greeting), then the
    // drop notice, then the newest 10 it held meanwhile.
    const indexes = received
      .filter((message) => message.event === 'stock.pushed')
      .map((message) => (message.data as { index: number }).index);
    expect(indexes).toEqual([
      ...Array.from({ length: 15 }, (_, i) => i),
      ...Array.from({ length: 9 }, (_, i) => 991 + i),
    ]);
    expect(received.find((message) => message.event === 'events.dropped')).toEqual({
      event: 'events.dropped',
      data: { dropped: 976 },
    });
    expect(received.length).toBeLessThan(30);
    await stream.reader.cancel();
  });

  it('skips an event it cannot send rather than break the stream', async () => {
    const { source, publish } = countingSource();
    const stream = messages(await open(world.api({ events: source })));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    publish({ type: 'order.upserted', data: cyclic });
    publish({ type: 'bad type\ndata: injected', data: {} });
    publish({ type: 'alert.opened', data: { id: 'a1' } });
    expect(await stream.nextEvent()).toEqual({ event: 'alert.opened', data: { id: 'a1' } });
    await stream.reader.cancel();
  });
});

describe('syncEventSource', () => {
  it('maps the orchestrator events: times as ISO strings, no error objects, counts of a summary', () => {
    const emitter = new SyncEmitter();
    const seen: ApiEvent[] = [];
    const stop = syncEventSource(emitter).subscribe((event) => seen.push(event));
    emitter.emit('started', { runId: 'r1', kind: 'products', at: Date.UTC(2026, 0, 5) });
    emitter.emit('item.failed', {
      runId: 'r1',
      kind: 'products',
      marketplace: 'meli',
      accountId: '1',
      sku: 'CAP',
      stage: 'create',
      reason: 'title too long',
      retryable: false,
      error: new Error('raw answer with access_token=secret'),
    });
    emitter.emit('finished', {
      runId: 'r1',
      kind: 'products',
      summary: { runId: 'r1', startedAt: 0, finishedAt: 1_000, created: 2, failed: [{}] },
    });
    emitter.emit('progress', { runId: 'r1', kind: 'products', done: 1, total: 2 });
    stop();
    emitter.emit('started', { runId: 'r2', kind: 'products', at: 0 });
    expect(seen).toEqual([
      { type: 'sync.started', data: { runId: 'r1', kind: 'products', at: '2026-01-05T00:00:00.000Z' } },
      {
        type: 'item.failed',
        data: {
          runId: 'r1',
          kind: 'products',
          marketplace: 'meli',
          accountId: '1',
          sku: 'CAP',
          stage: 'create',
          reason: 'title too long',
          retryable: false,
        },
      },
      {
        type: 'sync.finished',
        data: {
          runId: 'r1',
          kind: 'products',
          startedAt: '1970-01-01T00:00:00.000Z',
          finishedAt: '1970-01-01T00:00:01.000Z',
          created: 2,
          failedCount: 1,
        },
      },
    ]);
    expect(JSON.stringify(seen)).not.toContain('secret');
  });
});
