/**
 * The conformance battery of the `IdempotencyStore` port, for the tests of a store of your own:
 * {@link describeIdempotencyStoreConformance}. Every store (memory, PostgreSQL, Redis, yours) must
 * answer these cases exactly alike, so the API behaves the same whichever one it is given. It runs
 * under vitest (its `describe`/`it`/`expect`).
 *
 * @module @mlh/api/testing
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IdempotencyStore, StoredResponse } from './idempotency';

/** A fresh, empty store under test. */
export interface IdempotencyStoreUnderTest {
  store: IdempotencyStore;
  /**
   * Another instance over the same keys, as a second process of the API has it (its own
   * connection pool). Only for shared stores; a per-process store has none.
   */
  otherProcess?: IdempotencyStore | undefined;
  /** Called after each case (empty the table, close pools, ...). */
  cleanup?: (() => Promise<void>) | undefined;
}

/** Times the factory passes on to the store; absent means the store's defaults. */
export interface IdempotencyStoreTimes {
  ttlMs?: number;
  startedTtlMs?: number;
}

const HOUR = 3_600_000;

/**
 * Runs the battery against the stores `create` makes: a fresh, empty store per case, with the
 * times given (absent: the store's defaults), and for a shared store a second instance over the
 * same keys, as another process has it.
 *
 * @example
 * describeIdempotencyStoreConformance('mine', async (times) => ({ store: createMyStore(times) }));
 */
