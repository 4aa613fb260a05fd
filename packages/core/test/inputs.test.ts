import {
  type FulfillmentInput,
  FulfillmentInputSchema,
  type PriceUpdate,
  PriceUpdateInput,
  type StockUpdate,
  StockUpdateInput,
  toFieldIssues,
} from '@mlh/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod/mini';

function badPaths(schema: z.ZodMiniType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : toFieldIssues(result.error.issues).map((issue) => issue.path);
}

describe('write input schemas', () => {
  it('accept every value of the types they check', () => {
    expectTypeOf<StockUpdate>().toExtend<z.input<typeof StockUpdateInput>>();
    expectTypeOf<PriceUpdate>().toExtend<z.input<typeof PriceUpdateInput>>();
    // The interface has no index signature; its known fields must fit the schema's.
    expectTypeOf<FulfillmentInput>().toExtend<
      z.input<z.ZodMiniObject<typeof FulfillmentInputSchema.shape>>
    >();
    expectTypeOf<z.output<typeof StockUpdateInput>>().toExtend<StockUpdate>();
    expectTypeOf<z.output<typeof PriceUpdateInput>>().toExtend<PriceUpdate>();
  });

  it('take a stock update by variant or by SKU, and refuse negative or fractional quantities', () => {
    expect(
      badPaths(StockUpdateInput, { productExternalId: 'MLB1', variantExternalId: '7', quantity: 0 }),
    ).toEqual([]);
    expect(badPaths(StockUpdateInput, { productExternalId: 'MLB1', sku: 'MUG-1', quantity: 5 })).toEqual([]);
    expect(badPaths(StockUpdateInput, { productExternalId: '', sku: '', quantity: -1 })).toEqual([
      'productExternalId',
      'sku',
      'quantity',
    ]);
    expect(badPaths(StockUpdateInput, { productExternalId: 'MLB1', quantity: 1.5 })).toEqual(['quantity']);
  });

  it('take a price as an exact decimal string with an ISO 4217 currency', () => {
    const update = { productExternalId: '1', price: { amount: '19.90', currency: 'BRL' } };
    expect(badPaths(PriceUpdateInput, update)).toEqual([]);
    expect(badPaths(PriceUpdateInput, { ...update, price: { amount: '0', currency: 'BRL' } })).toEqual([]);
    expect(badPaths(PriceUpdateInput, { ...update, price: { amount: '1,50', currency: 'brl' } })).toEqual([
      'price.amount',
      'price.currency',
    ]);
    expect(badPaths(PriceUpdateInput, { ...update, price: { amount: '-1', currency: 'BRL' } })).toEqual([
      'price.amount',
    ]);
    expect(badPaths(PriceUpdateInput, { ...update, price: { amount: 19.9, currency: 'BRL' } })).toEqual([
      'price.amount',
    ]);
  });

  it('check a fulfillment field by field, keep unknown fields, and let an adapter be stricter', () => {
    const input = { trackingNumber: 'BR123', carrier: 'Correios', method: 'seller', note: 'kept' };
    expect(FulfillmentInputSchema.parse(input)).toEqual(input);
    expect(
      badPaths(FulfillmentInputSchema, { trackingUrl: 'not a url', method: 'drone', carrier: '' }),
    ).toEqual(['carrier', 'trackingUrl', 'method']);
    const numericShipments = z.extend(FulfillmentInputSchema, {
      shipmentId: z.optional(z.string().check(z.regex(/^\d+$/))),
    });
    expect(badPaths(numericShipments, { shipmentId: 'PKG-1' })).toEqual(['shipmentId']);
    expect(badPaths(numericShipments, { shipmentId: '4711' })).toEqual([]);
  });
});
