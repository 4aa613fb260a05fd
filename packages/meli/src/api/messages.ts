import { type FieldIssue, ValidationError } from '@mlh/core';
import * as zm from 'zod/mini';
import {
  MeliActionGuide,
  MeliConversationPage,
  type MeliConversationStatus,
  MeliMessage,
  MeliMessageLookup,
} from '../schemas';
import { assertMeliId, callMeli, type MeliContext, type MeliResponse } from '../transport';

/**
 * Post-sale messages, the current version: every call carries `tag=post_sale`. A conversation
 * belongs to a pack (the order id stands in for a pack id when the order has none). Reads mark
 * the buyer's messages as read unless told `mark_as_read=false`; the typed calls here default to
 * not marking. GETs share one 500 rpm limit and writes another. New messages arrive on the
 * `messages` notification topic, whose resource is the bare message id.
 */

/** The seller's limit when the conversation does not report its own (the documented 350). */
export const MELI_SELLER_MESSAGE_DEFAULT_MAX_LENGTH = 350;
/** Most attachments one message may carry. */
export const MELI_MESSAGE_MAX_ATTACHMENTS = 25;
/** Largest attachment accepted, in bytes (25 MB). */
export const MELI_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
/** Longest original file name of an attachment. */
export const MELI_ATTACHMENT_MAX_NAME_LENGTH = 200;
/** Page size of conversation reads: the documented examples' 10 (no maximum is documented). */
export const MELI_CONVERSATION_PAGE_SIZE = 10;
/** Attachment types Mercado Livre accepts, by extension. */
export const MELI_ATTACHMENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  txt: 'text/plain',
});

const TAG = { tag: 'post_sale' } as const;

function conversationPath(packId: string, sellerId: string): string {
  return `/messages/packs/${assertMeliId(packId, 'packId')}/sellers/${assertMeliId(sellerId, 'sellerId')}`;
}

/** Options of a conversation read. */
export interface MeliConversationReadOptions {
  /** Mark the buyer's messages read, as opening the conversation in Mercado Livre does. Default `false`. */
  markAsRead?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * One page of a pack's conversation: `GET /messages/packs/{pack}/sellers/{seller}?tag=post_sale`.
 *
 * @example
 * const page = await getConversationPage(context, '2000000089077943', { offset: 0, limit: 10 });
 */
export async function getConversationPage(
  context: MeliContext,
  packId: string,
  query: { offset?: number | undefined; limit?: number | undefined } & MeliConversationReadOptions = {},
): Promise<MeliResponse<MeliConversationPage>> {
  return callMeli(
    context,
    {
      method: 'GET',
      path: conversationPath(packId, context.accountId),
      query: {
        ...TAG,
        mark_as_read: query.markAsRead === true ? undefined : 'false',
        offset: query.offset,
        limit: query.limit,
      },
      operation: 'messages.conversation',
      signal: query.signal,
    },
    MeliConversationPage,
  );
}

/** A whole conversation: its status, the limits it reports and every message, oldest first. */
export interface MeliConversation {
  packId: string;
  status: MeliConversationStatus | undefined;
  sellerMaxMessageLength: number | undefined;
  buyerMaxMessageLength: number | undefined;
  messages: MeliMessage[];
}

function messageId(message: MeliMessage): string | undefined {
  const id = message.id ?? message.message_id;
  return id == null ? undefined : String(id);
}

function createdOf(message: MeliMessage): string {
  return message.message_date?.created ?? message.date_created ?? '';
}

/**
 * Reads every page of a pack's conversation, each message once, oldest first. A page that adds
 * nothing new ends the walk, so a server repeating a page cannot loop it forever.
 */
export async function readConversation(
  context: MeliContext,
  packId: string,
  options: MeliConversationReadOptions & { pageSize?: number | undefined } = {},
): Promise<MeliConversation> {
  const limit = Math.max(1, Math.floor(options.pageSize ?? MELI_CONVERSATION_PAGE_SIZE));
  const seen = new Map<string, MeliMessage>();
  let first: MeliConversationPage | undefined;
  for (let offset = 0; ; ) {
    const page = (await getConversationPage(context, packId, { ...options, offset, limit })).data;
    first ??= page;
    let fresh = 0;
    for (const message of page.messages) {
      const id = messageId(message);
      if (id === undefined || seen.has(id)) continue;
      seen.set(id, message);
      fresh += 1;
    }
    offset += page.messages.length;
    const total = page.paging?.total;
    if (page.messages.length === 0 || fresh === 0) break;
    if (total != null ? offset >= total : page.messages.length < limit) break;
  }
  return {
    packId,
    status: first?.conversation_status ?? undefined,
    sellerMaxMessageLength: first?.seller_max_message_length ?? undefined,
    buyerMaxMessageLength: first?.buyer_max_message_length ?? undefined,
    messages: [...seen.values()].sort((a, b) => createdOf(a).localeCompare(createdOf(b))),
  };
}

/**
 * One message: `GET /messages/{id}?tag=post_sale` (what a `messages` notification names). Both
 * documented shapes are read: the flat one and the newer one wrapped in `messages[]`.
 */
export async function getMessage(context: MeliContext, id: string): Promise<MeliResponse<MeliMessage>> {
  const response = await callMeli(
    context,
    {
      method: 'GET',
      path: `/messages/${assertMeliId(id, 'messageId')}`,
      query: TAG,
      operation: 'messages.get',
    },
    MeliMessageLookup,
  );
  const { messages, ...flat } = response.data;
  const data = messages ? messages[0] : flat;
  if (data === undefined) {
    throw new ValidationError('Invalid messages.get response', [{ path: 'messages', message: 'is empty' }], {
      marketplace: 'meli',
    });
  }
  return { ...response, data };
}

const EMOJI_PART = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200D|\uFE0F)$/u;

