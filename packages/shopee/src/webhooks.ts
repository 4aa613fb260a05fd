import {
  assertVerified,
  decodeWebhookBody,
  hmacSha256Hex,
  type MlhEvent,
  type MlhEventType,
  type MlhResourceType,
  timingSafeEqual,
  ValidationError,
  type WebhookSource,
  type WebhookVerifyResult,
} from '@mlh/core';
import { parseShopeeJson } from './json';
import { fromShopeeTime, shopeeShipmentId } from './mappers';
import { ShopeePushBody as PushBodySchema, type ShopeePushBody } from './schemas';
import { merchantAccountId, SHOPEE, shopAccountId } from './transport';

/**
 * Shopee push notifications: verification of the `Authorization` header (HMAC-SHA256 over the
 * registered callback URL + `|` + the raw body) and parsing into core events. Pushes are hints:
 * fetch the order/item to learn its state.
 */

/** Push `code` → Shopee's name for it (codes above 15 are from community sources). */
export const SHOPEE_PUSH_CODES: Readonly<Record<number, string>> = Object.freeze({
  1: 'shop_authorization_push',
  2: 'shop_authorization_canceled_push',
  3: 'order_status_push',
  4: 'order_trackingno_push',
  5: 'shopee_updates',
  6: 'banned_item_push',
  7: 'item_promotion_push',
  8: 'reserved_stock_change_push',
  9: 'promotion_update_push',
  10: 'webchat_push',
  11: 'video_upload_push',
  12: 'open_api_authorization_expiry',
  13: 'brand_register_result',
  15: 'shipping_document_status_push',
  16: 'violation_item_push',
  22: 'item_price_update_push',
  23: 'booking_status_push',
  24: 'booking_trackingno_push',
  25: 'booking_shipping_document_status_push',
  27: 'item_scheduled_publish_failed_push',
  28: 'shop_penalty_update_push',
  29: 'return_updates_push',
  30: 'package_fulfillment_status_push',
});

function keysOf(partnerKeys: string | readonly string[]): string[] {
  const keys = (typeof partnerKeys === 'string' ? [partnerKeys] : [...partnerKeys]).filter(
    (key) => typeof key === 'string' && key !== '',
  );
  if (keys.length === 0) {
    throw new ValidationError(
      'Invalid Shopee push verification options',
      [
        {
          path: 'partnerKeys',
          message: 'at least one key (the Live Push Partner Key and/or the partner key)',
        },
      ],
      { marketplace: SHOPEE },
    );
  }
  return keys;
}

/**
 * The `Authorization` value Shopee sends for a push: lowercase hex HMAC-SHA256, keyed with the
 * push (or partner) key, over `callbackUrl + "|" + rawBody`. Use it to make signed test pushes.
 *
 * @example
 * const authorization = await signShopeePush({ url: 'https://example.com/shopee/push', body, partnerKey });
 */
export function signShopeePush(input: {
  url: string;
  body: string | Uint8Array;
  partnerKey: string;
}): Promise<string> {
  return hmacSha256Hex(input.partnerKey, [input.url, '|', input.body]);
}

/** Input of {@link verifyShopeePush}. */
export interface VerifyShopeePushInput {
  /**
   * The callback URL **exactly as registered** in the Console (scheme, host, path, query). Do not
   * rebuild it from the incoming request: proxies change scheme, host and port.
   */
  url: string;
  /** The raw body exactly as received (never re-serialized JSON). */
  body: string | Uint8Array;
  /** The `Authorization` header value. */
  authorization: string | null | undefined;
  /**
   * Keys to try: the Console's Live Push Partner Key and/or the partner key (the documentation
   * and recent integrations disagree on which signs pushes), and old keys while rotating.
   */
  partnerKeys: string | readonly string[];
  /** Fallback event time (epoch ms) when the push carries none; default now. */
  now?: number | undefined;
}

/**
 * Verifies a Shopee push and parses it into a core event. Every key is tried (constant-time
 * comparisons, no early exit). Reasons: `missing_signature`, `bad_signature` (wrong key, wrong
 * URL, or a body that is not the one signed), `invalid_encoding` (signed bytes that are not
 * UTF-8), `malformed_body`.
 *
 * @example
 * const result = await verifyShopeePush({
 *   url: 'https://seller.example.com/shopee/push',
 *   body: await request.text(),
 *   authorization: request.headers.get('authorization'),
 *   partnerKeys: [process.env.SHOPEE_PUSH_KEY!, process.env.SHOPEE_PARTNER_KEY!],
 * });
 * if (result.ok) queue.push(result.event);
 */
