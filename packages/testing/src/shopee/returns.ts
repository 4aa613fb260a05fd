/**
 * Returns and refunds of the Shopee sandbox (reference catalog-and-after-sale §2): the buyer's
 * request, the seller's answers and the state machine that moves a return over the sandbox clock.
 * Deadlines are applied lazily: every returns call and every driver first settles what the clock
 * has made due, queuing the return push (code 29) for each change.
 */
import { nowSeconds, type ShopeeContext } from './context';
import { ShopeeApiError } from './envelope';
import { getOrderOrThrow, ShopeeSandboxError } from './orders';
import { marketPrice, multiplyDecimal, sumDecimals } from './prices';
import type { ShopeeOrderRecord } from './state';

/** `ReturnStatus` as the sandbox answers it. */
export type ShopeeReturnStatus =
  | 'REQUESTED'
  | 'PROCESSING'
  | 'ACCEPTED'
  | 'CANCELLED'
  | 'JUDGING'
  | 'SELLER_DISPUTE'
  | 'CLOSED';

/** `NegotiationStatus`. */
export type ShopeeNegotiationStatus = 'PENDING_RESPOND' | 'PENDING_BUYER_RESPOND' | 'TERMINATED';

/** One line of a return. */
export interface ShopeeReturnLineRecord {
  itemId: bigint;
  modelId: bigint;
  name: string;
  itemSku: string;
  variationSku: string;
  quantity: number;
  itemPrice: string;
}

/** A return/refund request. */
export interface ShopeeReturnRecord {
  returnSn: string;
  orderSn: string;
  shopId: number;
  currency: string;
  region: string;
  status: ShopeeReturnStatus;
  /** `0` return and refund, `1` refund only. */
  solution: 0 | 1;
  reason: string;
  textReason: string;
  images: string[];
  lines: ShopeeReturnLineRecord[];
  /** What the buyer gets back, exact. */
  refundAmount: string;
  amountBeforeDiscount: string;
  createTime: number;
  updateTime: number;
  /** The seller's deadline to answer. */
  dueDate: number;
  /** The buyer's deadline to ship the item back (return and refund, once processing). */
  returnShipDueDate: number | undefined;
  /** The seller's deadline to check the returned item (once delivered back). */
  returnSellerDueDate: number | undefined;
  trackingNumber: string;
  reverseLogisticsStatus: string;
  validationType: 'seller_validation' | 'warehouse_validation';
  negotiation: {
    status: ShopeeNegotiationStatus;
    latestSolution: 'RETURN_REFUND' | 'REFUND' | '';
    latestOfferAmount: string | undefined;
    latestOfferCreator: 'buyer' | 'seller' | '';
    counterLimit: number;
    offerDueDate: number | undefined;
  };
  sellerProof: {
    status: 'NOT_NEEDED' | 'PENDING' | 'UPLOADED' | 'OVERDUE';
    deadline: number | undefined;
    photos: { url: string; thumbnail: string }[];
    description: string;
  };
  sellerCompensationStatus: string;
  disputeReasonIds: number[];
  disputeTextReason: string[];
  /** When the seller raised a dispute (for the move to JUDGING). */
  disputeTime: number | undefined;
}

/** How long each party has, in seconds (defaults are the sandbox's choice; Shopee varies by market). */
export interface ShopeeReturnDeadlines {
  /** The seller's time to answer a request. Default 3 days. */
  sellerRespond: number;
  /** The buyer's time to answer an offer. Default 2 days. */
  buyerRespond: number;
  /** The buyer's time to ship the item back. Default 7 days. */
  buyerShip: number;
  /** The seller's time to check a returned item. Default 3 days. */
  sellerCheck: number;
  /** The seller's time to upload evidence after a dispute. Default 3 days. */
  sellerEvidence: number;
  /** From a seller's dispute to Shopee judging it. Default 1 hour. */
  disputeReview: number;
}

const DAY = 86_400;

/** Default return deadlines. */
export const SHOPEE_RETURN_DEADLINES: Readonly<ShopeeReturnDeadlines> = {
  sellerRespond: 3 * DAY,
  buyerRespond: 2 * DAY,
  buyerShip: 7 * DAY,
  sellerCheck: 3 * DAY,
  sellerEvidence: 3 * DAY,
  disputeReview: 3_600,
};

/**
 * Dispute reasons the sandbox offers for every return (Data Definition ids), with the evidence
 * module each needs; "return not received" (12) needs no image.
 */
