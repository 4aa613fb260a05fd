import {
  AcceptReturnInputSchema,
  asArray,
  checkReturnInput,
  DisputeReturnInputSchema,
  type FieldIssue,
  isMlhError,
  type ListReturnsOptions,
  mapLimit,
  moneyInCurrencyScale,
  NotFoundError,
  PartialRefundInputSchema,
  type PartialRefundOptions,
  type Return,
  type ReturnAction,
  type ReturnActionReason,
  type ReturnEvidence,
  type ReturnStatus,
  type ReturnsCapabilities,
  type ReturnsCapability,
  type UploadReturnEvidenceInput,
  ValidationError,
} from '@mlh/core';
import * as returnsApi from '../api/returns';
import { mapShopeeReturn } from '../mappers-returns';
import { SHOPEE, type ShopeeScope } from '../transport';
import { DAY_MS, invalid, toEpochMs } from './checks';
import type { ShopeeAccountContext } from './context';
import { shopeeModule } from './module';
import type { BoundShopeeCall } from './raw';

/** What Shopee offers about returns: return-and-refund and refund-only requests, and these seller actions. */
export const SHOPEE_RETURNS_CAPABILITIES: ReturnsCapabilities = Object.freeze({
  kinds: Object.freeze(['return', 'refund'] as const),
  actions: Object.freeze([
    'accept',
    'offer_partial_refund',
    'accept_buyer_offer',
    'dispute',
    'upload_evidence',
  ] as const),
  partialRefund: 'amount',
}) as ReturnsCapabilities;

/** The returns calls of a Shopee client. */
export type ShopeeReturnsCapability = Required<
  Pick<
    ReturnsCapability,
    | 'listReturns'
    | 'getReturn'
    | 'acceptReturn'
    | 'getPartialRefundOptions'
    | 'offerPartialRefund'
    | 'acceptBuyerOffer'
    | 'disputeReturn'
    | 'uploadReturnEvidence'
    | 'listReturnActionReasons'
  >
>;

/** Details read at once while listing (each list entry is re-read for its negotiation and proof). */
const DETAIL_CONCURRENCY = 4;

function checkReturnSn(returnSn: string, path = 'externalId'): void {
  if (typeof returnSn !== 'string' || !/^[A-Za-z0-9]+$/.test(returnSn))
    throw invalid('return id', [{ path, message: 'must be a Shopee return_sn' }]);
}

/** Shopee answers an unknown return_sn with `error_param` "Return SN or ID is invalid.". */
function isUnknownReturn(error: unknown): boolean {
  return (
    isMlhError(error) &&
    error.code?.trim() === 'error_param' &&
    /return sn or id is invalid/i.test(error.message)
  );
}

/** The SDK's refusal of an action the return does not list in `availableActions` now. */
function notAvailable(current: Return, action: ReturnAction): ValidationError {
  return new ValidationError(
    `Shopee does not let the seller ${action} on return ${current.externalId} now (status ${current.rawStatus})`,
    [
      {
        path: 'action',
        message: `needs ${action} among the available actions (${current.availableActions.join(', ') || 'none'})`,
        code: 'action_not_available',
      },
    ],
    { marketplace: SHOPEE },
  );
}

/**
 * Lists, reads and answers returns. Every action reads the return first and refuses, before
 * sending anything, one its `availableActions` does not list. Actions that move money (`confirm`,
 * `offer`, `accept_offer`, `dispute`) go out once and are never retried after a response that may
 * have been lost: re-read the return (`getReturn`) to learn whether it applied.
 */
