import * as z from 'zod/mini';
import { CurrencyCode } from './money';

/**
 * Schemas of what an application passes to the writes of a `MarketplaceClient`. Every adapter
 * checks its inputs with these before any request leaves, then adds its own marketplace's rules
 * (id formats, price > 0, the shop's currency, ...).
 */

const optionalId = /* @__PURE__ */ (() =>
  z.optional(z.string().check(z.minLength(1, 'must not be empty'))))();

/**
 * A {@link StockUpdate}: an absolute, whole, non-negative quantity for one SKU of a listing.
 *
 * @example
 * StockUpdateInput.safeParse({ productExternalId: 'MLB123', sku: 'MUG-1', quantity: 5 }).success // true
 */
export const StockUpdateInput = /* @__PURE__ */ (() =>
  z.object({
    productExternalId: z.string().check(z.minLength(1, 'required')),
    variantExternalId: optionalId,
    sku: optionalId,
    quantity: z.number().check(z.int('must be a whole number'), z.nonnegative('must be ≥ 0')),
  }))();

/**
 * A {@link PriceUpdate}: a non-negative decimal amount with its ISO 4217 currency for one SKU.
 * Whether 0 is a valid price is the marketplace's rule, checked by its adapter.
 *
 * @example
 * PriceUpdateInput.safeParse({ productExternalId: '1729', price: { amount: '19.90', currency: 'BRL' } }).success // true
 */
export const PriceUpdateInput = /* @__PURE__ */ (() =>
  z.object({
    productExternalId: z.string().check(z.minLength(1, 'required')),
    variantExternalId: optionalId,
    sku: optionalId,
    price: z.object({
      amount: z
        .string()
        .check(z.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string like "19.90"')),
      currency: CurrencyCode,
    }),
  }))();

/**
 * A {@link FulfillmentInput}, field by field. Unknown fields are kept. Adapters extend it (`z.extend`) where
 * their marketplace is stricter (e.g. a numeric shipment id) and refine it with the combinations
 * their API needs.
 *
 * @example
 * const Input = z.extend(FulfillmentInputSchema, { shipmentId: z.optional(z.string().check(z.regex(/^\d+$/))) });
 */
export const FulfillmentInputSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    carrier: z.optional(z.string().check(z.minLength(1))),
    trackingNumber: z.optional(z.string().check(z.minLength(1))),
    trackingUrl: z.optional(z.url()),
    method: z.optional(z.enum(['pickup', 'dropoff', 'seller'])),
    shipmentId: z.optional(z.string().check(z.minLength(1))),
    marketplaceFields: z.optional(z.record(z.string(), z.unknown())),
  }))();
