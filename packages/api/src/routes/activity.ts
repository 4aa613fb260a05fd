import {
  type Logger,
  type MarketplaceId,
  NotFoundError,
  type StoredTokenSet,
  silentLogger,
  type TokenStore,
  ValidationError,
} from '@mlh/core';
import {
  type ActivityCursor,
  type ActivityStore,
  type AlertRecord,
  contentHashSync,
  type InventorySync,
  type OrderSync,
  type ProductSync,
  runOutcomeOf,
  type SyncFailureRecord,
  type SyncRunRecord,
  type SyncRunStart,
  type SyncStore,
  syncFailureId,
  utcDay,
} from '@mlh/sync';
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { ApiContext, ApiEnv } from '../context';
import { decodeCursor, encodeCursor } from '../cursor';
import type { IdempotencyStore } from '../idempotency';
import type { AccountDirectory } from '../options';
import { ApiProblem } from '../problem';
import {
  AlertListQuery,
  type AlertView,
  StatsQuery,
  SyncFailureListQuery,
  type SyncFailureView,
  SyncRunListQuery,
  SyncRunTriggerBody,
  type SyncRunView,
} from '../schemas';
import { idempotencyGuard, parseJsonBody, parseQuery, requireScope } from '../security';
import { listAccounts, tokenHealth } from './accounts';

/**
 * The orchestrators the API may start (`POST /sync/runs`, `POST /sync/failures/{id}/retry`). Attach
 * `recordSyncActivity` to each, as on every worker, so their failures reach the activity store.
 */
export interface ApiSyncOptions {
  products?: ProductSync | undefined;
  orders?: OrderSync | undefined;
  inventory?: InventorySync | undefined;
  /**
   * Receives each started run's promise. On Cloudflare Workers the API also hands it to
   * `executionCtx.waitUntil`; elsewhere use this to await runs at shutdown (or in tests).
   */
  background?: ((run: Promise<void>) => void) | undefined;
}

/**
 * How long a run may stay unfinished before the API shows it `abandoned` (its process most likely
 * died): 24 hours, by default. Only the answer says so; a run that does finish later shows its
 * real end.
 */
export const RUN_ABANDONED_AFTER_MS = 86_400_000;

/** How long before a token can no longer be renewed a `token_expiring` alert opens: 7 days. */
export const TOKEN_EXPIRY_WARNING_MS = 7 * 86_400_000;
const DEFAULT_PAGE_SIZE = 50;
const ALERT_LIMIT = 100;
const DAY_MS = 86_400_000;

const ActivityCursorSchema = z.object({ at: z.number(), id: z.string() });
const iso = (at: number) => new Date(at).toISOString();

/**
 * A run as the API answers it; a run still `running` after `abandonedAfterMs` shows `abandoned`.
 */
export function runView(run: SyncRunRecord, now: number, abandonedAfterMs: number): SyncRunView {
  const abandoned = run.status === 'running' && now - run.startedAt > abandonedAfterMs;
  return {
    id: run.id,
    kind: run.kind,
    ...(run.marketplace === undefined ? {} : { marketplace: String(run.marketplace) }),
    ...(run.accountId === undefined ? {} : { accountId: run.accountId }),
    status: abandoned ? 'abandoned' : run.status,
    startedAt: iso(run.startedAt),
    ...(run.finishedAt === undefined ? {} : { finishedAt: iso(run.finishedAt) }),
    done: run.done,
    failed: run.failed,
  };
}

/** A failure as the API answers it. */
export function failureView(failure: SyncFailureRecord): SyncFailureView {
  return {
    id: failure.id,
    runId: failure.runId,
    kind: failure.kind,
    marketplace: String(failure.marketplace),
    accountId: failure.accountId,
    ...(failure.sku === undefined ? {} : { sku: failure.sku }),
    ...(failure.orderId === undefined ? {} : { orderId: failure.orderId }),
    stage: failure.stage,
    reason: failure.reason,
    retryable: failure.retryable,
    at: iso(failure.at),
    ...(failure.resolvedAt === undefined ? {} : { resolvedAt: iso(failure.resolvedAt) }),
  };
}

/** An alert as the API shows it: times as ISO strings. */
export function alertView(alert: AlertRecord): AlertView {
  return {
    id: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    marketplace: String(alert.marketplace),
    accountId: alert.accountId,
    ...(alert.sku === undefined ? {} : { sku: alert.sku }),
    title: alert.title,
    detail: alert.detail,
    openedAt: iso(alert.openedAt),
    ...(alert.resolvedAt === undefined ? {} : { resolvedAt: iso(alert.resolvedAt) }),
  };
}

