import * as z from 'zod/mini';
import type { Instant } from './client';
import { type MarketplaceId, ValidationError } from './errors';
import { CurrencyCode, DecimalString, type Money as MoneyValue } from './money';
import { toFieldIssues } from './validation';

/**
 * Returns, refunds, cancellations and claims, one model for every marketplace. A buyer asks for
 * something after the sale (their money back, with or without sending the goods back; a
 * cancellation; a complaint the marketplace mediates); the seller answers with the actions the
 * marketplace offers; the goods may travel back and be received. Adapters map their own objects
 * (Mercado Livre claims and returns, Shopee return requests, TikTok Shop returns and
 * cancellations) into this shape; `rawStatus` and `raw` keep what the marketplace said.
 */

const MoneySchema = /* @__PURE__ */ (() => z.object({ amount: DecimalString, currency: CurrencyCode }))();
const Timestamp = /* @__PURE__ */ (() => z.iso.datetime({ offset: true }))();

/**
 * What the buyer asked for:
 * - `return`: money back and the goods sent back (Shopee return-and-refund, TikTok `RETURN_AND_REFUND`,
 *   a Mercado Livre claim with a return);
 * - `refund`: money back, the buyer keeps the goods (Shopee refund-only, TikTok `REFUND`);
 * - `cancellation`: the order is cancelled before it ships (TikTok cancellations, Mercado Livre
 *   `cancel_purchase`/`cancel_sale` claims);
 * - `replacement`: the same product again (TikTok `REPLACEMENT`, Mercado Livre changes);
 * - `claim`: a complaint the seller answers and the marketplace may mediate, with no return yet
 *   (a Mercado Livre claim about an item that never arrived, for instance).
 */
export const ReturnKind = /* @__PURE__ */ (() =>
  z.enum(['return', 'refund', 'cancellation', 'replacement', 'claim']))();
/** What the buyer asked for (see the {@link ReturnKind} schema). */
export type ReturnKind = z.infer<typeof ReturnKind>;

/**
 * Where a return stands, the same words on every marketplace:
 * - `requested`: waiting for the seller's answer;
 * - `negotiating`: an offer (a partial refund, another solution) waits for the other side;
 * - `accepted`: the seller (or the marketplace) agreed; the goods, if any, are not on their way yet;
 * - `in_transit`: the goods are on their way back;
 * - `received`: the goods arrived at the seller or the marketplace's warehouse;
 * - `disputed`: the marketplace mediates (Mercado Livre dispute stage, Shopee `JUDGING`, TikTok arbitration);
 * - `refunded`: closed with the buyer's money back;
 * - `refused`: closed, the request refused;
 * - `cancelled`: withdrawn by the buyer or expired;
 * - `closed`: closed, the marketplace did not say how;
 * - `unknown`: a status the SDK does not know (read `rawStatus`).
 */
export const ReturnStatus = /* @__PURE__ */ (() =>
  z.enum([
    'requested',
    'negotiating',
    'accepted',
    'in_transit',
    'received',
    'disputed',
    'refunded',
    'refused',
    'cancelled',
    'closed',
    'unknown',
  ]))();
/** Where a return stands (see the {@link ReturnStatus} schema). */
export type ReturnStatus = z.infer<typeof ReturnStatus>;

/** The statuses after which nothing more happens to a return. */
export const FINAL_RETURN_STATUSES: readonly ReturnStatus[] = Object.freeze([
  'refunded',
  'refused',
  'cancelled',
  'closed',
]);

/** Whether a return is still open (its status is not one of {@link FINAL_RETURN_STATUSES}). */
export function isReturnOpen(status: ReturnStatus): boolean {
  return !FINAL_RETURN_STATUSES.includes(status);
}

