import {
  type AccessTokenProvider,
  AuthenticationError,
  ConflictError,
  createTransport,
  type ErrorContext,
  type FieldIssue,
  type HttpMethod,
  MlhError,
  type MlhErrorOptions,
  NotFoundError,
  type OutgoingRequest,
  PermissionError,
  parseOrThrow,
  type QueryValue,
  RateLimitError,
  redactText,
  ServerError,
  setQueryParams,
  type Transport,
  type TransportOptions,
  type TransportResponse,
  ValidationError,
} from '@mlh/core';
import * as z from 'zod/mini';
import { stringifyShopeeJson } from './json';
import { shopeeEnvelope } from './schemas';
import { type ShopeeSignInput, signShopeeRequestSync } from './signer';

/** The marketplace id of this package. */
export const SHOPEE = 'shopee';

/** Which Shopee environment: live partner ids/keys work only in production, test ones only in the sandbox. */
export type ShopeeEnvironment = 'production' | 'sandbox';

/**
 * Where **your servers** are (not where the seller sells): `global` (near Singapore, the
 * default), `china` (mainland China) or `brazil` (the `.com.br` host Shopee recommends for
 * servers in the Americas; production only).
 */
export type ShopeeRegion = 'global' | 'china' | 'brazil';

/**
 * Base URLs per environment and region. The legacy sandbox host (`partner.test-stable.shopeemobile.com`)
 * is deliberately absent: Sandbox v2 partner ids get `error_sign` there.
 */
export const SHOPEE_HOSTS: Readonly<
  Record<ShopeeEnvironment, Readonly<Partial<Record<ShopeeRegion, string>>>>
> = Object.freeze({
  production: Object.freeze({
    global: 'https://partner.shopeemobile.com',
    china: 'https://openplatform.shopee.cn',
    brazil: 'https://openplatform.shopee.com.br',
  }),
  sandbox: Object.freeze({
    global: 'https://openplatform.sandbox.test-stable.shopee.sg',
    china: 'https://openplatform.sandbox.test-stable.shopee.cn',
  }),
});

/** Chooses the host of an environment and region; throws a `ValidationError` for a pair that does not exist. */
export function shopeeBaseUrl(
  environment: ShopeeEnvironment = 'production',
  region: ShopeeRegion = 'global',
): string {
  const host = SHOPEE_HOSTS[environment]?.[region];
  if (!host) {
    throw new ValidationError(
      'Invalid Shopee host',
      [{ path: 'region', message: `there is no ${environment} host for region "${region}"` }],
      { marketplace: SHOPEE },
    );
  }
  return host;
}

/**
 * Paths of the Public APIs: signed with `partner_id + path + timestamp` only, and sent without
 * `access_token` / `shop_id`. Every other `/api/v2/` path is signed as a Shop (or Merchant) API.
 */
export const SHOPEE_PUBLIC_PATHS: ReadonlySet<string> = new Set([
  '/api/v2/shop/auth_partner',
  '/api/v2/shop/cancel_auth_partner',
  '/api/v2/auth/token/get',
  '/api/v2/auth/access_token/get',
  '/api/v2/public/get_shops_by_partner',
  '/api/v2/public/get_merchants_by_partner',
  '/api/v2/public/get_token_by_resend_code',
  '/api/v2/public/get_shopee_ip_ranges',
  '/api/v2/push/set_app_push_config',
  '/api/v2/push/get_app_push_config',
  '/api/v2/push/get_lost_push_message',
  '/api/v2/push/confirm_consumed_lost_push_message',
  '/api/v2/media_space/upload_image',
  '/api/v2/media_space/upload_video_part',
  '/api/v2/media_space/complete_video_upload',
]);

/** True when `path` is a Public API (see {@link SHOPEE_PUBLIC_PATHS}). */
export function isShopeePublicPath(path: string): boolean {
  return SHOPEE_PUBLIC_PATHS.has(path.replace(/\/+$/, ''));
}

// ---------------------------------------------------------------------------------------------
// Account ids

/** A Shopee account the SDK acts for: a shop (Shop APIs) or a merchant (cross-border Merchant APIs). */
export interface ShopeeAccount {
  kind: 'shop' | 'merchant';
  /** The shop id or merchant id, as a decimal string. */
  id: string;
}

const MERCHANT_PREFIX = 'merchant:';

/** The core account id of a shop: its shop id. @example shopAccountId(600000) // '600000' */
export function shopAccountId(shopId: number | string | bigint): string {
  return String(shopId).trim();
}

