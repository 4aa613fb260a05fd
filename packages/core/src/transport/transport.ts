import { systemClock } from '../clock';
import { createIsolatedEmitter } from '../emitter';
import {
  CircuitOpenError,
  isMlhError,
  type MarketplaceId,
  MlhError,
  NetworkError,
  RateLimitError,
  ResponseTooLargeError,
  TimeoutError,
  ValidationError,
} from '../errors';
import { parseJsonLossless } from '../json';
import { plainConstructor } from '../plain';
import { redact, redactText, redactUrl, silentLogger } from '../redact';
import { backoffDelay, parseRetryAfter } from './backoff';
import { type CallTimer, createCallTimer } from './call-timer';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker';
import type { Transport, TransportEventBase, TransportEvents } from './events';
import { createTokenBucketLimiter } from './rate-limiter';
import { createRetryBudget, type RetryBudget } from './retry-budget';
import { completeError, errorFromStatus } from './status-errors';
import type {
  Clock,
  ErrorContext,
  HttpMethod,
  OutgoingRequest,
  RateLimitInfo,
  RateLimitRule,
  RequestBody,
  RetryOptions,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from './types';
import { parseBaseUrl, resolveRequestUrl } from './url';
import { defaultWire, fetchWire, textOfFile, type Wire, type WireAnswer, type WireRequest } from './wire';

export { type ReadLimitedOptions, readResponseBytes, readResponseText } from './wire';

/** Defaults of {@link RetryOptions}. */
export const defaultRetryOptions: Required<RetryOptions> = {
  maxAttempts: 4,
  baseDelayMs: 300,
  maxDelayMs: 30_000,
  budgetRatio: 0.2,
  budgetFloor: 10,
};

/** Default per-attempt timeout of the transport. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Accounts whose retry budgets are kept at once; the oldest is forgotten beyond. */
const MAX_BUDGETS = 10_000;

/**
 * Default cap on a response body: 32 MiB. Far above any page the marketplaces return (their
 * largest are a few MiB), low enough that a runaway or hostile response cannot exhaust memory.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** One decoder for every response: `decode` without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder();

function checkByteLimit(value: number | undefined, field: string, marketplace: MarketplaceId): void {
  if (value === undefined || (Number.isSafeInteger(value) && value > 0)) return;
  throw new ValidationError(
    'Invalid transport options',
    [{ path: field, message: `must be a positive whole number of bytes, got ${String(value)}` }],
    { marketplace },
  );
}

/** A request body serialized once: what fetch gets and what the signing hook sees. */
export interface SerializedBody {
  /** What is handed to fetch. */
  payload: string | Uint8Array | FormData | undefined;
  /** What the signing hook sees: the same bytes, or undefined for multipart / no body. */
  signed: string | Uint8Array | undefined;
  contentType: string | undefined;
}

/** Serializes a request body exactly once; every attempt sends (and signs) these bytes. */
export function serializeBody(body: RequestBody | undefined, marketplace?: MarketplaceId): SerializedBody {
  if (body === undefined) return { payload: undefined, signed: undefined, contentType: undefined };
  if ('json' in body) {
    let text: string | undefined;
    try {
      text = JSON.stringify(body.json);
    } catch (error) {
      throw new ValidationError(
        'Request body cannot be serialized as JSON',
        [{ path: 'body', message: error instanceof Error ? error.message : String(error) }],
        { marketplace },
      );
    }
    const json = text ?? 'null';
    return { payload: json, signed: json, contentType: 'application/json' };
  }
  if ('form' in body) {
    const form = new URLSearchParams(body.form).toString();
    return { payload: form, signed: form, contentType: 'application/x-www-form-urlencoded' };
  }
  if ('raw' in body) {
    // Caught here, before anything is sent: past this point fetch would report it as a network error.
    if (typeof body.raw !== 'string' && !(body.raw instanceof Uint8Array)) {
      throw new TypeError(`a raw request body must be a string or a Uint8Array, got ${typeof body.raw}`);
    }
    return { payload: body.raw, signed: body.raw, contentType: body.contentType };
  }
  return { payload: body.multipart, signed: undefined, contentType: 'multipart/form-data' };
}

function defaultApplyAccessToken(request: OutgoingRequest, token: string): void {
  request.headers.set('authorization', `Bearer ${token}`);
}

/** A copy of a lower-level error with credentials masked, safe to keep as `cause`. */
function sanitizeCause(error: unknown, depth = 0): Error {
  if (!(error instanceof Error)) return new Error(redactText(String(error)));
  const copy = new Error(redactText(error.message));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
  if (error.cause !== undefined && depth < 2) {
    Object.defineProperty(copy, 'cause', { value: sanitizeCause(error.cause, depth + 1), enumerable: false });
  }
  return copy;
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return redactText(String(error));
  const inner = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return redactText(`${error.message}${inner}`);
}

/** The reason a timed-out attempt's fetch is aborted with: a constant, never thrown to callers. */
const TIMED_OUT = Symbol('attempt timed out');

/**
 * What the attempts of one call share: its timer and the caller's signal. A class, not a literal:
 * it lives as long as its call (see `plainConstructor` in `../plain`).
 */
class CallWire {
  readonly timer: CallTimer;
  /** Stops the attempt in flight with the caller's abort reason; set while one is in flight. */
  onAbort: ((reason: unknown) => void) | undefined = undefined;
  private readonly onUserAbort: (() => void) | undefined;

  constructor(
    clock: Clock,
    readonly timeoutMs: number,
    readonly userSignal: AbortSignal | undefined,
  ) {
    this.timer = createCallTimer(clock, timeoutMs);
    if (userSignal) {
      this.onUserAbort = () => this.onAbort?.(userSignal.reason);
      userSignal.addEventListener('abort', this.onUserAbort, { once: true });
    }
  }

  /** Cancels the timer and forgets the caller's signal. */
  end(): void {
    this.timer.stop();
    if (this.onUserAbort) this.userSignal?.removeEventListener('abort', this.onUserAbort);
  }
}

/** The request an attempt hands to the signing hook and the wire, as a plain object (see `plainConstructor`). */
const OutgoingRecord = /* @__PURE__ */ plainConstructor(function (
  this: OutgoingRequest,
  method: OutgoingRequest['method'],
  url: URL,
  headers: Headers,
  body: OutgoingRequest['body'],
  contentType: string | undefined,
  accountId: string | undefined,
  accessToken: string | undefined,
  attempt: number,
  now: number,
  operation: string | undefined,
) {
  this.method = method;
  this.url = url;
  this.headers = headers;
  this.body = body;
  this.contentType = contentType;
  this.accountId = accountId;
  this.accessToken = accessToken;
  this.attempt = attempt;
  this.now = now;
  this.operation = operation;
});

/** What the wire reads of an attempt, named field by field, as a plain object (see `plainConstructor`). */
const WireRequestRecord = /* @__PURE__ */ plainConstructor(function (
  this: WireRequest,
  method: string,
  url: URL,
  headers: Headers,
  body: WireRequest['body'],
  onCancel: WireRequest['onCancel'],
  limitBytes: number,
  what: string,
  marketplace: WireRequest['marketplace'],
  repeatable: boolean,
) {
  this.method = method;
  this.url = url;
  this.headers = headers;
  this.body = body;
  this.onCancel = onCancel;
  this.limitBytes = limitBytes;
  this.what = what;
  this.marketplace = marketplace;
  this.repeatable = repeatable;
});

/** True for an authentication failure that only a new authorization by the seller can fix. */
function reauthorizationRequired(error: MlhError): boolean {
  return (error as { reauthorizationRequired?: unknown }).reauthorizationRequired === true;
}

type AttemptOutcome<T> =
  | { ok: true; response: TransportResponse<T> }
  | { ok: false; error: MlhError; token: string | undefined };

/**
 * Creates the HTTP transport every adapter uses: one per marketplace (and region), shared by
 * all accounts. Each call is scoped by `accountId`; the transport never holds a token itself.
 *
 * Retry rule (who is repeated after a failure):
 * - GET and HEAD, and requests marked `idempotent: true`: retried on 5xx, 408, network errors,
 *   timeouts and 429, with exponential backoff and full jitter, honouring `Retry-After`.
 * - Any other write: retried **only** on a rate-limit refusal (429, or an adapter's rate-limit
 *   code), because the marketplace refused it without processing it. After a 5xx, a timeout or
 *   a network error its outcome is unknown, so it is never repeated.
 * - A request marked `idempotent: false` is treated as a write even when it is a GET.
 * - An authentication failure on an authenticated call refreshes the token once and replays the
 *   request once, whatever the method: the marketplace did not process it. Not when the error says
 *   the seller must authorize again (`reauthorizationRequired`, e.g. a shop unlinked from the app):
 *   no refresh can help, and it would spend a single-use refresh token for nothing.
 * - A `Retry-After` beyond `maxDelayMs`, a spent retry budget or the last attempt: the error is thrown.
 *
 * @example
 * const transport = createTransport({
 *   marketplace: 'meli',
 *   baseUrl: 'https://api.mercadolibre.com',
 *   tokens: tokenManager,
 *   mapError: (context) => undefined, // fall back to the status mapping
 *   rateLimits: { read: { perSecond: 10 }, write: { perSecond: 5 } },
 * });
 * const { data } = await transport.request({ method: 'GET', path: '/items/MLB1', accountId: '123' });
 */
export function createTransport(options: TransportOptions): Transport {
  const { marketplace } = options;
  const base = parseBaseUrl(options.baseUrl, marketplace);
  const baseUrl = base.toString().replace(/\/$/, '');
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const debugging = logger !== silentLogger;
  const random = options.random ?? Math.random;
  const retry: Required<RetryOptions> =
    options.retry === false
      ? { ...defaultRetryOptions, maxAttempts: 1 }
      : { ...defaultRetryOptions, ...options.retry };
  const requestIdHeaders = options.requestIdHeaders ?? ['x-request-id'];
  const limiter = options.rateLimiter ?? createTokenBucketLimiter();
  const applyAccessToken = options.applyAccessToken ?? defaultApplyAccessToken;
  // Without a `fetch` option, the entry's default wire (see `installDefaultWire`), looked up per call.
  const ownWire: Wire | undefined = options.fetch ? fetchWire(options.fetch) : undefined;
  const appId = options.appId ?? 'default';
  // One budget per account: a seller whose calls all fail must not stop the others' retries.
  const budgets = new Map<string, RetryBudget>();
  const budgetOf = (accountId: string | undefined): RetryBudget => {
    const key = accountId ?? '*';
    let budget = budgets.get(key);
    if (!budget) {
      if (budgets.size >= MAX_BUDGETS) budgets.delete(budgets.keys().next().value as string);
      budget = createRetryBudget({ ratio: retry.budgetRatio, floor: retry.budgetFloor, clock });
      budgets.set(key, budget);
    }
    return budget;
  };
  checkByteLimit(options.maxResponseBytes, 'maxResponseBytes', marketplace);

  const events = createIsolatedEmitter<TransportEvents>((error, event) => {
    logger.error('transport event listener failed', {
      marketplace,
      event: String(event),
      error: describeCause(error),
    });
  });

  const breaker: CircuitBreaker | undefined =
    options.circuitBreaker === false
      ? undefined
      : createCircuitBreaker(options.circuitBreaker ?? {}, {
          clock,
          onStateChange: (change) => {
            const log = change.to === 'open' ? logger.warn : logger.info;
            log(`circuit ${change.to} for ${change.key}`, { marketplace, from: change.from });
            events.emit('circuitStateChange', {
              marketplace,
              host: change.key,
              from: change.from,
              to: change.to,
              failures: change.failures,
              at: change.at,
            });
          },
        });

  /** Takes a token from the app's bucket and the account's bucket of the group; waits for the later. */
  async function waitForRateLimit(request: TransportRequest, what: string, group: string): Promise<void> {
    const appRule = options.appRateLimits?.[group];
    const rule = options.rateLimits?.[group];
    const reservations: { scope: 'app' | 'account'; key: string; rule: RateLimitRule }[] = [];
    if (appRule)
      reservations.push({ scope: 'app', key: `${marketplace}:${appId}:app:${group}`, rule: appRule });
    // Calls made for no account (token exchange, public data) share the `*` bucket.
    if (rule) {
      reservations.push({
        scope: 'account',
        key: `${marketplace}:${appId}:account:${request.accountId ?? '*'}:${group}`,
        rule,
      });
    }
    let waitMs = 0;
    let scope: 'app' | 'account' = 'account';
    for (const reservation of reservations) {
      let wait: number;
      try {
        wait = await limiter.reserve(reservation.key, reservation.rule, clock.now());
      } catch (error) {
        // No silent fallback: a limiter that cannot answer stops the request.
        throw isMlhError(error)
          ? error
          : new MlhError(`${what} not sent: the rate limiter failed: ${describeCause(error)}`, {
              marketplace,
              code: 'rate_limiter_unavailable',
              retryable: true,
              cause: sanitizeCause(error),
            });
      }
      if (wait > waitMs) {
        waitMs = wait;
        scope = reservation.scope;
      }
    }
    if (waitMs <= 0) return;
    const info: RateLimitInfo = {
      marketplace,
      accountId: request.accountId,
      group,
      scope,
      waitMs,
      operation: request.operation,
    };
    if ((options.onRateLimit?.(info) ?? 'wait') === 'fail') {
      throw new RateLimitError(
        `${what}: local ${scope} ${group} rate limit reached, next slot in ${waitMs} ms`,
        {
          marketplace,
          code: 'local_rate_limit',
          retryAfterMs: waitMs,
        },
      );
    }
    logger.debug('waiting for rate limit', { ...info });
    events.emit('rateLimitWait', info);
    await clock.sleep(waitMs, request.signal);
  }

  /**
   * Sends one attempt on the wire and reads its body under the size limit. The attempt ends at
   * the first of: the body read, the call timer's expiry (timeout: the request is aborted), the
   * caller's abort. Only a failure of the wire itself is the network's; anything else thrown on
   * the way (a bug in the SDK or a hook) is not retried.
   */
  function send(
    outgoing: OutgoingRequest,
    payload: SerializedBody['payload'],
    maxResponseBytes: number,
    what: string,
    call: CallWire,
    repeatable: boolean,
  ): Promise<WireAnswer> {
    return new Promise<WireAnswer>((resolve, reject) => {
      // The wire's way to tear its exchange down, and the reason once the attempt was stopped.
      let cancelExchange: ((reason: unknown) => void) | undefined;
      let stoppedWith: { reason: unknown } | undefined;
      const stop = (reason: unknown) => {
        stoppedWith = { reason };
        cancelExchange?.(reason);
      };
      call.onAbort = (reason) => {
        reject(reason);
        stop(reason);
      };
      call.timer.start(() => {
        reject(new TimeoutError(`${what} timed out after ${call.timeoutMs} ms`, { marketplace }));
        stop(TIMED_OUT);
      });
      const onWireError = (error: unknown) => {
        if (error === TIMED_OUT) return; // the timer already rejected
        if (call.userSignal?.aborted) reject(call.userSignal.reason);
        else if (error instanceof ResponseTooLargeError) reject(error);
        else {
          reject(
            new NetworkError(`${what} failed before a response arrived: ${describeCause(error)}`, {
              marketplace,
              cause: sanitizeCause(error),
            }),
          );
        }
      };
      let started: Promise<WireAnswer>;
      try {
        // The fields the wire reads, named: on Node 20 a spread of the request followed by more
        // properties takes V8's slow path, which cost more (about 5 µs) than the rest of the
        // call's bookkeeping.
        const onCancel = (cancel: (reason: unknown) => void) => {
          if (stoppedWith) cancel(stoppedWith.reason);
          else cancelExchange = cancel;
        };
        started = (ownWire ?? defaultWire)(
          new WireRequestRecord(
            outgoing.method,
            outgoing.url,
            outgoing.headers,
            payload,
            onCancel,
            maxResponseBytes,
            what,
            marketplace,
            repeatable,
          ),
        );
      } catch (error) {
        onWireError(error);
        return;
      }
      // Once the exchange has settled it needs no cancelling: its canceller is dropped, since it
      // holds the exchange (on Node the `ClientRequest`, and through its listeners the rest of
      // the call). Kept until the call's objects died, it let V8 move each call's whole graph to
      // the old generation (young collections 28 ms per 1,000 calls instead of 3, a third more
      // CPU per call).
      started.then(
        (answer) => {
          cancelExchange = undefined;
          resolve(answer);
        },
        (error: unknown) => {
          cancelExchange = undefined;
          onWireError(error);
        },
      );
    }).finally(() => {
      call.timer.clear();
      call.onAbort = undefined;
    });
  }

  function interpret<T>(
    request: TransportRequest,
    what: string,
    response: WireAnswer,
    attempt: number,
  ): { ok: true; response: TransportResponse<T> } | { ok: false; error: MlhError } {
    const ok = response.status > 199 && response.status < 300;
    // A file's bytes are its answer; an error envelope sent in their place is read as text.
    const bytes = request.responseType === 'bytes' ? response.bytes : undefined;
    const text = bytes ? textOfFile(response.headers, ok, bytes) : UTF8.decode(response.bytes);
    let requestId: string | undefined;
    for (const name of requestIdHeaders) requestId ??= response.headers.get(name) ?? undefined;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
    let json: unknown;
    let parsed = true;
    if (text.trim() !== '') {
      try {
        json = parseJsonLossless(text);
      } catch {
        parsed = false;
      }
    }
    const context: ErrorContext = {
      marketplace,
      status: response.status,
      headers: response.headers,
      text,
      json,
      requestId,
      retryAfterMs,
      operation: request.operation,
    };
    let error: MlhError | undefined;
    try {
      error = options.mapError(context);
    } catch (mapperError) {
      error = isMlhError(mapperError)
        ? mapperError
        : new MlhError(`${what}: the error mapper failed: ${describeCause(mapperError)}`, {
            marketplace,
            cause: sanitizeCause(mapperError),
          });
    }
    if (!error && !ok) error = errorFromStatus(context, what);
    if (error) return { ok: false, error: completeError(error, context) };

    let data: unknown;
    if (bytes) data = bytes;
    else if (request.responseType === 'text') data = text;
    // A blank body was not parsed: its data is undefined.
    else if (!parsed) {
      return {
        ok: false,
        error: new MlhError(`${what}: malformed response, HTTP ${response.status} body is not JSON`, {
          marketplace,
          status: response.status,
          requestId,
          code: 'malformed_response',
        }),
      };
    } else data = json;
    return {
      ok: true,
      response: {
        status: response.status,
        headers: response.headers,
        data: data as T,
        text,
        ...(bytes ? { bytes } : {}),
        requestId,
        attempts: attempt,
      },
    };
  }

  async function request<T>(request: TransportRequest): Promise<TransportResponse<T>> {
    const method = request.method.toUpperCase() as HttpMethod;
    const url = resolveRequestUrl(base, request.path, request.query, marketplace);
    const what = `${marketplace} ${request.operation ?? `${method} ${url.pathname}`}`;
    const readOnly = method === 'GET' || method === 'HEAD';
    if (readOnly && request.body !== undefined) {
      throw new ValidationError(
        `Invalid request ${what}`,
        [{ path: 'body', message: `${method} cannot have a body` }],
        {
          marketplace,
        },
      );
    }
    const body = serializeBody(request.body, marketplace);
    const authenticated = request.accountId !== undefined && request.auth !== false;
    const tokens = options.tokens;
    if (authenticated && !tokens) {
      throw new MlhError(
        `${what}: the request is for account ${request.accountId} but the transport has no token provider (options.tokens)`,
        { marketplace, code: 'no_token_provider' },
      );
    }
    // A GET may have effects too (TikTok's code exchange spends a single-use code): `idempotent: false` says so.
    const safeToRepeat = request.idempotent ?? readOnly;
    const group = request.rateGroup ?? (readOnly ? 'read' : 'write');
    const limited = options.appRateLimits?.[group] !== undefined || options.rateLimits?.[group] !== undefined;
    const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxResponseBytes =
      request.maxResponseBytes ?? options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    checkByteLimit(request.maxResponseBytes, 'maxResponseBytes', marketplace);
    const host = url.host;
    // Hooks sign the URL in place: the first attempt takes the one just resolved, and any later
    // attempt (or a retry event) a fresh copy of it as it was before signing.
    const href = url.href;
    let unsignedUrl: URL | undefined = url;
    const budget = budgetOf(request.accountId);
    budget.recordRequest();

    let retries = 0;
    let failedToken: string | undefined;
    let authReplayed = false;
    const call = new CallWire(clock, timeoutMs, request.signal);
    try {
      return await attempts();
    } finally {
      call.end();
    }

    async function attempts(): Promise<TransportResponse<T>> {
      for (let attempt = 1; ; attempt++) {
        request.signal?.throwIfAborted();
        const outcome = await attemptOnce<T>(attempt);
        if (outcome.ok) return outcome.response;
        const { error } = outcome;

        if (
          error.kind === 'authentication' &&
          outcome.token !== undefined &&
          !authReplayed &&
          !reauthorizationRequired(error)
        ) {
          authReplayed = true;
          failedToken = outcome.token;
          logger.info('authentication failed, refreshing the token and replaying once', {
            marketplace,
            operation: request.operation,
            accountId: request.accountId,
            token: redact(outcome.token),
          });
          events.emit('tokenRefresh', {
            marketplace,
            accountId: request.accountId as string,
            operation: request.operation,
            reason: 'authentication_failed',
          });
          continue;
        }
        failedToken = undefined;

        const repeatable = error.retryable && (error.kind === 'rate_limit' || safeToRepeat);
        if (!repeatable || retries + 1 >= retry.maxAttempts) throw error;
        if (error.retryAfterMs !== undefined && error.retryAfterMs > retry.maxDelayMs) throw error;
        if (!budget.tryRetry()) {
          logger.warn('retry budget spent, not retrying', { marketplace, operation: request.operation });
          throw error;
        }
        retries += 1;
        const delayMs = error.retryAfterMs ?? backoffDelay(retries, retry, random);
        const eventBase = baseEvent(attempt, new URL(href));
        logger.warn(`retrying ${what} in ${delayMs} ms`, {
          ...eventBase,
          error: error.message,
          status: error.status,
        });
        events.emit('retry', { ...eventBase, delayMs, error });
        await clock.sleep(delayMs, request.signal);
      }
    }

    function baseEvent(attempt: number, eventUrl: URL): TransportEventBase {
      return {
        marketplace,
        operation: request.operation,
        method,
        url: redactUrl(eventUrl),
        accountId: request.accountId,
        attempt,
      };
    }

    async function attemptOnce<R>(attempt: number): Promise<AttemptOutcome<R>> {
      if (breaker?.state(host) === 'open') {
        const permission = breaker.acquire(host);
        if (!permission.allowed) throw circuitOpen(permission.retryAfterMs);
        breaker.release(host);
      }
      if (limited) await waitForRateLimit(request, what, group);
      const permission = breaker?.acquire(host) ?? { allowed: true };
      if (!permission.allowed) throw circuitOpen(permission.retryAfterMs);

      let settled = false;
      const settle = (verdict: 'success' | 'failure' | 'release') => {
        if (settled || !breaker) return;
        settled = true;
        breaker[verdict](host);
      };
      try {
        const token =
          authenticated && tokens
            ? await tokens.getAccessToken(
                request.accountId as string,
                failedToken === undefined ? undefined : { forceRefresh: true, failedToken },
              )
            : undefined;
        const headers = new Headers(options.headers);
        for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
        if (body.contentType && body.signed !== undefined && !headers.has('content-type')) {
          headers.set('content-type', body.contentType);
        }
        if (!headers.has('accept'))
          headers.set('accept', request.responseType === 'bytes' ? '*/*' : 'application/json');
        const outgoing = new OutgoingRecord(
          method,
          unsignedUrl ?? new URL(href),
          headers,
          body.signed,
          body.contentType,
          request.accountId,
          token,
          attempt,
          clock.now(),
          request.operation,
        );
        unsignedUrl = undefined;
        if (token !== undefined) applyAccessToken(outgoing, token);
        const signing = options.sign?.(outgoing);
        if (signing) await signing;

        // Events and debug lines are built only when someone listens: a redacted URL per
        // attempt is measurable on a fast local call.
        const observed = debugging || events.listenerCount('request') > 0;
        let eventBase: TransportEventBase | undefined;
        const eventBaseOf = () => {
          eventBase ??= baseEvent(attempt, outgoing.url);
          return eventBase;
        };
        const startedAt = clock.now();
        if (observed) {
          logger.debug(`${method} ${eventBaseOf().url}`, {
            marketplace,
            operation: request.operation,
            attempt,
          });
          events.emit('request', { ...eventBaseOf(), startedAt });
        }

        let sent: WireAnswer;
        try {
          const payload = body.signed === undefined ? body.payload : outgoing.body;
          sent = await send(outgoing, payload, maxResponseBytes, what, call, safeToRepeat);
        } catch (error) {
          if (!isMlhError(error)) throw error;
          // The host answered; an oversized body says nothing about its health.
          settle(error instanceof ResponseTooLargeError ? 'success' : 'failure');
          logger.debug(`${what} got no response`, { ...eventBaseOf(), error: error.message });
          events.emit('requestFailed', { ...eventBaseOf(), durationMs: clock.now() - startedAt, error });
          return { ok: false, error, token };
        }

        const result = interpret<R>(request, what, sent, attempt);
        const error = result.ok ? undefined : result.error;
        const hostFailed = error !== undefined && error.kind === 'server';
        settle(hostFailed ? 'failure' : 'success');
        if (debugging || error !== undefined || events.listenerCount('response') > 0) {
          const durationMs = clock.now() - startedAt;
          const requestId = result.ok ? result.response.requestId : result.error.requestId;
          logger.debug(`${what} → ${sent.status} in ${durationMs} ms`, {
            marketplace,
            attempt,
            requestId,
          });
          events.emit('response', {
            ...eventBaseOf(),
            status: sent.status,
            durationMs,
            requestId,
            error,
          });
        }
        return result.ok ? result : { ok: false, error: result.error, token };
      } finally {
        settle('release');
      }
    }

    function circuitOpen(retryAfterMs: number): CircuitOpenError {
      return new CircuitOpenError(
        `${what} not sent: the circuit for ${host} is open after repeated failures` +
          (retryAfterMs > 0
            ? `; next trial in ${Math.ceil(retryAfterMs / 1000)} s`
            : '; a trial request is in flight'),
        { marketplace, retryAfterMs },
      );
    }
  }

  return {
    marketplace,
    baseUrl,
    request,
    events,
  };
}
