/**
 * Serves a fetch handler (`(Request) => Response`, such as a Hono app) on Node's `http`, with the
 * two things an admin dashboard needs from it: streamed bodies (server-sent events) and several
 * `Set-Cookie` headers in one answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalServer } from './http';

/** The largest request body read: 1 MiB (the API refuses more than its own limit anyway). */
const MAX_BODY_BYTES = 1024 * 1024;

async function readBody(incoming: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of incoming) {
    total += (chunk as Buffer).length;
    if (total > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return total === 0 ? undefined : new Uint8Array(Buffer.concat(chunks));
}

async function answer(
  handle: (request: Request) => Response | Promise<Response>,
  origin: string,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const entry of Array.isArray(value) ? value : [value]) headers.append(name, entry);
  }
  const method = incoming.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(incoming);
  const abort = new AbortController();
  outgoing.on('close', () => abort.abort());
  const response = await handle(
    new Request(`${origin}${incoming.url ?? '/'}`, {
      method,
      headers,
      signal: abort.signal,
      ...(body === undefined ? {} : { body: body as Uint8Array<ArrayBuffer> }),
    }),
  );
  outgoing.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') outgoing.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outgoing.setHeader('set-cookie', cookies);
  if (response.body === null) {
    outgoing.end();
    return;
  }
  outgoing.flushHeaders();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      outgoing.write(value);
    }
  } catch {
    // The browser went away (an event stream closed): nothing more to send.
  } finally {
    outgoing.end();
  }
}

/** Serves `handle` on 127.0.0.1 (`port` 0 picks a free one). */
export async function serveFetch(
  handle: (request: Request) => Response | Promise<Response>,
  port = 0,
): Promise<LocalServer> {
  let origin = '';
  const server = createServer((incoming, outgoing) => {
    answer(handle, origin, incoming, outgoing).catch(() => {
      if (!outgoing.headersSent) outgoing.statusCode = 500;
      outgoing.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${actual}`;
  return {
    origin,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
