/**
 * What `pnpm bench` writes to bench/results.json, and how the README's results section is
 * rendered from it: a pure function of the results, so the README never holds a pasted figure
 * (bench/test/readme.test.ts checks the committed README against the committed results.json).
 */
import type { BenchMode } from './mode';
import { type Row, type SectionResult, times } from './report';

/** The machine a run measured on. */
export interface MachineInfo {
  /** `os.platform()` and `os.arch()`, e.g. `linux x64`. */
  platform: string;
  /** `os.cpus()[0].model`. */
  cpuModel: string;
  /** `os.availableParallelism()`. */
  cpus: number;
  /** `os.totalmem()`, bytes. */
  memoryBytes: number;
}

/** One run of the bench, as bench/results.json holds it. */
export interface BenchResults {
  /** ISO time the run started. */
  startedAt: string;
  mode: BenchMode;
  /** `process.version`. */
  node: string;
  machine: MachineInfo;
  /** What the SDK was loaded from: the built packages (what users install) or the TypeScript sources. */
  measured: 'dist' | 'sources';
  /** The commit measured (`git rev-parse --short HEAD`), with `+changes` when the tree was not clean. */
  commit: string;
  /** 1-minute load averages sampled through the run (first at the start, last at the end). */
  loadAverages: number[];
  /** Wall time of the whole run, seconds. */
  totalSeconds: number;
  /** The `--only` sections, when the run did not run them all. */
  only?: number[] | undefined;
  sections: SectionResult[];
}

/** Where the generated section starts and ends in bench/README.md. */
export const RESULTS_START =
  '<!-- results:start (written by `pnpm bench` from bench/results.json; `pnpm --filter @mlh/bench report` re-renders it; do not edit by hand) -->';
export const RESULTS_END = '<!-- results:end -->';

/** `2 min 41 s`, `38.2 s`, `1 h 02 min`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'n/a';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/** The verdict of one row in words: `MET`, `MISSED`, `reported` (no target), or why it was not measured. */
export function verdictOf(row: Row): string {
  if (row.skipped) return `${row.failed ? 'failed' : 'skipped'}: ${row.skipped}`;
  if (row.met === undefined) return row.target === 'reference' ? 'reference' : 'reported';
  return row.met ? 'MET' : 'MISSED';
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function loadRange(loads: readonly number[]): string {
  if (loads.length === 0) return 'n/a';
  const low = Math.min(...loads);
  const high = Math.max(...loads);
  return low.toFixed(1) === high.toFixed(1) ? low.toFixed(1) : `${low.toFixed(1)}–${high.toFixed(1)}`;
}

/** The header lines: mode, date, duration, machine, Node, load, what was measured. */
function header(results: BenchResults): string[] {
  const date = `${results.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const command = results.mode === 'quick' ? '`pnpm bench -- --quick`' : '`pnpm bench`';
  const memory = `${Math.round(results.machine.memoryBytes / 2 ** 30)} GB`;
  const lines = [
    `| run | |`,
    '| --- | --- |',
    `| mode | ${results.mode === 'quick' ? '**quick** (small sizes, short rounds: a smoke run; the targets are set for full-run figures)' : 'full'} |`,
    `| command | ${command}${results.only ? ` with \`--only ${results.only.join(',')}\`` : ''} |`,
    `| date | ${date} |`,
    `| run duration | ${formatDuration(results.totalSeconds)} |`,
    `| machine | ${cell(results.machine.platform)}, ${results.machine.cpus} CPUs (${cell(results.machine.cpuModel)}), ${memory} |`,
    `| load average (1 min) during the run | ${loadRange(results.loadAverages)} (on ${results.machine.cpus} CPUs) |`,
    `| Node | ${results.node} |`,
    `| SDK measured | ${results.measured === 'dist' ? 'the built packages (`dist/`, as installed)' : 'the TypeScript sources (through tsx)'}, commit ${results.commit} |`,
  ];
  const peak = Math.max(...results.loadAverages);
  if (peak > results.machine.cpus) {
    lines.push(
      '',
      `**Loaded machine:** the load reached ${peak.toFixed(1)} on ${results.machine.cpus} CPUs, so absolute times are inflated and ratios noisier than on a quiet machine (contenders take turns, so a ratio holds better than a time).`,
    );
  }
  return lines;
}

/** Counts of the rows' verdicts over the whole run. */
export function tally(sections: readonly SectionResult[]): {
  met: number;
  missed: number;
  unmeasured: number;
} {
  let met = 0;
  let missed = 0;
  let unmeasured = 0;
  for (const section of sections) {
    for (const row of section.rows) {
      if (row.skipped) unmeasured += 1;
      else if (row.met === true) met += 1;
      else if (row.met === false) missed += 1;
    }
  }
  return { met, missed, unmeasured };
}

function sectionMarkdown(section: SectionResult): string[] {
  const shared = section.sharedWith?.length
    ? `, measured together with ${section.sharedWith.join(', ')}`
    : '';
  const took = section.seconds === undefined ? '' : ` (${formatDuration(section.seconds)}${shared})`;
  const out = [
    `### ${section.id}. ${cell(section.title)}${took}`,
    '',
    '| figure | ours | floor / peer | ratio | target | verdict |',
    '| --- | ---: | --- | ---: | --- | --- |',
  ];
  for (const row of section.rows) {
    const verdict = verdictOf(row);
    out.push(
      `| ${cell(row.figure)} | ${cell(row.ours)} | ${cell(row.versus)} | ${times(row.ratio)} | ${cell(row.target)} | ${
        verdict === 'MET' || verdict === 'MISSED' ? `**${verdict}**` : cell(verdict)
      } |`,
    );
  }
  if (section.notes.length > 0) out.push('', '```text', ...section.notes, '```');
  return out;
}

/**
 * The README's results section for one run: a header (mode, date, duration, machine, Node, load,
 * what was measured), the count of targets met and missed, and one table per section whose rows
 * give the figure, ours, the floor or peer, the ratio, the target and the verdict in words.
 */
export function renderResultsMarkdown(results: BenchResults): string {
  const { met, missed, unmeasured } = tally(results.sections);
  const out = [
    RESULTS_START,
    '',
    ...header(results),
    '',
    `Targets: **${met} MET**, **${missed} MISSED**${unmeasured > 0 ? `, ${unmeasured} not measured (skipped or failed, reason in the row)` : ''}; rows without a target are reported for reading.`,
  ];
  for (const section of results.sections) out.push('', ...sectionMarkdown(section));
  out.push('', RESULTS_END);
  return out.join('\n');
}

/**
 * `readme` with the text between {@link RESULTS_START} and {@link RESULTS_END} (markers included)
 * replaced by `rendered`. Throws when the markers are missing or out of order, rather than
 * appending somewhere a reader would not look.
 */
export function replaceResults(readme: string, rendered: string): string {
  const start = readme.indexOf(RESULTS_START);
  const end = readme.indexOf(RESULTS_END);
  if (start < 0 || end < start) {
    throw new Error(
      'bench/README.md has no results markers: put the lines RESULTS_START and RESULTS_END (bench/lib/results.ts) where the results go',
    );
  }
  return readme.slice(0, start) + rendered + readme.slice(end + RESULTS_END.length);
}

/** The generated section of `readme` (markers included), or undefined without markers. */
export function resultsIn(readme: string): string | undefined {
  const start = readme.indexOf(RESULTS_START);
  const end = readme.indexOf(RESULTS_END);
  return start < 0 || end < start ? undefined : readme.slice(start, end + RESULTS_END.length);
}
