/**
 * `pnpm demo`: a seller's app selling one catalog on Mercado Livre, Shopee and TikTok Shop, end
 * to end, against the sandboxes of `@mlh/testing` (offline, a few seconds):
 *
 * 1. the catalog (with variants) goes into the sync store;
 * 2. `ProductSync` lists it on the three marketplaces and stores the listings' ids;
 * 3. buyers order on each marketplace; Mercado Livre and TikTok Shop send webhooks (each one
 *    twice) to a real local HTTP server, Shopee is polled; `OrderSync` stores each order once;
 * 4. `InventorySync` lowers the stock on every marketplace;
 * 5. a buyer cancels an order and the stock comes back; an order is shipped with a tracking number;
 *    the shipping label of another is downloaded (PDF bytes); a Shopee order's net proceeds are
 *    read line by line and checked against the escrow Shopee reports;
 *    (after step 2, on the Shopee sandbox: a product listed in the category `suggestCategories`
 *    chose, with its required attributes filled, and one refused before any call, the missing
 *    attribute named);
 * 6. a delivered Mercado Livre order comes back: the buyer's claim is read as a core `Return`, the
 *    seller accepts it, the parcel arrives over the sandbox clock and `ReturnSync` restocks its
 *    units (once, however many notifications name it), then the buyer is refunded;
 * 7. a reconcile reads every listing back, and a summary shows the numbers.
 *
 * With a marketplace's credentials in the environment (see `.env.example`), that marketplace is
 * called for real instead: the start-up banner says exactly what changes, and nothing is sent
 * until the demo is run again with `--live`.
 */
import {
  type Env,
  type ExampleConfig,
  liveMarketplaces,
  MARKETPLACES,
  type Marketplace,
  readConfig,
} from './lib/config';
import type { MessagesOutcome } from './lib/messages-step';
import { MARKETPLACE_NAMES as NAMES, type Print, runWhenMain, seconds } from './lib/report';
import type { RequirementsOutcome } from './lib/requirements-step';
import type { ReturnOutcome } from './lib/return-step';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where credentials are read from. Default `process.env`; tests pass `{}` for the sandboxes. */
  env?: Env;
  /** Where progress and the summary go. Default `console.log`. */
  print?: Print;
  /** Confirms calls to the real marketplaces whose credentials are set (`--live`). */
  live?: boolean;
}

/** The numbers of one marketplace at the end of the run. */
export interface MarketplaceNumbers {
  mode: 'sandbox' | 'live';
  accountId: string;
  listings: number;
  ordersPlaced: number;
  /** Orders in the store, and how many store writes created one (each order exactly once). */
  ordersStored: number;
  ordersCreated: number;
  /** Every webhook accepted, on any topic; of which about orders (each one printed in the log). */
  webhooksAccepted: number;
  orderWebhooksAccepted: number;
  duplicatesDropped: number;
  apiCalls: number;
  retries: number;
}

/** One SKU's stock before and after, in the store and as each marketplace shows it. */
export interface StockLine {
  sku: string;
  before: number;
  sold: number;
  cancelled: number;
  /** Units of received returns put back into stock. */
  returned: number;
  after: number;
  onMarketplace: Partial<Record<Marketplace, number>>;
}

/** What {@link runDemo} did; `ran` is false when it only printed the plan for real marketplaces. */
export interface DemoSummary {
  ran: boolean;
  marketplaces: Partial<Record<Marketplace, MarketplaceNumbers>>;
  stock: StockLine[];
  cancelled: { marketplace: Marketplace; orderId: string; status: string | undefined } | undefined;
  shipped: { marketplace: Marketplace; orderId: string; trackingNumber: string | undefined } | undefined;
  /** The label downloaded for a paid order: what came back, not the file itself. */
  label:
    | { marketplace: Marketplace; shipmentId: string; format: string; contentType: string; bytes: number }
    | undefined;
  /** One order's net proceeds: its gross, net, the net the marketplace reports, and whether the lines add up to it. */
  proceeds:
    | {
        marketplace: Marketplace;
        orderId: string;
        gross: string;
        net: string;
        reportedNet: string | undefined;
        currency: string;
        lines: number;
        balanced: boolean;
      }
    | undefined;
  /** One Mercado Livre order returned: claim, return accepted, received, restocked, refunded (sandbox only). */
  returned: ReturnOutcome | undefined;
  /** A listing created in a suggested category, and one refused before any call (sandbox only). */
  requirements: RequirementsOutcome | undefined;
  reconcile: { checked: number; drift: number };
  /** A pre-sale question answered and a post-sale message answered (Mercado Livre sandbox only). */
  messages?: MessagesOutcome | undefined;
  failures: string[];
}

