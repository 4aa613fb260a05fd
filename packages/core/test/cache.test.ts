import { describe, expect, it } from 'vitest';
import {
  buildCategoryTree,
  createManualClock,
  createMemoryCache,
  createReadThroughCache,
  DEFAULT_CACHE_TTLS,
  findCategory,
  type MlhCache,
} from '../src/index';

/** A store that keeps only JSON text, as Redis would. */
function jsonStore(): MlhCache & { keys(): string[] } {
  const data = new Map<string, string>();
  return {
    get: async (key) => (data.has(key) ? JSON.parse(data.get(key) as string) : undefined),
    set: async (key, value) => {
      data.set(key, JSON.stringify(value));
    },
    delete: async (key) => {
      data.delete(key);
    },
    keys: () => [...data.keys()],
  };
}

describe('the in-memory cache', () => {
  it('forgets a value when its time to live has passed', async () => {
    const clock = createManualClock();
    const cache = createMemoryCache({ clock });
    await cache.set('k', { a: 1 }, 1000);
    await clock.advance(999);
    expect(await cache.get('k')).toEqual({ a: 1 });
    await clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('drops the least recently used entry past its size bound', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    await cache.get('a');
    await cache.set('c', 3, 60_000);
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('keeps the order of use when the newest entry is read again, deleted or replaced', async () => {
    const reread = createMemoryCache({ maxEntries: 2 });
    await reread.set('a', 1, 60_000);
    await reread.set('b', 2, 60_000);
    await reread.get('b');
    await reread.get('b');
    await reread.set('c', 3, 60_000);
    expect([await reread.get('a'), await reread.get('b'), await reread.get('c')]).toEqual([undefined, 2, 3]);

    const readAfterWrite = createMemoryCache({ maxEntries: 2 });
    await readAfterWrite.set('a', 1, 60_000);
    await readAfterWrite.get('a');
    await readAfterWrite.set('b', 2, 60_000);
    await readAfterWrite.get('a');
    await readAfterWrite.set('c', 3, 60_000);
    expect([await readAfterWrite.get('a'), await readAfterWrite.get('b')]).toEqual([1, undefined]);

    const deleted = createMemoryCache({ maxEntries: 2 });
    await deleted.set('a', 1, 60_000);
    await deleted.set('b', 2, 60_000);
    await deleted.delete('b');
    await deleted.set('c', 3, 60_000);
    await deleted.get('a');
    await deleted.set('d', 4, 60_000);
    expect([await deleted.get('a'), await deleted.get('c'), await deleted.get('d')]).toEqual([
      1,
      undefined,
      4,
    ]);

    const replaced = createMemoryCache({ maxEntries: 2 });
    await replaced.set('a', 1, 60_000);
    await replaced.set('b', 2, 60_000);
    await replaced.set('b', 0, 0);
    await replaced.set('c', 3, 60_000);
    await replaced.get('a');
    await replaced.set('d', 4, 60_000);
    expect([await replaced.get('a'), await replaced.get('c'), await replaced.get('d')]).toEqual([
      1,
      undefined,
      4,
    ]);
  });
});

describe('reading through a cache', () => {
  it('loads once, then serves the stored copy until it expires', async () => {
    const clock = createManualClock();
    const reader = createReadThroughCache({ cache: createMemoryCache({ clock }) });
    let loads = 0;
    const load = async () => ({ loaded: ++loads });
    expect(await reader.read('categoryTree', ['shopee', '1'], load)).toEqual({ loaded: 1 });
    expect(await reader.read('categoryTree', ['shopee', '1'], load)).toEqual({ loaded: 1 });
    await clock.advance(DEFAULT_CACHE_TTLS.categoryTree);
    expect(await reader.read('categoryTree', ['shopee', '1'], load)).toEqual({ loaded: 2 });
  });

  it('keeps kinds, accounts and prefixes apart, and refreshes on demand', async () => {
    const store = jsonStore();
    const reader = createReadThroughCache({ cache: store, keyPrefix: 'app1' });
    await reader.read('categoryTree', ['shopee', '1'], async () => 'tree of 1');
    await reader.read('categoryTree', ['shopee', '2'], async () => 'tree of 2');
    await reader.read('category', ['shopee', '1'], async () => 'category');
    expect(store.keys()).toEqual([
      'app1:categoryTree:shopee:1',
      'app1:categoryTree:shopee:2',
      'app1:category:shopee:1',
    ]);
    expect(await reader.read('categoryTree', ['shopee', '1'], async () => 'new', { refresh: true })).toBe(
      'new',
    );
    expect(await reader.read('categoryTree', ['shopee', '1'], async () => 'newer')).toBe('new');
  });

  it('shares one load between concurrent reads and stores nothing when the load fails', async () => {
    const reader = createReadThroughCache();
    let loads = 0;
    const slow = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return loads;
    };
    const [a, b] = await Promise.all([
      reader.read('brands', ['x'], slow),
      reader.read('brands', ['x'], slow),
    ]);
    expect([a, b, loads]).toEqual([1, 1, 1]);

    await expect(
      reader.read('category', ['y'], async () => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(await reader.read('category', ['y'], async () => 'up')).toBe('up');
  });

  it('answers from a store that can peek without asking it asynchronously, and still honours refresh and expiry', async () => {
    const clock = createManualClock();
    const memory = createMemoryCache({ clock });
    let gets = 0;
    const store: MlhCache = {
      ...memory,
      get: (key) => {
        gets += 1;
        return memory.get(key);
      },
    };
    const reader = createReadThroughCache({ cache: store });
    expect(await reader.read('shopProfile', ['shopee', '1'], async () => 'Other')).toBe('Other');
    const getsAfterLoad = gets;
    expect(await reader.read('shopProfile', ['shopee', '1'], async () => 'never loaded')).toBe('Other');
    expect(gets).toBe(getsAfterLoad);
    expect(await reader.read('shopProfile', ['shopee', '1'], async () => 'Shopee', { refresh: true })).toBe(
      'Shopee',
    );
    expect(await reader.read('shopProfile', ['shopee', '1'], async () => 'never loaded')).toBe('Shopee');
    await clock.advance(DEFAULT_CACHE_TTLS.shopProfile);
    expect(memory.peek?.('mlh:shopProfile:shopee:1')).toBeUndefined();
    expect(await reader.read('shopProfile', ['shopee', '1'], async () => 'Other again')).toBe('Other again');
  });

  it('does not cache a kind whose time to live is 0', async () => {
    const reader = createReadThroughCache({ ttls: { categorySuggestions: 0 } });
    let loads = 0;
    await reader.read('categorySuggestions', ['t'], async () => ++loads);
    await reader.read('categorySuggestions', ['t'], async () => ++loads);
    expect(loads).toBe(2);
  });

  it('stores a category tree that survives JSON (a Redis-like store)', async () => {
    const store = jsonStore();
    const reader = createReadThroughCache({ cache: store });
    const tree = buildCategoryTree(
      'shopee',
      [
        { id: '2', name: 'Bedding', parentId: '1', raw: { category_id: 2 } },
        { id: '1', name: 'Home', parentId: '0', raw: { category_id: 1 } },
      ],
      1000,
    );
    await reader.read('categoryTree', ['s'], async () => tree);
    expect(await reader.read('categoryTree', ['s'], async () => undefined)).toEqual(tree);
  });
});

describe('buildCategoryTree', () => {
  it('gives every category its path, children and leaf flag, parents first', () => {
    const tree = buildCategoryTree(
      'tiktok',
      [
        { id: '11', name: 'Mugs', parentId: '1', listable: true, raw: {} },
        { id: '12', name: 'Plates', parentId: '1', listable: false, restrictions: ['INVITE_ONLY'], raw: {} },
        { id: '1', name: 'Kitchen', parentId: '0', raw: {} },
        { id: '9', name: 'Orphan', parentId: '404', raw: {} },
      ],
      0,
    );
    expect(tree.categories.map((category) => category.id)).toEqual(['1', '9', '11', '12']);
    const kitchen = findCategory(tree, '1');
    expect(kitchen).toMatchObject({ isLeaf: false, listable: false, parentId: undefined });
    expect(kitchen?.children).toEqual([
      { id: '11', name: 'Mugs' },
      { id: '12', name: 'Plates' },
    ]);
    expect(findCategory(tree, '11')).toMatchObject({
      isLeaf: true,
      listable: true,
      parentId: '1',
      path: [
        { id: '1', name: 'Kitchen' },
        { id: '11', name: 'Mugs' },
      ],
    });
    expect(findCategory(tree, '12')).toMatchObject({ listable: false, restrictions: ['INVITE_ONLY'] });
    expect(findCategory(tree, '9')).toMatchObject({
      parentId: undefined,
      path: [{ id: '9', name: 'Orphan' }],
    });
  });
});
