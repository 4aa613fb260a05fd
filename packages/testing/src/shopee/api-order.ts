import * as z from 'zod';
import { imageUrl } from './api-product';
import { nowSeconds, type ShopeeCall, type ShopeeContext, type ShopeeEndpoint } from './context';
import { envelopeResponse, ShopeeApiError } from './envelope';
import type { JsonWritable } from './json';
import {
  arrangeShipment,
  awaitingInvoice,
  CANCELLABLE_STATUSES,
  cancelOrder,
  rejectCancellation,
} from './orders';
import { listQuery, paramError, parseBody, requiredIntQuery, requiredQuery } from './params';
import { priceJson } from './prices';
import type { ShopeeInvoiceDataRecord, ShopeeOrderRecord, ShopeeShopRecord } from './state';

/** Order paging caps (reference §6.2, §6.3). */
export const SHOPEE_ORDER_LIMITS = {
  pageSize: 100,
  timeRangeSeconds: 15 * 24 * 60 * 60,
  detailOrderSns: 50,
} as const;

const LISTABLE_STATUSES: readonly string[] = [
  'UNPAID',
  'READY_TO_SHIP',
  'PROCESSED',
  'SHIPPED',
  'COMPLETED',
  'IN_CANCEL',
  'CANCELLED',
  'INVOICE_PENDING',
  'PENDING',
];

function orderOfShop(context: ShopeeContext, call: ShopeeCall, orderSn: string): ShopeeOrderRecord {
  const order = context.state.orders.get(orderSn);
  if (!order || order.shopId !== call.shop!.shopId) {
    throw new ShopeeApiError('error_not_found', `Order ${orderSn} not found.`);
  }
  return order;
}

function readPageSize(query: URLSearchParams): number {
  const pageSize = requiredIntQuery(query, 'page_size');
  if (pageSize < 1 || pageSize > SHOPEE_ORDER_LIMITS.pageSize) {
    throw paramError(`page_size should be between 1 and ${SHOPEE_ORDER_LIMITS.pageSize}.`);
  }
  return pageSize;
}

function readCursor(query: URLSearchParams): number {
  const cursor = query.get('cursor') ?? '';
  if (cursor === '') return 0;
  if (!/^\d+$/.test(cursor)) throw paramError('Invalid cursor.');
  return Number(cursor);
}

function page<T>(
  all: readonly T[],
  offset: number,
  size: number,
): { page: T[]; more: boolean; nextCursor: string } {
  const more = offset + size < all.length;
  return { page: all.slice(offset, offset + size), more, nextCursor: more ? String(offset + size) : '' };
}

function recipientJson(order: ShopeeOrderRecord): JsonWritable {
  const r = order.recipient;
  return {
    name: r.name,
    phone: r.phone,
    town: r.town,
    district: r.district,
    city: r.city,
    state: r.state,
    region: r.region,
    zipcode: r.zipcode,
    full_address: r.fullAddress,
  };
}

function itemListJson(order: ShopeeOrderRecord, context: ShopeeContext): JsonWritable {
  return order.lines.map((line) => {
    const item = context.state.items.get(line.itemId);
    const firstImage = item?.imageIds[0];
    return {
      item_id: line.itemId,
      item_name: line.itemName,
      item_sku: line.itemSku,
      model_id: line.modelId,
      model_name: line.modelName,
      model_sku: line.modelSku,
      model_quantity_purchased: line.quantity,
      model_original_price: priceJson(line.originalPrice),
      model_discounted_price: priceJson(line.discountedPrice),
      wholesale: false,
      weight: item ? Number(item.weight) : 0,
      add_on_deal: false,
      main_item: false,
      add_on_deal_id: 0,
      promotion_type: '',
      promotion_id: 0,
      order_item_id: line.orderItemId,
      promotion_group_id: 0,
      image_info: { image_url: firstImage ? imageUrl(firstImage, order.region) : '' },
      product_location_id: [`${order.region}Z`],
    };
  });
}

