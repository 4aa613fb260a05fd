import { parseJsonLossless } from '@mlh/core';
import { describe, expect, it } from 'vitest';

/** An integer literal beyond 2^53, so the lossless path (not the JSON.parse shortcut) runs. */
const LONG = '"pad":12345678901234567890';

describe('parseJsonLossless: ids beyond 2^53 keep every digit', () => {
  it('keeps a 19-digit id exact where JSON.parse rounds it', () => {
    const text = '{"promotion_group_id":1051400341536827267,"model_quantity_purchased":2}';
    expect(String((JSON.parse(text) as { promotion_group_id: number }).promotion_group_id)).not.toBe(
      '1051400341536827267',
    );
    expect(parseJsonLossless(text)).toEqual({
      promotion_group_id: '1051400341536827267',
      model_quantity_purchased: 2,
    });
  });

  it('turns exactly the integers outside ±(2^53 − 1) into strings, negatives included', () => {
    expect(
      parseJsonLossless(
        '[9007199254740991,9007199254740992,-9007199254740991,-9007199254740993,10000000000000000]',
      ),
    ).toEqual([
      9007199254740991,
      '9007199254740992',
      -9007199254740991,
      '-9007199254740993',
      '10000000000000000',
    ]);
  });

  it('leaves fractions and exponents as numbers, as JSON.parse does, even with many digits', () => {
    const parsed = parseJsonLossless(`{${LONG},"a":1.5,"b":-2e3,"c":1E+2,"d":12345678901234567.5,"e":1e400}`);
    expect(parsed).toEqual({
      pad: '12345678901234567890',
      a: 1.5,
      b: -2000,
      c: 100,
      d: Number('12345678901234567.5'),
      e: Infinity,
    });
  });

  it('keeps -0 as -0', () => {
    expect(Object.is(parseJsonLossless('-0'), -0)).toBe(true);
    expect(Object.is((parseJsonLossless(`{${LONG},"z":-0}`) as { z: number }).z, -0)).toBe(true);
  });

  it('finds big ids in nested arrays and objects, and leaves digit strings alone', () => {
    const text =
      '{"orders":[{"order_id":5867000000000000001,"lines":[[1,2147483648],[7000000000000000001]]}],' +
      '"note":"ref 1234567890123456789","ids":["7000000000000000002"]}';
    expect(parseJsonLossless(text)).toEqual({
      orders: [{ order_id: '5867000000000000001', lines: [[1, 2147483648], ['7000000000000000001']] }],
      note: 'ref 1234567890123456789',
      ids: ['7000000000000000002'],
    });
  });

  it('reads strings, escapes and unicode exactly like JSON.parse', () => {
    const text = `{${LONG},"city":"Qu\\u1ead","a":"x\\"y\\\\z\\n\\/","emoji":"\\ud83d\\ude00","lone":"\\ud800","e":""}`;
    expect(parseJsonLossless(text)).toEqual({ ...JSON.parse(text), pad: '12345678901234567890' });
  });

  it('treats "__proto__" as data and keeps the last of repeated keys, like JSON.parse', () => {
    const text = `{${LONG},"__proto__":{"polluted":1},"a":1,"a":2}`;
    const parsed = parseJsonLossless(text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['pad', '__proto__', 'a']);
    expect(parsed.pad).toBe('12345678901234567890');
    expect(parsed.a).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('matches JSON.parse on bodies without big integers, whitespace and literals included', () => {
    const text =
      ' \n{ "a" : [ true , false , null , 0 , -1 , 3.25 , { } , [ ] ] ,\t"b" : "1234567890123456" }\r\n';
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });

  it('finds a long number wherever JSON allows one: first, after whitespace, signed, in arrays and objects', () => {
    expect(parseJsonLossless(' \n-12345678901234567890')).toBe('-12345678901234567890');
    expect(parseJsonLossless('[\n\t9007199254740993, 1]')).toEqual(['9007199254740993', 1]);
    expect(parseJsonLossless('{"a" :\r\n 9007199254740993}')).toEqual({ a: '9007199254740993' });
    expect(parseJsonLossless('[1,-9007199254740993]')).toEqual([1, '-9007199254740993']);
  });

  it('tells 16-digit integers apart at 2^53: safe ones stay numbers, the next ones become strings', () => {
    expect(parseJsonLossless('{"id":2000009000000001,"pack_id":9007199254740991}')).toEqual({
      id: 2000009000000001,
      pack_id: 9007199254740991,
    });
    expect(parseJsonLossless('{"id":9007199254740992}')).toEqual({ id: '9007199254740992' });
    expect(parseJsonLossless('{"id":2000009000000001,"big":9100000000000000}')).toEqual({
      id: 2000009000000001,
      big: '9100000000000000',
    });
  });

  it('reads quoted long ids, and strings that look like a long number after ":" or ",", exactly', () => {
    const text = '{"order_id":"576461413038785752","note":"ref:12345678901234567890,9007199254740993"}';
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });

  it('leaves long numbers inside strings alone when a big id elsewhere sends the body to the exact parse', () => {
    const text =
      '{"id":1051400341536827267,"note":"ref \\"12345678901234567890\\" ok","path":"C:\\\\","n":9007199254740993,' +
      '"list":[-9007199254740993,1.5e300,12345678901234567890.5,"9007199254740993"],"k\\u0031":2}';
    expect(parseJsonLossless(text)).toEqual({
      id: '1051400341536827267',
      note: 'ref "12345678901234567890" ok',
      path: 'C:\\',
      n: '9007199254740993',
      list: ['-9007199254740993', 1.5e300, Number('12345678901234567890.5'), '9007199254740993'],
      k1: 2,
    });
  });

  it.each([
    '',
    ' ',
    '{"a":1',
    '{"a":01}',
    '{"a":1,}',
    '[1 2]',
    '[1,]',
    '{"a":"\u0001"}',
    '{"a":"\\x"}',
    '{a:1}',
    'nul',
    '-',
    '1.',
    '1e',
    '+1',
    '{"a":1} x',
    '"unterminated',
    '"ends in escape\\',
  ])('refuses invalid JSON %j on both paths', (text) => {
    expect(() => parseJsonLossless(text)).toThrow(SyntaxError);
    expect(() => parseJsonLossless(`[1234567890123456789,${text}]`)).toThrow(SyntaxError);
  });

  it('reads a deeply nested body without big ids like JSON.parse, and finds a big id at its bottom', () => {
    const depth = 200_000;
    const nested = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    let value = parseJsonLossless(nested);
    for (let level = 0; level < depth; level++) value = (value as unknown[])[0];
    expect(value).toBe(1);
    const deepId = `${'{"a":'.repeat(1000)}12345678901234567890${'}'.repeat(1000)}`;
    let found = parseJsonLossless(deepId);
    for (let level = 0; level < 1000; level++) found = (found as { a: unknown }).a;
    expect(found).toBe('12345678901234567890');
  });

  it('parses a 1 MB body full of big ids completely and exactly', () => {
    const lines = Array.from({ length: 6000 }, (_, index) => ({
      order_id: `70000000000${String(index).padStart(8, '0')}`,
      item_id: 23620853561 + index,
      price: 59.9,
      name: 'Caneca "grande"\n',
    }));
    const text = JSON.stringify({ lines }).replace(/"order_id":"(\d+)"/g, '"order_id":$1');
    expect(text.length).toBeGreaterThan(500_000);
    const parsed = parseJsonLossless(text) as { lines: typeof lines };
    expect(parsed).toEqual({ lines });
  });
});
