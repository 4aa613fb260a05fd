/**
 * {@link setQueryParams}, {@link queryPairsWithout} and the transport's query writer
 * ({@link queryText}) for the `node` entry (`index.node`): the signing hooks of Shopee and TikTok
 * add their parameters to every request, and going through `URLSearchParams` decodes and encodes
 * the whole query each time (a long `response_optional_fields` list included). Kept out of the
 * portable entry for size; each gives what the portable version gives.
 */

import type { QueryValue } from './transport/types';
import {
  queryPairsWithout as exactQueryPairsWithout,
  setQueryParams as exactSetQueryParams,
} from './transport/url';

/** Text `URLSearchParams` writes as it is: letters, digits and `*-._`. */
const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;
/** What `encodeURIComponent` leaves as it is but a form query escapes, and its escaped space. */
const FORM_UNSAFE_AFTER_URI_ENCODING = /[!'()~]|%20/g;

/**
 * `text` escaped as `URLSearchParams` writes it (application/x-www-form-urlencoded: UTF-8
 * percent-escapes, a space as `+`), or `undefined` for text with a lone surrogate, which
 * `encodeURIComponent` refuses and `URLSearchParams` replaces.
 */
function formEncoded(text: string): string | undefined {
  if (FORM_SAFE.test(text)) return text;
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    return undefined;
  }
  return encoded.replace(FORM_UNSAFE_AFTER_URI_ENCODING, (match) =>
    match === '%20' ? '+' : `%${match.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * A query record as the text `URLSearchParams` would write for it (arrays repeat the key,
 * `undefined` drops it), without building one: a long comma list of optional fields would be
 * decoded into it and encoded back on every request. `undefined` for a name or value with a lone
 * surrogate, which only `URLSearchParams` writes (as U+FFFD). The transport's query writer under
 * the Node entry.
 */
export function queryText(query: Record<string, QueryValue>): string | undefined {
  let text = '';
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (value === undefined) continue;
    const encodedName = formEncoded(name);
    if (encodedName === undefined) return undefined;
    for (const item of Array.isArray(value) ? value : [value]) {
      const encodedValue = formEncoded(String(item));
      if (encodedValue === undefined) return undefined;
      text += `${text === '' ? '' : '&'}${encodedName}=${encodedValue}`;
    }
  }
  return text;
}

/**
 * Sets query parameters on a URL as `URLSearchParams#set` would, and writes the URL once. When
 * none of the names is on the URL yet (no name there escaped) and the values need no escaping
 * (ids, timestamps, tokens, hex signatures), the query is kept as written and they are appended
 * to it; otherwise the portable version does it through `URLSearchParams`.
 *
 * @example
 * setQueryParams(request.url, [['timestamp', '1700000000'], ['sign', signature]]);
 */
export function setQueryParams(url: URL, params: readonly (readonly [name: string, value: string])[]): void {
  const search = url.search;
  if (
    !params.every(([name, value]) => FORM_SAFE.test(name) && FORM_SAFE.test(value)) ||
    !scanParams(search, (name) => params.some(([taken]) => taken === name))
  ) {
    exactSetQueryParams(url, params);
    return;
  }
  let text = search.length > 1 ? search.slice(1) : '';
  for (const [name, value] of params) text += `${text === '' ? '' : '&'}${name}=${value}`;
  url.search = text;
}

/**
 * The parameters of a `?query` as `[name, value]` pairs, decoded as `URLSearchParams` reads
 * them, `undefined` when one is named in `absent`: split as written, decoding only the values
 * that hold an escape. A query with an escaped name, or a value that is not UTF-8 once decoded,
 * goes to the portable version.
 *
 * @example
 * queryPairsWithout('?a=1&b=x%2Cy&c', ['sign']) // [['a', '1'], ['b', 'x,y'], ['c', '']]
 */
export function queryPairsWithout(search: string, absent: readonly string[]): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  if (!scanParams(search, (name) => absent.includes(name), pairs))
    return exactQueryPairsWithout(search, absent);
  for (const pair of pairs) {
    const value = pair[1];
    if (!value.includes('%') && !value.includes('+')) continue;
    try {
      pair[1] = decodeURIComponent(value.replaceAll('+', ' '));
    } catch {
      return exactQueryPairsWithout(search, absent);
    }
  }
  return pairs;
}

/**
 * Reads a raw `?query` in place, as written: false as soon as a name is not plain text or is
 * `taken`, else true, with each `[name, value]` pushed into `pairs` when given (the signing hooks
 * ask on every request, most only whether their names are absent).
 */
function scanParams(search: string, taken: (name: string) => boolean, pairs?: [string, string][]): boolean {
  for (let start = 1; start < search.length; ) {
    let end = search.indexOf('&', start);
    if (end === -1) end = search.length;
    if (end > start) {
      const equals = search.indexOf('=', start);
      const nameEnd = equals === -1 || equals > end ? end : equals;
      const name = search.slice(start, nameEnd);
      if (!FORM_SAFE.test(name) || taken(name)) return false;
      pairs?.push([name, nameEnd === end ? '' : search.slice(nameEnd + 1, end)]);
    }
    start = end + 1;
  }
  return true;
}
