import {
  type FieldIssue,
  type FulfillmentCapability,
  type FulfillmentInput,
  InvoiceRequiredError,
  invoiceBlocksShipping,
  isMlhError,
  NotFoundError,
  type Shipment,
} from '@mlh/core';
import * as logisticsApi from '../api/logistics';
import { mapShopeeOrderInvoice, mapShopeePackage, parseShopeeShipmentId, shopeeShipmentId } from '../mappers';
import type { ShopeeOrder, ShopeePackage } from '../schemas';
import { SHOPEE } from '../transport';
import { checkOrderSn, invalid } from './checks';
import type { ShopeeAccountContext } from './context';
import { invoicePendingOf, type ShopeeOrderLoader } from './orders';

/** Statuses after which a package has a tracking number to ask for. */
const ARRANGED_STATUSES = new Set([
  'LOGISTICS_REQUEST_CREATED',
  'LOGISTICS_PICKUP_RETRY',
  'LOGISTICS_PICKUP_DONE',
  'LOGISTICS_DELIVERY_DONE',
  'LOGISTICS_DELIVERY_FAILED',
  'LOGISTICS_LOST',
  'LOGISTICS_PICKUP_FAILED',
]);
const HANDED_OVER_STATUSES = new Set([
  'LOGISTICS_PICKUP_DONE',
  'LOGISTICS_DELIVERY_DONE',
  'LOGISTICS_DELIVERY_FAILED',
  'LOGISTICS_LOST',
]);

/** The shipping calls of a Shopee client. */
export type ShopeeFulfillment = FulfillmentCapability;

