/**
 * The auth host (`https://auth.tiktok-shops.com`): token get and refresh are plain GETs with the
 * app key and secret in the query, no signature, no timestamp (reference §4.3, §4.4).
 */
import { timingSafeEqual } from '@mlh/core';
import type { FaultInjector } from '../shared/faults';
import type { CallCounter } from '../shared/http';
import type { TikTokSandboxContext } from './context';
import { tiktokError } from './errors';
import { asApiError, envelopeResponse } from './gateway';
import type { TikTokSandboxApp } from './state';
import { exchangeAuthCode, refreshTokens, renderTokens } from './tokens';

/** Paths the auth host serves. */
export const TIKTOK_TOKEN_GET_PATH = '/api/v2/token/get';
/** Refresh lives at its own path, not at `/token/get`. */
export const TIKTOK_TOKEN_REFRESH_PATH = '/api/v2/token/refresh';

function requireParam(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '') throw tiktokError('invalidParam', `${name} is required`);
  return value;
}

function authenticateApp(context: TikTokSandboxContext, query: URLSearchParams): TikTokSandboxApp {
  const app = context.state.apps.get(requireParam(query, 'app_key'));
  if (!app) throw tiktokError('invalidParam', 'app_key is invalid');
  if (!timingSafeEqual(requireParam(query, 'app_secret'), app.appSecret)) {
    throw tiktokError('invalidParam', 'app_secret is invalid');
  }
  return app;
}

function handleTokenCall(context: TikTokSandboxContext, request: Request): Record<string, unknown> {
  const url = new URL(request.url);
  const isGet = url.pathname === TIKTOK_TOKEN_GET_PATH;
  if (!isGet && url.pathname !== TIKTOK_TOKEN_REFRESH_PATH) throw tiktokError('invalidPath');
  if (request.method.toUpperCase() !== 'GET') throw tiktokError('invalidMethod');
  const query = url.searchParams;
  const app = authenticateApp(context, query);
  const grantType = requireParam(query, 'grant_type');
  if (isGet) {
    // Note the spelling: `authorized_code`, not `authorization_code`.
    if (grantType !== 'authorized_code') throw tiktokError('invalidParam', 'grant_type is invalid');
    return renderTokens(context, exchangeAuthCode(context, app, requireParam(query, 'auth_code')));
  }
  // The official Node SDK sends `authorized_code` to refresh as well and is served (reference §4.4).
  if (grantType !== 'refresh_token' && grantType !== 'authorized_code') {
    throw tiktokError('invalidParam', 'grant_type is invalid');
  }
  return renderTokens(context, refreshTokens(context, app, requireParam(query, 'refresh_token')));
}

/** Handles one request to the auth host. */
export function createAuthHost(services: {
  context: TikTokSandboxContext;
  calls: CallCounter;
  faults: FaultInjector;
  requestId: () => string;
}): (request: Request) => Promise<Response> {
  return (request) => {
    services.calls.count(new URL(request.url).pathname);
    return services.faults.run(request, async () => {
      const requestId = services.requestId();
      try {
        return envelopeResponse(requestId, { data: handleTokenCall(services.context, request) });
      } catch (error) {
        return envelopeResponse(requestId, { error: asApiError(error) });
      }
    });
  };
}
