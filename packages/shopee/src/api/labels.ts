import { type FieldIssue, type LabelFile, parseOrThrow, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { stringifyShopeeJson } from '../json';
import { SHOPEE, type ShopeeScope } from '../transport';
import type { ShopeePackageRef } from './logistics';

/**
 * Shipping documents (air waybills), Shopee's asynchronous flow: after the shipment is arranged
 * (order `PROCESSED`, tracking number known) and before pickup,
 * {@link createShippingDocuments} starts a task per package, {@link getShippingDocumentResults}
 * says `PROCESSING` / `READY` / `FAILED`, and {@link downloadShippingDocument} answers the file
 * (PDF; a ZIP with the ZPL label and a PDF content declaration for Brazil's thermal type; HTML
 * on some Taiwanese channels). Each call takes 1–50 packages.
 */

/** Most packages per shipping-document call (printed for three of the four; assumed for download). */
export const SHOPEE_DOCUMENT_BATCH_MAX = 50;

/** Document types (`ShippingDocumentType`); an open string, as Shopee adds types. */
export type ShopeeShippingDocumentType =
  | 'NORMAL_AIR_WAYBILL'
  | 'THERMAL_AIR_WAYBILL'
  | 'NORMAL_JOB_AIR_WAYBILL'
  | 'THERMAL_JOB_AIR_WAYBILL'
  | 'THERMAL_UNPACKAGED_LABEL'
  | (string & {});

/** A package of a document call, with its type and (to create) its tracking number. */
export interface ShopeeDocumentRef extends ShopeePackageRef {
  /** Required by `create` unless the channel is `preprint`. */
  trackingNumber?: string | undefined;
  shippingDocumentType?: ShopeeShippingDocumentType | undefined;
}

const text = /* @__PURE__ */ (() => z.nullish(z.string()))();
/** One package of a document call's `result_list`; `fail_error` set when it failed. */
export const ShopeeDocumentResult = /* @__PURE__ */ (() =>
  z.looseObject({
    order_sn: z.string(),
    package_number: text,
    status: text,
    suggest_shipping_document_type: text,
    selectable_shipping_document_type: z.nullish(z.array(z.string())),
    fail_error: text,
    fail_message: text,
  }))();
export type ShopeeDocumentResult = z.infer<typeof ShopeeDocumentResult>;

/** The envelope of the document calls: `warning` is a list of objects here, not a string. */
const DocumentEnvelope = /* @__PURE__ */ (() =>
  z.looseObject({
    request_id: text,
    error: text,
    message: text,
    warning: z.optional(z.unknown()),
    response: z.optional(z.looseObject({ result_list: z._default(z.array(ShopeeDocumentResult), []) })),
  }))();

function entryBody(ref: ShopeeDocumentRef, withTracking: boolean, withType: boolean) {
  return {
    order_sn: ref.orderSn,
    ...(ref.packageNumber ? { package_number: ref.packageNumber } : {}),
    ...(withTracking && ref.trackingNumber ? { tracking_number: ref.trackingNumber } : {}),
    ...(withType && ref.shippingDocumentType ? { shipping_document_type: ref.shippingDocumentType } : {}),
  };
}

function checkRefs(refs: readonly ShopeeDocumentRef[], what: string): void {
  const issues: FieldIssue[] = [];
  if (refs.length === 0 || refs.length > SHOPEE_DOCUMENT_BATCH_MAX) {
    issues.push({
      path: 'orderList',
      message: `give 1–${SHOPEE_DOCUMENT_BATCH_MAX} packages, got ${refs.length}`,
    });
  }
  refs.forEach((ref, i) => {
    if (!/^[A-Za-z0-9]+$/.test(ref.orderSn ?? '')) {
      issues.push({ path: `orderList.${i}.orderSn`, message: 'must be an order_sn' });
    }
    if (ref.packageNumber !== undefined && ref.packageNumber.trim() === '') {
      issues.push({
        path: `orderList.${i}.packageNumber`,
        message: 'omit it instead of sending an empty string',
      });
    }
  });
  if (issues.length > 0) throw new ValidationError(`Invalid ${what} input`, issues, { marketplace: SHOPEE });
}

async function callDocuments(
  scope: ShopeeScope,
  operation: string,
  body: unknown,
): Promise<{ results: ShopeeDocumentResult[]; requestId: string | undefined }> {
  const response = await scope.transport.request<unknown>({
    method: 'POST',
    path: `/api/v2/logistics/${operation}`,
    body: { raw: stringifyShopeeJson(body), contentType: 'application/json' },
    accountId: scope.accountId,
    operation: `logistics.${operation}`,
    signal: scope.signal,
    // Asking for a task's state, or describing the parameters, changes nothing.
    idempotent: operation !== 'create_shipping_document',
  });
  const envelope = parseOrThrow(
    DocumentEnvelope,
    response.data ?? {},
    `Shopee logistics.${operation} response`,
    { marketplace: SHOPEE },
  );
  return {
    results: envelope.response?.result_list ?? [],
    requestId: envelope.request_id ?? response.requestId,
  };
}

/** `POST /api/v2/logistics/get_shipping_document_parameter`: suggested and selectable types per package. */
export async function getShippingDocumentParameters(
  scope: ShopeeScope,
  refs: readonly ShopeePackageRef[],
): Promise<ShopeeDocumentResult[]> {
  checkRefs(refs, 'get_shipping_document_parameter');
  const body = { order_list: refs.map((ref) => entryBody(ref, false, false)) };
  return (await callDocuments(scope, 'get_shipping_document_parameter', body)).results;
}

/**
 * `POST /api/v2/logistics/create_shipping_document`: starts a document task per package. Partial
 * success is normal: read `fail_error` per package. Every package failing arrives as an error
 * (`common.batch_api_all_failed`) whose message is Shopee's reason.
 */
export async function createShippingDocuments(
  scope: ShopeeScope,
  refs: readonly ShopeeDocumentRef[],
): Promise<ShopeeDocumentResult[]> {
  checkRefs(refs, 'create_shipping_document');
  const body = { order_list: refs.map((ref) => entryBody(ref, true, true)) };
  return (await callDocuments(scope, 'create_shipping_document', body)).results;
}

/** `POST /api/v2/logistics/get_shipping_document_result`: `READY`, `PROCESSING` or `FAILED` per package. */
export async function getShippingDocumentResults(
  scope: ShopeeScope,
  refs: readonly ShopeeDocumentRef[],
): Promise<ShopeeDocumentResult[]> {
  checkRefs(refs, 'get_shipping_document_result');
  const body = { order_list: refs.map((ref) => entryBody(ref, false, true)) };
  return (await callDocuments(scope, 'get_shipping_document_result', body)).results;
}

/** A downloaded shipping document, as Shopee sent it. */
export interface ShopeeDocumentFile extends LabelFile {
  requestId: string | undefined;
}

/**
 * `POST /api/v2/logistics/download_shipping_document`: the file of ready documents (several
 * packages may come merged in one file; `logistics.packages_can_not_download_together` means
 * fetch them one by one). A failure is Shopee's JSON envelope, thrown as a core error.
 */
export async function downloadShippingDocument(
  scope: ShopeeScope,
  refs: readonly ShopeePackageRef[],
  options: { shippingDocumentType?: ShopeeShippingDocumentType | undefined; maxResponseBytes?: number } = {},
): Promise<ShopeeDocumentFile> {
  checkRefs(refs, 'download_shipping_document');
  const body = {
    ...(options.shippingDocumentType ? { shipping_document_type: options.shippingDocumentType } : {}),
    order_list: refs.map((ref) => entryBody(ref, false, false)),
  };
  const response = await scope.transport.request<Uint8Array>({
    method: 'POST',
    path: '/api/v2/logistics/download_shipping_document',
    body: { raw: stringifyShopeeJson(body), contentType: 'application/json' },
    accountId: scope.accountId,
    operation: 'logistics.download_shipping_document',
    responseType: 'bytes',
    idempotent: true,
    signal: scope.signal,
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
  });
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (/json/i.test(contentType)) {
    // A JSON answer without an error code still carries no file: say what it said.
    throw new ValidationError(
      'Shopee download_shipping_document answered JSON instead of a file',
      [{ path: 'orderList', message: response.text.slice(0, 300) }],
      { marketplace: SHOPEE, requestId: response.requestId },
    );
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  return {
    bytes: response.bytes ?? new Uint8Array(),
    contentType: contentType || 'application/octet-stream',
    ...(fileName ? { fileName } : {}),
    requestId: response.requestId,
  };
}
