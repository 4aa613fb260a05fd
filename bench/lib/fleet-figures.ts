/**
 * The fleet section's figures, computed from what the sandboxes hold and what the store holds
 * after a run: pure functions, so the counting itself is tested (bench/test/fleet-figures.test.ts)
 * while the timings never are.
 */

/** Accounts brought up to date per minute: every account of the run over its wall time. */
export function accountsPerMinute(accounts: number, seconds: number): number {
  return seconds > 0 ? (accounts * 60) / seconds : Number.NaN;
}

/** Orders the marketplace has that the store lacks, and orders the store holds more than once. */
export interface OrderAudit {
  placed: number;
  stored: number;
  lost: string[];
  duplicated: string[];
}

/**
 * Compares the orders placed on the marketplaces with the rows the store returned, both as
 * `<marketplace>:<account>:<order id>` keys: a placed key without a row is lost, a key with two
 * or more rows is duplicated, and a stored key nobody placed counts as duplicated too (an order
 * stored under a wrong identity is a copy of one that exists elsewhere).
 */
export function auditOrders(placed: Iterable<string>, stored: Iterable<string>): OrderAudit {
  const placedSet = new Set(placed);
  const seen = new Map<string, number>();
  let storedCount = 0;
  for (const key of stored) {
    storedCount += 1;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const lost = [...placedSet].filter((key) => !seen.has(key));
  const duplicated = [...seen].filter(([key, count]) => count > 1 || !placedSet.has(key)).map(([key]) => key);
  return { placed: placedSet.size, stored: storedCount, lost, duplicated };
}

/** One SKU whose stock on the marketplace is not the store's. */
export interface StockDifference {
  sku: string;
  marketplace: number | undefined;
  store: number | undefined;
}

/**
 * The SKUs whose marketplace stock differs from the store's (a SKU missing on either side
 * differs too), sorted by SKU.
 */
export function stockDifferences(
  marketplace: ReadonlyMap<string, number>,
  store: ReadonlyMap<string, number>,
): StockDifference[] {
  const skus = new Set([...marketplace.keys(), ...store.keys()]);
  return [...skus]
    .filter((sku) => marketplace.get(sku) !== store.get(sku))
    .sort()
    .map((sku) => ({ sku, marketplace: marketplace.get(sku), store: store.get(sku) }));
}

/** Refresh calls the marketplaces answered per token that had expired (1 is the target). */
export function refreshesPerExpiry(refreshCalls: number, expiredTokens: number): number {
  return expiredTokens > 0 ? refreshCalls / expiredTokens : Number.NaN;
}

/** Splits `total` accounts over the marketplaces in turn: 1,000 over three is 334 / 333 / 333. */
export function spreadAccounts<M extends string>(
  total: number,
  marketplaces: readonly M[],
): Record<M, number> {
  const counts = Object.fromEntries(marketplaces.map((m) => [m, 0])) as Record<M, number>;
  for (let index = 0; index < total; index += 1) {
    const marketplace = marketplaces[index % marketplaces.length] as M;
    counts[marketplace] += 1;
  }
  return counts;
}

/** What the fleet section knows about a run while it waits for it to end. */
export interface RunProgress {
  /** Every account the wait is for, as `<marketplace>:<account id>`. */
  accounts: readonly string[];
  /** Accounts whose `inventory.flush` completed: synced. */
  flushed: ReadonlySet<string>;
  /** Accounts with a job that used up its attempts and went to the dead-letter queue. */
  deadLettered: ReadonlySet<string>;
  /** Jobs still in the queue (waiting, active, delayed, prioritized); undefined when not asked yet. */
  queuedJobs: number | undefined;
  /** Time since a worker last reported anything (a job done, failed or delayed). */
  quietMs: number;
  /** Time since the wait began. */
  elapsedMs: number;
  /** The wait gives up after this long, whatever happens. */
  deadlineMs: number;
  /** The wait gives up when the queue is empty and the workers have been quiet this long. */
  stallMs: number;
}

/** Whether a run is over: every account settled, still going, or stopped with the reason. */
export type RunVerdict = { state: 'done' } | { state: 'waiting' } | { state: 'stopped'; reason: string };

/**
 * Decides whether the wait for a run is over. An account is settled when its flush completed or
 * one of its jobs was dead-lettered (it will never complete: waiting for it would hang the bench).
 * A run with unsettled accounts stops at its deadline, or earlier when the queue holds no job and
 * the workers have gone quiet: nothing left could settle them.
 */
export function judgeRun(progress: RunProgress): RunVerdict {
  const unsettled = progress.accounts.filter(
    (account) => !progress.flushed.has(account) && !progress.deadLettered.has(account),
  );
  if (unsettled.length === 0) return { state: 'done' };
  const which = `${unsettled.length} account(s) neither synced nor dead-lettered (${unsettled.slice(0, 3).join(', ')}${unsettled.length > 3 ? ', …' : ''})`;
  if (progress.elapsedMs >= progress.deadlineMs) {
    const queued = progress.queuedJobs === undefined ? '' : `; ${progress.queuedJobs} job(s) still queued`;
    return {
      state: 'stopped',
      reason: `deadline of ${Math.round(progress.deadlineMs / 1000)} s passed: ${which}${queued}`,
    };
  }
  if (progress.queuedJobs === 0 && progress.quietMs >= progress.stallMs) {
    return {
      state: 'stopped',
      reason: `stalled: ${which}, no job left in the queue and no worker progress for ${Math.round(progress.quietMs / 1000)} s`,
    };
  }
  return { state: 'waiting' };
}
