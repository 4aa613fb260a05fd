/**
 * The request and response schemas of the API. Handlers parse requests with them and the OpenAPI
 * document is generated from them, so the two cannot disagree.
 */
import { Order, Product } from '@mlh/core';
import * as zod from 'zod';
import * as z from 'zod/mini';

/** Page size of every listing: 1 to 100, default 50. */
export const MAX_PAGE_SIZE = 100;

const PageSize = z.pipe(
  z.string().check(z.regex(/^[1-9][0-9]{0,2}$/, 'must be a whole number from 1 to 100')),
  z.pipe(
    z.transform((text: string) => Number(text)),
    z.number().check(z.maximum(MAX_PAGE_SIZE, 'must be at most 100')),
  ),
);

const Cursor = z.string().check(z.maxLength(512), z.regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor of this API'));

/** The marketplaces this API serves. */
export const MarketplaceParam = z.enum(['meli', 'shopee', 'tiktok']);

/** A token's state, as far as the API can tell without calling the marketplace. */
export const TokenHealth = z.enum(['healthy', 'refresh_due', 'reauthorization_required', 'disconnected']);

/** One connected seller account; never carries a token. */
export const Account = z.looseObject({
  marketplace: z.string(),
  accountId: z.string(),
  /** The application's own name for the account, when it gave one. */
  label: z.optional(z.string()),
  health: TokenHealth,
  /** True when the seller must go through the authorization flow again. */
  reauthorizationRequired: z.boolean(),
  accessTokenExpiresAt: z.optional(z.iso.datetime()),
  refreshTokenExpiresAt: z.optional(z.iso.datetime()),
});

/** `GET /accounts`. */
export const AccountList = z.object({ items: z.array(Account) });

/** The API key a request authenticated with: its id and scopes (never the key). */
export const ApiKeyInfo = z.object({
  keyId: z.string(),
  scopes: z.array(z.enum(['read', 'operator'])),
  /** Whether it may write (`operator` scope). */
  canWrite: z.boolean(),
});

/** One catalog product on one account, as the sync store knows it. */
export const ListingSummary = z.object({
  marketplace: z.string(),
  accountId: z.string(),
  /** `creating` while a create's outcome is unknown; `active` once the marketplace has it. */
  state: z.enum(['creating', 'active']),
  status: z.optional(z.string()),
  productExternalId: z.optional(z.string()),
  updatedAt: z.iso.datetime(),
  /** The listing's last sync failure, until a later sync of it succeeds (needs the `activity` option). */
  lastError: z.optional(z.object({ stage: z.string(), reason: z.string(), at: z.iso.datetime() })),
});

/** A catalog product (the core model) with its listings on each marketplace account. */
export const CatalogProduct = z.object({
  product: Product,
  listings: z.array(ListingSummary),
});

/** `GET /products`. */
export const CatalogProductPage = z.object({
  items: z.array(CatalogProduct),
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor: z.optional(z.string()),
});

/** Query of `GET /products`. */
export const ProductListQuery = z.object({
  limit: z.optional(PageSize),
  cursor: z.optional(Cursor),
});

const StatusList = z.pipe(
  z
    .string()
    .check(
      z.regex(
        /^(pending|paid|shipped|delivered|cancelled|unknown)(,(pending|paid|shipped|delivered|cancelled|unknown))*$/,
        'must be order statuses separated by commas (pending, paid, shipped, delivered, cancelled, unknown)',
      ),
    ),
  z.transform((text: string) => text.split(',')),
);

/** Query of `GET /orders`. */
export const OrderListQuery = z.object({
  marketplace: z.optional(MarketplaceParam),
  accountId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  /** One status or several separated by commas. */
  status: z.optional(StatusList),
  /** Orders created at or after this instant (ISO 8601 with offset). */
  createdFrom: z.optional(z.iso.datetime({ offset: true })),
  /** Orders created before this instant (ISO 8601 with offset). */
  createdTo: z.optional(z.iso.datetime({ offset: true })),
  limit: z.optional(PageSize),
  cursor: z.optional(Cursor),
});

/** `GET /orders`. */
export const OrderPage = z.object({
  items: z.array(Order),
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor: z.optional(z.string()),
});

/** Body of `PUT /inventory/{sku}`: the SKU's stock count. */
export const InventorySetBody = z.object({
  quantity: z.int().check(z.minimum(0), z.maximum(1_000_000_000)),
  /** Why the stock was set, kept in the ledger. Default `api.set`. */
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});

/** Where one listing's stock stands against the store's. */
export const ListingStock = z.object({
  marketplace: z.string(),
  accountId: z.string(),
  /** The listing's product SKU. */
  productSku: z.string(),
  /** The marketplace accepted the current stock version (`synced`), an older one (`pending`), or a write whose outcome is not yet read back (`checking`). */
  state: z.enum(['synced', 'pending', 'checking']),
  pushedQuantity: z.optional(z.number()),
  pushedStockVersion: z.optional(z.number()),
});

/** A SKU's stock and how far it has reached each listing. */
export const InventoryLevel = z.object({
  sku: z.string(),
  /** Units available; negative when oversold. */
  quantity: z.number(),
  /** Increases on every movement. */
  version: z.number(),
  listings: z.array(ListingStock),
});

/** Most SKUs one `GET /inventory` reads. */
export const MAX_SKUS_PER_READ = 100;

/** Query of `GET /inventory`: SKUs separated by commas. */
export const InventoryListQuery = z.object({
  sku: z.pipe(
    z.string().check(z.minLength(1, 'must name at least one SKU')),
    z.pipe(
      z.transform((text: string) => [...new Set(text.split(','))]),
      z
        .array(z.string().check(z.minLength(1, 'must not be empty')))
        .check(z.maxLength(MAX_SKUS_PER_READ, `at most ${MAX_SKUS_PER_READ} SKUs`)),
    ),
  ),
});

/** `GET /inventory`: the SKUs the catalog has, in the order asked (unknown ones are left out). */
export const InventoryLevelList = z.object({ items: z.array(InventoryLevel) });

/** `PUT /inventory/{sku}`. */
export const InventorySetResult = z.object({
  /** False when this idempotency key had already set the stock (nothing changed). */
  applied: z.boolean(),
  level: InventoryLevel,
});

/** Body of `POST /inventory/reconcile`. */
export const ReconcileBody = z.object({
  /** Push the store's stock where a marketplace differs. Default false: only report the drift. */
  repair: z.optional(z.boolean()),
});

/** A failure of a sync run, without the error object (its message is in `reason`). */
export const RunFailure = z.object({
  marketplace: z.string(),
  accountId: z.string(),
  sku: z.optional(z.string()),
  stage: z.string(),
  reason: z.string(),
  retryable: z.boolean(),
});

/** `POST /inventory/reconcile`: every listing's marketplace stock against the store's. */
export const ReconcileResult = z.object({
  runId: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  /** SKU × listing values compared. */
  checked: z.number(),
  drift: z.array(
    z.object({
      marketplace: z.string(),
      accountId: z.string(),
      sku: z.string(),
      variantSku: z.string(),
      marketplaceQuantity: z.number(),
      expectedQuantity: z.number(),
      repaired: z.boolean(),
    }),
  ),
  /** Listings the store has that the marketplace no longer returns. */
  missing: z.array(
    z.object({
      marketplace: z.string(),
      accountId: z.string(),
      sku: z.string(),
      productExternalId: z.string(),
    }),
  ),
  failed: z.array(RunFailure),
});

/** Body of `POST /orders/{marketplace}/{accountId}/{externalId}/fulfillment`: how the order ships. */
export const FulfillmentBody = z.object({
  /** Carrier name or the marketplace's carrier id. */
  carrier: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  trackingNumber: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  trackingUrl: z.optional(z.url()),
  /** Marketplace-arranged pickup, drop-off at a point, or the seller's own carrier. */
  method: z.optional(z.enum(['pickup', 'dropoff', 'seller'])),
  /** One shipment (package) of the order; default its only or first one. */
  shipmentId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  /** Passed to the marketplace as is (see each adapter's `fulfillOrder`). */
  marketplaceFields: z.optional(z.record(z.string(), z.unknown())),
});

/** An error (RFC 9457 problem details with the SDK's error kind). */
export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  instance: z.optional(z.string()),
  kind: z.string(),
  marketplace: z.optional(z.string()),
  code: z.optional(z.string()),
  requestId: z.optional(z.string()),
  retryable: z.boolean(),
  retryAfter: z.optional(z.number()),
  issues: z.optional(
    z.array(z.object({ path: z.string(), message: z.string(), code: z.optional(z.string()) })),
  ),
  reauthorizationRequired: z.optional(z.boolean()),
});

