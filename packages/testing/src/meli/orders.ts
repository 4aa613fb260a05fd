import { money, multiplyMoney, sumMoney, toDecimalString, toMinorUnits } from '@mlh/core';
import { intParam, json, listParam } from '../shared/index';
import type { ItemRecord, MeliContext, OrderRecord, PackRecord } from './context';
import { badRequest, meliError } from './errors';
import { sellerSkuOf, settleStockStatus } from './item-model';
import type { MeliRoute, MeliRouter } from './router';
import { createShipment, type MeliAddressInput, moveShipment, releaseShipment } from './shipments';
import type { MeliOrder, MeliOrderItem, MeliUser, MeliVariation } from './types';

/** A misuse of the sandbox's driver functions (buying a paused item, paying twice, ...). */
export class MeliSandboxError extends Error {
  override readonly name = 'MeliSandboxError';
}

/** One line of {@link MeliPlaceOrderInput}. */
export interface MeliOrderLineInput {
  itemId: string;
  /** Required when the item has variations. */
  variationId?: number;
  /** Default: 1. */
  quantity?: number;
}

/** What the buyer puts in the cart. Several lines become several orders in one pack. */
export interface MeliPlaceOrderInput {
  /** Default: a new buyer. */
  buyerId?: number;
  /** The lines; all of one seller. */
  items: MeliOrderLineInput[];
  /** Shipping paid by the buyer, as a decimal string or number. Default: 0 (free shipping). */
  shippingCost?: number | string;
  /** Shipping paid by the seller (`senders[].cost` of the shipment's costs). Default: 0. */
  sellerShippingCost?: number | string;
  /** Delivery address. */
  address?: MeliAddressInput;
}

/** The ids created by `placeOrder`. */
export interface MeliPlacedOrder {
  /** The first (often only) order. */
  orderId: number;
  orderIds: number[];
  packId: number;
  /** Null for `not_specified` shipping, which has no shipment. */
  shipmentId: number | null;
}

/** Input of `cancelOrder`. */
export interface MeliCancelOrderInput {
  /** Who cancelled. Default: `buyer`. */
  requestedBy?: 'buyer' | 'seller';
  description?: string;
}

const FEEDBACK_WINDOW_MS = 28 * 24 * 60 * 60 * 1000;

function asNumber(decimal: string): number {
  return Number(decimal);
}

function percentOf(amount: string, currency: string, percent: number): number {
  // Exact: cents × percent / 100, rounded half up, in integer arithmetic.
  const cents = toMinorUnits(money(amount, currency));
  const fee = (cents * BigInt(Math.round(percent * 100)) + 5000n) / 10000n;
  const negative = fee < 0n;
  const digits = (negative ? -fee : fee).toString().padStart(3, '0');
  return asNumber(`${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`);
}

function stockTarget(
  record: ItemRecord,
  variationId: number | null,
): { variation: MeliVariation | undefined } {
  const variation =
    variationId === null
      ? undefined
      : record.item.variations.find((candidate) => candidate.id === variationId);
  return { variation };
}

/** Changes available/sold units of an item (or one variation), keeps its status in line and notifies. */
export function moveStock(
  context: MeliContext,
  record: ItemRecord,
  variationId: number | null,
  change: { available?: number; sold?: number },
): void {
  const { variation } = stockTarget(record, variationId);
  const target = variation ?? record.item;
  target.available_quantity += change.available ?? 0;
  target.sold_quantity += change.sold ?? 0;
  settleStockStatus(record.item);
  const now = context.clock.now();
  record.updatedAt = now;
  record.item.last_updated = context.date(now, record.item.site_id);
  context.notify('items', `/items/${record.item.id}`, record.item.seller_id);
}

function newBuyer(context: MeliContext, siteId: string): MeliUser {
  const id = context.ids.buyer.next();
  const buyer: MeliUser = {
    id,
    nickname: `BUYER${id}`,
    site_id: siteId,
    country_id: siteId.slice(2),
    first_name: 'Test',
    last_name: `Buyer ${id}`,
    email: `buyer${id}@testuser.example`,
    user_type: 'normal',
    tags: ['normal'],
    registration_date: context.date(context.clock.now(), siteId),
    defaultShippingMode: 'me2',
  };
  context.state.users.set(id, buyer);
  return buyer;
}

