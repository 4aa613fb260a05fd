import {
  isReturnOpen,
  type Money,
  moneyInCurrencyScale,
  type Return,
  type ReturnAction,
  type ReturnDeadline,
  type ReturnItem,
  type ReturnKind,
  type ReturnShipment,
  type ReturnStatus,
  returnReasonOf,
} from '@mlh/core';
import { secondsToIso, TIKTOK } from './mappers';
import type {
  TikTokCancellation,
  TikTokRefundAmount,
  TikTokReturn,
  TikTokReturnLineItem,
} from './schemas-returns';

/** Raw → core mapping of TikTok Shop's `return_refund` module: pure functions. */

/**
 * A status as compared: upper case, the doubled underscore of one webhook text collapsed, and
 * the `_CANCELLED` spelling read as `_CANCEL` (both are official).
 */
export function normalizeTikTokAfterSaleStatus(raw: string): string {
  return raw
    .trim()
    .toUpperCase()
    .replace(/_{2,}/g, '_')
    .replace(/_CANCELLED$/, '_CANCEL');
}

/**
 * The core status of a TikTok return. `BUYER_SHIPPED_ITEM` is `received` once TikTok asks the
 * seller to respond to the received package; a rejection under arbitration is `disputed`;
 * `…_SUCCESS` (approved, refund in progress) is `accepted` and `…_COMPLETE` `refunded`. An
 * unknown status is `unknown`, never guessed.
 */
export function mapTikTokReturnStatus(
  rawStatus: string,
  context: { nextActions?: readonly string[] | undefined; arbitrationStatus?: string | undefined } = {},
): ReturnStatus {
  const arbitration = context.arbitrationStatus?.trim().toUpperCase();
  switch (normalizeTikTokAfterSaleStatus(rawStatus)) {
    case 'RETURN_OR_REFUND_REQUEST_PENDING':
    case 'REPLACEMENT_REQUEST_PENDING':
      return 'requested';
    case 'AWAITING_BUYER_RESPONSE':
      return 'negotiating';
    case 'AWAITING_BUYER_SHIP':
      return 'accepted';
    case 'BUYER_SHIPPED_ITEM':
      return context.nextActions?.some((action) => action.toUpperCase() === 'SELLER_RESPOND_RECEIVE_PACKAGE')
        ? 'received'
        : 'in_transit';
    case 'REFUND_OR_RETURN_REQUEST_REJECT':
    case 'REJECT_RECEIVE_PACKAGE':
    case 'REPLACEMENT_REQUEST_REJECT':
      return arbitration === 'IN_PROGRESS' ? 'disputed' : 'refused';
    case 'RETURN_OR_REFUND_REQUEST_SUCCESS':
      return 'accepted';
    case 'RETURN_OR_REFUND_REQUEST_COMPLETE':
    case 'REPLACEMENT_REQUEST_REFUND_SUCCESS':
      return 'refunded';
    case 'REPLACEMENT_REQUEST_COMPLETE':
      return 'closed';
    case 'RETURN_OR_REFUND_REQUEST_CANCEL':
    case 'REPLACEMENT_REQUEST_CANCEL':
      return 'cancelled';
    default:
      return 'unknown';
  }
}

/**
 * The core status of a TikTok cancellation: pending → `requested`, success → `accepted` (the
 * order is cancelled), complete → `refunded`; `…_CANCEL` closes the request without saying whether
 * the seller refused it or the buyer withdrew it, so it is `closed`.
 */
export function mapTikTokCancellationStatus(rawStatus: string): ReturnStatus {
  switch (normalizeTikTokAfterSaleStatus(rawStatus)) {
    case 'CANCELLATION_REQUEST_PENDING':
      return 'requested';
    case 'CANCELLATION_REQUEST_SUCCESS':
      return 'accepted';
    case 'CANCELLATION_REQUEST_COMPLETE':
      return 'refunded';
    case 'CANCELLATION_REQUEST_CANCEL':
      return 'closed';
    default:
      return 'unknown';
  }
}

