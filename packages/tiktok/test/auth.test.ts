import { AuthenticationError, createTokenManager, MemoryTokenStore, ValidationError } from '@mlh/core';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  getTikTokAccessToken,
  refreshTikTokAccessToken,
  refreshTikTokTokens,
  tiktokAuthorizationUrl,
  tiktokExpiryToMs,
} from '../src/auth';
import { createTikTokAuthTransport } from '../src/transport';
import {
  API,
  APP_KEY,
  APP_SECRET,
  AUTH,
  fail,
  inspect,
  makeShop,
  ok,
  type Seen,
  SHOP_ID,
  START_MS,
  shopTokens,
  steppingClock,
  useServer,
} from './helpers';

const server = useServer();

const tokenData = {
  access_token: 'ROW_new_access_0123456789abcdef',
  access_token_expire_in: 1700604800,
  refresh_token: 'NTUx_new_refresh_0123456789abcdef',
  refresh_token_expire_in: 1731536000,
  open_id: '7010736057180325637',
  seller_name: 'Demo Shop',
  seller_base_region: 'GB',
  user_type: 0,
  granted_scopes: ['seller.authorization.info', 'seller.order.info'],
};

describe('tiktokAuthorizationUrl', () => {
  it('builds the global and the US authorization pages with service_id and state', () => {
    expect(tiktokAuthorizationUrl({ serviceId: '7123456789012345678', state: 'csrf 1' })).toBe(
      'https://services.tiktokshop.com/open/authorize?service_id=7123456789012345678&state=csrf+1',
    );
    expect(tiktokAuthorizationUrl({ serviceId: '7123456789012345678', state: 's', market: 'US' })).toBe(
      'https://services.us.tiktokshop.com/open/authorize?service_id=7123456789012345678&state=s',
    );
  });

  it('refuses a missing service id or state', () => {
    expect(() => tiktokAuthorizationUrl({ serviceId: '', state: '' })).toThrow(ValidationError);
    expect(() => tiktokAuthorizationUrl({ serviceId: '', state: 'x' })).toThrow(/serviceId/);
  });
});

