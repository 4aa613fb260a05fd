import * as z from 'zod';
import { nfeKeyProblem, readNfe } from '../shared/nfe';
import { nowSeconds, type ShopeeCall, type ShopeeContext, type ShopeeEndpoint } from './context';
import { envelopeResponse, ShopeeApiError } from './envelope';
import { awaitingInvoice } from './orders';
import { parseBody, readForm, requiredQuery } from './params';
import type { ShopeeInvoiceDataRecord, ShopeeOrderRecord } from './state';

/** Limits and rules of Brazilian invoices (reference §4). */
export const SHOPEE_INVOICE_LIMITS = {
  maxFileBytes: 1024 * 1024,
  /** How long SEFAZ validation keeps a note `pending` in the sandbox. */
  validationSeconds: 60,
} as const;

/** The CFOPs Shopee accepts on a note (reference §4.6). */
const ACCEPTED_CFOPS = new Set(
  (
    '5101 5102 5103 5104 5105 5106 5109 5111 5112 5113 5114 5115 5116 5117 5118 5119 5120 5401 5402 5403 5405 ' +
    '6101 6102 6103 6104 6105 6106 6107 6108 6109 6111 6112 6113 6114 6115 6116 6117 6118 6119 6120 6123 ' +
    '6401 6402 6403 6404'
  ).split(' '),
);

const CONTENT_TYPES: Record<number, [string, string]> = {
  1: ['application/pdf', 'invoice.pdf'],
  2: ['image/jpeg', 'invoice.jpg'],
  3: ['image/png', 'invoice.png'],
  4: ['application/xml', 'invoice.xml'],
};

function wrongParameter(detail: string): ShopeeApiError {
  return new ShopeeApiError('error_param', `Wrong parameters, detail: ${detail}`);
}

function orderOfShop(context: ShopeeContext, call: ShopeeCall, orderSn: string): ShopeeOrderRecord {
  const order = context.state.orders.get(orderSn);
  if (!order || order.shopId !== call.shop!.shopId)
    throw new ShopeeApiError('error_not_found', `Order ${orderSn} not found.`);
  return order;
}

/** Refuses an order that is not waiting for its note (Correios channel, CPF seller, cancelled, already valid). */
function requireAwaitingInvoice(context: ShopeeContext, order: ShopeeOrderRecord): void {
  if (!awaitingInvoice(context, order) || order.invoiceData?.status === 'pending') {
    throw wrongParameter('The invoice status is invalid to upload invoice data.');
  }
}

/** The checks Shopee runs on a note's key, dates and CFOP, whichever way it arrives. */
function checkNote(
  context: ShopeeContext,
  order: ShopeeOrderRecord,
  note: { accessKey: string; issueDate: number | undefined; taxCode: string | undefined },
): void {
  const keyProblem = nfeKeyProblem(note.accessKey);
  if (keyProblem) throw wrongParameter(keyProblem);
  if (note.accessKey.slice(20, 22) !== '55') {
    throw new ShopeeApiError('error_param', 'Invalid NF-e model. Only model 55 is accepted.');
  }
  for (const other of context.state.orders.values()) {
    if (other !== order && other.invoiceData?.accessKey === note.accessKey) {
      throw new ShopeeApiError(
        'error_param',
        'Access Key duplicated, please do not use duplicated Access Key.',
      );
    }
  }
  if (note.issueDate !== undefined && note.issueDate > nowSeconds(context)) {
    throw wrongParameter('Invalid issue date. The NF-e issue date cannot be greater than the current date..');
  }
  if (note.issueDate !== undefined && order.payTime !== undefined && note.issueDate < order.payTime) {
    throw wrongParameter('Invalid issue date. The NF-e issue date must be after the order payment..');
  }
  if (note.taxCode !== undefined && !ACCEPTED_CFOPS.has(note.taxCode)) {
    throw new ShopeeApiError('error_param', 'CFOP invalid, please confirm it');
  }
}

/** Records a note as SEFAZ-pending; it becomes `valid` after the validation time. */
function attach(
  context: ShopeeContext,
  order: ShopeeOrderRecord,
  invoice: Omit<ShopeeInvoiceDataRecord, 'status' | 'pendingReason'>,
): void {
  order.invoiceData = {
    ...invoice,
    status: 'pending',
    pendingReason: 'The NF-e is being validated with SEFAZ.',
    validatesAt: nowSeconds(context) + SHOPEE_INVOICE_LIMITS.validationSeconds,
  };
  order.updateTime = nowSeconds(context);
}

