import { ConflictError, ValidationError } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SHOPEE_CAPABILITIES, shopeeLabelsApi } from '../src/index';
import { type World, world } from './sandbox-world';
import { rejectionOf } from './support';

/** Air waybills through Shopee's create → poll → download flow, against the sandbox. */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function paidOrder(w: World): Promise<string> {
  const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 10 });
  const placed = await w.sandbox.placeOrder({
    shopId: Number(w.shopId),
    items: [{ itemId: mug.itemId, quantity: 1 }],
  });
  await w.sandbox.payOrder(placed.orderSn);
  return placed.orderSn;
}

/**
 * Runs `promise`, moving the manual clock only through the client's poll sleeps: a request's
 * own timeout timer (always 30 s ahead, as the clock stands still during a request) is never hit.
 */
async function drivePolls<T>(w: World, promise: Promise<T>): Promise<T> {
  let done = false;
  const settled = promise.finally(() => {
    done = true;
  });
  settled.catch(() => {});
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    const now = w.clock.now();
    const sleep = w.clock.pendingTimers().find((deadline) => deadline < now + 30_000);
    if (sleep !== undefined) await w.clock.advance(sleep - now);
  }
  return settled;
}

function calls(w: World, path: string): number {
  return w.sandbox.stats().byPath[`/api/v2/logistics/${path}`] ?? 0;
}

describe('Shopee shipping labels', () => {
  it('says which label formats it downloads', () => {
    expect(SHOPEE_CAPABILITIES.shippingLabels).toEqual(['pdf', 'zpl']);
  });

  it('creates the document, polls until it is ready, and downloads the PDF air waybill', async () => {
    const w = await world(server);
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);
    const shipment = await client.fulfillOrder(orderSn, { method: 'dropoff' });

    const label = await drivePolls(w, client.getShippingLabel(shipment.externalId));

    expect(label).toMatchObject({ marketplace: 'shopee', format: 'pdf', contentType: 'application/pdf' });
    expect(text(label.bytes)).toContain(`order ${orderSn}`);
    expect(label.raw).toMatchObject({
      shipping_document_type: 'NORMAL_AIR_WAYBILL',
      tracking_number: shipment.trackingNumber,
    });
    expect(calls(w, 'create_shipping_document')).toBe(1);
    // Shopee answers PROCESSING at first: the client waited and asked again.
    expect(calls(w, 'get_shipping_document_result')).toBeGreaterThanOrEqual(2);
    expect(calls(w, 'download_shipping_document')).toBe(1);
  });

  it('gives the ZPL of a Brazilian thermal air waybill, with the content declaration as an attachment', async () => {
    const w = await world(server);
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);
    await client.fulfillOrder(orderSn, { method: 'dropoff' });

    const label = await drivePolls(w, client.getShippingLabel(orderSn, { format: 'zpl' }));

    expect(label).toMatchObject({ format: 'zpl', contentType: 'text/plain', fileName: 'etiqueta.txt' });
    expect(text(label.bytes)).toMatch(/^\^XA/);
    expect(label.attachments.map((file) => [file.fileName, file.contentType])).toEqual([
      ['declaracao_de_conteudo.pdf', 'application/pdf'],
    ]);
    expect(text(label.attachments[0]?.bytes.subarray(0, 5) ?? new Uint8Array())).toBe('%PDF-');
  });

  it('refuses ZPL where Shopee only makes PDF, naming what came instead', async () => {
    const w = await world(server, { region: 'SG' });
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);
    await client.fulfillOrder(orderSn, { method: 'dropoff' });

    const error = await rejectionOf(drivePolls(w, client.getShippingLabel(orderSn, { format: 'zpl' })));
    expect(error).toMatchObject({ code: 'label_format_missing' });
    expect(String((error as Error).message)).toContain('holds no ZPL file');
  });

  it('is refused, as Shopee refuses it, before the shipment is arranged', async () => {
    const w = await world(server);
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);

    const error = await rejectionOf(drivePolls(w, client.getShippingLabel(orderSn)));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ marketplace: 'shopee', code: 'common.batch_api_all_failed' });
    expect((error as Error).message).toContain('Order status does not support awb printing');
    expect(calls(w, 'download_shipping_document')).toBe(0);
  });

  it('gives up polling after the timeout it was given', async () => {
    const w = await world(server);
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);
    await client.fulfillOrder(orderSn, { method: 'dropoff' });

    const error = await rejectionOf(
      drivePolls(
        w,
        client.getShippingLabel(orderSn, {
          marketplaceFields: { pollFirstDelayMs: 100, pollTimeoutMs: 150 },
        }),
      ),
    );
    expect(error).toMatchObject({ kind: 'timeout', code: 'shipping_document_pending' });
  });

  it('keeps the raw document calls at Shopee’s cap of 50 packages', async () => {
    const w = await world(server);
    const client = w.shopee.forShop(w.shopId);
    const refs = Array.from({ length: 51 }, (_, i) => ({
      orderSn: `2603010000${String(i).padStart(4, '0')}`,
    }));
    const error = await rejectionOf(
      shopeeLabelsApi.getShippingDocumentParameters(
        { transport: w.shopee.transport, accountId: client.accountId },
        refs,
      ),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toBe('orderList');
  });
});
