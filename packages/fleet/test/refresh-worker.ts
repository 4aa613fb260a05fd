/**
 * One app process of the refresh race (`refresh-race.test.ts` forks 2–4 of these): Mercado Livre
 * through `createMeli`, pointed at the test's sandbox server, over the shared PostgreSQL token store,
 * with the refresh locks of PostgreSQL or of Redis. On `{ type: 'go', sellerId }` it asks for that
 * seller's access token once and reports what it got and what its token manager emitted meanwhile.
 *
 * With `MLH_WORKER_ROLE=dies-holding-the-lock` it takes the refresh lock and is killed (SIGKILL)
 * before the token endpoint hears from it: a crashed winner.
 *
 * Run with `node --import tsx` from the repository root (the root tsconfig maps `@mlh/*` to sources).
 */
import { type TokenStore, withRefreshLocks } from '@mlh/core';
import { connectRedis, createRedisRefreshLocks } from '@mlh/fleet';
import { createMeli } from '@mlh/meli';
import { createPostgresStores } from '@mlh/sync-postgres';

/** What the test tells a worker, and what the worker answers. */
export type WorkerCommand = { type: 'go'; sellerId: string } | { type: 'exit' };
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'holding-the-lock' }
  | { type: 'done'; report: WorkerReport }
  | { type: 'failed'; message: string };

/** What one worker saw. */
export interface WorkerReport {
  /** The access token it was handed, or undefined when the call failed. */
  accessToken: string | undefined;
  /** `name: message` of the error the call failed with. */
  error: string | undefined;
  reauthorizationRequired: number;
  refreshed: number;
}

/** Environment the test passes to each worker. */
export interface WorkerEnvironment {
  DATABASE_URL: string;
  MLH_SCHEMA: string;
  MLH_LOCKS: 'postgres' | 'redis';
  REDIS_URL?: string;
  MLH_REDIS_PREFIX?: string;
  MLH_LEASE_MS: string;
  MLH_SANDBOX_URL: string;
  MLH_MELI_APP: string;
  MLH_WORKER_ROLE?: 'normal' | 'dies-holding-the-lock';
}

function required(name: keyof WorkerEnvironment): string {
  const value = process.env[name];
  if (!value) throw new Error(`worker: ${name} is not set`);
  return value;
}

const send = (reply: WorkerReply, then: () => void = () => {}) => process.send?.(reply, then);

/** Kills this process as soon as it holds a refresh lock, after telling the test. */
function diesHoldingTheLock(store: TokenStore): TokenStore {
  const acquire = store.acquireRefreshLock?.bind(store);
  if (!acquire) throw new Error('worker: the store has no refresh locks');
  return {
    ...store,
    get: store.get.bind(store),
    set: store.set.bind(store),
    delete: store.delete.bind(store),
    async acquireRefreshLock(marketplace, accountId) {
      const lock = await acquire(marketplace, accountId);
      if (lock) send({ type: 'holding-the-lock' }, () => process.kill(process.pid, 'SIGKILL'));
      // Never settles: the process dies holding the lock, before any refresh call.
      if (lock) return new Promise(() => {});
      return lock;
    },
  };
}

async function main(): Promise<void> {
  const leaseMs = Number(required('MLH_LEASE_MS'));
  const stores = await createPostgresStores({
    connectionString: required('DATABASE_URL'),
    schema: required('MLH_SCHEMA'),
    refreshLockLeaseMs: leaseMs,
  });
  const redis = process.env.MLH_LOCKS === 'redis' ? await connectRedis(required('REDIS_URL')) : undefined;
  const shared = redis
    ? withRefreshLocks(
        stores.tokenStore,
        createRedisRefreshLocks(redis, { prefix: required('MLH_REDIS_PREFIX'), leaseMs }),
      )
    : stores.tokenStore;
  const tokenStore =
    process.env.MLH_WORKER_ROLE === 'dies-holding-the-lock' ? diesHoldingTheLock(shared) : shared;
  const app = JSON.parse(required('MLH_MELI_APP')) as {
    clientId: string;
    clientSecret: string;
    redirectUri: string;
  };
  const meli = createMeli({
    ...app,
    tokenStore,
    transport: { baseUrl: `${required('MLH_SANDBOX_URL')}/api.mercadolibre.com` },
  });
  let report: WorkerReport = {
    accessToken: undefined,
    error: undefined,
    reauthorizationRequired: 0,
    refreshed: 0,
  };
  meli.tokens.on('reauthorizationRequired', () => {
    report.reauthorizationRequired += 1;
  });
  meli.tokens.on('refreshed', () => {
    report.refreshed += 1;
  });

  process.on('message', (command: WorkerCommand) => {
    if (command.type === 'exit') {
      Promise.all([stores.close(), redis?.quit()]).finally(() => process.exit(0));
      return;
    }
    report = { accessToken: undefined, error: undefined, reauthorizationRequired: 0, refreshed: 0 };
    meli.tokens.getAccessToken(command.sellerId).then(
      (accessToken) => send({ type: 'done', report: { ...report, accessToken } }),
      (error: unknown) =>
        send({
          type: 'done',
          report: {
            ...report,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          },
        }),
    );
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
