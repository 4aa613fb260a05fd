import {
  createWebhookHandler,
  MemoryTokenStore,
  type MlhEvent,
  money,
  normalizeProduct,
  type Product,
} from '@mlh/core';
import {
  createSandboxClock,
  createTikTokSandbox,
  type TikTokSandbox,
  type TikTokSandboxOptions,
} from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTikTokShop, WAREHOUSE_LIST_TTL_MS } from '../src/client';
import { sharedClock } from './helpers';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const START = Date.UTC(2026, 0, 5, 12);

/** The adapter and the sandbox share one time: short sleeps move it, long ones (timeouts) never end. */
async function setup(
  options: {
    duplicates?: boolean;
    region?: string;
    sandbox?: TikTokSandboxOptions;
    exchange?: boolean;
    emptyBodySignature?: 'bytes' | 'skipped';
  } = {},
) {
  const events: MlhEvent[] = [];
  const duplicates: MlhEvent[] = [];
  const clock = createSandboxClock({ start: START, frozen: true });
  let handle: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const sandbox: TikTokSandbox = createTikTokSandbox({
    clock,
    webhooks: { target: (request) => handle(request), duplicates: options.duplicates ?? false },
    ...options.sandbox,
  });
  server.use(...sandbox.handlers);
  const store = new MemoryTokenStore();
  const tiktok = createTikTokShop({
    appKey: sandbox.app.appKey,
    appSecret: sandbox.app.appSecret,
    serviceId: sandbox.app.serviceId,
    tokenStore: store,
    clock: sharedClock(clock),
    random: () => 0.5,
    ...(options.emptyBodySignature ? { emptyBodySignature: options.emptyBodySignature } : {}),
  });
  const webhooks = createWebhookHandler({ sources: [tiktok.webhookSource()] });
  webhooks.events.on('event', (event) => events.push(event));
  webhooks.events.on('duplicate', (event) => duplicates.push(event));
  handle = (request) => webhooks.handle(request);
  const shop = sandbox.addShop({ region: options.region ?? 'GB', sellerType: 'LOCAL' });
  if (options.exchange !== false) {
    const { code } = sandbox.authorize({ shopId: shop.id });
    await tiktok.exchangeCode(code);
  }
  return { sandbox, clock, store, tiktok, shop, client: tiktok.forAccount(shop.id), events, duplicates };
}

