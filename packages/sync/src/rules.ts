import { type FieldIssue, type Order, type Product, ValidationError } from '@mlh/core';
import { ORDER_STATUS_RANK, type OrderUpsertOutcome, type StockMovement, type StoredOrder } from './store';

/**
 * The rules every {@link SyncStore} applies the same way, as pure functions, so a store over SQL
 * can call them inside its transaction instead of re-deriving them.
 */

/**
 * Decides what an order upsert does. The marketplace's `updatedAt` orders versions: an older
 * incoming order is `stale`; a newer one `updated`. On equal `updatedAt` the same content is
 * `unchanged`, and different content wins only if its status is not earlier in an order's life
 * (so a late `paid` cannot undo a `cancelled` stamped with the same second).
 *
 * @example
 * decideOrderUpsert(undefined, { order, contentHash }) // 'created'
 */
export function decideOrderUpsert(
  existing: Pick<StoredOrder, 'order' | 'contentHash'> | undefined,
  incoming: { order: Order; contentHash: string },
): OrderUpsertOutcome {
  if (!existing) return 'created';
  const before = Date.parse(existing.order.updatedAt);
  const after = Date.parse(incoming.order.updatedAt);
  if (after < before) return 'stale';
  if (after > before) return 'updated';
  if (existing.contentHash === incoming.contentHash) return 'unchanged';
  return ORDER_STATUS_RANK[incoming.order.status] >= ORDER_STATUS_RANK[existing.order.status]
    ? 'updated'
    : 'stale';
}

/** The stock after applying `movement` to `current` (absent stock counts as 0). */
export function stockAfterMovement(current: number | undefined, movement: StockMovement): number {
  return 'set' in movement ? movement.set : (current ?? 0) + movement.delta;
}

/**
 * Checks movements before any is applied: keys and SKUs non-empty, `delta` a non-zero safe
 * integer, `set` a non-negative safe integer. Throws a core `ValidationError` naming each bad field.
 */
export function assertValidMovements(movements: readonly StockMovement[]): void {
  const issues: FieldIssue[] = [];
  movements.forEach((movement, index) => {
    if (!movement.key) issues.push({ path: `${index}.key`, message: 'must not be empty' });
    if (!movement.sku) issues.push({ path: `${index}.sku`, message: 'must not be empty' });
    if ('set' in movement) {
      if (!Number.isSafeInteger(movement.set) || movement.set < 0) {
        issues.push({ path: `${index}.set`, message: 'must be a whole number ≥ 0' });
      }
    } else if (!Number.isSafeInteger(movement.delta) || movement.delta === 0) {
      issues.push({ path: `${index}.delta`, message: 'must be a whole number other than 0' });
    }
  });
  if (issues.length > 0) throw new ValidationError('Invalid stock movements', issues);
}

/**
 * {@link stockAfterMovement}, refusing a result beyond ±(2^53−1): JavaScript numbers round past
 * it, so the stock would silently drift. Throws a core `ValidationError` on `<index>.delta` (or
 * `.set`), naming the SKU.
 */
export function checkedStockAfterMovement(
  current: number | undefined,
  movement: StockMovement,
  index: number,
): number {
  const next = stockAfterMovement(current, movement);
  if (Number.isSafeInteger(next)) return next;
  const field = 'set' in movement ? 'set' : 'delta';
  throw new ValidationError('Invalid stock movements', [
    {
      path: `${index}.${field}`,
      message: `would take the stock of SKU ${JSON.stringify(movement.sku)} beyond ±${Number.MAX_SAFE_INTEGER}`,
      code: 'stock_out_of_range',
    },
  ]);
}

/**
 * Checks catalog products before a store keeps them: `sku` and each variant's `sku` non-empty,
 * each variant's `quantity` (its initial stock) and the product's `quantity` whole numbers
 * from 0 to 2^53−1. Throws a core `ValidationError` naming each bad field (`0.variants.1.quantity`).
 */
export function assertValidProducts(products: readonly Product[]): void {
  const issues: FieldIssue[] = [];
  const checkQuantity = (value: unknown, path: string) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      issues.push({ path, message: `must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}` });
    }
  };
  products.forEach((product, index) => {
    if (typeof product.sku !== 'string' || product.sku === '') {
      issues.push({ path: `${index}.sku`, message: 'must not be empty' });
    }
    checkQuantity(product.quantity, `${index}.quantity`);
    (product.variants ?? []).forEach((variant, position) => {
      if (typeof variant.sku !== 'string' || variant.sku === '') {
        issues.push({ path: `${index}.variants.${position}.sku`, message: 'must not be empty' });
      }
      checkQuantity(variant.quantity, `${index}.variants.${position}.quantity`);
    });
  });
  if (issues.length > 0) throw new ValidationError('Invalid products', issues);
}
