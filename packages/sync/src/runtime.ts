/** Timer functions the schedulers use; inject fakes in tests. */
export interface SyncTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options every orchestrator accepts to control time and identity. */
export interface SyncRuntimeOptions {
  /** Current time in epoch ms. Default `Date.now`. */
  clock?: () => number;
  /** Timers for scheduling. Default the global `setTimeout` / `clearTimeout`. */
  timers?: SyncTimers;
  /** This worker's name in leases; default a random id per instance. */
  owner?: string;
}

/** The resolved runtime. */
export interface SyncRuntime {
  clock: () => number;
  timers: SyncTimers;
  owner: string;
}

/** Fills the defaults of {@link SyncRuntimeOptions}. */
export function resolveRuntime(options: SyncRuntimeOptions): SyncRuntime {
  return {
    clock: options.clock ?? (() => Date.now()),
    timers: options.timers ?? {
      setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
    },
    owner: options.owner ?? `worker-${newId()}`,
  };
}

/** A random unique id (WebCrypto). */
export function newId(): string {
  return crypto.randomUUID();
}
