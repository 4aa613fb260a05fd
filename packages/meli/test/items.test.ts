import { MlhError, NotFoundError, normalizeProduct, ValidationError } from '@mlh/core';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { MeliPartialCreateError } from '../src/index';
import {
  API,
  classicItem,
  collect,
  rejectionOf,
  SELLER,
  storeWithTokens,
  testMeli,
  userProductItem,
  useServer,
} from './support';

const server = useServer();

async function clientFor(tags: string[] = [], overrides = {}) {
  server.use(
    http.get(`${API}/users/me`, () => HttpResponse.json({ id: Number(SELLER), site_id: 'MLB', tags })),
  );
  return testMeli(await storeWithTokens(Date.now())).forAccount(SELLER, overrides);
}

const shirt = normalizeProduct({
  title: 'Camiseta básica',
  sku: 'TSHIRT',
  categoryId: 'MLB1234',
  description: 'Algodão penteado',
  images: ['https://cdn.example.com/shirt.jpg'],
  attributes: { BRAND: 'Acme' },
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

/** Records the JSON bodies sent to a path, answering with `reply`. */
function capture(
  method: 'post' | 'put',
  url: string,
  reply: (body: Record<string, unknown>, n: number) => Response,
) {
  const bodies: Record<string, unknown>[] = [];
  server.use(
    http[method](url, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      return reply(body, bodies.length);
    }),
  );
  return bodies;
}

describe('createProduct', () => {
  it('classic seller: creates one item with variations, then writes the description: two calls', async () => {
    const client = await clientFor([]);
    const validated = capture('post', `${API}/items/validate`, () => new HttpResponse(null, { status: 204 }));
    const created = capture('post', `${API}/items`, () => HttpResponse.json(classicItem(), { status: 201 }));
    const descriptions = capture('put', `${API}/items/MLB1001/description`, () => HttpResponse.json({}));

    const product = await client.createProduct(shirt, {
      marketplaceFields: { shipping: { mode: 'me2' } },
      validateRequirements: false,
    });

    expect(validated).toHaveLength(0);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ title: 'Camiseta básica', shipping: { mode: 'me2' } });
    expect(created[0]).not.toHaveProperty('family_name');
    expect(created[0]?.variations).toHaveLength(2);
    expect(descriptions).toEqual([{ plain_text: 'Algodão penteado' }]);
    expect(product.externalId).toBe('MLB1001');
    expect(product.variants.map((variant) => variant.externalId)).toEqual(['174997747229', '174997747230']);
  });

  it('User Products seller: one item per variant with family_name, no title, no variations', async () => {
    const client = await clientFor(['normal', 'user_product_seller']);
    const validated = capture('post', `${API}/items/validate`, () => new HttpResponse(null, { status: 204 }));
    const created = capture('post', `${API}/items`, (body, n) =>
      HttpResponse.json(
        userProductItem({
          id: `MLB200${n}`,
          user_product_id: `MLBU100${n}`,
          available_quantity: body.available_quantity,
          attributes: body.attributes,
        }),
        { status: 201 },
      ),
    );
    server.use(http.put(`${API}/items/:id/description`, () => HttpResponse.json({})));

    const product = await client.createProduct(shirt, { validateRequirements: false });

    expect(validated).toHaveLength(2);
    expect(created).toHaveLength(2);
    for (const body of created) {
      expect(body.family_name).toBe('Camiseta básica');
      expect(body).not.toHaveProperty('title');
      expect(body).not.toHaveProperty('variations');
    }
    expect(product.variants.map((variant) => [variant.externalId, variant.sku, variant.quantity])).toEqual([
      ['MLB2001', 'TSHIRT-BLK-M', 5],
      ['MLB2002', 'TSHIRT-WHT-M', 3],
    ]);
    expect(await client.listingModel()).toBe('user_products');
  });

  it('User Products seller may price variants differently; classic may not, and nothing is sent', async () => {
    const differing = normalizeProduct({
      ...shirt,
      price: undefined,
      quantity: undefined,
      variants: [shirt.variants[0], { ...shirt.variants[1], price: { amount: '64.90', currency: 'BRL' } }],
    });
    const classic = await clientFor([]);
    let sent = 0;
    server.use(
      http.post(`${API}/items/validate`, () => {
        sent += 1;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const error = await rejectionOf(classic.createProduct(differing));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: 'variants.1.price.amount' }),
    ]);
    expect(sent).toBe(0);
  });

  it('validateBeforeCreate: true dry-runs the very body it then creates', async () => {
    const client = await clientFor([], { validateBeforeCreate: true });
    const validated = capture('post', `${API}/items/validate`, () => new HttpResponse(null, { status: 204 }));
    const created = capture('post', `${API}/items`, () => HttpResponse.json(classicItem(), { status: 201 }));
    server.use(http.put(`${API}/items/MLB1001/description`, () => HttpResponse.json({})));
    await client.createProduct(shirt, { validateRequirements: false });
    expect(validated).toHaveLength(1);
    expect(created).toEqual(validated);
  });

  it('without the dry run, a refused POST /items reports its causes as field issues', async () => {
    const client = await clientFor([]);
    server.use(
      http.post(`${API}/items`, () =>
        HttpResponse.json(
          {
            message: 'Validation error',
            error: 'validation_error',
            status: 400,
            cause: [
              {
                department: 'structured-data',
                cause_id: 2516,
                type: 'error',
                code: 'error.item.attribute.business_conditional.value_name',
                references: ['item.attributes'],
                message: 'Attribute [GENDER] is not valid',
              },
            ],
          },
          { status: 400 },
        ),
      ),
    );
    const error = await rejectionOf(client.createProduct(shirt, { validateRequirements: false }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: 'item.attributes', message: 'Attribute [GENDER] is not valid' }),
    ]);
  });

  it('reports /items/validate causes as field issues and creates nothing', async () => {
    const client = await clientFor([], { validateBeforeCreate: true });
    let creates = 0;
    server.use(
      http.post(`${API}/items/validate`, () =>
        HttpResponse.json(
          {
            message: 'Validation error',
            error: 'validation_error',
            status: 400,
            cause: [
              {
                department: 'structured-data',
                cause_id: 2516,
                type: 'error',
                code: 'error.item.attribute.business_conditional.value_name',
                references: ['item.attributes'],
                message: 'Attribute [GENDER] is not valid',
              },
            ],
          },
          { status: 400 },
        ),
      ),
      http.post(`${API}/items`, () => {
        creates += 1;
        return HttpResponse.json(classicItem());
      }),
    );
    const error = await rejectionOf(client.createProduct(shirt, { validateRequirements: false }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      {
        path: 'item.attributes',
        message: 'Attribute [GENDER] is not valid',
        code: 'error.item.attribute.business_conditional.value_name',
      },
    ]);
    expect(creates).toBe(0);
  });

  it('keeps a created item when only its description fails, as a warning', async () => {
    const client = await clientFor([]);
    server.use(
      http.post(`${API}/items/validate`, () => new HttpResponse(null, { status: 204 })),
      http.post(`${API}/items`, () => HttpResponse.json(classicItem(), { status: 201 })),
      http.put(`${API}/items/MLB1001/description`, () =>
        HttpResponse.json(
          { message: 'bad', error: 'validation_error', status: 400, cause: [] },
          { status: 400 },
        ),
      ),
    );
    const product = await client.createProduct(shirt, { validateRequirements: false });
    expect(product.externalId).toBe('MLB1001');
    expect(product.warnings).toEqual([expect.objectContaining({ code: 'description_not_saved' })]);
  });

  it('tells which User Products items exist when a later one fails', async () => {
    const client = await clientFor(['user_product_seller'], { validateBeforeCreate: false });
    server.use(
      http.post(`${API}/items`, async ({ request }) => {
        const body = (await request.json()) as { available_quantity: number };
        return body.available_quantity === 5
          ? HttpResponse.json(userProductItem(), { status: 201 })
          : HttpResponse.json(
              { message: 'nope', error: 'validation_error', status: 400, cause: [] },
              { status: 400 },
            );
      }),
    );
    const error = await rejectionOf(client.createProduct(shirt, { validateRequirements: false }));
    expect(error).toBeInstanceOf(MeliPartialCreateError);
    expect((error as MeliPartialCreateError).createdItemIds).toEqual(['MLB2001']);
  });
});

