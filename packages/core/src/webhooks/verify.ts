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

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The raw webhook body as text (UTF-8), whichever form it was given in. */
export function webhookBodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : decoder.decode(body);
}

/** The raw webhook body as bytes, whichever form it was given in. */
export function webhookBodyBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}
