/**
 * The admin dashboard's world: the unified API and its dashboard on one local server, over the
 * three sandboxes, with a seller on each marketplace, a catalog listed there, buyers ordering now
 * and then and the workers syncing it all. The sandboxes are also served over real HTTP so a
 * browser can open their authorization pages. `examples/admin.ts` runs it; the browser tests too.
 */
import {
  createAdminDashboard,
  createApi,
  createMemoryAccountRegistry,
  generateApiKey,
  syncEventSource,
} from '@mlh/api';
import { type MarketplaceClient, money, normalizeProduct, type Product } from '@mlh/core';
import { meliAccountAuthorizer } from '@mlh/meli';
import { shopeeAccountAuthorizer } from '@mlh/shopee';
import {
  createMemoryActivityStore,
  InventorySync,
  OrderSync,
  ProductSync,
  recordSyncActivity,
  type SyncActivityRecorder,
  type SyncStore,
} from '@mlh/sync';
import { type SandboxServer, startSandboxServer } from '@mlh/testing/server';
import { tiktokAccountAuthorizer } from '@mlh/tiktok';
import { Hono } from 'hono';
import { RequestHandler } from 'msw';
import { type PlacedOrder, sandboxBuyers } from './buyers';
import { demoCatalog, prepareListing } from './catalog';
import { MARKETPLACES, type Marketplace } from './config';
import { serveFetch } from './fetch-server';
import type { LocalServer } from './http';
import { connectMarketplaces, type Marketplaces } from './marketplaces';
import { SANDBOX_IMAGE_HOST } from './sandbox';

/** A product in the store that no marketplace lists yet: the one to publish from the catalog page. */
export const UNPUBLISHED_SKU = 'BOTTLE-500';

/** A product whose title is over Mercado Livre's 60 characters: listed on Shopee and TikTok Shop, refused on Mercado Livre (a failure, an alert). */
export const REFUSED_SKU = 'MUG-KIT-4';

/** Options of {@link startAdminDemo}. */
export interface AdminDemoOptions {
  /** Port of the API and dashboard; 0 picks a free one. Default 0. */
  port?: number;
  /** How often the order worker polls every account, in ms. Default 2 000. */
  pollEveryMs?: number;
  /** How often a buyer places an order somewhere, in ms; 0 places none on a timer. Default 20 000. */
  orderEveryMs?: number;
  /** How often open pages refresh, in seconds. Default 3. */
  pollSeconds?: number;
  /** Lines of what the workers do. Default: none. */
  print?: (line: string) => void;
}

/** The running demo. */
export interface AdminDemo {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The dashboard's first page. */
  adminUrl: string;
  /** The API's base (`/api`). */
  apiUrl: string;
  keys: { operator: string; read: string };
  marketplaces: Marketplaces;
  store: SyncStore;
  sandboxServer: SandboxServer;
  /** The served accounts (one seller per marketplace at first). */
  accounts(): Array<{ marketplace: Marketplace; accountId: string }>;
  /** A buyer places and pays an order of one unit of `sku` on the marketplace's first account. */
  placeOrder(marketplace: Marketplace, sku?: string): Promise<PlacedOrder>;
  /** Runs the order worker once (the timer does it every `pollEveryMs`). */
  syncOrders(): Promise<void>;
  close(): Promise<void>;
}

/** A fourth product, kept off the marketplaces so the catalog page has something to publish. */
function unpublishedProduct(): Product {
  return normalizeProduct({
    sku: UNPUBLISHED_SKU,
    title: 'Garrafa térmica 500 ml',
    description: 'Garrafa térmica de aço inox, mantém a temperatura por 12 horas.',
    images: [`${SANDBOX_IMAGE_HOST}/bottle-500.jpg`],
    price: money('89.90', 'BRL'),
    quantity: 12,
  });
}

/**
 * A paid TikTok Shop order of one unit that the seller ships with their own carrier, so the
 * dashboard's ship form takes a carrier and a tracking number. Its NF-e is not asked for: the
 * invoice step is `pnpm demo`'s subject (examples/lib/invoice-step.ts), and attaching one here
 * would move the sandbox's clock ahead of the order worker's.
 */
