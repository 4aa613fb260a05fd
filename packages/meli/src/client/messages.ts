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
import * as messagesApi from '../api/messages';
import * as ordersApi from '../api/orders';
import { MELI_MESSAGING_AGENT_IDS, mapMeliConversation, mapMeliMessage } from '../mappers';
import { type MeliMessage, MeliMessageLookup } from '../schemas';
import type { MeliAccountContext } from './context';
import { meliModule } from './module';
import { questionsCapability } from './questions';

/** `client.messages`: Mercado Livre's post-sale messaging by pack, beyond the core calls. */
export interface MeliMessagesApi {
  /**
   * The conversation of a pack (or of an order without a pack: its order id), every page, with
   * the status and limits it reports. Does not mark messages read unless `markAsRead`.
   */
  conversation(
    packId: string,
    options?: messagesApi.MeliConversationReadOptions,
  ): Promise<messagesApi.MeliConversation>;
  /** One message, as a `messages` notification names it (`event.resourceId`), in the core shape. */
  get(messageId: string): Promise<Message>;
  /**
   * Sends in a pack's conversation, to `input.to` (the buyer or the agent shown in the
   * conversation). Checked and sent once; see `sendOrderMessage` for the version that reads the
   * conversation first.
   */
  send(
    packId: string,
    input: messagesApi.MeliSendMessageInput,
    options?: SendMessageOptions,
  ): Promise<unknown>;
  /** Uploads a file for a message (jpg, png, pdf, txt; ≤ 25 MB); use the key within 48 hours. */
  uploadAttachment(file: messagesApi.MeliAttachmentFile, options?: SendMessageOptions): Promise<string>;
  /** The reasons (options) the seller may give to start the conversation of an ME2 sale, with their caps. */
  actionGuide(packId: string): Promise<messagesApi.MeliActionGuideOptions>;
  /**
   * Starts the conversation through a reason. Calls on one pack are sent one after another (Mercado
   * Livre locks the sale and answers 409 to a parallel call). Once an option's cap is used the
   * seller waits for the buyer.
   */
  sendOption(
    packId: string,
    input: messagesApi.MeliActionGuideInput,
    options?: SendMessageOptions,
  ): Promise<Message>;
}

/** The messaging calls of a Mercado Livre client: the core pair plus `client.messages`. */
export type MeliMessagesCapability = MessagesCapability & { messages: MeliMessagesApi };

function lastCounterpart(messages: readonly MeliMessage[], sellerId: string): string | undefined {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const from = messages[index]?.from?.user_id;
    if (from != null && String(from) !== sellerId) return String(from);
  }
  return undefined;
}

/** The message a send answered with, in either documented shape; undefined when it names none. */
function sentMessage(data: unknown): MeliMessage | undefined {
  const parsed = MeliMessageLookup.safeParse(data);
  if (!parsed.success) return undefined;
  const { messages, ...flat } = parsed.data;
  const message = messages ? messages[0] : flat;
  return message && (message.id ?? message.message_id) != null ? message : undefined;
}

