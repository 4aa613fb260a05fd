import {
  type Address,
  addMoney,
  compareMoney,
  currencyScale,
  epochMsToIso,
  type ItemTaxData,
  lowestPrice,
  type Money,
  MoneyRecord,
  money,
  moneyInCurrencyScale,
  multiplyMoney,
  type Order,
  type OrderFiscal,
  type OrderInvoice,
  type OrderItem,
  type OrderProceeds,
  Order as OrderSchema,
  type OrderStatus,
  type PaymentStatus,
  PlainRecord,
  type ProceedsLine,
  type ProceedsLineKind,
  type Product,
  Product as ProductSchema,
  type ProductStatus,
  type ProductVariant,
  parseOrThrow,
  plainConstructor,
  reconcileProceeds,
  type Shipment,
  Shipment as ShipmentSchema,
  type ShipmentStatus,
  significantDecimals,
  subtractMoney,
  sumMoney,
  sumProceedsLines,
  taxIdFrom,
  ValidationError,
} from '@mlh/core';
import {
  SHOPEE_ESCROW_TERMS,
  type ShopeeEscrowAmount,
  type ShopeeEscrowDetail,
  type ShopeeEscrowTerm,
} from './api/payment';
import type {
  ShopeeAmount,
  ShopeeItem,
  ShopeeModel,
  ShopeeModelListResponse,
  ShopeeOrder,
  ShopeeOrderItem,
  ShopeePackage,
  ShopeePriceInfo,
  ShopeeRecipientAddress,
  ShopeeStockInfo,
  ShopeeTrackingInfoResponse,
} from './schemas';
import { ShopeeInvoiceData } from './schemas';

/**
 * Pure mappings between raw Shopee payloads and the core model. The status tables are exported
 * (and printed in the README) so an application can see exactly how each Shopee status reads;
 * `rawStatus` always keeps the Shopee word.
 */

const MARKETPLACE = 'shopee';

/** `order_status` → core `OrderStatus`. Values not in this table read as `unknown` (`rawStatus` keeps them). */
export const SHOPEE_ORDER_STATUS: Readonly<Record<string, OrderStatus>> = Object.freeze({
  UNPAID: 'pending',
  PENDING: 'pending',
  READY_TO_SHIP: 'paid',
  PROCESSED: 'paid',
  RETRY_SHIP: 'paid',
  INVOICE_PENDING: 'paid',
  // A cancellation request is not a cancellation yet: the seller may still ship.
  IN_CANCEL: 'paid',
  SHIPPED: 'shipped',
  TO_CONFIRM_RECEIVE: 'delivered',
  COMPLETED: 'delivered',
  TO_RETURN: 'delivered',
  CANCELLED: 'cancelled',
});

/** `item_status` → core `ProductStatus`. Values not in this table read as `unknown`. */
export const SHOPEE_ITEM_STATUS: Readonly<Record<string, ProductStatus>> = Object.freeze({
  NORMAL: 'active',
  UNLIST: 'paused',
  REVIEWING: 'inactive',
  BANNED: 'inactive',
  SELLER_DELETE: 'inactive',
  SHOPEE_DELETE: 'inactive',
});

/** Package / order `logistics_status` → core `ShipmentStatus`. A value not listed is `unknown`. */
export const SHOPEE_LOGISTICS_STATUS: Readonly<Record<string, ShipmentStatus>> = Object.freeze({
  LOGISTICS_NOT_START: 'pending',
  LOGISTICS_PENDING_ARRANGE: 'pending',
  LOGISTICS_READY: 'ready_to_ship',
  LOGISTICS_REQUEST_CREATED: 'ready_to_ship',
  LOGISTICS_PICKUP_RETRY: 'ready_to_ship',
  LOGISTICS_PICKUP_DONE: 'shipped',
  LOGISTICS_DELIVERY_DONE: 'delivered',
  LOGISTICS_DELIVERY_FAILED: 'not_delivered',
  LOGISTICS_LOST: 'not_delivered',
  LOGISTICS_INVALID: 'cancelled',
  LOGISTICS_REQUEST_CANCELED: 'cancelled',
  LOGISTICS_PICKUP_FAILED: 'cancelled',
  LOGISTICS_COD_REJECTED: 'cancelled',
});

/** Core `ProductStatus` → the `item_status` values `get_item_list` filters on. */
export const SHOPEE_ITEM_STATUS_FILTER: Readonly<Record<ProductStatus, readonly string[]>> = Object.freeze({
  active: ['NORMAL'],
  paused: ['UNLIST'],
  inactive: ['REVIEWING', 'BANNED', 'SELLER_DELETE', 'SHOPEE_DELETE'],
  unknown: [],
});

/** Item statuses listed when no status filter is given: everything but deleted items. */
export const SHOPEE_DEFAULT_ITEM_STATUSES: readonly string[] = ['NORMAL', 'UNLIST', 'REVIEWING', 'BANNED'];

