import { describe, expect, it } from 'vitest';
import type { QueryValue } from '../src';
import * as fast from '../src/fast-query';
// The Node entry installs its query writer in the transport, which resolveRequestUrl then uses.
import '../src/index.node';
import * as portable from '../src/transport/url';

/** The query as `URLSearchParams` reads it back: what a server sees. */
function pairsOf(url: URL): [string, string][] {
  return [...new URLSearchParams(url.search)];
}

const signing: [string, string][] = [
  ['partner_id', '2001887'],
  ['timestamp', '1700000000'],
  ['access_token', 'tok en/+=?'],
  ['shop_id', '600000'],
  ['sign', 'ab'.repeat(32)],
];

const searches = [
  '',
  '?',
  '?x=1',
  '?a=1&&b=2&',
  '?timestamp=1&x=2',
  '?x=2&timestamp',
  '?x=2&timestamp&y',
  '?my_timestamp=3&timestamp_old=4',
  '?sign=old&sign=older',
  '?repeat=1&repeat=2',
  '?a=b+c&d=%2C',
  '?partner%5Fid=9',
  '?si%67n=x',
  '?fields=a%2Cb,c&note=caf%C3%A9+com+leite',
  '?emoji=%F0%9F%98%80&plus=%2B',
  "?odd=it's~(ok)",
  '?bad=100%&x=1',
  '?bad=%zz',
  '?invalid=%C3%28',
  '?surrogate=%ED%A0%80',
  '?eq=a=b=c',
  '?__proto__=x',
];

for (const [entry, query] of [
  ['portable', portable],
  ['node', fast],
] as const) {
  describe(`setQueryParams (${entry} entry)`, () => {
    /** `URLSearchParams#set` for each, written once: the meaning every version must keep. */
    function reference(search: string, params: [string, string][]): [string, string][] {
      const all = new URLSearchParams(search);
      for (const [name, value] of params) all.set(name, value);
      return [...all];
    }

    it('means what URLSearchParams#set means, whatever is already on the URL', () => {
      const safe: [string, string][] = signing.map(([name, value]) => [
        name,
        name === 'access_token' ? 'token0123' : value,
      ]);
      for (const params of [signing, safe, [['odd name', 'v'] as [string, string]]]) {
        for (const search of searches) {
          const url = new URL(`https://h.example/p${search}`);
          query.setQueryParams(url, params);
          expect(pairsOf(url), search).toEqual(reference(search, params));
        }
      }
    });

    it('writes a value that needs escaping as URLSearchParams does', () => {
      const url = new URL('https://h.example/p?x=1');
      query.setQueryParams(url, signing);
      expect(url.search).toBe(
        `?x=1&partner_id=2001887&timestamp=1700000000&access_token=tok+en%2F%2B%3D%3F&shop_id=600000&sign=${'ab'.repeat(32)}`,
      );
    });
  });

  describe(`queryPairsWithout (${entry} entry)`, () => {
    it('reads every query as URLSearchParams does', () => {
      for (const search of searches) {
        const absent = ['app_key'];
        expect(query.queryPairsWithout(search, absent), search).toEqual([...new URLSearchParams(search)]);
      }
    });

    it('is undefined when the query holds one of the absent names, however it is written', () => {
      expect(query.queryPairsWithout('?a=1&sign=x', ['sign'])).toBeUndefined();
      expect(query.queryPairsWithout('?a=1&sign', ['sign'])).toBeUndefined();
      expect(query.queryPairsWithout('?si%67n=x', ['sign'])).toBeUndefined();
      expect(query.queryPairsWithout('?signature=x&my_sign=y', ['sign'])).toEqual([
        ['signature', 'x'],
        ['my_sign', 'y'],
      ]);
    });
  });
}

describe('setQueryParams (node entry)', () => {
  it('appends to the query as written, without encoding it again', () => {
    const url = new URL('https://h.example/api/v2/order/get_order_detail?order_sn_list=A1&fields=a,b%2Cc');
    fast.setQueryParams(url, [
      ['timestamp', '1700000000'],
      ['sign', 'ab'.repeat(32)],
    ]);
    // URLSearchParams would have written the first comma as %2C.
    expect(url.search).toBe(`?order_sn_list=A1&fields=a,b%2Cc&timestamp=1700000000&sign=${'ab'.repeat(32)}`);
  });
});

describe('resolveRequestUrl', () => {
  const base = new URL('https://partner.shopeemobile.com/prefix');
  /** The URL parsed first, then the query appended through URLSearchParams (`appendQuery`). */
  function reference(path: string, query: Record<string, QueryValue> | undefined): string {
    const url = new URL(`${base.origin}${base.pathname}${path.startsWith('/') ? path : `/${path}`}`);
    portable.appendQuery(url, query);
    return url.href;
  }

  it('writes the URL appendQuery would write, in one parse', () => {
    const queries: (Record<string, QueryValue> | undefined)[] = [
      undefined,
      {},
      { skipped: undefined },
      { order_sn_list: '2312064ABCDEFG', response_optional_fields: 'buyer_user_id,item_list' },
      { item_id_list: [1, 2, 3], 'odd key': "a b!~'()", flag: true, big: 12345678901234567890n, none: [] },
      { text: 'ação, pão & café 😀 100%' },
      { lone: 'a\uD800b', list: ['x', '\uDC00'] },
      { '\uD83D': 'name with a lone surrogate' },
    ];
    for (const path of ['/api/v2/order/get_order_detail', 'items', '/with?own=query', '/x?a=b c#frag']) {
      for (const query of queries) {
        expect(
          portable.resolveRequestUrl(base, path, query).href,
          `${path} ${Object.keys(query ?? {})}`,
        ).toBe(reference(path, query));
      }
    }
  });

  it('leaves a lone surrogate to URLSearchParams, which alone writes it (as U+FFFD)', () => {
    expect(fast.queryText({ lone: 'a\uD800b' })).toBeUndefined();
    expect(fast.queryText({ '\uDC00': 'x' })).toBeUndefined();
    expect(fast.queryText({ fields: 'a,b c', n: 1, list: [1, 2], none: undefined })).toBe(
      'fields=a%2Cb+c&n=1&list=1&list=2',
    );
  });

  it('escapes any text as URLSearchParams does', () => {
    // Every character class the form encoding treats apart: safe, kept by encodeURIComponent but
    // escaped in forms, reserved, space, non-ASCII, astral and lone surrogates.
    const alphabet = [
      'a',
      'Z',
      '0',
      '*',
      '-',
      '.',
      '_',
      '!',
      "'",
      '(',
      ')',
      '~',
      ' ',
      '+',
      '%',
      '&',
      '=',
      ',',
      '/',
      '?',
      '#',
      'ç',
      '€',
      '😀',
      '\uD800',
      '\uDFFF',
    ];
    let seed = 17;
    // mulberry32: 32-bit integer steps, so every draw is exact.
    const next = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let mixed = Math.imul(seed ^ (seed >>> 15), seed | 1);
      mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
      return (mixed ^ (mixed >>> 14)) >>> 0;
    };
    for (let run = 0; run < 300; run++) {
      const text = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join('');
      const query = { [`k${text}`]: text, plain: 'v' };
      expect(portable.resolveRequestUrl(base, '/p', query).href, JSON.stringify(text)).toBe(
        reference('/p', query),
      );
    }
  });
});
