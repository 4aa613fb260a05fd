/**
 * Live events for `GET /events`: the port the stream reads, a bus in memory, the adapter from the
 * sync orchestrators' emitters, and the events the API's own writes produce.
 */
import type { AlertRecord, SyncEmitter, SyncEventMap } from '@mlh/sync';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './context';
import { alertView } from './routes/activity';

/**
 * One live event: `type` names it (`order.upserted`, `stock.pushed`, `sync.finished`, ...), `data`
 * is its JSON payload (times as ISO-8601 strings, never a token or an error object).
 */
export interface ApiEvent {
  type: string;
  data: unknown;
}

/** Receives live events. It must return quickly and not throw. */
export type ApiEventListener = (event: ApiEvent) => void;

/** Where live events come from: the port `GET /events` subscribes to, once per open stream. */
export interface ApiEventSource {
  /** Starts delivering events to `listener`; the function returned stops it. */
  subscribe(listener: ApiEventListener): () => void;
}

/**
 * A source that events can also be published to. Given as the `events` option, the API publishes
 * its own writes there too, so a bus shared by a fleet (`createRedisEventBus` of `@mlh/fleet`)
 * carries every process's writes to every process's streams.
 */
export interface ApiEventBus extends ApiEventSource {
  /** Delivers `event` to every subscriber (of every process, for a shared bus). */
  publish(event: ApiEvent): void | Promise<void>;
}

/** Whether a source also takes published events. */
export function isEventBus(source: ApiEventSource): source is ApiEventBus {
  return typeof (source as Partial<ApiEventBus>).publish === 'function';
}

/**
 * A bus in this process's memory: what the API uses when no `events` option is given. A listener
 * that throws does not keep the others from the event.
 *
 * @example
 * const bus = createMemoryEventBus();
 * bus.publish({ type: 'order.upserted', data: { ... } });
 */
export function createMemoryEventBus(): ApiEventBus {
  const listeners = new Set<ApiEventListener>();
  return {
    subscribe(listener) {
      // A wrapper per subscription, so one listener subscribed twice is two subscriptions.
      const subscription: ApiEventListener = (event) => listener(event);
      listeners.add(subscription);
      return () => listeners.delete(subscription);
    },
    publish(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // The failing listener's own business; the others still get the event.
        }
      }
    },
  };
}

/**
 * One source from several: a subscription subscribes to each, and its stop stops them all.
 *
 * @example
 * createApi({ ..., events: mergeEventSources(syncEventSource(productSync, orderSync), alertsBus) });
 */
export function mergeEventSources(...sources: readonly ApiEventSource[]): ApiEventSource {
  return {
    subscribe(listener) {
      const stops = sources.map((source) => source.subscribe(listener));
      return () => {
        for (const stop of stops) stop();
      };
    },
  };
}

const TIME_FIELDS = new Set(['at', 'startedAt', 'finishedAt']);

const isoTime = (value: unknown) => (typeof value === 'number' ? new Date(value).toISOString() : value);

/** A sync failure as an event: its error object stays behind (it may quote a marketplace's answer). */
function failureData(event: SyncEventMap['item.failed'][0]) {
  const { error: _error, ...rest } = event;
  return rest;
}

/** A finished run: its counts and times; each failure was an `item.failed` of its own. */
function finishedData(event: SyncEventMap['finished'][0]) {
  const data: Record<string, unknown> = { runId: event.runId, kind: event.kind };
  const summary = (
    typeof event.summary === 'object' && event.summary !== null ? event.summary : {}
  ) as Record<string, unknown>;
  for (const [key, value] of Object.entries(summary)) {
    if (key === 'runId' || key === 'kind') continue;
    if (Array.isArray(value)) data[`${key}Count`] = value.length;
    else if (TIME_FIELDS.has(key)) data[key] = isoTime(value);
    else if (['string', 'number', 'boolean'].includes(typeof value)) data[key] = value;
  }
  return data;
}

