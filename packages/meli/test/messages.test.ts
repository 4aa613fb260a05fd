import { PermissionError, ValidationError } from '@mlh/core';
import { createMeliSandbox } from '@mlh/testing';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  MELI_MESSAGING_AGENT_IDS,
  type MeliClient,
  meliConversationLimits,
  meliMessageTextIssues,
  parseMeliNotification,
} from '../src/index';
import { API, connectSandboxSeller, rejectionOf, useNotifyingSandbox } from './support';

const READS = 'GET /messages/packs/:packId/sellers/:sellerId';
const SENDS = 'POST /messages/packs/:packId/sellers/:sellerId';

/** Post-sale messages end to end against the Mercado Livre sandbox. */

const { sandbox, server, received } = useNotifyingSandbox();

async function sellerClient(
  options: { retry?: boolean; on?: typeof sandbox } = {},
): Promise<{ client: MeliClient; sellerId: number }> {
  const sb = options.on ?? sandbox;
  const seller = sb.addSeller();
  const client = await connectSandboxSeller(sb, seller, options);
  return { client, sellerId: seller.id };
}

function paidOrder(): { orderId: number; packId: number } {
  const placed = sandbox.placeOrder({ itemId: sandbox.addItem({ available_quantity: 5 }).id });
  sandbox.payOrder(placed.orderId);
  return { orderId: placed.orderId, packId: placed.packId };
}

