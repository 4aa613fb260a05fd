import { type Return, type Transport, ValidationError } from '@mlh/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  MELI_RETURNS_CAPABILITIES,
  MeliClaim,
  type MeliClient,
  MeliReturn,
  mapMeliClaim,
  meliClaimStatus,
  parseMeliNotification,
  resolveClaim,
  searchClaims,
} from '../src/index';
import { connectSandboxSeller, useNotifyingSandbox } from './support';

/** Claims and returns end to end against the Mercado Livre sandbox. */

const DAY = 24 * 60 * 60 * 1000;
const { sandbox, received } = useNotifyingSandbox();

async function sellerClient(): Promise<{ client: MeliClient; sellerId: number }> {
  const seller = sandbox.addSeller();
  const client = await connectSandboxSeller(sandbox, seller);
  return { client, sellerId: seller.id };
}

/** A delivered order of `quantity` mugs at 49.90 (SKU CANECA-AZUL), and its claim. */
function deliveredOrder(quantity = 2): number {
  const item = sandbox.addItem({
    title: 'Caneca azul 300 ml',
    price: 49.9,
    available_quantity: 10,
    seller_custom_field: 'CANECA-AZUL',
  });
  const { orderId } = sandbox.placeOrder({ itemId: item.id, quantity });
  sandbox.payOrder(orderId);
  sandbox.shipOrder(orderId);
  sandbox.deliverOrder(orderId);
  return orderId;
}

function postCount(path: RegExp): number {
  return Object.entries(sandbox.stats().byPath)
    .filter(([route]) => route.startsWith('POST') && path.test(route))
    .reduce((sum, [, count]) => sum + count, 0);
}

