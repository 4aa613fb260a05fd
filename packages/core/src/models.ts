import * as z from 'zod/mini';
import { CurrencyCode, compareMoney, Money, type Money as MoneyValue } from './money';

/**
 * The normalized model shared by every marketplace. Adapters map raw payloads into these
 * shapes; `rawStatus` and `raw` keep what the marketplace said, so nothing is lost in mapping.
 */

/** ISO 8601 date-time with an offset, e.g. `2026-01-31T12:00:00.000Z`. */
export const Timestamp = /* @__PURE__ */ (() => z.iso.datetime({ offset: true }))();

/** Marketplace identifier: `meli`, `shopee`, `tiktok`, or any other registered by an adapter. */
export const MarketplaceIdSchema = /* @__PURE__ */ (() => z.string().check(z.minLength(1)))();

/**
 * Status of a listing, the same words on every marketplace. `unknown` is what a marketplace
 * reported without a status (or with one the SDK does not know): it is read, never written, and
 * never taken for `inactive`.
 */
export const ProductStatus = /* @__PURE__ */ (() => z.enum(['active', 'inactive', 'paused', 'unknown']))();
export type ProductStatus = z.infer<typeof ProductStatus>;

/** The statuses an application can ask a listing to be in (every one but `unknown`). */
export const SettableProductStatus = /* @__PURE__ */ (() => z.enum(['active', 'inactive', 'paused']))();
export type SettableProductStatus = z.infer<typeof SettableProductStatus>;

/** Free-form attributes, e.g. `{ color: 'Red', size: 'M' }`. */
export const Attributes = /* @__PURE__ */ (() => z.record(z.string(), z.string()))();

/** One sellable SKU of a product: its own price, stock and distinguishing attributes. */
export const ProductVariant = /* @__PURE__ */ (() =>
  z.looseObject({
    /**
     * The seller's SKU. Absent only on a variant read from a marketplace where the seller never set
     * one: the SDK never makes one up. A product you write (and every catalog product sync handles)
     * has one on each variant.
     */
    sku: z.optional(z.string().check(z.minLength(1))),
    /** The marketplace's id of this variant (Mercado Livre variation, Shopee model, TikTok SKU). */
    externalId: z.optional(z.string().check(z.minLength(1))),
    price: Money,
    quantity: z.number().check(z.int(), z.nonnegative()),
    attributes: z._default(Attributes, {}),
    images: z.optional(z.array(z.url())),
    barcode: z.optional(z.string()),
  }))();
/**
 * One sellable SKU of a product, as it is read and written (the value the `ProductVariant` schema parses).
 *
 * @interface
 */
export type ProductVariant = z.infer<typeof ProductVariant>;

const productFields = /* @__PURE__ */ (() => ({
  externalId: z.optional(z.string().check(z.minLength(1))),
  marketplace: z.optional(MarketplaceIdSchema),
  accountId: z.optional(z.string().check(z.minLength(1))),
  title: z.string().check(z.minLength(1), z.maxLength(500)),
  description: z._default(z.string(), ''),
  /** The product's representative price: the lowest variant price. */
  price: Money,
  /** Total stock: the sum of the variants' quantities. */
  quantity: z.number().check(z.int(), z.nonnegative()),
  /** The product's own SKU (the parent SKU when it has several variants). */
  sku: z.string().check(z.minLength(1)),
  images: z._default(z.array(z.url()), []),
  attributes: z._default(Attributes, {}),
  status: z._default(ProductStatus, 'active'),
  /** Marketplace-specific category id, when known. */
  categoryId: z.optional(z.string()),
  variants: z.array(ProductVariant).check(z.minLength(1)),
  rawStatus: z.optional(z.string()),
  createdAt: z.optional(Timestamp),
  updatedAt: z.optional(Timestamp),
  raw: z.optional(z.unknown()),
}))();

