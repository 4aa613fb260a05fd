import { describe, expect, it } from 'vitest';
import {
  isMultipartContentType,
  signTikTokRequest,
  signTikTokRequestSync,
  tiktokSigningBase,
} from '../src/signer';

const ours = { appSecret: 'test_secret_0123456789' };
const common = { app_key: '6abc123def', timestamp: '1700000000', shop_cipher: 'ROW_TestCipher123' };

describe('signTikTokRequest: published vectors (reference §3.5)', () => {
  it('V1: official Get Authorized Shops example', async () => {
    const input = {
      appSecret: 'e59af819cc',
      path: '/authorization/202309/shops',
      query: { app_key: '29a39d', timestamp: 1623812664 },
    };
    expect(`e59af819cc${tiktokSigningBase(input)}e59af819cc`).toBe(
      'e59af819cc/authorization/202309/shopsapp_key29a39dtimestamp1623812664e59af819cc',
    );
    expect(await signTikTokRequest(input)).toBe(
      'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8',
    );
    expect(signTikTokRequestSync(input)).toBe(
      'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8',
    );
  });

  const webhooks = {
    appSecret: 'e59af819cc',
    path: '/event/202309/webhooks',
    query: {
      app_key: '68xu9ks5p4i8',
      shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK',
      timestamp: '1696909648',
    },
    contentType: 'application/json',
  };

  it('V2: official Update Shop Webhook body', async () => {
    const body = '{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}';
    expect(await signTikTokRequest({ ...webhooks, body })).toBe(
      'cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a',
    );
  });

  it('V3: GET webhooks without body', async () => {
    expect(await signTikTokRequest(webhooks)).toBe(
      'ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37',
    );
  });

  it('V4: the same request with the body keys in another order signs differently', async () => {
    const body = '{"event_type":"PACKAGE_UPDATE","address":"https://partner.tiktokshop.com"}';
    expect(await signTikTokRequest({ ...webhooks, body })).toBe(
      '701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7',
    );
  });

  it('V5: EcomPHP prepareSignature', async () => {
    expect(
      await signTikTokRequest({ appSecret: 'app_secret', path: '/test-api', query: { foo: 'bar' } }),
    ).toBe('d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f');
  });
});

describe('signTikTokRequest: worked examples (reference §3.6)', () => {
  it('example 1: GET with ids, ignoring a stray access_token and an old sign', async () => {
    const input = {
      ...ours,
      path: '/order/202309/orders',
      query: {
        ...common,
        ids: '576461413038785752,576461413038785753',
        access_token: 'TTP_should_be_ignored',
        sign: 'ignored',
      },
    };
    expect(tiktokSigningBase(input)).toBe(
      '/order/202309/ordersapp_key6abc123defids576461413038785752,576461413038785753shop_cipherROW_TestCipher123timestamp1700000000',
    );
    expect(await signTikTokRequest(input)).toBe(
      '5511e16125f4eabfc818957c6284e6389144c6dbf2144c07c830454ac55d4106',
    );
  });

  const search = {
    ...ours,
    path: '/order/202309/orders/search',
    query: { ...common, page_size: 50, sort_field: 'create_time', sort_order: 'DESC' },
    contentType: 'application/json',
  };
  const filter = {
    order_status: 'AWAITING_SHIPMENT',
    create_time_ge: 1699900000,
    create_time_lt: 1700000000,
  };

  it('example 2: POST with the exact compact JSON body', async () => {
    const body = JSON.stringify(filter);
    expect(body).toBe(
      '{"order_status":"AWAITING_SHIPMENT","create_time_ge":1699900000,"create_time_lt":1700000000}',
    );
    expect(await signTikTokRequest({ ...search, body })).toBe(
      '78f2337bfdd1f54c8e9607fa748282e6a4095f63950d448812e69604c0bf652e',
    );
  });

  it('example 2b: the pretty-printed body is signed as sent, never re-formatted', async () => {
    const body = JSON.stringify(filter, null, 2);
    expect(await signTikTokRequest({ ...search, body })).toBe(
      '596f5ed17f6275a98981d750593f30fd2f7244beb4a79cf343f1827672b107b1',
    );
  });

  it('example 2 from the body as bytes gives the same signature', async () => {
    const body = new TextEncoder().encode(JSON.stringify(filter));
    expect(await signTikTokRequest({ ...search, body })).toBe(
      '78f2337bfdd1f54c8e9607fa748282e6a4095f63950d448812e69604c0bf652e',
    );
  });

  it('example 3: multipart upload leaves the body out, whatever it holds', async () => {
    const input = {
      ...ours,
      path: '/product/202309/images/upload',
      query: { app_key: '6abc123def', timestamp: 1700000000 },
      contentType: 'multipart/form-data; boundary=----x',
    };
    const expected = '6adcd6908d51396ab648c228b424020bffcf097956f5ef185228075c52d191f0';
    expect(await signTikTokRequest(input)).toBe(expected);
    expect(
      await signTikTokRequest({ ...input, body: '------x\r\nContent-Disposition: form-data; name="data"' }),
    ).toBe(expected);
    expect(
      await signTikTokRequest({
        ...input,
        contentType: 'Multipart/Form-Data;boundary=y',
        body: new Uint8Array([1, 2]),
      }),
    ).toBe(expected);
  });

  it('example 4: POST with a path parameter (update inventory)', async () => {
    const input = {
      ...ours,
      path: '/product/202309/products/1729592969712207008/inventory/update',
      query: { app_key: '6abc123def', shop_cipher: 'ROW_TestCipher123', timestamp: 1700000000 },
      body: '{"skus":[{"id":"1729592969712207013","inventory":[{"warehouse_id":"7068517275539719942","quantity":25}]}]}',
      contentType: 'application/json',
    };
    expect(await signTikTokRequest(input)).toBe(
      '4e7459592c185adc793b57c637a9e285ec3cedcbde1b9fd0a635c855688dce9a',
    );
  });
});

