import {
  type MarketplaceClient,
  type MlhEvent,
  money,
  NotFoundError,
  normalizeProduct,
  type Return,
  ServerError,
} from '@mlh/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type InventorySync,
  RETURN_STREAM,
  ReturnSync,
  returnMovementKey,
  type StockLevel,
  type SyncStore,
} from '../../src/index';

/**
 * The restock of returns, run against any `SyncStore` (the memory store here, PostgreSQL in
 * `@mlh/sync-postgres`): a received return puts its goods back once, whatever reads it again.
 */

const ACCOUNT = '468424240';
const T0 = Date.parse('2026-09-10T12:00:00.000Z');

/** A client that reads returns from a map and counts its calls; `fail` makes one id fail. */
export class FakeReturnsClient {
  readonly marketplace = 'meli';
  readonly accountId = ACCOUNT;
  readonly returns = new Map<string, Return>();
  readonly failing = new Set<string>();
  calls = 0;

  put(ret: Return): void {
    this.returns.set(ret.externalId, ret);
  }

  async getReturn(externalId: string): Promise<Return> {
    this.calls += 1;
    if (this.failing.has(externalId)) throw new ServerError('flaky', { marketplace: 'meli', status: 503 });
    const ret = this.returns.get(externalId);
    if (!ret) throw new NotFoundError(`no return ${externalId}`, { marketplace: 'meli' });
    return ret;
  }

  async *listReturns(options: { updatedSince?: Date | string | number } = {}): AsyncGenerator<Return> {
    this.calls += 1;
    const since = options.updatedSince === undefined ? 0 : new Date(options.updatedSince).getTime();
    const sorted = [...this.returns.values()].sort(
      (a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt),
    );
    for (const ret of sorted) {
      if (Date.parse(ret.updatedAt) < since) continue;
      if (this.failing.has(ret.externalId))
        throw new ServerError('flaky', { marketplace: 'meli', status: 503 });
      yield ret;
    }
  }

  asClient(): MarketplaceClient {
    return this as unknown as MarketplaceClient;
  }
}

/** A return of `items` in `status`, its parcel `parcel` (delivered to the seller by default). */
export function sampleReturn(
  externalId: string,
  items: Return['items'],
  overrides: Partial<Return> = {},
  updatedAt = new Date(T0).toISOString(),
): Return {
  return {
    marketplace: 'meli',
    accountId: ACCOUNT,
    externalId,
    orderExternalId: `order-${externalId}`,
    kind: 'return',
    status: 'received',
    rawStatus: 'opened/claim/return:delivered',
    items,
    shipment: { status: 'delivered', destination: 'seller', shipmentIds: ['43810672299'] },
    deadlines: [],
    availableActions: ['review_received'],
    evidence: [],
    related: [],
    createdAt: new Date(T0 - 86_400_000).toISOString(),
    updatedAt,
    ...overrides,
  };
}

function event(resourceId: string, dedupeKey: string): MlhEvent {
  return {
    type: 'return.updated',
    marketplace: 'meli',
    accountId: ACCOUNT,
    resourceType: 'return',
    resourceId,
    occurredAt: new Date(T0).toISOString(),
    dedupeKey,
    topic: 'post_purchase',
    raw: {},
  };
}

/** What the store under test needs from its factory. */
export interface RestockStoreUnderTest {
  store: SyncStore;
}

