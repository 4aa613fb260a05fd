/** Fulfillment endpoints (reference §8). */
import * as z from 'zod';
import { itemError, TikTokApiError, type TikTokItemError, tiktokError } from '../errors';
import { parseInput, shopOf, type TikTokCall, type TikTokRoute, unixSeconds } from '../gateway';
import { markShipped, shipPackage } from '../lifecycle';
import { paginate, readPageSize } from '../paging';
import { renderPackage, renderPackageSummary } from '../render';
import type { TikTokSandboxOrder, TikTokSandboxPackage } from '../state';
import { shippingDocument } from './documents';

const SCOPE = 'seller.fulfillment.basic';
/** Tracking of a seller-shipped order can be corrected this long after shipping (reference §8.1). */
const TRACKING_UPDATE_WINDOW_SECONDS = 72 * 60 * 60;

const selfShipment = z.looseObject({
  shipping_provider_id: z.string().min(1),
  tracking_number: z.string().min(1),
});
const shipInput = z.looseObject({
  handover_method: z.enum(['PICKUP', 'DROP_OFF']).optional(),
  pickup_slot: z.looseObject({ start_time: unixSeconds, end_time: unixSeconds }).optional(),
  self_shipment: selfShipment.optional(),
});
type ShipInput = z.infer<typeof shipInput>;

function packageOf(call: TikTokCall, packageId: string | undefined): TikTokSandboxPackage {
  const pkg = packageId === undefined ? undefined : call.context.state.packages.get(packageId);
  if (!pkg || pkg.shopId !== shopOf(call).id) throw tiktokError('packageNotFound');
  return pkg;
}

function orderOf(call: TikTokCall, orderId: string | undefined): TikTokSandboxOrder {
  const order = orderId === undefined ? undefined : call.context.state.orders.get(orderId);
  if (!order || order.shopId !== shopOf(call).id) throw tiktokError('orderNotFound');
  return order;
}

function ship(call: TikTokCall, pkg: TikTokSandboxPackage, input: ShipInput): void {
  shipPackage(call.context, pkg, {
    ...(input.handover_method === undefined ? {} : { handoverMethod: input.handover_method }),
    ...(input.self_shipment === undefined
      ? {}
      : {
          selfShipment: {
            shippingProviderId: input.self_shipment.shipping_provider_id,
            trackingNumber: input.self_shipment.tracking_number,
          },
        }),
  });
  if (input.pickup_slot)
    pkg.pickupSlot = { startTime: input.pickup_slot.start_time, endTime: input.pickup_slot.end_time };
}

const searchBody = z.looseObject({
  create_time_ge: unixSeconds.optional(),
  create_time_lt: unixSeconds.optional(),
  update_time_ge: unixSeconds.optional(),
  update_time_lt: unixSeconds.optional(),
  package_status: z.enum(['TO_FULFILL', 'PROCESSING', 'FULFILLING', 'COMPLETED', 'CANCELLED']).optional(),
});
const searchSort = z.looseObject({
  sort_field: z.enum(['create_time', 'update_time', 'order_pay_time']).optional(),
  sort_order: z.enum(['ASC', 'DESC']).optional(),
});

function inRange(value: number, from: number | undefined, until: number | undefined): boolean {
  return (from === undefined || value >= from) && (until === undefined || value < until);
}

function searchPackages(call: TikTokCall): Record<string, unknown> {
  const pageSize = readPageSize(call.query, 50);
  const sort = parseInput(searchSort, Object.fromEntries(call.query));
  const filters = parseInput(searchBody, call.body);
  const shop = shopOf(call);
  const matches = [...call.context.state.packages.values()].filter(
    (pkg) =>
      pkg.shopId === shop.id &&
      (filters.package_status === undefined || pkg.status === filters.package_status) &&
      inRange(pkg.createTime, filters.create_time_ge, filters.create_time_lt) &&
      inRange(pkg.updateTime, filters.update_time_ge, filters.update_time_lt),
  );
  const field = sort.sort_field ?? 'create_time';
  const paidTime = (pkg: TikTokSandboxPackage) => call.context.state.orders.get(pkg.orderId)?.paidTime ?? 0;
  const page = paginate(matches, {
    pageSize,
    pageToken: call.query.get('page_token'),
    fingerprint: JSON.stringify(['packages', shop.id, field, sort.sort_order ?? 'DESC', filters]),
    sortValue: (pkg) =>
      field === 'update_time' ? pkg.updateTime : field === 'order_pay_time' ? paidTime(pkg) : pkg.createTime,
    id: (pkg) => pkg.id,
    descending: (sort.sort_order ?? 'DESC') === 'DESC',
  });
  return {
    packages: page.items.map(renderPackageSummary),
    next_page_token: page.nextPageToken,
    total_count: page.totalCount,
  };
}

const batchShipBody = z.looseObject({
  packages: z.array(shipInput.extend({ id: z.string().min(1) })).min(1),
});

