/** A response kept for an idempotency key, replayed as is when the key comes again. */
export interface StoredResponse {
  status: number;
  /** The response body, exactly as sent. */
  body: string;
  contentType: string;
}

/** Outcome of {@link IdempotencyStore.begin}. */
export type IdempotencyBegin =
  /** First use of the key: run the request, then `complete` (or `release` on failure). */
  | { state: 'started' }
  /** The key completed before with the same request: answer with its response. */
  | { state: 'replay'; response: StoredResponse }
  /** The key is in use by a request that has not finished. */
  | { state: 'in_progress' }
  /** The key was used with another request (method, path or body differ). */
  | { state: 'mismatch' };

/**
 * Where idempotency keys and their responses live. Keys are already scoped by the API key that
 * sent them. `begin` must be atomic: of two concurrent calls with one key, one starts.
 * The memory store is per process; several processes need a shared implementation.
 */
export interface IdempotencyStore {
  /** Claims `key` for a request with this fingerprint, or says why it cannot run. */
  begin(key: string, fingerprint: string, now: number): Promise<IdempotencyBegin>;
  /** Keeps the response of a started key until `now + ttlMs`. */
  complete(key: string, response: StoredResponse, now: number): Promise<void>;
  /** Forgets a started key whose request failed before it changed anything, so it can be retried. */
  release(key: string): Promise<void>;
}

/** Options of {@link createMemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** How long a completed key is remembered. Default 24 hours. */
  ttlMs?: number;
  /** How long a started key blocks others if its request never finishes. Default 5 minutes. */
  startedTtlMs?: number;
}

interface Entry {
  fingerprint: string;
  response?: StoredResponse | undefined;
  expiresAt: number;
}

/**
 * An {@link IdempotencyStore} in this process's memory: for the quick start and one-process apps.
 *
 * @example
 * createApi({ ..., idempotency: createMemoryIdempotencyStore({ ttlMs: 86_400_000 }) })
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const ttlMs = options.ttlMs ?? 86_400_000;
  const startedTtlMs = options.startedTtlMs ?? 300_000;
  const entries = new Map<string, Entry>();
  const purge = (now: number) => {
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  };
  return {
    async begin(key, fingerprint, now) {
      purge(now);
      const entry = entries.get(key);
      if (!entry) {
        entries.set(key, { fingerprint, expiresAt: now + startedTtlMs });
        return { state: 'started' };
      }
      if (entry.fingerprint !== fingerprint) return { state: 'mismatch' };
      if (!entry.response) return { state: 'in_progress' };
      return { state: 'replay', response: entry.response };
    },
    async complete(key, response, now) {
      const entry = entries.get(key);
      if (entry) {
        entry.response = response;
        entry.expiresAt = now + ttlMs;
      }
    },
    async release(key) {
      entries.delete(key);
    },
  };
}

/** SHA-256 (hex) of the method, path and body: two requests with one key must match on all three. */
export async function requestFingerprint(method: string, path: string, body: string): Promise<string> {
  const bytes = new TextEncoder().encode(`${method.toUpperCase()}\n${path}\n${body}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
