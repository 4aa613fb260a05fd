import { type FieldIssue, parseJsonLossless, ServerError, ValidationError } from '@mlh/core';
import { jsonInteger, stringifyShopeeJson } from '../json';
import {
  ShopeeAppPushConfigResponse,
  type ShopeeLostPushMessage,
  ShopeeLostPushResponse,
  ShopeeSetAppPushConfigResponse,
} from '../schemas';
import { callShopee, SHOPEE, type ShopeeScope } from '../transport';

/**
 * Thin typed calls of the `push` module. All four are **Public** APIs that act on the whole app
 * (every authorized shop): signed with the partner key only, no access token, no shop id. The
 * scope's account only keys rate limiting.
 */

/** The scope of an app-level call: the transport, and an account name that only keys rate limiting. */
export type ShopeeAppScope = Pick<ShopeeScope, 'transport' | 'signal'> & { accountId?: string | undefined };

/** The push limits of the reference (shopee-catalog §6). */
export const SHOPEE_PUSH_LIMITS = Object.freeze({
  /** `set_app_push_config.blocked_shop_id_list`. */
  blockedShops: 500,
  /** `get_lost_push_message` returns at most this many, the earliest first. */
  lostPushPage: 100,
  /** Lost pushes are kept this long; a longer outage needs a polling resync. */
  lostPushRetentionSeconds: 3 * 24 * 60 * 60,
  /** The config ids `set_app_push_config` accepts (later codes are switched on in the Console). */
  settableCodes: Object.freeze([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const),
});

/** `GET /api/v2/push/get_app_push_config`: the callback URL, the subscription's health and the codes on/off. */
export async function getAppPushConfig(scope: ShopeeAppScope): Promise<ShopeeAppPushConfigResponse> {
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/push/get_app_push_config',
      accountId: scope.accountId,
      operation: 'push.get_app_push_config',
      signal: scope.signal,
    },
    ShopeeAppPushConfigResponse,
  );
  return response;
}

/** Input of {@link setAppPushConfig}; give at least one field. */
export interface SetAppPushConfigInput {
  /** Required the first time. Shopee calls it at once and expects a 2xx within 3 seconds. */
  callbackUrl?: string | undefined;
  /** Push codes to switch on (1–13 only). */
  pushConfigOn?: readonly number[] | undefined;
  /** Push codes to switch off (1–13 only). */
  pushConfigOff?: readonly number[] | undefined;
  /** Shops that get no pushes (at most 500); replaces the list. */
  blockedShopIds?: readonly (string | number)[] | undefined;
}

function checkCodes(codes: readonly number[] | undefined, path: string, issues: FieldIssue[]): void {
  const settable: readonly number[] = SHOPEE_PUSH_LIMITS.settableCodes;
  codes?.forEach((code, index) => {
    if (!settable.includes(code)) {
      issues.push({
        path: `${path}.${index}`,
        message: 'must be a push config id 1-13 (later codes are switched on in the Console)',
      });
    }
  });
}

/** The `ValidationError` issues of a {@link SetAppPushConfigInput}; empty when it can be sent. */
export function checkSetAppPushConfig(input: SetAppPushConfigInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { callbackUrl, pushConfigOn, pushConfigOff, blockedShopIds } = input;
  if (
    callbackUrl === undefined &&
    pushConfigOn === undefined &&
    pushConfigOff === undefined &&
    blockedShopIds === undefined
  ) {
    issues.push({ path: '', message: 'give callbackUrl, pushConfigOn, pushConfigOff or blockedShopIds' });
  }
  if (callbackUrl !== undefined && !URL.canParse(callbackUrl)) {
    issues.push({ path: 'callbackUrl', message: 'must be an absolute URL' });
  }
  checkCodes(pushConfigOn, 'pushConfigOn', issues);
  checkCodes(pushConfigOff, 'pushConfigOff', issues);
  for (const code of pushConfigOn ?? []) {
    if (pushConfigOff?.includes(code)) {
      issues.push({ path: 'pushConfigOff', message: `code ${code} is also in pushConfigOn` });
    }
  }
  if (blockedShopIds !== undefined) {
    if (blockedShopIds.length > SHOPEE_PUSH_LIMITS.blockedShops) {
      issues.push({ path: 'blockedShopIds', message: `at most ${SHOPEE_PUSH_LIMITS.blockedShops} shops` });
    }
    blockedShopIds.forEach((id, index) => {
      if (!/^\d+$/.test(String(id)))
        issues.push({ path: `blockedShopIds.${index}`, message: 'must be a shop id' });
    });
  }
  return issues;
}

/**
 * `POST /api/v2/push/set_app_push_config`: sets the callback URL, switches codes on or off and
 * replaces the blocked shops. Validated before sending; resolves with Shopee's `result`.
 */
export async function setAppPushConfig(
  scope: ShopeeAppScope,
  input: SetAppPushConfigInput,
): Promise<string | undefined> {
  const issues = checkSetAppPushConfig(input);
  if (issues.length > 0) {
    throw new ValidationError('Invalid set_app_push_config input', issues, { marketplace: SHOPEE });
  }
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/push/set_app_push_config',
      body: {
        callback_url: input.callbackUrl,
        set_push_config_on: input.pushConfigOn,
        set_push_config_off: input.pushConfigOff,
        blocked_shop_id_list: input.blockedShopIds?.map((id) => jsonInteger(id)),
      },
      accountId: scope.accountId,
      // Setting the same configuration twice leaves the same configuration.
      idempotent: true,
      operation: 'push.set_app_push_config',
      signal: scope.signal,
    },
    ShopeeSetAppPushConfigResponse,
  );
  return response.result ?? undefined;
}