describe('Mercado Livre claims as core returns', () => {
  it('turns a claims notification into an event naming the claim, read as a Return the seller can act on', async () => {
    const { client, sellerId } = await sellerClient();
    const orderId = deliveredOrder();
    const claim = sandbox.openClaim({ orderId });
    await sandbox.webhooks.flush();
    const notification = received.find((n) => n.topic === 'post_purchase');
    expect(notification?.actions).toEqual(['claims']);

    const result = parseMeliNotification(notification, { applicationId: sandbox.app.id });
    if (!result.ok) throw new Error(result.reason);
    expect(result.event).toMatchObject({
      type: 'return.updated',
      resourceType: 'return',
      resourceId: String(claim.id),
    });

    const ret = await client.getReturn(result.event.resourceId);
    expect(ret).toMatchObject({
      marketplace: 'meli',
      accountId: String(sellerId),
      externalId: String(claim.id),
      orderExternalId: String(orderId),
      kind: 'claim',
      status: 'requested',
      rawStatus: 'opened/claim',
      reason: { code: 'PDD9549' },
      items: [{ sku: 'CANECA-AZUL', quantity: 2, refundAmount: { amount: '99.80', currency: 'BRL' } }],
      refundAmount: { amount: '99.80', currency: 'BRL' },
    });
    expect(ret.availableActions).toEqual([
      'accept',
      'offer_partial_refund',
      'dispute',
      'upload_evidence',
      'send_message',
    ]);
    expect(ret.sellerDueAt).toBeDefined();
    expect(ret.deadlines[0]).toMatchObject({
      party: 'seller',
      action: 'send_message_to_complainant',
      mandatory: true,
    });
    expect(client.capabilities.returns).toBe(MELI_RETURNS_CAPABILITIES);
  });

  it('accepts a return, which travels back over the clock and is received, reviewed and refunded', async () => {
    const { client } = await sellerClient();
    const claim = sandbox.openClaim({ orderId: deliveredOrder(), quantity: 1 });
    const id = String(claim.id);

    const accepted = await client.acceptReturn(id);
    expect(accepted).toMatchObject({
      kind: 'return',
      status: 'accepted',
      shipment: { status: 'pending', destination: 'seller' },
    });
    expect(accepted.items).toMatchObject([{ sku: 'CANECA-AZUL', quantity: 1 }]);
    expect(accepted.related[0]?.type).toBe('return');

    sandbox.clock.advance(DAY + 1);
    expect(await client.getReturn(id)).toMatchObject({
      status: 'in_transit',
      shipment: { status: 'in_transit' },
    });

    sandbox.clock.advance(3 * DAY);
    const arrived = await client.getReturn(id);
    expect(arrived).toMatchObject({ status: 'received', shipment: { status: 'delivered' } });
    expect(arrived.availableActions).toContain('review_received');

    const reviewed = await client.reviewReturnedItems(id, { ok: true });
    expect(reviewed).toMatchObject({
      status: 'refunded',
      resolution: { code: 'item_returned', favours: 'buyer' },
      refundAmount: { amount: '49.90', currency: 'BRL' },
    });
    expect(reviewed.closedAt).toBeDefined();
  });

  it('refunds the buyer when the seller does not review a received return in time', async () => {
    const { client } = await sellerClient();
    const claim = sandbox.openClaim({ orderId: deliveredOrder() });
    await client.acceptReturn(String(claim.id));
    sandbox.clock.advance(8 * DAY);
    expect(await client.getReturn(String(claim.id))).toMatchObject({
      status: 'refunded',
      availableActions: [],
    });
  });

  it('closes an unanswered claim for the buyer once the seller deadline passes, unless the seller answered', async () => {
    const { client } = await sellerClient();
    const ignored = sandbox.openClaim({ orderId: deliveredOrder() });
    const answered = sandbox.openClaim({ orderId: deliveredOrder() });
    await client.sendReturnMessage(String(answered.id), { text: 'Vamos resolver: pode devolver.' });
    expect(sandbox.listClaimMessages(answered.id)).toMatchObject([{ receiver_role: 'complainant' }]);

    sandbox.clock.advance(3 * DAY + 1);
    expect(await client.getReturn(String(ignored.id))).toMatchObject({
      status: 'refunded',
      resolution: { code: 'respondent_timeout', favours: 'buyer' },
    });
    const stillOpen = await client.getReturn(String(answered.id));
    expect(stillOpen.status).toBe('requested');
    expect(stillOpen.sellerDueAt).toBeUndefined();
  });

  it('offers only a listed partial-refund percentage, and reads the offer as negotiating until the buyer accepts', async () => {
    const { client } = await sellerClient();
    const claim = sandbox.openClaim({ orderId: deliveredOrder() });
    const id = String(claim.id);
    const options = await client.getPartialRefundOptions(id);
    expect(options.offers).toEqual([
      { percentage: 25, amount: { amount: '24.95', currency: 'BRL' } },
      { percentage: 50, amount: { amount: '49.90', currency: 'BRL' } },
      { percentage: 75, amount: { amount: '74.85', currency: 'BRL' } },
    ]);

    const refused = await client.offerPartialRefund(id, { percentage: 35 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues[0]?.path).toBe('percentage');
    expect(postCount(/partial-refund/)).toBe(0);

    const offered = await client.offerPartialRefund(id, { amount: { amount: '49.9', currency: 'BRL' } });
    expect(offered.status).toBe('negotiating');
    expect(offered.refundAmount).toBeUndefined();
    expect(offered.availableActions).not.toContain('offer_partial_refund');

    sandbox.respondToPartialRefund(claim.id, true);
    expect(await client.getReturn(id)).toMatchObject({
      status: 'refunded',
      resolution: { code: 'partial_refunded' },
    });
  });

  it('refuses an action the claim does not list before sending it, and reports the API refusal when sent anyway', async () => {
    const { client } = await sellerClient();
    const claim = sandbox.openClaim({ orderId: deliveredOrder(), reasonId: 'PNR3430' });
    const id = String(claim.id);

    const notListed = await client.reviewReturnedItems(id, { ok: true }).catch((error: unknown) => error);
    expect(notListed).toBeInstanceOf(ValidationError);
    expect((notListed as ValidationError).issues[0]).toMatchObject({
      path: 'action',
      code: 'action_not_available',
    });
    expect(postCount(/claims|returns/)).toBe(0);

    // Not received: no return to allow, the buyer expects a refund.
    expect((await client.getReturn(id)).availableActions).not.toContain('offer_partial_refund');
    const context = { transport: clientTransport(client), accountId: client.accountId };
    const direct = await resolveClaim(context, id, 'allow-return').catch((error: unknown) => error);
    expect(direct).toBeInstanceOf(ValidationError);
    expect(String((direct as Error).message)).toContain('Action allow_return not available for player');

    const refunded = await client.acceptReturn(id, { buyerKeepsItem: true });
    expect(refunded).toMatchObject({
      kind: 'claim',
      status: 'refunded',
      resolution: { code: 'payment_refunded' },
    });
  });

  it('escalates to a dispute with evidence, messages the mediator there, and reads the decision', async () => {
    const { client } = await sellerClient();
    const claim = sandbox.openClaim({ orderId: deliveredOrder() });
    const id = String(claim.id);
    const [photo] = await client.uploadReturnEvidence(id, {
      files: [
        { fileName: 'caneca.png', contentType: 'image/png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
      ],
    });
    expect(photo).toMatchObject({ from: 'seller', kind: 'image' });

    const badFile = await client
      .uploadReturnEvidence(id, {
        files: [
          { fileName: 'nota fiscal.exe', contentType: 'application/x-msdownload', bytes: new Uint8Array(1) },
        ],
      })
      .catch((error: unknown) => error);
    expect((badFile as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'files.0.contentType',
      'files.0.fileName',
    ]);

    const disputed = await client.disputeReturn(id, {
      text: 'A caneca saiu perfeita.',
      evidence: [photo?.id ?? ''],
    });
    expect(disputed.status).toBe('disputed');
    expect(sandbox.listClaimMessages(claim.id)).toMatchObject([
      { receiver_role: 'mediator', attachments: [photo?.id] },
    ]);
    await client.sendReturnMessage(id, { text: 'Segue a nota.' });
    expect(sandbox.listClaimMessages(claim.id)).toHaveLength(2);

    sandbox.decideDispute(claim.id, 'seller');
    expect(await client.getReturn(id)).toMatchObject({
      status: 'refused',
      resolution: { favours: 'seller' },
    });
  });

  it('needs evidence to report received goods as damaged, then the claim goes to mediation', async () => {
    const { client } = await sellerClient();
    const claim = sandbox.openClaim({ orderId: deliveredOrder() });
    const id = String(claim.id);
    await client.acceptReturn(id);
    sandbox.clock.advance(4 * DAY + 1);
    const reasons = await client.listReturnActionReasons(id, 'review_received');
    expect(reasons.find((reason) => reason.code === 'SRF2')).toMatchObject({ evidenceRequired: true });

    const missing = await client
      .reviewReturnedItems(id, { ok: false, reason: 'SRF2' })
      .catch((error: unknown) => error);
    expect((missing as ValidationError).issues[0]?.path).toBe('0.attachments');

    const evidence = await client.uploadReturnEvidence(id, {
      files: [
        { fileName: 'quebrada.jpg', contentType: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff]) },
      ],
    });
    const failed = await client.reviewReturnedItems(id, {
      ok: false,
      reason: 'SRF2',
      comment: 'Chegou quebrada',
      evidence: evidence.map((entry) => entry.id ?? ''),
    });
    expect(failed).toMatchObject({ status: 'disputed', shipment: { status: 'delivered' } });
  });

  it('lists the claims changed since a moment, every one once across pages, and filters by status', async () => {
    const { client } = await sellerClient();
    const first = sandbox.openClaim({ orderId: deliveredOrder() });
    sandbox.clock.advance(60_000);
    const since = new Date(sandbox.clock.now()).toISOString();
    const later = Array.from({ length: 4 }, () => sandbox.openClaim({ orderId: deliveredOrder() }));
    await client.acceptReturn(String(later[0]?.id));

    const seen: Return[] = [];
    for await (const ret of client.listReturns({ updatedSince: since, pageSize: 2 })) seen.push(ret);
    expect(seen.map((ret) => ret.externalId).sort()).toEqual(later.map((claim) => String(claim.id)).sort());
    expect(seen.map((ret) => ret.externalId)).not.toContain(String(first.id));

    const accepted: Return[] = [];
    for await (const ret of client.listReturns({ status: 'accepted' })) accepted.push(ret);
    expect(accepted.map((ret) => ret.externalId)).toEqual([String(later[0]?.id)]);
  });

  it('checks a claim search before sending it: filters in pairs and a real filter', async () => {
    const { client } = await sellerClient();
    const context = { transport: clientTransport(client), accountId: client.accountId };
    const unpaired = await searchClaims(context, { 'players.user_id': client.accountId }).catch(
      (error: unknown) => error,
    );
    expect((unpaired as ValidationError).issues.map((issue) => issue.path)).toEqual(['players.role']);
    const bare = await searchClaims(context, { offset: 0, limit: 10 }).catch((error: unknown) => error);
    expect((bare as ValidationError).issues.map((issue) => issue.path)).toEqual(['players.user_id']);
    expect(sandbox.stats().byPath['GET /post-purchase/v1/claims/search'] ?? 0).toBe(0);
  });
});

