import {
  asArray,
  type ListOrdersOptions,
  mapLimit,
  NotFoundError,
  type Order,
  OrderStatus,
  type OrdersCapability,
  parseOrThrow,
} from '@mlh/core';
import * as z from 'zod/mini';
import * as ordersApi from '../api/orders';
import * as shipmentsApi from '../api/shipments';
import { MELI_ORDER_STATUS, type MeliPartialContent, mapMeliOrder } from '../mappers';
import type { MeliOrder, MeliPack, MeliShipment } from '../schemas';
import { isAbsent, type MeliAccountContext, toTime } from './context';

/** The order operations of the client, and packs. */
export type MeliOrdersCapability = OrdersCapability & {
  getPack(packId: string): Promise<{ pack: MeliPack; orders: Order[] }>;
};

/** Orders: read, list (incrementally) and packs, each with its shipment when asked. */
export function ordersCapability(ctx: MeliAccountContext): MeliOrdersCapability {
  const { context, accountId, concurrency, includeShipments } = ctx;

  async function shipmentOf(order: MeliOrder): Promise<MeliShipment | undefined> {
    const shipmentId = order.shipping?.id;
    if (!includeShipments || shipmentId == null) return undefined;
    try {
      return (await shipmentsApi.getShipment(context, String(shipmentId))).data;
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  async function toOrder(order: MeliOrder, partial: MeliPartialContent | undefined): Promise<Order> {
    return mapMeliOrder(order, { accountId, shipment: await shipmentOf(order), partial });
  }

  async function getOrder(externalId: string): Promise<Order> {
    const response = await ordersApi.getOrder(context, externalId);
    return toOrder(response.data, response.partial);
  }

  async function getOrders(externalIds: readonly string[]): Promise<Order[]> {
    const orders = await mapLimit([...new Set(externalIds)], concurrency, async (id) => {
      try {
        return await getOrder(id);
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    });
    return orders.filter((order): order is Order => order !== undefined);
  }

  async function* listOrders(listOptions: ListOrdersOptions = {}): AsyncGenerator<Order> {
    const statuses = asArray(listOptions.status);
    if (statuses) parseOrThrow(z.array(OrderStatus), statuses, 'listOrders status');
    const by = listOptions.by ?? 'updated';
    const field = by === 'updated' ? 'order.date_last_updated' : 'order.date_created';
    const since = toTime(listOptions.since, 'since');
    const until = toTime(listOptions.until, 'until');
    // An unknown status has no name to ask for: then every status is searched and filtered here.
    const rawStatuses =
      statuses && !statuses.includes('unknown')
        ? Object.entries(MELI_ORDER_STATUS)
            .filter(
              ([, core]) =>
                statuses.includes(core) ||
                (core === 'paid' && statuses.some((s) => s === 'shipped' || s === 'delivered')),
            )
            .map(([raw]) => raw)
        : undefined;
    const base: ordersApi.MeliOrderFilters = {
      seller: accountId,
      sort: 'date_asc',
      [`${field}.from`]: since === undefined ? undefined : ordersApi.meliSearchDate(since, 'from', 'since'),
      [`${field}.to`]: until === undefined ? undefined : ordersApi.meliSearchDate(until, 'to', 'until'),
    };
    // A seller search without `order.status` may leave cancelled orders out (reference §4.2), so
    // an unfiltered listing asks for them in a second search.
    const searches: ordersApi.MeliOrderFilters[] = rawStatuses
      ? [{ ...base, 'order.status': rawStatuses.join(',') }]
      : [base, { ...base, 'order.status': 'cancelled' }];
    const accept = (order: Order): boolean => {
      if (statuses && !statuses.includes(order.status)) return false;
      const time = Date.parse(by === 'updated' ? order.updatedAt : order.createdAt);
      if (since !== undefined && time < since) return false;
      if (until !== undefined && time >= until) return false;
      return true;
    };
    const pageSize = Math.min(
      listOptions.pageSize ?? ordersApi.MELI_ORDER_SEARCH_MAX_LIMIT,
      ordersApi.MELI_ORDER_SEARCH_MAX_LIMIT,
    );
    let batch: MeliOrder[] = [];
    const flush = async () => {
      const mapped = await mapLimit(batch, concurrency, (order) => toOrder(order, undefined));
      batch = [];
      return mapped.filter(accept);
    };
    const seen = new Set<string>();
    for (const filters of searches) {
      for await (const order of ordersApi.iterateOrders(context, filters, { pageSize })) {
        listOptions.signal?.throwIfAborted();
        if (seen.has(String(order.id))) continue;
        seen.add(String(order.id));
        batch.push(order);
        if (batch.length >= pageSize) yield* await flush();
      }
    }
    if (batch.length > 0) yield* await flush();
  }

  async function getPack(packId: string): Promise<{ pack: MeliPack; orders: Order[] }> {
    const pack = await ordersApi.getPack(context, packId);
    const packOrders = await getOrders(pack.data.orders.map((order) => String(order.id)));
    return { pack: pack.data, orders: packOrders };
  }

  return { getOrder, getOrders, listOrders, getPack };
}
