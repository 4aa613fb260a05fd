import * as z from 'zod';
import { fileResponse, labelPdf, labelZpl, zipArchive } from '../shared/index';
import type { ShopeeCall, ShopeeContext, ShopeeEndpoint } from './context';
import { newRequestId, ShopeeApiError } from './envelope';
import { type JsonWritable, stringifyJson } from './json';
import { parseBody } from './params';
import type { ShopeeOrderRecord } from './state';

/**
 * Shipping documents (air waybills), Shopee's asynchronous flow (reference "catalog and
 * after-sale" §5): `create_shipping_document` starts a task per package, which stays
 * `PROCESSING` for {@link SHOPEE_DOCUMENT_PROCESSING_MS} of sandbox time (and for at least one
 * poll), then `get_shipping_document_result` says `READY` and `download_shipping_document`
 * answers the file. Creating needs the order `PROCESSED` (shipment arranged, tracking number
 * known) and the package not yet picked up.
 */

/** Sandbox time a document task takes before it is ready. */
export const SHOPEE_DOCUMENT_PROCESSING_MS = 2_000;
/** Most packages per document call. */
export const SHOPEE_DOCUMENT_BATCH_MAX = 50;

const DOCUMENT_TYPES = [
  'NORMAL_AIR_WAYBILL',
  'THERMAL_AIR_WAYBILL',
  'NORMAL_JOB_AIR_WAYBILL',
  'THERMAL_JOB_AIR_WAYBILL',
] as const;
type DocumentType = (typeof DOCUMENT_TYPES)[number];

interface DocumentTask {
  type: DocumentType;
  readyAt: number;
  polled: boolean;
}

/** Document tasks per order record (a reset makes new records, so tasks go with them). */
const tasks = new WeakMap<ShopeeOrderRecord, DocumentTask>();

const OrderRef = z.object({
  order_sn: z.string().min(1),
  package_number: z.string().optional(),
  tracking_number: z.string().optional(),
  shipping_document_type: z.enum(DOCUMENT_TYPES).optional(),
});
const OrderList = z.object({
  order_list: z.array(OrderRef).min(1).max(SHOPEE_DOCUMENT_BATCH_MAX),
  shipping_document_type: z.enum(DOCUMENT_TYPES).optional(),
});
type Ref = z.infer<typeof OrderRef>;

/** A per-package failure, as the batch calls report one. */
class EntryFailure extends Error {
  constructor(
    readonly failError: string,
    message: string,
  ) {
    super(message);
  }
}

function orderOf(context: ShopeeContext, call: ShopeeCall, ref: Ref): ShopeeOrderRecord {
  const order = context.state.orders.get(ref.order_sn);
  if (!order || order.shopId !== call.shop!.shopId) {
    throw new EntryFailure('logistics.order_not_found', `Order ${ref.order_sn} not found.`);
  }
  if (ref.package_number !== undefined && ref.package_number !== order.package.packageNumber) {
    throw new EntryFailure('logistics.package_number_not_exist', 'package_number does not exist.');
  }
  return order;
}

/** The document can be printed: shipment arranged, not yet handed to the carrier. */
function checkPrintable(order: ShopeeOrderRecord): void {
  if (order.status !== 'PROCESSED') {
    throw new EntryFailure('logistics.order_status_error', 'Order status does not support awb printing');
  }
  if (order.package.logisticsStatus !== 'LOGISTICS_REQUEST_CREATED') {
    throw new EntryFailure('logistics.package_can_not_print', 'The package can not print now.');
  }
}

function suggestedType(order: ShopeeOrderRecord): DocumentType {
  return order.region === 'BR' ? 'THERMAL_AIR_WAYBILL' : 'NORMAL_AIR_WAYBILL';
}

/**
 * Runs `each` for every entry: successes and failures side by side in `result_list`, failures
 * also in `warning`; when every entry failed, the envelope says `common.batch_api_all_failed`.
 */
