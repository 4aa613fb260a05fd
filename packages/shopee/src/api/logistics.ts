import { type FieldIssue, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { jsonInteger } from '../json';
import {
  ShopeeShippingParameterResponse as ShippingParameterSchema,
  type ShopeeShippingParameterResponse,
  type ShopeeTrackingInfoResponse,
  type ShopeeTrackingNumberResponse,
  ShopeeTrackingInfoResponse as TrackingInfoSchema,
  ShopeeTrackingNumberResponse as TrackingNumberSchema,
} from '../schemas';
import { callShopee, SHOPEE, type ShopeeScope } from '../transport';

/** Thin typed calls of the `logistics` module (Shop APIs). */

/** Identifies a package: the order, and the package when the order has several. */
export interface ShopeePackageRef {
  orderSn: string;
  /** Omit rather than sending an empty string. */
  packageNumber?: string | undefined;
}

function checkRef(ref: ShopeePackageRef, issues: FieldIssue[]): void {
  if (!/^[A-Za-z0-9]+$/.test(ref.orderSn ?? ''))
    issues.push({ path: 'orderSn', message: 'must be an order_sn' });
  if (ref.packageNumber !== undefined && ref.packageNumber.trim() === '') {
    issues.push({ path: 'packageNumber', message: 'omit it instead of sending an empty string' });
  }
}

function refQuery(ref: ShopeePackageRef): Record<string, string | undefined> {
  return { order_sn: ref.orderSn, package_number: ref.packageNumber };
}

/**
 * `GET /api/v2/logistics/get_shipping_parameter`: which of pickup / dropoff / non-integrated the
 * package allows (a key missing from `info_needed` = not allowed) and the ids each needs.
 */
export async function getShippingParameter(
  scope: ShopeeScope,
  ref: ShopeePackageRef,
): Promise<ShopeeShippingParameterResponse> {
  const issues: FieldIssue[] = [];
  checkRef(ref, issues);
  if (issues.length > 0)
    throw new ValidationError('Invalid get_shipping_parameter input', issues, { marketplace: SHOPEE });
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/logistics/get_shipping_parameter',
      query: refQuery(ref),
      accountId: scope.accountId,
      operation: 'logistics.get_shipping_parameter',
      signal: scope.signal,
    },
    ShippingParameterSchema,
  );
  return response;
}

/** How a package is handed over: exactly one of the three. */
export type ShopeeShipMethod =
  | { pickup: { addressId: string; pickupTimeId?: string | undefined; trackingNumber?: string | undefined } }
  | {
      dropoff: {
        branchId?: string | undefined;
        senderRealName?: string | undefined;
        trackingNumber?: string | undefined;
        slug?: string | undefined;
      };
    }
  | { nonIntegrated: { trackingNumber: string } };

/** Input of {@link shipOrder}. */
export type ShipOrderInput = ShopeePackageRef & ShopeeShipMethod;

const NumericId = /* @__PURE__ */ (() => z.string().check(z.regex(/^\d+$/, 'must be a numeric id')))();
const ShipOrderSchema = /* @__PURE__ */ (() =>
  z
    .object({
      pickup: z.optional(
        z.object({
          addressId: NumericId,
          pickupTimeId: z.optional(z.string().check(z.minLength(1))),
          trackingNumber: z.optional(z.string().check(z.minLength(1))),
        }),
      ),
      dropoff: z.optional(
        z.object({
          branchId: z.optional(NumericId),
          senderRealName: z.optional(z.string().check(z.minLength(1))),
          trackingNumber: z.optional(z.string().check(z.minLength(1))),
          slug: z.optional(z.string().check(z.minLength(1))),
        }),
      ),
      nonIntegrated: z.optional(z.object({ trackingNumber: z.string().check(z.trim(), z.minLength(1)) })),
    })
    .check(
      z.superRefine((value, ctx) => {
        const count = [value.pickup, value.dropoff, value.nonIntegrated].filter(Boolean).length;
        if (count !== 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['pickup'],
            message: 'give exactly one of pickup, dropoff, nonIntegrated',
          });
        }
      }),
    ))();

