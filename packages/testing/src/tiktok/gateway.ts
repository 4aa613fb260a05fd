/**
 * The open API host's front door: every check the real gateway makes before an endpoint runs
 * (reference §2, §3, §5), in this order: route, app key, rate limit, sign, timestamp, body format,
 * signature, legacy params, access token, scope, shop cipher. Then the endpoint, in TikTok's envelope.
 */
import { timingSafeEqual } from '@mlh/core';
import * as z from 'zod';
import type { FaultInjector } from '../shared/faults';
import { type CallCounter, json } from '../shared/http';
import type { RateLimitGate } from '../shared/rate-limit';
import type { TikTokSandboxContext } from './context';
import { TIKTOK_SANDBOX_ERRORS, TikTokApiError, tiktokError } from './errors';
import { isMultipart, signTikTokRequest } from './signing';
import type { TikTokSandboxAccessToken, TikTokSandboxApp, TikTokSandboxShop } from './state';
import { authorizationKey } from './state';

/** One API call that passed the gateway's checks. */
export interface TikTokCall {
  context: TikTokSandboxContext;
  request: Request;
  query: URLSearchParams;
  /** Path parameters by the names in the route template. */
  params: Record<string, string>;
  /** Parsed JSON body (`{}` when there is none). */
  body: unknown;
  /** Parts of a multipart body. */
  form: FormData | undefined;
  app: TikTokSandboxApp;
  token: TikTokSandboxAccessToken;
  /** The shop `shop_cipher` addresses, on shop-scoped routes. */
  shop: TikTokSandboxShop | undefined;
}

/** One endpoint the sandbox serves. */
export interface TikTokRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template: `/product/202309/products/{product_id}`. */
  path: string;
  /** The scope (API package) a token needs. */
  scope: string;
  /** Whether `shop_cipher` must be sent, or must not be (reference §2.2). */
  shopCipher: 'required' | 'forbidden';
  /** An upload: multipart body, left out of the signature. */
  multipart?: boolean;
  handle(call: TikTokCall): unknown;
}

/** Throws unless the route is shop-scoped and the shop was resolved. */
export function shopOf(call: TikTokCall): TikTokSandboxShop {
  if (!call.shop) throw tiktokError('shopCipherMissing');
  return call.shop;
}

/** Validates a body (or any input) against a schema; failures become 36009004 naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
    return `${where}: ${issue.message}`;
  });
  throw tiktokError('invalidParam', `Invalid parameter. ${problems.join('; ')}`);
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const expected = template.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < expected.length; index += 1) {
    const part = expected[index] ?? '';
    const value = actual[index] ?? '';
    if (part.startsWith('{') && part.endsWith('}')) {
      if (value === '') return undefined;
      params[part.slice(1, -1)] = decodeURIComponent(value);
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}

/** A `request_id` shaped like TikTok's: `YYYYMMDDHHMMSS` + upper-case hex. */
export function createRequestIds(context: TikTokSandboxContext): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    const stamp = new Date(context.clock.now()).toISOString().replace(/\D/g, '').slice(0, 14);
    return `${stamp}${counter.toString(16).toUpperCase().padStart(18, '0')}`;
  };
}

/** The TikTok envelope as a Response; errors carry no `data`. */
export function envelopeResponse(
  requestId: string,
  outcome: { data: unknown } | { error: TikTokApiError },
): Response {
  const headers = { 'x-tt-logid': requestId };
  if ('error' in outcome) {
    const { error } = outcome;
    return json(
      { code: error.code, message: error.message, request_id: requestId },
      { status: error.status, headers: { ...headers, ...error.headers } },
    );
  }
  return json({ code: 0, message: 'Success', request_id: requestId, data: outcome.data ?? {} }, { headers });
}

/** An id-like key (`id`, `order_id`, ...) with a digits-only string value; not the seller's own `external_*` ids. */
const ID_STRING = /"((?!external_)(?:[a-z_]*_)?id)":"(\d+)"/g;

/**
 * The same answer with every id written as a bare JSON number (`"id":1729592969712207008`), as
 * some real TikTok payloads do: a client must read such ids without losing digits beyond 2^53.
 */
