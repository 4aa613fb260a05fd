/**
 * `pnpm bench` — what the SDK costs, measured against the limits and against peer SDKs, in one
 * run: prints a table and writes bench/results.json. `--quick` is a smoke run (under a minute to
 * two, most of it the fleet section's worker processes starting); the full run takes under 3 minutes
 * on 2 cores for sections 1–7 and about 7 more for the fleet. No figure is asserted: read them
 * (bench/README.md says how).
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import type { BenchMode } from './lib/mode';
import { exitCodeOf, failedRow, renderTable, type SectionResult } from './lib/report';
import { bundleSection } from './sections/bundle';
import { fleetSection } from './sections/fleet';
import { overheadSections } from './sections/overhead';
import { signingSection } from './sections/signing';
import { syncSections } from './sections/sync';
import { syncPostgresSection } from './sections/sync-postgres';
import { webhookSection } from './sections/webhooks';

const mode: BenchMode = process.argv.includes('--quick') ? 'quick' : 'full';
// `--only 1,2` runs the parts holding those sections (2 and 3 run together, as do 4 and 6).
const onlyArg = process.argv[process.argv.indexOf('--only') + 1];
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
];

const startedAt = new Date();
const start = process.hrtime.bigint();
const sections: SectionResult[] = [];
process.stderr.write(
  `@mlh bench (${mode}) — node ${process.version}, ${availableParallelism()} CPUs, load ${loadavg()
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

await writeFile(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      mode,
      node: process.version,
      cpus: availableParallelism(),
      loadAverageAtEnd: loadavg(),
      totalSeconds,
      sections,
    },
    null,
    2,
  )}\n`,
);
process.exitCode = exitCodeOf(sections);
