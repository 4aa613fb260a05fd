import {
  type FulfillmentInput,
  FulfillmentInputSchema,
  type MarketplaceClient,
  parseOrThrow,
  type Shipment,
  ValidationError,
} from '@mlh/core';
import * as z from 'zod/mini';
import * as ordersApi from '../api/orders';
import * as shipmentsApi from '../api/shipments';
import { mapMeliShipment } from '../mappers';
import { isAbsent, type MeliAccountContext } from './context';

/** Mercado Livre shipment ids are numeric. */
const MeliFulfillmentInput = /* @__PURE__ */ (() =>
  z.extend(FulfillmentInputSchema, {
    shipmentId: z.optional(z.string().check(z.regex(/^\d+$/))),
  }))();

/** Shipments: read one, and mark an order shipped the way its logistic mode allows. */
export function fulfillmentCapability(ctx: MeliAccountContext): Pick<MarketplaceClient, 'fulfillOrder'> & {
  /** `orderIds` skips the lookup of the shipment's orders when the caller knows them. */
  getShipment(externalId: string, orderIds?: readonly string[]): Promise<Shipment>;
} {
  const { context, accountId, options, clock, siteId } = ctx;

  async function shipmentOrderIds(shipmentId: string): Promise<string[]> {
    try {
      const orders = await shipmentsApi.getShipmentOrders(context, shipmentId);
      return [...new Set(orders.data.map((entry) => String(entry.order_id)))];
    } catch (error) {
      if (isAbsent(error)) return [];
      throw error;
    }
  }

  async function getShipment(externalId: string, knownOrderIds?: readonly string[]): Promise<Shipment> {
    const shipment = await shipmentsApi.getShipment(context, externalId);
    const orderIds = knownOrderIds ?? (await shipmentOrderIds(externalId));
    return mapMeliShipment(shipment.data, { accountId, orderIds });
  }

  async function fulfillOrder(orderExternalId: string, input: FulfillmentInput): Promise<Shipment> {
    const request = parseOrThrow(MeliFulfillmentInput, input, 'fulfillment', { marketplace: 'meli' });
    const fields = request.marketplaceFields ?? {};
    const order = (await ordersApi.getOrder(context, orderExternalId)).data;
    const shipmentId =
      request.shipmentId ?? (order.shipping?.id == null ? undefined : String(order.shipping.id));
    if (!shipmentId) {
      throw new ValidationError('Order cannot be fulfilled through Mercado Livre', [
        {
          path: 'shipmentId',
          message:
            'the order has no shipment (shipping "not_specified": the seller delivers outside Mercado Envios)',
        },
      ]);
    }
    const shipment = (await shipmentsApi.getShipment(context, shipmentId)).data;
    const mode = shipment.logistic?.mode ?? 'unknown';
    const alreadyGone = ['shipped', 'delivered', 'not_delivered', 'cancelled'].includes(shipment.status);

    if (mode === 'me1' && !alreadyGone) {
      const site = order.context?.site ?? shipment.source?.site_id ?? (await siteId());
      const serviceId = Number(
        fields.service_id ?? (site ? shipmentsApi.MELI_ME1_SERVICE_IDS[site] : undefined),
      );
      if (!Number.isInteger(serviceId) || serviceId <= 0) {
        throw new ValidationError('Order cannot be fulfilled through Mercado Livre', [
          {
            path: 'marketplaceFields.service_id',
            message: `no ME1 service id is known for site ${site ?? '?'}`,
          },
        ]);
      }
      await shipmentsApi.sendSellerNotification(
        context,
        shipmentId,
        {
          payload: {
            service_id: serviceId,
            date: new Date(clock.now()).toISOString(),
            ...(typeof fields.comment === 'string' ? { comment: fields.comment } : {}),
          },
          ...(request.trackingNumber ? { tracking_number: request.trackingNumber } : {}),
          ...(request.trackingUrl ? { tracking_url: request.trackingUrl } : {}),
          status: 'shipped',
          substatus: null,
        },
        { version: options.me1NotificationVersion ?? 'v2' },
      );
    } else if (mode === 'custom' && !alreadyGone) {
      const receiverId = order.buyer?.id ?? shipment.destination?.receiver_id;
      if (receiverId == null) {
        throw new ValidationError('Order cannot be fulfilled through Mercado Livre', [
          { path: 'buyer', message: 'the order has no buyer id to report as receiver' },
        ]);
      }
      await shipmentsApi.updateCustomShipment(context, shipmentId, {
        status: 'shipped',
        receiver_id: receiverId,
        ...(request.trackingNumber ? { tracking_number: request.trackingNumber } : {}),
        ...(typeof fields.speed === 'number' ? { speed: fields.speed } : {}),
        ...(typeof fields.comments === 'string' ? { comments: fields.comments } : {}),
      });
    } else if (
      mode !== 'me1' &&
      mode !== 'custom' &&
      (request.trackingNumber || request.method === 'seller')
    ) {
      throw new ValidationError('Order cannot be fulfilled this way on Mercado Livre', [
        {
          path: request.trackingNumber ? 'trackingNumber' : 'method',
          message: `shipment ${shipmentId} is ${mode}: Mercado Livre and its carrier move it (print the label and dispatch); there is no call to mark it shipped`,
        },
      ]);
    }
    return getShipment(shipmentId, [orderExternalId]);
  }

  return { getShipment, fulfillOrder };
}
