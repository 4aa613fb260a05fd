import { describe, expect, it } from 'vitest';
import { databaseUrl, dropSchema, freshSchema } from '../../packages/sync-postgres/test/support';
import { main } from '../api';

const expectedStatuses = {
  orders: 200,
  accounts: 200,
  products: 200,
  openapi: 200,
  reference: 200,
  events: 200,
  unauthenticated: 401,
  'stock set': 200,
  'sync run': 202,
  'sync runs': 200,
  alerts: 200,
  connect: 201,
  callback: 200,
  'stock set retried': 200,
};

describe('the unified API on its own (examples/api.ts), against the sandboxes', () => {
  it('serves the orders of the three marketplaces from memory over HTTP', async () => {
    const run = await main({ env: {}, once: true, port: 0, print: () => {} });
    expect(run.statuses).toEqual(expectedStatuses);
    expect(run.orders).toBe(3);
    // The three accounts of the catalog, and the seller connected through the API.
    expect(run.accounts).toBe(4);
    expect(run.replayed).toBe(true);
  });

  it.skipIf(!databaseUrl)('serves them from PostgreSQL when DATABASE_URL is set', async () => {
    const schema = freshSchema();
    try {
      const run = await main({
        env: { DATABASE_URL: databaseUrl },
        once: true,
        port: 0,
        schema,
        print: () => {},
      });
      expect(run.statuses).toEqual(expectedStatuses);
      expect(run.orders).toBe(3);
      expect(run.replayed).toBe(true);
    } finally {
      await dropSchema(schema);
    }
  });
});
