import {
  type FulfillmentCapability,
  type FulfillmentInput,
  FulfillmentInputSchema,
  parseOrThrow,
  type Shipment,
  ValidationError,
} from '@mlh/core';
import * as z from 'zod/mini';
import * as fulfillmentApi from '../api/fulfillment';
import * as logisticsApi from '../api/logistics';
import { packageIdOf, TIKTOK, toCoreShipment } from '../mappers';
import type { TikTokAccountContext } from './context';
import { loadOrder } from './orders';

/** The shipping calls of a TikTok shop's client. */
export type TikTokFulfillmentCapability = FulfillmentCapability;

/** TikTok takes no tracking URL (it is never sent), so any string is let through unchecked. */
const TikTokFulfillmentInput = /* @__PURE__ */ (() =>
  z
    .extend(FulfillmentInputSchema, {
      trackingUrl: z.optional(z.string()),
    })
    .check(
      z.superRefine((input, ctx) => {
        const method = input.method ?? (input.trackingNumber ? 'seller' : undefined);
        if (!method) {
          ctx.addIssue({
            code: 'custom',
            path: ['method'],
            message:
              'give a tracking number (seller shipping) or method "pickup" / "dropoff" (TikTok shipping)',
          });
        }
        if (method === 'seller') {
          if (!input.trackingNumber)
            ctx.addIssue({
              code: 'custom',
              path: ['trackingNumber'],
              message: 'required when the seller ships',
            });
          if (!input.carrier && !input.marketplaceFields?.shipping_provider_id) {
            ctx.addIssue({
              code: 'custom',
              path: ['carrier'],
              message: 'required when the seller ships: a shipping provider id or name',
            });
          }
        }
      }),
    ))();

/** Shipping: the seller's own carrier (ship package or mark as shipped) or TikTok pickup / drop-off. */
export function fulfillment(ctx: TikTokAccountContext): TikTokFulfillmentCapability {
  const { call: context, accountId, warehouseId } = ctx;
  const rawOrder = (orderId: string) => loadOrder(ctx, orderId);

  /**
   * A carrier's `shipping_provider_id`: given as digits, or found by name among the providers of
   * the order's delivery option (or, when the order does not name one, of its warehouse's options).
   */
  async function shippingProviderId(
    carrier: string,
    order: { delivery_option_id?: string | undefined; warehouse_id?: string | undefined },
  ): Promise<string> {
    if (/^\d+$/.test(carrier)) return carrier;
    const optionIds = order.delivery_option_id
      ? [order.delivery_option_id]
      : (
          await logisticsApi.getWarehouseDeliveryOptions(context, order.warehouse_id ?? (await warehouseId()))
        ).map((option) => option.id);
    const wanted = carrier.trim().toLowerCase();
    const names: string[] = [];
    for (const optionId of optionIds) {
      const providers = await logisticsApi.getShippingProviders(context, optionId);
      const match = providers.find((p) => p.name?.trim().toLowerCase() === wanted);
      if (match) return match.id;
      names.push(...providers.flatMap((p) => (p.name ? [p.name] : [])));
    }
    throw new ValidationError(
      'Unknown TikTok shipping provider',
      [
        {
          path: 'carrier',
          message: `"${carrier}" is not one of: ${[...new Set(names)].join(', ') || '(none)'}`,
        },
      ],
      { marketplace: TIKTOK },
    );
  }

  async function getShipment(externalId: string): Promise<Shipment> {
    const raw = await fulfillmentApi.getPackageDetail(context, externalId);
    return toCoreShipment({ ...raw, package_id: packageIdOf(raw) }, accountId);
  }

  return {
    async fulfillOrder(orderExternalId, input: FulfillmentInput) {
      const valid = parseOrThrow(TikTokFulfillmentInput, input, 'fulfillment', { marketplace: TIKTOK });
      const fields = valid.marketplaceFields ?? {};
      const method = valid.method ?? 'seller';
      const order = await rawOrder(orderExternalId);
      const packageIds = [
        ...(order.packages ?? []).map((p) => p.id),
        ...order.line_items.flatMap((l) => (l.package_id ? [l.package_id] : [])),
      ];
      let packageId = valid.shipmentId ?? packageIds[0];
      if (method === 'seller') {
        const providerId =
          typeof fields.shipping_provider_id === 'string'
            ? fields.shipping_provider_id
            : await shippingProviderId(valid.carrier as string, order);
        const trackingNumber = valid.trackingNumber as string;
        if (packageId && fields.markAsShipped !== true) {
          await fulfillmentApi.shipPackage(context, packageId, {
            self_shipment: { shipping_provider_id: providerId, tracking_number: trackingNumber },
          });
        } else {
          const lineItemIds = Array.isArray(fields.order_line_item_ids)
            ? (fields.order_line_item_ids as string[])
            : order.line_items.map((l) => l.id);
          const marked = await fulfillmentApi.markPackageAsShipped(context, orderExternalId, {
            order_line_item_ids: lineItemIds,
            shipping_provider_id: providerId,
            tracking_number: trackingNumber,
          });
          packageId = marked.package_id;
        }
      } else {
        if (!packageId) {
          throw new ValidationError(
            'Cannot arrange TikTok shipping',
            [{ path: 'shipmentId', message: `order ${orderExternalId} has no package yet` }],
            { marketplace: TIKTOK },
          );
        }
        await fulfillmentApi.shipPackage(context, packageId, {
          handover_method: method === 'pickup' ? 'PICKUP' : 'DROP_OFF',
          ...(fields.pickup_slot
            ? { pickup_slot: fields.pickup_slot as { start_time: number; end_time: number } }
            : {}),
        });
      }
      return getShipment(packageId as string);
    },
    getShipment,
  };
}
