import { MlhError, money, NotFoundError, normalizeProduct, type Product, ValidationError } from '@mlh/core';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { TIKTOK_CAPABILITIES, TikTokBatchError, tiktokInventoryRows } from '../src/index';
import { API, CIPHER, fail, inspect, makeShop, ok, type Seen, SHOP_ID, useServer } from './helpers';

const server = useServer();

function summary(id: string, sku: string, status = 'ACTIVATE') {
  return {
    id,
    title: `Product ${id}`,
    status,
    create_time: 1700000000,
    update_time: 1700000100,
    skus: [
      {
        id: `${id}-s1`,
        seller_sku: sku,
        price: { currency: 'USD', sale_price: '19.90' },
        inventory: [{ warehouse_id: 'wh-1', quantity: 7 }],
      },
    ],
  };
}

function productSearch(
  pages: Record<string, { products: unknown[]; next_page_token?: string }>,
  seen: Seen[],
) {
  return http.post(`${API}/product/202309/products/search`, async ({ request }) => {
    const entry = await inspect(request, seen);
    const page = pages[entry.url.searchParams.get('page_token') ?? 'first'];
    return page ? ok({ ...page, total_count: 3 }) : fail(36009004, 'page_token invalid', 400);
  });
}

describe('listProducts: paging with page tokens', () => {
  it('follows next_page_token until it is empty, at the maximum page size', async () => {
    const seen: Seen[] = [];
    server.use(
      productSearch(
        {
          first: { products: [summary('1', 'A'), summary('2', 'B')], next_page_token: 'tok-2' },
          'tok-2': { products: [summary('3', 'C')], next_page_token: '' },
        },
        seen,
      ),
    );
    const { client } = await makeShop();
    const ids: string[] = [];
    for await (const product of client.listProducts()) ids.push(product.externalId as string);
    expect(ids).toEqual(['1', '2', '3']);
    expect(seen.map((s) => s.url.searchParams.get('page_token'))).toEqual([null, 'tok-2']);
    expect(seen.map((s) => s.url.searchParams.get('page_size'))).toEqual(['100', '100']);
    expect(seen.every((s) => s.signatureValid)).toBe(true);
  });

  it('stops with an error when a page token comes back again instead of looping forever', async () => {
    const seen: Seen[] = [];
    server.use(
      productSearch(
        {
          first: { products: [summary('1', 'A')], next_page_token: 'tok-2' },
          'tok-2': { products: [summary('2', 'B')], next_page_token: 'tok-3' },
          'tok-3': { products: [summary('3', 'C')], next_page_token: 'tok-2' },
        },
        seen,
      ),
    );
    const { client } = await makeShop();
    const ids: string[] = [];
    const error = await (async () => {
      for await (const product of client.listProducts()) ids.push(product.externalId as string);
    })().catch((e: unknown) => e);
    expect(ids).toEqual(['1', '2', '3']);
    expect(error).toBeInstanceOf(MlhError);
    expect(error).toMatchObject({ code: 'repeated_page_token' });
    expect(seen).toHaveLength(3);
  });

  it('filters by status and update time on the server (product times use _le)', async () => {
    const seen: Seen[] = [];
    server.use(productSearch({ first: { products: [summary('1', 'A')] } }, seen));
    const { client } = await makeShop();
    const products: Product[] = [];
    for await (const p of client.listProducts({
      status: 'active',
      updatedSince: 1_700_000_000_000,
      updatedUntil: new Date(1_700_003_600_000),
      pageSize: 500,
    })) {
      products.push(p);
    }
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({
      status: 'ACTIVATE',
      update_time_ge: 1700000000,
      update_time_le: 1700003600,
    });
    expect(seen[0]?.url.searchParams.get('page_size')).toBe('100');
    expect(products[0]).toMatchObject({
      status: 'active',
      price: { amount: '19.90', currency: 'USD' },
      quantity: 7,
    });
  });

  /** Product details as TikTok returns them: the summary plus the product's own SKU. */
  function productDetails(details: Record<string, unknown>) {
    return http.get(`${API}/product/202309/products/:id`, ({ params }) => {
      const detail = details[String(params.id)];
      return detail ? ok(detail) : fail(36009009, 'product not exist', 404);
    });
  }

  it('findProductsBySku searches seller_skus and keeps only real matches', async () => {
    const seen: Seen[] = [];
    server.use(
      productSearch({ first: { products: [summary('1', 'MUG-1'), summary('2', 'MUG-10')] } }, seen),
      productDetails({ '1': summary('1', 'MUG-1'), '2': summary('2', 'MUG-10') }),
    );
    const { client } = await makeShop();
    const found = await client.findProductsBySku('MUG-1');
    expect(found.map((p) => p.externalId)).toEqual(['1']);
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ seller_skus: ['MUG-1'] });
  });

  it('findProductsBySku finds a product with variants by a variant SKU and gives its own SKU; its product SKU cannot be searched', async () => {
    const mug = {
      ...summary('7', 'MUG-RED'),
      external_product_id: 'MUG',
      skus: [
        { ...summary('7', 'MUG-RED').skus[0]!, id: '7-red' },
        { ...summary('7', 'MUG-BLUE').skus[0]!, id: '7-blue' },
      ],
    };
    server.use(
      http.post(`${API}/product/202309/products/search`, async ({ request }) => {
        const { seller_skus: skus = [] } = (await request.json()) as { seller_skus?: string[] };
        // TikTok matches seller_skus against the SKUs' seller_sku only.
        const hit = mug.skus.some((sku) => skus.includes(sku.seller_sku));
        return ok({
          products: hit ? [{ ...summary('7', 'MUG-RED'), skus: mug.skus }] : [],
          total_count: hit ? 1 : 0,
        });
      }),
      productDetails({ '7': mug }),
    );
    const { client } = await makeShop();
    const [found] = await client.findProductsBySku('MUG-BLUE');
    expect(found).toMatchObject({ externalId: '7', sku: 'MUG' });
    expect(found?.variants.map((variant) => variant.sku)).toEqual(['MUG-RED', 'MUG-BLUE']);
    await expect(client.findProductsBySku('MUG')).resolves.toEqual([]);
  });
});

