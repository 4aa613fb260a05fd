import {
  buildAppModules,
  createMemoryCache,
  createTokenManager,
  type StoredTokenSet,
  type TokenManager,
  type TokenStore,
  type Transport,
  ValidationError,
} from '@mlh/core';
import {
  createMeliAuthorizationRequest,
  exchangeMeliCode,
  type MeliAccountMismatch,
  type MeliAppCredentials,
  type MeliAuthorizationRequest,
  type MeliCallbackInput,
  meliTokenRefresher,
  readMeliCallback,
} from '../auth';
import { createMeliTransport, type MeliTransportOptions } from '../transport';
import { createMeliClient, MELI_MODULES, type MeliClient } from './account';
import type { MeliLeanClient } from './compose';
import type { MeliClientOptions } from './context';
import type { MeliEventsApp } from './events';
import type { MeliAppContext, MeliClientModule } from './module';

// ---------------------------------------------------------------------------------------------
// createMeli: the entry most applications start from

/** Options of {@link createMeli}. */
export interface MeliOptions extends MeliAppCredentials {
  /** The redirect URI registered on the app (`MELI_REDIRECT_URI`). */
  redirectUri: string;
  /** Where sellers' tokens live (wrap it in core's `EncryptedTokenStore`). */
  tokenStore: TokenStore;
  /** Default site of authorization URLs. Default `MLB`. */
  siteId?: string | undefined;
  /** Use PKCE; match the app's setting in the DevCenter. Default false. */
  pkce?: boolean | undefined;
  /** Extra or replacement authorization domains per site. */
  authBaseUrls?: Readonly<Record<string, string>> | undefined;
  /** Pass-through options of the shared transport (fetch, clock, retry, rate limits, logger, ...). */
  transport?: Omit<MeliTransportOptions, 'tokens'> | undefined;
  /** Refresh this long before expiry. Default 5 minutes. */
  refreshMarginMs?: number | undefined;
  /**
   * After a refused refresh, how long to wait for another process that may have just rotated
   * the same token to store its result, before asking the seller to authorize again. Default 1 s.
   */
  invalidGrantGraceMs?: number | undefined;
  /** Defaults of every client made by `forAccount`. */
  client?: Omit<MeliClientOptions, 'transport' | 'accountId' | 'applicationId'> | undefined;
  /**
   * Called when a refresh returns tokens of another `user_id` than the account they are stored
   * under. The rotated tokens are kept (the used refresh token is dead); a warning is logged too.
   */
  onAccountMismatch?: ((mismatch: MeliAccountMismatch) => void) | undefined;
}

/**
 * The app without optional modules: transport, tokens, authorization and per-account clients
 * (`Client`: the full `MeliClient`, or the lean client with the modules given to
 * `@mlh/meli/lean`). Modules add their own members (`meliEvents`: `webhookSource`).
 */
export interface MeliLeanApp<Client extends MeliLeanClient = MeliLeanClient> {
  readonly transport: Transport;
  readonly tokens: TokenManager;
  /** Starts an authorization: redirect the seller to `url`, keep `state` (and `codeVerifier`) server-side. */
  authorizationUrl(options?: {
    siteId?: string;
    state?: string;
    pkce?: boolean;
    /** Your own PKCE verifier (implies `pkce`), see `createMeliAuthorizationRequest`. */
    codeVerifier?: string;
  }): Promise<MeliAuthorizationRequest>;
  /**
   * Finishes it: checks the callback's `state` against the stored one, exchanges the code and
   * saves the seller's tokens in the store. The result's `accountId` is the seller's user id.
   */
  exchangeCode(
    callback: MeliCallbackInput,
    started: Pick<MeliAuthorizationRequest, 'state'> & { codeVerifier?: string | undefined },
  ): Promise<StoredTokenSet>;
  /** The client of one seller account. */
  forAccount(accountId: string, overrides?: MeliOptions['client']): Client;
}

/** What {@link createMeli} returns: one per application, shared by every seller account. */
export interface Meli extends MeliLeanApp<MeliClient>, MeliEventsApp {}

/**
 * The entry point: app credentials + a token store → a shared transport, a token manager that
 * refreshes single-use refresh tokens safely, the OAuth flow, per-account clients and the
 * notification source.
 *
 * @example
 * const meli = createMeli({
 *   clientId: process.env.MELI_CLIENT_ID!, clientSecret: process.env.MELI_CLIENT_SECRET!,
 *   redirectUri: process.env.MELI_REDIRECT_URI!, tokenStore,
 * });
 * const client = meli.forAccount('123456789');
 */
