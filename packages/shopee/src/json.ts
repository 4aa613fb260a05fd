/**
 * Lossless JSON for Shopee payloads.
 *
 * Shopee writes int64 ids as bare JSON numbers, and some of them (`promotion_group_id`,
 * `promotion_id`, push `forder_id`) exceed 2^53, where `JSON.parse` silently rounds them. The
 * parser here reads every integer under an id-like key (`id`, `*_id`, `*_ids`, `*_id_list`) as
 * its exact decimal string, and any other integer that is not a safe integer too; the writer
 * emits {@link JsonNumberLiteral} values and bigints as bare number literals, so ids go back to
 * Shopee exactly as they came.
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

/** True for keys whose integer values are ids and are therefore read as strings. */
export function isIdKey(key: string): boolean {
  return key === 'id' || key.endsWith('_id') || key.endsWith('_ids') || key.endsWith('_id_list');
}

class JsonSyntaxError extends SyntaxError {
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = 'SyntaxError';
  }
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Parses JSON text without losing integer precision: integers under id-like keys become their
 * exact decimal strings, other integers beyond ±(2^53−1) become strings too, and every other
 * value is what `JSON.parse` would give. Throws `SyntaxError` on invalid JSON.
 *
 * @example parseShopeeJson('{"promotion_group_id":1051400341536827267}') // { promotion_group_id: '1051400341536827267' }
 */
export function parseShopeeJson(text: string): unknown {
  let index = 0;

  const skipWhitespace = (): void => {
    while (index < text.length && WHITESPACE.has(text.charCodeAt(index))) index++;
  };

  const parseString = (): string => {
    // Caller guarantees text[index] === '"'.
    index++;
    let result = '';
    let chunkStart = index;
    for (;;) {
      if (index >= text.length) throw new JsonSyntaxError('Unterminated string', index);
      const code = text.charCodeAt(index);
      if (code === 0x22) {
        result += text.slice(chunkStart, index);
        index++;
        return result;
      }
      if (code < 0x20) throw new JsonSyntaxError('Control character in string', index);
      if (code !== 0x5c) {
        index++;
        continue;
      }
      result += text.slice(chunkStart, index);
      const escaped = text[index + 1];
      index += 2;
      switch (escaped) {
        case '"':
          result += '"';
          break;
        case '\\':
          result += '\\';
          break;
        case '/':
          result += '/';
          break;
        case 'b':
          result += '\b';
          break;
        case 'f':
          result += '\f';
          break;
        case 'n':
          result += '\n';
          break;
        case 'r':
          result += '\r';
          break;
        case 't':
          result += '\t';
          break;
        case 'u': {
          const hex = text.slice(index, index + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('Bad unicode escape', index);
          result += String.fromCharCode(Number.parseInt(hex, 16));
          index += 4;
          break;
        }
        default:
          throw new JsonSyntaxError('Bad escape', index - 1);
      }
      chunkStart = index;
    }
  };

  const parseNumber = (key: string | undefined): number | string => {
    const start = index;
    if (text[index] === '-') index++;
    if (text[index] === '0') {
      index++;
    } else if (/[1-9]/.test(text[index] ?? '')) {
      while (/[0-9]/.test(text[index] ?? '')) index++;
    } else {
      throw new JsonSyntaxError('Bad number', start);
    }
    let integer = true;
    if (text[index] === '.') {
      integer = false;
      index++;
      if (!/[0-9]/.test(text[index] ?? '')) throw new JsonSyntaxError('Bad number', start);
      while (/[0-9]/.test(text[index] ?? '')) index++;
    }
    if (text[index] === 'e' || text[index] === 'E') {
      integer = false;
      index++;
      if (text[index] === '+' || text[index] === '-') index++;
      if (!/[0-9]/.test(text[index] ?? '')) throw new JsonSyntaxError('Bad number', start);
      while (/[0-9]/.test(text[index] ?? '')) index++;
    }
    const literal = text.slice(start, index);
    if (integer) {
      if (key !== undefined && isIdKey(key)) return literal;
      const value = Number(literal);
      return Number.isSafeInteger(value) ? value : literal;
    }
    return Number(literal);
  };

  const expectWord = (word: string): void => {
    if (text.startsWith(word, index)) index += word.length;
    else throw new JsonSyntaxError('Unexpected token', index);
  };

  const parseValue = (key: string | undefined): unknown => {
    skipWhitespace();
    const char = text[index];
    switch (char) {
      case '{': {
        index++;
        const object: Record<string, unknown> = {};
        skipWhitespace();
        if (text[index] === '}') {
          index++;
          return object;
        }
        for (;;) {
          skipWhitespace();
          if (text[index] !== '"') throw new JsonSyntaxError('Expected a property name', index);
          const name = parseString();
          skipWhitespace();
          if (text[index] !== ':') throw new JsonSyntaxError('Expected ":"', index);
          index++;
          const value = parseValue(name);
          // defineProperty keeps a "__proto__" key as data instead of changing the prototype.
          Object.defineProperty(object, name, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
          skipWhitespace();
          if (text[index] === ',') {
            index++;
            continue;
          }
          if (text[index] === '}') {
            index++;
            return object;
          }
          throw new JsonSyntaxError('Expected "," or "}"', index);
        }
      }
      case '[': {
        index++;
        const array: unknown[] = [];
        skipWhitespace();
        if (text[index] === ']') {
          index++;
          return array;
        }
        for (;;) {
          // Elements inherit the array's key, so `item_id_list: [..]` holds strings.
          array.push(parseValue(key));
          skipWhitespace();
          if (text[index] === ',') {
            index++;
            continue;
          }
          if (text[index] === ']') {
            index++;
            return array;
          }
          throw new JsonSyntaxError('Expected "," or "]"', index);
        }
      }
      case '"':
        return parseString();
      case 't':
        expectWord('true');
        return true;
      case 'f':
        expectWord('false');
        return false;
      case 'n':
        expectWord('null');
        return null;
      default:
        if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return parseNumber(key);
        throw new JsonSyntaxError(char === undefined ? 'Unexpected end of JSON' : 'Unexpected token', index);
    }
  };

  const value = parseValue(undefined);
  skipWhitespace();
  if (index !== text.length) throw new JsonSyntaxError('Unexpected data after JSON', index);
  return value;
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