describe('batch calls: per-item failures reported with code 0 are surfaced', () => {
  it('updateInventory returns the SKUs TikTok refused as failed, the rest as succeeded', async () => {
    const seen: Seen[] = [];
    server.use(
      http.get(`${API}/product/202309/products/p1`, () =>
        ok({
          ...summary('p1', 'A'),
          skus: [
            { id: 'sku-a', seller_sku: 'A', price: { currency: 'USD', sale_price: '1.00' }, inventory: [] },
            { id: 'sku-b', seller_sku: 'B', price: { currency: 'USD', sale_price: '1.00' }, inventory: [] },
          ],
        }),
      ),
      http.post(`${API}/product/202309/products/:id/inventory/update`, async ({ request }) => {
        await inspect(request, seen);
        return ok({
          errors: [
            {
              code: 12052990,
              message: 'batch inventory update error',
              detail: { sku_id: 'sku-b', extra_errors: [{ code: 12052700, message: 'quantity too large' }] },
            },
          ],
        });
      }),
    );
    const { client } = await makeShop();
    const updates = [
      { productExternalId: 'p1', variantExternalId: 'sku-a', quantity: 5 },
      { productExternalId: 'p1', variantExternalId: 'sku-b', quantity: 999999 },
    ];
    const result = await client.updateInventory(updates);
    expect(result.succeeded).toEqual([updates[0]]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]?.item).toBe(updates[1]);
    expect(result.failed[0]?.error).toMatchObject({ code: '12052990', requestId: 'req-ok' });
    expect(result.failed[0]?.error.message).toContain('batch inventory update error');
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({
      skus: [
        { id: 'sku-a', inventory: [{ warehouse_id: 'wh-1', quantity: 5 }] },
        { id: 'sku-b', inventory: [{ warehouse_id: 'wh-1', quantity: 999999 }] },
      ],
    });
    expect(seen[0]?.url.pathname).toBe('/product/202309/products/p1/inventory/update');
  });

  it('resolves SKU ids from seller SKUs; an unknown SKU fails alone without a request', async () => {
    const seen: Seen[] = [];
    server.use(
      http.get(`${API}/product/202309/products/p2`, () =>
        ok({
          ...summary('p2', 'RED'),
          skus: [
            {
              id: 'sku-red',
              seller_sku: 'RED',
              price: { currency: 'USD', sale_price: '1.00' },
              inventory: [],
            },
            {
              id: 'sku-blue',
              seller_sku: 'BLUE',
              price: { currency: 'USD', sale_price: '1.00' },
              inventory: [],
            },
          ],
        }),
      ),
      http.post(`${API}/product/202309/products/:id/inventory/update`, async ({ request }) => {
        await inspect(request, seen);
        return ok({});
      }),
    );
    const { client } = await makeShop();
    const result = await client.updateInventory([
      { productExternalId: 'p2', sku: 'BLUE', quantity: 3 },
      { productExternalId: 'p2', sku: 'GREEN', quantity: 3 },
    ]);
    expect(result.succeeded.map((u) => u.sku)).toEqual(['BLUE']);
    expect(result.failed.map((f) => [f.item.sku, f.error.constructor])).toEqual([['GREEN', NotFoundError]]);
    expect(JSON.parse(seen[0]?.body ?? '{}').skus).toEqual([
      { id: 'sku-blue', inventory: [{ warehouse_id: 'wh-1', quantity: 3 }] },
    ]);
  });

  it('a whole call refused fails all of its items; another product still goes through', async () => {
    server.use(
      http.post(`${API}/product/202309/products/:id/prices/update`, ({ params }) =>
        params.id === 'bad' ? fail(12052217, 'product is frozen') : ok({}),
      ),
    );
    const { client } = await makeShop();
    const result = await client.updatePrices([
      { productExternalId: 'bad', variantExternalId: 's1', price: money('10.00', 'USD') },
      { productExternalId: 'good', variantExternalId: 's2', price: money('10.10', 'USD') },
    ]);
    expect(result.succeeded.map((u) => u.productExternalId)).toEqual(['good']);
    expect(result.failed[0]?.error).toBeInstanceOf(ValidationError);
    expect(result.failed[0]?.error.message).toContain('product is frozen');
  });

  it('updatePrices sends the decimal strings exactly', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(`${API}/product/202309/products/:id/prices/update`, async ({ request }) => {
        await inspect(request, seen);
        return ok({});
      }),
    );
    const { client } = await makeShop();
    await client.updatePrices([
      { productExternalId: 'p', variantExternalId: 's1', price: { amount: '0.30', currency: 'USD' } },
      {
        productExternalId: 'p',
        variantExternalId: 's2',
        price: { amount: '12345678901234.10', currency: 'USD' },
      },
    ]);
    expect(seen[0]?.body).toBe(
      '{"skus":[{"id":"s1","price":{"amount":"0.30","currency":"USD"}},{"id":"s2","price":{"amount":"12345678901234.10","currency":"USD"}}]}',
    );
  });

  it('an invalid update fails alone with its reason, before any request; the valid ones are applied', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(`${API}/product/202309/products/:id/prices/update`, async ({ request }) => {
        await inspect(request, seen);
        return ok({});
      }),
    );
    const { client } = await makeShop();
    const stock = await client.updateInventory([
      { productExternalId: 'p', variantExternalId: 's', quantity: -1 },
    ]);
    expect(stock.succeeded).toEqual([]);
    expect(stock.failed[0]?.error).toBeInstanceOf(ValidationError);
    expect(stock.failed[0]?.error).toMatchObject({ issues: [expect.objectContaining({ path: 'quantity' })] });
    const updates = [
      { productExternalId: 'p', variantExternalId: 's1', price: { amount: '1,50', currency: 'USD' } },
      { productExternalId: 'p', variantExternalId: 's2', price: { amount: '19.999', currency: 'USD' } },
      { productExternalId: 'p', variantExternalId: 's3', price: { amount: '0.00', currency: 'USD' } },
      { productExternalId: 'p', variantExternalId: 's4', price: { amount: '19.90', currency: 'USD' } },
    ];
    const prices = await client.updatePrices(updates);
    expect(prices.succeeded).toEqual([updates[3]]);
    expect(prices.failed.map((f) => [f.item, (f.error as ValidationError).issues[0]?.path])).toEqual([
      [updates[0], 'price.amount'],
      [updates[1], 'price.amount'],
      [updates[2], 'price.amount'],
    ]);
    expect(prices.failed[1]?.error.message).toContain('19.999 USD has more than 2 decimals');
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]?.body ?? '{}').skus.map((s: { id: string }) => s.id)).toEqual(['s4']);
  });

  it('setProductStatus throws a TikTokBatchError listing the refusal', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(`${API}/product/202309/products/activate`, async ({ request }) => {
        await inspect(request, seen);
        return ok({
          errors: [{ code: 12052023, message: 'product audit failed', detail: { product_id: 'p1' } }],
        });
      }),
      http.post(`${API}/product/202309/products/deactivate`, () => ok({})),
    );
    const { client } = await makeShop();
    const error = await client.setProductStatus('p1', 'active').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikTokBatchError);
    expect((error as TikTokBatchError).errors).toHaveLength(1);
    expect((error as Error).message).toContain('product audit failed');
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ product_ids: ['p1'] });
    await expect(client.setProductStatus('p1', 'paused')).resolves.toBeUndefined();
    await expect(client.setProductStatus('p1', 'inactive')).rejects.toThrow(ValidationError);
  });
});

