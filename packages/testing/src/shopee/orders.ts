import { randomHex } from '../shared/random';
import { nowSeconds, type ShopeeContext } from './context';
import { type ShopeeIdInput, toId } from './params';
import { marketPrice, multiplyDecimal, sumDecimals } from './prices';
import type {
  ShopeeInvoiceDataRecord,
  ShopeeItemRecord,
  ShopeeModelRecord,
  ShopeeOrderLineRecord,
  ShopeeOrderRecord,
  ShopeeOrderStatus,
  ShopeeShopRecord,
} from './state';

/** A line of {@link ShopeePlaceOrderInput}. */
export interface ShopeeOrderLineInput {
  itemId: ShopeeIdInput;
  /** Required for items with models; omit (or 0) for items without. */
  modelId?: ShopeeIdInput;
  quantity: number;
  /** Price paid per unit after discounts. Default: the model's current price. */
  discountedPrice?: number | string;
}

/** What a buyer orders in {@link ShopeeSandbox.placeOrder}. */
export interface ShopeePlaceOrderInput {
  shopId: number;
  items: readonly ShopeeOrderLineInput[];
  /** Default: generated, Shopee-shaped (`YYMMDD` + 8 characters). */
  orderSn?: string;
  cod?: boolean;
  messageToSeller?: string;
  buyer?: { userId?: number; username?: string };
  recipient?: Partial<ShopeeOrderRecord['recipient']>;
  /** Shipping fee the buyer pays. Default 0. */
  shippingFee?: number | string;
  /** A channel enabled on the shop. Default: its first channel. */
  logisticsChannelId?: number;
  daysToShip?: number;
  paymentMethod?: string;
  /** Brazil: the buyer's CPF. Default for Brazilian shops: a sample CPF. Ignored elsewhere. */
  buyerCpfId?: string;
  /** Brazil: the order's invoice data, once the NF-e is issued. Ignored elsewhere. */
  invoiceData?: ShopeeInvoiceDataRecord;
}

/** Thrown by the drivers when a test asks for something the marketplace would not allow. */
export class ShopeeSandboxError extends Error {
  override readonly name = 'ShopeeSandboxError';
}

const DAY = 24 * 60 * 60;

function findModel(item: ShopeeItemRecord, modelId: bigint): ShopeeModelRecord | undefined {
  return item.models.find((model) => model.modelId === modelId);
}

/** The display name of a model: its tier options joined by commas (e.g. `"Red,L"`). */
export function modelName(item: ShopeeItemRecord, model: ShopeeModelRecord | undefined): string {
  if (!model) return '';
  return model.tierIndex.map((option, tier) => item.tierVariation[tier]?.options[option] ?? '').join(',');
}

/** Queues the order-status push (code 3) for the order's shop. */
function pushStatus(context: ShopeeContext, order: ShopeeOrderRecord): void {
  context.pushes.forShop(order.shopId, 3, {
    items: [],
    ordersn: order.orderSn,
    status: order.status,
    update_time: order.updateTime,
  });
}

function setStatus(context: ShopeeContext, order: ShopeeOrderRecord, status: ShopeeOrderStatus): void {
  order.status = status;
  order.updateTime = nowSeconds(context);
  pushStatus(context, order);
}

function track(
  context: ShopeeContext,
  order: ShopeeOrderRecord,
  logisticsStatus: string,
  description: string,
): void {
  order.package.tracking.push({ updateTime: nowSeconds(context), description, logisticsStatus });
}

function requireStatus(
  order: ShopeeOrderRecord,
  allowed: readonly ShopeeOrderStatus[],
  action: string,
): void {
  if (!allowed.includes(order.status)) {
    throw new ShopeeSandboxError(`Cannot ${action} order ${order.orderSn} in status ${order.status}`);
  }
}

/** Looks an order up or throws. */
export function getOrderOrThrow(context: ShopeeContext, orderSn: string): ShopeeOrderRecord {
  const order = context.state.orders.get(orderSn);
  if (!order) throw new ShopeeSandboxError(`Unknown order ${orderSn}`);
  return order;
}

