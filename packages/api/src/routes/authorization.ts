import { type AccountAuthorizer, type Logger, NotFoundError, type TokenStore } from '@mlh/core';
import type { SyncStore } from '@mlh/sync';
import { Hono } from 'hono';
import { openState, randomToken, sealState, stateKey } from '../authorization-state';
import type { ApiEnv } from '../context';
import { type ApiEvent, publishQuietly } from '../events';
import type { AccountDirectory, AccountRef, AuthorizationOptions } from '../options';
import { ApiProblem, problemOf } from '../problem';
import { requireScope } from '../security';
import { accountView, isAccountRegistry } from './accounts';

/** How long a started authorization waits for its callback by default: 10 minutes. */
export const DEFAULT_AUTHORIZATION_TTL_MS = 10 * 60_000;
/** Extra life of a state's single-use claim past its expiry, against clocks a little apart. */
const CLAIM_MARGIN_MS = 60_000;

interface AuthorizationRouteOptions {
  authorization: AuthorizationOptions;
  accounts: AccountDirectory;
  syncStore: SyncStore;
  tokenStore: TokenStore;
  clock: () => number;
  logger?: Logger | undefined;
  /** Where the `account.connected` live event goes. */
  publish?: ((event: ApiEvent) => void | Promise<void>) | undefined;
}

/** Checks the authorization options once, when the app is made: a mistake here is a setup error. */
export function checkAuthorizationOptions(options: AuthorizationOptions, accounts: AccountDirectory): void {
  let base: URL;
  try {
    base = new URL(options.callbackBaseUrl);
  } catch {
    throw new TypeError('authorization.callbackBaseUrl must be an absolute URL (where the API is mounted)');
  }
  if (base.search || base.hash)
    throw new TypeError('authorization.callbackBaseUrl must have no query or fragment');
  if (options.returnTo !== undefined && !URL.canParse(options.returnTo))
    throw new TypeError('authorization.returnTo must be an absolute URL');
  if (typeof options.stateSecret !== 'string' || options.stateSecret.length < 32)
    throw new TypeError('authorization.stateSecret must be at least 32 characters of a random secret');
  const seen = new Set<string>();
  for (const authorizer of options.authorizers) {
    if (seen.has(authorizer.marketplace))
      throw new TypeError(`authorization.authorizers has two authorizers for ${authorizer.marketplace}`);
    seen.add(authorizer.marketplace);
  }
  if (!isAccountRegistry(accounts) && options.onConnected === undefined) {
    throw new TypeError(
      'authorization needs accounts to be an AccountRegistry (createMemoryAccountRegistry) or an onConnected hook that records the account where accounts reads it',
    );
  }
}

/** The callback URL of a marketplace, as registered on its app. */
export function callbackUrl(options: AuthorizationOptions, marketplace: string): string {
  return `${options.callbackBaseUrl.replace(/\/+$/, '')}/accounts/${encodeURIComponent(marketplace)}/callback`;
}

function authorizerOf(options: AuthorizationOptions, marketplace: string): AccountAuthorizer {
  const authorizer = options.authorizers.find((candidate) => candidate.marketplace === marketplace);
  if (!authorizer) throw new NotFoundError(`Accounts on ${marketplace} cannot be connected through this API`);
  return authorizer;
}

/**
 * `POST /accounts/{marketplace}/authorizations` (operator): starts connecting a seller. The state
 * is encrypted (it carries the PKCE verifier), unguessable and expires; the answer's
 * `authorizationUrl` is where the seller's browser goes next.
 */
