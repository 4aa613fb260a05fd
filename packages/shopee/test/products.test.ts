import { ConflictError, money, NotFoundError, normalizeProduct, ValidationError } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, fail, fakeShopee, makeShopee, rawJson, rejectionOf, SHOP_ID } from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const simpleItem = (id: number | string, extra: Record<string, unknown> = {}) => ({
  item_id: id,
  item_name: `Item ${id}`,
  item_sku: `SKU-${id}`,
  item_status: 'NORMAL',
  description: 'A thing',
  category_id: 100017,
  has_model: false,
  create_time: 1768000000,
  update_time: 1768000500,
  image: { image_url_list: [`https://cf.shopee.sg/file/${id}`], image_id_list: [`img-${id}`] },
  price_info: [{ currency: 'BRL', original_price: 59.9, current_price: 49.9 }],
  stock_info_v2: { seller_stock: [{ stock: 7 }], summary_info: { total_available_stock: 7 } },
  ...extra,
});

describe('catalogue reads', () => {
  it('pages get_item_list by next_offset with the status key repeated, then reads base info in batches of 50', async () => {
    const { shopee } = await makeShopee();
    const ids = Array.from({ length: 120 }, (_, index) => 1000 + index);
    const fake = fakeShopee(server, {
      '/api/v2/product/get_item_list': (request) => {
        const offset = Number(request.query.get('offset'));
        const size = Number(request.query.get('page_size'));
        const page = ids.slice(offset, offset + size);
        return {
          item: page.map((id) => ({ item_id: id, item_status: 'NORMAL' })),
          total_count: ids.length,
          has_next_page: offset + size < ids.length,
          next_offset: offset + size,
        };
      },
      '/api/v2/product/get_item_base_info': (request) => ({
        item_list: (request.query.get('item_id_list') ?? '').split(',').map((id) => simpleItem(id)),
      }),
    });
    const products = await collect(
      shopee.forShop(SHOP_ID, { market: 'BR' }).listProducts({ status: ['active', 'paused'] }),
    );
    expect(products).toHaveLength(120);
    const lists = fake.of('/api/v2/product/get_item_list');
    expect(lists.map((r) => r.query.get('offset'))).toEqual(['0', '100']);
    expect(lists[0]?.query.getAll('item_status')).toEqual(['NORMAL', 'UNLIST']);
    expect(lists.every((r) => r.query.get('page_size') === '100')).toBe(true);
    const batches = fake
      .of('/api/v2/product/get_item_base_info')
      .map((r) => r.query.get('item_id_list')?.split(','));
    expect(batches.map((batch) => batch?.length)).toEqual([50, 50, 20]);
    expect(
      fake.of('/api/v2/product/get_item_base_info').every((r) => r.query.get('need_tax_info') === 'true'),
    ).toBe(true);
  });

  it('passes update-time windows in seconds', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/get_item_list': () => ({ item: [], has_next_page: false }),
    });
    await collect(
      shopee
        .forShop(SHOP_ID)
        .listProducts({ updatedSince: '2026-01-01T00:00:00Z', updatedUntil: 1767312000_000 }),
    );
    const [request] = fake.received;
    expect(request?.query.get('update_time_from')).toBe('1767225600');
    expect(request?.query.get('update_time_to')).toBe('1767312000');
    expect(request?.query.getAll('item_status')).toEqual(['NORMAL', 'UNLIST', 'REVIEWING', 'BANNED']);
  });

  it('maps an item with models: one variant per model with its tier attributes, seller stock and list price', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/product/get_item_base_info': () =>
        rawJson(
          `{"error":"","response":{"item_list":[{"item_id":9007199254740993,"item_name":"Tee","item_sku":"TEE","item_status":"UNLIST","has_model":true,"description":"Cotton","category_id":100017,"image":{"image_url_list":["https://cf.shopee.sg/file/a"]},"attribute_list":[{"attribute_id":100061,"original_attribute_name":"Material","attribute_value_list":[{"value_id":0,"original_value_name":"Cotton"}]}]}]}}`,
        ),
      '/api/v2/product/get_model_list': () =>
        rawJson(
          `{"error":"","response":{"tier_variation":[{"name":"Size","option_list":[{"option":"M"},{"option":"L"}]}],"model":[{"model_id":9007199254740995,"tier_index":[0],"model_sku":"TEE-M","price_info":[{"currency":"BRL","original_price":59.9,"current_price":39.9}],"stock_info_v2":{"seller_stock":[{"location_id":"BRZ","stock":3},{"location_id":"BRX","stock":2}]}},{"model_id":9007199254740997,"tier_index":[1],"model_sku":"","price_info":[{"currency":"BRL","original_price":64.9}],"stock_info_v2":{"summary_info":{"total_available_stock":4}}}]}}`,
        ),
    });
    const product = await shopee.forShop(SHOP_ID).getProduct('9007199254740993');
    expect(product).toMatchObject({
      externalId: '9007199254740993',
      accountId: SHOP_ID,
      title: 'Tee',
      sku: 'TEE',
      status: 'paused',
      rawStatus: 'UNLIST',
      categoryId: '100017',
      attributes: { Material: 'Cotton' },
      price: { amount: '59.90', currency: 'BRL' },
      quantity: 9,
      variants: [
        { sku: 'TEE-M', externalId: '9007199254740995', quantity: 5, attributes: { Size: 'M' } },
        {
          sku: '9007199254740993:9007199254740997',
          externalId: '9007199254740997',
          price: { amount: '64.90', currency: 'BRL' },
          quantity: 4,
          attributes: { Size: 'L' },
        },
      ],
    });
  });

  it('an unknown item is NotFoundError; findProductsBySku finds products by item or model SKU', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/product/get_item_base_info': (request) => ({
        item_list: (request.query.get('item_id_list') ?? '')
          .split(',')
          .filter((id) => id !== '404')
          .map((id) => simpleItem(id)),
      }),
      '/api/v2/product/get_item_list': () => ({
        item: [{ item_id: 1 }, { item_id: 2 }],
        has_next_page: false,
      }),
    });
    const client = shopee.forShop(SHOP_ID);
    await expect(client.getProduct('404')).rejects.toBeInstanceOf(NotFoundError);
    const found = await client.findProductsBySku('SKU-2');
    expect(found.map((product) => product.externalId)).toEqual(['2']);
  });
});

