/** Shipping documents of packages (catalog and after-sale reference §5.1) and the host serving their files. */
import type { RequestHandler } from 'msw';
import { http } from 'msw/core/http';
import * as z from 'zod';
import { fileResponse, labelPdf, labelZpl } from '../../shared/index';
import { randomHex } from '../../shared/random';
import type { TikTokSandboxContext } from '../context';
import { tiktokError } from '../errors';
import { parseInput, shopOf, type TikTokCall } from '../gateway';
import type { TikTokSandboxPackage, TikTokState } from '../state';

/** Where the sandbox serves document files (the real `doc_url` points at TikTok's file storage). */
export const TIKTOK_SANDBOX_DOCUMENT_HOST = 'https://sandbox-labels.tiktokshop.example';
/** A `doc_url` works for 24 hours. */
const DOC_URL_LIFETIME_MS = 24 * 60 * 60 * 1000;

const DOCUMENT_TYPES = [
  'SHIPPING_LABEL',
  'PACKING_SLIP',
  'SHIPPING_LABEL_AND_PACKING_SLIP',
  'SHIPPING_LABEL_PICTURE',
  'HAZMAT_LABEL',
  'INVOICE_LABEL',
] as const;
const documentQuery = z.looseObject({
  document_type: z.enum(DOCUMENT_TYPES),
  document_size: z.enum(['A6', 'A5']).optional(),
  document_format: z.enum(['PDF', 'ZPL']).optional(),
});

interface IssuedDocument {
  packageId: string;
  type: (typeof DOCUMENT_TYPES)[number];
  format: 'PDF' | 'ZPL';
  lines: string[];
  expiresAt: number;
}

/** Issued documents per sandbox state (a reset starts a new state, and forgets them). */
const issued = new WeakMap<TikTokState, Map<string, IssuedDocument>>();

function documentsOf(state: TikTokState): Map<string, IssuedDocument> {
  let documents = issued.get(state);
  if (!documents) {
    documents = new Map();
    issued.set(state, documents);
  }
  return documents;
}

/** A 1×1 PNG, for `SHIPPING_LABEL_PICTURE`. */
const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
  (char) => char.charCodeAt(0),
);

/**
 * `GET /fulfillment/202309/packages/{package_id}/shipping_documents`: only for TikTok-shipping
 * packages once shipped (not `TO_FULFILL`, not cancelled); `ZPL` only for Brazilian and Mexican
 * shops, `INVOICE_LABEL` only for Brazilian ones. Answers a `doc_url` valid for 24 hours.
 */
export function shippingDocument(call: TikTokCall, pkg: TikTokSandboxPackage) {
  const query = parseInput(documentQuery, Object.fromEntries(call.query));
  if (pkg.shippingType !== 'TIKTOK' || pkg.status === 'TO_FULFILL' || pkg.status === 'CANCELLED') {
    throw tiktokError(
      'packageStatusConflict',
      'Shipping documents exist only for shipped TikTok-shipping packages',
    );
  }
  const region = shopOf(call).region;
  const format = query.document_format ?? 'PDF';
  if (format === 'ZPL' && region !== 'BR' && region !== 'MX') {
    throw tiktokError('invalidParam', 'document_format ZPL is only available in Brazil and Mexico');
  }
  if (query.document_type === 'INVOICE_LABEL' && region !== 'BR') {
    throw tiktokError('invalidParam', 'INVOICE_LABEL is only available in Brazil');
  }
  const token = randomHex(24);
  const extension = query.document_type === 'SHIPPING_LABEL_PICTURE' ? 'png' : format.toLowerCase();
  documentsOf(call.context.state).set(token, {
    packageId: pkg.id,
    type: query.document_type,
    format,
    lines: [`TikTok Shop package ${pkg.id}`, `tracking ${pkg.trackingNumber ?? ''}`, query.document_type],
    expiresAt: call.context.clock.now() + DOC_URL_LIFETIME_MS,
  });
  return {
    doc_url: `${TIKTOK_SANDBOX_DOCUMENT_HOST}/${token}/${query.document_type.toLowerCase()}.${extension}`,
    tracking_number: pkg.trackingNumber,
  };
}

/** The file host of `doc_url`s: the file while the URL is valid, 403 once it expired, 404 if unknown. */
export function documentFileHandler(context: () => TikTokSandboxContext): RequestHandler {
  return http.get(`${TIKTOK_SANDBOX_DOCUMENT_HOST}/:token/:file`, ({ params }) => {
    const { state, clock } = context();
    const document = documentsOf(state).get(String(params.token));
    if (!document)
      return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } });
    if (clock.now() > document.expiresAt) {
      return new Response('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', {
        status: 403,
        headers: { 'content-type': 'application/xml' },
      });
    }
    if (document.type === 'SHIPPING_LABEL_PICTURE') return fileResponse(PNG, 'image/png');
    return document.format === 'ZPL'
      ? fileResponse(labelZpl(document.lines), 'application/octet-stream', String(params.file))
      : fileResponse(labelPdf(document.lines), 'application/pdf', String(params.file));
  });
}