/**
 * The events of the sync orchestrators (`ProductSync`, `OrderSync`, `InventorySync`, ...) of this
 * process as a source: `sync.started`, `sync.finished`, `item.failed`, `order.upserted`,
 * `stock.pushed`, `stock.drift`. In a fleet, the orchestrators run in the workers: publish this
 * source into a shared bus there (`bridgeEvents(syncEventSource(...), bus)`), and give the bus to the API.
 *
 * @example
 * createApi({ ..., events: syncEventSource(productSync, orderSync, inventory) });
 */
export function syncEventSource(...emitters: readonly SyncEmitter[]): ApiEventSource {
  return {
    subscribe(listener) {
      const handlers = {
        started: (event: SyncEventMap['started'][0]) =>
          listener({ type: 'sync.started', data: { ...event, at: isoTime(event.at) } }),
        finished: (event: SyncEventMap['finished'][0]) =>
          listener({ type: 'sync.finished', data: finishedData(event) }),
        'item.failed': (event: SyncEventMap['item.failed'][0]) =>
          listener({ type: 'item.failed', data: failureData(event) }),
        'order.upserted': (event: SyncEventMap['order.upserted'][0]) =>
          listener({ type: 'order.upserted', data: event }),
        'stock.pushed': (event: SyncEventMap['stock.pushed'][0]) =>
          listener({ type: 'stock.pushed', data: event }),
        'stock.drift': (event: SyncEventMap['stock.drift'][0]) =>
          listener({ type: 'stock.drift', data: event }),
      };
      for (const emitter of emitters) {
        for (const [name, handler] of Object.entries(handlers)) {
          emitter.on(name as keyof SyncEventMap, handler as (...args: unknown[]) => void);
        }
      }
      return () => {
        for (const emitter of emitters) {
          for (const [name, handler] of Object.entries(handlers)) {
            emitter.off(name as keyof SyncEventMap, handler as (...args: unknown[]) => void);
          }
        }
      };
    },
  };
}

/**
 * The `alert.opened` event of an alert, in the shape `GET /alerts` answers: publish it from
 * `recordSyncActivity`'s `onAlertOpened` into the bus the API reads.
 *
 * @example
 * const bus = createMemoryEventBus(); // or createRedisEventBus in a fleet
 * recordSyncActivity(orderSync, activity, { onAlertOpened: (alert) => void bus.publish(alertOpenedEvent(alert)) });
 * createApi({ ..., activity, events: mergeEventSources(syncEventSource(orderSync), bus) });
 */
export function alertOpenedEvent(alert: AlertRecord): ApiEvent {
  return { type: 'alert.opened', data: alertView(alert) };
}

/**
 * Publishes every event of `source` into `bus` (a worker's sync events into the fleet's shared
 * bus); the function returned stops it.
 *
 * @example
 * bridgeEvents(syncEventSource(orderSync), createRedisEventBus({ redis: process.env.REDIS_URL! }));
 */
export function bridgeEvents(source: ApiEventSource, bus: ApiEventBus): () => void {
  return source.subscribe((event) => {
    void Promise.resolve()
      .then(() => bus.publish(event))
      // A lost live event is only a dashboard refreshing later; it must not crash the worker.
      .catch(() => undefined);
  });
}

const segment = (value: string | undefined) => (value === undefined ? undefined : decodeURIComponent(value));

/**
 * The event an answered write stands for, from its route and its answer; a write it does not know
 * is an `api.write` with its method, path and status.
 */
