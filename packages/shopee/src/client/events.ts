import { type Instant, type MarketplaceClient, type MlhEvent, verifiedEvents } from '@mlh/core';
import { type DrainLostPushesOptions, drainLostPushes, type ShopeeAppScope } from '../api/push';
import { parseShopeePush } from '../webhooks';

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
