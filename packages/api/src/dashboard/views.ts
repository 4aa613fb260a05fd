/**
 * The shapes the dashboard reads from the API (the routes' JSON), as far as the pages use them.
 * The API's zod schemas are the contract; these are the fields a page shows.
 */

/** `GET /accounts` item. */
export interface AccountItem {
  marketplace: string;
  accountId: string;
  label?: string;
  health: 'healthy' | 'refresh_due' | 'reauthorization_required' | 'disconnected';
  reauthorizationRequired: boolean;
  accessTokenExpiresAt?: string;
  refreshTokenExpiresAt?: string;
}

/** A listing's last failed sync step, in the API's words. */
export interface ListingError {
  stage: string;
  reason: string;
  at: string;
}

/** A catalog product's listing on one account. */
export interface ListingItem {
  marketplace: string;
  accountId: string;
  state: 'creating' | 'active';
  status?: string;
  productExternalId?: string;
  updatedAt: string;
  lastError?: ListingError;
}

/** Money as the core model writes it. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

/** `GET /products` item. */
export interface CatalogItem {
  product: {
    sku: string;
    title: string;
    price: MoneyValue;
    quantity: number;
    variants: Array<{ sku?: string; quantity: number; attributes?: Record<string, string> }>;
  };
  listings: ListingItem[];
}

/** `GET /inventory/{sku}`. */
export interface InventoryItem {
  sku: string;
  quantity: number;
  version: number;
  listings: Array<{
    marketplace: string;
    accountId: string;
    productSku: string;
    state: 'synced' | 'pending' | 'checking';
    pushedQuantity?: number;
  }>;
}

/** `POST /inventory/reconcile`. */
export interface ReconcileItem {
  checked: number;
  drift: Array<{ marketplace: string; accountId: string; sku: string; repaired: boolean }>;
  missing: unknown[];
  failed: Array<{ reason: string }>;
}

/** `GET /orders` item (core `Order`). */
export interface OrderItem {
  externalId: string;
  marketplace: string;
  accountId: string;
  status: string;
  rawStatus: string;
  paymentStatus?: string;
  buyer?: { nickname?: string; name?: string };
  items: Array<{ sku?: string; title: string; quantity: number; unitPrice: MoneyValue; total: MoneyValue }>;
  total: MoneyValue;
  trackingNumber?: string;
  shipmentIds?: string[];
  createdAt: string;
  updatedAt: string;
  paidAt?: string;
  shippedAt?: string;
  deliveredAt?: string;
  cancelledAt?: string;
}

/** A page of a listing route. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** `GET /sync/runs` item. */
export interface SyncRunItem {
  id: string;
  kind: string;
  marketplace?: string;
  accountId?: string;
  status: 'running' | 'succeeded' | 'partial' | 'failed' | 'abandoned';
  startedAt: string;
  finishedAt?: string;
  done: number;
  failed: number;
}

/** `GET /sync/failures` item. */
export interface SyncFailureItem {
  id: string;
  runId: string;
  kind: string;
  marketplace: string;
  accountId: string;
  sku?: string;
  orderId?: string;
  stage: string;
  reason: string;
  retryable: boolean;
  at: string;
  resolvedAt?: string;
}

/** `GET /alerts` item. */
export interface AlertItem {
  id: string;
  kind: string;
  severity: 'warning' | 'critical';
  marketplace: string;
  accountId: string;
  title: string;
  detail: string;
  openedAt: string;
  resolvedAt?: string;
}

/** `GET /stats`. */
export interface StatsItem {
  ordersPerDay: Array<{ day: string; marketplace: string; count: number }>;
  failuresPerDay: Array<{ day: string; count: number }>;
  ordersToday: number;
}
