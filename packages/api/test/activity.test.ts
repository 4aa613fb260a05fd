import {
  type ActivityStore,
  createMemoryActivityStore,
  OrderSync,
  ProductSync,
  recordSyncActivity,
  type SyncActivityRecorder,
  type SyncTimers,
} from '@mlh/sync';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareListing } from '../../sync/test/sandbox-setup';
import { createMemoryIdempotencyStore, type MlhApi, RUN_ABANDONED_AFTER_MS } from '../src/index';
import { ACTIVITY_OPERATIONS, OPERATIONS, RECONCILE_OPERATIONS } from '../src/openapi';
import type { ApiOptions } from '../src/options';
import { describedOperations, servedOperations } from './served';
import { createWorld, type World } from './world';

/**
 * The sync activity routes end to end: orchestrators over the sandboxes, their events recorded by
 * `recordSyncActivity` into a memory activity store, runs started through the API.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const IDLE_TIMERS: SyncTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

interface Setup {
  world: World;
  activity: ActivityStore;
  products: ProductSync;
  orders: OrderSync;
  api: MlhApi;
  /** An API over the same world and activity store, as another process would serve it. */
  apiWith(overrides: Partial<ApiOptions>): MlhApi;
  /** Waits for every run started through the API and every event written. */
  settle(): Promise<void>;
}

let setup: Setup;

beforeEach(async () => {
  const world = await createWorld(server);
  const activity = createMemoryActivityStore();
  const runtime = { clock: () => world.sandboxes.clock.now(), timers: IDLE_TIMERS };
  const products = new ProductSync({
    store: world.store,
    clients: world.adapters.clients,
    prepare: prepareListing,
    ...runtime,
  });
  const orders = new OrderSync({
    store: world.store,
    clients: world.adapters.clients,
    inventory: world.inventory,
    ...runtime,
  });
  const recorders: SyncActivityRecorder[] = [products, orders, world.inventory].map((emitter) =>
    recordSyncActivity(emitter, activity, { clock: runtime.clock }),
  );
  const runs: Promise<void>[] = [];
  const apiWith = (overrides: Partial<ApiOptions>) =>
    world.api({
      activity,
      sync: { products, orders, inventory: world.inventory, background: (run) => runs.push(run) },
      ...overrides,
    });
  setup = {
    world,
    activity,
    products,
    orders,
    api: apiWith({}),
    apiWith,
    settle: async () => {
      while (runs.length > 0) await Promise.all(runs.splice(0));
      for (const recorder of recorders) await recorder.idle();
    },
  };
});

function get(path: string, key = setup.world.keys.read, api = setup.api) {
  return api.request(path, { headers: { authorization: `Bearer ${key}` } });
}

