/**
 * (11) Memory beyond the store with the PostgreSQL store: the same default publish as section 4,
 * on TikTok Shop, with the catalog and listings in a fresh `@mlh/sync-postgres` schema, at growing
 * catalog sizes. The store lives in the database, so whatever the process holds is the SDK's and
 * the sync's own: it must not grow with the catalog.
 */
import { type BenchMode, byMode } from '../lib/mode';
import { fmt, type Row, type SectionResult, withoutDatabase } from '../lib/report';
import type { SyncJobResult } from '../lib/sync-job';
import { MARKETPLACE_NAMES } from '../lib/world';
import { runInChild } from './sync';

const TITLE = 'Memory with the PostgreSQL store: a default publish as the catalog grows';
const MB = 1024 * 1024;
/** Flat: the largest catalog holds at most this much more than the smallest (a few MB is GC noise). */
const FLAT_MB = 2;
const MARKETPLACE = 'tiktok' as const;

function mb(bytes: number): string {
  return `${fmt(bytes / MB, 1)} MB`;
}

/** What the process holds after the run beyond what it held before the catalog was loaded. */
function keptAfter(result: SyncJobResult): number {
  return result.memory.afterHeap - result.memory.baseHeap;
}

export async function postgresMemorySection(mode: BenchMode): Promise<SectionResult> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return withoutDatabase(11, TITLE, 'memory with the PostgreSQL store');
  const sizes = byMode(mode, [1_000, 10_000, 50_000], [100, 300]);
  const results = await runInChild(
    sizes.map((products) => ({
      marketplace: MARKETPLACE,
      products,
      stockChangeSkus: 0,
      adoptExisting: true,
      databaseUrl,
    })),
    (result) =>
      process.stderr.write(
        `  [postgres memory] ${fmt(result.job.products)} products: ${result.seconds.toFixed(1)} s\n`,
      ),
  );
  const first = results[0] as SyncJobResult;
  const last = results[results.length - 1] as SyncJobResult;
  const series = (pick: (result: SyncJobResult) => number) =>
    `${results.map((result) => fmt(pick(result) / MB, 1)).join(' / ')} MB`;
  const sizesText = results.map((result) => fmt(result.job.products)).join(' / ');
  const name = MARKETPLACE_NAMES[MARKETPLACE];
  const growthRow = (figure: string, pick: (result: SyncJobResult) => number): Row => {
    const growth = pick(last) - pick(first);
    return {
      figure: `${name}, ${sizesText} products: ${figure}`,
      ours: series(pick),
      versus: `${growth >= 0 ? '+' : ''}${mb(growth)} from the smallest to the largest`,
      target: `≤ +${FLAT_MB} MB (flat)`,
      met: growth <= FLAT_MB * MB,
    };
  };
  const failures = results.filter((result) => result.failed > 0);
  const rows: Row[] = [
    growthRow('live heap held mid-run beyond the store', (result) => result.memory.heldMidRun),
    growthRow('live heap kept after the run (the store is in PostgreSQL)', keptAfter),
    {
      figure: `${name}, ${sizesText} products: CPU time per product (the SDK, the sync and the store's client)`,
      ours: `${results.map((result) => fmt((result.cpuSeconds * 1000) / result.job.products, 2)).join(' / ')} ms`,
      versus: '',
      target: 'reported',
    },
    {
      figure: `${name}, ${sizesText} products: products published`,
      ours: results.map((result) => fmt(result.created)).join(' / '),
      versus: `${failures.length === 0 ? 'none' : failures.map((result) => result.failed).join(' / ')} failed`,
      target: 'all',
      met: failures.length === 0 && results.every((result) => result.created === result.job.products),
    },
  ];
  return {
    id: 11,
    title: TITLE,
    rows,
    notes: [
      `${name}, default settings (adoptExisting: true), the sandbox in a process of its own, a fresh schema per size (never ANALYZEd, dropped after)`,
      ...results.map(
        (result) =>
          `${fmt(result.job.products)} products: ${result.seconds.toFixed(1)} s wall, ${result.cpuSeconds.toFixed(1)} s CPU, ` +
          `${fmt(result.calls.total)} calls, peak heap ${mb(result.memory.peakHeap - result.memory.baseHeap)} above the start ` +
          `(garbage included), peak RSS ${mb(result.memory.maxRss)}`,
      ),
      'held mid-run = at each tenth of the run, after a full GC, the live heap above the straight line from "catalog loaded" to',
      '  "run finished"; kept after = live heap after the run minus before the catalog was loaded',
      ...failures.map(
        (result) => `${fmt(result.job.products)} products: first failure ${result.firstFailure}`,
      ),
    ],
    details: { results },
  };
}