const AddInvoiceDataBody = z.object({
  order_sn: z.string({ error: 'order_sn is a required field.' }).min(1, 'order_sn is a required field.'),
  invoice_data: z.object({
    number: z.string(),
    series_number: z.string(),
    access_key: z.string({ error: 'access_key is a required field.' }),
    issue_date: z.number().int(),
    total_value: z.union([z.number(), z.string()]),
    products_total_value: z.union([z.number(), z.string()]),
    tax_code: z.string(),
  }),
});

/**
 * Brazilian NF-e endpoints (reference §4): `upload_invoice_doc` (multipart, XML `file_type` 4),
 * `add_invoice_data` (JSON) and `download_invoice_doc` (binary). A note is `pending` until SEFAZ
 * validates it, then `valid`; until then the order stays `INVOICE_PENDING` and cannot ship.
 */
export const invoiceEndpoints: Record<string, ShopeeEndpoint> = {
  '/api/v2/order/upload_invoice_doc': {
    method: 'POST',
    kind: 'shop',
    body: 'multipart',
    async handle(call, context) {
      const form = await readForm(call, 'Wrong parameters, detail: The body should be multipart/form-data.');
      const orderSn = String(form.get('order_sn') ?? '');
      if (orderSn === '') throw wrongParameter('order_sn is a required field.');
      const fileType = Number(form.get('file_type'));
      if (!CONTENT_TYPES[fileType]) throw wrongParameter('file_type should be 1, 2, 3 or 4.');
      const order = orderOfShop(context, call, orderSn);
      requireAwaitingInvoice(context, order);
      const file = form.get('file');
      if (file === null || typeof file === 'string')
        throw new ShopeeApiError('order.upload_invoice_error', 'File error.');
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (bytes.byteLength === 0 || bytes.byteLength > SHOPEE_INVOICE_LIMITS.maxFileBytes) {
        throw new ShopeeApiError('order.upload_invoice_error', 'File error.');
      }
      const [contentType, fileName] = CONTENT_TYPES[fileType] as [string, string];
      if (fileType === 4) {
        const note = readNfe(new TextDecoder().decode(bytes));
        if (!note?.accessKey)
          throw new ShopeeApiError('error_param', 'Please upload a valid Invoice XML file');
        if (note.model !== '55')
          throw new ShopeeApiError('error_param', 'Invalid NF-e model. Only model 55 is accepted.');
        const issueDate = note.issuedAtMs === undefined ? undefined : Math.floor(note.issuedAtMs / 1000);
        checkNote(context, order, { accessKey: note.accessKey, issueDate, taxCode: note.cfop });
        // Homologation (test) notes and notes SEFAZ did not authorise are not valid NF-e.
        if (note.environment === '2' || note.authorizationStatus !== '100')
          throw wrongParameter('Invalid NF-e.');
        attach(context, order, {
          number: (note.number ?? '').padStart(9, '0'),
          seriesNumber: (note.series ?? '').padStart(3, '0'),
          accessKey: note.accessKey,
          issueDate: issueDate ?? nowSeconds(context),
          totalValue: note.total ?? '0',
          productsTotalValue: note.productsTotal ?? note.total ?? '0',
          taxCode: note.cfop ?? '',
        });
      }
      order.invoiceDocument = { bytes, contentType, fileName };
      return envelopeResponse(undefined);
    },
  },
  '/api/v2/order/add_invoice_data': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(AddInvoiceDataBody, call.body);
      const order = orderOfShop(context, call, body.order_sn);
      requireAwaitingInvoice(context, order);
      const data = body.invoice_data;
      if (data.access_key.length !== 44) throw wrongParameter('access_key must be 44 characters in length.');
      checkNote(context, order, {
        accessKey: data.access_key,
        issueDate: data.issue_date,
        taxCode: data.tax_code,
      });
      if (
        Number(data.number) !== Number(data.access_key.slice(25, 34)) ||
        Number(data.series_number) !== Number(data.access_key.slice(22, 25))
      ) {
        throw wrongParameter('Invalid access key..');
      }
      attach(context, order, {
        number: data.number,
        seriesNumber: data.series_number,
        accessKey: data.access_key,
        issueDate: data.issue_date,
        totalValue: String(data.total_value),
        productsTotalValue: String(data.products_total_value),
        taxCode: data.tax_code,
      });
      return envelopeResponse(undefined);
    },
  },
  '/api/v2/order/download_invoice_doc': {
    method: 'GET',
    kind: 'shop',
    handle(call, context) {
      const order = orderOfShop(context, call, requiredQuery(call.query, 'order_sn'));
      const document = order.invoiceDocument;
      if (!document) throw new ShopeeApiError('error_order', 'Invoice is not available for this order');
      return new Response(document.bytes as Uint8Array<ArrayBuffer>, {
        status: 200,
        headers: {
          'content-type': document.contentType,
          'content-disposition': `attachment; filename="${document.fileName}"`,
        },
      });
    },
  },
};
