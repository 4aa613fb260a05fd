import type { Order } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishedSku } from '../../sync/test/sandbox-setup';
import { createWorld, type World } from './world';

/**
 * The read resources and the stock set, end to end: the real adapters against the three sandboxes
 * filled the sync store; the API answers from it through `app.request()` (a real `Request` and
 * `Response` through the whole middleware chain).
 */

/** A carrier the TikTok Shop sandbox offers by default (Royal Mail, DPD, Evri). */
const CARRIER = 'DPD';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let world: World;
beforeEach(async () => {
  world = await createWorld(server);
});

function get(path: string, key = world.keys.read) {
  return world.api().request(path, { headers: { authorization: `Bearer ${key}` } });
}

describe('accounts', () => {
  it('lists every account with its token health and never a token', async () => {
    const response = await get('/accounts');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Array<Record<string, unknown>> };
    expect(body.items.map((account) => account.marketplace)).toEqual(['meli', 'shopee', 'tiktok']);
    for (const account of body.items) {
      expect(account).toMatchObject({ health: 'healthy', reauthorizationRequired: false });
      expect(typeof account.accessTokenExpiresAt).toBe('string');
    }
    const text = JSON.stringify(body);
    for (const account of world.accounts) {
      const tokens = await world.tokenStore.get(account.marketplace, account.accountId);
      expect(text).not.toContain(tokens!.accessToken);
      expect(text).not.toContain(tokens!.refreshToken!);
    }
  });

  it('says when the seller must authorize again', async () => {
    const [meli] = world.accounts;
    const stored = await world.tokenStore.get(meli!.marketplace, meli!.accountId);
    await world.tokenStore.set({ ...stored!, reauthorizationRequired: true });
    const body = (await (await get(`/accounts/meli/${meli!.accountId}`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ health: 'reauthorization_required', reauthorizationRequired: true });
  });

  it('tells a token that the next call refreshes from one that cannot be refreshed', async () => {
    const [meli, shopee] = world.accounts;
    const now = world.sandboxes.clock.now();
    const meliTokens = await world.tokenStore.get(meli!.marketplace, meli!.accountId);
    await world.tokenStore.set({ ...meliTokens!, expiresAt: now - 1 });
    const shopeeTokens = await world.tokenStore.get(shopee!.marketplace, shopee!.accountId);
    await world.tokenStore.set({ ...shopeeTokens!, expiresAt: now - 1, refreshExpiresAt: now - 1 });
    const body = (await (await get('/accounts')).json()) as { items: Array<{ health: string }> };
    expect(body.items.map((account) => account.health)).toEqual([
      'refresh_due',
      'reauthorization_required',
      'healthy',
    ]);
  });

  it('disconnects an account with the operator scope: its tokens are gone', async () => {
    const tiktok = world.accounts[2]!;
    const response = await world.api().request(`/accounts/tiktok/${tiktok.accountId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${world.keys.operator}` },
    });
    expect(response.status).toBe(204);
    expect(await world.tokenStore.get('tiktok', tiktok.accountId)).toBeUndefined();
    const body = (await (await get(`/accounts/tiktok/${tiktok.accountId}`)).json()) as Record<
      string,
      unknown
    >;
    expect(body.health).toBe('disconnected');
  });

  it('answers 404 for an account the API does not serve', async () => {
    const response = await get('/accounts/meli/999');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { kind: string }).kind).toBe('not_found');
  });
});

