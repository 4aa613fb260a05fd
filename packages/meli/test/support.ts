import { type ManualClock, MemoryTokenStore, systemClock, type TokenStore } from '@mlh/core';
import { createMeliSandbox, type MeliNotification, type MeliSandbox, type MeliUser } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createMeli, type MeliClient, type MeliOptions } from '../src/index';

export const API = 'https://api.mercadolibre.com';
export const APP_ID = '5503910054141466';
export const APP_SECRET = 'app-secret-do-not-leak';
export const SELLER = '468424240';
export const REDIRECT_URI = 'https://app.example.com/meli/callback';

/** An msw server for one test file: unhandled requests fail the test (nothing reaches the network). */
export function useServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A token store holding one seller's tokens, valid for `validForMs`. */
export async function storeWithTokens(
  now: number,
  validForMs = 6 * 3_600_000,
  tokens: { accessToken?: string; refreshToken?: string } = {},
): Promise<MemoryTokenStore> {
  const store = new MemoryTokenStore();
  await store.set({
    marketplace: 'meli',
    accountId: SELLER,
    accessToken: tokens.accessToken ?? 'APP_USR-current-access',
    refreshToken: tokens.refreshToken ?? 'TG-refresh-1',
    expiresAt: now + validForMs,
  });
  return store;
}

/** `createMeli` with test credentials and quick retries; everything can be overridden. */
export function testMeli(store: MemoryTokenStore, overrides: Partial<MeliOptions> = {}) {
  return createMeli({
    clientId: APP_ID,
    clientSecret: APP_SECRET,
    redirectUri: REDIRECT_URI,
    tokenStore: store,
    ...overrides,
    transport: { retry: { baseDelayMs: 1, maxDelayMs: 20 }, circuitBreaker: false, ...overrides.transport },
  });
}

/** Moves a manual clock in small steps until `promise` settles, giving real I/O (msw) its turns. */
export async function drive<T>(clock: ManualClock, promise: Promise<T>, stepMs = 50): Promise<T> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (let step = 0; step < 5_000 && !settled; step++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!settled) await clock.advance(stepMs);
  }
  return promise;
}

/** Captures a rejection as a value, to assert on the error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

/** A classic listing with two variations (black M, white M) at one price. */
export function classicItem(overrides: Record<string, unknown> = {}) {
  return {
    id: 'MLB1001',
    site_id: 'MLB',
    seller_id: Number(SELLER),
    category_id: 'MLB1234',
    title: 'Camiseta básica',
    price: 59.9,
    currency_id: 'BRL',
    available_quantity: 8,
    buying_mode: 'buy_it_now',
    listing_type_id: 'gold_special',
    condition: 'new',
    status: 'active',
    sub_status: [],
    pictures: [
      { id: 'PIC1', secure_url: 'https://http2.mlstatic.com/PIC1.jpg' },
      { id: 'PIC2', secure_url: 'https://http2.mlstatic.com/PIC2.jpg' },
    ],
    attributes: [
      { id: 'BRAND', name: 'Marca', value_name: 'Acme' },
      { id: 'SELLER_SKU', value_name: 'TSHIRT' },
    ],
    variations: [
      {
        id: 174997747229,
        price: 59.9,
        available_quantity: 5,
        attribute_combinations: [
          { id: 'COLOR', value_name: 'Preto' },
          { id: 'SIZE', value_name: 'M' },
        ],
        attributes: [{ id: 'SELLER_SKU', value_name: 'TSHIRT-BLK-M' }],
        picture_ids: ['PIC1'],
      },
      {
        id: 174997747230,
        price: 59.9,
        available_quantity: 3,
        attribute_combinations: [
          { id: 'COLOR', value_name: 'Branco' },
          { id: 'SIZE', value_name: 'M' },
        ],
        attributes: [{ id: 'SELLER_SKU', value_name: 'TSHIRT-WHT-M' }],
        picture_ids: ['PIC2'],
      },
    ],
    tags: [],
    date_created: '2025-01-10T10:00:00.000-03:00',
    last_updated: '2025-02-01T12:00:00.000-03:00',
    ...overrides,
  };
}

