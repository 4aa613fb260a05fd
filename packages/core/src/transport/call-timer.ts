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
  if (clock === systemClock) return createSystemCallTimer(timeoutMs);
  let controller: AbortController | undefined;
  let armed = false;
  let deadline = 0;
  let expire: (() => void) | undefined;
  const ignore = () => {};
  const fire = () => {
    armed = false;
    // Woken between attempts: the next attempt arms it again.
    if (!expire) return;
    const left = deadline - clock.now();
    if (left > 0) {
      arm(left);
      return;
    }
    const onExpire = expire;
    expire = undefined;
    onExpire();
  };
  const arm = (ms: number) => {
    armed = true;
    controller ??= new AbortController();
    clock.sleep(ms, controller.signal).then(fire, ignore);
  };
  return {
    start(onExpire) {
      expire = onExpire;
      deadline = clock.now() + timeoutMs;
      if (!armed) arm(timeoutMs);
    },
    clear() {
      expire = undefined;
    },
    stop() {
      expire = undefined;
      if (armed) controller?.abort(CALL_ENDED);
      armed = false;
    },
  };
}

/** {@link createCallTimer} on `setTimeout` itself, with the same rules: one timer per call. */
function createSystemCallTimer(timeoutMs: number): CallTimer {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline = 0;
  let expire: (() => void) | undefined;
  const fire = () => {
    timer = undefined;
    // Woken between attempts: the next attempt arms it again.
    if (!expire) return;
    const left = deadline - Date.now();
    if (left > 0) {
      timer = setTimeout(fire, left);
      return;
    }
    const onExpire = expire;
    expire = undefined;
    onExpire();
  };
  return {
    start(onExpire) {
      expire = onExpire;
      deadline = Date.now() + timeoutMs;
      timer ??= setTimeout(fire, timeoutMs);
    },
    clear() {
      expire = undefined;
    },
    stop() {
      expire = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
