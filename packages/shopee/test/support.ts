import { createHmac } from 'node:crypto';
import { createManualClock, type ManualClock, MemoryTokenStore } from '@mlh/core';
import { createShopee, type Shopee } from '@mlh/shopee';
import { HttpResponse, http } from 'msw';
import type { SetupServer } from 'msw/node';

export const PARTNER_ID = 1000001;
export const PARTNER_KEY = 'test-partner-key-0123456789abcdef';
export const SHOP_ID = '600000';
export const ACCESS_TOKEN = '6a55746e61546f707579627656637464';
export const REFRESH_TOKEN = '456e416149664b76745a6a794156794a';
export const HOST = 'https://partner.shopeemobile.com';

/** Paths this fake treats as Public APIs (written from the reference, independently of the SDK). */
const PUBLIC = new Set([
  '/api/v2/auth/token/get',
  '/api/v2/auth/access_token/get',
  '/api/v2/media_space/upload_image',
  '/api/v2/public/get_shops_by_partner',
  '/api/v2/push/get_lost_push_message',
  '/api/v2/push/confirm_consumed_lost_push_message',
]);

/** HMAC-SHA256 with node:crypto, as in the reference's one-liner: an independent check of the signer. */
export function nodeSign(key: string, base: string): string {
  return createHmac('sha256', key).update(base, 'utf8').digest('hex');
}

/** One request the fake Shopee received. */
export interface Received {
  method: string;
  path: string;
  url: URL;
  query: URLSearchParams;
  body: string;
  contentType: string | null;
}

/** What a route returns: the envelope's `response`, or a full body, or a Response. */
export type RouteResult = unknown;

export type Route = (request: Received, call: number) => RouteResult | Promise<RouteResult>;

/** Envelope of a successful answer. */
export function ok(response: unknown, extra: Record<string, unknown> = {}): Response {
  return HttpResponse.json({ request_id: 'req-ok', error: '', message: '', response, ...extra });
}

/** Envelope of an error answer (Shopee sends these with 200, 4xx or 5xx). */
export function fail(
  error: string,
  message: string,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return HttpResponse.json({ request_id: 'req-err', error, message }, { status, headers });
}

/** Raw JSON text (for big-id payloads that JSON.stringify cannot write). */
export function rawJson(text: string, status = 200): Response {
  return new HttpResponse(text, { status, headers: { 'content-type': 'application/json' } });
}

/**
 * A fake Shopee: verifies common parameters and the signature of every request the way the
 * reference describes, records it, and answers from `routes`. Unsigned or badly signed
 * requests get `error_sign` like the real service.
 */
export function fakeShopee(server: SetupServer, routes: Record<string, Route>, token = () => ACCESS_TOKEN) {
  const received: Received[] = [];
  const calls = new Map<string, number>();
  server.use(
    http.all(`${HOST}/api/v2/*`, async ({ request }) => {
      const url = new URL(request.url);
      const query = url.searchParams;
      const body = await request.text();
      const entry: Received = {
        method: request.method,
        path: url.pathname,
        url,
        query,
        body,
        contentType: request.headers.get('content-type'),
      };
      received.push(entry);
      const timestamp = query.get('timestamp') ?? '';
      const isPublic = PUBLIC.has(url.pathname);
      const base = isPublic
        ? `${query.get('partner_id')}${url.pathname}${timestamp}`
        : `${query.get('partner_id')}${url.pathname}${timestamp}${query.get('access_token')}${query.get('shop_id')}`;
      if (query.get('partner_id') !== String(PARTNER_ID) || !/^\d{10}$/.test(timestamp)) {
        return fail('error_param', 'partner_id or timestamp missing');
      }
      if (query.get('sign') !== nodeSign(PARTNER_KEY, base)) return fail('error_sign', 'Wrong sign.');
      if (!isPublic && query.get('access_token') !== token()) {
        return fail('invalid_acceess_token', 'Invalid access_token, please have a check.', 403);
      }
      const route = routes[url.pathname];
      if (!route) return fail('error_not_found', `no route ${url.pathname}`, 404);
      const count = (calls.get(url.pathname) ?? 0) + 1;
      calls.set(url.pathname, count);
      const result = await route(entry, count);
      return result instanceof Response ? result : ok(result);
    }),
  );
  return { received, of: (path: string) => received.filter((request) => request.path === path) };
}

/** A `createShopee` on a manual clock with a stored, fresh token for {@link SHOP_ID}. */
export async function makeShopee(
  options: { clock?: ManualClock; store?: MemoryTokenStore; expiresInMs?: number } = {},
): Promise<{ shopee: Shopee; clock: ManualClock; store: MemoryTokenStore }> {
  const clock = options.clock ?? createManualClock(Date.UTC(2026, 0, 15));
  const store = options.store ?? new MemoryTokenStore();
  const shopee = createShopee({
    partnerId: PARTNER_ID,
    partnerKey: PARTNER_KEY,
    tokenStore: store,
    clock,
    random: () => 0,
    circuitBreaker: false,
  });
  await shopee.tokens.saveTokenSet({
    marketplace: 'shopee',
    accountId: SHOP_ID,
    accessToken: ACCESS_TOKEN,
    refreshToken: REFRESH_TOKEN,
    expiresAt: clock.now() + (options.expiresInMs ?? 4 * 3_600_000),
  });
  // Retries wait on the manual clock: move it by exactly the delay the transport chose.
  shopee.transport.events.on('retry', (event) => {
    void clock.advance(event.delayMs);
  });
  return { shopee, clock, store };
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

/** Captures a rejection as a value. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Waits (really, briefly) until the code under test sleeps `ms` on the manual clock, then moves the clock. */
export async function advanceWhenWaiting(clock: ManualClock, ms: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (clock.pendingTimers().includes(clock.now() + ms)) {
      await clock.advance(ms);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`nothing started waiting ${ms} ms on the clock`);
}
