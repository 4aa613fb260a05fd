import {
  type AuthenticationError,
  type BatchFailure,
  type BatchResult,
  chunk,
  compareDecimal,
  type FieldIssue,
  groupBy,
  type InventoryCapability,
  isMlhError,
  type MlhError,
  NotFoundError,
  type PriceUpdate,
  PriceUpdateInput,
  type StockUpdate,
  StockUpdateInput,
  toFieldIssues,
} from '@mlh/core';
import * as productsApi from '../api/products';
import { shopeePriceProblem } from '../mappers';
import type { ShopeeModelBatchResponse } from '../schemas';
import { SHOPEE, SHOPEE_LIMITS } from '../transport';
import { checkId, invalid, refusal } from './checks';
import type { ShopeeAccountContext } from './context';

/**
 * A batch failure that stops every later call too: a bug (not an `MlhError`), an account that must
 * be re-authorized, or credentials or permissions refused (every later call would be refused alike).
 */
function isFatal(error: unknown): boolean {
  return (
    !isMlhError(error) ||
    error.kind === 'permission' ||
    (error.kind === 'authentication' && (error as AuthenticationError).reauthorizationRequired === true)
  );
}

/** The batch result with both lists in the order the updates were given. */
function inInputOrder<T>(updates: readonly T[], result: BatchResult<T>): BatchResult<T> {
  const position = new Map<T, number>();
  updates.forEach((update, index) => {
    if (!position.has(update)) position.set(update, index);
  });
  const at = (item: T) => position.get(item) ?? Number.MAX_SAFE_INTEGER;
  return {
    succeeded: [...result.succeeded].sort((a, b) => at(a) - at(b)),
    failed: [...result.failed].sort((a, b) => at(a.item) - at(b.item)),
  };
}
interface ModelTarget<T> {
  update: T;
  modelId: string;
}

/** The stock and price calls of a Shopee client. */
export type ShopeeInventory = InventoryCapability;

