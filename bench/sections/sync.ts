import { fork } from 'node:child_process';
import { MELI_MULTIGET_MAX } from '@mlh/meli';
import { VARIANTS_PER_PRODUCT } from '../lib/catalog';
import { type BenchMode, byMode } from '../lib/mode';
import { fmt, type Row, type SectionResult } from '../lib/report';
import type { SyncJob, SyncJobResult } from '../lib/sync-job';
import { MARKETPLACE_NAMES, MARKETPLACES, type Marketplace } from '../lib/world';

const MB = 1024 * 1024;
/** Issue #17: publishing with adoption (the default) costs at most 1.10× publishing without it. */
const ADOPTION_LIMIT = 1.1;

type ChildMessage =
  | { kind: 'progress'; result: SyncJobResult }
  | { kind: 'done'; results: SyncJobResult[] }
  | { kind: 'failed'; error: string };

/**
 * Runs a marketplace's jobs in one fresh child process (own heap and RSS), with GC exposed for
 * the live-heap figures, reporting each finished job through `onResult`.
 */
export function runInChild(
  jobs: readonly SyncJob[],
  onResult: (result: SyncJobResult) => void,
): Promise<SyncJobResult[]> {
  const child = fork(new URL('../lib/sync-child.ts', import.meta.url), [], {
    execArgv: [...process.execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const name = jobs[0]?.marketplace ?? '?';
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'progress') {
        onResult(message.result);
        return;
      }
      settled = true;
      if (message.kind === 'done') resolve(message.results);
      else reject(new Error(`the ${name} sync jobs failed:\n${message.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`the ${name} sync process exited with ${code}`));
    });
    child.send(jobs);
  });
}

/** The least number of calls each API needs, from its documented limits (formulas in the notes). */
function minimumCreateCalls(marketplace: Marketplace, products: number): number {
  switch (marketplace) {
    case 'meli':
      return 2 * products; // POST /items (variations inside) + POST /items/{id}/description
    case 'shopee':
      return 2 * products; // add_item + init_tier_variation (models with price and stock)
    case 'tiktok':
      return products; // POST /product/202309/products with every SKU
  }
}

/**
 * The changed SKUs are the first `skus` in catalog order, so they cover ⌈skus / 3⌉ products; each
 * API takes one item per stock call with all its SKUs (Shopee: at most 50 models per call).
 * Mercado Livre's default (`stockWrites: 'every-variation'`) also reads the items first, 20 to a
 * multiget: the reference confirms that a PUT deletes the variations it leaves out and says to
 * send every variation id, which only a read of the item gives (a variation the seller added on
 * the site is in no store). Without those reads the writes would be fewer and unsafe; the option
 * `'changed-variations'` makes them, for an account that checked it, at the writes alone.
 */
function minimumStockCalls(marketplace: Marketplace, skus: number): number {
  const perCall = Math.min(VARIANTS_PER_PRODUCT, 50);
  const writes = Math.ceil(skus / perCall);
  return marketplace === 'meli' ? writes + Math.ceil(writes / MELI_MULTIGET_MAX) : writes;
}

/**
 * Reads a run makes once whatever its size: the category's requirements (read once so that no
 * product needs a validate call), the shop's limits and brands, the seller's id, the warehouse
 * list. They are part of the minimum, once per route (the bench's catalog is in one category); a
 * route read more often counts every further call against the SDK.
 */
const ONE_OFF_READS: Record<Marketplace, readonly string[]> = {
  meli: ['GET /users/me', 'GET /categories/:id', 'GET /categories/:id/attributes'],
  shopee: [
    '/api/v2/product/get_attribute_tree',
    '/api/v2/product/get_item_limit',
    '/api/v2/product/get_brand_list',
  ],
  tiktok: [
    '/product/202309/categories/{category_id}/attributes',
    '/product/202309/categories/{category_id}/rules',
    '/logistics/202309/warehouses',
  ],
};

function oneOffReads(marketplace: Marketplace, byPath: Record<string, number>): number {
  return ONE_OFF_READS[marketplace].reduce((sum, route) => sum + Math.min(byPath[route] ?? 0, 1), 0);
}

function mb(bytes: number): string {
  return `${fmt(bytes / MB, 1)} MB`;
}

function log(line: string): void {
  process.stderr.write(`  [sync] ${line}\n`);
}

interface Plan {
  /** The default settings (`adoptExisting: true`) at the full size. */
  main: SyncJob;
  scale: SyncJob[];
  /** The same size with `adoptExisting: false`: what adoption costs is the difference. */
  withoutAdoption: SyncJob;
}

function plan(mode: BenchMode, marketplace: Marketplace): Plan {
  const base = byMode(mode, 100, 1);
  return {
    main: {
      marketplace,
      products: base * 100,
      stockChangeSkus: byMode(mode, 1000, 30),
      adoptExisting: true,
    },
    scale: [1, 10].map((factor) => ({
      marketplace,
      products: base * factor,
      stockChangeSkus: 0,
      adoptExisting: true,
    })),
    withoutAdoption: { marketplace, products: base * 100, stockChangeSkus: 0, adoptExisting: false },
  };
}

interface MarketplaceResults {
  main: SyncJobResult;
  /** 1×, 10×, 100× (the last is the main run). */
  scale: SyncJobResult[];
  withoutAdoption: SyncJobResult;
}

/**
 * One process per marketplace, the three side by side on the two cores; in each, the jobs one
 * after the other, smallest first (they warm the code up); the two 10,000-product runs come last,
 * the default settings' run at the very end (the process's peak RSS is the larger of the two).
 */
async function runAll(mode: BenchMode): Promise<Record<Marketplace, MarketplaceResults>> {
  const report = (result: SyncJobResult) =>
    log(
      `${result.job.marketplace} ${fmt(result.job.products)} products${result.job.adoptExisting ? '' : ' (adoptExisting: false)'}: ` +
        `${result.seconds.toFixed(1)} s`,
    );
  const entries = await Promise.all(
    MARKETPLACES.map(async (marketplace) => {
      const jobs = plan(mode, marketplace);
      const [one, ten, withoutAdoption, main] = (await runInChild(
        [...jobs.scale, jobs.withoutAdoption, jobs.main],
        report,
      )) as [SyncJobResult, SyncJobResult, SyncJobResult, SyncJobResult];
      return [marketplace, { main, scale: [one, ten, main], withoutAdoption }] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as Record<Marketplace, MarketplaceResults>;
}

/**
 * Calls made ÷ the minimum, where the minimum is the per-product formula plus the run's one-off
 * reads (`oneOff`, shown apart so they are visible).
 */
function ratioRow(figure: string, ours: number, minimum: number, oneOff = 0, limit = 1): Row {
  const floor = minimum + oneOff;
  const ratio = floor === 0 ? (ours === 0 ? 1 : Number.POSITIVE_INFINITY) : ours / floor;
  return {
    figure,
    ours: `${fmt(ours)} calls`,
    versus: `${fmt(minimum)} minimum${oneOff > 0 ? ` + ${fmt(oneOff)} one-off` : ''}`,
    ratio,
    target: limit === 1 ? '1.00×' : `≤ ${limit.toFixed(2)}×`,
    met: ratio <= limit + 0.0001,
  };
}

function describeCalls(byPath: Record<string, number>): string {
  return Object.entries(byPath)
    .map(([path, count]) => `${fmt(count)} ${path}`)
    .join(', ');
}

/** (4) API calls spent by ProductSync and a stock change, and (6) the growth curve. */
export async function syncSections(mode: BenchMode): Promise<[SectionResult, SectionResult]> {
  const results = await runAll(mode);
  const apiRows: Row[] = [];
  const apiNotes: string[] = [];
  const scaleRows: Row[] = [];
  const scaleNotes: string[] = [];
  for (const marketplace of MARKETPLACES) {
    const name = MARKETPLACE_NAMES[marketplace];
    const { main, scale, withoutAdoption } = results[marketplace];
    const products = main.job.products;
    for (const result of [main, withoutAdoption]) {
      if (result.failed > 0)
        apiNotes.push(`${name}: ${result.failed} product(s) failed, first: ${result.firstFailure}`);
    }
    apiRows.push(
      ratioRow(
        `${name}: publish ${fmt(products)} products (${fmt(products * VARIANTS_PER_PRODUCT)} SKUs), default settings`,
        main.calls.total,
        minimumCreateCalls(marketplace, products),
        oneOffReads(marketplace, main.calls.byPath),
        ADOPTION_LIMIT,
      ),
    );
    apiNotes.push(`${name} publish (defaults, adoptExisting on): ${describeCalls(main.calls.byPath)}`);
    apiRows.push(
      ratioRow(
        `${name}: the same with adoptExisting: false`,
        withoutAdoption.calls.total,
        minimumCreateCalls(marketplace, products),
        oneOffReads(marketplace, withoutAdoption.calls.byPath),
      ),
    );
    const adoptionRatio = main.calls.total / withoutAdoption.calls.total;
    apiRows.push({
      figure: `${name}: adoptExisting's cost, publish with it ÷ without it`,
      ours: `${fmt(main.calls.total)} calls`,
      versus: `${fmt(withoutAdoption.calls.total)} without`,
      ratio: adoptionRatio,
      target: `≤ ${ADOPTION_LIMIT.toFixed(2)}×`,
      met: adoptionRatio <= ADOPTION_LIMIT,
    });
    apiNotes.push(
      `${name} publish with adoptExisting: false: ${describeCalls(withoutAdoption.calls.byPath)}`,
    );
    if (main.unchangedRun) {
      apiRows.push(ratioRow(`${name}: second run, nothing changed`, main.unchangedRun.calls, 0));
    }
    if (main.stockChange) {
      const change = main.stockChange;
      apiRows.push(
        ratioRow(
          `${name}: stock of ${fmt(change.skus)} SKUs changed (${fmt(change.products)} products)`,
          change.calls,
          minimumStockCalls(marketplace, change.skus),
          oneOffReads(marketplace, change.byPath),
        ),
      );
      apiNotes.push(
        `${name} stock change: ${describeCalls(change.byPath)}; ${change.pushed} SKU values accepted, ${change.failed} failed`,
      );
    }
    apiRows.push({
      figure: `${name}: memory peak during the publish`,
      ours: `${mb(main.memory.peakHeap)} heap`,
      versus: `${mb(main.memory.afterHeap)} live after`,
      ratio: main.memory.peakHeap / main.memory.afterHeap,
      target: 'reported',
    });
    apiNotes.push(
      `${name} memory: catalog in the store ${mb(main.memory.catalogHeap - main.memory.baseHeap)}, store after the run ` +
        `${mb(main.memory.afterHeap - main.memory.baseHeap)}, held mid-run beyond the store ${mb(main.memory.heldMidRun)}, ` +
        `peak RSS ${mb(main.memory.maxRss)}; ` +
        `${main.seconds.toFixed(1)} s wall, ${main.cpuSeconds.toFixed(1)} s CPU (the sandbox's own process: ${main.sandboxCpuSeconds.toFixed(1)} s, not counted)`,
    );

    const [small, middle, large] = scale as [SyncJobResult, SyncJobResult, SyncJobResult];
    const perProduct = (result: SyncJobResult, value: number) => value / result.job.products;
    const sizes = `${fmt(small.job.products)} / ${fmt(middle.job.products)} / ${fmt(large.job.products)}`;
    const series = (pick: (result: SyncJobResult) => number, decimals: number) =>
      [small, middle, large].map((result) => fmt(pick(result), decimals)).join(' / ');
    const msPer = (result: SyncJobResult) => perProduct(result, result.seconds * 1000);
    const cpuPer = (result: SyncJobResult) => perProduct(result, result.cpuSeconds * 1000);
    const heapPer = (result: SyncJobResult) =>
      perProduct(result, result.memory.afterHeap - result.memory.baseHeap) / 1024;
    const held = (result: SyncJobResult) => result.memory.heldMidRun / MB;
    const peakPer = (result: SyncJobResult) =>
      perProduct(result, result.memory.peakHeap - result.memory.baseHeap) / 1024;
    const flat = (
      pick: (result: SyncJobResult) => number,
      figure: string,
      unit: string,
      decimals: number,
      from: SyncJobResult = small,
    ): Row => {
      const ratio = pick(large) / pick(from);
      const meaningful = Number.isFinite(ratio) && ratio > 0;
      return {
        figure: `${name}: ${figure}`,
        ours: `${series(pick, decimals)} ${unit}`,
        versus: '',
        ratio: meaningful ? ratio : undefined,
        target: '≤ 1.25× (flat)',
        met: meaningful ? ratio <= 1.25 : undefined,
      };
    };
    scaleRows.push({ ...flat(msPer, 'wall time per product', 'ms', 2), target: 'reported', met: undefined });
    scaleRows.push(
      flat(cpuPer, 'CPU time per product (the SDK and the store; the sandbox runs apart)', 'ms', 2),
    );
    // A hundred products' live heap is within the GC's noise: the heap ratio is 100× ÷ 10×.
    scaleRows.push(flat(heapPer, 'live heap per product (the store)', 'KB', 1, middle));
    scaleRows.push({
      ...flat(peakPer, 'peak heap per product', 'KB', 1),
      target: 'reported',
      met: undefined,
    });
    // Memory beyond the store must not grow with the catalog; at a few MB a ratio is GC noise, so
    // flat means the largest catalog holds at most 2 MB more than the smallest.
    const growth = held(large) - held(small);
    scaleRows.push({
      figure: `${name}: live heap held mid-run beyond the store's line`,
      ours: `${series(held, 1)} MB`,
      versus: `${growth >= 0 ? '+' : ''}${fmt(growth, 1)} MB from 1× to 100×`,
      target: '≤ +2 MB (flat)',
      met: growth <= 2,
    });
    scaleNotes.push(
      `${name}: ${sizes} products; ratio = 100× ÷ 1× (live heap: 100× ÷ 10×); sandbox process CPU per product ${series((result) => perProduct(result, result.sandboxCpuSeconds * 1000), 2)} ms (not counted)`,
    );
  }
  apiNotes.push(
    'minimum, N products × 3 SKUs, images uploaded once and reused, plus the one-off reads of a run, once per route',
    '  (category requirements, shop limits and brands, seller id, warehouse list: their count does not grow with N):',
    '  Mercado Livre publish = 2N (POST /items with its variations + POST /items/{id}/description, required since 2021)',
    "  Shopee publish = 2N (add_item + init_tier_variation with every model's price and stock)",
    '  TikTok Shop publish = N (POST /product/202309/products with every SKU)',
    '  stock change of S SKUs = ⌈S / 3⌉: every API takes one item per call with all its SKUs (Shopee ≤ 50 models);',
    '    Mercado Livre + ⌈⌈S / 3⌉ / 20⌉ multigets of the items first: a PUT deletes the variations it omits [C], so every',
    "    variation id is sent, read from the item (stockWrites: 'changed-variations' skips the reads: ⌈S / 3⌉, unsafe unless checked)",
    '  second run = 0',
    '  default settings (adoptExisting: true): ≤ 1.10× the minimum, as adoption may cost ≤ 1.10× (issue #17)',
  );
  return [
    {
      id: 4,
      title: 'API calls spent: ProductSync publish, unchanged re-run, one stock change (sandbox stats())',
      rows: apiRows,
      notes: apiNotes,
      details: Object.fromEntries(
        MARKETPLACES.map((marketplace) => [
          marketplace,
          { main: results[marketplace].main, withoutAdoption: results[marketplace].withoutAdoption },
        ]),
      ),
    },
    {
      id: 6,
      title: 'Scale: the same publish at 1×, 10× and 100× a base catalog',
      rows: scaleRows,
      notes: scaleNotes,
      details: Object.fromEntries(
        MARKETPLACES.map((marketplace) => [marketplace, results[marketplace].scale]),
      ),
    },
  ];
}
