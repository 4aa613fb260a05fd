import type { HttpHandler } from 'msw';
import { json, randomHex, readForm, sha256Base64Url } from '../shared/index';
import { type CodeRecord, grantKey, type MeliContext } from './context';
import { forbidden, INVALID_GRANT_DESCRIPTION, notFound, oauthError } from './errors';
import type { MeliRoute, MeliRouter } from './router';
import { MELI_SITES } from './sites';
import type { MeliApp, MeliTokenResponse } from './types';

/** Input of {@link MeliSandbox.authorize}: what the browser would send to the authorization page. */
export interface MeliAuthorizeInput {
  /** The user who consents. Default: the sandbox's authorizing user (the first seller added). */
  userId?: number;
  /** Default: the default app. */
  clientId?: number;
  /** Default: the app's first redirect URI. */
  redirectUri?: string;
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
}

/** Result of an authorization: the code and the callback URL the browser would be sent to. */
export interface MeliAuthorization {
  code: string;
  redirectUrl: string;
}

/** Why an authorization was refused (what the authorization page would show). */
export class MeliAuthorizationError extends Error {
  override readonly name = 'MeliAuthorizationError';
}

const DEFAULT_SCOPES = ['offline_access', 'read', 'write'];

export function createApp(context: MeliContext, input: Partial<MeliApp> = {}): MeliApp {
  const app: MeliApp = {
    id: input.id ?? 5_503_910_054_141_466 + context.state.apps.size,
    secret: input.secret ?? 'sandbox-secret',
    redirectUris: input.redirectUris ?? ['https://app.example.com/meli/callback'],
    pkce: input.pkce ?? false,
    scopes: input.scopes ?? [...DEFAULT_SCOPES],
    topics: input.topics ?? 'all',
    siteId: input.siteId ?? 'MLB',
  };
  context.state.apps.set(app.id, app);
  return app;
}

/** Records the user's consent and returns a single-use authorization code. */
export function authorize(
  context: MeliContext,
  defaultApp: MeliApp,
  input: MeliAuthorizeInput,
): MeliAuthorization {
  const app = input.clientId === undefined ? defaultApp : context.state.apps.get(input.clientId);
  if (app === undefined) throw new MeliAuthorizationError('Unknown client_id');
  const redirectUri = input.redirectUri ?? app.redirectUris[0];
  if (redirectUri === undefined || !app.redirectUris.includes(redirectUri)) {
    throw new MeliAuthorizationError('your client callback has to match with the redirect_uri param');
  }
  if (app.pkce && input.codeChallenge === undefined) {
    throw new MeliAuthorizationError('code_challenge is required: PKCE is enabled for this application');
  }
  const userId = input.userId ?? context.state.authorizingUserId;
  const user = userId === undefined ? undefined : context.state.users.get(userId);
  if (user === undefined)
    throw new MeliAuthorizationError('No user is logged in to authorize the application');
  const now = context.clock.now();
  const key = grantKey(user.id, app.id);
  if (!context.state.grants.has(key)) {
    context.state.grants.set(key, {
      userId: user.id,
      appId: app.id,
      createdAt: now,
      scopes: [...app.scopes],
    });
  }
  const code = `TG-${randomHex(24)}-${user.id}`;
  const record: CodeRecord = {
    code,
    appId: app.id,
    userId: user.id,
    redirectUri,
    expiresAt: now + context.limits.authorizationCodeTtlMs,
    used: false,
  };
  if (input.codeChallenge !== undefined) {
    record.challenge = input.codeChallenge;
    record.challengeMethod = input.codeChallengeMethod ?? 'plain';
  }
  context.state.codes.set(code, record);
  const callback = new URL(redirectUri);
  callback.searchParams.set('code', code);
  if (input.state !== undefined) callback.searchParams.set('state', input.state);
  return { code, redirectUrl: callback.toString() };
}

/** Grants the app (if needed) and mints tokens directly, skipping the browser. */
export function issueTokens(context: MeliContext, app: MeliApp, userId: number): MeliTokenResponse {
  if (!context.state.users.has(userId)) throw new RangeError(`No user ${userId} in the sandbox`);
  const key = grantKey(userId, app.id);
  if (!context.state.grants.has(key)) {
    context.state.grants.set(key, {
      userId,
      appId: app.id,
      createdAt: context.clock.now(),
      scopes: [...app.scopes],
    });
  }
  return mint(context, app, userId);
}

function mint(context: MeliContext, app: MeliApp, userId: number): MeliTokenResponse {
  const now = context.clock.now();
  const stamp = new Date(now);
  const pad = (value: number) => String(value).padStart(2, '0');
  const day = `${pad(stamp.getUTCMonth() + 1)}${pad(stamp.getUTCDate())}${pad(stamp.getUTCHours())}`;
  const accessToken = `APP_USR-${app.id}-${day}-${randomHex(32)}-${userId}`;
  context.state.accessTokens.set(accessToken, {
    token: accessToken,
    userId,
    appId: app.id,
    expiresAt: now + context.limits.accessTokenTtlMs,
    revoked: false,
  });
  const response: MeliTokenResponse = {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: Math.floor(context.limits.accessTokenTtlMs / 1000),
    scope: app.scopes.join(' '),
    user_id: userId,
  };
  if (app.scopes.includes('offline_access')) {
    // Only the newest refresh token of a user and app is valid: every older one stops working.
    for (const record of context.state.refreshTokens.values()) {
      if (record.userId === userId && record.appId === app.id && record.status === 'active')
        record.status = 'used';
    }
    const refreshToken = `TG-${randomHex(24)}-${userId}`;
    context.state.refreshTokens.set(refreshToken, {
      token: refreshToken,
      userId,
      appId: app.id,
      expiresAt: now + context.limits.refreshTokenTtlMs,
      status: 'active',
    });
    response.refresh_token = refreshToken;
  }
  return response;
}

