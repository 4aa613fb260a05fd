import { type FieldIssue, MlhError, ValidationError } from '@mlh/core';
import type * as z from 'zod/mini';
import { jsonDecimal } from '../json';
import {
  ShopeeAvailableSolutions as AvailableSolutionsSchema,
  ShopeeConvertedImage as ConvertedImageSchema,
  ShopeeReturnListResponse as ReturnListSchema,
  ShopeeReturnProof as ReturnProofSchema,
  ShopeeReturn as ReturnSchema,
  type ShopeeAvailableSolutions,
  type ShopeeConvertedImage,
  type ShopeeDisputeReason,
  ShopeeDisputeReasonResponse,
  type ShopeeReturn,
  ShopeeReturnActionResponse,
  type ShopeeReturnListResponse,
  type ShopeeReturnProof,
} from '../schemas-returns';
import { callShopee, SHOPEE, type ShopeeCall, type ShopeeScope } from '../transport';
import { sliceShopeeTimeRange } from './orders';

/** Thin typed calls of the `returns` module (Shop APIs, reference catalog-and-after-sale §2). */

/** The returns module's real limits. */
export const SHOPEE_RETURN_LIMITS = Object.freeze({
  /** `get_return_list` page_size. */
  listPageSize: 100,
  /** `get_return_list`: each create/update window, in seconds (15 days). */
  listWindowSeconds: 15 * 86_400,
  /** `dispute`: images per evidence module. */
  disputeImagesPerModule: 3,
  /** `convert_image`: bytes of the one image per call. */
  evidenceImageBytes: 10 * 1024 * 1024,
});

/** A solution the seller proposes in `offer`. */
export type ShopeeReturnSolution = 'RETURN_REFUND' | 'REFUND';

const RETURN_SN = /^[A-Za-z0-9]+$/;
const AMOUNT = /^\d+(\.\d+)?$/;

function invalid(what: string, issues: FieldIssue[]): ValidationError {
  return new ValidationError(`Invalid ${what}`, issues, { marketplace: SHOPEE });
}

function checkReturnSn(returnSn: string, path: string, issues: FieldIssue[]): void {
  if (typeof returnSn !== 'string' || !RETURN_SN.test(returnSn))
    issues.push({ path, message: 'must be a return_sn (letters and digits)' });
}

/**
 * Sends `/api/v2/returns/<endpoint>` (operation `returns.<endpoint>`) for the scope's shop and
 * returns its `response` parsed with `schema`.
 */
async function callReturns<S extends z.core.$ZodType>(
  scope: ShopeeScope,
  endpoint: string,
  call: Pick<ShopeeCall, 'method' | 'query' | 'body' | 'idempotent'>,
  schema: S,
): Promise<z.infer<S>> {
  const { response } = await callShopee(
    scope.transport,
    {
      ...call,
      path: `/api/v2/returns/${endpoint}`,
      operation: `returns.${endpoint}`,
      accountId: scope.accountId,
      signal: scope.signal,
    },
    schema,
  );
  return response;
}

/** A read of one return: its `return_sn` checked, then sent as the query. */
function getByReturnSn<S extends z.core.$ZodType>(
  scope: ShopeeScope,
  endpoint: string,
  returnSn: string,
  schema: S,
): Promise<z.infer<S>> {
  oneReturnSn(returnSn, `${endpoint} input`);
  return callReturns(scope, endpoint, { method: 'GET', query: { return_sn: returnSn } }, schema);
}

/** A seller action on a return; `idempotent` says whether the transport may repeat it. */
async function sendAction(
  scope: ShopeeScope,
  endpoint: string,
  body: Record<string, unknown>,
  idempotent: boolean,
): Promise<void> {
  await callReturns(scope, endpoint, { method: 'POST', body, idempotent }, ShopeeReturnActionResponse);
}

/** Options of {@link getReturnList}. */
export interface GetReturnListOptions {
  /** The page; Shopee documents "default 0" but requires it. Default 0. */
  pageNo?: number | undefined;
  /** 1–100 (default 100). */
  pageSize?: number | undefined;
  /** Which time the window filters on (send one kind only: Shopee ties the two when both come). */
  timeField: 'create_time' | 'update_time';
  /** Unix seconds. */
  timeFrom: number;
  /** Unix seconds, later than `timeFrom` and at most 15 days after it. */
  timeTo: number;
  /** One `ReturnStatus` (`REQUESTED`, `PROCESSING`, …). */
  status?: string | undefined;
  negotiationStatus?: string | undefined;
  sellerProofStatus?: string | undefined;
  sellerCompensationStatus?: string | undefined;
}

