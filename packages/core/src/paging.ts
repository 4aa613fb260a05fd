/** What {@link paginate} needs to walk a cursor-, token- or offset-paged API. */
export interface PaginateOptions<Page, Cursor> {
  /** The cursor of the first page (e.g. offset `0`); omit when the first call takes none. */
  first?: Cursor | undefined;
  /** Fetches the page at `cursor` (`undefined` for a first call without one). */
  fetchPage(cursor: Cursor | undefined): Promise<Page>;
  /** The cursor of the page after `page`, or `undefined` when `page` is the last. */
  nextCursor(page: Page, cursor: Cursor | undefined): Cursor | undefined;
  /**
   * The error thrown when the API hands back a cursor that was already used: following it
   * would loop forever (or yield the same records again).
   */
  repeated(cursor: Cursor): Error;
  /** Checked before each page is fetched. */
  signal?: AbortSignal | undefined;
}

/**
 * Every page of a paged API, fetched only as the consumer asks for it, with a guard against a
 * repeated cursor. Adapters build their `list…` iterators on it with their API's real caps.
 *
 * @example
 * const pages = paginate({
 *   fetchPage: (pageToken) => searchOrders({ pageToken }),
 *   nextCursor: (page) => page.nextPageToken || undefined,
 *   repeated: (token) => new MlhError(`page token ${token} came back`, { code: 'repeated_page_token' }),
 * });
 * for await (const page of pages) for (const order of page.orders) console.log(order.id);
 */
export async function* paginate<Page, Cursor>(options: PaginateOptions<Page, Cursor>): AsyncGenerator<Page> {
  const used = new Set<Cursor>();
  let cursor = options.first;
  if (cursor !== undefined) used.add(cursor);
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await options.fetchPage(cursor);
    yield page;
    const next = options.nextCursor(page, cursor);
    if (next === undefined) return;
    if (used.has(next)) throw options.repeated(next);
    used.add(next);
    cursor = next;
  }
}
