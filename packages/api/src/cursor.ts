import { ValidationError } from '@mlh/core';
import * as z from 'zod/mini';

function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function decodeBase64Url(text: string): string | undefined {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(binary, (char) => char.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

/** An opaque cursor for `value`: base64url of its JSON. Clients pass it back as is. */
export function encodeCursor(value: unknown): string {
  return encodeBase64Url(JSON.stringify(value));
}

/** The value of a cursor made by {@link encodeCursor}, or a `ValidationError` on `cursor`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodMiniType<T>): T {
  const text = decodeBase64Url(cursor);
  let value: unknown;
  try {
    value = text === undefined ? undefined : JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError('Invalid query', [
      { path: 'cursor', message: 'is not a cursor of this listing', code: 'invalid_cursor' },
    ]);
  }
  return parsed.data;
}

/** The cursor of `GET /products`: the last SKU of the previous page. */
export const ProductCursor = z.object({ after: z.string() });

/** The cursor of `GET /orders`: the account being read and the last external id read there. */
export const OrderCursor = z.object({
  marketplace: z.string(),
  accountId: z.string(),
  after: z.optional(z.string()),
});
