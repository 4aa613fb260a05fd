import {
  checkReturnInput,
  type Money,
  multiplyMoney,
  Return,
  type ReturnAction,
  type ReturnDeadline,
  type ReturnItem,
  type ReturnKind,
  type ReturnShipment,
  type ReturnStatus,
  sumMoney,
  toDecimalString,
  withoutUndefined,
} from '@mlh/core';
import type { MeliClaim, MeliClaimPlayer, MeliExpectedResolutions, MeliReturn } from './claims-schemas';
import { meliMoney, meliTimestamp } from './mappers';
import type { MeliOrder } from './schemas';

/*
 * Mercado Livre claims (and the return of a claim) as core `Return`s: pure functions. The returns
 * part of `mappers.ts`, kept in its own file with its zod/mini schemas (`claims-schemas.ts`).
 */

/** The seller's claim actions behind each core action. */
export const MELI_ACTIONS_BY_CORE: Readonly<Record<ReturnAction, readonly string[]>> = Object.freeze({
  accept: Object.freeze(['allow_return', 'refund']),
  refuse: Object.freeze([]),
  offer_partial_refund: Object.freeze(['allow_partial_refund']),
  accept_buyer_offer: Object.freeze([]),
  dispute: Object.freeze(['open_dispute']),
  upload_evidence: Object.freeze([
    'send_message_to_complainant',
    'send_message_to_mediator',
    'send_attachments',
    'add_shipping_evidence',
    'return_review_fail',
  ]),
  review_received: Object.freeze(['return_review_ok', 'return_review_fail', 'return_review']),
  send_message: Object.freeze(['send_message_to_complainant', 'send_message_to_mediator']),
});

/** Resolution reasons that mean the buyer got money back. */
const REFUND_REASONS = new Set([
  'payment_refunded',
  'partial_refunded',
  'item_returned',
  'reimbursed',
  'respondent_timeout',
  'seller_did_not_help',
  'charged_back',
  'low_cost',
  'warehouse_decision',
  'warehouse_timeout',
  'coverage_decision',
]);
/** Resolution reasons that mean the buyer withdrew or the case lapsed. */
const WITHDRAWN_REASONS = new Set([
  'opened_claim_by_mistake',
  'prefered_to_keep_product',
  'preferred_to_keep_product',
  'worked_out_with_seller',
  'return_canceled',
  'return_expired',
  'change_expired',
  'change_cancelled_buyer',
  'change_cancelled_seller',
  'change_cancelled_meli',
  'timeout',
]);

const RETURN_PENDING = new Set(['pending', 'label_generated', 'scheduled']);
const RETURN_MOVING = new Set(['shipped', 'pending_delivered']);
const RETURN_FAILED = new Set(['not_delivered', 'return_to_buyer', 'pending_failure', 'failed']);
const RETURN_WITHDRAWN = new Set(['pending_cancel', 'cancelled', 'pending_expiration', 'expired']);

/** The related entities of a claim or return as plain names (`return`, `change`, `reviews`). */
export function relatedNames(entities: readonly unknown[]): string[] {
  return entities.flatMap((entity) => {
    if (typeof entity === 'string') return [entity];
    if (entity && typeof entity === 'object') {
      const record = entity as Record<string, unknown>;
      const name = record.type ?? record.name ?? record.entity;
      return typeof name === 'string' ? [name] : [];
    }
    return [];
  });
}

/** The seller's player: the one whose `user_id` is the seller, else the `respondent`. */
export function sellerPlayer(claim: MeliClaim, accountId: string): MeliClaimPlayer | undefined {
  return (
    claim.players.find((player) => player.user_id != null && String(player.user_id) === accountId) ??
    claim.players.find((player) => player.role === 'respondent')
  );
}

/** The action names the seller may take now on the claim. */
export function sellerActionNames(claim: MeliClaim, accountId: string): string[] {
  if (claim.status === 'closed') return [];
  return (sellerPlayer(claim, accountId)?.available_actions ?? []).map((entry) => entry.action);
}