/** The buyer places an order: stock is reserved at once, the order waits for payment. */
export function placeOrder(context: MeliContext, input: MeliPlaceOrderInput): MeliPlacedOrder {
  const { state } = context;
  if (input.items.length === 0) throw new MeliSandboxError('An order needs at least one item');
  const lines = input.items.map((line) => {
    const record = state.items.get(line.itemId);
    if (record === undefined) throw new MeliSandboxError(`No item ${line.itemId}`);
    if (record.item.status !== 'active') {
      throw new MeliSandboxError(`Item ${line.itemId} is ${record.item.status} and cannot be bought`);
    }
    const quantity = line.quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 1)
      throw new MeliSandboxError('quantity must be a whole number from 1');
    let variation: MeliVariation | undefined;
    if (record.item.variations.length > 0) {
      variation = record.item.variations.find((candidate) => candidate.id === line.variationId);
      if (variation === undefined) {
        throw new MeliSandboxError(`Item ${line.itemId} has variations: give the variationId to buy`);
      }
    }
    const available = (variation ?? record.item).available_quantity;
    if (quantity > available) {
      throw new MeliSandboxError(`Only ${available} unit(s) of ${line.itemId} are available`);
    }
    return { record, variation, quantity };
  });
  const sellerId = lines[0]?.record.item.seller_id;
  if (lines.some((line) => line.record.item.seller_id !== sellerId)) {
    throw new MeliSandboxError('A pack holds the items of one seller');
  }
  const seller = state.users.get(sellerId ?? 0);
  if (seller === undefined) throw new MeliSandboxError(`No seller ${sellerId}`);
  const buyer =
    input.buyerId === undefined ? newBuyer(context, seller.site_id) : state.users.get(input.buyerId);
  if (buyer === undefined) throw new MeliSandboxError(`No buyer ${input.buyerId}`);

  const now = context.clock.now();
  const date = context.date(now, seller.site_id);
  const packId = context.ids.pack.next();
  const orderIds = lines.map(() => context.ids.order.next());
  const first = lines[0]?.record.item;
  const currency = first?.currency_id ?? 'BRL';
  const mode = first?.shipping.mode ?? 'not_specified';
  const totals = lines.map(({ record, variation, quantity }) =>
    multiplyMoney(money(toDecimalString(variation?.price ?? record.item.price), currency), quantity),
  );
  const shipment =
    mode === 'not_specified'
      ? undefined
      : createShipment(context, {
          packId,
          orderIds,
          seller,
          buyer,
          mode,
          logisticType: first?.shipping.logistic_type ?? null,
          cost: asNumber(toDecimalString(input.shippingCost ?? 0)),
          sellerCost: asNumber(toDecimalString(input.sellerShippingCost ?? 0)),
          currency,
          declaredValue: asNumber(sumMoney(totals, currency).amount),
          address: input.address ?? {},
        });

  lines.forEach(({ record, variation, quantity }, index) => {
    const item = record.item;
    const unitPrice = variation?.price ?? item.price;
    const orderItem: MeliOrderItem = {
      item: {
        id: item.id,
        title: item.title,
        category_id: item.category_id,
        variation_id: variation?.id ?? null,
        variation_attributes: (variation?.attribute_combinations ?? []).map((attribute) => ({
          id: attribute.id,
          name: attribute.name,
          value_id: attribute.value_id,
          value_name: attribute.value_name,
        })),
        seller_sku: sellerSkuOf(item, variation),
        seller_custom_field: variation?.seller_custom_field ?? item.seller_custom_field,
        condition: item.condition,
        warranty: item.warranty,
        user_product_id: variation?.user_product_id ?? item.user_product_id,
      },
      quantity,
      requested_quantity: { value: quantity, measure: 'unit' },
      unit_price: unitPrice,
      full_unit_price: unitPrice,
      currency_id: currency,
      sale_fee: percentOf(toDecimalString(unitPrice), currency, context.behaviour.saleFeePercent),
      listing_type_id: item.listing_type_id,
      element_id: 1,
      stock: [],
    };
    const orderId = orderIds[index] as number;
    const order: MeliOrder = {
      id: orderId,
      status: 'confirmed',
      status_detail: null,
      date_created: date,
      date_closed: null,
      last_updated: date,
      expiration_date: context.date(now + FEEDBACK_WINDOW_MS, seller.site_id),
      pack_id: packId,
      buying_mode: 'buy_equals_pay',
      total_amount: asNumber((totals[index] ?? money('0', currency)).amount),
      paid_amount: 0,
      currency_id: currency,
      order_items: [orderItem],
      payments: [],
      shipping: { id: shipment?.shipment.id ?? null },
      buyer: { id: buyer.id },
      seller: { id: seller.id },
      tags: lines.length > 1 ? ['not_paid', 'pack_order'] : ['not_paid'],
      context: { channel: 'marketplace', site: seller.site_id, flows: [] },
      feedback: { buyer: null, seller: null },
      taxes: { amount: null, currency_id: null, id: null },
      cancel_detail: null,
      mediations: [],
    };
    state.orders.set(orderId, {
      order,
      createdAt: now,
      closedAt: null,
      updatedAt: now,
      line: { itemId: item.id, variationId: variation?.id ?? null, quantity },
      stockHeld: true,
    });
    moveStock(context, record, variation?.id ?? null, { available: -quantity });
    context.notify('orders_v2', `/orders/${orderId}`, seller.id);
  });

  const pack: PackRecord = {
    orderIds,
    pack: {
      id: packId,
      status: 'pending',
      status_detail: null,
      buyer: { id: buyer.id },
      shipment: shipment === undefined ? null : { id: shipment.shipment.id },
      orders: orderIds.map((id) => ({ id })),
      date_created: date,
      last_updated: date,
    },
  };
  state.packs.set(packId, pack);
  return { orderId: orderIds[0] as number, orderIds, packId, shipmentId: shipment?.shipment.id ?? null };
}

