import { InvoiceRequiredError, invoiceFromNfeXml, ValidationError } from '@mlh/core';
import { shopeeProductTaxData } from '@mlh/shopee';
import { sampleNfe } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type World, world } from './sandbox-world';
import { rejectionOf } from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function paidOrder(w: World, options: { invoiceRequired?: boolean } = {}): Promise<string> {
  const mug = w.sandbox.addItem({
    shopId: Number(w.shopId),
    name: 'Caneca',
    sku: 'MUG',
    price: '49.90',
    stock: 5,
  });
  const placed = await w.sandbox.placeOrder({
    shopId: Number(w.shopId),
    items: [{ itemId: mug.itemId, quantity: 1 }],
    shippingFee: '10.00',
    ...(options.invoiceRequired === undefined ? {} : { invoiceRequired: options.invoiceRequired }),
  });
  await w.sandbox.payOrder(placed.orderSn);
  return placed.orderSn;
}

/** An NF-e issued a minute ago: after the sale (each test lets two minutes pass), not in the future. */
function note(w: World, number = 1234) {
  return sampleNfe({
    number,
    total: '59.90',
    productsTotal: '49.90',
    issuedAt: new Date(w.clock.now() - 60_000),
  });
}

describe('Shopee NF-e against the sandbox (a CNPJ shop issuing its own notes)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world(server, { issuesOwnInvoices: true });
  });

  it('reads an order waiting for its NF-e as invoice "required", with the buyer CPF, though its detail says READY_TO_SHIP', async () => {
    const orderSn = await paidOrder(w);
    const order = await w.shopee.forShop(w.shopId).getOrder(orderSn);
    expect(order.rawStatus).toBe('READY_TO_SHIP');
    expect(order.fiscal).toEqual({
      invoice: { status: 'required', rawStatus: 'INVOICE_PENDING' },
      buyerTaxId: { type: 'CPF', number: '52998224725' },
    });
  });

  it('refuses to ship before the invoice, without calling ship_order, then uploads the XML and ships once SEFAZ validated it', async () => {
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);
    await w.clock.advance(120_000);
    const refused = await rejectionOf(client.fulfillOrder(orderSn, { method: 'pickup' }));
    expect(refused).toBeInstanceOf(InvoiceRequiredError);
    expect((refused as InvoiceRequiredError).orderId).toBe(orderSn);
    expect((refused as InvoiceRequiredError).message).toMatch(/has no NF-e yet/);
    expect(w.sandbox.stats().byPath['/api/v2/logistics/ship_order'] ?? 0).toBe(0);

    const { xml, accessKey } = note(w);
    const submitted = await client.submitInvoice(orderSn, invoiceFromNfeXml(xml));
    // Shopee validates against SEFAZ after the upload: pending, not accepted.
    expect(submitted).toMatchObject({
      status: 'submitted',
      rawStatus: 'pending',
      accessKey,
      number: '000001234',
    });
    await expect(client.fulfillOrder(orderSn, { method: 'pickup' })).rejects.toThrow(/still being validated/);

    await w.clock.advance(60_000);
    expect(await client.getInvoice(orderSn)).toMatchObject({
      status: 'accepted',
      accessKey,
      total: { amount: '59.90', currency: 'BRL' },
    });
    const shipment = await client.fulfillOrder(orderSn, { method: 'pickup' });
    expect(shipment.status).toBe('ready_to_ship');
    const file = await client.downloadInvoiceDocument(orderSn);
    expect(new TextDecoder().decode(file.bytes)).toBe(xml);
  });

  it('sends the invoice data without a file where the shop may, and refuses what Shopee refuses before sending', async () => {
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);
    await w.clock.advance(120_000);
    const { accessKey } = note(w, 77);
    const missing = await rejectionOf(client.submitInvoice(orderSn, { accessKey }));
    expect(missing).toBeInstanceOf(ValidationError);
    expect((missing as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'issuedAt',
      'total',
      'productsTotal',
      'cfop',
    ]);
    const badCfop = await rejectionOf(client.submitInvoice(orderSn, { accessKey, cfop: '5949' }));
    expect((badCfop as ValidationError).issues[0]).toMatchObject({ path: 'cfop' });
    expect(w.sandbox.stats().byPath['/api/v2/order/add_invoice_data'] ?? 0).toBe(0);

    const stored = await client.submitInvoice(orderSn, {
      accessKey,
      issuedAt: new Date(w.clock.now()).toISOString(),
      total: { amount: '59.90', currency: 'BRL' },
      productsTotal: { amount: '49.90', currency: 'BRL' },
      cfop: '5102',
    });
    expect(stored).toMatchObject({ status: 'submitted', accessKey, number: '000000077', series: '001' });
  });

  it('passes on what only Shopee can check: a duplicated access key, a homologation note', async () => {
    const first = await paidOrder(w);
    const second = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);
    await w.clock.advance(120_000);
    const { xml } = note(w, 5);
    await client.submitInvoice(first, invoiceFromNfeXml(xml));
    await expect(client.submitInvoice(second, invoiceFromNfeXml(xml))).rejects.toThrow(
      /Access Key duplicated/,
    );
    const test = sampleNfe({ number: 6, environment: '2', issuedAt: new Date(w.clock.now()) });
    await expect(client.submitInvoice(second, invoiceFromNfeXml(test.xml))).rejects.toThrow(/Invalid NF-e/);
  });

  it('reads an order on a channel without invoices as "not_required" and ships it', async () => {
    const orderSn = await paidOrder(w, { invoiceRequired: false });
    const client = w.shopee.forShop(w.shopId);
    expect((await client.getOrder(orderSn)).fiscal?.invoice).toEqual({ status: 'not_required' });
    await expect(client.submitInvoice(orderSn, invoiceFromNfeXml(note(w).xml))).rejects.toThrow(
      /invoice status is invalid/,
    );
    expect((await client.fulfillOrder(orderSn, { method: 'pickup' })).status).toBe('ready_to_ship');
  });

  it('names the missing invoice when Shopee refuses the shipment for it (lack_of_invoice_data)', async () => {
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);
    // The INVOICE_PENDING list answers empty once (a lagging index): the early check passes, Shopee refuses.
    w.sandbox.faults.inject({
      path: '/api/v2/order/get_order_list',
      times: 1,
      fault: {
        status: 200,
        body: { request_id: 'r', error: '', message: '', response: { more: false, order_list: [] } },
      },
    });
    const refused = await rejectionOf(client.fulfillOrder(orderSn, { method: 'pickup' }));
    expect(refused).toBeInstanceOf(InvoiceRequiredError);
    expect((refused as InvoiceRequiredError).message).toMatch(/Pending invoice data/);
  });

  it('does not upload twice when the answer to an upload is lost: the note is read back instead', async () => {
    const orderSn = await paidOrder(w);
    const client = w.shopee.forShop(w.shopId);
    await w.clock.advance(120_000);
    w.sandbox.faults.inject({
      path: '/api/v2/order/upload_invoice_doc',
      times: 1,
      fault: { lostResponse: true },
    });
    const { xml, accessKey } = note(w, 9);
    await expect(client.submitInvoice(orderSn, invoiceFromNfeXml(xml))).rejects.toThrow();
    expect(w.sandbox.stats().byPath['/api/v2/order/upload_invoice_doc']).toBe(1);
    expect(await client.getInvoice(orderSn)).toMatchObject({ status: 'submitted', accessKey });
  });

  it('exposes the item tax data a Brazilian shop reads with need_tax_info: NCM, CFOPs, origin, CSOSN, unit', async () => {
    const mug = w.sandbox.addItem({
      shopId: Number(w.shopId),
      name: 'Caneca',
      sku: 'MUG',
      price: '49.90',
      stock: 5,
    });
    const product = await w.shopee.forShop(w.shopId).getProduct(String(mug.itemId));
    expect(shopeeProductTaxData(product)).toMatchObject({
      ncm: '61091000',
      cfopSameState: '5102',
      cfopOtherState: '6108',
      origin: '0',
      csosn: '102',
      measureUnit: 'UN',
    });
    // A blank CEST is no CEST.
    expect(shopeeProductTaxData(product)).not.toHaveProperty('cest', '');
    expect(shopeeProductTaxData({ raw: { item: {} } })).toBeUndefined();
  });
});
