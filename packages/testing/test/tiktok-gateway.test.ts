import { describe, expect, it } from 'vitest';
import { API, installServer, nodeSign, START_S, shopSetup, tiktokClient } from './tiktok-helpers';

const env = installServer();
const WAREHOUSES = '/logistics/202309/warehouses';
const DAY_MS = 24 * 60 * 60 * 1000;

describe('TikTok gateway: app key, timestamp and sign', () => {
  it('refuses an unknown app_key with 36009004 / HTTP 400', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const response = await call('GET', WAREHOUSES, { appKey: 'nobody' });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ code: 36009004, message: expect.stringContaining('app_key') });
    expect(response.json).not.toHaveProperty('data');
  });

  it('refuses a request without sign', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const response = await call('GET', WAREHOUSES, { sign: '' });
    expect(response.json).toMatchObject({ code: 36009004, message: expect.stringContaining('sign') });
  });

  it('accepts a timestamp within 5 minutes either way and refuses a stale, future or millisecond one', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    await expect(call('GET', WAREHOUSES, { timestamp: START_S - 300 })).resolves.toMatchObject({
      json: { code: 0 },
    });
    await expect(call('GET', WAREHOUSES, { timestamp: START_S + 300 })).resolves.toMatchObject({
      json: { code: 0 },
    });
    for (const timestamp of [START_S - 301, START_S + 301, START_S * 1000]) {
      const response = await call('GET', WAREHOUSES, { timestamp });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: 36009004, message: expect.stringContaining('timestamp') });
    }
  });

  it('judges the timestamp on the sandbox clock', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    sandbox.clock.advance(10 * 60 * 1000);
    const stale = await call('GET', WAREHOUSES, { timestamp: START_S });
    expect(stale.json.code).toBe(36009004);
    const fresh = await call('GET', WAREHOUSES);
    expect(fresh.json.code).toBe(0);
  });

  it('answers an unknown path with 36009009 / 404 and a wrong method with 36009010', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const unknown = await call('GET', '/order/202309/nothing_here');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe(36009009);
    const legacy = await call('POST', '/api/orders/search');
    expect(legacy.json.code).toBe(36009009);
    const wrongMethod = await call('POST', WAREHOUSES);
    expect(wrongMethod.json.code).toBe(36009010);
  });

  it('refuses the legacy shop_id parameter on 202309 paths', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const response = await call('GET', WAREHOUSES, { query: { shop_id: shop.id } });
    expect(response.json).toMatchObject({ code: 36009004, message: expect.stringContaining('shop_id') });
  });

  it('refuses a JSON body with the wrong content-type, and a body that is not JSON', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const wrongType = await call('POST', '/order/202309/orders/search', {
      query: { page_size: '10' },
      body: '{}',
      contentType: 'text/plain',
    });
    expect(wrongType.json.code).toBe(36009023);
    const notJson = await call('POST', '/order/202309/orders/search', {
      query: { page_size: '10' },
      body: '{"a":',
    });
    expect(notJson.json.code).toBe(36009022);
  });
});

describe('TikTok gateway: access token', () => {
  it('needs the x-tts-access-token header', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const response = await call('GET', WAREHOUSES, { token: null });
    expect(response.json).toMatchObject({
      code: 36009004,
      message: expect.stringContaining('x-tts-access-token'),
    });
  });

  it('answers an unknown token with 105001 and an expired one with 105002 after 7 days', async () => {
    const sandbox = env.sandbox();
    const { call, tokens } = shopSetup(sandbox);
    const unknown = await call('GET', WAREHOUSES, { token: 'ROW_made_up' });
    expect(unknown.status).toBe(401);
    expect(unknown.json.code).toBe(105001);

    expect(tokens.accessTokenExpireIn).toBe(START_S + 7 * 24 * 60 * 60);
    sandbox.clock.advance(7 * DAY_MS - 1000);
    expect((await call('GET', WAREHOUSES)).json.code).toBe(0);
    sandbox.clock.advance(1000);
    const expired = await call('GET', WAREHOUSES);
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({
      code: 105002,
      message: 'access token is expired, please refresh it',
    });
  });

  it("refuses one app's token on another app's signed request", async () => {
    const sandbox = env.sandbox();
    const { shop, tokens } = shopSetup(sandbox);
    const other = sandbox.createApp();
    const call = tiktokClient(sandbox, {
      appKey: other.appKey,
      appSecret: other.appSecret,
      accessToken: tokens.accessToken,
      cipher: shop.cipher,
    });
    expect((await call('GET', WAREHOUSES)).json.code).toBe(105001);
  });

  it('answers 105005 when the token lacks the API package of the endpoint', async () => {
    const sandbox = env.sandbox();
    const shop = sandbox.addShop();
    const tokens = sandbox.issueTokens({ shopId: shop.id, scopes: ['seller.authorization.info'] });
    const call = tiktokClient(sandbox, { accessToken: tokens.accessToken, cipher: shop.cipher });
    const denied = await call('POST', '/order/202309/orders/search', { query: { page_size: '10' } });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ code: 105005, message: 'you should apply auth pkg for this api' });
    const allowed = await call('GET', '/authorization/202309/shops', { cipher: null });
    expect(allowed.json.code).toBe(0);
  });
});

