import { parseOrThrow, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { TIKTOK } from '../mappers';
import {
  TikTokBatchData,
  TikTokHandoverSlotsData,
  TikTokMarkShippedData,
  type TikTokPackage,
  TikTokPackage as TikTokPackageSchema,
  TikTokPackageSearchData,
  TikTokShippingDocumentData,
  TikTokTrackingData,
} from '../schemas';
import { callTikTok, type TikTokCallContext } from '../transport';
import type { TikTokBatchResponse } from './products';

/** Largest `page_size` of package search (1–50, smaller than orders'). */
export const TIKTOK_PACKAGE_PAGE_SIZE_MAX = 50;

const path = (template: string, id: string) => template.replace('{id}', encodeURIComponent(id));

/** Options of {@link searchPackages}. Times are Unix seconds. */
export interface TikTokPackageSearchOptions {
  /** 1–50, default 50. */
  pageSize?: number | undefined;
  pageToken?: string | undefined;
  sortField?: 'create_time' | 'update_time' | 'order_pay_time';
  sortOrder?: 'ASC' | 'DESC';
  filter?: {
    package_status?: string;
    create_time_ge?: number;
    create_time_lt?: number;
    update_time_ge?: number;
    update_time_lt?: number;
    [field: string]: unknown;
  };
}

/** One page of packages. */
export interface TikTokPackagePage {
  packages: TikTokPackage[];
  nextPageToken: string | undefined;
  totalCount: number | undefined;
}

/** Searches packages, one page: `POST /fulfillment/202309/packages/search`. */
export async function searchPackages(
  context: TikTokCallContext,
  options: TikTokPackageSearchOptions = {},
): Promise<TikTokPackagePage> {
  const size = options.pageSize ?? TIKTOK_PACKAGE_PAGE_SIZE_MAX;
  if (!Number.isInteger(size) || size < 1) {
    throw new ValidationError('Invalid page size', [{ path: 'pageSize', message: 'must be 1–50' }], {
      marketplace: TIKTOK,
    });
  }
  const { data } = await callTikTok(
    context,
    {
      method: 'POST',
      path: '/fulfillment/202309/packages/search',
      query: {
        page_size: Math.min(size, TIKTOK_PACKAGE_PAGE_SIZE_MAX),
        page_token: options.pageToken || undefined,
        sort_field: options.sortField,
        sort_order: options.sortOrder,
      },
      body: { json: options.filter ?? {} },
      idempotent: true,
      rateGroup: 'read',
      operation: 'fulfillment.package_search',
    },
    TikTokPackageSearchData,
    'fulfillment.package_search',
  );
  return {
    packages: data.packages,
    nextPageToken: data.next_page_token || undefined,
    totalCount: data.total_count,
  };
}

/** One package in full: `GET /fulfillment/202309/packages/{package_id}`. */
export async function getPackageDetail(
  context: TikTokCallContext,
  packageId: string,
): Promise<TikTokPackage> {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: path('/fulfillment/202309/packages/{id}', packageId),
      operation: 'fulfillment.package_get',
    },
    TikTokPackageSchema,
    'fulfillment.package_get',
  );
  // Some answers omit the id the request named; keep it so the package can be mapped.
  return data.package_id === undefined && data.id === undefined ? { ...data, package_id: packageId } : data;
}

const SelfShipment = /* @__PURE__ */ (() =>
  z.object({
    shipping_provider_id: z.string().check(z.minLength(1)),
    tracking_number: z.string().check(z.minLength(1)),
  }))();
const PickupSlot = /* @__PURE__ */ (() =>
  z.object({ start_time: z.number().check(z.int()), end_time: z.number().check(z.int()) }))();

/** Body of Ship Package. */
export const TikTokShipPackageBody = /* @__PURE__ */ (() =>
  z.looseObject({
    handover_method: z.optional(z.enum(['PICKUP', 'DROP_OFF'])),
    pickup_slot: z.optional(PickupSlot),
    /** Only when the seller ships with their own carrier. */
    self_shipment: z.optional(SelfShipment),
  }))();
export type TikTokShipPackageBody = z.input<typeof TikTokShipPackageBody>;

/**
 * Ships a package: `POST /fulfillment/202309/packages/{package_id}/ship`. TikTok shipping:
 * `handover_method` (+ `pickup_slot`); seller shipping: `self_shipment` with carrier and tracking.
 */
export async function shipPackage(
  context: TikTokCallContext,
  packageId: string,
  body: TikTokShipPackageBody,
): Promise<void> {
  const valid = parseOrThrow(TikTokShipPackageBody, body, 'TikTok ship package', { marketplace: TIKTOK });
  await callTikTok(
    context,
    {
      method: 'POST',
      path: path('/fulfillment/202309/packages/{id}/ship', packageId),
      body: { json: valid },
      operation: 'fulfillment.ship',
    },
    z.unknown(),
    'fulfillment.ship',
  );
}

