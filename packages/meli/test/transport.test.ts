import {
  AuthenticationError,
  ConflictError,
  createManualClock,
  type ErrorContext,
  MemoryTokenStore,
  NotFoundError,
  normalizeProduct,
  PermissionError,
  RateLimitError,
  ResponseTooLargeError,
  ServerError,
  ValidationError,
} from '@mlh/core';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { mapMeliError } from '../src/index';
import {
  API,
  classicItem,
  drive,
  paidOrder,
  rejectionOf,
  SELLER,
  shipment,
  storeWithTokens,
  testMeli,
  useServer,
} from './support';

const server = useServer();

function context(status: number, json: unknown, extra: Partial<ErrorContext> = {}): ErrorContext {
  return {
    marketplace: 'meli',
    status,
    headers: new Headers(),
    text: JSON.stringify(json),
    json,
    requestId: undefined,
    retryAfterMs: undefined,
    operation: 'items.create',
    ...extra,
  };
}

describe('mapMeliError', () => {
  it('keeps every cause (errors, then warnings), the top-level message and the raw body', () => {
    const error = mapMeliError(
      context(400, {
        message: 'Validation error',
        error: 'validation_error',
        status: 400,
        cause: [
          {
            department: 'items',
            cause_id: 398,
            type: 'error',
            code: 'item.description.type.invalid',
            references: ['plain_text[12]'],
            message: 'The description must be in plain text',
          },
          {
            type: 'warning',
            code: 'item.attributes.missing_recommended',
            references: ['item.attributes'],
            message: 'x',
          },
          'some endpoints send strings',
        ],
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: 400, code: 'validation_error', marketplace: 'meli' });
    expect((error as ValidationError).issues).toEqual([
      {
        path: 'plain_text[12]',
        message: 'The description must be in plain text',
        code: 'item.description.type.invalid',
      },
      { path: '', message: 'some endpoints send strings' },
      { path: 'item.attributes', message: 'warning: x', code: 'item.attributes.missing_recommended' },
    ]);
    expect((error as ValidationError).message).toContain('Validation error');
    expect((error as ValidationError).body).toMatchObject({
      message: 'Validation error',
      cause: expect.any(Array),
    });
    expect(((error as ValidationError).body as { cause: unknown[] }).cause).toHaveLength(3);
  });

  it('keeps the causes and the body of errors that are not validation errors', () => {
    const body = {
      message: 'seller.unable_to_list',
      error: 'forbidden',
      status: 403,
      cause: [
        { type: 'warning', code: 'seller.pending_documents', references: [], message: 'Send your documents' },
      ],
    };
    const error = mapMeliError(context(403, body));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error?.message).toContain('warning: Send your documents');
    expect(error?.body).toEqual(body);
    expect(error?.toJSON()).not.toHaveProperty('body');
  });

  it('keeps the detail of an error without causes', () => {
    const error = mapMeliError(
      context(400, {
        message: 'body.invalid_field_types',
        error: '[invalid property type: [price] expected Number but was String value: p]',
        status: 400,
        cause: [],
      }),
    ) as ValidationError;
    expect(error.issues).toEqual([
      { path: '', message: expect.stringContaining('expected Number'), code: 'body.invalid_field_types' },
    ]);
  });

  it.each([
    [401, { message: 'invalid access token', error: 'not_found', status: 401 }, AuthenticationError],
    [403, { status: 403, error: 'Invalid scopes', code: 'FORBIDDEN' }, PermissionError],
    [
      403,
      { status: 403, error: 'access_denied', message: 'access forbidden', code: 'FORBIDDEN' },
      PermissionError,
    ],
    [404, { message: 'Item not found', error: 'not_found', status: 404, cause: [] }, NotFoundError],
    [
      409,
      { message: 'item optimistic locking error: conflict', error: 'conflict', status: 409 },
      ConflictError,
    ],
    [429, { message: 'too many requests', error: 'local_rate_limited', status: 429 }, RateLimitError],
    [
      503,
      { status_code: 503, error_code: 'service_unavailable', message: 'down', request_id: 'r-1' },
      ServerError,
    ],
  ] as const)('maps HTTP %s to the core error', (status, body, type) => {
    const error = mapMeliError(context(status, body));
    expect(error).toBeInstanceOf(type);
    expect(error?.status).toBe(status);
  });

  it('marks an optimistic-locking conflict retryable, and reads the ME1 request id', () => {
    expect(
      mapMeliError(context(409, { message: 'item optimistic locking error: conflict' }))?.retryable,
    ).toBe(true);
    expect(
      mapMeliError(context(503, { status_code: 503, error_code: 'x', request_id: 'r-1' }))?.requestId,
    ).toBe('r-1');
  });

  it('treats 2xx, including 206 Partial Content, as success', () => {
    expect(mapMeliError(context(200, {}))).toBeUndefined();
    expect(mapMeliError(context(206, {}))).toBeUndefined();
    expect(mapMeliError(context(204, undefined))).toBeUndefined();
  });

  it('maps a non-JSON error page by its status', () => {
    expect(mapMeliError(context(502, undefined, { text: '<html>Bad gateway</html>' }))).toBeInstanceOf(
      ServerError,
    );
  });
});

