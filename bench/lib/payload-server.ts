/**
 * A child process serving recorded responses on 127.0.0.1: the "marketplace" of the per-call
 * overhead bench. It runs apart from the bench so serving costs no time on the measured thread.
 * Started by {@link startPayloadServer}; answers by method and path, ignoring the query
 * (timestamps and signatures change on every call), and never checks a signature.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded answer. */
export interface RecordedResponse {
  method: string;
  pathname: string;
  status: number;
  contentType: string;
  body: string;
}

/** A running payload server. */
export interface PayloadServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

function serve(routes: readonly RecordedResponse[]): Promise<number> {
  const byRoute = new Map(routes.map((route) => [`${route.method} ${route.pathname}`, route]));
  const server = createServer((request, response) => {
    // Drain the body (TikTok search is a POST) before answering, as a real server would.
    request.resume();
    request.on('end', () => {
      const pathname = new URL(request.url ?? '/', 'http://local').pathname;
      const route = byRoute.get(`${request.method} ${pathname}`);
      const body = route?.body ?? JSON.stringify({ error: 'not_found', message: pathname });
      response.writeHead(route?.status ?? 404, {
        'content-type': route?.contentType ?? 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-request-id': 'bench-0001',
      });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts the server in a child process with these routes. */
export function startPayloadServer(routes: readonly RecordedResponse[]): Promise<PayloadServer> {
  const child = fork(new URL(import.meta.url), ['--serve'], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message) => {
      const { port } = message as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill();
          }),
      });
    });
    child.send({ routes });
  });
}

if (process.argv.includes('--serve') && process.send) {
  process.once('message', async (message) => {
    const port = await serve((message as { routes: RecordedResponse[] }).routes);
    process.send?.({ port });
  });
  process.on('disconnect', () => process.exit(0));
}
