/**
 * @mlh/fleet: what makes the SDK's promises hold across many processes, on Redis. Server-only
 * (Node): it talks to Redis over TCP.
 */
export { createRedisDedupeStore, type RedisDedupeStoreOptions } from './dedupe';
export { type ConnectRedisOptions, connectRedis, describeRedisTarget, redisError } from './redis';
export { createRedisRefreshLocks, type RedisRefreshLocksOptions } from './token-lock';
