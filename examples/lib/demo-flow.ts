/**
 * The flow of `pnpm demo` (examples/demo.ts), loaded once the banner is printed: the catalog,
 * the listings, the orders by webhook and by polling, the stock pushes, a cancellation, a
 * shipment, a reconcile and the summary.
 */
import { createWebhookHandler, type MarketplaceClient, type Product, toNodeListener } from '@mlh/core';
import {
  eventClaimStore,
  InventorySync,
  OrderSync,
  ProductSync,
  ReturnSync,
  type StockPushedEvent,
} from '@mlh/sync';
import type { DemoSummary, MarketplaceNumbers, StockLine } from '../demo';
import { type PlacedOrder, sandboxBuyers } from './buyers';
import { demoCatalog, prepareListing } from './catalog';
import { MARKETPLACES, type Marketplace } from './config';
import { listen } from './http';
import { attachInvoiceIfRequired } from './invoice-step';
import type { Marketplaces } from './marketplaces';
import { answerBuyers, type MessagesOutcome } from './messages-step';
import {
  describeNotification,
  marketplaceName,
  MARKETPLACE_NAMES as NAMES,
  notificationNumbers,
  type Print,
  seconds,
  table,
} from './report';
import { listFromSuggestedCategory, type RequirementsOutcome } from './requirements-step';
import { handleOneReturn } from './return-step';
import { injectTransientFaults } from './sandbox';

const TRACKING_NUMBER = 'AA123456785BR';

