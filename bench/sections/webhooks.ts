import { createHmac, timingSafeEqual } from 'node:crypto';
import { createWebhookHandler, type MlhEvent, type WebhookHandler } from '@mlh/core';
import { createMemorySyncStore, OrderSync } from '@mlh/sync';
import { makeMeliNotificationRequest, makeShopeePushRequest, makeTikTokWebhookRequest } from '@mlh/testing';
import { median, msBetween, now } from '../lib/measure';
import { type BenchMode, byMode } from '../lib/mode';
import { seedOrders } from '../lib/orders';
import { fmt, type Row, type SectionResult } from '../lib/report';
import {
  CALLBACK_URL,
  MARKETPLACE_NAMES,
  MARKETPLACES,
  type Marketplace,
  type Seat,
  seat,
} from '../lib/world';

/** A webhook as the marketplace sends it, plus the raw parts the bare baseline needs. */
interface Delivery {
  request: Request;
  /** A Request of its own for the bare floor (a body is read once): the same URL, headers and bytes. */
  bareRequest: Request;
}

/** Issue #17: the handler at no less than 0.8× of a floor that reads, checks, parses and dedupes. */
const WEBHOOK_TARGET = 0.8;

let sequence = 0;

/** Builds one signed webhook about `orderId` with @mlh/testing's request helpers. */
async function delivery(current: Seat, orderId: string): Promise<Delivery> {
  sequence += 1;
  const seconds = Math.floor(Date.now() / 1000);
  let request: Request;
  switch (current.marketplace) {
    case 'meli':
      request = makeMeliNotificationRequest({
        url: `${CALLBACK_URL}/meli`,
        body: {
          _id: `bench-${sequence}`,
          topic: 'orders_v2',
          resource: `/orders/${orderId}`,
          user_id: current.sellerId,
          application_id: current.sandbox.app.id,
        },
      });
      break;
    case 'shopee':
      request = await makeShopeePushRequest({
        url: CALLBACK_URL,
        partnerKey: current.pushKey,
        body: {
          data: { items: [], ordersn: orderId, status: 'READY_TO_SHIP', update_time: seconds + sequence },
          shop_id: current.shopId,
          code: 3,
          timestamp: seconds,
        },
      });
      break;
    case 'tiktok':
      request = await makeTikTokWebhookRequest({
        url: CALLBACK_URL,
        appKey: current.sandbox.app.appKey,
        appSecret: current.sandbox.app.appSecret,
        body: {
          type: 1,
          tts_notification_id: `73800662840${String(sequence).padStart(8, '0')}`,
          shop_id: current.shopId,
          timestamp: seconds,
          data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT', update_time: seconds },
        },
      });
      break;
  }
  // Both contenders get a Request built the same way from the same bytes (a body is read once).
  const body = await request.text();
  const fresh = () => new Request(request.url, { method: request.method, headers: request.headers, body });
  return { request: fresh(), bareRequest: fresh() };
}

/**
 * The floor of webhook ingestion: read the Request's body, check the same HMAC with node:crypto
 * (timing-safe), parse the JSON, remember the id in a Set. Mercado Livre signs nothing, so there
 * it is read, parse and dedupe.
 */
function bareIngest(current: Seat): (delivery: Delivery, seen: Set<string>) => Promise<void> {
  const check = (key: string, message: string, signature: string) => {
    const expected = Buffer.from(createHmac('sha256', key).update(message).digest('hex'));
    const received = Buffer.from(signature);
    if (expected.length !== received.length || !timingSafeEqual(expected, received))
      throw new Error('bad signature');
  };
  switch (current.marketplace) {
    case 'meli':
      return async (item, seen) => {
        const text = await item.bareRequest.text();
        seen.add(String((JSON.parse(text) as { _id: string })._id));
      };
    case 'shopee':
      return async (item, seen) => {
        const text = await item.bareRequest.text();
        check(
          current.pushKey,
          `${CALLBACK_URL}|${text}`,
          item.bareRequest.headers.get('authorization') ?? '',
        );
        const body = JSON.parse(text) as { data: { ordersn: string; update_time: number } };
        seen.add(`${body.data.ordersn}:${body.data.update_time}`);
      };
    case 'tiktok': {
      const { appKey, appSecret } = current.sandbox.app;
      return async (item, seen) => {
        const text = await item.bareRequest.text();
        check(appSecret, `${appKey}${text}`, item.bareRequest.headers.get('authorization') ?? '');
        seen.add((JSON.parse(text) as { tts_notification_id: string }).tts_notification_id);
      };
    }
  }
}

async function handleAll(handler: WebhookHandler, deliveries: readonly Delivery[]): Promise<void> {
  for (const item of deliveries) {
    const response = await handler.handle(item.request);
    if (response.status >= 300) {
      throw new Error(
        `webhook bench: ${response.status} ${await response.text()} (a benchmark of refusals is not one)`,
      );
    }
  }
}

interface IngestionFigures {
  oursPerSecond: number[];
  barePerSecond: number[];
  emitted: number;
}

