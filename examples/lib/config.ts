/**
 * The real-credentials switch: every example runs against the sandboxes of `@mlh/testing` unless
 * a marketplace's credentials are in the environment (see `.env.example`), and then talks to
 * that marketplace for real. Each marketplace is switched on its own.
 */
import { fileURLToPath } from 'node:url';

/** The marketplaces the examples work with. */
export const MARKETPLACES = ['meli', 'shopee', 'tiktok'] as const;

/** One of {@link MARKETPLACES}. */
export type Marketplace = (typeof MARKETPLACES)[number];

/** The environment the examples read: `process.env`, or a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Mercado Livre app credentials and the seller account to act for. */
export interface MeliConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** `MELI_USER_ID`: the seller whose tokens the OAuth example stored. */
  userId: string | undefined;
  siteId: string;
  notificationSecret: string | undefined;
}

/** Shopee partner credentials and the shop to act for. */
export interface ShopeeConfig {
  partnerId: number;
  partnerKey: string;
  environment: 'production' | 'sandbox';
  region: 'global' | 'china' | 'brazil';
  shopId: string | undefined;
  redirectUrl: string | undefined;
  pushKey: string | undefined;
}

/** TikTok Shop app credentials and the shop to act for. */
export interface TikTokConfig {
  appKey: string;
  appSecret: string;
  serviceId: string | undefined;
  /** `TIKTOK_REDIRECT_URL`: the callback set in Partner Center (it is not part of the authorization URL). */
  redirectUrl: string | undefined;
  shopId: string | undefined;
}

/** Everything the examples take from the environment. */
export interface ExampleConfig {
  /** Marketplaces with credentials: these are called for real, the others are sandboxed. */
  meli: MeliConfig | undefined;
  shopee: ShopeeConfig | undefined;
  tiktok: TikTokConfig | undefined;
  /** `MLH_TOKEN_KEY` (or `TOKEN_ENCRYPTION_KEY`): 32 bytes (64 hex characters or base64) encrypting tokens at rest. */
  tokenKey: string | undefined;
  /** `MLH_TOKEN_FILE`: where the OAuth examples keep encrypted tokens. Default `examples/.tmp/tokens.json`. */
  tokenFile: string;
  /** `DATABASE_URL`: PostgreSQL for the sync state and tokens when talking to real marketplaces. */
  databaseUrl: string | undefined;
  /** `MLH_PUBLIC_URL`: the https origin marketplaces reach this machine at (a tunnel), for webhooks. */
  publicUrl: string | undefined;
  /** `PORT`: where the examples' local servers listen. Default: a free port (sandbox) or 3000 (real). */
  port: number | undefined;
}

/**
 * The credentials that switch each marketplace on. Nothing else does: `.env.example` ships
 * placeholders for redirect URLs, the site, the region, and copying it to `.env` must leave every
 * marketplace on its sandbox.
 */
export const SWITCH_VARIABLES: Readonly<Record<Marketplace, readonly string[]>> = {
  meli: ['MELI_CLIENT_ID', 'MELI_CLIENT_SECRET'],
  shopee: ['SHOPEE_PARTNER_ID', 'SHOPEE_PARTNER_KEY'],
  tiktok: ['TIKTOK_APP_KEY', 'TIKTOK_APP_SECRET'],
};

/** The variables each marketplace needs before it is called for real: its credentials, and more. */
export const REQUIRED_VARIABLES: Readonly<Record<Marketplace, readonly string[]>> = {
  meli: [...SWITCH_VARIABLES.meli, 'MELI_REDIRECT_URI'],
  shopee: SWITCH_VARIABLES.shopee,
  tiktok: SWITCH_VARIABLES.tiktok,
};

const DEFAULT_TOKEN_FILE = fileURLToPath(new URL('../.tmp/tokens.json', import.meta.url));

/** The host of `.env.example`'s placeholder URLs: never a real app's. */
const PLACEHOLDER_HOST = 'app.example.com';

/** Whether a value is one of `.env.example`'s placeholders rather than the user's own. */
export function isPlaceholder(found: string): boolean {
  try {
    return new URL(found).hostname === PLACEHOLDER_HOST;
  } catch {
    return false;
  }
}

function value(env: Env, name: string): string | undefined {
  const found = env[name]?.trim();
  return found === '' ? undefined : found;
}

