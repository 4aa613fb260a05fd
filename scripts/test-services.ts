/**
 * vitest globalSetup: finds the services some tests need, the way `.ci/run` provides them, so
 * `pnpm test` runs every test on a machine that has them without any variable to set.
 *
 * - PostgreSQL: `DATABASE_URL` if set; otherwise a server on 127.0.0.1:5432 that lets the
 *   `postgres` user in without a password (database `test`, else `postgres`).
 * - Redis: `REDIS_URL` if set; otherwise a server on 127.0.0.1:6379 that answers PING.
 *
 * What was not found is reported at the end of the run with the tests it skipped
 * (see {@link SkippedTestsReporter}).
 */
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Why each service's tests cannot run, by variable name. vitest loads the global setup and the
 * config's reporter as two module instances of this file, in one process: the environment is
 * what they share.
 */
const MISSING = 'MLH_TEST_MISSING_SERVICES';

function missingServices(): Record<string, string> {
  return JSON.parse(process.env[MISSING] ?? '{}') as Record<string, string>;
}

function reportMissing(variable: string, reason: string): void {
  process.env[MISSING] = JSON.stringify({ ...missingServices(), [variable]: reason });
}

const POSTGRES_CANDIDATES = [
  'postgresql://postgres@127.0.0.1:5432/test',
  'postgresql://postgres@127.0.0.1:5432/postgres',
];

/** The part of `pg` used here (its types live in @mlh/sync-postgres's node_modules). */
interface PgModule {
  Client: new (config: {
    connectionString: string;
    connectionTimeoutMillis: number;
  }) => {
    connect(): Promise<void>;
    query(sql: string): Promise<unknown>;
    end(): Promise<void>;
  };
}

async function findPostgres(): Promise<string | undefined> {
  // pg is a dependency of @mlh/sync-postgres only; pnpm does not hoist it to the root.
  const require = createRequire(new URL('../packages/sync-postgres/package.json', import.meta.url));
  const pg = require('pg') as PgModule;
  for (const connectionString of POSTGRES_CANDIDATES) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      return connectionString;
    } catch {
      // refused, no such database, or a password is needed: try the next one
    } finally {
      await client.end().catch(() => {});
    }
  }
  return undefined;
}

function redisAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const done = (found: boolean) => {
      socket.destroy();
      resolve(found);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

export default async function setup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const found = await findPostgres();
    if (found) process.env.DATABASE_URL = found;
    else
      reportMissing(
        'DATABASE_URL',
        'DATABASE_URL is not set and no PostgreSQL on 127.0.0.1:5432 lets the postgres user in without a password',
      );
  }
  if (!process.env.REDIS_URL) {
    if (await redisAnswers('127.0.0.1', 6379)) process.env.REDIS_URL = 'redis://127.0.0.1:6379';
    else reportMissing('REDIS_URL', 'REDIS_URL is not set and no Redis answers on 127.0.0.1:6379');
  }
}

/** The number of skipped tests per file of a run. */
export function skippedByFile(modules: ReadonlyArray<TestModule>): Map<string, number> {
  const byFile = new Map<string, number>();
  for (const module of modules) {
    const skipped = [...module.children.allTests('skipped')].length;
    if (skipped > 0) byFile.set(module.relativeModuleId, skipped);
  }
  return byFile;
}

/**
 * Ends the run with what was skipped and why: the services not found by the global setup, and
 * each file with skipped tests. Silent when nothing was skipped.
 */
export class SkippedTestsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byFile = skippedByFile(modules);
    if (byFile.size === 0) return;
    const total = [...byFile.values()].reduce((sum, count) => sum + count, 0);
    const lines = [`\n${total} test${total === 1 ? '' : 's'} skipped:`];
    for (const [file, count] of byFile) lines.push(`  ${file}: ${count}`);
    const reasons = Object.values(missingServices());
    if (reasons.length > 0) {
      lines.push(
        'Services not found (the tests that need them skip; start the service or set the variable):',
      );
      for (const reason of reasons) lines.push(`  ${reason}`);
    }
    console.log(lines.join('\n'));
  }
}
