/**
 * Several sellers in one process: a multi-tenant app where two shops ("Loja Azul" and "Loja
 * Verde") each have an account on Mercado Livre, Shopee and TikTok Shop. One app object per
 * marketplace serves every account; `forAccount(id)` gives each account its own immutable
 * client, and every call is scoped to that account's tokens, so tenants can never mix.
 *
 *   npx tsx multi-seller.ts
 *
 * The proof, all at once and concurrently: each tenant publishes its own catalog, each client
 * lists exactly its own products back from the marketplace, and when every Mercado Livre access
 * token expires at once, each account refreshes its own.
 */
import { type MarketplaceClient, money, normalizeProduct, type Product, redact } from '@mlh/core';
import { createMemorySyncStore, ProductSync } from '@mlh/sync';
import { prepareListing } from './lib/catalog';
import { type Env, MARKETPLACES, type Marketplace } from './lib/config';
import { connectMarketplaces, type Marketplaces } from './lib/marketplaces';
import { MARKETPLACE_NAMES, type Print, runWhenMain, table } from './lib/report';
import { SANDBOX_IMAGE_HOST } from './lib/sandbox';

/** One tenant of the app: a shop with its own catalog and an account on each marketplace. */
interface Tenant {
  name: string;
  catalog: Product[];
  clients: MarketplaceClient[];
}

/** One client's view after the run. */
export interface AccountCheck {
  tenant: string;
  marketplace: Marketplace;
  accountId: string;
  /** SKUs the marketplace returned to this account's client. */
  listed: string[];
  /** The SKUs of the tenant's catalog. */
  expected: string[];
  /** The end of the account's access token (never the whole token). */
  token: string;
}

function catalogOf(prefix: string, title: string, price: string): Product[] {
  return [
    normalizeProduct({
      sku: `${prefix}-MUG`,
      title: `Caneca ${title}`,
      description: `Caneca de cerâmica ${title.toLowerCase()}.`,
      images: [`${SANDBOX_IMAGE_HOST}/${prefix.toLowerCase()}-mug.jpg`],
      price: money(price, 'BRL'),
      quantity: 5,
    }),
  ];
}

/** Runs two tenants side by side and returns, per account, what its client saw. */
export async function main(options: { env?: Env; print?: Print } = {}): Promise<AccountCheck[]> {
  const print = options.print ?? console.log;
  const marketplaces = await connectMarketplaces({ env: options.env ?? process.env });
  try {
    // Two accounts per marketplace (sandbox); for real, every account the OAuth examples stored.
    const accounts = {
      meli: await marketplaces.accounts('meli', 2),
      shopee: await marketplaces.accounts('shopee', 2),
      tiktok: await marketplaces.accounts('tiktok', 2),
    };
    const clientFor = (marketplace: Marketplace, accountId: string): MarketplaceClient =>
      marketplace === 'meli'
        ? marketplaces.meli.forAccount(accountId)
        : marketplace === 'shopee'
          ? marketplaces.shopee.forAccount(accountId)
          : marketplaces.tiktok.forAccount(accountId);
    const tenants: Tenant[] = [
      ['Loja Azul', catalogOf('AZUL', 'Azul', '44.90')] as const,
      ['Loja Verde', catalogOf('VERDE', 'Verde', '46.90')] as const,
    ].map(([name, catalog], index) => ({
      name,
      catalog,
      clients: MARKETPLACES.flatMap((marketplace) => {
        const accountId = accounts[marketplace][index];
        return accountId === undefined ? [] : [clientFor(marketplace, accountId)];
      }),
    }));

    // Each tenant syncs with its own store (in a real app: its rows of your database), all at once.
    print('Publishing both tenants’ catalogs concurrently...');
    await Promise.all(
      tenants.map(async (tenant) => {
        const store = createMemorySyncStore();
        await store.upsertProducts(tenant.catalog);
        const summary = await new ProductSync({
          store,
          clients: tenant.clients,
          prepare: prepareListing,
        }).run();
        print(`  ${tenant.name}: ${summary.created} listings created, ${summary.failed.length} failed`);
      }),
    );

    if (marketplaces.modes.meli === 'sandbox') await expireMeliTokens(marketplaces, print);

    // Every client lists its products back, all concurrently.
    const checks = await Promise.all(
      tenants.flatMap((tenant) =>
        tenant.clients.map(async (client): Promise<AccountCheck> => {
          const listed: string[] = [];
          for await (const product of client.listProducts()) listed.push(product.sku);
          const stored = await marketplaces.stores.tokenStore.get(client.marketplace, client.accountId);
          return {
            tenant: tenant.name,
            marketplace: client.marketplace as Marketplace,
            accountId: client.accountId,
            listed: listed.sort(),
            expected: tenant.catalog.map((product) => product.sku).sort(),
            token: redact(stored?.accessToken ?? ''),
          };
        }),
      ),
    );
    print('');
    print(
      table([
        ['tenant', 'marketplace', 'account', 'access token', 'listed on the marketplace', 'own catalog only'],
        ...checks.map((check) => [
          check.tenant,
          MARKETPLACE_NAMES[check.marketplace],
          check.accountId,
          check.token,
          check.listed.join(', '),
          check.listed.join() === check.expected.join() ? '✓' : '✗',
        ]),
      ]),
    );
    return checks;
  } finally {
    await marketplaces.close();
  }
}

/**
 * Sandbox only: Mercado Livre's clock jumps 7 hours, so every access token it issued has expired.
 * The next calls of both sellers, made at the same time, get 401 and each refreshes with its own
 * single-use refresh token (a mix-up here would log one seller in as the other, or burn a token).
 */
async function expireMeliTokens(marketplaces: Marketplaces, print: Print): Promise<void> {
  const sandbox = marketplaces.sandboxes.meli;
  if (!sandbox) return;
  sandbox.clock.advance(7 * 60 * 60 * 1000);
  let refreshes = 0;
  marketplaces.meli.transport.events.on('tokenRefresh', () => {
    refreshes += 1;
  });
  const sellers = sandbox.listItems().map((item) => String(item.seller_id));
  await Promise.all(
    [...new Set(sellers)].map(async (sellerId) => {
      const { data: me } = await marketplaces.meli.forAccount(sellerId).users.me();
      if (String(me.id) !== sellerId) throw new Error(`seller ${sellerId} was answered as ${me.id}`);
    }),
  );
  print(
    `Mercado Livre tokens expired (sandbox clock +7 h): ${refreshes} accounts refreshed their own tokens.`,
  );
}

runWhenMain(import.meta.url, () => main());
