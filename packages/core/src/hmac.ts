/**
 * Synchronous HMAC-SHA256 for request signing and webhook checks, portable build: a pure-JS
 * HMAC (`@noble/hashes`, audited) that runs wherever JavaScript runs. Under Node (the `node`
 * export condition of `@mlh/core/hmac`) the same functions come from `hmac.node.ts`, on
 * `node:crypto`. WebCrypto has no synchronous HMAC, and its per-call cost (a promise and a hop
 * to a thread pool) is many times that of hashing a 100-byte base string.
 *
 * @packageDocumentation
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { matchesWith, messageParts } from './hmac-shared';
import { type BytesLike, toHex } from './webhooks/crypto';

export type { BytesLike } from './webhooks/crypto';

const encoder = new TextEncoder();
const MAX_CACHED_KEYS = 64;
/** The keyed state (inner and outer pads hashed) per secret: a signer uses the same key all day. */
const keyed = new Map<string, ReturnType<typeof hmac.create>>();

function keyedState(key: BytesLike): ReturnType<typeof hmac.create> {
  const cacheKey = typeof key === 'string' ? `s:${key}` : `b:${toHex(key)}`;
  let state = keyed.get(cacheKey);
  if (!state) {
    state = hmac.create(sha256, typeof key === 'string' ? encoder.encode(key) : key);
    if (keyed.size >= MAX_CACHED_KEYS) {
      const oldest = keyed.keys().next().value;
      if (oldest !== undefined) keyed.delete(oldest);
    }
    keyed.set(cacheKey, state);
  }
  return state;
}

/**
 * HMAC-SHA256 as lowercase hex, computed synchronously. The message may be given in parts
 * (concatenated as bytes, text as UTF-8).
 *
 * @example
 * hmacSha256HexSync('partner-key', `${partnerId}${path}${timestamp}`) // 64 lowercase hex characters
 */
export function hmacSha256HexSync(key: BytesLike, message: BytesLike | readonly BytesLike[]): string {
  const state = keyedState(key).clone();
  for (const part of messageParts(message)) {
    state.update(typeof part === 'string' ? encoder.encode(part) : part);
  }
  return toHex(state.digest());
}

/**
 * True when `signature` (hex, any case) is the HMAC-SHA256 of `message` under any of the
 * secrets, compared in constant time; every secret is tried (key rotation).
 *
 * @example
 * matchesHmacSha256HexSync([appSecret, previousAppSecret], [appKey, rawBody], signature)
 */
export function matchesHmacSha256HexSync(
  secrets: readonly BytesLike[],
  message: BytesLike | readonly BytesLike[],
  signature: string,
): boolean {
  return matchesWith(hmacSha256HexSync, secrets, message, signature);
}

/**
 * SHA-256 of `message` (text as UTF-8) as lowercase hex, computed synchronously: the digest
 * WebCrypto's `crypto.subtle.digest('SHA-256', …)` gives, without its promise and thread hop.
 *
 * @example
 * sha256HexSync('abc') // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export function sha256HexSync(message: BytesLike): string {
  return toHex(sha256(typeof message === 'string' ? encoder.encode(message) : message));
}

/** Which implementation this build uses: `noble` (pure JS) here, `node` under the `node` condition. */
export const HMAC_IMPLEMENTATION: 'node' | 'noble' = 'noble';
