/** Brazilian invoice upload (catalog and after-sale reference §8.1). */
import * as z from 'zod';
import { nfeKeyProblem, readNfe } from '../../shared/nfe';
import { type TikTokItemError, tiktokError } from '../errors';
import { parseInput, shopOf, type TikTokCall, type TikTokRoute } from '../gateway';
import { settleInvoice, TIKTOK_INVOICE_VERIFICATION_SECONDS } from '../lifecycle';
import type { TikTokSandboxInvoiceUpload, TikTokSandboxOrder } from '../state';

/** Largest NF-e XML the upload takes, before Base64 (reference §8.1). */
const TIKTOK_INVOICE_MAX_BYTES = 1024 * 1024;

const SCOPE = 'seller.fulfillment.basic';
/** The code the sandbox gives a refused invoice entry: the reference names `10007014` for "retry later" only. */
const INVOICE_REFUSED = 21001006;

const uploadBody = z.looseObject({
  invoices: z
    .array(
      z.looseObject({
        package_id: z.string().min(1),
        order_ids: z.array(z.string().min(1)).min(1),
        file_type: z.string(),
        file: z.string().min(1),
      }),
    )
    .min(1),
});

function decodeBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function refused(
  entry: { package_id: string; order_ids: string[] },
  message: string,
  code = INVOICE_REFUSED,
): TikTokItemError {
  return { code, message, detail: { package_id: entry.package_id, order_ids: entry.order_ids } };
}

/**
 * What verification will say of a note the upload accepted: a homologation or unauthorised note
 * is `NOT_AUTHORIZED`, a key already used `ACCESS_KEY_DUPLICATE`, else `SUCCESS`.
 */
function verdict(
  call: TikTokCall,
  order: TikTokSandboxOrder,
  note: { accessKey: string; environment: string | undefined; authorizationStatus: string | undefined },
): Pick<TikTokSandboxInvoiceUpload, 'outcome' | 'invalidReason'> {
  if (note.environment === '2' || note.authorizationStatus !== '100')
    return { outcome: 'FAILED', invalidReason: 'NOT_AUTHORIZED' };
  for (const other of call.context.state.orders.values()) {
    if (other !== order && other.invoiceAccessKey === note.accessKey)
      return { outcome: 'FAILED', invalidReason: 'ACCESS_KEY_DUPLICATE' };
  }
  return { outcome: 'SUCCESS' };
}

/**
 * `POST /fulfillment/202502/invoice/upload`: one entry per package, the NF-e XML in Base64.
 * Entries it cannot take come back in `data.errors` (with `code` 0); a taken note is
 * `INVOICE_PROCESSING` until verified, then reported by webhook 36.
 */
function uploadInvoices(call: TikTokCall): Record<string, unknown> {
  const shop = shopOf(call);
  if (shop.region !== 'BR') throw tiktokError('invalidParam', 'invoice upload is only available in Brazil');
  const input = parseInput(uploadBody, call.body);
  const errors: TikTokItemError[] = [];
  for (const entry of input.invoices) {
    const pkg = call.context.state.packages.get(entry.package_id);
    const order = pkg ? call.context.state.orders.get(pkg.orderId) : undefined;
    if (!pkg || pkg.shopId !== shop.id || !order) {
      errors.push(refused(entry, 'package does not exist', 21001001));
      continue;
    }
    settleInvoice(call.context, order);
    if (!entry.order_ids.includes(order.id)) {
      errors.push(refused(entry, `order_ids must list the orders of package ${pkg.id}`));
      continue;
    }
    if (entry.file_type !== 'XML') {
      errors.push(refused(entry, 'file_type must be XML'));
      continue;
    }
    if (order.invoiceStatus !== 'NEED_INVOICE') {
      errors.push(
        refused(entry, `the order does not take an invoice now (${order.invoiceStatus ?? 'NO_NEED'})`),
      );
      continue;
    }
    const bytes = decodeBase64(entry.file);
    if (!bytes || bytes.byteLength > TIKTOK_INVOICE_MAX_BYTES) {
      errors.push(refused(entry, 'file must be Base64 of at most 1 MB'));
      continue;
    }
    const note = readNfe(new TextDecoder().decode(bytes));
    const keyProblem = note?.accessKey === undefined ? 'no access key' : nfeKeyProblem(note.accessKey);
    if (!note?.accessKey || keyProblem || note.model !== '55') {
      errors.push(refused(entry, `invalid NF-e XML: ${keyProblem ?? 'not model 55'}`));
      continue;
    }
    order.invoiceStatus = 'INVOICE_PROCESSING';
    order.invoiceAccessKey = note.accessKey;
    order.pendingInvoice = {
      packageId: pkg.id,
      accessKey: note.accessKey,
      verifiesAt: call.context.nowSeconds() + TIKTOK_INVOICE_VERIFICATION_SECONDS,
      ...verdict(call, order, {
        accessKey: note.accessKey,
        environment: note.environment,
        authorizationStatus: note.authorizationStatus,
      }),
    };
    order.updateTime = call.context.nowSeconds();
  }
  return errors.length > 0 ? { errors } : {};
}

/** Invoice endpoints. */
export const invoiceRoutes: TikTokRoute[] = [
  {
    method: 'POST',
    path: '/fulfillment/202502/invoice/upload',
    scope: SCOPE,
    shopCipher: 'required',
    handle: uploadInvoices,
  },
];
