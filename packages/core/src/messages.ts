import * as z from 'zod/mini';
import type { MarketplaceId } from './errors';

/*
 * Buyer messages after a sale, as every marketplace that lets a seller's app read and write them
 * shares them: a conversation tied to an order, its messages, and what the conversation itself
 * says about writing in it now. Marketplace-specific calls (attachments upload, Mercado Livre's
 * action guide, TikTok's cards) stay on each adapter's own client.
 */

/** Who wrote a message: the buyer, the seller (this account), or the marketplace (its agents, system notices). */
export const MessageAuthor = /* @__PURE__ */ (() => z.enum(['buyer', 'seller', 'marketplace']))();
/** Who wrote a message. */
export type MessageAuthor = z.infer<typeof MessageAuthor>;

/** A file sent with a message, described (never downloaded by the read). */
export const MessageAttachment = /* @__PURE__ */ (() =>
  z.looseObject({
    /** The marketplace's key or URL for the file (what its download call takes). */
    id: z.string(),
    /** The name the sender gave the file, when known. */
    fileName: z.optional(z.string()),
    /** `application/pdf`, `image/jpeg`, …, when the marketplace says. */
    contentType: z.optional(z.string()),
    /** Size in bytes, when the marketplace says. */
    size: z.optional(z.number()),
  }))();
/** A file sent with a message. */
export type MessageAttachment = z.infer<typeof MessageAttachment>;

/** One message of a conversation. */
export const Message = /* @__PURE__ */ (() =>
  z.looseObject({
    id: z.string(),
    /** The conversation it belongs to (Mercado Livre: the pack, or the order when it has no pack). */
    conversationId: z.string(),
    from: MessageAuthor,
    /** The text as shown to the seller; empty when the message is only files or was moderated. */
    text: z.string(),
    attachments: z.array(MessageAttachment),
    /** When it was written (ISO 8601). */
    createdAt: z.string(),
    /** When the recipient read it (ISO 8601); absent while unread or when the marketplace does not say. */
    readAt: z.optional(z.string()),
    /**
     * The marketplace's moderation of the message: `clean`, `moderated` (hidden from the buyer:
     * links, personal data, …), `pending`, or the marketplace's own word.
     */
    moderation: z.optional(z.string()),
    /** The marketplace's message as received. */
    raw: z.unknown(),
  }))();
/** One message of a conversation. */
export type Message = z.infer<typeof Message>;

/**
 * Why the seller cannot write now:
 * - `buyer_must_write`: the marketplace lets the seller answer, not start (or write again), until
 *   the buyer writes;
 * - `blocked`: the conversation is closed to the seller (buyer blocked it, mediation, cancelled or
 *   refunded order, account restrictions, …); `detail` names the marketplace's reason;
 * - `expired`: the window for messages about this order has passed.
 */
export const CannotSendReason = /* @__PURE__ */ (() => z.enum(['buyer_must_write', 'blocked', 'expired']))();
/** Why the seller cannot write now. */
export type CannotSendReason = z.infer<typeof CannotSendReason>;

/** What the conversation itself says about writing in it now: read it before writing. */
export const ConversationLimits = /* @__PURE__ */ (() =>
  z.looseObject({
    /** The seller may send a message now. */
    canSend: z.boolean(),
    /** Why not, when `canSend` is false. */
    reason: z.optional(CannotSendReason),
    /** The marketplace's own reason as sent (Mercado Livre's `blocked_by_*` substatus). */
    detail: z.optional(z.string()),
    /** Longest text the seller may send, in characters, as this conversation reports it. */
    maxLength: z.optional(z.number()),
  }))();
/** What the conversation itself says about writing in it now. */
export type ConversationLimits = z.infer<typeof ConversationLimits>;

/** The conversation with the buyer about one order. */
export const Conversation = /* @__PURE__ */ (() =>
  z.looseObject({
    marketplace: z.string(),
    /** The marketplace's conversation id (Mercado Livre: the pack id, or the order id without a pack). */
    id: z.string(),
    /** The order the conversation was opened from. */
    orderId: z.string(),
    /** Every message the seller may see, oldest first. */
    messages: z.array(Message),
    limits: ConversationLimits,
    /** The marketplace's conversation status as received. */
    raw: z.unknown(),
  }))();
/** The conversation with the buyer about one order. */
export type Conversation = z.infer<typeof Conversation> & { marketplace: MarketplaceId };

/** Options of `MarketplaceClient.getOrderConversation`. */
export interface GetConversationOptions {
  /**
   * Mark the buyer's messages as read (what the seller sees in the marketplace's inbox). Default
   * `false`: a background read leaves them unread for a person to see.
   */
  markAsRead?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

/** A message the seller writes. */
export interface OutgoingMessage {
  text: string;
  /** Keys of files already uploaded through the adapter's own attachment call. */
  attachments?: readonly string[] | undefined;
}

/** Options of `MarketplaceClient.sendOrderMessage`. */
export interface SendMessageOptions {
  signal?: AbortSignal | undefined;
}
