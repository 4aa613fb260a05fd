import type { WebhookDelivery } from '../shared/webhooks';
import { signTikTokWebhook } from './signing';

/** Numeric `type` of each TikTok Shop webhook topic (reference §9.6; confirmed numbers only). */
export const TIKTOK_WEBHOOK_TYPES = {
  ORDER_STATUS_CHANGE: 1,
  REVERSE_STATUS_UPDATE: 2,
  RECIPIENT_ADDRESS_UPDATE: 3,
  PACKAGE_UPDATE: 4,
  PRODUCT_STATUS_CHANGE: 5,
  SELLER_DEAUTHORIZATION: 6,
  UPCOMING_AUTHORIZATION_EXPIRATION: 7,
  CANCELLATION_STATUS_CHANGE: 11,
  RETURN_STATUS_CHANGE: 12,
  NEW_CONVERSATION: 13,
  NEW_MESSAGE: 14,
  PRODUCT_INFORMATION_CHANGE: 15,
  PRODUCT_CREATION: 16,
  /** Brazil: an uploaded NF-e was verified or refused (catalog and after-sale reference §8.1). */
  INVOICE_STATUS_CHANGE: 36,
} as const;

/** Name of a webhook topic the sandbox knows. */
export type TikTokWebhookEventName = keyof typeof TIKTOK_WEBHOOK_TYPES;

/** Event-type strings the Event API (`PUT /event/202309/webhooks`) accepts (reference §9.1). */
export const TIKTOK_EVENT_API_TYPES: readonly string[] = [
  'ORDER_STATUS_CHANGE',
  'RECIPIENT_ADDRESS_UPDATE',
  'PACKAGE_UPDATE',
  'PRODUCT_STATUS_CHANGE',
  'SELLER_DEAUTHORIZATION',
  'UPCOMING_AUTHORIZATION_EXPIRATION',
  'CANCELLATION_STATUS_CHANGE',
  'RETURN_STATUS_CHANGE',
  'NEW_CONVERSATION',
  'NEW_MESSAGE',
  'PRODUCT_INFORMATION_CHANGE',
  'PRODUCT_CREATION',
  'PRODUCT_CATEGORY_CHANGE',
  'NEW_MESSAGE_LISTENER',
  'INVOICE_STATUS_CHANGE',
  'PRODUCT_AUDIT_STATUS_CHANGE',
  'REVERSE_STATUS_UPDATE',
];

/** The JSON body TikTok posts to a webhook address (reference §9.2). */
export interface TikTokWebhookBody {
  type: number;
  tts_notification_id: string;
  shop_id: string;
  timestamp: number;
  data: Record<string, unknown>;
}

/** Input of {@link makeTikTokWebhookRequest}. */
export interface MakeTikTokWebhookRequestOptions {
  appKey: string;
  appSecret: string;
  /** The body: a string is sent as is (and signed as is); an object is serialised once with `JSON.stringify`. */
  body: string | TikTokWebhookBody | Record<string, unknown>;
  /** Where the request is addressed. Default: `http://localhost/webhooks/tiktok`. */
  url?: string;
}

/**
 * Builds a webhook request exactly as TikTok Shop sends it (JSON body, `Authorization` = hex
 * HMAC-SHA256 of `appKey + body` keyed by the app secret), for testing an app's webhook endpoint.
 *
 * @example
 * const request = await makeTikTokWebhookRequest({
 *   appKey: 'my_key',
 *   appSecret: 'my_secret',
 *   body: { type: 1, tts_notification_id: '1', shop_id: '7494', timestamp: 1718305585,
 *           data: { order_id: '5766', order_status: 'AWAITING_SHIPMENT', update_time: 1718305585 } },
 * });
 * const response = await myApp.handleTikTokWebhook(request);
 */
export async function makeTikTokWebhookRequest(options: MakeTikTokWebhookRequestOptions): Promise<Request> {
  const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const signature = await signTikTokWebhook({ appKey: options.appKey, appSecret: options.appSecret, body });
  return new Request(options.url ?? 'http://localhost/webhooks/tiktok', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: signature },
    body,
  });
}

/** One webhook to sign and queue. */
export interface SignedWebhook {
  appKey: string;
  appSecret: string;
  body: string;
  /** The shop's or app's configured address; the delivery's own URL when absent. */
  address?: string | undefined;
}

/**
 * Wraps the shared delivery so webhooks can be signed with WebCrypto (asynchronous) while the
 * sandbox's state changes stay synchronous: signing happens in a queue kept in order, and
 * `flush()` waits for it first, so a flush right after a state change delivers that change.
 */
export function createSignedWebhookQueue(inner: WebhookDelivery): {
  delivery: WebhookDelivery;
  enqueue(webhook: SignedWebhook): void;
} {
  let signing: Promise<void> = Promise.resolve();
  let unsigned = 0;
  // clear() drops webhooks still being signed too: each step checks it was queued after the last clear.
  let generation = 0;

  function later(step: (stillWanted: () => boolean) => void | Promise<void>): void {
    unsigned += 1;
    const queuedIn = generation;
    const stillWanted = () => queuedIn === generation;
    signing = signing
      .then(() => (stillWanted() ? step(stillWanted) : undefined))
      .catch(() => undefined)
      .finally(() => {
        unsigned -= 1;
      });
  }

  const delivery: WebhookDelivery = {
    send(build, options) {
      later(() => inner.send(build, options));
    },
    async flush() {
      await signing;
      return inner.flush();
    },
    configure(options) {
      inner.configure(options);
    },
    get log() {
      return inner.log;
    },
    get pending() {
      return inner.pending + unsigned;
    },
    clear() {
      generation += 1;
      inner.clear();
    },
  };

  return {
    delivery,
    enqueue(webhook) {
      later(async (stillWanted) => {
        const signature = await signTikTokWebhook(webhook);
        if (!stillWanted()) return;
        inner.send(
          ({ url }) =>
            new Request(webhook.address ?? url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: signature },
              body: webhook.body,
            }),
        );
      });
    },
  };
}