export function returnsCapability(ctx: ShopeeAccountContext): ShopeeReturnsCapability {
  const { scope, scoped, accountId, shopCurrency, clock } = ctx;
  const map = (raw: Parameters<typeof mapShopeeReturn>[0]) =>
    mapShopeeReturn(raw, accountId, { currency: shopCurrency });

  async function getReturn(externalId: string): Promise<Return> {
    checkReturnSn(externalId);
    try {
      return map(await returnsApi.getReturnDetail(scope, externalId));
    } catch (error) {
      if (isUnknownReturn(error))
        throw new NotFoundError(`Shopee return ${externalId} not found`, {
          marketplace: SHOPEE,
          code: 'error_param',
          cause: error,
        });
      throw error;
    }
  }

  /** The return as it stands, after checking `action` is open to the seller now. */
  async function allowing(externalId: string, action: ReturnAction): Promise<Return> {
    const current = await getReturn(externalId);
    if (!current.availableActions.includes(action)) throw notAvailable(current, action);
    return current;
  }

  async function* listReturns(options: ListReturnsOptions = {}): AsyncGenerator<Return> {
    const untilMs =
      options.updatedUntil === undefined ? clock.now() : toEpochMs(options.updatedUntil, 'updatedUntil');
    const sinceMs =
      options.updatedSince === undefined
        ? untilMs - 15 * DAY_MS
        : toEpochMs(options.updatedSince, 'updatedSince');
    if (sinceMs > untilMs)
      throw invalid('listReturns options', [
        { path: 'updatedSince', message: 'must not be after updatedUntil' },
      ]);
    const statuses = asArray(options.status);
    const wanted = statuses ? new Set<ReturnStatus>(statuses) : undefined;
    const pageSize = Math.min(
      Math.max(1, Math.floor(options.pageSize ?? returnsApi.SHOPEE_RETURN_LIMITS.listPageSize)),
      returnsApi.SHOPEE_RETURN_LIMITS.listPageSize,
    );
    const from = Math.floor(sinceMs / 1000);
    const to = Math.ceil(untilMs / 1000);
    if (to <= from) return;
    const scopeWithSignal = scoped(options.signal);
    const pages = returnsApi.iterateReturnList(scopeWithSignal, {
      timeField: 'update_time',
      timeFrom: from,
      timeTo: to,
      pageSize,
    });
    for await (const page of pages) {
      const entries = options.orderExternalId
        ? page.filter((entry) => entry.order_sn === options.orderExternalId)
        : page;
      const details = await mapLimit(entries, DETAIL_CONCURRENCY, (entry) =>
        returnsApi.getReturnDetail(scopeWithSignal, entry.return_sn),
      );
      for (const detail of details) {
        const mapped = map(detail);
        if (!wanted || wanted.has(mapped.status)) yield mapped;
      }
    }
  }

  async function acceptReturn(externalId: string, input?: unknown): Promise<Return> {
    checkReturnSn(externalId);
    checkReturnInput(AcceptReturnInputSchema, input, 'accept return input', SHOPEE);
    await allowing(externalId, 'accept');
    await returnsApi.confirmReturn(scope, externalId);
    return getReturn(externalId);
  }

  async function getPartialRefundOptions(externalId: string): Promise<PartialRefundOptions> {
    checkReturnSn(externalId);
    const [solutions, current] = await Promise.all([
      returnsApi.getAvailableSolutions(scope, externalId),
      returnsApi.getReturnDetail(scope, externalId),
    ]);
    const currency = (current.currency || shopCurrency)?.toUpperCase();
    const refund = solutions.offer_refund;
    const bound = (value: number | string | null | undefined) =>
      value !== null && value !== undefined && currency ? moneyInCurrencyScale(value, currency) : undefined;
    const min = refund?.eligibility ? bound(refund.min_refund_amount) : undefined;
    const max = refund?.eligibility ? bound(refund.max_refund_amount) : undefined;
    return {
      ...(currency ? { currency } : {}),
      offers: [],
      ...(min ? { minAmount: min } : {}),
      ...(max ? { maxAmount: max } : {}),
      raw: solutions,
    };
  }

  async function offerPartialRefund(externalId: string, input: unknown): Promise<Return> {
    checkReturnSn(externalId);
    const offer = checkReturnInput(PartialRefundInputSchema, input, 'partial refund', SHOPEE);
    if (!offer.amount)
      throw invalid('partial refund', [
        { path: 'amount', message: 'Shopee takes an amount, not a percentage' },
      ]);
    const current = await allowing(externalId, 'offer_partial_refund');
    // The return's own currency first, the shop's when the return names none.
    const currency = (current.refundAmount?.currency ?? shopCurrency)?.toUpperCase();
    if (currency && offer.amount.currency !== currency)
      throw invalid('partial refund', [
        { path: 'amount.currency', message: `must be the return's currency ${currency}` },
      ]);
    await returnsApi.offer(scope, {
      returnSn: externalId,
      solution: 'REFUND',
      refundAmount: offer.amount.amount,
    });
    return getReturn(externalId);
  }

  async function acceptBuyerOffer(externalId: string): Promise<Return> {
    checkReturnSn(externalId);
    await allowing(externalId, 'accept_buyer_offer');
    await returnsApi.acceptOffer(scope, externalId);
    return getReturn(externalId);
  }

  async function listReturnActionReasons(externalId: string, action: string): Promise<ReturnActionReason[]> {
    checkReturnSn(externalId);
    if (action !== 'dispute')
      throw invalid('return action', [
        { path: 'action', message: 'Shopee lists reasons for dispute only (it has no plain refusal)' },
      ]);
    const reasons = await returnsApi.getReturnDisputeReasons(scope, externalId);
    return reasons.map((reason) => ({
      code: reason.dispute_reason,
      ...(reason.dispute_requirement ? { text: reason.dispute_requirement } : {}),
      evidenceRequired: (reason.evidence_module_list ?? []).some((module) => module.is_required),
      raw: reason,
    }));
  }

  async function disputeReturn(externalId: string, input?: unknown): Promise<Return> {
    checkReturnSn(externalId);
    const dispute = checkReturnInput(DisputeReturnInputSchema, input, 'dispute', SHOPEE);
    const issues: FieldIssue[] = [];
    if (!dispute.reason || !/^\d+$/.test(dispute.reason))
      issues.push({
        path: 'reason',
        message: 'required: a reason code from listReturnActionReasons(id, "dispute")',
      });
    if (!dispute.email) issues.push({ path: 'email', message: "required by Shopee: the operator's e-mail" });
    if (issues.length > 0 || !dispute.reason || !dispute.email) throw invalid('dispute', issues);
    await allowing(externalId, 'dispute');
    const urls = dispute.evidence ?? [];
    let evidence: returnsApi.ShopeeDisputeEvidence[] = [];
    if (urls.length > 0) {
      // The evidence goes to the reason's first evidence module (Shopee numbers them per reason).
      const reasons = await returnsApi.getReturnDisputeReasons(scope, externalId);
      const module = reasons.find((reason) => reason.dispute_reason === dispute.reason)
        ?.evidence_module_list?.[0];
      evidence = [
        {
          moduleIndex: module?.module_index ?? 1,
          requirement: module?.requirement ?? undefined,
          imageUrls: urls,
        },
      ];
    }
    await returnsApi.dispute(scope, {
      returnSn: externalId,
      email: dispute.email,
      disputeReasonId: dispute.reason,
      textReason: dispute.text,
      evidence,
    });
    return getReturn(externalId);
  }

  async function uploadReturnEvidence(
    externalId: string,
    input: UploadReturnEvidenceInput,
  ): Promise<ReturnEvidence[]> {
    checkReturnSn(externalId);
    const issues: FieldIssue[] = [];
    const files = input?.files ?? [];
    if (files.length === 0) issues.push({ path: 'files', message: 'at least one file' });
    files.forEach((file, index) => {
      if (!/^image\/(jpeg|jpg|png)$/i.test(file.contentType))
        issues.push({ path: `files.${index}.contentType`, message: 'Shopee takes JPG or PNG images only' });
    });
    if (issues.length > 0) throw invalid('evidence', issues);
    // The images become the seller's proof on the case, unless the caller only wants their URLs
    // (for `disputeReturn`'s evidence): `marketplaceFields.proof: false`.
    const asProof = input.marketplaceFields?.proof !== false;
    if (asProof) await allowing(externalId, 'upload_evidence');
    const images: Awaited<ReturnType<typeof returnsApi.convertImage>>[] = [];
    for (const file of files) {
      images.push(
        await returnsApi.convertImage(scope, externalId, { data: file.bytes, fileName: file.fileName }),
      );
    }
    if (asProof) {
      await returnsApi.uploadProof(scope, {
        returnSn: externalId,
        photos: images,
        description: input.description,
      });
    }
    return images.map((image) => ({
      from: 'seller',
      kind: 'image',
      id: image.url,
      url: image.url,
      ...(input.description ? { description: input.description } : {}),
    }));
  }

  return {
    listReturns,
    getReturn,
    acceptReturn,
    getPartialRefundOptions,
    offerPartialRefund,
    acceptBuyerOffer,
    disputeReturn,
    uploadReturnEvidence,
    listReturnActionReasons,
  };
}

