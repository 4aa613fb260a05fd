import type { MarketplaceId } from '@mlh/core';
import type {
  ActivityCursor,
  ActivityStore,
  AlertRecord,
  ListingError,
  Page,
  SyncFailureRecord,
  SyncRunKind,
  SyncRunRecord,
  SyncRunStart,
  SyncRunStatus,
} from '@mlh/sync';
import { type Naming, type Queryable, toNumber } from './db';

/** Options of {@link postgresActivityStore}. */
export interface PostgresActivityStoreOptions {
  /**
   * Keep finished runs, their resolved failures and resolved alerts this many days, then forget
   * them (checked at most once an hour, when a run finishes). Default: keep everything.
   */
  retentionDays?: number | undefined;
  /** Epoch ms, for retention. Default `Date.now`. */
  clock?: (() => number) | undefined;
}

interface RunRow {
  id: string;
  kind: string;
  marketplace: string | null;
  account_id: string | null;
  status: string;
  started_at: string;
  finished_at: string | null;
  done: number;
  failed: number;
}

interface FailureRow {
  id: string;
  run_id: string;
  kind: string;
  marketplace: string;
  account_id: string;
  sku: string | null;
  order_id: string | null;
  stage: string;
  reason: string;
  retryable: boolean;
  at: string;
  resolved_at: string | null;
}

interface AlertRow {
  id: string;
  key: string;
  kind: string;
  severity: string;
  marketplace: string;
  account_id: string;
  sku: string | null;
  title: string;
  detail: string;
  opened_at: string;
  resolved_at: string | null;
}

const RUN_COLUMNS = 'id, kind, marketplace, account_id, status, started_at, finished_at, done, failed';
const FAILURE_COLUMNS =
  'id, run_id, kind, marketplace, account_id, sku, order_id, stage, reason, retryable, at, resolved_at';
const ALERT_COLUMNS =
  'id, key, kind, severity, marketplace, account_id, sku, title, detail, opened_at, resolved_at';
const HOUR_MS = 3_600_000;

function runOf(row: RunRow): SyncRunRecord {
  return {
    id: row.id,
    kind: row.kind as SyncRunKind,
    ...(row.marketplace === null ? {} : { marketplace: row.marketplace as MarketplaceId }),
    ...(row.account_id === null ? {} : { accountId: row.account_id }),
    status: row.status as SyncRunStatus,
    startedAt: toNumber(row.started_at),
    ...(row.finished_at === null ? {} : { finishedAt: toNumber(row.finished_at) }),
    done: row.done,
    failed: row.failed,
  };
}

function failureOf(row: FailureRow): SyncFailureRecord {
  return {
    id: row.id,
    runId: row.run_id,
    kind: row.kind as SyncRunKind,
    marketplace: row.marketplace as MarketplaceId,
    accountId: row.account_id,
    ...(row.sku === null ? {} : { sku: row.sku }),
    ...(row.order_id === null ? {} : { orderId: row.order_id }),
    stage: row.stage,
    reason: row.reason,
    retryable: row.retryable,
    at: toNumber(row.at),
    ...(row.resolved_at === null ? {} : { resolvedAt: toNumber(row.resolved_at) }),
  };
}

function alertOf(row: AlertRow): AlertRecord {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind as AlertRecord['kind'],
    severity: row.severity as AlertRecord['severity'],
    marketplace: row.marketplace as MarketplaceId,
    accountId: row.account_id,
    ...(row.sku === null ? {} : { sku: row.sku }),
    title: row.title,
    detail: row.detail,
    openedAt: toNumber(row.opened_at),
    ...(row.resolved_at === null ? {} : { resolvedAt: toNumber(row.resolved_at) }),
  };
}

/** A newest-first page: one row more than asked tells whether there is a next page. */
function pageOf<T>(rows: T[], limit: number, cursorOf: (item: T) => ActivityCursor): Page<T, ActivityCursor> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return rows.length > limit && last !== undefined ? { items, next: cursorOf(last) } : { items };
}

