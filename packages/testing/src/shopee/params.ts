import type * as z from 'zod';
import type { ShopeeCall } from './context';
import { ShopeeApiError } from './envelope';
import type { JsonValue } from './json';

/** An id as a caller may write it; the sandbox keeps ids as `bigint` so any int64 is exact. */
export type ShopeeIdInput = bigint | number | string;

/** Normalizes an id to `bigint`; throws on anything that is not a non-negative integer. */
export function toId(value: ShopeeIdInput): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError(`invalid id ${value}`);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`invalid id ${value}`);
    return BigInt(value);
  }
  if (!/^\d+$/.test(value.trim())) throw new RangeError(`invalid id ${value}`);
  return BigInt(value.trim());
}

/** Shopee's `error_param` refusal with `message`. */
export function paramError(message: string): ShopeeApiError {
  return new ShopeeApiError('error_param', message);
}

/** Reads a multipart body; a body that is not one is refused with `error_param` and `message`. */
export async function readForm(call: ShopeeCall, message: string): Promise<FormData> {
  try {
    return await call.request.formData();
  } catch {
    throw paramError(message);
  }
}

/** Reads a required query parameter as a string. */
export function requiredQuery(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '') throw paramError(`${name} is required.`);
  return value;
}

/** Reads an optional integer query parameter (within the safe range). */
export function optionalIntQuery(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw paramError(`${name} must be an integer.`);
  }
  return Number(value);
}

/** Reads a required integer query parameter. */
export function requiredIntQuery(query: URLSearchParams, name: string): number {
  const value = optionalIntQuery(query, name);
  if (value === undefined) throw paramError(`${name} is required.`);
  return value;
}

/** Reads a required int64 query parameter exactly. */
export function requiredIdQuery(query: URLSearchParams, name: string): bigint {
  const value = requiredQuery(query, name);
  if (!/^\d+$/.test(value)) throw paramError(`${name} must be an integer.`);
  return BigInt(value);
}

/**
 * Reads a list parameter in any encoding Shopee clients use: the key repeated
 * (`a=1&a=2`), comma-joined (`a=1,2`) or bracketed (`a=[1,2]`).
 */
export function listQuery(query: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (const raw of query.getAll(name)) {
    const inner = raw.trim().replace(/^\[(.*)\]$/, '$1');
    for (const part of inner.split(',')) {
      const value = part.trim().replace(/^"(.*)"$/, '$1');
      if (value !== '') values.push(value);
    }
  }
  return values;
}

/** Reads an optional boolean query parameter (`true` / `false`). */
export function booleanQuery(query: URLSearchParams, name: string): boolean {
  return query.get(name) === 'true';
}

/** Validates a JSON body against a zod schema, answering `error_param` naming each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: JsonValue | undefined): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw paramError(`Invalid request body: ${details.join('; ')}.`);
}
