/**
 * One app process of the two-process test (`two-processes.test.ts` forks two of these): the three
 * adapters pointed at the test's sandbox server, and ProductSync, OrderSync and InventorySync over
 * the shared PostgreSQL schema. The test drives it with `{ type: 'round' }` messages; each round
 * syncs the catalog, polls every account's orders and pushes stock until nothing is left to push.
 *
 * Run with `node --import tsx` from the repository root (the root tsconfig maps `@mlh/*` to sources).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { InventorySync, OrderSync, ProductSync, type SyncFailure } from '@mlh/sync';
import { createPostgresStores } from '@mlh/sync-postgres';
import { connectAdapters, prepareListing, type SandboxAccounts } from '../../sync/test/sandbox-setup';

/** What the test tells a worker, and what the worker answers. */
export type WorkerCommand = { type: 'round'; round: number } | { type: 'exit' };
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'round-done'; round: number; report: RoundReport }
  | { type: 'failed'; message: string };

/** What one round did in one worker (for the test's failure messages). */
export interface RoundReport {
  created: number;
  adopted: number;
  /** One line per product × account that failed (e.g. another worker's create still in flight). */
  productFailures: string[];
  /** Accounts this worker polled (the others were being polled by the other worker). */
  polled: string[];
  ordersFetched: number;
  flushes: number;
}

/** Environment the test passes to each worker. */
export interface WorkerEnvironment {
  DATABASE_URL: string;
  MLH_SYNC_SCHEMA: string;
  MLH_SANDBOX_URL: string;
  MLH_SANDBOX_ACCOUNTS: string;
  MLH_WORKER_NAME: string;
}

function required(name: keyof WorkerEnvironment): string {
  const value = process.env[name];
  if (!value) throw new Error(`worker: ${name} is not set`);
  return value;
}

function describeFailure(failure: SyncFailure): string {
  return `${failure.marketplace} ${failure.sku ?? ''} ${failure.stage}: ${failure.reason}`;
}

const send = (reply: WorkerReply) => process.send?.(reply);

async function main(): Promise<void> {
  const owner = required('MLH_WORKER_NAME');
  const stores = await createPostgresStores({
    connectionString: required('DATABASE_URL'),
    schema: required('MLH_SYNC_SCHEMA'),
  });
  const accounts = JSON.parse(required('MLH_SANDBOX_ACCOUNTS')) as SandboxAccounts;
  const { clients } = connectAdapters(accounts, {
    tokenStore: stores.tokenStore,
    serverUrl: required('MLH_SANDBOX_URL'),
  });
  const store = stores.syncStore;
  const inventory = new InventorySync({ store, clients, owner });
  const orders = new OrderSync({ store, clients, inventory, owner });
  const products = new ProductSync({ store, clients, prepare: prepareListing, owner });

  /** Pushes stock until a flush of this worker had every account's lease and found nothing left to push. */
  async function flushUntilSettled(): Promise<number> {
    for (let flushes = 1; flushes <= 400; flushes += 1) {
      const summary = await inventory.flush();
      if (summary.failed.length > 0) {
        throw new Error(`stock push failed: ${summary.failed.map(describeFailure).join('; ')}`);
      }
      if (summary.busyAccounts.length === 0) return flushes;
      // The other worker holds a stock lease: it is pushing; look again shortly.
      await delay(25);
    }
    throw new Error('the stock leases never came free');
  }

  async function round(): Promise<RoundReport> {
    const synced = await products.run();
    const polled: string[] = [];
    let ordersFetched = 0;
    for (const client of clients) {
      const poll = await orders.poll({ marketplace: client.marketplace, accountId: client.accountId });
      if (poll.failed.length > 0) {
        throw new Error(`order poll failed: ${poll.failed.map(describeFailure).join('; ')}`);
      }
      if (poll.ran) polled.push(client.marketplace);
      ordersFetched += poll.fetched;
    }
    const flushes = await flushUntilSettled();
    return {
      created: synced.created,
      adopted: synced.adopted,
      productFailures: synced.failed.map(describeFailure),
      polled,
      ordersFetched,
      flushes,
    };
  }

  process.on('message', (command: WorkerCommand) => {
    if (command.type === 'exit') {
      stores.close().finally(() => process.exit(0));
      return;
    }
    round().then(
      (report) => send({ type: 'round-done', round: command.round, report }),
      (error: unknown) =>
        send({
          type: 'failed',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
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