describe('TikTok adapter against the TikTok Shop sandbox', () => {
  it('authorizes: the code exchange stores the shop tokens with absolute expiries and the shop cipher', async () => {
    const { sandbox, store, shop, tiktok } = await setup();
    expect(tiktok.authorizationUrl({ state: 'xyz' })).toContain(`service_id=${sandbox.app.serviceId}`);
    const stored = await store.get('tiktok', shop.id);
    expect(stored?.expiresAt).toBe(START + 7 * 24 * 3600_000);
    expect(stored?.extra).toMatchObject({ shopCipher: shop.cipher, shopRegion: 'GB' });
    expect(await tiktok.authorizedShops(shop.id)).toEqual([
      expect.objectContaining({ id: shop.id, cipher: shop.cipher }),
    ]);
  });

  it('lists every product across pages, with exact prices and stock', async () => {
    const { sandbox, client, shop } = await setup();
    for (let i = 0; i < 130; i++) {
      sandbox.addProduct({
        shopId: shop.id,
        title: `Mug ${i}`,
        skus: [{ sellerSku: `MUG-${i}`, price: '19.90', stock: i }],
      });
    }
    const products: Product[] = [];
    for await (const product of client.listProducts()) products.push(product);
    expect(products).toHaveLength(130);
    expect(new Set(products.map((p) => p.sku)).size).toBe(130);
    const mug7 = products.find((p) => p.sku === 'MUG-7');
    expect(mug7).toMatchObject({
      status: 'active',
      quantity: 7,
      price: { amount: '19.90', currency: 'GBP' },
    });
    expect(await client.findProductsBySku('MUG-7')).toEqual([expect.objectContaining({ sku: 'MUG-7' })]);
  });

  it('creates a product, then updates its stock and prices, surfacing a per-SKU refusal', async () => {
    const { sandbox, client } = await setup();
    const created = await client.createProduct(
      normalizeProduct({
        sku: 'SOCK',
        title: 'Cotton Ankle Socks',
        description: '<p>Breathable cotton socks.</p>',
        categoryId: '601226',
        images: [],
        price: money('12.99', 'GBP'),
        quantity: 15,
        variants: [
          { sku: 'SOCK-WHT', price: money('12.99', 'GBP'), quantity: 10, attributes: { Color: 'White' } },
          { sku: 'SOCK-BLK', price: money('13.49', 'GBP'), quantity: 5, attributes: { Color: 'Black' } },
        ],
      }),
      {
        marketplaceFields: {
          main_images: [{ uri: 'tos-maliva-i/socks' }],
          package_weight: { value: '0.30', unit: 'KILOGRAM' },
        },
      },
    );
    const productId = created.externalId as string;
    const [white, black] = created.variants;
    expect(sandbox.getProduct(productId)?.skus).toHaveLength(2);
    expect(sandbox.stockOf(white?.externalId as string)).toBe(10);

    const stock = await client.updateInventory([
      { productExternalId: productId, sku: 'SOCK-WHT', quantity: 42 },
      { productExternalId: productId, variantExternalId: 'no-such-sku', quantity: 1 },
    ]);
    expect(stock.succeeded.map((u) => u.quantity)).toEqual([42]);
    expect(stock.failed.map((f) => f.item.variantExternalId)).toEqual(['no-such-sku']);
    expect(sandbox.stockOf(white?.externalId as string)).toBe(42);

    const prices = await client.updatePrices([
      { productExternalId: productId, variantExternalId: black?.externalId, price: money('0.30', 'GBP') },
    ]);
    expect(prices.failed).toEqual([]);
    const fetched = await client.getProduct(productId);
    expect(fetched.variants.find((v) => v.sku === 'SOCK-BLK')?.price).toEqual({
      amount: '0.30',
      currency: 'GBP',
    });
  });

  it('deactivates and reactivates a listing', async () => {
    const { sandbox, client, shop } = await setup();
    const product = sandbox.addProduct({ shopId: shop.id });
    await client.setProductStatus(product.id, 'paused');
    expect(sandbox.getProduct(product.id)?.status).toBe('SELLER_DEACTIVATED');
    expect((await client.getProduct(product.id)).status).toBe('paused');
    await client.setProductStatus(product.id, 'active');
    expect((await client.getProduct(product.id)).status).toBe('active');
  });

  it('syncs orders by update time, maps them exactly, and ships one with the seller carrier', async () => {
    const { sandbox, client, shop, clock } = await setup();
    const product = sandbox.addProduct({
      shopId: shop.id,
      skus: [{ sellerSku: 'MUG', price: '10.10', stock: 5 }],
    });
    const skuId = product.skus[0]?.id as string;
    const since = clock.now();
    const order = sandbox.placeOrder({
      items: [{ skuId, quantity: 3 }],
      shippingType: 'SELLER',
      shippingFee: '2.50',
    });
    sandbox.payOrder(order.id);

    const listed: string[] = [];
    for await (const o of client.listOrders({ since })) listed.push(o.externalId);
    expect(listed).toEqual([order.id]);

    const mapped = await client.getOrder(order.id);
    expect(mapped).toMatchObject({
      status: 'paid',
      rawStatus: 'AWAITING_SHIPMENT',
      paymentStatus: 'paid',
      currency: 'GBP',
    });
    expect(mapped.items).toEqual([
      expect.objectContaining({
        sku: 'MUG',
        quantity: 3,
        unitPrice: { amount: '10.10', currency: 'GBP' },
        total: { amount: '30.30', currency: 'GBP' },
      }),
    ]);
    expect(mapped.shippingCost).toEqual({ amount: '2.50', currency: 'GBP' });

    const shipment = await client.fulfillOrder(order.id, {
      carrier: 'Royal Mail',
      trackingNumber: 'RM123456789GB',
    });
    expect(shipment).toMatchObject({ trackingNumber: 'RM123456789GB', orderIds: [order.id] });
    expect(sandbox.getOrder(order.id)?.status).not.toBe('AWAITING_SHIPMENT');
    expect((await client.getShipment(shipment.externalId)).externalId).toBe(shipment.externalId);
  });

  it('refreshes the access token when it expires, and again on a 105002, replaying the call', async () => {
    const { sandbox, client, shop, clock, store } = await setup();
    sandbox.addProduct({ shopId: shop.id });
    const first = await store.get('tiktok', shop.id);
    clock.advance(8 * 24 * 3600_000);
    const products: Product[] = [];
    for await (const p of client.listProducts()) products.push(p);
    expect(products).toHaveLength(1);
    const second = await store.get('tiktok', shop.id);
    expect(second?.accessToken).not.toBe(first?.accessToken);
    expect(second?.expiresAt).toBe(clock.now() - (clock.now() % 1000) + 7 * 24 * 3600_000);

    // The store believes the token is good for a year; the marketplace says it expired.
    await store.set({
      ...(second as NonNullable<typeof second>),
      expiresAt: clock.now() + 365 * 24 * 3600_000,
    });
    clock.advance(8 * 24 * 3600_000);
    expect((await client.getProducts(products.map((p) => p.externalId as string))).length).toBe(1);
    const third = await store.get('tiktok', shop.id);
    expect(third?.accessToken).not.toBe(second?.accessToken);
  });

  it('receives the order webhooks through the core handler, verified, deduplicated, with cancellations as order.cancelled', async () => {
    const { sandbox, shop, events, duplicates } = await setup({ duplicates: true });
    const product = sandbox.addProduct({ shopId: shop.id });
    const order = sandbox.placeOrder({ items: [{ skuId: product.skus[0]?.id as string }] });
    sandbox.payOrder(order.id);
    sandbox.cancelOrder(order.id, { initiator: 'SELLER' });
    await sandbox.webhooks.flush();
    const orderEvents = events.filter((e) => e.resourceType === 'order');
    expect(orderEvents.map((e) => e.type)).toEqual(['order.created', 'order.updated', 'order.cancelled']);
    expect(orderEvents.every((e) => e.accountId === shop.id && e.resourceId === order.id)).toBe(true);
    expect(duplicates.length).toBeGreaterThanOrEqual(orderEvents.length);
  });
});

