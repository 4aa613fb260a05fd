import {
  assertVerified,
  decodeWebhookBody,
  type MlhEvent,
  type MlhEventType,
  type MlhResourceType,
  parseJsonLossless,
  timingSafeEqual,
  ValidationError,
  type WebhookSource,
  type WebhookVerifyResult,
} from '@mlh/core';
import { hmacSha256HexSync } from '@mlh/core/hmac';
import { fromShopeeTime, shopeeShipmentId } from './mappers';
import type { ShopeePushBody } from './schemas';
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
export async function signShopeePush(input: {
  url: string;
  body: string | Uint8Array;
  partnerKey: string;
}): Promise<string> {
  return signShopeePushSync(input);
}

/**
 * The synchronous twin of {@link signShopeePush}, same value.
 *
 * @example
 * const authorization = signShopeePushSync({ url: 'https://example.com/shopee/push', body, partnerKey });
 */
export function signShopeePushSync(input: {
  url: string;
  body: string | Uint8Array;
  partnerKey: string;
}): string {
  return hmacSha256HexSync(input.partnerKey, [input.url, '|', input.body]);
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
  /** Current time (epoch ms): the replay window's reference and the event time of pushes carrying none; default now. */
  now?: number | undefined;
  /**
   * Replay window: a push whose own `timestamp` is further than this from now is refused as
   * `stale`. Default {@link SHOPEE_PUSH_DEFAULT_TOLERANCE_SECONDS} (24 hours); `0` turns the check off.
   */
  toleranceSeconds?: number | undefined;
}

/**
 * Default replay window of Shopee pushes: 24 hours. Shopee retries a push it could not deliver
 * (about three times, at intervals its documentation gives per push type but our sources do not)
 * with the same body and so the same `timestamp`; a day covers those retries with room, and stays
 * well inside the 72 hours a webhook handler remembers dedupe keys, so a replayed push is either a
 * duplicate or stale, never new.
 */
export const SHOPEE_PUSH_DEFAULT_TOLERANCE_SECONDS = 24 * 60 * 60;

/**
 * Verifies a Shopee push and parses it into core events. Every key is tried (constant-time
 * comparisons, no early exit). Reasons: `missing_signature`, `bad_signature` (wrong key, wrong
 * URL, or a body that is not the one signed), `stale` (the push's own `timestamp` is outside the
 * replay window, `toleranceSeconds`), `invalid_encoding` (signed bytes that are not UTF-8). A signed body that is not a push (not JSON, no `code`) is
 * accepted as an `unknown` event with topic `unparsed` and the text as `raw`, so Shopee is
 * answered 2xx and does not retry it; a push naming several accounts yields one event per account
 * in `events`.
 *
 * @example
 * const result = await verifyShopeePush({
 *   url: 'https://seller.example.com/shopee/push',
 *   body: await request.text(),
 *   authorization: request.headers.get('authorization'),
 *   partnerKeys: [process.env.SHOPEE_PUSH_KEY!, process.env.SHOPEE_PARTNER_KEY!],
 * });
 * // A main-account push names several shops: one event each.
 * if (result.ok) for (const event of verifiedEvents(result)) queue.push(event);
 */
export async function verifyShopeePush(input: VerifyShopeePushInput): Promise<WebhookVerifyResult> {
  return verifyPush(input, keysOf(input.partnerKeys));
}

/** {@link verifyShopeePush} with its keys read, synchronous: a source answers without a second promise. */
function verifyPush(input: VerifyShopeePushInput, keys: readonly string[]): WebhookVerifyResult {
  const received = (input.authorization ?? '').trim().toLowerCase();
  if (received === '') return { ok: false, reason: 'missing_signature' };
  let matched = false;
  const signedPrefix = `${input.url}|`;
  for (const key of keys) {
    if (timingSafeEqual(hmacSha256HexSync(key, [signedPrefix, input.body]), received)) matched = true;
  }
  if (!matched) {
    return { ok: false, reason: 'bad_signature', detail: 'no key signs this callback URL and body' };
  }
  const decoded = decodeWebhookBody(input.body);
  if (!decoded.ok) return decoded;
  const result = parseShopeePush(decoded.text, { now: input.now });
  const tolerance = input.toleranceSeconds ?? SHOPEE_PUSH_DEFAULT_TOLERANCE_SECONDS;
  const sentAt = result.ok ? pushTimestamp(result.event.raw) : undefined;
  if (sentAt !== undefined && tolerance > 0 && Number.isFinite(tolerance)) {
    const nowSeconds = (input.now ?? Date.now()) / 1000;
    if (Math.abs(nowSeconds - sentAt) > tolerance) {
      return {
        ok: false,
        reason: 'stale',
        detail: `push timestamp ${sentAt} is more than ${tolerance} s from now`,
      };
    }
  }
  return result;
}

