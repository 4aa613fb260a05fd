import { createManualClock, ValidationError } from '@mlh/core';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { meliSearchDate } from '../src/index';
import {
  API,
  APP_ID,
  collect,
  paidOrder,
  rejectionOf,
  SELLER,
  shipment,
  storeWithTokens,
  testMeli,
  useServer,
} from './support';

const server = useServer();

/** `count` orders updated one hour apart from 2025-11-01T00:30Z, served by an /orders/search that pages like the real one. */
function ordersOnServer(count: number) {
  const orders = Array.from({ length: count }, (_, index) => {
    const updated = new Date(Date.UTC(2025, 10, 1, index, 30)).toISOString();
    return paidOrder({
      id: 2000000000000000 + index,
      date_created: updated,
      last_updated: updated,
      status: index % 5 === 4 ? 'cancelled' : 'paid',
      shipping: { id: 44000000000 + index },
    });
  });
  const searches: Record<string, string>[] = [];
  server.use(
    http.get(`${API}/orders/search`, ({ request }) => {
      const query = Object.fromEntries(new URL(request.url).searchParams);
      searches.push(query);
      if (query.seller !== SELLER) return HttpResponse.json({ results: [], paging: { total: 0 } });
      const limit = Number(query.limit ?? 50);
      if (limit > 50) return HttpResponse.json({ message: 'limit', status: 400 }, { status: 400 });
      const from = query['order.date_last_updated.from'];
      const statuses = query['order.status']?.split(',');
      const matching = orders.filter(
        (order) =>
          (!from || Date.parse(order.last_updated) >= Date.parse(from)) &&
          (!statuses || statuses.includes(order.status)),
      );
      const offset = Number(query.offset ?? 0);
      return HttpResponse.json({
        results: matching.slice(offset, offset + limit),
        paging: { total: matching.length, offset, limit },
      });
    }),
    http.get(`${API}/shipments/:id`, ({ params }) =>
      HttpResponse.json(shipment({ id: Number(params.id), status: 'shipped', substatus: null })),
    ),
  );
  return { orders, searches };
}

