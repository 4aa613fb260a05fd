/**
 * Returns and refunds of the TikTok Shop sandbox (reference catalog-and-after-sale §3): the
 * buyer's request, the seller's decisions (approve, reject, partial refund, received package),
 * the buyer's and the platform's answers, and the deadlines the sandbox clock enforces. Deadlines
 * are applied lazily: every return route and driver first settles what the clock has made due,
 * sending RETURN_STATUS_CHANGE for each status it moves.
 */
import type { TikTokSandboxContext } from './context';
import { tiktokError } from './errors';
import { TikTokSandboxError } from './lifecycle';
import type { TikTokSandboxOrder } from './state';

/** `return_status` values the sandbox uses (reference §3.10). */
export type TikTokReturnStatus =
  | 'RETURN_OR_REFUND_REQUEST_PENDING'
  | 'REFUND_OR_RETURN_REQUEST_REJECT'
  | 'AWAITING_BUYER_SHIP'
  | 'BUYER_SHIPPED_ITEM'
  | 'REJECT_RECEIVE_PACKAGE'
  | 'RETURN_OR_REFUND_REQUEST_SUCCESS'
  | 'RETURN_OR_REFUND_REQUEST_CANCEL'
  | 'RETURN_OR_REFUND_REQUEST_COMPLETE'
  | 'AWAITING_BUYER_RESPONSE';

/** `seller_next_action_response[].action`. */
export type TikTokSellerNextAction =
  | 'SELLER_RESPOND_REFUND'
  | 'SELLER_RESPOND_RETURN'
  | 'SELLER_RESPOND_RECEIVE_PACKAGE';

/** One entry of a return's timeline (Get Return Records). */
export interface TikTokSandboxReturnRecord {
  event: string;
  role: 'BUYER' | 'SELLER' | 'SYSTEM' | 'OPERATOR';
  description: string;
  reasonText: string;
  note: string;
  createTime: number;
}

/** A return or refund request. */
export interface TikTokSandboxReturn {
  id: string;
  orderId: string;
  shopId: string;
  type: 'REFUND' | 'RETURN_AND_REFUND';
  status: TikTokReturnStatus;
  role: 'BUYER';
  reason: string;
  reasonText: string;
  currency: string;
  lines: {
    id: string;
    orderLineItemId: string;
    skuId: string;
    skuName: string;
    sellerSku: string;
    productName: string;
    refund: string;
  }[];
  /** What the buyer gets back, exact. */
  refundTotal: string;
  nextAction: { action: TikTokSellerNextAction; deadline: number } | undefined;
  /** The buyer's deadline (to ship the item back, or to answer a partial refund). */
  buyerDeadline: number | undefined;
  /** When an approved refund is paid out (RETURN_OR_REFUND_REQUEST_SUCCESS → _COMPLETE). */
  refundDueTime: number | undefined;
  trackingNumber: string;
  providerName: string;
  /** Whether the parcel reached the seller. */
  parcelDelivered: boolean;
  canBuyerKeepItem: boolean;
  partialRefund: { amount: string; currency: string } | undefined;
  buyerRejectedPartialRefund: boolean;
  arbitrationStatus: '' | 'IN_PROGRESS' | 'SUPPORT_BUYER' | 'SUPPORT_SELLER' | 'CLOSED';
  rejectReason: string;
  records: TikTokSandboxReturnRecord[];
  createTime: number;
  updateTime: number;
}

/** How long each party has, in seconds (the sandbox's defaults; TikTok varies by market). */
export interface TikTokReturnDeadlines {
  /** The seller's time to answer a request or a received package. Default 2 days. */
  sellerRespond: number;
  /** The buyer's time to ship the item back or answer an offer. Default 7 days. */
  buyerRespond: number;
  /** From an approved refund to the money reaching the buyer. Default 1 hour. */
  refundProcessing: number;
}

/** Default return deadlines. */
export const TIKTOK_RETURN_DEADLINES: Readonly<TikTokReturnDeadlines> = {
  sellerRespond: 2 * 86_400,
  buyerRespond: 7 * 86_400,
  refundProcessing: 3_600,
};

