import {
  AuthenticationError,
  ConflictError,
  MemoryTokenStore,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ResponseTooLargeError,
  ServerError,
  ValidationError,
} from '@mlh/core';
import {
  createShopee,
  createShopeeTransport,
  mapShopeeErrorCode,
  merchantAccountId,
  msUntilShopeeQuotaReset,
  parseShopeeAccountId,
  SHOPEE_HOSTS,
  shopeeBaseUrl,
} from '@mlh/shopee';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN,
  fail,
  fakeShopee,
  HOST,
  makeShopee,
  nodeSign,
  PARTNER_ID,
  PARTNER_KEY,
  rejectionOf,
  SHOP_ID,
} from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('hosts', () => {
  it('offers global, China and Brazil production hosts and the two Sandbox v2 hosts, never the legacy sandbox', () => {
    expect(shopeeBaseUrl()).toBe('https://partner.shopeemobile.com');
    expect(shopeeBaseUrl('production', 'china')).toBe('https://openplatform.shopee.cn');
    expect(shopeeBaseUrl('production', 'brazil')).toBe('https://openplatform.shopee.com.br');
    expect(shopeeBaseUrl('sandbox')).toBe('https://openplatform.sandbox.test-stable.shopee.sg');
    expect(shopeeBaseUrl('sandbox', 'china')).toBe('https://openplatform.sandbox.test-stable.shopee.cn');
    expect(() => shopeeBaseUrl('sandbox', 'brazil')).toThrow(ValidationError);
    expect(JSON.stringify(SHOPEE_HOSTS)).not.toContain('test-stable.shopeemobile.com');
  });
});

describe('account ids', () => {
  it('keeps shops and merchants apart', () => {
    expect(parseShopeeAccountId('600000')).toEqual({ kind: 'shop', id: '600000' });
    expect(parseShopeeAccountId(merchantAccountId(2000001))).toEqual({ kind: 'merchant', id: '2000001' });
    expect(() => parseShopeeAccountId('shop-1')).toThrow(ValidationError);
  });
});

describe('signing on the wire', () => {
  it('puts partner_id, timestamp in seconds, access_token, shop_id and sign in the query of a Shop API call', async () => {
    const { shopee, clock } = await makeShopee();
    const fake = fakeShopee(server, { '/api/v2/shop/get_shop_info': () => ({ shop_name: 'x' }) });
    const client = shopee.forShop(SHOP_ID);
    await client.request({ method: 'GET', path: '/api/v2/shop/get_shop_info' });
    const [request] = fake.received;
    const timestamp = String(Math.floor(clock.now() / 1000));
    expect(request?.query.get('partner_id')).toBe(String(PARTNER_ID));
    expect(request?.query.get('timestamp')).toBe(timestamp);
    expect(request?.query.get('access_token')).toBe(ACCESS_TOKEN);
    expect(request?.query.get('shop_id')).toBe(SHOP_ID);
    expect(request?.query.get('sign')).toBe(
      nodeSign(PARTNER_KEY, `${PARTNER_ID}/api/v2/shop/get_shop_info${timestamp}${ACCESS_TOKEN}${SHOP_ID}`),
    );
  });

  it('signs a merchant account with merchant_id', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(`${HOST}/api/v2/merchant/get_merchant_info`, ({ request }) => {
        seen = new URL(request.url);
        return HttpResponse.json({ error: '', response: {} });
      }),
    );
    const transport = createShopeeTransport({
      partnerId: PARTNER_ID,
      partnerKey: PARTNER_KEY,
      tokens: { getAccessToken: async () => ACCESS_TOKEN },
    });
    await transport.request({
      method: 'GET',
      path: '/api/v2/merchant/get_merchant_info',
      accountId: 'merchant:2000001',
    });
    const timestamp = seen?.searchParams.get('timestamp');
    expect(seen?.searchParams.get('merchant_id')).toBe('2000001');
    expect(seen?.searchParams.has('shop_id')).toBe(false);
    expect(seen?.searchParams.get('sign')).toBe(
      nodeSign(
        PARTNER_KEY,
        `${PARTNER_ID}/api/v2/merchant/get_merchant_info${timestamp}${ACCESS_TOKEN}2000001`,
      ),
    );
  });

  it('signs a Public API without token or shop id even when called from a shop client', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/public/get_shops_by_partner': () =>
        HttpResponse.json({ authed_shop_list: [], more: false, error: '' }),
    });
    await shopee.forShop(SHOP_ID).request({ method: 'GET', path: '/api/v2/public/get_shops_by_partner' });
    const [request] = fake.received;
    expect(request?.query.has('access_token')).toBe(false);
    expect(request?.query.has('shop_id')).toBe(false);
  });

  it('re-signs a retried request with a fresh timestamp', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/order/get_order_list': (_request, call) =>
        call === 1
          ? fail('error_server', 'busy', 500, { 'retry-after': '2' })
          : { more: false, order_list: [] },
    });
    const response = await shopee.forShop(SHOP_ID).orders.getOrderList({
      timeRangeField: 'update_time',
      timeFrom: 1768000000,
      timeTo: 1768003600,
    });
    expect(response.order_list).toEqual([]);
    const [first, second] = fake.received;
    expect(fake.received).toHaveLength(2);
    expect(Number(second?.query.get('timestamp')) - Number(first?.query.get('timestamp'))).toBe(2);
    expect(second?.query.get('sign')).not.toBe(first?.query.get('sign'));
    // Both were correctly signed (the fake answers error_sign otherwise).
  });
});

