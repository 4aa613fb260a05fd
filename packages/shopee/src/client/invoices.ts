import {
  type FieldIssue,
  type Invoice,
  type InvoiceInput,
  type InvoicesCapability,
  instantToEpochMs,
  isMlhError,
  NotFoundError,
  type OrderInvoice,
  parseInvoice,
} from '@mlh/core';
import * as invoicesApi from '../api/invoices';
import { getShopProfile } from '../api/shop';
import { mapShopeeOrderInvoice } from '../mappers';
import { SHOPEE } from '../transport';
import { checkOrderSn, invalid } from './checks';
import type { ShopeeAccountContext, ShopeeInvoiceIssuerReader } from './context';
import { shopeeModule } from './module';
import { createOrderLoader, type ShopeeOrderLoader } from './orders';

/** Shopee's `add_invoice_data` body from a checked invoice, or the issues naming what is missing. */
function invoiceData(invoice: Invoice): invoicesApi.ShopeeInvoiceDataInput | FieldIssue[] {
  const issues: FieldIssue[] = [];
  const need = (path: string, what: string) =>
    issues.push({ path, message: `required to send invoice data without the XML (${what})` });
  const issuedMs = invoice.issuedAt === undefined ? undefined : instantToEpochMs(invoice.issuedAt);
  if (issuedMs === undefined) need('issuedAt', 'issue_date');
  if (!invoice.total) need('total', 'total_value');
  if (!invoice.productsTotal) need('productsTotal', 'products_total_value');
  if (!invoice.cfop) need('cfop', 'tax_code');
  if (issues.length > 0) return issues;
  const key = invoice.accessKey;
  return {
    number: invoice.number ?? key.slice(25, 34),
    seriesNumber: invoice.series ?? key.slice(22, 25),
    accessKey: key,
    issueDate: Math.floor((issuedMs as number) / 1000),
    totalValue: invoice.total?.amount as string,
    productsTotalValue: invoice.productsTotal?.amount as string,
    taxCode: invoice.cfop as string,
  };
}

/** Checks an invoice against Shopee's own rules before anything is sent. */
function checkInvoice(orderSn: string, input: InvoiceInput): Invoice {
  const issues: FieldIssue[] = [];
  checkOrderSn(orderSn, 'orderExternalId', issues);
  const invoice = parseInvoice(input, SHOPEE);
  if (invoice.cfop && !invoicesApi.SHOPEE_ACCEPTED_CFOPS.has(invoice.cfop)) {
    issues.push({ path: 'cfop', message: `${invoice.cfop} is not a CFOP Shopee accepts on an NF-e` });
  }
  const currencies = [invoice.total, invoice.productsTotal].filter(
    (value) => value && value.currency !== 'BRL',
  );
  if (currencies.length > 0) issues.push({ path: 'total', message: 'must be in BRL' });
  if (issues.length > 0) throw invalid('invoice', issues);
  return invoice;
}

/** The invoice calls of a Shopee client. */
export interface ShopeeInvoicesCapability extends Required<InvoicesCapability> {
  /** The file uploaded with `submitInvoice` (`download_invoice_doc`). */
  downloadInvoiceDocument(orderExternalId: string): Promise<{ bytes: Uint8Array; contentType: string }>;
}

/**
 * NF-e of Brazilian orders: `submitInvoice` uploads the authorised XML (`upload_invoice_doc`,
 * `file_type` 4), or a PDF (`file_type` 1) when that is all there is, or, without a file, sends the
 * invoice data (`add_invoice_data`, which Shopee may keep to whitelisted shops); then reads
 * `invoice_data` back. `getInvoice` reads `invoice_data`.
 */
