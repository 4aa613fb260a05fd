import { createWebhookHandler, MemoryTokenStore, type Product } from '@mlh/core';
import type { Fault as SandboxFault } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemorySyncStore,
  eventClaimStore,
  InventorySync,
  type MemorySyncStore,
  OrderSync,
  ProductSync,
  type SyncStore,
  type SyncTimers,
} from '../src/index';
import {
  accountIdOf,
  apiCalls,
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
  prepareListing,
  publishedSku,
  type Sandboxes,
  type SandboxMarketplace,
  sameAmount,
  sandboxAdapterClock,
  saveSandboxTokens,
  WEBHOOK_URLS,
} from './sandbox-setup';

/**
 * The sync orchestrators through the real Mercado Livre, Shopee and TikTok Shop adapters, against
 * the three `@mlh/testing` sandboxes at once (one msw server). Every assertion reads the
 * marketplaces' own state, not only the store.
 *
 * The fault sweeps run a scenario once per step with the fault at that step: the process stopping
 * before it, the store's Nth write throwing, or each marketplace answering its Nth call with a 500,
 * a dropped connection or (on writes) a lost response after doing the work. A fresh process then
 * catches up, and everything must have converged. Concurrent steps (the three marketplaces are
 * synced in parallel) may interleave differently from run to run; every run checks the whole state.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

/** Longer than every lease, event claim and create intent: a process that restarts after it finds them expired. */
const RESTART_DELAY_MS = 15 * 60_000;

/** A sweep runs dozens of worlds end to end; a busy machine can take a while. */
const SWEEP_TIMEOUT_MS = 180_000;

/** Timers that never fire on their own: `InventorySync.idle()` pushes what a coalescing timer would. */
const IDLE_TIMERS: SyncTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

// ---------------------------------------------------------------------------------------------
// A world (the marketplaces, the app's database) and the app's processes over it

/** The three sandboxes and the app's database (sync store and token store), which outlive any process. */
interface World {
  sandboxes: Sandboxes;
  store: MemorySyncStore;
  tokenStore: MemoryTokenStore;
  /** Every order buyers placed, and which of them they cancelled. */
  orders: BuyerOrder[];
  cancelled: Set<BuyerOrder>;
}

async function createWorld(products: Product[] = catalog()): Promise<World> {
  const sandboxes = createSandboxes({ duplicates: true, outOfOrder: true });
  server.resetHandlers(...sandboxes.handlers);
  const tokenStore = new MemoryTokenStore();
  const adapters = connectAdapters(sandboxes.accounts, {
    tokenStore,
    clock: sandboxAdapterClock(sandboxes.clock),
  });
  await saveSandboxTokens(sandboxes, adapters);
  const store = createMemorySyncStore();
  await store.upsertProducts(products);
  return { sandboxes, store, tokenStore, orders: [], cancelled: new Set() };
}

/** Routes msw to this world's sandboxes (one world is live at a time). */
function enter(world: World): void {
  server.resetHandlers(...world.sandboxes.handlers);
}

/** Thrown by an injected store fault. */
class InjectedFault extends Error {
  override name = 'InjectedFault';
}

/** What goes wrong inside one process: nothing, the store's Nth write throws, or the process stops before its Nth step. */
type ProcessFault = { kind: 'none' } | { kind: 'store-write'; at: number } | { kind: 'stop'; at: number };

const STORE_WRITES: ReadonlySet<string> = new Set([
  'upsertProducts',
  'applyStockMovements',
  'claimListingCreate',
  'completeListingCreate',
  'abandonListingCreate',
  'updateListing',
  'recordPushes',
  'upsertOrder',
  'setCheckpoint',
  'claimEvent',
  'completeEvent',
  'releaseEvent',
  'acquireLease',
  'renewLease',
  'releaseLease',
  'purgeExpired',
]);

const never = <T>() => new Promise<T>(() => undefined);

/**
 * The I/O of one app process. Its steps are the calls that can change something outside it: every
 * store write and every HTTP request (a store read changes nothing, so stopping before a read
 * leaves the same state as stopping after the write before it). A stopped process never returns
 * from anything again, as a killed one; `settle()` waits for the calls it had already started.
 */