describe('createProduct', () => {
  const product = normalizeProduct({
    sku: 'SOCK',
    title: 'Cotton Ankle Socks',
    description: '<p>Breathable cotton socks.</p>',
    categoryId: '601226',
    images: ['https://img.example.com/socks.jpg'],
    price: money('12.99', 'GBP'),
    quantity: 15,
    variants: [
      { sku: 'SOCK-WHT', price: money('12.99', 'GBP'), quantity: 10, attributes: { Color: 'White' } },
      { sku: 'SOCK-BLK', price: money('13.49', 'GBP'), quantity: 5, attributes: { Color: 'Black' } },
    ],
  });
  const fields = { package_weight: { value: '0.30', unit: 'KILOGRAM' } };

  it('uploads the images first, then creates with their uris, and returns the new ids', async () => {
    const seen: Seen[] = [];
    server.use(
      http.get('https://img.example.com/socks.jpg', () =>
        HttpResponse.arrayBuffer(new Uint8Array([0xff, 0xd8, 0xff]).buffer, {
          headers: { 'content-type': 'image/jpeg' },
        }),
      ),
      http.post(`${API}/product/202309/images/upload`, async ({ request }) => {
        await inspect(request, seen);
        const form = await request.formData();
        expect(form.get('use_case')).toBe('MAIN_IMAGE');
        expect(form.get('data')).toBeInstanceOf(Blob);
        return ok({
          uri: 'tos-maliva-i/socks',
          url: 'https://p16/socks',
          width: 800,
          height: 800,
          use_case: 'MAIN_IMAGE',
        });
      }),
      http.post(`${API}/product/202309/products`, async ({ request }) => {
        await inspect(request, seen);
        return ok({
          product_id: '1729592969712207008',
          skus: [
            { id: 'sku-w', seller_sku: 'SOCK-WHT' },
            { id: 'sku-b', seller_sku: 'SOCK-BLK' },
          ],
          warnings: [{ message: 'brand cleared' }],
        });
      }),
    );
    const { client } = await makeShop();
    const created = await client.createProduct(product, {
      marketplaceFields: fields,
      validateRequirements: false,
    });
    expect(seen.map((s) => s.url.pathname)).toEqual([
      '/product/202309/images/upload',
      '/product/202309/products',
    ]);
    expect(seen.every((s) => s.signatureValid)).toBe(true);
    expect(seen[1]?.url.searchParams.get('shop_cipher')).toBe(CIPHER);
    const body = JSON.parse(seen[1]?.body ?? '{}');
    expect(body.main_images).toEqual([{ uri: 'tos-maliva-i/socks' }]);
    expect(body.package_weight).toEqual({ value: '0.30', unit: 'KILOGRAM' });
    expect(body.skus[1]).toEqual({
      seller_sku: 'SOCK-BLK',
      price: { amount: '13.49', currency: 'GBP' },
      inventory: [{ warehouse_id: 'wh-1', quantity: 5 }],
      sales_attributes: [{ name: 'Color', value_name: 'Black' }],
    });
    expect(created).toMatchObject({
      externalId: '1729592969712207008',
      marketplace: 'tiktok',
      accountId: SHOP_ID,
      rawStatus: 'PENDING',
      status: 'inactive',
    });
    expect(created.variants.map((v) => v.externalId)).toEqual(['sku-w', 'sku-b']);
  });

  it('refuses an incomplete product before uploading or creating anything', async () => {
    const { client } = await makeShop();
    const missingWeight = await client.createProduct(product).catch((e: unknown) => e);
    expect(missingWeight).toBeInstanceOf(ValidationError);
    expect((missingWeight as ValidationError).issues.map((i) => i.path)).toContain('package_weight');
    const bad = await client
      .createProduct({ ...product, categoryId: undefined, description: '' } as unknown as Product, {
        marketplaceFields: fields,
      })
      .catch((e: unknown) => e);
    expect((bad as ValidationError).issues.map((i) => i.path).sort()).toEqual(['categoryId', 'description']);
  });

  it('refuses a price more precise than its currency instead of rounding it', async () => {
    const { client } = await makeShop();
    const tooPrecise = {
      ...product,
      variants: product.variants.map((v) => ({ ...v, price: money('19.999', 'USD') })),
    };
    expect(client.validateProduct(tooPrecise)).toContainEqual(
      expect.objectContaining({
        path: 'variants.0.price.amount',
        message: '19.999 USD has more than 2 decimals',
      }),
    );
    await expect(client.createProduct(tooPrecise, { marketplaceFields: fields })).rejects.toThrow(
      ValidationError,
    );
  });
});