/** verify → parse → dedupe → emit through core's handler with the adapter's source, in rounds. */
async function handlerThroughput(current: Seat, perRound: number, rounds: number): Promise<IngestionFigures> {
  const handler = createWebhookHandler({ sources: [current.webhookSource] });
  let emitted = 0;
  handler.events.on('event', () => {
    emitted += 1;
  });
  const bare = bareIngest(current);
  const seen = new Set<string>();
  const figures: IngestionFigures = { oursPerSecond: [], barePerSecond: [], emitted: 0 };
  // Round 0 warms up and is not kept.
  for (let round = 0; round <= rounds; round++) {
    const deliveries: Delivery[] = [];
    for (let index = 0; index < perRound; index++) {
      deliveries.push(await delivery(current, `2611${String(sequence + 1).padStart(10, '0')}`));
    }
    // Interleaved delivery by delivery, so the garbage one contender leaves is not collected
    // on the other's clock.
    let oursMs = 0;
    let bareMs = 0;
    for (const item of deliveries) {
      const start = now();
      await handleAll(handler, [item]);
      const middle = now();
      await bare(item, seen);
      const end = now();
      oursMs += msBetween(start, middle);
      bareMs += msBetween(middle, end);
    }
    if (round === 0) continue;
    figures.oursPerSecond.push(perRound / (oursMs / 1000));
    figures.barePerSecond.push(perRound / (bareMs / 1000));
  }
  figures.emitted = emitted;
  return figures;
}

interface OrderSyncFigures {
  perSecond: number;
  processed: number;
  apiCalls: number;
  ordersStored: number;
}

/** Webhook → handler → OrderSync.ingest (fetches the order from the sandbox) → memory store. */
async function orderSyncThroughput(marketplace: Marketplace, count: number): Promise<OrderSyncFigures> {
  const current = await seat(marketplace);
  const orderIds = await seedOrders(current, count + 5);
  const store = createMemorySyncStore();
  const orders = new OrderSync({ store, clients: [current.client] });
  const handler = createWebhookHandler({ sources: [current.webhookSource] });
  let processed = 0;
  let pending: Promise<void> = Promise.resolve();
  handler.events.on('event', (event: MlhEvent) => {
    pending = orders.ingest(event).then((result) => {
      if (result.status === 'processed') processed += 1;
    });
  });
  const run = async (ids: readonly string[]) => {
    const deliveries: Delivery[] = [];
    for (const id of ids) deliveries.push(await delivery(current, id));
    const start = now();
    for (const item of deliveries) {
      const response = await handler.handle(item.request);
      if (response.status >= 300)
        throw new Error(`webhook bench: ${response.status} from the ${marketplace} handler`);
      await pending;
    }
    return msBetween(start, now());
  };
  await run(orderIds.slice(0, 5));
  processed = 0;
  const callsBefore = current.calls().total;
  const elapsed = await run(orderIds.slice(5));
  const { items } = await store.listOrders({
    marketplace: current.client.marketplace,
    accountId: current.client.accountId,
    limit: count + 10,
  });
  return {
    perSecond: count / (elapsed / 1000),
    processed,
    apiCalls: current.calls().total - callsBefore,
    ordersStored: items.length,
  };
}

/** (5) Webhook ingestion: events per second through the handler, and through OrderSync. */
export async function webhookSection(mode: BenchMode): Promise<SectionResult> {
  const perRound = byMode(mode, 300, 60);
  const rounds = byMode(mode, 5, 2);
  const orderSyncEvents = byMode(mode, 200, 40);
  const rows: Row[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  for (const marketplace of MARKETPLACES) {
    const current = await seat(marketplace);
    const figures = await handlerThroughput(current, perRound, rounds);
    const ours = median(figures.oursPerSecond);
    const bare = median(figures.barePerSecond);
    rows.push({
      figure: `${MARKETPLACE_NAMES[marketplace]} verify → parse → dedupe → emit`,
      ours: `${fmt(ours)} ev/s`,
      versus: `${fmt(bare)} ev/s bare`,
      ratio: ours / bare,
      target: `≥ ${WEBHOOK_TARGET.toFixed(2)}×`,
      met: ours / bare >= WEBHOOK_TARGET,
    });
    details[marketplace] = figures;
  }
  for (const marketplace of MARKETPLACES) {
    const figures = await orderSyncThroughput(marketplace, orderSyncEvents);
    rows.push({
      figure: `${MARKETPLACE_NAMES[marketplace]} webhook → OrderSync.ingest → memory store`,
      ours: `${fmt(figures.perSecond)} ev/s`,
      versus: '',
      target: 'reported',
    });
    notes.push(
      `${MARKETPLACE_NAMES[marketplace]}: ${figures.processed} events processed, ${figures.ordersStored} orders stored, ` +
        `${fmt(figures.apiCalls / orderSyncEvents, 1)} API call(s) per event (the order is fetched: a webhook is only a hint)`,
    );
    details[`${marketplace}-orderSync`] = figures;
  }
  notes.push(
    'bare = the Request body read + the same HMAC checked with node:crypto (timing-safe) + JSON.parse + a Set; events are distinct, one at a time, ours and bare interleaved delivery by delivery',
    'OrderSync figures include the sandbox answering getOrder in process (its cost is part of the figure)',
  );
  return {
    id: 5,
    title: 'Webhook ingestion: events per second',
    rows,
    notes,
    details,
  };
}