/** What the buyer asked for, from the claim's type, its reason family and its return. */
export function meliClaimKind(claim: MeliClaim, hasReturn: boolean): ReturnKind {
  const type = claim.type ?? '';
  if (type === 'cancel_purchase' || type === 'cancel_sale') return 'cancellation';
  if (type === 'change' || relatedNames(claim.related_entities).includes('change')) return 'replacement';
  if (hasReturn || type === 'return' || type === 'returns') return 'return';
  return 'claim';
}

function favoursOf(benefited: readonly string[]): 'buyer' | 'seller' | 'both' | undefined {
  const buyer = benefited.includes('complainant');
  const seller = benefited.includes('respondent');
  if (buyer && seller) return 'both';
  if (buyer) return 'buyer';
  if (seller) return 'seller';
  return undefined;
}

/**
 * The core status of a claim and its return. A closed claim reads its resolution: money back is
 * `refunded`, a withdrawn or lapsed case is `cancelled`, a decision for the seller alone is
 * `refused`. An open one in stage `dispute` is `disputed`; with a return, the return's progress
 * decides; without one, a partial refund the seller offered is `negotiating`, else `requested`.
 */
export function meliClaimStatus(
  claim: MeliClaim,
  ret: MeliReturn | undefined,
  expected: MeliExpectedResolutions = [],
): ReturnStatus {
  if (claim.status === 'closed') {
    const reason = claim.resolution?.reason ?? '';
    if (REFUND_REASONS.has(reason) || ret?.status_money === 'refunded') return 'refunded';
    if (WITHDRAWN_REASONS.has(reason)) return 'cancelled';
    if (favoursOf(claim.resolution?.benefited ?? []) === 'seller') return 'refused';
    return 'closed';
  }
  if (claim.status !== 'opened') return 'unknown';
  if (claim.stage === 'dispute') return 'disputed';
  if (ret) {
    if (ret.status === 'delivered') return 'received';
    if (RETURN_MOVING.has(ret.status)) return 'in_transit';
    if (RETURN_WITHDRAWN.has(ret.status)) return 'cancelled';
    if (RETURN_PENDING.has(ret.status) || RETURN_FAILED.has(ret.status)) return 'accepted';
    return 'unknown';
  }
  const offered = expected.some((entry) => entry.player_role === 'respondent' && entry.status === 'pending');
  return offered ? 'negotiating' : 'requested';
}

function shipmentStatusOf(status: string | null | undefined): ReturnShipment['status'] {
  switch (status) {
    case 'pending':
    case 'handling':
    case 'ready_to_ship':
    case 'label_generated':
    case 'scheduled':
      return 'pending';
    case 'shipped':
    case 'pending_delivered':
      return 'in_transit';
    case 'delivered':
      return 'delivered';
    case 'not_delivered':
    case 'cancelled':
    case 'return_to_buyer':
    case 'failed':
      return 'failed';
    default:
      return 'unknown';
  }
}

/**
 * The goods' way back: the last shipment of the return (after triage, the one from the warehouse
 * to the seller), else the return's own status when it lists no shipment. A `low_cost` return
 * sends nothing back.
 */
export function meliReturnShipment(ret: MeliReturn): ReturnShipment {
  if (ret.subtype === 'low_cost') return { status: 'not_required', rawStatus: ret.status, shipmentIds: [] };
  const shipments = ret.shipments;
  const last = shipments[shipments.length - 1];
  const destination = last?.destination?.name;
  return withoutUndefined({
    status: shipmentStatusOf(last?.status ?? ret.status),
    rawStatus: last?.status ?? ret.status,
    destination:
      destination === 'seller_address'
        ? 'seller'
        : destination === 'warehouse'
          ? 'marketplace_warehouse'
          : undefined,
    shipmentIds: shipments.flatMap((entry) => (entry.shipment_id == null ? [] : [String(entry.shipment_id)])),
    trackingNumber: last?.tracking_number ?? undefined,
  }) as ReturnShipment;
}

