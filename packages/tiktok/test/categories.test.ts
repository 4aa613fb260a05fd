import {
  MemoryTokenStore,
  money,
  NotFoundError,
  normalizeProduct,
  requiredAttributes,
  ValidationError,
} from '@mlh/core';
import { createSandboxClock, createTikTokSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTikTokShop, isTikTokBrandUsable, toTikTokAttribute, toTikTokSuggestions } from '../src/index';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const START = Date.UTC(2026, 0, 5, 12);
const CATEGORIES = '/product/202309/categories';

async function setup() {
  const clock = createSandboxClock({ start: START, frozen: true });
  const sandbox = createTikTokSandbox({ clock });
  server.use(...sandbox.handlers);
  const tiktok = createTikTokShop({
    appKey: sandbox.app.appKey,
    appSecret: sandbox.app.appSecret,
    serviceId: sandbox.app.serviceId,
    tokenStore: new MemoryTokenStore(),
    // Timeouts sleep long and must never fire; there are no retries to wait for here.
    clock: {
      now: () => clock.now(),
      sleep: (_ms, signal) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    },
    random: () => 0.5,
  });
  const shop = sandbox.addShop({ region: 'BR', sellerType: 'LOCAL' });
  await tiktok.exchangeCode(sandbox.authorize({ shopId: shop.id }).code);
  return { sandbox, clock, tiktok, shop, client: tiktok.forAccount(shop.id) };
}

