import { MemoryTokenStore, type MlhEvent } from '@mlh/core';
import { createShopee, type Shopee, shopAccountId } from '@mlh/shopee';
import { createSandboxClock, createShopeeSandbox, type ShopeeSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemorySyncStore, type MemorySyncStore, OrderSync, type SyncStore } from '../src/index';
import { START, sandboxAdapterClock } from './sandbox-setup';

/**
 * Shopee's lost pushes through `OrderSync.reconcile`, with the real adapter against the Shopee
 * sandbox: one app, two shops, the app's push endpoint down while orders come in.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const CALLBACK_URL = 'https://app.example.com/webhooks/shopee';

interface World {
  sandbox: ShopeeSandbox;
  shopee: Shopee;
  store: MemorySyncStore;
  partnerId: number;
  shops: [string, string];
}

async function createWorld(): Promise<World> {
  const clock = createSandboxClock({ start: START, frozen: true });
  const sandbox = createShopeeSandbox({
    clock,
    // The app's endpoint is down: every push fails its one attempt and joins the lost list.
    webhooks: { target: () => new Response(null, { status: 503 }), callbackUrl: CALLBACK_URL },
  });
  server.use(...sandbox.handlers);
  const { partnerId, partnerKey } = sandbox.addPartner({ callbackUrl: CALLBACK_URL });
  const tokenStore = new MemoryTokenStore();
  const shopee = createShopee({
    partnerId,
    partnerKey,
    tokenStore,
    clock: sandboxAdapterClock(clock),
    random: () => 0,
    circuitBreaker: false,
  });
  const shops: string[] = [];
  for (const _ of [0, 1]) {
    const shop = sandbox.addShop({ region: 'BR' });
    const tokens = sandbox.issueTokens({ partnerId, shopId: shop.shopId });
    await shopee.tokens.saveTokenSet({
      marketplace: 'shopee',
      accountId: shopAccountId(shop.shopId),
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.accessTokenExpiresAt,
      refreshExpiresAt: tokens.refreshTokenExpiresAt,
    });
    shops.push(String(shop.shopId));
  }
  return { sandbox, shopee, store: createMemorySyncStore(), partnerId, shops: shops as [string, string] };
}

async function placePaidOrder(w: World, shopId: string): Promise<string> {
  const item = w.sandbox.addItem({ shopId: Number(shopId), sku: `MUG-${shopId}`, price: '29.90', stock: 10 });
  const order = await w.sandbox.placeOrder({
    shopId: Number(shopId),
    items: [{ itemId: item.itemId, quantity: 1 }],
  });
  await w.sandbox.payOrder(order.orderSn);
  return order.orderSn;
}

/** A store whose order writes fail while `failing` is set. */
function failingOrders(store: SyncStore, state: { failing: boolean }): SyncStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'upsertOrder' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (state.failing) return Promise.reject(new Error('database is down'));
        return value.apply(target, args);
      };
    },
  });
}

describe('OrderSync with Shopee lost pushes', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });

  it('replays the lost pushes before polling, forwards other shops’ events, and confirms the list', async () => {
    const [mine, other] = w.shops;
    const myOrder = await placePaidOrder(w, mine);
    const otherOrder = await placePaidOrder(w, other);
    await w.sandbox.webhooks.flush();
    expect(w.sandbox.lostPushes(w.partnerId).filter((push) => push.code === 3)).toHaveLength(4);

    const forwarded: MlhEvent[] = [];
    const orders = new OrderSync({
      store: w.store,
      clients: [w.shopee.forShop(mine)],
      forwardEvent: async (event) => {
        forwarded.push(event);
      },
    });
    const { recovery, poll } = await orders.reconcile({ marketplace: 'shopee', accountId: mine });

    // Two pushes per order (UNPAID, then READY_TO_SHIP): each is a hint that re-reads the order.
    expect(recovery).toMatchObject({ events: 4, processed: 2, forwarded: 2, skipped: 0, failed: [] });
    expect(forwarded.map((event) => [event.accountId, event.resourceId])).toEqual([
      [other, otherOrder],
      [other, otherOrder],
    ]);
    expect(poll.failed).toEqual([]);
    expect(
      (await w.store.getOrder({ marketplace: 'shopee', accountId: mine, externalId: myOrder }))?.order,
    ).toMatchObject({ status: 'paid' });
    expect(w.sandbox.lostPushes(w.partnerId).every((push) => push.consumed)).toBe(true);
  });

  it('without forwardEvent, counts other shops’ order events as skipped (that shop’s own poll finds its orders)', async () => {
    const [mine, other] = w.shops;
    await placePaidOrder(w, other);
    await w.sandbox.webhooks.flush();
    const orders = new OrderSync({ store: w.store, clients: [w.shopee.forShop(mine)] });
    const { recovery } = await orders.reconcile({ marketplace: 'shopee', accountId: mine });
    expect(recovery).toMatchObject({ processed: 0, forwarded: 0, skipped: 2, failed: [] });
  });

  it('stops at an event it could not store and leaves the lost list unconfirmed for the next run', async () => {
    const [mine] = w.shops;
    const myOrder = await placePaidOrder(w, mine);
    await w.sandbox.webhooks.flush();
    const state = { failing: true };
    const orders = new OrderSync({ store: failingOrders(w.store, state), clients: [w.shopee.forShop(mine)] });

    const first = await orders.reconcile({ marketplace: 'shopee', accountId: mine });
    expect(first.recovery?.failed).toHaveLength(1);
    expect(first.recovery?.events).toBe(1);
    expect(w.sandbox.lostPushes(w.partnerId).some((push) => push.consumed)).toBe(false);

    state.failing = false;
    const second = await orders.reconcile({ marketplace: 'shopee', accountId: mine });
    expect(second.recovery).toMatchObject({ failed: [] });
    expect(w.sandbox.lostPushes(w.partnerId).every((push) => push.consumed)).toBe(true);
    expect(
      await w.store.getOrder({ marketplace: 'shopee', accountId: mine, externalId: myOrder }),
    ).toBeDefined();
  });

  it('keeps polling Shopee on its interval, with the recovery before each poll', async () => {
    const [mine] = w.shops;
    await placePaidOrder(w, mine);
    await w.sandbox.webhooks.flush();
    const ran: string[] = [];
    const timers = manualTimers();
    const orders = new OrderSync({ store: w.store, clients: [w.shopee.forShop(mine)], timers });
    orders.on('finished', (event) => {
      ran.push(event.kind);
    });
    orders.start();
    timers.fire();
    await orders.idle();
    await orders.stop();
    expect(ran).toEqual(['orders.recover', 'orders.poll']);
    expect(w.sandbox.lostPushes(w.partnerId).every((push) => push.consumed)).toBe(true);
  });
});

/** Timers whose callbacks run only when `fire()` is called (once each). */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    setTimeout: (callback: () => void) => {
      const id = next++;
      pending.set(id, callback);
      return id;
    },
    clearTimeout: (id: unknown) => {
      pending.delete(id as number);
    },
    fire() {
      const callbacks = [...pending.values()];
      pending.clear();
      for (const callback of callbacks) callback();
    },
  };
}