/** Runs the demo's steps on connected marketplaces and prints the summary. */
export async function runFlow(m: Marketplaces, print: Print): Promise<DemoSummary> {
  const startedAt = performance.now();
  const { syncStore: store } = m.stores;
  const sandboxed = MARKETPLACES.filter((marketplace) => m.modes[marketplace] === 'sandbox');
  const failures: string[] = [];
  const retries = countRetries(m);
  const faults = injectTransientFaults(m.sandboxes);
  if (faults.length > 0)
    print(`\nFaults switched on (the transport retries them):\n${faults.map((f) => `  · ${f}`).join('\n')}`);

  // One client per seller account: immutable, scoped to that account's tokens.
  const accountIds = {
    meli: (await m.accounts('meli'))[0] ?? '',
    shopee: (await m.accounts('shopee'))[0] ?? '',
    tiktok: (await m.accounts('tiktok'))[0] ?? '',
  };
  const clients: Record<Marketplace, MarketplaceClient> = {
    meli: m.meli.forAccount(accountIds.meli),
    shopee: m.shopee.forAccount(accountIds.shopee),
    tiktok: m.tiktok.forAccount(accountIds.tiktok),
  };
  const allClients = Object.values(clients);

  step(print, 1, 'The catalog goes into the sync store (memory here; your database in production)');
  const catalog = demoCatalog();
  await store.upsertProducts(catalog);
  const skus = catalog.flatMap((product) => variantSkus(product));
  const before = new Map((await store.getStock(skus)).map((level) => [level.sku, level.quantity]));
  for (const product of catalog)
    print(`  ${product.sku.padEnd(8)} ${product.title}: ${describeStock(product)}`);

  const inventory = new InventorySync({ store, clients: allClients });
  const products = new ProductSync({ store, clients: allClients, prepare: prepareListing });
  const orders = new OrderSync({ store, clients: allClients, inventory });
  // Returns: a received return's units go back into stock once, whatever notifies it.
  const returns = new ReturnSync({ store, clients: allClients, inventory });
  const returned = new Map<string, number>();
  products.on('item.synced', (e) =>
    print(
      `  ${marketplaceName(e.marketplace).padEnd(13)} ${e.sku.padEnd(8)} ${e.actions.join(', ')} → ${e.productExternalId}`,
    ),
  );
  for (const emitter of [products, orders, inventory]) {
    emitter.on('item.failed', (e) => {
      failures.push(`${e.marketplace} ${e.sku ?? e.orderId ?? ''} ${e.stage}: ${e.reason}`);
      print(`  ✗ ${marketplaceName(e.marketplace)} ${e.sku ?? e.orderId ?? ''} ${e.stage}: ${e.reason}`);
    });
  }
  const ordersCreated: Record<Marketplace, number> = { meli: 0, shopee: 0, tiktok: 0 };
  orders.on('order.upserted', (e) => {
    if (e.outcome === 'created') ordersCreated[e.marketplace as Marketplace] += 1;
    const moved = e.stock.filter((level) => level.applied).map((level) => `${level.sku} → ${level.quantity}`);
    print(
      `  order ${marketplaceName(e.marketplace)} ${e.orderId}: ${e.outcome}, ${e.status}${moved.length > 0 ? ` (stock ${moved.join(', ')})` : ''}`,
    );
  });
  const pushed: StockPushedEvent[] = [];
  inventory.on('stock.pushed', (e) => pushed.push(e));

  step(print, 2, 'ProductSync lists the catalog on the three marketplaces');
  await products.run();

  // Sandbox only: with real credentials this would list a real product outside the catalog.
  let requirements: RequirementsOutcome | undefined;
  const shopeeSandbox = m.modes.shopee === 'sandbox' ? m.sandboxes.shopee : undefined;
  if (shopeeSandbox) {
    print('\n  A category suggested for a title, its requirements checked before create (Shopee):');
    requirements = await listFromSuggestedCategory(
      clients.shopee,
      catalog[0]?.images ?? [],
      () =>
        Object.entries(shopeeSandbox.stats().byPath)
          .filter(([path]) => /add_item|upload_image|init_tier_variation/.test(path))
          .reduce((sum, [, count]) => sum + count, 0),
      print,
    );
  }

  step(print, 3, 'A real local HTTP server receives the webhooks; OrderSync ingests each order');
  const webhooks = createWebhookHandler({
    sources: {
      meli: m.meli.webhookSource(
        m.credentials.meli.notificationSecret === undefined
          ? {}
          : { secret: m.credentials.meli.notificationSecret },
      ),
      tiktok: m.tiktok.webhookSource(),
    },
    // Shared with OrderSync's store, so every process of an app sees the same "already received".
    dedupe: eventClaimStore(store),
  });
  const received: Record<Marketplace, { accepted: number; orders: number; duplicates: number }> = {
    meli: { accepted: 0, orders: 0, duplicates: 0 },
    shopee: { accepted: 0, orders: 0, duplicates: 0 },
    tiktok: { accepted: 0, orders: 0, duplicates: 0 },
  };
  // Order webhooks get a line each; the others (listings, shipments, …) one line per delivery round.
  const notificationNumber = notificationNumbers();
  const notShown = { accepted: new Map<string, number>(), copies: 0 };
  const ingesting: Promise<unknown>[] = [];
  webhooks.events.on('event', (event) => {
    const counts = received[event.marketplace as Marketplace];
    counts.accepted += 1;
    const number = notificationNumber.accepted(event);
    if (event.resourceType === 'order') {
      counts.orders += 1;
      print(`  webhook ${describeNotification(event, number)}`);
    } else {
      const about = `${marketplaceName(event.marketplace)} ${event.resourceType}`;
      notShown.accepted.set(about, (notShown.accepted.get(about) ?? 0) + 1);
    }
    // Acknowledge first, work after: the handler answers as soon as the listeners return.
    ingesting.push(
      (event.resourceType === 'return' ? ingestReturn(event) : orders.ingest(event)).catch((error: unknown) =>
        failures.push(`ingest ${event.resourceId}: ${String(error)}`),
      ),
    );
  });
  async function ingestReturn(event: Parameters<typeof returns.ingest>[0]): Promise<void> {
    const result = await returns.ingest(event);
    if (result.status !== 'processed') return;
    for (const level of result.result.stock.filter((entry) => entry.applied)) {
      const item = result.result.ret.items.find((line) => line.sku === level.sku);
      returned.set(level.sku, (returned.get(level.sku) ?? 0) + (item?.quantity ?? 0));
      print(
        `  return ${result.result.ret.externalId} received: ${level.sku} back into stock → ${level.quantity}`,
      );
    }
  }
  webhooks.events.on('duplicate', (event) => {
    received[event.marketplace as Marketplace].duplicates += 1;
    if (event.resourceType === 'order')
      print(
        `  webhook ${describeNotification(event, notificationNumber.repeated(event))} again: duplicate copy, dropped`,
      );
    else notShown.copies += 1;
  });
  const printNotShown = () => {
    const total = [...notShown.accepted.values()].reduce((sum, count) => sum + count, 0);
    if (total === 0 && notShown.copies === 0) return;
    const about = [...notShown.accepted].map(([what, count]) => `${what} ${count}`).join(', ');
    print(
      `  + ${total} other webhook${total === 1 ? '' : 's'} (${about || 'none'}): accepted, no order to ingest; ${notShown.copies} duplicate cop${notShown.copies === 1 ? 'y' : 'ies'} dropped`,
    );
    notShown.accepted.clear();
    notShown.copies = 0;
  };
  const placed: PlacedOrder[] = [];
  let cancelled: DemoSummary['cancelled'];
  let shipped: DemoSummary['shipped'];
  let label: DemoSummary['label'];
  let messages: MessagesOutcome | undefined;
  let proceeds: DemoSummary['proceeds'];
  let returnOutcome: DemoSummary['returned'];
  let reconcile = { checked: 0, drift: 0 };
  const server = await listen(toNodeListener(webhooks), m.config.port ?? (sandboxed.length === 3 ? 0 : 3000));
  try {
    print(`  listening on ${server.origin}/webhooks/meli and /webhooks/tiktok`);
    for (const marketplace of ['meli', 'tiktok'] as const) {
      // Each webhook is delivered twice, as marketplaces do (at-least-once delivery).
      m.sandboxes[marketplace]?.webhooks.configure({
        target: `${server.origin}/webhooks/${marketplace}`,
        duplicates: true,
      });
    }
    const settle = async () => {
      await Promise.all(ingesting.splice(0));
      await inventory.idle();
      printNotShown();
    };

    const buyers = sandboxBuyers(m.sandboxes, store);
    if (sandboxed.length > 0) {
      print('  buyers order:');
      const plan: Array<[Marketplace, Array<{ sku: string; quantity: number }>]> = [
        ['meli', [{ sku: 'TSHIRT-M', quantity: 1 }]],
        ['meli', [{ sku: 'MUG-300', quantity: 2 }]],
        [
          'shopee',
          [
            { sku: 'TSHIRT-G', quantity: 1 },
            { sku: 'MUG-300', quantity: 1 },
          ],
        ],
        ['tiktok', [{ sku: 'CAP', quantity: 3 }]],
      ];
      for (const [marketplace, lines] of plan) {
        if (m.modes[marketplace] !== 'sandbox') continue;
        const order = await buyers.order(marketplace, accountIds[marketplace], lines);
        placed.push(order);
        print(
          `    ${NAMES[marketplace].padEnd(13)} ${order.orderId}: ${lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')} (paid)`,
        );
      }
      await buyers.deliverWebhooks();
      await settle();
    }

    step(print, 4, 'Shopee is polled (and every marketplace with real credentials)');
    for (const marketplace of MARKETPLACES) {
      if (marketplace !== 'shopee' && m.modes[marketplace] === 'sandbox') continue;
      const poll = await orders.poll({ marketplace, accountId: accountIds[marketplace] });
      print(`  polled ${NAMES[marketplace]}: ${poll.fetched} order(s) fetched, ${poll.created} new`);
    }
    await settle();

    step(print, 5, 'InventorySync pushed the new stock to every listing');
    printPushes(print, pushed.splice(0));

    const toCancel = placed.find(
      (order) => order.marketplace === 'meli' && order.lines[0]?.sku === 'MUG-300',
    );
    if (toCancel) {
      step(
        print,
        6,
        `A buyer cancels ${NAMES[toCancel.marketplace]} order ${toCancel.orderId}: the stock comes back`,
      );
      await buyers.cancel(toCancel);
      await buyers.deliverWebhooks();
      await settle();
      printPushes(print, pushed.splice(0));
      const stored = await store.getOrder({
        marketplace: toCancel.marketplace,
        accountId: toCancel.accountId,
        externalId: toCancel.orderId,
      });
      cancelled = {
        marketplace: toCancel.marketplace,
        orderId: toCancel.orderId,
        status: stored?.order.status,
      };
    }

    const toShip = placed.find((order) => order.marketplace === 'tiktok');
    if (toShip) {
      step(
        print,
        7,
        `The seller ships ${NAMES[toShip.marketplace]} order ${toShip.orderId} with a tracking number`,
      );
      // Brazil: the NF-e goes first where the marketplace needs one (a typed state of the order).
      const sandboxClock =
        m.modes[toShip.marketplace] === 'sandbox' ? m.sandboxes[toShip.marketplace]?.clock : undefined;
      await attachInvoiceIfRequired(clients[toShip.marketplace], toShip.orderId, sandboxClock, print);
      const shipment = await clients[toShip.marketplace].fulfillOrder(toShip.orderId, {
        carrier: 'Correios',
        trackingNumber: TRACKING_NUMBER,
      });
      print(
        `  shipment ${shipment.externalId}: ${shipment.status}, ${shipment.carrier ?? ''} ${shipment.trackingNumber ?? ''}`,
      );
      await buyers.deliverWebhooks();
      await settle();
      const stored = await store.getOrder({
        marketplace: toShip.marketplace,
        accountId: toShip.accountId,
        externalId: toShip.orderId,
      });
      shipped = {
        marketplace: toShip.marketplace,
        orderId: toShip.orderId,
        trackingNumber: stored?.order.trackingNumber,
      };
    }

    const toLabel = placed.find((order) => order.marketplace === 'meli' && order !== toCancel);
    const labelClient = toLabel ? clients[toLabel.marketplace] : undefined;
    if (toLabel && labelClient?.getShippingLabel) {
      step(
        print,
        8,
        `The seller downloads the shipping label of ${NAMES[toLabel.marketplace]} order ${toLabel.orderId}`,
      );
      const [shipmentId] = (await labelClient.getOrder(toLabel.orderId)).shipmentIds;
      if (shipmentId) {
        const file = await labelClient.getShippingLabel(shipmentId, { format: 'pdf' });
        print(
          `  shipment ${shipmentId}: ${file.bytes.length} bytes of ${file.contentType}${file.fileName ? ` (${file.fileName})` : ''}, ready to print`,
        );
        label = {
          marketplace: toLabel.marketplace,
          shipmentId,
          format: file.format,
          contentType: file.contentType,
          bytes: file.bytes.length,
        };
      }
    }

    const meliSandbox = m.modes.meli === 'sandbox' ? m.sandboxes.meli : undefined;
    const mugListing = (
      await store.listListings({ marketplace: 'meli', accountId: accountIds.meli, limit: 100 })
    ).items.find((listing) => listing.sku === 'MUG-300' && listing.productExternalId);
    if (meliSandbox && mugListing?.productExternalId && toLabel) {
      step(print, 9, 'Questions and messages: a buyer asks before buying, another writes after the sale');
      messages = await answerBuyers({
        client: m.meli.forAccount(accountIds.meli),
        sandbox: meliSandbox,
        itemId: mugListing.productExternalId,
        orderId: toLabel.orderId,
        events: webhooks.events,
        deliver: async () => {
          await buyers.deliverWebhooks();
          await settle();
        },
        print,
      });
    }

    const toSettle = placed.find((order) => order.marketplace === 'shopee');
    const proceedsClient = toSettle ? clients[toSettle.marketplace] : undefined;
    if (toSettle && proceedsClient?.getOrderProceeds) {
      step(
        print,
        10,
        `What ${NAMES[toSettle.marketplace]} order ${toSettle.orderId} nets the seller, line by line`,
      );
      const net = await proceedsClient.getOrderProceeds(toSettle.orderId);
      const money = (value: { amount: string; currency: string }) =>
        `${value.amount.padStart(9)} ${value.currency}`;
      print(`  ${'gross'.padEnd(28)} ${money(net.gross)}`);
      for (const line of net.lines) print(`  ${line.label.padEnd(28)} ${money(line.amount)}  (${line.kind})`);
      print(`  ${'net'.padEnd(28)} ${money(net.net)}  (${net.status})`);
      print(
        net.balanced
          ? `  adds up to the ${net.reportedNet ? `${money(net.reportedNet).trim()} ` : ''}${NAMES[toSettle.marketplace]} reports`
          : `  ✗ does not add up: ${net.mismatches.map((m) => `${m.subject} differs by ${m.difference.amount}`).join('; ')}`,
      );
      proceeds = {
        marketplace: toSettle.marketplace,
        orderId: toSettle.orderId,
        gross: net.gross.amount,
        net: net.net.amount,
        reportedNet: net.reportedNet?.amount,
        currency: net.currency,
        lines: net.lines.length,
        balanced: net.balanced,
      };
    }

    if (toLabel && meliSandbox) {
      step(
        print,
        11,
        `The ${NAMES[toLabel.marketplace]} order ${toLabel.orderId} comes back: a claim, a return, its units restocked`,
      );
      returnOutcome = await handleOneReturn({
        client: clients.meli,
        sandbox: meliSandbox,
        order: toLabel,
        deliverAndSettle: async () => {
          await buyers.deliverWebhooks();
          await settle();
        },
        print,
      });
      printPushes(print, pushed.splice(0));
    }

    step(print, 12, 'Reconcile: every listing read back and compared with the store');
    const reconciled = await inventory.reconcile();
    reconcile = { checked: reconciled.checked, drift: reconciled.drift.length };
    print(
      `  ${reconciled.checked} listing SKUs checked, ${reconciled.drift.length} drifted, ${reconciled.missing.length} missing`,
    );
  } finally {
    await server.close();
  }

  // ── the summary ──────────────────────────────────────────────────────────────────────────────
  const calls = m.sandboxes.calls();
  const numbers = {} as Record<Marketplace, MarketplaceNumbers>;
  for (const marketplace of MARKETPLACES) {
    const client = clients[marketplace];
    const listings = await store.listListings({ marketplace, accountId: client.accountId, limit: 100 });
    const stored = await store.listOrders({ marketplace, accountId: client.accountId, limit: 100 });
    numbers[marketplace] = {
      mode: m.modes[marketplace],
      accountId: client.accountId,
      listings: listings.items.filter((listing) => listing.state === 'active').length,
      ordersPlaced: placed.filter((order) => order.marketplace === marketplace).length,
      ordersStored: stored.items.length,
      ordersCreated: ordersCreated[marketplace],
      webhooksAccepted: received[marketplace].accepted,
      orderWebhooksAccepted: received[marketplace].orders,
      duplicatesDropped: received[marketplace].duplicates,
      apiCalls: calls[marketplace] ?? retries.requests[marketplace],
      retries: retries.retries[marketplace],
    };
  }
  const stock = await stockLines(store, clients, skus, before, returned);
  const outcome = {
    cancelled,
    shipped,
    label,
    proceeds,
    returned: returnOutcome,
    requirements,
    messages,
    reconcile,
  };
  printSummary(print, numbers, stock, outcome);
  if (failures.length > 0)
    print(`✗ ${failures.length} failure(s):\n${failures.map((f) => `  ${f}`).join('\n')}`);
  // The flow's own time, and the whole run's: loading TypeScript, the SDK and msw is part of it.
  print(
    `\nDone: the flow took ${seconds(performance.now() - startedAt)}; ${seconds(process.uptime() * 1000)} since Node started (loading included).`,
  );
  return { ran: true, marketplaces: numbers, stock, ...outcome, failures };
}

