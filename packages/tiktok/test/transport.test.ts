import {
  AuthenticationError,
  MemoryTokenStore,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ResponseTooLargeError,
  ServerError,
  ValidationError,
} from '@mlh/core';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { createTikTokShop } from '../src/index';
import { signTikTokRequestSync } from '../src/signer';
import {
  createTikTokSigner,
  isShopScopedPath,
  mapTikTokError,
  TikTokScopeError,
  TikTokSignatureError,
} from '../src/transport';
import {
  API,
  APP_KEY,
  APP_SECRET,
  AUTH,
  CIPHER,
  fail,
  inspect,
  makeShop,
  ok,
  type Seen,
  SHOP_ID,
  useServer,
} from './helpers';

const server = useServer();

describe('shop_cipher placement', () => {
  it.each([
    ['GET', '/authorization/202309/shops', false],
    ['GET', '/authorization/202309/category_assets', false],
    ['GET', '/seller/202309/shops', false],
    ['GET', '/seller/202309/permissions', false],
    ['POST', '/product/202309/images/upload', false],
    ['POST', '/product/202309/files/upload', false],
    ['POST', '/fulfillment/202309/images/upload', false],
    ['POST', '/product/202309/global_products/search', false],
    ['GET', '/product/202309/compliance/manufacturers', false],
    ['POST', '/product/202309/brands', false],
    ['GET', '/product/202309/brands', true],
    ['POST', '/order/202309/orders/search', true],
    ['GET', '/order/202309/orders', true],
    ['POST', '/product/202309/products/1729/inventory/update', true],
    ['POST', '/fulfillment/202309/packages/9/ship', true],
    ['GET', '/logistics/202309/warehouses', true],
    ['PUT', '/event/202309/webhooks', true],
    ['POST', '/return_refund/202309/cancellations', true],
  ] as const)('%s %s → %s', (method, path, expected) => {
    expect(isShopScopedPath(method, path)).toBe(expected);
  });

  it('is added to shop-scoped calls from the stored token set, and never sent to authorization, seller or upload paths', async () => {
    const seen: Seen[] = [];
    server.use(
      http.get(`${API}/authorization/202309/shops`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ shops: [] });
      }),
      http.get(`${API}/seller/202309/shops`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ shops: [] });
      }),
      http.get(`${API}/logistics/202309/warehouses`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ warehouses: [] });
      }),
      http.post(`${API}/product/202309/images/upload`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ uri: 'tos/abc', url: 'https://img/abc' });
      }),
    );
    const { client } = await makeShop();
    await client.logistics.getWarehouses();
    // Even a cipher the caller put in the query is removed where TikTok refuses it.
    await client.request({ method: 'GET', path: '/seller/202309/shops', query: { shop_cipher: CIPHER } });
    await client.request({ method: 'GET', path: '/authorization/202309/shops' });
    await client.products.uploadProductImage({
      image: new Blob([new Uint8Array([1, 2, 3])]),
      useCase: 'MAIN_IMAGE',
    });

    const byPath = Object.fromEntries(seen.map((s) => [s.url.pathname, s]));
    expect(byPath['/logistics/202309/warehouses']?.url.searchParams.get('shop_cipher')).toBe(CIPHER);
    for (const path of [
      '/seller/202309/shops',
      '/authorization/202309/shops',
      '/product/202309/images/upload',
    ]) {
      expect(byPath[path]?.url.searchParams.has('shop_cipher'), path).toBe(false);
    }
    expect(seen.every((s) => s.signatureValid)).toBe(true);
    const upload = byPath['/product/202309/images/upload'];
    expect(upload?.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('is looked up with Get Authorized Shops when the store has none, once', async () => {
    const seen: Seen[] = [];
    let shopCalls = 0;
    server.use(
      http.get(`${API}/authorization/202309/shops`, () => {
        shopCalls += 1;
        return ok({
          shops: [
            {
              id: SHOP_ID,
              name: 'Demo',
              region: 'GB',
              seller_type: 'LOCAL',
              cipher: 'ROW_fromApi',
              code: 'GB1',
            },
          ],
        });
      }),
      http.get(`${API}/logistics/202309/warehouses`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ warehouses: [] });
      }),
    );
    const { client } = await makeShop({
      tokens: {
        marketplace: 'tiktok',
        accountId: SHOP_ID,
        accessToken: 'ROW_token_without_cipher_0123456789',
        expiresAt: 1_700_000_000_000 + 3600_000 * 24,
      },
    });
    await Promise.all([client.logistics.getWarehouses(), client.logistics.getWarehouses()]);
    await client.logistics.getWarehouses();
    expect(shopCalls).toBe(1);
    expect(seen.map((s) => s.url.searchParams.get('shop_cipher'))).toEqual([
      'ROW_fromApi',
      'ROW_fromApi',
      'ROW_fromApi',
    ]);
  });
});

