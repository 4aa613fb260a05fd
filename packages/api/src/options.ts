import type {
  AccountAuthorizer,
  Logger,
  MarketplaceClient,
  MarketplaceId,
  RateLimiter,
  RateLimitRule,
  StoredTokenSet,
  TokenSet,
  TokenStore,
  WebhookHandler,
} from '@mlh/core';
import type { ActivityStore, InventorySync, OrderSync, ProductSyncOptions, SyncStore } from '@mlh/sync';
import type { EventStreamOptions } from './event-stream';
import type { ApiEventSource } from './events';
import type { IdempotencyStore } from './idempotency';
import type { ApiKeyRecord } from './keys';
import type { ApiSyncOptions } from './routes/activity';

/** A seller account the API serves. */
export interface AccountRef {
  marketplace: MarketplaceId;
  accountId: string;
  /** The application's own name for it (`Loja Centro`), shown in listings. */
  label?: string | undefined;
}

/**
 * A directory of accounts the API can add to: an account connected through
 * `GET /accounts/{marketplace}/callback` is registered in it (`createMemoryAccountRegistry` in one
 * process, `createPostgresAccountRegistry` of `@mlh/api/postgres` shared by several).
 */
export interface AccountRegistry {
  /** Every served account. */
  list(): Promise<readonly AccountRef[]>;
  /** Adds an account, or updates its label when it is there already. */
  register(account: AccountRef): Promise<void>;
}

/**
 * The accounts the API serves: a fixed list, a function the API calls on each request that
 * needs them (read them from the application's own table of connected sellers), or a registry the
 * authorization flow adds connected accounts to.
 */
export type AccountDirectory =
  | readonly AccountRef[]
  | (() => Promise<readonly AccountRef[]>)
  | AccountRegistry;

/** Which browser origins may call the API. */
export interface CorsOptions {
  /** Exact origins (`https://admin.example.com`); `*` is refused. A request from any other origin is answered 403. */
  origins: readonly string[];
  /** Whether browsers may send credentials. Default false. */
  credentials?: boolean | undefined;
  /** How long a browser may cache a preflight answer, in seconds. Default 600. */
  maxAgeSeconds?: number | undefined;
}

/** Per-key rate limiting through core's limiter port. */
export interface ApiRateLimitOptions {
  /** Default: core's in-memory token bucket. Pass `createRedisRateLimiter` of `@mlh/fleet` to share it across processes. */
  limiter?: RateLimiter | undefined;
  /** Default: 10 requests per second per key, bursts of 20. */
  rule?: RateLimitRule | undefined;
}