class ProcessIo {
  steps = 0;
  writes = 0;
  triggered = false;
  stopped = false;
  readonly trace: string[] = [];
  readonly whenStopped: Promise<'stopped'>;
  private markStopped: () => void = () => undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly fault: ProcessFault) {
    this.whenStopped = new Promise((resolve) => {
      this.markStopped = () => resolve('stopped');
    });
  }

  /** One step: a store write or an HTTP request. */
  step<T>(name: string, call: () => Promise<T>): Promise<T> {
    if (this.stopped) return never();
    this.steps += 1;
    this.trace.push(name);
    if (this.fault.kind === 'stop' && this.steps === this.fault.at) {
      this.triggered = true;
      this.stopped = true;
      this.markStopped();
      return never();
    }
    return this.track(call());
  }

  storeWrite<T>(name: string, call: () => Promise<T>): Promise<T> {
    return this.step(name, async () => {
      this.writes += 1;
      if (this.fault.kind === 'store-write' && this.writes === this.fault.at) {
        this.triggered = true;
        throw new InjectedFault(`store write ${this.writes} (${name}) failed`);
      }
      return call();
    });
  }

  storeRead<T>(call: () => Promise<T>): Promise<T> {
    return this.stopped ? never() : this.track(call());
  }

  /** Waits for `work`, or for the process to stop (then the rest of its script never runs). */
  async until(work: Promise<unknown>): Promise<boolean> {
    const outcome = await Promise.race([work.then(() => 'done' as const), this.whenStopped]);
    return outcome === 'done';
  }

  /** Waits until every call the process started has finished (those after a stop never start). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const done = () => this.inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }
}

/** The store as one process sees it: every call goes through its I/O. */
function processStore(store: SyncStore, io: ProcessIo): SyncStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const call = (args: unknown[]) => () => Promise.resolve(value.apply(target, args));
      return STORE_WRITES.has(property)
        ? (...args: unknown[]) => io.storeWrite(`store.${property}`, call(args))
        : (...args: unknown[]) => io.storeRead(call(args));
    },
  });
}

let processCount = 0;

/** One run of the app: its own adapters, orchestrators and webhook endpoint over the world's database. */
interface AppProcess {
  io: ProcessIo;
  products: ProductSync;
  orders: OrderSync;
  inventory: InventorySync;
  /** Delivers the marketplaces' queued webhooks to this process and waits for their ingestion. */
  receiveWebhooks(): Promise<void>;
  /** Reconciles the webhook marketplaces, polls Shopee and pushes the stock due: the periodic jobs. */
  catchUp(): Promise<void>;
}

function startProcess(world: World, fault: ProcessFault = { kind: 'none' }): AppProcess {
  const { sandboxes } = world;
  const io = new ProcessIo(fault);
  const store = processStore(world.store, io);
  const adapters = connectAdapters(sandboxes.accounts, {
    tokenStore: world.tokenStore,
    clock: sandboxAdapterClock(sandboxes.clock),
    fetch: (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      return io.step(`${request.method} ${url.host}${url.pathname}`, () => fetch(request));
    },
  });
  const clients = adapters.clients;
  processCount += 1;
  const runtime = {
    clock: () => sandboxes.clock.now(),
    timers: IDLE_TIMERS,
    owner: `process-${processCount}`,
  };
  const inventory = new InventorySync({ store, clients, ...runtime });
  const orders = new OrderSync({ store, clients, inventory, ...runtime });
  const products = new ProductSync({ store, clients, prepare: prepareListing, ...runtime });

  // The app's webhook endpoint: acknowledge, then hand each event to OrderSync. Its dedupe shares the
  // app's database; those writes are the core webhook handler's, not the orchestrators', so not steps.
  const webhooks = createWebhookHandler({
    sources: [
      adapters.meli.webhookSource(),
      adapters.tiktok.webhookSource(),
      adapters.shopee.webhookSource({ callbackUrl: WEBHOOK_URLS.shopee }),
    ],
    dedupe: eventClaimStore(world.store),
  });
  const ingests: Promise<unknown>[] = [];
  webhooks.events.on('event', (event) => {
    ingests.push(orders.ingest(event).catch(() => undefined));
  });
  sandboxes.receiveWebhooks(async (request) => (io.stopped ? Response.error() : webhooks.handle(request)));

  const target = (marketplace: SandboxMarketplace) => ({
    marketplace,
    accountId: clients.find((client) => client.marketplace === marketplace)!.accountId,
  });
  return {
    io,
    products,
    orders,
    inventory,
    async receiveWebhooks() {
      await sandboxes.meli.webhooks.flush();
      await sandboxes.tiktok.webhooks.flush();
      await Promise.all(ingests);
    },
    async catchUp() {
      await orders.reconcile(target('meli'));
      await orders.reconcile(target('tiktok'));
      await orders.poll(target('shopee'));
      await inventory.flush();
    },
  };
}