/**
 * The core account id of a merchant: `merchant:<merchant_id>`, so a merchant never collides
 * with a shop of the same number in a token store. @example merchantAccountId(2000001) // 'merchant:2000001'
 */
export function merchantAccountId(merchantId: number | string | bigint): string {
  return `${MERCHANT_PREFIX}${String(merchantId).trim()}`;
}

/** Reads an account id made by {@link shopAccountId} or {@link merchantAccountId}. */
export function parseShopeeAccountId(accountId: string): ShopeeAccount {
  const merchant = accountId.startsWith(MERCHANT_PREFIX);
  const id = merchant ? accountId.slice(MERCHANT_PREFIX.length) : accountId;
  if (!/^\d+$/.test(id)) {
    throw new ValidationError(
      'Invalid Shopee account id',
      [{ path: 'accountId', message: 'must be a shop id ("600000") or "merchant:<merchant_id>"' }],
      { marketplace: SHOPEE },
    );
  }
  return { kind: merchant ? 'merchant' : 'shop', id };
}

// ---------------------------------------------------------------------------------------------
// Errors

/** Shopee error code as compared: trimmed, lower-case, inner runs of whitespace collapsed. */
export function normalizeShopeeErrorCode(code: string): string {
  return code.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The last dot-segment of a (possibly module-prefixed) code: `logistics.error_param` → `error_param`. */
function baseCode(code: string): string {
  const dot = code.lastIndexOf('.');
  return dot < 0 ? code : code.slice(dot + 1);
}

const REFRESHABLE_AUTH_CODES = new Set(['invalid_acceess_token', 'invalid_access_token', 'invalid_token']);

/** Codes after which the seller must authorize again: no refresh can help. */
export const SHOPEE_REAUTHORIZATION_CODES: ReadonlySet<string> = new Set([
  'invalid_code',
  'invalid_shop_id',
  'invalid_main_acount_id',
  'invalid_main_account_id',
  'error_shop_refresh_token',
  'error_merchant_refresh_token',
  'error_supplier_refresh_token',
  'error_refresh_token',
  'invalid_refresh_token',
  'refresh_token_expired',
  'shop_access_expired',
  'merchant_access_expired',
  'supplier_access_expired',
  'shop_no_linked',
  'merchant_no_linked',
  'supplier_no_linked',
  'user_no_linked',
  'partner_shop_no_link',
]);

const APP_CREDENTIAL_CODES = new Set([
  'error_sign',
  'invalid_partner_id',
  'error_partner_key_expired',
  'partner_frozen',
]);

/**
 * `error_auth` about the app itself rather than the shop's token: an unknown, deleted, frozen or
 * restricted partner. A shop id in the message ("Invalid partner_id or shopid.") is about the grant.
 */
function isAppAuthFailure(code: string, lowerText: string): boolean {
  return (
    baseCode(code) === 'error_auth' &&
    !/shop|merchant|token/.test(lowerText) &&
    /partner_?id is invalid|invalid partner|partner.*(not exist|deleted|frozen|restricted)|\bapp\b.*(deleted|frozen|restricted)|developer/.test(
      lowerText,
    )
  );
}

/**
 * The app's own credentials were refused (wrong partner key or id, a key of the other environment,
 * an expired key, a frozen app). Reported as a `PermissionError`, not an `AuthenticationError`:
 * refreshing the shop's token cannot help, and each refresh would spend its single-use refresh
 * token for nothing.
 */
function appCredentialsRefused(message: string, options: MlhErrorOptions): PermissionError {
  return new PermissionError(
    `${message} (the app's partner id or key was refused: check them and the environment; no token refresh was attempted)`,
    options,
  );
}

const PERMISSION_CODES = new Set([
  'error_permission',
  'error_api_permission',
  'error_api_call_restricted',
  'error_ashop_api_permission',
  'error_kyc_auth',
  'api_suspended',
  'shop_banned',
  'user_banned',
  'source_ip_undeclared',
]);

const TRANSIENT_CODES = new Set([
  'error_server',
  'error_network',
  'error_inner',
  'error_system_busy',
  'error_busy',
]);

const SHOPEE_UTC_OFFSET_MS = 8 * 3_600_000;

/** Milliseconds from `now` until the daily quota resets (00:00 UTC+8). */
export function msUntilShopeeQuotaReset(now: number): number {
  const local = now + SHOPEE_UTC_OFFSET_MS;
  const nextMidnight = Math.floor(local / 86_400_000) * 86_400_000 + 86_400_000;
  return nextMidnight - local;
}

/** What {@link mapShopeeErrorCode} needs besides the code. */
export interface ShopeeErrorDetails {
  message?: string | undefined;
  status?: number | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  /** Current time (ms), for the daily-quota reset. */
  now?: number | undefined;
}

/**
 * Maps a Shopee `error` code (plain, module-prefixed like `logistics.error_param`, misspelled like
 * `invalid_acceess_token`, or with stray whitespace) to the core error taxonomy, whatever the
 * HTTP status was:
 * - `error_rate_limit` → `RateLimitError` (retryable); `error_limit` (daily quota) →
 *   `RateLimitError` with `retryAfterMs` until 00:00 UTC+8, not retryable;
 * - invalid access token / `error_auth` about the token → `AuthenticationError` (refresh and replay);
 * - grant/refresh-token failures → `AuthenticationError` with `reauthorizationRequired`;
 * - `error_sign`, `invalid_partner_id`, `error_partner_key_expired`, … → `PermissionError` (the
 *   app's credentials: no token refresh can fix them, so none is spent);
 * - permission/ban/IP codes → `PermissionError`; not-found codes → `NotFoundError`;
 * - `error_server`, `error_system_busy`, … → `ServerError` (retryable);
 * - parameter codes → `ValidationError`; state conflicts (`already`, `cannt`, `in_promotion`, …) → `ConflictError`.
 */
export function mapShopeeErrorCode(rawCode: string, details: ShopeeErrorDetails = {}): MlhError {
  const code = normalizeShopeeErrorCode(rawCode);
  const last = baseCode(code);
  const text = redactText((details.message ?? '').trim()).slice(0, 500);
  const message = `Shopee ${rawCode.trim()}${text ? `: ${text}` : ''}`;
  const options: MlhErrorOptions = {
    marketplace: SHOPEE,
    code: rawCode.trim(),
    status: details.status,
    requestId: details.requestId,
    retryAfterMs: details.retryAfterMs,
  };
  const has = (...codes: string[]) => codes.includes(code) || codes.includes(last);
  const lowerText = text.toLowerCase();

  if (has('error_rate_limit', 'error_too_many_request', 'too_many_request')) {
    return new RateLimitError(message, options);
  }
  if (has('error_limit')) {
    const now = details.now ?? Date.now();
    return new RateLimitError(`${message} (daily quota; resets at 00:00 UTC+8)`, {
      ...options,
      retryable: false,
      retryAfterMs: msUntilShopeeQuotaReset(now),
    });
  }
  if (REFRESHABLE_AUTH_CODES.has(code) || REFRESHABLE_AUTH_CODES.has(last)) {
    return new AuthenticationError(message, options);
  }
  if (SHOPEE_REAUTHORIZATION_CODES.has(code) || SHOPEE_REAUTHORIZATION_CODES.has(last)) {
    return new AuthenticationError(message, { ...options, reauthorizationRequired: true });
  }
  if (APP_CREDENTIAL_CODES.has(code) || APP_CREDENTIAL_CODES.has(last) || isAppAuthFailure(code, lowerText)) {
    return appCredentialsRefused(message, options);
  }
  if (has('error_auth')) {
    if (/permission/.test(lowerText)) return new PermissionError(message, options);
    if (/\bcode\b/.test(lowerText))
      return new AuthenticationError(message, { ...options, reauthorizationRequired: true });
    return new AuthenticationError(message, options);
  }
  if (PERMISSION_CODES.has(code) || PERMISSION_CODES.has(last)) return new PermissionError(message, options);
  if (has('error_data') && /not exist/.test(lowerText)) return new NotFoundError(message, options);
  if (TRANSIENT_CODES.has(code) || TRANSIENT_CODES.has(last) || has('error_data')) {
    return new ServerError(message, options);
  }
  if (/not[ _]?found|not[ _]exist|no[ _]such/.test(code)) return new NotFoundError(message, options);
  if (has('error_param') && /timestamp/.test(lowerText) && /expired/.test(lowerText)) {
    // A fresh timestamp is signed on the next attempt, so one retry can succeed.
    return new ValidationError(message, [], { ...options, retryable: true });
  }
  if (/param|invalid|need_|missing|empty|exceed|too_long|too_short|format|range|time/.test(last)) {
    const issues: FieldIssue[] = [{ path: '', message: text || last, code: rawCode.trim() }];
    return new ValidationError(`Shopee refused the request (${rawCode.trim()})`, issues, options);
  }
  if (/already|cannt|cannot|can_not|not_allow|not_ready|in_promotion|status|locked|duplicate/.test(code)) {
    return new ConflictError(message, options);
  }
  if (details.status !== undefined && details.status >= 500) return new ServerError(message, options);
  if (details.status === 429) return new RateLimitError(message, options);
  return new MlhError(message, options);
}

function envelopeOf(json: unknown): { error?: unknown; message?: unknown; request_id?: unknown } | undefined {
  return json !== null && typeof json === 'object' && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : undefined;
}

/**
 * The transport's `mapError`: a non-empty envelope `error` is a failure whatever the HTTP status;
 * a 2xx body that should be JSON but does not parse is a retryable `ServerError` (truncated
 * response); anything else falls back to the status mapping.
 */
export function mapShopeeError(context: ErrorContext, now?: () => number): MlhError | undefined {
  const envelope = envelopeOf(context.json);
  const code = typeof envelope?.error === 'string' ? envelope.error.trim() : '';
  const requestId = typeof envelope?.request_id === 'string' ? envelope.request_id : context.requestId;
  if (code) {
    return mapShopeeErrorCode(code, {
      message: typeof envelope?.message === 'string' ? envelope.message : undefined,
      status: context.status,
      requestId,
      retryAfterMs: context.retryAfterMs,
      now: now?.(),
    });
  }
  const contentType = context.headers.get('content-type') ?? '';
  const looksJson = /^\s*[[{]/.test(context.text) || /json/i.test(contentType);
  if (context.json === undefined && context.text.trim() !== '' && looksJson) {
    return new ServerError(`Shopee ${context.operation ?? 'request'}: malformed JSON response`, {
      marketplace: SHOPEE,
      status: context.status,
      code: 'malformed_response',
      requestId,
    });
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Transport

/** Transport options passed through to core `createTransport`. */
export type ShopeePassThroughOptions = Pick<
  TransportOptions,
  | 'fetch'
  | 'clock'
  | 'timeoutMs'
  | 'maxResponseBytes'
  | 'retry'
  | 'rateLimits'
  | 'appRateLimits'
  | 'appId'
  | 'rateLimiter'
  | 'onRateLimit'
  | 'circuitBreaker'
  | 'logger'
  | 'headers'
  | 'random'
>;

/**
 * Rate limits to configure from what is known of Shopee's, for `appRateLimits` and `rateLimits`
 * (not applied unless passed). No number is published [U]: about 100 requests per second per app
 * was reported stable; per-shop limits are shown only in the Console, so the per-shop figure here
 * is a cautious guess. A daily quota (`error_limit`) exists on top.
 *
 * @example
 * createShopeeTransport({ partnerId, partnerKey, tokens, appRateLimits: SHOPEE_RATE_LIMITS.app, rateLimits: SHOPEE_RATE_LIMITS.account });
 */
export const SHOPEE_RATE_LIMITS = Object.freeze({
  app: Object.freeze({ read: { perSecond: 100 }, write: { perSecond: 100 } }),
  account: Object.freeze({ read: { perSecond: 10 }, write: { perSecond: 10 } }),
} satisfies Record<'app' | 'account', TransportOptions['rateLimits']>);

/** Options of {@link createShopeeTransport}. */
export interface ShopeeTransportOptions extends ShopeePassThroughOptions {
  /** The App ID. */
  partnerId: number | string;
  /** The partner key, verbatim (including a `shpk` prefix). */
  partnerKey: string;
  /** Default `production`. */
  environment?: ShopeeEnvironment | undefined;
  /** Default `global`. */
  region?: ShopeeRegion | undefined;
  /** Overrides the host chosen by environment and region (a proxy, a local sandbox). */
  baseUrl?: string | undefined;
  /** Where access tokens come from: a core `TokenManager`. Needed for Shop/Merchant APIs. */
  tokens?: AccessTokenProvider;
}

/** The signed API path: from `/api/v2/` on, whatever prefix a proxy base URL adds. */
function apiPathOf(url: URL): string {
  const index = url.pathname.indexOf('/api/v2/');
  return index < 0 ? url.pathname : url.pathname.slice(index);
}

/** Checks app credentials; returns the partner id as a decimal string. */
export function checkShopeeCredentials(partnerId: number | string, partnerKey: string): string {
  const issues: FieldIssue[] = [];
  const id = typeof partnerId === 'number' ? String(partnerId) : String(partnerId ?? '').trim();
  if (!/^\d+$/.test(id) || Number(id) > 4_294_967_295) {
    issues.push({ path: 'partnerId', message: 'must be the numeric App ID (0..4294967295)' });
  }
  if (typeof partnerKey !== 'string' || partnerKey.trim() === '') {
    issues.push({ path: 'partnerKey', message: 'required' });
  }
  if (issues.length > 0)
    throw new ValidationError('Invalid Shopee credentials', issues, { marketplace: SHOPEE });
  return id;
}

/**
 * Builds the signing hook: on every attempt it sets `partner_id`, a fresh `timestamp` (seconds,
 * from the transport clock), and for Shop/Merchant APIs `access_token` and `shop_id` /
 * `merchant_id`, then the `sign` over them. Public paths are signed without the token.
 */
export function shopeeSigningHook(
  partnerId: number | string,
  partnerKey: string,
): (request: OutgoingRequest) => void {
  const id = checkShopeeCredentials(partnerId, partnerKey);
  return (request) => {
    const path = apiPathOf(request.url);
    const timestamp = Math.floor(request.now / 1000);
    const token = request.accessToken;
    const params: [string, string][] = [
      ['partner_id', id],
      ['timestamp', String(timestamp)],
    ];
    const input: ShopeeSignInput = { partnerId: id, partnerKey, path, timestamp };
    if (token !== undefined && request.accountId !== undefined && !isShopeePublicPath(path)) {
      const account = parseShopeeAccountId(request.accountId);
      input.accessToken = token;
      if (account.kind === 'shop') input.shopId = account.id;
      else input.merchantId = account.id;
      params.push(['access_token', token], [account.kind === 'shop' ? 'shop_id' : 'merchant_id', account.id]);
    }
    params.push(['sign', signShopeeRequestSync(input)]);
    setQueryParams(request.url, params);
  };
}

/**
 * The Shopee transport: core `createTransport` with the host of the environment/region, the
 * signing hook (fresh timestamp and sign on every attempt, retries included), the access token
 * applied as a query parameter, and Shopee's envelope errors mapped to core errors.
 *
 * @example
 * const transport = createShopeeTransport({
 *   partnerId: Number(process.env.SHOPEE_PARTNER_ID),
 *   partnerKey: process.env.SHOPEE_PARTNER_KEY!,
 *   environment: 'sandbox',
 *   tokens: tokenManager,
 * });
 */
export function createShopeeTransport(options: ShopeeTransportOptions): Transport {
  const baseUrl = options.baseUrl ?? shopeeBaseUrl(options.environment, options.region);
  const clock = options.clock;
  const { partnerId, partnerKey, environment: _e, region: _r, baseUrl: _b, ...rest } = options;
  const passThrough = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== undefined),
  ) as Omit<TransportOptions, 'marketplace' | 'baseUrl' | 'mapError'>;
  const sign = shopeeSigningHook(partnerId, partnerKey);
  return createTransport({
    ...passThrough,
    marketplace: SHOPEE,
    baseUrl,
    // The token travels in the query, signed; it is set by the signing hook, never as a header.
    applyAccessToken: () => {},
    sign,
    mapError: (context) => mapShopeeError(context, clock ? () => clock.now() : undefined),
  });
}

// ---------------------------------------------------------------------------------------------
// Calls

/** The API's real limits, built into every batch and page of this package. */
export const SHOPEE_LIMITS = Object.freeze({
  /** `get_item_list` page_size. */
  itemListPageSize: 100,
  /** `get_item_base_info` item_id_list. */
  itemBaseInfoIds: 50,
  /** `update_price` price_list and `update_stock` stock_list entries (one item per call). */
  modelBatchEntries: 50,
  /** `unlist_item` item_list. */
  unlistItems: 50,
  /** `get_order_list` page_size. */
  orderListPageSize: 100,
  /** `get_order_detail` order_sn_list. */
  orderDetailIds: 50,
  /** `get_order_list`: time_to − time_from, in seconds (15 days). */
  orderListWindowSeconds: 15 * 86_400,
  /** `get_shipment_list` page_size. */
  shipmentListPageSize: 100,
  /** `media_space/upload_image`: files per call ("fewer than 9"). */
  uploadImageFiles: 8,
  /** `media_space/upload_image`: bytes per file. */
  uploadImageBytes: 10 * 1024 * 1024,
});

/** How list-valued GET parameters such as `item_id_list` are encoded: `a,b,c` (default) or a repeated key. */
export type ShopeeListEncoding = 'comma' | 'repeat';

/** One account's view of the API: what every `api/*` call takes. */
export interface ShopeeScope {
  transport: Transport;
  /** The shop (or `merchant:<id>`) account; Public APIs ignore it except for rate limiting. */
  accountId: string;
  /** Encoding of `item_id_list`; the documentation is ambiguous, so it is switchable. Default `comma`. */
  listEncoding?: ShopeeListEncoding | undefined;
  signal?: AbortSignal | undefined;
}

/** Encodes a list-valued GET parameter per {@link ShopeeListEncoding}. */
export function encodeList(values: readonly string[], encoding: ShopeeListEncoding = 'comma'): QueryValue {
  return encoding === 'repeat' ? values : values.join(',');
}

/** One typed Shopee call. */
export interface ShopeeCall {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue> | undefined;
  /** A JSON body (serialized with exact int64 ids) or a multipart form. */
  body?: unknown;
  /** The shop/merchant account; omit for Public APIs. */
  accountId?: string | undefined;
  /** Safe to repeat (absolute writes such as stock and price). */
  idempotent?: boolean | undefined;
  operation: string;
  signal?: AbortSignal | undefined;
}

/** The parsed outcome of a {@link ShopeeCall}. */
export interface ShopeeResult<T> {
  /** The envelope's `response` (or the whole body for flat endpoints). */
  response: T;
  requestId: string | undefined;
  /** Envelope warnings, always as a list. */
  warnings: string[];
}

/** The body the transport parsed (losslessly: int64 ids stay exact); `{}` when empty. */
function bodyOf(result: TransportResponse<unknown>): unknown {
  return result.data ?? {};
}

async function send(transport: Transport, call: ShopeeCall) {
  const isPublic = isShopeePublicPath(call.path);
  const body =
    call.body === undefined
      ? undefined
      : call.body instanceof FormData
        ? { multipart: call.body }
        : { raw: stringifyShopeeJson(call.body), contentType: 'application/json' };
  return transport.request<unknown>({
    method: call.method,
    path: call.path,
    query: call.query,
    body,
    accountId: call.accountId,
    auth: isPublic ? false : undefined,
    idempotent: call.idempotent,
    operation: call.operation,
    signal: call.signal,
  });
}

/**
 * The envelope's own fields, built once: zod compiles every object schema it is handed, so an
 * envelope wrapped around each call's schema on every call costs a compilation per call. The
 * `response` is parsed on its own with the call's schema.
 */
const ENVELOPE = /* @__PURE__ */ (() => shopeeEnvelope(z.unknown()))();

/**
 * Sends a call and parses the envelope's `response` with `schema` (losslessly: int64 ids stay
 * exact). A missing `response` is parsed as `{}` so optional-only schemas still apply.
 */
export async function callShopee<S extends z.core.$ZodType>(
  transport: Transport,
  call: ShopeeCall,
  schema: S,
): Promise<ShopeeResult<z.infer<S>>> {
  const result = await send(transport, call);
  const body = bodyOf(result);
  const what = `Shopee ${call.operation} response`;
  // The body is the transport's freshly parsed JSON: the parse may keep its objects instead of copying them.
  const envelope = parseOrThrow(ENVELOPE, body, what, { marketplace: SHOPEE, owned: true });
  const response: z.infer<S> = parseOrThrow(
    schema,
    envelope.response === undefined ? {} : envelope.response,
    what,
    {
      marketplace: SHOPEE,
      path: 'response',
      owned: true,
    },
  );
  const warning = envelope.warning;
  const warnings = Array.isArray(warning) ? warning : warning ? [warning] : [];
  return { response, requestId: envelope.request_id ?? result.requestId, warnings };
}

/** Like {@link callShopee} for the flat endpoints (token calls): the whole body is parsed with `schema`. */
export async function callShopeeFlat<S extends z.core.$ZodType>(
  transport: Transport,
  call: ShopeeCall,
  schema: S,
): Promise<ShopeeResult<z.infer<S>>> {
  const result = await send(transport, call);
  const body = bodyOf(result);
  const response = parseOrThrow(schema, body, `Shopee ${call.operation} response`, {
    marketplace: SHOPEE,
    owned: true,
  });
  const requestId = (body as { request_id?: unknown }).request_id;
  return { response, requestId: typeof requestId === 'string' ? requestId : result.requestId, warnings: [] };
}