/**
 * `POST /api/v2/logistics/ship_order`: arranges pickup, drop-off, or ships through a
 * non-integrated channel with the seller's tracking number. Not retried after an unknown outcome
 * (a second call answers `package_already_shipped`).
 */
export async function shipOrder(scope: ShopeeScope, input: ShipOrderInput): Promise<void> {
  const issues: FieldIssue[] = [];
  checkRef(input, issues);
  const parsed = ShipOrderSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      issues.push({ path: issue.path.join('.'), message: issue.message });
  }
  if (issues.length > 0 || !parsed.success) {
    throw new ValidationError('Invalid ship_order input', issues, { marketplace: SHOPEE });
  }
  const { pickup, dropoff, nonIntegrated } = parsed.data;
  const body = {
    order_sn: input.orderSn,
    ...(input.packageNumber ? { package_number: input.packageNumber } : {}),
    ...(pickup
      ? {
          pickup: {
            address_id: jsonInteger(pickup.addressId),
            ...(pickup.pickupTimeId ? { pickup_time_id: pickup.pickupTimeId } : {}),
            ...(pickup.trackingNumber ? { tracking_number: pickup.trackingNumber } : {}),
          },
        }
      : {}),
    ...(dropoff
      ? {
          dropoff: {
            ...(dropoff.branchId ? { branch_id: jsonInteger(dropoff.branchId) } : {}),
            ...(dropoff.senderRealName ? { sender_real_name: dropoff.senderRealName } : {}),
            ...(dropoff.trackingNumber ? { tracking_number: dropoff.trackingNumber } : {}),
            ...(dropoff.slug ? { slug: dropoff.slug } : {}),
          },
        }
      : {}),
    ...(nonIntegrated ? { non_integrated: { tracking_number: nonIntegrated.trackingNumber } } : {}),
  };
  await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/logistics/ship_order',
      body,
      accountId: scope.accountId,
      operation: 'logistics.ship_order',
      signal: scope.signal,
    },
    z.unknown(),
  );
}

/**
 * `GET /api/v2/logistics/get_tracking_number`. Often empty right after `ship_order` (see `hint`);
 * Shopee asks callers to poll it at most about every 5 minutes, or to wait for push code 4.
 */
export async function getTrackingNumber(
  scope: ShopeeScope,
  ref: ShopeePackageRef & { responseOptionalFields?: readonly string[] | undefined },
): Promise<ShopeeTrackingNumberResponse> {
  const issues: FieldIssue[] = [];
  checkRef(ref, issues);
  if (issues.length > 0)
    throw new ValidationError('Invalid get_tracking_number input', issues, { marketplace: SHOPEE });
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/logistics/get_tracking_number',
      query: {
        ...refQuery(ref),
        response_optional_fields: ref.responseOptionalFields?.length
          ? ref.responseOptionalFields.join(',')
          : undefined,
      },
      accountId: scope.accountId,
      operation: 'logistics.get_tracking_number',
      signal: scope.signal,
    },
    TrackingNumberSchema,
  );
  return response;
}

/** `GET /api/v2/logistics/get_tracking_info`: the package's logistics status and its event timeline. */
export async function getTrackingInfo(
  scope: ShopeeScope,
  ref: ShopeePackageRef,
): Promise<ShopeeTrackingInfoResponse> {
  const issues: FieldIssue[] = [];
  checkRef(ref, issues);
  if (issues.length > 0)
    throw new ValidationError('Invalid get_tracking_info input', issues, { marketplace: SHOPEE });
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/logistics/get_tracking_info',
      query: refQuery(ref),
      accountId: scope.accountId,
      operation: 'logistics.get_tracking_info',
      signal: scope.signal,
    },
    TrackingInfoSchema,
  );
  return response;
}