/** Removes a grant: every token of that user and app stops working at once. */
export function revokeGrant(context: MeliContext, userId: number, appId: number): boolean {
  const existed = context.state.grants.delete(grantKey(userId, appId));
  revokeTokens(context, userId, appId);
  return existed;
}

/** Invalidates tokens (a password change, or a purge) without removing the grant. */
export function revokeTokens(context: MeliContext, userId: number, appId?: number): void {
  for (const record of context.state.accessTokens.values()) {
    if (record.userId === userId && (appId === undefined || record.appId === appId)) record.revoked = true;
  }
  for (const record of context.state.refreshTokens.values()) {
    if (record.userId === userId && (appId === undefined || record.appId === appId))
      record.status = 'revoked';
  }
}

export function authHandlers(
  context: MeliContext,
  router: MeliRouter,
  defaultApp: () => MeliApp,
): { routes: MeliRoute[]; pages: HttpHandler } {
  const oauth = (status: number, error: string, description: string) =>
    oauthError(context.behaviour.oauthErrorField, status, error, description);
  const invalidGrant = () => oauth(400, 'invalid_grant', INVALID_GRANT_DESCRIPTION);

  const token = router.open('post', '/oauth/token', async ({ request }) => {
    const form = await readForm(request);
    const grantType = form.get('grant_type');
    if (grantType === null || grantType === '') {
      return oauth(400, 'invalid_request', 'grant_type is a required parameter');
    }
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return oauth(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}`);
    }
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    if (clientId === null || clientSecret === null) {
      return oauth(400, 'invalid_request', 'client_id and client_secret are required parameters');
    }
    const app = /^\d+$/.test(clientId) ? context.state.apps.get(Number(clientId)) : undefined;
    if (app === undefined || app.secret !== clientSecret) {
      return oauth(400, 'invalid_client', 'invalid client_id or client_secret');
    }
    const now = context.clock.now();

    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token');
      if (presented === null || presented === '') {
        return oauth(400, 'invalid_request', 'refresh_token is a required parameter');
      }
      const record = context.state.refreshTokens.get(presented);
      if (
        record === undefined ||
        record.status !== 'active' ||
        record.appId !== app.id ||
        record.expiresAt <= now
      ) {
        return invalidGrant();
      }
      if (!context.state.grants.has(grantKey(record.userId, app.id))) return invalidGrant();
      record.status = 'used';
      return json(mint(context, app, record.userId));
    }

    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (code === null || code === '' || redirectUri === null || redirectUri === '') {
      return oauth(400, 'invalid_request', 'code and redirect_uri are required parameters');
    }
    const record = context.state.codes.get(code);
    if (
      record === undefined ||
      record.used ||
      record.expiresAt <= now ||
      record.appId !== app.id ||
      record.redirectUri !== redirectUri ||
      !context.state.grants.has(grantKey(record.userId, app.id))
    ) {
      return invalidGrant();
    }
    if (record.challenge !== undefined) {
      const verifier = form.get('code_verifier');
      if (verifier === null || verifier === '') {
        return oauth(400, 'invalid_request', 'code_verifier is a required parameter');
      }
      const expected = record.challengeMethod === 'S256' ? await sha256Base64Url(verifier) : verifier;
      if (expected !== record.challenge) return invalidGrant();
    }
    record.used = true;
    return json(mint(context, app, record.userId));
  });

  // Every site's authorization page, e.g. https://auth.mercadolivre.com.br/authorization.
  const hosts = [...new Set([...MELI_SITES.values()].map((site) => site.authHost.replace(/\./g, '\\.')))];
  const pages = router.page(
    new RegExp(`^https://(${hosts.join('|')})/authorization(\\?.*)?$`),
    'GET /authorization',
    ({ query }) => {
      if (query.get('response_type') !== 'code') return page(400, 'response_type must be "code"');
      const clientId = query.get('client_id') ?? '';
      const app = /^\d+$/.test(clientId) ? context.state.apps.get(Number(clientId)) : undefined;
      if (app === undefined) return page(400, 'Sorry, the application cannot connect to your account.');
      const method = query.get('code_challenge_method');
      try {
        const { redirectUrl } = authorize(context, defaultApp(), {
          clientId: app.id,
          redirectUri: query.get('redirect_uri') ?? '',
          ...optional('state', query.get('state')),
          ...optional('codeChallenge', query.get('code_challenge')),
          ...(method === 'S256' || method === 'plain' ? { codeChallengeMethod: method } : {}),
        });
        return new Response(null, { status: 302, headers: { location: redirectUrl } });
      } catch (error) {
        return page(400, error instanceof Error ? error.message : 'authorization failed');
      }
    },
  );

  const revoke = router.api('delete', '/users/:userId/applications/:appId', ({ params, token }) => {
    const userId = Number(params.userId);
    const appId = Number(params.appId);
    if (userId !== token.userId) return forbidden();
    if (!revokeGrant(context, userId, appId)) return notFound(`Grant for application ${appId} not found`);
    return json({ user_id: userId, app_id: appId, msg: 'Authorization removed' });
  });

  return { routes: [token, revoke], pages };
}

function optional<K extends string>(key: K, value: string | null): { [P in K]?: string } {
  return value === null ? {} : ({ [key]: value } as { [P in K]: string });
}

function page(status: number, message: string): Response {
  const escaped = message.replace(/[<>&"]/g, (char) => `&#${char.charCodeAt(0)};`);
  return new Response(`<!DOCTYPE html><html><body><p class="error">${escaped}</p></body></html>`, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}
