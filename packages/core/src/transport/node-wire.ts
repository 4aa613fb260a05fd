/**
 * The transport's wire on `node:http` / `node:https`, installed by the Node entry: on Node a
 * request through `http.request` on the global keep-alive agent costs about half the CPU of the
 * same request through the built-in `fetch` (undici's Request, Response and web streams), and the
 * SDK needs none of what those objects add. It keeps what the transport relied on from `fetch`:
 * compressed bodies decoded, redirects followed, the size limit, aborts.
 */
import type { IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http';
import { plainConstructor } from '../plain';
import { concatBytes } from '../webhooks/crypto';
import { globalFetchWire, responseTooLarge, type Wire, type WireAnswer, type WireRequest } from './wire';

/**
 * Node's own modules, loaded at the first request rather than at import: `node:http`,
 * `node:https` and `node:zlib` take about 12 ms to load, which every process importing the SDK
 * would otherwise pay up front.
 */
let builtins:
  | {
      http: typeof import('node:http');
      https: typeof import('node:https');
      zlib: typeof import('node:zlib');
    }
  | undefined;
function nodeModules(): NonNullable<typeof builtins> {
  builtins ??= {
    http: process.getBuiltinModule('node:http'),
    https: process.getBuiltinModule('node:https'),
    zlib: process.getBuiltinModule('node:zlib'),
  };
  return builtins;
}

/** Redirects followed before giving up, as `fetch` does. */
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Errors of a keep-alive connection the server closed while it sat idle in the pool. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** An error raised by the wire itself, named like the `fetch` errors it stands for. */
function wireError(message: string, cause?: unknown): Error {
  const error = new TypeError(message);
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false });
  return error;
}

/** Plain header record for `http.request`, with the defaults `fetch` would have added. */
function outgoingHeaders(given: Headers, url: URL, bodyLength: number | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of given) headers[name] = value;
  // `fetch` asks for compressed bodies and decodes them; so does this wire.
  headers['accept-encoding'] ??= url.protocol === 'https:' ? 'br, gzip, deflate' : 'gzip, deflate';
  headers['user-agent'] ??= 'node';
  if (bodyLength !== undefined) headers['content-length'] = String(bodyLength);
  return headers;
}

function decoded(response: IncomingMessage, contentEncoding: string | undefined): NodeJS.ReadableStream {
  const { zlib } = nodeModules();
  switch (contentEncoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return response.pipe(zlib.createGunzip());
    case 'deflate':
      return response.pipe(zlib.createInflate());
    case 'br':
      return response.pipe(zlib.createBrotliDecompress());
    default:
      return response;
  }
}

/**
 * A response head: its headers as a Fetch `Headers` (the type `TransportResponse.headers`
 * promises) and the three the wire reads itself, as `IncomingMessage#headers` gives them (the
 * first `location` and `content-length`, every `content-encoding` joined by `, `). Read from the
 * raw lines in one pass: `IncomingMessage#headers` would build a second record of them all.
 */
class Head {
  readonly headers = new Headers();
  location: string | undefined;
  contentLength: string | undefined;
  contentEncoding: string | undefined;

  constructor(raw: readonly string[]) {
    for (let index = 0; index < raw.length; index += 2) {
      const name = raw[index] as string;
      const value = raw[index + 1] as string;
      this.headers.append(name, value);
      // The length first: most lines are none of the three, and it spares lowercasing them.
      switch (name.length) {
        case 8:
          if (this.location === undefined && name.toLowerCase() === 'location') this.location = value;
          break;
        case 14:
          if (this.contentLength === undefined && name.toLowerCase() === 'content-length')
            this.contentLength = value;
          break;
        case 16:
          if (name.toLowerCase() === 'content-encoding')
            this.contentEncoding =
              this.contentEncoding === undefined ? value : `${this.contentEncoding}, ${value}`;
          break;
      }
    }
  }
}

/** Reads the (decoded) body whole, refusing it once it passes the limit. */
function readBody(
  request: WireRequest,
  response: IncomingMessage,
  head: Head,
): Promise<Uint8Array<ArrayBuffer>> {
  const { limitBytes } = request;
  const what = request.what ?? `${request.method} ${request.url.pathname}`;
  const declared = Number(head.contentLength ?? Number.NaN);
  if (request.method !== 'HEAD' && Number.isFinite(declared) && declared > limitBytes) {
    response.destroy();
    const seen = `${declared} bytes`;
    return Promise.reject(
      responseTooLarge(what, request.url, limitBytes, response.statusCode ?? 0, seen, request.marketplace),
    );
  }
  return new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
    const body = decoded(response, head.contentEncoding);
    // Most bodies come in one chunk: the list is made only for a second one.
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let total = 0;
    const fail = (error: unknown) => {
      response.destroy();
      reject(error);
    };
    body.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limitBytes) {
        const seen = `more than ${limitBytes} bytes`;
        fail(
          responseTooLarge(
            what,
            request.url,
            limitBytes,
            response.statusCode ?? 0,
            seen,
            request.marketplace,
          ),
        );
        return;
      }
      if (first === undefined) first = chunk;
      else if (chunks === undefined) chunks = [first, chunk];
      else chunks.push(chunk);
    });
    // One copy the answer owns: a socket's chunks are views into buffers Node reuses.
    body.on('end', () =>
      resolve(chunks ? concatBytes(chunks) : first ? new Uint8Array(first) : new Uint8Array(0)),
    );
    body.on('error', (error) => fail(wireError('the response body could not be read', error)));
    if (body !== response)
      response.on('error', (error) => fail(wireError('the response body could not be read', error)));
    // A connection cut before the end of the body ends neither stream with an error on every Node version.
    response.on('close', () => {
      if (!response.complete) fail(wireError('the connection closed before the response body ended'));
    });
  });
}

