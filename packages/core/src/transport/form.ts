/**
 * Form encoding as `URLSearchParams` writes it, shared by the query helpers of both entries (not
 * part of the public API).
 */

/** Text `URLSearchParams` writes as it is: letters, digits and `*-._`. */
export const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;
/** What `encodeURIComponent` leaves as it is but a form query escapes, and its escaped space. */
const FORM_UNSAFE_AFTER_URI_ENCODING = /[!'()~]|%20/g;

/**
 * `text` escaped as `URLSearchParams` writes it (application/x-www-form-urlencoded: UTF-8
 * percent-escapes, a space as `+`), or `undefined` for text with a lone surrogate, which
 * `encodeURIComponent` refuses and `URLSearchParams` replaces.
 */
export function formEncoded(text: string): string | undefined {
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
