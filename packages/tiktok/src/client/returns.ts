import {
  AcceptReturnInputSchema,
  asArray,
  checkReturnInput,
  instantToEpochMs,
  type ListReturnsOptions,
  MlhError,
  NotFoundError,
  PartialRefundInputSchema,
  type PartialRefundOptions,
  RefuseReturnInputSchema,
  type Return,
  type ReturnAction,
  type ReturnActionReason,
  type ReturnEvidence,
  type ReturnStatus,
  type ReturnsCapabilities,
  type ReturnsCapability,
  ReviewReturnInputSchema,
  type UploadReturnEvidenceInput,
  ValidationError,
} from '@mlh/core';
import { tiktokPages } from '../api/paging';
import { uploadProductImage } from '../api/products';
import * as returnsApi from '../api/returns';
import { TIKTOK } from '../mappers';
import { mapTikTokCancellation, mapTikTokReturn } from '../mappers-returns';
import type { TikTokCancellation, TikTokReturn } from '../schemas-returns';
import type { TikTokAccountContext } from './context';
import { tiktokModule } from './module';
import { type BoundApi, bindApi } from './raw';

/** What TikTok Shop offers about returns: the four kinds of request and these seller actions. */
export const TIKTOK_RETURNS_CAPABILITIES: ReturnsCapabilities = Object.freeze({
  kinds: Object.freeze(['return', 'refund', 'replacement', 'cancellation'] as const),
  actions: Object.freeze([
    'accept',
    'refuse',
    'offer_partial_refund',
    'review_received',
    'upload_evidence',
  ] as const),
  partialRefund: 'amount',
}) as ReturnsCapabilities;

/** The returns calls of a TikTok Shop client. */
export type TikTokReturnsCapability = Required<
  Pick<
    ReturnsCapability,
    | 'listReturns'
    | 'getReturn'
    | 'acceptReturn'
    | 'refuseReturn'
    | 'getPartialRefundOptions'
    | 'offerPartialRefund'
    | 'reviewReturnedItems'
    | 'uploadReturnEvidence'
    | 'listReturnActionReasons'
  >
>;

/** The `return_refund` calls bound to one shop (`client.returns`), for what the core model does not cover. */
export type TikTokReturnsApi = BoundApi<typeof returnsApi>;

/** Binds `api/returns` to the shop of the client. */
export function bindReturnsApi(ctx: TikTokAccountContext): TikTokReturnsApi {
  return bindApi(returnsApi, ctx.call);
}

const APPROVE_FOR: Readonly<Record<string, returnsApi.TikTokApproveDecision>> = {
  SELLER_RESPOND_REFUND: 'APPROVE_REFUND',
  SELLER_RESPOND_RETURN: 'APPROVE_RETURN',
  SELLER_RESPOND_RECEIVE_PACKAGE: 'APPROVE_RECEIVED_PACKAGE',
  SELLER_RESPOND_REPLACEMENT: 'APPROVE_REPLACEMENT',
};
const REJECT_FOR: Readonly<Record<string, returnsApi.TikTokRejectDecision>> = {
  SELLER_RESPOND_REFUND: 'REJECT_REFUND',
  SELLER_RESPOND_RETURN: 'REJECT_RETURN',
  SELLER_RESPOND_RECEIVE_PACKAGE: 'REJECT_RECEIVED_PACKAGE',
  SELLER_RESPOND_REPLACEMENT: 'REJECT_REPLACEMENT',
};

type Case = { kind: 'return'; raw: TikTokReturn } | { kind: 'cancellation'; raw: TikTokCancellation };

function invalid(what: string, path: string, message: string): ValidationError {
  return new ValidationError(`Invalid ${what}`, [{ path, message }], { marketplace: TIKTOK });
}

function checkId(externalId: string): void {
  if (typeof externalId !== 'string' || !/^[A-Za-z0-9_-]+$/.test(externalId))
    throw invalid('return id', 'externalId', 'must be a TikTok return_id or cancel_id');
}

