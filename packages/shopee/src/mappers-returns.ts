import {
  isReturnOpen,
  type Money,
  moneyInCurrencyScale,
  type Return,
  type ReturnAction,
  type ReturnDeadline,
  type ReturnEvidence,
  type ReturnItem,
  type ReturnShipment,
  type ReturnShipmentStatus,
  type ReturnStatus,
  returnReasonOf,
} from '@mlh/core';
import { fromShopeeTime } from './mappers';
import type { ShopeeReturn, ShopeeReturnAmount } from './schemas-returns';
import { SHOPEE } from './transport';

/** Raw → core mapping of Shopee's returns module: pure functions. */

/** A Shopee `ReturnStatus` as compared: upper case, without the `RETURN_` prefix some texts add, `JUDING` (sic) read as `JUDGING`. */
export function normalizeShopeeReturnStatus(raw: string): string {
  const status = raw
    .trim()
    .toUpperCase()
    .replace(/^RETURN_/, '');
  return status === 'JUDING' ? 'JUDGING' : status;
}

/**
 * The core status of a Shopee return. `REQUESTED` is `negotiating` while an offer waits for the
 * buyer; `PROCESSING` (a return in progress) follows the parcel: `in_transit` once picked up,
 * `received` once delivered, else `accepted`; `ACCEPTED` means the buyer is refunded. An unknown
 * status is `unknown`, never guessed.
 */
export function mapShopeeReturnStatus(
  rawStatus: string,
  context: {
    negotiationStatus?: string | null | undefined;
    reverseLogisticsStatus?: string | null | undefined;
  } = {},
): ReturnStatus {
  const negotiating = context.negotiationStatus?.trim().toUpperCase() === 'PENDING_BUYER_RESPOND';
  switch (normalizeShopeeReturnStatus(rawStatus)) {
    case 'REQUESTED':
      return negotiating ? 'negotiating' : 'requested';
    case 'PROCESSING': {
      if (negotiating) return 'negotiating';
      const parcel = mapShopeeReverseLogistics(context.reverseLogisticsStatus ?? '');
      return parcel === 'in_transit' ? 'in_transit' : parcel === 'delivered' ? 'received' : 'accepted';
    }
    case 'ACCEPTED':
      return 'refunded';
    case 'CANCELLED':
      return 'cancelled';
    case 'SELLER_DISPUTE':
    case 'JUDGING':
      return 'disputed';
    case 'CLOSED':
      return 'closed';
    default:
      return 'unknown';
  }
}

/** The state of the parcel coming back, from the reverse-logistics status (codes or display words). */
export function mapShopeeReverseLogistics(raw: string): ReturnShipmentStatus {
  const status = raw.trim().toUpperCase().replace(/\s+/g, '_');
  if (status === '') return 'unknown';
  if (
    [
      'LOGISTICS_PENDING_ARRANGE',
      'LOGISTICS_READY',
      'LOGISTICS_REQUEST_CREATED',
      'LOGISTICS_PICKUP_RETRY',
      'PREPARING',
    ].includes(status)
  )
    return 'pending';
  if (status === 'LOGISTICS_PICKUP_DONE') return 'in_transit';
  if (status === 'LOGISTICS_DELIVERY_DONE' || status === 'DELIVERED') return 'delivered';
  if (
    [
      'LOGISTICS_PICKUP_FAILED',
      'LOGISTICS_DELIVERY_FAILED',
      'LOGISTICS_LOST',
      'DELIVERY_FAILED',
      'LOST',
    ].includes(status)
  )
    return 'failed';
  return 'unknown';
}

function amountOf(
  value: ShopeeReturnAmount | null | undefined,
  currency: string | undefined,
): Money | undefined {
  if (value === null || value === undefined || !currency) return undefined;
  return moneyInCurrencyScale(value, currency);
}

function positiveTime(value: number | null | undefined): number | undefined {
  return value !== null && value !== undefined && value > 0 ? value : undefined;
}

function itemsOf(raw: ShopeeReturn, currency: string | undefined): ReturnItem[] {
  return (raw.item ?? []).flatMap((line): ReturnItem[] => {
    const quantity = line.amount ?? undefined;
    // A line without a positive whole quantity says nothing the model can hold; `raw` keeps it.
    if (quantity === undefined || !Number.isInteger(quantity) || quantity < 1) return [];
    const refund = amountOf(line.refund_amount, currency);
    const sku = line.variation_sku || line.item_sku || undefined;
    return [
      {
        productExternalId: line.item_id,
        ...(line.model_id && line.model_id !== '0' ? { variantExternalId: line.model_id } : {}),
        ...(sku ? { sku } : {}),
        ...(line.name ? { title: line.name } : {}),
        quantity,
        ...(refund ? { refundAmount: refund } : {}),
      },
    ];
  });
}

function shipmentOf(raw: ShopeeReturn): ReturnShipment | undefined {
  const destination =
    raw.validation_type === 'warehouse_validation'
      ? ('marketplace_warehouse' as const)
      : raw.validation_type === 'seller_validation'
        ? ('seller' as const)
        : undefined;
  if (raw.return_solution === 1) return { status: 'not_required', shipmentIds: [] };
  const rawStatus = raw.reverse_logistics_status || raw.reverse_logistic_status || raw.logistics_status || '';
  if (rawStatus === '' && !raw.tracking_number) return undefined;
  return {
    status: rawStatus === '' ? 'unknown' : mapShopeeReverseLogistics(rawStatus),
    ...(rawStatus ? { rawStatus } : {}),
    ...(destination ? { destination } : {}),
    shipmentIds: [],
    ...(raw.tracking_number ? { trackingNumber: raw.tracking_number } : {}),
  };
}

