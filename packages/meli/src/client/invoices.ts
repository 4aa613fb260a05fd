import {
  type InvoiceInput,
  type InvoicesCapability,
  invoiceXmlText,
  type OrderInvoice,
  parseInvoice,
  ValidationError,
} from '@mlh/core';
import * as invoicesApi from '../api/invoices';
import * as ordersApi from '../api/orders';
import { mapMeliShipmentInvoice } from '../mappers';
import type { MeliAccountContext } from './context';
import { meliModule } from './module';

/** The shipment an order ships in, or a `ValidationError` naming why it has none. */
async function shipmentOfOrder(ctx: MeliAccountContext, orderId: string, given: unknown): Promise<string> {
  if (typeof given === 'string' && /^\d+$/.test(given)) return given;
  const order = (await ordersApi.getOrder(ctx.context, orderId)).data;
  const id = order.shipping?.id;
  if (id == null) {
    throw new ValidationError(
      'Invalid invoice',
      [
        {
          path: 'orderExternalId',
          message: `order ${orderId} has no Mercado Envios shipment to attach an NF-e to`,
        },
      ],
      { marketplace: 'meli' },
    );
  }
  return String(id);
}

/**
 * Brazilian NF-e: `submitInvoice` imports the authorised XML into the order's shipment (the only
 * call that releases a label waiting in `invoice_pending`), then reads it back; `getInvoice` reads
 * the imported note. `marketplaceFields.shipmentId` skips the order lookup.
 */
export function invoicesCapability(ctx: MeliAccountContext): Required<InvoicesCapability> {
  async function submitInvoice(orderExternalId: string, input: InvoiceInput): Promise<OrderInvoice> {
    const invoice = parseInvoice(input, 'meli');
    const xml = invoiceXmlText(invoice);
    if (xml === undefined) {
      throw new ValidationError(
        'Invalid invoice',
        [{ path: 'xml', message: 'Mercado Livre imports only the authorised NF-e XML (<nfeProc>)' }],
        { marketplace: 'meli' },
      );
    }
    const shipmentId = await shipmentOfOrder(ctx, orderExternalId, invoice.marketplaceFields?.shipmentId);
    await invoicesApi.importShipmentInvoice(ctx.context, shipmentId, xml);
    const stored = await invoicesApi.getShipmentInvoice(ctx.context, shipmentId);
    return stored ? mapMeliShipmentInvoice(stored) : { status: 'submitted', accessKey: invoice.accessKey };
  }

  async function getInvoice(orderExternalId: string): Promise<OrderInvoice | undefined> {
    const shipmentId = await shipmentOfOrder(ctx, orderExternalId, undefined);
    const stored = await invoicesApi.getShipmentInvoice(ctx.context, shipmentId);
    return stored ? mapMeliShipmentInvoice(stored) : undefined;
  }

  return { submitInvoice, getInvoice };
}

/**
 * The invoice module (Brazil): `submitInvoice` imports the NF-e XML into the order's shipment,
 * `getInvoice` reads it back.
 *
 * @example
 * import { meliInvoices } from '@mlh/meli/invoices';
 * const client = createMeli({ ...options, capabilities: [meliInvoices] }).forAccount(sellerId);
 * await client.submitInvoice(order.externalId, { xml });
 */
export const meliInvoices = /* @__PURE__ */ meliModule({
  name: 'invoices',
  capabilities: {},
  build: invoicesCapability,
});
