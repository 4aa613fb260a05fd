import type { AccountAuthorizer, StoredTokenSet, TokenSet } from '@mlh/core';
import { createMeli, meliAccountAuthorizer } from '@mlh/meli';
import { shopeeAccountAuthorizer } from '@mlh/shopee';
import { createTikTokShop, tiktokAccountAuthorizer } from '@mlh/tiktok';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAdapterClock } from '../../sync/test/sandbox-setup';
import {
  type AccountRef,
  type ApiEvent,
  type AuthorizationOptions,
  createMemoryAccountRegistry,
  createMemoryEventBus,
} from '../src/index';
import { AUTHORIZATION_OPERATIONS, OPERATIONS, RECONCILE_OPERATIONS } from '../src/openapi';
import { describedOperations, servedOperations } from './served';
import { createWorld, type World } from './world';

/**
 * Connecting sellers through the API, end to end: the operator starts an authorization, the
 * seller's browser follows the sandbox's authorization page (which redirects with a code), and
 * the callback exchanges the code through the real adapter, stores the tokens and registers the
 * account, which `GET /accounts` then lists.
 */

const API_URL = 'https://app.example.com/api';
const RETURN_TO = 'https://admin.example.com/accounts';
const SECRET = 'a-state-secret-of-at-least-32-characters!';

const server = setupServer();
let world: World;
/** Authorizers over apps registered with the API's callback URLs (Mercado Livre with PKCE on). */
let authorizers: AccountAuthorizer[];
/** The TikTok Shop app the seller consents to (registered with the API's callback URL). */
let tiktokAppKey: string;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  world = await createWorld(server);
  const { sandboxes, tokenStore } = world;
  const transport = { random: () => 0.5, clock: sandboxAdapterClock(sandboxes.clock) };
  const meliApp = sandboxes.meli.createApp({
    redirectUris: [`${API_URL}/accounts/meli/callback`],
    pkce: true,
  });
  const meli = createMeli({
    clientId: String(meliApp.id),
    clientSecret: meliApp.secret,
    redirectUri: `${API_URL}/accounts/meli/callback`,
    tokenStore,
    transport,
  });
  const tiktokApp = sandboxes.tiktok.createApp({ redirectUri: `${API_URL}/accounts/tiktok/callback` });
  tiktokAppKey = tiktokApp.appKey;
  const tiktok = createTikTokShop({
    appKey: tiktokApp.appKey,
    appSecret: tiktokApp.appSecret,
    serviceId: tiktokApp.serviceId,
    tokenStore,
    ...transport,
  });
  authorizers = [
    meliAccountAuthorizer(meli),
    shopeeAccountAuthorizer(world.adapters.shopee),
    tiktokAccountAuthorizer(tiktok),
  ];
});
afterAll(() => server.close());

function authorization(overrides: Partial<AuthorizationOptions> = {}): AuthorizationOptions {
  return { authorizers, callbackBaseUrl: API_URL, stateSecret: SECRET, returnTo: RETURN_TO, ...overrides };
}

/** An API whose accounts are a registry the callback adds to. */
function connectingApi(overrides: Partial<AuthorizationOptions> = {}, clock?: () => number) {
  const accounts = createMemoryAccountRegistry(world.accounts);
  const api = world.api({
    accounts,
    authorization: authorization(overrides),
    ...(clock ? { clock } : {}),
  });
  return { api, accounts };
}