// ── helpers of the demo's output ─────────────────────────────────────────────────────────────────

function step(print: Print, number: number, title: string): void {
  print(`\n${number}. ${title}`);
}

function variantSkus(product: Product): string[] {
  return product.variants.length > 0
    ? product.variants.flatMap((variant) => (variant.sku === undefined ? [] : [variant.sku]))
    : [product.sku];
}

function describeStock(product: Product): string {
  return product.variants
    .map(
      (variant) => `${variant.sku} ${variant.price.amount} ${variant.price.currency} × ${variant.quantity}`,
    )
    .join(', ');
}

/** Counts attempts and retries from every transport's events. */
function countRetries(m: Marketplaces) {
  const counts = {
    requests: { meli: 0, shopee: 0, tiktok: 0 } as Record<Marketplace, number>,
    retries: { meli: 0, shopee: 0, tiktok: 0 } as Record<Marketplace, number>,
  };
  for (const marketplace of MARKETPLACES) {
    for (const transport of m.transports[marketplace]) {
      transport.events.on('request', () => {
        counts.requests[marketplace] += 1;
      });
      transport.events.on('retry', () => {
        counts.retries[marketplace] += 1;
      });
    }
  }
  return counts;
}

/** One line per SKU: the value pushed and where. */
function printPushes(print: Print, pushes: readonly StockPushedEvent[]): void {
  const bySku = new Map<string, { quantity: number; where: Set<string> }>();
  for (const push of pushes) {
    const entry = bySku.get(push.variantSku) ?? { quantity: push.quantity, where: new Set<string>() };
    entry.quantity = push.quantity;
    entry.where.add(push.marketplace);
    bySku.set(push.variantSku, entry);
  }
  if (bySku.size === 0) print('  (nothing to push)');
  for (const [sku, { quantity, where }] of bySku) {
    const names = MARKETPLACES.filter((marketplace) => where.has(marketplace)).map(
      (marketplace) => NAMES[marketplace],
    );
    print(`  ${sku.padEnd(8)} = ${quantity} on ${names.join(', ')}`);
  }
}