/** An account as answered by `GET /accounts`. */
export type AccountView = z.infer<typeof Account>;
/** A listing as answered with a product. */
export type ListingSummaryView = z.infer<typeof ListingSummary>;
/** A SKU's stock as answered by `GET /inventory/{sku}`. */
export type InventoryLevelView = z.infer<typeof InventoryLevel>;

// ── sync activity: runs, failures, alerts, stats ──────────────────────────────

/** The kinds of orchestrator run. */
export const SyncRunKindParam = z.enum([
  'products',
  'orders.poll',
  'orders.recover',
  'inventory.flush',
  'inventory.reconcile',
]);

/** One orchestrator run. */
export const SyncRun = z.object({
  id: z.string(),
  kind: SyncRunKindParam,
  marketplace: z.optional(z.string()),
  accountId: z.optional(z.string()),
  /**
   * `partial` when some items failed and others were done; `abandoned` when it has been `running`
   * for longer than the API's `runAbandonedAfterMs` (24 h by default: its process most likely died).
   */
  status: z.enum(['running', 'succeeded', 'partial', 'failed', 'abandoned']),
  startedAt: z.iso.datetime(),
  finishedAt: z.optional(z.iso.datetime()),
  /** Items handled without a failure. */
  done: z.number(),
  /** Failures reported. */
  failed: z.number(),
});

