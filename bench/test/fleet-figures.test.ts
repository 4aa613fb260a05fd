import { describe, expect, it } from 'vitest';
import {
  accountsPerMinute,
  auditOrders,
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
});
