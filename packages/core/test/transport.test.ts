import {
  AuthenticationError,
  CircuitOpenError,
  ConflictError,
  createManualClock,
  createTokenManager,
  createTransport,
  type ErrorContext,
  MemoryTokenStore,
  MlhError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type TransportOptions,
  ValidationError,
} from '@mlh/core';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLeakDetector, fakeFetch, hang, json, rejectionOf, settle } from './support';

const ACCESS_OLD = 'APP_USR-0000000000000001-old-access-token-aaaa';
const ACCESS_NEW = 'APP_USR-0000000000000002-new-access-token-bbbb';
const REFRESH_OLD = 'TG-0000000000000001-old-refresh-token-cccc';
const REFRESH_NEW = 'TG-0000000000000002-new-refresh-token-dddd';
const SECRETS = [ACCESS_OLD, ACCESS_NEW, REFRESH_OLD, REFRESH_NEW];

const leaks = createLeakDetector();
const noMapping = (_context: ErrorContext) => undefined;

function setup(
  answer: Parameters<typeof fakeFetch>[0],
  overrides: Partial<TransportOptions> = {},
  clock = createManualClock(),
) {
  const fake = fakeFetch(answer);
  const transport = createTransport({
    marketplace: 'meli',
    baseUrl: 'https://api.example.com',
    fetch: fake.fetch,
    clock,
    random: () => 0.5,
    mapError: noMapping,
    logger: leaks.logger,
    ...overrides,
  });
  return { transport, clock, ...fake };
}

async function tokenSetup(clock: ReturnType<typeof createManualClock>) {
  const store = new MemoryTokenStore();
  let refreshes = 0;
  const tokens = createTokenManager({
    marketplace: 'meli',
    store,
    clock,
    logger: leaks.logger,
    refresh: async () => {
      refreshes += 1;
      return {
        marketplace: 'meli',
        accountId: '42',
        accessToken: ACCESS_NEW,
        refreshToken: REFRESH_NEW,
        expiresAt: clock.now() + 6 * 3_600_000,
      };
    },
  });
  await tokens.saveTokenSet({
    marketplace: 'meli',
    accountId: '42',
    accessToken: ACCESS_OLD,
    refreshToken: REFRESH_OLD,
    expiresAt: clock.now() + 6 * 3_600_000,
  });
  return { tokens, store, refreshes: () => refreshes };
}

