import { type MlhEvent, ValidationError } from '@mlh/core';
import { lostPushBody } from '@mlh/shopee';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACK_URL, type World, world } from './sandbox-world';
import { collect, fakeShopee, makeShopee, rejectionOf, SHOP_ID } from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DAY_MS = 24 * 60 * 60_000;

describe('Shopee push configuration (app level)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world(server);
  });

  it('switches codes off and on, blocks shops, and reads the configuration back', async () => {
    await expect(
      w.shopee.push.setAppPushConfig({ pushConfigOff: [10, 11], blockedShopIds: ['600999'] }),
    ).resolves.toBe('success');
    const config = await w.shopee.push.getAppPushConfig();
    expect(config).toMatchObject({ callback_url: CALLBACK_URL, live_push_status: 'Normal' });
    expect(config.push_config_off_list).toEqual([10, 11]);
    expect(config.push_config_on_list).toContain(3);
    expect(config.blocked_shop_id).toEqual(['600999']);
    expect(config.suspended_time).toBeUndefined();

    await w.shopee.push.setAppPushConfig({ pushConfigOn: [10] });
    await expect(w.shopee.push.getAppPushConfig()).resolves.toMatchObject({ push_config_off_list: [11] });
  });

  it('reports a suspended subscription with its time', async () => {
    w.sandbox.setLivePushStatus(w.partnerId, 'Suspended');
    const config = await w.shopee.push.getAppPushConfig();
    expect(config.live_push_status).toBe('Suspended');
    expect(config.suspended_time).toBe(Math.floor(w.clock.now() / 1000));
  });

  it('refuses a bad configuration before sending anything, naming each field', async () => {
    const before = w.sandbox.stats().requests;
    const error = await rejectionOf(
      w.shopee.push.setAppPushConfig({
        callbackUrl: 'not a url',
        pushConfigOn: [3, 15],
        pushConfigOff: [3],
        blockedShopIds: Array.from({ length: 501 }, (_, i) => 600_000 + i),
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'callbackUrl',
      'pushConfigOn.1',
      'pushConfigOff',
      'blockedShopIds',
    ]);
    await expect(w.shopee.push.setAppPushConfig({})).rejects.toBeInstanceOf(ValidationError);
    expect(w.sandbox.stats().requests).toBe(before);
  });
});

describe('Shopee lost-push recovery', () => {
  let w: World;
  beforeEach(async () => {
    w = await world(server);
  });

  /** Places paid orders while the app's endpoint is down, so their pushes are lost. */
  async function losePushes(count: number): Promise<string[]> {
    const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 1000 });
    await w.sandbox.webhooks.flush(); // the authorization push arrives
    w.events.length = 0;
    w.sandbox.webhooks.configure({ target: () => new Response(null, { status: 503 }) });
    const orderSns: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const order = await w.sandbox.placeOrder({
        shopId: Number(w.shopId),
        items: [{ itemId: mug.itemId, quantity: 1 }],
      });
      orderSns.push(order.orderSn);
    }
    await w.sandbox.webhooks.flush();
    w.sandbox.webhooks.configure({ target: (request) => w.webhooks.handle(request) });
    return orderSns;
  }

  it('replays pushes the endpoint missed as the same events a live push gives, then confirms them', async () => {
    const [orderSn] = await losePushes(1);
    expect(w.events).toEqual([]);
    const client = w.shopee.forShop(w.shopId);
    expect(client.capabilities.missedEventRecovery).toBe(true);

    const recovered = await collect(client.recoverMissedEvents());
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({
      type: 'order.created',
      accountId: w.shopId,
      resourceType: 'order',
      resourceId: orderSn,
    });
    expect(w.sandbox.lostPushes(w.partnerId).map((push) => push.consumed)).toEqual([true]);
    await expect(collect(client.recoverMissedEvents())).resolves.toEqual([]);

    // The same push delivered live dedupes with the recovered one.
    const [lost] = w.sandbox.lostPushes(w.partnerId);
    await w.webhooks.handle(await signedPush(lost?.body ?? ''));
    expect(w.events.map((event) => event.dedupeKey)).toEqual([recovered[0]?.dedupeKey]);
  });

  async function signedPush(body: string): Promise<Request> {
    const { makeShopeePushRequest } = await import('@mlh/testing');
    return makeShopeePushRequest({ url: CALLBACK_URL, partnerKey: w.partnerKey, body });
  }

  it('leaves a page unconfirmed when the consumer stops, so nothing is lost', async () => {
    await losePushes(2);
    const client = w.shopee.forShop(w.shopId);
    const first: MlhEvent[] = [];
    for await (const event of client.recoverMissedEvents()) {
      first.push(event);
      break; // the consumer could not process it
    }
    expect(first).toHaveLength(1);
    expect(w.sandbox.lostPushes(w.partnerId).some((push) => push.consumed)).toBe(false);

    const failing = async () => {
      for await (const _event of client.recoverMissedEvents()) throw new Error('store is down');
    };
    await expect(failing()).rejects.toThrow('store is down');
    expect(w.sandbox.lostPushes(w.partnerId).some((push) => push.consumed)).toBe(false);

    await expect(collect(client.recoverMissedEvents())).resolves.toHaveLength(2);
    expect(w.sandbox.lostPushes(w.partnerId).every((push) => push.consumed)).toBe(true);
  });

  it('redelivers the events after a crash between processing and the confirmation', async () => {
    await losePushes(1);
    const client = w.shopee.forShop(w.shopId);
    w.sandbox.faults.inject({
      path: '/api/v2/push/confirm_consumed_lost_push_message',
      times: 20, // more than the transport's retries: the confirmation never arrives
      fault: { drop: true },
    });
    const seen: string[] = [];
    const run = async () => {
      for await (const event of client.recoverMissedEvents()) seen.push(event.dedupeKey);
    };
    await expect(run()).rejects.toMatchObject({ kind: 'network' });
    w.sandbox.faults.clear();
    await run();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(w.sandbox.lostPushes(w.partnerId)[0]?.consumed).toBe(true);
  });

  it('pages through more than 100 lost pushes, confirming each page', async () => {
    const orderSns = await losePushes(101);
    const client = w.shopee.forShop(w.shopId);
    const events = await collect(client.recoverMissedEvents());
    expect(events.map((event) => event.resourceId)).toEqual(orderSns);
    expect(w.sandbox.stats().byPath['/api/v2/push/confirm_consumed_lost_push_message']).toBe(2);
    expect(w.sandbox.lostPushes(w.partnerId).every((push) => push.consumed)).toBe(true);
  });

  it('forgets pushes lost more than 3 days ago (a longer outage needs polling)', async () => {
    await losePushes(1);
    await w.clock.advance(3 * DAY_MS + 1_000);
    await expect(collect(w.shopee.forShop(w.shopId).recoverMissedEvents())).resolves.toEqual([]);
  });

  it('is an app-level call too: drainLostPushes yields each push body', async () => {
    const [orderSn] = await losePushes(1);
    const drained = await collect(w.shopee.push.drainLostPushes());
    expect(drained).toHaveLength(1);
    expect(JSON.parse(drained[0]?.body ?? '{}')).toMatchObject({ code: 3, data: { ordersn: orderSn } });
    expect(drained[0]?.message).toMatchObject({ code: 3, shop_id: w.shopId });
  });
});

