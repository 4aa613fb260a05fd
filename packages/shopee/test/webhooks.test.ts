import { concatBytes, WebhookVerificationError } from '@mlh/core';
import {
  assertShopeePush,
  parseShopeePush,
  shopeeWebhookSource,
  signShopeePush,
  verifyShopeePush,
} from '@mlh/shopee';
import { describe, expect, it } from 'vitest';

const KEY = 'test-partner-key-0123456789abcdef';
const SHPK = 'shpk4d6f636b4b6579466f7254657374696e67';
const URL_ = 'https://example.com/shopee/push';
/** Shortly after the reference pushes were sent (their timestamps are from 2023). */
const NOW = 1_700_000_200_000;
const P1 =
  '{"data":{"items":[],"ordersn":"2401019ABCDEFG","status":"READY_TO_SHIP","update_time":1700000000},"shop_id":600000,"code":3,"timestamp":1700000001}';
const P2 =
  '{"data":{"ordersn":"2401019ABCDEFG","package_number":"OFG123456789","tracking_no":"SPXID0123456789"},"shop_id":600000,"code":4,"timestamp":1700000100}';

describe('push signature: the reference vectors', () => {
  it.each([
    ['P1', P1, KEY, 'e9d20528a5d141b80667f7bee458e593bf6317a2bfb7cdbee35faa2d739dd096'],
    ['P2', P2, KEY, 'bef5fd0c90251a84cb5687c84193fdfe792f26fed789143a8b60af567490be09'],
    ['P3', P1, SHPK, '9ed73bf220b780ebe6a3b7833ec264bb1059a317fbb6671a4dee66a3e53c34c4'],
    ['P4', '', KEY, 'c12abd3d6cef7a67984a5489dbdaaee70c621b29b04f1405228bc8384b15be80'],
  ])('%s', async (_id, body, key, expected) => {
    await expect(signShopeePush({ url: URL_, body, partnerKey: key })).resolves.toBe(expected);
    const result = await verifyShopeePush({
      url: URL_,
      body,
      authorization: expected,
      partnerKeys: [key],
      now: NOW,
    });
    expect(result.ok).toBe(true);
  });

  it('a re-serialized body gives another digest (the raw bytes are what is signed)', async () => {
    const reserialized = JSON.stringify(JSON.parse(P1), null, 1);
    const original = await signShopeePush({ url: URL_, body: P1, partnerKey: KEY });
    await expect(signShopeePush({ url: URL_, body: reserialized, partnerKey: KEY })).resolves.not.toBe(
      original,
    );
  });
});