export const SHOPEE_SANDBOX_DISPUTE_REASONS: readonly {
  id: number;
  requirement: string;
  imagesRequired: boolean;
}[] = [
  { id: 2, requirement: 'Reject the request: photos of the item as shipped', imagesRequired: true },
  { id: 12, requirement: 'Return not received', imagesRequired: false },
  {
    id: 13,
    requirement: 'Wrong or damaged return: unboxing photos with the airway bill',
    imagesRequired: true,
  },
  { id: 50, requirement: "Buyer's claim is incorrect: photos of the item", imagesRequired: true },
];

/** Input of the buyer's request ({@link ShopeeSandboxReturns.open}). */
export interface ShopeeOpenReturnInput {
  orderSn: string;
  /** Lines and quantities; default every line of the order, whole. */
  items?: readonly {
    itemId: bigint | number | string;
    modelId?: bigint | number | string;
    quantity: number;
  }[];
  /** `return_refund` (default) or `refund` (refund only, the buyer keeps the item). */
  solution?: 'return_refund' | 'refund';
  /** A `ReturnReason`; default `ITEM_DAMAGED`. */
  reason?: string;
  textReason?: string;
  images?: readonly string[];
  /** `warehouse_validation` makes Shopee check the parcel: seller actions answer `error_validation`. */
  validationType?: 'seller_validation' | 'warehouse_validation';
}

function apiError(error: string, message: string): ShopeeApiError {
  return new ShopeeApiError(error, message);
}

function deadlines(context: ShopeeContext): ShopeeReturnDeadlines {
  return { ...SHOPEE_RETURN_DEADLINES, ...context.returnDeadlines };
}

/** Moves a return to `status` at `time`, queuing push 29 with the change. */
function moveTo(
  context: ShopeeContext,
  entry: ShopeeReturnRecord,
  status: ShopeeReturnStatus,
  time: number,
): void {
  const previous = entry.status;
  entry.status = status;
  entry.updateTime = time;
  if (status !== 'REQUESTED' && status !== 'PROCESSING') {
    entry.negotiation.status = 'TERMINATED';
    entry.negotiation.offerDueDate = undefined;
  }
  context.pushes.forShop(entry.shopId, 29, {
    order_sn: entry.orderSn,
    return_sn: entry.returnSn,
    updated_values: [{ update_field: 'status', old_value: previous, new_value: status, update_time: time }],
  });
}

/** A change other than the status (negotiation, logistics, proof): push 29 with that field. */
function touched(
  context: ShopeeContext,
  entry: ShopeeReturnRecord,
  field: string,
  value: string,
  time: number,
): void {
  entry.updateTime = time;
  context.pushes.forShop(entry.shopId, 29, {
    order_sn: entry.orderSn,
    return_sn: entry.returnSn,
    updated_values: [{ update_field: field, old_value: '', new_value: value, update_time: time }],
  });
}

function startProcessing(context: ShopeeContext, entry: ShopeeReturnRecord, time: number): void {
  entry.returnShipDueDate = time + deadlines(context).buyerShip;
  entry.reverseLogisticsStatus = 'LOGISTICS_PENDING_ARRANGE';
  moveTo(context, entry, 'PROCESSING', time);
}

/**
 * Applies every deadline the clock has passed, in time order: the seller's silence accepts the
 * request (refund only → ACCEPTED; return and refund → PROCESSING), the buyer's silence on an
 * offer ends the negotiation, an unshipped return is CANCELLED, an unchecked returned item is
 * ACCEPTED, a dispute goes to JUDGING, missing evidence becomes OVERDUE.
 */
export function settleReturns(context: ShopeeContext): void {
  const now = nowSeconds(context);
  const limits = deadlines(context);
  for (const entry of context.state.returns.values()) {
    for (let guard = 0; guard < 8; guard += 1) {
      if (!settleOnce(context, entry, now, limits)) break;
    }
  }
}

