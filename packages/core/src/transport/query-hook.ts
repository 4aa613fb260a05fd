import type { QueryValue } from './types';

/**
 * Writes a request's query as `URLSearchParams` would, or `undefined` where only it can; the Node
 * entry installs one that skips building a `URLSearchParams` (see `fast-query`). Not public.
 */
export let fastQueryText: ((query: Record<string, QueryValue>) => string | undefined) | undefined;

/** Installs {@link fastQueryText}. */
export function installFastQueryText(write: (query: Record<string, QueryValue>) => string | undefined): void {
  fastQueryText = write;
}
