import { EventEmitter } from 'eventemitter3';

type Listener = (...args: unknown[]) => unknown;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Creates an eventemitter3 emitter whose listeners cannot hurt the code that emits: a listener
 * that throws, or an async listener that rejects, is reported to `onListenerError` and the other
 * listeners still run. The SDK emits from inside requests and webhook responses, where an
 * application's monitoring bug must not fail a sale.
 */
export function createIsolatedEmitter<Events extends EventEmitter.ValidEventTypes>(
  onListenerError: (error: unknown, event: string | symbol) => void,
): EventEmitter<Events> {
  const emitter = new EventEmitter<Events>();
  const guards = new WeakMap<Listener, Map<string | symbol, Listener>>();
  const guard = (event: string | symbol, listener: Listener): Listener => {
    let byEvent = guards.get(listener);
    if (!byEvent) {
      byEvent = new Map();
      guards.set(listener, byEvent);
    }
    let guarded = byEvent.get(event);
    if (!guarded) {
      guarded = function (this: unknown, ...args: unknown[]) {
        try {
          const result = listener.apply(this, args);
          if (isPromiseLike(result)) result.then(undefined, (error) => onListenerError(error, event));
        } catch (error) {
          onListenerError(error, event);
        }
      };
      byEvent.set(event, guarded);
    }
    return guarded;
  };

  type Register = (event: string | symbol, listener: Listener, context?: unknown) => unknown;
  type Remove = (event: string | symbol, listener?: Listener, context?: unknown, once?: boolean) => unknown;
  const methods = emitter as unknown as {
    on: Register;
    addListener: Register;
    once: Register;
    off: Remove;
    removeListener: Remove;
  };
  const on = methods.on.bind(emitter);
  const once = methods.once.bind(emitter);
  const off = methods.off.bind(emitter);
  methods.on = (event, listener, context) => {
    on(event, guard(event, listener), context);
    return emitter;
  };
  methods.addListener = methods.on;
  methods.once = (event, listener, context) => {
    once(event, guard(event, listener), context);
    return emitter;
  };
  methods.off = (event, listener, context, onlyOnce) => {
    off(event, listener && (guards.get(listener)?.get(event) ?? listener), context, onlyOnce);
    return emitter;
  };
  methods.removeListener = methods.off;
  return emitter;
}
