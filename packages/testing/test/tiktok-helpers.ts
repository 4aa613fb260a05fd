/**
 * Test-side TikTok client: signs with node:crypto, independently of the sandbox's own WebCrypto
 * signer, so a signing bug on either side shows up as a failing test.
 */
import { createHmac } from 'node:crypto';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createSandboxClock } from '../src/shared/clock';
import { createTikTokSandbox, type TikTokSandbox, type TikTokSandboxOptions } from '../src/tiktok/index';

export const API = 'https://open-api.tiktokglobalshop.com';
export const AUTH = 'https://auth.tiktok-shops.com';
/** 2025-01-01T00:00:00Z: a fixed start so times in assertions are exact. */
export const START_MS = Date.UTC(2025, 0, 1);
export const START_S = START_MS / 1000;

/** Reference §3.1 written out with node:crypto. */
export function nodeSign(input: {
  secret: string;
  path: string;
  query: Record<string, string>;
  body?: string;
  contentType?: string;
}): string {
  const keys = Object.keys(input.query)
    .filter((key) => key !== 'sign' && key !== 'access_token')
    .sort();
  let base = input.path + keys.map((key) => key + input.query[key]).join('');
  const media = (input.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (media !== 'multipart/form-data' && input.body) base += input.body;
  return createHmac('sha256', input.secret)
    .update(input.secret + base + input.secret, 'utf8')
    .digest('hex');
}

/** Reference §9.3 written out with node:crypto. */
export function nodeWebhookSign(appKey: string, appSecret: string, body: string): string {
  return createHmac('sha256', appSecret)
    .update(appKey + body, 'utf8')
    .digest('hex');
}

/** One msw server for a test file; `use()` installs a fresh sandbox's handlers. */
export function installServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return {
    server,
    sandbox(options: TikTokSandboxOptions = {}): TikTokSandbox {
      const sandbox = createTikTokSandbox({
        clock: createSandboxClock({ start: START_MS, frozen: true }),
        ...options,
      });
      server.use(...sandbox.handlers);
      return sandbox;
    },
  };
}

export interface CallOptions {
  query?: Record<string, string>;
  /** A JSON value (serialised once) or the exact body text. */
  body?: unknown;
  /** `null` leaves shop_cipher out; default the client's cipher. */
  cipher?: string | null;
  /** `null` leaves the token header out. */
  token?: string | null;
  timestamp?: number;
  /** Overrides the computed sign. */
  sign?: string;
  secret?: string;
  appKey?: string;
  contentType?: string;
  /** A FormData body (multipart upload). */
  form?: FormData;
}

export interface CallResult {
  status: number;
  headers: Headers;
  /** The body exactly as received. */
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: assertions read response payloads loosely, as a client's JSON.parse would
  json: { code: number; message: string; request_id: string; data?: any };
}

/** A raw fetch client for the sandbox, signing the bytes it sends. */
export function tiktokClient(
  sandbox: TikTokSandbox,
  defaults: { accessToken?: string; cipher?: string; appKey?: string; appSecret?: string } = {},
) {
  const appKey = defaults.appKey ?? sandbox.app.appKey;
  const appSecret = defaults.appSecret ?? sandbox.app.appSecret;
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    const query: Record<string, string> = {
      app_key: options.appKey ?? appKey,
      timestamp: String(options.timestamp ?? Math.floor(sandbox.clock.now() / 1000)),
      ...options.query,
    };
    const cipher = options.cipher === undefined ? defaults.cipher : options.cipher;
    if (cipher !== null && cipher !== undefined) query.shop_cipher = cipher;
    const bodyText =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    const contentType = options.form ? undefined : (options.contentType ?? 'application/json');
    let sign = options.sign;
    if (sign === undefined) {
      sign = nodeSign({
        secret: options.secret ?? appSecret,
        path,
        query,
        ...(bodyText === undefined ? {} : { body: bodyText }),
        contentType: options.form ? 'multipart/form-data; boundary=x' : (contentType ?? ''),
      });
    }
    const url = new URL(API + path);
    for (const [key, value] of Object.entries({ ...query, sign })) url.searchParams.set(key, value);
    const headers: Record<string, string> = {};
    if (contentType) headers['content-type'] = contentType;
    const token = options.token === undefined ? defaults.accessToken : options.token;
    if (token !== null && token !== undefined) headers['x-tts-access-token'] = token;
    const response = await fetch(url, {
      method,
      headers,
      ...(options.form ? { body: options.form } : bodyText === undefined ? {} : { body: bodyText }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
  };
}

/** A sandbox with one shop, one app authorized, tokens issued, and a signed client for the shop. */
export function shopSetup(sandbox: TikTokSandbox) {
  const shop = sandbox.addShop({ name: 'Sock Shop' });
  const tokens = sandbox.issueTokens({ shopId: shop.id });
  const call = tiktokClient(sandbox, { accessToken: tokens.accessToken, cipher: shop.cipher });
  return { shop, tokens, call };
}