function packageListJson(order: ShopeeOrderRecord): JsonWritable {
  const pkg = order.package;
  return [
    {
      package_number: pkg.packageNumber,
      logistics_status: pkg.logisticsStatus,
      logistics_channel_id: pkg.logisticsChannelId,
      shipping_carrier: pkg.shippingCarrier,
      item_list: order.lines.map((line) => ({
        item_id: line.itemId,
        model_id: line.modelId,
        model_quantity: line.quantity,
        order_item_id: line.orderItemId,
        promotion_group_id: 0,
        product_location_id: `${order.region}Z`,
      })),
      parcel_chargeable_weight_gram: 0,
      group_shipment_id: 0,
      allow_self_design_awb: false,
      sorting_group: '',
    },
  ];
}

/** `invoice_data` as `get_order_detail` writes it. */
export function invoiceDataJson(invoice: ShopeeInvoiceDataRecord): JsonWritable {
  return {
    number: invoice.number,
    series_number: invoice.seriesNumber,
    access_key: invoice.accessKey,
    issue_date: invoice.issueDate,
    total_value: priceJson(invoice.totalValue),
    products_total_value: priceJson(invoice.productsTotalValue),
    tax_code: invoice.taxCode,
    status: invoice.status,
    pending_reason: invoice.pendingReason,
  };
}

/**
 * Optional fields of `get_order_detail` the sandbox models, each returned ONLY when named in
 * `response_optional_fields` (reference §6.3). Unknown names are ignored, as the list grows.
 */
const OPTIONAL_ORDER_FIELDS: Record<
  string,
  (order: ShopeeOrderRecord, context: ShopeeContext) => { [key: string]: JsonWritable }
> = {
  buyer_user_id: (o) => ({ buyer_user_id: o.buyerUserId }),
  buyer_username: (o) => ({ buyer_username: o.buyerUsername }),
  estimated_shipping_fee: (o) => ({ estimated_shipping_fee: priceJson(o.estimatedShippingFee) }),
  recipient_address: (o) => ({ recipient_address: recipientJson(o) }),
  actual_shipping_fee: (o) =>
    o.actualShippingFee === undefined ? {} : { actual_shipping_fee: priceJson(o.actualShippingFee) },
  actual_shipping_fee_confirmed: (o) => ({
    actual_shipping_fee_confirmed: o.actualShippingFee !== undefined,
  }),
  goods_to_declare: () => ({ goods_to_declare: false }),
  note: (o) => ({ note: o.note }),
  note_update_time: (o) => ({ note_update_time: o.noteUpdateTime ?? 0 }),
  item_list: (o, context) => ({ item_list: itemListJson(o, context) }),
  pay_time: (o) => (o.payTime === undefined ? {} : { pay_time: o.payTime }),
  dropshipper: () => ({ dropshipper: '' }),
  dropshipper_phone: () => ({ dropshipper_phone: '' }),
  split_up: () => ({ split_up: false }),
  buyer_cancel_reason: (o) => ({ buyer_cancel_reason: o.buyerCancelReason ?? '' }),
  cancel_by: (o) => ({ cancel_by: o.cancelBy ?? '' }),
  cancel_reason: (o) => ({ cancel_reason: o.cancelReason ?? '' }),
  fulfillment_flag: () => ({ fulfillment_flag: 'fulfilled_by_local_seller' }),
  pickup_done_time: (o) => ({ pickup_done_time: o.package.pickupDoneTime ?? 0 }),
  package_list: (o) => ({ package_list: packageListJson(o) }),
  shipping_carrier: (o) => ({ shipping_carrier: o.package.shippingCarrier }),
  checkout_shipping_carrier: (o) => ({ checkout_shipping_carrier: o.package.shippingCarrier }),
  payment_method: (o) => ({ payment_method: o.paymentMethod }),
  total_amount: (o) => (o.payTime === undefined && !o.cod ? {} : { total_amount: priceJson(o.totalAmount) }),
  order_chargeable_weight_gram: () => ({ order_chargeable_weight_gram: 0 }),
  // Brazil only: other markets' orders carry neither field.
  buyer_cpf_id: (o) => (o.buyerCpfId === undefined ? {} : { buyer_cpf_id: o.buyerCpfId }),
  // A Brazilian order without a note answers `{}`; other markets' orders have no such field.
  invoice_data: (o, context) => {
    if (o.region !== 'BR') return {};
    awaitingInvoice(context, o);
    return { invoice_data: o.invoiceData === undefined ? {} : invoiceDataJson(o.invoiceData) };
  },
  reverse_shipping_fee: () => ({ reverse_shipping_fee: 0 }),
};

