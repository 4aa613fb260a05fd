import { InvoiceRequiredError, invoiceFromNfeXml, ValidationError } from '@mlh/core';
import { createMeliSandbox, sampleNfe } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MeliClient } from '../src/index';
import { connectSandboxSeller, rejectionOf } from './support';

/** NF-e import against the Mercado Livre sandbox (`/shipments/{id}/invoice_data?siteId=MLB`). */

const sandbox = createMeliSandbox();
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => sandbox.reset());

async function sellerClient(seller = sandbox.addSeller({ issuesNfe: true })): Promise<MeliClient> {
  return connectSandboxSeller(sandbox, seller);
}

/** A paid drop-off sale of R$ 39,80 whose label waits for the NF-e. */
function paidSale() {
  const item = sandbox.addItem({
    title: 'Caneca',
    price: 19.9,
    available_quantity: 10,
    shipping: { mode: 'me2', logistic_type: 'drop_off' },
  });
  const placed = sandbox.placeOrder({ itemId: item.id, quantity: 2 });
  sandbox.payOrder(placed.orderId);
  return { orderId: String(placed.orderId), shipmentId: String(placed.shipmentId) };
}

const note = (number: number, extra: Parameters<typeof sampleNfe>[0] = {}) =>
  sampleNfe({ number, total: '39.80', issuedAt: new Date(sandbox.clock.now()), ...extra });

describe('Mercado Livre NF-e import', () => {
  it('reads a shipment in invoice_pending as invoice "required" and refuses to ship or print before the import', async () => {
    const client = await sellerClient();
    const { orderId, shipmentId } = paidSale();
    expect((await client.getOrder(orderId)).fiscal).toEqual({
      invoice: { status: 'required', rawStatus: 'invoice_pending' },
    });
    const refused = await rejectionOf(client.fulfillOrder(orderId, {}));
    expect(refused).toBeInstanceOf(InvoiceRequiredError);
    expect((refused as InvoiceRequiredError).message).toMatch(/has no NF-e yet/);
    await expect(client.getShippingLabel(shipmentId)).rejects.toThrow(/invoice_pending/);
    expect(await client.getInvoice(orderId)).toBeUndefined();
  });

  it('imports the XML, which releases the label, and reads the note back', async () => {
    const client = await sellerClient();
    const { orderId, shipmentId } = paidSale();
    const { xml, accessKey } = note(101);
    const stored = await client.submitInvoice(orderId, invoiceFromNfeXml(xml));
    expect(stored).toMatchObject({
      status: 'accepted',
      rawStatus: 'approved',
      accessKey,
      number: '101',
      series: '1',
      total: { amount: '39.80', currency: 'BRL' },
    });
    expect(sandbox.getShipment(Number(shipmentId))?.substatus).toBe('ready_to_print');
    expect((await client.getOrder(orderId)).fiscal).toBeUndefined();
    expect(await client.getInvoice(orderId)).toEqual(stored);
    await expect(client.getShippingLabel(shipmentId)).resolves.toMatchObject({ format: 'pdf' });
  });

  it('passes on what only Mercado Livre checks, with its error codes: total, date, authorisation, a second import', async () => {
    const client = await sellerClient();
    const { orderId } = paidSale();
    await expect(
      client.submitInvoice(orderId, invoiceFromNfeXml(note(102, { total: '19.90' }).xml)),
    ).rejects.toMatchObject({ code: 'nfe_order_value_divergence' });
    await expect(
      client.submitInvoice(
        orderId,
        invoiceFromNfeXml(note(103, { issuedAt: new Date(sandbox.clock.now() - 86_400_000) }).xml),
      ),
    ).rejects.toMatchObject({ code: 'wrong_invoice_date' });
    await expect(
      client.submitInvoice(orderId, invoiceFromNfeXml(note(104, { environment: '2' }).xml)),
    ).rejects.toMatchObject({ code: 'invalid_nfe_cstat' });
    await client.submitInvoice(orderId, invoiceFromNfeXml(note(105).xml));
    await expect(client.submitInvoice(orderId, invoiceFromNfeXml(note(106).xml))).rejects.toMatchObject({
      code: 'shipment_invoice_already_saved',
    });
  });

  it('checks the key and asks for the XML before any request', async () => {
    const client = await sellerClient();
    const { orderId } = paidSale();
    const { accessKey } = note(107);
    const withoutXml = await rejectionOf(client.submitInvoice(orderId, { accessKey }));
    expect(withoutXml).toBeInstanceOf(ValidationError);
    expect((withoutXml as ValidationError).issues[0]?.path).toBe('xml');
    const bad = await rejectionOf(
      client.submitInvoice(orderId, { accessKey: `${accessKey.slice(0, 40)}0000`, xml: '<nfeProc/>' }),
    );
    expect((bad as ValidationError).issues[0]).toMatchObject({ path: 'accessKey' });
    expect(sandbox.stats().byPath['POST /shipments/:id/invoice_data'] ?? 0).toBe(0);
  });

  it('leaves a seller who does not issue NF-e alone: nothing waits for an invoice', async () => {
    const client = await sellerClient(sandbox.addSeller());
    const { orderId } = paidSale();
    expect((await client.getOrder(orderId)).fiscal).toBeUndefined();
  });
});
