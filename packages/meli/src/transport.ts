import {
  AuthenticationError,
  ConflictError,
  createTransport,
  type ErrorContext,
  type FieldIssue,
  MlhError,
  type MlhErrorOptions,
  NotFoundError,
  type OutgoingRequest,
  PermissionError,
  parseOrThrow,
  RateLimitError,
  redactText,
  ServerError,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  ValidationError,
} from '@mlh/core';
import type * as z from 'zod/mini';
import type { MeliPartialContent } from './mappers';
import { MeliErrorBody, MeliErrorCause } from './schemas';

/** The API host of every Mercado Livre site. There is no sandbox host: use test users (or `@mlh/testing`). */
export const MELI_API_BASE_URL = 'https://api.mercadolibre.com';

/**
 * Options of {@link createMeliTransport}: every core transport option passes through (fetch,
 * clock, retry, rate limits, limiter, circuit breaker, logger, timeout, tokens, ...), and
 * `baseUrl` defaults to {@link MELI_API_BASE_URL}.
 */
export interface MeliTransportOptions extends Partial<Omit<TransportOptions, 'marketplace' | 'mapError'>> {}

/**
 * Rate limits to configure from what is known of Mercado Livre's, for `appRateLimits` and
 * `rateLimits` (not applied unless passed). None is published [U]: writes are reported throttled
 * at about 5–7 per second per app, and `max_requests_per_hour` (18000 in the docs' example) is
 * 5 per second; about 1500 per minute per seller is assumed by integrators. Lower them if 429s come.
 *
 * @example
 * createMeliTransport({ tokens, appRateLimits: MELI_RATE_LIMITS.app, rateLimits: MELI_RATE_LIMITS.account });
 */
export const MELI_RATE_LIMITS = Object.freeze({
  app: Object.freeze({ read: { perSecond: 5, burst: 10 }, write: { perSecond: 5, burst: 5 } }),
  account: Object.freeze({ read: { perSecond: 25, burst: 25 }, write: { perSecond: 25, burst: 25 } }),
} satisfies Record<'app' | 'account', TransportOptions['rateLimits']>);

const SHIPMENT_PATH = /(^|\/)shipments(\/|$)/;
const NEW_DOMAIN_PATH = /\/orders\/[^/]+\/shipments\/?$|\/shipments\/[^/]+\/orders\/?$/;

/**
 * Adds the headers Mercado Livre requires on some paths, on every attempt, so the escape hatch
 * gets them too: `x-format-new: true` on `/shipments…` (mandatory since 12/10/2025) and
 * `X-New-Domain: true` on `/orders/{id}/shipments` and `/shipments/{id}/orders`.
 */
export function applyMeliHeaders(request: OutgoingRequest): void {
  const path = request.url.pathname;
  if (SHIPMENT_PATH.test(path) && !request.headers.has('x-format-new')) {
    request.headers.set('x-format-new', 'true');
  }
  if (NEW_DOMAIN_PATH.test(path) && !request.headers.has('x-new-domain')) {
    request.headers.set('x-new-domain', 'true');
  }
}

const RATE_LIMIT_CODES = new Set(['too_many_requests', 'local_rate_limited', 'rate_limited']);
const PERMISSION_CODES = new Set([
  'forbidden',
  'unauthorized_client',
  'unauthorized_application',
  'access_denied',
]);
const AUTHENTICATION_CODES = new Set([
  'invalid_token',
  'unauthorized',
  'unauthorized_request_error',
  'invalid_client',
]);
const REQUEST_CODES = new Set(['invalid_request', 'invalid_scope', 'unsupported_grant_type']);

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * Every cause of an error body as a field issue: errors first, then warnings (their message
 * starts with `warning:`), so nothing Mercado Livre said is dropped. Plain-string causes are kept
 * as they are.
 */
