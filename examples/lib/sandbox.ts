/**
 * The three marketplaces, played in process by the sandboxes of `@mlh/testing`: msw intercepts
 * `fetch` calls to the real hosts (api.mercadolibre.com, partner.shopeemobile.com,
 * open-api.tiktokglobalshop.com, ...) and answers them from the sandboxes' state. Everything
 * else, such as the example's own local servers, goes out untouched (`onUnhandledRequest: 'bypass'`).
 */
import {
  createMeliSandbox,
  createShopeeSandbox,
  createTikTokSandbox,
  type MeliSandbox,
  type ShopeeSandbox,
  type TikTokSandbox,
} from '@mlh/testing';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import type { Marketplace } from './config';

/** Where the example's catalog images live in sandbox runs (Shopee and TikTok download and re-upload them). */
export const SANDBOX_IMAGE_HOST = 'https://images.example.com';

/** The smallest JPEG header the marketplaces' upload checks accept. */
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

/** Carriers a Brazilian TikTok shop ships with (the sandbox's own ids). */
const BRAZILIAN_CARRIERS = [
  { id: '7208502187360019458', name: 'Correios' },
  { id: '7208502187360019459', name: 'Jadlog' },
];

/** TikTok's seller consent page, which the sandbox leaves to the app's tests. */
const TIKTOK_AUTHORIZE_PAGE = 'https://services.tiktokshop.com/open/authorize';

/** Shopee's app in the sandbox, as its Console would show it. */
export interface ShopeeSandboxPartner {
  partnerId: number;
  partnerKey: string;
}

/** Options of {@link startSandboxes}. */
export interface SandboxOptions {
  /** Redirect URIs registered on the sandbox apps (the OAuth examples' local callback). */
  redirectUris?: Partial<Record<Marketplace, string>>;
  /** The URL Shopee pushes are signed over (the webhook example). Default: none. */
  shopeeCallbackUrl?: string;
}

/** The sandboxes that are running, one per sandboxed marketplace. */
export interface Sandboxes {
  meli: MeliSandbox | undefined;
  shopee: (ShopeeSandbox & { partner: ShopeeSandboxPartner }) | undefined;
  tiktok: (TikTokSandbox & { consentAs(shopId: string): void }) | undefined;
  /** The msw server answering for them; `close()` stops it. */
  server: SetupServer;
  /** API calls the sandboxes answered, per marketplace. */
  calls(): Partial<Record<Marketplace, number>>;
  close(): void;
}

/**
 * Starts the sandboxes of the given marketplaces (no others: a marketplace called for real must
 * not be intercepted) and routes their hosts to them through msw.
 *
 * @example
 * const sandboxes = startSandboxes(['meli', 'tiktok']);
 * try { ... } finally { sandboxes.close(); }
 */
export function startSandboxes(
  marketplaces: readonly Marketplace[],
  options: SandboxOptions = {},
): Sandboxes {
  const handlers: RequestHandler[] = [
    http.get(
      `${SANDBOX_IMAGE_HOST}/*`,
      () => new HttpResponse(JPEG, { headers: { 'content-type': 'image/jpeg' } }),
    ),
  ];

  let meli: MeliSandbox | undefined;
  if (marketplaces.includes('meli')) {
    const redirectUri = options.redirectUris?.meli;
    meli = createMeliSandbox(redirectUri === undefined ? {} : { app: { redirectUris: [redirectUri] } });
    handlers.push(...meli.handlers);
  }

  let shopee: Sandboxes['shopee'];
  if (marketplaces.includes('shopee')) {
    const sandbox = createShopeeSandbox();
    const partner = sandbox.addPartner(
      options.shopeeCallbackUrl === undefined ? {} : { callbackUrl: options.shopeeCallbackUrl },
    );
    shopee = Object.assign(sandbox, {
      partner: { partnerId: partner.partnerId, partnerKey: partner.partnerKey },
    });
    handlers.push(...sandbox.handlers);
  }

  let tiktok: Sandboxes['tiktok'];
  if (marketplaces.includes('tiktok')) {
    const redirectUri = options.redirectUris?.tiktok;
    const sandbox = createTikTokSandbox({
      ...(redirectUri === undefined ? {} : { app: { redirectUri } }),
      shippingProviders: BRAZILIAN_CARRIERS,
    });
    let consentingShop: string | undefined;
    tiktok = Object.assign(sandbox, {
      consentAs: (shopId: string) => {
        consentingShop = shopId;
      },
    });
    handlers.push(
      ...sandbox.handlers,
      // The consent page: the seller logged in as `consentingShop` clicks "Authorize".
      http.get(TIKTOK_AUTHORIZE_PAGE, ({ request }) => {
        const query = new URL(request.url).searchParams;
        if (query.get('service_id') !== sandbox.app.serviceId) {
          return HttpResponse.text('This service does not exist', { status: 404 });
        }
        const consent = sandbox.authorize({
          ...(consentingShop === undefined ? {} : { shopId: consentingShop }),
          state: query.get('state') ?? '',
        });
        return new HttpResponse(null, { status: 302, headers: { location: consent.redirectUrl } });
      }),
    );
  }

  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: 'bypass' });
  return {
    meli,
    shopee,
    tiktok,
    server,
    calls: () => ({
      ...(meli ? { meli: meli.stats().requests } : {}),
      ...(shopee ? { shopee: shopee.stats().requests } : {}),
      ...(tiktok ? { tiktok: tiktok.stats().requests } : {}),
    }),
    close: () => server.close(),
  };
}

/**
 * One transient failure per sandboxed marketplace (a 503 on a read, a rate-limit answer on a
 * write), so a run shows the transport retrying them. Returns what was injected, for the banner.
 */
export function injectTransientFaults(sandboxes: Sandboxes): string[] {
  const injected: string[] = [];
  if (sandboxes.meli) {
    sandboxes.meli.faults.inject({ method: 'GET', path: /^\/orders\/\d+$/, nth: 1, fault: { status: 503 } });
    injected.push('Mercado Livre answers the first GET /orders/{id} with 503');
  }
  if (sandboxes.shopee) {
    sandboxes.shopee.faults.inject({ path: '/api/v2/product/update_stock', nth: 1, fault: { status: 429 } });
    injected.push('Shopee refuses the first update_stock with error_rate_limit (429)');
  }
  if (sandboxes.tiktok) {
    sandboxes.tiktok.faults.inject({
      method: 'GET',
      path: '/order/202309/orders',
      nth: 1,
      fault: { status: 503 },
    });
    injected.push('TikTok Shop answers the first GET /order/202309/orders with 503');
  }
  return injected;
}
