/**
 * One worker process of the fleet section (bench/sections/fleet.ts forks 1, 2 or 4 of these):
 * `createFleetWorker` over the shared PostgreSQL stores and Redis, with the three adapters pointed
 * at the parent's sandbox server, and either the shared Redis limiter or each process's own
 * in-memory buckets (the same limits). It reports each finished job to the parent over IPC, and
 * at the end the HTTP 429s it received.
 *
 * Configuration comes in `MLH_FLEET_WORKER` (JSON, {@link FleetWorkerConfig}).
 */
import type { MarketplaceClient, RateGroup, RateLimitRule } from '@mlh/core';
import {
  createFleetQueue,
  createFleetWorker,
  createRedisRateLimiter,
  type FleetAccount,
  type FleetJobKind,
} from '@mlh/fleet';
import { createMeli } from '@mlh/meli';
import { createShopee } from '@mlh/shopee';
import { createPostgresStores } from '@mlh/sync-postgres';
import { createTikTokShop } from '@mlh/tiktok';

type Rules = Partial<Record<RateGroup, RateLimitRule>>;

/** What the parent passes to each worker process. */
export interface FleetWorkerConfig {
  owner: string;
  databaseUrl: string;
  schema: string;
  redisUrl: string;
  queueName: string;
  bullPrefix: string;
  /** Key prefix of the shared limiter; undefined: each process keeps its own buckets in memory. */
  limiterPrefix: string | undefined;
  serverUrl: string;
  concurrency: number;
  /** Budgets per marketplace: each app's and each account's, split into read and write. */
  limits: Record<'meli' | 'shopee' | 'tiktok', { app: Rules; account: Rules }>;
  apps: {
    meli: { clientId: string; clientSecret: string; redirectUri: string };
    shopee: { partnerId: number; partnerKey: string };
    tiktok: { appKey: string; appSecret: string; serviceId: string };
  };
}

/** Messages between the parent and a worker process. */
export type FleetParentMessage = { type: 'report' } | { type: 'exit' };
export type FleetWorkerMessage =
  | { type: 'ready' }
  | { type: 'completed'; kind: FleetJobKind; account: string }
  | { type: 'failed'; kind: FleetJobKind; account: string; error: string; willRetry: boolean }
  | { type: 'dead-lettered'; kind: FleetJobKind; account: string; error: string }
  | { type: 'report'; report: FleetWorkerReport }
  | { type: 'error'; message: string };

/** What one worker process saw. */
export interface FleetWorkerReport {
  owner: string;
  requests: number;
  /** Responses with HTTP 429 (every marketplace's rate-limit answer in the sandboxes). */
  status429: number;
  completed: number;
  failed: number;
  retried: number;
  deadLettered: number;
  busy: number;
}

const send = (message: FleetWorkerMessage) => process.send?.(message);

async function main(): Promise<void> {
  const config = JSON.parse(process.env.MLH_FLEET_WORKER ?? '') as FleetWorkerConfig;
  const stores = await createPostgresStores({ connectionString: config.databaseUrl, schema: config.schema });
  const limiter = config.limiterPrefix
    ? createRedisRateLimiter({ redis: config.redisUrl, prefix: config.limiterPrefix })
    : undefined;
  let requests = 0;
  let status429 = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    requests += 1;
    if (response.status === 429) status429 += 1;
    return response;
  };
  const transport = (marketplace: keyof FleetWorkerConfig['limits']) => ({
    fetch: countingFetch,
    rateLimits: config.limits[marketplace].account,
    appRateLimits: config.limits[marketplace].app,
    ...(limiter ? { rateLimiter: limiter } : {}),
  });
  const tokenStore = stores.tokenStore;
  const meli = createMeli({
    ...config.apps.meli,
    tokenStore,
    transport: { ...transport('meli'), baseUrl: `${config.serverUrl}/api.mercadolibre.com` },
    client: { listingModel: 'classic', siteId: 'MLB' },
  });
  const shopee = createShopee({
    ...config.apps.shopee,
    tokenStore,
    currency: 'BRL',
    ...transport('shopee'),
    baseUrl: `${config.serverUrl}/partner.shopeemobile.com`,
  });
  const tiktok = createTikTokShop({
    ...config.apps.tiktok,
    tokenStore,
    ...transport('tiktok'),
    apiBaseUrl: `${config.serverUrl}/open-api.tiktokglobalshop.com`,
    authBaseUrl: `${config.serverUrl}/auth.tiktok-shops.com`,
    clientDefaults: { currency: 'BRL' },
  });
  const clients = new Map<string, MarketplaceClient>();
  const clientFor = (account: FleetAccount): MarketplaceClient => {
    const key = `${account.marketplace}:${account.accountId}`;
    let client = clients.get(key);
    if (!client) {
      client =
        account.marketplace === 'meli'
          ? meli.forAccount(account.accountId)
          : account.marketplace === 'shopee'
            ? shopee.forShop(account.accountId)
            : tiktok.forAccount(account.accountId);
      clients.set(key, client);
    }
    return client;
  };

  const connection = config.redisUrl;
  const queue = createFleetQueue({ connection, queueName: config.queueName, prefix: config.bullPrefix });
  const worker = createFleetWorker({
    connection,
    queueName: config.queueName,
    prefix: config.bullPrefix,
    store: stores.syncStore,
    clientFor,
    // Each bench seller sells its own SKUs: an order's stock goes back to its own account only,
    // which the orders.sync handler below asks for. Listing all accounts here would enqueue one
    // flush request per account after every order (see bench/README.md, "Fleet").
    concurrency: config.concurrency,
    owner: config.owner,
    busyRetryMs: 200,
    backoffMs: 500,
  });
  worker.on('job.completed', (job) => {
    const account = `${job.account.marketplace}:${job.account.accountId}`;
    if (job.kind !== 'orders.sync') {
      send({ type: 'completed', kind: job.kind, account });
      return;
    }
    // The orders moved stock: push this account's stock next (what the worker does for every
    // account listed by accounts()).
    queue.requestFlush(job.account, 0).then(
      () => send({ type: 'completed', kind: job.kind, account }),
      (error: unknown) => send({ type: 'error', message: `requestFlush ${account}: ${String(error)}` }),
    );
  });
  worker.on('job.failed', (job) =>
    send({
      type: 'failed',
      kind: job.kind,
      account: `${job.account.marketplace}:${job.account.accountId}`,
      error: job.error,
      willRetry: job.willRetry,
    }),
  );
  // A job that used up its attempts never completes: the parent counts it as settled (and reports
  // it) instead of waiting for a flush that will not come.
  worker.on('alert', (alert) =>
    send({
      type: 'dead-lettered',
      kind: alert.job.kind,
      account: `${alert.job.account.marketplace}:${alert.job.account.accountId}`,
      error: alert.error,
    }),
  );
  worker.on('error', (error) => send({ type: 'error', message: error.message }));
  await queue.ready();
  await worker.ready();

  process.on('message', (message: FleetParentMessage) => {
    if (message.type === 'report') {
      const metrics = worker.metrics();
      send({
        type: 'report',
        report: {
          owner: config.owner,
          requests,
          status429,
          completed: metrics.completed,
          failed: metrics.failed,
          retried: metrics.retried,
          deadLettered: metrics.deadLettered,
          busy: metrics.busy,
        },
      });
      return;
    }
    Promise.allSettled([worker.close({ timeoutMs: 5_000 }), queue.close()])
      .then(() => Promise.allSettled([stores.close(), limiter?.close()]))
      .finally(() => process.exit(0));
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