describe('signTikTokRequest: query handling', () => {
  it('signs URLSearchParams like a record, with decoded values', async () => {
    const params = new URLSearchParams(
      'shop_cipher=ROW_TestCipher123&timestamp=1700000000&ids=576461413038785752%2C576461413038785753&app_key=6abc123def',
    );
    expect(await signTikTokRequest({ ...ours, path: '/order/202309/orders', query: params })).toBe(
      '5511e16125f4eabfc818957c6284e6389144c6dbf2144c07c830454ac55d4106',
    );
  });

  it('signs the first value of a repeated key, and a "__proto__" key as plain data', () => {
    const params = new URLSearchParams('b=2&a=1&b=3&__proto__=x&sign=old&access_token=t');
    const signature = signTikTokRequestSync({ ...ours, path: '/p', query: params });
    expect(signature).toBe(
      signTikTokRequestSync({
        ...ours,
        path: '/p',
        query: Object.fromEntries([
          ['__proto__', 'x'],
          ['a', '1'],
          ['b', '2'],
        ]),
      }),
    );
    expect(tiktokSigningBase({ path: '/p', query: params })).toBe('/p__proto__xa1b2');
  });

  it('sorts keys by UTF-16 code units, as a plain sort does, whatever order they come in', () => {
    const keys = ['page_size', 'Z', 'a', 'shop_cipher', 'app_key', '_x', '10', '2', 'é', 'ab', 'a_b', 'A'];
    const expected = [...keys]
      .sort()
      .map((key) => `${key}v-${key}`)
      .join('');
    for (let turn = 0; turn < keys.length; turn++) {
      const rotated = [...keys.slice(turn), ...keys.slice(0, turn)].reverse();
      const query = Object.fromEntries(rotated.map((key) => [key, `v-${key}`]));
      expect(tiktokSigningBase({ path: '/p', query })).toBe(`/p${expected}`);
      const params = new URLSearchParams(rotated.map((key) => [key, `v-${key}`]));
      expect(tiktokSigningBase({ path: '/p', query: params })).toBe(`/p${expected}`);
    }
  });

  it('drops undefined values (they are not sent) and signs lowercase hex', async () => {
    const signature = await signTikTokRequest({
      ...ours,
      path: '/order/202309/orders',
      query: { ...common, ids: '576461413038785752,576461413038785753', page_token: undefined },
    });
    expect(signature).toBe('5511e16125f4eabfc818957c6284e6389144c6dbf2144c07c830454ac55d4106');
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('recognises multipart by media type only', () => {
    expect(isMultipartContentType('multipart/form-data; boundary=abc')).toBe(true);
    expect(isMultipartContentType('application/json')).toBe(false);
    expect(isMultipartContentType(undefined)).toBe(false);
  });
});