describe('Mercado Livre post-sale messages', () => {
  it('turns a messages notification into an event, reads the message and answers the buyer in the pack', async () => {
    const { client, sellerId } = await sellerClient();
    const { orderId, packId } = paidOrder();
    await sandbox.webhooks.flush();
    received.length = 0;
    const written = sandbox.sendMessage({ orderId, text: 'Olá, quando chega?' });
    await sandbox.webhooks.flush();

    const result = parseMeliNotification(received[0], { applicationId: sandbox.app.id });
    if (!result.ok) throw new Error(result.reason);
    expect(result.event).toMatchObject({
      type: 'message.received',
      resourceType: 'message',
      resourceId: written.id,
    });

    const message = await client.messages.get(result.event.resourceId);
    expect(message).toMatchObject({
      id: written.id,
      from: 'buyer',
      text: 'Olá, quando chega?',
      conversationId: String(packId),
    });

    const sent = await client.sendOrderMessage(String(orderId), {
      text: 'Olá! Seu pacote foi despachado hoje.',
    });
    expect(sent).toMatchObject({
      from: 'seller',
      text: 'Olá! Seu pacote foi despachado hoje.',
      moderation: 'clean',
    });
    const stored = sandbox.listMessages().find((m) => m.id === sent.id);
    expect(stored).toMatchObject({ from: sellerId, to: written.from, packId });

    const conversation = await client.getOrderConversation(String(orderId));
    expect(conversation).toMatchObject({ marketplace: 'meli', id: String(packId), orderId: String(orderId) });
    expect(conversation.messages.map((m) => [m.from, m.text])).toEqual([
      ['buyer', 'Olá, quando chega?'],
      ['seller', 'Olá! Seu pacote foi despachado hoje.'],
    ]);
    expect(conversation.limits).toEqual({ canSend: true, maxLength: 350 });
  });

  it('reads without marking the buyer messages read, unless asked to', async () => {
    const { client } = await sellerClient();
    const { orderId } = paidOrder();
    const written = sandbox.sendMessage({ orderId, text: 'Oi' });

    const background = await client.getOrderConversation(String(orderId));
    expect(background.messages[0]?.readAt).toBeUndefined();
    expect(sandbox.listMessages().find((m) => m.id === written.id)?.readAt).toBeNull();

    const opened = await client.getOrderConversation(String(orderId), { markAsRead: true });
    expect(opened.messages[0]?.readAt).toBeDefined();
    expect(sandbox.listMessages().find((m) => m.id === written.id)?.readAt).not.toBeNull();
  });

  it('reads every page of a long conversation once, oldest first, and hides the buyer messages Mercado Livre moderated', async () => {
    const { client } = await sellerClient();
    const { orderId } = paidOrder();
    for (let i = 1; i <= 23; i += 1) {
      sandbox.clock.advance(1000);
      sandbox.sendMessage({ orderId, text: `Mensagem ${i}` });
    }
    sandbox.sendMessage({ orderId, text: 'meu whatsapp é …', moderated: true });
    const conversation = await client.getOrderConversation(String(orderId));
    expect(conversation.messages.map((m) => m.text)).toEqual(
      Array.from({ length: 23 }, (_, i) => `Mensagem ${i + 1}`),
    );
    expect(sandbox.stats().byPath[READS]).toBe(3);
  });

  it('says the seller must wait for the buyer, and refuses to start the conversation before sending anything', async () => {
    const { client } = await sellerClient();
    const { orderId, packId } = paidOrder();
    const conversation = await client.getOrderConversation(String(orderId));
    expect(conversation.limits).toMatchObject({
      canSend: false,
      reason: 'buyer_must_write',
      detail: 'seller_cannot_start',
    });

    const error = await rejectionOf(
      client.sendOrderMessage(String(orderId), { text: 'Obrigado pela compra!' }),
    );
    expect(error).toBeInstanceOf(PermissionError);
    expect(sandbox.stats().byPath[SENDS]).toBeUndefined();

    // The sandbox refuses it too, as Mercado Livre does, when the check is skipped.
    const refused = await rejectionOf(
      client.messages.send(String(packId), { to: String(sandbox.getOrder(orderId)?.buyer.id), text: 'Oi' }),
    );
    expect(refused).toBeInstanceOf(PermissionError);
    expect((refused as PermissionError).message).toContain('blocked_by_conversation_started_by_seller');
  });

  it('starts an ME2 conversation through the action guide once, then waits for the buyer', async () => {
    const { client } = await sellerClient();
    const { orderId, packId } = paidOrder();
    const options = await client.messages.actionGuide(String(packId));
    expect(options.find((option) => option.id === 'OTHER')).toMatchObject({
      cap_available: 1,
      char_limit: 350,
    });

    const first = await client.messages.sendOption(String(packId), {
      optionId: 'OTHER',
      text: 'Qual a cor preferida?',
    });
    expect(first).toMatchObject({ from: 'seller', text: 'Qual a cor preferida?' });
    const again = await rejectionOf(
      client.messages.sendOption(String(packId), { optionId: 'OTHER', text: 'E então?' }),
    );
    expect(again).toBeInstanceOf(PermissionError);
    expect(
      (await client.messages.actionGuide(String(packId))).find((o) => o.id === 'OTHER')?.cap_available,
    ).toBe(0);

    sandbox.sendMessage({ orderId, text: 'Azul, por favor.' });
    const reply = await client.sendOrderMessage(String(orderId), { text: 'Perfeito, enviaremos azul.' });
    expect(reply.text).toBe('Perfeito, enviaremos azul.');
  });

  it('reports a blocked conversation with its reason and sends nothing', async () => {
    const { client } = await sellerClient();
    const { orderId } = paidOrder();
    sandbox.sendMessage({ orderId, text: 'Quero cancelar.' });
    sandbox.blockConversation(orderId, 'blocked_by_mediation');

    const conversation = await client.getOrderConversation(String(orderId));
    expect(conversation.limits).toMatchObject({
      canSend: false,
      reason: 'blocked',
      detail: 'blocked_by_mediation',
    });
    const error = await rejectionOf(client.sendOrderMessage(String(orderId), { text: 'Podemos ajudar?' }));
    expect(error).toBeInstanceOf(PermissionError);
    expect((error as PermissionError).code).toBe('blocked_by_mediation');
    expect(sandbox.stats().byPath[SENDS]).toBeUndefined();

    sandbox.unblockConversation(orderId);
    expect((await client.getOrderConversation(String(orderId))).limits.canSend).toBe(true);
  });

  it('locks a conversation after 30 quiet days until the buyer writes again', async () => {
    const { client } = await sellerClient();
    const { orderId } = paidOrder();
    sandbox.sendMessage({ orderId, text: 'Chegou, obrigado.' });
    sandbox.clock.advance(31 * 24 * 3_600_000);
    const quiet = await client.getOrderConversation(String(orderId));
    expect(quiet.limits).toMatchObject({
      canSend: false,
      reason: 'buyer_must_write',
      detail: 'blocked_by_time',
    });

    sandbox.sendMessage({ orderId, text: 'Veio quebrado.' });
    expect((await client.getOrderConversation(String(orderId))).limits.canSend).toBe(true);
  });

  it('checks the text against the limit the conversation reports and Latin-1 before sending', async () => {
    const { client } = await sellerClient();
    const { orderId } = paidOrder();
    sandbox.sendMessage({ orderId, text: 'Oi' });
    const sends = () => sandbox.stats().byPath[SENDS] ?? 0;

    for (const text of ['', 'a'.repeat(351), 'Obrigado 谢谢']) {
      const error = await rejectionOf(client.sendOrderMessage(String(orderId), { text }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['text']);
    }
    expect(sends()).toBe(0);
    // Latin-1 accents and emoji pass; exactly the limit passes.
    await client.sendOrderMessage(String(orderId), { text: 'Já está a caminho 🚚' });
    await client.sendOrderMessage(String(orderId), { text: 'ç'.repeat(350) });
  });

  it('follows a conversation that reports a larger seller limit (3500, as a 2026 response does)', async () => {
    const wide = createMeliSandbox({ behaviour: { sellerMaxMessageLength: 3500 } });
    server.resetHandlers(...wide.handlers);
    const { client } = await sellerClient({ on: wide });
    const placed = wide.placeOrder({ itemId: wide.addItem().id });
    wide.sendMessage({ orderId: placed.orderId, text: 'Oi' });
    const long = 'a'.repeat(1000);
    expect((await client.getOrderConversation(String(placed.orderId))).limits.maxLength).toBe(3500);
    expect((await client.sendOrderMessage(String(placed.orderId), { text: long })).text).toBe(long);
  });

  it('never sends a message twice: a lost response is not retried', async () => {
    const { client } = await sellerClient({ retry: true });
    const { orderId, packId } = paidOrder();
    sandbox.sendMessage({ orderId, text: 'Oi' });
    const path = `/messages/packs/${packId}/sellers/${client.accountId}`;
    sandbox.faults.inject({ method: 'POST', path, times: 1, fault: { lostResponse: true } });

    await expect(client.sendOrderMessage(String(orderId), { text: 'Enviado.' })).rejects.toThrow();
    expect(sandbox.stats().byPath[SENDS]).toBe(1);
    expect(sandbox.listMessages().filter((m) => m.text === 'Enviado.')).toHaveLength(1);
  });

  it('uploads an attachment and sends it; an unknown key is refused', async () => {
    const { client } = await sellerClient();
    const { orderId, packId } = paidOrder();
    sandbox.sendMessage({ orderId, text: 'Pode mandar a nota?' });
    const key = await client.messages.uploadAttachment({
      fileName: 'nota.pdf',
      bytes: new Uint8Array([37, 80, 68, 70]),
    });
    const sent = await client.sendOrderMessage(String(orderId), {
      text: 'Segue a nota.',
      attachments: [key],
    });
    expect(sent.attachments).toEqual([
      expect.objectContaining({ id: key, fileName: 'nota.pdf', contentType: 'application/pdf', size: 4 }),
    ]);

    const badType = await rejectionOf(
      client.messages.uploadAttachment({ fileName: 'virus.exe', bytes: new Uint8Array([1]) }),
    );
    expect((badType as ValidationError).issues.map((issue) => issue.path)).toEqual(['fileName']);
    const unknown = await rejectionOf(
      client.sendOrderMessage(String(orderId), { text: 'De novo.', attachments: ['nope.pdf'] }),
    );
    expect(unknown).toBeInstanceOf(ValidationError);
    expect(sandbox.listMessages().filter((m) => m.packId === packId)).toHaveLength(2);
  });

  it('writes to the agent shown in the conversation when Mercado Livre intermediates, and reads it as the marketplace', async () => {
    const { client } = await sellerClient();
    const { orderId } = paidOrder();
    const agent = MELI_MESSAGING_AGENT_IDS.MLB ?? '';
    let sentTo: unknown;
    const agentMessage = {
      id: 'a1',
      from: { user_id: Number(agent) },
      to: { user_id: Number(client.accountId) },
      text: 'O comprador pergunta pelo prazo.',
      message_date: { created: '2026-02-03T10:00:00.000Z', read: null },
      message_moderation: { status: 'clean' },
    };
    server.use(
      http.get(`${API}/messages/packs/:pack/sellers/:seller`, () =>
        HttpResponse.json({
          paging: { limit: 10, offset: 0, total: 1 },
          conversation_status: { status: 'active', substatus: null, claim_id: null },
          messages: [agentMessage],
          seller_max_message_length: 350,
        }),
      ),
      http.post(`${API}/messages/packs/:pack/sellers/:seller`, async ({ request }) => {
        sentTo = ((await request.json()) as { to: { user_id: string } }).to.user_id;
        return HttpResponse.json(
          { id: 'b2', from: { user_id: client.accountId }, text: 'Chega amanhã.' },
          { status: 201 },
        );
      }),
    );
    const conversation = await client.getOrderConversation(String(orderId));
    expect(conversation.messages[0]?.from).toBe('marketplace');
    const sent = await client.sendOrderMessage(String(orderId), { text: 'Chega amanhã.' });
    expect(sentTo).toBe(agent);
    expect(sent).toMatchObject({ id: 'b2', from: 'seller' });
  });
});

describe('Mercado Livre message rules, as pure functions', () => {
  it('reads the reasons a conversation gives, treating unknown blocks as blocked', () => {
    const limits = (status: string, substatus: string | null, buyerHasWritten = true) =>
      meliConversationLimits({ status: { status, substatus }, sellerMaxMessageLength: 350, buyerHasWritten });
    expect(limits('active', null)).toEqual({ canSend: true, maxLength: 350 });
    expect(limits('blocked', 'blocked_by_refund')).toMatchObject({
      canSend: false,
      reason: 'buyer_must_write',
    });
    expect(limits('blocked', 'blocked_by_conversation_expired')).toMatchObject({ reason: 'expired' });
    expect(limits('blocked', 'blocked_by_something_new')).toMatchObject({
      canSend: false,
      reason: 'blocked',
      detail: 'blocked_by_something_new',
    });
    expect(limits('blocked', 'blocked_by_conversation_use_message_api')).toMatchObject({ canSend: true });
    expect(limits('active', null, false)).toMatchObject({ canSend: false, reason: 'buyer_must_write' });
  });

  it('counts characters, not UTF-16 units, and names the characters Mercado Livre would refuse', () => {
    expect(meliMessageTextIssues('🙂'.repeat(350), 350)).toEqual([]);
    expect(meliMessageTextIssues('€ 10', 350)[0]?.message).toContain('"€"');
  });
});
