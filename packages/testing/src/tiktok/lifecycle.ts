/**
 * State transitions shared by the API routes (seller actions) and the sandbox's driver functions
 * (buyer, carrier and platform actions). Each transition stamps `update_time` and queues the
 * webhook TikTok would send.
 */
import type { TikTokSandboxContext } from './context';
import { tiktokError } from './errors';
import type {
  TikTokOrderStatus,
  TikTokProductStatus,
  TikTokSandboxCancellation,
  TikTokSandboxDistrict,
  TikTokSandboxLineItem,
  TikTokSandboxOrder,
  TikTokSandboxPackage,
  TikTokSandboxProduct,
  TikTokSandboxShop,
  TikTokSandboxSku,
} from './state';

/** Thrown by driver functions asked to do something the marketplace would never let happen. */
export class TikTokSandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TikTokSandboxError';
  }
}

/** The shop or a {@link TikTokSandboxError}. */
export function requireShop(context: TikTokSandboxContext, shopId: string): TikTokSandboxShop {
  const shop = context.state.shops.get(shopId);
  if (!shop) throw new TikTokSandboxError(`No shop ${shopId} in the sandbox`);
  return shop;
}

/** The order or a {@link TikTokSandboxError}. */
export function requireOrder(context: TikTokSandboxContext, orderId: string): TikTokSandboxOrder {
  const order = context.state.orders.get(orderId);
  if (!order) throw new TikTokSandboxError(`No order ${orderId} in the sandbox`);
  return order;
}

/** Finds a SKU and its product by SKU id. */
export function findSku(
  context: TikTokSandboxContext,
  skuId: string,
): { product: TikTokSandboxProduct; sku: TikTokSandboxSku } | undefined {
  for (const product of context.state.products.values()) {
    const sku = product.skus.find((candidate) => candidate.id === skuId);
    if (sku) return { product, sku };
  }
  return undefined;
}

/** The shop's default sales warehouse (the first sales warehouse when none is marked default). */
export function defaultWarehouseId(shop: TikTokSandboxShop): string {
  const sales = shop.warehouses.filter((warehouse) => warehouse.type === 'SALES_WAREHOUSE');
  const chosen = sales.find((warehouse) => warehouse.isDefault) ?? sales[0];
  if (!chosen) throw new TikTokSandboxError(`Shop ${shop.id} has no sales warehouse`);
  return chosen.id;
}

/** True for a non-negative decimal string such as `"19.90"` (TikTok amounts are strings, never floats). */
export function isDecimalString(value: string): boolean {
  return /^\d+(\.\d+)?$/.test(value);
}

/** Adds `delta` units of a SKU in one warehouse (creating the warehouse row when needed). */
export function adjustStock(sku: TikTokSandboxSku, warehouseId: string, delta: number): void {
  const row = sku.inventory.find((entry) => entry.warehouseId === warehouseId);
  if (row) row.quantity += delta;
  else sku.inventory.push({ warehouseId, quantity: delta });
}

// ---------------------------------------------------------------------------------------------
// Products

/** Webhook `status` values of PRODUCT_STATUS_CHANGE (reference §9.6). */
type ProductChangeKind = 'PRODUCT_FIRST_PASS_REVIEW' | 'PRODUCT_STATUS_CHANGED' | 'PRODUCT_AUDIT_FAILURE';

/** Moves a product to `status` and queues a PRODUCT_STATUS_CHANGE webhook. */
export function setProductStatus(
  context: TikTokSandboxContext,
  product: TikTokSandboxProduct,
  status: TikTokProductStatus,
  options: { kind?: ProductChangeKind; reason?: string } = {},
): void {
  if (product.status === status) return;
  const passedAudit = product.status === 'PENDING' && status === 'ACTIVATE';
  product.status = status;
  product.updateTime = context.nowSeconds();
  const kind =
    options.kind ??
    (status === 'FAILED'
      ? 'PRODUCT_AUDIT_FAILURE'
      : passedAudit
        ? 'PRODUCT_FIRST_PASS_REVIEW'
        : 'PRODUCT_STATUS_CHANGED');
  context.notify(product.shopId, 'PRODUCT_STATUS_CHANGE', {
    product_id: product.id,
    status: kind,
    suspended_reason: options.reason ?? '',
    update_time: product.updateTime,
  });
}

