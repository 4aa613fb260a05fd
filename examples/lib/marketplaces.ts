/**
 * One app object per marketplace (`createMeli`, `createShopee`, `createTikTokShop`), built from
 * the real credentials when they are in the environment and from the sandbox apps otherwise.
 * Everything after this file is the same code for both.
 */
import type { TokenStore, Transport } from '@mlh/core';
import { createMeli, type Meli } from '@mlh/meli';
import { createShopee, type Shopee } from '@mlh/shopee';
import { createTikTokShop, type TikTokShop } from '@mlh/tiktok';
import {
  type Env,
  type ExampleConfig,
  liveMarketplaces,
  MARKETPLACES,
  type Marketplace,
  readConfig,
} from './config';
import { type Sandboxes, type SandboxOptions, startSandboxes } from './sandbox';
import { type ExampleStores, openStores } from './stores';

/** The sandboxes' stand-in for the redirect URI when an example runs no callback server. */
const SANDBOX_REDIRECT = 'http://127.0.0.1/callback';

/** The three apps, their mode, their state, and the sandboxes behind the sandboxed ones. */
export interface Marketplaces {
  config: ExampleConfig;
  /** `live` for each marketplace whose credentials are in the environment. */
  modes: Record<Marketplace, 'sandbox' | 'live'>;
  meli: Meli;
  shopee: Shopee;
  tiktok: TikTokShop;
  stores: ExampleStores;
  sandboxes: Sandboxes;
  /** The transports of each app (TikTok has a second one for its auth host), for events and counts. */
  transports: Record<Marketplace, Transport[]>;
  /** The app credentials in use (real or the sandbox apps'), for the webhook verifiers. */
  credentials: AppCredentials;
  /**
   * Sandbox only: adds a seller (Mercado Livre user, Shopee shop, TikTok shop) who is the one
   * logged in on the consent page, so the next authorization is theirs. Returns the account id.
   */
  seedSeller(marketplace: Marketplace): string;
  /**
   * The seller accounts to act for: in the sandbox, `count` new sellers, each authorized through
   * the marketplace's OAuth code exchange; for real, the configured account (or those with stored tokens).
   */
  accounts(marketplace: Marketplace, count?: number): Promise<string[]>;
  close(): Promise<void>;
}

/** What each marketplace's webhooks are verified with. */
export interface AppCredentials {
  meli: { clientId: string; notificationSecret: string | undefined };
  shopee: { partnerId: number; partnerKeys: string[] };
  tiktok: { appKey: string; appSecret: string };
}

/** Options of {@link connectMarketplaces}. */
export interface ConnectOptions extends SandboxOptions {
  /** Read instead of `process.env` (tests pass `{}` to force the sandboxes). */
  env?: Env;
  /** Keep tokens (encrypted with `MLH_TOKEN_KEY`) in this file, sandbox runs included. */
  tokenFile?: string;
}

/**
 * Builds the three apps against the sandboxes or the real marketplaces.
 *
 * @example
 * const marketplaces = await connectMarketplaces();
 * const [sellerId] = await marketplaces.accounts('meli');
 * const client = marketplaces.meli.forAccount(sellerId);
 */
export async function connectMarketplaces(options: ConnectOptions = {}): Promise<Marketplaces> {
  const config = readConfig(options.env ?? process.env);
  const live = liveMarketplaces(config);
  const modes = {
    meli: live.includes('meli') ? 'live' : 'sandbox',
    shopee: live.includes('shopee') ? 'live' : 'sandbox',
    tiktok: live.includes('tiktok') ? 'live' : 'sandbox',
  } as const;
  const stores = await openStores(config, { live, tokenFile: options.tokenFile });
  const sandboxes = startSandboxes(
    MARKETPLACES.filter((marketplace) => modes[marketplace] === 'sandbox'),
    options,
  );
  try {
    const meli = buildMeli(config, sandboxes, stores.tokenStore);
    const shopee = buildShopee(config, sandboxes, stores.tokenStore, options.redirectUris?.shopee);
    const tiktok = buildTikTok(config, sandboxes, stores.tokenStore);
    return {
      config,
      modes,
      meli,
      shopee,
      tiktok,
      stores,
      sandboxes,
      transports: {
        meli: [meli.transport],
        shopee: [shopee.transport],
        tiktok: [tiktok.transport, tiktok.authTransport],
      },
      credentials: appCredentials(config, sandboxes),
      seedSeller: (marketplace) => seedSeller(sandboxes, marketplace),
      accounts: (marketplace, count = 1) =>
        modes[marketplace] === 'live'
          ? liveAccounts(config, stores, marketplace)
          : authorizeSandboxSellers({ meli, shopee, tiktok, sandboxes }, marketplace, count),
      close: async () => {
        sandboxes.close();
        await stores.close();
      },
    };
  } catch (error) {
    sandboxes.close();
    await stores.close();
    throw error;
  }
}

function buildMeli(config: ExampleConfig, sandboxes: Sandboxes, tokenStore: TokenStore): Meli {
  const app = sandboxes.meli?.app;
  return createMeli({
    clientId: config.meli?.clientId ?? String(app?.id),
    clientSecret: config.meli?.clientSecret ?? app?.secret ?? '',
    redirectUri: config.meli?.redirectUri ?? app?.redirectUris[0] ?? SANDBOX_REDIRECT,
    siteId: config.meli?.siteId ?? 'MLB',
    tokenStore,
  });
}

