import {
  AuthenticationError,
  type Clock,
  createManualClock,
  createTokenManager,
  EncryptedTokenStore,
  generateTokenEncryptionKey,
  MemoryTokenStore,
  MlhError,
  NetworkError,
  type StoredTokenSet,
  systemClock,
  type TokenSet,
  type TokenStore,
  ValidationError,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';
import { createLeakDetector, rejectionOf, settle } from './support';

const HOUR = 3_600_000;
const leaks = createLeakDetector();
const secrets = new Set<string>();

/** Distinct, long, recognisable tokens; each is remembered for the final leak check. */
function secret(name: string): string {
  const value = `${name}-${'x'.repeat(12)}-${secrets.size.toString().padStart(6, '0')}-secret`;
  secrets.add(value);
  return value;
}

function tokenSet(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    marketplace: 'meli',
    accountId: '42',
    accessToken: secret('access'),
    refreshToken: secret('refresh'),
    expiresAt: Date.UTC(2026, 0, 1) + 6 * HOUR,
    ...overrides,
  };
}

/**
 * A fake authorization server with single-use refresh tokens, like Mercado Livre's: using a
 * refresh token twice is an `invalid_grant`.
 */
function authServer(clock: { now(): number }) {
  const valid = new Set<string>();
  let calls = 0;
  let gate: Promise<void> = Promise.resolve();
  return {
    calls: () => calls,
    accept(refreshToken: string | undefined) {
      if (refreshToken) valid.add(refreshToken);
    },
    /** Holds refreshes until the returned function is called. */
    hold(): () => void {
      let open: () => void = () => {};
      gate = new Promise((resolve) => {
        open = resolve;
      });
      return () => open();
    },
    refresh: async (current: StoredTokenSet): Promise<TokenSet> => {
      calls += 1;
      const used = current.refreshToken ?? '';
      const known = valid.delete(used);
      await gate;
      if (!known) {
        throw new AuthenticationError('The refresh token is invalid or was already used', {
          code: 'invalid_grant',
          status: 400,
          marketplace: 'meli',
        });
      }
      const next = tokenSet({ expiresAt: clock.now() + 6 * HOUR });
      valid.add(next.refreshToken ?? '');
      return next;
    },
  };
}

/** A store as a user might write it: reads and compare-and-set writes, no refresh locks. */
function withoutLocks(store: TokenStore): TokenStore {
  return {
    get: (marketplace, accountId) => store.get(marketplace, accountId),
    set: (tokens, options) => store.set(tokens, options),
    delete: (marketplace, accountId) => store.delete(marketplace, accountId),
  };
}

async function managerWith(options: { expiresIn: number; store?: TokenStore; grace?: number }) {
  const clock = createManualClock();
  const store = options.store ?? new MemoryTokenStore();
  const server = authServer(clock);
  const initial = tokenSet({ expiresAt: clock.now() + options.expiresIn });
  server.accept(initial.refreshToken);
  const manager = createTokenManager({
    marketplace: 'meli',
    store,
    clock,
    logger: leaks.logger,
    refresh: server.refresh,
    invalidGrantGraceMs: options.grace ?? 0,
  });
  await manager.saveTokenSet(initial);
  return { clock, store, server, manager, initial };
}

