/**
 * @mlh/fleet: what makes the SDK's promises hold across many processes, on Redis. Server-only
 * (Node): it talks to Redis over TCP.
 */
export const FLEET_PACKAGE = '@mlh/fleet';
export {
  createRedisRateLimiter,
  type RedisRateLimiter,
  type RedisRateLimiterOptions,
} from './rate-limiter';