/** Options of `createApi`. */
export interface ApiOptions {
  /** The sync store the orchestrators write to: catalog, stock, listings, orders. */
  syncStore: SyncStore;
  /** Where the marketplace tokens live; read for token health, written only to disconnect. */
  tokenStore: TokenStore;
  /** The seller accounts the API serves. */
  accounts: AccountDirectory;
  /** The API keys, stored hashed (see `generateApiKey`). A request without one of them is refused. */
  apiKeys: readonly ApiKeyRecord[];
  /**
   * One client per served account (`meli.forAccount(id)`, ...), for the routes that call a
   * marketplace (fulfilment). An account without a client answers those routes 404.
   */
  clients?: readonly MarketplaceClient[] | undefined;
  /**
   * When given, a stock set goes through `inventory.adjust`, which schedules its push to every
   * listing; without it the store is written and the application's own inventory worker pushes it.
   */
  inventory?: InventorySync | undefined;
  /**
   * The application's webhook handler (core `createWebhookHandler`, with its sources and a shared
   * dedupe store such as `eventClaimStore(syncStore)`), served at `POST /webhooks/{marketplace}`
   * without an API key: each marketplace's signature is its authentication.
   */
  webhooks?: Pick<WebhookHandler, 'handle'> | undefined;
  /** Browser origins allowed to call the API. Default: none (server-to-server only). */
  cors?: CorsOptions | undefined;
  /** Per-key rate limit; `false` turns it off (behind a gateway that limits already). */
  rateLimit?: ApiRateLimitOptions | false | undefined;
  /** Largest request body accepted, in bytes. Default 64 KiB. */
  maxBodyBytes?: number | undefined;
  /** Where idempotency keys live. Default: in this process's memory (24 hours). */
  idempotency?: IdempotencyStore | undefined;
  /** Request lines (method, path, status, key id, time): never a header, body or query. Default: none. */
  logger?: Logger | undefined;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: (() => number) | undefined;
  /**
   * The history of sync runs, failures and alerts (the store `recordSyncActivity` writes to). When
   * given, the API serves `/sync/runs`, `/sync/failures`, `/alerts` and `/stats`, and each listing
   * of `/products` carries its `lastError`.
   */
  activity?: ActivityStore | undefined;
  /** The orchestrators `POST /sync/runs` and failure retries start (with `activity`). */
  sync?: ApiSyncOptions | undefined;
  /**
   * How long a run may stay `running` before `/sync/runs` shows it `abandoned` (its process most
   * likely died; nothing is written). Default 24 hours: set it above your longest run.
   */
  runAbandonedAfterMs?: number | undefined;
  /** Connecting sellers through their marketplace's authorization page. Default: not served. */
  authorization?: AuthorizationOptions | undefined;
  /**
   * How `POST /products/{sku}/publish` runs its `ProductSync` over the target accounts' `clients`
   * (`prepare`, `concurrency`, `stockBuffer`, ...). Default: the catalog product as it is.
   */
  productSync?: PublishOptions | undefined;
  /**
   * The application's `OrderSync`: an order cancelled through the API is written back through
   * it (status and stock). Without it the API answers the marketplace's order and the store
   * catches up on the order sync's next poll or webhook.
   */
  orderSync?: Pick<OrderSync, 'syncOrder'> | undefined;
  /**
   * Where `GET /events` reads live events: `syncEventSource(productSync, orderSync, inventory)` for
   * this process's orchestrators, or a bus shared by a fleet (`createRedisEventBus` of
   * `@mlh/fleet`), which then also carries the API's own writes. Default: the API's own writes only.
   */
  events?: ApiEventSource | undefined;
  /** Heartbeat, per-client buffer and reconnect delay of `GET /events`. */
  eventStream?: EventStreamOptions | undefined;
}

/**
 * Connecting seller accounts through the API (`POST /accounts/{marketplace}/authorizations`, then
 * the marketplace's page, then `GET /accounts/{marketplace}/callback`).
 */
export interface AuthorizationOptions {
  /** One per marketplace: `meliAccountAuthorizer(meli)`, `shopeeAccountAuthorizer(shopee)`, `tiktokAccountAuthorizer(tiktok)`. */
  authorizers: readonly AccountAuthorizer[];
  /**
   * The public URL the API is mounted at (`https://shop.example.com/api`): each marketplace sends
   * the seller back to `{callbackBaseUrl}/accounts/{marketplace}/callback`, the URL to register on
   * the marketplace apps.
   */
  callbackBaseUrl: string;
  /**
   * Encrypts the `state` (A256GCM), which carries the PKCE verifier and the expiry, so any process
   * sharing this secret and the sync store can finish an authorization another started. At least
   * 32 characters of a random secret; never sent anywhere.
   */
  stateSecret: string;
  /**
   * Where the callback sends the seller's browser afterwards (the dashboard), with
   * `?connected={marketplace}:{accountId}` (comma-separated when a grant covers several shops) or
   * `?error={code}&marketplace={marketplace}`. Without it the callback answers JSON.
   */
  returnTo?: string | undefined;
  /**
   * Called once per connected account, after its tokens are stored (and, with an
   * {@link AccountRegistry} as `accounts`, after it is registered). Required when `accounts` is
   * not a registry: write the account to the table your `accounts` function reads.
   */
  onConnected?:
    | ((account: AccountRef, tokens: StoredTokenSet | TokenSet) => Promise<void> | void)
    | undefined;
  /** How long a started authorization may wait for its callback. Default 10 minutes. */
  ttlMs?: number | undefined;
}

/** Publishing catalog products through the API (`POST /products/{sku}/publish`). */
export type PublishOptions = Omit<ProductSyncOptions, 'store' | 'clients'>;
