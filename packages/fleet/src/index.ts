/**
 * @mlh/fleet: what makes the SDK's promises hold across many processes, on Redis. Server-only
 * (Node): it talks to Redis over TCP.
 */

export { createRedisDedupeStore, type RedisDedupeStoreOptions } from './dedupe';
export {
  createRedisEventBus,
  type FleetEvent,
  type RedisEventBus,
  type RedisEventBusOptions,
} from './event-bus';
export {
  createRedisIdempotencyStore,
  type FleetIdempotencyBegin,
  type FleetStoredResponse,
  type RedisIdempotencyStore,
  type RedisIdempotencyStoreOptions,
} from './idempotency';
export {
  createRedisRateLimiter,
  type RedisRateLimiter,
  type RedisRateLimiterOptions,
} from './rate-limiter';
export { type ConnectRedisOptions, connectRedis, describeRedisTarget, redisError } from './redis';
export { createRedisRefreshLocks, type RedisRefreshLocksOptions } from './token-lock';
export type { FleetConnection } from './worker/connection';
export type { FleetAccount, FleetCadence, FleetJobData, FleetJobKind } from './worker/jobs';
export {
  accountKey,
  DEFAULT_FLEET_CADENCE,
  DEFAULT_FLEET_QUEUE,
  FLEET_JOB_PRIORITY,
  fleetJobId,
} from './worker/jobs';
export type { FleetQueue, FleetQueueOptions, ScheduledFleetJobKind } from './worker/queue';
export { createFleetQueue, fleetJobOptions, schedulerIdOf } from './worker/queue';
export type {
  FleetJobRef,
  FleetMetrics,
  FleetWorker,
  FleetWorkerEvents,
  FleetWorkerOptions,
} from './worker/worker';
export { createFleetWorker } from './worker/worker';
