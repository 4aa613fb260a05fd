import { fileURLToPath } from 'node:url';
import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import { createSandboxClock } from '@mlh/testing';
import { type SandboxServer, startSandboxServer } from '@mlh/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountIdOf,
  type BuyerOrder,
  cancelOrder,
  catalog,
  connectAdapters,
  createSandboxes,
  initialStock,
  listingsOf,
  MARKETPLACES,
  marketplaceOrderStatus,
  placePaidOrder,
  publishedSku,
  type Sandboxes,
  type SandboxMarketplace,
  saveSandboxTokens,
} from '../../sync/test/sandbox-setup';
import { expectReply, type ForkedWorker, forkWorker } from './forked-worker';
import { databaseUrl, dropSchema, freshSchema, skipReason } from './support';
import type { RoundReport, WorkerCommand, WorkerEnvironment, WorkerReply } from './worker';

/**
 * Issue #9's concurrency test: two app processes run product, order and inventory sync at the same
 * time against one PostgreSQL schema and one sandbox server (the three marketplaces served over real
 * HTTP by this test process). Afterwards there is exactly one listing per SKU and marketplace, in the
 * sandboxes and in the store, one row per order, and the stock is exact everywhere.
 */

const workerScript = fileURLToPath(new URL('./worker.ts', import.meta.url));

type Worker = ForkedWorker<WorkerReply>;

function startWorker(name: string, environment: Omit<WorkerEnvironment, 'MLH_WORKER_NAME'>): Worker {
  return forkWorker<WorkerReply>(workerScript, name, { ...environment, MLH_WORKER_NAME: name });
}

/** Both workers run one round at the same time; resolves with both reports. */
async function round(workers: readonly Worker[], n: number): Promise<RoundReport[]> {
  for (const worker of workers) worker.child.send({ type: 'round', round: n } satisfies WorkerCommand);
  return Promise.all(workers.map(async (worker) => (await expectReply(worker, 'round-done')).report));
}