/**
 * Whether a marketplace is configured: off without its credentials (whatever else is set), on
 * with all of its required variables, or an error naming the missing ones or a placeholder left
 * in place.
 */
function isConfigured(env: Env, marketplace: Marketplace): boolean {
  const switches = SWITCH_VARIABLES[marketplace];
  if (switches.every((name) => value(env, name) === undefined)) return false;
  const names = REQUIRED_VARIABLES[marketplace];
  const missing = names.filter((name) => value(env, name) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} missing: set all of ${names.join(', ')} or none of ${switches.join(', ')}`,
    );
  }
  const placeholders = names.filter((name) => isPlaceholder(value(env, name)!));
  if (placeholders.length > 0) {
    throw new Error(
      `${placeholders.join(', ')} still hold${placeholders.length === 1 ? 's' : ''} the placeholder of .env.example: set your app's own`,
    );
  }
  return true;
}

function oneOf<T extends string>(
  name: string,
  found: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (found === undefined) return fallback;
  if ((allowed as readonly string[]).includes(found)) return found as T;
  throw new Error(`${name} must be one of ${allowed.join(', ')}, not "${found}"`);
}

/**
 * Reads the examples' configuration (the variables of `.env.example`); throws naming the variable
 * when one is half set or invalid. `TOKEN_ENCRYPTION_KEY` and `SHOPEE_ENV` are accepted as older
 * spellings of `MLH_TOKEN_KEY` and `SHOPEE_ENVIRONMENT`.
 */
export function readConfig(env: Env = process.env): ExampleConfig {
  const get = (name: string) => value(env, name);
  const meli: MeliConfig | undefined = isConfigured(env, 'meli')
    ? {
        clientId: get('MELI_CLIENT_ID')!,
        clientSecret: get('MELI_CLIENT_SECRET')!,
        redirectUri: get('MELI_REDIRECT_URI')!,
        userId: get('MELI_USER_ID'),
        siteId: get('MELI_SITE_ID') ?? 'MLB',
        notificationSecret: get('MELI_NOTIFICATION_SECRET'),
      }
    : undefined;
  const partnerId = Number(get('SHOPEE_PARTNER_ID') ?? 0);
  if (!Number.isSafeInteger(partnerId)) throw new Error('SHOPEE_PARTNER_ID must be a number (the App ID)');
  const shopee: ShopeeConfig | undefined = isConfigured(env, 'shopee')
    ? {
        partnerId,
        partnerKey: get('SHOPEE_PARTNER_KEY')!,
        environment: oneOf(
          'SHOPEE_ENVIRONMENT',
          get('SHOPEE_ENVIRONMENT') ?? get('SHOPEE_ENV'),
          ['production', 'sandbox'],
          'production',
        ),
        region: oneOf('SHOPEE_REGION', get('SHOPEE_REGION'), ['global', 'china', 'brazil'], 'global'),
        shopId: get('SHOPEE_SHOP_ID'),
        redirectUrl: get('SHOPEE_REDIRECT_URL'),
        pushKey: get('SHOPEE_PUSH_KEY'),
      }
    : undefined;
  const tiktok: TikTokConfig | undefined = isConfigured(env, 'tiktok')
    ? {
        appKey: get('TIKTOK_APP_KEY')!,
        appSecret: get('TIKTOK_APP_SECRET')!,
        serviceId: get('TIKTOK_SERVICE_ID'),
        redirectUrl: get('TIKTOK_REDIRECT_URL'),
        shopId: get('TIKTOK_SHOP_ID'),
      }
    : undefined;
  const port = get('PORT');
  if (port !== undefined && !/^\d+$/.test(port)) throw new Error(`PORT must be a port number, not "${port}"`);
  return {
    meli,
    shopee,
    tiktok,
    tokenKey: get('MLH_TOKEN_KEY') ?? get('TOKEN_ENCRYPTION_KEY'),
    tokenFile: get('MLH_TOKEN_FILE') ?? DEFAULT_TOKEN_FILE,
    databaseUrl: get('DATABASE_URL'),
    publicUrl: get('MLH_PUBLIC_URL')?.replace(/\/+$/, ''),
    port: port === undefined ? undefined : Number(port),
  };
}

/** The marketplaces called for real under this configuration. */
export function liveMarketplaces(config: ExampleConfig): Marketplace[] {
  return MARKETPLACES.filter((marketplace) => config[marketplace] !== undefined);
}
