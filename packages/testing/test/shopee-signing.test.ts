import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeShopeePushRequest } from '../src/shopee/index';
import { call, hmacHex, START_S, signedUrl, useShopeeSandbox } from './shopee-helpers';

const KEY = 'test-partner-key-0123456789abcdef';
const PREFIXED_KEY = 'shpk4d6f636b4b6579466f7254657374696e67';

// Reference §2.6: base strings and expected signs.
const SIGN_VECTORS: [string, string, string][] = [
  [
    KEY,
    '1000001/api/v2/shop/auth_partner1700000000',
    '9c6d91d2e13cbc71c822428cdb6eedd9e99fc1256a656fc0c07a12772a34eecd',
  ],
  [
    KEY,
    '1000001/api/v2/auth/token/get1700000000',
    '1e70cdd9a0530d4f5490a5df44c202ffc08afee4832cd6315f5a8aec223fb7a1',
  ],
  [
    KEY,
    '1000001/api/v2/auth/access_token/get1700000000',
    '59d9c8731b2c68f936a8ef7c3487bbb58f63750488f11419b5aabf9271c13770',
  ],
  [
    KEY,
    '1000001/api/v2/shop/cancel_auth_partner1700000000',
    '941db3632734ad829edc1f37d34fd531fb6276d9570887af0844afd91fa98bdd',
  ],
  [
    KEY,
    '1000001/api/v2/media_space/upload_image1700000000',
    '591151ab28069189eb3e09663a612de961b8e5a61ff39095e62df148b0a12256',
  ],
  [
    KEY,
    '1000001/api/v2/order/get_order_list17000000006a55746e61546f707579627656637464600000',
    '7182b56433e091ea637e82f85173e6de9337a1ff33cb768e3a2e2c69c5d1cc07',
  ],
  [
    KEY,
    '1000001/api/v2/merchant/get_merchant_info17000000006a55746e61546f7075796276566374642000001',
    '7e4e25a5333953e9760993b14c862ae23d906e1bdc1f759d680528ea9468711a',
  ],
  [
    PREFIXED_KEY,
    '1000001/api/v2/order/get_order_list17000000006a55746e61546f707579627656637464600000',
    '371372ccf38d70de52990ed3bfdbfe1b6fa0038e974e7eb96917dc670a76722f',
  ],
  [
    KEY,
    '2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711',
    'c3b3aadc4389e1eca07fceaca75048cef7b6d48c385764b910e2e9de83cf687f',
  ],
  [
    KEY,
    '2001887/api/v2/global_product/get_category165571443109777174636962737266615546704c6d1000000',
    '27883345e2430f969bb936a9837c332c08c4c6c44bb72faee7070b06fbefb346',
  ],
  [
    KEY,
    '2001887/api/v2/public/get_shops_by_partner1655714431',
    'f3ecff6ae1cba41d9ec9e277114ac2a8b816e7608a1081e93f5b6151b7e3e3da',
  ],
];

const P1_BODY =
  '{"data":{"items":[],"ordersn":"2401019ABCDEFG","status":"READY_TO_SHIP","update_time":1700000000},"shop_id":600000,"code":3,"timestamp":1700000001}';
const P2_BODY =
  '{"data":{"ordersn":"2401019ABCDEFG","package_number":"OFG123456789","tracking_no":"SPXID0123456789"},"shop_id":600000,"code":4,"timestamp":1700000100}';
const PUSH_URL = 'https://example.com/shopee/push';

