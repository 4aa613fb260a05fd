import {
  assertVerified,
  type Clock,
  decodeWebhookBody,
  type MlhEvent,
  type MlhEventType,
  type MlhResourceType,
  parseJsonLossless,
  systemClock,
  type WebhookSource,
  type WebhookVerifyResult,
} from '@mlh/core';
import { matchesHmacSha256HexSync } from '@mlh/core/hmac';
import { secondsToIso, TIKTOK } from './mappers';
import type { TikTokWebhookBody } from './schemas';

/** Numeric webhook `type` → topic name (numbers past 12 partly from one source; unknown types still parse). */
export const TIKTOK_WEBHOOK_TOPICS: Readonly<Record<number, string>> = Object.freeze({
  1: 'ORDER_STATUS_CHANGE',
  2: 'REVERSE_STATUS_UPDATE',
  3: 'RECIPIENT_ADDRESS_UPDATE',
  4: 'PACKAGE_UPDATE',
  5: 'PRODUCT_STATUS_CHANGE',
  6: 'SELLER_DEAUTHORIZATION',
  7: 'UPCOMING_AUTHORIZATION_EXPIRATION',
  11: 'CANCELLATION_STATUS_CHANGE',
  12: 'RETURN_STATUS_CHANGE',
  13: 'NEW_CONVERSATION',
  14: 'NEW_MESSAGE',
  15: 'PRODUCT_INFORMATION_CHANGE',
  16: 'PRODUCT_CREATION',
  17: 'SHOPPABLE_CONTENT_POSTING',
  18: 'PRODUCT_CATEGORY_CHANGE',
  19: 'SIZE_CHART_CHANGE',
  20: 'CREATOR_DEAUTHORIZATION',
  21: 'INBOUND_FBT_ORDER_STATUS_CHANGE',
  22: 'FBT_MERCHANT_ONBOARDING',
  23: 'GOODS_MATCH',
  24: 'FBT_INVENTORY_UPDATE',
  25: 'OPPORTUNITY_MATCHING_STATUS_CHANGE',
  27: 'INVENTORY_STATUS_CHANGE',
  33: 'NEW_MESSAGE_LISTENER',
  35: 'TOKOPEDIA_MIRROR_STATUS_CHANGE',
  36: 'INVOICE_STATUS_CHANGE',
  37: 'PRODUCT_AUDIT_STATUS_CHANGE',
  38: 'STRIKETHROUGH_PRICE_EXPIRED',
  39: 'ACTIVITY_STATUS_CHANGE',
  42: 'COMBINED_LISTING_CHANGE',
  46: 'IMAGE_TRANSLATION_COMPLETED',
  50: 'SKU_STATUS_CHANGE',
});

/** A core event from a TikTok webhook, with TikTok's own envelope fields. */
export interface TikTokWebhookEvent extends MlhEvent {
  tiktok: {
    /** The numeric `type` as sent. */
    type: number;
    /** Its topic name, when known. */
    topic: string | undefined;
    shopId: string;
    /** `tts_notification_id`, absent in old payloads. */
    notificationId: string | undefined;
    /** Push time (Unix seconds). */
    timestamp: number;
  };
}

/** Default replay window on the body's `timestamp`: covers TikTok's reported retries (up to ~15 h after the first push). */
export const TIKTOK_WEBHOOK_DEFAULT_TOLERANCE_SECONDS = 24 * 60 * 60;

/** Options of {@link verifyTikTokWebhook}. */
export interface VerifyTikTokWebhookOptions {
  appKey: string;
  /** The app secret, or several during a rotation (any one may match). */
  appSecrets: string | readonly string[];
  /** The raw body exactly as received. */
  body: string | Uint8Array;
  /** The `Authorization` header: the bare hex signature. */
  authorization: string | null | undefined;
  /**
   * Refuse a body whose `timestamp` is further than this from now (replay). Default 24 h, because
   * TikTok's retries keep the original push time; `0` or `Infinity` turns the check off.
   */
  toleranceSeconds?: number | undefined;
  /** Current time in epoch ms (tests). Default `Date.now()`. */
  now?: number | undefined;
}

