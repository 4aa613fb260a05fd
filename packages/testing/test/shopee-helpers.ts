import { createHmac } from 'node:crypto';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createSandboxClock } from '../src/shared/clock';
import { createShopeeSandbox, type ShopeeSandbox, type ShopeeSandboxOptions } from '../src/shopee/index';

/** Signing done here with node:crypto, independently of the sandbox's WebCrypto code. */
export function hmacHex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

export const LIVE = 'https://partner.shopeemobile.com';
/** 2024-01-15T12:00:00Z: a fixed start so time windows are reproducible. */
export const START_MS = Date.UTC(2024, 0, 15, 12, 0, 0);
export const START_S = START_MS / 1000;

export interface App {
  partnerId: number;
  partnerKey: string;
  shopId: number;
  accessToken: string;
  refreshToken: string;
}

export interface CallOptions {
  kind?: 'public' | 'shop' | 'merchant';
  query?: Record<string, string | number | readonly (string | number)[]>;
  /** A JSON value (serialized with JSON.stringify) or raw JSON text sent as is. */
  body?: unknown;
  accessToken?: string;
  shopId?: number;
  merchantId?: number;
  timestamp?: number;
  /** Replace the computed sign. */
  sign?: string;
  host?: string;
  partnerKey?: string;
}

/** Builds a signed URL the way the reference's sketch does (section 2.7). */
export function signedUrl(sandbox: ShopeeSandbox, app: App, path: string, options: CallOptions = {}): string {
  const kind = options.kind ?? 'shop';
  const timestamp = options.timestamp ?? Math.floor(sandbox.clock.now() / 1000);
  const parts: (string | number)[] = [app.partnerId, path, timestamp];
  const accessToken = options.accessToken ?? app.accessToken;
  const ownerId = kind === 'merchant' ? options.merchantId : (options.shopId ?? app.shopId);
  if (kind !== 'public') parts.push(accessToken, ownerId as number);
  const url = new URL((options.host ?? LIVE) + path);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (Array.isArray(value)) for (const entry of value) url.searchParams.append(key, String(entry));
    else url.searchParams.set(key, String(value));
  }
  url.searchParams.set('partner_id', String(app.partnerId));
  url.searchParams.set('timestamp', String(timestamp));
  if (kind !== 'public') {
    url.searchParams.set('access_token', accessToken);
    url.searchParams.set(kind === 'shop' ? 'shop_id' : 'merchant_id', String(ownerId));
  }
  url.searchParams.set('sign', options.sign ?? hmacHex(options.partnerKey ?? app.partnerKey, parts.join('')));
  return url.toString();
}

export interface CallResult {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary envelope fields
  json: any;
}

/** Calls the sandbox with raw fetch and reads the envelope. */
export async function call(
  sandbox: ShopeeSandbox,
  app: App,
  method: 'GET' | 'POST',
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const init: RequestInit = { method };
  if (options.body !== undefined) {
    init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(signedUrl(sandbox, app, path, options), init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/**
 * One sandbox and msw server per test file; state, faults and clock are reset before each
 * test, and a partner with one authorized SG shop is seeded.
 */
export function useShopeeSandbox(options: ShopeeSandboxOptions = {}): {
  sandbox: ShopeeSandbox;
  server: ReturnType<typeof setupServer>;
  app: () => App;
} {
  const sandbox = createShopeeSandbox({
    clock: createSandboxClock({ start: START_MS, frozen: true }),
    ...options,
  });
  const server = setupServer(...sandbox.handlers);
  let current: App | undefined;
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  afterEach(() => server.resetHandlers());
  beforeEach(() => {
    sandbox.reset();
    sandbox.clock.set(START_MS);
    sandbox.webhooks.configure({ duplicates: false, outOfOrder: false });
    const { partnerId, partnerKey } = sandbox.addPartner({ partnerKey: 'test-partner-key-0123456789abcdef' });
    const shop = sandbox.addShop({ region: 'SG' });
    const tokens = sandbox.issueTokens({ partnerId, shopId: shop.shopId });
    current = {
      partnerId,
      partnerKey,
      shopId: shop.shopId,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
    };
  });
  return {
    sandbox,
    server,
    app: () => {
      if (!current) throw new Error('app is seeded in beforeEach');
      return current;
    },
  };
}
