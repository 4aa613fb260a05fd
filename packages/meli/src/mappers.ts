import type {
  CannotSendReason,
  Conversation,
  ConversationLimits,
  Message,
  MessageAttachment,
  MessageAuthor,
} from '@mlh/core';
import {
  type Address,
  addMoney,
  compareDecimal,
  currencyScale,
  type FieldIssue,
  lowestPrice,
  type Money,
  money,
  moneyInCurrencyScale,
  multiplyMoney,
  Order,
  type OrderInvoice,
  type OrderProceeds,
  type OrderStatus,
  type PaymentStatus,
  type ProceedsLine,
  Product,
  type ProductStatus,
  type ProductVariant,
  parseOrThrow,
  reconcileProceeds,
  type SettableProductStatus,
  Shipment,
  type ShipmentStatus,
  significantDecimals,
  subtractMoney,
  sumMoney,
  sumProceedsLines,
  Timestamp,
  toDecimalString,
  ValidationError,
  withoutUndefined,
} from '@mlh/core';
import type { MeliShipmentCosts } from './api/fees';
import type {
  MeliAmount,
  MeliAttribute,
  MeliCarrier,
  MeliConversationStatus,
  MeliItem,
  MeliMessage,
  MeliOrder,
  MeliPack,
  MeliPicture,
  MeliShipment,
  MeliShipmentInvoice,
  MeliShippingAddress,
} from './schemas';

/**
 * Pure functions between Mercado Livre payloads and the core model, and the status tables they
 * use. Nothing here does I/O: the client fetches, these translate.
 */

/** What a response with HTTP 206 left out: the names from its `X-Content-Missing` header. */
export interface MeliPartialContent {
  missing: string[];
}

/**
 * Which listing model a seller publishes with: `classic` (one item with `variations[]` and a
 * `title`) or `user_products` (sellers tagged `user_product_seller`: one item per variant,
 * grouped by `family_name`, no `title`, prices may differ).
 */
export type MeliListingModel = 'classic' | 'user_products';

// ---------------------------------------------------------------------------------------------
// Status tables

/** Mercado Livre order `status` → core order status (before the shipment refines `paid`). */
export const MELI_ORDER_STATUS: Readonly<Record<string, OrderStatus>> = Object.freeze({
  confirmed: 'pending',
  payment_required: 'pending',
  payment_in_process: 'pending',
  partially_paid: 'pending',
  paid: 'paid',
  partially_refunded: 'paid',
  pending_cancel: 'cancelled',
  cancelled: 'cancelled',
  invalid: 'cancelled',
});

/**
 * Mercado Livre order `status` → core payment status. A `cancelled` order becomes `refunded`
 * when one of its payments says `refunded` or `charged_back`.
 */
export const MELI_ORDER_PAYMENT_STATUS: Readonly<Record<string, PaymentStatus>> = Object.freeze({
  confirmed: 'pending',
  payment_required: 'pending',
  payment_in_process: 'pending',
  partially_paid: 'pending',
  paid: 'paid',
  partially_refunded: 'partially_refunded',
  pending_cancel: 'paid',
  cancelled: 'failed',
  invalid: 'failed',
});

/**
 * Mercado Livre item `status` → core product status. A status not in this table reads as
 * `unknown` (its word stays in `rawStatus`), never as a guess.
 */
export const MELI_ITEM_STATUS: Readonly<Record<string, ProductStatus>> = Object.freeze({
  active: 'active',
  paused: 'paused',
  payment_required: 'paused',
  closed: 'inactive',
  under_review: 'inactive',
  inactive: 'inactive',
  not_yet_active: 'inactive',
  programmed: 'inactive',
  pending: 'inactive',
});

/** Core product status → the item `status` written by `setProductStatus`. `closed` is final. */
export const MELI_ITEM_STATUS_FROM_PRODUCT: Readonly<
  Record<SettableProductStatus, 'active' | 'paused' | 'closed'>
> = Object.freeze({ active: 'active', paused: 'paused', inactive: 'closed' });

/** Mercado Livre shipment `status` → core shipment status. A status not listed is `unknown`. */
export const MELI_SHIPMENT_STATUS: Readonly<Record<string, ShipmentStatus>> = Object.freeze({
  pending: 'pending',
  handling: 'pending',
  not_verified: 'pending',
  to_be_agreed: 'pending',
  active: 'pending',
  not_specified: 'pending',
  error: 'pending',
  ready_to_ship: 'ready_to_ship',
  stale_ready_to_ship: 'ready_to_ship',
  shipped: 'shipped',
  stale_shipped: 'shipped',
  delivered: 'delivered',
  not_delivered: 'not_delivered',
  cancelled: 'cancelled',
  closed: 'cancelled',
});

/** `status/substatus` pairs that refine {@link MELI_SHIPMENT_STATUS}. */
export const MELI_SHIPMENT_SUBSTATUS: Readonly<Record<string, ShipmentStatus>> = Object.freeze({
  'not_delivered/returned': 'returned',
});

/** Shipment `logistic.mode` → who ships: Mercado Envios 2 is run by Mercado Livre; ME1 and custom by the seller. */
export const MELI_SHIPMENT_MODE: Readonly<Record<string, 'marketplace' | 'seller'>> = Object.freeze({
  me2: 'marketplace',
  me1: 'seller',
  custom: 'seller',
  not_specified: 'seller',
});

/**
 * The core order status for a Mercado Livre order, refined by its shipment's status when known.
 * A status not in {@link MELI_ORDER_STATUS} is `unknown`.
 */
export function meliOrderStatus(
  order: Pick<MeliOrder, 'status' | 'tags'>,
  shipmentStatus?: ShipmentStatus,
): OrderStatus {
  const base = MELI_ORDER_STATUS[order.status] ?? 'unknown';
  if (base !== 'paid') return base;
  if (shipmentStatus === 'delivered' || order.tags.includes('delivered')) return 'delivered';
  if (shipmentStatus === 'shipped') return 'shipped';
  return 'paid';
}

/** The core payment status for a Mercado Livre order (see {@link MELI_ORDER_PAYMENT_STATUS}). */
export function meliPaymentStatus(order: Pick<MeliOrder, 'status' | 'payments'>): PaymentStatus {
  const base = MELI_ORDER_PAYMENT_STATUS[order.status] ?? 'unknown';
  if (
    base === 'failed' &&
    order.payments.some((p) => p.status === 'refunded' || p.status === 'charged_back')
  ) {
    return 'refunded';
  }
  return base;
}

