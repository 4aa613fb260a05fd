import {
  ConflictError,
  type InvoiceInput,
  type InvoicesCapability,
  type OrderInvoice,
  parseInvoice,
  ValidationError,
} from '@mlh/core';
import * as invoicesApi from '../api/invoices';
import { TIKTOK, toCoreOrderInvoice } from '../mappers';
import type { TikTokOrder } from '../schemas';
import type { TikTokAccountContext } from './context';
import { tiktokModule } from './module';
import { loadOrder } from './orders';

/** The invoice calls of a TikTok shop's client: upload only (TikTok has no call to read one back). */
export type TikTokInvoicesCapability = Pick<InvoicesCapability, 'submitInvoice'>;

/** The packages an order ships in. */
function packageIdsOf(order: TikTokOrder): string[] {
  return [
    ...new Set([
      ...(order.packages ?? []).map((p) => p.id),
      ...order.line_items.flatMap((line) => (line.package_id ? [line.package_id] : [])),
    ]),
  ];
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? value : undefined;
}

/**
 * Brazilian NF-e: `submitInvoice` uploads the authorised XML for the order's package
 * (`marketplaceFields.packageId` when the order has several; `marketplaceFields.orderIds` for
 * every order of a combined package) and resolves `submitted`: TikTok validates it afterwards and
 * says so by webhook 36 and the order's `need_upload_invoice`.
 */
export function invoicesCapability(ctx: TikTokAccountContext): TikTokInvoicesCapability {
  async function submitInvoice(orderExternalId: string, input: InvoiceInput): Promise<OrderInvoice> {
    const invoice = parseInvoice(input, TIKTOK);
    if (invoice.xml === undefined) {
      throw new ValidationError(
        'Invalid invoice',
        [{ path: 'xml', message: 'TikTok Shop takes only the authorised NF-e XML' }],
        { marketplace: TIKTOK },
      );
    }
    const fields = invoice.marketplaceFields ?? {};
    const order = await loadOrder(ctx, orderExternalId);
    const current = toCoreOrderInvoice(order);
    if (current && current.status !== 'required') {
      // INVOICE_PROCESSING: an upload is under way and must not be repeated; the others need none.
      throw new ConflictError(
        `TikTok order ${orderExternalId} takes no invoice now (need_upload_invoice ${current.rawStatus})`,
        { marketplace: TIKTOK, code: current.rawStatus },
      );
    }
    const packages = packageIdsOf(order);
    const packageId =
      typeof fields.packageId === 'string'
        ? fields.packageId
        : packages.length === 1
          ? packages[0]
          : undefined;
    if (!packageId) {
      throw new ValidationError(
        'Invalid invoice',
        [
          {
            path: 'marketplaceFields.packageId',
            message:
              packages.length === 0
                ? `order ${orderExternalId} has no package yet`
                : `order ${orderExternalId} ships in ${packages.length} packages (${packages.join(', ')}): name one`,
          },
        ],
        { marketplace: TIKTOK },
      );
    }
    const xml = typeof invoice.xml === 'string' ? new TextEncoder().encode(invoice.xml) : invoice.xml;
    const { errors, requestId } = await invoicesApi.uploadInvoices(ctx.call, [
      { packageId, orderIds: stringList(fields.orderIds) ?? [orderExternalId], xml },
    ]);
    const [error] = errors;
    if (error) {
      throw new ValidationError(
        `TikTok refused the invoice of package ${packageId}`,
        [
          {
            path: 'xml',
            message: error.message ?? 'refused',
            ...(error.code === undefined ? {} : { code: String(error.code) }),
          },
        ],
        { marketplace: TIKTOK, ...(error.code === undefined ? {} : { code: String(error.code) }), requestId },
      );
    }
    return { status: 'submitted', rawStatus: 'INVOICE_PROCESSING', accessKey: invoice.accessKey };
  }

  return { submitInvoice };
}

/**
 * The invoice module (Brazil): `submitInvoice` uploads the order's NF-e XML for its package.
 *
 * @example
 * import { tiktokInvoices } from '@mlh/tiktok/invoices';
 * const client = createTikTokShop({ ...options, capabilities: [tiktokInvoices] }).forAccount(shopId);
 * await client.submitInvoice(order.externalId, { xml });
 */
export const tiktokInvoices = /* @__PURE__ */ tiktokModule({
  name: 'invoices',
  capabilities: {},
  build: invoicesCapability,
});
