import { checkReturnInput, MlhError, NotFoundError, Return, ValidationError } from '@mlh/core';
import { mapShopeeReturnStatus, parseShopeePush } from '@mlh/shopee';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type World, world } from './sandbox-world';
import { collect, rejectionOf } from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DAY_MS = 86_400_000;
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

/** A delivered order of two mugs at 29.90 in the world's Brazilian shop. */
async function deliveredOrder(w: World): Promise<string> {
  const mug = w.sandbox.addItem({
    shopId: Number(w.shopId),
    name: 'Mug',
    sku: 'MUG',
    price: '29.90',
    stock: 9,
  });
  const order = await w.sandbox.placeOrder({
    shopId: Number(w.shopId),
    items: [{ itemId: mug.itemId, quantity: 2 }],
  });
  await w.sandbox.payOrder(order.orderSn);
  await w.sandbox.shipOrder(order.orderSn);
  await w.sandbox.deliverOrder(order.orderSn);
  return order.orderSn;
}

function callsTo(w: World, path: string): number {
  return w.sandbox.stats().byPath[`/api/v2/returns/${path}`] ?? 0;
}

describe('Shopee returns against the sandbox', () => {
  let w: World;
  beforeEach(async () => {
    w = await world(server);
  });

  it('lists a buyer’s request with its lines, exact refund, seller deadline and actions, and pushes its id', async () => {
    const orderSn = await deliveredOrder(w);
    const opened = await w.sandbox.returns.open({
      orderSn,
      reason: 'ITEM_DAMAGED',
      textReason: 'chegou quebrada',
    });
    await w.sandbox.webhooks.flush();
    const client = w.shopee.forShop(w.shopId);

    const [listed, ...others] = await collect(client.listReturns({ updatedSince: w.clock.now() - DAY_MS }));
    expect(others).toEqual([]);
    expect(listed).toMatchObject({
      marketplace: 'shopee',
      accountId: w.shopId,
      externalId: opened.returnSn,
      orderExternalId: orderSn,
      kind: 'return',
      status: 'requested',
      rawStatus: 'REQUESTED',
      reason: { code: 'ITEM_DAMAGED', text: 'chegou quebrada' },
      items: [{ quantity: 2, sku: 'MUG', title: 'Mug' }],
      refundAmount: { amount: '59.80', currency: 'BRL' },
      sellerDueAt: new Date(w.clock.now() + 3 * DAY_MS).toISOString(),
      availableActions: ['accept', 'offer_partial_refund', 'dispute'],
    });
    expect(listed?.deadlines).toEqual([
      { party: 'seller', action: 'respond', dueAt: new Date(w.clock.now() + 3 * DAY_MS).toISOString() },
    ]);

    expect(checkReturnInput(Return, listed, 'return')).toEqual(listed);

    const event = w.events.find((candidate) => candidate.type === 'return.updated');
    expect(event).toMatchObject({ resourceType: 'return', resourceId: opened.returnSn, accountId: w.shopId });
    await expect(client.getReturn(event?.resourceId ?? '')).resolves.toMatchObject({ status: 'requested' });
  });

  it('negotiates: an offer waits for the buyer, the buyer counters, the seller accepts that amount', async () => {
    const orderSn = await deliveredOrder(w);
    const { returnSn } = await w.sandbox.returns.open({ orderSn, solution: 'refund' });
    const client = w.shopee.forShop(w.shopId);

    const options = await client.getPartialRefundOptions(returnSn);
    expect(options).toMatchObject({
      currency: 'BRL',
      minAmount: { amount: '0.01', currency: 'BRL' },
      maxAmount: { amount: '59.80', currency: 'BRL' },
    });
    const offered = await client.offerPartialRefund(returnSn, {
      amount: { amount: '20.00', currency: 'BRL' },
    });
    expect(offered).toMatchObject({ status: 'negotiating', availableActions: ['accept', 'dispute'] });
    expect(offered.deadlines[0]).toMatchObject({ party: 'buyer', action: 'respond_offer' });

    await w.sandbox.returns.respondToOffer(returnSn, { counter: '35.50' });
    const countered = await client.getReturn(returnSn);
    expect(countered.availableActions).toContain('accept_buyer_offer');
    const accepted = await client.acceptBuyerOffer(returnSn);
    expect(accepted).toMatchObject({
      kind: 'refund',
      status: 'refunded',
      rawStatus: 'ACCEPTED',
      refundAmount: { amount: '35.50', currency: 'BRL' },
    });
    expect(accepted.closedAt).toBe(accepted.updatedAt);
  });

  it('refuses an offer above the request (Shopee), a partial refund in another currency and accepting twice (the SDK)', async () => {
    const orderSn = await deliveredOrder(w);
    const { returnSn } = await w.sandbox.returns.open({ orderSn, solution: 'refund' });
    const client = w.shopee.forShop(w.shopId);

    const tooMuch = await rejectionOf(
      client.offerPartialRefund(returnSn, { amount: { amount: '60.00', currency: 'BRL' } }),
    );
    expect(tooMuch).toBeInstanceOf(MlhError);
    expect((tooMuch as MlhError).code).toBe('error_param');

    const before = callsTo(w, 'offer');
    const wrongCurrency = await rejectionOf(
      client.offerPartialRefund(returnSn, { amount: { amount: '10.00', currency: 'USD' } }),
    );
    expect(wrongCurrency).toBeInstanceOf(ValidationError);
    expect((wrongCurrency as ValidationError).issues[0]?.path).toBe('amount.currency');
    expect(callsTo(w, 'offer')).toBe(before);

    await expect(client.acceptReturn(returnSn)).resolves.toMatchObject({ status: 'refunded' });
    const confirms = callsTo(w, 'confirm');
    const again = await rejectionOf(client.acceptReturn(returnSn));
    expect(again).toBeInstanceOf(ValidationError);
    expect((again as ValidationError).issues[0]).toMatchObject({
      path: 'action',
      code: 'action_not_available',
    });
    expect(callsTo(w, 'confirm')).toBe(confirms);
  });

  it('never retries a refund whose response was lost: one confirm reached Shopee, and the re-read shows it applied', async () => {
    const orderSn = await deliveredOrder(w);
    const { returnSn } = await w.sandbox.returns.open({ orderSn, solution: 'refund' });
    const client = w.shopee.forShop(w.shopId);
    w.sandbox.faults.inject({ path: '/api/v2/returns/confirm', fault: { lostResponse: true } });

    const error = await rejectionOf(client.acceptReturn(returnSn));
    expect(error).toBeInstanceOf(MlhError);
    expect(callsTo(w, 'confirm')).toBe(1);
    await expect(client.getReturn(returnSn)).resolves.toMatchObject({ status: 'refunded' });
  });

  it('moves over the clock: the seller’s silence accepts, the parcel travels back, an unchecked parcel is refunded', async () => {
    const orderSn = await deliveredOrder(w);
    const { returnSn } = await w.sandbox.returns.open({ orderSn });
    const client = w.shopee.forShop(w.shopId);

    await w.clock.advance(3 * DAY_MS + 1000);
    const processing = await client.getReturn(returnSn);
    await w.sandbox.webhooks.flush();
    expect(processing).toMatchObject({
      status: 'accepted',
      rawStatus: 'PROCESSING',
      shipment: { status: 'pending', destination: 'seller' },
    });
    expect(processing.deadlines[0]).toMatchObject({ party: 'buyer', action: 'ship_return' });

    await w.sandbox.returns.shipBack(returnSn, 'BR123456789');
    await expect(client.getReturn(returnSn)).resolves.toMatchObject({
      status: 'in_transit',
      shipment: { status: 'in_transit', trackingNumber: 'BR123456789' },
    });
    await w.sandbox.returns.deliverBack(returnSn);
    const received = await client.getReturn(returnSn);
    expect(received).toMatchObject({ status: 'received', shipment: { status: 'delivered' } });
    expect(received.sellerDueAt).toBe(new Date(w.clock.now() + 3 * DAY_MS).toISOString());

    await w.clock.advance(3 * DAY_MS);
    await expect(client.getReturn(returnSn)).resolves.toMatchObject({ status: 'refunded' });
    await w.sandbox.returns.settle();
    await w.sandbox.webhooks.flush();
    const statuses = w.events
      .filter((event) => event.resourceId === returnSn && event.status)
      .map((event) => event.status);
    expect(statuses).toEqual(['PROCESSING', 'ACCEPTED']);
  });

  it('disputes with evidence: reasons come from Shopee, the e-mail is checked first, the case goes to judging', async () => {
    const orderSn = await deliveredOrder(w);
    const { returnSn } = await w.sandbox.returns.open({ orderSn });
    const client = w.shopee.forShop(w.shopId);

    const reasons = await client.listReturnActionReasons(returnSn, 'dispute');
    expect(reasons.map((reason) => reason.code)).toEqual(['2', '12', '13', '50']);
    expect(reasons.find((reason) => reason.code === '50')?.evidenceRequired).toBe(true);

    const before = callsTo(w, 'dispute');
    const noEmail = await rejectionOf(client.disputeReturn(returnSn, { reason: '50' }));
    expect(noEmail).toBeInstanceOf(ValidationError);
    expect((noEmail as ValidationError).issues.map((issue) => issue.path)).toEqual(['email']);
    expect(callsTo(w, 'dispute')).toBe(before);

    const noImages = await rejectionOf(
      client.disputeReturn(returnSn, { reason: '50', email: 'ops@loja.example' }),
    );
    expect((noImages as MlhError).code).toBe('dispute.request.param.error');

    const photos = await client.uploadReturnEvidence(returnSn, {
      files: [{ fileName: 'unboxing.jpg', contentType: 'image/jpeg', bytes: JPEG }],
      marketplaceFields: { proof: false },
    });
    expect(photos[0]).toMatchObject({ from: 'seller', kind: 'image' });
    const disputed = await client.disputeReturn(returnSn, {
      reason: '50',
      email: 'ops@loja.example',
      text: 'Item devolvido diferente do enviado',
      evidence: photos.map((photo) => photo.id ?? ''),
    });
    expect(disputed).toMatchObject({ status: 'disputed', rawStatus: 'SELLER_DISPUTE' });
    expect(disputed.availableActions).toContain('upload_evidence');
    expect(disputed.deadlines).toEqual([
      expect.objectContaining({ party: 'seller', action: 'upload_evidence', mandatory: true }),
    ]);

    await client.uploadReturnEvidence(returnSn, {
      files: [{ fileName: 'label.jpg', contentType: 'image/jpeg', bytes: JPEG }],
      description: 'Etiqueta e foto do item',
    });
    await expect(client.returns.queryProof(returnSn)).resolves.toMatchObject({
      description: 'Etiqueta e foto do item',
    });

    await w.clock.advance(3_600_000);
    await expect(client.getReturn(returnSn)).resolves.toMatchObject({
      status: 'disputed',
      rawStatus: 'JUDGING',
    });
    await w.sandbox.returns.judgeDispute(returnSn, 'seller');
    await expect(client.getReturn(returnSn)).resolves.toMatchObject({
      status: 'closed',
      availableActions: [],
    });
  });

  it('a warehouse-validated return leaves only the dispute: accepting is refused before Shopee is asked', async () => {
    const orderSn = await deliveredOrder(w);
    const { returnSn } = await w.sandbox.returns.open({ orderSn, validationType: 'warehouse_validation' });
    const client = w.shopee.forShop(w.shopId);
    const current = await client.getReturn(returnSn);
    expect(current.availableActions).toEqual(['dispute']);
    const refused = await rejectionOf(client.acceptReturn(returnSn));
    expect((refused as ValidationError).issues[0]?.code).toBe('action_not_available');
    expect(callsTo(w, 'confirm')).toBe(0);
    // Shopee itself refuses it too, for a caller of the typed call.
    const direct = await rejectionOf(client.returns.confirmReturn(returnSn));
    expect((direct as MlhError).code).toBe('error_validation');
  });

  it('pages the list in 15-day windows and by page_no, and reads an unknown return as NotFoundError', async () => {
    const client = w.shopee.forShop(w.shopId);
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      if (index > 0) await w.clock.advance(8 * DAY_MS);
      const orderSn = await deliveredOrder(w);
      ids.push((await w.sandbox.returns.open({ orderSn })).returnSn);
    }
    const since = w.clock.now() - 20 * DAY_MS;
    const listed = await collect(client.listReturns({ updatedSince: since, pageSize: 1 }));
    expect(listed.map((entry) => entry.externalId).sort()).toEqual([...ids].sort());
    // Seller silence moved each of them; status filters apply to the mapped status.
    const open = await collect(client.listReturns({ updatedSince: since, status: ['requested'] }));
    expect(open.map((entry) => entry.externalId)).toEqual([ids[2]]);

    await expect(client.getReturn('2603010ZZZZZZR')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.getReturn('not a return')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('mapShopeeReturnStatus', () => {
  it('reads prefixed and misspelt statuses, and never guesses an unknown one', () => {
    expect(mapShopeeReturnStatus('RETURN_ACCEPTED')).toBe('refunded');
    expect(mapShopeeReturnStatus('RETURN_JUDING')).toBe('disputed');
    expect(mapShopeeReturnStatus('REQUESTED', { negotiationStatus: 'PENDING_BUYER_RESPOND' })).toBe(
      'negotiating',
    );
    expect(mapShopeeReturnStatus('PROCESSING', { reverseLogisticsStatus: 'Delivered' })).toBe('received');
    expect(mapShopeeReturnStatus('SOMETHING_NEW')).toBe('unknown');
  });
});

describe('push code 29', () => {
  const push = (updatedValues: unknown[]) =>
    JSON.stringify({
      shop_id: 600000,
      code: 29,
      timestamp: 1736900600,
      data: { order_sn: '250110XYZ789AB', return_sn: '2501150ABCD123X', updated_values: updatedValues },
    });

  it('names the return, takes the new status from updated_values, and keys each change apart', () => {
    const first = parseShopeePush(
      push([
        { update_field: 'status', old_value: 'REQUESTED', new_value: 'ACCEPTED', update_time: 1736900590 },
      ]),
    );
    const second = parseShopeePush(
      push([
        {
          update_field: 'negotiation_status',
          old_value: '',
          new_value: 'PENDING_RESPOND',
          update_time: 1736900590,
        },
      ]),
    );
    const bare = parseShopeePush(push([]));
    if (!first.ok || !second.ok || !bare.ok) throw new Error('expected parsed pushes');
    expect(first.event).toMatchObject({
      type: 'return.updated',
      resourceType: 'return',
      resourceId: '2501150ABCD123X',
      accountId: '600000',
      status: 'ACCEPTED',
    });
    expect(second.event.status).toBeUndefined();
    expect(bare.event).toMatchObject({ type: 'return.updated', resourceId: '2501150ABCD123X' });
    expect(new Set([first.event.dedupeKey, second.event.dedupeKey, bare.event.dedupeKey]).size).toBe(3);
  });
});
