import { isMlhError, silentLogger } from '@mlh/core';
import { Hono } from 'hono';
import type { ApiEnv } from './context';
import { liveEvents, writeEvents } from './events';
import { createMemoryIdempotencyStore } from './idempotency';
import { hasScope } from './keys';
import { type OpenApiOptions, openApiDocument } from './openapi';
import type { ApiOptions } from './options';
import { problemOf, problemResponse } from './problem';
import { referenceHandler } from './reference';
import { accountRoutes } from './routes/accounts';
import { activityRoutes } from './routes/activity';
import {
  authorizationCallbackRoutes,
  authorizationStartRoutes,
  checkAuthorizationOptions,
} from './routes/authorization';
import { catalogWriteRoutes } from './routes/catalog-writes';
import { eventRoutes } from './routes/events';
import { inventoryRoutes } from './routes/inventory';
import { orderWriteRoutes } from './routes/order-writes';
import { orderRoutes } from './routes/orders';
import { productRoutes } from './routes/products';
import { apiKeyGuard, bodySizeGuard, corsGuard, rateLimitGuard, requestLog, requireScope } from './security';

/** The default largest request body: 64 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The API's Hono app: mount it in your app (`app.route('/api', api)`) or serve `api.fetch`. */
export type MlhApi = Hono<ApiEnv>;

/**
 * The unified HTTP API over the SDK, as a Hono app. Every route but `/openapi.json` needs an API
 * key; errors are RFC 9457 problem+json carrying the SDK's error kinds.
 *
 * @example
 * const api = createApi({ syncStore, tokenStore, accounts, apiKeys: [record] });
 * app.route('/api', api); // in your Hono app; or export default { fetch: api.fetch }
 */
export function createApi(options: ApiOptions & { openApi?: OpenApiOptions | undefined }): MlhApi {
  const clock = options.clock ?? (() => Date.now());
  if (options.authorization) checkAuthorizationOptions(options.authorization, options.accounts);
  const idempotency = options.idempotency ?? createMemoryIdempotencyStore();
  const app = new Hono<ApiEnv>();

  app.onError((error, c) => {
    const problem = problemOf(error, c.req.path);
    if (problem.status >= 500) {
      (options.logger ?? silentLogger).error('api error', {
        path: c.req.path,
        kind: problem.kind,
        // The SDK's errors log their redacted fields; anything else only its name (a message may
        // quote a secret).
        error: isMlhError(error) ? error.toJSON() : error instanceof Error ? error.name : typeof error,
      });
    }
    return problemResponse(problem, c.res.headers);
  });
  app.notFound((c) =>
    problemResponse({
      type: 'https://github.com/mlh-sdk/mlh/blob/main/docs/unified-api.md#problem-not_found',
      title: 'Not found',
      status: 404,
      detail: `No route ${c.req.method} ${c.req.path}`,
      instance: c.req.path,
      kind: 'not_found',
      code: 'no_route',
      retryable: false,
    }),
  );

  if (options.logger) app.use('*', requestLog(options.logger, clock));
  app.use('*', corsGuard(options.cors));
  app.use('*', bodySizeGuard(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));

  // Routes without an API key come before the guarded ones, whose key check matches every path.
  const document = openApiDocument({
    ...options.openApi,
    webhooks: options.webhooks !== undefined,
    reconcile: options.inventory !== undefined,
    activity: options.activity !== undefined,
    authorization: options.authorization !== undefined,
  });
  app.get('/openapi.json', (c) => c.json(document));
  app.get('/reference', referenceHandler(document));
  const webhooks = options.webhooks;
  if (webhooks) app.post('/webhooks/:marketplace', (c) => webhooks.handle(c.req.raw));
  // Live events: the API's writes, a connected account and a publish's sync run are published here.
  const live = liveEvents(options.events);
  const authorization = options.authorization && {
    authorization: options.authorization,
    accounts: options.accounts,
    syncStore: options.syncStore,
    tokenStore: options.tokenStore,
    clock,
    logger: options.logger,
    publish: live.publish,
  };
  if (authorization) app.route('/accounts', authorizationCallbackRoutes(authorization));

  const guarded = new Hono<ApiEnv>();
  guarded.use('*', apiKeyGuard(options.apiKeys));
  if (options.rateLimit !== false) guarded.use('*', rateLimitGuard(options.rateLimit ?? {}, clock));
  guarded.get('/me', requireScope('read'), (c) => {
    const { keyId, scopes } = c.get('principal');
    return c.json({ keyId, scopes: [...scopes], canWrite: hasScope(c.get('principal'), 'operator') });
  });
  if (authorization) guarded.route('/accounts', authorizationStartRoutes(authorization));
  // Every successful write is published as a live event (before the routes, so it wraps them).
  guarded.use('*', writeEvents(live.publish));
  guarded.route('/events', eventRoutes({ source: live.source, stream: options.eventStream }));
  guarded.route(
    '/accounts',
    accountRoutes({ accounts: options.accounts, tokenStore: options.tokenStore, clock }),
  );
  guarded.route('/products', productRoutes({ syncStore: options.syncStore, activity: options.activity }));
  guarded.route(
    '/products',
    catalogWriteRoutes({
      syncStore: options.syncStore,
      activity: options.activity,
      logger: options.logger,
      publish: live.publish,
      clients: options.clients,
      productSync: options.productSync,
      idempotency,
      clock,
    }),
  );
  guarded.route(
    '/orders',
    orderRoutes({
      syncStore: options.syncStore,
      accounts: options.accounts,
      clients: options.clients,
      idempotency,
      clock,
    }),
  );
  guarded.route(
    '/orders',
    orderWriteRoutes({
      syncStore: options.syncStore,
      accounts: options.accounts,
      clients: options.clients,
      orderSync: options.orderSync,
      idempotency,
      clock,
    }),
  );
  guarded.route(
    '/inventory',
    inventoryRoutes({ syncStore: options.syncStore, inventory: options.inventory, idempotency, clock }),
  );
  if (options.activity) {
    guarded.route(
      '/',
      activityRoutes({
        activity: options.activity,
        sync: options.sync,
        syncStore: options.syncStore,
        tokenStore: options.tokenStore,
        accounts: options.accounts,
        idempotency,
        logger: options.logger,
        clock,
        runAbandonedAfterMs: options.runAbandonedAfterMs,
      }),
    );
  }
  app.route('/', guarded);
  return app;
}
