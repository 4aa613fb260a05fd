import { type Clock, MemoryTokenStore, PermissionError } from '@mlh/core';
import { createSandboxClock, createTikTokSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createTikTokDocumentTransport,
  createTikTokShop,
  downloadShippingDocument,
  TIKTOK_CAPABILITIES,
} from '../src/index';

/** Shipping labels of TikTok-shipping packages: the document call, then its `doc_url` downloaded. */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function setup(region = 'BR') {
  const clock = createSandboxClock({ start: Date.UTC(2026, 0, 5, 12), frozen: true });
  const sandbox = createTikTokSandbox({ clock });
  server.use(...sandbox.handlers);
  const shared: Clock = {
    now: () => clock.now(),
    sleep: () => new Promise(() => {}),
  };
  const tiktok = createTikTokShop({
    appKey: sandbox.app.appKey,
    appSecret: sandbox.app.appSecret,
    serviceId: sandbox.app.serviceId,
    tokenStore: new MemoryTokenStore(),
    clock: shared,
  });
  const shop = sandbox.addShop({ region, sellerType: 'LOCAL' });
  await tiktok.exchangeCode(sandbox.authorize({ shopId: shop.id }).code);
  const product = sandbox.addProduct({
    shopId: shop.id,
    skus: [{ sellerSku: 'MUG', price: '10.10', stock: 5 }],
  });
  // An order that needs no NF-e: the invoice-before-shipping flow has its own tests (invoices.test.ts).
  const order = sandbox.placeOrder({
    items: [{ skuId: product.skus[0]?.id as string, quantity: 1 }],
    invoiceRequired: false,
  });
  sandbox.payOrder(order.id);
  const client = tiktok.forAccount(shop.id);
  const packageId = (await client.getOrder(order.id)).shipmentIds[0] as string;
  return { sandbox, clock, client, order, packageId };
}

describe('TikTok Shop shipping labels', () => {
  it('says which label formats it downloads', () => {
    expect(TIKTOK_CAPABILITIES.shippingLabels).toEqual(['pdf', 'zpl']);
  });

  it('downloads the PDF label of a shipped TikTok-shipping package, not its expiring link', async () => {
    const { client, order, packageId } = await setup();
    await client.fulfillOrder(order.id, { method: 'dropoff' });

    const label = await client.getShippingLabel(packageId);

    expect(label).toMatchObject({
      marketplace: 'tiktok',
      shipmentId: packageId,
      format: 'pdf',
      contentType: 'application/pdf',
      raw: { document_type: 'SHIPPING_LABEL' },
    });
    expect(text(label.bytes)).toContain(`package ${packageId}`);
    expect(label.raw).not.toHaveProperty('doc_url');
  });

  it('downloads ZPL for a Brazilian shop', async () => {
    const { client, order, packageId } = await setup('BR');
    await client.fulfillOrder(order.id, { method: 'dropoff' });

    const label = await client.getShippingLabel(packageId, { format: 'zpl' });

    expect(label).toMatchObject({ format: 'zpl', contentType: 'text/plain' });
    expect(text(label.bytes)).toMatch(/^\^XA/);
  });

  it('is refused, as TikTok refuses it, before the package is shipped', async () => {
    const { client, packageId } = await setup();
    await expect(client.getShippingLabel(packageId)).rejects.toMatchObject({
      marketplace: 'tiktok',
      code: '21001002',
    });
  });

  it('is refused in ZPL outside Brazil and Mexico', async () => {
    const { client, order, packageId } = await setup('GB');
    await client.fulfillOrder(order.id, { method: 'dropoff' });
    await expect(client.getShippingLabel(packageId, { format: 'zpl' })).rejects.toMatchObject({
      kind: 'validation',
      code: '36009004',
    });
  });

  it('sends neither the token nor a signature to the file host', async () => {
    const { client, order, packageId } = await setup();
    await client.fulfillOrder(order.id, { method: 'dropoff' });
    const seen: Request[] = [];
    const listener = ({ request }: { request: Request }) => {
      if (new URL(request.url).host.startsWith('sandbox-labels')) seen.push(request.clone());
    };
    server.events.on('request:start', listener);
    try {
      await client.getShippingLabel(packageId);
    } finally {
      server.events.removeListener('request:start', listener);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.get('x-tts-access-token')).toBeNull();
    expect(new URL(seen[0]?.url ?? '').searchParams.has('sign')).toBe(false);
  });

  it('reports an expired link as the file host answers it', async () => {
    const { client, order, packageId, clock } = await setup();
    await client.fulfillOrder(order.id, { method: 'dropoff' });
    const { doc_url } = await client.fulfillment.getShippingDocument(packageId);
    clock.advance(25 * 60 * 60 * 1000);
    await expect(downloadShippingDocument(createTikTokDocumentTransport(), doc_url)).rejects.toBeInstanceOf(
      PermissionError,
    );
  });
});