function orderRecord(context: MeliContext, orderId: number): OrderRecord {
  const record = context.state.orders.get(orderId);
  if (record === undefined) throw new MeliSandboxError(`No order ${orderId}`);
  return record;
}

function touch(context: MeliContext, record: OrderRecord): void {
  const now = context.clock.now();
  record.updatedAt = now;
  record.order.last_updated = context.date(now, record.order.context.site);
}

function packOf(context: MeliContext, record: OrderRecord): PackRecord | undefined {
  return record.order.pack_id === null ? undefined : context.state.packs.get(record.order.pack_id);
}

function touchPack(
  context: MeliContext,
  pack: PackRecord,
  status: string,
  detail: string | null = null,
): void {
  pack.pack.status = status;
  pack.pack.status_detail = detail;
  pack.pack.last_updated = context.date(
    context.clock.now(),
    context.state.orders.get(pack.orderIds[0] ?? 0)?.order.context.site,
  );
}

/** The buyer's payment is approved: the order is `paid` (date_closed set) and the units count as sold. */
export function payOrder(context: MeliContext, orderId: number): void {
  const record = orderRecord(context, orderId);
  const { order } = record;
  if (order.status !== 'confirmed')
    throw new MeliSandboxError(`Order ${orderId} is ${order.status}, not awaiting payment`);
  const now = context.clock.now();
  const date = context.date(now, order.context.site);
  const item = context.state.items.get(record.line.itemId);
  const shipment = order.shipping.id === null ? undefined : context.state.shipments.get(order.shipping.id);
  const shippingCost = shipment === undefined ? 0 : shipment.shipment.lead_time.cost;
  const paid = asNumber(
    sumMoney(
      [
        money(toDecimalString(order.total_amount), order.currency_id),
        money(toDecimalString(shippingCost), order.currency_id),
      ],
      order.currency_id,
    ).amount,
  );
  order.status = 'paid';
  order.date_closed = date;
  order.paid_amount = paid;
  order.tags = [...order.tags.filter((tag) => tag !== 'not_paid'), 'paid'];
  order.payments.push({
    id: context.ids.payment.next(),
    order_id: order.id,
    payer_id: order.buyer.id,
    status: 'approved',
    status_detail: 'accredited',
    transaction_amount: order.total_amount,
    total_paid_amount: paid,
    shipping_cost: shippingCost,
    // The order's total fee: each item's per-unit sale_fee times its quantity (reference §5.1).
    marketplace_fee:
      context.behaviour.marketplaceFeeFrom === 'order_total'
        ? percentOf(toDecimalString(order.total_amount), order.currency_id, context.behaviour.saleFeePercent)
        : asNumber(
            sumMoney(
              order.order_items.map((line) =>
                multiplyMoney(money(toDecimalString(line.sale_fee ?? 0), order.currency_id), line.quantity),
              ),
              order.currency_id,
            ).amount,
          ),
    payment_method_id: 'account_money',
    payment_type: 'account_money',
    installments: 1,
    date_created: date,
    date_approved: date,
    date_last_modified: date,
    currency_id: order.currency_id,
  });
  record.closedAt = now;
  touch(context, record);
  if (item !== undefined) moveStock(context, item, record.line.variationId, { sold: record.line.quantity });
  context.notify('orders_v2', `/orders/${order.id}`, order.seller.id);

  const pack = packOf(context, record);
  const everyOrderPaid =
    pack === undefined || pack.orderIds.every((id) => context.state.orders.get(id)?.order.status === 'paid');
  if (pack !== undefined && everyOrderPaid) touchPack(context, pack, 'released');
  if (shipment !== undefined && everyOrderPaid) releaseShipment(context, shipment);
}

