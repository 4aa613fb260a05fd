import { type Instant, instantToEpochMs, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { MeliOrder, MeliOrderSearch, MeliOrderShipmentRefs, MeliPack } from '../schemas';
import { assertMeliId, callMeli, type MeliContext, type MeliResponse } from '../transport';

/** Largest page of `/orders/search` (community reports say 50, some 51: 50 is safe). */
export const MELI_ORDER_SEARCH_MAX_LIMIT = 50;

/** `GET /orders/{id}`. */
export async function getOrder(context: MeliContext, orderId: string): Promise<MeliResponse<MeliOrder>> {
  assertMeliId(orderId, 'orderId');
  return callMeli(context, { method: 'GET', path: `/orders/${orderId}`, operation: 'orders.get' }, MeliOrder);
}

/** Filters of `GET /orders/search`, under their Mercado Livre names. */
export interface MeliOrderFilters {
  /** The seller's user id: the base filter (a search without filters finds nothing). */
  seller: string;
  /** One status or a comma-separated list. */
  'order.status'?: string | undefined;
  'order.date_created.from'?: string | undefined;
  'order.date_created.to'?: string | undefined;
  'order.date_closed.from'?: string | undefined;
  'order.date_closed.to'?: string | undefined;
  /** Use these for incremental sync. */
  'order.date_last_updated.from'?: string | undefined;
  'order.date_last_updated.to'?: string | undefined;
  q?: string | undefined;
  tags?: string | undefined;
  'tags.not'?: string | undefined;
  /** `date_asc` (default) or `date_desc`; for sellers the key is `date_closed`. */
  sort?: 'date_asc' | 'date_desc' | undefined;
  [filter: string]: string | number | undefined;
}

/** One page of the order search: the filters plus `offset` and `limit` (at most 50). */
export interface MeliOrderSearchQuery extends MeliOrderFilters {
  offset?: number | undefined;
  limit?: number | undefined;
}

/** One page of `GET /orders/search` (orders are kept 12 months). */
export async function searchOrders(
  context: MeliContext,
  query: MeliOrderSearchQuery,
): Promise<MeliResponse<MeliOrderSearch>> {
  assertMeliId(query.seller, 'seller');
  if (query.limit !== undefined && (query.limit < 1 || query.limit > MELI_ORDER_SEARCH_MAX_LIMIT)) {
    throw new ValidationError('Invalid order search', [
      { path: 'limit', message: `between 1 and ${MELI_ORDER_SEARCH_MAX_LIMIT}` },
    ]);
  }
  return callMeli(
    context,
    { method: 'GET', path: '/orders/search', query, operation: 'orders.search' },
    MeliOrderSearch,
  );
}

/**
 * Every order matching the query, paging with `offset`/`limit` until `paging.total`. An order
 * that moves between pages while paging (offsets shift as orders change) is yielded once.
 */
export async function* iterateOrders(
  context: MeliContext,
  query: MeliOrderFilters,
  options: { pageSize?: number } = {},
): AsyncGenerator<MeliOrder> {
  const limit = Math.max(
    1,
    Math.min(options.pageSize ?? MELI_ORDER_SEARCH_MAX_LIMIT, MELI_ORDER_SEARCH_MAX_LIMIT),
  );
  const seen = new Set<string>();
  for (let offset = 0; ; ) {
    const page = await searchOrders(context, { ...query, offset, limit });
    const orders = page.data.results;
    for (const order of orders) {
      const id = String(order.id);
      if (seen.has(id)) continue;
      seen.add(id);
      yield order;
    }
    offset += orders.length;
    const total = page.data.paging?.total;
    if (orders.length === 0 || (total != null && offset >= total)) return;
    if (total == null && orders.length < limit) return;
  }
}

function toTime(instant: Instant, path: string): number {
  const time = instantToEpochMs(instant);
  if (time === undefined) {
    throw new ValidationError('Invalid date', [{ path, message: `${String(instant)} is not a date` }]);
  }
  return time;
}

/**
 * A search date in the form Mercado Livre takes (`2025-07-01T00:00:00.000-00:00`). The search
 * truncates dates to the hour, so a lower bound is floored and an upper bound rounded up to
 * the hour; callers filter the exact bounds themselves.
 */
export function meliSearchDate(instant: Instant, bound: 'from' | 'to', path = 'date'): string {
  const hour = 3_600_000;
  const time = toTime(instant, path);
  const rounded = bound === 'from' ? Math.floor(time / hour) * hour : Math.ceil(time / hour) * hour;
  return new Date(rounded).toISOString().replace('Z', '-00:00');
}

/** `GET /packs/{id}`: the orders of a cart and its shipment. */
export async function getPack(context: MeliContext, packId: string): Promise<MeliResponse<MeliPack>> {
  assertMeliId(packId, 'packId');
  return callMeli(context, { method: 'GET', path: `/packs/${packId}`, operation: 'packs.get' }, MeliPack);
}

/**
 * The shipments of an order, `[{ id, type }]` (`forward`, `return`, `return_to_buyer`):
 * `GET /orders/{id}/shipments?hosted=true` with `X-New-Domain: true`. Empty when there is none yet.
 */
export async function getOrderShipments(
  context: MeliContext,
  orderId: string,
): Promise<MeliResponse<MeliOrderShipmentRefs>> {
  assertMeliId(orderId, 'orderId');
  return callMeli(
    context,
    {
      method: 'GET',
      path: `/orders/${orderId}/shipments`,
      query: { hosted: 'true' },
      operation: 'orders.shipments',
    },
    // 204 (no shipment yet) has no body.
    z.pipe(
      z.optional(MeliOrderShipmentRefs),
      z.transform((refs) => refs ?? []),
    ),
  );
}