/** A process started after the last one ended (or died): leases, claims and intents have expired. */
function restart(world: World): AppProcess {
  world.sandboxes.clock.advance(RESTART_DELAY_MS);
  return startProcess(world);
}

// ---------------------------------------------------------------------------------------------
// What must hold

/**
 * Exactly one listing per catalog product on every marketplace, its ids stored, its content, price
 * and stock equal to the store's.
 */
async function expectCatalogConverged(world: World): Promise<void> {
  const products = (await world.store.listProducts({ limit: 100 })).items;
  for (const marketplace of MARKETPLACES) {
    const accountId = accountOf(world, marketplace);
    for (const product of products) {
      const published = listingsOf(world.sandboxes, marketplace, product);
      expect(
        published.map((listing) => listing.id),
        `${marketplace} listings of ${product.sku}`,
      ).toHaveLength(1);
      const [listing] = published;
      const stored = await world.store.getListing({ marketplace, accountId, sku: product.sku });
      expect(stored?.state, `${marketplace} ${product.sku}`).toBe('active');
      expect(stored?.productExternalId).toBe(listing?.id);
      expect(listing?.title).toBe(product.title);
      for (const variant of product.variants) {
        const sku = listing?.skus.get(variant.sku!);
        const storedVariant = stored?.variants.find((v) => v.sku === variant.sku);
        if (product.variants.length > 1) expect(storedVariant?.externalId).toBe(sku?.variantId);
        expect(
          sameAmount(sku?.price ?? '', variant.price.amount),
          `${marketplace} ${variant.sku} price`,
        ).toBe(true);
        const [level] = await world.store.getStock([variant.sku!]);
        expect(sku?.stock, `${marketplace} ${variant.sku} stock`).toBe(
          Math.max(0, level?.quantity ?? Number.NaN),
        );
      }
    }
  }
}

/**
 * One stored order per marketplace order, with the marketplace's current status; the store's stock
 * is initial − sold + cancelled, and every listing on every marketplace shows it.
 */
async function expectOrdersConverged(world: World): Promise<void> {
  const expected = initialStock();
  for (const order of world.orders) {
    const stored = await world.store.getOrder({
      marketplace: order.marketplace,
      accountId: accountOf(world, order.marketplace),
      externalId: order.orderId,
    });
    expect(stored?.order.rawStatus, `${order.marketplace} order ${order.orderId}`).toBe(
      marketplaceOrderStatus(world.sandboxes, order),
    );
    if (world.cancelled.has(order)) continue;
    for (const line of order.lines) expected.set(line.sku, (expected.get(line.sku) ?? 0) - line.quantity);
  }
  for (const marketplace of MARKETPLACES) {
    const rows = await world.store.listOrders({
      marketplace,
      accountId: accountOf(world, marketplace),
      limit: 500,
    });
    expect(rows.items.map((row) => row.order.externalId).sort()).toEqual(
      world.orders
        .filter((order) => order.marketplace === marketplace)
        .map((order) => order.orderId)
        .sort(),
    );
  }
  for (const [sku, quantity] of expected) {
    const [level] = await world.store.getStock([sku]);
    expect(level?.quantity, `stored stock of ${sku}`).toBe(quantity);
    for (const marketplace of MARKETPLACES) {
      expect(
        publishedSku(world.sandboxes, marketplace, sku).sku.stock,
        `${marketplace} stock of ${sku}`,
      ).toBe(quantity);
    }
  }
}

