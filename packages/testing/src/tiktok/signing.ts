import { hmacSha256Hex } from '@mlh/core';

/** What a TikTok Shop API signature covers (reference §3.1). */
export interface TikTokSignatureInput {
  /** The app secret: HMAC key and the wrapper around the signed string. */
  appSecret: string;
  /** URL path only, with version and path parameters: `/order/202309/orders/search`. */
  path: string;
  /** Query parameters with decoded values; `sign` and `access_token` are skipped. */
  query: URLSearchParams | Readonly<Record<string, string>>;
  /** The exact body text sent; ignored for multipart requests. */
  body?: string | undefined;
  /** The request's `content-type` header; a `multipart/form-data` media type leaves the body out. */
  contentType?: string | undefined;
}

const UNSIGNED_QUERY_KEYS = new Set(['sign', 'access_token']);

function firstValues(query: TikTokSignatureInput['query']): Map<string, string> {
  const values = new Map<string, string>();
  const entries = query instanceof URLSearchParams ? query.entries() : Object.entries(query);
  for (const [key, value] of entries) {
    // The official Go sample signs only the first value of a repeated key.
    if (!values.has(key)) values.set(key, value);
  }
  return values;
}

/** True when the header's media type (not the whole header) is `multipart/form-data`. */
export function isMultipart(contentType: string | null | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'multipart/form-data';
}

/**
 * The string TikTok Shop HMACs for an API call: `secret + path + sorted key/value pairs + body + secret`.
 * @example tiktokSignatureBaseString({ appSecret: 's', path: '/a', query: { b: '1' } }) // 's/ab1s'
 */
export function tiktokSignatureBaseString(input: TikTokSignatureInput): string {
  const values = firstValues(input.query);
  const keys = [...values.keys()].filter((key) => !UNSIGNED_QUERY_KEYS.has(key)).sort();
  let base = input.path + keys.map((key) => key + values.get(key)).join('');
  if (!isMultipart(input.contentType) && input.body) base += input.body;
  return input.appSecret + base + input.appSecret;
}

/** The `sign` query value of a TikTok Shop API call: lowercase hex HMAC-SHA256 keyed by the app secret. */
export function signTikTokRequest(input: TikTokSignatureInput): Promise<string> {
  return hmacSha256Hex(input.appSecret, tiktokSignatureBaseString(input));
}

/** The `Authorization` header of a TikTok Shop webhook: hex HMAC-SHA256 of `appKey + rawBody`, keyed by the app secret. */
export function signTikTokWebhook(input: {
  appKey: string;
  appSecret: string;
  body: string;
}): Promise<string> {
  return hmacSha256Hex(input.appSecret, input.appKey + input.body);
}