describe('updateProduct', () => {
  it('replaces the product keeping its SKU ids and its already uploaded images', async () => {
    const seen: Seen[] = [];
    server.use(
      http.get(`${API}/product/202309/products/p9`, () =>
        ok({
          id: 'p9',
          title: 'Old title',
          status: 'ACTIVATE',
          main_images: [{ uri: 'tos/old', urls: ['https://p16.example.com/old.jpg'] }],
          skus: [
            { id: 'sku-9', seller_sku: 'MUG', price: { currency: 'USD', sale_price: '5.00' }, inventory: [] },
          ],
        }),
      ),
      http.put(`${API}/product/202309/products/p9`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ product_id: 'p9', skus: [{ id: 'sku-9', seller_sku: 'MUG' }] });
      }),
    );
    const { client } = await makeShop();
    const updated = await client.updateProduct(
      'p9',
      normalizeProduct({
        sku: 'MUG',
        title: 'New title',
        description: '<p>A mug</p>',
        categoryId: '600100',
        images: ['https://p16.example.com/old.jpg'],
        price: money('6.50', 'USD'),
        quantity: 4,
      }),
      { marketplaceFields: { package_weight: { value: '0.4', unit: 'KILOGRAM' } } },
    );
    const body = JSON.parse(seen[0]?.body ?? '{}');
    expect(body.main_images).toEqual([{ uri: 'tos/old' }]);
    expect(body.skus).toEqual([
      {
        id: 'sku-9',
        seller_sku: 'MUG',
        price: { amount: '6.50', currency: 'USD' },
        inventory: [{ warehouse_id: 'wh-1', quantity: 4 }],
      },
    ]);
    expect(updated).toMatchObject({
      externalId: 'p9',
      status: 'active',
      rawStatus: 'ACTIVATE',
      title: 'New title',
    });
    expect(updated.variants[0]?.externalId).toBe('sku-9');
  });
});

