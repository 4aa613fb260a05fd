import { randomHex } from '../shared/random';
import { type JsonWritable, stringifyJson } from './json';

/**
 * A Shopee API error as the sandbox answers it: the envelope's `error` code and `message`.
 * Handlers throw it; the router turns it into the envelope with the configured HTTP status.
 */
export class ShopeeApiError extends Error {
  override readonly name = 'ShopeeApiError';
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * HTTP status the sandbox answers for an `error` code. Shopee documents no statuses (the
 * envelope's `error` is the contract), so these defaults are a choice, overridable per code
 * with the sandbox's `httpStatus` option.
 */
export function defaultHttpStatus(error: string): number {
  const code = error.trim().split('.').pop() ?? error;
  if (code === 'error_rate_limit' || code === 'error_limit') return 429;
  if (['error_server', 'error_inner', 'error_system_busy', 'error_network'].includes(code)) return 500;
  if (code === 'error_not_found') return 404;
  if (
    [
      'error_sign',
      'error_auth',
      'invalid_acceess_token',
      'invalid_access_token',
      'invalid_partner_id',
      'error_permission',
      'invalid_code',
      'invalid_shop_id',
      'invalid_main_acount_id',
      'error_shop_refresh_token',
      'error_merchant_refresh_token',
      'refresh_token_expired',
      'shop_access_expired',
      'merchant_access_expired',
      'shop_no_linked',
      'merchant_no_linked',
      'partner_shop_no_link',
    ].includes(code)
  ) {
    return 403;
  }
  return 400;
}

/** Shopee's `request_id`: 32 lowercase hex characters. */
export function newRequestId(): string {
  return randomHex(32);
}

function jsonResponse(text: string, status: number): Response {
  return new Response(text, { status, headers: { 'content-type': 'application/json' } });
}

/** The success envelope `{request_id, error: "", message: "", warning?, response}`. */
export function envelopeResponse(
  response: JsonWritable,
  extras: { warning?: string | readonly string[] } = {},
): Response {
  return jsonResponse(
    stringifyJson({
      request_id: newRequestId(),
      error: '',
      message: '',
      warning: extras.warning,
      response,
    }),
    200,
  );
}

/** A flat success body (token endpoints, `get_shops_by_partner`): fields beside `request_id`. */
export function flatResponse(fields: { readonly [key: string]: JsonWritable }): Response {
  return jsonResponse(stringifyJson({ request_id: newRequestId(), error: '', message: '', ...fields }), 200);
}

/** The error envelope `{request_id, error, message}` with `status`. */
export function errorResponse(error: ShopeeApiError, status: number): Response {
  return jsonResponse(
    stringifyJson({ request_id: newRequestId(), error: error.error, message: error.message }),
    status,
  );
}
