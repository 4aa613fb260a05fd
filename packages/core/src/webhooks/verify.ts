import { type MarketplaceId, WebhookVerificationError } from '../errors';
import type { WebhookVerifyResult } from './events';

/**
 * Returns the event of a successful verification, or throws the failure as a
 * {@link WebhookVerificationError} (whose `reason` is the machine-readable word). The `assert…`
 * twin of every adapter's `verify…` is this around it.
 *
 * @example
 * export const assertTiktokWebhook = async (input, options) =>
 *   assertVerified(await verifyTiktokWebhook(input, options), 'tiktok');
 */
export function assertVerified<E>(result: WebhookVerifyResult<E>, marketplace?: MarketplaceId): E {
  if (result.ok) return result.event;
  const detail = result.detail ? `: ${result.detail}` : '';
  throw new WebhookVerificationError(
    result.reason,
    `Webhook${marketplace ? ` from ${marketplace}` : ''} failed verification (${result.reason})${detail}`,
    { marketplace, code: result.reason },
  );
}

// fatal: bytes that are not UTF-8 are refused, never replaced by U+FFFD (the signed bytes and the
// parsed text would then differ, and a forged sequence could pass as a different character).
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The text of a webhook body, or why it has none: bytes that are not well-formed UTF-8. */
export type WebhookBodyDecoding =
  | { ok: true; text: string }
  | { ok: false; reason: 'invalid_encoding'; detail: string };

/**
 * Decodes a raw webhook body as strict UTF-8. Bytes that are not well-formed UTF-8 (and a string
 * holding a lone surrogate, which has no UTF-8 form) give `{ ok: false, reason: 'invalid_encoding' }`
 * instead of text with U+FFFD substituted. Every adapter's verifier decodes through this.
 *
 * @example
 * const decoded = decodeWebhookBody(input.body);
 * if (!decoded.ok) return decoded; // a WebhookVerifyResult failure
 * const payload = JSON.parse(decoded.text);
 */
export function decodeWebhookBody(body: string | Uint8Array): WebhookBodyDecoding {
  if (typeof body === 'string') {
    return LONE_SURROGATE.test(body)
      ? { ok: false, reason: 'invalid_encoding', detail: 'the body holds a lone UTF-16 surrogate' }
      : { ok: true, text: body };
  }
  try {
    return { ok: true, text: strictDecoder.decode(body) };
  } catch {
    return { ok: false, reason: 'invalid_encoding', detail: 'the body is not well-formed UTF-8' };
  }
}

/**
 * The raw webhook body as text (strict UTF-8), whichever form it was given in. Throws a
 * {@link WebhookVerificationError} with reason `invalid_encoding` when the bytes are not UTF-8;
 * verifiers that return a result use {@link decodeWebhookBody}.
 */
export function webhookBodyText(body: string | Uint8Array): string {
  const decoded = decodeWebhookBody(body);
  if (decoded.ok) return decoded.text;
  throw new WebhookVerificationError(decoded.reason, `Webhook body refused: ${decoded.detail}`, {
    code: decoded.reason,
  });
}

/** The raw webhook body as bytes, whichever form it was given in. */
export function webhookBodyBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}