describe('envelope errors → core errors, whatever the HTTP status', () => {
  const cases: Array<[string, string, number, new (...args: never[]) => Error]> = [
    ['error_rate_limit', 'Too many requests', 200, RateLimitError],
    ['error_auth', 'No permission to current api.', 403, PermissionError],
    ['error_param', 'There is no sign in query.', 400, ValidationError],
    ['logistics.error_param', 'param error', 200, ValidationError],
    [' logistics.package_already_shipped', 'shipped', 200, ConflictError],
    ['logistics.order not found\t', 'x', 200, NotFoundError],
    ['error_cannt_delete_in_promotion', 'x', 200, ConflictError],
    ['error_system_busy', 'busy', 200, ServerError],
    ['error_data', 'data not exist', 200, NotFoundError],
    ['shop_banned', 'banned', 200, PermissionError],
  ];

  it.each(cases)('%j (%j, HTTP %i)', async (code, message, status, errorClass) => {
    const { shopee } = await makeShopee();
    fakeShopee(server, { '/api/v2/product/get_item_list': () => fail(code, message, status) });
    const error = await rejectionOf(
      shopee.forShop(SHOP_ID).products.getItemList({ itemStatus: ['NORMAL'], pageSize: 10 }),
    );
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ marketplace: 'shopee', code: code.trim(), requestId: 'req-err', status });
  });

  it('a 200 with error_rate_limit is retried, then succeeds', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/get_item_list': (_r, call) =>
        call === 1 ? fail('error_rate_limit', 'Too many requests') : { item: [], has_next_page: false },
    });
    await shopee.forShop(SHOP_ID).products.getItemList({ itemStatus: ['NORMAL'] });
    expect(fake.of('/api/v2/product/get_item_list')).toHaveLength(2);
  });

  it('misspelled and space-padded token codes are authentication failures the transport can refresh', () => {
    for (const code of ['invalid_acceess_token', ' invalid_access_token ', 'common.error_auth']) {
      const error = mapShopeeErrorCode(code, { message: 'Invalid access_token.' });
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).reauthorizationRequired).toBe(false);
    }
  });

  it("the app's own credentials refused are not authentication failures (no refresh could fix them)", () => {
    for (const [code, message] of [
      ['error_sign', 'Wrong sign.'],
      ['invalid_partner_id', 'Invalid partner_id.'],
      ['error_partner_key_expired', 'Partner key expired.'],
      ['common.error_auth', 'partner_id is invalid'],
    ] as const) {
      const error = mapShopeeErrorCode(code, { message });
      expect(error).toBeInstanceOf(PermissionError);
      expect(error.message).toMatch(/partner id or key/);
    }
    expect(mapShopeeErrorCode('error_auth', { message: 'Invalid partner_id or shopid.' })).toBeInstanceOf(
      AuthenticationError,
    );
  });

  it('grant failures say the seller must authorize again; the daily quota waits until 00:00 UTC+8', () => {
    for (const code of [
      'invalid_main_acount_id',
      'error_shop_refresh_token',
      'refresh_token_expired',
      'shop_no_linked',
    ]) {
      const error = mapShopeeErrorCode(code);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).reauthorizationRequired).toBe(true);
    }
    const now = Date.UTC(2026, 0, 15, 15, 30); // 23:30 in UTC+8
    const quota = mapShopeeErrorCode('error_limit', { now });
    expect(quota).toBeInstanceOf(RateLimitError);
    expect(quota.retryable).toBe(false);
    expect(quota.retryAfterMs).toBe(30 * 60_000);
    expect(msUntilShopeeQuotaReset(Date.UTC(2026, 0, 15, 16, 0))).toBe(86_400_000);
  });

  it('an invalid access token refreshes once and replays with the new token', async () => {
    const { shopee } = await makeShopee();
    let current = ACCESS_TOKEN;
    const issue = () => {
      current = 'new-access-token-000000000000000';
      return current;
    };
    const fake = fakeShopee(
      server,
      {
        '/api/v2/auth/access_token/get': () =>
          HttpResponse.json({
            request_id: 'r',
            error: '',
            message: '',
            access_token: issue(),
            refresh_token: 'new-refresh-token-00000000000000',
            expire_in: 14400,
          }),
        '/api/v2/product/get_item_list': () => ({ item: [], has_next_page: false }),
      },
      () => 'new-access-token-000000000000000',
    );
    await shopee.forShop(SHOP_ID).products.getItemList({ itemStatus: ['NORMAL'] });
    expect(current).toBe('new-access-token-000000000000000');
    expect(fake.received.map((r) => r.path)).toEqual([
      '/api/v2/product/get_item_list',
      '/api/v2/auth/access_token/get',
      '/api/v2/product/get_item_list',
    ]);
    expect(fake.received[2]?.query.get('access_token')).toBe('new-access-token-000000000000000');
  });

  it('a shop unlinked from the app (partner_shop_no_link) spends no refresh token: the seller must authorize again', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/auth/access_token/get': () => {
        throw new Error('no refresh may be attempted');
      },
      '/api/v2/product/get_item_list': () =>
        fail('partner_shop_no_link', 'The shop is not linked to the partner.', 403),
    });
    const error = await rejectionOf(shopee.forShop(SHOP_ID).products.getItemList({ itemStatus: ['NORMAL'] }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).reauthorizationRequired).toBe(true);
    expect(fake.received.map((r) => r.path)).toEqual(['/api/v2/product/get_item_list']);
  });

  it('a truncated JSON answer to a read is retried, then read', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/product/get_item_list': (_r, call) =>
        call === 1
          ? new HttpResponse('{"request_id":"x","error":"","response":{"item":[', {
              headers: { 'content-type': 'application/json' },
            })
          : { item: [{ item_id: 1, item_status: 'NORMAL' }], has_next_page: false },
    });
    const page = await shopee.forShop(SHOP_ID).products.getItemList({ itemStatus: ['NORMAL'] });
    expect(page.item?.[0]?.item_id).toBe('1');
  });
});

describe('response size limit', () => {
  it('takes maxResponseBytes from the createShopee options and refuses a larger body', async () => {
    const shopee = createShopee({
      partnerId: PARTNER_ID,
      partnerKey: PARTNER_KEY,
      tokenStore: new MemoryTokenStore(),
      maxResponseBytes: 1024,
      fetch: async () => new Response('x'.repeat(4096)),
    });
    const error = await rejectionOf(
      shopee.transport.request({ method: 'GET', path: '/api/v2/public/get_shops_by_partner', auth: false }),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).url).toBe(`${HOST}/api/v2/public/get_shops_by_partner`);
    expect((error as ResponseTooLargeError).message).not.toContain('sign=');
  });
});
