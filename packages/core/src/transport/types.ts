import type { MarketplaceId, MlhError } from '../errors';

/** HTTP methods the transport sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query-string value; arrays repeat the key, `undefined` drops it. */
export type QueryValue =
  | string
  | number
  | boolean
  | bigint
  | undefined
  | readonly (string | number | bigint)[];

/** The body of a request, serialized by the transport exactly once. */
export type RequestBody =
  /** `application/json`; serialized with `JSON.stringify` once, those bytes are signed and sent. */
  | { json: unknown }
  /** `application/x-www-form-urlencoded`. */
  | { form: Record<string, string> }
  /** Bytes the caller already serialized, sent as they are (e.g. JSON with big-int ids). */
  | { raw: string | Uint8Array; contentType: string }
  /** `multipart/form-data`; signers skip the body for multipart. */
  | { multipart: FormData };

/** Rate-limit group of a request: reads and writes are limited separately. */
export type RateGroup = 'read' | 'write' | (string & {});

/** One request through the transport. */
export interface TransportRequest {
  method: HttpMethod;
  /** Path below the transport's `baseUrl` (`/items/MLB1`), or an absolute https URL. */
  path: string;
  query?: Record<string, QueryValue> | undefined;
  headers?: Record<string, string> | undefined;
  body?: RequestBody | undefined;
  /**
   * The seller account this call acts for. When set (and `auth` is not false) the transport
   * obtains the account's access token, applies it, and refreshes-and-replays once on an
   * authentication failure. Also the key of per-account rate limiting.
   */
  accountId?: string | undefined;
  /** Set false for calls that must not carry a token (token exchange, public endpoints). */
  auth?: boolean | undefined;
  /**
   * Whether the request is safe to repeat after it may have reached the server (after a 5xx, a
   * timeout or a network error). Default: true for GET and HEAD, false for other methods. Set
   * true on a write the marketplace deduplicates or that sets an absolute value; set false on a
   * GET with effects (a single-use code exchanged through a GET). A rate-limit refusal (429) is
   * retried either way: the marketplace did not process the request.
   */
  idempotent?: boolean | undefined;
  /** Rate-limit group; defaults to `read` for GET/HEAD and `write` otherwise. */
  rateGroup?: RateGroup | undefined;
  /** Overrides the transport's timeout for this call. */
  timeoutMs?: number | undefined;
  /** Overrides the transport's `maxResponseBytes` for this call (e.g. a large report download). */
  maxResponseBytes?: number | undefined;
  signal?: AbortSignal | undefined;
  /** A name for logs and events, e.g. `items.get`. */
  operation?: string | undefined;
  /**
   * How to read the response body: `json` (default) parses it with `parseJsonLossless` (an
   * integer beyond 2^53 arrives as its exact decimal string), `text` leaves it as a string,
   * `bytes` keeps the body as bytes in `bytes` and `data` (files: labels, invoices); its `text` is
   * the body decoded only when it is textual (JSON, text, HTML, XML) or an error, so an error
   * envelope is still mapped.
   */
  responseType?: 'json' | 'text' | 'bytes' | undefined;
}

/** A successful response. */
export interface TransportResponse<T = unknown> {
  status: number;
  headers: Headers;
  /**
   * Parsed JSON, lossless: an integer beyond 2^53 is its exact decimal string (or the text when
   * `responseType: 'text'`); `undefined` for an empty body.
   */
  data: T;
  /** The raw body text as received (`''` for a binary body read with `responseType: 'bytes'`). */
  text: string;
  /** The body as received, only with `responseType: 'bytes'`. */
  bytes?: Uint8Array | undefined;
  requestId: string | undefined;
  /** How many attempts it took (1 when the first succeeded). */
  attempts: number;
}

/**
 * The request as it is about to be sent, handed to the signing hook on **every attempt**, after
 * the body is serialized and the access token is known. The hook may add query parameters and
 * headers; `body` is exactly the bytes that will be sent.
 */
export interface OutgoingRequest {
  method: HttpMethod;
  url: URL;
  headers: Headers;
  /** The serialized body (string for JSON/form/raw text, bytes for raw bytes); undefined for multipart or none. */
  body: string | Uint8Array | undefined;
  /** The content type of the body, e.g. `application/json` or `multipart/form-data`. */
  contentType: string | undefined;
  accountId: string | undefined;
  /** The account's access token when the request is authenticated. */
  accessToken: string | undefined;
  /** 1 for the first attempt. */
  attempt: number;
  /** The transport clock's current time in ms: use it for signature timestamps. */
  now: number;
  operation: string | undefined;
}

/** What a marketplace error looked like, for the adapter's error mapper. */
export interface ErrorContext {
  marketplace: MarketplaceId;
  status: number;
  headers: Headers;
  /** The response body text. */
  text: string;
  /** The body parsed as JSON (losslessly, see `parseJsonLossless`) when it is JSON. */
  json: unknown;
  requestId: string | undefined;
  retryAfterMs: number | undefined;
  operation: string | undefined;
}

/** Obtains access tokens for accounts; in practice a core `TokenManager`. */
export interface AccessTokenProvider {
  /**
   * Returns a valid access token for the account. With `forceRefresh`, refreshes first, unless
   * the current token already differs from `failedToken` (another caller refreshed meanwhile).
   */
  getAccessToken(
    accountId: string,
    options?: { forceRefresh?: boolean; failedToken?: string },
  ): Promise<string>;
}