function accountOf(world: World, marketplace: SandboxMarketplace): string {
  return accountIdOf(world.sandboxes.accounts, marketplace);
}

function keyOf(world: World, order: BuyerOrder) {
  return {
    marketplace: order.marketplace,
    accountId: accountOf(world, order.marketplace),
    externalId: order.orderId,
  };
}

/**
 * Refreshes, in a healthy process, the tokens that would expire within the next hour. A process
 * killed between the marketplace rotating a single-use refresh token and saving the new one loses
 * the seller's authorization, which no sync can repair; the sweeps kill processes, so the long-lived
 * world renews its tokens here, through each adapter's token manager and the sandboxes' refresh endpoints.
 */
async function refreshExpiringTokens(world: World): Promise<void> {
  const { meli, shopee, tiktok } = connectAdapters(world.sandboxes.accounts, {
    tokenStore: world.tokenStore,
    clock: sandboxAdapterClock(world.sandboxes.clock),
  });
  const soon = world.sandboxes.clock.now() + 60 * 60_000;
  const managers = [
    [meli.tokens, 'meli'],
    [shopee.tokens, 'shopee'],
    [tiktok.tokens, 'tiktok'],
  ] as const;
  for (const [tokens, marketplace] of managers) {
    const accountId = accountOf(world, marketplace);
    const current = await tokens.getTokenSet(accountId);
    if (current && current.expiresAt < soon) await tokens.getAccessToken(accountId, { forceRefresh: true });
  }
}

/** The buyers' side of one day: new paid orders on every marketplace, and yesterday's cancelled. */
async function buyersOrder(world: World): Promise<void> {
  const { sandboxes } = world;
  sandboxes.clock.advance(60_000);
  const open = world.orders.filter((order) => !world.cancelled.has(order));
  for (const order of open) {
    await cancelOrder(sandboxes, order);
    world.cancelled.add(order);
  }
  // All on one product, so each marketplace gets one stock write a day.
  world.orders.push(
    await placePaidOrder(sandboxes, 'meli', [{ sku: 'MUG-RED', quantity: 2 }]),
    await placePaidOrder(sandboxes, 'tiktok', [
      { sku: 'MUG-RED', quantity: 1 },
      { sku: 'MUG-BLUE', quantity: 1 },
    ]),
    await placePaidOrder(sandboxes, 'shopee', [{ sku: 'MUG-BLUE', quantity: 1 }]),
  );
  sandboxes.clock.advance(60_000);
}

// ---------------------------------------------------------------------------------------------

