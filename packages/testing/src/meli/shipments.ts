import { money, sumMoney, toDecimalString } from '@mlh/core';
import { isRecord, json, noContent, readJson } from '../shared/index';
import type { MeliContext, OrderRecord, ShipmentRecord } from './context';
import { badRequest, forbidden, meliError, notFound } from './errors';
import type { AuthedInput, MeliRoute, MeliRouter } from './router';
import { meliSite } from './sites';
import type { MeliShipment, MeliShippingMode, MeliUser } from './types';

/** A buyer's delivery address, as a seed. */
export interface MeliAddressInput {
  street_name?: string;
  street_number?: string;
  zip_code?: string;
  city?: string;
  state?: string;
  comment?: string;
}

const HISTORY_KEYS: Record<string, string> = {
  handling: 'date_handling',
  ready_to_ship: 'date_ready_to_ship',
  shipped: 'date_shipped',
  delivered: 'date_delivered',
  not_delivered: 'date_not_delivered',
  cancelled: 'date_cancelled',
};

/** Creates the (single) shipment of a pack. */
export function createShipment(
  context: MeliContext,
  input: {
    packId: number;
    orderIds: number[];
    seller: MeliUser;
    buyer: MeliUser;
    mode: MeliShippingMode;
    logisticType: string | null;
    cost: number;
    /** What the seller pays; the carrier's list cost is both shares. */
    sellerCost?: number;
    currency: string;
    declaredValue: number;
    address: MeliAddressInput;
  },
): ShipmentRecord {
  const now = context.clock.now();
  const site = meliSite(input.seller.site_id);
  const date = context.date(now, site.id);
  const address = {
    address_line: `${input.address.street_name ?? 'Rua das Flores'} ${input.address.street_number ?? '123'}`,
    street_name: input.address.street_name ?? 'Rua das Flores',
    street_number: input.address.street_number ?? '123',
    zip_code: input.address.zip_code ?? '01310100',
    comment: input.address.comment ?? null,
    city: { id: null, name: input.address.city ?? 'São Paulo' },
    state: { id: null, name: input.address.state ?? 'São Paulo' },
    country: { id: site.countryId, name: site.countryId },
    neighborhood: { id: null, name: null },
    municipality: { id: null, name: null },
    latitude: null,
    longitude: null,
    types: [],
  };
  const shipment: MeliShipment = {
    id: context.ids.shipment.next(),
    status: 'pending',
    substatus: input.mode === 'custom' ? null : 'waiting_for_payment',
    tracking_number: null,
    tracking_method: null,
    date_created: date,
    last_updated: date,
    declared_value: input.declaredValue,
    dimensions: null,
    logistic: { mode: input.mode, type: input.logisticType ?? 'default', direction: 'forward' },
    origin: {
      type: 'selling_address',
      sender_id: input.seller.id,
      shipping_address: {
        address_line: 'Avenida do Vendedor 1000',
        zip_code: '04538133',
        city: { id: null, name: 'São Paulo' },
        state: { id: null, name: 'São Paulo' },
        country: { id: site.countryId, name: site.countryId },
      },
    },
    destination: {
      type: 'buyer_address',
      receiver_id: input.buyer.id,
      receiver_name: `${input.buyer.first_name} ${input.buyer.last_name}`,
      // Only ME1 shipments carry the phone, masked until the payment is confirmed.
      receiver_phone: input.mode === 'me1' ? MASKED_PHONE : null,
      comments: null,
      shipping_address: obfuscate(address),
    },
    lead_time: {
      cost: input.cost,
      list_cost: input.sellerCost
        ? Number(
            sumMoney(
              [
                money(toDecimalString(input.cost), input.currency),
                money(toDecimalString(input.sellerCost), input.currency),
              ],
              input.currency,
            ).amount,
          )
        : input.cost,
      cost_type: input.cost === 0 ? 'free' : 'charged',
      currency_id: input.currency,
      shipping_method: { id: 182, name: 'Normal', type: 'standard', deliver_to: 'address' },
      estimated_delivery_time: null,
    },
    source: { site_id: site.id, market_place: 'MELI', customer_id: input.buyer.id, application_id: null },
    tags: [],
    items_types: ['new'],
    status_history: {
      date_handling: null,
      date_ready_to_ship: null,
      date_shipped: null,
      date_first_visit: null,
      date_delivered: null,
      date_not_delivered: null,
      date_returned: null,
      date_cancelled: null,
    },
  };
  const record: ShipmentRecord = {
    shipment,
    packId: input.packId,
    orderIds: input.orderIds,
    history: [{ status: shipment.status, substatus: shipment.substatus, date }],
    address,
    sellerNotifications: [],
    sellerCost: input.sellerCost ?? 0,
  };
  context.state.shipments.set(shipment.id, record);
  return record;
}

