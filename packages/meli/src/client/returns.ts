import {
  AcceptReturnInputSchema,
  asArray,
  checkReturnInput,
  DisputeReturnInputSchema,
  type ListReturnsOptions,
  mapLimit,
  moneyInCurrencyScale,
  PartialRefundInputSchema,
  type PartialRefundOptions,
  type Return,
  type ReturnEvidence,
  ReturnMessageInputSchema,
  type ReturnsCapabilities,
  type ReturnsCapability,
  ReviewReturnInputSchema,
  toDecimalString,
  type UploadReturnEvidenceInput,
  ValidationError,
} from '@mlh/core';
import * as claimsApi from '../api/claims';
import * as ordersApi from '../api/orders';
import { mapMeliClaim, percentageOf, relatedNames, sellerActionNames } from '../claims-mappers';
import type { MeliClaim, MeliClaimSearch, MeliReturn } from '../claims-schemas';
import type { MeliOrder } from '../schemas';
import type { MeliResponse } from '../transport';
import { isAbsent, type MeliAccountContext, toTime } from './context';
import { meliModule } from './module';

/** What Mercado Livre offers about claims and returns, for generic code. */
export const MELI_RETURNS_CAPABILITIES: ReturnsCapabilities = Object.freeze({
  kinds: Object.freeze(['return', 'cancellation', 'replacement', 'claim'] as const),
  actions: Object.freeze([
    'accept',
    'offer_partial_refund',
    'dispute',
    'upload_evidence',
    'review_received',
    'send_message',
  ] as const),
  partialRefund: 'percentage',
});

/** `client.claims`: the claim calls under Mercado Livre's names, for this seller. */
export interface MeliClaimsApi {
  /** One page of the claims where this seller is the respondent, narrowed by `query`. */
  search(
    query?: Omit<claimsApi.MeliClaimSearchQuery, 'players.user_id' | 'players.role'>,
  ): Promise<MeliResponse<MeliClaimSearch>>;
  /** One claim as Mercado Livre sends it. */
  get(claimId: string): Promise<MeliClaim>;
  /** The return of a claim (`v2`), or `undefined` when it has none. */
  getReturn(claimId: string): Promise<MeliReturn | undefined>;
}

/**
 * The returns capability of a Mercado Livre client, plus `claims`. Mercado Livre has no refusal
 * (the seller disputes instead) and no buyer counter-offer, so `refuseReturn` and
 * `acceptBuyerOffer` are absent.
 */
export type MeliReturnsCapability = Required<Omit<ReturnsCapability, 'refuseReturn' | 'acceptBuyerOffer'>> & {
  claims: MeliClaimsApi;
};

const DEFAULT_PAGE = 50;

function notAvailable(
  claim: MeliClaim,
  wanted: readonly string[],
  names: readonly string[],
): ValidationError {
  return new ValidationError(
    `Mercado Livre does not let the seller ${wanted.join(' or ')} on claim ${String(claim.id)} now`,
    [
      {
        path: 'action',
        message: `needs ${wanted.join(' or ')} among the seller's available actions (${names.join(', ') || 'none'})`,
        code: 'action_not_available',
      },
    ],
    { marketplace: 'meli' },
  );
}

function rangeOf(since: number | undefined, until: number | undefined): string | undefined {
  if (since === undefined && until === undefined) return undefined;
  // The form of the claims documentation: `2026-01-01T00:00:00.000-0300` (here always UTC).
  const date = (time: number) => new Date(time).toISOString().replace('Z', '-0000');
  const parts = [
    since === undefined ? undefined : `after:${date(since)}`,
    until === undefined ? undefined : `before:${date(until)}`,
  ].filter(Boolean);
  return `last_updated:${parts.join(',')}`;
}

/**
 * Claims and returns of one Mercado Livre seller as core `Return`s, and the seller's actions.
 * Every write reads the claim first and refuses, before sending anything, an action the seller's
 * player does not list in `available_actions` (Mercado Livre would answer 400); it is sent once,
 * and the claim is read again for the result.
 */
