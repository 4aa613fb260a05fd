import { type FieldIssue, ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { JsonNumberLiteral } from '../json';
import { callShopee, SHOPEE, type ShopeeScope } from '../transport';

/**
 * Brazilian invoices (NF-e) of orders. A CNPJ seller that issues its own NF-e attaches it before
 * arranging shipment: the authorised XML through `upload_invoice_doc` (the documented way), or the
 * invoice data through `add_invoice_data` (named by Shopee's Brazilian guides, missing from the
 * 2026 reference and possibly whitelisted). Shopee validates against SEFAZ afterwards: an answer
 * without error is not acceptance; read `invoice_data.status` back.
 */

/** Largest invoice file `upload_invoice_doc` takes (1 MB). */
export const SHOPEE_INVOICE_FILE_MAX_BYTES = 1024 * 1024;

/** `file_type` of `upload_invoice_doc`: 1 PDF, 2 JPEG, 3 PNG, 4 XML (the NF-e, in Brazil). */
export const SHOPEE_INVOICE_FILE_TYPES = Object.freeze({ pdf: 1, jpeg: 2, png: 3, xml: 4 } as const);

/** The CFOPs Shopee accepts on an uploaded NF-e (its NF-e guide). */
export const SHOPEE_ACCEPTED_CFOPS: ReadonlySet<string> = new Set(
  [
    '5101 5102 5103 5104 5105 5106 5109 5111 5112 5113 5114 5115 5116 5117 5118 5119 5120',
    '5401 5402 5403 5405',
    '6101 6102 6103 6104 6105 6106 6107 6108 6109 6111 6112 6113 6114 6115 6116 6117 6118 6119 6120 6123',
    '6401 6402 6403 6404',
  ]
    .join(' ')
    .split(' '),
);

/** One file for {@link uploadInvoiceDoc}. */
export interface ShopeeInvoiceFile {
  orderSn: string;
  fileType: (typeof SHOPEE_INVOICE_FILE_TYPES)[keyof typeof SHOPEE_INVOICE_FILE_TYPES];
  bytes: Uint8Array;
  /** Default `invoice.xml` / `invoice.pdf` by type. */
  fileName?: string | undefined;
}

const FILE_NAMES: Record<number, [string, string]> = {
  1: ['invoice.pdf', 'application/pdf'],
  2: ['invoice.jpg', 'image/jpeg'],
  3: ['invoice.png', 'image/png'],
  4: ['invoice.xml', 'application/xml'],
};

/**
 * `POST /api/v2/order/upload_invoice_doc` (multipart: `order_sn`, `file_type`, `file`). Checks the
 * size (≤ 1 MB) before sending. Not repeated after an unknown outcome: a second upload of the same
 * key is refused as a duplicate.
 */
export async function uploadInvoiceDoc(scope: ShopeeScope, file: ShopeeInvoiceFile): Promise<void> {
  const issues: FieldIssue[] = [];
  if (file.bytes.byteLength === 0) issues.push({ path: 'file', message: 'must not be empty' });
  if (file.bytes.byteLength > SHOPEE_INVOICE_FILE_MAX_BYTES) {
    issues.push({ path: 'file', message: 'must be at most 1 MB' });
  }
  if (issues.length > 0)
    throw new ValidationError('Invalid Shopee invoice upload', issues, { marketplace: SHOPEE });
  const [defaultName, contentType] = FILE_NAMES[file.fileType] ?? ['invoice', 'application/octet-stream'];
  const form = new FormData();
  form.append('order_sn', file.orderSn);
  form.append('file_type', String(file.fileType));
  form.append(
    'file',
    new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: contentType }),
    file.fileName ?? defaultName,
  );
  await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/order/upload_invoice_doc',
      body: form,
      accountId: scope.accountId,
      operation: 'order.upload_invoice_doc',
      signal: scope.signal,
    },
    z.unknown(),
  );
}

/** `invoice_data` of {@link addInvoiceData}: Shopee's field texts (9-digit number, 3-digit series). */
export interface ShopeeInvoiceDataInput {
  number: string;
  seriesNumber: string;
  accessKey: string;
  /** Unix seconds. */
  issueDate: number;
  /** Decimal strings, sent as JSON numbers. */
  totalValue: string;
  productsTotalValue: string;
  /** The predominant CFOP. */
  taxCode: string;
}

/** `POST /api/v2/order/add_invoice_data` with `{order_sn, invoice_data{…}}`. Not repeated after an unknown outcome. */
export async function addInvoiceData(
  scope: ShopeeScope,
  orderSn: string,
  invoice: ShopeeInvoiceDataInput,
): Promise<void> {
  await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/order/add_invoice_data',
      body: {
        order_sn: orderSn,
        invoice_data: {
          number: invoice.number.padStart(9, '0'),
          series_number: invoice.seriesNumber.padStart(3, '0'),
          access_key: invoice.accessKey,
          issue_date: invoice.issueDate,
          total_value: new JsonNumberLiteral(invoice.totalValue),
          products_total_value: new JsonNumberLiteral(invoice.productsTotalValue),
          tax_code: invoice.taxCode,
        },
      },
      accountId: scope.accountId,
      operation: 'order.add_invoice_data',
      signal: scope.signal,
    },
    z.unknown(),
  );
}

/** The invoice file uploaded earlier: `GET /api/v2/order/download_invoice_doc` (binary). */
export async function downloadInvoiceDoc(
  scope: ShopeeScope,
  orderSn: string,
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const response = await scope.transport.request<Uint8Array>({
    method: 'GET',
    path: '/api/v2/order/download_invoice_doc',
    query: { order_sn: orderSn },
    accountId: scope.accountId,
    operation: 'order.download_invoice_doc',
    responseType: 'bytes',
    signal: scope.signal,
  });
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (/json/i.test(contentType)) {
    throw new ValidationError(
      'Shopee download_invoice_doc answered JSON instead of a file',
      [{ path: 'orderSn', message: response.text.slice(0, 300) }],
      { marketplace: SHOPEE, requestId: response.requestId },
    );
  }
  return {
    bytes: response.bytes ?? new Uint8Array(),
    contentType: contentType || 'application/octet-stream',
  };
}