function pushTimestamp(raw: unknown): number | undefined {
  const value = Number(text(record(raw).timestamp));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The throwing twin of {@link verifyShopeePush}: returns the event (the first, for a push naming
 * several accounts; use `verifyShopeePush` to get them all) or throws `WebhookVerificationError`.
 */
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

function listOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text).filter((id): id is string => id !== undefined) : [];
}

/**
 * Every account a push names: its shop, or for partner-level pushes (authorization, expiry) each
 * shop and merchant of `shop_id_list` / `merchant_id_list`, or else the main account.
 */
function pushAccounts(push: ShopeePushBody, data: Record<string, unknown>): string[] {
  const shop = push.shop_id ?? text(data.shop_id);
  if (shop) return [shopAccountId(shop)];
  const merchant = text(data.merchant_id);
  const merchants = [...(merchant ? [merchant] : []), ...listOf(data.merchant_id_list)];
  const accounts = [...listOf(data.shop_id_list).map(shopAccountId), ...merchants.map(merchantAccountId)];
  if (accounts.length > 0) return [...new Set(accounts)];
  const main = text(data.main_account_id);
  return [main ?? ''];
}

/**
 * Reads a push body as the `ShopeePushBody` schema would (an integer `code`; `shop_id` as a
 * string; `timestamp` as a number, from digits too; unknown fields kept), or `undefined` when it
 * is not one. Without zod: a push endpoint's bundle then carries no schema library for this one
 * small envelope (a test holds the two equal).
 */
export function readShopeePush(json: unknown): ShopeePushBody | undefined {
  return readPush(json, false);
}

/**
 * {@link readShopeePush}; `owned` when the JSON was parsed here from the body, and so may take
 * the schema's conversions in place: copying a parsed object per push costs more than the rest of
 * reading it. A caller's JSON is copied, never changed.
 */
function readPush(json: unknown, owned: boolean): ShopeePushBody | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const body = json as Record<string, unknown>;
  const { code, shop_id: shopId, timestamp, msg_id: msgId } = body;
  if (typeof code !== 'number' || !Number.isSafeInteger(code)) return undefined;
  const shopIdOk =
    shopId == null ||
    (typeof shopId === 'string' && shopId !== '') ||
    (typeof shopId === 'number' && Number.isSafeInteger(shopId));
  const timestampOk =
    timestamp == null ||
    (typeof timestamp === 'number' && Number.isFinite(timestamp)) ||
    (typeof timestamp === 'string' && /^\d+$/.test(timestamp));
  if (!shopIdOk || !timestampOk || (msgId != null && typeof msgId !== 'string')) return undefined;
  // Assigned over the copy or the owned JSON (each key keeps its place), never spread into it.
  const push: Record<string, unknown> = owned ? body : { ...body, code };
  if (shopId != null) push.shop_id = String(shopId);
  if (timestamp != null) push.timestamp = Number(timestamp);
  return push as ShopeePushBody;
}

/** A stable 64-bit FNV-1a hash of a text, as hex: the identity of a body that cannot be parsed. */
function textHash(value: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(value)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

function itemIdOf(data: Record<string, unknown>): string | undefined {
  return text(data.item_id) ?? text(record(Array.isArray(data.items) ? data.items[0] : undefined).item_id);
}

/**
 * What a return push (code 29) says changed: `updated_values[{update_field, old_value, new_value,
 * update_time}]` (possibly empty). The new `status`, when it is among them, becomes the event's
 * status; every change keys the dedupe identity, so two changes in the same second stay apart.
 */
function returnPushChange(data: Record<string, unknown>): {
  status: string | undefined;
  fingerprint: string;
} {
  const changes = Array.isArray(data.updated_values) ? data.updated_values.map(record) : [];
  const status = changes.find((change) => text(change.update_field) === 'status');
  return {
    status: status ? text(status.new_value) : undefined,
    fingerprint: changes
      .map(
        (change) =>
          `${text(change.update_field) ?? ''}=${text(change.new_value) ?? ''}@${text(change.update_time) ?? ''}`,
      )
      .join(','),
  };
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
      const change = returnPushChange(data);
      return {
        type: 'return.updated',
        resourceType: 'return',
        resourceId: returnSn,
        status: change.status ?? text(data.status),
        identity: `${returnSn}:${change.fingerprint}:${push.timestamp ?? ''}`,
      };
    }
    default:
      return unknown;
  }
}