describe.each([
  ['MemoryTokenStore', () => new MemoryTokenStore()],
  [
    'EncryptedTokenStore over MemoryTokenStore',
    () => new EncryptedTokenStore(new MemoryTokenStore(), { key: generateTokenEncryptionKey() }),
  ],
])('%s', (_name, createStore) => {
  it('round-trips a token set with a version', async () => {
    const store = createStore();
    const tokens = tokenSet({ scopes: ['read', 'write'], extra: { shopCipher: 'abc' } });
    const written = await store.set(tokens);
    expect(written.ok).toBe(true);
    const read = await store.get('meli', '42');
    expect(read).toMatchObject({ ...tokens, version: expect.any(Number) });
    expect(await store.get('meli', 'other')).toBeUndefined();
    expect(await store.get('shopee', '42')).toBeUndefined();
  });

  it('writes with expectedVersion only when the version has not moved', async () => {
    const store = createStore();
    const absent = await store.set(tokenSet(), { expectedVersion: 0 });
    expect(absent.ok).toBe(true);
    const version = absent.ok ? absent.stored.version : -1;

    const stale = await store.set(tokenSet(), { expectedVersion: 0 });
    expect(stale.ok).toBe(false);
    expect(stale.ok ? undefined : stale.current?.version).toBe(version);

    const next = await store.set(tokenSet(), { expectedVersion: version });
    expect(next.ok).toBe(true);
    expect(next.ok && next.stored.version).toBeGreaterThan(version);
    expect((await store.set(tokenSet(), { expectedVersion: version })).ok).toBe(false);
  });

  it('never reuses a version after a delete', async () => {
    const store = createStore();
    const first = await store.set(tokenSet());
    const oldVersion = first.ok ? first.stored.version : -1;
    await store.delete('meli', '42');
    expect(await store.get('meli', '42')).toBeUndefined();
    await store.set(tokenSet());
    expect((await store.set(tokenSet(), { expectedVersion: oldVersion })).ok).toBe(false);
  });

  it('hands out copies of the scopes and the extras too, nested ones included', async () => {
    const store = createStore();
    const extra = { shopCipher: 'abc', shops: [{ id: '1', cipher: 'x' }], issued: new Date(0) };
    await store.set(tokenSet({ scopes: ['read'], extra }));
    const read = await store.get('meli', '42');
    if (!read) throw new Error('nothing stored');
    expect(read.extra).toEqual(extra);
    expect(read.extra?.issued).toBeInstanceOf(Date);
    (read.scopes as string[]).push('write');
    const readExtra = read.extra as { shopCipher: string; shops: { cipher: string }[] };
    const [shop] = readExtra.shops;
    if (shop) shop.cipher = 'changed';
    readExtra.shopCipher = 'changed';
    const again = await store.get('meli', '42');
    expect(again?.scopes).toEqual(['read']);
    expect(again?.extra).toEqual(extra);
  });

  it('hands out copies, so callers cannot change what is stored', async () => {
    const store = createStore();
    await store.set(tokenSet({ accessToken: 'kept-access-token-000000000' }));
    const read = await store.get('meli', '42');
    if (read) read.accessToken = 'changed';
    expect((await store.get('meli', '42'))?.accessToken).toBe('kept-access-token-000000000');
  });
});

describe('EncryptedTokenStore', () => {
  it('stores both tokens as JWE and nothing readable', async () => {
    const inner = new MemoryTokenStore();
    const store = new EncryptedTokenStore(inner, { key: generateTokenEncryptionKey() });
    const tokens = tokenSet();
    await store.set(tokens);
    const raw = await inner.get('meli', '42');
    expect(raw?.accessToken.split('.')).toHaveLength(5);
    expect(raw?.refreshToken?.split('.')).toHaveLength(5);
    expect(JSON.stringify(raw)).not.toContain(tokens.accessToken);
    expect(JSON.stringify(raw)).not.toContain(tokens.refreshToken);
    expect((await store.get('meli', '42'))?.accessToken).toBe(tokens.accessToken);
  });

  it('fails clearly with a wrong key, never returning garbage', async () => {
    const inner = new MemoryTokenStore();
    await new EncryptedTokenStore(inner, { key: generateTokenEncryptionKey() }).set(tokenSet());
    const wrong = new EncryptedTokenStore(inner, { key: generateTokenEncryptionKey() });
    const error = leaks.keep(await rejectionOf(wrong.get('meli', '42')));
    expect(error).toBeInstanceOf(MlhError);
    expect(error).toMatchObject({ code: 'token_decryption_failed' });
    expect((error as Error).message).toMatch(/cannot decrypt .* meli account 42: wrong key\?/i);
  });

  it('reads records written with a previous key during a rotation', async () => {
    const inner = new MemoryTokenStore();
    const oldKey = generateTokenEncryptionKey();
    const tokens = tokenSet();
    await new EncryptedTokenStore(inner, { key: oldKey }).set(tokens);
    const rotated = new EncryptedTokenStore(inner, {
      key: generateTokenEncryptionKey(),
      previousKeys: [oldKey],
    });
    expect((await rotated.get('meli', '42'))?.accessToken).toBe(tokens.accessToken);
  });

  it('refuses a record copied to another account', async () => {
    const inner = new MemoryTokenStore();
    const key = generateTokenEncryptionKey();
    await new EncryptedTokenStore(inner, { key }).set(tokenSet());
    const copied = await inner.get('meli', '42');
    await inner.set({ ...(copied as StoredTokenSet), accountId: '43' });
    const error = leaks.keep(await rejectionOf(new EncryptedTokenStore(inner, { key }).get('meli', '43')));
    expect(error).toMatchObject({ code: 'token_binding_mismatch' });
  });

  it('accepts 32-byte keys as bytes, hex and base64, and refuses anything else', () => {
    const inner = new MemoryTokenStore();
    const random = crypto.getRandomValues(new Uint8Array(32));
    const hex = [...random].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    expect(() => new EncryptedTokenStore(inner, { key: random })).not.toThrow();
    expect(() => new EncryptedTokenStore(inner, { key: hex })).not.toThrow();
    expect(() => new EncryptedTokenStore(inner, { key: generateTokenEncryptionKey() })).not.toThrow();
    expect(() => new EncryptedTokenStore(inner, { key: 'too-short' })).toThrow(ValidationError);
    expect(() => new EncryptedTokenStore(inner, { key: new Uint8Array(16) })).toThrow(/32-byte key/);
  });
});

