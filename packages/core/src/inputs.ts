import * as z from 'zod';
import { CurrencyCode } from './money';

/**
 * Schemas of what an application passes to the writes of a `MarketplaceClient`. Every adapter
 * checks its inputs with these before any request leaves, then adds its own marketplace's rules
 * (id formats, price > 0, the shop's currency, ...).
 */

const optionalId = z.string().min(1, 'must not be empty').optional();

/**
 * A {@link StockUpdate}: an absolute, whole, non-negative quantity for one SKU of a listing.
 *
 * @example
 * StockUpdateInput.safeParse({ productExternalId: 'MLB123', sku: 'MUG-1', quantity: 5 }).success // true
 */
export const StockUpdateInput = z.object({
  productExternalId: z.string().min(1, 'required'),
  variantExternalId: optionalId,
  sku: optionalId,
  quantity: z.number().int('must be a whole number').nonnegative('must be ≥ 0'),
});

/**
 * A {@link PriceUpdate}: a non-negative decimal amount with its ISO 4217 currency for one SKU.
 * Whether 0 is a valid price is the marketplace's rule, checked by its adapter.
 *
 * @example
 * PriceUpdateInput.safeParse({ productExternalId: '1729', price: { amount: '19.90', currency: 'BRL' } }).success // true
 */
export const PriceUpdateInput = z.object({
  productExternalId: z.string().min(1, 'required'),
  variantExternalId: optionalId,
  sku: optionalId,
  price: z.object({
    amount: z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string like "19.90"'),
    currency: CurrencyCode,
  }),
});

/**
 * A {@link FulfillmentInput}, field by field. Unknown fields are kept. Adapters `extend` it where
 * their marketplace is stricter (e.g. a numeric shipment id) and refine it with the combinations
 * their API needs.
 *
 * @example
 * const Input = FulfillmentInputSchema.extend({ shipmentId: z.string().regex(/^\d+$/).optional() });
 */
export const FulfillmentInputSchema = z.looseObject({
  carrier: z.string().min(1).optional(),
  trackingNumber: z.string().min(1).optional(),
  trackingUrl: z.url().optional(),
  method: z.enum(['pickup', 'dropoff', 'seller']).optional(),
  shipmentId: z.string().min(1).optional(),
  marketplaceFields: z.record(z.string(), z.unknown()).optional(),
});
