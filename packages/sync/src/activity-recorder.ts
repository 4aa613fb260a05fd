import { type Logger, silentLogger } from '@mlh/core';
import {
  type ActivityStore,
  type AlertRecord,
  type SyncRunOutcome,
  type SyncRunStart,
  syncFailureAlertKey,
  syncFailureId,
} from './activity';
import type {
  ItemFailedEvent,
  ItemSyncedEvent,
  StockPushedEvent,
  SyncEmitter,
  SyncFinishedEvent,
  SyncStartedEvent,
} from './events';
import { contentHashSync } from './hash';
import { newId } from './runtime';
import type { ListingKey } from './store';

/** Options of {@link recordSyncActivity}. */
export interface RecordSyncActivityOptions {
  /** Where a failed write to the activity store is reported. Default: nowhere. */
  logger?: Logger | undefined;
  /** Epoch ms of failures and resolutions. Default `Date.now`. */
  clock?: (() => number) | undefined;
  /** Called (after the write) when a failure opened a new alert, e.g. to notify someone. */
  onAlertOpened?: ((alert: AlertRecord) => void) | undefined;
}

/** What {@link recordSyncActivity} returns. */
export interface SyncActivityRecorder {
  /** Resolves when every event received so far is written (or its write failed and was logged). */
  idle(): Promise<void>;
  /** Stops listening; writes already queued still happen. */
  stop(): void;
}

/** Listings resolved in one store call at most. */
const RESOLVE_BATCH = 500;

type Task =
  | { type: 'write'; run: () => Promise<void>; what: string }
  /** Listings synced: `resolveListings`. */
  | { type: 'resolve'; keys: ListingKey[]; at: number }
  /** Stock pushed: `resolveItemFailures` at `stock`. */
  | { type: 'stock'; keys: ListingKey[]; at: number };

/** Items a finished run handled without failing, read from its summary. */
function doneOf(summary: Record<string, unknown>): number {
  const count = (...fields: string[]) =>
    fields.reduce(
      (sum, field) => sum + (typeof summary[field] === 'number' ? (summary[field] as number) : 0),
      0,
    );
  switch (summary.kind) {
    case 'products':
      return count('created', 'adopted', 'updated', 'statusChanged', 'unchanged');
    case 'orders.poll':
      return count('created', 'updated', 'unchanged', 'stale');
    case 'orders.recover':
      return count('processed', 'forwarded', 'skipped');
    case 'inventory.flush':
      return count('pushed', 'verified');
    case 'inventory.reconcile':
      return count('checked');
    default:
      return 0;
  }
}

/** A run's outcome from its summary: `partial` when some items failed and others were done. */
export function runOutcomeOf(summary: unknown, finishedAt: number): SyncRunOutcome {
  const fields = (summary ?? {}) as Record<string, unknown>;
  const failed = Array.isArray(fields.failed) ? fields.failed.length : 0;
  const done = doneOf(fields);
  const status = failed === 0 ? 'succeeded' : done > 0 ? 'partial' : 'failed';
  return {
    status,
    finishedAt: typeof fields.finishedAt === 'number' ? fields.finishedAt : finishedAt,
    done,
    failed,
  };
}

/** The run a `finished` event is about, from its summary (so a missed `started` loses nothing). */
function runStartOf(event: SyncFinishedEvent, now: number): SyncRunStart {
  const fields = (event.summary ?? {}) as Record<string, unknown>;
  return {
    id: event.runId,
    kind: event.kind,
    startedAt: typeof fields.startedAt === 'number' ? fields.startedAt : now,
    ...(typeof fields.marketplace === 'string'
      ? { marketplace: fields.marketplace as SyncRunStart['marketplace'] }
      : {}),
    ...(typeof fields.accountId === 'string' ? { accountId: fields.accountId } : {}),
  };
}

/**
 * Keeps what an orchestrator does in an {@link ActivityStore}: its runs with their counts, each
 * failure (opening a `sync_failure` alert, deduplicated by listing), each listing's last error;
 * a later successful sync of a listing clears its error and resolves its failures and alert, and
 * an order poll without failures resolves that account's earlier poll failures. The listeners
 * only queue work: writes happen in order, in the background, in batches where they can, and a
 * failed write goes to the logger, never to the orchestrator. Every write is idempotent, so an
 * event seen twice (or by two processes) is recorded once.
 *
 * @example
 * const activity = createMemoryActivityStore(); // or createPostgresActivityStore(...)
 * const recorder = recordSyncActivity(productSync, activity, { logger });
 * await productSync.run();
 * await recorder.idle(); // everything of the run is in the store
 */