/** Reject reasons per kind of request, as Get Reject Reasons lists them (names follow TikTok's patterns). */
export const TIKTOK_SANDBOX_REJECT_REASONS = {
  request: [
    { name: 'reverse_reject_request_reason_product_intact', text: 'The product is intact and as described' },
    { name: 'reverse_reject_request_reason_out_of_policy', text: 'The request is outside the return policy' },
  ],
  package: [
    { name: 'reverse_reject_receive_reason_not_received', text: 'The returned package was not received' },
    { name: 'reverse_reject_receive_reason_wrong_item', text: 'The returned item is not the one sold' },
  ],
  cancellation: [
    { name: 'seller_reject_apply_product_has_been_packed', text: 'The product has already been packed' },
    { name: 'seller_reject_apply_buyer_agreed_to_receive', text: 'The buyer agreed to receive the order' },
  ],
} as const;

/** Input of the buyer's request ({@link TikTokSandboxReturns.open}). */
export interface TikTokOpenReturnInput {
  orderId: string;
  /** `REFUND` (refund only) or `RETURN_AND_REFUND` (default). */
  type?: 'REFUND' | 'RETURN_AND_REFUND';
  /** Order line items returned (each is one unit); default every line of the order. */
  lineItemIds?: readonly string[];
  /** Default `ecom_order_delivered_refund_reason_damaged`. */
  reason?: string;
  reasonText?: string;
}

function deadlines(context: TikTokSandboxContext): TikTokReturnDeadlines {
  return { ...TIKTOK_RETURN_DEADLINES, ...context.returnDeadlines };
}

function record(
  entry: TikTokSandboxReturn,
  role: TikTokSandboxReturnRecord['role'],
  description: string,
  time: number,
  extra: { reasonText?: string; note?: string } = {},
): void {
  entry.records.push({
    event: 'ORDER_RETURN',
    role,
    description,
    reasonText: extra.reasonText ?? '',
    note: extra.note ?? '',
    createTime: time,
  });
}

/** Moves a return to `status` at `time` and sends RETURN_STATUS_CHANGE. */
function moveTo(
  context: TikTokSandboxContext,
  entry: TikTokSandboxReturn,
  status: TikTokReturnStatus,
  time: number,
): void {
  entry.status = status;
  entry.updateTime = time;
  if (status === 'RETURN_OR_REFUND_REQUEST_SUCCESS')
    entry.refundDueTime = time + deadlines(context).refundProcessing;
  context.notify(entry.shopId, 'RETURN_STATUS_CHANGE', {
    order_id: entry.orderId,
    return_id: entry.id,
    return_status: status,
    return_type: entry.type,
    return_role: entry.role,
    create_time: entry.createTime,
    update_time: time,
  });
}

function awaitSeller(
  context: TikTokSandboxContext,
  entry: TikTokSandboxReturn,
  action: TikTokSellerNextAction,
  from: number,
): void {
  entry.nextAction = { action, deadline: from + deadlines(context).sellerRespond };
  entry.buyerDeadline = undefined;
}

function approveRefund(context: TikTokSandboxContext, entry: TikTokSandboxReturn, time: number): void {
  entry.nextAction = undefined;
  entry.buyerDeadline = undefined;
  moveTo(context, entry, 'RETURN_OR_REFUND_REQUEST_SUCCESS', time);
}

function awaitBuyerShipping(context: TikTokSandboxContext, entry: TikTokSandboxReturn, time: number): void {
  entry.nextAction = undefined;
  entry.buyerDeadline = time + deadlines(context).buyerRespond;
  moveTo(context, entry, 'AWAITING_BUYER_SHIP', time);
}

/**
 * Applies every deadline the clock has passed: the seller's silence approves (a refund is paid, a
 * return waits for the buyer's parcel, a received package is accepted), the buyer's silence on a
 * partial refund keeps the original request, an unshipped return is cancelled, and an approved
 * refund completes once paid.
 */
export function settleReturns(context: TikTokSandboxContext): void {
  const now = context.nowSeconds();
  for (const entry of context.state.returns.values()) {
    for (let guard = 0; guard < 8; guard += 1) {
      if (!settleOnce(context, entry, now)) break;
    }
  }
}

/** The partial refund is off (the buyer said no or let it lapse): the request is the seller's again. */
function declinePartialRefund(
  context: TikTokSandboxContext,
  entry: TikTokSandboxReturn,
  role: TikTokSandboxReturnRecord['role'],
  description: string,
  at: number,
): void {
  entry.buyerRejectedPartialRefund = true;
  entry.partialRefund = undefined;
  record(entry, role, description, at);
  awaitSeller(
    context,
    entry,
    entry.type === 'REFUND' ? 'SELLER_RESPOND_REFUND' : 'SELLER_RESPOND_RETURN',
    at,
  );
  moveTo(context, entry, 'RETURN_OR_REFUND_REQUEST_PENDING', at);
}

