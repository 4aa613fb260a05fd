import { describe, expect, it } from 'vitest';
import { API, call, useMeliServer, withSeller } from './meli-setup';

/** `GET /shipment_labels` as the Mercado Livre reference describes it, over HTTP. */

const sandbox = useMeliServer();

function paidShipment(meli: ReturnType<typeof sandbox>, input: Parameters<typeof withSeller>[1] = {}) {
  const { seller, token } = withSeller(meli, input);
  const item = meli.addItem({ title: 'Caneca', price: 19.9, available_quantity: 100, sellerId: seller.id });
  const placed = meli.placeOrder({ itemId: item.id, quantity: 1 });
  return { token, placed };
}

async function download(token: string, query: string) {
  const response = await fetch(`${API}/shipment_labels?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe('Mercado Livre sandbox: shipping labels', () => {
  it('refuses the label until the shipment is ready to print, then serves a PDF and marks it printed', async () => {
    const meli = sandbox();
    const { token, placed } = paidShipment(meli);
    const before = await call(token, `/shipment_labels?shipment_ids=${placed.shipmentId}&response_type=pdf`);
    expect(before).toMatchObject({ status: 400, body: { error: 'not_printable_status', status: 400 } });
    expect(before.body.failed_shipments).toEqual([
      expect.objectContaining({ shipment_id: placed.shipmentId, retry: false }),
    ]);

    meli.payOrder(placed.orderId);
    const { response, bytes } = await download(token, `shipment_ids=${placed.shipmentId}&response_type=pdf`);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    expect(meli.getShipment(placed.shipmentId ?? 0)?.substatus).toBe('printed');
  });

  it('wraps zpl2 in a ZIP archive', async () => {
    const meli = sandbox();
    const { token, placed } = paidShipment(meli);
    meli.payOrder(placed.orderId);
    const { response, bytes } = await download(token, `shipment_ids=${placed.shipmentId}&response_type=zpl2`);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
  });

  it('refuses more than 50 ids, unknown ids, other sellers and non-ME2 shipments', async () => {
    const meli = sandbox();
    const { token, placed } = paidShipment(meli);
    meli.payOrder(placed.orderId);
    const many = Array.from({ length: 51 }, () => placed.shipmentId).join(',');
    expect(await call(token, `/shipment_labels?shipment_ids=${many}&response_type=pdf`)).toMatchObject({
      status: 400,
      body: { error: 'shipment_ids' },
    });
    expect(await call(token, '/shipment_labels?shipment_ids=1&response_type=pdf')).toMatchObject({
      status: 404,
      body: { message: 'Missing a valid shipment id value' },
    });
    const other = withSeller(meli);
    expect(
      await call(other.token, `/shipment_labels?shipment_ids=${placed.shipmentId}&response_type=pdf`),
    ).toMatchObject({ status: 400, body: { error: 'invalid_shipment_caller' } });

    const custom = paidShipment(meli, { defaultShippingMode: 'custom' });
    meli.payOrder(custom.placed.orderId);
    expect(
      await call(custom.token, `/shipment_labels?shipment_ids=${custom.placed.shipmentId}&response_type=pdf`),
    ).toMatchObject({ status: 400, body: { error: 'invalid_shipment_mode' } });
  });
});