/**
 * Sends a product to audit (`PENDING`, no webhook: TikTok reports audit results); with
 * `productAudit: 'instant'` it passes at once.
 */
export function submitForAudit(context: TikTokSandboxContext, product: TikTokSandboxProduct): void {
  product.status = 'PENDING';
  product.updateTime = context.nowSeconds();
  if (context.settings.productAudit === 'instant') setProductStatus(context, product, 'ACTIVATE');
}

// ---------------------------------------------------------------------------------------------
// Orders

const LINE_ITEM_STATUS: Record<TikTokOrderStatus, TikTokOrderStatus> = {
  UNPAID: 'UNPAID',
  // Line items have no ON_HOLD or PARTIALLY_SHIPPING display status (reference §7.3).
  ON_HOLD: 'AWAITING_SHIPMENT',
  AWAITING_SHIPMENT: 'AWAITING_SHIPMENT',
  PARTIALLY_SHIPPING: 'AWAITING_SHIPMENT',
  AWAITING_COLLECTION: 'AWAITING_COLLECTION',
  IN_TRANSIT: 'IN_TRANSIT',
  DELIVERED: 'DELIVERED',
  COMPLETED: 'COMPLETED',
  CANCELLED: 'CANCELLED',
};

function lineItemStatusFor(order: TikTokSandboxOrder, item: TikTokSandboxLineItem): TikTokOrderStatus {
  if (item.displayStatus === 'CANCELLED') return 'CANCELLED';
  if (order.status === 'PARTIALLY_SHIPPING' && item.packageStatus === 'FULFILLING') return 'IN_TRANSIT';
  return LINE_ITEM_STATUS[order.status];
}

/** Moves an order to `status`, updates its line items, and queues ORDER_STATUS_CHANGE. */
export function setOrderStatus(
  context: TikTokSandboxContext,
  order: TikTokSandboxOrder,
  status: TikTokOrderStatus,
): void {
  if (order.status === status) return;
  order.status = status;
  order.updateTime = context.nowSeconds();
  for (const item of order.lineItems) item.displayStatus = lineItemStatusFor(order, item);
  // The webhook list has no PARTIALLY_SHIPPING and spells CANCELLED as CANCEL (reference §7.4).
  if (status === 'PARTIALLY_SHIPPING') return;
  context.notify(order.shopId, 'ORDER_STATUS_CHANGE', {
    order_id: order.id,
    order_status: status === 'CANCELLED' ? 'CANCEL' : status,
    is_on_hold_order: order.holdOnPayment && (status === 'UNPAID' || status === 'ON_HOLD'),
    update_time: order.updateTime,
  });
}

/** What a buyer puts in the basket. */
export interface TikTokOrderItemInput {
  skuId: string;
  /** Units (default 1); each unit becomes its own line item, as on TikTok. */
  quantity?: number;
}

/** A buyer's order, as {@link TikTokSandbox.placeOrder} takes it. */
export interface TikTokPlaceOrderInput {
  items: TikTokOrderItemInput[];
  /** Checked against the SKUs' shop when given. */
  shopId?: string;
  buyerUserId?: string;
  buyerMessage?: string;
  /** Default `TIKTOK` (platform label). */
  shippingType?: 'TIKTOK' | 'SELLER';
  /** Warehouse the stock is taken from; default the shop's default sales warehouse. */
  warehouseId?: string;
  /** Buyer-paid shipping as a decimal string; default `"0"`. */
  shippingFee?: string;
  /** Goes to `ON_HOLD` (buyer-remorse window) when paid, until released. */
  holdOnPayment?: boolean;
  recipientAddress?: Partial<TikTokSandboxOrder['recipientAddress']>;
  /**
   * Brazil: the order needs an NF-e before it ships. Default: true for a local Brazilian shop
   * (uploading is mandatory for local sellers), ignored elsewhere.
   */
  invoiceRequired?: boolean;
  /** Brazil: the buyer's CPF. Default: a sample CPF. */
  cpf?: string;
}