/** Reads a Shopee `order_status` as a core order status. */
export function mapShopeeOrderStatus(rawStatus: string): OrderStatus {
  return SHOPEE_ORDER_STATUS[rawStatus.trim().toUpperCase()] ?? 'unknown';
}

/** Reads a Shopee `item_status` as a core product status. */
export function mapShopeeItemStatus(rawStatus: string): ProductStatus {
  return SHOPEE_ITEM_STATUS[rawStatus.trim().toUpperCase()] ?? 'unknown';
}

/** Reads a Shopee `logistics_status` as a core shipment status; `unknown` for a value not listed. */
export function mapShopeeLogisticsStatus(rawStatus: string): ShipmentStatus {
  return SHOPEE_LOGISTICS_STATUS[rawStatus.trim().toUpperCase()] ?? 'unknown';
}

/**
 * The payment status implied by an order's status and pay time; `unknown` for an order status
 * not in {@link SHOPEE_ORDER_STATUS}, which says nothing about payment.
 */
export function mapShopeePaymentStatus(rawStatus: string, paidAt: number | null | undefined): PaymentStatus {
  const status = rawStatus.trim().toUpperCase();
  if (status === 'UNPAID' || status === 'PENDING') return 'pending';
  if (status === 'CANCELLED') return paidAt ? 'refunded' : 'failed';
  return SHOPEE_ORDER_STATUS[status] ? 'paid' : 'unknown';
}

/** Epoch seconds → ISO 8601 (UTC). */
export function fromShopeeTime(seconds: number): string {
  return epochMsToIso(seconds * 1000);
}

/** An amount Shopee sends as a number, in its currency's canonical scale (`29.9` BRL → `"29.90"`). */
function amount(value: ShopeeAmount, currency: string): Money {
  return moneyInCurrencyScale(value, currency);
}

/** A computed amount in its currency's canonical scale. */
function canonical(value: Money): Money {
  return moneyInCurrencyScale(value.amount, value.currency);
}

/** A payload the SDK cannot read without inventing data (a price, a currency). */
function unreadable(what: string, path: string, message: string): ValidationError {
  return new ValidationError(`Cannot read ${what} from Shopee`, [{ path, message }], {
    marketplace: MARKETPLACE,
  });
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function isMasked(text: string): boolean {
  return text.includes('**');
}

/** Values Shopee masks (`P******n`, `******64`) are not data: they are left out. */
function unmasked(value: string | null | undefined): string | undefined {
  const text = nonEmpty(value);
  return text && !isMasked(text) ? text : undefined;
}

/**
 * The parts of a comma-separated address line that are not masked: Shopee masks the street and
 * number of many orders (`"****** 12, Centro, São Paulo, SP"` keeps `Centro, São Paulo, SP`).
 */
function unmaskedParts(value: string | null | undefined): string | undefined {
  const text = nonEmpty(value);
  if (!text) return undefined;
  if (!isMasked(text)) return text;
  // A loop over the commas rather than split/map/filter/join: a Brazilian address is masked on
  // most orders, and the four array builtins cost more than the text they walk.
  let kept = '';
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf(',', start);
    if (end === -1) end = text.length;
    const part = text.slice(start, end).trim();
    if (part !== '' && !part.includes('*')) kept = kept === '' ? part : `${kept}, ${part}`;
    start = end + 1;
  }
  return kept === '' ? undefined : kept;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The seller-managed stock of an item or model: `seller_stock` summed, else the summary. */
export function sellerStock(stock: ShopeeStockInfo | null | undefined): number {
  const entries = stock?.seller_stock;
  if (entries && entries.length > 0)
    return entries.reduce((sum, entry) => sum + Math.max(0, entry.stock ?? 0), 0);
  return Math.max(0, stock?.summary_info?.total_available_stock ?? 0);
}

function listPrice(
  prices: readonly ShopeePriceInfo[] | null | undefined,
  fallbackCurrency: string | undefined,
  path: string,
): Money | undefined {
  const info = prices?.[0];
  const value = info?.original_price ?? info?.current_price;
  if (value === null || value === undefined) return undefined;
  const currency = nonEmpty(info?.currency)?.toUpperCase() ?? fallbackCurrency;
  if (!currency)
    throw unreadable('a price', `${path}.currency`, 'no currency (set the client currency option)');
  return amount(value, currency);
}

function itemDescription(item: ShopeeItem): string {
  if (item.description_type === 'extended') {
    const fields = item.description_info?.extended_description?.field_list ?? [];
    const text = fields
      .filter((field) => field.field_type === 'text' || field.text)
      .map((field) => field.text ?? '')
      .join('\n');
    if (text) return text;
  }
  return item.description ?? '';
}

function itemAttributes(item: ShopeeItem): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const attribute of item.attribute_list ?? []) {
    const name = nonEmpty(attribute.original_attribute_name) ?? nonEmpty(attribute.attribute_id ?? undefined);
    const values = (attribute.attribute_value_list ?? [])
      .map((value) =>
        [nonEmpty(value.original_value_name), nonEmpty(value.value_unit)].filter(Boolean).join(' '),
      )
      .filter((value) => value !== '');
    if (name && values.length > 0) attributes[name] = values.join(', ');
  }
  return attributes;
}

