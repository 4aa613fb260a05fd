import { concatBytes } from './crypto';
import type { WebhookHandler } from './handler';

/**
 * The parts of Node's `http.IncomingMessage` the adapter reads (structural, so core imports no
 * `node:` module and stays runtime-neutral).
 */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The socket; a TLS socket has `encrypted: true`. */
  socket?: unknown;
}

/** The parts of Node's `http.ServerResponse` the adapter writes. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string | readonly string[]): unknown;
  end(chunk?: Uint8Array | string): unknown;
  /** Writes a chunk of a streamed answer; false when the socket's buffer is full (wait for `drain`). */
  write?(chunk: Uint8Array): boolean;
  /** `drain` (room to write again) and `close` (finished, or the client went away). */
  once?(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /**
   * The public origin the marketplace calls, e.g. `https://shop.example.com`. Verifiers that sign
   * or check the URL need the URL as the marketplace saw it, which a server behind a proxy does
   * not see. Default: the Host header, with https when the socket is TLS.
   */
  publicOrigin?: string;
  /** Read the origin from `x-forwarded-proto` / `x-forwarded-host` (only behind a proxy you control). */
  trustProxy?: boolean;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isTlsSocket(socket: unknown): boolean {
  return (
    typeof socket === 'object' && socket !== null && (socket as { encrypted?: unknown }).encrypted === true
  );
}

function originOf(request: NodeRequestLike, options: NodeListenerOptions): string {
  if (options.publicOrigin) return options.publicOrigin.replace(/\/+$/, '');
  const forwardedProto = options.trustProxy ? firstHeader(request.headers['x-forwarded-proto']) : undefined;
  const forwardedHost = options.trustProxy ? firstHeader(request.headers['x-forwarded-host']) : undefined;
  const protocol = forwardedProto?.split(',')[0]?.trim() ?? (isTlsSocket(request.socket) ? 'https' : 'http');
  const host = forwardedHost?.split(',')[0]?.trim() ?? firstHeader(request.headers.host) ?? 'localhost';
  return `${protocol}://${host}`;
}

async function readBody(request: NodeRequestLike, limit: number): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : (chunk as Uint8Array);
    chunks.push(bytes);
    total += bytes.byteLength;
    // One byte over the limit is enough for the handler to answer 413; stop buffering there.
    if (total > limit) break;
  }
  return concatBytes(chunks);
}

/**
 * Writes a stream of events chunk by chunk as it comes (it never ends on its own), waiting for
 * `drain` when the client reads slowly, and cancels it when the client goes away. A response
 * without `write` gets it in one piece once it ends.
 */
async function streamAnswer(body: ReadableStream<Uint8Array>, response: NodeResponseLike): Promise<void> {
  const { write, once } = response;
  if (!write || !once) {
    const bytes = new Uint8Array(await new Response(body).arrayBuffer());
    response.end(bytes.byteLength > 0 ? bytes : undefined);
    return;
  }
  const reader = body.getReader();
  let gone = false;
  // One `close` listener for the whole answer, whatever the number of waits for `drain`.
  const closed = new Promise<void>((resolve) => {
    once.call(response, 'close', () => {
      gone = true;
      reader.cancel().catch(() => undefined);
      resolve();
    });
  });
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done || gone) break;
      if (!write.call(response, chunk.value)) {
        await Promise.race([new Promise<void>((resolve) => once.call(response, 'drain', resolve)), closed]);
      }
    }
  } catch {
    // The stream failed or the client left: end the answer as it is.
  }
  response.end();
}

/**
 * Adapts a webhook handler to Node's `http` (and Express, Fastify's raw mode, ...): a
 * `(req, res)` listener. Mount it **before** any body parser: verification needs the raw body.
 *
 * @example
 * import { createServer } from 'node:http';
 * createServer(toNodeListener(webhooks, { publicOrigin: 'https://shop.example.com' })).listen(3000);
 */
export function toNodeListener(
  handler: Pick<WebhookHandler, 'handle' | 'maxBodyBytes'>,
  options: NodeListenerOptions = {},
): (request: NodeRequestLike, response: NodeResponseLike) => Promise<void> {
  return async (request, response) => {
    let answer: Response;
    // The handler's request is aborted when the client goes away (a stream of events stops then).
    const clientGone = new AbortController();
    response.once?.('close', () => clientGone.abort());
    try {
      const method = (request.method ?? 'GET').toUpperCase();
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || name.startsWith(':')) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const hasBody = method !== 'GET' && method !== 'HEAD';
      const body = hasBody ? await readBody(request, handler.maxBodyBytes) : undefined;
      answer = await handler.handle(
        new Request(`${originOf(request, options)}${request.url ?? '/'}`, {
          method,
          headers,
          signal: clientGone.signal,
          ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
        }),
      );
    } catch {
      answer = new Response(JSON.stringify({ error: 'bad_request' }), {
        status: 400,
        headers: { 'content-type': 'application/json' },
      });
    }
    response.statusCode = answer.status;
    answer.headers.forEach((value, name) => {
      response.setHeader(name, value);
    });
    if (answer.body && /^text\/event-stream/i.test(answer.headers.get('content-type') ?? '')) {
      await streamAnswer(answer.body, response);
      return;
    }
    const bytes = new Uint8Array(await answer.arrayBuffer());
    response.end(bytes.byteLength > 0 ? bytes : undefined);
  };
}
