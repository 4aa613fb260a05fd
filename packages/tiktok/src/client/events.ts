import type { WebhookSource } from '@mlh/core';
import { tiktokWebhookSource } from '../webhooks';
import { tiktokModule } from './module';
import { bindEventsApi, type TikTokEventsApi } from './raw';

/** What the events module adds to the app: the webhook source. */
export interface TikTokEventsApp {
  /** The webhook source for core `createWebhookHandler`. */
  webhookSource(options?: { appSecrets?: readonly string[]; toleranceSeconds?: number }): WebhookSource;
}

/**
 * The events module: webhooks in (the app's `webhookSource`) and the shop's webhook subscriptions
 * (`events` on each client: `getShopWebhooks`, `updateShopWebhook`, `deleteShopWebhook`,
 * `syncShopWebhooks`).
 *
 * @example
 * import { createTikTokShop } from '@mlh/tiktok/lean';
 * import { tiktokEvents } from '@mlh/tiktok/events';
 * const tiktok = createTikTokShop({ ...options, capabilities: [tiktokEvents] });
 * const handler = createWebhookHandler({ sources: [tiktok.webhookSource()], onEvent });
 */
export const tiktokEvents = /* @__PURE__ */ tiktokModule({
  name: 'events',
  capabilities: {},
  build: (ctx): { readonly events: TikTokEventsApi } => ({ events: bindEventsApi(ctx.call) }),
  app: ({ options }): TikTokEventsApp => ({
    webhookSource: (sourceOptions = {}) =>
      tiktokWebhookSource({
        appKey: options.appKey,
        appSecrets: sourceOptions.appSecrets ?? [options.appSecret],
        ...(sourceOptions.toleranceSeconds === undefined
          ? {}
          : { toleranceSeconds: sourceOptions.toleranceSeconds }),
        ...(options.clock ? { clock: options.clock } : {}),
      }),
  }),
});
