/**
 * Push configuration and lost-push recovery (reference shopee-catalog §6): four Public APIs that
 * act on the whole app, every authorized shop at once.
 */
import * as z from 'zod';
import { nowSeconds, type ShopeeContext, type ShopeeEndpoint } from './context';
import { envelopeResponse, ShopeeApiError } from './envelope';
import { type JsonWritable, parseJsonLossless } from './json';
import { parseBody } from './params';
import type { ShopeeLostPushRecord } from './state';

const int = z
  .union([z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform((value) => Number(value));

/** The ids `set_app_push_config` accepts; later codes (15, 29, …) are switched in the Console only. */
const SETTABLE_CODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const;
const settable = z
  .number()
  .int()
  .refine((code) => (SETTABLE_CODES as readonly number[]).includes(code), 'push config ids are 1-13');

const SetConfigBody = z.object({
  callback_url: z.url().optional(),
  set_push_config_on: z.array(settable).optional(),
  set_push_config_off: z.array(settable).optional(),
  blocked_shop_id_list: z.array(int).max(500).optional(),
});

const ConfirmBody = z.object({ last_message_id: int });

/** Lost pushes are kept this long (reference §6.3). */
export const LOST_PUSH_RETENTION_SECONDS = 3 * 24 * 60 * 60;
/** `get_lost_push_message` returns at most this many, the earliest first. */
export const LOST_PUSH_PAGE_SIZE = 100;

function pendingLost(lost: readonly ShopeeLostPushRecord[], now: number): ShopeeLostPushRecord[] {
  return lost.filter((push) => !push.consumed && push.lostAt > now - LOST_PUSH_RETENTION_SECONDS);
}

function lostMessageJson(push: ShopeeLostPushRecord, context: ShopeeContext): JsonWritable {
  return {
    shop_id: push.shopId,
    code: push.code,
    timestamp: push.lostAt,
    // The reference table and the raw official sample send the original push as a JSON string.
    data: context.lostPushData === 'object' ? (parseJsonLossless(push.body) as JsonWritable) : push.body,
  };
}

/** Push configuration and recovery endpoints. */
export const pushEndpoints: Readonly<Record<string, ShopeeEndpoint>> = {
  '/api/v2/push/set_app_push_config': {
    method: 'POST',
    kind: 'public',
    handle(call) {
      const body = parseBody(SetConfigBody, call.body);
      const partner = call.partner;
      if (body.callback_url === undefined && partner.callbackUrl === undefined) {
        throw new ShopeeApiError('error_param', 'callback_url is required the first time.');
      }
      if (body.callback_url !== undefined) {
        partner.callbackUrl = body.callback_url;
        // Setting the callback again re-subscribes a suspended app; what it missed stays missed.
        if (partner.livePushStatus === 'Suspended') {
          partner.livePushStatus = 'Normal';
          partner.suspendedTime = undefined;
          partner.pushAttempts = [];
        }
      }
      for (const code of body.set_push_config_on ?? []) partner.pushCodesOff.delete(code);
      for (const code of body.set_push_config_off ?? []) partner.pushCodesOff.add(code);
      if (body.blocked_shop_id_list) partner.blockedShopIds = new Set(body.blocked_shop_id_list);
      return envelopeResponse({ result: 'success' });
    },
  },
  '/api/v2/push/get_app_push_config': {
    method: 'GET',
    kind: 'public',
    handle(call) {
      const partner = call.partner;
      const known = [...SETTABLE_CODES, 15];
      return envelopeResponse({
        callback_url: partner.callbackUrl ?? '',
        live_push_status: partner.livePushStatus,
        suspended_time: partner.livePushStatus === 'Suspended' ? partner.suspendedTime : undefined,
        blocked_shop_id: [...partner.blockedShopIds],
        push_config_on_list: known.filter((code) => !partner.pushCodesOff.has(code)),
        push_config_off_list: known.filter((code) => partner.pushCodesOff.has(code)),
      });
    },
  },
  '/api/v2/push/get_lost_push_message': {
    method: 'GET',
    kind: 'public',
    handle(call, context) {
      const pending = pendingLost(call.partner.lostPushes, nowSeconds(context));
      const page = pending.slice(0, LOST_PUSH_PAGE_SIZE);
      return envelopeResponse({
        push_message_list: page.map((push) => lostMessageJson(push, context)),
        has_next_page: pending.length > page.length,
        last_message_id: page.at(-1)?.messageId ?? 0,
      });
    },
  },
  '/api/v2/push/confirm_consumed_lost_push_message': {
    method: 'POST',
    kind: 'public',
    handle(call) {
      const { last_message_id: last } = parseBody(ConfirmBody, call.body);
      const lost = call.partner.lostPushes;
      if (!lost.some((push) => push.messageId === last)) {
        throw new ShopeeApiError('error_param', 'last_message_id is invalid.');
      }
      for (const push of lost) if (push.messageId <= last) push.consumed = true;
      return envelopeResponse(undefined);
    },
  },
};
