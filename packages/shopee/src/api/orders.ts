import { chunk, type FieldIssue, MlhError, paginate, ValidationError } from '@mlh/core';
import { jsonInteger } from '../json';
import {
  ShopeeOrderListResponse as OrderListSchema,
  ShopeeShipmentListResponse as ShipmentListSchema,
  ShopeeCancelOrderResponse,
  type ShopeeOrder,
  ShopeeOrderDetailResponse,
  type ShopeeOrderListResponse,
  type ShopeeShipmentListResponse,
} from '../schemas';
import { callShopee, SHOPEE, SHOPEE_LIMITS, type ShopeeScope } from '../transport';

/** Thin typed calls of the `order` module (Shop APIs). */

/**
 * The optional `get_order_detail` fields requested by default. Shopee returns only a handful of
 * fields otherwise (no items, no address, no totals, no pay time, no packages).
 */
export const SHOPEE_ORDER_DETAIL_FIELDS: readonly string[] = Object.freeze([
  'buyer_user_id',
  'buyer_username',
  'recipient_address',
  'item_list',
  'pay_time',
  'total_amount',
  'package_list',
  'estimated_shipping_fee',
  'actual_shipping_fee',
  'shipping_carrier',
  'payment_method',
  'pickup_done_time',
  'cancel_by',
  'cancel_reason',
  'buyer_cancel_reason',
  'note',
]);

/**
 * Optional fields of Brazilian orders that sellers need for the NF-e: the buyer's CPF, the invoice
 * data, and who fulfils the order (Shopee issues the notes of the orders it fulfils). The client
 * asks for them when the shop is in Brazil.
 */
export const SHOPEE_BRAZIL_ORDER_FIELDS: readonly string[] = Object.freeze([
  'buyer_cpf_id',
  'invoice_data',
  'fulfillment_flag',
]);

/** `cancel_reason` values a seller may send. */
export const SHOPEE_CANCEL_REASONS = Object.freeze([
  'OUT_OF_STOCK',
  'CUSTOMER_REQUEST',
  'UNDELIVERABLE_AREA',
  'COD_NOT_SUPPORTED',
] as const);
/** One of {@link SHOPEE_CANCEL_REASONS}. */
export type ShopeeCancelReason = (typeof SHOPEE_CANCEL_REASONS)[number];

/** A `[from, to]` window in Unix seconds. */
export interface ShopeeTimeWindow {
  from: number;
  to: number;
}

/**
 * Splits `[from, to]` (Unix seconds) into consecutive windows no longer than `maxSeconds`
 * (default 15 days, `get_order_list`'s limit), oldest first. Adjacent windows share their
 * boundary second, so nothing on a boundary is missed (callers deduplicate).
 *
 * @example sliceShopeeTimeRange(0, 40 * 86400) // three windows: 15 + 15 + 10 days
 */
export function sliceShopeeTimeRange(
  from: number,
  to: number,
  maxSeconds: number = SHOPEE_LIMITS.orderListWindowSeconds,
): ShopeeTimeWindow[] {
  if (!Number.isInteger(from) || !Number.isInteger(to) || !Number.isInteger(maxSeconds) || maxSeconds <= 0) {
    throw new ValidationError(
      'Invalid time range',
      [{ path: 'from', message: 'from, to and maxSeconds must be whole seconds' }],
      { marketplace: SHOPEE },
    );
  }
  const windows: ShopeeTimeWindow[] = [];
  for (let start = from; start < to; start += maxSeconds) {
    windows.push({ from: start, to: Math.min(start + maxSeconds, to) });
  }
  return windows;
}

/** Options of {@link getOrderList}. */
export interface GetOrderListOptions {
  timeRangeField: 'create_time' | 'update_time';
  /** Unix seconds. */
  timeFrom: number;
  /** Unix seconds; at most 15 days after `timeFrom`. */
  timeTo: number;
  /** 1–100 (default 100). */
  pageSize?: number | undefined;
  cursor?: string | undefined;
  /** One status per request. */
  orderStatus?: string | undefined;
  /** E.g. `['order_status']` to get each entry's status in the list. */
  responseOptionalFields?: readonly string[] | undefined;
  /** Enables the `PENDING` status. */
  requestOrderStatusPending?: boolean | undefined;
}

