import {
  assertVerified,
  decodeWebhookBody,
  type MlhEvent,
  type MlhEventType,
  type MlhResourceType,
  parseJsonLossless,
  timingSafeEqual,
  type WebhookInput,
  type WebhookSource,
  type WebhookVerifyResult,
} from '@mlh/core';
import { meliTimestamp } from './mappers';
import type { MeliNotification } from './schemas';

/**
 * Mercado Livre notifications ("webhooks"). **Mercado Livre signs nothing**: no signature, no
 * HMAC, no secret header. What can be checked is checked here: the body's shape, that
 * `application_id` is yours, an optional shared secret you put in the callback URL's query
 * (compared in constant time), and that the topic is one you handle. Notifications carry no
 * data: the event names the resource to fetch with the seller's token, which is the only source
 * of truth. Acknowledge with HTTP 200 within 500 ms and do the work afterwards.
 */

/** What a topic's events are about. */
export interface MeliTopicInfo {
  type: MlhEventType;
  resourceType: MlhResourceType;
  /** Extracts the resource id from `resource`; undefined when the resource does not fit the topic. */
  resourceId: (resource: string) => string | undefined;
}

function pathId(pattern: RegExp): (resource: string) => string | undefined {
  return (resource) => pattern.exec(resource)?.[1];
}

