import { intParam, isRecord, json, readJson } from '../shared/index';
import type { MeliContext } from './context';
import { badRequest, forbidden, meliError, notFound } from './errors';
import type { AuthedInput, MeliRoute, MeliRouter } from './router';

/** Longest question or answer Mercado Livre accepts, in characters. */
export const MELI_QUESTION_TEXT_MAX = 2000;
/** Largest page the sandbox serves on `/questions/search` (the API's default; no larger cap is documented). */
const SEARCH_MAX_LIMIT = 50;
/** Offsets past this are refused: more needs the scan mode, which the sandbox does not serve. */
const SEARCH_MAX_OFFSET = 1000;

/** Statuses of a pre-sale question. */
export type MeliQuestionStatus =
  | 'UNANSWERED'
  | 'ANSWERED'
  | 'CLOSED_UNANSWERED'
  | 'UNDER_REVIEW'
  | 'BANNED'
  | 'DELETED'
  | 'DISABLED';

/** A pre-sale question as the sandbox keeps it (the by-id shape of `api_version=4`). */
export interface MeliQuestion {
  id: number;
  seller_id: number;
  item_id: string;
  text: string;
  status: MeliQuestionStatus;
  date_created: string;
  last_updated: string;
  hold: boolean;
  deleted_from_listing: boolean;
  suspected_spam: boolean;
  from: { id: number };
  buyer_id: number;
  app_id: number | null;
  answer: { text: string; status: 'ACTIVE' | 'DISABLED'; date_created: string } | null;
}

/** Input of the sandbox's `askQuestion` driver. */
export interface MeliAskQuestionInput {
  itemId: string;
  text: string;
  /** The asking buyer. Default: a new test buyer. */
  buyerId?: number;
}

/** The question desk of a sandbox: its routes and the drivers the sandbox exposes. */
export interface MeliQuestionDesk {
  routes(router: MeliRouter): MeliRoute[];
  ask(input: MeliAskQuestionInput & { buyerId: number }): MeliQuestion;
  /** Mercado Livre moves a question on its own (moderation, item closed, hold). */
  set(questionId: number, change: { status?: MeliQuestionStatus; hold?: boolean }): void;
  get(questionId: number): MeliQuestion | undefined;
  list(): MeliQuestion[];
  clear(): void;
}

const FIRST_QUESTION_ID = 13_000_000_001;

/** What the API shows of a question: `BANNED` text (and answer text) comes back empty. */
function visible(question: MeliQuestion, byId: boolean): Record<string, unknown> {
  const banned = question.status === 'BANNED';
  const { buyer_id, app_id, last_updated, ...common } = question;
  return {
    ...structuredClone(common),
    text: banned ? '' : question.text,
    answer: question.answer && { ...question.answer, text: banned ? '' : question.answer.text },
    ...(byId ? { buyer_id, app_id, last_updated } : {}),
  };
}

function refuse(question: MeliQuestion): string | undefined {
  if (question.status !== 'UNANSWERED') return `Question ${question.id} is ${question.status}`;
  if (question.hold) return `Question ${question.id} is on hold`;
  return undefined;
}

/**
 * Pre-sale questions: `GET /questions/search`, `GET /questions/{id}`, `POST /answers`,
 * `DELETE /questions/{id}`, served in the `api_version=4` shape only (a call without it is
 * refused, so a client that forgets it is caught). Asking and answering notify the seller on
 * the `questions` topic. A question takes one answer, and only while `UNANSWERED` and not on
 * hold; anything else is `400 invalid_question`.
 */
