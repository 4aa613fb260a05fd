import { parseOrThrow, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { TIKTOK } from '../mappers';
import { type TikTokOrder, TikTokOrderDetailData, TikTokOrderSearchData } from '../schemas';
import { callTikTok, type TikTokCallContext } from '../transport';

/** Largest `page_size` of order search. */
export const TIKTOK_ORDER_PAGE_SIZE_MAX = 100;
/** Most ids per Get Order Detail call. */
export const TIKTOK_ORDER_DETAIL_BATCH_MAX = 50;

/** Filters of order search (body of `POST /order/202309/orders/search`). Times are Unix seconds, `[ge, lt)`. */
export interface TikTokOrderSearchFilter {
  order_status?: string;
  create_time_ge?: number;
  create_time_lt?: number;
  update_time_ge?: number;
  update_time_lt?: number;
  /** `TIKTOK` (platform label) or `SELLER`. */
  shipping_type?: string;
  buyer_user_id?: string;
  is_buyer_request_cancel?: boolean;
  warehouse_ids?: string[];
  [field: string]: unknown;
}

/** Options of {@link searchOrders}. */
export interface TikTokOrderSearchOptions {
  /** 1–100, default 100. */
  pageSize?: number | undefined;
  pageToken?: string | undefined;
  /** Default `update_time`, what incremental sync needs. */
  sortField?: 'create_time' | 'update_time';
  /** Sent explicitly because the documented default differs between copies; default `ASC`. */
  sortOrder?: 'ASC' | 'DESC';
  filter?: TikTokOrderSearchFilter;
}

/** One page of orders (full order objects). */
export interface TikTokOrderPage {
  orders: TikTokOrder[];
  nextPageToken: string | undefined;
  totalCount: number | undefined;
}

/** Searches orders, one page: `POST /order/202309/orders/search`. */
export async function searchOrders(
  context: TikTokCallContext,
  options: TikTokOrderSearchOptions = {},
): Promise<TikTokOrderPage> {
  const size = options.pageSize ?? TIKTOK_ORDER_PAGE_SIZE_MAX;
  if (!Number.isInteger(size) || size < 1) {
    throw new ValidationError('Invalid page size', [{ path: 'pageSize', message: 'must be 1–100' }], {
      marketplace: TIKTOK,
    });
  }
  const { data } = await callTikTok(
    context,
    {
      method: 'POST',
      path: '/order/202309/orders/search',
      query: {
        page_size: Math.min(size, TIKTOK_ORDER_PAGE_SIZE_MAX),
        page_token: options.pageToken || undefined,
        sort_field: options.sortField ?? 'update_time',
        sort_order: options.sortOrder ?? 'ASC',
      },
      body: { json: options.filter ?? {} },
      idempotent: true,
      rateGroup: 'read',
      operation: 'order.search',
    },
    TikTokOrderSearchData,
    'order.search',
  );
  return {
    orders: data.orders,
    nextPageToken: data.next_page_token || undefined,
    totalCount: data.total_count,
  };
}

const OrderIds = /* @__PURE__ */ (() =>
  z
    .array(z.string().check(z.minLength(1)))
    .check(z.minLength(1), z.maxLength(TIKTOK_ORDER_DETAIL_BATCH_MAX)))();

/**
 * Up to 50 orders in full: `GET /order/202309/orders?ids=a,b`. The ids are sent comma-joined (and
 * signed exactly as sent). Unknown ids are simply absent from the answer.
 */
export async function getOrderDetails(
  context: TikTokCallContext,
  ids: readonly string[],
): Promise<TikTokOrder[]> {
  const valid = parseOrThrow(OrderIds, [...ids], 'order ids', { marketplace: TIKTOK, path: 'ids' });
  const { data } = await callTikTok(
    context,
    { method: 'GET', path: '/order/202309/orders', query: { ids: valid.join(',') }, operation: 'order.get' },
    TikTokOrderDetailData,
    'order.get',
  );
  return data.orders;
}

/** Body of a seller cancellation (whole order, some lines, or some SKU units). */
export const TikTokCancelOrderBody = /* @__PURE__ */ (() =>
  z.looseObject({
    order_id: z.string().check(z.minLength(1)),
    cancel_reason: z.optional(z.string().check(z.minLength(1))),
    order_line_item_ids: z.optional(z.array(z.string().check(z.minLength(1)))),
    skus: z.optional(
      z.array(
        z.object({
          sku_id: z.string().check(z.minLength(1)),
          quantity: z.number().check(z.int(), z.positive()),
        }),
      ),
    ),
  }))();

/**
 * The seller cancels an order (or some of its lines): `POST /return_refund/202309/cancellations`.
 * `cancel_reason` takes TikTok's reason codes for the market.
 */
export async function cancelOrder(
  context: TikTokCallContext,
  input: z.input<typeof TikTokCancelOrderBody>,
): Promise<Record<string, unknown>> {
  const body = parseOrThrow(TikTokCancelOrderBody, input, 'TikTok cancellation', { marketplace: TIKTOK });
  const { data } = await callTikTok(
    context,
    {
      method: 'POST',
      path: '/return_refund/202309/cancellations',
      body: { json: body },
      operation: 'return_refund.cancel',
    },
    z.nullish(z.looseObject({})),
    'return_refund.cancel',
  );
  return data ?? {};
}
