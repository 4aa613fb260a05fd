import { json } from '../shared/index';
import { nfeKeyProblem, readNfe } from '../shared/nfe';
import type { MeliContext, ShipmentRecord } from './context';
import { forbidden, meliError, notFound } from './errors';
import type { AuthedInput, MeliRoute, MeliRouter } from './router';
import { moveShipment } from './shipments';
import type { MeliShipmentInvoice } from './types';

/** Gap between a shipment id and the id of its imported NF-e (any stable, distinct number). */
const INVOICE_ID_OFFSET = 7_000_000_000;

/**
 * Brazilian NF-e import (catalog reference §6.1): `POST /shipments/{id}/invoice_data?siteId=MLB`
 * with the authorised XML releases a label waiting in `ready_to_ship/invoice_pending`;
 * `GET` reads the imported note back (404 when none). Refusals carry the official `error_code`s.
 */
export function invoiceHandlers(context: MeliContext, router: MeliRouter): MeliRoute[] {
  const { state } = context;
  const refuse = (code: string, message: string) => meliError(400, code, message);

  function shipmentOf(input: AuthedInput): ShipmentRecord | Response {
    if (input.query.get('siteId') !== 'MLB') {
      return refuse('invalid_operation_for_site_id', 'Invoice data is only available for site MLB');
    }
    const record = state.shipments.get(Number(input.params.id));
    if (record === undefined) return notFound(`Shipment ${input.params.id} not found`);
    if (record.shipment.origin.sender_id !== input.token.userId) return forbidden();
    return record;
  }

  function orderDate(record: ShipmentRecord): number {
    const dates = record.orderIds.flatMap((id) => {
      const created = state.orders.get(id)?.order.date_created;
      return created === undefined ? [] : [Date.parse(created)];
    });
    return dates.length === 0 ? 0 : Math.min(...dates);
  }

  async function importInvoice(input: AuthedInput): Promise<Response> {
    const record = shipmentOf(input);
    if (record instanceof Response) return record;
    const { shipment } = record;
    if (!input.user.issuesNfe) {
      return refuse(
        'seller_not_allowed_to_import_nfe',
        'The seller cannot import NF-e: use the Mercado Livre biller',
      );
    }
    if (shipment.status !== 'ready_to_ship' || shipment.substatus !== 'invoice_pending' || record.invoice) {
      return refuse(
        'shipment_invoice_already_saved',
        `Shipment ${shipment.id} is not waiting for an invoice`,
      );
    }
    const note = readNfe(await input.request.text());
    if (!note?.accessKey || nfeKeyProblem(note.accessKey)) {
      return refuse('unexpected_error_post_biller', 'The NF-e XML could not be read');
    }
    if (note.model !== '55') return refuse('nfe_layout_not_supported', 'Only NF-e model 55 is accepted');
    if (note.environment === '2' || note.authorizationStatus !== '100') {
      return refuse('invalid_nfe_cstat', 'The NF-e is not authorised by SEFAZ');
    }
    for (const other of state.shipments.values()) {
      if (other.invoice?.fiscal_key === note.accessKey) {
        return refuse('duplicated_fiscal_key', 'The access key was already used');
      }
    }
    if (note.issuedAtMs === undefined || note.issuedAtMs < orderDate(record)) {
      return refuse('wrong_invoice_date', 'The NF-e date is before the sale');
    }
    // The note covers the sale: items plus the freight the buyer paid.
    const saleValue = Math.round((shipment.declared_value + shipment.lead_time.cost) * 100);
    if (Math.round(Number(note.total) * 100) !== saleValue) {
      return refuse('nfe_order_value_divergence', 'The NF-e total differs from the sale value');
    }
    const now = context.date(context.clock.now(), 'MLB');
    const invoice: MeliShipmentInvoice = {
      id: shipment.id + INVOICE_ID_OFFSET,
      sender_id: shipment.origin.sender_id,
      shipment_id: shipment.id,
      fiscal_key: note.accessKey,
      invoice_serie: Number(note.series),
      invoice_number: Number(note.number),
      invoice_amount: Number(note.total),
      item_title: null,
      status: 'approved',
      invoice_date: new Date(note.issuedAtMs).toISOString(),
      date_created: now,
      last_updated: now,
    };
    record.invoice = invoice;
    moveShipment(context, record, 'ready_to_ship', 'ready_to_print');
    return json(invoice, { status: 201 });
  }

  return [
    router.api('post', '/shipments/:id/invoice_data', importInvoice),
    router.api('get', '/shipments/:id/invoice_data', (input) => {
      const record = shipmentOf(input);
      if (record instanceof Response) return record;
      return record.invoice
        ? json(record.invoice)
        : notFound(`No invoice for shipment ${record.shipment.id}`);
    }),
  ];
}
