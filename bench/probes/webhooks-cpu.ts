/**
 * A probe, not part of `pnpm bench`: section 5's handler against its floor by CPU time (the
 * process's, GC threads included), in one process, batch by batch (64 deliveries built as section
 * 5 builds them, 1 or 64 in flight), the two taking turns in alternating order; the first WARMUP
 * batches (default 5) are not kept. Prints the median and quartiles of the per-batch ratios
 * (floor ÷ ours) and the ratio of the totals. On a loaded machine the wall-time figures of
 * `--quick` swing too much to compare two builds; CPU time over many batches does not.
 *
 *   cd bench && npx tsx --tsconfig tsconfig.dist.json probes/webhooks-cpu.ts meli 1 150
 *
 * Arguments: marketplace (meli | shopee | tiktok), deliveries in flight (1 | 64), batches, and
 * `ours` to run the handler alone (for `node --cpu-prof`). TRIVIAL=1 swaps the adapter's source
 * for one that only parses the body: what the handler itself costs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createWebhookHandler } from '@mlh/core';
import { makeMeliNotificationRequest, makeShopeePushRequest, makeTikTokWebhookRequest } from '@mlh/testing';
import { CALLBACK_URL, type Marketplace, type Seat, seat } from '../lib/world';

const BODY_BYTES = 2048;
const WARMUP = Number(process.env.WARMUP ?? 5);
function toSize<T extends object>(body: T): T & { lines: object[] } {
  const lines: object[] = [];
  const grown = { ...body, lines };
  while (JSON.stringify(grown).length < BODY_BYTES) {
    const n = lines.length + 1;
    lines.push({
      item_id: 100_000_000 + n,
      model_id: 200_000_000 + n,
      sku: `BENCH-SKU-${n}`,
      quantity: 1,
      price: '59.90',
    });
  }
  return grown;
}

let sequence = 0;
interface Delivery {
  request: Request;
  bareRequest: Request;
}
async function delivery(current: Seat, orderId: string): Promise<Delivery> {
  sequence += 1;
  const seconds = Math.floor(Date.now() / 1000);
  let request: Request;
  switch (current.marketplace) {
    case 'meli':
      request = makeMeliNotificationRequest({
        url: `${CALLBACK_URL}/meli`,
        body: toSize({
          _id: `bench-${sequence}`,
          topic: 'orders_v2',
          resource: `/orders/${orderId}`,
          user_id: current.sellerId,
          application_id: current.sandbox.app.id,
        }),
      });
      break;
    case 'shopee':
      request = await makeShopeePushRequest({
        url: CALLBACK_URL,
        partnerKey: current.pushKey,
        body: toSize({
          data: { items: [], ordersn: orderId, status: 'READY_TO_SHIP', update_time: seconds + sequence },
          shop_id: current.shopId,
          code: 3,
          timestamp: seconds,
        }),
      });
      break;
    case 'tiktok':
      request = await makeTikTokWebhookRequest({
        url: CALLBACK_URL,
        appKey: current.sandbox.app.appKey,
        appSecret: current.sandbox.app.appSecret,
        body: toSize({
          type: 1,
          tts_notification_id: `73800662840${String(sequence).padStart(8, '0')}`,
          shop_id: current.shopId,
          timestamp: seconds,
          data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT', update_time: seconds },
        }),
      });
      break;
  }
  const body = await request.text();
  const fresh = () => new Request(request.url, { method: request.method, headers: request.headers, body });
  return { request: fresh(), bareRequest: fresh() };
}

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

const cpu = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

async function main() {
  const marketplace = (process.argv[2] ?? 'meli') as Marketplace;
  const inFlight = Number(process.argv[3] ?? 1);
  const rounds = Number(process.argv[4] ?? 40);
  const oursOnly = process.argv[5] === 'ours';
  const current = await seat(marketplace);
  const decoder = new TextDecoder();
  const trivial = {
    marketplace: current.marketplace,
    async verify(input: { body: string | Uint8Array }) {
      const json = JSON.parse(typeof input.body === 'string' ? input.body : decoder.decode(input.body));
      return {
        ok: true as const,
        event: {
          type: 'order.updated' as const,
          resourceType: 'order' as const,
          resourceId: '1',
          marketplace: current.marketplace,
          accountId: '1',
          occurredAt: 'x',
          dedupeKey: String(json._id ?? json.tts_notification_id ?? json.data?.update_time),
          topic: 't',
          raw: json,
        },
      };
    },
    acknowledge: () => new Response(null, { status: 200 }),
  };
  const handler = createWebhookHandler({ sources: [process.env.TRIVIAL ? trivial : current.webhookSource] });
  let emitted = 0;
  handler.events.on('event', () => {
    emitted += 1;
  });
  const bare = bareIngest(current);
  const seen = new Set<string>();
  const BATCH = Number(process.env.BATCH ?? 64);
  const ratios: number[] = [];
  let oursTotal = 0;
  let bareTotal = 0;
  for (let round = 0; round < rounds + WARMUP; round++) {
    const deliveries: Delivery[] = [];
    for (let i = 0; i < BATCH; i++)
      deliveries.push(await delivery(current, `2611${String(sequence + 1).padStart(10, '0')}`));
    const runOurs = async () => {
      const start = cpu();
      for (let offset = 0; offset < BATCH; offset += inFlight) {
        const batch = deliveries.slice(offset, offset + inFlight);
        if (inFlight === 1) {
          const response = await handler.handle((batch[0] as Delivery).request);
          if (response.status >= 300) throw new Error(`${response.status} ${await response.text()}`);
        } else
          await Promise.all(
            batch.map(async (item) => {
              const response = await handler.handle(item.request);
              if (response.status >= 300) throw new Error(`${response.status}`);
            }),
          );
      }
      return cpu() - start;
    };
    const runBare = async () => {
      const start = cpu();
      for (let offset = 0; offset < BATCH; offset += inFlight) {
        const batch = deliveries.slice(offset, offset + inFlight);
        if (inFlight === 1) await bare(batch[0] as Delivery, seen);
        else await Promise.all(batch.map((item) => bare(item, seen)));
      }
      return cpu() - start;
    };
    let ours: number;
    let floor: number;
    if (oursOnly) {
      ours = await runOurs();
      floor = 1;
    } else if (round % 2 === 0) {
      ours = await runOurs();
      floor = await runBare();
    } else {
      floor = await runBare();
      ours = await runOurs();
    }
    if (round < WARMUP) continue;
    oursTotal += ours;
    bareTotal += floor;
    ratios.push(floor / ours);
  }
  ratios.sort((a, b) => a - b);
  const med = ratios[ratios.length >> 1] as number;
  console.log(
    `${marketplace} c=${inFlight}: ratio median ${med.toFixed(3)} (q1 ${ratios[ratios.length >> 2]?.toFixed(3)} q3 ${ratios[(3 * ratios.length) >> 2]?.toFixed(3)}), sum ${(bareTotal / oursTotal).toFixed(3)}; ours ${(oursTotal / (rounds * BATCH)).toFixed(2)} µs/ev, floor ${(bareTotal / (rounds * BATCH)).toFixed(2)} µs/ev; emitted ${emitted}`,
  );
}
await main();
