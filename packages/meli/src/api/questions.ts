import { ValidationError } from '@mlh/core';
import * as z from 'zod/mini';
import { MeliQuestion, MeliQuestionSearch } from '../schemas';
import { assertMeliId, callMeli, type MeliContext, type MeliResponse } from '../transport';

/**
 * Pre-sale questions: `GET /questions/search`, `GET /questions/{id}` and `POST /answers`, always
 * with `api_version=4` (the current JSON shape). New questions and answers arrive on the
 * `questions` notification topic (resource `/questions/{id}`).
 */

/** Default and largest page of `/questions/search` the SDK asks for (the API's default is 50). */
export const MELI_QUESTION_SEARCH_MAX_LIMIT = 50;
/** Offsets past this are refused by `/questions/search`; more needs narrower filters. */
export const MELI_QUESTION_SEARCH_MAX_OFFSET = 1000;
/** Longest answer (and question) Mercado Livre accepts, in characters. */
export const MELI_ANSWER_MAX_LENGTH = 2000;

/** Statuses of a question (upper case, as the API takes them in `status=`). */
export type MeliQuestionStatus =
  | 'UNANSWERED'
  | 'ANSWERED'
  | 'CLOSED_UNANSWERED'
  | 'UNDER_REVIEW'
  | 'BANNED'
  | 'DELETED'
  | 'DISABLED';

/** Filters of `GET /questions/search`, under their Mercado Livre names; give `seller_id` or `item`. */
export interface MeliQuestionFilters {
  seller_id?: string | undefined;
  item?: string | undefined;
  /** The asker's user id (with `item`: one buyer's questions on an item). */
  from?: string | undefined;
  status?: MeliQuestionStatus | undefined;
  /** Comma list of `item_id`, `seller_id`, `from_id`, `date_created`. */
  sort_fields?: string | undefined;
  sort_types?: 'ASC' | 'DESC' | undefined;
}

/** One page of the question search: the filters plus `offset` (≤ 1000) and `limit` (≤ 50). */
export interface MeliQuestionSearchQuery extends MeliQuestionFilters {
  offset?: number | undefined;
  limit?: number | undefined;
}

function searchIssues(query: MeliQuestionSearchQuery): Array<{ path: string; message: string }> {
  const { offset, limit } = query;
  return [
    ...(query.seller_id || query.item ? [] : [{ path: 'seller_id', message: 'give seller_id or item' }]),
    ...(limit !== undefined &&
    (!Number.isInteger(limit) || limit < 1 || limit > MELI_QUESTION_SEARCH_MAX_LIMIT)
      ? [{ path: 'limit', message: `an integer between 1 and ${MELI_QUESTION_SEARCH_MAX_LIMIT}` }]
      : []),
    ...(offset !== undefined &&
    (!Number.isInteger(offset) || offset < 0 || offset > MELI_QUESTION_SEARCH_MAX_OFFSET)
      ? [{ path: 'offset', message: `an integer between 0 and ${MELI_QUESTION_SEARCH_MAX_OFFSET}` }]
      : []),
  ];
}

/**
 * One page of `GET /questions/search?api_version=4`.
 *
 * @example
 * const page = await searchQuestions(context, { seller_id: '123', status: 'UNANSWERED', limit: 50 });
 */
export async function searchQuestions(
  context: MeliContext,
  query: MeliQuestionSearchQuery,
): Promise<MeliResponse<MeliQuestionSearch>> {
  if (query.seller_id !== undefined) assertMeliId(query.seller_id, 'seller_id');
  if (query.item !== undefined) assertMeliId(query.item, 'item');
  if (query.from !== undefined) assertMeliId(query.from, 'from');
  const issues = searchIssues(query);
  if (issues.length > 0) {
    throw new ValidationError('Invalid question search', issues, { marketplace: 'meli' });
  }
  return callMeli(
    context,
    {
      method: 'GET',
      path: '/questions/search',
      query: { ...query, api_version: 4 },
      operation: 'questions.search',
    },
    MeliQuestionSearch,
  );
}

