import { MlhError, ValidationError } from '@mlh/core';
import { Redis, type RedisOptions } from 'ioredis';

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /** Give up connecting after this long. Default 5 s. */
  connectTimeoutMs?: number;
  /**
   * Extra ioredis options, applied last (e.g. `tls`, `db`, or `maxRetriesPerRequest: null` for a
   * BullMQ worker connection).
   */
  redis?: RedisOptions;
}

/** Where a Redis URL points, without user or password. */
export function describeRedisTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '6379'}${parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : ''}`;
  } catch {
    return 'an invalid Redis URL';
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is Redis running?)';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === 'ETIMEDOUT') return 'timed out';
  const message = error instanceof Error ? error.message : String(error);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(message)) return 'authentication failed';
  return message;
}

/**
 * A failure talking to Redis as an `MlhError` naming what was being done and where, never
 * the password; retryable, since Redis coming back makes the same call work.
 */
export function redisError(doing: string, target: string, error: unknown): MlhError {
  if (error instanceof MlhError) return error;
  return new MlhError(`Redis unavailable at ${target} (${doing}): ${reasonOf(error)}`, {
    code: 'redis_unavailable',
    retryable: true,
    cause: error,
  });
}

/** The target each connection made by {@link connectRedis} points at, for error messages. */
const targets = new WeakMap<Redis, string>();

/** The target of a connection made by {@link connectRedis}, or a generic name. */
export function redisTarget(redis: Redis): string {
  return targets.get(redis) ?? `${redis.options.host ?? 'localhost'}:${redis.options.port ?? 6379}`;
}

/**
 * Connects to Redis and waits until it answers, or fails with a clear `MlhError` (code
 * `redis_unavailable`) naming the host and the cause. Commands sent while the connection is down
 * fail at once instead of queueing, so an outage is an error, never a silent per-process fallback.
 * Server-only (TCP).
 *
 * @example
 * const redis = await connectRedis(process.env.REDIS_URL!);
 * const store = withRefreshLocks(tokenStore, createRedisRefreshLocks(redis));
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    throw new ValidationError('Invalid Redis URL', [
      { path: 'url', message: 'must look like redis://host:6379 or rediss://host:6380' },
    ]);
  }
  const target = describeRedisTarget(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    ...options.redis,
  });
  // ioredis rejects `connect()` with a bare "Connection is closed"; the socket's own error says why.
  let socketError: unknown;
  const remember = (error: unknown) => {
    socketError ??= error;
  };
  redis.on('error', remember);
  targets.set(redis, target);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw redisError('connecting', target, socketError ?? error);
  } finally {
    redis.off('error', remember);
  }
  // Later connection errors surface through the commands that fail; an unhandled 'error' event
  // would crash the process.
  redis.on('error', () => {});
  return redis;
}
