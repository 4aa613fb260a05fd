import type { Message, MessageAuthor } from '@mlh/core';
import {
  type Address,
  addMoney,
  compareMoney,
  epochMsToIso,
  instantToEpochMs,
  lowestPrice,
  type Money,
  money,
  moneyInCurrencyScale,
  type Order,
  type OrderFiscal,
  type OrderInvoice,
  type OrderItem,
  type OrderProceeds,
  type OrderStatus,
  type PaymentStatus,
  type ProceedsLine,
  type ProceedsLineKind,
  type Product,
  type ProductStatus,
  type ProductVariant,
  reconcileProceeds,
  type Shipment,
  type ShipmentStatus,
  sumMoney,
  taxIdFrom,
  ValidationError,
  withoutUndefined,
} from '@mlh/core';
import type { TikTokOrderTransactions } from './api/finance';
import type {
  TikTokAddress,
  TikTokChatMessage,
  TikTokLineItem,
  TikTokOrder,
  TikTokOrderFiscalFields,
  TikTokPackage,
  TikTokProduct,
  TikTokSku,
} from './schemas';

/** The marketplace id of this adapter. */
export const TIKTOK = 'tiktok';

// ---------------------------------------------------------------- status tables

/**
 * TikTok order status → core order status. Webhooks say `CANCEL` where the API says `CANCELLED`;
 * both are here. `ON_HOLD` (paid, in the buyer's remorse window: do not ship yet) and
 * `AWAITING_COLLECTION` (shipment arranged, carrier not there yet) count as `paid`: nothing has
 * left the seller.
 */
export const TIKTOK_ORDER_STATUS_MAP: Readonly<Record<string, OrderStatus>> = Object.freeze({
  UNPAID: 'pending',
  ON_HOLD: 'paid',
  AWAITING_SHIPMENT: 'paid',
  PARTIALLY_SHIPPING: 'paid',
  AWAITING_COLLECTION: 'paid',
  IN_TRANSIT: 'shipped',
  DELIVERED: 'delivered',
  COMPLETED: 'delivered',
  CANCELLED: 'cancelled',
  CANCEL: 'cancelled',
});

/**
 * TikTok product status → core listing status. Only `ACTIVATE` is on sale; a product the seller
 * deactivated can be re-activated (`paused`); the other known statuses are not on sale
 * (`inactive`). A status missing from the payload, or one not listed here, is `unknown`.
 */
export const TIKTOK_PRODUCT_STATUS_MAP: Readonly<Record<string, ProductStatus>> = Object.freeze({
  ACTIVATE: 'active',
  SELLER_DEACTIVATED: 'paused',
  DRAFT: 'inactive',
  PENDING: 'inactive',
  FAILED: 'inactive',
  PLATFORM_DEACTIVATED: 'inactive',
  FREEZE: 'inactive',
  DELETED: 'inactive',
});

/** TikTok package status (package or line-item `package_status`) → core shipment status. */
export const TIKTOK_PACKAGE_STATUS_MAP: Readonly<Record<string, ShipmentStatus>> = Object.freeze({
  TO_FULFILL: 'pending',
  PROCESSING: 'ready_to_ship',
  FULFILLING: 'shipped',
  COMPLETED: 'delivered',
  CANCELLED: 'cancelled',
});

/** TikTok statuses searched for each core order status (the inverse of {@link TIKTOK_ORDER_STATUS_MAP}). */
export const TIKTOK_ORDER_STATUSES_BY_CORE: Readonly<Record<OrderStatus, readonly string[]>> = Object.freeze({
  pending: ['UNPAID'],
  paid: ['ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING', 'AWAITING_COLLECTION'],
  shipped: ['IN_TRANSIT'],
  delivered: ['DELIVERED', 'COMPLETED'],
  cancelled: ['CANCELLED'],
  unknown: [],
});

/** TikTok product search statuses for each core listing status. */
export const TIKTOK_PRODUCT_STATUSES_BY_CORE: Readonly<Record<ProductStatus, readonly string[]>> =
  Object.freeze({
    active: ['ACTIVATE'],
    paused: ['SELLER_DEACTIVATED'],
    inactive: ['DRAFT', 'PENDING', 'FAILED', 'PLATFORM_DEACTIVATED', 'FREEZE', 'DELETED'],
    unknown: [],
  });