function buildShopee(
  config: ExampleConfig,
  sandboxes: Sandboxes,
  tokenStore: TokenStore,
  sandboxRedirect: string | undefined,
): Shopee {
  const sandbox = sandboxes.shopee;
  const redirectUrl =
    config.shopee?.redirectUrl ?? (sandbox ? (sandboxRedirect ?? SANDBOX_REDIRECT) : undefined);
  return createShopee({
    partnerId: config.shopee?.partnerId ?? sandbox?.partner.partnerId ?? 0,
    partnerKey: config.shopee?.partnerKey ?? sandbox?.partner.partnerKey ?? '',
    environment: config.shopee?.environment ?? 'sandbox',
    region: config.shopee?.region ?? 'global',
    ...(config.shopee?.pushKey === undefined ? {} : { pushPartnerKey: config.shopee.pushKey }),
    ...(redirectUrl === undefined ? {} : { redirectUrl }),
    tokenStore,
  });
}

function buildTikTok(config: ExampleConfig, sandboxes: Sandboxes, tokenStore: TokenStore): TikTokShop {
  const app = sandboxes.tiktok?.app;
  return createTikTokShop({
    appKey: config.tiktok?.appKey ?? app?.appKey ?? '',
    appSecret: config.tiktok?.appSecret ?? app?.appSecret ?? '',
    serviceId: config.tiktok?.serviceId ?? app?.serviceId,
    tokenStore,
  });
}

async function liveAccounts(
  config: ExampleConfig,
  stores: ExampleStores,
  marketplace: Marketplace,
): Promise<string[]> {
  const variable = { meli: 'MELI_USER_ID', shopee: 'SHOPEE_SHOP_ID', tiktok: 'TIKTOK_SHOP_ID' }[marketplace];
  const configured = {
    meli: config.meli?.userId,
    shopee: config.shopee?.shopId,
    tiktok: config.tiktok?.shopId,
  }[marketplace];
  const accounts = configured === undefined ? await stores.storedAccounts(marketplace) : [configured];
  if (accounts.length === 0) {
    throw new Error(
      `No ${marketplace} account: set ${variable}, or authorize one first with npx tsx oauth-${marketplace}.ts`,
    );
  }
  return accounts;
}

function appCredentials(config: ExampleConfig, sandboxes: Sandboxes): AppCredentials {
  const shopeeKeys = config.shopee
    ? [config.shopee.pushKey, config.shopee.partnerKey].filter((key): key is string => key !== undefined)
    : [sandboxes.shopee?.partner.partnerKey ?? ''];
  return {
    meli: {
      clientId: config.meli?.clientId ?? String(sandboxes.meli?.app.id),
      notificationSecret: config.meli?.notificationSecret,
    },
    shopee: {
      partnerId: config.shopee?.partnerId ?? sandboxes.shopee?.partner.partnerId ?? 0,
      partnerKeys: shopeeKeys,
    },
    tiktok: {
      appKey: config.tiktok?.appKey ?? sandboxes.tiktok?.app.appKey ?? '',
      appSecret: config.tiktok?.appSecret ?? sandboxes.tiktok?.app.appSecret ?? '',
    },
  };
}

function seedSeller(sandboxes: Sandboxes, marketplace: Marketplace): string {
  if (marketplace === 'meli' && sandboxes.meli) {
    // Mercado Envios 2 (drop-off): Mercado Livre's carrier, so a paid order has a label to print.
    const seller = sandboxes.meli.addSeller({ defaultShippingMode: 'me2' });
    sandboxes.meli.setAuthorizingUser(seller.id);
    return String(seller.id);
  }
  if (marketplace === 'shopee' && sandboxes.shopee) {
    const shop = sandboxes.shopee.addShop({ region: 'BR' });
    sandboxes.shopee.authorizeAs({ shopId: shop.shopId });
    return String(shop.shopId);
  }
  if (marketplace === 'tiktok' && sandboxes.tiktok) {
    const shop = sandboxes.tiktok.addShop({ region: 'BR' });
    sandboxes.tiktok.consentAs(shop.id);
    return shop.id;
  }
  throw new Error(`${marketplace} is not sandboxed: its real credentials are in the environment`);
}

/**
 * Adds `count` sellers to a sandbox and authorizes each through the marketplace's code exchange
 * (the browser step is skipped: the sandbox hands out the code its redirect would carry).
 */
async function authorizeSandboxSellers(
  apps: { meli: Meli; shopee: Shopee; tiktok: TikTokShop; sandboxes: Sandboxes },
  marketplace: Marketplace,
  count: number,
): Promise<string[]> {
  const accounts: string[] = [];
  for (let index = 0; index < count; index++) {
    const accountId = seedSeller(apps.sandboxes, marketplace);
    if (marketplace === 'meli' && apps.sandboxes.meli) {
      const started = await apps.meli.authorizationUrl();
      const consent = apps.sandboxes.meli.authorize({ state: started.state });
      await apps.meli.exchangeCode(consent.redirectUrl, started);
    } else if (marketplace === 'shopee' && apps.sandboxes.shopee) {
      const { partnerId } = apps.sandboxes.shopee.partner;
      const { code } = await apps.sandboxes.shopee.authorize({ partnerId, shopId: Number(accountId) });
      await apps.shopee.exchangeCode({ code, shopId: accountId });
    } else if (marketplace === 'tiktok' && apps.sandboxes.tiktok) {
      const { code } = apps.sandboxes.tiktok.authorize({ shopId: accountId });
      await apps.tiktok.exchangeCode(code);
    }
    accounts.push(accountId);
  }
  return accounts;
}