describe('sync through the three adapters against the three sandboxes', () => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld();
  });

  it('publishes a catalog with variants to all three marketplaces and stores the external ids', async () => {
    enter(world);
    const summary = await startProcess(world).products.run();
    expect(summary.failed).toEqual([]);
    expect(summary.created).toBe(catalog().length * MARKETPLACES.length);
    await expectCatalogConverged(world);
  });

  it('a second run sends nothing to any marketplace', async () => {
    enter(world);
    const before = apiCalls(world.sandboxes);
    const summary = await startProcess(world).products.run();
    expect(summary.unchanged).toBe(catalog().length * MARKETPLACES.length);
    expect(apiCalls(world.sandboxes)).toEqual(before);
  });

  it('duplicate, out-of-order webhooks and Shopee polling give one order each with the newest state, and the stock of every marketplace follows', async () => {
    enter(world);
    const app = startProcess(world);
    world.sandboxes.clock.advance(60_000);
    const meliPaid = await placePaidOrder(world.sandboxes, 'meli', [{ sku: 'MUG-RED', quantity: 2 }]);
    const tiktokPaid = await placePaidOrder(world.sandboxes, 'tiktok', [{ sku: 'CAP', quantity: 3 }]);
    const shopeePaid = await placePaidOrder(world.sandboxes, 'shopee', [{ sku: 'MUG-BLUE', quantity: 1 }]);
    world.orders.push(meliPaid, tiktokPaid, shopeePaid);
    world.sandboxes.clock.advance(60_000);

    await app.receiveWebhooks();
    const copies = [...world.sandboxes.meli.webhooks.log, ...world.sandboxes.tiktok.webhooks.log];
    expect(copies.some((record) => record.duplicate)).toBe(true);
    // Before the poll only the webhook marketplaces know their orders.
    expect(await world.store.getOrder(keyOf(world, shopeePaid))).toBeUndefined();
    const poll = await app.orders.poll({
      marketplace: 'shopee',
      accountId: world.sandboxes.accounts.shopee.shopId,
    });
    expect(poll.created).toBe(1);
    await app.inventory.idle();

    await expectOrdersConverged(world);
    // The sale on Mercado Livre lowered MUG-RED on Shopee and TikTok Shop too, and so on.
    expect(publishedSku(world.sandboxes, 'shopee', 'MUG-RED').sku.stock).toBe(8);
    expect(publishedSku(world.sandboxes, 'tiktok', 'MUG-RED').sku.stock).toBe(8);
    expect(publishedSku(world.sandboxes, 'meli', 'CAP').sku.stock).toBe(5);
    expect(publishedSku(world.sandboxes, 'meli', 'MUG-BLUE').sku.stock).toBe(5);
  });

  it('a cancellation gives the units back on every marketplace, once', async () => {
    enter(world);
    const app = startProcess(world);
    const [meliPaid, tiktokPaid] = world.orders as [BuyerOrder, BuyerOrder];
    world.sandboxes.clock.advance(60_000);
    await cancelOrder(world.sandboxes, tiktokPaid);
    world.cancelled.add(tiktokPaid);
    await cancelOrder(world.sandboxes, meliPaid);
    world.cancelled.add(meliPaid);
    world.sandboxes.clock.advance(60_000);
    await app.receiveWebhooks();
    // Redelivered notifications and a reconcile see the same cancellations again: nothing moves twice.
    await app.catchUp();
    await app.inventory.idle();
    await expectOrdersConverged(world);
    for (const marketplace of MARKETPLACES) {
      expect(publishedSku(world.sandboxes, marketplace, 'CAP').sku.stock).toBe(8);
      expect(publishedSku(world.sandboxes, marketplace, 'MUG-RED').sku.stock).toBe(10);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Faults at every step, then a re-run

/** One product with variants is enough to meet every step of a first publication. */
const FAULT_CATALOG = [catalog()[0]!];

/**
 * A marketplace fault on the Nth call of each sandbox (all three at once). A lost response only
 * differs from a dropped connection when the call writes, so it is swept over each sandbox's Nth
 * POST and Nth PUT; the others over every call.
 */
interface SandboxFaultAt {
  at: number;
  fault: SandboxFault;
  methods?: readonly string[];
}

const SANDBOX_FAULTS: readonly { name: string; fault: SandboxFault; methods?: readonly string[] }[] = [
  { name: 'HTTP 500 on any API call', fault: { status: 500 } },
  { name: 'dropped connection on any API call', fault: { drop: true } },
  {
    name: 'lost response on any write (it took effect)',
    fault: { lostResponse: true },
    methods: ['POST', 'PUT'],
  },
];

/** Injects the fault in every sandbox; returns a function that removes it and tells whether it fired. */
function injectSandboxFault(world: World, { at, fault, methods }: SandboxFaultAt): () => boolean {
  const sandboxes = [world.sandboxes.meli, world.sandboxes.shopee, world.sandboxes.tiktok];
  for (const sandbox of sandboxes) {
    if (methods) for (const method of methods) sandbox.faults.inject({ method, nth: at, fault });
    else sandbox.faults.inject({ nth: at, fault });
  }
  return () => {
    const fired = sandboxes.some((sandbox) => sandbox.faults.applied.length > 0);
    for (const sandbox of sandboxes) sandbox.faults.clear();
    return fired;
  };
}

/**
 * Runs `script` in a process that meets `fault` (and the sandboxes' fault, if any), lets what it
 * started finish, and reports whether the fault happened at all.
 */
async function faultyRun(
  world: World,
  fault: ProcessFault,
  sandboxFault: SandboxFaultAt | undefined,
  script: (app: AppProcess) => Promise<unknown>,
): Promise<{ triggered: boolean; trace: string[] }> {
  const fired = sandboxFault ? injectSandboxFault(world, sandboxFault) : () => false;
  const app = startProcess(world, fault);
  await app.io.until(script(app).catch(() => undefined));
  await app.io.settle();
  const sandboxFired = fired();
  return { triggered: app.io.triggered || sandboxFired, trace: app.io.trace };
}

async function publishFaulty(fault: ProcessFault, sandboxFault?: SandboxFaultAt): Promise<boolean> {
  const world = await createWorld(FAULT_CATALOG);
  const { triggered, trace } = await faultyRun(world, fault, sandboxFault, (app) => app.products.run());
  if (!triggered) return false;
  try {
    await restart(world).products.run();
    await expectCatalogConverged(world);
    const before = apiCalls(world.sandboxes);
    await restart(world).products.run();
    expect(apiCalls(world.sandboxes), 'a later run sends nothing').toEqual(before);
  } catch (error) {
    throw new Error(
      `${describeFault(fault, sandboxFault)}; the faulty run did: ${trace.join(' → ')}\n${String(error)}`,
    );
  }
  return true;
}

/** Sweeps a fault over every step (1, 2, 3, ...) until one run no longer reaches it. */
async function everyStep(run: (at: number) => Promise<boolean>): Promise<number> {
  let at = 1;
  while (await run(at)) at += 1;
  return at - 1;
}

function describeFault(fault: ProcessFault, sandboxFault?: SandboxFaultAt): string {
  const parts: string[] = [];
  if (fault.kind === 'stop') parts.push(`the process stopped before its step ${fault.at}`);
  if (fault.kind === 'store-write') parts.push(`store write ${fault.at} threw`);
  if (sandboxFault) {
    const call = sandboxFault.methods ? `${sandboxFault.methods.join(' and ')} call` : 'API call';
    parts.push(`${JSON.stringify(sandboxFault.fault)} on ${call} ${sandboxFault.at} of each marketplace`);
  }
  return parts.join(', ');
}

describe('publishing converges after a fault at any step', () => {
  it(
    'the process stopping before any step, then a fresh process on the same store',
    async () => {
      const steps = await everyStep((at) => publishFaulty({ kind: 'stop', at }));
      expect(steps).toBeGreaterThan(15);
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'a store write that throws, at every write',
    async () => {
      const writes = await everyStep((at) => publishFaulty({ kind: 'store-write', at }));
      expect(writes).toBeGreaterThan(8);
    },
    SWEEP_TIMEOUT_MS,
  );

  for (const { name, fault, methods } of SANDBOX_FAULTS) {
    it(
      `a marketplace ${name}`,
      async () => {
        const calls = await everyStep((at) =>
          publishFaulty({ kind: 'none' }, { at, fault, ...(methods ? { methods } : {}) }),
        );
        expect(calls).toBeGreaterThan(1);
      },
      SWEEP_TIMEOUT_MS,
    );
  }
});

/** Windows the sweeps once found, each replayed on its own. */
describe('half-done publications a re-run completes', () => {
  const [mug] = FAULT_CATALOG as [Product];

  it('Shopee: a product whose variations were refused after its item was added is completed by a re-run', async () => {
    const world = await createWorld(FAULT_CATALOG);
    world.sandboxes.shopee.faults.inject({
      path: '/api/v2/product/init_tier_variation',
      fault: { status: 500 },
    });
    await startProcess(world).products.run();
    world.sandboxes.shopee.faults.clear();
    await restart(world).products.run();
    await restart(world).products.run();
    const [listing] = listingsOf(world.sandboxes, 'shopee', mug);
    expect([...(listing?.skus.keys() ?? [])]).toEqual(['MUG-RED', 'MUG-BLUE']);
    await expectCatalogConverged(world);
  });

  it('Shopee: a changed title reaches the listing through update_item', async () => {
    const world = await createWorld(FAULT_CATALOG);
    await startProcess(world).products.run();
    await world.store.upsertProducts([{ ...mug, title: 'Stoneware mug 350 ml' }]);
    const summary = await startProcess(world).products.run();
    expect(summary.failed).toEqual([]);
    expect(listingsOf(world.sandboxes, 'shopee', mug)[0]?.title).toBe('Stoneware mug 350 ml');
    await expectCatalogConverged(world);
  });

  it('TikTok Shop: a product with variants whose create response was lost is adopted by a variant SKU, not created twice', async () => {
    const world = await createWorld(FAULT_CATALOG);
    world.sandboxes.tiktok.faults.inject({
      method: 'POST',
      path: '/product/202309/products',
      fault: { lostResponse: true },
    });
    await startProcess(world).products.run();
    world.sandboxes.tiktok.faults.clear();
    const rerun = await restart(world).products.run();
    expect(rerun.adopted).toBe(1);
    expect(listingsOf(world.sandboxes, 'tiktok', mug)).toHaveLength(1);
    await expectCatalogConverged(world);
  });
});

describe('orders and stock converge after a fault at any step', () => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld();
    await startProcess(world).products.run();
  });

  /**
   * One day of the shop: buyers order and cancel, then a process that meets the fault handles the
   * webhooks, polls Shopee and pushes stock. Returns whether the fault happened, and what the
   * process did (for the failure message).
   */
  async function faultyDay(fault: ProcessFault, sandboxFault?: SandboxFaultAt) {
    enter(world);
    await refreshExpiringTokens(world);
    await buyersOrder(world);
    const { triggered, trace } = await faultyRun(world, fault, sandboxFault, async (app) => {
      await app.receiveWebhooks();
      await app.orders.poll({ marketplace: 'shopee', accountId: world.sandboxes.accounts.shopee.shopId });
      await app.inventory.idle();
    });
    return {
      triggered,
      note: `${describeFault(fault, sandboxFault)}; the faulty run did: ${trace.join(' → ')}`,
    };
  }

  /**
   * Sweeps a fault over every step of a day. After every second faulty day (so a faulty process may
   * also start from what the one before left), a fresh healthy process does the periodic jobs, and
   * everything must have converged. The world is kept from day to day.
   */
  async function everyStepOfADay(faultAt: (at: number) => [ProcessFault, SandboxFaultAt?]): Promise<number> {
    const notes: string[] = [];
    for (let at = 1; ; at += 1) {
      const { triggered, note } = await faultyDay(...faultAt(at));
      notes.push(note);
      if (triggered && notes.length < 2) continue;
      try {
        const recovery = restart(world);
        await recovery.receiveWebhooks();
        await recovery.catchUp();
        await expectOrdersConverged(world);
      } catch (error) {
        throw new Error(`${notes.join('\nthen ')}\n${String(error)}`);
      }
      notes.length = 0;
      if (!triggered) return at - 1;
    }
  }

  it(
    'the process stopping before any step, then a fresh process on the same store',
    async () => {
      const steps = await everyStepOfADay((at) => [{ kind: 'stop', at }]);
      expect(steps).toBeGreaterThan(20);
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'a store write that throws, at every write',
    async () => {
      const writes = await everyStepOfADay((at) => [{ kind: 'store-write', at }]);
      expect(writes).toBeGreaterThan(15);
    },
    SWEEP_TIMEOUT_MS,
  );

  for (const { name, fault, methods } of SANDBOX_FAULTS) {
    it(
      `a marketplace ${name}`,
      async () => {
        const calls = await everyStepOfADay((at) => [
          { kind: 'none' },
          { at, fault, ...(methods ? { methods } : {}) },
        ]);
        expect(calls).toBeGreaterThan(0);
      },
      SWEEP_TIMEOUT_MS,
    );
  }
});