/**
 * Maps a TikTok order status. A status not in {@link TIKTOK_ORDER_STATUS_MAP} is inferred only
 * from a milestone that proves it (a cancel time: cancelled; a delivery time: delivered; a carrier
 * collection time: shipped); otherwise it is `unknown`, with TikTok's word kept in `rawStatus`.
 * A payment time alone proves nothing about shipping, so it infers nothing.
 */
export function mapTikTokOrderStatus(
  status: string,
  milestones: Partial<Pick<TikTokOrder, 'cancel_time' | 'delivery_time' | 'collection_time'>> = {},
): OrderStatus {
  const known = TIKTOK_ORDER_STATUS_MAP[status.toUpperCase()];
  if (known) return known;
  if (milestones.cancel_time) return 'cancelled';
  if (milestones.delivery_time) return 'delivered';
  if (milestones.collection_time) return 'shipped';
  return 'unknown';
}

/**
 * The raw status of a product: product detail says `product_status` in some responses and
 * `status` in others, so both are read. `undefined` when the payload carries neither.
 */
export function tiktokProductRawStatus(raw: {
  status?: string | undefined;
  product_status?: string | undefined;
}): string | undefined {
  return present(raw.status) ?? present(raw.product_status);
}

/**
 * Maps a TikTok product status. A missing or unrecognised status is `unknown`, never `inactive`:
 * taking a live product for inactive would make a sync re-activate it, which sends it back to audit.
 */
export function mapTikTokProductStatus(status: string | undefined): ProductStatus {
  return (status && TIKTOK_PRODUCT_STATUS_MAP[status.toUpperCase()]) || 'unknown';
}

/** Maps a TikTok package status; a missing or unlisted status is `unknown`, never a guess. */
export function mapTikTokPackageStatus(status: string | undefined): ShipmentStatus {
  return (status && TIKTOK_PACKAGE_STATUS_MAP[status.toUpperCase()]) || 'unknown';
}

// ---------------------------------------------------------------- helpers

/** Unix seconds → ISO 8601. TikTok times are seconds except tracking events (`update_time_millis`). */
export function secondsToIso(seconds: number): string {
  return epochMsToIso(seconds * 1000);
}

/** Epoch milliseconds (or a Date / ISO string) → Unix seconds, rounded down. */
export function toUnixSeconds(instant: Date | string | number): number {
  const ms = instantToEpochMs(instant);
  if (ms === undefined) throw new TypeError(`Not a valid moment: ${String(instant)}`);
  return Math.floor(ms / 1000);
}

function optionalIso(seconds: number | undefined): string | undefined {
  return seconds ? secondsToIso(seconds) : undefined;
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** An amount TikTok sent, in its currency's scale (`"29.9"` BRL → `"29.90"`); absent counts as zero. */
function amount(value: string | undefined, currency: string): Money {
  return moneyInCurrencyScale(present(value) ?? '0', currency);
}

/** An amount TikTok reported, or `undefined` when it sent none: a missing fee is not a zero fee. */
function reported(value: string | undefined, currency: string): Money | undefined {
  const text = present(value);
  return text === undefined ? undefined : moneyInCurrencyScale(text, currency);
}

/** A total computed here (a sum of amounts), written in the currency's scale like the amounts TikTok sends. */
function scaled(value: Money): Money {
  return moneyInCurrencyScale(value.amount, value.currency);
}

function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

// ---------------------------------------------------------------- products

function skuQuantity(sku: TikTokSku): number {
  return (sku.inventory ?? []).reduce((sum, entry) => sum + Math.max(0, entry.quantity), 0);
}

function invalidProduct(raw: TikTokProduct, path: string, message: string): ValidationError {
  return new ValidationError(`TikTok product ${raw.id} cannot be read`, [{ path, message }], {
    marketplace: TIKTOK,
  });
}

/** The currency of a SKU price: its own, else the product's other SKUs', else the shop's configured one. */
function currencyOf(
  raw: TikTokProduct,
  sku: TikTokSku,
  index: number,
  shopCurrency: string | undefined,
): string {
  const currency =
    present(sku.price?.currency) ??
    raw.skus.map((s) => present(s.price?.currency)).find(Boolean) ??
    shopCurrency;
  if (!currency) {
    throw invalidProduct(
      raw,
      `skus.${index}.price.currency`,
      "TikTok sent no currency; give the client the shop's `currency` option",
    );
  }
  return currency;
}

function skuPrice(
  raw: TikTokProduct,
  sku: TikTokSku,
  index: number,
  shopCurrency: string | undefined,
): Money {
  const price = sku.price;
  const value = present(price?.sale_price) ?? present(price?.amount) ?? present(price?.tax_exclusive_price);
  if (value === undefined)
    throw invalidProduct(raw, `skus.${index}.price`, 'TikTok sent no price for this SKU');
  return moneyInCurrencyScale(value, currencyOf(raw, sku, index, shopCurrency));
}

function skuAttributes(sku: TikTokSku): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const attribute of sku.sales_attributes ?? []) {
    const name = attribute.name ?? attribute.id;
    if (name && attribute.value_name) attributes[name] = attribute.value_name;
  }
  return attributes;
}

