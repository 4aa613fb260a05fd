import {
  type AccessTokenProvider,
  AuthenticationError,
  createTransport,
  type ErrorContext,
  type HttpMethod,
  MlhError,
  type MlhErrorOptions,
  NotFoundError,
  type OutgoingRequest,
  PermissionError,
  parseOrThrow,
  queryPairsWithout,
  RateLimitError,
  redactText,
  ServerError,
  setQueryParams,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  ValidationError,
} from '@mlh/core';
import type * as z from 'zod/mini';
import { TIKTOK } from './mappers';
import { TikTokEnvelope } from './schemas';
import { isMultipartContentType, signTikTokRequestSync } from './signer';

/** The Open API host for every region (202309+ APIs). */
export const TIKTOK_API_BASE_URL = 'https://open-api.tiktokglobalshop.com';
/** The host of token get / refresh. */
export const TIKTOK_AUTH_BASE_URL = 'https://auth.tiktok-shops.com';

/** Transport options passed through to core `createTransport` (fetch, clock, retry, limits, logger, ...). */
export type TikTokPassThroughOptions = Omit<
  TransportOptions,
  'marketplace' | 'baseUrl' | 'mapError' | 'sign' | 'applyAccessToken' | 'tokens'
>;

/**
 * Rate limits to configure from what is known of TikTok Shop's, for `rateLimits` (not applied
 * unless passed). Limits are per app × authorized shop and dynamic [C]; the baselines quoted from
 * the official page [U] are 3–10 requests per second for reads and 1–3 for writes: the lower ends
 * here. No app-wide limit is published, so `app` is empty.
 *
 * @example
 * createTikTokTransport({ appKey, appSecret, tokens, rateLimits: TIKTOK_RATE_LIMITS.account });
 */
export const TIKTOK_RATE_LIMITS = Object.freeze({
  app: Object.freeze({}),
  account: Object.freeze({ read: { perSecond: 3 }, write: { perSecond: 1 } }),
} satisfies Record<'app' | 'account', TransportOptions['rateLimits']>);

/** Finds the `shop_cipher` of a shop (the account id of a TikTok client is its shop id). */
export type TikTokShopCipherResolver = (shopId: string) => string | undefined | Promise<string | undefined>;

/** Options of {@link createTikTokTransport}. */
export interface TikTokTransportOptions extends TikTokPassThroughOptions {
  appKey: string;
  appSecret: string;
  /** Default {@link TIKTOK_API_BASE_URL}; override for a proxy or a sandbox. */
  baseUrl?: string;
  /** Access tokens per shop, in practice the `TokenManager` of `createTikTokShop`. */
  tokens?: AccessTokenProvider;
  /**
   * Where a shop's cipher comes from when a shop-scoped request does not carry `shop_cipher`
   * already. `createTikTokShop` passes one that reads the token store and, failing that, asks
   * `/authorization/202309/shops`.
   */
  shopCipher?: TikTokShopCipherResolver;
  /** Overrides which paths get `shop_cipher` (default {@link isShopScopedPath}). */
  isShopScoped?: (method: HttpMethod, path: string) => boolean;
  /** How a body of exactly `{}` is signed; see {@link TikTokEmptyBodySignature}. Default `bytes`. */
  emptyBodySignature?: TikTokEmptyBodySignature;
}

/**
 * How a JSON body of exactly `{}` (a search without filters) is signed. TikTok does not say how
 * its server treats it: the official Go and Java samples sign the bytes sent (`bytes`, the
 * default, what the reference calls safest), the official Node sample leaves an empty object out
 * of the signed string (`skipped`). Switch to `skipped` if unfiltered searches fail with `106001`.
 */
export type TikTokEmptyBodySignature = 'bytes' | 'skipped';

/**
 * Whether a request gets `shop_cipher`. TikTok refuses it (`36009004`) on `/authorization/*`,
 * `/seller/*`, every upload (`.../images/upload`, `.../files/upload`), `/product/{v}/global_products*`,
 * `/product/{v}/compliance/*` and `POST /product/{v}/brands`; every other 202309+ path is shop-scoped.
 * The last three come from one SDK's rule only (uncertain), hence the override option.
 */
