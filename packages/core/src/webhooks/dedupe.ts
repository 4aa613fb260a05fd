import { systemClock } from '../clock';
import type { Clock } from '../transport/types';

/**
 * Remembers which notifications were already accepted, so a redelivery is acknowledged but
 * not emitted twice. Implement it over Redis (`SET key 1 NX PX ttl`) or a database unique
 * index to share it between processes.
 */
export interface WebhookDedupeStore {
  /** Claims `key` for `ttlMs`: true the first time, false while an earlier claim lives. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * An in-memory {@link WebhookDedupeStore} for one process, bounded to `maxEntries` keys
 * (the oldest are forgotten first).
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