/** Options of {@link mapShopeeItem}. */
export interface MapItemOptions {
  accountId?: string | undefined;
  /** Currency when the payload names none (items with models carry no `price_info`). */
  currency?: string | undefined;
}

/**
 * Maps an item from `get_item_base_info` (plus its `get_model_list` when it has models) to a core
 * `Product`. SKUs: the model's `model_sku`, or `<item_id>:<model_id>` when it is empty or
 * repeated (Shopee allows both; the core model needs unique SKUs); the product SKU is `item_sku`,
 * or the item id when empty. Prices are `original_price` (what `update_price` writes; a running
 * promotion's `current_price` stays in `raw`). Quantities are the seller stock.
 */
export function mapShopeeItem(
  item: ShopeeItem,
  models: ShopeeModelListResponse | undefined,
  options: MapItemOptions = {},
): Product {
  const fallbackCurrency = options.currency?.toUpperCase();
  const itemPrice = listPrice(item.price_info, fallbackCurrency, 'price_info');
  const modelList = models?.model ?? [];
  const variants: ProductVariant[] = [];

  if (item.has_model && modelList.length > 0) {
    const tiers = models?.tier_variation ?? [];
    const seen = new Set<string>();
    const currency =
      modelList.map((model) => nonEmpty(model.price_info?.[0]?.currency)?.toUpperCase()).find(Boolean) ??
      fallbackCurrency;
    for (const model of modelList) {
      const price = listPrice(model.price_info, currency, `model.${model.model_id}.price_info`) ?? itemPrice;
      if (!price) {
        throw unreadable(
          `item ${item.item_id}`,
          `model.${model.model_id}.price_info`,
          'the model has no price (price_info missing)',
        );
      }
      let sku = nonEmpty(model.model_sku) ?? `${item.item_id}:${model.model_id}`;
      if (seen.has(sku)) sku = `${item.item_id}:${model.model_id}`;
      seen.add(sku);
      variants.push({
        sku,
        externalId: model.model_id,
        price,
        quantity: sellerStock(model.stock_info_v2),
        attributes: modelAttributes(model, tiers),
        ...(nonEmpty(model.gtin_code) ? { barcode: nonEmpty(model.gtin_code) as string } : {}),
      });
    }
  }
  if (variants.length === 0) {
    if (!itemPrice) {
      // An item with models carries no price of its own: without its model list there is none to give.
      throw unreadable(
        `item ${item.item_id}`,
        item.has_model ? 'model' : 'price_info',
        item.has_model
          ? 'the item has models but get_model_list returned none, so it has no price'
          : 'the item has no price (price_info missing)',
      );
    }
    variants.push({
      sku: nonEmpty(item.item_sku) ?? item.item_id,
      externalId: '0',
      price: itemPrice,
      quantity: sellerStock(item.stock_info_v2),
      attributes: {},
    });
  }

  const rawStatus = nonEmpty(item.item_status);
  const images = (item.image?.image_url_list ?? []).filter(isHttpUrl);
  return parseOrThrow(
    ProductSchema,
    {
      externalId: item.item_id,
      marketplace: MARKETPLACE,
      ...(options.accountId ? { accountId: options.accountId } : {}),
      title: nonEmpty(item.item_name) ?? item.item_id,
      description: itemDescription(item),
      price: lowestPrice(variants),
      quantity: variants.reduce((sum, variant) => sum + variant.quantity, 0),
      sku: nonEmpty(item.item_sku) ?? item.item_id,
      images,
      attributes: itemAttributes(item),
      status: rawStatus ? mapShopeeItemStatus(rawStatus) : 'unknown',
      ...(rawStatus ? { rawStatus } : {}),
      ...(item.category_id ? { categoryId: item.category_id } : {}),
      variants,
      ...(item.create_time ? { createdAt: fromShopeeTime(item.create_time) } : {}),
      ...(item.update_time ? { updatedAt: fromShopeeTime(item.update_time) } : {}),
      raw: models ? { item, models } : { item },
    },
    'product from Shopee',
    { marketplace: MARKETPLACE, owned: true },
  );
}

function modelAttributes(
  model: ShopeeModel,
  tiers: NonNullable<ShopeeModelListResponse['tier_variation']>,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  (model.tier_index ?? []).forEach((optionIndex, tierIndex) => {
    const tier = tiers[tierIndex];
    const name = nonEmpty(tier?.name) ?? `tier${tierIndex + 1}`;
    const option = nonEmpty(tier?.option_list?.[optionIndex]?.option);
    if (option) attributes[name] = option;
  });
  return attributes;
}

