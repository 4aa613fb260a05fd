import { type FieldIssue, ValidationError } from '@mlh/core';
import { assertValidProducts } from './rules';
import type { SyncStore } from './store';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** NUL or any surrogate: text without one is storable, so the exact checks run only on the rest. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for
const SUSPECT_TEXT = /[\u0000\uD800-\uDFFF]/;

/**
 * Why a string cannot be stored faithfully by every store, or undefined: PostgreSQL text and
 * jsonb refuse U+0000, and a lone UTF-16 surrogate is not Unicode (it has no UTF-8 form, so a
 * database either refuses it or changes it).
 */
export function unstorableTextReason(text: string): string | undefined {
  if (!SUSPECT_TEXT.test(text)) return undefined;
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/**
 * Every place in `value` a store could not keep as given: strings (and object keys) per
 * {@link unstorableTextReason}, and numbers that are not finite or lie beyond ±(2^53−1), which
 * JavaScript rounds and a 64-bit column may refuse. Paths are dotted from `path`.
 */
export function storableIssues(value: unknown, path: string): FieldIssue[] {
  return plainlyStorable(value, 0) ? [] : issuesOf(value, path);
}

/** Nesting beyond which {@link plainlyStorable} leaves the answer to the full walk (which handles cycles). */
const QUICK_DEPTH = 64;

/**
 * True when nothing in `value` needs reporting, decided without paths or bookkeeping (most input
 * is fine); false when something may: then {@link issuesOf} names it, or finds nothing for a
 * structure merely nested deeper than {@link QUICK_DEPTH} (a cycle ends there too).
 */
function plainlyStorable(node: unknown, depth: number): boolean {
  if (typeof node === 'string') return !SUSPECT_TEXT.test(node);
  if (typeof node === 'number') return Math.abs(node) <= Number.MAX_SAFE_INTEGER;
  if (node === null || typeof node !== 'object') return true;
  if (depth >= QUICK_DEPTH) return false;
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index += 1) {
      if (!plainlyStorable(node[index], depth + 1)) return false;
    }
    return true;
  }
  const keys = Object.keys(node);
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    if (SUSPECT_TEXT.test(key) || !plainlyStorable((node as Record<string, unknown>)[key], depth + 1)) {
      return false;
    }
  }
  return true;
}

function issuesOf(value: unknown, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<object>();
  // The path is kept as a stack of keys and joined only for an issue: most input has none.
  const keys: (string | number)[] = path === '' ? [] : [path];
  const here = () => keys.join('.');
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      const reason = unstorableTextReason(node);
      if (reason) issues.push({ path: here(), message: reason, code: 'unstorable_text' });
    } else if (typeof node === 'number') {
      if (!Number.isFinite(node) || Math.abs(node) > Number.MAX_SAFE_INTEGER) {
        issues.push({
          path: here(),
          message: `must be a finite number within ±${Number.MAX_SAFE_INTEGER}`,
          code: 'number_out_of_range',
        });
      }
    } else if (node !== null && typeof node === 'object' && !seen.has(node)) {
      seen.add(node);
      if (Array.isArray(node)) {
        for (let index = 0; index < node.length; index += 1) {
          keys.push(index);
          walk(node[index]);
          keys.pop();
        }
      } else {
        for (const key of Object.keys(node)) {
          keys.push(key);
          const reason = unstorableTextReason(key);
          if (reason) issues.push({ path: here(), message: `key ${reason}`, code: 'unstorable_text' });
          walk((node as Record<string, unknown>)[key]);
          keys.pop();
        }
      }
    }
  };
  walk(value);
  return issues;
}

/** Names of the arguments of each store method, for the paths of a `ValidationError`. */
const ARGUMENT_NAMES: Partial<Record<string, readonly string[]>> = {
  upsertProducts: ['products'],
  getProducts: ['skus'],
  listProducts: ['options'],
  getStock: ['skus'],
  applyStockMovements: ['movements'],
  getListing: ['key'],
  findListingByExternalId: ['marketplace', 'accountId', 'productExternalId'],
  findListingsByExternalIds: ['marketplace', 'accountId', 'productExternalIds'],
  findListingsBySku: ['sku'],
  updateListing: ['key', 'patch', 'now'],
  recordPushes: ['pushes', 'now'],
  upsertOrders: ['orders'],
  setCheckpoint: ['key', 'value'],
  releaseEvent: ['key'],
  purgeExpired: ['now'],
};

function argumentIssues(method: string, args: readonly unknown[]): FieldIssue[] {
  const names = ARGUMENT_NAMES[method];
  const issues = args.flatMap((arg, index) =>
    storableIssues(arg, names?.[index] ?? (index === 0 ? 'input' : `${index}`)),
  );
  if (method === 'upsertProducts' && Array.isArray(args[0])) {
    try {
      assertValidProducts(args[0]);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues.map((issue) => ({ ...issue, path: `products.${issue.path}` })));
    }
  }
  return issues;
}

/**
 * Wraps a {@link SyncStore} so every call's arguments are checked before the store (and its
 * database) sees them: text with U+0000 or a lone surrogate, numbers beyond ±(2^53−1) and
 * products with a bad SKU or initial stock are refused with one core `ValidationError` naming
 * each bad field (`products.0.variants.1.sku`), the same for every store. The memory and
 * PostgreSQL stores come wrapped; wrap your own store with it too.
 *
 * @example
 * export function createMyStore(db: Db): SyncStore {
 *   return withStorableInputs(new MySqlSyncStore(db));
 * }
 */
export function withStorableInputs<S extends SyncStore>(store: S): S {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      if (!wrapped.has(property)) {
        wrapped.set(property, (...args: unknown[]) => {
          const issues = argumentIssues(property, args);
          if (issues.length > 0) {
            return Promise.reject(new ValidationError(`Invalid input to SyncStore.${property}`, issues));
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        });
      }
      return wrapped.get(property);
    },
  });
}

/**
 * Runs `work`, prefixing the paths of a core `ValidationError` it throws with `prefix`: a batch
 * method reports `3.movements.0.delta` where the single call reports `0.delta`.
 */
export function withIssuePrefix<T>(prefix: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw prefixedValidationError(prefix, error);
  }
}

/** `error` with `prefix` before each issue's path when it is a core `ValidationError`, else `error` itself. */
export function prefixedValidationError(prefix: string, error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  return new ValidationError(
    'Invalid orders',
    error.issues.map((issue) => ({ ...issue, path: `${prefix}.${issue.path}` })),
  );
}
