import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type AccountRegistry, createMemoryAccountRegistry } from '../src/index';
import { createPostgresAccountRegistry } from '../src/postgres';

const databaseUrl = process.env.DATABASE_URL;
const schema = `t_api_accounts_${process.pid}_${Date.now().toString(36)}`;
const pools: pg.Pool[] = [];

function query(): (text: string, values: readonly unknown[]) => Promise<pg.QueryResult> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pools.push(pool);
  return (text, values) => pool.query(text, [...values]);
}

afterAll(async () => {
  if (!databaseUrl) return;
  await query()(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`, []);
  await Promise.all(pools.map((pool) => pool.end()));
});

/** Two handles on one registry: two processes of the API (the memory one is one process). */
type Open = () => Promise<{ registry: AccountRegistry; otherProcess: AccountRegistry }>;

function describeAccountRegistry(name: string, open: Open) {
  describe(`${name} account registry`, () => {
    it('lists what was registered in marketplace then account order, each account once', async () => {
      const { registry } = await open();
      await registry.register({ marketplace: 'tiktok', accountId: '7001' });
      await registry.register({ marketplace: 'meli', accountId: '99' });
      await registry.register({ marketplace: 'meli', accountId: '123', label: 'Loja Centro' });
      await registry.register({ marketplace: 'meli', accountId: '99' });
      expect(await registry.list()).toEqual([
        { marketplace: 'meli', accountId: '123', label: 'Loja Centro' },
        { marketplace: 'meli', accountId: '99' },
        { marketplace: 'tiktok', accountId: '7001' },
      ]);
    });

    it('a reconnection keeps the label unless it brings a new one', async () => {
      const { registry } = await open();
      await registry.register({ marketplace: 'shopee', accountId: '600001', label: 'Loja Sul' });
      await registry.register({ marketplace: 'shopee', accountId: '600001' });
      expect(await registry.list()).toEqual([
        { marketplace: 'shopee', accountId: '600001', label: 'Loja Sul' },
      ]);
      await registry.register({ marketplace: 'shopee', accountId: '600001', label: 'Loja Norte' });
      expect((await registry.list())[0]?.label).toBe('Loja Norte');
    });

    it('an account connected through one process is listed by the others', async () => {
      const { registry, otherProcess } = await open();
      await registry.register({ marketplace: 'meli', accountId: '555' });
      expect(await otherProcess.list()).toEqual([{ marketplace: 'meli', accountId: '555' }]);
    });
  });
}

describeAccountRegistry('The memory', async () => {
  const registry = createMemoryAccountRegistry();
  return { registry, otherProcess: registry };
});

let tables = 0;
describe.skipIf(!databaseUrl)('on PostgreSQL', () => {
  describeAccountRegistry('The PostgreSQL', async () => {
    tables += 1;
    const options = { schema, table: `accounts_${tables}` };
    const registry = await createPostgresAccountRegistry({ ...options, query: query(), migrate: true });
    const otherProcess = await createPostgresAccountRegistry({ ...options, query: query() });
    return { registry, otherProcess };
  });

  it('refuses to start on a table that does not exist unless asked to create it', async () => {
    await expect(
      createPostgresAccountRegistry({ query: query(), schema, table: 'never_created' }),
    ).rejects.toThrow(/never_created does not exist: pass migrate: true/);
  });

  it('names a bad table name as a validation error before any statement', async () => {
    await expect(
      createPostgresAccountRegistry({ query: query(), table: 'Accounts; DROP TABLE x' }),
    ).rejects.toMatchObject({ kind: 'validation', issues: [{ path: 'table' }] });
  });
});