function quantityOf(value: number | string | null | undefined): number | undefined {
  if (value == null) return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) && number > 0 ? Math.round(number) : undefined;
}

function orderLine(order: MeliOrder | undefined, itemId: string | null | undefined, variationId: unknown) {
  return order?.order_items.find(
    (line) =>
      line.item.id === itemId &&
      (variationId == null ||
        line.item.variation_id == null ||
        String(line.item.variation_id) === String(variationId)),
  );
}

function lineItem(
  order: MeliOrder | undefined,
  itemId: string,
  variationId: unknown,
  quantity: number,
): ReturnItem {
  const line = orderLine(order, itemId, variationId);
  const currency = order?.currency_id;
  return withoutUndefined({
    productExternalId: itemId,
    variantExternalId:
      variationId != null
        ? String(variationId)
        : line?.item.variation_id != null
          ? String(line.item.variation_id)
          : undefined,
    sku: line?.item.seller_sku ?? line?.item.seller_custom_field ?? undefined,
    title: line?.item.title ?? undefined,
    quantity,
    refundAmount:
      line && currency ? multiplyMoney(meliMoney(line.unit_price, currency), quantity) : undefined,
  }) as ReturnItem;
}

/**
 * The lines of the case: the return's `orders[]` (item, variation, `return_quantity`) when there
 * is a return; else the order's lines, the claimed quantity when the claim is about part of one
 * line. SKU, title and the refund of each line come from the order (unit price × quantity).
 */
export function meliReturnItems(
  claim: MeliClaim,
  ret: MeliReturn | undefined,
  order: MeliOrder | undefined,
): ReturnItem[] {
  if (ret && ret.orders.length > 0) {
    return ret.orders.flatMap((entry) => {
      const quantity = quantityOf(entry.return_quantity) ?? quantityOf(entry.total_quantity);
      if (!entry.item_id || quantity === undefined) return [];
      return [lineItem(order, entry.item_id, entry.variation_id, quantity)];
    });
  }
  if (!order) return [];
  const claimed = quantityOf(claim.claimed_quantity);
  const partial =
    claim.quantity_type === 'partial' && order.order_items.length === 1 && claimed !== undefined;
  return order.order_items.map((line) =>
    lineItem(
      order,
      line.item.id,
      line.item.variation_id,
      partial ? Math.min(claimed, line.quantity) : line.quantity,
    ),
  );
}