/** A clock the transport, limiter, breaker and token manager read, injectable in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** How the transport retries. */
export interface RetryOptions {
  /** Total attempts including the first. Default 4. */
  maxAttempts: number;
  /** Base of the exponential backoff (full jitter: a random delay in [0, base × 2^n]). Default 300 ms. */
  baseDelayMs: number;
  /** No delay exceeds this, `Retry-After` included (a longer `Retry-After` fails instead). Default 30 s. */
  maxDelayMs: number;
  /**
   * Retry budget: retries may be at most this fraction of requests over the last minute (plus a
   * small floor), so a failing marketplace does not turn into a retry storm. Default 0.2.
   */
  budgetRatio: number;
  /**
   * Retries always allowed per minute on top of `budgetRatio`, so a quiet client can still retry.
   * Default 10. The budget is kept per account: one failing seller never spends another's retries.
   */
  budgetFloor?: number;
}

/** Token-bucket rate of one group. */
export interface RateLimitRule {
  /** Sustained requests per second. */
  perSecond: number;
  /** Bucket size: how many may go at once after a quiet period. Default = perSecond. */
  burst?: number;
}

/** What the `onRateLimit` callback is told; it returns whether to wait or fail. */
export interface RateLimitInfo {
  marketplace: MarketplaceId;
  accountId: string | undefined;
  group: RateGroup;
  /** Which bucket made the caller wait: the whole app's, or the account's. */
  scope: 'app' | 'account';
  waitMs: number;
  operation: string | undefined;
}

/**
 * Acquires permission to send one request. Implementations may be shared across processes
 * (e.g. `createRedisRateLimiter` of `@mlh/fleet`); `reserve` takes a token (the next one to come
 * when none is left) and resolves with how long the caller must wait before using it (0 = now).
 * An implementation whose backing store is unreachable must throw, never grant: a silent
 * per-process fallback would multiply the budget by the number of processes.
 */
export interface RateLimiter {
  /** Reserves a slot and returns the wait in ms before it may be used (0 = now). */
  reserve(key: string, rule: RateLimitRule, now: number): Promise<number> | number;
}

/** Circuit breaker thresholds, per host. */
export interface CircuitBreakerOptions {
  /** Consecutive failures (5xx, network, timeout) that open the circuit. Default 5. */
  failureThreshold: number;
  /** How long it stays open before one trial request is let through (half-open). Default 30 s. */
  openMs: number;
  /** Successes in half-open that close it again. Default 1. */
  halfOpenSuccesses: number;
}

/** Debug/info/warn/error logging; lines must already be redacted. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options of `createTransport`. Everything but `marketplace`, `baseUrl` and `mapError` has a default. */
export interface TransportOptions {
  marketplace: MarketplaceId;
  /** https base URL; plain http is refused unless the host is a loopback address. */
  baseUrl: string;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /**
   * Largest response body read, in bytes; a larger one fails with `ResponseTooLargeError`
   * (naming the limit and the URL) as soon as its Content-Length or the bytes received pass it,
   * so memory never grows past it. Default 32 MiB (`DEFAULT_MAX_RESPONSE_BYTES`).
   */
  maxResponseBytes?: number;
  retry?: Partial<RetryOptions> | false;
  /** Where access tokens come from (a `TokenManager`). Needed for requests with `accountId`. */
  tokens?: AccessTokenProvider;
  /** How a token is put on a request. Default: `Authorization: Bearer <token>`. */
  applyAccessToken?: (request: OutgoingRequest, token: string) => void;
  /** Signing hook, run on every attempt right before sending (fresh timestamp per attempt). */
  sign?: (request: OutgoingRequest) => void | Promise<void>;
  /**
   * Maps a response to an error, called for **every** response: return an `MlhError` for a
   * failure (including a 200 whose envelope says error), `undefined` for success. For a non-2xx
   * response the transport falls back to the status-based mapping when this returns undefined.
   */
  mapError: (context: ErrorContext) => MlhError | undefined;
  /** Response headers that carry the request id, first found wins. Default `x-request-id`. */
  requestIdHeaders?: readonly string[];
  /**
   * Per-account limits by group, e.g. `{ read: { perSecond: 10 }, write: { perSecond: 5 } }`: one
   * bucket per seller account (shop). Default: none.
   */
  rateLimits?: Partial<Record<RateGroup, RateLimitRule>>;
  /**
   * Per-app limits by group: one bucket shared by every account of the app, on top of the
   * per-account ones; a request waits for a token from both. Default: none.
   */
  appRateLimits?: Partial<Record<RateGroup, RateLimitRule>>;
  /**
   * Names the app in limiter keys, so several apps (or regions) can share one limiter, e.g. a
   * Redis one. Default `default`.
   */
  appId?: string;
  /** Shared limiter; default an in-memory token bucket. */
  rateLimiter?: RateLimiter;
  /** Decides whether to wait for a rate-limit slot or fail with `RateLimitError`. Default: wait. */
  onRateLimit?: (info: RateLimitInfo) => 'wait' | 'fail';
  circuitBreaker?: Partial<CircuitBreakerOptions> | false;
  logger?: Logger;
  /** Headers on every request (e.g. a User-Agent). */
  headers?: Record<string, string>;
  /** Source of the backoff jitter, in [0, 1). Default `Math.random`; tests pass a fixed one. */
  random?: () => number;
}