async function stockLines(
  store: Marketplaces['stores']['syncStore'],
  clients: Record<Marketplace, MarketplaceClient>,
  skus: readonly string[],
  before: ReadonlyMap<string, number>,
  returned: ReadonlyMap<string, number>,
): Promise<StockLine[]> {
  const lines = new Map<string, StockLine>();
  for (const level of await store.getStock(skus)) {
    const start = before.get(level.sku) ?? 0;
    lines.set(level.sku, {
      sku: level.sku,
      before: start,
      sold: 0,
      cancelled: 0,
      returned: returned.get(level.sku) ?? 0,
      after: level.quantity,
      onMarketplace: {},
    });
  }
  for (const marketplace of MARKETPLACES) {
    const client = clients[marketplace];
    const stored = await store.listOrders({ marketplace, accountId: client.accountId, limit: 100 });
    for (const { order } of stored.items) {
      for (const item of order.items) {
        const line = item.sku === undefined ? undefined : lines.get(item.sku);
        if (!line) continue;
        line.sold += item.quantity;
        if (order.status === 'cancelled') line.cancelled += item.quantity;
      }
    }
    // What the marketplace itself shows, read back through its API.
    const listings = await store.listListings({ marketplace, accountId: client.accountId, limit: 100 });
    const ids = listings.items.flatMap((listing) =>
      listing.productExternalId ? [listing.productExternalId] : [],
    );
    for (const product of ids.length > 0 ? await client.getProducts(ids) : []) {
      for (const variant of product.variants) {
        const line = variant.sku === undefined ? undefined : lines.get(variant.sku);
        if (line) line.onMarketplace[marketplace] = variant.quantity;
      }
    }
  }
  return [...lines.values()];
}