function settleOnce(context: TikTokSandboxContext, entry: TikTokSandboxReturn, now: number): boolean {
  const action = entry.nextAction;
  if (action && now >= action.deadline) {
    record(entry, 'SYSTEM', 'The seller did not respond in time: approved automatically', action.deadline);
    if (action.action === 'SELLER_RESPOND_RETURN') awaitBuyerShipping(context, entry, action.deadline);
    else approveRefund(context, entry, action.deadline);
    return true;
  }
  if (entry.buyerDeadline !== undefined && now >= entry.buyerDeadline) {
    const due = entry.buyerDeadline;
    if (entry.status === 'AWAITING_BUYER_RESPONSE') {
      declinePartialRefund(context, entry, 'SYSTEM', 'The buyer did not answer the partial refund', due);
      return true;
    }
    if (entry.status === 'AWAITING_BUYER_SHIP') {
      entry.buyerDeadline = undefined;
      record(entry, 'SYSTEM', 'The buyer did not ship the item back in time', due);
      moveTo(context, entry, 'RETURN_OR_REFUND_REQUEST_CANCEL', due);
      return true;
    }
  }
  if (
    entry.status === 'RETURN_OR_REFUND_REQUEST_SUCCESS' &&
    entry.refundDueTime !== undefined &&
    now >= entry.refundDueTime
  ) {
    const paid = entry.refundDueTime;
    entry.refundDueTime = undefined;
    record(entry, 'SYSTEM', 'Refund paid to the buyer', paid);
    moveTo(context, entry, 'RETURN_OR_REFUND_REQUEST_COMPLETE', paid);
    return true;
  }
  return false;
}

const RETURNABLE = ['IN_TRANSIT', 'DELIVERED', 'COMPLETED'];

function openStatus(status: TikTokReturnStatus): boolean {
  return ![
    'REFUND_OR_RETURN_REQUEST_REJECT',
    'REJECT_RECEIVE_PACKAGE',
    'RETURN_OR_REFUND_REQUEST_CANCEL',
    'RETURN_OR_REFUND_REQUEST_COMPLETE',
    'RETURN_OR_REFUND_REQUEST_SUCCESS',
  ].includes(status);
}

