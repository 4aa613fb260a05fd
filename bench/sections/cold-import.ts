import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, msBetween, now } from '../lib/measure';
import { type BenchMode, byMode } from '../lib/mode';
import { fmt, type Row, type SectionResult, skippedRow, times } from '../lib/report';

/** Issue #17: the cold import of one adapter at most 1.5× the peer's. */
export const COLD_IMPORT_TARGET = 1.5;

const libDir = fileURLToPath(new URL('../lib/', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));

/** How the child loads its specifier: ESM `import()` or CommonJS `require()`. */
export type Loader = 'import' | 'require';

/** One thing a fresh process loads: `floor` is a module with nothing in it. */
export interface ColdContender {
  loader: Loader;
  specifier: string;
}

/** Medians over the samples of one contender, in milliseconds. */
export interface ColdFigures {
  /** Around the `import()` / `require()` inside the child (process.hrtime.bigint()). */
  wallMs: number;
  /** CPU time (user + system) of the child over the same stretch. */
  cpuMs: number;
  /** The child's whole life seen from the bench: Node's start, the import, the exit. */
  lifeMs: number;
}

type Marketplace = 'shopee' | 'tiktok' | 'meli';

const LABEL: Record<Marketplace, string> = {
  shopee: 'Shopee',
  tiktok: 'TikTok Shop',
  meli: 'Mercado Livre',
};

const SHOPEE_PEER = '@congminh1254/shopee-sdk';
const TIKTOK_PEER = 'tiktok-shop-sdk';
const FLOOR: Record<Loader, string> = {
  import: './cold-import-floor.mjs',
  require: './cold-import-floor.cjs',
};

/** `import @mlh/shopee`, the key of a contender in the figures. */
export function keyOf(contender: ColdContender): string {
  return `${contender.loader} ${contender.specifier}`;
}

/**
 * Every contender, ours (with the `/lean` entries unless `lean` is false) and the peers, through
 * both loaders. `@congminh1254/shopee-sdk` is published as ESM only (its `exports` have no
 * `require` condition), so it is only imported.
 */
export function coldContenders(lean = true): ColdContender[] {
  const list: ColdContender[] = [];
  for (const loader of ['import', 'require'] as const) {
    list.push({ loader, specifier: FLOOR[loader] });
    for (const marketplace of ['shopee', 'tiktok', 'meli'] as const) {
      list.push({ loader, specifier: `@mlh/${marketplace}` });
      if (lean) list.push({ loader, specifier: `@mlh/${marketplace}/lean` });
    }
    if (loader === 'import') list.push({ loader, specifier: SHOPEE_PEER });
    list.push({ loader, specifier: TIKTOK_PEER });
  }
  return list;
}

interface ChildAnswer {
  wallMs: number;
  cpuMs: number;
}

/** Runs one child: a fresh `node` that loads `contender` and prints its timing. */
function sampleOnce(contender: ColdContender): Promise<ChildAnswer & { lifeMs: number }> {
  const script = `${libDir}cold-import-child.${contender.loader === 'import' ? 'mjs' : 'cjs'}`;
  // Nothing of the bench's own Node options (tsx's loader) may reach the child.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const start = now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, contender.specifier],
      { cwd: libDir, env },
      (error, stdout, stderr) => {
        const lifeMs = msBetween(start, now());
        if (error) {
          reject(
            new Error(`${keyOf(contender)} failed: ${stderr.split('\n').find(Boolean) ?? error.message}`),
          );
          return;
        }
        resolve({ ...(JSON.parse(stdout) as ChildAnswer), lifeMs });
      },
    );
  });
}

/**
 * `rounds` samples of every contender, one fresh process each, taking turns in rotating order
 * (A B C, B C A, ...) so a burst of load on the machine hits every contender alike.
 */
async function sampleAll(
  contenders: readonly ColdContender[],
  rounds: number,
): Promise<Record<string, Array<ChildAnswer & { lifeMs: number }>>> {
  const samples: Record<string, Array<ChildAnswer & { lifeMs: number }>> = {};
  for (const contender of contenders) samples[keyOf(contender)] = [];
  // One untimed load of each, so the files are in the OS cache for every timed one alike.
  for (const contender of contenders) await sampleOnce(contender);
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < contenders.length; turn++) {
      const contender = contenders[(round + turn) % contenders.length] as ColdContender;
      samples[keyOf(contender)]?.push(await sampleOnce(contender));
    }
  }
  return samples;
}

function ms(value: number): string {
  return `${fmt(value, 1)} ms`;
}

