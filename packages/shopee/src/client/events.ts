import {
  type Clock,
  type Instant,
  type MarketplaceClient,
  type MlhEvent,
  verifiedEvents,
  type WebhookSource,
} from '@mlh/core';
import * as pushApi from '../api/push';
import { type DrainLostPushesOptions, drainLostPushes, type ShopeeAppScope } from '../api/push';
import { parseShopeePush, shopeeWebhookSource } from '../webhooks';
import { type ShopeeAppContext, shopeeModule } from './module';
import type { BoundShopeeCall } from './raw';

/**
 * The core events of the app's lost pushes, read and confirmed by {@link drainLostPushes}: each
 * page is confirmed only once the consumer asked for the event after its last one, so stop
 * iterating when an event could not be processed and it comes back next time.
 *
 * The lost list belongs to the app, not to one shop (there is no shop filter): the events carry
 * each push's own account, which may be another shop of the same app. `since` does not filter:
 * every push Shopee still holds (3 days) is one nobody processed.
 */
export async function* lostPushEvents(
  scope: ShopeeAppScope,
  options: DrainLostPushesOptions & { now?: (() => number) | undefined } = {},
): AsyncGenerator<MlhEvent, void, undefined> {
  for await (const { body } of drainLostPushes(scope, options)) {
    const parsed = parseShopeePush(body, { now: options.now?.() });
    if (!parsed.ok) continue;
    for (const event of verifiedEvents(parsed)) yield event;
  }
}

/** Shopee's lost-push recovery through the core interface (see {@link lostPushEvents}). */
export function eventsCapability(ctx: {
  scope: ShopeeAppScope;
  clock: { now(): number };
}): Required<Pick<MarketplaceClient, 'recoverMissedEvents'>> {
  return {
    recoverMissedEvents: (_options?: { since?: Instant }) =>
      lostPushEvents(ctx.scope, { now: () => ctx.clock.now() }),
  };
}

/**
 * The app-level `push` calls (Public APIs: they act on every shop that authorized the app).
 *
 * @example
 * await shopee.push.setAppPushConfig({ callbackUrl: 'https://app.example.com/shopee/push', pushConfigOn: [3, 4] });
 * const { live_push_status } = await shopee.push.getAppPushConfig(); // alert on Warning / Suspended
 */
export interface ShopeeAppPushApi {
  getAppPushConfig: BoundShopeeCall<typeof pushApi.getAppPushConfig>;
  setAppPushConfig: BoundShopeeCall<typeof pushApi.setAppPushConfig>;
  getLostPushMessages: BoundShopeeCall<typeof pushApi.getLostPushMessages>;
  confirmConsumedLostPushMessages: BoundShopeeCall<typeof pushApi.confirmConsumedLostPushMessages>;
  /** Lost pushes, each page confirmed once you asked for more after it (see `drainLostPushes`). */
  drainLostPushes: BoundShopeeCall<typeof pushApi.drainLostPushes>;
  /** The same, as core events of every shop (what `recoverMissedEvents` yields). */
  lostPushEvents: BoundShopeeCall<typeof lostPushEvents>;
}

/** What the events module adds to the app: push configuration, lost pushes and the webhook source. */
export interface ShopeeEventsApp {
  /** Push configuration and lost-push recovery, for the whole app. */
  readonly push: ShopeeAppPushApi;
  /** A core `WebhookSource` verifying pushes with the push key and the partner key. */
  webhookSource(options: {
    callbackUrl: string;
    partnerKeys?: string | readonly string[] | undefined;
    /** Replay window in seconds (default 24 hours; `0` turns it off). */
    toleranceSeconds?: number | undefined;
  }): WebhookSource;
}

/** The app's push calls and webhook source, over its options and transport. */
function eventsApp({ options, transport, clock }: ShopeeAppContext): ShopeeEventsApp {
  // Public APIs need no account; this name only keys the app's own rate-limit bucket.
  const appScope: ShopeeAppScope = { transport, accountId: `partner:${options.partnerId}` };
  return {
    push: Object.freeze({
      getAppPushConfig: () => pushApi.getAppPushConfig(appScope),
      setAppPushConfig: (input) => pushApi.setAppPushConfig(appScope, input),
      getLostPushMessages: () => pushApi.getLostPushMessages(appScope),
      confirmConsumedLostPushMessages: (id) => pushApi.confirmConsumedLostPushMessages(appScope, id),
      drainLostPushes: (drainOptions) => pushApi.drainLostPushes(appScope, drainOptions),
      lostPushEvents: (drainOptions) => lostPushEvents(appScope, { now: () => clock.now(), ...drainOptions }),
    } satisfies ShopeeAppPushApi),
    webhookSource: (sourceOptions) =>
      shopeeWebhookSource({
        callbackUrl: sourceOptions.callbackUrl,
        partnerKeys:
          sourceOptions.partnerKeys ??
          [options.pushPartnerKey, options.partnerKey].filter(
            (key): key is string => typeof key === 'string' && key !== '',
          ),
        toleranceSeconds: sourceOptions.toleranceSeconds,
        now: options.clock ? () => (options.clock as Clock).now() : undefined,
      }),
  };
}

/**
 * The events module: pushes in (the app's `webhookSource`), lost pushes back
 * (`recoverMissedEvents` on each client, `push.lostPushEvents` on the app) and the app's push
 * configuration (`push`).
 *
 * @example
 * import { createShopee } from '@mlh/shopee/lean';
 * import { shopeeEvents } from '@mlh/shopee/events';
 * const shopee = createShopee({ ...options, capabilities: [shopeeEvents] });
 * const handler = createWebhookHandler({ sources: [shopee.webhookSource({ callbackUrl })], onEvent });
 */
export const shopeeEvents = /* @__PURE__ */ shopeeModule({
  name: 'events',
  capabilities: { missedEventRecovery: true },
  build: eventsCapability,
  app: eventsApp,
});
