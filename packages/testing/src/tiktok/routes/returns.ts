/** The return_refund module: cancellations (reference §7.5) and returns (catalog-and-after-sale §3). */
import * as z from 'zod';
import { tiktokError } from '../errors';
import { parseInput, shopOf, type TikTokCall, type TikTokRoute, unixSeconds } from '../gateway';
import { approveCancellation, rejectCancellation, sellerCancel } from '../lifecycle';
import { paginate, readPageSize } from '../paging';
import { renderCancellation } from '../render';
import {
  rejectReasonsOf,
  returnOfShop,
  sellerApprove,
  sellerReject,
  settleReturns,
  TIKTOK_SANDBOX_REJECT_REASONS,
  type TikTokSandboxReturn,
} from '../returns';
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

const returnSearchBody = z.looseObject({
  return_ids: z.array(z.string()).optional(),
  order_ids: z.array(z.string()).optional(),
  return_status: z.array(z.string()).optional(),
  return_types: z.array(z.string()).optional(),
  arbitration_status: z.array(z.string()).optional(),
  create_time_ge: unixSeconds.optional(),
  create_time_lt: unixSeconds.optional(),
  update_time_ge: unixSeconds.optional(),
  update_time_lt: unixSeconds.optional(),
});

const approveReturnBody = z.looseObject({
  decision: z.string().min(1),
  buyer_keep_item: z.boolean().optional(),
  partial_refund: z.looseObject({ amount: z.string(), currency: z.string() }).optional(),
});

const rejectReturnBody = z.looseObject({
  decision: z.string().min(1),
  reject_reason: z.string().min(1),
  comment: z.string().optional(),
  images: z.array(z.looseObject({ image_id: z.string().min(1) })).optional(),
});

/**
 * Runs an after-sale write once per `idempotency_key`: a repeat of the same key (the same app,
 * shop and path) gets the first answer again without applying anything twice.
 */
function once(call: TikTokCall, write: () => unknown): unknown {
  const key = call.query.get('idempotency_key');
  if (key === null || key === '') return write();
  if (key.length > 255) throw tiktokError('invalidParam', 'idempotency_key must be at most 255 characters');
  const slot = `${call.app.appKey}|${shopOf(call).id}|${new URL(call.request.url).pathname}|${key}`;
  const answers = call.context.state.idempotentAnswers;
  if (answers.has(slot)) return answers.get(slot);
  const answer = write();
  answers.set(slot, answer);
  return answer;
}

function amountOf(value: string, currency: string): Record<string, string> {
  return {
    currency,
    refund_total: value,
    refund_subtotal: value,
    refund_shipping_fee: '0.00',
    refund_tax: '0.00',
  };
}

/** A return as Search Returns lists it. */
function renderReturn(entry: TikTokSandboxReturn): Record<string, unknown> {
  return {
    return_id: entry.id,
    order_id: entry.orderId,
    return_type: entry.type,
    return_status: entry.status,
    role: entry.role,
    return_reason: entry.reason,
    return_reason_text: entry.reasonText,
    refund_amount: amountOf(entry.refundTotal, entry.currency),
    return_line_items: entry.lines.map((line) => ({
      return_line_item_id: line.id,
      order_line_item_id: line.orderLineItemId,
      sku_id: line.skuId,
      sku_name: line.skuName,
      seller_sku: line.sellerSku,
      product_name: line.productName,
      refund_amount: amountOf(line.refund, entry.currency),
    })),
    shipment_type: 'PLATFORM',
    ...(entry.trackingNumber
      ? { return_tracking_number: entry.trackingNumber, return_provider_name: entry.providerName }
      : {}),
    ...(entry.arbitrationStatus ? { arbitration_status: entry.arbitrationStatus } : {}),
    seller_next_action_response: entry.nextAction
      ? [{ action: entry.nextAction.action, deadline: entry.nextAction.deadline }]
      : [],
    can_buyer_keep_item: entry.canBuyerKeepItem,
    ...(entry.partialRefund
      ? { partial_refund: entry.partialRefund, seller_proposed_return_type: 'PARTIAL_REFUND' }
      : {}),
    buyer_rejected_partial_refund: entry.buyerRejectedPartialRefund,
    create_time: entry.createTime,
    update_time: entry.updateTime,
  };
}

