import { AuthenticationError, createManualClock, MemoryTokenStore, ValidationError } from '@mlh/core';
import {
  buildShopeeAuthorizationUrl,
  buildShopeeCancelAuthorizationUrl,
  createShopee,
  createShopeeTransport,
  merchantAccountId,
  parseShopeeAuthorizationCallback,
  refreshShopeeTokens,
  shopeeExpiresAt,
} from '@mlh/shopee';
import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN,
  advanceWhenWaiting,
  fakeShopee,
  makeShopee,
  PARTNER_ID,
  PARTNER_KEY,
  REFRESH_TOKEN,
  rejectionOf,
  SHOP_ID,
} from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const tokenBody = (accessToken: string, refreshToken: string, extra: Record<string, unknown> = {}) =>
  HttpResponse.json({
    request_id: 'r1',
    error: '',
    message: '',
    access_token: accessToken,
    refresh_token: refreshToken,
    expire_in: 14371,
    ...extra,
  });

describe('authorization links and callback', () => {
  it('builds the signed cancel link over its own path (vector S4)', async () => {
    const url = new URL(
      await buildShopeeCancelAuthorizationUrl({
        partnerId: 1000001,
        partnerKey: PARTNER_KEY,
        redirectUrl: 'https://seller.example.com/done',
        now: 1700000000_000,
        environment: 'sandbox',
      }),
    );
    expect(url.origin + url.pathname).toBe(
      'https://openplatform.sandbox.test-stable.shopee.sg/api/v2/shop/cancel_auth_partner',
    );
    expect(url.searchParams.get('sign')).toBe(
      '941db3632734ad829edc1f37d34fd531fb6276d9570887af0844afd91fa98bdd',
    );
    expect(url.searchParams.get('redirect')).toBe('https://seller.example.com/done');
  });

  it('reads the redirect of a shop account and of a main account', () => {
    expect(
      parseShopeeAuthorizationCallback(
        'https://seller.example.com/cb?code=7867624d4e76616648544f6e52625557&shop_id=54804',
      ),
    ).toEqual({ code: '7867624d4e76616648544f6e52625557', shopId: '54804' });
    expect(parseShopeeAuthorizationCallback(new URLSearchParams('code=c&main_account_id=9'))).toEqual({
      code: 'c',
      mainAccountId: '9',
    });
    expect(() => parseShopeeAuthorizationCallback('https://x.example/cb?shop_id=1')).toThrow(ValidationError);
  });

  it('reads expire_in as seconds, and defensively as an epoch when it looks like one', () => {
    expect(shopeeExpiresAt(14400, 1_000)).toBe(1_000 + 14_400_000);
    expect(shopeeExpiresAt(1767001812, 1_000)).toBe(1767001812_000);
  });
});