/** `GET /api/v2/returns/get_return_list`: one page of one window of at most 15 days. */
export async function getReturnList(
  scope: ShopeeScope,
  options: GetReturnListOptions,
): Promise<ShopeeReturnListResponse> {
  const pageNo = options.pageNo ?? 0;
  const pageSize = options.pageSize ?? SHOPEE_RETURN_LIMITS.listPageSize;
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(pageNo) || pageNo < 0) issues.push({ path: 'pageNo', message: 'must be 0 or more' });
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SHOPEE_RETURN_LIMITS.listPageSize)
    issues.push({ path: 'pageSize', message: `must be 1..${SHOPEE_RETURN_LIMITS.listPageSize}` });
  if (!Number.isInteger(options.timeFrom) || !Number.isInteger(options.timeTo))
    issues.push({ path: 'timeFrom', message: 'timeFrom and timeTo must be whole Unix seconds' });
  else if (!(options.timeFrom < options.timeTo))
    issues.push({ path: 'timeTo', message: 'must be later than timeFrom' });
  else if (options.timeTo - options.timeFrom > SHOPEE_RETURN_LIMITS.listWindowSeconds)
    issues.push({
      path: 'timeTo',
      message: 'at most 15 days after timeFrom (iterateReturnList slices longer ranges)',
    });
  if (issues.length > 0) throw invalid('get_return_list options', issues);
  const prefix = options.timeField === 'create_time' ? 'create_time' : 'update_time';
  return callReturns(
    scope,
    'get_return_list',
    {
      method: 'GET',
      query: {
        page_no: pageNo,
        page_size: pageSize,
        [`${prefix}_from`]: options.timeFrom,
        [`${prefix}_to`]: options.timeTo,
        status: options.status,
        negotiation_status: options.negotiationStatus,
        seller_proof_status: options.sellerProofStatus,
        seller_compensation_status: options.sellerCompensationStatus,
      },
    },
    ReturnListSchema,
  );
}

/** The return_sns of a page, as one comparable key. */
function pageKey(page: readonly ShopeeReturn[]): string {
  return page.map((entry) => entry.return_sn).join(',');
}

/**
 * Every return in `[timeFrom, timeTo]`, however long: the range is sliced into 15-day windows
 * (oldest first) and each is paged by `page_no` while `more` is true. A return already seen in an
 * earlier window or page is not yielded again. A page that says `more` but is empty, or that
 * repeats the previous page, stops with an error rather than loop.
 */
export async function* iterateReturnList(
  scope: ShopeeScope,
  options: Omit<GetReturnListOptions, 'pageNo'>,
): AsyncGenerator<ShopeeReturn[]> {
  const seen = new Set<string>();
  for (const window of sliceShopeeTimeRange(
    options.timeFrom,
    options.timeTo,
    SHOPEE_RETURN_LIMITS.listWindowSeconds,
  )) {
    let previous: string | undefined;
    for (let pageNo = 0; ; pageNo += 1) {
      scope.signal?.throwIfAborted();
      const page = await getReturnList(scope, {
        ...options,
        timeFrom: window.from,
        timeTo: window.to,
        pageNo,
      });
      const entries = page.return ?? [];
      const key = pageKey(entries);
      if (page.more && (entries.length === 0 || key === previous)) {
        throw new MlhError(
          `Shopee get_return_list page ${pageNo} ${entries.length === 0 ? 'was empty' : 'repeated the previous page'} while saying more; stopping to avoid a loop`,
          { marketplace: SHOPEE, code: 'repeated_page' },
        );
      }
      previous = key;
      const fresh = entries.filter((entry) => {
        if (seen.has(entry.return_sn)) return false;
        seen.add(entry.return_sn);
        return true;
      });
      if (fresh.length > 0) yield fresh;
      if (!page.more) break;
    }
  }
}

function oneReturnSn(returnSn: string, what: string): void {
  const issues: FieldIssue[] = [];
  checkReturnSn(returnSn, 'returnSn', issues);
  if (issues.length > 0) throw invalid(what, issues);
}

/** `GET /api/v2/returns/get_return_detail`: one return with its negotiation, proof and logistics. */
export async function getReturnDetail(scope: ShopeeScope, returnSn: string): Promise<ShopeeReturn> {
  return getByReturnSn(scope, 'get_return_detail', returnSn, ReturnSchema);
}

/** `GET /api/v2/returns/get_available_solutions`: what the seller may offer, with the refund bounds. */
export async function getAvailableSolutions(
  scope: ShopeeScope,
  returnSn: string,
): Promise<ShopeeAvailableSolutions> {
  return getByReturnSn(scope, 'get_available_solutions', returnSn, AvailableSolutionsSchema);
}

