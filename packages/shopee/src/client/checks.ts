import {
  ConflictError,
  type FieldIssue,
  type Instant,
  instantToEpochMs,
  type MlhError,
  ValidationError,
} from '@mlh/core';
import { SHOPEE } from '../transport';

/** Checks and errors shared by the capabilities of a Shopee client. */

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** A `ValidationError` of this marketplace naming each bad field. */
export function invalid(what: string, issues: FieldIssue[]): ValidationError {
  return new ValidationError(`Invalid ${what}`, issues, { marketplace: SHOPEE });
}

/** Epoch ms of a core `Instant` (Date, ISO string or epoch ms). */
export function toEpochMs(instant: Instant, path: string): number {
  const ms = instantToEpochMs(instant);
  if (ms === undefined)
    throw invalid('time', [{ path, message: 'must be a Date, an ISO 8601 string or epoch ms' }]);
  return ms;
}

/** A per-model (or per-item) refusal of a batch write's `failure_list`, as a `ConflictError`. */
export function refusal(
  operation: string,
  itemId: string,
  modelId: string,
  reason: string | null | undefined,
): MlhError {
  return new ConflictError(
    `Shopee ${operation} refused item ${itemId}${modelId !== '0' ? ` model ${modelId}` : ''}: ${reason || 'no reason given'}`,
    { marketplace: SHOPEE, code: `${operation}.failure_list` },
  );
}

/** Adds an issue when `id` is not a Shopee item id. */
export function checkId(id: string, path: string, issues: FieldIssue[]): void {
  if (typeof id !== 'string' || !/^\d+$/.test(id)) issues.push({ path, message: 'must be a Shopee item id' });
}

/** Adds an issue when `orderSn` is not a Shopee order_sn. */
export function checkOrderSn(orderSn: string, path: string, issues: FieldIssue[]): void {
  if (typeof orderSn !== 'string' || !/^[A-Za-z0-9]+$/.test(orderSn)) {
    issues.push({ path, message: 'must be a Shopee order_sn' });
  }
}
