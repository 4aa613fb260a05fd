import { describe, expect, it } from 'vitest';
import { type App, call, useShopeeSandbox } from './shopee-helpers';

describe('Shopee per-shop rate limit', () => {
  const { sandbox, app } = useShopeeSandbox({ shopRateLimit: { requestsPerSecond: 1, burst: 2 } });

  it('gives each shop its own bucket under one partner, until the clock refills it', async () => {
    const a = app();
    const shop = sandbox.addShop({ region: 'SG' });
    const b: App = {
      ...a,
      shopId: shop.shopId,
      accessToken: sandbox.issueTokens({ partnerId: a.partnerId, shopId: shop.shopId }).accessToken,
    };
    const shopInfo = (who: App) => call(sandbox, who, 'GET', '/api/v2/shop/get_shop_info');
    expect((await shopInfo(a)).json.error).toBe('');
    expect((await shopInfo(a)).json.error).toBe('');
    const limited = await shopInfo(a);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ error: 'error_rate_limit', message: 'Too many requests.' });
    expect((await shopInfo(b)).json.error).toBe('');
    sandbox.clock.advance(1000);
    expect((await shopInfo(a)).json.error).toBe('');
  });
});