/**
 * A buyer's `district_info` in the shop's market, levels named as TikTok names them there: the
 * same level number means different things (L2 is a county in the US, the city in Brazil).
 */
export function defaultDistricts(region: string): TikTokSandboxDistrict[] {
  const levels: Record<string, Array<[string, string]>> = {
    BR: [
      ['Country', 'Brasil'],
      ['State', 'São Paulo'],
      ['City', 'São Paulo'],
      ['District', 'Consolação'],
    ],
    US: [
      ['Country', 'United States'],
      ['State', 'California'],
      ['County', 'Los Angeles County'],
      ['City', 'Los Angeles'],
    ],
  };
  return (levels[region] ?? [['Country', region]]).map(([levelName, name], index) => ({
    level: `L${index}`,
    levelName,
    name,
  }));
}

/** Places an order (`UNPAID`), taking its units out of the warehouse's available stock. */
export function placeOrder(context: TikTokSandboxContext, input: TikTokPlaceOrderInput): TikTokSandboxOrder {
  if (input.items.length === 0) throw new TikTokSandboxError('An order needs at least one item');
  if (input.shippingFee !== undefined && !isDecimalString(input.shippingFee)) {
    throw new TikTokSandboxError(
      `shippingFee must be a decimal string like "3.50", not "${input.shippingFee}"`,
    );
  }
  const resolved = input.items.map((item) => {
    const found = findSku(context, item.skuId);
    if (!found) throw new TikTokSandboxError(`No SKU ${item.skuId} in the sandbox`);
    const quantity = item.quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 1) {
      throw new TikTokSandboxError(`Quantity of SKU ${item.skuId} must be a whole number from 1`);
    }
    if (found.product.status !== 'ACTIVATE') {
      throw new TikTokSandboxError(`Product ${found.product.id} is ${found.product.status}, not on sale`);
    }
    return { ...found, quantity };
  });
  const shopId = input.shopId ?? resolved[0]?.product.shopId ?? '';
  const shop = requireShop(context, shopId);
  if (resolved.some((entry) => entry.product.shopId !== shop.id)) {
    throw new TikTokSandboxError(`All items of an order must come from shop ${shop.id}`);
  }
  const warehouseId = input.warehouseId ?? defaultWarehouseId(shop);
  if (!shop.warehouses.some((warehouse) => warehouse.id === warehouseId)) {
    throw new TikTokSandboxError(`Shop ${shop.id} has no warehouse ${warehouseId}`);
  }
  const wanted = new Map<TikTokSandboxSku, number>();
  for (const entry of resolved) wanted.set(entry.sku, (wanted.get(entry.sku) ?? 0) + entry.quantity);
  for (const [sku, quantity] of wanted) {
    const available = sku.inventory.find((row) => row.warehouseId === warehouseId)?.quantity ?? 0;
    if (available < quantity) {
      throw new TikTokSandboxError(
        `Not enough stock of SKU ${sku.id} in warehouse ${warehouseId}: ${available} available, ${quantity} wanted`,
      );
    }
  }
  for (const [sku, quantity] of wanted) adjustStock(sku, warehouseId, -quantity);

  const now = context.nowSeconds();
  const userId = input.buyerUserId ?? context.state.nextId('buyer');
  const lineItems: TikTokSandboxLineItem[] = resolved.flatMap(({ product, sku, quantity }) =>
    Array.from({ length: quantity }, () => ({
      id: context.state.nextId('lineItem'),
      productId: product.id,
      productName: product.title,
      skuId: sku.id,
      skuName: sku.salesAttributes.map((attribute) => attribute.valueName).join(', ') || 'Default',
      sellerSku: sku.sellerSku,
      salePrice: sku.price.amount,
      originalPrice: sku.price.amount,
      currency: sku.price.currency,
      displayStatus: 'UNPAID' as const,
      packageStatus: 'TO_FULFILL' as const,
    })),
  );
  const order: TikTokSandboxOrder = {
    id: context.state.nextId('order'),
    shopId: shop.id,
    status: 'UNPAID',
    createTime: now,
    updateTime: now,
    userId,
    buyerEmail: `v${userId}@scs.sandbox.tiktokw.test`,
    buyerMessage: input.buyerMessage ?? '',
    currency: shop.currency,
    shippingFee: input.shippingFee ?? '0',
    lineItems,
    recipientAddress: {
      name: 'Sandbox Buyer',
      phoneNumber: '(+44)7700900000',
      fullAddress: '1 Sandbox Street, London, SW1A 1AA',
      addressLine1: '1 Sandbox Street',
      postalCode: 'SW1A 1AA',
      regionCode: shop.region,
      districts: defaultDistricts(shop.region),
      ...input.recipientAddress,
    },
    shippingType: input.shippingType ?? 'TIKTOK',
    warehouseId,
    holdOnPayment: input.holdOnPayment ?? false,
    isBuyerRequestCancel: false,
    packageIds: [],
    ...(shop.region === 'BR'
      ? {
          invoiceStatus:
            (input.invoiceRequired ?? shop.sellerType === 'LOCAL')
              ? ('NEED_INVOICE' as const)
              : ('NO_NEED' as const),
          cpf: input.cpf ?? '52998224725',
          cpfName: 'Maria da Silva',
        }
      : {}),
  };
  context.state.orders.set(order.id, order);
  context.notify(order.shopId, 'ORDER_STATUS_CHANGE', {
    order_id: order.id,
    order_status: 'UNPAID',
    is_on_hold_order: order.holdOnPayment,
    update_time: now,
  });
  return order;
}

