import { createWebhookHandler, type MlhEvent } from '@mlh/core';
import { eventClaimStore, OrderSync } from '@mlh/sync';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placePaidOrder } from '../../sync/test/sandbox-setup';
import type { MlhApi } from '../src/index';
import { createWorld, type World } from './world';

/**
 * The webhook endpoints: the sandboxes deliver to the API's `POST /webhooks/{marketplace}`, the
 * application's core webhook handler verifies and dedupes, `OrderSync` stores the order, and the
 * API lists it.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let world: World;
let api: MlhApi;
let events: MlhEvent[];
let duplicates: MlhEvent[];
let ingests: Promise<unknown>[];
/** Copies of the deliveries the API received, to send one again. */
let received: Request[];

beforeEach(async () => {
  world = await createWorld(server);
  const orders = new OrderSync({
    store: world.store,
    clients: world.adapters.clients,
    inventory: world.inventory,
    clock: () => world.sandboxes.clock.now(),
  });
  const webhooks = createWebhookHandler({
    sources: [world.adapters.meli.webhookSource(), world.adapters.tiktok.webhookSource()],
    dedupe: eventClaimStore(world.store, { clock: () => world.sandboxes.clock.now() }),
  });
  events = [];
  duplicates = [];
  ingests = [];
  webhooks.events.on('event', (event) => {
    events.push(event);
    ingests.push(orders.ingest(event));
  });
  webhooks.events.on('duplicate', (event) => duplicates.push(event));
  api = world.api({ webhooks });
  received = [];
  world.sandboxes.receiveWebhooks(async (request) => {
    received.push(request.clone());
    return api.fetch(request);
  });
});

async function ordersOf(marketplace: string): Promise<string[]> {
  const response = await api.request(`/orders?marketplace=${marketplace}`, {
    headers: { authorization: `Bearer ${world.keys.read}` },
  });
  return ((await response.json()) as { items: Array<{ externalId: string }> }).items.map(
    (order) => order.externalId,
  );
}

describe('POST /webhooks/{marketplace}', () => {
  it('takes a Mercado Livre order notification without an API key; the order is then listed', async () => {
    const placed = await placePaidOrder(world.sandboxes, 'meli', [{ sku: 'CAP', quantity: 1 }]);
    const statuses = await world.sandboxes.meli.webhooks.flush();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status >= 200 && status < 300)).toBe(true);
    await Promise.all(ingests);
    expect(
      events.some((event) => event.resourceType === 'order' && event.resourceId === placed.orderId),
    ).toBe(true);
    expect(await ordersOf('meli')).toContain(placed.orderId);
  });

  it('drops a redelivered notification as a duplicate', async () => {
    await placePaidOrder(world.sandboxes, 'tiktok', [{ sku: 'CAP', quantity: 1 }]);
    const delivered = await world.sandboxes.tiktok.webhooks.flush();
    expect(delivered.length).toBeGreaterThan(0);
    const accepted = events.length;
    expect(accepted).toBeGreaterThan(0);
    // The same delivery again, as a marketplace retrying after a lost acknowledgement.
    const again = await api.fetch(received[0]!.clone());
    expect(again.status).toBeLessThan(300);
    expect(duplicates).toHaveLength(1);
    expect(events).toHaveLength(accepted);
  });

  it('refuses a forged TikTok Shop delivery with 401 and emits nothing', async () => {
    const response = await api.request('/webhooks/tiktok', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'forged' },
      body: JSON.stringify({ type: 1, shop_id: world.accounts[2]!.accountId, data: { order_id: '1' } }),
    });
    expect(response.status).toBe(401);
    expect(events).toEqual([]);
  });

  it('is absent when the app has no webhook handler', async () => {
    const response = await world.api().request('/webhooks/meli', {
      method: 'POST',
      headers: { authorization: `Bearer ${world.keys.operator}` },
      body: '{}',
    });
    expect(response.status).toBe(404);
  });
});