/** One failure of a run; `resolvedAt` once a later run succeeded for the same item. */
export const SyncFailureRecordSchema = z.object({
  id: z.string(),
  runId: z.string(),
  kind: SyncRunKindParam,
  marketplace: z.string(),
  accountId: z.string(),
  sku: z.optional(z.string()),
  orderId: z.optional(z.string()),
  /** The step that failed (`validate`, `create`, `stock`, `list`, ...). */
  stage: z.string(),
  reason: z.string(),
  /** True when a later run may succeed without anyone changing anything. */
  retryable: z.boolean(),
  at: z.iso.datetime(),
  resolvedAt: z.optional(z.iso.datetime()),
});

/** `GET /sync/runs`: newest first. */
export const SyncRunPage = z.object({
  items: z.array(SyncRun),
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor: z.optional(z.string()),
});

/** `GET /sync/runs/{id}`: the run with its failures. */
export const SyncRunDetail = z.extend(SyncRun, { failures: z.array(SyncFailureRecordSchema) });

/** `GET /sync/failures`: newest first. */
export const SyncFailurePage = z.object({
  items: z.array(SyncFailureRecordSchema),
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor: z.optional(z.string()),
});

/** Query of `GET /sync/runs`. */
export const SyncRunListQuery = z.object({
  kind: z.optional(SyncRunKindParam),
  marketplace: z.optional(MarketplaceParam),
  accountId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  limit: z.optional(PageSize),
  cursor: z.optional(Cursor),
});

/** Query of `GET /sync/failures`. */
export const SyncFailureListQuery = z.object({
  status: z.optional(z.enum(['open', 'resolved'])),
  marketplace: z.optional(MarketplaceParam),
  accountId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  limit: z.optional(PageSize),
  cursor: z.optional(Cursor),
});

/**
 * Body of `POST /sync/runs`. `orders.poll` polls one account (`marketplace` and `accountId`
 * required); `products` and `inventory.reconcile` cover every account (neither may be given).
 */
export const SyncRunTriggerBody = z.object({
  kind: z.enum(['products', 'orders.poll', 'inventory.reconcile']),
  marketplace: z.optional(MarketplaceParam),
  accountId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});

/** `202` of `POST /sync/runs` and `POST /sync/failures/{id}/retry`: the run, visible in `GET /sync/runs`. */
export const SyncRunAccepted = z.object({ runId: z.string() });

/** Something an operator should look at: a sync failure, or a token that expires or expired. */
export const Alert = z.object({
  id: z.string(),
  kind: z.enum(['sync_failure', 'token_expiring', 'reauthorization_required']),
  severity: z.enum(['warning', 'critical']),
  marketplace: z.string(),
  accountId: z.string(),
  /** The listing concerned, for a listing's `sync_failure`. */
  sku: z.optional(z.string()),
  title: z.string(),
  detail: z.string(),
  openedAt: z.iso.datetime(),
  resolvedAt: z.optional(z.iso.datetime()),
});