export function createQuestionDesk(context: MeliContext): MeliQuestionDesk {
  const questions = new Map<number, MeliQuestion>();
  let nextId = FIRST_QUESTION_ID;

  function touch(question: MeliQuestion): void {
    question.last_updated = context.date(context.clock.now());
  }

  function needsV4(input: AuthedInput): Response | undefined {
    return input.query.get('api_version') === '4'
      ? undefined
      : badRequest('The sandbox serves questions with api_version=4 only');
  }

  function search(input: AuthedInput): Response {
    const wrong = needsV4(input);
    if (wrong) return wrong;
    const { query } = input;
    const sellerId = query.get('seller_id');
    const itemId = query.get('item') ?? query.get('item_id');
    if (sellerId === null && itemId === null) return badRequest('seller_id or item is required');
    if (sellerId !== null && Number(sellerId) !== input.token.userId) return forbidden();
    const limit = intParam(query, 'limit') ?? SEARCH_MAX_LIMIT;
    const offset = intParam(query, 'offset') ?? 0;
    if (!(limit >= 1 && limit <= SEARCH_MAX_LIMIT)) {
      return badRequest(`limit must be between 1 and ${SEARCH_MAX_LIMIT}`);
    }
    if (!(offset >= 0 && offset <= SEARCH_MAX_OFFSET)) {
      return badRequest(`offset must be between 0 and ${SEARCH_MAX_OFFSET}; use search_type=scan`);
    }
    const from = query.get('from');
    const status = query.get('status');
    const descending = query.get('sort_types') === 'DESC';
    const matches = [...questions.values()]
      .filter((question) => sellerId === null || question.seller_id === Number(sellerId))
      .filter((question) => itemId === null || question.item_id === itemId)
      .filter((question) => from === null || question.from.id === Number(from))
      .filter((question) => status === null || question.status === status)
      .sort((a, b) => (descending ? b.id - a.id : a.id - b.id));
    return json({
      total: matches.length,
      limit,
      questions: matches.slice(offset, offset + limit).map((question) => visible(question, false)),
      filters: { limit, offset, api_version: '4', caller: input.token.userId },
      available_filters: [{ id: 'status', type: 'text', values: ['ANSWERED', 'UNANSWERED'] }],
      available_sorts: ['item_id', 'from_id', 'date_created', 'seller_id'],
    });
  }

  async function answer(input: AuthedInput): Promise<Response> {
    const read = await readJson(input.request);
    if (!read.ok || !isRecord(read.value)) return badRequest('The body is not a valid JSON object');
    const body = read.value;
    const extra = Object.keys(body).filter((key) => key !== 'question_id' && key !== 'text');
    if (extra.length > 0) {
      return meliError(
        400,
        'invalid_post_body',
        `Only question_id and text are accepted: ${extra.join(', ')}`,
      );
    }
    if (!Number.isInteger(body.question_id)) {
      return meliError(400, 'invalid_question', 'question_id must be an integer');
    }
    const { text } = body;
    if (typeof text !== 'string' || text.trim() === '') return badRequest('text is required');
    if ([...text].length > MELI_QUESTION_TEXT_MAX) {
      return badRequest(`text must have at most ${MELI_QUESTION_TEXT_MAX} characters`);
    }
    const question = questions.get(body.question_id as number);
    if (question === undefined) return notFound(`Question ${String(body.question_id)} not found`);
    if (question.seller_id !== input.token.userId) return forbidden();
    const why = refuse(question);
    if (why) return meliError(400, 'invalid_question', why);
    question.status = 'ANSWERED';
    question.answer = { text, status: 'ACTIVE', date_created: context.date(context.clock.now()) };
    touch(question);
    context.notify('questions', `/questions/${question.id}`, question.seller_id);
    return json(visible(question, true));
  }

  function owned(input: AuthedInput): MeliQuestion | Response {
    const id = input.params.id ?? '';
    const question = /^\d+$/.test(id) ? questions.get(Number(id)) : undefined;
    if (question === undefined) return notFound(`Question ${id} not found`);
    return question;
  }

  return {
    routes: (router) => [
      router.api('get', '/questions/search', search),
      router.api('get', '/questions/:id', (input) => {
        const wrong = needsV4(input);
        if (wrong) return wrong;
        const question = owned(input);
        return question instanceof Response ? question : json(visible(question, true));
      }),
      router.api('post', '/answers', answer),
      router.api('delete', '/questions/:id', (input) => {
        const question = owned(input);
        if (question instanceof Response) return question;
        if (question.seller_id !== input.token.userId) return forbidden();
        question.status = 'DELETED';
        question.deleted_from_listing = true;
        touch(question);
        return json(['Question deleted.']);
      }),
    ],
    ask({ itemId, text, buyerId }) {
      const record = context.state.items.get(itemId);
      if (record === undefined) throw new RangeError(`No item ${itemId}`);
      if (record.item.status !== 'active') throw new RangeError(`Item ${itemId} is ${record.item.status}`);
      if (text.trim() === '' || [...text].length > MELI_QUESTION_TEXT_MAX) {
        throw new RangeError(`A question has 1 to ${MELI_QUESTION_TEXT_MAX} characters`);
      }
      const at = context.date(context.clock.now(), record.item.site_id);
      const question: MeliQuestion = {
        id: nextId++,
        seller_id: record.item.seller_id,
        item_id: itemId,
        text,
        status: 'UNANSWERED',
        date_created: at,
        last_updated: at,
        hold: false,
        deleted_from_listing: false,
        suspected_spam: false,
        from: { id: buyerId },
        buyer_id: buyerId,
        app_id: null,
        answer: null,
      };
      questions.set(question.id, question);
      context.notify('questions', `/questions/${question.id}`, question.seller_id);
      return structuredClone(question);
    },
    set(questionId, change) {
      const question = questions.get(questionId);
      if (question === undefined) throw new RangeError(`No question ${questionId}`);
      if (change.status !== undefined) question.status = change.status;
      if (change.hold !== undefined) question.hold = change.hold;
      touch(question);
    },
    get: (questionId) => {
      const question = questions.get(questionId);
      return question && structuredClone(question);
    },
    list: () => [...questions.values()].map((question) => structuredClone(question)),
    clear() {
      questions.clear();
      nextId = FIRST_QUESTION_ID;
    },
  };
}
