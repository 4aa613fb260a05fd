import {
  parseOrThrow,
  type ShippingLabel,
  type ShippingLabelOptions,
  ShippingLabelOptionsSchema,
  unpackLabelFile,
} from '@mlh/core';
import * as labelsApi from '../api/labels';
import type { MeliAccountContext } from './context';
import { meliModule } from './module';

/** The label calls of a Mercado Livre client. */
export interface MeliLabelsCapability {
  /** The label of one shipment: PDF, or ZPL taken out of the ZIP Mercado Livre sends. */
  getShippingLabel(shipmentId: string, options?: ShippingLabelOptions): Promise<ShippingLabel>;
  /**
   * The label files of many shipments, one file per 50 (Mercado Livre's cap), as sent: PDF, or
   * with `zpl2` a ZIP holding the ZPL text.
   */
  getShippingLabelFiles(
    shipmentIds: readonly string[],
    options?: { responseType?: labelsApi.MeliLabelResponseType; signal?: AbortSignal },
  ): Promise<labelsApi.MeliLabelFile[]>;
}

/**
 * Labels of ME2 shipments (`GET /shipment_labels`): PDF, or ZPL (taken out of the ZIP
 * Mercado Livre wraps it in). Refused, as Mercado Livre refuses it, until the shipment is
 * `ready_to_ship` / `ready_to_print`.
 */
export function labelsCapability(ctx: MeliAccountContext): MeliLabelsCapability {
  const { context } = ctx;
  return {
    async getShippingLabel(shipmentId, options = {}): Promise<ShippingLabel> {
      const valid = parseOrThrow(ShippingLabelOptionsSchema, options, 'shipping label options', {
        marketplace: 'meli',
      });
      const format = valid.format ?? 'pdf';
      const file = await labelsApi.getShipmentLabels(context, [shipmentId], {
        responseType: format === 'zpl' ? 'zpl2' : 'pdf',
        signal: options.signal,
      });
      const { label, attachments } = await unpackLabelFile(file, format, 'meli');
      return {
        marketplace: 'meli',
        shipmentId,
        format,
        ...label,
        attachments,
        raw: { response_type: format === 'zpl' ? 'zpl2' : 'pdf', content_type: file.contentType },
      };
    },
    getShippingLabelFiles: (shipmentIds, options = {}) =>
      labelsApi.getShipmentLabelBatches(context, shipmentIds, options),
  };
}

/**
 * The label module: `getShippingLabel` and `getShippingLabelFiles` (PDF, or ZPL).
 *
 * @example
 * import { meliLabels } from '@mlh/meli/labels';
 * const client = createMeli({ ...options, capabilities: [meliLabels] }).forAccount(sellerId);
 * const label = await client.getShippingLabel(shipment.externalId, { format: 'zpl' });
 */
export const meliLabels = /* @__PURE__ */ meliModule({
  name: 'labels',
  capabilities: { shippingLabels: Object.freeze(['pdf', 'zpl'] as const) },
  build: labelsCapability,
});