function checkProductInvariants(
  product: { price: MoneyValue; quantity: number; variants: ProductVariant[] },
  ctx: z.core.$RefinementCtx,
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
export const Product = /* @__PURE__ */ (() =>
  z.looseObject(productFields).check(z.superRefine(checkProductInvariants)))();
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
export const ProductInput = /* @__PURE__ */ (() =>
  z.looseObject({
    ...productFields,
    price: z.optional(Money),
    quantity: z.optional(z.number().check(z.int(), z.nonnegative())),
    variants: z.optional(
      z.array(z.extend(ProductVariant, { attributes: z._default(Attributes, {}) })).check(z.minLength(1)),
    ),
  }))();
export type ProductInput = z.input<typeof ProductInput>;

/**
 * Status of an order, the same words on every marketplace. `unknown` is a status the SDK does not
 * recognise (see `rawStatus` for the marketplace's word): it is reported as such, never guessed.
 */
export const OrderStatus = /* @__PURE__ */ (() =>
  z.enum(['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'unknown']))();
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Payment status of an order. */
export const PaymentStatus = /* @__PURE__ */ (() =>
  z.enum(['pending', 'paid', 'refunded', 'partially_refunded', 'failed', 'unknown']))();
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** A postal address. `country` is ISO 3166-1 alpha-2. Fields a marketplace masks are absent. */
export const Address = /* @__PURE__ */ (() =>
  z.looseObject({
    name: z.optional(z.string()),
    phone: z.optional(z.string()),
    line1: z.optional(z.string()),
    line2: z.optional(z.string()),
    number: z.optional(z.string()),
    neighborhood: z.optional(z.string()),
    city: z.optional(z.string()),
    state: z.optional(z.string()),
    postalCode: z.optional(z.string()),
    country: z.optional(z.string().check(z.length(2))),
    /** The address as one line, as the marketplace formats it, when it gives one. */
    full: z.optional(z.string()),
  }))();
/**
 * A postal address, field by field (the value the `Address` schema parses).
 *
 * @interface
 */
export type Address = z.infer<typeof Address>;

/** One line of an order. */
export const OrderItem = /* @__PURE__ */ (() =>
  z.looseObject({
    /** The marketplace's id of the line, when it has one. */
    externalId: z.optional(z.string()),
    productExternalId: z.string().check(z.minLength(1)),
    variantExternalId: z.optional(z.string()),
    sku: z.optional(z.string()),
    title: z.string(),
    quantity: z.number().check(z.int(), z.positive()),
    unitPrice: Money,
    /** unitPrice × quantity less line discounts, as the marketplace reports it. */
    total: Money,
  }))();
/**
 * One line of an order, field by field (the value the `OrderItem` schema parses).
 *
 * @interface
 */
export type OrderItem = z.infer<typeof OrderItem>;

/** The buyer as far as the marketplace discloses. */
export const Buyer = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.optional(z.string()),
    nickname: z.optional(z.string()),
    name: z.optional(z.string()),
    email: z.optional(z.string()),
  }))();
/**
 * The buyer as far as the marketplace discloses, field by field.
 *
 * @interface
 */
export type Buyer = z.infer<typeof Buyer>;

/** An order, normalized. */
export const Order = /* @__PURE__ */ (() =>
  z
    .looseObject({
      externalId: z.string().check(z.minLength(1)),
      marketplace: MarketplaceIdSchema,
      accountId: z.string().check(z.minLength(1)),
      sellerId: z.optional(z.string()),
      buyer: z._default(Buyer, {}),
      items: z.array(OrderItem).check(z.minLength(1)),
      currency: CurrencyCode,
      subtotal: Money,
      /**
       * What the buyer paid for shipping. Absent when the marketplace did not report it, which is
       * not the same as `'0'` (free shipping): never read a missing value as zero.
       */
      shippingCost: z.optional(Money),
      /** Tax on the order. Absent when the marketplace did not report it (not the same as `'0'`). */
      tax: z.optional(Money),
      /** Discounts on the order. Absent when the marketplace reported none. */
      discount: z.optional(Money),
      total: Money,
      status: OrderStatus,
      rawStatus: z.string(),
      paymentStatus: PaymentStatus,
      shippingAddress: z.optional(Address),
      trackingNumber: z.optional(z.string()),
      shipmentIds: z._default(z.array(z.string()), []),
      /** Pack / package grouping id when the marketplace groups orders (Mercado Livre packs). */
      packId: z.optional(z.string()),
      createdAt: Timestamp,
      updatedAt: Timestamp,
      paidAt: z.optional(Timestamp),
      shippedAt: z.optional(Timestamp),
      deliveredAt: z.optional(Timestamp),
      cancelledAt: z.optional(Timestamp),
      raw: z.optional(z.unknown()),
    })
    .check(
      z.superRefine((order, ctx) => {
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
      }),
    ))();
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
export const ShipmentStatus = /* @__PURE__ */ (() =>
  z.enum([
    'pending',
    'ready_to_ship',
    'shipped',
    'delivered',
    'not_delivered',
    'cancelled',
    'returned',
    'unknown',
  ]))();
export type ShipmentStatus = z.infer<typeof ShipmentStatus>;

/** A shipment (Mercado Livre shipment, Shopee package, TikTok package). */
export const Shipment = /* @__PURE__ */ (() =>
  z.looseObject({
    externalId: z.string().check(z.minLength(1)),
    marketplace: MarketplaceIdSchema,
    accountId: z.optional(z.string()),
    orderIds: z._default(z.array(z.string()), []),
    status: ShipmentStatus,
    rawStatus: z.string(),
    rawSubstatus: z.optional(z.string()),
    carrier: z.optional(z.string()),
    trackingNumber: z.optional(z.string()),
    trackingUrl: z.optional(z.string()),
    /** Who ships: the marketplace's logistics or the seller's own carrier. */
    mode: z._default(z.enum(['marketplace', 'seller', 'unknown']), 'unknown'),
    address: z.optional(Address),
    cost: z.optional(Money),
    createdAt: z.optional(Timestamp),
    updatedAt: z.optional(Timestamp),
    shippedAt: z.optional(Timestamp),
    deliveredAt: z.optional(Timestamp),
    raw: z.optional(z.unknown()),
  }))();
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
