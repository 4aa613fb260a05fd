import type { AccountAuthorizer } from '@mlh/core';
import { parseShopeeAuthorizationCallback } from '../auth';
import type { Shopee } from './app';

/**
 * The core `AccountAuthorizer` of a Shopee app, for a server that connects sellers (the unified
 * API's `authorization` option). Shopee's signed link carries no `state`, so the state travels in
 * the redirect URL's query and comes back with `code` and `shop_id` (or `main_account_id`); the
 * code exchange stores one token set per shop and merchant granted. No PKCE: Shopee has none.
 *
 * @example
 * createApi({ ..., authorization: { authorizers: [shopeeAccountAuthorizer(shopee)], ... } })
 */
export function shopeeAccountAuthorizer(
  shopee: Pick<Shopee, 'authorizationUrl' | 'exchangeCode'>,
): AccountAuthorizer {
  return {
    marketplace: 'shopee',
    async begin({ state, redirectUri }) {
      const redirect = new URL(redirectUri);
      redirect.searchParams.set('state', state);
      return { url: await shopee.authorizationUrl({ redirectUrl: redirect.toString() }) };
    },
    async complete({ callback }) {
      const grant = await shopee.exchangeCode(parseShopeeAuthorizationCallback(callback));
      return {
        accounts: grant.tokenSets.map((tokens) => ({ accountId: tokens.accountId, tokens })),
      };
    },
  };
}
