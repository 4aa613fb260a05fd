import { type FieldIssue, ValidationError } from '@mlh/core';
import { TIKTOK } from '../mappers';
import { TikTokBatchData, type TikTokItemError } from '../schemas';
import { callTikTok, type TikTokCallContext } from '../transport';

/**
 * Brazilian invoices (NF-e). A local seller uploads the authorised XML of each **package** (a
 * combined package covers several orders) before it can ship, then waits for webhook 36
 * (`INVOICE_STATUS_CHANGE`). There is no endpoint to read an invoice back or cancel it.
 */

/** Largest NF-e XML the upload takes (1 MB, before Base64). */
export const TIKTOK_INVOICE_MAX_BYTES = 1024 * 1024;

/** One package's NF-e for {@link uploadInvoices}. */
export interface TikTokInvoiceUpload {
  packageId: string;
  /** Every order the package carries. */
  orderIds: readonly string[];
  /** The authorised NF-e XML. */
  xml: Uint8Array;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}

/**
 * `POST /fulfillment/202502/invoice/upload`: one entry per package, the XML in Base64
 * (`file_type` `XML`, the only type). `code: 0` can still carry per-package failures in
 * `data.errors`: they are returned, not thrown. Not repeated after an unknown outcome.
 */
export async function uploadInvoices(
  context: TikTokCallContext,
  invoices: readonly TikTokInvoiceUpload[],
): Promise<{ errors: TikTokItemError[]; requestId: string | undefined }> {
  const issues: FieldIssue[] = [];
  if (invoices.length === 0) issues.push({ path: 'invoices', message: 'at least one package' });
  invoices.forEach((invoice, index) => {
    if (!/^\d+$/.test(invoice.packageId))
      issues.push({ path: `invoices.${index}.packageId`, message: 'must be a package id' });
    if (invoice.orderIds.length === 0)
      issues.push({ path: `invoices.${index}.orderIds`, message: 'at least one order' });
    if (invoice.xml.byteLength === 0 || invoice.xml.byteLength > TIKTOK_INVOICE_MAX_BYTES) {
      issues.push({ path: `invoices.${index}.xml`, message: 'must be 1 byte to 1 MB' });
    }
  });
  if (issues.length > 0)
    throw new ValidationError('Invalid TikTok invoice upload', issues, { marketplace: TIKTOK });
  const { data, requestId } = await callTikTok(
    context,
    {
      method: 'POST',
      path: '/fulfillment/202502/invoice/upload',
      body: {
        json: {
          invoices: invoices.map((invoice) => ({
            package_id: invoice.packageId,
            // An array, as the specification says (one official sample shows a string).
            order_ids: [...invoice.orderIds],
            file_type: 'XML',
            file: base64(invoice.xml),
          })),
        },
      },
      operation: 'fulfillment.invoice_upload',
    },
    TikTokBatchData,
    'fulfillment.invoice_upload',
  );
  return { errors: data?.errors ?? [], requestId };
}