/** A User Products item: one variant, `family_name`, no variations. */
export function userProductItem(overrides: Record<string, unknown> = {}) {
  return {
    id: 'MLB2001',
    site_id: 'MLB',
    seller_id: Number(SELLER),
    category_id: 'MLB1234',
    title: 'Camiseta básica Preto M',
    family_name: 'Camiseta básica',
    user_product_id: 'MLBU1001',
    price: 59.9,
    currency_id: 'BRL',
    available_quantity: 5,
    status: 'active',
    pictures: [{ id: 'PIC1', secure_url: 'https://http2.mlstatic.com/PIC1.jpg' }],
    attributes: [
      { id: 'COLOR', value_name: 'Preto' },
      { id: 'SELLER_SKU', value_name: 'TSHIRT-BLK-M' },
    ],
    variations: [],
    tags: ['user_product_listing'],
    date_created: '2025-01-10T10:00:00.000-03:00',
    last_updated: '2025-02-01T12:00:00.000-03:00',
    ...overrides,
  };
}

/** A paid order of two lines (3 × 19.90 and 1 × 40.29) whose shipment is `44028792542`. */
export function paidOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: 2000009713473608,
    status: 'paid',
    status_detail: null,
    date_created: '2025-11-01T09:34:59.000-04:00',
    date_closed: '2025-11-01T09:35:43.000-04:00',
    last_updated: '2025-11-01T09:37:20.000-04:00',
    pack_id: 2000006556183755,
    total_amount: 99.99,
    paid_amount: 110.29,
    currency_id: 'BRL',
    order_items: [
      {
        item: {
          id: 'MLB1001',
          title: 'Camiseta básica',
          variation_id: 174997747229,
          variation_attributes: [],
          seller_sku: 'TSHIRT-BLK-M',
        },
        quantity: 3,
        unit_price: 19.9,
        full_unit_price: 24.9,
        currency_id: 'BRL',
        sale_fee: 3.58,
      },
      {
        item: {
          id: 'MLB1002',
          title: 'Caneca',
          variation_id: null,
          variation_attributes: [],
          seller_sku: 'MUG-300',
        },
        quantity: 1,
        unit_price: 40.29,
        currency_id: 'BRL',
      },
    ],
    payments: [
      {
        id: 91776699099,
        status: 'approved',
        transaction_amount: 99.99,
        total_paid_amount: 110.29,
        shipping_cost: 10.2,
        currency_id: 'BRL',
        date_approved: '2025-11-01T09:35:40.000-04:00',
      },
    ],
    shipping: { id: 44028792542 },
    buyer: { id: 6427433, nickname: 'COMPRADOR_TESTE' },
    seller: { id: Number(SELLER) },
    tags: ['paid', 'not_delivered'],
    context: { channel: 'marketplace', site: 'MLB', flows: [] },
    taxes: { amount: 0.1, currency_id: 'BRL', id: null },
    cancel_detail: null,
    ...overrides,
  };
}

/** A new-format shipment (no `order_id`) of {@link paidOrder}. */
export function shipment(overrides: Record<string, unknown> = {}) {
  return {
    id: 44028792542,
    status: 'ready_to_ship',
    substatus: 'printed',
    tracking_number: 'BR123456789',
    tracking_method: 'Correios',
    date_created: '2025-11-01T09:36:00.000-04:00',
    last_updated: '2025-11-01T10:00:00.000-04:00',
    logistic: { mode: 'me2', type: 'drop_off', direction: 'forward' },
    destination: {
      receiver_id: 6427433,
      receiver_name: 'Maria Silva',
      receiver_phone: '11999990000',
      shipping_address: {
        address_line: 'Rua das Flores 123',
        street_name: 'Rua das Flores',
        street_number: '123',
        zip_code: '01310-100',
        comment: 'apto 42',
        city: { id: 'BR-SP-44', name: 'São Paulo' },
        state: { id: 'BR-SP', name: 'São Paulo' },
        country: { id: 'BR', name: 'Brasil' },
        neighborhood: { id: null, name: 'Bela Vista' },
      },
    },
    lead_time: { cost: 10.2, cost_type: 'charged', currency_id: 'BRL' },
    status_history: { date_shipped: null, date_delivered: null },
    source: { site_id: 'MLB' },
    tags: [],
    ...overrides,
  };
}