describe('through the transport', () => {
  it('sends the bearer token on every call and x-format-new on shipments, X-New-Domain on the order↔shipment links', async () => {
    const seen: Record<string, Record<string, string | null>> = {};
    const record = (name: string) => (request: Request) => {
      seen[name] = {
        authorization: request.headers.get('authorization'),
        formatNew: request.headers.get('x-format-new'),
        newDomain: request.headers.get('x-new-domain'),
      };
    };
    server.use(
      http.get(`${API}/shipments/44028792542`, ({ request }) => {
        record('shipment')(request);
        return HttpResponse.json(shipment());
      }),
      http.get(`${API}/shipments/44028792542/orders`, ({ request }) => {
        record('shipmentOrders')(request);
        return HttpResponse.json([{ order_id: 2000009713473608 }]);
      }),
      http.get(`${API}/orders/2000009713473608`, ({ request }) => {
        record('order')(request);
        return HttpResponse.json(paidOrder());
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const mapped = await client.getShipment('44028792542');
    await client.orders.get('2000009713473608');
    expect(mapped.orderIds).toEqual(['2000009713473608']);
    expect(seen.shipment).toEqual({
      authorization: 'Bearer APP_USR-current-access',
      formatNew: 'true',
      newDomain: null,
    });
    expect(seen.shipmentOrders).toMatchObject({ formatNew: 'true', newDomain: 'true' });
    expect(seen.order).toEqual({
      authorization: 'Bearer APP_USR-current-access',
      formatNew: null,
      newDomain: null,
    });
  });

  it('adds the shipment headers to escape-hatch requests too', async () => {
    let formatNew: string | null = null;
    server.use(
      http.get(`${API}/shipments/1/sla`, ({ request }) => {
        formatNew = request.headers.get('x-format-new');
        return HttpResponse.json({ status: 'on_time' });
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const response = await client.request<{ status: string }>({ method: 'GET', path: '/shipments/1/sla' });
    expect(response.data.status).toBe('on_time');
    expect(formatNew).toBe('true');
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    const clock = createManualClock(Date.now());
    const times: number[] = [];
    server.use(
      http.get(`${API}/items/MLB1001`, () => {
        times.push(clock.now());
        return times.length === 1
          ? HttpResponse.json(
              { message: 'too many requests', error: 'too_many_requests', status: 429 },
              { status: 429, headers: { 'retry-after': '2' } },
            )
          : HttpResponse.json(classicItem());
      }),
    );
    const client = testMeli(await storeWithTokens(clock.now()), {
      transport: { clock, retry: { maxDelayMs: 10_000 } },
    }).forAccount(SELLER);
    const item = await drive(clock, client.items.get('MLB1001'));
    expect(item.data.id).toBe('MLB1001');
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(2_000);
  });

  it('gives up with RateLimitError when 429 persists', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/items/MLB1001`, () => {
        calls += 1;
        return HttpResponse.json(
          { message: 'slow down', error: 'local_rate_limited', status: 429 },
          { status: 429 },
        );
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now()), {
      transport: { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } },
    }).forAccount(SELLER);
    const error = await rejectionOf(client.items.get('MLB1001'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(calls).toBe(3);
  });

  it('retries a read after 5xx', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/orders/2000009713473608`, () => {
        calls += 1;
        return calls < 3
          ? HttpResponse.json({ message: 'boom', error: 'internal_error', status: 500 }, { status: 500 })
          : HttpResponse.json(paidOrder());
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const order = await client.orders.get('2000009713473608');
    expect(order.data.id).toBe(2000009713473608);
    expect(calls).toBe(3);
  });

  it('never repeats createProduct after a 5xx: its outcome is unknown', async () => {
    let creates = 0;
    server.use(
      http.get(`${API}/users/me`, () => HttpResponse.json({ id: Number(SELLER), site_id: 'MLB', tags: [] })),
      http.post(`${API}/items/validate`, () => new HttpResponse(null, { status: 204 })),
      http.post(`${API}/items`, () => {
        creates += 1;
        return HttpResponse.json(
          { message: 'timeout', error: 'internal_error', status: 504 },
          { status: 504 },
        );
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const product = normalizeProduct({
      title: 'Caneca de cerâmica 300 ml',
      sku: 'MUG-300',
      categoryId: 'MLB1234',
      images: ['https://cdn.example.com/mug.jpg'],
      price: { amount: '49.90', currency: 'BRL' },
      quantity: 10,
    });
    const error = await rejectionOf(client.createProduct(product, { validateRequirements: false }));
    expect(error).toBeInstanceOf(ServerError);
    expect(creates).toBe(1);
  });

  it('on 401 refreshes the token once and replays the call once', async () => {
    const authorizations: string[] = [];
    let refreshes = 0;
    server.use(
      http.post(`${API}/oauth/token`, () => {
        refreshes += 1;
        return HttpResponse.json({
          access_token: 'APP_USR-fresh',
          token_type: 'bearer',
          expires_in: 21600,
          user_id: Number(SELLER),
          refresh_token: 'TG-refresh-2',
        });
      }),
      http.get(`${API}/users/me`, ({ request }) => {
        const authorization = request.headers.get('authorization') ?? '';
        authorizations.push(authorization);
        return authorization === 'Bearer APP_USR-fresh'
          ? HttpResponse.json({ id: Number(SELLER), tags: [] })
          : HttpResponse.json(
              { message: 'invalid access token', error: 'unauthorized', status: 401 },
              { status: 401 },
            );
      }),
    );
    const store = await storeWithTokens(Date.now());
    const client = testMeli(store).forAccount(SELLER);
    const me = await client.users.me();
    expect(me.data.id).toBe(Number(SELLER));
    expect(authorizations).toEqual(['Bearer APP_USR-current-access', 'Bearer APP_USR-fresh']);
    expect(refreshes).toBe(1);
    expect(await store.get('meli', SELLER)).toMatchObject({ refreshToken: 'TG-refresh-2' });
  });

  it('a 401 that survives the refresh is an AuthenticationError, after exactly one replay', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/oauth/token`, () =>
        HttpResponse.json({
          access_token: 'APP_USR-fresh',
          expires_in: 21600,
          user_id: Number(SELLER),
          refresh_token: 'TG-2',
        }),
      ),
      http.get(`${API}/users/me`, () => {
        calls += 1;
        return HttpResponse.json({ message: 'invalid access token', status: 401 }, { status: 401 });
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const error = await rejectionOf(client.users.me());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(calls).toBe(2);
  });

  it('reads 206 as success and records what is missing', async () => {
    server.use(
      http.get(`${API}/items/MLB1001`, () =>
        HttpResponse.json(classicItem(), {
          status: 206,
          headers: { 'x-content-missing': 'geolocation, seller_address' },
        }),
      ),
      http.get(`${API}/items/MLB1001/description`, () => HttpResponse.json({ plain_text: 'Algodão' })),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const raw = await client.items.get('MLB1001');
    expect(raw.status).toBe(206);
    expect(raw.partial).toEqual({ missing: ['geolocation', 'seller_address'] });
    const product = await client.getProduct('MLB1001');
    expect(product.partial).toEqual({ missing: ['geolocation', 'seller_address'] });
    expect(product.description).toBe('Algodão');
  });

  it('refuses a malformed id before any request leaves', async () => {
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    await expect(client.items.get('../users/me')).rejects.toThrow(ValidationError);
  });
});

describe('response size limit', () => {
  it('takes maxResponseBytes from the client options and refuses a larger body', async () => {
    const meli = testMeli(new MemoryTokenStore(), {
      transport: {
        maxResponseBytes: 1024,
        fetch: async () => new Response('x'.repeat(4096)),
      },
    });
    const error = await rejectionOf(meli.transport.request({ method: 'GET', path: '/sites/MLB' }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).url).toBe(`${API}/sites/MLB`);
  });
});