export function describeIdempotencyStoreConformance(
  name: string,
  create: (times: IdempotencyStoreTimes) => Promise<IdempotencyStoreUnderTest>,
): void {
  describe(`IdempotencyStore conformance: ${name}`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });
    const open = async (times: IdempotencyStoreTimes = {}) => {
      const underTest = await create(times);
      cleanup = underTest.cleanup;
      return underTest;
    };
    const response: StoredResponse = {
      status: 201,
      body: '{"applied":true,"note":"ação ✓ 🧾"}',
      contentType: 'application/json; charset=utf-8',
    };

    it('starts a key once, says it is running, then replays its answer exactly', async () => {
      const { store } = await open();
      expect(await store.begin('ops:k', 'f1', 0)).toEqual({ state: 'started' });
      expect(await store.begin('ops:k', 'f1', 1)).toEqual({ state: 'in_progress' });
      await store.complete('ops:k', response, 2);
      expect(await store.begin('ops:k', 'f1', 3)).toEqual({ state: 'replay', response });
      expect(await store.begin('ops:k', 'f1', 4)).toEqual({ state: 'replay', response });
    });

    it('replays any body byte for byte: empty, U+0000, long', async () => {
      const { store } = await open();
      const bodies = ['', 'a\u0000b', 'é'.repeat(100_000), '\r\n  {"x": 1}\n'];
      for (const [index, body] of bodies.entries()) {
        const key = `ops:body-${index}`;
        await store.begin(key, 'f', 0);
        await store.complete(key, { status: 200, body, contentType: 'text/plain' }, 1);
        expect(await store.begin(key, 'f', 2)).toEqual({
          state: 'replay',
          response: { status: 200, body, contentType: 'text/plain' },
        });
      }
    });

    it('refuses the key for another request, running or done', async () => {
      const { store } = await open();
      await store.begin('ops:k', 'f1', 0);
      expect(await store.begin('ops:k', 'f2', 1)).toEqual({ state: 'mismatch' });
      await store.complete('ops:k', response, 2);
      expect(await store.begin('ops:k', 'f2', 3)).toEqual({ state: 'mismatch' });
      // The refusal changed nothing: the first request's answer is still there.
      expect(await store.begin('ops:k', 'f1', 4)).toEqual({ state: 'replay', response });
    });

    it('keeps keys apart', async () => {
      const { store } = await open();
      await store.begin('ops:a', 'f', 0);
      await store.complete('ops:a', response, 1);
      expect(await store.begin('ops:b', 'f', 2)).toEqual({ state: 'started' });
      expect(await store.begin('dash:a', 'f', 2)).toEqual({ state: 'started' });
    });

    it('lets a released key run again, and ignores a completion of a key it no longer has', async () => {
      const { store } = await open();
      await store.begin('ops:k', 'f', 0);
      await store.release('ops:k');
      await store.complete('ops:k', response, 1);
      expect(await store.begin('ops:k', 'f', 2)).toEqual({ state: 'started' });
      // Released, another request may use the key.
      await store.release('ops:k');
      expect(await store.begin('ops:k', 'other', 3)).toEqual({ state: 'started' });
    });

    it('frees a running key whose request never finished once its lease ends', async () => {
      const { store } = await open({ ttlMs: 10_000, startedTtlMs: 100 });
      await store.begin('ops:k', 'f', 1_000);
      expect(await store.begin('ops:k', 'f', 1_099)).toEqual({ state: 'in_progress' });
      expect(await store.begin('ops:k', 'f', 1_100)).toEqual({ state: 'started' });
      // Reclaimed by another request entirely once free.
      expect(await store.begin('ops:k', 'f', 1_150)).toEqual({ state: 'in_progress' });
      expect(await store.begin('ops:k', 'g', 1_200)).toEqual({ state: 'started' });
      expect(await store.begin('ops:k', 'f', 1_201)).toEqual({ state: 'mismatch' });
    });

    it('forgets a completed key after its time-to-live', async () => {
      const { store } = await open({ ttlMs: 1_000, startedTtlMs: 100 });
      await store.begin('ops:k', 'f', 0);
      await store.complete('ops:k', response, 50);
      // A completed key keeps its answer past the running lease.
      expect(await store.begin('ops:k', 'f', 1_049)).toEqual({ state: 'replay', response });
      expect(await store.begin('ops:k', 'other', 1_049)).toEqual({ state: 'mismatch' });
      expect(await store.begin('ops:k', 'other', 1_050)).toEqual({ state: 'started' });
    });

    it('defaults: answers kept 24 hours, a dead request frees its key after 5 minutes', async () => {
      const { store } = await open();
      await store.begin('ops:done', 'f', 0);
      await store.complete('ops:done', response, 0);
      expect(await store.begin('ops:done', 'f', 24 * HOUR - 1)).toEqual({ state: 'replay', response });
      await store.begin('ops:dead', 'f', 0);
      expect(await store.begin('ops:dead', 'f', 299_999)).toEqual({ state: 'in_progress' });
      expect(await store.begin('ops:dead', 'f', 300_000)).toEqual({ state: 'started' });
      expect(await store.begin('ops:done', 'f', 24 * HOUR)).toEqual({ state: 'started' });
    });

    it('lets exactly one of many concurrent requests with one key run', async () => {
      const { store, otherProcess } = await open();
      const stores = [store, otherProcess ?? store];
      const outcomes = await Promise.all(
        Array.from({ length: 16 }, (_, index) => stores[index % 2]!.begin('ops:race', 'f', 10)),
      );
      const states = outcomes.map((outcome) => outcome.state);
      expect(states.filter((state) => state === 'started')).toHaveLength(1);
      expect(states.filter((state) => state === 'in_progress')).toHaveLength(15);
    });

    it('lets exactly one of many concurrent requests reclaim an expired key', async () => {
      const { store, otherProcess } = await open({ ttlMs: 1_000, startedTtlMs: 100 });
      await store.begin('ops:old', 'f', 0);
      await store.complete('ops:old', response, 0);
      const stores = [store, otherProcess ?? store];
      const outcomes = await Promise.all(
        Array.from({ length: 16 }, (_, index) => stores[index % 2]!.begin('ops:old', 'f', 5_000)),
      );
      expect(outcomes.filter((outcome) => outcome.state === 'started')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.state === 'in_progress')).toHaveLength(15);
    });

    it('shares keys between processes when it is a shared store', async (context) => {
      const { store, otherProcess } = await open({ ttlMs: 10_000, startedTtlMs: 100 });
      if (!otherProcess) {
        context.skip('a per-process store: each process has its own keys');
        return;
      }
      await store.begin('ops:k', 'f', 0);
      expect(await otherProcess.begin('ops:k', 'f', 1)).toEqual({ state: 'in_progress' });
      expect(await otherProcess.begin('ops:k', 'g', 1)).toEqual({ state: 'mismatch' });
      await store.complete('ops:k', response, 2);
      expect(await otherProcess.begin('ops:k', 'f', 3)).toEqual({ state: 'replay', response });
      // A process that died mid-request: another reclaims the key after the lease.
      await store.begin('ops:crash', 'f', 0);
      expect(await otherProcess.begin('ops:crash', 'f', 100)).toEqual({ state: 'started' });
      await otherProcess.release('ops:crash');
      expect(await store.begin('ops:crash', 'f', 101)).toEqual({ state: 'started' });
    });
  });
}