describe('orders', () => {
  const order = (id: string, status = 'AWAITING_SHIPMENT') => ({
    id,
    status,
    create_time: 1700000000,
    update_time: 1700000100,
    paid_time: 1700000050,
    payment: { currency: 'USD', sub_total: '10.00', shipping_fee: '0', tax: '0', total_amount: '10.00' },
    line_items: [
      { id: `${id}-l1`, product_id: 'p1', sku_id: 's1', sale_price: '10.00', original_price: '10.00' },
    ],
    packages: [{ id: `${id}-pkg` }],
  });

  it('listOrders searches by update time ascending, with the status filter, following page tokens', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(`${API}/order/202309/orders/search`, async ({ request }) => {
        const entry = await inspect(request, seen);
        return entry.url.searchParams.get('page_token') === 'next'
          ? ok({ orders: [order('2', 'UNPAID')] })
          : ok({ orders: [order('1', 'UNPAID')], next_page_token: 'next' });
      }),
    );
    const { client } = await makeShop();
    const ids: string[] = [];
    for await (const o of client.listOrders({
      since: 1_700_000_000_000,
      until: 1_700_086_400_000,
      status: 'pending',
    })) {
      ids.push(o.externalId);
    }
    expect(ids).toEqual(['1', '2']);
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({
      order_status: 'UNPAID',
      update_time_ge: 1700000000,
      update_time_lt: 1700086400,
    });
    expect(seen[0]?.url.searchParams.get('sort_field')).toBe('update_time');
    expect(seen[0]?.url.searchParams.get('sort_order')).toBe('ASC');
    expect(seen[1]?.url.searchParams.get('page_token')).toBe('next');
  });

  it('listOrders includes an order updated in the same second as `until` (whole seconds, bound rounded up)', async () => {
    const seen: Seen[] = [];
    const orders = [
      { ...order('before', 'AWAITING_SHIPMENT'), update_time: 1700086399 },
      { ...order('same-second', 'AWAITING_SHIPMENT'), update_time: 1700086400 },
      { ...order('after', 'AWAITING_SHIPMENT'), update_time: 1700086401 },
    ];
    server.use(
      http.post(`${API}/order/202309/orders/search`, async ({ request }) => {
        const entry = await inspect(request, seen);
        const filter = JSON.parse(entry.body ?? '{}') as { update_time_ge: number; update_time_lt: number };
        // TikTok's own filter: update_time_ge inclusive, update_time_lt exclusive, in seconds.
        return ok({
          orders: orders.filter(
            (o) => o.update_time >= filter.update_time_ge && o.update_time < filter.update_time_lt,
          ),
        });
      }),
    );
    const { client } = await makeShop();
    const ids: string[] = [];
    // `until` is 400 ms into second 1700086400; the order updated at 1700086400 s was made before it or with it.
    for await (const o of client.listOrders({ since: 1_700_000_000_000, until: 1_700_086_400_400 })) {
      ids.push(o.externalId);
    }
    expect(ids).toEqual(['before', 'same-second']);
    expect(JSON.parse(seen[0]?.body ?? '{}')).toMatchObject({ update_time_lt: 1700086401 });
  });

  it('filters several core statuses on the client side', async () => {
    server.use(
      http.post(`${API}/order/202309/orders/search`, () =>
        ok({ orders: [order('1', 'UNPAID'), order('2', 'IN_TRANSIT'), order('3', 'CANCELLED')] }),
      ),
    );
    const { client } = await makeShop();
    const statuses: string[] = [];
    for await (const o of client.listOrders({ status: ['shipped', 'cancelled'], by: 'created' }))
      statuses.push(o.rawStatus);
    expect(statuses).toEqual(['IN_TRANSIT', 'CANCELLED']);
  });

  it('getOrders fetches details in batches of at most 50 comma-joined ids and keeps the order asked', async () => {
    const batches: string[][] = [];
    server.use(
      http.get(`${API}/order/202309/orders`, ({ request }) => {
        const ids = (new URL(request.url).searchParams.get('ids') ?? '').split(',');
        batches.push(ids);
        return ok({ orders: ids.filter((id) => id !== '7').map((id) => order(id)) });
      }),
    );
    const { client } = await makeShop();
    const ids = Array.from({ length: 120 }, (_, i) => String(120 - i));
    const orders = await client.getOrders(ids);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(orders.map((o) => o.externalId)).toEqual(ids.filter((id) => id !== '7'));
    await expect(client.getOrder('7')).rejects.toThrow(NotFoundError);
  });

  it('cancelOrder sends the seller cancellation', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(`${API}/return_refund/202309/cancellations`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ cancel_id: 'c1', cancel_status: 'CANCELLATION_REQUEST_COMPLETE' });
      }),
    );
    const { client } = await makeShop();
    await client.cancelOrder('576', 'seller_cancel_out_of_stock');
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({
      order_id: '576',
      cancel_reason: 'seller_cancel_out_of_stock',
    });
    expect(TIKTOK_CAPABILITIES.cancelOrder).toBe(true);
  });
});

