import { checkReturnInput, type MlhError, NotFoundError, Return, ValidationError } from '@mlh/core';
import type { TikTokSandbox } from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mapTikTokReturnStatus, normalizeTikTokAfterSaleStatus } from '../src';
import { connectedSandboxShop } from './helpers';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const START = Date.UTC(2026, 0, 5, 12);
const DAY_MS = 86_400_000;

/** A GB shop with a delivered order of two mugs at 19.90 (two line items, one per unit). */
async function setup() {
  const { clock, events, sandbox, tiktok, shop } = await connectedSandboxShop(server, 'GB', START);
  const product = sandbox.addProduct({
    shopId: shop.id,
    title: 'Mug',
    skus: [{ sellerSku: 'MUG', price: '19.90', stock: 10 }],
  });
  const order = sandbox.placeOrder({
    shopId: shop.id,
    items: [{ skuId: product.skus[0]?.id ?? '', quantity: 2 }],
  });
  sandbox.payOrder(order.id);
  sandbox.shipOrder(order.id);
  sandbox.deliverOrder(order.id);
  await sandbox.webhooks.flush();
  events.length = 0;
  return { sandbox, clock, shop, orderId: order.id, client: tiktok.forAccount(shop.id), events };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

function calls(sandbox: TikTokSandbox, suffix: string): number {
  return Object.entries(sandbox.stats().byPath)
    .filter(([path]) => path.endsWith(suffix))
    .reduce((total, [, count]) => total + count, 0);
}

describe('TikTok Shop returns against the sandbox', () => {
  it('lists a buyer’s return with one line per unit, the exact refund, the seller’s deadline and actions; the webhook names it', async () => {
    const { sandbox, client, orderId, events } = await setup();
    const opened = sandbox.returns.open({ orderId, reasonText: 'Arrived broken' });
    await sandbox.webhooks.flush();

    const listed = [];
    for await (const entry of client.listReturns({ updatedSince: START })) listed.push(entry);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      marketplace: 'tiktok',
      externalId: opened.id,
      orderExternalId: orderId,
      kind: 'return',
      status: 'requested',
      rawStatus: 'RETURN_OR_REFUND_REQUEST_PENDING',
      reason: { text: 'Arrived broken' },
      items: [
        { quantity: 1, sku: 'MUG', refundAmount: { amount: '19.90', currency: 'GBP' } },
        { quantity: 1, sku: 'MUG' },
      ],
      refundAmount: { amount: '39.80', currency: 'GBP' },
      sellerDueAt: new Date(START + 2 * DAY_MS).toISOString(),
      deadlines: [{ party: 'seller', action: 'SELLER_RESPOND_RETURN', mandatory: true }],
      availableActions: ['accept', 'refuse', 'offer_partial_refund'],
    });
    expect(checkReturnInput(Return, listed[0], 'return')).toEqual(listed[0]);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'return.updated',
        resourceId: opened.id,
        status: 'RETURN_OR_REFUND_REQUEST_PENDING',
      }),
    ]);
  });

  it('walks a return: approve, the buyer ships, the package arrives, the seller confirms it, the refund is paid', async () => {
    const { sandbox, clock, client, orderId } = await setup();
    const { id } = sandbox.returns.open({ orderId });

    await expect(client.acceptReturn(id)).resolves.toMatchObject({
      status: 'accepted',
      rawStatus: 'AWAITING_BUYER_SHIP',
      shipment: { status: 'pending' },
      availableActions: [],
    });
    sandbox.returns.shipBack(id, { trackingNumber: 'RT123' });
    await expect(client.getReturn(id)).resolves.toMatchObject({
      status: 'in_transit',
      shipment: { status: 'in_transit', trackingNumber: 'RT123', carrier: 'J&T Express' },
    });
    sandbox.returns.deliverBack(id);
    const received = await client.getReturn(id);
    expect(received).toMatchObject({
      status: 'received',
      availableActions: ['accept', 'refuse', 'review_received'],
    });

    await expect(client.reviewReturnedItems(id, { ok: true })).resolves.toMatchObject({
      status: 'accepted',
      rawStatus: 'RETURN_OR_REFUND_REQUEST_SUCCESS',
    });
    clock.advance(3_600_000);
    const done = await client.getReturn(id);
    expect(done).toMatchObject({ status: 'refunded', rawStatus: 'RETURN_OR_REFUND_REQUEST_COMPLETE' });
    expect(done.closedAt).toBe(done.updatedAt);
    const records = await client.returns.getReturnRecords(id);
    expect(records.map((record) => record.role)).toEqual([
      'BUYER',
      'SELLER',
      'BUYER',
      'SYSTEM',
      'SELLER',
      'SYSTEM',
    ]);
  });

  it('refuses with a reason TikTok lists; an unknown reason is TikTok’s refusal; the buyer escalates and TikTok decides', async () => {
    const { sandbox, client, orderId } = await setup();
    const { id } = sandbox.returns.open({ orderId, type: 'REFUND' });
    const reasons = await client.listReturnActionReasons(id, 'refuse');
    expect(reasons.map((reason) => reason.code)).toContain('reverse_reject_request_reason_product_intact');

    const wrong = await rejectionOf(client.refuseReturn(id, { reason: 'because' }));
    expect((wrong as MlhError).code).toBe('36009004');
    const refused = await client.refuseReturn(id, {
      reason: 'reverse_reject_request_reason_product_intact',
      comment: 'Photos show the mug intact',
    });
    expect(refused).toMatchObject({ kind: 'refund', status: 'refused', availableActions: [] });

    sandbox.returns.escalate(id);
    await expect(client.getReturn(id)).resolves.toMatchObject({
      status: 'disputed',
      resolution: { code: 'IN_PROGRESS' },
    });
    sandbox.returns.decideArbitration(id, 'buyer');
    await expect(client.getReturn(id)).resolves.toMatchObject({
      status: 'accepted',
      resolution: { code: 'SUPPORT_BUYER', favours: 'buyer' },
    });
  });

  it('offers a partial refund the buyer accepts; the amount is checked by TikTok and the input by the SDK', async () => {
    const { sandbox, client, orderId } = await setup();
    const { id } = sandbox.returns.open({ orderId, type: 'REFUND' });
    await expect(client.getPartialRefundOptions(id)).resolves.toMatchObject({
      currency: 'GBP',
      maxAmount: { amount: '39.80', currency: 'GBP' },
    });

    const before = calls(sandbox, '/approve');
    const percentage = await rejectionOf(client.offerPartialRefund(id, { percentage: 50 }));
    expect(percentage).toBeInstanceOf(ValidationError);
    expect(calls(sandbox, '/approve')).toBe(before);
    const tooMuch = await rejectionOf(
      client.offerPartialRefund(id, { amount: { amount: '39.80', currency: 'GBP' } }),
    );
    expect((tooMuch as MlhError).code).toBe('36009004');

    await expect(
      client.offerPartialRefund(id, { amount: { amount: '10.00', currency: 'GBP' } }),
    ).resolves.toMatchObject({
      status: 'negotiating',
      availableActions: [],
    });
    sandbox.returns.respondToPartialRefund(id, true);
    await expect(client.getReturn(id)).resolves.toMatchObject({
      status: 'accepted',
      refundAmount: { amount: '10.00', currency: 'GBP' },
    });
  });

  it('a lost response is retried with the same idempotency key: TikTok applies the decision once', async () => {
    const { sandbox, client, orderId, events } = await setup();
    const { id } = sandbox.returns.open({ orderId, type: 'REFUND' });
    await sandbox.webhooks.flush();
    sandbox.faults.inject({ path: /\/returns\/[^/]+\/approve$/, times: 1, fault: { lostResponse: true } });

    await expect(client.acceptReturn(id)).resolves.toMatchObject({ status: 'accepted' });
    expect(calls(sandbox, '/approve')).toBe(2);
    await sandbox.webhooks.flush();
    const changes = events.filter((event) => event.resourceId === id).map((event) => event.status);
    expect(changes).toEqual(['RETURN_OR_REFUND_REQUEST_PENDING', 'RETURN_OR_REFUND_REQUEST_SUCCESS']);
  });

  it('moves over the clock: the seller’s silence approves, the buyer’s silence cancels', async () => {
    const { sandbox, clock, client, orderId } = await setup();
    const { id } = sandbox.returns.open({ orderId });
    clock.advance(2 * DAY_MS);
    await expect(client.getReturn(id)).resolves.toMatchObject({
      status: 'accepted',
      rawStatus: 'AWAITING_BUYER_SHIP',
    });
    clock.advance(7 * DAY_MS);
    await expect(client.getReturn(id)).resolves.toMatchObject({ status: 'cancelled', availableActions: [] });
    const before = calls(sandbox, '/approve');
    const nothing = await rejectionOf(client.acceptReturn(id));
    expect(nothing).toBeInstanceOf(ValidationError);
    expect((nothing as ValidationError).issues[0]).toMatchObject({
      path: 'action',
      code: 'action_not_available',
    });
    expect(calls(sandbox, '/approve')).toBe(before);
  });

  it('lists cancellation requests as returns of kind cancellation, and answers them', async () => {
    const { sandbox, client, shop } = await setup();
    const product = sandbox.addProduct({
      shopId: shop.id,
      title: 'Cup',
      skus: [{ sellerSku: 'CUP', price: '5.00', stock: 3 }],
    });
    const order = sandbox.placeOrder({ shopId: shop.id, items: [{ skuId: product.skus[0]?.id ?? '' }] });
    sandbox.payOrder(order.id);
    const request = sandbox.requestCancellation(order.id, {
      reason: 'ecom_order_to_ship_canceled_reason_change_mind',
    });

    const found = [];
    for await (const entry of client.listReturns({ status: 'requested' })) found.push(entry);
    expect(found).toEqual([
      expect.objectContaining({
        externalId: request.id,
        kind: 'cancellation',
        status: 'requested',
        availableActions: ['accept', 'refuse'],
      }),
    ]);
    await expect(client.listReturnActionReasons(request.id, 'refuse')).resolves.toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'seller_reject_apply_product_has_been_packed' }),
      ]),
    );
    await expect(client.acceptReturn(request.id)).resolves.toMatchObject({
      kind: 'cancellation',
      status: 'accepted',
      rawStatus: 'CANCELLATION_REQUEST_SUCCESS',
    });
    expect(sandbox.getOrder(order.id)?.status).toBe('CANCELLED');
    expect(checkReturnInput(Return, found[0], 'return')).toEqual(found[0]);
    await expect(client.getReturn('999')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('mapTikTokReturnStatus', () => {
  it('reads both spellings of the closed status and never guesses an unknown one', () => {
    expect(normalizeTikTokAfterSaleStatus('RETURN_OR_REFUND__REQUEST_CANCELLED')).toBe(
      'RETURN_OR_REFUND_REQUEST_CANCEL',
    );
    expect(mapTikTokReturnStatus('RETURN_OR_REFUND_REQUEST_CANCELLED')).toBe('cancelled');
    expect(
      mapTikTokReturnStatus('REFUND_OR_RETURN_REQUEST_REJECT', { arbitrationStatus: 'IN_PROGRESS' }),
    ).toBe('disputed');
    expect(mapTikTokReturnStatus('SOMETHING_NEW')).toBe('unknown');
  });
});
