import type { MarketplaceId, OrderStatus } from '@mlh/core';
import { EventEmitter } from 'eventemitter3';
import type { OrderUpsertOutcome, StockMovementResult } from './store';

/** Which orchestrator run an event belongs to. */
export type SyncRunKind =
  | 'products'
  | 'orders.poll'
  | 'orders.recover'
  | 'inventory.flush'
  | 'inventory.reconcile';

/** One thing that could not be synced, and why. Runs go on past it. */
export interface SyncFailure {
  marketplace: MarketplaceId;
  accountId: string;
  /** The catalog SKU concerned (product or variant), when there is one. */
  sku?: string | undefined;
  /** The marketplace order concerned, when there is one. */
  orderId?: string | undefined;
  /** The step that failed: `validate`, `lookup`, `create`, `update`, `status`, `price`, `stock`, `fetch`, `store`, ... */
  stage: string;
  reason: string;
  /** True when a later run may succeed without anyone changing anything. */
  retryable: boolean;
  error?: unknown;
}

/** `started`: a run began. */
export interface SyncStartedEvent {
  runId: string;
  kind: SyncRunKind;
  at: number;
  marketplace?: MarketplaceId | undefined;
  accountId?: string | undefined;
}

/** `progress`: how far a run is (`total` may grow while a poll pages). */
export interface SyncProgressEvent {
  runId: string;
  kind: SyncRunKind;
  done: number;
  total: number;
}

/** What was done to a listing. */
export type ListingAction = 'created' | 'adopted' | 'updated' | 'status' | 'unchanged';

/** `item.synced`: one listing is in sync on one marketplace account. */
export interface ItemSyncedEvent {
  runId: string;
  marketplace: MarketplaceId;
  accountId: string;
  sku: string;
  productExternalId: string;
  /** Everything done to it in this run, in order; `['unchanged']` when nothing was needed. */
  actions: ListingAction[];
}

/** `item.failed`: one item could not be synced. */
export interface ItemFailedEvent extends SyncFailure {
  runId: string;
  kind: SyncRunKind;
}

/** `order.upserted`: an order was written to the store (or found unchanged / stale). */
export interface OrderUpsertedEvent {
  marketplace: MarketplaceId;
  accountId: string;
  orderId: string;
  outcome: OrderUpsertOutcome;
  status: OrderStatus;
  /** The order's stock movements and their results (applied false: already applied before). */
  stock: StockMovementResult[];
  /** Order lines whose SKU is not in the catalog: they move no stock. */
  unmatchedLines: string[];
}

/** `stock.pushed`: a marketplace accepted a SKU's absolute stock. */
export interface StockPushedEvent {
  marketplace: MarketplaceId;
  accountId: string;
  sku: string;
  variantSku: string;
  /** What was published (the store's stock less the buffer, never below 0). */
  quantity: number;
  /** The store's stock it was computed from (may be negative when oversold). */
  stock: number;
  version: number;
}

/** `stock.oversold`: a SKU's stock went below zero; 0 is published meanwhile. */
export interface StockOversoldEvent {
  sku: string;
  quantity: number;
  version: number;
}

/** `stock.drift`: a marketplace showed another stock than the store says it should. */
export interface StockDriftEvent {
  marketplace: MarketplaceId;
  accountId: string;
  sku: string;
  variantSku: string;
  marketplaceQuantity: number;
  expectedQuantity: number;
}

/** `finished`: a run ended; `summary` is the same value the run's promise resolves with. */
export interface SyncFinishedEvent<S = unknown> {
  runId: string;
  kind: SyncRunKind;
  summary: S;
}

/** Every event the orchestrators emit, with its payload. */
export interface SyncEventMap {
  started: [SyncStartedEvent];
  progress: [SyncProgressEvent];
  'item.synced': [ItemSyncedEvent];
  'item.failed': [ItemFailedEvent];
  'order.upserted': [OrderUpsertedEvent];
  'stock.pushed': [StockPushedEvent];
  'stock.oversold': [StockOversoldEvent];
  'stock.drift': [StockDriftEvent];
  finished: [SyncFinishedEvent];
}

/**
 * The typed emitter every orchestrator is. An exception thrown by a listener is swallowed (the
 * listeners after it miss that one event), so a logging bug cannot stop a sync halfway.
 *
 * @example
 * productSync.on('item.failed', (e) => log.warn(`${e.marketplace} ${e.sku}: ${e.reason}`));
 */
export class SyncEmitter extends EventEmitter<SyncEventMap> {
  /** Emits without letting a listener's exception reach the sync. */
  protected emitSafe<K extends keyof SyncEventMap>(event: K, ...args: SyncEventMap[K]): void {
    try {
      (this.emit as (event: K, ...args: SyncEventMap[K]) => boolean)(event, ...args);
    } catch {
      // A listener's failure is the listener's to report; the sync goes on.
    }
  }
}
