import { hmacSha256HexSync } from '@mlh/core/hmac';

/** A query value as the signer sees it: the decoded value that goes into the URL. */
export type TikTokQueryValue = string | number | boolean | bigint;

/** What {@link signTikTokRequest} needs: the request exactly as it will be sent. */
export interface TikTokSignInput {
  /** The app secret from Partner Center: both the HMAC key and the wrapper of the message. */
  appSecret: string;
  /** The path only, starting with `/` (`/order/202309/orders/search`): no host, no query string. */
  path: string;
  /**
   * Every query parameter that will be sent, with decoded values. `sign` and `access_token` are
   * ignored; `undefined` values are dropped (they are not sent). A `URLSearchParams` signs the first
   * value of a repeated key, as the official samples do.
   */
  query: URLSearchParams | Readonly<Record<string, TikTokQueryValue | undefined>>;
  /** The exact body bytes that will be sent (never re-serialized). Omit for a request without body. */
  body?: string | Uint8Array | undefined;
  /** The `content-type` header; a `multipart/form-data` body is left out of the signature. */
  contentType?: string | undefined;
}

const decoder = new TextDecoder();

/** True for the query keys TikTok leaves out of the signature. */
function unsignedKey(key: string): boolean {
  return key === 'sign' || key === 'access_token';
}

/**
 * Inserts `key` into the sorted `keys`, comparing UTF-16 code units as the default sort and the
 * reference implementations do. A query has a handful of keys, so insertion beats a sort call.
 */
function insertSorted(keys: string[], key: string): void {
  let index = keys.length;
  keys.push(key);
  while (index > 0 && (keys[index - 1] as string) > key) {
    keys[index] = keys[index - 1] as string;
    index--;
  }
  keys[index] = key;
}

/** The signed query as `key + value` pairs, sorted by key (first value of a repeated key). */
function sortedPairs(query: TikTokSignInput['query']): string {
  const keys: string[] = [];
  let pairs = '';
  if (query instanceof URLSearchParams) {
    // A dictionary without a prototype: every key (`__proto__` too) is plain data.
    const values: Record<string, string> = Object.create(null);
    for (const [key, value] of query) {
      if (key in values || unsignedKey(key)) continue;
      values[key] = value;
      insertSorted(keys, key);
    }
    for (const key of keys) pairs += key + values[key];
    return pairs;
  }
  for (const key of Object.keys(query)) {
    if (query[key] !== undefined && !unsignedKey(key)) insertSorted(keys, key);
  }
  for (const key of keys) pairs += key + String(query[key]);
  return pairs;
}

/** True when the content type's media type is `multipart/form-data` (parameters such as `boundary` ignored). */
export function isMultipartContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === 'application/json') return false;
  const end = contentType.indexOf(';');
  const mediaType = (end === -1 ? contentType : contentType.slice(0, end)).trim();
  return mediaType.toLowerCase() === 'multipart/form-data';
}

/** The parts between the two copies of the secret: path + sorted pairs, then the body bytes when signed. */
function signedParts(input: Omit<TikTokSignInput, 'appSecret'>): [string] | [string, string | Uint8Array] {
  const pathAndQuery = input.path + sortedPairs(input.query);
  const body = input.body;
  if (body === undefined || body.length === 0 || isMultipartContentType(input.contentType))
    return [pathAndQuery];
  return [pathAndQuery, body];
}

/**
 * The string between the two copies of the secret: path, then the sorted `key + value` pairs, then
 * the body (unless multipart). Exposed for debugging a `106001` against the Partner Center testing
 * tool; the secret is not part of it.
 *
 * @example
 * tiktokSigningBase({ path: '/authorization/202309/shops', query: { app_key: '29a39d', timestamp: 1623812664 } })
 * // → '/authorization/202309/shopsapp_key29a39dtimestamp1623812664'
 */
export function tiktokSigningBase(input: Omit<TikTokSignInput, 'appSecret'>): string {
  return signedParts(input)
    .map((part) => (typeof part === 'string' ? part : decoder.decode(part)))
    .join('');
}

/**
 * Signs a TikTok Shop Open API (202309+) request: lowercase hex HMAC-SHA256, keyed by the app
 * secret, of `secret + path + sorted(key + value) + body + secret`, where `sign` and
 * `access_token` are not signed and a multipart body is left out. Pure and synchronous
 * (`node:crypto` under Node, a pure-JS HMAC elsewhere).
 *
 * @example
 * const sign = signTikTokRequestSync({
 *   appSecret: process.env.TIKTOK_APP_SECRET!,
 *   path: '/order/202309/orders/search',
 *   query: { app_key: '6abc123def', timestamp: 1700000000, shop_cipher: 'ROW_x', page_size: 50 },
 *   body: '{"order_status":"AWAITING_SHIPMENT"}',
 *   contentType: 'application/json',
 * });
 */
export function signTikTokRequestSync(input: TikTokSignInput): string {
  const secret = input.appSecret;
  const pathAndQuery = input.path + sortedPairs(input.query);
  const body = input.body;
  // One string when the body is text: a single HMAC update.
  if (body === undefined || body.length === 0 || isMultipartContentType(input.contentType))
    return hmacSha256HexSync(secret, secret + pathAndQuery + secret);
  if (typeof body === 'string') return hmacSha256HexSync(secret, secret + pathAndQuery + body + secret);
  return hmacSha256HexSync(secret, [secret + pathAndQuery, body, secret]);
}

/**
 * Signs a TikTok Shop Open API (202309+) request: the promise-returning twin of
 * {@link signTikTokRequestSync}, same result.
 *
 * @example
 * const sign = await signTikTokRequest({
 *   appSecret: process.env.TIKTOK_APP_SECRET!,
 *   path: '/order/202309/orders/search',
 *   query: { app_key: '6abc123def', timestamp: 1700000000, shop_cipher: 'ROW_x', page_size: 50 },
 *   body: '{"order_status":"AWAITING_SHIPMENT"}',
 *   contentType: 'application/json',
 * });
 */
export async function signTikTokRequest(input: TikTokSignInput): Promise<string> {
  return signTikTokRequestSync(input);
}
