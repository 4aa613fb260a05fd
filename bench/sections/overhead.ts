import { request as httpRequest } from 'node:http';
import { ShopeeSDK } from '@congminh1254/shopee-sdk';
import type { AccessToken } from '@congminh1254/shopee-sdk/schemas/access-token';
import { createTransport } from '@mlh/core';
import { TikTokShopSDK } from 'tiktok-shop-sdk';
import { LOCAL, localClients } from '../lib/local-clients';
import {
  type Contender,
  compareLatency,
  compareThroughput,
  type LatencyResult,
  median,
  pairedRatio,
  quantile,
} from '../lib/measure';
import { type BenchMode, byMode } from '../lib/mode';
import { startPayloadServer } from '../lib/payload-server';
import { type RecordedGetOrder, recordGetOrders } from '../lib/recording';
import { fmt, type Row, type SectionResult } from '../lib/report';
import { MARKETPLACE_NAMES, MARKETPLACES, type Marketplace } from '../lib/world';

const OVERHEAD_TARGET = 1.25;
/** Calls in flight at once in the concurrent rows (issue #17 names concurrency 1 and 64). */
const IN_FLIGHT = 64;
const TIKTOK_HOST = 'https://open-api.tiktokglobalshop.com';
/**
 * Untimed calls per contender before the timed ones. With 200, V8 was still optimizing our
 * clients' code while they were timed (the process's CPU per call fell by about a third between
 * 200 and 2,000), which the bare calls, with less code of their own, felt less.
 */
const WARMUP_CALLS = 2000;
/** The warm-up's first calls, reported apart: what a process that has just started pays. */
const FIRST_CALLS = 200;
/**
 * The comparisons behind the targets, each timed on its own: ours and its floor (or peer)
 * alternating call by call. Timed among every contender instead, a floor on `fetch` ran between
 * five other contenders on `fetch` (the other floors, a peer), which kept its code warm while ours
 * ran cold between clients that share none of its code: with four more `fetch` clients in the
 * rotation Shopee read 1.67–1.90× its bare call, with four clients of neutral work instead
 * 1.43–1.46×, alone with it 1.22–1.28×. Those figures are still reported ("among all").
 */
const PAIRS: readonly (readonly [string, string])[] = [
  ...MARKETPLACES.flatMap((marketplace) => [
    [marketplace, `${marketplace}-bare`] as const,
    [marketplace, `${marketplace}-bare-http`] as const,
  ]),
  ['transport', 'transport-bare'],
  ['shopee', 'shopee-peer'],
  ['tiktok', 'tiktok-peer'],
  ['shopee-raw', 'shopee-peer'],
  ['tiktok-raw', 'tiktok-peer'],
];
/** Untimed calls of each pair before its timed ones (the JIT is warm by then: see WARMUP_CALLS). */
const PAIR_WARMUP_CALLS = 100;

function summarize(samples: LatencyResult): Record<string, { calls: number; median: number; p95: number }> {
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [
      name,
      { calls: values.length, median: median(values), p95: quantile(values, 0.95) },
    ]),
  );
}

function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}

/** What the bare baseline does for one `getOrder`: the same requests, `fetch` + `JSON.parse` each. */
function bareGetOrder(baseUrl: string, recorded: RecordedGetOrder): () => Promise<unknown[]> {
  const requests = recorded.calls.map((call) => ({
    url: `${baseUrl}${call.pathname}${call.search}`,
    method: call.method,
  }));
  return async () => {
    const bodies: unknown[] = [];
    for (const request of requests) {
      const response = await fetch(request.url, { method: request.method });
      if (!response.ok) throw new Error(`bare fetch: ${response.status} for ${request.url}`);
      bodies.push(JSON.parse(await response.text()));
    }
    return bodies;
  };
}

/**
 * The same requests on `node:http` (Node's keep-alive agent) + `JSON.parse`: the fastest a
 * hand-written Node client gets, and the stack our transport sends on under Node. Reported beside
 * the bare-fetch rows so the gain of the wire and the cost of the rest read apart.
 */
