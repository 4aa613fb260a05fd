/**
 * The `state` of an authorization: an encrypted token (JWE, `dir` + A256GCM) that carries which
 * marketplace the flow is for, the PKCE verifier and the expiry. Any process with the secret can
 * open it, so the callback may land on another process than the start; it is single-use through a
 * claim in the shared sync store (see the callback route).
 */
import { EncryptJWT, errors, jwtDecrypt } from 'jose';
import { ApiProblem } from './problem';

const AUDIENCE = 'mlh-api:authorization';
const MIN_SECRET_LENGTH = 32;

/** What a state carries. */
export interface AuthorizationState {
  /** Unguessable id of this authorization: the single-use claim's key. */
  id: string;
  marketplace: string;
  codeVerifier: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** The 256-bit key of a state secret (SHA-256 of it); refuses a short secret. */
export async function stateKey(secret: string): Promise<Uint8Array> {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(
      `authorization.stateSecret must be at least ${MIN_SECRET_LENGTH} characters of a random secret`,
    );
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh random value of `bytes` bytes, base64url: the id (16 bytes) and the PKCE verifier (48). */
export function randomToken(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Encrypts a state. Times in the token are whole seconds; `expiresAt` is rounded down to one. */
export async function sealState(state: AuthorizationState, key: Uint8Array, now: number): Promise<string> {
  return new EncryptJWT({ mkt: state.marketplace, cv: state.codeVerifier })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setJti(state.id)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(state.expiresAt / 1000))
    .encrypt(key);
}

const refused = (code: string, message: string) => new ApiProblem(400, 'authentication', code, message);

/**
 * Opens a state from a callback, or throws a 400 problem: `authorization_state_missing`,
 * `authorization_state_invalid` (not made with this secret, altered, or for another marketplace)
 * or `authorization_state_expired`.
 */
export async function openState(
  token: string | undefined,
  marketplace: string,
  key: Uint8Array,
  now: number,
): Promise<AuthorizationState> {
  if (!token) throw refused('authorization_state_missing', 'The callback has no state');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtDecrypt(token, key, {
      audience: AUDIENCE,
      currentDate: new Date(now),
      contentEncryptionAlgorithms: ['A256GCM'],
      keyManagementAlgorithms: ['dir'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw refused(
        'authorization_state_expired',
        'This authorization expired: start it again from the dashboard',
      );
    }
    throw refused('authorization_state_invalid', 'The callback state was not issued by this API');
  }
  const { jti, mkt, cv, exp } = payload;
  if (typeof jti !== 'string' || typeof cv !== 'string' || typeof exp !== 'number' || mkt !== marketplace) {
    throw refused('authorization_state_invalid', 'The callback state was not issued for this marketplace');
  }
  return { id: jti, marketplace: mkt, codeVerifier: cv, expiresAt: exp * 1000 };
}
