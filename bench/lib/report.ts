/** One line of the results table. */
export interface Row {
  /** What is measured, e.g. `Shopee signatures/s`. */
  figure: string;
  /** Our figure, formatted with its unit. */
  ours: string;
  /** What it is compared with (the limit, the baseline, the peer), formatted; '' when none. */
  versus: string;
  /** ours ÷ versus in the direction stated by `target`; undefined when there is no ratio. */
  ratio?: number | undefined;
  /** The target as text, e.g. `≥ 0.80×`. */
  target: string;
  /** Whether the target is met; undefined when the row has no target. */
  met?: boolean | undefined;
  /** Set when the figure could not be measured: the reason, printed instead of numbers. */
  skipped?: string | undefined;
  /** With `skipped`: the section threw (printed `failed:`, and the run exits 1) rather than lacked a service. */
  failed?: boolean | undefined;
}

/** One numbered part of the bench. */
export interface SectionResult {
  id: number;
  title: string;
  rows: Row[];
  /** Free-form lines printed under the section's rows (formulas, notes). */
  notes: string[];
  /** Raw figures for results.json. */
  details: Record<string, unknown>;
  /** Wall time the section took, in seconds. */
  seconds?: number | undefined;
  /** Other sections measured in the same stretch of time (their time is `seconds` too). */
  sharedWith?: readonly number[] | undefined;
}

/** Formats a number with a fixed number of significant decimals and thousands separators. */
export function fmt(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** `1.23×`. */
export function times(ratio: number | undefined): string {
  return ratio === undefined || !Number.isFinite(ratio) ? '' : `${ratio.toFixed(2)}×`;
}

/** A row whose figure could not be measured. */
export function skippedRow(figure: string, reason: string): Row {
  return { figure, ours: '', versus: '', target: '', skipped: reason };
}

/** A section that cannot run here without PostgreSQL: one skipped row saying so. */
export function withoutDatabase(id: number, title: string, figure: string): SectionResult {
  return {
    id,
    title,
    rows: [skippedRow(figure, 'DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)')],
    notes: [],
    details: {},
  };
}

/** A row standing for a section that threw: printed `failed: <reason>`. */
export function failedRow(figure: string, reason: string): Row {
  return { ...skippedRow(figure, reason), failed: true };
}

/**
 * The run's exit code: 1 when a section threw. A section skipped because something outside the
 * bench is missing (PostgreSQL, Redis, a `pnpm build`) does not fail the run.
 */
export function exitCodeOf(sections: readonly SectionResult[]): 0 | 1 {
  return sections.some((section) => section.rows.some((row) => row.failed)) ? 1 : 0;
}

const notMeasured = (row: Row) => `${row.failed ? 'failed' : 'skipped'}: ${row.skipped}`;

function pad(text: string, width: number, right = false): string {
  const length = [...text].length;
  if (length >= width) return text;
  return right ? ' '.repeat(width - length) + text : text + ' '.repeat(width - length);
}

/** The results table as text, one block per section. */
export function renderTable(sections: readonly SectionResult[]): string {
  const header = ['figure', 'ours', 'versus', 'ratio', 'target', ''];
  const lines: string[][] = [];
  for (const section of sections) {
    for (const row of section.rows) {
      lines.push(
        row.skipped
          ? [`  ${row.figure}`, notMeasured(row), '', '', '', '']
          : [
              `  ${row.figure}`,
              row.ours,
              row.versus,
              times(row.ratio),
              row.target,
              row.met === undefined ? '' : row.met ? 'met' : 'MISSED',
            ],
      );
    }
  }
  const widths = header.map((title, column) =>
    Math.max(
      [...title].length,
      ...lines
        .filter((line) => !/^(skipped|failed):/.test(line[1] ?? ''))
        .map((line) => [...(line[column] ?? '')].length),
    ),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) => pad(cell, widths[column] as number, column === 1 || column === 3))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  const rule = '-'.repeat(widths.reduce((total, width) => total + width + 2, 0));
  out.push(render(header), rule);
  for (const section of sections) {
    const shared = section.sharedWith?.length ? ` with ${section.sharedWith.join(', ')}` : '';
    const took = section.seconds === undefined ? '' : ` (${section.seconds.toFixed(1)} s${shared})`;
    out.push(`${section.id}. ${section.title}${took}`);
    for (const row of section.rows) {
      out.push(
        row.skipped
          ? `  ${row.figure}: ${notMeasured(row)}`
          : render([
              `  ${row.figure}`,
              row.ours,
              row.versus,
              times(row.ratio),
              row.target,
              row.met === undefined ? '' : row.met ? 'met' : 'MISSED',
            ]),
      );
    }
    for (const note of section.notes) out.push(`     ${note}`);
  }
  return out.join('\n');
}