describe('lostPushBody', () => {
  const original =
    '{"data":{"items":[],"ordersn":"2401019ABCDEFG","status":"READY_TO_SHIP","update_time":1704100000},"shop_id":600000,"code":3,"timestamp":1704100001}';

  it('keeps a JSON-text push as sent', () => {
    expect(lostPushBody({ code: 3, shop_id: '600000', timestamp: 1704100100, data: original })).toBe(
      original,
    );
  });

  it('reads the object form of the sample', () => {
    const body = lostPushBody({ code: 3, timestamp: 1704100100, data: JSON.parse(original) });
    expect(JSON.parse(body)).toEqual(JSON.parse(original));
  });

  it('rebuilds the push around a bare payload, with ids kept exact', () => {
    const body = lostPushBody({
      code: 4,
      shop_id: '9007199254740993',
      timestamp: 1704100100,
      data: '{"ordersn":"2401019ABCDEFG","forder_id":"5867000000000000001"}',
    });
    expect(body).toBe(
      '{"data":{"ordersn":"2401019ABCDEFG","forder_id":"5867000000000000001"},"shop_id":9007199254740993,"code":4,"timestamp":1704100100}',
    );
  });
});

describe('drainLostPushes guards (a misbehaving lost list)', () => {
  const LOST = '/api/v2/push/get_lost_push_message';
  const CONFIRM = '/api/v2/push/confirm_consumed_lost_push_message';
  const message = (n: number) => ({
    shop_id: 600000,
    code: 3,
    timestamp: 1768435200,
    data: `{"data":{"ordersn":"260115ORDER${n}","status":"READY_TO_SHIP","update_time":1768435100},"shop_id":600000,"code":3,"timestamp":1768435101}`,
  });

  it('stops with a retryable error when the same page comes back after its confirmation', async () => {
    const fake = fakeShopee(server, {
      [LOST]: () => ({ push_message_list: [message(1)], has_next_page: true, last_message_id: 7 }),
      [CONFIRM]: () => ({}),
    });
    const { shopee } = await makeShopee();
    const seen: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const event of shopee.forShop(SHOP_ID).recoverMissedEvents()) seen.push(event.resourceId);
      })(),
    );
    expect(error).toMatchObject({ kind: 'server', code: 'lost_push_loop', retryable: true });
    expect(seen).toEqual(['260115ORDER1']);
    expect(fake.of(CONFIRM).map((request) => JSON.parse(request.body))).toEqual([{ last_message_id: 7 }]);
  });

  it('refuses a page without last_message_id before yielding anything (it could never be confirmed)', async () => {
    fakeShopee(server, { [LOST]: () => ({ push_message_list: [message(1)], has_next_page: false }) });
    const { shopee } = await makeShopee();
    await expect(collect(shopee.forShop(SHOP_ID).recoverMissedEvents())).rejects.toMatchObject({
      code: 'lost_push_loop',
    });
  });

  it('reads at most maxPages per drain; the rest waits for the next one', async () => {
    let next = 0;
    const fake = fakeShopee(server, {
      [LOST]: () => {
        next += 1;
        return { push_message_list: [message(next)], has_next_page: true, last_message_id: next };
      },
      [CONFIRM]: () => ({}),
    });
    const { shopee } = await makeShopee();
    const drained = await collect(shopee.push.drainLostPushes({ maxPages: 2 }));
    expect(drained).toHaveLength(2);
    expect(fake.of(CONFIRM)).toHaveLength(2);
    // Public APIs: signed without access_token or shop_id.
    expect(fake.of(LOST).every((request) => !request.query.has('access_token'))).toBe(true);
  });
});
