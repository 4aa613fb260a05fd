import type { MarketplaceId } from '../errors';
import { ResponseTooLargeError } from '../errors';
import { concatBytes } from '../webhooks/crypto';

/**
 * One HTTP exchange as the transport sees it: the request as signed, sent once (redirects
 * followed), and the answer read whole under the size limit. The transport's retries, timer and
 * error mapping sit above it; a wire only moves bytes.
 */
export interface WireRequest extends ReadLimitedOptions {
  method: string;
  url: URL;
  headers: Headers;
  body: string | Uint8Array | FormData | undefined;
  /**
   * The wire hands the transport its way to stop the exchange under way (each hop's, the latest
   * wins), which the transport calls when the call times out or the caller aborts; it is called at
   * once when that already happened. A callback, not an `AbortSignal`: on Node a signal and the
   * listener `http.request` puts on it cost more than the rest of a small call's bookkeeping.
   */
  onCancel(cancel: (reason: unknown) => void): void;
  /**
   * Whether sending the request twice is harmless (GET, HEAD, `idempotent: true`): a wire may
   * then resend it at once on a fresh connection when a reused keep-alive connection turns out
   * to have been closed by the server.
   */
  repeatable: boolean;
}

/** What came back: the status, the headers and the body, decoded. */
export interface WireAnswer {
  status: number;
  headers: Headers;
  /** The body, decoded from its content encoding (gzip, ...) but not from UTF-8. */
  bytes: Uint8Array<ArrayBuffer>;
}

/** Sends one request and reads its answer; rejects on a network failure or an oversized body. */
export type Wire = (request: WireRequest) => Promise<WireAnswer>;

/** The wire over a Fetch API implementation: what every runtime has. */
export function fetchWire(fetchImpl: typeof fetch): Wire {
  return async (request) => {
    const { url, method, headers, body } = request;
    const controller = new AbortController();
    request.onCancel((reason) => controller.abort(reason));
    // `body: undefined` is no body to fetch.
    const response = await fetchImpl(url, {
      method,
      headers,
      signal: controller.signal,
      body,
    } as RequestInit);
    return {
      status: response.status,
      headers: response.headers,
      bytes: await readResponseBytes(response, request),
    };
  };
}

/** The wire over whatever the global `fetch` is at the time of each call (msw replaces it in tests). */
export const globalFetchWire: Wire = fetchWire((input, init) => globalThis.fetch(input, init));

/** The wire of a transport without a `fetch` option: the global `fetch`'s, unless an entry installed its own. */
export let defaultWire: Wire = globalFetchWire;

/**
 * Makes `wire` the transport's default where no `fetch` option is given: the Node entry installs
 * its `node:http` wire, which sends calls back to the global `fetch` whenever that was replaced.
 */
export function installDefaultWire(wire: Wire): void {
  defaultWire = wire;
}

export function responseTooLarge(
  what: string,
  url: URL,
  limitBytes: number,
  status: number,
  seen: string,
  marketplace: MarketplaceId | undefined,
): ResponseTooLargeError {
  // Origin and path: enough to name a request, never its query (tokens, signatures).
  const where = url.origin + url.pathname;
  return new ResponseTooLargeError(
    `${what}: the response body from ${where} is ${seen}, over the limit of ${limitBytes} bytes (maxResponseBytes)`,
    { marketplace, status, code: 'response_too_large', limitBytes, url: where },
  );
}

/** Options of {@link readResponseText} and {@link readResponseBytes}. */
export interface ReadLimitedOptions {
  /** Largest body accepted, in bytes. */
  limitBytes: number;
  /** The URL the response came from, named (origin and path only) in the error. */
  url: URL | string;
  /** What was being done, for the message, e.g. `shopee GET /api/v2/product/get_item_list`. */
  what?: string | undefined;
  /** The request method: a HEAD response's Content-Length is not checked. */
  method?: string | undefined;
  marketplace?: MarketplaceId | undefined;
}

/**
 * Reads a response body as UTF-8 text, refusing it with a {@link ResponseTooLargeError} as soon
 * as it passes `limitBytes`: first by its declared Content-Length, then by counting bytes as they
 * arrive, so no more than the limit is ever held. A HEAD response declares the length of a body
 * it does not carry, so only the count applies to it.
 */
export async function readResponseText(response: Response, options: ReadLimitedOptions): Promise<string> {
  return new TextDecoder().decode(await readResponseBytes(response, options));
}

/**
 * Reads a response body as bytes under the same limit as {@link readResponseText}: for what an
 * adapter fetches outside the transport (product images to re-upload).
 *
 * @example
 * const bytes = await readResponseBytes(await fetch(url), { limitBytes: DEFAULT_MAX_RESPONSE_BYTES, url });
 */
export async function readResponseBytes(
  response: Response,
  options: ReadLimitedOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const { limitBytes, marketplace } = options;
  const url = typeof options.url === 'string' ? new URL(options.url) : options.url;
  const what = options.what ?? `${options.method ?? 'GET'} ${url.pathname}`;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const chunks: Uint8Array[] = [];
  let seen: string | undefined;
  if (options.method !== 'HEAD' && Number.isFinite(declared) && declared > limitBytes) {
    seen = `${declared} bytes`;
    await response.body?.cancel().catch(() => {});
  } else if (response.body) {
    const reader = response.body.getReader();
    let total = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      total += read.value.byteLength;
      if (total > limitBytes) {
        seen = `more than ${limitBytes} bytes`;
        await reader.cancel().catch(() => {});
        break;
      }
      chunks.push(read.value);
    }
  }
  if (seen === undefined) return concatBytes(chunks);
  throw responseTooLarge(what, url, limitBytes, response.status, seen, marketplace);
}

/**
 * The text of a file response, for the error mapper: the decoded body when it is textual (an
 * error envelope sent in place of the file) or an HTTP error, `''` for binary content.
 */
export function textOfFile(headers: Headers, ok: boolean, bytes: Uint8Array): string {
  const type = headers.get('content-type') ?? '';
  const decoder = new TextDecoder();
  const textual =
    /json|text\/|html|xml/i.test(type) ||
    (type === '' && /^\s*[[{]/.test(decoder.decode(bytes.subarray(0, 16))));
  return textual || !ok ? decoder.decode(bytes) : '';
}