/** A buyer places an order: stock is taken from each model at once, the order is UNPAID. */
export function placeOrder(context: ShopeeContext, input: ShopeePlaceOrderInput): ShopeeOrderRecord {
  const { state } = context;
  const shop: ShopeeShopRecord | undefined = state.shops.get(input.shopId);
  if (!shop) throw new ShopeeSandboxError(`Unknown shop ${input.shopId}`);
  if (input.items.length === 0) throw new ShopeeSandboxError('An order needs at least one item');
  const channel =
    input.logisticsChannelId === undefined
      ? shop.channels[0]
      : shop.channels.find((candidate) => candidate.logisticsChannelId === input.logisticsChannelId);
  if (!channel)
    throw new ShopeeSandboxError(`Shop ${shop.shopId} has no logistics channel ${input.logisticsChannelId}`);

  const picks = input.items.map((line) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw new ShopeeSandboxError(`Invalid quantity ${line.quantity}`);
    }
    const itemId = toId(line.itemId);
    const item = state.items.get(itemId);
    if (!item || item.shopId !== shop.shopId)
      throw new ShopeeSandboxError(`Unknown item ${itemId} in shop ${shop.shopId}`);
    if (item.status !== 'NORMAL') throw new ShopeeSandboxError(`Item ${itemId} is ${item.status}`);
    const modelId = line.modelId === undefined ? 0n : toId(line.modelId);
    const model = item.models.length > 0 ? findModel(item, modelId) : undefined;
    if (item.models.length > 0 && !model)
      throw new ShopeeSandboxError(`Unknown model ${modelId} of item ${itemId}`);
    if (model && model.status !== 'MODEL_NORMAL')
      throw new ShopeeSandboxError(`Model ${modelId} is unavailable`);
    if (item.models.length === 0 && modelId !== 0n)
      throw new ShopeeSandboxError(`Item ${itemId} has no models`);
    return { line, item, model };
  });
  // Check every line before taking any stock, so a failed order leaves stock untouched.
  const wanted = new Map<ShopeeItemRecord | ShopeeModelRecord, number>();
  for (const { line, item, model } of picks) {
    const holder = model ?? item;
    wanted.set(holder, (wanted.get(holder) ?? 0) + line.quantity);
  }
  for (const [holder, quantity] of wanted) {
    if (holder.stock < quantity) {
      throw new ShopeeSandboxError(`Not enough stock: ${holder.stock} available, ${quantity} ordered`);
    }
  }
  for (const [holder, quantity] of wanted) holder.stock -= quantity;

  const now = nowSeconds(context);
  const lines: ShopeeOrderLineRecord[] = picks.map(({ line, item, model }) => {
    const unit = model?.price ?? item.price;
    return {
      itemId: item.itemId,
      itemName: item.name,
      itemSku: item.sku,
      modelId: model?.modelId ?? 0n,
      modelName: modelName(item, model),
      modelSku: model?.sku ?? '',
      quantity: line.quantity,
      originalPrice: unit,
      discountedPrice:
        line.discountedPrice === undefined ? unit : marketPrice(line.discountedPrice, shop.region),
      orderItemId: model?.modelId ?? item.itemId,
    };
  });
  const shippingFee = marketPrice(input.shippingFee ?? 0, shop.region);
  const daysToShip = input.daysToShip ?? 2;
  const orderSn = input.orderSn ?? context.ids.orderSn(now);
  if (state.orders.has(orderSn)) throw new ShopeeSandboxError(`Order ${orderSn} already exists`);
  const order: ShopeeOrderRecord = {
    orderSn,
    shopId: shop.shopId,
    region: shop.region,
    currency: shop.currency,
    cod: input.cod ?? false,
    status: 'UNPAID',
    statusBeforeCancelRequest: undefined,
    createTime: now,
    updateTime: now,
    payTime: undefined,
    daysToShip,
    shipByDate: now + daysToShip * DAY,
    messageToSeller: input.messageToSeller ?? '',
    note: '',
    noteUpdateTime: undefined,
    buyerUserId: input.buyer?.userId ?? 100_000_000 + state.orders.size + 1,
    buyerUsername: input.buyer?.username ?? 'b****r',
    recipient: {
      name: 'N****n',
      phone: '******64',
      fullAddress: '******',
      city: 'City',
      state: 'State',
      district: '',
      town: '',
      region: shop.region,
      zipcode: '',
      ...input.recipient,
    },
    lines,
    estimatedShippingFee: shippingFee,
    actualShippingFee: undefined,
    totalAmount: sumDecimals([
      ...lines.map((l) => multiplyDecimal(l.discountedPrice, l.quantity)),
      shippingFee,
    ]),
    paymentMethod: input.paymentMethod ?? (input.cod ? 'Cash on Delivery' : 'Online Payment'),
    cancelBy: undefined,
    cancelReason: undefined,
    buyerCancelReason: undefined,
    buyerCpfId: shop.region === 'BR' ? (input.buyerCpfId ?? '52998224725') : undefined,
    invoiceData: shop.region === 'BR' ? input.invoiceData : undefined,
    package: {
      packageNumber: `OFG${String(100_000_000_000_000 + state.orders.size + 1)}`,
      logisticsStatus: 'LOGISTICS_NOT_START',
      logisticsChannelId: channel.logisticsChannelId,
      shippingCarrier: channel.name,
      integrated: channel.integrated,
      trackingNumber: '',
      shipMethod: undefined,
      pickupDoneTime: undefined,
      tracking: [],
    },
  };
  state.orders.set(orderSn, order);
  pushStatus(context, order);
  return order;
}

