/**
 * The Redis and PostgreSQL the fleet tests use: `REDIS_URL` and `DATABASE_URL`, unset on a fresh
 * clone (the tests skip with a printed reason), set by `.ci/run` (where a skip is an error).
 */
export const redisUrl = process.env.REDIS_URL;
export const databaseUrl = process.env.DATABASE_URL;

function reasonToSkip(variable: string, value: string | undefined, what: string): string | undefined {
  if (value) return undefined;
  if (process.env.CI) throw new Error(`CI must run the ${what} tests: set ${variable}`);
  const reason = `${variable} is not set: ${what} tests skipped`;
  console.warn(reason);
  return reason;
}

/** Why the Redis tests are skipped, or undefined when they run. */
export const redisSkipReason = reasonToSkip('REDIS_URL', redisUrl, 'Redis');

/** Why the tests needing PostgreSQL too are skipped, or undefined when they run. */
export const postgresSkipReason = reasonToSkip('DATABASE_URL', databaseUrl, 'PostgreSQL');

let counter = 0;

/** A key prefix of its own for each test, so runs and tests never see each other's keys. */
export function freshPrefix(): string {
  counter += 1;
  return `mlh-test:${process.pid}:${Date.now().toString(36)}:${counter}:`;
}

/** A schema name of its own for each test. */
export function freshSchema(): string {
  counter += 1;
  return `t_fleet_${process.pid}_${Date.now().toString(36)}_${counter}`;
}
