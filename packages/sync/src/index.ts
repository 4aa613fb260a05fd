/**
 * Product, order and inventory sync over any {@link SyncStore}; the conformance suite is in
 * `@mlh/sync/testing`.
 *
 * @module @mlh/sync
 */

export type {
  ActivityCursor,
  ActivityStore,
  AlertKind,
  AlertOpen,
  AlertRecord,
  ListingError,
  SyncFailureFilter,
  SyncFailureMatch,
  SyncFailureRecord,
  SyncRunFilter,
  SyncRunOutcome,
  SyncRunRecord,
  SyncRunStart,
  SyncRunStatus,
} from './activity';
export { syncFailureAlertKey, syncFailureId, utcDay } from './activity';
export { createMemoryActivityStore } from './activity-memory';
export type { RecordSyncActivityOptions, SyncActivityRecorder } from './activity-recorder';
export { recordSyncActivity, runOutcomeOf } from './activity-recorder';
export type { AdoptionLookup } from './adoption';
export { DEFAULT_ADOPTION_SCAN_AFTER } from './adoption';
export type {
  ItemFailedEvent,
  ItemSyncedEvent,
  ListingAction,
  OrderUpsertedEvent,
  StockDriftEvent,
  StockOversoldEvent,
  StockPushedEvent,
  SyncEventMap,
  SyncFailure,
  SyncFinishedEvent,
  SyncProgressEvent,
  SyncRunKind,
  SyncStartedEvent,
} from './events';
export { SyncEmitter } from './events';
export { canonicalJson, contentHash, contentHashSync } from './hash';
export type {
  InventoryFlushSummary,
  InventoryReconcileSummary,
  InventorySyncOptions,
  StockDrift,
} from './inventory-sync';
export { InventorySync } from './inventory-sync';
export type { MemorySyncStore, MemorySyncStoreSnapshot } from './memory-store';
export { createMemorySyncStore } from './memory-store';
export type { IngestResult, OrderPollSummary, OrderRecoverySummary, OrderSyncOptions } from './order-sync';
export { MISSED_EVENTS_STREAM, ORDER_STREAM, OrderSync } from './order-sync';
export type { PreparedListing, PrepareListing, ProductSyncOptions, ProductSyncSummary } from './product-sync';
export { listingContent, ProductSync } from './product-sync';
export type {
  ReturnIngestResult,
  ReturnLineStock,
  ReturnPollSummary,
  ReturnRestockResult,
  ReturnSyncOptions,
} from './return-restock';
export {
  planReturnMovements,
  RETURN_STREAM,
  ReturnSync,
  returnGoodsReceived,
  returnLineIds,
  returnMovementKey,
} from './return-restock';
export {
  assertValidMovements,
  assertValidProducts,
  checkedStockAfterMovement,
  decideOrderUpsert,
  stockAfterMovement,
} from './rules';
export type { SyncRuntimeOptions, SyncTimers } from './runtime';
export type { OrderLineStock, StockBuffer, StockTarget } from './stock';
export {
  DEFAULT_RESERVING_STATUSES,
  orderLineIds,
  orderMovementKey,
  planOrderMovements,
  publishedStock,
  stockLeaseKey,
} from './stock';
export {
  prefixedValidationError,
  storableIssues,
  unstorableTextReason,
  withIssuePrefix,
  withStorableInputs,
} from './storable';
export type {
  CheckpointKey,
  Lease,
  Listing,
  ListingClaim,
  ListingCompletion,
  ListingIntent,
  ListingKey,
  ListingPatch,
  ListingPush,
  ListingVariant,
  OrderKey,
  OrderUpsertInput,
  OrderUpsertOutcome,
  OrderUpsertResult,
  Page,
  StockLevel,
  StockMovement,
  StockMovementResult,
  StockPushCursor,
  StockToPush,
  StoredOrder,
  SyncStore,
} from './store';
export {
  eventClaimStore,
  findListingsByExternalIdsOf,
  ORDER_STATUS_RANK,
  resolveOrderLineSkusOf,
  upsertOrdersOf,
} from './store';
