/** Order endpoints (reference §7.1, §7.2). */
import * as z from 'zod';
import { tiktokError } from '../errors';
import { parseInput, shopOf, type TikTokCall, type TikTokRoute, unixSeconds } from '../gateway';
import { settleInvoice } from '../lifecycle';
import { paginate, readPageSize } from '../paging';
import { renderOrder } from '../render';
import type { TikTokSandboxOrder } from '../state';

const SCOPE = 'seller.order.info';
/** Get Order Detail takes at most this many ids (reference §7.2). */
export const TIKTOK_ORDER_DETAIL_MAX_IDS = 50;

const ORDER_STATUSES = [
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
] as const;

const searchBody = z.looseObject({
  order_status: z.enum(ORDER_STATUSES).optional(),
  create_time_ge: unixSeconds.optional(),
  create_time_lt: unixSeconds.optional(),
  update_time_ge: unixSeconds.optional(),
  update_time_lt: unixSeconds.optional(),
  shipping_type: z.enum(['TIKTOK', 'SELLER']).optional(),
  buyer_user_id: z.string().optional(),
  is_buyer_request_cancel: z.boolean().optional(),
  warehouse_ids: z.array(z.string()).max(100).optional(),
});

const sortQuery = z.looseObject({
  sort_field: z.enum(['create_time', 'update_time']).optional(),
  sort_order: z.enum(['ASC', 'DESC']).optional(),
});

function inRange(value: number, from: number | undefined, until: number | undefined): boolean {
  return (from === undefined || value >= from) && (until === undefined || value < until);
}

function searchOrders(call: TikTokCall): Record<string, unknown> {
  const pageSize = readPageSize(call.query, 100);
  const sort = parseInput(sortQuery, Object.fromEntries(call.query));
  const filters = parseInput(searchBody, call.body);
  const shop = shopOf(call);
  const matches = [...call.context.state.orders.values()].filter(
    (order) =>
      order.shopId === shop.id &&
      (filters.order_status === undefined || order.status === filters.order_status) &&
      inRange(order.createTime, filters.create_time_ge, filters.create_time_lt) &&
      inRange(order.updateTime, filters.update_time_ge, filters.update_time_lt) &&
      (filters.shipping_type === undefined || order.shippingType === filters.shipping_type) &&
      (filters.buyer_user_id === undefined || order.userId === filters.buyer_user_id) &&
      (filters.is_buyer_request_cancel === undefined ||
        order.isBuyerRequestCancel === filters.is_buyer_request_cancel) &&
      (filters.warehouse_ids === undefined || filters.warehouse_ids.includes(order.warehouseId)),
  );
  const field = sort.sort_field ?? 'create_time';
  const page = paginate<TikTokSandboxOrder>(matches, {
    pageSize,
    pageToken: call.query.get('page_token'),
    fingerprint: JSON.stringify(['orders', shop.id, field, sort.sort_order ?? 'DESC', filters]),
    sortValue: (order) => (field === 'update_time' ? order.updateTime : order.createTime),
    id: (order) => order.id,
    descending: (sort.sort_order ?? 'DESC') === 'DESC',
  });
  return {
    orders: page.items.map((order) => {
      settleInvoice(call.context, order);
      return renderOrder(order);
    }),
    next_page_token: page.nextPageToken,
    total_count: page.totalCount,
  };
}

function orderDetail(call: TikTokCall): Record<string, unknown> {
  const ids = [
    ...new Set(
      call.query
        .getAll('ids')
        .flatMap((value) => value.split(','))
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ];
  if (ids.length === 0) throw tiktokError('invalidParam', 'ids is required');
  if (ids.length > TIKTOK_ORDER_DETAIL_MAX_IDS) {
    throw tiktokError('invalidParam', `ids can contain at most ${TIKTOK_ORDER_DETAIL_MAX_IDS} order ids`);
  }
  const shop = shopOf(call);
  const orders = ids
    .map((id) => call.context.state.orders.get(id))
    .filter((order): order is TikTokSandboxOrder => order !== undefined && order.shopId === shop.id);
  for (const order of orders) settleInvoice(call.context, order);
  return { orders: orders.map(renderOrder) };
}

/** Order endpoints. */
export const orderRoutes: TikTokRoute[] = [
  {
    method: 'POST',
    path: '/order/202309/orders/search',
    scope: SCOPE,
    shopCipher: 'required',
    handle: searchOrders,
  },
  { method: 'GET', path: '/order/202309/orders', scope: SCOPE, shopCipher: 'required', handle: orderDetail },
];
