import pg from 'pg';

/** The database the tests use; unset on a user's fresh clone, set by `.ci/run`. */
export const databaseUrl = process.env.DATABASE_URL;

/** Why the PostgreSQL tests are skipped, printed once, or undefined when they run. */
export const skipReason = databaseUrl ? undefined : 'DATABASE_URL is not set: PostgreSQL tests skipped';

if (skipReason) {
  if (process.env.CI) throw new Error('CI must run the PostgreSQL tests: set DATABASE_URL');
  console.warn(skipReason);
}

let counter = 0;

/** A schema name of its own for each test, so tests never see each other's rows. */
export function freshSchema(): string {
  counter += 1;
  return `t_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
