import { MemoryTokenStore, NotFoundError, ValidationError } from '@mlh/core';
import { createMeliSandbox, type MeliSandbox, type MeliSandboxBehaviour } from '@mlh/testing';
import { describe, expect, it } from 'vitest';
import { createMeli, type MeliClient, type MeliStockWrites } from '../src/index';
import { sandboxMeliOptions, storeSandboxTokens, teeVariation, useServer } from './support';

/**
 * `stockWrites`: whether a classic item's stock PUT names every variation (read first) or only the
 * changed ones. Whether Mercado Livre deletes the variations a stock-only PUT omits is uncertain,
 * so each mode runs against a sandbox that deletes them (the default) and one that keeps them.
 */

const server = useServer();

const variations = [teeVariation('P', 5), teeVariation('M', 3), teeVariation('G', 2)];

interface Setup {
  sandbox: MeliSandbox;
  client: MeliClient;
  itemId: string;
  /** Variation ids of the item, in order. */
  ids: string[];
  /** Calls made to `route` since the setup. */
  calls(route: 'GET /items/bulk' | 'PUT /items/:id'): number;
}

/** A sandbox with one classic item of three variations, and a client writing stock in `stockWrites` mode. */
async function setup(
  stockWrites: MeliStockWrites | undefined,
  behaviour: Partial<MeliSandboxBehaviour> = {},
): Promise<Setup> {
  const sandbox = createMeliSandbox({ behaviour });
  server.use(...sandbox.handlers);
  const seller = sandbox.addSeller();
  const store = new MemoryTokenStore();
  await storeSandboxTokens(sandbox, store, seller.id);
  const meli = createMeli(sandboxMeliOptions(sandbox, store));
  const client = meli.forAccount(String(seller.id), stockWrites === undefined ? {} : { stockWrites });
  const item = sandbox.addItem({ sellerId: seller.id, title: 'Camiseta', variations });
  const before = sandbox.stats().byPath;
  return {
    sandbox,
    client,
    itemId: item.id,
    ids: item.variations.map((variation) => String(variation.id)),
    calls: (route) => (sandbox.stats().byPath[route] ?? 0) - (before[route] ?? 0),
  };
}

/** `[variation id, available_quantity]` of each variation the sandbox holds for the item. */
function stockOf({ sandbox, itemId }: Setup): Array<[string, number]> {
  return (sandbox.getItem(itemId)?.variations ?? []).map((variation) => [
    String(variation.id),
    variation.available_quantity,
  ]);
}

describe("stockWrites: 'every-variation' (default)", () => {
  it('reads the item and names every variation, so the others keep their stock even where a PUT deletes', async () => {
    const run = await setup(undefined);
    const [small, medium, large] = run.ids as [string, string, string];

    const result = await run.client.updateInventory([
      { productExternalId: run.itemId, variantExternalId: medium, quantity: 9 },
    ]);

    expect(result.failed).toEqual([]);
    expect([run.calls('GET /items/bulk'), run.calls('PUT /items/:id')]).toEqual([1, 1]);
    expect(stockOf(run)).toEqual([
      [small, 5],
      [medium, 9],
      [large, 2],
    ]);
  });
});

describe("stockWrites: 'changed-variations'", () => {
  it('writes the changed variations without a read; an account that keeps omitted variations keeps the others', async () => {
    const run = await setup('changed-variations', { stockOnlyPutKeepsOmittedVariations: true });
    const [small, medium, large] = run.ids as [string, string, string];

    const result = await run.client.updateInventory([
      { productExternalId: run.itemId, variantExternalId: medium, quantity: 9 },
      { productExternalId: run.itemId, variantExternalId: large, quantity: 1 },
      { productExternalId: run.itemId, variantExternalId: medium, quantity: 8 },
    ]);

    expect(result.failed).toEqual([]);
    expect(result.succeeded).toHaveLength(3);
    expect([run.calls('GET /items/bulk'), run.calls('PUT /items/:id')]).toEqual([0, 1]);
    expect(stockOf(run)).toEqual([
      [small, 5],
      [medium, 8],
      [large, 1],
    ]);
  });

  it('deletes the variations it leaves out where a stock-only PUT deletes them: the risk the option takes', async () => {
    const run = await setup('changed-variations');
    const [, medium] = run.ids as [string, string, string];

    const result = await run.client.updateInventory([
      { productExternalId: run.itemId, variantExternalId: medium, quantity: 9 },
    ]);

    expect(result.failed).toEqual([]);
    expect([run.calls('GET /items/bulk'), run.calls('PUT /items/:id')]).toEqual([0, 1]);
    expect(stockOf(run)).toEqual([[medium, 9]]);
  });

  it('still reads an item whose updates name a variant by SKU only, and names every variation', async () => {
    const run = await setup('changed-variations');
    const [small, medium, large] = run.ids as [string, string, string];

    const result = await run.client.updateInventory([
      { productExternalId: run.itemId, variantExternalId: small, quantity: 4 },
      { productExternalId: run.itemId, sku: 'TEE-G', quantity: 7 },
    ]);

    expect(result.failed).toEqual([]);
    expect([run.calls('GET /items/bulk'), run.calls('PUT /items/:id')]).toEqual([1, 1]);
    expect(stockOf(run)).toEqual([
      [small, 4],
      [medium, 3],
      [large, 7],
    ]);
  });

  it('falls back to the read when the PUT is refused, writing every variation that still exists', async () => {
    const run = await setup('changed-variations');
    const [small, medium, large] = run.ids as [string, string, string];
    const gone = '99999999999';

    const result = await run.client.updateInventory([
      { productExternalId: run.itemId, variantExternalId: medium, quantity: 9 },
      { productExternalId: run.itemId, variantExternalId: gone, quantity: 1 },
    ]);

    expect(result.succeeded.map((update) => update.variantExternalId)).toEqual([medium]);
    expect(result.failed.map(({ item, error }) => [item.variantExternalId, error.constructor])).toEqual([
      [gone, NotFoundError],
    ]);
    expect([run.calls('GET /items/bulk'), run.calls('PUT /items/:id')]).toEqual([1, 2]);
    expect(stockOf(run)).toEqual([
      [small, 5],
      [medium, 9],
      [large, 2],
    ]);
  });
});

describe('stockWrites option', () => {
  it('refuses a value it does not know, instead of quietly writing in another mode', async () => {
    const run = await setup(undefined);
    const meli = createMeli({
      clientId: String(run.sandbox.app.id),
      clientSecret: run.sandbox.app.secret,
      redirectUri: run.sandbox.app.redirectUris[0] ?? '',
      tokenStore: new MemoryTokenStore(),
    });
    expect(() =>
      meli.forAccount('123', { stockWrites: 'changed' as MeliStockWrites }).updateInventory([]),
    ).toThrow(ValidationError);
  });
});