function settleOnce(
  context: ShopeeContext,
  entry: ShopeeReturnRecord,
  now: number,
  limits: ShopeeReturnDeadlines,
): boolean {
  const negotiation = entry.negotiation;
  if (
    negotiation.status === 'PENDING_BUYER_RESPOND' &&
    negotiation.offerDueDate !== undefined &&
    now >= negotiation.offerDueDate
  ) {
    // The buyer let the seller's offer lapse: the request stands as it was, and the seller answers it.
    const lapsed = negotiation.offerDueDate;
    negotiation.status = 'PENDING_RESPOND';
    negotiation.offerDueDate = undefined;
    entry.dueDate = Math.max(entry.dueDate, lapsed + limits.sellerRespond);
    touched(context, entry, 'negotiation_status', 'PENDING_RESPOND', lapsed);
    return true;
  }
  if (entry.status === 'REQUESTED' && negotiation.status === 'PENDING_RESPOND' && now >= entry.dueDate) {
    if (entry.solution === 1) moveTo(context, entry, 'ACCEPTED', entry.dueDate);
    else startProcessing(context, entry, entry.dueDate);
    return true;
  }
  if (
    entry.status === 'PROCESSING' &&
    entry.reverseLogisticsStatus === 'LOGISTICS_PENDING_ARRANGE' &&
    entry.returnShipDueDate !== undefined &&
    now >= entry.returnShipDueDate
  ) {
    moveTo(context, entry, 'CANCELLED', entry.returnShipDueDate);
    return true;
  }
  if (
    entry.status === 'PROCESSING' &&
    entry.returnSellerDueDate !== undefined &&
    now >= entry.returnSellerDueDate
  ) {
    moveTo(context, entry, 'ACCEPTED', entry.returnSellerDueDate);
    return true;
  }
  if (
    entry.status === 'SELLER_DISPUTE' &&
    entry.disputeTime !== undefined &&
    now >= entry.disputeTime + limits.disputeReview
  ) {
    moveTo(context, entry, 'JUDGING', entry.disputeTime + limits.disputeReview);
    return true;
  }
  if (
    entry.sellerProof.status === 'PENDING' &&
    entry.sellerProof.deadline !== undefined &&
    now >= entry.sellerProof.deadline
  ) {
    entry.sellerProof.status = 'OVERDUE';
    touched(context, entry, 'seller_proof_status', 'OVERDUE', entry.sellerProof.deadline);
    return true;
  }
  return false;
}

function newReturnSn(context: ShopeeContext, now: number): string {
  const date = new Date(now * 1000).toISOString();
  const yymmdd = date.slice(2, 4) + date.slice(5, 7) + date.slice(8, 10);
  return `${yymmdd}0${(context.state.returns.size + 1).toString(36).toUpperCase().padStart(6, '0')}R`;
}

const RETURNABLE_ORDER_STATUSES = ['SHIPPED', 'TO_CONFIRM_RECEIVE', 'COMPLETED'];

function quantityUnderReturn(
  context: ShopeeContext,
  order: ShopeeOrderRecord,
  itemId: bigint,
  modelId: bigint,
): number {
  let total = 0;
  for (const entry of context.state.returns.values()) {
    if (entry.orderSn !== order.orderSn || entry.status === 'CANCELLED' || entry.status === 'CLOSED')
      continue;
    for (const line of entry.lines)
      if (line.itemId === itemId && line.modelId === modelId) total += line.quantity;
  }
  return total;
}