/** The order is cancelled: reserved (or sold) units go back to stock and an approved payment is refunded. */
export function cancelOrder(context: MeliContext, orderId: number, input: MeliCancelOrderInput = {}): void {
  const record = orderRecord(context, orderId);
  const { order } = record;
  if (order.status === 'cancelled') throw new MeliSandboxError(`Order ${orderId} is already cancelled`);
  const shipment = order.shipping.id === null ? undefined : context.state.shipments.get(order.shipping.id);
  if (shipment !== undefined && ['shipped', 'delivered'].includes(shipment.shipment.status)) {
    throw new MeliSandboxError(
      `Order ${orderId} was already ${shipment.shipment.status}; that is a claim, not a cancellation`,
    );
  }
  const wasPaid = order.status === 'paid';
  const date = context.date(context.clock.now(), order.context.site);
  const requestedBy = input.requestedBy ?? 'buyer';
  order.status = 'cancelled';
  order.cancel_detail = {
    group: requestedBy,
    code: requestedBy === 'buyer' ? 'buyer_cancel_express' : 'seller_cancel',
    description: input.description ?? 'Cancelled in the sandbox',
    requested_by: requestedBy,
    date,
  };
  for (const payment of order.payments) {
    if (payment.status === 'approved') {
      payment.status = 'refunded';
      payment.status_detail = 'refunded';
      payment.date_last_modified = date;
    }
  }
  touch(context, record);
  const item = context.state.items.get(record.line.itemId);
  if (item !== undefined && record.stockHeld) {
    moveStock(context, item, record.line.variationId, {
      available: record.line.quantity,
      sold: wasPaid ? -record.line.quantity : 0,
    });
    record.stockHeld = false;
  }
  context.notify('orders_v2', `/orders/${order.id}`, order.seller.id);

  const pack = packOf(context, record);
  const everyOrderCancelled =
    pack === undefined ||
    pack.orderIds.every((id) => context.state.orders.get(id)?.order.status === 'cancelled');
  if (pack !== undefined && everyOrderCancelled) touchPack(context, pack, 'cancelled');
  if (shipment !== undefined && everyOrderCancelled)
    moveShipment(context, shipment, 'cancelled', 'cancelled_manually');
}

