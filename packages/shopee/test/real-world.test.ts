import { MemoryTokenStore, money, PermissionError } from '@mlh/core';
import { createShopee, ShopeePartialUpdateError } from '@mlh/shopee';
import { makeShopeePushRequest } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACK_URL, type World, world } from './sandbox-world';
import { collect, rejectionOf } from './support';

/** Behaviour of real Shopee payloads and deliveries, played by the sandbox (issue #15). */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DAY_MS = 86_400_000;

describe('Shopee pushes as delivered', () => {
  let w: World;
  beforeEach(async () => {
    w = await world(server);
  });

  it('an expiry warning naming several shops and a merchant is one event per account', async () => {
    await w.sandbox.webhooks.flush();
    w.events.length = 0;
    const main = 77_001;
    const a = w.sandbox.addShop({ region: 'BR', mainAccountId: main });
    const b = w.sandbox.addShop({ region: 'BR', mainAccountId: main });
    const merchant = w.sandbox.addMerchant({ region: 'BR', mainAccountId: main });
    await w.sandbox.authorize({ partnerId: w.partnerId, mainAccountId: main });
    await w.sandbox.webhooks.flush();
    const granted = w.events.filter((event) => event.type === 'authorization.granted');
    expect(granted.map((event) => event.accountId)).toEqual([
      String(a.shopId),
      String(b.shopId),
      `merchant:${merchant.merchantId}`,
    ]);

    // The first shop's own grant (from the world) expires too: everything is 365 days old soon.
    await w.clock.advance(360 * DAY_MS);
    const warned = await w.sandbox.warnExpiringGrants(w.partnerId);
    expect(warned.shopIds).toHaveLength(3);
    expect(await w.sandbox.webhooks.flush()).toEqual([200]);
    const expiring = w.events.filter((event) => event.type === 'authorization.expiring');
    expect(expiring.map((event) => event.accountId).sort()).toEqual(
      [w.shopId, String(a.shopId), String(b.shopId), `merchant:${merchant.merchantId}`].sort(),
    );
  });

  it('a correctly signed push whose body is not JSON is acknowledged (2xx) as an unparsed delivery', async () => {
    const request = await makeShopeePushRequest({
      url: CALLBACK_URL,
      partnerKey: w.partnerKey,
      body: 'code=3&ordersn=2401019ABCDEFG',
    });
    const response = await w.webhooks.handle(request);
    expect(response.status).toBe(200);
    expect(w.events).toContainEqual(
      expect.objectContaining({ type: 'unknown', topic: 'unparsed', raw: 'code=3&ordersn=2401019ABCDEFG' }),
    );
  });

  it('a push older than the replay window is refused as stale, one inside it is accepted', async () => {
    const failures: string[] = [];
    w.webhooks.events.on('verificationFailed', (failure) => failures.push(failure.reason));
    const push = (ageMs: number) =>
      makeShopeePushRequest({
        url: CALLBACK_URL,
        partnerKey: w.partnerKey,
        body: {
          data: { items: [], ordersn: `OLD${ageMs}`, status: 'READY_TO_SHIP', update_time: 1 },
          shop_id: Number(w.shopId),
          code: 3,
          timestamp: Math.floor((w.clock.now() - ageMs) / 1000),
        },
      });
    expect((await w.webhooks.handle(await push(2 * DAY_MS))).status).toBe(401);
    expect(failures).toEqual(['stale']);
    expect((await w.webhooks.handle(await push(3_600_000))).status).toBe(200);
  });
});

describe("the app's credentials refused", () => {
  let w: World;
  beforeEach(async () => {
    w = await world(server);
  });

  it.each([
    ['a wrong partner key (error_sign)', { partnerKey: 'shpk-not-the-key' }],
    ['a partner id unknown in this environment', { partnerId: 4_000_000_001 }],
  ])('%s fails without spending the single-use refresh token', async (_name, wrong) => {
    const tokens = await w.store.get('shopee', w.shopId);
    const store = new MemoryTokenStore();
    await store.set(tokens as NonNullable<typeof tokens>);
    const shopee = createShopee({
      partnerId: w.partnerId,
      partnerKey: w.partnerKey,
      ...wrong,
      environment: 'sandbox',
      tokenStore: store,
      clock: w.clock,
      random: () => 0,
      circuitBreaker: false,
    });
    const error = await rejectionOf(collect(shopee.forShop(w.shopId).listProducts()));
    expect(error).toBeInstanceOf(PermissionError);
    expect(w.sandbox.stats().byPath['/api/v2/auth/access_token/get']).toBeUndefined();
    await expect(store.get('shopee', w.shopId)).resolves.toEqual(tokens);
    // The right credentials still work with the untouched tokens.
    await expect(collect(w.shopee.forShop(w.shopId).listProducts())).resolves.toEqual([]);
  });
});

