import {
  type BatchResult,
  type InventoryCapability,
  MlhError,
  mapLimit,
  NotFoundError,
  type PriceUpdate,
  PriceUpdateInput,
  type StockUpdate,
  StockUpdateInput,
  toFieldIssues,
  ValidationError,
} from '@mlh/core';
import type * as z from 'zod/mini';
import * as itemsApi from '../api/items';
import { findVariation, isUserProductItem, meliPriceIssues } from '../mappers';
import type { MeliItemUpdate, MeliItemVariations, MeliVariation } from '../schemas';
import { asMlhError, ITEM_ID, type MeliAccountContext } from './context';

/** A classic variation id as an update names it: digits that a JSON number holds exactly. */
function variationIdOf(variantExternalId: string | undefined): number | undefined {
  if (variantExternalId === undefined || !/^\d+$/.test(variantExternalId)) return undefined;
  const id = Number(variantExternalId);
  return Number.isSafeInteger(id) ? id : undefined;
}

/**
 * The `variations` of a stock PUT naming only the changed variations, in the order first named;
 * a variation named twice takes its last quantity. Undefined when an update names none by id.
 */
function changedVariationsBody(
  updates: readonly StockUpdate[],
): Array<{ id: number; available_quantity: number }> | undefined {
  const quantities = new Map<number, number>();
  for (const update of updates) {
    const id = variationIdOf(update.variantExternalId);
    if (id === undefined) return undefined;
    quantities.set(id, update.quantity);
  }
  return [...quantities].map(([id, quantity]) => ({ id, available_quantity: quantity }));
}

/**
 * Stock and prices, in batches grouped by item: every variation id in each PUT, or, for stock
 * with `stockWrites: 'changed-variations'`, only the changed ones.
 */
