import { chunk, type LabelFile, ValidationError } from '@mlh/core';
import { assertMeliId, type MeliContext } from '../transport';

/**
 * Shipping labels: `GET /shipment_labels`. Only ME2 shipments of logistic type `drop_off`,
 * `xd_drop_off`, `cross_docking` or `self_service` (Flex), once `ready_to_ship` with substatus
 * `ready_to_print` (or `printed`, to reprint); Brazil first needs the NF-e (`invoice_pending`).
 * Full (`fulfillment`) labels are printed by Mercado Livre. Anything else is refused with a 400
 * (`not_printable_status`, `invalid_shipment_mode`, `invalid_shipment_ff_public`, ...), which
 * arrives as a `ValidationError` carrying that code.
 */

/** Most shipment ids one call takes (more → 400). */
export const MELI_LABEL_BATCH_MAX = 50;

/** `pdf`: a PDF with every label. `zpl2`: a ZIP holding the ZPL text (and possibly a PDF). */
export type MeliLabelResponseType = 'pdf' | 'zpl2';

/** A downloaded label file, as Mercado Livre sent it. */
export interface MeliLabelFile extends LabelFile {
  /** The shipments the file covers. */
  shipmentIds: string[];
  requestId: string | undefined;
}

/** The file name of a `Content-Disposition` header, when it gives one. */
export function fileNameOf(headers: Headers): string | undefined {
  const disposition = headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/**
 * Downloads the labels of up to {@link MELI_LABEL_BATCH_MAX} shipments in one file:
 * `GET /shipment_labels?shipment_ids=…&response_type=…`. A `zpl2` answer is the ZIP as sent
 * (open it with core's `unpackLabelFile` / `readZip`).
 *
 * @example
 * const file = await getShipmentLabels(context, ['43308302844'], { responseType: 'pdf' });
 * await writeFile('label.pdf', file.bytes);
 */
export async function getShipmentLabels(
  context: MeliContext,
  shipmentIds: readonly string[],
  options: { responseType?: MeliLabelResponseType | undefined; signal?: AbortSignal | undefined } = {},
): Promise<MeliLabelFile> {
  const responseType = options.responseType ?? 'pdf';
  const ids = [...new Set(shipmentIds)];
  ids.forEach((id, i) => {
    assertMeliId(id, `shipmentIds.${i}`);
  });
  const issues = [
    ...(ids.length === 0 ? [{ path: 'shipmentIds', message: 'give at least one shipment id' }] : []),
    ...(ids.length > MELI_LABEL_BATCH_MAX
      ? [{ path: 'shipmentIds', message: `at most ${MELI_LABEL_BATCH_MAX} per call, got ${ids.length}` }]
      : []),
    ...(responseType === 'pdf' || responseType === 'zpl2'
      ? []
      : [{ path: 'responseType', message: 'must be pdf or zpl2' }]),
  ];
  if (issues.length > 0) {
    throw new ValidationError('Invalid Mercado Livre label request', issues, { marketplace: 'meli' });
  }
  const response = await context.transport.request<Uint8Array>({
    method: 'GET',
    path: '/shipment_labels',
    query: { shipment_ids: ids.join(','), response_type: responseType },
    accountId: context.accountId,
    responseType: 'bytes',
    operation: 'shipments.labels',
    signal: options.signal,
  });
  return {
    bytes: response.bytes ?? new Uint8Array(),
    contentType:
      (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]?.trim() ?? '',
    fileName: fileNameOf(response.headers),
    shipmentIds: ids,
    requestId: response.requestId,
  };
}

/**
 * Downloads the labels of any number of shipments, one file per {@link MELI_LABEL_BATCH_MAX},
 * one batch after another (a refused batch stops the rest: its error names the shipment).
 */
export async function getShipmentLabelBatches(
  context: MeliContext,
  shipmentIds: readonly string[],
  options: { responseType?: MeliLabelResponseType | undefined; signal?: AbortSignal | undefined } = {},
): Promise<MeliLabelFile[]> {
  const files: MeliLabelFile[] = [];
  for (const batch of chunk([...new Set(shipmentIds)], MELI_LABEL_BATCH_MAX)) {
    files.push(await getShipmentLabels(context, batch, options));
  }
  return files;
}
