import { describe, expect, it } from 'vitest';
import { type App, call, signedUrl, useShopeeSandbox } from './shopee-helpers';

describe('Shopee faults, rate limit and stats', () => {
  const { sandbox, app } = useShopeeSandbox();

  function stockCall(a: App, itemId: bigint, stock: number) {
    return call(sandbox, a, 'POST', '/api/v2/product/update_stock', {
      body: { item_id: Number(itemId), stock_list: [{ seller_stock: [{ stock }] }] },
    });
  }

  describe('faults', () => {
    it('a status fault answers a Shopee error envelope without touching state', async () => {
      const a = app();
      const item = sandbox.addItem({ shopId: a.shopId, stock: 1 });
      sandbox.faults.inject({ path: '/api/v2/product/update_stock', fault: { status: 503 } });
      const result = await stockCall(a, item.itemId, 9);
      expect(result.status).toBe(503);
      expect(result.json).toMatchObject({
        error: 'error_server',
        request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(sandbox.getItem(item.itemId)?.stock).toBe(1);
    });

    it('a dropped connection rejects the fetch and changes nothing', async () => {
      const a = app();
      const item = sandbox.addItem({ shopId: a.shopId, stock: 1 });
      sandbox.faults.inject({ path: '/api/v2/product/update_stock', fault: { drop: true } });
      await expect(stockCall(a, item.itemId, 9)).rejects.toThrow();
      expect(sandbox.getItem(item.itemId)?.stock).toBe(1);
    });

    it('a lost response rejects the fetch although the write happened', async () => {
      const a = app();
      const item = sandbox.addItem({ shopId: a.shopId, stock: 1 });
      sandbox.faults.inject({ path: '/api/v2/product/update_stock', fault: { lostResponse: true } });
      await expect(stockCall(a, item.itemId, 9)).rejects.toThrow();
      expect(sandbox.getItem(item.itemId)?.stock).toBe(9);
    });

    it('malformed JSON is not processed; truncated JSON is processed but unreadable', async () => {
      const a = app();
      const item = sandbox.addItem({ shopId: a.shopId, stock: 1 });
      sandbox.faults.inject({ path: '/api/v2/product/update_stock', nth: 1, fault: { malformedJson: true } });
      sandbox.faults.inject({ path: '/api/v2/product/update_stock', nth: 2, fault: { truncatedJson: true } });
      const malformed = await stockCall(a, item.itemId, 5);
      expect(malformed.status).toBe(200);
      expect(malformed.json).toBeUndefined();
      expect(sandbox.getItem(item.itemId)?.stock).toBe(1);
      const truncated = await stockCall(a, item.itemId, 6);
      expect(truncated.json).toBeUndefined();
      expect(truncated.text.startsWith('{"request_id"')).toBe(true);
      expect(sandbox.getItem(item.itemId)?.stock).toBe(6);
      const third = await stockCall(a, item.itemId, 7);
      expect(third.json.error).toBe('');
    });

    it('the nth rule hits only that call, and latency still answers normally', async () => {
      const a = app();
      sandbox.faults.inject({ path: '/api/v2/shop/get_shop_info', nth: 2, fault: { status: 500 } });
      sandbox.faults.inject({ path: '/api/v2/shop/get_shop_info', nth: 3, fault: { latencyMs: 5 } });
      const statuses: number[] = [];
      for (let index = 0; index < 4; index += 1) {
        statuses.push((await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info')).status);
      }
      expect(statuses).toEqual([200, 500, 200, 200]);
      expect(sandbox.faults.applied.map((fault) => fault.kind)).toEqual(['status', 'latency']);
    });
  });

  describe('rate limit', () => {
    it('answers error_rate_limit (HTTP 429) past the burst, until the clock refills the bucket', async () => {
      const a = app();
      sandbox.setRateLimit({ requestsPerSecond: 1, burst: 2 });
      const first = await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info');
      const second = await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info');
      const third = await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info');
      expect([first.json.error, second.json.error]).toEqual(['', '']);
      expect(third.status).toBe(429);
      expect(third.json).toMatchObject({ error: 'error_rate_limit', message: 'Too many requests.' });
      sandbox.clock.advance(1000);
      expect((await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info')).json.error).toBe('');
    });

    it('limits each partner separately, and setRateLimit() with no argument lifts it', async () => {
      const a = app();
      const other = sandbox.addPartner();
      sandbox.issueTokens({ partnerId: other.partnerId, shopId: a.shopId });
      const tokens = sandbox.issueTokens({ partnerId: other.partnerId, shopId: a.shopId });
      const b: App = {
        ...a,
        partnerId: other.partnerId,
        partnerKey: other.partnerKey,
        accessToken: tokens.accessToken,
      };
      sandbox.setRateLimit({ requestsPerSecond: 1, burst: 1 });
      expect((await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info')).json.error).toBe('');
      expect((await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info')).json.error).toBe(
        'error_rate_limit',
      );
      expect((await call(sandbox, b, 'GET', '/api/v2/shop/get_shop_info')).json.error).toBe('');
      sandbox.setRateLimit();
      expect((await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info')).json.error).toBe('');
    });
  });

  describe('routing, stats and reset', () => {
    it('answers an unknown path with the documented error_param message', async () => {
      const result = await call(sandbox, app(), 'GET', '/api/v2/product/no_such_api');
      expect(result.json).toMatchObject({
        error: 'error_param',
        message: 'Permission denied. This API is currently offline or the request path is incorrect.',
      });
    });

    it('refuses the wrong HTTP method', async () => {
      const response = await fetch(signedUrl(sandbox, app(), '/api/v2/product/update_stock'));
      expect((await response.json()).error).toBe('error_param');
    });

    it('counts API calls per path, rejected ones included', async () => {
      const a = app();
      await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info');
      await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info', { partnerKey: 'wrong' });
      await call(sandbox, a, 'GET', '/api/v2/order/get_order_detail', { query: { order_sn_list: 'X' } });
      expect(sandbox.stats()).toEqual({
        requests: 3,
        byPath: { '/api/v2/shop/get_shop_info': 2, '/api/v2/order/get_order_detail': 1 },
      });
    });

    it('reset forgets state, faults and stats', async () => {
      const a = app();
      sandbox.addItem({ shopId: a.shopId });
      sandbox.faults.inject({ fault: { status: 500 } });
      await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info');
      sandbox.reset();
      expect(sandbox.listItems()).toEqual([]);
      expect(sandbox.stats().requests).toBe(0);
      const result = await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info');
      expect(result.json.error).toBe('invalid_partner_id');
    });
  });
});
