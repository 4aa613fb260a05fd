import type { SyncTimers } from '../runtime';

/**
 * Runs named tasks every `intervalMs` on injected timers. The next run is scheduled when the
 * previous one ends, so runs of one task never overlap; a task's failure never stops its loop.
 */
export class Scheduler {
  private readonly handles = new Map<string, unknown>();
  private readonly running = new Set<Promise<void>>();
  private stopped = true;

  constructor(private readonly timers: SyncTimers) {}

  /** Runs `task` now (on the next timer tick) and then every `intervalMs` after each run ends. */
  every(name: string, intervalMs: number, task: () => Promise<void>, firstDelayMs = 0): void {
    this.stopped = false;
    const schedule = (delay: number) => {
      this.handles.set(
        name,
        this.timers.setTimeout(() => {
          this.handles.delete(name);
          if (this.stopped) return;
          const run = task()
            .catch(() => undefined)
            .finally(() => {
              this.running.delete(run);
              if (!this.stopped) schedule(intervalMs);
            });
          this.running.add(run);
        }, delay),
      );
    };
    const existing = this.handles.get(name);
    if (existing !== undefined) this.timers.clearTimeout(existing);
    schedule(firstDelayMs);
  }

  /** Resolves once no run is in progress (timers may still be waiting). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Clears every timer and waits for the runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.handles.values()) this.timers.clearTimeout(handle);
    this.handles.clear();
    await Promise.all([...this.running]);
  }
}