/** The buyer asks to return (or be refunded for) some lines of a shipped order: REQUESTED, push 29. */
export function openReturn(context: ShopeeContext, input: ShopeeOpenReturnInput): ShopeeReturnRecord {
  settleReturns(context);
  const order = getOrderOrThrow(context, input.orderSn);
  if (!RETURNABLE_ORDER_STATUSES.includes(order.status))
    throw new ShopeeSandboxError(`Order ${order.orderSn} is ${order.status}: a return needs a shipped order`);
  const wanted =
    input.items ??
    order.lines.map((line) => ({ itemId: line.itemId, modelId: line.modelId, quantity: line.quantity }));
  if (wanted.length === 0) throw new ShopeeSandboxError('A return needs at least one line');
  const lines: ShopeeReturnLineRecord[] = wanted.map((request) => {
    const itemId = BigInt(request.itemId);
    const modelId = BigInt(request.modelId ?? 0);
    const line = order.lines.find(
      (candidate) => candidate.itemId === itemId && candidate.modelId === modelId,
    );
    if (!line) throw new ShopeeSandboxError(`Order ${order.orderSn} has no line ${itemId}/${modelId}`);
    const left = line.quantity - quantityUnderReturn(context, order, itemId, modelId);
    if (!Number.isInteger(request.quantity) || request.quantity < 1 || request.quantity > left)
      throw new ShopeeSandboxError(`Line ${itemId}/${modelId}: ${left} unit(s) can still be returned`);
    return {
      itemId,
      modelId,
      name: line.itemName,
      itemSku: line.itemSku,
      variationSku: line.modelSku,
      quantity: request.quantity,
      itemPrice: line.discountedPrice,
    };
  });
  const now = nowSeconds(context);
  const refund = marketPrice(
    sumDecimals(lines.map((line) => multiplyDecimal(line.itemPrice, line.quantity))),
    order.region,
  );
  const entry: ShopeeReturnRecord = {
    returnSn: newReturnSn(context, now),
    orderSn: order.orderSn,
    shopId: order.shopId,
    currency: order.currency,
    region: order.region,
    status: 'REQUESTED',
    solution: input.solution === 'refund' ? 1 : 0,
    reason: input.reason ?? 'ITEM_DAMAGED',
    textReason: input.textReason ?? '',
    images: [...(input.images ?? [])],
    lines,
    refundAmount: refund,
    amountBeforeDiscount: refund,
    createTime: now,
    updateTime: now,
    dueDate: now + deadlines(context).sellerRespond,
    returnShipDueDate: undefined,
    returnSellerDueDate: undefined,
    trackingNumber: '',
    reverseLogisticsStatus: '',
    validationType: input.validationType ?? 'seller_validation',
    negotiation: {
      status: 'PENDING_RESPOND',
      latestSolution: '',
      latestOfferAmount: undefined,
      latestOfferCreator: '',
      counterLimit: 3,
      offerDueDate: undefined,
    },
    sellerProof: { status: 'NOT_NEEDED', deadline: undefined, photos: [], description: '' },
    sellerCompensationStatus: 'COMPENSATION_NOT_APPLICABLE',
    disputeReasonIds: [],
    disputeTextReason: [],
    disputeTime: undefined,
  };
  context.state.returns.set(entry.returnSn, entry);
  context.pushes.forShop(entry.shopId, 29, {
    order_sn: entry.orderSn,
    return_sn: entry.returnSn,
    updated_values: [],
  });
  return entry;
}

/** A return of the calling shop, or Shopee's refusal. */
export function returnOfShop(context: ShopeeContext, shopId: number, returnSn: string): ShopeeReturnRecord {
  const entry = context.state.returns.get(returnSn);
  if (!entry || entry.shopId !== shopId) throw apiError('error_param', 'Return SN or ID is invalid.');
  return entry;
}

/** A return for a driver, or a sandbox error. */
export function getReturnOrThrow(context: ShopeeContext, returnSn: string): ShopeeReturnRecord {
  const entry = context.state.returns.get(returnSn);
  if (!entry) throw new ShopeeSandboxError(`Unknown return ${returnSn}`);
  return entry;
}

function refuseWarehouse(entry: ShopeeReturnRecord): void {
  if (entry.validationType === 'warehouse_validation')
    throw apiError(
      'error_validation',
      'This return is validated by a Shopee warehouse: the seller cannot act on it.',
    );
}

function requireOpen(entry: ShopeeReturnRecord, allowed: readonly ShopeeReturnStatus[]): void {
  if (!allowed.includes(entry.status))
    throw apiError(
      'error_return_status',
      `The return is ${entry.status}; this action needs ${allowed.join(' or ')}.`,
    );
}

/** The seller agrees to refund: ACCEPTED. */
export function sellerConfirm(context: ShopeeContext, entry: ShopeeReturnRecord): void {
  refuseWarehouse(entry);
  requireOpen(entry, ['REQUESTED', 'PROCESSING']);
  moveTo(context, entry, 'ACCEPTED', nowSeconds(context));
}

/** The bounds of an offer (what `get_available_solutions` answers): one minor unit up to the request's refund. */
export function offerBounds(entry: ShopeeReturnRecord): { min: string; max: string } {
  return { min: minUnit(entry.region), max: entry.refundAmount };
}

function minUnit(region: string): string {
  return marketPrice('0.01', region) === '0' ? '1' : '0.01';
}

function decimalsOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

function compare(a: string, b: string): number {
  const [ai = '0', af = ''] = a.split('.');
  const [bi = '0', bf = ''] = b.split('.');
  const width = Math.max(af.length, bf.length);
  const left = BigInt(ai + af.padEnd(width, '0'));
  const right = BigInt(bi + bf.padEnd(width, '0'));
  return left === right ? 0 : left < right ? -1 : 1;
}