function unitPriceOf(line: ShopeeOrderItem, currency: string): Money {
  const discounted = line.model_discounted_price;
  // Bundle-deal lines carry 0 as the discounted price: the original price is the real one then.
  const useDiscounted = discounted !== null && discounted !== undefined && Number(discounted) > 0;
  const value = useDiscounted ? discounted : line.model_original_price;
  if (value === null || value === undefined) {
    throw unreadable(
      `order line of item ${line.item_id}`,
      'item_list.model_original_price',
      'the line has no price',
    );
  }
  return amount(value, currency);
}

// The objects of every order mapped are built by constructors, not literals: V8 would allocate a
// literal's objects in the old generation once many were alive at a young collection, which
// doubled the time of a mapping (see `plainConstructor` in `@mlh/core`).

const OrderItemRecord = /* @__PURE__ */ plainConstructor(function (
  this: OrderItem,
  productExternalId: string,
  title: string,
  quantity: number,
  unitPrice: Money,
  total: Money,
) {
  this.productExternalId = productExternalId;
  this.title = title;
  this.quantity = quantity;
  this.unitPrice = unitPrice;
  this.total = total;
});

/** The fields every mapped order has, in the model's order; the others are set after. */
const OrderRecord = /* @__PURE__ */ plainConstructor(function (
  this: Record<string, unknown>,
  externalId: string,
  marketplace: string,
  accountId: string,
  buyer: Order['buyer'],
  items: OrderItem[],
  currency: string,
  subtotal: Money,
  shippingCost: Money,
) {
  this.externalId = externalId;
  this.marketplace = marketplace;
  this.accountId = accountId;
  this.buyer = buyer;
  this.items = items;
  this.currency = currency;
  this.subtotal = subtotal;
  this.shippingCost = shippingCost;
});

/** An invoice state without invoice data, as a plain record (see above). */
function invoiceState(status: OrderInvoice['status'], rawStatus?: string): OrderInvoice {
  const state = new PlainRecord() as OrderInvoice;
  state.status = status;
  if (rawStatus) state.rawStatus = rawStatus;
  return state;
}

function mapOrderItem(line: ShopeeOrderItem, currency: string): OrderItem {
  const unitPrice = unitPriceOf(line, currency);
  const sku = nonEmpty(line.model_sku) ?? nonEmpty(line.item_sku);
  const itemName = nonEmpty(line.item_name);
  const modelName = nonEmpty(line.model_name);
  const title = itemName && modelName ? `${itemName} - ${modelName}` : (itemName ?? modelName ?? '');
  // Fields set one by one, not spread in: every line of every order read passes here.
  const item = new OrderItemRecord(
    line.item_id,
    title || line.item_id,
    line.model_quantity_purchased,
    unitPrice,
    multiplyMoney(unitPrice, line.model_quantity_purchased),
  );
  if (line.order_item_id) item.externalId = line.order_item_id;
  if (line.model_id && line.model_id !== '0') item.variantExternalId = line.model_id;
  if (sku) item.sku = sku;
  return item;
}

/**
 * Maps a `recipient_address` to a core `Address`, leaving masked values out. Each field stands on
 * its own (a masked name or phone leaves the city and postal code), and a partly masked
 * `full_address` keeps its unmasked parts in `full` (never in `line1`, which would pass a fragment
 * off as the street).
 */
export function mapShopeeAddress(address: ShopeeRecipientAddress): Address {
  const country = unmasked(address.region)?.toUpperCase();
  const neighborhood = unmasked(address.district) ?? unmasked(address.town);
  const result: Address = {};
  const name = unmasked(address.name);
  const phone = unmasked(address.phone);
  const full = unmasked(address.full_address);
  const fullParts = full ? undefined : unmaskedParts(address.full_address);
  const city = unmasked(address.city);
  const state = unmasked(address.state);
  const postalCode = unmasked(address.zipcode);
  if (name) result.name = name;
  if (phone) result.phone = phone;
  if (full) {
    result.line1 = full;
    result.full = full;
  } else if (fullParts) {
    result.full = fullParts;
  }
  if (neighborhood) result.neighborhood = neighborhood;
  if (city) result.city = city;
  if (state) result.state = state;
  if (postalCode) result.postalCode = postalCode;
  if (country && /^[A-Z]{2}$/.test(country)) result.country = country;
  return result;
}

/** Builds the shipment id of a package: `<order_sn>:<package_number>` (Shopee needs both to read it). */
export function shopeeShipmentId(orderSn: string, packageNumber?: string | null): string {
  return packageNumber ? `${orderSn}:${packageNumber}` : orderSn;
}

/** Splits a shipment id made by {@link shopeeShipmentId}; a bare order_sn means "the order's package". */
export function parseShopeeShipmentId(shipmentId: string): { orderSn: string; packageNumber?: string } {
  const separator = shipmentId.indexOf(':');
  if (separator < 0) return { orderSn: shipmentId };
  const packageNumber = shipmentId.slice(separator + 1);
  return { orderSn: shipmentId.slice(0, separator), ...(packageNumber ? { packageNumber } : {}) };
}

