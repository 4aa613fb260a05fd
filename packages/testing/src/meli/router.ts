import type { HttpHandler } from 'msw';
import { http } from 'msw/core/http';
import { bearerToken, type CallCounter, type FaultInjector, json, type RateLimitGate } from '../shared/index';
import type { AccessTokenRecord, MeliContext } from './context';
import { meliError } from './errors';
import { MELI_API_BASE } from './sites';
import type { MeliUser } from './types';

/** What a route handler receives. */
export interface RouteInput {
  request: Request;
  url: URL;
  query: URLSearchParams;
  params: Record<string, string>;
}

/** A route input whose access token has been checked. */
export interface AuthedInput extends RouteInput {
  token: AccessTokenRecord;
  user: MeliUser;
}

type Method = 'get' | 'post' | 'put' | 'delete';

/** One API route: matched inside a single msw handler, because msw's cost grows with each handler. */
export interface MeliRoute {
  method: string;
  label: string;
  pattern: RegExp;
  keys: string[];
  open: boolean;
  handle: (input: RouteInput) => Response | Promise<Response>;
}

export interface MeliRouter {
  /** An authenticated API route on api.mercadolibre.com. */
  api(method: Method, path: string, handle: (input: AuthedInput) => Response | Promise<Response>): MeliRoute;
  /** An API route that checks no token (the OAuth token endpoint). */
  open(method: Method, path: string, handle: (input: RouteInput) => Response | Promise<Response>): MeliRoute;
  /** A GET page on other hosts (the authorization pages), with the same counting and faults. */
  page(url: RegExp, label: string, handle: (input: RouteInput) => Response | Promise<Response>): HttpHandler;
  /** The msw handler serving every API route, with a 404 in the API's shape for any other path. */
  serve(routes: readonly MeliRoute[]): HttpHandler;
}

function compile(path: string): { pattern: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      keys.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), keys };
}

export function createRouter(
  context: MeliContext,
  faults: FaultInjector,
  gate: RateLimitGate,
  counter: CallCounter,
  appGate?: RateLimitGate,
): MeliRouter {
  function tooManyRequests(limit: RateLimitGate, key: string, error: string): Response {
    const headers: Record<string, string> = {};
    if (context.behaviour.retryAfterHeader) {
      headers['retry-after'] = String(Math.max(1, Math.ceil(limit.retryAfterMs(key) / 1000)));
    }
    return json({ message: 'Too Many Requests', error, status: 429, cause: [] }, { status: 429, headers });
  }

  function authenticate(input: RouteInput): AuthedInput | Response {
    const presented = bearerToken(input.request);
    if (presented === undefined) {
      return meliError(401, 'unauthorized_request_error', 'authorization value not present');
    }
    const token = context.state.accessTokens.get(presented);
    const user = token === undefined ? undefined : context.state.users.get(token.userId);
    if (
      token === undefined ||
      user === undefined ||
      token.revoked ||
      token.expiresAt <= context.clock.now()
    ) {
      return meliError(401, 'unauthorized_request_error', 'invalid access token');
    }
    return { ...input, token, user };
  }

  // The limit is per seller (the token's owner); the token endpoint has one bucket of its own.
  function rateKey(request: Request, open: boolean): string {
    if (open) return 'oauth';
    const presented = bearerToken(request);
    const token = presented === undefined ? undefined : context.state.accessTokens.get(presented);
    return token === undefined ? 'anonymous' : `user:${token.userId}`;
  }

  // The app's bucket, shared by every seller's token the app holds (undefined: not limited per app).
  function appRateKey(request: Request, open: boolean): string | undefined {
    if (open) return undefined;
    const presented = bearerToken(request);
    const token = presented === undefined ? undefined : context.state.accessTokens.get(presented);
    return token === undefined ? undefined : `app:${token.appId}`;
  }

  function route(method: Method, path: string, open: boolean, handle: MeliRoute['handle']): MeliRoute {
    const { pattern, keys } = compile(path);
    return {
      method: method.toUpperCase(),
      label: `${method.toUpperCase()} ${path}`,
      pattern,
      keys,
      open,
      handle,
    };
  }

  return {
    api(method, path, handle) {
      return route(method, path, false, (input) => {
        const authed = authenticate(input);
        return authed instanceof Response ? authed : handle(authed);
      });
    },
    open(method, path, handle) {
      return route(method, path, true, handle);
    },
    page(url, label, handle) {
      return http.get(url, ({ request }) => {
        counter.count(label);
        return faults.run(request, async () => {
          const parsed = new URL(request.url);
          return handle({ request, url: parsed, query: parsed.searchParams, params: {} });
        });
      });
    },
    serve(routes) {
      return http.all(`${MELI_API_BASE}/*`, ({ request }) => {
        const url = new URL(request.url);
        const method = request.method.toUpperCase();
        let matched: MeliRoute | undefined;
        let params: Record<string, string> = {};
        for (const candidate of routes) {
          if (candidate.method !== method) continue;
          const match = candidate.pattern.exec(url.pathname);
          if (match === null) continue;
          matched = candidate;
          params = Object.fromEntries(
            candidate.keys.map((key, index) => [key, decodeURIComponent(match[index + 1] ?? '')]),
          );
          break;
        }
        counter.count(matched?.label ?? 'unmatched');
        return faults.run(request, async () => {
          const open = matched?.open ?? false;
          const key = rateKey(request, open);
          if (!gate.take(key))
            return tooManyRequests(gate, key, open ? 'local_rate_limited' : 'too_many_requests');
          const appKey = appRateKey(request, open);
          if (appGate && appKey !== undefined && !appGate.take(appKey)) {
            return tooManyRequests(appGate, appKey, 'too_many_requests');
          }
          if (matched === undefined)
            return meliError(404, 'not_found', `Resource ${url.pathname} not found.`);
          return matched.handle({ request, url, query: url.searchParams, params });
        });
      });
    },
  };
}