/** The id of a token alert: derived, so it is the same on every request and every process. */
function tokenAlertId(kind: string, marketplace: string, accountId: string): string {
  return `token.${kind}.${marketplace}.${accountId}`;
}

/**
 * The token alerts of one account, from what is stored: `reauthorization_required` (critical)
 * when the seller must authorize again or the account has no tokens; `token_expiring` (warning)
 * when the token that renews access (the refresh token, or the access token without one) ends
 * within {@link TOKEN_EXPIRY_WARNING_MS}.
 */
export function tokenAlerts(
  account: { marketplace: MarketplaceId; accountId: string; label?: string | undefined },
  tokens: StoredTokenSet | undefined,
  now: number,
): AlertView[] {
  const marketplace = String(account.marketplace);
  const name = account.label ?? `${marketplace} ${account.accountId}`;
  const health = tokenHealth(tokens, now);
  if (health === 'reauthorization_required' || health === 'disconnected') {
    return [
      {
        id: tokenAlertId('reauthorization_required', marketplace, account.accountId),
        kind: 'reauthorization_required',
        severity: 'critical',
        marketplace,
        accountId: account.accountId,
        title: `${name}: the seller must authorize again`,
        detail:
          health === 'disconnected'
            ? 'The account has no tokens (it was disconnected or never authorized).'
            : 'The tokens can no longer be renewed: send the seller through the authorization flow.',
        openedAt: iso(tokens ? Math.min(now, tokens.refreshExpiresAt ?? tokens.expiresAt) : now),
      },
    ];
  }
  const renewableUntil = tokens?.refreshToken !== undefined ? tokens.refreshExpiresAt : tokens?.expiresAt;
  if (renewableUntil === undefined || renewableUntil - now > TOKEN_EXPIRY_WARNING_MS) return [];
  return [
    {
      id: tokenAlertId('token_expiring', marketplace, account.accountId),
      kind: 'token_expiring',
      severity: 'warning',
      marketplace,
      accountId: account.accountId,
      title: `${name}: authorization ends soon`,
      detail: `The seller's authorization can be renewed until ${iso(renewableUntil)}; after that they must authorize again.`,
      openedAt: iso(renewableUntil - TOKEN_EXPIRY_WARNING_MS),
    },
  ];
}

/** Options of {@link activityRoutes}. */
export interface ActivityRouteOptions {
  activity: ActivityStore;
  sync?: ApiSyncOptions | undefined;
  syncStore: SyncStore;
  tokenStore: TokenStore;
  accounts: AccountDirectory;
  idempotency: IdempotencyStore;
  logger?: Logger | undefined;
  clock: () => number;
  /** Default {@link RUN_ABANDONED_AFTER_MS}. */
  runAbandonedAfterMs?: number | undefined;
}

/** What a run started through the API does, once recorded. */
type RunStarter = () => Promise<unknown>;

