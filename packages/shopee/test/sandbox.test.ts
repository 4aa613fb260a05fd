import { AuthenticationError, money, normalizeProduct } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type World, world } from './sandbox-world';
import { advanceWhenWaiting, collect, rejectionOf } from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('Shopee adapter against the Shopee sandbox', () => {
  let w: World;
  beforeEach(async () => {
    w = await world(server);
  });

  it('authorizes: the code exchange stored a shop token set', async () => {
    const stored = await w.store.get('shopee', w.shopId);
    expect(stored?.accessToken).toBeTruthy();
    expect(stored?.refreshToken).toBeTruthy();
    expect(stored?.expiresAt).toBeGreaterThan(w.clock.now());
  });

  it('lists products with models, and reads one', async () => {
    const shirt = w.sandbox.addItem({
      shopId: Number(w.shopId),
      name: 'Cotton T-shirt',
      sku: 'TEE',
      tierVariation: [{ name: 'Size', options: ['M', 'L'] }],
      models: [
        { tierIndex: [0], sku: 'TEE-M', price: '19.90', stock: 5 },
        { tierIndex: [1], sku: 'TEE-L', price: '21.50', stock: 2 },
      ],
    });
    w.sandbox.addItem({ shopId: Number(w.shopId), name: 'Mug', sku: 'MUG', price: '29.90', stock: 4 });
    const client = w.shopee.forShop(w.shopId);
    const products = await collect(client.listProducts());
    expect(products).toHaveLength(2);
    const tee = products.find((product) => product.sku === 'TEE');
    expect(tee).toMatchObject({
      externalId: String(shirt.itemId),
      status: 'active',
      quantity: 7,
      price: { amount: '19.90', currency: 'BRL' },
      variants: [
        { sku: 'TEE-M', quantity: 5, attributes: { Size: 'M' } },
        { sku: 'TEE-L', quantity: 2, price: { amount: '21.50', currency: 'BRL' }, attributes: { Size: 'L' } },
      ],
    });
    await expect(client.findProductsBySku('TEE-L')).resolves.toHaveLength(1);
  });

  it('creates a product: downloads and uploads its image, adds the item and its variations', async () => {
    const client = w.shopee.forShop(w.shopId);
    const product = normalizeProduct({
      sku: 'HOODIE',
      title: 'Hoodie',
      description: 'Warm hoodie',
      images: ['https://img.example.com/hoodie.jpg'],
      variants: [
        { sku: 'HOODIE-S', price: money('99.90', 'BRL'), quantity: 3, attributes: { Size: 'S' } },
        { sku: 'HOODIE-M', price: money('109.90', 'BRL'), quantity: 1, attributes: { Size: 'M' } },
      ],
    });
    const created = await client.createProduct(product, {
      marketplaceFields: {
        category_id: 100017,
        weight: '0.5',
        logistic_info: [{ logistic_id: 18080, enabled: true }],
        brand: { brand_id: 0, original_brand_name: 'NoBrand' },
      },
    });
    expect(created).toMatchObject({ title: 'Hoodie', sku: 'HOODIE', quantity: 4 });
    expect(created.variants.map((variant) => [variant.sku, variant.price.amount, variant.quantity])).toEqual([
      ['HOODIE-S', '99.90', 3],
      ['HOODIE-M', '109.90', 1],
    ]);
    const stored = w.sandbox.getItem(created.externalId as string);
    expect(stored?.imageIds).toHaveLength(1);
    expect(w.sandbox.getImage(stored?.imageIds[0] as string)).toBeDefined();
  });

  it('creates a product with variants in two calls: the model ids come from init_tier_variation', async () => {
    const client = w.shopee.forShop(w.shopId);
    const product = normalizeProduct({
      sku: 'CAP',
      title: 'Cap',
      description: 'Cotton cap',
      images: ['https://img.example.com/cap.jpg'],
      variants: [
        { sku: 'CAP-S', price: money('39.90', 'BRL'), quantity: 3, attributes: { Size: 'S' } },
        { sku: 'CAP-L', price: money('42.90', 'BRL'), quantity: 1, attributes: { Size: 'L' } },
      ],
    });
    // The leaf's requirements, read once and cached for 24 h, are not part of the create.
    await client.getCategoryRequirements('100017');
    const before = w.sandbox.stats().requests;
    const created = await client.createProduct(product, {
      marketplaceFields: {
        category_id: 100017,
        weight: '0.2',
        logistic_info: [{ logistic_id: 18080, enabled: true }],
        image: { image_id_list: ['br-cap'] },
      },
    });
    expect(w.sandbox.stats().requests - before).toBe(2);
    const stored = w.sandbox.getItem(created.externalId as string);
    expect(created).toMatchObject({ status: 'active', sku: 'CAP', quantity: 4 });
    expect(created.variants.map((variant) => [variant.sku, variant.externalId])).toEqual(
      stored?.models.map((model) => [model.sku, String(model.modelId)]),
    );
  });

  it('creates a product without variants in one call, its only variant being model 0', async () => {
    const client = w.shopee.forShop(w.shopId);
    const product = normalizeProduct({
      sku: 'MUG',
      title: 'Mug',
      description: 'Ceramic mug',
      images: ['https://img.example.com/mug.jpg'],
      price: money('29.90', 'BRL'),
      quantity: 5,
      status: 'paused',
    });
    // The leaf's requirements, read once and cached for 24 h, are not part of the create.
    await client.getCategoryRequirements('100017');
    const before = w.sandbox.stats().requests;
    const created = await client.createProduct(product, {
      marketplaceFields: {
        category_id: 100017,
        weight: '0.4',
        logistic_info: [{ logistic_id: 18080, enabled: true }],
        image: { image_id_list: ['br-mug'] },
      },
    });
    expect(w.sandbox.stats().requests - before).toBe(1);
    expect(created).toMatchObject({ status: 'paused', rawStatus: 'UNLIST', quantity: 5 });
    expect(created.variants.map((variant) => [variant.sku, variant.externalId])).toEqual([['MUG', '0']]);
  });

  it('updateProduct completes an item whose variations were refused after add_item', async () => {
    const client = w.shopee.forShop(w.shopId);
    const product = normalizeProduct({
      sku: 'HOODIE',
      title: 'Hoodie',
      description: 'Warm hoodie',
      images: ['https://img.example.com/hoodie.jpg'],
      variants: [
        { sku: 'HOODIE-S', price: money('99.90', 'BRL'), quantity: 3, attributes: { Size: 'S' } },
        { sku: 'HOODIE-M', price: money('109.90', 'BRL'), quantity: 1, attributes: { Size: 'M' } },
      ],
    });
    const options = {
      marketplaceFields: {
        category_id: 100017,
        weight: '0.5',
        logistic_info: [{ logistic_id: 18080, enabled: true }],
        image: { image_id_list: ['br-hoodie'] },
      },
    };
    w.sandbox.faults.inject({ path: '/api/v2/product/init_tier_variation', fault: { status: 500 } });
    const partial = await rejectionOf(client.createProduct(product, options));
    w.sandbox.faults.clear();
    expect(partial).toMatchObject({ code: 'partial_create' });
    const [halfMade] = await client.findProductsBySku('HOODIE');
    expect(halfMade?.variants.map((variant) => variant.sku)).toEqual(['HOODIE']);

    const updated = await client.updateProduct(
      halfMade?.externalId as string,
      { ...product, title: 'Warm hoodie' },
      options,
    );
    expect(updated.title).toBe('Warm hoodie');
    expect(updated.variants.map((variant) => [variant.sku, variant.price.amount, variant.quantity])).toEqual([
      ['HOODIE-S', '99.90', 3],
      ['HOODIE-M', '109.90', 1],
    ]);
    // Once the item has its models, a later update leaves them as they are.
    const again = await client.updateProduct(updated.externalId as string, product, options);
    expect(again.variants.map((variant) => variant.externalId)).toEqual(
      updated.variants.map((variant) => variant.externalId),
    );
  });

  it('updates stock and prices, surfacing an unknown model as a failed entry', async () => {
    const tee = w.sandbox.addItem({
      shopId: Number(w.shopId),
      sku: 'TEE',
      tierVariation: [{ name: 'Size', options: ['M', 'L'] }],
      models: [
        { tierIndex: [0], sku: 'TEE-M', price: '19.90', stock: 5 },
        { tierIndex: [1], sku: 'TEE-L', price: '21.50', stock: 2 },
      ],
    });
    const itemId = String(tee.itemId);
    const [m, l] = tee.models;
    const client = w.shopee.forShop(w.shopId);
    const stock = await client.updateInventory([
      { productExternalId: itemId, variantExternalId: String(m?.modelId), quantity: 9 },
      { productExternalId: itemId, sku: 'TEE-L', quantity: 0 },
      { productExternalId: itemId, variantExternalId: '123', quantity: 1 },
    ]);
    expect(stock.succeeded).toHaveLength(2);
    expect(stock.failed.map((failure) => failure.item.variantExternalId)).toEqual(['123']);
    const prices = await client.updatePrices([
      { productExternalId: itemId, variantExternalId: String(l?.modelId), price: money('24.90', 'BRL') },
    ]);
    expect(prices.failed).toEqual([]);
    const after = w.sandbox.getItem(tee.itemId);
    expect(after?.models.map((model) => [model.stock, String(model.price)])).toEqual([
      [9, '19.9'],
      [0, '24.9'],
    ]);
  });

  it('pauses and reactivates a listing', async () => {
    const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 4 });
    const client = w.shopee.forShop(w.shopId);
    await client.setProductStatus(String(mug.itemId), 'paused');
    expect(w.sandbox.getItem(mug.itemId)?.status).toBe('UNLIST');
    await client.setProductStatus(String(mug.itemId), 'active');
    await expect(client.getProduct(String(mug.itemId))).resolves.toMatchObject({ status: 'active' });
  });

  it('ingests orders by polling and by push, ships one with the seller’s tracking number, cancels another', async () => {
    const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 10 });
    const client = w.shopee.forShop(w.shopId);
    const since = w.clock.now();
    const first = await w.sandbox.placeOrder({
      shopId: Number(w.shopId),
      items: [{ itemId: mug.itemId, quantity: 2 }],
      shippingFee: '5.00',
    });
    await w.sandbox.payOrder(first.orderSn);
    const second = await w.sandbox.placeOrder({
      shopId: Number(w.shopId),
      items: [{ itemId: mug.itemId, quantity: 1 }],
      logisticsChannelId: 90000,
    });
    await w.sandbox.payOrder(second.orderSn);
    await w.sandbox.webhooks.flush();
    await w.clock.advance(60_000);

    const orders = await collect(client.listOrders({ since }));
    const byId = new Map(orders.map((order) => [order.externalId, order]));
    expect(byId.get(first.orderSn)).toMatchObject({
      status: 'paid',
      rawStatus: 'READY_TO_SHIP',
      items: [
        {
          productExternalId: String(mug.itemId),
          quantity: 2,
          unitPrice: { amount: '29.90', currency: 'BRL' },
        },
      ],
      subtotal: { amount: '59.80', currency: 'BRL' },
      total: { amount: '64.80', currency: 'BRL' },
      shippingCost: { amount: '5.00', currency: 'BRL' },
    });
    expect(w.events.filter((event) => event.resourceId === first.orderSn).map((event) => event.type)).toEqual(
      ['order.created', 'order.updated'],
    );

    const shipment = await client.fulfillOrder(second.orderSn, {
      method: 'seller',
      trackingNumber: 'BR123456789',
    });
    expect(shipment).toMatchObject({
      orderIds: [second.orderSn],
      trackingNumber: 'BR123456789',
      mode: 'seller',
    });
    await expect(client.getShipment(shipment.externalId)).resolves.toMatchObject({
      trackingNumber: 'BR123456789',
    });

    const pickup = await client.fulfillOrder(first.orderSn, { method: 'pickup' });
    expect(pickup.status).toBe('ready_to_ship');
    expect(pickup.trackingNumber).toBeTruthy();

    const third = await w.sandbox.placeOrder({
      shopId: Number(w.shopId),
      items: [{ itemId: mug.itemId, quantity: 1 }],
    });
    await w.sandbox.payOrder(third.orderSn);
    await client.cancelOrder?.(third.orderSn);
    await expect(client.getOrder(third.orderSn)).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('refreshes an expired access token through the token manager and keeps working', async () => {
    const before = await w.store.get('shopee', w.shopId);
    await w.clock.advance(4 * 3_600_000);
    const client = w.shopee.forShop(w.shopId);
    await collect(client.listProducts());
    const after = await w.store.get('shopee', w.shopId);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    await collect(client.listProducts());
  });

  it('a reused refresh token is refused: the shop must authorize again', async () => {
    const stale = await w.store.get('shopee', w.shopId);
    await w.clock.advance(4 * 3_600_000);
    await collect(w.shopee.forShop(w.shopId).listProducts());
    // Simulate a lost write: the store goes back to the old, already-used refresh token.
    await w.store.set({ ...(stale as NonNullable<typeof stale>), expiresAt: w.clock.now() - 1 });
    const pending = rejectionOf(collect(w.shopee.forShop(w.shopId).listProducts()));
    await advanceWhenWaiting(w.clock, 1_000);
    const error = await pending;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).reauthorizationRequired).toBe(true);
  });
});

describe('ids beyond 2^53 against the sandbox', () => {
  it('reads, writes and reads back items and models whose ids exceed Number.MAX_SAFE_INTEGER', async () => {
    const w = await world(server, { bigIds: true });
    const tee = w.sandbox.addItem({
      shopId: Number(w.shopId),
      sku: 'BIG',
      tierVariation: [{ name: 'Size', options: ['M'] }],
      models: [{ tierIndex: [0], sku: 'BIG-M', price: '10.00', stock: 1 }],
    });
    const itemId = String(tee.itemId);
    const modelId = String(tee.models[0]?.modelId);
    expect(BigInt(itemId)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    const client = w.shopee.forShop(w.shopId);
    const product = await client.getProduct(itemId);
    expect(product.externalId).toBe(itemId);
    expect(product.variants[0]?.externalId).toBe(modelId);
    const result = await client.updateInventory([
      { productExternalId: itemId, variantExternalId: modelId, quantity: 6 },
    ]);
    expect(result.failed).toEqual([]);
    expect(w.sandbox.getItem(tee.itemId)?.models[0]?.stock).toBe(6);
  });
});
