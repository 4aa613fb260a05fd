import { money, normalizeProduct, type Order, ValidationError } from '@mlh/core';
import {
  createMemorySyncStore,
  type OrderUpsertInput,
  type OrderUpsertResult,
  type SyncStore,
} from '@mlh/sync';
import { describe, expect, it } from 'vitest';
import { emptySyncStorePerCase, skipReason } from './support';

/**
 * A call of orders that are all new is stored in one message that works the movements out in
 * the database; when its premise fails (an order was stored already, a key is in the ledger, a
 * stock would pass ±(2^53−1)) the call is run again on the general path. Either way the results
 * and the stock are those the memory store gives for the same calls.
 */
describe.skipIf(skipReason !== undefined)('PostgreSQL upsertOrders of new orders', () => {
  const emptyStore = emptySyncStorePerCase();

  /** Runs `scenario` on the PostgreSQL store and on a memory store and returns both outcomes. */
  async function onBothStores<T>(
    scenario: (store: SyncStore) => Promise<T>,
  ): Promise<{ postgres: T; memory: T }> {
    const { store } = await emptyStore();
    return { postgres: await scenario(store), memory: await scenario(createMemorySyncStore()) };
  }

  it('gives each movement the stock and version after it, SKUs with and without stock, as the memory store', async () => {
    const { postgres, memory } = await onBothStores(async (store) => {
      await store.upsertProducts([product('CAP', 10), product('MUG', 3)]);
      const results = await store.upsertOrders!([
        input('o1', [reserve('o1', 'CAP', 2), reserve('o1', 'FRESH', 1)]),
        input('o2', [reserve('o2', 'MUG', 5), reserve('o2', 'CAP', 1)]),
        input('o3', [reserve('o3', 'CAP', 4), { key: 'o3:release:CAP', sku: 'CAP', delta: 4 }]),
        input('o4', []),
      ]);
      return { results: summaryOf(results), stock: await store.getStock(['CAP', 'FRESH', 'MUG']) };
    });
    expect(postgres).toEqual(memory);
    expect(postgres.results.map((r) => r.outcome)).toEqual(['created', 'created', 'created', 'created']);
    expect(postgres.stock).toEqual([
      { sku: 'CAP', quantity: 7, version: 5 },
      { sku: 'FRESH', quantity: -1, version: 1 },
      { sku: 'MUG', quantity: -2, version: 2 },
    ]);
  });

  it('does not move the stock again for a new order whose key is in the ledger already', async () => {
    const { postgres, memory } = await onBothStores(async (store) => {
      await store.upsertProducts([product('CAP', 10)]);
      await store.applyStockMovements([reserve('o2', 'CAP', 3)]);
      const results = await store.upsertOrders!([
        input('o1', [reserve('o1', 'CAP', 1)]),
        input('o2', [reserve('o2', 'CAP', 3)]),
        input('o3', [reserve('o3', 'CAP', 2)]),
      ]);
      return { results: summaryOf(results), stock: await store.getStock(['CAP']) };
    });
    expect(postgres).toEqual(memory);
    expect(postgres.results.map((r) => r.stock.map((m) => m.applied))).toEqual([[true], [false], [true]]);
    expect(postgres.stock).toEqual([{ sku: 'CAP', quantity: 4, version: 4 }]);
  });

  it('stores a call mixing stored and new orders, after a call of new ones, as the memory store', async () => {
    const { postgres, memory } = await onBothStores(async (store) => {
      await store.upsertProducts([product('CAP', 10)]);
      const first = await store.upsertOrders!([input('o1', [reserve('o1', 'CAP', 2)])]);
      // o1 again with no movement: only the stored order itself sends the call to the general path.
      const second = await store.upsertOrders!([input('o1', []), input('o2', [reserve('o2', 'CAP', 1)])]);
      const third = await store.upsertOrders!([input('o3', [reserve('o3', 'CAP', 1)])]);
      return {
        results: [first, second, third].map(summaryOf),
        stock: await store.getStock(['CAP']),
        stored: (await store.listOrders({ marketplace: 'shopee', accountId: 'shop-1', limit: 10 })).items.map(
          (stored) => stored.order.externalId,
        ),
      };
    });
    expect(postgres).toEqual(memory);
    expect(postgres.results[1]!.map((r) => r.outcome)).toEqual(['unchanged', 'created']);
    expect(postgres.stock).toEqual([{ sku: 'CAP', quantity: 6, version: 4 }]);
    expect(postgres.stored).toEqual(['o1', 'o2', 'o3']);
  });

  it('refuses a call that would take a stock beyond ±(2^53−1), naming the movement, and stores none of it', async () => {
    const { postgres, memory } = await onBothStores(async (store) => {
      await store.upsertProducts([product('CAP', Number.MAX_SAFE_INTEGER - 1)]);
      const error = await store.upsertOrders!([
        input('o1', [reserve('o1', 'CAP', 1)]),
        input('o2', [{ key: 'o2:restock', sku: 'CAP', delta: 3 }]),
      ]).catch((failure: unknown) => failure);
      return {
        error: error instanceof ValidationError ? error.issues.map((issue) => issue.path) : error,
        stock: await store.getStock(['CAP']),
        stored: (await store.listOrders({ marketplace: 'shopee', accountId: 'shop-1', limit: 10 })).items,
      };
    });
    expect(postgres).toEqual(memory);
    expect(postgres.error).toEqual(['1.movements.0.delta']);
    expect(postgres.stock).toEqual([{ sku: 'CAP', quantity: Number.MAX_SAFE_INTEGER - 1, version: 1 }]);
    expect(postgres.stored).toEqual([]);
  });
});

function product(sku: string, quantity: number) {
  return normalizeProduct({
    sku,
    title: `Product ${sku}`,
    description: 'A test product',
    images: ['https://example.com/p.jpg'],
    variants: [{ sku, price: money('19.90', 'BRL'), quantity, attributes: { option: sku } }],
  });
}

function reserve(orderId: string, sku: string, quantity: number) {
  return { key: `${orderId}:reserve:${sku}`, sku, delta: -quantity, reason: 'order.reserve' };
}

function input(externalId: string, movements: OrderUpsertInput['movements']): OrderUpsertInput {
  return { order: order(externalId), contentHash: `hash-${externalId}`, movements, now: 1 };
}

function order(externalId: string): Order {
  const brl = (amount: string) => money(amount, 'BRL');
  return {
    externalId,
    marketplace: 'shopee',
    accountId: 'shop-1',
    buyer: { nickname: 'buyer' },
    items: [
      {
        productExternalId: 'p1',
        sku: 'CAP',
        title: 'Cap',
        quantity: 1,
        unitPrice: brl('10'),
        total: brl('10'),
      },
    ],
    currency: 'BRL',
    subtotal: brl('10'),
    shippingCost: brl('0'),
    tax: brl('0'),
    total: brl('10'),
    status: 'paid',
    rawStatus: 'PAID',
    paymentStatus: 'paid',
    shipmentIds: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** What a caller reads of each result: the outcome, the stored order's id and hash, the stock. */
function summaryOf(results: readonly OrderUpsertResult[]) {
  return results.map((result) => ({
    outcome: result.outcome,
    orderId: result.stored.order.externalId,
    contentHash: result.stored.contentHash,
    stock: result.stock,
  }));
}
