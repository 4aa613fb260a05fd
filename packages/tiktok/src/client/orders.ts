import {
  asArray,
  chunk,
  instantToEpochMs,
  type ListOrdersOptions,
  NotFoundError,
  type Order,
  type OrderStatus,
  type OrdersCapability,
} from '@mlh/core';
import * as ordersApi from '../api/orders';
import { tiktokPages } from '../api/paging';
import { TIKTOK, TIKTOK_ORDER_STATUSES_BY_CORE, toCoreOrder, toUnixSeconds } from '../mappers';
import type { TikTokOrder } from '../schemas';
import type { TikTokAccountContext } from './context';

/** The order calls of a TikTok shop's client. */
export type TikTokOrdersCapability = OrdersCapability & {
  cancelOrder(orderExternalId: string, reason?: string): Promise<void>;
};

/** One order's raw detail, or `NotFoundError`. Fulfillment reads orders through this too. */
export async function loadOrder(ctx: TikTokAccountContext, orderId: string): Promise<TikTokOrder> {
  const [order] = await ordersApi.getOrderDetails(ctx.call, [orderId]);
  if (!order)
    throw new NotFoundError(`TikTok order ${orderId} not found in shop ${ctx.accountId}`, {
      marketplace: TIKTOK,
    });
  return order;
}

/** Orders: search by update or create time (page tokens), detail in batches of 50, seller cancellation. */
export function orders(ctx: TikTokAccountContext): TikTokOrdersCapability {
  const { call: context, accountId, currency } = ctx;
  const rawOrder = (orderId: string) => loadOrder(ctx, orderId);

  const capability: TikTokOrdersCapability = {
    async *listOrders(listOptions: ListOrdersOptions = {}) {
      const wanted = asArray(listOptions.status) as readonly OrderStatus[] | undefined;
      const rawStatuses = wanted
        ? [...new Set(wanted.flatMap((s) => TIKTOK_ORDER_STATUSES_BY_CORE[s]))]
        : undefined;
      const by = listOptions.by ?? 'updated';
      const field = by === 'created' ? 'create_time' : 'update_time';
      const filter: ordersApi.TikTokOrderSearchFilter = {};
      if (rawStatuses?.length === 1) filter.order_status = rawStatuses[0] as string;
      if (listOptions.since !== undefined) filter[`${field}_ge`] = toUnixSeconds(listOptions.since);
      if (listOptions.until !== undefined) filter[`${field}_lt`] = exclusiveUpperSeconds(listOptions.until);
      const pages = tiktokPages(
        (pageToken) =>
          ordersApi.searchOrders(context, {
            pageSize: listOptions.pageSize,
            pageToken,
            sortField: field,
            sortOrder: 'ASC',
            filter,
          }),
        'order search',
        listOptions.signal,
      );
      for await (const page of pages) {
        for (const raw of page.orders) {
          const order = toCoreOrder(raw, accountId, currency);
          if (wanted && !wanted.includes(order.status)) continue;
          yield order;
        }
      }
    },

    async getOrder(externalId) {
      return toCoreOrder(await rawOrder(externalId), accountId, currency);
    },

    async getOrders(externalIds) {
      const ids = [...new Set(externalIds)];
      const byId = new Map<string, Order>();
      for (const part of chunk(ids, ordersApi.TIKTOK_ORDER_DETAIL_BATCH_MAX)) {
        for (const raw of await ordersApi.getOrderDetails(context, part)) {
          byId.set(raw.id, toCoreOrder(raw, accountId, currency));
        }
      }
      return ids.map((id) => byId.get(id)).filter((o): o is Order => o !== undefined);
    },

    async cancelOrder(orderExternalId, reason) {
      const cancelReason = reason ?? ctx.defaultCancelReason;
      await ordersApi.cancelOrder(context, {
        order_id: orderExternalId,
        ...(cancelReason ? { cancel_reason: cancelReason } : {}),
      });
    },
  };
  return capability;
}

/**
 * An exclusive upper bound (`*_lt`) in whole seconds that still covers `instant`: TikTok times are
 * seconds, so a change made in the same second as `instant` must fall below the bound (rounded up).
 */
function exclusiveUpperSeconds(instant: Date | string | number): number {
  const ms = instantToEpochMs(instant);
  if (ms === undefined) throw new TypeError(`Not a valid moment: ${String(instant)}`);
  return Math.ceil(ms / 1000);
}
