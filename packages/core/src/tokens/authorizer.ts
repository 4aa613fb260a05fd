import type { MarketplaceId } from '../errors';
import type { StoredTokenSet, TokenSet } from './types';

/** What starting an authorization produced: the marketplace page to send the seller to. */
export interface AuthorizationStart {
  /** The marketplace's authorization page, with the state (and the PKCE challenge) in it. */
  url: string;
}

/** One seller account an authorization connected, with its tokens (already stored). */
export interface AuthorizedAccount {
  accountId: string;
  /** A name to show for it (the shop's name), when the marketplace says one. */
  label?: string | undefined;
  tokens: StoredTokenSet | TokenSet;
}

/**
 * Connects seller accounts through a marketplace's authorization page, for a server that runs
 * the flow for many sellers (the unified API's `POST /accounts/{marketplace}/authorizations`).
 * Each adapter builds one from its own auth functions (`meliAccountAuthorizer`,
 * `shopeeAccountAuthorizer`, `tiktokAccountAuthorizer`); the caller makes and checks `state`.
 */
export interface AccountAuthorizer {
  readonly marketplace: MarketplaceId;
  /**
   * The page to send the seller to. `state` must come back as the callback's `state` query
   * parameter; `redirectUri` is the callback URL (where the marketplace takes it from the request;
   * some take it from the app's registration, which must then name the same URL). `codeVerifier`
   * is a fresh PKCE verifier (RFC 7636) the caller keeps until the callback: a marketplace with
   * PKCE puts its S256 challenge in the page's URL, the others ignore it.
   */
  begin(input: { state: string; redirectUri: string; codeVerifier: string }): Promise<AuthorizationStart>;
  /**
   * Exchanges the callback's code (its `state` already checked by the caller), stores the tokens
   * in the adapter's token store and answers the accounts connected (one grant may cover several
   * shops). Throws an `AuthenticationError` when the seller refused.
   */
  complete(input: {
    callback: URLSearchParams;
    redirectUri: string;
    codeVerifier: string;
  }): Promise<{ accounts: AuthorizedAccount[] }>;
}
