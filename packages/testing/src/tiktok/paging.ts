import { tiktokError } from './errors';

/**
 * TikTok's paging: `page_size` (required, capped per endpoint) and an opaque `page_token`; the
 * response carries `next_page_token` (empty on the last page) and `total_count`. Tokens here are
 * keyset cursors (last sort value + id) bound to the query that made them, so items created while
 * a client pages do not shift pages, and a token replayed with other filters is refused.
 */

/** Reads `page_size`: required, a whole number from 1 to `max`. */
export function readPageSize(query: URLSearchParams, max: number): number {
  const raw = query.get('page_size');
  if (raw === null || raw === '') throw tiktokError('invalidParam', 'page_size is required');
  if (!/^\d+$/.test(raw)) throw tiktokError('invalidParam', 'page_size must be an integer');
  const size = Number(raw);
  if (size < 1 || size > max) {
    throw tiktokError('invalidParam', `page_size must be between 1 and ${max}`);
  }
  return size;
}

interface Cursor {
  /** Fingerprint of the query the token belongs to. */
  q: string;
  /** Sort value and id of the last item returned. */
  v: number;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify(cursor)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeCursor(token: string): Cursor | undefined {
  try {
    const padded = token.replace(/-/g, '+').replace(/_/g, '/');
    const value: unknown = JSON.parse(atob(padded + '='.repeat((4 - (padded.length % 4)) % 4)));
    if (typeof value !== 'object' || value === null) return undefined;
    const { q, v, id } = value as Record<string, unknown>;
    if (typeof q !== 'string' || typeof v !== 'number' || typeof id !== 'string') return undefined;
    return { q, v, id };
  } catch {
    return undefined;
  }
}

/** One page of items plus the fields TikTok returns beside them. */
export interface Page<T> {
  items: T[];
  nextPageToken: string;
  totalCount: number;
}

/** How to page a list of items. */
export interface PageRequest<T> {
  pageSize: number;
  pageToken: string | null;
  /** Anything that identifies the query (path, filters, sort); a token is only valid for the same one. */
  fingerprint: string;
  sortValue: (item: T) => number;
  id: (item: T) => string;
  descending: boolean;
}

function compareIds(a: string, b: string): number {
  // Ids are decimal strings of varying length: compare numerically without Number().
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Sorts `items` by (sort value, id), skips to the cursor of `pageToken`, and cuts one page. */
export function paginate<T>(items: readonly T[], request: PageRequest<T>): Page<T> {
  const direction = request.descending ? -1 : 1;
  const compare = (av: number, aid: string, bv: number, bid: string): number =>
    direction * (av - bv || compareIds(aid, bid));
  const sorted = [...items].sort((a, b) =>
    compare(request.sortValue(a), request.id(a), request.sortValue(b), request.id(b)),
  );
  let start = 0;
  if (request.pageToken !== null && request.pageToken !== '') {
    const cursor = decodeCursor(request.pageToken);
    if (cursor === undefined || cursor.q !== request.fingerprint) {
      throw tiktokError('invalidParam', 'page_token is invalid');
    }
    start = sorted.findIndex(
      (item) => compare(request.sortValue(item), request.id(item), cursor.v, cursor.id) > 0,
    );
    if (start === -1) start = sorted.length;
  }
  const page = sorted.slice(start, start + request.pageSize);
  const last = page[page.length - 1];
  const hasMore = start + request.pageSize < sorted.length;
  return {
    items: page,
    nextPageToken:
      hasMore && last !== undefined
        ? encodeCursor({ q: request.fingerprint, v: request.sortValue(last), id: request.id(last) })
        : '',
    totalCount: sorted.length,
  };
}