async function withNumericIds(response: Response): Promise<Response> {
  const text = (await response.text()).replace(ID_STRING, '"$1":$2');
  return new Response(text, { status: response.status, headers: response.headers });
}

/** Turns anything thrown by a handler into a TikTok error (unexpected ones become 36009003). */
export function asApiError(error: unknown): TikTokApiError {
  if (error instanceof TikTokApiError) return error;
  const message = error instanceof Error ? error.message : 'Internal error';
  return new TikTokApiError(TIKTOK_SANDBOX_ERRORS.internalError, `Internal error: ${message}`);
}

/** Shared services of the front door. */
export interface TikTokGatewayServices {
  context: TikTokSandboxContext;
  routes: readonly TikTokRoute[];
  rateLimit: RateLimitGate;
  /** The app-wide bucket (every shop of one app key), checked after the app × shop one. */
  appRateLimit?: RateLimitGate;
  calls: CallCounter;
  faults: FaultInjector;
  requestId: () => string;
}

function checkTimestamp(context: TikTokSandboxContext, raw: string | null): void {
  if (raw === null || raw === '') throw tiktokError('invalidParam', 'timestamp is required');
  if (!/^\d+$/.test(raw)) throw tiktokError('invalidParam', 'timestamp is invalid');
  const drift = Math.abs(context.nowSeconds() - Number(raw));
  if (drift > context.settings.timestampToleranceSeconds) {
    throw tiktokError('invalidParam', 'timestamp is invalid: it must be within 5 minutes of the server time');
  }
}

function resolveToken(context: TikTokSandboxContext, app: TikTokSandboxApp, header: string | null) {
  if (header === null || header.trim() === '') {
    throw tiktokError('invalidParam', 'x-tts-access-token is invalid: the header is missing');
  }
  const token = context.state.accessTokens.get(header.trim());
  if (!token || token.appKey !== app.appKey) throw tiktokError('accessTokenInvalid');
  const authorization = context.state.authorizations.get(authorizationKey(token.appKey, token.openId));
  if (!authorization || authorization.revoked) throw tiktokError('accessTokenInvalid');
  if (context.nowSeconds() >= token.expiresAt) throw tiktokError('accessTokenExpired');
  return { token, scopes: authorization.scopes };
}

function resolveShop(
  context: TikTokSandboxContext,
  route: TikTokRoute,
  cipher: string | null,
  openId: string,
): TikTokSandboxShop | undefined {
  if (route.shopCipher === 'forbidden') {
    if (cipher !== null) throw tiktokError('invalidParam', 'shop_cipher is not required for this api');
    return undefined;
  }
  if (cipher === null || cipher === '') throw tiktokError('shopCipherMissing');
  const shop = [...context.state.shops.values()].find((candidate) => candidate.cipher === cipher);
  if (!shop) throw tiktokError('invalidParam', 'shop_cipher is invalid');
  if (shop.openId !== openId) throw tiktokError('shopNotAuthorized');
  return shop;
}

async function readBody(
  request: Request,
  route: TikTokRoute,
): Promise<{ text: string; form: FormData | undefined }> {
  const contentType = request.headers.get('content-type');
  if (route.multipart) {
    if (!isMultipart(contentType)) {
      throw tiktokError('invalidContentType', 'content-type must be multipart/form-data for this api');
    }
    try {
      return { text: '', form: await request.formData() };
    } catch {
      throw tiktokError('invalidBody', 'Invalid body format: the multipart body cannot be read');
    }
  }
  const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  if (text !== '') {
    const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
    if (media !== 'application/json') {
      throw tiktokError('invalidContentType', 'content-type must be application/json');
    }
  }
  return { text, form: undefined };
}

function parseJsonBody(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw tiktokError('invalidBody', 'Invalid body format: the body is not valid JSON');
  }
}

/** True for a body that is a JSON object with no keys: what the official Node sample leaves unsigned. */
function isEmptyJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return (
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
    );
  } catch {
    return false;
  }
}