describe('stock and price batches', () => {
  it('updates stock per item in calls of at most 50 models, and surfaces per-model failures of a 200 with error ""', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/update_stock': (request) => {
        const body = JSON.parse(request.body) as { stock_list: { model_id: number }[] };
        return {
          failure_list: body.stock_list
            .filter((entry) => entry.model_id === 7)
            .map((entry) => ({ model_id: entry.model_id, failed_reason: 'stock less than reserved stock' })),
          success_list: body.stock_list.filter((entry) => entry.model_id !== 7),
        };
      },
    });
    const updates = [
      ...Array.from({ length: 120 }, (_, index) => ({
        productExternalId: '1000',
        variantExternalId: String(index + 1),
        quantity: index,
      })),
      { productExternalId: '2000', quantity: 5 },
    ];
    const result = await shopee.forShop(SHOP_ID).updateInventory(updates);
    const calls = fake.of('/api/v2/product/update_stock').map((r) => JSON.parse(r.body));
    expect(calls.map((call) => [call.item_id, call.stock_list.length])).toEqual([
      [1000, 50],
      [1000, 50],
      [1000, 20],
      [2000, 1],
    ]);
    expect(calls[3].stock_list).toEqual([{ model_id: 0, seller_stock: [{ stock: 5 }] }]);
    expect(result.succeeded).toHaveLength(120);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]?.item).toEqual(updates[6]);
    expect(result.failed[0]?.error).toBeInstanceOf(ConflictError);
    expect(result.failed[0]?.error.message).toContain('stock less than reserved stock');
  });

  it('an item-level refusal fails that item only; the other items still go', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/product/update_price': (request) => {
        const body = JSON.parse(request.body) as { item_id: number };
        if (body.item_id === 1) {
          return Response.json({
            request_id: 'x',
            error: 'product.error_cannot_update_price_in_promotion',
            message: 'locked by promotion',
          });
        }
        return { failure_list: [], success_list: [{ model_id: 0, original_price: 10 }] };
      },
    });
    const result = await shopee.forShop(SHOP_ID).updatePrices([
      { productExternalId: '1', price: money('10.00', 'BRL') },
      { productExternalId: '2', price: money('19.90', 'BRL') },
    ]);
    expect(result.succeeded.map((update) => update.productExternalId)).toEqual(['2']);
    expect(result.failed.map((failure) => failure.error.code)).toEqual([
      'product.error_cannot_update_price_in_promotion',
    ]);
  });

  it('writes prices as exact decimals and big model ids as exact integers', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/update_price': () => ({ failure_list: [], success_list: [] }),
    });
    await shopee.forShop(SHOP_ID).updatePrices([
      {
        productExternalId: '9007199254740993',
        variantExternalId: '9007199254740995',
        price: money('0.30', 'BRL'),
      },
    ]);
    expect(fake.received[0]?.body).toBe(
      '{"item_id":9007199254740993,"price_list":[{"model_id":9007199254740995,"original_price":0.30}]}',
    );
  });

  it('resolves a variant by SKU through get_model_list', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/get_model_list': () => ({ model: [{ model_id: 11, model_sku: 'TEE-M' }] }),
      '/api/v2/product/update_stock': () => ({ failure_list: [] }),
    });
    const result = await shopee.forShop(SHOP_ID).updateInventory([
      { productExternalId: '5', sku: 'TEE-M', quantity: 3 },
      { productExternalId: '5', sku: 'TEE-XL', quantity: 1 },
    ]);
    expect(JSON.parse(fake.of('/api/v2/product/update_stock')[0]?.body ?? '{}').stock_list).toEqual([
      { model_id: 11, seller_stock: [{ stock: 3 }] },
    ]);
    expect(result.failed[0]?.error).toBeInstanceOf(NotFoundError);
  });

  it('an invalid entry goes to failed with its reason; the valid entries are applied', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/update_stock': () => ({ failure_list: [], success_list: [] }),
    });
    const updates = [
      { productExternalId: 'abc', quantity: 1 },
      { productExternalId: '1', quantity: -1 },
      { productExternalId: '2', quantity: 4 },
    ];
    const result = await shopee.forShop(SHOP_ID).updateInventory(updates);
    expect(result.succeeded).toEqual([updates[2]]);
    expect(result.failed.map((failure) => failure.item)).toEqual([updates[0], updates[1]]);
    expect(result.failed.every((failure) => failure.error instanceof ValidationError)).toBe(true);
    expect(result.failed.map((failure) => (failure.error as ValidationError).issues[0]?.path)).toEqual([
      'productExternalId',
      'quantity',
    ]);
    expect(fake.received.map((request) => JSON.parse(request.body).item_id)).toEqual([2]);
  });

  it('a chunk whose call fails is reported for its own models: earlier chunks applied, later ones still sent', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/update_price': (_request, call) =>
        call === 2 ? fail('product.error_busy_item', 'item is being edited', 200) : { failure_list: [] },
    });
    const updates = Array.from({ length: 120 }, (_, index) => ({
      productExternalId: '1000',
      variantExternalId: String(index + 1),
      price: money('10.00', 'BRL'),
    }));
    const result = await shopee.forShop(SHOP_ID).updatePrices(updates);
    expect(fake.of('/api/v2/product/update_price')).toHaveLength(3);
    expect(result.succeeded).toEqual([...updates.slice(0, 50), ...updates.slice(100)]);
    expect(result.failed.map((failure) => failure.item)).toEqual(updates.slice(50, 100));
    expect(result.failed[0]?.error.code).toBe('product.error_busy_item');
  });

  it('refuses prices more precise than the market takes instead of rounding them', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/update_price': () => ({ failure_list: [] }),
    });
    const updates = [
      { productExternalId: '1', price: money('19.999', 'BRL') },
      { productExternalId: '2', price: money('15000.50', 'VND') },
      { productExternalId: '3', price: money('120.5', 'THB') },
      { productExternalId: '4', price: money('120.00', 'THB') },
      { productExternalId: '5', price: money('19.90', 'BRL') },
    ];
    const result = await shopee.forShop(SHOP_ID).updatePrices(updates);
    expect(result.succeeded).toEqual([updates[3], updates[4]]);
    expect(result.failed.map((failure) => failure.error.message)).toEqual([
      expect.stringContaining('at most 2 decimals'),
      expect.stringContaining('whole VND'),
      expect.stringContaining('whole THB'),
    ]);
    expect(fake.received.map((request) => JSON.parse(request.body).item_id)).toEqual([4, 5]);
  });
});

