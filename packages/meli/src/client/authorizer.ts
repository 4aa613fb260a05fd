import { type AccountAuthorizer, ValidationError } from '@mlh/core';
import type { Meli } from './app';

/** Options of {@link meliAccountAuthorizer}. */
export interface MeliAccountAuthorizerOptions {
  /**
   * Use PKCE (S256) with the caller's verifier. Mercado Livre requires it once enabled on the app
   * and refuses it otherwise; match your app's setting. Default true.
   */
  pkce?: boolean | undefined;
  /** The sellers' site (picks the authorization page's country domain). Default the app's. */
  siteId?: string | undefined;
}

/**
 * The core `AccountAuthorizer` of a Mercado Livre app, for a server that connects sellers (the
 * unified API's `authorization` option): the authorization page with the caller's `state` and a
 * PKCE challenge, then the code exchange, whose tokens the app's token manager stores.
 * The redirect URI is the app's (`createMeli({ redirectUri })`), which must be the callback URL.
 *
 * @example
 * createApi({ ..., authorization: { authorizers: [meliAccountAuthorizer(meli)], ... } })
 */
export function meliAccountAuthorizer(
  meli: Pick<Meli, 'authorizationUrl' | 'exchangeCode'>,
  options: MeliAccountAuthorizerOptions = {},
): AccountAuthorizer {
  const pkce = options.pkce ?? true;
  return {
    marketplace: 'meli',
    async begin({ state, redirectUri, codeVerifier }) {
      const started = await meli.authorizationUrl({
        state,
        ...(pkce ? { codeVerifier } : { pkce: false }),
        ...(options.siteId === undefined ? {} : { siteId: options.siteId }),
      });
      // Mercado Livre sends the seller back to the app's registered URI: it must be this callback.
      const registered = new URL(started.url).searchParams.get('redirect_uri');
      if (registered !== redirectUri) {
        throw new ValidationError('Mercado Livre redirect URI does not match the callback', [
          {
            path: 'redirectUri',
            message: `createMeli's redirectUri is ${registered ?? 'missing'}; the callback is ${redirectUri}`,
          },
        ]);
      }
      return { url: started.url };
    },
    async complete({ callback, codeVerifier }) {
      // The caller checked `state`; the app's exchange checks it again against the callback's own.
      const tokens = await meli.exchangeCode(callback, {
        state: callback.get('state') ?? '',
        ...(pkce ? { codeVerifier } : {}),
      });
      return { accounts: [{ accountId: tokens.accountId, tokens }] };
    },
  };
}
