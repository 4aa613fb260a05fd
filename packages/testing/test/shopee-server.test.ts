import { getResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer } from '../src/server';
import { createSandboxClock } from '../src/shared/clock';
import { createShopeeSandbox } from '../src/shopee/index';
import { hmacHex, START_MS, START_S } from './shopee-helpers';

function seeded(options: Parameters<typeof createShopeeSandbox>[0] = {}) {
  const sandbox = createShopeeSandbox({
    clock: createSandboxClock({ start: START_MS, frozen: true }),
    ...options,
  });
  const { partnerId, partnerKey } = sandbox.addPartner();
  const shop = sandbox.addShop();
  const tokens = sandbox.issueTokens({ partnerId, shopId: shop.shopId });
  const sign = (path: string, accessToken = tokens.accessToken) =>
    hmacHex(partnerKey, `${partnerId}${path}${START_S}${accessToken}${shop.shopId}`);
  const query = (path: string, accessToken = tokens.accessToken) =>
    `partner_id=${partnerId}&timestamp=${START_S}&access_token=${accessToken}&shop_id=${shop.shopId}&sign=${sign(path, accessToken)}`;
  return { sandbox, shop, tokens, query };
}

describe('Shopee sandbox over real HTTP', () => {
  const { sandbox, shop, query } = seeded();
  let baseUrl = '';
  let close: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const server = await startSandboxServer(sandbox.handlers, { defaultHost: 'partner.shopeemobile.com' });
    baseUrl = server.url;
    close = server.close;
  });
  afterAll(() => close());

  it('answers signed calls sent to localhost as if sent to the live host', async () => {
    const path = '/api/v2/shop/get_shop_info';
    const response = await fetch(`${baseUrl}${path}?${query(path)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ error: '', region: 'SG' });
  });

  it('keeps big ids exact through the socket', async () => {
    sandbox.addItem({
      shopId: shop.shopId,
      itemId: 9007199254740993n,
      tierVariation: [{ name: 'Size', options: ['M'] }],
      models: [{ modelId: 9007199254740995n, tierIndex: [0], price: 1, stock: 1 }],
    });
    const path = '/api/v2/product/update_stock';
    const response = await fetch(`${baseUrl}${path}?${query(path)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"item_id":9007199254740993,"stock_list":[{"model_id":9007199254740995,"seller_stock":[{"stock":4}]}]}',
    });
    expect(await response.text()).toContain('"model_id":9007199254740995,"stock":4');
  });

  it('closes the connection on a dropped-connection fault', async () => {
    sandbox.faults.inject({ path: '/api/v2/shop/get_shop_info', nth: 1, fault: { drop: true } });
    const path = '/api/v2/shop/get_shop_info';
    await expect(fetch(`${baseUrl}${path}?${query(path)}`)).rejects.toThrow();
  });
});

describe('invalid-token error code option', () => {
  it('answers error_auth instead of invalid_acceess_token when configured', async () => {
    const path = '/api/v2/shop/get_shop_info';
    const byDefault = seeded();
    const configured = seeded({ invalidTokenError: 'error_auth' });
    const ask = async (setup: ReturnType<typeof seeded>) => {
      const request = new Request(
        `https://partner.shopeemobile.com${path}?${setup.query(path, 'not-a-token')}`,
      );
      const response = await getResponse(setup.sandbox.handlers, request);
      return (await response?.json()) as { error: string };
    };
    expect((await ask(byDefault)).error).toBe('invalid_acceess_token');
    expect((await ask(configured)).error).toBe('error_auth');
  });
});