describe('signed requests', () => {
  it('carry app_key, a seconds timestamp and a valid sign; the token goes in x-tts-access-token, never the query', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(`${API}/order/202309/orders/search`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ orders: [], total_count: 0 });
      }),
    );
    const { client } = await makeShop();
    await client.orders.searchOrders({
      pageSize: 20,
      filter: { order_status: 'AWAITING_SHIPMENT', create_time_ge: 1699900000 },
    });
    const [request] = seen;
    expect(request?.signatureValid).toBe(true);
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
      app_key: APP_KEY,
      timestamp: '1700000000',
      shop_cipher: CIPHER,
      page_size: '20',
      sort_field: 'update_time',
      sort_order: 'ASC',
      sign: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(request?.headers.get('x-tts-access-token')).toBe('ROW_access_token_one_0123456789');
    expect(request?.headers.get('authorization')).toBeNull();
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(request?.body).toBe('{"order_status":"AWAITING_SHIPMENT","create_time_ge":1699900000}');
  });

  it('send content-type application/json on GET too', async () => {
    const seen: Seen[] = [];
    server.use(
      http.get(`${API}/order/202309/orders`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ orders: [] });
      }),
    );
    const { client } = await makeShop();
    await client.orders.getOrderDetails(['1', '2']);
    expect(seen[0]?.headers.get('content-type')).toBe('application/json');
    expect(seen[0]?.url.searchParams.get('ids')).toBe('1,2');
    expect(seen[0]?.signatureValid).toBe(true);
  });

  it('are signed afresh on every attempt: a retry gets a new timestamp and a new valid sign', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(`${API}/product/202309/products/search`, async ({ request }) => {
        const entry = await inspect(request, seen);
        if (seen.length === 1) return fail(36009002, 'too many requests', 429, { 'retry-after': '3' });
        return ok({ products: [], next_page_token: '' }, entry.url.searchParams.get('timestamp') ?? '');
      }),
    );
    const { client } = await makeShop();
    await client.products.searchProducts({ pageSize: 10 });
    expect(seen).toHaveLength(2);
    const [first, second] = seen;
    expect(first?.url.searchParams.get('timestamp')).toBe('1700000000');
    expect(second?.url.searchParams.get('timestamp')).toBe('1700000003');
    expect(second?.url.searchParams.get('sign')).not.toBe(first?.url.searchParams.get('sign'));
    expect(seen.every((s) => s.signatureValid)).toBe(true);
    expect(second?.body).toBe(first?.body);
  });
});

describe('the signing hook', () => {
  /** What the hook must send: URLSearchParams#set semantics, the signature over what is sent. */
  function expected(search: string, path: string, body: string, cipher: string | undefined) {
    const params = new URLSearchParams(search);
    params.delete('sign');
    params.set('app_key', APP_KEY);
    params.set('timestamp', '1700000000');
    if (!isShopScopedPath('POST', path)) params.delete('shop_cipher');
    else if (!params.get('shop_cipher') && cipher) params.set('shop_cipher', cipher);
    const sign = signTikTokRequestSync({ appSecret: APP_SECRET, path, query: params, body });
    params.set('sign', sign);
    return [...params];
  }

  it('sends the same query and signature whether the query needs re-encoding or not', async () => {
    const sign = createTikTokSigner({ appKey: APP_KEY, appSecret: APP_SECRET, shopCipher: () => CIPHER });
    const asyncSign = createTikTokSigner({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopCipher: async () => CIPHER,
    });
    const searches = [
      '',
      '?ids=1,2',
      '?page_size=20&sort_field=update_time&ids=3&ids=4',
      '?__proto__=x&constructor=y',
      '?name=a+b&q=%2C%26',
      '?shop_cipher=OWN&page_size=5',
      '?sign=stale&timestamp=1&app_key=other',
    ];
    for (const hook of [sign, asyncSign]) {
      for (const path of ['/order/202309/orders', '/authorization/202309/shops']) {
        for (const search of searches) {
          const request = {
            method: 'POST' as const,
            url: new URL(`${API}${path}${search}`),
            headers: new Headers(),
            body: '{"a":1}',
            contentType: 'application/json',
            accountId: SHOP_ID,
            accessToken: 'token',
            attempt: 1,
            now: 1_700_000_000_500,
            operation: undefined,
          };
          await hook(request);
          expect([...request.url.searchParams], `${path}${search}`).toEqual(
            expected(search, path, '{"a":1}', CIPHER),
          );
          expect(request.headers.get('content-type')).toBe('application/json');
        }
      }
    }
  });
});

