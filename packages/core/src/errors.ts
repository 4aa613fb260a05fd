/**
 * The one error taxonomy of `@mlh`. Every failure the SDK surfaces is an {@link MlhError}
 * subclass, so an application can branch on `instanceof` or on `error.kind` and read the
 * marketplace's own code, the HTTP status and the request id in one place, whatever the
 * marketplace.
 */

/** Identifies a marketplace. The three built-in ones are named; any other string is allowed. */
export type MarketplaceId = 'meli' | 'shopee' | 'tiktok' | (string & {});

/** One bad field in a {@link ValidationError}: where it is and what is wrong with it. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `variants.0.price.amount`; empty for the whole value. */
  path: string;
  message: string;
  /** A machine-readable code (zod's issue code or the marketplace's cause code). */
  code?: string;
}

/** Fields every error of the taxonomy can carry. */
export interface MlhErrorOptions {
  marketplace?: MarketplaceId | undefined;
  status?: number | undefined;
  /** The marketplace's own error code (`invalid_grant`, `error_auth`, `105002`, ...). */
  code?: string | undefined;
  requestId?: string | undefined;
  retryable?: boolean | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
  /** The marketplace's error response body as received (parsed JSON, else its text). */
  body?: unknown;
}

/** Discriminant of every error class, stable across bundles (unlike `instanceof` across copies). */
export type MlhErrorKind =
  | 'unknown'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'validation'
  | 'rate_limit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'circuit_open'
  | 'webhook_verification'
  | 'conflict'
  | 'response_too_large';

/** Base class of every error thrown by `@mlh`. Never holds a secret in its message or cause. */
export class MlhError extends Error {
  readonly kind: MlhErrorKind = 'unknown';
  readonly marketplace: MarketplaceId | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /**
   * The marketplace's error response body as received, every field of it (causes, warnings,
   * details the SDK does not model). Left out of `toJSON`, so logs do not copy what it may hold.
   */
  readonly body: unknown;

  constructor(message: string, options: MlhErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = errorName(new.target);
    this.marketplace = options.marketplace;
    this.status = options.status;
    this.code = options.code;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.body = options.body;
  }

  /** A plain object for structured logs: no stack, no cause chain, no secrets. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      marketplace: this.marketplace,
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/** 401, or an expired / revoked / invalid token or grant. */
export class AuthenticationError extends MlhError {
  override readonly kind = 'authentication';
  /** True when the seller must go through the authorization flow again (refresh is impossible). */
  readonly reauthorizationRequired: boolean;
  /** The account whose credentials failed, when known. */
  readonly accountId: string | undefined;

  constructor(
    message: string,
    options: MlhErrorOptions & { reauthorizationRequired?: boolean; accountId?: string | undefined } = {},
  ) {
    super(message, options);
    this.reauthorizationRequired = options.reauthorizationRequired ?? false;
    this.accountId = options.accountId;
  }
}

/** 403: the token is valid but lacks a scope or the seller lacks a permission. */
export class PermissionError extends MlhError {
  override readonly kind = 'permission';
}

/** 404: the resource does not exist (or is not visible to this account). */
export class NotFoundError extends MlhError {
  override readonly kind = 'not_found';
}

/** 409 or a marketplace-level conflict (the resource changed, a duplicate exists). */
export class ConflictError extends MlhError {
  override readonly kind = 'conflict';
}

/** Invalid input or output: lists each bad field with its path. */
export class ValidationError extends MlhError {
  override readonly kind = 'validation';
  readonly issues: readonly FieldIssue[];

  constructor(message: string, issues: readonly FieldIssue[], options: MlhErrorOptions = {}) {
    super(ValidationError.describe(message, issues), options);
    this.issues = issues;
  }

  private static describe(message: string, issues: readonly FieldIssue[]): string {
    if (issues.length === 0) return message;
    const shown = issues.slice(0, 10).map((i) => `${i.path || '(root)'}: ${i.message}`);
    const more = issues.length > 10 ? `; and ${issues.length - 10} more` : '';
    return `${message}: ${shown.join('; ')}${more}`;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** 429 or a marketplace's rate-limit code. `retryAfterMs` says when to try again, when known. */
export class RateLimitError extends MlhError {
  override readonly kind = 'rate_limit';
  constructor(message: string, options: MlhErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** 5xx: the marketplace failed. Retryable when the request is safe to repeat. */
export class ServerError extends MlhError {
  override readonly kind = 'server';
  constructor(message: string, options: MlhErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** The connection failed before a response arrived. */
export class NetworkError extends MlhError {
  override readonly kind = 'network';
  constructor(message: string, options: MlhErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** The request did not complete in time; a write's outcome is then unknown. */
export class TimeoutError extends MlhError {
  override readonly kind = 'timeout';
  constructor(message: string, options: MlhErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** The circuit breaker for a host is open: the request was not sent. */
export class CircuitOpenError extends MlhError {
  override readonly kind = 'circuit_open';
  constructor(message: string, options: MlhErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/**
 * A response body was larger than the transport's `maxResponseBytes`: reading stopped at the
 * limit, so memory never grew past it. Not retryable (the same request would get the same body);
 * raise the limit for that call (`maxResponseBytes` on the request) or page through smaller results.
 */
export class ResponseTooLargeError extends MlhError {
  override readonly kind = 'response_too_large';
  /** The limit that was exceeded, in bytes. */
  readonly limitBytes: number;
  /** Origin and path of the request (never the query, which may carry credentials). */
  readonly url: string;

  constructor(message: string, options: MlhErrorOptions & { limitBytes: number; url: string }) {
    super(message, { ...options, retryable: false });
    this.limitBytes = options.limitBytes;
    this.url = options.url;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limitBytes: this.limitBytes, url: this.url };
  }
}

/** A webhook failed verification. `reason` says why in a machine-readable word. */
export class WebhookVerificationError extends MlhError {
  override readonly kind = 'webhook_verification';
  readonly reason: string;
  constructor(reason: string, message?: string, options: MlhErrorOptions = {}) {
    super(message ?? `Webhook verification failed: ${reason}`, options);
    this.reason = reason;
  }
}

/**
 * The `name` of an error class. Core's classes are named here, not read from the class, because
 * bundlers and minifiers rename classes (`_ValidationError`, `e`) and `error.name` is what logs
 * and `toJSON()` show. A subclass defined elsewhere keeps its own class name.
 */
function errorName(target: abstract new (...args: never[]) => MlhError): string {
  switch (target) {
    case MlhError:
      return 'MlhError';
    case AuthenticationError:
      return 'AuthenticationError';
    case PermissionError:
      return 'PermissionError';
    case NotFoundError:
      return 'NotFoundError';
    case ConflictError:
      return 'ConflictError';
    case ValidationError:
      return 'ValidationError';
    case RateLimitError:
      return 'RateLimitError';
    case ServerError:
      return 'ServerError';
    case NetworkError:
      return 'NetworkError';
    case TimeoutError:
      return 'TimeoutError';
    case CircuitOpenError:
      return 'CircuitOpenError';
    case WebhookVerificationError:
      return 'WebhookVerificationError';
    default:
      return target.name;
  }
}

/** True for any error of the `@mlh` taxonomy, even from another copy of the package. */
export function isMlhError(value: unknown): value is MlhError {
  return (
    value instanceof MlhError ||
    (value instanceof Error && typeof (value as { kind?: unknown }).kind === 'string' && 'retryable' in value)
  );
}