/**
 * One request of a call, redirects aside. A class, not a literal: it lives while its request waits
 * on the socket (see `plainConstructor` in `../plain`).
 */
class Hop {
  constructor(
    readonly method: string,
    readonly url: URL,
    readonly headers: Headers,
    readonly body: string | Uint8Array | undefined,
  ) {}
}

/** A {@link WireAnswer} as a plain object, without a literal's allocation site (see `plainConstructor`). */
const WireAnswerRecord = /* @__PURE__ */ plainConstructor(function (
  this: WireAnswer,
  status: number,
  headers: Headers,
  bytes: Uint8Array<ArrayBuffer>,
) {
  this.status = status;
  this.headers = headers;
  this.bytes = bytes;
});

/**
 * The `http.request` options that address `url`, as `urlToHttpOptions` derives them: handed over
 * as options rather than as a URL, the request skips that copy of every part of the URL and its
 * merge with the other options. The caller adds its own options to the object by assignment (a
 * spread of it into another literal takes V8's slow path and costs more than it saves).
 */
export function requestOptionsOf(url: URL): RequestOptions {
  const { hostname, port, username, password } = url;
  const options: RequestOptions = {
    protocol: url.protocol,
    hostname: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
    path: `${url.pathname}${url.search}`,
  };
  if (port !== '') options.port = Number(port);
  if (username || password) options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  return options;
}

/** Sends one hop and resolves with its response head; a stale pooled socket is replaced once. */
function exchange(request: WireRequest, hop: Hop, fresh = false): Promise<IncomingMessage> {
  const body = typeof hop.body === 'string' ? Buffer.from(hop.body) : hop.body;
  const { http, https } = nodeModules();
  const send = hop.url.protocol === 'https:' ? https.request : http.request;
  return new Promise<IncomingMessage>((resolve, reject) => {
    let cancelled = false;
    const options = requestOptionsOf(hop.url);
    options.method = hop.method;
    options.headers = outgoingHeaders(hop.headers, hop.url, body?.byteLength);
    // A connection of its own for the resend, so it cannot meet another stale one.
    if (fresh) options.agent = false;
    const outgoing = send(options);
    outgoing.on('response', resolve);
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const stale = outgoing.reusedSocket && STALE_SOCKET_CODES.has(error.code ?? '');
      if (stale && request.repeatable && !fresh && !cancelled) {
        exchange(request, hop, true).then(resolve, reject);
      } else reject(cancelled ? error : wireError('fetch failed', error));
    });
    // Tearing the request down also ends its response's body mid-read (see readBody).
    request.onCancel((reason) => {
      cancelled = true;
      outgoing.destroy(wireError('the request was cancelled', reason));
    });
    outgoing.end(body);
  });
}

/** The next hop of a redirect, as `fetch` with `redirect: 'follow'` would send it. */
function redirected(hop: Hop, status: number, location: string): Hop {
  const url = new URL(location, hop.url);
  const headers = new Headers(hop.headers);
  // Credentials stay with the origin they were given to.
  if (url.origin !== hop.url.origin) headers.delete('authorization');
  if (status === 303 ? hop.method !== 'HEAD' : (status === 301 || status === 302) && hop.method === 'POST') {
    headers.delete('content-type');
    headers.delete('content-length');
    return new Hop('GET', url, headers, undefined);
  }
  return new Hop(hop.method, url, headers, hop.body);
}

async function sendOverNodeHttp(request: WireRequest): Promise<WireAnswer> {
  let hop = new Hop(
    request.method,
    request.url,
    request.headers,
    request.body as string | Uint8Array | undefined,
  );
  for (let redirects = 0; ; redirects++) {
    const response = await exchange(request, hop);
    const status = response.statusCode ?? 0;
    const head = new Head(response.rawHeaders);
    const location = head.location;
    if (REDIRECTS.has(status) && location !== undefined) {
      response.resume();
      if (redirects >= MAX_REDIRECTS) throw wireError(`fetch failed: more than ${MAX_REDIRECTS} redirects`);
      hop = redirected(hop, status, location);
      continue;
    }
    const bytes = await readBody(request, response, head);
    return new WireAnswerRecord(status, head.headers, bytes);
  }
}

/** Where undici (Node's `fetch`) keeps the dispatcher `setGlobalDispatcher` installs. */
const UNDICI_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * True when the app routes `fetch` through a dispatcher of its own: a `ProxyAgent`, an
 * `EnvHttpProxyAgent`, a `MockAgent` in tests. undici installs a plain `Agent` by itself on first
 * use, so only another class says the app chose one (an app's own plain `Agent` passes unseen).
 */
function appDispatcher(): boolean {
  const dispatcher = (globalThis as Record<symbol, unknown>)[UNDICI_DISPATCHER];
  return typeof dispatcher === 'object' && dispatcher !== null && dispatcher.constructor.name !== 'Agent';
}

/**
 * The `node:http` wire, for a process whose global `fetch` is `nativeFetch`. A call goes through
 * the global `fetch` instead when that was replaced since (msw, a test double, an instrumentation
 * wrapper: whoever replaced it expects to see the calls), when the app gave undici a dispatcher of
 * its own (a proxy, a mock), and for a multipart body (`FormData`), which `fetch` encodes.
 */
export function nodeHttpWire(nativeFetch: typeof fetch | undefined): Wire {
  return (request) =>
    globalThis.fetch !== nativeFetch || request.body instanceof FormData || appDispatcher()
      ? globalFetchWire(request)
      : sendOverNodeHttp(request);
}
