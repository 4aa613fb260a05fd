import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityStore, AlertOpen, SyncFailureRecord, SyncRunStart } from './activity';

/**
 * The conformance battery every {@link ActivityStore} runs (`@mlh/sync/testing`): runs, failures,
 * alerts and listing errors, their paging, and the idempotency and deduplication a fleet of
 * processes writing the same events relies on.
 */

/** What the factory of {@link describeActivityStoreConformance} returns: a fresh, empty store. */
export interface ActivityStoreUnderTest {
  store: ActivityStore;
  /** Called after each test (drop the schema, close the pool, ...). */
  cleanup?: () => Promise<void> | void;
}

const DAY = 86_400_000;
/** 2026-03-01T00:00:00Z. */
const T0 = Date.UTC(2026, 2, 1);

function run(id: string, overrides: Partial<SyncRunStart> = {}): SyncRunStart {
  return { id, kind: 'products', startedAt: T0, ...overrides };
}

function failure(
  id: string,
  overrides: Partial<Omit<SyncFailureRecord, 'resolvedAt'>> = {},
): Omit<SyncFailureRecord, 'resolvedAt'> {
  return {
    id,
    runId: 'run-1',
    kind: 'products',
    marketplace: 'meli',
    accountId: '100',
    sku: 'MUG',
    stage: 'create',
    reason: 'title too long',
    retryable: false,
    at: T0,
    ...overrides,
  };
}

function alert(id: string, overrides: Partial<AlertOpen> = {}): AlertOpen {
  return {
    id,
    key: 'sync_failure:meli:100:sku:MUG',
    kind: 'sync_failure',
    severity: 'critical',
    marketplace: 'meli',
    accountId: '100',
    sku: 'MUG',
    title: 'products: MUG failed',
    detail: 'create: title too long',
    openedAt: T0,
    ...overrides,
  };
}

/**
 * Declares the conformance suite for an activity store. The factory is called before every test
 * and must return an empty store.
 *
 * @example
 * describeActivityStoreConformance('PostgresActivityStore', async () => {
 *   const store = await createPostgresActivityStore({ connectionString, schema: `t_${Date.now()}` });
 *   return { store, cleanup: () => store.close() };
 * });
 */
