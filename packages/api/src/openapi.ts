import { Order, Product, ProductInput, Shipment } from '@mlh/core';
import * as z from 'zod/mini';
import {
  Account,
  AccountList,
  Alert,
  AlertList,
  AlertListQuery,
  ApiKeyInfo,
  AuthorizationConnected,
  AuthorizationStarted,
  CancellationBody,
  CatalogProduct,
  CatalogProductPage,
  FulfillmentBody,
  InventoryLevel,
  InventoryLevelList,
  InventoryListQuery,
  InventorySetBody,
  InventorySetResult,
  ListingStock,
  ListingSummary,
  OrderListQuery,
  OrderPage,
  ProblemSchema,
  ProductListQuery,
  PublishBody,
  PublishResult,
  ReconcileBody,
  ReconcileResult,
  Stats,
  StatsQuery,
  SyncFailureListQuery,
  SyncFailurePage,
  SyncFailureRecordSchema,
  SyncRun,
  SyncRunAccepted,
  SyncRunDetail,
  SyncRunListQuery,
  SyncRunPage,
  SyncRunTriggerBody,
} from './schemas';

/** An OpenAPI 3.1 document, as JSON. */
export type OpenApiDocument = Record<string, unknown>;

/** Options of {@link openApiDocument}. */
export interface OpenApiOptions {
  /** `info.title`. Default `@mlh unified API`. */
  title?: string | undefined;
  /** `info.version`. Default the package's major version line, `0.1`. */
  version?: string | undefined;
  /** `servers[0].url`: where the API is mounted (`https://shop.example.com/api`). Default none. */
  serverUrl?: string | undefined;
  /** Whether the webhook endpoints are served (the app passes it). Default false. */
  webhooks?: boolean | undefined;
  /** Whether `POST /inventory/reconcile` is served (the app passes it). Default false. */
  reconcile?: boolean | undefined;
  /** Whether the sync activity routes are served (the app passes it). Default false. */
  activity?: boolean | undefined;
  /** Whether the account authorization routes are served (the app passes it). Default false. */
  authorization?: boolean | undefined;
}

const COMPONENTS: ReadonlyArray<readonly [string, z.core.$ZodType]> = [
  ['Product', Product],
  ['Order', Order],
  ['Shipment', Shipment],
  ['Account', Account],
  ['AccountList', AccountList],
  ['ApiKeyInfo', ApiKeyInfo],
  ['ListingSummary', ListingSummary],
  ['CatalogProduct', CatalogProduct],
  ['CatalogProductPage', CatalogProductPage],
  ['OrderPage', OrderPage],
  ['ListingStock', ListingStock],
  ['InventoryLevel', InventoryLevel],
  ['InventorySetResult', InventorySetResult],
  ['InventoryLevelList', InventoryLevelList],
  ['ReconcileResult', ReconcileResult],
  ['Problem', ProblemSchema],
  ['SyncRun', SyncRun],
  ['SyncRunPage', SyncRunPage],
  ['SyncRunDetail', SyncRunDetail],
  ['SyncFailure', SyncFailureRecordSchema],
  ['SyncFailurePage', SyncFailurePage],
  ['SyncRunAccepted', SyncRunAccepted],
  ['Alert', Alert],
  ['AlertList', AlertList],
  ['Stats', Stats],
  ['AuthorizationStarted', AuthorizationStarted],
  ['AuthorizationConnected', AuthorizationConnected],
  ['PublishResult', PublishResult],
];

/** One operation of the API as the document describes it. */
interface Operation {
  method: 'get' | 'put' | 'post' | 'delete';
  path: string;
  summary: string;
  scope: 'read' | 'operator';
  pathParams?: readonly string[];
  query?: z.ZodMiniObject;
  body?: z.core.$ZodType;
  idempotent?: boolean;
  /** Component name of the 200 answer; absent for 204. */
  response?: string;
  /** Authenticated by the marketplace's signature, not an API key (webhooks). */
  signed?: boolean;
  /** Answered 202 (accepted, runs in the background) rather than 200. */
  accepted?: boolean;
  /** Answers 201 Created instead of 200. */
  created?: boolean;
  /** What else a 409 means on this route, besides an idempotency key in use. */
  conflict?: string;
  /** The authorization callback: no API key (the state is the proof), answers a redirect. */
  callback?: boolean;
  /** Answers a text/event-stream of live events rather than JSON. */
  eventStream?: boolean;
}

