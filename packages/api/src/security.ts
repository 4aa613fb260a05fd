import { createTokenBucketLimiter, type Logger, toFieldIssues, ValidationError } from '@mlh/core';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { ZodType } from 'zod';
import type * as z from 'zod/mini';
import type { ApiContext, ApiEnv } from './context';
import { type IdempotencyStore, requestFingerprint } from './idempotency';
import { type ApiKeyRecord, type ApiScope, findApiKey, hasScope } from './keys';
import type { ApiRateLimitOptions, CorsOptions } from './options';
import { ApiProblem, problemOf, problemResponse } from './problem';

/** Headers a browser may send and read. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-api-key'];
const EXPOSED_HEADERS = ['idempotent-replayed', 'retry-after'];

/**
 * CORS from an explicit allow-list: a request carrying any other `Origin` is refused with 403
 * before it reaches a handler (a browser would hide the answer; a forged cross-site request
 * must not run at all). Without an `Origin` header (server to server) nothing changes.
 */
export function corsGuard(options: CorsOptions | undefined): MiddlewareHandler<ApiEnv> {
  const origins = new Set(options?.origins ?? []);
  if (origins.has('*')) throw new TypeError('cors.origins must list exact origins; "*" is not allowed');
  const withHeaders = cors({
    origin: (origin) => (origins.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: options?.maxAgeSeconds ?? 600,
    credentials: options?.credentials ?? false,
  });
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && !origins.has(origin)) {
      throw new ApiProblem(403, 'permission', 'origin_not_allowed', 'This origin may not call the API');
    }
    return withHeaders(c, next);
  };
}

/** Refuses bodies over `maxBytes` with 413, whether or not `Content-Length` announced them. */
export function bodySizeGuard(maxBytes: number): MiddlewareHandler<ApiEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      problemResponse(
        problemOf(
          new ApiProblem(413, 'validation', 'body_too_large', `The request body is over ${maxBytes} bytes`),
          c.req.path,
        ),
      ),
  });
}

function presentedKey(c: ApiContext): string | undefined {
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1];
  }
  return c.req.header('x-api-key');
}

/** Authenticates the API key (`Authorization: Bearer …` or `X-API-Key`) and sets `principal`. */
export function apiKeyGuard(records: readonly ApiKeyRecord[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = presentedKey(c);
    if (key === undefined) {
      c.header('www-authenticate', 'Bearer');
      throw new ApiProblem(401, 'authentication', 'missing_api_key', 'An API key is required');
    }
    const principal = await findApiKey(records, key);
    if (!principal) {
      c.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new ApiProblem(401, 'authentication', 'invalid_api_key', 'The API key is not valid');
    }
    c.set('principal', principal);
    await next();
  };
}

/** Refuses a key without `scope` with 403. */
export function requireScope(scope: ApiScope): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (!hasScope(c.get('principal'), scope)) {
      throw new ApiProblem(403, 'permission', 'scope_required', `This API key lacks the ${scope} scope`);
    }
    await next();
  };
}

/**
 * Limits each API key through a core `RateLimiter`: a request that would have to wait is answered
 * 429 with `Retry-After` instead. Its reservation stays taken, so a client that keeps calling
 * while limited stays limited until it backs off.
 */
export function rateLimitGuard(options: ApiRateLimitOptions, clock: () => number): MiddlewareHandler<ApiEnv> {
  const limiter = options.limiter ?? createTokenBucketLimiter();
  const rule = options.rule ?? { perSecond: 10, burst: 20 };
  return async (c, next) => {
    const waitMs = await limiter.reserve(`api:${c.get('principal').keyId}`, rule, clock());
    if (waitMs > 0) {
      throw new ApiProblem(429, 'rate_limit', 'rate_limited', 'Too many requests for this API key', {
        retryAfter: Math.ceil(waitMs / 1000),
      });
    }
    await next();
  };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Makes a write safe to retry: the `Idempotency-Key` header is required; the first request with a
 * key runs and its answer is kept; a retry with the same key and the same method, path and body
 * gets that answer again (`Idempotent-Replayed: true`) without running; the same key with another
 * request is refused (422); a retry while the first is still running gets 409.
 * An answer of 5xx is not kept: the key is released so the request can be retried.
 */
export function idempotencyGuard(store: IdempotencyStore, clock: () => number): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('idempotency-key');
    if (header === undefined || !IDEMPOTENCY_KEY.test(header)) {
      throw new ApiProblem(
        400,
        'validation',
        'missing_idempotency_key',
        'This request needs an Idempotency-Key header of 1 to 255 visible ASCII characters',
      );
    }
    const key = `${c.get('principal').keyId}:${header}`;
    const fingerprint = await requestFingerprint(c.req.method, c.req.path, await c.req.text());
    const begun = await store.begin(key, fingerprint, clock());
    if (begun.state === 'mismatch') {
      throw new ApiProblem(
        422,
        'conflict',
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request',
      );
    }
    if (begun.state === 'in_progress') {
      throw new ApiProblem(
        409,
        'conflict',
        'idempotency_key_in_use',
        'A request with this Idempotency-Key is still running',
      );
    }
    if (begun.state === 'replay') {
      return new Response(begun.response.body, {
        status: begun.response.status,
        headers: { 'content-type': begun.response.contentType, 'idempotent-replayed': 'true' },
      });
    }
    c.set('idempotencyKey', key);
    try {
      await next();
    } catch (error) {
      await store.release(key);
      throw error;
    }
    if (c.res.status >= 500) {
      await store.release(key);
      return;
    }
    await store.complete(
      key,
      {
        status: c.res.status,
        body: await c.res.clone().text(),
        contentType: c.res.headers.get('content-type') ?? 'application/json',
      },
      clock(),
    );
  };
}

/** One line per request: method, path (no query), status, key id and time. Never a header or body. */
export function requestLog(logger: Logger, clock: () => number): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const startedAt = clock();
    await next();
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      keyId: c.get('principal')?.keyId,
      ms: clock() - startedAt,
    };
    if (c.res.status >= 500) logger.error('api request failed', fields);
    else logger.info('api request', fields);
  };
}

/** Parses the query with `schema`, or throws a `ValidationError` naming each bad parameter. */
export function parseQuery<S extends z.ZodMiniType>(c: ApiContext, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (parsed.success) return parsed.data as z.infer<S>;
  throw new ValidationError('Invalid query', toFieldIssues(parsed.error.issues));
}

/** Parses a JSON body with `schema`, or throws a `ValidationError` (415 when it is not JSON). */
export async function parseJsonBody<S extends z.ZodMiniType | ZodType>(
  c: ApiContext,
  schema: S,
): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiProblem(415, 'validation', 'unsupported_media_type', 'The body must be application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch {
    throw new ValidationError('Invalid body', [
      { path: '', message: 'is not valid JSON', code: 'invalid_json' },
    ]);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.infer<S>;
  throw new ValidationError('Invalid body', toFieldIssues(parsed.error.issues));
}
