import { describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore, requestFingerprint } from '../src/idempotency';
import { describeIdempotencyStoreConformance } from '../src/testing';

describeIdempotencyStoreConformance('memory', async (times) => ({
  store: createMemoryIdempotencyStore(times),
}));

describe('the memory idempotency store', () => {
  const response = { status: 200, body: '{"applied":true}', contentType: 'application/json' };

  it('starts a key once, says it is running, then replays its answer', async () => {
    const store = createMemoryIdempotencyStore();
    expect(await store.begin('ops:k', 'f1', 0)).toEqual({ state: 'started' });
    expect(await store.begin('ops:k', 'f1', 1)).toEqual({ state: 'in_progress' });
    await store.complete('ops:k', response, 2);
    expect(await store.begin('ops:k', 'f1', 3)).toEqual({ state: 'replay', response });
  });

  it('refuses the key for another request, running or done', async () => {
    const store = createMemoryIdempotencyStore();
    await store.begin('ops:k', 'f1', 0);
    expect(await store.begin('ops:k', 'f2', 1)).toEqual({ state: 'mismatch' });
    await store.complete('ops:k', response, 2);
    expect(await store.begin('ops:k', 'f2', 3)).toEqual({ state: 'mismatch' });
  });

  it('lets a released key run again, and forgets keys after their time', async () => {
    const store = createMemoryIdempotencyStore({ ttlMs: 1_000, startedTtlMs: 100 });
    await store.begin('a', 'f', 0);
    await store.release('a');
    expect(await store.begin('a', 'f', 1)).toEqual({ state: 'started' });
    // A request that never finished stops blocking its key after `startedTtlMs`.
    expect(await store.begin('a', 'f', 102)).toEqual({ state: 'started' });
    await store.complete('a', response, 102);
    expect((await store.begin('a', 'f', 1_101)).state).toBe('replay');
    expect(await store.begin('a', 'f', 1_102)).toEqual({ state: 'started' });
  });

  it('fingerprints method, path and body', async () => {
    const base = await requestFingerprint('PUT', '/inventory/CAP', '{"quantity":1}');
    expect(await requestFingerprint('put', '/inventory/CAP', '{"quantity":1}')).toBe(base);
    expect(await requestFingerprint('PUT', '/inventory/MUG', '{"quantity":1}')).not.toBe(base);
    expect(await requestFingerprint('PUT', '/inventory/CAP', '{"quantity":2}')).not.toBe(base);
  });
});
