import { describe, expect, it } from 'vitest';
import {
  makeTikTokWebhookRequest,
  signTikTokRequest,
  signTikTokWebhook,
  tiktokSignatureBaseString,
} from '../src/tiktok/index';
import { installServer, nodeSign, nodeWebhookSign, START_S, shopSetup, tiktokClient } from './tiktok-helpers';

const OFFICIAL_SECRET = 'e59af819cc';
const OURS = {
  key: '6abc123def',
  secret: 'test_secret_0123456789',
  cipher: 'ROW_TestCipher123',
  timestamp: '1700000000',
};

// Reference §3.5 (published) and §3.6 (worked) vectors.
const VECTORS = [
  {
    name: 'V1 official Get Authorized Shops',
    secret: OFFICIAL_SECRET,
    path: '/authorization/202309/shops',
    query: { app_key: '29a39d', timestamp: '1623812664' },
    sign: 'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8',
  },
  {
    name: 'V2 official Update Shop Webhook body',
    secret: OFFICIAL_SECRET,
    path: '/event/202309/webhooks',
    query: {
      app_key: '68xu9ks5p4i8',
      shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK',
      timestamp: '1696909648',
    },
    body: '{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}',
    sign: 'cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a',
  },
  {
    name: 'V3 GET webhooks',
    secret: OFFICIAL_SECRET,
    path: '/event/202309/webhooks',
    query: {
      app_key: '68xu9ks5p4i8',
      shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK',
      timestamp: '1696909648',
    },
    sign: 'ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37',
  },
  {
    name: 'V4 PUT webhooks with event_type first',
    secret: OFFICIAL_SECRET,
    path: '/event/202309/webhooks',
    query: {
      app_key: '68xu9ks5p4i8',
      shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK',
      timestamp: '1696909648',
    },
    body: '{"event_type":"PACKAGE_UPDATE","address":"https://partner.tiktokshop.com"}',
    sign: '701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7',
  },
  {
    name: 'V5 EcomPHP',
    secret: 'app_secret',
    path: '/test-api',
    query: { foo: 'bar' },
    sign: 'd3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f',
  },
  {
    name: 'example 1: GET detail, stray access_token and sign skipped',
    secret: OURS.secret,
    path: '/order/202309/orders',
    query: {
      app_key: OURS.key,
      timestamp: OURS.timestamp,
      shop_cipher: OURS.cipher,
      ids: '576461413038785752,576461413038785753',
      access_token: 'TTP_should_be_ignored',
      sign: 'ignored',
    },
    sign: '5511e16125f4eabfc818957c6284e6389144c6dbf2144c07c830454ac55d4106',
  },
  {
    name: 'example 2: POST search with compact JSON body',
    secret: OURS.secret,
    path: '/order/202309/orders/search',
    query: {
      app_key: OURS.key,
      timestamp: OURS.timestamp,
      shop_cipher: OURS.cipher,
      page_size: '50',
      sort_field: 'create_time',
      sort_order: 'DESC',
    },
    body: '{"order_status":"AWAITING_SHIPMENT","create_time_ge":1699900000,"create_time_lt":1700000000}',
    sign: '78f2337bfdd1f54c8e9607fa748282e6a4095f63950d448812e69604c0bf652e',
  },
  {
    name: 'example 2b: the same body pretty-printed signs differently',
    secret: OURS.secret,
    path: '/order/202309/orders/search',
    query: {
      app_key: OURS.key,
      timestamp: OURS.timestamp,
      shop_cipher: OURS.cipher,
      page_size: '50',
      sort_field: 'create_time',
      sort_order: 'DESC',
    },
    body: JSON.stringify(
      { order_status: 'AWAITING_SHIPMENT', create_time_ge: 1699900000, create_time_lt: 1700000000 },
      null,
      2,
    ),
    sign: '596f5ed17f6275a98981d750593f30fd2f7244beb4a79cf343f1827672b107b1',
  },
  {
    name: 'example 3: multipart upload leaves the body out',
    secret: OURS.secret,
    path: '/product/202309/images/upload',
    query: { app_key: OURS.key, timestamp: OURS.timestamp },
    body: '------x\r\nContent-Disposition: form-data; name="use_case"\r\n\r\nMAIN_IMAGE\r\n------x--',
    contentType: 'multipart/form-data; boundary=----x',
    sign: '6adcd6908d51396ab648c228b424020bffcf097956f5ef185228075c52d191f0',
  },
  {
    name: 'example 4: POST with a path parameter',
    secret: OURS.secret,
    path: '/product/202309/products/1729592969712207008/inventory/update',
    query: { app_key: OURS.key, shop_cipher: OURS.cipher, timestamp: OURS.timestamp },
    body: '{"skus":[{"id":"1729592969712207013","inventory":[{"warehouse_id":"7068517275539719942","quantity":25}]}]}',
    sign: '4e7459592c185adc793b57c637a9e285ec3cedcbde1b9fd0a635c855688dce9a',
  },
];

