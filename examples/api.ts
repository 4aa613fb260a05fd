/**
 * The unified HTTP API (`@mlh/api`) on its own, on Node's `http`: the quick start.
 *
 *   npx tsx api.ts
 *
 * Against the sandboxes: a catalog is listed on Mercado Livre, Shopee and TikTok Shop, a buyer
 * orders on each, the orders are polled into the sync store, and the API serves it all on
 * PORT (default 3000) with a read key and an operator key printed once. With `DATABASE_URL` set the
 * sync store is PostgreSQL (`@mlh/sync-postgres`, in its own schema `mlh_api_quickstart`, so the
 * sandboxes' throw-away ids never mix with your data), and so are the idempotency keys
 * (`@mlh/api/postgres`, shared by every process you start); the sandbox tokens stay in memory.
 * The sync orchestrators' events stream at /events; /reference is the interactive reference.
 * Sellers are connected through the API too: `POST /accounts/{marketplace}/authorizations`, the
 * sandbox's authorization page, then the API's callback, which registers the account.
 * `--once` answers one request of each kind through the server and stops (what the test runs).
 */
import {
  createApi,
  createMemoryAccountRegistry,
  DEFAULT_MAX_BODY_BYTES,
  generateApiKey,
  type MlhApi,
  syncEventSource,
} from '@mlh/api';
import { createPostgresIdempotencyStore } from '@mlh/api/postgres';
import { consoleLogger, toNodeListener } from '@mlh/core';
import { meliAccountAuthorizer } from '@mlh/meli';
import { shopeeAccountAuthorizer } from '@mlh/shopee';
import {
  type ActivityStore,
  createMemoryActivityStore,
  InventorySync,
  OrderSync,
  ProductSync,
  recordSyncActivity,
  type SyncStore,
} from '@mlh/sync';
import { createPostgresStores } from '@mlh/sync-postgres';
import { sandboxBuyers } from './lib/buyers';
import { demoCatalog, prepareListing } from './lib/catalog';
import { MARKETPLACES, type Marketplace } from './lib/config';
import { listen } from './lib/http';
import { connectMarketplaces } from './lib/marketplaces';
import { type Print, runWhenMain } from './lib/report';

/** What a `--once` run saw through the API. */
export interface ApiRun {
  origin: string;
  statuses: Record<string, number>;
  orders: number;
  /** Accounts listed after the one-shot run connected a seller. */
  accounts: number;
  /** Whether the retried stock set was answered from the idempotency store. */
  replayed: boolean;
}

