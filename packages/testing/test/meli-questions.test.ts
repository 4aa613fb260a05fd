import { describe, expect, it } from 'vitest';
import { MELI_QUESTION_TEXT_MAX, type MeliNotification } from '../src/index';
import { call, useMeliServer, withSeller } from './meli-setup';

const sandbox = useMeliServer();

function setup() {
  const received: MeliNotification[] = [];
  const meli = sandbox({
    webhooks: {
      target: async (request: Request) => {
        received.push((await request.json()) as MeliNotification);
        return new Response(null, { status: 200 });
      },
    },
  });
  const { seller, token } = withSeller(meli);
  const item = meli.addItem({ title: 'Caneca azul 300 ml', available_quantity: 5 });
  return { meli, seller, token, item, received };
}

describe('Mercado Livre sandbox: pre-sale questions', () => {
  it('a buyer asks, the seller is notified on the questions topic and reads it by id', async () => {
    const { meli, seller, token, item, received } = setup();
    const question = meli.askQuestion({ itemId: item.id, text: 'Tem na cor azul?' });
    await meli.webhooks.flush();
    expect(received.map((n) => `${n.topic} ${n.resource} ${n.user_id}`)).toContain(
      `questions /questions/${question.id} ${seller.id}`,
    );

    const read = await call(token, `/questions/${question.id}?api_version=4`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: question.id,
      item_id: item.id,
      seller_id: seller.id,
      text: 'Tem na cor azul?',
      status: 'UNANSWERED',
      hold: false,
      answer: null,
      from: { id: question.buyer_id },
      buyer_id: question.buyer_id,
    });
  });

  it('lists by seller, item, buyer and status with paging, and hides by-id fields in the search', async () => {
    const { meli, seller, token, item } = setup();
    const other = meli.addItem({ title: 'Prato', available_quantity: 5 });
    const buyer = meli.addBuyer();
    meli.askQuestion({ itemId: item.id, text: 'Q1', buyerId: buyer.id });
    meli.askQuestion({ itemId: item.id, text: 'Q2' });
    meli.askQuestion({ itemId: other.id, text: 'Q3' });

    const page = await call(token, `/questions/search?seller_id=${seller.id}&api_version=4&limit=2`);
    expect(page.body.total).toBe(3);
    expect(page.body.questions.map((q: { text: string }) => q.text)).toEqual(['Q1', 'Q2']);
    expect(page.body.questions[0]).not.toHaveProperty('buyer_id');
    const rest = await call(token, `/questions/search?seller_id=${seller.id}&api_version=4&limit=2&offset=2`);
    expect(rest.body.questions.map((q: { text: string }) => q.text)).toEqual(['Q3']);

    const mine = await call(token, `/questions/search?item=${item.id}&from=${buyer.id}&api_version=4`);
    expect(mine.body.questions.map((q: { text: string }) => q.text)).toEqual(['Q1']);
    const answered = await call(
      token,
      `/questions/search?seller_id=${seller.id}&status=ANSWERED&api_version=4`,
    );
    expect(answered.body.total).toBe(0);
  });

  it('refuses what the API refuses: no api_version=4, a page over 50, an offset over 1000, another seller', async () => {
    const { meli, seller, token } = setup();
    expect((await call(token, `/questions/search?seller_id=${seller.id}`)).status).toBe(400);
    expect(
      (await call(token, `/questions/search?seller_id=${seller.id}&api_version=4&limit=51`)).status,
    ).toBe(400);
    expect(
      (await call(token, `/questions/search?seller_id=${seller.id}&api_version=4&offset=1001`)).status,
    ).toBe(400);
    const stranger = meli.addSeller();
    expect((await call(token, `/questions/search?seller_id=${stranger.id}&api_version=4`)).status).toBe(403);
  });

  it('answers once: the question becomes ANSWERED, the seller is notified, a second answer is refused', async () => {
    const { meli, token, item, received } = setup();
    const question = meli.askQuestion({ itemId: item.id, text: 'Tem na cor azul?' });
    await meli.webhooks.flush();
    received.length = 0;

    const first = await call(token, '/answers', {
      method: 'POST',
      body: { question_id: question.id, text: 'Sim, temos.' },
    });
    expect(first.status).toBe(200);
    expect(meli.getQuestion(question.id)).toMatchObject({
      status: 'ANSWERED',
      answer: { text: 'Sim, temos.', status: 'ACTIVE' },
    });
    await meli.webhooks.flush();
    expect(received.map((n) => n.resource)).toEqual([`/questions/${question.id}`]);

    const again = await call(token, '/answers', {
      method: 'POST',
      body: { question_id: question.id, text: 'De novo' },
    });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_question' } });
    expect(meli.getQuestion(question.id)?.answer?.text).toBe('Sim, temos.');
  });

  it('refuses answering a deleted, closed or held question, text too long, and extra fields', async () => {
    const { meli, token, item } = setup();
    const answer = (body: unknown) => call(token, '/answers', { method: 'POST', body });
    const deleted = meli.askQuestion({ itemId: item.id, text: 'Apagada?' });
    expect((await call(token, `/questions/${deleted.id}`, { method: 'DELETE' })).body).toEqual([
      'Question deleted.',
    ]);
    expect((await answer({ question_id: deleted.id, text: 'Oi' })).body.error).toBe('invalid_question');

    const closed = meli.askQuestion({ itemId: item.id, text: 'Fechada?' });
    meli.setQuestion(closed.id, { status: 'CLOSED_UNANSWERED' });
    expect((await answer({ question_id: closed.id, text: 'Oi' })).body.error).toBe('invalid_question');

    const held = meli.askQuestion({ itemId: item.id, text: 'Em espera?' });
    meli.setQuestion(held.id, { hold: true });
    expect((await answer({ question_id: held.id, text: 'Oi' })).body.error).toBe('invalid_question');

    const open = meli.askQuestion({ itemId: item.id, text: 'Aberta?' });
    const long = await answer({ question_id: open.id, text: 'a'.repeat(MELI_QUESTION_TEXT_MAX + 1) });
    expect(long.status).toBe(400);
    const extra = await answer({ question_id: open.id, text: 'Oi', item_id: item.id });
    expect(extra.body.error).toBe('invalid_post_body');
    expect((await answer({ question_id: String(open.id), text: 'Oi' })).body.error).toBe('invalid_question');
    expect(meli.getQuestion(open.id)?.status).toBe('UNANSWERED');
  });

  it('shows a BANNED question with empty text', async () => {
    const { meli, token, item } = setup();
    const question = meli.askQuestion({ itemId: item.id, text: 'spam' });
    meli.setQuestion(question.id, { status: 'BANNED' });
    const read = await call(token, `/questions/${question.id}?api_version=4`);
    expect(read.body).toMatchObject({ status: 'BANNED', text: '' });
  });

  it('only lets buyers ask about active items, within the length limit', () => {
    const { meli, item } = setup();
    expect(() => meli.askQuestion({ itemId: item.id, text: 'x'.repeat(MELI_QUESTION_TEXT_MAX + 1) })).toThrow(
      RangeError,
    );
    meli.setItemStatus(item.id, 'paused');
    expect(() => meli.askQuestion({ itemId: item.id, text: 'Ainda tem?' })).toThrow(RangeError);
  });
});
