import { seedOrders } from './orders';
import type { RecordedResponse } from './payload-server';
import { MARKETPLACES, type Marketplace, seat } from './world';

/** One call a client made, as sent and as answered by the sandbox. */
export interface RecordedCall extends RecordedResponse {
  /** The query string sent (`?…`), kept so the bare fetch asks for the same URL. */
  search: string;
}

/** What `getOrder` sends and receives on one marketplace, in order. */
export interface RecordedGetOrder {
  marketplace: Marketplace;
  orderId: string;
  calls: RecordedCall[];
  /**
   * What the first call asked besides (one-off reads a client keeps, such as a Shopee shop's
   * profile): served too, so a client that has not made them yet gets its answers, but not timed.
   */
  oneOff: RecordedCall[];
}

/**
 * Records the calls of one `getOrder` per marketplace against the sandboxes: the recorded-shape
 * payloads the overhead bench serves. The second call is the one timed, so one-time look-ups are
 * left out of it (and kept in `oneOff`).
 */
export async function recordGetOrders(): Promise<RecordedGetOrder[]> {
  const recorded: RecordedGetOrder[] = [];
  for (const marketplace of MARKETPLACES) {
    let sink: RecordedCall[] | undefined;
    const current = await seat(marketplace, {
      wrapFetch: (_, inner) => async (input, init) => {
        const request = input instanceof Request && init === undefined ? input : new Request(input, init);
        const response = await inner(request.clone());
        if (sink) {
          const url = new URL(request.url);
          sink.push({
            method: request.method,
            pathname: url.pathname,
            search: url.search,
            status: response.status,
            contentType: response.headers.get('content-type') ?? 'application/json',
            body: await response.clone().text(),
          });
        }
        return response;
      },
    });
    const [orderId] = await seedOrders(current, 1);
    if (!orderId) throw new Error(`no ${marketplace} order seeded`);
    sink = [];
    await current.client.getOrder(orderId);
    const first = sink;
    sink = [];
    await current.client.getOrder(orderId);
    const calls = sink;
    const steady = new Set(calls.map((call) => `${call.method} ${call.pathname}`));
    const oneOff = first.filter((call) => !steady.has(`${call.method} ${call.pathname}`));
    recorded.push({ marketplace, orderId, calls, oneOff });
  }
  return recorded;
}
