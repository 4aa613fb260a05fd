import {
  ConflictError,
  isMlhError,
  MlhError,
  parseOrThrow,
  type ShippingLabel,
  type ShippingLabelOptions,
  ShippingLabelOptionsSchema,
  TimeoutError,
  unpackLabelFile,
} from '@mlh/core';
import * as z from 'zod/mini';
import * as labelsApi from '../api/labels';
import * as logisticsApi from '../api/logistics';
import { parseShopeeShipmentId } from '../mappers';
import { SHOPEE } from '../transport';
import { checkOrderSn, invalid } from './checks';
import type { ShopeeAccountContext } from './context';
import { shopeeModule } from './module';

/** The label call of a Shopee client. */
export interface ShopeeLabelsCapability {
  /**
   * The air waybill of a package (`order_sn`, or `order_sn:package_number`), through Shopee's
   * create → poll → download flow. `format: 'zpl'` asks for `THERMAL_AIR_WAYBILL`, which is ZPL
   * in Brazil only (a ZIP with the label and a PDF content declaration, kept as an attachment);
   * `pdf` asks for `NORMAL_AIR_WAYBILL`. `marketplaceFields`: `shippingDocumentType` (any type),
   * `pollFirstDelayMs` (default 1000, doubling up to 30 s), `pollTimeoutMs` (default 180000).
   */
  getShippingLabel(shipmentId: string, options?: ShippingLabelOptions): Promise<ShippingLabel>;
}

const LabelFields = /* @__PURE__ */ (() =>
  z.looseObject({
    shippingDocumentType: z.optional(z.string().check(z.minLength(1))),
    pollFirstDelayMs: z.optional(z.number().check(z.int(), z.gte(0))),
    pollTimeoutMs: z.optional(z.number().check(z.int(), z.positive())),
  }))();

/** Poll delays of the document task (Shopee only says "call it cyclically"). */
export const SHOPEE_LABEL_POLLING = Object.freeze({
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  timeoutMs: 180_000,
});

/** A package's failure in a document call's `result_list`, as the core error it means. */
function entryError(entry: labelsApi.ShopeeDocumentResult, what: string): MlhError {
  const code = (entry.fail_error ?? '').trim();
  const message = `Shopee ${what} refused order ${entry.order_sn}: ${entry.fail_message ?? code} (${code})`;
  return /status|can_not|cannot|should_print_first|tracking/.test(code)
    ? new ConflictError(message, { marketplace: SHOPEE, code })
    : new MlhError(message, { marketplace: SHOPEE, code });
}

/** Labels (air waybills) of packages, on the shop context. */
export function labelsCapability(ctx: ShopeeAccountContext): ShopeeLabelsCapability {
  return {
    async getShippingLabel(shipmentId, options = {}) {
      const valid = parseOrThrow(ShippingLabelOptionsSchema, options, 'shipping label options', {
        marketplace: SHOPEE,
      });
      const fields = parseOrThrow(LabelFields, valid.marketplaceFields ?? {}, 'shipping label options', {
        marketplace: SHOPEE,
        path: 'marketplaceFields',
      });
      const { orderSn, packageNumber } = parseShopeeShipmentId(shipmentId);
      const issues: Parameters<typeof checkOrderSn>[2] = [];
      checkOrderSn(orderSn, 'shipmentId', issues);
      if (issues.length > 0) throw invalid('shipment id', issues);
      const format = valid.format ?? 'pdf';
      const scope = ctx.scoped(options.signal);
      const ref = { orderSn, ...(packageNumber ? { packageNumber } : {}) };
      const type =
        fields.shippingDocumentType ?? (format === 'zpl' ? 'THERMAL_AIR_WAYBILL' : 'NORMAL_AIR_WAYBILL');

      const tracking = await logisticsApi.getTrackingNumber(scope, ref);
      const trackingNumber = tracking.tracking_number?.trim() || undefined;
      const documentRef = {
        ...ref,
        shippingDocumentType: type,
        ...(trackingNumber ? { trackingNumber } : {}),
      };
      const created = await labelsApi
        .createShippingDocuments(scope, [documentRef])
        .catch((error: unknown) => {
          // One package, refused: Shopee says so as "every entry failed", with the reason as message.
          if (isMlhError(error) && error.code?.trim() === 'common.batch_api_all_failed') {
            throw new ConflictError(error.message, {
              marketplace: SHOPEE,
              code: error.code,
              status: error.status,
              requestId: error.requestId,
            });
          }
          throw error;
        });
      const refused = created.find((entry) => entry.fail_error);
      if (refused) throw entryError(refused, 'create_shipping_document');

      // Poll the task: 1 s, 2 s, 4 s … up to 30 s between asks, for at most the timeout.
      const timeoutMs = fields.pollTimeoutMs ?? SHOPEE_LABEL_POLLING.timeoutMs;
      const startedAt = ctx.clock.now();
      let delay = fields.pollFirstDelayMs ?? SHOPEE_LABEL_POLLING.firstDelayMs;
      for (;;) {
        const [result] = await labelsApi.getShippingDocumentResults(scope, [documentRef]);
        const status = (result?.status ?? '').toUpperCase();
        if (result?.fail_error || status === 'FAILED') {
          throw entryError(
            {
              order_sn: orderSn,
              fail_error: 'logistics.document_failed',
              fail_message: 'the task failed',
              ...result,
            },
            'get_shipping_document_result',
          );
        }
        if (status === 'READY') break;
        if (ctx.clock.now() - startedAt + delay > timeoutMs) {
          throw new TimeoutError(
            `Shopee shipping document of ${shipmentId} still ${status || 'not ready'} after ${timeoutMs} ms`,
            { marketplace: SHOPEE, code: 'shipping_document_pending' },
          );
        }
        await ctx.clock.sleep(delay, options.signal);
        delay = Math.min(Math.max(delay * 2, 1), SHOPEE_LABEL_POLLING.maxDelayMs);
      }

      let file: labelsApi.ShopeeDocumentFile;
      try {
        file = await labelsApi.downloadShippingDocument(scope, [ref], { shippingDocumentType: type });
      } catch (error) {
        if (isMlhError(error) && error.code?.trim() === 'logistics.download_later') {
          throw new ConflictError(`${error.message}: the document is not ready yet; ask again later`, {
            marketplace: SHOPEE,
            code: error.code,
            retryable: true,
          });
        }
        throw error;
      }
      const { label, attachments } = await unpackLabelFile(file, format, SHOPEE);
      return {
        marketplace: SHOPEE,
        shipmentId,
        format,
        ...label,
        attachments,
        raw: {
          shipping_document_type: type,
          ...(trackingNumber ? { tracking_number: trackingNumber } : {}),
          content_type: file.contentType,
        },
      };
    },
  };
}

/**
 * The label module: `getShippingLabel` (air waybills, PDF everywhere, ZPL in Brazil).
 *
 * @example
 * import { shopeeLabels } from '@mlh/shopee/labels';
 * const client = createShopee({ ...options, capabilities: [shopeeLabels] }).forShop(shopId);
 * const label = await client.getShippingLabel(order.externalId, { format: 'pdf' });
 */
export const shopeeLabels = /* @__PURE__ */ shopeeModule({
  name: 'labels',
  // ZPL is Brazil's thermal air waybill; elsewhere Shopee's documents are PDF.
  capabilities: { shippingLabels: Object.freeze(['pdf', 'zpl'] as const) },
  build: labelsCapability,
});