export function createMeli(options: MeliOptions): Meli {
  return buildMeli(options, createMeliClient, MELI_MODULES) as Meli;
}

/**
 * The app of {@link createMeli} over a client maker and the modules' app-level members: the full
 * entry passes the client and every module, `@mlh/meli/lean` the app's.
 */
export function buildMeli<Client extends MeliLeanClient>(
  options: MeliOptions,
  makeClient: (clientOptions: MeliClientOptions) => Client,
  modules: readonly MeliClientModule[],
): MeliLeanApp<Client> {
  const issues = [
    ...(options.clientId ? [] : [{ path: 'clientId', message: 'required (MELI_CLIENT_ID)' }]),
    ...(options.clientSecret ? [] : [{ path: 'clientSecret', message: 'required (MELI_CLIENT_SECRET)' }]),
    ...(options.redirectUri ? [] : [{ path: 'redirectUri', message: 'required (MELI_REDIRECT_URI)' }]),
  ];
  if (issues.length > 0)
    throw new ValidationError('Invalid Mercado Livre options', issues, { marketplace: 'meli' });

  const transportOptions = options.transport ?? {};
  const credentials = {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    ...(transportOptions.clock ? { clock: transportOptions.clock } : {}),
  };
  const onAccountMismatch = (mismatch: MeliAccountMismatch) => {
    transportOptions.logger?.warn(
      `Mercado Livre refreshed the tokens of account ${mismatch.accountId} for user ${mismatch.tokenUserId}; kept them, check the account`,
      { marketplace: 'meli', ...mismatch },
    );
    options.onAccountMismatch?.(mismatch);
  };
  let transport: Transport | undefined;
  const tokens = createTokenManager({
    marketplace: 'meli',
    store: options.tokenStore,
    refresh: meliTokenRefresher(() => transport as Transport, { ...credentials, onAccountMismatch }),
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
    ...(options.invalidGrantGraceMs === undefined
      ? {}
      : { invalidGrantGraceMs: options.invalidGrantGraceMs }),
    ...(transportOptions.clock ? { clock: transportOptions.clock } : {}),
    ...(transportOptions.logger ? { logger: transportOptions.logger } : {}),
  });
  transport = createMeliTransport({ ...transportOptions, tokens });
  const shared = transport;
  // One category store for every account's client, so per-request clients still hit a warm cache.
  const categoryStore = options.client?.cache?.cache ?? createMemoryCache({ clock: transportOptions.clock });

  const app: MeliAppContext = { options, transport: shared };
  return Object.freeze({
    transport: shared,
    tokens,
    authorizationUrl: (
      authOptions: { siteId?: string; state?: string; pkce?: boolean; codeVerifier?: string } = {},
    ) => {
      const siteId = authOptions.siteId ?? options.siteId ?? 'MLB';
      const authBaseUrl = options.authBaseUrls?.[siteId];
      return createMeliAuthorizationRequest({
        clientId: options.clientId,
        redirectUri: options.redirectUri,
        siteId,
        pkce: authOptions.pkce ?? options.pkce ?? false,
        ...(authOptions.state ? { state: authOptions.state } : {}),
        ...(authOptions.codeVerifier === undefined ? {} : { codeVerifier: authOptions.codeVerifier }),
        ...(authBaseUrl ? { authBaseUrl } : {}),
      });
    },
    async exchangeCode(
      callback: MeliCallbackInput,
      started: { state: string; codeVerifier?: string | undefined },
    ) {
      const { code } = readMeliCallback(callback, started.state);
      const tokenSet = await exchangeMeliCode(shared, {
        ...credentials,
        code,
        redirectUri: options.redirectUri,
        codeVerifier: started.codeVerifier,
      });
      return tokens.saveTokenSet(tokenSet);
    },
    forAccount: (accountId: string, overrides: MeliOptions['client'] = {}) =>
      makeClient({
        ...options.client,
        ...overrides,
        cache: {
          ...options.client?.cache,
          ...overrides.cache,
          cache: overrides.cache?.cache ?? categoryStore,
        },
        transport: shared,
        accountId,
        applicationId: options.clientId,
        ...(transportOptions.clock ? { clock: transportOptions.clock } : {}),
      }),
    ...buildAppModules(app, modules),
  });
}