/**
 * `createMeli` options for `sandbox`'s app: one time source for both sides (the sandbox's clock,
 * which tests move, with real sleeps), no circuit breaker, fast retries; `transport` overrides.
 */
export function sandboxMeliOptions(
  sandbox: MeliSandbox,
  tokenStore: TokenStore = new MemoryTokenStore(),
  transport: NonNullable<MeliOptions['transport']> = {},
) {
  return {
    clientId: String(sandbox.app.id),
    clientSecret: sandbox.app.secret,
    redirectUri: sandbox.app.redirectUris[0] ?? '',
    tokenStore,
    transport: {
      retry: { baseDelayMs: 1, maxDelayMs: 50 },
      circuitBreaker: false as const,
      clock: {
        now: () => sandbox.clock.now(),
        sleep: (ms: number, signal?: AbortSignal) => systemClock.sleep(ms, signal),
      },
      ...transport,
    },
  } satisfies MeliOptions;
}

/**
 * Connects a seller of `sandbox` the way an app does (authorization URL, consent, code exchange)
 * and returns its client, on the sandbox's clock; retries off unless `retry`.
 */
export async function connectSandboxSeller(
  sandbox: MeliSandbox,
  seller: MeliUser = sandbox.addSeller(),
  options: { retry?: boolean | undefined } = {},
): Promise<MeliClient> {
  const meli = createMeli(
    sandboxMeliOptions(sandbox, new MemoryTokenStore(), {
      retry: options.retry ? { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } : false,
    }),
  );
  sandbox.setAuthorizingUser(seller.id);
  const started = await meli.authorizationUrl();
  const tokens = await meli.exchangeCode(sandbox.authorize({ state: started.state }).redirectUrl, started);
  return meli.forAccount(tokens.accountId);
}

/**
 * A sandbox for one test file, served by msw, whose notifications land in `received`; each case
 * starts from an empty sandbox and no notifications.
 */
export function useNotifyingSandbox() {
  const received: MeliNotification[] = [];
  const sandbox = createMeliSandbox({
    webhooks: {
      target: async (request: Request) => {
        received.push((await request.json()) as MeliNotification);
        return new Response(null, { status: 200 });
      },
    },
  });
  const server = setupServer(...sandbox.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers(...sandbox.handlers));
  afterAll(() => server.close());
  beforeEach(() => {
    sandbox.reset();
    received.length = 0;
  });
  return { sandbox, server, received };
}

/** Stores the tokens `sandbox` issues for `sellerId` in `store`, under the seller's id. */
export async function storeSandboxTokens(
  sandbox: MeliSandbox,
  store: TokenStore,
  sellerId: number,
): Promise<void> {
  const tokens = sandbox.issueTokens(sellerId);
  await store.set({
    marketplace: 'meli',
    accountId: String(sellerId),
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: sandbox.clock.now() + tokens.expires_in * 1000,
  });
}

/** A variation of a classic T-shirt item at 59.90: size `size`, SELLER_SKU `TEE-<size>`. */
export function teeVariation(size: string, availableQuantity: number) {
  return {
    attribute_combinations: [{ id: 'SIZE', value_name: size }],
    price: 59.9,
    available_quantity: availableQuantity,
    attributes: [{ id: 'SELLER_SKU', value_name: `TEE-${size}` }],
  };
}