/** Ships orders (own carrier, pickup, drop-off) and reads their packages, reading orders through `loadOrders`. */
export function fulfillmentCapability(
  ctx: ShopeeAccountContext,
  loadOrders: ShopeeOrderLoader,
): ShopeeFulfillment {
  const { scope, accountId } = ctx;

  async function orderWithPackage(
    shipmentId: string,
  ): Promise<{ order: ShopeeOrder; pkg: ShopeePackage | undefined }> {
    const { orderSn, packageNumber } = parseShopeeShipmentId(shipmentId);
    const issues: FieldIssue[] = [];
    checkOrderSn(orderSn, 'shipmentId', issues);
    if (issues.length > 0) throw invalid('shipment id', issues);
    const [order] = await loadOrders([orderSn]);
    if (!order) throw new NotFoundError(`Shopee order ${orderSn} not found`, { marketplace: SHOPEE });
    const packages = order.package_list ?? [];
    const pkg = packageNumber
      ? packages.find((candidate) => candidate.package_number === packageNumber)
      : packages[0];
    if (packageNumber && !pkg) {
      throw new NotFoundError(`Shopee order ${orderSn} has no package ${packageNumber}`, {
        marketplace: SHOPEE,
      });
    }
    return { order, pkg };
  }

  async function readShipment(
    order: ShopeeOrder,
    pkg: ShopeePackage | undefined,
    mode: Shipment['mode'],
    knownTrackingNumber?: string,
  ): Promise<Shipment> {
    const ref = { orderSn: order.order_sn, ...(pkg ? { packageNumber: pkg.package_number } : {}) };
    const status = (pkg?.logistics_status ?? '').trim().toUpperCase();
    let trackingNumber = knownTrackingNumber;
    if (ARRANGED_STATUSES.has(status)) {
      const tracking = await logisticsApi.getTrackingNumber(scope, ref);
      trackingNumber = tracking.tracking_number?.trim() || trackingNumber;
    }
    const tracking = HANDED_OVER_STATUSES.has(status)
      ? await logisticsApi.getTrackingInfo(scope, ref)
      : undefined;
    return mapShopeePackage(pkg, { order, accountId, trackingNumber, tracking, mode });
  }

  async function getShipment(externalId: string): Promise<Shipment> {
    const { order, pkg } = await orderWithPackage(externalId);
    return readShipment(order, pkg, 'unknown');
  }

  function field(fields: Record<string, unknown>, ...names: string[]): string | undefined {
    for (const name of names) {
      const value = fields[name];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    }
    return undefined;
  }

  async function fulfillOrder(orderExternalId: string, input: FulfillmentInput): Promise<Shipment> {
    const issues: FieldIssue[] = [];
    checkOrderSn(orderExternalId, 'orderExternalId', issues);
    const target = input.shipmentId ? parseShopeeShipmentId(input.shipmentId) : { orderSn: orderExternalId };
    if (target.orderSn !== orderExternalId) {
      issues.push({
        path: 'shipmentId',
        message: `belongs to order ${target.orderSn}, not ${orderExternalId}`,
      });
    }
    if (input.method === 'seller' && !input.trackingNumber?.trim()) {
      issues.push({ path: 'trackingNumber', message: 'required to ship with your own carrier' });
    }
    if (issues.length > 0) throw invalid('fulfillment', issues);
    const fields = input.marketplaceFields ?? {};
    const { order, pkg } = await orderWithPackage(
      input.shipmentId ?? shopeeShipmentId(orderExternalId, undefined),
    );
    const ref = { orderSn: order.order_sn, ...(pkg ? { packageNumber: pkg.package_number } : {}) };
    const trackingNumber = input.trackingNumber?.trim() || undefined;
    // Shopee refuses to arrange an order waiting for its NF-e: say so before any write.
    const invoice = mapShopeeOrderInvoice(order, {
      currency: ctx.shopCurrency,
      invoicePending: (await invoicePendingOf(ctx, [order]))(order),
    });
    if (invoice && invoiceBlocksShipping(invoice)) {
      throw new InvoiceRequiredError(order.order_sn, invoice, { marketplace: SHOPEE });
    }
    try {
      return await arrange(order, pkg, ref, trackingNumber, input, fields, issues);
    } catch (error) {
      if (isMlhError(error) && /lack_of_invoice_data/.test(error.code ?? '')) {
        throw new InvoiceRequiredError(
          order.order_sn,
          { status: 'required', rawStatus: 'INVOICE_PENDING', reason: error.message },
          { marketplace: SHOPEE, cause: error, ...(error.requestId ? { requestId: error.requestId } : {}) },
        );
      }
      throw error;
    }
  }

  async function arrange(
    order: ShopeeOrder,
    pkg: ShopeePackage | undefined,
    ref: logisticsApi.ShopeePackageRef,
    trackingNumber: string | undefined,
    input: FulfillmentInput,
    fields: Record<string, unknown>,
    issues: FieldIssue[],
  ): Promise<Shipment> {
    let method: logisticsApi.ShopeeShipMethod;
    if (input.method === 'seller') {
      method = { nonIntegrated: { trackingNumber: trackingNumber as string } };
    } else {
      const parameters = await logisticsApi.getShippingParameter(scope, ref);
      const needed = parameters.info_needed ?? {};
      const available = (['pickup', 'dropoff', 'non_integrated'] as const).filter((key) =>
        Array.isArray(needed[key]),
      );
      const choice =
        input.method ??
        (trackingNumber && needed.non_integrated
          ? 'seller'
          : needed.pickup
            ? 'pickup'
            : needed.dropoff
              ? 'dropoff'
              : needed.non_integrated
                ? 'seller'
                : undefined);
      const key = choice === 'seller' ? 'non_integrated' : choice;
      if (!key || !needed[key]) {
        throw invalid('fulfillment', [
          {
            path: 'method',
            message: `${choice ?? 'no method'} is not available for order ${order.order_sn}; Shopee allows: ${available.join(', ') || 'none'}`,
          },
        ]);
      }
      const requires = new Set(needed[key] ?? []);
      const missing = (name: string, path: string) =>
        issues.push({ path, message: `Shopee needs ${name} for ${key}` });
      if (key === 'pickup') {
        const addresses = parameters.pickup?.address_list ?? [];
        const address =
          addresses.find((candidate) => candidate.address_id === field(fields, 'addressId', 'address_id')) ??
          addresses.find((candidate) => candidate.address_flag?.includes('pickup_address')) ??
          addresses.find((candidate) => candidate.address_flag?.includes('default_address')) ??
          addresses[0];
        const addressId = field(fields, 'addressId', 'address_id') ?? address?.address_id;
        const slots = address?.time_slot_list ?? [];
        const pickupTimeId =
          field(fields, 'pickupTimeId', 'pickup_time_id') ??
          (slots.find((slot) => slot.flags?.includes('recommended')) ?? slots[0])?.pickup_time_id;
        if (!addressId) missing('address_id', 'marketplaceFields.addressId');
        if (requires.has('pickup_time_id') && !pickupTimeId)
          missing('pickup_time_id', 'marketplaceFields.pickupTimeId');
        if (requires.has('tracking_number') && !trackingNumber) missing('tracking_number', 'trackingNumber');
        if (issues.length > 0) throw invalid('fulfillment', issues);
        method = {
          pickup: {
            addressId: addressId as string,
            ...(pickupTimeId ? { pickupTimeId } : {}),
            ...(trackingNumber && requires.has('tracking_number') ? { trackingNumber } : {}),
          },
        };
      } else if (key === 'dropoff') {
        const branchId = field(fields, 'branchId', 'branch_id');
        const senderRealName = field(fields, 'senderRealName', 'sender_real_name');
        const slug = field(fields, 'slug');
        if (requires.has('branch_id') && !branchId) missing('branch_id', 'marketplaceFields.branchId');
        if (requires.has('sender_real_name') && !senderRealName) {
          missing('sender_real_name', 'marketplaceFields.senderRealName');
        }
        if (requires.has('slug') && !slug) missing('slug', 'marketplaceFields.slug');
        if ((requires.has('tracking_no') || requires.has('tracking_number')) && !trackingNumber) {
          missing('tracking_no', 'trackingNumber');
        }
        if (issues.length > 0) throw invalid('fulfillment', issues);
        method = {
          dropoff: {
            ...(branchId ? { branchId } : {}),
            ...(senderRealName ? { senderRealName } : {}),
            ...(slug ? { slug } : {}),
            ...(trackingNumber && (requires.has('tracking_no') || requires.has('tracking_number'))
              ? { trackingNumber }
              : {}),
          },
        };
      } else {
        if (!trackingNumber) missing('tracking_no', 'trackingNumber');
        if (issues.length > 0) throw invalid('fulfillment', issues);
        method = { nonIntegrated: { trackingNumber: trackingNumber as string } };
      }
    }

    await logisticsApi.shipOrder(scope, { ...ref, ...method });
    const seller = 'nonIntegrated' in method;
    const after = await orderWithPackage(shopeeShipmentId(order.order_sn, pkg?.package_number));
    return readShipment(
      after.order,
      after.pkg ?? pkg,
      seller ? 'seller' : 'marketplace',
      seller ? trackingNumber : undefined,
    );
  }

  return { fulfillOrder, getShipment };
}