export function invoicesCapability(
  ctx: ShopeeAccountContext,
  loadOrders: ShopeeOrderLoader,
): ShopeeInvoicesCapability {
  const { scope } = ctx;

  async function readInvoice(orderSn: string): Promise<OrderInvoice | undefined> {
    const [order] = await loadOrders([orderSn]);
    if (!order) throw new NotFoundError(`Shopee order ${orderSn} not found`, { marketplace: SHOPEE });
    const invoice = mapShopeeOrderInvoice(order, { currency: ctx.shopCurrency });
    return invoice && invoice.status !== 'required' ? invoice : undefined;
  }

  async function submitInvoice(orderExternalId: string, input: InvoiceInput): Promise<OrderInvoice> {
    const invoice = checkInvoice(orderExternalId, input);
    const xml =
      invoice.xml === undefined
        ? undefined
        : typeof invoice.xml === 'string'
          ? new TextEncoder().encode(invoice.xml)
          : invoice.xml;
    if (xml) {
      await invoicesApi.uploadInvoiceDoc(scope, {
        orderSn: orderExternalId,
        fileType: invoicesApi.SHOPEE_INVOICE_FILE_TYPES.xml,
        bytes: xml,
      });
    } else if (invoice.pdf) {
      await invoicesApi.uploadInvoiceDoc(scope, {
        orderSn: orderExternalId,
        fileType: invoicesApi.SHOPEE_INVOICE_FILE_TYPES.pdf,
        bytes: invoice.pdf,
      });
    } else {
      const data = invoiceData(invoice);
      if (Array.isArray(data)) throw invalid('invoice', data);
      await invoicesApi.addInvoiceData(scope, orderExternalId, data);
    }
    // An answer without error is not acceptance: Shopee validates against SEFAZ afterwards.
    const stored = await readInvoice(orderExternalId);
    return stored ?? { status: 'submitted', accessKey: invoice.accessKey };
  }

  async function getInvoice(orderExternalId: string): Promise<OrderInvoice | undefined> {
    const issues: FieldIssue[] = [];
    checkOrderSn(orderExternalId, 'orderExternalId', issues);
    if (issues.length > 0) throw invalid('order id', issues);
    return readInvoice(orderExternalId);
  }

  async function downloadInvoiceDocument(orderExternalId: string) {
    const issues: FieldIssue[] = [];
    checkOrderSn(orderExternalId, 'orderExternalId', issues);
    if (issues.length > 0) throw invalid('order id', issues);
    return invoicesApi.downloadInvoiceDoc(scope, orderExternalId);
  }

  return { submitInvoice, getInvoice, downloadInvoiceDocument };
}

/** Error kinds of a profile read that say asking again will not help. */
const REFUSALS: ReadonlySet<string> = new Set(['permission', 'not_found', 'validation']);

/**
 * Whether a Brazilian shop issues its own NF-e, from `shop/get_profile` (`invoice_issuer`:
 * `Shopee` or `Other`) kept in the app's cache (kind `shopProfile`, an hour by default), so
 * clients made per request read it once. True unless the profile names Shopee: an order is then
 * still looked up in the `INVOICE_PENDING` list.
 */
const sellerIssuesInvoicesByProfile: ShopeeInvoiceIssuerReader = async (shop, signal) => {
  try {
    const issuer = await shop.cache.read('shopProfile', [SHOPEE, shop.accountId], async () => {
      try {
        return (await getShopProfile(signal ? { ...shop.scope, signal } : shop.scope)).invoice_issuer ?? '';
      } catch (error) {
        // A refusal (the profile API not granted to the app, or not offered) is kept as "unknown"
        // like a blank issuer; anything else is not kept, so the next order asks again.
        if (isMlhError(error) && REFUSALS.has(error.kind)) return '';
        throw error;
      }
    });
    return issuer.trim().toLowerCase() !== 'shopee';
  } catch {
    return true;
  }
};

/**
 * The invoice module (Brazil): `submitInvoice`, `getInvoice`, `downloadInvoiceDocument`. Orders
 * carry their invoice state without it (`Order.invoice`, `invoicePending`).
 *
 * @example
 * import { shopeeInvoices } from '@mlh/shopee/invoices';
 * const client = createShopee({ ...options, capabilities: [shopeeInvoices] }).forShop(shopId);
 * await client.submitInvoice(order.externalId, { xml });
 */
export const shopeeInvoices = /* @__PURE__ */ shopeeModule({
  name: 'invoices',
  capabilities: {},
  build: (ctx) => invoicesCapability(ctx, createOrderLoader(ctx)),
  invoiceIssuer: sellerIssuesInvoicesByProfile,
});
