/**
 * Connect a Shopee shop: the seller follows a signed link, Shopee redirects back with `code` and
 * `shop_id`, and the shop's tokens are stored encrypted (core `EncryptedTokenStore`).
 *
 *   npx tsx oauth-shopee.ts
 *
 * Real run: SHOPEE_PARTNER_ID, SHOPEE_PARTNER_KEY, SHOPEE_REDIRECT_URL (its domain must match the
 * App's "Redirect URL Domain"), SHOPEE_ENVIRONMENT (`sandbox` for test partners) and MLH_TOKEN_KEY.
 * Without them, the Shopee sandbox plays the authorization page and the shop.
 */
import { timingSafeEqual } from '@mlh/core';
import { parseShopeeAuthorizationCallback, type ShopeeTokenGrant } from '@mlh/shopee';
import { defaultBrowser, type OAuthExampleOptions, startCallbackServer } from './lib/callback-server';
import { readConfig } from './lib/config';
import { connectMarketplaces } from './lib/marketplaces';
import { runWhenMain } from './lib/report';

/** Authorizes one shop and returns the grant (shop ids and the token sets stored). */
export async function main(options: OAuthExampleOptions = {}): Promise<ShopeeTokenGrant> {
  const print = options.print ?? console.log;
  const env = options.env ?? process.env;
  const config = readConfig(env);
  const callback = await startCallbackServer({
    path: '/shopee/callback',
    redirectUri: config.shopee?.redirectUrl,
    port: config.port,
  });
  const marketplaces = await connectMarketplaces({
    env,
    redirectUris: { shopee: callback.url },
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
  });
  try {
    const { shopee } = marketplaces;
    const mode = marketplaces.modes.shopee;
    if (mode === 'sandbox') marketplaces.seedSeller('shopee'); // the shop that logs in on the sandbox's page

    // 1. A freshly signed link (valid 5 minutes). Shopee's link carries no `state`, so ours
    //    travels in the redirect URL's query and comes back with the code.
    const state = crypto.randomUUID();
    const redirectUrl = new URL(callback.url);
    redirectUrl.searchParams.set('state', state);
    const link = await shopee.authorizationUrl({ redirectUrl: redirectUrl.toString() });
    print(`Open this URL and authorize the app:\n  ${link}\nWaiting on ${callback.url} ...`);

    // 2. Shopee redirects with ?code=…&shop_id=… (or main_account_id): check state, exchange the
    //    code; one token set per shop (and merchant) is stored.
    const connected = callback.next(async (url) => {
      if (!timingSafeEqual(url.searchParams.get('state') ?? '', state))
        throw new Error('state does not match');
      const grant = await shopee.exchangeCode(parseShopeeAuthorizationCallback(url.toString()));
      return {
        value: grant,
        message: `Shopee shop(s) ${grant.shopIds.join(', ')} connected. You can close this tab.`,
      };
    });
    const [grant] = await Promise.all([connected, (options.browser ?? defaultBrowser(mode))(link)]);

    // 3. The stored tokens work: a signed call on behalf of the shop.
    for (const shopId of grant.shopIds) {
      const page = await shopee.forShop(shopId).products.getItemList({ itemStatus: ['NORMAL'], pageSize: 1 });
      print(`Connected shop ${shopId}: ${page.total_count ?? 0} item(s) on sale.`);
    }
    print(`Tokens stored encrypted: ${marketplaces.stores.description}.`);
    if (mode === 'live') print(`Set SHOPEE_SHOP_ID=${grant.shopIds[0] ?? ''} for the other examples.`);
    return grant;
  } finally {
    await callback.close();
    await marketplaces.close();
  }
}

runWhenMain(import.meta.url, () => main());
