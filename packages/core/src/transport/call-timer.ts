import { systemClock } from '../clock';
import type { Clock } from './types';

/**
 * The reason a call's timer is cancelled with: a constant, so ending a call creates no
 * exception object (an `abort()` without a reason makes a `DOMException` with its stack).
 */
const CALL_ENDED = Symbol('call ended');

/** The per-attempt timeout of one call, kept with a single timer for the whole call. */
export interface CallTimer {
  /** Starts an attempt's countdown of `timeoutMs`; `onExpire` runs if the attempt is still on then. */
  start(onExpire: () => void): void;
  /** The attempt ended: its countdown no longer matters. */
  clear(): void;
  /** The call ended: cancels the timer. */
  stop(): void;
}

/**
 * A per-attempt timeout on one timer per call: the first attempt arms it; a later attempt only
 * moves the deadline, and a timer that wakes before the deadline sleeps again for the rest. A
 * call that succeeds at once costs one timer and one `AbortController`, and no exception.
 */
export function createCallTimer(clock: Clock, timeoutMs: number): CallTimer {
  // On the real clock a plain timer does it: no AbortController, promise or listener per call.
  return clock === systemClock ? new SystemCallTimer(timeoutMs) : new ClockCallTimer(clock, timeoutMs);
}

// Classes rather than object literals: a timer lives as long as its call, and V8 would allocate a
// literal's timers in the old generation (see `plainConstructor` in `../plain`).

/** {@link createCallTimer} on an injected {@link Clock}'s `sleep`. */
class ClockCallTimer implements CallTimer {
  private controller: AbortController | undefined;
  private armed = false;
  private deadline = 0;
  private expire: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  private readonly fire = (): void => {
    this.armed = false;
    // Woken between attempts: the next attempt arms it again.
    if (!this.expire) return;
    const left = this.deadline - this.clock.now();
    if (left > 0) {
      this.arm(left);
      return;
    }
    const onExpire = this.expire;
    this.expire = undefined;
    onExpire();
  };

  private arm(ms: number): void {
    this.armed = true;
    this.controller ??= new AbortController();
    this.clock.sleep(ms, this.controller.signal).then(this.fire, ignore);
  }

  start(onExpire: () => void): void {
    this.expire = onExpire;
    this.deadline = this.clock.now() + this.timeoutMs;
    if (!this.armed) this.arm(this.timeoutMs);
  }

  clear(): void {
    this.expire = undefined;
  }

  stop(): void {
    this.expire = undefined;
    if (this.armed) this.controller?.abort(CALL_ENDED);
    this.armed = false;
  }
}

/** {@link createCallTimer} on `setTimeout` itself, with the same rules: one timer per call. */
class SystemCallTimer implements CallTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private deadline = 0;
  private expire: (() => void) | undefined;

  constructor(private readonly timeoutMs: number) {}

  private readonly fire = (): void => {
    this.timer = undefined;
    // Woken between attempts: the next attempt arms it again.
    if (!this.expire) return;
    const left = this.deadline - Date.now();
    if (left > 0) {
      this.timer = setTimeout(this.fire, left);
      return;
    }
    const onExpire = this.expire;
    this.expire = undefined;
    onExpire();
  };

  start(onExpire: () => void): void {
    this.expire = onExpire;
    this.deadline = Date.now() + this.timeoutMs;
    this.timer ??= setTimeout(this.fire, this.timeoutMs);
  }

  clear(): void {
    this.expire = undefined;
  }

  stop(): void {
    this.expire = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function ignore(): void {}
