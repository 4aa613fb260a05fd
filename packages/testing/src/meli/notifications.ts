import { randomHex } from '../shared/index';
import type { MeliNotification } from './types';

/** The app id of the sandbox's default app, also the default `application_id` of test notifications. */
export const MELI_SANDBOX_APP_ID = 5_503_910_054_141_466;

/** The fields a test gives for a notification; the rest get realistic defaults. */
export type MeliNotificationInput = Partial<MeliNotification> &
  Pick<MeliNotification, 'resource' | 'topic' | 'user_id'>;

/**
 * A complete Mercado Livre notification payload: `_id`, `attempts: 1`, `sent`/`received` now (UTC)
 * and the sandbox's default `application_id` unless given.
 *
 * @example
 * makeMeliNotification({ topic: 'orders_v2', resource: '/orders/2000009000000001', user_id: 100000001 })
 */
export function makeMeliNotification(
  input: MeliNotificationInput,
  now: number = Date.now(),
): MeliNotification {
  const at = new Date(now).toISOString();
  return {
    _id: randomHex(24),
    application_id: MELI_SANDBOX_APP_ID,
    attempts: 1,
    sent: at,
    received: at,
    ...input,
  };
}

/** Input of {@link makeMeliNotificationRequest}. */
export interface MeliNotificationRequestInput {
  /** The app's callback URL. Default: `http://localhost/webhooks/meli`. */
  url?: string;
  /** The payload; missing fields are filled by {@link makeMeliNotification}. */
  body: MeliNotificationInput;
  /** Extra headers (Mercado Livre sends no signature, so none is needed). */
  headers?: Record<string, string>;
  /** Time used for `sent`/`received`. Default: now. */
  now?: number;
}

/**
 * A Fetch `Request` exactly like the POST Mercado Livre sends to a callback URL, for testing an
 * app's notification endpoint. Mercado Livre signs nothing, so this is only the right shape.
 *
 * @example
 * const request = makeMeliNotificationRequest({
 *   url: 'https://my-app.test/webhooks/meli',
 *   body: { topic: 'items', resource: '/items/MLB1000000001', user_id: 100000001 },
 * });
 * const response = await app.handleMeliWebhook(request);
 */
export function makeMeliNotificationRequest(input: MeliNotificationRequestInput): Request {
  const body = makeMeliNotification(input.body, input.now);
  return new Request(input.url ?? 'http://localhost/webhooks/meli', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...input.headers },
    body: JSON.stringify(body),
  });
}
