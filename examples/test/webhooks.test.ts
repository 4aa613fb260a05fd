import type { MlhEvent } from '@mlh/core';
import { makeMeliNotificationRequest, makeShopeePushRequest, makeTikTokWebhookRequest } from '@mlh/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main as webhookServer } from '../webhook-server';
import endpoint, { createWebhooks, variablesOf, type WebhookEnv } from '../webhooks';

describe('the webhook server on Node http, fed by the three sandboxes', () => {
  it('receives every marketplace, verified, once each: every duplicate delivery is dropped', async () => {
    const run = await webhookServer({ env: {}, print: () => {} });
    expect(run.statuses.length).toBeGreaterThan(0);
    expect(run.statuses.every((status) => status >= 200 && status < 300)).toBe(true);
    const orderEvents = (marketplace: string) =>
      run.events.filter((event) => event.marketplace === marketplace && event.resourceType === 'order');
    for (const marketplace of ['meli', 'shopee', 'tiktok'])
      expect(orderEvents(marketplace).length).toBeGreaterThan(0);
    // Each webhook was delivered twice; the second copy of each was recognized as a duplicate.
    expect(run.duplicates.length).toBe(run.events.length);
    expect(new Set(run.events.map((event) => `${event.marketplace}:${event.dedupeKey}`)).size).toBe(
      run.events.length,
    );
  });
});

describe('the same endpoint as a Fetch handler (Workers, Bun, Deno)', () => {
  const env: WebhookEnv = {
    MELI_CLIENT_ID: '5503910054141466',
    SHOPEE_PARTNER_KEY: 'shpk-test-partner-key',
    MLH_PUBLIC_URL: 'https://webhooks.example.com',
    TIKTOK_APP_KEY: 'test-app-key',
    TIKTOK_APP_SECRET: 'test-app-secret',
  };
  const meliRequest = () =>
    makeMeliNotificationRequest({
      url: 'https://webhooks.example.com/webhooks/meli',
      body: { topic: 'orders_v2', resource: '/orders/2000009000000001', user_id: 100000001 },
    });
  const shopeeRequest = (partnerKey: string) =>
    makeShopeePushRequest({
      url: 'https://webhooks.example.com/webhooks/shopee',
      partnerKey,
      body: {
        code: 3,
        shop_id: 600001,
        // Pushes older than the replay window (24 hours by default) are refused as stale.
        timestamp: Math.floor(Date.now() / 1000),
        data: { ordersn: '260101ABC', status: 'READY_TO_SHIP', update_time: 1_780_000_000 },
      },
    });
  const tiktokRequest = (appSecret: string) =>
    makeTikTokWebhookRequest({
      appKey: 'test-app-key',
      appSecret,
      url: 'https://webhooks.example.com/webhooks/tiktok',
      body: {
        type: 1,
        tts_notification_id: '7327',
        shop_id: '7494049642642400001',
        timestamp: Math.floor(Date.now() / 1000),
        data: {
          order_id: '576461413038700001',
          order_status: 'AWAITING_SHIPMENT',
          update_time: Math.floor(Date.now() / 1000),
        },
      },
    });

  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  it('accepts a genuine webhook of each marketplace, with the Workers call fetch(request, env, ctx)', async () => {
    // A Worker's env also holds bindings (objects), and its ctx is what marks it as the variables.
    const workerEnv = { ...env, ORDERS_QUEUE: { send: async () => {} } };
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {} };
    const meli = await endpoint.fetch(meliRequest(), workerEnv, ctx);
    const shopee = await endpoint.fetch(await shopeeRequest('shpk-test-partner-key'), workerEnv, ctx);
    const tiktok = await endpoint.fetch(await tiktokRequest('test-app-secret'), workerEnv, ctx);
    expect([meli.status, shopee.status, tiktok.status]).toEqual([200, 200, 200]);
    expect(console.log).toHaveBeenCalledWith(
      expect.stringContaining('webhook shopee order.updated 260101ABC'),
    );
  });

  it('reads the process environment under Bun.serve (the server) and deno serve (the connection info)', async () => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value ?? '');
    try {
      const bunServer = { port: 3000, hostname: '0.0.0.0', upgrade: () => false, requestIP: () => null };
      const denoInfo = {
        remoteAddr: { transport: 'tcp', hostname: '127.0.0.1', port: 50000 },
        completed: Promise.resolve(),
      };
      expect((await endpoint.fetch(await tiktokRequest('test-app-secret'), bunServer)).status).toBe(200);
      expect((await endpoint.fetch(meliRequest(), denoInfo)).status).toBe(200);
      expect(variablesOf(bunServer).TIKTOK_APP_KEY).toBe('test-app-key');
      expect(variablesOf(denoInfo).MELI_CLIENT_ID).toBe('5503910054141466');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('takes a plain record of variables as the env of a direct call', async () => {
    expect((await endpoint.fetch(meliRequest(), env)).status).toBe(200);
    expect(variablesOf({ MELI_CLIENT_ID: 'x' })).toEqual({ MELI_CLIENT_ID: 'x' });
  });

  it('refuses a forged signature with 401 and an unconfigured marketplace with 404', async () => {
    const events: MlhEvent[] = [];
    // Shopee's variables are not set: its route is not served.
    const { SHOPEE_PARTNER_KEY: _unset, ...withoutShopee } = env;
    const webhooks = createWebhooks(withoutShopee, (event) => events.push(event));
    expect((await webhooks.handle(await tiktokRequest('someone-elses-secret'))).status).toBe(401);
    expect((await webhooks.handle(await shopeeRequest('shpk-test-partner-key'))).status).toBe(404);
    expect((await webhooks.handle(await tiktokRequest('test-app-secret'))).status).toBe(200);
    expect(events.map((event) => [event.marketplace, event.type, event.resourceId])).toEqual([
      ['tiktok', 'order.updated', '576461413038700001'],
    ]);
  });

  it('drops a redelivery of the same notification', async () => {
    const events: MlhEvent[] = [];
    const webhooks = createWebhooks(env, (event) => events.push(event));
    const request = await tiktokRequest('test-app-secret');
    expect((await webhooks.handle(request.clone())).status).toBe(200);
    expect((await webhooks.handle(request)).status).toBe(200);
    expect(events).toHaveLength(1);
  });
});
