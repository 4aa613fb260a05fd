import { ValidationError } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import { call, useMeliServer, withSeller } from './meli-setup';

const sandbox = useMeliServer();

const mug = {
  title: 'Caneca de cerâmica 300 ml branca',
  category_id: 'MLB1234',
  price: 49.9,
  currency_id: 'BRL',
  available_quantity: 10,
  buying_mode: 'buy_it_now',
  listing_type_id: 'gold_special',
  condition: 'new',
  pictures: [{ source: 'https://example.com/img/mug.jpg' }],
  attributes: [
    { id: 'BRAND', value_name: 'Acme' },
    { id: 'SELLER_SKU', value_name: 'MUG-300-WH' },
  ],
};

const shirt = {
  title: 'Camiseta básica',
  category_id: 'MLB31447',
  price: 59.9,
  currency_id: 'BRL',
  buying_mode: 'buy_it_now',
  listing_type_id: 'gold_special',
  condition: 'new',
  pictures: [{ source: 'https://example.com/black.jpg' }, { source: 'https://example.com/white.jpg' }],
  variations: [
    {
      attribute_combinations: [
        { id: 'COLOR', value_name: 'Preto' },
        { id: 'SIZE', value_name: 'M' },
      ],
      price: 59.9,
      available_quantity: 5,
      picture_ids: ['https://example.com/black.jpg'],
      attributes: [{ id: 'SELLER_SKU', value_name: 'TSHIRT-BLK-M' }],
    },
    {
      attribute_combinations: [
        { id: 'COLOR', value_name: 'Branco' },
        { id: 'SIZE', value_name: 'M' },
      ],
      price: 59.9,
      available_quantity: 3,
      picture_ids: ['https://example.com/white.jpg'],
      attributes: [{ id: 'SELLER_SKU', value_name: 'TSHIRT-WHT-M' }],
    },
  ],
};

