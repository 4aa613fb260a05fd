import { MemoryTokenStore, money, normalizeProduct, ValidationError } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySyncStore, type PrepareListing, ProductSync } from '../src/index';
import {
  connectAdapters,
  createSandboxes,
  prepareListing,
  sandboxAdapterClock,
  saveSandboxTokens,
} from './sandbox-setup';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const product = (sku: string, title: string) =>
  normalizeProduct({
    sku,
    title,
    description: `${title}, from the catalog.`,
    images: [`https://cdn.example.com/${sku}.jpg`],
    price: money('59.90', 'BRL'),
    quantity: 4,
  });

describe('a product the category requirements refuse', () => {
  it('fails alone, at stage create, naming the missing attribute; the rest of the run is published', async () => {
    const sandboxes = createSandboxes();
    server.resetHandlers(...sandboxes.handlers);
    const adapters = connectAdapters(sandboxes.accounts, {
      tokenStore: new MemoryTokenStore(),
      clock: sandboxAdapterClock(sandboxes.clock),
    });
    await saveSandboxTokens(sandboxes, adapters);
    const store = createMemorySyncStore();
    await store.upsertProducts([
      product('MUG-1', 'Caneca azul'),
      product('SHEET', 'Lençol de casal'),
      product('MUG-2', 'Caneca verde'),
    ]);
    // The sheet goes to bedding, whose mandatory material the app forgot to send.
    const prepare: PrepareListing = async (catalogProduct, client) => {
      const prepared = await prepareListing(catalogProduct, client);
      if (catalogProduct.sku !== 'SHEET') return prepared;
      return {
        ...prepared,
        options: {
          ...prepared.options,
          marketplaceFields: {
            ...prepared.options?.marketplaceFields,
            category_id: 101200,
            dimension: { package_height: 5, package_length: 30, package_width: 20 },
          },
        },
      };
    };
    const summary = await new ProductSync({ store, clients: [adapters.shopeeClient], prepare }).run();

    expect(summary.created).toBe(2);
    expect(summary.failed).toHaveLength(1);
    const failure = summary.failed[0] as (typeof summary.failed)[number];
    expect(failure).toMatchObject({ sku: 'SHEET', stage: 'create', retryable: false });
    expect(failure.error).toBeInstanceOf(ValidationError);
    expect((failure.error as ValidationError).issues).toMatchObject([
      { path: 'marketplaceFields.attribute_list.100134', code: 'required_attribute' },
    ]);
    expect(failure.reason).toContain('Material');
    // Only the two mugs reached add_item.
    expect(sandboxes.shopee.stats().byPath['/api/v2/product/add_item']).toBe(2);
    expect(
      (
        await store.getListing({
          marketplace: 'shopee',
          accountId: adapters.shopeeClient.accountId,
          sku: 'SHEET',
        })
      )?.productExternalId,
    ).toBeUndefined();
  });
});