/** Every operation the app serves (a test checks this list against the app's routes). */
export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/me',
    summary: 'The API key of the request: its id and scopes (a client adapts its actions to them)',
    scope: 'read',
    response: 'ApiKeyInfo',
  },
  {
    method: 'get',
    path: '/accounts',
    summary: 'List the served accounts with their token health',
    scope: 'read',
    response: 'AccountList',
  },
  {
    method: 'get',
    path: '/accounts/{marketplace}/{accountId}',
    summary: 'Get one account with its token health',
    scope: 'read',
    pathParams: ['marketplace', 'accountId'],
    response: 'Account',
  },
  {
    method: 'delete',
    path: '/accounts/{marketplace}/{accountId}',
    summary: 'Disconnect an account: forget its tokens',
    scope: 'operator',
    pathParams: ['marketplace', 'accountId'],
  },
  {
    method: 'get',
    path: '/products',
    summary: 'List catalog products with their listings, by SKU',
    scope: 'read',
    query: ProductListQuery,
    response: 'CatalogProductPage',
  },
  {
    method: 'get',
    path: '/products/{sku}',
    summary: 'Get one catalog product with its listings',
    scope: 'read',
    pathParams: ['sku'],
    response: 'CatalogProduct',
  },
  {
    method: 'get',
    path: '/orders',
    summary: 'List the orders of every account, filtered, with cursor paging',
    scope: 'read',
    query: OrderListQuery,
    response: 'OrderPage',
  },
  {
    method: 'get',
    path: '/orders/{marketplace}/{accountId}/{externalId}',
    summary: 'Get one order',
    scope: 'read',
    pathParams: ['marketplace', 'accountId', 'externalId'],
    response: 'Order',
  },
  {
    method: 'post',
    path: '/orders/{marketplace}/{accountId}/{externalId}/fulfillment',
    summary: 'Ship an order on its marketplace, with tracking',
    scope: 'operator',
    pathParams: ['marketplace', 'accountId', 'externalId'],
    body: FulfillmentBody,
    idempotent: true,
    response: 'Shipment',
  },
  {
    method: 'get',
    path: '/inventory',
    summary: "Many SKUs' stock and how far it reached each listing (`sku=A,B,…`, at most 100)",
    scope: 'read',
    query: InventoryListQuery,
    response: 'InventoryLevelList',
  },
  {
    method: 'get',
    path: '/inventory/{sku}',
    summary: "Get a SKU's stock and how far it has reached each listing",
    scope: 'read',
    pathParams: ['sku'],
    response: 'InventoryLevel',
  },
  {
    method: 'put',
    path: '/inventory/{sku}',
    summary: "Set a SKU's stock count; it is pushed to every listing",
    scope: 'operator',
    pathParams: ['sku'],
    body: InventorySetBody,
    idempotent: true,
    response: 'InventorySetResult',
  },
  {
    method: 'post',
    path: '/products',
    summary: 'Create a catalog product (409 when its SKU exists)',
    scope: 'operator',
    body: ProductInput,
    idempotent: true,
    created: true,
    conflict: 'The SKU is in the catalog already (`product_exists`)',
    response: 'CatalogProduct',
  },
  {
    method: 'put',
    path: '/products/{sku}',
    summary: 'Replace a catalog product (its stock is set through /inventory)',
    scope: 'operator',
    pathParams: ['sku'],
    body: ProductInput,
    idempotent: true,
    response: 'CatalogProduct',
  },
  {
    method: 'post',
    path: '/products/{sku}/publish',
    summary: 'List a catalog product on some accounts now (each listing created once)',
    scope: 'operator',
    pathParams: ['sku'],
    body: PublishBody,
    idempotent: true,
    response: 'PublishResult',
  },
  {
    method: 'post',
    path: '/orders/{marketplace}/{accountId}/{externalId}/cancellation',
    summary: 'Cancel an order on its marketplace (409 where the seller cannot)',
    scope: 'operator',
    pathParams: ['marketplace', 'accountId', 'externalId'],
    body: CancellationBody,
    idempotent: true,
    conflict: 'The marketplace does not let the seller cancel (`cancellation_not_supported`), or refused',
    response: 'Order',
  },
  {
    method: 'get',
    path: '/events',
    summary: 'Live events (server-sent events) while the connection stays open',
    scope: 'read',
    eventStream: true,
  },
];

/** The reconcile, served when the app has an `InventorySync`. */
export const RECONCILE_OPERATIONS: readonly Operation[] = [
  {
    method: 'post',
    path: '/inventory/reconcile',
    summary: "Compare every listing's marketplace stock with the store's (the drift); repair on request",
    scope: 'operator',
    body: ReconcileBody,
    idempotent: true,
    response: 'ReconcileResult',
  },
];

