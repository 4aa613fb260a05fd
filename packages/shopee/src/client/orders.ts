import {
  asArray,
  type FieldIssue,
  type ListOrdersOptions,
  type MarketplaceClient,
  NotFoundError,
  type Order,
  type OrderStatus,
  type OrdersCapability,
} from '@mlh/core';
import * as ordersApi from '../api/orders';
import { mapShopeeOrder, mapShopeeOrderInvoice, mapShopeeOrderStatus } from '../mappers';
import type { ShopeeOrder } from '../schemas';
import { SHOPEE, SHOPEE_LIMITS } from '../transport';
import { checkOrderSn, DAY_MS, invalid, toEpochMs } from './checks';
import type { ShopeeAccountContext } from './context';

/** Order statuses in which a Brazilian order may wait for its NF-e. */
const SHIPPABLE_STATUSES = new Set(['READY_TO_SHIP', 'RETRY_SHIP']);

/** Orders Shopee fulfils (FBS): Shopee issues their NF-e, the seller never does. */
function fulfilledByShopee(order: ShopeeOrder): boolean {
  return order.fulfillment_flag?.trim().toLowerCase() === 'fulfilled_by_shopee';
}

/**
 * Which of these orders wait for their NF-e. `get_order_detail` shows such an order as
 * `READY_TO_SHIP` before and after the invoice; only `get_order_list?order_status=INVOICE_PENDING`
 * tells them apart. So, for a Brazilian shop, the orders ready to ship whose `invoice_data` came
 * back empty are looked up in that list over their creation window (one call per 15 days of
 * creation times, not one per order): a second call for such a `getOrder`, the price of a right
 * answer. Orders fulfilled by Shopee, and every order of a shop whose notes Shopee issues
 * (`sellerIssuesInvoices`), are answered without it (not waiting for the seller). Returns
 * `undefined` for an order not asked about.
 */
export async function invoicePendingOf(
  ctx: ShopeeAccountContext,
  orders: readonly ShopeeOrder[],
  signal?: AbortSignal,
): Promise<(order: ShopeeOrder) => boolean | undefined> {
  const uninvoiced = ctx.inBrazil()
    ? orders.filter(
        (order) =>
          SHIPPABLE_STATUSES.has(order.order_status.trim().toUpperCase()) &&
          // Asked for and answered empty (`{}` or `null`): an order whose payload lacks the field says nothing.
          order.invoice_data !== undefined &&
          mapShopeeOrderInvoice(order) === undefined,
      )
    : [];
  const byShopee = new Set(uninvoiced.filter(fulfilledByShopee).map((order) => order.order_sn));
  let candidates = uninvoiced.filter((order) => !byShopee.has(order.order_sn));
  // A shop whose notes Shopee issues has no order waiting for the seller's.
  if (candidates.length > 0 && !(await ctx.sellerIssuesInvoices(signal))) {
    for (const order of candidates) byShopee.add(order.order_sn);
    candidates = [];
  }
  if (candidates.length === 0) return (order) => (byShopee.has(order.order_sn) ? false : undefined);
  const times = candidates.map((order) => order.create_time);
  const pending = new Set<string>();
  const pages = ordersApi.iterateOrderList(ctx.scoped(signal), {
    timeRangeField: 'create_time',
    timeFrom: Math.min(...times),
    timeTo: Math.max(...times) + 1,
    orderStatus: 'INVOICE_PENDING',
  });
  for await (const page of pages) for (const entry of page) pending.add(entry.order_sn);
  const asked = new Set(candidates.map((order) => order.order_sn));
  return (order) =>
    asked.has(order.order_sn)
      ? pending.has(order.order_sn)
      : byShopee.has(order.order_sn)
        ? false
        : undefined;
}

/** Maps raw orders with their invoice state (see {@link invoicePendingOf}). */
export async function mapShopeeOrdersWithInvoices(
  ctx: ShopeeAccountContext,
  orders: readonly ShopeeOrder[],
  signal?: AbortSignal,
): Promise<Order[]> {
  const pendingOf = await invoicePendingOf(ctx, orders, signal);
  return orders.map((order) =>
    mapShopeeOrder(order, ctx.accountId, { currency: ctx.shopCurrency, invoicePending: pendingOf(order) }),
  );
}

/** Reads orders by order_sn with the optional fields the client maps. */
export type ShopeeOrderLoader = (orderSns: readonly string[], signal?: AbortSignal) => Promise<ShopeeOrder[]>;

/**
 * The order reader every capability shares: `get_order_detail` with `SHOPEE_ORDER_DETAIL_FIELDS`,
 * plus the Brazilian fiscal fields for a Brazilian shop.
 */
export function createOrderLoader(ctx: ShopeeAccountContext): ShopeeOrderLoader {
  const { scoped, inBrazil, learnMarket } = ctx;
  const orderFields = (): readonly string[] =>
    inBrazil()
      ? [...ordersApi.SHOPEE_ORDER_DETAIL_FIELDS, ...ordersApi.SHOPEE_BRAZIL_ORDER_FIELDS]
      : ordersApi.SHOPEE_ORDER_DETAIL_FIELDS;

  async function loadOrders(orderSns: readonly string[], signal?: AbortSignal): Promise<ShopeeOrder[]> {
    if (orderSns.length === 0) return [];
    const askedBrazil = inBrazil();
    const { orders } = await ordersApi.getOrderDetail(scoped(signal), orderSns, {
      optionalFields: orderFields(),
    });
    learnMarket(orders.map((order) => order.region?.trim().toUpperCase()).find((region) => region));
    if (askedBrazil || !inBrazil()) return orders;
    // Learnt only now that the shop is Brazilian: ask once more, with the CPF and invoice data.
    return (await ordersApi.getOrderDetail(scoped(signal), orderSns, { optionalFields: orderFields() }))
      .orders;
  }

  return loadOrders;
}

