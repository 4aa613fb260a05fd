import * as z from 'zod/mini';
import { ValidationError } from './errors';
import { plainConstructor } from './plain';
import { useEnglishSchemaMessages } from './schema-messages';

useEnglishSchemaMessages();

/**
 * Exact money. Amounts are decimal strings (`"19.90"`), never floats, and arithmetic is done on
 * scaled bigints, so `0.10 * 3 + 0.20` is exactly `"0.50"`.
 */

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** A decimal number written as a string: `"10"`, `"19.90"`, `"-0.5"`. No exponent, no grouping. */
export const DecimalString = /* @__PURE__ */ (() =>
  z.string().check(z.regex(DECIMAL_PATTERN, 'must be a decimal string like "19.90"')))();

/** An ISO 4217 currency code: three upper-case letters. */
export const CurrencyCode = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "BRL"')))();

/** An exact amount of money in one currency. */
export const Money = /* @__PURE__ */ (() => z.object({ amount: DecimalString, currency: CurrencyCode }))();
export type Money = z.infer<typeof Money>;

/**
 * A {@link Money} object as a literal would make it, without the literal's allocation site (see
 * `plainConstructor`): mappers make several per order.
 */
export const MoneyRecord = /* @__PURE__ */ plainConstructor(function (
  this: Money,
  amount: string,
  currency: string,
) {
  this.amount = amount;
  this.currency = currency;
});

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
  // Mappers parse several amounts per order: one slice and no split, array or sign product.
  const dot = value.indexOf('.');
  if (dot < 0) return { units: BigInt(value), scale: 0 };
  return { units: BigInt(value.slice(0, dot) + value.slice(dot + 1)), scale: value.length - dot - 1 };
}

const powersOfTen: bigint[] = [];
/** 10^`power` as a bigint, computed once per power. */
function tenTo(power: number): bigint {
  powersOfTen[power] ??= 10n ** BigInt(power);
  return powersOfTen[power];
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * tenTo(scale - value.scale);
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

function invalidAmount(value: unknown, why: string): ValidationError {
  return new ValidationError('Invalid decimal amount', [
    { path: 'amount', message: `${String(value)} ${why}` },
  ]);
}

/**
 * Converts a number or string from a marketplace payload into a decimal string without float
 * noise: `19.9` → `"19.9"`, `1e-7` → `"0.0000001"`. A string must already be a plain decimal
 * (`"19.90"`, `"-3"`): hex, binary, octal, exponent and padded forms are refused, so `"0x1A"` is
 * never 26. A number must be finite and within ±2^53, beyond which it was already rounded.
 * @throws ValidationError naming the value otherwise.
 */
export function toDecimalString(value: number | string | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') {
    if (DECIMAL_PATTERN.test(value)) return value;
    throw invalidAmount(JSON.stringify(value), 'is not a plain decimal string like "19.90"');
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw invalidAmount(value, 'is not a finite number');
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    throw invalidAmount(value, 'is beyond ±2^53: pass it as a decimal string to keep it exact');
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

function checkedCurrency(currency: unknown): string {
  if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)) return currency;
  throw new ValidationError('Invalid currency', [
    { path: 'currency', message: `${JSON.stringify(currency)} is not an ISO 4217 code like "BRL"` },
  ]);
}

/**
 * Builds a {@link Money} value, normalising the amount. @example money('19.90', 'BRL')
 * @throws ValidationError for an amount that is not a plain decimal or a currency that is not
 * three upper-case letters.
 */
export function money(amount: number | string | bigint, currency: string): Money {
  return new MoneyRecord(toDecimalString(amount), checkedCurrency(currency));
}

const scaleCache = new Map<string, number>();

/**
 * The number of decimals a currency is written with (ISO 4217, as the runtime's `Intl` knows it):
 * 2 for BRL, MXN and USD, 0 for CLP, JPY and VND. An unknown code counts as 2.
 */
export function currencyScale(currency: string): number {
  let scale = scaleCache.get(currency);
  if (scale === undefined) {
    try {
      scale =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      scale = 2;
    }
    scaleCache.set(currency, scale);
  }
  return scale;
}

/**
 * Money read from a marketplace, written in its currency's scale: `29.9` BRL → `"29.90"`,
 * `"15000.00"` CLP → `"15000"`. Digits beyond the scale are kept when they are not zero (a unit
 * price of `"0.125"` stays exact), so nothing the marketplace said is lost.
 */
export function moneyInCurrencyScale(amount: number | string | bigint, currency: string): Money {
  const value = money(amount, currency);
  return new MoneyRecord(toScale(value.amount, currencyScale(value.currency)), value.currency);
}

function toScale(amount: string, scale: number): string {
  const x = parseDecimal(amount);
  if (x.scale <= scale) return formatDecimal(rescale(x, scale), scale);
  const factor = tenTo(x.scale - scale);
  if (x.units % factor !== 0n) return amount;
  return formatDecimal(x.units / factor, scale);
}

/**
 * The decimals a decimal string really uses, trailing zeros aside: `"19.90"` → 1, `"20.00"` → 0,
 * `"0.125"` → 3. What a price is compared with to know whether it fits a precision.
 */
export function significantDecimals(amount: string): number {
  return (amount.split('.')[1] ?? '').replace(/0+$/, '').length;
}

/**
 * Checks that an amount to be sent fits its currency's precision (`"19.999"` BRL does not) and
 * throws instead of rounding it, since a silently rounded price is a price the seller never set.
 * @throws ValidationError at `path` when it does not fit.
 */
export function assertMoneyFitsCurrency(value: Money, path = 'price'): void {
  const scale = currencyScale(value.currency);
  parseDecimal(value.amount); // a malformed amount is its own error, not a precision one
  if (significantDecimals(value.amount) > scale) {
    throw new ValidationError('Amount is more precise than its currency', [
      {
        path,
        message: `${value.amount} ${value.currency} has more than ${scale} decimal${scale === 1 ? '' : 's'}`,
      },
    ]);
  }
}

/** `a + b`, exactly. Both must be in the same currency. */
export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  const x = parseDecimal(a.amount);
  const y = parseDecimal(b.amount);
  const scale = Math.max(x.scale, y.scale);
  return new MoneyRecord(formatDecimal(rescale(x, scale) + rescale(y, scale), scale), a.currency);
}

/** `a - b`, exactly. Both must be in the same currency. */
export function subtractMoney(a: Money, b: Money): Money {
  return addMoney(a, new MoneyRecord(negateDecimal(b.amount), b.currency));
}

/** `amount × quantity` for a whole quantity, exactly. @example multiplyMoney(money('0.10','BRL'), 3) → 0.30 */
export function multiplyMoney(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) {
    throw new ValidationError('Invalid quantity', [
      { path: 'quantity', message: `${quantity} is not a whole number` },
    ]);
  }
  const x = parseDecimal(a.amount);
  return new MoneyRecord(formatDecimal(x.units * BigInt(quantity), x.scale), a.currency);
}

/** Sum of many amounts in one currency; the empty sum is zero in `currency`. */
export function sumMoney(values: readonly Money[], currency: string): Money {
  return values.reduce<Money>((total, value) => addMoney(total, value), new MoneyRecord('0', currency));
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
  if (!Number.isSafeInteger(places) || places < 0) {
    throw new ValidationError('Invalid number of decimal places', [
      { path: 'places', message: `${places} is not a whole number ≥ 0` },
    ]);
  }
  const x = parseDecimal(value);
  if (x.scale <= places) return formatDecimal(rescale(x, places), places);
  const factor = tenTo(x.scale - places);
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
