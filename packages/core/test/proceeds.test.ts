import {
  assertProceedsBalanced,
  money,
  OrderProceeds,
  type ProceedsDraft,
  type ProceedsLine,
  reconcileProceeds,
  sumProceedsLines,
  ValidationError,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';

function line(kind: ProceedsLine['kind'], label: string, amount: string, currency = 'BRL'): ProceedsLine {
  return { kind, label, amount: money(amount, currency), rawKey: `order.${label}` };
}

function draft(overrides: Partial<ProceedsDraft> = {}): ProceedsDraft {
  return {
    marketplace: 'shopee',
    accountId: 'shop-1',
    orderExternalId: '2501010ABC',
    currency: 'BRL',
    gross: money('125.92', 'BRL'),
    lines: [line('commission', 'sale_fee', '-22.14'), line('shipping', 'senders.cost', '-8.19')],
    status: 'confirmed',
    raw: {},
    ...overrides,
  };
}

describe('reconcileProceeds', () => {
  it("adds Mercado Livre's worked example exactly: 125.92 − 22.14 − 8.19 = 95.59", () => {
    const proceeds = reconcileProceeds(draft({ reportedNet: money('95.59', 'BRL') }));
    expect(proceeds.net).toEqual({ amount: '95.59', currency: 'BRL' });
    expect(proceeds.balanced).toBe(true);
    expect(proceeds.mismatches).toEqual([]);
    expect(OrderProceeds.safeParse(proceeds).success).toBe(true);
  });

  it('sums amounts floats cannot: ten fees of 0.10 and one of 0.20 are exactly 1.20', () => {
    const lines = [
      ...Array.from({ length: 10 }, () => line('service_fee', 'fee', '-0.1')),
      line('other', 'x', '-0.2'),
    ];
    const proceeds = reconcileProceeds(
      draft({ gross: money('1.2', 'BRL'), lines, reportedNet: money('0', 'BRL') }),
    );
    expect(proceeds.net.amount).toBe('0.00');
    expect(proceeds.balanced).toBe(true);
    expect(Array.from({ length: 10 }, () => 0.1).reduce((sum, fee) => sum + fee, 0)).not.toBe(1);
  });

  it('reports a one-cent difference from the reported net instead of absorbing it', () => {
    const proceeds = reconcileProceeds(draft({ reportedNet: money('95.6', 'BRL') }));
    expect(proceeds.net.amount).toBe('95.59');
    expect(proceeds.reportedNet?.amount).toBe('95.60');
    expect(proceeds.balanced).toBe(false);
    expect(proceeds.mismatches).toEqual([
      {
        subject: 'net',
        reported: { amount: '95.60', currency: 'BRL' },
        computed: { amount: '95.59', currency: 'BRL' },
        difference: { amount: '0.01', currency: 'BRL' },
      },
    ]);
    expect(() => assertProceedsBalanced(proceeds)).toThrow(ValidationError);
    expect(() => assertProceedsBalanced(proceeds)).toThrow(
      /reports 95\.60 BRL, the lines add up to 95\.59 \(difference 0\.01\)/,
    );
  });

  it('checks further reported totals, such as a fee total reported apart from the lines', () => {
    const lines = [line('commission', 'sale_fee', '-11.07'), line('commission', 'sale_fee', '-11.07')];
    const proceeds = reconcileProceeds(
      draft({
        lines,
        checks: [
          {
            subject: 'marketplace_fee',
            reported: money('-22.15', 'BRL'),
            computed: sumProceedsLines(lines, 'BRL', (l) => l.kind === 'commission'),
          },
        ],
      }),
    );
    expect(proceeds.reportedNet).toBeUndefined();
    expect(proceeds.balanced).toBe(false);
    expect(proceeds.mismatches[0]).toMatchObject({
      subject: 'marketplace_fee',
      difference: { amount: '-0.01' },
    });
  });

  it('writes CLP without decimals and BRL with two, keeping digits a currency does not round away', () => {
    const clp = reconcileProceeds(
      draft({
        currency: 'CLP',
        gross: money('15000.00', 'CLP'),
        lines: [line('commission', 'sale_fee', '-1950', 'CLP')],
        reportedNet: money('13050', 'CLP'),
      }),
    );
    expect(clp.gross.amount).toBe('15000');
    expect(clp.net.amount).toBe('13050');
    expect(clp.lines[0]?.amount.amount).toBe('-1950');
    expect(clp.balanced).toBe(true);

    const brl = reconcileProceeds(
      draft({
        gross: money(120, 'BRL'),
        lines: [line('commission', 'commission_fee', '-16.8')],
        reportedNet: money('103.2', 'BRL'),
      }),
    );
    expect(brl.gross.amount).toBe('120.00');
    expect(brl.lines[0]?.amount.amount).toBe('-16.80');
    expect(brl.net.amount).toBe('103.20');

    const fraction = reconcileProceeds(
      draft({ gross: money('10.125', 'BRL'), lines: [], reportedNet: money('10.13', 'BRL') }),
    );
    expect(fraction.net.amount).toBe('10.125');
    expect(fraction.mismatches[0]?.difference.amount).toBe('0.005');
  });

  it('refuses a line in another currency, naming it', () => {
    const mixed = draft({ lines: [line('shipping', 'senders.cost', '-8.19', 'USD')] });
    expect(() => reconcileProceeds(mixed)).toThrow(ValidationError);
    expect(() => reconcileProceeds(mixed)).toThrow(/lines\.0\.amount\.currency: USD is not BRL/);
  });

  it('keeps the marketplace labels and raw keys as given', () => {
    const proceeds = reconcileProceeds(draft());
    expect(proceeds.lines.map((l) => [l.kind, l.label, l.rawKey])).toEqual([
      ['commission', 'sale_fee', 'order.sale_fee'],
      ['shipping', 'senders.cost', 'order.senders.cost'],
    ]);
    expect(proceeds.balanced).toBe(true); // nothing reported to compare with
  });
});