/**
 * What a seller can do about a return. Each is one optional method of `MarketplaceClient`; a
 * marketplace offers some of them (`capabilities.returns.actions`), and a given return allows some
 * of those right now (`Return.availableActions`):
 * - `accept`: agree to the request (accept the return, or the refund, or the cancellation);
 * - `refuse`: refuse it with a reason;
 * - `offer_partial_refund`: offer part of the money back, the buyer keeping the goods;
 * - `accept_buyer_offer`: accept the buyer's counter-proposal (Shopee);
 * - `dispute`: ask the marketplace to mediate (escalate);
 * - `upload_evidence`: attach files (photos, documents) to the case;
 * - `review_received`: say whether the goods that came back are as they should be;
 * - `send_message`: write to the buyer or the mediator within the case.
 */
export const ReturnAction = /* @__PURE__ */ (() =>
  z.enum([
    'accept',
    'refuse',
    'offer_partial_refund',
    'accept_buyer_offer',
    'dispute',
    'upload_evidence',
    'review_received',
    'send_message',
  ]))();
/** What a seller can do about a return (see the {@link ReturnAction} schema). */
export type ReturnAction = z.infer<typeof ReturnAction>;

/** Why the buyer asked: the marketplace's machine code and its human text, as sent. */
export const ReturnReason = /* @__PURE__ */ (() =>
  z.looseObject({
    code: z.optional(z.string()),
    text: z.optional(z.string()),
  }))();
/** Why the buyer asked (see the {@link ReturnReason} schema). @interface */
export type ReturnReason = z.infer<typeof ReturnReason>;

/**
 * The `reason` of a return from a marketplace's code and text, each left out when empty: `{}`
 * when both are, so adapters spread it into the {@link Return} they map.
 *
 * @example
 * returnReasonOf('NOT_AS_DESCRIBED', '') // → { reason: { code: 'NOT_AS_DESCRIBED' } }
 */
export function returnReasonOf(
  code: string | null | undefined,
  text: string | null | undefined,
): { reason?: ReturnReason } {
  if (!code && !text) return {};
  return { reason: { ...(code ? { code } : {}), ...(text ? { text } : {}) } };
}

/** One line of a return: what goes back (or is refunded), how many, and for how much. */
export const ReturnItem = /* @__PURE__ */ (() =>
  z.looseObject({
    /** The marketplace's id of the return line, when it has one (TikTok `return_line_item_id`). */
    externalId: z.optional(z.string()),
    /** The order line this return line is about, when the marketplace names it. */
    orderItemExternalId: z.optional(z.string()),
    productExternalId: z.optional(z.string()),
    variantExternalId: z.optional(z.string()),
    sku: z.optional(z.string()),
    title: z.optional(z.string()),
    /** Units returned (or refunded), a whole number. */
    quantity: z.int().check(z.positive()),
    /** What this line refunds, when the marketplace says. */
    refundAmount: z.optional(MoneySchema),
  }))();
/** One line of a return (see the {@link ReturnItem} schema). @interface */
export type ReturnItem = z.infer<typeof ReturnItem>;

/**
 * The goods' way back: `not_required` (nothing travels back: refund only, cancellation before
 * shipping), `pending` (not shipped yet), `in_transit`, `delivered` (arrived at `destination`),
 * `failed` (lost, refused, not delivered, sent back to the buyer), `unknown`.
 */
export const ReturnShipmentStatus = /* @__PURE__ */ (() =>
  z.enum(['not_required', 'pending', 'in_transit', 'delivered', 'failed', 'unknown']))();
/** The goods' way back (see the {@link ReturnShipmentStatus} schema). */
export type ReturnShipmentStatus = z.infer<typeof ReturnShipmentStatus>;

/** The parcel that brings the goods back. */
export const ReturnShipment = /* @__PURE__ */ (() =>
  z.looseObject({
    status: ReturnShipmentStatus,
    /** The marketplace's word for it, as sent. */
    rawStatus: z.optional(z.string()),
    /** `seller`: the seller's own address; `marketplace_warehouse`: the marketplace's warehouse or triage. */
    destination: z.optional(z.enum(['seller', 'marketplace_warehouse'])),
    /** The marketplace's ids of the return shipments (Mercado Livre shipments readable with `getShipment`). */
    shipmentIds: z.array(z.string()),
    trackingNumber: z.optional(z.string()),
    carrier: z.optional(z.string()),
    /** When the goods arrived, where the marketplace says. */
    deliveredAt: z.optional(Timestamp),
  }))();