const lastSegment = (resource: string): string | undefined => {
  const segments = resource.split(/[/?#]/).filter((segment) => segment !== '');
  return segments[segments.length - 1];
};

const claimId = (resource: string): string | undefined =>
  /(?:^|\/)claims\/(\d+)(?:[/?#]|$)/.exec(resource)?.[1] ?? /^\/?(\d+)\/?$/.exec(resource)?.[1];

const other: Omit<MeliTopicInfo, 'type'> = { resourceType: 'other', resourceId: lastSegment };

/**
 * Topics this package knows, with the event each becomes. Topic spelling is matched leniently
 * (case, `stock-locations` → `stock-location`).
 */
export const MELI_NOTIFICATION_TOPICS: Readonly<Record<string, MeliTopicInfo>> = Object.freeze({
  orders_v2: { type: 'order.updated', resourceType: 'order', resourceId: pathId(/^\/?orders\/(\d+)\/?$/) },
  orders: { type: 'order.updated', resourceType: 'order', resourceId: pathId(/^\/?orders\/(\d+)\/?$/) },
  items: {
    type: 'product.updated',
    resourceType: 'product',
    resourceId: pathId(/^\/?items\/([A-Z]{3}\d+)\/?$/),
  },
  items_prices: {
    type: 'product.updated',
    resourceType: 'product',
    resourceId: pathId(/^\/?items\/([A-Z]{3}\d+)(?:\/[a-z_]+)?\/?$/),
  },
  questions: {
    type: 'question.received',
    resourceType: 'question',
    resourceId: pathId(/^\/?questions\/(\d+)\/?$/),
  },
  messages: {
    type: 'message.received',
    resourceType: 'message',
    resourceId: pathId(/^\/?(?:messages\/)?([A-Za-z0-9_-]+)\/?$/),
  },
  shipments: {
    type: 'shipment.updated',
    resourceType: 'shipment',
    resourceId: pathId(/^\/?shipments\/(\d+)\/?$/),
  },
  // Claims arrive under `post_purchase` (actions `claims`, `claims_actions`) or, in older setups,
  // as topics `claims` / `claims_actions`; the resource is `post-purchase/v1/claims/{id}` (with or
  // without the leading slash) and the event names the claim, which `getReturn` reads.
  post_purchase: { type: 'return.updated', resourceType: 'return', resourceId: claimId },
  claims: { type: 'return.updated', resourceType: 'return', resourceId: claimId },
  claims_actions: { type: 'return.updated', resourceType: 'return', resourceId: claimId },
  'stock-location': {
    type: 'inventory.updated',
    resourceType: 'other',
    resourceId: pathId(/^\/?user-products\/([A-Za-z0-9]+)\/stock\/?$/),
  },
  user_products: { type: 'product.updated', ...other },
  user_products_families: { type: 'product.updated', ...other },
  payments: { type: 'unknown', ...other },
  invoices: { type: 'unknown', ...other },
  orders_feedback: { type: 'unknown', ...other },
  price_suggestion: { type: 'unknown', ...other },
  catalog_item_competition_status: { type: 'unknown', ...other },
  catalog_suggestions: { type: 'unknown', ...other },
  public_offers: { type: 'unknown', ...other },
  public_candidates: { type: 'unknown', ...other },
  fbm_stock_operations: { type: 'unknown', ...other },
  'flex-handshakes': { type: 'unknown', ...other },
  vis_leads: { type: 'unknown', ...other },
  'leads-credits': { type: 'unknown', ...other },
});

const TOPIC_ALIASES: Readonly<Record<string, string>> = { 'stock-locations': 'stock-location' };

/** The canonical spelling of a topic (lower case, known aliases folded). */
export function normalizeMeliTopic(topic: string): string {
  const lower = topic.trim().toLowerCase();
  return TOPIC_ALIASES[lower] ?? lower;
}

/** Options shared by {@link verifyMeliNotification} and {@link meliWebhookSource}. */
export interface MeliNotificationOptions {
  /** Your application id: notifications for any other app are refused. */
  applicationId: string | number;
  /**
   * A shared secret you appended to the callback URL registered in the DevCenter (e.g.
   * `https://app.example/meli/notifications?secret=…`). Several values allow rotation.
   */
  secret?: string | readonly string[] | undefined;
  /** The query parameter that carries the secret. Default `secret`. */
  secretParam?: string | undefined;
  /** The topics you handle (subscribed in the DevCenter). Default: every topic this package knows. */
  topics?: readonly string[] | undefined;
  /** Clock for the event time when the notification has none. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** Input of {@link verifyMeliNotification}. */
export interface MeliNotificationInput extends MeliNotificationOptions {
  /** The raw body as received. */
  body: string | Uint8Array;
  /** The full URL the notification was received on; needed when `secret` is set. */
  requestUrl?: string | URL | undefined;
}

function fail(
  reason: Extract<WebhookVerifyResult, { ok: false }>['reason'],
  detail: string,
): WebhookVerifyResult {
  return { ok: false, reason, detail };
}

function secretsOf(secret: MeliNotificationOptions['secret']): string[] {
  if (secret === undefined) return [];
  return (typeof secret === 'string' ? [secret] : [...secret]).filter((value) => value !== '');
}

function checkSecret(
  options: MeliNotificationOptions,
  requestUrl: string | URL | undefined,
): WebhookVerifyResult | undefined {
  const secrets = secretsOf(options.secret);
  if (secrets.length === 0) return undefined;
  let received: string | null = null;
  try {
    received = requestUrl
      ? new URL(String(requestUrl)).searchParams.get(options.secretParam ?? 'secret')
      : null;
  } catch {
    received = null;
  }
  if (!received) return fail('missing_signature', 'the callback URL carries no secret');
  // Compare against every secret, without stopping early, so timing does not tell which matched.
  let matched = false;
  for (const secret of secrets) matched = timingSafeEqual(received, secret) || matched;
  return matched ? undefined : fail('bad_signature', 'the callback URL secret does not match');
}

const isString = (value: unknown): boolean => typeof value === 'string';
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
const isFilled = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
const isNumericId = (value: unknown): boolean => isNumber(value) || isFilled(value);
const isOptionalId = (value: unknown): boolean => value == null || isString(value) || isNumber(value);
const isOptionalText = (value: unknown): boolean => value == null || isString(value);

/**
 * The fields of a notification that are not what the `MeliNotification` schema wants, in its
 * order (the order of its issues). Written out field by field, not as a table of checks: every
 * delivery runs this, and direct reads of known names are what the engine makes fast.
 */
function badNotificationFields(fields: Record<string, unknown>): string[] {
  const bad: string[] = [];
  if (!isOptionalId(fields._id)) bad.push('_id');
  if (!isOptionalId(fields.id)) bad.push('id');
  if (!isFilled(fields.resource)) bad.push('resource');
  if (!isNumericId(fields.user_id)) bad.push('user_id');
  if (!isFilled(fields.topic)) bad.push('topic');
  if (!isNumericId(fields.application_id)) bad.push('application_id');
  if (!(fields.attempts == null || isNumber(fields.attempts))) bad.push('attempts');
  if (!isOptionalText(fields.sent)) bad.push('sent');
  if (!isOptionalText(fields.received)) bad.push('received');
  if (!isOptionalText(fields.recieved)) bad.push('recieved');
  const actions = fields.actions;
  if (!(actions == null || (Array.isArray(actions) && actions.every(isString)))) bad.push('actions');
  return bad;
}

/**
 * Reads a notification as the `MeliNotification` schema would (same checks, same value: unknown
 * fields kept, absent `actions` read as `[]`), without zod: a webhook endpoint's bundle then
 * carries no schema library for the one small envelope it reads (a test holds the two equal).
 */
export function readMeliNotification(
  payload: unknown,
): { ok: true; notification: MeliNotification } | { ok: false; fields: string[] } {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, fields: ['(root)'] };
  }
  return readNotification(payload as Record<string, unknown>, false);
}

/**
 * {@link readMeliNotification}; `owned` when the payload was parsed here from the body, and so
 * may take its defaults in place: copying a parsed object per delivery costs more than the rest
 * of reading it. A caller's payload is copied, never changed.
 */
function readNotification(
  fields: Record<string, unknown>,
  owned: boolean,
): { ok: true; notification: MeliNotification } | { ok: false; fields: string[] } {
  const bad = badNotificationFields(fields);
  if (bad.length > 0) return { ok: false, fields: bad };
  if (!owned) {
    return {
      ok: true,
      notification: { ...fields, actions: (fields.actions ?? []) as string[] } as MeliNotification,
    };
  }
  if (fields.actions == null) fields.actions = [];
  return { ok: true, notification: fields as MeliNotification };
}

/**
 * Turns a notification payload (already parsed JSON: a webhook body, or a missed-feeds message)
 * into a core event, checking its shape, application and topic.
 */
export function parseMeliNotification(
  payload: unknown,
  options: Omit<MeliNotificationOptions, 'secret' | 'secretParam'>,
): WebhookVerifyResult {
  return notificationEvent(payload, options, false);
}

/** {@link parseMeliNotification}; `owned`: see {@link readNotification}. */
function notificationEvent(
  payload: unknown,
  options: Omit<MeliNotificationOptions, 'secret' | 'secretParam'>,
  owned: boolean,
): WebhookVerifyResult {
  const parsed =
    payload === null || typeof payload !== 'object' || Array.isArray(payload)
      ? ({ ok: false, fields: ['(root)'] } as const)
      : readNotification(payload as Record<string, unknown>, owned);
  if (!parsed.ok)
    return fail('malformed_body', `not a Mercado Livre notification (${parsed.fields.join(', ')})`);
  const notification = parsed.notification;
  if (String(notification.application_id) !== String(options.applicationId)) {
    return fail('wrong_application', `application_id ${notification.application_id} is not this app`);
  }
  const topic = normalizeMeliTopic(notification.topic);
  const allowed = options.topics?.map(normalizeMeliTopic);
  const info = MELI_NOTIFICATION_TOPICS[topic];
  if (!info || (allowed && !allowed.includes(topic))) {
    return fail('unknown_topic', `topic ${notification.topic} is not handled`);
  }
  // A resource that does not fit its topic's pattern is still a genuine notification: refusing it
  // (any status but 200) would make Mercado Livre retry it for an hour and may switch the topic
  // off. It becomes an `unknown` event naming the resource as sent.
  const resource = notification.resource.trim();
  const resourceId = info.resourceId(resource);
  const now = options.now ?? Date.now;
  const received = notification.received ?? notification.recieved ?? undefined;
  const occurredAt =
    meliTimestamp(received) ?? meliTimestamp(notification.sent) ?? new Date(now()).toISOString();
  const notificationId = notification._id ?? notification.id;
  // The notification id survives redeliveries (only `attempts` and `sent` change); without it,
  // `received` (when Mercado Livre saw the change) does.
  const identity =
    notificationId != null && notificationId !== ''
      ? `id:${notificationId}`
      : `${topic}:${notification.resource}:${received ?? notification.sent ?? now()}`;
  // One literal, no spread: a webhook endpoint builds one per delivery.
  const event: MlhEvent = {
    type: resourceId ? info.type : 'unknown',
    resourceType: resourceId ? info.resourceType : 'other',
    resourceId: resourceId ? resourceId : resource,
    marketplace: 'meli',
    accountId: String(notification.user_id),
    occurredAt,
    dedupeKey: `meli:${notification.application_id}:${identity}`,
    topic,
    raw: notification,
  };
  return { ok: true, event };
}

/**
 * Verifies a Mercado Livre notification from its raw body: JSON shape, `application_id`, the
 * optional URL secret (constant time, several accepted for rotation) and the topic. Returns
 * `{ ok: true, event }` or `{ ok: false, reason }`; never throws.
 *
 * @example
 * const result = verifyMeliNotification({ body: await request.text(), applicationId: env.MELI_CLIENT_ID,
 *   secret: env.MELI_NOTIFICATION_SECRET, requestUrl: request.url });
 * if (!result.ok) return new Response(null, { status: 401 });
 * queue.push(result.event); // fetch result.event.resourceId later, with the seller's token
 * return new Response(null, { status: 200 });
 */
export function verifyMeliNotification(input: MeliNotificationInput): WebhookVerifyResult {
  return verifyBody(input, input.body, input.requestUrl);
}

// The options apart from the body and URL, so a source reuses its own options object per delivery.
function verifyBody(
  options: MeliNotificationOptions,
  body: string | Uint8Array,
  requestUrl: string | URL | undefined,
): WebhookVerifyResult {
  const secretFailure = checkSecret(options, requestUrl);
  if (secretFailure) return secretFailure;
  const decoded = decodeWebhookBody(body);
  if (!decoded.ok) return decoded;
  let payload: unknown;
  try {
    payload = parseJsonLossless(decoded.text);
  } catch {
    return fail('malformed_body', 'the body is not JSON');
  }
  // Parsed here, from the body: nobody else holds it, so it is read in place.
  return notificationEvent(payload, options, true);
}

/** Like {@link verifyMeliNotification} but returns the event or throws a `WebhookVerificationError`. */
export function assertMeliNotification(input: MeliNotificationInput): MlhEvent {
  return assertVerified(verifyMeliNotification(input), 'meli');
}

/**
 * The Mercado Livre source for core's `createWebhookHandler`. It acknowledges with **200**
 * (Mercado Livre counts any other status as not delivered, and retries for an hour).
 *
 * @example
 * const handler = createWebhookHandler({ sources: { meli: meliWebhookSource({ applicationId, secret }) } });
 */
export function meliWebhookSource(options: MeliNotificationOptions): WebhookSource {
  return {
    marketplace: 'meli',
    async verify(input: WebhookInput) {
      return verifyBody(options, input.body, input.url);
    },
    acknowledge() {
      return new Response(null, { status: 200 });
    },
  };
}

/**
 * The IPs Mercado Livre published as notification sources (snapshot of 14/09/2026). The list
 * changes: treat it as configuration, and refresh it from the developer portal.
 */
export const MELI_NOTIFICATION_IPS: readonly string[] = Object.freeze(
  `44.212.211.213 52.1.149.176 52.44.99.39 52.2.210.204 52.6.145.31 54.205.100.116
184.73.213.131 52.6.10.186 52.73.233.211 3.223.169.202 34.206.9.12 34.238.55.98
3.227.34.138 3.229.206.80 34.238.221.21 13.223.211.78 44.215.49.123 54.159.49.50
13.223.10.233 13.223.33.60 3.93.112.28 13.223.124.243 3.233.174.68 50.16.251.125
50.16.65.64 54.81.195.49 54.82.205.180 3.94.30.241 54.242.75.139 98.82.195.215
34.196.28.113 44.208.170.246 52.23.122.60 13.223.232.16 13.223.236.125 44.193.180.190
13.223.107.11 3.219.157.78 3.230.160.247 13.223.154.1 44.214.161.82 54.196.88.69
100.24.130.185 3.230.190.19 35.172.55.95 23.22.202.234 3.95.35.84 54.146.232.68
13.223.135.7 52.71.11.70 54.173.9.186 100.29.255.54 34.203.95.8 52.7.171.45
3.225.202.17 34.204.236.214 52.200.170.172 34.197.223.209 50.17.138.96 54.84.11.70
3.88.83.19 52.86.119.98 54.88.119.105 13.223.210.67 54.160.66.146 54.236.191.153
13.223.210.140 44.212.229.114 52.204.14.181 34.192.190.219 44.207.104.38 52.200.84.58
35.221.4.79 34.86.252.100 34.145.201.132 34.21.78.254 34.86.6.77 35.245.10.147
35.236.212.3 136.107.43.234 34.48.38.213 35.221.39.135 34.48.138.13 35.221.12.66
54.88.218.97 18.215.140.160 18.213.114.129 18.206.34.84 35.236.253.169 35.245.91.34
35.245.20.104 35.186.182.146`.split(/\s+/),
);

/** True when `ip` is in the allow-list (default {@link MELI_NOTIFICATION_IPS}). An extra check, never the only one. */
export function isMeliNotificationIp(
  ip: string,
  allowed: readonly string[] = MELI_NOTIFICATION_IPS,
): boolean {
  return allowed.includes(ip.trim());
}
