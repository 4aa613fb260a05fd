import type { OrderProceeds, ProceedsCapability } from '@mlh/core';
import * as feesApi from '../api/fees';
import * as ordersApi from '../api/orders';
import { toMeliOrderProceeds } from '../mappers';
import type { MeliPack } from '../schemas';
import type { MeliAccountContext } from './context';
import { meliModule } from './module';

/**
 * Net proceeds of an order from what Mercado Livre reports on it: the order (items, per-unit
 * `sale_fee`, payments with the order's `marketplace_fee`), the seller's share of the shipment
 * (`/shipments/{id}/costs`) and, for an order of a cart, its pack (the shared shipment counts on
 * the pack's first order). Withholdings, fee refunds and other charges live only in the billing
 * reports, which Mercado Livre asks not to poll per order.
 */
export function proceedsCapability(ctx: MeliAccountContext): ProceedsCapability {
  const { context, accountId } = ctx;
  return {
    async getOrderProceeds(orderId: string, options: { signal?: AbortSignal } = {}): Promise<OrderProceeds> {
      const { data: order } = await ordersApi.getOrder(context, orderId);
      options.signal?.throwIfAborted();
      const shipmentId = order.shipping?.id;
      const packId = order.pack_id;
      const [costs, pack] = await Promise.all([
        shipmentId === null || shipmentId === undefined
          ? undefined
          : feesApi.getShipmentCosts(context, String(shipmentId), { signal: options.signal }),
        packId === null || packId === undefined
          ? undefined
          : ordersApi.getPack(context, String(packId)).then((response): MeliPack => response.data),
      ]);
      return toMeliOrderProceeds(order, { accountId, shipmentCosts: costs?.data, pack });
    },
  };
}

/**
 * The proceeds module: `getOrderProceeds` (items, sale fees and the seller's shipping cost).
 *
 * @example
 * import { meliProceeds } from '@mlh/meli/proceeds';
 * const client = createMeli({ ...options, capabilities: [meliProceeds] }).forAccount(sellerId);
 * const { net } = await client.getOrderProceeds(order.externalId);
 */
export const meliProceeds = /* @__PURE__ */ meliModule({
  name: 'proceeds',
  capabilities: {},
  build: proceedsCapability,
});
