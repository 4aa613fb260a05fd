import { ValidationError } from '@mlh/core';
import { createMeliSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MELI_CAPABILITIES, type MeliClient } from '../src/index';
import { connectSandboxSeller, rejectionOf } from './support';

/** Shipping labels end to end against the Mercado Livre sandbox (`GET /shipment_labels`). */

const sandbox = createMeliSandbox();
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function sellerClient(seller = sandbox.addSeller()): Promise<MeliClient> {
  return connectSandboxSeller(sandbox, seller);
}

function sale(quantity = 1) {
  const item = sandbox.addItem({ title: 'Caneca', price: 19.9, available_quantity: 200 });
  return sandbox.placeOrder({ itemId: item.id, quantity });
}

beforeEach(() => sandbox.reset());

describe('Mercado Livre shipping labels', () => {
  it('says which label formats it downloads', () => {
    expect(MELI_CAPABILITIES.shippingLabels).toEqual(['pdf', 'zpl']);
  });

  it('downloads the PDF label of a shipment ready to print, and the shipment shows as printed', async () => {
    const client = await sellerClient();
    const placed = sale();
    sandbox.payOrder(placed.orderId);
    const shipmentId = String(placed.shipmentId);

    const label = await client.getShippingLabel(shipmentId);

    expect(label).toMatchObject({
      marketplace: 'meli',
      shipmentId,
      format: 'pdf',
      contentType: 'application/pdf',
    });
    expect(text(label.bytes.subarray(0, 5))).toBe('%PDF-');
    expect(text(label.bytes)).toContain(`shipment ${shipmentId}`);
    expect(label.attachments).toEqual([]);
    expect(sandbox.getShipment(Number(shipmentId))?.substatus).toBe('printed');
    // Reprinting is allowed while the shipment is still waiting for the carrier.
    await expect(client.getShippingLabel(shipmentId)).resolves.toMatchObject({ format: 'pdf' });
  });

  it('takes the ZPL label out of the ZIP Mercado Livre sends for zpl2', async () => {
    const client = await sellerClient();
    const placed = sale();
    sandbox.payOrder(placed.orderId);

    const label = await client.getShippingLabel(String(placed.shipmentId), { format: 'zpl' });

    expect(label).toMatchObject({
      format: 'zpl',
      contentType: 'text/plain',
      fileName: 'Etiqueta de envio.txt',
    });
    expect(text(label.bytes)).toMatch(/^\^XA[\s\S]*\^XZ\s*$/);
    expect(text(label.bytes)).toContain(`shipment ${placed.shipmentId}`);
  });

  it('is refused, as Mercado Livre refuses it, before the shipment is ready to ship and after it left', async () => {
    const client = await sellerClient();
    const placed = sale();
    const shipmentId = String(placed.shipmentId);

    const early = await rejectionOf(client.getShippingLabel(shipmentId));
    expect(early).toBeInstanceOf(ValidationError);
    expect(early).toMatchObject({ marketplace: 'meli', status: 400, code: 'not_printable_status' });

    sandbox.payOrder(placed.orderId);
    sandbox.shipOrder(placed.orderId);
    const late = await rejectionOf(client.getShippingLabel(shipmentId));
    expect(late).toMatchObject({ status: 400, code: 'not_printable_status' });
  });

  it('downloads many labels in files of at most 50 shipments', async () => {
    const client = await sellerClient();
    const ids: string[] = [];
    for (let i = 0; i < 51; i++) {
      const placed = sale();
      sandbox.payOrder(placed.orderId);
      ids.push(String(placed.shipmentId));
    }
    const before = sandbox.stats().byPath['GET /shipment_labels'] ?? 0;

    const files = await client.getShippingLabelFiles(ids);

    expect(files.map((file) => file.shipmentIds.length)).toEqual([50, 1]);
    expect(sandbox.stats().byPath['GET /shipment_labels']).toBe(before + 2);
    expect(text(files[1]?.bytes ?? new Uint8Array())).toContain(`shipment ${ids[50]}`);
  });

  it('refuses a bad format before any request', async () => {
    const client = await sellerClient();
    const before = sandbox.stats().requests;
    const error = await rejectionOf(client.getShippingLabel('123', { format: 'png' as 'pdf' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['format']);
    expect(sandbox.stats().requests).toBe(before);
  });
});
