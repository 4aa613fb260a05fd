import { intParam, isRecord, json, randomHex, readJson } from '../shared/index';
import type { MeliContext, OrderRecord } from './context';
import { badRequest, meliError, notFound } from './errors';
import type { AuthedInput, MeliRoute, MeliRouter } from './router';
import type { MeliMessage, MeliMessageAttachment } from './types';

/** The buyer's maximum message length the conversation reports. */
const BUYER_MAX_MESSAGE_LENGTH = 3500;
/** Conversations lock 30 days after their last message, until the buyer writes again. */
const QUIET_LOCK_MS = 30 * 24 * 60 * 60 * 1000;
/** Conversations stop being served 18 months after the purchase. */
const EXPIRY_MS = 548 * 24 * 60 * 60 * 1000;
/** Unused attachment keys are deleted after 48 hours. */
const ATTACHMENT_TTL_MS = 48 * 60 * 60 * 1000;
const ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
const MAX_ATTACHMENTS = 25;
const ATTACHMENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  txt: 'text/plain',
};
const SHORT_LINK = /\b(?:bit\.ly|tinyurl\.com|goo\.gl|t\.co|ow\.ly|is\.gd|cutt\.ly)\//i;
const EMOJI_PART = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200D|\uFE0F)$/u;

/** Action-guide options the sandbox offers (ME2 sales), with their caps. */
const ACTION_GUIDE_OPTIONS = [
  { id: 'REQUEST_BILLING_INFO', type: 'template', template: 'TEMPLATE___REQUEST_BILLING_INFO___1' },
  { id: 'OTHER', type: 'free_text', charLimit: 350 },
] as const;

/** Input of the sandbox's `sendMessage` driver: the buyer (default) or the seller writes about an order. */
export interface MeliSendMessageDriverInput {
  orderId: number;
  text: string;
  from?: 'buyer' | 'seller';
  /** Mercado Livre's moderation rejects the message: a buyer's is then never shown to the seller. */
  moderated?: boolean;
}

interface Conversation {
  /** Set by `blockConversation`: a block the sandbox does not derive (buyer, mediation, fraud, ...). */
  block: string | null;
  /** Remaining uses of each action-guide option. */
  caps: Map<string, number>;
}

interface Upload {
  sellerId: number;
  attachment: MeliMessageAttachment;
  uploadedAt: number;
  used: boolean;
}

/** The post-sale message desk of a sandbox: routes plus the drivers the sandbox exposes. */
export interface MeliMessageDesk {
  routes(router: MeliRouter): MeliRoute[];
  send(input: MeliSendMessageDriverInput): MeliMessage;
  block(orderId: number, substatus: string): void;
  unblock(orderId: number): void;
  clear(): void;
}

function acceptedText(text: string): boolean {
  return [...text].every((char) => (char.codePointAt(0) ?? 0) <= 0xff || EMOJI_PART.test(char));
}

/**
 * Post-sale messages per pack (`tag=post_sale` required on every call): the conversation with its
 * status and limits, one message, sending, attachments and the ME2 action guide. What Mercado Livre
 * refuses is refused: a seller who writes first, a blocked conversation (by the buyer, a cancelled
 * order, 30 quiet days, 18 months), text over `seller_max_message_length` or outside Latin-1 and
 * emoji, an `attachments` key with nothing in it, unknown or expired attachment keys, a used-up
 * action-guide option. Reads mark the buyer's messages read unless `mark_as_read=false`; a buyer's
 * moderated message is never shown to the seller.
 */