/** Every open deadline of the claim, earliest first; `party` from the player's type. */
export function meliClaimDeadlines(claim: MeliClaim, accountId: string): ReturnDeadline[] {
  if (claim.status === 'closed') return [];
  const seller = sellerPlayer(claim, accountId);
  return claim.players
    .flatMap((player) =>
      player.available_actions.flatMap((entry) => {
        const dueAt = meliTimestamp(entry.due_date);
        if (!dueAt) return [];
        const party: ReturnDeadline['party'] =
          player === seller
            ? 'seller'
            : player.type === 'buyer' || player.role === 'complainant'
              ? 'buyer'
              : 'marketplace';
        return [
          withoutUndefined({
            party,
            action: entry.action,
            dueAt,
            mandatory: entry.mandatory ?? undefined,
          }) as ReturnDeadline,
        ];
      }),
    )
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

/** The core actions the seller's listed claim actions allow. */
export function meliAvailableActions(names: readonly string[]): ReturnAction[] {
  return (Object.entries(MELI_ACTIONS_BY_CORE) as Array<[ReturnAction, readonly string[]]>)
    .filter(([, meli]) => meli.some((name) => names.includes(name)))
    .map(([action]) => action);
}

/** What {@link mapMeliClaim} reads besides the claim. */
export interface MapMeliClaimInput {
  claim: MeliClaim;
  /** The claim's return (`/v2/claims/{id}/returns`), when it has one. */
  return?: MeliReturn | undefined;
  /** The claimed order, for SKUs, titles and prices. */
  order?: MeliOrder | undefined;
  /** What each side expects (read for an open claim without a return: a pending offer is `negotiating`). */
  expectedResolutions?: MeliExpectedResolutions | undefined;
  accountId: string;
}

/**
 * A Mercado Livre claim (with its return and order) as a core `Return`. `externalId` is the
 * claim id, which `post_purchase`/`claims` notifications name; the return id is in `related`.
 * `refundAmount` is the claimed lines' price (unit price × quantity) when the claim ends, or
 * would end, in a full refund; a partial refund's amount is not reported by the claim, so it is
 * absent then.
 */
export function mapMeliClaim(input: MapMeliClaimInput): Return {
  const { claim, order, accountId } = input;
  const ret = input.return;
  const status = meliClaimStatus(claim, ret, input.expectedResolutions);
  const items = meliReturnItems(claim, ret, order);
  const deadlines = meliClaimDeadlines(claim, accountId);
  const currency = order?.currency_id;
  const partial = claim.resolution?.reason === 'partial_refunded' || status === 'negotiating';
  const lineRefunds = items.flatMap((item) => (item.refundAmount ? [item.refundAmount] : []));
  const refundAmount: Money | undefined =
    !partial && currency && lineRefunds.length === items.length && items.length > 0
      ? sumMoney(lineRefunds, currency)
      : undefined;
  const related = [
    ...(ret ? [{ type: 'return', externalId: String(ret.id) }] : []),
    ...(claim.parent_id == null ? [] : [{ type: 'parent_claim', externalId: String(claim.parent_id) }]),
  ];
  const createdAt = meliTimestamp(claim.date_created);
  const updated = [meliTimestamp(claim.last_updated), meliTimestamp(ret?.last_updated)]
    .filter((value): value is string => value !== undefined)
    .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  const orderId =
    claim.resource === 'order' && claim.resource_id != null
      ? String(claim.resource_id)
      : ret?.orders[0]?.order_id != null
        ? String(ret.orders[0].order_id)
        : order
          ? String(order.id)
          : undefined;
  const rawStatus = [claim.status, claim.stage, ret ? `return:${ret.status}` : undefined]
    .filter(Boolean)
    .join('/');
  const resolution = claim.resolution;
  return checkReturnInput(
    Return,
    withoutUndefined({
      marketplace: 'meli',
      accountId,
      externalId: String(claim.id),
      orderExternalId: orderId,
      packId: order?.pack_id == null ? undefined : String(order.pack_id),
      kind: meliClaimKind(claim, ret !== undefined),
      status,
      rawStatus,
      reason: claim.reason_id ? { code: claim.reason_id } : undefined,
      items,
      refundAmount,
      shipment: ret ? meliReturnShipment(ret) : undefined,
      deadlines,
      sellerDueAt: deadlines.find((deadline) => deadline.party === 'seller')?.dueAt,
      availableActions: meliAvailableActions(sellerActionNames(claim, accountId)),
      evidence: [],
      resolution: resolution
        ? withoutUndefined({
            code: resolution.reason ?? undefined,
            favours: favoursOf(resolution.benefited),
            decidedAt: meliTimestamp(resolution.date_created),
          })
        : undefined,
      related,
      createdAt,
      updatedAt: updated ?? createdAt,
      closedAt: claim.status === 'closed' ? (meliTimestamp(resolution?.date_created) ?? updated) : undefined,
      raw: { claim, return: ret, order, expectedResolutions: input.expectedResolutions },
    }),
    'Mercado Livre claim',
    'meli',
  );
}

/** A percentage offered as a number (`50`), read from `"50"` or `50.0` alike. */
export function percentageOf(value: number | string | null | undefined): number | undefined {
  if (value == null) return undefined;
  const number = Number(toDecimalString(value));
  return Number.isFinite(number) ? number : undefined;
}
