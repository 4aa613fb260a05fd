/** Redis and PostgreSQL for the fleet tests; unset on a fresh clone, set by `.ci/run`. */
export const redisUrl = process.env.REDIS_URL;
export const databaseUrl = process.env.DATABASE_URL;

/** Why the Redis tests are skipped, printed once, or undefined when they run. */
export const redisSkipReason = redisUrl ? undefined : 'REDIS_URL is not set: fleet tests skipped';

if (redisSkipReason) {
  if (process.env.CI) throw new Error('CI must run the fleet tests: set REDIS_URL');
  console.warn(redisSkipReason);
}

/** A queue name no other test run shares. */
export function uniqueQueueName(label: string): string {
  return `mlh-test-${label}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
