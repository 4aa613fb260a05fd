import {
  AuthenticationError,
  type Clock,
  parseOrThrow,
  parseSecureUrl,
  type StoredTokenSet,
  systemClock,
  type TokenSet,
  type Transport,
  timingSafeEqual,
  ValidationError,
} from '@mlh/core';
import { MeliTokenResponse } from './schemas';

/**
 * OAuth 2.0 (authorization code) for Mercado Livre: the authorization URL on the seller's
 * country domain, with a `state` the SDK generates and checks and optional PKCE (S256); the code
 * exchange and the refresh on `POST /oauth/token` (form-encoded), each returning a core
 * `TokenSet`. Refresh tokens are single-use and rotate: always refresh through a core
 * `TokenManager` (see `createMeli`), never by calling {@link refreshMeliToken} concurrently.
 */

/**
 * Authorization page per site. A lookup table, not string concatenation: Brazil is
 * `mercadolivre.com.br` and Chile has no `.com`. `MBO` (Bolivia) comes from a single source.
 */
export const MELI_AUTH_BASE_URLS = Object.freeze({
  MLA: 'https://auth.mercadolibre.com.ar',
  MLB: 'https://auth.mercadolivre.com.br',
  MLM: 'https://auth.mercadolibre.com.mx',
  MLC: 'https://auth.mercadolibre.cl',
  MCO: 'https://auth.mercadolibre.com.co',
  MLU: 'https://auth.mercadolibre.com.uy',
  MPE: 'https://auth.mercadolibre.com.pe',
  MEC: 'https://auth.mercadolibre.com.ec',
  MLV: 'https://auth.mercadolibre.com.ve',
  MPA: 'https://auth.mercadolibre.com.pa',
  MCR: 'https://auth.mercadolibre.com.cr',
  MRD: 'https://auth.mercadolibre.com.do',
  MBO: 'https://auth.mercadolibre.com.bo',
});

/** A Mercado Livre site id with a known authorization domain (`MLB`, `MLA`, ...). */
export type MeliSiteId = keyof typeof MELI_AUTH_BASE_URLS;

/** The currency listings are sold in per site. MEC, MLV, MPA, MCR, MRD and MBO are less certain. */
export const MELI_SITE_CURRENCIES: Readonly<Record<MeliSiteId, string>> = Object.freeze({
  MLA: 'ARS',
  MLB: 'BRL',
  MLM: 'MXN',
  MLC: 'CLP',
  MCO: 'COP',
  MLU: 'UYU',
  MPE: 'PEN',
  MEC: 'USD',
  MLV: 'VES',
  MPA: 'USD',
  MCR: 'CRC',
  MRD: 'DOP',
  MBO: 'BOB',
});

/** The token endpoint path (the same host, `api.mercadolibre.com`, for every site). */
export const MELI_TOKEN_PATH = '/oauth/token';

/**
 * The authorization page base URL of a site.
 *
 * @param overrides extra or replacement entries, e.g. `{ MPY: 'https://auth.mercadolibre.com.py' }`
 * @example meliAuthBaseUrl('MLC') // 'https://auth.mercadolibre.cl'
 */
export function meliAuthBaseUrl(siteId: string, overrides: Readonly<Record<string, string>> = {}): string {
  const base = overrides[siteId] ?? (MELI_AUTH_BASE_URLS as Readonly<Record<string, string>>)[siteId];
  if (!base) {
    throw new ValidationError('Unknown Mercado Livre site', [
      {
        path: 'siteId',
        message: `no authorization domain is known for "${siteId}"; pass authBaseUrl for it (known: ${Object.keys(MELI_AUTH_BASE_URLS).join(', ')})`,
      },
    ]);
  }
  return base;
}