/**
 * Parses a push body (already verified) into core events. Order pushes keep `ordersn` as Shopee
 * sends it (REST calls it `order_sn`); tracking pushes name the shipment `<ordersn>:<package_number>`.
 * Unknown codes become `unknown` events (acknowledge them; Shopee adds codes). A verified empty
 * body (the Console's "Verify" call) is an `unknown` event with topic `verify`; a body that is not
 * a push (not JSON, or no integer `code`) an `unknown` event with topic `unparsed` and the text as
 * `raw`. Authorization pushes (codes 1, 2, 12) naming several shops or merchants give one event
 * per account in `events` (`event` is the first).
 */
export function parseShopeePush(
  rawBody: string,
  options: { now?: number | undefined } = {},
): WebhookVerifyResult {
  // Only pushes without a time of their own need it: most never build it.
  const fallbackTime = () => new Date(options.now ?? Date.now()).toISOString();
  const bare = (topic: 'verify' | 'unparsed', identity: string): WebhookVerifyResult => ({
    ok: true,
    event: {
      type: 'unknown',
      marketplace: SHOPEE,
      accountId: '',
      resourceType: 'other',
      resourceId: topic,
      occurredAt: fallbackTime(),
      dedupeKey: `shopee:${topic}:${identity}`,
      topic,
      raw: rawBody,
    },
  });
  const trimmed = rawBody.trim();
  if (trimmed === '' || trimmed === '{}') return bare('verify', fallbackTime());
  let json: unknown;
  try {
    json = parseJsonLossless(rawBody);
  } catch {
    return bare('unparsed', textHash(rawBody));
  }
  // Parsed here, from the body: nobody else holds it, so it is read in place.
  const push = readPush(json, true);
  if (!push) return bare('unparsed', textHash(rawBody));
  const data = record(push.data);
  const updateTime = Number(text(data.update_time));
  const seconds = Number.isFinite(updateTime) && updateTime > 0 ? updateTime : push.timestamp;
  const msgId = text(push.msg_id);
  const events = pushAccounts(push, data).map((account): MlhEvent => {
    const classified = classify(push, data, account);
    const identity =
      classified.identity ??
      (msgId
        ? `msg:${msgId}`
        : `${classified.resourceId}:${push.timestamp ?? ''}:${text(data.status) ?? ''}`);
    const event: MlhEvent = {
      type: classified.type,
      marketplace: SHOPEE,
      accountId: account,
      resourceType: classified.resourceType,
      resourceId: classified.resourceId,
      occurredAt: seconds ? fromShopeeTime(seconds) : fallbackTime(),
      dedupeKey: `shopee:${push.code}:${account}:${identity}`,
      topic: String(push.code),
      // The validated push: ids the schema knows (shop_id) as strings, the rest as parsed.
      raw: push,
    };
    // Set after the others rather than spread into the literal: one object, no copy per push.
    if (classified.status) event.status = classified.status;
    return event;
  });
  const [event] = events as [MlhEvent, ...MlhEvent[]];
  return events.length > 1 ? { ok: true, event, events } : { ok: true, event };
}

/** Options of {@link shopeeWebhookSource}. */
export interface ShopeeWebhookSourceOptions {
  /** The callback URL exactly as registered in the Console. */
  callbackUrl: string;
  /** Live Push Partner Key and/or partner key, plus old keys while rotating. */
  partnerKeys: string | readonly string[];
  /** Replay window in seconds; default {@link SHOPEE_PUSH_DEFAULT_TOLERANCE_SECONDS}, `0` turns it off. */
  toleranceSeconds?: number | undefined;
  /** Clock of the replay window (epoch ms); default `Date.now`. */
  now?: (() => number) | undefined;
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
    verify: async (input) =>
      verifyPush(
        {
          url: options.callbackUrl,
          body: input.body,
          authorization: input.headers.get('authorization'),
          partnerKeys: options.partnerKeys,
          toleranceSeconds: options.toleranceSeconds,
          now: options.now?.(),
        },
        keysOf(options.partnerKeys),
      ),
    acknowledge: () => new Response(null, { status: 200 }),
  };
}