function skuImages(sku: TikTokSku): string[] | undefined {
  const urls = (sku.sales_attributes ?? []).flatMap((a) => a.sku_img?.urls ?? []).filter(isUrl);
  return urls.length > 0 ? urls : undefined;
}

/**
 * Maps a TikTok product (search summary or detail) to a core `Product`. Variants are the
 * SKUs (stock summed over warehouses, price = `sale_price` in the currency's scale); the
 * product's own SKU is `external_product_id`, else the first SKU's `seller_sku`, else the product
 * id. The status is read from `status` or `product_status`; neither gives `unknown`.
 * `shopCurrency` is used only when TikTok omits every SKU's currency.
 * @throws ValidationError when the product has no SKU, a SKU has no price, or no currency is known:
 * nothing is made up in their place.
 */
export function toCoreProduct(raw: TikTokProduct, accountId: string, shopCurrency?: string): Product {
  if (raw.skus.length === 0)
    throw invalidProduct(raw, 'skus', 'TikTok sent no SKU, so the product has no price');
  const variants: ProductVariant[] = raw.skus.map((sku, index) =>
    withoutUndefined({
      sku: present(sku.seller_sku) ?? sku.id,
      externalId: sku.id,
      price: skuPrice(raw, sku, index, shopCurrency),
      quantity: skuQuantity(sku),
      attributes: skuAttributes(sku),
      images: skuImages(sku),
      barcode: present(sku.identifier_code?.code),
    }),
  );
  const [first] = variants as [ProductVariant, ...ProductVariant[]];
  const leaf = raw.category_chains?.find((c) => c.is_leaf) ?? raw.category_chains?.at(-1);
  const rawStatus = tiktokProductRawStatus(raw);
  return withoutUndefined({
    externalId: raw.id,
    marketplace: TIKTOK,
    accountId,
    title: raw.title || raw.id,
    description: raw.description ?? '',
    price: lowestPrice(variants),
    quantity: variants.reduce((sum, v) => sum + v.quantity, 0),
    sku: present(raw.external_product_id) ?? first.sku,
    images: (raw.main_images ?? []).map((image) => image.urls?.find(isUrl)).filter((u): u is string => !!u),
    attributes: {},
    status: mapTikTokProductStatus(rawStatus),
    rawStatus,
    categoryId: leaf?.id,
    variants,
    createdAt: optionalIso(raw.create_time),
    updatedAt: optionalIso(raw.update_time),
    raw,
  }) as Product;
}

// ---------------------------------------------------------------- addresses

/** `address_level_name` words (lower case) of each core address field; other levels (county) are not mapped. */
const DISTRICT_FIELDS = {
  state: ['state', 'province', 'region', 'prefecture'],
  city: ['city', 'town', 'municipality'],
  neighborhood: [
    'neighborhood',
    'neighbourhood',
    'district',
    'sub-district',
    'subdistrict',
    'ward',
    'barangay',
    'village',
  ],
} as const;

/**
 * The name of the `district_info` entry whose `address_level_name` is one of `names`; the deepest
 * level wins when several match. Levels are read by name, never by position: L2 is the county in
 * the US but the city in Brazil, where L3 is the district (bairro).
 */
function districtNamed(address: TikTokAddress, names: readonly string[]): string | undefined {
  const matches = (address.district_info ?? []).filter((entry) =>
    names.includes(entry.address_level_name?.trim().toLowerCase() ?? ''),
  );
  const deepest = matches.sort((a, b) => (b.address_level ?? '').localeCompare(a.address_level ?? ''))[0];
  return present(deepest?.address_name);
}

/** L1 is the first division below the country in every market: the state when no entry names its level. */
function unnamedState(address: TikTokAddress): string | undefined {
  const entry = address.district_info?.find((d) => d.address_level?.toUpperCase() === 'L1');
  return entry && !present(entry.address_level_name) ? present(entry.address_name) : undefined;
}

