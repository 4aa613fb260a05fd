import { fileResponse, labelPdf, labelZpl, zipArchive } from '../shared/index';
import type { MeliContext, ShipmentRecord } from './context';
import { meliError } from './errors';
import type { MeliRoute, MeliRouter } from './router';
import { moveShipment } from './shipments';

/** Most shipment ids one `GET /shipment_labels` takes. */
export const MELI_LABEL_BATCH_MAX = 50;

/** Logistic types whose label the seller prints (Full's is printed by Mercado Livre). */
const PRINTABLE_LOGISTIC_TYPES = new Set(['drop_off', 'xd_drop_off', 'cross_docking', 'self_service']);
/** Substatuses of `ready_to_ship` in which the label can be (re)printed. */
const PRINTABLE_SUBSTATUSES = new Set(['ready_to_print', 'printed']);

/** Why a shipment's label cannot be printed, as Mercado Livre answers: `[code, message]`. */
function refusal(record: ShipmentRecord, userId: number): [string, string] | undefined {
  const { shipment } = record;
  if (shipment.origin.sender_id !== userId) {
    return ['invalid_shipment_caller', `Shipment ${shipment.id} does not belong to the caller`];
  }
  if (shipment.logistic.mode !== 'me2') {
    return ['invalid_shipment_mode', `Shipment ${shipment.id} is not Mercado Envios 2`];
  }
  if (shipment.logistic.type === 'fulfillment') {
    return ['invalid_shipment_ff_public', `Shipment ${shipment.id} is fulfilled by Mercado Livre`];
  }
  if (!PRINTABLE_LOGISTIC_TYPES.has(shipment.logistic.type)) {
    return ['invalid_shipment_mode', `Shipment ${shipment.id} has logistic type ${shipment.logistic.type}`];
  }
  if (shipment.status !== 'ready_to_ship' || !PRINTABLE_SUBSTATUSES.has(shipment.substatus ?? '')) {
    return [
      'not_printable_status',
      `Shipment ${shipment.id} status is ${shipment.status}${shipment.substatus ? `/${shipment.substatus}` : ''}`,
    ];
  }
  return undefined;
}

/**
 * `GET /shipment_labels?shipment_ids=…&response_type=pdf|zpl2`: up to 50 ME2 shipments that are
 * `ready_to_ship` / `ready_to_print` (or `printed`, to reprint). `pdf` answers one PDF with a
 * page per shipment; `zpl2` answers a ZIP holding the ZPL text. Printing moves a shipment to
 * `printed`, as the seller panel shows it.
 */
export function labelHandlers(context: MeliContext, router: MeliRouter): MeliRoute[] {
  return [
    router.api('get', '/shipment_labels', (input) => {
      const ids = (input.query.get('shipment_ids') ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      if (ids.length === 0) return meliError(404, 'not_found', 'Missing a valid shipment id value');
      if (ids.length > MELI_LABEL_BATCH_MAX) {
        return meliError(400, 'shipment_ids', `At most ${MELI_LABEL_BATCH_MAX} shipment ids per request`);
      }
      const type = input.query.get('response_type') ?? (input.query.get('savePdf') === 'Y' ? 'pdf' : null);
      if (type !== 'pdf' && type !== 'zpl2') {
        return meliError(400, 'bad_request', 'response_type must be pdf or zpl2');
      }
      const records: ShipmentRecord[] = [];
      const failed: Array<{ shipment_id: number; code: string; message: string; retry: boolean }> = [];
      for (const id of ids) {
        const record = /^\d+$/.test(id) ? context.state.shipments.get(Number(id)) : undefined;
        if (record === undefined) return meliError(404, 'not_found', 'Missing a valid shipment id value');
        const why = refusal(record, input.token.userId);
        if (why)
          failed.push({ shipment_id: record.shipment.id, code: why[0], message: why[1], retry: false });
        else records.push(record);
      }
      const [first] = failed;
      if (first) {
        // One refused shipment fails the request; integrators report the per-id list beside it.
        return new Response(
          JSON.stringify({
            message: first.message,
            error: first.code,
            status: 400,
            cause: [],
            failed_shipments: failed,
          }),
          { status: 400, headers: { 'content-type': 'application/json; charset=utf-8' } },
        );
      }
      for (const record of records) {
        if (record.shipment.substatus !== 'printed')
          moveShipment(context, record, 'ready_to_ship', 'printed');
      }
      const lines = records.map(
        (record) =>
          `Mercado Envios shipment ${record.shipment.id} to ${record.shipment.destination.receiver_name}`,
      );
      if (type === 'pdf') return fileResponse(labelPdf(lines), 'application/pdf', 'Etiqueta_de_envio.pdf');
      const zip = zipArchive([{ name: 'Etiqueta de envio.txt', bytes: labelZpl(lines) }]);
      return fileResponse(zip, 'application/zip', 'Etiqueta_de_envio.zip');
    }),
  ];
}