describe('TikTok adapter on real-world payloads (sandbox)', () => {
  it('a product whose detail names its status product_status, or gives none, is never taken for inactive', async () => {
    const named = await setup({ sandbox: { productStatusField: 'product_status' } });
    const live = named.sandbox.addProduct({ shopId: named.shop.id });
    expect(await named.client.getProduct(live.id)).toMatchObject({ status: 'active', rawStatus: 'ACTIVATE' });

    const bare = await setup({ sandbox: { productStatusField: 'omitted' } });
    const product = bare.sandbox.addProduct({ shopId: bare.shop.id });
    const read = await bare.client.getProduct(product.id);
    expect(read.status).toBe('unknown');
    expect(read.rawStatus).toBeUndefined();
  });

  it('in a multi-warehouse shop, reads the total and writes a total back without moving the other warehouses', async () => {
    const { sandbox, client, shop } = await setup();
    const main = shop.warehouses[0]?.id as string;
    const extra = sandbox.addWarehouse(shop.id, { name: 'Overflow' }).id;
    const product = sandbox.addProduct({
      shopId: shop.id,
      skus: [{ sellerSku: 'MUG', stock: { [main]: 5, [extra]: 7 } }],
    });
    const skuId = product.skus[0]?.id as string;
    const perWarehouse = () => [sandbox.stockOf(skuId, main), sandbox.stockOf(skuId, extra)];

    const read = await client.getProduct(product.id);
    expect(read.quantity).toBe(12);
    await client.updateInventory([{ productExternalId: product.id, sku: 'MUG', quantity: read.quantity }]);
    expect(perWarehouse()).toEqual([5, 7]);

    await client.updateInventory([{ productExternalId: product.id, sku: 'MUG', quantity: 20 }]);
    expect(perWarehouse()).toEqual([13, 7]);

    // Below what the other warehouse holds: the write warehouse empties, the other gives up the rest.
    const low = await client.updateInventory([{ productExternalId: product.id, sku: 'MUG', quantity: 3 }]);
    expect(low.failed).toEqual([]);
    expect(perWarehouse()).toEqual([0, 3]);
    expect((await client.getProduct(product.id)).quantity).toBe(3);
  });

  it("in a one-warehouse shop, writes stock without reading the product's warehouses first", async () => {
    const { sandbox, client, shop } = await setup();
    const product = sandbox.addProduct({ shopId: shop.id, skus: [{ sellerSku: 'MUG', stock: 5 }] });
    const skuId = product.skus[0]?.id as string;
    const detail = `/product/202309/products/{product_id}`;
    const before = sandbox.stats().byPath[detail] ?? 0;
    const written = await client.updateInventory([
      { productExternalId: product.id, variantExternalId: skuId, quantity: 9 },
    ]);
    expect(written.failed).toEqual([]);
    expect(sandbox.stockOf(skuId, shop.warehouses[0]?.id as string)).toBe(9);
    expect(sandbox.stats().byPath[detail] ?? 0).toBe(before);
  });

  it('notices a warehouse added in Seller Center once the warehouse list is read again, and keeps its units', async () => {
    const { sandbox, client, shop, clock } = await setup();
    const main = shop.warehouses[0]?.id as string;
    const product = sandbox.addProduct({ shopId: shop.id, skus: [{ sellerSku: 'MUG', stock: 5 }] });
    const skuId = product.skus[0]?.id as string;
    const write = (quantity: number) =>
      client.updateInventory([{ productExternalId: product.id, variantExternalId: skuId, quantity }]);
    await write(6);
    const extra = sandbox.addWarehouse(shop.id, { name: 'Overflow' }).id;
    sandbox.setStock(skuId, 7, extra);
    clock.advance(WAREHOUSE_LIST_TTL_MS + 1_000);
    await write(20);
    expect([sandbox.stockOf(skuId, main), sandbox.stockOf(skuId, extra)]).toEqual([13, 7]);
  });

  it('maps a Brazilian address by level name (L2 city, L3 district) and BRL amounts in their scale', async () => {
    const { sandbox, client, shop } = await setup({ region: 'BR' });
    const product = sandbox.addProduct({
      shopId: shop.id,
      skus: [{ sellerSku: 'CAMISA', price: '29.9', stock: 5 }],
    });
    expect((await client.getProduct(product.id)).price).toEqual({ amount: '29.90', currency: 'BRL' });
    const order = sandbox.placeOrder({ items: [{ skuId: product.skus[0]?.id as string, quantity: 2 }] });
    sandbox.payOrder(order.id);
    const mapped = await client.getOrder(order.id);
    expect(mapped.shippingAddress).toMatchObject({
      city: 'São Paulo',
      state: 'São Paulo',
      neighborhood: 'Consolação',
      country: 'BR',
    });
    expect(mapped.items[0]).toMatchObject({
      unitPrice: { amount: '29.90', currency: 'BRL' },
      total: { amount: '59.80', currency: 'BRL' },
    });
  });

  it('returns a created product with its prices in the currency scale', async () => {
    const { client } = await setup({ region: 'BR' });
    const created = await client.createProduct(
      normalizeProduct({
        sku: 'CAMISA',
        title: 'Camisa',
        description: '<p>Algodão.</p>',
        categoryId: '601226',
        price: money('29.9', 'BRL'),
        quantity: 3,
      }),
      {
        marketplaceFields: {
          main_images: [{ uri: 'tos-maliva-i/camisa' }],
          package_weight: { value: '0.30', unit: 'KILOGRAM' },
        },
      },
    );
    expect(created.price).toEqual({ amount: '29.90', currency: 'BRL' });
    expect(created.variants[0]?.price).toEqual({ amount: '29.90', currency: 'BRL' });
    expect((await client.getProduct(created.externalId as string)).price.amount).toBe('29.90');
  });

  it('applies the valid entries of a price batch and fails the invalid ones with their reason', async () => {
    const { sandbox, client, shop } = await setup();
    const product = sandbox.addProduct({
      shopId: shop.id,
      skus: [
        { sellerSku: 'A', price: '10.00', salesAttributes: { Size: 'S' } },
        { sellerSku: 'B', price: '10.00', salesAttributes: { Size: 'M' } },
      ],
    });
    const updates = [
      { productExternalId: product.id, sku: 'A', price: money('12.50', 'GBP') },
      { productExternalId: product.id, sku: 'B', price: money('12.505', 'GBP') },
    ];
    const result = await client.updatePrices(updates);
    expect(result.succeeded).toEqual([updates[0]]);
    expect(result.failed[0]).toMatchObject({ item: updates[1], error: { kind: 'validation' } });
    expect(sandbox.getSku(product.skus[0]?.id as string)?.price.amount).toBe('12.50');
    expect(sandbox.getSku(product.skus[1]?.id as string)?.price.amount).toBe('10.00');
  });

  it('works end to end when every id comes as a bare JSON number, keeping each digit', async () => {
    const { sandbox, client, shop } = await setup({ sandbox: { numericIds: true } });
    const product = sandbox.addProduct({
      shopId: shop.id,
      skus: [{ sellerSku: 'MUG', price: '10.00', stock: 4 }],
    });
    const skuId = product.skus[0]?.id as string;
    const listed: string[] = [];
    for await (const p of client.listProducts()) listed.push(p.externalId as string);
    expect(listed).toEqual([product.id]);
    const read = await client.getProduct(product.id);
    expect(read.variants[0]?.externalId).toBe(skuId);
    const stock = await client.updateInventory([{ productExternalId: product.id, sku: 'MUG', quantity: 9 }]);
    expect(stock.failed).toEqual([]);
    expect(sandbox.stockOf(skuId)).toBe(9);
    const order = sandbox.placeOrder({ items: [{ skuId, quantity: 1 }], shippingType: 'SELLER' });
    sandbox.payOrder(order.id);
    const mapped = await client.getOrder(order.id);
    expect(mapped.externalId).toBe(order.id);
    expect(mapped.items[0]).toMatchObject({ productExternalId: product.id, variantExternalId: skuId });
    const shipment = await client.fulfillOrder(order.id, { carrier: 'Royal Mail', trackingNumber: 'RM1GB' });
    expect(shipment.orderIds).toEqual([order.id]);
  });

  it('signs a search body of {} as sent by default, or leaves it unsigned when told the server does', async () => {
    const search = async (server: 'bytes' | 'skipped', client?: 'bytes' | 'skipped') => {
      const world = await setup({
        sandbox: { emptyBodySignature: server },
        ...(client ? { emptyBodySignature: client } : {}),
      });
      world.sandbox.addProduct({ shopId: world.shop.id });
      const found: Product[] = [];
      for await (const p of world.client.listProducts()) found.push(p);
      return found.length;
    };
    expect(await search('bytes')).toBe(1);
    expect(await search('skipped', 'skipped')).toBe(1);
    await expect(search('skipped')).rejects.toMatchObject({ code: '106001' });
  });

  it('never retries the single-use code exchange: a 5xx or a lost answer is reported as it happened', async () => {
    const { sandbox, tiktok, shop } = await setup({ exchange: false });
    sandbox.faults.inject({ path: '/api/v2/token/get', times: 1, fault: { status: 503 } });
    const first = sandbox.authorize({ shopId: shop.id });
    await expect(tiktok.exchangeCode(first.code)).rejects.toMatchObject({ status: 503 });
    expect(sandbox.stats().byPath['/api/v2/token/get']).toBe(1);

    sandbox.faults.inject({ path: '/api/v2/token/get', times: 1, fault: { lostResponse: true } });
    const second = sandbox.authorize({ shopId: shop.id });
    await expect(tiktok.exchangeCode(second.code)).rejects.toMatchObject({ kind: 'network' });
    expect(sandbox.stats().byPath['/api/v2/token/get']).toBe(2);
  });
});

