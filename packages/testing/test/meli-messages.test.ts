import { describe, expect, it } from 'vitest';
import { call, useMeliServer, withSeller } from './meli-setup';

const sandbox = useMeliServer();
const DAY_MS = 24 * 3_600_000;

function setUp() {
  const meli = sandbox();
  const { seller, token } = withSeller(meli);
  const auth = { token };
  const placed = meli.placeOrder({ itemId: meli.addItem().id });
  meli.payOrder(placed.orderId);
  const buyerId = meli.getOrder(placed.orderId)?.buyer.id as number;
  const path = `/messages/packs/${placed.packId}/sellers/${seller.id}?tag=post_sale`;
  const send = (body: Record<string, unknown>) =>
    call(auth.token, path, {
      method: 'POST',
      body: { from: { user_id: seller.id }, to: { user_id: buyerId }, ...body },
    });
  /** Tokens last 6 hours: after moving the clock, get new ones. */
  const renew = () => {
    auth.token = meli.issueTokens(seller.id).access_token;
    return auth.token;
  };
  return { meli, seller, token, buyerId, path, send, renew, ...placed };
}

describe('Mercado Livre sandbox: post-sale messages', () => {
  it('refuses a send the real API refuses: empty attachments key, a stranger as recipient, the seller as recipient', async () => {
    const { meli, orderId, seller, send } = setUp();
    meli.sendMessage({ orderId, text: 'Oi' });
    expect((await send({ text: 'Olá', attachments: [] })).status).toBe(400);
    expect((await send({ text: 'Olá', to: { user_id: 999 } })).status).toBe(403);
    expect((await send({ text: 'Olá', to: { user_id: seller.id } })).body.message).toBe(
      'Sender and received must not be equals',
    );
    expect((await send({ text: 'Olá', to: {} })).body.message).toBe("The field 'to.user_id' is required");
    expect((await send({ text: 'Olá' })).status).toBe(201);
  });

  it('serves only with tag=post_sale and only to the seller of the pack', async () => {
    const { meli, path, packId } = setUp();
    const other = withSeller(meli);
    expect((await call(other.token, path)).status).toBe(403);
    const { token } = withSeller(meli);
    expect(
      (await call(token, `/messages/packs/${packId}/sellers/${other.seller.id}?tag=post_sale`)).status,
    ).toBe(403);
    expect((await call(other.token, path.replace('?tag=post_sale', ''))).status).toBe(400);
  });

  it('derives blocks from the order and the clock: cancelled before any message, 18 months after the purchase', async () => {
    const first = setUp();
    first.meli.cancelOrder(first.orderId);
    expect((await call(first.token, first.path)).body.conversation_status).toMatchObject({
      status: 'blocked',
      substatus: 'blocked_by_cancelled_order',
    });

    const old = setUp();
    old.meli.sendMessage({ orderId: old.orderId, text: 'Oi' });
    old.meli.clock.advance(549 * DAY_MS);
    expect((await call(old.renew(), old.path)).body.conversation_status.substatus).toBe(
      'blocked_by_conversation_expired',
    );
    expect((await old.send({ text: 'Ainda aqui?' })).body).toEqual({
      status_code: 403,
      code: 'forbidden',
      message: 'blocked_conversation_send_message_forbidden',
    });
  });

  it('moderates short links in the seller’s message, which the seller still sees', async () => {
    const { meli, orderId, token, path, send } = setUp();
    meli.sendMessage({ orderId, text: 'Oi' });
    const sent = await send({ text: 'Veja https://bit.ly/abc' });
    expect(sent.body).toMatchObject({
      status: 'moderated',
      message_moderation: { reason: 'LINK_SHORT_URL' },
    });
    expect((await call(token, path)).body.messages).toHaveLength(2);
  });

  it('expires an unused attachment key after 48 hours', async () => {
    const { meli, orderId, token, send, renew } = setUp();
    meli.sendMessage({ orderId, text: 'Oi' });
    const form = new FormData();
    form.set('file', new Blob(['nota'], { type: 'text/plain' }), 'nota.txt');
    const uploaded = await fetch(
      'https://api.mercadolibre.com/messages/attachments?tag=post_sale&site_id=MLB',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      },
    );
    const { id } = (await uploaded.json()) as { id: string };
    meli.clock.advance(49 * 3_600_000);
    renew();
    expect((await send({ text: 'Segue.', attachments: [id] })).status).toBe(422);
  });
});
