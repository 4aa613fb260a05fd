import type { MarketplaceId } from '@mlh/core';
import type { SyncRunKind } from './events';
import type { ListingKey, Page } from './store';

/** Where a run stands: `partial` when some items failed and others were done. */
export type SyncRunStatus = 'running' | 'succeeded' | 'partial' | 'failed';

/** One orchestrator run as the activity history keeps it. Times are epoch ms. */
export interface SyncRunRecord {
  id: string;
  kind: SyncRunKind;
  marketplace?: MarketplaceId | undefined;
  accountId?: string | undefined;
  status: SyncRunStatus;
  startedAt: number;
  finishedAt?: number | undefined;
  /** Items the run handled without a failure. */
  done: number;
  /** Failures the run reported. */
  failed: number;
}

/** What {@link ActivityStore.startRun} writes. */
export type SyncRunStart = Pick<SyncRunRecord, 'id' | 'kind' | 'marketplace' | 'accountId' | 'startedAt'>;

/** What {@link ActivityStore.finishRun} writes: the run's outcome, as absolute counts. */
export interface SyncRunOutcome {
  status: Exclude<SyncRunStatus, 'running'>;
  finishedAt: number;
  done: number;
  failed: number;
}

/** One failure of a run, kept until it is resolved (a later run succeeded for the same item). */
export interface SyncFailureRecord {
  /** Derived from the run and the item ({@link syncFailureId}), so a replayed event writes the same record. */
  id: string;
  runId: string;
  kind: SyncRunKind;
  marketplace: MarketplaceId;
  accountId: string;
  sku?: string | undefined;
  orderId?: string | undefined;
  stage: string;
  reason: string;
  retryable: boolean;
  at: number;
  resolvedAt?: number | undefined;
}

/** The kinds of alert; token alerts are derived from token health by the API, not stored. */
export type AlertKind = 'sync_failure' | 'token_expiring' | 'reauthorization_required';

/** Something an operator should look at. */
export interface AlertRecord {
  id: string;
  /** At most one open alert has a given key (`sync_failure:meli:123:MUG`): a repeat finds the open one. */
  key: string;
  kind: AlertKind;
  severity: 'warning' | 'critical';
  marketplace: MarketplaceId;
  accountId: string;
  /** The listing concerned, when there is one (a successful sync of it resolves the alert). */
  sku?: string | undefined;
  title: string;
  detail: string;
  openedAt: number;
  resolvedAt?: number | undefined;
}

/** What {@link ActivityStore.openAlert} writes when no alert with that key is open. */
export type AlertOpen = Omit<AlertRecord, 'resolvedAt'>;

/** The last failure of one listing, until a later sync of it succeeds. */
export interface ListingError extends ListingKey {
  stage: string;
  reason: string;
  at: number;
  /** The failure record it came from. */
  failureId: string;
}

/** Position in a newest-first listing: the last item of the previous page. */
export interface ActivityCursor {
  at: number;
  id: string;
}

/** Filter of {@link ActivityStore.listRuns}. */
export interface SyncRunFilter {
  kind?: SyncRunKind | undefined;
  marketplace?: MarketplaceId | undefined;
  accountId?: string | undefined;
  /** Runs strictly older than this position (the previous page's `next`). */
  after?: ActivityCursor | undefined;
  limit: number;
}

/** Filter of {@link ActivityStore.listFailures}. */
export interface SyncFailureFilter {
  status?: 'open' | 'resolved' | undefined;
  runId?: string | undefined;
  marketplace?: MarketplaceId | undefined;
  accountId?: string | undefined;
  after?: ActivityCursor | undefined;
  limit: number;
}

/** Which failures {@link ActivityStore.resolveFailures} resolves: open ones matching every field given. */
export interface SyncFailureMatch {
  kind?: SyncRunKind | undefined;
  marketplace: MarketplaceId;
  accountId: string;
  sku?: string | undefined;
  orderId?: string | undefined;
}

/**
 * Where the history of sync runs, their failures, alerts and each listing's last error live.
 * Every write is idempotent (a replayed event changes nothing more) and safe when several
 * processes share the store. The conformance battery is `describeActivityStoreConformance` of
 * `@mlh/sync/testing`.
 */