describe('token get and refresh on the auth host', () => {
  const authTransport = createTikTokAuthTransport({ retry: false, circuitBreaker: false });

  it('exchanges a code with grant_type=authorized_code, unsigned, and reads absolute expiries', async () => {
    const seen: URL[] = [];
    server.use(
      http.get(`${AUTH}/api/v2/token/get`, ({ request }) => {
        seen.push(new URL(request.url));
        return ok(tokenData);
      }),
    );
    const grant = await getTikTokAccessToken({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      authTransport,
      code: 'code-1',
    });
    expect(Object.fromEntries(seen[0]?.searchParams ?? [])).toEqual({
      app_key: APP_KEY,
      app_secret: APP_SECRET,
      auth_code: 'code-1',
      grant_type: 'authorized_code',
    });
    expect(grant).toEqual({
      accessToken: tokenData.access_token,
      expiresAt: 1700604800_000,
      refreshToken: tokenData.refresh_token,
      refreshExpiresAt: 1731536000_000,
      openId: '7010736057180325637',
      sellerName: 'Demo Shop',
      sellerBaseRegion: 'GB',
      userType: 0,
      scopes: ['seller.authorization.info', 'seller.order.info'],
    });
  });

  it('refreshes on /api/v2/token/refresh (not /token/get)', async () => {
    const seen: URL[] = [];
    server.use(
      http.get(`${AUTH}/api/v2/token/refresh`, ({ request }) => {
        seen.push(new URL(request.url));
        return ok(tokenData);
      }),
    );
    const grant = await refreshTikTokAccessToken({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      authTransport,
      refreshToken: 'NTUx_old',
    });
    expect(seen[0]?.pathname).toBe('/api/v2/token/refresh');
    expect(seen[0]?.searchParams.get('grant_type')).toBe('refresh_token');
    expect(seen[0]?.searchParams.has('sign')).toBe(false);
    expect(seen[0]?.searchParams.has('timestamp')).toBe(false);
    expect(grant.expiresAt).toBe(1700604800_000);
  });

  it('an expiry that is a duration rather than a time is read relative to now', () => {
    expect(tiktokExpiryToMs(1700604800, START_MS)).toBe(1700604800_000);
    expect(tiktokExpiryToMs(604800, START_MS)).toBe(START_MS + 604800_000);
  });

  it('a refused refresh token (36004001) asks for re-authorization through the token manager', async () => {
    server.use(http.get(`${AUTH}/api/v2/token/refresh`, () => fail(36004001, 'rt has expired')));
    const store = new MemoryTokenStore();
    await store.set(shopTokens({ expiresAt: START_MS + 60_000 }));
    const tokens = createTokenManager({
      marketplace: 'tiktok',
      store,
      clock: steppingClock(),
      invalidGrantGraceMs: 0,
      refresh: refreshTikTokTokens({ appKey: APP_KEY, appSecret: APP_SECRET, authTransport }),
    });
    const error = await tokens.getAccessToken(SHOP_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ reauthorizationRequired: true });
    expect((await store.get('tiktok', SHOP_ID))?.reauthorizationRequired).toBe(true);
  });

  it("each shop's refresh counts against that shop's rate-limit bucket, still without a token", async () => {
    const tokenHeaders: (string | null)[] = [];
    server.use(
      http.get(`${AUTH}/api/v2/token/refresh`, ({ request }) => {
        tokenHeaders.push(request.headers.get('x-tts-access-token'));
        return ok(tokenData);
      }),
    );
    const keys: string[] = [];
    const limited = createTikTokAuthTransport({
      retry: false,
      circuitBreaker: false,
      rateLimits: { read: { perSecond: 100 } },
      rateLimiter: {
        reserve: (key) => {
          keys.push(key);
          return 0;
        },
      },
    });
    const refresh = refreshTikTokTokens({ appKey: APP_KEY, appSecret: APP_SECRET, authTransport: limited });
    await refresh(shopTokens());
    await refresh(shopTokens({ accountId: '7000000000000000002', refreshToken: 'NTUx_other_shop' }));

    expect(keys).toHaveLength(2);
    expect(keys[0]).toContain(`:account:${SHOP_ID}:`);
    expect(keys[1]).toContain(':account:7000000000000000002:');
    expect(tokenHeaders).toEqual([null, null]);
  });
});