/** The parcel that brings the goods back (see the {@link ReturnShipment} schema). @interface */
export type ReturnShipment = z.infer<typeof ReturnShipment>;

/**
 * A deadline of the case. `party` says who must act; `action` is the marketplace's name for what
 * must be done (Mercado Livre `send_message_to_complainant`, TikTok `SELLER_RESPOND_RETURN`, Shopee
 * `due_date` as `respond`).
 */
export const ReturnDeadline = /* @__PURE__ */ (() =>
  z.looseObject({
    party: z.enum(['seller', 'buyer', 'marketplace']),
    action: z.string(),
    dueAt: Timestamp,
    /** The marketplace says this action must be taken (otherwise the case goes against the party). */
    mandatory: z.optional(z.boolean()),
  }))();
/** A deadline of the case (see the {@link ReturnDeadline} schema). @interface */
export type ReturnDeadline = z.infer<typeof ReturnDeadline>;

/** A file or statement attached to the case, by the buyer, the seller or the marketplace. */
export const ReturnEvidence = /* @__PURE__ */ (() =>
  z.looseObject({
    from: z.enum(['buyer', 'seller', 'marketplace']),
    kind: z.enum(['image', 'video', 'document', 'text', 'shipping']),
    /** The marketplace's id or file name of the attachment, usable in later actions. */
    id: z.optional(z.string()),
    url: z.optional(z.string()),
    description: z.optional(z.string()),
    createdAt: z.optional(Timestamp),
  }))();
/** A file or statement attached to the case (see the {@link ReturnEvidence} schema). @interface */
export type ReturnEvidence = z.infer<typeof ReturnEvidence>;

/** How a closed case ended, in the marketplace's words. */
export const ReturnResolution = /* @__PURE__ */ (() =>
  z.looseObject({
    /** The marketplace's reason code (Mercado Livre `resolution.reason`, TikTok `arbitration_status`). */
    code: z.optional(z.string()),
    /** Who the decision favoured, where the marketplace says. */
    favours: z.optional(z.enum(['buyer', 'seller', 'both'])),
    decidedAt: z.optional(Timestamp),
  }))();
/** How a closed case ended (see the {@link ReturnResolution} schema). @interface */
export type ReturnResolution = z.infer<typeof ReturnResolution>;

/**
 * A return, refund, cancellation or claim, normalized. `externalId` is the id the marketplace's
 * notifications name (Mercado Livre claim id, Shopee `return_sn`, TikTok `return_id` or
 * `cancel_id`), so `getReturn(event.resourceId)` reads what a `return.updated` event is about.
 */
export const Return = /* @__PURE__ */ (() =>
  z.looseObject({
    marketplace: z.string().check(z.minLength(1)),
    accountId: z.string().check(z.minLength(1)),
    externalId: z.string().check(z.minLength(1)),
    orderExternalId: z.optional(z.string()),
    /** Pack / package grouping id when the marketplace groups orders (Mercado Livre packs). */
    packId: z.optional(z.string()),
    kind: ReturnKind,
    status: ReturnStatus,
    /** The marketplace's own status (and stage), as sent, e.g. `opened/claim`, `REQUESTED`. */
    rawStatus: z.string(),
    reason: z.optional(ReturnReason),
    /** What comes back or is refunded; empty while the marketplace has not said (a fresh claim). */
    items: z.array(ReturnItem),
    /** The amount refunded (or to be refunded) to the buyer, when the marketplace says. */
    refundAmount: z.optional(MoneySchema),
    /** The goods' way back; absent while the marketplace has not arranged one. */
    shipment: z.optional(ReturnShipment),
    /** Open deadlines of the case, earliest first. */
    deadlines: z.array(ReturnDeadline),
    /** The earliest deadline for the seller, the one to act on first. */
    sellerDueAt: z.optional(Timestamp),
    /** The seller's actions this return allows right now (a subset of `capabilities.returns.actions`). */
    availableActions: z.array(ReturnAction),
    evidence: z.array(ReturnEvidence),
    resolution: z.optional(ReturnResolution),
    /** Other marketplace objects this case is linked to (`{ type: 'return', externalId }`, a change, ...). */
    related: z.array(z.looseObject({ type: z.string(), externalId: z.string() })),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    closedAt: z.optional(Timestamp),
    raw: z.optional(z.unknown()),
  }))();
