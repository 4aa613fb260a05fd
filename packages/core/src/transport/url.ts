import { type MarketplaceId, ValidationError } from '../errors';
import { fastQueryText } from './query-hook';
import type { QueryValue } from './types';

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and `::1`: the hosts plain http is allowed to. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Throws a {@link ValidationError} unless the URL is https, or plain http to a loopback host
 * (sandboxes and tests). Tokens and signatures must never cross a network in clear text.
 */
export function assertSecureUrl(
  url: URL,
  field: string,
  marketplace?: MarketplaceId,
  summary = 'Insecure URL',
): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  const message =
    url.protocol === 'http:'
      ? `plain http is refused (only https, or http to localhost/127.0.0.1/::1); got host ${url.hostname}`
      : `unsupported protocol ${url.protocol} (only https)`;
  throw new ValidationError(summary, [{ path: field, message, code: 'insecure_url' }], {
    marketplace,
  });
}

/**
 * Parses an absolute URL and applies {@link assertSecureUrl}: the one rule for every URL the SDK
 * sends a request or a browser to (API bases, authorization pages, OAuth redirect URLs). A
 * redirect over plain http would hand the authorization code to anyone on the network.
 *
 * @example
 * parseSecureUrl(options.redirectUri, 'redirectUri', 'meli'); // https://…, or http://localhost…
 * parseSecureUrl('http://shop.example.com/cb', 'redirectUri'); // throws ValidationError (insecure_url)
 */
export function parseSecureUrl(
  value: string,
  field: string,
  marketplace?: MarketplaceId,
  summary = 'Invalid URL',
): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(
      summary,
      [{ path: field, message: 'must be an absolute https URL', code: 'invalid_url' }],
      { marketplace },
    );
  }
  assertSecureUrl(url, field, marketplace, summary);
  return url;
}

/** Parses and checks a base URL; the trailing slash is dropped so paths join predictably. */
export function parseBaseUrl(baseUrl: string, marketplace?: MarketplaceId): URL {
  const url = parseSecureUrl(baseUrl, 'baseUrl', marketplace, 'Invalid transport options');
  url.pathname = url.pathname.replace(/\/+$/, '');
  url.search = '';
  url.hash = '';
  return url;
}

/** Appends a query record to `params`: arrays repeat the key, `undefined` drops it. True when any was appended. */
function appendTo(params: URLSearchParams, query: Record<string, QueryValue>): boolean {
  let appended = false;
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (value === undefined) continue;
    appended = true;
    if (Array.isArray(value)) {
      for (const item of value) params.append(name, String(item));
    } else {
      params.append(name, String(value));
    }
  }
  return appended;
}

/** A query record as `URLSearchParams` writes it (arrays repeat the key, `undefined` drops it). */
function portableQueryText(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  appendTo(params, query);
  return params.toString();
}

/**
 * Appends a query record to a URL: arrays repeat the key, `undefined` drops it. The parameters
 * are gathered apart and written once (`url.searchParams` re-serializes the URL on every change);
 * the query is the same text either way.
 */
export function appendQuery(url: URL, query: Record<string, QueryValue> | undefined): void {
  if (!query) return;
  const params = new URLSearchParams(url.search);
  if (appendTo(params, query)) url.search = params.toString();
}

/**
 * Sets query parameters on a URL as `URLSearchParams#set` would, one after the other, and writes
 * the URL once (`url.searchParams` re-serializes it on every change). The Node entry's version
 * appends to the query as written when it can (see `fast-query`); the parameters are the same.
 *
 * @example
 * setQueryParams(request.url, [['timestamp', '1700000000'], ['sign', signature]]);
 */
export function setQueryParams(url: URL, params: readonly (readonly [name: string, value: string])[]): void {
  const all = new URLSearchParams(url.search);
  for (const [name, value] of params) all.set(name, value);
  url.search = all.toString();
}

/**
 * The parameters of a `?query` as `[name, value]` pairs, in order and decoded as
 * `URLSearchParams` reads them; `undefined` when one of them is named in `absent`.
 *
 * @example
 * queryPairsWithout('?a=1&b=x%2Cy&c', ['sign']) // [['a', '1'], ['b', 'x,y'], ['c', '']]
 * queryPairsWithout('?a=1&sign=x', ['sign']) // undefined
 */
export function queryPairsWithout(search: string, absent: readonly string[]): [string, string][] | undefined {
  const params = new URLSearchParams(search);
  for (const name of absent) if (params.has(name)) return undefined;
  return [...params];
}

/** Resolves a request path (relative to `base`, or an absolute URL that must be secure) plus its query. */
export function resolveRequestUrl(
  base: URL,
  path: string,
  query: Record<string, QueryValue> | undefined,
  marketplace?: MarketplaceId,
): URL {
  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    url = new URL(path);
    assertSecureUrl(url, 'path', marketplace);
  } else {
    const basePath = base.pathname === '/' ? '' : base.pathname;
    const address = `${base.origin}${basePath}${path.startsWith('/') ? path : `/${path}`}`;
    // A path without a query of its own takes its query in the one parse, written as
    // `appendQuery` would write it: setting `url.search` afterwards parses the whole URL again.
    if (query && !/[?#]/.test(address)) {
      const text = fastQueryText?.(query) ?? portableQueryText(query);
      return new URL(text === '' ? address : `${address}?${text}`);
    }
    url = new URL(address);
  }
  appendQuery(url, query);
  return url;
}