/** The sync activity routes, served when the app has an activity store. */
export const ACTIVITY_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/sync/runs',
    summary: 'List sync runs, newest first, filtered by kind and account',
    scope: 'read',
    query: SyncRunListQuery,
    response: 'SyncRunPage',
  },
  {
    method: 'get',
    path: '/sync/runs/{id}',
    summary: 'Get one sync run with its failures',
    scope: 'read',
    pathParams: ['id'],
    response: 'SyncRunDetail',
  },
  {
    method: 'post',
    path: '/sync/runs',
    summary: 'Start a products sync, an order poll of one account or a stock reconcile, in the background',
    scope: 'operator',
    body: SyncRunTriggerBody,
    idempotent: true,
    accepted: true,
    response: 'SyncRunAccepted',
  },
  {
    method: 'get',
    path: '/sync/failures',
    summary: 'List sync failures, newest first, open or resolved',
    scope: 'read',
    query: SyncFailureListQuery,
    response: 'SyncFailurePage',
  },
  {
    method: 'post',
    path: '/sync/failures/{id}/retry',
    summary:
      'Run again what failed (the listing, the account poll or the reconcile), in the background (409 once it is resolved)',
    scope: 'operator',
    pathParams: ['id'],
    idempotent: true,
    accepted: true,
    response: 'SyncRunAccepted',
  },
  {
    method: 'get',
    path: '/alerts',
    summary: 'List open (or resolved) alerts: sync failures and token health',
    scope: 'read',
    query: AlertListQuery,
    response: 'AlertList',
  },
  {
    method: 'post',
    path: '/alerts/{id}/resolve',
    summary: 'Resolve a sync failure alert (409 for a token alert: it resolves itself)',
    scope: 'operator',
    pathParams: ['id'],
    idempotent: true,
    response: 'Alert',
  },
  {
    method: 'get',
    path: '/stats',
    summary: 'Orders per day and marketplace, failures per day, orders today',
    scope: 'read',
    query: StatsQuery,
    response: 'Stats',
  },
];

/** The webhook endpoints, served when the app has a webhook handler. */
export const WEBHOOK_OPERATIONS: readonly Operation[] = [
  {
    method: 'post',
    path: '/webhooks/{marketplace}',
    summary: "A marketplace's webhook delivery: verified with its signature, deduplicated, acknowledged",
    scope: 'read',
    pathParams: ['marketplace'],
    signed: true,
  },
];