function seconds(value: ListReturnsOptions['updatedSince'], path: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = instantToEpochMs(value);
  if (ms === undefined)
    throw invalid('listReturns options', path, 'must be a Date, an ISO 8601 string or epoch ms');
  return Math.floor(ms / 1000);
}

function externalIdOf(found: Case): string {
  return found.kind === 'return' ? found.raw.return_id : found.raw.cancel_id;
}

function nextActionsOf(raw: TikTokReturn | TikTokCancellation): string[] {
  return (raw.seller_next_action_response ?? []).flatMap((entry) =>
    entry.action ? [entry.action.toUpperCase()] : [],
  );
}

/**
 * Lists, reads and answers returns and cancellation requests. Every decision reads the case first
 * and refuses, before sending anything, one its `availableActions` does not list. Decisions carry an
 * `idempotency_key` (yours, or one made per call): the transport's retries of one decision reuse
 * it and TikTok applies it once; each new call is a new decision. Every decision resolves to the
 * case re-read.
 */
export function returnsCapability(ctx: TikTokAccountContext): TikTokReturnsCapability {
  const { call, accountId } = ctx;
  const map = (found: Case): Return =>
    found.kind === 'return'
      ? mapTikTokReturn(found.raw, accountId)
      : mapTikTokCancellation(found.raw, accountId);

  async function findCase(externalId: string): Promise<Case> {
    checkId(externalId);
    const returns = await returnsApi.searchReturns(call, {
      pageSize: returnsApi.TIKTOK_RETURN_LIMITS.returnPageSizeMin,
      filter: { return_ids: [externalId] },
    });
    const found = returns.items.find((entry) => entry.return_id === externalId);
    if (found) return { kind: 'return', raw: found };
    const cancellations = await returnsApi.searchCancellations(call, {
      pageSize: returnsApi.TIKTOK_RETURN_LIMITS.returnPageSizeMin,
      filter: { cancel_ids: [externalId] },
    });
    const cancellation = cancellations.items.find((entry) => entry.cancel_id === externalId);
    if (cancellation) return { kind: 'cancellation', raw: cancellation };
    throw new NotFoundError(`TikTok Shop return or cancellation ${externalId} not found`, {
      marketplace: TIKTOK,
    });
  }

  async function getReturn(externalId: string): Promise<Return> {
    return map(await findCase(externalId));
  }

  async function* listReturns(options: ListReturnsOptions = {}): AsyncGenerator<Return> {
    const since = seconds(options.updatedSince, 'updatedSince');
    const until = seconds(options.updatedUntil, 'updatedUntil');
    if (since !== undefined && until !== undefined && since > until)
      throw invalid('listReturns options', 'updatedSince', 'must not be after updatedUntil');
    const statuses = asArray(options.status);
    const wanted = statuses ? new Set<ReturnStatus>(statuses) : undefined;
    const window = {
      ...(since === undefined ? {} : { update_time_ge: since }),
      // `[ge, lt)`: one second past `until` keeps a change made in its last second.
      ...(until === undefined ? {} : { update_time_lt: until + 1 }),
      ...(options.orderExternalId ? { order_ids: [options.orderExternalId] } : {}),
    };
    const size = (min: number, max: number) =>
      Math.min(Math.max(min, Math.floor(options.pageSize ?? max)), max);
    const returnPages = tiktokPages(
      (pageToken) =>
        returnsApi.searchReturns(
          { ...call, signal: options.signal },
          {
            pageSize: size(
              returnsApi.TIKTOK_RETURN_LIMITS.returnPageSizeMin,
              returnsApi.TIKTOK_RETURN_LIMITS.returnPageSizeMax,
            ),
            pageToken,
            filter: window,
          },
        ),
      'return search',
      options.signal,
    );
    for await (const page of returnPages) {
      for (const raw of page.items) {
        const mapped = mapTikTokReturn(raw, accountId);
        if (!wanted || wanted.has(mapped.status)) yield mapped;
      }
    }
    const cancellationPages = tiktokPages(
      (pageToken) =>
        returnsApi.searchCancellations(
          { ...call, signal: options.signal },
          {
            pageSize: size(1, returnsApi.TIKTOK_RETURN_LIMITS.cancellationPageSizeMax),
            pageToken,
            filter: window,
          },
        ),
      'cancellation search',
      options.signal,
    );
    for await (const page of cancellationPages) {
      for (const raw of page.items) {
        const mapped = mapTikTokCancellation(raw, accountId);
        if (!wanted || wanted.has(mapped.status)) yield mapped;
      }
    }
  }

  /** The case as it stands, after checking `action` is open to the seller now (before anything is sent). */
  async function allowing(externalId: string, action: ReturnAction): Promise<Case> {
    const found = await findCase(externalId);
    const current = map(found);
    if (!current.availableActions.includes(action))
      throw new ValidationError(
        `TikTok Shop does not let the seller ${action} on ${found.kind} ${externalId} now (status ${current.rawStatus})`,
        [
          {
            path: 'action',
            message: `needs ${action} among the available actions (${current.availableActions.join(', ') || 'none'})`,
            code: 'action_not_available',
          },
        ],
        { marketplace: TIKTOK },
      );
    return found;
  }

  /** The decision the case's next action calls for (the action check passed, so TikTok named one). */
  function decisionFor<D>(found: Case, table: Readonly<Record<string, D>>): D {
    const decision = nextActionsOf(found.raw)
      .map((action) => table[action])
      .find((candidate) => candidate !== undefined);
    if (decision === undefined)
      throw new MlhError(`TikTok Shop named no seller action this SDK knows for ${externalIdOf(found)}`, {
        marketplace: TIKTOK,
        code: 'unknown_next_action',
      });
    return decision;
  }

  async function acceptReturn(externalId: string, input?: unknown): Promise<Return> {
    const accept = checkReturnInput(AcceptReturnInputSchema, input, 'accept return input', TIKTOK);
    const found = await allowing(externalId, 'accept');
    if (found.kind === 'cancellation') {
      await returnsApi.approveCancellation(call, externalId, { idempotencyKey: accept.idempotencyKey });
    } else {
      const decision = decisionFor(found, APPROVE_FOR);
      await returnsApi.approveReturn(call, externalId, {
        decision,
        ...(decision === 'APPROVE_RETURN' && accept.buyerKeepsItem !== undefined
          ? { buyerKeepItem: accept.buyerKeepsItem }
          : {}),
        idempotencyKey: accept.idempotencyKey,
      });
    }
    return getReturn(externalId);
  }

  async function refuseReturn(externalId: string, input: unknown): Promise<Return> {
    const refuse = checkReturnInput(RefuseReturnInputSchema, input, 'refuse return input', TIKTOK);
    const found = await allowing(externalId, 'refuse');
    const common = {
      rejectReason: refuse.reason,
      comment: refuse.comment,
      images: refuse.evidence?.map((imageId) => ({ image_id: imageId })),
      idempotencyKey: refuse.idempotencyKey,
    };
    if (found.kind === 'cancellation') await returnsApi.rejectCancellation(call, externalId, common);
    else
      await returnsApi.rejectReturn(call, externalId, {
        ...common,
        decision: decisionFor(found, REJECT_FOR),
      });
    return getReturn(externalId);
  }

  async function reviewReturnedItems(externalId: string, input: unknown): Promise<Return> {
    const review = checkReturnInput(ReviewReturnInputSchema, input, 'review input', TIKTOK);
    await allowing(externalId, 'review_received');
    if (review.ok)
      await returnsApi.approveReturn(call, externalId, {
        decision: 'APPROVE_RECEIVED_PACKAGE',
        idempotencyKey: review.idempotencyKey,
      });
    else
      await returnsApi.rejectReturn(call, externalId, {
        decision: 'REJECT_RECEIVED_PACKAGE',
        rejectReason: review.reason ?? '',
        comment: review.comment,
        images: review.evidence?.map((imageId) => ({ image_id: imageId })),
        idempotencyKey: review.idempotencyKey,
      });
    return getReturn(externalId);
  }

  async function getPartialRefundOptions(externalId: string): Promise<PartialRefundOptions> {
    const found = await findCase(externalId);
    if (found.kind !== 'return')
      throw invalid('partial refund', 'externalId', 'a cancellation takes no partial refund');
    const total = found.raw.refund_amount;
    const currency = total?.currency?.toUpperCase();
    const mapped = mapTikTokReturn(found.raw, accountId);
    return {
      ...(currency ? { currency } : {}),
      offers: [],
      // TikTok takes any amount below the request's refund: the bound is exclusive.
      ...(mapped.availableActions.includes('offer_partial_refund') && mapped.refundAmount
        ? { maxAmount: mapped.refundAmount }
        : {}),
      raw: found.raw,
    };
  }

  async function offerPartialRefund(externalId: string, input: unknown): Promise<Return> {
    const offer = checkReturnInput(PartialRefundInputSchema, input, 'partial refund', TIKTOK);
    if (!offer.amount)
      throw invalid('partial refund', 'amount', 'TikTok Shop takes an amount, not a percentage');
    await allowing(externalId, 'offer_partial_refund');
    await returnsApi.approveReturn(call, externalId, {
      decision: 'OFFER_PARTIAL_REFUND',
      partialRefund: { amount: offer.amount.amount, currency: offer.amount.currency },
      idempotencyKey: offer.idempotencyKey,
    });
    return getReturn(externalId);
  }

  async function listReturnActionReasons(externalId: string, action: string): Promise<ReturnActionReason[]> {
    checkId(externalId);
    if (action !== 'refuse' && action !== 'review_received')
      throw invalid(
        'return action',
        'action',
        'TikTok Shop lists reasons to refuse (or to refuse a received package)',
      );
    const reasons = await returnsApi.getRejectReasons(call, externalId);
    return reasons.map((reason) => ({
      code: reason.name,
      ...(reason.text ? { text: reason.text } : {}),
      raw: reason,
    }));
  }

  async function uploadReturnEvidence(
    externalId: string,
    input: UploadReturnEvidenceInput,
  ): Promise<ReturnEvidence[]> {
    checkId(externalId);
    const files = input?.files ?? [];
    if (files.length === 0) throw invalid('evidence', 'files', 'at least one file');
    files.forEach((file, index) => {
      if (!/^image\/(jpeg|jpg|png|webp)$/i.test(file.contentType))
        throw invalid('evidence', `files.${index}.contentType`, 'TikTok Shop takes images only');
    });
    // Rejections attach images by the URI of a product image upload; the upload goes out once per file.
    const evidence: ReturnEvidence[] = [];
    for (const file of files) {
      const image = await uploadProductImage(call, {
        image: new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.contentType }),
        useCase: 'DESCRIPTION_IMAGE',
        fileName: file.fileName,
      });
      evidence.push({
        from: 'seller',
        kind: 'image',
        id: image.uri,
        ...(image.url ? { url: image.url } : {}),
        ...(input.description ? { description: input.description } : {}),
      });
    }
    return evidence;
  }

  return {
    listReturns,
    getReturn,
    acceptReturn,
    refuseReturn,
    getPartialRefundOptions,
    offerPartialRefund,
    reviewReturnedItems,
    uploadReturnEvidence,
    listReturnActionReasons,
  };
}

/**
 * The returns module: returns, refunds and cancellations (`listReturns`, `getReturn`, the seller's
 * actions) and the raw `returns` calls.
 *
 * @example
 * import { tiktokReturns } from '@mlh/tiktok/returns';
 * const client = createTikTokShop({ ...options, capabilities: [tiktokReturns] }).forAccount(shopId);
 * for await (const request of client.listReturns({ updatedSince: lastRun })) await review(request);
 */
export const tiktokReturns = /* @__PURE__ */ tiktokModule({
  name: 'returns',
  capabilities: { returns: TIKTOK_RETURNS_CAPABILITIES },
  build: (ctx): { readonly returns: TikTokReturnsApi } & TikTokReturnsCapability => ({
    returns: bindReturnsApi(ctx),
    ...returnsCapability(ctx),
  }),
});
