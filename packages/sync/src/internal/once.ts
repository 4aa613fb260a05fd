import type { SyncStore } from '../store';

/** How long an event claim holds while it is processed, and how long a processed event is remembered. */
export interface EventClaimTiming {
  claimTtlMs: number;
  retentionMs: number;
  clock: () => number;
}

/**
 * Processes a webhook event at most once per dedupe key: claims the key (`undefined` when another
 * worker holds it or already processed it), runs `work`, then marks the key done. A failure
 * releases the claim and rethrows, so the marketplace's redelivery is processed; a crash leaves
 * the claim to expire after `claimTtlMs`.
 */
export async function processEventOnce<T>(
  store: SyncStore,
  key: string,
  timing: EventClaimTiming,
  work: () => Promise<T>,
): Promise<{ value: T } | undefined> {
  const claimed = await store.claimEvent({ key, ttlMs: timing.claimTtlMs, now: timing.clock() });
  if (!claimed) return undefined;
  let value: T;
  try {
    value = await work();
  } catch (error) {
    await store.releaseEvent(key).catch(() => undefined);
    throw error;
  }
  // Processing is done and idempotent: if remembering it fails, a redelivery is merely re-applied.
  await store.completeEvent({ key, ttlMs: timing.retentionMs, now: timing.clock() }).catch(() => undefined);
  return { value };
}

/**
 * Runs `work` under the lease `key` and releases it after, whatever happens; false, without
 * running it, when another worker holds the lease.
 */
export async function withLease(
  store: SyncStore,
  lease: { key: string; owner: string; ttlMs: number; clock: () => number },
  work: () => Promise<void>,
): Promise<boolean> {
  const { key, owner } = lease;
  if (!(await store.acquireLease({ key, owner, ttlMs: lease.ttlMs, now: lease.clock() }))) return false;
  try {
    await work();
  } finally {
    await store.releaseLease({ key, owner }).catch(() => false);
  }
  return true;
}