export function inventoryCapability(ctx: MeliAccountContext): InventoryCapability {
  const { context, concurrency, multiget, stockWrites } = ctx;

  interface Entry<U> {
    update: U;
    index: number;
  }

  interface Resolved<U> extends Entry<U> {
    variation: MeliVariation | undefined;
  }

  /** How a batch reads and writes its items. */
  interface Plan<U, I extends MeliItemVariations> {
    schema: z.ZodMiniType;
    what: string;
    /** Reads the current items (up to 20 per multiget). */
    read: (itemIds: string[]) => Promise<itemsApi.MeliItemsResult<I>>;
    buildBody: (item: I, entries: Resolved<U>[]) => MeliItemUpdate | MlhError;
    checkEntry?: (item: I, update: U) => MlhError | undefined;
    /**
     * The body to send without reading the item, when the updates alone make it safe (a body
     * without `variations` deletes none); undefined sends the group through the read.
     */
    unreadBody?: (itemId: string, entries: Entry<U>[]) => MeliItemUpdate | undefined;
  }

  /**
   * Applies stock or price updates grouped by item: one PUT per item carrying every variation id
   * (a classic PUT deletes the variations it omits), after one multiget of the current items for
   * every 20 items of the batch; groups the plan's `unreadBody` covers skip the read.
   */
  async function writeGrouped<U extends StockUpdate | PriceUpdate, I extends MeliItemVariations>(
    updates: readonly U[],
    plan: Plan<U, I>,
  ): Promise<BatchResult<U>> {
    const { schema, what } = plan;
    const succeeded: Entry<U>[] = [];
    const failed: Array<{ item: U; error: MlhError; index: number }> = [];
    const groups = new Map<string, Entry<U>[]>();

    updates.forEach((update, index) => {
      const parsed = schema.safeParse(update);
      if (!parsed.success) {
        failed.push({
          item: update,
          index,
          error: new ValidationError(`Invalid ${what}`, toFieldIssues(parsed.error.issues), {
            marketplace: 'meli',
          }),
        });
        return;
      }
      const itemId =
        update.variantExternalId && ITEM_ID.test(update.variantExternalId)
          ? update.variantExternalId
          : update.productExternalId;
      if (!ITEM_ID.test(itemId)) {
        failed.push({
          item: update,
          index,
          error: new ValidationError(`Invalid ${what}`, [
            { path: 'productExternalId', message: 'not a Mercado Livre item id (e.g. MLB123)' },
          ]),
        });
        return;
      }
      const group = groups.get(itemId) ?? [];
      group.push({ update, index });
      groups.set(itemId, group);
    });

    const failGroup = (entries: Entry<U>[], error: MlhError) => {
      for (const entry of entries) failed.push({ item: entry.update, index: entry.index, error });
    };
    const put = (itemId: string, body: MeliItemUpdate) =>
      itemsApi.updateItem(context, itemId, body, { idempotent: true, operation: `items.${what}` });

    if (plan.unreadBody) {
      const unread = [...groups].flatMap(([itemId, entries]) => {
        const body = plan.unreadBody?.(itemId, entries);
        return body ? [{ itemId, entries, body }] : [];
      });
      for (const { itemId } of unread) groups.delete(itemId);
      await mapLimit(unread, concurrency, async ({ itemId, entries, body }) => {
        try {
          await put(itemId, body);
          succeeded.push(...entries);
        } catch (error) {
          // Refused: the item may have gained variations since it was listed. Read it and resolve.
          if (error instanceof ValidationError) groups.set(itemId, entries);
          else failGroup(entries, asMlhError(error));
        }
      });
    }

    let current: Map<string, I> = new Map();
    if (groups.size > 0) {
      try {
        const result = await plan.read([...groups.keys()]);
        current = new Map(result.items.map((item) => [item.id, item]));
      } catch (error) {
        for (const entries of groups.values()) failGroup(entries, asMlhError(error));
        groups.clear();
      }
    }

    await mapLimit([...groups], concurrency, async ([itemId, entries]) => {
      const item = current.get(itemId);
      if (!item) {
        failGroup(
          entries,
          new NotFoundError(`Mercado Livre item ${itemId} not found`, { marketplace: 'meli' }),
        );
        return;
      }
      const resolved: Resolved<U>[] = [];
      for (const entry of entries) {
        const { update } = entry;
        const refused = plan.checkEntry?.(item, update);
        if (refused) {
          failGroup([entry], refused);
          continue;
        }
        const pointsAtItem = update.variantExternalId === undefined || update.variantExternalId === item.id;
        if (item.variations.length > 0) {
          const variation = findVariation(item, {
            variantExternalId: pointsAtItem ? undefined : update.variantExternalId,
            sku: update.sku,
          });
          if (!variation) {
            failGroup(
              [entry],
              new NotFoundError(
                `No variation of ${item.id} matches ${update.variantExternalId ?? update.sku ?? '(none)'}`,
                {
                  marketplace: 'meli',
                },
              ),
            );
            continue;
          }
          resolved.push({ ...entry, variation });
        } else if (!pointsAtItem) {
          failGroup(
            [entry],
            new NotFoundError(`Item ${item.id} has no variation ${update.variantExternalId}`, {
              marketplace: 'meli',
            }),
          );
        } else {
          resolved.push({ ...entry, variation: undefined });
        }
      }
      if (resolved.length === 0) return;
      const body = plan.buildBody(item, resolved);
      if (body instanceof MlhError) {
        failGroup(resolved, body);
        return;
      }
      try {
        await put(item.id, body);
        succeeded.push(...resolved);
      } catch (error) {
        failGroup(resolved, asMlhError(error));
      }
    });

    return {
      succeeded: succeeded.sort((a, b) => a.index - b.index).map((entry) => entry.update),
      failed: failed.sort((a, b) => a.index - b.index).map(({ item, error }) => ({ item, error })),
    };
  }

  function updateInventory(updates: readonly StockUpdate[]): Promise<BatchResult<StockUpdate>> {
    return writeGrouped(updates, {
      schema: StockUpdateInput,
      what: 'stock',
      // Only the variation ids (and their SKUs) matter here: the read asks for nothing else.
      read: (itemIds) => itemsApi.getItemsVariations(context, itemIds, multiget),
      // Updates naming the item itself as their variant (an item without variations, or a User
      // Products item) write `available_quantity` straight away; so do updates naming their
      // variation ids when the caller chose `changed-variations`. A refusal (e.g. a variation
      // since deleted) sends the group through the read, which names every variation.
      unreadBody: (itemId, entries) => {
        if (entries.every((entry) => entry.update.variantExternalId === itemId)) {
          return { available_quantity: entries[entries.length - 1]?.update.quantity ?? 0 };
        }
        if (stockWrites !== 'changed-variations') return undefined;
        const variations = changedVariationsBody(entries.map((entry) => entry.update));
        return variations ? { variations } : undefined;
      },
      buildBody: (item, entries) => {
        if (item.variations.length === 0) {
          return { available_quantity: entries[entries.length - 1]?.update.quantity ?? 0 };
        }
        const quantities = new Map(
          entries.map((entry) => [String(entry.variation?.id), entry.update.quantity]),
        );
        return {
          variations: item.variations.map((variation) => {
            const quantity = quantities.get(String(variation.id));
            return quantity === undefined
              ? { id: variation.id }
              : { id: variation.id, available_quantity: quantity };
          }),
        };
      },
    });
  }

  function updatePrices(updates: readonly PriceUpdate[]): Promise<BatchResult<PriceUpdate>> {
    return writeGrouped(updates, {
      schema: PriceUpdateInput,
      what: 'price',
      read: (itemIds) => itemsApi.getItems(context, itemIds, multiget),
      buildBody: (item, entries) => {
        const numbers = new Map(
          entries.map((entry) => [String(entry.variation?.id ?? item.id), Number(entry.update.price.amount)]),
        );
        if (item.variations.length === 0) return { price: [...numbers.values()].pop() as number };
        const finalPrices = item.variations.map((variation) => ({
          id: variation.id,
          price: numbers.get(String(variation.id)) ?? Number(variation.price ?? item.price),
        }));
        if (!isUserProductItem(item) && new Set(finalPrices.map((variation) => variation.price)).size > 1) {
          return new ValidationError('Invalid price update', [
            {
              path: 'price.amount',
              message: `the variations of classic listing ${item.id} share one price: set the same price on all of them`,
            },
          ]);
        }
        return { variations: finalPrices };
      },
      checkEntry: (item, update) => {
        if (update.price.currency !== item.currency_id) {
          return new ValidationError('Invalid price update', [
            {
              path: 'price.currency',
              message: `item ${item.id} sells in ${item.currency_id ?? '?'}, not ${update.price.currency}`,
            },
          ]);
        }
        const issues = meliPriceIssues(update.price, 'price.amount');
        return issues.length > 0
          ? new ValidationError('Invalid price update', issues, { marketplace: 'meli' })
          : undefined;
      },
    });
  }

  return { updateInventory, updatePrices };
}
