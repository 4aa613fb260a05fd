import type { EventEmitter } from 'eventemitter3';
import type { MarketplaceId, MlhError } from '../errors';
import type { CircuitState } from './circuit-breaker';
import type { HttpMethod, RateGroup, TransportRequest, TransportResponse } from './types';

/** What every transport event says about the request it belongs to. */
export interface TransportEventBase {
  marketplace: MarketplaceId;
  operation: string | undefined;
  method: HttpMethod;
  /** The URL with credentials masked (see `redactUrl`). */
  url: string;
  accountId: string | undefined;
  /** 1 for the first attempt. */
  attempt: number;
}

/** An attempt is about to be sent (after signing). */
export interface TransportRequestEvent extends TransportEventBase {
  /** Clock time the attempt started. */
  startedAt: number;
}

/** An attempt got a response, successful or not. */
export interface TransportResponseEvent extends TransportEventBase {
  status: number;
  durationMs: number;
  requestId: string | undefined;
  /** The error the response maps to; undefined on success. */
  error: MlhError | undefined;
}

/** An attempt got no response: network failure or timeout. */
export interface TransportRequestFailedEvent extends TransportEventBase {
  durationMs: number;
  error: MlhError;
}

/** The transport will send the request again after `delayMs`. */
export interface TransportRetryEvent extends TransportEventBase {
  delayMs: number;
  /** Why: the error of the attempt that failed. */
  error: MlhError;
}

/** The request waits for a rate-limit slot. */
export interface TransportRateLimitWaitEvent {
  marketplace: MarketplaceId;
  accountId: string | undefined;
  group: RateGroup;
  /** Which bucket made the request wait: the whole app's, or the account's. */
  scope: 'app' | 'account';
  waitMs: number;
  operation: string | undefined;
}

/** A host's circuit changed state. */
export interface TransportCircuitStateChangeEvent {
  marketplace: MarketplaceId;
  host: string;
  from: CircuitState;
  to: CircuitState;
  failures: number;
  at: number;
}

/** An authentication failure made the transport ask for a fresh token, to replay the request once. */
export interface TransportTokenRefreshEvent {
  marketplace: MarketplaceId;
  accountId: string;
  operation: string | undefined;
  reason: 'authentication_failed';
}

/** The typed event map of `transport.events` (eventemitter3). Listener errors never break a request. */
export interface TransportEvents {
  request: [TransportRequestEvent];
  response: [TransportResponseEvent];
  requestFailed: [TransportRequestFailedEvent];
  retry: [TransportRetryEvent];
  rateLimitWait: [TransportRateLimitWaitEvent];
  circuitStateChange: [TransportCircuitStateChangeEvent];
  tokenRefresh: [TransportTokenRefreshEvent];
}

/** What `createTransport` returns: one marketplace's HTTP client with all the resilience built in. */
export interface Transport {
  readonly marketplace: MarketplaceId;
  /** The normalized base URL (no trailing slash). */
  readonly baseUrl: string;
  /** Sends a request through limits, circuit, auth, signing, timeout, retries and error mapping. */
  request<T = unknown>(request: TransportRequest): Promise<TransportResponse<T>>;
  /** Observability: request, response, retry, rate-limit waits, circuit changes, token refreshes. */
  readonly events: EventEmitter<TransportEvents>;
}