/**
 * Maps a TikTok address. `district_info` entries are matched by `address_level_name` (State,
 * City, District, ...), not by their level number; the UK `post_town` wins as the city.
 */
export function toCoreAddress(raw: TikTokAddress): Address {
  const name =
    present(raw.name) ?? (present([raw.first_name, raw.last_name].filter(Boolean).join(' ')) || undefined);
  const region = present(raw.region_code)?.toUpperCase();
  return withoutUndefined({
    name,
    phone: present(raw.phone_number),
    line1: present(raw.address_line1) ?? present(raw.address_detail),
    line2: present([raw.address_line2, raw.address_line3, raw.address_line4].filter(present).join(', ')),
    neighborhood: districtNamed(raw, DISTRICT_FIELDS.neighborhood),
    city: present(raw.post_town) ?? districtNamed(raw, DISTRICT_FIELDS.city),
    state: districtNamed(raw, DISTRICT_FIELDS.state) ?? unnamedState(raw),
    postalCode: present(raw.postal_code),
    country: region && /^[A-Z]{2}$/.test(region) ? region : undefined,
    full: present(raw.full_address),
  });
}

// ---------------------------------------------------------------- orders

/** A line item's price: `first`, else `second`; a line with neither is refused, never priced 0. */
function linePrice(
  line: TikTokLineItem,
  first: 'original_price' | 'sale_price',
  second: 'original_price' | 'sale_price',
): string {
  const value = present(line[first]) ?? present(line[second]);
  if (value === undefined) {
    throw new ValidationError(
      `TikTok line item ${line.id} cannot be read`,
      [{ path: 'line_items.sale_price', message: `TikTok sent no price for line item ${line.id}` }],
      { marketplace: TIKTOK },
    );
  }
  return value;
}

/**
 * Groups line items into core order items. TikTok has no quantity field: N units are N line items
 * with the same `sku_id`, so units of one SKU at one price become one item with `quantity` N and
 * their line ids in `lineItemIds`.
 */
export function groupLineItems(lineItems: readonly TikTokLineItem[], currency: string): OrderItem[] {
  const groups = new Map<string, TikTokLineItem[]>();
  for (const line of lineItems) {
    const key = [line.sku_id ?? line.product_id, line.original_price ?? '', line.sale_price ?? ''].join('|');
    const group = groups.get(key);
    if (group) group.push(line);
    else groups.set(key, [line]);
  }
  return [...groups.values()].map((lines) => {
    const [first] = lines as [TikTokLineItem, ...TikTokLineItem[]];
    const lineCurrency = present(first.currency) ?? currency;
    const unitPrice = moneyInCurrencyScale(linePrice(first, 'original_price', 'sale_price'), lineCurrency);
    const total = scaled(
      sumMoney(
        lines.map((line) =>
          moneyInCurrencyScale(linePrice(line, 'sale_price', 'original_price'), lineCurrency),
        ),
        lineCurrency,
      ),
    );
    // Field by field, in the model's key order: mappers build one per line of every order.
    const item: Record<string, unknown> = {
      externalId: first.id,
      lineItemIds: lines.map((line) => line.id),
      productExternalId: first.product_id,
    };
    if (first.sku_id !== undefined) item.variantExternalId = first.sku_id;
    const sku = present(first.seller_sku);
    if (sku !== undefined) item.sku = sku;
    item.title = [first.product_name, first.sku_name].filter(present).join(' - ') || first.product_id;
    item.quantity = lines.length;
    item.unitPrice = unitPrice;
    item.total = total;
    return item as OrderItem;
  });
}

/**
 * The payment status: a payment time proves the buyer paid (refunded once the order is cancelled);
 * without one, an order in a known status is not paid yet, and one in an unknown status is `unknown`.
 */
function paymentStatusOf(raw: TikTokOrder, status: OrderStatus): PaymentStatus {
  if (raw.paid_time) return status === 'cancelled' ? 'refunded' : 'paid';
  return status === 'unknown' ? 'unknown' : 'pending';
}

/**
 * Maps a TikTok order to a core `Order`. Amounts are TikTok's decimal strings, kept exact and
 * written in the currency's scale; times are Unix seconds; `shipmentIds` are the package ids.
 * `shopCurrency` is used only when TikTok sends no currency at all.
 * @throws ValidationError when no currency is known (none is made up).
 */