/** A character Mercado Livre may accept: ISO-8859-1 (Latin-1), or part of an emoji. */
function acceptedCharacter(char: string): boolean {
  return (char.codePointAt(0) ?? 0) <= 0xff || EMOJI_PART.test(char);
}

/**
 * Why a seller's text would be refused (empty list: it may be sent): empty, longer than
 * `maxLength` characters, or holding characters outside ISO-8859-1 (Latin-1) other than emoji.
 * Mercado Livre accepts an allowed list of emoji it does not publish: emoji pass here and the API
 * has the last word on them.
 */
export function meliMessageTextIssues(text: unknown, maxLength: number): FieldIssue[] {
  if (typeof text !== 'string' || text.trim() === '') {
    return [{ path: 'text', message: 'must be a non-empty text' }];
  }
  const issues: FieldIssue[] = [];
  const length = [...text].length;
  if (length > maxLength) {
    issues.push({
      path: 'text',
      message: `at most ${maxLength} characters in this conversation, got ${length}`,
    });
  }
  const bad = [...new Set([...text].filter((char) => !acceptedCharacter(char)))].slice(0, 5);
  if (bad.length > 0) {
    issues.push({
      path: 'text',
      message: `only Latin-1 (ISO-8859-1) characters and emoji are accepted; not ${bad.map((char) => JSON.stringify(char)).join(', ')}`,
    });
  }
  return issues;
}

/** A message the seller sends: the recipient (the buyer, or Mercado Livre's agent), text and attachment keys. */
export interface MeliSendMessageInput {
  /** The user id to write to: the counterpart shown in the conversation. */
  to: string;
  text: string;
  /** Keys returned by {@link uploadAttachment} (within 48 hours of the upload). */
  attachments?: readonly string[] | undefined;
  /** The conversation's `seller_max_message_length`; default 350. */
  maxLength?: number | undefined;
}

/**
 * Sends a message in a pack's conversation: `POST /messages/packs/{pack}/sellers/{seller}?tag=post_sale`.
 * **Not idempotent**: never repeated after a timeout or a 5xx (read the conversation to learn
 * whether it landed). Checked first: text (see {@link meliMessageTextIssues}), recipient,
 * attachment count; the `attachments` key is left out when there is none, as required.
 */
