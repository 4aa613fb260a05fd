/**
 * Connect a TikTok Shop seller: the seller authorizes on TikTok's page, TikTok redirects back to
 * the redirect URL set in Partner Center with `code` and `state`, and one token set per authorized
 * shop is stored encrypted (core `EncryptedTokenStore`), with the shop's cipher.
 *
 *   npx tsx oauth-tiktok.ts
 *
 * Real run: TIKTOK_APP_KEY, TIKTOK_APP_SECRET, TIKTOK_SERVICE_ID (not the app key),
 * TIKTOK_REDIRECT_URL (as set in Partner Center, pointing at this machine) and MLH_TOKEN_KEY.
 * Without them, the TikTok Shop sandbox plays the authorization page and the seller.
 */
import { timingSafeEqual } from '@mlh/core';
import type { TikTokAuthorization } from '@mlh/tiktok';
import { defaultBrowser, type OAuthExampleOptions, startCallbackServer } from './lib/callback-server';
import { readConfig } from './lib/config';
import { connectMarketplaces } from './lib/marketplaces';
import { runWhenMain } from './lib/report';

/** Authorizes one seller and returns the authorization (grant, shops, stored token sets). */
export async function main(options: OAuthExampleOptions = {}): Promise<TikTokAuthorization> {
  const print = options.print ?? console.log;
  const env = options.env ?? process.env;
  const config = readConfig(env);
  const callback = await startCallbackServer({
    path: '/tiktok/callback',
    redirectUri: config.tiktok?.redirectUrl,
    port: config.port,
  });
  const marketplaces = await connectMarketplaces({
    env,
    redirectUris: { tiktok: callback.url },
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
  });
  try {
    const { tiktok } = marketplaces;
    const mode = marketplaces.modes.tiktok;
    if (mode === 'sandbox') marketplaces.seedSeller('tiktok'); // the seller logged in on the sandbox's page

    // 1. The authorization page, with an anti-CSRF state kept server-side (the seller's session).
    const state = crypto.randomUUID();
    const url = tiktok.authorizationUrl({ state });
    print(`Open this URL and authorize the app:\n  ${url}\nWaiting on ${callback.url} ...`);

    // 2. TikTok redirects with ?code=…&state=…: check state, exchange the code. The SDK asks
    //    which shops the grant covers and stores one token set per shop, with its shop cipher.
    const connected = callback.next(async (received) => {
      if (!timingSafeEqual(received.searchParams.get('state') ?? '', state))
        throw new Error('state does not match');
      const authorization = await tiktok.exchangeCode(received.searchParams.get('code') ?? '');
      const names = authorization.shops.map((shop) => shop.name ?? shop.id).join(', ');
      return { value: authorization, message: `TikTok Shop ${names} connected. You can close this tab.` };
    });
    const [authorization] = await Promise.all([connected, (options.browser ?? defaultBrowser(mode))(url)]);

    // 3. The stored tokens work: a signed, shop-scoped call (the shop cipher is added for you).
    for (const shop of authorization.shops) {
      let products = 0;
      for await (const _product of tiktok.forAccount(shop.id).listProducts()) products += 1;
      print(`Connected shop ${shop.name ?? ''} (${shop.id}, ${shop.region ?? '?'}): ${products} product(s).`);
    }
    print(`Tokens stored encrypted: ${marketplaces.stores.description}.`);
    if (mode === 'live')
      print(`Set TIKTOK_SHOP_ID=${authorization.shops[0]?.id ?? ''} for the other examples.`);
    return authorization;
  } finally {
    await callback.close();
    await marketplaces.close();
  }
}

runWhenMain(import.meta.url, () => main());
