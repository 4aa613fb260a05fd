/**
 * (8) The PostgreSQL store (`@mlh/sync-postgres`) on a real server: the store's share of a
 * publish, the unchanged re-run and a stock change (`listStockToPush`), and order ingestion
 * through `OrderSync.poll` against the floor of batched `INSERT … ON CONFLICT`s, at 10,000 and
 * 50,000 listings, each size on a fresh schema that is never ANALYZEd (plans without statistics,
 * as on a server with autovacuum off or right after a bulk load).
 */
import type { MarketplaceClient, Order } from '@mlh/core';
import { money } from '@mlh/core';
import { OrderSync, type StockToPush, type SyncStore } from '@mlh/sync';
import { productSku, VARIANTS_PER_PRODUCT, variantSku } from '../lib/catalog';
import { median, msBetween, now } from '../lib/measure';
import { type BenchMode, byMode } from '../lib/mode';
import { loadListings, loadProducts, type PostgresWorld, postgresWorld } from '../lib/postgres-fixture';
import { fmt, type Row, type SectionResult, withoutDatabase } from '../lib/report';

const ACCOUNT = { marketplace: 'shopee' as const, accountId: 'bench-shop' };
const TITLE = 'PostgreSQL store (@mlh/sync-postgres), fresh schema, no ANALYZE';
/** Orders per poll page and per floor transaction. */
const PAGE = 100;
/** Ingestion rounds of one page each, run before the kept ones to warm both sides up. */
const INGEST_WARMUP_ROUNDS = 2;

function log(line: string): void {
  process.stderr.write(`  [sync-postgres] ${line}\n`);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = now();
  const value = await work();
  return { ms: msBetween(start, now()), value };
}

/** What the store records for one published listing: claim, complete, then the pushed stock. */
async function publishOne(store: SyncStore, index: number, versions: Map<string, number>): Promise<void> {
  const sku = productSku(index);
  const key = { ...ACCOUNT, sku };
  await store.claimListingCreate({ ...key, intentId: `intent-${index}`, now: 1, staleBefore: 0 });
  const variants = Array.from({ length: VARIANTS_PER_PRODUCT }, (_, v) => ({
    sku: variantSku(index, v),
    externalId: `V${variantSku(index, v)}`,
  }));
  await store.completeListingCreate({
    ...key,
    productExternalId: `P${sku}`,
    contentHash: 'hash',
    status: 'active',
    variants,
    now: 2,
  });
  await store.recordPushes(
    variants.map((variant) => ({
      ...key,
      variantSku: variant.sku,
      price: money('49.90', 'BRL'),
      stock: { quantity: 10, version: versions.get(variant.sku) ?? 1 },
    })),
    3,
  );
}

/** Every SKU `listStockToPush` returns for the account, page by page. */
async function drainStockToPush(store: SyncStore): Promise<StockToPush[]> {
  const items: StockToPush[] = [];
  let after: { sku: string; variantSku: string } | undefined;
  do {
    const page = await store.listStockToPush({ ...ACCOUNT, after, limit: 500 });
    items.push(...page.items);
    after = page.next;
  } while (after);
  return items;
}

/** A paid order of one or two catalog SKUs, as a marketplace client returns it. */
function benchOrder(id: string, index: number, catalog: number): Order {
  const brl = (amount: string) => money(amount, 'BRL');
  const lines = 1 + (index % 2);
  return {
    externalId: id,
    marketplace: ACCOUNT.marketplace,
    accountId: ACCOUNT.accountId,
    buyer: { nickname: `buyer-${index}` },
    items: Array.from({ length: lines }, (_, line) => {
      const product = (index * 7 + line * 13) % catalog;
      const variant = (index + line) % VARIANTS_PER_PRODUCT;
      return {
        productExternalId: `P${productSku(product)}`,
        variantExternalId: `V${variantSku(product, variant)}`,
        sku: variantSku(product, variant),
        title: 'Camiseta',
        quantity: 1,
        unitPrice: brl('49.90'),
        total: brl('49.90'),
      };
    }),
    currency: 'BRL',
    subtotal: brl('49.90'),
    shippingCost: brl('0'),
    tax: brl('0'),
    total: brl('49.90'),
    status: 'paid',
    rawStatus: 'READY_TO_SHIP',
    paymentStatus: 'paid',
    shipmentIds: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
  };
}

