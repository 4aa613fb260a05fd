import { createTransport, type LabelFile, type Transport } from '@mlh/core';
import { TIKTOK } from '../mappers';
import { TIKTOK_API_BASE_URL } from '../transport';

/**
 * The files behind shipping-document links. `GET …/packages/{id}/shipping_documents`
 * (`getShippingDocument` in `api/fulfillment`) answers a `doc_url` on TikTok's file storage that
 * expires after 24 hours: download the file and keep it, never the link. The link is fetched
 * without the shop's token or signature (they must not leave for another host), through a core
 * transport of its own, so timeouts, retries and the response size cap still apply.
 */

/** Options of {@link createTikTokDocumentTransport}: the fetch to use (default global). */
export interface TikTokDocumentTransportOptions {
  fetch?: typeof fetch | undefined;
  /** Largest file accepted. Default: core's `DEFAULT_MAX_RESPONSE_BYTES`. */
  maxResponseBytes?: number | undefined;
}

/** A transport for `doc_url` downloads: no token, no signing, status-based errors (the host is not the Open API). */
export function createTikTokDocumentTransport(options: TikTokDocumentTransportOptions = {}): Transport {
  return createTransport({
    marketplace: TIKTOK,
    baseUrl: TIKTOK_API_BASE_URL,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
    mapError: () => undefined,
  });
}

/** The file name at the end of a URL's path, when it has one. */
function lastSegment(url: string): string | undefined {
  try {
    const name = new URL(url).pathname.split('/').pop();
    return name ? decodeURIComponent(name) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Downloads the file of a `doc_url` (https only). An expired link fails with the host's status
 * (403 → `PermissionError`): ask `getShippingDocument` for a new one.
 *
 * @example
 * const { doc_url } = await getShippingDocument(context, packageId, { documentFormat: 'PDF' });
 * const file = await downloadShippingDocument(createTikTokDocumentTransport(), doc_url);
 */
export async function downloadShippingDocument(
  transport: Transport,
  docUrl: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<LabelFile> {
  const response = await transport.request<Uint8Array>({
    method: 'GET',
    path: docUrl,
    auth: false,
    responseType: 'bytes',
    operation: 'fulfillment.shipping_document_file',
    signal: options.signal,
  });
  const fileName = lastSegment(docUrl);
  return {
    bytes: response.bytes ?? new Uint8Array(),
    contentType:
      (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]?.trim() ?? '',
    ...(fileName ? { fileName } : {}),
  };
}