/** Runs the demo and returns its summary (also printed). */
export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const print = options.print ?? console.log;
  const config = readConfig(options.env ?? process.env);
  printBanner(print, config);
  if (liveMarketplaces(config).length > 0 && !options.live) {
    print('\nNothing was sent. Run again with --live (pnpm demo --live) to go ahead.');
    return {
      ran: false,
      marketplaces: {},
      stock: [],
      cancelled: undefined,
      shipped: undefined,
      label: undefined,
      proceeds: undefined,
      returned: undefined,
      requirements: undefined,
      reconcile: { checked: 0, drift: 0 },
      failures: [],
    };
  }

  // The SDK, msw and the sandboxes take a moment to load: the banner above is printed first.
  print('\nLoading the SDK and starting the sandboxes…');
  const loading = performance.now();
  const [{ connectMarketplaces }, { runFlow }] = await Promise.all([
    import('./lib/marketplaces'),
    import('./lib/demo-flow'),
  ]);
  const marketplaces = await connectMarketplaces({ env: options.env ?? process.env });
  print(`  ready in ${seconds(performance.now() - loading)}`);
  try {
    return await runFlow(marketplaces, print);
  } finally {
    await marketplaces.close();
  }
}

/** Says, before anything runs, which marketplaces are real and what that changes. */
function printBanner(print: Print, config: ExampleConfig): void {
  const live = liveMarketplaces(config);
  print('@mlh demo: one catalog on Mercado Livre, Shopee and TikTok Shop\n');
  const hosts: Record<Marketplace, string> = {
    meli: 'api.mercadolibre.com',
    shopee: config.shopee?.environment === 'sandbox' ? 'Shopee Sandbox v2' : 'partner.shopeemobile.com',
    tiktok: 'open-api.tiktokglobalshop.com',
  };
  const account: Record<Marketplace, string | undefined> = {
    meli: config.meli?.userId,
    shopee: config.shopee?.shopId,
    tiktok: config.tiktok?.shopId,
  };
  for (const marketplace of MARKETPLACES) {
    const where = live.includes(marketplace)
      ? `REAL: ${hosts[marketplace]}, account ${account[marketplace] ?? '(the one the OAuth example stored)'}`
      : 'sandbox: @mlh/testing plays it in this process, nothing leaves the machine';
    print(`  ${NAMES[marketplace].padEnd(13)} ${where}`);
  }
  if (live.length === 0) {
    print("\nPut a marketplace's credentials in the environment (see .env.example) to call it for real.");
    return;
  }
  const names = live.map((marketplace) => NAMES[marketplace]).join(', ');
  print(`\nWith real credentials, for ${names}:`);
  print(
    `  · the 3 demo products (SKUs MUG-300, CAP, TSHIRT-M, TSHIRT-G) are LISTED FOR REAL on your account;`,
  );
  print("    edit examples/lib/catalog.ts first: its categories, images and logistics are the sandboxes'");
  print('  · no simulated buyers: the orders are your real ones, polled from the last 24 hours;');
  print(
    '    real webhooks reach this machine only through a tunnel registered as the callback URL (MLH_PUBLIC_URL)',
  );
  print('  · no order is cancelled or shipped, and no fault is injected');
  print('  · stock of the demo SKUs is pushed to the listings the demo created');
  print(
    `  · tokens are read, decrypted with MLH_TOKEN_KEY, from ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.tokenFile}`,
  );
  print('    (run npx tsx oauth-<marketplace>.ts first to authorize a seller)');
  if (config.databaseUrl && live.length === 3) print('  · the sync state is kept in PostgreSQL too');
}

runWhenMain(import.meta.url, () => runDemo({ live: process.argv.includes('--live') }));