export function isShopScopedPath(method: HttpMethod, path: string): boolean {
  const clean = path.split('?')[0] ?? path;
  if (/^\/(authorization|seller)\//.test(clean)) return false;
  if (/\/(images|files)\/upload\/?$/.test(clean)) return false;
  if (/^\/product\/[^/]+\/global_products/.test(clean)) return false;
  if (/^\/product\/[^/]+\/compliance\//.test(clean)) return false;
  if (method === 'POST' && /^\/product\/[^/]+\/brands\/?$/.test(clean)) return false;
  return true;
}

/** The path TikTok sees: the URL path without the base URL's own path prefix (proxies, sandboxes). */
function apiPath(url: URL, basePath: string): string {
  return basePath && url.pathname.startsWith(basePath)
    ? url.pathname.slice(basePath.length) || '/'
    : url.pathname;
}

/**
 * The signing hook: adds `app_key`, `timestamp` (seconds, from the transport clock, so every
 * attempt is signed afresh) and `shop_cipher` where the path takes it, sets `content-type`
 * (TikTok wants it even on GET), then signs the exact bytes about to be sent.
 */
export function createTikTokSigner(options: {
  appKey: string;
  appSecret: string;
  baseUrl?: string;
  shopCipher?: TikTokShopCipherResolver;
  isShopScoped?: (method: HttpMethod, path: string) => boolean;
  emptyBodySignature?: TikTokEmptyBodySignature;
}): (request: OutgoingRequest) => void | Promise<void> {
  const basePath = new URL(options.baseUrl ?? TIKTOK_API_BASE_URL).pathname.replace(/\/+$/, '');
  const isShopScoped = options.isShopScoped ?? isShopScopedPath;
  const contentTypeOf = (request: OutgoingRequest): void => {
    if (!isMultipartContentType(request.contentType) && !request.headers.has('content-type')) {
      request.headers.set('content-type', 'application/json');
    }
  };
  const signatureOf = (
    request: OutgoingRequest,
    path: string,
    query: URLSearchParams | Readonly<Record<string, string>>,
  ): string => {
    const unsignedEmpty = options.emptyBodySignature === 'skipped' && isEmptyObjectBody(request.body);
    return signTikTokRequestSync({
      appSecret: options.appSecret,
      path,
      query,
      body: unsignedEmpty ? undefined : request.body,
      contentType: request.contentType,
    });
  };
  // The query is gathered apart and written to the URL once, when signed: `url.searchParams`
  // re-serializes the URL on every change. The text sent is the same.
  const finish = (request: OutgoingRequest, path: string, params: URLSearchParams): void => {
    params.set('sign', signatureOf(request, path, params));
    request.url.search = params.toString();
  };
  /**
   * The common case, a query without the parameters the signer sets: its pairs are signed as
   * they are and the new ones appended (on Node without decoding and encoding the whole query).
   */
  const finishAppending = (
    request: OutgoingRequest,
    path: string,
    pairs: readonly (readonly [string, string])[],
    added: [string, string][],
  ): void => {
    // A dictionary without a prototype (`__proto__` is plain data); a repeated key signs its first value.
    const signed: Record<string, string> = Object.create(null);
    for (const [name, value] of pairs) if (!(name in signed)) signed[name] = value;
    for (const [name, value] of added) signed[name] = value;
    added.push(['sign', signatureOf(request, path, signed)]);
    setQueryParams(request.url, added);
  };
  // Synchronous unless the shop cipher has to be looked up: no promise on the common path.
  return (request) => {
    const path = apiPath(request.url, basePath);
    const timestamp = String(Math.floor(request.now / 1000));
    const shopScoped = isShopScoped(request.method, path);
    const pairs = queryPairsWithout(request.url.search, SIGNER_PARAMS);
    // A query that already holds one of the signer's parameters is rewritten through URLSearchParams.
    let params: URLSearchParams | undefined;
    let wantsCipher = shopScoped;
    if (pairs === undefined) {
      params = new URLSearchParams(request.url.search);
      params.delete('sign');
      params.set('app_key', options.appKey);
      params.set('timestamp', timestamp);
      if (!shopScoped) params.delete('shop_cipher');
      else if (params.get('shop_cipher')) wantsCipher = false;
    }
    const complete = (cipher: string | undefined): void => {
      contentTypeOf(request);
      if (params !== undefined) {
        if (cipher) params.set('shop_cipher', cipher);
        finish(request, path, params);
        return;
      }
      const added: [string, string][] = [
        ['app_key', options.appKey],
        ['timestamp', timestamp],
      ];
      if (cipher) added.push(['shop_cipher', cipher]);
      finishAppending(request, path, pairs ?? [], added);
    };
    const cipher =
      wantsCipher && request.accountId !== undefined && options.shopCipher
        ? options.shopCipher(request.accountId)
        : undefined;
    if (typeof cipher === 'object' && cipher !== null) return cipher.then(complete);
    complete(cipher);
  };
}

/** The parameters the signing hook sets (or drops): a query holding one takes the general path. */
const SIGNER_PARAMS = ['sign', 'app_key', 'timestamp', 'shop_cipher'] as const;

/** True for the bytes `{}` (the body of a search without filters). */
function isEmptyObjectBody(body: string | Uint8Array | undefined): boolean {
  const text = typeof body === 'string' ? body : body === undefined ? '' : new TextDecoder().decode(body);
  return text.trim() === '{}';
}

/** Puts the access token where 202309+ APIs read it: the `x-tts-access-token` header, no `Bearer`. */
export function applyTikTokAccessToken(request: OutgoingRequest, token: string): void {
  request.headers.set('x-tts-access-token', token);
}

// ---------------------------------------------------------------- errors

/** `106001`: TikTok recomputed a different signature. Never fixed by a token refresh, so not an auth error. */
export class TikTokSignatureError extends MlhError {}

/** `105005`: the app has no access to this API; `scope` names the scope / API package it needs, when known. */
export class TikTokScopeError extends PermissionError {
  readonly scope: string | undefined;
  constructor(message: string, scope: string | undefined, options: MlhErrorOptions = {}) {
    super(message, options);
    this.scope = scope;
  }
}

const SCOPE_BY_OPERATION: ReadonlyArray<[RegExp, string]> = [
  [/^(authorization|event)\b/, 'seller.authorization.info'],
  [/^product\.(search|get|brands|categories|warehouses)\b/, 'seller.product.basic'],
  [/^product\b/, 'the product write API package (its exact scope name varies; see Partner Center)'],
  [/^order\b/, 'seller.order.info'],
  [/^fulfillment\b/, 'the fulfillment API package'],
  [/^logistics\b/, 'the logistics API package'],
  [/^return_refund\b/, 'the return and refund API package'],
  [/^customer_service\b/, 'seller.customer_service'],
];

/**
 * The scope an operation needs, from its name (`order.search`) or its path (`/order/202309/...`).
 * Only `seller.authorization.info`, `seller.product.basic` and `seller.order.info` are documented
 * names; the others are described by their API package.
 */
export function tiktokScopeFor(operation: string | undefined): string | undefined {
  if (!operation) return undefined;
  const name = operation.replace(/^(GET|POST|PUT|DELETE|PATCH|HEAD)\s+/i, '').replace(/^\//, '');
  const normalized = name.replace(/^([a-z_]+)\/[^/]+\//, (_, module: string) => `${module}.`);
  return SCOPE_BY_OPERATION.find(([pattern]) => pattern.test(normalized))?.[1];
}

const SIGNATURE_CAUSES =
  'Likely causes: the app key and app secret are wrong or belong to different apps (the most common); ' +
  'the body sent differs from the body signed (re-serialized or pretty-printed JSON); the path or a ' +
  'query parameter changed after signing (a proxy or a base URL with a path prefix); the app secret was rotated.';

function classify36009004(message: string, options: MlhErrorOptions, what: string): MlhError {
  const issue = (path: string, hint: string) =>
    new ValidationError(
      `${what}: ${message} (36009004)`,
      [{ path, message: hint, code: '36009004' }],
      options,
    );
  if (/timestamp/i.test(message)) {
    return issue('timestamp', 'outside the accepted window (about 5 minutes): check the system clock (NTP)');
  }
  if (/access[_ -]?token/i.test(message)) {
    return new AuthenticationError(`${what}: the access token was refused: ${message} (36009004)`, options);
  }
  if (/app_?key/i.test(message)) return issue('app_key', 'the app key is not valid: check TIKTOK_APP_KEY');
  if (/shop_cipher/i.test(message)) {
    return issue('shop_cipher', 'sent where the endpoint does not take it, or not a cipher of this shop');
  }
  if (/shop_id/i.test(message)) return issue('shop_id', '202309+ endpoints take shop_cipher, not shop_id');
  if (/sign/i.test(message)) return issue('sign', 'missing or malformed signature');
  if (/version/i.test(message)) return issue('version', 'the API version in the path is not valid');
  return issue('', message);
}

/**
 * Maps a TikTok response to a core error. The envelope decides, not the HTTP status: `code !== 0`
 * is a failure even with HTTP 200, and `code === 0` is success. Bodies without an envelope fall
 * back to the status-based mapping.
 */
export function mapTikTokError(context: ErrorContext): MlhError | undefined {
  const envelope = context.json;
  if (typeof envelope !== 'object' || envelope === null || !('code' in envelope)) return undefined;
  const { code: rawCode, message: rawMessage, request_id } = envelope as Record<string, unknown>;
  const code = Number(rawCode);
  if (!Number.isFinite(code) || code === 0) return undefined;
  // Messages can quote a buyer's CPF: never carried into errors.
  const message = typeof rawMessage === 'string' && rawMessage !== '' ? redactText(rawMessage) : 'no message';
  const what = `TikTok Shop ${context.operation ?? 'request'}`;
  const options: MlhErrorOptions = {
    marketplace: TIKTOK,
    status: context.status,
    code: String(code),
    requestId: typeof request_id === 'string' && request_id !== '' ? request_id : context.requestId,
    retryAfterMs: context.retryAfterMs,
  };
  const text = `${what}: ${message} (${code})`;

  switch (code) {
    case 105001:
    case 105002:
    case 105003:
    case 105004:
      return new AuthenticationError(text, options);
    case 36004001:
    case 36004005:
      return new AuthenticationError(`${text}: the seller must authorize the app again`, {
        ...options,
        reauthorizationRequired: true,
      });
    case 105005: {
      const scope = tiktokScopeFor(context.operation);
      const needs = scope ? ` It needs ${scope}.` : '';
      return new TikTokScopeError(
        `${text}: the app has no access to this API.${needs} Enable it in Partner Center (Manage API), then have the seller authorize again.`,
        scope,
        options,
      );
    }
    case 106001:
      return new TikTokSignatureError(
        `${text}: TikTok computed a different signature. ${SIGNATURE_CAUSES}`,
        options,
      );
    case 106013:
      return new ValidationError(
        text,
        [{ path: 'shop_cipher', message: 'missing: this endpoint is shop-scoped' }],
        options,
      );
    case 101000:
      return new PermissionError(`${text}: the shop cipher is not covered by this access token`, options);
    case 36009033:
      return new PermissionError(`${text}: the calling IP address is not on the app's allow-list`, options);
    case 36009002:
      return new RateLimitError(text, options);
    case 36009003:
    case 36009007:
      return new ServerError(text, options);
    case 36009004:
      return classify36009004(message, options, what);
    case 36009009:
      return new NotFoundError(`${text}: unknown API path`, options);
    case 36009010:
    case 36009014:
    case 36009022:
    case 36009023:
      return new ValidationError(text, [], options);
  }
  if (/not (exist|found)|does ?n[o']t exist/i.test(message)) return new NotFoundError(text, options);
  if (Math.floor(code / 1000) === 12052) return new ValidationError(text, [], options);
  if (context.status === 429) return new RateLimitError(text, options);
  if (context.status >= 500) return new ServerError(text, options);
  if (context.status === 401) return new AuthenticationError(text, options);
  if (context.status === 403) return new PermissionError(text, options);
  if (context.status === 404) return new NotFoundError(text, options);
  return new MlhError(text, options);
}

/**
 * Creates the core transport for the TikTok Shop Open API: signs every attempt, adds `app_key`,
 * `timestamp` and `shop_cipher`, puts the token in `x-tts-access-token`, and maps the envelope's
 * `code` to core errors (`105002` is an `AuthenticationError`, so the transport refreshes the token
 * and replays once).
 *
 * @example
 * const transport = createTikTokTransport({
 *   appKey: process.env.TIKTOK_APP_KEY!,
 *   appSecret: process.env.TIKTOK_APP_SECRET!,
 *   tokens: tokenManager,
 *   rateLimits: { read: { perSecond: 5 }, write: { perSecond: 2 } },
 * });
 */
export function createTikTokTransport(options: TikTokTransportOptions): Transport {
  const { appKey, appSecret, baseUrl, tokens, shopCipher, isShopScoped, emptyBodySignature, ...passThrough } =
    options;
  const apiBaseUrl = baseUrl ?? TIKTOK_API_BASE_URL;
  return createTransport({
    requestIdHeaders: ['x-tt-logid', 'x-request-id'],
    ...passThrough,
    marketplace: TIKTOK,
    baseUrl: apiBaseUrl,
    ...(tokens ? { tokens } : {}),
    applyAccessToken: applyTikTokAccessToken,
    sign: createTikTokSigner({
      appKey,
      appSecret,
      baseUrl: apiBaseUrl,
      ...(shopCipher ? { shopCipher } : {}),
      ...(isShopScoped ? { isShopScoped } : {}),
      ...(emptyBodySignature ? { emptyBodySignature } : {}),
    }),
    mapError: mapTikTokError,
  });
}

/**
 * Creates the transport of the auth host (token get / refresh): unsigned, no access token, same
 * error mapping. Used by `auth.ts`.
 */
export function createTikTokAuthTransport(
  options: TikTokPassThroughOptions & { baseUrl?: string } = {},
): Transport {
  const { baseUrl, ...passThrough } = options;
  return createTransport({
    ...passThrough,
    marketplace: TIKTOK,
    baseUrl: baseUrl ?? TIKTOK_AUTH_BASE_URL,
    mapError: mapTikTokError,
  });
}

// ---------------------------------------------------------------- calls

/** Who a call acts for: the transport, and the shop (account id) or an explicit access token. */
export interface TikTokCallContext {
  transport: Transport;
  /** The shop id: the token and the cipher are looked up for it. */
  accountId?: string | undefined;
  /**
   * A token to use as is (no token store involved), e.g. right after the code exchange, before the
   * tokens are saved.
   */
  accessToken?: string | undefined;
  /**
   * `false`: send no token, but still name `accountId` to the transport so the call counts against
   * that shop's rate limit and retry budget (a token refresh).
   */
  auth?: false | undefined;
  /** The shop's cipher when the caller knows it; otherwise the transport's resolver finds it. */
  shopCipher?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** A parsed TikTok response: the `data` and the envelope's `request_id`. */
export interface TikTokResult<T> {
  data: T;
  requestId: string | undefined;
}

/**
 * Sends one TikTok call and parses the envelope and its `data` with `schema` (unknown fields kept).
 * A non-zero `code` has already become a core error in the transport.
 */
export async function callTikTok<S extends z.core.$ZodType>(
  context: TikTokCallContext,
  request: Omit<TransportRequest, 'accountId' | 'auth' | 'signal'>,
  schema: S,
  what: string,
): Promise<TikTokResult<z.infer<S>>> {
  const headers = { ...request.headers };
  const query = { ...request.query };
  if (context.shopCipher !== undefined && query.shop_cipher === undefined)
    query.shop_cipher = context.shopCipher;
  // The transport parses losslessly: an id sent as a bare number beyond 2^53 keeps every digit.
  // Every TikTok call passes here: `Object.assign`, as `{ ...request, responseType, ... }` and any
  // property added to a spread copy take V8's slow path on Node 20 (about two microseconds).
  const sent: TransportRequest = Object.assign({}, request, {
    responseType: 'json' as const,
    query,
    headers,
  });
  if (context.accessToken !== undefined) {
    headers['x-tts-access-token'] = context.accessToken;
    sent.auth = false;
  } else {
    sent.accountId = context.accountId;
    if (context.auth === false) sent.auth = false;
  }
  if (context.signal) sent.signal = context.signal;
  const response = await context.transport.request<unknown>(sent);
  const body = response.data;
  // The transport's freshly parsed JSON: the parses may keep its objects instead of copying them.
  const envelope = parseOrThrow(TikTokEnvelope, body, `${what} response`, {
    marketplace: TIKTOK,
    owned: true,
  });
  const requestId = envelope.request_id ?? response.requestId;
  if (envelope.code !== 0) {
    throw new MlhError(`TikTok Shop ${what}: ${envelope.message ?? 'failed'} (${envelope.code})`, {
      marketplace: TIKTOK,
      code: String(envelope.code),
      requestId,
      status: response.status,
    });
  }
  const data = parseOrThrow(schema, envelope.data, `${what} response`, {
    marketplace: TIKTOK,
    path: 'data',
    owned: true,
  });
  return { data, requestId };
}
