/**
 * The one lossless JSON parser every adapter uses for responses and webhook bodies.
 *
 * Shopee writes int64 ids as bare JSON numbers, and TikTok does in some webhooks and older
 * responses; beyond 2^53 `JSON.parse` silently rounds them to another id. This parser gives what
 * `JSON.parse` gives, except that an integer literal outside ±(2^53 − 1) becomes its exact
 * decimal string, which id schemas (`string | number` → string) then read unchanged.
 */

/**
 * True when the value `JSON.parse` gave holds a number beyond ±(2^53 − 1). An integer literal
 * outside that range always parses to one (rounding is monotonic and 2^53 is a double), so when
 * none is found, `JSON.parse` was exact. Fractions and exponents that land there (`1e300`) only
 * cost the exact parse, which keeps them as numbers. Iterative: a deeply nested body cannot
 * overflow the stack.
 */
function holdsUnsafeNumber(root: unknown): boolean {
  if (typeof root !== 'object' || root === null) return typeof root === 'number' && isUnsafe(root);
  const pending: object[] = [root];
  for (let container = pending.pop(); container !== undefined; container = pending.pop()) {
    if (Array.isArray(container)) {
      for (let index = 0; index < container.length; index++) {
        const value: unknown = container[index];
        if (typeof value === 'number') {
          if (isUnsafe(value)) return true;
        } else if (typeof value === 'object' && value !== null) pending.push(value);
      }
    } else {
      const record = container as Record<string, unknown>;
      for (const key in record) {
        const value = record[key];
        if (typeof value === 'number') {
          if (isUnsafe(value)) return true;
        } else if (typeof value === 'object' && value !== null) pending.push(value);
      }
    }
  }
  return false;
}

function isUnsafe(value: number): boolean {
  return value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER;
}

/**
 * A JSON string, or a number with its fraction and exponent as groups 1 and 2. Scanning valid JSON
 * from its start, every match begins outside a string: a string is taken whole, escapes included.
 */
const TOKENS = /"[^"\\]*(?:\\.[^"\\]*)*"|-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/g;

/** The token itself, or an unsafe integer literal quoted: the exact decimal string JSON.parse then reads. */
function quoteUnsafeInteger(
  token: string,
  fraction: string | undefined,
  exponent: string | undefined,
): string {
  if (token.charCodeAt(0) === 0x22 || fraction !== undefined || exponent !== undefined) return token;
  return Number.isSafeInteger(Number(token)) ? token : `"${token}"`;
}

/**
 * Parses JSON text like `JSON.parse`, except that an integer beyond ±(2^53 − 1) is returned as
 * its exact decimal string instead of a rounded number. Safe integers, fractions and exponents
 * are plain numbers (`-0` stays `-0`), a `"__proto__"` key is ordinary data, and a repeated key
 * keeps its last value. Throws `SyntaxError` on invalid JSON.
 *
 * The text goes to `JSON.parse` first; only when the result holds a number beyond 2^53 − 1 (an
 * integer literal that was rounded, quoted ids do not count) is it parsed again, with those
 * literals quoted first. The cost over `JSON.parse` is a walk over the parsed values.
 *
 * @example parseJsonLossless('{"order_id":1051400341536827267,"qty":2}') // { order_id: '1051400341536827267', qty: 2 }
 */
export function parseJsonLossless(text: string): unknown {
  const value: unknown = JSON.parse(text);
  // Valid JSON by now: its unsafe integer literals are quoted, and it is parsed once more.
  return holdsUnsafeNumber(value) ? JSON.parse(text.replace(TOKENS, quoteUnsafeInteger)) : value;
}