describe('code exchange', () => {
  it('sends partner_id in the signed query and in the body, and stores the shop token set', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 15));
    const store = new MemoryTokenStore();
    const shopee = createShopee({ partnerId: PARTNER_ID, partnerKey: PARTNER_KEY, tokenStore: store, clock });
    const fake = fakeShopee(server, {
      '/api/v2/auth/token/get': () => tokenBody(ACCESS_TOKEN, REFRESH_TOKEN),
    });
    const grant = await shopee.exchangeCode({ code: 'abc', shopId: '600000' });
    const [request] = fake.received;
    expect(request?.method).toBe('POST');
    expect(request?.query.get('partner_id')).toBe(String(PARTNER_ID));
    expect(request?.query.has('access_token')).toBe(false);
    expect(request?.body).toBe('{"code":"abc","partner_id":1000001,"shop_id":600000}');
    expect(request?.contentType).toBe('application/json');
    expect(grant.shopIds).toEqual(['600000']);
    const stored = await store.get('shopee', '600000');
    expect(stored).toMatchObject({
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
      expiresAt: clock.now() + 14371_000,
      refreshExpiresAt: clock.now() + 30 * 86_400_000,
    });
  });

  it('splits a main-account grant into one token set per shop and per merchant', async () => {
    const store = new MemoryTokenStore();
    const shopee = createShopee({ partnerId: PARTNER_ID, partnerKey: PARTNER_KEY, tokenStore: store });
    const fake = fakeShopee(server, {
      '/api/v2/auth/token/get': () =>
        tokenBody('shared-access', 'shared-refresh', {
          shop_id_list: [600001, 600002],
          merchant_id_list: [2000001],
        }),
    });
    const grant = await shopee.exchangeCode({ code: 'abc', mainAccountId: '77' });
    expect(fake.received[0]?.body).toBe('{"code":"abc","partner_id":1000001,"main_account_id":77}');
    expect(grant.tokenSets.map((set) => set.accountId)).toEqual(['600001', '600002', 'merchant:2000001']);
    for (const accountId of ['600001', '600002', merchantAccountId(2000001)]) {
      await expect(store.get('shopee', accountId)).resolves.toMatchObject({ refreshToken: 'shared-refresh' });
    }
  });

  it('an invalid code is an authentication error asking for a new authorization', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/auth/token/get': () =>
        HttpResponse.json({ request_id: 'r', error: 'invalid_code', message: 'Invalid code' }),
    });
    const error = await rejectionOf(shopee.exchangeCode({ code: 'used', shopId: '600000' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'invalid_code', reauthorizationRequired: true });
  });
});

describe('refresh through the token manager', () => {
  function rotatingShopee() {
    let generation = 0;
    const issued = new Set([REFRESH_TOKEN]);
    const used = new Set<string>();
    let accessToken = ACCESS_TOKEN;
    return {
      current: () => accessToken,
      routes: {
        '/api/v2/auth/access_token/get': (request: { body: string }) => {
          const body = JSON.parse(request.body) as {
            refresh_token: string;
            shop_id: number;
            partner_id: number;
          };
          // Single-use: a refresh token works once.
          if (!issued.has(body.refresh_token) || used.has(body.refresh_token)) {
            return HttpResponse.json({
              request_id: 'r',
              error: 'error_shop_refresh_token',
              message: 'bad refresh token',
            });
          }
          used.add(body.refresh_token);
          generation += 1;
          const refresh = `refresh-${generation}-000000000000000000000`;
          issued.add(refresh);
          accessToken = `access-${generation}-0000000000000000000000`;
          return tokenBody(accessToken, refresh, {
            shop_id: body.shop_id,
            partner_id: body.partner_id,
            expire_in: 14400,
          });
        },
        '/api/v2/product/get_item_list': () => ({ item: [], has_next_page: false }),
      },
    };
  }

  it('refreshes 5 minutes before expiry, once for many concurrent calls, and stores the rotated refresh token first', async () => {
    const { shopee, clock, store } = await makeShopee({ expiresInMs: 4 * 60_000 });
    const fakeState = rotatingShopee();
    const fake = fakeShopee(server, fakeState.routes, fakeState.current);
    const client = shopee.forShop(SHOP_ID);
    await Promise.all(
      Array.from({ length: 20 }, () => client.products.getItemList({ itemStatus: ['NORMAL'], pageSize: 1 })),
    );
    const refreshes = fake.of('/api/v2/auth/access_token/get');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.body).toBe(
      `{"refresh_token":"${REFRESH_TOKEN}","partner_id":1000001,"shop_id":600000}`,
    );
    expect(refreshes[0]?.query.has('access_token')).toBe(false);
    const stored = await store.get('shopee', SHOP_ID);
    expect(stored).toMatchObject({
      accessToken: 'access-1-0000000000000000000000',
      refreshToken: 'refresh-1-000000000000000000000',
      expiresAt: clock.now() + 14_400_000,
    });
    expect(
      fake
        .of('/api/v2/product/get_item_list')
        .every((r) => r.query.get('access_token') === stored?.accessToken),
    ).toBe(true);
  });

  it('uses the newest refresh token for the next refresh', async () => {
    const { shopee, clock } = await makeShopee({ expiresInMs: 60_000 });
    const fakeState = rotatingShopee();
    const fake = fakeShopee(server, fakeState.routes, fakeState.current);
    const client = shopee.forShop(SHOP_ID);
    await client.products.getItemList({ itemStatus: ['NORMAL'] });
    await clock.advance(4 * 3_600_000);
    await client.products.getItemList({ itemStatus: ['NORMAL'] });
    const bodies = fake.of('/api/v2/auth/access_token/get').map((r) => JSON.parse(r.body).refresh_token);
    expect(bodies).toEqual([REFRESH_TOKEN, 'refresh-1-000000000000000000000']);
  });

  it('a refused refresh token marks the shop for re-authorization', async () => {
    const { shopee, store, clock } = await makeShopee({ expiresInMs: 60_000 });
    fakeShopee(server, {
      '/api/v2/auth/access_token/get': () =>
        HttpResponse.json({
          request_id: 'r',
          error: 'error_shop_refresh_token',
          message: 'refresh token invalid',
        }),
    });
    const events: string[] = [];
    shopee.tokens.on('reauthorizationRequired', ({ accountId }) => events.push(accountId));
    const client = shopee.forShop(SHOP_ID);
    const pending = rejectionOf(client.products.getItemList({ itemStatus: ['NORMAL'] }));
    // The manager waits a grace second for another process that may have used the same token.
    await advanceWhenWaiting(clock, 1_000);
    const error = await pending;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).reauthorizationRequired).toBe(true);
    expect(events).toEqual([SHOP_ID]);
    await expect(store.get('shopee', SHOP_ID)).resolves.toMatchObject({ reauthorizationRequired: true });
  });
});

