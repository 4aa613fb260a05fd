import { isMlhError, NotFoundError, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { MeliShipmentInvoice } from '../schemas';
import { assertMeliId, callMeli, type MeliContext } from '../transport';

/**
 * Brazilian NF-e of ME2 shipments (catalog reference §6.1): only this import releases a label
 * waiting in `ready_to_ship` / `invoice_pending` (drop-off, cross-docking, ...). Mercado Livre
 * answers only for site MLB, hence `siteId=MLB` on every call. Attaching files to a pack
 * (`/packs/{id}/fiscal_documents`) informs the buyer and releases nothing.
 */

/** `siteId` of the invoice calls: the import exists only in Brazil. */
const SITE = 'MLB';

/**
 * Imports the authorised NF-e XML: `POST /shipments/{id}/invoice_data?siteId=MLB` with
 * `Content-Type: application/xml`. Not repeated after an unknown outcome (a second import is
 * refused with `shipment_invoice_already_saved`).
 */
export async function importShipmentInvoice(
  context: MeliContext,
  shipmentId: string,
  xml: string,
): Promise<void> {
  assertMeliId(shipmentId, 'shipmentId');
  await callMeli(
    context,
    {
      method: 'POST',
      path: `/shipments/${shipmentId}/invoice_data`,
      query: { siteId: SITE },
      body: { raw: xml, contentType: 'application/xml' },
      operation: 'shipments.importInvoice',
    },
    z.unknown(),
  );
}

/** The imported NF-e: `GET /shipments/{id}/invoice_data?siteId=MLB`; `undefined` when none (404). */
export async function getShipmentInvoice(
  context: MeliContext,
  shipmentId: string,
): Promise<MeliShipmentInvoice | undefined> {
  assertMeliId(shipmentId, 'shipmentId');
  try {
    const response = await context.transport.request<unknown>({
      method: 'GET',
      path: `/shipments/${shipmentId}/invoice_data`,
      query: { siteId: SITE },
      accountId: context.accountId,
      operation: 'shipments.invoice',
    });
    const parsed = MeliShipmentInvoice.safeParse(response.data);
    if (parsed.success) return parsed.data;
    throw new ValidationError(
      'Invalid shipments.invoice response',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      { marketplace: 'meli' },
    );
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    if (error instanceof NotFoundError || (isMlhError(error) && error.status === 404)) return undefined;
    throw error;
  }
}
