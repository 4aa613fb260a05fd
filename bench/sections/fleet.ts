/**
 * Section 9, the fleet: N seller accounts over the three sandboxes (HTTP server mode, latency,
 * limits per app and per shop), synced by 1, 2 and 4 forked worker processes running
 * `createFleetWorker` on Redis and PostgreSQL; then 4 processes again without the shared limiter.
 * Figures are printed, never asserted. Needs REDIS_URL and DATABASE_URL (or the usual local
 * servers); skipped with the reason otherwise.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connectRedis, createFleetQueue, type FleetAccount } from '@mlh/fleet';
import {
  accountsPerMinute,
  auditOrders,
  judgeRun,
  refreshesPerExpiry,
  stockDifferences,
} from '../lib/fleet-figures';
import type {
  FleetParentMessage,
  FleetWorkerConfig,
  FleetWorkerMessage,
  FleetWorkerReport,
} from '../lib/fleet-worker';
import {
  buildFleetWorld,
  EXPIRED_EVERY,
  type FleetLimits,
  type FleetWorld,
  marketplaceStock,
  refreshCalls,
  sandboxCalls,
  storedOrderKeys,
  storeStock,
} from '../lib/fleet-world';
import { benchTsconfig } from '../lib/measured';
import { type BenchMode, byMode } from '../lib/mode';
import { fmt, type Row, type SectionResult, skippedRow } from '../lib/report';

const LATENCY_MS = 200;
/** Accounts each worker process syncs, untimed, before the timed run. */
const WARM_UP_PER_WORKER = 4;
/** The warm-up gives up after this long (it is a handful of accounts). */
const WARM_UP_DEADLINE_MS = 120_000;
/**
 * A run stops waiting when the queue holds no job and no worker has reported anything for this
 * long: the accounts still missing cannot be synced any more (longer than the largest backoff
 * between two attempts, which keeps its job in the queue anyway).
 */
const STALL_MS = 15_000;
const CONCURRENCY = 8;
/**
 * Bench limits, the same on every marketplace: set so one worker process (8 calls in flight,
 * 200 ms each: about 40 calls/s over three apps) stays under each app's budget and four go over
 * it. The sandboxes count every call against one bucket; the workers' buckets are per read and
 * write, so each app's rate is split in the proportion of that marketplace's calls (Mercado Livre
 * reads five times for each write, Shopee twice, TikTok Shop's order search is a POST) and the two
 * add up to the sandbox's. The sandbox bursts are a little larger, for requests reserved in order
 * that arrive a few ms out of order.
 */
const ACCOUNT_BUDGET = { read: { perSecond: 6, burst: 6 }, write: { perSecond: 4, burst: 4 } };
const appBudget = (read: number, write: number) => ({
  read: { perSecond: read, burst: read },
  write: { perSecond: write, burst: write },
});
const LIMITS: FleetLimits = {
  sandbox: { app: { requestsPerSecond: 40, burst: 50 }, account: { requestsPerSecond: 10, burst: 12 } },
  workers: {
    meli: { app: appBudget(32, 8), account: ACCOUNT_BUDGET },
    shopee: { app: appBudget(25, 15), account: ACCOUNT_BUDGET },
    tiktok: { app: appBudget(20, 20), account: ACCOUNT_BUDGET },
  },
};

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const workerScript = fileURLToPath(new URL('../lib/fleet-worker.ts', import.meta.url));

/** One run's figures. */
interface RunResult {
  workers: number;
  shared: boolean;
  /** Accounts in the timed part of the run. */
  accounts: number;
  /** Accounts seeded (the warm-up ones included): every figure but the rate counts them all. */
  seeded: number;
  seconds: number;
  /** Calls each sandbox answered by route, the whole run (warm-up included). */
  routes: Record<string, number>;
  /** CPU this process (the sandbox server, mostly) used during the timed part. */
  serverCpuSeconds: number;
  finished: number;
  status429: number;
  requests: number;
  sandboxCalls: number;
  refreshCalls: number;
  expired: number;
  placed: number;
  stored: number;
  lost: string[];
  duplicated: string[];
  stockDiffers: { sku: string; marketplace: number | undefined; store: number | undefined }[];
  failed: number;
  retried: number;
  deadLettered: number;
  busy: number;
  /** Dead-lettered jobs (they never complete), by kind, as the workers reported them. */
  deadLetteredByKind: Record<string, number>;
  /** Timed accounts that were not synced because one of their jobs was dead-lettered. */
  notSynced: number;
  errors: string[];
  /** Set when the run did not end by itself: why the bench stopped waiting (deadline or stall). */
  stopped: string | undefined;
}