export function toCoreOrder(raw: TikTokOrder, accountId: string, shopCurrency?: string): Order {
  const currency =
    present(raw.payment?.currency) ??
    raw.line_items.map((l) => present(l.currency)).find(Boolean) ??
    shopCurrency;
  if (!currency) {
    throw new ValidationError(
      `TikTok order ${raw.id} cannot be read`,
      [
        {
          path: 'payment.currency',
          message: "TikTok sent no currency; give the client the shop's `currency` option",
        },
      ],
      { marketplace: TIKTOK },
    );
  }
  const status = mapTikTokOrderStatus(raw.status, raw);
  const payment = raw.payment ?? {};
  const discounts = [payment.seller_discount, payment.platform_discount]
    .map((value) => reported(value, currency))
    .filter((value): value is Money => value !== undefined);
  const packageIds = new Set<string>();
  for (const pkg of raw.packages ?? []) packageIds.add(pkg.id);
  for (const line of raw.line_items) if (line.package_id) packageIds.add(line.package_id);
  const items = groupLineItems(raw.line_items, currency);
  const subtotal = present(payment.sub_total)
    ? amount(payment.sub_total, currency)
    : scaled(
        sumMoney(
          items.map((item) => item.total),
          currency,
        ),
      );
  // Field by field, in the model's key order, leaving out what TikTok did not send: a literal
  // copied without its undefined fields cost a third of the mapping.
  const buyer: Order['buyer'] = {};
  if (raw.user_id !== undefined) buyer.id = raw.user_id;
  const nickname = present(raw.buyer_nickname);
  if (nickname !== undefined) buyer.nickname = nickname;
  const email = present(raw.buyer_email);
  if (email !== undefined) buyer.email = email;
  const order = {
    externalId: raw.id,
    marketplace: TIKTOK,
    accountId,
    buyer,
    items,
    currency,
    subtotal,
  } as Order;
  const shippingCost = reported(payment.shipping_fee, currency);
  if (shippingCost !== undefined) order.shippingCost = shippingCost;
  const tax = reported(payment.tax, currency);
  if (tax !== undefined) order.tax = tax;
  if (discounts.length > 0) order.discount = scaled(sumMoney(discounts, currency));
  order.total = present(payment.total_amount) ? amount(payment.total_amount, currency) : subtotal;
  order.status = status;
  order.rawStatus = raw.status;
  order.paymentStatus = paymentStatusOf(raw, status);
  if (raw.recipient_address) order.shippingAddress = toCoreAddress(raw.recipient_address);
  const trackingNumber =
    present(raw.tracking_number) ?? raw.line_items.map((l) => present(l.tracking_number)).find(Boolean);
  if (trackingNumber !== undefined) order.trackingNumber = trackingNumber;
  order.shipmentIds = [...packageIds];
  order.createdAt = secondsToIso(raw.create_time);
  order.updatedAt = secondsToIso(raw.update_time ?? raw.create_time);
  setIso(order, 'paidAt', raw.paid_time);
  setIso(order, 'shippedAt', raw.rts_time ?? raw.collection_time);
  setIso(order, 'deliveredAt', raw.delivery_time);
  setIso(order, 'cancelledAt', raw.cancel_time);
  const fiscal = toCoreOrderFiscal(raw);
  if (fiscal !== undefined) order.fiscal = fiscal;
  order.raw = raw;
  return order;
}

/** Sets `order[field]` to the ISO time of `seconds` when TikTok gave one. */
function setIso(
  order: Order,
  field: 'paidAt' | 'shippedAt' | 'deliveredAt' | 'cancelledAt',
  seconds: number | undefined,
): void {
  const iso = optionalIso(seconds);
  if (iso !== undefined) order[field] = iso;
}

// ---------------------------------------------------------------- packages

/** The id of a package, whichever field carries it (`package_id` in detail, `id` in search). */
export function packageIdOf(raw: TikTokPackage): string {
  return (raw.package_id ?? raw.id) as string;
}

/** Maps a TikTok package to a core `Shipment`. */
export function toCoreShipment(raw: TikTokPackage, accountId: string): Shipment {
  const rawStatus = raw.package_status ?? raw.status ?? '';
  const status = mapTikTokPackageStatus(rawStatus);
  const shippingType = raw.shipping_type?.toUpperCase();
  return withoutUndefined({
    externalId: packageIdOf(raw),
    marketplace: TIKTOK,
    accountId,
    orderIds: (raw.orders ?? []).map((o) => o.id),
    status,
    rawStatus,
    carrier: present(raw.shipping_provider_name) ?? raw.shipping_provider_id,
    trackingNumber: present(raw.tracking_number),
    mode: shippingType === 'TIKTOK' ? 'marketplace' : shippingType === 'SELLER' ? 'seller' : 'unknown',
    address: raw.recipient_address ? toCoreAddress(raw.recipient_address) : undefined,
    createdAt: optionalIso(raw.create_time),
    updatedAt: optionalIso(raw.update_time),
    raw,
  }) as Shipment;
}

