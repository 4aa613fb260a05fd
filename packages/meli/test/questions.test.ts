import { ValidationError } from '@mlh/core';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { MELI_ANSWER_MAX_LENGTH, type MeliClient, parseMeliNotification } from '../src/index';
import { API, connectSandboxSeller, rejectionOf, useNotifyingSandbox } from './support';

/** Pre-sale questions end to end against the Mercado Livre sandbox. */

const { sandbox, server, received } = useNotifyingSandbox();

async function sellerClient(
  options: { retry?: boolean } = {},
): Promise<{ client: MeliClient; sellerId: number }> {
  const seller = sandbox.addSeller();
  const client = await connectSandboxSeller(sandbox, seller, options);
  return { client, sellerId: seller.id };
}

function item() {
  return sandbox.addItem({ title: 'Caneca azul 300 ml', available_quantity: 10 });
}

describe('Mercado Livre pre-sale questions', () => {
  it('turns a questions notification into an event naming the question, read and answered through the client', async () => {
    const { client } = await sellerClient();
    const asked = sandbox.askQuestion({ itemId: item().id, text: 'Tem na cor azul?' });
    await sandbox.webhooks.flush();
    const notification = received.find((n) => n.topic === 'questions');

    const result = parseMeliNotification(notification, { applicationId: sandbox.app.id });
    if (!result.ok) throw new Error(result.reason);
    expect(result.event).toMatchObject({ resourceType: 'question', resourceId: String(asked.id) });

    const question = await client.questions.get(result.event.resourceId);
    expect(question).toMatchObject({ text: 'Tem na cor azul?', status: 'UNANSWERED', answer: null });
    expect(question.buyer_id).toBe(asked.buyer_id);

    const answered = await client.questions.answer(result.event.resourceId, 'Sim, temos na cor azul.');
    expect(answered).toMatchObject({ status: 'ANSWERED', answer: { text: 'Sim, temos na cor azul.' } });
  });

  it('lists every question of the seller once, across pages, narrowed by status', async () => {
    const { client } = await sellerClient();
    const listing = item();
    const asked = Array.from({ length: 5 }, (_, i) =>
      sandbox.askQuestion({ itemId: listing.id, text: `Pergunta ${i + 1}` }),
    );
    await client.questions.answer(String(asked[0]?.id), 'Respondida.');

    const all = [];
    for await (const question of client.questions.list({}, { pageSize: 2 })) all.push(question.text);
    expect(all).toEqual(asked.map((q) => q.text));

    const open = [];
    for await (const question of client.questions.list({ status: 'UNANSWERED' })) open.push(question.id);
    expect(open).toEqual(asked.slice(1).map((q) => q.id));

    const page = await client.questions.search({ limit: 2, offset: 4 });
    expect(page.data.total).toBe(5);
    expect(page.data.questions.map((q) => q.text)).toEqual(['Pergunta 5']);
  });

  it('checks the answer before sending it: empty or over 2000 characters is a ValidationError, and nothing is sent', async () => {
    const { client } = await sellerClient();
    const asked = sandbox.askQuestion({ itemId: item().id, text: 'Serve no micro-ondas?' });
    const before = sandbox.stats().requests;

    for (const text of ['', '   ', 'a'.repeat(MELI_ANSWER_MAX_LENGTH + 1)]) {
      const error = await rejectionOf(client.questions.answer(String(asked.id), text));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['text']);
    }
    const badId = await rejectionOf(client.questions.answer('abc', 'Sim'));
    expect((badId as ValidationError).issues.map((issue) => issue.path)).toEqual(['questionId']);
    expect(sandbox.stats().requests).toBe(before);

    // Exactly 2000 characters (counted as characters, not UTF-16 units) is accepted.
    const longest = '🙂'.repeat(MELI_ANSWER_MAX_LENGTH);
    expect((await client.questions.answer(String(asked.id), longest)).status).toBe('ANSWERED');
  });

  it('never sends an answer twice: a lost response is not retried, and the question shows the one answer', async () => {
    const { client } = await sellerClient({ retry: true });
    const asked = sandbox.askQuestion({ itemId: item().id, text: 'Tem garantia?' });
    sandbox.faults.inject({ method: 'POST', path: '/answers', times: 1, fault: { lostResponse: true } });

    await expect(client.questions.answer(String(asked.id), 'Sim, 3 meses.')).rejects.toThrow();
    expect(sandbox.stats().byPath['POST /answers']).toBe(1);
    expect(await client.questions.get(String(asked.id))).toMatchObject({
      status: 'ANSWERED',
      answer: { text: 'Sim, 3 meses.' },
    });
  });

  it("reports Mercado Livre's refusal of a question that cannot be answered (answered, deleted, closed)", async () => {
    const { client } = await sellerClient();
    const listing = item();
    const answered = sandbox.askQuestion({ itemId: listing.id, text: 'A?' });
    await client.questions.answer(String(answered.id), 'Sim.');
    const closed = sandbox.askQuestion({ itemId: listing.id, text: 'B?' });
    sandbox.setQuestion(closed.id, { status: 'CLOSED_UNANSWERED' });
    const deleted = sandbox.askQuestion({ itemId: listing.id, text: 'C?' });
    sandbox.setQuestion(deleted.id, { status: 'DELETED' });

    for (const id of [answered.id, closed.id, deleted.id]) {
      const error = await rejectionOf(client.questions.answer(String(id), 'De novo.'));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe('invalid_question');
    }
    expect(sandbox.getQuestion(answered.id)?.answer?.text).toBe('Sim.');
  });

  it('refuses a page the API would refuse before asking', async () => {
    const { client } = await sellerClient();
    const error = await rejectionOf(client.questions.search({ limit: 51, offset: 1001 }));
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['limit', 'offset']);
  });

  it('stops when the API repeats a page instead of looping, and says so when more than 1000 match', async () => {
    const { client } = await sellerClient();
    const question = (id: number) => ({ id, item_id: 'MLB1', seller_id: 1, text: 'q', status: 'UNANSWERED' });
    server.use(
      http.get(`${API}/questions/search`, () =>
        HttpResponse.json({ total: 10, limit: 2, questions: [question(1), question(2)] }),
      ),
    );
    const repeated = [];
    for await (const q of client.questions.list({}, { pageSize: 2 })) repeated.push(q.id);
    expect(repeated).toEqual([1, 2]);

    server.use(
      http.get(`${API}/questions/search`, ({ request }) => {
        const offset = Number(new URL(request.url).searchParams.get('offset'));
        const limit = Number(new URL(request.url).searchParams.get('limit'));
        return HttpResponse.json({
          total: 1500,
          limit,
          questions: Array.from({ length: limit }, (_, i) => question(offset + i + 1)),
        });
      }),
    );
    const many: number[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const q of client.questions.list()) many.push(Number(q.id));
      })(),
    );
    expect(many).toHaveLength(1050);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toBe('offset');
  });
});