/** Gives up on `promise` after `ms` with a message naming what was awaited: no wait hangs the bench. */
function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`gave up after ${Math.round(ms / 1000)} s waiting for ${what}`)),
      ms,
    );
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** The accounts with the marketplaces taking turns: meli, shopee, tiktok, meli, … */
function interleaved<T extends FleetAccount>(accounts: readonly T[]): T[] {
  const lanes = ['meli', 'shopee', 'tiktok'].map((m) => accounts.filter((a) => a.marketplace === m));
  const out: T[] = [];
  for (let index = 0; out.length < accounts.length; index += 1) {
    for (const lane of lanes) {
      const account = lane[index];
      if (account) out.push(account);
    }
  }
  return out;
}

function prefixed(name: string, byPath: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(byPath).map(([path, count]) => [`${name} ${path}`, count]));
}

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({
      host: parsed.hostname || '127.0.0.1',
      port: Number(parsed.port || defaultPort),
    });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Why the section cannot run, or undefined. */
async function servicesMissing(databaseUrl: string, redisUrl: string): Promise<string | undefined> {
  const missing: string[] = [];
  if (!(await reachable(databaseUrl, 5432)))
    missing.push(`PostgreSQL (DATABASE_URL, tried ${new URL(databaseUrl).host})`);
  if (!(await reachable(redisUrl, 6379))) missing.push(`Redis (REDIS_URL, tried ${new URL(redisUrl).host})`);
  return missing.length === 0 ? undefined : `${missing.join(' and ')} not reachable`;
}

interface Child {
  child: ChildProcess;
  replies: FleetWorkerMessage[];
  exited: Promise<void>;
}

