import type { Clock } from './transport/types';

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * The real clock: `Date.now()` and a `setTimeout` sleep that rejects with the signal's reason
 * when the signal aborts.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

interface PendingTimer {
  deadline: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told to, for tests: `sleep` resolves when `advance` or `set`
 * moves the time past its deadline. Nothing really waits.
 */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing due timers in deadline order and letting the code they
   * wake run (including timers it schedules within the window) before moving on.
   */
  advance(ms: number): Promise<void>;
  /** Moves time to `ms` (epoch milliseconds), like {@link ManualClock.advance}. Never moves backwards. */
  set(ms: number): Promise<void>;
  /** Jumps to the earliest pending timer and fires it; false when none is pending. */
  next(): Promise<boolean>;
  /**
   * Fires timers one after another until none is pending (at most `limit`), letting woken code
   * run between them. Use it to drive a retry loop to its end.
   */
  runAll(limit?: number): Promise<void>;
  /** Deadlines (epoch ms) of the sleeps still waiting, earliest first. */
  pendingTimers(): number[];
  /**
   * Fires timers one by one, letting other work (a mocked fetch, msw) run in between, until
   * `promise` settles; returns its result or rethrows its error. Drives retries and backoffs
   * of the code under test without real waiting.
   *
   * @example
   * const response = await clock.settle(transport.request({ method: 'GET', path: '/flaky' }));
   */
  settle<T>(promise: Promise<T>): Promise<T>;
}

/** Lets every promise chain woken by a timer settle (a macrotask drains all microtasks). */
function flush(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Creates a {@link ManualClock} starting at `start` (epoch ms; default 2026-01-01T00:00:00Z).
 *
 * @example
 * const clock = createManualClock();
 * const slept = clock.sleep(1_000);
 * await clock.advance(1_000); // `slept` is now resolved
 */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let current = start;
  const timers: PendingTimer[] = [];

  const take = (limit: number): PendingTimer | undefined => {
    let earliest: PendingTimer | undefined;
    for (const timer of timers) {
      if (timer.deadline <= limit && (!earliest || timer.deadline < earliest.deadline)) earliest = timer;
    }
    if (earliest) timers.splice(timers.indexOf(earliest), 1);
    return earliest;
  };

  const moveTo = async (target: number): Promise<void> => {
    await flush();
    for (let due = take(target); due; due = take(target)) {
      current = Math.max(current, due.deadline);
      due.resolve();
      await flush();
    }
    current = Math.max(current, target);
    await flush();
  };

  const clock: ManualClock = {
    now: () => current,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer: PendingTimer = {
          deadline: current + ms,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
          reject(abortReason(signal as AbortSignal));
        };
        timers.push(timer);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    advance: (ms) => moveTo(current + ms),
    set: (ms) => moveTo(ms),
    async next() {
      await flush();
      const earliest = take(Number.POSITIVE_INFINITY);
      if (!earliest) return false;
      current = Math.max(current, earliest.deadline);
      earliest.resolve();
      await flush();
      return true;
    },
    async runAll(limit = 1_000) {
      for (let fired = 0; fired < limit; fired++) {
        if (!(await clock.next())) return;
      }
    },
    pendingTimers: () => timers.map((timer) => timer.deadline).sort((a, b) => a - b),
    async settle(promise) {
      let settled = false;
      const mark = () => {
        settled = true;
      };
      promise.then(mark, mark);
      for (let step = 0; step < 10_000 && !settled; step++) {
        // Two macrotasks before each timer: work that is not on this clock gets its turn first.
        await flush();
        if (settled) break;
        if (!(await clock.next())) await flush();
      }
      return promise;
    },
  };
  return clock;
}

/**
 * Epoch milliseconds as an ISO 8601 UTC string: what `new Date(ms).toISOString()` gives (and
 * throws). The adapters' mappers write several per order; under Node (the `node` export condition)
 * this is a formatter about three times faster, with the same answers.
 *
 * @example epochMsToIso(1_767_225_600_000) // '2026-01-01T00:00:00.000Z'
 */
export function epochMsToIso(ms: number): string {
  return new Date(ms).toISOString();
}
