import { ValidationError } from '@mlh/core';
import {
  buildShopeeAuthorizationUrl,
  shopeeBaseString,
  signShopeeRequest,
  signShopeeRequestSync,
} from '@mlh/shopee';
import { describe, expect, it } from 'vitest';
import { nodeSign } from './support';

const KEY = 'test-partner-key-0123456789abcdef';
const TOKEN = '6a55746e61546f707579627656637464';

describe('signShopeeRequest: the reference vectors', () => {
  const vectors = [
    {
      id: 'S1 public, auth link',
      input: { partnerId: 1000001, path: '/api/v2/shop/auth_partner', timestamp: 1700000000 },
      base: '1000001/api/v2/shop/auth_partner1700000000',
      sign: '9c6d91d2e13cbc71c822428cdb6eedd9e99fc1256a656fc0c07a12772a34eecd',
    },
    {
      id: 'S2 public, token/get',
      input: { partnerId: 1000001, path: '/api/v2/auth/token/get', timestamp: 1700000000 },
      base: '1000001/api/v2/auth/token/get1700000000',
      sign: '1e70cdd9a0530d4f5490a5df44c202ffc08afee4832cd6315f5a8aec223fb7a1',
    },
    {
      id: 'S3 public, refresh',
      input: { partnerId: 1000001, path: '/api/v2/auth/access_token/get', timestamp: 1700000000 },
      base: '1000001/api/v2/auth/access_token/get1700000000',
      sign: '59d9c8731b2c68f936a8ef7c3487bbb58f63750488f11419b5aabf9271c13770',
    },
    {
      id: 'S4 public, cancel auth',
      input: { partnerId: 1000001, path: '/api/v2/shop/cancel_auth_partner', timestamp: 1700000000 },
      base: '1000001/api/v2/shop/cancel_auth_partner1700000000',
      sign: '941db3632734ad829edc1f37d34fd531fb6276d9570887af0844afd91fa98bdd',
    },
    {
      id: 'S5 public, image upload',
      input: { partnerId: 1000001, path: '/api/v2/media_space/upload_image', timestamp: 1700000000 },
      base: '1000001/api/v2/media_space/upload_image1700000000',
      sign: '591151ab28069189eb3e09663a612de961b8e5a61ff39095e62df148b0a12256',
    },
    {
      id: 'S6 shop',
      input: {
        partnerId: 1000001,
        path: '/api/v2/order/get_order_list',
        timestamp: 1700000000,
        accessToken: TOKEN,
        shopId: 600000,
      },
      base: '1000001/api/v2/order/get_order_list17000000006a55746e61546f707579627656637464600000',
      sign: '7182b56433e091ea637e82f85173e6de9337a1ff33cb768e3a2e2c69c5d1cc07',
    },
    {
      id: 'S7 merchant',
      input: {
        partnerId: 1000001,
        path: '/api/v2/merchant/get_merchant_info',
        timestamp: 1700000000,
        accessToken: TOKEN,
        merchantId: '2000001',
      },
      base: '1000001/api/v2/merchant/get_merchant_info17000000006a55746e61546f7075796276566374642000001',
      sign: '7e4e25a5333953e9760993b14c862ae23d906e1bdc1f759d680528ea9468711a',
    },
    {
      id: 'S9 official shop base string',
      input: {
        partnerId: 2001887,
        path: '/api/v2/shop/get_shop_info',
        timestamp: 1655714431,
        accessToken: '59777174636562737266615546704c6d',
        shopId: 14701711,
      },
      base: '2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711',
      sign: 'c3b3aadc4389e1eca07fceaca75048cef7b6d48c385764b910e2e9de83cf687f',
    },
    {
      id: 'S10 official merchant base string',
      input: {
        partnerId: 2001887,
        path: '/api/v2/global_product/get_category',
        timestamp: 1655714431,
        accessToken: '09777174636962737266615546704c6d',
        merchantId: 1000000,
      },
      base: '2001887/api/v2/global_product/get_category165571443109777174636962737266615546704c6d1000000',
      sign: '27883345e2430f969bb936a9837c332c08c4c6c44bb72faee7070b06fbefb346',
    },
    {
      id: 'S11 official public base string',
      input: { partnerId: 2001887, path: '/api/v2/public/get_shops_by_partner', timestamp: 1655714431 },
      base: '2001887/api/v2/public/get_shops_by_partner1655714431',
      sign: 'f3ecff6ae1cba41d9ec9e277114ac2a8b816e7608a1081e93f5b6151b7e3e3da',
    },
  ];

  it.each(vectors)('$id', async ({ input, base, sign }) => {
    expect(shopeeBaseString({ ...input, partnerKey: KEY })).toBe(base);
    await expect(signShopeeRequest({ ...input, partnerKey: KEY })).resolves.toBe(sign);
    expect(nodeSign(KEY, base)).toBe(sign);
  });

  it('S8: a shpk-prefixed key is used verbatim, never stripped or hex-decoded', async () => {
    const sign = await signShopeeRequest({
      partnerId: 1000001,
      partnerKey: 'shpk4d6f636b4b6579466f7254657374696e67',
      path: '/api/v2/order/get_order_list',
      timestamp: 1700000000,
      accessToken: TOKEN,
      shopId: '600000',
    });
    expect(sign).toBe('371372ccf38d70de52990ed3bfdbfe1b6fa0038e974e7eb96917dc670a76722f');
  });

  it('the synchronous twin gives the same signature and throws the same ValidationError', async () => {
    const input = {
      partnerId: 1000001,
      partnerKey: 'shpk4d6f636b4b6579466f7254657374696e67',
      path: '/api/v2/order/get_order_list',
      timestamp: 1700000000,
      accessToken: TOKEN,
      shopId: '600000',
    };
    expect(signShopeeRequestSync(input)).toBe(await signShopeeRequest(input));
    expect(() => signShopeeRequestSync({ ...input, path: '/api/v2/x/' })).toThrow(ValidationError);
  });

  it('always gives 64 lowercase hex characters', async () => {
    for (let timestamp = 1700000000; timestamp < 1700000040; timestamp++) {
      const sign = await signShopeeRequest({ partnerId: 1, partnerKey: 'k', path: '/api/v2/a/b', timestamp });
      expect(sign).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe('signShopeeRequest: bad inputs are refused before signing', () => {
  it('names each bad field', async () => {
    const error = await signShopeeRequest({
      partnerId: 'abc',
      partnerKey: '',
      path: 'https://partner.shopeemobile.com/api/v2/order/get_order_list?x=1',
      timestamp: 1700000000123,
      shopId: 600000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['partnerId', 'partnerKey', 'path', 'timestamp', 'accessToken']),
    );
  });

  it('refuses both a shop and a merchant, and a trailing slash in the path', () => {
    let error: unknown;
    try {
      shopeeBaseString({
        partnerId: 1,
        partnerKey: 'k',
        path: '/api/v2/shop/get_shop_info/',
        timestamp: 1,
        accessToken: 't',
        shopId: 1,
        merchantId: 2,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path).sort()).toEqual([
      'merchantId',
      'path',
    ]);
  });
});

describe('authorization link', () => {
  it('matches the reference URL for S1 with a redirect that has its own query', async () => {
    const url = await buildShopeeAuthorizationUrl({
      partnerId: 1000001,
      partnerKey: KEY,
      redirectUrl: 'https://seller.example.com/shopee/callback?x=1',
      now: 1700000000_000,
    });
    expect(url).toBe(
      'https://partner.shopeemobile.com/api/v2/shop/auth_partner?partner_id=1000001&timestamp=1700000000&sign=9c6d91d2e13cbc71c822428cdb6eedd9e99fc1256a656fc0c07a12772a34eecd&redirect=https%3A%2F%2Fseller.example.com%2Fshopee%2Fcallback%3Fx%3D1',
    );
  });
});