/** An order as `get_order_detail` returns it: default fields plus the requested optional ones. */
export function orderDetailJson(
  order: ShopeeOrderRecord,
  optional: readonly string[],
  context: ShopeeContext,
): JsonWritable {
  const detail: { [key: string]: JsonWritable } = {
    order_sn: order.orderSn,
    region: order.region,
    currency: order.currency,
    cod: order.cod,
    order_status: order.status,
    message_to_seller: order.messageToSeller,
    create_time: order.createTime,
    update_time: order.updateTime,
    days_to_ship: order.daysToShip,
    ship_by_date: order.shipByDate,
    booking_sn: '',
  };
  for (const field of optional) Object.assign(detail, OPTIONAL_ORDER_FIELDS[field]?.(order, context));
  return detail;
}

function timeSlots(
  context: ShopeeContext,
): { date: number; time_text: string; pickup_time_id: string; flags: string[] }[] {
  const day = 24 * 60 * 60;
  const today = Math.floor(nowSeconds(context) / day) * day;
  return [1, 2, 3].map((offset) => {
    const date = today + offset * day;
    return {
      date,
      time_text: '09:00-12:00',
      pickup_time_id: String(date + 9 * 60 * 60),
      flags: offset === 1 ? ['recommended'] : [],
    };
  });
}

function readyForShipping(order: ShopeeOrderRecord): boolean {
  return (
    (order.status === 'READY_TO_SHIP' || order.status === 'RETRY_SHIP') &&
    (order.package.logisticsStatus === 'LOGISTICS_READY' ||
      order.package.logisticsStatus === 'LOGISTICS_PICKUP_RETRY')
  );
}

function checkPackageNumber(order: ShopeeOrderRecord, given: string | null | undefined): void {
  if (given === undefined || given === null) return;
  if (given === '') throw new ShopeeApiError('logistics.error_param', 'package_number should not be empty.');
  if (given !== order.package.packageNumber) {
    throw new ShopeeApiError(
      'logistics.error_param',
      `package_number ${given} not found in order ${order.orderSn}.`,
    );
  }
}

