import { describe, expect, it } from 'vitest';
import type { CallResult } from './tiktok-helpers';
import { installServer, shopSetup } from './tiktok-helpers';

const env = installServer();
const SEARCH = '/product/202309/products/search';

function validProduct(warehouseId: string) {
  return {
    title: 'Cotton Ankle Socks 5-Pack',
    description: '<p>Breathable cotton socks.</p>',
    category_id: '601226',
    main_images: [{ uri: 'tos-maliva-i-example/abc123' }],
    package_weight: { value: '0.30', unit: 'KILOGRAM' },
    skus: [
      {
        seller_sku: 'SOCK-WHT',
        price: { amount: '12.99', currency: 'GBP' },
        inventory: [{ warehouse_id: warehouseId, quantity: 100 }],
        sales_attributes: [{ name: 'Color', value_name: 'White' }],
      },
      {
        seller_sku: 'SOCK-BLK',
        price: { amount: '12.99', currency: 'GBP' },
        inventory: [{ warehouse_id: warehouseId, quantity: 50 }],
        sales_attributes: [{ name: 'Color', value_name: 'Black' }],
      },
    ],
  };
}

describe('TikTok product search paging', () => {
  it('pages with page_size and next_page_token until the token is empty', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const ids = new Set<string>();
    for (let index = 0; index < 7; index += 1) {
      ids.add(sandbox.addProduct({ title: `Product ${index}` }).id);
      sandbox.clock.advance(1000);
    }
    const seen: string[] = [];
    let pageToken: string | undefined;
    const pages: number[] = [];
    do {
      const response: CallResult = await call('POST', SEARCH, {
        query: { page_size: '3', ...(pageToken ? { page_token: pageToken } : {}) },
        body: { status: 'ACTIVATE' },
      });
      expect(response.json.code).toBe(0);
      expect(response.json.data.total_count).toBe(7);
      pages.push(response.json.data.products.length);
      seen.push(...response.json.data.products.map((product: { id: string }) => product.id));
      pageToken = response.json.data.next_page_token;
    } while (pageToken);
    expect(pages).toEqual([3, 3, 1]);
    expect(new Set(seen)).toEqual(ids);
    expect(seen).toHaveLength(7);
  });

  it('keeps pages stable when a product is created mid-scan (newest first)', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    for (let index = 0; index < 4; index += 1) {
      sandbox.addProduct();
      sandbox.clock.advance(1000);
    }
    const first = await call('POST', SEARCH, { query: { page_size: '2' } });
    sandbox.addProduct({ title: 'Late arrival' });
    const second = await call('POST', SEARCH, {
      query: { page_size: '2', page_token: first.json.data.next_page_token },
    });
    const all = [...first.json.data.products, ...second.json.data.products].map((product) => product.id);
    expect(new Set(all).size).toBe(4);
    expect(second.json.data.next_page_token).toBe('');
  });

  it('enforces page_size 1-100, and refuses a made-up token or one from another query', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    sandbox.addProduct();
    sandbox.addProduct();
    for (const page_size of ['0', '101', 'ten']) {
      const response = await call('POST', SEARCH, { query: { page_size } });
      expect(response.json).toMatchObject({ code: 36009004, message: expect.stringContaining('page_size') });
    }
    expect((await call('POST', SEARCH)).json.message).toBe('page_size is required');
    expect((await call('POST', SEARCH, { query: { page_size: '100' } })).json.code).toBe(0);

    const bogus = await call('POST', SEARCH, { query: { page_size: '1', page_token: 'not-a-token' } });
    expect(bogus.json).toMatchObject({ code: 36009004, message: 'page_token is invalid' });
    const first = await call('POST', SEARCH, { query: { page_size: '1' } });
    const otherQuery = await call('POST', SEARCH, {
      query: { page_size: '1', page_token: first.json.data.next_page_token },
      body: { status: 'DRAFT' },
    });
    expect(otherQuery.json.code).toBe(36009004);
  });

  it('serves the same search on the 202312 and 202502 versions', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    sandbox.addProduct();
    for (const version of ['202312', '202502']) {
      const response = await call('POST', `/product/${version}/products/search`, {
        query: { page_size: '5' },
      });
      expect(response.json.data.products).toHaveLength(1);
    }
  });
});

