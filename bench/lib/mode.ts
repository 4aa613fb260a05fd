/** How long the bench may take: `full` (the default, under 3 minutes) or `quick` (a CI smoke run). */
export type BenchMode = 'full' | 'quick';

/** Picks a figure by mode. */
export function byMode<T>(mode: BenchMode, full: T, quick: T): T {
  return mode === 'full' ? full : quick;
}