/** Writes stock and prices per model, in calls of the API's maximum, reporting every entry. */
export function inventoryCapability(ctx: ShopeeAccountContext): ShopeeInventory {
  const { scope, shopCurrency } = ctx;

  /** Resolves each update's model id (by variant id, else by SKU through get_model_list). */
  async function resolveModels<
    T extends { productExternalId: string; variantExternalId?: string | undefined; sku?: string | undefined },
  >(itemId: string, updates: readonly T[], failed: BatchFailure<T>[]): Promise<ModelTarget<T>[]> {
    const needsLookup = updates.some((update) => !update.variantExternalId && update.sku);
    const models = needsLookup ? ((await productsApi.getModelList(scope, itemId)).model ?? []) : [];
    const targets: ModelTarget<T>[] = [];
    for (const update of updates) {
      if (update.variantExternalId) {
        targets.push({ update, modelId: update.variantExternalId });
        continue;
      }
      if (!update.sku || models.length === 0) {
        targets.push({ update, modelId: '0' });
        continue;
      }
      const model = models.find((candidate) => candidate.model_sku?.trim() === update.sku?.trim());
      if (model) targets.push({ update, modelId: model.model_id });
      else {
        failed.push({
          item: update,
          error: new NotFoundError(`Shopee item ${itemId} has no model with SKU ${update.sku}`, {
            marketplace: SHOPEE,
          }),
        });
      }
    }
    return targets;
  }

  async function runModelBatches<
    T extends { productExternalId: string; variantExternalId?: string | undefined; sku?: string | undefined },
  >(
    updates: readonly T[],
    operation: 'update_stock' | 'update_price',
    send: (itemId: string, targets: ModelTarget<T>[]) => Promise<ShopeeModelBatchResponse>,
  ): Promise<BatchResult<T>> {
    const result: BatchResult<T> = { succeeded: [], failed: [] };
    let stopped: MlhError | undefined;
    let sentAny = false;
    const fail = (items: readonly T[], error: MlhError) => {
      for (const item of items) result.failed.push({ item, error });
    };
    for (const [itemId, group] of groupBy(updates, (update) => update.productExternalId)) {
      if (stopped) {
        fail(group, stopped);
        continue;
      }
      let targets: ModelTarget<T>[];
      try {
        targets = await resolveModels(itemId, group, result.failed);
      } catch (error) {
        if (isFatal(error) && !sentAny) throw error;
        if (isFatal(error)) stopped = error as MlhError;
        fail(group, error as MlhError);
        continue;
      }
      // One entry per model: the last update of a model wins, earlier ones share its outcome.
      const lastByModel = new Map<string, ModelTarget<T>>();
      for (const target of targets) lastByModel.set(target.modelId, target);
      // One call per chunk of the API's maximum, so a failed call is reported for its own models:
      // the chunks before it were applied, and the ones after it are still sent.
      for (const part of chunk([...lastByModel.values()], SHOPEE_LIMITS.modelBatchEntries)) {
        const models = new Set(part.map((target) => target.modelId));
        const covered = targets.filter((target) => models.has(target.modelId));
        if (stopped) {
          fail(
            covered.map((target) => target.update),
            stopped,
          );
          continue;
        }
        let response: ShopeeModelBatchResponse;
        try {
          response = await send(itemId, part);
        } catch (error) {
          if (isFatal(error) && !sentAny) throw error;
          if (isFatal(error)) stopped = error as MlhError;
          fail(
            covered.map((target) => target.update),
            error as MlhError,
          );
          continue;
        }
        sentAny = true;
        const failures = response.failure_list ?? [];
        for (const target of covered) {
          const failure = failures.find((entry) => (entry.model_id ?? target.modelId) === target.modelId);
          if (failure) {
            result.failed.push({
              item: target.update,
              error: refusal(operation, itemId, target.modelId, failure.failed_reason),
            });
          } else {
            result.succeeded.push(target.update);
          }
        }
      }
    }
    return inInputOrder(updates, result);
  }

  /**
   * Splits a batch into the updates that can be sent and those refused before sending, each with
   * a `ValidationError` naming its bad fields (paths inside the update): the core shape, then
   * Shopee's own rules (numeric item and model ids, ...) on the fields the shape did not refuse.
   */
  function checkUpdates<U extends StockUpdate | PriceUpdate>(
    updates: readonly U[],
    schema: typeof StockUpdateInput | typeof PriceUpdateInput,
    what: string,
    check: (update: U, issues: FieldIssue[]) => void = () => {},
  ): { valid: U[]; refused: BatchFailure<U>[] } {
    const valid: U[] = [];
    const refused: BatchFailure<U>[] = [];
    for (const update of updates) {
      const parsed = schema.safeParse(update);
      const shape = parsed.success ? [] : toFieldIssues(parsed.error.issues);
      const own: FieldIssue[] = [];
      checkId(update?.productExternalId, 'productExternalId', own);
      if (update?.variantExternalId !== undefined && !/^\d+$/.test(update.variantExternalId)) {
        own.push({ path: 'variantExternalId', message: 'must be a Shopee model id' });
      }
      if (parsed.success) check(update, own);
      const isRefused = (issue: FieldIssue) =>
        shape.some((bad) => issue.path === bad.path || issue.path.startsWith(`${bad.path}.`));
      const issues = [...shape, ...own.filter((issue) => !isRefused(issue))];
      if (issues.length > 0) refused.push({ item: update, error: invalid(what, issues) });
      else valid.push(update);
    }
    return { valid, refused };
  }

  async function updateInventory(updates: readonly StockUpdate[]): Promise<BatchResult<StockUpdate>> {
    const { valid, refused } = checkUpdates(updates, StockUpdateInput, 'stock update');
    const result = await runModelBatches(valid, 'update_stock', (itemId, targets) =>
      productsApi.updateStock(
        scope,
        itemId,
        targets.map((target) => ({
          modelId: target.modelId,
          sellerStock: [{ stock: target.update.quantity }],
        })),
      ),
    );
    return inInputOrder(updates, { succeeded: result.succeeded, failed: [...refused, ...result.failed] });
  }

  async function updatePrices(updates: readonly PriceUpdate[]): Promise<BatchResult<PriceUpdate>> {
    const { valid, refused } = checkUpdates(updates, PriceUpdateInput, 'price update', (update, issues) => {
      const { price } = update;
      if (compareDecimal(price.amount, '0') <= 0) {
        issues.push({ path: 'price.amount', message: 'must be greater than 0' });
      }
      if (shopCurrency && price.currency !== shopCurrency) {
        issues.push({ path: 'price.currency', message: `the shop sells in ${shopCurrency}` });
      }
      const problem = shopeePriceProblem(price);
      if (problem) issues.push({ path: 'price.amount', message: `${problem} (refused, not rounded)` });
    });
    const result = await runModelBatches(valid, 'update_price', (itemId, targets) =>
      productsApi.updatePrice(
        scope,
        itemId,
        targets.map((target) => ({ modelId: target.modelId, originalPrice: target.update.price.amount })),
      ),
    );
    return inInputOrder(updates, { succeeded: result.succeeded, failed: [...refused, ...result.failed] });
  }

  return { updateInventory, updatePrices };
}
