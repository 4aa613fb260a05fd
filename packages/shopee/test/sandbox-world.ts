import { createManualClock, createWebhookHandler, MemoryTokenStore, type MlhEvent } from '@mlh/core';
import { createShopee, parseShopeeAuthorizationCallback, type Shopee } from '@mlh/shopee';
import { createSandboxClock, createShopeeSandbox, type ShopeeSandbox } from '@mlh/testing';
import { HttpResponse, http } from 'msw';
import type { SetupServer } from 'msw/node';
import { expect } from 'vitest';

export const CALLBACK_URL = 'https://app.example.com/shopee/push';
const REDIRECT_URL = 'https://app.example.com/shopee/callback?state=s1';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

export interface World {
  sandbox: ShopeeSandbox;
  shopee: Shopee;
  clock: ReturnType<typeof createManualClock>;
  store: MemoryTokenStore;
  shopId: string;
  events: MlhEvent[];
  partnerId: number;
  partnerKey: string;
  /** The app's push endpoint. */
  webhooks: ReturnType<typeof createWebhookHandler>;
}

/**
 * A Brazilian shop in the Shopee sandbox, authorized through the signed link, with pushes going
 * to a core webhook handler (every event collected in `events`).
 */
export async function world(
  server: SetupServer,
  options: { bigIds?: boolean; region?: string; issuesOwnInvoices?: boolean } = {},
): Promise<World> {
  const clock = createManualClock(Date.UTC(2026, 2, 1));
  const events: MlhEvent[] = [];
  const handler = {
    current: undefined as ReturnType<typeof createWebhookHandler> | undefined,
  };
  let nextItemId = 9007199254740993n;
  let nextModelId = 9007199254741001n;
  const sandbox = createShopeeSandbox({
    // The sandbox reads the SDK's manual clock, so both agree on time and token expiry.
    clock: createSandboxClock({ realNow: () => clock.now() }),
    webhooks: {
      target: (request) => (handler.current as NonNullable<typeof handler.current>).handle(request),
    },
    ...(options.bigIds
      ? {
          ids: {
            itemId: () => {
              nextItemId += 2n;
              return nextItemId;
            },
            modelId: () => {
              nextModelId += 2n;
              return nextModelId;
            },
          },
        }
      : {}),
  });
  server.use(
    ...sandbox.handlers,
    http.get(
      'https://img.example.com/*',
      () => new HttpResponse(JPEG, { headers: { 'content-type': 'image/jpeg' } }),
    ),
  );
  const { partnerId, partnerKey } = sandbox.addPartner({ callbackUrl: CALLBACK_URL });
  const shop = sandbox.addShop({
    region: options.region ?? 'BR',
    ...(options.issuesOwnInvoices ? { issuesOwnInvoices: true } : {}),
  });
  const store = new MemoryTokenStore();
  const shopee = createShopee({
    partnerId,
    partnerKey,
    environment: 'sandbox',
    tokenStore: store,
    redirectUrl: REDIRECT_URL,
    clock,
    random: () => 0,
    circuitBreaker: false,
  });
  shopee.transport.events.on('retry', (event) => {
    void clock.advance(event.delayMs);
  });
  handler.current = createWebhookHandler({ sources: [shopee.webhookSource({ callbackUrl: CALLBACK_URL })] });
  handler.current.events.on('event', (event) => {
    events.push(event);
  });

  // The seller authorizes through the signed link; the sandbox redirects with code and shop_id.
  const link = await shopee.authorizationUrl();
  const redirect = await fetch(link, { redirect: 'manual' });
  const location = redirect.headers.get('location') ?? '';
  expect(location.startsWith('https://app.example.com/shopee/callback')).toBe(true);
  await shopee.exchangeCode(parseShopeeAuthorizationCallback(location));
  return {
    sandbox,
    shopee,
    clock,
    store,
    shopId: String(shop.shopId),
    events,
    partnerId,
    partnerKey,
    webhooks: handler.current,
  };
}