/** How a phone the seller may not see yet is written. */
const MASKED_PHONE = 'XXXXXXX';

// The buyer's address stays hidden until the payment is confirmed.
function obfuscate(address: Record<string, unknown>): Record<string, unknown> {
  return { ...address, address_line: null, street_name: null, street_number: null, comment: null };
}

/** Moves a shipment to a status, recording history, and notifies the seller's apps. */
export function moveShipment(
  context: MeliContext,
  record: ShipmentRecord,
  status: string,
  substatus: string | null,
  extra: { trackingNumber?: string; trackingMethod?: string } = {},
): void {
  const { shipment } = record;
  const now = context.clock.now();
  const date = context.date(now, shipment.source.site_id);
  shipment.status = status;
  shipment.substatus = substatus;
  shipment.last_updated = date;
  if (extra.trackingNumber !== undefined) shipment.tracking_number = extra.trackingNumber;
  if (extra.trackingMethod !== undefined) shipment.tracking_method = extra.trackingMethod;
  const historyKey = HISTORY_KEYS[status];
  if (historyKey !== undefined && shipment.status_history[historyKey] === null) {
    shipment.status_history[historyKey] = date;
  }
  record.history.push({ status, substatus, date });
  context.notify('shipments', `/shipments/${shipment.id}`, shipment.origin.sender_id);
}

/** Reveals the address once paid and moves the shipment to where its logistics starts. */
export function releaseShipment(context: MeliContext, record: ShipmentRecord): void {
  record.shipment.destination.shipping_address = { ...record.address };
  const mode = record.shipment.logistic.mode;
  if (mode === 'me1') record.shipment.destination.receiver_phone = '1155550000';
  if (mode === 'custom') {
    moveShipment(context, record, 'pending', null);
    return;
  }
  record.history.push({
    status: 'handling',
    substatus: 'waiting_for_label_generation',
    date: context.date(context.clock.now(), record.shipment.source.site_id),
  });
  record.shipment.status_history.date_handling = context.date(
    context.clock.now(),
    record.shipment.source.site_id,
  );
  moveShipment(context, record, 'ready_to_ship', mode === 'me2' ? 'ready_to_print' : null);
}

function isParticipant(record: ShipmentRecord, userId: number): boolean {
  return record.shipment.origin.sender_id === userId || record.shipment.destination.receiver_id === userId;
}

const ME1_PAIRS: ReadonlyArray<readonly [string, string | null]> = [
  ['shipped', null],
  ['shipped', 'out_for_delivery'],
  ['shipped', 'receiver_absent'],
  ['shipped', 'dangerous_area'],
  ['shipped', 'bad_address'],
  ['shipped', 'unauthorized_receiver'],
  ['not_delivered', 'returning_to_sender'],
  ['delivered', null],
];

const CUSTOM_DELIVERY_SITES = ['MLM', 'MLB', 'MLA'];

