/**
 * Connect a Mercado Livre seller: the first thing a real app does.
 *
 * A local server receives the redirect from Mercado Livre's authorization page, checks `state`,
 * exchanges the code and stores the seller's tokens encrypted (core `EncryptedTokenStore`).
 * Later scripts (`pnpm demo`, the other examples) read them from there.
 *
 *   npx tsx oauth-meli.ts
 *
 * Real run: MELI_CLIENT_ID, MELI_CLIENT_SECRET, MELI_REDIRECT_URI (as registered on the app, e.g.
 * http://localhost:3000/meli/callback, or a tunnel to this port) and MLH_TOKEN_KEY.
 * Without them, the Mercado Livre sandbox plays the authorization page and the seller.
 */
import type { StoredTokenSet } from '@mlh/core';
import { defaultBrowser, type OAuthExampleOptions, startCallbackServer } from './lib/callback-server';
import { readConfig } from './lib/config';
import { connectMarketplaces } from './lib/marketplaces';
import { runWhenMain } from './lib/report';

/** Authorizes one seller and returns the stored token set. */
export async function main(options: OAuthExampleOptions = {}): Promise<StoredTokenSet> {
  const print = options.print ?? console.log;
  const env = options.env ?? process.env;
  const config = readConfig(env);
  const callback = await startCallbackServer({
    path: '/meli/callback',
    redirectUri: config.meli?.redirectUri,
    port: config.port,
  });
  const marketplaces = await connectMarketplaces({
    env,
    redirectUris: { meli: callback.url },
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
  });
  try {
    const { meli } = marketplaces;
    const mode = marketplaces.modes.meli;
    if (mode === 'sandbox') marketplaces.seedSeller('meli'); // the seller logged in on the sandbox's page

    // 1. Send the seller to the authorization page. Keep `state` (and the PKCE verifier, with
    //    pkce: true) server-side, in the seller's session: the callback must present the same state.
    const started = await meli.authorizationUrl();
    print(`Open this URL and authorize the app:\n  ${started.url}\nWaiting on ${callback.url} ...`);

    // 2. Mercado Livre redirects to the callback with ?code=…&state=…; exchangeCode checks the
    //    state (constant time), exchanges the code and saves the tokens in the token store.
    const connected = callback.next(async (url) => {
      const tokens = await meli.exchangeCode(url.toString(), started);
      return {
        value: tokens,
        message: `Mercado Livre seller ${tokens.accountId} connected. You can close this tab.`,
      };
    });
    const [tokens] = await Promise.all([connected, (options.browser ?? defaultBrowser(mode))(started.url)]);

    // 3. The stored tokens work: read the seller's profile with them.
    const { data: me } = await meli.forAccount(tokens.accountId).users.me();
    print(`Connected seller ${me.nickname ?? me.id} (user id ${tokens.accountId}).`);
    print(`Tokens stored encrypted: ${marketplaces.stores.description}.`);
    if (mode === 'live') print(`Set MELI_USER_ID=${tokens.accountId} for the other examples.`);
    return tokens;
  } finally {
    await callback.close();
    await marketplaces.close();
  }
}

runWhenMain(import.meta.url, () => main());