/** The battery: every case starts from an empty store made by `factory`. */
export function describeReturnRestock(name: string, factory: () => Promise<RestockStoreUnderTest>): void {
  describe(`Return restock: ${name}`, () => {
    let store: SyncStore;
    let client: FakeReturnsClient;
    let notified: StockLevel[];
    let now: number;

    const returnSync = (options: Partial<ConstructorParameters<typeof ReturnSync>[0]> = {}) =>
      new ReturnSync({
        store,
        clients: [client.asClient()],
        inventory: { notify: (levels: StockLevel[]) => notified.push(...levels) } as unknown as InventorySync,
        clock: () => now,
        ...options,
      });
    const stockOf = async (sku: string) => (await store.getStock([sku]))[0]?.quantity;

    beforeEach(async () => {
      ({ store } = await factory());
      client = new FakeReturnsClient();
      notified = [];
      now = T0;
      await store.upsertProducts([
        normalizeProduct({
          sku: 'MUG',
          title: 'Caneca',
          images: ['https://example.com/mug.jpg'],
          variants: [
            { sku: 'MUG-RED', price: money('29.90', 'BRL'), quantity: 3, attributes: { color: 'Red' } },
            { sku: 'MUG-BLUE', price: money('29.90', 'BRL'), quantity: 3, attributes: { color: 'Blue' } },
          ],
        }),
      ]);
      await store.completeListingCreate({
        marketplace: 'meli',
        accountId: ACCOUNT,
        sku: 'MUG',
        productExternalId: 'MLB3840513395',
        variants: [
          { sku: 'MUG-RED', externalId: '180000000001' },
          { sku: 'MUG-BLUE', externalId: '180000000002' },
        ],
        now: T0,
      });
    });

    it('puts the goods of a received return back once, however often and concurrently it is read', async () => {
      const ret = sampleReturn('5256749420', [
        { productExternalId: 'MLB3840513395', variantExternalId: '180000000001', quantity: 2 },
      ]);
      const sync = returnSync();
      const results = await Promise.all([sync.restock(ret), sync.restock(ret), returnSync().restock(ret)]);
      await sync.restock(structuredClone(ret));

      expect(results.map((result) => result.restockedUnits).sort()).toEqual([0, 0, 2]);
      expect(await stockOf('MUG-RED')).toBe(5);
      expect(await stockOf('MUG-BLUE')).toBe(3);
      expect(notified.map((level) => [level.sku, level.quantity])).toEqual([['MUG-RED', 5]]);
      expect(results.flatMap((result) => result.stock.map((level) => level.key))[0]).toBe(
        returnMovementKey(ret, 'sku:180000000001#0'),
      );
    });

    it('restocks nothing until the goods arrive, nor what the marketplace warehouse received', async () => {
      const lines = [{ productExternalId: 'MLB3840513395', sku: 'MUG-BLUE', quantity: 1 }];
      const sync = returnSync();
      const travelling = sampleReturn('1', lines, {
        status: 'in_transit',
        shipment: { status: 'in_transit', shipmentIds: [] },
      });
      const atWarehouse = sampleReturn('2', lines, {
        shipment: { status: 'delivered', destination: 'marketplace_warehouse', shipmentIds: [] },
      });
      const refundOnly = sampleReturn('3', lines, {
        kind: 'refund',
        status: 'refunded',
        shipment: undefined,
      });
      for (const ret of [travelling, atWarehouse, refundOnly]) {
        expect((await sync.restock(ret)).stock).toEqual([]);
      }
      expect(await stockOf('MUG-BLUE')).toBe(3);

      const arrived = await sync.restock({
        ...travelling,
        status: 'received',
        shipment: { status: 'delivered', shipmentIds: [] },
      });
      expect(arrived.restockedUnits).toBe(1);
      expect(await stockOf('MUG-BLUE')).toBe(4);
    });

    it('resolves lines through the listing, then the line SKU, and reports lines it cannot place', async () => {
      const ret = sampleReturn('7', [
        { productExternalId: 'MLB3840513395', variantExternalId: '180000000002', quantity: 1 },
        { sku: 'MUG-RED', quantity: 1 },
        { productExternalId: 'MLB999', sku: 'NOT-IN-CATALOG', quantity: 4 },
      ]);
      const result = await returnSync().restock(ret);
      expect(result.unmatched).toEqual(['sku:NOT-IN-CATALOG#0']);
      expect([await stockOf('MUG-RED'), await stockOf('MUG-BLUE')]).toEqual([4, 4]);
      expect(await store.getStock(['NOT-IN-CATALOG'])).toEqual([]);
    });

    it('lets the application decide which returns restock (e.g. not the ones it reviewed as damaged)', async () => {
      const damaged = sampleReturn('9', [{ sku: 'MUG-RED', quantity: 1 }], { status: 'disputed' });
      const sync = returnSync({ shouldRestock: (ret) => ret.status !== 'disputed' });
      expect((await sync.restock(damaged)).stock).toEqual([]);
      expect(await stockOf('MUG-RED')).toBe(3);
    });

    it('ingests a return event once per delivery and ignores other events', async () => {
      client.put(sampleReturn('11', [{ sku: 'MUG-RED', quantity: 1 }]));
      const sync = returnSync();
      const first = await sync.ingest(event('11', 'n-1'));
      expect(first).toMatchObject({ status: 'processed', result: { restockedUnits: 1 } });
      expect(await sync.ingest(event('11', 'n-1'))).toEqual({ status: 'duplicate' });
      // A new notification about the same return reads it again and moves nothing.
      expect(await sync.ingest(event('11', 'n-2'))).toMatchObject({
        status: 'processed',
        result: { restockedUnits: 0 },
      });
      expect(await sync.ingest({ ...event('11', 'n-3'), resourceType: 'order' })).toMatchObject({
        status: 'ignored',
      });
      expect(await stockOf('MUG-RED')).toBe(4);
    });

    it('releases an event whose return could not be read, so the redelivery is processed', async () => {
      client.put(sampleReturn('12', [{ sku: 'MUG-RED', quantity: 2 }]));
      client.failing.add('12');
      const sync = returnSync();
      await expect(sync.ingest(event('12', 'n-9'))).rejects.toThrow(ServerError);
      client.failing.delete('12');
      expect(await sync.ingest(event('12', 'n-9'))).toMatchObject({
        status: 'processed',
        result: { restockedUnits: 2 },
      });
      expect(await stockOf('MUG-RED')).toBe(5);
    });

    it('polls returns past a checkpoint, restocking each received one once across polls', async () => {
      client.put(
        sampleReturn('21', [{ sku: 'MUG-RED', quantity: 1 }], {}, new Date(T0 - 60_000).toISOString()),
      );
      client.put(
        sampleReturn('22', [{ sku: 'MUG-BLUE', quantity: 2 }], {}, new Date(T0 - 30_000).toISOString()),
      );
      const sync = returnSync();
      const first = await sync.poll({ marketplace: 'meli', accountId: ACCOUNT });
      expect(first).toMatchObject({ ran: true, fetched: 2, restockedUnits: 3, failed: [] });
      expect(
        await store.getCheckpoint({ marketplace: 'meli', accountId: ACCOUNT, stream: RETURN_STREAM }),
      ).toBe(String(T0 - 30_000));

      now += 60_000;
      const second = await sync.poll({ marketplace: 'meli', accountId: ACCOUNT });
      expect(second).toMatchObject({ restockedUnits: 0 });
      expect([await stockOf('MUG-RED'), await stockOf('MUG-BLUE')]).toEqual([4, 5]);
    });

    it('holds the checkpoint at a return that failed, so the next poll reads it again', async () => {
      client.put(
        sampleReturn('31', [{ sku: 'MUG-RED', quantity: 1 }], {}, new Date(T0 - 60_000).toISOString()),
      );
      client.put(
        sampleReturn('32', [{ sku: 'MUG-BLUE', quantity: 1 }], {}, new Date(T0 - 30_000).toISOString()),
      );
      let broken = true;
      const sync = returnSync({
        overlapMs: 0,
        shouldRestock: (ret) => {
          if (broken && ret.externalId === '32') throw new ServerError('store down', { status: 503 });
          return true;
        },
      });
      const first = await sync.poll({ marketplace: 'meli', accountId: ACCOUNT });
      expect(first.failed).toMatchObject([{ stage: 'return.restock', orderId: 'order-32', retryable: true }]);
      const checkpoint = await store.getCheckpoint({
        marketplace: 'meli',
        accountId: ACCOUNT,
        stream: RETURN_STREAM,
      });
      expect(Number(checkpoint)).toBeLessThan(T0 - 30_000);

      broken = false;
      const second = await sync.poll({ marketplace: 'meli', accountId: ACCOUNT });
      expect(second).toMatchObject({ restockedUnits: 1, failed: [] });
      expect([await stockOf('MUG-RED'), await stockOf('MUG-BLUE')]).toEqual([4, 4]);
    });

    it('keeps the checkpoint where it was when the listing itself fails', async () => {
      client.put(
        sampleReturn('41', [{ sku: 'MUG-RED', quantity: 1 }], {}, new Date(T0 - 60_000).toISOString()),
      );
      client.failing.add('41');
      const first = await returnSync().poll({ marketplace: 'meli', accountId: ACCOUNT });
      expect(first.failed).toMatchObject([{ stage: 'returns.list' }]);
      expect(
        await store.getCheckpoint({ marketplace: 'meli', accountId: ACCOUNT, stream: RETURN_STREAM }),
      ).toBeUndefined();
    });
  });
}
