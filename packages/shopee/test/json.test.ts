import { parseJsonLossless } from '@mlh/core';
import { JsonNumberLiteral, jsonDecimal, jsonInteger, stringifyShopeeJson } from '@mlh/shopee';
import { describe, expect, it } from 'vitest';

describe('exact JSON writing: ids beyond 2^53 go back to Shopee exactly', () => {
  it('writes ids and decimal amounts as exact number literals', () => {
    const body = {
      item_id: jsonInteger('1051400341536827267'),
      model_id: 1051400341536827268n,
      original_price: jsonDecimal('19.90'),
      name: 'Mug "big"',
      skipped: undefined,
      list: [jsonInteger(1), undefined],
    };
    expect(stringifyShopeeJson(body)).toBe(
      '{"item_id":1051400341536827267,"model_id":1051400341536827268,"original_price":19.90,"name":"Mug \\"big\\"","list":[1,null]}',
    );
  });

  it('round-trips a big id: parse → string id → write back as the same literal', () => {
    const parsed = parseJsonLossless('{"item_id":9007199254740993}') as { item_id: string };
    expect(stringifyShopeeJson({ item_id: jsonInteger(parsed.item_id) })).toBe(
      '{"item_id":9007199254740993}',
    );
  });

  it('refuses literals that are not plain JSON numbers', () => {
    expect(() => new JsonNumberLiteral('1e5')).toThrow(TypeError);
    expect(() => jsonInteger('12a')).toThrow(TypeError);
  });
});
