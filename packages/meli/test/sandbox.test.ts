import {
  AuthenticationError,
  createWebhookHandler,
  MemoryTokenStore,
  type MlhEvent,
  normalizeProduct,
  RateLimitError,
  ValidationError,
} from '@mlh/core';
import { createMeliSandbox, type MeliSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMeli, type Meli, type MeliClient } from '../src/index';
import { collect, rejectionOf, sandboxMeliOptions } from './support';

/**
 * End to end against the Mercado Livre sandbox of @mlh/testing, which was written from the API
 * reference independently of this adapter: the OAuth flow, listings in both models, paging,
 * orders, shipments, stock and notifications, through the real URLs.
 */

const sandbox: MeliSandbox = createMeliSandbox();
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let store: MemoryTokenStore;
let meli: Meli;

function connect(): Meli {
  return createMeli({
    ...sandboxMeliOptions(sandbox, store),
    invalidGrantGraceMs: 0,
  });
}

/** Authorizes `sellerId` through the authorization flow and returns its client. */
async function authorizedClient(
  sellerId: number,
  overrides: Parameters<Meli['forAccount']>[1] = {},
): Promise<MeliClient> {
  sandbox.setAuthorizingUser(sellerId);
  const started = await meli.authorizationUrl();
  const consent = sandbox.authorize({ state: started.state });
  const tokens = await meli.exchangeCode(consent.redirectUrl, started);
  expect(tokens.accountId).toBe(String(sellerId));
  return meli.forAccount(tokens.accountId, overrides);
}

beforeEach(() => {
  sandbox.reset();
  store = new MemoryTokenStore();
  meli = connect();
});

const mug = normalizeProduct({
  title: 'Caneca de cerâmica 300 ml',
  sku: 'MUG-300',
  categoryId: 'MLB1055',
  description: 'Caneca branca, vai ao micro-ondas.',
  images: ['https://cdn.example.com/mug.jpg'],
  price: { amount: '49.90', currency: 'BRL' },
  quantity: 10,
});

const shirt = normalizeProduct({
  title: 'Camiseta básica',
  sku: 'TSHIRT',
  categoryId: 'MLB1055',
  description: 'Algodão penteado.',
  images: ['https://cdn.example.com/shirt.jpg'],
  variants: [
    {
      sku: 'TSHIRT-BLK-M',
      price: { amount: '59.90', currency: 'BRL' },
      quantity: 5,
      attributes: { COLOR: 'Preto', SIZE: 'M' },
    },
    {
      sku: 'TSHIRT-WHT-M',
      price: { amount: '59.90', currency: 'BRL' },
      quantity: 3,
      attributes: { COLOR: 'Branco', SIZE: 'M' },
    },
  ],
});