function requireStatus(
  order: TikTokSandboxOrder,
  allowed: readonly TikTokOrderStatus[],
  action: string,
): void {
  if (!allowed.includes(order.status)) {
    throw tiktokError('orderStatusConflict', `Cannot ${action} order ${order.id}: it is ${order.status}`);
  }
}

/** Creates the order's package, except where seller-shipped packages appear only when marked shipped. */
function createPackages(context: TikTokSandboxContext, order: TikTokSandboxOrder): void {
  const shop = requireShop(context, order.shopId);
  if (order.shippingType === 'SELLER' && shop.packagesCreatedOnMarkShipped) return;
  const items = order.lineItems.filter((item) => item.displayStatus !== 'CANCELLED' && !item.packageId);
  if (items.length === 0) return;
  const now = context.nowSeconds();
  const pkg: TikTokSandboxPackage = {
    id: context.state.nextId('package'),
    shopId: order.shopId,
    orderId: order.id,
    lineItemIds: items.map((item) => item.id),
    status: 'TO_FULFILL',
    shippingType: order.shippingType,
    createTime: now,
    updateTime: now,
    tracking: [],
  };
  for (const item of items) item.packageId = pkg.id;
  order.packageIds.push(pkg.id);
  context.state.packages.set(pkg.id, pkg);
}

/** The buyer pays: `AWAITING_SHIPMENT` (or `ON_HOLD`), and the package appears. */
export function payOrder(context: TikTokSandboxContext, order: TikTokSandboxOrder): void {
  requireStatus(order, ['UNPAID'], 'pay');
  order.paidTime = context.nowSeconds();
  if (order.holdOnPayment) {
    setOrderStatus(context, order, 'ON_HOLD');
    return;
  }
  createPackages(context, order);
  setOrderStatus(context, order, 'AWAITING_SHIPMENT');
}

/** The hold window ends: `ON_HOLD` → `AWAITING_SHIPMENT`. */
export function releaseHold(context: TikTokSandboxContext, order: TikTokSandboxOrder): void {
  requireStatus(order, ['ON_HOLD'], 'release the hold of');
  createPackages(context, order);
  setOrderStatus(context, order, 'AWAITING_SHIPMENT');
}

/** Who cancelled. */
export type TikTokCancelInitiator = 'SELLER' | 'BUYER' | 'SYSTEM';