describe('TikTok categories against the sandbox', () => {
  it('reads the tree with paths, and lists only AVAILABLE leaves as listable', async () => {
    const { client } = await setup();
    const tree = await client.getCategoryTree();
    const byId = new Map(tree.categories.map((category) => [category.id, category]));
    expect(byId.get('601226')).toMatchObject({
      name: 'Canecas e Xícaras',
      isLeaf: true,
      listable: true,
      restrictions: [],
      path: [
        { id: '600001', name: 'Casa e Jardim' },
        { id: '600024', name: 'Cozinha e Mesa' },
        { id: '601226', name: 'Canecas e Xícaras' },
      ],
    });
    expect(byId.get('601227')).toMatchObject({
      isLeaf: true,
      listable: false,
      restrictions: ['INVITE_ONLY'],
    });
    expect(byId.get('600024')).toMatchObject({ isLeaf: false, listable: false });
    // Categories that can never be listed come only when asked for.
    expect(byId.has('700451')).toBe(false);
    const all = await client.categories.getCategories({ includeProhibitedCategories: true });
    expect(all.find((category) => category.id === '700451')?.permission_statuses).toEqual(['PROHIBITED']);
  });

  it('keeps one tree per locale in the cache shared by the shop clients', async () => {
    const { sandbox, tiktok, shop } = await setup();
    await tiktok.forAccount(shop.id).getCategoryTree();
    expect(await tiktok.forAccount(shop.id).getCategory('600001')).toMatchObject({
      name: 'Casa e Jardim',
      children: [{ id: '600024', name: 'Cozinha e Mesa' }],
    });
    expect(sandbox.stats().byPath[CATEGORIES]).toBe(1);
    const english = await tiktok.forAccount(shop.id).getCategory('600001', { locale: 'en-US' });
    expect(english.name).toBe('Home & Garden');
    expect(sandbox.stats().byPath[CATEGORIES]).toBe(2);
    expect(
      await tiktok
        .forAccount(shop.id)
        .getCategory('404')
        .catch((error) => error),
    ).toBeInstanceOf(NotFoundError);
  });

  it('asks again after the tree TTL the app chose', async () => {
    const { sandbox, tiktok, shop, clock } = await setup();
    const client = tiktok.forAccount(shop.id, { cache: { ttls: { categoryTree: 60_000 } } });
    await client.getCategoryTree();
    clock.advance(59_999);
    await client.getCategoryTree();
    clock.advance(1);
    await client.getCategoryTree();
    expect(sandbox.stats().byPath[CATEGORIES]).toBe(2);
  });

  it('suggests a leaf with its chain, and says when it is not listable', async () => {
    const { client } = await setup();
    const [mug] = await client.suggestCategories('Caneca de cerâmica 300 ml');
    expect(mug).toMatchObject({
      categoryId: '601226',
      name: 'Canecas e Xícaras',
      isLeaf: true,
      listable: true,
      path: [{ id: '600001' }, { id: '600024' }, { id: '601226' }],
    });
    const [knife] = await client.suggestCategories('Faca de cozinha inox');
    expect(knife).toMatchObject({ categoryId: '601227', listable: false });
    expect(await client.suggestCategories('Algo sem categoria')).toEqual([]);
  });

  it('refuses an empty or too long title before sending', async () => {
    const { client, sandbox } = await setup();
    expect(await client.suggestCategories('').catch((error) => error)).toBeInstanceOf(ValidationError);
    expect(await client.suggestCategories('x'.repeat(301)).catch((error) => error)).toBeInstanceOf(
      ValidationError,
    );
    expect(sandbox.stats().byPath[`${CATEGORIES}/recommend`]).toBeUndefined();
  });

  it('reads a recommendation without a leaf id from its chain', () => {
    const [suggestion] = toTikTokSuggestions({
      categories: [
        { id: '1', name: 'Root', is_leaf: false },
        { id: '2', name: 'Leaf', is_leaf: true, permission_statuses: ['AVAILABLE'] },
      ],
    });
    expect(suggestion).toMatchObject({ categoryId: '2', name: 'Leaf', listable: true });
  });

  it('the sandbox takes products in leaves only and names their category chain', async () => {
    const { client, sandbox } = await setup();
    const product = (categoryId: string) =>
      normalizeProduct({
        sku: 'MUG',
        title: 'Caneca de cerâmica',
        description: '<p>300 ml</p>',
        categoryId,
        images: [],
        price: money('39.90', 'BRL'),
        quantity: 5,
      });
    const options = {
      marketplaceFields: {
        main_images: [{ uri: 'tos-maliva-i/mug' }],
        package_weight: { value: '0.40', unit: 'KILOGRAM' },
      },
    };
    const refused = await client.createProduct(product('600024'), options).catch((error) => error);
    expect(refused).toMatchObject({ code: '12052024' });
    const created = await client.createProduct(product('601226'), options);
    expect(sandbox.getProduct(created.externalId as string)?.categoryId).toBe('601226');
    const detail = await client.products.getProduct(created.externalId as string);
    expect(detail.category_chains?.map((step) => step.id)).toEqual(['600001', '600024', '601226']);
  });

  it('reads a leaf’s requirements in one shape: attributes, conditions, certifications, package rules', async () => {
    const { client, sandbox } = await setup();
    const requirements = await client.getCategoryRequirements('600100');
    const byId = new Map(requirements.attributes.map((attribute) => [attribute.id, attribute]));
    // Sent as `is_requried`, TikTok's spelling.
    expect(byId.get('101395')).toMatchObject({
      name: 'Material',
      required: true,
      type: 'list',
      variation: false,
    });
    expect(byId.get('100392')).toMatchObject({ variation: true, customValues: true, required: false });
    expect(byId.get('101610')).toMatchObject({ type: 'number', values: [], customValues: true });
    expect(byId.get('102428')).toMatchObject({
      required: false,
      conditional: true,
      multiple: true,
      conditions: [{ attributeId: '102427', valueId: '1000058' }],
    });
    expect(requirements).toMatchObject({
      packageDimensions: { required: true },
      sizeChart: { supported: false, required: false },
      preOrder: { allowed: false },
      certifications: [
        { id: '7001', required: false, conditions: [{ attributeId: '102427', valueId: '1000058' }] },
      ],
    });
    expect(requiredAttributes(requirements).map((attribute) => attribute.id)).toEqual(['101395']);
    expect(
      requiredAttributes(requirements, { '102427': ['1000058'] }).map((attribute) => attribute.id),
    ).toEqual(['101395', '102428']);
    await client.getCategoryRequirements('600100');
    expect(sandbox.stats().byPath[`${CATEGORIES}/{category_id}/attributes`]).toBe(1);
    expect(sandbox.stats().byPath[`${CATEGORIES}/{category_id}/rules`]).toBe(1);
  });

  it('reads the correct spelling `is_required` too', () => {
    expect(
      toTikTokAttribute({ id: '1', name: 'A', type: 'PRODUCT_PROPERTY', is_required: true }).required,
    ).toBe(true);
    expect(
      toTikTokAttribute({
        id: '1',
        name: 'A',
        type: 'PRODUCT_PROPERTY',
        is_requried: false,
        is_required: true,
      }).required,
    ).toBe(false);
    expect(toTikTokAttribute({ id: '1', name: 'A', type: 'PRODUCT_PROPERTY' }).required).toBe(false);
  });

  const flask = normalizeProduct({
    sku: 'FLASK',
    title: 'Garrafa térmica inox 500 ml',
    description: '<p>12 h</p>',
    categoryId: '600100',
    images: [],
    price: money('89.90', 'BRL'),
    quantity: 5,
  });
  const base = {
    main_images: [{ uri: 'tos-maliva-i/flask' }],
    package_weight: { value: '0.50', unit: 'KILOGRAM' },
  };
  const dimensions = { length: '8', width: '8', height: '25', unit: 'CENTIMETER' };
  const material = [{ id: '101395', values: [{ id: '1003' }] }];
  const writes = (sandbox: { stats(): { byPath: Record<string, number> } }) =>
    Object.entries(sandbox.stats().byPath)
      .filter(([path]) => /\/products$|\/images\/upload/.test(path))
      .reduce((sum, [, count]) => sum + count, 0);

  it('refuses a listing missing the leaf’s required, conditional attributes or package dimensions before any write', async () => {
    const { client, sandbox } = await setup();
    const issuesOf = async (fields: Record<string, unknown>) => {
      const error = await client.createProduct(flask, { marketplaceFields: fields }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues;
    };
    const missing = await issuesOf({ ...base, package_dimensions: dimensions });
    expect(missing).toMatchObject([
      { path: 'marketplaceFields.product_attributes.101395', code: 'required_attribute' },
    ]);
    expect(missing[0]?.message).toContain('"Material"');
    expect(missing[0]?.message).toContain('1003 "Aço inoxidável"');
    const electric = await issuesOf({
      ...base,
      package_dimensions: dimensions,
      product_attributes: [...material, { id: '102427', values: [{ id: '1000058' }] }],
    });
    expect(electric).toMatchObject([
      { path: 'marketplaceFields.product_attributes.102428', code: 'required_attribute' },
    ]);
    const noBox = await issuesOf({ ...base, product_attributes: material });
    expect(noBox).toMatchObject([
      { path: 'marketplaceFields.package_dimensions', code: 'required_package_dimensions' },
    ]);
    expect(writes(sandbox)).toBe(0);
    const draft = await client.createProduct(flask, {
      marketplaceFields: { ...base, save_mode: 'AS_DRAFT' },
    });
    expect(draft.externalId).toBeTruthy();
    const listed = await client.createProduct(
      { ...flask, sku: 'FLASK-2' },
      { marketplaceFields: { ...base, package_dimensions: dimensions, product_attributes: material } },
    );
    expect(listed.externalId).toBeTruthy();
  });

  it('the sandbox refuses the same listings itself when validateRequirements is false', async () => {
    const { client } = await setup();
    const unchecked = (fields: Record<string, unknown>) =>
      client
        .createProduct(flask, { marketplaceFields: fields, validateRequirements: false })
        .catch((error) => error);
    expect(await unchecked({ ...base, package_dimensions: dimensions })).toMatchObject({ code: '12052230' });
    const electric = await unchecked({
      ...base,
      package_dimensions: dimensions,
      product_attributes: [...material, { id: '102427', values: [{ id: '1000058' }] }],
    });
    expect(String(electric.message)).toContain('102428');
    const noBox = await unchecked({ ...base, product_attributes: material });
    expect(String(noBox.message)).toContain('package_dimensions');
  });

  it('lists brands across pages, reading `UNAUTHORIEZD` as sent, and says which are usable', async () => {
    const { client, sandbox } = await setup();
    const brands = [];
    for await (const brand of client.categories.iterateBrands({ categoryId: '601226', pageSize: 3 }))
      brands.push(brand);
    expect(brands.map((brand) => [brand.name, brand.authorized_status, isTikTokBrandUsable(brand)])).toEqual([
      ['Tramontina', 'AUTHORIZED', true],
      ['Térmica Sul', 'UNAUTHORIEZD', true],
      ['Nike', 'UNAUTHORIEZD', false],
      ['Tupperware', 'AUTHORIZED', true],
    ]);
    expect(sandbox.stats().byPath['/product/202309/brands']).toBe(2);
    expect(isTikTokBrandUsable({ id: '1', authorized_status: 'UNAUTHORIZED', is_t1_brand: false })).toBe(
      true,
    );
    expect(
      isTikTokBrandUsable({ id: '1', authorized_status: 'AUTHORIZED', brand_status: 'UNAVAILABLE' }),
    ).toBe(false);
  });
});