describe('fulfillOrder', () => {
  const pkg = (id: string) => ({
    package_id: id,
    package_status: 'PROCESSING',
    orders: [{ id: '576' }],
    shipping_type: 'SELLER',
    tracking_number: '1Z999',
    shipping_provider_name: 'UPS',
  });

  function orderWith(packages: Array<{ id: string }>) {
    return http.get(`${API}/order/202309/orders`, () =>
      ok({
        orders: [
          {
            id: '576',
            status: 'AWAITING_SHIPMENT',
            create_time: 1700000000,
            delivery_option_id: 'do-1',
            line_items: [
              { id: 'li-1', product_id: 'p', sku_id: 's', sale_price: '1.00' },
              { id: 'li-2', product_id: 'p', sku_id: 's', sale_price: '1.00' },
            ],
            packages,
          },
        ],
      }),
    );
  }

  it('ships the existing package with the seller carrier, resolving the carrier name to its provider id', async () => {
    const seen: Seen[] = [];
    server.use(
      orderWith([{ id: 'pkg-1' }]),
      http.get(`${API}/logistics/202309/delivery_options/do-1/shipping_providers`, () =>
        ok({
          shipping_providers: [
            { id: '7117858858072016686', name: 'UPS' },
            { id: '1', name: 'USPS' },
          ],
        }),
      ),
      http.post(`${API}/fulfillment/202309/packages/pkg-1/ship`, async ({ request }) => {
        await inspect(request, seen);
        return ok({});
      }),
      http.get(`${API}/fulfillment/202309/packages/pkg-1`, () => ok(pkg('pkg-1'))),
    );
    const { client } = await makeShop();
    const shipment = await client.fulfillOrder('576', { carrier: 'ups', trackingNumber: '1Z999' });
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({
      self_shipment: { shipping_provider_id: '7117858858072016686', tracking_number: '1Z999' },
    });
    expect(shipment).toMatchObject({
      externalId: 'pkg-1',
      status: 'ready_to_ship',
      trackingNumber: '1Z999',
      mode: 'seller',
    });
  });

  it('marks the order shipped (creating its package) when it has no package yet', async () => {
    const seen: Seen[] = [];
    server.use(
      orderWith([]),
      http.post(`${API}/fulfillment/202309/orders/576/packages`, async ({ request }) => {
        await inspect(request, seen);
        return ok({ order_id: '576', package_id: 'pkg-new', order_line_item_ids: ['li-1', 'li-2'] });
      }),
      http.get(`${API}/fulfillment/202309/packages/pkg-new`, () => ok(pkg('pkg-new'))),
    );
    const { client } = await makeShop();
    const shipment = await client.fulfillOrder('576', {
      carrier: '7117858858072016686',
      trackingNumber: '1Z999',
    });
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({
      order_line_item_ids: ['li-1', 'li-2'],
      shipping_provider_id: '7117858858072016686',
      tracking_number: '1Z999',
    });
    expect(shipment.externalId).toBe('pkg-new');
  });

  it('arranges a TikTok pickup', async () => {
    const seen: Seen[] = [];
    server.use(
      orderWith([{ id: 'pkg-1' }]),
      http.post(`${API}/fulfillment/202309/packages/pkg-1/ship`, async ({ request }) => {
        await inspect(request, seen);
        return ok({});
      }),
      http.get(`${API}/fulfillment/202309/packages/pkg-1`, () =>
        ok({ ...pkg('pkg-1'), shipping_type: 'TIKTOK' }),
      ),
    );
    const { client } = await makeShop();
    const shipment = await client.fulfillOrder('576', { method: 'pickup' });
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ handover_method: 'PICKUP' });
    expect(shipment.mode).toBe('marketplace');
  });

  it('refuses to guess: neither a tracking number nor a method', async () => {
    const { client } = await makeShop();
    const error = await client.fulfillOrder('576', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toBe('method');
    await expect(client.fulfillOrder('576', { trackingNumber: '1Z' })).rejects.toThrow(/carrier/);
  });

  it('package search pages at most 50 and maps packages to shipments', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(`${API}/fulfillment/202309/packages/search`, async ({ request }) => {
        await inspect(request, seen);
        return ok({
          packages: [{ id: 'pkg-1', status: 'PROCESSING', orders: [{ id: '576' }] }],
          next_page_token: '',
        });
      }),
    );
    const { client } = await makeShop();
    const page = await client.fulfillment.searchPackages({
      pageSize: 100,
      filter: { package_status: 'PROCESSING' },
    });
    expect(seen[0]?.url.searchParams.get('page_size')).toBe('50');
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ package_status: 'PROCESSING' });
    expect(page.nextPageToken).toBeUndefined();
    expect(page.packages.map((p) => p.id)).toEqual(['pkg-1']);
  });

  it('tracking events keep their millisecond times', async () => {
    server.use(
      http.get(`${API}/fulfillment/202309/orders/576/tracking`, () =>
        ok({ tracking: [{ description: 'Delivered', update_time_millis: 1700000123456 }] }),
      ),
    );
    const { client } = await makeShop();
    expect(await client.fulfillment.getOrderTracking('576')).toEqual([
      {
        description: 'Delivered',
        updateTimeMs: 1700000123456,
        raw: { description: 'Delivered', update_time_millis: 1700000123456 },
      },
    ]);
  });
});

