/**
 * One ProductSync measurement on one marketplace: publish a generated catalog to the sandbox,
 * count the calls, sample the memory; optionally re-run unchanged and change some stock. Run in
 * a child process (`sync-child.ts`) so its memory figures are its own.
 */
import {
  createMemorySyncStore,
  type InventoryFlushSummary,
  InventorySync,
  type PrepareListing,
  ProductSync,
  type SyncStore,
} from '@mlh/sync';
import { catalogProduct, VARIANTS_PER_PRODUCT, variantSku } from './catalog';
import { msBetween, now } from './measure';
import { postgresWorld } from './postgres-fixture';
import type { SandboxHost } from './sandbox-host';
import { type Marketplace, remoteClient } from './world';

/** What to measure. */
export interface SyncJob {
  marketplace: Marketplace;
  /** Catalog products (each with {@link VARIANTS_PER_PRODUCT} SKUs). */
  products: number;
  /** After the sync: run it again unchanged, then change the stock of this many SKUs (0: skip both). */
  stockChangeSkus: number;
  /** Sync with `adoptExisting: true` (the default) instead of false. */
  adoptExisting: boolean;
  /**
   * Keep the store in a fresh `@mlh/sync-postgres` schema on this database (dropped after the
   * job) instead of the memory store: the process then holds only the SDK and the sync.
   */
  databaseUrl?: string | undefined;
}

/** Heap and RSS in bytes. */
export interface MemoryFigures {
  /** Live heap (after a full GC) before the catalog is loaded. */
  baseHeap: number;
  /** Live heap after the catalog is in the store, before the sync. */
  catalogHeap: number;
  /** Largest heapUsed seen during the sync (sampled; garbage not yet collected included). */
  peakHeap: number;
  /** Live heap after the sync: store (catalog + listings) and sandbox state. */
  afterHeap: number;
  /** Peak resident set size of the whole process so far (the largest job's own when it runs last or alone). */
  maxRss: number;
  /**
   * Most live heap (after a full GC, at each tenth of the run) held beyond the store's straight
   * line from `catalogHeap` to `afterHeap`: what the run keeps in memory besides what it stores.
   * A sync that loaded the whole catalog would show it here.
   */
  heldMidRun: number;
  /** The samples behind `heldMidRun`: pairs done, live heap. */
  midRun: Array<{ done: number; live: number }>;
}

/** What one job measured. */
export interface SyncJobResult {
  job: SyncJob;
  seconds: number;
  /** CPU of this process during the publish: the SDK and the store (the sandbox runs elsewhere). */
  cpuSeconds: number;
  /** CPU the sandbox's own process spent answering the publish (reported apart, not ours). */
  sandboxCpuSeconds: number;
  created: number;
  failed: number;
  firstFailure?: string | undefined;
  calls: { total: number; byPath: Record<string, number> };
  memory: MemoryFigures;
  /** Present when `stockChangeSkus` > 0. */
  unchangedRun?: { calls: number; unchanged: number } | undefined;
  stockChange?:
    | {
        skus: number;
        products: number;
        calls: number;
        byPath: Record<string, number>;
        pushed: number;
        failed: number;
      }
    | undefined;
}

const gc = (globalThis as { gc?: () => void }).gc;

