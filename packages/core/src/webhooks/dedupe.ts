import { systemClock } from '../clock';
import type { Clock } from '../transport/types';

/**
 * Remembers which notifications were already accepted, so a redelivery is acknowledged but
 * not emitted twice. Share it between processes and keep it across restarts with
 * `createRedisDedupeStore` (`@mlh/fleet`), the `dedupeStore` of `@mlh/sync-postgres`, or your own
 * over Redis (`SET key 1 NX PX ttl`) or a database unique index. `claim` rejects when its backend
 * cannot be reached (the handler then answers 503); it never falls back to memory.
 */
export interface WebhookDedupeStore {
  /** Claims `key` for `ttlMs`: true the first time, false while an earlier claim lives. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * An in-memory {@link WebhookDedupeStore} for **one process only**, bounded to `maxEntries` keys
 * (the oldest are forgotten first). A redelivery reaching another process, or arriving after a
 * restart, is not recognized, and a flood of notifications evicts real keys: with several
 * processes use a shared store (see {@link WebhookDedupeStore}).
 *
 * @example
 * const dedupe = createMemoryDedupeStore({ maxEntries: 50_000 });
 * await dedupe.claim('meli:orders_v2:/orders/123:2026-01-01T00:00:00Z', 86_400_000); // true
 */
export function createMemoryDedupeStore(
  options: { clock?: Clock; maxEntries?: number } = {},
): WebhookDedupeStore {
  const clock = options.clock ?? systemClock;
  const maxEntries = options.maxEntries ?? 10_000;
  const expiries = new Map<string, number>();
  // Walks the keys oldest first and stays where it stopped. A fresh `keys()` per eviction would
  // step over every slot the earlier evictions emptied at the front of the map (thousands in a
  // full store) until the map compacts itself: microseconds per claim.
  let oldestFirst = expiries.keys();
  const claimNow = (key: string, ttlMs: number): boolean => {
    const now = clock.now();
    const expiresAt = expiries.get(key);
    if (expiresAt !== undefined) {
      if (expiresAt > now) return false;
      // Expired: forgotten here so the new claim goes to the end, the newest.
      expiries.delete(key);
    }
    expiries.set(key, now + ttlMs);
    while (expiries.size > maxEntries) {
      let oldest = oldestFirst.next();
      if (oldest.done) {
        oldestFirst = expiries.keys();
        oldest = oldestFirst.next();
        if (oldest.done) break;
      }
      expiries.delete(oldest.value);
    }
    return true;
  };
  return {
    claim: async (key, ttlMs) => claimNow(key, ttlMs),
    [CLAIM_NOW]: claimNow,
  } as WebhookDedupeStore;
}

/**
 * The synchronous claim of a store that has one (the memory store): the handler calls it
 * directly, without a promise and a microtask per delivery. Internal, not exported from core.
 */
export const CLAIM_NOW: unique symbol = Symbol('mlh.dedupe.claimNow');

/** The store's synchronous claim, when it has one. */
export function syncClaimOf(
  store: WebhookDedupeStore,
): ((key: string, ttlMs: number) => boolean) | undefined {
  const claimNow = (store as { [CLAIM_NOW]?: unknown })[CLAIM_NOW];
  return typeof claimNow === 'function' ? (claimNow as (key: string, ttlMs: number) => boolean) : undefined;
}