describe('TikTok request signature vectors', () => {
  it.each(VECTORS)(
    '$name: node:crypto and the sandbox signer both give the published sign',
    async (vector) => {
      const input = {
        secret: vector.secret,
        path: vector.path,
        query: vector.query,
        ...(vector.body === undefined ? {} : { body: vector.body }),
        ...(vector.contentType === undefined ? {} : { contentType: vector.contentType }),
      };
      expect(nodeSign(input)).toBe(vector.sign);
      await expect(
        signTikTokRequest({
          appSecret: vector.secret,
          path: vector.path,
          query: vector.query,
          body: vector.body,
          contentType: vector.contentType,
        }),
      ).resolves.toBe(vector.sign);
    },
  );

  it('builds the published V1 pre-image', () => {
    expect(
      tiktokSignatureBaseString({
        appSecret: OFFICIAL_SECRET,
        path: '/authorization/202309/shops',
        query: { app_key: '29a39d', timestamp: '1623812664' },
      }),
    ).toBe('e59af819cc/authorization/202309/shopsapp_key29a39dtimestamp1623812664e59af819cc');
  });

  it('signs only the first value of a repeated query key', () => {
    const query = new URLSearchParams('b=1&a=2&b=3');
    expect(tiktokSignatureBaseString({ appSecret: 's', path: '/p', query })).toBe('s/pa2b1s');
  });
});

// Reference §9.4.
const WEBHOOK_VECTORS = [
  {
    name: 'W1 official golden example',
    appKey: 'abcdef',
    appSecret: '123',
    body: '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}',
    signature: '5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05',
  },
  {
    name: 'W2 EcomPHP sample',
    appKey: 'fake_app_key',
    appSecret: 'fake_app_secret',
    body: '{"type":1,"shop_id":"7494726673780148744","timestamp":1664095733,"data":{"order_id":"576684019603311365","order_status":"AWAITING_SHIPMENT","update_time":1664095610}}',
    signature: '21109834de72ec53c9959716d8514ae388ce1f123e5ffdcafc46713fcdf62b27',
  },
  {
    name: 'W3 ours',
    appKey: '6abc123def',
    appSecret: 'test_secret_0123456789',
    body: '{"type":4,"tts_notification_id":"7400000000000000001","shop_id":"7494049642642441621","timestamp":1700000100,"data":{"package_id":"1152321127278713123","order_id":"576461413038785752","update_time":1700000090}}',
    signature: '0e24ddf135318a477e60652abe8887a5374d405e622fcd226b183c5a6ccb46ed',
  },
];

describe('TikTok webhook signature vectors', () => {
  it.each(WEBHOOK_VECTORS)('$name', async (vector) => {
    expect(nodeWebhookSign(vector.appKey, vector.appSecret, vector.body)).toBe(vector.signature);
    await expect(signTikTokWebhook(vector)).resolves.toBe(vector.signature);
  });

  it('makeTikTokWebhookRequest sends the exact body with its Authorization signature', async () => {
    const [w1] = WEBHOOK_VECTORS;
    const request = await makeTikTokWebhookRequest({
      appKey: w1!.appKey,
      appSecret: w1!.appSecret,
      body: w1!.body,
    });
    expect(request.method).toBe('POST');
    expect(request.headers.get('authorization')).toBe(w1!.signature);
    expect(request.headers.get('content-type')).toBe('application/json');
    await expect(request.text()).resolves.toBe(w1!.body);
  });

  it('makeTikTokWebhookRequest serialises an object body once and signs those bytes', async () => {
    const body = { type: 1, tts_notification_id: '1', shop_id: '2', timestamp: 3, data: { order_id: '4' } };
    const request = await makeTikTokWebhookRequest({
      appKey: 'k',
      appSecret: 's',
      body,
      url: 'https://app.test/hook',
    });
    const sent = await request.text();
    expect(sent).toBe(JSON.stringify(body));
    expect(request.url).toBe('https://app.test/hook');
    expect(request.headers.get('authorization')).toBe(nodeWebhookSign('k', 's', sent));
  });
});