/**
 * Maps a `get_order_detail` order (fetched with `SHOPEE_ORDER_DETAIL_FIELDS`) to a core
 * `Order`. Shopee gives no buyer-paid shipping line: `subtotal` is the sum of the lines,
 * `total` is `total_amount`, and the difference is `shippingCost` when positive or `discount`
 * when negative (so `subtotal + shippingCost − discount = total` holds exactly). `tax` is absent:
 * `get_order_detail` does not report it, and a zero would look like data.
 */
export function mapShopeeOrder(
  order: ShopeeOrder,
  accountId: string,
  options: {
    currency?: string | undefined;
    /** Brazil: whether `get_order_list?order_status=INVOICE_PENDING` lists the order (asked only for orders ready to ship without an invoice). */
    invoicePending?: boolean | undefined;
  } = {},
): Order {
  const currency = nonEmpty(order.currency)?.toUpperCase() ?? options.currency?.toUpperCase();
  if (!currency) {
    throw unreadable(`order ${order.order_sn}`, 'currency', 'no currency (set the client currency option)');
  }
  const items = (order.item_list ?? []).map((line) => mapOrderItem(line, currency));
  const subtotal = canonical(
    sumMoney(
      items.map((item) => item.total),
      currency,
    ),
  );
  const total =
    order.total_amount !== null && order.total_amount !== undefined
      ? amount(order.total_amount, currency)
      : subtotal;
  const zero: Money = canonical(new MoneyRecord('0', currency));
  const difference = subtractMoney(total, subtotal);
  const surplus = compareMoney(difference, zero) >= 0;
  const shippingCost = surplus ? canonical(difference) : zero;
  const discount = surplus ? undefined : canonical(subtractMoney(zero, difference));
  const rawStatus = order.order_status.trim();
  const status = mapShopeeOrderStatus(rawStatus);
  const packages = order.package_list ?? [];
  const address = order.recipient_address ? mapShopeeAddress(order.recipient_address) : undefined;
  const buyerNickname = unmasked(order.buyer_username);
  const fiscal = mapShopeeOrderFiscal(order, { currency, invoicePending: options.invoicePending });

  // Field by field in the order of the model, not with conditional spreads (V8's slow path on
  // Node 20): every order read passes here.
  const buyer = new PlainRecord() as Order['buyer'];
  if (order.buyer_user_id && order.buyer_user_id !== '0') buyer.id = order.buyer_user_id;
  if (buyerNickname) buyer.nickname = buyerNickname;
  const mapped = new OrderRecord(
    order.order_sn,
    MARKETPLACE,
    accountId,
    buyer,
    items,
    currency,
    subtotal,
    shippingCost,
  );
  if (discount) mapped.discount = discount;
  mapped.total = total;
  mapped.status = status;
  mapped.rawStatus = rawStatus;
  mapped.paymentStatus = mapShopeePaymentStatus(rawStatus, order.pay_time);
  if (address && Object.keys(address).length > 0) mapped.shippingAddress = address;
  mapped.shipmentIds = packages.map((pkg) => shopeeShipmentId(order.order_sn, pkg.package_number));
  mapped.createdAt = fromShopeeTime(order.create_time);
  mapped.updatedAt = fromShopeeTime(order.update_time);
  if (order.pay_time) mapped.paidAt = fromShopeeTime(order.pay_time);
  if (order.pickup_done_time) mapped.shippedAt = fromShopeeTime(order.pickup_done_time);
  if (status === 'cancelled') mapped.cancelledAt = fromShopeeTime(order.update_time);
  if (fiscal) mapped.fiscal = fiscal;
  mapped.raw = order;
  return parseOrThrow(OrderSchema, mapped, 'order from Shopee', { marketplace: MARKETPLACE, owned: true });
}

/** What {@link mapShopeePackage} needs besides the package itself. */
export interface MapPackageContext {
  order: ShopeeOrder;
  accountId?: string | undefined;
  trackingNumber?: string | undefined;
  tracking?: ShopeeTrackingInfoResponse | undefined;
  mode?: Shipment['mode'];
}

/**
 * Maps a package of an order to a core `Shipment` (id `<order_sn>:<package_number>`). The
 * status comes from the tracking info's top-level `logistics_status` when given, else from the
 * package's; with neither it is `unknown` (`rawStatus` empty), not a guessed `pending`.
 */
