/**
 * The webhook endpoint of webhooks.ts on Node's `http` server: one port for Mercado Livre,
 * Shopee and TikTok Shop (POST /webhooks/meli, /webhooks/shopee, /webhooks/tiktok).
 *
 *   npx tsx webhook-server.ts
 *
 * In the sandbox, a buyer orders on each marketplace and the three sandboxes deliver their
 * webhooks to this server, each one twice (marketplaces deliver at least once): every notification
 * is printed once, numbered per resource (#1, #2, … when several name the same order or item),
 * and the copies are dropped. With real credentials it keeps listening on PORT
 * (default 3000); put it behind a tunnel and register MLH_PUBLIC_URL/webhooks/<marketplace> as
 * the callback URL on each marketplace.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MlhEvent, toNodeListener } from '@mlh/core';
import { orderOnEverySandbox } from './lib/buyers';
import { MARKETPLACES, readConfig } from './lib/config';
import { connectMarketplaces, type Marketplaces } from './lib/marketplaces';
import { describeNotification, notificationNumbers, type Print, runWhenMain } from './lib/report';
import { createWebhooks, type WebhookEnv } from './webhooks';

/** The origin the sandboxes act as if this server were published at (a real app: its tunnel or domain). */
const SANDBOX_PUBLIC_URL = 'https://webhooks.example.com';

/** What a sandbox run received. */
export interface WebhookServerRun {
  events: MlhEvent[];
  duplicates: MlhEvent[];
  /** HTTP statuses the server answered the marketplaces with. */
  statuses: number[];
}

/** Starts the server; in sandbox runs, drives one order per marketplace through it and stops. */
export async function main(options: { env?: WebhookEnv; print?: Print } = {}): Promise<WebhookServerRun> {
  const print = options.print ?? console.log;
  const env = options.env ?? process.env;
  const config = readConfig(env);
  const publicUrl = config.publicUrl ?? SANDBOX_PUBLIC_URL;
  const marketplaces = await connectMarketplaces({ env, shopeeCallbackUrl: `${publicUrl}/webhooks/shopee` });
  try {
    const events: MlhEvent[] = [];
    const duplicates: MlhEvent[] = [];
    // Several notifications can name one resource (an item created, then its stock changed): each
    // is numbered, so a line that looks like the one above is a new notification, not a copy.
    const numbers = notificationNumbers();
    const webhooks = createWebhooks(variablesOf(marketplaces, publicUrl), (event) => {
      events.push(event);
      print(`  ${describeNotification(event, numbers.accepted(event))} (account ${event.accountId})`);
    });
    webhooks.events.on('duplicate', (event) => duplicates.push(event));

    // Mount it before any body parser: verification reads the raw body.
    const server = createServer(toNodeListener(webhooks));
    const live = MARKETPLACES.some((marketplace) => marketplaces.modes[marketplace] === 'live');
    await new Promise<void>((resolve) =>
      server.listen(config.port ?? (live ? 3000 : 0), '127.0.0.1', resolve),
    );
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    print(`Listening on ${origin}/webhooks/{meli,shopee,tiktok}`);

    if (live) {
      print(
        `Register ${publicUrl}/webhooks/<marketplace> on each marketplace (a tunnel to this port). Ctrl-C stops.`,
      );
      await new Promise((resolve) => process.once('SIGINT', resolve));
      server.close();
      return { events, duplicates, statuses: [] };
    }

    // The sandboxes deliver to this server, each webhook twice (at-least-once delivery).
    for (const marketplace of MARKETPLACES) {
      marketplaces.sandboxes[marketplace]?.webhooks.configure({
        target: `${origin}/webhooks/${marketplace}`,
        duplicates: true,
      });
    }
    const accounts = {
      meli: (await marketplaces.accounts('meli'))[0],
      shopee: (await marketplaces.accounts('shopee'))[0],
      tiktok: (await marketplaces.accounts('tiktok'))[0],
    };
    print('A buyer orders and pays on each marketplace; the webhooks arrive:');
    await orderOnEverySandbox(marketplaces.sandboxes, accounts);
    const statuses: number[] = [];
    for (const marketplace of MARKETPLACES) {
      statuses.push(...((await marketplaces.sandboxes[marketplace]?.webhooks.flush()) ?? []));
    }
    print(
      `${statuses.length} deliveries answered ${[...new Set(statuses)].join('/')}: the ${events.length} notifications above, and ${duplicates.length} duplicate copies dropped.`,
    );
    await new Promise((resolve) => server.close(resolve));
    return { events, duplicates, statuses };
  } finally {
    await marketplaces.close();
  }
}

/** The endpoint's variables: the environment, or the sandbox apps' credentials. */
function variablesOf(marketplaces: Marketplaces, publicUrl: string): WebhookEnv {
  const { meli, shopee, tiktok } = marketplaces.credentials;
  return {
    MELI_CLIENT_ID: meli.clientId,
    MELI_NOTIFICATION_SECRET: meli.notificationSecret,
    SHOPEE_PARTNER_KEY: shopee.partnerKeys.at(-1),
    SHOPEE_PUSH_KEY: shopee.partnerKeys.length > 1 ? shopee.partnerKeys[0] : undefined,
    TIKTOK_APP_KEY: tiktok.appKey,
    TIKTOK_APP_SECRET: tiktok.appSecret,
    MLH_PUBLIC_URL: publicUrl,
  };
}

runWhenMain(import.meta.url, () => main());