/**
 * A return, refund, cancellation or claim, normalized (the value the `Return` schema parses).
 *
 * @interface
 */
export type Return = z.infer<typeof Return>;

/** Filters for `MarketplaceClient.listReturns`. */
export interface ListReturnsOptions {
  /** Only cases updated at or after this moment: what an incremental sync passes. */
  updatedSince?: Instant | undefined;
  updatedUntil?: Instant | undefined;
  /** Only cases in these statuses (filtered by the marketplace where it can, else by the SDK). */
  status?: ReturnStatus | readonly ReturnStatus[] | undefined;
  /** Only the cases of one order. */
  orderExternalId?: string | undefined;
  /** Page size hint; capped at the marketplace's maximum. */
  pageSize?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** What a marketplace offers about returns (`MarketplaceCapabilities.returns`). */
export interface ReturnsCapabilities {
  /** The kinds of case `listReturns` yields. */
  kinds: readonly ReturnKind[];
  /** The seller's actions the client implements for this marketplace. */
  actions: readonly ReturnAction[];
  /** How a partial refund is offered: a percentage from the marketplace's list, or an amount. */
  partialRefund?: 'percentage' | 'amount' | undefined;
}

/** A reason the marketplace accepts for an action (`refuse`, `dispute`, `review_received`). */
export interface ReturnActionReason {
  code: string;
  text?: string | undefined;
  /** The marketplace requires evidence with this reason. */
  evidenceRequired?: boolean | undefined;
  raw: unknown;
}

/** What a partial refund may be, as the marketplace allows it for one return right now. */
export interface PartialRefundOptions {
  currency?: string | undefined;
  /** Fixed offers (Mercado Livre's percentages with their amounts). */
  offers: { percentage?: number | undefined; amount?: MoneyValue | undefined }[];
  /** A range for a free amount (Shopee, TikTok). */
  minAmount?: MoneyValue | undefined;
  maxAmount?: MoneyValue | undefined;
  raw: unknown;
}

/** A file to attach to a return case. */
export interface ReturnEvidenceFile {
  fileName: string;
  /** `image/jpeg`, `image/png`, `application/pdf`, ... (each marketplace accepts some). */
  contentType: string;
  bytes: Uint8Array;
}

const evidenceIds = /* @__PURE__ */ (() =>
  z.optional(z.array(z.string().check(z.minLength(1, 'must not be empty')))))();
const marketplaceFields = /* @__PURE__ */ (() => z.optional(z.record(z.string(), z.unknown())))();
const idempotencyKey = /* @__PURE__ */ (() =>
  z.optional(z.string().check(z.minLength(1), z.maxLength(255))))();

/** Input of `acceptReturn`. */
export const AcceptReturnInputSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    /** Refund without taking the goods back (where the marketplace allows it). */
    buyerKeepsItem: z.optional(z.boolean()),
    /** Reused on retries of the same decision (TikTok); generated when absent. */
    idempotencyKey,
    marketplaceFields,
  }))();
/** Input of `acceptReturn` (see the schema of the same name). @interface */
export type AcceptReturnInput = z.infer<typeof AcceptReturnInputSchema>;

/** Input of `refuseReturn`: a reason code from `listReturnActionReasons(id, 'refuse')`. */
export const RefuseReturnInputSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    reason: z.string().check(z.minLength(1, 'required')),
    comment: z.optional(z.string()),
    /** Ids of files uploaded with `uploadReturnEvidence`. */
    evidence: evidenceIds,
    idempotencyKey,
    marketplaceFields,
  }))();