/** The `returns` calls bound to one shop (`client.returns`), for what the core model does not cover. */
export interface ShopeeReturnsApi {
  getReturnList: BoundShopeeCall<typeof returnsApi.getReturnList>;
  iterateReturnList: BoundShopeeCall<typeof returnsApi.iterateReturnList>;
  getReturnDetail: BoundShopeeCall<typeof returnsApi.getReturnDetail>;
  getAvailableSolutions: BoundShopeeCall<typeof returnsApi.getAvailableSolutions>;
  offer: BoundShopeeCall<typeof returnsApi.offer>;
  acceptOffer: BoundShopeeCall<typeof returnsApi.acceptOffer>;
  confirmReturn: BoundShopeeCall<typeof returnsApi.confirmReturn>;
  getReturnDisputeReasons: BoundShopeeCall<typeof returnsApi.getReturnDisputeReasons>;
  dispute: BoundShopeeCall<typeof returnsApi.dispute>;
  cancelDispute: BoundShopeeCall<typeof returnsApi.cancelDispute>;
  convertImage: BoundShopeeCall<typeof returnsApi.convertImage>;
  uploadProof: BoundShopeeCall<typeof returnsApi.uploadProof>;
  queryProof: BoundShopeeCall<typeof returnsApi.queryProof>;
}

