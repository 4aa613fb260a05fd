import { MlhError, paginate } from '@mlh/core';
import { TIKTOK } from '../mappers';

/**
 * Walks page tokens until TikTok returns none, failing if a token comes back that was already
 * used (a server loop would otherwise never end).
 */
export function tiktokPages<P extends { nextPageToken: string | undefined }>(
  fetchPage: (pageToken: string | undefined) => Promise<P>,
  what: string,
  signal?: AbortSignal,
): AsyncGenerator<P> {
  return paginate<P, string>({
    fetchPage,
    nextCursor: (page) => page.nextPageToken || undefined,
    repeated: () =>
      new MlhError(
        `TikTok Shop ${what}: the API returned a page token that was already used; stopping to avoid an endless loop`,
        { marketplace: TIKTOK, code: 'repeated_page_token' },
      ),
    signal,
  });
}