export function mapShopeePackage(pkg: ShopeePackage | undefined, context: MapPackageContext): Shipment {
  const { order } = context;
  const rawStatus = nonEmpty(context.tracking?.logistics_status) ?? nonEmpty(pkg?.logistics_status) ?? '';
  const status = mapShopeeLogisticsStatus(rawStatus);
  const carrier = nonEmpty(pkg?.shipping_carrier) ?? nonEmpty(order.shipping_carrier);
  const address = order.recipient_address ? mapShopeeAddress(order.recipient_address) : undefined;
  const currency = nonEmpty(order.currency)?.toUpperCase();
  const fee = order.actual_shipping_fee ?? order.estimated_shipping_fee;
  const events = context.tracking?.tracking_info ?? [];
  const lastEventTime = events.reduce<number>((latest, event) => Math.max(latest, event.update_time ?? 0), 0);
  const deliveredEvent = events.find((event) => event.logistics_status === 'DELIVERED');
  return parseOrThrow(
    ShipmentSchema,
    {
      externalId: shopeeShipmentId(order.order_sn, pkg?.package_number),
      marketplace: MARKETPLACE,
      ...(context.accountId ? { accountId: context.accountId } : {}),
      orderIds: [order.order_sn],
      status,
      rawStatus,
      ...(carrier ? { carrier } : {}),
      ...(nonEmpty(context.trackingNumber) ? { trackingNumber: nonEmpty(context.trackingNumber) } : {}),
      mode: context.mode ?? 'unknown',
      ...(address && Object.keys(address).length > 0 ? { address } : {}),
      ...(currency && fee !== null && fee !== undefined ? { cost: amount(fee, currency) } : {}),
      createdAt: fromShopeeTime(order.create_time),
      updatedAt: fromShopeeTime(Math.max(order.update_time, lastEventTime)),
      ...(order.pickup_done_time ? { shippedAt: fromShopeeTime(order.pickup_done_time) } : {}),
      ...(deliveredEvent?.update_time ? { deliveredAt: fromShopeeTime(deliveredEvent.update_time) } : {}),
      raw: { order, package: pkg, tracking: context.tracking },
    },
    'shipment from Shopee',
    { marketplace: MARKETPLACE, owned: true },
  );
}

/**
 * Decimals Shopee accepts in a price, by currency: two in SG, MY, BR, MX, PL, ES and AR, whole
 * numbers in the other markets (TH, VN, PH, ID, TW, CO, CL), where Shopee would round the rest
 * away (reference §0). Other currencies: their ISO 4217 decimals.
 */
export const SHOPEE_PRICE_DECIMALS: Readonly<Record<string, number>> = Object.freeze({
  SGD: 2,
  MYR: 2,
  BRL: 2,
  MXN: 2,
  PLN: 2,
  EUR: 2,
  ARS: 2,
  THB: 0,
  VND: 0,
  PHP: 0,
  IDR: 0,
  TWD: 0,
  COP: 0,
  CLP: 0,
});

/**
 * Why a price cannot be sent to Shopee as it is (more decimals than its market accepts), or
 * undefined when it fits. A price is refused, never rounded: a rounded price is one the seller
 * did not set.
 */
export function shopeePriceProblem(price: Money): string | undefined {
  const decimals = SHOPEE_PRICE_DECIMALS[price.currency] ?? currencyScale(price.currency);
  if (significantDecimals(price.amount) <= decimals) return undefined;
  return decimals === 0
    ? `${price.amount} ${price.currency}: Shopee takes whole ${price.currency} prices`
    : `${price.amount} ${price.currency}: Shopee takes at most ${decimals} decimals`;
}

const ESCROW_LINE_KINDS: Readonly<Partial<Record<ShopeeEscrowTerm, ProceedsLineKind>>> = {
  original_shopee_discount: 'other',
  seller_return_refund: 'refund',
  shopee_discount: 'rebate',
  voucher_from_seller: 'discount',
  seller_coin_cash_back: 'discount',
  buyer_paid_shipping_fee: 'shipping',
  actual_shipping_fee: 'shipping',
  shopee_shipping_rebate: 'rebate',
  shipping_fee_discount_from_3pl: 'rebate',
  reverse_shipping_fee: 'shipping',
  rsf_seller_protection_fee_claim_amount: 'rebate',
  fsf_seller_protection_fee_claim_amount: 'rebate',
  final_return_to_seller_shipping_fee: 'shipping',
  seller_transaction_fee: 'transaction_fee',
  commission_fee: 'commission',
  order_ams_commission_fee: 'commission',
  final_escrow_product_gst: 'tax_withheld',
  escrow_tax: 'tax_withheld',
  sales_tax_on_lvg: 'tax_withheld',
  reverse_shipping_fee_sst: 'tax_withheld',
  shipping_fee_sst: 'tax_withheld',
  withholding_tax: 'tax_withheld',
  vat_on_imported_goods: 'tax_withheld',
  withholding_vat_tax: 'tax_withheld',
  withholding_pit_tax: 'tax_withheld',
  withholding_cit_tax: 'tax_withheld',
  th_import_duty: 'tax_withheld',
  buyer_paid_packaging_fee: 'other',
  trade_in_bonus_by_seller: 'other',
};

/** Brazil reports fees after Shopee's rebate in these fields; they stand in for the gross ones. */
const BRAZIL_NET_FEES: Readonly<Partial<Record<ShopeeEscrowTerm, 'net_commission_fee' | 'net_service_fee'>>> =
  {
    commission_fee: 'net_commission_fee',
    service_fee: 'net_service_fee',
  };

