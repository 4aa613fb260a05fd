import * as z from 'zod/mini';
import { type FieldIssue, type MarketplaceId, ValidationError } from './errors';
import { fastSafeParse } from './fast-path-hook';
import { lowestPrice, type Product, ProductInput, Product as ProductSchema } from './models';
import { useEnglishSchemaMessages } from './schema-messages';

useEnglishSchemaMessages();

/** Turns zod issues into {@link FieldIssue}s with dotted paths. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldIssue[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return { path, message: issue.message, code: issue.code };
  });
}

/**
 * Parses `value` with `schema`, or throws a {@link ValidationError} that names every bad field.
 * Use it at every boundary: inputs before a write leaves, responses before they are read.
 * `owned: true` says `value` is the caller's own and has no other use (JSON it has just parsed, an
 * object a mapper has just built): the result may then share the objects and arrays the schema
 * keeps as they are, instead of copying them, and is `value` itself when nothing is stripped or
 * changed (the value is never written to). Without it, the result is always a fresh copy.
 *
 * @example
 * const order = parseOrThrow(Order, raw, 'Order from Shopee', { marketplace: 'shopee' });
 */
export function parseOrThrow<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  what: string,
  options: { marketplace?: MarketplaceId; path?: string; owned?: boolean } = {},
): z.infer<S> {
  const result = fastSafeParse ? fastSafeParse(schema, value, options.owned) : z.safeParse(schema, value);
  if (result.success) return result.data as z.infer<S>;
  throw new ValidationError(`Invalid ${what}`, toFieldIssues(result.error.issues, options.path), {
    marketplace: options.marketplace,
  });
}

/**
 * Normalizes what an application writes into a {@link Product}: a simple product gets one
 * implicit variant, and `price` / `quantity` are derived from the variants when omitted.
 * Throws a {@link ValidationError} naming each bad field.
 *
 * @example
 * normalizeProduct({ sku: 'MUG-1', title: 'Mug', price: money('29.90', 'BRL'), quantity: 5 })
 * // → { ..., variants: [{ sku: 'MUG-1', price: { amount: '29.90', currency: 'BRL' }, quantity: 5 }] }
 */
export function normalizeProduct(input: unknown): Product {
  const draft = parseOrThrow(ProductInput, input, 'product');
  if (draft.status === 'unknown') {
    throw new ValidationError('Invalid product', [
      {
        path: 'status',
        message:
          '"unknown" is what a marketplace reports, not a status to set: use active, paused or inactive',
      },
    ]);
  }
  const variants =
    draft.variants ??
    (draft.price && draft.quantity !== undefined
      ? [{ sku: draft.sku, price: draft.price, quantity: draft.quantity, attributes: {} }]
      : undefined);
  if (!variants) {
    throw new ValidationError('Invalid product', [
      ...(draft.price ? [] : [{ path: 'price', message: 'required when the product has no variants' }]),
      ...(draft.quantity !== undefined
        ? []
        : [{ path: 'quantity', message: 'required when the product has no variants' }]),
    ]);
  }
  return parseOrThrow(
    ProductSchema,
    {
      ...draft,
      variants,
      price: draft.price ?? lowestPrice(variants),
      quantity: draft.quantity ?? variants.reduce((sum, v) => sum + v.quantity, 0),
    },
    'product',
  );
}