/** The order calls of a Shopee client. */
export type ShopeeOrdersCapability = OrdersCapability & Required<Pick<MarketplaceClient, 'cancelOrder'>>;

/** Lists, reads and cancels orders. */
export function ordersCapability(
  ctx: ShopeeAccountContext,
  loadOrders: ShopeeOrderLoader,
): ShopeeOrdersCapability {
  const { scope, scoped, clock } = ctx;

  async function* listOrders(listOptions: ListOrdersOptions = {}): AsyncGenerator<Order> {
    const untilMs = listOptions.until === undefined ? clock.now() : toEpochMs(listOptions.until, 'until');
    const sinceMs =
      listOptions.since === undefined ? untilMs - 15 * DAY_MS : toEpochMs(listOptions.since, 'since');
    if (sinceMs > untilMs)
      throw invalid('listOrders options', [{ path: 'since', message: 'must not be after until' }]);
    const from = Math.floor(sinceMs / 1000);
    const to = Math.ceil(untilMs / 1000);
    if (to <= from) return;
    const statuses = asArray(listOptions.status);
    const wanted = statuses ? new Set<OrderStatus>(statuses) : undefined;
    const pageSize = Math.min(
      Math.max(1, Math.floor(listOptions.pageSize ?? SHOPEE_LIMITS.orderListPageSize)),
      SHOPEE_LIMITS.orderListPageSize,
    );
    const pages = ordersApi.iterateOrderList(scoped(listOptions.signal), {
      timeRangeField: listOptions.by === 'created' ? 'create_time' : 'update_time',
      timeFrom: from,
      timeTo: to,
      pageSize,
      // The list's own status lets a status filter skip the detail call of orders it excludes.
      responseOptionalFields: wanted ? ['order_status'] : undefined,
    });
    for await (const page of pages) {
      const candidates = wanted
        ? page.filter((entry) => !entry.order_status || wanted.has(mapShopeeOrderStatus(entry.order_status)))
        : page;
      const raws = await loadOrders(
        candidates.map((entry) => entry.order_sn),
        listOptions.signal,
      );
      for (const order of await mapShopeeOrdersWithInvoices(ctx, raws, listOptions.signal)) {
        if (!wanted || wanted.has(order.status)) yield order;
      }
    }
  }

  async function getOrder(externalId: string): Promise<Order> {
    const issues: FieldIssue[] = [];
    checkOrderSn(externalId, 'externalId', issues);
    if (issues.length > 0) throw invalid('order id', issues);
    const [raw] = await loadOrders([externalId]);
    if (!raw) throw new NotFoundError(`Shopee order ${externalId} not found`, { marketplace: SHOPEE });
    const [order] = await mapShopeeOrdersWithInvoices(ctx, [raw]);
    return order as Order;
  }

  async function getOrders(externalIds: readonly string[]): Promise<Order[]> {
    const issues: FieldIssue[] = [];
    externalIds.forEach((id, index) => {
      checkOrderSn(id, `externalIds.${index}`, issues);
    });
    if (issues.length > 0) throw invalid('order ids', issues);
    return mapShopeeOrdersWithInvoices(ctx, await loadOrders(externalIds));
  }

  async function cancelOrder(orderExternalId: string, reason?: string): Promise<void> {
    const issues: FieldIssue[] = [];
    checkOrderSn(orderExternalId, 'orderExternalId', issues);
    const cancelReason = (reason ?? 'OUT_OF_STOCK')
      .trim()
      .toUpperCase()
      .replace(/[\s-]+/g, '_');
    if (!(ordersApi.SHOPEE_CANCEL_REASONS as readonly string[]).includes(cancelReason)) {
      issues.push({
        path: 'reason',
        message: `must be one of ${ordersApi.SHOPEE_CANCEL_REASONS.join(', ')} (default OUT_OF_STOCK)`,
      });
    }
    if (issues.length > 0) throw invalid('cancellation', issues);
    let itemList: { itemId: string; modelId: string }[] | undefined;
    if (cancelReason === 'OUT_OF_STOCK') {
      const [order] = await loadOrders([orderExternalId]);
      if (!order)
        throw new NotFoundError(`Shopee order ${orderExternalId} not found`, { marketplace: SHOPEE });
      itemList = (order.item_list ?? []).map((line) => ({
        itemId: line.item_id,
        modelId: line.model_id ?? '0',
      }));
    }
    await ordersApi.cancelOrder(scope, {
      orderSn: orderExternalId,
      cancelReason: cancelReason as ordersApi.ShopeeCancelReason,
      ...(itemList ? { itemList } : {}),
    });
  }

  return { listOrders, getOrder, getOrders, cancelOrder };
}