/** The seller proposes a solution and amount: the buyer must answer. */
export function sellerOffer(
  context: ShopeeContext,
  entry: ShopeeReturnRecord,
  solution: 'RETURN_REFUND' | 'REFUND',
  amount: string | undefined,
): void {
  refuseWarehouse(entry);
  requireOpen(entry, ['REQUESTED', 'PROCESSING']);
  if (entry.negotiation.status !== 'PENDING_RESPOND')
    throw apiError('error_negotiation_status', `Negotiation is ${entry.negotiation.status}.`);
  if (entry.negotiation.counterLimit <= 0)
    throw apiError('error_negotiation_status', 'No more offers can be made.');
  const offered = amount ?? entry.refundAmount;
  const bounds = offerBounds(entry);
  if (compare(offered, '0') <= 0) throw apiError('error_param', 'Refund amount must be positive.');
  if (decimalsOf(offered) > decimalsOf(minUnit(entry.region)))
    throw apiError('error_param', 'Too many digits after the decimal point.');
  if (compare(offered, bounds.min) < 0)
    throw apiError('error_param', `Refund amount must be at least ${bounds.min}.`);
  if (compare(offered, bounds.max) > 0)
    throw apiError('error_param', `Refund amount must be at most ${bounds.max}.`);
  const now = nowSeconds(context);
  Object.assign(entry.negotiation, {
    status: 'PENDING_BUYER_RESPOND',
    latestSolution: solution,
    latestOfferAmount: offered,
    latestOfferCreator: 'seller',
    counterLimit: entry.negotiation.counterLimit - 1,
    offerDueDate: now + deadlines(context).buyerRespond,
  });
  touched(context, entry, 'negotiation_status', 'PENDING_BUYER_RESPOND', now);
}

/** The seller accepts the buyer's latest proposal: ACCEPTED for that amount and solution. */
export function sellerAcceptOffer(context: ShopeeContext, entry: ShopeeReturnRecord): void {
  refuseWarehouse(entry);
  requireOpen(entry, ['REQUESTED', 'PROCESSING']);
  const negotiation = entry.negotiation;
  if (negotiation.latestOfferCreator === 'seller')
    throw apiError('err_data', 'Cannot accept your own offer.');
  if (negotiation.status !== 'PENDING_RESPOND' || negotiation.latestOfferAmount === undefined)
    throw apiError('error_no_buyer_offer', 'There is no buyer offer to accept.');
  entry.refundAmount = negotiation.latestOfferAmount;
  entry.solution = negotiation.latestSolution === 'REFUND' ? 1 : 0;
  moveTo(context, entry, 'ACCEPTED', nowSeconds(context));
}

/** The seller escalates to Shopee: SELLER_DISPUTE, then JUDGING after the review delay. */
export function sellerDispute(
  context: ShopeeContext,
  entry: ShopeeReturnRecord,
  input: { reasonId: number; textReason: string; modules: { moduleIndex: number; imageUrls: string[] }[] },
): void {
  refuseWarehouse(entry);
  if (!['REQUESTED', 'PROCESSING', 'ACCEPTED'].includes(entry.status))
    throw apiError(
      'error_return_status',
      'The return is not in REQUESTED, RETURN_PROCESSING, or RETURN_ACCEPTED status.',
    );
  const reason = SHOPEE_SANDBOX_DISPUTE_REASONS.find((candidate) => candidate.id === input.reasonId);
  if (!reason)
    throw apiError('dispute.request.param.error', 'The dispute reason does not match this return.');
  if (input.modules.some((module) => module.imageUrls.length > 3))
    throw apiError('dispute.request.param.error', 'At most 3 images per evidence module.');
  if (
    reason.imagesRequired &&
    !input.modules.some((module) => module.moduleIndex === 1 && module.imageUrls.length > 0)
  )
    throw apiError('dispute.request.param.error', 'Evidence module 1 is required for this reason.');
  const now = nowSeconds(context);
  entry.disputeReasonIds = [input.reasonId];
  entry.disputeTextReason = input.textReason ? [input.textReason] : [];
  entry.disputeTime = now;
  entry.sellerProof = {
    status: 'PENDING',
    deadline: now + deadlines(context).sellerEvidence,
    photos: entry.sellerProof.photos,
    description: entry.sellerProof.description,
  };
  moveTo(context, entry, 'SELLER_DISPUTE', now);
}