describe('stock and price batches against the sandbox', () => {
  let w: World;
  beforeEach(async () => {
    w = await world(server);
  });

  function bigItem() {
    const sizes = Array.from({ length: 12 }, (_, index) => `S${index}`);
    const colours = Array.from({ length: 10 }, (_, index) => `C${index}`);
    return w.sandbox.addItem({
      shopId: Number(w.shopId),
      sku: 'BIG',
      tierVariation: [
        { name: 'Size', options: sizes },
        { name: 'Colour', options: colours },
      ],
      models: sizes.flatMap((_size, s) =>
        colours.map((_colour, c) => ({ tierIndex: [s, c], sku: `BIG-${s}-${c}`, price: '10.00', stock: 1 })),
      ),
    });
  }

  it('invalid entries are failed with their reason while the valid ones are applied', async () => {
    const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 4 });
    const client = w.shopee.forShop(w.shopId);
    const prices = [
      { productExternalId: 'not-an-id', price: money('10.00', 'BRL') },
      { productExternalId: String(mug.itemId), price: money('19.999', 'BRL') },
      { productExternalId: String(mug.itemId), price: money('24.90', 'BRL') },
    ];
    const result = await client.updatePrices(prices);
    expect(result.succeeded).toEqual([prices[2]]);
    expect(result.failed.map((failure) => failure.item)).toEqual([prices[0], prices[1]]);
    expect(w.sandbox.getItem(mug.itemId)?.price).toBe('24.9');
    const stock = await client.updateInventory([
      { productExternalId: String(mug.itemId), quantity: 1.5 },
      { productExternalId: String(mug.itemId), quantity: 9 },
    ]);
    expect(stock.failed).toHaveLength(1);
    expect(w.sandbox.getItem(mug.itemId)?.stock).toBe(9);
  });

  it('when the second of three calls fails, the first and third are applied and reported so', async () => {
    const item = bigItem();
    const client = w.shopee.forShop(w.shopId);
    w.sandbox.faults.inject({
      path: '/api/v2/product/update_price',
      nth: 2,
      fault: {
        status: 200,
        body: { request_id: 'r', error: 'product.error_item_locked', message: 'Item is being edited.' },
      },
    });
    const updates = item.models.map((model) => ({
      productExternalId: String(item.itemId),
      variantExternalId: String(model.modelId),
      price: money('12.50', 'BRL'),
    }));
    const result = await client.updatePrices(updates);
    expect(result.succeeded).toEqual([...updates.slice(0, 50), ...updates.slice(100)]);
    expect(result.failed.map((failure) => failure.item)).toEqual(updates.slice(50, 100));
    expect(result.failed[0]?.error.code).toBe('product.error_item_locked');
    const prices = w.sandbox.getItem(item.itemId)?.models.map((model) => model.price) ?? [];
    expect(prices.slice(0, 50).every((price) => price === '12.5')).toBe(true);
    expect(prices.slice(50, 100).every((price) => price === '10')).toBe(true);
    expect(prices.slice(100).every((price) => price === '12.5')).toBe(true);
  });

  it('raw updateStock over 50 models says which entries were applied when its second call fails', async () => {
    const item = bigItem();
    const client = w.shopee.forShop(w.shopId);
    w.sandbox.faults.inject({
      path: '/api/v2/product/update_stock',
      nth: 2,
      fault: {
        status: 200,
        body: { request_id: 'r', error: 'product.error_item_locked', message: 'Item is being edited.' },
      },
    });
    const entries = item.models.map((model) => ({
      modelId: String(model.modelId),
      sellerStock: [{ stock: 7 }],
    }));
    const error = await rejectionOf(client.products.updateStock(String(item.itemId), entries));

    expect(error).toBeInstanceOf(ShopeePartialUpdateError);
    const partial = error as ShopeePartialUpdateError;
    expect(partial.code).toBe('partial_update');
    expect(partial.cause).toMatchObject({ code: 'product.error_item_locked' });
    expect(partial.applied.success_list?.map((entry) => String(entry.model_id))).toEqual(
      entries.slice(0, 50).map((entry) => entry.modelId),
    );
    expect(partial.notApplied).toEqual(entries.slice(50));
    const stock = w.sandbox.getItem(item.itemId)?.models.map((model) => model.stock) ?? [];
    expect(stock.slice(0, 50).every((value) => value === 7)).toBe(true);
    expect(stock.slice(50).every((value) => value === 1)).toBe(true);
  });

  it("raw updatePrice whose first call fails throws that call's own error", async () => {
    const item = bigItem();
    const client = w.shopee.forShop(w.shopId);
    w.sandbox.faults.inject({
      path: '/api/v2/product/update_price',
      nth: 1,
      fault: {
        status: 200,
        body: { request_id: 'r', error: 'product.error_item_locked', message: 'Item is being edited.' },
      },
    });
    const entries = item.models.map((model) => ({ modelId: String(model.modelId), originalPrice: '12.50' }));
    const error = await rejectionOf(client.products.updatePrice(String(item.itemId), entries));
    expect(error).not.toBeInstanceOf(ShopeePartialUpdateError);
    expect(error).toMatchObject({ code: 'product.error_item_locked' });
    expect(w.sandbox.getItem(item.itemId)?.models.every((model) => model.price === '10')).toBe(true);
  });
});