/** The kind of a TikTok return: `REFUND` keeps the goods, `RETURN_AND_REFUND` sends them back. */
export function mapTikTokReturnKind(returnType: string | undefined): ReturnKind {
  switch (returnType?.trim().toUpperCase()) {
    case 'REFUND':
      return 'refund';
    case 'REPLACEMENT':
      return 'replacement';
    default:
      return 'return';
  }
}

function refundOf(amount: TikTokRefundAmount | undefined, fallbackCurrency?: string): Money | undefined {
  const currency = (amount?.currency || fallbackCurrency)?.toUpperCase();
  if (!amount?.refund_total || !currency) return undefined;
  return moneyInCurrencyScale(amount.refund_total, currency);
}

/** TikTok returns one line per unit: lines of the same SKU are kept apart, each of quantity 1. */
function itemsOf(
  lines: readonly TikTokReturnLineItem[] | undefined,
  currency: string | undefined,
): ReturnItem[] {
  return (lines ?? []).map((line): ReturnItem => {
    const refund = refundOf(line.refund_amount, currency);
    const externalId = line.return_line_item_id ?? line.cancel_line_item_id;
    return {
      ...(externalId ? { externalId } : {}),
      ...(line.order_line_item_id ? { orderItemExternalId: line.order_line_item_id } : {}),
      ...(line.sku_id ? { variantExternalId: line.sku_id } : {}),
      ...(line.seller_sku ? { sku: line.seller_sku } : {}),
      ...(line.product_name ? { title: line.product_name } : {}),
      quantity: 1,
      ...(refund ? { refundAmount: refund } : {}),
    };
  });
}

