import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenBucketLimiter, type Logger, type RateLimiter, toNodeListener } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/index';
import { createWorld, type World } from './world';

/**
 * Every security case through the whole middleware chain: unauthenticated, wrong scope, oversized
 * body, disallowed origin, rate limit, replayed idempotency key, and nothing secret in a log line.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => server.close());

let world: World;
beforeEach(async () => {
  world = await createWorld(server);
});

const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

function putStock(
  options: { key?: string; idempotencyKey?: string; body?: string; headers?: Record<string, string> } = {},
) {
  return world.api().request('/inventory/CAP', {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${options.key ?? world.keys.operator}`,
      'content-type': 'application/json',
      ...(options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey }),
      ...options.headers,
    },
    body: options.body ?? JSON.stringify({ quantity: 12 }),
  });
}

describe('API keys', () => {
  it('answers 401 problem+json without a key, with a wrong key and with a key hash as the key', async () => {
    const api = world.api();
    const stolenHash = world.records[0]!.sha256;
    for (const headers of [{}, { authorization: 'Bearer mlh_wrong' }, { 'x-api-key': stolenHash }]) {
      const response = await api.request('/orders', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await json(response)).toMatchObject({
        status: 401,
        kind: 'authentication',
        instance: '/orders',
      });
    }
  });

  it('tells a key its own id and scopes at GET /me, never the key', async () => {
    const api = world.api();
    const read = await api.request('/me', { headers: { authorization: `Bearer ${world.keys.read}` } });
    const operator = await api.request('/me', { headers: { 'x-api-key': world.keys.operator } });
    expect(await json(read)).toEqual({ keyId: world.records[0]!.id, scopes: ['read'], canWrite: false });
    expect(await json(operator)).toEqual({
      keyId: world.records[1]!.id,
      scopes: ['operator'],
      canWrite: true,
    });
    expect((await api.request('/me')).status).toBe(401);
  });

  it('accepts the key in X-API-Key too, and stores only its SHA-256', async () => {
    const response = await world.api().request('/accounts', { headers: { 'x-api-key': world.keys.read } });
    expect(response.status).toBe(200);
    expect(world.records[0]!.sha256).toBe(await hashApiKey(world.keys.read));
    expect(JSON.stringify(world.records)).not.toContain(world.keys.read);
  });

  it('refuses a write with a read-only key (403) and changes nothing', async () => {
    const response = await putStock({ key: world.keys.read, idempotencyKey: 'k1' });
    expect(response.status).toBe(403);
    expect(await json(response)).toMatchObject({ kind: 'permission', code: 'scope_required' });
    expect((await world.store.getStock(['CAP']))[0]!.quantity).toBe(6);
    const disconnect = await world.api().request(`/accounts/meli/${world.accounts[0]!.accountId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${world.keys.read}` },
    });
    expect(disconnect.status).toBe(403);
  });
});

describe('request bodies', () => {
  it('refuses a body over the limit with 413, announced or streamed', async () => {
    const big = JSON.stringify({ quantity: 1, reason: 'x'.repeat(70_000) });
    const announced = await putStock({ idempotencyKey: 'big-1', body: big });
    expect(announced.status).toBe(413);
    expect(await json(announced)).toMatchObject({ kind: 'validation', code: 'body_too_large' });
    const small = world.api({ maxBodyBytes: 16 });
    const chunks = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"quantity": 12,'));
        controller.enqueue(new TextEncoder().encode(' "reason": "recount"}'));
        controller.close();
      },
    });
    const streamed = await small.request('/inventory/CAP', {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${world.keys.operator}`,
        'content-type': 'application/json',
        'idempotency-key': 'big-2',
      },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await world.store.getStock(['CAP']))[0]!.quantity).toBe(6);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await putStock({ idempotencyKey: 'k-text', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
  });
});

describe('CORS', () => {
  const origin = 'https://admin.example.com';

  it('answers an allowed origin with its own origin, never *', async () => {
    const api = world.api({ cors: { origins: [origin], credentials: true } });
    const preflight = await api.request('/orders', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    const response = await api.request('/orders', {
      headers: { origin, authorization: `Bearer ${world.keys.read}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('refuses a disallowed origin with 403 before anything runs, preflight or not', async () => {
    const api = world.api({ cors: { origins: [origin] } });
    const preflight = await api.request('/inventory/CAP', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const write = await api.request('/inventory/CAP', {
      method: 'PUT',
      headers: {
        origin: 'https://evil.example',
        authorization: `Bearer ${world.keys.operator}`,
        'content-type': 'application/json',
        'idempotency-key': 'csrf',
      },
      body: JSON.stringify({ quantity: 0 }),
    });
    expect(write.status).toBe(403);
    expect(await json(write)).toMatchObject({ kind: 'permission', code: 'origin_not_allowed' });
    expect((await world.store.getStock(['CAP']))[0]!.quantity).toBe(6);
  });

  it('refuses "*" in the allow-list', () => {
    expect(() => world.api({ cors: { origins: ['*'] } })).toThrow(/exact origins/);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a key spends its burst, per key, through the limiter port', async () => {
    const keys: string[] = [];
    const core = createTokenBucketLimiter();
    const limiter: RateLimiter = {
      reserve(key, rule, now) {
        keys.push(key);
        return core.reserve(key, rule, now);
      },
    };
    const api = world.api({ rateLimit: { limiter, rule: { perSecond: 1, burst: 2 } } });
    const call = (key: string) => api.request('/accounts', { headers: { authorization: `Bearer ${key}` } });
    expect((await call(world.keys.read)).status).toBe(200);
    expect((await call(world.keys.read)).status).toBe(200);
    const limited = await call(world.keys.read);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await json(limited)).toMatchObject({ kind: 'rate_limit', retryable: true });
    // Another key has its own budget.
    expect((await call(world.keys.operator)).status).toBe(200);
    expect(new Set(keys)).toEqual(new Set(['api:dashboard', 'api:ops']));
  });
});

describe('idempotency keys', () => {
  it('requires one on a stock set', async () => {
    const response = await putStock();
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: 'missing_idempotency_key' });
  });

  it('replays the first answer to a retry and applies the count once', async () => {
    const api = world.api();
    const send = () =>
      api.request('/inventory/CAP', {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${world.keys.operator}`,
          'content-type': 'application/json',
          'idempotency-key': 'count-1',
        },
        body: JSON.stringify({ quantity: 12 }),
      });
    const first = await send();
    const firstBody = await first.text();
    // Stock moves in between (an order): a late retry of the count must not put it back to 12.
    await world.store.applyStockMovements([{ key: 'order-x', sku: 'CAP', delta: -1 }]);
    const retry = await send();
    expect(retry.status).toBe(first.status);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(firstBody);
    expect((await world.store.getStock(['CAP']))[0]!.quantity).toBe(11);
  });

  it('never applies a key twice even when the idempotency store forgot it (another process)', async () => {
    const headers = {
      authorization: `Bearer ${world.keys.operator}`,
      'content-type': 'application/json',
      'idempotency-key': 'count-2',
    };
    const init = { method: 'PUT', headers, body: JSON.stringify({ quantity: 12 }) };
    expect((await world.api().request('/inventory/CAP', init)).status).toBe(200);
    await world.store.applyStockMovements([{ key: 'order-y', sku: 'CAP', delta: -1 }]);
    const elsewhere = await world.api().request('/inventory/CAP', init);
    expect(((await elsewhere.json()) as { applied: boolean }).applied).toBe(false);
    expect((await world.store.getStock(['CAP']))[0]!.quantity).toBe(11);
  });

  it('refuses the key with another body (422) and changes nothing', async () => {
    const api = world.api();
    const send = (quantity: number) =>
      api.request('/inventory/CAP', {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${world.keys.operator}`,
          'content-type': 'application/json',
          'idempotency-key': 'count-3',
        },
        body: JSON.stringify({ quantity }),
      });
    expect((await send(12)).status).toBe(200);
    const reused = await send(13);
    expect(reused.status).toBe(422);
    expect(await json(reused)).toMatchObject({ kind: 'conflict', code: 'idempotency_key_reused' });
    expect((await world.store.getStock(['CAP']))[0]!.quantity).toBe(12);
  });
});

describe('logs and answers', () => {
  it('logs one line per request with no key, token or query in it', async () => {
    const lines: string[] = [];
    const record = (message: string, fields?: Record<string, unknown>) =>
      lines.push(`${message} ${JSON.stringify(fields)}`);
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const api = world.api({ logger });
    await api.request('/orders?accountId=secret-looking', {
      headers: { authorization: `Bearer ${world.keys.read}` },
    });
    await api.request('/orders', { headers: { authorization: 'Bearer mlh_not-a-key' } });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"keyId":"dashboard"');
    const text = lines.join('\n');
    expect(text).not.toContain(world.keys.read);
    expect(text).not.toContain('mlh_not-a-key');
    expect(text).not.toContain('secret-looking');
  });

  it('answers an unexpected failure with a bare 500: its message is neither answered nor logged', async () => {
    const lines: string[] = [];
    const record = (message: string, fields?: Record<string, unknown>) =>
      lines.push(`${message} ${JSON.stringify(fields)}`);
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const failing = {
      ...world.store,
      listProducts: async () => {
        throw new Error('connection to postgres://admin:hunter2@db failed');
      },
    };
    const response = await world
      .api({ syncStore: failing, logger })
      .request('/products', { headers: { authorization: `Bearer ${world.keys.read}` } });
    expect(response.status).toBe(500);
    const answer = await response.text();
    expect(JSON.parse(answer)).toMatchObject({ kind: 'unknown', retryable: false });
    expect(`${answer}\n${lines.join('\n')}`).not.toContain('hunter2');
    expect(lines.some((line) => line.startsWith('api error'))).toBe(true);
  });

  it('answers an unknown route with a problem', async () => {
    const response = await world
      .api()
      .request('/nothing', { headers: { authorization: `Bearer ${world.keys.read}` } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('over a real HTTP server', () => {
  let http: Server;
  let origin: string;
  const ADMIN_ORIGIN = 'https://admin.example.com';

  beforeEach(async () => {
    const api = world.api({ cors: { origins: [ADMIN_ORIGIN] } });
    http = createServer(
      toNodeListener({ handle: async (request) => api.fetch(request), maxBodyBytes: 1_048_576 }),
    );
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => http.close(() => resolve())));

  const setStock = (
    key: string,
    idempotencyKey: string,
    body: string,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${origin}/inventory/MUG-RED`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
        ...headers,
      },
      body,
    });

  it('serves the API through the fetch handler on node:http', async () => {
    const orders = await fetch(`${origin}/orders?limit=2`, {
      headers: { authorization: `Bearer ${world.keys.read}` },
    });
    expect(orders.status).toBe(200);
    const body = (await orders.json()) as { items: unknown[]; nextCursor?: string };
    expect(body.items).toHaveLength(2);
    expect(typeof body.nextCursor).toBe('string');
    const set = await setStock(world.keys.operator, 'http-1', JSON.stringify({ quantity: 3 }));
    expect(set.status).toBe(200);
    expect((await world.store.getStock(['MUG-RED']))[0]!.quantity).toBe(3);
  });

  it('refuses, as problem+json: no key 401, a read key on a write 403, an oversized body 413, another origin 403', async () => {
    const before = (await world.store.getStock(['MUG-RED']))[0]!;
    const answers = [
      await fetch(`${origin}/orders`),
      await setStock(world.keys.read, 'http-read', JSON.stringify({ quantity: 1 })),
      await setStock(
        world.keys.operator,
        'http-big',
        JSON.stringify({ quantity: 1, pad: 'x'.repeat(70_000) }),
      ),
      await setStock(world.keys.operator, 'http-origin', JSON.stringify({ quantity: 1 }), {
        origin: 'https://evil.example.com',
      }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([401, 403, 413, 403]);
    for (const answer of answers) {
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    }
    // Nothing was written by any of them.
    expect((await world.store.getStock(['MUG-RED']))[0]).toEqual(before);
  });

  it('replays a retried write once, and refuses the key with another body', async () => {
    const first = await setStock(world.keys.operator, 'http-replay', JSON.stringify({ quantity: 9 }));
    const retry = await setStock(world.keys.operator, 'http-replay', JSON.stringify({ quantity: 9 }));
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());
    const other = await setStock(world.keys.operator, 'http-replay', JSON.stringify({ quantity: 4 }));
    expect(other.status).toBe(422);
    expect((await world.store.getStock(['MUG-RED']))[0]!.quantity).toBe(9);
  });

  it('answers a preflight from the allowed origin, and names it on the answer', async () => {
    const preflight = await fetch(`${origin}/inventory/MUG-RED`, {
      method: 'OPTIONS',
      headers: {
        origin: ADMIN_ORIGIN,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ADMIN_ORIGIN);
    const read = await fetch(`${origin}/accounts`, {
      headers: { authorization: `Bearer ${world.keys.read}`, origin: ADMIN_ORIGIN },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe(ADMIN_ORIGIN);
  });
});
