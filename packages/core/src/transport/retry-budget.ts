import type { Clock } from './types';

/** Limits retries to a share of recent traffic. */
export interface RetryBudget {
  /** Counts a first attempt. */
  recordRequest(): void;
  /** Takes one retry from the budget; false when the budget is spent. */
  tryRetry(): boolean;
}

const WINDOW_MS = 60_000;
const SLOT_MS = 1_000;

/**
 * A retry budget over a sliding minute: retries may be at most `ratio` × first attempts plus
 * `floor`, so a marketplace that fails every request gets a trickle of retries, not a storm.
 */
export function createRetryBudget(options: { ratio: number; floor: number; clock: Clock }): RetryBudget {
  // Per-second slots keep memory constant whatever the traffic.
  const requests = new Map<number, number>();
  const retries = new Map<number, number>();
  const slotOf = (now: number) => Math.floor(now / SLOT_MS);
  const sum = (slots: Map<number, number>, now: number) => {
    const oldest = slotOf(now - WINDOW_MS);
    let total = 0;
    for (const [slot, count] of slots) {
      if (slot <= oldest) slots.delete(slot);
      else total += count;
    }
    return total;
  };
  const bump = (slots: Map<number, number>, now: number) => {
    const slot = slotOf(now);
    slots.set(slot, (slots.get(slot) ?? 0) + 1);
  };
  return {
    recordRequest() {
      bump(requests, options.clock.now());
    },
    tryRetry() {
      const now = options.clock.now();
      const allowed = options.floor + options.ratio * sum(requests, now);
      if (sum(retries, now) + 1 > allowed) return false;
      bump(retries, now);
      return true;
    },
  };
}
