import { type FieldIssue, ValidationError } from '@mlh/core';
import type * as z from 'zod/mini';
import { TIKTOK } from '../mappers';
import {
  type TikTokCancellation,
  TikTokCancellationSearchData,
  type TikTokRejectReason,
  TikTokRejectReasonsData,
  type TikTokReturn,
  TikTokReturnActionData,
  type TikTokReturnRecord,
  TikTokReturnRecordsData,
  TikTokReturnSearchData,
} from '../schemas-returns';
import { callTikTok, type TikTokCallContext } from '../transport';

/** Thin typed calls of the `return_refund` module (reference catalog-and-after-sale §3). */

/** Page sizes of the after-sale searches: returns documented 10–50, cancellations 1–50. */
export const TIKTOK_RETURN_LIMITS = Object.freeze({
  returnPageSizeMin: 10,
  returnPageSizeMax: 50,
  cancellationPageSizeMax: 50,
  idempotencyKeyLength: 255,
});

/** `decision` of Approve Return. */
export type TikTokApproveDecision =
  | 'APPROVE_REFUND'
  | 'APPROVE_RETURN'
  | 'APPROVE_RECEIVED_PACKAGE'
  | 'APPROVE_REPLACEMENT'
  | 'ISSUE_REPLACEMENT_REFUND'
  | 'OFFER_PARTIAL_REFUND';

/** `decision` of Reject Return. */
export type TikTokRejectDecision =
  | 'REJECT_REFUND'
  | 'REJECT_RETURN'
  | 'REJECT_RECEIVED_PACKAGE'
  | 'REJECT_REPLACEMENT';

const APPROVE_DECISIONS: readonly string[] = [
  'APPROVE_REFUND',
  'APPROVE_RETURN',
  'APPROVE_RECEIVED_PACKAGE',
  'APPROVE_REPLACEMENT',
  'ISSUE_REPLACEMENT_REFUND',
  'OFFER_PARTIAL_REFUND',
];
const REJECT_DECISIONS: readonly string[] = [
  'REJECT_REFUND',
  'REJECT_RETURN',
  'REJECT_RECEIVED_PACKAGE',
  'REJECT_REPLACEMENT',
];
const ID = /^[A-Za-z0-9_-]+$/;
const AMOUNT = /^\d+(\.\d+)?$/;

function invalid(what: string, issues: FieldIssue[]): ValidationError {
  return new ValidationError(`Invalid ${what}`, issues, { marketplace: TIKTOK });
}

/**
 * Sends a state-changing return_refund call with its `idempotency_key` as a query parameter, so
 * the transport's retries of this one action repeat the key and TikTok applies it once.
 */
async function sendAction(
  context: TikTokCallContext,
  path: string,
  operation: string,
  idempotencyKey: string,
  json?: Record<string, unknown>,
): Promise<void> {
  await callTikTok(
    context,
    {
      method: 'POST',
      path,
      query: { idempotency_key: idempotencyKey },
      ...(json ? { body: { json } } : {}),
      idempotent: true,
      operation,
    },
    TikTokReturnActionData,
    operation,
  );
}

/** A fresh key for one logical action: reuse it on every retry of that action, never across actions. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** The key given for this action, else a fresh one; a bad one is added to `issues`. */
function idempotencyKeyOf(given: string | undefined, issues: FieldIssue[]): string {
  const key = given ?? newIdempotencyKey();
  if (typeof key !== 'string' || key === '' || key.length > TIKTOK_RETURN_LIMITS.idempotencyKeyLength)
    issues.push({ path: 'idempotencyKey', message: 'must be 1..255 characters' });
  return key;
}

/** Filters of Search Returns (body). Times are Unix seconds, `[ge, lt)`. */
export interface TikTokReturnSearchFilter {
  return_ids?: string[];
  order_ids?: string[];
  buyer_user_ids?: string[];
  return_status?: string[];
  /** `REFUND`, `RETURN_AND_REFUND`, `REPLACEMENT`. */
  return_types?: string[];
  arbitration_status?: string[];
  create_time_ge?: number;
  create_time_lt?: number;
  update_time_ge?: number;
  update_time_lt?: number;
  locale?: string;
  [field: string]: unknown;
}