async function sellerShippedTikTokOrder(
  m: Marketplaces,
  store: SyncStore,
  shopId: string,
  sku: string,
): Promise<PlacedOrder> {
  const tiktok = m.sandboxes.tiktok;
  if (!tiktok) throw new Error('TikTok Shop is not sandboxed');
  const listing = (await store.findListingsBySku(sku)).find(
    (candidate) => candidate.marketplace === 'tiktok' && candidate.accountId === shopId,
  );
  const variant = listing?.variants.find((candidate) => candidate.sku === sku);
  if (variant?.externalId === undefined) throw new Error(`${sku} is not listed on TikTok Shop ${shopId}`);
  const order = tiktok.placeOrder({
    shopId,
    items: [{ skuId: variant.externalId, quantity: 1 }],
    shippingType: 'SELLER',
    invoiceRequired: false,
  });
  tiktok.payOrder(order.id);
  return { marketplace: 'tiktok', accountId: shopId, orderId: order.id, lines: [{ sku, quantity: 1 }] };
}

/** The product Mercado Livre refuses (its title is too long there). */
function refusedProduct(): Product {
  return normalizeProduct({
    sku: REFUSED_SKU,
    title: 'Kit com quatro canecas de cerâmica coloridas de 300 ml em caixa para presente',
    description: 'Quatro canecas de cores diferentes numa caixa de presente.',
    images: [`${SANDBOX_IMAGE_HOST}/mug-kit.jpg`],
    price: money('159.90', 'BRL'),
    quantity: 6,
  });
}