/** The core shipment status of a Mercado Livre status and substatus; `unknown` for a status not listed. */
export function meliShipmentStatus(status: string, substatus?: string | null): ShipmentStatus {
  return MELI_SHIPMENT_SUBSTATUS[`${status}/${substatus ?? ''}`] ?? MELI_SHIPMENT_STATUS[status] ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/**
 * Exact money from a Mercado Livre amount (a JSON number), in the currency's scale: `29.9` BRL is
 * `"29.90"`, `15000` CLP is `"15000"`. No float arithmetic, ever.
 */
export function meliMoney(amount: MeliAmount, currency: string): Money {
  return moneyInCurrencyScale(toDecimalString(amount), currency);
}

/** `value` written in its currency's scale (sums of scaled amounts keep it; an empty sum does not). */
function scaled(value: Money): Money {
  return moneyInCurrencyScale(value.amount, value.currency);
}

/**
 * Mercado Livre masks what the seller may not see yet (a buyer's phone is `XXXXXXX`): a masked
 * value is absent, not data.
 */
export function unmasked(value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || /^[X*]{3,}$/i.test(trimmed.replace(/[\s().-]/g, ''))) return undefined;
  return trimmed;
}

/**
 * A Mercado Livre date as the core's ISO 8601 timestamp. Pack dates come without the colon in
 * the offset (`-0400`); that is normalized. Unreadable dates give `undefined`.
 */
export function meliTimestamp(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (Timestamp.safeParse(normalized).success) return normalized;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The value of attribute `id` in a list of attributes (`SELLER_SKU`, `GTIN`, ...). */
export function attributeValue(attributes: readonly MeliAttribute[], id: string): string | undefined {
  const found = attributes.find((attribute) => attribute.id === id);
  const value = found?.value_name?.trim();
  return value ? value : undefined;
}

/** A decimal amount as the JSON number Mercado Livre wants, refusing any amount a number cannot hold exactly. */
export function decimalToNumber(amount: string, path: string): number {
  const value = Number(amount);
  if (!Number.isFinite(value) || compareDecimal(toDecimalString(value), amount) !== 0) {
    throw new ValidationError('Invalid price for Mercado Livre', [
      { path, message: `${amount} cannot be sent as an exact JSON number` },
    ]);
  }
  return value;
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value);
}

function pictureUrl(picture: MeliPicture): string | undefined {
  const url = picture.secure_url ?? picture.url ?? picture.source ?? undefined;
  return url && isHttpUrl(url) ? url : undefined;
}

// ---------------------------------------------------------------------------------------------
// Items → Product

/** Options of {@link mapMeliItem}. */
export interface MapItemOptions {
  /** The item's plain-text description (fetched separately; items carry none since 2021). */
  description?: string | undefined;
  /** Set when the item came from a 206 response. */
  partial?: MeliPartialContent | undefined;
}

const SELLER_SKU = 'SELLER_SKU';
const GTIN = 'GTIN';

function combinationAttributes(combinations: readonly MeliAttribute[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const combination of combinations) {
    const key = combination.id ?? combination.name;
    if (key && combination.value_name) attributes[key] = combination.value_name;
  }
  return attributes;
}

/** True for items published in the User Products model (`family_name` / `user_product_listing`). */
export function isUserProductItem(item: Pick<MeliItem, 'family_name' | 'tags'>): boolean {
  return Boolean(item.family_name) || item.tags.includes('user_product_listing');
}

/**
 * Maps a Mercado Livre item to a core `Product`. A classic listing's variations become
 * variants (`externalId` = variation id); a listing without variations has one variant; a User
 * Products item is one variant whose `externalId` is the item id. A variant's SKU is its
 * `SELLER_SKU` attribute, else its `seller_custom_field`; without either it has none (the SDK
 * never makes one up), and a SKU two variations repeat stays on the first. The product's own
 * `sku` (required by the model) is the item's `SELLER_SKU`, else `seller_custom_field`, else the
 * item id.
 *
 * @example
 * const product = mapMeliItem(item, { description: 'Caneca de cerâmica' });
 */
export function mapMeliItem(item: MeliItem, options: MapItemOptions = {}): Product {
  const currency = item.currency_id;
  // Classic variations without their own price share the item's.
  const itemPrice = item.price ?? item.variations.find((variation) => variation.price != null)?.price;
  if (!currency || itemPrice == null) {
    // A made-up currency or a price of 0 would look like data; refusing says what is missing.
    throw new ValidationError(
      `Mercado Livre item ${item.id} cannot be read as a product`,
      [
        ...(currency ? [] : [{ path: 'currency_id', message: 'absent: the price has no currency' }]),
        ...(itemPrice == null
          ? [{ path: 'price', message: 'absent on the item and on every variation' }]
          : []),
      ],
      { marketplace: 'meli' },
    );
  }
  const images = item.pictures.map(pictureUrl).filter((url): url is string => url !== undefined);
  const pictureById = new Map(
    item.pictures.flatMap((picture) => {
      const url = pictureUrl(picture);
      return picture.id && url ? [[picture.id, url] as const] : [];
    }),
  );
  const ownItemSku = attributeValue(item.attributes, SELLER_SKU) ?? item.seller_custom_field ?? undefined;
  const seen = new Set<string>();
  // The model refuses a SKU twice in one product: a repeated one stays on its first variation.
  const firstUse = (sku: string | undefined): string | undefined => {
    if (sku === undefined || seen.has(sku)) return undefined;
    seen.add(sku);
    return sku;
  };

  const variants: ProductVariant[] =
    item.variations.length > 0
      ? item.variations.map((variation) => {
          const variationImages = variation.picture_ids
            .map((id) => pictureById.get(id) ?? (isHttpUrl(id) ? id : undefined))
            .filter((url): url is string => url !== undefined);
          return withoutUndefined({
            sku: firstUse(variationSku(variation)),
            externalId: String(variation.id),
            price: meliMoney(variation.price ?? itemPrice, currency),
            quantity: Math.max(0, variation.available_quantity ?? 0),
            attributes: combinationAttributes(variation.attribute_combinations),
            images: variationImages.length > 0 ? variationImages : undefined,
            barcode: attributeValue(variation.attributes, GTIN),
          });
        })
      : [
          withoutUndefined({
            sku: firstUse(ownItemSku),
            externalId: isUserProductItem(item) ? item.id : undefined,
            price: meliMoney(itemPrice, currency),
            quantity: Math.max(0, item.available_quantity ?? 0),
            attributes: {},
            barcode: attributeValue(item.attributes, GTIN),
          }),
        ];

  const attributes: Record<string, string> = {};
  for (const attribute of item.attributes) {
    if (attribute.id && attribute.id !== SELLER_SKU && attribute.value_name) {
      attributes[attribute.id] = attribute.value_name;
    }
  }

  return parseOrThrow(
    Product,
    withoutUndefined({
      externalId: item.id,
      marketplace: 'meli',
      accountId: item.seller_id == null ? undefined : String(item.seller_id),
      title: item.title ?? item.family_name ?? item.id,
      description: options.description ?? '',
      price: lowestPrice(variants),
      quantity: variants.reduce((sum, variant) => sum + variant.quantity, 0),
      sku: ownItemSku ?? item.id,
      images,
      attributes,
      status: MELI_ITEM_STATUS[item.status] ?? 'unknown',
      categoryId: item.category_id ?? undefined,
      variants,
      rawStatus: item.status,
      createdAt: meliTimestamp(item.date_created),
      updatedAt: meliTimestamp(item.last_updated),
      partial: options.partial,
      raw: item,
    }),
    'item from Mercado Livre',
    { marketplace: 'meli', owned: true },
  );
}

