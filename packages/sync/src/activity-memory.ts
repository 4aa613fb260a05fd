import {
  type ActivityCursor,
  type ActivityStore,
  type AlertRecord,
  type ListingError,
  newerFirst,
  type SyncFailureRecord,
  type SyncRunRecord,
  utcDay,
} from './activity';
import type { ListingKey, Page } from './store';

const listingId = (key: ListingKey) => JSON.stringify([key.marketplace, key.accountId, key.sku]);

function pageOf<T>(
  sorted: T[],
  limit: number,
  cursorOf: (item: T) => ActivityCursor,
): Page<T, ActivityCursor> {
  const items = sorted.slice(0, limit);
  const last = items.at(-1);
  return sorted.length > limit && last !== undefined ? { items, next: cursorOf(last) } : { items };
}

/**
 * The reference {@link ActivityStore}: everything in this process's memory, for tests, demos and
 * one-process apps. Values are copied in and out, and every method does its work before its
 * promise settles, so concurrent calls never interleave.
 *
 * @example
 * const activity = createMemoryActivityStore();
 * recordSyncActivity(productSync, activity);
 */
export function createMemoryActivityStore(): ActivityStore {
  const runs = new Map<string, SyncRunRecord>();
  const failures = new Map<string, SyncFailureRecord>();
  const alerts = new Map<string, AlertRecord>();
  const listingErrors = new Map<string, ListingError>();
  const runCursor = (run: SyncRunRecord): ActivityCursor => ({ at: run.startedAt, id: run.id });
  const failureCursor = (failure: SyncFailureRecord): ActivityCursor => ({ at: failure.at, id: failure.id });
  const openAlertWithKey = (key: string) =>
    [...alerts.values()].find((alert) => alert.key === key && alert.resolvedAt === undefined);

  return {
    async startRun(start) {
      const existing = runs.get(start.id);
      if (existing) return { created: false, run: { ...existing } };
      const run: SyncRunRecord = { ...start, status: 'running', done: 0, failed: 0 };
      runs.set(run.id, run);
      return { created: true, run: { ...run } };
    },
    async finishRun(start, outcome) {
      const existing = runs.get(start.id);
      if (existing && existing.status !== 'running') return { ...existing };
      const run: SyncRunRecord = {
        ...(existing ?? start),
        status: outcome.status,
        finishedAt: outcome.finishedAt,
        done: outcome.done,
        failed: outcome.failed,
      };
      runs.set(run.id, run);
      return { ...run };
    },
    async getRun(id) {
      const run = runs.get(id);
      return run && { ...run };
    },
    async listRuns(filter) {
      const after = filter.after;
      const matching = [...runs.values()]
        .filter(
          (run) =>
            (filter.kind === undefined || run.kind === filter.kind) &&
            (filter.marketplace === undefined || run.marketplace === filter.marketplace) &&
            (filter.accountId === undefined || run.accountId === filter.accountId) &&
            (after === undefined || newerFirst(after, runCursor(run)) < 0),
        )
        .sort((a, b) => newerFirst(runCursor(a), runCursor(b)))
        .map((run) => ({ ...run }));
      return pageOf(matching, filter.limit, runCursor);
    },

    async recordFailure(failure) {
      if (failures.has(failure.id)) return { recorded: false };
      failures.set(failure.id, { ...failure });
      if (failure.sku !== undefined) {
        const key = { marketplace: failure.marketplace, accountId: failure.accountId, sku: failure.sku };
        const current = listingErrors.get(listingId(key));
        if (current === undefined || current.at <= failure.at) {
          listingErrors.set(listingId(key), {
            ...key,
            stage: failure.stage,
            reason: failure.reason,
            at: failure.at,
            failureId: failure.id,
          });
        }
      }
      return { recorded: true };
    },
    async getFailure(id) {
      const failure = failures.get(id);
      return failure && { ...failure };
    },
    async listFailures(filter) {
      const after = filter.after;
      const matching = [...failures.values()]
        .filter(
          (failure) =>
            (filter.status === undefined ||
              (filter.status === 'open') === (failure.resolvedAt === undefined)) &&
            (filter.runId === undefined || failure.runId === filter.runId) &&
            (filter.marketplace === undefined || failure.marketplace === filter.marketplace) &&
            (filter.accountId === undefined || failure.accountId === filter.accountId) &&
            (after === undefined || newerFirst(after, failureCursor(failure)) < 0),
        )
        .sort((a, b) => newerFirst(failureCursor(a), failureCursor(b)))
        .map((failure) => ({ ...failure }));
      return pageOf(matching, filter.limit, failureCursor);
    },
    async resolveFailures(match, at) {
      let resolved = 0;
      for (const failure of failures.values()) {
        if (
          failure.resolvedAt === undefined &&
          failure.marketplace === match.marketplace &&
          failure.accountId === match.accountId &&
          (match.kind === undefined || failure.kind === match.kind) &&
          (match.sku === undefined || failure.sku === match.sku) &&
          (match.orderId === undefined || failure.orderId === match.orderId)
        ) {
          failure.resolvedAt = at;
          resolved += 1;
        }
      }
      return resolved;
    },

    async openAlert(open) {
      const existing = openAlertWithKey(open.key);
      if (existing) return { opened: false, alert: { ...existing } };
      const alert: AlertRecord = { ...open };
      alerts.set(alert.id, alert);
      return { opened: true, alert: { ...alert } };
    },
    async listAlerts(filter) {
      const open = filter.status === 'open';
      return [...alerts.values()]
        .filter((alert) => (alert.resolvedAt === undefined) === open)
        .sort((a, b) =>
          open
            ? a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1)
            : (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0) || (a.id < b.id ? 1 : -1),
        )
        .slice(0, filter.limit)
        .map((alert) => ({ ...alert }));
    },
    async resolveAlert(id, at) {
      const alert = alerts.get(id);
      if (!alert) return undefined;
      alert.resolvedAt ??= at;
      return { ...alert };
    },

    async getListingErrors(keys) {
      return keys.flatMap((key) => {
        const error = listingErrors.get(listingId(key));
        return error ? [{ ...error }] : [];
      });
    },
    async resolveListings(keys, at) {
      for (const key of keys) {
        const id = listingId(key);
        const error = listingErrors.get(id);
        if (error && error.at <= at) listingErrors.delete(id);
        for (const failure of failures.values()) {
          if (
            failure.resolvedAt === undefined &&
            failure.at <= at &&
            failure.marketplace === key.marketplace &&
            failure.accountId === key.accountId &&
            failure.sku === key.sku
          )
            failure.resolvedAt = at;
        }
        for (const alert of alerts.values()) {
          if (
            alert.resolvedAt === undefined &&
            alert.kind === 'sync_failure' &&
            alert.openedAt <= at &&
            alert.marketplace === key.marketplace &&
            alert.accountId === key.accountId &&
            alert.sku === key.sku
          )
            alert.resolvedAt = at;
        }
      }
    },

    async resolveItemFailures(keys, stage, at) {
      for (const key of keys) {
        const ofItem = (failure: SyncFailureRecord) =>
          failure.resolvedAt === undefined &&
          failure.marketplace === key.marketplace &&
          failure.accountId === key.accountId &&
          failure.sku === key.sku;
        for (const failure of failures.values()) {
          if (ofItem(failure) && failure.stage === stage && failure.at <= at) failure.resolvedAt = at;
        }
        if ([...failures.values()].some(ofItem)) continue;
        for (const alert of alerts.values()) {
          if (
            alert.resolvedAt === undefined &&
            alert.kind === 'sync_failure' &&
            alert.marketplace === key.marketplace &&
            alert.accountId === key.accountId &&
            alert.sku === key.sku
          )
            alert.resolvedAt = at;
        }
      }
    },

    async countFailuresByDay(since) {
      const counts = new Map<string, number>();
      for (const failure of failures.values()) {
        if (failure.at >= since) counts.set(utcDay(failure.at), (counts.get(utcDay(failure.at)) ?? 0) + 1);
      }
      return [...counts.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([day, count]) => ({ day, count }));
    },
    async prune(before) {
      for (const [id, run] of runs) {
        if (run.finishedAt !== undefined && run.finishedAt < before) runs.delete(id);
      }
      for (const [id, failure] of failures) {
        if (failure.resolvedAt !== undefined && failure.at < before && !runs.has(failure.runId))
          failures.delete(id);
      }
      for (const [id, alert] of alerts) {
        if (alert.resolvedAt !== undefined && alert.resolvedAt < before) alerts.delete(id);
      }
    },
  };
}