// ---------------------------------------------------------------- core → TikTok (writes)

/** Keys of `marketplaceFields` the adapter reads itself instead of sending them as product fields. */
const CLIENT_ONLY_FIELDS = new Set(['warehouse_id', 'identifier_code_type']);

/** What {@link toTikTokProductInput} needs besides the product. */
export interface TikTokProductBodyContext {
  /** The warehouse the variants' stock is put in. */
  warehouseId: string;
  /** The TikTok `uri` of an image URL (uploaded first); return the URL itself to validate before uploading. */
  imageUri: (url: string) => string;
  /** Existing SKU ids by seller SKU (edit), so TikTok keeps those SKUs instead of replacing them. */
  skuIds?: ReadonlyMap<string, string> | undefined;
  /**
   * TikTok fields the core model does not cover, sent as given: `package_weight` (required),
   * `package_dimensions`, `brand_id`, `category_version`, `product_attributes`, `certifications`,
   * `size_chart`, `delivery_option_ids`, `save_mode`, `main_images` (already uploaded uris), ...
   * plus `warehouse_id` and `identifier_code_type` (default `GTIN`) read by the adapter.
   */
  fields?: Record<string, unknown> | undefined;
}

/**
 * Builds the create / edit body of a core product. Prices go out as the same decimal strings;
 * variant attributes become `sales_attributes` (the first one carries the variant's image);
 * a barcode becomes `identifier_code`. Pure: images are only named through `imageUri`.
 */
export function toTikTokProductInput(
  product: Product,
  context: TikTokProductBodyContext,
): Record<string, unknown> {
  const fields = context.fields ?? {};
  const passThrough = Object.fromEntries(
    Object.entries(fields).filter(([key]) => !CLIENT_ONLY_FIELDS.has(key)),
  );
  const identifierType =
    typeof fields.identifier_code_type === 'string' ? fields.identifier_code_type : 'GTIN';
  const multiVariant = product.variants.length > 1;
  const skus = product.variants.map((variant) => {
    const entries = Object.entries(variant.attributes ?? {});
    const image = variant.images?.[0];
    const salesAttributes = entries.map(([name, value], index) =>
      withoutUndefined({
        name,
        value_name: value,
        sku_img: index === 0 && image ? { uri: context.imageUri(image) } : undefined,
      }),
    );
    const id =
      (variant.sku === undefined ? undefined : context.skuIds?.get(variant.sku)) ??
      (context.skuIds ? variant.externalId : undefined);
    return withoutUndefined({
      id,
      seller_sku: variant.sku,
      price: { amount: variant.price.amount, currency: variant.price.currency },
      inventory: [{ warehouse_id: context.warehouseId, quantity: variant.quantity }],
      sales_attributes: salesAttributes.length > 0 || multiVariant ? salesAttributes : undefined,
      identifier_code: variant.barcode ? { code: variant.barcode, type: identifierType } : undefined,
    });
  });
  return withoutUndefined({
    external_product_id: product.sku,
    ...passThrough,
    title: product.title,
    description: product.description,
    category_id: product.categoryId ?? passThrough.category_id,
    main_images: passThrough.main_images ?? product.images.map((url) => ({ uri: context.imageUri(url) })),
    skus,
  });
}

// ---------------------------------------------------------------------------------------------
// Customer-service chat

/** Sender roles read as the shop's own side; `BUYER` is the buyer, anything else TikTok (system, robot). */
const SHOP_ROLES = new Set(['SHOP', 'SELLER', 'CUSTOMER_SERVICE', 'AGENT', 'SHOP_AGENT']);

/** Who wrote a chat message, from the role TikTok gives its sender (open set, compared in upper case). */
export function tiktokChatAuthor(role: string | null | undefined): MessageAuthor {
  const upper = (role ?? '').toUpperCase();
  if (upper === 'BUYER') return 'buyer';
  return SHOP_ROLES.has(upper) ? 'seller' : 'marketplace';
}

