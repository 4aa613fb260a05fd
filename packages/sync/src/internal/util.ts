import { isMlhError, type MlhErrorKind } from '@mlh/core';

/** Errors after which the marketplace surely did not apply a write (it refused it, or it was never sent). */
const REFUSED_KINDS: ReadonlySet<MlhErrorKind> = new Set([
  'validation',
  'authentication',
  'permission',
  'not_found',
  'conflict',
  'rate_limit',
  'circuit_open',
  'webhook_verification',
]);

/**
 * True when a write may or may not have happened: a timeout, a dropped connection, a 5xx, or any
 * error that is not a marketplace refusal. Such a write must be checked before it is repeated.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  return !(isMlhError(error) && REFUSED_KINDS.has(error.kind));
}

/** True when trying again later may succeed. */
export function isRetryable(error: unknown): boolean {
  return isMlhError(error) ? error.retryable || isOutcomeUnknown(error) : true;
}

/** A one-line reason for a report. @mlh errors never carry secrets in their message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
