import {
  type Instant,
  type MarketplaceClient,
  type MlhEvent,
  ValidationError,
  type WebhookSource,
} from '@mlh/core';
import * as notificationsApi from '../api/notifications';
import { type MeliNotificationOptions, meliWebhookSource, parseMeliNotification } from '../webhooks';
import { type MeliAccountContext, toTime } from './context';
import { meliModule } from './module';
import { bindNotificationsApi, type MeliNotificationsApi } from './raw';

/** Notifications Mercado Livre could not deliver, read back from `/missed_feeds`. */
export function eventsCapability(
  ctx: MeliAccountContext,
): Required<Pick<MarketplaceClient, 'recoverMissedEvents'>> {
  const { context, accountId, options, clock, siteId } = ctx;

  async function* recoverMissedEvents(recoverOptions: { since?: Instant } = {}): AsyncGenerator<MlhEvent> {
    const applicationId = options.applicationId;
    if (applicationId === undefined || String(applicationId) === '') {
      throw new ValidationError('Missed feeds need the application id', [
        { path: 'applicationId', message: 'pass applicationId to createMeliClient (createMeli does)' },
      ]);
    }
    const since = toTime(recoverOptions.since, 'since');
    const topics = options.missedFeedTopics ?? [undefined];
    for (const topic of topics) {
      const site = topic === 'items' ? await siteId() : undefined;
      for await (const message of notificationsApi.iterateMissedFeeds(context, {
        applicationId,
        topic,
        siteId: site,
      })) {
        const result = parseMeliNotification(message, { applicationId, now: clock.now });
        if (!result.ok || result.event.accountId !== accountId) continue;
        if (since !== undefined && Date.parse(result.event.occurredAt) < since) continue;
        yield result.event;
      }
    }
  }

  return { recoverMissedEvents };
}

/** What the events module adds to the app: the notification source. */
export interface MeliEventsApp {
  /** The notification source for core's `createWebhookHandler`, with this app's id. */
  webhookSource(options?: Omit<MeliNotificationOptions, 'applicationId'>): WebhookSource;
}

/**
 * The events module: notifications in (the app's `webhookSource`), missed ones back
 * (`recoverMissedEvents` on each client, from `/missed_feeds`) and the raw `notifications` calls.
 *
 * @example
 * import { createMeli } from '@mlh/meli/lean';
 * import { meliEvents } from '@mlh/meli/events';
 * const meli = createMeli({ ...options, capabilities: [meliEvents] });
 * const handler = createWebhookHandler({ sources: [meli.webhookSource()], onEvent });
 */
export const meliEvents = /* @__PURE__ */ meliModule({
  name: 'events',
  capabilities: { missedEventRecovery: true },
  build: (ctx): { readonly notifications: MeliNotificationsApi } & ReturnType<typeof eventsCapability> => ({
    notifications: bindNotificationsApi(ctx),
    ...eventsCapability(ctx),
  }),
  app: ({ options }): MeliEventsApp => ({
    webhookSource: (sourceOptions = {}) =>
      meliWebhookSource({ ...sourceOptions, applicationId: options.clientId }),
  }),
});