describe('products', () => {
  it('lists the catalog with each product listed on the three marketplaces', async () => {
    const response = await get('/products');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      items: Array<{
        product: { sku: string; variants: unknown[] };
        listings: Array<Record<string, unknown>>;
      }>;
      nextCursor?: string;
    };
    expect(body.items.map((item) => item.product.sku)).toEqual(['CAP', 'MUG']);
    expect(body.nextCursor).toBeUndefined();
    for (const item of body.items) {
      expect(item.listings.map((listing) => listing.marketplace)).toEqual(['meli', 'shopee', 'tiktok']);
      for (const listing of item.listings) {
        expect(listing.state).toBe('active');
        expect(typeof listing.productExternalId).toBe('string');
      }
    }
    expect(body.items[1]!.product.variants).toHaveLength(2);
  });

  it('pages with a cursor', async () => {
    const first = (await (await get('/products?limit=1')).json()) as {
      items: Array<{ product: { sku: string } }>;
      nextCursor: string;
    };
    expect(first.items.map((item) => item.product.sku)).toEqual(['CAP']);
    const second = (await (await get(`/products?limit=1&cursor=${first.nextCursor}`)).json()) as {
      items: Array<{ product: { sku: string } }>;
      nextCursor?: string;
    };
    expect(second.items.map((item) => item.product.sku)).toEqual(['MUG']);
    const third = (await (await get(`/products?limit=1&cursor=${second.nextCursor ?? ''}`)).json()) as {
      items: unknown[];
    };
    expect(second.nextCursor === undefined || third.items.length === 0).toBe(true);
  });

  it('gets one product and answers 404 for an unknown SKU', async () => {
    const body = (await (await get('/products/CAP')).json()) as { product: { title: string } };
    expect(body.product.title).toBe('Baseball cap');
    expect((await get('/products/NOPE')).status).toBe(404);
  });

  it('refuses a bad page size and a forged cursor, naming the parameter', async () => {
    const tooBig = await get('/products?limit=101');
    expect(tooBig.status).toBe(400);
    expect(tooBig.headers.get('content-type')).toBe('application/problem+json');
    expect(((await tooBig.json()) as { issues: Array<{ path: string }> }).issues[0]!.path).toBe('limit');
    const forged = await get('/products?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { issues: Array<{ path: string }> }).issues[0]!.path).toBe('cursor');
  });
});