/** `GET /api/v2/push/get_lost_push_message`: the earliest 100 pushes of the last 3 days not confirmed yet. */
export async function getLostPushMessages(scope: ShopeeAppScope): Promise<ShopeeLostPushResponse> {
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/push/get_lost_push_message',
      accountId: scope.accountId,
      operation: 'push.get_lost_push_message',
      signal: scope.signal,
    },
    ShopeeLostPushResponse,
  );
  return response;
}

/**
 * `POST /api/v2/push/confirm_consumed_lost_push_message`: marks the lost pushes up to
 * `lastMessageId` consumed, so `get_lost_push_message` moves on. Call it only once they are
 * processed: a confirmed push is never returned again.
 */
export async function confirmConsumedLostPushMessages(
  scope: ShopeeAppScope,
  lastMessageId: string | number,
): Promise<void> {
  if (!/^\d+$/.test(String(lastMessageId))) {
    throw new ValidationError(
      'Invalid confirm_consumed_lost_push_message input',
      [{ path: 'lastMessageId', message: 'must be the last_message_id of get_lost_push_message' }],
      { marketplace: SHOPEE },
    );
  }
  await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/push/confirm_consumed_lost_push_message',
      body: { last_message_id: jsonInteger(lastMessageId) },
      accountId: scope.accountId,
      idempotent: true,
      operation: 'push.confirm_consumed_lost_push_message',
      signal: scope.signal,
    },
    ShopeeSetAppPushConfigResponse,
  );
}

/**
 * The original push body of a lost message, as text for `parseShopeePush`. `data` is the whole
 * original push as JSON text (the reference) or as an object (a re-parsed copy of the sample);
 * when it holds only the push's own payload (no `code`), the push is rebuilt around it from the
 * message's `code`, `shop_id` and `timestamp`.
 *
 * @example
 * lostPushBody({ code: 3, shop_id: '600000', timestamp: 1704100100,
 *   data: '{"data":{"ordersn":"2401019ABCDEFG","status":"READY_TO_SHIP","update_time":1704100000},"shop_id":600000,"code":3,"timestamp":1704100001}' })
 * // the data string, unchanged
 */
export function lostPushBody(message: ShopeeLostPushMessage): string {
  const { data } = message;
  let inner: unknown = data;
  if (typeof data === 'string') {
    try {
      inner = parseJsonLossless(data);
    } catch {
      inner = undefined;
    }
    if (isPush(inner)) return data;
  } else if (isPush(data)) {
    return stringifyShopeeJson(data);
  }
  return stringifyShopeeJson({
    data: inner ?? data,
    ...(message.shop_id ? { shop_id: jsonInteger(message.shop_id) } : {}),
    code: message.code,
    timestamp: message.timestamp ?? undefined,
  });
}

function isPush(value: unknown): value is { code: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'code' in value;
}

/** One lost push, as {@link drainLostPushes} yields it. */
export interface ShopeeLostPush {
  /** The entry as Shopee listed it. */
  message: ShopeeLostPushMessage;
  /** The original push body, ready for `parseShopeePush`. */
  body: string;
}

/** Options of {@link drainLostPushes}. */
export interface DrainLostPushesOptions {
  /** Pages (of up to 100) read per drain; the rest waits for the next one. Default 50. */
  maxPages?: number | undefined;
}

/**
 * Reads the lost pushes page by page and confirms each page **after** you processed it: a page is
 * confirmed when you ask for the push after its last one (the next loop turn, or the end of the
 * loop). Leave the loop (`break`, `return` or a thrown error) and the page is not confirmed, so
 * every push of it comes back next time; process pushes idempotently (they also arrive live).
 *
 * @example
 * for await (const { body } of drainLostPushes({ transport })) {
 *   await queue.add(body); // durable first: the page is confirmed only after this returns
 * }
 */
export async function* drainLostPushes(
  scope: ShopeeAppScope,
  options: DrainLostPushesOptions = {},
): AsyncGenerator<ShopeeLostPush, void, undefined> {
  const maxPages = options.maxPages ?? 50;
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new ValidationError(
      'Invalid drainLostPushes options',
      [{ path: 'maxPages', message: 'must be a positive integer' }],
      { marketplace: SHOPEE },
    );
  }
  let confirmed: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const response = await getLostPushMessages(scope);
    const messages = response.push_message_list ?? [];
    if (messages.length === 0) return;
    const last = response.last_message_id ?? undefined;
    // Without an id nothing can be confirmed; after a confirm the same id again means it did not
    // take: either way the next page would repeat this one, forever.
    if (last === undefined || last === confirmed) {
      throw new ServerError(
        last === undefined
          ? 'Shopee get_lost_push_message listed pushes without a last_message_id'
          : `Shopee get_lost_push_message repeated last_message_id ${last} after it was confirmed`,
        { marketplace: SHOPEE, code: 'lost_push_loop', retryable: true },
      );
    }
    for (const message of messages) yield { message, body: lostPushBody(message) };
    // Reached only once the consumer asked for more after the last push: all of them are processed.
    await confirmConsumedLostPushMessages(scope, last);
    confirmed = last;
    if (!response.has_next_page) return;
  }
}
