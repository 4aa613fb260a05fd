import { OrderSync } from '@mlh/sync';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAdminDashboard } from '../src/index';
import { createWorld, type World } from './world';

/**
 * The admin dashboard without a browser: its login, session cookie, CSRF check and pages, through
 * `app.request()` against an API over the sandboxes' world. The journeys in a real browser are in
 * examples/test/admin-browser.test.ts.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const ORIGIN = 'http://admin.test';
const SECRET = 'a-session-secret-of-at-least-32-characters';

let world: World;
let dashboard: ReturnType<typeof createAdminDashboard>;
beforeEach(async () => {
  world = await createWorld(server);
  dashboard = createAdminDashboard({
    api: world.api(),
    sessionSecret: SECRET,
    pollSeconds: 3,
    // The sandboxes' clock: the orders were placed on its days.
    clock: () => world.sandboxes.clock.now(),
  });
});

function request(path: string, init: RequestInit & { cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  return dashboard.request(`${ORIGIN}/admin${path}`, { ...init, headers });
}

function post(path: string, form: Record<string, string>, cookie?: string, origin = ORIGIN) {
  return request(path, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    ...(cookie === undefined ? {} : { cookie }),
  });
}

async function login(key: string): Promise<string> {
  const response = await post('/login', { apiKey: key });
  expect(response.status).toBe(303);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}

describe('admin dashboard: session', () => {
  it('sends a visitor without a session to the login page', async () => {
    const response = await request('/orders');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/login');
  });

  it('keeps the key in an encrypted HttpOnly SameSite=Strict cookie, never in clear', async () => {
    const response = await post('/login', { apiKey: world.keys.operator });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^mlh_admin_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).not.toContain(world.keys.operator);
    // Five base64url parts: a compact JWE.
    expect(cookie.split(';')[0]!.split('=')[1]!.split('.')).toHaveLength(5);
  });

  it('marks the cookie Secure when served over https', async () => {
    const response = await dashboard.request('https://admin.test/admin/login', {
      method: 'POST',
      headers: { origin: 'https://admin.test', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ apiKey: world.keys.read }).toString(),
    });
    expect(response.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('refuses a key the API does not know', async () => {
    const response = await post('/login', { apiKey: 'mlh_not_a_key' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('The API does not know this key');
  });

  it('is readable by another dashboard process with the same secret, not with another', async () => {
    const cookie = await login(world.keys.read);
    const clock = () => world.sandboxes.clock.now();
    const twin = createAdminDashboard({ api: world.api(), sessionSecret: SECRET, clock });
    expect((await twin.request(`${ORIGIN}/admin/`, { headers: { cookie } })).status).toBe(200);
    const stranger = createAdminDashboard({ api: world.api(), sessionSecret: `${SECRET}-other`, clock });
    expect((await stranger.request(`${ORIGIN}/admin/`, { headers: { cookie } })).status).toBe(303);
  });

  it('logs out', async () => {
    const cookie = await login(world.keys.read);
    const response = await post('/logout', {}, cookie);
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/mlh_admin_session=;/);
  });

  it('refuses a short session secret', () => {
    expect(() => createAdminDashboard({ api: world.api(), sessionSecret: 'short' })).toThrow(/32 characters/);
  });
});

describe('admin dashboard: CSRF', () => {
  it('refuses a POST from another origin or without one, even with a valid session', async () => {
    const cookie = await login(world.keys.operator);
    const forged = await post(
      '/inventory/CAP',
      { quantity: '1', idempotencyKey: 'k1' },
      cookie,
      'https://evil.test',
    );
    expect(forged.status).toBe(403);
    const headless = await request('/inventory/CAP', {
      method: 'POST',
      cookie,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'quantity=1',
    });
    expect(headless.status).toBe(403);
    const [level] = await world.store.getStock(['CAP']);
    expect(level!.quantity).not.toBe(1);
  });
});

describe('admin dashboard: pages', () => {
  it('renders every page with landmarks, labels and a nonce-only script policy', async () => {
    const cookie = await login(world.keys.operator);
    for (const path of ['/', '/accounts', '/catalog', '/inventory', '/orders']) {
      const response = await request(path, { cookie });
      expect(response.status, path).toBe(200);
      const page = await response.text();
      expect(page).toContain('<main id="main"');
      expect(page).toContain('<nav aria-label="Main">');
      const policy = response.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'nonce-([a-f0-9]+)'/.exec(policy)?.[1];
      expect(nonce, path).toBeDefined();
      expect(page).toContain(`<script nonce="${nonce}">`);
    }
  });

  it('shows the orders of the three marketplaces and one order with its timeline', async () => {
    const cookie = await login(world.keys.read);
    const list = await (await request('/orders', { cookie })).text();
    for (const order of world.orders) expect(list).toContain(order.orderId);
    const meli = world.orders[0]!;
    const account = world.accounts.find((entry) => entry.marketplace === 'meli')!;
    const page = await (
      await request(`/orders/meli/${account.accountId}/${meli.orderId}`, { cookie })
    ).text();
    expect(page).toContain('Order placed');
    expect(page).toContain('Paid');
  });

  it('filters the orders by marketplace', async () => {
    const cookie = await login(world.keys.read);
    const page = await (await request('/orders?marketplace=shopee', { cookie })).text();
    expect(page).toContain(world.orders[1]!.orderId);
    expect(page).not.toContain(world.orders[0]!.orderId);
  });

  it('plots the orders per day as an SVG with a title and a description', async () => {
    const cookie = await login(world.keys.read);
    const page = await (await request('/', { cookie })).text();
    expect(page).toMatch(/<svg [^>]*role="img" aria-labelledby="orders-per-day-title orders-per-day-desc"/);
    expect(page).toMatch(
      /<desc id="orders-per-day-desc">Orders created each day per marketplace: Mercado Livre 1, Shopee 1, TikTok Shop 1 in total.<\/desc>/,
    );
  });

  it('answers a live refresh with the page regions, and a 401 without a session', async () => {
    const cookie = await login(world.keys.read);
    const fragment = await request('/orders', { cookie, headers: { 'x-mlh-fragment': '1' } });
    const regions = await fragment.text();
    expect(regions).toContain('data-live="orders"');
    // The regions alone, without the page around them.
    expect(regions).not.toContain('<style');
    expect((await request('/orders', { headers: { 'x-mlh-fragment': '1' } })).status).toBe(401);
  });
});

describe('admin dashboard: event stream', () => {
  it("relays the API's event stream with the operator's key", async () => {
    const cookie = await login(world.keys.read);
    const page = await (await request('/orders', { cookie })).text();
    expect(page).toContain('data-events="/admin/events"');
    const abort = new AbortController();
    const response = await request('/events', { cookie, signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    abort.abort();
    await response.body?.cancel().catch(() => undefined);
    expect((await request('/events')).status).toBe(303);
  });

  it('lets the API close each relayed stream when its page goes away (more pages than streams a key may hold)', async () => {
    const cookie = await login(world.keys.read);
    for (let page = 0; page < 12; page++) {
      const abort = new AbortController();
      const response = await request('/events', { cookie, signal: abort.signal });
      expect(response.status, `page ${page}`).toBe(200);
      abort.abort();
      await response.body?.cancel().catch(() => undefined);
    }
  });
});

describe('admin dashboard: actions', () => {
  it('disables the buttons for a read key, and the API refuses its writes anyway', async () => {
    const cookie = await login(world.keys.read);
    const page = await (await request('/inventory', { cookie })).text();
    expect(page).toContain('disabled title="Needs an operator key"');
    const response = await post('/inventory/CAP', { quantity: '3', idempotencyKey: 'read-try' }, cookie);
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/mlh_admin_notice=e/);
    const [level] = await world.store.getStock(['CAP']);
    expect(level!.quantity).not.toBe(3);
  });

  it('sets a stock count once, even when the form is sent twice', async () => {
    const cookie = await login(world.keys.operator);
    const [before] = await world.store.getStock(['CAP']);
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await post('/inventory/CAP', { quantity: '17', idempotencyKey: 'form-1' }, cookie);
      expect(response.status).toBe(303);
      expect(response.headers.get('set-cookie')).toMatch(/mlh_admin_notice=i/);
    }
    const [after] = await world.store.getStock(['CAP']);
    expect(after!.quantity).toBe(17);
    expect(after!.version).toBe(before!.version + 1);
  });

  it('disconnects an account: its tokens are forgotten', async () => {
    const cookie = await login(world.keys.operator);
    const shopee = world.accounts.find((entry) => entry.marketplace === 'shopee')!;
    const response = await post(
      `/accounts/shopee/${shopee.accountId}/disconnect`,
      { idempotencyKey: 'd-1' },
      cookie,
    );
    expect(response.headers.get('location')).toBe('/admin/accounts');
    expect(await world.tokenStore.get('shopee', shopee.accountId)).toBeUndefined();
    const page = await (await request('/accounts', { cookie })).text();
    expect(page).toContain('Disconnected');
  });

  it('reconciles every listing and says what it found', async () => {
    const cookie = await login(world.keys.operator);
    const response = await post('/inventory/reconcile', { idempotencyKey: 'rec-1' }, cookie);
    expect(response.headers.get('location')).toBe('/admin/inventory');
    const notice = decodeURIComponent(response.headers.get('set-cookie') ?? '');
    expect(notice).toMatch(/mlh_admin_notice=iReconciled: [1-9][0-9]* listing values checked, 0 differed\./);
  });

  it('cancels a Shopee order; Mercado Livre refuses, in the API’s words', async () => {
    const orderSync = new OrderSync({
      store: world.store,
      clients: world.adapters.clients,
      inventory: world.inventory,
      clock: () => world.sandboxes.clock.now(),
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
    });
    dashboard = createAdminDashboard({
      api: world.api({ orderSync }),
      sessionSecret: SECRET,
      clock: () => world.sandboxes.clock.now(),
    });
    const cookie = await login(world.keys.operator);
    const shopee = `/orders/shopee/${world.sandboxes.accounts.shopee.shopId}/${world.orders[1]!.orderId}`;
    expect(await (await request(shopee, { cookie })).text()).toContain('Cancel the order');
    const cancelled = await post(
      `${shopee}/cancel`,
      { reason: 'OUT_OF_STOCK', idempotencyKey: 'c-1' },
      cookie,
    );
    expect(decodeURIComponent(cancelled.headers.get('set-cookie') ?? '')).toContain(
      'Cancelled on the marketplace',
    );
    expect(await (await request(shopee, { cookie })).text()).toContain('Cancelled');
    const meli = `/orders/meli/${world.sandboxes.accounts.meli.sellerId}/${world.orders[0]!.orderId}`;
    const refused = await post(`${meli}/cancel`, { idempotencyKey: 'c-2' }, cookie);
    expect(decodeURIComponent(refused.headers.get('set-cookie') ?? '')).toContain(
      'mlh_admin_notice=eThe API refused (409)',
    );
  });

  it('ships an order with its tracking number', async () => {
    const cookie = await login(world.keys.operator);
    const tiktok = world.orders[2]!;
    const account = world.accounts.find((entry) => entry.marketplace === 'tiktok')!;
    const path = `/orders/tiktok/${account.accountId}/${tiktok.orderId}`;
    expect(await (await request(path, { cookie })).text()).toContain('Ship the order');
    const response = await post(
      `${path}/ship`,
      { carrier: 'DPD', trackingNumber: 'TRACK-42', method: 'seller', idempotencyKey: 'ship-1' },
      cookie,
    );
    expect(response.headers.get('location')).toBe(`/admin${path}`);
    expect(decodeURIComponent(response.headers.get('set-cookie') ?? '')).toContain('Shipped');
  });
});
