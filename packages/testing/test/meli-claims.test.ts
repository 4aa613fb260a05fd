import { describe, expect, it } from 'vitest';
import { MELI_DEFAULT_CLAIM_TIMINGS, type MeliNotification } from '../src/index';
import { API, call, useMeliServer, withSeller } from './meli-setup';

const sandbox = useMeliServer();
const DAY = 24 * 60 * 60 * 1000;

function setup() {
  const received: MeliNotification[] = [];
  const meli = sandbox({
    webhooks: {
      target: async (request: Request) => {
        received.push((await request.json()) as MeliNotification);
        return new Response(null, { status: 200 });
      },
    },
  });
  const { seller, token } = withSeller(meli);
  const item = meli.addItem({ title: 'Caneca azul 300 ml', price: 40, available_quantity: 5 });
  const { orderId } = meli.placeOrder({ itemId: item.id, quantity: 2 });
  meli.payOrder(orderId);
  return { meli, seller, token, item, orderId, received };
}

function deliver(meli: ReturnType<typeof setup>['meli'], orderId: number): void {
  meli.shipOrder(orderId);
  meli.deliverOrder(orderId);
}

const claimPath = (id: number) => `/post-purchase/v1/claims/${id}`;

describe('Mercado Livre sandbox: claims and returns', () => {
  it('opens a claim on a delivered order, notifies post_purchase and serves it to the seller only', async () => {
    const { meli, seller, token, orderId, received } = setup();
    expect(() => meli.openClaim({ orderId })).toThrow(/needs a delivered order/);
    deliver(meli, orderId);
    const claim = meli.openClaim({ orderId });
    await meli.webhooks.flush();
    expect(received.filter((n) => n.topic === 'post_purchase').map((n) => [n.resource, n.actions])).toEqual([
      [claimPath(claim.id), ['claims']],
    ]);

    const read = await call(token, claimPath(claim.id));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      status: 'opened',
      stage: 'claim',
      resource: 'order',
      resource_id: orderId,
      reason_id: 'PDD9549',
      claimed_quantity: 2,
      players: [
        { role: 'complainant', type: 'buyer' },
        {
          role: 'respondent',
          type: 'seller',
          user_id: seller.id,
          available_actions: expect.arrayContaining([
            { action: 'send_message_to_complainant', mandatory: true, due_date: expect.any(String) },
            { action: 'allow_return', mandatory: false, due_date: null },
          ]),
        },
      ],
    });
    expect(meli.getOrder(orderId)?.mediations).toEqual([{ id: claim.id }]);

    const stranger = withSeller(meli).token;
    expect((await call(stranger, claimPath(claim.id))).status).toBe(403);
    expect((await call(token, claimPath(1))).body).toMatchObject({ error: 'business_logic_error' });
    expect((await call(token, `/post-purchase/v2/claims/${claim.id}/returns`)).status).toBe(404);
  });

  it('refuses a search without a real filter, with half a pair, or past the offset cap', async () => {
    const { meli, seller, token, orderId } = setup();
    deliver(meli, orderId);
    meli.openClaim({ orderId });
    const search = (query: string) => call(token, `/post-purchase/v1/claims/search?${query}`);
    expect((await search('offset=0&limit=10')).body).toMatchObject({ status: 400, error: 'invalid_query' });
    expect((await search(`players.user_id=${seller.id}`)).body).toMatchObject({ error: 'invalid_params' });
    expect((await search(`order_id=${orderId}&pack_id=1`)).body).toMatchObject({ error: 'invalid_params' });
    expect((await search(`players.user_id=${seller.id}&players.role=respondent&offset=10000`)).status).toBe(
      400,
    );
    expect((await search('range=last_updated:after:yesterday')).status).toBe(400);

    const page = await search(`players.user_id=${seller.id}&players.role=respondent&limit=500`);
    expect(page.body.paging).toEqual({ total: 1, offset: 0, limit: 100 });
    const after = new Date(meli.clock.now() + 1000).toISOString().replace('Z', '-0000');
    const none = await search(
      `players.user_id=${seller.id}&players.role=respondent&range=last_updated:after:${after}`,
    );
    expect(none.body.data).toEqual([]);
  });

  it('allows only listed actions, with the API refusal texts', async () => {
    const { meli, token, orderId } = setup();
    deliver(meli, orderId);
    const claim = meli.openClaim({ orderId, reasonId: 'PNR3430' });
    const post = (path: string, body?: unknown) =>
      call(token, `${claimPath(claim.id)}${path}`, {
        method: 'POST',
        ...(body === undefined ? {} : { body }),
      });
    expect((await post('/expected-resolutions/allow-return')).body).toMatchObject({
      status: 400,
      message: 'Action allow_return not available for player',
    });
    expect((await call(token, `${claimPath(claim.id)}/partial-refund/available-offers`)).status).toBe(400);
    expect((await post('/actions/send-message', { receiver_role: 'mediator', message: 'oi' })).status).toBe(
      400,
    );

    expect((await post('/expected-resolutions/refund')).status).toBe(200);
    const closed = meli.getClaim(claim.id);
    expect(closed).toMatchObject({
      status: 'closed',
      resolution: { reason: 'payment_refunded', benefited: ['complainant'] },
    });
    expect((await post('/actions/open-dispute')).status).toBe(400);
  });

  it('offers only the listed percentages, and the buyer decides', async () => {
    const { meli, token, orderId } = setup();
    deliver(meli, orderId);
    const claim = meli.openClaim({ orderId });
    const offers = await call(token, `${claimPath(claim.id)}/partial-refund/available-offers`);
    expect(offers.body).toMatchObject({
      currency_id: 'BRL',
      available_offers: [
        { percentage: 25, amount: 20 },
        { percentage: 50, amount: 40 },
        { percentage: 75, amount: 60 },
      ],
    });
    const wrong = await call(token, `${claimPath(claim.id)}/expected-resolutions/partial-refund`, {
      method: 'POST',
      body: { percentage: 35 },
    });
    expect(wrong.body).toMatchObject({ status: 400, message: 'Percentage not found 35.0' });
    await call(token, `${claimPath(claim.id)}/expected-resolutions/partial-refund`, {
      method: 'POST',
      body: { percentage: 50 },
    });
    const expected = await call(token, `${claimPath(claim.id)}/expected-resolutions`);
    expect(expected.body).toContainEqual(
      expect.objectContaining({
        player_role: 'respondent',
        expected_resolution: 'partial_refund',
        status: 'pending',
      }),
    );
    meli.respondToPartialRefund(claim.id, true);
    expect(meli.getClaim(claim.id)?.resolution?.reason).toBe('partial_refunded');
  });

  it('moves an allowed return over the clock, then closes it for the buyer when the review window lapses', async () => {
    const { meli, seller, token, orderId, received } = setup();
    deliver(meli, orderId);
    const claim = meli.openClaim({ orderId, quantity: 1 });
    await call(token, `${claimPath(claim.id)}/expected-resolutions/allow-return`, { method: 'POST' });
    const ret = (await call(token, `/post-purchase/v2/claims/${claim.id}/returns`)).body;
    expect(ret).toMatchObject({
      claim_id: claim.id,
      status: 'label_generated',
      subtype: 'return_partial',
      status_money: 'retained',
      orders: [{ order_id: orderId, return_quantity: '1.0', total_quantity: '2.0' }],
      shipments: [{ type: 'return', status: 'ready_to_ship', destination: { name: 'seller_address' } }],
    });

    meli.clock.advance(MELI_DEFAULT_CLAIM_TIMINGS.buyerShipsAfterMs);
    // A day later the access token has expired (6 h): a fresh one, and the call settles the claim first.
    const fresh = meli.issueTokens(seller.id).access_token;
    expect((await call(fresh, `/post-purchase/v2/claims/${claim.id}/returns`)).body.status).toBe('shipped');
    meli.clock.advance(MELI_DEFAULT_CLAIM_TIMINGS.returnTransitMs);
    meli.settleClaims();
    expect(meli.getClaimReturn(claim.id)?.status).toBe('delivered');
    expect(meli.getClaim(claim.id)?.players[1]?.available_actions.map((a) => a.action)).toContain(
      'return_review_ok',
    );
    // The listing's stock does not move: restocking is the seller's business.
    expect(meli.getItem(meli.getOrder(orderId)?.order_items[0]?.item.id ?? '')?.available_quantity).toBe(3);

    meli.clock.advance(3 * DAY);
    expect(meli.getClaim(claim.id)).toMatchObject({
      status: 'closed',
      resolution: { reason: 'item_returned' },
    });
    expect(meli.getClaimReturn(claim.id)?.status_money).toBe('refunded');
    await meli.webhooks.flush();
    expect(received.filter((n) => n.topic === 'post_purchase').length).toBeGreaterThanOrEqual(5);
  });

  it('takes attachments within the limits and needs them for a damaged-goods review', async () => {
    const { meli, seller, token: first, orderId } = setup();
    deliver(meli, orderId);
    const claim = meli.openClaim({ orderId });
    await call(first, `${claimPath(claim.id)}/expected-resolutions/allow-return`, { method: 'POST' });
    meli.clock.advance(4 * DAY + 1);
    const token = meli.issueTokens(seller.id).access_token;
    const upload = async (name: string, type: string, size: number) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(size)], { type }), name);
      const response = await fetch(`${API}${claimPath(claim.id)}/returns/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      return { status: response.status, body: await response.json() };
    };
    expect((await upload('foto.gif', 'image/gif', 10)).status).toBe(400);
    expect((await upload('foto grande.png', 'image/png', 10)).status).toBe(400);
    expect((await upload('grande.png', 'image/png', 5 * 1024 * 1024 + 1)).status).toBe(400);
    const ok = await upload('quebrada.png', 'image/png', 10);
    expect(ok).toMatchObject({ status: 201, body: { file_name: expect.stringMatching(/\.png$/) } });

    const returnId = meli.getClaimReturn(claim.id)?.id;
    const review = (body: unknown) =>
      call(token, `/post-purchase/v1/returns/${returnId}/return-review`, { method: 'POST', body });
    expect((await review([{ reason: 'SRF2', message: 'quebrada' }])).status).toBe(400);
    expect((await review([{ reason: 'SRF9' }])).status).toBe(400);
    expect((await review([{ reason: 'SRF2', attachments: [ok.body.file_name] }])).status).toBe(200);
    expect(meli.getClaim(claim.id)).toMatchObject({ status: 'opened', stage: 'dispute' });
    meli.decideDispute(claim.id, 'seller');
    expect(meli.getClaim(claim.id)?.resolution).toMatchObject({
      reason: 'rep_resolution',
      benefited: ['respondent'],
    });
  });

  it('applies injected faults to claim routes like any other', async () => {
    const { meli, token, orderId } = setup();
    deliver(meli, orderId);
    const claim = meli.openClaim({ orderId });
    meli.faults.inject({ path: claimPath(claim.id), fault: { status: 503 } });
    expect((await call(token, claimPath(claim.id))).status).toBe(503);
  });
});
