/**
 * {@link moneyInCurrencyScale}, {@link addMoney}, {@link subtractMoney}, {@link multiplyMoney},
 * {@link sumMoney} and {@link compareMoney} for the `node` entry (`index.node`): the adapters'
 * mappers scale a dozen amounts per order and add up its lines, and the exact versions parse each
 * amount into a bigint and format it back. Kept out of the portable entry for size (browser bundles keep the bigint
 * versions alone).
 */
import {
  currencyScale,
  addMoney as exactAddMoney,
  compareMoney as exactCompareMoney,
  moneyInCurrencyScale as exactMoneyInCurrencyScale,
  multiplyMoney as exactMultiplyMoney,
  subtractMoney as exactSubtractMoney,
  type Money,
  MoneyRecord,
} from './money';

/** A non-negative decimal without leading zeros or an exponent: its digits are its value. */
const PLAIN_DECIMAL = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;
/** All zeros: digits beyond a currency's scale that can be dropped without changing the amount. */
const ZEROS = /^0+$/;

/**
 * Money read from a marketplace, written in its currency's scale: what the exact
 * `moneyInCurrencyScale` gives (and throws), computed on the digits for a non-negative plain
 * amount (`29.9` BRL → `"29.90"`, `"15000.00"` CLP → `"15000"`, `"0.125"` BRL stays); anything
 * else (negative, padded, exponent, bigint, a bad currency) goes to the exact version.
 *
 * @example moneyInCurrencyScale(29.9, 'BRL') // { amount: '29.90', currency: 'BRL' }
 */
export function moneyInCurrencyScale(amount: number | string | bigint, currency: string): Money {
  if (typeof amount === 'number' && amount >= 0 && CURRENCY.test(currency)) {
    const written = numberInScale(amount, currencyScale(currency));
    if (written !== undefined) return new MoneyRecord(written, currency);
  }
  const text =
    typeof amount === 'string'
      ? amount
      : typeof amount === 'number' && Number.isSafeInteger(Math.trunc(amount))
        ? String(amount)
        : undefined;
  if (text === undefined || !PLAIN_DECIMAL.test(text) || !CURRENCY.test(currency))
    return exactMoneyInCurrencyScale(amount, currency);
  const scale = currencyScale(currency);
  const dot = text.indexOf('.');
  const decimals = dot < 0 ? 0 : text.length - dot - 1;
  if (decimals <= scale) {
    const padding = '0'.repeat(scale - decimals);
    return new MoneyRecord(dot < 0 && scale > 0 ? `${text}.${padding}` : text + padding, currency);
  }
  // More digits than the scale: dropped when they are zeros, else kept (nothing said is lost).
  if (!ZEROS.test(text.slice(dot + 1 + scale))) return new MoneyRecord(text, currency);
  return new MoneyRecord(text.slice(0, scale === 0 ? dot : dot + 1 + scale), currency);
}

/**
 * Below this many units of a currency's scale, a double is within a quarter of a unit of every
 * value it stands for: two amounts of that scale never read as one number.
 */
const DISTINCT_UNITS = 2 ** 51;

/**
 * A non-negative number written in `scale` decimals, when that is what it is (`29.9` → `"29.90"`
 * in cents); `undefined` when it has more decimals, is too large, or is not finite. Counted in
 * whole units rather than written out with `String`: turning a fractional double into text is the
 * costly part of reading a price. When `units / 10^scale` is the same number, the shortest text of
 * that number (what `String` writes) has at most `scale` decimals and the same value, so padding
 * it gives the same text as this.
 */
function numberInScale(amount: number, scale: number): string | undefined {
  const power = POWERS[scale];
  if (power === undefined) return undefined;
  const units = Math.round(amount * power);
  return units < DISTINCT_UNITS && units / power === amount ? unitsText(units, scale) : undefined;
}

/** A decimal string as the exact helpers accept it. */
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** 10^0 … 10^15: a rescale beyond that leaves the safe integers anyway. */
const POWERS = Array.from({ length: 16 }, (_, power) => 10 ** power);