describe('retries', () => {
  it('backs off exponentially with full jitter between retries of a GET', async () => {
    const { transport, clock, requests } = setup((_request, call) =>
      call < 4 ? new Response('busy', { status: 503 }) : json({ ok: true }),
    );
    const delays: number[] = [];
    transport.events.on('retry', (event) => delays.push(event.delayMs));

    const response = await settle(clock, transport.request({ method: 'GET', path: '/items' }));

    expect(response.data).toEqual({ ok: true });
    expect(response.attempts).toBe(4);
    expect(requests).toHaveLength(4);
    // random() = 0.5 → half of 300, 600, 1200.
    expect(delays).toEqual([150, 300, 600]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { transport, clock, requests } = setup(() => new Response('busy', { status: 502 }), {
      retry: { maxAttempts: 3 },
    });
    const error = leaks.keep(
      await rejectionOf(settle(clock, transport.request({ method: 'GET', path: '/a' }))),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(requests).toHaveLength(3);
  });

  it('waits what Retry-After says, in seconds', async () => {
    const { transport, clock } = setup((_request, call) =>
      call === 1 ? new Response('', { status: 429, headers: { 'retry-after': '7' } }) : json({}),
    );
    const delays: number[] = [];
    transport.events.on('retry', (event) => delays.push(event.delayMs));
    await settle(clock, transport.request({ method: 'GET', path: '/a' }));
    expect(delays).toEqual([7_000]);
  });

  it('waits until the HTTP date Retry-After names', async () => {
    const clock = createManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    const retryAt = new Date(clock.now() + 12_000).toUTCString();
    const { transport } = setup(
      (_request, call) =>
        call === 1 ? new Response('', { status: 503, headers: { 'retry-after': retryAt } }) : json({}),
      {},
      clock,
    );
    const delays: number[] = [];
    transport.events.on('retry', (event) => delays.push(event.delayMs));
    await settle(clock, transport.request({ method: 'GET', path: '/a' }));
    expect(delays).toEqual([12_000]);
  });

  it('fails with RateLimitError carrying retryAfterMs when Retry-After exceeds maxDelayMs', async () => {
    const { transport, clock, requests } = setup(
      () => new Response('', { status: 429, headers: { 'retry-after': '120' } }),
      { retry: { maxDelayMs: 10_000 } },
    );
    const error = leaks.keep(
      await rejectionOf(settle(clock, transport.request({ method: 'GET', path: '/a' }))),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(requests).toHaveLength(1);
  });

  it('does not repeat a POST that is not marked idempotent after a 5xx', async () => {
    const { transport, clock, requests } = setup(() => new Response('', { status: 500 }));
    const error = leaks.keep(
      await rejectionOf(
        settle(clock, transport.request({ method: 'POST', path: '/orders', body: { json: {} } })),
      ),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(requests).toHaveLength(1);
  });

  it('does not repeat a POST that is not marked idempotent after a timeout', async () => {
    const { transport, clock, requests } = setup(hang, { timeoutMs: 5_000 });
    const pending = transport.request({ method: 'POST', path: '/orders', body: { json: { sku: 'A' } } });
    const error = leaks.keep(await rejectionOf(settle(clock, pending)));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain('5000 ms');
    expect(requests).toHaveLength(1);
  });

  it('does not repeat a POST that is not marked idempotent after a network error', async () => {
    const { transport, clock, requests } = setup(() => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNRESET') });
    });
    const error = leaks.keep(
      await rejectionOf(settle(clock, transport.request({ method: 'POST', path: '/a', body: { json: {} } }))),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toContain('ECONNRESET');
    expect(requests).toHaveLength(1);
  });

  it('times each attempt out on the real clock too, a retry after a quick failure included', async () => {
    // No manual clock: the transport's own timer (setTimeout) runs. The first attempt fails fast
    // with a 503 inside the call's first timer period; the retry hangs and must still time out.
    const fake = fakeFetch((request, call) =>
      call === 1 ? new Response('', { status: 503 }) : hang(request),
    );
    const transport = createTransport({
      marketplace: 'meli',
      baseUrl: 'https://api.example.com',
      fetch: fake.fetch,
      mapError: noMapping,
      logger: leaks.logger,
      timeoutMs: 40,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const error = leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/items' })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain('40 ms');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.signal.aborted).toBe(true);
  });

  it('does not repeat a GET marked idempotent: false after a 5xx or a timeout, but does after a 429', async () => {
    const failing = setup(() => new Response('', { status: 503 }));
    const error = await rejectionOf(
      settle(failing.clock, failing.transport.request({ method: 'GET', path: '/token', idempotent: false })),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(failing.requests).toHaveLength(1);

    const hanging = setup(hang, { timeoutMs: 1_000 });
    const timedOut = await rejectionOf(
      settle(hanging.clock, hanging.transport.request({ method: 'GET', path: '/token', idempotent: false })),
    );
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect(hanging.requests).toHaveLength(1);

    const limited = setup((_request, call) =>
      call === 1 ? new Response('', { status: 429, headers: { 'retry-after': '1' } }) : json({ ok: true }),
    );
    const response = await settle(
      limited.clock,
      limited.transport.request({ method: 'GET', path: '/token', idempotent: false }),
    );
    expect(response.data).toEqual({ ok: true });
    expect(limited.requests).toHaveLength(2);
  });

  it('retries a GET whose response body breaks off mid-stream, as a network error', async () => {
    const { transport, clock, requests } = setup((_request, call) =>
      call === 1
        ? new Response(
            new ReadableStream({
              pull(controller) {
                controller.error(new TypeError('terminated', { cause: new Error('other side closed') }));
              },
            }),
          )
        : json({ id: 1 }),
    );
    const response = await settle(clock, transport.request({ method: 'GET', path: '/orders/1' }));
    expect(response.data).toEqual({ id: 1 });
    expect(requests).toHaveLength(2);
  });

  it('throws a bug raised before anything is sent as it is: not a NetworkError, not retried', async () => {
    const calls: string[] = [];
    const { transport, clock } = setup(() => json({ id: 1 }), {
      fetch: () => {
        calls.push('fetch');
        return Promise.resolve(json({ id: 1 }));
      },
    });
    // A body fetch's Request cannot take: the failure happens in the SDK, before fetch is called.
    const body = { raw: Symbol('not a body') as unknown as string, contentType: 'text/plain' };
    const error = await rejectionOf(
      settle(clock, transport.request({ method: 'PUT', path: '/a', body, idempotent: true })),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(MlhError);
    expect(calls).toEqual([]);
  });

  it('repeats a POST marked idempotent after a timeout and a 5xx', async () => {
    const { transport, clock, requests } = setup(
      (request, call) =>
        call === 1 ? hang(request) : call === 2 ? new Response('', { status: 503 }) : json({ id: 1 }),
      { timeoutMs: 1_000 },
    );
    const response = await settle(
      clock,
      transport.request({ method: 'POST', path: '/stock', body: { json: { qty: 3 } }, idempotent: true }),
    );
    expect(response.data).toEqual({ id: 1 });
    expect(requests).toHaveLength(3);
  });

  it('gives every attempt its full timeout, a retry included, and leaves no timer behind', async () => {
    const clock = createManualClock();
    const started: number[] = [];
    const aborted: number[] = [];
    const { transport } = setup(
      (request, call) => {
        started.push(clock.now());
        if (call === 1) return new Response('', { status: 503 });
        request.signal.addEventListener('abort', () => aborted.push(clock.now()), { once: true });
        return hang(request);
      },
      { timeoutMs: 5_000 },
      clock,
    );
    const error = await rejectionOf(settle(clock, transport.request({ method: 'GET', path: '/slow' })));
    // Attempt 1 failed at once; attempt 2 (after the backoff) hangs until its own 5 s are up.
    expect(started[1]).toBeGreaterThan(started[0] ?? 0);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(aborted[0]).toBe((started[1] ?? 0) + 5_000);
    const answered = await settle(
      clock,
      setup(() => json({ ok: 1 }), {}, clock).transport.request({ method: 'GET', path: '/ok' }),
    );
    expect(answered.data).toEqual({ ok: 1 });
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('repeats a POST refused with 429: the marketplace did not process it', async () => {
    const { transport, clock, requests } = setup((_request, call) =>
      call === 1 ? new Response('', { status: 429 }) : json({ id: 9 }, { status: 201 }),
    );
    const response = await settle(
      clock,
      transport.request({ method: 'POST', path: '/a', body: { json: {} } }),
    );
    expect(response.status).toBe(201);
    expect(requests).toHaveLength(2);
  });

  it('stops retrying when the retry budget is spent', async () => {
    const { transport, clock, requests } = setup(() => new Response('', { status: 503 }), {
      retry: { maxAttempts: 4, budgetRatio: 0, budgetFloor: 2 },
    });
    for (let i = 0; i < 3; i++) {
      leaks.keep(await rejectionOf(settle(clock, transport.request({ method: 'GET', path: '/a' }))));
    }
    // 3 first attempts + the 2 retries the floor allows in the minute.
    expect(requests).toHaveLength(5);
  });

  it('keeps a retry budget per account: a failing seller does not stop the retries of another', async () => {
    const { transport, clock, requests } = setup(
      (request) => {
        const url = new URL(request.url);
        if (url.pathname === '/failing') return new Response('', { status: 503 });
        return requests.filter((r) => new URL(r.url).pathname === '/healthy').length === 1
          ? new Response('', { status: 503 })
          : json({ ok: true });
      },
      { retry: { maxAttempts: 4, budgetRatio: 0, budgetFloor: 2 }, circuitBreaker: false },
    );
    for (let i = 0; i < 3; i++) {
      leaks.keep(
        await rejectionOf(
          settle(clock, transport.request({ method: 'GET', path: '/failing', accountId: 'A', auth: false })),
        ),
      );
    }
    const healthy = await settle(
      clock,
      transport.request({ method: 'GET', path: '/healthy', accountId: 'B', auth: false }),
    );
    expect(healthy.attempts).toBe(2);
  });

  it('stops waiting when the caller aborts during a backoff', async () => {
    const { transport, clock } = setup(() => new Response('', { status: 503 }));
    const controller = new AbortController();
    transport.events.on('retry', () => controller.abort(new Error('caller gave up')));
    const error = await rejectionOf(
      settle(clock, transport.request({ method: 'GET', path: '/a', signal: controller.signal })),
    );
    expect((error as Error).message).toBe('caller gave up');
  });
});

describe('authentication', () => {
  it('refreshes once and replays once on a 401, even for a POST', async () => {
    const clock = createManualClock();
    const { tokens, refreshes, store } = await tokenSetup(clock);
    const { transport, requests } = setup(
      (request) =>
        request.headers.get('authorization') === `Bearer ${ACCESS_NEW}`
          ? json({ id: 'created' }, { status: 201 })
          : json({ message: 'invalid_token' }, { status: 401 }),
      { tokens },
      clock,
    );
    const refreshEvents: string[] = [];
    transport.events.on('tokenRefresh', (event) => refreshEvents.push(event.accountId));

    const response = await settle(
      clock,
      transport.request({ method: 'POST', path: '/items', accountId: '42', body: { json: { a: 1 } } }),
    );

    expect(response.data).toEqual({ id: 'created' });
    expect(refreshes()).toBe(1);
    expect(requests.map((request) => request.headers.get('authorization'))).toEqual([
      `Bearer ${ACCESS_OLD}`,
      `Bearer ${ACCESS_NEW}`,
    ]);
    expect(refreshEvents).toEqual(['42']);
    expect((await store.get('meli', '42'))?.refreshToken).toBe(REFRESH_NEW);
  });

  it('does not refresh when the failure needs the seller to authorize again', async () => {
    const clock = createManualClock();
    const { tokens, refreshes, store } = await tokenSetup(clock);
    const { transport, requests } = setup(
      () => json({ error: 'partner_shop_no_link' }, { status: 403 }),
      {
        tokens,
        mapError: (context) =>
          context.status === 403
            ? new AuthenticationError('shop unlinked', {
                marketplace: 'meli',
                code: 'partner_shop_no_link',
                reauthorizationRequired: true,
              })
            : undefined,
      },
      clock,
    );
    const error = await rejectionOf(
      settle(clock, transport.request({ method: 'GET', path: '/orders', accountId: '42' })),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).reauthorizationRequired).toBe(true);
    expect(refreshes()).toBe(0);
    expect(requests).toHaveLength(1);
    expect((await store.get('meli', '42'))?.refreshToken).toBe(REFRESH_OLD);
  });

  it('refreshes an expiring token once for 100 concurrent calls', async () => {
    const clock = createManualClock();
    const { tokens, refreshes, store } = await tokenSetup(clock);
    const stored = await store.get('meli', '42');
    await store.set({ ...stored!, expiresAt: clock.now() + 60_000 });
    const { transport, requests } = setup(() => json({}), { tokens }, clock);
    await Promise.all(
      Array.from({ length: 100 }, () => transport.request({ method: 'GET', path: '/me', accountId: '42' })),
    );
    expect(refreshes()).toBe(1);
    expect(new Set(requests.map((request) => request.headers.get('authorization')))).toEqual(
      new Set([`Bearer ${ACCESS_NEW}`]),
    );
  });

  it('gives up with AuthenticationError when the replay is refused too', async () => {
    const clock = createManualClock();
    const { tokens, refreshes } = await tokenSetup(clock);
    const { transport, requests } = setup(() => new Response('', { status: 401 }), { tokens }, clock);
    const error = leaks.keep(
      await rejectionOf(settle(clock, transport.request({ method: 'GET', path: '/me', accountId: '42' }))),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(refreshes()).toBe(1);
    expect(requests).toHaveLength(2);
  });

  it('sends no token when auth is false, and refuses an account call without a token provider', async () => {
    const { transport, requests, clock } = setup(() => json({}));
    await settle(
      clock,
      transport.request({ method: 'POST', path: '/oauth/token', auth: false, accountId: '42' }),
    );
    expect(requests[0]?.headers.get('authorization')).toBeNull();
    const error = await rejectionOf(transport.request({ method: 'GET', path: '/me', accountId: '42' }));
    expect((error as MlhError).code).toBe('no_token_provider');
  });

  it('applies the token the way the adapter says', async () => {
    const clock = createManualClock();
    const { tokens } = await tokenSetup(clock);
    const { transport, requests } = setup(
      () => json({}),
      {
        tokens,
        applyAccessToken: (request, token) => request.url.searchParams.set('access_token', token),
      },
      clock,
    );
    const lines = leaks.lines.length;
    await settle(clock, transport.request({ method: 'GET', path: '/shop', accountId: '42' }));
    expect(new URL(requests[0]?.url ?? '').searchParams.get('access_token')).toBe(ACCESS_OLD);
    expect(leaks.lines.slice(lines).join('\n')).toContain('access_token=APP_…aaaa');
  });
});

describe('signing', () => {
  it('signs the exact bytes it sends, with a fresh timestamp on every attempt', async () => {
    const signed: { body: unknown; now: number; attempt: number }[] = [];
    const { transport, clock, requests, bodies } = setup(
      (_request, call) => (call === 1 ? new Response('', { status: 503 }) : json({})),
      {
        sign: async (request) => {
          signed.push({ body: request.body, now: request.now, attempt: request.attempt });
          request.url.searchParams.set('timestamp', String(Math.floor(request.now / 1000)));
          request.url.searchParams.set('sign', `sig-${request.attempt}-${request.now}-0123456789abcdef`);
        },
      },
    );
    // Key order and a non-ASCII character must survive: signers hash these exact bytes.
    const payload = { z: 1, a: 'Ação', nested: { b: [1, 2] } };
    await settle(
      clock,
      transport.request({ method: 'PUT', path: '/items/1', body: { json: payload }, idempotent: true }),
    );

    expect(requests).toHaveLength(2);
    expect(signed.map((entry) => entry.body)).toEqual([JSON.stringify(payload), JSON.stringify(payload)]);
    expect(bodies).toEqual([JSON.stringify(payload), JSON.stringify(payload)]);
    expect(signed[1]?.now).toBeGreaterThan(signed[0]?.now ?? Number.POSITIVE_INFINITY);
    expect(requests.map((request) => new URL(request.url).searchParams.get('sign'))).toEqual([
      `sig-1-${signed[0]?.now}-0123456789abcdef`,
      `sig-2-${signed[1]?.now}-0123456789abcdef`,
    ]);
    expect(requests[0]?.headers.get('content-type')).toBe('application/json');
  });

  it('hands every attempt, and every retry event, the URL as it was before signing', async () => {
    const seenBySigner: string[] = [];
    const { transport, clock, requests } = setup(
      (_request, call) => (call < 3 ? new Response('', { status: 503 }) : json({})),
      {
        sign: (request) => {
          seenBySigner.push(request.url.search);
          request.url.searchParams.append('sign', `attempt-${request.attempt}`);
        },
      },
    );
    const retryUrls: string[] = [];
    transport.events.on('retry', (event) => retryUrls.push(event.url));
    await settle(clock, transport.request({ method: 'GET', path: '/items', query: { ids: 'a,b' } }));

    expect(seenBySigner).toEqual(['?ids=a%2Cb', '?ids=a%2Cb', '?ids=a%2Cb']);
    expect(requests.map((request) => new URL(request.url).search)).toEqual([
      '?ids=a%2Cb&sign=attempt-1',
      '?ids=a%2Cb&sign=attempt-2',
      '?ids=a%2Cb&sign=attempt-3',
    ]);
    expect(retryUrls).toEqual([
      'https://api.example.com/items?ids=a%2Cb',
      'https://api.example.com/items?ids=a%2Cb',
    ]);
  });

  it('sends raw bytes and forms as given', async () => {
    const seen: unknown[] = [];
    const { transport, clock, bodies, requests } = setup(() => json({}), {
      sign: (request) => {
        seen.push(request.body);
      },
    });
    const bytes = new TextEncoder().encode('{"id":12345678901234567890}');
    await settle(
      clock,
      transport.request({
        method: 'POST',
        path: '/raw',
        body: { raw: bytes, contentType: 'application/json' },
      }),
    );
    await settle(
      clock,
      transport.request({ method: 'POST', path: '/form', body: { form: { a: '1', b: 'x y' } } }),
    );
    expect(seen[0]).toBe(bytes);
    expect(bodies).toEqual(['{"id":12345678901234567890}', 'a=1&b=x+y']);
    expect(requests[1]?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, fails fast, half-opens and recovers', async () => {
    let healthy = false;
    const { transport, clock, requests } = setup(
      () => (healthy ? json({}) : new Response('', { status: 500 })),
      {
        retry: false,
        circuitBreaker: { failureThreshold: 3, openMs: 10_000 },
      },
    );
    const changes: string[] = [];
    transport.events.on('circuitStateChange', (event) => changes.push(`${event.from}→${event.to}`));

    for (let i = 0; i < 3; i++) {
      leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/a' })));
    }
    const fast = leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/a' })));
    expect(fast).toBeInstanceOf(CircuitOpenError);
    expect((fast as CircuitOpenError).retryAfterMs).toBe(10_000);
    expect(requests).toHaveLength(3);

    await clock.advance(10_000);
    // The trial fails: open again.
    leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/a' })));
    expect(leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/a' })))).toBeInstanceOf(
      CircuitOpenError,
    );

    await clock.advance(10_000);
    healthy = true;
    await transport.request({ method: 'GET', path: '/a' });
    await transport.request({ method: 'GET', path: '/a' });
    expect(requests).toHaveLength(6);
    expect(changes).toEqual([
      'closed→open',
      'open→half-open',
      'half-open→open',
      'open→half-open',
      'half-open→closed',
    ]);
  });

  it('lets a single trial through while half-open', async () => {
    let release: (response: Response) => void = () => {};
    let calls = 0;
    const { transport, clock } = setup(
      () => {
        calls += 1;
        if (calls <= 2) return new Response('', { status: 500 });
        return new Promise<Response>((resolve) => {
          release = resolve;
        });
      },
      { retry: false, circuitBreaker: { failureThreshold: 2, openMs: 1_000 } },
    );
    leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/a' })));
    leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/a' })));
    await clock.advance(1_000);
    const trial = transport.request({ method: 'GET', path: '/a' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const second = leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/a' })));
    expect(second).toBeInstanceOf(CircuitOpenError);
    release(json({ ok: true }));
    expect((await trial).data).toEqual({ ok: true });
  });

  it('does not count 4xx answers as host failures', async () => {
    const { transport, requests } = setup(() => new Response('', { status: 404 }), {
      circuitBreaker: { failureThreshold: 2 },
    });
    for (let i = 0; i < 4; i++) {
      expect(leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/a' })))).toBeInstanceOf(
        NotFoundError,
      );
    }
    expect(requests).toHaveLength(4);
  });
});

describe('rate limiting', () => {
  it('never sends more than its rate in any simulated second', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const sentAt: number[] = [];
    const { transport } = setup(
      () => {
        sentAt.push(clock.now());
        return json({});
      },
      { rateLimits: { read: { perSecond: 5, burst: 1 }, write: { perSecond: 2, burst: 1 } } },
      clock,
    );
    const waits: number[] = [];
    transport.events.on('rateLimitWait', (event) => waits.push(event.waitMs));
    const all = Promise.all(
      Array.from({ length: 30 }, () =>
        transport.request({ method: 'GET', path: '/a', accountId: undefined }),
      ),
    );
    await settle(clock, all);

    const perSecond = new Map<number, number>();
    for (const at of sentAt) {
      const second = Math.floor((at - Date.UTC(2026, 0, 1)) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(sentAt).toHaveLength(30);
    expect(Math.max(...perSecond.values())).toBe(5);
    expect(perSecond.size).toBe(6);
    expect(waits.length).toBe(29);
  });

  it('keeps separate buckets per account and per read/write group', async () => {
    const clock = createManualClock();
    const { transport } = setup(
      () => json({}),
      { rateLimits: { read: { perSecond: 1 }, write: { perSecond: 1 } } },
      clock,
    );
    const waits: string[] = [];
    transport.events.on('rateLimitWait', (event) => waits.push(`${event.accountId}:${event.group}`));
    await transport.request({ method: 'GET', path: '/a', accountId: '1', auth: false });
    await transport.request({ method: 'GET', path: '/a', accountId: '2', auth: false });
    await transport.request({ method: 'POST', path: '/a', accountId: '1', auth: false });
    expect(waits).toEqual([]);
    await settle(clock, transport.request({ method: 'GET', path: '/a', accountId: '1', auth: false }));
    expect(waits).toEqual(['1:read']);
  });

  it('shares an app bucket across accounts on top of each account bucket', async () => {
    const clock = createManualClock();
    const { transport, requests } = setup(
      () => json({}),
      { appRateLimits: { write: { perSecond: 1, burst: 2 } }, rateLimits: { write: { perSecond: 10 } } },
      clock,
    );
    const waits: string[] = [];
    transport.events.on('rateLimitWait', (event) => waits.push(`${event.accountId}:${event.scope}`));
    await transport.request({ method: 'POST', path: '/a', accountId: '1', auth: false });
    await transport.request({ method: 'POST', path: '/a', accountId: '2', auth: false });
    expect(waits).toEqual([]);
    await settle(clock, transport.request({ method: 'POST', path: '/a', accountId: '3', auth: false }));
    expect(waits).toEqual(['3:app']);
    expect(requests).toHaveLength(3);
  });

  it('sends nothing, and says why, when the shared rate limiter cannot answer', async () => {
    const { transport, requests } = setup(() => json({}), {
      rateLimits: { read: { perSecond: 5 } },
      rateLimiter: {
        reserve: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6390')),
      },
    });
    const error = leaks.keep(
      await rejectionOf(transport.request({ method: 'GET', path: '/a', accountId: '1', auth: false })),
    );
    expect(error).toMatchObject({
      code: 'rate_limiter_unavailable',
      message: expect.stringMatching(/rate limiter failed: connect ECONNREFUSED/),
    });
    expect(requests).toHaveLength(0);
  });

  it('fails instead of waiting when onRateLimit says so, without sending', async () => {
    const { transport, requests } = setup(() => json({}), {
      rateLimits: { write: { perSecond: 1, burst: 1 } },
      onRateLimit: (info) => (info.waitMs > 500 ? 'fail' : 'wait'),
    });
    await transport.request({ method: 'POST', path: '/a' });
    const error = leaks.keep(await rejectionOf(transport.request({ method: 'POST', path: '/a' })));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).code).toBe('local_rate_limit');
    expect((error as RateLimitError).retryAfterMs).toBe(1_000);
    expect(requests).toHaveLength(1);
  });
});

describe('URLs', () => {
  it('refuses plain http unless the host is a loopback address', () => {
    const create = (baseUrl: string) => () =>
      createTransport({ marketplace: 'meli', baseUrl, mapError: noMapping });
    expect(create('http://api.mercadolibre.com')).toThrow(ValidationError);
    expect(create('http://api.mercadolibre.com')).toThrow(/plain http is refused/);
    expect(create('ftp://example.com')).toThrow(ValidationError);
    expect(create('not a url')).toThrow(ValidationError);
    for (const loopback of [
      'http://localhost:3000',
      'http://127.0.0.1:8080/api',
      'http://[::1]:9000',
      'https://x.io',
    ]) {
      expect(create(loopback)).not.toThrow();
    }
  });

  it('refuses an absolute http URL in a request, before sending', async () => {
    const { transport, requests } = setup(() => json({}));
    const error = await rejectionOf(
      transport.request({ method: 'GET', path: 'http://evil.example.com/steal' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(requests).toHaveLength(0);
  });

  it('joins base path, path and query (arrays repeat, undefined drops)', async () => {
    const { transport, requests } = setup(() => json({}), { baseUrl: 'https://api.example.com/api/v2/' });
    await transport.request({
      method: 'GET',
      path: '/orders/search',
      query: { ids: ['1', '2'], limit: 50, offset: undefined, flag: true, big: 12345678901234567890n },
    });
    expect(requests[0]?.url).toBe(
      'https://api.example.com/api/v2/orders/search?ids=1&ids=2&limit=50&flag=true&big=12345678901234567890',
    );
  });
});

describe('responses and errors', () => {
  const server = setupServer(
    http.get('https://api.example.com/status/:code', ({ params }) =>
      HttpResponse.json(
        { message: 'nope' },
        { status: Number(params.code), headers: { 'x-request-id': 'req-1' } },
      ),
    ),
    http.get('https://api.example.com/empty', () => new HttpResponse(null, { status: 204 })),
    http.get('https://api.example.com/html', () => HttpResponse.html('<html>ok</html>')),
    http.get('https://api.example.com/big', () => HttpResponse.text('{"id":12345678901234567890}')),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const viaMsw = (overrides: Partial<TransportOptions> = {}) =>
    createTransport({
      marketplace: 'shopee',
      baseUrl: 'https://api.example.com',
      retry: false,
      mapError: noMapping,
      logger: leaks.logger,
      ...overrides,
    });

  it.each([
    [400, ValidationError],
    [401, AuthenticationError],
    [403, PermissionError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, ValidationError],
    [429, RateLimitError],
    [500, ServerError],
    [503, ServerError],
    [418, MlhError],
  ])('maps HTTP %i to %o with marketplace, status and request id', async (status, type) => {
    const error = leaks.keep(
      await rejectionOf(viaMsw().request({ method: 'GET', path: `/status/${status}` })),
    );
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ marketplace: 'shopee', status, requestId: 'req-1' });
  });

  it('lets the adapter map errors, including a 200 whose envelope says error', async () => {
    const transport = viaMsw({
      mapError: (context) =>
        (context.json as { message?: string })?.message === 'nope' && context.status === 403
          ? new PermissionError('Shopee refused: no permission for this shop', { code: 'error_permission' })
          : undefined,
    });
    const error = leaks.keep(await rejectionOf(transport.request({ method: 'GET', path: '/status/403' })));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({
      code: 'error_permission',
      status: 403,
      requestId: 'req-1',
      marketplace: 'shopee',
    });
  });

  it('reads an empty body as undefined and keeps text when asked', async () => {
    const transport = viaMsw();
    expect((await transport.request({ method: 'GET', path: '/empty' })).data).toBeUndefined();
    const big = await transport.request<string>({ method: 'GET', path: '/big', responseType: 'text' });
    expect(big.data).toBe('{"id":12345678901234567890}');
  });

  it('reports a non-JSON 2xx body as a malformed response, not a crash', async () => {
    const error = leaks.keep(await rejectionOf(viaMsw().request({ method: 'GET', path: '/html' })));
    expect(error).toBeInstanceOf(MlhError);
    expect(error).toMatchObject({ code: 'malformed_response', status: 200 });
  });

  it('keeps running when an event listener throws', async () => {
    const transport = viaMsw();
    transport.events.on('request', () => {
      throw new Error('broken monitoring');
    });
    expect((await transport.request({ method: 'GET', path: '/empty' })).status).toBe(204);
    expect(leaks.lines.some((line) => line.includes('broken monitoring'))).toBe(true);
  });
});

describe('secrets', () => {
  it('keeps credentials out of network error messages', async () => {
    const { transport, clock } = setup(
      () => {
        throw new TypeError(`request to https://api.example.com/a?access_token=${ACCESS_OLD} failed`);
      },
      { retry: false },
    );
    const error = leaks.keep(
      await rejectionOf(settle(clock, transport.request({ method: 'GET', path: '/a' }))),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toContain('access_token=APP_…aaaa');
  });

  it('no log line or error produced in this file contains a whole token', () => {
    expect(leaks.lines.length).toBeGreaterThan(0);
    expect(leaks.errors.length).toBeGreaterThan(10);
    const leaking = leaks.texts().filter((text) => SECRETS.some((secret) => text.includes(secret)));
    expect(leaking).toEqual([]);
  });
});
