import * as z from 'zod';
import { OrderFiscal } from './invoices';
import { CurrencyCode, compareMoney, Money, type Money as MoneyValue } from './money';

/**
 * The normalized model shared by every marketplace. Adapters map raw payloads into these
 * shapes; `rawStatus` and `raw` keep what the marketplace said, so nothing is lost in mapping.
 */

/** ISO 8601 date-time with an offset, e.g. `2026-01-31T12:00:00.000Z`. */
export const Timestamp = z.iso.datetime({ offset: true });

/** Marketplace identifier: `meli`, `shopee`, `tiktok`, or any other registered by an adapter. */
export const MarketplaceIdSchema = z.string().min(1);

/**
 * Status of a listing, the same words on every marketplace. `unknown` is what a marketplace
 * reported without a status (or with one the SDK does not know): it is read, never written, and
 * never taken for `inactive`.
 */
export const ProductStatus = z.enum(['active', 'inactive', 'paused', 'unknown']);
export type ProductStatus = z.infer<typeof ProductStatus>;

/** The statuses an application can ask a listing to be in (every one but `unknown`). */
export const SettableProductStatus = z.enum(['active', 'inactive', 'paused']);
export type SettableProductStatus = z.infer<typeof SettableProductStatus>;

/** Free-form attributes, e.g. `{ color: 'Red', size: 'M' }`. */
export const Attributes = z.record(z.string(), z.string());

/** One sellable SKU of a product: its own price, stock and distinguishing attributes. */
export const ProductVariant = z.looseObject({
  /**
   * The seller's SKU. Absent only on a variant read from a marketplace where the seller never set
   * one: the SDK never makes one up. A product you write (and every catalog product sync handles)
   * has one on each variant.
   */
  sku: z.string().min(1).optional(),
  /** The marketplace's id of this variant (Mercado Livre variation, Shopee model, TikTok SKU). */
  externalId: z.string().min(1).optional(),
  price: Money,
  quantity: z.number().int().nonnegative(),
  attributes: Attributes.default({}),
  images: z.array(z.url()).optional(),
  barcode: z.string().optional(),
});
/**
 * One sellable SKU of a product, as it is read and written (the value the `ProductVariant` schema parses).
 *
 * @interface
 */
export type ProductVariant = z.infer<typeof ProductVariant>;

const productFields = {
  externalId: z.string().min(1).optional(),
  marketplace: MarketplaceIdSchema.optional(),
  accountId: z.string().min(1).optional(),
  title: z.string().min(1).max(500),
  description: z.string().default(''),
  /** The product's representative price: the lowest variant price. */
  price: Money,
  /** Total stock: the sum of the variants' quantities. */
  quantity: z.number().int().nonnegative(),
  /** The product's own SKU (the parent SKU when it has several variants). */
  sku: z.string().min(1),
  images: z.array(z.url()).default([]),
  attributes: Attributes.default({}),
  status: ProductStatus.default('active'),
  /** Marketplace-specific category id, when known. */
  categoryId: z.string().optional(),
  variants: z.array(ProductVariant).min(1),
  rawStatus: z.string().optional(),
  createdAt: Timestamp.optional(),
  updatedAt: Timestamp.optional(),
  raw: z.unknown().optional(),
};