describe('Mercado Livre sandbox: items', () => {
  it('creates a legacy item and answers 201 with the full item', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    const { status, body } = await call(token, '/items', { method: 'POST', body: mug });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      site_id: 'MLB',
      seller_id: seller.id,
      title: mug.title,
      price: 49.9,
      available_quantity: 10,
      sold_quantity: 0,
      status: 'active',
      sub_status: [],
      descriptions: [],
      variations: [],
      shipping: { mode: 'me2' },
    });
    expect(body.id).toMatch(/^MLB\d+$/);
    expect(body.user_product_id).toMatch(/^MLBU\d+$/);
    expect(body.pictures[0].id).toEqual(expect.any(String));
    expect(meli.getItem(body.id)?.title).toBe(mug.title);
  });

  it('refuses a body with missing required fields, naming each one in cause[]', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const { title: _title, price: _price, pictures: _pictures, ...incomplete } = mug;
    const { status, body } = await call(token, '/items', { method: 'POST', body: incomplete });
    expect(status).toBe(400);
    expect(body).toMatchObject({ message: 'Validation error', error: 'validation_error', status: 400 });
    expect(body.cause.map((entry: { code: string }) => entry.code).sort()).toEqual([
      'item.pictures.required',
      'item.price.required',
      'item.title.required',
    ]);
    expect(body.cause[0]).toEqual(
      expect.objectContaining({
        department: 'items',
        type: 'error',
        references: expect.any(Array),
        message: expect.any(String),
      }),
    );
    expect(meli.listItems()).toEqual([]);
  });

  it('refuses wrong JSON types with body.invalid_field_types', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const { status, body } = await call(token, '/items', { method: 'POST', body: { ...mug, price: 'p' } });
    expect(status).toBe(400);
    expect(body).toEqual({
      message: 'body.invalid_field_types',
      error: '[invalid property type: [price] expected Number but was String value: p]',
      status: 400,
      cause: [],
    });
  });

  it('refuses unknown categories, a foreign currency and variations with different prices', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    meli.addCategory({ id: 'MLB1234', requiredAttributes: ['BRAND', 'MODEL'] });
    const category = await call(token, '/items', { method: 'POST', body: { ...mug, category_id: 'MLB999' } });
    expect(category.body.cause.map((entry: { code: string }) => entry.code)).toContain(
      'item.category_id.invalid',
    );
    const currency = await call(token, '/items', { method: 'POST', body: { ...mug, currency_id: 'ARS' } });
    expect(currency.body.cause.map((entry: { code: string }) => entry.code)).toEqual([
      'item.currency_id.invalid',
      'item.attributes.missing_required',
    ]);
    const prices = await call(token, '/items', {
      method: 'POST',
      body: {
        ...shirt,
        category_id: 'MLB1234',
        attributes: [
          { id: 'BRAND', value_name: 'A' },
          { id: 'MODEL', value_name: 'B' },
        ],
        variations: [shirt.variations[0], { ...shirt.variations[1], price: 10 }],
      },
    });
    expect(prices.body.cause.map((entry: { code: string }) => entry.code)).toEqual([
      'item.variations.price.invalid',
    ]);
  });

  it('validates without creating: 204 when valid, the same 400 otherwise', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    expect((await call(token, '/items/validate', { method: 'POST', body: mug })).status).toBe(204);
    expect(
      (await call(token, '/items/validate', { method: 'POST', body: { ...mug, condition: 'broken' } })).body
        .cause[0].code,
    ).toBe('item.condition.invalid');
    expect(meli.listItems()).toEqual([]);
  });

  it('applies the User Products model: family_name required, no title, no variations', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli, { userProducts: true });
    const legacy = await call(token, '/items', { method: 'POST', body: shirt });
    expect(legacy.status).toBe(400);
    expect(legacy.body.cause.map((entry: { code: string }) => entry.code)).toEqual(
      expect.arrayContaining([
        'item.title.not_allowed',
        'item.variations.not_allowed',
        'item.family_name.required',
      ]),
    );
    const { title: _title, condition: _condition, ...rest } = mug;
    const created = await call(token, '/items', {
      method: 'POST',
      body: { ...rest, family_name: 'Caneca Acme', attributes: [{ id: 'COLOR', value_name: 'Branco' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      family_name: 'Caneca Acme',
      title: 'Caneca Acme Branco',
      variations: [],
    });
    expect(created.body.tags).toContain('user_product_listing');
    const retitle = await call(token, `/items/${created.body.id}`, {
      method: 'PUT',
      body: { title: 'Other' },
    });
    expect(retitle.body.cause[0].code).toBe('item.title.not_modifiable');
  });

  it('keeps stock per variation and deletes variations left out of a PUT', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const created = await call(token, '/items', { method: 'POST', body: shirt });
    expect(created.body.available_quantity).toBe(8);
    const [black, white] = created.body.variations;
    expect(black.picture_ids).toEqual([created.body.pictures[0].id]);
    const updated = await call(token, `/items/${created.body.id}`, {
      method: 'PUT',
      body: { variations: [{ id: black.id, available_quantity: 7 }, { id: white.id }] },
    });
    expect(updated.body.available_quantity).toBe(10);
    expect(
      updated.body.variations.map(
        (variation: { available_quantity: number }) => variation.available_quantity,
      ),
    ).toEqual([7, 3]);
    const dropped = await call(token, `/items/${created.body.id}`, {
      method: 'PUT',
      body: { variations: [{ id: black.id, available_quantity: 7 }] },
    });
    expect(dropped.body.variations.map((variation: { id: number }) => variation.id)).toEqual([black.id]);
    const itemLevel = await call(token, `/items/${created.body.id}`, {
      method: 'PUT',
      body: { available_quantity: 3 },
    });
    expect(itemLevel.body.cause[0].code).toBe('item.available_quantity.invalid');
  });

  it('keeps variations a stock-only PUT omits when told to, and still deletes them on any other PUT', async () => {
    const meli = sandbox({ behaviour: { stockOnlyPutKeepsOmittedVariations: true } });
    const { token } = withSeller(meli);
    const created = await call(token, '/items', { method: 'POST', body: shirt });
    const [black, white] = created.body.variations;
    const stockOnly = await call(token, `/items/${created.body.id}`, {
      method: 'PUT',
      body: { variations: [{ id: black.id, available_quantity: 7 }] },
    });
    expect(
      stockOnly.body.variations.map((variation: { id: number; available_quantity: number }) => [
        variation.id,
        variation.available_quantity,
      ]),
    ).toEqual([
      [black.id, 7],
      [white.id, 3],
    ]);
    const priced = await call(token, `/items/${created.body.id}`, {
      method: 'PUT',
      body: { variations: [{ id: black.id, available_quantity: 6, price: 59.9 }] },
    });
    expect(priced.body.variations.map((variation: { id: number }) => variation.id)).toEqual([black.id]);
  });

  it('pauses an item out of stock and reactivates it when stock returns, but not a seller pause', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const { body: item } = await call(token, '/items', { method: 'POST', body: mug });
    const empty = await call(token, `/items/${item.id}`, { method: 'PUT', body: { available_quantity: 0 } });
    expect(empty.body).toMatchObject({ status: 'paused', sub_status: ['out_of_stock'] });
    const refilled = await call(token, `/items/${item.id}`, {
      method: 'PUT',
      body: { available_quantity: 4 },
    });
    expect(refilled.body).toMatchObject({ status: 'active', sub_status: [] });
    await call(token, `/items/${item.id}`, { method: 'PUT', body: { status: 'paused' } });
    const stillPaused = await call(token, `/items/${item.id}`, {
      method: 'PUT',
      body: { available_quantity: 9 },
    });
    expect(stillPaused.body.status).toBe('paused');
  });

  it('deletes an item under review or awaiting payment directly, since neither can be closed', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    for (const [status, subStatus] of [
      ['under_review', ['forbidden']],
      ['payment_required', []],
    ] as const) {
      const { body: item } = await call(token, '/items', { method: 'POST', body: mug });
      meli.setItemStatus(item.id, status, subStatus);
      const close = await call(token, `/items/${item.id}`, { method: 'PUT', body: { status: 'closed' } });
      expect(close.status).toBe(400);
      expect(close.body.cause[0].code).toBe('item.status.not_modifiable');
      const deleted = await call(token, `/items/${item.id}`, { method: 'PUT', body: { deleted: 'true' } });
      expect(deleted.body).toMatchObject({ status: 'closed', sub_status: ['deleted'] });
    }
  });

  it('returns variation attributes (SELLER_SKU) only when asked with include_attributes=all', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const { body: item } = await call(token, '/items', { method: 'POST', body: shirt });
    const skusOf = (body: {
      variations: Array<{ attributes?: Array<{ id: string; value_name: string }> }>;
    }) =>
      body.variations.map(
        (variation) => variation.attributes?.find((a) => a.id === 'SELLER_SKU')?.value_name,
      );

    const plain = await call(token, `/items/${item.id}`);
    expect(plain.body.variations.every((variation: object) => !('attributes' in variation))).toBe(true);
    expect(skusOf((await call(token, `/items/${item.id}?include_attributes=all`)).body)).toEqual([
      'TSHIRT-BLK-M',
      'TSHIRT-WHT-M',
    ]);
    const bulk = await call(token, `/items/bulk?ids=${item.id}`);
    expect(skusOf(bulk.body[0].body)).toEqual([undefined, undefined]);
    const bulkAll = await call(token, `/items/bulk?ids=${item.id}&include_attributes=all`);
    expect(skusOf(bulkAll.body[0].body)).toEqual(['TSHIRT-BLK-M', 'TSHIRT-WHT-M']);
    const legacyAll = await call(token, `/items?ids=${item.id}&include_attributes=all`);
    expect(skusOf(legacyAll.body[0].body)).toEqual(['TSHIRT-BLK-M', 'TSHIRT-WHT-M']);
  });

  it('closes, refuses to reactivate and then deletes an item', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const { body: item } = await call(token, '/items', { method: 'POST', body: mug });
    const early = await call(token, `/items/${item.id}`, { method: 'PUT', body: { deleted: 'true' } });
    expect(early.status).toBe(400);
    await call(token, `/items/${item.id}`, { method: 'PUT', body: { status: 'closed' } });
    const reopen = await call(token, `/items/${item.id}`, { method: 'PUT', body: { status: 'active' } });
    expect(reopen.body.cause[0].code).toBe('item.status.not_modifiable');
    const deleted = await call(token, `/items/${item.id}`, { method: 'PUT', body: { deleted: 'true' } });
    expect(deleted.body).toMatchObject({ status: 'closed', sub_status: ['deleted'] });
  });

  it('refuses changes to another seller’s item and shows it only in the public view', async () => {
    const meli = sandbox();
    const owner = withSeller(meli);
    const other = withSeller(meli);
    const { body: item } = await call(owner.token, '/items', {
      method: 'POST',
      body: { ...mug, available_quantity: 73 },
    });
    expect((await call(other.token, `/items/${item.id}`, { method: 'PUT', body: { price: 1 } })).status).toBe(
      403,
    );
    const seen = await call(other.token, `/items/${item.id}`);
    expect(seen.body.available_quantity).toBe(50);
    expect(seen.body.channels).toBeUndefined();
    expect((await call(owner.token, `/items/${item.id}`)).body.available_quantity).toBe(73);
    expect((await call(owner.token, '/items/MLB1')).body).toEqual({
      message: 'Item with id MLB1 not found',
      error: 'not_found',
      status: 404,
      cause: [],
    });
  });

  it('stores plain-text descriptions and reports the position of markup', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const { body: item } = await call(token, '/items', { method: 'POST', body: mug });
    expect((await call(token, `/items/${item.id}/description`)).status).toBe(404);
    const html = await call(token, `/items/${item.id}/description`, {
      method: 'POST',
      body: { plain_text: 'Linda <b>caneca</b>' },
    });
    expect(html.body.cause[0]).toMatchObject({
      cause_id: 398,
      code: 'item.description.type.invalid',
      references: ['plain_text[6]'],
    });
    expect(
      (
        await call(token, `/items/${item.id}/description`, {
          method: 'POST',
          body: { plain_text: 'Linda caneca' },
        })
      ).status,
    ).toBe(201);
    expect(
      (await call(token, `/items/${item.id}/description`, { method: 'POST', body: { plain_text: 'Again' } }))
        .status,
    ).toBe(400);
    await call(token, `/items/${item.id}/description?api_version=2`, {
      method: 'PUT',
      body: { plain_text: 'Nova caneca' },
    });
    expect((await call(token, `/items/${item.id}/description`)).body.plain_text).toBe('Nova caneca');
  });

  it('reads up to 20 items per multiget with a per-item envelope', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const items = Array.from({ length: 21 }, () => meli.addItem());
    const ids = items.map((item) => item.id);
    const tooMany = await call(token, `/items?ids=${ids.join(',')}`);
    expect(tooMany.status).toBe(400);
    const some = await call(token, `/items?ids=${ids[0]},MLB404&attributes=id,price`);
    expect(some.body).toEqual([
      { code: 200, body: { id: ids[0], price: 100 } },
      {
        code: 404,
        body: { message: 'Item with id MLB404 not found', error: 'not_found', status: 404, cause: [] },
      },
    ]);
    const bulk = await call(token, `/items/bulk?ids=${ids[1]}&attributes=body.id,body.status`);
    expect(bulk.body).toEqual([{ id: ids[1], status_code: 200, body: { id: ids[1], status: 'active' } }]);
    // Without `body.`, a name selects a field of the element, not of the item.
    const bare = await call(token, `/items/bulk?ids=${ids[1]}&attributes=id,status`);
    expect(bare.body).toEqual([{ id: ids[1] }]);
  });

  it('pages seller search by offset up to 1000, then only with scan and scroll_id', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    for (let index = 0; index < 1030; index += 1) meli.addItem();
    const search = (query: string) => call(token, `/users/${seller.id}/items/search?${query}`);

    const first = await search('limit=100');
    expect(first.body.paging).toEqual({ limit: 100, offset: 0, total: 1030 });
    expect(first.body.results).toHaveLength(100);
    expect((await search('limit=101')).status).toBe(400);
    const last = await search('offset=950&limit=100');
    expect(last.body.results).toHaveLength(50);
    const beyond = await search('offset=1000&limit=50');
    expect(beyond.status).toBe(400);

    const seen: string[] = [];
    let page = await search('search_type=scan&limit=100');
    while (page.body.results.length > 0) {
      seen.push(...page.body.results);
      page = await search(`scroll_id=${page.body.scroll_id}&limit=100`);
    }
    expect(new Set(seen).size).toBe(1030);
  });

  it('lets a scroll_id expire after five minutes', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    for (let index = 0; index < 3; index += 1) meli.addItem();
    const first = await call(token, `/users/${seller.id}/items/search?search_type=scan&limit=1`);
    meli.clock.advance(5 * 60 * 1000);
    const expired = await call(
      token,
      `/users/${seller.id}/items/search?scroll_id=${first.body.scroll_id}&limit=1`,
    );
    expect(expired.status).toBe(400);
  });

  it('searches seller_sku in SELLER_SKU attributes only, and sku in seller_custom_field only', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    const attribute = meli.addItem({ attributes: [{ id: 'SELLER_SKU', value_name: 'SKU-A' }] });
    const custom = meli.addItem({ seller_custom_field: 'SKU-B' });
    const search = async (query: string) =>
      (await call(token, `/users/${seller.id}/items/search?${query}`)).body.results;
    expect(await search('seller_sku=SKU-A')).toEqual([attribute.id]);
    expect(await search('seller_sku=SKU-B')).toEqual([]);
    expect(await search('sku=SKU-B')).toEqual([custom.id]);
    expect(await search('sku=SKU-A')).toEqual([]);
  });

  it('refuses a status filter the item search does not document, unless told to accept any', async () => {
    for (const [acceptsAny, expected] of [
      [false, 400],
      [true, 200],
    ] as const) {
      const meli = sandbox({ behaviour: { itemSearchAcceptsAnyStatus: acceptsAny } });
      const { seller, token } = withSeller(meli);
      const item = meli.addItem();
      meli.setItemStatus(item.id, 'under_review');
      const search = await call(token, `/users/${seller.id}/items/search?status=under_review`);
      expect(search.status).toBe(expected);
      if (acceptsAny) expect(search.body.results).toEqual([item.id]);
    }
  });

  it('filters seller search by SELLER_SKU (item or variation) and status, and sorts', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    const cheap = meli.addItem({ price: 10, attributes: [{ id: 'SELLER_SKU', value_name: 'CHEAP' }] });
    const dear = meli.addItem({ price: 90 });
    const shirtItem = meli.addItem(shirt);
    const bySku = await call(token, `/users/${seller.id}/items/search?seller_sku=TSHIRT-WHT-M`);
    expect(bySku.body.results).toEqual([shirtItem.id]);
    expect((await call(token, `/users/${seller.id}/items/search?seller_sku=CHEAP`)).body.results).toEqual([
      cheap.id,
    ]);
    const sorted = await call(token, `/users/${seller.id}/items/search?orders=price_desc`);
    expect(sorted.body.results).toEqual([dear.id, shirtItem.id, cheap.id]);
    await call(token, `/items/${dear.id}`, { method: 'PUT', body: { status: 'paused' } });
    expect((await call(token, `/users/${seller.id}/items/search?status=paused`)).body.results).toEqual([
      dear.id,
    ]);
    expect((await call(token, `/users/1/items/search`)).status).toBe(403);
  });

  it('throws a core ValidationError when a seed item is invalid', () => {
    const meli = sandbox();
    meli.addSeller();
    try {
      meli.addItem({ price: -1 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { path: 'price', message: 'The price must be greater than 0.', code: 'item.price.invalid' },
      ]);
    }
  });
});