/** A client that only lists the given orders: the poll then costs what the store costs. */
function listingClient(orders: readonly Order[]): MarketplaceClient {
  const client: Pick<MarketplaceClient, 'marketplace' | 'accountId' | 'listOrders'> = {
    ...ACCOUNT,
    listOrders: async function* () {
      yield* orders;
    },
  };
  return client as MarketplaceClient;
}

/**
 * The floor: the writes ingestion cannot avoid, one transaction per page, each a multi-row
 * `INSERT … ON CONFLICT` (orders, the ledger) or upsert (stock), with no reads or decisions.
 */
async function floorIngest(world: PostgresWorld, orders: readonly Order[]): Promise<void> {
  for (let start = 0; start < orders.length; start += PAGE) {
    const page = orders.slice(start, start + PAGE);
    const lines = page.flatMap((order) =>
      order.items.map((item, line) => ({ key: `floor:${order.externalId}:${line}`, sku: item.sku! })),
    );
    const client = await world.raw.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ${world.table('orders')} (marketplace, account_id, external_id, data, content_hash, stored_at)
         SELECT o.marketplace, o.account_id, o.external_id, o.data, 'hash', 0
         FROM jsonb_to_recordset($1::jsonb) AS o(marketplace text, account_id text, external_id text, data jsonb)
         ON CONFLICT DO NOTHING`,
        [
          JSON.stringify(
            page.map((order) => ({
              marketplace: 'floor',
              account_id: order.accountId,
              external_id: order.externalId,
              data: order,
            })),
          ),
        ],
      );
      await client.query(
        `INSERT INTO ${world.table('stock_movements')} (key, sku, delta, quantity_after, version_after)
         SELECT m.key, m.sku, -1, 0, 0 FROM jsonb_to_recordset($1::jsonb) AS m(key text, sku text)
         ON CONFLICT (key) DO NOTHING`,
        [JSON.stringify(lines)],
      );
      await client.query(
        `INSERT INTO ${world.table('stock')} (sku, quantity, version)
         SELECT m.sku, 0, 1 FROM (SELECT DISTINCT sku FROM jsonb_to_recordset($1::jsonb) AS m(sku text)) m
         ON CONFLICT (sku) DO UPDATE SET quantity = ${world.table('stock')}.quantity - 1,
           version = ${world.table('stock')}.version + 1`,
        [JSON.stringify(lines)],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

interface SizeResult {
  listings: number;
  loadMs: number;
  published: number;
  publishMs: number;
  rerunMs: number;
  rerunItems: number;
  stockSkus: number;
  stockApplyMs: number;
  stockListMs: number;
  stockListed: number;
  stockRecordMs: number;
  orders: number;
  ordersMs: number;
  /** CPU this process spent in those polls (hashing, validation, planning the movements, JSON). */
  ordersCpuMs: number;
  floorMs: number;
  /** CPU this process spent in the floor (JSON of the rows, the pg protocol). */
  floorCpuMs: number;
  ordersCreated: number;
  ordersFailed: number;
  /** Kept rounds of ingestion. */
  rounds: number;
  /** Median over rounds of ours ÷ the floor in orders/s (the floor's time ÷ ours). */
  ingestRatio: number;
}

async function measureSize(databaseUrl: string, mode: BenchMode, listings: number): Promise<SizeResult> {
  const world = await postgresWorld(databaseUrl);
  try {
    const store = world.stores.syncStore;
    const load = await timed(() => loadProducts(world, listings));
    log(`${fmt(listings)} products loaded in ${fmt(load.ms / 1000, 1)} s`);

    // The store's share of a publish, 4 at a time like ProductSync; the rest as a fixture.
    const published = Math.min(listings, byMode(mode, 1000, 200));
    const versions = new Map<string, number>();
    let next = 0;
    const publish = await timed(() =>
      Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < published) await publishOne(store, next++, versions);
        }),
      ),
    );
    log(`published ${fmt(published)} listings in ${fmt(publish.ms / 1000, 1)} s`);
    await loadListings(world, ACCOUNT, listings, published);

    const rerun = await timed(() => drainStockToPush(store));
    log(`unchanged re-run: ${fmt(rerun.ms)} ms`);

    const stockSkus = Math.min(byMode(mode, 1000, 100), listings * VARIANTS_PER_PRODUCT);
    const movements = Array.from({ length: stockSkus }, (_, i) => ({
      key: `restock-${i}`,
      sku: variantSku(Math.floor(i / VARIANTS_PER_PRODUCT), i % VARIANTS_PER_PRODUCT),
      set: 50,
    }));
    const apply = await timed(() => store.applyStockMovements(movements));
    const listed = await timed(() => drainStockToPush(store));
    const record = await timed(async () => {
      for (let start = 0; start < listed.value.length; start += 500) {
        await store.recordPushes(
          listed.value.slice(start, start + 500).map((item) => ({
            ...ACCOUNT,
            sku: item.sku,
            variantSku: item.variantSku,
            stock: { quantity: item.stock.quantity, version: item.stock.version },
          })),
          4,
        );
      }
    });
    log(`stock change: apply ${fmt(apply.ms)} ms, list ${fmt(listed.ms)} ms, record ${fmt(record.ms)} ms`);

    // Ours and the floor take turns, the side going first changing round by round, so a burst of
    // load hits both alike; the warm-up rounds (one page each) are not counted. Many short rounds
    // and the median of their ratios: with two long ones, one slow floor round swung the 10,000-
    // listing ratio between 0.45× and 0.62× across runs of one build.
    const ordersPerRound = byMode(mode, 500, 150);
    const rounds = byMode(mode, 8, 2);
    let ordersMs = 0;
    let floorMs = 0;
    let ordersCpuMs = 0;
    let floorCpuMs = 0;
    let created = 0;
    let failed = 0;
    const roundRatios: number[] = [];
    for (let round = 1 - INGEST_WARMUP_ROUNDS; round <= rounds; round += 1) {
      const count = round < 1 ? PAGE : ordersPerRound;
      const orders = Array.from({ length: count }, (_, i) =>
        benchOrder(
          `order-${round + INGEST_WARMUP_ROUNDS}-${i}`,
          (round + INGEST_WARMUP_ROUNDS) * ordersPerRound + i,
          listings,
        ),
      );
      const sync = new OrderSync({
        store,
        clients: [listingClient(orders)],
        initialLookbackMs: 10 * 365 * 86_400_000,
      });
      const runOurs = async () => {
        const cpu = process.cpuUsage();
        const ours = await timed(() => sync.poll(ACCOUNT));
        return { ...ours, cpu: process.cpuUsage(cpu) };
      };
      const runFloor = async () => {
        const cpu = process.cpuUsage();
        const floor = await timed(() => floorIngest(world, orders));
        return { ...floor, cpu: process.cpuUsage(cpu) };
      };
      const oursFirst = round % 2 === 0;
      const first = oursFirst ? await runOurs() : await runFloor();
      const second = oursFirst ? await runFloor() : await runOurs();
      const [ours, floor] = oursFirst ? [first, second] : [second, first];
      if (round < 1) continue;
      const oursResult = (ours as Awaited<ReturnType<typeof runOurs>>).value;
      floorCpuMs += (floor.cpu.user + floor.cpu.system) / 1000;
      ordersMs += ours.ms;
      ordersCpuMs += (ours.cpu.user + ours.cpu.system) / 1000;
      created += oursResult.created;
      failed += oursResult.failed.length;
      floorMs += floor.ms;
      roundRatios.push(floor.ms / ours.ms);
    }
    log(`orders: ${fmt(ordersMs)} ms ours, ${fmt(floorMs)} ms floor`);
    return {
      listings,
      loadMs: load.ms,
      published,
      publishMs: publish.ms,
      rerunMs: rerun.ms,
      rerunItems: rerun.value.length,
      stockSkus,
      stockApplyMs: apply.ms,
      stockListMs: listed.ms,
      stockListed: listed.value.length,
      stockRecordMs: record.ms,
      orders: rounds * ordersPerRound,
      rounds,
      ingestRatio: median(roundRatios),
      ordersMs,
      ordersCpuMs,
      floorMs,
      floorCpuMs,
      ordersCreated: created,
      ordersFailed: failed,
    };
  } finally {
    await world.drop();
  }
}

function rowsOf(result: SizeResult, rerunTargetMs: number | undefined): Row[] {
  const at = `${fmt(result.listings)} listings`;
  const ours = result.orders / (result.ordersMs / 1000);
  const floor = result.orders / (result.floorMs / 1000);
  const ratio = result.ingestRatio;
  return [
    {
      figure: `${at}: publish (store calls per listing: claim, complete, record pushes)`,
      ours: `${fmt(result.published / (result.publishMs / 1000))} listings/s`,
      versus: '',
      target: 'reported',
    },
    {
      figure: `${at}: unchanged re-run (listStockToPush, every page)`,
      ours: `${fmt(result.rerunMs)} ms`,
      versus: `${fmt(result.rerunItems)} SKUs due`,
      target: rerunTargetMs === undefined ? 'reported' : `≤ ${fmt(rerunTargetMs / 1000)} s`,
      met:
        rerunTargetMs === undefined ? undefined : result.rerunMs <= rerunTargetMs && result.rerunItems === 0,
    },
    {
      figure: `${at}: stock of ${fmt(result.stockSkus)} SKUs changed (apply, list, record)`,
      ours: `${fmt(result.stockApplyMs + result.stockListMs + result.stockRecordMs)} ms`,
      versus: `${fmt(result.stockListed)} SKUs listed`,
      target: 'reported',
    },
    {
      figure: `${at}: order ingestion (OrderSync.poll, ${PAGE} per store call)`,
      ours: `${fmt(ours)} orders/s`,
      versus: `${fmt(floor)} orders/s floor`,
      ratio,
      target: '≥ 0.50×',
      met: ratio >= 0.5 && result.ordersFailed === 0,
    },
  ];
}

/** (8) The PostgreSQL store at two catalog sizes; skipped without `DATABASE_URL`. */
export async function syncPostgresSection(mode: BenchMode): Promise<SectionResult> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return withoutDatabase(8, TITLE, 'PostgreSQL store');
  const sizes = byMode(mode, [10_000, 50_000], [1_000]);
  const results: SizeResult[] = [];
  for (const listings of sizes) results.push(await measureSize(databaseUrl, mode, listings));
  const rows = results.flatMap((result) =>
    rowsOf(result, result.listings === 10_000 || mode === 'quick' ? 2000 : undefined),
  );
  const notes = results.map(
    (r) =>
      `${fmt(r.listings)} listings × ${VARIANTS_PER_PRODUCT} SKUs: catalog loaded in ${fmt(r.loadMs / 1000, 1)} s; ` +
      `${fmt(r.published)} listings published through the store, the rest written as a fixture; ` +
      `stock change apply ${fmt(r.stockApplyMs)} ms, list ${fmt(r.stockListMs)} ms, record ${fmt(r.stockRecordMs)} ms; ` +
      `${fmt(r.orders)} orders (${fmt(r.ordersCreated)} created, ${r.ordersFailed} failed) in ${fmt(r.ordersMs)} ms ` +
      `(${fmt(r.ordersCpuMs)} ms of it CPU in this process), floor ${fmt(r.floorMs)} ms ` +
      `(${fmt(r.floorCpuMs)} ms CPU)`,
  );
  notes.push(
    'floor = per page of 100 orders, one transaction of multi-row INSERT … ON CONFLICT (orders, ledger) and a stock upsert',
  );
  return { id: 8, title: TITLE, rows, notes, details: { results } };
}