describe('TikTok product detail and create', () => {
  it('returns SKUs with string ids, sale_price as a decimal string and stock per warehouse', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const extra = sandbox.addWarehouse(shop.id, { name: 'Overflow' });
    const product = sandbox.addProduct({
      skus: [
        {
          price: '19.90',
          stock: { [shop.warehouses[0]!.id]: 3, [extra.id]: 4 },
          salesAttributes: { Size: 'M' },
        },
      ],
    });
    const response = await call('GET', `/product/202309/products/${product.id}`);
    expect(response.json.code).toBe(0);
    const sku = response.json.data.skus[0];
    expect(response.json.data).toMatchObject({ id: product.id, status: 'ACTIVATE' });
    expect(sku.price).toEqual({ currency: 'GBP', sale_price: '19.90', tax_exclusive_price: '19.90' });
    expect(sku.inventory).toEqual([
      { warehouse_id: shop.warehouses[0]!.id, quantity: 3 },
      { warehouse_id: extra.id, quantity: 4 },
    ]);
    expect(sku.sales_attributes[0]).toMatchObject({ name: 'Size', value_name: 'M', id: expect.any(String) });
    expect(Number.isSafeInteger(Number(sku.id))).toBe(false);

    const missing = await call('GET', '/product/202309/products/1');
    expect(missing.json.code).toBe(12052003);
  });

  it('names the status of Get Product as configured: status, product_status, or not at all', async () => {
    const fieldOf = async (productStatusField?: 'status' | 'product_status' | 'omitted') => {
      const sandbox = env.sandbox(productStatusField ? { productStatusField } : {});
      const { call } = shopSetup(sandbox);
      const product = sandbox.addProduct();
      const { data } = (await call('GET', `/product/202309/products/${product.id}`)).json;
      return [data.status, data.product_status];
    };
    expect(await fieldOf()).toEqual(['ACTIVATE', undefined]);
    expect(await fieldOf('product_status')).toEqual([undefined, 'ACTIVATE']);
    expect(await fieldOf('omitted')).toEqual([undefined, undefined]);
  });

  it('writes ids as bare JSON numbers with numericIds, as some real payloads do', async () => {
    const sandbox = env.sandbox({ numericIds: true });
    const { call, shop } = shopSetup(sandbox);
    const product = sandbox.addProduct({ skus: [{ sellerSku: '12345' }] });
    const sku = product.skus[0]!;
    const { text } = await call('GET', `/product/202309/products/${product.id}`);
    expect(text).toContain(`"id":${product.id},`);
    expect(text).toContain(`"id":${sku.id},`);
    expect(text).toContain(`"warehouse_id":${shop.warehouses[0]!.id},`);
    expect(text).toContain('"seller_sku":"12345"');
    expect(Number.isSafeInteger(Number(product.id))).toBe(false);
  });

  it('creates a product that passes audit at once, telling the app by webhook', async () => {
    const received: string[] = [];
    const sandbox = env.sandbox({
      webhooks: {
        target: async (request) => {
          received.push(await request.text());
          return new Response(null, { status: 200 });
        },
      },
    });
    const { call, shop } = shopSetup(sandbox);
    const response = await call('POST', '/product/202309/products', {
      body: validProduct(shop.warehouses[0]!.id),
    });
    expect(response.json.code).toBe(0);
    const { product_id, skus } = response.json.data;
    expect(skus).toHaveLength(2);
    expect(skus[0].sales_attributes[0].id).toBe(skus[1].sales_attributes[0].id);
    expect(skus[0].sales_attributes[0].value_id).not.toBe(skus[1].sales_attributes[0].value_id);
    expect(sandbox.getProduct(product_id)?.status).toBe('ACTIVATE');
    await sandbox.webhooks.flush();
    expect(received.map((body) => JSON.parse(body))).toEqual([
      expect.objectContaining({
        type: 5,
        shop_id: shop.id,
        data: expect.objectContaining({ product_id, status: 'PRODUCT_FIRST_PASS_REVIEW' }),
      }),
    ]);
  });

  it("keeps new products PENDING with productAudit: 'manual' until the platform decides", async () => {
    const sandbox = env.sandbox({ productAudit: 'manual' });
    const { call, shop } = shopSetup(sandbox);
    const response = await call('POST', '/product/202309/products', {
      body: validProduct(shop.warehouses[0]!.id),
    });
    const id = response.json.data.product_id;
    expect(sandbox.getProduct(id)?.status).toBe('PENDING');
    sandbox.setProductStatus(id, 'FAILED', { reason: 'Image quality' });
    const detail = await call('GET', `/product/202309/products/${id}`);
    expect(detail.json.data.status).toBe('FAILED');
  });

  it('edits a product in full keeping the SKU ids it is given, and partially', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const warehouseId = shop.warehouses[0]!.id;
    const created = await call('POST', '/product/202309/products', { body: validProduct(warehouseId) });
    const { product_id: id, skus } = created.json.data;
    const body = validProduct(warehouseId);
    const edited = await call('PUT', `/product/202309/products/${id}`, {
      body: { ...body, title: 'Socks, renamed', skus: [{ ...body.skus[0], id: skus[0].id }] },
    });
    expect(edited.json.data.skus.map((sku: { id: string }) => sku.id)).toEqual([skus[0].id]);
    const unknownSku = await call('PUT', `/product/202309/products/${id}`, {
      body: { ...body, skus: [{ ...body.skus[0], id: '5' }] },
    });
    expect(unknownSku.json.code).toBe(12052048);

    const partial = await call('POST', `/product/202309/products/${id}/partial_edit`, {
      body: {
        description: '<p>Now softer.</p>',
        skus: [{ id: skus[0].id, price: { amount: '9.99', currency: 'GBP' } }],
      },
    });
    expect(partial.json.code).toBe(0);
    const detail = (await call('GET', `/product/202309/products/${id}`)).json.data;
    expect(detail).toMatchObject({
      title: 'Socks, renamed',
      description: '<p>Now softer.</p>',
      status: 'ACTIVATE',
    });
    expect(detail.skus[0].price.sale_price).toBe('9.99');
  });

  it('refuses an invalid create naming each bad field, and creates nothing', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const body = validProduct(shop.warehouses[0]!.id);
    const response = await call('POST', '/product/202309/products', {
      body: {
        ...body,
        title: undefined,
        main_images: Array.from({ length: 10 }, (_, index) => ({ uri: `i${index}` })),
        skus: [{ ...body.skus[0], price: { amount: 12.99, currency: 'GBP' } }],
      },
    });
    expect(response.json.code).toBe(36009004);
    expect(response.json.message).toContain('title');
    expect(response.json.message).toContain('main_images');
    expect(response.json.message).toContain('skus.0.price.amount');
    expect(sandbox.listProducts()).toEqual([]);

    const wrongCurrency = await call('POST', '/product/202309/products', {
      body: { ...body, skus: [{ ...body.skus[0], price: { amount: '1.00', currency: 'USD' } }] },
    });
    expect(wrongCurrency.json.code).toBe(12052051);
    const unknownWarehouse = await call('POST', '/product/202309/products', { body: validProduct('123') });
    expect(unknownWarehouse.json.code).toBe(12052049);
  });
});