describe('a market whose currency has no decimals (Vietnam)', () => {
  it('reads VND amounts without decimals and refuses a VND price with decimals rather than rounding it', async () => {
    const w = await world(server, { region: 'VN' });
    const tee = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'TEE', price: '150000', stock: 3 });
    const client = w.shopee.forShop(w.shopId);
    await expect(client.getProduct(String(tee.itemId))).resolves.toMatchObject({
      price: { amount: '150000', currency: 'VND' },
    });
    const result = await client.updatePrices([
      { productExternalId: String(tee.itemId), price: money('149999.5', 'VND') },
    ]);
    expect(result.failed[0]?.error.message).toMatch(/whole VND/);
    expect(w.sandbox.getItem(tee.itemId)?.price).toBe('150000');
  });
});

describe('Brazilian fiscal data (NF-e)', () => {
  it('a Brazilian shop’s orders carry the buyer CPF and invoice data, and its items their tax info, in raw', async () => {
    const w = await world(server);
    const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 5 });
    const order = await w.sandbox.placeOrder({
      shopId: Number(w.shopId),
      items: [{ itemId: mug.itemId, quantity: 1 }],
      buyerCpfId: '52998224725',
    });
    const client = w.shopee.forShop(w.shopId, { market: 'BR' });
    const read = await client.getOrder(order.orderSn);
    expect((read.raw as { buyer_cpf_id?: string }).buyer_cpf_id).toBe('52998224725');
    const product = await client.getProduct(String(mug.itemId));
    expect((product.raw as { item: { tax_info?: { ncm?: string } } }).item.tax_info?.ncm).toBe('61091000');
  });

  it('without configuration, the client learns the shop is Brazilian from its first payload', async () => {
    const w = await world(server);
    const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 5 });
    const order = await w.sandbox.placeOrder({
      shopId: Number(w.shopId),
      items: [{ itemId: mug.itemId, quantity: 1 }],
    });
    const client = w.shopee.forShop(w.shopId);
    const read = await client.getOrder(order.orderSn);
    expect(read.raw).toHaveProperty('buyer_cpf_id');
    const product = await client.getProduct(String(mug.itemId));
    expect(product.raw).toMatchObject({ item: { tax_info: { ncm: '61091000' } } });
  });

  it('a shop elsewhere is not asked for Brazilian fields', async () => {
    const w = await world(server, { region: 'SG' });
    const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 5 });
    const order = await w.sandbox.placeOrder({
      shopId: Number(w.shopId),
      items: [{ itemId: mug.itemId, quantity: 1 }],
    });
    const client = w.shopee.forShop(w.shopId);
    await client.getOrder(order.orderSn);
    await client.getProduct(String(mug.itemId));
    expect(w.sandbox.stats().byPath['/api/v2/order/get_order_detail']).toBe(1);
    expect(w.sandbox.stats().byPath['/api/v2/product/get_item_base_info']).toBe(1);
  });
});

describe('masked recipient addresses', () => {
  it('keeps the unmasked parts of a partly masked address and drops the masked ones', async () => {
    const w = await world(server);
    const mug = w.sandbox.addItem({ shopId: Number(w.shopId), sku: 'MUG', price: '29.90', stock: 5 });
    const order = await w.sandbox.placeOrder({
      shopId: Number(w.shopId),
      items: [{ itemId: mug.itemId, quantity: 1 }],
      recipient: {
        name: 'M****a',
        phone: '******21',
        fullAddress: 'R** ****** 1**, Centro, São Paulo, SP, 01001-000',
        district: 'Centro',
        city: 'São Paulo',
        state: 'SP',
        zipcode: '01001-000',
      },
    });
    const read = await w.shopee.forShop(w.shopId).getOrder(order.orderSn);
    expect(read.shippingAddress).toEqual({
      full: 'Centro, São Paulo, SP, 01001-000',
      neighborhood: 'Centro',
      city: 'São Paulo',
      state: 'SP',
      postalCode: '01001-000',
      country: 'BR',
    });
  });
});
