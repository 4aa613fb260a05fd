import type { StoredTokenSet, TokenRefreshLock, TokenSet, TokenStore } from '@mlh/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The conformance battery every core `TokenStore` runs (`@mlh/sync/testing`): reads, the
 * compare-and-set writes the token manager relies on, and the per-account refresh locks that
 * make a fleet send one refresh per expiry.
 */

/** What the factory of {@link describeTokenStoreConformance} returns: a fresh, empty store. */
export interface TokenStoreUnderTest {
  store: TokenStore;
  /**
   * The store's refresh-lock lease in milliseconds; keep it short (a few hundred ms) so the
   * lease-expiry cases wait little. The lock cases require `store.acquireRefreshLock`.
   */
  leaseMs: number;
  /** Called after each test (drop the schema, close the pool, ...). */
  cleanup?: () => Promise<void> | void;
}

/** Options of {@link describeTokenStoreConformance}. */
export interface TokenStoreConformanceOptions {
  /**
   * False for a store meant for one process that has no refresh locks: the lock cases are
   * skipped. Default true: a store shared by several processes must lock.
   */
  refreshLocks?: boolean;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sequence = 0;

/** A token set of a fresh account, so tests never see each other's rows. */
function sampleTokens(overrides: Partial<TokenSet> = {}): TokenSet {
  sequence += 1;
  return {
    marketplace: 'meli',
    accountId: `conformance-${Date.now().toString(36)}-${sequence}`,
    accessToken: `APP_USR-access-${sequence}`,
    refreshToken: `TG-refresh-${sequence}`,
    tokenType: 'bearer',
    expiresAt: Date.UTC(2026, 0, 1, 6),
    refreshExpiresAt: Date.UTC(2026, 6, 1),
    scopes: ['read', 'write'],
    extra: { shopCipher: 'GCP_x', nested: { region: 'BR' } },
    ...overrides,
  };
}

/**
 * Declares the conformance suite for a token store. The factory is called before every test.
 *
 * @example
 * // test/my-token-store.test.ts
 * import { describeTokenStoreConformance } from '@mlh/sync/testing';
 * describeTokenStoreConformance('my database', async () => ({
 *   store: await myTokenStore({ refreshLockLeaseMs: 300 }),
 *   leaseMs: 300,
 * }));
 */
export function describeTokenStoreConformance(
  name: string,
  factory: () => Promise<TokenStoreUnderTest>,
  options: TokenStoreConformanceOptions = {},
): void {
  describe(`TokenStore conformance: ${name}`, () => {
    let store: TokenStore;
    let leaseMs: number;
    let cleanup: (() => Promise<void> | void) | undefined;

    beforeEach(async () => {
      const made = await factory();
      store = made.store;
      leaseMs = made.leaseMs;
      cleanup = made.cleanup;
    });

    afterEach(async () => {
      await cleanup?.();
    });

    describe('reads and writes', () => {
      it('returns what it stored, with a version, per marketplace and account', async () => {
        const tokens = sampleTokens();
        const written = await store.set(tokens);
        expect(written.ok).toBe(true);
        const read = await store.get('meli', tokens.accountId);
        expect(read).toMatchObject({ ...tokens, version: expect.any(Number) });
        expect(read?.version).toBe(written.ok ? written.stored.version : -1);
        expect(await store.get('shopee', tokens.accountId)).toBeUndefined();
        expect(await store.get('meli', `${tokens.accountId}-other`)).toBeUndefined();
      });

      it('writes with expectedVersion only when the version has not moved (0 meaning absent)', async () => {
        const tokens = sampleTokens();
        const created = await store.set(tokens, { expectedVersion: 0 });
        expect(created.ok).toBe(true);
        const version = created.ok ? created.stored.version : -1;

        const stale = await store.set({ ...tokens, accessToken: 'late' }, { expectedVersion: 0 });
        expect(stale).toMatchObject({ ok: false, current: { version, accessToken: tokens.accessToken } });

        const next = await store.set({ ...tokens, accessToken: 'next' }, { expectedVersion: version });
        expect(next.ok).toBe(true);
        expect(next.ok && next.stored.version).toBeGreaterThan(version);
        expect((await store.set(tokens, { expectedVersion: version })).ok).toBe(false);
        expect((await store.get('meli', tokens.accountId))?.accessToken).toBe('next');
      });

      it('lets exactly one of several concurrent compare-and-set writes win', async () => {
        const tokens = sampleTokens();
        const created = await store.set(tokens);
        const version = created.ok ? created.stored.version : -1;
        const results = await Promise.all(
          [1, 2, 3, 4, 5].map((n) =>
            store.set({ ...tokens, accessToken: `racer-${n}` }, { expectedVersion: version }),
          ),
        );
        const winners = results.filter((result) => result.ok);
        expect(winners).toHaveLength(1);
        const stored = await store.get('meli', tokens.accountId);
        expect(stored?.accessToken).toBe(winners[0]?.ok ? winners[0].stored.accessToken : undefined);
      });

      it('never reuses a version after a delete', async () => {
        const tokens = sampleTokens();
        const first = await store.set(tokens);
        const oldVersion = first.ok ? first.stored.version : -1;
        await store.delete('meli', tokens.accountId);
        expect(await store.get('meli', tokens.accountId)).toBeUndefined();
        await store.set(tokens);
        expect((await store.set(tokens, { expectedVersion: oldVersion })).ok).toBe(false);
      });

      it('remembers the re-authorization mark and clears it on the next write', async () => {
        const tokens = sampleTokens();
        await store.set({ ...tokens, reauthorizationRequired: true });
        expect((await store.get('meli', tokens.accountId))?.reauthorizationRequired).toBe(true);
        await store.set({ ...tokens, reauthorizationRequired: false });
        expect((await store.get('meli', tokens.accountId))?.reauthorizationRequired).toBeFalsy();
      });

      it('hands out copies, so callers cannot change what is stored', async () => {
        const tokens = sampleTokens();
        await store.set(tokens);
        const read = (await store.get('meli', tokens.accountId)) as StoredTokenSet;
        read.accessToken = 'changed';
        expect((await store.get('meli', tokens.accountId))?.accessToken).toBe(tokens.accessToken);
      });
    });

    describe.skipIf(options.refreshLocks === false)('refresh locks', () => {
      const acquire = (accountId: string, marketplace: 'meli' | 'shopee' = 'meli') => {
        expect(store.acquireRefreshLock, 'the store has no acquireRefreshLock').toBeTypeOf('function');
        return (store.acquireRefreshLock as NonNullable<TokenStore['acquireRefreshLock']>)(
          marketplace,
          accountId,
        );
      };

      it('gives an account lock to one holder at a time, per marketplace and account', async () => {
        const { accountId } = sampleTokens();
        const held = await acquire(accountId);
        expect(held).toBeDefined();
        expect(held?.leaseMs).toBe(leaseMs);
        expect(await acquire(accountId)).toBeUndefined();
        const elsewhere = [await acquire(`${accountId}-other`), await acquire(accountId, 'shopee')];
        expect(elsewhere.every((lock) => lock !== undefined)).toBe(true);
        await Promise.all([held, ...elsewhere].map((lock) => lock?.release()));
      });

      it('lets exactly one of several concurrent callers take a free lock', async () => {
        const { accountId } = sampleTokens();
        const locks = await Promise.all(Array.from({ length: 8 }, () => acquire(accountId)));
        const holders = locks.filter((lock): lock is TokenRefreshLock => lock !== undefined);
        expect(holders).toHaveLength(1);
        await holders[0]?.release();
      });

      it('frees the lock on release', async () => {
        const { accountId } = sampleTokens();
        const first = await acquire(accountId);
        await first?.release();
        const second = await acquire(accountId);
        expect(second).toBeDefined();
        await second?.release();
      });

      it('frees the lock of a holder that stopped renewing once its lease ends', async () => {
        const { accountId } = sampleTokens();
        const dead = await acquire(accountId);
        expect(dead).toBeDefined();
        await wait(leaseMs + 150);
        const next = await acquire(accountId);
        expect(next).toBeDefined();
        // The former holder learns it lost the lock, and its release leaves the new holder's alone.
        expect(await dead?.renew()).toBe(false);
        await dead?.release();
        expect(await acquire(accountId)).toBeUndefined();
        expect(await next?.renew()).toBe(true);
        await next?.release();
      });

      it('keeps a lock past its first lease while the holder renews it', async () => {
        const { accountId } = sampleTokens();
        const held = await acquire(accountId);
        for (let step = 0; step < 3; step++) {
          await wait(Math.floor(leaseMs / 2));
          expect(await held?.renew()).toBe(true);
        }
        expect(await acquire(accountId)).toBeUndefined();
        await held?.release();
      });
    });
  });
}