describe('createTikTokShop: authorization flow', () => {
  it('exchanges the code, fetches the authorized shops with the new token, and stores one token set per shop', async () => {
    const seen: Seen[] = [];
    server.use(
      http.get(`${AUTH}/api/v2/token/get`, () => ok(tokenData)),
      http.get(`${API}/authorization/202309/shops`, async ({ request }) => {
        await inspect(request, seen);
        return ok({
          shops: [
            {
              id: SHOP_ID,
              name: 'Demo GB',
              region: 'GB',
              seller_type: 'CROSS_BORDER',
              cipher: 'ROW_gb',
              code: 'GBX',
            },
            {
              id: '7494049642642449999',
              name: 'Demo FR',
              region: 'FR',
              seller_type: 'CROSS_BORDER',
              cipher: 'ROW_fr',
              code: 'FRX',
            },
          ],
        });
      }),
    );
    const { shop, store } = await makeShop({ tokens: null });
    expect(shop.authorizationUrl({ state: 'abc' })).toBe(
      'https://services.tiktokshop.com/open/authorize?service_id=7123456789012345678&state=abc',
    );
    const { shops, tokenSets } = await shop.exchangeCode('auth-code-1');
    expect(shops.map((s) => s.id)).toEqual([SHOP_ID, '7494049642642449999']);
    expect(tokenSets).toHaveLength(2);
    expect(seen[0]?.headers.get('x-tts-access-token')).toBe(tokenData.access_token);
    expect(seen[0]?.url.searchParams.has('shop_cipher')).toBe(false);
    expect(seen[0]?.signatureValid).toBe(true);
    expect(await store.get('tiktok', SHOP_ID)).toMatchObject({
      accessToken: tokenData.access_token,
      refreshToken: tokenData.refresh_token,
      expiresAt: 1700604800_000,
      refreshExpiresAt: 1731536000_000,
      scopes: tokenData.granted_scopes,
      extra: {
        openId: '7010736057180325637',
        shopCipher: 'ROW_gb',
        shopRegion: 'GB',
        sellerType: 'CROSS_BORDER',
        siblingShopIds: ['7494049642642449999'],
      },
    });
    expect((await store.get('tiktok', '7494049642642449999'))?.extra).toMatchObject({ shopCipher: 'ROW_fr' });
    expect(await shop.shopCipher('7494049642642449999')).toBe('ROW_fr');
  });

  it('a refresh of one shop hands the renewed tokens to the other shops of the same authorization', async () => {
    let refreshes = 0;
    server.use(
      http.get(`${AUTH}/api/v2/token/refresh`, () => {
        refreshes += 1;
        return ok(tokenData);
      }),
    );
    const { shop, store } = await makeShop({ tokens: null });
    const sibling = '7494049642642449999';
    const near = { expiresAt: START_MS + 60_000 };
    await store.set(shopTokens({ ...near, extra: { shopCipher: 'ROW_gb', siblingShopIds: [sibling] } }));
    await store.set(
      shopTokens({ ...near, accountId: sibling, extra: { shopCipher: 'ROW_fr', siblingShopIds: [SHOP_ID] } }),
    );
    await Promise.all([shop.tokens.getAccessToken(SHOP_ID), shop.tokens.getAccessToken(sibling)]);
    expect(refreshes).toBe(1);
    for (const id of [SHOP_ID, sibling]) {
      expect(await store.get('tiktok', id)).toMatchObject({
        accessToken: tokenData.access_token,
        expiresAt: 1700604800_000,
      });
    }
    expect((await store.get('tiktok', sibling))?.extra).toMatchObject({ shopCipher: 'ROW_fr' });
  });

  it('refreshShopCipher asks TikTok again and stores the new cipher', async () => {
    server.use(
      http.get(`${API}/authorization/202309/shops`, () =>
        ok({
          shops: [{ id: SHOP_ID, name: 'Demo', region: 'GB', seller_type: 'LOCAL', cipher: 'ROW_rotated' }],
        }),
      ),
    );
    const { shop, store } = await makeShop();
    expect(await shop.shopCipher(SHOP_ID)).toBe('ROW_TestCipher123');
    expect(await shop.refreshShopCipher(SHOP_ID)).toBe('ROW_rotated');
    expect(await shop.shopCipher(SHOP_ID)).toBe('ROW_rotated');
    expect((await store.get('tiktok', SHOP_ID))?.extra).toMatchObject({
      shopCipher: 'ROW_rotated',
      openId: 'open-1',
    });
  });
});

describe('browser-facing URLs', () => {
  it('refuses an authorization page over plain http, except to a loopback host', () => {
    const options = { serviceId: '7123456789012345678', state: 'csrf-1' };
    expect(() =>
      tiktokAuthorizationUrl({
        ...options,
        authorizeBaseUrl: 'http://services.tiktokshop.com/open/authorize',
      }),
    ).toThrow(ValidationError);
    expect(() =>
      tiktokAuthorizationUrl({ ...options, authorizeBaseUrl: 'http://services.tiktokshop.com' }),
    ).toThrow(/authorizeBaseUrl: plain http is refused/);
    const local = tiktokAuthorizationUrl({
      ...options,
      authorizeBaseUrl: 'http://localhost:4000/open/authorize',
    });
    expect(new URL(local).searchParams.get('service_id')).toBe(options.serviceId);
  });
});
