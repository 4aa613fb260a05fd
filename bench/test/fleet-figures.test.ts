import { describe, expect, it } from 'vitest';
import {
  accountsPerMinute,
  auditOrders,
  judgeRun,
  type RunProgress,
  refreshesPerExpiry,
  spreadAccounts,
  stockDifferences,
} from '../lib/fleet-figures';

describe('the fleet section’s figures', () => {
  it('finds orders the store lost, holds twice, or holds under an identity nobody placed', () => {
    const audit = auditOrders(
      ['meli:1:A', 'shopee:2:B', 'tiktok:3:C'],
      ['meli:1:A', 'shopee:2:B', 'shopee:2:B', 'tiktok:9:C'],
    );
    expect(audit).toEqual({
      placed: 3,
      stored: 4,
      lost: ['tiktok:3:C'],
      duplicated: ['shopee:2:B', 'tiktok:9:C'],
    });
    expect(auditOrders(['meli:1:A'], ['meli:1:A'])).toMatchObject({ lost: [], duplicated: [] });
  });

  it('lists each SKU whose marketplace stock is not the store’s, a SKU missing on one side included', () => {
    const marketplace = new Map([
      ['A', 20],
      ['B', 18],
      ['C', 5],
    ]);
    const store = new Map([
      ['A', 20],
      ['B', 25],
      ['D', 1],
    ]);
    expect(stockDifferences(marketplace, store)).toEqual([
      { sku: 'B', marketplace: 18, store: 25 },
      { sku: 'C', marketplace: 5, store: undefined },
      { sku: 'D', marketplace: undefined, store: 1 },
    ]);
  });

  it('spreads accounts over the marketplaces in turn', () => {
    expect(spreadAccounts(1_000, ['meli', 'shopee', 'tiktok'])).toEqual({
      meli: 334,
      shopee: 333,
      tiktok: 333,
    });
    expect(spreadAccounts(2, ['meli', 'shopee', 'tiktok'])).toEqual({ meli: 1, shopee: 1, tiktok: 0 });
  });

  it('turns counts into rates, and says n/a rather than dividing by zero', () => {
    expect(accountsPerMinute(500, 30)).toBe(1_000);
    expect(accountsPerMinute(5, 0)).toBeNaN();
    expect(refreshesPerExpiry(250, 250)).toBe(1);
    expect(refreshesPerExpiry(0, 0)).toBeNaN();
  });

  describe('waiting for a run', () => {
    const progress = (overrides: Partial<RunProgress>): RunProgress => ({
      accounts: ['meli:1', 'shopee:2', 'tiktok:3'],
      flushed: new Set(['meli:1', 'shopee:2']),
      deadLettered: new Set(),
      queuedJobs: 1,
      quietMs: 0,
      elapsedMs: 1_000,
      deadlineMs: 600_000,
      stallMs: 15_000,
      ...overrides,
    });

    it('counts an account whose job was dead-lettered as settled, so the wait ends', () => {
      expect(judgeRun(progress({}))).toEqual({ state: 'waiting' });
      expect(judgeRun(progress({ deadLettered: new Set(['tiktok:3']), queuedJobs: 0 }))).toEqual({
        state: 'done',
      });
    });

    it('stops, naming the missing accounts, when the queue is empty and the workers went quiet', () => {
      const verdict = judgeRun(progress({ queuedJobs: 0, quietMs: 15_000 }));
      expect(verdict).toEqual({
        state: 'stopped',
        reason:
          'stalled: 1 account(s) neither synced nor dead-lettered (tiktok:3), no job left in the queue and no worker progress for 15 s',
      });
      // A job still queued (a retry's backoff, a delayed flush) may yet settle it.
      expect(judgeRun(progress({ queuedJobs: 2, quietMs: 60_000 }))).toEqual({ state: 'waiting' });
      // Quiet for a moment only: the next job may simply not have been picked up yet.
      expect(judgeRun(progress({ queuedJobs: 0, quietMs: 2_000 }))).toEqual({ state: 'waiting' });
    });

    it('stops at the deadline whatever is still queued', () => {
      expect(judgeRun(progress({ elapsedMs: 600_000, queuedJobs: 7 }))).toEqual({
        state: 'stopped',
        reason:
          'deadline of 600 s passed: 1 account(s) neither synced nor dead-lettered (tiktok:3); 7 job(s) still queued',
      });
    });
  });
});
