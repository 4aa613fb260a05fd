import type { Logger } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import {
  type ActivityStore,
  createMemoryActivityStore,
  type ItemFailedEvent,
  type ProductSyncSummary,
  recordSyncActivity,
  SyncEmitter,
  type SyncEventMap,
} from '../src/index';
import { describeActivityStoreConformance } from '../src/testing';

describeActivityStoreConformance('createMemoryActivityStore', async () => ({
  store: createMemoryActivityStore(),
}));

/** An emitter the test drives by hand, as an orchestrator would. */
class FakeOrchestrator extends SyncEmitter {
  send<K extends keyof SyncEventMap>(event: K, ...args: SyncEventMap[K]): void {
    this.emitSafe(event, ...args);
  }
}

const T0 = Date.UTC(2026, 2, 1, 12);

function productSummary(runId: string, overrides: Partial<ProductSyncSummary> = {}): ProductSyncSummary {
  return {
    kind: 'products',
    runId,
    startedAt: T0,
    finishedAt: T0 + 1000,
    total: 2,
    created: 0,
    adopted: 0,
    updated: 1,
    statusChanged: 0,
    unchanged: 0,
    pricesPushed: 0,
    stockPushed: 0,
    failed: [],
    ...overrides,
  };
}

const mugFailure = (runId: string): ItemFailedEvent => ({
  runId,
  kind: 'products',
  marketplace: 'meli',
  accountId: '100',
  sku: 'MUG',
  stage: 'validate',
  reason: 'title: too long',
  retryable: false,
});

function failedRun(orchestrator: FakeOrchestrator, runId: string) {
  orchestrator.send('started', { runId, kind: 'products', at: T0 });
  orchestrator.send('item.failed', mugFailure(runId));
  orchestrator.send('item.synced', {
    runId,
    marketplace: 'meli',
    accountId: '100',
    sku: 'CAP',
    productExternalId: 'MLB1',
    actions: ['updated'],
  });
  orchestrator.send('finished', {
    runId,
    kind: 'products',
    summary: productSummary(runId, { failed: [mugFailure(runId)] }),
  });
}

