import { json } from '../shared/index';

/** One entry of an error body's `cause` array. */
export interface MeliCause {
  department: string;
  cause_id: number;
  type: 'error' | 'warning';
  code: string;
  references: string[];
  message: string;
}

/** The standard Mercado Livre error body: `{ message, error, status, cause }`. */
export interface MeliErrorBody {
  message: string;
  error: string;
  status: number;
  cause: Array<MeliCause | string>;
}

/** A response with the standard error body. */
export function meliError(
  status: number,
  error: string,
  message: string,
  cause: MeliErrorBody['cause'] = [],
): Response {
  const body: MeliErrorBody = { message, error, status, cause };
  return json(body, { status });
}

/** 404 `not_found` with the resource named in the message. */
export function notFound(message: string): Response {
  return meliError(404, 'not_found', message);
}

/** 403 for a token that does not own the resource. */
export function forbidden(message = 'access to the requested resource is forbidden'): Response {
  return meliError(403, 'forbidden', message);
}

/** 400 `bad_request` for a malformed parameter. */
export function badRequest(message: string, error = 'bad_request'): Response {
  return meliError(400, error, message);
}

/** 400 `validation_error` carrying each failed business rule in `cause`. */
export function validationError(causes: MeliCause[]): Response {
  return meliError(400, 'validation_error', 'Validation error', causes);
}

// Stable cause ids per code, so a client can rely on them within the sandbox.
const causeIds: Record<string, number> = {
  'item.title.required': 101,
  'item.category_id.invalid': 102,
  'item.price.invalid': 103,
  'item.currency_id.invalid': 104,
  'item.available_quantity.invalid': 105,
  'item.buying_mode.invalid': 106,
  'item.listing_type_id.invalid': 107,
  'item.condition.invalid': 108,
  'item.pictures.invalid': 109,
  'item.pictures.max': 110,
  'item.attributes.invalid': 111,
  'item.attributes.missing_required': 112,
  'item.title.length.invalid': 113,
  'item.shipping.mode.invalid': 114,
  'item.variations.invalid': 115,
  'item.variations.price.invalid': 116,
  'item.variations.attribute_combinations.invalid': 117,
  'item.variations.max': 118,
  'item.variations.picture_ids.invalid': 119,
  'item.variations.id.invalid': 120,
  'item.family_name.required': 121,
  'item.title.not_modifiable': 122,
  'item.variations.not_allowed': 123,
  'item.status.invalid': 124,
  'item.status.not_modifiable': 125,
  'item.listing_type_id.not_modifiable': 126,
  'item.family_name.not_allowed': 127,
  'item.category_id.not_modifiable': 128,
  'item.title.not_allowed': 129,
  'item.description.type.invalid': 398,
  'item.description.already_exists': 399,
};

/** Builds a cause entry. Codes follow the reference's style; the ids are the sandbox's own. */
export function cause(code: string, message: string, references: string[], department = 'items'): MeliCause {
  return { department, cause_id: causeIds[code] ?? 100, type: 'error', code, references, message };
}

/** The body of an OAuth error in the shape the behaviour switch selects. */
export function oauthError(
  field: 'error_description' | 'message',
  status: number,
  error: string,
  description: string,
): Response {
  return json({ [field]: description, error, status, cause: [] }, { status });
}

/** The `message`/`error` pair the reference shows for `invalid_grant`. */
export const INVALID_GRANT_DESCRIPTION =
  'Error validating grant. Your authorization code or refresh token may be expired or it was already used';

/** Error names by HTTP status, for injected faults and generic answers. */
export function errorNameFor(status: number): string {
  const names: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    429: 'too_many_requests',
    500: 'internal_error',
    502: 'bad_gateway',
    503: 'service_unavailable',
    504: 'gateway_timeout',
  };
  return names[status] ?? 'error';
}
