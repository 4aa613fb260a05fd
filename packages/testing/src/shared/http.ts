/**
 * Runtime-neutral helpers the sandboxes share to read requests and write responses.
 */

/** A JSON response. `body === undefined` (or status 204) gives an empty body. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  const status = init.status ?? 200;
  if (body === undefined || status === 204) return new Response(null, { ...init, status, headers });
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { ...init, status, headers });
}

/** An empty response with only a status (e.g. 204 No Content). */
export function noContent(status = 204, headers?: HeadersInit): Response {
  return new Response(null, { status, ...(headers === undefined ? {} : { headers }) });
}

/** Result of reading a request body: the value, or why it could not be read. */
export type ReadResult<T> = { ok: true; value: T; text: string } | { ok: false; error: string; text: string };

/**
 * Reads a request body as JSON without throwing: an empty body or invalid JSON comes back as
 * `{ ok: false, error }` so the sandbox can answer with its marketplace's own error.
 */
export async function readJson<T = unknown>(request: Request): Promise<ReadResult<T>> {
  const text = await request.text();
  if (text.trim() === '') return { ok: false, error: 'empty body', text };
  try {
    return { ok: true, value: JSON.parse(text) as T, text };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'invalid JSON', text };
  }
}

/** Reads an `application/x-www-form-urlencoded` body (JSON objects are accepted too, flattened to strings). */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const text = await request.text();
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    try {
      const value: unknown = JSON.parse(text);
      const params = new URLSearchParams();
      if (isRecord(value)) {
        for (const [key, entry] of Object.entries(value)) {
          if (entry !== undefined && entry !== null) params.set(key, String(entry));
        }
      }
      return params;
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}

/** True for a plain (non-array, non-null) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deterministic counter: `next()` returns start, start+1, ... */
export interface Sequence {
  next(): number;
  /** Starts again from the initial value. */
  reset(): void;
}

/** Creates a {@link Sequence} (deterministic ids make sandbox tests reproducible). */
export function createSequence(start = 1): Sequence {
  let value = start;
  return {
    next: () => {
      const current = value;
      value += 1;
      return current;
    },
    reset: () => {
      value = start;
    },
  };
}

/** A deterministic id generator: `prefix` followed by a sequence number. @example createIdGenerator('MLB', 1000)() → "MLB1000" */
export function createIdGenerator(prefix: string, start = 1): () => string {
  const sequence = createSequence(start);
  return () => `${prefix}${sequence.next()}`;
}

/** Reads a whole-number query parameter; `undefined` when absent, `NaN` when present but not a whole number. */
export function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  return /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

/** A comma-separated query parameter as a list (empty entries dropped). */
export function listParam(params: URLSearchParams, name: string): string[] {
  const raw = params.get(name);
  if (raw === null) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** The bearer token of a request, or undefined when the header is missing or not a bearer. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (header === null) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

/**
 * Formats an epoch as ISO-8601 with a fixed UTC offset in minutes, the way marketplaces print local
 * times: `formatWithOffset(0, -180)` → `"1969-12-31T21:00:00.000-03:00"`.
 */
export function formatWithOffset(epochMs: number, offsetMinutes: number): string {
  const shifted = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  const minutes = String(absolute % 60).padStart(2, '0');
  return `${shifted}${sign}${hours}:${minutes}`;
}

/** Counts API calls per route, for `stats()`. */
export interface CallCounter {
  count(key: string): void;
  snapshot(): { requests: number; byPath: Record<string, number> };
  reset(): void;
}

/** Creates a {@link CallCounter}. */
export function createCallCounter(): CallCounter {
  let requests = 0;
  let byPath: Record<string, number> = {};
  return {
    count(key) {
      requests += 1;
      byPath[key] = (byPath[key] ?? 0) + 1;
    },
    snapshot: () => ({ requests, byPath: { ...byPath } }),
    reset() {
      requests = 0;
      byPath = {};
    },
  };
}

/** Base64url without padding, as PKCE and JWT use. */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** SHA-256 of a UTF-8 string, base64url-encoded (the PKCE S256 code challenge of a verifier). */
export async function sha256Base64Url(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return base64Url(new Uint8Array(digest));
}
