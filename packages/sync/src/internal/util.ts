import { isMlhError, type MlhErrorKind } from '@mlh/core';

/** Splits `items` into arrays of at most `size` (at least 1). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += step) chunks.push(items.slice(i, i + step));
  return chunks;
}

/** Runs `task` over `items` with at most `limit` running at once; resolves when all settle. */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
}

/** Errors after which the marketplace surely did not apply a write (it refused it, or it was never sent). */
const REFUSED_KINDS: ReadonlySet<MlhErrorKind> = new Set([
  'validation',
  'authentication',
  'permission',
  'not_found',
  'conflict',
  'rate_limit',
  'circuit_open',
  'webhook_verification',
]);

/**
 * True when a write may or may not have happened: a timeout, a dropped connection, a 5xx, or any
 * error that is not a marketplace refusal. Such a write must be checked before it is repeated.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  return !(isMlhError(error) && REFUSED_KINDS.has(error.kind));
}

/** True when trying again later may succeed. */
export function isRetryable(error: unknown): boolean {
  return isMlhError(error) ? error.retryable || isOutcomeUnknown(error) : true;
}

/** A one-line reason for a report. @mlh errors never carry secrets in their message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