function printSummary(
  print: Print,
  numbers: Record<Marketplace, MarketplaceNumbers>,
  stock: readonly StockLine[],
  outcome: Pick<
    DemoSummary,
    'cancelled' | 'shipped' | 'returned' | 'requirements' | 'messages' | 'reconcile'
  >,
): void {
  const columns = MARKETPLACES.map((marketplace) => numbers[marketplace]);
  const row = (label: string, value: (n: MarketplaceNumbers) => string | number) => [
    label,
    ...columns.map(value),
  ];
  print('\nSummary');
  print(
    table([
      ['per marketplace', ...MARKETPLACES.map((marketplace) => NAMES[marketplace])],
      row('mode', (n) => n.mode),
      row('listings', (n) => n.listings),
      row('orders placed by buyers', (n) => n.ordersPlaced),
      row('orders stored', (n) => n.ordersStored),
      row('  of which created (once each)', (n) => n.ordersCreated),
      row('webhooks accepted', (n) => n.webhooksAccepted),
      row('  about orders (one log line each)', (n) => n.orderWebhooksAccepted),
      row('  other topics (the "+" lines)', (n) => n.webhooksAccepted - n.orderWebhooksAccepted),
      row('duplicate copies dropped', (n) => n.duplicatesDropped),
      row('API calls', (n) => n.apiCalls),
      row('retries', (n) => n.retries),
    ]),
  );
  print('');
  print(
    table([
      [
        'stock per SKU',
        'before',
        'sold',
        'cancelled',
        'returned',
        'after',
        ...MARKETPLACES.map((marketplace) => NAMES[marketplace]),
      ],
      ...stock.map((line) => [
        line.sku,
        line.before,
        line.sold,
        line.cancelled,
        line.returned,
        line.after,
        ...MARKETPLACES.map((marketplace) => line.onMarketplace[marketplace] ?? '–'),
      ]),
    ]),
  );
  const exact = stock.every(
    (line) => line.after === line.before - line.sold + line.cancelled + line.returned,
  );
  const everywhere = stock.every((line) =>
    Object.values(line.onMarketplace).every((quantity) => quantity === line.after),
  );
  print('');
  print(`${exact ? '✓' : '✗'} after = before − sold + cancelled + returned, for every SKU`);
  print(`${everywhere ? '✓' : '✗'} every marketplace shows the store's stock`);
  if (outcome.requirements) {
    const { suggested, refused } = outcome.requirements;
    print(
      `✓ listed in suggested category ${suggested.categoryId} with its required attributes; ${refused.sku} refused before any call (${refused.issues.map((issue) => issue.path).join(', ')})`,
    );
  }
  if (outcome.cancelled) {
    print(
      `✓ cancelled: ${NAMES[outcome.cancelled.marketplace]} order ${outcome.cancelled.orderId} is ${outcome.cancelled.status}, its units are back`,
    );
  }
  if (outcome.returned) {
    const { returned: ret } = outcome;
    print(
      `✓ returned: ${NAMES[ret.marketplace]} order ${ret.orderId}, return ${ret.returnId} ${ret.statuses.join(' → ')}, units back in stock`,
    );
  }
  if (outcome.shipped) {
    print(
      `✓ shipped: ${NAMES[outcome.shipped.marketplace]} order ${outcome.shipped.orderId}, tracking ${outcome.shipped.trackingNumber}`,
    );
  }
  if (outcome.messages) {
    print(
      `✓ question ${outcome.messages.question.id} answered (${outcome.messages.question.status}); order ${outcome.messages.conversation.orderId}'s buyer answered in the conversation`,
    );
  }
  print(
    `${outcome.reconcile.drift === 0 ? '✓' : '✗'} reconcile: ${outcome.reconcile.checked} listing SKUs checked, ${outcome.reconcile.drift} drifted`,
  );
}