describe('Shopee signatures', () => {
  const { sandbox, app } = useShopeeSandbox();

  it.each(SIGN_VECTORS)(
    'the test signer reproduces the reference vector under %s for %s',
    (key, base, sign) => {
      expect(hmacHex(key, base)).toBe(sign);
    },
  );

  describe('documented requests replayed at their own timestamp', () => {
    function seedReferenceShop(partnerKey: string): void {
      sandbox.reset();
      sandbox.clock.set(1_700_000_000_000);
      sandbox.addPartner({ partnerId: 1000001, partnerKey });
      sandbox.addShop({ shopId: 600000, region: 'SG' });
      sandbox.issueTokens({
        partnerId: 1000001,
        shopId: 600000,
        accessToken: '6a55746e61546f707579627656637464',
      });
    }

    it('accepts vector S6 (Shop API) with the exact documented sign', async () => {
      seedReferenceShop(KEY);
      const url =
        'https://partner.shopeemobile.com/api/v2/order/get_order_list?time_range_field=create_time' +
        '&time_from=1699000000&time_to=1700000000&page_size=10&partner_id=1000001&timestamp=1700000000' +
        '&access_token=6a55746e61546f707579627656637464&shop_id=600000' +
        '&sign=7182b56433e091ea637e82f85173e6de9337a1ff33cb768e3a2e2c69c5d1cc07';
      const response = await fetch(url);
      const body = await response.json();
      expect(response.status).toBe(200);
      expect(body.error).toBe('');
      expect(body.response).toEqual({ more: false, next_cursor: '', order_list: [] });
    });

    it('accepts vector S8: a shpk-prefixed key is used verbatim', async () => {
      seedReferenceShop(PREFIXED_KEY);
      const url =
        'https://partner.shopeemobile.com/api/v2/order/get_order_list?time_range_field=create_time' +
        '&time_from=1699000000&time_to=1700000000&page_size=10&partner_id=1000001&timestamp=1700000000' +
        '&access_token=6a55746e61546f707579627656637464&shop_id=600000' +
        '&sign=371372ccf38d70de52990ed3bfdbfe1b6fa0038e974e7eb96917dc670a76722f';
      const body = await (await fetch(url)).json();
      expect(body.error).toBe('');
    });

    it('accepts vector S7 (Merchant API, merchant_id in the base string)', async () => {
      sandbox.reset();
      sandbox.clock.set(1_700_000_000_000);
      sandbox.addPartner({ partnerId: 1000001, partnerKey: KEY });
      sandbox.addMerchant({ merchantId: 2000001, merchantName: 'CB Merchant' });
      sandbox.issueTokens({
        partnerId: 1000001,
        merchantId: 2000001,
        accessToken: '6a55746e61546f707579627656637464',
      });
      const url =
        'https://partner.shopeemobile.com/api/v2/merchant/get_merchant_info?partner_id=1000001&timestamp=1700000000' +
        '&access_token=6a55746e61546f707579627656637464&merchant_id=2000001' +
        '&sign=7e4e25a5333953e9760993b14c862ae23d906e1bdc1f759d680528ea9468711a';
      const body = await (await fetch(url)).json();
      expect(body.error).toBe('');
      expect(body.merchant_name).toBe('CB Merchant');
    });

    it('accepts vector S5 (Public API: no access_token, no shop_id) for an image upload', async () => {
      seedReferenceShop(KEY);
      const form = new FormData();
      form.append(
        'image',
        new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' }),
        'a.jpg',
      );
      const response = await fetch(
        'https://partner.shopeemobile.com/api/v2/media_space/upload_image?partner_id=1000001&timestamp=1700000000' +
          '&sign=591151ab28069189eb3e09663a612de961b8e5a61ff39095e62df148b0a12256',
        { method: 'POST', body: form },
      );
      const body = await response.json();
      expect(body.error).toBe('');
      expect(sandbox.getImage(body.response.image_info.image_id)?.partnerId).toBe(1000001);
    });
  });

  it('answers error_sign "Wrong sign." to a sign made with another key', async () => {
    const result = await call(sandbox, app(), 'GET', '/api/v2/product/get_item_list', {
      query: { offset: 0, page_size: 10, item_status: 'NORMAL' },
      partnerKey: 'another-key',
    });
    expect(result.status).toBe(403);
    expect(result.json).toMatchObject({ error: 'error_sign', message: 'Wrong sign.' });
    expect(result.json.request_id).toMatch(/^[0-9a-f]{32}$/);
    expect(result.json).not.toHaveProperty('response');
  });

  it('rejects a key that was hex-decoded instead of used as text', async () => {
    const a = app();
    const timestamp = START_S;
    const base = `${a.partnerId}/api/v2/shop/get_shop_info${timestamp}${a.accessToken}${a.shopId}`;
    const wrong = createHmac('sha256', Buffer.from('abcdef0123456789', 'hex')).update(base).digest('hex');
    const result = await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info', { sign: wrong });
    expect(result.json.error).toBe('error_sign');
  });

  it('rejects a Shop API call signed with the Public base string (token and shop_id left out)', async () => {
    const a = app();
    const publicSign = hmacHex(a.partnerKey, `${a.partnerId}/api/v2/shop/get_shop_info${START_S}`);
    const result = await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info', { sign: publicSign });
    expect(result.json.error).toBe('error_sign');
  });

  it('rejects an uppercase hex sign (Shopee signs are lowercase)', async () => {
    const a = app();
    const sign = hmacHex(
      a.partnerKey,
      `${a.partnerId}/api/v2/shop/get_shop_info${START_S}${a.accessToken}${a.shopId}`,
    );
    const result = await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info', { sign: sign.toUpperCase() });
    expect(result.json.error).toBe('error_sign');
    const ok = await call(sandbox, a, 'GET', '/api/v2/shop/get_shop_info', { sign });
    expect(ok.json.error).toBe('');
  });

  it('accepts a timestamp 4 minutes old and rejects one 6 minutes old as expired', async () => {
    const fresh = await call(sandbox, app(), 'GET', '/api/v2/shop/get_shop_info', {
      timestamp: START_S - 240,
    });
    expect(fresh.json.error).toBe('');
    const stale = await call(sandbox, app(), 'GET', '/api/v2/shop/get_shop_info', {
      timestamp: START_S - 360,
    });
    expect(stale.json).toMatchObject({ error: 'error_param', message: 'Timestamp is expired.' });
    expect(stale.status).toBe(400);
  });

  it('rejects a timestamp in milliseconds', async () => {
    const result = await call(sandbox, app(), 'GET', '/api/v2/shop/get_shop_info', {
      timestamp: START_S * 1000,
    });
    expect(result.json.error).toBe('error_param');
    expect(result.json.message).toMatch(/between 0 and 4294967295/);
  });

  it('a request signed once is refused when replayed after the 5-minute window', async () => {
    const url = signedUrl(sandbox, app(), '/api/v2/shop/get_shop_info');
    expect((await (await fetch(url)).json()).error).toBe('');
    sandbox.clock.advance(5 * 60 * 1000 + 1000);
    expect((await (await fetch(url)).json()).message).toBe('Timestamp is expired.');
  });

  it('names what is missing: sign, access_token, shop_id; and an unknown partner', async () => {
    const url = new URL(signedUrl(sandbox, app(), '/api/v2/shop/get_shop_info'));
    const without = async (name: string): Promise<string> => {
      const copy = new URL(url);
      copy.searchParams.delete(name);
      return (await (await fetch(copy)).json()).message;
    };
    expect(await without('sign')).toBe('There is no sign in query.');
    expect(await without('access_token')).toBe('There is no access_token in query.');
    expect(await without('shop_id')).toBe('There is no shop_id in query.');
    const unknown = new URL(url);
    unknown.searchParams.set('partner_id', '999');
    expect((await (await fetch(unknown)).json()).error).toBe('invalid_partner_id');
  });

  it('signs the path, not the host: the sandbox v2 host accepts the same base string', async () => {
    const result = await call(sandbox, app(), 'GET', '/api/v2/shop/get_shop_info', {
      host: 'https://openplatform.sandbox.test-stable.shopee.sg',
    });
    expect(result.json).toMatchObject({ error: '', region: 'SG' });
  });

  describe('push Authorization (reference §8.3)', () => {
    it.each([
      [P1_BODY, KEY, 'e9d20528a5d141b80667f7bee458e593bf6317a2bfb7cdbee35faa2d739dd096'],
      [P2_BODY, KEY, 'bef5fd0c90251a84cb5687c84193fdfe792f26fed789143a8b60af567490be09'],
      [P1_BODY, PREFIXED_KEY, '9ed73bf220b780ebe6a3b7833ec264bb1059a317fbb6671a4dee66a3e53c34c4'],
      ['', KEY, 'c12abd3d6cef7a67984a5489dbdaaee70c621b29b04f1405228bc8384b15be80'],
    ])('makeShopeePushRequest signs url|%s as the reference does', async (body, partnerKey, expected) => {
      expect(hmacHex(partnerKey, `${PUSH_URL}|${body}`)).toBe(expected);
      const request = await makeShopeePushRequest({ url: PUSH_URL, partnerKey, body });
      expect(request.method).toBe('POST');
      expect(request.url).toBe(PUSH_URL);
      expect(request.headers.get('authorization')).toBe(expected);
      expect(await request.text()).toBe(body);
    });

    it('serializes an object body once and signs those exact bytes', async () => {
      const request = await makeShopeePushRequest({
        url: PUSH_URL,
        partnerKey: KEY,
        body: JSON.parse(P1_BODY),
      });
      expect(await request.text()).toBe(P1_BODY);
      expect(request.headers.get('authorization')).toBe(
        'e9d20528a5d141b80667f7bee458e593bf6317a2bfb7cdbee35faa2d739dd096',
      );
    });
  });
});
