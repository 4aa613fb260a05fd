/**
 * Content hashing that runs everywhere: canonical JSON (object keys sorted, `undefined` dropped)
 * digested with SHA-256, synchronously (`@mlh/core/hmac`: `node:crypto` under Node, a pure-JS
 * SHA-256 elsewhere), with the same hex digest WebCrypto gives, so stored hashes stay valid.
 */
import { sha256HexSync } from '@mlh/core/hmac';

/** JSON with object keys in sorted order, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  return canonicalJsonWithout(value);
}

/** {@link canonicalJson} leaving out the top-level member `omitted`, when given. */
function canonicalJsonWithout(value: unknown, omitted?: string): string {
  return JSON.stringify(sortKeys(value, omitted)) ?? 'null';
}

/**
 * A copy of `value` whose objects have their keys inserted in sorted order (so `JSON.stringify`
 * writes them so, integer-like keys first as for any object), without `undefined` members.
 * Built key by key into plain objects (which `JSON.stringify` walks fastest); a `__proto__` key
 * is defined rather than assigned, so it stays an own key as in the source.
 */
function sortKeys(value: unknown, omitted?: string): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      items[index] = item === undefined ? null : sortKeys(item);
    }
    return items;
  }
  const source = value as Record<string, unknown>;
  const keys = sortedKeys(source);
  const sorted: Record<string, unknown> = {};
  for (const key of keys) {
    const item = source[key];
    if (item === undefined || key === omitted) continue;
    if (key === '__proto__') {
      Object.defineProperty(sorted, key, {
        value: sortKeys(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      sorted[key] = sortKeys(item);
    }
  }
  return sorted;
}

/** Objects at most this wide have their keys sorted in place by insertion. */
const INSERTION_SORT_KEYS = 24;

/**
 * The own enumerable keys of `source` in code-unit order. Most objects have a handful of keys:
 * sorting them by insertion in the array `Object.keys` made avoids the work array and comparator
 * calls of `Array.prototype.sort`, the largest allocation of hashing an order.
 */
function sortedKeys(source: object): string[] {
  const keys = Object.keys(source);
  if (keys.length > INSERTION_SORT_KEYS) return keys.sort(compareKeys);
  for (let index = 1; index < keys.length; index += 1) {
    const key = keys[index]!;
    let at = index - 1;
    while (at >= 0 && keys[at]! > key) {
      keys[at + 1] = keys[at]!;
      at -= 1;
    }
    keys[at + 1] = key;
  }
  return keys;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Hex SHA-256 of the canonical JSON of `value`, computed synchronously.
 *
 * @example
 * contentHashSync({ b: 1, a: 2 }) === contentHashSync({ a: 2, b: 1 }) // true
 */
export function contentHashSync(value: unknown): string {
  return sha256HexSync(canonicalJson(value));
}

/**
 * {@link contentHashSync} of `value` without its member `omitted` (an order without its `raw`
 * payload), the same as hashing a copy made without it, but with no copy.
 */
export function contentHashSyncWithout(value: object, omitted: string): string {
  return sha256HexSync(canonicalJsonWithout(value, omitted));
}

/**
 * Hex SHA-256 of the canonical JSON of `value`: {@link contentHashSync} behind a promise, for
 * callers written against the asynchronous WebCrypto version (same values).
 *
 * @example
 * await contentHash({ b: 1, a: 2 }) === await contentHash({ a: 2, b: 1 }) // true
 */
export async function contentHash(value: unknown): Promise<string> {
  return contentHashSync(value);
}