/** Input of `refuseReturn` (see the schema of the same name). @interface */
export type RefuseReturnInput = z.infer<typeof RefuseReturnInputSchema>;

/**
 * Input of `offerPartialRefund`: exactly one of `amount` (Shopee, TikTok) or `percentage`
 * (Mercado Livre, one of `getPartialRefundOptions(id).offers`).
 */
export const PartialRefundInputSchema = /* @__PURE__ */ (() =>
  z
    .looseObject({
      amount: z.optional(MoneySchema),
      percentage: z.optional(z.number().check(z.positive('must be > 0'), z.lt(100, 'must be < 100'))),
      idempotencyKey,
      marketplaceFields,
    })
    .check(
      z.refine((input) => (input.amount === undefined) !== (input.percentage === undefined), {
        message: 'give exactly one of amount or percentage',
        path: ['amount'],
      }),
    ))();
/** Input of `offerPartialRefund` (see the schema of the same name). @interface */
export type PartialRefundInput = z.infer<typeof PartialRefundInputSchema>;

/** Input of `disputeReturn`: escalate to the marketplace's mediation. */
export const DisputeReturnInputSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    /** A reason code from `listReturnActionReasons(id, 'dispute')` where the marketplace asks for one. */
    reason: z.optional(z.string().check(z.minLength(1))),
    text: z.optional(z.string()),
    evidence: evidenceIds,
    /** The operator's e-mail (Shopee asks for it). */
    email: z.optional(z.string().check(z.minLength(3))),
    marketplaceFields,
  }))();
/** Input of `disputeReturn` (see the schema of the same name). @interface */
export type DisputeReturnInput = z.infer<typeof DisputeReturnInputSchema>;

/** Input of `reviewReturnedItems`: whether the goods that came back are as they should be. */
export const ReviewReturnInputSchema = /* @__PURE__ */ (() =>
  z
    .looseObject({
      ok: z.boolean(),
      /** Required when `ok` is false: a code from `listReturnActionReasons(id, 'review_received')`. */
      reason: z.optional(z.string().check(z.minLength(1))),
      comment: z.optional(z.string()),
      evidence: evidenceIds,
      idempotencyKey,
      marketplaceFields,
    })
    .check(
      z.refine((input) => input.ok || input.reason !== undefined, {
        message: 'required when ok is false',
        path: ['reason'],
      }),
    ))();
/** Input of `reviewReturnedItems` (see the schema of the same name). @interface */
export type ReviewReturnInput = z.infer<typeof ReviewReturnInputSchema>;

/** Input of `sendReturnMessage`. */
export const ReturnMessageInputSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    text: z.string().check(z.minLength(1, 'required')),
    /** Ids of files uploaded with `uploadReturnEvidence`. */
    attachments: evidenceIds,
    marketplaceFields,
  }))();
/** Input of `sendReturnMessage` (see the schema of the same name). @interface */
export type ReturnMessageInput = z.infer<typeof ReturnMessageInputSchema>;

/** Input of `uploadReturnEvidence`. */
export interface UploadReturnEvidenceInput {
  files: readonly ReturnEvidenceFile[];
  description?: string | undefined;
  marketplaceFields?: Record<string, unknown> | undefined;
}

/** Which reasons `listReturnActionReasons` lists. */
export type ReturnReasonAction = 'refuse' | 'dispute' | 'review_received';

/**
 * Checks the input of a return action before any request leaves, or throws a `ValidationError`
 * naming each bad field (paths prefixed with `what`'s field names, e.g. `percentage`).
 *
 * @example
 * const input = checkReturnInput(PartialRefundInputSchema, { percentage: 50 }, 'partial refund', 'meli');
 */
export function checkReturnInput<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  what: string,
  marketplace?: MarketplaceId,
): z.infer<S> {
  const result = z.safeParse(schema, value ?? {});
  if (result.success) return result.data;
  throw new ValidationError(`Invalid ${what}`, toFieldIssues(result.error.issues), { marketplace });
}