function startWorker(config: FleetWorkerConfig, onMessage: (message: FleetWorkerMessage) => void): Child {
  const child = fork(workerScript, [], {
    cwd: repositoryRoot,
    execArgv: ['--import', 'tsx'],
    // The workers load the SDK as this process does: the built dist/ or the sources.
    env: { ...process.env, MLH_FLEET_WORKER: JSON.stringify(config), TSX_TSCONFIG_PATH: benchTsconfig },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: FleetWorkerMessage[] = [];
  child.on('message', (message: FleetWorkerMessage) => {
    replies.push(message);
    onMessage(message);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, replies, exited };
}

function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

async function deleteKeys(redisUrl: string, patterns: string[]): Promise<void> {
  const redis = await connectRedis(redisUrl);
  try {
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

async function fleetRun(options: {
  workers: number;
  shared: boolean;
  count: number;
  databaseUrl: string;
  redisUrl: string;
  timeoutMs: number;
}): Promise<RunResult> {
  const tag = `${process.pid}-${Date.now().toString(36)}-${options.workers}${options.shared ? 's' : 'l'}`;
  const queueName = `bench-fleet-${tag}`;
  const bullPrefix = `mlh-bench-${tag}`;
  const limiterPrefix = options.shared ? `mlh-bench-${tag}:ratelimit:` : undefined;
  const world: FleetWorld = await buildFleetWorld({
    count: options.count + WARM_UP_PER_WORKER * options.workers,
    databaseUrl: options.databaseUrl,
    latencyMs: LATENCY_MS,
    limits: LIMITS,
  });
  const flushed = new Set<string>();
  const deadLettered = new Set<string>();
  const deadLetteredByKind: Record<string, number> = {};
  let lastProgress = Date.now();
  const errors: string[] = [];
  const children: Child[] = [];
  // The workers' own attempts and backoff (bench/lib/fleet-worker.ts), so a 429 costs half a second.
  const queue = createFleetQueue({
    connection: options.redisUrl,
    queueName,
    prefix: bullPrefix,
    attempts: 5,
    backoffMs: 500,
  });
  try {
    for (let index = 0; index < options.workers; index += 1) {
      const config: FleetWorkerConfig = {
        owner: `bench-worker-${index + 1}`,
        databaseUrl: options.databaseUrl,
        schema: world.schema,
        redisUrl: options.redisUrl,
        queueName,
        bullPrefix,
        limiterPrefix,
        serverUrl: world.server.url,
        concurrency: CONCURRENCY,
        limits: LIMITS.workers,
        apps: world.apps,
      };
      children.push(
        startWorker(config, (message) => {
          if (message.type === 'completed' || message.type === 'failed' || message.type === 'dead-lettered')
            lastProgress = Date.now();
          if (message.type === 'completed' && message.kind === 'inventory.flush')
            flushed.add(message.account);
          if (message.type === 'dead-lettered') {
            deadLettered.add(message.account);
            deadLetteredByKind[message.kind] = (deadLetteredByKind[message.kind] ?? 0) + 1;
            if (errors.length < 20)
              errors.push(`dead-lettered ${message.kind} ${message.account}: ${message.error}`);
          }
          if (message.type === 'error' && errors.length < 20) errors.push(message.message);
          if (message.type === 'failed' && !message.willRetry && errors.length < 20) {
            errors.push(`${message.kind} ${message.account}: ${message.error}`);
          }
        }),
      );
    }
    await waitFor(
      () =>
        children.every((c) => c.replies.some((reply) => reply.type === 'ready'))
          ? true
          : children.find((c) => c.replies.some((reply) => reply.type === 'error'))
            ? (() => {
                throw new Error(`a worker failed to start: ${errors[0] ?? ''}`);
              })()
            : undefined,
      60_000,
      'the workers to start',
    );
    await queue.ready();

    // The three marketplaces in turn, so each app's budget is spent from the start; a few accounts
    // per worker first, untimed, so every process has compiled its code paths before the clock runs.
    const ordered = interleaved(world.accounts);
    const warm = ordered.slice(0, WARM_UP_PER_WORKER * options.workers);
    const timed = ordered.slice(warm.length);
    // What an app does when sellers connect: one orders.sync each, now, at that kind's priority.
    const enqueue = (accounts: readonly FleetAccount[]) =>
      queue.runNow(
        accounts.map((account) => ({ marketplace: account.marketplace, accountId: account.accountId })),
      );
    const keyOf = (account: FleetAccount) => `${account.marketplace}:${account.accountId}`;
    /** Waits until every account is synced or dead-lettered; the reason when it stopped short. */
    const settle = async (accounts: readonly FleetAccount[], deadlineMs: number) => {
      const keys = accounts.map(keyOf);
      const began = Date.now();
      lastProgress = began;
      let queuedJobs: number | undefined;
      let askedAt = 0;
      for (;;) {
        const verdict = judgeRun({
          accounts: keys,
          flushed,
          deadLettered,
          queuedJobs,
          quietMs: Date.now() - lastProgress,
          elapsedMs: Date.now() - began,
          deadlineMs,
          stallMs: STALL_MS,
        });
        if (verdict.state === 'done') return undefined;
        if (verdict.state === 'stopped') return verdict.reason;
        if (Date.now() - askedAt >= 1_000) {
          askedAt = Date.now();
          const counts = await withDeadline(
            queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'),
            10_000,
            'the queue’s job counts',
          );
          queuedJobs = Object.values(counts).reduce((sum, count) => sum + count, 0);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await enqueue(warm);
    const warmStopped = await settle(warm, WARM_UP_DEADLINE_MS);
    if (warmStopped) throw new Error(`fleet warm-up (${label(options)}): ${warmStopped}`);
    const callsBefore = sandboxCalls(world);
    const start = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    await enqueue(timed);
    const stopped = await settle(world.accounts, options.timeoutMs);
    if (stopped) process.stderr.write(`  ${label(options)}: ${stopped}\n`);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const serverCpuSeconds = (cpu.user + cpu.system) / 1e6;

    for (const c of children) c.child.send({ type: 'report' } satisfies FleetParentMessage);
    const reports = await waitFor(
      () => {
        const found = children.map(
          (c) =>
            c.replies.find((reply) => reply.type === 'report') as { report: FleetWorkerReport } | undefined,
        );
        return found.every(Boolean) ? found.map((reply) => reply!.report) : undefined;
      },
      10_000,
      'the worker reports',
    );
    const sum = (field: keyof Omit<FleetWorkerReport, 'owner'>) =>
      reports.reduce((total, report) => total + report[field], 0);

    const audit = auditOrders(
      world.accounts.map((account) => `${account.marketplace}:${account.accountId}:${account.orderId}`),
      await storedOrderKeys(world),
    );
    return {
      workers: options.workers,
      shared: options.shared,
      accounts: timed.length,
      seeded: world.accounts.length,
      routes: {
        ...prefixed('Mercado Livre', world.meli.stats().byPath),
        ...prefixed('Shopee', world.shopee.stats().byPath),
        ...prefixed('TikTok Shop', world.tiktok.stats().byPath),
      },
      seconds,
      serverCpuSeconds,
      finished: timed.filter((account) => flushed.has(keyOf(account))).length,
      status429: sum('status429'),
      requests: sum('requests'),
      sandboxCalls: sandboxCalls(world) - callsBefore,
      refreshCalls: refreshCalls(world),
      expired: world.expired,
      placed: audit.placed,
      stored: audit.stored,
      lost: audit.lost,
      duplicated: audit.duplicated,
      stockDiffers: stockDifferences(marketplaceStock(world), await storeStock(world)),
      failed: sum('failed'),
      retried: sum('retried'),
      deadLettered: sum('deadLettered'),
      busy: sum('busy'),
      deadLetteredByKind,
      notSynced: timed.filter((account) => !flushed.has(keyOf(account)) && deadLettered.has(keyOf(account)))
        .length,
      errors,
      stopped,
    };
  } finally {
    for (const c of children) {
      if (c.child.connected) c.child.send({ type: 'exit' } satisfies FleetParentMessage);
    }
    await Promise.race([
      Promise.all(children.map((c) => c.exited)),
      new Promise((resolve) => setTimeout(resolve, 15_000)),
    ]);
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill();
    // Clean-up must not hang the bench either: each step has a deadline, and a failure is reported.
    const cleanUp = async (what: string, step: () => Promise<unknown>) => {
      await withDeadline(step(), 30_000, what).catch((error: unknown) => {
        process.stderr.write(`  fleet clean-up: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    };
    await cleanUp('the queue to be emptied', () => queue.queue.obliterate({ force: true }));
    await cleanUp('the queue to close', () => queue.close());
    await cleanUp('the Redis keys to be deleted', () =>
      deleteKeys(options.redisUrl, [`${bullPrefix}:*`, ...(limiterPrefix ? [`${limiterPrefix}*`] : [])]),
    );
    await cleanUp('the sandbox server, schema and stores to close', () => world.close());
  }
}

const label = (run: { workers: number; shared: boolean }) =>
  `${run.workers} worker process${run.workers === 1 ? '' : 'es'}${run.shared ? '' : ', no shared limiter'}`;

/** Section 9: the fleet. */
export async function fleetSection(mode: BenchMode, accounts?: number): Promise<SectionResult> {
  const title = 'Fleet: N accounts synced by 1, 2 and 4 worker processes on Redis + PostgreSQL';
  const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const missing = await servicesMissing(databaseUrl, redisUrl);
  if (missing) {
    return { id: 9, title, rows: [skippedRow('fleet', missing)], notes: [], details: {} };
  }
  const count = accounts ?? byMode(mode, 1_000, 30);
  const timeoutMs = byMode(mode, 10 * 60_000, 2 * 60_000);
  const runs: RunResult[] = [];
  for (const [workers, shared] of [
    [1, true],
    [2, true],
    [4, true],
    [4, false],
  ] as const) {
    process.stderr.write(
      `  ${count} accounts, ${workers} worker(s)${shared ? '' : ', no shared limiter'}…\n`,
    );
    runs.push(await fleetRun({ workers, shared, count, databaseUrl, redisUrl, timeoutMs }));
  }
  return { id: 9, title, rows: fleetRows(runs), notes: fleetNotes(runs, count), details: { runs } };
}

function fleetRows(runs: readonly RunResult[]): Row[] {
  const rows: Row[] = [];
  const shared = runs.filter((run) => run.shared);
  const base = shared[0];
  let previous: RunResult | undefined;
  for (const run of shared) {
    const perMinute = accountsPerMinute(run.finished, run.seconds);
    const ratio = base ? perMinute / accountsPerMinute(base.finished, base.seconds) : undefined;
    const grew = previous
      ? perMinute > 1.1 * accountsPerMinute(previous.finished, previous.seconds) && !run.stopped
      : undefined;
    rows.push({
      figure: `accounts synced per minute, ${label(run)}`,
      ours: `${fmt(perMinute)} /min`,
      versus: `${fmt(run.seconds, 1)} s for ${fmt(run.finished)}${run.finished < run.accounts ? ` of ${fmt(run.accounts)}` : ''}${run.stopped ? ' (stopped)' : ''}`,
      ratio,
      target: previous
        ? `> 1.1× ${previous.workers} process${previous.workers === 1 ? '' : 'es'}`
        : 'reported',
      met: grew,
    });
    previous = run;
  }
  for (const run of runs) {
    rows.push({
      figure: `HTTP 429 received, ${label(run)}`,
      ours: fmt(run.status429),
      versus: `${fmt(run.requests)} requests`,
      target: run.shared ? '0' : 'reported',
      met: run.shared ? run.status429 === 0 : undefined,
    });
  }
  for (const run of runs) {
    const jobs = Object.values(run.deadLetteredByKind).reduce((sum, count) => sum + count, 0);
    rows.push({
      figure: `jobs dead-lettered, ${label(run)}`,
      ours: fmt(jobs),
      versus: `${fmt(run.notSynced)} account${run.notSynced === 1 ? '' : 's'} not synced`,
      target: run.shared ? '0' : 'reported',
      met: run.shared ? jobs === 0 && !run.stopped : undefined,
    });
  }
  // With the shared limiter: a refresh refused by a 429 (unprocessed, sent again) is a second
  // call for one expiry, which is the other run's story.
  const limited = runs.filter((run) => run.shared);
  const refreshes = limited.reduce((sum, run) => sum + run.refreshCalls, 0);
  const expired = limited.reduce((sum, run) => sum + run.expired, 0);
  const perExpiry = refreshesPerExpiry(refreshes, expired);
  rows.push({
    figure: 'refresh calls per expired token (shared limiter)',
    ours: perExpiry.toFixed(2),
    versus: `${fmt(refreshes)} calls, ${fmt(expired)} expired`,
    target: '1',
    met: perExpiry === 1,
  });
  const lost = runs.reduce((sum, run) => sum + run.lost.length, 0);
  const duplicated = runs.reduce((sum, run) => sum + run.duplicated.length, 0);
  const placed = runs.reduce((sum, run) => sum + run.placed, 0);
  rows.push({
    figure: 'orders lost / duplicated (every run)',
    ours: `${fmt(lost)} / ${fmt(duplicated)}`,
    versus: `${fmt(placed)} placed`,
    target: '0 / 0',
    met: lost === 0 && duplicated === 0,
  });
  const differs = runs.reduce((sum, run) => sum + run.stockDiffers.length, 0);
  const skus = runs.reduce((sum, run) => sum + run.seeded * 2, 0);
  rows.push({
    figure: 'SKUs whose marketplace stock differs from the store at the end',
    ours: fmt(differs),
    versus: `${fmt(skus)} SKUs`,
    target: '0',
    met: differs === 0,
  });
  return rows;
}

function fleetNotes(runs: readonly RunResult[], count: number): string[] {
  const notes = [
    `${fmt(count)} accounts over Mercado Livre, Shopee and TikTok Shop in turn, one sandbox server; ${LATENCY_MS} ms latency on every call;`,
    `  sandbox limits per marketplace: ${LIMITS.sandbox.app.requestsPerSecond}/s per app, ${LIMITS.sandbox.account.requestsPerSecond}/s per seller or shop;`,
    `  workers: concurrency ${CONCURRENCY} each; app buckets read + write per second: Mercado Livre 32 + 8, Shopee 25 + 15, TikTok Shop 20 + 20;`,
    '  account buckets read 6 + write 4 per second (shared in Redis, or per process)',
    `  each account: 1 paid order the store has not seen, a restock of 5 the marketplace has not seen, 1 token in ${EXPIRED_EVERY} expired;`,
    `  a run = an orders.sync job per account, then the inventory.flush it asks for; ${WARM_UP_PER_WORKER} accounts per worker first, untimed,`,
    '  then the clock runs from enqueueing the rest until every flush completed',
  ];
  for (const run of runs) {
    notes.push(
      `${label(run)}: ${fmt(run.sandboxCalls)} API calls answered, ${fmt(run.refreshCalls)} refresh calls for ${fmt(run.expired)} expired tokens, ` +
        `${fmt(run.retried)} retries, ${fmt(run.busy)} busy delays, ${fmt(run.deadLettered)} dead-lettered` +
        `${
          Object.keys(run.deadLetteredByKind).length > 0
            ? ` (${Object.entries(run.deadLetteredByKind)
                .map(([kind, count]) => `${count} ${kind}`)
                .join(', ')})`
            : ''
        }, ` +
        `sandbox server ${fmt(run.serverCpuSeconds, 1)} s CPU in ${fmt(run.seconds, 1)} s` +
        (run.stockDiffers.length > 0
          ? `; stock differs on ${run.stockDiffers
              .slice(0, 3)
              .map((d) => `${d.sku} (marketplace ${d.marketplace}, store ${d.store})`)
              .join(', ')}`
          : '') +
        (run.lost.length > 0 ? `; lost ${run.lost.slice(0, 3).join(', ')}` : '') +
        (run.duplicated.length > 0 ? `; duplicated ${run.duplicated.slice(0, 3).join(', ')}` : ''),
    );
    if (run.stopped) notes.push(`  stopped waiting: ${run.stopped}`);
    for (const error of run.errors.slice(0, 3)) notes.push(`  error: ${error.split('\n')[0]}`);
  }
  const first = runs[0];
  if (first) {
    notes.push(`calls by route, ${label(first)} (warm-up included):`);
    for (const [route, calls] of Object.entries(first.routes)) notes.push(`  ${route}: ${fmt(calls)}`);
  }
  return notes;
}
