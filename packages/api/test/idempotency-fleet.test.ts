import { setupServer } from 'msw/node';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MlhApi } from '../src/index';
import { createPostgresIdempotencyStore } from '../src/postgres';
import { createWorld, type World } from './world';

/**
 * Two processes of the API behind one load balancer: two apps, each with its own connection pool,
 * over one PostgreSQL idempotency table. A client's retry that lands on the other process gets the
 * first answer, and the marketplace sees the write once.
 */

const databaseUrl = process.env.DATABASE_URL;
const schema = `t_api_fleet_${process.pid}_${Date.now().toString(36)}`;
const CARRIER = 'DPD';

const server = setupServer();
const pools: pg.Pool[] = [];
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(async () => {
  server.close();
  if (pools[0]) await pools[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await Promise.all(pools.map((pool) => pool.end()));
});

describe.skipIf(!databaseUrl)('idempotency across two API processes (PostgreSQL)', () => {
  let world: World;
  let first: MlhApi;
  let second: MlhApi;
  let table = 0;
  beforeEach(async () => {
    world = await createWorld(server);
    table += 1;
    const processApi = async () => {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      pools.push(pool);
      const idempotency = await createPostgresIdempotencyStore({
        query: (text, values) => pool.query(text, [...values]),
        schema,
        table: `keys_${table}`,
        migrate: true,
      });
      return world.api({ idempotency });
    };
    first = await processApi();
    second = await processApi();
  });

  const write = (api: MlhApi, method: string, path: string, body: unknown, key: string) =>
    api.request(path, {
      method,
      headers: {
        authorization: `Bearer ${world.keys.operator}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });

  it('replays a fulfilment retried on the other process, without shipping twice', async () => {
    const placed = world.orders[2]!;
    const path = `/orders/tiktok/${world.accounts[2]!.accountId}/${placed.orderId}/fulfillment`;
    const body = { carrier: CARRIER, trackingNumber: 'AA123456785BR' };
    const shipped = await write(first, 'POST', path, body, 'ship-fleet-1');
    expect(shipped.status).toBe(200);
    const answer = await shipped.text();
    const calls = world.sandboxes.tiktok.stats().requests;

    const retried = await write(second, 'POST', path, body, 'ship-fleet-1');
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await retried.text()).toBe(answer);
    expect(world.sandboxes.tiktok.stats().requests).toBe(calls);
    expect(world.sandboxes.tiktok.listPackages({ orderId: placed.orderId })).toHaveLength(1);

    const reused = await write(second, 'POST', path, { ...body, trackingNumber: 'BB1' }, 'ship-fleet-1');
    expect(reused.status).toBe(422);
  });

  it('replays a stock set retried on the other process with the first answer (applied: true)', async () => {
    const set = await write(first, 'PUT', '/inventory/CAP', { quantity: 40 }, 'count-fleet-1');
    expect(set.status).toBe(200);
    const answer = (await set.json()) as { applied: boolean; level: { quantity: number } };
    expect(answer).toMatchObject({ applied: true, level: { quantity: 40 } });
    // An order moves the stock before the retry arrives.
    await world.store.applyStockMovements([{ key: 'order:x', sku: 'CAP', delta: -3, reason: 'order' }]);

    const retried = await write(second, 'PUT', '/inventory/CAP', { quantity: 40 }, 'count-fleet-1');
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await retried.json()).toEqual(answer);
    const [level] = await world.store.getStock(['CAP']);
    expect(level!.quantity).toBe(37);
  });

  it('lets one of two simultaneous identical writes on the two processes run', async () => {
    const [a, b] = await Promise.all([
      write(first, 'PUT', '/inventory/MUG-RED', { quantity: 9 }, 'count-fleet-2'),
      write(second, 'PUT', '/inventory/MUG-RED', { quantity: 9 }, 'count-fleet-2'),
    ]);
    const answers = [a, b].map((response) => ({
      status: response.status,
      replayed: response.headers.get('idempotent-replayed') === 'true',
    }));
    const ran = answers.filter((answer) => answer.status === 200 && !answer.replayed);
    expect(ran).toHaveLength(1);
    // The other waited for nothing: it was told the key is in use, or (had the first finished) replayed.
    const other = answers.find((answer) => answer !== ran[0])!;
    expect(other.status === 409 || other.replayed).toBe(true);
    const [level] = await world.store.getStock(['MUG-RED']);
    expect(level!.quantity).toBe(9);
  });
});