describe('createTokenManager', () => {
  it('returns the stored token while more than the margin remains', async () => {
    const { manager, server, initial } = await managerWith({ expiresIn: HOUR });
    expect(await manager.getAccessToken('42')).toBe(initial.accessToken);
    expect(server.calls()).toBe(0);
  });

  it('refreshes when less than 5 minutes remain, and persists before handing out the token', async () => {
    const inner = new MemoryTokenStore();
    let releaseWrite: () => void = () => {};
    let writes = 0;
    const slowStore: TokenStore = {
      get: (marketplace, accountId) => inner.get(marketplace, accountId),
      delete: (marketplace, accountId) => inner.delete(marketplace, accountId),
      async set(tokens, options) {
        writes += 1;
        if (writes > 1) await new Promise<void>((resolve) => (releaseWrite = resolve));
        return inner.set(tokens, options);
      },
    };
    const { manager, server, initial } = await managerWith({ expiresIn: 4 * 60_000, store: slowStore });
    let handedOut: string | undefined;
    const pending = manager.getAccessToken('42').then((token) => {
      handedOut = token;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(server.calls()).toBe(1);
    expect(handedOut).toBeUndefined();
    releaseWrite();
    await pending;
    const stored = await inner.get('meli', '42');
    expect(handedOut).toBe(stored?.accessToken);
    expect(stored?.refreshToken).not.toBe(initial.refreshToken);
  });

  it('makes 100 concurrent callers with an expiring token cause one refresh', async () => {
    const { manager, server } = await managerWith({ expiresIn: 60_000 });
    const refreshed: string[] = [];
    manager.on('refreshed', (event) => refreshed.push(event.accountId));
    const tokens = await Promise.all(Array.from({ length: 100 }, () => manager.getAccessToken('42')));
    expect(server.calls()).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect(refreshed).toEqual(['42']);
  });

  it('does not refresh on forceRefresh when the failed token is no longer the stored one', async () => {
    const { manager, server, initial } = await managerWith({ expiresIn: HOUR });
    const token = await manager.getAccessToken('42', {
      forceRefresh: true,
      failedToken: 'an-older-token-0000000000',
    });
    expect(token).toBe(initial.accessToken);
    expect(server.calls()).toBe(0);
    const fresh = await manager.getAccessToken('42', {
      forceRefresh: true,
      failedToken: initial.accessToken,
    });
    expect(fresh).not.toBe(initial.accessToken);
    expect(server.calls()).toBe(1);
  });

  it('without refresh locks, lets only one of two processes refresh; the other uses the stored token', async () => {
    const { clock, server, initial, store: lockingStore } = await managerWith({ expiresIn: 60_000 });
    const store = withoutLocks(lockingStore);
    const processA = createTokenManager({
      marketplace: 'meli',
      store,
      clock,
      // A's answer arrives first but it takes A a moment to store it.
      refresh: async (current) => {
        const next = await server.refresh(current);
        await clock.sleep(500);
        return next;
      },
    });
    const processB = createTokenManager({
      marketplace: 'meli',
      store,
      clock,
      refresh: server.refresh,
      invalidGrantGraceMs: 2_000,
    });
    // Both read the same expiring token and call the marketplace with the same single-use refresh
    // token; B is refused (invalid_grant) and must pick up what A stores, not mark the account.
    const open = server.hold();
    const a = processA.getAccessToken('42');
    const b = processB.getAccessToken('42');
    await new Promise((resolve) => setTimeout(resolve, 0));
    open();
    const [tokenA, tokenB] = await settle(clock, Promise.all([a, b]));

    expect(server.calls()).toBe(2);
    expect(tokenA).not.toBe(initial.accessToken);
    expect(tokenB).toBe(tokenA);
    const stored = await store.get('meli', '42');
    expect(stored?.accessToken).toBe(tokenA);
    expect(stored?.reauthorizationRequired).toBe(false);
  });

  it('without refresh locks, keeps the winner when the loser marked the account before the winner stored', async () => {
    const { clock, server, initial, store: lockingStore } = await managerWith({ expiresIn: 60_000 });
    const store = withoutLocks(lockingStore);
    let releaseWinner: () => void = () => {};
    const winner = createTokenManager({
      marketplace: 'meli',
      store,
      clock,
      refresh: async (current) => {
        const next = await server.refresh(current);
        await new Promise<void>((resolve) => (releaseWinner = resolve));
        return next;
      },
    });
    const loser = createTokenManager({
      marketplace: 'meli',
      store,
      clock,
      refresh: server.refresh,
      invalidGrantGraceMs: 0,
    });
    const winning = winner.getAccessToken('42');
    await new Promise((resolve) => setTimeout(resolve, 0));
    const lost = leaks.keep(await rejectionOf(loser.getAccessToken('42')));
    expect(lost).toBeInstanceOf(AuthenticationError);
    releaseWinner();
    const token = await winning;
    expect(token).not.toBe(initial.accessToken);
    expect(await store.get('meli', '42')).toMatchObject({
      accessToken: token,
      reauthorizationRequired: false,
    });
    expect(await loser.getAccessToken('42')).toBe(token);
  });

  it('without refresh locks, uses the stored token when another process stored first (compare-and-set lost)', async () => {
    const clock = createManualClock();
    const store = withoutLocks(new MemoryTokenStore());
    const initial = tokenSet({ expiresAt: clock.now() + 60_000 });
    let refreshes = 0;
    const reusableRefresh = async () => {
      refreshes += 1;
      return tokenSet({ expiresAt: clock.now() + 6 * HOUR });
    };
    const a = createTokenManager({ marketplace: 'meli', store, clock, refresh: reusableRefresh });
    const b = createTokenManager({ marketplace: 'meli', store, clock, refresh: reusableRefresh });
    await a.saveTokenSet(initial);
    const [tokenA, tokenB] = await Promise.all([a.getAccessToken('42'), b.getAccessToken('42')]);
    expect(refreshes).toBe(2);
    expect(tokenA).toBe(tokenB);
    expect((await store.get('meli', '42'))?.accessToken).toBe(tokenA);
  });

  it('marks the account on invalid_grant, emits an event once and then fails fast', async () => {
    const { manager, server, store } = await managerWith({ expiresIn: 60_000 });
    server.accept = () => {};
    await store.set({ ...(await store.get('meli', '42'))!, refreshToken: secret('revoked') });
    const events: AuthenticationError[] = [];
    manager.on('reauthorizationRequired', (event) => events.push(event.error));

    const first = leaks.keep(await rejectionOf(manager.getAccessToken('42')));
    expect(first).toBeInstanceOf(AuthenticationError);
    expect(first).toMatchObject({ reauthorizationRequired: true, accountId: '42', code: 'invalid_grant' });
    expect((first as Error).message).toMatch(/meli account 42 must be re-authorized/);
    expect((await store.get('meli', '42'))?.reauthorizationRequired).toBe(true);

    const again = leaks.keep(await rejectionOf(manager.getAccessToken('42')));
    expect(again).toMatchObject({ reauthorizationRequired: true });
    expect(server.calls()).toBe(1);
    expect(events).toHaveLength(1);

    const fresh = tokenSet({ expiresAt: Date.now() + 6 * HOUR });
    await manager.saveTokenSet(fresh);
    expect(await manager.getAccessToken('42')).toBe(fresh.accessToken);
  });

  it('asks for authorization when no tokens are stored', async () => {
    const manager = createTokenManager({
      marketplace: 'meli',
      store: new MemoryTokenStore(),
      refresh: async () => tokenSet(),
    });
    const error = leaks.keep(await rejectionOf(manager.getAccessToken('7')));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ reauthorizationRequired: true, accountId: '7' });
  });

  it('keeps using a still-valid token when a refresh fails transiently, and throws once it expired', async () => {
    const clock = createManualClock();
    const initial = tokenSet({ expiresAt: clock.now() + 60_000 });
    const failures: unknown[] = [];
    const manager = createTokenManager({
      marketplace: 'meli',
      store: new MemoryTokenStore(),
      clock,
      logger: leaks.logger,
      refresh: async () => {
        throw new NetworkError('connection reset', { marketplace: 'meli' });
      },
    });
    manager.on('refreshFailed', (event) => failures.push(event.error));
    await manager.saveTokenSet(initial);
    expect(await manager.getAccessToken('42')).toBe(initial.accessToken);
    await clock.advance(61_000);
    expect(leaks.keep(await rejectionOf(manager.getAccessToken('42')))).toBeInstanceOf(NetworkError);
    expect(failures).toHaveLength(2);
  });

  it('keeps the refresh token when the marketplace does not rotate it', async () => {
    const clock = createManualClock();
    const initial = tokenSet({ expiresAt: clock.now() + 60_000 });
    const manager = createTokenManager({
      marketplace: 'meli',
      store: new MemoryTokenStore(),
      clock,
      refresh: async () => ({
        marketplace: 'meli',
        accountId: '42',
        accessToken: secret('a'),
        expiresAt: clock.now() + HOUR,
      }),
    });
    await manager.saveTokenSet(initial);
    await manager.getAccessToken('42');
    expect((await manager.getTokenSet('42'))?.refreshToken).toBe(initial.refreshToken);
  });

  it('refuses to save a token set of another marketplace or without a token', async () => {
    const manager = createTokenManager({
      marketplace: 'meli',
      store: new MemoryTokenStore(),
      refresh: async () => tokenSet(),
    });
    const error = await rejectionOf(
      manager.saveTokenSet({ ...tokenSet(), marketplace: 'shopee', accessToken: '' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'marketplace',
      'accessToken',
    ]);
  });
});

describe('createTokenManager with refresh locks', () => {
  /** A process of the fleet: its own token manager over the shared store, counting what it saw. */
  function processOn(
    store: TokenStore,
    clock: Clock,
    refresh: (current: StoredTokenSet) => Promise<TokenSet>,
    options: { waitMs?: number } = {},
  ) {
    const manager = createTokenManager({
      marketplace: 'meli',
      store,
      clock,
      logger: leaks.logger,
      refresh,
      ...(options.waitMs === undefined ? {} : { refreshLockWaitMs: options.waitMs }),
    });
    const reauthorizations: unknown[] = [];
    manager.on('reauthorizationRequired', (event) => reauthorizations.push(event));
    return { manager, reauthorizations };
  }

  it('makes a fleet with an expired token send one refresh, however slowly the winner is answered', async () => {
    const clock = createManualClock();
    const store = new MemoryTokenStore({ clock });
    const server = authServer(clock);
    const initial = tokenSet({ expiresAt: clock.now() - 1_000 });
    server.accept(initial.refreshToken);
    await store.set(initial);
    // The token endpoint answers after 1.5 s; a refused refresh token would be an invalid_grant.
    const slowRefresh = async (current: StoredTokenSet) => {
      const next = server.refresh(current);
      await clock.sleep(1_500);
      return next;
    };
    const fleet = [1, 2, 3, 4].map(() => processOn(store, clock, slowRefresh));

    const tokens = await settle(clock, Promise.all(fleet.map(({ manager }) => manager.getAccessToken('42'))));

    expect(server.calls()).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(initial.accessToken);
    expect(fleet.flatMap(({ reauthorizations }) => reauthorizations)).toEqual([]);
    expect(await store.get('meli', '42')).toMatchObject({
      accessToken: tokens[0],
      reauthorizationRequired: false,
    });
  });

  it('lets the next process refresh once when the holder died and its lease ended', async () => {
    const clock = createManualClock();
    const store = new MemoryTokenStore({ clock, refreshLockLeaseMs: 5_000 });
    const server = authServer(clock);
    const initial = tokenSet({ expiresAt: clock.now() - 1_000 });
    server.accept(initial.refreshToken);
    await store.set(initial);
    // A process took the lock and died before calling the token endpoint: nobody renews it.
    expect(await store.acquireRefreshLock('meli', '42')).toBeDefined();
    const survivor = processOn(store, clock, server.refresh);

    const startedAt = clock.now();
    const token = await settle(clock, survivor.manager.getAccessToken('42'));

    expect(clock.now() - startedAt).toBeGreaterThanOrEqual(5_000);
    expect(server.calls()).toBe(1);
    expect((await store.get('meli', '42'))?.accessToken).toBe(token);
    expect(survivor.reauthorizations).toEqual([]);
  });

  it('keeps the lease while a refresh runs longer than one lease (real time)', async () => {
    const store = new MemoryTokenStore({ refreshLockLeaseMs: 300 });
    const server = authServer(systemClock);
    const initial = tokenSet({ expiresAt: Date.now() - 1_000 });
    server.accept(initial.refreshToken);
    await store.set(initial);
    const verySlow = async (current: StoredTokenSet) => {
      const next = server.refresh(current);
      await systemClock.sleep(1_000);
      return next;
    };
    const fleet = [1, 2].map(() => processOn(store, systemClock, verySlow));

    const tokens = await Promise.all(fleet.map(({ manager }) => manager.getAccessToken('42')));

    expect(server.calls()).toBe(1);
    expect(tokens[0]).toBe(tokens[1]);
    expect(fleet.flatMap(({ reauthorizations }) => reauthorizations)).toEqual([]);
  });

  it('fails with a retryable error, without refreshing, when another process holds the lock too long', async () => {
    const clock = createManualClock();
    const store = new MemoryTokenStore({ clock, refreshLockLeaseMs: 60_000 });
    const server = authServer(clock);
    const initial = tokenSet({ expiresAt: clock.now() - 1_000 });
    server.accept(initial.refreshToken);
    await store.set(initial);
    await store.acquireRefreshLock('meli', '42');
    const waiter = processOn(store, clock, server.refresh, { waitMs: 2_000 });

    const error = leaks.keep(await settle(clock, rejectionOf(waiter.manager.getAccessToken('42'))));

    expect(error).toBeInstanceOf(MlhError);
    expect(error).toMatchObject({ code: 'token_refresh_busy', retryable: true });
    expect(server.calls()).toBe(0);
    expect(waiter.reauthorizations).toEqual([]);
  });

  it('fails clearly when the lock backend is unreachable, never refreshing without the lock', async () => {
    const clock = createManualClock();
    const inner = new MemoryTokenStore();
    const server = authServer(clock);
    const store: TokenStore = {
      ...withoutLocks(inner),
      acquireRefreshLock: async () => {
        throw new MlhError('Redis is unreachable at 127.0.0.1:6390: connection refused', {
          code: 'redis_unavailable',
          retryable: true,
        });
      },
    };
    const expired = tokenSet({ expiresAt: clock.now() - 1_000 });
    server.accept(expired.refreshToken);
    await inner.set(expired);
    const lonely = processOn(store, clock, server.refresh);
    const failures: unknown[] = [];
    lonely.manager.on('refreshFailed', ({ error }) => failures.push(error));

    const error = leaks.keep(await rejectionOf(lonely.manager.getAccessToken('42')));

    expect(error).toMatchObject({ code: 'redis_unavailable', retryable: true });
    expect((error as Error).message).toContain('Redis is unreachable');
    expect(server.calls()).toBe(0);
    expect(failures).toHaveLength(1);
    expect(lonely.reauthorizations).toEqual([]);

    // A token that is expiring but still valid keeps working while the lock backend is down.
    await inner.set(tokenSet({ expiresAt: clock.now() + 60_000 }));
    const stillValid = (await inner.get('meli', '42'))?.accessToken;
    expect(await lonely.manager.getAccessToken('42')).toBe(stillValid);
    expect(server.calls()).toBe(0);
  });

  it('writes nothing when the lease was lost before a refused refresh token, and says so', async () => {
    const clock = createManualClock();
    const inner = new MemoryTokenStore();
    const server = authServer(clock);
    let renewals = 0;
    const store: TokenStore = {
      ...withoutLocks(inner),
      acquireRefreshLock: async () => ({
        leaseMs: 150,
        renew: async () => {
          renewals += 1;
          return false;
        },
        release: async () => {},
      }),
    };
    const initial = tokenSet({ expiresAt: clock.now() - 1_000, refreshToken: secret('already-used') });
    await inner.set(initial);
    const before = await inner.get('meli', '42');
    // The answer takes longer than the lease, and the renewal finds the lease gone.
    const slowRefusal = async (current: StoredTokenSet) => {
      await systemClock.sleep(300);
      return server.refresh(current);
    };
    const holder = processOn(store, clock, slowRefusal);

    const error = leaks.keep(await settle(clock, rejectionOf(holder.manager.getAccessToken('42'))));

    expect(renewals).toBeGreaterThan(0);
    expect(error).toMatchObject({ code: 'token_refresh_lock_lost', retryable: true });
    expect(await inner.get('meli', '42')).toEqual(before);
    expect(holder.reauthorizations).toEqual([]);
  });

  it('marks the account when the refresh token is refused under a held lock, once for the fleet', async () => {
    const clock = createManualClock();
    const store = new MemoryTokenStore({ clock });
    const server = authServer(clock);
    await store.set(tokenSet({ expiresAt: clock.now() - 1_000, refreshToken: secret('revoked') }));
    const fleet = [1, 2, 3].map(() =>
      processOn(store, clock, async (current) => {
        await clock.sleep(1_500);
        return server.refresh(current);
      }),
    );

    const errors = await settle(
      clock,
      Promise.all(fleet.map(({ manager }) => rejectionOf(manager.getAccessToken('42')))),
    );

    expect(server.calls()).toBe(1);
    for (const error of errors) {
      expect(leaks.keep(error)).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).reauthorizationRequired).toBe(true);
    }
    expect(fleet.flatMap(({ reauthorizations }) => reauthorizations)).toHaveLength(1);
    expect((await store.get('meli', '42'))?.reauthorizationRequired).toBe(true);
  });

  it("forwards the wrapped store's locks through EncryptedTokenStore, and has none when it has none", async () => {
    const key = generateTokenEncryptionKey();
    const locking = new EncryptedTokenStore(new MemoryTokenStore(), { key });
    const lock = await locking.acquireRefreshLock?.('meli', '42');
    expect(lock).toBeDefined();
    expect(await locking.acquireRefreshLock?.('meli', '42')).toBeUndefined();
    await lock?.release();
    expect(await locking.acquireRefreshLock?.('meli', '42')).toBeDefined();
    expect(new EncryptedTokenStore(withoutLocks(new MemoryTokenStore()), { key }).acquireRefreshLock).toBe(
      undefined,
    );
  });
});

describe('secrets', () => {
  it('no log line or error produced in this file contains a whole token', () => {
    expect(leaks.errors.length).toBeGreaterThan(5);
    const leaking = leaks.texts().filter((text) => [...secrets].some((value) => text.includes(value)));
    expect(leaking).toEqual([]);
  });
});
