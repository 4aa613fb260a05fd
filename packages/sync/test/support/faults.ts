/**
 * Step-numbered fault injection over a worker's store and clients. Every call to the store or a
 * marketplace (and every page of an async listing) is one step; at step N the chosen fault
 * happens:
 * - `fail-before`: that one call throws without doing anything; the process goes on;
 * - `fail-after`: the call takes effect, then throws (a lost response, a commit whose
 *   acknowledgement was lost); the process goes on;
 * - `crash`: the process stops before that call: it and every later call throw. A stop right after
 *   step N leaves the same state as a stop before step N + 1, so this covers the process stopping
 *   between any two steps.
 */
export type FaultMode = 'fail-before' | 'fail-after' | 'crash';

export const FAULT_MODES: readonly FaultMode[] = ['fail-before', 'fail-after', 'crash'];

/** Thrown by an injected fault or by any call after a crash. */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

/** Methods that are pure and local (no I/O): never a step. */
const LOCAL_METHODS = new Set(['validateProduct']);
/** Methods returning an async iterable: each page (`next()`) is a step. */
const ITERABLE_METHODS = new Set(['listOrders', 'listProducts', 'recoverMissedEvents']);

export class StepFaults {
  steps = 0;
  dead = false;
  readonly trace: string[] = [];

  constructor(
    private readonly at?: number,
    private readonly mode?: FaultMode,
  ) {}

  /** A view of `target` whose every call is a step; a client's listings step once per page. */
  wrap<T extends object>(target: T, label: string, kind: 'store' | 'client' = 'store'): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value = Reflect.get(object, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        const name = `${label}.${property}`;
        if (LOCAL_METHODS.has(property)) return value.bind(object);
        if (kind === 'client' && ITERABLE_METHODS.has(property)) {
          return (...args: unknown[]) => this.wrapIterable(name, () => value.apply(object, args));
        }
        return (...args: unknown[]) => this.step(name, () => value.apply(object, args));
      },
    });
  }

  private async step<T>(name: string, call: () => Promise<T>): Promise<T> {
    if (this.dead) throw new InjectedFault(`process stopped before ${name}`);
    const n = ++this.steps;
    this.trace.push(name);
    if (n !== this.at || !this.mode) return call();
    if (this.mode === 'crash') this.dead = true;
    if (this.mode === 'fail-after') await call();
    throw new InjectedFault(`${this.mode} at step ${n}: ${name}`);
  }

  private wrapIterable<T>(name: string, open: () => AsyncIterable<T>): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: () => {
        let iterator: AsyncIterator<T> | undefined;
        return {
          next: () =>
            this.step(name, () => {
              iterator ??= open()[Symbol.asyncIterator]();
              return iterator.next();
            }),
          return: async (value?: unknown) => {
            await iterator?.return?.(value);
            return { done: true, value: undefined };
          },
        };
      },
    };
  }
}