function batch(entries: readonly Ref[], each: (ref: Ref) => Record<string, JsonWritable>): Response {
  const results: Record<string, JsonWritable>[] = [];
  const failed: Record<string, JsonWritable>[] = [];
  for (const ref of entries) {
    const key = { order_sn: ref.order_sn, package_number: ref.package_number ?? '' };
    try {
      results.push({ ...key, ...each(ref) });
    } catch (error) {
      if (!(error instanceof EntryFailure)) throw error;
      const failure = { ...key, fail_error: error.failError, fail_message: error.message };
      results.push(failure);
      failed.push(key);
    }
  }
  if (failed.length === entries.length) {
    const first = results[0] as { fail_message?: string };
    return new Response(
      stringifyJson({
        request_id: newRequestId(),
        error: 'common.batch_api_all_failed',
        message: first.fail_message ?? 'All requests failed.',
        warning: failed,
        response: { result_list: results },
      }),
      { status: 400, headers: { 'content-type': 'application/json' } },
    );
  }
  return new Response(
    stringifyJson({
      request_id: newRequestId(),
      error: '',
      message: '',
      ...(failed.length > 0 ? { warning: failed } : {}),
      response: { result_list: results },
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );
}

/** The shipping-document endpoints. */
export const documentEndpoints: Record<string, ShopeeEndpoint> = {
  '/api/v2/logistics/get_shipping_document_parameter': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(OrderList, call.body);
      return batch(body.order_list, (ref) => {
        const order = orderOf(context, call, ref);
        checkPrintable(order);
        return {
          suggest_shipping_document_type: suggestedType(order),
          selectable_shipping_document_type: ['NORMAL_AIR_WAYBILL', 'THERMAL_AIR_WAYBILL'],
        };
      });
    },
  },
  '/api/v2/logistics/create_shipping_document': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(OrderList, call.body);
      return batch(body.order_list, (ref) => {
        const order = orderOf(context, call, ref);
        checkPrintable(order);
        if (!ref.tracking_number || ref.tracking_number !== order.package.trackingNumber) {
          throw new EntryFailure('logistics.tracking_number_invalid', 'The tracking number is invalid.');
        }
        const type = ref.shipping_document_type ?? body.shipping_document_type ?? suggestedType(order);
        tasks.set(order, {
          type,
          readyAt: context.clock.now() + SHOPEE_DOCUMENT_PROCESSING_MS,
          polled: false,
        });
        return {};
      });
    },
  },
  '/api/v2/logistics/get_shipping_document_result': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(OrderList, call.body);
      return batch(body.order_list, (ref) => {
        const order = orderOf(context, call, ref);
        const task = tasks.get(order);
        if (!task) {
          throw new EntryFailure(
            'logistics.shipping_document_should_print_first',
            'Please create the shipping document first.',
          );
        }
        const ready = task.polled && context.clock.now() >= task.readyAt;
        task.polled = true;
        return { status: ready ? 'READY' : 'PROCESSING' };
      });
    },
  },
  '/api/v2/logistics/download_shipping_document': {
    method: 'POST',
    kind: 'shop',
    handle(call, context) {
      const body = parseBody(OrderList, call.body);
      const orders = body.order_list.map((ref) => {
        try {
          return orderOf(context, call, ref);
        } catch (error) {
          if (error instanceof EntryFailure) throw new ShopeeApiError(error.failError, error.message);
          throw error;
        }
      });
      const types = new Set<DocumentType>();
      for (const order of orders) {
        const task = tasks.get(order);
        if (!task) {
          throw new ShopeeApiError(
            'logistics.shipping_document_should_print_first',
            'Please create the shipping document first.',
          );
        }
        if (!task.polled || context.clock.now() < task.readyAt) {
          throw new ShopeeApiError('logistics.download_later', 'The document is being generated; try later.');
        }
        if (order.package.logisticsStatus !== 'LOGISTICS_REQUEST_CREATED') {
          throw new ShopeeApiError('logistics.package_can_not_print', 'The package can not print now.');
        }
        types.add(body.shipping_document_type ?? task.type);
      }
      if (types.size > 1) {
        throw new ShopeeApiError(
          'logistics.packages_can_not_download_together',
          'These packages can not be downloaded together.',
        );
      }
      const [type] = types;
      const lines = orders.map(
        (order) =>
          `Shopee AWB ${order.package.trackingNumber} order ${order.orderSn} to ${order.recipient.name}`,
      );
      if (type?.startsWith('THERMAL') && orders.every((order) => order.region === 'BR')) {
        // Brazil's thermal air waybill: the label as ZPL text plus a PDF content declaration.
        const zip = zipArchive([
          { name: 'etiqueta.txt', bytes: labelZpl(lines) },
          { name: 'declaracao_de_conteudo.pdf', bytes: labelPdf(['Declaracao de conteudo', ...lines]) },
        ]);
        return fileResponse(zip, 'application/zip', 'shipping_document.zip');
      }
      return fileResponse(labelPdf(lines), 'application/pdf', 'shipping_document.pdf');
    },
  },
};
