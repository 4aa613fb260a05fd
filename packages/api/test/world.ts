/**
 * A seller's world for the API tests: the three `@mlh/testing` sandboxes with one seller each,
 * the real adapters connected to them, the catalog listed everywhere by `ProductSync` and one paid
 * order per marketplace stored by `OrderSync`, as the application's workers would have done.
 */
import { MemoryTokenStore } from '@mlh/core';
import {
  createMemorySyncStore,
  InventorySync,
  type MemorySyncStore,
  OrderSync,
  ProductSync,
  type SyncTimers,
} from '@mlh/sync';
import type { SetupServer } from 'msw/node';
import {
  type Adapters,
  type BuyerOrder,
  catalog,
  connectAdapters,
  createSandboxes,
  MARKETPLACES,
  placePaidOrder,
  prepareListing,
  publishedSku,
  type Sandboxes,
  sandboxAdapterClock,
  saveSandboxTokens,
} from '../../sync/test/sandbox-setup';
import { type ApiKeyRecord, createApi, generateApiKey, type MlhApi } from '../src/index';
import type { AccountRef, ApiOptions } from '../src/options';

/** Timers that never fire on their own: `InventorySync.idle()` pushes what a timer would. */
const IDLE_TIMERS: SyncTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

/** The world behind the API and two keys to call it with. */
export interface World {
  sandboxes: Sandboxes;
  adapters: Adapters;
  store: MemorySyncStore;
  tokenStore: MemoryTokenStore;
  inventory: InventorySync;
  accounts: AccountRef[];
  orders: BuyerOrder[];
  keys: { read: string; operator: string };
  records: ApiKeyRecord[];
  /** An API over this world; `overrides` change its options. */
  api(overrides?: Partial<ApiOptions>): MlhApi;
}

/** A paid TikTok Shop order of one unit that the seller ships with their own carrier (so it takes a tracking number). */
function sellerShippedTikTokOrder(sandboxes: Sandboxes, sku: string): BuyerOrder {
  const { sku: published } = publishedSku(sandboxes, 'tiktok', sku);
  const order = sandboxes.tiktok.placeOrder({
    shopId: sandboxes.accounts.tiktok.shopId,
    items: [{ skuId: published.variantId, quantity: 1 }],
    shippingType: 'SELLER',
    // The fulfilment tests are about tracking and retries; the NF-e a Brazilian order needs first
    // is @mlh/tiktok's invoices suite's subject (the API answers its InvoiceRequiredError as 409).
    invoiceRequired: false,
  });
  sandboxes.tiktok.payOrder(order.id);
  return { marketplace: 'tiktok', orderId: order.id, lines: [{ sku, quantity: 1 }] };
}

/** Builds the world, routing msw to its sandboxes. */
export async function createWorld(server: SetupServer): Promise<World> {
  const sandboxes = createSandboxes();
  server.resetHandlers(...sandboxes.handlers);
  const tokenStore = new MemoryTokenStore();
  const adapters = connectAdapters(sandboxes.accounts, {
    tokenStore,
    clock: sandboxAdapterClock(sandboxes.clock),
  });
  await saveSandboxTokens(sandboxes, adapters);
  const store = createMemorySyncStore();
  await store.upsertProducts(catalog());
  const runtime = { clock: () => sandboxes.clock.now(), timers: IDLE_TIMERS };
  const inventory = new InventorySync({ store, clients: adapters.clients, ...runtime });
  await new ProductSync({ store, clients: adapters.clients, prepare: prepareListing, ...runtime }).run();
  const orders = [
    await placePaidOrder(sandboxes, 'meli', [{ sku: 'MUG-RED', quantity: 1 }]),
    await placePaidOrder(sandboxes, 'shopee', [{ sku: 'CAP', quantity: 2 }]),
    sellerShippedTikTokOrder(sandboxes, 'MUG-BLUE'),
  ];
  const orderSync = new OrderSync({ store, clients: adapters.clients, inventory, ...runtime });
  // The marketplaces list orders updated before the poll's instant: let a minute pass.
  sandboxes.clock.advance(60_000);
  for (const client of adapters.clients) await orderSync.poll(client);
  await inventory.idle();
  const accounts = adapters.clients.map((client) => ({
    marketplace: client.marketplace,
    accountId: client.accountId,
  }));
  const read = await generateApiKey('dashboard', ['read']);
  const operator = await generateApiKey('ops', ['operator']);
  const records = [read.record, operator.record];
  return {
    sandboxes,
    adapters,
    store,
    tokenStore,
    inventory,
    accounts,
    orders,
    keys: { read: read.key, operator: operator.key },
    records,
    api: (overrides = {}) =>
      createApi({
        syncStore: store,
        tokenStore,
        accounts,
        apiKeys: records,
        inventory,
        clients: adapters.clients,
        clock: () => sandboxes.clock.now(),
        ...overrides,
      }),
  };
}

export { MARKETPLACES };