// ---------------------------------------------------------------------------------------------
// Product → item payloads

/** Fields every new listing needs that the core model does not carry. */
export interface MeliListingDefaults {
  /** `gold_special` (classic), `gold_pro` (premium), `free`, ... Default `gold_special`. */
  listingTypeId: string;
  /** `new`, `used` or `not_specified`. Default `new`. */
  condition: string;
  /** `buy_it_now` for goods. Default `buy_it_now`. */
  buyingMode: string;
}

/** Defaults used when neither the client nor `marketplaceFields` say otherwise. */
export const DEFAULT_MELI_LISTING: Readonly<MeliListingDefaults> = Object.freeze({
  listingTypeId: 'gold_special',
  condition: 'new',
  buyingMode: 'buy_it_now',
});

/** A Mercado Livre attribute id looks like `COLOR` or `SELLER_SKU`; anything else is sent as a name. */
const ATTRIBUTE_ID = /^[A-Z][A-Z0-9_]*$/;

function attributeEntry(key: string, value: string): Record<string, string> {
  return ATTRIBUTE_ID.test(key) ? { id: key, value_name: value } : { name: key, value_name: value };
}

function productAttributes(
  product: Product,
  extra: Record<string, string | undefined>,
): Record<string, string>[] {
  const merged = new Map<string, string>();
  for (const [key, value] of Object.entries(product.attributes)) merged.set(key, value);
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) merged.set(key, value);
  }
  return [...merged].map(([key, value]) => attributeEntry(key, value));
}

function allImages(product: Product): string[] {
  return [...new Set([...product.images, ...product.variants.flatMap((variant) => variant.images ?? [])])];
}

/** True when a classic listing needs a `variations` array: several variants, or one with attributes. */
function needsVariations(product: Product): boolean {
  return product.variants.length > 1 || Object.keys(product.variants[0]?.attributes ?? {}).length > 0;
}

/**
 * The `POST /items` body of a classic listing: `title`, and `variations[]` when the product has
 * several variants (each with its `attribute_combinations`, stock and `SELLER_SKU`).
 * `marketplaceFields` (e.g. `shipping`, `sale_terms`, `listing_type_id`) are merged last.
 */
export function productToClassicItem(
  product: Product,
  defaults: MeliListingDefaults = DEFAULT_MELI_LISTING,
  marketplaceFields: Record<string, unknown> = {},
): Record<string, unknown> {
  const single = product.variants.length === 1 ? product.variants[0] : undefined;
  const withVariations = needsVariations(product);
  const body: Record<string, unknown> = {
    title: product.title,
    category_id: product.categoryId,
    price: decimalToNumber(product.price.amount, 'price.amount'),
    currency_id: product.price.currency,
    available_quantity: product.quantity,
    buying_mode: defaults.buyingMode,
    listing_type_id: defaults.listingTypeId,
    condition: defaults.condition,
    pictures: allImages(product).map((source) => ({ source })),
    attributes: productAttributes(product, {
      [SELLER_SKU]: withVariations ? product.sku : (single?.sku ?? product.sku),
      [GTIN]: withVariations ? undefined : single?.barcode,
    }),
  };
  if (withVariations) {
    body.variations = product.variants.map((variant, index) => ({
      attribute_combinations: Object.entries(variant.attributes).map(([key, value]) =>
        attributeEntry(key, value),
      ),
      price: decimalToNumber(variant.price.amount, `variants.${index}.price.amount`),
      available_quantity: variant.quantity,
      picture_ids: variant.images ?? [],
      attributes: [
        ...(variant.sku ? [{ id: SELLER_SKU, value_name: variant.sku }] : []),
        ...(variant.barcode ? [{ id: GTIN, value_name: variant.barcode }] : []),
      ],
    }));
  }
  return withoutUndefined({ ...body, ...marketplaceFields });
}

/**
 * The `POST /items` bodies of a User Products listing: one item per variant, each with
 * `family_name` (the product title) and no `title` or `variations`, the variant's attributes,
 * price and stock. `marketplaceFields` are merged into each.
 */