function shipmentOfPaidOrder(context: MeliContext, orderId: number) {
  const record = orderRecord(context, orderId);
  if (record.order.status !== 'paid')
    throw new MeliSandboxError(`Order ${orderId} is ${record.order.status}, not paid`);
  const shipment =
    record.order.shipping.id === null ? undefined : context.state.shipments.get(record.order.shipping.id);
  if (shipment === undefined)
    throw new MeliSandboxError(`Order ${orderId} has no shipment (not_specified shipping)`);
  return { record, shipment };
}

/** The carrier picks the package up: the shipment becomes `shipped` with a tracking number. */
export function shipOrder(
  context: MeliContext,
  orderId: number,
  input: { trackingNumber?: string } = {},
): void {
  const { shipment } = shipmentOfPaidOrder(context, orderId);
  const status = shipment.shipment.status;
  if (status !== 'ready_to_ship' && status !== 'handling' && status !== 'pending') {
    throw new MeliSandboxError(`Shipment ${shipment.shipment.id} is ${status} and cannot be shipped`);
  }
  moveShipment(context, shipment, 'shipped', null, {
    trackingNumber: input.trackingNumber ?? `MEL${shipment.shipment.id}BR`,
    trackingMethod: shipment.shipment.logistic.mode === 'me2' ? 'MEL Distribution' : 'Carrier',
  });
  for (const id of shipment.orderIds) {
    const order = context.state.orders.get(id);
    if (order !== undefined) context.notify('orders_v2', `/orders/${id}`, order.order.seller.id);
  }
}

/** The buyer receives the package: the shipment becomes `delivered`. */
export function deliverOrder(context: MeliContext, orderId: number): void {
  const { shipment } = shipmentOfPaidOrder(context, orderId);
  if (shipment.shipment.status !== 'shipped') {
    throw new MeliSandboxError(
      `Shipment ${shipment.shipment.id} is ${shipment.shipment.status}, not shipped`,
    );
  }
  moveShipment(context, shipment, 'delivered', null);
  for (const id of shipment.orderIds) {
    const order = context.state.orders.get(id);
    if (order !== undefined) context.notify('orders_v2', `/orders/${id}`, order.order.seller.id);
  }
}

const ORDER_SORTS = [
  { id: 'date_asc', name: 'Date ascending' },
  { id: 'date_desc', name: 'Date descending' },
];

const DATE_FILTERS: Record<string, (record: OrderRecord) => number | null> = {
  'order.date_created': (record) => record.createdAt,
  'order.date_closed': (record) => record.closedAt,
  'order.date_last_updated': (record) => record.updatedAt,
};

const HOUR_MS = 60 * 60 * 1000;

