import {
  type Conversation,
  type GetConversationOptions,
  type Message,
  type MessagesCapability,
  type OutgoingMessage,
  PermissionError,
  type SendMessageOptions,
  ValidationError,
} from '@mlh/core';
import * as chatApi from '../api/customer-service';
import { tiktokPages } from '../api/paging';
import { mapTikTokChatMessage, TIKTOK } from '../mappers';
import type { TikTokChatMessage } from '../schemas';
import { TikTokScopeError } from '../transport';
import type { TikTokAccountContext } from './context';
import { tiktokModule } from './module';
import { loadOrder } from './orders';

/** The scope every customer-service call needs. */
export const TIKTOK_CUSTOMER_SERVICE_SCOPE = 'seller.customer_service';

/**
 * Buyer messages of a TikTok shop, through the customer-service API. Off unless the client is
 * made with `customerService: true` (the app holds `seller.customer_service`, which TikTok grants
 * only to apps it approves): then each call throws a `TikTokScopeError` before any request.
 */
export function messages(ctx: TikTokAccountContext): MessagesCapability {
  const { call, accountId } = ctx;

  function requireScope(): void {
    if (ctx.customerService) return;
    throw new TikTokScopeError(
      `TikTok Shop buyer messages need the ${TIKTOK_CUSTOMER_SERVICE_SCOPE} scope, which TikTok grants only to apps ` +
        'it approves (integrators report: apps in the "Customer Service/Support" category). If your app holds it, ' +
        'create the client with customerService: true.',
      TIKTOK_CUSTOMER_SERVICE_SCOPE,
      { marketplace: TIKTOK, code: '105005' },
    );
  }

  async function conversationOf(orderId: string): Promise<string> {
    const order = await loadOrder(ctx, orderId);
    if (!order.user_id) {
      throw new ValidationError(
        `TikTok order ${orderId} names no buyer`,
        [{ path: 'user_id', message: 'absent' }],
        {
          marketplace: TIKTOK,
        },
      );
    }
    return chatApi.createConversation(call, String(order.user_id));
  }

  async function allMessages(conversationId: string, signal?: AbortSignal): Promise<TikTokChatMessage[]> {
    const found: TikTokChatMessage[] = [];
    for await (const page of tiktokPages(
      (pageToken) => chatApi.getConversationMessages(call, conversationId, { pageToken, sortOrder: 'ASC' }),
      'customer_service.getMessages',
      signal,
    )) {
      found.push(...page.messages);
    }
    return found;
  }

  return {
    async getOrderConversation(orderId: string, options: GetConversationOptions = {}): Promise<Conversation> {
      requireScope();
      const conversationId = await conversationOf(orderId);
      const conversation = await chatApi.getConversation(call, conversationId);
      const raw = await allMessages(conversationId, options.signal);
      if (options.markAsRead) await chatApi.markConversationRead(call, conversationId);
      const canSend = conversation.can_send_message === true;
      return {
        marketplace: TIKTOK,
        id: conversationId,
        orderId,
        messages: raw
          .filter((message) => message.is_visible !== false)
          .map((message) => mapTikTokChatMessage(message, conversationId)),
        limits: canSend
          ? { canSend, maxLength: chatApi.TIKTOK_CHAT_TEXT_MAX_LENGTH }
          : {
              canSend,
              reason: 'expired',
              detail: 'can_send_message_false',
              maxLength: chatApi.TIKTOK_CHAT_TEXT_MAX_LENGTH,
            },
        raw: conversation,
      };
    },

    async sendOrderMessage(
      orderId: string,
      message: OutgoingMessage,
      _options: SendMessageOptions = {},
    ): Promise<Message> {
      requireScope();
      const issues = [
        ...chatApi.tiktokChatTextIssues(message?.text),
        ...((message?.attachments?.length ?? 0) > 0
          ? [{ path: 'attachments', message: 'files are not sent through sendOrderMessage for TikTok Shop' }]
          : []),
      ];
      if (issues.length > 0)
        throw new ValidationError('Invalid TikTok Shop message', issues, { marketplace: TIKTOK });
      const conversationId = await conversationOf(orderId);
      const conversation = await chatApi.getConversation(call, conversationId);
      if (conversation.can_send_message !== true) {
        throw new PermissionError(
          `TikTok shop ${accountId}: cannot write to the buyer of order ${orderId} now (can_send_message is false: ` +
            'no conversation in the last 30 days, no order in the last 60 and no return with this buyer)',
          { marketplace: TIKTOK, code: 'can_send_message_false' },
        );
      }
      const id = await chatApi.sendTextMessage(call, conversationId, message.text);
      return {
        id,
        conversationId,
        from: 'seller',
        text: message.text,
        attachments: [],
        createdAt: new Date(ctx.clock.now()).toISOString(),
        raw: { message_id: id },
      };
    },
  };
}

/**
 * The messages module: `getOrderConversation` and `sendOrderMessage` (customer service; only with
 * `customerService: true`, else a `TikTokScopeError`).
 *
 * @example
 * import { tiktokMessages } from '@mlh/tiktok/messages';
 * const client = createTikTokShop({ ...options, capabilities: [tiktokMessages] }).forAccount(shopId);
 * const conversation = await client.getOrderConversation(order.externalId);
 */
export const tiktokMessages = /* @__PURE__ */ tiktokModule({
  name: 'messages',
  capabilities: {},
  build: messages,
});