export function productToUserProductItems(
  product: Product,
  defaults: MeliListingDefaults = DEFAULT_MELI_LISTING,
  marketplaceFields: Record<string, unknown> = {},
): Record<string, unknown>[] {
  return product.variants.map((variant, index) => {
    const images = variant.images && variant.images.length > 0 ? variant.images : product.images;
    return withoutUndefined({
      family_name: product.title,
      category_id: product.categoryId,
      price: decimalToNumber(variant.price.amount, `variants.${index}.price.amount`),
      currency_id: variant.price.currency,
      available_quantity: variant.quantity,
      buying_mode: defaults.buyingMode,
      listing_type_id: defaults.listingTypeId,
      condition: defaults.condition,
      pictures: images.map((source) => ({ source })),
      attributes: productAttributes(product, {
        ...variant.attributes,
        [SELLER_SKU]: variant.sku,
        [GTIN]: variant.barcode,
      }),
      ...marketplaceFields,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Local validation

/** Limits {@link validateMeliProduct} checks against; category settings can be stricter. */
export interface MeliProductRules {
  /** The listing model; when unknown only the rules shared by both models are checked. */
  model?: MeliListingModel | undefined;
  /** The seller's site, to check the currency (e.g. `MLB` → `BRL`). */
  siteId?: string | undefined;
  /** Site → currency table used with `siteId`. */
  currencies?: Readonly<Record<string, string>>;
  /** Default 60 (the usual `settings.max_title_length`). */
  maxTitleLength?: number;
  /** Default 12 (the usual `settings.max_pictures_per_item`). */
  maxPictures?: number;
  /** Default 100 (250 in fashion, phone accessories and auto parts). */
  maxVariations?: number;
}

/** Decimals a price may carry: the currency's own (2 for BRL, 0 for CLP). */
/**
 * Why a price cannot be sent: not above zero, more decimals than its currency has (refused, never
 * rounded: a rounded price is one the seller never set), or not exact as a JSON number.
 */
export function meliPriceIssues(price: Money, path: string): FieldIssue[] {
  const { amount, currency } = price;
  const issues: FieldIssue[] = [];
  if (compareDecimal(amount, '0') <= 0) issues.push({ path, message: 'must be greater than zero' });
  const scale = currencyScale(currency);
  if (significantDecimals(amount) > scale) {
    issues.push({
      path,
      message: `${amount} ${currency} has more than ${scale} decimal${scale === 1 ? '' : 's'} (${currency}'s precision): it is refused, not rounded`,
    });
  }
  const asNumber = Number(amount);
  if (!Number.isFinite(asNumber) || compareDecimal(toDecimalString(asNumber), amount) !== 0) {
    issues.push({ path, message: 'cannot be sent as an exact JSON number' });
  }
  return issues;
}

/**
 * Checks a product against Mercado Livre's publishing rules without sending anything: category
 * required, currency of the site, title length, pictures, price precision, and for classic
 * listings one price for all variations and one consistent attribute set per variation.
 */
export function validateMeliProduct(product: Product, rules: MeliProductRules = {}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const maxTitle = rules.maxTitleLength ?? 60;
  const maxPictures = rules.maxPictures ?? 12;
  const maxVariations = rules.maxVariations ?? 100;

  if (!product.categoryId) {
    issues.push({ path: 'categoryId', message: 'Mercado Livre needs a category id (e.g. MLB1234)' });
  }
  const siteCurrency = rules.siteId ? rules.currencies?.[rules.siteId] : undefined;
  if (siteCurrency && product.price.currency !== siteCurrency) {
    issues.push({
      path: 'price.currency',
      message: `site ${rules.siteId} sells in ${siteCurrency}, not ${product.price.currency}`,
    });
  }
  if (rules.model !== 'user_products' && product.title.length > maxTitle) {
    issues.push({ path: 'title', message: `at most ${maxTitle} characters (category setting)` });
  }
  const images = allImages(product);
  if (images.length === 0) issues.push({ path: 'images', message: 'at least one picture is needed' });
  if (images.length > maxPictures)
    issues.push({ path: 'images', message: `at most ${maxPictures} pictures` });

  issues.push(...meliPriceIssues(product.price, 'price.amount'));
  product.variants.forEach((variant, index) => {
    issues.push(...meliPriceIssues(variant.price, `variants.${index}.price.amount`));
  });

  if (product.variants.length > 1) {
    const keySets = product.variants.map((variant) => Object.keys(variant.attributes).sort().join('|'));
    const combinations = new Set<string>();
    product.variants.forEach((variant, index) => {
      if (Object.keys(variant.attributes).length === 0) {
        issues.push({
          path: `variants.${index}.attributes`,
          message: 'each variant needs the attributes that tell it apart (e.g. COLOR, SIZE)',
        });
        return;
      }
      const combination = JSON.stringify(Object.entries(variant.attributes).sort());
      if (combinations.has(combination)) {
        issues.push({ path: `variants.${index}.attributes`, message: 'same attributes as another variant' });
      }
      combinations.add(combination);
      if (rules.model === 'classic' && keySets[index] !== keySets[0]) {
        issues.push({
          path: `variants.${index}.attributes`,
          message: 'every variation of a classic listing must use the same attributes',
        });
      }
    });
  }

  if (rules.model === 'classic' && needsVariations(product)) {
    if (product.variants.length > maxVariations) {
      issues.push({ path: 'variants', message: `at most ${maxVariations} variations` });
    }
    const first = product.variants[0];
    product.variants.forEach((variant, index) => {
      if (first && compareDecimal(variant.price.amount, first.price.amount) !== 0) {
        issues.push({
          path: `variants.${index}.price.amount`,
          message: 'all variations of a classic listing share one price (User Products sellers may differ)',
        });
      }
    });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Orders

/** Options of {@link mapMeliOrder}. */
export interface MapOrderOptions {
  /** The seller account the order was read for. */
  accountId: string;
  /** The order's forward shipment, when fetched: gives address, tracking, shipping cost and status. */
  shipment?: MeliShipment | undefined;
  partial?: MeliPartialContent | undefined;
}

/** The shipping cost as reported, or `undefined` when neither the shipment nor an approved payment gives one. */
function shippingCostOf(order: MeliOrder, shipment: MeliShipment | undefined): Money | undefined {
  const currency = order.currency_id;
  const leadTime = shipment?.lead_time;
  if (leadTime?.cost != null && (leadTime.currency_id ?? currency) === currency) {
    return meliMoney(leadTime.cost, currency);
  }
  const approved = order.payments.filter(
    (payment) => payment.status === 'approved' && payment.shipping_cost != null,
  );
  if (approved.length === 0) return undefined;
  return scaled(
    sumMoney(
      approved.map((payment) => meliMoney(payment.shipping_cost ?? 0, currency)),
      currency,
    ),
  );
}

function buyerName(buyer: MeliOrder['buyer']): string | undefined {
  const name = [buyer?.first_name, buyer?.last_name].filter(Boolean).join(' ').trim();
  return name || undefined;
}

/**
 * Maps a Mercado Livre order (plus its shipment, when fetched) to a core `Order`. Every
 * amount is converted from the JSON number to an exact decimal string; `subtotal` is
 * `total_amount` (items, without shipping), `tax` is `taxes.amount`, `shippingCost` is the
 * shipment's `lead_time.cost` (else the approved payments' `shipping_cost`), and `total` is
 * their exact sum. `tax` and `shippingCost` are absent when Mercado Livre did not report them
 * (a `null` `taxes.amount` is not a zero tax).
 */
export function mapMeliOrder(order: MeliOrder, options: MapOrderOptions): Order {
  const currency = order.currency_id;
  const { shipment } = options;
  const shipmentStatus = shipment ? meliShipmentStatus(shipment.status, shipment.substatus) : undefined;
  const subtotal = meliMoney(order.total_amount, currency);
  const tax = order.taxes?.amount == null ? undefined : meliMoney(order.taxes.amount, currency);
  const shippingCost = shippingCostOf(order, shipment);
  const status = meliOrderStatus(order, shipmentStatus);
  const approvedAt = order.payments
    .map((payment) => meliTimestamp(payment.date_approved))
    .find((date) => date !== undefined);

  const items = order.order_items.map((line) => {
    const unitPrice = meliMoney(line.unit_price, currency);
    return withoutUndefined({
      externalId: line.element_id == null ? undefined : String(line.element_id),
      productExternalId: line.item.id,
      variantExternalId: line.item.variation_id == null ? undefined : String(line.item.variation_id),
      sku: line.item.seller_sku ?? line.item.seller_custom_field ?? undefined,
      title: line.item.title ?? line.item.id,
      quantity: line.quantity,
      unitPrice,
      total: multiplyMoney(unitPrice, line.quantity),
    });
  });

  const createdAt = meliTimestamp(order.date_created);
  return parseOrThrow(
    Order,
    withoutUndefined({
      externalId: String(order.id),
      marketplace: 'meli',
      accountId: options.accountId,
      sellerId: order.seller?.id == null ? undefined : String(order.seller.id),
      buyer: withoutUndefined({
        id: order.buyer?.id == null ? undefined : String(order.buyer.id),
        nickname: order.buyer?.nickname ?? undefined,
        name: buyerName(order.buyer),
        email: order.buyer?.email ?? undefined,
      }),
      items,
      currency,
      subtotal,
      shippingCost,
      tax,
      total: [tax, shippingCost].reduce<Money>((sum, part) => (part ? addMoney(sum, part) : sum), subtotal),
      status,
      rawStatus: order.status,
      paymentStatus: meliPaymentStatus(order),
      shippingAddress: shipment ? mapMeliAddress(shipment) : undefined,
      trackingNumber: shipment?.tracking_number ?? undefined,
      // Array.of, not an array literal: V8 had moved this literal's arrays to the old generation
      // (see `plainConstructor` in @mlh/core), which cost the whole mapping about a sixth.
      shipmentIds: order.shipping?.id == null ? Array.of<string>() : Array.of(String(order.shipping.id)),
      packId: order.pack_id == null ? undefined : String(order.pack_id),
      createdAt,
      updatedAt: meliTimestamp(order.last_updated) ?? createdAt,
      paidAt:
        MELI_ORDER_STATUS[order.status] === 'paid'
          ? (approvedAt ?? meliTimestamp(order.date_closed))
          : undefined,
      shippedAt: meliTimestamp(shipment?.status_history?.date_shipped),
      deliveredAt: meliTimestamp(shipment?.status_history?.date_delivered),
      cancelledAt: status === 'cancelled' ? meliTimestamp(order.cancel_detail?.date) : undefined,
      fiscal: shipment ? meliOrderFiscal(shipment) : undefined,
      partial: options.partial,
      raw: order,
    }),
    'order from Mercado Livre',
    { marketplace: 'meli', owned: true },
  );
}

// ---------------------------------------------------------------------------------------------
// Shipments

function nameOf(value: { name?: string | null | undefined } | null | undefined): string | undefined {
  return value?.name ?? undefined;
}

function addressOf(
  address: MeliShippingAddress,
  receiver: { name?: string | null | undefined; phone?: string | null | undefined },
): Address {
  const street = [address.street_name, address.street_number].filter((part) => part != null && part !== '');
  const country = address.country?.id == null ? undefined : String(address.country.id);
  return withoutUndefined({
    name: unmasked(receiver.name),
    phone: unmasked(receiver.phone),
    line1: unmasked(address.address_line) ?? (street.length > 0 ? street.join(' ') : undefined),
    number: address.street_number == null ? undefined : String(address.street_number),
    neighborhood: nameOf(address.neighborhood),
    city: nameOf(address.city),
    state: nameOf(address.state),
    postalCode: address.zip_code ?? undefined,
    country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
    line2: unmasked(address.comment),
  });
}

/** The buyer's address of a shipment (obfuscated by Mercado Livre until payment is confirmed). */
export function mapMeliAddress(shipment: MeliShipment): Address | undefined {
  const destination = shipment.destination;
  if (!destination?.shipping_address) return undefined;
  return addressOf(destination.shipping_address, {
    name: destination.receiver_name,
    phone: destination.receiver_phone,
  });
}

/** Options of {@link mapMeliShipment}. */
export interface MapShipmentOptions {
  accountId?: string | undefined;
  /** The orders this shipment carries: the shipment JSON has no `order_id` any more. */
  orderIds?: readonly string[] | undefined;
  /** `/shipments/{id}/carrier`, when fetched: carrier name and tracking URL. */
  carrier?: MeliCarrier | undefined;
}

/** Maps a new-format Mercado Livre shipment to a core `Shipment`, keeping status and substatus raw. */
export function mapMeliShipment(shipment: MeliShipment, options: MapShipmentOptions = {}): Shipment {
  const mode = shipment.logistic?.mode ?? undefined;
  const leadTime = shipment.lead_time;
  const costCurrency = leadTime?.currency_id ?? undefined;
  return parseOrThrow(
    Shipment,
    withoutUndefined({
      externalId: String(shipment.id),
      marketplace: 'meli',
      accountId: options.accountId,
      orderIds: [...(options.orderIds ?? [])],
      status: meliShipmentStatus(shipment.status, shipment.substatus),
      rawStatus: shipment.status,
      rawSubstatus: shipment.substatus ?? undefined,
      carrier: options.carrier?.name ?? shipment.tracking_method ?? undefined,
      trackingNumber: shipment.tracking_number ?? undefined,
      trackingUrl: options.carrier?.url ?? undefined,
      mode: (mode && MELI_SHIPMENT_MODE[mode]) ?? 'unknown',
      address: mapMeliAddress(shipment),
      cost: leadTime?.cost != null && costCurrency ? meliMoney(leadTime.cost, costCurrency) : undefined,
      createdAt: meliTimestamp(shipment.date_created),
      updatedAt: meliTimestamp(shipment.last_updated),
      shippedAt: meliTimestamp(shipment.status_history?.date_shipped),
      deliveredAt: meliTimestamp(shipment.status_history?.date_delivered),
      raw: shipment,
    }),
    'shipment from Mercado Livre',
    { marketplace: 'meli', owned: true },
  );
}

// ---------------------------------------------------------------------------------------------
// Product → item updates

function findPicture(current: MeliItem, url: string): MeliPicture | undefined {
  return current.pictures.find(
    (picture) => picture.secure_url === url || picture.url === url || picture.id === url,
  );
}

/** Pictures as `PUT` wants them: the full list (left-out pictures are removed), existing ones by id. */
function pictureRefs(current: MeliItem, urls: readonly string[]): Array<{ id: string } | { source: string }> {
  return urls.map((url) => {
    const id = findPicture(current, url)?.id;
    return id ? { id } : { source: url };
  });
}

function variationSku(variation: MeliItem['variations'][number]): string | undefined {
  return attributeValue(variation.attributes, SELLER_SKU) ?? variation.seller_custom_field ?? undefined;
}

/** The variation of `item` a variant (or stock/price update) points at: by variation id, then by SKU. */
export function findVariation(
  item: Pick<MeliItem, 'variations'>,
  target: { variantExternalId?: string | undefined; sku?: string | undefined },
): MeliItem['variations'][number] | undefined {
  if (target.variantExternalId !== undefined) {
    return item.variations.find((variation) => String(variation.id) === target.variantExternalId);
  }
  if (target.sku !== undefined)
    return item.variations.find((variation) => variationSku(variation) === target.sku);
  return undefined;
}

/** What {@link productToClassicUpdate} will send. */
export interface ClassicUpdatePlan {
  body: Record<string, unknown>;
  /** True when variants without a match become new variations (the PUT is then not safe to repeat). */
  addsVariations: boolean;
  /** Variations of the listing that no variant matches: the PUT deletes them. */
  removedVariationIds: string[];
}

/**
 * The `PUT /items/{id}` body that makes a classic listing match `product` (its content: title when
 * changed, pictures, attributes, prices). Variants are matched to variations by `externalId`,
 * then SKU; unmatched variants become new variations, and variations no variant matches are
 * left out — which deletes them. Stock of existing variations is not touched (see `updateInventory`).
 */
export function productToClassicUpdate(current: MeliItem, product: Product): ClassicUpdatePlan {
  const withVariations = current.variations.length > 0 || needsVariations(product);
  const single = product.variants.length === 1 ? product.variants[0] : undefined;
  const body: Record<string, unknown> = {
    pictures: pictureRefs(current, allImages(product)),
    attributes: productAttributes(product, {
      [SELLER_SKU]: withVariations ? product.sku : (single?.sku ?? product.sku),
      [GTIN]: withVariations ? undefined : single?.barcode,
    }),
  };
  if (product.title !== current.title) body.title = product.title;
  if (!withVariations) {
    body.price = decimalToNumber(product.price.amount, 'price.amount');
    return { body, addsVariations: false, removedVariationIds: [] };
  }
  const matched = new Set<string>();
  let addsVariations = false;
  body.variations = product.variants.map((variant, index) => {
    const variation =
      findVariation(current, { variantExternalId: variant.externalId }) ??
      findVariation(current, { sku: variant.sku });
    const price = decimalToNumber(variant.price.amount, `variants.${index}.price.amount`);
    const pictureIds = (variant.images ?? []).map((url) => findPicture(current, url)?.id ?? url);
    const attributes = [
      ...(variant.sku ? [{ id: SELLER_SKU, value_name: variant.sku }] : []),
      ...(variant.barcode ? [{ id: GTIN, value_name: variant.barcode }] : []),
    ];
    if (variation) {
      matched.add(String(variation.id));
      return withoutUndefined({
        id: variation.id,
        price,
        picture_ids: pictureIds.length > 0 ? pictureIds : undefined,
        attributes,
      });
    }
    addsVariations = true;
    return {
      attribute_combinations: Object.entries(variant.attributes).map(([key, value]) =>
        attributeEntry(key, value),
      ),
      price,
      available_quantity: variant.quantity,
      picture_ids: pictureIds,
      attributes,
    };
  });
  const removedVariationIds = current.variations
    .map((variation) => String(variation.id))
    .filter((id) => !matched.has(id));
  return { body, addsVariations, removedVariationIds };
}

/**
 * The `PUT /items/{id}` body of one User Products item from its variant: price, pictures and
 * attributes; `family_name` only when the product title changed it (it propagates to the family).
 */
export function productToUserProductUpdate(
  current: MeliItem,
  product: Product,
  variantIndex: number,
): Record<string, unknown> {
  const variant = product.variants[variantIndex];
  if (!variant) throw new RangeError(`variant ${variantIndex} does not exist`);
  const images = variant.images && variant.images.length > 0 ? variant.images : product.images;
  return withoutUndefined({
    family_name: current.family_name && current.family_name !== product.title ? product.title : undefined,
    price: decimalToNumber(variant.price.amount, `variants.${variantIndex}.price.amount`),
    pictures: pictureRefs(current, images),
    attributes: productAttributes(product, {
      ...variant.attributes,
      [SELLER_SKU]: variant.sku,
      [GTIN]: variant.barcode,
    }),
  });
}

/**
 * One core product from the items of a User Products family (one item per variant): the
 * variants are the items (`externalId` = item id), the product's `externalId` the first item's.
 */
export function combineUserProductItems(
  items: readonly MeliItem[],
  options: { title?: string | undefined; description?: string | undefined } = {},
): Product {
  const mapped = items.map((item) => mapMeliItem(item, { description: options.description }));
  const [first] = mapped;
  if (!first) throw new RangeError('combineUserProductItems needs at least one item');
  const variants = mapped.flatMap((product, index) =>
    product.variants.map((variant) => ({
      ...variant,
      externalId: items[index]?.id ?? variant.externalId,
      attributes: Object.keys(variant.attributes).length > 0 ? variant.attributes : product.attributes,
    })),
  );
  return parseOrThrow(
    Product,
    {
      ...first,
      title: options.title ?? items[0]?.family_name ?? first.title,
      variants,
      price: lowestPrice(variants),
      quantity: variants.reduce((sum, variant) => sum + variant.quantity, 0),
      raw: items,
    },
    'User Products family from Mercado Livre',
    { marketplace: 'meli', owned: true },
  );
}

// ---------------------------------------------------------------------------------------------
// Post-sale messages

/**
 * Mercado Livre's AI agent per site, which stands between buyer and seller on some sales since
 * 02/2026 (MLB and MLC first; the documented table lists more sites). Configuration, not a
 * rule: the recipient of a message is always read from the conversation.
 */
export const MELI_MESSAGING_AGENT_IDS: Readonly<Record<string, string>> = Object.freeze({
  MLC: '3020819166',
  MCO: '3037204123',
  MLM: '3037204279',
  MLA: '3037674934',
  MLB: '3037675074',
  MLU: '3037204685',
});

/** Blocked substatuses after which only a message from the buyer reopens the conversation. */
const BUYER_MUST_WRITE = new Set([
  'blocked_by_time',
  'blocked_by_refund',
  'blocked_by_conversation_initiated_by_seller_limited',
]);
/** Substatuses that name what to use instead of the action guide, not a block of `/messages`. */
const NOT_BLOCKING = new Set(['blocked_by_conversation_use_message_api']);

/** Who wrote a message, from the seller's side: the seller, Mercado Livre's agent, or the buyer. */
export function meliMessageAuthor(
  message: Pick<MeliMessage, 'from'>,
  sellerId: string,
  agentIds: readonly string[] = Object.values(MELI_MESSAGING_AGENT_IDS),
): MessageAuthor {
  const from = message.from?.user_id == null ? undefined : String(message.from.user_id);
  if (from === sellerId) return 'seller';
  if (from !== undefined && agentIds.includes(from)) return 'marketplace';
  return 'buyer';
}

function moderationOf(message: MeliMessage): string | undefined {
  const status = message.status?.toLowerCase();
  const moderation = message.message_moderation?.status?.toLowerCase();
  if (status === 'moderated' || status === 'rejected' || moderation === 'rejected') return 'moderated';
  if (status === 'in_moderation' || moderation === 'pending') return 'pending';
  return moderation ?? undefined;
}

/** A Mercado Livre message as a core `Message`. */
export function mapMeliMessage(
  message: MeliMessage,
  options: { sellerId: string; conversationId: string; agentIds?: readonly string[] | undefined },
): Message {
  const id = message.id ?? message.message_id;
  const text = typeof message.text === 'string' ? message.text : (message.text?.plain ?? '');
  const files = message.message_attachments.length > 0 ? message.message_attachments : message.attachments;
  const attachments: MessageAttachment[] = files.flatMap((file) => {
    const key = file.filename ?? file.original_filename;
    return key
      ? [
          withoutUndefined({
            id: key,
            fileName: file.original_filename ?? undefined,
            contentType: file.type ?? undefined,
            size: file.size ?? undefined,
          }),
        ]
      : [];
  });
  const created = message.message_date?.created ?? message.date_created;
  const read = message.message_date?.read ?? message.date_read;
  return withoutUndefined({
    id: id == null ? '' : String(id),
    conversationId: options.conversationId,
    from: meliMessageAuthor(message, options.sellerId, options.agentIds),
    text,
    attachments,
    createdAt: meliTimestamp(created) ?? '',
    readAt: meliTimestamp(read),
    moderation: moderationOf(message),
    raw: message,
  });
}

/**
 * What a conversation says about writing now: blocked or not (and why, as sent), the seller's
 * own maximum length, and whether anyone but the seller has written yet (the seller cannot start
 * a conversation through `/messages`; ME2 sales start through the action guide).
 */
export function meliConversationLimits(input: {
  status: MeliConversationStatus | undefined;
  sellerMaxMessageLength: number | undefined;
  buyerHasWritten: boolean;
}): ConversationLimits {
  const maxLength = input.sellerMaxMessageLength;
  const state = input.status?.status?.toLowerCase();
  const substatus = input.status?.substatus ?? undefined;
  const blocked = state === 'blocked' && !(substatus && NOT_BLOCKING.has(substatus));
  let reason: CannotSendReason | undefined;
  if (blocked) {
    reason =
      substatus === 'blocked_by_conversation_expired'
        ? 'expired'
        : substatus && BUYER_MUST_WRITE.has(substatus)
          ? 'buyer_must_write'
          : 'blocked';
  } else if (!input.buyerHasWritten) {
    reason = 'buyer_must_write';
  }
  return withoutUndefined({
    canSend: reason === undefined,
    reason,
    detail: blocked ? (substatus ?? 'blocked') : reason ? 'seller_cannot_start' : undefined,
    maxLength,
  });
}

/** A whole Mercado Livre conversation as a core `Conversation`. */
export function mapMeliConversation(
  conversation: {
    packId: string;
    status: MeliConversationStatus | undefined;
    sellerMaxMessageLength: number | undefined;
    messages: readonly MeliMessage[];
  },
  options: { sellerId: string; orderId: string; agentIds?: readonly string[] | undefined },
): Conversation {
  const messages = conversation.messages.map((message) =>
    mapMeliMessage(message, { ...options, conversationId: conversation.packId }),
  );
  return {
    marketplace: 'meli',
    id: conversation.packId,
    orderId: options.orderId,
    messages,
    limits: meliConversationLimits({
      status: conversation.status,
      sellerMaxMessageLength: conversation.sellerMaxMessageLength,
      buyerHasWritten: messages.some((message) => message.from !== 'seller'),
    }),
    raw: conversation.status ?? null,
  };
}

/** What {@link toMeliOrderProceeds} needs beside the order. */
export interface MeliProceedsContext {
  /** The seller's user id: their share of the shipment is `senders[]` with this `user_id`. */
  accountId: string;
  /** `/shipments/{id}/costs` of the order's shipment; absent when it has none. */
  shipmentCosts?: MeliShipmentCosts | undefined;
  /**
   * The order's pack when it has several orders: they share one shipment, whose cost is counted
   * on the pack's first order only, so summing the pack's proceeds counts it once.
   */
  pack?: MeliPack | undefined;
}

function negative(value: Money): Money {
  return subtractMoney(money('0', value.currency), value);
}

/**
 * An order as a core `OrderProceeds`, by Mercado Livre's own formula: the items at their
 * price (`unit_price × quantity`) less each item's sale fee (`sale_fee` is per unit) less the
 * seller's share of the shipment (`senders[].cost`). Mercado Livre reports no net per order, so
 * `reportedNet` is absent; what it does report is checked: the sale fees against the approved
 * payments' `marketplace_fee` (the order's total fee) and the items against `total_amount`.
 * `confirmed` once a payment is approved (the fee is final then), `estimated` before.
 */
export function toMeliOrderProceeds(order: MeliOrder, context: MeliProceedsContext): OrderProceeds {
  const currency = order.currency_id;
  const amount = (value: MeliAmount) => money(toDecimalString(value), currency);
  const gross = sumMoney(
    order.order_items.map((item) => multiplyMoney(amount(item.unit_price), item.quantity)),
    currency,
  );
  const approved = (order.payments ?? [])
    .map((payment, index) => ({ payment, index }))
    .filter(({ payment }) => payment.status === 'approved');
  const lines: ProceedsLine[] = [];
  const everyItemHasFee = order.order_items.every(
    (item) => item.sale_fee !== null && item.sale_fee !== undefined,
  );
  if (everyItemHasFee) {
    order.order_items.forEach((item, index) => {
      const fee = multiplyMoney(amount(item.sale_fee as MeliAmount), item.quantity);
      lines.push({
        kind: 'commission',
        label: 'sale_fee',
        amount: negative(fee),
        rawKey: `order_items.${index}.sale_fee`,
      });
    });
  } else {
    for (const { payment, index } of approved) {
      if (payment.marketplace_fee === null || payment.marketplace_fee === undefined) continue;
      lines.push({
        kind: 'commission',
        label: 'marketplace_fee',
        amount: negative(amount(payment.marketplace_fee)),
        rawKey: `payments.${index}.marketplace_fee`,
      });
    }
  }
  const firstOfPack = context.pack?.orders?.[0]?.id;
  const sharedElsewhere =
    (context.pack?.orders ?? []).length > 1 &&
    firstOfPack !== undefined &&
    String(firstOfPack) !== String(order.id);
  const senders = context.shipmentCosts?.senders ?? [];
  const senderIndex = senders.findIndex((sender) => String(sender.user_id) === context.accountId);
  const sellerCost = senders[senderIndex]?.cost;
  if (!sharedElsewhere && sellerCost !== null && sellerCost !== undefined) {
    lines.push({
      kind: 'shipping',
      label: 'senders.cost',
      amount: negative(amount(sellerCost)),
      rawKey: `shipment_costs.senders.${senderIndex}.cost`,
    });
  }
  const kept = lines.filter((line) => compareDecimal(line.amount.amount, '0') !== 0);
  const reportedFees = approved
    .map(({ payment }) => payment.marketplace_fee)
    .filter((fee): fee is MeliAmount => fee !== null && fee !== undefined);
  const checks = [{ subject: 'total_amount', reported: amount(order.total_amount), computed: gross }];
  if (everyItemHasFee && reportedFees.length > 0) {
    checks.push({
      subject: 'marketplace_fee',
      reported: negative(sumMoney(reportedFees.map(amount), currency)),
      computed: sumProceedsLines(kept, currency, (line) => line.kind === 'commission'),
    });
  }
  const pending = (order.payments ?? []).some(
    (payment) => payment.status === 'pending' || payment.status === 'in_process',
  );
  return reconcileProceeds({
    marketplace: 'meli',
    accountId: context.accountId,
    orderExternalId: String(order.id),
    currency,
    gross,
    lines: kept,
    checks,
    status: approved.length > 0 && !pending ? 'confirmed' : 'estimated',
    rawStatus: order.status,
    raw: { order, shipmentCosts: context.shipmentCosts, pack: context.pack },
  });
}

/**
 * The invoice state a shipment shows: `ready_to_ship` / `invoice_pending` means the label waits
 * for the seller's NF-e (`required`). Other substatuses say nothing about an invoice: an imported
 * note is read with `getInvoice`.
 */
export function meliShipmentInvoiceState(
  shipment: Pick<MeliShipment, 'status' | 'substatus'>,
): OrderInvoice | undefined {
  return shipment.status === 'ready_to_ship' && shipment.substatus === 'invoice_pending'
    ? { status: 'required', rawStatus: 'invoice_pending' }
    : undefined;
}

function meliOrderFiscal(shipment: MeliShipment): { invoice: OrderInvoice } | undefined {
  const invoice = meliShipmentInvoiceState(shipment);
  return invoice ? { invoice } : undefined;
}

/** An imported NF-e (`GET /shipments/{id}/invoice_data`) as the order's invoice: `approved` is `accepted`. */
export function mapMeliShipmentInvoice(invoice: MeliShipmentInvoice): OrderInvoice {
  const status = (invoice.status ?? '').trim().toLowerCase();
  const issuedAt = meliTimestamp(invoice.invoice_date ?? undefined);
  return withoutUndefined({
    status:
      status === 'approved' || status === ''
        ? 'accepted'
        : /reject|error|cancel|invalid/.test(status)
          ? 'rejected'
          : 'submitted',
    rawStatus: invoice.status ?? undefined,
    accessKey: invoice.fiscal_key ?? undefined,
    number: invoice.invoice_number == null ? undefined : String(invoice.invoice_number),
    series: invoice.invoice_serie == null ? undefined : String(invoice.invoice_serie),
    issuedAt,
    total: invoice.invoice_amount == null ? undefined : meliMoney(invoice.invoice_amount, 'BRL'),
    externalId: invoice.id == null ? undefined : String(invoice.id),
  }) as OrderInvoice;
}