/** `GET /alerts`. */
export const AlertList = z.object({ items: z.array(Alert) });

/** Query of `GET /alerts`. Default `open`. */
export const AlertListQuery = z.object({ status: z.optional(z.enum(['open', 'resolved'])) });

/** Query of `GET /stats`: how many days back, today included (1 to 90, default 14). */
export const StatsQuery = z.object({
  days: z.optional(
    z.pipe(
      z.string().check(z.regex(/^[1-9][0-9]?$/, 'must be a whole number from 1 to 90')),
      z.pipe(
        z.transform((text: string) => Number(text)),
        z.number().check(z.maximum(90, 'must be at most 90')),
      ),
    ),
  ),
});

/** `GET /stats`: orders per UTC day and marketplace (by creation time), failures per day, orders today. */
export const Stats = z.object({
  ordersPerDay: z.array(z.object({ day: z.string(), marketplace: z.string(), count: z.number() })),
  failuresPerDay: z.array(z.object({ day: z.string(), count: z.number() })),
  ordersToday: z.number(),
});

/** A run as answered by the API. */
export type SyncRunView = z.infer<typeof SyncRun>;
/** A failure as answered by the API. */
export type SyncFailureView = z.infer<typeof SyncFailureRecordSchema>;
/** An alert as answered by the API. */
export type AlertView = z.infer<typeof Alert>;
// ── writes: accounts authorization, catalog, publish, cancellation (classic zod) ─────────────

/** `POST /accounts/{marketplace}/authorizations`: where to send the seller next. */
export const AuthorizationStarted = zod.object({
  /** The marketplace's authorization page; open it in the seller's browser. */
  authorizationUrl: zod.url(),
  /** The encrypted, single-use state the callback must bring back. */
  state: zod.string(),
  /** After this instant the callback refuses the state. */
  expiresAt: zod.iso.datetime(),
});

/** `GET /accounts/{marketplace}/callback` without `returnTo`: the connected account(s). */
export const AuthorizationConnected = zod.object({
  /** The first (usually the only) account connected. */
  account: Account,
  /** Every account the grant covered (a Shopee main account or a TikTok seller may have several shops). */
  accounts: zod.array(Account),
});

/** One account to publish to. */
export const PublishTarget = zod.object({
  marketplace: MarketplaceParam,
  accountId: zod.string().min(1).max(64),
});

/** Body of `POST /products/{sku}/publish`. */
export const PublishBody = zod.object({
  /** The accounts to list the product on (each needs a client); 1 to 50, each once. */
  targets: zod
    .array(PublishTarget)
    .min(1)
    .max(50)
    .refine(
      (targets) =>
        new Set(targets.map((target) => `${target.marketplace}:${target.accountId}`)).size === targets.length,
      'must name each account once',
    ),
});

/** `POST /products/{sku}/publish`: the outcome on each target account. */
export const PublishResult = zod.object({
  results: zod.array(
    zod.object({
      marketplace: zod.string(),
      accountId: zod.string(),
      /** `published`: the marketplace has the listing; `failed`: see `error`, retry later if `retryable`. */
      status: zod.enum(['published', 'failed']),
      productExternalId: zod.optional(zod.string()),
      /** Why it failed (the sync failure's reason). */
      error: zod.optional(zod.string()),
      /** The step that failed (`validate`, `create`, `update`, `price`, `stock`, ...). */
      stage: zod.optional(zod.string()),
      retryable: zod.optional(zod.boolean()),
    }),
  ),
});

/** Body of `POST /orders/{marketplace}/{accountId}/{externalId}/cancellation`. */
export const CancellationBody = zod.object({
  /** Passed to the marketplace (its reason code or text; see each adapter's `cancelOrder`). */
  reason: zod.optional(zod.string().min(1).max(200)),
});

/** What `POST /accounts/{marketplace}/authorizations` answers. */
export type AuthorizationStartedView = zod.infer<typeof AuthorizationStarted>;
/** What `POST /products/{sku}/publish` answers. */
export type PublishResultView = zod.infer<typeof PublishResult>;