// ---------------------------------------------------------------------------------------------
// Authorization URL, state and PKCE

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomToken(byteLength: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** The S256 PKCE challenge of a verifier: base64url(SHA-256(verifier)). */
export async function meliPkceChallenge(codeVerifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64Url(new Uint8Array(digest));
}

/** Options of {@link createMeliAuthorizationRequest}. */
export interface MeliAuthorizationOptions {
  /** The app id ("APP ID") from the DevCenter. */
  clientId: string;
  /** Exactly the redirect URI registered on the app, character for character. */
  redirectUri: string;
  /** The seller's site; picks the country domain of the authorization page. Default `MLB`. */
  siteId?: string;
  /**
   * Use PKCE (S256). Mercado Livre makes PKCE mandatory once it is enabled on the app, and
   * rejects it otherwise; match your app's setting. Default false.
   */
  pkce?: boolean;
  /** Your own `state`; by default 32 random bytes. Store it (server session) to check the callback. */
  state?: string;
  /**
   * Your own PKCE code verifier (RFC 7636: 43 to 128 of `A-Z a-z 0-9 - . _ ~`), for a server that
   * keeps it elsewhere than this request's result; implies `pkce`. By default 48 random bytes.
   */
  codeVerifier?: string;
  /** Overrides the authorization base URL (e.g. for a site not in {@link MELI_AUTH_BASE_URLS}). */
  authBaseUrl?: string;
}

/**
 * A started authorization: send the user to `url`, keep the rest (server-side) until the
 * callback. `codeVerifier` is set with PKCE and must be sent back with the code.
 */
export interface MeliAuthorizationRequest {
  url: string;
  state: string;
  codeVerifier?: string;
  redirectUri: string;
  siteId: string;
}

/** https, or plain http to a loopback host only: the browser carries the code through these URLs. */
function assertAbsoluteUrl(value: string, path: string): void {
  parseSecureUrl(value, path, 'meli', 'Invalid Mercado Livre authorization options');
}

/**
 * Builds the authorization URL for a seller's site, with a fresh `state` and, with `pkce`, a
 * code verifier and its S256 challenge.
 *
 * @example
 * const auth = await createMeliAuthorizationRequest({ clientId, redirectUri, siteId: 'MLB', pkce: true });
 * session.meliAuth = { state: auth.state, codeVerifier: auth.codeVerifier };
 * return Response.redirect(auth.url, 302);
 */
export async function createMeliAuthorizationRequest(
  options: MeliAuthorizationOptions,
): Promise<MeliAuthorizationRequest> {
  if (!options.clientId) {
    throw new ValidationError('Invalid Mercado Livre authorization options', [
      { path: 'clientId', message: 'required' },
    ]);
  }
  assertAbsoluteUrl(options.redirectUri, 'redirectUri');
  const siteId = options.siteId ?? 'MLB';
  const base = options.authBaseUrl ?? meliAuthBaseUrl(siteId);
  assertAbsoluteUrl(base, 'authBaseUrl');
  if (options.codeVerifier !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(options.codeVerifier)) {
    throw new ValidationError('Invalid Mercado Livre authorization options', [
      { path: 'codeVerifier', message: 'must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)' },
    ]);
  }
  const state = options.state ?? randomToken(32);
  const url = new URL('/authorization', base);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('state', state);
  let codeVerifier: string | undefined;
  if (options.pkce || options.codeVerifier !== undefined) {
    codeVerifier = options.codeVerifier ?? randomToken(48);
    url.searchParams.set('code_challenge', await meliPkceChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return {
    url: url.toString(),
    state,
    ...(codeVerifier ? { codeVerifier } : {}),
    redirectUri: options.redirectUri,
    siteId,
  };
}

/** What the callback brought: the redirect URL, its query, or the parameters already read. */
export type MeliCallbackInput =
  | string
  | URL
  | URLSearchParams
  | {
      code?: string | null | undefined;
      state?: string | null | undefined;
      error?: string | null | undefined;
    };

function callbackParams(input: MeliCallbackInput): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (input instanceof URL) return input.searchParams;
  if (typeof input === 'string') {
    return input.includes('?') || /^https?:/i.test(input)
      ? new URL(input, 'https://callback.invalid').searchParams
      : new URLSearchParams(input);
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string') params.set(key, value);
  }
  return params;
}

/**
 * Reads the callback of the authorization page and checks its `state` against the one stored
 * when the flow started, in constant time. Mercado Livre does not check `state`: the app must.
 * Throws an `AuthenticationError` (`state_mismatch`, or the page's `error`) or a
 * `ValidationError` when the code is missing.
 *
 * @example
 * const { code } = readMeliCallback(request.url, session.meliAuth.state);
 */
export function readMeliCallback(callback: MeliCallbackInput, expectedState: string): { code: string } {
  const params = callbackParams(callback);
  const error = params.get('error');
  if (error) {
    throw new AuthenticationError(`Mercado Livre authorization was not granted: ${error}`, {
      marketplace: 'meli',
      code: error,
      reauthorizationRequired: true,
    });
  }
  const state = params.get('state') ?? '';
  if (!expectedState || !timingSafeEqual(state, expectedState)) {
    throw new AuthenticationError(
      'Mercado Livre authorization callback refused: its state does not match the one this flow started with',
      { marketplace: 'meli', code: 'state_mismatch', reauthorizationRequired: true },
    );
  }
  const code = params.get('code');
  if (!code) {
    throw new ValidationError('Invalid Mercado Livre authorization callback', [
      { path: 'code', message: 'missing' },
    ]);
  }
  return { code };
}

// ---------------------------------------------------------------------------------------------
// Token endpoint

/** The app's credentials for the token endpoint. */
export interface MeliAppCredentials {
  /** The app id. */
  clientId: string;
  /** The app secret. Never logged, never put in an error. */
  clientSecret: string;
}

/** Turns a token response into a core `TokenSet`; `now` is epoch ms. */
export function meliTokenSet(response: MeliTokenResponse, now: number): TokenSet {
  return {
    marketplace: 'meli',
    accountId: String(response.user_id),
    accessToken: response.access_token,
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
    tokenType: 'Bearer',
    expiresAt: now + response.expires_in * 1000,
    // The refresh token's 6 months are not given per token; the API's invalid_grant is the authority.
    ...(response.scope ? { scopes: response.scope.split(/\s+/).filter(Boolean) } : {}),
  };
}

async function postToken(
  transport: Transport,
  form: Record<string, string>,
  clock: Clock,
  accountId?: string,
): Promise<TokenSet> {
  // Not idempotent: a code and a refresh token are single-use, so the transport never repeats this.
  // A refresh names its account (without a token) so it counts against that account's rate-limit
  // bucket and retry budget, not the one all accountless calls share.
  const response = await transport.request<unknown>({
    method: 'POST',
    path: MELI_TOKEN_PATH,
    auth: false,
    ...(accountId === undefined ? {} : { accountId }),
    body: { form },
    operation: `oauth.${form.grant_type}`,
  });
  const body = parseOrThrow(MeliTokenResponse, response.data, 'Mercado Livre token response', {
    marketplace: 'meli',
  });
  return meliTokenSet(body, clock.now());
}

function requireCredentials(credentials: MeliAppCredentials): void {
  const issues = [
    ...(credentials.clientId ? [] : [{ path: 'clientId', message: 'required' }]),
    ...(credentials.clientSecret ? [] : [{ path: 'clientSecret', message: 'required' }]),
  ];
  if (issues.length > 0) throw new ValidationError('Invalid Mercado Livre app credentials', issues);
}

/** Input of {@link exchangeMeliCode}. */
export interface MeliCodeExchange extends MeliAppCredentials {
  /** The code from the callback (single-use, short-lived). */
  code: string;
  /** The same redirect URI as in the authorization URL. */
  redirectUri: string;
  /** Required when the app has PKCE enabled. */
  codeVerifier?: string | undefined;
  clock?: Clock;
}

/**
 * Exchanges an authorization code for the seller's tokens. The result's `accountId` is the
 * seller's user id. Save it in your token store (`createMeli().exchangeCode` does).
 */
export async function exchangeMeliCode(transport: Transport, input: MeliCodeExchange): Promise<TokenSet> {
  requireCredentials(input);
  if (!input.code) {
    throw new ValidationError('Invalid Mercado Livre code exchange', [{ path: 'code', message: 'required' }]);
  }
  return postToken(
    transport,
    {
      grant_type: 'authorization_code',
      client_id: input.clientId,
      client_secret: input.clientSecret,
      code: input.code,
      redirect_uri: input.redirectUri,
      ...(input.codeVerifier ? { code_verifier: input.codeVerifier } : {}),
    },
    input.clock ?? systemClock,
  );
}

/** What {@link refreshMeliToken} reports when the refreshed tokens name another user. */
export interface MeliAccountMismatch {
  /** The account the tokens are stored under. */
  accountId: string;
  /** The `user_id` Mercado Livre returned with the new tokens. */
  tokenUserId: string;
}

/** Credentials and hooks of {@link refreshMeliToken}. */
export interface MeliRefreshOptions extends MeliAppCredentials {
  clock?: Clock;
  /**
   * Called when the refreshed tokens belong to another `user_id` than the account they are stored
   * under (the account was saved under the wrong id, or the grant changed hands). The new tokens
   * are still returned, and kept: the refresh token just used is dead, so dropping its successor
   * would lock the account out. Check the account, then re-key or re-authorize it.
   */
  onAccountMismatch?: ((mismatch: MeliAccountMismatch) => void) | undefined;
}

/**
 * Exchanges a refresh token for a new token set, whose `refreshToken` replaces the old one (which
 * stops working). `invalid_grant` (expired, revoked, already used) is an
 * `AuthenticationError` with `reauthorizationRequired`. When Mercado Livre answers for another
 * `user_id`, the rotated tokens are kept under the account asked for, marked in
 * `extra.meliUserId`, and `onAccountMismatch` is told.
 */
export async function refreshMeliToken(
  transport: Transport,
  credentials: MeliRefreshOptions,
  current: Pick<TokenSet, 'accountId' | 'refreshToken'>,
): Promise<TokenSet> {
  requireCredentials(credentials);
  if (!current.refreshToken) {
    throw new AuthenticationError(`Mercado Livre account ${current.accountId} has no refresh token`, {
      marketplace: 'meli',
      accountId: current.accountId,
      code: 'no_refresh_token',
      reauthorizationRequired: true,
    });
  }
  const next = await postToken(
    transport,
    {
      grant_type: 'refresh_token',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      refresh_token: current.refreshToken,
    },
    credentials.clock ?? systemClock,
    current.accountId,
  );
  if (next.accountId !== current.accountId) {
    credentials.onAccountMismatch?.({ accountId: current.accountId, tokenUserId: next.accountId });
    return {
      ...next,
      accountId: current.accountId,
      extra: { ...next.extra, meliUserId: next.accountId, accountMismatch: true },
    };
  }
  return next;
}

/**
 * The `refresh` function of a core `TokenManager` for Mercado Livre.
 *
 * @example
 * const tokens = createTokenManager({ marketplace: 'meli', store, refresh: meliTokenRefresher(transport, credentials) });
 */
export function meliTokenRefresher(
  transport: Transport | (() => Transport),
  credentials: MeliRefreshOptions,
): (current: StoredTokenSet) => Promise<TokenSet> {
  return (current) =>
    refreshMeliToken(typeof transport === 'function' ? transport() : transport, credentials, current);
}