/** `GET /api/v2/order/get_order_list`: one page of one window of at most 15 days. */
export async function getOrderList(
  scope: ShopeeScope,
  options: GetOrderListOptions,
): Promise<ShopeeOrderListResponse> {
  const pageSize = options.pageSize ?? SHOPEE_LIMITS.orderListPageSize;
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SHOPEE_LIMITS.orderListPageSize) {
    issues.push({ path: 'pageSize', message: `must be 1..${SHOPEE_LIMITS.orderListPageSize}` });
  }
  if (!(options.timeFrom < options.timeTo))
    issues.push({ path: 'timeTo', message: 'must be later than timeFrom' });
  if (options.timeTo - options.timeFrom > SHOPEE_LIMITS.orderListWindowSeconds) {
    issues.push({
      path: 'timeTo',
      message: 'at most 15 days after timeFrom (use iterateOrderList for longer ranges)',
    });
  }
  if (issues.length > 0)
    throw new ValidationError('Invalid get_order_list options', issues, { marketplace: SHOPEE });
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/order/get_order_list',
      query: {
        time_range_field: options.timeRangeField,
        time_from: options.timeFrom,
        time_to: options.timeTo,
        page_size: pageSize,
        cursor: options.cursor || undefined,
        order_status: options.orderStatus,
        response_optional_fields: options.responseOptionalFields?.length
          ? options.responseOptionalFields.join(',')
          : undefined,
        request_order_status_pending: options.requestOrderStatusPending,
      },
      accountId: scope.accountId,
      operation: 'order.get_order_list',
      signal: scope.signal,
    },
    OrderListSchema,
  );
  return response;
}

/** An entry of the order list. */
export type ShopeeOrderListEntry = NonNullable<ShopeeOrderListResponse['order_list']>[number];

/**
 * Every order in `[timeFrom, timeTo]`, however long: the range is sliced into 15-day windows
 * (oldest first), each paged with its cursor until `more` is false. An order_sn already seen in
 * an earlier window is not yielded again; a repeated cursor stops with an error.
 */
export async function* iterateOrderList(
  scope: ShopeeScope,
  options: Omit<GetOrderListOptions, 'cursor'>,
): AsyncGenerator<ShopeeOrderListEntry[]> {
  const seenOrders = new Set<string>();
  for (const window of sliceShopeeTimeRange(options.timeFrom, options.timeTo)) {
    const pages = paginate<ShopeeOrderListResponse, string>({
      fetchPage: (cursor) =>
        getOrderList(scope, { ...options, timeFrom: window.from, timeTo: window.to, cursor }),
      nextCursor: nextShopeeCursor,
      repeated: repeatedCursor('get_order_list'),
    });
    for await (const page of pages) {
      const fresh = (page.order_list ?? []).filter((entry) => {
        if (seenOrders.has(entry.order_sn)) return false;
        seenOrders.add(entry.order_sn);
        return true;
      });
      if (fresh.length > 0) yield fresh;
    }
  }
}

/** The cursor of the next page of a `more` / `next_cursor` list, or undefined after the last. */
function nextShopeeCursor(page: {
  more?: boolean | null | undefined;
  next_cursor?: string | null | undefined;
}) {
  return (page.more && page.next_cursor) || undefined;
}

function repeatedCursor(call: string): (cursor: string) => MlhError {
  return (cursor) =>
    new MlhError(`Shopee ${call} returned cursor "${cursor}" again; stopping to avoid a loop`, {
      marketplace: SHOPEE,
      code: 'repeated_cursor',
    });
}

/** Options of {@link getOrderDetail}. */
export interface GetOrderDetailOptions {
  /** Optional fields to request; default {@link SHOPEE_ORDER_DETAIL_FIELDS}. */
  optionalFields?: readonly string[] | undefined;
  requestOrderStatusPending?: boolean | undefined;
}

/**
 * `GET /api/v2/order/get_order_detail` for any number of orders, in calls of at most 50, with the
 * optional fields requested. Unknown order_sn values are absent from `orders` (Shopee names them
 * in `warnings`).
 */
export async function getOrderDetail(
  scope: ShopeeScope,
  orderSns: readonly string[],
  options: GetOrderDetailOptions = {},
): Promise<{ orders: ShopeeOrder[]; warnings: string[] }> {
  const issues: FieldIssue[] = [];
  orderSns.forEach((orderSn, index) => {
    if (!/^[A-Za-z0-9]+$/.test(orderSn))
      issues.push({ path: `orderSns.${index}`, message: 'must be an order_sn' });
  });
  if (issues.length > 0)
    throw new ValidationError('Invalid get_order_detail input', issues, { marketplace: SHOPEE });
  const fields = options.optionalFields ?? SHOPEE_ORDER_DETAIL_FIELDS;
  const orders: ShopeeOrder[] = [];
  const warnings: string[] = [];
  for (const part of chunk([...new Set(orderSns)], SHOPEE_LIMITS.orderDetailIds)) {
    const result = await callShopee(
      scope.transport,
      {
        method: 'GET',
        path: '/api/v2/order/get_order_detail',
        query: {
          order_sn_list: part.join(','),
          response_optional_fields: fields.length > 0 ? fields.join(',') : undefined,
          request_order_status_pending: options.requestOrderStatusPending,
        },
        accountId: scope.accountId,
        operation: 'order.get_order_detail',
        signal: scope.signal,
      },
      ShopeeOrderDetailResponse,
    );
    orders.push(...(result.response.order_list ?? []));
    warnings.push(...result.warnings);
  }
  return { orders, warnings };
}