export function shipmentHandlers(context: MeliContext, router: MeliRouter): MeliRoute[] {
  const { state } = context;

  function findShipment(input: AuthedInput, checkFormat: boolean): ShipmentRecord | Response {
    if (
      checkFormat &&
      context.behaviour.requireFormatNewHeader &&
      input.request.headers.get('x-format-new') !== 'true'
    ) {
      return badRequest('The header x-format-new: true is required on /shipments', 'format_new_required');
    }
    const record = state.shipments.get(Number(input.params.id));
    if (record === undefined) return notFound(`Shipment ${input.params.id} not found`);
    if (!isParticipant(record, input.token.userId)) return forbidden();
    return record;
  }

  function needsNewDomain(input: AuthedInput): Response | undefined {
    if (context.behaviour.requireNewDomainHeader && input.request.headers.get('x-new-domain') !== 'true') {
      return badRequest('The header X-New-Domain: true is required on this resource', 'new_domain_required');
    }
    return undefined;
  }

  function ordersOf(record: ShipmentRecord): OrderRecord[] {
    return record.orderIds.flatMap((id) => {
      const order = state.orders.get(id);
      return order === undefined ? [] : [order];
    });
  }

  function notifyOrders(record: ShipmentRecord): void {
    for (const order of ordersOf(record)) {
      context.notify('orders_v2', `/orders/${order.order.id}`, order.order.seller.id);
    }
  }

  async function sellerNotification(input: AuthedInput, version: 1 | 2): Promise<Response> {
    const record = findShipment(input, false);
    if (record instanceof Response) return record;
    const { shipment } = record;
    const fail = (code: string, message: string) => meliError(400, code, message);
    if (shipment.origin.sender_id !== input.token.userId)
      return meliError(403, 'forbidden_client', 'Not the seller');
    if (shipment.logistic.mode !== 'me1') return fail('shipment_mode_is_not_me1', 'Shipment mode is not ME1');
    const read = await readJson(input.request);
    if (!read.ok || !isRecord(read.value))
      return fail('invalid_seller_json_format', 'The body is not valid JSON');
    const body = read.value;
    const status = body.status;
    const substatus = body.substatus === undefined ? null : body.substatus;
    if (version === 2 && !('substatus' in body))
      return fail('invalid_seller_json_format', 'substatus must be present');
    if (typeof status !== 'string' || !ME1_PAIRS.some(([s, sub]) => s === status && sub === substatus)) {
      return fail(
        'invalid_seller_json_format',
        `Status ${String(status)}/${String(substatus)} is not allowed`,
      );
    }
    const payload = isRecord(body.payload) ? body.payload : undefined;
    if (version === 2) {
      const date = payload?.date;
      if (typeof date !== 'string' || !/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(date)) {
        return fail('invalid_seller_json_format', 'payload.date must be ISO-8601 with a time zone');
      }
      if (Date.parse(date) < Date.parse(shipment.date_created)) {
        return fail(
          'event_date_before_shipment_creation_date',
          'The event date is before the shipment was created',
        );
      }
      if ((body.tracking_number === undefined) !== (body.tracking_url === undefined)) {
        return fail('invalid_seller_json_format', 'tracking_number and tracking_url go together');
      }
      const dispatched = record.sellerNotifications.some(
        (entry) => entry.status === 'shipped' && entry.substatus === null,
      );
      if (status === 'shipped' && substatus !== null && !dispatched) {
        return fail('invalid_seller_json_format', 'Send shipped with a null substatus first');
      }
    }
    if (
      ['delivered', 'not_delivered', 'cancelled'].includes(shipment.status) ||
      shipment.status === 'pending'
    ) {
      return fail('invalid_shipment_status', `Shipment in status ${shipment.status} cannot change`);
    }
    record.sellerNotifications.push({ status, substatus: substatus as string | null });
    moveShipment(context, record, status, substatus as string | null, {
      ...(typeof body.tracking_number === 'string' ? { trackingNumber: body.tracking_number } : {}),
    });
    notifyOrders(record);
    return json(structuredClone(shipment), { status: 201 });
  }

  return [
    router.api('get', '/shipments/:id', (input) => {
      const record = findShipment(input, true);
      return record instanceof Response ? record : json(structuredClone(record.shipment));
    }),

    // Who pays what of the shipment (reference §5.1, "catalog and after-sale"): the buyer's share
    // (`receiver`) and the seller's (`senders[]`); their sum is the carrier's list cost.
    router.api('get', '/shipments/:id/costs', (input) => {
      const record = findShipment(input, true);
      if (record instanceof Response) return record;
      const { shipment } = record;
      return json({
        gross_amount: shipment.lead_time.list_cost,
        receiver: {
          user_id: shipment.destination.receiver_id,
          cost: shipment.lead_time.cost,
          compensation: 0,
          discounts: [],
        },
        senders: [
          {
            user_id: shipment.origin.sender_id,
            cost: record.sellerCost ?? 0,
            compensation: 0,
            discounts: [],
          },
        ],
      });
    }),

    router.api('get', '/shipments/:id/items', (input) => {
      const record = findShipment(input, true);
      if (record instanceof Response) return record;
      return json(
        ordersOf(record).map(({ order }) => {
          const line = order.order_items[0];
          return {
            item_id: line?.item.id,
            description: line?.item.title,
            quantity: line?.quantity,
            variation_id: line?.item.variation_id ?? null,
            dimensions: null,
            order_id: order.id,
            sender_id: order.seller.id,
          };
        }),
      );
    }),

    router.api('get', '/shipments/:id/history', (input) => {
      const record = findShipment(input, true);
      return record instanceof Response ? record : json(record.history);
    }),

    router.api('get', '/shipments/:id/orders', (input) => {
      const missing = needsNewDomain(input);
      if (missing !== undefined) return missing;
      const record = findShipment(input, false);
      if (record instanceof Response) return record;
      return json(
        ordersOf(record).map(({ order }) => ({
          order_id: order.id,
          pack_id: order.pack_id,
          item_id: order.order_items[0]?.item.id,
          variation_id: order.order_items[0]?.item.variation_id ?? null,
          user_product_id: order.order_items[0]?.item.user_product_id ?? null,
          seller_id: order.seller.id,
          requested_quantity: order.order_items[0]?.requested_quantity,
        })),
      );
    }),

    router.api('get', '/orders/:id/shipments', (input) => {
      const missing = needsNewDomain(input);
      if (missing !== undefined) return missing;
      const order = state.orders.get(Number(input.params.id));
      if (order === undefined) return meliError(404, 'order_not_found', `Order ${input.params.id} not found`);
      if (order.order.seller.id !== input.token.userId && order.order.buyer.id !== input.token.userId) {
        return meliError(403, 'not_owned_order', 'caller.id.invalid');
      }
      const record =
        order.order.shipping.id === null ? undefined : state.shipments.get(order.order.shipping.id);
      if (record === undefined) return noContent();
      if (input.query.get('hosted') === 'true') return json([{ id: record.shipment.id, type: 'forward' }]);
      if (input.query.get('list_all') === 'true') return json([structuredClone(record.shipment)]);
      return json(structuredClone(record.shipment));
    }),

    router.api('put', '/shipments/:id', async (input) => {
      const record = findShipment(input, true);
      if (record instanceof Response) return record;
      const { shipment } = record;
      if (shipment.origin.sender_id !== input.token.userId) return forbidden();
      if (shipment.logistic.mode !== 'custom')
        return badRequest('Only custom shipments are updated this way');
      const read = await readJson(input.request);
      if (!read.ok || !isRecord(read.value))
        return badRequest('The body is not a valid JSON object', 'body.invalid');
      const body = read.value;
      if (body.receiver_id !== shipment.destination.receiver_id) {
        return badRequest('receiver_id must be the buyer of the shipment', 'invalid_receiver_id');
      }
      const target = body.status;
      if (target !== undefined) {
        const allowed =
          (shipment.status === 'pending' && ['shipped', 'delivered', 'cancelled'].includes(String(target))) ||
          (shipment.status === 'shipped' && target === 'delivered');
        if (!allowed)
          return badRequest(
            `Cannot move a ${shipment.status} shipment to ${String(target)}`,
            'invalid_status',
          );
        if (target === 'delivered' && !CUSTOM_DELIVERY_SITES.includes(shipment.source.site_id)) {
          return badRequest('Delivery reporting is only available in MX, BR and AR', 'invalid_status');
        }
      }
      const tracking = typeof body.tracking_number === 'string' ? body.tracking_number : undefined;
      if (typeof target === 'string') {
        moveShipment(
          context,
          record,
          target,
          null,
          tracking === undefined ? {} : { trackingNumber: tracking },
        );
        notifyOrders(record);
      } else if (tracking !== undefined) {
        moveShipment(context, record, shipment.status, shipment.substatus, { trackingNumber: tracking });
      }
      return json(structuredClone(shipment));
    }),

    router.api('post', '/shipments/:id/seller_notifications', (input) => sellerNotification(input, 1)),
    router.api('post', '/v2/shipments/:id/seller_notifications', (input) => sellerNotification(input, 2)),
  ];
}
