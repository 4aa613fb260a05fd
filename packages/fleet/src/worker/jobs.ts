import type { MarketplaceId, MlhEvent } from '@mlh/core';

/** One seller account the fleet works for. */
export interface FleetAccount {
  marketplace: MarketplaceId;
  accountId: string;
}

/**
 * What a fleet job asks a worker to do for one account:
 * - `orders.sync`: recover missed notifications where the marketplace keeps them, then poll orders
 *   from the checkpoint (`OrderSync.reconcile`);
 * - `inventory.flush`: push the stock that is due to the account's listings (`InventorySync.flush`);
 * - `inventory.reconcile`: compare the listings' stock with the store's and repair drift;
 * - `webhook.event`: fetch and store the order a verified webhook named (`OrderSync.ingest`).
 */
export type FleetJobData =
  | { kind: 'orders.sync'; account: FleetAccount }
  | { kind: 'inventory.flush'; account: FleetAccount }
  | { kind: 'inventory.reconcile'; account: FleetAccount }
  | { kind: 'webhook.event'; account: FleetAccount; event: MlhEvent };

/** The kinds of {@link FleetJobData}. */
export type FleetJobKind = FleetJobData['kind'];

/** How often each account's repeatable jobs run, in milliseconds. */
export interface FleetCadence {
  /** `orders.sync`. Default 5 minutes (Shopee's poll interval; a safety net where webhooks exist). */
  ordersSyncMs?: number;
  /** `inventory.flush`: catches pushes a crash cut short. Default 1 minute. */
  inventoryFlushMs?: number;
  /** `inventory.reconcile`: repairs drift made on the marketplace's side. Default 1 hour. */
  inventoryReconcileMs?: number;
}

/**
 * The BullMQ priority of each kind (lower runs first; a kind without one runs before every kind
 * with one). A stock push and a webhook's order are what a seller's buyers wait on, so they take
 * no priority and go ahead of the background kinds: a push is not held behind a backlog of order
 * polls (an oversell risk), and a fleet under a marketplace's rate limit interleaves its reads
 * and writes instead of spending all its order polls first and all its pushes after.
 */
export const FLEET_JOB_PRIORITY: Readonly<Record<FleetJobKind, number | undefined>> = Object.freeze({
  'webhook.event': undefined,
  'inventory.flush': undefined,
  'orders.sync': 1,
  'inventory.reconcile': 2,
});

/** The default queue name shared by the web processes and the workers. */
export const DEFAULT_FLEET_QUEUE = 'mlh-sync';

/** The cadence used when {@link FleetCadence} leaves a job out. */
export const DEFAULT_FLEET_CADENCE: Required<FleetCadence> = Object.freeze({
  ordersSyncMs: 5 * 60_000,
  inventoryFlushMs: 60_000,
  inventoryReconcileMs: 60 * 60_000,
});

/** `meli:123456`: the account's name in job ids, leases and events. */
export function accountKey(account: FleetAccount): string {
  return `${account.marketplace}:${account.accountId}`;
}

/**
 * A BullMQ-safe id for a job or scheduler. BullMQ refuses `:` in custom ids, and marketplace
 * dedupe keys contain anything, so the readable key is base64url-encoded (which cannot collide).
 */
export function fleetJobId(kind: FleetJobKind, key: string): string {
  return `${kind}.${Buffer.from(key, 'utf8').toString('base64url')}`;
}