function deadlinesOf(raw: ShopeeReturn, status: ReturnStatus): ReturnDeadline[] {
  if (!isReturnOpen(status)) return [];
  const deadlines: ReturnDeadline[] = [];
  const add = (
    party: ReturnDeadline['party'],
    action: string,
    seconds: number | undefined,
    mandatory?: boolean,
  ) => {
    if (seconds !== undefined)
      deadlines.push({ party, action, dueAt: fromShopeeTime(seconds), ...(mandatory ? { mandatory } : {}) });
  };
  const raw_status = normalizeShopeeReturnStatus(raw.status ?? '');
  const negotiation = (raw.negotiation?.negotiation_status ?? raw.negotiation_status ?? '').toUpperCase();
  if (raw_status === 'REQUESTED' && negotiation !== 'PENDING_BUYER_RESPOND')
    add('seller', 'respond', positiveTime(raw.due_date));
  if (negotiation === 'PENDING_BUYER_RESPOND')
    add('buyer', 'respond_offer', positiveTime(raw.negotiation?.offer_due_date));
  if (raw_status === 'PROCESSING') {
    const parcel = mapShopeeReverseLogistics(
      raw.reverse_logistics_status || raw.reverse_logistic_status || raw.logistics_status || '',
    );
    if (parcel === 'pending' || parcel === 'unknown')
      add('buyer', 'ship_return', positiveTime(raw.return_ship_due_date));
    if (parcel === 'delivered') add('seller', 'review_received', positiveTime(raw.return_seller_due_date));
  }
  const proof = (raw.seller_proof?.seller_proof_status ?? raw.seller_proof_status ?? '').toUpperCase();
  if (proof === 'PENDING')
    add('seller', 'upload_evidence', positiveTime(raw.seller_proof?.seller_evidence_deadline), true);
  return deadlines.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/**
 * What the seller can do now. Shopee has no plain refusal: a seller who disagrees disputes.
 * A warehouse-validated return leaves the seller only the dispute and its evidence.
 */
function actionsOf(raw: ShopeeReturn): ReturnAction[] {
  const status = normalizeShopeeReturnStatus(raw.status ?? '');
  const negotiation = (raw.negotiation?.negotiation_status ?? raw.negotiation_status ?? '').toUpperCase();
  const bySeller = raw.validation_type !== 'warehouse_validation';
  const actions: ReturnAction[] = [];
  if ((status === 'REQUESTED' || status === 'PROCESSING') && bySeller) {
    actions.push('accept');
    if (negotiation === 'PENDING_RESPOND') {
      actions.push('offer_partial_refund');
      if (raw.negotiation?.latest_offer_creator?.toLowerCase() === 'buyer')
        actions.push('accept_buyer_offer');
    }
  }
  if (status === 'REQUESTED' || status === 'PROCESSING' || status === 'ACCEPTED') actions.push('dispute');
  const proof = (raw.seller_proof?.seller_proof_status ?? raw.seller_proof_status ?? '').toUpperCase();
  const inCase = ['REQUESTED', 'PROCESSING', 'ACCEPTED', 'SELLER_DISPUTE', 'JUDGING'].includes(status);
  if (inCase && (proof === 'PENDING' || proof === 'UPLOADED')) actions.push('upload_evidence');
  return actions;
}

function evidenceOf(raw: ShopeeReturn): ReturnEvidence[] {
  return [
    ...(raw.image ?? [])
      .filter(Boolean)
      .map((url): ReturnEvidence => ({ from: 'buyer', kind: 'image', url })),
    ...(raw.buyer_videos ?? []).flatMap((video): ReturnEvidence[] =>
      video.video_url ? [{ from: 'buyer', kind: 'video', url: video.video_url }] : [],
    ),
  ];
}

/**
 * A Shopee return (list entry or detail) as a core `Return`. `rawStatus` is Shopee's status as
 * sent; `currency` names the shop's currency for a payload without one.
 */
export function mapShopeeReturn(
  raw: ShopeeReturn,
  accountId: string,
  options: { currency?: string | undefined } = {},
): Return {
  const rawStatus = raw.status ?? '';
  const status = mapShopeeReturnStatus(rawStatus, {
    negotiationStatus: raw.negotiation?.negotiation_status ?? raw.negotiation_status,
    reverseLogisticsStatus:
      raw.reverse_logistics_status || raw.reverse_logistic_status || raw.logistics_status,
  });
  const currency = (raw.currency || options.currency)?.toUpperCase();
  const refund = amountOf(raw.refund_amount, currency);
  const shipment = shipmentOf(raw);
  const deadlines = deadlinesOf(raw, status);
  const sellerDue = deadlines.find((deadline) => deadline.party === 'seller');
  const created = raw.create_time ?? raw.update_time ?? 0;
  const updated = raw.update_time ?? created;
  return {
    marketplace: SHOPEE,
    accountId,
    externalId: raw.return_sn,
    ...(raw.order_sn ? { orderExternalId: raw.order_sn } : {}),
    kind: raw.return_solution === 1 ? 'refund' : 'return',
    status,
    rawStatus,
    ...returnReasonOf(raw.reason, raw.text_reason),
    items: itemsOf(raw, currency),
    ...(refund ? { refundAmount: refund } : {}),
    ...(shipment ? { shipment } : {}),
    deadlines,
    ...(sellerDue ? { sellerDueAt: sellerDue.dueAt } : {}),
    availableActions: actionsOf(raw),
    evidence: evidenceOf(raw),
    related: [],
    createdAt: fromShopeeTime(created),
    updatedAt: fromShopeeTime(updated),
    ...(isReturnOpen(status) ? {} : { closedAt: fromShopeeTime(updated) }),
    raw,
  };
}