/** The scale {@link smallUnits} read last (a second return value without an object per amount). */
let readScale = 0;

/**
 * The units of a decimal string of at most 15 characters (so at most 15 digits, exact as a
 * double), its scale left in {@link readScale}; NaN for anything else, which the exact helpers
 * then handle (and refuse, when it is not a decimal).
 */
function smallUnits(text: string): number {
  if (typeof text !== 'string' || text.length > 15 || !DECIMAL.test(text)) return Number.NaN;
  const dot = text.indexOf('.');
  if (dot < 0) {
    readScale = 0;
    return Number(text);
  }
  readScale = text.length - dot - 1;
  return Number(text.slice(0, dot) + text.slice(dot + 1));
}

/**
 * The units of `a + sign × b` at the larger of their scales (left in {@link readScale}), computed
 * on doubles while every value stays a safe integer (so exactly); NaN when one does not.
 */
function smallSum(a: string, b: string, sign: 1 | -1): number {
  const x = smallUnits(a);
  const xScale = readScale;
  const y = smallUnits(b);
  const yScale = readScale;
  const scale = Math.max(xScale, yScale);
  readScale = scale;
  const left = x * POWERS[scale - xScale]!;
  const right = sign * y * POWERS[scale - yScale]!;
  const sum = left + right;
  // NaN (an amount the exact helpers must handle) fails these too.
  return Number.isSafeInteger(left) && Number.isSafeInteger(right) && Number.isSafeInteger(sum)
    ? sum
    : Number.NaN;
}

/** Units at `scale` written as the exact helpers write a decimal (`-0` as `0`). */
function unitsText(units: number, scale: number): string {
  const negative = units < 0;
  const digits = String(negative ? -units : units).padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** `a + sign × b` in `a`'s currency, or what the exact helper gives (and throws) when not exact on doubles. */
function addOrExact(a: Money, b: Money, sign: 1 | -1, exact: (a: Money, b: Money) => Money): Money {
  const sum = a.currency === b.currency ? smallSum(a.amount, b.amount, sign) : Number.NaN;
  return Number.isNaN(sum) ? exact(a, b) : new MoneyRecord(unitsText(sum, readScale), a.currency);
}

/**
 * `amount × quantity` for a whole quantity, exactly: what the exact `multiplyMoney` gives (and
 * throws), on doubles while the product is a safe integer number of units.
 *
 * @example multiplyMoney(money('19.90', 'BRL'), 3) // { amount: '59.70', currency: 'BRL' }
 */
export function multiplyMoney(a: Money, quantity: number): Money {
  const product = Number.isSafeInteger(quantity) ? smallUnits(a.amount) * quantity : Number.NaN;
  // A product beyond the safe integers is not one (rounding cannot bring it back below 2^53).
  return Number.isSafeInteger(product)
    ? new MoneyRecord(unitsText(product, readScale), a.currency)
    : exactMultiplyMoney(a, quantity);
}

/** `a + b`, exactly: what the exact `addMoney` gives (and throws). */
export function addMoney(a: Money, b: Money): Money {
  return addOrExact(a, b, 1, exactAddMoney);
}

/** `a - b`, exactly: what the exact `subtractMoney` gives (and throws). */
export function subtractMoney(a: Money, b: Money): Money {
  return addOrExact(a, b, -1, exactSubtractMoney);
}

/** Sum of many amounts in one currency; the empty sum is zero in `currency`. */
export function sumMoney(values: readonly Money[], currency: string): Money {
  let total: Money = new MoneyRecord('0', currency);
  for (const value of values) total = addMoney(total, value);
  return total;
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`: what the exact `compareMoney` gives. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  const difference = a.currency === b.currency ? smallSum(a.amount, b.amount, -1) : Number.NaN;
  if (Number.isNaN(difference)) return exactCompareMoney(a, b);
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}