/** The seller's evidence (before the deadline). */
export function sellerUploadProof(
  context: ShopeeContext,
  entry: ShopeeReturnRecord,
  photos: { url: string; thumbnail: string }[],
  description: string,
): void {
  if (entry.sellerProof.status === 'OVERDUE')
    throw apiError('proof.overdue', 'The evidence deadline has passed.');
  if (photos.length === 0 && description === '') throw apiError('no.proof', 'No proof was given.');
  if (photos.length > 9) throw apiError('number.error', 'Too many photos.');
  entry.sellerProof.photos = photos;
  entry.sellerProof.description = description;
  if (entry.sellerProof.status === 'PENDING' || entry.sellerProof.status === 'NOT_NEEDED') {
    entry.sellerProof.status = 'UPLOADED';
  }
  touched(context, entry, 'seller_proof_status', 'UPLOADED', nowSeconds(context));
}

/** The buyer answers the seller's offer: accept (ACCEPTED for that amount), reject, or counter. */
export function buyerRespond(
  context: ShopeeContext,
  entry: ShopeeReturnRecord,
  answer: { accept: true } | { reject: true } | { counter: string },
): void {
  settleReturns(context);
  if (entry.negotiation.status !== 'PENDING_BUYER_RESPOND')
    throw new ShopeeSandboxError(`Return ${entry.returnSn} has no seller offer to answer`);
  const now = nowSeconds(context);
  if ('accept' in answer) {
    entry.refundAmount = entry.negotiation.latestOfferAmount ?? entry.refundAmount;
    entry.solution = entry.negotiation.latestSolution === 'REFUND' ? 1 : 0;
    if (entry.solution === 1 || entry.status === 'PROCESSING') moveTo(context, entry, 'ACCEPTED', now);
    else {
      entry.negotiation.status = 'TERMINATED';
      startProcessing(context, entry, now);
    }
    return;
  }
  if ('counter' in answer) {
    if (compare(answer.counter, entry.refundAmount) > 0)
      throw new ShopeeSandboxError(`A counter-offer cannot exceed ${entry.refundAmount}`);
    entry.negotiation.latestOfferAmount = marketPrice(answer.counter, entry.region);
    entry.negotiation.latestOfferCreator = 'buyer';
    entry.negotiation.latestSolution = 'REFUND';
  }
  entry.negotiation.status = 'PENDING_RESPOND';
  entry.negotiation.offerDueDate = undefined;
  entry.dueDate = now + deadlines(context).sellerRespond;
  touched(context, entry, 'negotiation_status', 'PENDING_RESPOND', now);
}

/** The buyer withdraws the request: CANCELLED. */
export function buyerCancelReturn(context: ShopeeContext, entry: ShopeeReturnRecord): void {
  settleReturns(context);
  if (entry.status !== 'REQUESTED' && entry.status !== 'PROCESSING')
    throw new ShopeeSandboxError(
      `Return ${entry.returnSn} is ${entry.status}: it can no longer be withdrawn`,
    );
  moveTo(context, entry, 'CANCELLED', nowSeconds(context));
}

/** The buyer ships the item back (return and refund, PROCESSING). */
export function buyerShipReturn(
  context: ShopeeContext,
  entry: ShopeeReturnRecord,
  trackingNumber: string,
): void {
  settleReturns(context);
  if (entry.status !== 'PROCESSING' || entry.reverseLogisticsStatus !== 'LOGISTICS_PENDING_ARRANGE')
    throw new ShopeeSandboxError(`Return ${entry.returnSn} is not waiting for the buyer to ship`);
  entry.trackingNumber = trackingNumber;
  entry.reverseLogisticsStatus = 'LOGISTICS_PICKUP_DONE';
  touched(context, entry, 'reverse_logistics_status', 'LOGISTICS_PICKUP_DONE', nowSeconds(context));
}

/** The returned parcel reaches the seller, who then has `sellerCheck` seconds to answer. */
export function deliverReturnParcel(context: ShopeeContext, entry: ShopeeReturnRecord): void {
  settleReturns(context);
  if (entry.reverseLogisticsStatus !== 'LOGISTICS_PICKUP_DONE')
    throw new ShopeeSandboxError(`Return ${entry.returnSn} has no parcel on its way back`);
  const now = nowSeconds(context);
  entry.reverseLogisticsStatus = 'LOGISTICS_DELIVERY_DONE';
  entry.returnSellerDueDate = now + deadlines(context).sellerCheck;
  touched(context, entry, 'reverse_logistics_status', 'LOGISTICS_DELIVERY_DONE', now);
}

