import { MemoryTokenStore, money, normalizeProduct, ValidationError } from '@mlh/core';
import { createMeli as createFullMeli, MELI_CAPABILITIES, MELI_RETURNS_CAPABILITIES } from '@mlh/meli';
import { meliCategories } from '@mlh/meli/categories';
import { meliEvents } from '@mlh/meli/events';
import { meliInvoices } from '@mlh/meli/invoices';
import { meliLabels } from '@mlh/meli/labels';
import { createMeli, MELI_LEAN_CAPABILITIES } from '@mlh/meli/lean';
import { meliMessages } from '@mlh/meli/messages';
import { meliProceeds } from '@mlh/meli/proceeds';
import { meliRaw } from '@mlh/meli/raw';
import { meliReturns } from '@mlh/meli/returns';
import { createMeliSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, rejectionOf, sandboxMeliOptions } from './support';

/**
 * `@mlh/meli/lean`: the client with catalog, inventory, orders and fulfilment only, against the
 * sandbox, next to the full client of the same seller; and modules added through `capabilities`.
 */

const sandbox = createMeliSandbox({ behaviour: { saleFeePercent: 12 } });
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const EVERY_MODULE = [
  meliRaw,
  meliEvents,
  meliCategories,
  meliLabels,
  meliMessages,
  meliInvoices,
  meliProceeds,
  meliReturns,
] as const;

type AnyMeliModule = (typeof EVERY_MODULE)[number];

/** The options of both apps: the sandbox's app, one token store, the sandbox's clock, no retries. */
function appOptions(tokenStore: MemoryTokenStore) {
  return sandboxMeliOptions(sandbox, tokenStore, { retry: false });
}

/** A new seller authorized through a lean app with `capabilities`, and the full app over the same tokens. */
async function connect<const Modules extends readonly AnyMeliModule[] = []>(
  capabilities?: Modules,
  sellerOptions: { defaultShippingMode?: 'custom' } = {},
) {
  const tokenStore = new MemoryTokenStore();
  const lean = createMeli({ ...appOptions(tokenStore), ...(capabilities ? { capabilities } : {}) });
  const seller = sandbox.addSeller(sellerOptions);
  sandbox.setAuthorizingUser(seller.id);
  const started = await lean.authorizationUrl();
  const tokens = await lean.exchangeCode(sandbox.authorize({ state: started.state }).redirectUrl, started);
  const full = createFullMeli(appOptions(tokenStore));
  return { app: lean, lean: lean.forAccount(tokens.accountId), full: full.forAccount(tokens.accountId) };
}

describe('the lean Mercado Livre client', () => {
  it('has the core capabilities and nothing of the modules', async () => {
    const { app, lean } = await connect();
    expect(lean.capabilities).toEqual(MELI_LEAN_CAPABILITIES);
    expect(lean.capabilities.missedEventRecovery).toBe(false);
    for (const member of ['listReturns', 'getOrderProceeds', 'submitInvoice', 'getShippingLabel', 'items']) {
      expect(member in lean).toBe(false);
    }
    expect('webhookSource' in app).toBe(false);
  });

  it('lists, writes stock, reads and ships orders like the full client, end to end', async () => {
    const { lean, full } = await connect(undefined, { defaultShippingMode: 'custom' });
    const item = sandbox.addItem({ available_quantity: 5 });
    const products = await collect(lean.listProducts());
    expect(products).toEqual(await collect(full.listProducts()));
    const listed = products.find((product) => product.externalId === item.id);
    expect(listed).toBeDefined();
    const stock = await lean.updateInventory([
      { productExternalId: item.id, sku: listed?.sku as string, quantity: 9 },
    ]);
    expect(stock.failed).toEqual([]);
    expect((await full.getProduct(item.id)).quantity).toBe(9);

    const placed = sandbox.placeOrder({ itemId: item.id, quantity: 1 });
    sandbox.payOrder(placed.orderId);
    const orderId = String(placed.orderId);
    expect(await lean.getOrder(orderId)).toEqual(await full.getOrder(orderId));
    const shipment = await lean.fulfillOrder(orderId, { trackingNumber: 'TRK-42' });
    expect(shipment.orderIds).toEqual([orderId]);
    expect(await lean.getShipment(shipment.externalId)).toEqual(await full.getShipment(shipment.externalId));
  });

  it('refuses validateRequirements: true without the categories module, before any write', async () => {
    const { lean } = await connect();
    const refused = await rejectionOf(
      lean.createProduct(
        normalizeProduct({
          sku: 'MUG',
          title: 'Caneca de cerâmica 300 ml',
          description: 'Caneca',
          images: ['https://img.example.com/mug.jpg'],
          price: money('30.00', 'BRL'),
          quantity: 1,
        }),
        { validateRequirements: true, marketplaceFields: { category_id: 'MLB1234' } },
      ),
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues.map((issue) => issue.path)).toEqual(['validateRequirements']);
  });
});

describe('modules added through capabilities', () => {
  it('adds what the full client has: the same proceeds, the descriptor part, the app members', async () => {
    const { app, lean, full } = await connect([meliProceeds, meliReturns, meliEvents]);
    const item = sandbox.addItem({ available_quantity: 5 });
    const placed = sandbox.placeOrder({ itemId: item.id, quantity: 1 });
    sandbox.payOrder(placed.orderId);
    const orderId = String(placed.orderId);

    expect(await lean.getOrderProceeds(orderId)).toEqual(await full.getOrderProceeds(orderId));
    expect(lean.capabilities).toEqual({
      ...MELI_LEAN_CAPABILITIES,
      returns: MELI_RETURNS_CAPABILITIES,
      missedEventRecovery: true,
    });
    expect(typeof lean.claims.search).toBe('function');
    expect(typeof lean.recoverMissedEvents).toBe('function');
    expect(typeof app.webhookSource().verify).toBe('function');
  });

  it('with every module, is the full client: same members, same capabilities', async () => {
    const { lean, full } = await connect(EVERY_MODULE);
    expect(Object.keys(lean).sort()).toEqual(Object.keys(full).sort());
    expect(lean.capabilities).toEqual(MELI_CAPABILITIES);
    expect(full.capabilities).toBe(MELI_CAPABILITIES);
  });

  it('refuses a module of another marketplace, naming the entry', () => {
    const foreign = { ...meliLabels, marketplace: 'shopee' } as typeof meliLabels;
    const attempt = () => createMeli({ ...appOptions(new MemoryTokenStore()), capabilities: [foreign] });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(
      /capabilities\[0\]: the labels module of shopee cannot be added to a meli client/,
    );
  });
});