describe('TikTok gateway: shop_cipher', () => {
  it('lists the authorized shops with their cipher, and refuses a cipher on that endpoint', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const second = sandbox.addShop({ openId: shop.openId, region: 'US' });
    const listed = await call('GET', '/authorization/202309/shops', { cipher: null });
    expect(listed.json.code).toBe(0);
    expect(listed.json.data.shops).toEqual([
      {
        id: shop.id,
        name: 'Sock Shop',
        region: 'GB',
        seller_type: 'LOCAL',
        cipher: shop.cipher,
        code: shop.code,
      },
      expect.objectContaining({ id: second.id, region: 'US', cipher: second.cipher }),
    ]);
    expect(typeof listed.json.data.shops[0].id).toBe('string');
    expect(second.cipher.startsWith('TTP_')).toBe(true);

    const refused = await call('GET', '/authorization/202309/shops');
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      code: 36009004,
      message: 'shop_cipher is not required for this api',
    });
    const sellerShops = await call('GET', '/seller/202309/shops');
    expect(sellerShops.json.code).toBe(36009004);
  });

  it('requires a cipher on shop-scoped endpoints (106013) and refuses an unknown one', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const missing = await call('GET', WAREHOUSES, { cipher: null });
    expect(missing.json.code).toBe(106013);
    const unknown = await call('GET', WAREHOUSES, { cipher: 'ROW_unknown' });
    expect(unknown.json).toMatchObject({ code: 36009004, message: 'shop_cipher is invalid' });
  });

  it("refuses the cipher of a shop this token's seller did not authorize", async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const stranger = sandbox.addShop({ name: 'Another seller' });
    const response = await call('GET', WAREHOUSES, { cipher: stranger.cipher });
    expect(response.json.code).toBe(101000);
  });

  it('signs shop_cipher like any other key', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const withoutCipher = nodeSign({
      secret: sandbox.app.appSecret,
      path: WAREHOUSES,
      query: { app_key: sandbox.app.appKey, timestamp: String(START_S) },
    });
    const response = await call('GET', WAREHOUSES, { sign: withoutCipher });
    expect(response.json.code).toBe(106001);
    expect(shop.cipher).not.toBe('');
  });
});

describe('TikTok gateway: rate limit', () => {
  it('answers HTTP 429 / 36009002 with Retry-After past the limit, per app and shop, until time passes', async () => {
    const sandbox = env.sandbox({ rateLimit: { requestsPerSecond: 1, burst: 2 } });
    const { call, shop } = shopSetup(sandbox);
    const other = sandbox.addShop({ openId: shop.openId });
    expect((await call('GET', WAREHOUSES)).json.code).toBe(0);
    expect((await call('GET', WAREHOUSES)).json.code).toBe(0);
    const limited = await call('GET', WAREHOUSES);
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe(36009002);
    expect(limited.headers.get('retry-after')).toBe('1');

    expect((await call('GET', WAREHOUSES, { cipher: other.cipher })).json.code).toBe(0);
    sandbox.clock.advance(1000);
    expect((await call('GET', WAREHOUSES)).json.code).toBe(0);

    sandbox.setRateLimit();
    for (let index = 0; index < 5; index += 1) expect((await call('GET', WAREHOUSES)).json.code).toBe(0);
  });
});

