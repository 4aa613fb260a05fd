import {
  AuthenticationError,
  ConflictError,
  MlhError,
  type MlhErrorOptions,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../errors';
import type { ErrorContext } from './types';

/**
 * The status-based error of a non-2xx response, used when the adapter's `mapError` has nothing
 * more specific: 401 → {@link AuthenticationError}, 403 → {@link PermissionError},
 * 404 → {@link NotFoundError}, 400/422 → {@link ValidationError}, 408 → {@link TimeoutError},
 * 409 → {@link ConflictError}, 429 → {@link RateLimitError}, 5xx → {@link ServerError},
 * anything else → {@link MlhError}.
 */
export function errorFromStatus(context: ErrorContext, what = 'Request'): MlhError {
  const options: MlhErrorOptions = {
    marketplace: context.marketplace,
    status: context.status,
    requestId: context.requestId,
    retryAfterMs: context.retryAfterMs,
  };
  const message = `${what} failed with HTTP ${context.status}`;
  const { status } = context;
  if (status === 401) return new AuthenticationError(`${message}: not authenticated`, options);
  if (status === 403) return new PermissionError(`${message}: permission denied`, options);
  if (status === 404) return new NotFoundError(`${message}: not found`, options);
  if (status === 400 || status === 422)
    return new ValidationError(`${message}: request refused`, [], options);
  if (status === 408) return new TimeoutError(`${message}: the server timed out`, options);
  if (status === 409) return new ConflictError(`${message}: conflict`, options);
  if (status === 429) return new RateLimitError(`${message}: rate limited`, options);
  if (status >= 500) return new ServerError(`${message}: server error`, options);
  return new MlhError(message, options);
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Fills what an adapter's error left out (marketplace, status, request id, retry-after) from the
 * response it came from. The error stays the same object, so its class and stack are kept.
 */
export function completeError(
  error: MlhError,
  context: Pick<ErrorContext, 'marketplace' | 'status' | 'requestId' | 'retryAfterMs'>,
): MlhError {
  const target = error as Writable<MlhError>;
  target.marketplace ??= context.marketplace;
  target.status ??= context.status;
  target.requestId ??= context.requestId;
  target.retryAfterMs ??= context.retryAfterMs;
  return error;
}
