import {
  JsonNumberLiteral,
  jsonDecimal,
  jsonInteger,
  parseShopeeJson,
  stringifyShopeeJson,
} from '@mlh/shopee';
import { describe, expect, it } from 'vitest';

describe('lossless JSON: ids beyond 2^53 stay exact', () => {
  it('reads the official promotion_group_id example exactly, where JSON.parse rounds it', () => {
    const text = '{"promotion_group_id":1051400341536827267,"model_quantity_purchased":2}';
    expect(String((JSON.parse(text) as { promotion_group_id: number }).promotion_group_id)).not.toBe(
      '1051400341536827267',
    );
    expect(parseShopeeJson(text)).toEqual({
      promotion_group_id: '1051400341536827267',
      model_quantity_purchased: 2,
    });
  });

  it('reads every integer under an id-like key as a string, in arrays too, and keeps other numbers', () => {
    const parsed = parseShopeeJson(
      '{"item_id":23620853561,"shop_id_list":[600000,600001],"id":3,"total_count":19,"price":59.9,"ok":true,"n":null}',
    );
    expect(parsed).toEqual({
      item_id: '23620853561',
      shop_id_list: ['600000', '600001'],
      id: '3',
      total_count: 19,
      price: 59.9,
      ok: true,
      n: null,
    });
  });

  it('keeps an unsafe integer in any field as its digits rather than a rounded number', () => {
    expect(parseShopeeJson('{"forder":5867000000000000001}')).toEqual({ forder: '5867000000000000001' });
  });

  it('parses strings with escapes and unicode like JSON.parse does', () => {
    const text = '{"city":"Qu\\u1ead","a":"x\\"y\\\\z\\n","emoji":"\\ud83d\\ude00","__proto__":{"p":1}}';
    const parsed = parseShopeeJson(text) as Record<string, unknown>;
    expect(parsed.city).toBe('Quậ');
    expect(parsed.a).toBe('x"y\\z\n');
    expect(parsed.emoji).toBe('😀');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toContain('__proto__');
  });

  it.each(['{"a":1', '{"a":01}', '{"a":1,}', '[1 2]', '{"a":"\u0001"}', 'nul', '{"a":1} x', ''])(
    'refuses invalid JSON %j',
    (text) => {
      expect(() => parseShopeeJson(text)).toThrow(SyntaxError);
    },
  );

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
    const parsed = parseShopeeJson('{"item_id":9007199254740993}') as { item_id: string };
    expect(stringifyShopeeJson({ item_id: jsonInteger(parsed.item_id) })).toBe(
      '{"item_id":9007199254740993}',
    );
  });

  it('refuses literals that are not plain JSON numbers', () => {
    expect(() => new JsonNumberLiteral('1e5')).toThrow(TypeError);
    expect(() => jsonInteger('12a')).toThrow(TypeError);
  });
});