describe('orders', () => {
  async function listAll(query: string, limit: number): Promise<Order[]> {
    const orders: Order[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const response = await get(`/orders?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: Order[]; nextCursor?: string };
      orders.push(...body.items);
      cursor = body.nextCursor;
      if (cursor === undefined) return orders;
    }
    throw new Error('paging did not end');
  }

  it('lists the orders of the three marketplaces in one listing', async () => {
    const orders = await listAll('', 50);
    expect(orders.map((order) => [order.marketplace, order.externalId])).toEqual(
      world.orders.map((order) => [order.marketplace, order.orderId]),
    );
    expect(orders.every((order) => order.status === 'paid')).toBe(true);
  });

  it('pages one order at a time across the accounts without losing or repeating one', async () => {
    const orders = await listAll('', 1);
    expect(orders.map((order) => order.externalId)).toEqual(world.orders.map((order) => order.orderId));
  });

  it('filters by marketplace, account, status and creation time', async () => {
    expect((await listAll('&marketplace=shopee', 50)).map((order) => order.marketplace)).toEqual(['shopee']);
    const tiktok = world.accounts[2]!;
    expect((await listAll(`&accountId=${tiktok.accountId}`, 50)).map((order) => order.marketplace)).toEqual([
      'tiktok',
    ]);
    expect(await listAll('&status=shipped,cancelled', 50)).toEqual([]);
    expect(await listAll('&status=paid', 50)).toHaveLength(3);
    const now = new Date(world.sandboxes.clock.now());
    expect(
      await listAll(`&createdFrom=${encodeURIComponent(new Date(now.getTime() + 60_000).toISOString())}`, 50),
    ).toEqual([]);
    expect(
      await listAll(`&createdTo=${encodeURIComponent(new Date(now.getTime() + 60_000).toISOString())}`, 50),
    ).toHaveLength(3);
  });

  it('reads at most 1000 stored orders per request: a filter that matches none pages on to the end', async () => {
    const account = world.accounts[1]!;
    const [stored] = (await world.store.listOrders({ ...account, limit: 1 })).items;
    for (let index = 0; index < 1_050; index++) {
      const externalId = `9${String(index).padStart(6, '0')}`;
      await world.store.upsertOrder({
        order: { ...stored!.order, externalId },
        contentHash: externalId,
        movements: [],
        now: world.sandboxes.clock.now(),
      });
    }
    const first = (await (await get('/orders?status=cancelled&marketplace=shopee')).json()) as {
      items: unknown[];
      nextCursor?: string;
    };
    expect(first.items).toEqual([]);
    expect(typeof first.nextCursor).toBe('string');
    const second = (await (
      await get(`/orders?status=cancelled&marketplace=shopee&cursor=${first.nextCursor}`)
    ).json()) as {
      items: unknown[];
      nextCursor?: string;
    };
    expect(second).toEqual({ items: [] });
    expect(await listAll('&marketplace=shopee', 100)).toHaveLength(1_051);
  });

  it('refuses an unknown status and marketplace', async () => {
    const response = await get('/orders?status=lost&marketplace=amazon');
    expect(response.status).toBe(400);
    const paths = ((await response.json()) as { issues: Array<{ path: string }> }).issues.map(
      (issue) => issue.path,
    );
    expect(paths.sort()).toEqual(['marketplace', 'status']);
  });

  it('gets one order in the core model with exact money', async () => {
    const placed = world.orders[1]!;
    const account = world.accounts[1]!;
    const response = await get(`/orders/shopee/${account.accountId}/${placed.orderId}`);
    expect(response.status).toBe(200);
    const order = (await response.json()) as Order;
    expect(order).toMatchObject({ marketplace: 'shopee', externalId: placed.orderId, status: 'paid' });
    expect(typeof order.total.amount).toBe('string');
    expect((await get(`/orders/shopee/${account.accountId}/000`)).status).toBe(404);
  });
});

describe('inventory', () => {
  function setStock(sku: string, quantity: number, idempotencyKey: string) {
    return world.api().request(`/inventory/${sku}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${world.keys.operator}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify({ quantity }),
    });
  }

  it('shows a SKU stock synced on every listing after the orders', async () => {
    const body = (await (await get('/inventory/CAP')).json()) as {
      quantity: number;
      listings: Array<{ marketplace: string; state: string; pushedQuantity: number }>;
    };
    expect(body.quantity).toBe(6);
    expect(
      body.listings.map((listing) => [listing.marketplace, listing.state, listing.pushedQuantity]),
    ).toEqual([
      ['meli', 'synced', 6],
      ['shopee', 'synced', 6],
      ['tiktok', 'synced', 6],
    ]);
  });

  it('reads many SKUs in one call, in the order asked, the same levels as one by one', async () => {
    const many = (await (await get('/inventory?sku=CAP,NOT-A-SKU,MUG-RED,CAP')).json()) as {
      items: Array<{ sku: string }>;
    };
    expect(many.items.map((level) => level.sku)).toEqual(['CAP', 'MUG-RED']);
    expect(many.items[0]).toEqual(await (await get('/inventory/CAP')).json());
    const tooMany = Array.from({ length: 101 }, (_, index) => `SKU-${index}`).join(',');
    for (const query of ['', '?sku=', `?sku=${tooMany}`, '?sku=CAP,,MUG-RED']) {
      const refused = await get(`/inventory${query}`);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { issues: Array<{ path: string }> }).issues[0]?.path).toMatch(/^sku/);
    }
  });

  it('sets a stock count once and it reaches the three marketplaces', async () => {
    const response = await setStock('CAP', 40, 'count-2026-01-05');
    expect(response.status).toBe(200);
    const set = (await response.json()) as {
      applied: boolean;
      level: { quantity: number; listings: Array<{ state: string }> };
    };
    expect(set.applied).toBe(true);
    expect(set.level.quantity).toBe(40);
    expect(set.level.listings.map((listing) => listing.state)).toEqual(['pending', 'pending', 'pending']);

    await world.inventory.idle();
    const after = (await (await get('/inventory/CAP')).json()) as {
      listings: Array<{ state: string; pushedQuantity: number }>;
    };
    expect(after.listings.map((listing) => [listing.state, listing.pushedQuantity])).toEqual([
      ['synced', 40],
      ['synced', 40],
      ['synced', 40],
    ]);
    expect(
      world.sandboxes.shopee
        .listItems(Number(world.sandboxes.accounts.shopee.shopId))
        .find((item) => item.sku === 'CAP')?.stock,
    ).toBe(40);
  });

  it('reports a marketplace whose stock drifted, and repairs it only when asked', async () => {
    const api = world.api();
    const reconcile = (repair: boolean, idempotencyKey: string) =>
      api.request('/inventory/reconcile', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${world.keys.operator}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({ repair }),
      });
    const { sku: published } = publishedSku(world.sandboxes, 'tiktok', 'CAP');
    // Someone changed the stock in TikTok Shop's seller center.
    world.sandboxes.tiktok.setStock(published.variantId, 2);
    const report = (await (await reconcile(false, 'drift-1')).json()) as {
      checked: number;
      drift: Array<Record<string, unknown>>;
    };
    expect(report.checked).toBeGreaterThan(0);
    expect(report.drift).toEqual([
      expect.objectContaining({
        marketplace: 'tiktok',
        variantSku: 'CAP',
        marketplaceQuantity: 2,
        expectedQuantity: 6,
        repaired: false,
      }),
    ]);
    expect(world.sandboxes.tiktok.stockOf(published.variantId)).toBe(2);
    const repaired = (await (await reconcile(true, 'drift-2')).json()) as {
      drift: Array<{ repaired: boolean }>;
    };
    expect(repaired.drift.map((drift) => drift.repaired)).toEqual([true]);
    expect(world.sandboxes.tiktok.stockOf(published.variantId)).toBe(6);
  });

  it('refuses an unknown SKU and a negative count', async () => {
    expect((await setStock('NOPE', 1, 'k-1')).status).toBe(404);
    const negative = await setStock('CAP', -1, 'k-2');
    expect(negative.status).toBe(400);
    expect(((await negative.json()) as { issues: Array<{ path: string }> }).issues[0]!.path).toBe('quantity');
  });
});

