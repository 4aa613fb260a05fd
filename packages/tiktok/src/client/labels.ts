import {
  parseOrThrow,
  type ShippingLabel,
  type ShippingLabelOptions,
  ShippingLabelOptionsSchema,
  type Transport,
  unpackLabelFile,
} from '@mlh/core';
import * as z from 'zod/mini';
import * as documentsApi from '../api/documents';
import * as fulfillmentApi from '../api/fulfillment';
import { TIKTOK } from '../mappers';
import type { TikTokAccountContext } from './context';
import { tiktokModule } from './module';

/** The label call of a TikTok shop's client. */
export interface TikTokLabelsCapability {
  /**
   * The shipping label of a TikTok-shipping package (the id `getShipment` takes), once it is
   * shipped: asks for the document, then downloads its `doc_url` (valid 24 h) and returns the
   * bytes. `format: 'zpl'` exists in Brazil (and Mexico, per the newer spec). `marketplaceFields`:
   * `documentType` (`SHIPPING_LABEL` by default, `PACKING_SLIP`, `SHIPPING_LABEL_AND_PACKING_SLIP`,
   * `INVOICE_LABEL` in Brazil, …) and `documentSize` (`A6` default, `A5`).
   */
  getShippingLabel(shipmentId: string, options?: ShippingLabelOptions): Promise<ShippingLabel>;
}

const LabelFields = /* @__PURE__ */ (() =>
  z.looseObject({
    documentType: z.optional(z.string().check(z.minLength(1))),
    documentSize: z.optional(z.enum(['A6', 'A5'])),
  }))();

/** Labels of packages, on the shop context; the `doc_url` download goes through a transport of its own. */
export function labelsCapability(ctx: TikTokAccountContext): TikTokLabelsCapability {
  let files: Transport | undefined;
  return {
    async getShippingLabel(shipmentId, options = {}) {
      const valid = parseOrThrow(ShippingLabelOptionsSchema, options, 'shipping label options', {
        marketplace: TIKTOK,
      });
      const fields = parseOrThrow(LabelFields, valid.marketplaceFields ?? {}, 'shipping label options', {
        marketplace: TIKTOK,
        path: 'marketplaceFields',
      });
      const format = valid.format ?? 'pdf';
      const documentType = fields.documentType ?? 'SHIPPING_LABEL';
      const call = options.signal ? { ...ctx.call, signal: options.signal } : ctx.call;
      const document = await fulfillmentApi.getShippingDocument(call, shipmentId, {
        documentType,
        documentFormat: format === 'zpl' ? 'ZPL' : 'PDF',
        ...(fields.documentSize ? { documentSize: fields.documentSize } : {}),
      });
      files ??= documentsApi.createTikTokDocumentTransport({ fetch: ctx.download });
      const file = await documentsApi.downloadShippingDocument(files, document.doc_url, {
        signal: options.signal,
      });
      const { label, attachments } = await unpackLabelFile(file, format, TIKTOK);
      // The link is spent: keep what TikTok said about the document, without the expiring URL.
      const { doc_url: _link, ...raw } = document;
      return {
        marketplace: TIKTOK,
        shipmentId,
        format,
        ...label,
        attachments,
        raw: { ...raw, document_type: documentType },
      };
    },
  };
}

/**
 * The label module: `getShippingLabel` (PDF everywhere; ZPL for Brazilian and Mexican shops).
 *
 * @example
 * import { tiktokLabels } from '@mlh/tiktok/labels';
 * const client = createTikTokShop({ ...options, capabilities: [tiktokLabels] }).forAccount(shopId);
 * const label = await client.getShippingLabel(shipment.externalId, { format: 'pdf' });
 */
export const tiktokLabels = /* @__PURE__ */ tiktokModule({
  name: 'labels',
  // ZPL only for Brazilian (and, per the newer spec, Mexican) shops; PDF everywhere.
  capabilities: { shippingLabels: Object.freeze(['pdf', 'zpl'] as const) },
  build: labelsCapability,
});
