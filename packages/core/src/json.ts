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

/** One number token at the cursor; groups 1 and 2 are the fraction and the exponent. */
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** A string without escapes or control characters, up to its closing quote. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids raw U+0000–U+001F in strings; this excludes them.
const PLAIN_STRING = /"[^"\\\u0000-\u001f]*"/y;

class JsonSyntaxError extends SyntaxError {
  constructor(message: string, position: number) {
    super(`${message} in JSON at position ${position}`);
    this.name = 'SyntaxError';
  }
}

/**
 * Parses JSON text like `JSON.parse`, except that an integer beyond ±(2^53 − 1) is returned as
 * its exact decimal string instead of a rounded number. Safe integers, fractions and exponents
 * are plain numbers (`-0` stays `-0`), a `"__proto__"` key is ordinary data, and a repeated key
 * keeps its last value. Throws `SyntaxError` on invalid JSON.
 *
 * The text goes to `JSON.parse` first; only when the result holds a number beyond 2^53 − 1 (an
 * integer literal that was rounded, quoted ids do not count) is it parsed again exactly. The cost
 * over `JSON.parse` is a walk over the parsed values, without reading the text again.
 *
 * @example parseJsonLossless('{"order_id":1051400341536827267,"qty":2}') // { order_id: '1051400341536827267', qty: 2 }
 */
export function parseJsonLossless(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return holdsUnsafeNumber(value) ? new LosslessParser(text).document() : value;
}

class LosslessParser {
  private index = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    const value = this.value();
    this.skipWhitespace();
    if (this.index !== this.text.length) this.fail('Unexpected data after the value');
    return value;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.index);
  }

  private skipWhitespace(): void {
    const { text } = this;
    let index = this.index;
    for (;;) {
      const code = text.charCodeAt(index);
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) index++;
      else break;
    }
    this.index = index;
  }

  private value(): unknown {
    this.skipWhitespace();
    const code = this.text.charCodeAt(this.index);
    switch (code) {
      case 0x7b /* { */:
        return this.object();
      case 0x5b /* [ */:
        return this.array();
      case 0x22 /* " */:
        return this.string();
      case 0x74 /* t */:
        return this.word('true', true);
      case 0x66 /* f */:
        return this.word('false', false);
      case 0x6e /* n */:
        return this.word('null', null);
      default:
        if (code === 0x2d || (code >= 0x30 && code <= 0x39)) return this.number();
        return this.fail(Number.isNaN(code) ? 'Unexpected end' : 'Unexpected token');
    }
  }

  private object(): Record<string, unknown> {
    this.index++;
    const object: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.text.charCodeAt(this.index) === 0x7d) {
      this.index++;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.index) !== 0x22) this.fail('Expected a property name');
      const key = this.string();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.index) !== 0x3a) this.fail('Expected ":"');
      this.index++;
      const value = this.value();
      // Like JSON.parse: "__proto__" is an own data property, never the prototype.
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.index);
      this.index++;
      if (next === 0x2c) continue;
      if (next === 0x7d) return object;
      this.index--;
      this.fail('Expected "," or "}"');
    }
  }

  private array(): unknown[] {
    this.index++;
    const array: unknown[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.index) === 0x5d) {
      this.index++;
      return array;
    }
    for (;;) {
      array.push(this.value());
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.index);
      this.index++;
      if (next === 0x2c) continue;
      if (next === 0x5d) return array;
      this.index--;
      this.fail('Expected "," or "]"');
    }
  }

  private string(): string {
    const start = this.index;
    PLAIN_STRING.lastIndex = start;
    if (PLAIN_STRING.test(this.text)) {
      this.index = PLAIN_STRING.lastIndex;
      return this.text.slice(start + 1, this.index - 1);
    }
    // Escapes: find the closing quote, then let JSON.parse decode (and validate) that one string.
    let index = start + 1;
    for (;;) {
      const code = this.text.charCodeAt(index);
      if (Number.isNaN(code)) {
        this.index = index;
        this.fail('Unterminated string');
      }
      if (code === 0x5c) index += 2;
      else if (code === 0x22) break;
      else index++;
    }
    this.index = index + 1;
    try {
      return JSON.parse(this.text.slice(start, this.index)) as string;
    } catch {
      this.index = start;
      return this.fail('Bad string');
    }
  }

  private number(): number | string {
    NUMBER.lastIndex = this.index;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail('Bad number');
    const literal = match[0];
    this.index = NUMBER.lastIndex;
    const value = Number(literal);
    if (match[1] === undefined && match[2] === undefined && !Number.isSafeInteger(value)) return literal;
    return value;
  }

  private word<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.index)) this.fail('Unexpected token');
    this.index += word.length;
    return value;
  }
}
