/**
 * A unified HTTP API over `@mlh` (a Hono app): accounts, products, orders and inventory of every
 * marketplace through one set of routes, with hashed API keys and scopes, an explicit CORS
 * allow-list, per-key rate limits, body size limits, idempotency keys, RFC 9457 errors and an
 * OpenAPI 3.1 document.
 *
 * @module @mlh/api
 */

export type { MlhApi } from './app';
export { createApi, DEFAULT_MAX_BODY_BYTES } from './app';
export type { ApiContext, ApiEnv, ApiVariables } from './context';
export type {
  AdminDashboard,
  AdminDashboardOptions,
  ApiEndpoint,
  DashboardEnv,
  DashboardSession,
} from './dashboard/index';
export { createAdminDashboard } from './dashboard/index';
export type { EventStreamOptions } from './event-stream';
export type { ApiEvent, ApiEventBus, ApiEventListener, ApiEventSource } from './events';
export {
  alertOpenedEvent,
  bridgeEvents,
  createMemoryEventBus,
  mergeEventSources,
  syncEventSource,
} from './events';
export type {
  IdempotencyBegin,
  IdempotencyStore,
  MemoryIdempotencyStoreOptions,
  StoredResponse,
} from './idempotency';
export { createMemoryIdempotencyStore } from './idempotency';
export type { ApiKeyRecord, ApiPrincipal, ApiScope, GeneratedApiKey } from './keys';
export { generateApiKey, hashApiKey } from './keys';
export type { OpenApiDocument, OpenApiOptions } from './openapi';
export { openApiDocument } from './openapi';
export type {
  AccountDirectory,
  AccountRef,
  AccountRegistry,
  ApiOptions,
  ApiRateLimitOptions,
  AuthorizationOptions,
  CorsOptions,
  PublishOptions,
} from './options';
export type { Problem } from './problem';
export { ApiProblem, PROBLEM_CONTENT_TYPE, problemOf } from './problem';
export type { ReferencePage } from './reference';
export { referencePage } from './reference';
export { createMemoryAccountRegistry } from './routes/accounts';
export type { ApiSyncOptions } from './routes/activity';
export { RUN_ABANDONED_AFTER_MS, TOKEN_EXPIRY_WARNING_MS } from './routes/activity';
export { DEFAULT_AUTHORIZATION_TTL_MS } from './routes/authorization';
export type {
  AccountView,
  AlertView,
  AuthorizationStartedView,
  InventoryLevelView,
  ListingSummaryView,
  PublishResultView,
  SyncFailureView,
  SyncRunView,
} from './schemas';
export {
  Account,
  AccountList,
  Alert,
  AlertList,
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
  PublishTarget,
  ReconcileBody,
  ReconcileResult,
  RunFailure,
  Stats,
  SyncFailurePage,
  SyncFailureRecordSchema,
  SyncRun,
  SyncRunAccepted,
  SyncRunDetail,
  SyncRunPage,
  SyncRunTriggerBody,
} from './schemas';