function sumDecimal(values: readonly string[]): string {
  let cents = 0n;
  for (const value of values) {
    const [whole = '0', fraction = ''] = value.split('.');
    cents += BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  }
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

function cents(value: string): bigint {
  const [whole = '0', fraction = ''] = value.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
}

/** The buyer asks for a refund or a return on a shipped order. */
export function openReturn(context: TikTokSandboxContext, input: TikTokOpenReturnInput): TikTokSandboxReturn {
  settleReturns(context);
  const order: TikTokSandboxOrder | undefined = context.state.orders.get(input.orderId);
  if (!order) throw new TikTokSandboxError(`Unknown order ${input.orderId}`);
  if (!RETURNABLE.includes(order.status))
    throw new TikTokSandboxError(`Order ${order.id} is ${order.status}: a return needs a shipped order`);
  const underReturn = new Set(
    [...context.state.returns.values()]
      .filter((entry) => entry.orderId === order.id && entry.status !== 'RETURN_OR_REFUND_REQUEST_CANCEL')
      .flatMap((entry) => entry.lines.map((line) => line.orderLineItemId)),
  );
  const wanted = input.lineItemIds ?? order.lineItems.map((item) => item.id);
  const lines = wanted.map((lineItemId) => {
    const item = order.lineItems.find((candidate) => candidate.id === lineItemId);
    if (!item) throw new TikTokSandboxError(`Order ${order.id} has no line item ${lineItemId}`);
    if (underReturn.has(lineItemId))
      throw new TikTokSandboxError(`Line item ${lineItemId} is already in a return`);
    return {
      id: context.state.nextId('returnLineItem'),
      orderLineItemId: item.id,
      skuId: item.skuId,
      skuName: item.skuName,
      sellerSku: item.sellerSku,
      productName: item.productName,
      refund: sumDecimal([item.salePrice]),
    };
  });
  if (lines.length === 0) throw new TikTokSandboxError('A return needs at least one line item');
  const now = context.nowSeconds();
  const type = input.type ?? 'RETURN_AND_REFUND';
  const entry: TikTokSandboxReturn = {
    id: context.state.nextId('return'),
    orderId: order.id,
    shopId: order.shopId,
    type,
    status: 'RETURN_OR_REFUND_REQUEST_PENDING',
    role: 'BUYER',
    reason: input.reason ?? 'ecom_order_delivered_refund_reason_damaged',
    reasonText: input.reasonText ?? 'Damaged product',
    currency: order.currency,
    lines,
    refundTotal: sumDecimal(lines.map((line) => line.refund)),
    nextAction: undefined,
    buyerDeadline: undefined,
    refundDueTime: undefined,
    trackingNumber: '',
    providerName: '',
    parcelDelivered: false,
    canBuyerKeepItem: type === 'REFUND',
    partialRefund: undefined,
    buyerRejectedPartialRefund: false,
    arbitrationStatus: '',
    rejectReason: '',
    records: [],
    createTime: now,
    updateTime: now,
  };
  awaitSeller(context, entry, type === 'REFUND' ? 'SELLER_RESPOND_REFUND' : 'SELLER_RESPOND_RETURN', now);
  record(entry, 'BUYER', 'The buyer requested a return', now, { reasonText: entry.reasonText });
  context.state.returns.set(entry.id, entry);
  moveTo(context, entry, 'RETURN_OR_REFUND_REQUEST_PENDING', now);
  return entry;
}

function refuse(message: string): never {
  throw tiktokError('returnActionNotAllowed', message);
}

function requireAction(
  entry: TikTokSandboxReturn,
  allowed: readonly TikTokSellerNextAction[],
  decision: string,
): void {
  if (!entry.nextAction || !allowed.includes(entry.nextAction.action))
    refuse(
      `${decision} is not allowed while the return is ${entry.status}${entry.nextAction ? ` (${entry.nextAction.action})` : ''}`,
    );
}

/** Input of an approve decision, as the route parsed it. */
export interface TikTokApproveDecisionInput {
  decision: string;
  buyerKeepItem?: boolean | undefined;
  partialRefund?: { amount: string; currency: string } | undefined;
}

/** The seller approves: the decision must fit `seller_next_action_response`. */
export function sellerApprove(
  context: TikTokSandboxContext,
  entry: TikTokSandboxReturn,
  input: TikTokApproveDecisionInput,
): void {
  const now = context.nowSeconds();
  switch (input.decision) {
    case 'APPROVE_REFUND':
      requireAction(entry, ['SELLER_RESPOND_REFUND'], input.decision);
      record(entry, 'SELLER', 'The seller approved the refund', now);
      approveRefund(context, entry, now);
      return;
    case 'APPROVE_RETURN':
      requireAction(entry, ['SELLER_RESPOND_RETURN'], input.decision);
      record(entry, 'SELLER', 'The seller approved the return', now);
      if (input.buyerKeepItem) {
        entry.canBuyerKeepItem = true;
        approveRefund(context, entry, now);
      } else awaitBuyerShipping(context, entry, now);
      return;
    case 'APPROVE_RECEIVED_PACKAGE':
      requireAction(entry, ['SELLER_RESPOND_RECEIVE_PACKAGE'], input.decision);
      record(entry, 'SELLER', 'The seller confirmed the returned package', now);
      approveRefund(context, entry, now);
      return;
    case 'OFFER_PARTIAL_REFUND': {
      requireAction(entry, ['SELLER_RESPOND_REFUND', 'SELLER_RESPOND_RETURN'], input.decision);
      const offer = input.partialRefund;
      if (!offer) throw tiktokError('invalidParam', 'partial_refund is required with OFFER_PARTIAL_REFUND');
      if (!/^\d+(\.\d{1,2})?$/.test(offer.amount) || cents(offer.amount) <= 0n)
        throw tiktokError(
          'invalidParam',
          'partial_refund.amount must be a positive amount with at most 2 decimals',
        );
      if (offer.currency !== entry.currency)
        throw tiktokError('invalidParam', `partial_refund.currency must be ${entry.currency}`);
      if (cents(offer.amount) >= cents(entry.refundTotal))
        throw tiktokError('invalidParam', `partial_refund.amount must be less than ${entry.refundTotal}`);
      entry.partialRefund = { amount: offer.amount, currency: offer.currency };
      entry.nextAction = undefined;
      entry.buyerDeadline = now + deadlines(context).buyerRespond;
      record(entry, 'SELLER', 'The seller offered a partial refund', now, { note: offer.amount });
      moveTo(context, entry, 'AWAITING_BUYER_RESPONSE', now);
      return;
    }
    default:
      throw tiktokError('invalidParam', `decision ${input.decision} is not supported`);
  }
}

/** The seller rejects with one of the reasons Get Reject Reasons lists for this return. */
export function sellerReject(
  context: TikTokSandboxContext,
  entry: TikTokSandboxReturn,
  input: { decision: string; reason: string; comment: string },
): void {
  const now = context.nowSeconds();
  const reasons = rejectReasonsOf(entry).map((reason) => reason.name as string);
  if (input.decision === 'REJECT_REFUND' || input.decision === 'REJECT_RETURN') {
    requireAction(
      entry,
      [input.decision === 'REJECT_REFUND' ? 'SELLER_RESPOND_REFUND' : 'SELLER_RESPOND_RETURN'],
      input.decision,
    );
  } else if (input.decision === 'REJECT_RECEIVED_PACKAGE') {
    requireAction(entry, ['SELLER_RESPOND_RECEIVE_PACKAGE'], input.decision);
  } else throw tiktokError('invalidParam', `decision ${input.decision} is not supported`);
  if (!reasons.includes(input.reason))
    throw tiktokError('invalidParam', `reject_reason ${input.reason} is not valid for this return`);
  entry.rejectReason = input.reason;
  entry.nextAction = undefined;
  record(entry, 'SELLER', 'The seller rejected the request', now, {
    reasonText: input.reason,
    note: input.comment,
  });
  moveTo(
    context,
    entry,
    input.decision === 'REJECT_RECEIVED_PACKAGE'
      ? 'REJECT_RECEIVE_PACKAGE'
      : 'REFUND_OR_RETURN_REQUEST_REJECT',
    now,
  );
}

/** The reasons a seller may reject this return with now. */
export function rejectReasonsOf(entry: TikTokSandboxReturn): readonly { name: string; text: string }[] {
  return entry.nextAction?.action === 'SELLER_RESPOND_RECEIVE_PACKAGE'
    ? TIKTOK_SANDBOX_REJECT_REASONS.package
    : TIKTOK_SANDBOX_REJECT_REASONS.request;
}

/** A return of the calling shop, or TikTok's refusal. */
export function returnOfShop(
  context: TikTokSandboxContext,
  shopId: string,
  returnId: string,
): TikTokSandboxReturn {
  settleReturns(context);
  const entry = context.state.returns.get(returnId);
  if (!entry || entry.shopId !== shopId) throw tiktokError('returnNotFound');
  return entry;
}

/** A copy of a return for tests. */
export type TikTokSandboxReturnCopy = Readonly<TikTokSandboxReturn>;

/** The buyer's and the platform's side of returns, for tests (`sandbox.returns`). */
export interface TikTokSandboxReturns {
  /** The buyer asks for a refund or a return on a shipped order (RETURN_STATUS_CHANGE sent). */
  open(input: TikTokOpenReturnInput): TikTokSandboxReturnCopy;
  /** The buyer answers a partial refund: accept (refunded that amount) or reject (back to the seller). */
  respondToPartialRefund(returnId: string, accept: boolean): TikTokSandboxReturnCopy;
  /** The buyer withdraws the request. */
  withdraw(returnId: string): TikTokSandboxReturnCopy;
  /** The buyer ships the item back (AWAITING_BUYER_SHIP → BUYER_SHIPPED_ITEM). */
  shipBack(
    returnId: string,
    input?: { trackingNumber?: string; providerName?: string },
  ): TikTokSandboxReturnCopy;
  /** The parcel reaches the seller: the seller must approve or reject the received package. */
  deliverBack(returnId: string): TikTokSandboxReturnCopy;
  /** The buyer escalates a rejection to TikTok (`arbitration_status` IN_PROGRESS). */
  escalate(returnId: string): TikTokSandboxReturnCopy;
  /** TikTok decides an arbitration: for the buyer (refunded) or the seller (stays rejected). */
  decideArbitration(returnId: string, winner: 'buyer' | 'seller'): TikTokSandboxReturnCopy;
  /** Applies the deadlines the clock has passed now (webhooks queued), as any returns call would. */
  settle(): void;
  get(returnId: string): TikTokSandboxReturnCopy | undefined;
  list(filter?: { shopId?: string; orderId?: string }): TikTokSandboxReturnCopy[];
}

/** Builds {@link TikTokSandboxReturns}. */
export function createReturnDrivers(context: TikTokSandboxContext): TikTokSandboxReturns {
  const copy = (entry: TikTokSandboxReturn): TikTokSandboxReturnCopy => structuredClone(entry);
  const act = (returnId: string, change: (entry: TikTokSandboxReturn, now: number) => void) => {
    settleReturns(context);
    const entry = context.state.returns.get(returnId);
    if (!entry) throw new TikTokSandboxError(`Unknown return ${returnId}`);
    change(entry, context.nowSeconds());
    return copy(entry);
  };
  return {
    open: (input) => copy(openReturn(context, input)),
    respondToPartialRefund: (returnId, accept) =>
      act(returnId, (entry, now) => {
        if (entry.status !== 'AWAITING_BUYER_RESPONSE' || !entry.partialRefund)
          throw new TikTokSandboxError(`Return ${returnId} has no partial refund to answer`);
        if (accept) {
          entry.refundTotal = entry.partialRefund.amount;
          entry.canBuyerKeepItem = true;
          record(entry, 'BUYER', 'The buyer accepted the partial refund', now);
          approveRefund(context, entry, now);
        } else {
          declinePartialRefund(context, entry, 'BUYER', 'The buyer rejected the partial refund', now);
        }
      }),
    withdraw: (returnId) =>
      act(returnId, (entry, now) => {
        if (!openStatus(entry.status))
          throw new TikTokSandboxError(
            `Return ${returnId} is ${entry.status}: it can no longer be withdrawn`,
          );
        entry.nextAction = undefined;
        entry.buyerDeadline = undefined;
        record(entry, 'BUYER', 'The buyer withdrew the request', now);
        moveTo(context, entry, 'RETURN_OR_REFUND_REQUEST_CANCEL', now);
      }),
    shipBack: (returnId, input = {}) =>
      act(returnId, (entry, now) => {
        if (entry.status !== 'AWAITING_BUYER_SHIP')
          throw new TikTokSandboxError(`Return ${returnId} is not waiting for the buyer's parcel`);
        entry.trackingNumber = input.trackingNumber ?? `RT${entry.id.slice(-10)}`;
        entry.providerName = input.providerName ?? 'J&T Express';
        entry.buyerDeadline = undefined;
        record(entry, 'BUYER', 'The buyer shipped the item back', now);
        moveTo(context, entry, 'BUYER_SHIPPED_ITEM', now);
      }),
    deliverBack: (returnId) =>
      act(returnId, (entry, now) => {
        if (entry.status !== 'BUYER_SHIPPED_ITEM' || entry.parcelDelivered)
          throw new TikTokSandboxError(`Return ${returnId} has no parcel on its way back`);
        entry.parcelDelivered = true;
        awaitSeller(context, entry, 'SELLER_RESPOND_RECEIVE_PACKAGE', now);
        entry.updateTime = now;
        record(entry, 'SYSTEM', 'The returned package was delivered to the seller', now);
      }),
    escalate: (returnId) =>
      act(returnId, (entry, now) => {
        if (entry.status !== 'REFUND_OR_RETURN_REQUEST_REJECT' && entry.status !== 'REJECT_RECEIVE_PACKAGE')
          throw new TikTokSandboxError(`Return ${returnId} was not rejected`);
        entry.arbitrationStatus = 'IN_PROGRESS';
        entry.updateTime = now;
        record(entry, 'BUYER', 'The buyer asked TikTok Shop to review the case', now);
      }),
    decideArbitration: (returnId, winner) =>
      act(returnId, (entry, now) => {
        if (entry.arbitrationStatus !== 'IN_PROGRESS')
          throw new TikTokSandboxError(`Return ${returnId} is not in arbitration`);
        entry.arbitrationStatus = winner === 'buyer' ? 'SUPPORT_BUYER' : 'SUPPORT_SELLER';
        record(entry, 'OPERATOR', `TikTok Shop decided for the ${winner}`, now);
        if (winner === 'buyer') approveRefund(context, entry, now);
        else entry.updateTime = now;
      }),
    settle: () => settleReturns(context),
    get(returnId) {
      settleReturns(context);
      const entry = context.state.returns.get(returnId);
      return entry && copy(entry);
    },
    list(filter = {}) {
      settleReturns(context);
      return [...context.state.returns.values()]
        .filter(
          (entry) =>
            (filter.shopId === undefined || entry.shopId === filter.shopId) &&
            (filter.orderId === undefined || entry.orderId === filter.orderId),
        )
        .map(copy);
    },
  };
}