const encoder = new TextEncoder();

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * An id field of a parsed body. The body is parsed losslessly, so an id sent as a bare number
 * beyond 2^53 (old webhook samples) is already its exact digits; a smaller number is turned into
 * its string. Only this object's own field is read, never a same-named field deeper in the body.
 */
function idField(data: Record<string, unknown>, field: string): string | undefined {
  const value = data[field];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

interface Classified {
  type: MlhEventType;
  resourceType: MlhResourceType;
  resourceId: string | undefined;
  status?: string | undefined;
}

function firstPackageId(data: Record<string, unknown>): string | undefined {
  const list = data.package_list;
  if (Array.isArray(list) && typeof list[0] === 'object' && list[0] !== null) {
    return idField(list[0] as Record<string, unknown>, 'package_id');
  }
  return idField(data, 'package_id');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What a TikTok webhook is about, in core terms. */
function classify(type: number, data: Record<string, unknown>): Classified {
  const order = idField(data, 'order_id');
  const productId = idField(data, 'product_id');
  switch (type) {
    case 1: {
      const status = text(data.order_status);
      const upper = status?.toUpperCase();
      const kind: MlhEventType =
        upper === 'CANCEL' || upper === 'CANCELLED'
          ? 'order.cancelled'
          : upper === 'UNPAID'
            ? 'order.created'
            : 'order.updated';
      return { type: kind, resourceType: 'order', resourceId: order, status };
    }
    case 2:
      return {
        type: 'return.updated',
        resourceType: 'return',
        resourceId: idField(data, 'reverse_order_id') ?? order,
        status: text(data.reverse_order_status) ?? text(data.reverse_event_type),
      };
    case 3:
      return { type: 'order.updated', resourceType: 'order', resourceId: order };
    case 4:
      return {
        type: 'shipment.updated',
        resourceType: 'shipment',
        resourceId: firstPackageId(data) ?? order,
        status: text(data.sc_type),
      };
    case 5:
    case 15:
    case 16:
    case 18:
    case 37:
    case 50:
      return {
        type: 'product.updated',
        resourceType: 'product',
        resourceId: productId,
        status: text(data.status),
      };
    case 42: {
      const products = Array.isArray(data.products) ? (data.products as Array<Record<string, unknown>>) : [];
      const first = products[0] ? idField(products[0], 'id') : undefined;
      return {
        type: 'product.updated',
        resourceType: 'product',
        resourceId: first,
        status: text(data.status),
      };
    }
    case 6:
      return { type: 'authorization.revoked', resourceType: 'account', resourceId: undefined };
    case 7:
      return { type: 'authorization.expiring', resourceType: 'account', resourceId: undefined };
    case 11:
      return {
        type: 'order.updated',
        resourceType: 'order',
        resourceId: order,
        status: text(data.cancel_status),
      };
    case 12:
      return {
        type: 'return.updated',
        resourceType: 'return',
        resourceId: idField(data, 'return_id') ?? order,
        status: text(data.return_status),
      };
    case 13:
    case 14:
    case 33:
      return {
        type: 'message.received',
        resourceType: 'message',
        resourceId: idField(data, 'conversation_id') ?? idField(data, 'message_id'),
      };
    case 24:
    case 27:
      return { type: 'inventory.updated', resourceType: 'product', resourceId: productId };
    case 36:
      return {
        type: 'shipment.updated',
        resourceType: 'shipment',
        resourceId: idField(data, 'package_id'),
        status: text(data.invoice_status),
      };
    default:
      return { type: 'unknown', resourceType: 'other', resourceId: order ?? productId };
  }
}

function occurredAt(data: Record<string, unknown>, pushTime: number): string {
  const updated = Number(data.update_time);
  if (Number.isFinite(updated) && updated > 0) return secondsToIso(updated);
  const created = Number(data.create_time);
  if (Number.isFinite(created) && created > 0) return secondsToIso(created);
  return secondsToIso(pushTime);
}

/**
 * Verifies a TikTok Shop webhook and parses it into a core event. The signature is HMAC-SHA256
 * (key: app secret) of `app_key + raw body`, hex, in the `Authorization` header; compared in
 * constant time against every secret given (rotation). The body's push `timestamp` must be within
 * `toleranceSeconds`. `dedupeKey` is `tts_notification_id` (a hash of the body for old payloads),
 * stable across redeliveries. Unknown `type`s parse as `unknown` events.
 *
 * @example
 * const result = await verifyTikTokWebhook({
 *   appKey: process.env.TIKTOK_APP_KEY!,
 *   appSecrets: [process.env.TIKTOK_APP_SECRET!],
 *   body: await request.text(),
 *   authorization: request.headers.get('authorization'),
 * });
 * if (!result.ok) return new Response(null, { status: 401 });
 */
export async function verifyTikTokWebhook(
  options: VerifyTikTokWebhookOptions,
): Promise<WebhookVerifyResult<TikTokWebhookEvent>> {
  const authorization = options.authorization?.trim();
  if (!authorization) return { ok: false, reason: 'missing_signature', detail: 'no Authorization header' };
  const secrets = (
    typeof options.appSecrets === 'string' ? [options.appSecrets] : [...options.appSecrets]
  ).filter((secret) => secret !== '');
  if (secrets.length === 0 || !options.appKey) {
    return { ok: false, reason: 'wrong_application', detail: 'no app key or app secret configured' };
  }
  if (!matchesHmacSha256HexSync(secrets, [options.appKey, options.body], authorization)) {
    return { ok: false, reason: 'bad_signature', detail: 'no app secret produces this signature' };
  }

  const decoded = decodeWebhookBody(options.body);
  if (!decoded.ok) return decoded;
  const raw = decoded.text;
  let json: unknown;
  try {
    json = parseJsonLossless(raw);
  } catch {
    return { ok: false, reason: 'malformed_body', detail: 'the body is not JSON' };
  }
  const parsed = readWebhook(json, false);
  if (!parsed.ok) {
    const detail = `not a TikTok webhook envelope: ${parsed.fields.join(', ')}`;
    return { ok: false, reason: 'malformed_body', detail };
  }
  const body = parsed.body;
  const shopId = idField(json as Record<string, unknown>, 'shop_id') ?? body.shop_id;

  const tolerance = options.toleranceSeconds ?? TIKTOK_WEBHOOK_DEFAULT_TOLERANCE_SECONDS;
  if (tolerance > 0 && Number.isFinite(tolerance)) {
    const nowSeconds = (options.now ?? Date.now()) / 1000;
    if (Math.abs(nowSeconds - body.timestamp) > tolerance) {
      return {
        ok: false,
        reason: 'stale',
        detail: `timestamp ${body.timestamp} is more than ${tolerance} s from now`,
      };
    }
  }

  const topic = TIKTOK_WEBHOOK_TOPICS[body.type];
  const classified = classify(body.type, body.data);
  const dedupeKey = body.tts_notification_id
    ? `tiktok:${body.tts_notification_id}`
    : `tiktok:sha256:${await sha256Hex(raw)}`;
  const event: TikTokWebhookEvent = {
    type: classified.type,
    marketplace: TIKTOK,
    accountId: shopId,
    resourceType: classified.resourceType,
    resourceId: classified.resourceId ?? shopId,
    occurredAt: occurredAt(body.data, body.timestamp),
    dedupeKey,
    topic: topic ?? String(body.type),
    raw: json,
    tiktok: {
      type: body.type,
      topic,
      shopId,
      notificationId: body.tts_notification_id,
      timestamp: body.timestamp,
    },
  };
  // Set after the others rather than spread into the literal: one object, no copy per webhook.
  if (classified.status) event.status = classified.status;
  return { ok: true, event };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Reads a webhook body as the `TikTokWebhookBody` schema would (an integer `type`, `shop_id` as a
 * string, `timestamp` as a number from digits too, `data` an object or `{}`, unknown fields
 * kept), naming the fields that are not. Without zod: a webhook endpoint's bundle then carries no
 * schema library for this one small envelope (a test holds the two equal).
 */
export function readTikTokWebhook(
  json: unknown,
): { ok: true; body: TikTokWebhookBody } | { ok: false; fields: string[] } {
  return readWebhook(json, true);
}

/**
 * {@link readTikTokWebhook}; without `keepAll`, only the envelope's own fields are returned (what
 * the verifier reads; its event keeps the parsed body as `raw`): copying a parsed body per webhook
 * costs more than the rest of reading it.
 */
function readWebhook(
  json: unknown,
  keepAll: boolean,
): { ok: true; body: TikTokWebhookBody } | { ok: false; fields: string[] } {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return { ok: false, fields: ['(root)'] };
  const body = json as Record<string, unknown>;
  const { type, tts_notification_id: notificationId, shop_id: shopId, timestamp, data } = body;
  const fields: string[] = [];
  if (!(typeof type === 'number' && Number.isSafeInteger(type))) fields.push('type');
  if (!(notificationId === undefined || typeof notificationId === 'string'))
    fields.push('tts_notification_id');
  if (!(typeof shopId === 'string' || (typeof shopId === 'number' && Number.isFinite(shopId))))
    fields.push('shop_id');
  if (
    !(
      (typeof timestamp === 'number' && Number.isFinite(timestamp)) ||
      (typeof timestamp === 'string' && /^\d+$/.test(timestamp))
    )
  )
    fields.push('timestamp');
  if (!(data === undefined || isPlainRecord(data))) fields.push('data');
  if (fields.length > 0) return { ok: false, fields };
  if (!keepAll) {
    const envelope = {
      type,
      tts_notification_id: notificationId,
      shop_id: String(shopId),
      timestamp: Number(timestamp),
      data: data ?? {},
    };
    return { ok: true, body: envelope as TikTokWebhookBody };
  }
  // Assigned over the copy (each key keeps its place), not spread into it.
  const read: Record<string, unknown> = { ...body };
  read.type = type;
  read.shop_id = String(shopId);
  read.timestamp = Number(timestamp);
  read.data = data ?? {};
  return { ok: true, body: read as unknown as TikTokWebhookBody };
}

/** Like {@link verifyTikTokWebhook}, but returns the event or throws `WebhookVerificationError`. */
export async function assertTikTokWebhook(options: VerifyTikTokWebhookOptions): Promise<TikTokWebhookEvent> {
  return assertVerified(await verifyTikTokWebhook(options), TIKTOK);
}

/** Options of {@link tiktokWebhookSource}. */
export interface TikTokWebhookSourceOptions {
  appKey: string;
  appSecrets: string | readonly string[];
  toleranceSeconds?: number | undefined;
  /** Clock for the replay window; default the system clock. */
  clock?: Clock | undefined;
}

/**
 * TikTok's `WebhookSource` for core `createWebhookHandler`: reads the `Authorization`
 * header and the raw body, and answers `200` on acceptance (what TikTok expects, fast).
 */
export function tiktokWebhookSource(options: TikTokWebhookSourceOptions): WebhookSource {
  const clock = options.clock ?? systemClock;
  return {
    marketplace: TIKTOK,
    verify(input) {
      return verifyTikTokWebhook({
        appKey: options.appKey,
        appSecrets: options.appSecrets,
        body: input.body,
        authorization: input.headers.get('authorization'),
        toleranceSeconds: options.toleranceSeconds,
        now: clock.now(),
      });
    },
    acknowledge() {
      return new Response(null, { status: 200 });
    },
  };
}
