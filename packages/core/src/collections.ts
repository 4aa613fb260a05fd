/**
 * Small list helpers every adapter needs to batch to an API's maximum and to bound how many
 * requests one call has in flight.
 */

/**
 * Splits `values` into lists of at most `size` items (a size below 1 counts as 1), in order.
 *
 * @example
 * chunk(['a', 'b', 'c'], 2) // [['a', 'b'], ['c']]
 */
export function chunk<T>(values: readonly T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += step) chunks.push(values.slice(start, start + step));
  return chunks;
}

/**
 * Runs `work` over `values` with at most `limit` calls in flight (at least 1), and resolves with
 * the results in the order of `values`. The first rejection rejects the whole call.
 *
 * @example
 * const orders = await mapLimit(orderIds, 4, (id) => client.getOrder(id));
 */
export async function mapLimit<T, R>(
  values: readonly T[],
  limit: number,
  work: (value: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(values.length);
  let next = 0;
  const worker = async () => {
    while (next < values.length) {
      const index = next++;
      results[index] = await work(values[index] as T);
    }
  };
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, values.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/**
 * One value or a list of them, as a list; `undefined` stays `undefined`. Reads options such as
 * `status: 'paid' | ['paid', 'shipped']`.
 *
 * @example
 * asArray('paid') // ['paid']
 * asArray(['paid', 'shipped']) // ['paid', 'shipped']
 */
export function asArray<T>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/**
 * Groups `values` by `keyOf`, keeping the order of first appearance and, within a group, the
 * order of `values` (`Map.groupBy` is not in every supported runtime yet).
 *
 * @example
 * groupBy(updates, (update) => update.productExternalId) // Map { 'p1' => [u1, u3], 'p2' => [u2] }
 */
export function groupBy<T, K>(values: readonly T[], keyOf: (value: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

/**
 * A copy of `value` without its keys whose value is `undefined`, so optional fields are absent
 * rather than present and undefined (`exactOptionalPropertyTypes`, stored records).
 */
export function withoutUndefined<T extends object>(value: T): T {
  const kept: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  const prototype = Object.getPrototypeOf(value);
  // Mappers call this on every object they build. On a plain object `for…in` visits exactly the
  // own enumerable keys, without the array `Object.keys` makes (about half the time per object);
  // anything else keeps `Object.keys`, which skips inherited enumerable keys.
  if (prototype === Object.prototype || prototype === null) {
    for (const key in source) keep(kept, key, source[key]);
  } else {
    for (const key of Object.keys(source)) keep(kept, key, source[key]);
  }
  return kept as T;
}

function keep(kept: Record<string, unknown>, key: string, field: unknown): void {
  if (field === undefined) return;
  // A `__proto__` key is data here, as fromEntries would make it, never the prototype.
  if (key === '__proto__') {
    Object.defineProperty(kept, key, { value: field, enumerable: true, writable: true, configurable: true });
  } else kept[key] = field;
}