describe('request escape hatch', () => {
  it('goes through the same signing, cipher and token', async () => {
    const seen: Seen[] = [];
    server.use(
      http.put(`${API}/event/202309/webhooks`, async ({ request }) => {
        await inspect(request, seen);
        return ok({});
      }),
    );
    const { client } = await makeShop();
    const response = await client.request<{ code: number }>({
      method: 'PUT',
      path: '/event/202309/webhooks',
      body: { json: { event_type: 'PACKAGE_UPDATE', address: 'https://example.com/hooks' } },
    });
    expect(response.data.code).toBe(0);
    expect(seen[0]?.signatureValid).toBe(true);
    expect(seen[0]?.url.searchParams.get('shop_cipher')).toBe(CIPHER);
    expect(seen[0]?.headers.get('x-tts-access-token')).toBe('ROW_access_token_one_0123456789');
  });

  it('parses the answer losslessly: a bare numeric id keeps every digit', async () => {
    server.use(
      http.get(
        `${API}/product/202309/products/1729592969712207008`,
        () =>
          new HttpResponse(
            '{"code":0,"message":"Success","request_id":"r","data":{"id":1729592969712207008}}',
            {
              headers: { 'content-type': 'application/json' },
            },
          ),
      ),
    );
    const { client } = await makeShop();
    const response = await client.request<{ data: { id: string } }>({
      method: 'GET',
      path: '/product/202309/products/1729592969712207008',
    });
    expect(response.data.data.id).toBe('1729592969712207008');
  });
});

