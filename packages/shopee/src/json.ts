/**
 * Exact JSON writing for Shopee request bodies.
 *
 * Shopee takes int64 ids (and prices) as bare JSON numbers, and some ids (`promotion_group_id`,
 * `promotion_id`) exceed 2^53, where a JS number would round them. The writer emits
 * {@link JsonNumberLiteral} values and bigints as bare number literals, so ids go back to Shopee
 * exactly as they came. Reading is core's `parseJsonLossless`, shared by every adapter.
 */

/** A JSON number written verbatim by {@link stringifyShopeeJson}: an exact id or decimal amount. */
export class JsonNumberLiteral {
  /** The literal as it will appear in the JSON text, e.g. `1051400341536827267` or `19.90`. */
  readonly literal: string;

  constructor(literal: string) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(literal)) {
      throw new TypeError(`"${literal}" is not a plain JSON number literal`);
    }
    this.literal = literal;
  }

  /** Lets `JSON.stringify` (lossy) still produce something sensible in logs. */
  toJSON(): string {
    return this.literal;
  }
}

/**
 * An exact integer literal for an id given as a digit string, number or bigint.
 * @example stringifyShopeeJson({ item_id: jsonInteger('1051400341536827267') }) // '{"item_id":1051400341536827267}'
 */
export function jsonInteger(id: string | number | bigint): JsonNumberLiteral {
  const text = typeof id === 'string' ? id.trim() : String(id);
  if (!/^-?\d+$/.test(text)) throw new TypeError(`"${text}" is not an integer id`);
  return new JsonNumberLiteral(text.replace(/^(-?)0+(?=\d)/, '$1'));
}

/**
 * Serializes like `JSON.stringify` (compact, `undefined` properties dropped, `toJSON` honoured)
 * but writes {@link JsonNumberLiteral} values and bigints as bare number literals, so int64 ids
 * and decimal prices reach Shopee exactly.
 *
 * @example stringifyShopeeJson({ item_id: 1051400341536827267n, price: jsonDecimal('19.90') })
 */
export function stringifyShopeeJson(value: unknown): string {
  const written = write(value);
  if (written === undefined) throw new TypeError('Cannot serialize an undefined value as JSON');
  return written;
}

function write(value: unknown): string | undefined {
  if (value instanceof JsonNumberLiteral) return value.literal;
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') return write((withToJson.toJSON as () => unknown).call(value));
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const written = write(item);
    if (written !== undefined) parts.push(`${JSON.stringify(key)}:${written}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * A decimal amount (e.g. a price) written as a bare JSON number with exactly these digits.
 * @example stringifyShopeeJson({ original_price: jsonDecimal('19.90') }) // '{"original_price":19.90}'
 */
export function jsonDecimal(amount: string): JsonNumberLiteral {
  return new JsonNumberLiteral(amount.trim());
}
