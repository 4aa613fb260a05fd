import { createMemoryCache, NotFoundError, normalizeProduct, ValidationError } from '@mlh/core';
import { createShopeeClient, toShopeeAttributes } from '@mlh/shopee';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type World, world } from './sandbox-world';
import { rejectionOf } from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('Shopee categories against the sandbox', () => {
  let w: World;
  beforeEach(async () => {
    w = await world(server);
  });

  it('reads the whole tree in one call, in the shop language, with paths and leaves', async () => {
    const client = w.shopee.forShop(w.shopId, { market: 'BR' });
    const tree = await client.getCategoryTree();
    expect(w.sandbox.stats().byPath['/api/v2/product/get_category']).toBe(1);
    const mugs = tree.categories.find((category) => category.id === '100017');
    expect(mugs).toMatchObject({
      name: 'Canecas',
      isLeaf: true,
      listable: true,
      path: [
        { id: '100630', name: 'Casa e Decoração' },
        { id: '100636', name: 'Cozinha' },
        { id: '100017', name: 'Canecas' },
      ],
    });
    expect(mugs?.raw).toMatchObject({ original_category_name: 'Mugs', has_children: false });
    const english = await client.getCategory('100630', { locale: 'en' });
    expect(english).toMatchObject({ name: 'Home & Living', isLeaf: false, listable: false });
    expect(english.children.map((child) => child.id)).toEqual(['100636', '101200']);
  });

  it('reads the tree through the cache, shared by the shop clients of one app', async () => {
    await w.shopee.forShop(w.shopId).getCategoryTree();
    await w.shopee.forShop(w.shopId).getCategory('100017');
    expect(w.sandbox.stats().byPath['/api/v2/product/get_category']).toBe(1);
    await w.shopee.forShop(w.shopId).getCategoryTree({ refresh: true });
    expect(w.sandbox.stats().byPath['/api/v2/product/get_category']).toBe(2);
  });

  it('asks again once the time to live of trees has passed', async () => {
    const client = w.shopee.forShop(w.shopId);
    await client.getCategoryTree();
    await w.clock.advance(12 * 3_600_000);
    await client.getCategoryTree();
    expect(w.sandbox.stats().byPath['/api/v2/product/get_category']).toBe(2);
  });

  it('suggests leaves for a title, best first, named from the tree', async () => {
    const client = w.shopee.forShop(w.shopId, { market: 'BR' });
    const suggestions = await client.suggestCategories('Caneca térmica de inox com garrafa squeeze');
    expect(suggestions.map((suggestion) => [suggestion.categoryId, suggestion.name])).toEqual([
      ['100637', 'Garrafas'],
      ['100017', 'Canecas'],
    ]);
    expect(suggestions[0]?.path.map((step) => step.id)).toEqual(['100630', '100636', '100637']);
    expect(suggestions[0]).toMatchObject({ isLeaf: true, listable: true });
  });

  it('refuses an empty title before sending, and reports an unknown category as not found', async () => {
    const client = w.shopee.forShop(w.shopId);
    expect(await rejectionOf(client.suggestCategories('  '))).toBeInstanceOf(ValidationError);
    expect(await rejectionOf(client.getCategory('999999'))).toBeInstanceOf(NotFoundError);
    expect(w.sandbox.stats().byPath['/api/v2/product/category_recommend']).toBeUndefined();
  });

  it('maps an unknown cover image to the marketplace error', async () => {
    const error = await rejectionOf(
      w.shopee
        .forShop(w.shopId)
        .categories.recommendCategory({ itemName: 'Caneca', productCoverImage: 'nope' }),
    );
    expect(error).toMatchObject({ code: 'error_image_unavailable' });
  });

  it('takes a cache of the app (e.g. Redis) and a TTL per kind', async () => {
    const store = createMemoryCache({ clock: w.clock });
    const client = w.shopee.forShop(w.shopId);
    const own = createShopeeClient({
      transport: w.shopee.transport,
      accountId: client.accountId,
      cache: { cache: store, ttls: { categoryTree: 1000 } },
    });
    await own.getCategoryTree();
    await w.clock.advance(1000);
    await own.getCategoryTree();
    expect(w.sandbox.stats().byPath['/api/v2/product/get_category']).toBe(2);
  });

  it('the sandbox accepts items in leaves and refuses a parent category, as Shopee does', async () => {
    const client = w.shopee.forShop(w.shopId);
    const product = normalizeProduct({
      sku: 'MUG',
      title: 'Caneca',
      description: 'Caneca de cerâmica 300 ml',
      images: ['https://img.example.com/mug.jpg'],
      price: { amount: '39.90', currency: 'BRL' },
      quantity: 5,
    });
    const fields = (categoryId: number) => ({
      marketplaceFields: {
        category_id: categoryId,
        weight: '0.4',
        logistic_info: [{ logistic_id: 18080, enabled: true }],
        brand: { brand_id: 0, original_brand_name: 'NoBrand' },
      },
    });
    const refused = await rejectionOf(client.createProduct(product, fields(100636)));
    expect(refused).toMatchObject({ code: 'error_invalid_category' });
    const created = await client.createProduct(product, fields(100017));
    expect(w.sandbox.getItem(created.externalId as string)?.categoryId).toBe(100017);
  });

  it('reads a leaf’s requirements in one shape: mandatory attributes, units, brand, pre-order, package', async () => {
    const client = w.shopee.forShop(w.shopId, { market: 'BR' });
    const bedding = await client.getCategoryRequirements('101200');
    expect(bedding.attributes.map((attribute) => [attribute.id, attribute.required, attribute.type])).toEqual(
      [
        ['100134', true, 'list'],
        ['100199', false, 'numberWithUnit'],
      ],
    );
    expect(bedding.attributes[0]).toMatchObject({
      customValues: true,
      values: [{ id: '2311', name: 'Algodão' }, {}, {}],
    });
    expect(bedding.attributes[1]?.units).toEqual(['cm', 'm']);
    expect(bedding).toMatchObject({
      brand: { required: false, noBrand: { id: '0' } },
      preOrder: { allowed: false },
      packageDimensions: { required: true },
      weight: { required: true },
    });
    const headphones = await client.getCategoryRequirements('100644');
    expect(headphones).toMatchObject({
      brand: { required: true },
      preOrder: { allowed: true, minDays: 7, maxDays: 30 },
    });
    await client.getCategoryRequirements('101200');
    expect(w.sandbox.stats().byPath['/api/v2/product/get_attribute_tree']).toBe(2);
    expect(await rejectionOf(client.getCategoryRequirements('100630'))).toMatchObject({
      code: 'error_invalid_category',
    });
  });

  it('lists a leaf’s brands across pages', async () => {
    const client = w.shopee.forShop(w.shopId);
    const names: string[] = [];
    for await (const brand of client.categories.iterateBrands({ categoryId: '100644', pageSize: 3 })) {
      names.push(brand.original_brand_name ?? '');
    }
    expect(names).toEqual(['JBL', 'Sony', 'Philips', 'Tramontina']);
    expect(w.sandbox.stats().byPath['/api/v2/product/get_brand_list']).toBe(2);
  });

  it('flattens child attributes as conditional on their parent value', () => {
    const [parent, child] = toShopeeAttributes([
      {
        attribute_id: '1',
        mandatory: true,
        name: 'Tipo',
        attribute_info: { input_type: 1 },
        attribute_value_list: [
          {
            value_id: '10',
            name: 'Elétrico',
            child_attribute_list: [
              { attribute_id: '2', mandatory: true, name: 'Voltagem', attribute_info: { input_type: 3 } },
            ],
          },
        ],
      },
    ]);
    expect(parent).toMatchObject({ required: true, customValues: false, type: 'list' });
    expect(child).toMatchObject({
      required: false,
      conditional: true,
      conditions: [{ attributeId: '1', valueId: '10' }],
    });
  });

  const sheet = normalizeProduct({
    sku: 'SHEET',
    title: 'Lençol de algodão',
    description: 'Lençol 150 fios',
    images: ['https://img.example.com/sheet.jpg'],
    price: { amount: '79.90', currency: 'BRL' },
    quantity: 5,
  });
  const sheetFields = (extra: Record<string, unknown>) => ({
    weight: '0.8',
    logistic_info: [{ logistic_id: 18080, enabled: true }],
    brand: { brand_id: 0, original_brand_name: 'NoBrand' },
    ...extra,
  });
  const writes = (w: World) =>
    Object.entries(w.sandbox.stats().byPath)
      .filter(([path]) => /add_item|upload_image|init_tier_variation/.test(path))
      .reduce((sum, [, count]) => sum + count, 0);

  it('refuses an item missing a mandatory attribute, brand or dimension before any write, naming them', async () => {
    const client = w.shopee.forShop(w.shopId);
    const refused = await rejectionOf(
      client.createProduct(sheet, { marketplaceFields: sheetFields({ category_id: 101200 }) }),
    );
    expect(refused).toBeInstanceOf(ValidationError);
    const issues = (refused as ValidationError).issues;
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['marketplaceFields.attribute_list.100134', 'required_attribute'],
      ['marketplaceFields.dimension', 'required_package_dimensions'],
    ]);
    expect(issues[0]?.message).toContain('"Material"');
    expect(issues[0]?.message).toContain('2311 "Algodão"');
    expect(writes(w)).toBe(0);

    const wrongValue = await rejectionOf(
      client.createProduct(sheet, {
        marketplaceFields: sheetFields({
          category_id: 101200,
          attribute_list: [{ attribute_id: 100134, attribute_value_list: [{ value_id: 9999 }] }],
          dimension: { package_height: 5, package_length: 30, package_width: 20 },
        }),
      }),
    );
    expect((wrongValue as ValidationError).issues).toMatchObject([
      { path: 'marketplaceFields.attribute_list.0', code: 'value_not_allowed' },
    ]);

    const noBrand = await rejectionOf(
      client.createProduct(
        { ...sheet, sku: 'HP' },
        { marketplaceFields: sheetFields({ category_id: 100644 }) },
      ),
    );
    expect((noBrand as ValidationError).issues).toMatchObject([
      { path: 'marketplaceFields.brand', code: 'required_brand' },
    ]);
    expect(writes(w)).toBe(0);

    const created = await client.createProduct(sheet, {
      marketplaceFields: sheetFields({
        category_id: 101200,
        attribute_list: [{ attribute_id: 100134, attribute_value_list: [{ value_id: 2311 }] }],
        dimension: { package_height: 5, package_length: 30, package_width: 20 },
      }),
    });
    expect(created.externalId).toBeTruthy();
  });

  it('reads the requirements once per leaf through the cache', async () => {
    const client = w.shopee.forShop(w.shopId);
    for (const sku of ['A', 'B']) {
      await rejectionOf(
        client.createProduct({ ...sheet, sku }, { marketplaceFields: sheetFields({ category_id: 101200 }) }),
      );
    }
    expect(w.sandbox.stats().byPath['/api/v2/product/get_attribute_tree']).toBe(1);
  });

  it('with validateRequirements: false, reads nothing and leaves the refusal to Shopee', async () => {
    const client = w.shopee.forShop(w.shopId);
    const refused = await rejectionOf(
      client.createProduct(sheet, {
        marketplaceFields: sheetFields({ category_id: 101200 }),
        validateRequirements: false,
      }),
    );
    expect(String((refused as Error).message)).toContain('Mandatory attribute 100134 is missing');
    expect(w.sandbox.stats().byPath['/api/v2/product/add_item']).toBe(1);
    expect(w.sandbox.stats().byPath['/api/v2/product/get_attribute_tree']).toBeUndefined();
    const noBrand = await rejectionOf(
      client.createProduct(
        { ...sheet, sku: 'HP' },
        { marketplaceFields: sheetFields({ category_id: 100644 }), validateRequirements: false },
      ),
    );
    expect(String((noBrand as Error).message)).toContain('Brand is mandatory');
  });
});