export function describeActivityStoreConformance(
  name: string,
  factory: () => Promise<ActivityStoreUnderTest>,
): void {
  describe(`ActivityStore conformance: ${name}`, () => {
    let store: ActivityStore;
    let cleanup: (() => Promise<void> | void) | undefined;

    beforeEach(async () => {
      const made = await factory();
      store = made.store;
      cleanup = made.cleanup;
    });

    afterEach(async () => {
      await cleanup?.();
    });

    describe('runs', () => {
      it('starts a run once, finishes it once: a replay changes nothing', async () => {
        const start = run('r1', { kind: 'orders.poll', marketplace: 'shopee', accountId: '7' });
        expect(await store.startRun(start)).toEqual({
          created: true,
          run: { ...start, status: 'running', done: 0, failed: 0 },
        });
        expect((await store.startRun({ ...start, startedAt: T0 + 5 })).created).toBe(false);
        const outcome = { status: 'partial' as const, finishedAt: T0 + 10, done: 4, failed: 1 };
        expect(await store.finishRun(start, outcome)).toEqual({ ...start, ...outcome });
        await store.finishRun(start, { status: 'succeeded', finishedAt: T0 + 20, done: 9, failed: 0 });
        expect(await store.getRun('r1')).toEqual({ ...start, ...outcome });
        // A start that arrives after the finish does not reopen it.
        expect((await store.startRun(start)).run.status).toBe('partial');
      });

      it('records a run finished without a start, and answers undefined for an unknown id', async () => {
        const outcome = { status: 'succeeded' as const, finishedAt: T0 + 1, done: 2, failed: 0 };
        expect(await store.finishRun(run('late'), outcome)).toMatchObject({ id: 'late', ...outcome });
        expect(await store.getRun('nope')).toBeUndefined();
      });

      it('lists runs newest first with filters and a cursor that loses nothing', async () => {
        for (let index = 0; index < 5; index += 1) {
          await store.startRun(
            run(`r${index}`, {
              startedAt: T0 + Math.floor(index / 2) * 1000,
              kind: index % 2 === 0 ? 'products' : 'orders.poll',
              ...(index % 2 === 0 ? {} : { marketplace: 'meli', accountId: '100' }),
            }),
          );
        }
        const ids: string[] = [];
        let after: Awaited<ReturnType<ActivityStore['listRuns']>>['next'];
        do {
          const page = await store.listRuns({ limit: 2, after });
          ids.push(...page.items.map((item) => item.id));
          after = page.next;
        } while (after !== undefined);
        // Same start time: the greater id first.
        expect(ids).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
        const polls = await store.listRuns({ limit: 10, kind: 'orders.poll' });
        expect(polls.items.map((item) => item.id)).toEqual(['r3', 'r1']);
        expect(polls.next).toBeUndefined();
        expect(
          (await store.listRuns({ limit: 10, marketplace: 'meli', accountId: '100' })).items,
        ).toHaveLength(2);
        expect((await store.listRuns({ limit: 10, accountId: '999' })).items).toEqual([]);
      });

      it('starts a run once when many processes start it at the same time', async () => {
        const results = await Promise.all(Array.from({ length: 8 }, () => store.startRun(run('same'))));
        expect(results.filter((result) => result.created)).toHaveLength(1);
      });
    });

    describe('failures', () => {
      it('records a failure once per id and reads it back', async () => {
        expect(await store.recordFailure(failure('f1'))).toEqual({ recorded: true });
        expect(await store.recordFailure(failure('f1', { reason: 'other' }))).toEqual({ recorded: false });
        expect(await store.getFailure('f1')).toEqual(failure('f1'));
        expect(await store.getFailure('nope')).toBeUndefined();
        const concurrent = await Promise.all(
          Array.from({ length: 6 }, () => store.recordFailure(failure('f2'))),
        );
        expect(concurrent.filter((result) => result.recorded)).toHaveLength(1);
      });

      it('lists failures newest first, by status, run and account, with a cursor', async () => {
        await store.recordFailure(failure('a', { at: T0 }));
        await store.recordFailure(failure('b', { at: T0 + 1, runId: 'run-2', accountId: '200' }));
        await store.recordFailure(
          failure('c', { at: T0 + 1, sku: undefined, orderId: 'O-1', kind: 'orders.poll' }),
        );
        await store.recordFailure(failure('d', { at: T0 + 2, marketplace: 'shopee' }));
        const first = await store.listFailures({ limit: 2 });
        expect(first.items.map((item) => item.id)).toEqual(['d', 'c']);
        const second = await store.listFailures({ limit: 2, after: first.next });
        expect(second.items.map((item) => item.id)).toEqual(['b', 'a']);
        expect(second.next).toBeUndefined();
        expect(
          (await store.listFailures({ limit: 10, runId: 'run-2' })).items.map((item) => item.id),
        ).toEqual(['b']);
        expect(
          (await store.listFailures({ limit: 10, marketplace: 'meli', accountId: '100' })).items.map(
            (item) => item.id,
          ),
        ).toEqual(['c', 'a']);
        expect((await store.getFailure('c'))?.orderId).toBe('O-1');
        expect((await store.getFailure('c'))?.sku).toBeUndefined();
      });

      it('resolves the open failures that match, once, and lists them by status', async () => {
        await store.recordFailure(failure('p1', { kind: 'orders.poll', sku: undefined, stage: 'list' }));
        await store.recordFailure(failure('p2', { kind: 'orders.poll', sku: undefined, orderId: 'O-9' }));
        await store.recordFailure(failure('m1'));
        await store.recordFailure(
          failure('other', { kind: 'orders.poll', sku: undefined, accountId: '200' }),
        );
        expect(
          await store.resolveFailures(
            { kind: 'orders.poll', marketplace: 'meli', accountId: '100' },
            T0 + 50,
          ),
        ).toBe(2);
        expect(
          await store.resolveFailures(
            { kind: 'orders.poll', marketplace: 'meli', accountId: '100' },
            T0 + 60,
          ),
        ).toBe(0);
        expect((await store.getFailure('p1'))?.resolvedAt).toBe(T0 + 50);
        const open = await store.listFailures({ limit: 10, status: 'open' });
        expect(open.items.map((item) => item.id).sort()).toEqual(['m1', 'other']);
        const resolved = await store.listFailures({ limit: 10, status: 'resolved' });
        expect(resolved.items.map((item) => item.id).sort()).toEqual(['p1', 'p2']);
      });

      it('counts failures per UTC day from a given instant', async () => {
        await store.recordFailure(failure('x1', { at: T0 - DAY }));
        await store.recordFailure(failure('x2', { at: T0 + 5 }));
        await store.recordFailure(failure('x3', { at: T0 + DAY - 1 }));
        await store.recordFailure(failure('x4', { at: T0 + 2 * DAY + 7 }));
        expect(await store.countFailuresByDay(T0)).toEqual([
          { day: '2026-03-01', count: 2 },
          { day: '2026-03-03', count: 1 },
        ]);
      });
    });

    describe('listing errors', () => {
      const mug = { marketplace: 'meli' as const, accountId: '100', sku: 'MUG' };
      const cap = { marketplace: 'meli' as const, accountId: '100', sku: 'CAP' };

      it("keeps a listing's newest failure as its last error", async () => {
        await store.recordFailure(failure('e2', { at: T0 + 20, reason: 'newer' }));
        await store.recordFailure(failure('e1', { at: T0 + 10, reason: 'older' }));
        await store.recordFailure(failure('o1', { sku: undefined, orderId: 'O-1' }));
        expect(await store.getListingErrors([mug, cap])).toEqual([
          { ...mug, stage: 'create', reason: 'newer', at: T0 + 20, failureId: 'e2' },
        ]);
        expect(await store.getListingErrors([])).toEqual([]);
      });

      it('a sync of the listing clears its error, resolves its failures and its alert, and nothing else', async () => {
        await store.recordFailure(failure('e1', { at: T0 }));
        await store.recordFailure(failure('e2', { at: T0, sku: 'CAP' }));
        const opened = await store.openAlert(alert('a1'));
        const other = await store.openAlert(
          alert('a2', { key: 'sync_failure:meli:100:sku:CAP', sku: 'CAP' }),
        );
        await store.resolveListings([mug], T0 + 100);
        expect(await store.getListingErrors([mug, cap])).toEqual([expect.objectContaining({ sku: 'CAP' })]);
        expect((await store.getFailure('e1'))?.resolvedAt).toBe(T0 + 100);
        expect((await store.getFailure('e2'))?.resolvedAt).toBeUndefined();
        expect((await store.listAlerts({ status: 'open', limit: 10 })).map((a) => a.id)).toEqual([
          other.alert.id,
        ]);
        expect((await store.listAlerts({ status: 'resolved', limit: 10 })).map((a) => a.id)).toEqual([
          opened.alert.id,
        ]);
        // Replayed: nothing more changes.
        await store.resolveListings([mug], T0 + 200);
        expect((await store.getFailure('e1'))?.resolvedAt).toBe(T0 + 100);
      });

      it('a step that succeeds resolves the item’s failures at that stage, and its alert once none is left open', async () => {
        const red = { marketplace: 'meli' as const, accountId: '100', sku: 'MUG-RED' };
        await store.recordFailure(failure('s1', { sku: 'MUG-RED', stage: 'stock', at: T0 }));
        await store.recordFailure(
          failure('s2', { sku: 'MUG-RED', stage: 'stock', runId: 'run-2', at: T0 + 1 }),
        );
        await store.recordFailure(failure('v1', { sku: 'MUG-RED', stage: 'validate', at: T0 }));
        await store.recordFailure(
          failure('late', { sku: 'MUG-RED', stage: 'stock', runId: 'run-3', at: T0 + 500 }),
        );
        const opened = await store.openAlert(
          alert('a1', { key: 'sync_failure:meli:100:sku:MUG-RED', sku: 'MUG-RED' }),
        );

        await store.resolveItemFailures([red], 'stock', T0 + 100);
        expect((await store.getFailure('s1'))?.resolvedAt).toBe(T0 + 100);
        expect((await store.getFailure('s2'))?.resolvedAt).toBe(T0 + 100);
        expect((await store.getFailure('v1'))?.resolvedAt).toBeUndefined();
        expect((await store.getFailure('late'))?.resolvedAt).toBeUndefined();
        // Other failures of the item are open: its alert stays.
        expect((await store.listAlerts({ status: 'open', limit: 10 })).map((a) => a.id)).toEqual([
          opened.alert.id,
        ]);

        await store.resolveFailures({ marketplace: 'meli', accountId: '100', sku: 'MUG-RED' }, T0 + 600);
        await store.resolveItemFailures([red], 'stock', T0 + 700);
        expect(await store.listAlerts({ status: 'open', limit: 10 })).toEqual([]);
        await store.resolveItemFailures([], 'stock', T0 + 800);
      });

      it('a sync older than the error does not clear it', async () => {
        await store.recordFailure(failure('late', { at: T0 + 500 }));
        await store.resolveListings([mug], T0 + 100);
        expect(await store.getListingErrors([mug])).toHaveLength(1);
        expect((await store.getFailure('late'))?.resolvedAt).toBeUndefined();
      });
    });

    describe('alerts', () => {
      it('opens one alert per key while it is open, and a new one after it is resolved', async () => {
        const first = await store.openAlert(alert('a1'));
        expect(first).toEqual({ opened: true, alert: alert('a1') });
        const repeat = await store.openAlert(alert('a2', { detail: 'again', openedAt: T0 + 5 }));
        expect(repeat).toEqual({ opened: false, alert: alert('a1') });
        const resolved = await store.resolveAlert('a1', T0 + 10);
        expect(resolved).toEqual({ ...alert('a1'), resolvedAt: T0 + 10 });
        // Resolving again keeps the first time.
        expect((await store.resolveAlert('a1', T0 + 20))?.resolvedAt).toBe(T0 + 10);
        expect(await store.resolveAlert('nope', T0)).toBeUndefined();
        const again = await store.openAlert(alert('a3', { openedAt: T0 + 30 }));
        expect(again.opened).toBe(true);
        expect((await store.listAlerts({ status: 'open', limit: 10 })).map((a) => a.id)).toEqual(['a3']);
      });

      it('opens one alert when many processes open the same key at once', async () => {
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, index) => store.openAlert(alert(`c${index}`))),
        );
        expect(results.filter((result) => result.opened)).toHaveLength(1);
        const ids = new Set(results.map((result) => result.alert.id));
        expect(ids.size).toBe(1);
      });

      it('lists open alerts oldest first and resolved ones most recently resolved first, up to the limit', async () => {
        await store.openAlert(alert('o2', { key: 'k2', openedAt: T0 + 2 }));
        await store.openAlert(alert('o1', { key: 'k1', openedAt: T0 + 1 }));
        await store.openAlert(
          alert('o3', { key: 'k3', openedAt: T0 + 3, kind: 'sync_failure', sku: undefined }),
        );
        expect((await store.listAlerts({ status: 'open', limit: 2 })).map((a) => a.id)).toEqual(['o1', 'o2']);
        expect(
          (await store.listAlerts({ status: 'open', limit: 10 })).find((a) => a.id === 'o3')?.sku,
        ).toBeUndefined();
        await store.resolveAlert('o1', T0 + 10);
        await store.resolveAlert('o2', T0 + 20);
        expect((await store.listAlerts({ status: 'resolved', limit: 10 })).map((a) => a.id)).toEqual([
          'o2',
          'o1',
        ]);
      });
    });

    describe('retention', () => {
      it('forgets old finished runs with their resolved failures and old resolved alerts, keeping what is open', async () => {
        const old = run('old', { startedAt: T0 });
        await store.startRun(old);
        await store.finishRun(old, { status: 'partial', finishedAt: T0 + 1, done: 1, failed: 2 });
        await store.recordFailure(failure('old-resolved', { runId: 'old', at: T0, sku: 'A' }));
        await store.recordFailure(failure('old-open', { runId: 'old', at: T0, sku: 'B' }));
        await store.resolveFailures({ marketplace: 'meli', accountId: '100', sku: 'A' }, T0 + 2);
        const running = run('running', { startedAt: T0 });
        await store.startRun(running);
        const recent = run('recent', { startedAt: T0 + 10 * DAY });
        await store.finishRun(recent, { status: 'succeeded', finishedAt: T0 + 10 * DAY, done: 1, failed: 0 });
        await store.openAlert(alert('gone', { key: 'g' }));
        await store.resolveAlert('gone', T0 + 3);
        await store.openAlert(alert('kept', { key: 'k' }));

        await store.prune(T0 + 5 * DAY);

        expect(await store.getRun('old')).toBeUndefined();
        expect(await store.getRun('running')).toBeDefined();
        expect(await store.getRun('recent')).toBeDefined();
        expect(await store.getFailure('old-resolved')).toBeUndefined();
        expect(await store.getFailure('old-open')).toBeDefined();
        expect(await store.listAlerts({ status: 'resolved', limit: 10 })).toEqual([]);
        expect((await store.listAlerts({ status: 'open', limit: 10 })).map((a) => a.id)).toEqual(['kept']);
      });
    });
  });
}
