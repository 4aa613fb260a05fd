import { MlhError, type TokenSet, ValidationError } from '@mlh/core';
import { createPostgresStores, MIGRATIONS, migratePostgres } from '@mlh/sync-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseUrl, dropSchema, freshSchema, paidOrderInput, skipReason } from './support';

const schemas: string[] = [];
function schemaForTest(): string {
  const schema = freshSchema();
  schemas.push(schema);
  return schema;
}

afterAll(async () => {
  if (skipReason) return;
  for (const schema of schemas) await dropSchema(schema);
});

describe('bad set-up is refused before any data is touched', () => {
  it('names an unparsable connection string without echoing it', async () => {
    await expect(createPostgresStores({ connectionString: 'not a url:secret' })).rejects.toThrow(
      /Invalid PostgreSQL connection string/,
    );
    await expect(createPostgresStores({ connectionString: 'mysql://root@localhost/db' })).rejects.toThrow(
      /protocol "mysql:"/,
    );
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      createPostgresStores({
        connectionString: 'postgresql://x@127.0.0.1/test',
        schema: 'a"; DROP TABLE x; --',
      }),
    ).rejects.toThrow(/Invalid schema name/);
  });

  it('names the host and the cause when the server cannot be reached, never the password', async () => {
    const error = await createPostgresStores({
      connectionString: 'postgresql://app:hunter2@127.0.0.1:1/test',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlhError);
    expect((error as Error).message).toMatch(
      /Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/test: connection refused/,
    );
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe.skipIf(skipReason !== undefined)('schema migrations', () => {
  it('asks for migrate() when the schema was never set up', async () => {
    await expect(
      createPostgresStores({ connectionString: databaseUrl!, schema: schemaForTest() }),
    ).rejects.toThrow(/is not set up .* run migrate\(\) first/);
  });

  it('migrates once when several processes migrate at the same time', async () => {
    const schema = schemaForTest();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => migratePostgres({ connectionString: databaseUrl!, schema })),
    );
    expect(results.flatMap((r) => r.applied)).toEqual(MIGRATIONS.map((m) => m.version));
    const again = await migratePostgres({ connectionString: databaseUrl!, schema });
    expect(again.applied).toEqual([]);
  });

  it('refuses a schema written by a newer version of the package', async () => {
    const schema = schemaForTest();
    await migratePostgres({ connectionString: databaseUrl!, schema });
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`INSERT INTO "${schema}"."schema_migrations" (version, name) VALUES (999, 'future')`);
    await client.end();
    await expect(createPostgresStores({ connectionString: databaseUrl!, schema })).rejects.toThrow(
      /version 999, newer than this @mlh\/sync-postgres knows .* upgrade the package/,
    );
  });

  it('keeps two table prefixes apart in one schema and works on the application’s own pool', async () => {
    const schema = schemaForTest();
    const pool = new pg.Pool({ connectionString: databaseUrl });
    try {
      const a = await createPostgresStores({ pool, schema, tablePrefix: 'a_', migrate: true });
      const b = await createPostgresStores({ pool, schema, tablePrefix: 'b_', migrate: true });
      await a.syncStore.setCheckpoint({ marketplace: 'meli', accountId: '1', stream: 'orders' }, 'A');
      expect(
        await b.syncStore.getCheckpoint({ marketplace: 'meli', accountId: '1', stream: 'orders' }),
      ).toBeUndefined();
      // New orders go through each prefix's own function, into its own tables.
      const orders = ['o1', 'o2'].map((id) => paidOrderInput(id, '1', 'CAP'));
      for (const stores of [a, b]) {
        const results = await stores.syncStore.upsertOrders!(orders);
        expect(results.map((r) => [r.outcome, r.stock[0]?.quantity])).toEqual([
          ['created', -1],
          ['created', -2],
        ]);
      }
      expect(await b.syncStore.getStock(['CAP'])).toEqual([{ sku: 'CAP', quantity: -2, version: 2 }]);
      await a.close();
      // The application's pool stays open after close().
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});

describe.skipIf(skipReason !== undefined)('PostgreSQL TokenStore', () => {
  const tokens = (accessToken: string): TokenSet => ({
    marketplace: 'meli',
    accountId: '123',
    accessToken,
    refreshToken: `refresh-${accessToken}`,
    expiresAt: 1_800_000_000_000,
    scopes: ['read', 'write'],
  });

  it('stores, versions and deletes a token set', async () => {
    const { tokenStore, close } = await createPostgresStores({
      connectionString: databaseUrl!,
      schema: schemaForTest(),
      migrate: true,
    });
    try {
      expect(await tokenStore.get('meli', '123')).toBeUndefined();
      const first = await tokenStore.set(tokens('a'));
      expect(first).toMatchObject({
        ok: true,
        stored: { accessToken: 'a', version: 1, scopes: ['read', 'write'] },
      });
      const second = await tokenStore.set(tokens('b'));
      expect(second.ok && second.stored.version).toBeGreaterThan(1);
      await tokenStore.delete('meli', '123');
      expect(await tokenStore.get('meli', '123')).toBeUndefined();
      // A version is never reused after a delete, so a stale expected version cannot win.
      const recreated = await tokenStore.set(tokens('c'), { expectedVersion: 0 });
      expect(recreated.ok && recreated.stored.version).toBeGreaterThan(second.ok ? second.stored.version : 0);
      expect((await tokenStore.set(tokens('stale'), { expectedVersion: 1 })).ok).toBe(false);
    } finally {
      await close();
    }
  });

  it('lets exactly one of two processes win a compare-and-set refresh', async () => {
    const schema = schemaForTest();
    const one = await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    const two = await createPostgresStores({ connectionString: databaseUrl!, schema });
    try {
      const initial = await one.tokenStore.set(tokens('old'), { expectedVersion: 0 });
      if (!initial.ok) throw new Error('the first write must succeed');
      const version = initial.stored.version;
      const results = await Promise.all([
        one.tokenStore.set(tokens('from-one'), { expectedVersion: version }),
        two.tokenStore.set(tokens('from-two'), { expectedVersion: version }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const loser = results.find((r) => !r.ok);
      const winner = results.find((r) => r.ok);
      expect(loser && !loser.ok && loser.current?.accessToken).toBe(winner?.ok && winner.stored.accessToken);
      expect((await one.tokenStore.set(tokens('again'), { expectedVersion: 0 })).ok).toBe(false);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('fails clearly when the database is gone while taking a refresh lock, never locking locally', async () => {
    const stores = await createPostgresStores({
      connectionString: databaseUrl!,
      schema: schemaForTest(),
      migrate: true,
    });
    await stores.close();
    const error = await stores.tokenStore.acquireRefreshLock?.('meli', '123').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(MlhError);
    expect(error).toMatchObject({ code: 'token_refresh_lock_unavailable', retryable: true });
    expect((error as Error).message).toMatch(
      /^Token refresh lock unavailable: Cannot connect to PostgreSQL at /,
    );
  });

  it('refuses a refresh lock lease that is not a whole number of milliseconds, before connecting', async () => {
    await expect(
      createPostgresStores({
        connectionString: 'postgresql://nobody@127.0.0.1:1/none',
        refreshLockLeaseMs: 0.5,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('remembers that an account must be authorized again', async () => {
    const { tokenStore, close } = await createPostgresStores({
      connectionString: databaseUrl!,
      schema: schemaForTest(),
      migrate: true,
    });
    try {
      await tokenStore.set({ ...tokens('a'), reauthorizationRequired: true });
      expect(await tokenStore.get('meli', '123')).toMatchObject({
        reauthorizationRequired: true,
        version: 1,
      });
    } finally {
      await close();
    }
  });
});

describe.skipIf(skipReason !== undefined)('token refresh across processes', () => {
  it('refreshes a single-use refresh token once when two token managers race, encrypted at rest', async () => {
    const { AuthenticationError, createTokenManager, EncryptedTokenStore, generateTokenEncryptionKey } =
      await import('@mlh/core');
    const schema = schemaForTest();
    const one = await createPostgresStores({ connectionString: databaseUrl!, schema, migrate: true });
    const two = await createPostgresStores({ connectionString: databaseUrl!, schema });
    const key = generateTokenEncryptionKey();
    const usedRefreshTokens: string[] = [];
    // Like Mercado Livre: a refresh token works once; reusing it is invalid_grant.
    const refresh = async (current: { refreshToken?: string | undefined }): Promise<TokenSet> => {
      const used = current.refreshToken ?? '';
      if (usedRefreshTokens.includes(used)) {
        throw new AuthenticationError('invalid_grant', { code: 'invalid_grant', marketplace: 'meli' });
      }
      usedRefreshTokens.push(used);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return {
        marketplace: 'meli',
        accountId: '123',
        accessToken: `access-${usedRefreshTokens.length}`,
        refreshToken: `refresh-${usedRefreshTokens.length}`,
        expiresAt: Date.now() + 6 * 3600_000,
      };
    };
    try {
      const managers = [one, two].map((stores) =>
        createTokenManager({
          marketplace: 'meli',
          store: new EncryptedTokenStore(stores.tokenStore, { key }),
          refresh,
        }),
      );
      await managers[0]!.saveTokenSet({
        marketplace: 'meli',
        accountId: '123',
        accessToken: 'expired-access',
        refreshToken: 'refresh-0',
        expiresAt: Date.now() - 1000,
      });
      const tokens = await Promise.all(
        Array.from({ length: 20 }, (_, i) => managers[i % 2]!.getAccessToken('123')),
      );
      expect(usedRefreshTokens).toEqual(['refresh-0']);
      expect(new Set(tokens)).toEqual(new Set(['access-1']));
      expect((await managers[1]!.getTokenSet('123'))?.reauthorizationRequired).toBeFalsy();
      const raw = await one.pool.query(`SELECT data::text AS data FROM "${schema}"."tokens"`);
      expect(raw.rows[0].data).not.toContain(tokens[0]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