describe('meliClaimStatus', () => {
  const claim = (fields: Record<string, unknown>) =>
    z.parse(MeliClaim, {
      id: 1,
      status: 'opened',
      stage: 'claim',
      date_created: '2026-03-14T08:28:44.000-04:00',
      ...fields,
    });
  const ret = (status: string) => z.parse(MeliReturn, { id: 2, status });

  it('reads a closed claim by its resolution: money back, withdrawn, for the seller, or unsaid', () => {
    const closed = (reason: string, benefited: string[]) =>
      meliClaimStatus(claim({ status: 'closed', resolution: { reason, benefited } }), undefined);
    expect(closed('payment_refunded', ['complainant'])).toBe('refunded');
    expect(closed('respondent_timeout', ['complainant'])).toBe('refunded');
    expect(closed('prefered_to_keep_product', [])).toBe('cancelled');
    expect(closed('rep_resolution', ['respondent'])).toBe('refused');
    expect(closed('something_new', [])).toBe('closed');
  });

  it('reads an open claim by its stage, its return, then a pending seller offer', () => {
    expect(meliClaimStatus(claim({ stage: 'dispute' }), ret('shipped'))).toBe('disputed');
    expect(meliClaimStatus(claim({}), ret('label_generated'))).toBe('accepted');
    expect(meliClaimStatus(claim({}), ret('pending_delivered'))).toBe('in_transit');
    expect(meliClaimStatus(claim({}), ret('delivered'))).toBe('received');
    expect(meliClaimStatus(claim({}), ret('expired'))).toBe('cancelled');
    expect(meliClaimStatus(claim({}), ret('a_new_status'))).toBe('unknown');
    const offer = [{ player_role: 'respondent', status: 'pending', expected_resolution: 'partial_refund' }];
    expect(meliClaimStatus(claim({}), undefined, offer)).toBe('negotiating');
    expect(meliClaimStatus(claim({}), undefined, [])).toBe('requested');
  });
});

