import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failedRow, skippedRow } from '../lib/report';
import {
  type BenchResults,
  formatDuration,
  RESULTS_END,
  RESULTS_START,
  renderResultsMarkdown,
  replaceResults,
  resultsIn,
  verdictOf,
} from '../lib/results';

const run = (overrides: Partial<BenchResults> = {}): BenchResults => ({
  startedAt: '2026-12-05T14:50:12.345Z',
  mode: 'quick',
  node: 'v20.20.2',
  machine: { platform: 'linux x64', cpuModel: 'Example CPU @ 2.40GHz', cpus: 2, memoryBytes: 8 * 2 ** 30 },
  measured: 'dist',
  commit: 'abc1234',
  loadAverages: [8.42, 11.9, 9.05],
  totalSeconds: 161.4,
  sections: [
    {
      id: 1,
      title: 'Signing: signatures per second',
      rows: [
        {
          figure: 'Shopee signatures/s',
          ours: '307,515',
          versus: '524,697 node:crypto',
          ratio: 0.586,
          target: '≥ 0.80×',
          met: false,
        },
        {
          figure: 'TikTok signatures/s',
          ours: '450,000',
          versus: '500,000 node:crypto',
          ratio: 0.9,
          target: '≥ 0.80×',
          met: true,
        },
        {
          figure: 'pure-JS HMAC',
          ours: '184,390',
          versus: '524,697 node:crypto',
          ratio: 0.35,
          target: 'reference',
        },
      ],
      notes: ['base strings: Shopee 85 chars'],
      details: {},
      seconds: 8.1,
    },
    {
      id: 8,
      title: 'PostgreSQL store',
      rows: [skippedRow('sync-postgres', 'DATABASE_URL is not set')],
      notes: [],
      details: {},
      seconds: 0.1,
    },
    {
      id: 9,
      title: 'Fleet | workers',
      rows: [
        { figure: 'accounts synced per minute, 1 | 2', ours: '468 /min', versus: '', target: 'reported' },
      ],
      notes: [],
      details: {},
      seconds: 420,
      sharedWith: [],
    },
  ],
  ...overrides,
});

describe('the README’s results, rendered from results.json', () => {
  it('heads the results with the mode, date, duration, machine, Node, load and what was measured', () => {
    const markdown = renderResultsMarkdown(run());
    expect(markdown).toContain('| mode | **quick**');
    expect(markdown).toContain('| date | 2026-12-05 14:50 UTC |');
    expect(markdown).toContain('| run duration | 2 min 41 s |');
    expect(markdown).toContain('| machine | linux x64, 2 CPUs (Example CPU @ 2.40GHz), 8 GB |');
    expect(markdown).toContain('| load average (1 min) during the run | 8.4–11.9 (on 2 CPUs) |');
    expect(markdown).toContain('| Node | v20.20.2 |');
    expect(markdown).toContain('the built packages (`dist/`, as installed)');
    expect(markdown).toContain('commit abc1234');
    expect(renderResultsMarkdown(run({ mode: 'full', measured: 'sources' }))).toContain('| mode | full |');
  });

  it('says so when the machine was loaded beyond its CPUs, and not otherwise', () => {
    expect(renderResultsMarkdown(run())).toContain('**Loaded machine:** the load reached 11.9 on 2 CPUs');
    expect(renderResultsMarkdown(run({ loadAverages: [0.4, 1.8] }))).not.toContain('Loaded machine');
  });

  it('gives each row its figure, ours, floor or peer, ratio, target and the verdict in words', () => {
    const markdown = renderResultsMarkdown(run());
    expect(markdown).toContain(
      '| Shopee signatures/s | 307,515 | 524,697 node:crypto | 0.59× | ≥ 0.80× | **MISSED** |',
    );
    expect(markdown).toContain(
      '| TikTok signatures/s | 450,000 | 500,000 node:crypto | 0.90× | ≥ 0.80× | **MET** |',
    );
    expect(markdown).toContain(
      '| pure-JS HMAC | 184,390 | 524,697 node:crypto | 0.35× | reference | reference |',
    );
    expect(markdown).toContain('| sync-postgres |  |  |  |  | skipped: DATABASE_URL is not set |');
    expect(markdown).toContain('Targets: **1 MET**, **1 MISSED**, 1 not measured');
    expect(markdown).toContain('### 1. Signing: signatures per second (8.1 s)');
    expect(markdown).toContain('```text\nbase strings: Shopee 85 chars\n```');
  });

  it('keeps a figure holding a pipe inside its cell', () => {
    const markdown = renderResultsMarkdown(run());
    expect(markdown).toContain('### 9. Fleet \\| workers (7 min 00 s)');
    expect(markdown).toContain('| accounts synced per minute, 1 \\| 2 | 468 /min |');
  });

  it('says MET, MISSED, reported, skipped or failed for every row', () => {
    expect(verdictOf({ figure: 'a', ours: '1', versus: '', target: '≤ 1.25×', met: true })).toBe('MET');
    expect(verdictOf({ figure: 'a', ours: '1', versus: '', target: '≤ 1.25×', met: false })).toBe('MISSED');
    expect(verdictOf({ figure: 'a', ours: '1', versus: '', target: 'reported' })).toBe('reported');
    expect(verdictOf(failedRow('section', 'boom'))).toBe('failed: boom');
  });

  it('names a partial run’s sections in the command', () => {
    expect(renderResultsMarkdown(run({ only: [1, 9] }))).toContain(
      '| command | `pnpm bench -- --quick` with `--only 1,9` |',
    );
  });

  it('writes between the markers only, and refuses a README without them', () => {
    const readme = `# bench\n\nintro\n\n${RESULTS_START}\nold figures\n${RESULTS_END}\n\n## After\n`;
    const updated = replaceResults(readme, renderResultsMarkdown(run()));
    expect(updated.startsWith('# bench\n\nintro\n\n')).toBe(true);
    expect(updated.endsWith(`${RESULTS_END}\n\n## After\n`)).toBe(true);
    expect(updated).not.toContain('old figures');
    expect(resultsIn(updated)).toBe(renderResultsMarkdown(run()));
    expect(() => replaceResults('# bench\n', 'x')).toThrow(/no results markers/);
  });

  it('formats durations the way the README states them', () => {
    expect(formatDuration(38.24)).toBe('38.2 s');
    expect(formatDuration(161.4)).toBe('2 min 41 s');
    expect(formatDuration(3_725)).toBe('1 h 02 min');
  });

  it('holds in bench/README.md exactly what bench/results.json renders to (no pasted figure)', () => {
    const results = JSON.parse(
      readFileSync(new URL('../results.json', import.meta.url), 'utf8'),
    ) as BenchResults;
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(results.only).toBeUndefined();
    expect(resultsIn(readme)).toBe(renderResultsMarkdown(results));
  });
});