/** Options of {@link searchReturns} and {@link searchCancellations}. */
export interface TikTokAfterSaleSearchOptions<F> {
  /** Returns: 10–50 (default 50); cancellations: 1–50 (default 50). */
  pageSize?: number | undefined;
  pageToken?: string | undefined;
  /** Default `update_time`, what incremental sync needs. */
  sortField?: 'create_time' | 'update_time';
  /** Default `ASC`, oldest change first. */
  sortOrder?: 'ASC' | 'DESC';
  filter?: F;
}

/** One page of an after-sale search. */
export interface TikTokAfterSalePage<T> {
  items: T[];
  nextPageToken: string | undefined;
  totalCount: number | undefined;
}

function pageQuery(
  options: TikTokAfterSaleSearchOptions<unknown>,
  min: number,
  max: number,
): Record<string, string | number | undefined> {
  const size = options.pageSize ?? max;
  if (!Number.isInteger(size) || size < min || size > max)
    throw invalid('page size', [{ path: 'pageSize', message: `must be ${min}..${max}` }]);
  return {
    page_size: size,
    page_token: options.pageToken || undefined,
    sort_field: options.sortField ?? 'update_time',
    sort_order: options.sortOrder ?? 'ASC',
  };
}

/** What one page of an after-sale search carries besides its items. */
interface AfterSalePageData {
  next_page_token?: string | undefined;
  total_count?: number | undefined;
}

/** One page of a return_refund search: the filter in the body, paging and sort in the query. */
async function searchPage<S extends z.core.$ZodType<AfterSalePageData>, T>(
  context: TikTokCallContext,
  search: { path: string; operation: string; pageSizeMin: number; pageSizeMax: number },
  options: TikTokAfterSaleSearchOptions<unknown>,
  schema: S,
  items: (data: z.infer<S>) => T[] | undefined,
): Promise<TikTokAfterSalePage<T>> {
  const { data } = await callTikTok(
    context,
    {
      method: 'POST',
      path: search.path,
      query: pageQuery(options, search.pageSizeMin, search.pageSizeMax),
      body: { json: options.filter ?? {} },
      idempotent: true,
      rateGroup: 'read',
      operation: search.operation,
    },
    schema,
    search.operation,
  );
  return {
    items: items(data) ?? [],
    nextPageToken: data.next_page_token || undefined,
    totalCount: data.total_count,
  };
}

/** Search Returns, one page: `POST /return_refund/202309/returns/search`. */
export async function searchReturns(
  context: TikTokCallContext,
  options: TikTokAfterSaleSearchOptions<TikTokReturnSearchFilter> = {},
): Promise<TikTokAfterSalePage<TikTokReturn>> {
  return searchPage(
    context,
    {
      path: '/return_refund/202309/returns/search',
      operation: 'return_refund.returns.search',
      pageSizeMin: TIKTOK_RETURN_LIMITS.returnPageSizeMin,
      pageSizeMax: TIKTOK_RETURN_LIMITS.returnPageSizeMax,
    },
    options,
    TikTokReturnSearchData,
    (data) => data.return_orders,
  );
}

/** Filters of Search Cancellations (body). */
export interface TikTokCancellationSearchFilter {
  order_ids?: string[];
  cancel_ids?: string[];
  buyer_user_ids?: string[];
  cancel_status?: string[];
  cancel_types?: string[];
  create_time_ge?: number;
  create_time_lt?: number;
  update_time_ge?: number;
  update_time_lt?: number;
  locale?: string;
  [field: string]: unknown;
}

/** Search Cancellations, one page: `POST /return_refund/202309/cancellations/search`. */
export async function searchCancellations(
  context: TikTokCallContext,
  options: TikTokAfterSaleSearchOptions<TikTokCancellationSearchFilter> = {},
): Promise<TikTokAfterSalePage<TikTokCancellation>> {
  return searchPage(
    context,
    {
      path: '/return_refund/202309/cancellations/search',
      operation: 'return_refund.cancellations.search',
      pageSizeMin: 1,
      pageSizeMax: TIKTOK_RETURN_LIMITS.cancellationPageSizeMax,
    },
    options,
    TikTokCancellationSearchData,
    (data) => data.cancellations,
  );
}

