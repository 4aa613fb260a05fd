import { ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import {
  MeliClaim,
  MeliClaimAttachment,
  MeliClaimSearch,
  MeliExpectedResolutions,
  MeliPartialRefundOffers,
  MeliReturn,
  MeliReturnReasons,
} from '../claims-schemas';
import { assertMeliId, callMeli, type MeliContext, type MeliResponse } from '../transport';

/**
 * Claims, mediations and returns under `/post-purchase`: search and read claims, read the return
 * of a claim (`v2`), and the seller's writes (refund, allow a return, offer a partial refund,
 * open a dispute, messages, attachments, the review of a received return). Every write is sent
 * once and never retried: each moves money or the case, and Mercado Livre refuses an action the
 * seller's player does not list in `available_actions` (`400 Action … not available for player`).
 */

/** Largest page of the claim search (larger values are clamped by the API). */
export const MELI_CLAIM_SEARCH_MAX_LIMIT = 100;
/** Largest `offset` the claim search accepts (above: 400). */
export const MELI_CLAIM_SEARCH_MAX_OFFSET = 9999;
/** Largest attachment Mercado Livre accepts on a claim, in bytes (5 MB). */
export const MELI_CLAIM_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
/** Attachment types claims accept. */
export const MELI_CLAIM_ATTACHMENT_TYPES: readonly string[] = Object.freeze([
  'image/jpeg',
  'image/png',
  'application/pdf',
]);

const fail = (message: string, path: string): ValidationError =>
  new ValidationError('Invalid Mercado Livre claim request', [{ path, message }], { marketplace: 'meli' });

/**
 * A seller's write on one claim, `POST /post-purchase/v1/claims/{id}/<action>`: sent once and never
 * retried, since each moves money or the case.
 */
function claimWrite(
  context: MeliContext,
  claimId: string,
  action: string,
  operation: string,
  options: { signal?: AbortSignal | undefined },
  json?: unknown,
): Promise<MeliResponse<unknown>> {
  return callMeli(
    context,
    {
      method: 'POST',
      path: `/post-purchase/v1/claims/${claimId}/${action}`,
      ...(json === undefined ? {} : { body: { json } }),
      idempotent: false,
      operation,
      signal: options.signal,
    },
    z.unknown(),
  );
}

/**
 * Filters of the claim search, under Mercado Livre's names. The seller's base filter is
 * `players.user_id` with `players.role` (sent together); `resource` goes with `resource_id`;
 * `order_id` and `pack_id` exclude each other. `range` is `last_updated:after:<date>,before:<date>`
 * (or `date_created:…`).
 */
export interface MeliClaimSearchQuery {
  'players.user_id'?: string | undefined;
  'players.role'?: 'complainant' | 'respondent' | undefined;
  resource?: string | undefined;
  resource_id?: string | undefined;
  order_id?: string | undefined;
  pack_id?: string | undefined;
  id?: string | undefined;
  type?: string | undefined;
  stage?: string | undefined;
  status?: 'opened' | 'closed' | undefined;
  reason_id?: string | undefined;
  range?: string | undefined;
  /** `field:asc` or `field:desc`, e.g. `last_updated:asc`. */
  sort?: string | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

/** What the API refuses in a claim search, found before sending it. */
export function claimSearchIssues(query: MeliClaimSearchQuery): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  const pair = (a: keyof MeliClaimSearchQuery, b: keyof MeliClaimSearchQuery): void => {
    if ((query[a] === undefined) !== (query[b] === undefined)) {
      issues.push({ path: String(query[a] === undefined ? a : b), message: `${a} and ${b} go together` });
    }
  };
  pair('players.user_id', 'players.role');
  pair('resource', 'resource_id');
  if (query.order_id !== undefined && query.pack_id !== undefined) {
    issues.push({ path: 'pack_id', message: 'order_id and pack_id exclude each other' });
  }
  const filters = Object.entries(query).filter(
    ([key, value]) => value !== undefined && !['offset', 'limit', 'sort'].includes(key),
  );
  if (filters.length === 0) issues.push({ path: 'players.user_id', message: 'the search needs a filter' });
  const { offset, limit } = query;
  if (
    offset !== undefined &&
    !(Number.isInteger(offset) && offset >= 0 && offset <= MELI_CLAIM_SEARCH_MAX_OFFSET)
  ) {
    issues.push({ path: 'offset', message: `an integer between 0 and ${MELI_CLAIM_SEARCH_MAX_OFFSET}` });
  }
  if (
    limit !== undefined &&
    !(Number.isInteger(limit) && limit >= 1 && limit <= MELI_CLAIM_SEARCH_MAX_LIMIT)
  ) {
    issues.push({ path: 'limit', message: `an integer between 1 and ${MELI_CLAIM_SEARCH_MAX_LIMIT}` });
  }
  return issues;
}

/** One page of `GET /post-purchase/v1/claims/search`, checked first (pairs, a real filter, caps). */
export async function searchClaims(
  context: MeliContext,
  query: MeliClaimSearchQuery,
): Promise<MeliResponse<MeliClaimSearch>> {
  const issues = claimSearchIssues(query);
  if (issues.length > 0) {
    throw new ValidationError('Invalid Mercado Livre claim search', issues, { marketplace: 'meli' });
  }
  return callMeli(
    context,
    {
      method: 'GET',
      path: '/post-purchase/v1/claims/search',
      query: { ...query },
      operation: 'claims.search',
    },
    MeliClaimSearch,
  );
}

/** `GET /post-purchase/v1/claims/{id}`. */
export async function getClaim(context: MeliContext, claimId: string): Promise<MeliResponse<MeliClaim>> {
  assertMeliId(claimId, 'claimId');
  return callMeli(
    context,
    { method: 'GET', path: `/post-purchase/v1/claims/${claimId}`, operation: 'claims.get' },
    MeliClaim,
  );
}

/** `GET /post-purchase/v2/claims/{id}/returns`: the claim's return; `NotFoundError` when it has none. */
export async function getClaimReturn(
  context: MeliContext,
  claimId: string,
): Promise<MeliResponse<MeliReturn>> {
  assertMeliId(claimId, 'claimId');
  return callMeli(
    context,
    { method: 'GET', path: `/post-purchase/v2/claims/${claimId}/returns`, operation: 'claims.return' },
    MeliReturn,
  );
}

/** `GET …/claims/{id}/expected-resolutions`: what the buyer and the seller each expect. */
export async function getExpectedResolutions(
  context: MeliContext,
  claimId: string,
): Promise<MeliResponse<MeliExpectedResolutions>> {
  assertMeliId(claimId, 'claimId');
  return callMeli(
    context,
    {
      method: 'GET',
      path: `/post-purchase/v1/claims/${claimId}/expected-resolutions`,
      operation: 'claims.expectedResolutions',
    },
    MeliExpectedResolutions,
  );
}

/** The seller's resolutions of a claim, one `POST …/expected-resolutions/<name>` each. */
export type MeliClaimResolution = 'refund' | 'allow-return' | 'allow-replace';

/** `POST …/claims/{id}/expected-resolutions/{refund|allow-return|allow-replace}` (no body). Never retried. */
export async function resolveClaim(
  context: MeliContext,
  claimId: string,
  resolution: MeliClaimResolution,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<MeliResponse<unknown>> {
  assertMeliId(claimId, 'claimId');
  return claimWrite(context, claimId, `expected-resolutions/${resolution}`, `claims.${resolution}`, options);
}

/** `GET …/claims/{id}/partial-refund/available-offers`: the percentages the seller may offer. */
export async function getPartialRefundOffers(
  context: MeliContext,
  claimId: string,
): Promise<MeliResponse<MeliPartialRefundOffers>> {
  assertMeliId(claimId, 'claimId');
  return callMeli(
    context,
    {
      method: 'GET',
      path: `/post-purchase/v1/claims/${claimId}/partial-refund/available-offers`,
      operation: 'claims.partialRefundOffers',
    },
    MeliPartialRefundOffers,
  );
}

/**
 * `POST …/claims/{id}/expected-resolutions/partial-refund` with `{percentage}`: one of the
 * available offers, below 100. Never retried.
 */
export async function offerPartialRefund(
  context: MeliContext,
  claimId: string,
  percentage: number,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<MeliResponse<unknown>> {
  assertMeliId(claimId, 'claimId');
  if (!(Number.isFinite(percentage) && percentage > 0 && percentage < 100)) {
    throw fail('must be above 0 and below 100 (a full refund is its own resolution)', 'percentage');
  }
  return claimWrite(
    context,
    claimId,
    'expected-resolutions/partial-refund',
    'claims.partialRefund',
    options,
    { percentage },
  );
}

/** `POST …/claims/{id}/actions/open-dispute`: Mercado Livre mediates from now on. Never retried. */
export async function openDispute(
  context: MeliContext,
  claimId: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<MeliResponse<unknown>> {
  assertMeliId(claimId, 'claimId');
  return claimWrite(context, claimId, 'actions/open-dispute', 'claims.openDispute', options);
}

/** Body of `POST …/claims/{id}/actions/send-message`. */
export interface MeliClaimMessage {
  /** `complainant` in stage `claim`; `mediator` in stage `dispute`. */
  receiver_role: 'complainant' | 'respondent' | 'mediator';
  message: string;
  /** File names returned by {@link uploadClaimAttachment}. */
  attachments?: string[] | undefined;
}

/** `POST …/claims/{id}/actions/send-message`. Never retried (a message would be sent twice). */
export async function sendClaimMessage(
  context: MeliContext,
  claimId: string,
  message: MeliClaimMessage,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<MeliResponse<unknown>> {
  assertMeliId(claimId, 'claimId');
  if (message.message.trim() === '') throw fail('must not be empty', 'message');
  return claimWrite(context, claimId, 'actions/send-message', 'claims.sendMessage', options, {
    ...message,
    attachments: message.attachments ?? [],
  });
}

/**
 * Where a file goes: `message` (`…/claims/{id}/attachments`, for messages), `evidence`
 * (`…/attachments-evidences`, for shipping evidence) or `return_review`
 * (`…/claims/{id}/returns/attachments`, for a failed review of a received return).
 */
export type MeliClaimAttachmentPurpose = 'message' | 'evidence' | 'return_review';

const ATTACHMENT_PATHS: Readonly<Record<MeliClaimAttachmentPurpose, string>> = Object.freeze({
  message: 'attachments',
  evidence: 'attachments-evidences',
  return_review: 'returns/attachments',
});

/** A file to attach to a claim. */
export interface MeliClaimFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Why a file would be refused (type, size, name), before sending it. */
export function claimFileIssues(
  file: MeliClaimFile,
  path = 'file',
): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  if (!MELI_CLAIM_ATTACHMENT_TYPES.includes(file.contentType)) {
    issues.push({
      path: `${path}.contentType`,
      message: `must be one of ${MELI_CLAIM_ATTACHMENT_TYPES.join(', ')}`,
    });
  }
  if (file.bytes.byteLength === 0 || file.bytes.byteLength > MELI_CLAIM_ATTACHMENT_MAX_BYTES) {
    issues.push({ path: `${path}.bytes`, message: 'must hold 1 byte to 5 MB' });
  }
  if (!/^[a-zA-Z0-9._-]{1,125}$/.test(file.fileName)) {
    issues.push({
      path: `${path}.fileName`,
      message: 'at most 125 characters of letters, digits, ".", "_" or "-"',
    });
  }
  return issues;
}

/**
 * Uploads one file (multipart field `file`) and returns the file name Mercado Livre gave it, to
 * name in a message, an evidence or a review. Checked first: JPG, PNG or PDF, at most 5 MB, a name
 * of at most 125 characters `[a-zA-Z0-9._-]`.
 */
export async function uploadClaimAttachment(
  context: MeliContext,
  claimId: string,
  file: MeliClaimFile,
  purpose: MeliClaimAttachmentPurpose = 'message',
): Promise<string> {
  assertMeliId(claimId, 'claimId');
  const issues = claimFileIssues(file);
  if (issues.length > 0)
    throw new ValidationError('Invalid claim attachment', issues, { marketplace: 'meli' });
  const form = new FormData();
  form.append(
    'file',
    new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.contentType }),
    file.fileName,
  );
  const response = await callMeli(
    context,
    {
      method: 'POST',
      path: `/post-purchase/v1/claims/${claimId}/${ATTACHMENT_PATHS[purpose]}`,
      body: { multipart: form },
      idempotent: false,
      operation: 'claims.uploadAttachment',
    },
    MeliClaimAttachment,
  );
  const name = response.data.filename ?? response.data.file_name;
  if (!name) throw fail('Mercado Livre answered without a file name', 'file');
  return name;
}

/** `GET /post-purchase/v1/returns/reasons?flow=seller_return_failed&claim_id=…`: why a review may fail. */
export async function getReturnReviewReasons(
  context: MeliContext,
  claimId: string,
): Promise<MeliResponse<MeliReturnReasons>> {
  assertMeliId(claimId, 'claimId');
  return callMeli(
    context,
    {
      method: 'GET',
      path: '/post-purchase/v1/returns/reasons',
      query: { flow: 'seller_return_failed', claim_id: claimId },
      operation: 'returns.reasons',
    },
    MeliReturnReasons,
  );
}

/** One entry of a failed review: a reason (`SRF2`…), a message, attachments (required for SRF2, SRF4). */
export interface MeliReturnReviewFailure {
  reason: string;
  message?: string | undefined;
  attachments?: string[] | undefined;
  /** Only for cart returns reviewed per order. */
  order_id?: number | undefined;
}

/** Reasons of a failed review that need attachments. */
export const MELI_REVIEW_REASONS_NEEDING_ATTACHMENTS: readonly string[] = Object.freeze(['SRF2', 'SRF4']);

/**
 * `POST /post-purchase/v1/returns/{returnId}/return-review`: `{}` when the goods came back as they
 * should, else an array of failures. Never retried.
 */
export async function reviewReturn(
  context: MeliContext,
  returnId: string,
  failures: readonly MeliReturnReviewFailure[] = [],
  options: { signal?: AbortSignal | undefined } = {},
): Promise<MeliResponse<unknown>> {
  assertMeliId(returnId, 'returnId');
  const issues = failures.flatMap((failure, index) =>
    MELI_REVIEW_REASONS_NEEDING_ATTACHMENTS.includes(failure.reason) && !failure.attachments?.length
      ? [{ path: `${index}.attachments`, message: `required with reason ${failure.reason}` }]
      : [],
  );
  if (issues.length > 0) throw new ValidationError('Invalid return review', issues, { marketplace: 'meli' });
  return callMeli(
    context,
    {
      method: 'POST',
      path: `/post-purchase/v1/returns/${returnId}/return-review`,
      body: { json: failures.length === 0 ? {} : failures },
      idempotent: false,
      operation: 'returns.review',
      signal: options.signal,
    },
    z.unknown(),
  );
}