/** The buyer pays (or COD screening passes): UNPAID → READY_TO_SHIP, package LOGISTICS_READY. */
export function payOrder(context: ShopeeContext, orderSn: string): ShopeeOrderRecord {
  const order = getOrderOrThrow(context, orderSn);
  requireStatus(order, ['UNPAID'], 'pay');
  const now = nowSeconds(context);
  order.payTime = now;
  order.shipByDate = now + order.daysToShip * DAY;
  order.package.logisticsStatus = 'LOGISTICS_READY';
  setStatus(context, order, 'READY_TO_SHIP');
  return order;
}

/** Returns the stock an order took. */
function restock(context: ShopeeContext, order: ShopeeOrderRecord): void {
  for (const line of order.lines) {
    const item = context.state.items.get(line.itemId);
    if (!item) continue;
    const holder = line.modelId === 0n ? item : findModel(item, line.modelId);
    if (holder) holder.stock += line.quantity;
  }
}

/** Statuses from which an order can still be cancelled (nothing has left the seller). */
export const CANCELLABLE_STATUSES: readonly ShopeeOrderStatus[] = [
  'UNPAID',
  'READY_TO_SHIP',
  'PROCESSED',
  'RETRY_SHIP',
  'IN_CANCEL',
];

/** Cancels an order before shipment and puts its stock back. */
export function cancelOrder(
  context: ShopeeContext,
  orderSn: string,
  options: { by?: 'buyer' | 'seller' | 'system' | 'Ops'; reason?: string } = {},
): ShopeeOrderRecord {
  const order = getOrderOrThrow(context, orderSn);
  requireStatus(order, CANCELLABLE_STATUSES, 'cancel');
  const by = options.by ?? 'buyer';
  order.cancelBy = by;
  order.cancelReason = options.reason ?? (by === 'buyer' ? 'Change of mind' : 'Out of Stock');
  if (by === 'buyer') order.buyerCancelReason = order.cancelReason;
  order.statusBeforeCancelRequest = undefined;
  const wasArranged = order.package.logisticsStatus === 'LOGISTICS_REQUEST_CREATED';
  order.package.logisticsStatus = wasArranged ? 'LOGISTICS_REQUEST_CANCELED' : 'LOGISTICS_INVALID';
  if (wasArranged) track(context, order, 'CANCELED', 'Shipment cancelled');
  restock(context, order);
  setStatus(context, order, 'CANCELLED');
  return order;
}

/** The buyer asks to cancel: the order goes IN_CANCEL until the seller accepts or rejects. */
export function requestCancellation(
  context: ShopeeContext,
  orderSn: string,
  reason: string,
): ShopeeOrderRecord {
  const order = getOrderOrThrow(context, orderSn);
  requireStatus(order, ['READY_TO_SHIP', 'PROCESSED', 'RETRY_SHIP'], 'request cancellation of');
  order.statusBeforeCancelRequest = order.status;
  order.buyerCancelReason = reason;
  setStatus(context, order, 'IN_CANCEL');
  return order;
}

/** The seller rejects a buyer's cancellation request: the order goes back to where it was. */
export function rejectCancellation(context: ShopeeContext, order: ShopeeOrderRecord): void {
  const previous = order.statusBeforeCancelRequest ?? 'READY_TO_SHIP';
  order.statusBeforeCancelRequest = undefined;
  setStatus(context, order, previous);
}

/** How the seller hands the package over. */
export type ShopeeShipMethod = 'pickup' | 'dropoff' | 'non_integrated';

/** A tracking number the way the order's carrier prints it. */
function newTrackingNumber(order: ShopeeOrderRecord): string {
  const digits = String(BigInt(`0x${randomHex(12)}`) % 1_000_000_000_000n).padStart(12, '0');
  return `SPX${order.region}${digits}`;
}

/**
 * Arranges shipment (`ship_order`): pickup/dropoff → PROCESSED with a 3PL tracking number;
 * non-integrated → straight to SHIPPED with the seller's tracking number.
 */
