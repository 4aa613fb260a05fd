/**
 * Lossless JSON for the Shopee sandbox. Shopee ids are int64 and some exceed 2^53, which
 * `JSON.parse`/`JSON.stringify` would round; the sandbox reads and writes those as exact integer
 * literals, the way the real service does.
 */

/** A number written verbatim into JSON (e.g. a price kept as the decimal string `"59.90"`). */
export class JsonNumberText {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a JSON number: ${text}`);
  }
}

/** Values the sandbox serializes: plain JSON plus `bigint` and {@link JsonNumberText}. */
export type JsonWritable =
  | null
  | boolean
  | number
  | string
  | bigint
  | JsonNumberText
  | undefined
  | readonly JsonWritable[]
  | { readonly [key: string]: JsonWritable };

/**
 * Serializes like `JSON.stringify` (compact, keys in insertion order, `undefined` members left
 * out) but writes a `bigint` as its exact integer literal.
 */
export function stringifyJson(value: JsonWritable): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value instanceof JsonNumberText) return value.text;
  if (Array.isArray(value)) return `[${value.map((entry) => stringifyJson(entry)).join(',')}]`;
  const members: string[] = [];
  for (const [key, member] of Object.entries(value as { readonly [key: string]: JsonWritable })) {
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${stringifyJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

/** Parsed JSON where integers beyond `Number.MAX_SAFE_INTEGER` are `bigint`s. */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** Raised by {@link parseJsonLossless} on text that is not JSON. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

/**
 * Parses JSON text, turning integers that a `number` cannot hold exactly into `bigint`s.
 * Everything else comes out as `JSON.parse` would give it.
 */
export function parseJsonLossless(text: string): JsonValue {
  let at = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${at}`);
  };
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at += 1;
  };
  const expectWord = (word: string): void => {
    if (text.slice(at, at + word.length) !== word) fail(`unexpected token`);
    at += word.length;
  };

  const parseString = (): string => {
    const start = at;
    at += 1;
    while (at < text.length) {
      const char = text[at];
      if (char === '"') {
        at += 1;
        return JSON.parse(text.slice(start, at)) as string;
      }
      at += char === '\\' ? 2 : 1;
    }
    return fail('unterminated string');
  };

  const parseNumber = (): number | bigint => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) return fail('invalid number');
    const literal = match[0];
    at += literal.length;
    const isInteger = match[2] === undefined && match[3] === undefined;
    if (isInteger) {
      const asNumber = Number(literal);
      return Number.isSafeInteger(asNumber) ? asNumber : BigInt(literal);
    }
    return Number(literal);
  };

  const parseValue = (): JsonValue => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at += 1;
      const result: { [key: string]: JsonValue } = {};
      skipSpace();
      if (text[at] === '}') {
        at += 1;
        return result;
      }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail('expected a key');
        const key = parseString();
        skipSpace();
        if (text[at] !== ':') fail('expected ":"');
        at += 1;
        result[key] = parseValue();
        skipSpace();
        if (text[at] === ',') {
          at += 1;
          continue;
        }
        if (text[at] === '}') {
          at += 1;
          return result;
        }
        fail('expected "," or "}"');
      }
    }
    if (char === '[') {
      at += 1;
      const result: JsonValue[] = [];
      skipSpace();
      if (text[at] === ']') {
        at += 1;
        return result;
      }
      for (;;) {
        result.push(parseValue());
        skipSpace();
        if (text[at] === ',') {
          at += 1;
          continue;
        }
        if (text[at] === ']') {
          at += 1;
          return result;
        }
        fail('expected "," or "]"');
      }
    }
    if (char === '"') return parseString();
    if (char === 't') {
      expectWord('true');
      return true;
    }
    if (char === 'f') {
      expectWord('false');
      return false;
    }
    if (char === 'n') {
      expectWord('null');
      return null;
    }
    return parseNumber();
  };

  const value = parseValue();
  skipSpace();
  if (at !== text.length) fail('unexpected trailing text');
  return value;
}
