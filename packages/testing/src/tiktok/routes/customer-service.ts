/**
 * Customer-service chat (catalog reference §7): conversations with buyers and their messages.
 * Behind the `seller.customer_service` scope, which TikTok grants only to apps it approves (sensitive,
 * reviewed): the sandbox's default tokens do not carry it, so a call answers `105005` unless a test
 * authorizes with it. A shop may write only where `can_send_message` holds: a message in the
 * conversation in the last 30 days, or an order of that buyer in the last 60.
 */
import * as z from 'zod';
import type { TikTokSandboxContext } from '../context';
import { tiktokError } from '../errors';
import { parseInput, shopOf, type TikTokCall, type TikTokRoute } from '../gateway';
import { paginate, readPageSize } from '../paging';
import type { TikTokSandboxChatMessage, TikTokSandboxConversation } from '../state';

/** The scope of every customer-service endpoint. */
export const TIKTOK_CUSTOMER_SERVICE_SCOPE = 'seller.customer_service';
const DAY_SECONDS = 24 * 60 * 60;
/** Longest TEXT message, in characters. */
const TEXT_MAX = 2000;
/** Types a shop may send (cards need their own inputs; the sandbox serves TEXT and IMAGE). */
const SENDABLE = new Set(['TEXT', 'IMAGE']);

/** Whether the shop may write in the conversation now. */
export function canSendMessage(
  context: TikTokSandboxContext,
  conversation: TikTokSandboxConversation,
): boolean {
  const now = context.nowSeconds();
  const lastMessage = conversation.messages[conversation.messages.length - 1];
  if (lastMessage && now - lastMessage.createTime <= 30 * DAY_SECONDS) return true;
  return [...context.state.orders.values()].some(
    (order) =>
      order.shopId === conversation.shopId &&
      order.userId === conversation.buyerUserId &&
      now - order.createTime <= 60 * DAY_SECONDS,
  );
}

/** The conversation of a shop with a buyer, created when first needed. */
export function conversationWith(
  context: TikTokSandboxContext,
  shopId: string,
  buyerUserId: string,
): TikTokSandboxConversation {
  const existing = [...context.state.conversations.values()].find(
    (conversation) => conversation.shopId === shopId && conversation.buyerUserId === buyerUserId,
  );
  if (existing) return existing;
  const conversation: TikTokSandboxConversation = {
    id: context.state.nextId('message'),
    shopId,
    buyerUserId,
    buyerImUserId: context.state.nextId('buyer'),
    shopImUserId: context.state.nextId('buyer'),
    createTime: context.nowSeconds(),
    messages: [],
  };
  context.state.conversations.set(conversation.id, conversation);
  return conversation;
}

/** Adds a message to a conversation. */
export function addChatMessage(
  context: TikTokSandboxContext,
  conversation: TikTokSandboxConversation,
  input: { role: 'BUYER' | 'SHOP'; type: string; content: string },
): TikTokSandboxChatMessage {
  const message: TikTokSandboxChatMessage = {
    id: context.state.nextId('message'),
    index: conversation.messages.length + 1,
    type: input.type,
    content: input.content,
    createTime: context.nowSeconds(),
    isVisible: true,
    sender: {
      role: input.role,
      imUserId: input.role === 'BUYER' ? conversation.buyerImUserId : conversation.shopImUserId,
    },
    read: false,
  };
  conversation.messages.push(message);
  return message;
}

function conversationOf(call: TikTokCall): TikTokSandboxConversation {
  const id = call.params.conversation_id;
  const conversation = id === undefined ? undefined : call.context.state.conversations.get(id);
  if (!conversation || conversation.shopId !== shopOf(call).id) throw tiktokError('conversationNotFound');
  return conversation;
}

function renderConversation(context: TikTokSandboxContext, conversation: TikTokSandboxConversation) {
  const last = conversation.messages[conversation.messages.length - 1];
  return {
    id: conversation.id,
    can_send_message: canSendMessage(context, conversation),
    unread_count: conversation.messages.filter((m) => m.sender.role === 'BUYER' && !m.read).length,
    create_time: conversation.createTime,
    participant_count: 2,
    participants: [
      { im_user_id: conversation.buyerImUserId, user_id: conversation.buyerUserId, role: 'BUYER' },
      { im_user_id: conversation.shopImUserId, role: 'SHOP' },
    ],
    latest_message: last ? renderMessage(last) : null,
  };
}

function renderMessage(message: TikTokSandboxChatMessage) {
  return {
    id: message.id,
    index: String(message.index),
    type: message.type,
    content: message.content,
    create_time: message.createTime,
    is_visible: message.isVisible,
    sender: { im_user_id: message.sender.imUserId, role: message.sender.role },
  };
}