export function arrangeShipment(
  context: ShopeeContext,
  order: ShopeeOrderRecord,
  method: ShopeeShipMethod,
  trackingNumber?: string,
): void {
  const pkg = order.package;
  pkg.shipMethod = method;
  if (method === 'non_integrated') {
    pkg.trackingNumber = trackingNumber ?? newTrackingNumber(order);
    pkg.logisticsStatus = 'LOGISTICS_PICKUP_DONE';
    pkg.pickupDoneTime = nowSeconds(context);
    track(context, order, 'PICKED_UP', 'Parcel has been handed over by the seller');
    setStatus(context, order, 'SHIPPED');
  } else {
    pkg.trackingNumber = trackingNumber ?? newTrackingNumber(order);
    pkg.logisticsStatus = 'LOGISTICS_REQUEST_CREATED';
    track(context, order, 'ORDER_CREATED', 'Seller has arranged shipment');
    setStatus(context, order, 'PROCESSED');
  }
  context.pushes.forShop(
    order.shopId,
    4,
    {
      ordersn: order.orderSn,
      forder_id: `5867${(BigInt(`0x${randomHex(14)}`) % 10n ** 15n).toString().padStart(15, '0')}`,
      package_number: pkg.packageNumber,
      tracking_no: pkg.trackingNumber,
    },
    { msgId: randomHex(32) },
  );
}

/** The 3PL picks the parcel up (arranging a pickup first if the seller had not): → SHIPPED. */
export function shipOrder(context: ShopeeContext, orderSn: string): ShopeeOrderRecord {
  const order = getOrderOrThrow(context, orderSn);
  requireStatus(order, ['READY_TO_SHIP', 'PROCESSED', 'RETRY_SHIP'], 'ship');
  if (order.status !== 'PROCESSED') {
    arrangeShipment(context, order, order.package.integrated ? 'pickup' : 'non_integrated');
    if (order.status === 'SHIPPED') return order;
  }
  order.package.logisticsStatus = 'LOGISTICS_PICKUP_DONE';
  order.package.pickupDoneTime = nowSeconds(context);
  track(context, order, 'PICKED_UP', 'Parcel has been picked up by the courier');
  setStatus(context, order, 'SHIPPED');
  return order;
}

/** The parcel reaches the buyer: → TO_CONFIRM_RECEIVE. */
export function deliverOrder(context: ShopeeContext, orderSn: string): ShopeeOrderRecord {
  const order = getOrderOrThrow(context, orderSn);
  requireStatus(order, ['SHIPPED'], 'deliver');
  order.package.logisticsStatus = 'LOGISTICS_DELIVERY_DONE';
  order.actualShippingFee = order.estimatedShippingFee;
  track(context, order, 'DELIVERED', 'Parcel has been delivered');
  setStatus(context, order, 'TO_CONFIRM_RECEIVE');
  return order;
}

/** The buyer confirms receipt: → COMPLETED. */
export function completeOrder(context: ShopeeContext, orderSn: string): ShopeeOrderRecord {
  const order = getOrderOrThrow(context, orderSn);
  requireStatus(order, ['TO_CONFIRM_RECEIVE'], 'complete');
  order.completeTime = nowSeconds(context);
  setStatus(context, order, 'COMPLETED');
  return order;
}

/** A buyer's chat message to the shop, pushed as code 10 (webchat). */
export function sendBuyerMessage(
  context: ShopeeContext,
  input: { shopId: number; text: string; orderSn?: string; buyerUserId?: number; buyerUsername?: string },
): { messageId: string; conversationId: string } {
  const shop = context.state.shops.get(input.shopId);
  if (!shop) throw new ShopeeSandboxError(`Unknown shop ${input.shopId}`);
  const order = input.orderSn === undefined ? undefined : getOrderOrThrow(context, input.orderSn);
  const buyerUserId = input.buyerUserId ?? order?.buyerUserId ?? 100_000_001;
  const messageId = String(BigInt(`0x${randomHex(14)}`));
  const conversationId = `${buyerUserId}${shop.shopId}`;
  context.pushes.forShop(
    shop.shopId,
    10,
    {
      type: 'message',
      region: shop.region,
      content: {
        message_id: messageId,
        conversation_id: conversationId,
        from_id: buyerUserId,
        from_user_name: input.buyerUsername ?? order?.buyerUsername ?? 'b****r',
        to_id: shop.shopId,
        to_user_name: shop.shopName,
        message_type: 'text',
        content: { text: input.text },
        created_timestamp: nowSeconds(context),
        order_sn: order?.orderSn,
      },
    },
    { msgId: randomHex(32) },
  );
  return { messageId, conversationId };
}