/**
 * Checks `sign` over the exact bytes received. A body of `{}` may instead be left out of the
 * signed string, as TikTok's Node sample does, when `emptyBodySignature` allows it: the server's
 * own treatment is undocumented.
 */
async function signatureMatches(
  context: TikTokSandboxContext,
  sign: string,
  appSecret: string,
  url: URL,
  text: string,
  request: Request,
): Promise<boolean> {
  const input = {
    appSecret,
    path: url.pathname,
    query: url.searchParams,
    contentType: request.headers.get('content-type') ?? undefined,
  };
  const mode = context.settings.emptyBodySignature;
  const empty = !isMultipart(input.contentType) && isEmptyJsonObject(text);
  if (!empty || mode !== 'skipped') {
    if (timingSafeEqual(sign, await signTikTokRequest({ ...input, body: text }))) return true;
  }
  return empty && mode !== 'bytes' && timingSafeEqual(sign, await signTikTokRequest({ ...input, body: '' }));
}

async function runChecks(
  services: TikTokGatewayServices,
  request: Request,
  route: TikTokRoute,
  params: Record<string, string>,
) {
  const { context } = services;
  const url = new URL(request.url);
  const query = url.searchParams;
  const appKey = query.get('app_key');
  const app = appKey === null ? undefined : context.state.apps.get(appKey);
  if (!app) throw tiktokError('invalidParam', 'app_key is invalid');

  const limits: [RateLimitGate | undefined, string][] = [
    [services.rateLimit, `${app.appKey}|${query.get('shop_cipher') ?? ''}`],
    [services.appRateLimit, app.appKey],
  ];
  for (const [gate, limitKey] of limits) {
    if (!gate || gate.take(limitKey)) continue;
    const seconds = Math.max(1, Math.ceil(gate.retryAfterMs(limitKey) / 1000));
    throw new TikTokApiError(TIKTOK_SANDBOX_ERRORS.tooManyRequests, undefined, {
      'retry-after': String(seconds),
    });
  }

  const sign = query.get('sign');
  if (sign === null || sign === '') throw tiktokError('invalidParam', 'sign is required');
  checkTimestamp(context, query.get('timestamp'));
  const { text, form } = await readBody(request, route);
  if (!(await signatureMatches(context, sign, app.appSecret, url, text, request))) {
    throw tiktokError('signInvalid');
  }

  if (context.settings.rejectShopIdParam && query.has('shop_id')) {
    throw tiktokError('invalidParam', 'shop_id is invalid: use shop_cipher with this api version');
  }
  const { token, scopes } = resolveToken(context, app, request.headers.get('x-tts-access-token'));
  if (!scopes.includes(route.scope)) throw tiktokError('scopeMissing');
  const shop = resolveShop(context, route, query.get('shop_cipher'), token.openId);
  const body = parseJsonBody(text);
  const call: TikTokCall = { context, request, query, params, body, form, app, token, shop };
  return call;
}

/** Handles one request to the open API host: checks, then the endpoint, in TikTok's envelope. */
export function createGateway(services: TikTokGatewayServices): (request: Request) => Promise<Response> {
  return async (request) => {
    const path = new URL(request.url).pathname;
    const candidates = services.routes
      .map((route) => ({ route, params: matchTemplate(route.path, path) }))
      .filter(
        (entry): entry is { route: TikTokRoute; params: Record<string, string> } =>
          entry.params !== undefined,
      );
    const matched = candidates.find((entry) => entry.route.method === request.method.toUpperCase());
    services.calls.count(matched ? matched.route.path : path);
    return services.faults.run(request, async () => {
      const requestId = services.requestId();
      try {
        if (!matched) {
          throw tiktokError(candidates.length > 0 ? 'invalidMethod' : 'invalidPath');
        }
        const call = await runChecks(services, request, matched.route, matched.params);
        const data = await matched.route.handle(call);
        const response = envelopeResponse(requestId, { data });
        return services.context.settings.numericIds ? withNumericIds(response) : response;
      } catch (error) {
        return envelopeResponse(requestId, { error: asApiError(error) });
      }
    });
  };
}

/** Zod schema of a Unix-seconds filter value. */
export const unixSeconds = z.number().int().nonnegative();