const id = z
  .union([z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform((value) => BigInt(value));

const ShipOrderBody = z.object({
  order_sn: z.string().min(1),
  package_number: z.string().optional(),
  pickup: z
    .object({
      address_id: id.optional(),
      pickup_time_id: z.string().optional(),
      tracking_number: z.string().optional(),
    })
    .optional(),
  dropoff: z
    .object({
      branch_id: id.optional(),
      sender_real_name: z.string().optional(),
      tracking_number: z.string().optional(),
      slug: z.string().optional(),
    })
    .optional(),
  non_integrated: z.object({ tracking_number: z.string().optional() }).optional(),
});

const CancelBody = z.object({
  order_sn: z.string().min(1),
  cancel_reason: z.enum(['OUT_OF_STOCK', 'CUSTOMER_REQUEST', 'UNDELIVERABLE_AREA', 'COD_NOT_SUPPORTED']),
  item_list: z.array(z.object({ item_id: id, model_id: id })).optional(),
});

const CANCEL_REASON_TEXT: Record<string, string> = {
  OUT_OF_STOCK: 'Out of Stock',
  CUSTOMER_REQUEST: 'Customer Request',
  UNDELIVERABLE_AREA: 'Undeliverable Area',
  COD_NOT_SUPPORTED: 'COD Not Supported',
};

/** Order and logistics endpoints (reference §6, §7). */
export const orderEndpoints: Record<string, ShopeeEndpoint> = {
  '/api/v2/order/get_order_list': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const field = requiredQuery(call.query, 'time_range_field');
      if (field !== 'create_time' && field !== 'update_time') {
        throw paramError('time_range_field should be create_time or update_time.');
      }
      const from = requiredIntQuery(call.query, 'time_from');
      const to = requiredIntQuery(call.query, 'time_to');
      if (from >= to || to - from > SHOPEE_ORDER_LIMITS.timeRangeSeconds) {
        throw new ShopeeApiError(
          'order.order_list_invalid_time',
          'Invalid time range: time_from should be earlier than time_to, and the range at most 15 days.',
        );
      }
      const pageSize = readPageSize(call.query);
      const offset = readCursor(call.query);
      const status = call.query.get('order_status');
      if (status !== null && status !== '' && !LISTABLE_STATUSES.includes(status)) {
        throw paramError(`Invalid order_status ${status}.`);
      }
      const includePending = call.query.get('request_order_status_pending') === 'true';
      const optional = listQuery(call.query, 'response_optional_fields');
      const key = field === 'create_time' ? 'createTime' : 'updateTime';
      // An order waiting for its NF-e is listed as INVOICE_PENDING, the only place that status shows.
      const listedStatus = (order: ShopeeOrderRecord) =>
        awaitingInvoice(context, order) ? 'INVOICE_PENDING' : order.status;
      const matching = [...context.state.orders.values()]
        .filter(
          (order) =>
            order.shopId === call.shop!.shopId &&
            order[key] >= from &&
            order[key] <= to &&
            (status === null || status === '' || listedStatus(order) === status) &&
            (includePending || order.status !== 'PENDING'),
        )
        .sort((a, b) => a[key] - b[key] || a.orderSn.localeCompare(b.orderSn));
      const result = page(matching, offset, pageSize);
      return envelopeResponse({
        more: result.more,
        next_cursor: result.nextCursor,
        order_list: result.page.map((order) => ({
          order_sn: order.orderSn,
          order_status: optional.includes('order_status') ? listedStatus(order) : undefined,
        })),
      });
    },
  },
  '/api/v2/order/get_order_detail': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const orderSns = listQuery(call.query, 'order_sn_list');
      if (orderSns.length === 0) throw paramError('order_sn_list is required.');
      if (orderSns.length > SHOPEE_ORDER_LIMITS.detailOrderSns) {
        throw paramError(
          `order_sn_list should contain at most ${SHOPEE_ORDER_LIMITS.detailOrderSns} orders.`,
        );
      }
      const optional = listQuery(call.query, 'response_optional_fields');
      const found: JsonWritable[] = [];
      const warnings: string[] = [];
      for (const orderSn of orderSns) {
        const order = context.state.orders.get(orderSn);
        if (order && order.shopId === call.shop!.shopId)
          found.push(orderDetailJson(order, optional, context));
        else warnings.push(`order_sn ${orderSn} not found`);
      }
      return envelopeResponse({ order_list: found }, warnings.length > 0 ? { warning: warnings } : {});
    },
  },
  '/api/v2/order/get_shipment_list': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const pageSize = readPageSize(call.query);
      const offset = readCursor(call.query);
      const ready = [...context.state.orders.values()].filter(
        (order) => order.shopId === call.shop!.shopId && readyForShipping(order),
      );
      const result = page(ready, offset, pageSize);
      return envelopeResponse({
        order_list: result.page.map((order) => ({
          order_sn: order.orderSn,
          package_number: order.package.packageNumber,
        })),
        more: result.more,
        next_cursor: result.nextCursor,
      });
    },
  },
  '/api/v2/order/cancel_order': {
    method: 'POST',
    kind: 'shop',
    async handle(call, context) {
      const body = parseBody(CancelBody, call.body);
      const order = orderOfShop(context, call, body.order_sn);
      if (body.cancel_reason === 'OUT_OF_STOCK' && (body.item_list ?? []).length === 0) {
        throw paramError('item_list is required when cancel_reason is OUT_OF_STOCK.');
      }
      if (body.cancel_reason === 'UNDELIVERABLE_AREA' && order.region !== 'TW' && order.region !== 'MY') {
        throw paramError('UNDELIVERABLE_AREA is only available in TW and MY.');
      }
      if (!CANCELLABLE_STATUSES.includes(order.status)) {
        throw paramError(`Order in status ${order.status} cannot be cancelled.`);
      }
      cancelOrder(context, order.orderSn, {
        by: 'seller',
        reason: CANCEL_REASON_TEXT[body.cancel_reason] ?? '',
      });
      await context.pushes.settled();
      return envelopeResponse({ update_time: order.updateTime });
    },
  },
  '/api/v2/order/handle_buyer_cancellation': {
    method: 'POST',
    kind: 'shop',
    async handle(call, context) {
      const body = parseBody(
        z.object({ order_sn: z.string().min(1), operation: z.enum(['ACCEPT', 'REJECT']) }),
        call.body,
      );
      const order = orderOfShop(context, call, body.order_sn);
      if (order.status !== 'IN_CANCEL') throw paramError('The order has no pending cancellation request.');
      if (body.operation === 'ACCEPT')
        cancelOrder(context, order.orderSn, { by: 'buyer', reason: order.buyerCancelReason ?? '' });
      else rejectCancellation(context, order);
      await context.pushes.settled();
      return envelopeResponse({ update_time: order.updateTime });
    },
  },
  '/api/v2/logistics/get_shipping_parameter': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const order = orderOfShop(context, call, requiredQuery(call.query, 'order_sn'));
      checkPackageNumber(
        order,
        call.query.has('package_number') ? call.query.get('package_number') : undefined,
      );
      if (!readyForShipping(order)) {
        throw new ShopeeApiError('logistics.error_status', 'logistic status not ready to ship');
      }
      if (awaitingInvoice(context, order)) {
        throw new ShopeeApiError(
          'logistics.lack_of_invoice_data',
          'Pending invoice data, can not arrange shipment.',
        );
      }
      const shop = call.shop!;
      if (!order.package.integrated) {
        return envelopeResponse({ info_needed: { non_integrated: ['tracking_no'] } });
      }
      return envelopeResponse({
        info_needed: { pickup: ['address_id', 'pickup_time_id'], dropoff: [] },
        pickup: {
          address_list: shop.pickupAddresses.map((address, index) => ({
            address_id: address.addressId,
            region: address.region,
            state: address.state,
            city: address.city,
            district: address.district,
            town: address.town,
            address: address.address,
            zipcode: address.zipcode,
            address_flag:
              index === 0 ? ['default_address', 'pickup_address', 'return_address'] : ['pickup_address'],
            time_slot_list: timeSlots(context),
          })),
        },
        dropoff: { branch_list: [], slug_list: [] },
      });
    },
  },
  '/api/v2/logistics/ship_order': {
    method: 'POST',
    kind: 'shop',
    async handle(call, context) {
      const body = parseBody(ShipOrderBody, call.body);
      const order = orderOfShop(context, call, body.order_sn);
      checkPackageNumber(order, body.package_number);
      const methods = (['pickup', 'dropoff', 'non_integrated'] as const).filter((m) => body[m] !== undefined);
      if (methods.length > 1) {
        throw new ShopeeApiError(
          'logistics.ship_order_only_support_one_type',
          'Only one of pickup, dropoff and non_integrated can be sent.',
        );
      }
      const method = methods[0];
      if (method === undefined) {
        throw new ShopeeApiError(
          'logistics.error_param',
          'One of pickup, dropoff or non_integrated is required.',
        );
      }
      if (order.status === 'UNPAID' || order.status === 'CANCELLED' || order.status === 'IN_CANCEL') {
        throw new ShopeeApiError(
          'logistics.ship_order_not_ready_to_ship',
          'logistic status not ready to ship',
        );
      }
      if (!readyForShipping(order)) {
        throw new ShopeeApiError(
          'logistics.package_already_shipped',
          'The package has already been shipped.',
        );
      }
      if (awaitingInvoice(context, order)) {
        throw new ShopeeApiError(
          'logistics.lack_of_invoice_data',
          'Pending invoice data, can not arrange shipment.',
        );
      }
      if (order.package.integrated === (method === 'non_integrated')) {
        throw new ShopeeApiError(
          'logistics.error_param',
          `${method} is not available for this order's channel.`,
        );
      }
      if (method === 'pickup') {
        const pickup = body.pickup!;
        if (pickup.address_id === undefined || pickup.pickup_time_id === undefined) {
          throw new ShopeeApiError(
            'logistics.ship_order_need_address_pickup_time',
            'address_id and pickup_time_id are required for pickup.',
          );
        }
        const shop: ShopeeShopRecord = call.shop!;
        if (!shop.pickupAddresses.some((address) => address.addressId === pickup.address_id)) {
          throw new ShopeeApiError('logistics.error_param', `Invalid address_id ${pickup.address_id}.`);
        }
        if (!timeSlots(context).some((slot) => slot.pickup_time_id === pickup.pickup_time_id)) {
          throw new ShopeeApiError(
            'logistics.error_param',
            `Invalid pickup_time_id ${pickup.pickup_time_id}.`,
          );
        }
        arrangeShipment(context, order, 'pickup');
      } else if (method === 'dropoff') {
        arrangeShipment(context, order, 'dropoff');
      } else {
        const trackingNumber = body.non_integrated?.tracking_number;
        if (!trackingNumber) {
          throw new ShopeeApiError(
            'logistics.ship_order_need_tracking_number',
            'tracking_number is required for non-integrated channels.',
          );
        }
        arrangeShipment(context, order, 'non_integrated', trackingNumber);
      }
      await context.pushes.settled();
      return envelopeResponse({});
    },
  },
  '/api/v2/logistics/get_tracking_number': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const order = orderOfShop(context, call, requiredQuery(call.query, 'order_sn'));
      checkPackageNumber(
        order,
        call.query.has('package_number') ? call.query.get('package_number') : undefined,
      );
      const optional = listQuery(call.query, 'response_optional_fields');
      const trackingNumber = order.package.trackingNumber;
      const extra: { [key: string]: JsonWritable } = {};
      for (const field of ['plp_number', 'first_mile_tracking_number', 'last_mile_tracking_number']) {
        if (optional.includes(field)) extra[field] = '';
      }
      return envelopeResponse({
        tracking_number: trackingNumber,
        ...extra,
        hint: trackingNumber === '' ? 'The shipment has not been arranged yet.' : '',
        pickup_code: '',
      });
    },
  },
  '/api/v2/logistics/get_tracking_info': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const order = orderOfShop(context, call, requiredQuery(call.query, 'order_sn'));
      checkPackageNumber(
        order,
        call.query.has('package_number') ? call.query.get('package_number') : undefined,
      );
      return envelopeResponse({
        order_sn: order.orderSn,
        package_number: order.package.packageNumber,
        logistics_status: order.package.logisticsStatus,
        tracking_info: [...order.package.tracking].reverse().map((event) => ({
          update_time: event.updateTime,
          description: event.description,
          logistics_status: event.logisticsStatus,
        })),
      });
    },
  },
};