describe('Mercado Livre adapter against the sandbox', () => {
  it('authorizes a seller, refuses a forged state, and reads /users/me', async () => {
    const seller = sandbox.addSeller();
    const started = await meli.authorizationUrl();
    const consent = sandbox.authorize({ state: 'forged' });
    await expect(meli.exchangeCode(consent.redirectUrl, started)).rejects.toThrow(AuthenticationError);
    const client = await authorizedClient(seller.id);
    const me = await client.users.me();
    expect(me.data.id).toBe(seller.id);
    expect(await client.listingModel()).toBe('classic');
  });

  it('creates a classic listing with variations and a description, then reads it back', async () => {
    const seller = sandbox.addSeller();
    const client = await authorizedClient(seller.id);
    const created = await client.createProduct(shirt);
    const stored = sandbox.getItem(created.externalId ?? '');
    expect(stored?.variations).toHaveLength(2);
    expect(sandbox.getDescription(created.externalId ?? '')).toBe('Algodão penteado.');
    const read = await client.getProduct(created.externalId ?? '');
    expect(read.variants.map((variant) => [variant.sku, variant.quantity])).toEqual([
      ['TSHIRT-BLK-M', 5],
      ['TSHIRT-WHT-M', 3],
    ]);
    expect(read.description).toBe('Algodão penteado.');
    for (const sku of ['TSHIRT', 'TSHIRT-BLK-M']) {
      expect((await client.findProductsBySku(sku)).map((product) => product.externalId)).toEqual([
        created.externalId,
      ]);
    }
    expect(await client.findProductsBySku('NOT-LISTED')).toEqual([]);
  });

  it('creates User Products listings, one item per variant, for a user_product_seller', async () => {
    const seller = sandbox.addSeller({ userProducts: true });
    const client = await authorizedClient(seller.id);
    const differing = normalizeProduct({
      ...shirt,
      price: undefined,
      quantity: undefined,
      variants: [shirt.variants[0], { ...shirt.variants[1], price: { amount: '64.90', currency: 'BRL' } }],
    });
    const created = await client.createProduct(differing);
    expect(created.variants.map((variant) => variant.price.amount)).toEqual(['59.90', '64.90']);
    for (const variant of created.variants) {
      const item = sandbox.getItem(variant.externalId ?? '');
      expect(item?.family_name).toBe('Camiseta básica');
      expect(item?.variations ?? []).toEqual([]);
    }
  });

  it('refuses what the sandbox refuses, with its causes as field issues', async () => {
    const seller = sandbox.addSeller();
    const client = await authorizedClient(seller.id);
    const error = await rejectionOf(
      client.createProduct(mug, { marketplaceFields: { listing_type_id: 'no_such_listing_type' } }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.length).toBeGreaterThan(0);
  });

  it('pages every listing past offset 1000 through scan, and multigets them', async () => {
    const seller = sandbox.addSeller();
    for (let index = 0; index < 1105; index++)
      sandbox.addItem({ title: `Item ${index}`, available_quantity: 1 });
    const client = await authorizedClient(seller.id);
    const ids = await collect(client.items.iterateIds());
    expect(ids).toHaveLength(1105);
    expect(new Set(ids).size).toBe(1105);
    const products = await client.getProducts(ids.slice(0, 45));
    expect(products).toHaveLength(45);
  });

  it('sets stock and prices per variation', async () => {
    const seller = sandbox.addSeller();
    const client = await authorizedClient(seller.id);
    const created = await client.createProduct(shirt);
    const id = created.externalId ?? '';
    const stock = await client.updateInventory([{ productExternalId: id, sku: 'TSHIRT-WHT-M', quantity: 9 }]);
    expect(stock.failed).toEqual([]);
    const prices = await client.updatePrices(
      created.variants.map((variant) => ({
        productExternalId: id,
        variantExternalId: variant.externalId,
        price: { amount: '54.90', currency: 'BRL' },
      })),
    );
    expect(prices.failed).toEqual([]);
    const item = sandbox.getItem(id);
    expect(item?.variations.map((variation) => [variation.available_quantity, variation.price])).toEqual([
      [5, 54.9],
      [9, 54.9],
    ]);
  });

  it('lists paid orders incrementally with exact totals, follows them to shipped, and links the shipment', async () => {
    const seller = sandbox.addSeller();
    const client = await authorizedClient(seller.id);
    const item = sandbox.addItem({ title: 'Caneca', price: 19.9, available_quantity: 10 });
    const placed = sandbox.placeOrder({ itemId: item.id, quantity: 3, shippingCost: '10.20' });
    sandbox.payOrder(placed.orderId);

    const since = new Date(sandbox.clock.now() - 3_600_000);
    const [order] = await collect(client.listOrders({ since }));
    expect(order).toMatchObject({
      externalId: String(placed.orderId),
      status: 'paid',
      paymentStatus: 'paid',
    });
    expect(order?.subtotal.amount).toBe('59.70');
    expect(order?.items[0]?.total.amount).toBe('59.70');
    expect(order?.shippingCost?.amount).toBe('10.20');
    expect(order?.total.amount).toBe('69.90');

    sandbox.shipOrder(placed.orderId, { trackingNumber: 'BR000111222' });
    const shipped = await client.getOrder(String(placed.orderId));
    expect(shipped.status).toBe('shipped');
    expect(shipped.trackingNumber).toBe('BR000111222');
    const shipment = await client.getShipment(String(placed.shipmentId));
    expect(shipment).toMatchObject({ status: 'shipped', orderIds: [String(placed.orderId)] });
  });

  it('refreshes an expiring access token once, rotating the refresh token', async () => {
    const seller = sandbox.addSeller();
    const client = await authorizedClient(seller.id);
    const before = await store.get('meli', String(seller.id));
    sandbox.clock.advance(6 * 3_600_000 + 1);
    await client.users.me();
    const after = await store.get('meli', String(seller.id));
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
  });

  it('a revoked grant surfaces as AuthenticationError requiring re-authorization', async () => {
    const seller = sandbox.addSeller();
    const client = await authorizedClient(seller.id);
    sandbox.revokeGrant(seller.id);
    const error = await rejectionOf(client.users.me());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).reauthorizationRequired).toBe(true);
  });

  it('honours the sandbox rate limit with RateLimitError when it persists', async () => {
    const seller = sandbox.addSeller();
    const client = await authorizedClient(seller.id);
    sandbox.setRateLimit({ requestsPerSecond: 0.001, burst: 1 });
    await client.users.me();
    const error = await rejectionOf(client.users.me());
    expect(error).toBeInstanceOf(RateLimitError);
  });

  it('verifies and dedupes the sandbox notifications and names the order to fetch', async () => {
    const seller = sandbox.addSeller();
    const client = await authorizedClient(seller.id);
    const handler = createWebhookHandler({ sources: { meli: meli.webhookSource() } });
    const events: MlhEvent[] = [];
    handler.events.on('order.updated', (event) => events.push(event));
    sandbox.webhooks.configure({ target: (request) => handler.handle(request), duplicates: true });
    const item = sandbox.addItem({ available_quantity: 5 });
    const placed = sandbox.placeOrder({ itemId: item.id, quantity: 1 });
    sandbox.payOrder(placed.orderId);
    const statuses = await sandbox.webhooks.flush();
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((event) => event.dedupeKey)).size).toBe(events.length);
    const order = await client.getOrder(events[0]?.resourceId ?? '');
    expect(order.externalId).toBe(String(placed.orderId));
  });

  it.each([
    ['me1', { trackingNumber: 'OP123456789BR', trackingUrl: 'https://carrier.example/track/OP123456789BR' }],
    ['custom', { trackingNumber: 'TRK-42' }],
  ] as const)('fulfils a %s order with the seller carrier tracking', async (mode, input) => {
    const seller = sandbox.addSeller({ defaultShippingMode: mode });
    const client = await authorizedClient(seller.id);
    const item = sandbox.addItem({ available_quantity: 5 });
    const placed = sandbox.placeOrder({ itemId: item.id, quantity: 1 });
    sandbox.payOrder(placed.orderId);
    const shipment = await client.fulfillOrder(String(placed.orderId), input);
    expect(shipment).toMatchObject({ status: 'shipped', mode: 'seller', orderIds: [String(placed.orderId)] });
    expect(sandbox.getShipment(placed.shipmentId ?? 0)?.tracking_number).toBe(input.trackingNumber);
    expect((await client.getOrder(String(placed.orderId))).status).toBe('shipped');
  });

  it('recovers notifications the app never acknowledged from /missed_feeds', async () => {
    const seller = sandbox.addSeller();
    const client = await authorizedClient(seller.id);
    sandbox.webhooks.configure({ target: () => new Response(null, { status: 500 }) });
    const item = sandbox.addItem({ available_quantity: 5 });
    const placed = sandbox.placeOrder({ itemId: item.id, quantity: 1 });
    sandbox.payOrder(placed.orderId);
    while (sandbox.webhooks.pending > 0) await sandbox.webhooks.flush();
    expect(sandbox.missedFeeds().length).toBeGreaterThan(0);

    const recover = client.recoverMissedEvents;
    if (!recover) throw new Error('MeliClient implements recoverMissedEvents');
    const events = await collect(recover());
    expect(events.length).toBe(sandbox.missedFeeds().length);
    expect(
      events.some((event) => event.type === 'order.updated' && event.resourceId === String(placed.orderId)),
    ).toBe(true);
  });
});