function checkProductInvariants(
  product: { price: MoneyValue; quantity: number; variants: ProductVariant[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  product.variants.forEach((variant, index) => {
    if (variant.sku !== undefined && seen.has(variant.sku)) {
      ctx.addIssue({
        code: 'custom',
        path: ['variants', index, 'sku'],
        message: `duplicate SKU "${variant.sku}"`,
      });
    }
    if (variant.sku !== undefined) seen.add(variant.sku);
    if (variant.price.currency !== product.price.currency) {
      ctx.addIssue({
        code: 'custom',
        path: ['variants', index, 'price', 'currency'],
        message: `variant currency ${variant.price.currency} differs from product currency ${product.price.currency}`,
      });
    }
  });
  const total = product.variants.reduce((sum, v) => sum + v.quantity, 0);
  if (total !== product.quantity) {
    ctx.addIssue({
      code: 'custom',
      path: ['quantity'],
      message: `must equal the sum of the variants' quantities (${total})`,
    });
  }
}

/** A product with one or more variants. Stock is per SKU; `quantity` is their sum. */
export const Product = z.looseObject(productFields).superRefine(checkProductInvariants);
/**
 * A product with one or more variants, field by field (the value the `Product` schema parses): stock is per SKU and `quantity` is their sum; unknown fields are kept.
 *
 * @interface
 */
export type Product = z.infer<typeof Product>;

/**
 * What an application writes: variants may be omitted for a simple product (one implicit variant
 * is made from `sku`, `price` and `quantity`), and `price` / `quantity` may be omitted when the
 * variants give them. {@link normalizeProduct} turns it into a {@link Product}.
 */
export const ProductInput = z.looseObject({
  ...productFields,
  price: Money.optional(),
  quantity: z.number().int().nonnegative().optional(),
  variants: z
    .array(ProductVariant.extend({ attributes: Attributes.default({}) }))
    .min(1)
    .optional(),
});
export type ProductInput = z.input<typeof ProductInput>;

/**
 * Status of an order, the same words on every marketplace. `unknown` is a status the SDK does not
 * recognise (see `rawStatus` for the marketplace's word): it is reported as such, never guessed.
 */
export const OrderStatus = z.enum(['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'unknown']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Payment status of an order. */
export const PaymentStatus = z.enum([
  'pending',
  'paid',
  'refunded',
  'partially_refunded',
  'failed',
  'unknown',
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** A postal address. `country` is ISO 3166-1 alpha-2. Fields a marketplace masks are absent. */
export const Address = z.looseObject({
  name: z.string().optional(),
  phone: z.string().optional(),
  line1: z.string().optional(),
  line2: z.string().optional(),
  number: z.string().optional(),
  neighborhood: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().length(2).optional(),
  /** The address as one line, as the marketplace formats it, when it gives one. */
  full: z.string().optional(),
});
/**
 * A postal address, field by field (the value the `Address` schema parses).
 *
 * @interface
 */
export type Address = z.infer<typeof Address>;

/** One line of an order. */
export const OrderItem = z.looseObject({
  /** The marketplace's id of the line, when it has one. */
  externalId: z.string().optional(),
  productExternalId: z.string().min(1),
  variantExternalId: z.string().optional(),
  sku: z.string().optional(),
  title: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: Money,
  /** unitPrice × quantity less line discounts, as the marketplace reports it. */
  total: Money,
});
/**
 * One line of an order, field by field (the value the `OrderItem` schema parses).
 *
 * @interface
 */
export type OrderItem = z.infer<typeof OrderItem>;

/** The buyer as far as the marketplace discloses. */
export const Buyer = z.looseObject({
  id: z.string().optional(),
  nickname: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
});
/**
 * The buyer as far as the marketplace discloses, field by field.
 *
 * @interface
 */
export type Buyer = z.infer<typeof Buyer>;

/** An order, normalized. */
export const Order = z
  .looseObject({
    externalId: z.string().min(1),
    marketplace: MarketplaceIdSchema,
    accountId: z.string().min(1),
    sellerId: z.string().optional(),
    buyer: Buyer.default({}),
    items: z.array(OrderItem).min(1),
    currency: CurrencyCode,
    subtotal: Money,
    /**
     * What the buyer paid for shipping. Absent when the marketplace did not report it, which is
     * not the same as `'0'` (free shipping): never read a missing value as zero.
     */
    shippingCost: Money.optional(),
    /** Tax on the order. Absent when the marketplace did not report it (not the same as `'0'`). */
    tax: Money.optional(),
    /** Discounts on the order. Absent when the marketplace reported none. */
    discount: Money.optional(),
    total: Money,
    status: OrderStatus,
    rawStatus: z.string(),
    paymentStatus: PaymentStatus,
    shippingAddress: Address.optional(),
    trackingNumber: z.string().optional(),
    shipmentIds: z.array(z.string()).default([]),
    /** Pack / package grouping id when the marketplace groups orders (Mercado Livre packs). */
    packId: z.string().optional(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    paidAt: Timestamp.optional(),
    shippedAt: Timestamp.optional(),
    deliveredAt: Timestamp.optional(),
    cancelledAt: Timestamp.optional(),
    /** Brazil: the order's NF-e state and the buyer's CPF/CNPJ, where the marketplace gives them. */
    fiscal: z.optional(OrderFiscal),
    raw: z.unknown().optional(),
  })
  .superRefine((order, ctx) => {
    const money: Array<[string, MoneyValue | undefined]> = [
      ['subtotal', order.subtotal],
      ['shippingCost', order.shippingCost],
      ['tax', order.tax],
      ['discount', order.discount],
      ['total', order.total],
    ];
    for (const [field, value] of money) {
      if (value && value.currency !== order.currency) {
        ctx.addIssue({ code: 'custom', path: [field, 'currency'], message: `must be ${order.currency}` });
      }
    }
    order.items.forEach((item, index) => {
      if (item.unitPrice.currency !== order.currency) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'unitPrice', 'currency'],
          message: `must be ${order.currency}`,
        });
      }
    });
  });
/**
 * An order, normalized, field by field (the value the `Order` schema parses): every amount in the order's `currency`; unknown fields are kept.
 *
 * @interface
 */
export type Order = z.infer<typeof Order>;

/**
 * Status of a shipment / package, the same words on every marketplace. `unknown` is a status the
 * marketplace reported that the adapter does not know yet (or no status at all): reported as
 * such, never guessed, with the marketplace's word in `rawStatus`.
 */
export const ShipmentStatus = z.enum([
  'pending',
  'ready_to_ship',
  'shipped',
  'delivered',
  'not_delivered',
  'cancelled',
  'returned',
  'unknown',
]);
export type ShipmentStatus = z.infer<typeof ShipmentStatus>;

/** A shipment (Mercado Livre shipment, Shopee package, TikTok package). */
export const Shipment = z.looseObject({
  externalId: z.string().min(1),
  marketplace: MarketplaceIdSchema,
  accountId: z.string().optional(),
  orderIds: z.array(z.string()).default([]),
  status: ShipmentStatus,
  rawStatus: z.string(),
  rawSubstatus: z.string().optional(),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  trackingUrl: z.string().optional(),
  /** Who ships: the marketplace's logistics or the seller's own carrier. */
  mode: z.enum(['marketplace', 'seller', 'unknown']).default('unknown'),
  address: Address.optional(),
  cost: Money.optional(),
  createdAt: Timestamp.optional(),
  updatedAt: Timestamp.optional(),
  shippedAt: Timestamp.optional(),
  deliveredAt: Timestamp.optional(),
  raw: z.unknown().optional(),
});
/**
 * A shipment (Mercado Livre shipment, Shopee package, TikTok package), field by field (the value the `Shipment` schema parses).
 *
 * @interface
 */
export type Shipment = z.infer<typeof Shipment>;

/** The lowest price among variants: the product's representative price. */
export function lowestPrice(variants: readonly { price: MoneyValue }[]): MoneyValue {
  const [first, ...rest] = variants;
  if (!first) throw new TypeError('lowestPrice needs at least one variant');
  return rest.reduce((low, v) => (compareMoney(v.price, low) < 0 ? v.price : low), first.price);
}