describe('fulfilment', () => {
  // One app, as in one process: its idempotency store answers the retries.
  let api: ReturnType<World['api']>;
  beforeEach(() => {
    api = world.api();
  });

  function fulfil(path: string, body: unknown, idempotencyKey: string) {
    return api.request(path, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${world.keys.operator}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
    });
  }

  it('ships a TikTok Shop order with its tracking number, once, however often the client retries', async () => {
    const placed = world.orders[2]!;
    const path = `/orders/tiktok/${world.accounts[2]!.accountId}/${placed.orderId}/fulfillment`;
    const body = { carrier: CARRIER, trackingNumber: 'AA123456785BR' };
    const first = await fulfil(path, body, 'ship-1');
    expect(first.status).toBe(200);
    const shipment = (await first.json()) as {
      marketplace: string;
      trackingNumber: string;
      orderIds: string[];
    };
    expect(shipment).toMatchObject({ marketplace: 'tiktok', trackingNumber: 'AA123456785BR' });
    const calls = world.sandboxes.tiktok.stats().requests;
    const retry = await fulfil(path, body, 'ship-1');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(world.sandboxes.tiktok.stats().requests).toBe(calls);
    const [pkg] = world.sandboxes.tiktok.listPackages({ orderId: placed.orderId });
    expect(pkg?.trackingNumber).toBe('AA123456785BR');
  });

  it('answers a marketplace refusal as a problem with the SDK error kind and the marketplace', async () => {
    const placed = world.orders[2]!;
    const path = `/orders/tiktok/${world.accounts[2]!.accountId}/${placed.orderId}/fulfillment`;
    await fulfil(path, { carrier: CARRIER, trackingNumber: 'AA123456785BR' }, 'ship-2');
    // Shipping the same package again under a new key: the marketplace refuses it.
    const again = await fulfil(path, { carrier: CARRIER, trackingNumber: 'AA123456785BR' }, 'ship-3');
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await again.json()) as Record<string, unknown>;
    expect(problem.marketplace).toBe('tiktok');
    expect(typeof problem.kind).toBe('string');
    expect(JSON.stringify(problem)).not.toMatch(/access_token|app_secret/i);
  });

  it('refuses an unknown carrier with the marketplace named and the field in issues', async () => {
    const placed = world.orders[2]!;
    const path = `/orders/tiktok/${world.accounts[2]!.accountId}/${placed.orderId}/fulfillment`;
    const response = await fulfil(path, { carrier: 'Correios', trackingNumber: 'AA123456785BR' }, 'ship-5');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      kind: 'validation',
      marketplace: 'tiktok',
      issues: [expect.objectContaining({ path: 'carrier' })],
    });
  });

  it('answers 404 for an order the store does not hold, without calling the marketplace', async () => {
    const calls = world.sandboxes.tiktok.stats().requests;
    const response = await fulfil(
      `/orders/tiktok/${world.accounts[2]!.accountId}/123/fulfillment`,
      {},
      'ship-4',
    );
    expect(response.status).toBe(404);
    expect(world.sandboxes.tiktok.stats().requests).toBe(calls);
  });
});
