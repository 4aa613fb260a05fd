import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  createFaultInjector,
  createRateLimitGate,
  createSandboxClock,
  createWebhookDelivery,
  formatWithOffset,
  readJson,
  seededRandom,
  sha256Base64Url,
} from '../src/index';
import { resolveSandboxUrl, startSandboxServer } from '../src/server';

const okHandler = async () => new Response(JSON.stringify({ id: 1, name: 'ok' }), { status: 200 });

function post(path: string): Request {
  return new Request(`https://api.example.com${path}`, { method: 'POST', body: '{}' });
}

describe('sandbox clock', () => {
  it('moves a frozen clock only when told to', () => {
    const clock = createSandboxClock({ start: new Date('2025-01-01T00:00:00Z'), frozen: true });
    expect(clock.now()).toBe(Date.UTC(2025, 0, 1));
    clock.advance(60_000);
    expect(clock.now()).toBe(Date.UTC(2025, 0, 1, 0, 1));
    clock.set(Date.UTC(2030, 5, 1));
    expect(clock.now()).toBe(Date.UTC(2030, 5, 1));
  });

  it('follows real time plus the offset when running', () => {
    let real = 1_000;
    const clock = createSandboxClock({ start: 50_000, realNow: () => real });
    real += 250;
    expect(clock.now()).toBe(50_250);
    clock.advance(1_000);
    expect(clock.now()).toBe(51_250);
  });

  it('refuses to move backwards through advance', () => {
    const clock = createSandboxClock({ frozen: true });
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('fault injector', () => {
  it('answers an injected status without running the handler', async () => {
    const faults = createFaultInjector({ errorBody: (status) => ({ error: 'boom', status }) });
    faults.inject({ method: 'POST', path: '/items', fault: { status: 503 } });
    let handled = 0;
    const response = await faults.run(post('/items'), async () => {
      handled += 1;
      return new Response('{}');
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'boom', status: 503 });
    expect(handled).toBe(0);
    expect(faults.applied).toEqual([{ method: 'POST', path: '/items', kind: 'status' }]);
  });

  it('fires only on the nth matching call by default once', async () => {
    const faults = createFaultInjector();
    faults.inject({ path: /^\/orders/, nth: 2, fault: { status: 500 } });
    const statuses: number[] = [];
    for (let call = 0; call < 4; call += 1) {
      statuses.push((await faults.run(post('/orders/1'), okHandler)).status);
    }
    expect(statuses).toEqual([200, 500, 200, 200]);
  });

  it('ignores calls that do not match method or path', async () => {
    const faults = createFaultInjector();
    faults.inject({ method: 'GET', path: '/items', fault: { status: 500 } });
    expect((await faults.run(post('/items'), okHandler)).status).toBe(200);
    expect((await faults.run(new Request('https://api.example.com/items/1'), okHandler)).status).toBe(200);
  });

  it('applies a rate from a seeded random reproducibly', async () => {
    async function run(): Promise<number[]> {
      const faults = createFaultInjector({ seed: 7 });
      faults.inject({ rate: 0.5, fault: { status: 500 } });
      const statuses: number[] = [];
      for (let call = 0; call < 20; call += 1)
        statuses.push((await faults.run(post('/x'), okHandler)).status);
      return statuses;
    }
    const first = await run();
    expect(first).toEqual(await run());
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it('stops after `times` and can be removed', async () => {
    const faults = createFaultInjector();
    const remove = faults.inject({ times: 1, fault: { status: 500 } });
    expect((await faults.run(post('/x'), okHandler)).status).toBe(500);
    expect((await faults.run(post('/x'), okHandler)).status).toBe(200);
    remove();
    faults.inject({ fault: { status: 502 } });
    faults.clear();
    expect((await faults.run(post('/x'), okHandler)).status).toBe(200);
  });

  it('delays and then handles for latency', async () => {
    const faults = createFaultInjector();
    faults.inject({ fault: { latencyMs: 5 } });
    let handled = false;
    const response = await faults.run(post('/x'), async () => {
      handled = true;
      return new Response('{}');
    });
    expect(response.status).toBe(200);
    expect(handled).toBe(true);
  });

  it('drops the connection without handling', async () => {
    const faults = createFaultInjector();
    faults.inject({ fault: { drop: true } });
    let handled = false;
    const response = await faults.run(post('/x'), async () => {
      handled = true;
      return new Response('{}');
    });
    expect(response.type).toBe('error');
    expect(handled).toBe(false);
  });

  it('answers malformed JSON without handling', async () => {
    const faults = createFaultInjector();
    faults.inject({ fault: { malformedJson: true } });
    let handled = false;
    const response = await faults.run(post('/x'), async () => {
      handled = true;
      return new Response('{}');
    });
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
    expect(handled).toBe(false);
  });

  it('handles the request but cuts the JSON body for truncatedJson', async () => {
    const faults = createFaultInjector();
    faults.inject({ fault: { truncatedJson: true } });
    let handled = false;
    const response = await faults.run(post('/x'), async () => {
      handled = true;
      return okHandler();
    });
    const text = await response.text();
    expect(handled).toBe(true);
    const full = JSON.stringify({ id: 1, name: 'ok' });
    expect(text).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(() => JSON.parse(text)).toThrow();
  });

  it('handles the request and then loses the response for lostResponse', async () => {
    const faults = createFaultInjector();
    faults.inject({ fault: { lostResponse: true } });
    let handled = false;
    const response = await faults.run(post('/x'), async () => {
      handled = true;
      return okHandler();
    });
    expect(handled).toBe(true);
    expect(response.type).toBe('error');
  });
});

describe('rate-limit gate', () => {
  it('allows the burst, refuses the next call, and refills with the clock', () => {
    const clock = createSandboxClock({ frozen: true });
    const gate = createRateLimitGate(clock, { requestsPerSecond: 2, burst: 3 });
    expect([gate.take('a'), gate.take('a'), gate.take('a'), gate.take('a')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(gate.retryAfterMs('a')).toBe(500);
    expect(gate.take('b')).toBe(true);
    clock.advance(500);
    expect(gate.take('a')).toBe(true);
    expect(gate.take('a')).toBe(false);
  });

  it('is unlimited without a config and can be reconfigured', () => {
    const clock = createSandboxClock({ frozen: true });
    const gate = createRateLimitGate(clock);
    for (let call = 0; call < 100; call += 1) expect(gate.take('a')).toBe(true);
    gate.configure({ requestsPerSecond: 1 });
    expect(gate.take('a')).toBe(true);
    expect(gate.take('a')).toBe(false);
    gate.configure(undefined);
    expect(gate.take('a')).toBe(true);
  });
});

describe('webhook delivery', () => {
  function recorder(status = 200) {
    const bodies: string[] = [];
    return {
      bodies,
      target: async (request: Request) => {
        bodies.push(await request.text());
        return new Response('ok', { status });
      },
    };
  }

  function event(id: number) {
    return ({ url }: { url: string }) =>
      new Request(url, {
        method: 'POST',
        body: JSON.stringify({ id }),
        headers: { 'content-type': 'application/json' },
      });
  }

  it('delivers queued webhooks in order on flush', async () => {
    const app = recorder();
    const delivery = createWebhookDelivery({ target: app.target });
    delivery.send(event(1));
    delivery.send(event(2));
    expect(delivery.pending).toBe(2);
    expect(await delivery.flush()).toEqual([200, 200]);
    expect(app.bodies).toEqual(['{"id":1}', '{"id":2}']);
    expect(delivery.log.map((entry) => entry.url)).toEqual([
      'http://localhost/webhooks',
      'http://localhost/webhooks',
    ]);
  });

  it('repeats each webhook when duplicates are on', async () => {
    const app = recorder();
    const delivery = createWebhookDelivery({ target: app.target, duplicates: 2 });
    delivery.send(event(1));
    await delivery.flush();
    expect(app.bodies).toEqual(['{"id":1}', '{"id":1}', '{"id":1}']);
    expect(delivery.log.filter((entry) => entry.duplicate)).toHaveLength(2);
  });

  it('shuffles a flush when out-of-order is on, delivering every webhook', async () => {
    const app = recorder();
    const delivery = createWebhookDelivery({ target: app.target, outOfOrder: true, seed: 3 });
    for (let id = 1; id <= 5; id += 1) delivery.send(event(id));
    await delivery.flush();
    const order = app.bodies.map((body) => (JSON.parse(body) as { id: number }).id);
    expect(order).not.toEqual([1, 2, 3, 4, 5]);
    expect([...order].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('retries a failed webhook on the next flush and gives up after maxAttempts', async () => {
    const app = recorder(500);
    const gaveUp: number[] = [];
    const delivery = createWebhookDelivery({ target: app.target, maxAttempts: 2 });
    delivery.send(event(1), { onGiveUp: (last) => gaveUp.push(last.attempt) });
    expect(await delivery.flush()).toEqual([500]);
    expect(delivery.pending).toBe(1);
    expect(await delivery.flush()).toEqual([500]);
    expect(delivery.pending).toBe(0);
    expect(gaveUp).toEqual([2]);
    expect(delivery.log.map((entry) => entry.attempt)).toEqual([1, 2]);
  });

  it('records a thrown handler as status 0', async () => {
    const delivery = createWebhookDelivery({
      target: () => {
        throw new Error('app crashed');
      },
    });
    delivery.send(event(1));
    expect(await delivery.flush()).toEqual([0]);
    expect(delivery.log[0]?.ok).toBe(false);
  });

  it('sends nothing without a target, and sends to a URL target with fetch', async () => {
    const seen: string[] = [];
    const delivery = createWebhookDelivery({
      fetch: async (input) => {
        seen.push(input instanceof Request ? input.url : String(input));
        return new Response('ok');
      },
    });
    delivery.send(event(1));
    expect(delivery.pending).toBe(0);
    delivery.configure({ target: 'https://seller-app.example/hooks/meli' });
    delivery.send(event(2));
    await delivery.flush();
    expect(seen).toEqual(['https://seller-app.example/hooks/meli']);
  });

  it('flushes on its own with autoFlush', async () => {
    const app = recorder();
    const delivery = createWebhookDelivery({ target: app.target, autoFlush: true });
    delivery.send(event(1));
    await vi.waitFor(() => expect(app.bodies).toEqual(['{"id":1}']));
    expect(delivery.pending).toBe(0);
  });
});

describe('http helpers', () => {
  it('reads bad JSON as an error instead of throwing', async () => {
    const result = await readJson(new Request('https://x.test', { method: 'POST', body: '{"a":' }));
    expect(result.ok).toBe(false);
  });

  it('formats local times with their offset', () => {
    expect(formatWithOffset(Date.UTC(2024, 10, 1, 13, 34, 59), -240)).toBe('2024-11-01T09:34:59.000-04:00');
  });

  it('computes the PKCE S256 challenge of RFC 7636', async () => {
    expect(await sha256Base64Url('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('gives the same sequence for the same seed', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('sandbox HTTP server', () => {
  const handlers = [
    http.get('https://api.example.com/ping', ({ request }) =>
      HttpResponse.json({ pong: true, host: new URL(request.url).host }),
    ),
    http.post('https://api.example.com/echo', async ({ request }) => HttpResponse.json(await request.json())),
    http.get('https://api.example.com/broken', () => Response.error()),
  ];

  it('routes by header, by host path segment and by default host', () => {
    const none = new Headers();
    expect(resolveSandboxUrl('/a.b.com/x?y=1', none)).toBe('https://a.b.com/x?y=1');
    expect(resolveSandboxUrl('/x', new Headers({ 'x-mlh-sandbox-host': 'c.com' }))).toBe('https://c.com/x');
    expect(resolveSandboxUrl('/x', none, 'd.com')).toBe('https://d.com/x');
    expect(resolveSandboxUrl('/x', none)).toBeUndefined();
  });

  it('answers real HTTP requests through the handlers and closes', async () => {
    const server = await startSandboxServer(handlers, { port: 0 });
    try {
      const byPath = await fetch(`${server.url}/api.example.com/ping`);
      expect(await byPath.json()).toEqual({ pong: true, host: 'api.example.com' });
      const byHeader = await fetch(`${server.url}/echo`, {
        method: 'POST',
        headers: { 'x-mlh-sandbox-host': 'api.example.com', 'content-type': 'application/json' },
        body: JSON.stringify({ hello: 'world' }),
      });
      expect(await byHeader.json()).toEqual({ hello: 'world' });
      const missing = await fetch(`${server.url}/api.example.com/nothing-here`);
      expect(missing.status).toBe(404);
      await expect(fetch(`${server.url}/api.example.com/broken`)).rejects.toThrow();
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/api.example.com/ping`)).rejects.toThrow();
  });
});
