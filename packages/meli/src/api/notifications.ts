import { ValidationError } from '@mlh/core';
import { MeliMissedFeeds } from '../schemas';
import { callMeli, type MeliContext, type MeliResponse } from '../transport';

/** Query of `GET /missed_feeds`. */
export interface MissedFeedsQuery {
  /** Your application id. */
  applicationId: string | number;
  /** One topic; `items` also needs `siteId`. */
  topic?: string | undefined;
  siteId?: string | undefined;
  offset?: number | undefined;
  /** Page size; Mercado Livre's default is 10. */
  limit?: number | undefined;
}

/**
 * One page of notifications Mercado Livre failed to deliver (not acknowledged after the 8th
 * attempt). They are kept **2 days** only, so poll at least daily.
 */
export async function getMissedFeeds(
  context: MeliContext,
  query: MissedFeedsQuery,
): Promise<MeliResponse<MeliMissedFeeds>> {
  const issues = [
    ...(String(query.applicationId ?? '') === '' ? [{ path: 'applicationId', message: 'required' }] : []),
    ...(query.topic === 'items' && !query.siteId
      ? [{ path: 'siteId', message: 'required with topic=items (one call per site)' }]
      : []),
  ];
  if (issues.length > 0)
    throw new ValidationError('Invalid missed feeds query', issues, { marketplace: 'meli' });
  return callMeli(
    context,
    {
      method: 'GET',
      path: '/missed_feeds',
      query: {
        app_id: String(query.applicationId),
        topic: query.topic,
        site_id: query.siteId,
        offset: query.offset,
        limit: query.limit,
      },
      operation: 'notifications.missedFeeds',
    },
    MeliMissedFeeds,
  );
}

/** Every missed notification for the query, paging with `offset` until a short or empty page. */
export async function* iterateMissedFeeds(
  context: MeliContext,
  query: Omit<MissedFeedsQuery, 'offset'>,
): AsyncGenerator<unknown> {
  const limit = query.limit ?? 10;
  for (let offset = 0; ; ) {
    const page = await getMissedFeeds(context, { ...query, offset, limit });
    const { messages } = page.data;
    yield* messages;
    offset += messages.length;
    const total = page.data.paging?.total;
    if (messages.length === 0 || messages.length < limit || (total != null && offset >= total)) return;
  }
}
