import type { Clock } from './transport/types';

/**
 * A small cache port for data that changes rarely (category trees, category requirements,
 * brands). Values are plain JSON (objects, arrays, strings, numbers, booleans, null), so a
 * store may serialize them: Redis, Memcached, the app's own cache. Every method is async, and a
 * failure of the cache is the caller's failure (wrap your store if it should be best-effort).
 *
 * @example
 * // Redis (ioredis): values as JSON, expiry in milliseconds.
 * const cache: MlhCache = {
 *   get: async (key) => { const text = await redis.get(key); return text === null ? undefined : JSON.parse(text); },
 *   set: async (key, value, ttlMs) => { await redis.set(key, JSON.stringify(value), 'PX', ttlMs); },
 *   delete: async (key) => { await redis.del(key); },
 * };
 */
export interface MlhCache {
  /** The value stored under `key`, or `undefined` when absent or expired. */
  get(key: string): Promise<unknown>;
  /** Stores a JSON value for `ttlMs` milliseconds. */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Optional, for stores in process memory: the value under `key` read synchronously, as `get`
   * would give it (`undefined` when absent or expired). When present, a read that finds its value
   * answers without the promises and in-flight bookkeeping of an asynchronous read; a shop's
   * profile is read this way on every order.
   */
  peek?(key: string): unknown;
}

/** What a cached value is; each kind has its own time to live. */
export type CacheKind =
  | 'categoryTree'
  | 'category'
  | 'categorySuggestions'
  | 'categoryRequirements'
  | 'brands'
  | 'shopProfile';

/** Time to live per kind, in milliseconds. */
export type CacheTtls = Readonly<Record<CacheKind, number>>;

const HOUR = 3_600_000;

/**
 * Default times to live. Trees and requirements change rarely, but TikTok advises reading
 * categories in real time (they change often there), so nothing is kept longer than a day.
 * Suggestions depend on the title only and are kept briefly, and so is a shop's profile (a seller
 * can switch who issues its invoices at any time).
 */
export const DEFAULT_CACHE_TTLS: CacheTtls = Object.freeze({
  categoryTree: 12 * HOUR,
  category: 12 * HOUR,
  categorySuggestions: 1 * HOUR,
  categoryRequirements: 24 * HOUR,
  brands: 6 * HOUR,
  shopProfile: 1 * HOUR,
});

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /** Clock for expiry; default the system clock. */
  clock?: Pick<Clock, 'now'> | undefined;
  /** Most entries kept; the least recently used is dropped first. Default 1000. */
  maxEntries?: number | undefined;
}

/**
 * The default cache: in process memory, with expiry and a size bound (least recently used
 * first out). Values are kept by reference: do not mutate what `get` returns.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): MlhCache {
  const now = options.clock ? () => (options.clock as Pick<Clock, 'now'>).now() : () => Date.now();
  const maxEntries = Math.max(1, options.maxEntries ?? 1000);
  // A Map iterates in insertion order: re-inserting on read makes the first key the least recent.
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  /** The most recently used key (the last in `entries`), which a read need not move. */
  let newest: string | undefined;
  const peek = (key: string): unknown => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      if (key === newest) newest = undefined;
      return undefined;
    }
    // A key read over and over (a shop's profile on every order) is the newest already.
    if (key !== newest) {
      entries.delete(key);
      entries.set(key, entry);
      newest = key;
    }
    return entry.value;
  };
  return {
    peek,
    get: async (key) => peek(key),
    async set(key, value, ttlMs) {
      entries.delete(key);
      if (key === newest) newest = undefined;
      if (!(ttlMs > 0)) return;
      entries.set(key, { value, expiresAt: now() + ttlMs });
      newest = key;
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
    },
    async delete(key) {
      entries.delete(key);
      if (key === newest) newest = undefined;
    },
  };
}

/** How an adapter client reads through a cache: the store, the TTLs and a key prefix. */
export interface CacheSettings {
  /** The store; default one in-memory cache per app (`createMeli`, ...) or per client. */
  cache?: MlhCache | undefined;
  /** Times to live per kind over {@link DEFAULT_CACHE_TTLS}; `0` turns caching of that kind off. */
  ttls?: Partial<Record<CacheKind, number>> | undefined;
  /** Prefix of every key, to share one store between apps or environments. Default `mlh`. */
  keyPrefix?: string | undefined;
}

/** Options of one cached read. */
export interface CachedReadOptions {
  /** Skip the stored value and store a fresh one (e.g. after the marketplace rejected a category). */
  refresh?: boolean | undefined;
}

/** A read-through cache bound to one settings object: what adapters call. */
export interface ReadThroughCache {
  /**
   * The value under `[kind, ...key]`, loaded with `load` and stored when absent. Concurrent reads
   * of the same key share one load; a failed load stores nothing.
   */
  read<T>(
    kind: CacheKind,
    key: readonly string[],
    load: () => Promise<T>,
    options?: CachedReadOptions,
  ): Promise<T>;
  /** Forgets one stored value. */
  forget(kind: CacheKind, key: readonly string[]): Promise<void>;
}

/**
 * Builds the read-through helper adapters use. Keys are `prefix:kind:part:part`, each part
 * URI-encoded so no part can collide with another's separator.
 *
 * @example
 * const reader = createReadThroughCache({ ttls: { categoryTree: 60_000 } });
 * const tree = await reader.read('categoryTree', ['shopee', shopId, 'en'], () => loadTree());
 */
export function createReadThroughCache(settings: CacheSettings = {}): ReadThroughCache {
  const cache = settings.cache ?? createMemoryCache();
  const ttls: CacheTtls = { ...DEFAULT_CACHE_TTLS, ...settings.ttls };
  const prefix = settings.keyPrefix ?? 'mlh';
  const inFlight = new Map<string, Promise<unknown>>();
  const kindPrefixes: Partial<Record<CacheKind, string>> = {};
  /** `prefix:kind:key…`, each part URI-encoded (so a `:` inside a part cannot forge another key). */
  const keyOf = (kind: CacheKind, key: readonly string[]) => {
    kindPrefixes[kind] ??= `${encodeURIComponent(prefix)}:${encodeURIComponent(kind)}`;
    let text = kindPrefixes[kind];
    for (const part of key) text += `:${encodeURIComponent(part)}`;
    return text;
  };

  return {
    async read<T>(
      kind: CacheKind,
      key: readonly string[],
      load: () => Promise<T>,
      options: CachedReadOptions = {},
    ): Promise<T> {
      const ttl = ttls[kind];
      if (!(ttl > 0)) return load();
      const fullKey = keyOf(kind, key);
      const pending = options.refresh ? undefined : inFlight.get(fullKey);
      if (pending) return pending as Promise<T>;
      if (!options.refresh && cache.peek) {
        const stored = cache.peek(fullKey);
        if (stored !== undefined) return stored as T;
      }
      // Registered before the first await, so a concurrent read of the key joins this one.
      const reading = (async () => {
        if (!options.refresh) {
          const stored = await cache.get(fullKey);
          if (stored !== undefined) return stored as T;
        }
        const value = await load();
        await cache.set(fullKey, value, ttl);
        return value;
      })();
      inFlight.set(fullKey, reading);
      try {
        return await reading;
      } finally {
        if (inFlight.get(fullKey) === reading) inFlight.delete(fullKey);
      }
    },
    forget: (kind, key) => cache.delete(keyOf(kind, key)),
  };
}