async function getJson<T>(path: string): Promise<T> {
  const response = await get(path);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

function post(
  path: string,
  body: unknown,
  idempotencyKey: string,
  key = setup.world.keys.operator,
  api = setup.api,
) {
  return api.request(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function trigger(body: unknown, idempotencyKey: string): Promise<string> {
  const response = await post('/sync/runs', body, idempotencyKey);
  expect(response.status).toBe(202);
  return ((await response.json()) as { runId: string }).runId;
}

interface RunView {
  id: string;
  kind: string;
  status: string;
  done: number;
  failed: number;
  marketplace?: string;
  accountId?: string;
  failures?: FailureView[];
}
interface FailureView {
  id: string;
  runId: string;
  sku?: string;
  marketplace: string;
  stage: string;
  reason: string;
  resolvedAt?: string;
}
interface AlertView {
  id: string;
  kind: string;
  severity: string;
  marketplace: string;
  sku?: string;
  resolvedAt?: string;
}
interface ProductView {
  listings: Array<{ marketplace: string; lastError?: { stage: string; reason: string; at: string } }>;
}

/** Gives MUG a title Mercado Livre refuses (over 60 characters); the other marketplaces take it. */
async function breakMugTitle() {
  const [mug] = await setup.world.store.getProducts(['MUG']);
  await setup.world.store.upsertProducts([{ ...mug!, title: `Ceramic mug 350 ml ${'x'.repeat(60)}` }]);
  return mug!;
}

describe('a failing listing', () => {
  it('shows up as a failure, an alert and the listing’s lastError; a retry after the fix clears them', async () => {
    const original = await breakMugTitle();
    const runId = await trigger({ kind: 'products' }, 'sync-1');
    // Visible at once, before the run has done anything.
    const running = await getJson<{ items: RunView[] }>('/sync/runs');
    expect(running.items.map((run) => run.id)).toEqual([runId]);
    await setup.settle();

    const run = await getJson<RunView>(`/sync/runs/${runId}`);
    expect(run).toMatchObject({ id: runId, kind: 'products', status: 'partial', failed: 1 });
    expect(run.done).toBeGreaterThan(0);
    expect(run.failures).toEqual([
      expect.objectContaining({
        runId,
        sku: 'MUG',
        marketplace: 'meli',
        stage: 'validate',
        retryable: false,
      }),
    ]);
    const open = await getJson<{ items: FailureView[] }>('/sync/failures?status=open');
    expect(open.items).toEqual([expect.objectContaining({ sku: 'MUG', marketplace: 'meli' })]);
    expect(open.items[0]!.reason).toMatch(/title/);
    const alerts = await getJson<{ items: AlertView[] }>('/alerts');
    expect(alerts.items).toEqual([
      expect.objectContaining({
        kind: 'sync_failure',
        severity: 'critical',
        marketplace: 'meli',
        sku: 'MUG',
      }),
    ]);
    const product = await getJson<ProductView>('/products/MUG');
    const byMarketplace = Object.fromEntries(
      product.listings.map((listing) => [listing.marketplace, listing]),
    );
    expect(byMarketplace.meli!.lastError).toMatchObject({ stage: 'validate', reason: open.items[0]!.reason });
    expect(byMarketplace.shopee!.lastError).toBeUndefined();
    const page = await getJson<{ items: Array<{ product: { sku: string } } & ProductView> }>('/products');
    expect(page.items.find((item) => item.product.sku === 'MUG')!.listings[0]!.lastError).toBeDefined();

    // The same failure in a later run does not open a second alert.
    await trigger({ kind: 'products' }, 'sync-2');
    await setup.settle();
    expect((await getJson<{ items: FailureView[] }>('/sync/failures?status=open')).items).toHaveLength(2);
    expect((await getJson<{ items: AlertView[] }>('/alerts')).items).toHaveLength(1);

    await setup.world.store.upsertProducts([original]);
    const retry = await post(`/sync/failures/${open.items[0]!.id}/retry`, undefined, 'retry-1');
    expect(retry.status).toBe(202);
    const retryRun = ((await retry.json()) as { runId: string }).runId;
    await setup.settle();

    expect(await getJson<RunView>(`/sync/runs/${retryRun}`)).toMatchObject({
      status: 'succeeded',
      failed: 0,
    });
    expect((await getJson<{ items: FailureView[] }>('/sync/failures?status=open')).items).toEqual([]);
    const resolved = await getJson<{ items: FailureView[] }>('/sync/failures?status=resolved');
    expect(resolved.items).toHaveLength(2);
    expect((await getJson<{ items: AlertView[] }>('/alerts')).items).toEqual([]);
    expect((await getJson<{ items: AlertView[] }>('/alerts?status=resolved')).items).toHaveLength(1);
    const fixed = await getJson<ProductView>('/products/MUG');
    expect(fixed.listings.every((listing) => listing.lastError === undefined)).toBe(true);

    // A resolved failure is not retried again.
    const again = await post(`/sync/failures/${open.items[0]!.id}/retry`, undefined, 'retry-2');
    expect(again.status).toBe(409);
  });

  it('an operator resolves a sync alert; it is then listed as resolved', async () => {
    await breakMugTitle();
    await trigger({ kind: 'products' }, 'sync-1');
    await setup.settle();
    const [alert] = (await getJson<{ items: AlertView[] }>('/alerts')).items;
    const response = await post(`/alerts/${alert!.id}/resolve`, undefined, 'resolve-1');
    expect(response.status).toBe(200);
    expect(((await response.json()) as AlertView).resolvedAt).toBeDefined();
    expect((await getJson<{ items: AlertView[] }>('/alerts')).items).toEqual([]);
    expect((await getJson<{ items: AlertView[] }>('/alerts?status=resolved')).items.map((a) => a.id)).toEqual(
      [alert!.id],
    );
    expect((await post('/alerts/nope/resolve', undefined, 'resolve-2')).status).toBe(404);
  });
});

describe('triggering runs', () => {
  it('is refused to a read key', async () => {
    const read = setup.world.keys.read;
    expect((await post('/sync/runs', { kind: 'products' }, 'r-1', read)).status).toBe(403);
    expect((await post('/sync/failures/x/retry', undefined, 'r-2', read)).status).toBe(403);
    expect((await post('/alerts/x/resolve', undefined, 'r-3', read)).status).toBe(403);
    expect((await getJson<{ items: RunView[] }>('/sync/runs')).items).toEqual([]);
  });

  it('starts one run per idempotency key, even through another process with its own idempotency store', async () => {
    const first = await post('/sync/runs', { kind: 'products' }, 'once');
    const replay = await post('/sync/runs', { kind: 'products' }, 'once');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const other = setup.apiWith({ idempotency: createMemoryIdempotencyStore() });
    const elsewhere = await post(
      '/sync/runs',
      { kind: 'products' },
      'once',
      setup.world.keys.operator,
      other,
    );
    expect(elsewhere.status).toBe(202);
    const ids = await Promise.all(
      [first, replay, elsewhere].map(async (r) => ((await r.json()) as RunView & { runId: string }).runId),
    );
    expect(new Set(ids).size).toBe(1);
    await setup.settle();
    const runs = await getJson<{ items: RunView[] }>('/sync/runs');
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]).toMatchObject({ id: ids[0], status: 'succeeded' });
  });

  it('polls one account, and names the missing or unexpected fields', async () => {
    const [meli] = setup.world.accounts;
    const runId = await trigger(
      { kind: 'orders.poll', marketplace: 'meli', accountId: meli!.accountId },
      'poll-1',
    );
    await setup.settle();
    expect(await getJson<RunView>(`/sync/runs/${runId}`)).toMatchObject({
      kind: 'orders.poll',
      marketplace: 'meli',
      accountId: meli!.accountId,
      status: 'succeeded',
    });
    const missing = await post('/sync/runs', { kind: 'orders.poll', marketplace: 'meli' }, 'poll-2');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual(
      ['accountId'],
    );
    const extra = await post('/sync/runs', { kind: 'products', accountId: '1' }, 'poll-3');
    expect(extra.status).toBe(400);
    const unknown = await post(
      '/sync/runs',
      { kind: 'orders.poll', marketplace: 'meli', accountId: '999' },
      'poll-4',
    );
    expect(unknown.status).toBe(404);
  });

  it('answers 404 when that kind of run is not configured', async () => {
    const api = setup.apiWith({ sync: { products: setup.products } });
    const response = await post(
      '/sync/runs',
      { kind: 'inventory.reconcile' },
      'rec-1',
      setup.world.keys.operator,
      api,
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as { kind: string }).kind).toBe('not_found');
  });

  it('records a run that throws as failed, with a failure of its account', async () => {
    const crashing = {
      poll: async () => {
        throw new Error('the order store is unreachable');
      },
    } as unknown as OrderSync;
    const runs: Promise<void>[] = [];
    const api = setup.apiWith({ sync: { orders: crashing, background: (run) => runs.push(run) } });
    const [meli] = setup.world.accounts;
    const response = await post(
      '/sync/runs',
      { kind: 'orders.poll', marketplace: 'meli', accountId: meli!.accountId },
      'crash-1',
      setup.world.keys.operator,
      api,
    );
    expect(response.status).toBe(202);
    const { runId } = (await response.json()) as { runId: string };
    await Promise.all(runs);
    const run = await getJson<RunView>(`/sync/runs/${runId}`);
    expect(run).toMatchObject({ status: 'failed', failed: 1 });
    expect(run.failures).toEqual([
      expect.objectContaining({
        stage: 'run',
        marketplace: 'meli',
        reason: 'Error: the order store is unreachable',
      }),
    ]);
  });

  it('records a reconcile started through the API', async () => {
    const runId = await trigger({ kind: 'inventory.reconcile' }, 'rec-1');
    await setup.settle();
    const run = await getJson<RunView>(`/sync/runs/${runId}`);
    expect(run).toMatchObject({ kind: 'inventory.reconcile', status: 'succeeded', failed: 0 });
    expect(run.done).toBeGreaterThan(0);
  });
});