describe('listing writes', () => {
  it('unlists and relists through unlist_item, and reports a refusal', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/unlist_item': (request) => {
        const body = JSON.parse(request.body) as { item_list: { item_id: number; unlist: boolean }[] };
        const item = body.item_list[0];
        return item?.item_id === 9
          ? { failure_list: [{ item_id: 9, failed_reason: 'item is reviewing' }], success_list: [] }
          : { failure_list: [], success_list: body.item_list };
      },
    });
    const client = shopee.forShop(SHOP_ID);
    await client.setProductStatus('1', 'paused');
    await client.setProductStatus('1', 'active');
    expect(fake.received.map((r) => r.body)).toEqual([
      '{"item_list":[{"item_id":1,"unlist":true}]}',
      '{"item_list":[{"item_id":1,"unlist":false}]}',
    ]);
    await expect(client.setProductStatus('9', 'paused')).rejects.toThrow(/item is reviewing/);
    await expect(client.setProductStatus('1', 'inactive')).rejects.toBeInstanceOf(ValidationError);
  });

  it('creates a product with variants: add_item, then init_tier_variation from the variant attributes', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/add_item': () => ({ item_id: 777 }),
      '/api/v2/product/init_tier_variation': () => ({ item_id: 777, model: [] }),
      '/api/v2/product/get_item_base_info': () => ({ item_list: [simpleItem(777)] }),
    });
    const product = normalizeProduct({
      sku: 'TEE',
      title: 'Tee',
      description: 'Cotton tee',
      images: ['https://img.example.com/tee.jpg'],
      variants: [
        { sku: 'TEE-M', price: money('59.90', 'BRL'), quantity: 3, attributes: { Size: 'M' } },
        { sku: 'TEE-L', price: money('64.90', 'BRL'), quantity: 2, attributes: { Size: 'L' } },
      ],
    });
    const created = await shopee.forShop(SHOP_ID).createProduct(product, {
      validateRequirements: false,
      marketplaceFields: {
        category_id: 100017,
        weight: '0.3',
        logistic_info: [{ logistic_id: 18025, enabled: true }],
        image: { image_id_list: ['img-1'] },
      },
    });
    expect(created.externalId).toBe('777');
    const addItem = JSON.parse(fake.of('/api/v2/product/add_item')[0]?.body ?? '{}');
    expect(addItem).toMatchObject({
      item_name: 'Tee',
      description: 'Cotton tee',
      original_price: 59.9,
      weight: 0.3,
      category_id: 100017,
      item_sku: 'TEE',
      image: { image_id_list: ['img-1'] },
      logistic_info: [{ logistic_id: 18025, enabled: true }],
    });
    expect(fake.of('/api/v2/product/add_item')[0]?.body).toContain('"original_price":59.90');
    expect(JSON.parse(fake.of('/api/v2/product/init_tier_variation')[0]?.body ?? '{}')).toEqual({
      item_id: 777,
      tier_variation: [{ name: 'Size', option_list: [{ option: 'M' }, { option: 'L' }] }],
      model: [
        { tier_index: [0], original_price: 59.9, model_sku: 'TEE-M', seller_stock: [{ stock: 3 }] },
        { tier_index: [1], original_price: 64.9, model_sku: 'TEE-L', seller_stock: [{ stock: 2 }] },
      ],
    });
  });

  it('reads a created item back only when init_tier_variation does not name a model id for every variant', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/product/add_item': () => ({ item_id: 778, item_status: 'NORMAL' }),
      // One model is missing from the answer: its id is unknown without a read.
      '/api/v2/product/init_tier_variation': () => ({
        item_id: 778,
        model: [{ model_id: 9001, tier_index: [0], model_sku: 'TEE-M' }],
      }),
      '/api/v2/product/get_item_base_info': () => ({ item_list: [simpleItem(778)] }),
    });
    const product = normalizeProduct({
      sku: 'TEE',
      title: 'Tee',
      description: 'Cotton tee',
      images: ['https://img.example.com/tee.jpg'],
      variants: [
        { sku: 'TEE-M', price: money('59.90', 'BRL'), quantity: 3, attributes: { Size: 'M' } },
        { sku: 'TEE-L', price: money('64.90', 'BRL'), quantity: 2, attributes: { Size: 'L' } },
      ],
    });
    const created = await shopee.forShop(SHOP_ID).createProduct(product, {
      validateRequirements: false,
      marketplaceFields: {
        category_id: 100017,
        weight: '0.3',
        logistic_info: [{ logistic_id: 18025, enabled: true }],
        image: { image_id_list: ['img-1'] },
      },
    });
    expect(created.externalId).toBe('778');
    expect(fake.of('/api/v2/product/get_item_base_info').length).toBeGreaterThan(0);
  });

  it('refuses to create without the fields add_item requires, naming them, before any request', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {});
    const product = normalizeProduct({ sku: 'MUG', title: 'Mug', price: money('29.90', 'BRL'), quantity: 5 });
    const error = await rejectionOf(shopee.forShop(SHOP_ID).createProduct(product));
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'description',
      'images',
      'marketplaceFields.category_id',
      'marketplaceFields.weight',
      'marketplaceFields.logistic_info',
    ]);
    expect(fake.received).toHaveLength(0);
  });
});
