import { hmacSha256Hex, timingSafeEqual } from '@mlh/core';
import type { ShopeeCall, ShopeeContext, ShopeeEndpoint } from './context';
import { errorResponse, ShopeeApiError } from './envelope';
import { JsonSyntaxError, type JsonValue, parseJsonLossless } from './json';
import type { ShopeeMerchantRecord, ShopeeShopRecord } from './state';
import { authorizeAccessToken } from './tokens';

/** What the router needs beyond the state. */
export interface RouterHooks {
  /**
   * Answers false when the partner's bucket, or the bucket of the shop the call names (`shop_id`),
   * is empty (→ `error_rate_limit`).
   */
  takeRateLimit(partnerId: number, shopId: string | undefined): boolean;
  /** HTTP status for an error code. */
  statusFor(error: string): number;
}

const MAX_TIMESTAMP = 4_294_967_295;

function paramError(message: string): ShopeeApiError {
  return new ShopeeApiError('error_param', message);
}

function readInteger(query: URLSearchParams, name: string, missing: string): number {
  const raw = query.get(name);
  if (raw === null || raw === '') throw paramError(missing);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw paramError(`Invalid ${name}, should be an integer.`);
  }
  return Number(raw);
}

function readTimestamp(query: URLSearchParams, context: ShopeeContext): number {
  const raw = query.get('timestamp');
  if (raw === null || raw === '') throw paramError('no timestamp');
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > MAX_TIMESTAMP) {
    throw paramError('Timestamp is invalid, should be an integer between 0 and 4294967295.');
  }
  const now = Math.floor(context.clock.now() / 1000);
  if (Math.abs(now - value) > context.lifetimes.timestampTolerance) throw paramError('Timestamp is expired.');
  return value;
}

async function readJsonBody(request: Request): Promise<JsonValue | undefined> {
  const text = await request.text();
  if (text.trim() === '') return undefined;
  try {
    return parseJsonLossless(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError || error instanceof SyntaxError) {
      throw paramError('Request body is not valid JSON.');
    }
    throw error;
  }
}

/**
 * Runs Shopee's common checks in the order the service applies them (required common
 * parameters, timestamp window, partner, sign over the base string of the API type, access
 * token), then the endpoint. Every failure becomes the error envelope.
 */
export async function routeShopeeCall(
  request: Request,
  endpoint: ShopeeEndpoint | undefined,
  context: ShopeeContext,
  hooks: RouterHooks,
): Promise<Response> {
  try {
    if (!endpoint) {
      throw paramError('Permission denied. This API is currently offline or the request path is incorrect.');
    }
    if (request.method.toUpperCase() !== endpoint.method) {
      throw paramError(`Wrong http method, this API only accepts ${endpoint.method}.`);
    }
    const url = new URL(request.url);
    const query = url.searchParams;
    const path = url.pathname;
    const partnerId = readInteger(query, 'partner_id', 'There is no partner_id in query.');
    if (!endpoint.browser && !hooks.takeRateLimit(partnerId, query.get('shop_id') ?? undefined)) {
      throw new ShopeeApiError('error_rate_limit', 'Too many requests.');
    }
    const timestamp = readTimestamp(query, context);
    const sign = query.get('sign');
    if (sign === null || sign === '') throw paramError('There is no sign in query.');
    const partner = context.state.partners.get(partnerId);
    if (!partner) throw new ShopeeApiError('invalid_partner_id', 'Invalid partner_id.');

    const baseParts: (string | number)[] = [partnerId, path, timestamp];
    let shop: ShopeeShopRecord | undefined;
    let merchant: ShopeeMerchantRecord | undefined;
    let accessToken = '';
    if (endpoint.kind !== 'public') {
      accessToken = query.get('access_token') ?? '';
      if (accessToken === '') throw paramError('There is no access_token in query.');
      const idName = endpoint.kind === 'shop' ? 'shop_id' : 'merchant_id';
      const id = readInteger(query, idName, `There is no ${idName} in query.`);
      baseParts.push(accessToken, id);
      if (endpoint.kind === 'shop') shop = context.state.shops.get(id);
      else merchant = context.state.merchants.get(id);
    }
    const expected = await hmacSha256Hex(partner.partnerKey, baseParts.join(''));
    if (!timingSafeEqual(expected, sign)) throw new ShopeeApiError('error_sign', 'Wrong sign.');

    if (endpoint.kind === 'shop') {
      if (!shop) throw new ShopeeApiError('error_auth', 'Invalid partner_id or shopid.');
      authorizeAccessToken(context, partnerId, accessToken, `shop:${shop.shopId}`);
    } else if (endpoint.kind === 'merchant') {
      if (!merchant) throw new ShopeeApiError('error_auth', 'Invalid partner_id or merchant_id.');
      authorizeAccessToken(context, partnerId, accessToken, `merchant:${merchant.merchantId}`);
    }

    const body =
      endpoint.method === 'POST' && endpoint.body !== 'multipart' ? await readJsonBody(request) : undefined;
    if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
      throw paramError('Request body must be a JSON object.');
    }
    const call: ShopeeCall = { request, url, path, query, partner, shop, merchant, body };
    return await endpoint.handle(call, context);
  } catch (error) {
    if (error instanceof ShopeeApiError) return errorResponse(error, hooks.statusFor(error.error));
    throw error;
  }
}
