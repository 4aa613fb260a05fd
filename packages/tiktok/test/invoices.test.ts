import { ConflictError, InvoiceRequiredError, invoiceFromNfeXml, ValidationError } from '@mlh/core';
import { sampleNfe, TIKTOK_INVOICE_VERIFICATION_SECONDS } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectedSandboxShop } from './helpers';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const START = Date.UTC(2026, 0, 5, 12);
const SHIP = '/fulfillment/202309/packages/{package_id}/ship';

/** A local Brazilian shop with one paid order whose package waits for its NF-e. */
async function brazilianOrder(options: { invoiceRequired?: boolean } = {}) {
  const { clock, events, sandbox, tiktok, shop } = await connectedSandboxShop(server, 'BR', START);
  const product = sandbox.addProduct({
    shopId: shop.id,
    skus: [{ sellerSku: 'CANECA', price: '49.90', stock: 5 }],
  });
  const order = sandbox.placeOrder({
    items: [{ skuId: product.skus[0]?.id as string, quantity: 1 }],
    ...(options.invoiceRequired === undefined ? {} : { invoiceRequired: options.invoiceRequired }),
  });
  sandbox.payOrder(order.id);
  clock.advance(60_000);
  return { sandbox, clock, client: tiktok.forAccount(shop.id), order, events };
}

describe('TikTok Shop NF-e against the sandbox (a local Brazilian seller)', () => {
  it('reads need_upload_invoice as the invoice state and the buyer CPF with its registered name', async () => {
    const { client, order } = await brazilianOrder();
    const mapped = await client.getOrder(order.id);
    expect(mapped.fiscal).toEqual({
      invoice: { status: 'required', rawStatus: 'NEED_INVOICE' },
      buyerTaxId: { type: 'CPF', number: '52998224725' },
      buyerTaxName: 'Maria da Silva',
    });
  });

  it('refuses to ship before the NF-e, uploads it for the package, and ships once TikTok verified it (webhook 36)', async () => {
    const { sandbox, clock, client, order, events } = await brazilianOrder();
    const refused = client.fulfillOrder(order.id, { method: 'dropoff' });
    await expect(refused).rejects.toBeInstanceOf(InvoiceRequiredError);
    await expect(refused).rejects.toThrow(/has no NF-e yet/);
    expect(
      sandbox.stats().byPath[
        `/fulfillment/202309/packages/${sandbox.getOrder(order.id)?.packageIds[0]}/ship`
      ] ?? 0,
    ).toBe(0);

    const { xml, accessKey } = sampleNfe({ number: 42, issuedAt: new Date(clock.now()) });
    expect(await client.submitInvoice(order.id, invoiceFromNfeXml(xml))).toEqual({
      status: 'submitted',
      rawStatus: 'INVOICE_PROCESSING',
      accessKey,
    });
    await expect(client.fulfillOrder(order.id, { method: 'dropoff' })).rejects.toThrow(
      /still being validated/,
    );
    // Uploading again while TikTok checks the first one is refused before any request.
    await expect(client.submitInvoice(order.id, invoiceFromNfeXml(xml))).rejects.toBeInstanceOf(
      ConflictError,
    );

    clock.advance(TIKTOK_INVOICE_VERIFICATION_SECONDS * 1000);
    expect((await client.getOrder(order.id)).fiscal?.invoice).toEqual({
      status: 'accepted',
      rawStatus: 'INVOICE_UPLOADED',
    });
    await sandbox.webhooks.flush();
    expect(events.some((event) => event.type === 'shipment.updated' && event.status === 'SUCCESS')).toBe(
      true,
    );
    const shipment = await client.fulfillOrder(order.id, { method: 'dropoff' });
    expect(shipment.orderIds).toEqual([order.id]);
    expect(sandbox.stats().byPath[SHIP]).toBe(1);
    expect(sandbox.stats().byPath['/fulfillment/202502/invoice/upload']).toBe(1);
  });

  it('takes the order back to "required" when verification refuses the note, with the reason in webhook 36', async () => {
    const { sandbox, clock, client, order, events } = await brazilianOrder();
    const homologation = sampleNfe({ number: 43, environment: '2', issuedAt: new Date(clock.now()) });
    await client.submitInvoice(order.id, invoiceFromNfeXml(homologation.xml));
    clock.advance(TIKTOK_INVOICE_VERIFICATION_SECONDS * 1000);
    expect((await client.getOrder(order.id)).fiscal?.invoice?.status).toBe('required');
    await sandbox.webhooks.flush();
    const verdict = events.find((event) => event.type === 'shipment.updated');
    expect(verdict).toMatchObject({ status: 'FAILED' });
    expect(JSON.stringify(verdict?.raw)).toContain('NOT_AUTHORIZED');
  });

  it('checks before sending: the XML is required, and a bad access key is named', async () => {
    const { sandbox, client, order } = await brazilianOrder();
    const { accessKey } = sampleNfe({ number: 44 });
    const noXml = await client.submitInvoice(order.id, { accessKey }).catch((error: unknown) => error);
    expect(noXml).toBeInstanceOf(ValidationError);
    expect((noXml as ValidationError).issues).toEqual([
      { path: 'xml', message: 'TikTok Shop takes only the authorised NF-e XML' },
    ]);
    const badKey = `${accessKey.slice(0, 43)}${(Number(accessKey.slice(43)) + 1) % 10}`;
    await expect(client.submitInvoice(order.id, { accessKey: badKey, xml: '<nfeProc/>' })).rejects.toThrow(
      /accessKey: check digit does not match/,
    );
    expect(sandbox.stats().byPath['/fulfillment/202502/invoice/upload'] ?? 0).toBe(0);
  });

  it('ships an order TikTok says needs no invoice', async () => {
    const { client, order } = await brazilianOrder({ invoiceRequired: false });
    expect((await client.getOrder(order.id)).fiscal?.invoice).toEqual({
      status: 'not_required',
      rawStatus: 'NO_NEED',
    });
    expect((await client.fulfillOrder(order.id, { method: 'dropoff' })).orderIds).toEqual([order.id]);
  });
});
