import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { generateTokenEncryptionKey } from '@mlh/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveMarketplaces, readConfig } from '../lib/config';
import { FileTokenStore } from '../lib/file-token-store';
import { table } from '../lib/report';
import { openStores } from '../lib/stores';

describe('the real-credentials switch', () => {
  it('runs everything against the sandboxes when no credentials are set', () => {
    const config = readConfig({});
    expect(liveMarketplaces(config)).toEqual([]);
    expect(config.tokenFile).toMatch(/examples[/\\]\.tmp[/\\]tokens\.json$/);
  });

  it('switches each marketplace on its own, reading the variables of .env.example', () => {
    const config = readConfig({
      SHOPEE_PARTNER_ID: '2001887',
      SHOPEE_PARTNER_KEY: 'shpk-key',
      SHOPEE_SHOP_ID: '600001',
      SHOPEE_ENVIRONMENT: 'sandbox',
      MLH_TOKEN_KEY: 'a'.repeat(64),
      DATABASE_URL: 'postgresql://mlh@localhost/mlh',
      PORT: '8080',
    });
    expect(liveMarketplaces(config)).toEqual(['shopee']);
    expect(config.shopee).toMatchObject({ partnerId: 2001887, environment: 'sandbox', shopId: '600001' });
    expect(config).toMatchObject({
      tokenKey: 'a'.repeat(64),
      databaseUrl: 'postgresql://mlh@localhost/mlh',
      port: 8080,
    });
  });

  it('leaves every marketplace on its sandbox when .env.example is copied to .env as it is', () => {
    const example = parseEnv(
      readFileSync(fileURLToPath(new URL('../../.env.example', import.meta.url)), 'utf8'),
    );
    // The file does carry values (placeholders and defaults); none of them is a credential.
    expect(example.MELI_REDIRECT_URI).toMatch(/^https:/);
    expect(example.SHOPEE_ENVIRONMENT).toBe('production');
    const config = readConfig(example);
    expect(liveMarketplaces(config)).toEqual([]);
    expect(config.meli?.siteId).toBeUndefined();
  });

  it('switches a marketplace on by its credentials only, not by its other variables', () => {
    const config = readConfig({
      MELI_REDIRECT_URI: 'https://shop.test/meli/callback',
      SHOPEE_REDIRECT_URL: 'https://shop.test/shopee/callback',
      SHOPEE_REGION: 'brazil',
      TIKTOK_SERVICE_ID: '7000000000000000001',
      TIKTOK_APP_KEY: 'key',
      TIKTOK_APP_SECRET: 'secret',
    });
    expect(liveMarketplaces(config)).toEqual(['tiktok']);
  });

  it('accepts the older spellings TOKEN_ENCRYPTION_KEY and SHOPEE_ENV', () => {
    const config = readConfig({
      SHOPEE_PARTNER_ID: '1',
      SHOPEE_PARTNER_KEY: 'k',
      SHOPEE_ENV: 'sandbox',
      TOKEN_ENCRYPTION_KEY: 'b'.repeat(64),
    });
    expect(config.shopee?.environment).toBe('sandbox');
    expect(config.tokenKey).toBe('b'.repeat(64));
  });

  it('names what is wrong instead of half-configuring a marketplace', () => {
    expect(() => readConfig({ MELI_CLIENT_ID: '123' })).toThrow(
      'MELI_CLIENT_SECRET, MELI_REDIRECT_URI missing: set all of MELI_CLIENT_ID, MELI_CLIENT_SECRET, MELI_REDIRECT_URI or none of MELI_CLIENT_ID, MELI_CLIENT_SECRET',
    );
    expect(() =>
      readConfig({
        MELI_CLIENT_ID: '123',
        MELI_CLIENT_SECRET: 's',
        MELI_REDIRECT_URI: 'https://app.example.com/meli/callback',
      }),
    ).toThrow('MELI_REDIRECT_URI still holds the placeholder of .env.example');
    expect(() => readConfig({ SHOPEE_PARTNER_ID: 'abc', SHOPEE_PARTNER_KEY: 'k' })).toThrow(
      'SHOPEE_PARTNER_ID',
    );
    expect(() =>
      readConfig({ SHOPEE_PARTNER_ID: '1', SHOPEE_PARTNER_KEY: 'k', SHOPEE_ENVIRONMENT: 'staging' }),
    ).toThrow('SHOPEE_ENVIRONMENT must be one of production, sandbox, not "staging"');
  });
});

describe('FileTokenStore', () => {
  let directory: string;
  let path: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'mlh-tokens-'));
    path = join(directory, 'nested', 'tokens.json');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const tokens = { marketplace: 'meli', accountId: '42', accessToken: 'a1', expiresAt: 1 } as const;

  it('keeps token sets across instances, owner-readable only', async () => {
    await new FileTokenStore(path).set(tokens);
    const reopened = new FileTokenStore(path);
    expect(await reopened.get('meli', '42')).toMatchObject({ accessToken: 'a1', version: 1 });
    expect(await reopened.accounts('meli')).toEqual(['42']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await reopened.delete('meli', '42');
    expect(await reopened.get('meli', '42')).toBeUndefined();
  });

  it('is a compare-and-set store: of two refreshes from the same version, one wins', async () => {
    const store = new FileTokenStore(path);
    const first = await store.set(tokens, { expectedVersion: 0 });
    expect(first.ok).toBe(true);
    const [a, b] = await Promise.all([
      store.set({ ...tokens, accessToken: 'a2' }, { expectedVersion: 1 }),
      store.set({ ...tokens, accessToken: 'a3' }, { expectedVersion: 1 }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, false]);
    expect(b).toMatchObject({ ok: false, current: { accessToken: 'a2', version: 2 } });
    expect(JSON.parse(readFileSync(path, 'utf8')).tokens['meli:42'].accessToken).toBe('a2');
  });
});

describe('the stores of a run with one real marketplace', () => {
  it("keeps the real marketplace's tokens in the file, encrypted, and the sandboxes' in memory", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'mlh-stores-'));
    try {
      const path = join(directory, 'tokens.json');
      const config = readConfig({
        MELI_CLIENT_ID: '1',
        MELI_CLIENT_SECRET: 's',
        MELI_REDIRECT_URI: 'http://localhost:3000/meli/callback',
        MLH_TOKEN_KEY: generateTokenEncryptionKey(),
        MLH_TOKEN_FILE: path,
      });
      const stores = await openStores(config, { live: liveMarketplaces(config) });
      await stores.tokenStore.set({
        marketplace: 'meli',
        accountId: '7',
        accessToken: 'APP_USR-real',
        expiresAt: 1,
      });
      await stores.tokenStore.set({
        marketplace: 'shopee',
        accountId: '8',
        accessToken: 'sandbox',
        expiresAt: 1,
      });
      expect(await stores.storedAccounts('meli')).toEqual(['7']);
      expect(await stores.storedAccounts('shopee')).toEqual([]);
      expect(readFileSync(path, 'utf8')).not.toContain('APP_USR-real');
      expect((await stores.tokenStore.get('shopee', '8'))?.accessToken).toBe('sandbox');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('table', () => {
  it('aligns text left and numbers right', () => {
    expect(
      table([
        ['sku', 'before', 'after'],
        ['MUG-300', 20, 19],
        ['CAP', 15, 12],
      ]),
    ).toBe(
      [
        'sku      before  after',
        '───────  ──────  ─────',
        'MUG-300      20     19',
        'CAP          15     12',
      ].join('\n'),
    );
  });
});
