import type {
  Logger,
  MarketplaceClient,
  MarketplaceId,
  RateLimiter,
  RateLimitRule,
  TokenStore,
  WebhookHandler,
} from '@mlh/core';
import type { ActivityStore, InventorySync, SyncStore } from '@mlh/sync';
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
 * The accounts the API serves: a fixed list, or a function the API calls on each request that
 * needs them (read them from the application's own table of connected sellers).
 */
export type AccountDirectory = readonly AccountRef[] | (() => Promise<readonly AccountRef[]>);

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
}