/** Input of {@link approveReturn}. */
export interface TikTokApproveReturnInput {
  decision: TikTokApproveDecision;
  /** With `APPROVE_RETURN`: refund without the goods coming back. */
  buyerKeepItem?: boolean | undefined;
  /** With `OFFER_PARTIAL_REFUND`: the amount offered. */
  partialRefund?: { amount: string; currency: string } | undefined;
  /** One key per logical action, reused on retries (default: a fresh one for this call). */
  idempotencyKey?: string | undefined;
}

/**
 * Approve Return: `POST /return_refund/202309/returns/{return_id}/approve`. The call carries an
 * `idempotency_key`, so the transport's retries of this one action repeat the same key and TikTok
 * applies it once; a new call is a new action with a new key.
 */
export async function approveReturn(
  context: TikTokCallContext,
  returnId: string,
  input: TikTokApproveReturnInput,
): Promise<void> {
  const issues: FieldIssue[] = [];
  if (!ID.test(returnId)) issues.push({ path: 'returnId', message: 'must be a return id' });
  if (!APPROVE_DECISIONS.includes(input.decision))
    issues.push({ path: 'decision', message: `must be one of ${APPROVE_DECISIONS.join(', ')}` });
  if (input.decision === 'OFFER_PARTIAL_REFUND') {
    const refund = input.partialRefund;
    if (!refund) issues.push({ path: 'partialRefund', message: 'required with OFFER_PARTIAL_REFUND' });
    else {
      if (!AMOUNT.test(refund.amount) || Number(refund.amount) <= 0)
        issues.push({
          path: 'partialRefund.amount',
          message: 'must be a positive decimal string like "15.00"',
        });
      if (!/^[A-Z]{3}$/.test(refund.currency))
        issues.push({ path: 'partialRefund.currency', message: 'must be an ISO 4217 code' });
    }
  } else if (input.partialRefund)
    issues.push({ path: 'partialRefund', message: 'only with OFFER_PARTIAL_REFUND' });
  const key = idempotencyKeyOf(input.idempotencyKey, issues);
  if (issues.length > 0) throw invalid('approve return input', issues);
  await sendAction(
    context,
    `/return_refund/202309/returns/${returnId}/approve`,
    'return_refund.returns.approve',
    key,
    {
      decision: input.decision,
      ...(input.buyerKeepItem === undefined ? {} : { buyer_keep_item: input.buyerKeepItem }),
      ...(input.partialRefund ? { partial_refund: input.partialRefund } : {}),
    },
  );
}

/** An image attached to a rejection: an `image_id` from the product image upload. */
export interface TikTokRejectImage {
  image_id: string;
  width?: number | undefined;
  height?: number | undefined;
  mime_type?: string | undefined;
}

/** Input of {@link rejectReturn} and {@link rejectCancellation}. */
export interface TikTokRejectInput {
  /** A `name` from {@link getRejectReasons} for this request. */
  rejectReason: string;
  comment?: string | undefined;
  images?: readonly TikTokRejectImage[] | undefined;
  /** One key per logical action, reused on retries (default: a fresh one for this call). */
  idempotencyKey?: string | undefined;
}

function rejectBody(input: TikTokRejectInput, issues: FieldIssue[]): Record<string, unknown> {
  if (typeof input.rejectReason !== 'string' || input.rejectReason.trim() === '')
    issues.push({ path: 'rejectReason', message: 'required: a reason name from getRejectReasons' });
  input.images?.forEach((image, index) => {
    if (typeof image.image_id !== 'string' || image.image_id === '')
      issues.push({ path: `images.${index}.image_id`, message: 'required' });
  });
  return {
    reject_reason: input.rejectReason,
    ...(input.comment ? { comment: input.comment } : {}),
    ...(input.images?.length ? { images: input.images.map((image) => ({ ...image })) } : {}),
  };
}

