/**
 * `pnpm bench` — what the SDK costs, measured against the limits and against peer SDKs, in one
 * run: prints a table, writes bench/results.json and renders bench/README.md's results section
 * from it. It measures the built packages (`pnpm build` first); `pnpm bench:src` measures the
 * sources. `--quick` is a smoke run for CI (small sizes, short rounds); `--only 1,2` runs some
 * sections and writes bench/results-only.json, leaving the README alone. No figure is asserted:
 * read them (bench/README.md says how).
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { arch, availableParallelism, cpus, loadavg, platform, totalmem } from 'node:os';
import { distProblem, measured } from './lib/measured';
import type { BenchMode } from './lib/mode';
import { exitCodeOf, failedRow, renderTable, type SectionResult } from './lib/report';
import { type BenchResults, renderResultsMarkdown, replaceResults } from './lib/results';
import { bundleSection } from './sections/bundle';
import { coldImportSection } from './sections/cold-import';
import { fleetSection } from './sections/fleet';
import { overheadSections } from './sections/overhead';
import { postgresMemorySection } from './sections/postgres-memory';
import { signingSection } from './sections/signing';
import { syncSections } from './sections/sync';
import { syncPostgresSection } from './sections/sync-postgres';
import { webhookSection } from './sections/webhooks';

const mode: BenchMode = process.argv.includes('--quick') ? 'quick' : 'full';
// `--only 1,2` runs the parts holding those sections (2 and 3 run together, as do 4 and 6).
const onlyArg = process.argv[process.argv.indexOf('--only') + 1];
// `--no-write`: print the table and write nothing (CI's smoke run on a clean clone).
const noWrite = process.argv.includes('--no-write');
const only = process.argv.includes('--only') && onlyArg ? new Set(onlyArg.split(',').map(Number)) : undefined;

interface Part {
  ids: number[];
  titles: string[];
  run: (mode: BenchMode) => Promise<SectionResult | SectionResult[]>;
}

const parts: Part[] = [
  { ids: [1], titles: ['Signing'], run: signingSection },
  { ids: [2, 3], titles: ['Per-call overhead', 'Peer SDKs'], run: overheadSections },
  { ids: [5], titles: ['Webhook ingestion'], run: webhookSection },
  { ids: [4, 6], titles: ['API calls spent', 'Scale'], run: syncSections },
  { ids: [7], titles: ['Bundle size'], run: bundleSection },
  { ids: [8], titles: ['PostgreSQL store'], run: syncPostgresSection },
  { ids: [9], titles: ['Fleet'], run: fleetSection },
  { ids: [10], titles: ['Cold import'], run: coldImportSection },
  { ids: [11], titles: ['Memory with the PostgreSQL store'], run: postgresMemorySection },
];

if (measured === 'dist') {
  const problem = distProblem();
  if (problem) {
    process.stderr.write(`@mlh bench: ${problem}\n`);
    process.exit(1);
  }
}

/** The short commit measured, `+changes` when the work tree differs from it. */
function commitMeasured(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    // Changes to the code measured: the packages and the bench's code (not its results or README).
    const changed = git(
      'status',
      '--porcelain',
      '--',
      '../packages',
      'lib',
      'sections',
      'run.ts',
      'package.json',
    );
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? '+changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

const startedAt = new Date();
const start = process.hrtime.bigint();
const commit = commitMeasured();
// The load through the run, not only at its ends: the machine is shared and the figures move with it.
const loadAverages = [loadavg()[0] as number];
const loadSampler = setInterval(() => loadAverages.push(loadavg()[0] as number), 10_000);
loadSampler.unref();
const sections: SectionResult[] = [];
process.stderr.write(
  `@mlh bench (${mode}, ${measured === 'dist' ? 'built dist/' : 'sources'}, commit ${commit}) — node ${process.version}, ${availableParallelism()} CPUs, load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}\n`,
);
for (const part of parts) {
  if (only && !part.ids.some((id) => only.has(id))) continue;
  process.stderr.write(`${part.ids.join('+')}. ${part.titles.join(' + ')}…\n`);
  const partStart = process.hrtime.bigint();
  try {
    const produced = await part.run(mode);
    const seconds = Number(process.hrtime.bigint() - partStart) / 1e9;
    const list = Array.isArray(produced) ? produced : [produced];
    for (const section of list) {
      const sharedWith = part.ids.filter((id) => id !== section.id);
      sections.push({ ...section, seconds, sharedWith });
    }
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? String(error)) : String(error);
    for (const [index, id] of part.ids.entries()) {
      sections.push({
        id,
        title: part.titles[index] ?? '',
        rows: [failedRow('section', reason)],
        notes: [],
        details: {},
      });
    }
    process.stderr.write(
      `  failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
}
sections.sort((a, b) => a.id - b.id);
const totalSeconds = Number(process.hrtime.bigint() - start) / 1e9;

console.log(renderTable(sections));
console.log(
  `\ntotal ${totalSeconds.toFixed(1)} s (${mode}); load average now ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);

clearInterval(loadSampler);
loadAverages.push(loadavg()[0] as number);

const results: BenchResults = {
  startedAt: startedAt.toISOString(),
  mode,
  node: process.version,
  machine: {
    platform: `${platform()} ${arch()}`,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: availableParallelism(),
    memoryBytes: totalmem(),
  },
  measured,
  commit,
  loadAverages,
  totalSeconds,
  only: only ? [...only].sort((a, b) => a - b) : undefined,
  sections,
};
// A partial run must not replace the whole run's results, nor the README rendered from them.
const resultsFile = only ? './results-only.json' : './results.json';
if (noWrite) {
  process.stderr.write('--no-write: nothing written\n');
} else {
  await writeFile(new URL(resultsFile, import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  if (only) {
    process.stderr.write(
      `wrote bench/${resultsFile.slice(2)}; bench/README.md is rendered from whole runs only\n`,
    );
  } else {
    const readmeUrl = new URL('./README.md', import.meta.url);
    const readme = await readFile(readmeUrl, 'utf8');
    await writeFile(readmeUrl, replaceResults(readme, renderResultsMarkdown(results)));
    process.stderr.write('wrote bench/results.json and the results section of bench/README.md\n');
  }
}
process.exitCode = exitCodeOf(sections);
