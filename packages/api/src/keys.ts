/** What a key may do: `read` reads; `operator` also changes things (stock, disconnects). */
export type ApiScope = 'read' | 'operator';

/**
 * An API key as the server stores it: never the key itself, only its SHA-256 (hex). Keys are
 * 256-bit random strings, so a plain hash is enough (no salt or slow hash is needed against a
 * guess of that size) and the comparison is constant-time.
 */
export interface ApiKeyRecord {
  /** Names the key in logs, rate limits and idempotency scopes; not secret. */
  id: string;
  /** SHA-256 of the key, lowercase hex (see {@link hashApiKey}). */
  sha256: string;
  scopes: readonly ApiScope[];
}

/** The key a request authenticated with: its record without the hash. */
export interface ApiPrincipal {
  keyId: string;
  scopes: readonly ApiScope[];
}

/** A freshly generated key: hand `key` to its user once, store `record`. */
export interface GeneratedApiKey {
  /** The secret; shown once, never stored. */
  key: string;
  record: ApiKeyRecord;
}

const KEY_PREFIX = 'mlh_';

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array | undefined {
  if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(32);
  for (let index = 0; index < 32; index++)
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * SHA-256 of an API key, lowercase hex: what {@link ApiKeyRecord.sha256} holds.
 *
 * @example
 * const sha256 = await hashApiKey(process.env.MLH_API_KEY!);
 */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return toHex(new Uint8Array(digest));
}

/**
 * A new random API key (32 bytes from the platform's CSPRNG) and the record to store for it.
 *
 * @example
 * const { key, record } = await generateApiKey('dashboard', ['read']);
 */
export async function generateApiKey(id: string, scopes: readonly ApiScope[]): Promise<GeneratedApiKey> {
  const key = KEY_PREFIX + base64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { key, record: { id, sha256: await hashApiKey(key), scopes: [...scopes] } };
}

/** Compares two equal-length byte strings in time that does not depend on where they differ. */
function constantTimeEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index++) difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  return difference === 0;
}

/**
 * Finds the record of a presented key. Every stored hash is compared, in constant time, whether or
 * not an earlier one matched, so the answer time says nothing about which key came close.
 */
export async function findApiKey(
  records: readonly ApiKeyRecord[],
  presented: string,
): Promise<ApiPrincipal | undefined> {
  const hash = fromHex(await hashApiKey(presented));
  if (!hash) return undefined;
  let found: ApiKeyRecord | undefined;
  for (const record of records) {
    const stored = fromHex(record.sha256.toLowerCase());
    if (stored && constantTimeEqual(stored, hash) && found === undefined) found = record;
  }
  return found === undefined ? undefined : { keyId: found.id, scopes: found.scopes };
}

/** True when the principal's scopes allow `scope` (`operator` includes `read`). */
export function hasScope(principal: ApiPrincipal, scope: ApiScope): boolean {
  return principal.scopes.includes(scope) || (scope === 'read' && principal.scopes.includes('operator'));
}
