import { pathToFileURL } from 'node:url';
import type { MlhEvent } from '@mlh/core';
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

/** Milliseconds as seconds with one decimal, e.g. `2.1 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Numbers the notifications about each resource (#1, #2, …), so that two distinct notifications
 * about one order read apart on screen, and a redelivered copy names the one it repeats.
 */
export function notificationNumbers() {
  const perResource = new Map<string, number>();
  const byDedupeKey = new Map<string, number>();
  return {
    /** The number of a newly accepted notification. */
    accepted(event: MlhEvent): number {
      const resource = `${event.marketplace}:${event.resourceType}:${event.resourceId}`;
      const number = (perResource.get(resource) ?? 0) + 1;
      perResource.set(resource, number);
      byDedupeKey.set(event.dedupeKey, number);
      return number;
    },
    /** The number of the notification a duplicate repeats (undefined if its original was not seen here). */
    repeated(event: MlhEvent): number | undefined {
      return byDedupeKey.get(event.dedupeKey);
    },
  };
}

/** One notification on one line: `Mercado Livre order.updated 2000009000000001 #2`. */
export function describeNotification(event: MlhEvent, number: number | undefined): string {
  return `${marketplaceName(event.marketplace)} ${event.type} ${event.resourceId}${number === undefined ? '' : ` #${number}`}`;
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