describe('mapMeliClaim', () => {
  it('reads the reference claim, its closed resolution and decimal quantities without loss', () => {
    const claim = {
      id: 5256749420,
      resource: 'order',
      resource_id: '2000007819609432',
      status: 'closed',
      type: 'mediations',
      stage: 'claim',
      reason_id: 'PDD9549',
      players: [{ role: 'respondent', type: 'seller', user_id: 1330467461, available_actions: [] }],
      resolution: {
        reason: 'opened_claim_by_mistake',
        date_created: '2026-03-15T10:00:00.000-04:00',
        benefited: [],
        closed_by: 'complainant',
      },
      date_created: '2026-03-14T08:28:44.000-04:00',
      last_updated: '2026-03-15T10:00:00.000-04:00',
      related_entities: [{ type: 'return' }],
      unknown_field: 'kept',
    };
    const ret = {
      id: 57341011,
      status: 'cancelled',
      subtype: 'return_total',
      shipments: [
        { shipment_id: 43810672299, status: 'cancelled', type: 'return', destination: { name: 'warehouse' } },
      ],
      orders: [
        { order_id: 2000007819609432, item_id: 'MLB3840513395', variation_id: null, return_quantity: '1.0' },
      ],
      last_updated: '2026-03-15T11:00:00.000-04:00',
    };
    const mapped = mapMeliClaim({
      claim: z.parse(MeliClaim, claim),
      return: z.parse(MeliReturn, ret),
      accountId: '1330467461',
    });
    expect((mapped.raw as { claim: Record<string, unknown> }).claim.unknown_field).toBe('kept');
    expect(mapped).toMatchObject({
      status: 'cancelled',
      kind: 'return',
      orderExternalId: '2000007819609432',
      items: [{ productExternalId: 'MLB3840513395', quantity: 1 }],
      shipment: { status: 'failed', destination: 'marketplace_warehouse', shipmentIds: ['43810672299'] },
      related: [{ type: 'return', externalId: '57341011' }],
      updatedAt: '2026-03-15T11:00:00.000-04:00',
    });
    expect(mapped.refundAmount).toBeUndefined();
  });
});

// The client's escape hatch goes through the same transport and tokens: the typed calls' context.
function clientTransport(client: MeliClient): Transport {
  return { request: (request) => client.request(request) } as Pick<Transport, 'request'> as Transport;
}