async function writeEvent(
  method: string,
  path: string,
  status: number,
  answerBody: () => Promise<unknown>,
): Promise<ApiEvent> {
  // The answer is read only for the routes whose event carries part of it.
  const read = async () => {
    const body = await answerBody();
    return (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  };
  const stock = /\/inventory\/([^/]+)$/.exec(path);
  if (method === 'PUT' && stock) {
    const answer = await read();
    const level = (answer.level ?? {}) as Record<string, unknown>;
    return {
      type: 'stock.set',
      data: {
        sku: segment(stock[1]),
        quantity: level.quantity,
        version: level.version,
        applied: answer.applied,
      },
    };
  }
  const fulfilled = /\/orders\/([^/]+)\/([^/]+)\/([^/]+)\/fulfillment$/.exec(path);
  if (method === 'POST' && fulfilled) {
    const body = await answerBody();
    return {
      type: 'order.fulfilled',
      data: {
        marketplace: segment(fulfilled[1]),
        accountId: segment(fulfilled[2]),
        orderId: segment(fulfilled[3]),
        shipment: body,
      },
    };
  }
  if (method === 'POST' && /\/alerts\/[^/]+\/resolve$/.test(path)) {
    return { type: 'alert.resolved', data: await answerBody() };
  }
  const account = /\/accounts\/([^/]+)\/([^/]+)$/.exec(path);
  if (method === 'DELETE' && account) {
    return {
      type: 'account.disconnected',
      data: { marketplace: segment(account[1]), accountId: segment(account[2]) },
    };
  }
  const product = /\/products(?:\/([^/]+))?(\/publish)?$/.exec(path);
  if (product && (method === 'POST' || method === 'PUT')) {
    const answer = await read();
    const catalog = (answer.product ?? {}) as Record<string, unknown>;
    if (method === 'POST' && product[1] === undefined)
      return { type: 'product.created', data: { sku: catalog.sku } };
    if (method === 'PUT' && product[2] === undefined)
      return { type: 'product.updated', data: { sku: catalog.sku } };
    if (method === 'POST' && product[2] !== undefined)
      return { type: 'product.published', data: { sku: segment(product[1]), results: answer.results } };
  }
  const cancelled = /\/orders\/([^/]+)\/([^/]+)\/([^/]+)\/cancellation$/.exec(path);
  if (method === 'POST' && cancelled) {
    const answer = await read();
    return {
      type: 'order.cancelled',
      data: {
        marketplace: segment(cancelled[1]),
        accountId: segment(cancelled[2]),
        orderId: segment(cancelled[3]),
        status: answer.status,
      },
    };
  }
  return { type: 'api.write', data: { method, path, status } };
}

/**
 * Publishes an event for each write the API answers with success (2xx), once: a replayed answer
 * (`Idempotent-Replayed`) changed nothing and publishes nothing. A failed publish never fails the
 * write, which is done by then.
 */
export function writeEvents(publish: (event: ApiEvent) => void | Promise<void>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    await next();
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return;
    if (c.res.status < 200 || c.res.status >= 300 || c.res.headers.get('idempotent-replayed') === 'true')
      return;
    // Read only for the events that carry the answer (a reconcile's answer can be large).
    const response = c.res;
    const answerBody = async () => {
      if (!/json/i.test(response.headers.get('content-type') ?? '')) return undefined;
      try {
        return await response.clone().json();
      } catch {
        return undefined;
      }
    };
    try {
      await publish(await writeEvent(method, c.req.path, response.status, answerBody));
    } catch {
      // The write succeeded; its live event is lost, and a dashboard sees the change on its next read.
    }
  };
}

/**
 * Publishes an event without letting a failure reach the caller: the change it reports is done,
 * and a lost live event only means a dashboard sees it on its next read.
 */
export async function publishQuietly(
  publish: ((event: ApiEvent) => void | Promise<void>) | undefined,
  event: ApiEvent,
): Promise<void> {
  try {
    await publish?.(event);
  } catch {
    // See above: the event is lost, the change is not.
  }
}

/** What the app wires: the source its streams read and where its own writes are published. */
export interface LiveEvents {
  source: ApiEventSource;
  publish(event: ApiEvent): void | Promise<void>;
}

/**
 * The app's live events from its `events` option: a bus carries the API's writes itself (so in a
 * fleet they reach every process); a plain source is merged with a memory bus for them; without
 * either, the memory bus alone.
 */
export function liveEvents(events: ApiEventSource | undefined): LiveEvents {
  if (events && isEventBus(events)) return { source: events, publish: (event) => events.publish(event) };
  const bus = createMemoryEventBus();
  return {
    source: events ? mergeEventSources(events, bus) : bus,
    publish: (event) => bus.publish(event),
  };
}
