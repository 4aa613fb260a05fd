/**
 * The demo's questions-and-messages step (Mercado Livre, sandbox only): a buyer asks about a
 * listing and the seller answers from the `questions` webhook; after the sale the buyer writes and
 * the seller reads the conversation, with the limits it reports, and answers in it.
 */
import type { MlhEvent, WebhookHandler } from '@mlh/core';
import type { MeliClient } from '@mlh/meli';
import type { MeliSandbox } from '@mlh/testing';
import type { Print } from './report';

/** What the step did, for the summary and the demo test. */
export interface MessagesOutcome {
  question: { id: string; text: string; answer: string; status: string };
  conversation: {
    orderId: string;
    packId: string;
    messages: number;
    maxLength: number | undefined;
    reply: string;
  };
}

/** Runs the step: the events come through the demo's webhook server, as in production. */
export async function answerBuyers(input: {
  client: MeliClient;
  sandbox: MeliSandbox;
  itemId: string;
  orderId: string;
  events: WebhookHandler['events'];
  /** Delivers the sandbox's queued webhooks and waits for the listeners. */
  deliver: () => Promise<void>;
  print: Print;
}): Promise<MessagesOutcome> {
  const { client, sandbox, print } = input;
  const seen: MlhEvent[] = [];
  const listener = (event: MlhEvent) => {
    if (event.type === 'question.received' || event.type === 'message.received') seen.push(event);
  };
  input.events.on('event', listener);
  try {
    sandbox.askQuestion({ itemId: input.itemId, text: 'A caneca pode ir ao micro-ondas?' });
    await input.deliver();
    const asked = seen.find((event) => event.type === 'question.received');
    if (!asked) throw new Error('no questions webhook arrived');
    const question = await client.questions.get(asked.resourceId);
    print(`  webhook questions → question ${question.id} on ${question.item_id}: "${question.text}"`);
    const answer = 'Sim, pode ir ao micro-ondas e à lava-louças.';
    const answered = await client.questions.answer(asked.resourceId, answer);
    print(`  answered (sent once, never retried): "${answered.answer?.text}" → ${answered.status}`);

    sandbox.sendMessage({ orderId: Number(input.orderId), text: 'Olá! Quando o pedido sai?' });
    await input.deliver();
    const written = seen.find((event) => event.type === 'message.received');
    if (!written) throw new Error('no messages webhook arrived');
    const message = await client.messages.get(written.resourceId);
    print(`  webhook messages → the buyer wrote in pack ${message.conversationId}: "${message.text}"`);
    const conversation = await client.getOrderConversation(input.orderId);
    const { limits } = conversation;
    print(
      `  conversation of order ${input.orderId}: ${conversation.messages.length} message(s); the seller ${limits.canSend ? 'may write' : `may not write (${limits.reason})`}, up to ${limits.maxLength ?? '?'} characters`,
    );
    const reply = 'Olá! Seu pedido sai hoje pelos Correios.';
    await client.sendOrderMessage(input.orderId, { text: reply });
    print(`  replied in the conversation: "${reply}"`);
    return {
      question: { id: String(question.id), text: question.text ?? '', answer, status: answered.status ?? '' },
      conversation: {
        orderId: input.orderId,
        packId: conversation.id,
        messages: conversation.messages.length + 1,
        maxLength: limits.maxLength,
        reply,
      },
    };
  } finally {
    input.events.off('event', listener);
  }
}
