/**
 * {@link moneyInCurrencyScale} for the `node` entry (`index.node`): the adapters' mappers scale a
 * dozen amounts per order, and the exact version parses each into a bigint and formats it back.
 * Kept out of the portable entry for size (browser bundles keep the bigint version alone).
 */
import {
  currencyScale,
  moneyInCurrencyScale as exactMoneyInCurrencyScale,
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
