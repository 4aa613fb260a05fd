import { multiplyMoney, roundDecimal, sumMoney, toDecimalString } from '@mlh/core';
import { JsonNumberText } from './json';
import { TWO_DECIMAL_REGIONS } from './state';

/**
 * A price as the shop's market keeps it: two decimals in SG/MY/BR/MX/PL/ES/AR, whole numbers
 * elsewhere (reference §0), as an exact decimal string without trailing zeros.
 */
export function marketPrice(value: number | string | bigint, region: string): string {
  return trimZeros(roundDecimal(toDecimalString(value), TWO_DECIMAL_REGIONS.has(region) ? 2 : 0));
}

/** Writes a decimal-string price into JSON as a number literal, exactly. */
export function priceJson(value: string): JsonNumberText {
  return new JsonNumberText(value);
}

function trimZeros(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

/** The exact sum of decimal strings. */
export function sumDecimals(values: readonly string[]): string {
  return trimZeros(
    sumMoney(
      values.map((amount) => ({ amount, currency: 'XXX' })),
      'XXX',
    ).amount,
  );
}

/** `price × quantity`, exactly. */
export function multiplyDecimal(price: string, quantity: number): string {
  return trimZeros(multiplyMoney({ amount: price, currency: 'XXX' }, quantity).amount);
}
