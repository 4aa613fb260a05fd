/**
 * A fleet on Redis: web processes enqueue, worker processes sync, Redis (BullMQ) and a shared
 * store hold everything in between. This example runs both roles in one process so it can show
 * the whole loop against the sandboxes; in production each role is its own process (or machine):
 *
 *   web      createFleetQueue(...).enqueueEvent(event) from the webhook endpoint,
 *            scheduleAccount(...) when a seller connects
 *   workers  createFleetWorker(...) with the same REDIS_URL and the same DATABASE_URL
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx fleet.ts
 *
 * In the sandbox: one seller per marketplace, two workers, every account's repeatable jobs every
 * second; a buyer orders on each marketplace and the workers bring the orders in, each once.
 */
import type { MarketplaceClient } from '@mlh/core';
import { createFleetQueue, createFleetWorker, type FleetAccount } from '@mlh/fleet';
import { orderOnEverySandbox } from './lib/buyers';
import type { Env } from './lib/config';
import { connectMarketplaces } from './lib/marketplaces';
import { marketplaceName, type Print, runWhenMain } from './lib/report';

/** Options of {@link main}. */
export interface FleetExampleOptions {
  env?: Env;
  print?: Print;
  /** The queue name (tests use their own). Default `mlh-example`. */
  queueName?: string;
  /** Worker instances to start. Default 2. */
  workers?: number;
}

/** What the run did: the orders placed and stored per marketplace, and the jobs each worker ran. */
export interface FleetExampleRun {
  placed: Record<string, string>;
  stored: Record<string, string[]>;
  jobsPerWorker: number[];
}

export async function main(options: FleetExampleOptions = {}): Promise<FleetExampleRun> {
  const env = options.env ?? process.env;
  const print = options.print ?? console.log;
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queueName = options.queueName ?? 'mlh-example';
  const marketplaces = await connectMarketplaces({ env });
  const queue = createFleetQueue({ connection: redisUrl, queueName });
  const workers: ReturnType<typeof createFleetWorker>[] = [];
  try {
    await queue.ready();
    const clients = new Map<string, MarketplaceClient>();
    const accounts: FleetAccount[] = [];
    for (const marketplace of ['meli', 'shopee', 'tiktok'] as const) {
      const [accountId = ''] = await marketplaces.accounts(marketplace);
      const client = marketplaces[marketplace].forAccount(accountId);
      clients.set(`${marketplace}:${accountId}`, client);
      accounts.push({ marketplace, accountId });
    }
    const clientFor = (account: FleetAccount) => {
      const client = clients.get(`${account.marketplace}:${account.accountId}`);
      if (!client) throw new Error(`no client for ${account.marketplace} account ${account.accountId}`);
      return client;
    };

    const jobsPerWorker: number[] = [];
    for (let index = 0; index < (options.workers ?? 2); index += 1) {
      const worker = createFleetWorker({
        connection: redisUrl,
        queueName,
        store: marketplaces.stores.syncStore,
        clientFor,
        owner: `worker-${index + 1}`,
      });
      jobsPerWorker.push(0);
      worker.on('job.completed', (job) => {
        jobsPerWorker[index] = (jobsPerWorker[index] ?? 0) + 1;
        if (job.kind === 'orders.sync') {
          print(
            `  worker-${index + 1} synced ${marketplaceName(job.account.marketplace)} orders in ${job.durationMs} ms`,
          );
        }
      });
      worker.on('alert', (alert) =>
        print(`  ALERT ${alert.job.kind} ${alert.job.account.marketplace}: ${alert.error}`),
      );
      workers.push(worker);
    }
    print(`Fleet on ${queueName}: ${workers.length} workers, ${accounts.length} accounts`);
    for (const account of accounts) {
      await queue.scheduleAccount(account, { ordersSyncMs: 1_000, inventoryFlushMs: 1_000 });
    }

    const placed = (await orderOnEverySandbox(marketplaces.sandboxes, {
      meli: accounts[0]?.accountId,
      shopee: accounts[1]?.accountId,
      tiktok: accounts[2]?.accountId,
    })) as Record<string, string>;
    print(`Buyers ordered: ${Object.values(placed).join(', ')}`);
    // Sync every account now rather than at its next scheduled run.
    await queue.runNow(accounts);

    const stored: Record<string, string[]> = {};
    const deadline = Date.now() + 30_000;
    for (;;) {
      for (const account of accounts) {
        const page = await marketplaces.stores.syncStore.listOrders({ ...account, limit: 100 });
        stored[account.marketplace] = page.items.map(({ order }) => order.externalId);
      }
      if (Object.entries(placed).every(([marketplace, id]) => stored[marketplace]?.includes(id))) break;
      if (Date.now() > deadline) throw new Error('the workers did not bring every order in within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const account of accounts) await queue.unscheduleAccount(account);
    print(`Every order stored once; jobs per worker: ${jobsPerWorker.join(', ')}`);
    return { placed, stored, jobsPerWorker };
  } finally {
    for (const worker of workers) await worker.close({ timeoutMs: 10_000 });
    await queue.close();
    await marketplaces.close();
  }
}

runWhenMain(import.meta.url, () => main());