export function createMessageDesk(context: MeliContext): MeliMessageDesk {
  const { state } = context;
  const conversations = new Map<number, Conversation>();
  const uploads = new Map<string, Upload>();

  const now = () => context.clock.now();
  const iso = (epochMs: number) => new Date(epochMs).toISOString();

  function conversationOf(packId: number): Conversation {
    let conversation = conversations.get(packId);
    if (conversation === undefined) {
      conversation = { block: null, caps: new Map(ACTION_GUIDE_OPTIONS.map((option) => [option.id, 1])) };
      conversations.set(packId, conversation);
    }
    return conversation;
  }

  function ordersOfPack(packId: number): OrderRecord[] {
    const pack = state.packs.get(packId);
    if (pack) return pack.orderIds.flatMap((id) => state.orders.get(id) ?? []);
    const order = state.orders.get(packId);
    return order && order.order.pack_id == null ? [order] : [];
  }

  function packOf(record: OrderRecord): number {
    return record.order.pack_id ?? record.order.id;
  }

  function messagesOf(packId: number): MeliMessage[] {
    return state.messages.filter((message) => message.packId === packId);
  }

  function delivered(record: OrderRecord): boolean {
    const shipmentId = record.order.shipping.id;
    return shipmentId != null && state.shipments.get(shipmentId)?.shipment.status === 'delivered';
  }

  /** `conversation_status` as Mercado Livre derives it, explicit blocks first. */
  function statusOf(
    packId: number,
    orders: OrderRecord[],
  ): { status: 'active' | 'blocked'; substatus: string | null } {
    const conversation = conversationOf(packId);
    if (conversation.block) return { status: 'blocked', substatus: conversation.block };
    const first = orders[0];
    if (first && now() - first.createdAt > EXPIRY_MS) {
      return { status: 'blocked', substatus: 'blocked_by_conversation_expired' };
    }
    const messages = messagesOf(packId);
    if (messages.length === 0 && orders.every((record) => record.order.status === 'cancelled')) {
      return { status: 'blocked', substatus: 'blocked_by_cancelled_order' };
    }
    const last = messages[messages.length - 1];
    if (last && now() - Date.parse(last.createdAt) > QUIET_LOCK_MS) {
      return { status: 'blocked', substatus: 'blocked_by_time' };
    }
    return { status: 'active', substatus: null };
  }

  function messageJson(message: MeliMessage, siteId: string | null): Record<string, unknown> {
    return {
      id: message.id,
      site_id: siteId,
      client_id: null,
      from: { user_id: message.from },
      to: { user_id: message.to },
      status: message.moderation.status === 'rejected' ? 'moderated' : 'available',
      subject: null,
      text: message.text,
      message_date: {
        received: message.createdAt,
        available: message.createdAt,
        notified: message.createdAt,
        created: message.createdAt,
        read: message.readAt,
      },
      message_moderation: {
        status: message.moderation.status,
        reason: message.moderation.reason,
        source: 'online',
        moderation_date: message.createdAt,
      },
      message_attachments: message.attachments.length > 0 ? structuredClone(message.attachments) : null,
      message_resources: [{ id: String(message.packId), name: 'packs' }],
      conversation_first_message: messagesOf(message.packId)[0]?.id === message.id,
    };
  }

  /** The pack's orders when the caller is their seller, or the refusal. */
  function sellersPack(input: AuthedInput): { packId: number; orders: OrderRecord[] } | Response {
    if (input.query.get('tag') !== 'post_sale') return badRequest('tag=post_sale is required');
    if (Number(input.params.sellerId ?? input.token.userId) !== input.token.userId) {
      return meliError(403, 'forbidden', `Access denied for user ${input.token.userId}`);
    }
    const packId = Number(input.params.packId);
    const orders = Number.isSafeInteger(packId) ? ordersOfPack(packId) : [];
    if (orders.length === 0) return notFound(`Pack ${input.params.packId} not found`);
    if (orders.some((record) => record.order.seller.id !== input.token.userId)) {
      return meliError(403, 'forbidden', `Access denied for user ${input.token.userId} to order ${packId}`);
    }
    return { packId, orders };
  }

  function record(message: Omit<MeliMessage, 'id' | 'createdAt' | 'readAt'>): MeliMessage {
    const stored: MeliMessage = { ...message, id: randomHex(32), createdAt: iso(now()), readAt: null };
    state.messages.push(stored);
    return stored;
  }

  function conversation(input: AuthedInput): Response {
    const found = sellersPack(input);
    if (found instanceof Response) return found;
    const { packId, orders } = found;
    const sellerId = input.token.userId;
    const visible = messagesOf(packId).filter(
      (message) => message.from === sellerId || message.moderation.status !== 'rejected',
    );
    if (input.query.get('mark_as_read') !== 'false') {
      for (const message of visible)
        if (message.to === sellerId && message.readAt === null) message.readAt = iso(now());
    }
    const limit = intParam(input.query, 'limit') ?? 10;
    const offset = intParam(input.query, 'offset') ?? 0;
    if (!(limit >= 1 && offset >= 0)) return badRequest('limit and offset must be positive integers');
    const { status, substatus } = statusOf(packId, orders);
    return json({
      paging: { limit, offset, total: visible.length },
      conversation_status: {
        path: `/packs/${packId}/sellers/${sellerId}`,
        status,
        substatus,
        status_date: iso(now()),
        status_update_allowed: false,
        claim_ids: [],
        shipping_id: orders[0]?.order.shipping.id ?? null,
      },
      messages: visible
        .slice(offset, offset + limit)
        .map((message) => messageJson(message, input.user.site_id)),
      seller_max_message_length: context.behaviour.sellerMaxMessageLength,
      buyer_max_message_length: BUYER_MAX_MESSAGE_LENGTH,
    });
  }

  function forbiddenCode(message: string): Response {
    return json({ status_code: 403, code: 'forbidden', message }, { status: 403 });
  }

  function attachmentsOf(value: unknown, sellerId: number): MeliMessageAttachment[] | Response {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length === 0) {
      return badRequest('attachments must be left out when there is none');
    }
    if (value.length > MAX_ATTACHMENTS)
      return badRequest(`At most ${MAX_ATTACHMENTS} attachments per message`);
    const found: MeliMessageAttachment[] = [];
    for (const key of value) {
      const upload = typeof key === 'string' ? uploads.get(key) : undefined;
      if (
        !upload ||
        upload.sellerId !== sellerId ||
        upload.used ||
        now() - upload.uploadedAt > ATTACHMENT_TTL_MS
      ) {
        return meliError(422, 'unprocessable_entity', 'Attachment key is invalid or not found');
      }
      found.push(upload.attachment);
    }
    return found;
  }

  /** The seller's pack and the JSON object body of a write to it, or the refusal. */
  async function sellersPackAndBody(input: AuthedInput) {
    const found = sellersPack(input);
    if (found instanceof Response) return found;
    const read = await readJson(input.request);
    if (!read.ok || !isRecord(read.value)) return badRequest('The body is not a valid JSON object');
    return { ...found, body: read.value };
  }

  async function send(input: AuthedInput): Promise<Response> {
    const found = await sellersPackAndBody(input);
    if (found instanceof Response) return found;
    const { packId, orders, body } = found;
    const sellerId = input.token.userId;
    const from = isRecord(body.from) ? Number(body.from.user_id) : Number.NaN;
    const to = isRecord(body.to) ? body.to.user_id : undefined;
    if (from !== sellerId) return badRequest("Invalid 'from' user id");
    if (to === undefined || to === null || to === '') return badRequest("The field 'to.user_id' is required");
    if (Number(to) === sellerId) return badRequest('Sender and received must not be equals');
    const buyers = new Set(orders.map((record) => record.order.buyer.id));
    const others = new Set(
      messagesOf(packId).flatMap((message) => (message.from === sellerId ? [] : [message.from])),
    );
    if (!buyers.has(Number(to)) && !others.has(Number(to))) {
      return meliError(403, 'forbidden', `Receiver does not belong to order ${packId}`);
    }
    const text = body.text;
    if (typeof text !== 'string' || text.trim() === '') return badRequest('The message text is required');
    const max = context.behaviour.sellerMaxMessageLength;
    if ([...text].length > max) {
      return badRequest(`The message content is too long, max characters allowed are ${max}`);
    }
    if (!acceptedText(text)) return badRequest('The text has character/s that is/are not supported.');
    const attachments = attachmentsOf(body.attachments, sellerId);
    if (attachments instanceof Response) return attachments;
    const { status } = statusOf(packId, orders);
    if (status === 'blocked') return forbiddenCode('blocked_conversation_send_message_forbidden');
    if (!messagesOf(packId).some((message) => message.from !== sellerId)) {
      return forbiddenCode('blocked_by_conversation_started_by_seller');
    }
    for (const key of (body.attachments as string[] | undefined) ?? []) {
      const upload = uploads.get(key);
      if (upload) upload.used = true;
    }
    const stored = record({
      packId,
      from: sellerId,
      to: Number(to),
      text,
      moderation: SHORT_LINK.test(text)
        ? { status: 'rejected', reason: 'LINK_SHORT_URL' }
        : { status: 'clean', reason: null },
      attachments,
    });
    return json(messageJson(stored, input.user.site_id), { status: 201 });
  }

  async function upload(input: AuthedInput): Promise<Response> {
    if (input.query.get('tag') !== 'post_sale') return badRequest('tag=post_sale is required');
    if (!input.query.get('site_id')) return badRequest('site_id is required');
    let file: FormDataEntryValue | null = null;
    try {
      file = (await input.request.formData()).get('file');
    } catch {
      return badRequest('The body must be multipart/form-data with a file field');
    }
    if (file === null || typeof file === 'string') return badRequest('The file field is required');
    const name = file.name;
    const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
    const type = ATTACHMENT_TYPES[extension];
    if (!type) return badRequest('Only JPG, PNG, PDF and TXT files are accepted');
    if ([...name].length > 200 || /[/\\]/.test(name)) return badRequest('Invalid file name');
    if (file.size === 0 || file.size > ATTACHMENT_MAX_BYTES)
      return badRequest('The file must be at most 25 MB');
    const id = `${input.token.userId}_${randomHex(8)}-${randomHex(4)}-${randomHex(4)}.${extension}`;
    uploads.set(id, {
      sellerId: input.token.userId,
      uploadedAt: now(),
      used: false,
      attachment: {
        filename: id,
        original_filename: name,
        type,
        size: file.size,
        potential_security_threat: false,
        creation_date: iso(now()),
      },
    });
    return json({ id });
  }

  function actionGuide(input: AuthedInput): Response {
    const found = sellersPack(input);
    if (found instanceof Response) return found;
    const caps = conversationOf(found.packId).caps;
    const wasDelivered = found.orders.some(delivered);
    return json({
      options: ACTION_GUIDE_OPTIONS.map((option) => {
        const enabled = !(option.id === 'OTHER' && wasDelivered);
        return option.type === 'template'
          ? {
              id: option.id,
              type: option.type,
              enabled,
              actionable: enabled,
              templates: [{ id: option.template, vars: null }],
              child_options: null,
              cap_available: caps.get(option.id) ?? 0,
            }
          : {
              id: option.id,
              type: option.type,
              enabled,
              actionable: enabled,
              templates: null,
              char_limit: option.charLimit,
              child_options: null,
              cap_available: caps.get(option.id) ?? 0,
            };
      }),
    });
  }

  async function sendOption(input: AuthedInput): Promise<Response> {
    const found = await sellersPackAndBody(input);
    if (found instanceof Response) return found;
    const { packId, orders, body } = found;
    const option = ACTION_GUIDE_OPTIONS.find((candidate) => candidate.id === body.option_id);
    if (!option) return notFound(`Option ${String(body.option_id)} not found`);
    const sellerId = input.token.userId;
    if (messagesOf(packId).some((message) => message.from !== sellerId)) {
      return forbiddenCode(
        'This package has the conversation blocked: blocked_by_conversation_use_message_api',
      );
    }
    if (statusOf(packId, orders).status === 'blocked') {
      return forbiddenCode('blocked_conversation_send_message_forbidden');
    }
    let text: string;
    if (option.type === 'free_text') {
      if (option.id === 'OTHER' && orders.some(delivered)) {
        return forbiddenCode('The option OTHER is not available once the shipment is delivered');
      }
      if (typeof body.text !== 'string' || body.text.trim() === '') return badRequest('text is required');
      if ([...body.text].length > option.charLimit) return meliError(400, 'limit_exceeded', 'limit_exceeded');
      if (!acceptedText(body.text)) return badRequest('The text has character/s that is/are not supported.');
      text = body.text;
    } else {
      if (body.template_id !== option.template)
        return badRequest(`Unknown template ${String(body.template_id)}`);
      text = option.template;
    }
    const caps = conversationOf(packId).caps;
    if ((caps.get(option.id) ?? 0) <= 0) {
      return forbiddenCode(`You are not allowed to execute the option ${option.id} again`);
    }
    caps.set(option.id, (caps.get(option.id) ?? 1) - 1);
    const stored = record({
      packId,
      from: sellerId,
      to: orders[0]?.order.buyer.id ?? 0,
      text,
      moderation: { status: 'clean', reason: null },
      attachments: [],
    });
    return json(messageJson(stored, input.user.site_id), { status: 201 });
  }

  function orderOf(orderId: number): OrderRecord {
    const found = state.orders.get(orderId);
    if (found === undefined) throw new RangeError(`No order ${orderId}`);
    return found;
  }

  return {
    routes: (router) => [
      router.api('get', '/messages/packs/:packId/sellers/:sellerId', conversation),
      router.api('post', '/messages/packs/:packId/sellers/:sellerId', send),
      router.api('post', '/messages/attachments', upload),
      router.api('get', '/messages/action_guide/packs/:packId', actionGuide),
      router.api('post', '/messages/action_guide/packs/:packId/option', sendOption),
      router.api('get', '/messages/:id', ({ params, token, query, user }) => {
        if (query.get('tag') !== 'post_sale') return badRequest('tag=post_sale is required');
        const message = state.messages.find((candidate) => candidate.id === params.id);
        if (message === undefined) return notFound(`Message ${params.id} not found`);
        if (message.from !== token.userId && message.to !== token.userId) {
          return meliError(403, 'forbidden', 'caller.id.invalid');
        }
        if (message.from !== token.userId && message.moderation.status === 'rejected') {
          return notFound(`Message ${params.id} not found`);
        }
        return json(messageJson(message, user.site_id));
      }),
    ],
    send(input) {
      const order = orderOf(input.orderId);
      const fromBuyer = (input.from ?? 'buyer') === 'buyer';
      const sellerId = order.order.seller.id;
      const message = record({
        packId: packOf(order),
        from: fromBuyer ? order.order.buyer.id : sellerId,
        to: fromBuyer ? sellerId : order.order.buyer.id,
        text: input.text,
        moderation: input.moderated
          ? { status: 'rejected', reason: 'PERSONAL_DATA' }
          : { status: 'clean', reason: null },
        attachments: [],
      });
      // A buyer's message reopens a conversation that only waited for them.
      const conversation = conversationOf(message.packId);
      if (fromBuyer && conversation.block === 'blocked_by_refund') conversation.block = null;
      if (!(fromBuyer && input.moderated)) context.notify('messages', message.id, sellerId, ['created']);
      return structuredClone(message);
    },
    block(orderId, substatus) {
      conversationOf(packOf(orderOf(orderId))).block = substatus;
    },
    unblock(orderId) {
      conversationOf(packOf(orderOf(orderId))).block = null;
    },
    clear() {
      conversations.clear();
      uploads.clear();
    },
  };
}