/** Input of {@link offer}. */
export interface ShopeeOfferInput {
  returnSn: string;
  solution: ShopeeReturnSolution;
  /** The refund proposed, as a decimal string within `get_available_solutions`' bounds. */
  refundAmount?: string | undefined;
}

/**
 * `POST /api/v2/returns/offer`: proposes a solution (and an adjusted refund) to the buyer. Moves
 * money once accepted: never retried after a response that may have been lost.
 */
export async function offer(scope: ShopeeScope, input: ShopeeOfferInput): Promise<void> {
  const issues: FieldIssue[] = [];
  checkReturnSn(input.returnSn, 'returnSn', issues);
  if (input.solution !== 'RETURN_REFUND' && input.solution !== 'REFUND')
    issues.push({ path: 'solution', message: 'must be RETURN_REFUND or REFUND' });
  if (
    input.refundAmount !== undefined &&
    (!AMOUNT.test(input.refundAmount) || Number(input.refundAmount) <= 0)
  )
    issues.push({ path: 'refundAmount', message: 'must be a positive decimal string like "45.00"' });
  if (issues.length > 0) throw invalid('offer input', issues);
  await sendAction(
    scope,
    'offer',
    {
      return_sn: input.returnSn,
      proposed_solution: input.solution,
      ...(input.refundAmount === undefined
        ? {}
        : { proposed_adjusted_refund_amount: jsonDecimal(input.refundAmount) }),
    },
    false,
  );
}

/** `POST /api/v2/returns/accept_offer`: accepts the buyer's latest counter-proposal. Not retried. */
export async function acceptOffer(scope: ShopeeScope, returnSn: string): Promise<void> {
  oneReturnSn(returnSn, 'accept_offer input');
  await sendAction(scope, 'accept_offer', { return_sn: returnSn }, false);
}

/**
 * `POST /api/v2/returns/confirm`: agrees to refund the buyer. Irreversible money movement: never
 * retried after a response that may have been lost (re-read the return instead).
 */
export async function confirmReturn(scope: ShopeeScope, returnSn: string): Promise<void> {
  oneReturnSn(returnSn, 'confirm input');
  await sendAction(scope, 'confirm', { return_sn: returnSn }, false);
}

/** `GET /api/v2/returns/get_return_dispute_reason`: the reasons (and evidence modules) valid for this return. */
export async function getReturnDisputeReasons(
  scope: ShopeeScope,
  returnSn: string,
): Promise<ShopeeDisputeReason[]> {
  const response = await getByReturnSn(
    scope,
    'get_return_dispute_reason',
    returnSn,
    ShopeeDisputeReasonResponse,
  );
  return response.dispute_reason_list ?? [];
}

/** Evidence for one module of a dispute reason. */
export interface ShopeeDisputeEvidence {
  moduleIndex: number;
  requirement?: string | undefined;
  /** URLs from {@link convertImage}; at most 3. */
  imageUrls: readonly string[];
}

/** Input of {@link dispute}. */
export interface ShopeeDisputeInput {
  returnSn: string;
  /** The operator's e-mail, for Shopee's records. */
  email: string;
  /** An id from {@link getReturnDisputeReasons}. */
  disputeReasonId: number | string;
  textReason?: string | undefined;
  evidence?: readonly ShopeeDisputeEvidence[] | undefined;
}

/** `POST /api/v2/returns/dispute`: escalates the return to Shopee with a reason and evidence. Not retried. */
export async function dispute(scope: ShopeeScope, input: ShopeeDisputeInput): Promise<void> {
  const issues: FieldIssue[] = [];
  checkReturnSn(input.returnSn, 'returnSn', issues);
  if (typeof input.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(input.email))
    issues.push({ path: 'email', message: 'must be an e-mail address' });
  const reasonId = String(input.disputeReasonId);
  if (!/^\d+$/.test(reasonId))
    issues.push({ path: 'disputeReasonId', message: 'must be a numeric reason id' });
  input.evidence?.forEach((module, index) => {
    if (!Number.isInteger(module.moduleIndex))
      issues.push({ path: `evidence.${index}.moduleIndex`, message: 'must be an integer' });
    if (
      module.imageUrls.length === 0 ||
      module.imageUrls.length > SHOPEE_RETURN_LIMITS.disputeImagesPerModule
    )
      issues.push({
        path: `evidence.${index}.imageUrls`,
        message: `1..${SHOPEE_RETURN_LIMITS.disputeImagesPerModule} images per module`,
      });
  });
  if (issues.length > 0) throw invalid('dispute input', issues);
  await sendAction(
    scope,
    'dispute',
    {
      return_sn: input.returnSn,
      email: input.email,
      dispute_reason_id: Number(reasonId),
      ...(input.textReason ? { dispute_text_reason: input.textReason } : {}),
      ...(input.evidence?.length
        ? {
            image_list: input.evidence.map((module) => ({
              module_index: module.moduleIndex,
              requirement: module.requirement ?? '',
              image_url: [...module.imageUrls],
            })),
          }
        : {}),
    },
    false,
  );
}

