/**
 * The operator's session: their API key in an encrypted cookie (JWE, `dir` + A256GCM with a key
 * derived from the dashboard's `sessionSecret`). Any process of a fleet configured with the same
 * secret reads it, so the dashboard keeps no session table.
 */
import { EncryptJWT, jwtDecrypt } from 'jose';

/** What the dashboard knows about the signed-in operator. */
export interface DashboardSession {
  /** The operator's own API key; every page calls the API with it. */
  apiKey: string;
  /** Whether the key may act (`operator`) or only look (`read`), as the API answered at login. */
  scope: 'read' | 'operator';
}

/** The shortest `sessionSecret` accepted: 32 characters. */
export const MIN_SESSION_SECRET_LENGTH = 32;

/** Derives the 256-bit content encryption key from the configured secret. */
export async function sessionKey(secret: string): Promise<Uint8Array> {
  if (typeof secret !== 'string' || secret.length < MIN_SESSION_SECRET_LENGTH) {
    throw new TypeError(
      `sessionSecret must be a string of at least ${MIN_SESSION_SECRET_LENGTH} characters (e.g. 32 random bytes in base64url)`,
    );
  }
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`mlh-admin-session:${secret}`),
  );
  return new Uint8Array(digest);
}

/** Encrypts a session into a compact JWE that expires after `ttlSeconds`. */
export async function sealSession(
  session: DashboardSession,
  key: Uint8Array,
  ttlSeconds: number,
  nowMs: number,
): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  return new EncryptJWT({ key: session.apiKey, scope: session.scope })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .encrypt(key);
}

/** Decrypts a session cookie; undefined when it is absent, forged, made with another secret or expired. */
export async function openSession(
  token: string | undefined,
  key: Uint8Array,
  nowMs: number,
): Promise<DashboardSession | undefined> {
  if (token === undefined || token === '') return undefined;
  try {
    const { payload } = await jwtDecrypt(token, key, { currentDate: new Date(nowMs) });
    const apiKey = payload.key;
    const scope = payload.scope;
    if (typeof apiKey !== 'string' || (scope !== 'read' && scope !== 'operator')) return undefined;
    return { apiKey, scope };
  } catch {
    return undefined;
  }
}
