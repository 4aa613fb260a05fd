import {
  AuthenticationError,
  isMlhError,
  type MlhError,
  type MlhErrorKind,
  ValidationError,
} from '@mlh/core';

/** Where each problem `type` points: the guide's section on errors, one anchor per kind. */
const PROBLEM_TYPE_BASE = 'https://github.com/mlh-sdk/mlh/blob/main/docs/unified-api.md#problem-';

/** The media type of every error response (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * An error response body (RFC 9457 problem details) with the SDK's error fields as extension
 * members, so a client branches on `kind` exactly as it would on `MlhError.kind`.
 */
export interface Problem {
  /** A URI naming the problem kind (the guide's section on it). */
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path the problem is about. */
  instance?: string | undefined;
  /** The SDK's error kind (`validation`, `not_found`, `rate_limit`, ...). */
  kind: MlhErrorKind;
  /** The marketplace involved, when a marketplace call failed. */
  marketplace?: string | undefined;
  /** The marketplace's own error code, or the API's (`missing_idempotency_key`, ...). */
  code?: string | undefined;
  /** The marketplace's request id, for its support. */
  requestId?: string | undefined;
  retryable: boolean;
  /** Seconds to wait before retrying, when known. */
  retryAfter?: number | undefined;
  /** Every bad field of a `validation` problem. */
  issues?: readonly { path: string; message: string; code?: string | undefined }[] | undefined;
  /** True when the seller must authorize the account again. */
  reauthorizationRequired?: boolean | undefined;
}

/**
 * An error the API answers with a chosen HTTP status, for failures of the API's own (a missing key,
 * a wrong scope, an oversized body) rather than of a marketplace call.
 */
export class ApiProblem extends Error {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The SDK error kind the problem carries. */
  readonly kind: MlhErrorKind;
  /** A machine-readable code of the API's own (`invalid_api_key`, `scope_required`, ...). */
  readonly code: string;
  /** Seconds a client waits before retrying (429), when known. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    kind: MlhErrorKind,
    code: string,
    message: string,
    options: { retryAfter?: number | undefined } = {},
  ) {
    super(message);
    this.name = 'ApiProblem';
    this.status = status;
    this.kind = kind;
    this.code = code;
    this.retryAfter = options.retryAfter;
  }
}

const TITLES: Readonly<Record<MlhErrorKind, string>> = {
  unknown: 'Internal error',
  authentication: 'Authentication failed',
  permission: 'Not permitted',
  not_found: 'Not found',
  validation: 'Invalid request',
  rate_limit: 'Too many requests',
  server: 'Marketplace server error',
  network: 'Marketplace unreachable',
  timeout: 'Marketplace timed out',
  circuit_open: 'Marketplace temporarily unavailable',
  webhook_verification: 'Webhook verification failed',
  conflict: 'Conflict',
  response_too_large: 'Marketplace response too large',
};

/**
 * The HTTP status for an SDK error from a marketplace call. The API's caller is not the one whose
 * marketplace credentials failed, so an authentication or permission failure upstream is a 502
 * (bad gateway), never a 401/403 that a client would read as "your API key is wrong".
 */
function statusOfSdkError(error: MlhError): number {
  switch (error.kind) {
    case 'validation':
      return 400;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'rate_limit':
      return 429;
    case 'timeout':
      return 504;
    case 'circuit_open':
      return 503;
    case 'authentication':
    case 'permission':
    case 'server':
    case 'network':
    case 'response_too_large':
      return 502;
    default:
      return 500;
  }
}

/**
 * The problem details for any thrown value: an {@link ApiProblem}, an SDK error (its kind, code,
 * marketplace, request id and field issues; never its body or cause, which may hold what a
 * marketplace echoed back), or anything else as an opaque 500.
 */
export function problemOf(error: unknown, instance?: string): Problem {
  if (error instanceof ApiProblem) {
    return {
      type: PROBLEM_TYPE_BASE + error.kind,
      title: TITLES[error.kind],
      status: error.status,
      detail: error.message,
      instance,
      kind: error.kind,
      code: error.code,
      retryable: error.status === 429 || error.status === 409,
      retryAfter: error.retryAfter,
    };
  }
  if (isMlhError(error)) {
    const retryAfter = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
    return {
      type: PROBLEM_TYPE_BASE + error.kind,
      title: TITLES[error.kind] ?? TITLES.unknown,
      status: statusOfSdkError(error),
      detail: error.message,
      instance,
      kind: error.kind,
      marketplace: error.marketplace,
      code: error.code,
      requestId: error.requestId,
      retryable: error.retryable,
      retryAfter,
      issues: error instanceof ValidationError ? error.issues : undefined,
      reauthorizationRequired:
        error instanceof AuthenticationError ? error.reauthorizationRequired : undefined,
    };
  }
  return {
    type: PROBLEM_TYPE_BASE + 'unknown',
    title: TITLES.unknown,
    status: 500,
    detail: 'The request failed inside the API; the server log has the details.',
    instance,
    kind: 'unknown',
    retryable: false,
  };
}

/** A `Response` carrying a problem as `application/problem+json`, with `Retry-After` when known. */
export function problemResponse(problem: Problem, headers: HeadersInit = {}): Response {
  const answer = new Headers(headers);
  answer.set('content-type', PROBLEM_CONTENT_TYPE);
  if (problem.retryAfter !== undefined) answer.set('retry-after', String(problem.retryAfter));
  // Undefined members are dropped by JSON.stringify, so the body lists only what is known.
  return new Response(JSON.stringify(problem), { status: problem.status, headers: answer });
}
