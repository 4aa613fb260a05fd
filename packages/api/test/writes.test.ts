import type { Order } from '@mlh/core';
import { createMemoryActivityStore, OrderSync, type SyncTimers } from '@mlh/sync';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareListing, publishedListings } from '../../sync/test/sandbox-setup';
import { type ApiEvent, createMemoryEventBus } from '../src/index';
import { createWorld, type World } from './world';

/**
 * The catalog writes, publishing and order cancellation, end to end: the real adapters against the
 * three sandboxes behind the API, every request through `app.request()` and the whole middleware
 * chain.
 */

const IDLE_TIMERS: SyncTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let world: World;
beforeEach(async () => {
  world = await createWorld(server);
});

/** The API with publishing shaped per marketplace, as the application's ProductSync is. */
function api(overrides: Parameters<World['api']>[0] = {}) {
  return world.api({ productSync: { prepare: prepareListing, timers: IDLE_TIMERS }, ...overrides });
}

/** A fresh idempotency key per request unless a test reuses one on purpose. */
const freshKey = () => `test-${crypto.randomUUID()}`;
function write(
  app: ReturnType<World['api']>,
  method: string,
  path: string,
  body: unknown,
  options: { key?: string; idempotencyKey?: string } = {},
) {
  return app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${options.key ?? world.keys.operator}`,
      'content-type': 'application/json',
      'idempotency-key': options.idempotencyKey ?? freshKey(),
    },
    body: JSON.stringify(body),
  });
}

const LAMP = {
  sku: 'LAMP',
  title: 'Desk lamp with a linen shade',
  description: 'E27 socket, 1.5 m cable.',
  images: ['https://cdn.example.com/lamp.jpg'],
  price: { amount: '89.90', currency: 'BRL' },
  quantity: 5,
};

describe('POST /products', () => {
  it('creates a catalog product, normalized, with its stock line and no listing yet', async () => {
    const response = await write(api(), 'POST', '/products', LAMP);
    expect(response.status).toBe(201);
    const body = (await response.json()) as { product: Record<string, unknown>; listings: unknown[] };
    expect(body.product).toMatchObject({ sku: 'LAMP', variants: [{ sku: 'LAMP', quantity: 5 }] });
    expect(body.listings).toEqual([]);
    const read = await api().request('/inventory/LAMP', {
      headers: { authorization: `Bearer ${world.keys.read}` },
    });
    expect(await read.json()).toMatchObject({ sku: 'LAMP', quantity: 5 });
  });

  it('names every bad field and stores nothing', async () => {
    const response = await write(api(), 'POST', '/products', {
      ...LAMP,
      title: '',
      price: { amount: '8,90', currency: 'BRL' },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { kind: string; issues: Array<{ path: string }> };
    expect(problem.kind).toBe('validation');
    expect(problem.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['title', expect.stringMatching(/^price/)]),
    );
    expect(await world.store.getProducts(['LAMP'])).toEqual([]);
  });

  it('answers 409 for a SKU in the catalog, and replays a retry of the same request', async () => {
    const app = api();
    const first = await write(app, 'POST', '/products', LAMP, { idempotencyKey: 'lamp-1' });
    const retry = await write(app, 'POST', '/products', LAMP, { idempotencyKey: 'lamp-1' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(await first.text());
    const duplicate = await write(app, 'POST', '/products', { ...LAMP, title: 'Another lamp' });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({
      kind: 'conflict',
      code: 'product_exists',
      retryable: false,
    });
    const [stored] = await world.store.getProducts(['LAMP']);
    expect(stored?.title).toBe(LAMP.title);
  });

  it('creates a SKU once when two creates with different keys run at once', async () => {
    const app = api();
    const answers = await Promise.all([
      write(app, 'POST', '/products', LAMP),
      write(app, 'POST', '/products', { ...LAMP, title: 'Another lamp' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const created = answers.find((answer) => answer.status === 201)!;
    const { product } = (await created.json()) as { product: { title: string } };
    expect((await world.store.getProducts(['LAMP']))[0]?.title).toBe(product.title);
  });

  it('needs the operator scope and an idempotency key', async () => {
    const shopee = world.sandboxes.accounts.shopee.shopId;
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/products', LAMP],
      ['PUT', '/products/CAP', { ...LAMP, sku: 'CAP' }],
      ['POST', '/products/CAP/publish', { targets: [{ marketplace: 'shopee', accountId: shopee }] }],
      ['POST', `/orders/shopee/${shopee}/${world.orders[1]!.orderId}/cancellation`, {}],
    ];
    for (const [method, path, body] of writes) {
      const refused = await write(api(), method, path, body, { key: world.keys.read });
      expect([path, refused.status]).toEqual([path, 403]);
    }
    expect(await world.store.getProducts(['LAMP'])).toEqual([]);
    const app = api();
    const response = await app.request('/products', {
      method: 'POST',
      headers: { authorization: `Bearer ${world.keys.operator}`, 'content-type': 'application/json' },
      body: JSON.stringify(LAMP),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'missing_idempotency_key' });
  });
});

describe('PUT /products/{sku}', () => {
  it('replaces the product, leaving its stock to /inventory', async () => {
    const response = await write(api(), 'PUT', '/products/CAP', {
      sku: 'CAP',
      title: 'Baseball cap, washed cotton',
      price: { amount: '54.00', currency: 'BRL' },
      quantity: 99,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { product: { title: string }; listings: unknown[] };
    expect(body.product.title).toBe('Baseball cap, washed cotton');
    expect(body.listings).toHaveLength(3);
    const [level] = await world.store.getStock(['CAP']);
    expect(level?.quantity).not.toBe(99);
  });

  it('refuses a body of another SKU (400 naming sku) and an unknown SKU (404)', async () => {
    const mismatch = await write(api(), 'PUT', '/products/CAP', LAMP);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ issues: [{ path: 'sku', code: 'sku_mismatch' }] });
    const unknown = await write(api(), 'PUT', '/products/LAMP', LAMP);
    expect(unknown.status).toBe(404);
  });
});

describe('POST /products/{sku}/publish', () => {
  const TARGETS = () => [
    { marketplace: 'meli', accountId: world.sandboxes.accounts.meli.sellerId },
    { marketplace: 'shopee', accountId: world.sandboxes.accounts.shopee.shopId },
  ];
  const lampListings = (marketplace: 'meli' | 'shopee' | 'tiktok') =>
    publishedListings(world.sandboxes, marketplace).filter((listing) => listing.skus.has('LAMP'));

  it('lists the product on the named accounts only, and says where', async () => {
    const app = api();
    await write(app, 'POST', '/products', LAMP);
    const response = await write(app, 'POST', '/products/LAMP/publish', { targets: TARGETS() });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      results: Array<{ marketplace: string; status: string; productExternalId?: string }>;
    };
    expect(body.results.map((result) => [result.marketplace, result.status])).toEqual([
      ['meli', 'published'],
      ['shopee', 'published'],
    ]);
    expect(lampListings('meli').map((listing) => listing.id)).toEqual([body.results[0]?.productExternalId]);
    expect(lampListings('shopee').map((listing) => listing.id)).toEqual([body.results[1]?.productExternalId]);
    expect(lampListings('tiktok')).toEqual([]);
  });

  it('creates each listing once when the publish is retried or runs twice at once', async () => {
    const app = api();
    await write(app, 'POST', '/products', LAMP);
    const [first, second] = await Promise.all([
      write(app, 'POST', '/products/LAMP/publish', { targets: TARGETS() }),
      write(app, 'POST', '/products/LAMP/publish', { targets: TARGETS() }),
    ]);
    expect([first?.status, second?.status]).toEqual([200, 200]);
    // The run that lost the race for a listing says so: its create is in flight elsewhere.
    type Results = { results: Array<{ status: string; stage?: string; retryable?: boolean }> };
    const answers = [(await first!.json()) as Results, (await second!.json()) as Results];
    for (const target of [0, 1]) {
      const outcomes = answers.map((answer) => answer.results[target]!);
      expect(outcomes.some((outcome) => outcome.status === 'published')).toBe(true);
      for (const outcome of outcomes.filter((candidate) => candidate.status === 'failed'))
        expect(outcome).toMatchObject({ stage: 'create', retryable: true });
    }
    // Another process's retry, without the first idempotency key: the store's listings decide.
    const again = await write(api(), 'POST', '/products/LAMP/publish', { targets: TARGETS() });
    const results = ((await again.json()) as { results: Array<{ status: string }> }).results;
    expect(results.map((result) => result.status)).toEqual(['published', 'published']);
    expect(lampListings('meli')).toHaveLength(1);
    expect(lampListings('shopee')).toHaveLength(1);
  });

  it("reports a marketplace's refusal as a failed target, with its reason", async () => {
    const app = api({ productSync: { timers: IDLE_TIMERS } }); // no category: Mercado Livre refuses
    await write(app, 'POST', '/products', LAMP);
    const response = await write(app, 'POST', '/products/LAMP/publish', {
      targets: [{ marketplace: 'meli', accountId: world.sandboxes.accounts.meli.sellerId }],
    });
    expect(response.status).toBe(200);
    const [result] = ((await response.json()) as { results: Array<Record<string, unknown>> }).results;
    expect(result).toMatchObject({ marketplace: 'meli', status: 'failed' });
    expect(typeof result?.error).toBe('string');
    expect(lampListings('meli')).toEqual([]);
  });

  it('keeps the run in the activity history, with its failure listed', async () => {
    const activity = createMemoryActivityStore();
    const app = api({ activity, productSync: { timers: IDLE_TIMERS } }); // no category: Mercado Livre refuses
    await write(app, 'POST', '/products', LAMP);
    const meli = world.sandboxes.accounts.meli.sellerId;
    await write(app, 'POST', '/products/LAMP/publish', {
      targets: [{ marketplace: 'meli', accountId: meli }],
    });
    const read = async (path: string) =>
      (await app.request(path, { headers: { authorization: `Bearer ${world.keys.read}` } })).json();
    const runs = (await read('/sync/runs?kind=products')) as {
      items: Array<{ status: string; failed: number }>;
    };
    expect(runs.items[0]).toMatchObject({ failed: 1 });
    const failures = (await read('/sync/failures?status=open')) as {
      items: Array<{ marketplace: string; sku?: string }>;
    };
    expect(failures.items).toContainEqual(expect.objectContaining({ marketplace: 'meli', sku: 'LAMP' }));
  });

  it('refuses a target without a client (400 naming it) and an unknown SKU (404)', async () => {
    const response = await write(api(), 'POST', '/products/CAP/publish', {
      targets: [{ marketplace: 'meli', accountId: '999' }],
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path: 'targets.0', code: 'no_client' }] });
    const repeated = await write(api(), 'POST', '/products/CAP/publish', {
      targets: [...TARGETS(), TARGETS()[0]],
    });
    expect(repeated.status).toBe(400);
    expect((await write(api(), 'POST', '/products/LAMP/publish', { targets: TARGETS() })).status).toBe(404);
  });
});

describe('live events of the writes', () => {
  it('publishes each write under its name, and the publish run as it goes', async () => {
    const bus = createMemoryEventBus();
    const events: ApiEvent[] = [];
    bus.subscribe((event) => events.push(event));
    const app = api({ events: bus });
    await write(app, 'POST', '/products', LAMP);
    await write(app, 'PUT', '/products/LAMP', { ...LAMP, title: 'Desk lamp' });
    const shopee = world.sandboxes.accounts.shopee.shopId;
    await write(app, 'POST', '/products/LAMP/publish', {
      targets: [{ marketplace: 'shopee', accountId: shopee }],
    });
    const types = events.map((event) => event.type);
    expect(types.filter((type) => !type.startsWith('sync.') && type !== 'stock.pushed')).toEqual([
      'product.created',
      'product.updated',
      'product.published',
    ]);
    expect(types).toEqual(expect.arrayContaining(['sync.started', 'sync.finished']));
    expect(events.find((event) => event.type === 'product.published')?.data).toMatchObject({
      sku: 'LAMP',
      results: [{ marketplace: 'shopee', status: 'published' }],
    });
  });
});

describe('the OpenAPI document of the writes', () => {
  it('has the bodies from the schemas that parse them, and 201 for a create', async () => {
    type Operation = {
      requestBody: { content: { 'application/json': { schema: { required?: string[] } } } };
      responses: Record<string, { description: string }>;
    };
    const document = (await (await api().request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const create = document.paths['/products']!.post!;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['sku', 'title']),
    );
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '409']));
    expect(create.responses['409']!.description).toMatch(/product_exists/);
    const publish = document.paths['/products/{sku}/publish']!.post!;
    expect(publish.requestBody.content['application/json'].schema.required).toEqual(['targets']);
    expect(document.paths['/products/{sku}']!.put).toBeDefined();
    expect(document.paths['/orders/{marketplace}/{accountId}/{externalId}/cancellation']!.post).toBeDefined();
  });
});

describe('POST /orders/{marketplace}/{accountId}/{externalId}/cancellation', () => {
  function orderSync() {
    return new OrderSync({
      store: world.store,
      clients: world.adapters.clients,
      inventory: world.inventory,
      clock: () => world.sandboxes.clock.now(),
      timers: IDLE_TIMERS,
    });
  }
  const shopeeOrderPath = () =>
    `/orders/shopee/${world.sandboxes.accounts.shopee.shopId}/${world.orders[1]!.orderId}/cancellation`;

  it('cancels on the marketplace and stores the cancelled order, its stock released', async () => {
    const [before] = await world.store.getStock(['CAP']);
    const app = api({ orderSync: orderSync() });
    const response = await write(app, 'POST', shopeeOrderPath(), { reason: 'OUT_OF_STOCK' });
    expect(response.status).toBe(200);
    const order = (await response.json()) as Order;
    expect(order.status).toBe('cancelled');
    const stored = await world.store.getOrder({
      marketplace: 'shopee',
      accountId: world.sandboxes.accounts.shopee.shopId,
      externalId: world.orders[1]!.orderId,
    });
    expect(stored?.order.status).toBe('cancelled');
    const [after] = await world.store.getStock(['CAP']);
    expect(after!.quantity).toBe(before!.quantity + 2);
  });

  it('publishes order.cancelled', async () => {
    const bus = createMemoryEventBus();
    const events: ApiEvent[] = [];
    bus.subscribe((event) => events.push(event));
    await write(api({ orderSync: orderSync(), events: bus }), 'POST', shopeeOrderPath(), {});
    expect(events.filter((event) => event.type === 'order.cancelled')).toEqual([
      {
        type: 'order.cancelled',
        data: {
          marketplace: 'shopee',
          accountId: world.sandboxes.accounts.shopee.shopId,
          orderId: world.orders[1]!.orderId,
          status: 'cancelled',
        },
      },
    ]);
  });

  it('is idempotent: a retry with the key is replayed, one with another key finds the order cancelled', async () => {
    const app = api({ orderSync: orderSync() });
    const first = await write(app, 'POST', shopeeOrderPath(), {}, { idempotencyKey: 'cancel-1' });
    const replay = await write(app, 'POST', shopeeOrderPath(), {}, { idempotencyKey: 'cancel-1' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).toBe(await first.text());
    const [level] = await world.store.getStock(['CAP']);
    const other = await write(api({ orderSync: orderSync() }), 'POST', shopeeOrderPath(), {});
    expect(other.status).toBe(200);
    expect(((await other.json()) as Order).status).toBe('cancelled');
    expect((await world.store.getStock(['CAP']))[0]?.quantity).toBe(level?.quantity);
  });

  it('answers 409 where the marketplace does not let the seller cancel (Mercado Livre)', async () => {
    const path = `/orders/meli/${world.sandboxes.accounts.meli.sellerId}/${world.orders[0]!.orderId}/cancellation`;
    const response = await write(api(), 'POST', path, {});
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      kind: 'conflict',
      code: 'cancellation_not_supported',
      marketplace: 'meli',
      retryable: false,
    });
  });

  it('answers 404 for an order it does not store', async () => {
    const path = `/orders/shopee/${world.sandboxes.accounts.shopee.shopId}/260101NOPE/cancellation`;
    expect((await write(api(), 'POST', path, {})).status).toBe(404);
  });
});