describe('ids sent as bare JSON numbers', () => {
  it('keeps every digit of product, SKU, order and line ids beyond 2^53', async () => {
    const json = (text: string) =>
      new HttpResponse(text, { headers: { 'content-type': 'application/json' } });
    server.use(
      http.get(`${API}/product/202309/products/:id`, () =>
        json(
          '{"code":0,"message":"Success","request_id":"r","data":{"id":1729592969712207008,"status":"ACTIVATE","skus":[{"id":1729592969712207013,"seller_sku":"A","price":{"currency":"USD","sale_price":"1.00"},"inventory":[{"warehouse_id":7068517275539719942,"quantity":3}]}]}}',
        ),
      ),
      http.get(`${API}/order/202309/orders`, () =>
        json(
          '{"code":0,"message":"Success","request_id":"r","data":{"orders":[{"id":576461413038785752,"status":"AWAITING_SHIPMENT","create_time":1700000000,"paid_time":1700000000,"payment":{"currency":"USD","total_amount":"1.00"},"line_items":[{"id":576461413038785753,"product_id":1729592969712207008,"sku_id":1729592969712207013,"sale_price":"1.00","currency":"USD"}]}]}}',
        ),
      ),
    );
    const { client } = await makeShop();
    const product = await client.getProduct('1729592969712207008');
    expect(product.externalId).toBe('1729592969712207008');
    expect(product.variants[0]?.externalId).toBe('1729592969712207013');
    const order = await client.getOrder('576461413038785752');
    expect(order.externalId).toBe('576461413038785752');
    expect(order.items[0]).toMatchObject({
      externalId: '576461413038785753',
      productExternalId: '1729592969712207008',
      variantExternalId: '1729592969712207013',
    });
  });
});

describe('tiktokInventoryRows: a total written over several warehouses', () => {
  const now = [
    { warehouse_id: 'A', quantity: 5 },
    { warehouse_id: 'B', quantity: 7 },
    { warehouse_id: 'C', quantity: 2 },
  ];

  it('changes only the write warehouse while the total covers the others', () => {
    expect(tiktokInventoryRows(now, 'A', 14)).toEqual([{ warehouse_id: 'A', quantity: 5 }]);
    expect(tiktokInventoryRows(now, 'A', 20)).toEqual([{ warehouse_id: 'A', quantity: 11 }]);
    expect(tiktokInventoryRows([], 'A', 3)).toEqual([{ warehouse_id: 'A', quantity: 3 }]);
  });

  it('below what the others hold, empties the write warehouse and takes the rest in listed order', () => {
    // 4 = A 0 + B 2 + C 2: C is not named, so it keeps its 2.
    expect(tiktokInventoryRows(now, 'A', 4)).toEqual([
      { warehouse_id: 'A', quantity: 0 },
      { warehouse_id: 'B', quantity: 2 },
    ]);
    expect(tiktokInventoryRows(now, 'A', 0)).toEqual([
      { warehouse_id: 'A', quantity: 0 },
      { warehouse_id: 'B', quantity: 0 },
      { warehouse_id: 'C', quantity: 0 },
    ]);
  });
});