export function recordSyncActivity(
  emitter: SyncEmitter,
  store: ActivityStore,
  options: RecordSyncActivityOptions = {},
): SyncActivityRecorder {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => Date.now());
  const queue: Task[] = [];
  let draining: Promise<void> | undefined;

  const execute = async (task: Task) => {
    if (task.type === 'resolve') await store.resolveListings(task.keys, task.at);
    else if (task.type === 'stock') await store.resolveItemFailures(task.keys, 'stock', task.at);
    else await task.run();
  };
  const drain = async () => {
    for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
      try {
        await execute(task);
      } catch (error) {
        logger.error('sync activity: a write failed', {
          write:
            task.type === 'resolve'
              ? 'resolve listings'
              : task.type === 'stock'
                ? 'resolve stock failures'
                : task.what,
          error: error instanceof Error ? error.name : typeof error,
        });
      }
    }
    draining = undefined;
  };
  const enqueue = (task: Task) => {
    queue.push(task);
    draining ??= drain();
  };
  const write = (what: string, run: () => Promise<void>) => enqueue({ type: 'write', run, what });

  const onStarted = (event: SyncStartedEvent) => {
    const start: SyncRunStart = {
      id: event.runId,
      kind: event.kind,
      startedAt: event.at,
      ...(event.marketplace === undefined ? {} : { marketplace: event.marketplace }),
      ...(event.accountId === undefined ? {} : { accountId: event.accountId }),
    };
    write('start run', async () => {
      await store.startRun(start);
    });
  };

  const onFailed = (event: ItemFailedEvent) => {
    const at = clock();
    const failure = {
      id: syncFailureId(event, contentHashSync),
      runId: event.runId,
      kind: event.kind,
      marketplace: event.marketplace,
      accountId: event.accountId,
      ...(event.sku === undefined ? {} : { sku: event.sku }),
      ...(event.orderId === undefined ? {} : { orderId: event.orderId }),
      stage: event.stage,
      reason: event.reason,
      retryable: event.retryable,
      at,
    };
    write('record failure', async () => {
      const { recorded } = await store.recordFailure(failure);
      if (!recorded) return;
      const item = failure.sku ?? failure.orderId ?? failure.stage;
      const { opened, alert } = await store.openAlert({
        id: newId(),
        key: syncFailureAlertKey(failure),
        kind: 'sync_failure',
        severity: failure.retryable ? 'warning' : 'critical',
        marketplace: failure.marketplace,
        accountId: failure.accountId,
        ...(failure.sku === undefined ? {} : { sku: failure.sku }),
        title: `${failure.kind}: ${item} failed on ${failure.marketplace} ${failure.accountId}`,
        detail: `${failure.stage}: ${failure.reason}`,
        openedAt: at,
      });
      if (opened) options.onAlertOpened?.(alert);
    });
  };

  /** Consecutive successes of one type share one store call; order with the other writes is kept. */
  const batch = (type: 'resolve' | 'stock', key: ListingKey) => {
    const at = clock();
    const last = queue.at(-1);
    if (last?.type === type && last.keys.length < RESOLVE_BATCH) {
      last.keys.push(key);
      last.at = Math.max(last.at, at);
    } else {
      enqueue({ type, keys: [key], at });
    }
  };
  const onSynced = (event: ItemSyncedEvent) =>
    batch('resolve', { marketplace: event.marketplace, accountId: event.accountId, sku: event.sku });
  // A stock push accepted: earlier stock failures of that variant on that account are over.
  const onStockPushed = (event: StockPushedEvent) =>
    batch('stock', { marketplace: event.marketplace, accountId: event.accountId, sku: event.variantSku });

  const onFinished = (event: SyncFinishedEvent) => {
    const now = clock();
    const start = runStartOf(event, now);
    const outcome = runOutcomeOf(event.summary, now);
    write('finish run', async () => {
      await store.finishRun(start, outcome);
      // A poll without failures stored every order up to its checkpoint: earlier failures are over.
      if (
        event.kind === 'orders.poll' &&
        outcome.failed === 0 &&
        start.marketplace !== undefined &&
        start.accountId !== undefined
      ) {
        await store.resolveFailures(
          { kind: 'orders.poll', marketplace: start.marketplace, accountId: start.accountId },
          outcome.finishedAt,
        );
      }
    });
  };

  // A listener must never throw into the orchestrator: queueing cannot, but guard anyway.
  const guarded =
    <E>(handler: (event: E) => void) =>
    (event: E) => {
      try {
        handler(event);
      } catch (error) {
        logger.error('sync activity: an event was not recorded', {
          error: error instanceof Error ? error.name : typeof error,
        });
      }
    };
  const listeners = {
    started: guarded(onStarted),
    'item.failed': guarded(onFailed),
    'item.synced': guarded(onSynced),
    'stock.pushed': guarded(onStockPushed),
    finished: guarded(onFinished),
  };
  emitter.on('started', listeners.started);
  emitter.on('item.failed', listeners['item.failed']);
  emitter.on('item.synced', listeners['item.synced']);
  emitter.on('stock.pushed', listeners['stock.pushed']);
  emitter.on('finished', listeners.finished);

  return {
    async idle() {
      while (draining) await draining;
    },
    stop() {
      emitter.off('started', listeners.started);
      emitter.off('item.failed', listeners['item.failed']);
      emitter.off('item.synced', listeners['item.synced']);
      emitter.off('stock.pushed', listeners['stock.pushed']);
      emitter.off('finished', listeners.finished);
    },
  };
}
