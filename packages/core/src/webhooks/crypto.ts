/** Bytes or text; text is encoded as UTF-8. */
export type BytesLike = string | Uint8Array;

const encoder = new TextEncoder();

function toBytes(value: BytesLike): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

/** The parts as one byte array, text encoded as UTF-8. */
export function concatBytes(parts: readonly BytesLike[]): Uint8Array<ArrayBuffer> {
  const encoded = parts.map(toBytes);
  const out = new Uint8Array(encoded.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of encoded) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

const MAX_CACHED_KEYS = 64;
const keyCache = new Map<string, Promise<CryptoKey>>();

/**
 * Imports an HMAC key once per secret: importing costs more than signing a small message, and a
 * webhook endpoint verifies with the same few secrets all day. The cache is bounded (LRU).
 */
function hmacKey(secret: BytesLike): Promise<CryptoKey> {
  const cacheKey = typeof secret === 'string' ? `s:${secret}` : `b:${toHex(secret)}`;
  const cached = keyCache.get(cacheKey);
  if (cached) {
    keyCache.delete(cacheKey);
    keyCache.set(cacheKey, cached);
    return cached;
  }
  const imported = crypto.subtle.importKey(
    'raw',
    concatBytes([secret]),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  imported.catch(() => keyCache.delete(cacheKey));
  keyCache.set(cacheKey, imported);
  if (keyCache.size > MAX_CACHED_KEYS) {
    const oldest = keyCache.keys().next().value;
    if (oldest !== undefined) keyCache.delete(oldest);
  }
  return imported;
}

/**
 * HMAC-SHA256 on WebCrypto. The message may be given in parts (e.g. `[url, '|', rawBody]`),
 * which are concatenated as bytes.
 */
export async function hmacSha256(
  key: BytesLike,
  message: BytesLike | readonly BytesLike[],
): Promise<Uint8Array> {
  const data = concatBytes(
    typeof message === 'string' || message instanceof Uint8Array ? [message] : message,
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(key), data));
}

/**
 * HMAC-SHA256 as lowercase hex, on WebCrypto (runs in Node, Bun, Deno, Workers), with the
 * imported key cached per secret.
 *
 * @example
 * await hmacSha256Hex('partner-key', `${partnerId}${path}${timestamp}`)
 * // 'e3b0c4…' (64 lowercase hex characters)
 */
export async function hmacSha256Hex(
  key: BytesLike,
  message: BytesLike | readonly BytesLike[],
): Promise<string> {
  return toHex(await hmacSha256(key, message));
}

/**
 * Compares two strings (or byte arrays) in time that depends only on their lengths, never on
 * where they differ, so a signature cannot be guessed byte by byte.
 *
 * @example
 * timingSafeEqual(receivedSignature, expectedSignature)
 */
export function timingSafeEqual(a: BytesLike, b: BytesLike): boolean {
  // Two texts (hex signatures, URL secrets) are compared code unit by code unit, without encoding
  // either: the same answer for any well-formed text, the same loop over the longer length.
  if (typeof a === 'string' && typeof b === 'string') {
    const length = Math.max(a.length, b.length);
    let difference = a.length ^ b.length;
    for (let index = 0; index < length; index++) {
      difference |= (a.charCodeAt(index) | 0) ^ (b.charCodeAt(index) | 0);
    }
    return difference === 0;
  }
  const left = toBytes(a);
  const right = toBytes(b);
  const length = Math.max(left.length, right.length);
  let difference = left.length ^ right.length;
  for (let index = 0; index < length; index++) {
    difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  }
  return difference === 0;
}

/**
 * True when `signature` (hex, any case) is the HMAC-SHA256 of `message` under **any** of the
 * secrets: pass the new secret and the old one while rotating, so no webhook is refused
 * during the switch. Every secret is tried, so timing does not reveal which one matched.
 *
 * @example
 * await matchesHmacSha256Hex([appSecret, previousAppSecret], [appKey, rawBody], headers.get('authorization') ?? '')
 */
export async function matchesHmacSha256Hex(
  secrets: readonly BytesLike[],
  message: BytesLike | readonly BytesLike[],
  signature: string,
): Promise<boolean> {
  const received = signature.trim().toLowerCase();
  let matched = false;
  for (const secret of secrets) {
    if (timingSafeEqual(await hmacSha256Hex(secret, message), received)) matched = true;
  }
  return matched;
}