/** `POST /api/v2/returns/cancel_dispute`: withdraws a compensation dispute. Not retried. */
export async function cancelDispute(
  scope: ShopeeScope,
  input: { returnSn: string; email: string },
): Promise<void> {
  const issues: FieldIssue[] = [];
  checkReturnSn(input.returnSn, 'returnSn', issues);
  if (typeof input.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(input.email))
    issues.push({ path: 'email', message: 'must be an e-mail address' });
  if (issues.length > 0) throw invalid('cancel_dispute input', issues);
  await sendAction(scope, 'cancel_dispute', { return_sn: input.returnSn, email: input.email }, false);
}

/** One evidence image: JPG/JPEG or PNG, at most 10 MB. */
export interface ShopeeEvidenceImage {
  data: Blob | Uint8Array | ArrayBuffer;
  fileName?: string | undefined;
}

function imageType(bytes: Uint8Array): 'image/jpeg' | 'image/png' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return undefined;
}

/**
 * `POST /api/v2/returns/convert_image` (multipart): stores one evidence image and returns its URL
 * for {@link dispute} and {@link uploadProof}. The same bytes give an equivalent image, so a retry
 * is harmless.
 */
export async function convertImage(
  scope: ShopeeScope,
  returnSn: string,
  image: ShopeeEvidenceImage,
): Promise<ShopeeConvertedImage> {
  const issues: FieldIssue[] = [];
  checkReturnSn(returnSn, 'returnSn', issues);
  const bytes =
    image.data instanceof Uint8Array
      ? image.data
      : image.data instanceof ArrayBuffer
        ? new Uint8Array(image.data)
        : new Uint8Array(await image.data.arrayBuffer());
  const type = imageType(bytes);
  if (!type) issues.push({ path: 'image.data', message: 'must be a JPG or PNG image' });
  if (bytes.byteLength > SHOPEE_RETURN_LIMITS.evidenceImageBytes)
    issues.push({ path: 'image.data', message: 'must be at most 10 MB' });
  if (issues.length > 0) throw invalid('convert_image input', issues);
  const form = new FormData();
  form.append('return_sn', returnSn);
  form.append(
    'upload_image',
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: type ?? 'image/jpeg' }),
    image.fileName ?? (type === 'image/png' ? 'evidence.png' : 'evidence.jpg'),
  );
  return callReturns(
    scope,
    'convert_image',
    { method: 'POST', body: form, idempotent: true },
    ConvertedImageSchema,
  );
}

/** Input of {@link uploadProof}. */
export interface ShopeeUploadProofInput {
  returnSn: string;
  /** Images from {@link convertImage}. */
  photos?: readonly ShopeeConvertedImage[] | undefined;
  description?: string | undefined;
}

/**
 * `POST /api/v2/returns/upload_proof`: the seller's evidence on the return (before
 * `seller_evidence_deadline`). Sets the proof as a whole, so a repeat sets the same proof.
 */
export async function uploadProof(scope: ShopeeScope, input: ShopeeUploadProofInput): Promise<void> {
  const issues: FieldIssue[] = [];
  checkReturnSn(input.returnSn, 'returnSn', issues);
  if (!input.photos?.length && !input.description)
    issues.push({ path: 'photos', message: 'give photos, a description or both' });
  if (issues.length > 0) throw invalid('upload_proof input', issues);
  await sendAction(
    scope,
    'upload_proof',
    {
      return_sn: input.returnSn,
      ...(input.photos?.length
        ? {
            photo: input.photos.map((photo) => ({
              url: photo.url,
              thumbnail: photo.thumbnail ?? photo.url,
            })),
          }
        : {}),
      ...(input.description ? { description: input.description } : {}),
    },
    true,
  );
}

/** `GET /api/v2/returns/query_proof`: the evidence the seller uploaded. */
export async function queryProof(scope: ShopeeScope, returnSn: string): Promise<ShopeeReturnProof> {
  return getByReturnSn(scope, 'query_proof', returnSn, ReturnProofSchema);
}