function deadlinesOf(
  next: readonly { action?: string | undefined; deadline?: number | undefined }[] | undefined,
): ReturnDeadline[] {
  return (next ?? [])
    .flatMap((entry): ReturnDeadline[] =>
      entry.action && entry.deadline
        ? [{ party: 'seller', action: entry.action, dueAt: secondsToIso(entry.deadline), mandatory: true }]
        : [],
    )
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** The seller's actions each `seller_next_action_response` allows. */
function actionsFor(nextActions: readonly string[]): ReturnAction[] {
  const actions = new Set<ReturnAction>();
  for (const action of nextActions.map((entry) => entry.toUpperCase())) {
    if (action === 'SELLER_RESPOND_REFUND' || action === 'SELLER_RESPOND_RETURN') {
      actions.add('accept');
      actions.add('refuse');
      actions.add('offer_partial_refund');
    } else if (action === 'SELLER_RESPOND_RECEIVE_PACKAGE') {
      actions.add('accept');
      actions.add('refuse');
      actions.add('review_received');
    } else if (action === 'SELLER_RESPOND_REPLACEMENT' || action === 'SELLER_RESPOND_CANCEL') {
      actions.add('accept');
      actions.add('refuse');
    }
  }
  return [...actions];
}

function shipmentOf(raw: TikTokReturn, status: ReturnStatus): ReturnShipment | undefined {
  const kind = mapTikTokReturnKind(raw.return_type);
  if (kind === 'refund' || raw.can_buyer_keep_item) return { status: 'not_required', shipmentIds: [] };
  const rawStatus = normalizeTikTokAfterSaleStatus(raw.return_status ?? '');
  const parcel =
    rawStatus === 'AWAITING_BUYER_SHIP'
      ? ('pending' as const)
      : status === 'received'
        ? ('delivered' as const)
        : rawStatus === 'BUYER_SHIPPED_ITEM'
          ? ('in_transit' as const)
          : undefined;
  if (!parcel && !raw.return_tracking_number) return undefined;
  return {
    status: parcel ?? 'unknown',
    ...(raw.return_status ? { rawStatus: raw.return_status } : {}),
    destination: 'seller',
    shipmentIds: [],
    ...(raw.return_tracking_number ? { trackingNumber: raw.return_tracking_number } : {}),
    ...(raw.return_provider_name ? { carrier: raw.return_provider_name } : {}),
  };
}

function resolutionOf(arbitration: string | undefined): Return['resolution'] {
  const code = arbitration?.trim().toUpperCase();
  if (!code) return undefined;
  const favours = code === 'SUPPORT_BUYER' ? 'buyer' : code === 'SUPPORT_SELLER' ? 'seller' : undefined;
  return { code, ...(favours ? { favours } : {}) };
}

function timesOf(
  createTime: number | undefined,
  updateTime: number | undefined,
  status: ReturnStatus,
): Pick<Return, 'createdAt' | 'updatedAt' | 'closedAt'> {
  const created = createTime ?? updateTime ?? 0;
  const updated = updateTime ?? created;
  return {
    createdAt: secondsToIso(created),
    updatedAt: secondsToIso(updated),
    ...(isReturnOpen(status) ? {} : { closedAt: secondsToIso(updated) }),
  };
}

/** A TikTok return (Search Returns) as a core `Return`; `rawStatus` is `return_status` as sent. */
export function mapTikTokReturn(raw: TikTokReturn, accountId: string): Return {
  const nextActions = (raw.seller_next_action_response ?? []).flatMap((entry) =>
    entry.action ? [entry.action] : [],
  );
  const rawStatus = raw.return_status ?? '';
  const status = mapTikTokReturnStatus(rawStatus, { nextActions, arbitrationStatus: raw.arbitration_status });
  const currency = raw.refund_amount?.currency;
  const refund = refundOf(raw.refund_amount);
  const shipment = shipmentOf(raw, status);
  const deadlines = isReturnOpen(status) ? deadlinesOf(raw.seller_next_action_response) : [];
  const resolution = resolutionOf(raw.arbitration_status);
  const related = [raw.pre_return_id, raw.next_return_id, raw.combined_return_id].flatMap((id) =>
    typeof id === 'string' && id !== '' ? [{ type: 'return', externalId: id }] : [],
  );
  return {
    marketplace: TIKTOK,
    accountId,
    externalId: raw.return_id,
    ...(raw.order_id ? { orderExternalId: raw.order_id } : {}),
    kind: mapTikTokReturnKind(raw.return_type),
    status,
    rawStatus,
    ...returnReasonOf(raw.return_reason, raw.return_reason_text),
    items: itemsOf(raw.return_line_items, currency),
    ...(refund ? { refundAmount: refund } : {}),
    ...(shipment ? { shipment } : {}),
    deadlines,
    ...(deadlines[0] ? { sellerDueAt: deadlines[0].dueAt } : {}),
    availableActions: isReturnOpen(status) ? actionsFor(nextActions) : [],
    evidence: [],
    ...(resolution ? { resolution } : {}),
    related,
    ...timesOf(raw.create_time, raw.update_time, status),
    raw,
  };
}

/**
 * A TikTok cancellation (Search Cancellations) as a core `Return` of kind `cancellation`. A buyer's
 * pending request can be accepted or refused even when TikTok sends no next action.
 */
export function mapTikTokCancellation(raw: TikTokCancellation, accountId: string): Return {
  const rawStatus = raw.cancel_status ?? '';
  const status = mapTikTokCancellationStatus(rawStatus);
  const nextActions = (raw.seller_next_action_response ?? []).flatMap((entry) =>
    entry.action ? [entry.action] : [],
  );
  const buyerRequest = raw.cancel_type?.toUpperCase() === 'BUYER_CANCEL';
  const pending = status === 'requested';
  const deadlines = pending ? deadlinesOf(raw.seller_next_action_response) : [];
  const refund = refundOf(raw.refund_amount);
  return {
    marketplace: TIKTOK,
    accountId,
    externalId: raw.cancel_id,
    ...(raw.order_id ? { orderExternalId: raw.order_id } : {}),
    kind: 'cancellation',
    status,
    rawStatus,
    ...returnReasonOf(raw.cancel_reason, raw.cancel_reason_text),
    items: itemsOf(raw.cancel_line_items, raw.refund_amount?.currency),
    ...(refund ? { refundAmount: refund } : {}),
    shipment: { status: 'not_required', shipmentIds: [] },
    deadlines,
    ...(deadlines[0] ? { sellerDueAt: deadlines[0].dueAt } : {}),
    availableActions: pending && (buyerRequest || nextActions.length > 0) ? ['accept', 'refuse'] : [],
    evidence: [],
    related: [],
    ...timesOf(raw.create_time, raw.update_time, status),
    raw,
  };
}