/** Cancels an order that has not shipped; its units go back to the warehouse they came from. */
export function cancelOrder(
  context: TikTokSandboxContext,
  order: TikTokSandboxOrder,
  initiator: TikTokCancelInitiator,
  reason: string,
): void {
  const shipped = order.lineItems.some(
    (item) => item.packageStatus !== 'TO_FULFILL' && item.packageStatus !== 'CANCELLED',
  );
  if (shipped || !['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT'].includes(order.status)) {
    throw tiktokError(
      'cancellationNotAllowed',
      `Order ${order.id} is ${order.status} and can no longer be cancelled`,
    );
  }
  for (const item of order.lineItems) {
    if (item.displayStatus === 'CANCELLED') continue;
    const found = findSku(context, item.skuId);
    if (found) adjustStock(found.sku, order.warehouseId, 1);
    item.displayStatus = 'CANCELLED';
    item.packageStatus = 'CANCELLED';
    item.cancelReason = reason;
    item.cancelUser = initiator;
  }
  for (const packageId of order.packageIds) {
    const pkg = context.state.packages.get(packageId);
    if (pkg) {
      pkg.status = 'CANCELLED';
      pkg.updateTime = context.nowSeconds();
    }
  }
  order.cancelTime = context.nowSeconds();
  order.cancelReason = reason;
  order.cancellationInitiator = initiator;
  order.isBuyerRequestCancel = false;
  setOrderStatus(context, order, 'CANCELLED');
}

function addTracking(context: TikTokSandboxContext, pkg: TikTokSandboxPackage, description: string): void {
  pkg.tracking.push({ description, updateTimeMillis: context.clock.now() });
  pkg.updateTime = context.nowSeconds();
}

function providerName(context: TikTokSandboxContext, providerId: string): string {
  const provider = context.settings.shippingProviders.find((candidate) => candidate.id === providerId);
  if (!provider)
    throw tiktokError('shippingProviderInvalid', `shipping_provider_id ${providerId} does not exist`);
  return provider.name;
}

/** After packages moved: the order's status follows the least advanced of its line items. */
function settleShippingStatus(context: TikTokSandboxContext, order: TikTokSandboxOrder): void {
  const live = order.lineItems.filter((item) => item.displayStatus !== 'CANCELLED');
  const statuses = new Set(live.map((item) => item.packageStatus));
  if (statuses.has('TO_FULFILL')) {
    if (statuses.size > 1) setOrderStatus(context, order, 'PARTIALLY_SHIPPING');
  } else if (statuses.has('PROCESSING')) {
    setOrderStatus(context, order, 'AWAITING_COLLECTION');
  } else {
    setOrderStatus(context, order, 'IN_TRANSIT');
  }
  // setOrderStatus skips an unchanged status, but line items may have moved within it.
  for (const item of order.lineItems) item.displayStatus = lineItemStatusFor(order, item);
}

function updateItems(
  order: TikTokSandboxOrder,
  pkg: TikTokSandboxPackage,
  fields: Partial<TikTokSandboxLineItem>,
): void {
  for (const item of order.lineItems) {
    if (pkg.lineItemIds.includes(item.id)) Object.assign(item, fields);
  }
}

/** Seller's own carrier and tracking number. */
export interface TikTokSelfShipment {
  shippingProviderId: string;
  trackingNumber: string;
}

/**
 * `POST /fulfillment/202309/packages/{id}/ship`: TikTok-shipped packages are handed over
 * (`PROCESSING`, order `AWAITING_COLLECTION`); seller-shipped ones carry the seller's tracking
 * and are on their way (`FULFILLING`, order `IN_TRANSIT`).
 */