export function meliCauseIssues(causes: readonly unknown[]): FieldIssue[] {
  const errors: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  for (const cause of causes) {
    if (typeof cause === 'string') {
      errors.push({ path: '', message: redactText(cause) });
      continue;
    }
    const parsed = MeliErrorCause.safeParse(cause);
    if (!parsed.success) {
      errors.push({ path: '', message: redactText(JSON.stringify(cause) ?? String(cause)) });
      continue;
    }
    const { code, references, message, type, cause_id: causeId } = parsed.data;
    const issueCode = code ?? (causeId == null ? undefined : String(causeId));
    const warning = type === 'warning';
    const text = redactText(message ?? code ?? (warning ? 'warning' : 'invalid'));
    const issue = {
      path: references[0] ?? '',
      message: warning ? `warning: ${text}` : text,
      ...(issueCode ? { code: issueCode } : {}),
    };
    (warning ? warnings : errors).push(issue);
  }
  return [...errors, ...warnings];
}

/** A human sentence for the body: the first field that reads like prose, else the first code. */
function describe(body: MeliErrorBody): string | undefined {
  const candidates = [body.message, body.error_description, body.error].filter(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  return candidates.find((value) => /\s/.test(value.trim())) ?? candidates[0];
}

/**
 * Maps a Mercado Livre response to a core error (the transport's `mapError`). Every status below
 * 400 is a success, including **206 Partial Content**. Error bodies are read leniently: the
 * standard `{message, error, status, cause[]}`, OAuth's `error_description`, the 403 `code` shape
 * and ME1's `{status_code, error_code}`. `cause[]` entries become the `FieldIssue`s of a
 * `ValidationError`; `invalid_grant` is an `AuthenticationError` that requires the
 * seller to authorize again.
 */
export function mapMeliError(context: ErrorContext): MlhError | undefined {
  const { status } = context;
  if (status < 400) return undefined;
  const parsed = MeliErrorBody.safeParse(context.json ?? {});
  const body: MeliErrorBody = parsed.success ? parsed.data : { cause: [] };
  // A machine code is a word (`invalid_grant`, `body.invalid_fields`); prose goes in the message.
  const errorCode = [body.error, body.message, body.error_code, body.code]
    .map(stringOf)
    .find((value) => value !== undefined && !/\s/.test(value) && !value.startsWith('['));
  // Error bodies can quote the buyer's CPF/CNPJ (`wrong_receiver_cpf`): never carried into messages.
  const message = redactText(describe(body) ?? `HTTP ${status}`);
  const operation = context.operation ? ` ${context.operation}` : '';
  const issues = meliCauseIssues(body.cause);
  const causeText = issues.length > 0 ? ` (${issues.map((issue) => issue.message).join('; ')})` : '';
  const text = `Mercado Livre${operation} failed (HTTP ${status}${errorCode ? `, ${errorCode}` : ''}): ${message}${causeText}`;
  const options: MlhErrorOptions = {
    marketplace: 'meli',
    status,
    code: errorCode,
    requestId: context.requestId ?? stringOf(body.request_id),
    retryAfterMs: context.retryAfterMs,
    body: context.json ?? (context.text === '' ? undefined : context.text),
  };
  const normalizedCode = errorCode?.toLowerCase();

  if (normalizedCode === 'invalid_grant') {
    return new AuthenticationError(text, { ...options, reauthorizationRequired: true });
  }
  if (status === 429 || (normalizedCode && RATE_LIMIT_CODES.has(normalizedCode))) {
    return new RateLimitError(text, options);
  }
  if (status === 401 || (normalizedCode && AUTHENTICATION_CODES.has(normalizedCode))) {
    return new AuthenticationError(text, options);
  }
  if (status === 403 || (normalizedCode && PERMISSION_CODES.has(normalizedCode))) {
    return new PermissionError(text, options);
  }
  if (status === 404) return new NotFoundError(text, options);
  if (status === 409) {
    // "item optimistic locking error: conflict": re-read and try again after a delay.
    return new ConflictError(text, { ...options, retryable: /optimistic/i.test(message) });
  }
  if (status >= 500) return new ServerError(text, options);
  if (status === 400 || status === 422 || (normalizedCode && REQUEST_CODES.has(normalizedCode))) {
    const fallback: FieldIssue[] = [{ path: '', message, ...(errorCode ? { code: errorCode } : {}) }];
    // The top-level message ("Validation error", "body.invalid_fields") heads the causes.
    return new ValidationError(
      `Mercado Livre${operation} refused the request (${message})`,
      issues.length > 0 ? issues : fallback,
      options,
    );
  }
  return new MlhError(text, options);
}

/**
 * Creates the Mercado Livre transport: the core transport with Mercado Livre's base URL, error
 * mapping and required headers. One per application, shared by every seller account.
 *
 * @example
 * const transport = createMeliTransport({ tokens, rateLimits: { write: { perSecond: 5 } } });
 */
export function createMeliTransport(options: MeliTransportOptions = {}): Transport {
  const userSign = options.sign;
  return createTransport({
    ...options,
    marketplace: 'meli',
    baseUrl: options.baseUrl ?? MELI_API_BASE_URL,
    mapError: mapMeliError,
    // Without a user hook the headers are set synchronously: no promise to await per attempt.
    sign: userSign
      ? async (request) => {
          applyMeliHeaders(request);
          await userSign(request);
        }
      : applyMeliHeaders,
  });
}

// ---------------------------------------------------------------------------------------------
// Typed calls (used by api/*.ts)

/** The transport and the seller account a typed call acts for. */
export interface MeliContext {
  transport: Transport;
  /** The seller's Mercado Livre user id. */
  accountId: string;
}

/** A typed response: the parsed body, plus what a 206 left out. */
export interface MeliResponse<T> {
  data: T;
  status: number;
  requestId: string | undefined;
  /** Set on HTTP 206: the parts named by `X-Content-Missing` are absent from `data`. */
  partial: MeliPartialContent | undefined;
}

/** The gap of a 206 response, read from `X-Content-Missing` (e.g. `geolocation, seller_address`). */
export function partialContentOf(status: number, headers: Headers): MeliPartialContent | undefined {
  if (status !== 206) return undefined;
  const header = headers.get('x-content-missing') ?? '';
  return {
    missing: header
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  };
}

/**
 * Sends one request for the context's account and parses the body with `schema` (a
 * `ValidationError` names each field that does not match).
 */
export async function callMeli<S extends z.core.$ZodType>(
  context: MeliContext,
  request: Omit<TransportRequest, 'accountId'>,
  schema: S,
): Promise<MeliResponse<z.infer<S>>> {
  // `Object.assign`, not `{ ...request, accountId }`: on Node 20 a spread followed by another
  // property takes V8's slow path (about half a microsecond), on every call.
  const response = await context.transport.request<unknown>(
    Object.assign({}, request, { accountId: context.accountId }),
  );
  const what = `${request.operation ?? `${request.method} ${request.path}`} response`;
  return {
    // The transport's freshly parsed JSON: the parse may keep its objects instead of copying them.
    data: parseOrThrow(schema, response.data, what, { marketplace: 'meli', owned: true }),
    status: response.status,
    requestId: response.requestId,
    partial: partialContentOf(response.status, response.headers),
  };
}

/** Throws unless `value` is a non-empty id; ids go into paths, so they are checked before any request. */
export function assertMeliId(value: string, path: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) {
    throw new ValidationError('Invalid Mercado Livre id', [
      {
        path,
        message: `must be a non-empty id of letters, digits, "_" or "-" (got ${JSON.stringify(value)})`,
      },
    ]);
  }
  return value;
}

/** Re-exported for api files: a failure of one element of a multiget. */
export function elementError(status: number, body: unknown, operation: string): MlhError {
  return (
    mapMeliError({
      marketplace: 'meli',
      status,
      headers: new Headers(),
      text: '',
      json: body,
      requestId: undefined,
      retryAfterMs: undefined,
      operation,
    }) ??
    new MlhError(`Mercado Livre ${operation} failed with status ${status}`, { marketplace: 'meli', status })
  );
}