describe('reading listings', () => {
  it('fetches many items in multigets of 20 and omits unknown ids', async () => {
    const calls: string[][] = [];
    server.use(
      http.get(`${API}/items/bulk`, ({ request }) => {
        const ids = (new URL(request.url).searchParams.get('ids') ?? '').split(',');
        calls.push(ids);
        return HttpResponse.json(
          ids.map((id) =>
            id === 'MLB999'
              ? { id, status_code: 404, body: { message: 'not found', error: 'not_found', status: 404 } }
              : { id, status_code: 200, body: classicItem({ id }) },
          ),
        );
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const ids = [...Array.from({ length: 44 }, (_, index) => `MLB${5000 + index}`), 'MLB999'];
    const products = await client.getProducts(ids);
    expect(calls.map((chunk) => chunk.length)).toEqual([20, 20, 5]);
    expect(products).toHaveLength(44);
    expect(products.map((product) => product.externalId)).toEqual(ids.slice(0, 44));
  });

  it('can use the legacy /items?ids= multiget', async () => {
    server.use(
      http.get(`${API}/items`, ({ request }) => {
        const ids = (new URL(request.url).searchParams.get('ids') ?? '').split(',');
        return HttpResponse.json(ids.map((id) => ({ code: 200, body: classicItem({ id }) })));
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER, { multiget: 'legacy' });
    expect((await client.getProducts(['MLB1', 'MLB2'])).map((product) => product.externalId)).toEqual([
      'MLB1',
      'MLB2',
    ]);
  });

  /** A seller with `total` items: offset search refuses past 1000; scan pages with a scroll id. */
  function sellerWithItems(total: number, scan: { sameScrollId?: boolean; stuck?: boolean } = {}) {
    const ids = Array.from({ length: total }, (_, index) => `MLB${100000 + index}`);
    const requests: Record<string, string>[] = [];
    server.use(
      http.get(`${API}/users/${SELLER}/items/search`, ({ request }) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        requests.push(query);
        const limit = Number(query.limit ?? 50);
        if (limit > 100) return HttpResponse.json({ message: 'limit', status: 400 }, { status: 400 });
        if (query.search_type === 'scan') {
          const position = query.scroll_id ? Number(query.scroll_id.split('-')[1]) : 0;
          const start = scan.stuck && position > 0 ? 100 : position;
          const page = ids.slice(start, start + limit);
          const next = scan.sameScrollId ? 'scroll-static' : `scroll-${start + page.length}`;
          return HttpResponse.json({
            results: page,
            scroll_id: page.length > 0 ? (scan.sameScrollId ? `${next}-${start + page.length}` : next) : null,
            paging: { total, limit },
          });
        }
        const offset = Number(query.offset ?? 0);
        if (offset + limit > 1000) {
          return HttpResponse.json(
            { message: 'offset too big', error: 'bad_request', status: 400 },
            { status: 400 },
          );
        }
        return HttpResponse.json({
          results: ids.slice(offset, offset + limit),
          paging: { total, offset, limit },
        });
      }),
    );
    return { ids, requests };
  }

  it('switches to search_type=scan after the first page when more than 1000 match, yielding each id once', async () => {
    const { ids, requests } = sellerWithItems(1234);
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const seen = await collect(client.items.iterateIds({ status: 'active' }));
    expect(seen).toHaveLength(1234);
    expect(new Set(seen)).toEqual(new Set(ids));
    // One offset page tells the total; the scan then reads everything once (no second pass over 1000 ids).
    const offsetCalls = requests.filter((query) => query.search_type !== 'scan');
    expect(offsetCalls.map((query) => Number(query.offset))).toEqual([0]);
    expect(requests.some((query) => query.search_type === 'scan' && query.status === 'active')).toBe(true);
  });

  it('pages by offset alone when at most 1000 match', async () => {
    const { requests } = sellerWithItems(250);
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    expect(await collect(client.items.iterateIds())).toHaveLength(250);
    expect(requests.map((query) => [query.search_type, Number(query.offset)])).toEqual([
      [undefined, 0],
      [undefined, 100],
      [undefined, 200],
    ]);
  });

  it('stops with pagination_stalled when a scroll id keeps returning the same page', async () => {
    sellerWithItems(1500, { stuck: true });
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const error = await rejectionOf(collect(client.items.iterateIds()));
    expect(error).toBeInstanceOf(MlhError);
    expect((error as MlhError).code).toBe('pagination_stalled');
  });

  it('listProducts pages ids then multigets them, filtering by status', async () => {
    sellerWithItems(45);
    server.use(
      http.get(`${API}/items/bulk`, ({ request }) => {
        const ids = (new URL(request.url).searchParams.get('ids') ?? '').split(',');
        return HttpResponse.json(
          ids.map((id, index) => ({
            id,
            status_code: 200,
            body: classicItem({ id, status: index % 2 === 0 ? 'active' : 'paused' }),
          })),
        );
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const all = await collect(client.listProducts());
    expect(all).toHaveLength(45);
    const active = await collect(client.listProducts({ status: 'active' }));
    expect(active.every((product) => product.status === 'active')).toBe(true);
  });

  it('finds listings by SKU through both the seller_sku and the sku search, each listing once', async () => {
    const queries: Array<[string | null, string | null]> = [];
    server.use(
      http.get(`${API}/users/${SELLER}/items/search`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        queries.push([params.get('seller_sku'), params.get('sku')]);
        return HttpResponse.json({ results: ['MLB1001'], paging: { total: 1, offset: 0, limit: 100 } });
      }),
      http.get(`${API}/items/bulk`, () =>
        HttpResponse.json([{ id: 'MLB1001', status_code: 200, body: classicItem() }]),
      ),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const found = await client.findProductsBySku('TSHIRT-BLK-M');
    expect(queries).toEqual([
      ['TSHIRT-BLK-M', null],
      [null, 'TSHIRT-BLK-M'],
    ]);
    expect(found.map((product) => product.externalId)).toEqual(['MLB1001']);
  });
});

describe('estimating a catalogue read', () => {
  it('asks the search for one id and prices the read from the total: search pages of 100 and multigets of 20', async () => {
    const limits: Array<string | null> = [];
    server.use(
      http.get(`${API}/users/${SELLER}/items/search`, ({ request }) => {
        limits.push(new URL(request.url).searchParams.get('limit'));
        return HttpResponse.json({ results: ['MLB1001'], paging: { total: 2_345, offset: 0, limit: 1 } });
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    expect(await client.estimateCatalogRead?.()).toEqual({ listings: 2_345, calls: 24 + 118 });
    expect(limits).toEqual(['1']);
  });

  it('an empty account costs one call to read', async () => {
    server.use(
      http.get(`${API}/users/${SELLER}/items/search`, () =>
        HttpResponse.json({ results: [], paging: { total: 0, offset: 0, limit: 1 } }),
      ),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    expect(await client.estimateCatalogRead?.()).toEqual({ listings: 0, calls: 1 });
  });
});

describe('writing stock, prices and status', () => {
  /** The query of every `GET /items/bulk` the tests' server answered. */
  let bulkReads: URLSearchParams[] = [];

  function itemsOnServer(items: Record<string, Record<string, unknown>>) {
    bulkReads = [];
    server.use(
      http.get(`${API}/items/bulk`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        bulkReads.push(query);
        const ids = (query.get('ids') ?? '').split(',');
        return HttpResponse.json(
          ids.map((id) =>
            items[id]
              ? { id, status_code: 200, body: items[id] }
              : { id, status_code: 404, body: { message: 'not found', error: 'not_found', status: 404 } },
          ),
        );
      }),
    );
    const puts: Array<{ id: string; body: Record<string, unknown> }> = [];
    server.use(
      http.put(`${API}/items/:id`, async ({ request, params }) => {
        const id = String(params.id);
        const body = (await request.json()) as Record<string, unknown>;
        puts.push({ id, body });
        return HttpResponse.json(items[id] ?? {});
      }),
    );
    return puts;
  }

  it('sets stock per variation, always sending every variation id (a PUT deletes the ones it omits)', async () => {
    const puts = itemsOnServer({
      MLB1001: classicItem(),
      MLB3001: classicItem({ id: 'MLB3001', variations: [] }),
    });
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const result = await client.updateInventory([
      { productExternalId: 'MLB1001', sku: 'TSHIRT-WHT-M', quantity: 0 },
      { productExternalId: 'MLB3001', quantity: 7 },
      { productExternalId: 'MLB1001', variantExternalId: '999', quantity: 1 },
      { productExternalId: 'MLB404', quantity: 1 },
      { productExternalId: 'MLB1001', quantity: -1 },
    ]);
    expect(puts).toEqual(
      expect.arrayContaining([
        {
          id: 'MLB1001',
          body: { variations: [{ id: 174997747229 }, { id: 174997747230, available_quantity: 0 }] },
        },
        { id: 'MLB3001', body: { available_quantity: 7 } },
      ]),
    );
    expect(puts).toHaveLength(2);
    expect(result.succeeded.map((update) => update.productExternalId)).toEqual(['MLB1001', 'MLB3001']);
    expect(result.failed.map((failure) => [failure.item.productExternalId, failure.error.kind])).toEqual([
      ['MLB1001', 'not_found'],
      ['MLB404', 'not_found'],
      ['MLB1001', 'validation'],
    ]);
  });

  it('writes stock of a User Products variant to its own item, without reading it first', async () => {
    const puts = itemsOnServer({ MLB2002: userProductItem({ id: 'MLB2002' }) });
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const result = await client.updateInventory([
      { productExternalId: 'MLB2001', variantExternalId: 'MLB2002', quantity: 4 },
    ]);
    expect(puts).toEqual([{ id: 'MLB2002', body: { available_quantity: 4 } }]);
    expect(bulkReads).toEqual([]);
    expect(result.failed).toEqual([]);
  });

  it('reads the items of a stock write 20 to a multiget, asking only their ids and variations', async () => {
    const ids = Array.from({ length: 21 }, (_, n) => `MLB${5000 + n}`);
    const puts = itemsOnServer(Object.fromEntries(ids.map((id) => [id, classicItem({ id })])));
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const result = await client.updateInventory(
      ids.map((id) => ({ productExternalId: id, variantExternalId: '174997747230', quantity: 2 })),
    );
    expect(result.failed).toEqual([]);
    expect(bulkReads.map((query) => query.get('ids')?.split(',').length)).toEqual([20, 1]);
    expect(bulkReads.map((query) => query.get('attributes'))).toEqual([
      'body.id,body.variations',
      'body.id,body.variations',
    ]);
    expect(puts).toHaveLength(21);
    expect(puts[0]?.body).toEqual({
      variations: [{ id: 174997747229 }, { id: 174997747230, available_quantity: 2 }],
    });
  });

  it('reads an item named as its own variant once the API refuses its write (it gained variations), then writes the variation', async () => {
    const puts = itemsOnServer({ MLB1001: classicItem() });
    server.use(
      http.put(`${API}/items/MLB1001`, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        puts.push({ id: 'MLB1001', body });
        return 'available_quantity' in body
          ? HttpResponse.json(
              {
                message: 'Validation error',
                error: 'validation_error',
                status: 400,
                cause: [{ code: 'item.available_quantity.invalid', message: 'update each variation' }],
              },
              { status: 400 },
            )
          : HttpResponse.json(classicItem());
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const result = await client.updateInventory([
      { productExternalId: 'MLB1001', variantExternalId: 'MLB1001', sku: 'TSHIRT-BLK-M', quantity: 6 },
    ]);
    expect(result.failed).toEqual([]);
    expect(puts).toEqual([
      { id: 'MLB1001', body: { available_quantity: 6 } },
      {
        id: 'MLB1001',
        body: { variations: [{ id: 174997747229, available_quantity: 6 }, { id: 174997747230 }] },
      },
    ]);
    expect(bulkReads).toHaveLength(1);
  });

  it('reports a failed PUT as a failure of its items and carries on with the others', async () => {
    itemsOnServer({ MLB1001: classicItem(), MLB3001: classicItem({ id: 'MLB3001', variations: [] }) });
    server.use(
      http.put(`${API}/items/MLB3001`, () =>
        HttpResponse.json({ message: 'conflict', error: 'conflict', status: 409 }, { status: 409 }),
      ),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const result = await client.updateInventory([
      { productExternalId: 'MLB1001', sku: 'TSHIRT-BLK-M', quantity: 2 },
      { productExternalId: 'MLB3001', quantity: 2 },
    ]);
    expect(result.succeeded).toHaveLength(1);
    expect(result.failed.map((failure) => failure.error.kind)).toEqual(['conflict']);
  });

  it('sets prices exactly, and refuses different prices across a classic listing variations', async () => {
    const puts = itemsOnServer({
      MLB1001: classicItem(),
      MLB3001: classicItem({ id: 'MLB3001', variations: [] }),
    });
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const result = await client.updatePrices([
      { productExternalId: 'MLB3001', price: { amount: '0.30', currency: 'BRL' } },
      { productExternalId: 'MLB1001', sku: 'TSHIRT-BLK-M', price: { amount: '49.90', currency: 'BRL' } },
      { productExternalId: 'MLB3001', price: { amount: '10.00', currency: 'ARS' } },
    ]);
    expect(puts).toEqual([{ id: 'MLB3001', body: { price: 0.3 } }]);
    expect(result.succeeded.map((update) => update.price.amount)).toEqual(['0.30']);
    expect(result.failed.map((failure) => [failure.item.price.amount, failure.error.kind])).toEqual([
      ['49.90', 'validation'],
      ['10.00', 'validation'],
    ]);
  });

  it('moves every variation of a classic listing to one new price', async () => {
    const puts = itemsOnServer({ MLB1001: classicItem() });
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const result = await client.updatePrices([
      {
        productExternalId: 'MLB1001',
        variantExternalId: '174997747229',
        price: { amount: '49.90', currency: 'BRL' },
      },
      {
        productExternalId: 'MLB1001',
        variantExternalId: '174997747230',
        price: { amount: '49.90', currency: 'BRL' },
      },
    ]);
    expect(result.failed).toEqual([]);
    expect(puts).toEqual([
      {
        id: 'MLB1001',
        body: {
          variations: [
            { id: 174997747229, price: 49.9 },
            { id: 174997747230, price: 49.9 },
          ],
        },
      },
    ]);
  });

  it('maps core statuses to item statuses (inactive closes the listing)', async () => {
    const puts = itemsOnServer({ MLB1001: classicItem() });
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    await client.setProductStatus('MLB1001', 'paused');
    await client.setProductStatus('MLB1001', 'active');
    await client.setProductStatus('MLB1001', 'inactive');
    expect(puts.map((put) => put.body)).toEqual([
      { status: 'paused' },
      { status: 'active' },
      { status: 'closed' },
    ]);
  });
});

describe('updateProduct', () => {
  it('updates a classic listing content with every kept variation id, and re-reads it', async () => {
    let current = classicItem();
    const puts: Record<string, unknown>[] = [];
    server.use(
      http.get(`${API}/items/MLB1001`, () => HttpResponse.json(current)),
      http.get(`${API}/items/MLB1001/description`, () => HttpResponse.json({ plain_text: 'Algodão' })),
      http.put(`${API}/items/MLB1001`, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        puts.push(body);
        current = classicItem({ title: body.title ?? current.title });
        return HttpResponse.json(current);
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const product = await client.getProduct('MLB1001');
    const { price: _price, quantity: _quantity, ...rest } = product;
    const renamed = normalizeProduct({ ...rest, title: 'Camiseta básica de algodão' });
    const updated = await client.updateProduct('MLB1001', renamed);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ title: 'Camiseta básica de algodão' });
    expect(puts[0]?.variations).toEqual([
      expect.objectContaining({ id: 174997747229 }),
      expect.objectContaining({ id: 174997747230 }),
    ]);
    expect(updated.title).toBe('Camiseta básica de algodão');
  });

  it('refuses a new variant on a User Products listing before sending anything', async () => {
    server.use(http.get(`${API}/items/MLB2001`, () => HttpResponse.json(userProductItem())));
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const error = await rejectionOf(client.updateProduct('MLB2001', shirt));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toContain('variants.0.externalId');
  });

  it('reports an unknown listing as NotFoundError', async () => {
    server.use(
      http.get(`${API}/items/MLB404`, () =>
        HttpResponse.json({ message: 'Item not found', error: 'not_found', status: 404 }, { status: 404 }),
      ),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    await expect(client.getProduct('MLB404')).rejects.toThrow(NotFoundError);
  });
});