function batchShip(call: TikTokCall): Record<string, unknown> {
  const input = parseInput(batchShipBody, call.body);
  const shop = shopOf(call);
  const errors: TikTokItemError[] = [];
  for (const entry of input.packages) {
    const pkg = call.context.state.packages.get(entry.id);
    if (!pkg || pkg.shopId !== shop.id) {
      errors.push(itemError('packageNotFound', { package_id: entry.id }));
      continue;
    }
    try {
      ship(call, pkg, entry);
    } catch (error) {
      if (!(error instanceof TikTokApiError)) throw error;
      errors.push({ code: error.code, message: error.message, detail: { package_id: entry.id } });
    }
  }
  return errors.length > 0 ? { errors } : {};
}

const markShippedBody = z.looseObject({
  order_line_item_ids: z.array(z.string().min(1)).min(1),
  shipping_provider_id: z.string().min(1),
  tracking_number: z.string().min(1),
});

function markPackageShipped(call: TikTokCall): Record<string, unknown> {
  const order = orderOf(call, call.params.order_id);
  const input = parseInput(markShippedBody, call.body);
  const pkg = markShipped(call.context, order, {
    lineItemIds: input.order_line_item_ids,
    shippingProviderId: input.shipping_provider_id,
    trackingNumber: input.tracking_number,
  });
  return { order_id: order.id, order_line_item_ids: pkg.lineItemIds, package_id: pkg.id };
}

const trackingBody = z.looseObject({
  tracking_number: z.string().min(1),
  shipping_provider_id: z.string().min(1),
});

function updateTracking(call: TikTokCall, packages: TikTokSandboxPackage[]): Record<string, unknown> {
  const input = parseInput(trackingBody, call.body);
  const provider = call.context.settings.shippingProviders.find(
    (entry) => entry.id === input.shipping_provider_id,
  );
  if (!provider) throw tiktokError('shippingProviderInvalid');
  const now = call.context.nowSeconds();
  for (const pkg of packages) {
    if (pkg.shippingType !== 'SELLER' || pkg.shippedTime === undefined || pkg.status === 'CANCELLED') {
      throw tiktokError('packageStatusConflict', `Package ${pkg.id} has no seller tracking to update`);
    }
    if (now - pkg.shippedTime > TRACKING_UPDATE_WINDOW_SECONDS) throw tiktokError('trackingUpdateClosed');
  }
  for (const pkg of packages) {
    pkg.trackingNumber = input.tracking_number;
    pkg.shippingProviderId = provider.id;
    pkg.shippingProviderName = provider.name;
    pkg.updateTime = now;
    const order = call.context.state.orders.get(pkg.orderId);
    for (const item of order?.lineItems ?? []) {
      if (!pkg.lineItemIds.includes(item.id)) continue;
      item.trackingNumber = input.tracking_number;
      item.shippingProviderId = provider.id;
      item.shippingProviderName = provider.name;
    }
    if (order) order.updateTime = now;
  }
  return {};
}

/** Fulfillment endpoints. */
export const fulfillmentRoutes: TikTokRoute[] = [
  {
    method: 'POST',
    path: '/fulfillment/202309/packages/search',
    scope: SCOPE,
    shopCipher: 'required',
    handle: searchPackages,
  },
  {
    method: 'GET',
    path: '/fulfillment/202309/packages/{package_id}',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const pkg = packageOf(call, call.params.package_id);
      return renderPackage(pkg, call.context.state.orders.get(pkg.orderId));
    },
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/packages/{package_id}/ship',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const pkg = packageOf(call, call.params.package_id);
      ship(call, pkg, parseInput(shipInput, call.body));
      return {};
    },
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/packages/ship',
    scope: SCOPE,
    shopCipher: 'required',
    handle: batchShip,
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/orders/{order_id}/packages',
    scope: SCOPE,
    shopCipher: 'required',
    handle: markPackageShipped,
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/orders/{order_id}/shipping_info/update',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const order = orderOf(call, call.params.order_id);
      const packages = order.packageIds
        .map((id) => call.context.state.packages.get(id))
        .filter((pkg): pkg is TikTokSandboxPackage => pkg !== undefined && pkg.status !== 'CANCELLED');
      if (packages.length !== 1) {
        throw tiktokError(
          'packageStatusConflict',
          'Order tracking can only be updated on an order with one shipped package',
        );
      }
      return updateTracking(call, packages);
    },
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/packages/{package_id}/shipping_info/update',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => updateTracking(call, [packageOf(call, call.params.package_id)]),
  },
  {
    method: 'GET',
    path: '/fulfillment/202309/orders/{order_id}/tracking',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const order = orderOf(call, call.params.order_id);
      const events = order.packageIds
        .flatMap((id) => call.context.state.packages.get(id)?.tracking ?? [])
        .sort((a, b) => b.updateTimeMillis - a.updateTimeMillis);
      return {
        tracking: events.map((event) => ({
          description: event.description,
          update_time_millis: event.updateTimeMillis,
        })),
      };
    },
  },
  {
    method: 'GET',
    path: '/fulfillment/202309/packages/{package_id}/shipping_documents',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => shippingDocument(call, packageOf(call, call.params.package_id)),
  },
];
