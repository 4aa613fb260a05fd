import { pathToFileURL } from 'node:url';
import type { Marketplace } from './config';

/** How the examples name each marketplace on screen. */
export const MARKETPLACE_NAMES: Readonly<Record<Marketplace, string>> = {
  meli: 'Mercado Livre',
  shopee: 'Shopee',
  tiktok: 'TikTok Shop',
};

/** The display name of a marketplace id (the id itself for one the examples do not know). */
export function marketplaceName(marketplace: string): string {
  return (MARKETPLACE_NAMES as Record<string, string>)[marketplace] ?? marketplace;
}

/** Where examples print; tests pass a collector or a no-op. */
export type Print = (line: string) => void;

/**
 * Renders rows as an aligned plain-text table. The first row is the header; columns holding
 * mostly numbers (or `–`) are right-aligned, the others left-aligned.
 */
export function table(rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((row) => row.map(String));
  const [header, ...body] = cells;
  if (header === undefined) return '';
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const isNumber = (cell: string | undefined) => /^(-?\d[\d.,]*|–)$/.test(cell ?? '');
  const numeric = header.map(
    (_, column) => body.filter((row) => isNumber(row[column])).length * 2 >= body.length,
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '─'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

/** True when the file whose `import.meta.url` is given is the script Node was started with. */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === moduleUrl;
}

/** Runs an example's `main` when its file is started directly, exiting 1 with the message on failure. */
export function runWhenMain(moduleUrl: string, main: () => Promise<unknown>): void {
  if (!isMain(moduleUrl)) return;
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? `\n${error.name}: ${error.message}` : error);
      process.exit(1);
    },
  );
}
