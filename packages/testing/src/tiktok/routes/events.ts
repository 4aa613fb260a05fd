/** Event API: a shop's webhook addresses per event type (reference §9.1). Note PUT, not POST. */
import * as z from 'zod';
import { parseInput, shopOf, type TikTokCall, type TikTokRoute } from '../gateway';
import { subscriptionKey, type TikTokSandboxWebhookSubscription } from '../state';
import { TIKTOK_EVENT_API_TYPES } from '../webhooks';

const SCOPE = 'seller.authorization.info';

const eventType = z
  .string()
  .refine((value) => TIKTOK_EVENT_API_TYPES.includes(value), 'is not a known event type');
const putBody = z.looseObject({
  event_type: eventType,
  address: z.url({ protocol: /^https$/ }).max(255),
});
const deleteBody = z.looseObject({ event_type: eventType });

function subscriptions(call: TikTokCall): Map<string, TikTokSandboxWebhookSubscription> {
  const key = subscriptionKey(call.app.appKey, shopOf(call).id);
  let entries = call.context.state.webhookSubscriptions.get(key);
  if (!entries) {
    entries = new Map();
    call.context.state.webhookSubscriptions.set(key, entries);
  }
  return entries;
}

/** Event API endpoints. */
export const eventRoutes: TikTokRoute[] = [
  {
    method: 'GET',
    path: '/event/202309/webhooks',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const entries = [...subscriptions(call).values()];
      return {
        total_count: entries.length,
        webhooks: entries.map((entry) => ({
          event_type: entry.eventType,
          address: entry.address,
          create_time: entry.createTime,
          update_time: entry.updateTime,
        })),
      };
    },
  },
  {
    method: 'PUT',
    path: '/event/202309/webhooks',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const input = parseInput(putBody, call.body);
      const entries = subscriptions(call);
      const now = call.context.nowSeconds();
      const existing = entries.get(input.event_type);
      entries.set(input.event_type, {
        eventType: input.event_type,
        address: input.address,
        createTime: existing?.createTime ?? now,
        updateTime: now,
      });
      return {};
    },
  },
  {
    method: 'DELETE',
    path: '/event/202309/webhooks',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      // Deleting always succeeds, subscribed or not (reference §9.1).
      subscriptions(call).delete(parseInput(deleteBody, call.body).event_type);
      return {};
    },
  },
];