/** `GET /api/v2/order/get_shipment_list`: one page of orders waiting to be shipped. */
export async function getShipmentList(
  scope: ShopeeScope,
  options: { pageSize?: number | undefined; cursor?: string | undefined } = {},
): Promise<ShopeeShipmentListResponse> {
  const pageSize = options.pageSize ?? SHOPEE_LIMITS.shipmentListPageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SHOPEE_LIMITS.shipmentListPageSize) {
    throw new ValidationError(
      'Invalid get_shipment_list options',
      [{ path: 'pageSize', message: `must be 1..${SHOPEE_LIMITS.shipmentListPageSize}` }],
      { marketplace: SHOPEE },
    );
  }
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/order/get_shipment_list',
      query: { page_size: pageSize, cursor: options.cursor || undefined },
      accountId: scope.accountId,
      operation: 'order.get_shipment_list',
      signal: scope.signal,
    },
    ShipmentListSchema,
  );
  return response;
}

/** Every page of `get_shipment_list` (orders in READY_TO_SHIP / RETRY_SHIP with their packages). */
export async function* iterateShipmentList(
  scope: ShopeeScope,
  options: { pageSize?: number | undefined } = {},
): AsyncGenerator<NonNullable<ShopeeShipmentListResponse['order_list']>> {
  const pages = paginate<ShopeeShipmentListResponse, string>({
    fetchPage: (cursor) => getShipmentList(scope, { ...options, cursor }),
    nextCursor: nextShopeeCursor,
    repeated: repeatedCursor('get_shipment_list'),
  });
  for await (const page of pages) {
    const entries = page.order_list ?? [];
    if (entries.length > 0) yield entries;
  }
}

/** Input of {@link cancelOrder}. */
export interface CancelOrderInput {
  orderSn: string;
  cancelReason: ShopeeCancelReason;
  /** Required with `OUT_OF_STOCK`: the out-of-stock lines. */
  itemList?: readonly { itemId: string; modelId: string }[] | undefined;
}

/** `POST /api/v2/order/cancel_order` (before shipment only). Returns the order's new `update_time`. */
export async function cancelOrder(scope: ShopeeScope, input: CancelOrderInput): Promise<number | undefined> {
  const issues: FieldIssue[] = [];
  if (!/^[A-Za-z0-9]+$/.test(input.orderSn)) issues.push({ path: 'orderSn', message: 'must be an order_sn' });
  if (!SHOPEE_CANCEL_REASONS.includes(input.cancelReason)) {
    issues.push({ path: 'cancelReason', message: `must be one of ${SHOPEE_CANCEL_REASONS.join(', ')}` });
  }
  if (input.cancelReason === 'OUT_OF_STOCK' && !input.itemList?.length) {
    issues.push({ path: 'itemList', message: 'required with OUT_OF_STOCK' });
  }
  input.itemList?.forEach((item, index) => {
    if (!/^\d+$/.test(item.itemId))
      issues.push({ path: `itemList.${index}.itemId`, message: 'must be a numeric id' });
    if (!/^\d+$/.test(item.modelId))
      issues.push({ path: `itemList.${index}.modelId`, message: 'must be a numeric id' });
  });
  if (issues.length > 0)
    throw new ValidationError('Invalid cancel_order input', issues, { marketplace: SHOPEE });
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/order/cancel_order',
      body: {
        order_sn: input.orderSn,
        cancel_reason: input.cancelReason,
        ...(input.itemList?.length
          ? {
              item_list: input.itemList.map((item) => ({
                item_id: jsonInteger(item.itemId),
                model_id: jsonInteger(item.modelId),
              })),
            }
          : {}),
      },
      accountId: scope.accountId,
      operation: 'order.cancel_order',
      signal: scope.signal,
    },
    ShopeeCancelOrderResponse,
  );
  return response.update_time ?? undefined;
}
