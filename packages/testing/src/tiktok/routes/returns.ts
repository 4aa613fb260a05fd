/** Cancellation endpoints of the return_refund module (reference §7.5). */
import * as z from 'zod';
import { tiktokError } from '../errors';
import { parseInput, shopOf, type TikTokCall, type TikTokRoute, unixSeconds } from '../gateway';
import { approveCancellation, rejectCancellation, sellerCancel } from '../lifecycle';
import { paginate, readPageSize } from '../paging';
import { renderCancellation } from '../render';
import type { TikTokSandboxCancellation } from '../state';

const SCOPE = 'seller.return_refund.basic';

const cancelBody = z.looseObject({
  order_id: z.string().min(1),
  cancel_reason: z.string().min(1),
  order_line_item_ids: z.array(z.string()).optional(),
  skus: z.array(z.looseObject({ sku_id: z.string(), quantity: z.number().int().positive() })).optional(),
});

const searchBody = z.looseObject({
  order_ids: z.array(z.string()).optional(),
  cancel_ids: z.array(z.string()).optional(),
  cancel_status: z.array(z.string()).optional(),
  cancel_types: z.array(z.string()).optional(),
  buyer_user_ids: z.array(z.string()).optional(),
  create_time_ge: unixSeconds.optional(),
  create_time_lt: unixSeconds.optional(),
  update_time_ge: unixSeconds.optional(),
  update_time_lt: unixSeconds.optional(),
});

const rejectBody = z.looseObject({ reject_reason: z.string().min(1), comment: z.string().optional() });

function cancellationOf(call: TikTokCall): TikTokSandboxCancellation {
  const id = call.params.cancel_id;
  const cancellation = id === undefined ? undefined : call.context.state.cancellations.get(id);
  if (!cancellation || cancellation.shopId !== shopOf(call).id) throw tiktokError('cancellationNotFound');
  return cancellation;
}

function inRange(value: number, from: number | undefined, until: number | undefined): boolean {
  return (from === undefined || value >= from) && (until === undefined || value < until);
}

/** Cancellation endpoints. */
export const returnRoutes: TikTokRoute[] = [
  {
    method: 'POST',
    path: '/return_refund/202309/cancellations',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const input = parseInput(cancelBody, call.body);
      const order = call.context.state.orders.get(input.order_id);
      if (!order || order.shopId !== shopOf(call).id) throw tiktokError('orderNotFound');
      const live = order.lineItems
        .filter((item) => item.displayStatus !== 'CANCELLED')
        .map((item) => item.id);
      const partial =
        (input.order_line_item_ids !== undefined &&
          !live.every((id) => input.order_line_item_ids?.includes(id))) ||
        input.skus !== undefined;
      if (partial) {
        throw tiktokError(
          'cancellationNotAllowed',
          'The sandbox cancels whole orders only: omit order_line_item_ids and skus',
        );
      }
      const cancellation = sellerCancel(call.context, order, input.cancel_reason);
      return { cancel_id: cancellation.id, cancel_status: cancellation.status };
    },
  },
  {
    method: 'POST',
    path: '/return_refund/202309/cancellations/search',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const pageSize = readPageSize(call.query, 50);
      const filters = parseInput(searchBody, call.body);
      const shop = shopOf(call);
      const matches = [...call.context.state.cancellations.values()].filter((entry) => {
        const buyer = call.context.state.orders.get(entry.orderId)?.userId ?? '';
        return (
          entry.shopId === shop.id &&
          (filters.order_ids === undefined || filters.order_ids.includes(entry.orderId)) &&
          (filters.cancel_ids === undefined || filters.cancel_ids.includes(entry.id)) &&
          (filters.cancel_status === undefined || filters.cancel_status.includes(entry.status)) &&
          (filters.cancel_types === undefined || filters.cancel_types.includes(entry.type)) &&
          (filters.buyer_user_ids === undefined || filters.buyer_user_ids.includes(buyer)) &&
          inRange(entry.createTime, filters.create_time_ge, filters.create_time_lt) &&
          inRange(entry.updateTime, filters.update_time_ge, filters.update_time_lt)
        );
      });
      const descending = call.query.get('sort_order') !== 'ASC';
      const byUpdate = call.query.get('sort_field') === 'update_time';
      const page = paginate(matches, {
        pageSize,
        pageToken: call.query.get('page_token'),
        fingerprint: JSON.stringify(['cancellations', shop.id, byUpdate, descending, filters]),
        sortValue: (entry) => (byUpdate ? entry.updateTime : entry.createTime),
        id: (entry) => entry.id,
        descending,
      });
      return {
        cancellations: page.items.map(renderCancellation),
        next_page_token: page.nextPageToken,
        total_count: page.totalCount,
      };
    },
  },
  {
    method: 'POST',
    path: '/return_refund/202309/cancellations/{cancel_id}/approve',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      approveCancellation(call.context, cancellationOf(call));
      return {};
    },
  },
  {
    method: 'POST',
    path: '/return_refund/202309/cancellations/{cancel_id}/reject',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const input = parseInput(rejectBody, call.body);
      rejectCancellation(call.context, cancellationOf(call), input.reject_reason);
      return {};
    },
  },
];
