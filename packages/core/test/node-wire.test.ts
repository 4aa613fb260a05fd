import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { urlToHttpOptions } from 'node:url';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import {
  createTransport,
  NetworkError,
  ResponseTooLargeError,
  TimeoutError,
  type Transport,
  type TransportOptions,
} from '@mlh/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestOptionsOf } from '../src/transport/node-wire';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

interface Local {
  origin: string;
  /** Requests the server saw: method, path, headers and body. */
  seen: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  /** Connections the server accepted. */
  connections(): number;
  server: Server;
}

const servers: Server[] = [];

async function serve(handler: Handler): Promise<Local> {
  const seen: Local['seen'] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      handler(request, body, response);
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, seen, connections: () => connections, server };
}

function transportTo(local: Local, overrides: Partial<TransportOptions> = {}): Transport {
  return createTransport({
    marketplace: 'meli',
    baseUrl: local.origin,
    mapError: () => undefined,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
}

function jsonAnswer(response: ServerResponse, value: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(200, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(value));
}

/**
 * Answers the first request of each connection and drops any later one unanswered: what a client
 * sees when the server closed its idle kept-alive connection as the next request went out.
 */
function closingKeptAliveConnections(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Handler {
  const served = new WeakSet<object>();
  return (request, _body, response) => {
    if (served.has(request.socket)) request.socket.destroy();
    else {
      served.add(request.socket);
      answer(request, response);
    }
  };
}

afterEach(async () => {
  vi.unstubAllGlobals();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

describe('the transport on Node without a fetch option', () => {
  it('sends on node:http while the global fetch is the runtime’s own', async () => {
    const local = await serve((_request, _body, response) => jsonAnswer(response, { ok: true }));
    const { data } = await transportTo(local).request({ method: 'GET', path: '/thing' });
    expect(data).toEqual({ ok: true });
    // Node's own client: no `sec-fetch-mode` header, which fetch always sends.
    expect(local.seen[0]?.headers['sec-fetch-mode']).toBeUndefined();
  });

  it('keeps to fetch when it is passed as the fetch option', async () => {
    const local = await serve((_request, _body, response) => jsonAnswer(response, { ok: true }));
    await transportTo(local, { fetch: globalThis.fetch }).request({ method: 'GET', path: '/thing' });
    expect(local.seen[0]?.headers['sec-fetch-mode']).toBe('cors');
  });

  it('goes back to the global fetch once something replaced it (msw, a test double)', async () => {
    const local = await serve((_request, _body, response) => jsonAnswer(response, { from: 'server' }));
    const replaced = vi.fn(async () => Response.json({ from: 'replaced fetch' }));
    vi.stubGlobal('fetch', replaced);
    const { data } = await transportTo(local).request({ method: 'GET', path: '/thing' });
    expect(data).toEqual({ from: 'replaced fetch' });
    expect(replaced).toHaveBeenCalledTimes(1);
    expect(local.seen).toHaveLength(0);
  });

  it('goes through fetch when the app gave undici a dispatcher of its own (a proxy, a mock)', async () => {
    const local = await serve((_request, _body, response) => jsonAnswer(response, { ok: true }));
    const key = Symbol.for('undici.globalDispatcher.1');
    const global = globalThis as Record<symbol, unknown>;
    const before = global[key];
    class ProxyAgent {
      dispatch(): boolean {
        throw new Error('sent through the app’s proxy');
      }
    }
    global[key] = new ProxyAgent();
    try {
      const error = await transportTo(local, { retry: false })
        .request({ method: 'GET', path: '/thing' })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).message).toContain('sent through the app’s proxy');
      expect(local.seen).toHaveLength(0);
    } finally {
      global[key] = before;
    }
  });

  it('reads status, headers and the JSON body, keeping one connection across calls', async () => {
    const local = await serve((request, _body, response) =>
      jsonAnswer(
        response,
        { path: request.url, big: 12345678901234567890n.toString() },
        { 'x-request-id': 'r-1' },
      ),
    );
    const transport = transportTo(local);
    for (let call = 0; call < 3; call++) {
      const answer = await transport.request<{ path: string }>({
        method: 'GET',
        path: '/items',
        query: { id: 'MLB1' },
      });
      expect(answer.status).toBe(200);
      expect(answer.requestId).toBe('r-1');
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(answer.data.path).toBe('/items?id=MLB1');
    }
    expect(local.connections()).toBe(1);
    expect(local.seen[0]?.headers.accept).toBe('application/json');
    expect(local.seen[0]?.headers['accept-encoding']).toBe('gzip, deflate');
  });

  it('sends the path and query byte for byte, with the host and port in the Host header', async () => {
    const local = await serve((request, _body, response) =>
      jsonAnswer(response, { host: request.headers.host }),
    );
    const answer = await transportTo(local).request<{ host: string }>({
      method: 'GET',
      path: '/api/v2/order/get_order_detail',
      query: { order_sn_list: '2601A,2601B', note: 'açaí & pão', empty: '' },
    });
    expect(local.seen[0]?.path).toBe(
      '/api/v2/order/get_order_detail?order_sn_list=2601A%2C2601B&note=a%C3%A7a%C3%AD+%26+p%C3%A3o&empty=',
    );
    expect(answer.data.host).toBe(new URL(local.origin).host);
  });

  it('addresses a request as http.request would address its URL', () => {
    for (const address of [
      'http://127.0.0.1:8080/items?id=MLB1&sign=ab%2Fcd',
      'https://partner.shopeemobile.com/api/v2/shop/get_profile',
      'http://[::1]:3000/a/b?c=d',
      'https://user:p%40ss@api.example.com:8443/x',
      'https://api.example.com/%E2%9C%93?q=a+b',
    ]) {
      const url = new URL(address);
      const expected = urlToHttpOptions(url);
      expect(requestOptionsOf(url), address).toEqual({
        protocol: expected.protocol,
        hostname: expected.hostname,
        path: expected.path,
        ...(expected.port === undefined ? {} : { port: expected.port }),
        ...(expected.auth === undefined ? {} : { auth: expected.auth }),
      });
    }
  });

  it('sends a JSON body once with its length and content type', async () => {
    const local = await serve((_request, body, response) =>
      jsonAnswer(response, { echoed: JSON.parse(body) }),
    );
    const { data } = await transportTo(local).request<{ echoed: unknown }>({
      method: 'POST',
      path: '/orders',
      body: { json: { title: 'Caneca ☕', quantity: 2 } },
    });
    expect(data.echoed).toEqual({ title: 'Caneca ☕', quantity: 2 });
    const [request] = local.seen;
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['content-length']).toBe(String(Buffer.byteLength(request?.body ?? '')));
    expect(request?.headers['transfer-encoding']).toBeUndefined();
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('decodes a %s body', async (encoding, compress) => {
    const local = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      response.end(compress(Buffer.from(JSON.stringify({ title: 'Camiseta verde' }))));
    });
    const { data } = await transportTo(local).request({ method: 'GET', path: '/items/1' });
    expect(data).toEqual({ title: 'Camiseta verde' });
  });

  it('refuses a body over the limit by its declared length, and by its bytes when none is declared', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(4096) });
    const local = await serve((request, _body, response) => {
      if (request.url === '/declared') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(big.length) });
        response.end(big);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(big.slice(0, 2048));
      setTimeout(() => response.end(big.slice(2048)), 5);
    });
    const transport = transportTo(local, { maxResponseBytes: 1024 });
    for (const path of ['/declared', '/chunked']) {
      const error = await transport.request({ method: 'GET', path }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect((error as ResponseTooLargeError).message).toContain(`${local.origin}${path}`);
    }
  });

  it('counts the limit on the decoded body, as fetch does', async () => {
    const local = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(Buffer.from(JSON.stringify({ blob: 'x'.repeat(100_000) }))));
    });
    const error = await transportTo(local, { maxResponseBytes: 10_000 })
      .request({ method: 'GET', path: '/zipped' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it('follows redirects, turning a POST into a GET on 303 and keeping it on 307', async () => {
    const local = await serve((request, _body, response) => {
      if (request.url === '/see-other') response.writeHead(303, { location: '/landing' }).end();
      else if (request.url === '/temporary') response.writeHead(307, { location: '/landing' }).end();
      else jsonAnswer(response, { method: request.method });
    });
    const transport = transportTo(local);
    const seeOther = await transport.request({
      method: 'POST',
      path: '/see-other',
      body: { json: { a: 1 } },
    });
    expect(seeOther.data).toEqual({ method: 'GET' });
    const temporary = await transport.request({
      method: 'POST',
      path: '/temporary',
      body: { json: { a: 1 } },
    });
    expect(temporary.data).toEqual({ method: 'POST' });
    expect(local.seen.map((request) => [request.method, request.path, request.body])).toEqual([
      ['POST', '/see-other', '{"a":1}'],
      ['GET', '/landing', ''],
      ['POST', '/temporary', '{"a":1}'],
      ['POST', '/landing', '{"a":1}'],
    ]);
  });

  it('drops the authorization header on a redirect to another origin', async () => {
    const other = await serve((request, _body, response) =>
      jsonAnswer(response, { authorization: request.headers.authorization ?? null }),
    );
    const local = await serve((_request, _body, response) =>
      response.writeHead(302, { location: `${other.origin}/elsewhere` }).end(),
    );
    const { data } = await transportTo(local, { headers: { authorization: 'Bearer secret-token' } }).request({
      method: 'GET',
      path: '/moved',
    });
    expect(data).toEqual({ authorization: null });
  });

  it('gives up after 20 redirects with a network error', async () => {
    const local = await serve((request, _body, response) =>
      response.writeHead(302, { location: `${request.url}x` }).end(),
    );
    const error = await transportTo(local, { retry: false })
      .request({ method: 'GET', path: '/loop' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect(local.seen).toHaveLength(21);
  });

  /** A server that runs `handler` and records when the client's connection closes. */
  async function serveWatchingClose(handler: Handler = () => {}) {
    const watched = { closed: false };
    const local = await serve((request, body, response) => {
      request.socket.on('close', () => {
        watched.closed = true;
      });
      handler(request, body, response);
    });
    return { local, watched };
  }

  /** A GET to a server running `handler` times out after `timeoutMs`, and its connection is closed. */
  async function expectTimeoutClosing(handler: Handler | undefined, path: string, timeoutMs: number) {
    const { local, watched } = await serveWatchingClose(handler);
    const error = await transportTo(local, { retry: false, timeoutMs })
      .request({ method: 'GET', path })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    await vi.waitFor(() => expect(watched.closed).toBe(true));
  }

  it('times out a server that never answers, and aborts the request', async () => {
    await expectTimeoutClosing(undefined, '/slow', 50);
  });

  it('stops at the caller’s abort with the caller’s reason, and closes the connection', async () => {
    const { local, watched } = await serveWatchingClose();
    const controller = new AbortController();
    const pending = transportTo(local).request({ method: 'GET', path: '/slow', signal: controller.signal });
    await vi.waitFor(() => expect(local.seen).toHaveLength(1));
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
    await vi.waitFor(() => expect(watched.closed).toBe(true));
  });

  it('times out a body that stalls half-way, and closes the connection', async () => {
    const stallHalfWay: Handler = (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"partial":');
    };
    await expectTimeoutClosing(stallHalfWay, '/stalls', 80);
  });

  it('fails with a network error when the server cuts the body short', async () => {
    const local = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"partial":');
      setTimeout(() => response.socket?.destroy(), 5);
    });
    const error = await transportTo(local, { retry: false })
      .request({ method: 'GET', path: '/cut' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it('resends a GET at once on a new connection when the pooled one turns out closed', async () => {
    const local = await serve(
      closingKeptAliveConnections((request, response) => jsonAnswer(response, { path: request.url })),
    );
    const transport = transportTo(local, { retry: false });
    await transport.request({ method: 'GET', path: '/first' });
    const { data } = await transport.request({ method: 'GET', path: '/second' });
    expect(data).toEqual({ path: '/second' });
    expect(local.connections()).toBe(2);
  });

  it('never resends a write on its own: its outcome is unknown', async () => {
    const local = await serve(
      closingKeptAliveConnections((_request, response) => jsonAnswer(response, { ok: true })),
    );
    const transport = transportTo(local);
    await transport.request({ method: 'GET', path: '/first' });
    const error = await transport
      .request({ method: 'POST', path: '/orders', body: { json: { sku: 'A' } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect(local.seen.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('returns the bytes of a file and the text of an error envelope sent in its place', async () => {
    const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
    const local = await serve((request, _body, response) => {
      if (request.url === '/label.pdf') {
        response.writeHead(200, { 'content-type': 'application/pdf' });
        response.end(image);
      } else jsonAnswer(response, { error: 'not_ready' });
    });
    const transport = transportTo(local);
    const file = await transport.request({ method: 'GET', path: '/label.pdf', responseType: 'bytes' });
    expect([...(file.bytes ?? [])]).toEqual([...image]);
    expect(file.text).toBe('');
    const envelope = await transport.request({ method: 'GET', path: '/label.json', responseType: 'bytes' });
    expect(envelope.text).toBe('{"error":"not_ready"}');
  });

  it('reads a body whole whether it comes in one chunk, in several or empty', async () => {
    const text = JSON.stringify({ order: 'x'.repeat(4000), lines: [1, 2, 3] });
    const local = await serve((request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      if (request.url === '/one') response.end(text);
      else if (request.url === '/empty') response.end();
      else {
        // Three writes apart in time, so the client reads three chunks.
        response.write(text.slice(0, 1000));
        setTimeout(() => response.write(text.slice(1000, 2500)), 5);
        setTimeout(() => response.end(text.slice(2500)), 10);
      }
    });
    const transport = transportTo(local);
    for (const path of ['/one', '/several', '/one']) {
      const answer = await transport.request<unknown>({ method: 'GET', path });
      expect(answer.text).toBe(text);
      expect(answer.data).toEqual(JSON.parse(text));
    }
    const empty = await transport.request<unknown>({ method: 'GET', path: '/empty', responseType: 'bytes' });
    expect(empty.bytes?.byteLength).toBe(0);
  });

  it('drops a UTF-8 byte-order mark, as Response.text() does', async () => {
    const local = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":true}')]));
    });
    const { data } = await transportTo(local).request({ method: 'GET', path: '/bom' });
    expect(data).toEqual({ ok: true });
  });

  it('sends a multipart body through fetch, which encodes it', async () => {
    const local = await serve((request, body, response) =>
      jsonAnswer(response, { type: request.headers['content-type'], hasFile: body.includes('caneca.jpg') }),
    );
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' }), 'caneca.jpg');
    const { data } = await transportTo(local).request<{ type: string; hasFile: boolean }>({
      method: 'POST',
      path: '/upload',
      body: { multipart: form },
    });
    expect(data.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(data.hasFile).toBe(true);
  });
});
