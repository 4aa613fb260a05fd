import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, RECONCILE_OPERATIONS, WEBHOOK_OPERATIONS } from '../src/openapi';
import { describedOperations, servedOperations } from './served';
import { createWorld, type World } from './world';

const server = setupServer();
let world: World;
beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  world = await createWorld(server);
});
afterAll(() => server.close());

type Document = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        parameters: Array<{ name: string; in: string; required: boolean }>;
        requestBody?: unknown;
        responses: Record<string, unknown>;
      }
    >
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
};

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document without a key', async () => {
    const response = await world.api().request('/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as Document;
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['Product', 'Order', 'Account', 'OrderPage', 'InventoryLevel', 'Problem']),
    );
  });

  it('describes exactly the routes the app serves', () => {
    const served = servedOperations(world.api());
    // The world's API has an InventorySync, so it serves the reconcile too.
    const described = describedOperations(OPERATIONS, RECONCILE_OPERATIONS);
    expect(served).toEqual(described);
  });

  it('leaves the reconcile out of an app without an InventorySync, route and document alike', async () => {
    const api = world.api({ inventory: undefined });
    expect(api.routes.some((route) => route.path === '/inventory/reconcile')).toBe(false);
    const document = (await (await api.request('/openapi.json')).json()) as Document;
    expect(document.paths['/inventory/reconcile']).toBeUndefined();
  });

  it('adds the webhook endpoint, without security, when the app serves webhooks', async () => {
    const api = world.api({ webhooks: { handle: async () => new Response(null, { status: 204 }) } });
    const served = servedOperations(api);
    const described = describedOperations(OPERATIONS, RECONCILE_OPERATIONS, WEBHOOK_OPERATIONS);
    expect(served).toEqual(described);
    const document = (await (await api.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security: unknown[] }>>;
    };
    expect(document.paths['/webhooks/{marketplace}']!.post!.security).toEqual([]);
  });

  it('generates the shapes from the zod schemas: query parameters, the idempotency header, the Order model', async () => {
    const document = (await (await world.api().request('/openapi.json')).json()) as Document;
    const list = document.paths['/orders']!.get!;
    expect(list.parameters.map((parameter) => parameter.name)).toEqual([
      'marketplace',
      'accountId',
      'status',
      'createdFrom',
      'createdTo',
      'limit',
      'cursor',
    ]);
    const put = document.paths['/inventory/{sku}']!.put!;
    expect(put.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
    expect(put.requestBody).toMatchObject({
      content: {
        'application/json': {
          schema: { required: ['quantity'], properties: { quantity: { type: 'integer' } } },
        },
      },
    });
    expect(Object.keys(put.responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '413', '422', '429']),
    );
    const order = document.components.schemas.Order!;
    expect(order.required).toEqual(expect.arrayContaining(['externalId', 'marketplace', 'total', 'status']));
    expect(document.components.schemas.OrderPage!.properties!.items).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/Order' },
    });
  });
});
