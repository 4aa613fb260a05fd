import { type FieldIssue, ValidationError } from '@mlh/core';
import { hmacSha256HexSync } from '@mlh/core/hmac';

/**
 * Shopee Open Platform v2 request signing: HMAC-SHA256 of a base string, keyed with the partner
 * key exactly as the Console shows it (`shpk…` prefix included, never hex-decoded), as 64
 * lowercase hex characters.
 */

/** What a request signature covers. */
export interface ShopeeSignInput {
  /** The App ID (`partner_id`). */
  partnerId: number | string;
  /** The partner key, verbatim. */
  partnerKey: string;
  /** The API path only: `/api/v2/...`, no host, no query, no trailing slash. */
  path: string;
  /** Unix time in **seconds**; the same value must be sent as the `timestamp` query parameter. */
  timestamp: number;
  /** For Shop and Merchant APIs. Omit for Public APIs. */
  accessToken?: string | undefined;
  /** For Shop APIs (with `accessToken`). */
  shopId?: number | string | undefined;
  /** For Merchant APIs (with `accessToken`). */
  merchantId?: number | string | undefined;
}

const MAX_UINT32 = 4_294_967_295;

function digits(value: number | string): string | undefined {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : '') : value.trim();
  return /^\d+$/.test(text) ? text : undefined;
}

/**
 * The string Shopee signs, with no separators:
 * - Public: `partner_id + path + timestamp`
 * - Shop: `partner_id + path + timestamp + access_token + shop_id`
 * - Merchant: `partner_id + path + timestamp + access_token + merchant_id`
 *
 * Throws a `ValidationError` naming each bad input.
 *
 * @example
 * shopeeBaseString({ partnerId: 2001887, partnerKey: '…', path: '/api/v2/public/get_shops_by_partner', timestamp: 1655714431 })
 * // '2001887/api/v2/public/get_shops_by_partner1655714431'
 */
export function shopeeBaseString(input: ShopeeSignInput): string {
  const issues: FieldIssue[] = [];
  const partnerId = digits(input.partnerId);
  if (partnerId === undefined || Number(partnerId) > MAX_UINT32) {
    issues.push({ path: 'partnerId', message: 'must be an integer between 0 and 4294967295' });
  }
  if (typeof input.partnerKey !== 'string' || input.partnerKey === '') {
    issues.push({ path: 'partnerKey', message: 'required' });
  }
  if (!/^\/api\/v2\/[^?#\s]*[^/?#\s]$/.test(input.path)) {
    issues.push({ path: 'path', message: 'must be the API path only, like /api/v2/order/get_order_list' });
  }
  if (!Number.isInteger(input.timestamp) || input.timestamp < 0 || input.timestamp > MAX_UINT32) {
    issues.push({ path: 'timestamp', message: 'must be Unix time in whole seconds' });
  }
  const hasShop = input.shopId !== undefined;
  const hasMerchant = input.merchantId !== undefined;
  const accountId = hasShop ? input.shopId : input.merchantId;
  const account = accountId === undefined ? undefined : digits(accountId);
  if (hasShop && hasMerchant) {
    issues.push({ path: 'merchantId', message: 'give shopId or merchantId, not both' });
  } else if (accountId !== undefined && account === undefined) {
    issues.push({ path: hasShop ? 'shopId' : 'merchantId', message: 'must be a whole number' });
  }
  if (input.accessToken !== undefined && accountId === undefined) {
    issues.push({ path: 'shopId', message: 'a shopId or merchantId is needed with an accessToken' });
  }
  if (accountId !== undefined && !input.accessToken) {
    issues.push({ path: 'accessToken', message: `required with ${hasShop ? 'shopId' : 'merchantId'}` });
  }
  if (issues.length > 0)
    throw new ValidationError('Invalid Shopee signature input', issues, { marketplace: 'shopee' });
  const base = `${partnerId}${input.path}${input.timestamp}`;
  return input.accessToken ? `${base}${input.accessToken}${account}` : base;
}

/**
 * Signs a Shopee v2 request: the `sign` query parameter, computed synchronously (`node:crypto`
 * under Node, a pure-JS HMAC elsewhere). Pure: the same inputs always give the same 64
 * lowercase hex characters. Throws a `ValidationError` naming each bad input.
 *
 * @example
 * const sign = signShopeeRequestSync({
 *   partnerId: 1000001,
 *   partnerKey: process.env.SHOPEE_PARTNER_KEY!,
 *   path: '/api/v2/order/get_order_list',
 *   timestamp: Math.floor(Date.now() / 1000),
 *   accessToken,
 *   shopId: 600000,
 * });
 */
export function signShopeeRequestSync(input: ShopeeSignInput): string {
  return hmacSha256HexSync(input.partnerKey, shopeeBaseString(input));
}

/**
 * Signs a Shopee v2 request: the `sign` query parameter. The promise-returning twin of
 * {@link signShopeeRequestSync} (same result; a bad input rejects with the `ValidationError`).
 *
 * @example
 * const sign = await signShopeeRequest({
 *   partnerId: 1000001,
 *   partnerKey: process.env.SHOPEE_PARTNER_KEY!,
 *   path: '/api/v2/order/get_order_list',
 *   timestamp: Math.floor(Date.now() / 1000),
 *   accessToken,
 *   shopId: 600000,
 * });
 */
export async function signShopeeRequest(input: ShopeeSignInput): Promise<string> {
  return signShopeeRequestSync(input);
}