/** The session secret of a demo run: random, so a cookie of an earlier run is simply refused. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, (char) =>
    char === '+' ? '-' : char === '/' ? '_' : '',
  );
}

/** Starts the demo: listens first, so the sandbox apps can redirect sellers to its callback URLs. */
export async function startAdminDemo(options: AdminDemoOptions = {}): Promise<AdminDemo> {
  const print = options.print ?? (() => undefined);
  // The app is built once the marketplaces exist; the server routes to it from then on.
  let handle: (request: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  const server: LocalServer = await serveFetch((request) => handle(request), options.port ?? 0);
  const timers: ReturnType<typeof setInterval>[] = [];
  const recorders: SyncActivityRecorder[] = [];
  let marketplaces: Marketplaces | undefined;
  let sandboxServer: SandboxServer | undefined;
  try {
    const m = await connectMarketplaces({
      env: {},
      redirectUris: {
        meli: `${server.origin}/api/accounts/meli/callback`,
        shopee: `${server.origin}/api/accounts/shopee/callback`,
        tiktok: `${server.origin}/api/accounts/tiktok/callback`,
      },
    });
    marketplaces = m;
    sandboxServer = await startSandboxServer(
      m.sandboxes.server.listHandlers().filter((handler) => handler instanceof RequestHandler),
    );
    const store = m.stores.syncStore;
    const accounts: Array<{ marketplace: Marketplace; accountId: string }> = [];
    const clients: MarketplaceClient[] = [];
    const clientOf = (marketplace: Marketplace, accountId: string): MarketplaceClient =>
      marketplace === 'meli'
        ? m.meli.forAccount(accountId)
        : marketplace === 'shopee'
          ? m.shopee.forAccount(accountId)
          : m.tiktok.forAccount(accountId);
    for (const marketplace of MARKETPLACES) {
      const [accountId] = await m.accounts(marketplace);
      if (accountId === undefined) throw new Error(`No ${marketplace} seller in the sandbox`);
      accounts.push({ marketplace, accountId });
      clients.push(clientOf(marketplace, accountId));
    }

    await store.upsertProducts([...demoCatalog(), refusedProduct()]);
    const inventory = new InventorySync({ store, clients });
    const products = new ProductSync({ store, clients, prepare: prepareListing });
    const orderSync = new OrderSync({ store, clients, inventory });
    // The history the API's sync, failure and alert routes read: every orchestrator's events.
    const activity = createMemoryActivityStore();
    recorders.push(
      ...[products, orderSync, inventory].map((emitter) => recordSyncActivity(emitter, activity)),
    );
    const background: Promise<void>[] = [];
    await products.run();
    // Added after the listing run: in the store, on no marketplace.
    await store.upsertProducts([unpublishedProduct()]);

    const buyers = sandboxBuyers(m.sandboxes, store);
    let syncing: Promise<void> | undefined;
    const syncOrders = () => {
      syncing ??= (async () => {
        try {
          for (const client of [...clients]) await orderSync.poll(client);
        } catch (error) {
          print(`order sync: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          syncing = undefined;
        }
      })();
      return syncing;
    };
    const skus = ['MUG-300', 'CAP', 'TSHIRT-M', 'TSHIRT-G'];
    const placeOrder = async (marketplace: Marketplace, sku?: string) => {
      const account = accounts.find((candidate) => candidate.marketplace === marketplace);
      if (!account) throw new Error(`No ${marketplace} account`);
      const chosen = sku ?? skus[Math.floor(Math.random() * skus.length)] ?? 'CAP';
      const placed =
        marketplace === 'tiktok'
          ? await sellerShippedTikTokOrder(m, store, account.accountId, chosen)
          : await buyers.order(marketplace, account.accountId, [{ sku: chosen, quantity: 1 }]);
      print(`A buyer ordered 1 × ${chosen} on ${marketplace} (order ${placed.orderId})`);
      return placed;
    };
    // The buyers of the first days, so the plots and lists have something to show.
    await placeOrder('meli', 'MUG-300');
    await placeOrder('shopee', 'TSHIRT-M');
    await placeOrder('tiktok', 'TSHIRT-G');
    // The marketplaces list orders updated strictly before the poll's instant: let a moment pass.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await syncOrders();
    await inventory.idle();

    const operator = await generateApiKey('operator', ['operator']);
    const read = await generateApiKey('read-only', ['read']);
    // Sellers connected through the dashboard join the served accounts and the workers' clients.
    const registry = createMemoryAccountRegistry(accounts);
    const api = createApi({
      syncStore: store,
      tokenStore: m.stores.tokenStore,
      accounts: registry,
      authorization: {
        authorizers: [
          meliAccountAuthorizer(m.meli),
          shopeeAccountAuthorizer(m.shopee),
          tiktokAccountAuthorizer(m.tiktok),
        ],
        callbackBaseUrl: `${server.origin}/api`,
        stateSecret: randomSecret(),
        returnTo: `${server.origin}/admin/accounts`,
        onConnected: (account) => {
          const marketplace = account.marketplace as Marketplace;
          if (
            accounts.some(
              (known) => known.marketplace === marketplace && known.accountId === account.accountId,
            )
          )
            return;
          accounts.push({ marketplace, accountId: account.accountId });
          clients.push(clientOf(marketplace, account.accountId));
          print(`Connected ${marketplace} seller ${account.accountId}`);
        },
      },
      productSync: { prepare: prepareListing },
      // GET /events: what the workers of this process do, as it happens (the dashboard listens).
      events: syncEventSource(products, orderSync, inventory),
      orderSync,
      apiKeys: [operator.record, read.record],
      inventory,
      clients,
      activity,
      sync: {
        products,
        orders: orderSync,
        inventory,
        background: (run) => {
          background.push(run.catch(() => undefined));
        },
      },
      // The dashboard calls the API with the operator's key several times per page.
      rateLimit: { rule: { perSecond: 100, burst: 200 } },
    });
    const sandboxUrl = sandboxServer.url;
    const dashboard = createAdminDashboard({
      api,
      sessionSecret: randomSecret(),
      pollSeconds: options.pollSeconds ?? 3,
      // The browser reaches the sandboxes' authorization pages through their local server.
      authorizationUrl: (url, marketplace) => {
        // In the sandbox, a new seller is the one signed in on the marketplace's page.
        m.seedSeller(marketplace as Marketplace);
        const target = new URL(url);
        return `${sandboxUrl}/${target.host}${target.pathname}${target.search}`;
      },
    });
    const app = new Hono();
    app.route('/api', api);
    app.route('/', dashboard);
    app.get('/', (c) => c.redirect('/admin'));
    handle = (request) => app.fetch(request);

    timers.push(setInterval(() => void syncOrders(), options.pollEveryMs ?? 2_000));
    const orderEveryMs = options.orderEveryMs ?? 20_000;
    if (orderEveryMs > 0) {
      timers.push(
        setInterval(() => {
          const marketplace = MARKETPLACES[Math.floor(Math.random() * MARKETPLACES.length)] ?? 'meli';
          placeOrder(marketplace).catch((error: unknown) =>
            print(`buyer: ${error instanceof Error ? error.message : String(error)}`),
          );
        }, orderEveryMs),
      );
    }
    const sandboxServerOf = sandboxServer;
    return {
      origin: server.origin,
      adminUrl: `${server.origin}/admin`,
      apiUrl: `${server.origin}/api`,
      keys: { operator: operator.key, read: read.key },
      marketplaces: m,
      store,
      sandboxServer: sandboxServerOf,
      accounts: () => [...accounts],
      placeOrder,
      syncOrders,
      close: async () => {
        for (const timer of timers) clearInterval(timer);
        await syncing;
        await Promise.all(background);
        await inventory.idle().catch(() => undefined);
        for (const recorder of recorders) {
          recorder.stop();
          await recorder.idle();
        }
        await server.close();
        await sandboxServerOf.close();
        await m.close();
      },
    };
  } catch (error) {
    for (const timer of timers) clearInterval(timer);
    await server.close();
    await sandboxServer?.close();
    await marketplaces?.close();
    throw error;
  }
}
