/**
 * Orders on a schedule: `OrderSync` polls every account by update time from a checkpoint kept
 * in the sync store, under a lease (several workers never poll one account at once), and stores
 * each order once with its newest state. Webhooks get lost; this is what catches up.
 *
 *   npx tsx poll-orders.ts
 *
 * In the sandbox: every account every 2 seconds, for 3 rounds of "a buyer orders on each
 * marketplace, the schedule picks the orders up". With real credentials: OrderSync's defaults
 * (Shopee every 5 minutes, Mercado Livre and TikTok Shop every hour), until Ctrl-C.
 */
import type { MarketplaceClient } from '@mlh/core';
import { type OrderPollSummary, OrderSync } from '@mlh/sync';
import { orderOnEverySandbox } from './lib/buyers';
import type { Env } from './lib/config';
import { connectMarketplaces } from './lib/marketplaces';
import { marketplaceName, type Print, runWhenMain } from './lib/report';

/** Options of {@link main}. */
export interface PollOrdersOptions {
  env?: Env;
  print?: Print;
  /** Time between two runs for an account. Default: 2 s in the sandbox, OrderSync's defaults for real. */
  intervalMs?: number;
  /** Sandbox only: how many rounds of "buyers order, then every account is polled". Default 3. */
  rounds?: number;
}

/** What a sandbox run did: every poll, and the orders stored per account. */
export interface PollOrdersRun {
  polls: OrderPollSummary[];
  stored: Record<string, string[]>;
}

export async function main(options: PollOrdersOptions = {}): Promise<PollOrdersRun> {
  const print = options.print ?? console.log;
  const marketplaces = await connectMarketplaces({ env: options.env ?? process.env });
  try {
    const { meli, shopee, tiktok, modes } = marketplaces;
    const accounts = {
      meli: (await marketplaces.accounts('meli'))[0] ?? '',
      shopee: (await marketplaces.accounts('shopee'))[0] ?? '',
      tiktok: (await marketplaces.accounts('tiktok'))[0] ?? '',
    };
    const clients: MarketplaceClient[] = [
      meli.forAccount(accounts.meli),
      shopee.forAccount(accounts.shopee),
      tiktok.forAccount(accounts.tiktok),
    ];
    const live = Object.values(modes).includes('live');
    const intervalMs = options.intervalMs ?? (live ? undefined : 2_000);

    const store = marketplaces.stores.syncStore;
    // Shopee is polled every pollIntervalMs (default: its capabilities.orderPollIntervalMs, 5 min),
    // each poll preceded by a replay of the pushes Shopee failed to deliver (its lost pushes).
    // Mercado Livre and TikTok Shop push order webhooks, so they are reconciled every
    // reconcileIntervalMs (default 1 h): the notifications the marketplace kept for us are
    // replayed (Mercado Livre's missed feeds), then the account is polled, for the webhooks that got lost.
    const orders = new OrderSync({
      store,
      clients,
      ...(intervalMs === undefined ? {} : { pollIntervalMs: intervalMs, reconcileIntervalMs: intervalMs }),
    });
    const polls: OrderPollSummary[] = [];
    orders.on('finished', ({ kind, summary }) => {
      if (kind !== 'orders.poll') return;
      const poll = summary as OrderPollSummary;
      polls.push(poll);
      print(
        `  poll ${marketplaceName(poll.marketplace).padEnd(13)} ${poll.fetched} fetched, ${poll.created} new, ${poll.updated} updated; checkpoint ${poll.checkpoint ?? '–'}`,
      );
    });
    orders.on('item.failed', (failure) =>
      print(`  ✗ ${failure.marketplace} ${failure.stage}: ${failure.reason}`),
    );

    const storedIds = new Set<string>();
    orders.on('order.upserted', ({ orderId }) => storedIds.add(orderId));

    print(
      `Polling ${clients.length} accounts${intervalMs === undefined ? '' : ` every ${intervalMs / 1000} s`}`,
    );
    orders.start();
    if (live) {
      print('Ctrl-C stops.');
      await new Promise((resolve) => process.once('SIGINT', resolve));
    } else {
      for (let round = 1; round <= (options.rounds ?? 3); round++) {
        const placed = Object.values(await orderOnEverySandbox(marketplaces.sandboxes, accounts));
        print(`Round ${round}: buyers ordered ${placed.join(', ')}`);
        // The next poll of each account picks its order up (or the one after, for an order
        // updated in the very second a poll ran: the overlap window makes polls re-read it).
        await until(orders, () => placed.every((id) => storedIds.has(id)));
      }
    }
    await orders.stop();

    const stored: Record<string, string[]> = {};
    for (const client of clients) {
      const page = await store.listOrders({
        marketplace: client.marketplace,
        accountId: client.accountId,
        limit: 100,
      });
      stored[client.marketplace] = page.items.map(({ order }) => order.externalId);
    }
    return { polls, stored };
  } finally {
    await marketplaces.close();
  }
}

/** Resolves after the first poll at whose end `done()` holds. */
function until(orders: OrderSync, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return;
      orders.off('finished', check);
      resolve();
    };
    orders.on('finished', check);
  });
}

runWhenMain(import.meta.url, () => main());