describe('expired token (105002): refresh and replay once', () => {
  it('refreshes on the auth host and replays the call with the new token', async () => {
    const seen: Seen[] = [];
    const refreshes: URL[] = [];
    server.use(
      http.get(`${API}/logistics/202309/warehouses`, async ({ request }) => {
        const entry = await inspect(request, seen);
        if (entry.headers.get('x-tts-access-token') === 'ROW_access_token_one_0123456789') {
          return fail(105002, 'access token is expired, please refresh it', 401);
        }
        return ok({ warehouses: [{ id: 'wh-1', is_default: true }] });
      }),
      http.get(`${AUTH}/api/v2/token/refresh`, ({ request }) => {
        refreshes.push(new URL(request.url));
        return ok({
          access_token: 'ROW_access_token_two_0123456789',
          access_token_expire_in: 1700604800,
          refresh_token: 'NTUx_refresh_token_two_0123456789',
          refresh_token_expire_in: 1731536000,
          open_id: 'open-1',
          granted_scopes: ['seller.product.basic'],
        });
      }),
    );
    const { client, store } = await makeShop();
    const warehouses = await client.logistics.getWarehouses();
    expect(warehouses.map((w) => w.id)).toEqual(['wh-1']);
    expect(seen.map((s) => s.headers.get('x-tts-access-token'))).toEqual([
      'ROW_access_token_one_0123456789',
      'ROW_access_token_two_0123456789',
    ]);
    expect(refreshes).toHaveLength(1);
    expect(Object.fromEntries(refreshes[0]?.searchParams ?? [])).toEqual({
      app_key: APP_KEY,
      app_secret: APP_SECRET,
      refresh_token: 'NTUx_refresh_token_one_0123456789',
      grant_type: 'refresh_token',
    });
    const stored = await store.get('tiktok', SHOP_ID);
    expect(stored).toMatchObject({
      accessToken: 'ROW_access_token_two_0123456789',
      refreshToken: 'NTUx_refresh_token_two_0123456789',
      expiresAt: 1700604800_000,
      refreshExpiresAt: 1731536000_000,
      scopes: ['seller.product.basic'],
      extra: { shopCipher: CIPHER, openId: 'open-1' },
    });
  });

  it('does not loop: a second 105002 after the replay is thrown', async () => {
    let calls = 0;
    let refreshes = 0;
    server.use(
      http.get(`${API}/logistics/202309/warehouses`, () => {
        calls += 1;
        return fail(105002, 'Expired credentials');
      }),
      http.get(`${AUTH}/api/v2/token/refresh`, () => {
        refreshes += 1;
        return ok({
          access_token: `ROW_access_token_${refreshes}_0123456789`,
          access_token_expire_in: 1700604800,
          refresh_token: 'NTUx_refresh_token_two_0123456789',
          refresh_token_expire_in: 1731536000,
        });
      }),
    );
    const { client } = await makeShop();
    const error = await client.logistics.getWarehouses().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: '105002', requestId: 'req-105002', marketplace: 'tiktok' });
    expect(calls).toBe(2);
    expect(refreshes).toBe(1);
  });
});

