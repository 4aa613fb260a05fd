import { fileURLToPath } from 'node:url';
import { MeliTokenResponse, meliTokenSet } from '@mlh/meli';
import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import { createMeliSandbox, createSandboxClock, type MeliSandbox } from '@mlh/testing';
import { type SandboxServer, startSandboxServer } from '@mlh/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectReply, type ForkedWorker, forkWorker } from '../../sync-postgres/test/forked-worker';
import type { WorkerCommand, WorkerEnvironment, WorkerReply, WorkerReport } from './refresh-worker';
import {
  databaseUrl,
  freshPrefix,
  freshSchema,
  postgresSkipReason,
  redisSkipReason,
  redisUrl,
} from './services';

/**
 * Issue #14's refresh race: 2–4 app processes share one PostgreSQL token store whose Mercado Livre
 * access token has expired, and the sandbox's token endpoint (real single-use refresh tokens, served
 * over HTTP by this test process) answers a refresh after 1.5 s. Exactly one refresh reaches the
 * marketplace, every process gets the new token, and nobody is told to re-authorize, with the
 * refresh locks of PostgreSQL or of Redis. And when the process holding the lock dies, the lock
 * frees itself at the end of its lease and the next process refreshes, once.
 */

const workerScript = fileURLToPath(new URL('./refresh-worker.ts', import.meta.url));
const TOKEN_ENDPOINT = 'POST /oauth/token';
const SLOW_REFRESH_MS = 1_500;
const LEASE_MS = 2_000;

type Worker = ForkedWorker<WorkerReply>;

function startWorker(name: string, environment: WorkerEnvironment): Worker {
  return forkWorker<WorkerReply>(workerScript, name, { ...environment });
}

const go = (worker: Worker, sellerId: string) =>
  worker.child.send({ type: 'go', sellerId } satisfies WorkerCommand);

async function stop(worker: Worker): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  if (worker.child.connected) worker.child.send({ type: 'exit' } satisfies WorkerCommand);
  else worker.child.kill();
  await worker.exited;
}

describe.skipIf(postgresSkipReason !== undefined)('the refresh race across processes', () => {
  let stores: PostgresStores;
  let meli: MeliSandbox;
  let server: SandboxServer;
  const schema = freshSchema();

  beforeAll(async () => {
    stores = await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    meli = createMeliSandbox({ clock: createSandboxClock() });
    server = await startSandboxServer(meli.handlers);
    meli.faults.inject({ method: 'POST', path: '/oauth/token', fault: { latencyMs: SLOW_REFRESH_MS } });
  });

  afterAll(async () => {
    await server?.close();
    await stores?.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await stores?.close();
  });

  /** A new seller whose stored access token expired a second ago; its refresh token is live in the sandbox. */
  async function sellerWithExpiredToken(): Promise<string> {
    const seller = meli.addSeller({ siteId: 'MLB' });
    const issued = meliTokenSet(MeliTokenResponse.parse(meli.issueTokens(seller.id)), Date.now());
    await stores.tokenStore.set({ ...issued, expiresAt: Date.now() - 1_000 });
    return String(seller.id);
  }

  const refreshCalls = () => meli.stats().byPath[TOKEN_ENDPOINT] ?? 0;

  /** Everyone got the same, newly stored token, which the marketplace accepts, and nobody must re-authorize. */
  async function expectOneGoodToken(sellerId: string, reports: WorkerReport[]): Promise<void> {
    const context = `\nworker reports: ${JSON.stringify(reports, null, 1)}`;
    expect(
      reports.map((report) => report.error),
      `errors${context}`,
    ).toEqual(reports.map(() => undefined));
    expect(
      reports.map((report) => report.reauthorizationRequired),
      `reauthorizationRequired events${context}`,
    ).toEqual(reports.map(() => 0));
    expect(
      reports.reduce((sum, report) => sum + report.refreshed, 0),
      `refreshed events${context}`,
    ).toBe(1);
    const stored = await stores.tokenStore.get('meli', sellerId);
    expect(stored?.reauthorizationRequired).toBeFalsy();
    expect(new Set(reports.map((report) => report.accessToken))).toEqual(new Set([stored?.accessToken]));
    const me = await fetch(`${server.url}/api.mercadolibre.com/users/me`, {
      headers: { authorization: `Bearer ${stored?.accessToken}` },
    });
    expect(me.status).toBe(200);
  }

  const modes = [
    { locks: 'postgres' as const, processes: 4, skip: undefined },
    { locks: 'redis' as const, processes: 3, skip: redisSkipReason },
  ];

  for (const { locks, processes, skip } of modes) {
    describe.skipIf(skip !== undefined)(`with ${locks} refresh locks`, () => {
      let fleet: Worker[] = [];
      let doomed: Worker;

      beforeAll(async () => {
        const environment: WorkerEnvironment = {
          DATABASE_URL: databaseUrl!,
          MLH_SCHEMA: schema,
          MLH_LOCKS: locks,
          ...(locks === 'redis' ? { REDIS_URL: redisUrl!, MLH_REDIS_PREFIX: freshPrefix() } : {}),
          MLH_LEASE_MS: String(LEASE_MS),
          MLH_SANDBOX_URL: server.url,
          MLH_MELI_APP: JSON.stringify({
            clientId: String(meli.app.id),
            clientSecret: meli.app.secret,
            redirectUri: meli.app.redirectUris[0],
          }),
        };
        // Started together: each process costs a second or two of start-up.
        fleet = Array.from({ length: processes }, (_, i) => startWorker(`${locks}-${i + 1}`, environment));
        doomed = startWorker(`${locks}-doomed`, { ...environment, MLH_WORKER_ROLE: 'dies-holding-the-lock' });
        await Promise.all([...fleet, doomed].map((worker) => expectReply(worker, 'ready')));
      }, 60_000);

      afterAll(async () => {
        await Promise.all([...fleet, doomed].filter(Boolean).map(stop));
      });

      it(`${processes} processes and a slow token endpoint send exactly one refresh`, async () => {
        const sellerId = await sellerWithExpiredToken();
        const before = refreshCalls();

        for (const worker of fleet) go(worker, sellerId);
        const reports = await Promise.all(
          fleet.map(async (worker) => (await expectReply(worker, 'done')).report),
        );

        expect(refreshCalls() - before).toBe(1);
        await expectOneGoodToken(sellerId, reports);
      }, 30_000);

      it('a holder that dies frees the lock when its lease ends; the next process refreshes once', async () => {
        const sellerId = await sellerWithExpiredToken();
        const survivors = fleet.slice(0, 2);
        const before = refreshCalls();

        go(doomed, sellerId);
        await expectReply(doomed, 'holding-the-lock');
        expect((await doomed.exited).signal).toBe('SIGKILL');
        for (const worker of survivors) go(worker, sellerId);
        const reports = await Promise.all(
          survivors.map(async (worker) => (await expectReply(worker, 'done')).report),
        );

        expect(refreshCalls() - before).toBe(1);
        await expectOneGoodToken(sellerId, reports);
      }, 30_000);
    });
  }
});
