import { createHmac } from 'node:crypto';
import { type Clock, createWebhookHandler, MemoryTokenStore, type MlhEvent, type TokenSet } from '@mlh/core';
import { createSandboxClock, createTikTokSandbox, type TikTokSandbox } from '@mlh/testing';
import { HttpResponse } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTikTokShop } from '../src/client';

export const APP_KEY = '6abc123def';
export const APP_SECRET = 'test_secret_0123456789';
export const SHOP_ID = '7494049642642441621';
export const CIPHER = 'ROW_TestCipher123';
export const API = 'https://open-api.tiktokglobalshop.com';
export const AUTH = 'https://auth.tiktok-shops.com';
export const START_MS = 1_700_000_000_000;

/**
 * An independent signer (node:crypto, written from the reference), used by the fake API to check
 * what the adapter sends.
 */
export function referenceSign(url: URL, body: string, contentType: string | null): string {
  const keys = [...new Set(url.searchParams.keys())]
    .filter((k) => k !== 'sign' && k !== 'access_token')
    .sort();
  let base = url.pathname + keys.map((k) => k + url.searchParams.get(k)).join('');
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (media !== 'multipart/form-data' && body) base += body;
  return createHmac('sha256', APP_SECRET)
    .update(APP_SECRET + base + APP_SECRET, 'utf8')
    .digest('hex');
}

/** What one request to the fake API looked like. */
export interface Seen {
  method: string;
  url: URL;
  body: string;
  headers: Headers;
  signatureValid: boolean;
}

/** Records the request and checks its signature like TikTok would. */
export async function inspect(request: Request, seen: Seen[]): Promise<Seen> {
  const url = new URL(request.url);
  const contentType = request.headers.get('content-type');
  const body = contentType?.startsWith('multipart/') ? '' : await request.clone().text();
  const entry: Seen = {
    method: request.method,
    url,
    body,
    headers: request.headers,
    signatureValid: url.searchParams.get('sign') === referenceSign(url, body, contentType),
  };
  seen.push(entry);
  return entry;
}

export function ok(data: unknown, requestId = 'req-ok') {
  return HttpResponse.json({ code: 0, message: 'Success', data, request_id: requestId });
}

export function fail(code: number, message: string, status = 200, headers: Record<string, string> = {}) {
  return HttpResponse.json({ code, message, data: null, request_id: `req-${code}` }, { status, headers });
}

/** An msw server for one test file; unhandled requests fail the test. */
export function useServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/**
 * A clock whose short sleeps (backoff, Retry-After) pass instantly by moving time forward, and
 * whose long sleeps (the per-attempt timeout) never end: no test waits, and time still moves.
 */
export function steppingClock(start = START_MS): Clock & { set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set(ms) {
      now = ms;
    },
    sleep(ms, signal) {
      if (ms < 10_000) {
        now += Math.max(0, ms);
        return Promise.resolve();
      }
      return new Promise((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
  };
}

export function shopTokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    marketplace: 'tiktok',
    accountId: SHOP_ID,
    accessToken: 'ROW_access_token_one_0123456789',
    refreshToken: 'NTUx_refresh_token_one_0123456789',
    expiresAt: START_MS + 7 * 24 * 3600_000,
    refreshExpiresAt: START_MS + 365 * 24 * 3600_000,
    extra: { openId: 'open-1', shopCipher: CIPHER },
    ...overrides,
  };
}

/** A `createTikTokShop` wired to a memory store holding one shop's tokens. */
export async function makeShop(
  options: { tokens?: TokenSet | null; clock?: Clock; warehouseId?: string } = {},
) {
  const store = new MemoryTokenStore();
  if (options.tokens !== null) await store.set(options.tokens ?? shopTokens());
  const clock = options.clock ?? steppingClock();
  const shop = createTikTokShop({
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    serviceId: '7123456789012345678',
    tokenStore: store,
    clock,
    random: () => 0.5,
    circuitBreaker: false,
    clientDefaults: { warehouseId: options.warehouseId ?? 'wh-1' },
  });
  return { store, shop, clock, client: shop.forAccount(SHOP_ID) };
}

/**
 * The adapter's clock on the sandbox's time: short sleeps (retry back-offs) move the sandbox clock,
 * long ones (timeouts) never end unless aborted.
 */
export function sharedClock(sandboxClock: { now(): number; advance(ms: number): void }): Clock {
  return {
    now: () => sandboxClock.now(),
    sleep(ms, signal) {
      if (ms < 10_000) {
        sandboxClock.advance(Math.max(0, ms));
        return Promise.resolve();
      }
      return new Promise((_, reject) =>
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
      );
    },
  };
}

/**
 * A TikTok sandbox on a frozen clock at `start`, served by `server`, whose webhooks reach the
 * adapter's handler (events collected in `events`), and one authorized local shop of `region`.
 */
export async function connectedSandboxShop(server: SetupServer, region: string, start: number) {
  const clock = createSandboxClock({ start, frozen: true });
  const events: MlhEvent[] = [];
  let handle: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const sandbox: TikTokSandbox = createTikTokSandbox({
    clock,
    webhooks: { target: (request) => handle(request) },
  });
  server.use(...sandbox.handlers);
  const tiktok = createTikTokShop({
    appKey: sandbox.app.appKey,
    appSecret: sandbox.app.appSecret,
    serviceId: sandbox.app.serviceId,
    tokenStore: new MemoryTokenStore(),
    clock: sharedClock(clock),
    random: () => 0.5,
  });
  const webhooks = createWebhookHandler({ sources: [tiktok.webhookSource()] });
  webhooks.events.on('event', (event) => events.push(event));
  handle = (request) => webhooks.handle(request);
  const shop = sandbox.addShop({ region, sellerType: 'LOCAL' });
  await tiktok.exchangeCode(sandbox.authorize({ shopId: shop.id }).code);
  return { clock, events, sandbox, tiktok, shop };
}
