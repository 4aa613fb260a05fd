import { type Clock, MemoryTokenStore, PermissionError, type ValidationError } from '@mlh/core';
import {
  createSandboxClock,
  createTikTokSandbox,
  TIKTOK_CUSTOMER_SERVICE_SCOPE,
  TIKTOK_SANDBOX_SCOPES,
} from '@mlh/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTikTokShop, mapTikTokChatMessage, TikTokScopeError } from '../src/index';

/** Buyer messages through TikTok's customer-service API, behind the `seller.customer_service` scope. */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DAY_MS = 24 * 3_600_000;

async function setup(options: { scope?: boolean; customerService?: boolean } = {}) {
  const clock = createSandboxClock({ start: Date.UTC(2026, 0, 5, 12), frozen: true });
  const sandbox = createTikTokSandbox({ clock });
  server.use(...sandbox.handlers);
  const shared: Clock = { now: () => clock.now(), sleep: () => new Promise(() => {}) };
  const tiktok = createTikTokShop({
    appKey: sandbox.app.appKey,
    appSecret: sandbox.app.appSecret,
    serviceId: sandbox.app.serviceId,
    tokenStore: new MemoryTokenStore(),
    clock: shared,
    clientDefaults: { customerService: options.customerService ?? true },
  });
  const shop = sandbox.addShop({ region: 'BR', sellerType: 'LOCAL' });
  const scopes =
    options.scope === false
      ? TIKTOK_SANDBOX_SCOPES
      : [...TIKTOK_SANDBOX_SCOPES, TIKTOK_CUSTOMER_SERVICE_SCOPE];
  await tiktok.exchangeCode(sandbox.authorize({ shopId: shop.id, scopes }).code);
  const product = sandbox.addProduct({
    shopId: shop.id,
    skus: [{ sellerSku: 'MUG', price: '10.10', stock: 5 }],
  });
  const order = sandbox.placeOrder({ items: [{ skuId: product.skus[0]?.id as string, quantity: 1 }] });
  sandbox.payOrder(order.id);
  return { sandbox, clock, client: tiktok.forAccount(shop.id), order };
}

describe('TikTok Shop buyer messages', () => {
  it('reads the conversation with the buyer of an order, oldest first, and answers in it', async () => {
    const { sandbox, client, order } = await setup();
    for (let i = 1; i <= 12; i += 1) sandbox.sendMessage({ orderId: order.id, content: `Pergunta ${i}` });

    const conversation = await client.getOrderConversation(order.id);
    expect(conversation.messages.map((m) => m.text)).toEqual(
      Array.from({ length: 12 }, (_, i) => `Pergunta ${i + 1}`),
    );
    expect(conversation.messages[0]?.from).toBe('buyer');
    expect(conversation.limits).toEqual({ canSend: true, maxLength: 2000 });

    const sent = await client.sendOrderMessage(order.id, { text: 'Olá! Enviamos hoje.' });
    expect(sent).toMatchObject({
      from: 'seller',
      text: 'Olá! Enviamos hoje.',
      conversationId: conversation.id,
    });
    const after = await client.getOrderConversation(order.id);
    expect(after.messages.at(-1)).toMatchObject({ id: sent.id, from: 'seller', text: 'Olá! Enviamos hoje.' });
    // The sandbox keeps `content` as the JSON string the API requires.
    const last = after.messages[after.messages.length - 1];
    const raw = last?.raw as { content: string } | undefined;
    expect(JSON.parse(raw?.content ?? 'null')).toEqual({
      content: 'Olá! Enviamos hoje.',
    });
  });

  it('refuses before any call when the client was not told the app holds the scope', async () => {
    const { sandbox, client } = await setup({ customerService: false });
    const before = sandbox.stats().requests;
    const error = await client.getOrderConversation('576461413038700001').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikTokScopeError);
    expect((error as TikTokScopeError).scope).toBe('seller.customer_service');
    expect((error as Error).message).toContain('customerService: true');
    expect(sandbox.stats().requests).toBe(before);
  });

  it("surfaces TikTok's refusal (105005) when the seller's grant lacks the scope", async () => {
    const { client, order } = await setup({ scope: false });
    const error = await client.getOrderConversation(order.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikTokScopeError);
    expect((error as TikTokScopeError).code).toBe('105005');
    expect((error as TikTokScopeError).scope).toBe('seller.customer_service');
  });

  it('says when the shop may no longer write, and sends nothing', async () => {
    const { sandbox, clock, client, order } = await setup();
    sandbox.sendMessage({ orderId: order.id, content: 'Chegou?' });
    clock.advance(61 * DAY_MS);
    const conversation = await client.getOrderConversation(order.id);
    expect(conversation.limits).toMatchObject({ canSend: false, reason: 'expired' });
    const error = await client.sendOrderMessage(order.id, { text: 'Oi?' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(
      sandbox.stats().byPath['POST /customer_service/202309/conversations/{conversation_id}/messages'],
    ).toBeUndefined();
  });

  it('checks the text before any call: empty or over 2000 characters', async () => {
    const { sandbox, client, order } = await setup();
    const before = sandbox.stats().requests;
    for (const text of ['', 'a'.repeat(2001)]) {
      const error = await client.sendOrderMessage(order.id, { text }).catch((e: unknown) => e);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['text']);
    }
    expect(sandbox.stats().requests).toBe(before);
  });

  it('reads image messages as attachments and system notices as the marketplace', () => {
    const image = mapTikTokChatMessage(
      {
        id: '1',
        type: 'IMAGE',
        content: '{"url":"https://img.example/a.jpg","width":1,"height":1}',
        create_time: 1,
        sender: { role: 'BUYER' },
      },
      'c',
    );
    expect(image).toMatchObject({
      from: 'buyer',
      text: '',
      attachments: [{ id: 'https://img.example/a.jpg' }],
    });
    expect(
      mapTikTokChatMessage({ id: '2', type: 'NOTIFICATION', content: '{}', sender: { role: 'SYSTEM' } }, 'c')
        .from,
    ).toBe('marketplace');
  });
});
