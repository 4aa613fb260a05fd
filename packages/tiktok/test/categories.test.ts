import { MemoryTokenStore, money, NotFoundError, normalizeProduct, ValidationError } from '@mlh/core';
import { createSandboxClock, createTikTokSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTikTokShop, toTikTokSuggestions } from '../src/index';

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
});