function parsedContent(content: string | null | undefined): Record<string, unknown> {
  if (!content) return {};
  try {
    const value: unknown = JSON.parse(content);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A TikTok chat message as a core `Message`: the text of a TEXT message (its `content` is a
 * JSON-encoded string), the image of an IMAGE one as an attachment; cards and notices keep only `raw`.
 */
export function mapTikTokChatMessage(message: TikTokChatMessage, conversationId: string): Message {
  const content = parsedContent(message.content);
  const type = (message.type ?? '').toUpperCase();
  const text = type === 'TEXT' && typeof content.content === 'string' ? content.content : '';
  const url = type === 'IMAGE' && typeof content.url === 'string' ? content.url : undefined;
  const seconds = Number(message.create_time);
  return {
    id: message.id,
    conversationId,
    from: tiktokChatAuthor(message.sender?.role),
    text,
    attachments: url ? [{ id: url, contentType: 'image' }] : [],
    createdAt: Number.isFinite(seconds) && seconds > 0 ? secondsToIso(seconds) : '',
    raw: message,
  };
}

type Bucket = 'revenue' | 'shipping' | 'fee' | 'tax' | 'adjustment';

/** What a TikTok finance field is, from its name: TikTok keeps adding fields, so by pattern. */
function tiktokLineKind(bucket: Bucket, key: string): ProceedsLineKind {
  if (bucket === 'tax') return 'tax_withheld';
  if (bucket === 'adjustment') return 'adjustment';
  if (bucket === 'revenue')
    return /refund/.test(key) ? 'refund' : /discount/.test(key) ? 'discount' : 'other';
  if (bucket === 'shipping') return /subsidy|discount|rebate|reimburse/.test(key) ? 'rebate' : 'shipping';
  if (/commission|referral/.test(key)) return 'commission';
  if (/transaction_fee|handling_fee/.test(key)) return 'transaction_fee';
  return 'service_fee';
}

/** Alternative views of a commission already counted in its parent field (reference §4.5). */
const TIKTOK_ALTERNATIVE_VIEW = /_before_pit$|_deposit$|_release$/;
const TIKTOK_GROSS_KEY = 'subtotal_before_discount_amount';

function tiktokAmount(value: unknown, currency: string): Money | undefined {
  if (typeof value === 'number') return money(value, currency);
  if (typeof value !== 'string' || value === '') return undefined;
  return money(value, currency);
}

/** What {@link toTikTokOrderProceeds} needs beside the transactions. */
export interface TikTokProceedsContext {
  accountId: string;
  /** The order id asked for (the payload may omit it). */
  orderId: string;
  /** Used when the payload names no currency (the shop's configured one). */
  currency?: string | undefined;
}

/**
 * The settled transactions of an order as a core `OrderProceeds`: the SKU rows'
 * `subtotal_before_discount_amount` as gross, then every other non-zero breakdown field (revenue,
 * shipping, fees, taxes) under its own name, summed over the rows, signed as TikTok signs them.
 * `supplementary_component` and the alternative commission views are left out (already counted).
 * Checked against `settlement_amount` and the order's revenue, shipping and fee-and-tax totals.
 */
export function toTikTokOrderProceeds(
  data: TikTokOrderTransactions,
  context: TikTokProceedsContext,
): OrderProceeds {
  const currency = (data.currency || context.currency)?.toUpperCase();
  if (!currency) {
    throw new ValidationError('TikTok transactions name no currency', [
      { path: 'currency', message: "absent from the response: set the client's currency option" },
    ]);
  }
  const rows = data.sku_transactions ?? [];
  const zero = money('0', currency);
  const lines = new Map<string, ProceedsLine & { bucket: Bucket }>();
  let gross = zero;
  const add = (bucket: Bucket, path: string, key: string, value: unknown) => {
    const amount = tiktokAmount(value, currency);
    if (amount === undefined) return;
    if (bucket === 'revenue' && key === TIKTOK_GROSS_KEY) {
      gross = addMoney(gross, amount);
      return;
    }
    const rawKey = `sku_transactions[].${path}`;
    const line = lines.get(rawKey);
    if (line) line.amount = addMoney(line.amount, amount);
    else lines.set(rawKey, { kind: tiktokLineKind(bucket, key), label: key, amount, rawKey, bucket });
  };
  for (const row of rows) {
    for (const [key, value] of Object.entries(row.revenue_breakdown ?? {})) {
      add('revenue', `revenue_breakdown.${key}`, key, value);
    }
    for (const [key, value] of Object.entries(row.shipping_cost_breakdown ?? {})) {
      add('shipping', `shipping_cost_breakdown.${key}`, key, value);
    }
    for (const [key, value] of Object.entries(row.fee_tax_breakdown?.fee ?? {})) {
      if (!TIKTOK_ALTERNATIVE_VIEW.test(key)) add('fee', `fee_tax_breakdown.fee.${key}`, key, value);
    }
    for (const [key, value] of Object.entries(row.fee_tax_breakdown?.tax ?? {})) {
      add('tax', `fee_tax_breakdown.tax.${key}`, key, value);
    }
    add('adjustment', 'adjustment_amount', 'adjustment_amount', row.adjustment_amount);
  }
  const kept = [...lines.values()].filter((line) => compareMoney(line.amount, zero) !== 0);
  const sumOf = (...buckets: Bucket[]) =>
    sumMoney(
      kept.filter((line) => buckets.includes(line.bucket)).map((line) => line.amount),
      currency,
    );
  const reported = (value: unknown) => tiktokAmount(value, currency);
  const checks = [
    {
      subject: 'revenue_amount',
      reported: reported(data.revenue_amount),
      computed: addMoney(gross, sumOf('revenue')),
    },
    {
      subject: 'shipping_cost_amount',
      reported: reported(data.shipping_cost_amount),
      computed: sumOf('shipping'),
    },
    {
      subject: 'fee_and_tax_amount',
      reported: reported(data.fee_and_tax_amount),
      computed: sumOf('fee', 'tax'),
    },
  ].filter(
    (check): check is { subject: string; reported: Money; computed: Money } => check.reported !== undefined,
  );
  return reconcileProceeds({
    marketplace: TIKTOK,
    accountId: context.accountId,
    orderExternalId: data.order_id || context.orderId,
    currency,
    gross,
    lines: kept.map(({ bucket: _bucket, ...line }) => line),
    reportedNet: reported(data.settlement_amount),
    checks,
    status: 'settled',
    raw: data,
  });
}

// ---------------------------------------------------------------- Brazilian invoices

/** `need_upload_invoice` → core invoice status; `UNKNOWN` and values not listed say nothing. */
export const TIKTOK_INVOICE_STATUS_MAP: Readonly<Record<string, OrderInvoice['status']>> = Object.freeze({
  NEED_INVOICE: 'required',
  INVOICE_PROCESSING: 'submitted',
  INVOICE_UPLOADED: 'accepted',
  NO_NEED: 'not_required',
});

/**
 * The Brazilian fields of an order as {@link TikTokOrderFiscalFields} reads them (a non-string
 * value is `''`), read off the order directly: a zod parse of the whole order would copy every
 * field of it for three.
 */
function fiscalFieldsOf(raw: unknown): TikTokOrderFiscalFields {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const order = raw as Record<string, unknown>;
  const fields: TikTokOrderFiscalFields = {};
  for (const key of ['need_upload_invoice', 'cpf', 'cpf_name'] as const) {
    if (!(key in order)) continue;
    const value = order[key];
    if (value !== undefined) fields[key] = typeof value === 'string' ? value : '';
  }
  return fields;
}

function invoiceFrom(fields: TikTokOrderFiscalFields): OrderInvoice | undefined {
  const rawStatus = present(fields.need_upload_invoice)?.trim().toUpperCase();
  const status = rawStatus ? TIKTOK_INVOICE_STATUS_MAP[rawStatus] : undefined;
  return status ? { status, rawStatus } : undefined;
}

/** The invoice state of an order from `need_upload_invoice`, or `undefined` when TikTok says nothing. */
export function toCoreOrderInvoice(raw: unknown): OrderInvoice | undefined {
  return invoiceFrom(fiscalFieldsOf(raw));
}

/** The fiscal side of an order: invoice state, buyer CPF and the name registered to it (Brazil). */
export function toCoreOrderFiscal(raw: unknown): OrderFiscal | undefined {
  const fields = fiscalFieldsOf(raw);
  const invoice = invoiceFrom(fields);
  const buyerTaxId = fields.cpf && !fields.cpf.includes('*') ? taxIdFrom(fields.cpf) : undefined;
  const buyerTaxName = buyerTaxId ? present(fields.cpf_name) : undefined;
  if (!invoice && !buyerTaxId) return undefined;
  return withoutUndefined({ invoice, buyerTaxId, buyerTaxName }) as OrderFiscal;
}
