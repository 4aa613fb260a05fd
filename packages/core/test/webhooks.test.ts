import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  assertVerified,
  createManualClock,
  createMemoryDedupeStore,
  createWebhookHandler,
  hmacSha256Hex,
  type MlhEvent,
  matchesHmacSha256Hex,
  timingSafeEqual,
  toNodeListener,
  type WebhookFailure,
  type WebhookSource,
  WebhookVerificationError,
  webhookBodyText,
} from '@mlh/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('hmacSha256Hex', () => {
  it('computes the RFC 4231 test vector', async () => {
    expect(await hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('agrees with node:crypto on text, bytes and messages given in parts', async () => {
    const body = new TextEncoder().encode('{"shop_id":1,"data":"Ação ✓"}');
    const url = 'https://shop.example.com/webhooks/shopee';
    const expected = createHmac('sha256', 'push-key').update(`${url}|`).update(body).digest('hex');
    expect(await hmacSha256Hex('push-key', [url, '|', body])).toBe(expected);
    expect(await hmacSha256Hex(new TextEncoder().encode('push-key'), `${url}|${webhookBodyText(body)}`)).toBe(
      expected,
    );
  });

  it('accepts a signature made with any of the rotating secrets', async () => {
    const signature = await hmacSha256Hex('old-secret', 'payload');
    expect(await matchesHmacSha256Hex(['new-secret', 'old-secret'], 'payload', signature.toUpperCase())).toBe(
      true,
    );
    expect(await matchesHmacSha256Hex(['new-secret'], 'payload', signature)).toBe(false);
    expect(await matchesHmacSha256Hex([], 'payload', signature)).toBe(false);
  });
});

describe('timingSafeEqual', () => {
  it('is true only for identical values', () => {
    expect(timingSafeEqual('abc123', 'abc123')).toBe(true);
    expect(timingSafeEqual('abc123', 'abc124')).toBe(false);
    expect(timingSafeEqual('abc', 'abc1')).toBe(false);
    expect(timingSafeEqual('', '')).toBe(true);
    expect(timingSafeEqual('', 'a')).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(timingSafeEqual('é', new TextEncoder().encode('é'))).toBe(true);
  });
});

describe('createMemoryDedupeStore', () => {
  it('claims a key once until its time to live passes', async () => {
    const clock = createManualClock();
    const store = createMemoryDedupeStore({ clock });
    expect(await store.claim('k', 1_000)).toBe(true);
    expect(await store.claim('k', 1_000)).toBe(false);
    await clock.advance(1_000);
    expect(await store.claim('k', 1_000)).toBe(true);
  });

  it('stays within maxEntries by forgetting the oldest keys', async () => {
    const store = createMemoryDedupeStore({ maxEntries: 2 });
    await store.claim('a', 60_000);
    await store.claim('b', 60_000);
    await store.claim('c', 60_000);
    expect(await store.claim('a', 60_000)).toBe(true);
    expect(await store.claim('c', 60_000)).toBe(false);
  });
});

describe('createMemoryDedupeStore when full', () => {
  it('remembers exactly the newest maxEntries keys, however many came before', async () => {
    const store = createMemoryDedupeStore({ maxEntries: 100 });
    for (let index = 0; index < 5_000; index++) expect(await store.claim(`k-${index}`, 60_000)).toBe(true);
    for (let index = 4_900; index < 5_000; index++)
      expect(await store.claim(`k-${index}`, 60_000)).toBe(false);
    // Claiming the forgotten k-4899 again forgets the oldest remembered one, k-4900.
    expect(await store.claim('k-4899', 60_000)).toBe(true);
    expect(await store.claim('k-4900', 60_000)).toBe(true);
    expect(await store.claim('k-4999', 60_000)).toBe(false);
  });

  it('counts a key claimed again after it expired as the newest', async () => {
    const clock = createManualClock();
    const store = createMemoryDedupeStore({ clock, maxEntries: 3 });
    await store.claim('a', 1_000);
    await store.claim('b', 60_000);
    await store.claim('c', 60_000);
    await clock.advance(1_000);
    expect(await store.claim('a', 60_000)).toBe(true);
    expect(await store.claim('d', 60_000)).toBe(true);
    // b was the oldest once a moved to the end: b is forgotten, a, c and d are remembered.
    expect(await store.claim('a', 60_000)).toBe(false);
    expect(await store.claim('c', 60_000)).toBe(false);
    expect(await store.claim('d', 60_000)).toBe(false);
    expect(await store.claim('b', 60_000)).toBe(true);
  });
});

describe('assertVerified', () => {
  it('returns the event or throws WebhookVerificationError with the reason', () => {
    expect(assertVerified({ ok: true, event: 1 })).toBe(1);
    const failed = () => assertVerified({ ok: false, reason: 'stale', detail: 'sent 10 min ago' }, 'tiktok');
    expect(failed).toThrow(WebhookVerificationError);
    expect(failed).toThrow(/tiktok failed verification \(stale\): sent 10 min ago/);
    try {
      failed();
    } catch (error) {
      expect(error).toMatchObject({ reason: 'stale', marketplace: 'tiktok' });
    }
  });
});

const SECRET = 'test-webhook-secret';

/** A marketplace whose notifications carry `x-signature: hex(hmac(secret, body))` and `{ id, topic }`. */
function testSource(marketplace: string, options: { acknowledge?: () => Response } = {}): WebhookSource {
  return {
    marketplace,
    ...(options.acknowledge ? { acknowledge: options.acknowledge } : {}),
    async verify({ body, headers }) {
      const signature = headers.get('x-signature');
      if (!signature) return { ok: false, reason: 'missing_signature' };
      if (!(await matchesHmacSha256Hex([SECRET], body, signature)))
        return { ok: false, reason: 'bad_signature' };
      let payload: { id?: string; ids?: string[]; topic?: string };
      try {
        payload = JSON.parse(webhookBodyText(body));
      } catch {
        return { ok: false, reason: 'malformed_body', detail: 'not JSON' };
      }
      if (payload.topic === 'boom') throw new Error('verifier bug');
      if (payload.topic !== 'orders')
        return { ok: false, reason: 'unknown_topic', detail: String(payload.topic) };
      const event: MlhEvent<'order.created'> = {
        type: 'order.created',
        marketplace,
        accountId: 'shop-1',
        resourceType: 'order',
        resourceId: String(payload.id),
        occurredAt: '2026-01-01T00:00:00.000Z',
        dedupeKey: `orders:${payload.id}`,
        topic: 'orders',
        raw: payload,
      };
      if (payload.ids) {
        const events = payload.ids.map((id) => ({ ...event, resourceId: id, dedupeKey: `orders:${id}` }));
        return { ok: true, event: events[0] ?? event, events };
      }
      return { ok: true, event };
    },
  };
}

async function signedRequest(
  path: string,
  payload: unknown,
  options: { signature?: string | null; headers?: Record<string, string> } = {},
): Promise<Request> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const signature = options.signature === undefined ? await hmacSha256Hex(SECRET, body) : options.signature;
  return new Request(`https://shop.example.com${path}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      ...(signature ? { 'x-signature': signature } : {}),
      ...options.headers,
    },
  });
}

function handlerWith(options: Partial<Parameters<typeof createWebhookHandler>[0]> = {}) {
  const handler = createWebhookHandler({ sources: [testSource('meli'), testSource('shopee')], ...options });
  const seen = {
    created: [] as MlhEvent[],
    all: [] as MlhEvent[],
    duplicates: [] as MlhEvent[],
    failures: [] as WebhookFailure[],
  };
  handler.events.on('order.created', (event) => seen.created.push(event));
  handler.events.on('event', (event) => seen.all.push(event));
  handler.events.on('duplicate', (event) => seen.duplicates.push(event));
  handler.events.on('verificationFailed', (failure) => seen.failures.push(failure));
  return { handler, seen };
}

describe('createWebhookHandler', () => {
  it('accepts a verified notification with 204 and emits it by type and as event', async () => {
    const { handler, seen } = handlerWith();
    const response = await handler.handle(
      await signedRequest('/webhooks/meli', { id: 'o-1', topic: 'orders' }),
    );
    expect(response.status).toBe(204);
    expect(seen.created.map((event) => event.resourceId)).toEqual(['o-1']);
    expect(seen.all).toHaveLength(1);
    expect(seen.created[0]?.marketplace).toBe('meli');
  });

  it('acknowledges a redelivery without emitting it again', async () => {
    const { handler, seen } = handlerWith();
    const first = await handler.handle(await signedRequest('/webhooks/meli', { id: 'o-2', topic: 'orders' }));
    const again = await handler.handle(await signedRequest('/webhooks/meli', { id: 'o-2', topic: 'orders' }));
    expect([first.status, again.status]).toEqual([204, 204]);
    expect(seen.created).toHaveLength(1);
    expect(seen.duplicates.map((event) => event.resourceId)).toEqual(['o-2']);
  });

  it('emits one event per account a delivery names, each deduplicated on its own', async () => {
    const { handler, seen } = handlerWith();
    const delivery = { ids: ['s-1', 's-2', 's-3'], topic: 'orders' };
    expect((await handler.handle(await signedRequest('/webhooks/shopee', delivery))).status).toBe(204);
    expect(seen.created.map((event) => event.resourceId)).toEqual(['s-1', 's-2', 's-3']);
    const again = { ids: ['s-3', 's-4'], topic: 'orders' };
    expect((await handler.handle(await signedRequest('/webhooks/shopee', again))).status).toBe(204);
    expect(seen.created.map((event) => event.resourceId)).toEqual(['s-1', 's-2', 's-3', 's-4']);
    expect(seen.duplicates.map((event) => event.resourceId)).toEqual(['s-3']);
  });

  it('loses no event of a several-account delivery when the dedupe store fails half-way', async () => {
    const memory = createMemoryDedupeStore();
    let failNext = false;
    const store = {
      claim: async (key: string, ttlMs: number) => {
        if (failNext && key.endsWith('m-2')) throw new Error('store down');
        return memory.claim(key, ttlMs);
      },
    };
    const { handler, seen } = handlerWith({ dedupe: store });
    const delivery = { ids: ['m-1', 'm-2', 'm-3'], topic: 'orders' };
    failNext = true;
    expect((await handler.handle(await signedRequest('/webhooks/shopee', delivery))).status).toBe(503);
    failNext = false;
    expect((await handler.handle(await signedRequest('/webhooks/shopee', delivery))).status).toBe(204);
    expect(seen.created.map((event) => event.resourceId)).toEqual(['m-1', 'm-2', 'm-3']);
    expect(seen.duplicates.map((event) => event.resourceId)).toEqual(['m-1']);
  });

  it('answers 401 to a missing or bad signature, and reports it', async () => {
    const { handler, seen } = handlerWith();
    const bad = await handler.handle(
      await signedRequest('/webhooks/meli', { id: 1, topic: 'orders' }, { signature: 'ab'.repeat(32) }),
    );
    const missing = await handler.handle(
      await signedRequest('/webhooks/meli', { id: 1, topic: 'orders' }, { signature: null }),
    );
    expect([bad.status, missing.status]).toEqual([401, 401]);
    expect(seen.failures.map((failure) => failure.reason)).toEqual(['bad_signature', 'missing_signature']);
    expect(seen.all).toHaveLength(0);
  });

  it('answers 400 to a malformed body, without a stack trace', async () => {
    const { handler } = handlerWith();
    const response = await handler.handle(await signedRequest('/webhooks/meli', '{not json'));
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: 'malformed_body' });
    expect(text).not.toMatch(/\bat\s|Error/);
  });

  it('answers 413 over the size limit, by content-length and by the bytes actually read', async () => {
    const { handler, seen } = handlerWith({ maxBodyBytes: 64 });
    const declared = await handler.handle(
      new Request('https://shop.example.com/webhooks/meli', {
        method: 'POST',
        body: 'x',
        headers: { 'content-length': '100000' },
      }),
    );
    const chunk = new TextEncoder().encode('y'.repeat(40));
    const streamed = await handler.handle(
      new Request('https://shop.example.com/webhooks/meli', {
        method: 'POST',
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(chunk);
            controller.enqueue(chunk);
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit),
    );
    expect([declared.status, streamed.status]).toEqual([413, 413]);
    expect(seen.failures.map((failure) => failure.reason)).toEqual(['body_too_large', 'body_too_large']);
  });

  it('answers 404 to an unknown marketplace and 405 to anything but POST', async () => {
    const { handler } = handlerWith();
    expect(
      (await handler.handle(await signedRequest('/webhooks/amazon', { id: 1, topic: 'orders' }))).status,
    ).toBe(404);
    expect((await handler.handle(new Request('https://shop.example.com/webhooks/meli'))).status).toBe(405);
  });

  it('routes by query parameter, header, last path segment, or a custom route', async () => {
    const { handler, seen } = handlerWith();
    await handler.handle(await signedRequest('/hooks?marketplace=shopee', { id: 'q', topic: 'orders' }));
    await handler.handle(
      await signedRequest(
        '/hooks',
        { id: 'h', topic: 'orders' },
        { headers: { 'x-mlh-marketplace': 'shopee' } },
      ),
    );
    await handler.handle(await signedRequest('/hooks/shopee', { id: 'p', topic: 'orders' }));
    expect(seen.all.map((event) => `${event.marketplace}:${event.resourceId}`)).toEqual([
      'shopee:q',
      'shopee:h',
      'shopee:p',
    ]);

    const custom = createWebhookHandler({
      sources: { 'mercado-livre': testSource('meli') },
      route: () => 'mercado-livre',
    });
    expect((await custom.handle(await signedRequest('/anything', { id: 1, topic: 'orders' }))).status).toBe(
      204,
    );
  });

  it("answers with the source's acknowledgement", async () => {
    const handler = createWebhookHandler({
      sources: [testSource('tiktok', { acknowledge: () => new Response('success', { status: 200 }) })],
    });
    const response = await handler.handle(await signedRequest('/webhooks', { id: 1, topic: 'orders' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('success');
  });

  it('acknowledges an unknown topic (so it is not redelivered) and reports it', async () => {
    const { handler, seen } = handlerWith();
    const response = await handler.handle(
      await signedRequest('/webhooks/meli', { id: 1, topic: 'questions' }),
    );
    expect(response.status).toBe(204);
    expect(seen.failures).toMatchObject([{ reason: 'unknown_topic', marketplace: 'meli', status: 204 }]);
    expect(seen.all).toHaveLength(0);
  });

  it('keeps the response when listeners throw or reject, and still runs the other listeners', async () => {
    const errors: string[] = [];
    const { handler, seen } = handlerWith({
      logger: {
        debug() {},
        info() {},
        warn() {},
        error: (_message, fields) => errors.push(String(fields?.error)),
      },
    });
    handler.events.on('order.created', () => {
      throw new Error('listener bug');
    });
    handler.events.on('order.created', async () => {
      throw new Error('async listener bug');
    });
    const response = await handler.handle(
      await signedRequest('/webhooks/meli', { id: 'o-9', topic: 'orders' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(response.status).toBe(204);
    expect(seen.all).toHaveLength(1);
    expect(errors).toEqual(['listener bug', 'async listener bug']);
  });

  it('answers 500 without details when a verifier throws, and 503 when the dedupe store fails', async () => {
    const { handler } = handlerWith();
    const crashed = await handler.handle(await signedRequest('/webhooks/meli', { id: 1, topic: 'boom' }));
    expect(crashed.status).toBe(500);
    expect(await crashed.text()).not.toContain('verifier bug');

    const broken = createWebhookHandler({
      sources: [testSource('meli')],
      dedupe: {
        claim: async () => {
          throw new Error('redis down');
        },
      },
    });
    const unavailable = await broken.handle(
      await signedRequest('/webhooks/meli', { id: 1, topic: 'orders' }),
    );
    expect(unavailable.status).toBe(503);
  });

  it('answers 503 when a dedupe store throws instead of rejecting, and emits nothing', async () => {
    const { handler, seen } = handlerWith({
      dedupe: {
        claim: () => {
          throw new Error('store misconfigured');
        },
      },
    });
    const response = await handler.handle(
      await signedRequest('/webhooks/meli', { id: 'o-9', topic: 'orders' }),
    );
    expect(response.status).toBe(503);
    expect(seen.all).toHaveLength(0);
  });

  it('emits each of many deliveries handled at once exactly once, however often each arrives', async () => {
    const { handler, seen } = handlerWith();
    const ids = Array.from({ length: 64 }, (_, index) => `c-${index}`);
    const requests = await Promise.all(
      [...ids, ...ids, ...ids].map((id) => signedRequest('/webhooks/meli', { id, topic: 'orders' })),
    );
    const responses = await Promise.all(requests.map((request) => handler.handle(request)));
    expect(responses.every((response) => response.status === 204)).toBe(true);
    expect(seen.all.map((event) => event.resourceId).sort()).toEqual([...ids].sort());
    expect(seen.duplicates).toHaveLength(128);
  });

  it('emits a redelivery again once its dedupe key has expired from the memory store', async () => {
    const clock = createManualClock();
    const { handler, seen } = handlerWith({ dedupe: createMemoryDedupeStore({ clock }), dedupeTtlMs: 1_000 });
    const deliver = async () =>
      (await handler.handle(await signedRequest('/webhooks/meli', { id: 'o-10', topic: 'orders' }))).status;
    expect([await deliver(), await deliver()]).toEqual([204, 204]);
    await clock.advance(1_000);
    expect(await deliver()).toBe(204);
    expect(seen.all).toHaveLength(2);
    expect(seen.duplicates).toHaveLength(1);
  });

  it('hands the verifier the exact raw bytes received', async () => {
    let received: Uint8Array | string | undefined;
    const handler = createWebhookHandler({
      sources: [
        {
          marketplace: 'meli',
          async verify(input) {
            received = input.body;
            return { ok: false, reason: 'bad_signature' };
          },
        },
      ],
    });
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x20, 0x22, 0xc3, 0xa7, 0x22, 0x7d, 0x0a]);
    await handler.handle(new Request('https://x.example.com/hook', { method: 'POST', body: bytes }));
    expect(received).toEqual(bytes);
  });
});

describe('toNodeListener', () => {
  let server: Server;
  let origin: string;
  const handler = createWebhookHandler({ sources: [testSource('meli')], maxBodyBytes: 1_000 });
  const urls: string[] = [];
  handler.events.on('event', (event) => urls.push(String((event.raw as { id: string }).id)));

  beforeAll(async () => {
    server = createServer(toNodeListener(handler, { publicOrigin: 'https://shop.example.com' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the handler over node:http with the same status codes', async () => {
    const body = JSON.stringify({ id: 'n-1', topic: 'orders' });
    const signature = await hmacSha256Hex(SECRET, body);
    const accepted = await fetch(`${origin}/webhooks/meli`, {
      method: 'POST',
      body,
      headers: { 'x-signature': signature },
    });
    const refused = await fetch(`${origin}/webhooks/meli`, {
      method: 'POST',
      body,
      headers: { 'x-signature': 'bad' },
    });
    const tooLarge = await fetch(`${origin}/webhooks/meli`, { method: 'POST', body: 'z'.repeat(5_000) });
    expect([accepted.status, refused.status, tooLarge.status]).toEqual([204, 401, 413]);
    expect(await refused.json()).toEqual({ error: 'bad_signature' });
    expect(urls).toEqual(['n-1']);
  });
});

describe('toNodeListener with a stream of events', () => {
  it('sends each chunk as it comes and cancels the stream when the client leaves', async () => {
    let push: ((text: string) => void) | undefined;
    let cancelled!: () => void;
    const cancel = new Promise<void>((resolve) => {
      cancelled = resolve;
    });
    let aborted: Promise<void> | undefined;
    const listener = toNodeListener({
      maxBodyBytes: 1_000,
      handle: async (request) => {
        aborted = new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve()));
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            push = (text) => controller.enqueue(encoder.encode(text));
            push('data: 1\n\n');
          },
          cancel: () => cancelled(),
        });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      },
    });
    const streaming = createServer(listener);
    await new Promise<void>((resolve) => streaming.listen(0, '127.0.0.1', resolve));
    try {
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${(streaming.address() as AddressInfo).port}/events`, {
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      // The stream never ends, so each chunk arriving proves it was not buffered to the end.
      expect(decoder.decode((await reader.read()).value)).toBe('data: 1\n\n');
      push!('data: 2\n\n');
      expect(decoder.decode((await reader.read()).value)).toBe('data: 2\n\n');
      controller.abort();
      await cancel;
      await aborted;
    } finally {
      streaming.closeAllConnections();
      await new Promise<void>((resolve) => streaming.close(() => resolve()));
    }
  });
});

describe('toNodeListener with several cookies', () => {
  it('sends each Set-Cookie header on its own, never joined into one', async () => {
    const listener = toNodeListener({
      maxBodyBytes: 1_000,
      handle: async () => {
        const headers = new Headers({ 'content-type': 'text/plain' });
        headers.append('set-cookie', 'session=abc; HttpOnly; Path=/');
        headers.append('set-cookie', 'notice=saved; Path=/; Expires=Thu, 01 Jan 2037 00:00:00 GMT');
        return new Response('ok', { headers });
      },
    });
    const server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(response.headers.getSetCookie()).toEqual([
        'session=abc; HttpOnly; Path=/',
        'notice=saved; Path=/; Expires=Thu, 01 Jan 2037 00:00:00 GMT',
      ]);
      expect(await response.text()).toBe('ok');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
