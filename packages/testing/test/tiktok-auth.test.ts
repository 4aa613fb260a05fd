import { describe, expect, it } from 'vitest';
import type { TikTokSandbox } from '../src/tiktok/index';
import { AUTH, installServer, START_S, tiktokClient } from './tiktok-helpers';

const env = installServer();
const DAY_S = 24 * 60 * 60;

async function tokenCall(path: 'get' | 'refresh', query: Record<string, string>) {
  const url = new URL(`${AUTH}/api/v2/token/${path}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await fetch(url);
  // biome-ignore lint/suspicious/noExplicitAny: assertions read the payload loosely
  return { status: response.status, json: (await response.json()) as any };
}

function exchange(sandbox: TikTokSandbox, code: string) {
  return tokenCall('get', {
    app_key: sandbox.app.appKey,
    app_secret: sandbox.app.appSecret,
    auth_code: code,
    grant_type: 'authorized_code',
  });
}

function refresh(sandbox: TikTokSandbox, refreshToken: string) {
  return tokenCall('refresh', {
    app_key: sandbox.app.appKey,
    app_secret: sandbox.app.appSecret,
    refresh_token: refreshToken,
    grant_type: 'refresh_token',
  });
}

describe('TikTok token get', () => {
  it('exchanges a code for tokens with absolute expiries, and the token finds the shop cipher', async () => {
    const sandbox = env.sandbox();
    const shop = sandbox.addShop({ name: 'Demo Shop', sellerName: 'Demo Seller', region: 'GB' });
    const { code, redirectUrl } = sandbox.authorize({ shopId: shop.id, state: 'csrf-123' });
    const redirect = new URL(redirectUrl);
    expect(redirect.searchParams.get('code')).toBe(code);
    expect(redirect.searchParams.get('state')).toBe('csrf-123');

    const response = await exchange(sandbox, code);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ code: 0, message: 'Success', request_id: expect.any(String) });
    const data = response.json.data;
    expect(data).toMatchObject({
      access_token_expire_in: START_S + 7 * DAY_S,
      refresh_token_expire_in: START_S + 365 * DAY_S,
      open_id: shop.openId,
      seller_name: 'Demo Seller',
      seller_base_region: 'GB',
      user_type: 0,
      granted_scopes: expect.arrayContaining(['seller.authorization.info', 'seller.order.info']),
    });
    expect(data.access_token).toMatch(/^ROW_/);

    const call = tiktokClient(sandbox, { accessToken: data.access_token });
    const shops = await call('GET', '/authorization/202309/shops');
    expect(shops.json.data.shops[0]).toMatchObject({ id: shop.id, cipher: shop.cipher });
  });

  it('uses a code once, and not after 30 minutes', async () => {
    const sandbox = env.sandbox();
    const shop = sandbox.addShop();
    const { code } = sandbox.authorize({ shopId: shop.id });
    expect((await exchange(sandbox, code)).json.code).toBe(0);
    const reused = await exchange(sandbox, code);
    expect(reused.json).toMatchObject({ code: 36004005, message: expect.stringContaining('auth record') });

    const late = sandbox.authorize({ shopId: shop.id }).code;
    sandbox.clock.advance(30 * 60 * 1000);
    expect((await exchange(sandbox, late)).json.code).toBe(36004005);
  });

  it('checks app key, app secret and the authorized_code grant type spelling', async () => {
    const sandbox = env.sandbox();
    const { code } = sandbox.authorize({ shopId: sandbox.addShop().id });
    const base = { app_key: sandbox.app.appKey, app_secret: sandbox.app.appSecret, auth_code: code };
    const misspelt = await tokenCall('get', { ...base, grant_type: 'authorization_code' });
    expect(misspelt.json).toMatchObject({ code: 36009004, message: expect.stringContaining('grant_type') });
    const wrongSecret = await tokenCall('get', {
      ...base,
      app_secret: 'nope',
      grant_type: 'authorized_code',
    });
    expect(wrongSecret.json).toMatchObject({
      code: 36009004,
      message: expect.stringContaining('app_secret'),
    });
    expect(JSON.stringify(wrongSecret.json)).not.toContain(sandbox.app.appSecret);
    const refreshOnGet = await tokenCall('get', { ...base, grant_type: 'refresh_token' });
    expect(refreshOnGet.json.code).toBe(36009004);
    // The code was not spent by the failed attempts.
    expect((await tokenCall('get', { ...base, grant_type: 'authorized_code' })).json.code).toBe(0);
  });

  it('answers unknown auth-host paths with 36009009', async () => {
    const sandbox = env.sandbox();
    const response = await fetch(`${AUTH}/api/v2/token/create?app_key=${sandbox.app.appKey}`);
    expect(response.status).toBe(404);
    expect((await response.json()).code).toBe(36009009);
  });
});

describe('TikTok token refresh', () => {
  it('rotates the refresh token by default: the new pair works, the old refresh token is refused', async () => {
    const sandbox = env.sandbox();
    const shop = sandbox.addShop();
    const first = sandbox.issueTokens({ shopId: shop.id });
    sandbox.clock.advance(DAY_S * 1000);

    const refreshed = await refresh(sandbox, first.refreshToken);
    expect(refreshed.json.code).toBe(0);
    const data = refreshed.json.data;
    expect(data.access_token).not.toBe(first.accessToken);
    expect(data.refresh_token).not.toBe(first.refreshToken);
    expect(data.access_token_expire_in).toBe(START_S + DAY_S + 7 * DAY_S);
    expect(data.open_id).toBe(shop.openId);

    expect((await refresh(sandbox, first.refreshToken)).json.code).toBe(36004005);
    expect((await refresh(sandbox, data.refresh_token)).json.code).toBe(0);

    const call = tiktokClient(sandbox, { accessToken: data.access_token, cipher: shop.cipher });
    expect((await call('GET', '/logistics/202309/warehouses')).json.code).toBe(0);
  });

  it("returns the same refresh token with refreshTokenRotation: 'reuse'", async () => {
    const sandbox = env.sandbox({ refreshTokenRotation: 'reuse' });
    const first = sandbox.issueTokens({ shopId: sandbox.addShop().id });
    const once = await refresh(sandbox, first.refreshToken);
    const twice = await refresh(sandbox, first.refreshToken);
    expect(once.json.data.refresh_token).toBe(first.refreshToken);
    expect(once.json.data.refresh_token_expire_in).toBe(first.refreshTokenExpireIn);
    expect(twice.json.code).toBe(0);
    expect(twice.json.data.access_token).not.toBe(once.json.data.access_token);
  });

  it('accepts grant_type authorized_code on refresh, as the official Node SDK sends it', async () => {
    const sandbox = env.sandbox();
    const first = sandbox.issueTokens({ shopId: sandbox.addShop().id });
    const response = await tokenCall('refresh', {
      app_key: sandbox.app.appKey,
      app_secret: sandbox.app.appSecret,
      refresh_token: first.refreshToken,
      grant_type: 'authorized_code',
    });
    expect(response.json.code).toBe(0);
  });

  it('answers 36004001 for an expired refresh token', async () => {
    const sandbox = env.sandbox({ refreshTokenLifetimeSeconds: 3600 });
    const first = sandbox.issueTokens({ shopId: sandbox.addShop().id });
    expect(first.refreshTokenExpireIn).toBe(START_S + 3600);
    sandbox.clock.advance(3600 * 1000);
    expect((await refresh(sandbox, first.refreshToken)).json).toMatchObject({
      code: 36004001,
      message: 'rt has expired',
    });
  });

  it('stops the tokens of a seller who deauthorized the app', async () => {
    const sandbox = env.sandbox();
    const shop = sandbox.addShop();
    const tokens = sandbox.issueTokens({ shopId: shop.id });
    sandbox.deauthorize({ shopId: shop.id });
    expect((await refresh(sandbox, tokens.refreshToken)).json.code).toBe(36004005);
    const call = tiktokClient(sandbox, { accessToken: tokens.accessToken, cipher: shop.cipher });
    expect((await call('GET', '/logistics/202309/warehouses')).json.code).toBe(105001);
  });
});
