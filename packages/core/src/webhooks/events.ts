import type { MarketplaceId } from '../errors';

/** What a normalized event is about. */
export type MlhEventType =
  | 'order.created'
  | 'order.updated'
  | 'order.cancelled'
  | 'product.updated'
  | 'product.deleted'
  | 'inventory.updated'
  | 'shipment.updated'
  | 'return.updated'
  | 'message.received'
  | 'question.received'
  | 'authorization.granted'
  | 'authorization.expiring'
  | 'authorization.revoked'
  | 'unknown';

/** The kind of resource an event names. */
export type MlhResourceType =
  | 'order'
  | 'product'
  | 'shipment'
  | 'return'
  | 'message'
  | 'question'
  | 'account'
  | 'other';

/**
 * A marketplace notification, normalized. Events are hints: they name the resource that changed,
 * and the application (or `OrderSync`) fetches the resource to learn its current state.
 */
export interface MlhEvent<T extends MlhEventType = MlhEventType> {
  type: T;
  marketplace: MarketplaceId;
  /** The seller account the event belongs to (Mercado Livre user id, Shopee shop id, TikTok shop id). */
  accountId: string;
  resourceType: MlhResourceType;
  /** Id of the resource to fetch (order id, item id, shipment id, ...). */
  resourceId: string;
  /** When the marketplace says the change happened (ISO 8601). */
  occurredAt: string;
  /** Stable across redeliveries of the same notification: the key to deduplicate on. */
  dedupeKey: string;
  /** The marketplace's own topic / code / type, as sent. */
  topic: string;
  /** The marketplace's status for the resource when the notification carries one. */
  status?: string;
  /** The parsed notification body as received. */
  raw: unknown;
}

/** Why a webhook failed verification. */
export type WebhookFailureReason =
  | 'missing_signature'
  | 'bad_signature'
  | 'malformed_body'
  | 'invalid_encoding'
  | 'stale'
  | 'unknown_topic'
  | 'wrong_application'
  | 'wrong_url'
  | 'body_too_large'
  | 'unknown_marketplace';

/**
 * What every verifier returns: the event, or the reason it was refused. A delivery that names
 * several accounts (a main-account grant covering many shops) also carries `events`, one per
 * account, the first being `event`; `createWebhookHandler` dedupes and emits each of them.
 */
export type WebhookVerifyResult<E = MlhEvent> =
  | { ok: true; event: E; events?: readonly E[] | undefined }
  | { ok: false; reason: WebhookFailureReason; detail?: string };

/** Every event of a successful verification: `events` when the delivery has several, else `[event]`. */
export function verifiedEvents<E>(result: { event: E; events?: readonly E[] | undefined }): readonly E[] {
  return result.events && result.events.length > 0 ? result.events : [result.event];
}

/** A received webhook request, as every verifier sees it: the raw body, never a re-serialized one. */
export interface WebhookInput {
  /** The raw body exactly as received. */
  body: string | Uint8Array;
  headers: Headers;
  /** The full URL the request was received on (some marketplaces sign it or carry a secret in it). */
  url: string;
}

/**
 * One marketplace's webhook verification, pluggable into `createWebhookHandler`. Each adapter
 * exports a factory for it (e.g. `shopeeWebhookSource({ ... })`).
 */
export interface WebhookSource {
  readonly marketplace: MarketplaceId;
  verify(input: WebhookInput): Promise<WebhookVerifyResult>;
  /** The response the marketplace expects on acceptance; default `204 No Content`. */
  acknowledge?(): Response;
}