/** Starts the API; with `once`, calls it once per route kind and stops. */
export async function main(
  options: {
    env?: NodeJS.ProcessEnv;
    print?: Print;
    once?: boolean;
    port?: number;
    /** The PostgreSQL schema of the sync store. Default `mlh_api_quickstart`. */
    schema?: string;
  } = {},
): Promise<ApiRun> {
  const print = options.print ?? console.log;
  const env = options.env ?? process.env;
  // The server first: its origin makes the callback URL the marketplace apps register. It answers
  // 503 until the API is ready.
  let api: MlhApi | undefined;
  const server = await listen(
    toNodeListener({
      handle: async (request) => (api ? api.fetch(request) : new Response('starting', { status: 503 })),
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES + 1,
    }),
    options.port ?? Number(env.PORT ?? 3000),
  );
  // The sandboxes only: this quick start lists a demo catalog and places orders.
  const m = await connectMarketplaces({
    env: {},
    redirectUris: { meli: `${server.origin}/accounts/meli/callback` },
  }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const postgres =
    env.DATABASE_URL === undefined
      ? undefined
      : await createPostgresStores({
          connectionString: env.DATABASE_URL,
          schema: options.schema ?? 'mlh_api_quickstart',
          migrate: true,
        });
  const store: SyncStore = postgres?.syncStore ?? m.stores.syncStore;
  // The history of sync runs, failures and alerts the API serves under /sync and /alerts.
  const activity: ActivityStore = postgres?.activityStore ?? createMemoryActivityStore();
  try {
    const accounts = await Promise.all(
      MARKETPLACES.map(async (marketplace: Marketplace) => ({
        marketplace,
        accountId: (await m.accounts(marketplace))[0] ?? '',
      })),
    );
    const clients = [
      m.meli.forAccount(accounts[0]!.accountId),
      m.shopee.forAccount(accounts[1]!.accountId),
      m.tiktok.forAccount(accounts[2]!.accountId),
    ];
    print(
      `Sync store: ${postgres ? `PostgreSQL (schema ${options.schema ?? 'mlh_api_quickstart'})` : 'memory'}`,
    );
    await store.upsertProducts(demoCatalog());
    const inventory = new InventorySync({ store, clients });
    const products = new ProductSync({ store, clients, prepare: prepareListing });
    const orders = new OrderSync({ store, clients, inventory });
    const recorders = [products, orders, inventory].map((emitter) => recordSyncActivity(emitter, activity));
    await products.run();
    const buyers = sandboxBuyers(m.sandboxes, store);
    await buyers.order('meli', accounts[0]!.accountId, [{ sku: 'TSHIRT-M', quantity: 1 }]);
    await buyers.order('shopee', accounts[1]!.accountId, [{ sku: 'MUG-300', quantity: 2 }]);
    await buyers.order('tiktok', accounts[2]!.accountId, [{ sku: 'CAP', quantity: 1 }]);
    // The marketplaces list orders updated strictly before the poll's `until`: let a moment pass.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const client of clients) await orders.poll(client);
    await inventory.idle();
    for (const recorder of recorders) await recorder.idle();

    const running: Promise<void>[] = [];
    const read = await generateApiKey('read', ['read']);
    const operator = await generateApiKey('operator', ['operator']);
    // Behind several processes every one of them must see the same idempotency keys.
    const idempotency = postgres
      ? await createPostgresIdempotencyStore({
          query: (text, values) => postgres.pool.query(text, [...values]),
          schema: options.schema ?? 'mlh_api_quickstart',
          migrate: true,
        })
      : undefined;
    api = createApi({
      syncStore: store,
      tokenStore: m.stores.tokenStore,
      // Sellers connected through the API are added to this registry (one process: memory).
      accounts: createMemoryAccountRegistry(accounts),
      apiKeys: [read.record, operator.record],
      inventory,
      clients,
      activity,
      // Runs started through the API go on in the background; kept to be awaited before stopping.
      sync: { products, orders, inventory, background: (run) => void running.push(run) },
      authorization: {
        // The sandbox app has PKCE off: match your app's setting.
        authorizers: [meliAccountAuthorizer(m.meli, { pkce: false }), shopeeAccountAuthorizer(m.shopee)],
        callbackBaseUrl: server.origin,
        stateSecret: env.MLH_STATE_SECRET ?? crypto.randomUUID() + crypto.randomUUID(),
      },
      idempotency,
      // GET /events streams what the orchestrators of this process do.
      events: syncEventSource(products, orders, inventory),
      // A line per request on the console while serving; the one-shot run stays quiet.
      ...(options.once ? {} : { logger: consoleLogger('info') }),
    });
    print(`\nThe API listens on ${server.origin} (OpenAPI at ${server.origin}/openapi.json)`);
    print(`  reference:    ${server.origin}/reference (type the key into the page)`);
    print(`  read key:     ${read.key}`);
    print(`  operator key: ${operator.key}`);
    print(`\n  curl -H "Authorization: Bearer ${read.key}" ${server.origin}/orders`);

    if (!options.once) {
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      await Promise.all(running);
      return { origin: server.origin, statuses: {}, orders: 0, replayed: false, accounts: 0 };
    }
    const statuses: Record<string, number> = {};
    let replayed = false;
    const call = async (name: string, path: string, init: RequestInit = {}) => {
      const response = await fetch(`${server.origin}${path}`, init);
      statuses[name] = response.status;
      return response;
    };
    const auth = { authorization: `Bearer ${read.key}` };
    const listed = (await (await call('orders', '/orders', { headers: auth })).json()) as {
      items: unknown[];
    };
    await call('accounts', '/accounts', { headers: auth });
    await call('products', '/products?limit=2', { headers: auth });
    await call('openapi', '/openapi.json');
    await call('reference', '/reference');
    // A live stream never ends on its own: read its first bytes, then hang up.
    const hangUp = new AbortController();
    const events = await call('events', '/events', { headers: auth, signal: hangUp.signal });
    await events.body?.getReader().read();
    hangUp.abort();
    await call('unauthenticated', '/orders');
    await call('stock set', '/inventory/CAP', {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${operator.key}`,
        'content-type': 'application/json',
        'idempotency-key': 'quickstart-recount',
      },
      body: JSON.stringify({ quantity: 25 }),
    });
    const retried = await call('stock set retried', '/inventory/CAP', {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${operator.key}`,
        'content-type': 'application/json',
        'idempotency-key': 'quickstart-recount',
      },
      body: JSON.stringify({ quantity: 25 }),
    });
    replayed = retried.headers.get('idempotent-replayed') === 'true';
    await call('sync run', '/sync/runs', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${operator.key}`,
        'content-type': 'application/json',
        'idempotency-key': 'quickstart-products',
      },
      body: JSON.stringify({ kind: 'products' }),
    });
    await call('sync runs', '/sync/runs', { headers: auth });
    await call('alerts', '/alerts', { headers: auth });
    // A new Mercado Livre seller connects: the API's authorization, the sandbox's page (the
    // seller's browser), the API's callback; the account is then listed with the others.
    m.seedSeller('meli');
    const operatorAuth = { authorization: `Bearer ${operator.key}` };
    const begun = await call('connect', '/accounts/meli/authorizations', {
      method: 'POST',
      headers: operatorAuth,
    });
    const { authorizationUrl } = (await begun.json()) as { authorizationUrl: string };
    const consent = await fetch(authorizationUrl, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location') ?? '');
    await call('callback', `${callback.pathname}${callback.search}`);
    const connected = (await (await call('accounts', '/accounts', { headers: auth })).json()) as {
      items: unknown[];
    };
    // The products run started through the API ends before the stores close.
    await Promise.all(running);
    return {
      origin: server.origin,
      statuses,
      orders: listed.items.length,
      replayed,
      accounts: connected.items.length,
    };
  } finally {
    await server.close();
    await m.close();
    await postgres?.close();
  }
}

runWhenMain(import.meta.url, () => main({ once: process.argv.includes('--once') }));