/** Ships several packages: `POST /fulfillment/202309/packages/ship`; per-package failures in `errors`. */
export async function batchShipPackages(
  context: TikTokCallContext,
  packages: ReadonlyArray<TikTokShipPackageBody & { id: string }>,
): Promise<TikTokBatchResponse> {
  const valid = parseOrThrow(
    z.array(z.extend(TikTokShipPackageBody, { id: z.string().check(z.minLength(1)) })).check(z.minLength(1)),
    [...packages],
    'TikTok batch ship',
    { marketplace: TIKTOK, path: 'packages' },
  );
  const { data, requestId } = await callTikTok(
    context,
    {
      method: 'POST',
      path: '/fulfillment/202309/packages/ship',
      body: { json: { packages: valid } },
      operation: 'fulfillment.batch_ship',
    },
    TikTokBatchData,
    'fulfillment.batch_ship',
  );
  return { errors: data?.errors ?? [], requestId };
}

/** Body of mark-package-as-shipped. */
export const TikTokMarkShippedBody = /* @__PURE__ */ (() =>
  z.object({
    order_line_item_ids: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
    shipping_provider_id: z.string().check(z.minLength(1)),
    tracking_number: z.string().check(z.minLength(1)),
  }))();

/**
 * Marks an order's lines as shipped by the seller's carrier, creating their package:
 * `POST /fulfillment/202309/orders/{order_id}/packages` (US, UK, ES, IE, IT, DE, FR, JP sellers).
 */
export async function markPackageAsShipped(
  context: TikTokCallContext,
  orderId: string,
  body: z.input<typeof TikTokMarkShippedBody>,
) {
  const valid = parseOrThrow(TikTokMarkShippedBody, body, 'TikTok mark as shipped', { marketplace: TIKTOK });
  const { data } = await callTikTok(
    context,
    {
      method: 'POST',
      path: path('/fulfillment/202309/orders/{id}/packages', orderId),
      body: { json: valid },
      operation: 'fulfillment.mark_shipped',
    },
    TikTokMarkShippedData,
    'fulfillment.mark_shipped',
  );
  return data;
}

/** Body of a tracking-number correction. */
export const TikTokShippingInfoBody = /* @__PURE__ */ (() =>
  z.object({
    tracking_number: z.string().check(z.minLength(1)),
    shipping_provider_id: z.string().check(z.minLength(1)),
  }))();

/**
 * Corrects the tracking number of a seller-shipped package
 * (`POST /fulfillment/202309/packages/{id}/shipping_info/update`) or order
 * (`POST /fulfillment/202309/orders/{id}/shipping_info/update`, within 72 h, not for split orders).
 */
export async function updateShippingInfo(
  context: TikTokCallContext,
  target: { packageId: string } | { orderId: string },
  body: z.input<typeof TikTokShippingInfoBody>,
): Promise<void> {
  const valid = parseOrThrow(TikTokShippingInfoBody, body, 'TikTok shipping info', { marketplace: TIKTOK });
  const url =
    'packageId' in target
      ? path('/fulfillment/202309/packages/{id}/shipping_info/update', target.packageId)
      : path('/fulfillment/202309/orders/{id}/shipping_info/update', target.orderId);
  await callTikTok(
    context,
    {
      method: 'POST',
      path: url,
      body: { json: valid },
      idempotent: true,
      operation: 'fulfillment.shipping_info',
    },
    z.unknown(),
    'fulfillment.shipping_info',
  );
}

/** A tracking event with its time in epoch milliseconds (TikTok's `update_time_millis`). */
export interface TikTokTrackingUpdate {
  description: string | undefined;
  /** Epoch milliseconds, as TikTok sends them here (unlike every other time, in seconds). */
  updateTimeMs: number;
  raw: unknown;
}

/** Tracking events of an order: `GET /fulfillment/202309/orders/{order_id}/tracking`. */
export async function getOrderTracking(
  context: TikTokCallContext,
  orderId: string,
): Promise<TikTokTrackingUpdate[]> {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: path('/fulfillment/202309/orders/{id}/tracking', orderId),
      operation: 'fulfillment.tracking',
    },
    TikTokTrackingData,
    'fulfillment.tracking',
  );
  return data.tracking.map((event) => ({
    description: event.description,
    updateTimeMs: event.update_time_millis,
    raw: event,
  }));
}

/** Label / packing slip of a TikTok-shipped package, after it is shipped; `doc_url` lasts 24 h. */
export async function getShippingDocument(
  context: TikTokCallContext,
  packageId: string,
  options: { documentType?: string; documentSize?: 'A6' | 'A5'; documentFormat?: 'PDF' | 'ZPL' } = {},
) {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: path('/fulfillment/202309/packages/{id}/shipping_documents', packageId),
      query: {
        document_type: options.documentType ?? 'SHIPPING_LABEL',
        document_size: options.documentSize,
        document_format: options.documentFormat,
      },
      operation: 'fulfillment.shipping_documents',
    },
    TikTokShippingDocumentData,
    'fulfillment.shipping_documents',
  );
  return data;
}

/** Pickup / drop-off options of a package: `GET /fulfillment/202309/packages/{id}/handover_time_slots`. */
export async function getHandoverTimeSlots(context: TikTokCallContext, packageId: string) {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: path('/fulfillment/202309/packages/{id}/handover_time_slots', packageId),
      operation: 'fulfillment.handover_slots',
    },
    TikTokHandoverSlotsData,
    'fulfillment.handover_slots',
  );
  return data;
}