describe('listings', () => {
  it('pages runs newest first with a cursor, without loss or repeat, and filters them', async () => {
    const started: string[] = [];
    for (const [index, account] of setup.world.accounts.entries()) {
      started.push(
        await trigger(
          { kind: 'orders.poll', marketplace: account.marketplace, accountId: account.accountId },
          `poll-${index}`,
        ),
      );
      await setup.settle();
      setup.world.sandboxes.clock.advance(1000);
    }
    started.push(await trigger({ kind: 'products' }, 'products-1'));
    await setup.settle();

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await getJson<{ items: RunView[]; nextCursor?: string }>(
        `/sync/runs?limit=2${cursor === undefined ? '' : `&cursor=${cursor}`}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((run) => run.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual([...started].reverse());
    const polls = await getJson<{ items: RunView[] }>('/sync/runs?kind=orders.poll&marketplace=shopee');
    expect(polls.items.map((run) => run.id)).toEqual([started[1]]);
    expect((await get('/sync/runs?cursor=not-a-cursor')).status).toBe(400);
    expect((await get('/sync/runs?kind=everything')).status).toBe(400);
  });

  it('shows a run unfinished for longer than runAbandonedAfterMs as abandoned, and a late end as it is', async () => {
    const now = setup.world.sandboxes.clock.now();
    await setup.activity.startRun({ id: 'crashed-worker-run', kind: 'products', startedAt: now });
    const status = async (api: MlhApi) =>
      ((await (await get('/sync/runs/crashed-worker-run', setup.world.keys.read, api)).json()) as RunView)
        .status;
    expect(await status(setup.api)).toBe('running');
    setup.world.sandboxes.clock.advance(RUN_ABANDONED_AFTER_MS + 1_000);
    expect(await status(setup.api)).toBe('abandoned');
    expect(await status(setup.apiWith({ runAbandonedAfterMs: 2 * RUN_ABANDONED_AFTER_MS }))).toBe('running');
    await setup.activity.finishRun(
      { id: 'crashed-worker-run', kind: 'products', startedAt: now },
      { status: 'succeeded', finishedAt: setup.world.sandboxes.clock.now(), done: 3, failed: 0 },
    );
    expect(await status(setup.api)).toBe('succeeded');
  });

  it('pages failures with a cursor', async () => {
    await breakMugTitle();
    for (const key of ['a', 'b', 'c']) {
      await trigger({ kind: 'products' }, key);
      await setup.settle();
    }
    const first = await getJson<{ items: FailureView[]; nextCursor: string }>('/sync/failures?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await getJson<{ items: FailureView[]; nextCursor?: string }>(
      `/sync/failures?limit=2&cursor=${first.nextCursor}`,
    );
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    expect(new Set([...first.items, ...second.items].map((failure) => failure.runId)).size).toBe(3);
  });
});

describe('token alerts', () => {
  it('derives them from token health; they cannot be resolved by hand', async () => {
    const [meli, shopee] = setup.world.accounts;
    const now = setup.world.sandboxes.clock.now();
    const meliTokens = await setup.world.tokenStore.get(meli!.marketplace, meli!.accountId);
    await setup.world.tokenStore.set({ ...meliTokens!, reauthorizationRequired: true });
    const shopeeTokens = await setup.world.tokenStore.get(shopee!.marketplace, shopee!.accountId);
    await setup.world.tokenStore.set({ ...shopeeTokens!, refreshExpiresAt: now + 2 * 86_400_000 });

    const alerts = (await getJson<{ items: AlertView[] }>('/alerts')).items;
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'reauthorization_required',
        severity: 'critical',
        marketplace: 'meli',
      }),
      expect.objectContaining({ kind: 'token_expiring', severity: 'warning', marketplace: 'shopee' }),
    ]);
    const refused = await post(`/alerts/${alerts[0]!.id}/resolve`, undefined, 'token-1');
    expect(refused.status).toBe(409);
    expect((await getJson<{ items: AlertView[] }>('/alerts?status=resolved')).items).toEqual([]);
  });
});

describe('GET /stats', () => {
  it('counts orders per day and marketplace, failures per day and orders today', async () => {
    await breakMugTitle();
    await trigger({ kind: 'products' }, 'sync-1');
    await setup.settle();
    const stats = await getJson<{
      ordersPerDay: Array<{ day: string; marketplace: string; count: number }>;
      failuresPerDay: Array<{ day: string; count: number }>;
      ordersToday: number;
    }>('/stats?days=3');
    const today = new Date(setup.world.sandboxes.clock.now()).toISOString().slice(0, 10);
    expect(stats.failuresPerDay).toHaveLength(3);
    expect(stats.failuresPerDay.at(-1)).toEqual({ day: today, count: 1 });
    expect(stats.ordersPerDay).toHaveLength(9);
    expect(stats.ordersPerDay.filter((entry) => entry.day === today)).toEqual([
      { day: today, marketplace: 'meli', count: 1 },
      { day: today, marketplace: 'shopee', count: 1 },
      { day: today, marketplace: 'tiktok', count: 1 },
    ]);
    expect(stats.ordersToday).toBe(3);
    expect((await get('/stats?days=91')).status).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('describes exactly the routes an app with an activity store serves, 202 for the triggers', async () => {
    const served = servedOperations(setup.api);
    const described = describedOperations(OPERATIONS, RECONCILE_OPERATIONS, ACTIVITY_OPERATIONS);
    expect(served).toEqual(described);
    const document = (await (await setup.api.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(document.paths['/sync/runs']!.post!.responses)).toContain('202');
    expect(document.components.schemas.ListingSummary!.properties!.lastError).toBeDefined();
  });
});