describe('errors: the envelope code decides, whatever the HTTP status', () => {
  async function failure(response: () => Response, operation: 'orders' | 'warehouses' = 'warehouses') {
    server.use(
      http.get(`${API}/logistics/202309/warehouses`, response),
      http.post(`${API}/order/202309/orders/search`, response),
      http.get(`${AUTH}/api/v2/token/refresh`, () => {
        throw new Error('no refresh expected');
      }),
    );
    const { client } = await makeShop();
    const call = operation === 'orders' ? client.orders.searchOrders() : client.logistics.getWarehouses();
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    const text = JSON.stringify({ message: (error as Error).message, ...(error as object) });
    expect(text).not.toContain(APP_SECRET);
    expect(text).not.toContain('ROW_access_token_one_0123456789');
    return error as Error & { code?: string; status?: number; requestId?: string };
  }

  it('HTTP 200 with a non-zero code is an error', async () => {
    const error = await failure(() => fail(12052217, 'category is not a leaf category'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: '12052217', status: 200, requestId: 'req-12052217' });
  });

  it('106001 names its likely causes and is not treated as an expired token', async () => {
    const error = await failure(() => fail(106001, "The 'sign' query parameter is invalid", 401));
    expect(error).toBeInstanceOf(TikTokSignatureError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/app key and app secret/);
    expect(error.message).toMatch(/body sent differs from the body signed/);
    expect(error.status).toBe(401);
  });

  it('36009002 is a RateLimitError honouring Retry-After', async () => {
    const error = await failure(() => fail(36009002, 'too many requests', 429, { 'retry-after': '60' }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 60_000, retryable: true });
  });

  it('105005 is a PermissionError naming the missing scope', async () => {
    const error = await failure(() => fail(105005, 'you should apply auth pkg for this api'), 'orders');
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toBeInstanceOf(TikTokScopeError);
    expect((error as TikTokScopeError).scope).toBe('seller.order.info');
    expect(error.message).toContain('seller.order.info');
    expect(error.message).toContain('Partner Center');
  });

  it('36009004 is classified by its message', async () => {
    const stale = await failure(() => fail(36009004, 'timestamp is invalid: older than 5 minutes', 400));
    expect(stale).toBeInstanceOf(ValidationError);
    expect((stale as ValidationError).issues[0]?.path).toBe('timestamp');
    expect(stale.message).toMatch(/NTP/);
    const cipher = mapTikTokError({
      marketplace: 'tiktok',
      status: 400,
      headers: new Headers(),
      text: '',
      json: { code: 36009004, message: 'shop_cipher is not required', request_id: 'r' },
      requestId: undefined,
      retryAfterMs: undefined,
      operation: 'seller.shops',
    });
    expect((cipher as ValidationError).issues[0]?.path).toBe('shop_cipher');
    const token = mapTikTokError({
      marketplace: 'tiktok',
      status: 200,
      headers: new Headers(),
      text: '',
      json: { code: 36009004, message: 'invalid x-tts-access-token', request_id: 'r' },
      requestId: undefined,
      retryAfterMs: undefined,
      operation: undefined,
    });
    expect(token).toBeInstanceOf(AuthenticationError);
  });

  it('36009003 is a transient ServerError (GETs are retried, then thrown)', async () => {
    let calls = 0;
    const error = await failure(() => {
      calls += 1;
      return fail(36009003, 'internal error, please retry');
    });
    expect(error).toBeInstanceOf(ServerError);
    expect(calls).toBe(4);
  });

  it('a "not exist" message is a NotFoundError', async () => {
    expect(await failure(() => fail(12019999, 'product does not exist'))).toBeInstanceOf(NotFoundError);
  });

  it('code 0 is success even with an odd status; a body without envelope falls back to the HTTP status', () => {
    const context = {
      marketplace: 'tiktok',
      status: 200,
      headers: new Headers(),
      text: '',
      requestId: undefined,
      retryAfterMs: undefined,
      operation: undefined,
    };
    expect(mapTikTokError({ ...context, json: { code: 0, message: 'Success', data: {} } })).toBeUndefined();
    expect(mapTikTokError({ ...context, status: 502, json: undefined })).toBeUndefined();
  });

  it('a non-JSON 502 becomes a ServerError through the status fallback', async () => {
    const error = await failure(() => new HttpResponse('<html>bad gateway</html>', { status: 502 }));
    expect(error).toBeInstanceOf(ServerError);
  });
});

describe('response size limit', () => {
  it('takes maxResponseBytes from the createTikTokShop options and refuses a larger body', async () => {
    const shop = createTikTokShop({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      serviceId: '7123456789012345678',
      tokenStore: new MemoryTokenStore(),
      maxResponseBytes: 1024,
      fetch: async () => new Response('x'.repeat(4096)),
    });
    const error = await shop.transport
      .request({ method: 'GET', path: '/seller/202309/shops', auth: false })
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).url).toBe(`${API}/seller/202309/shops`);
  });
});
