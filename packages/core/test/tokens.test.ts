import {
  AuthenticationError,
  createManualClock,
  createTokenManager,
  EncryptedTokenStore,
  generateTokenEncryptionKey,
  MemoryTokenStore,
  MlhError,
  NetworkError,
  type StoredTokenSet,
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

  it('lets only one of two processes sharing a store refresh; the other uses the stored token', async () => {
    const { clock, store, server, initial } = await managerWith({ expiresIn: 60_000 });
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

  it('keeps the winner when the loser marked the account before the winner stored', async () => {
    const { clock, store, server, initial } = await managerWith({ expiresIn: 60_000 });
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

  it('uses the stored token when another process stored first (compare-and-set lost)', async () => {
    const clock = createManualClock();
    const store = new MemoryTokenStore();
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

describe('secrets', () => {
  it('no log line or error produced in this file contains a whole token', () => {
    expect(leaks.errors.length).toBeGreaterThan(5);
    const leaking = leaks.texts().filter((text) => [...secrets].some((value) => text.includes(value)));
    expect(leaking).toEqual([]);
  });
});