export function authorizationStartRoutes(options: AuthorizationRouteOptions): Hono<ApiEnv> {
  const authorization = options.authorization;
  const key = stateKey(authorization.stateSecret);
  const ttlMs = authorization.ttlMs ?? DEFAULT_AUTHORIZATION_TTL_MS;
  const routes = new Hono<ApiEnv>();
  routes.post('/:marketplace/authorizations', requireScope('operator'), async (c) => {
    const marketplace = c.req.param('marketplace');
    const authorizer = authorizerOf(authorization, marketplace);
    const now = options.clock();
    const codeVerifier = randomToken(48);
    // Whole seconds, as the token's `exp`: the answer's expiry is exactly the state's.
    const expiresAt = Math.floor((now + ttlMs) / 1000) * 1000;
    const state = await sealState(
      { id: randomToken(16), marketplace, codeVerifier, expiresAt },
      await key,
      now,
    );
    const { url } = await authorizer.begin({
      state,
      redirectUri: callbackUrl(authorization, marketplace),
      codeVerifier,
    });
    c.header('cache-control', 'no-store');
    return c.json({ authorizationUrl: url, state, expiresAt: new Date(expiresAt).toISOString() }, 201);
  });
  return routes;
}

/**
 * `GET /accounts/{marketplace}/callback` (no API key: the state is the proof): opens the state,
 * claims it once in the sync store (so a replay is refused in every process), exchanges the code,
 * registers the accounts and sends the browser to `returnTo` (or answers JSON).
 */
export function authorizationCallbackRoutes(options: AuthorizationRouteOptions): Hono<ApiEnv> {
  const authorization = options.authorization;
  const key = stateKey(authorization.stateSecret);
  const routes = new Hono<ApiEnv>();
  routes.get('/:marketplace/callback', async (c) => {
    const marketplace = c.req.param('marketplace');
    const authorizer = authorizerOf(authorization, marketplace);
    const query = new URL(c.req.url).searchParams;
    // The URL carries a code and a state: no cache keeps the answer, no page after it learns the URL.
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    try {
      const now = options.clock();
      const state = await openState(query.get('state') ?? undefined, marketplace, await key, now);
      const claimed = await options.syncStore.claimEvent({
        key: `api:authorization:${state.id}`,
        ttlMs: state.expiresAt - now + CLAIM_MARGIN_MS,
        now,
      });
      if (!claimed) {
        throw new ApiProblem(
          400,
          'authentication',
          'authorization_state_used',
          'This authorization was already used: start it again from the dashboard',
        );
      }
      // The claim is never released: the marketplace's code is single-use too, so a failed
      // exchange is retried by starting a new authorization.
      const { accounts } = await authorizer.complete({
        callback: query,
        redirectUri: callbackUrl(authorization, marketplace),
        codeVerifier: state.codeVerifier,
      });
      if (accounts.length === 0) {
        throw new ApiProblem(
          502,
          'authentication',
          'no_account_authorized',
          `The ${marketplace} authorization covered no seller account`,
        );
      }
      const views = [];
      for (const connected of accounts) {
        const account: AccountRef = {
          marketplace: authorizer.marketplace,
          accountId: connected.accountId,
          ...(connected.label === undefined ? {} : { label: connected.label }),
        };
        if (isAccountRegistry(options.accounts)) await options.accounts.register(account);
        await authorization.onConnected?.(account, connected.tokens);
        const stored = await options.tokenStore.get(account.marketplace, account.accountId);
        views.push(accountView(account, stored, options.clock()));
        await publishQuietly(options.publish, { type: 'account.connected', data: { ...account } });
      }
      if (authorization.returnTo === undefined) return c.json({ account: views[0], accounts: views });
      const target = new URL(authorization.returnTo);
      target.searchParams.set('connected', views.map((view) => `${marketplace}:${view.accountId}`).join(','));
      return c.redirect(target.toString(), 302);
    } catch (error) {
      if (authorization.returnTo === undefined) throw error;
      const problem = problemOf(error, c.req.path);
      if (problem.status >= 500) {
        options.logger?.error('api authorization callback failed', {
          marketplace,
          kind: problem.kind,
          code: problem.code,
        });
      }
      const target = new URL(authorization.returnTo);
      target.searchParams.set('error', problem.code ?? problem.kind);
      target.searchParams.set('marketplace', marketplace);
      return c.redirect(target.toString(), 302);
    }
  });
  return routes;
}