describe('verifyShopeePush', () => {
  const P1_SIGNATURE = 'e9d20528a5d141b80667f7bee458e593bf6317a2bfb7cdbee35faa2d739dd096';

  it('accepts a good push given as bytes, with the header in upper case and padded', async () => {
    const result = await verifyShopeePush({
      url: URL_,
      body: new TextEncoder().encode(P1),
      authorization: ` ${P1_SIGNATURE.toUpperCase()} `,
      partnerKeys: KEY,
      now: NOW,
    });
    expect(result).toMatchObject({
      ok: true,
      event: { type: 'order.updated', resourceId: '2401019ABCDEFG' },
    });
  });

  it('refuses a signature made for another callback URL', async () => {
    const result = await verifyShopeePush({
      url: 'https://example.com/shopee/push/',
      body: P1,
      authorization: P1_SIGNATURE,
      partnerKeys: [KEY],
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a push signed with another key', async () => {
    const result = await verifyShopeePush({
      url: URL_,
      body: P1,
      authorization: P1_SIGNATURE,
      partnerKeys: ['another-key'],
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('accepts the old and the new key during a rotation (push key and partner key)', async () => {
    const signedWithNew = await signShopeePush({ url: URL_, body: P1, partnerKey: SHPK });
    for (const authorization of [P1_SIGNATURE, signedWithNew]) {
      const result = await verifyShopeePush({
        url: URL_,
        body: P1,
        authorization,
        partnerKeys: [SHPK, KEY],
        now: NOW,
      });
      expect(result.ok).toBe(true);
    }
  });

  it('refuses a tampered body', async () => {
    const tampered = P1.replace('READY_TO_SHIP', 'CANCELLED');
    const result = await verifyShopeePush({
      url: URL_,
      body: tampered,
      authorization: P1_SIGNATURE,
      partnerKeys: KEY,
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a push without an Authorization header', async () => {
    for (const authorization of [undefined, null, '', '  ']) {
      const result = await verifyShopeePush({
        url: URL_,
        body: P1,
        authorization,
        partnerKeys: KEY,
        now: NOW,
      });
      expect(result).toEqual({ ok: false, reason: 'missing_signature' });
    }
  });

  it('accepts a correctly signed body that is not a push as an unparsed delivery (so Shopee gets its 2xx)', async () => {
    for (const body of ['{"hello":"world"}', 'not json at all', '<xml/>']) {
      const authorization = await signShopeePush({ url: URL_, body, partnerKey: KEY });
      const result = await verifyShopeePush({ url: URL_, body, authorization, partnerKeys: KEY, now: NOW });
      expect(result).toMatchObject({
        ok: true,
        event: { type: 'unknown', topic: 'unparsed', accountId: '', raw: body },
      });
      const again = await verifyShopeePush({
        url: URL_,
        body,
        authorization,
        partnerKeys: KEY,
        now: NOW + 60_000,
      });
      expect(again.ok && again.event.dedupeKey).toBe(result.ok && result.event.dedupeKey);
    }
  });

  it('refuses a push older (or further ahead) than the replay window as stale; the window is configurable', async () => {
    const authorization = await signShopeePush({ url: URL_, body: P1, partnerKey: KEY });
    const sentAt = 1_700_000_001_000;
    const at = (now: number, toleranceSeconds?: number) =>
      verifyShopeePush({ url: URL_, body: P1, authorization, partnerKeys: KEY, now, toleranceSeconds });
    await expect(at(sentAt + 23 * 3_600_000)).resolves.toMatchObject({ ok: true });
    await expect(at(sentAt + 25 * 3_600_000)).resolves.toMatchObject({ ok: false, reason: 'stale' });
    await expect(at(sentAt - 25 * 3_600_000)).resolves.toMatchObject({ ok: false, reason: 'stale' });
    await expect(at(sentAt + 10 * 60_000, 300)).resolves.toMatchObject({ ok: false, reason: 'stale' });
    await expect(at(sentAt + 400 * 86_400_000, 0)).resolves.toMatchObject({ ok: true });
  });

  it('assertShopeePush returns the event or throws the reason', async () => {
    await expect(
      assertShopeePush({ url: URL_, body: P1, authorization: P1_SIGNATURE, partnerKeys: KEY, now: NOW }),
    ).resolves.toMatchObject({ resourceId: '2401019ABCDEFG' });
    const error = await assertShopeePush({
      url: URL_,
      body: P1,
      authorization: 'x',
      partnerKeys: KEY,
      now: NOW,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as WebhookVerificationError).reason).toBe('bad_signature');
  });
});

describe('push codes → core events', () => {
  const parse = (body: unknown) => {
    const result = parseShopeePush(typeof body === 'string' ? body : JSON.stringify(body));
    if (!result.ok) throw new Error(result.reason);
    return result.event;
  };

  it('order status (3) names the order by ordersn as sent, with its status', () => {
    const event = parse(P1);
    expect(event).toEqual({
      type: 'order.updated',
      marketplace: 'shopee',
      accountId: '600000',
      resourceType: 'order',
      resourceId: '2401019ABCDEFG',
      occurredAt: '2023-11-14T22:13:20.000Z',
      dedupeKey: 'shopee:3:600000:2401019ABCDEFG:READY_TO_SHIP:1700000000',
      topic: '3',
      status: 'READY_TO_SHIP',
      raw: { ...JSON.parse(P1), shop_id: '600000' },
    });
  });

  it('a new unpaid order is order.created; a cancellation is order.cancelled', () => {
    const base = { shop_id: 600000, code: 3, timestamp: 1704100001 };
    expect(parse({ ...base, data: { ordersn: 'A1', status: 'UNPAID', update_time: 1 } }).type).toBe(
      'order.created',
    );
    expect(parse({ ...base, data: { ordersn: 'A1', status: 'CANCELLED', update_time: 2 } }).type).toBe(
      'order.cancelled',
    );
  });

  it('a redelivered push has the same dedupe key; another status change has another', () => {
    const again = parse(P1);
    expect(again.dedupeKey).toBe(parse(P1).dedupeKey);
    const next = parse(P1.replace('READY_TO_SHIP', 'SHIPPED').replace('1700000000', '1700000500'));
    expect(next.dedupeKey).not.toBe(again.dedupeKey);
  });

  it('tracking number (4) is a shipment event of the package, with the big forder_id kept exact', () => {
    const event = parse(
      '{"msg_id":"0a1b","data":{"ordersn":"2401019ABCDEFG","forder_id":5867000000000000001,"package_number":"OFG1","tracking_no":"SPX1"},"shop_id":600000,"code":4,"timestamp":1704100100}',
    );
    expect(event).toMatchObject({
      type: 'shipment.updated',
      resourceType: 'shipment',
      resourceId: '2401019ABCDEFG:OFG1',
      dedupeKey: 'shopee:4:600000:2401019ABCDEFG:OFG1:SPX1',
    });
    expect((event.raw as { data: { forder_id: string } }).data.forder_id).toBe('5867000000000000001');
  });

  it('shop authorization (1) and deauthorization (2) name the shop', () => {
    expect(parse({ code: 1, timestamp: 1, data: { shop_id: 600001 } })).toMatchObject({
      type: 'authorization.granted',
      resourceType: 'account',
      accountId: '600001',
      resourceId: '600001',
    });
    expect(parse({ code: 2, timestamp: 1, shop_id: 600001, data: {} })).toMatchObject({
      type: 'authorization.revoked',
      accountId: '600001',
    });
    expect(parse({ code: 12, timestamp: 1, data: { merchant_id_list: [2000001] } })).toMatchObject({
      type: 'authorization.expiring',
      accountId: 'merchant:2000001',
    });
  });

  it('a push naming several accounts (main-account grant, expiry) gives one event per account', () => {
    const body = {
      code: 12,
      timestamp: 1704100000,
      data: { shop_id_list: [600001, 600002], merchant_id_list: [2000001] },
    };
    const result = parseShopeePush(JSON.stringify(body));
    if (!result.ok) throw new Error(result.reason);
    const events = result.events ?? [];
    expect(events.map((event) => [event.type, event.accountId, event.resourceId])).toEqual([
      ['authorization.expiring', '600001', '600001'],
      ['authorization.expiring', '600002', '600002'],
      ['authorization.expiring', 'merchant:2000001', 'merchant:2000001'],
    ]);
    expect(new Set(events.map((event) => event.dedupeKey)).size).toBe(3);
    expect(result.event).toBe(events[0]);
    const granted = parseShopeePush(
      JSON.stringify({
        code: 1,
        timestamp: 1,
        data: { main_account_id: 77, shop_id_list: [600001, 600002], merchant_id_list: [] },
      }),
    );
    expect(granted.ok && granted.events?.map((event) => event.accountId)).toEqual(['600001', '600002']);
  });

  it('reserved stock (8) and promotion stock (7) are inventory events; banned (6) and price (22) product events', () => {
    const base = { shop_id: 600000, timestamp: 1704100000 };
    expect(parse({ ...base, code: 8, data: { item_id: 2500139861 } })).toMatchObject({
      type: 'inventory.updated',
      resourceType: 'product',
      resourceId: '2500139861',
    });
    expect(parse({ ...base, code: 7, data: { item_id: 1 } }).type).toBe('inventory.updated');
    expect(parse({ ...base, code: 6, data: { item_id: 2 } })).toMatchObject({
      type: 'product.updated',
      status: 'BANNED',
    });
    expect(parse({ ...base, code: 22, data: { item_id: 3 } }).type).toBe('product.updated');
  });

  it('an unknown code is acknowledged as an unknown event', () => {
    expect(parse({ code: 99, shop_id: 600000, timestamp: 1, data: {} })).toMatchObject({
      type: 'unknown',
      topic: '99',
      accountId: '600000',
    });
  });
});

describe('shopeeWebhookSource', () => {
  it('verifies with the registered URL, not the one the request arrived on, and acks 2xx with an empty body', async () => {
    const source = shopeeWebhookSource({ callbackUrl: URL_, partnerKeys: [KEY], now: () => NOW });
    const authorization = await signShopeePush({ url: URL_, body: P2, partnerKey: KEY });
    const result = await source.verify({
      body: P2,
      headers: new Headers({ authorization }),
      url: 'http://10.0.0.5:8080/shopee/push',
    });
    expect(result).toMatchObject({ ok: true, event: { type: 'shipment.updated' } });
    const ack = source.acknowledge?.();
    expect(ack?.status).toBeGreaterThanOrEqual(200);
    expect(ack?.status).toBeLessThan(300);
    await expect(ack?.text()).resolves.toBe('');
  });

  it('needs a key and an absolute callback URL', () => {
    expect(() => shopeeWebhookSource({ callbackUrl: URL_, partnerKeys: [] })).toThrow(/partnerKeys/);
    expect(() => shopeeWebhookSource({ callbackUrl: '/shopee/push', partnerKeys: KEY })).toThrow(
      /callbackUrl/,
    );
  });
});

describe('body encoding', () => {
  it('refuses a correctly signed push whose bytes are not UTF-8 with reason invalid_encoding', async () => {
    // A two-byte sequence cut short inside the order number: lenient decoding would accept it.
    const broken = concatBytes([P1.slice(0, 40), new Uint8Array([0xc3, 0x28]), P1.slice(40)]);
    const authorization = await signShopeePush({ url: URL_, body: broken, partnerKey: KEY });
    const result = await verifyShopeePush({ url: URL_, body: broken, authorization, partnerKeys: KEY });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_encoding' });
  });
});
