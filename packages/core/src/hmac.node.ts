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
  if (typeof key === 'string' && typeof message === 'string' && oneShotHash && ASCII.test(message)) {
    // HMAC as RFC 2104 writes it, two one-shot hashes over the padded key: about a microsecond
    // less than a `Hmac` object, whose set-up is most of a short signature's cost. Text is
    // latin1 here, which is UTF-8 for ASCII; the pads take every byte value.
    const { innerPad, outerPad } = secretOf(key);
    const inner = oneShotHash('sha256', Buffer.from(innerPad + message, 'latin1'), 'latin1');
    return oneShotHash('sha256', Buffer.from(outerPad + inner, 'latin1'), 'hex');
  }
  const mac = createHmac('sha256', typeof key === 'string' ? secretOf(key).keyObject : key);
  if (typeof message === 'string' || message instanceof Uint8Array) return mac.update(message).digest('hex');
  for (const part of messageParts(message)) mac.update(part);
  return mac.digest('hex');
}

/** Text of code points below 128 only: its latin1 bytes are its UTF-8 bytes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: every ASCII code point, controls included.
const ASCII = /^[\u0000-\u007f]*$/;

/** A text secret prepared once: its `KeyObject`, and its HMAC pads as latin1 text. */
interface TextSecret {
  keyObject: KeyObject;
  innerPad: string;
  outerPad: string;
}

/**
 * Secrets given as text, prepared once: `createHmac` with a string key encodes it and builds a
 * key every time, which costs about a fifth of a short signature. An app signs with a handful of
 * secrets (one per marketplace app), so a small map holds them; beyond its size it starts over.
 */
const textSecrets = new Map<string, TextSecret>();
const MAX_TEXT_SECRETS = 64;
/** SHA-256's block size: a longer key is hashed first, a shorter one padded with zeros. */
const BLOCK_BYTES = 64;

function secretOf(secret: string): TextSecret {
  let prepared = textSecrets.get(secret);
  if (prepared === undefined) {
    if (textSecrets.size >= MAX_TEXT_SECRETS) textSecrets.clear();
    const bytes = Buffer.from(secret, 'utf8');
    const block = Buffer.alloc(BLOCK_BYTES);
    (bytes.length > BLOCK_BYTES ? createHash('sha256').update(bytes).digest() : bytes).copy(block);
    const innerPad = Buffer.alloc(BLOCK_BYTES);
    const outerPad = Buffer.alloc(BLOCK_BYTES);
    for (let index = 0; index < BLOCK_BYTES; index++) {
      innerPad[index] = (block[index] as number) ^ 0x36;
      outerPad[index] = (block[index] as number) ^ 0x5c;
    }
    prepared = {
      keyObject: createSecretKey(bytes),
      innerPad: innerPad.toString('latin1'),
      outerPad: outerPad.toString('latin1'),
    };
    textSecrets.set(secret, prepared);
  }
  return prepared;
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
const oneShotHash = (
  nodeCrypto as { hash?: (algorithm: string, data: BytesLike, encoding: 'hex' | 'latin1') => string }
).hash;

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