/** Post-sale messages of one seller: by order (core) and by pack (`client.messages`). */
export function messagesCapability(ctx: MeliAccountContext): MeliMessagesCapability {
  const { context, accountId } = ctx;
  const agentIds = Object.values({ ...MELI_MESSAGING_AGENT_IDS, ...ctx.options.messagingAgentIds });
  const locks = new Map<string, Promise<unknown>>();

  async function packOf(orderId: string): Promise<string> {
    const order = (await ordersApi.getOrder(context, orderId)).data;
    return String(order.pack_id ?? order.id ?? orderId);
  }

  function serialised<T>(packId: string, run: () => Promise<T>): Promise<T> {
    const previous = locks.get(packId) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    locks.set(packId, settled);
    void settled.then(() => {
      if (locks.get(packId) === settled) locks.delete(packId);
    });
    return next;
  }

  async function getOrderConversation(
    orderId: string,
    options: GetConversationOptions = {},
  ): Promise<Conversation> {
    const packId = await packOf(orderId);
    const conversation = await messagesApi.readConversation(context, packId, options);
    return mapMeliConversation(conversation, { sellerId: accountId, orderId, agentIds });
  }

  async function sendOrderMessage(
    orderId: string,
    message: OutgoingMessage,
    options: SendMessageOptions = {},
  ): Promise<Message> {
    if (typeof message !== 'object' || message === null) {
      throw new ValidationError(
        'Invalid message',
        [{ path: '', message: 'must be { text, attachments? }' }],
        {
          marketplace: 'meli',
        },
      );
    }
    const packId = await packOf(orderId);
    const conversation = await messagesApi.readConversation(context, packId, { signal: options.signal });
    const mapped = mapMeliConversation(conversation, { sellerId: accountId, orderId, agentIds });
    const { limits } = mapped;
    const maxLength = limits.maxLength ?? messagesApi.MELI_SELLER_MESSAGE_DEFAULT_MAX_LENGTH;
    const textIssues = messagesApi.meliMessageTextIssues(message.text, maxLength);
    if (textIssues.length > 0) {
      throw new ValidationError('Invalid Mercado Livre message', textIssues, { marketplace: 'meli' });
    }
    const to = lastCounterpart(conversation.messages, accountId);
    if (!limits.canSend || to === undefined) {
      const why =
        limits.reason === 'buyer_must_write'
          ? 'the seller can write once the buyer has written (ME2 sales may start through client.messages.sendOption)'
          : limits.reason === 'expired'
            ? 'the conversation has expired'
            : 'the conversation is blocked';
      throw new PermissionError(
        `Mercado Livre pack ${packId}: cannot send a message now: ${why} (${limits.detail})`,
        {
          marketplace: 'meli',
          code: limits.detail,
        },
      );
    }
    const response = await messagesApi.sendMessage(
      context,
      packId,
      { to, text: message.text, attachments: message.attachments, maxLength },
      options,
    );
    const sent = sentMessage(response.data);
    if (sent) return mapMeliMessage(sent, { sellerId: accountId, conversationId: packId, agentIds });
    // The answer named no message: it landed (2xx), so find it rather than report a failure that
    // would invite a second send.
    const after = await messagesApi.readConversation(context, packId);
    const found = [...after.messages]
      .reverse()
      .find((candidate) => String(candidate.from?.user_id) === accountId && candidate.text === message.text);
    return found
      ? mapMeliMessage(found, { sellerId: accountId, conversationId: packId, agentIds })
      : {
          id: '',
          conversationId: packId,
          from: 'seller',
          text: message.text,
          attachments: (message.attachments ?? []).map((id) => ({ id })),
          createdAt: new Date(ctx.clock.now()).toISOString(),
          raw: response.data,
        };
  }

  const messages: MeliMessagesApi = Object.freeze({
    conversation: (packId: string, options?: messagesApi.MeliConversationReadOptions) =>
      messagesApi.readConversation(context, packId, options),
    async get(messageId: string): Promise<Message> {
      const message = (await messagesApi.getMessage(context, messageId)).data;
      const pack =
        message.message_resources.find((resource) => resource.name === 'packs')?.id ??
        message.resource_id ??
        '';
      return mapMeliMessage(message, { sellerId: accountId, conversationId: String(pack), agentIds });
    },
    send: async (packId: string, input: messagesApi.MeliSendMessageInput, options?: SendMessageOptions) =>
      (await messagesApi.sendMessage(context, packId, input, options)).data,
    async uploadAttachment(file: messagesApi.MeliAttachmentFile, options?: SendMessageOptions) {
      const siteId = await ctx.siteId();
      if (siteId === undefined) {
        throw new ValidationError(
          'Unknown site',
          [{ path: 'siteId', message: 'give siteId in the client options' }],
          {
            marketplace: 'meli',
          },
        );
      }
      return messagesApi.uploadAttachment(context, siteId, file, options);
    },
    actionGuide: async (packId: string) => (await messagesApi.getActionGuide(context, packId)).data.options,
    sendOption: (packId: string, input: messagesApi.MeliActionGuideInput, options?: SendMessageOptions) =>
      serialised(packId, async () => {
        const sent = (await messagesApi.sendActionGuideOption(context, packId, input, options)).data;
        return mapMeliMessage(sent, { sellerId: accountId, conversationId: packId, agentIds });
      }),
  });

  return { getOrderConversation, sendOrderMessage, messages };
}

/**
 * The messages module: post-sale messages by pack (`getOrderConversation`, `sendOrderMessage`, the
 * raw `messages` calls) and pre-sale questions (`questions`).
 *
 * @example
 * import { meliMessages } from '@mlh/meli/messages';
 * const client = createMeli({ ...options, capabilities: [meliMessages] }).forAccount(sellerId);
 * await client.sendOrderMessage(order.externalId, { text: 'Enviado hoje!' });
 */
export const meliMessages = /* @__PURE__ */ meliModule({
  name: 'messages',
  capabilities: {},
  build: (ctx): MeliMessagesCapability & ReturnType<typeof questionsCapability> => ({
    ...questionsCapability(ctx),
    ...messagesCapability(ctx),
  }),
});
