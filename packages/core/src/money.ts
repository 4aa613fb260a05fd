import { z } from 'zod';
import { ValidationError } from './errors';

/**
 * Exact money. Amounts are decimal strings (`"19.90"`), never floats, and arithmetic is done on
 * scaled bigints, so `0.10 * 3 + 0.20` is exactly `"0.50"`.
 */

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** A decimal number written as a string: `"10"`, `"19.90"`, `"-0.5"`. No exponent, no grouping. */
export const DecimalString = z.string().regex(DECIMAL_PATTERN, 'must be a decimal string like "19.90"');

/** An ISO 4217 currency code: three upper-case letters. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "BRL"');

/** An exact amount of money in one currency. */
export const Money = z.object({ amount: DecimalString, currency: CurrencyCode });
export type Money = z.infer<typeof Money>;

interface Scaled {
  units: bigint;
  scale: number;
}

function parseDecimal(value: string): Scaled {
  if (!DECIMAL_PATTERN.test(value)) {
    throw new ValidationError('Invalid decimal amount', [
      { path: 'amount', message: `"${value}" is not a decimal string` },
    ]);
  }
  const negative = value.startsWith('-');
  const unsigned = negative ? value.slice(1) : value;
  const [whole = '0', fraction = ''] = unsigned.split('.');
  const units = BigInt(whole + fraction) * (negative ? -1n : 1n);
  return { units, scale: fraction.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function formatDecimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : digits.slice(0, -scale);
  const text = scale === 0 ? whole : `${whole}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new ValidationError('Cannot combine amounts in different currencies', [
      { path: 'currency', message: `${a.currency} and ${b.currency} differ` },
    ]);
  }
}

/**
 * Converts a number or string from a marketplace payload into a decimal string without float
 * noise: `19.9` → `"19.9"`, `1e-7` → `"0.0000001"`. Throws on NaN or infinity.
 */
export function toDecimalString(value: number | string | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (DECIMAL_PATTERN.test(trimmed)) return trimmed;
    const asNumber = Number(trimmed);
    if (trimmed === '' || !Number.isFinite(asNumber)) {
      throw new ValidationError('Invalid decimal amount', [
        { path: 'amount', message: `"${value}" is not a number` },
      ]);
    }
    return toDecimalString(asNumber);
  }
  if (!Number.isFinite(value)) {
    throw new ValidationError('Invalid decimal amount', [
      { path: 'amount', message: `${value} is not finite` },
    ]);
  }
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Shortest round-trip digits, then place the decimal point by the exponent.
  const [mantissa = '0', exponentText = '0'] = text.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? mantissa.slice(1) : mantissa).split('.');
  const digits = whole + fraction;
  const pointAt = whole.length + exponent;
  let result: string;
  if (pointAt <= 0) result = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) result = digits + '0'.repeat(pointAt - digits.length);
  else result = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${result}` : result;
}

/** Builds a {@link Money} value, normalising the amount. @example money('19.90', 'BRL') */
export function money(amount: number | string | bigint, currency: string): Money {
  return Money.parse({ amount: toDecimalString(amount), currency });
}

/** `a + b`, exactly. Both must be in the same currency. */
export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  const x = parseDecimal(a.amount);
  const y = parseDecimal(b.amount);
  const scale = Math.max(x.scale, y.scale);
  return { amount: formatDecimal(rescale(x, scale) + rescale(y, scale), scale), currency: a.currency };
}

/** `a - b`, exactly. Both must be in the same currency. */
export function subtractMoney(a: Money, b: Money): Money {
  return addMoney(a, { amount: negateDecimal(b.amount), currency: b.currency });
}

/** `amount × quantity` for a whole quantity, exactly. @example multiplyMoney(money('0.10','BRL'), 3) → 0.30 */
export function multiplyMoney(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) {
    throw new ValidationError('Invalid quantity', [
      { path: 'quantity', message: `${quantity} is not a whole number` },
    ]);
  }
  const x = parseDecimal(a.amount);
  return { amount: formatDecimal(x.units * BigInt(quantity), x.scale), currency: a.currency };
}

/** Sum of many amounts in one currency; the empty sum is zero in `currency`. */
export function sumMoney(values: readonly Money[], currency: string): Money {
  return values.reduce<Money>((total, value) => addMoney(total, value), { amount: '0', currency });
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. `"1.50"` equals `"1.5"`. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return compareDecimal(a.amount, b.amount);
}

/** True when both are the same currency and numerically equal. */
export function moneyEquals(a: Money, b: Money): boolean {
  return a.currency === b.currency && compareDecimal(a.amount, b.amount) === 0;
}

/** -1, 0 or 1 comparing two decimal strings numerically. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  const diff = rescale(x, scale) - rescale(y, scale);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

/** Rounds a decimal string to `places` decimals, half away from zero (for APIs that cap precision). */
export function roundDecimal(value: string, places: number): string {
  const x = parseDecimal(value);
  if (x.scale <= places) return formatDecimal(rescale(x, places), places);
  const factor = 10n ** BigInt(x.scale - places);
  const negative = x.units < 0n;
  const abs = negative ? -x.units : x.units;
  let rounded = abs / factor;
  if ((abs % factor) * 2n >= factor) rounded += 1n;
  return formatDecimal(negative ? -rounded : rounded, places);
}

function negateDecimal(value: string): string {
  const x = parseDecimal(value);
  return formatDecimal(-x.units, x.scale);
}

/** Converts to minor units (cents) for APIs that want integers: `"19.90"` with 2 decimals → `1990n`. */
export function toMinorUnits(value: Money, decimals = 2): bigint {
  const x = parseDecimal(roundDecimal(value.amount, decimals));
  return rescale(x, decimals);
}