/** Connecting sellers, served when the app has `authorization` options. */
export const AUTHORIZATION_OPERATIONS: readonly Operation[] = [
  {
    method: 'post',
    path: '/accounts/{marketplace}/authorizations',
    summary:
      "Start connecting a seller: the marketplace's authorization page and an encrypted single-use state",
    scope: 'operator',
    pathParams: ['marketplace'],
    created: true,
    response: 'AuthorizationStarted',
  },
  {
    method: 'get',
    path: '/accounts/{marketplace}/callback',
    summary:
      "The marketplace's redirect after the seller authorized: exchanges the code and registers the account",
    scope: 'read',
    pathParams: ['marketplace'],
    callback: true,
    response: 'AuthorizationConnected',
  },
];
/** The 200 answer of `GET /events`: what a client reads from the stream. */
const EVENT_STREAM_ANSWER = {
  description: [
    'A text/event-stream: each event is `event: <type>` and `data: <JSON>`. Types: `order.upserted`,',
    '`stock.pushed`, `stock.drift`, `sync.started`, `sync.finished`, `item.failed` (from the sync',
    'orchestrators given as `events`), `stock.set`, `order.fulfilled`, `account.disconnected`, `alert.resolved`,',
    "`api.write` (the API's own writes), `alert.opened` and whatever else the application publishes;",
    '`events.dropped` (`{ dropped }`) when the client read too slowly and lost that many. A comment',
    'line `: heartbeat` comes every 15 s (by default). Events are live only: nothing is replayed on reconnect.',
  ].join(' '),
  content: { 'text/event-stream': { schema: { type: 'string' } } },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function problemAnswer(description: string) {
  return { description, content: { 'application/problem+json': { schema: ref('Problem') } } };
}

function inputSchema(schema: z.core.$ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

function signedOperationObject(operation: Operation): Record<string, unknown> {
  return {
    summary: operation.summary,
    operationId: 'postWebhook',
    description:
      "No API key: the marketplace's signature authenticates the delivery. The body is the marketplace's own payload.",
    security: [],
    parameters: [{ name: 'marketplace', in: 'path', required: true, schema: { type: 'string' } }],
    requestBody: { required: true, content: { 'application/json': { schema: {} } } },
    responses: {
      '200': { description: "Accepted (the marketplace's expected acknowledgement)" },
      '204': { description: 'Accepted, or a duplicate' },
      '400': { description: 'Malformed body' },
      '401': { description: 'Signature missing or wrong' },
      '404': { description: 'No source for this marketplace' },
      '413': { description: 'Body too large' },
      '503': { description: 'The dedupe store failed; the marketplace redelivers later' },
    },
  };
}

function callbackOperationObject(operation: Operation): Record<string, unknown> {
  return {
    summary: operation.summary,
    operationId: 'getAccountCallback',
    description:
      "No API key: the encrypted, single-use `state` is the proof. The browser comes here from the marketplace's page with `code` and `state` (Shopee adds `shop_id` or `main_account_id`).",
    security: [],
    parameters: [
      { name: 'marketplace', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'state', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'code', in: 'query', required: false, schema: { type: 'string' } },
    ],
    responses: {
      '200': {
        description: 'Connected (no `returnTo` configured)',
        content: { 'application/json': { schema: ref('AuthorizationConnected') } },
      },
      '302': {
        description:
          'To `returnTo` with `?connected={marketplace}:{accountId}`, or `?error={code}&marketplace=...`',
      },
      '400': problemAnswer('State missing, invalid, expired or already used'),
      '404': problemAnswer('No authorizer for this marketplace'),
      '502': problemAnswer('The marketplace refused the code exchange'),
    },
  };
}

function operationObject(operation: Operation): Record<string, unknown> {
  if (operation.signed) return signedOperationObject(operation);
  if (operation.callback) return callbackOperationObject(operation);
  const parameters: Record<string, unknown>[] = [
    ...(operation.pathParams ?? []).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...Object.entries(operation.query?.def.shape ?? {}).map(([name, field]) => ({
      name,
      in: 'query',
      required: false,
      schema: inputSchema(field),
    })),
  ];
  if (operation.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      description:
        'A unique key per intended change: a retry with the same key and body is answered once, never applied twice.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  const responses: Record<string, unknown> = operation.eventStream
    ? { '200': EVENT_STREAM_ANSWER }
    : operation.response
      ? {
          [operation.accepted ? '202' : operation.created ? '201' : '200']: {
            description: operation.accepted
              ? 'Accepted: runs in the background'
              : operation.created
                ? 'Created'
                : 'OK',
            content: { 'application/json': { schema: ref(operation.response) } },
          },
        }
      : { '204': { description: 'Done' } };
  responses['400'] = problemAnswer('Invalid request (the problem lists each bad field)');
  responses['401'] = problemAnswer('Missing or invalid API key');
  responses['403'] = problemAnswer(
    `The key lacks the ${operation.scope} scope, or the origin is not allowed`,
  );
  if (operation.pathParams) responses['404'] = problemAnswer('Not found');
  if (operation.idempotent) {
    responses['409'] = problemAnswer(
      operation.conflict
        ? `${operation.conflict}; or a request with this Idempotency-Key is still running`
        : 'A request with this Idempotency-Key is still running',
    );
    responses['422'] = problemAnswer('This Idempotency-Key was used with a different request');
  }
  if (operation.body) {
    responses['413'] = problemAnswer('The body is over the size limit');
    responses['415'] = problemAnswer('The body is not application/json');
  }
  responses['429'] = problemAnswer('Rate limited: retry after Retry-After seconds');
  if (operation.method === 'post')
    responses['502'] = problemAnswer('The marketplace refused or failed the call');
  return {
    summary: operation.summary,
    operationId: `${operation.method}${operation.path.replace(/\{|\}/g, '').replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())}`,
    security: [{ apiKey: [] }],
    'x-mlh-scope': operation.scope,
    parameters,
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: inputSchema(operation.body) } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas that parse its
 * requests and shape its answers. The app serves it at `/openapi.json`.
 *
 * @example
 * const document = openApiDocument({ serverUrl: 'https://shop.example.com/api' });
 */
export function openApiDocument(options: OpenApiOptions = {}): OpenApiDocument {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of COMPONENTS) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const schemas = Object.fromEntries(
    Object.entries(generated.schemas).map(([id, schema]) => {
      const { $schema: _dialect, id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
  const paths: Record<string, Record<string, unknown>> = {};
  const operations = [
    ...OPERATIONS,
    ...(options.reconcile ? RECONCILE_OPERATIONS : []),
    ...(options.activity ? ACTIVITY_OPERATIONS : []),
    ...(options.webhooks ? WEBHOOK_OPERATIONS : []),
    ...(options.authorization ? AUTHORIZATION_OPERATIONS : []),
  ];
  for (const operation of operations) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: operationObject(operation) };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: options.title ?? '@mlh unified API', version: options.version ?? '0.1' },
    ...(options.serverUrl === undefined ? {} : { servers: [{ url: options.serverUrl }] }),
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`mlh_…`); `X-API-Key` works too.',
        },
      },
    },
  };
}
