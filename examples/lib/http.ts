import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server an example started. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `listener` on 127.0.0.1 (`port` 0 picks a free one). */
export async function listen(listener: RequestListener, port = 0): Promise<LocalServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Plays the seller's browser in sandbox runs: opens `url` and follows redirects (the
 * marketplace's consent page, then the app's callback), like a click on "Authorize" would.
 * Returns the last response's text.
 */
export async function followAsBrowser(url: string, maxRedirects = 5): Promise<string> {
  let next = url;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const response = await fetch(next, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      const text = await response.text();
      if (!response.ok) throw new Error(`${new URL(next).host} answered ${response.status}: ${text}`);
      return text;
    }
    await response.body?.cancel();
    next = new URL(location, next).toString();
  }
  throw new Error(`More than ${maxRedirects} redirects from ${url}`);
}