export function shipPackage(
  context: TikTokSandboxContext,
  pkg: TikTokSandboxPackage,
  input: { handoverMethod?: 'PICKUP' | 'DROP_OFF'; selfShipment?: TikTokSelfShipment },
): void {
  const order = context.state.orders.get(pkg.orderId);
  if (!order) throw tiktokError('orderNotFound');
  requireInvoice(context, order);
  if (pkg.status !== 'TO_FULFILL') {
    throw tiktokError('packageStatusConflict', `Package ${pkg.id} is ${pkg.status}, not TO_FULFILL`);
  }
  requireStatus(order, ['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING'], 'ship');
  const now = context.nowSeconds();
  if (pkg.shippingType === 'SELLER') {
    if (!input.selfShipment) {
      throw tiktokError('invalidParam', 'self_shipment is required for a package the seller ships');
    }
    const name = providerName(context, input.selfShipment.shippingProviderId);
    pkg.shippingProviderId = input.selfShipment.shippingProviderId;
    pkg.shippingProviderName = name;
    pkg.trackingNumber = input.selfShipment.trackingNumber;
    pkg.status = 'FULFILLING';
    addTracking(context, pkg, 'The seller has shipped the package');
  } else {
    if (input.selfShipment) {
      throw tiktokError('invalidParam', 'self_shipment is only for packages the seller ships');
    }
    const provider = context.settings.shippingProviders[0];
    pkg.shippingProviderId = provider?.id;
    pkg.shippingProviderName = provider?.name;
    pkg.trackingNumber = `TT${pkg.id.slice(-12)}GB`;
    pkg.handoverMethod = input.handoverMethod ?? 'PICKUP';
    pkg.status = 'PROCESSING';
    addTracking(context, pkg, 'Shipping label created, awaiting carrier collection');
  }
  pkg.shippedTime = now;
  order.rtsTime = now;
  updateItems(order, pkg, {
    packageStatus: pkg.status,
    trackingNumber: pkg.trackingNumber,
    shippingProviderId: pkg.shippingProviderId,
    shippingProviderName: pkg.shippingProviderName,
    rtsTime: now,
  });
  settleShippingStatus(context, order);
}

/**
 * `POST /fulfillment/202309/orders/{order_id}/packages` ("mark package as shipped"): a
 * seller-shipped order's line items get a new package with the seller's carrier and tracking.
 */
export function markShipped(
  context: TikTokSandboxContext,
  order: TikTokSandboxOrder,
  input: { lineItemIds: string[]; shippingProviderId: string; trackingNumber: string },
): TikTokSandboxPackage {
  requireInvoice(context, order);
  requireStatus(order, ['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING'], 'mark as shipped');
  if (order.shippingType !== 'SELLER') {
    throw tiktokError(
      'orderStatusConflict',
      `Order ${order.id} is shipped by TikTok; ship its package instead`,
    );
  }
  const wanted = new Set(input.lineItemIds);
  const items = order.lineItems.filter((item) => wanted.has(item.id));
  const bad = [...wanted].filter((id) => {
    const item = items.find((candidate) => candidate.id === id);
    return !item || item.displayStatus === 'CANCELLED' || item.packageStatus !== 'TO_FULFILL';
  });
  if (bad.length > 0) {
    throw tiktokError('lineItemInvalid', `order_line_item_ids not shippable: ${bad.join(',')}`);
  }
  const name = providerName(context, input.shippingProviderId);
  const now = context.nowSeconds();
  // Line items that already sat in an unshipped package move to the new one.
  for (const item of items) {
    const previous = item.packageId ? context.state.packages.get(item.packageId) : undefined;
    if (previous) previous.lineItemIds = previous.lineItemIds.filter((id) => id !== item.id);
  }
  const pkg: TikTokSandboxPackage = {
    id: context.state.nextId('package'),
    shopId: order.shopId,
    orderId: order.id,
    lineItemIds: items.map((item) => item.id),
    status: 'FULFILLING',
    shippingType: 'SELLER',
    trackingNumber: input.trackingNumber,
    shippingProviderId: input.shippingProviderId,
    shippingProviderName: name,
    createTime: now,
    updateTime: now,
    shippedTime: now,
    tracking: [],
  };
  addTracking(context, pkg, 'The seller has shipped the package');
  context.state.packages.set(pkg.id, pkg);
  order.packageIds.push(pkg.id);
  order.rtsTime = now;
  for (const item of items) item.packageId = pkg.id;
  updateItems(order, pkg, {
    packageStatus: 'FULFILLING',
    trackingNumber: pkg.trackingNumber,
    shippingProviderId: pkg.shippingProviderId,
    shippingProviderName: name,
    rtsTime: now,
  });
  settleShippingStatus(context, order);
  return pkg;
}