export interface ActivityStore {
  /** Records a run as running unless a run with this id exists; `created` says which. */
  startRun(run: SyncRunStart): Promise<{ created: boolean; run: SyncRunRecord }>;
  /**
   * Sets a run's outcome. A run not yet started is recorded finished; a run already finished
   * keeps its first outcome (a replay changes nothing). Resolves with the stored run.
   */
  finishRun(start: SyncRunStart, outcome: SyncRunOutcome): Promise<SyncRunRecord>;
  getRun(id: string): Promise<SyncRunRecord | undefined>;
  /** Runs newest first (by start time, then id). */
  listRuns(filter: SyncRunFilter): Promise<Page<SyncRunRecord, ActivityCursor>>;

  /**
   * Keeps a failure (once per id; `recorded` is false for a repeat) and, when it names a SKU,
   * makes it that listing's last error unless a newer one is there.
   */
  recordFailure(failure: Omit<SyncFailureRecord, 'resolvedAt'>): Promise<{ recorded: boolean }>;
  getFailure(id: string): Promise<SyncFailureRecord | undefined>;
  /** Failures newest first (by time, then id). */
  listFailures(filter: SyncFailureFilter): Promise<Page<SyncFailureRecord, ActivityCursor>>;
  /** Resolves the open failures that match; resolves with how many. */
  resolveFailures(match: SyncFailureMatch, at: number): Promise<number>;

  /** Opens an alert unless one with its key is open; either way resolves with the open alert. */
  openAlert(alert: AlertOpen): Promise<{ opened: boolean; alert: AlertRecord }>;
  /** Open alerts (oldest first) or resolved ones (most recently resolved first), at most `limit`. */
  listAlerts(filter: { status: 'open' | 'resolved'; limit: number }): Promise<AlertRecord[]>;
  /** Resolves an alert (an already resolved one keeps its time); undefined when there is none. */
  resolveAlert(id: string, at: number): Promise<AlertRecord | undefined>;

  /** The last errors of these listings; listings without one are omitted. */
  getListingErrors(keys: readonly ListingKey[]): Promise<ListingError[]>;
  /**
   * A listing synced: clears each one's last error (when not newer than `at`), resolves its open
   * failures and its open `sync_failure` alerts.
   */
  resolveListings(keys: readonly ListingKey[], at: number): Promise<void>;

  /**
   * One step succeeded for these items (`sku` is the SKU the failures name, e.g. a variant's for
   * `stock`): resolves their open failures at that stage (when not newer than `at`), then the open
   * `sync_failure` alerts of those items that have no open failure left.
   */
  resolveItemFailures(keys: readonly ListingKey[], stage: string, at: number): Promise<void>;

  /** Counts failures per UTC day (`YYYY-MM-DD`) from `since` on, days in ascending order. */
  countFailuresByDay(since: number): Promise<{ day: string; count: number }[]>;
  /** Forgets runs finished before `before` with their resolved failures, and alerts resolved before it; open failures and alerts stay. */
  prune(before: number): Promise<void>;
}

/** The id of a failure record: the same for the same item failing the same way in the same run. */
export function syncFailureId(
  failure: Pick<SyncFailureRecord, 'runId' | 'marketplace' | 'accountId' | 'sku' | 'orderId' | 'stage'>,
  hash: (value: unknown) => string,
): string {
  return hash([
    failure.runId,
    failure.marketplace,
    failure.accountId,
    failure.sku ?? null,
    failure.orderId ?? null,
    failure.stage,
  ]).slice(0, 32);
}

/** The dedupe key of a listing's (or an account step's) `sync_failure` alert. */
export function syncFailureAlertKey(failure: {
  marketplace: MarketplaceId;
  accountId: string;
  sku?: string | undefined;
  orderId?: string | undefined;
  stage: string;
}): string {
  const item =
    failure.sku !== undefined
      ? `sku:${failure.sku}`
      : failure.orderId !== undefined
        ? `order:${failure.orderId}`
        : `stage:${failure.stage}`;
  return `sync_failure:${failure.marketplace}:${failure.accountId}:${item}`;
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Whether `a` comes before `b` in newest-first order (later time first, then greater id). */
export function newerFirst(a: ActivityCursor, b: ActivityCursor): number {
  if (a.at !== b.at) return b.at - a.at;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