function liveHeap(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Marketplace fields and categories each marketplace needs, read once by a real app. */
function preparer(current: {
  marketplace: Marketplace;
  listingFields: Record<string, unknown>;
}): PrepareListing {
  const fields = current.listingFields;
  return (product) => {
    switch (current.marketplace) {
      case 'meli':
        return { product };
      case 'shopee':
        return { product, options: { marketplaceFields: fields } };
      case 'tiktok':
        return {
          product: { ...product, categoryId: String(fields.category_id) },
          options: { marketplaceFields: fields },
        };
    }
  };
}

async function loadCatalog(store: SyncStore, products: number): Promise<void> {
  const page = 1000;
  for (let start = 0; start < products; start += page) {
    const count = Math.min(page, products - start);
    await store.upsertProducts(Array.from({ length: count }, (_, offset) => catalogProduct(start + offset)));
  }
}

/**
 * Runs one job in this process against a fresh sandbox served by `host`, a process of its own:
 * this process's CPU and heap are the SDK's (and the store's) alone.
 */
export async function runSyncJob(job: SyncJob, host: SandboxHost): Promise<SyncJobResult> {
  const hosted = await host.start(job.marketplace);
  const current = {
    marketplace: job.marketplace,
    listingFields: hosted.listingFields,
    client: await remoteClient(hosted.access, hosted.url),
    calls: async () => (await host.stats()).calls,
  };
  const world = job.databaseUrl ? await postgresWorld(job.databaseUrl) : undefined;
  try {
    return await measureJob(job, host, current, world?.stores.syncStore ?? createMemorySyncStore());
  } finally {
    await world?.drop();
  }
}

async function measureJob(
  job: SyncJob,
  host: SandboxHost,
  current: {
    marketplace: Marketplace;
    listingFields: Record<string, unknown>;
    client: Awaited<ReturnType<typeof remoteClient>>;
    calls: () => Promise<SyncJobResult['calls']>;
  },
  store: SyncStore,
): Promise<SyncJobResult> {
  const baseHeap = liveHeap();
  await loadCatalog(store, job.products);
  const catalogHeap = liveHeap();

  const sync = new ProductSync({
    store,
    clients: [current.client],
    prepare: preparer(current),
    adoptExisting: job.adoptExisting,
  });
  let firstFailure: string | undefined;
  sync.on('item.failed', (failure) => {
    firstFailure ??= `${failure.sku ?? ''} ${failure.stage}: ${failure.reason}`;
  });
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const used = process.memoryUsage().heapUsed;
    if (used > peakHeap) peakHeap = used;
  };
  sync.on('progress', sample);
  // At each tenth of the run, a full GC and the live heap: what the run holds at that moment.
  const midRun: Array<{ done: number; live: number }> = [];
  let nextTenth = 1;
  sync.on('progress', ({ done, total }) => {
    if (total > 0 && done >= (nextTenth * total) / 10 && nextTenth < 10) {
      while (done >= (nextTenth * total) / 10) nextTenth += 1;
      midRun.push({ done, live: liveHeap() });
    }
  });
  const sampler = setInterval(sample, 20);
  const sandboxBefore = await host.stats();
  const cpuStart = process.cpuUsage();
  const start = now();
  const summary = await sync.run();
  const seconds = msBetween(start, now()) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  sample();
  const sandboxAfter = await host.stats();
  const calls = sandboxAfter.calls;
  const afterHeap = liveHeap();
  const heldMidRun = Math.max(
    0,
    ...midRun.map(
      ({ done, live }) =>
        live - (catalogHeap + (done / Math.max(1, summary.total)) * (afterHeap - catalogHeap)),
    ),
  );

  const result: SyncJobResult = {
    job,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    sandboxCpuSeconds: sandboxAfter.cpuSeconds - sandboxBefore.cpuSeconds,
    created: summary.created,
    failed: summary.failed.length,
    firstFailure,
    calls,
    memory: {
      baseHeap,
      catalogHeap,
      peakHeap,
      afterHeap,
      maxRss: process.resourceUsage().maxRSS * 1024,
      heldMidRun,
      midRun,
    },
  };

  if (job.stockChangeSkus > 0) {
    const before = (await current.calls()).total;
    const again = await sync.run();
    result.unchangedRun = { calls: (await current.calls()).total - before, unchanged: again.unchanged };

    const inventory = new InventorySync({ store, clients: [current.client], coalesceMs: 0 });
    let pushed = 0;
    let failed = 0;
    inventory.on('finished', ({ kind, summary: flushed }) => {
      if (kind !== 'inventory.flush') return;
      const { pushed: accepted, failed: refused } = flushed as InventoryFlushSummary;
      pushed += accepted;
      failed += refused.length;
    });
    const skus = Array.from({ length: job.stockChangeSkus }, (_, index) =>
      variantSku(Math.floor(index / VARIANTS_PER_PRODUCT), index % VARIANTS_PER_PRODUCT),
    );
    const callsBefore = await current.calls();
    await inventory.adjust(
      skus.map((sku, index) => ({ key: `bench-count:${sku}`, sku, set: 100 + (index % 9) })),
    );
    await inventory.idle();
    const callsAfter = await current.calls();
    const byPath: Record<string, number> = {};
    for (const [path, count] of Object.entries(callsAfter.byPath)) {
      const delta = count - (callsBefore.byPath[path] ?? 0);
      if (delta > 0) byPath[path] = delta;
    }
    result.stockChange = {
      skus: skus.length,
      products: Math.ceil(skus.length / VARIANTS_PER_PRODUCT),
      calls: callsAfter.total - callsBefore.total,
      byPath,
      pushed,
      failed,
    };
  }
  return result;
}
