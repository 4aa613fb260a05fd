import {
  addMoney,
  assertMoneyFitsCurrency,
  compareMoney,
  currencyScale,
  money,
  moneyEquals,
  moneyInCurrencyScale,
  multiplyMoney,
  roundDecimal,
  subtractMoney,
  sumMoney,
  toDecimalString,
  toMinorUnits,
  ValidationError,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';
import {
  addMoney as fastAddMoney,
  compareMoney as fastCompareMoney,
  moneyInCurrencyScale as fastMoneyInCurrencyScale,
  multiplyMoney as fastMultiplyMoney,
  subtractMoney as fastSubtractMoney,
  sumMoney as fastSumMoney,
} from '../src/fast-money';
import {
  addMoney as exactAddMoney,
  compareMoney as exactCompareMoney,
  moneyInCurrencyScale as exactMoneyInCurrencyScale,
  multiplyMoney as exactMultiplyMoney,
  subtractMoney as exactSubtractMoney,
  sumMoney as exactSumMoney,
} from '../src/money';

/** Each two-amount helper of the Node entry beside the exact one it stands in for. */
const TWINS = [
  { name: 'addMoney', fast: fastAddMoney, exact: exactAddMoney },
  { name: 'subtractMoney', fast: fastSubtractMoney, exact: exactSubtractMoney },
  { name: 'compareMoney', fast: fastCompareMoney, exact: exactCompareMoney },
] as const;

/** Units and scale of a decimal string, by bigint: the test's own arithmetic. */
function exact(value: string): { units: bigint; scale: number } {
  const [whole = '', fraction = ''] = value.split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

/** A decimal string written back from bigint units, as the SDK writes one. */
function written(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Decimal strings of 1 to 20 digits, signed or not, with leading zeros and 0 to 4 decimals. */
function decimals(count: number): string[] {
  let seed = 20_261_206;
  const next = (below: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((seed / 2_147_483_648) * below);
  };
  return Array.from({ length: count }, () => {
    const length = 1 + next(20);
    let digits = '';
    for (let index = 0; index < length; index++) digits += String(next(10));
    const places = Math.min(next(5), length - 1);
    const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    return next(3) === 0 ? `-${text}` : text;
  });
}

describe('money', () => {
  it('adds, subtracts, multiplies and compares exactly at every size, below and beyond 15 digits', () => {
    const values = decimals(1500);
    const brl = (amount: string) => money(amount, 'BRL');
    for (let index = 0; index + 1 < values.length; index++) {
      const a = values[index] as string;
      const b = values[index + 1] as string;
      const x = exact(a);
      const y = exact(b);
      const scale = Math.max(x.scale, y.scale);
      const ax = x.units * 10n ** BigInt(scale - x.scale);
      const by = y.units * 10n ** BigInt(scale - y.scale);
      const quantity = (index % 7) * 1_234_567 + (index % 3);
      expect({ a, b, sum: addMoney(brl(a), brl(b)).amount }).toEqual({ a, b, sum: written(ax + by, scale) });
      expect({ a, b, difference: subtractMoney(brl(a), brl(b)).amount }).toEqual({
        a,
        b,
        difference: written(ax - by, scale),
      });
      expect({ a, b, order: compareMoney(brl(a), brl(b)) }).toEqual({
        a,
        b,
        order: ax === by ? 0 : ax < by ? -1 : 1,
      });
      expect({ a, quantity, product: multiplyMoney(brl(a), quantity).amount }).toEqual({
        a,
        quantity,
        product: written(x.units * BigInt(quantity), x.scale),
      });
    }
    const some = values.slice(0, 50).map(exact);
    const widest = Math.max(...some.map(({ scale }) => scale));
    const total = some.reduce((sum, { units, scale }) => sum + units * 10n ** BigInt(widest - scale), 0n);
    expect(sumMoney(values.slice(0, 50).map(brl), 'BRL').amount).toBe(written(total, widest));
  });

  it('totals 3 × 0.10 plus 0.20 shipping to exactly 0.50', () => {
    const items = multiplyMoney(money('0.10', 'BRL'), 3);
    const total = addMoney(items, money('0.20', 'BRL'));
    expect(total).toEqual({ amount: '0.50', currency: 'BRL' });
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it('keeps the larger scale and handles negatives', () => {
    expect(addMoney(money('1.5', 'USD'), money('0.25', 'USD')).amount).toBe('1.75');
    expect(subtractMoney(money('1', 'USD'), money('2.50', 'USD')).amount).toBe('-1.50');
    expect(subtractMoney(money('0.05', 'USD'), money('0.1', 'USD')).amount).toBe('-0.05');
  });

  it('sums many amounts and treats the empty sum as zero', () => {
    expect(sumMoney([money('0.1', 'BRL'), money('0.2', 'BRL')], 'BRL').amount).toBe('0.3');
    expect(sumMoney([], 'BRL')).toEqual({ amount: '0', currency: 'BRL' });
  });

  it('compares numerically, not textually', () => {
    expect(compareMoney(money('1.50', 'BRL'), money('1.5', 'BRL'))).toBe(0);
    expect(compareMoney(money('10', 'BRL'), money('9.99', 'BRL'))).toBe(1);
    expect(moneyEquals(money('2.0', 'BRL'), money('2', 'BRL'))).toBe(true);
    expect(moneyEquals(money('2', 'USD'), money('2', 'BRL'))).toBe(false);
  });

  it('refuses to mix currencies with a ValidationError naming the field', () => {
    expect(() => addMoney(money('1', 'BRL'), money('1', 'USD'))).toThrow(ValidationError);
    try {
      addMoney(money('1', 'BRL'), money('1', 'USD'));
    } catch (error) {
      expect((error as ValidationError).issues[0]?.path).toBe('currency');
    }
  });

  it('converts marketplace numbers to decimal strings without float noise', () => {
    expect(toDecimalString(19.9)).toBe('19.9');
    expect(toDecimalString(1e-7)).toBe('0.0000001');
    expect(toDecimalString('12.30')).toBe('12.30');
    expect(toDecimalString(9007199254740991)).toBe('9007199254740991');
    expect(() => toDecimalString(Number.NaN)).toThrow(ValidationError);
    expect(() => toDecimalString('abc')).toThrow(ValidationError);
  });

  it('accepts only plain decimal strings and safe finite numbers as amounts', () => {
    for (const text of ['0x1A', '0b101', '0o17', '1e3', ' 12.30 ', '', '+1', '1.', '.5', 'Infinity']) {
      expect(() => money(text, 'BRL'), text).toThrow(ValidationError);
    }
    expect(() => money(1.5e21, 'BRL')).toThrow(/beyond ±2\^53/);
    expect(() => money(Number.POSITIVE_INFINITY, 'BRL')).toThrow(ValidationError);
    expect(() => money('1e3', 'BRL')).toThrow(/"1e3" is not a plain decimal/);
  });

  it('throws the SDK ValidationError, never a ZodError, for a bad currency', () => {
    expect(() => money('1.00', 'brl')).toThrow(ValidationError);
    expect(() => money('1.00', 'brl')).toThrow(/currency/);
  });

  it('refuses a negative or fractional number of decimal places', () => {
    expect(() => roundDecimal('1.5', -1)).toThrow(ValidationError);
    expect(() => roundDecimal('1.5', 1.5)).toThrow(ValidationError);
  });

  it('writes marketplace amounts in the currency scale without losing digits', () => {
    expect(currencyScale('BRL')).toBe(2);
    expect(currencyScale('CLP')).toBe(0);
    expect(moneyInCurrencyScale(29.9, 'BRL')).toEqual({ amount: '29.90', currency: 'BRL' });
    expect(moneyInCurrencyScale('29.900', 'BRL').amount).toBe('29.90');
    expect(moneyInCurrencyScale('15000.00', 'CLP').amount).toBe('15000');
    expect(moneyInCurrencyScale('0.125', 'BRL').amount).toBe('0.125');
    expect(moneyInCurrencyScale(-3, 'MXN').amount).toBe('-3.00');
  });

  it('writes every amount in the currency scale the one canonical way', () => {
    const cases: Array<[string, string, string]> = [
      ['0', 'BRL', '0.00'],
      ['-0', 'BRL', '0.00'],
      ['-0.0', 'BRL', '0.00'],
      ['-0.00', 'CLP', '0'],
      ['007.5', 'BRL', '7.50'],
      ['0.5', 'BRL', '0.50'],
      ['-0.5', 'BRL', '-0.50'],
      ['12', 'BRL', '12.00'],
      ['12', 'CLP', '12'],
      ['-12', 'CLP', '-12'],
      ['1.5', 'JPY', '1.5'],
      ['10.000', 'BRL', '10.00'],
      ['10.001', 'BRL', '10.001'],
      ['99999999999999999999.1', 'USD', '99999999999999999999.10'],
    ];
    for (const [amount, currency, written] of cases) {
      expect([amount, currency, moneyInCurrencyScale(amount, currency).amount]).toEqual([
        amount,
        currency,
        written,
      ]);
    }
    expect(() => moneyInCurrencyScale('1.2.3', 'BRL')).toThrow(ValidationError);
  });

  it('adds, compares and rescales exactly on both sides of 15 digits', () => {
    // An oracle in bigints, apart from the SDK: value × 10^scale as an integer.
    const unitsOf = (value: string, scale: number) => {
      const [whole = '', fraction = ''] = value.replace('-', '').split('.');
      const units = BigInt(whole + fraction.padEnd(scale, '0'));
      return value.startsWith('-') ? -units : units;
    };
    const decimals = (value: string) => value.split('.')[1]?.length ?? 0;
    const written = (units: bigint, scale: number) => {
      const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
      const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      return units < 0n ? `-${text}` : text;
    };
    const amounts = [
      '0',
      '-0',
      '0.01',
      '-0.5',
      '19.90',
      '999999999999999',
      '9999999999999.99',
      '-9999999999999.99',
      '99999999999999.9',
      '999999999999999.9',
      '9007199254740993',
      '-9007199254740993',
      '0.000000000000001',
      '1.0000000000000001',
      '4503599627370496.5',
      '123456789012345',
      '-123456789012345',
      '00000000000000000001',
    ];
    for (const a of amounts) {
      for (const b of amounts) {
        const scale = Math.max(decimals(a), decimals(b));
        const sum = unitsOf(a, scale) + unitsOf(b, scale);
        expect([a, b, addMoney(money(a, 'USD'), money(b, 'USD')).amount]).toEqual([
          a,
          b,
          written(sum, scale),
        ]);
        const diff = unitsOf(a, scale) - unitsOf(b, scale);
        const order = diff === 0n ? 0 : diff < 0n ? -1 : 1;
        expect([a, b, compareMoney(money(a, 'USD'), money(b, 'USD'))]).toEqual([a, b, order]);
      }
      const canonical = decimals(a) <= 2 ? written(unitsOf(a, 2), 2) : undefined;
      if (canonical !== undefined) expect([a, moneyInCurrencyScale(a, 'BRL').amount]).toEqual([a, canonical]);
    }
  });

  it('refuses, not rounds, a price more precise than its currency', () => {
    expect(() => assertMoneyFitsCurrency(money('19.999', 'BRL'))).toThrow(/more than 2 decimals/);
    expect(() => assertMoneyFitsCurrency(money('100.5', 'CLP'), 'variants.0.price')).toThrow(ValidationError);
    expect(() => assertMoneyFitsCurrency(money('19.900', 'BRL'))).not.toThrow();
    expect(() => assertMoneyFitsCurrency(money('100', 'CLP'))).not.toThrow();
  });

  it('rounds half away from zero and converts to minor units', () => {
    expect(roundDecimal('1.005', 2)).toBe('1.01');
    expect(roundDecimal('-1.005', 2)).toBe('-1.01');
    expect(roundDecimal('1.2', 2)).toBe('1.20');
    expect(toMinorUnits(money('19.90', 'BRL'))).toBe(1990n);
  });

  it('rejects amounts that are not decimal strings and bad currency codes', () => {
    expect(() => money('1,50', 'BRL')).toThrow(ValidationError);
    expect(() => money('1.50', 'real')).toThrow();
  });
});

describe('moneyInCurrencyScale under Node (the node entry)', () => {
  it('gives what the exact version gives, or throws what it throws, for any amount and currency', () => {
    const amounts: (number | string | bigint)[] = [
      0,
      -0,
      1,
      29.9,
      0.1 + 0.2,
      1e-7,
      1e21,
      -3.5,
      15000,
      0.125,
      12.5,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      19n,
      -4n,
      '0',
      '0.0',
      '29.9',
      '29.90',
      '15000.00',
      '15000.10',
      '0.125',
      '007.5',
      '-0.00',
      '-12.30',
      '5.000',
      '1.',
      '.5',
      '1e3',
      ' 1',
      '',
      'abc',
      '100',
      '0.10',
    ];
    let state = 7;
    for (let index = 0; index < 300; index++) {
      state = (state * 48_271) % 2_147_483_647;
      const digits = String(state);
      amounts.push(
        `${digits.slice(0, 4)}.${digits.slice(4)}`,
        state / 1000,
        `${digits.slice(0, 3)}.${'0'.repeat(index % 5)}`,
        // Prices as JSON numbers: whole units of a scale, and near misses of them.
        (state % 100_000) / 100,
        (state % 100_000) / 10,
        state / 100 + 0.001,
        state * 0.07,
      );
    }
    // Sums that are not what they look like, the edges of the exact range, and no number at all.
    amounts.push(0.1 + 0.2, 0.3, 19.9, 1e-7, 0.005, -0, 2 ** 51 / 100, 2 ** 51 / 100 + 1, 2 ** 53 / 100);
    amounts.push(123_456_789.12, 1e21, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, -19.9);
    const outcome = (run: () => unknown) => {
      try {
        return { value: run() };
      } catch (error) {
        return { error: String(error), issues: (error as { issues?: unknown }).issues };
      }
    };
    for (const currency of ['BRL', 'CLP', 'JPY', 'KWD', 'XXX', 'brl', 'BR'])
      for (const amount of amounts)
        expect({ amount, currency, ...outcome(() => fastMoneyInCurrencyScale(amount, currency)) }).toEqual({
          amount,
          currency,
          ...outcome(() => exactMoneyInCurrencyScale(amount, currency)),
        });
  });

  it('is the one the Node entry exports', async () => {
    const node = await import('../src/index.node');
    expect(node.moneyInCurrencyScale).toBe(fastMoneyInCurrencyScale);
    expect(node.multiplyMoney).toBe(fastMultiplyMoney);
  });

  it('multiplies on the Node entry as the exact helper does, errors included', () => {
    const outcome = (run: () => unknown) => {
      try {
        return { value: run() };
      } catch (error) {
        return { error: String(error), issues: (error as { issues?: unknown }).issues };
      }
    };
    const quantities = [0, 1, 2, 3, 7, 1000, 2 ** 31, 2 ** 40, -2, 1.5, Number.NaN, 2 ** 53];
    for (const amount of [...decimals(400), '-0.00', '0.10', '1.', 'abc', '']) {
      for (const quantity of quantities) {
        const value = { amount, currency: 'BRL' };
        expect({ amount, quantity, ...outcome(() => fastMultiplyMoney(value, quantity)) }).toEqual({
          amount,
          quantity,
          ...outcome(() => exactMultiplyMoney(value, quantity)),
        });
      }
    }
  });
});

describe('adding, subtracting and comparing amounts on the Node entry', () => {
  /** What a call returned, or the error it threw (its class and issues). */
  const outcome = (call: () => unknown) => {
    try {
      return { value: call() };
    } catch (error) {
      return { error: (error as Error).constructor.name, issues: (error as ValidationError).issues };
    }
  };
  const amounts = [
    ...decimals(400),
    '0',
    '-0',
    '-0.00',
    '0.000',
    '999999999999999',
    '-999999999999999',
    '9999999999999.99',
    '0.000000000000001',
    '9007199254740991',
    '123456789012345.6',
    '1e5',
    '0x1A',
    ' 1.00',
    '1.',
  ];

  it('gives what the exact helpers give, for short and long amounts, signs and scales', () => {
    for (let index = 0; index < amounts.length; index += 1) {
      const a = { amount: amounts[index]!, currency: 'BRL' };
      for (const other of [
        amounts[(index * 7 + 3) % amounts.length]!,
        amounts[(index + 1) % amounts.length]!,
      ]) {
        const b = { amount: other, currency: 'BRL' };
        for (const { name, fast, exact } of TWINS) {
          expect({ name, a: a.amount, b: b.amount, ...outcome(() => fast(a, b)) }).toEqual({
            name,
            a: a.amount,
            b: b.amount,
            ...outcome(() => exact(a, b)),
          });
        }
      }
    }
    const lines = amounts.slice(0, 40).map((amount) => ({ amount, currency: 'BRL' }));
    expect(fastSumMoney(lines, 'BRL')).toEqual(exactSumMoney(lines, 'BRL'));
    expect(fastSumMoney([], 'CLP')).toEqual({ amount: '0', currency: 'CLP' });
  });

  it('refuses amounts in different currencies as the exact helpers do', () => {
    const real = { amount: '1.00', currency: 'BRL' };
    const peso = { amount: '1.00', currency: 'MXN' };
    for (const { fast, exact } of TWINS) {
      expect(outcome(() => fast(real, peso))).toEqual(outcome(() => exact(real, peso)));
      expect(outcome(() => fast(real, peso))).toMatchObject({ error: 'ValidationError' });
    }
  });

  it('are the ones the Node entry exports', async () => {
    const node = await import('../src/index.node');
    expect([node.addMoney, node.subtractMoney, node.sumMoney, node.compareMoney]).toEqual([
      fastAddMoney,
      fastSubtractMoney,
      fastSumMoney,
      fastCompareMoney,
    ]);
  });
});

describe('money values', () => {
  it('are plain objects, whichever helper made them', () => {
    const price = money('19.90', 'BRL');
    const values = [
      price,
      moneyInCurrencyScale(29.9, 'BRL'),
      addMoney(price, price),
      subtractMoney(price, money('0.90', 'BRL')),
      multiplyMoney(price, 3),
      sumMoney([price, price], 'BRL'),
    ];
    for (const value of values) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(value).toStrictEqual({ amount: value.amount, currency: 'BRL' });
    }
    expect(values.map((value) => value.amount)).toEqual([
      '19.90',
      '29.90',
      '39.80',
      '19.00',
      '59.70',
      '39.80',
    ]);
  });
});