/** Reject Return: `POST /return_refund/202309/returns/{return_id}/reject` (idempotency key as for approve). */
export async function rejectReturn(
  context: TikTokCallContext,
  returnId: string,
  input: TikTokRejectInput & { decision: TikTokRejectDecision },
): Promise<void> {
  const issues: FieldIssue[] = [];
  if (!ID.test(returnId)) issues.push({ path: 'returnId', message: 'must be a return id' });
  if (!REJECT_DECISIONS.includes(input.decision))
    issues.push({ path: 'decision', message: `must be one of ${REJECT_DECISIONS.join(', ')}` });
  const body = rejectBody(input, issues);
  const key = idempotencyKeyOf(input.idempotencyKey, issues);
  if (issues.length > 0) throw invalid('reject return input', issues);
  await sendAction(
    context,
    `/return_refund/202309/returns/${returnId}/reject`,
    'return_refund.returns.reject',
    key,
    { decision: input.decision, ...body },
  );
}

/** Approve Cancellation: `POST /return_refund/202309/cancellations/{cancel_id}/approve`. */
export async function approveCancellation(
  context: TikTokCallContext,
  cancelId: string,
  options: { idempotencyKey?: string | undefined } = {},
): Promise<void> {
  const issues: FieldIssue[] = [];
  if (!ID.test(cancelId)) issues.push({ path: 'cancelId', message: 'must be a cancellation id' });
  const key = idempotencyKeyOf(options.idempotencyKey, issues);
  if (issues.length > 0) throw invalid('approve cancellation input', issues);
  await sendAction(
    context,
    `/return_refund/202309/cancellations/${cancelId}/approve`,
    'return_refund.cancellations.approve',
    key,
  );
}

/** Reject Cancellation: `POST /return_refund/202309/cancellations/{cancel_id}/reject`. */
export async function rejectCancellation(
  context: TikTokCallContext,
  cancelId: string,
  input: TikTokRejectInput,
): Promise<void> {
  const issues: FieldIssue[] = [];
  if (!ID.test(cancelId)) issues.push({ path: 'cancelId', message: 'must be a cancellation id' });
  const body = rejectBody(input, issues);
  const key = idempotencyKeyOf(input.idempotencyKey, issues);
  if (issues.length > 0) throw invalid('reject cancellation input', issues);
  await sendAction(
    context,
    `/return_refund/202309/cancellations/${cancelId}/reject`,
    'return_refund.cancellations.reject',
    key,
    body,
  );
}

/** Get Return Records: `GET /return_refund/202309/returns/{return_id}/records`, the return's timeline. */
export async function getReturnRecords(
  context: TikTokCallContext,
  returnId: string,
  options: { locale?: string | undefined } = {},
): Promise<TikTokReturnRecord[]> {
  if (!ID.test(returnId))
    throw invalid('return records input', [{ path: 'returnId', message: 'must be a return id' }]);
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: `/return_refund/202309/returns/${returnId}/records`,
      query: { locale: options.locale },
      operation: 'return_refund.returns.records',
    },
    TikTokReturnRecordsData,
    'return_refund.returns.records',
  );
  return data.records ?? [];
}

/**
 * Get Reject Reasons: `GET /return_refund/202309/reject_reasons` for one return or cancellation
 * (the set depends on the request and the market: ask per request).
 */
export async function getRejectReasons(
  context: TikTokCallContext,
  returnOrCancelId: string,
  options: { locale?: string | undefined } = {},
): Promise<TikTokRejectReason[]> {
  if (!ID.test(returnOrCancelId))
    throw invalid('reject reasons input', [
      { path: 'returnOrCancelId', message: 'must be a return or cancellation id' },
    ]);
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: '/return_refund/202309/reject_reasons',
      query: { return_or_cancel_id: returnOrCancelId, locale: options.locale },
      operation: 'return_refund.reject_reasons',
    },
    TikTokRejectReasonsData,
    'return_refund.reject_reasons',
  );
  return data.reasons ?? [];
}
