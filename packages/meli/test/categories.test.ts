import { NotFoundError, normalizeProduct, ValidationError } from '@mlh/core';
import { createMeliSandbox, type MeliSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMeli, type Meli, type MeliClient, toMeliAttribute, toMeliCategoryTree } from '../src/index';
import { MeliCategoryAttribute } from '../src/schemas';
import { rejectionOf, sandboxMeliOptions } from './support';

const sandbox: MeliSandbox = createMeliSandbox();
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let meli: Meli;

async function authorizedClient(overrides: Parameters<Meli['forAccount']>[1] = {}): Promise<MeliClient> {
  const seller = sandbox.addSeller();
  sandbox.setAuthorizingUser(seller.id);
  const started = await meli.authorizationUrl();
  const consent = sandbox.authorize({ state: started.state });
  const tokens = await meli.exchangeCode(consent.redirectUrl, started);
  return meli.forAccount(tokens.accountId, overrides);
}

const calls = (route: string) => sandbox.stats().byPath[route] ?? 0;

beforeEach(() => {
  sandbox.reset();
  meli = createMeli(sandboxMeliOptions(sandbox));
});

describe('Mercado Livre categories against the sandbox', () => {
  it('suggests categories for a title, each re-read for its path and whether it takes items', async () => {
    const client = await authorizedClient();
    const suggestions = await client.suggestCategories('Caneca térmica Tramontina', { limit: 3 });
    expect(suggestions.map((suggestion) => suggestion.categoryId)).toEqual(['MLB1234', 'MLB436381']);
    expect(suggestions[0]).toMatchObject({
      name: 'Canecas',
      isLeaf: true,
      listable: true,
      path: [
        { id: 'MLB1574', name: 'Casa, Móveis e Decoração' },
        { id: 'MLB436380', name: 'Cozinha' },
        { id: 'MLB1234', name: 'Canecas' },
      ],
      attributes: [{ id: 'BRAND', valueId: '9344', valueName: 'Tramontina' }],
      raw: { domain_id: 'MLB-MUGS' },
    });
  });

  it('reads one category through the cache shared by the app’s clients', async () => {
    const first = await authorizedClient();
    const kitchen = await first.getCategory('MLB436380');
    expect(kitchen).toMatchObject({ isLeaf: false, listable: false, parentId: 'MLB1574' });
    expect(kitchen.children.map((child) => child.id)).toEqual(['MLB1234', 'MLB436381']);
    const second = await authorizedClient();
    await second.getCategory('MLB436380');
    expect(calls('GET /categories/:id')).toBe(1);
    await second.getCategory('MLB436380', { refresh: true });
    expect(calls('GET /categories/:id')).toBe(2);
    expect(await rejectionOf(second.getCategory('MLB999'))).toBeInstanceOf(NotFoundError);
  });

  it('reads the whole site tree from the dump, once per TTL', async () => {
    const client = await authorizedClient({ cache: { ttls: { categoryTree: 60_000 } } });
    const tree = await client.getCategoryTree();
    expect(tree.categories.filter((category) => category.parentId === undefined).map((c) => c.id)).toEqual([
      'MLB1574',
      'MLB1051',
      'MLB1430',
    ]);
    expect(tree.categories.find((category) => category.id === 'MLB1055')).toMatchObject({
      isLeaf: true,
      listable: true,
      path: [{ id: 'MLB1051' }, { id: 'MLB1055' }],
    });
    await client.getCategoryTree();
    expect(calls('GET /sites/:site/categories/all')).toBe(1);
    sandbox.clock.advance(60_000);
    await client.getCategoryTree();
    expect(calls('GET /sites/:site/categories/all')).toBe(2);
  });

  it('refuses an empty title or a limit beyond 8 before sending', async () => {
    const client = await authorizedClient();
    expect(await rejectionOf(client.suggestCategories(' '))).toBeInstanceOf(ValidationError);
    expect(
      await rejectionOf(client.categories.discoverDomains('MLB', { q: 'caneca', limit: 9 })),
    ).toBeInstanceOf(ValidationError);
    expect(calls('GET /sites/:site/domain_discovery/search')).toBe(0);
  });

  it('a leaf whose settings forbid listing is not listable', () => {
    const category = {
      id: 'MLB1',
      name: 'Root',
      path_from_root: [{ id: 'MLB1', name: 'Root' }],
      children_categories: [],
      settings: { listing_allowed: false, status: 'enabled' },
    };
    const tree = toMeliCategoryTree([category as never], 0);
    expect(tree.categories[0]).toMatchObject({ id: 'MLB1', isLeaf: true, listable: false });
  });

  it('the sandbox lists items in leaves and refuses a parent category', async () => {
    const client = await authorizedClient();
    const product = normalizeProduct({
      title: 'Caneca de cerâmica 300 ml',
      sku: 'MUG',
      categoryId: 'MLB436380',
      description: 'Caneca branca.',
      images: ['https://cdn.example.com/mug.jpg'],
      price: { amount: '49.90', currency: 'BRL' },
      quantity: 10,
    });
    const refused = await rejectionOf(client.createProduct(product));
    expect(refused).toBeInstanceOf(ValidationError);
    expect(String((refused as Error).message)).toContain('not a leaf');
    const created = await client.createProduct({ ...product, categoryId: 'MLB1234' });
    expect(sandbox.getItem(created.externalId ?? '')?.category_id).toBe('MLB1234');
  });

  it('reads a category’s requirements: tags as flags, values, units, conditions, and what the sandbox enforces', async () => {
    sandbox.addCategory({
      id: 'MLB1234',
      name: 'Canecas',
      requiredAttributes: ['BRAND', 'SELLER_PACKAGE_HEIGHT'],
    });
    const client = await authorizedClient();
    const requirements = await client.getCategoryRequirements('MLB1234');
    const byId = new Map(requirements.attributes.map((attribute) => [attribute.id, attribute]));
    expect(byId.get('BRAND')).toMatchObject({ required: true, type: 'text', customValues: true });
    expect(byId.get('GTIN')).toMatchObject({
      required: false,
      conditional: true,
      multiple: true,
      variation: true,
    });
    expect(byId.get('EMPTY_GTIN_REASON')?.values.map((value) => value.id)).toEqual([
      '17055158',
      '17055159',
      '17055160',
      '17055161',
    ]);
    expect(byId.get('COLOR')).toMatchObject({ variation: true });
    expect(byId.get('SELLER_PACKAGE_HEIGHT')).toMatchObject({ type: 'numberWithUnit', units: ['cm'] });
    // Sellers cannot write read-only attributes: left out.
    expect(byId.has('ITEM_CONDITION')).toBe(false);
    expect(requirements).toMatchObject({
      brand: { required: true },
      packageDimensions: { required: true },
      conditions: ['new', 'used', 'not_specified'],
      preOrder: { allowed: undefined },
    });
    await client.getCategoryRequirements('MLB1234');
    expect(calls('GET /categories/:id/attributes')).toBe(1);

    const mug = normalizeProduct({
      title: 'Caneca de cerâmica 300 ml',
      sku: 'MUG',
      categoryId: 'MLB1234',
      description: 'Caneca branca.',
      images: ['https://cdn.example.com/mug.jpg'],
      price: { amount: '49.90', currency: 'BRL' },
      quantity: 10,
    });
    const refused = await rejectionOf(client.createProduct(mug));
    expect(String((refused as Error).message)).toContain('BRAND');
    const created = await client.createProduct({
      ...mug,
      attributes: { BRAND: 'Acme', SELLER_PACKAGE_HEIGHT: '12 cm' },
    });
    expect(created.externalId).toBeTruthy();
  });

  it('refuses a listing missing a required attribute before any write, naming it and its values', async () => {
    sandbox.addCategory({ id: 'MLB1234', name: 'Canecas', requiredAttributes: ['BRAND', 'MODEL'] });
    const client = await authorizedClient();
    const mug = normalizeProduct({
      title: 'Caneca de cerâmica 300 ml',
      sku: 'MUG',
      categoryId: 'MLB1234',
      description: 'Caneca branca.',
      images: ['https://cdn.example.com/mug.jpg'],
      price: { amount: '49.90', currency: 'BRL' },
      quantity: 10,
      attributes: { MODEL: 'Clássica' },
    });
    const refused = await rejectionOf(client.createProduct(mug));
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toMatchObject([
      { path: 'attributes.BRAND', code: 'required_attribute' },
    ]);
    expect((refused as ValidationError).issues[0]?.message).toContain('"Marca"');
    expect((refused as ValidationError).issues[0]?.message).toContain('276243 "Acme"');
    expect(calls('POST /items') + calls('POST /items/validate')).toBe(0);

    const unchecked = await rejectionOf(client.createProduct(mug, { validateRequirements: false }));
    expect(String((unchecked as Error).message)).toContain('BRAND');
    expect(calls('POST /items')).toBe(1);

    const created = await client.createProduct({ ...mug, attributes: { MODEL: 'Clássica', BRAND: 'Acme' } });
    expect(created.externalId).toBeTruthy();
  });

  it('reads attribute tags sent as a list (technical specs) like the object form', () => {
    const attribute = MeliCategoryAttribute.parse({
      id: 'GTIN',
      value_type: 'string',
      tags: ['required', 'multivalued'],
    });
    expect(toMeliAttribute(attribute)).toMatchObject({ required: true, multiple: true, conditional: false });
  });
});