/** Each `api/returns` function with the shop's scope bound. */
export function bindReturnsApi(scope: ShopeeScope): ShopeeReturnsApi {
  return Object.freeze({
    getReturnList: (o) => returnsApi.getReturnList(scope, o),
    iterateReturnList: (o) => returnsApi.iterateReturnList(scope, o),
    getReturnDetail: (sn) => returnsApi.getReturnDetail(scope, sn),
    getAvailableSolutions: (sn) => returnsApi.getAvailableSolutions(scope, sn),
    offer: (input) => returnsApi.offer(scope, input),
    acceptOffer: (sn) => returnsApi.acceptOffer(scope, sn),
    confirmReturn: (sn) => returnsApi.confirmReturn(scope, sn),
    getReturnDisputeReasons: (sn) => returnsApi.getReturnDisputeReasons(scope, sn),
    dispute: (input) => returnsApi.dispute(scope, input),
    cancelDispute: (input) => returnsApi.cancelDispute(scope, input),
    convertImage: (sn, image) => returnsApi.convertImage(scope, sn, image),
    uploadProof: (input) => returnsApi.uploadProof(scope, input),
    queryProof: (sn) => returnsApi.queryProof(scope, sn),
  } satisfies ShopeeReturnsApi);
}

/**
 * The returns module: `listReturns`, `getReturn` and the seller's actions (accept, partial refund,
 * accept the buyer's offer, dispute, evidence), plus the uncached `returns` calls.
 *
 * @example
 * import { shopeeReturns } from '@mlh/shopee/returns';
 * const client = createShopee({ ...options, capabilities: [shopeeReturns] }).forShop(shopId);
 * for await (const request of client.listReturns({ updatedSince: lastRun })) await review(request);
 */
export const shopeeReturns = /* @__PURE__ */ shopeeModule({
  name: 'returns',
  capabilities: { returns: SHOPEE_RETURNS_CAPABILITIES },
  build: (ctx): { readonly returns: ShopeeReturnsApi } & ShopeeReturnsCapability => ({
    returns: bindReturnsApi(ctx.scope),
    ...returnsCapability(ctx),
  }),
});