/** Builds `WHERE` clauses with numbered parameters. */
function conditions() {
  const clauses: string[] = [];
  const params: unknown[] = [];
  return {
    params,
    add(clause: (placeholder: (value: unknown) => string) => string) {
      clauses.push(
        clause((value) => {
          params.push(value);
          return `$${params.length}`;
        }),
      );
    },
    where: () => (clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`),
  };
}

/**
 * The `ActivityStore` of `@mlh/sync` over PostgreSQL. Each write is one statement, so it is
 * atomic and idempotent under any number of processes: a failure id is inserted once, an alert
 * key has at most one open alert (a unique partial index), a finished run keeps its first
 * outcome. Batched lookups go key by key through the indexes, whatever the table statistics say.
 */
export function postgresActivityStore(
  pool: Queryable,
  naming: Naming,
  options: PostgresActivityStoreOptions = {},
): ActivityStore {
  const runs = naming.table('sync_runs');
  const failures = naming.table('sync_failures');
  const alerts = naming.table('sync_alerts');
  const errors = naming.table('listing_errors');
  const clock = options.clock ?? (() => Date.now());
  const retentionMs =
    options.retentionDays === undefined ? undefined : Math.max(1, options.retentionDays) * 86_400_000;
  let prunedAt = Number.NEGATIVE_INFINITY;

  const store: ActivityStore = {
    async startRun(start) {
      const { rows } = await pool.query<RunRow>(
        `INSERT INTO ${runs} (id, kind, marketplace, account_id, status, started_at, done, failed)
         VALUES ($1, $2, $3, $4, 'running', $5, 0, 0)
         ON CONFLICT (id) DO NOTHING
         RETURNING ${RUN_COLUMNS}`,
        [start.id, start.kind, start.marketplace ?? null, start.accountId ?? null, start.startedAt],
      );
      if (rows[0]) return { created: true, run: runOf(rows[0]) };
      const existing = await store.getRun(start.id);
      if (!existing) throw new Error(`Sync run ${start.id} vanished while it was being started`);
      return { created: false, run: existing };
    },

    async finishRun(start: SyncRunStart, outcome) {
      const { rows } = await pool.query<RunRow>(
        `WITH finished AS (
           INSERT INTO ${runs} AS r (id, kind, marketplace, account_id, status, started_at, finished_at, done, failed)
           VALUES ($1, $2, $3, $4, $6, $5, $7, $8, $9)
           ON CONFLICT (id) DO UPDATE
             SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at,
                 done = EXCLUDED.done, failed = EXCLUDED.failed
             WHERE r.status = 'running'
           RETURNING ${RUN_COLUMNS})
         SELECT ${RUN_COLUMNS} FROM finished
         UNION ALL
         SELECT ${RUN_COLUMNS} FROM ${runs} WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM finished)`,
        [
          start.id,
          start.kind,
          start.marketplace ?? null,
          start.accountId ?? null,
          start.startedAt,
          outcome.status,
          outcome.finishedAt,
          outcome.done,
          outcome.failed,
        ],
      );
      if (retentionMs !== undefined && clock() - prunedAt >= HOUR_MS) {
        await store.prune(clock() - retentionMs);
        prunedAt = clock();
      }
      return runOf(rows[0]!);
    },

    async getRun(id) {
      const { rows } = await pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${runs} WHERE id = $1`, [id]);
      return rows[0] ? runOf(rows[0]) : undefined;
    },

    async listRuns(filter) {
      const where = conditions();
      if (filter.kind !== undefined) where.add((p) => `kind = ${p(filter.kind)}`);
      if (filter.marketplace !== undefined) where.add((p) => `marketplace = ${p(filter.marketplace)}`);
      if (filter.accountId !== undefined) where.add((p) => `account_id = ${p(filter.accountId)}`);
      const after = filter.after;
      if (after) where.add((p) => `(started_at, id) < (${p(after.at)}, ${p(after.id)})`);
      const { rows } = await pool.query<RunRow>(
        `SELECT ${RUN_COLUMNS} FROM ${runs} ${where.where()}
         ORDER BY started_at DESC, id DESC LIMIT ${Math.max(1, filter.limit) + 1}`,
        where.params,
      );
      return pageOf(rows.map(runOf), filter.limit, (run) => ({ at: run.startedAt, id: run.id }));
    },

    async recordFailure(failure) {
      const { rows } = await pool.query<{ inserted: string }>(
        `WITH inserted AS (
           INSERT INTO ${failures} (${FAILURE_COLUMNS})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)
           ON CONFLICT (id) DO NOTHING
           RETURNING id, marketplace, account_id, sku, stage, reason, at),
         last_error AS (
           INSERT INTO ${errors} AS e (marketplace, account_id, sku, stage, reason, at, failure_id)
           SELECT marketplace, account_id, sku, stage, reason, at, id FROM inserted WHERE sku IS NOT NULL
           ON CONFLICT (marketplace, account_id, sku) DO UPDATE
             SET stage = EXCLUDED.stage, reason = EXCLUDED.reason, at = EXCLUDED.at, failure_id = EXCLUDED.failure_id
             WHERE e.at <= EXCLUDED.at)
         SELECT count(*) AS inserted FROM inserted`,
        [
          failure.id,
          failure.runId,
          failure.kind,
          failure.marketplace,
          failure.accountId,
          failure.sku ?? null,
          failure.orderId ?? null,
          failure.stage,
          failure.reason,
          failure.retryable,
          failure.at,
        ],
      );
      return { recorded: toNumber(rows[0]?.inserted) > 0 };
    },

    async getFailure(id) {
      const { rows } = await pool.query<FailureRow>(
        `SELECT ${FAILURE_COLUMNS} FROM ${failures} WHERE id = $1`,
        [id],
      );
      return rows[0] ? failureOf(rows[0]) : undefined;
    },

    async listFailures(filter) {
      const where = conditions();
      if (filter.status === 'open') where.add(() => 'resolved_at IS NULL');
      if (filter.status === 'resolved') where.add(() => 'resolved_at IS NOT NULL');
      if (filter.runId !== undefined) where.add((p) => `run_id = ${p(filter.runId)}`);
      if (filter.marketplace !== undefined) where.add((p) => `marketplace = ${p(filter.marketplace)}`);
      if (filter.accountId !== undefined) where.add((p) => `account_id = ${p(filter.accountId)}`);
      const after = filter.after;
      if (after) where.add((p) => `(at, id) < (${p(after.at)}, ${p(after.id)})`);
      const { rows } = await pool.query<FailureRow>(
        `SELECT ${FAILURE_COLUMNS} FROM ${failures} ${where.where()}
         ORDER BY at DESC, id DESC LIMIT ${Math.max(1, filter.limit) + 1}`,
        where.params,
      );
      return pageOf(rows.map(failureOf), filter.limit, (failure) => ({ at: failure.at, id: failure.id }));
    },

    async resolveFailures(match, at) {
      const where = conditions();
      where.add(() => 'resolved_at IS NULL');
      where.add((p) => `marketplace = ${p(match.marketplace)}`);
      where.add((p) => `account_id = ${p(match.accountId)}`);
      if (match.kind !== undefined) where.add((p) => `kind = ${p(match.kind)}`);
      if (match.sku !== undefined) where.add((p) => `sku = ${p(match.sku)}`);
      if (match.orderId !== undefined) where.add((p) => `order_id = ${p(match.orderId)}`);
      const time = where.params.length + 1;
      const result = await pool.query(`UPDATE ${failures} SET resolved_at = $${time} ${where.where()}`, [
        ...where.params,
        at,
      ]);
      return result.rowCount ?? 0;
    },

    async openAlert(open) {
      // Retried: the open alert met on conflict may be resolved before it is read.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const { rows } = await pool.query<AlertRow>(
          `INSERT INTO ${alerts} (${ALERT_COLUMNS})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL)
           ON CONFLICT (key) WHERE resolved_at IS NULL DO NOTHING
           RETURNING ${ALERT_COLUMNS}`,
          [
            open.id,
            open.key,
            open.kind,
            open.severity,
            open.marketplace,
            open.accountId,
            open.sku ?? null,
            open.title,
            open.detail,
            open.openedAt,
          ],
        );
        if (rows[0]) return { opened: true, alert: alertOf(rows[0]) };
        const existing = await pool.query<AlertRow>(
          `SELECT ${ALERT_COLUMNS} FROM ${alerts} WHERE key = $1 AND resolved_at IS NULL`,
          [open.key],
        );
        if (existing.rows[0]) return { opened: false, alert: alertOf(existing.rows[0]) };
      }
      throw new Error(`Alert ${open.key} kept being resolved while it was being opened`);
    },

    async listAlerts(filter) {
      const { rows } = await pool.query<AlertRow>(
        filter.status === 'open'
          ? `SELECT ${ALERT_COLUMNS} FROM ${alerts} WHERE resolved_at IS NULL ORDER BY opened_at, id LIMIT $1`
          : `SELECT ${ALERT_COLUMNS} FROM ${alerts} WHERE resolved_at IS NOT NULL
             ORDER BY resolved_at DESC, id DESC LIMIT $1`,
        [Math.max(1, filter.limit)],
      );
      return rows.map(alertOf);
    },

    async resolveAlert(id, at) {
      const { rows } = await pool.query<AlertRow>(
        `UPDATE ${alerts} SET resolved_at = COALESCE(resolved_at, $2) WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
        [id, at],
      );
      return rows[0] ? alertOf(rows[0]) : undefined;
    },

    async getListingErrors(keys) {
      if (keys.length === 0) return [];
      // One primary-key lookup per listing, whatever the statistics (see the sync store's lookups).
      const { rows } = await pool.query<{
        marketplace: string;
        account_id: string;
        sku: string;
        stage: string;
        reason: string;
        at: string;
        failure_id: string;
      }>(
        `SELECT e.marketplace, e.account_id, e.sku, e.stage, e.reason, e.at, e.failure_id
         FROM unnest($1::text[], $2::text[], $3::text[]) AS k(marketplace, account_id, sku)
         CROSS JOIN LATERAL (
           SELECT * FROM ${errors} e
           WHERE e.marketplace = k.marketplace AND e.account_id = k.account_id AND e.sku = k.sku OFFSET 0
         ) e`,
        [keys.map((k) => k.marketplace), keys.map((k) => k.accountId), keys.map((k) => k.sku)],
      );
      return rows.map(
        (row): ListingError => ({
          marketplace: row.marketplace as MarketplaceId,
          accountId: row.account_id,
          sku: row.sku,
          stage: row.stage,
          reason: row.reason,
          at: toNumber(row.at),
          failureId: row.failure_id,
        }),
      );
    },

    async resolveListings(keys, at) {
      if (keys.length === 0) return;
      const params = [
        keys.map((k) => k.marketplace),
        keys.map((k) => k.accountId),
        keys.map((k) => k.sku),
        at,
      ];
      const listingKeys = 'unnest($1::text[], $2::text[], $3::text[]) AS k(marketplace, account_id, sku)';
      // Each row is found through its index from the keys (LATERAL … OFFSET 0), then changed by
      // its primary key: no plan here scans a table, with or without statistics.
      await pool.query(
        `WITH cleared AS (
           DELETE FROM ${errors} d USING (
             SELECT e.marketplace, e.account_id, e.sku FROM ${listingKeys}
             CROSS JOIN LATERAL (
               SELECT marketplace, account_id, sku FROM ${errors} e
               WHERE e.marketplace = k.marketplace AND e.account_id = k.account_id AND e.sku = k.sku
                 AND e.at <= $4 OFFSET 0
             ) e
           ) found
           WHERE d.marketplace = found.marketplace AND d.account_id = found.account_id AND d.sku = found.sku
           RETURNING 1),
         failures_resolved AS (
           UPDATE ${failures} f SET resolved_at = $4 FROM (
             SELECT x.id FROM ${listingKeys}
             CROSS JOIN LATERAL (
               SELECT id FROM ${failures} x
               WHERE x.resolved_at IS NULL AND x.marketplace = k.marketplace AND x.account_id = k.account_id
                 AND x.sku = k.sku AND x.at <= $4 OFFSET 0
             ) x
           ) found
           WHERE f.id = found.id
           RETURNING 1),
         alerts_resolved AS (
           UPDATE ${alerts} a SET resolved_at = $4 FROM (
             SELECT y.id FROM ${listingKeys}
             CROSS JOIN LATERAL (
               SELECT id FROM ${alerts} y
               WHERE y.resolved_at IS NULL AND y.marketplace = k.marketplace AND y.account_id = k.account_id
                 AND y.sku = k.sku AND y.kind = 'sync_failure' AND y.opened_at <= $4 OFFSET 0
             ) y
           ) found
           WHERE a.id = found.id
           RETURNING 1)
         SELECT (SELECT count(*) FROM cleared) AS cleared, (SELECT count(*) FROM failures_resolved) AS failures,
                (SELECT count(*) FROM alerts_resolved) AS alerts`,
        params,
      );
    },

    async resolveItemFailures(keys, stage, at) {
      if (keys.length === 0) return;
      const params = [keys.map((k) => k.marketplace), keys.map((k) => k.accountId), keys.map((k) => k.sku)];
      const itemKeys = 'unnest($1::text[], $2::text[], $3::text[]) AS k(marketplace, account_id, sku)';
      await pool.query(
        `UPDATE ${failures} f SET resolved_at = $5 FROM (
           SELECT x.id FROM ${itemKeys}
           CROSS JOIN LATERAL (
             SELECT id FROM ${failures} x
             WHERE x.resolved_at IS NULL AND x.marketplace = k.marketplace AND x.account_id = k.account_id
               AND x.sku = k.sku AND x.stage = $4 AND x.at <= $5 OFFSET 0
           ) x
         ) found
         WHERE f.id = found.id`,
        [...params, stage, at],
      );
      // A second statement: it must see the failures the first one resolved.
      await pool.query(
        `UPDATE ${alerts} a SET resolved_at = $4 FROM (
           SELECT y.id FROM ${itemKeys}
           CROSS JOIN LATERAL (
             SELECT id FROM ${alerts} y
             WHERE y.resolved_at IS NULL AND y.kind = 'sync_failure' AND y.marketplace = k.marketplace
               AND y.account_id = k.account_id AND y.sku = k.sku OFFSET 0
           ) y
           WHERE NOT EXISTS (
             SELECT 1 FROM ${failures} o
             WHERE o.resolved_at IS NULL AND o.marketplace = k.marketplace AND o.account_id = k.account_id
               AND o.sku = k.sku
           )
         ) found
         WHERE a.id = found.id`,
        [...params, at],
      );
    },

    async countFailuresByDay(since) {
      const { rows } = await pool.query<{ day: string; count: string }>(
        `SELECT to_char(to_timestamp(at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS count
         FROM ${failures} WHERE at >= $1 GROUP BY 1 ORDER BY 1`,
        [since],
      );
      return rows.map((row) => ({ day: row.day, count: toNumber(row.count) }));
    },

    async prune(before) {
      await pool.query(`DELETE FROM ${runs} WHERE finished_at IS NOT NULL AND finished_at < $1`, [before]);
      await pool.query(
        `DELETE FROM ${failures} f WHERE f.at < $1 AND f.resolved_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM ${runs} r WHERE r.id = f.run_id)`,
        [before],
      );
      await pool.query(`DELETE FROM ${alerts} WHERE resolved_at IS NOT NULL AND resolved_at < $1`, [before]);
    },
  };
  return store;
}
