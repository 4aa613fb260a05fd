import * as z from 'zod/mini';
import { assertMeliId, callMeli, type MeliContext, type MeliResponse } from '../transport';

/**
 * What a sale costs the seller beyond the item: the shipment's costs (`/shipments/{id}/costs`),
 * who pays what of the carrier's price. The sale fee itself is on the order (`order_items[].sale_fee`
 * per unit, `payments[].marketplace_fee` for the order).
 */

const Amount = /* @__PURE__ */ (() => z.union([z.number(), z.string().check(z.minLength(1))]))();
const Id = /* @__PURE__ */ (() => z.union([z.number(), z.string().check(z.minLength(1))]))();

/** One party's share of a shipment's cost. */
export const MeliShipmentCostShare = /* @__PURE__ */ (() =>
  z.looseObject({
    user_id: z.optional(z.nullable(Id)),
    cost: z.optional(z.nullable(Amount)),
    compensation: z.optional(z.nullable(Amount)),
    discounts: z.optional(z.nullable(z.array(z.looseObject({})))),
  }))();
/** One party's share of a shipment's cost, field by field. */
export type MeliShipmentCostShare = z.infer<typeof MeliShipmentCostShare>;

/** `GET /shipments/{id}/costs`: the buyer's share (`receiver`) and the sellers' (`senders`). */
export const MeliShipmentCosts = /* @__PURE__ */ (() =>
  z.looseObject({
    gross_amount: z.optional(z.nullable(Amount)),
    receiver: z.optional(z.nullable(MeliShipmentCostShare)),
    senders: z.optional(z.nullable(z.array(MeliShipmentCostShare))),
  }))();
/** `GET /shipments/{id}/costs`, field by field. */
export type MeliShipmentCosts = z.infer<typeof MeliShipmentCosts>;

/** `GET /shipments/{id}/costs`: who pays what of a shipment. */
export async function getShipmentCosts(
  context: MeliContext,
  shipmentId: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<MeliResponse<MeliShipmentCosts>> {
  assertMeliId(shipmentId, 'shipmentId');
  return callMeli(
    context,
    {
      method: 'GET',
      path: `/shipments/${shipmentId}/costs`,
      operation: 'shipments.costs',
      ...(options.signal ? { signal: options.signal } : {}),
    },
    MeliShipmentCosts,
  );
}