describe('TikTok batch writes report per-item failures in data.errors[] with code 0', () => {
  it('updates inventory for known SKUs and reports unknown SKUs and warehouses', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const product = sandbox.addProduct({ skus: [{ stock: 5 }, { stock: 6 }] });
    const [a, b] = product.skus;
    const warehouseId = shop.warehouses[0]!.id;
    const response = await call('POST', `/product/202309/products/${product.id}/inventory/update`, {
      body: {
        skus: [
          { id: a!.id, inventory: [{ warehouse_id: warehouseId, quantity: 25 }] },
          { id: '999', inventory: [{ warehouse_id: warehouseId, quantity: 1 }] },
          { id: b!.id, inventory: [{ warehouse_id: '42', quantity: 1 }] },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.json.code).toBe(0);
    expect(response.json.data.errors).toEqual([
      { code: 12052048, message: expect.any(String), detail: { sku_id: '999' } },
      { code: 12052049, message: expect.any(String), detail: { sku_id: b!.id, warehouse_id: '42' } },
    ]);
    expect(sandbox.stockOf(a!.id)).toBe(25);
    expect(sandbox.stockOf(b!.id)).toBe(6);

    const clean = await call('POST', `/product/202309/products/${product.id}/inventory/update`, {
      body: { skus: [{ id: b!.id, inventory: [{ warehouse_id: warehouseId, quantity: 0 }] }] },
    });
    expect(clean.json).toMatchObject({ code: 0, data: {} });
    expect(clean.json.data.errors).toBeUndefined();
    expect(sandbox.stockOf(b!.id)).toBe(0);
  });

  it('in a multi-warehouse shop, an inventory update sets the warehouses it names and leaves the others', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const main = shop.warehouses[0]!.id;
    const extra = sandbox.addWarehouse(shop.id, { name: 'Overflow' }).id;
    const product = sandbox.addProduct({ skus: [{ stock: { [main]: 5, [extra]: 7 } }] });
    const sku = product.skus[0]!;
    const response = await call('POST', `/product/202309/products/${product.id}/inventory/update`, {
      body: { skus: [{ id: sku.id, inventory: [{ warehouse_id: main, quantity: 2 }] }] },
    });
    expect(response.json.code).toBe(0);
    expect([sandbox.stockOf(sku.id, main), sandbox.stockOf(sku.id, extra), sandbox.stockOf(sku.id)]).toEqual([
      2, 7, 9,
    ]);
  });

  it('updates prices as decimal strings and reports unknown SKUs', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const product = sandbox.addProduct({ skus: [{ price: '10.00' }] });
    const sku = product.skus[0]!;
    const response = await call('POST', `/product/202309/products/${product.id}/prices/update`, {
      body: {
        skus: [
          { id: sku.id, price: { amount: '0.30', currency: 'GBP' } },
          { id: '1', price: { amount: '1.00', currency: 'GBP' } },
        ],
      },
    });
    expect(response.json.code).toBe(0);
    expect(response.json.data.errors).toEqual([expect.objectContaining({ detail: { sku_id: '1' } })]);
    expect(sandbox.getSku(sku.id)?.price).toEqual({ amount: '0.30', currency: 'GBP' });
  });

  it('deactivates, deletes and recovers products, reporting ids it cannot change', async () => {
    const sandbox = env.sandbox();
    const { call } = shopSetup(sandbox);
    const product = sandbox.addProduct();
    const deactivated = await call('POST', '/product/202309/products/deactivate', {
      body: { product_ids: [product.id, '404'] },
    });
    expect(deactivated.json.code).toBe(0);
    expect(deactivated.json.data.errors).toEqual([
      expect.objectContaining({ code: 12052003, detail: { product_id: '404' } }),
    ]);
    expect(sandbox.getProduct(product.id)?.status).toBe('SELLER_DEACTIVATED');

    const deleted = await call('DELETE', '/product/202309/products', { body: { product_ids: [product.id] } });
    expect(deleted.json).toMatchObject({ code: 0, data: {} });
    expect(sandbox.getProduct(product.id)?.status).toBe('DELETED');
    const hidden = await call('POST', SEARCH, { query: { page_size: '10' } });
    expect(hidden.json.data.total_count).toBe(0);

    const activateDeleted = await call('POST', '/product/202309/products/activate', {
      body: { product_ids: [product.id] },
    });
    expect(activateDeleted.json.data.errors[0].code).toBe(12052052);
    await call('POST', '/product/202309/products/recover', { body: { product_ids: [product.id] } });
    await call('POST', '/product/202309/products/activate', { body: { product_ids: [product.id] } });
    expect(sandbox.getProduct(product.id)?.status).toBe('ACTIVATE');
  });
});

describe('TikTok logistics', () => {
  it('lists warehouses, delivery options and shipping providers', async () => {
    const sandbox = env.sandbox();
    const { call, shop } = shopSetup(sandbox);
    const warehouses = await call('GET', '/logistics/202309/warehouses');
    expect(warehouses.json.data.warehouses).toEqual([
      expect.objectContaining({
        id: shop.warehouses[0]!.id,
        type: 'SALES_WAREHOUSE',
        is_default: true,
        effect_status: 'ENABLED',
      }),
    ]);
    const options = await call(
      'GET',
      `/logistics/202309/warehouses/${shop.warehouses[0]!.id}/delivery_options`,
    );
    const optionId = options.json.data.delivery_options[0].id;
    const providers = await call('GET', `/logistics/202309/delivery_options/${optionId}/shipping_providers`);
    expect(providers.json.data.shipping_providers).toContainEqual({
      id: '7117858858072016686',
      name: 'Royal Mail',
    });
  });
});
