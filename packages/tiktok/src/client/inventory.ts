import {
  assertMoneyFitsCurrency,
  type BatchFailure,
  type BatchResult,
  chunk,
  type FieldIssue,
  groupBy,
  type InventoryCapability,
  isMlhError,
  type Money,
  NotFoundError,
  type PriceUpdate,
  PriceUpdateInput,
  StockUpdateInput,
  toFieldIssues,
  ValidationError,
} from '@mlh/core';
import type * as z from 'zod/mini';
import * as productsApi from '../api/products';
import { TIKTOK } from '../mappers';
import type { TikTokItemError, TikTokSku } from '../schemas';
import { TIKTOK_LEAN_CAPABILITIES } from './capabilities';
import type { TikTokAccountContext } from './context';

/** The stock and price calls of a TikTok shop's client. */
export type TikTokInventoryCapability = InventoryCapability;

/**
 * Stock and prices, batched per product (100 SKUs a call). Each entry is checked on its own;
 * refused entries land in `failed`, the others are applied.
 */
export function inventory(ctx: TikTokAccountContext): TikTokInventoryCapability {
  const { call: context, warehouseId, writeWarehouseIsAlone } = ctx;

  /**
   * Resolves each update's SKU id, reading the product detail when an update has no SKU id or
   * when `withDetail` asks for it (stock writes need the current stock of every warehouse).
   */
  async function resolveSkuIds<U extends SkuTarget>(
    productId: string,
    updates: readonly U[],
    withDetail: boolean,
  ): Promise<{ resolved: Resolved<U>[]; failed: BatchFailure<U>[] }> {
    const resolved: Resolved<U>[] = [];
    const failed: BatchFailure<U>[] = [];
    const needsDetail = withDetail || updates.some((u) => !u.variantExternalId);
    let skus: TikTokSku[] = [];
    if (needsDetail) {
      try {
        skus = (await productsApi.getProduct(context, productId)).skus;
      } catch (error) {
        if (!isMlhError(error)) throw error;
        return { resolved, failed: updates.map((item) => ({ item, error })) };
      }
    }
    for (const update of updates) {
      const match = update.variantExternalId
        ? (skus.find((s) => s.id === update.variantExternalId) ?? { id: update.variantExternalId })
        : update.sku
          ? skus.find((s) => s.seller_sku === update.sku)
          : skus.length === 1
            ? skus[0]
            : undefined;
      if (match) resolved.push({ update, skuId: match.id, sku: match });
      else {
        failed.push({
          item: update,
          error: new NotFoundError(
            update.sku
              ? `TikTok product ${productId} has no SKU with seller SKU "${update.sku}"`
              : `TikTok product ${productId} has several SKUs: give variantExternalId or sku`,
            { marketplace: TIKTOK },
          ),
        });
      }
    }
    return { resolved, failed };
  }

  /** Splits one call's outcome into succeeded / failed items, attributing `data.errors[]` by SKU id. */
  function attribute<U>(
    entries: ReadonlyArray<{ update: U; skuId: string }>,
    response: productsApi.TikTokBatchResponse,
    operation: string,
  ): BatchResult<U> {
    const failed: BatchFailure<U>[] = [];
    const bySku = new Map<string, TikTokItemError>();
    const general: TikTokItemError[] = [];
    for (const error of response.errors) {
      const sku = productsApi.itemErrorSubject(error, 'sku_id') ?? productsApi.itemErrorSubject(error, 'id');
      if (sku) bySku.set(sku, error);
      else general.push(error);
    }
    const succeeded: U[] = [];
    for (const { update, skuId } of entries) {
      const own = bySku.get(skuId) ?? general[0];
      if (own)
        failed.push({ item: update, error: productsApi.tiktokItemError(own, response.requestId, operation) });
      else succeeded.push(update);
    }
    return { succeeded, failed };
  }

  /**
   * Checks each update on its own, then sends the valid ones grouped by product (one call per
   * product and 100 SKUs). An invalid update, an unknown SKU or a SKU TikTok refuses lands in
   * `failed` with its reason; the others are applied.
   */
  async function batchPerProduct<U extends SkuTarget>(
    updates: readonly U[],
    check: (update: U) => FieldIssue[],
    what: string,
    withDetail: boolean,
    send: (productId: string, entries: Resolved<U>[]) => Promise<productsApi.TikTokBatchResponse>,
    operation: string,
  ): Promise<BatchResult<U>> {
    const result: BatchResult<U> = { succeeded: [], failed: [] };
    const valid: U[] = [];
    for (const update of updates) {
      const issues = check(update);
      if (issues.length === 0) valid.push(update);
      else
        result.failed.push({
          item: update,
          error: new ValidationError(`Invalid ${what}`, issues, { marketplace: TIKTOK }),
        });
    }
    for (const [productId, group] of groupBy(valid, (update) => update.productExternalId)) {
      const { resolved, failed } = await resolveSkuIds(productId, group, withDetail);
      result.failed.push(...failed);
      for (const part of chunk(resolved, TIKTOK_LEAN_CAPABILITIES.maxBatch.updateInventory)) {
        try {
          const outcome = attribute(part, await send(productId, part), operation);
          result.succeeded.push(...outcome.succeeded);
          result.failed.push(...outcome.failed);
        } catch (error) {
          if (!isMlhError(error)) throw error;
          result.failed.push(...part.map(({ update }) => ({ item: update, error })));
        }
      }
    }
    return result;
  }

  const capability: TikTokInventoryCapability = {
    async updateInventory(updates) {
      if (updates.length === 0) return { succeeded: [], failed: [] };
      let warehouse: string;
      let alone: boolean;
      try {
        [warehouse, alone] = await Promise.all([warehouseId(), writeWarehouseIsAlone()]);
      } catch (error) {
        if (!isMlhError(error)) throw error;
        return { succeeded: [], failed: updates.map((item) => ({ item, error })) };
      }
      const indexed = updates.map((update, index) => ({ ...update, index }));
      const outcome = await batchPerProduct(
        indexed,
        (update) => inputIssues(StockUpdateInput, update),
        'stock update',
        // Other warehouses' stock is read only where there are others: the write carries a total.
        !alone,
        (productId, entries) =>
          productsApi.updateInventory(context, productId, {
            skus: entries.map(({ update, skuId, sku }) => ({
              id: skuId,
              inventory: tiktokInventoryRows(sku.inventory ?? [], warehouse, update.quantity),
            })),
          }),
        'product.inventory_update',
      );
      return restore(updates, outcome);
    },

    async updatePrices(updates) {
      if (updates.length === 0) return { succeeded: [], failed: [] };
      const indexed = updates.map((update, index) => ({ ...update, index }));
      const outcome = await batchPerProduct(
        indexed,
        priceIssues,
        'price update',
        false,
        (productId, entries) =>
          productsApi.updatePrices(context, productId, {
            skus: entries.map(({ update, skuId }) => ({
              id: skuId,
              price: { amount: update.price.amount, currency: update.price.currency },
            })),
          }),
        'product.price_update',
      );
      return restore(updates, outcome);
    },
  };
  return capability;
}