describe('refresh per shop', () => {
  it("counts each shop's refresh against that shop's rate-limit bucket, signed without a token", async () => {
    const { received } = fakeShopee(server, {
      '/api/v2/auth/access_token/get': () =>
        tokenBody('access-new-0000000000000000000', 'refresh-new-0000000000'),
    });
    const keys: string[] = [];
    const transport = createShopeeTransport({
      partnerId: PARTNER_ID,
      partnerKey: PARTNER_KEY,
      rateLimits: { write: { perSecond: 100 } },
      rateLimiter: {
        reserve: (key) => {
          keys.push(key);
          return 0;
        },
      },
    });
    const current = (accountId: string) => ({
      marketplace: 'shopee' as const,
      accountId,
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
      expiresAt: 0,
    });
    await refreshShopeeTokens({ transport, partnerId: PARTNER_ID, current: current(SHOP_ID) });
    await refreshShopeeTokens({
      transport,
      partnerId: PARTNER_ID,
      current: current(merchantAccountId('42')),
    });

    expect(keys).toHaveLength(2);
    expect(keys[0]).toContain(`:account:${SHOP_ID}:`);
    expect(keys[1]).toContain(':account:merchant:42:');
    expect(received.map((request) => request.query.has('access_token'))).toEqual([false, false]);
  });
});

describe('browser-facing URLs', () => {
  const link = { partnerId: 1000001, partnerKey: PARTNER_KEY, now: 1700000000_000 };

  it.each([
    ['redirectUrl', { redirectUrl: 'http://seller.example.com/done' }],
    [
      'baseUrl',
      { redirectUrl: 'https://seller.example.com/done', baseUrl: 'http://partner.shopeemobile.com' },
    ],
  ])('refuses plain http to a non-loopback host in %s', async (field, override) => {
    const error = await rejectionOf(buildShopeeAuthorizationUrl({ ...link, ...override }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: field, code: 'insecure_url' }),
    ]);
  });

  it('accepts plain http to a loopback host (local development, sandboxes)', async () => {
    const url = new URL(
      await buildShopeeAuthorizationUrl({ ...link, redirectUrl: 'http://127.0.0.1:3000/shopee/callback' }),
    );
    expect(url.searchParams.get('redirect')).toBe('http://127.0.0.1:3000/shopee/callback');
  });
});