/** The peer an adapter's import is compared with, under `loader`, and how the row names it. */
function peerOf(
  marketplace: Marketplace,
  loader: Loader,
  figures: Record<string, ColdFigures>,
): { key: string; label: string; note?: string } {
  if (marketplace === 'shopee') {
    // The Shopee peer has no CommonJS build: a CommonJS app cannot require it at all.
    return {
      key: keyOf({ loader: 'import', specifier: SHOPEE_PEER }),
      label: 'peer',
      note: loader === 'require' ? `; ${SHOPEE_PEER} has no CommonJS build: its import()` : '',
    };
  }
  if (marketplace === 'tiktok') return { key: keyOf({ loader, specifier: TIKTOK_PEER }), label: 'peer' };
  // Mercado Livre has no peer in the bench: the faster of the two peers under the same loader.
  const peers = [keyOf({ loader, specifier: TIKTOK_PEER })];
  if (loader === 'import') peers.push(keyOf({ loader, specifier: SHOPEE_PEER }));
  const fastest = peers.reduce((best, key) =>
    (figures[key]?.wallMs ?? Number.POSITIVE_INFINITY) < (figures[best]?.wallMs ?? Number.POSITIVE_INFINITY)
      ? key
      : best,
  );
  return { key: fastest, label: `fastest peer (${fastest.split(' ')[1]})` };
}

/**
 * The rows of section 10 from each contender's medians: per loader, the floor, then each
 * adapter's full and lean entry against its peer (Mercado Livre against the fastest peer,
 * reported). The full entries of Shopee and TikTok Shop carry the target.
 */
export function coldImportRows(figures: Record<string, ColdFigures>): { rows: Row[]; notes: string[] } {
  const rows: Row[] = [];
  const cpuRatios: string[] = [];
  for (const loader of ['import', 'require'] as const) {
    const call = loader === 'import' ? 'import()' : 'require()';
    const floor = figures[keyOf({ loader, specifier: FLOOR[loader] })];
    rows.push({
      figure: `floor: ${call} of an empty module`,
      ours: ms(floor?.wallMs ?? Number.NaN),
      versus: '',
      target: 'reference',
    });
    for (const marketplace of ['shopee', 'tiktok', 'meli'] as const) {
      for (const entry of ['', '/lean'] as const) {
        const specifier = `@mlh/${marketplace}${entry}`;
        const ours = figures[keyOf({ loader, specifier })];
        const peer = peerOf(marketplace, loader, figures);
        const theirs = figures[peer.key];
        if (!ours || !theirs) continue;
        const ratio = ours.wallMs / theirs.wallMs;
        const targeted = entry === '' && marketplace !== 'meli';
        rows.push({
          figure: `${LABEL[marketplace]}: ${call} of ${specifier}${marketplace === 'meli' ? '' : ` vs ${peer.key.split(' ')[1]}`}${peer.note ?? ''}`,
          ours: ms(ours.wallMs),
          versus: `${ms(theirs.wallMs)} ${peer.label}`,
          ratio,
          target: targeted ? `≤ ${COLD_IMPORT_TARGET.toFixed(2)}×` : 'reported',
          met: targeted ? ratio <= COLD_IMPORT_TARGET : undefined,
        });
        if (targeted) cpuRatios.push(`${LABEL[marketplace]} ${call} ${times(ours.cpuMs / theirs.cpuMs)}`);
      }
    }
  }
  const notes = [
    'median per contender: in-child time around the import (CPU time of the child over it) | the child’s whole life:',
    ...Object.entries(figures).map(
      ([key, figure]) => `  ${key}: ${ms(figure.wallMs)} (CPU ${ms(figure.cpuMs)}) | ${ms(figure.lifeMs)}`,
    ),
    `CPU-time ratios, ours ÷ peer (steadier than time when the machine is loaded): ${cpuRatios.join(', ')}`,
    'a fresh `node` per sample (no tsx, no loader hook) loads the BUILT package as an app would (exports → dist/);',
    '  the time is taken inside the child around the import, so Node’s own start is not counted; contenders take',
    '  turns in rotating order after one untimed load each (files in the OS cache for all); ratio = ours ÷ peer, medians',
  ];
  return { rows, notes };
}

/**
 * (10) What the first `import` of an adapter costs a fresh process, ESM and CommonJS, against the
 * peer SDKs and against an empty module. Always the built packages, whatever the bench measures.
 */
export async function coldImportSection(mode: BenchMode): Promise<SectionResult> {
  const title = 'Cold import: the first import() / require() of an adapter in a fresh Node process';
  const missing = ['core', 'meli', 'shopee', 'tiktok'].filter(
    (name) => !existsSync(`${packagesDir}${name}/dist/index.js`),
  );
  if (missing.length > 0) {
    return {
      id: 10,
      title,
      rows: [skippedRow('cold import', `no dist/ in ${missing.join(', ')}: run pnpm build first`)],
      notes: [],
      details: {},
    };
  }
  // --quick: the full entries only, 6 samples each (about 80 processes, seconds on a quiet machine).
  const rounds = byMode(mode, 30, 6);
  const samples = await sampleAll(coldContenders(mode === 'full'), rounds);
  const figures: Record<string, ColdFigures> = {};
  for (const [key, list] of Object.entries(samples)) {
    figures[key] = {
      wallMs: median(list.map((sample) => sample.wallMs)),
      cpuMs: median(list.map((sample) => sample.cpuMs)),
      lifeMs: median(list.map((sample) => sample.lifeMs)),
    };
  }
  const { rows, notes } = coldImportRows(figures);
  notes.push(`${rounds} samples per contender, ${Object.keys(samples).length} contenders`);
  return { id: 10, title, rows, notes, details: { rounds, figures, samples } };
}
