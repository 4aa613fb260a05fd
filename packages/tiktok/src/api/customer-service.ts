import { type FieldIssue, parseOrThrow, ValidationError } from '@mlh/core';
import * as zm from 'zod/mini';
import { TIKTOK } from '../mappers';
import {
  type TikTokChatMessage,
  TikTokChatMessagesData,
  TikTokConversation,
  TikTokConversationData,
} from '../schemas';
import { callTikTok, type TikTokCallContext } from '../transport';

/**
 * Customer-service chat (module `customer_service`). Every call needs the `seller.customer_service`
 * scope, which TikTok classes as sensitive and reviews: integrators report it is granted only to
 * apps registered in the "Customer Service/Support" category. Without it every call answers
 * `105005` (a `TikTokScopeError`).
 */

/** Largest `page_size` of Get Conversations (required). */
export const TIKTOK_CONVERSATIONS_PAGE_SIZE_MAX = 20;
/** Largest `page_size` of Get Conversation Messages (required). */
export const TIKTOK_CHAT_MESSAGES_PAGE_SIZE_MAX = 10;
/** Longest TEXT message, in characters. */
export const TIKTOK_CHAT_TEXT_MAX_LENGTH = 2000;

/**
 * The conversation with a buyer: `POST /customer_service/202309/conversations` with the buyer's
 * `user_id` (as the order carries it; chat `im_user_id`s are other ids). TikTok returns the existing
 * conversation when there is one, so this is safe to repeat.
 */
export async function createConversation(context: TikTokCallContext, buyerUserId: string): Promise<string> {
  if (typeof buyerUserId !== 'string' || !/^\d+$/.test(buyerUserId)) {
    throw new ValidationError(
      'Invalid buyer',
      [{ path: 'buyerUserId', message: "must be the order's user_id" }],
      {
        marketplace: TIKTOK,
      },
    );
  }
  const { data } = await callTikTok(
    context,
    {
      method: 'POST',
      path: '/customer_service/202309/conversations',
      body: { json: { buyer_user_id: buyerUserId } },
      idempotent: true,
      operation: 'customer_service.createConversation',
    },
    zm.looseObject({ conversation_id: zm.pipe(zm.union([zm.string(), zm.number()]), zm.transform(String)) }),
    'customer_service.createConversation',
  );
  return data.conversation_id;
}

function assertConversationId(id: string): string {
  if (typeof id !== 'string' || !/^\d+$/.test(id)) {
    throw new ValidationError(
      'Invalid conversation',
      [{ path: 'conversationId', message: 'must be a numeric id' }],
      {
        marketplace: TIKTOK,
      },
    );
  }
  return id;
}

/** One conversation, with `can_send_message`: `GET /customer_service/202601/conversations/{id}`. */
export async function getConversation(
  context: TikTokCallContext,
  conversationId: string,
): Promise<TikTokConversation> {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: `/customer_service/202601/conversations/${assertConversationId(conversationId)}`,
      operation: 'customer_service.getConversation',
    },
    TikTokConversationData,
    'customer_service.getConversation',
  );
  return (
    data.conversation ??
    parseOrThrow(TikTokConversation, data, 'customer_service.getConversation response', {
      marketplace: TIKTOK,
      path: 'data',
    })
  );
}

/** One page of a conversation's messages (at most 10, newest first by default). Reading does not mark them read. */
export async function getConversationMessages(
  context: TikTokCallContext,
  conversationId: string,
  options: {
    pageSize?: number | undefined;
    pageToken?: string | undefined;
    sortOrder?: 'ASC' | 'DESC' | undefined;
  } = {},
): Promise<{ messages: TikTokChatMessage[]; nextPageToken: string | undefined }> {
  const pageSize = Math.min(
    Math.max(1, Math.floor(options.pageSize ?? TIKTOK_CHAT_MESSAGES_PAGE_SIZE_MAX)),
    TIKTOK_CHAT_MESSAGES_PAGE_SIZE_MAX,
  );
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: `/customer_service/202309/conversations/${assertConversationId(conversationId)}/messages`,
      query: {
        page_size: pageSize,
        page_token: options.pageToken || undefined,
        sort_field: 'create_time',
        sort_order: options.sortOrder ?? 'DESC',
      },
      operation: 'customer_service.getMessages',
    },
    TikTokChatMessagesData,
    'customer_service.getMessages',
  );
  return { messages: data.messages ?? [], nextPageToken: data.next_page_token || undefined };
}

/** Why a TEXT message would be refused (empty list: it may be sent). */
export function tiktokChatTextIssues(text: unknown): FieldIssue[] {
  if (typeof text !== 'string' || text.trim() === '')
    return [{ path: 'text', message: 'must be a non-empty text' }];
  const length = [...text].length;
  return length > TIKTOK_CHAT_TEXT_MAX_LENGTH
    ? [{ path: 'text', message: `at most ${TIKTOK_CHAT_TEXT_MAX_LENGTH} characters, got ${length}` }]
    : [];
}

/**
 * Sends a TEXT message: `POST …/conversations/{id}/messages` with `content` as a JSON-encoded
 * string (`{"content":"…"}`), which TikTok requires. **Not idempotent**: never repeated after a
 * timeout or a 5xx. Checked first (non-empty, at most 2000 characters).
 */
export async function sendTextMessage(
  context: TikTokCallContext,
  conversationId: string,
  text: string,
): Promise<string> {
  const issues = tiktokChatTextIssues(text);
  if (issues.length > 0)
    throw new ValidationError('Invalid TikTok Shop message', issues, { marketplace: TIKTOK });
  const { data } = await callTikTok(
    context,
    {
      method: 'POST',
      path: `/customer_service/202309/conversations/${assertConversationId(conversationId)}/messages`,
      body: { json: { type: 'TEXT', content: JSON.stringify({ content: text }) } },
      idempotent: false,
      operation: 'customer_service.sendMessage',
    },
    zm.looseObject({
      message_id: zm.optional(zm.pipe(zm.union([zm.string(), zm.number()]), zm.transform(String))),
    }),
    'customer_service.sendMessage',
  );
  return data.message_id ?? '';
}

/** Marks the buyer's messages of a conversation read: `POST …/conversations/{id}/messages/read`. */
export async function markConversationRead(
  context: TikTokCallContext,
  conversationId: string,
): Promise<void> {
  await callTikTok(
    context,
    {
      method: 'POST',
      path: `/customer_service/202309/conversations/${assertConversationId(conversationId)}/messages/read`,
      body: { json: {} },
      idempotent: true,
      operation: 'customer_service.read',
    },
    zm.unknown(),
    'customer_service.read',
  );
}
