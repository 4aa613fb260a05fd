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
  return {
    async claim(key, ttlMs) {
      const now = clock.now();
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > now) return false;
      expiries.delete(key);
      expiries.set(key, now + ttlMs);
      while (expiries.size > maxEntries) {
        const oldest = expiries.keys().next().value;
        if (oldest === undefined) break;
        expiries.delete(oldest);
      }
      return true;
    },
  };
}