/** The carrier collects the order's handed-over packages: `IN_TRANSIT`. */
export function collectOrder(context: TikTokSandboxContext, order: TikTokSandboxOrder): void {
  requireStatus(order, ['AWAITING_COLLECTION'], 'collect');
  for (const packageId of order.packageIds) {
    const pkg = context.state.packages.get(packageId);
    if (pkg?.status !== 'PROCESSING') continue;
    pkg.status = 'FULFILLING';
    addTracking(context, pkg, 'The carrier has collected the package');
    updateItems(order, pkg, { packageStatus: 'FULFILLING' });
  }
  order.collectionTime = context.nowSeconds();
  settleShippingStatus(context, order);
}

/** The carrier delivers: `DELIVERED`, packages `COMPLETED`. */
export function deliverOrder(context: TikTokSandboxContext, order: TikTokSandboxOrder): void {
  requireStatus(order, ['IN_TRANSIT'], 'deliver');
  for (const packageId of order.packageIds) {
    const pkg = context.state.packages.get(packageId);
    if (pkg?.status !== 'FULFILLING') continue;
    pkg.status = 'COMPLETED';
    addTracking(context, pkg, 'The package has been delivered');
    updateItems(order, pkg, { packageStatus: 'COMPLETED' });
  }
  order.deliveryTime = context.nowSeconds();
  setOrderStatus(context, order, 'DELIVERED');
}

/** The return window closes: `COMPLETED`. */
export function completeOrder(context: TikTokSandboxContext, order: TikTokSandboxOrder): void {
  requireStatus(order, ['DELIVERED'], 'complete');
  setOrderStatus(context, order, 'COMPLETED');
}

// ---------------------------------------------------------------------------------------------
// Cancellations (return_refund module)

function notifyCancellation(context: TikTokSandboxContext, cancellation: TikTokSandboxCancellation): void {
  context.notify(cancellation.shopId, 'CANCELLATION_STATUS_CHANGE', {
    order_id: cancellation.orderId,
    cancel_id: cancellation.id,
    cancel_status: cancellation.status,
    cancellations_role: cancellation.role,
    create_time: cancellation.createTime,
  });
}

function newCancellation(
  context: TikTokSandboxContext,
  order: TikTokSandboxOrder,
  role: TikTokSandboxCancellation['role'],
  reason: string,
  status: TikTokSandboxCancellation['status'],
): TikTokSandboxCancellation {
  const now = context.nowSeconds();
  const cancellation: TikTokSandboxCancellation = {
    id: context.state.nextId('cancellation'),
    orderId: order.id,
    shopId: order.shopId,
    status,
    type: role === 'BUYER' ? 'BUYER_CANCEL' : 'CANCEL',
    reason,
    role,
    lineItemIds: order.lineItems.filter((item) => item.displayStatus !== 'CANCELLED').map((item) => item.id),
    createTime: now,
    updateTime: now,
  };
  context.state.cancellations.set(cancellation.id, cancellation);
  return cancellation;
}

/** The seller cancels the whole order (`POST /return_refund/202309/cancellations`). */
export function sellerCancel(
  context: TikTokSandboxContext,
  order: TikTokSandboxOrder,
  reason: string,
): TikTokSandboxCancellation {
  const lineItemIds = order.lineItems
    .filter((item) => item.displayStatus !== 'CANCELLED')
    .map((item) => item.id);
  cancelOrder(context, order, 'SELLER', reason);
  const cancellation = newCancellation(context, order, 'SELLER', reason, 'CANCELLATION_REQUEST_SUCCESS');
  cancellation.lineItemIds = lineItemIds;
  notifyCancellation(context, cancellation);
  return cancellation;
}

