/**
 * The errors the TikTok Shop sandbox answers with. Codes, messages and HTTP statuses follow the
 * reference where it gives them; where it does not (the HTTP status of a token error, the code of
 * a business rule failure) the sandbox's choice is listed in `TIKTOK_SANDBOX_ERRORS` and the README.
 */

/** One kind of failure: the envelope `code`, the HTTP status it comes with, a default message. */
export interface TikTokErrorKind {
  code: number;
  status: number;
  message: string;
}

/** Every error the TikTok sandbox can answer with, by name. */
export const TIKTOK_SANDBOX_ERRORS = {
  /** Bad `sign`: HTTP 401 as captured live (reference §5.2). */
  signInvalid: { code: 106001, status: 401, message: "The 'sign' query parameter is invalid" },
  /** Generic invalid parameter; the message tells the causes apart (reference §5.3). */
  invalidParam: { code: 36009004, status: 400, message: 'Invalid parameter' },
  /** Throttled: HTTP 429 with `Retry-After` (reference §5.2). */
  tooManyRequests: { code: 36009002, status: 429, message: 'Too many requests, please try again later' },
  /** Transient server trouble. */
  internalError: { code: 36009003, status: 500, message: 'Internal error, please retry' },
  /** Unknown path: 404 as observed (reference marks it uncertain). */
  invalidPath: { code: 36009009, status: 404, message: 'Invalid path' },
  /** Known path, wrong method (HTTP status is the sandbox's choice). */
  invalidMethod: { code: 36009010, status: 405, message: 'Invalid method' },
  /** Body that is not valid JSON. */
  invalidBody: { code: 36009022, status: 400, message: 'Invalid body format' },
  /** Wrong `content-type` for a body. */
  invalidContentType: { code: 36009023, status: 400, message: 'Invalid content-type' },
  /** Unknown or revoked access token (HTTP 401 is the sandbox's choice). */
  accessTokenInvalid: { code: 105001, status: 401, message: 'access token is invalid' },
  /** Expired access token (message as seen live; HTTP 401 is the sandbox's choice). */
  accessTokenExpired: { code: 105002, status: 401, message: 'access token is expired, please refresh it' },
  /** The token lacks the scope (API package) of the endpoint. */
  scopeMissing: { code: 105005, status: 403, message: 'you should apply auth pkg for this api' },
  /** A shop-scoped endpoint called without `shop_cipher`. */
  shopCipherMissing: { code: 106013, status: 400, message: 'shop_cipher is required for this api' },
  /** A `shop_cipher` of a shop the token's seller did not authorize. */
  shopNotAuthorized: {
    code: 101000,
    status: 403,
    message: 'the shop is not authorized by this access token',
  },
  /** Refresh token expired (auth host). */
  refreshTokenExpired: { code: 36004001, status: 200, message: 'rt has expired' },
  /** Unknown, used or expired auth code or refresh token (auth host). */
  authRecordNotFound: { code: 36004005, status: 200, message: 'can not find related auth record' },
  /** Sandbox-assigned business codes (the reference gives no code for these). */
  productNotFound: { code: 12052003, status: 200, message: 'product does not exist' },
  skuNotFound: { code: 12052048, status: 200, message: 'sku does not exist in this product' },
  warehouseNotFound: { code: 12052049, status: 200, message: 'warehouse does not exist in this shop' },
  invalidQuantity: {
    code: 12052050,
    status: 200,
    message: 'inventory quantity must be an integer from 0 to 999999',
  },
  invalidPrice: { code: 12052051, status: 200, message: 'price amount must be a positive decimal string' },
  productStatusConflict: {
    code: 12052052,
    status: 200,
    message: 'the product status does not allow this operation',
  },
  orderNotFound: { code: 21011001, status: 200, message: 'order does not exist' },
  orderStatusConflict: {
    code: 21011002,
    status: 200,
    message: 'the order status does not allow this operation',
  },
  packageNotFound: { code: 21001001, status: 200, message: 'package does not exist' },
  packageStatusConflict: {
    code: 21001002,
    status: 200,
    message: 'the package status does not allow this operation',
  },
  lineItemInvalid: { code: 21001003, status: 200, message: 'order line item is invalid or already shipped' },
  shippingProviderInvalid: { code: 21001004, status: 200, message: 'shipping provider does not exist' },
  trackingUpdateClosed: {
    code: 21001005,
    status: 200,
    message: 'tracking can only be updated within 72 hours of shipping',
  },
  cancellationNotFound: { code: 25001001, status: 200, message: 'cancellation does not exist' },
  cancellationNotAllowed: { code: 25001002, status: 200, message: 'the order can no longer be cancelled' },
  /** Return codes are the sandbox's choice (TikTok documents only 25001021 for after-sale). */
  returnNotFound: { code: 25002001, status: 200, message: 'return does not exist' },
  returnActionNotAllowed: {
    code: 25002002,
    status: 200,
    message: 'the return is not in a status that allows this decision',
  },
  /** Customer service (codes are the sandbox's choice; the reference gives none). */
  conversationNotFound: { code: 45101001, status: 200, message: 'conversation does not exist' },
  chatNotAllowed: {
    code: 45101002,
    status: 200,
    message: 'the shop cannot send messages in this conversation (can_send_message is false)',
  },
  chatBuyerUnknown: {
    code: 45101003,
    status: 200,
    message: 'no order, conversation or return links this buyer to the shop',
  },
  chatTextTooLong: { code: 45101004, status: 200, message: 'text messages have at most 2000 characters' },
  /** Only leaves take products (catalog reference §2.10, a live report's code). */
  categoryNotLeaf: { code: 12052024, status: 200, message: 'Category is not final category' },
  /** A required (or conditionally required) product attribute is missing: the code is the sandbox's choice. */
  requiredAttributeMissing: { code: 12052230, status: 200, message: 'required product attribute is missing' },
} as const satisfies Record<string, TikTokErrorKind>;

/** Name of one of {@link TIKTOK_SANDBOX_ERRORS}. */
export type TikTokSandboxErrorName = keyof typeof TIKTOK_SANDBOX_ERRORS;

/** Thrown inside the sandbox's handlers; rendered as the TikTok envelope with its HTTP status. */
export class TikTokApiError extends Error {
  readonly code: number;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(kind: TikTokErrorKind, message?: string, headers: Record<string, string> = {}) {
    super(message ?? kind.message);
    this.name = 'TikTokApiError';
    this.code = kind.code;
    this.status = kind.status;
    this.headers = headers;
  }
}

/** Shorthand for a sandbox error by name, with an optional more specific message. */
export function tiktokError(name: TikTokSandboxErrorName, message?: string): TikTokApiError {
  return new TikTokApiError(TIKTOK_SANDBOX_ERRORS[name], message);
}

/** A per-item failure of a batch call, reported in `data.errors[]` while the envelope `code` is 0. */
export interface TikTokItemError {
  code: number;
  message: string;
  detail: Record<string, unknown>;
}

/** Builds one `data.errors[]` entry. */
export function itemError(
  name: TikTokSandboxErrorName,
  detail: Record<string, unknown>,
  message?: string,
): TikTokItemError {
  const kind = TIKTOK_SANDBOX_ERRORS[name];
  return { code: kind.code, message: message ?? kind.message, detail };
}