/**
 * Every question matching the filters, paging with `offset`/`limit` until `total`. A question
 * seen on an earlier page is yielded once; a page that brings nothing new ends the walk (the
 * API repeating a page would otherwise loop forever). More than 1000 matches cannot be reached
 * by offset: after yielding what offsets up to 1000 reach, it throws a `ValidationError` on
 * `offset` asking for narrower filters (`status`, `item`), rather than stopping silently.
 */
export async function* iterateQuestions(
  context: MeliContext,
  filters: MeliQuestionFilters,
  options: { pageSize?: number } = {},
): AsyncGenerator<MeliQuestion> {
  const limit = Math.max(
    1,
    Math.min(options.pageSize ?? MELI_QUESTION_SEARCH_MAX_LIMIT, MELI_QUESTION_SEARCH_MAX_LIMIT),
  );
  const seen = new Set<string>();
  for (let offset = 0; ; ) {
    const page = await searchQuestions(context, { ...filters, offset, limit });
    const questions = page.data.questions;
    let fresh = 0;
    for (const question of questions) {
      const id = String(question.id);
      if (seen.has(id)) continue;
      seen.add(id);
      fresh += 1;
      yield question;
    }
    offset += questions.length;
    const total = page.data.total;
    if (questions.length === 0 || fresh === 0) return;
    if (total != null && offset >= total) return;
    if (total == null && questions.length < limit) return;
    if (offset > MELI_QUESTION_SEARCH_MAX_OFFSET) {
      throw new ValidationError(
        'Too many questions to page through',
        [
          {
            path: 'offset',
            message: `${total ?? 'more than'} ${MELI_QUESTION_SEARCH_MAX_OFFSET} match; only the first ${MELI_QUESTION_SEARCH_MAX_OFFSET} can be paged: narrow with status or item`,
          },
        ],
        { marketplace: 'meli' },
      );
    }
  }
}

/** `GET /questions/{id}?api_version=4`. */
export async function getQuestion(
  context: MeliContext,
  questionId: string,
): Promise<MeliResponse<MeliQuestion>> {
  assertMeliId(questionId, 'questionId');
  return callMeli(
    context,
    {
      method: 'GET',
      path: `/questions/${questionId}`,
      query: { api_version: 4 },
      operation: 'questions.get',
    },
    MeliQuestion,
  );
}

/** Why an answer text would be refused (empty list: it may be sent). */
export function answerTextIssues(text: unknown): Array<{ path: string; message: string }> {
  if (typeof text !== 'string' || text.trim() === '') {
    return [{ path: 'text', message: 'must be a non-empty text' }];
  }
  const length = [...text].length;
  if (length > MELI_ANSWER_MAX_LENGTH) {
    return [{ path: 'text', message: `at most ${MELI_ANSWER_MAX_LENGTH} characters, got ${length}` }];
  }
  return [];
}

/**
 * Answers a question: `POST /answers` with `{question_id, text}` (the only fields accepted).
 * **Not idempotent**: a question takes one answer, so the transport never repeats it after a
 * timeout or a 5xx; read the question to learn whether the answer landed. The text is checked
 * first (non-empty, at most 2000 characters). The response body is not documented: read the
 * question again for its new state.
 */
export async function answerQuestion(
  context: MeliContext,
  questionId: string,
  text: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<MeliResponse<unknown>> {
  const issues = [
    ...(typeof questionId === 'string' && /^\d+$/.test(questionId)
      ? []
      : [
          {
            path: 'questionId',
            message: `must be a numeric question id (got ${JSON.stringify(questionId)})`,
          },
        ]),
    ...answerTextIssues(text),
  ];
  if (issues.length > 0) {
    throw new ValidationError('Invalid Mercado Livre answer', issues, { marketplace: 'meli' });
  }
  return callMeli(
    context,
    {
      method: 'POST',
      path: '/answers',
      body: { json: { question_id: Number(questionId), text } },
      idempotent: false,
      operation: 'questions.answer',
      signal: options.signal,
    },
    z.unknown(),
  );
}