/** A run id derived from the request's idempotency key: a retry on any process finds the same run. */
async function runIdFor(idempotencyKey: string): Promise<string> {
  const bytes = new TextEncoder().encode(`sync-run\n${idempotencyKey}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return `api-${Array.from(digest.subarray(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function handBackground(c: ApiContext, run: Promise<void>, sync: ApiSyncOptions | undefined): void {
  sync?.background?.(run);
  try {
    c.executionCtx.waitUntil(run);
  } catch {
    // Not on a Workers-like runtime: the promise runs on in this process.
  }
}

/**
 * `/sync/runs`, `/sync/failures`, `/alerts` and `/stats`: the history the activity store keeps,
 * and runs started in the background through the configured orchestrators.
 */
export function activityRoutes(options: ActivityRouteOptions): Hono<ApiEnv> {
  const { activity, clock } = options;
  const logger = options.logger ?? silentLogger;
  const abandonedAfterMs = options.runAbandonedAfterMs ?? RUN_ABANDONED_AFTER_MS;
  const view = (run: SyncRunRecord) => runView(run, clock(), abandonedAfterMs);
  const routes = new Hono<ApiEnv>();
  const notConfigured = (kind: string) =>
    new NotFoundError(`No orchestrator for ${kind} runs is configured in this API (the sync option)`);

  /**
   * Records the run, answers 202 with its id and runs it in the background. The run id comes from
   * the idempotency key, so a repeated request (even on another process) starts nothing new.
   */
  const startInBackground = async (
    c: ApiContext,
    start: Omit<SyncRunStart, 'id' | 'startedAt'>,
    runner: (runId: string) => RunStarter,
  ) => {
    const runId = await runIdFor(c.get('idempotencyKey'));
    const recorded: SyncRunStart = { ...start, id: runId, startedAt: clock() };
    const { created } = await activity.startRun(recorded);
    if (created) {
      const recordOutcome = async (summary: unknown) => {
        await activity.finishRun(recorded, runOutcomeOf(summary, clock()));
      };
      // A run that throws (the store failed, a bug) is recorded failed, with a failure when it
      // concerned one account; its reason is the error's name and message (the SDK's are redacted).
      const recordCrash = async (error: unknown) => {
        logger.error('sync run failed', {
          runId,
          kind: start.kind,
          error: error instanceof Error ? error.name : typeof error,
        });
        if (start.marketplace !== undefined && start.accountId !== undefined) {
          const failure = {
            runId,
            kind: start.kind,
            marketplace: start.marketplace,
            accountId: start.accountId,
            stage: 'run',
            reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            retryable: true,
            at: clock(),
          };
          await activity.recordFailure({ ...failure, id: syncFailureId(failure, contentHashSync) });
        }
        await activity.finishRun(recorded, { status: 'failed', finishedAt: clock(), done: 0, failed: 1 });
      };
      const run = runner(runId)()
        .then(recordOutcome, recordCrash)
        .catch(() => logger.error('sync run: the activity store failed to record its end', { runId }));
      handBackground(c, run, options.sync);
    }
    return c.json({ runId }, 202);
  };

  const productRun = (skus?: readonly string[]) => {
    const products = options.sync?.products;
    if (!products) throw notConfigured('products');
    return (runId: string) => () => products.run({ runId, ...(skus ? { skus } : {}) });
  };
  const pollRun = (marketplace: MarketplaceId, accountId: string) => {
    const orders = options.sync?.orders;
    if (!orders) throw notConfigured('orders.poll');
    return (runId: string) => () => orders.poll({ marketplace, accountId }, { runId });
  };
  const reconcileRun = () => {
    const inventory = options.sync?.inventory;
    if (!inventory) throw notConfigured('inventory.reconcile');
    return (runId: string) => () => inventory.reconcile({ runId, repair: true });
  };

  routes.get('/sync/runs', requireScope('read'), async (c) => {
    const query = parseQuery(c, SyncRunListQuery);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ActivityCursorSchema);
    const page = await activity.listRuns({
      kind: query.kind,
      marketplace: query.marketplace,
      accountId: query.accountId,
      after: after as ActivityCursor | undefined,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
    });
    return c.json({
      items: page.items.map(view),
      ...(page.next === undefined ? {} : { nextCursor: encodeCursor(page.next) }),
    });
  });

  routes.get('/sync/runs/:id', requireScope('read'), async (c) => {
    const id = c.req.param('id');
    const run = await activity.getRun(id);
    if (!run) throw new NotFoundError(`No sync run ${id}`);
    const failures: SyncFailureRecord[] = [];
    let after: ActivityCursor | undefined;
    do {
      const page = await activity.listFailures({ runId: id, after, limit: 100 });
      failures.push(...page.items);
      after = page.next;
    } while (after !== undefined && failures.length < 1000);
    return c.json({ ...view(run), failures: failures.map(failureView) });
  });

  routes.post(
    '/sync/runs',
    requireScope('operator'),
    idempotencyGuard(options.idempotency, clock),
    async (c) => {
      const body = await parseJsonBody(c, SyncRunTriggerBody);
      if (body.kind === 'orders.poll') {
        const missing = (['marketplace', 'accountId'] as const).filter((field) => body[field] === undefined);
        if (missing.length > 0) {
          throw new ValidationError(
            'Invalid body',
            missing.map((path) => ({
              path,
              message: 'is required for an orders.poll run',
              code: 'required',
            })),
          );
        }
        const marketplace = body.marketplace as MarketplaceId;
        const accountId = body.accountId as string;
        const served = (await listAccounts(options.accounts)).some(
          (account) => account.marketplace === marketplace && account.accountId === accountId,
        );
        if (!served)
          throw new NotFoundError(`No account ${accountId} on ${marketplace} is served by this API`);
        return startInBackground(
          c,
          { kind: 'orders.poll', marketplace, accountId },
          pollRun(marketplace, accountId),
        );
      }
      const extra = (['marketplace', 'accountId'] as const).filter((field) => body[field] !== undefined);
      if (extra.length > 0) {
        throw new ValidationError(
          'Invalid body',
          extra.map((path) => ({
            path,
            message: `is not accepted for a ${body.kind} run, which covers every account`,
            code: 'unexpected',
          })),
        );
      }
      return body.kind === 'products'
        ? startInBackground(c, { kind: 'products' }, productRun())
        : startInBackground(c, { kind: 'inventory.reconcile' }, reconcileRun());
    },
  );

  routes.get('/sync/failures', requireScope('read'), async (c) => {
    const query = parseQuery(c, SyncFailureListQuery);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ActivityCursorSchema);
    const page = await activity.listFailures({
      status: query.status,
      marketplace: query.marketplace,
      accountId: query.accountId,
      after: after as ActivityCursor | undefined,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
    });
    return c.json({
      items: page.items.map(failureView),
      ...(page.next === undefined ? {} : { nextCursor: encodeCursor(page.next) }),
    });
  });

  routes.post(
    '/sync/failures/:id/retry',
    requireScope('operator'),
    idempotencyGuard(options.idempotency, clock),
    async (c) => {
      const id = c.req.param('id');
      const failure = await activity.getFailure(id);
      if (!failure) throw new NotFoundError(`No sync failure ${id}`);
      if (failure.resolvedAt !== undefined) {
        throw new ApiProblem(409, 'conflict', 'failure_resolved', `Sync failure ${id} is resolved already`);
      }
      switch (failure.kind) {
        case 'products':
          return startInBackground(
            c,
            { kind: 'products' },
            productRun(failure.sku === undefined ? undefined : [failure.sku]),
          );
        case 'orders.poll':
        case 'orders.recover':
          return startInBackground(
            c,
            { kind: 'orders.poll', marketplace: failure.marketplace, accountId: failure.accountId },
            pollRun(failure.marketplace, failure.accountId),
          );
        default:
          return startInBackground(c, { kind: 'inventory.reconcile' }, reconcileRun());
      }
    },
  );

  routes.get('/alerts', requireScope('read'), async (c) => {
    const status = parseQuery(c, AlertListQuery).status ?? 'open';
    const stored = (await activity.listAlerts({ status, limit: ALERT_LIMIT })).map(alertView);
    if (status === 'resolved') return c.json({ items: stored });
    const now = clock();
    const accounts = await listAccounts(options.accounts);
    const derived = await Promise.all(
      accounts.map(async (account) =>
        tokenAlerts(account, await options.tokenStore.get(account.marketplace, account.accountId), now),
      ),
    );
    // Token alerts first: an account that cannot call its marketplace explains its sync failures.
    return c.json({ items: [...derived.flat(), ...stored] });
  });

  routes.post(
    '/alerts/:id/resolve',
    requireScope('operator'),
    idempotencyGuard(options.idempotency, clock),
    async (c) => {
      const id = c.req.param('id');
      if (id.startsWith('token.')) {
        throw new ApiProblem(
          409,
          'conflict',
          'alert_derived',
          'A token alert resolves itself once the seller has authorized again',
        );
      }
      const alert = await activity.resolveAlert(id, clock());
      if (!alert) throw new NotFoundError(`No alert ${id}`);
      return c.json(alertView(alert));
    },
  );

  routes.get('/stats', requireScope('read'), async (c) => {
    const days = parseQuery(c, StatsQuery).days ?? 14;
    const now = clock();
    const today = Date.parse(`${utcDay(now)}T00:00:00.000Z`);
    const since = today - (days - 1) * DAY_MS;
    const dayList = Array.from({ length: days }, (_, index) => utcDay(since + index * DAY_MS));
    const accounts = await listAccounts(options.accounts);
    const marketplaces = [...new Set(accounts.map((account) => String(account.marketplace)))];
    const orders = new Map<string, number>();
    for (const account of accounts) {
      let after: string | undefined;
      do {
        const page = await options.syncStore.listOrders({
          marketplace: account.marketplace,
          accountId: account.accountId,
          after,
          limit: 100,
        });
        for (const { order } of page.items) {
          const created = Date.parse(order.createdAt);
          if (!(created >= since)) continue;
          const key = `${utcDay(created)} ${String(account.marketplace)}`;
          orders.set(key, (orders.get(key) ?? 0) + 1);
        }
        after = page.next;
      } while (after !== undefined);
    }
    const failures = new Map(
      (await activity.countFailuresByDay(since)).map((entry) => [entry.day, entry.count] as const),
    );
    const ordersPerDay = dayList.flatMap((day) =>
      marketplaces.map((marketplace) => ({
        day,
        marketplace,
        count: orders.get(`${day} ${marketplace}`) ?? 0,
      })),
    );
    return c.json({
      ordersPerDay,
      failuresPerDay: dayList.map((day) => ({ day, count: failures.get(day) ?? 0 })),
      ordersToday: ordersPerDay
        .filter((entry) => entry.day === utcDay(now))
        .reduce((sum, e) => sum + e.count, 0),
    });
  });

  return routes;
}
