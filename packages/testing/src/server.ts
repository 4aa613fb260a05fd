/// <reference types="node" />
/**
 * The sandboxes as a real HTTP server, for examples, benchmarks and clients in other languages:
 * {@link startSandboxServer}. Node only (it listens with `node:http`); the sandboxes themselves
 * are in `@mlh/testing`.
 *
 * @module @mlh/testing/server
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

/** Options of {@link startSandboxServer}. */
export interface SandboxServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default: `127.0.0.1`. */
  host?: string;
  /**
   * Marketplace host used when a request names none (no `x-mlh-sandbox-host` header and no host as the
   * first path segment), so a client can use the server URL as its base URL, e.g. `api.mercadolibre.com`.
   */
  defaultHost?: string;
}

/** A running sandbox server. */
export interface SandboxServer {
  /** Base URL, e.g. `http://127.0.0.1:53124`. */
  url: string;
  port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Header naming the marketplace host a request is meant for. */
export const SANDBOX_HOST_HEADER = 'x-mlh-sandbox-host';

/**
 * Serves sandbox handlers over real HTTP on localhost, for examples, benchmarks and clients in
 * other languages. Node only (import from `@mlh/testing/server`).
 *
 * Routing: a request is answered as if it had been sent to `https://<host>/<path>`, where `<host>` is
 * - the `x-mlh-sandbox-host` header (`curl -H 'x-mlh-sandbox-host: api.mercadolibre.com' $URL/users/me`), or
 * - the first path segment when it contains a dot (`$URL/api.mercadolibre.com/users/me`), or
 * - `options.defaultHost`.
 * Anything else, or a request no handler answers, gets a 404 JSON body. A sandbox's network faults
 * (`drop`, `lostResponse`) close the connection without an answer.
 *
 * @example
 * const meli = createMeliSandbox();
 * const server = await startSandboxServer(meli.handlers, { port: 4010, defaultHost: 'api.mercadolibre.com' });
 * await fetch(`${server.url}/users/me`, { headers: { authorization: `Bearer ${token}` } });
 * await server.close();
 */
export async function startSandboxServer(
  handlers: readonly RequestHandler[],
  options: SandboxServerOptions = {},
): Promise<SandboxServer> {
  const server = createServer((incoming, outgoing) => {
    answer(handlers, options, incoming, outgoing).catch((error: unknown) => {
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
      writeJson(outgoing, 500, {
        message: error instanceof Error ? error.message : 'sandbox server error',
        error: 'internal_error',
        status: 500,
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Works out the marketplace URL a request to the local server is meant for, or undefined. */
export function resolveSandboxUrl(
  path: string,
  headers: { get(name: string): string | null },
  defaultHost?: string,
): string | undefined {
  const named = headers.get(SANDBOX_HOST_HEADER)?.trim();
  if (named) return `https://${named}${path}`;
  const match = /^\/([^/?#]+\.[^/?#]+)(.*)$/.exec(path);
  if (match) return `https://${match[1]}${match[2] === '' ? '/' : match[2]}`;
  return defaultHost === undefined ? undefined : `https://${defaultHost}${path}`;
}

async function answer(
  handlers: readonly RequestHandler[],
  options: SandboxServerOptions,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    for (const entry of Array.isArray(value) ? value : [value]) headers.append(name, entry);
  }
  const target = resolveSandboxUrl(incoming.url ?? '/', headers, options.defaultHost);
  if (target === undefined) {
    writeJson(outgoing, 404, {
      message: `No marketplace host: send the '${SANDBOX_HOST_HEADER}' header or put the host first in the path`,
      error: 'not_found',
      status: 404,
    });
    return;
  }
  headers.delete(SANDBOX_HOST_HEADER);
  const method = (incoming.method ?? 'GET').toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(incoming);
  const request = new Request(target, {
    method,
    headers,
    ...(body === undefined || body.length === 0 ? {} : { body }),
  });
  const response = await getResponse([...handlers], request);
  if (response === undefined) {
    writeJson(outgoing, 404, {
      message: `No sandbox handler for ${method} ${target}`,
      error: 'not_found',
      status: 404,
    });
    return;
  }
  if (response.type === 'error') {
    incoming.socket.destroy();
    return;
  }
  const payload = new Uint8Array(await response.arrayBuffer());
  const responseHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'content-length' || name === 'transfer-encoding') return;
    const previous = responseHeaders[name];
    responseHeaders[name] =
      previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  });
  responseHeaders['content-length'] = String(payload.byteLength);
  outgoing.writeHead(response.status, response.statusText, responseHeaders);
  outgoing.end(payload);
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function readBody(incoming: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    incoming.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    incoming.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    incoming.on('error', reject);
  });
}

function writeJson(outgoing: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  outgoing.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  outgoing.end(text);
}