/** Shopee decides a dispute: for the seller (CLOSED, no refund) or the buyer (ACCEPTED). */
export function judgeDispute(
  context: ShopeeContext,
  entry: ShopeeReturnRecord,
  winner: 'seller' | 'buyer',
): void {
  settleReturns(context);
  if (entry.status !== 'SELLER_DISPUTE' && entry.status !== 'JUDGING')
    throw new ShopeeSandboxError(`Return ${entry.returnSn} is not in dispute`);
  moveTo(context, entry, winner === 'seller' ? 'CLOSED' : 'ACCEPTED', nowSeconds(context));
}

/** A return as stored by the sandbox (a copy; ids are bigint). */
export type ShopeeSandboxReturn = Readonly<ShopeeReturnRecord>;

/** The buyer's and Shopee's side of returns, for tests (`sandbox.returns`). */
export interface ShopeeSandboxReturns {
  /** The buyer asks for a return or a refund on a shipped order: REQUESTED (push code 29). */
  open(input: ShopeeOpenReturnInput): Promise<ShopeeSandboxReturn>;
  /** The buyer answers the seller's offer: accept, reject, or counter with an amount. */
  respondToOffer(
    returnSn: string,
    answer: { accept: true } | { reject: true } | { counter: string },
  ): Promise<ShopeeSandboxReturn>;
  /** The buyer withdraws the request: CANCELLED. */
  withdraw(returnSn: string): Promise<ShopeeSandboxReturn>;
  /** The buyer ships the item back (a return and refund in PROCESSING). */
  shipBack(returnSn: string, trackingNumber?: string): Promise<ShopeeSandboxReturn>;
  /** The returned parcel reaches the seller, whose time to check it starts. */
  deliverBack(returnSn: string): Promise<ShopeeSandboxReturn>;
  /** Shopee decides a dispute: for the seller (CLOSED) or the buyer (ACCEPTED). */
  judgeDispute(returnSn: string, winner: 'seller' | 'buyer'): Promise<ShopeeSandboxReturn>;
  /** Applies the deadlines the clock has passed now (pushes queued), as any returns call would. */
  settle(): Promise<void>;
  /** A copy of a return (deadlines applied first), or undefined. */
  get(returnSn: string): ShopeeSandboxReturn | undefined;
  /** Copies of all returns, or of one shop's (deadlines applied first). */
  list(shopId?: number): ShopeeSandboxReturn[];
}

/** Builds {@link ShopeeSandboxReturns}; `queued` resolves once the pushes of a change are queued. */
export function createReturnDrivers(
  context: ShopeeContext,
  queued: () => Promise<void>,
): ShopeeSandboxReturns {
  const copy = (entry: ShopeeReturnRecord): ShopeeSandboxReturn => structuredClone(entry);
  const act = async (
    returnSn: string,
    change: (entry: ShopeeReturnRecord) => void,
  ): Promise<ShopeeSandboxReturn> => {
    const entry = getReturnOrThrow(context, returnSn);
    change(entry);
    await queued();
    return copy(entry);
  };
  return {
    async open(input) {
      const entry = openReturn(context, input);
      await queued();
      return copy(entry);
    },
    respondToOffer: (returnSn, answer) => act(returnSn, (entry) => buyerRespond(context, entry, answer)),
    withdraw: (returnSn) => act(returnSn, (entry) => buyerCancelReturn(context, entry)),
    shipBack: (returnSn, trackingNumber) =>
      act(returnSn, (entry) =>
        buyerShipReturn(context, entry, trackingNumber ?? `RT${entry.returnSn.slice(-8)}BR`),
      ),
    deliverBack: (returnSn) => act(returnSn, (entry) => deliverReturnParcel(context, entry)),
    judgeDispute: (returnSn, winner) => act(returnSn, (entry) => judgeDispute(context, entry, winner)),
    async settle() {
      settleReturns(context);
      await queued();
    },
    get(returnSn) {
      settleReturns(context);
      const entry = context.state.returns.get(returnSn);
      return entry && copy(entry);
    },
    list(shopId) {
      settleReturns(context);
      return [...context.state.returns.values()]
        .filter((entry) => shopId === undefined || entry.shopId === shopId)
        .map(copy);
    },
  };
}
