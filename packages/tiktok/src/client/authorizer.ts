import { type AccountAuthorizer, AuthenticationError, ValidationError } from '@mlh/core';
import { TIKTOK } from '../mappers';
import type { TikTokShop } from './app';

/**
 * The core `AccountAuthorizer` of a TikTok Shop app, for a server that connects sellers (the
 * unified API's `authorization` option): the authorization page with the caller's `state`, then
 * the code exchange, which stores one token set per authorized shop (with its cipher), each
 * labelled with the shop's name. The redirect URL is the one set on the app in Partner Center,
 * which must be the callback URL. No PKCE: TikTok Shop has none.
 *
 * @example
 * createApi({ ..., authorization: { authorizers: [tiktokAccountAuthorizer(tiktok)], ... } })
 */
export function tiktokAccountAuthorizer(
  tiktok: Pick<TikTokShop, 'authorizationUrl' | 'exchangeCode'>,
): AccountAuthorizer {
  return {
    marketplace: TIKTOK,
    async begin({ state }) {
      return { url: tiktok.authorizationUrl({ state }) };
    },
    async complete({ callback }) {
      const refused = callback.get('error');
      if (refused) {
        throw new AuthenticationError(`TikTok Shop authorization was not granted: ${refused}`, {
          marketplace: TIKTOK,
          code: refused,
          reauthorizationRequired: true,
        });
      }
      const code = callback.get('code');
      if (!code) {
        throw new ValidationError(
          'Invalid TikTok Shop authorization callback',
          [{ path: 'code', message: 'missing from the redirect' }],
          { marketplace: TIKTOK },
        );
      }
      const authorization = await tiktok.exchangeCode(code);
      const names = new Map(authorization.shops.map((shop) => [shop.id, shop.name]));
      return {
        accounts: authorization.tokenSets.map((tokens) => ({
          accountId: tokens.accountId,
          ...(names.get(tokens.accountId) ? { label: names.get(tokens.accountId) } : {}),
          tokens,
        })),
      };
    },
  };
}