function returnOf(call: TikTokCall): TikTokSandboxReturn {
  return returnOfShop(call.context, shopOf(call).id, call.params.return_id ?? '');
}

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
    handle: (call) =>
      once(call, () => {
        approveCancellation(call.context, cancellationOf(call));
        return {};
      }),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/cancellations/{cancel_id}/reject',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) =>
      once(call, () => {
        const input = parseInput(rejectBody, call.body);
        const cancellation = cancellationOf(call);
        if (!TIKTOK_SANDBOX_REJECT_REASONS.cancellation.some((reason) => reason.name === input.reject_reason))
          throw tiktokError(
            'invalidParam',
            `reject_reason ${input.reject_reason} is not valid for this request`,
          );
        rejectCancellation(call.context, cancellation, input.reject_reason);
        return {};
      }),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/returns/search',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      settleReturns(call.context);
      const raw = call.query.get('page_size');
      if (raw === null || !/^\d+$/.test(raw) || Number(raw) < 10 || Number(raw) > 50)
        throw tiktokError('invalidParam', 'page_size must be between 10 and 50');
      const pageSize = Number(raw);
      const filters = parseInput(returnSearchBody, call.body);
      const shop = shopOf(call);
      const matches = [...call.context.state.returns.values()].filter(
        (entry) =>
          entry.shopId === shop.id &&
          (filters.return_ids === undefined || filters.return_ids.includes(entry.id)) &&
          (filters.order_ids === undefined || filters.order_ids.includes(entry.orderId)) &&
          (filters.return_status === undefined || filters.return_status.includes(entry.status)) &&
          (filters.return_types === undefined || filters.return_types.includes(entry.type)) &&
          (filters.arbitration_status === undefined ||
            filters.arbitration_status.includes(entry.arbitrationStatus)) &&
          inRange(entry.createTime, filters.create_time_ge, filters.create_time_lt) &&
          inRange(entry.updateTime, filters.update_time_ge, filters.update_time_lt),
      );
      const descending = call.query.get('sort_order') !== 'ASC';
      const byUpdate = call.query.get('sort_field') === 'update_time';
      const page = paginate(matches, {
        pageSize,
        pageToken: call.query.get('page_token'),
        fingerprint: JSON.stringify(['returns', shop.id, byUpdate, descending, filters]),
        sortValue: (entry) => (byUpdate ? entry.updateTime : entry.createTime),
        id: (entry) => entry.id,
        descending,
      });
      return {
        return_orders: page.items.map(renderReturn),
        next_page_token: page.nextPageToken,
        total_count: page.totalCount,
      };
    },
  },
  {
    method: 'POST',
    path: '/return_refund/202309/returns/{return_id}/approve',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) =>
      once(call, () => {
        const input = parseInput(approveReturnBody, call.body);
        sellerApprove(call.context, returnOf(call), {
          decision: input.decision,
          buyerKeepItem: input.buyer_keep_item,
          partialRefund: input.partial_refund,
        });
        return {};
      }),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/returns/{return_id}/reject',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) =>
      once(call, () => {
        const input = parseInput(rejectReturnBody, call.body);
        sellerReject(call.context, returnOf(call), {
          decision: input.decision,
          reason: input.reject_reason,
          comment: input.comment ?? '',
        });
        return {};
      }),
  },
  {
    method: 'GET',
    path: '/return_refund/202309/returns/{return_id}/records',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => ({
      records: returnOf(call).records.map((entry) => ({
        event: entry.event,
        role: entry.role,
        description: entry.description,
        reason_text: entry.reasonText,
        note: entry.note,
        create_time: entry.createTime,
        images: [],
        videos: [],
      })),
    }),
  },
  {
    method: 'GET',
    path: '/return_refund/202309/reject_reasons',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const id = call.query.get('return_or_cancel_id');
      if (id === null || id === '') throw tiktokError('invalidParam', 'return_or_cancel_id is required');
      const shop = shopOf(call);
      const cancellation = call.context.state.cancellations.get(id);
      if (cancellation && cancellation.shopId === shop.id)
        return { reasons: TIKTOK_SANDBOX_REJECT_REASONS.cancellation.map((reason) => ({ ...reason })) };
      const entry = returnOfShop(call.context, shop.id, id);
      return { reasons: rejectReasonsOf(entry).map((reason) => ({ ...reason })) };
    },
  },
];
