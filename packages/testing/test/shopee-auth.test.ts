import { describe, expect, it } from 'vitest';
import { type App, call, hmacHex, LIVE, START_S, useShopeeSandbox } from './shopee-helpers';

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

describe('Shopee authorization and tokens', () => {
  const { sandbox, app } = useShopeeSandbox();

  function authLink(
    a: App,
    redirect: string,
    timestamp = START_S,
    path = '/api/v2/shop/auth_partner',
  ): string {
    const url = new URL(LIVE + path);
    url.searchParams.set('partner_id', String(a.partnerId));
    url.searchParams.set('timestamp', String(timestamp));
    url.searchParams.set('sign', hmacHex(a.partnerKey, `${a.partnerId}${path}${timestamp}`));
    url.searchParams.set('redirect', redirect);
    return url.toString();
  }

  async function exchange(a: App, body: Record<string, unknown>) {
    return call(sandbox, a, 'POST', '/api/v2/auth/token/get', {
      kind: 'public',
      body: { partner_id: a.partnerId, ...body },
    });
  }

  async function refresh(a: App, body: Record<string, unknown>) {
    return call(sandbox, a, 'POST', '/api/v2/auth/access_token/get', {
      kind: 'public',
      body: { partner_id: a.partnerId, ...body },
    });
  }

  async function shopInfo(a: App, accessToken: string, shopId = a.shopId) {
    return call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info', { accessToken, shopId });
  }

  async function authorizeByBrowser(a: App): Promise<{ code: string; shopId: number }> {
    const response = await fetch(authLink(a, 'https://seller.example.com/shopee/callback?x=1'), {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://seller.example.com/shopee/callback');
    expect(location.searchParams.get('x')).toBe('1');
    return {
      code: location.searchParams.get('code') ?? '',
      shopId: Number(location.searchParams.get('shop_id')),
    };
  }

  it('a signed auth_partner link redirects with a code and shop_id that token/get exchanges for a flat token body', async () => {
    const a = app();
    const { code, shopId } = await authorizeByBrowser(a);
    expect(shopId).toBe(a.shopId);
    const result = await exchange(a, { code, shop_id: shopId });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ error: '', message: '', expire_in: 14400 });
    expect(result.json).not.toHaveProperty('response');
    expect(result.json.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(result.json.refresh_token).toMatch(/^[0-9a-f]{32}$/);
    expect((await shopInfo(a, result.json.access_token)).json.error).toBe('');
  });

  it('refuses an auth_partner link whose timestamp is older than 5 minutes', async () => {
    const response = await fetch(authLink(app(), 'https://seller.example.com/cb', START_S - 301), {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe('Timestamp is expired.');
  });

  it('a code works once, for its own shop, within 10 minutes', async () => {
    const a = app();
    const first = await sandbox.authorize({ partnerId: a.partnerId, shopId: a.shopId });
    expect((await exchange(a, { code: first.code, shop_id: a.shopId + 1 })).json.error).toBe(
      'invalid_shop_id',
    );
    expect((await exchange(a, { code: first.code, shop_id: a.shopId })).json.error).toBe('');
    const reused = await exchange(a, { code: first.code, shop_id: a.shopId });
    expect(reused.json).toMatchObject({ error: 'invalid_code' });
    expect(reused.status).toBe(403);

    const late = await sandbox.authorize({ partnerId: a.partnerId, shopId: a.shopId });
    sandbox.clock.advance(10 * MINUTE + 1000);
    expect((await exchange(a, { code: late.code, shop_id: a.shopId })).json.error).toBe('invalid_code');
  });

  it('token/get needs partner_id in the body too, matching the query', async () => {
    const a = app();
    const { code } = await sandbox.authorize({ partnerId: a.partnerId, shopId: a.shopId });
    const missing = await call(sandbox, a, 'POST', '/api/v2/auth/token/get', {
      kind: 'public',
      body: { code, shop_id: a.shopId },
    });
    expect(missing.json.error).toBe('error_param');
    expect(missing.json.message).toContain('partner_id');
    expect((await exchange(a, { code, shop_id: a.shopId, partner_id: 42 })).json.error).toBe('error_param');
  });

  it('an access token lasts 4 hours', async () => {
    const a = app();
    sandbox.clock.advance(4 * HOUR - MINUTE);
    expect((await shopInfo(a, a.accessToken)).json.error).toBe('');
    sandbox.clock.advance(2 * MINUTE);
    const expired = await shopInfo(a, a.accessToken);
    expect(expired.json).toMatchObject({ error: 'invalid_acceess_token' });
    expect(expired.status).toBe(403);
  });

  it('refresh rotates: new pair, the used refresh token is dead, the old access token lives 5 more minutes', async () => {
    const a = app();
    const first = await refresh(a, { refresh_token: a.refreshToken, shop_id: a.shopId });
    expect(first.json).toMatchObject({
      error: '',
      partner_id: a.partnerId,
      shop_id: a.shopId,
      expire_in: 14400,
    });
    expect(first.json).not.toHaveProperty('response');
    expect(first.json.refresh_token).not.toBe(a.refreshToken);
    expect(first.json.access_token).not.toBe(a.accessToken);

    const reused = await refresh(a, { refresh_token: a.refreshToken, shop_id: a.shopId });
    expect(reused.json.error).toBe('error_shop_refresh_token');

    const second = await refresh(a, { refresh_token: first.json.refresh_token, shop_id: a.shopId });
    expect(second.json.error).toBe('');

    sandbox.clock.advance(4 * MINUTE);
    expect((await shopInfo(a, a.accessToken)).json.error).toBe('');
    sandbox.clock.advance(2 * MINUTE);
    expect((await shopInfo(a, a.accessToken)).json.error).toBe('invalid_acceess_token');
    expect((await shopInfo(a, second.json.access_token)).json.error).toBe('');
  });

  it('a refresh token older than 30 days is refused as expired', async () => {
    const a = app();
    sandbox.clock.advance(30 * 24 * HOUR + 1000);
    const result = await refresh(a, { refresh_token: a.refreshToken, shop_id: a.shopId });
    expect(result.json.error).toBe('refresh_token_expired');
  });

  it('refresh needs exactly one of shop_id and merchant_id, and the token must belong to that shop', async () => {
    const a = app();
    expect((await refresh(a, { refresh_token: a.refreshToken })).json.error).toBe('error_param');
    const other = sandbox.addShop({ region: 'MY' });
    expect((await refresh(a, { refresh_token: a.refreshToken, shop_id: other.shopId })).json.error).toBe(
      'error_shop_refresh_token',
    );
  });

  it('a token of one shop does not open another shop', async () => {
    const a = app();
    const other = sandbox.addShop({ region: 'MY' });
    sandbox.issueTokens({ partnerId: a.partnerId, shopId: other.shopId });
    const result = await shopInfo(a, a.accessToken, other.shopId);
    expect(result.json.error).toBe('error_auth');
  });

  it('a main-account grant covers its shops and merchants; the first refresh is made per shop and per merchant', async () => {
    const a = app();
    const shopA = sandbox.addShop({ mainAccountId: 7001, region: 'SG' });
    const shopB = sandbox.addShop({ mainAccountId: 7001, region: 'MY' });
    const merchant = sandbox.addMerchant({ mainAccountId: 7001 });
    sandbox.authorizeAs({ mainAccountId: 7001 });
    const response = await fetch(authLink(a, 'https://seller.example.com/cb'), { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('main_account_id')).toBe('7001');
    expect(location.searchParams.has('shop_id')).toBe(false);

    const tokens = await exchange(a, { code: location.searchParams.get('code'), main_account_id: 7001 });
    expect(tokens.json.shop_id_list).toEqual([shopA.shopId, shopB.shopId]);
    expect(tokens.json.merchant_id_list).toEqual([merchant.merchantId]);
    const shared = tokens.json.refresh_token;
    expect((await shopInfo(a, tokens.json.access_token, shopB.shopId)).json.error).toBe('');

    const forA = await refresh(a, { refresh_token: shared, shop_id: shopA.shopId });
    const forB = await refresh(a, { refresh_token: shared, shop_id: shopB.shopId });
    const forMerchant = await refresh(a, { refresh_token: shared, merchant_id: merchant.merchantId });
    expect([forA.json.error, forB.json.error, forMerchant.json.error]).toEqual(['', '', '']);
    expect(forMerchant.json.merchant_id).toBe(merchant.merchantId);
    expect((await refresh(a, { refresh_token: shared, shop_id: shopA.shopId })).json.error).toBe(
      'error_shop_refresh_token',
    );
    // From now on each shop has its own pair: shop A's token does not open shop B.
    expect((await shopInfo(a, forA.json.access_token, shopB.shopId)).json.error).toBe('error_auth');
  });

  it('cancel_auth_partner revokes the grant: tokens stop working and the shop leaves get_shops_by_partner', async () => {
    const a = app();
    const listed = await call(sandbox, a, 'GET', '/api/v2/public/get_shops_by_partner', {
      kind: 'public',
      query: { page_size: 10, page_no: 1 },
    });
    expect(listed.json).not.toHaveProperty('response');
    expect(listed.json.authed_shop_list).toEqual([
      expect.objectContaining({ shop_id: a.shopId, region: 'SG', expire_time: START_S + 365 * 24 * 3600 }),
    ]);
    expect(listed.json.more).toBe(false);

    const response = await fetch(
      authLink(a, 'https://seller.example.com/bye', START_S, '/api/v2/shop/cancel_auth_partner'),
      {
        redirect: 'manual',
      },
    );
    expect(response.status).toBe(302);
    expect((await shopInfo(a, a.accessToken)).json.error).toBe('invalid_acceess_token');
    expect((await refresh(a, { refresh_token: a.refreshToken, shop_id: a.shopId })).json.error).toBe(
      'error_shop_refresh_token',
    );
    const after = await call(sandbox, a, 'GET', '/api/v2/public/get_shops_by_partner', {
      kind: 'public',
      query: { page_size: 10, page_no: 1 },
    });
    expect(after.json.authed_shop_list).toEqual([]);
  });

  it('a grant lasts 365 days; after that calls answer shop_access_expired until the seller authorizes again', async () => {
    const a = app();
    sandbox.clock.advance(365 * 24 * HOUR + 1000);
    expect((await shopInfo(a, a.accessToken)).json.error).toBe('shop_access_expired');
    const { code } = await sandbox.authorize({ partnerId: a.partnerId, shopId: a.shopId });
    const renewed = await exchange(a, { code, shop_id: a.shopId });
    expect((await shopInfo(a, renewed.json.access_token)).json.error).toBe('');
  });
});
