import { parseOrThrow } from '@mlh/core';
import * as z from 'zod/mini';
import {
  MeliCarrier,
  MeliCustomShipmentUpdate,
  MeliSellerNotification,
  MeliShipment,
  MeliShipmentHistory,
  MeliShipmentOrders,
  MeliShipmentStatusCatalogue,
} from '../schemas';
import { assertMeliId, callMeli, type MeliContext, type MeliResponse } from '../transport';

/**
 * Shipments. The transport adds `x-format-new: true` to every `/shipments…` call (mandatory);
 * in that format a shipment has **no `order_id`**: link it through the order's `shipping.id`,
 * {@link getShipmentOrders} or `getOrderShipments`.
 */

/** `payload.service_id` of ME1 seller notifications per site. */
export const MELI_ME1_SERVICE_IDS: Readonly<Record<string, number>> = Object.freeze({
  MLB: 11,
  MLA: 154,
  MLM: 231876,
  MLC: 282578,
  MCO: 282579,
  MLU: 282604,
  MPE: 361180,
});

/** `GET /shipments/{id}`. */
export async function getShipment(
  context: MeliContext,
  shipmentId: string,
): Promise<MeliResponse<MeliShipment>> {
  assertMeliId(shipmentId, 'shipmentId');
  return callMeli(
    context,
    { method: 'GET', path: `/shipments/${shipmentId}`, operation: 'shipments.get' },
    MeliShipment,
  );
}

/** The orders a shipment carries: `GET /shipments/{id}/orders` (`X-New-Domain: true`). */
export async function getShipmentOrders(
  context: MeliContext,
  shipmentId: string,
): Promise<MeliResponse<MeliShipmentOrders>> {
  assertMeliId(shipmentId, 'shipmentId');
  return callMeli(
    context,
    { method: 'GET', path: `/shipments/${shipmentId}/orders`, operation: 'shipments.orders' },
    z.pipe(
      z.optional(MeliShipmentOrders),
      z.transform((orders) => orders ?? []),
    ),
  );
}

/** Status changes of a shipment, `[{ status, substatus, date }]`: `GET /shipments/{id}/history`. */
export async function getShipmentHistory(
  context: MeliContext,
  shipmentId: string,
): Promise<MeliResponse<MeliShipmentHistory>> {
  assertMeliId(shipmentId, 'shipmentId');
  return callMeli(
    context,
    { method: 'GET', path: `/shipments/${shipmentId}/history`, operation: 'shipments.history' },
    MeliShipmentHistory,
  );
}

/** The carrier and its tracking page: `GET /shipments/{id}/carrier` → `{ name, url }`. */
export async function getShipmentCarrier(
  context: MeliContext,
  shipmentId: string,
): Promise<MeliResponse<MeliCarrier>> {
  assertMeliId(shipmentId, 'shipmentId');
  return callMeli(
    context,
    { method: 'GET', path: `/shipments/${shipmentId}/carrier`, operation: 'shipments.carrier' },
    MeliCarrier,
  );
}

/** The catalogue of shipment statuses and substatuses: `GET /shipment_statuses`. */
export async function getShipmentStatuses(
  context: MeliContext,
): Promise<MeliResponse<MeliShipmentStatusCatalogue>> {
  return callMeli(
    context,
    { method: 'GET', path: '/shipment_statuses', operation: 'shipments.statuses' },
    MeliShipmentStatusCatalogue,
  );
}

/**
 * Reports progress of an **ME1** shipment (the seller's own carrier): shipped (with tracking),
 * a shipped substatus, delivered or returning. Uses the V2 path by default (V1 is being retired).
 * Not repeated by the transport after an unknown outcome.
 */
export async function sendSellerNotification(
  context: MeliContext,
  shipmentId: string,
  notification: MeliSellerNotification,
  options: { version?: 'v1' | 'v2' } = {},
): Promise<void> {
  assertMeliId(shipmentId, 'shipmentId');
  const checked = parseOrThrow(MeliSellerNotification, notification, 'ME1 seller notification', {
    marketplace: 'meli',
  });
  const prefix = (options.version ?? 'v2') === 'v2' ? '/v2' : '';
  await callMeli(
    context,
    {
      method: 'POST',
      path: `${prefix}/shipments/${shipmentId}/seller_notifications`,
      body: { json: checked },
      operation: 'shipments.sellerNotification',
    },
    z.unknown(),
  );
}

/**
 * Updates a **custom** shipment (seller delivers without Mercado Envios): tracking, or the
 * status `shipped` / `delivered` / `cancelled` (final). Available in MX, BR and AR.
 */
export async function updateCustomShipment(
  context: MeliContext,
  shipmentId: string,
  update: MeliCustomShipmentUpdate,
): Promise<void> {
  assertMeliId(shipmentId, 'shipmentId');
  const checked = parseOrThrow(MeliCustomShipmentUpdate, update, 'custom shipment update', {
    marketplace: 'meli',
  });
  await callMeli(
    context,
    {
      method: 'PUT',
      path: `/shipments/${shipmentId}`,
      body: { json: checked },
      operation: 'shipments.updateCustom',
    },
    z.unknown(),
  );
}
