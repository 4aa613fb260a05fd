import {
  EncryptedTokenStore,
  generateTokenEncryptionKey,
  MemoryTokenStore,
  MlhError,
  type StoredTokenSet,
  type TokenSet,
  type TokenStore,
  ValidationError,
  weakKeyReason,
} from '@mlh/core';
import { base64url, CompactEncrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from './support';

const ACCESS = 'APP_USR-1111111111111111-access-token-aaaaaaaa';
const REFRESH = 'TG-2222222222222222-refresh-token-bbbbbbbbbbbb';

function tokenSet(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    marketplace: 'meli',
    accountId: '42',
    accessToken: ACCESS,
    refreshToken: REFRESH,
    expiresAt: Date.UTC(2026, 0, 1, 6),
    refreshExpiresAt: Date.UTC(2026, 6, 1),
    scopes: ['read', 'offline_access'],
    tokenType: 'Bearer',
    extra: { shopCipher: 'GCP_abc', nested: { b: 2, a: 1 } },
    ...overrides,
  };
}

/** Writes straight into the wrapped store, as someone with database access would. */
async function tamper(inner: TokenStore, change: (raw: StoredTokenSet) => StoredTokenSet): Promise<void> {
  const raw = (await inner.get('meli', '42')) as StoredTokenSet;
  await inner.set(change(raw));
}

async function codeOfRead(store: EncryptedTokenStore): Promise<unknown> {
  const error = await rejectionOf(store.get('meli', '42'));
  expect(error).toBeInstanceOf(MlhError);
  expect((error as Error).message).not.toContain(ACCESS);
  expect((error as Error).message).not.toContain(REFRESH);
  return (error as MlhError).code;
}

describe('EncryptedTokenStore binds each ciphertext to its field and to the clear fields', () => {
  it('refuses a record whose access and refresh ciphertexts were swapped', async () => {
    const inner = new MemoryTokenStore();
    const store = new EncryptedTokenStore(inner, { key: generateTokenEncryptionKey() });
    await store.set(tokenSet());
    await tamper(inner, (raw) => ({
      ...raw,
      accessToken: raw.refreshToken as string,
      refreshToken: raw.accessToken,
    }));
    expect(await codeOfRead(store)).toBe('token_binding_mismatch');
  });

  it.each<[string, (raw: StoredTokenSet) => StoredTokenSet]>([
    ['expiresAt extended', (raw) => ({ ...raw, expiresAt: raw.expiresAt + 365 * 86_400_000 })],
    ['refreshExpiresAt changed', (raw) => ({ ...raw, refreshExpiresAt: 0 })],
    ['scopes widened', (raw) => ({ ...raw, scopes: [...(raw.scopes ?? []), 'write'] })],
    ['tokenType changed', (raw) => ({ ...raw, tokenType: 'MAC' })],
    ['extra edited', (raw) => ({ ...raw, extra: { ...raw.extra, shopCipher: 'GCP_other' } })],
    ['the refresh token dropped', (raw) => ({ ...raw, refreshToken: undefined })],
  ])('refuses a record with %s outside the SDK', async (_name, change) => {
    const inner = new MemoryTokenStore();
    const store = new EncryptedTokenStore(inner, { key: generateTokenEncryptionKey() });
    await store.set(tokenSet());
    await tamper(inner, change);
    expect(await codeOfRead(store)).toBe('token_record_altered');
  });

  it('reads a record back whatever order the store returns its keys in, and with null or empty for absent fields', async () => {
    const inner = new MemoryTokenStore();
    const store = new EncryptedTokenStore(inner, { key: generateTokenEncryptionKey() });
    await store.set(tokenSet({ refreshExpiresAt: undefined, tokenType: undefined, scopes: [] }));
    // A JSON column (PostgreSQL jsonb) reorders object keys and may give null for what was absent.
    await tamper(inner, (raw) => ({
      ...raw,
      extra: { nested: { a: 1, b: 2 }, shopCipher: 'GCP_abc' },
      refreshExpiresAt: null as unknown as undefined,
      tokenType: null as unknown as undefined,
      scopes: null as unknown as undefined,
    }));
    expect(await store.get('meli', '42')).toMatchObject({ accessToken: ACCESS, refreshToken: REFRESH });
  });
});

describe('EncryptedTokenStore keys', () => {
  it.each([
    ['all zeros', new Uint8Array(32)],
    ['one byte repeated (hex "ab" × 32)', 'ab'.repeat(32)],
    ['a short pattern repeated', '0123456789abcdef'.repeat(4)],
    ['a counting sequence', Uint8Array.from({ length: 32 }, (_, index) => index)],
    ['a typed password', new TextEncoder().encode('correct horse battery staple 123')],
  ])('refuses a weak key: %s', (_name, key) => {
    const attempt = () => new EncryptedTokenStore(new MemoryTokenStore(), { key });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        expect.objectContaining({ path: 'key', code: 'weak_key' }),
      ]);
    }
  });

  it('finds no weakness in random keys', () => {
    for (let round = 0; round < 200; round++) {
      expect(weakKeyReason(crypto.getRandomValues(new Uint8Array(32)))).toBeUndefined();
    }
  });

  it('accepts a weak key among previousKeys, only to read records so they can be moved to a strong key', () => {
    const weak = new Uint8Array(32);
    expect(
      () =>
        new EncryptedTokenStore(new MemoryTokenStore(), {
          key: generateTokenEncryptionKey(),
          previousKeys: [weak],
        }),
    ).not.toThrow();
  });
});

