import type { ConnectionOptions } from 'bullmq';
import { describeRedisTarget } from '../redis';

/** Where the fleet's Redis is: a `redis://` URL (e.g. `process.env.REDIS_URL`) or BullMQ connection options. */
export type FleetConnection = string | ConnectionOptions;

/**
 * BullMQ connection options for a URL, or the options as given. A producer fails fast while Redis
 * is down (no offline queue), so a web process gets an error instead of piling up commands; a
 * worker keeps BullMQ's own reconnect behaviour.
 */
export function bullConnection(connection: FleetConnection, role: 'producer' | 'worker'): ConnectionOptions {
  if (typeof connection !== 'string') return connection;
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    throw new TypeError('The fleet needs a Redis URL like redis://127.0.0.1:6379 (REDIS_URL)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new TypeError(`The fleet needs a redis:// or rediss:// URL, not ${url.protocol}//`);
  }
  return role === 'producer'
    ? { url: connection, enableOfflineQueue: false, maxRetriesPerRequest: null }
    : { url: connection, maxRetriesPerRequest: null };
}

/** `host:port` of a connection, for error messages (never the password). */
export function describeConnection(connection: FleetConnection): string {
  if (typeof connection === 'string') return describeRedisTarget(connection);
  const options = connection as { host?: string; port?: number };
  return `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
}

/**
 * Resolves when `ping` answers within `timeoutMs`; otherwise throws an error naming the Redis
 * server, so a fleet never starts (or silently runs per-process) against a Redis it cannot reach.
 */
export async function assertReachable(
  ping: () => Promise<unknown>,
  connection: FleetConnection,
  timeoutMs: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`Redis at ${describeConnection(connection)} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([ping(), timeout]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      reason.startsWith('Redis at')
        ? reason
        : `Redis at ${describeConnection(connection)} is unreachable: ${reason}`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}
