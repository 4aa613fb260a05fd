import { type Instant, type MarketplaceClient, type MlhEvent, ValidationError } from '@mlh/core';
import * as notificationsApi from '../api/notifications';
import { parseMeliNotification } from '../webhooks';
import { type MeliAccountContext, toTime } from './context';

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