export function orderHandlers(context: MeliContext, router: MeliRouter): MeliRoute[] {
  const { state } = context;
  const participant = (record: OrderRecord, userId: number) =>
    record.order.seller.id === userId || record.order.buyer.id === userId;

  return [
    router.api('get', '/orders/search', ({ query, token }) => {
      const seller = query.get('seller');
      const buyer = query.get('buyer');
      if (seller === null && buyer === null) return badRequest('A seller or buyer filter is required');
      if (
        (seller !== null && Number(seller) !== token.userId) ||
        (buyer !== null && Number(buyer) !== token.userId)
      ) {
        return meliError(403, 'forbidden', 'caller.id.invalid');
      }
      const limit = intParam(query, 'limit') ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > context.limits.orderSearchMaxLimit) {
        return badRequest(`limit must be between 1 and ${context.limits.orderSearchMaxLimit}`);
      }
      const offset = intParam(query, 'offset') ?? 0;
      if (!Number.isInteger(offset) || offset < 0) return badRequest('offset must be a whole number from 0');
      const sort = query.get('sort') ?? 'date_asc';
      if (sort !== 'date_asc' && sort !== 'date_desc') return badRequest(`Invalid sort ${sort}`);

      const windows: Array<{ pick: (record: OrderRecord) => number | null; from?: number; to?: number }> = [];
      for (const [name, pick] of Object.entries(DATE_FILTERS)) {
        const window: { pick: typeof pick; from?: number; to?: number } = { pick };
        for (const edge of ['from', 'to'] as const) {
          const raw = query.get(`${name}.${edge}`);
          if (raw === null) continue;
          const parsed = Date.parse(raw);
          if (Number.isNaN(parsed)) return badRequest(`Invalid date in ${name}.${edge}`);
          // The API truncates these filters to the hour.
          window[edge] = Math.floor(parsed / HOUR_MS) * HOUR_MS;
        }
        if (window.from !== undefined || window.to !== undefined) windows.push(window);
      }
      const statuses = listParam(query, 'order.status');
      const tags = listParam(query, 'tags');
      const tagsNot = listParam(query, 'tags.not');
      const q = query.get('q');
      const itemFilter = query.get('item');
      const packFilter = query.get('pack_id');
      const oldest = context.clock.now() - context.limits.orderRetentionMs;
      const hideCancelled = context.behaviour.orderSearchHidesCancelled && !statuses.includes('cancelled');

      const matching = [...state.orders.values()].filter((record) => {
        const { order } = record;
        if (seller !== null && order.seller.id !== token.userId) return false;
        if (buyer !== null && order.buyer.id !== token.userId) return false;
        if (record.createdAt < oldest) return false;
        if (statuses.length > 0 && !statuses.includes(order.status)) return false;
        if (hideCancelled && order.status === 'cancelled') return false;
        if (tags.length > 0 && !tags.every((tag) => order.tags.includes(tag))) return false;
        if (tagsNot.some((tag) => order.tags.includes(tag))) return false;
        if (packFilter !== null && String(order.pack_id) !== packFilter) return false;
        const line = order.order_items[0]?.item;
        if (itemFilter !== null && line?.id !== itemFilter && !line?.title.includes(itemFilter)) return false;
        if (q !== null) {
          const nickname = state.users.get(order.buyer.id)?.nickname ?? '';
          const hit = [String(order.id), line?.id ?? '', line?.title ?? '', nickname].some((field) =>
            field.includes(q),
          );
          if (!hit) return false;
        }
        for (const window of windows) {
          const at = window.pick(record);
          if (at === null) return false;
          if (window.from !== undefined && at < window.from) return false;
          if (window.to !== undefined && at > window.to) return false;
        }
        return true;
      });
      const sortKey = (record: OrderRecord) => record.closedAt ?? record.createdAt;
      matching.sort(
        (a, b) => (sortKey(a) - sortKey(b) || a.order.id - b.order.id) * (sort === 'date_desc' ? -1 : 1),
      );
      return json({
        query: q,
        results: matching.slice(offset, offset + limit).map((record) => structuredClone(record.order)),
        sort: ORDER_SORTS.find((entry) => entry.id === sort),
        available_sorts: ORDER_SORTS.filter((entry) => entry.id !== sort),
        filters: [],
        paging: { total: matching.length, offset, limit },
        display: 'complete',
      });
    }),

    router.api('get', '/orders/:id', ({ params, token }) => {
      if (!/^\d+$/.test(params.id ?? ''))
        return meliError(400, 'invalid_order_id', `Invalid order id ${params.id}`);
      const record = state.orders.get(Number(params.id));
      if (record === undefined) return meliError(404, 'order_not_found', `Order ${params.id} not found`);
      if (!participant(record, token.userId)) return meliError(403, 'not_owned_order', 'caller.id.invalid');
      return json(structuredClone(record.order));
    }),

    router.api('get', '/packs/:id', ({ params, token }) => {
      const pack = state.packs.get(Number(params.id));
      if (pack === undefined) return meliError(404, 'not_found', `Pack ${params.id} not found`);
      const visible = pack.orderIds.some((id) => {
        const record = state.orders.get(id);
        return record !== undefined && participant(record, token.userId);
      });
      if (!visible) return meliError(403, 'forbidden', 'caller.id.invalid');
      return json(structuredClone(pack.pack));
    }),
  ];
}