function negated(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

/** What {@link toShopeeOrderProceeds} needs beside the escrow. */
export interface ShopeeProceedsContext {
  accountId: string;
  /** The order's currency (the escrow carries none). */
  currency: string;
  /** `order_status` of the order: the escrow is final and released once it is `COMPLETED`. */
  orderStatus?: string | undefined;
}

/**
 * The escrow of an order as a core `OrderProceeds`: the goods value
 * (`original_cost_of_goods_sold`) as gross, each non-zero term of the reference's escrow formula
 * as a line under its field name, signed as the formula counts it, then each `order_adjustment`.
 * For Brazil `net_commission_fee` / `net_service_fee` stand in for the gross fee fields when sent.
 * Checked against `escrow_amount_after_adjustment` (else `escrow_amount`), and the formula's
 * lines against `escrow_amount`: a field Shopee added since shows up as a mismatch.
 */
export function toShopeeOrderProceeds(
  detail: ShopeeEscrowDetail,
  context: ShopeeProceedsContext,
): OrderProceeds {
  const income = detail.order_income;
  const { currency } = context;
  const amountOf = (value: ShopeeEscrowAmount | null | undefined): Money | undefined =>
    value === null || value === undefined ? undefined : money(value, currency);
  const [[grossField], ...terms] = SHOPEE_ESCROW_TERMS;
  const gross = amountOf(income[grossField] ?? income.cost_of_goods_sold) ?? money('0', currency);
  const lines: ProceedsLine[] = [];
  for (const [field, sign] of terms) {
    const netField = BRAZIL_NET_FEES[field];
    const useNet = netField !== undefined && amountOf(income[netField]) !== undefined;
    const label = useNet && netField ? netField : field;
    const value = amountOf(useNet && netField ? income[netField] : income[field]);
    if (value === undefined || compareMoney(value, money('0', currency)) === 0) continue;
    lines.push({
      kind: ESCROW_LINE_KINDS[field] ?? 'service_fee',
      label,
      amount: sign === 1 ? value : { ...value, amount: negated(value.amount) },
      rawKey: `order_income.${label}`,
    });
  }
  const formulaLines = [...lines];
  (income.order_adjustment ?? []).forEach((adjustment, index) => {
    const value = amountOf(adjustment.amount);
    if (value === undefined || compareMoney(value, money('0', currency)) === 0) return;
    lines.push({
      kind: 'adjustment',
      label: adjustment.adjustment_reason || 'order_adjustment',
      amount: value,
      rawKey: `order_income.order_adjustment.${index}.amount`,
    });
  });
  const escrow = amountOf(income.escrow_amount);
  const afterAdjustment = amountOf(income.escrow_amount_after_adjustment);
  const settled = context.orderStatus === 'COMPLETED';
  return reconcileProceeds({
    marketplace: MARKETPLACE,
    accountId: context.accountId,
    orderExternalId: detail.order_sn,
    currency,
    gross,
    lines,
    reportedNet: afterAdjustment ?? escrow,
    checks:
      afterAdjustment !== undefined && escrow !== undefined
        ? [
            {
              subject: 'escrow_amount',
              reported: escrow,
              computed: addMoney(gross, sumProceedsLines(formulaLines, currency)),
            },
          ]
        : [],
    status: settled ? 'settled' : 'estimated',
    rawStatus: context.orderStatus,
    raw: detail,
  });
}

/** Order statuses that mean "waiting for the NF-e" (the list's `INVOICE_PENDING`; older texts `PENDING_INVOICE`). */
const INVOICE_PENDING_STATUSES = new Set(['INVOICE_PENDING', 'PENDING_INVOICE']);

/** True when a Shopee order status says the order waits for its NF-e. */
export function isShopeeInvoicePendingStatus(rawStatus: string | null | undefined): boolean {
  return INVOICE_PENDING_STATUSES.has((rawStatus ?? '').trim().toUpperCase());
}

/**
 * The invoice state of a Shopee order. From `invoice_data`: `status: valid` (or, before that
 * field existed, an access key) is `accepted`; `pending` is `submitted` with `pending_reason`; a
 * status naming a failure is `rejected`. Without invoice data: `required` when the status (or the
 * `INVOICE_PENDING` list, `invoicePending`) says so, `not_required` when that list was asked and
 * does not hold the order, and no state when nothing was asked.
 */
export function mapShopeeOrderInvoice(
  order: Pick<ShopeeOrder, 'order_status' | 'invoice_data' | 'currency'>,
  options: { currency?: string | undefined; invoicePending?: boolean | undefined } = {},
): OrderInvoice | undefined {
  const data = invoiceDataOf(order.invoice_data);
  const accessKey = nonEmpty(data.access_key);
  const rawStatus = nonEmpty(data.status)?.toLowerCase();
  const currency = nonEmpty(order.currency)?.toUpperCase() ?? options.currency?.toUpperCase();
  const total = data.total_value ?? undefined;
  const issueDate = Number(data.issue_date);
  const number = data.number != null ? String(data.number).trim() : '';
  const series = data.series_number != null ? String(data.series_number).trim() : '';
  const issuedAt = Number.isFinite(issueDate) && issueDate > 0 ? fromShopeeTime(issueDate) : undefined;
  const totalMoney =
    currency && total !== undefined && String(total).trim() !== '' ? amount(total, currency) : undefined;
  if (rawStatus || accessKey) {
    const reason = nonEmpty(data.pending_reason);
    const invoice: OrderInvoice = {
      status:
        rawStatus === undefined || rawStatus === 'valid'
          ? 'accepted'
          : /invalid|reject|fail|cancel/.test(rawStatus)
            ? 'rejected'
            : 'submitted',
      rawStatus: rawStatus ?? 'valid',
    };
    // Field by field, not spread in (V8's slow path on Node 20): every order is mapped here.
    if (reason) invoice.reason = reason;
    if (accessKey) invoice.accessKey = accessKey;
    if (number) invoice.number = number;
    if (series) invoice.series = series;
    if (issuedAt) invoice.issuedAt = issuedAt;
    if (totalMoney) invoice.total = totalMoney;
    return invoice;
  }
  if (isShopeeInvoicePendingStatus(order.order_status) || options.invoicePending === true) {
    return invoiceState('required', 'INVOICE_PENDING');
  }
  if (options.invoicePending === false) return invoiceState('not_required');
  return undefined;
}

/** What {@link invoiceDataOf} gives for no invoice data: shared, so it is never written to. */
const NO_INVOICE_DATA: ShopeeInvoiceData = Object.freeze({});

/** An order's `invoice_data` as far as it reads; `{}` for a shape it does not have (no invoice known). */
function invoiceDataOf(value: unknown): ShopeeInvoiceData {
  // Most orders have none yet (`null` or `{}`), and each is read twice per order mapped.
  if (value == null || (typeof value === 'object' && isEmptyObject(value))) return NO_INVOICE_DATA;
  try {
    return parseOrThrow(ShopeeInvoiceData, value ?? {}, 'invoice data', { marketplace: MARKETPLACE });
  } catch {
    return {};
  }
}

/** Whether `value` has no enumerable keys (a JSON `{}` or `[]`), without listing them. */
function isEmptyObject(value: object): boolean {
  for (const _key in value) return false;
  return true;
}

/** The fiscal side of a Shopee order: its invoice state and the buyer's CPF (unmasked ones only). */
export function mapShopeeOrderFiscal(
  order: ShopeeOrder,
  options: { currency?: string | undefined; invoicePending?: boolean | undefined } = {},
): OrderFiscal | undefined {
  const invoice = mapShopeeOrderInvoice(order, options);
  const buyerTaxId = taxIdFrom(unmasked(order.buyer_cpf_id));
  if (!invoice && !buyerTaxId) return undefined;
  const fiscal: OrderFiscal = {};
  if (invoice) fiscal.invoice = invoice;
  if (buyerTaxId) fiscal.buyerTaxId = buyerTaxId;
  return fiscal;
}

/** Reads one `tax_info` value: Shopee sends strings, some shops numbers; blanks are absent. */
function taxText(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * A Brazilian item's `tax_info` (read with `need_tax_info=true`) as core fiscal data: NCM, CEST,
 * the two CFOPs, origin, CSOSN and unit under core names; the other fields as sent. `undefined`
 * when the item carries none.
 */
export function mapShopeeTaxInfo(taxInfo: unknown): ItemTaxData | undefined {
  if (typeof taxInfo !== 'object' || taxInfo === null) return undefined;
  const raw = taxInfo as Record<string, unknown>;
  const mapped = Object.fromEntries(
    Object.entries({
      ncm: taxText(raw.ncm),
      cest: taxText(raw.cest),
      cfopSameState: taxText(raw.same_state_cfop),
      cfopOtherState: taxText(raw.diff_state_cfop),
      origin: taxText(raw.origin),
      csosn: taxText(raw.csosn),
      measureUnit: taxText(raw.measure_unit),
    }).filter(([, value]) => value !== undefined),
  );
  if (Object.keys(mapped).length === 0) return undefined;
  // Fields without a core name (pis, cofins, icms_cst, ex_tipi, ...) are kept as Shopee names them.
  const named = new Set([
    'ncm',
    'cest',
    'same_state_cfop',
    'diff_state_cfop',
    'origin',
    'csosn',
    'measure_unit',
  ]);
  const others = Object.fromEntries(Object.entries(raw).filter(([key]) => !named.has(key)));
  return { ...others, ...mapped };
}

/** The fiscal data of a product read from a Brazilian shop (`product.raw.item.tax_info`), if any. */
export function shopeeProductTaxData(product: Pick<Product, 'raw'>): ItemTaxData | undefined {
  const raw = product.raw as { item?: { tax_info?: unknown } } | undefined;
  return mapShopeeTaxInfo(raw?.item?.tax_info);
}
