/** A clock every sandbox reads instead of `Date.now()`, so token expiry and time windows are testable. */
export interface SandboxClock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Moves the clock forward by `ms` (never backwards: negative values are rejected). */
  advance(ms: number): void;
  /** Jumps to an absolute time in epoch milliseconds. */
  set(epochMs: number): void;
}

/** Options of {@link createSandboxClock}. */
export interface SandboxClockOptions {
  /** Time to start from. Default: the real current time. */
  start?: number | Date;
  /** When true, time only moves through `advance()` / `set()`. Default: false (real time plus an offset). */
  frozen?: boolean;
  /** Source of real time, for the running mode. Default: `Date.now`. */
  realNow?: () => number;
}

/**
 * Creates a controllable clock. By default it follows real time shifted by an offset that
 * `advance()` and `set()` move; a frozen clock only moves when told to.
 *
 * @example
 * const clock = createSandboxClock({ start: Date.UTC(2025, 0, 1), frozen: true });
 * clock.advance(6 * 60 * 60 * 1000); // six hours later: access tokens have expired
 */
export function createSandboxClock(options: SandboxClockOptions = {}): SandboxClock {
  const realNow = options.realNow ?? Date.now;
  const start = options.start === undefined ? realNow() : toEpoch(options.start);
  if (options.frozen) {
    let current = start;
    return {
      now: () => current,
      advance: (ms) => {
        current += checkedStep(ms);
      },
      set: (epochMs) => {
        current = toEpoch(epochMs);
      },
    };
  }
  let offset = start - realNow();
  return {
    now: () => realNow() + offset,
    advance: (ms) => {
      offset += checkedStep(ms);
    },
    set: (epochMs) => {
      offset = toEpoch(epochMs) - realNow();
    },
  };
}

function toEpoch(value: number | Date): number {
  const epoch = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(epoch)) throw new RangeError('Clock time must be a finite epoch in milliseconds');
  return epoch;
}

function checkedStep(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError('Clock can only advance by a finite, non-negative amount');
  return ms;
}
