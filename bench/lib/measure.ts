/**
 * Timing helpers. Everything is measured with `process.hrtime.bigint()`, after warm-up, in
 * several rounds; the figures that matter are ratios taken inside one run, because absolute
 * times on a shared machine drift from minute to minute.
 */

/** Nanoseconds since an arbitrary origin. */
export function now(): bigint {
  return process.hrtime.bigint();
}

/** Milliseconds between two `now()` readings. */
export function msBetween(start: bigint, end: bigint): number {
  return Number(end - start) / 1e6;
}

/** The value at quantile `q` (0..1) of `values`, by nearest rank; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A competitor in a paired comparison: `run()` does `batch` operations. */
export interface Contender {
  name: string;
  /** Does one batch of operations (e.g. 200 signatures, or one API call). */
  run(): Promise<unknown> | unknown;
}

/** Settings of {@link compareThroughput}. */
export interface ThroughputSettings {
  /** Operations per `run()` call. */
  batch: number;
  /** Untimed time spent on each contender first, so the JIT and caches are warm. */
  warmupMs: number;
  /** Timed rounds; contenders alternate inside each round so drift hits both alike. */
  rounds: number;
  /** Length of one contender's turn in a round. */
  roundMs: number;
  /**
   * What a turn's operations are divided by: `wall` time (the default; right where waiting on I/O
   * is part of the cost), or this process's `cpu` time (for work that never waits, such as
   * signing: on a loaded machine the time the scheduler gives other processes is not the code's).
   */
  clock?: 'wall' | 'cpu';
}

/** Operations per second of each contender, one entry per round. */
export type ThroughputResult = Record<string, number[]>;

function cpuMicroseconds(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

async function runFor(
  contender: Contender,
  ms: number,
  batch: number,
  clock: 'wall' | 'cpu' = 'wall',
): Promise<number> {
  const start = now();
  const cpuStart = cpuMicroseconds();
  const limit = start + BigInt(Math.round(ms * 1e6));
  let operations = 0;
  let end = start;
  do {
    await contender.run();
    operations += batch;
    end = now();
  } while (end < limit);
  const seconds = clock === 'cpu' ? (cpuMicroseconds() - cpuStart) / 1e6 : msBetween(start, end) / 1000;
  return operations / seconds;
}

/**
 * Measures operations per second of several contenders in alternating turns (A B C, B C A, ...),
 * so slow drift of the machine affects all of them alike.
 */
export async function compareThroughput(
  contenders: readonly Contender[],
  settings: ThroughputSettings,
): Promise<ThroughputResult> {
  const result: ThroughputResult = {};
  for (const contender of contenders) {
    result[contender.name] = [];
    await runFor(contender, settings.warmupMs, settings.batch);
  }
  for (let round = 0; round < settings.rounds; round++) {
    for (let turn = 0; turn < contenders.length; turn++) {
      const contender = contenders[(round + turn) % contenders.length] as Contender;
      result[contender.name]?.push(await runFor(contender, settings.roundMs, settings.batch, settings.clock));
    }
  }
  return result;
}

/** The median, over rounds, of the ratio `a / b` of two contenders' per-round figures. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const ratios = a.map((value, index) => value / (b[index] as number)).filter(Number.isFinite);
  return median(ratios);
}

/** Settings of {@link compareLatency}. */
export interface LatencySettings {
  /**
   * Untimed calls per contender first, in the same rotation as the timed ones. Enough for V8 to
   * finish optimizing every contender's code: until it has, its compiler threads take CPU from the
   * timed calls and the contender with the most code runs partly unoptimized.
   */
  warmup: number;
  /** Timed calls per contender. */
  calls: number;
  /** The first `firstCalls` calls of the warm-up are kept apart (a cold process's figures). */
  firstCalls?: number;
}

/** Per-call latencies in milliseconds of each contender. */
export type LatencyResult = Record<string, number[]>;

/** The timed calls of {@link compareLatency}, and the first calls of its warm-up. */
export interface LatencyComparison {
  samples: LatencyResult;
  /** Latencies of each contender's first `firstCalls` warm-up calls (empty lists without it). */
  first: LatencyResult;
}

/**
 * Times single calls of several contenders, after warm-up, interleaved call by call in rotating
 * order (A B C, B C A, ...): a burst of load on the machine hits every contender alike.
 */
export async function compareLatency(
  contenders: readonly Contender[],
  settings: LatencySettings,
): Promise<LatencyComparison> {
  const samples: LatencyResult = {};
  const first: LatencyResult = {};
  for (const contender of contenders) {
    samples[contender.name] = [];
    first[contender.name] = [];
  }
  const firstCalls = Math.min(settings.firstCalls ?? 0, settings.warmup);
  const rotate = async (calls: number, record: (name: string, call: number, ms: number) => void) => {
    for (let call = 0; call < calls; call++) {
      for (let turn = 0; turn < contenders.length; turn++) {
        const contender = contenders[(call + turn) % contenders.length] as Contender;
        const start = now();
        await contender.run();
        record(contender.name, call, msBetween(start, now()));
      }
    }
  };
  await rotate(settings.warmup, (name, call, ms) => {
    if (call < firstCalls) (first[name] as number[]).push(ms);
  });
  await rotate(settings.calls, (name, _call, ms) => {
    (samples[name] as number[]).push(ms);
  });
  return { samples, first };
}