/** The buyer asks to cancel; the seller approves or rejects through the API. */
export function requestCancellation(
  context: TikTokSandboxContext,
  order: TikTokSandboxOrder,
  reason: string,
): TikTokSandboxCancellation {
  requireStatus(order, ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT'], 'request the cancellation of');
  const open = [...context.state.cancellations.values()].some(
    (entry) => entry.orderId === order.id && entry.status === 'CANCELLATION_REQUEST_PENDING',
  );
  if (open) throw new TikTokSandboxError(`Order ${order.id} already has a pending cancellation request`);
  const cancellation = newCancellation(context, order, 'BUYER', reason, 'CANCELLATION_REQUEST_PENDING');
  order.isBuyerRequestCancel = true;
  order.updateTime = context.nowSeconds();
  notifyCancellation(context, cancellation);
  return cancellation;
}

/** The seller approves a buyer's request: the order is cancelled and its stock returns. */
export function approveCancellation(
  context: TikTokSandboxContext,
  cancellation: TikTokSandboxCancellation,
): void {
  if (cancellation.status !== 'CANCELLATION_REQUEST_PENDING') throw tiktokError('cancellationNotAllowed');
  const order = context.state.orders.get(cancellation.orderId);
  if (!order) throw tiktokError('orderNotFound');
  cancelOrder(context, order, 'BUYER', cancellation.reason);
  cancellation.status = 'CANCELLATION_REQUEST_SUCCESS';
  cancellation.updateTime = context.nowSeconds();
  notifyCancellation(context, cancellation);
}

/** The seller rejects a buyer's request: the order carries on. */
export function rejectCancellation(
  context: TikTokSandboxContext,
  cancellation: TikTokSandboxCancellation,
  reason: string,
): void {
  if (cancellation.status !== 'CANCELLATION_REQUEST_PENDING') throw tiktokError('cancellationNotAllowed');
  const order = context.state.orders.get(cancellation.orderId);
  cancellation.status = 'CANCELLATION_REQUEST_CANCEL';
  cancellation.rejectReason = reason;
  cancellation.updateTime = context.nowSeconds();
  if (order) {
    order.isBuyerRequestCancel = false;
    order.updateTime = cancellation.updateTime;
  }
  notifyCancellation(context, cancellation);
}

/** How long the sandbox takes to verify an uploaded NF-e with the tax authority. */
export const TIKTOK_INVOICE_VERIFICATION_SECONDS = 30;

/**
 * Reports the verification of an uploaded NF-e once its time has come: `INVOICE_UPLOADED` and
 * webhook 36 `SUCCESS`, or back to `NEED_INVOICE` and webhook 36 `FAILED` with the reason.
 */
export function settleInvoice(context: TikTokSandboxContext, order: TikTokSandboxOrder): void {
  const upload = order.pendingInvoice;
  if (!upload || context.nowSeconds() < upload.verifiesAt) return;
  order.pendingInvoice = undefined;
  order.invoiceStatus = upload.outcome === 'SUCCESS' ? 'INVOICE_UPLOADED' : 'NEED_INVOICE';
  if (upload.outcome !== 'SUCCESS') order.invoiceAccessKey = undefined;
  order.updateTime = context.nowSeconds();
  context.notify(order.shopId, 'INVOICE_STATUS_CHANGE', {
    package_id: upload.packageId,
    order_ids: [order.id],
    invoice_status: upload.outcome,
    invalid_reason: upload.invalidReason ?? null,
  });
}

/** A Brazilian package ships only once its NF-e is verified (reference §8.1). */
export function requireInvoice(context: TikTokSandboxContext, order: TikTokSandboxOrder): void {
  settleInvoice(context, order);
  if (order.invoiceStatus === 'NEED_INVOICE' || order.invoiceStatus === 'INVOICE_PROCESSING') {
    throw tiktokError(
      'packageStatusConflict',
      `Order ${order.id} needs a verified invoice before it ships (need_upload_invoice ${order.invoiceStatus})`,
    );
  }
}