describe.skipIf(skipReason !== undefined)(
  'two worker processes on one database and one sandbox server',
  () => {
    const schema = freshSchema();
    let stores: PostgresStores;
    let sandboxes: Sandboxes;
    let server: SandboxServer;
    const workers: Worker[] = [];
    const placed: BuyerOrder[] = [];
    const cancelled = new Set<BuyerOrder>();

    beforeAll(async () => {
      stores = await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
      // Real time: the workers sign with their own clocks.
      sandboxes = createSandboxes({ clock: createSandboxClock() });
      server = await startSandboxServer(sandboxes.handlers);
      // The sellers' tokens, saved through each adapter's token manager into the shared token store.
      await saveSandboxTokens(
        sandboxes,
        connectAdapters(sandboxes.accounts, { tokenStore: stores.tokenStore, serverUrl: server.url }),
      );
      await stores.syncStore.upsertProducts(catalog());
      const environment = {
        DATABASE_URL: databaseUrl!,
        MLH_SYNC_SCHEMA: schema,
        MLH_SANDBOX_URL: server.url,
        MLH_SANDBOX_ACCOUNTS: JSON.stringify(sandboxes.accounts),
      };
      workers.push(startWorker('worker-a', environment), startWorker('worker-b', environment));
      await Promise.all(workers.map((worker) => expectReply(worker, 'ready')));
    });

    afterAll(async () => {
      for (const worker of workers) {
        if (worker.child.exitCode !== null || worker.child.signalCode !== null) continue;
        const exited = new Promise((resolve) => worker.child.once('exit', resolve));
        if (worker.child.connected) worker.child.send({ type: 'exit' } satisfies WorkerCommand);
        else worker.child.kill();
        await exited;
      }
      await server?.close();
      await stores?.close();
      if (!skipReason) await dropSchema(schema);
    });

    const accountOf = (marketplace: SandboxMarketplace) => accountIdOf(sandboxes.accounts, marketplace);

    async function expectOneListingPerSkuAndMarketplace(reports: RoundReport[]): Promise<void> {
      const context = `\nworker reports: ${JSON.stringify(reports)}`;
      for (const marketplace of MARKETPLACES) {
        const stored = await stores.syncStore.listListings({
          marketplace,
          accountId: accountOf(marketplace),
          limit: 100,
        });
        expect(
          stored.items.map((listing) => listing.sku).sort(),
          `${marketplace} listings in the store${context}`,
        ).toEqual(
          catalog()
            .map((product) => product.sku)
            .sort(),
        );
        for (const product of catalog()) {
          const published = listingsOf(sandboxes, marketplace, product);
          expect(published, `${marketplace} listings of ${product.sku}${context}`).toHaveLength(1);
          const listing = stored.items.find((candidate) => candidate.sku === product.sku);
          expect(listing?.state).toBe('active');
          expect(listing?.productExternalId).toBe(published[0]?.id);
        }
      }
    }

    async function expectOrdersAndStockExact(reports: RoundReport[]): Promise<void> {
      const context = `\nworker reports: ${JSON.stringify(reports)}`;
      const expected = initialStock();
      for (const marketplace of MARKETPLACES) {
        const rows = await stores.syncStore.listOrders({
          marketplace,
          accountId: accountOf(marketplace),
          limit: 100,
        });
        const mine = placed.filter((order) => order.marketplace === marketplace);
        expect(
          rows.items.map((row) => row.order.externalId).sort(),
          `${marketplace} order rows${context}`,
        ).toEqual(mine.map((order) => order.orderId).sort());
        for (const order of mine) {
          const row = rows.items.find((candidate) => candidate.order.externalId === order.orderId);
          expect(row?.order.rawStatus, `${marketplace} order ${order.orderId}`).toBe(
            marketplaceOrderStatus(sandboxes, order),
          );
        }
      }
      for (const order of placed) {
        if (cancelled.has(order)) continue;
        for (const line of order.lines) expected.set(line.sku, (expected.get(line.sku) ?? 0) - line.quantity);
      }
      for (const [sku, quantity] of expected) {
        const [level] = await stores.syncStore.getStock([sku]);
        expect(level?.quantity, `stored stock of ${sku}${context}`).toBe(quantity);
        for (const marketplace of MARKETPLACES) {
          expect(
            publishedSku(sandboxes, marketplace, sku).sku.stock,
            `${marketplace} stock of ${sku}${context}`,
          ).toBe(quantity);
        }
      }
    }

    async function buy(marketplace: SandboxMarketplace, lines: BuyerOrder['lines']) {
      const order = await placePaidOrder(sandboxes, marketplace, lines);
      placed.push(order);
      return order;
    }

    it('publish, take orders and keep stock at the same time, once each', async () => {
      // Round 1: both publish the catalog at once; exactly one create per listing wins.
      const first = await round(workers, 1);
      expect(first.reduce((sum, report) => sum + report.created + report.adopted, 0)).toBe(
        catalog().length * MARKETPLACES.length,
      );
      await expectOneListingPerSkuAndMarketplace(first);

      // Buyers order on every marketplace; one order is cancelled before anyone sees it.
      await buy('meli', [{ sku: 'MUG-RED', quantity: 2 }]);
      const tiktokOrder = await buy('tiktok', [
        { sku: 'CAP', quantity: 1 },
        { sku: 'MUG-BLUE', quantity: 1 },
      ]);
      await buy('shopee', [{ sku: 'MUG-BLUE', quantity: 2 }]);
      const seenCancelled = await buy('shopee', [{ sku: 'CAP', quantity: 3 }]);
      await cancelOrder(sandboxes, seenCancelled);
      cancelled.add(seenCancelled);
      const second = await round(workers, 2);
      await expectOrdersAndStockExact(second);

      // A cancellation after both workers stored the order, and another sale.
      await cancelOrder(sandboxes, tiktokOrder);
      cancelled.add(tiktokOrder);
      await buy('tiktok', [{ sku: 'MUG-RED', quantity: 1 }]);
      const third = await round(workers, 3);
      await expectOneListingPerSkuAndMarketplace(third);
      await expectOrdersAndStockExact(third);
    }, 90_000);
  },
);
