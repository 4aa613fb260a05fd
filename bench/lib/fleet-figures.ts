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