export async function verifyShopeePush(input: VerifyShopeePushInput): Promise<WebhookVerifyResult> {
  const keys = keysOf(input.partnerKeys);
  const received = (input.authorization ?? '').trim().toLowerCase();
  if (received === '') return { ok: false, reason: 'missing_signature' };
  let matched = false;
  for (const key of keys) {
    const expected = await signShopeePush({ url: input.url, body: input.body, partnerKey: key });
    if (timingSafeEqual(expected, received)) matched = true;
  }
  if (!matched) {
    return { ok: false, reason: 'bad_signature', detail: 'no key signs this callback URL and body' };
  }
  const decoded = decodeWebhookBody(input.body);
  if (!decoded.ok) return decoded;
  return parseShopeePush(decoded.text, { now: input.now });
}

/** The throwing twin of {@link verifyShopeePush}: returns the event or throws `WebhookVerificationError`. */
export async function assertShopeePush(input: VerifyShopeePushInput): Promise<MlhEvent> {
  return assertVerified(await verifyShopeePush(input), SHOPEE);
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function firstOf(value: unknown): string | undefined {
  return Array.isArray(value) ? text(value[0]) : undefined;
}

function pushAccount(push: ShopeePushBody, data: Record<string, unknown>): string {
  const shop = push.shop_id ?? text(data.shop_id) ?? firstOf(data.shop_id_list);
  if (shop) return shopAccountId(shop);
  const merchant = text(data.merchant_id) ?? firstOf(data.merchant_id_list);
  if (merchant) return merchantAccountId(merchant);
  return text(data.main_account_id) ?? '';
}

function itemIdOf(data: Record<string, unknown>): string | undefined {
  return text(data.item_id) ?? text(record(Array.isArray(data.items) ? data.items[0] : undefined).item_id);
}

interface Classified {
  type: MlhEventType;
  resourceType: MlhResourceType;
  resourceId: string;
  status?: string | undefined;
  /** Content-based dedupe identity (stable across redeliveries). */
  identity?: string | undefined;
}

function classify(push: ShopeePushBody, data: Record<string, unknown>, account: string): Classified {
  const ordersn = text(data.ordersn) ?? text(data.order_sn);
  const packageNumber = text(data.package_number);
  const unknown: Classified = { type: 'unknown', resourceType: 'other', resourceId: String(push.code) };
  switch (push.code) {
    case 1:
      return { type: 'authorization.granted', resourceType: 'account', resourceId: account };
    case 2:
      return { type: 'authorization.revoked', resourceType: 'account', resourceId: account };
    case 12:
      return { type: 'authorization.expiring', resourceType: 'account', resourceId: account };
    case 3: {
      if (!ordersn) return unknown;
      const status = text(data.status)?.toUpperCase();
      const type: MlhEventType =
        status === 'UNPAID' ? 'order.created' : status === 'CANCELLED' ? 'order.cancelled' : 'order.updated';
      return {
        type,
        resourceType: 'order',
        resourceId: ordersn,
        status,
        identity: `${ordersn}:${status ?? ''}:${text(data.update_time) ?? push.timestamp ?? ''}`,
      };
    }
    case 4:
    case 15:
    case 30: {
      if (!ordersn) return unknown;
      const status = text(data.status) ?? text(data.fulfillment_status) ?? text(data.logistics_status);
      return {
        type: 'shipment.updated',
        resourceType: 'shipment',
        resourceId: shopeeShipmentId(ordersn, packageNumber),
        status,
        identity:
          push.code === 4
            ? `${ordersn}:${packageNumber ?? ''}:${text(data.tracking_no) ?? text(data.tracking_number) ?? ''}`
            : undefined,
      };
    }
    case 6:
    case 9:
    case 16:
    case 22:
    case 27: {
      const itemId = itemIdOf(data);
      if (!itemId) return unknown;
      return {
        type: 'product.updated',
        resourceType: 'product',
        resourceId: itemId,
        status: push.code === 6 ? 'BANNED' : text(data.status),
      };
    }
    case 7:
    case 8: {
      const itemId = itemIdOf(data);
      if (!itemId) return unknown;
      return { type: 'inventory.updated', resourceType: 'product', resourceId: itemId };
    }
    case 10: {
      const content = record(data.content);
      const messageId = text(content.message_id) ?? text(push.msg_id) ?? String(push.timestamp ?? '');
      return { type: 'message.received', resourceType: 'message', resourceId: messageId };
    }
    case 29: {
      const returnSn = text(data.return_sn);
      if (!returnSn) return unknown;
      return {
        type: 'return.updated',
        resourceType: 'return',
        resourceId: returnSn,
        status: text(data.status),
      };
    }
    default:
      return unknown;
  }
}

/**
 * Parses a push body (already verified) into a core event. Order pushes keep `ordersn` as Shopee
 * sends it (REST calls it `order_sn`); tracking pushes name the shipment `<ordersn>:<package_number>`.
 * Unknown codes become `unknown` events (acknowledge them; Shopee adds codes). A verified empty
 * body (the Console's "Verify" call) is an `unknown` event with topic `verify`.
 */
export function parseShopeePush(
  rawBody: string,
  options: { now?: number | undefined } = {},
): WebhookVerifyResult {
  const fallbackTime = new Date(options.now ?? Date.now()).toISOString();
  if (rawBody.trim() === '' || rawBody.trim() === '{}') {
    return {
      ok: true,
      event: {
        type: 'unknown',
        marketplace: SHOPEE,
        accountId: '',
        resourceType: 'other',
        resourceId: 'verify',
        occurredAt: fallbackTime,
        dedupeKey: `shopee:verify:${fallbackTime}`,
        topic: 'verify',
        raw: rawBody,
      },
    };
  }
  let json: unknown;
  try {
    json = parseShopeeJson(rawBody);
  } catch {
    return { ok: false, reason: 'malformed_body', detail: 'the body is not JSON' };
  }
  const parsed = PushBodySchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed_body', detail: 'no integer "code" field' };
  const push = parsed.data;
  const data = record(push.data);
  const account = pushAccount(push, data);
  const classified = classify(push, data, account);
  const updateTime = Number(text(data.update_time));
  const seconds = Number.isFinite(updateTime) && updateTime > 0 ? updateTime : push.timestamp;
  const msgId = text(push.msg_id);
  const identity =
    classified.identity ??
    (msgId ? `msg:${msgId}` : `${classified.resourceId}:${push.timestamp ?? ''}:${text(data.status) ?? ''}`);
  const event: MlhEvent = {
    type: classified.type,
    marketplace: SHOPEE,
    accountId: account,
    resourceType: classified.resourceType,
    resourceId: classified.resourceId,
    occurredAt: seconds ? fromShopeeTime(seconds) : fallbackTime,
    dedupeKey: `shopee:${push.code}:${account}:${identity}`,
    topic: String(push.code),
    ...(classified.status ? { status: classified.status } : {}),
    raw: json,
  };
  return { ok: true, event };
}

/** Options of {@link shopeeWebhookSource}. */
export interface ShopeeWebhookSourceOptions {
  /** The callback URL exactly as registered in the Console. */
  callbackUrl: string;
  /** Live Push Partner Key and/or partner key, plus old keys while rotating. */
  partnerKeys: string | readonly string[];
}

/**
 * A core `WebhookSource` for `createWebhookHandler`: verifies with the registered callback URL
 * (not the URL the request arrived on) and acknowledges with 200 and an empty body, which is
 * what Shopee counts as delivered.
 *
 * @example
 * const handler = createWebhookHandler({ sources: [shopeeWebhookSource({ callbackUrl, partnerKeys: [pushKey] })] });
 */
export function shopeeWebhookSource(options: ShopeeWebhookSourceOptions): WebhookSource {
  keysOf(options.partnerKeys);
  try {
    new URL(options.callbackUrl);
  } catch {
    throw new ValidationError(
      'Invalid Shopee webhook source options',
      [{ path: 'callbackUrl', message: 'must be the absolute URL registered in the Console' }],
      { marketplace: SHOPEE },
    );
  }
  return {
    marketplace: SHOPEE,
    verify: (input) =>
      verifyShopeePush({
        url: options.callbackUrl,
        body: input.body,
        authorization: input.headers.get('authorization'),
        partnerKeys: options.partnerKeys,
      }),
    acknowledge: () => new Response(null, { status: 200 }),
  };
}
