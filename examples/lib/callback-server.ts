import { followAsBrowser, listen } from './http';

/** A local server waiting for the marketplace to send the seller back after authorizing. */
export interface CallbackServer {
  /** The redirect URI it answers on, e.g. `http://127.0.0.1:3000/meli/callback`. */
  url: string;
  /**
   * Waits for the next request on the callback path, runs `complete` with its URL (exchange the
   * code, store the tokens), shows `message` (or the error) to the seller, and resolves with `value`.
   */
  next<T>(complete: (callbackUrl: URL) => Promise<{ value: T; message: string }>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Starts the OAuth callback server. With a real redirect URI (registered on the app), it listens
 * on that URI's path, and on its port when it is a local one (otherwise on `port`, behind your
 * tunnel); in sandbox runs it takes `path` on a free port.
 */
export async function startCallbackServer(options: {
  path: string;
  redirectUri?: string | undefined;
  port?: number | undefined;
}): Promise<CallbackServer> {
  const registered = options.redirectUri === undefined ? undefined : new URL(options.redirectUri);
  const local = registered !== undefined && ['localhost', '127.0.0.1'].includes(registered.hostname);
  const path = registered?.pathname ?? options.path;
  const port =
    local && registered?.port ? Number(registered.port) : (options.port ?? (registered ? 3000 : 0));

  let waiting: ((url: URL) => Promise<{ status: number; message: string }>) | undefined;
  const server = await listen((request, response) => {
    const url = new URL(request.url ?? '/', registered?.origin ?? 'http://127.0.0.1');
    const answer = (status: number, message: string) => {
      response.statusCode = status;
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      response.end(`${message}\n`);
    };
    if (url.pathname !== path || waiting === undefined) return answer(404, 'Not found');
    const handle = waiting;
    waiting = undefined;
    handle(url).then(({ status, message }) => answer(status, message));
  }, port);

  return {
    url: options.redirectUri ?? `${server.origin}${path}`,
    next: (complete) =>
      new Promise((resolve, reject) => {
        waiting = async (url) => {
          try {
            const { value, message } = await complete(url);
            resolve(value);
            return { status: 200, message };
          } catch (error) {
            reject(error);
            return { status: 400, message: `Authorization failed: ${(error as Error).message}` };
          }
        };
      }),
    close: () => server.close(),
  };
}

/** Options every OAuth example takes. */
export interface OAuthExampleOptions {
  /** Where credentials are read from. Default `process.env`; tests pass sandbox-only values. */
  env?: Readonly<Record<string, string | undefined>>;
  print?: (line: string) => void;
  /** Keep the tokens, encrypted with `MLH_TOKEN_KEY`, in this file (sandbox runs: memory otherwise). */
  tokenFile?: string;
  /**
   * The seller's browser, given the authorization URL. Default: with real credentials, you open
   * the URL yourself; in the sandbox, a simulated seller follows it (consent page, then callback).
   */
  browser?: (authorizationUrl: string) => Promise<unknown>;
}

/** The default browser of {@link OAuthExampleOptions.browser}. */
export function defaultBrowser(mode: 'sandbox' | 'live'): (authorizationUrl: string) => Promise<unknown> {
  return mode === 'sandbox' ? followAsBrowser : async () => undefined;
}