describe('recordSyncActivity', () => {
  it('records a run with its counts, its failure, an alert and the listing error', async () => {
    const store = createMemoryActivityStore();
    const orchestrator = new FakeOrchestrator();
    const opened: string[] = [];
    const recorder = recordSyncActivity(orchestrator, store, {
      clock: () => T0 + 500,
      onAlertOpened: (alert) => opened.push(alert.key),
    });
    failedRun(orchestrator, 'run-1');
    await recorder.idle();

    expect(await store.getRun('run-1')).toEqual({
      id: 'run-1',
      kind: 'products',
      status: 'partial',
      startedAt: T0,
      finishedAt: T0 + 1000,
      done: 1,
      failed: 1,
    });
    const failures = await store.listFailures({ limit: 10 });
    expect(failures.items).toEqual([
      expect.objectContaining({
        runId: 'run-1',
        sku: 'MUG',
        stage: 'validate',
        retryable: false,
        at: T0 + 500,
      }),
    ]);
    expect(await store.listAlerts({ status: 'open', limit: 10 })).toEqual([
      expect.objectContaining({
        kind: 'sync_failure',
        severity: 'critical',
        sku: 'MUG',
        marketplace: 'meli',
      }),
    ]);
    expect(opened).toEqual(['sync_failure:meli:100:sku:MUG']);
    expect(await store.getListingErrors([{ marketplace: 'meli', accountId: '100', sku: 'MUG' }])).toEqual([
      expect.objectContaining({ reason: 'title: too long', failureId: failures.items[0]!.id }),
    ]);
  });

  it('records a replayed event once, and a repeat failure in a later run under the same open alert', async () => {
    const store = createMemoryActivityStore();
    const orchestrator = new FakeOrchestrator();
    const recorder = recordSyncActivity(orchestrator, store, { clock: () => T0 + 500 });
    failedRun(orchestrator, 'run-1');
    failedRun(orchestrator, 'run-1');
    await recorder.idle();
    expect((await store.listFailures({ limit: 10 })).items).toHaveLength(1);
    expect((await store.getRun('run-1'))?.failed).toBe(1);

    failedRun(orchestrator, 'run-2');
    await recorder.idle();
    expect((await store.listFailures({ limit: 10 })).items).toHaveLength(2);
    expect(await store.listAlerts({ status: 'open', limit: 10 })).toHaveLength(1);
  });

  it('a later successful sync of the listing clears its error and resolves its failure and alert', async () => {
    const store = createMemoryActivityStore();
    const orchestrator = new FakeOrchestrator();
    let now = T0 + 500;
    const recorder = recordSyncActivity(orchestrator, store, { clock: () => now });
    failedRun(orchestrator, 'run-1');
    await recorder.idle();
    now = T0 + 60_000;
    orchestrator.send('started', { runId: 'run-2', kind: 'products', at: now });
    orchestrator.send('item.synced', {
      runId: 'run-2',
      marketplace: 'meli',
      accountId: '100',
      sku: 'MUG',
      productExternalId: 'MLB2',
      actions: ['created'],
    });
    orchestrator.send('finished', {
      runId: 'run-2',
      kind: 'products',
      summary: productSummary('run-2', { startedAt: now, finishedAt: now, created: 1, updated: 0 }),
    });
    await recorder.idle();
    expect(await store.getListingErrors([{ marketplace: 'meli', accountId: '100', sku: 'MUG' }])).toEqual([]);
    expect((await store.listFailures({ limit: 10, status: 'open' })).items).toEqual([]);
    expect(await store.listAlerts({ status: 'open', limit: 10 })).toEqual([]);
    expect((await store.getRun('run-2'))?.status).toBe('succeeded');
  });

  it('an order poll without failures resolves the earlier poll failures of its account', async () => {
    const store = createMemoryActivityStore();
    const orchestrator = new FakeOrchestrator();
    const recorder = recordSyncActivity(orchestrator, store, { clock: () => T0 });
    const poll = (runId: string, failed: ItemFailedEvent[]) => {
      orchestrator.send('started', {
        runId,
        kind: 'orders.poll',
        at: T0,
        marketplace: 'shopee',
        accountId: '7',
      });
      for (const event of failed) orchestrator.send('item.failed', event);
      orchestrator.send('finished', {
        runId,
        kind: 'orders.poll',
        summary: {
          kind: 'orders.poll',
          runId,
          marketplace: 'shopee',
          accountId: '7',
          startedAt: T0,
          finishedAt: T0 + 10,
          ran: true,
          fetched: 3,
          created: 2,
          updated: 0,
          unchanged: 0,
          stale: 0,
          failed,
        },
      });
    };
    poll('p1', [
      {
        runId: 'p1',
        kind: 'orders.poll',
        marketplace: 'shopee',
        accountId: '7',
        orderId: 'SO-1',
        stage: 'store',
        reason: 'timeout',
        retryable: true,
      },
    ]);
    await recorder.idle();
    expect(await store.getRun('p1')).toMatchObject({
      status: 'partial',
      marketplace: 'shopee',
      accountId: '7',
    });
    expect((await store.listAlerts({ status: 'open', limit: 10 }))[0]?.severity).toBe('warning');
    poll('p2', []);
    await recorder.idle();
    expect((await store.listFailures({ limit: 10, status: 'open' })).items).toEqual([]);
  });

  it('an accepted stock push resolves the earlier stock failures of that variant, and their alert', async () => {
    const store = createMemoryActivityStore();
    const orchestrator = new FakeOrchestrator();
    let now = T0;
    const recorder = recordSyncActivity(orchestrator, store, { clock: () => now });
    orchestrator.send('started', { runId: 'flush-1', kind: 'inventory.flush', at: T0 });
    orchestrator.send('item.failed', {
      runId: 'flush-1',
      kind: 'inventory.flush',
      marketplace: 'tiktok',
      accountId: '9',
      sku: 'MUG-RED',
      stage: 'stock',
      reason: 'HTTP 503',
      retryable: true,
    });
    await recorder.idle();
    expect(await store.listAlerts({ status: 'open', limit: 10 })).toHaveLength(1);
    now = T0 + 60_000;
    for (const variantSku of ['MUG-BLUE', 'MUG-RED']) {
      orchestrator.send('stock.pushed', {
        marketplace: 'tiktok',
        accountId: '9',
        sku: 'MUG',
        variantSku,
        quantity: 4,
        stock: 4,
        version: 3,
      });
    }
    await recorder.idle();
    expect((await store.listFailures({ limit: 10, status: 'open' })).items).toEqual([]);
    expect(await store.listAlerts({ status: 'open', limit: 10 })).toEqual([]);
  });

  it('never lets a failing store reach the orchestrator: the error goes to the logger', async () => {
    const broken = new Proxy(createMemoryActivityStore(), {
      get: () => async () => {
        throw new Error('database down: password=hunter2');
      },
    }) as ActivityStore;
    const errors: Array<Record<string, unknown> | undefined> = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (_message, fields) => errors.push(fields),
    };
    const orchestrator = new FakeOrchestrator();
    const recorder = recordSyncActivity(orchestrator, broken, { logger });
    expect(() => failedRun(orchestrator, 'run-1')).not.toThrow();
    await recorder.idle();
    expect(errors.map((fields) => fields?.write)).toEqual([
      'start run',
      'record failure',
      'resolve listings',
      'finish run',
    ]);
    expect(JSON.stringify(errors)).not.toContain('hunter2');
  });

  it('stops listening when stopped', async () => {
    const store = createMemoryActivityStore();
    const orchestrator = new FakeOrchestrator();
    const recorder = recordSyncActivity(orchestrator, store);
    recorder.stop();
    failedRun(orchestrator, 'run-1');
    await recorder.idle();
    expect(await store.getRun('run-1')).toBeUndefined();
  });
});
