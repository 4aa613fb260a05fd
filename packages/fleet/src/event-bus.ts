import type { Redis } from 'ioredis';
import { redisError, redisTarget } from './redis';
import { redisKeyPrefix } from './token-lock';

/** One live event on the bus (the shape of `@mlh/api`'s `ApiEvent`). */
export interface FleetEvent {
  type: string;
  data: unknown;
}

/** Options of {@link createRedisEventBus}. */
export interface RedisEventBusOptions {
  /** Prefix of the channel. Default `mlh:`; the channel is `<prefix>events`. */
  prefix?: string;
}

/**
 * Live events shared by every process, over Redis pub/sub: structurally `@mlh/api`'s
 * `ApiEventBus`, so it is passed as the API's `events` option, and the workers publish their
 * orchestrators' events into it (`bridgeEvents(syncEventSource(orderSync), bus)` of `@mlh/api`).
 */
export interface RedisEventBus {
  /** Sends `event` to every subscriber of every process (rejects `redis_unavailable` when Redis is down). */
  publish(event: FleetEvent): Promise<void>;
  /** Delivers every event published by any process from now on; the function returned stops it. */
  subscribe(listener: (event: FleetEvent) => void): () => void;
  /** Resolves once this process listens on the channel (events published before are not received). */
  ready(): Promise<void>;
  /** Closes the subscriber connection; the `redis` client given stays open. */
  close(): Promise<void>;
}

/**
 * A live-event bus on Redis pub/sub. Publishing uses the client given; subscribing opens one
 * connection of its own per process (a subscribed Redis connection can send nothing else), on the
 * first subscription, shared by every local listener. Pub/sub delivers to whoever listens at that
 * moment and keeps nothing: a process that is disconnected misses events, and a dashboard
 * reconnecting reloads what it shows. ioredis resubscribes by itself after a reconnect.
 *
 * @example
 * const redis = await connectRedis(process.env.REDIS_URL!);
 * const bus = createRedisEventBus(redis);
 * createApi({ ..., events: bus });                       // every API process
 * bridgeEvents(syncEventSource(orderSync, inventory), bus); // every worker
 */
export function createRedisEventBus(redis: Redis, options: RedisEventBusOptions = {}): RedisEventBus {
  const channel = `${redisKeyPrefix(options.prefix)}events`;
  const target = redisTarget(redis);
  const listeners = new Set<(event: FleetEvent) => void>();
  let subscriber: Redis | undefined;
  let subscribed: Promise<void> | undefined;

  const deliver = (received: string, message: string) => {
    if (received !== channel) return;
    let event: FleetEvent;
    try {
      event = JSON.parse(message) as FleetEvent;
    } catch {
      return;
    }
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string') return;
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // One listener's failure does not keep the event from the others.
      }
    }
  };

  const listen = () => {
    if (subscribed) return subscribed;
    const connection = redis.duplicate();
    subscriber = connection;
    // Errors come back through reconnects; an unhandled 'error' event would crash the process.
    connection.on('error', () => {});
    connection.on('message', deliver);
    subscribed = (async () => {
      if (connection.status === 'wait') await connection.connect();
      await connection.subscribe(channel);
    })().catch((error: unknown) => {
      subscribed = undefined;
      subscriber = undefined;
      connection.disconnect();
      throw redisError('subscribing to live events', target, error);
    });
    return subscribed;
  };

  return {
    async publish(event) {
      try {
        await redis.publish(channel, JSON.stringify({ type: event.type, data: event.data ?? null }));
      } catch (error) {
        throw redisError('publishing a live event', target, error);
      }
    },
    subscribe(listener) {
      const subscription = (event: FleetEvent) => listener(event);
      listeners.add(subscription);
      // A failed subscription is retried by the next subscriber; `ready()` reports it.
      listen().catch(() => undefined);
      return () => {
        listeners.delete(subscription);
      };
    },
    ready: () => listen(),
    async close() {
      const connection = subscriber;
      subscriber = undefined;
      subscribed = undefined;
      listeners.clear();
      if (connection) await connection.quit().catch(() => connection.disconnect());
    },
  };
}