export async function sendMessage(
  context: MeliContext,
  packId: string,
  input: MeliSendMessageInput,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<MeliResponse<unknown>> {
  const attachments = input.attachments ?? [];
  const issues: FieldIssue[] = [
    ...meliMessageTextIssues(input.text, input.maxLength ?? MELI_SELLER_MESSAGE_DEFAULT_MAX_LENGTH),
    ...(typeof input.to === 'string' && /^\d+$/.test(input.to)
      ? input.to === context.accountId
        ? [
            {
              path: 'to',
              message: 'is the seller: write to the buyer (or the agent shown in the conversation)',
            },
          ]
        : []
      : [{ path: 'to', message: 'must be a numeric user id' }]),
    ...(attachments.length > MELI_MESSAGE_MAX_ATTACHMENTS
      ? [{ path: 'attachments', message: `at most ${MELI_MESSAGE_MAX_ATTACHMENTS} per message` }]
      : []),
    ...attachments.flatMap((key, index) =>
      typeof key === 'string' && key.trim() !== ''
        ? []
        : [{ path: `attachments.${index}`, message: 'must be an uploaded attachment key' }],
    ),
  ];
  if (issues.length > 0)
    throw new ValidationError('Invalid Mercado Livre message', issues, { marketplace: 'meli' });
  return callMeli(
    context,
    {
      method: 'POST',
      path: conversationPath(packId, context.accountId),
      query: TAG,
      body: {
        json: {
          from: { user_id: context.accountId },
          to: { user_id: input.to },
          text: input.text,
          ...(attachments.length > 0 ? { attachments: [...attachments] } : {}),
        },
      },
      idempotent: false,
      operation: 'messages.send',
      signal: options.signal,
    },
    zm.unknown(),
  );
}

/** A file to attach: its bytes and name (the extension decides the type: jpg, png, pdf, txt). */
export interface MeliAttachmentFile {
  fileName: string;
  bytes: Uint8Array;
}

/**
 * Uploads an attachment: `POST /messages/attachments?tag=post_sale&site_id=…` (multipart field
 * `file`), returning its key. Checked first: JPG, PNG, PDF or TXT, at most 25 MB, a name of at
 * most 200 characters without `/` or `\`. A key not used in a message within 48 hours is deleted:
 * upload right before sending. Not retried (each upload makes a new key).
 */
export async function uploadAttachment(
  context: MeliContext,
  siteId: string,
  file: MeliAttachmentFile,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<string> {
  const name = typeof file.fileName === 'string' ? file.fileName : '';
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const contentType = MELI_ATTACHMENT_TYPES[extension];
  const issues: FieldIssue[] = [
    ...(name === '' || /[/\\]/.test(name) || [...name].length > MELI_ATTACHMENT_MAX_NAME_LENGTH
      ? [{ path: 'fileName', message: `1 to ${MELI_ATTACHMENT_MAX_NAME_LENGTH} characters, without / or \\` }]
      : []),
    ...(contentType ? [] : [{ path: 'fileName', message: 'must end in .jpg, .jpeg, .png, .pdf or .txt' }]),
    ...(file.bytes instanceof Uint8Array &&
    file.bytes.byteLength > 0 &&
    file.bytes.byteLength <= MELI_ATTACHMENT_MAX_BYTES
      ? []
      : [{ path: 'bytes', message: `1 byte to ${MELI_ATTACHMENT_MAX_BYTES} bytes (25 MB)` }]),
  ];
  if (issues.length > 0)
    throw new ValidationError('Invalid Mercado Livre attachment', issues, { marketplace: 'meli' });
  const form = new FormData();
  form.set(
    'file',
    new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: contentType ?? 'application/octet-stream' }),
    name,
  );
  const response = await callMeli(
    context,
    {
      method: 'POST',
      path: '/messages/attachments',
      query: { ...TAG, site_id: assertMeliId(siteId, 'siteId') },
      body: { multipart: form },
      idempotent: false,
      operation: 'messages.uploadAttachment',
      signal: options.signal,
    },
    zm.looseObject({ id: zm.string() }),
  );
  return response.data.id;
}

/** The options of an action guide, each with its type, templates, character limit and remaining cap. */
export type MeliActionGuideOptions = MeliActionGuide['options'];

/** `GET /messages/action_guide/packs/{pack}?tag=post_sale`: the reasons the seller may give to start the conversation (ME2). */
export async function getActionGuide(
  context: MeliContext,
  packId: string,
): Promise<MeliResponse<MeliActionGuide>> {
  return callMeli(
    context,
    {
      method: 'GET',
      path: `/messages/action_guide/packs/${assertMeliId(packId, 'packId')}`,
      query: TAG,
      operation: 'messages.actionGuide',
    },
    MeliActionGuide,
  );
}

/** What the seller sends through an action-guide option: a template, or free text for `OTHER`-like options. */
export type MeliActionGuideInput =
  | { optionId: string; templateId: string; vars?: ReadonlyArray<{ id: string; value: string }> | undefined }
  | { optionId: string; text: string };

/**
 * Starts the conversation through a reason: `POST /messages/action_guide/packs/{pack}/option?tag=post_sale`.
 * Each option has a cap (`cap_available`): once used, the seller waits for the buyer (403).
 * **Not idempotent**, never retried; a 409 means another call on the same sale holds the lock:
 * send one at a time per pack. Free text is checked (≤ 350 characters, Latin-1) first.
 */
export async function sendActionGuideOption(
  context: MeliContext,
  packId: string,
  input: MeliActionGuideInput,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<MeliResponse<MeliMessage>> {
  const issues: FieldIssue[] = [
    ...(typeof input.optionId === 'string' && /^[A-Z0-9_]+$/.test(input.optionId)
      ? []
      : [
          {
            path: 'optionId',
            message: 'must be an option id of the action guide (REQUEST_BILLING_INFO, OTHER, …)',
          },
        ]),
    ...('text' in input
      ? meliMessageTextIssues(input.text, MELI_SELLER_MESSAGE_DEFAULT_MAX_LENGTH)
      : typeof input.templateId === 'string' && input.templateId !== ''
        ? []
        : [{ path: 'templateId', message: 'must be a template id of the option' }]),
  ];
  if (issues.length > 0)
    throw new ValidationError('Invalid action guide message', issues, { marketplace: 'meli' });
  const body =
    'text' in input
      ? { option_id: input.optionId, text: input.text }
      : {
          option_id: input.optionId,
          template_id: input.templateId,
          ...(input.vars ? { vars: input.vars.map(({ id, value }) => ({ id, value })) } : {}),
        };
  return callMeli(
    context,
    {
      method: 'POST',
      path: `/messages/action_guide/packs/${assertMeliId(packId, 'packId')}/option`,
      query: TAG,
      body: { json: body },
      idempotent: false,
      operation: 'messages.actionGuideOption',
      signal: options.signal,
    },
    MeliMessage,
  );
}