async function start(api: ReturnType<typeof world.api>, marketplace: string, key = world.keys.operator) {
  return api.request(`/accounts/${marketplace}/authorizations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });
}

async function started(api: ReturnType<typeof world.api>, marketplace: string) {
  const response = await start(api, marketplace);
  expect(response.status).toBe(201);
  return (await response.json()) as { authorizationUrl: string; state: string; expiresAt: string };
}

/** The seller's browser on the marketplace's page: the redirect it gets back, as an API path. */
async function consent(authorizationUrl: string): Promise<string> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(page.status).toBe(302);
  return apiPath(page.headers.get('location') ?? '');
}

function apiPath(callback: string): string {
  expect(callback.startsWith(`${API_URL}/`)).toBe(true);
  return callback.slice(API_URL.length);
}

function redirectOf(response: Response): URL {
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

async function listedAccounts(api: ReturnType<typeof world.api>) {
  const response = await api.request('/accounts', {
    headers: { authorization: `Bearer ${world.keys.read}` },
  });
  return ((await response.json()) as { items: Array<Record<string, unknown>> }).items;
}

describe('connecting a seller', () => {
  it('Mercado Livre: PKCE, the code exchanged, the tokens stored, the account listed, the browser sent back', async () => {
    const seller = world.sandboxes.meli.addSeller({ siteId: 'MLB' });
    world.sandboxes.meli.setAuthorizingUser(seller.id);
    const { api } = connectingApi();
    const begun = await started(api, 'meli');
    const page = new URL(begun.authorizationUrl);
    expect(page.searchParams.get('code_challenge_method')).toBe('S256');
    expect(page.searchParams.get('state')).toBe(begun.state);
    expect(page.searchParams.get('redirect_uri')).toBe(`${API_URL}/accounts/meli/callback`);
    expect(Date.parse(begun.expiresAt) - world.sandboxes.clock.now()).toBe(10 * 60_000);

    const callback = await consent(begun.authorizationUrl);
    const response = await api.request(callback);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const back = redirectOf(response);
    expect(`${back.origin}${back.pathname}`).toBe(RETURN_TO);
    expect(back.searchParams.get('connected')).toBe(`meli:${seller.id}`);

    const tokens = await world.tokenStore.get('meli', String(seller.id));
    expect(tokens?.accessToken).toBeTruthy();
    expect(await listedAccounts(api)).toContainEqual(
      expect.objectContaining({ marketplace: 'meli', accountId: String(seller.id), health: 'healthy' }),
    );
  });

  it('reconnects a seller who must authorize again: the account turns healthy, listed once', async () => {
    const sellerId = world.sandboxes.accounts.meli.sellerId;
    const stored = await world.tokenStore.get('meli', sellerId);
    await world.tokenStore.set({ ...stored!, reauthorizationRequired: true });
    world.sandboxes.meli.setAuthorizingUser(Number(sellerId));
    const { api } = connectingApi();
    const before = await listedAccounts(api);
    expect(before).toContainEqual(
      expect.objectContaining({ accountId: sellerId, health: 'reauthorization_required' }),
    );
    const begun = await started(api, 'meli');
    redirectOf(await api.request(await consent(begun.authorizationUrl)));
    const after = await listedAccounts(api);
    expect(after.filter((account) => account.accountId === sellerId)).toEqual([
      expect.objectContaining({ marketplace: 'meli', health: 'healthy', reauthorizationRequired: false }),
    ]);
    expect(after).toHaveLength(before.length);
  });

  it('the PKCE verifier never reaches the browser: the state is encrypted', async () => {
    const { api } = connectingApi();
    const begun = await started(api, 'meli');
    // A compact JWE: five base64url parts, nothing readable.
    expect(begun.state.split('.')).toHaveLength(5);
    expect(begun.state).not.toMatch(/meli/);
    const challenge = new URL(begun.authorizationUrl).searchParams.get('code_challenge');
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('Shopee: the state rides in the redirect URL, the shop comes back with the code; JSON without returnTo', async () => {
    const shop = world.sandboxes.shopee.addShop({ region: 'BR' });
    world.sandboxes.shopee.authorizeAs({ shopId: shop.shopId });
    const { api } = connectingApi({ returnTo: undefined });
    const begun = await started(api, 'shopee');
    const callback = await consent(begun.authorizationUrl);
    expect(new URL(callback, API_URL).searchParams.get('shop_id')).toBe(String(shop.shopId));
    const response = await api.request(callback);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { account: Record<string, unknown>; accounts: unknown[] };
    expect(body.account).toMatchObject({
      marketplace: 'shopee',
      accountId: String(shop.shopId),
      health: 'healthy',
    });
    expect(body.accounts).toHaveLength(1);
    expect(JSON.stringify(body)).not.toContain(
      (await world.tokenStore.get('shopee', String(shop.shopId)))!.accessToken,
    );
    expect(await listedAccounts(api)).toContainEqual(
      expect.objectContaining({ marketplace: 'shopee', accountId: String(shop.shopId) }),
    );
  });

  it('TikTok Shop: every shop of the grant, labelled with its name', async () => {
    const shop = world.sandboxes.tiktok.addShop({ region: 'BR', name: 'Loja Nova' });
    const { api } = connectingApi();
    const begun = await started(api, 'tiktok');
    const state = new URL(begun.authorizationUrl).searchParams.get('state') ?? '';
    const consented = world.sandboxes.tiktok.authorize({
      appKey: tiktokAppKey,
      shopId: shop.id,
      state,
    });
    const back = redirectOf(await api.request(apiPath(consented.redirectUrl)));
    expect(back.searchParams.get('connected')).toBe(`tiktok:${shop.id}`);
    expect(await listedAccounts(api)).toContainEqual(
      expect.objectContaining({
        marketplace: 'tiktok',
        accountId: shop.id,
        label: 'Loja Nova',
        health: 'healthy',
      }),
    );
  });

  it('publishes account.connected as a live event', async () => {
    const bus = createMemoryEventBus();
    const events: ApiEvent[] = [];
    bus.subscribe((event) => events.push(event));
    const api = world.api({
      accounts: createMemoryAccountRegistry(),
      authorization: authorization(),
      events: bus,
    });
    const shop = world.sandboxes.shopee.addShop({ region: 'BR' });
    world.sandboxes.shopee.authorizeAs({ shopId: shop.shopId });
    redirectOf(await api.request(await consent((await started(api, 'shopee')).authorizationUrl)));
    expect(events).toEqual([
      { type: 'account.connected', data: { marketplace: 'shopee', accountId: String(shop.shopId) } },
    ]);
  });

  it('calls onConnected for an application that keeps its own table of sellers', async () => {
    const table: AccountRef[] = [...world.accounts];
    const seen: Array<{ account: AccountRef; tokens: StoredTokenSet | TokenSet }> = [];
    const api = world.api({
      accounts: async () => table,
      authorization: authorization({
        onConnected: (account, tokens) => {
          seen.push({ account, tokens });
          table.push(account);
        },
      }),
    });
    const shop = world.sandboxes.shopee.addShop({ region: 'BR' });
    world.sandboxes.shopee.authorizeAs({ shopId: shop.shopId });
    const begun = await started(api, 'shopee');
    redirectOf(await api.request(await consent(begun.authorizationUrl)));
    expect(seen.map((call) => call.account)).toEqual([
      { marketplace: 'shopee', accountId: String(shop.shopId) },
    ]);
    expect(seen[0]?.tokens.accessToken).toBeTruthy();
    expect(await listedAccounts(api)).toContainEqual(
      expect.objectContaining({ marketplace: 'shopee', accountId: String(shop.shopId) }),
    );
  });

  it('finishes on another process than the one that started it (same secret, shared sync store)', async () => {
    const shop = world.sandboxes.shopee.addShop({ region: 'BR' });
    world.sandboxes.shopee.authorizeAs({ shopId: shop.shopId });
    const first = connectingApi();
    const second = connectingApi();
    const callback = await consent((await started(first.api, 'shopee')).authorizationUrl);
    expect(redirectOf(await second.api.request(callback)).searchParams.get('connected')).toBe(
      `shopee:${shop.shopId}`,
    );
    // ... and the first process refuses the same callback: the claim is in the shared store.
    expect(redirectOf(await first.api.request(callback)).searchParams.get('error')).toBe(
      'authorization_state_used',
    );
  });
});

describe('refusing a callback', () => {
  it('refuses a replayed callback, though the first one connected the seller', async () => {
    const shop = world.sandboxes.shopee.addShop({ region: 'BR' });
    world.sandboxes.shopee.authorizeAs({ shopId: shop.shopId });
    const { api } = connectingApi({ returnTo: undefined });
    const callback = await consent((await started(api, 'shopee')).authorizationUrl);
    expect((await api.request(callback)).status).toBe(200);
    const replay = await api.request(callback);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ kind: 'authentication', code: 'authorization_state_used' });
  });

  it('refuses a state it did not issue, an altered one, and one issued for another marketplace', async () => {
    const { api } = connectingApi({ returnTo: undefined });
    const other = world.api({
      accounts: createMemoryAccountRegistry(),
      authorization: authorization({ stateSecret: 'another-secret-of-at-least-32-characters' }),
    });
    const foreign = (await started(other, 'shopee')).state;
    const own = (await started(api, 'shopee')).state;
    const altered = `${own.slice(0, -4)}${own.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    for (const state of [foreign, altered, 'not-a-state']) {
      const response = await api.request(`/accounts/shopee/callback?code=abc&shop_id=1&state=${state}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'authorization_state_invalid' });
    }
    const meliState = (await started(api, 'meli')).state;
    const crossed = await api.request(`/accounts/shopee/callback?code=abc&shop_id=1&state=${meliState}`);
    expect(await crossed.json()).toMatchObject({ code: 'authorization_state_invalid' });
    const missing = await api.request('/accounts/shopee/callback?code=abc&shop_id=1');
    expect(await missing.json()).toMatchObject({ code: 'authorization_state_missing' });
  });

  it('refuses a state past its 10 minutes, and sends the browser back with the error when returnTo is set', async () => {
    const shop = world.sandboxes.shopee.addShop({ region: 'BR' });
    world.sandboxes.shopee.authorizeAs({ shopId: shop.shopId });
    const startedAt = world.sandboxes.clock.now();
    const { api } = connectingApi({}, () => startedAt);
    const callback = await consent((await started(api, 'shopee')).authorizationUrl);
    const late = world.api({
      accounts: createMemoryAccountRegistry(),
      authorization: authorization(),
      clock: () => startedAt + 10 * 60_000 + 1000,
    });
    const back = redirectOf(await late.request(callback));
    expect(back.searchParams.get('error')).toBe('authorization_state_expired');
    expect(back.searchParams.get('marketplace')).toBe('shopee');
    expect(await world.tokenStore.get('shopee', String(shop.shopId))).toBeUndefined();
  });

  it("passes on the seller's refusal from the marketplace page", async () => {
    const { api } = connectingApi();
    const { state } = await started(api, 'meli');
    const back = redirectOf(await api.request(`/accounts/meli/callback?error=access_denied&state=${state}`));
    expect(back.searchParams.get('error')).toBe('access_denied');
    const tiktok = (await started(api, 'tiktok')).state;
    const refused = redirectOf(
      await api.request(`/accounts/tiktok/callback?error=access_denied&state=${tiktok}`),
    );
    expect(refused.searchParams.get('error')).toBe('access_denied');
    const noCode = (await started(api, 'tiktok')).state;
    const missing = redirectOf(await api.request(`/accounts/tiktok/callback?state=${noCode}`));
    expect(missing.searchParams.get('error')).toBe('validation');
  });
});

describe('who may connect', () => {
  it('needs the operator scope to start, and no key for the callback', async () => {
    const { api } = connectingApi({ returnTo: undefined });
    expect((await start(api, 'meli', world.keys.read)).status).toBe(403);
    expect((await api.request('/accounts/meli/authorizations', { method: 'POST' })).status).toBe(401);
    // The callback answers on its own terms (a bad state), not with "API key required".
    const callback = await api.request('/accounts/meli/callback?code=x&state=y');
    expect(await callback.json()).toMatchObject({ status: 400, code: 'authorization_state_invalid' });
  });

  it('answers 404 for a marketplace without an authorizer', async () => {
    const api = world.api({
      accounts: createMemoryAccountRegistry(),
      authorization: authorization({ authorizers: authorizers.slice(0, 1) }),
    });
    expect((await start(api, 'tiktok')).status).toBe(404);
  });

  it("refuses to start when Mercado Livre's registered redirect URI is not the API's callback", async () => {
    const api = world.api({
      accounts: createMemoryAccountRegistry(),
      authorization: authorization({ authorizers: [meliAccountAuthorizer(world.adapters.meli)] }),
    });
    const response = await start(api, 'meli');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ kind: 'validation', issues: [{ path: 'redirectUri' }] });
  });

  it('refuses a setup that could not work: a short secret, nowhere to record a connected account', () => {
    expect(() =>
      world.api({
        accounts: createMemoryAccountRegistry(),
        authorization: authorization({ stateSecret: 'short' }),
      }),
    ).toThrow(/stateSecret/);
    expect(() => world.api({ authorization: authorization() })).toThrow(/AccountRegistry|onConnected/);
    expect(() =>
      world.api({
        accounts: createMemoryAccountRegistry(),
        authorization: authorization({ callbackBaseUrl: '/api' }),
      }),
    ).toThrow(/callbackBaseUrl/);
  });
});

describe('the OpenAPI document', () => {
  it('describes the authorization routes exactly when they are served, the callback without a key', async () => {
    const { api } = connectingApi();
    expect(servedOperations(api)).toEqual(
      describedOperations(OPERATIONS, RECONCILE_OPERATIONS, AUTHORIZATION_OPERATIONS),
    );
    const document = (await (await api.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>;
    };
    expect(document.paths['/accounts/{marketplace}/callback']?.get?.security).toEqual([]);
    expect(
      Object.keys(document.paths['/accounts/{marketplace}/authorizations']?.post?.responses ?? {}),
    ).toContain('201');
    const plain = (await (await world.api().request('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(plain.paths['/accounts/{marketplace}/callback']).toBeUndefined();
  });
});