export function returnsCapability(ctx: MeliAccountContext): MeliReturnsCapability {
  const { context, accountId, concurrency } = ctx;

  async function claimReturn(claim: MeliClaim): Promise<MeliReturn | undefined> {
    const names = relatedNames(claim.related_entities);
    if (!names.includes('return') && claim.type !== 'return' && claim.type !== 'returns') return undefined;
    try {
      return (await claimsApi.getClaimReturn(context, String(claim.id))).data;
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  async function claimOrder(claim: MeliClaim, ret: MeliReturn | undefined): Promise<MeliOrder | undefined> {
    const orderId =
      claim.resource === 'order' && claim.resource_id != null ? claim.resource_id : ret?.orders[0]?.order_id;
    if (orderId == null) return undefined;
    try {
      return (await ordersApi.getOrder(context, String(orderId))).data;
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  // Only an open claim without a return can be waiting on an offer: the one case worth the call.
  async function expectedOf(claim: MeliClaim, ret: MeliReturn | undefined) {
    if (claim.status !== 'opened' || claim.stage !== 'claim' || ret) return undefined;
    return (await claimsApi.getExpectedResolutions(context, String(claim.id))).data;
  }

  async function toReturn(claim: MeliClaim): Promise<Return> {
    const ret = await claimReturn(claim);
    const [order, expectedResolutions] = await Promise.all([claimOrder(claim, ret), expectedOf(claim, ret)]);
    return mapMeliClaim({ claim, return: ret, order, expectedResolutions, accountId });
  }

  const readClaim = async (claimId: string): Promise<MeliClaim> =>
    (await claimsApi.getClaim(context, claimId)).data;
  const getReturn = async (externalId: string): Promise<Return> => toReturn(await readClaim(externalId));

  async function* listReturns(options: ListReturnsOptions = {}): AsyncGenerator<Return> {
    const since = toTime(options.updatedSince, 'updatedSince');
    const until = toTime(options.updatedUntil, 'updatedUntil');
    const statuses = asArray(options.status);
    const limit = Math.max(
      1,
      Math.min(options.pageSize ?? DEFAULT_PAGE, claimsApi.MELI_CLAIM_SEARCH_MAX_LIMIT),
    );
    const seen = new Set<string>();
    // Sorted by last_updated, a window that reaches the offset cap restarts after its last date.
    let after = since;
    let offset = 0;
    let restarted = false;
    for (;;) {
      options.signal?.throwIfAborted();
      const page = await claimsApi.searchClaims(context, {
        'players.user_id': accountId,
        'players.role': 'respondent',
        order_id: options.orderExternalId,
        range: rangeOf(after, until),
        sort: 'last_updated:asc',
        offset,
        limit,
      });
      const claims = page.data.data;
      const fresh = claims.filter((claim) => !seen.has(String(claim.id)));
      for (const claim of fresh) seen.add(String(claim.id));
      const mapped = await mapLimit(fresh, concurrency, toReturn);
      for (const ret of mapped) {
        if (!statuses || statuses.includes(ret.status)) yield ret;
      }
      offset += claims.length;
      const total = page.data.paging?.total;
      // A page of claims all seen before ends the walk (a repeated page), except right after a
      // restart, whose first claims share the date it restarted from.
      if (claims.length === 0 || (fresh.length === 0 && !restarted)) return;
      restarted = false;
      if (total != null ? offset >= total : claims.length < limit) return;
      if (offset + limit > claimsApi.MELI_CLAIM_SEARCH_MAX_OFFSET) {
        const last = Date.parse(claims[claims.length - 1]?.last_updated ?? '');
        if (Number.isNaN(last) || (after !== undefined && last <= after)) {
          throw new ValidationError(
            'Too many claims to page through',
            [
              {
                path: 'updatedSince',
                message: 'more than 10000 claims share one last_updated: narrow the window',
              },
            ],
            { marketplace: 'meli' },
          );
        }
        after = last;
        offset = 0;
        restarted = true;
      }
    }
  }

  /** Reads the claim and the seller's actions; refuses when none of `wanted` is listed. */
  async function gate(
    claimId: string,
    wanted: readonly string[],
  ): Promise<{ claim: MeliClaim; names: string[] }> {
    const claim = await readClaim(claimId);
    const names = sellerActionNames(claim, accountId);
    if (!wanted.some((name) => names.includes(name))) throw notAvailable(claim, wanted, names);
    return { claim, names };
  }

  return {
    claims: Object.freeze({
      search: (query = {}) =>
        claimsApi.searchClaims(context, {
          ...query,
          'players.user_id': accountId,
          'players.role': 'respondent',
        }),
      get: readClaim,
      getReturn: async (claimId: string) =>
        claimReturn({ ...(await readClaim(claimId)), related_entities: ['return'] }),
    }),
    listReturns,
    getReturn,

    async acceptReturn(externalId, input) {
      const checked = checkReturnInput(AcceptReturnInputSchema, input, 'return acceptance', 'meli');
      const wanted = checked.buyerKeepsItem ? ['refund'] : ['allow_return', 'refund'];
      const { names } = await gate(externalId, wanted);
      const resolution =
        !checked.buyerKeepsItem && names.includes('allow_return') ? 'allow-return' : 'refund';
      await claimsApi.resolveClaim(context, externalId, resolution);
      return getReturn(externalId);
    },

    async getPartialRefundOptions(externalId): Promise<PartialRefundOptions> {
      await gate(externalId, ['allow_partial_refund']);
      const { data } = await claimsApi.getPartialRefundOffers(context, externalId);
      const currency = data.currency_id ?? undefined;
      return {
        currency,
        offers: data.available_offers.map((offer) => ({
          percentage: percentageOf(offer.percentage),
          amount:
            offer.amount != null && currency
              ? moneyInCurrencyScale(toDecimalString(offer.amount), currency)
              : undefined,
        })),
        raw: data,
      };
    },

    async offerPartialRefund(externalId, input) {
      const checked = checkReturnInput(PartialRefundInputSchema, input, 'partial refund', 'meli');
      await gate(externalId, ['allow_partial_refund']);
      const { data } = await claimsApi.getPartialRefundOffers(context, externalId);
      const offers = data.available_offers;
      const currency = data.currency_id ?? undefined;
      const wanted = checked.amount;
      const chosen = offers.find((offer) => {
        if (checked.percentage !== undefined) return percentageOf(offer.percentage) === checked.percentage;
        if (offer.amount == null || wanted === undefined || currency !== wanted.currency) return false;
        return (
          moneyInCurrencyScale(toDecimalString(offer.amount), currency).amount ===
          moneyInCurrencyScale(wanted.amount, currency).amount
        );
      });
      const percentage = percentageOf(chosen?.percentage);
      if (percentage === undefined) {
        const listed = offers
          .map(
            (offer) => `${offer.percentage}%${offer.amount == null ? '' : ` (${offer.amount} ${currency})`}`,
          )
          .join(', ');
        throw new ValidationError(
          'Mercado Livre offers only fixed partial refunds',
          [
            {
              path: checked.percentage !== undefined ? 'percentage' : 'amount',
              message: `must be one of the available offers: ${listed || 'none'}`,
            },
          ],
          { marketplace: 'meli' },
        );
      }
      await claimsApi.offerPartialRefund(context, externalId, percentage);
      return getReturn(externalId);
    },

    async disputeReturn(externalId, input) {
      const checked = checkReturnInput(DisputeReturnInputSchema, input, 'dispute', 'meli');
      await gate(externalId, ['open_dispute']);
      await claimsApi.openDispute(context, externalId);
      if (checked.text || checked.evidence?.length) {
        await claimsApi.sendClaimMessage(context, externalId, {
          receiver_role: 'mediator',
          message: checked.text ?? 'Evidence attached.',
          attachments: checked.evidence,
        });
      }
      return getReturn(externalId);
    },

    async uploadReturnEvidence(externalId, input: UploadReturnEvidenceInput): Promise<ReturnEvidence[]> {
      if (input.files.length === 0) {
        throw new ValidationError(
          'Invalid return evidence',
          [{ path: 'files', message: 'give at least one file' }],
          {
            marketplace: 'meli',
          },
        );
      }
      const issues = input.files.flatMap((file, index) => claimsApi.claimFileIssues(file, `files.${index}`));
      if (issues.length > 0)
        throw new ValidationError('Invalid return evidence', issues, { marketplace: 'meli' });
      const purposeField = input.marketplaceFields?.purpose;
      let purpose: claimsApi.MeliClaimAttachmentPurpose;
      if (purposeField === 'message' || purposeField === 'evidence' || purposeField === 'return_review') {
        purpose = purposeField;
      } else {
        const names = sellerActionNames(await readClaim(externalId), accountId);
        purpose = names.includes('return_review_fail') ? 'return_review' : 'message';
      }
      const evidence: ReturnEvidence[] = [];
      for (const file of input.files) {
        const id = await claimsApi.uploadClaimAttachment(context, externalId, file, purpose);
        evidence.push({
          from: 'seller',
          kind: file.contentType.startsWith('image/') ? 'image' : 'document',
          id,
          ...(input.description === undefined ? {} : { description: input.description }),
        });
      }
      return evidence;
    },

    async reviewReturnedItems(externalId, input) {
      const checked = checkReturnInput(ReviewReturnInputSchema, input, 'return review', 'meli');
      const wanted = checked.ok
        ? ['return_review_ok', 'return_review']
        : ['return_review_fail', 'return_review'];
      const { claim } = await gate(externalId, wanted);
      const ret = await claimReturn(claim);
      if (!ret) throw notAvailable(claim, ['return_review (the claim has no return)'], []);
      await claimsApi.reviewReturn(
        context,
        String(ret.id),
        checked.ok
          ? []
          : [{ reason: checked.reason ?? '', message: checked.comment, attachments: checked.evidence }],
      );
      return getReturn(externalId);
    },

    async sendReturnMessage(externalId, input) {
      const checked = checkReturnInput(ReturnMessageInputSchema, input, 'claim message', 'meli');
      const claim = await readClaim(externalId);
      const names = sellerActionNames(claim, accountId);
      const toMediator = claim.stage === 'dispute';
      const action = toMediator ? 'send_message_to_mediator' : 'send_message_to_complainant';
      if (!names.includes(action)) throw notAvailable(claim, [action], names);
      await claimsApi.sendClaimMessage(context, externalId, {
        receiver_role: toMediator ? 'mediator' : 'complainant',
        message: checked.text,
        attachments: checked.attachments,
      });
    },

    async listReturnActionReasons(externalId, action) {
      if (action !== 'review_received') return [];
      const { data } = await claimsApi.getReturnReviewReasons(context, externalId);
      return data.map((reason) => ({
        code: reason.id,
        text: reason.name ?? reason.detail ?? undefined,
        evidenceRequired: claimsApi.MELI_REVIEW_REASONS_NEEDING_ATTACHMENTS.includes(reason.id),
        raw: reason,
      }));
    },
  };
}

/**
 * The returns module: claims and returns (`listReturns`, `getReturn`, the seller's actions) and the
 * raw `claims` calls.
 *
 * @example
 * import { meliReturns } from '@mlh/meli/returns';
 * const client = createMeli({ ...options, capabilities: [meliReturns] }).forAccount(sellerId);
 * for await (const claim of client.listReturns({ updatedSince: lastRun })) await review(claim);
 */
export const meliReturns = /* @__PURE__ */ meliModule({
  name: 'returns',
  capabilities: { returns: MELI_RETURNS_CAPABILITIES },
  build: returnsCapability,
});
