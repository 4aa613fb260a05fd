import type { CircuitBreakerOptions, Clock } from './types';

/** State of one host's circuit. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** A state change, as reported to `onStateChange`. */
export interface CircuitStateChange {
  key: string;
  from: CircuitState;
  to: CircuitState;
  /** Consecutive failures that led here. */
  failures: number;
  at: number;
}

/** Permission to send, or how long until the circuit lets a trial through. */
export type CircuitPermission = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * A circuit breaker over keys (the transport uses one per host). Each granted permission must
 * be settled with exactly one of `success`, `failure` or `release`.
 */
export interface CircuitBreaker {
  acquire(key: string): CircuitPermission;
  /** The host answered (any status that is not a server failure). */
  success(key: string): void;
  /** The host failed: 5xx, network error or timeout. */
  failure(key: string): void;
  /** The attempt ended without telling anything about the host (aborted, never sent). */
  release(key: string): void;
  state(key: string): CircuitState;
}

interface Circuit {
  state: CircuitState;
  failures: number;
  openedAt: number;
  trialInFlight: boolean;
  halfOpenSuccesses: number;
}

/** Defaults of {@link CircuitBreakerOptions}. */
export const defaultCircuitBreakerOptions: CircuitBreakerOptions = {
  failureThreshold: 5,
  openMs: 30_000,
  halfOpenSuccesses: 1,
};

/**
 * Creates a {@link CircuitBreaker}: `failureThreshold` consecutive failures open a key's
 * circuit; while open, requests fail fast; after `openMs` one trial request at a time is let
 * through (half-open), and `halfOpenSuccesses` successes close it again, a failure re-opens it.
 *
 * @example
 * const breaker = createCircuitBreaker({ failureThreshold: 3 }, { clock: systemClock });
 * const permission = breaker.acquire('api.mercadolibre.com');
 */
export function createCircuitBreaker(
  options: Partial<CircuitBreakerOptions>,
  context: { clock: Clock; onStateChange?: (change: CircuitStateChange) => void },
): CircuitBreaker {
  const settings = { ...defaultCircuitBreakerOptions, ...options };
  const circuits = new Map<string, Circuit>();
  const circuitOf = (key: string): Circuit => {
    let circuit = circuits.get(key);
    if (!circuit) {
      circuit = { state: 'closed', failures: 0, openedAt: 0, trialInFlight: false, halfOpenSuccesses: 0 };
      circuits.set(key, circuit);
    }
    return circuit;
  };
  const move = (key: string, circuit: Circuit, to: CircuitState) => {
    const from = circuit.state;
    if (from === to) return;
    circuit.state = to;
    circuit.halfOpenSuccesses = 0;
    if (to === 'open') circuit.openedAt = context.clock.now();
    if (to === 'closed') circuit.failures = 0;
    context.onStateChange?.({ key, from, to, failures: circuit.failures, at: context.clock.now() });
  };

  return {
    acquire(key) {
      const circuit = circuitOf(key);
      if (circuit.state === 'open') {
        const remaining = circuit.openedAt + settings.openMs - context.clock.now();
        if (remaining > 0) return { allowed: false, retryAfterMs: remaining };
        move(key, circuit, 'half-open');
      }
      if (circuit.state === 'half-open') {
        if (circuit.trialInFlight) return { allowed: false, retryAfterMs: 0 };
        circuit.trialInFlight = true;
      }
      return { allowed: true };
    },
    success(key) {
      const circuit = circuitOf(key);
      circuit.failures = 0;
      if (circuit.state === 'half-open') {
        circuit.trialInFlight = false;
        circuit.halfOpenSuccesses += 1;
        if (circuit.halfOpenSuccesses >= settings.halfOpenSuccesses) move(key, circuit, 'closed');
      }
    },
    failure(key) {
      const circuit = circuitOf(key);
      circuit.failures += 1;
      if (circuit.state === 'half-open') {
        circuit.trialInFlight = false;
        move(key, circuit, 'open');
      } else if (circuit.state === 'closed' && circuit.failures >= settings.failureThreshold) {
        move(key, circuit, 'open');
      }
    },
    release(key) {
      const circuit = circuitOf(key);
      if (circuit.state === 'half-open') circuit.trialInFlight = false;
    },
    state(key) {
      return circuits.get(key)?.state ?? 'closed';
    },
  };
}
