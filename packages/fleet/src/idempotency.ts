import { ValidationError } from '@mlh/core';
import type { Redis } from 'ioredis';
import { redisError, redisTarget } from './redis';
import { redisKeyPrefix } from './token-lock';

/** A response kept for an idempotency key (the shape of `@mlh/api`'s `StoredResponse`). */
export interface FleetStoredResponse {
  status: number;
  body: string;
  contentType: string;
}

/** Outcome of a claim (the shape of `@mlh/api`'s `IdempotencyBegin`). */
export type FleetIdempotencyBegin =
  | { state: 'started' }
  | { state: 'replay'; response: FleetStoredResponse }
  | { state: 'in_progress' }
  | { state: 'mismatch' };

/** Idempotency keys on Redis: structurally `@mlh/api`'s `IdempotencyStore`. */
export interface RedisIdempotencyStore {
  /** Claims `key` for a request with this fingerprint, or says why it cannot run. */
  begin(key: string, fingerprint: string, now: number): Promise<FleetIdempotencyBegin>;
  /** Keeps the response of a started key until `now + ttlMs`. */
  complete(key: string, response: FleetStoredResponse, now: number): Promise<void>;
  /** Forgets a started key whose request failed before it changed anything. */
  release(key: string): Promise<void>;
}

/** Options of {@link createRedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** Prefix of every key. Default `mlh:`; the keys are `<prefix>idempotency:<key>`. */
  prefix?: string;
  /** How long a completed key is remembered. Default 24 hours. */
  ttlMs?: number;
  /** How long a started key blocks others if its request never finishes (its process died). Default 5 minutes. */
  startedTtlMs?: number;
}

/**
 * How long Redis keeps a key past its end by the API's clock. The end itself is decided by the
 * API's clock (the `expiresAt` field), as in the memory store; Redis's expiry only deletes it later,
 * so a clock a little ahead of Redis's never loses a live key.
 */
const REDIS_GRACE_MS = 60_000;

/** Claims a free or expired key; otherwise says what it holds. Atomic, as every Lua script. */
const BEGIN = `
local entry = redis.call('HMGET', KEYS[1], 'fingerprint', 'expiresAt', 'status', 'contentType', 'body')
if entry[1] and tonumber(entry[2]) > tonumber(ARGV[2]) then
  if entry[1] ~= ARGV[1] then return {'mismatch'} end
  if not entry[3] then return {'in_progress'} end
  return {'replay', entry[3], entry[4], entry[5]}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'expiresAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {'started'}
`;

/** Stores the answer of a key still held; a key released or deleted meanwhile stays gone. */
const COMPLETE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'contentType', ARGV[2], 'body', ARGV[3], 'expiresAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;

function positiveMs(field: 'ttlMs' | 'startedTtlMs', value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ValidationError('Invalid Redis idempotency store options', [
      { path: field, message: 'must be a positive whole number of milliseconds' },
    ]);
  }
  return value;
}

/**
 * Idempotency keys for `@mlh/api` on Redis, shared by every process: pass it as the API's
 * `idempotency`. It behaves exactly as the API's memory store (the same conformance battery runs
 * against both): each claim is one Lua script, so of concurrent requests with one key exactly one
 * runs; an answer is replayed for `ttlMs`; a key whose process died is free after `startedTtlMs`.
 * Keep Redis from evicting these keys (`noeviction` or a `volatile-*` policy with memory to spare):
 * an evicted key lets a retry run again.
 *
 * @example
 * const idempotency = createRedisIdempotencyStore(await connectRedis(process.env.REDIS_URL!));
 * createApi({ ..., idempotency });
 */
export function createRedisIdempotencyStore(
  redis: Redis,
  options: RedisIdempotencyStoreOptions = {},
): RedisIdempotencyStore {
  const prefix = `${redisKeyPrefix(options.prefix)}idempotency:`;
  const ttlMs = positiveMs('ttlMs', options.ttlMs ?? 86_400_000);
  const startedTtlMs = positiveMs('startedTtlMs', options.startedTtlMs ?? 300_000);
  const target = redisTarget(redis);
  const call = async <T>(doing: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw redisError(doing, target, error);
    }
  };
  return {
    async begin(key, fingerprint, now) {
      const reply = (await call('claiming an idempotency key', () =>
        redis.eval(
          BEGIN,
          1,
          prefix + key,
          fingerprint,
          String(now),
          String(now + startedTtlMs),
          String(startedTtlMs + REDIS_GRACE_MS),
        ),
      )) as [string, string?, string?, string?];
      const [state, status, contentType, body] = reply;
      if (state === 'replay') {
        return {
          state: 'replay',
          response: { status: Number(status), contentType: contentType ?? '', body: body ?? '' },
        };
      }
      if (state === 'started' || state === 'in_progress' || state === 'mismatch') return { state };
      throw redisError('claiming an idempotency key', target, new Error(`unexpected reply ${String(state)}`));
    },
    async complete(key, response, now) {
      await call('storing an idempotent answer', () =>
        redis.eval(
          COMPLETE,
          1,
          prefix + key,
          String(response.status),
          response.contentType,
          response.body,
          String(now + ttlMs),
          String(ttlMs + REDIS_GRACE_MS),
        ),
      );
    },
    async release(key) {
      await call('releasing an idempotency key', () => redis.del(prefix + key));
    },
  };
}