describe('the sandbox checks signatures over the bytes sent', () => {
  const env = installServer();

  it('accepts a body signed as sent, and rejects a body re-formatted after signing', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const filters = { order_status: 'AWAITING_SHIPMENT', create_time_ge: START_S - 100 };
    const query = { page_size: '10' };

    const pretty = await call('POST', '/order/202309/orders/search', {
      query,
      body: JSON.stringify(filters, null, 2),
    });
    expect(pretty.json.code).toBe(0);

    // The classic re-serialisation bug: sign the compact string, send a pretty-printed one.
    const signedCompact = nodeSign({
      secret: sandbox.app.appSecret,
      path: '/order/202309/orders/search',
      query: { app_key: sandbox.app.appKey, timestamp: String(START_S), shop_cipher: shop.cipher, ...query },
      body: JSON.stringify(filters),
    });
    const compact = await call('POST', '/order/202309/orders/search', {
      query,
      body: filters,
      sign: signedCompact,
    });
    expect(compact.json.code).toBe(0);
    const mismatched = await call('POST', '/order/202309/orders/search', {
      query,
      body: JSON.stringify(filters, null, 2),
      sign: signedCompact,
    });
    expect(mismatched.status).toBe(401);
    expect(mismatched.json.code).toBe(106001);
  });

  it('a body of {} may be signed as sent or left unsigned (Node sample); a switch picks one reading', async () => {
    const path = '/order/202309/orders/search';
    const query = { page_size: '10' };
    const attempt = async (sandbox: ReturnType<typeof env.sandbox>) => {
      const { call, shop } = shopSetup(sandbox);
      const signed = {
        secret: sandbox.app.appSecret,
        path,
        query: {
          app_key: sandbox.app.appKey,
          timestamp: String(START_S),
          shop_cipher: shop.cipher,
          ...query,
        },
      };
      const asSent = await call('POST', path, {
        query,
        body: '{}',
        sign: nodeSign({ ...signed, body: '{}' }),
      });
      const skipped = await call('POST', path, { query, body: '{}', sign: nodeSign(signed) });
      return [asSent.json.code, skipped.json.code];
    };
    expect(await attempt(env.sandbox())).toEqual([0, 0]);
    expect(await attempt(env.sandbox({ emptyBodySignature: 'bytes' }))).toEqual([0, 106001]);
    expect(await attempt(env.sandbox({ emptyBodySignature: 'skipped' }))).toEqual([106001, 0]);
  });

  it('leaves out of the signature only a body of {}: any other body must be signed as sent', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const path = '/order/202309/orders/search';
    const sign = nodeSign({
      secret: sandbox.app.appSecret,
      path,
      query: {
        app_key: sandbox.app.appKey,
        timestamp: String(START_S),
        shop_cipher: shop.cipher,
        page_size: '10',
      },
    });
    const unsigned = await call('POST', path, {
      query: { page_size: '10' },
      body: { order_status: 'UNPAID' },
      sign,
    });
    expect(unsigned.json.code).toBe(106001);
  });

  it('rejects a sign made with the wrong secret, and one that omits the path', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const wrongSecret = await call('GET', '/logistics/202309/warehouses', { secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json).toMatchObject({
      code: 106001,
      message: "The 'sign' query parameter is invalid",
    });
    expect(wrongSecret.json.request_id).toMatch(/^\d{14}[0-9A-F]+$/);

    const query = { app_key: sandbox.app.appKey, timestamp: String(START_S), shop_cipher: shop.cipher };
    const withoutPath = nodeSign({ secret: sandbox.app.appSecret, path: '', query });
    const noPath = await call('GET', '/logistics/202309/warehouses', { sign: withoutPath });
    expect(noPath.json.code).toBe(106001);
  });

  it('leaves the access token out of the signature, header or stray query parameter', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const response = await call('GET', '/logistics/202309/warehouses', {
      query: { access_token: 'legacy-ignored' },
    });
    expect(response.json.code).toBe(0);
  });

  it('verifies a multipart upload on path and query only, and refuses a shop_cipher there', async () => {
    const sandbox = env.sandbox();
    const { tokens } = shopSetup(sandbox);
    const call = tiktokClient(sandbox, { accessToken: tokens.accessToken });
    const form = () => {
      const data = new FormData();
      data.set('data', new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], { type: 'image/jpeg' }), 'a.jpg');
      data.set('use_case', 'MAIN_IMAGE');
      return data;
    };
    const uploaded = await call('POST', '/product/202309/images/upload', { form: form() });
    expect(uploaded.json.code).toBe(0);
    expect(uploaded.json.data).toMatchObject({ use_case: 'MAIN_IMAGE', width: expect.any(Number) });
    expect(uploaded.json.data.uri).toEqual(expect.any(String));

    const withCipher = await call('POST', '/product/202309/images/upload', {
      form: form(),
      cipher: sandbox.listShops()[0]!.cipher,
    });
    expect(withCipher.status).toBe(400);
    expect(withCipher.json.code).toBe(36009004);
    expect(withCipher.json.message).toContain('shop_cipher');
  });
});