describe('stock writes against the sandbox', () => {
  const calls = (route: string) => sandbox.stats().byPath[route] ?? 0;

  it('keeps a variation added elsewhere: the write reads the item and names every variation', async () => {
    const client = await authorizedClient(sandbox.addSeller().id);
    const created = await client.createProduct(shirt);
    const id = created.externalId ?? '';
    // Another tool adds a size the caller's store does not know yet.
    const withLarge = normalizeProduct({
      ...shirt,
      price: undefined,
      quantity: undefined,
      variants: [
        ...shirt.variants,
        {
          sku: 'TSHIRT-BLK-G',
          price: { amount: '59.90', currency: 'BRL' },
          quantity: 4,
          attributes: { COLOR: 'Preto', SIZE: 'G' },
        },
      ],
    });
    await client.updateProduct(id, { ...withLarge, externalId: id });
    expect(sandbox.getItem(id)?.variations).toHaveLength(3);
    const [reads, puts] = [calls('GET /items/bulk'), calls('PUT /items/:id')];

    const result = await client.updateInventory([
      {
        productExternalId: id,
        variantExternalId: created.variants[0]?.externalId,
        sku: 'TSHIRT-BLK-M',
        quantity: 1,
      },
    ]);

    expect(result.failed).toEqual([]);
    expect([calls('GET /items/bulk') - reads, calls('PUT /items/:id') - puts]).toEqual([1, 1]);
    expect(sandbox.getItem(id)?.variations.map((v) => v.available_quantity)).toEqual([1, 3, 4]);
  });

  it('writes the stock of User Products variants with one PUT each and no read', async () => {
    const client = await authorizedClient(sandbox.addSeller({ userProducts: true }).id);
    const created = await client.createProduct(shirt);
    const [reads, puts] = [calls('GET /items/bulk'), calls('PUT /items/:id')];

    const result = await client.updateInventory(
      created.variants.map((variant) => ({
        productExternalId: created.externalId ?? '',
        variantExternalId: variant.externalId,
        sku: variant.sku,
        quantity: 2,
      })),
    );

    expect(result.failed).toEqual([]);
    expect([calls('GET /items/bulk') - reads, calls('PUT /items/:id') - puts]).toEqual([0, 2]);
    for (const variant of created.variants) {
      expect(sandbox.getItem(variant.externalId ?? '')?.available_quantity).toBe(2);
    }
  });
});