describe('order search', () => {
  it('formats search dates as Mercado Livre takes them, truncated to the hour', () => {
    expect(meliSearchDate('2025-11-01T10:45:12.345Z', 'from')).toBe('2025-11-01T10:00:00.000-00:00');
    expect(meliSearchDate('2025-11-01T10:45:12.345Z', 'to')).toBe('2025-11-01T11:00:00.000-00:00');
    expect(() => meliSearchDate('yesterday', 'from')).toThrow(ValidationError);
  });

  it('searches by seller with date and status filters, 50 per page', async () => {
    const { searches } = ordersOnServer(3);
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    await collect(client.listOrders({ since: '2025-11-01T01:10:00Z', status: 'paid' }));
    expect(searches[0]).toMatchObject({
      seller: SELLER,
      sort: 'date_asc',
      'order.date_last_updated.from': '2025-11-01T01:00:00.000-00:00',
      'order.status': 'paid,partially_refunded',
      offset: '0',
      limit: '50',
    });
  });

  it('lists incrementally: pages through everything updated since the checkpoint, each order once, exact bounds', async () => {
    const { searches } = ordersOnServer(120);
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const since = '2025-11-01T10:45:00Z';
    const orders = await collect(client.listOrders({ since }));
    // The API truncates to 10:00; the order updated at 10:30 is filtered out by the client.
    expect(orders[0]?.updatedAt).toBe('2025-11-01T11:30:00.000Z');
    expect(orders).toHaveLength(120 - 11);
    expect(new Set(orders.map((order) => order.externalId)).size).toBe(orders.length);
    // The unfiltered search, then the cancelled one (a seller search may leave those out); this
    // server includes them in both, and each order still comes out once.
    expect(searches.map((query) => [query['order.status'], query.offset])).toEqual([
      [undefined, '0'],
      [undefined, '50'],
      [undefined, '100'],
      ['cancelled', '0'],
    ]);
  });

  it('maps each order with its shipment: shipped status, address and tracking', async () => {
    ordersOnServer(5);
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const orders = await collect(client.listOrders());
    expect(orders.map((order) => order.status)).toEqual([
      'shipped',
      'shipped',
      'shipped',
      'shipped',
      'cancelled',
    ]);
    expect(orders[0]).toMatchObject({
      shipmentIds: ['44000000000'],
      trackingNumber: 'BR123456789',
      shippingAddress: { city: 'São Paulo', postalCode: '01310-100' },
      total: { amount: '110.29', currency: 'BRL' },
    });
  });

  it('filters by core status after mapping (shipped is a paid order with a shipped shipment)', async () => {
    ordersOnServer(5);
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    expect(await collect(client.listOrders({ status: 'paid' }))).toEqual([]);
    expect(await collect(client.listOrders({ status: ['shipped'] }))).toHaveLength(4);
    expect(await collect(client.listOrders({ status: 'cancelled' }))).toHaveLength(1);
  });

  it('can skip shipment lookups', async () => {
    ordersOnServer(2);
    let shipmentCalls = 0;
    server.use(
      http.get(`${API}/shipments/:id`, () => {
        shipmentCalls += 1;
        return HttpResponse.json(shipment());
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER, {
      includeShipments: false,
    });
    const orders = await collect(client.listOrders());
    expect(shipmentCalls).toBe(0);
    expect(orders.map((order) => order.status)).toEqual(['paid', 'paid']);
  });
});

describe('orders and packs', () => {
  it('getOrders fetches each order and omits unknown ones', async () => {
    server.use(
      http.get(`${API}/orders/:id`, ({ params }) =>
        params.id === '404'
          ? HttpResponse.json(
              { message: 'Order not found', error: 'order_not_found', status: 404 },
              { status: 404 },
            )
          : HttpResponse.json(paidOrder({ id: Number(params.id) })),
      ),
      http.get(`${API}/shipments/:id`, () => HttpResponse.json(shipment())),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const orders = await client.getOrders(['1', '404', '2']);
    expect(orders.map((order) => order.externalId)).toEqual(['1', '2']);
  });

  it('keeps 19-digit ids sent as bare JSON numbers exact (order, pack, shipment)', async () => {
    const order = JSON.stringify(paidOrder({ id: 0, pack_id: 0, shipping: { id: 0 } }))
      .replace('"id":0', '"id":2000009713473608123')
      .replace('"pack_id":0', '"pack_id":2000006556183755123')
      .replace('"shipping":{"id":0}', '"shipping":{"id":4402879254212345678}');
    server.use(
      http.get(`${API}/orders/2000009713473608123`, () =>
        HttpResponse.text(order, { headers: { 'content-type': 'application/json' } }),
      ),
      // Only the exact id is served: a rounded one would be an unhandled request.
      http.get(`${API}/shipments/4402879254212345678`, () => HttpResponse.json(shipment())),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const [got] = await client.getOrders(['2000009713473608123']);
    expect(got?.externalId).toBe('2000009713473608123');
    expect(got?.packId).toBe('2000006556183755123');
    expect(got?.shipmentIds).toEqual(['4402879254212345678']);
  });

  it('reads a pack and its orders', async () => {
    server.use(
      http.get(`${API}/packs/2000006181551917`, () =>
        HttpResponse.json({
          id: 2000006181551917,
          status: 'released',
          shipment: { id: 43729529445 },
          orders: [{ id: 11 }, { id: 12 }],
          date_created: '2024-08-15T17:38:30.000-0400',
        }),
      ),
      http.get(`${API}/orders/:id`, ({ params }) =>
        HttpResponse.json(paidOrder({ id: Number(params.id), pack_id: 2000006181551917 })),
      ),
      http.get(`${API}/shipments/:id`, () => HttpResponse.json(shipment())),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const { pack, orders } = await client.getPack('2000006181551917');
    expect(pack.status).toBe('released');
    expect(orders.map((order) => [order.externalId, order.packId])).toEqual([
      ['11', '2000006181551917'],
      ['12', '2000006181551917'],
    ]);
  });

  it('lists an order’s shipments from the hosted view, and none on 204', async () => {
    server.use(
      http.get(`${API}/orders/1/shipments`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('hosted')).toBe('true');
        expect(request.headers.get('x-new-domain')).toBe('true');
        return HttpResponse.json([
          { id: 2, type: 'return' },
          { id: 1, type: 'forward' },
        ]);
      }),
      http.get(`${API}/orders/2/shipments`, () => new HttpResponse(null, { status: 204 })),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    expect((await client.orders.getShipments('1')).data.find((ref) => ref.type === 'forward')?.id).toBe(1);
    expect((await client.orders.getShipments('2')).data).toEqual([]);
  });
});

describe('fulfillOrder', () => {
  function orderWithShipment(mode: string, status = 'ready_to_ship') {
    let current = shipment({ logistic: { mode, type: 'default' }, status, substatus: null });
    const writes: Array<{ path: string; body: Record<string, unknown> }> = [];
    server.use(
      http.get(`${API}/orders/2000009713473608`, () => HttpResponse.json(paidOrder())),
      http.get(`${API}/shipments/44028792542`, () => HttpResponse.json(current)),
      http.post(`${API}/v2/shipments/44028792542/seller_notifications`, async ({ request }) => {
        writes.push({
          path: new URL(request.url).pathname,
          body: (await request.json()) as Record<string, unknown>,
        });
        current = { ...current, status: 'shipped' };
        return HttpResponse.json({});
      }),
      http.put(`${API}/shipments/44028792542`, async ({ request }) => {
        writes.push({
          path: new URL(request.url).pathname,
          body: (await request.json()) as Record<string, unknown>,
        });
        current = { ...current, status: 'shipped' };
        return HttpResponse.json({});
      }),
    );
    return writes;
  }

  it('ME1: sends a V2 seller notification with the site service id and tracking', async () => {
    const clock = createManualClock(Date.parse('2026-01-16T16:03:51.175Z'));
    const writes = orderWithShipment('me1');
    const client = testMeli(await storeWithTokens(clock.now()), { transport: { clock } }).forAccount(SELLER);
    const result = await client.fulfillOrder('2000009713473608', {
      trackingNumber: 'OP123456789BR',
      trackingUrl: 'https://carrier.example/track/OP123456789BR',
    });
    expect(writes).toEqual([
      {
        path: '/v2/shipments/44028792542/seller_notifications',
        body: {
          payload: { service_id: 11, date: '2026-01-16T16:03:51.175Z' },
          tracking_number: 'OP123456789BR',
          tracking_url: 'https://carrier.example/track/OP123456789BR',
          status: 'shipped',
          substatus: null,
        },
      },
    ]);
    expect(result).toMatchObject({
      externalId: '44028792542',
      status: 'shipped',
      orderIds: ['2000009713473608'],
    });
  });

  it('ME1: refuses a tracking number without its URL before sending', async () => {
    const writes = orderWithShipment('me1');
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const error = await rejectionOf(client.fulfillOrder('2000009713473608', { trackingNumber: 'OP1' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toContain('tracking_url');
    expect(writes).toEqual([]);
  });

  it('custom shipping: marks it shipped with the buyer as receiver', async () => {
    const writes = orderWithShipment('custom');
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    await client.fulfillOrder('2000009713473608', {
      trackingNumber: 'TRK-1',
      marketplaceFields: { speed: 48 },
    });
    expect(writes).toEqual([
      {
        path: '/shipments/44028792542',
        body: { status: 'shipped', receiver_id: 6427433, tracking_number: 'TRK-1', speed: 48 },
      },
    ]);
  });

  it('Mercado Envios (me2): nothing to mark; a tracking number is refused', async () => {
    const writes = orderWithShipment('me2');
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const current = await client.fulfillOrder('2000009713473608', { method: 'dropoff' });
    expect(current.status).toBe('ready_to_ship');
    await expect(client.fulfillOrder('2000009713473608', { trackingNumber: 'X' })).rejects.toThrow(
      ValidationError,
    );
    expect(writes).toEqual([]);
  });

  it('does not report a shipment that already left', async () => {
    const writes = orderWithShipment('custom', 'shipped');
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const result = await client.fulfillOrder('2000009713473608', { trackingNumber: 'TRK-1' });
    expect(result.status).toBe('shipped');
    expect(writes).toEqual([]);
  });

  it('an order without shipment (not_specified) cannot be fulfilled through the API', async () => {
    server.use(
      http.get(`${API}/orders/1`, () => HttpResponse.json(paidOrder({ id: 1, shipping: { id: null } }))),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    await expect(client.fulfillOrder('1', {})).rejects.toThrow(ValidationError);
  });
});

describe('recoverMissedEvents', () => {
  it('turns this seller’s missed feeds into events, paging and skipping other sellers', async () => {
    const message = (id: number, userId: number, topic = 'orders_v2') => ({
      _id: `missed-${id}`,
      resource: topic === 'items' ? `/items/MLB${id}` : `/orders/${id}`,
      user_id: userId,
      topic,
      application_id: Number(APP_ID),
      attempts: 8,
      sent: '2026-01-02T10:00:00.000Z',
      received: '2026-01-02T09:59:59.000Z',
      request: { url: 'https://app.example.com/meli', data: '{}' },
      response: { http_code: 500 },
    });
    const pages: Record<string, string>[] = [];
    server.use(
      http.get(`${API}/missed_feeds`, ({ request }) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        pages.push(query);
        const all = [
          ...Array.from({ length: 10 }, (_, index) => message(index, Number(SELLER))),
          message(99, 1),
          message(100, Number(SELLER), 'items'),
        ];
        const offset = Number(query.offset);
        return HttpResponse.json({ messages: all.slice(offset, offset + Number(query.limit)) });
      }),
    );
    const client = testMeli(await storeWithTokens(Date.now())).forAccount(SELLER);
    const recover = client.recoverMissedEvents;
    if (!recover) throw new Error('MeliClient implements recoverMissedEvents');
    const events = await collect(recover());
    expect(pages.map((query) => [query.app_id, query.offset])).toEqual([
      [APP_ID, '0'],
      [APP_ID, '10'],
    ]);
    expect(events).toHaveLength(11);
    expect(events[0]).toMatchObject({ type: 'order.updated', resourceId: '0', accountId: SELLER });
    expect(events[10]).toMatchObject({ type: 'product.updated', resourceId: 'MLB100' });
  });
});
