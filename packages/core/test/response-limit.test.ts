import {
  createManualClock,
  createTransport,
  DEFAULT_MAX_RESPONSE_BYTES,
  ResponseTooLargeError,
  readResponseBytes,
  readResponseText,
  type TransportOptions,
  ValidationError,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';
import { fakeFetch, rejectionOf, settle } from './support';

const CHUNK = 1024;

/** A body produced chunk by chunk only as it is read, remembering how much was pulled and whether it was dropped. */
function endlessBody(chunks = Number.POSITIVE_INFINITY) {
  const state = { pulledBytes: 0, cancelled: false };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= chunks) {
          controller.close();
          return;
        }
        sent += 1;
        state.pulledBytes += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

function setup(answer: Parameters<typeof fakeFetch>[0], overrides: Partial<TransportOptions> = {}) {
  const clock = createManualClock();
  const fake = fakeFetch(answer);
  const transport = createTransport({
    marketplace: 'shopee',
    baseUrl: 'https://api.example.com',
    fetch: fake.fetch,
    clock,
    random: () => 0.5,
    mapError: () => undefined,
    ...overrides,
  });
  return { transport, clock, ...fake };
}

describe('response body limit', () => {
  it('refuses a body whose Content-Length is over the limit without reading it, naming the limit and the URL', async () => {
    const body = endlessBody();
    const { transport, clock, requests } = setup(
      () => new Response(body.stream, { headers: { 'content-length': String(256 * 1024 * 1024) } }),
      { maxResponseBytes: 4 * CHUNK },
    );
    const error = await rejectionOf(
      settle(
        clock,
        transport.request({
          method: 'GET',
          path: '/api/v2/product/get_item_list',
          query: { access_token: 'secret-access-token-1234567890', sign: 'abcdef0123456789abcdef' },
        }),
      ),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    const tooLarge = error as ResponseTooLargeError;
    expect(tooLarge.kind).toBe('response_too_large');
    expect(tooLarge.limitBytes).toBe(4 * CHUNK);
    expect(tooLarge.url).toBe('https://api.example.com/api/v2/product/get_item_list');
    expect(tooLarge.message).toContain('4096 bytes');
    expect(tooLarge.message).toContain('https://api.example.com/api/v2/product/get_item_list');
    expect(JSON.stringify(tooLarge.toJSON())).not.toMatch(/secret-access-token|abcdef0123/);
    expect(tooLarge.message).not.toMatch(/secret-access-token|abcdef0123/);
    expect(tooLarge.retryable).toBe(false);
    expect(body.state.pulledBytes).toBe(0);
    expect(requests).toHaveLength(1);
  });

  it('stops reading a body without Content-Length as soon as the bytes received pass the limit', async () => {
    const body = endlessBody();
    const { transport, clock, requests } = setup(() => new Response(body.stream), {
      maxResponseBytes: 8 * CHUNK,
    });
    const error = await rejectionOf(settle(clock, transport.request({ method: 'GET', path: '/items' })));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).message).toContain('more than 8192 bytes');
    // An endless body: only the limit plus the one chunk that crossed it was ever pulled.
    expect(body.state.pulledBytes).toBeLessThanOrEqual(9 * CHUNK);
    expect(body.state.cancelled).toBe(true);
    // A GET is otherwise retried on failures; an oversized body would be oversized again.
    expect(requests).toHaveLength(1);
  });

  it('applies to error responses too', async () => {
    const body = endlessBody();
    const { transport, clock } = setup(() => new Response(body.stream, { status: 500 }), {
      maxResponseBytes: 2 * CHUNK,
    });
    const error = await rejectionOf(settle(clock, transport.request({ method: 'GET', path: '/items' })));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).status).toBe(500);
  });

  it('reads a body of exactly the limit, and a per-request limit overrides the transport one', async () => {
    const { transport, clock } = setup(() => new Response(endlessBody(4).stream), {
      maxResponseBytes: 4 * CHUNK,
    });
    const exact = await settle(clock, transport.request({ method: 'GET', path: '/a', responseType: 'text' }));
    expect(exact.text).toHaveLength(4 * CHUNK);

    const smaller = await rejectionOf(
      settle(
        clock,
        transport.request({ method: 'GET', path: '/a', responseType: 'text', maxResponseBytes: CHUNK }),
      ),
    );
    expect(smaller).toBeInstanceOf(ResponseTooLargeError);
    expect((smaller as ResponseTooLargeError).limitBytes).toBe(CHUNK);
  });

  it('is finite by default: 32 MiB', async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * 1024 * 1024);
    const { transport, clock } = setup(
      () =>
        new Response(endlessBody().stream, {
          headers: { 'content-length': String(DEFAULT_MAX_RESPONSE_BYTES + 1) },
        }),
    );
    const error = await rejectionOf(settle(clock, transport.request({ method: 'GET', path: '/items' })));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limitBytes).toBe(DEFAULT_MAX_RESPONSE_BYTES);
  });

  it('does not refuse a HEAD response for the length of a body it does not carry', async () => {
    const { transport, clock } = setup(
      () => new Response(null, { headers: { 'content-length': String(1024 * 1024 * 1024) } }),
      { maxResponseBytes: CHUNK },
    );
    const response = await settle(clock, transport.request({ method: 'HEAD', path: '/file' }));
    expect(response.status).toBe(200);
  });

  it('refuses a limit that is not a positive whole number of bytes', () => {
    for (const maxResponseBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const attempt = () => setup(() => new Response(''), { maxResponseBytes });
      expect(attempt).toThrow(ValidationError);
      expect(attempt).toThrow(/maxResponseBytes/);
    }
  });

  it('reads text whose characters are split between chunks', async () => {
    const bytes = new TextEncoder().encode('{"city":"São Paulo","note":"ção 😀"}');
    const cuts = [0, 11, 30, 32, 37, bytes.length]; // each cut inside a multi-byte character
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 1; i < cuts.length; i++) controller.enqueue(bytes.slice(cuts[i - 1], cuts[i]));
        controller.close();
      },
    });
    const text = await readResponseText(new Response(body), {
      limitBytes: 1024,
      url: 'https://api.example.com/x',
    });
    expect(JSON.parse(text)).toEqual({ city: 'São Paulo', note: 'ção 😀' });
  });

  it('applies to bytes an adapter fetches outside the transport (product images)', async () => {
    const body = endlessBody();
    const error = await rejectionOf(
      readResponseBytes(new Response(body.stream), {
        limitBytes: 3 * CHUNK,
        url: 'https://img.example.com/big.jpg?X-Amz-Signature=abcdef0123456789',
        what: 'downloading a product image',
      }),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).url).toBe('https://img.example.com/big.jpg');
    expect((error as ResponseTooLargeError).message).not.toContain('abcdef0123');
    expect(body.state.cancelled).toBe(true);
    const small = await readResponseBytes(new Response(new Uint8Array([1, 2, 3])), {
      limitBytes: 3,
      url: 'https://img.example.com/a.jpg',
    });
    expect([...small]).toEqual([1, 2, 3]);
  });
});