const createBody = z.looseObject({ buyer_user_id: z.string().min(1) });
// `content` must be a JSON-encoded string: an object is refused, as TikTok does.
const sendBody = z.looseObject({ type: z.string().min(1), content: z.string().min(1) });

/** Customer-service endpoints. */
export const customerServiceRoutes: TikTokRoute[] = [
  {
    method: 'GET',
    path: '/customer_service/202309/conversations',
    scope: TIKTOK_CUSTOMER_SERVICE_SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const pageSize = readPageSize(call.query, 20);
      const shop = shopOf(call);
      const mine = [...call.context.state.conversations.values()].filter((c) => c.shopId === shop.id);
      const page = paginate(mine, {
        pageSize,
        pageToken: call.query.get('page_token'),
        fingerprint: `conversations|${shop.id}`,
        sortValue: (c) => c.messages[c.messages.length - 1]?.createTime ?? c.createTime,
        id: (c) => c.id,
        descending: true,
      });
      return {
        conversations: page.items.map((c) => renderConversation(call.context, c)),
        next_page_token: page.nextPageToken,
      };
    },
  },
  {
    method: 'GET',
    path: '/customer_service/202601/conversations/{conversation_id}',
    scope: TIKTOK_CUSTOMER_SERVICE_SCOPE,
    shopCipher: 'required',
    handle: (call) => ({ conversation: renderConversation(call.context, conversationOf(call)) }),
  },
  {
    method: 'POST',
    path: '/customer_service/202309/conversations',
    scope: TIKTOK_CUSTOMER_SERVICE_SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const { buyer_user_id: buyerUserId } = parseInput(createBody, call.body);
      const shop = shopOf(call);
      const known =
        [...call.context.state.orders.values()].some(
          (o) => o.shopId === shop.id && o.userId === buyerUserId,
        ) ||
        [...call.context.state.conversations.values()].some(
          (c) => c.shopId === shop.id && c.buyerUserId === buyerUserId,
        );
      if (!known) throw tiktokError('chatBuyerUnknown');
      return { conversation_id: conversationWith(call.context, shop.id, buyerUserId).id };
    },
  },
  {
    method: 'GET',
    path: '/customer_service/202309/conversations/{conversation_id}/messages',
    scope: TIKTOK_CUSTOMER_SERVICE_SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      const pageSize = readPageSize(call.query, 10);
      const conversation = conversationOf(call);
      const sortOrder = call.query.get('sort_order') ?? 'DESC';
      const page = paginate(
        conversation.messages.filter((m) => m.isVisible),
        {
          pageSize,
          pageToken: call.query.get('page_token'),
          fingerprint: `messages|${conversation.id}|${sortOrder}`,
          sortValue: (m) => m.index,
          id: (m) => m.id,
          descending: sortOrder !== 'ASC',
        },
      );
      return { messages: page.items.map(renderMessage), next_page_token: page.nextPageToken };
    },
  },
  {
    method: 'POST',
    path: '/customer_service/202309/conversations/{conversation_id}/messages',
    scope: TIKTOK_CUSTOMER_SERVICE_SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      if (
        typeof call.body === 'object' &&
        call.body !== null &&
        typeof (call.body as { content?: unknown }).content === 'object'
      ) {
        throw tiktokError('invalidParam', 'content must be a JSON-encoded string');
      }
      const input = parseInput(sendBody, call.body);
      if (!SENDABLE.has(input.type))
        throw tiktokError('invalidParam', `type ${input.type} is not served by the sandbox`);
      let content: unknown;
      try {
        content = JSON.parse(input.content);
      } catch {
        throw tiktokError('invalidParam', 'content must be a JSON-encoded string');
      }
      if (input.type === 'TEXT') {
        const text = (content as { content?: unknown } | null)?.content;
        if (typeof text !== 'string' || text.trim() === '')
          throw tiktokError('invalidParam', 'content.content is required');
        if ([...text].length > TEXT_MAX) throw tiktokError('chatTextTooLong');
      }
      const conversation = conversationOf(call);
      if (!canSendMessage(call.context, conversation)) throw tiktokError('chatNotAllowed');
      const message = addChatMessage(call.context, conversation, {
        role: 'SHOP',
        type: input.type,
        content: input.content,
      });
      return { message_id: message.id };
    },
  },
  {
    method: 'POST',
    path: '/customer_service/202309/conversations/{conversation_id}/messages/read',
    scope: TIKTOK_CUSTOMER_SERVICE_SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      for (const message of conversationOf(call).messages)
        if (message.sender.role === 'BUYER') message.read = true;
      return {};
    },
  },
];