function bareHttpGetOrder(baseUrl: string, recorded: RecordedGetOrder): () => Promise<unknown[]> {
  const urls = recorded.calls.map((call) => ({
    url: `${baseUrl}${call.pathname}${call.search}`,
    method: call.method,
  }));
  const once = (url: string, method: string) =>
    new Promise<unknown>((resolve, reject) => {
      const request = httpRequest(url, { method }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if ((response.statusCode ?? 0) >= 300)
            reject(new Error(`bare node:http: ${response.statusCode} for ${url}`));
          else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  return async () => {
    const bodies: unknown[] = [];
    for (const { url, method } of urls) bodies.push(await once(url, method));
    return bodies;
  };
}

/** Whether `answer` holds `orderId` somewhere (as a string or a number): the order, not an error. */
export function holdsOrder(answer: unknown, orderId: string): boolean {
  if (typeof answer === 'string' || typeof answer === 'number' || typeof answer === 'bigint')
    return String(answer) === orderId;
  if (answer === null || typeof answer !== 'object') return false;
  return Object.values(answer).some((value) => holdsOrder(value, orderId));
}

/**
 * `tiktok-shop-sdk` has no base-URL option (its constructor overwrites `baseURL` with the
 * production host) and calls the global `fetch`. While one of its calls is in flight, and only
 * then, the global `fetch` sends that host to the local server: the other contenders run at other
 * times (turns never overlap) and see the runtime's own `fetch`, as an app does. Ours would
 * otherwise leave its `node:http` wire for the replaced `fetch`, as it does for msw.
 */
function withTikTokHostRewrite<T>(baseUrl: string, run: () => Promise<T>): () => Promise<T> {
  const original = globalThis.fetch;
  let inFlight = 0;
  const rewriting = ((input: string | URL | Request, init?: RequestInit) =>
    original(
      typeof input === 'string' && input.startsWith(TIKTOK_HOST)
        ? baseUrl + input.slice(TIKTOK_HOST.length)
        : input,
      init,
    )) as typeof fetch;
  return async () => {
    if (inFlight++ === 0) globalThis.fetch = rewriting;
    try {
      return await run();
    } finally {
      if (--inFlight === 0) globalThis.fetch = original;
    }
  };
}

interface Comparison {
  ours: number[];
  versus: number[];
}

function latencyRows(
  figure: string,
  comparison: Comparison,
  versusLabel: string,
  target: string,
  limit: number,
): Row[] {
  const oursMedian = median(comparison.ours);
  const versusMedian = median(comparison.versus);
  const oursP95 = quantile(comparison.ours, 0.95);
  const versusP95 = quantile(comparison.versus, 0.95);
  return [
    {
      figure: `${figure}, median`,
      ours: ms(oursMedian),
      versus: `${ms(versusMedian)} ${versusLabel}`,
      ratio: oursMedian / versusMedian,
      target,
      met: oursMedian / versusMedian <= limit,
    },
    {
      figure: `${figure}, p95`,
      ours: ms(oursP95),
      versus: `${ms(versusP95)} ${versusLabel}`,
      ratio: oursP95 / versusP95,
      target: 'reported',
    },
  ];
}

/** (2) per-call overhead against bare fetch, and (3) the peer SDKs, on one local server. */
export async function overheadSections(mode: BenchMode): Promise<[SectionResult, SectionResult]> {
  const recorded = await recordGetOrders();
  const byMarketplace = Object.fromEntries(recorded.map((entry) => [entry.marketplace, entry])) as Record<
    Marketplace,
    RecordedGetOrder
  >;
  const server = await startPayloadServer(recorded.flatMap((entry) => [...entry.calls, ...entry.oneOff]));
  try {
    const clients = await localClients(server.url);
    const transport = createTransport({
      marketplace: 'shopee',
      baseUrl: server.url,
      mapError: () => undefined,
    });
    const shopeeCall = byMarketplace.shopee.calls[0];
    if (!shopeeCall) throw new Error('no Shopee call recorded');

    // The peer reads its token from its storage on every call, as ours asks its token manager.
    let peerToken: AccessToken | null = {
      access_token: LOCAL.accessToken,
      refresh_token: 'bench-refresh-token',
      expire_in: 14_400,
      expired_at: Date.now() + 365 * 86_400_000,
      request_id: '',
      error: '',
      message: '',
      shop_id: LOCAL.shopee.shopId,
    };
    const shopeePeer = new ShopeeSDK(
      {
        partner_id: LOCAL.shopee.partnerId,
        partner_key: LOCAL.shopee.partnerKey,
        base_url: `${server.url}/api/v2`,
      },
      {
        store: async (token) => {
          peerToken = token;
        },
        get: async () => peerToken,
        clear: async () => {
          peerToken = null;
        },
      },
    );
    const shopeeFields = new URLSearchParams(shopeeCall.search).get('response_optional_fields') ?? '';
    const tiktokPeer = new TikTokShopSDK({ appKey: LOCAL.tiktok.appKey, appSecret: LOCAL.tiktok.appSecret });
    tiktokPeer.setAccessToken(LOCAL.accessToken);
    tiktokPeer.setShopCipher(LOCAL.tiktok.cipher);

    const contenders: Contender[] = [];
    for (const marketplace of MARKETPLACES) {
      const orderId = byMarketplace[marketplace].orderId;
      contenders.push({ name: marketplace, run: () => clients[marketplace].getOrder(orderId) });
      contenders.push({
        name: `${marketplace}-bare`,
        run: bareGetOrder(server.url, byMarketplace[marketplace]),
      });
      contenders.push({
        name: `${marketplace}-bare-http`,
        run: bareHttpGetOrder(server.url, byMarketplace[marketplace]),
      });
    }
    const transportUrl = `${server.url}${shopeeCall.pathname}${shopeeCall.search}`;
    contenders.push({
      name: 'transport',
      run: () =>
        transport.request({ method: 'GET', path: `${shopeeCall.pathname}${shopeeCall.search}`, auth: false }),
    });
    contenders.push({
      name: 'transport-bare',
      run: async () => {
        const response = await fetch(transportUrl);
        if (!response.ok) throw new Error(`bare fetch: ${response.status}`);
        return JSON.parse(await response.text());
      },
    });
    contenders.push({
      name: 'shopee-peer',
      run: () =>
        shopeePeer.order.getOrderDetail({
          order_sn_list: [byMarketplace.shopee.orderId],
          response_optional_fields: shopeeFields,
        }),
    });
    // Our typed raw calls: the same request, its answer validated (zod) but not mapped to the
    // core Order, which is what the peers return (without the validation).
    const rawClients = clients as unknown as Record<
      'shopee' | 'tiktok',
      {
        orders: {
          getOrderDetail?: (ids: string[], options: { optionalFields: string[] }) => Promise<unknown>;
          getOrderDetails?: (ids: string[]) => Promise<unknown>;
        };
      }
    >;
    const shopeeRaw = rawClients.shopee.orders.getOrderDetail;
    const tiktokRaw = rawClients.tiktok.orders.getOrderDetails;
    if (!shopeeRaw || !tiktokRaw) throw new Error('the default clients have no raw order calls');
    const shopeeFieldList = shopeeFields.split(',');
    contenders.push({
      name: 'shopee-raw',
      run: () => shopeeRaw([byMarketplace.shopee.orderId], { optionalFields: shopeeFieldList }),
    });
    contenders.push({ name: 'tiktok-raw', run: () => tiktokRaw([byMarketplace.tiktok.orderId]) });
    contenders.push({
      name: 'tiktok-peer',
      run: withTikTokHostRewrite(server.url, () =>
        tiktokPeer.order.getOrderDetail({ ids: [byMarketplace.tiktok.orderId] }),
      ),
    });

    // Each contender must really get the order before it is timed: ours mapped to that order, the
    // bare calls and the peers an answer that holds its id (not an error envelope).
    const orderOf = (name: string) =>
      byMarketplace[(name.startsWith('transport') ? 'shopee' : name.split('-')[0]) as Marketplace].orderId;
    for (const contender of contenders) {
      const answer = await contender.run();
      if (!holdsOrder(answer, orderOf(contender.name)))
        throw new Error(`${contender.name}: the answer does not hold order ${orderOf(contender.name)}`);
    }
    for (const marketplace of MARKETPLACES) {
      const { orderId } = byMarketplace[marketplace];
      const order = await clients[marketplace].getOrder(orderId);
      if (order.externalId !== orderId) throw new Error(`${marketplace} getOrder mapped another order`);
    }
    // Every contender warmed up (and then timed) in one rotation; the targets' figures come after,
    // from each comparison on its own.
    const { samples: mixed, first } = await compareLatency(contenders, {
      warmup: byMode(mode, WARMUP_CALLS, 30),
      calls: byMode(mode, 400, 80),
      firstCalls: FIRST_CALLS,
    });
    const byName = new Map(contenders.map((contender) => [contender.name, contender]));
    const paired = new Map<string, Comparison>();
    for (const [ours, versus] of PAIRS) {
      const pair = [ours, versus].map((name) => {
        const contender = byName.get(name);
        if (!contender) throw new Error(`no contender ${name}`);
        return contender;
      });
      const { samples } = await compareLatency(pair, {
        warmup: byMode(mode, PAIR_WARMUP_CALLS, 10),
        calls: byMode(mode, 400, 80),
      });
      paired.set(`${ours} ${versus}`, { ours: samples[ours] ?? [], versus: samples[versus] ?? [] });
    }
    // The same calls, 64 in flight at once: calls per second, turns alternating between contenders.
    const concurrentNames = new Set([
      ...MARKETPLACES.flatMap((marketplace) => [marketplace, `${marketplace}-bare`]),
      'shopee-peer',
      'tiktok-peer',
    ]);
    const concurrent = await compareThroughput(
      contenders
        .filter((contender) => concurrentNames.has(contender.name))
        .map((contender) => ({
          name: contender.name,
          run: () => Promise.all(Array.from({ length: IN_FLIGHT }, () => contender.run())),
        })),
      {
        batch: IN_FLIGHT,
        warmupMs: byMode(mode, 200, 50),
        // Nine rounds: with three, one slow round on a loaded machine moved a row's median by a
        // third between runs of one build (Shopee 1.31–1.73×).
        rounds: byMode(mode, 9, 2),
        roundMs: byMode(mode, 300, 60),
      },
    );
    /** Ours ÷ theirs in time per call at 64 in flight (their calls/s ÷ ours). */
    const concurrentRow = (
      figure: string,
      ours: string,
      versus: string,
      label: string,
      limit: number,
    ): Row => {
      const ratio = pairedRatio(concurrent[versus] ?? [], concurrent[ours] ?? []);
      return {
        figure: `${figure}, ${IN_FLIGHT} in flight`,
        ours: `${fmt(median(concurrent[ours] ?? []))} calls/s`,
        versus: `${fmt(median(concurrent[versus] ?? []))} calls/s ${label}`,
        ratio,
        target: limit === 1 ? '< 1.00×' : `≤ ${limit.toFixed(2)}×`,
        met: ratio <= limit,
      };
    };

    /** The two contenders timed on their own, alternating (see {@link PAIRS}). */
    const pick = (ours: string, versus: string): Comparison => {
      const comparison = paired.get(`${ours} ${versus}`);
      if (!comparison) throw new Error(`${ours} and ${versus} were not timed as a pair`);
      return comparison;
    };
    /** Ours and its floor as timed in the rotation of every contender. */
    const amongAll = (figure: string, ours: string, versus: string, label: string): Row => {
      const oursMedian = median(mixed[ours] ?? []);
      const versusMedian = median(mixed[versus] ?? []);
      return {
        figure: `${figure} among all ${contenders.length} clients, median`,
        ours: ms(oursMedian),
        versus: `${ms(versusMedian)} ${label}`,
        ratio: oursMedian / versusMedian,
        target: 'reported',
      };
    };

    const overheadRows: Row[] = [];
    const overheadNotes: string[] = [];
    for (const marketplace of MARKETPLACES) {
      const comparison = pick(marketplace, `${marketplace}-bare`);
      overheadRows.push(
        ...latencyRows(
          `${MARKETPLACE_NAMES[marketplace]} getOrder`,
          comparison,
          'bare',
          `≤ ${OVERHEAD_TARGET.toFixed(2)}×`,
          OVERHEAD_TARGET,
        ),
      );
      const calls = byMarketplace[marketplace].calls;
      const versusHttp = pick(marketplace, `${marketplace}-bare-http`);
      overheadRows.push({
        figure: `${MARKETPLACE_NAMES[marketplace]} getOrder vs bare node:http, median`,
        ours: ms(median(versusHttp.ours)),
        versus: `${ms(median(versusHttp.versus))} bare node:http`,
        ratio: median(versusHttp.ours) / median(versusHttp.versus),
        target: 'reported',
      });
      overheadRows.push(
        amongAll(`${MARKETPLACE_NAMES[marketplace]} getOrder`, marketplace, `${marketplace}-bare`, 'bare'),
      );
      overheadRows.push(
        concurrentRow(
          `${MARKETPLACE_NAMES[marketplace]} getOrder`,
          marketplace,
          `${marketplace}-bare`,
          'bare',
          OVERHEAD_TARGET,
        ),
      );
      overheadNotes.push(
        `${MARKETPLACE_NAMES[marketplace]}: ${calls.map((call) => `${call.method} ${call.pathname} (${fmt(call.body.length)} B)`).join(' + ')}; ` +
          `adds ${fmt((median(comparison.ours) - median(comparison.versus)) * 1000)} µs per call at the median` +
          (byMarketplace[marketplace].oneOff.length > 0
            ? ` (once per client, before: ${byMarketplace[marketplace].oneOff.map((call) => `${call.method} ${call.pathname}`).join(', ')})`
            : ''),
      );
    }
    const coldMedians = MARKETPLACES.map(
      (marketplace) =>
        `${MARKETPLACE_NAMES[marketplace]} ${ms(median(first[marketplace] ?? []))} vs bare ${ms(median(first[`${marketplace}-bare`] ?? []))}`,
    );
    overheadNotes.push(
      `each comparison timed on its own, ours and its floor alternating call by call (${fmt(byMode(mode, PAIR_WARMUP_CALLS, 10))} untimed + ${fmt(byMode(mode, 400, 80))} timed calls each); "among all ${contenders.length} clients": the same calls timed in one rotation of every contender, where the floors' fetch code also runs in other contenders (reported)`,
      `first, ${fmt(byMode(mode, WARMUP_CALLS, 30))} untimed calls of every contender in one rotation; the first ${fmt(first.meli?.length ?? 0)} of them, in a process just started, at the median: ${coldMedians.join(', ')}`,
    );
    overheadRows.push(
      ...latencyRows(
        'core transport GET (no auth, no signing)',
        pick('transport', 'transport-bare'),
        'bare',
        `≤ ${OVERHEAD_TARGET.toFixed(2)}×`,
        OVERHEAD_TARGET,
      ),
    );
    overheadNotes.push(
      'bare = fetch + JSON.parse of the same request(s); bare node:http = node:http + JSON.parse of them; ours = sign + token + send (on node:http, the transport’s wire under Node) + zod validation + mapping to the core Order',
      `${IN_FLIGHT} in flight: ${IN_FLIGHT} calls at once, repeated; ratio = time per call, ours ÷ theirs (their calls/s ÷ ours)`,
    );

    /** Our raw typed call against the same peer, median, reported: what mapping to the Order costs. */
    const rawRow = (figure: string, raw: 'shopee-raw' | 'tiktok-raw'): Row => {
      const comparison = pick(raw, raw === 'shopee-raw' ? 'shopee-peer' : 'tiktok-peer');
      return {
        figure: `${figure}, median`,
        ours: ms(median(comparison.ours)),
        versus: `${ms(median(comparison.versus))} peer`,
        ratio: median(comparison.ours) / median(comparison.versus),
        target: 'reported',
      };
    };
    const peerRows: Row[] = [
      ...latencyRows(
        'Shopee getOrder vs @congminh1254/shopee-sdk',
        pick('shopee', 'shopee-peer'),
        'peer',
        '< 1.00×',
        1,
      ),
      amongAll('Shopee getOrder vs @congminh1254/shopee-sdk', 'shopee', 'shopee-peer', 'peer'),
      concurrentRow('Shopee getOrder vs @congminh1254/shopee-sdk', 'shopee', 'shopee-peer', 'peer', 1),
      ...latencyRows(
        'TikTok getOrder vs tiktok-shop-sdk',
        pick('tiktok', 'tiktok-peer'),
        'peer',
        '< 1.00×',
        1,
      ),
      amongAll('TikTok getOrder vs tiktok-shop-sdk', 'tiktok', 'tiktok-peer', 'peer'),
      concurrentRow('TikTok getOrder vs tiktok-shop-sdk', 'tiktok', 'tiktok-peer', 'peer', 1),
      rawRow(
        'Shopee orders.getOrderDetail (validated, not mapped) vs @congminh1254/shopee-sdk',
        'shopee-raw',
      ),
      rawRow('TikTok orders.getOrderDetails (validated, not mapped) vs tiktok-shop-sdk', 'tiktok-raw'),
    ];
    const peerNotes = [
      'both peers are pointed at the same local server and get the same recorded response; before timing, every',
      '  contender’s answer is checked: ours mapped to the order asked for, the bare calls’ and the peers’ JSON holding its id;',
      '@congminh1254/shopee-sdk: base_url option; returns the raw JSON (timestamps turned into Dates), no schema check, no retry',
      'tiktok-shop-sdk: no base-URL option (the constructor forces the production host): its global fetch is sent to the',
      '  local server by a prefix rewrite; returns the raw JSON, no schema check, no retry, no rate limit',
      'ours, getOrder: the marketplace JSON validated, then mapped to the core Order (money, dates, address, invoice state)',
      '  and that checked; ours, orders.getOrderDetail(s) (reported): the same call validated and returned as the marketplace',
      '  JSON, like the peers: the difference between the two rows is what the unified model costs per call',
    ];
    return [
      {
        id: 2,
        title:
          'Per-call overhead: getOrder through each client vs bare fetch + JSON.parse (local node:http server)',
        rows: overheadRows,
        notes: overheadNotes,
        details: {
          latencyMsByPair: Object.fromEntries(
            PAIRS.map(([ours, versus]) => {
              const comparison = pick(ours, versus);
              return [
                `${ours} ${versus}`,
                summarize({ [ours]: comparison.ours, [versus]: comparison.versus }),
              ];
            }),
          ),
          latencyMsAmongAll: summarize(mixed),
          firstCallsLatencyMs: summarize(first),
          callsPerSecondInFlight: { inFlight: IN_FLIGHT, perRound: concurrent },
          recorded: recorded.map(({ marketplace, calls }) => ({
            marketplace,
            calls: calls.map(({ body, ...call }) => ({ ...call, bytes: body.length })),
          })),
        },
      },
      {
        id: 3,
        title: 'Peer SDKs: the same getOrder on the same server, ours ÷ theirs',
        rows: peerRows,
        notes: peerNotes,
        details: {},
      },
    ];
  } finally {
    await server.close();
  }
}