describe('TikTok Event API (webhook subscriptions per shop) against the sandbox', () => {
  const HOOKS = 'https://app.example.com/webhooks/tiktok';

  it('syncs the shop’s subscriptions, and the shop’s webhooks then go to that address', async () => {
    const { sandbox, client, shop } = await setup();
    await expect(
      client.events.syncShopWebhooks({ ORDER_STATUS_CHANGE: HOOKS, PACKAGE_UPDATE: `${HOOKS}/packages` }),
    ).resolves.toEqual({ updated: ['ORDER_STATUS_CHANGE', 'PACKAGE_UPDATE'], unchanged: [], deleted: [] });
    const listed = await client.events.getShopWebhooks();
    expect(listed).toEqual([
      expect.objectContaining({
        event_type: 'ORDER_STATUS_CHANGE',
        address: HOOKS,
        create_time: START / 1000,
      }),
      expect.objectContaining({ event_type: 'PACKAGE_UPDATE', address: `${HOOKS}/packages` }),
    ]);
    expect(sandbox.webhookSubscriptions(shop.id)).toHaveLength(2);

    const product = sandbox.addProduct({
      shopId: shop.id,
      skus: [{ sellerSku: 'MUG', price: '9.90', stock: 5 }],
    });
    sandbox.placeOrder({ items: [{ skuId: product.skus[0]?.id as string }] });
    await sandbox.webhooks.flush();
    const orderPushes = sandbox.webhooks.log.filter((entry) => entry.body.includes('"type":1,'));
    expect(orderPushes.length).toBeGreaterThan(0);
    expect(orderPushes.every((entry) => entry.url === HOOKS)).toBe(true);
  });

  it('changes only what differs, and prunes only the types it owns', async () => {
    const { client } = await setup();
    await client.events.updateShopWebhook('ORDER_STATUS_CHANGE', HOOKS);
    await client.events.updateShopWebhook('NEW_MESSAGE', 'https://chat.example.com/tts');
    await client.events.updateShopWebhook('PRODUCT_STATUS_CHANGE', HOOKS);
    const result = await client.events.syncShopWebhooks(
      { ORDER_STATUS_CHANGE: HOOKS, RETURN_STATUS_CHANGE: HOOKS },
      { prune: ['PRODUCT_STATUS_CHANGE', 'PACKAGE_UPDATE'] },
    );
    expect(result).toEqual({
      updated: ['RETURN_STATUS_CHANGE'],
      unchanged: ['ORDER_STATUS_CHANGE'],
      deleted: ['PRODUCT_STATUS_CHANGE'],
    });
    const types = (await client.events.getShopWebhooks()).map((hook) => hook.event_type).sort();
    // Another app's (or a person's) NEW_MESSAGE subscription is left alone.
    expect(types).toEqual(['NEW_MESSAGE', 'ORDER_STATUS_CHANGE', 'RETURN_STATUS_CHANGE']);
    // Deleting a type that has no subscription succeeds, as TikTok's does.
    await expect(client.events.deleteShopWebhook('PACKAGE_UPDATE')).resolves.toBeUndefined();
  });

  it('refuses a bad subscription before sending anything, naming each field', async () => {
    const { sandbox, client } = await setup();
    const before = sandbox.stats().requests;
    const error = await client.events
      .syncShopWebhooks(
        {
          ORDER_STATUS_CHANGE: 'http://app.example.com/hooks',
          PACKAGE_UPDATE: `https://x.example.com/${'a'.repeat(255)}`,
        },
        { prune: ['not a type'] },
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      kind: 'validation',
      issues: [
        { path: 'desired.ORDER_STATUS_CHANGE', message: 'must be https' },
        { path: 'desired.PACKAGE_UPDATE', message: 'at most 255 characters' },
        { path: 'prune.0' },
      ],
    });
    await expect(client.events.updateShopWebhook('ORDER_STATUS_CHANGE', 'not a url')).rejects.toMatchObject({
      kind: 'validation',
    });
    expect(sandbox.stats().requests).toBe(before);
  });

  it('reports the sandbox’s refusal of an event type TikTok does not know as a typed error', async () => {
    const { client } = await setup();
    // TikTok adds event types, so the adapter sends any well-formed name and the API's refusal comes back as a ValidationError.
    await expect(client.events.updateShopWebhook('MADE_UP_EVENT', HOOKS)).rejects.toMatchObject({
      kind: 'validation',
      marketplace: 'tiktok',
      code: '36009004',
    });
  });
});
