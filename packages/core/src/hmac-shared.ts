import { type BytesLike, timingSafeEqual } from './webhooks/crypto';

/** A synchronous HMAC-SHA256 as lowercase hex over a message given whole or in parts. */
export type HmacSha256HexSync = (key: BytesLike, message: BytesLike | readonly BytesLike[]) => string;

/** The message as a list of parts, without copying. */
export function messageParts(message: BytesLike | readonly BytesLike[]): readonly BytesLike[] {
  return typeof message === 'string' || message instanceof Uint8Array ? [message] : message;
}

/**
 * Checks a hex signature against every secret with `hmac` (so timing does not reveal which one
 * matched), comparing in constant time.
 */
export function matchesWith(
  hmac: HmacSha256HexSync,
  secrets: readonly BytesLike[],
  message: BytesLike | readonly BytesLike[],
  signature: string,
): boolean {
  const received = signature.trim().toLowerCase();
  let matched = false;
  for (const secret of secrets) {
    if (timingSafeEqual(hmac(secret, message), received)) matched = true;
  }
  return matched;
}