describe('EncryptedTokenStore.reencrypt', () => {
  it('moves every record to the current key, so the old key can be dropped without losing one', async () => {
    const inner = new MemoryTokenStore();
    const oldKey = generateTokenEncryptionKey();
    const newKey = generateTokenEncryptionKey();
    const before = new EncryptedTokenStore(inner, { key: oldKey });
    await before.set(tokenSet());
    await before.set(tokenSet({ accountId: '43', refreshToken: undefined }));
    await before.set(tokenSet({ marketplace: 'shopee', accountId: '600000' }));

    const rotating = new EncryptedTokenStore(inner, { key: newKey, previousKeys: [oldKey] });
    await rotating.set(tokenSet({ accountId: '44' })); // already on the new key
    const accounts = [
      { marketplace: 'meli', accountId: '42' },
      { marketplace: 'meli', accountId: '43' },
      { marketplace: 'shopee', accountId: '600000' },
      { marketplace: 'meli', accountId: '44' },
      { marketplace: 'meli', accountId: 'gone' },
    ];
    const report = await rotating.reencrypt(accounts);
    expect(report).toEqual({ reencrypted: 3, upToDate: 1, missing: 1, failures: [] });

    const after = new EncryptedTokenStore(inner, { key: newKey });
    expect(await after.get('meli', '42')).toMatchObject(tokenSet());
    expect((await after.get('meli', '43'))?.refreshToken).toBeUndefined();
    expect((await after.get('shopee', '600000'))?.accessToken).toBe(ACCESS);
    expect(await rotating.reencrypt(accounts)).toMatchObject({ reencrypted: 0, upToDate: 4 });
  });

  it('reports a record no key opens and leaves it as it was', async () => {
    const inner = new MemoryTokenStore();
    await new EncryptedTokenStore(inner, { key: generateTokenEncryptionKey() }).set(tokenSet());
    const raw = await inner.get('meli', '42');
    const store = new EncryptedTokenStore(inner, { key: generateTokenEncryptionKey() });
    const report = await store.reencrypt([{ marketplace: 'meli', accountId: '42' }]);
    expect(report.reencrypted).toBe(0);
    expect(report.failures).toEqual([
      expect.objectContaining({
        accountId: '42',
        error: expect.objectContaining({ code: 'token_decryption_failed' }),
      }),
    ]);
    expect(await inner.get('meli', '42')).toEqual(raw);
  });

  it('never overwrites a refresh that lands while it runs', async () => {
    const inner = new MemoryTokenStore();
    const oldKey = generateTokenEncryptionKey();
    const newKey = generateTokenEncryptionKey();
    await new EncryptedTokenStore(inner, { key: oldKey }).set(tokenSet());
    const store = new EncryptedTokenStore(inner, { key: newKey, previousKeys: [oldKey] });
    let raced = false;
    const racing: TokenStore = {
      get: (marketplace, accountId) => inner.get(marketplace, accountId),
      delete: (marketplace, accountId) => inner.delete(marketplace, accountId),
      set: async (tokens, options) => {
        if (!raced) {
          raced = true; // another process refreshes between the read and the write
          await store.set(tokenSet({ accessToken: 'APP_USR-refreshed-meanwhile-000000' }));
        }
        return inner.set(tokens, options);
      },
    };
    const wrapped = new EncryptedTokenStore(racing, { key: newKey, previousKeys: [oldKey] });
    const report = await wrapped.reencrypt([{ marketplace: 'meli', accountId: '42' }]);
    expect(report).toMatchObject({ reencrypted: 0, upToDate: 1, failures: [] });
    expect((await store.get('meli', '42'))?.accessToken).toBe('APP_USR-refreshed-meanwhile-000000');
  });
});

describe('records of format 1 (written before field binding)', () => {
  /** A record as the previous version wrote it: the header binds only the account. */
  async function legacyRecord(inner: TokenStore, key: string): Promise<void> {
    const bytes = base64url.decode(key.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    const seal = (value: string) =>
      new CompactEncrypt(new TextEncoder().encode(value))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', mlh: 'meli/42' })
        .encrypt(bytes);
    await inner.set({ ...tokenSet(), accessToken: await seal(ACCESS), refreshToken: await seal(REFRESH) });
  }

  it('are still read by default, and reencrypt upgrades them to the current format', async () => {
    const inner = new MemoryTokenStore();
    const key = generateTokenEncryptionKey();
    await legacyRecord(inner, key);
    const store = new EncryptedTokenStore(inner, { key });
    expect((await store.get('meli', '42'))?.accessToken).toBe(ACCESS);
    expect(await store.reencrypt([{ marketplace: 'meli', accountId: '42' }])).toMatchObject({
      reencrypted: 1,
    });

    const strict = new EncryptedTokenStore(inner, { key, legacyRecords: 'refuse' });
    expect((await strict.get('meli', '42'))?.refreshToken).toBe(REFRESH);
    await tamper(inner, (raw) => ({ ...raw, expiresAt: raw.expiresAt + 1 }));
    expect(await codeOfRead(strict)).toBe('token_record_altered');
  });

  it("are refused with legacyRecords: 'refuse' once every account was upgraded", async () => {
    const inner = new MemoryTokenStore();
    const key = generateTokenEncryptionKey();
    await legacyRecord(inner, key);
    expect(await codeOfRead(new EncryptedTokenStore(inner, { key, legacyRecords: 'refuse' }))).toBe(
      'token_legacy_format',
    );
  });
});
