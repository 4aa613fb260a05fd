import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  createMeliSandbox,
  createSandboxClock,
  type MeliSandbox,
  type MeliSandboxOptions,
} from '../src/index';

export const API = 'https://api.mercadolibre.com';
export const START = Date.UTC(2025, 5, 2, 12, 0, 0);

/** One msw server per test file; each test gets a fresh sandbox on a frozen clock. */
export function useMeliServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  return function sandbox(options: MeliSandboxOptions = {}): MeliSandbox {
    const meli = createMeliSandbox({ clock: createSandboxClock({ start: START, frozen: true }), ...options });
    server.use(...meli.handlers);
    return meli;
  };
}

/** A sandbox with one seller and a valid access token. */
export function withSeller(meli: MeliSandbox, input: Parameters<MeliSandbox['addSeller']>[0] = {}) {
  const seller = meli.addSeller(input);
  const tokens = meli.issueTokens(seller.id);
  return { seller, tokens, token: tokens.access_token };
}

/**
 * fetch against the API with a bearer token and JSON. The body is loosely typed on purpose: the
 * tests assert on the marketplace's payloads with matchers, field by field.
 */
// biome-ignore lint/suspicious/noExplicitAny: payloads are checked by the assertions that read them
type Payload = any;

export async function call(
  token: string | undefined,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Payload; headers: Headers }> {
  const response = await fetch(`${API}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : JSON.parse(text),
    headers: response.headers,
  };
}

/** POST /oauth/token with a form body. */
export async function tokenCall(fields: Record<string, string>) {
  const response = await fetch(`${API}/oauth/token`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: await response.json() };
}
