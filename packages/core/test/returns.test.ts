import {
  checkReturnInput,
  isReturnOpen,
  PartialRefundInputSchema,
  RefuseReturnInputSchema,
  Return,
  ReviewReturnInputSchema,
  returnReasonOf,
  ValidationError,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';

const base = {
  marketplace: 'meli',
  accountId: '1330467461',
  externalId: '5256749420',
  orderExternalId: '2000007819609432',
  kind: 'return',
  status: 'received',
  rawStatus: 'opened/claim',
  items: [
    {
      productExternalId: 'MLB3840513395',
      sku: 'MUG-1',
      quantity: 1,
      refundAmount: { amount: '89.90', currency: 'BRL' },
    },
  ],
  deadlines: [],
  availableActions: ['review_received'],
  evidence: [],
  related: [{ type: 'return', externalId: '57341011' }],
  createdAt: '2026-09-06T16:24:26.636+00:00',
  updatedAt: '2026-09-10T17:26:41.704+00:00',
  marketplaceOnly: 'kept',
};

function issuePaths(error: unknown): string[] {
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((issue) => issue.path);
}

describe('the Return model', () => {
  it('parses a normalized return and keeps fields it does not know', () => {
    const parsed = z.parse(Return, base);
    expect(parsed.items[0]?.refundAmount).toEqual({ amount: '89.90', currency: 'BRL' });
    expect((parsed as Record<string, unknown>).marketplaceOnly).toBe('kept');
  });

  it('refuses float money, fractional quantities and an unknown status', () => {
    const bad = {
      ...base,
      status: 'lost',
      items: [{ quantity: 1.5, refundAmount: { amount: 89.9, currency: 'BRL' } }],
    };
    const result = z.safeParse(Return, bad);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining(['status', 'items.0.quantity', 'items.0.refundAmount.amount']),
    );
  });

  it('tells open cases from final ones', () => {
    expect(isReturnOpen('requested')).toBe(true);
    expect(isReturnOpen('received')).toBe(true);
    expect(isReturnOpen('refunded')).toBe(false);
    expect(isReturnOpen('cancelled')).toBe(false);
  });

  it('keeps a reason code or text only when the marketplace sent one', () => {
    expect(returnReasonOf('NOT_AS_DESCRIBED', 'Wrong colour')).toEqual({
      reason: { code: 'NOT_AS_DESCRIBED', text: 'Wrong colour' },
    });
    expect(returnReasonOf('', 'Wrong colour')).toEqual({ reason: { text: 'Wrong colour' } });
    expect(returnReasonOf(undefined, null)).toEqual({});
  });
});

describe('return action inputs', () => {
  it('want exactly one of amount or percentage for a partial refund, under 100 %', () => {
    expect(checkReturnInput(PartialRefundInputSchema, { percentage: 50 }, 'partial refund')).toMatchObject({
      percentage: 50,
    });
    expect(() => checkReturnInput(PartialRefundInputSchema, {}, 'partial refund')).toThrow(ValidationError);
    try {
      checkReturnInput(
        PartialRefundInputSchema,
        { percentage: 100, amount: { amount: '10', currency: 'BRL' } },
        'partial refund',
        'meli',
      );
      expect.unreachable();
    } catch (error) {
      expect(issuePaths(error)).toEqual(expect.arrayContaining(['percentage', 'amount']));
      expect((error as ValidationError).marketplace).toBe('meli');
    }
  });

  it('want a reason to refuse, and a reason when the received goods are not as they should be', () => {
    try {
      checkReturnInput(RefuseReturnInputSchema, { comment: 'no' }, 'refusal');
      expect.unreachable();
    } catch (error) {
      expect(issuePaths(error)).toEqual(['reason']);
    }
    expect(checkReturnInput(ReviewReturnInputSchema, { ok: true }, 'review')).toEqual({ ok: true });
    try {
      checkReturnInput(ReviewReturnInputSchema, { ok: false }, 'review');
      expect.unreachable();
    } catch (error) {
      expect(issuePaths(error)).toEqual(['reason']);
    }
  });
});