describe('TikTok gateway: app rate limit', () => {
  it('counts every shop of an app against one app-wide bucket', async () => {
    const sandbox = env.sandbox({ appRateLimit: { requestsPerSecond: 1, burst: 2 } });
    const { call, shop } = shopSetup(sandbox);
    const other = sandbox.addShop({ openId: shop.openId });
    expect((await call('GET', WAREHOUSES)).json.code).toBe(0);
    expect((await call('GET', WAREHOUSES, { cipher: other.cipher })).json.code).toBe(0);
    const limited = await call('GET', WAREHOUSES, { cipher: other.cipher });
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe(36009002);
    expect((await call('GET', WAREHOUSES)).status).toBe(429);
    sandbox.clock.advance(1000);
    expect((await call('GET', WAREHOUSES)).json.code).toBe(0);
  });
});

describe('TikTok gateway: faults', () => {
  it('answers an injected status in the TikTok envelope, on the nth call only', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    sandbox.faults.inject({ path: WAREHOUSES, nth: 2, fault: { status: 503 } });
    expect((await call('GET', WAREHOUSES)).status).toBe(200);
    const failed = await call('GET', WAREHOUSES);
    expect(failed.status).toBe(503);
    expect(failed.json).toMatchObject({ code: 36009003, request_id: expect.any(String) });
    expect((await call('GET', WAREHOUSES)).status).toBe(200);
  });

  it('drops the connection, or sends malformed or truncated JSON', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    sandbox.faults.inject({ path: WAREHOUSES, nth: 1, fault: { drop: true } });
    sandbox.faults.inject({ path: WAREHOUSES, nth: 2, fault: { malformedJson: true } });
    sandbox.faults.inject({ path: WAREHOUSES, nth: 3, fault: { truncatedJson: true } });
    sandbox.faults.inject({ path: WAREHOUSES, nth: 4, fault: { latencyMs: 5 } });
    await expect(call('GET', WAREHOUSES)).rejects.toThrow();
    await expect(call('GET', WAREHOUSES)).rejects.toThrow(SyntaxError);
    await expect(call('GET', WAREHOUSES)).rejects.toThrow(SyntaxError);
    await expect(call('GET', WAREHOUSES)).resolves.toMatchObject({ json: { code: 0 } });
    expect(sandbox.faults.applied.map((fault) => fault.kind)).toEqual([
      'drop',
      'malformedJson',
      'truncatedJson',
      'latency',
    ]);
  });

  it('applies a write whose response was lost', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const product = sandbox.addProduct({ skus: [{ stock: 5 }] });
    const sku = product.skus[0]!;
    const path = `/product/202309/products/${product.id}/inventory/update`;
    sandbox.faults.inject({ method: 'POST', path, nth: 1, fault: { lostResponse: true } });
    const body = {
      skus: [{ id: sku.id, inventory: [{ warehouse_id: sku.inventory[0]!.warehouseId, quantity: 42 }] }],
    };
    await expect(call('POST', path, { body })).rejects.toThrow();
    expect(sandbox.stockOf(sku.id)).toBe(42);
  });
});

describe('TikTok sandbox stats and hosts', () => {
  it('counts calls by route template', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const product = sandbox.addProduct();
    await call('GET', WAREHOUSES);
    await call('GET', `/product/202309/products/${product.id}`);
    await call('GET', `/product/202309/products/${product.id}`);
    expect(sandbox.stats()).toEqual({
      requests: 3,
      byPath: { [WAREHOUSES]: 1, '/product/202309/products/{product_id}': 2 },
    });
    sandbox.reset();
    expect(sandbox.stats().requests).toBe(0);
    expect(sandbox.listShops()).toEqual([]);
  });

  it('serves a configured API host', async () => {
    const sandbox = env.sandbox({ apiBaseUrl: 'https://open-api-sandbox.tiktokglobalshop.com' });
    const { shop, tokens } = shopSetup(sandbox);
    const query = { app_key: sandbox.app.appKey, timestamp: String(START_S), shop_cipher: shop.cipher };
    const sign = nodeSign({ secret: sandbox.app.appSecret, path: WAREHOUSES, query });
    const url = new URL(`https://open-api-sandbox.tiktokglobalshop.com${WAREHOUSES}`);
    for (const [key, value] of Object.entries({ ...query, sign })) url.searchParams.set(key, value);
    const response = await fetch(url, { headers: { 'x-tts-access-token': tokens.accessToken } });
    expect((await response.json()).code).toBe(0);
    expect(sandbox.urls.api).toBe('https://open-api-sandbox.tiktokglobalshop.com');
    expect(API).not.toBe(sandbox.urls.api);
  });
});
