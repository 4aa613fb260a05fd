import { type Clock, MemoryTokenStore, ValidationError } from '@mlh/core';
import { createSandboxClock, createTikTokSandbox } from '@mlh/testing';
import {
  createTikTokShop as createFullTikTokShop,
  TIKTOK_CAPABILITIES,
  TIKTOK_RETURNS_CAPABILITIES,
} from '@mlh/tiktok';
import { tiktokCategories } from '@mlh/tiktok/categories';
import { tiktokEvents } from '@mlh/tiktok/events';
import { tiktokInvoices } from '@mlh/tiktok/invoices';
import { tiktokLabels } from '@mlh/tiktok/labels';
import { createTikTokShop, TIKTOK_LEAN_CAPABILITIES } from '@mlh/tiktok/lean';
import { tiktokMessages } from '@mlh/tiktok/messages';
import { tiktokProceeds } from '@mlh/tiktok/proceeds';
import { tiktokRaw } from '@mlh/tiktok/raw';
import { tiktokReturns } from '@mlh/tiktok/returns';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * `@mlh/tiktok/lean`: the client with catalog, inventory, orders and fulfilment only, against the
 * sandbox, next to the full client of the same shop; and modules added through `capabilities`.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const EVERY_MODULE = [
  tiktokRaw,
  tiktokEvents,
  tiktokCategories,
  tiktokInvoices,
  tiktokLabels,
  tiktokMessages,
  tiktokProceeds,
  tiktokReturns,
] as const;

type AnyTikTokModule = (typeof EVERY_MODULE)[number];

/** A shop of `region` authorized through a lean app with `capabilities`, and the full app over the same tokens. */
async function connect<const Modules extends readonly AnyTikTokModule[] = []>(
  region: string,
  capabilities?: Modules,
) {
  const sandboxClock = createSandboxClock({ start: Date.UTC(2026, 0, 5, 12), frozen: true });
  const sandbox = createTikTokSandbox({ clock: sandboxClock });
  server.use(...sandbox.handlers);
  const clock: Clock = { now: () => sandboxClock.now(), sleep: () => new Promise(() => {}) };
  const options = {
    appKey: sandbox.app.appKey,
    appSecret: sandbox.app.appSecret,
    serviceId: sandbox.app.serviceId,
    tokenStore: new MemoryTokenStore(),
    clock,
  };
  const app = createTikTokShop({ ...options, ...(capabilities ? { capabilities } : {}) });
  const shop = sandbox.addShop({ region, sellerType: 'LOCAL' });
  await app.exchangeCode(sandbox.authorize({ shopId: shop.id }).code);
  const full = createFullTikTokShop(options);
  return { sandbox, shop, app, lean: app.forAccount(shop.id), full: full.forAccount(shop.id) };
}

describe('the lean TikTok Shop client', () => {
  it('has the core capabilities and nothing of the modules', async () => {
    const { app, lean } = await connect('GB');
    expect(lean.capabilities).toEqual(TIKTOK_LEAN_CAPABILITIES);
    expect(lean.capabilities.returns).toBeUndefined();
    for (const member of [
      'listReturns',
      'getOrderProceeds',
      'submitInvoice',
      'getShippingLabel',
      'products',
    ]) {
      expect(member in lean).toBe(false);
    }
    expect('webhookSource' in app).toBe(false);
  });

  it('lists, writes stock, reads and ships orders like the full client, end to end', async () => {
    const { sandbox, shop, lean, full } = await connect('GB');
    const product = sandbox.addProduct({
      shopId: shop.id,
      skus: [{ sellerSku: 'MUG', price: '10.00', stock: 4 }],
    });
    const skuId = product.skus[0]?.id as string;
    const listed = [];
    for await (const listing of lean.listProducts()) listed.push(listing);
    expect(listed.map((listing) => listing.externalId)).toEqual([product.id]);
    expect(await lean.getProduct(product.id)).toEqual(await full.getProduct(product.id));
    const stock = await lean.updateInventory([{ productExternalId: product.id, sku: 'MUG', quantity: 9 }]);
    expect(stock.failed).toEqual([]);
    expect(sandbox.stockOf(skuId)).toBe(9);

    const order = sandbox.placeOrder({ items: [{ skuId, quantity: 1 }], shippingType: 'SELLER' });
    sandbox.payOrder(order.id);
    expect(await lean.getOrder(order.id)).toEqual(await full.getOrder(order.id));
    const shipment = await lean.fulfillOrder(order.id, { carrier: 'Royal Mail', trackingNumber: 'RM1GB' });
    expect(shipment.orderIds).toEqual([order.id]);
  });

  it('refuses validateRequirements: true without the categories module, before any write', async () => {
    const { lean } = await connect('GB');
    const refused = await lean
      .createProduct(
        {
          sku: 'MUG',
          title: 'Mug',
          description: 'A mug',
          price: { amount: '10.00', currency: 'GBP' },
          quantity: 1,
          images: [],
          attributes: {},
          status: 'active',
          variants: [],
        },
        { validateRequirements: true },
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues.map((issue) => issue.path)).toEqual(['validateRequirements']);
  });
});

describe('modules added through capabilities', () => {
  it('adds what the full client has: the same descriptor part, the raw calls, the app members', async () => {
    const { app, lean, full, sandbox, shop } = await connect('GB', [tiktokReturns, tiktokRaw, tiktokEvents]);
    expect(lean.capabilities).toEqual({ ...TIKTOK_LEAN_CAPABILITIES, returns: TIKTOK_RETURNS_CAPABILITIES });
    const product = sandbox.addProduct({
      shopId: shop.id,
      skus: [{ sellerSku: 'CUP', price: '5.00', stock: 1 }],
    });
    expect(await lean.products.getProduct(product.id)).toEqual(await full.products.getProduct(product.id));
    expect(typeof lean.returns).toBe('object');
    expect(typeof lean.listReturns).toBe('function');
    expect(typeof lean.events.getShopWebhooks).toBe('function');
    expect(typeof app.webhookSource().verify).toBe('function');
  });

  it('with every module, is the full client: same members, same capabilities', async () => {
    const { lean, full } = await connect('GB', EVERY_MODULE);
    expect(Object.keys(lean).sort()).toEqual(Object.keys(full).sort());
    expect(lean.capabilities).toEqual(TIKTOK_CAPABILITIES);
    expect(full.capabilities).toBe(TIKTOK_CAPABILITIES);
  });

  it('refuses a module of another marketplace, naming the entry', async () => {
    const foreign = { ...tiktokLabels, marketplace: 'meli' } as typeof tiktokLabels;
    const attempt = () =>
      createTikTokShop({
        appKey: 'a',
        appSecret: 's',
        tokenStore: new MemoryTokenStore(),
        capabilities: [foreign],
      });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(
      /capabilities\[0\]: the labels module of meli cannot be added to a tiktok client/,
    );
  });
});