/** Maps the indexed copies used internally back to the caller's own update objects. */
function restore<U>(originals: readonly U[], outcome: BatchResult<{ index: number }>): BatchResult<U> {
  return {
    succeeded: outcome.succeeded.map((entry) => originals[entry.index] as U),
    failed: outcome.failed.map((failure) => ({
      item: originals[failure.item.index] as U,
      error: failure.error,
    })),
  };
}

/** What a stock or price update names: a product and one of its SKUs. */
interface SkuTarget {
  productExternalId: string;
  variantExternalId?: string | undefined;
  sku?: string | undefined;
}

/** An update with its TikTok SKU id, and the SKU as product detail returned it (when read). */
interface Resolved<U> {
  update: U;
  skuId: string;
  sku: Partial<TikTokSku>;
}

function inputIssues(schema: z.ZodMiniType, value: unknown): FieldIssue[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : toFieldIssues(parsed.error.issues);
}

/** A price update's problems: its shape, a price of zero, or more decimals than its currency has. */
function priceIssues(update: PriceUpdate): FieldIssue[] {
  const issues = inputIssues(PriceUpdateInput, update);
  return issues.length > 0 ? issues : priceAmountIssues(update.price, 'price.amount');
}

/**
 * What TikTok refuses in a well-formed price, reported at `path`: zero, or more decimals than its
 * currency has (`"19.999"` BRL), which is refused rather than rounded.
 */
export function priceAmountIssues(price: Money, path: string): FieldIssue[] {
  if (/^0+(\.0+)?$/.test(price.amount)) return [{ path, message: 'must be greater than 0' }];
  try {
    assertMoneyFitsCurrency(price, path);
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  return [];
}

/**
 * The per-warehouse rows that make a SKU's total stock `total`, given its rows now: the units are
 * added to or taken from `warehouseId`, and the other warehouses keep their stock unless the
 * total is below what they hold, in which case `warehouseId` goes to 0 and the others give up the
 * rest in the order TikTok lists them. Only the rows that are written are returned: TikTok leaves a
 * warehouse the body does not name as it is.
 *
 * @example
 * tiktokInventoryRows([{ warehouse_id: 'A', quantity: 5 }, { warehouse_id: 'B', quantity: 7 }], 'A', 20)
 * // [{ warehouse_id: 'A', quantity: 13 }]
 */
export function tiktokInventoryRows(
  current: ReadonlyArray<{ warehouse_id?: string | undefined; quantity: number }>,
  warehouseId: string,
  total: number,
): Array<{ warehouse_id: string; quantity: number }> {
  const others = current.filter(
    (row): row is { warehouse_id: string; quantity: number } =>
      row.warehouse_id !== undefined && row.warehouse_id !== warehouseId,
  );
  const held = others.reduce((sum, row) => sum + Math.max(0, row.quantity), 0);
  if (total >= held) return [{ warehouse_id: warehouseId, quantity: total - held }];
  const rows = [{ warehouse_id: warehouseId, quantity: 0 }];
  let excess = held - total;
  for (const row of others) {
    if (excess === 0) break;
    const taken = Math.min(Math.max(0, row.quantity), excess);
    if (taken === 0) continue;
    rows.push({ warehouse_id: row.warehouse_id, quantity: row.quantity - taken });
    excess -= taken;
  }
  return rows;
}
