/// <reference types="node" />
// Node types for this module alone: the rest of core builds without them (`types: []`).
/**
 * Synchronous HMAC-SHA256 for request signing and webhook checks, Node build (the `node` export
 * condition of `@mlh/core/hmac`): `node:crypto`, a few µs per signature. Same functions as the
 * portable `hmac.ts`, which other runtimes get.
 *
 * @packageDocumentation
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { matchesWith, messageParts } from './hmac-shared';
import type { BytesLike } from './webhooks/crypto';

export type { BytesLike } from './webhooks/crypto';

/**
 * HMAC-SHA256 as lowercase hex, computed synchronously. The message may be given in parts
 * (concatenated as bytes, text as UTF-8).
 *
 * @example
 * hmacSha256HexSync('partner-key', `${partnerId}${path}${timestamp}`) // 64 lowercase hex characters
 */
export function hmacSha256HexSync(key: BytesLike, message: BytesLike | readonly BytesLike[]): string {
  const mac = createHmac('sha256', typeof key === 'string' ? keyObjectOf(key) : key);
  if (typeof message === 'string' || message instanceof Uint8Array) return mac.update(message).digest('hex');
  for (const part of messageParts(message)) mac.update(part);
  return mac.digest('hex');
}

/**
 * Secrets given as text, as `KeyObject`s: `createHmac` with a string key encodes it and builds a
 * key every time, which costs about a fifth of a short signature. An app signs with a handful of
 * secrets (one per marketplace app), so a small map holds them; beyond its size it starts over.
 */
const keyObjects = new Map<string, KeyObject>();
const MAX_KEY_OBJECTS = 64;

function keyObjectOf(secret: string): KeyObject {
  let keyObject = keyObjects.get(secret);
  if (keyObject === undefined) {
    if (keyObjects.size >= MAX_KEY_OBJECTS) keyObjects.clear();
    keyObject = createSecretKey(Buffer.from(secret, 'utf8'));
    keyObjects.set(secret, keyObject);
  }
  return keyObject;
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
 * Node's one-shot `crypto.hash` (Node ≥ 20.12): about a microsecond less per content hash than a
 * `Hash` object, which the sync pays per order and product. Runtimes that take this `node` build
 * without it (older Bun or Deno) keep `createHash`.
 */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: BytesLike, encoding: 'hex') => string })
  .hash;

/**
 * SHA-256 of `message` (text as UTF-8) as lowercase hex, computed synchronously: the digest
 * WebCrypto's `crypto.subtle.digest('SHA-256', …)` gives, without its promise and thread hop.
 *
 * @example
 * sha256HexSync('abc') // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export function sha256HexSync(message: BytesLike): string {
  return oneShotHash
    ? oneShotHash('sha256', message, 'hex')
    : createHash('sha256').update(message).digest('hex');
}

/** Which implementation this build uses: `node` here, `noble` (pure JS) in the portable build. */
export const HMAC_IMPLEMENTATION: 'node' | 'noble' = 'node';
