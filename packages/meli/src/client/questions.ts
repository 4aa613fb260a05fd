import * as questionsApi from '../api/questions';
import type { MeliQuestion, MeliQuestionSearch } from '../schemas';
import type { MeliResponse } from '../transport';
import type { MeliAccountContext } from './context';

/** Filters of {@link MeliQuestionsApi.list}: this seller's questions, optionally narrowed. */
export type MeliQuestionListFilters = Omit<questionsApi.MeliQuestionFilters, 'seller_id'>;

/** `client.questions`: pre-sale questions on this seller's listings. */
export interface MeliQuestionsApi {
  /** One page of this seller's questions (`offset` ≤ 1000, `limit` ≤ 50). */
  search(
    query?: Omit<questionsApi.MeliQuestionSearchQuery, 'seller_id'>,
  ): Promise<MeliResponse<MeliQuestionSearch>>;
  /**
   * Every question of this seller matching the filters, each once.
   *
   * @example
   * for await (const q of client.questions.list({ status: 'UNANSWERED' })) console.log(q.id, q.text);
   */
  list(filters?: MeliQuestionListFilters, options?: { pageSize?: number }): AsyncGenerator<MeliQuestion>;
  /** One question (what a `questions` notification points at). */
  get(questionId: string): Promise<MeliQuestion>;
  /**
   * Answers a question, then reads it back. Checked first (non-empty, ≤ 2000 characters); sent
   * once, never retried; a question that cannot be answered (answered already, deleted, on hold)
   * is refused by Mercado Livre as a `ValidationError` (`invalid_question`).
   *
   * @example
   * const question = await client.questions.answer(event.resourceId, 'Sim, temos na cor azul.');
   */
  answer(questionId: string, text: string, options?: { signal?: AbortSignal }): Promise<MeliQuestion>;
}

/** The question calls of a Mercado Livre client, always for its own seller id. */
export function questionsCapability(ctx: MeliAccountContext): { questions: MeliQuestionsApi } {
  const { context, accountId } = ctx;
  return {
    questions: Object.freeze({
      search: (query = {}) => questionsApi.searchQuestions(context, { ...query, seller_id: accountId }),
      list: (filters = {}, options = {}) =>
        questionsApi.iterateQuestions(context, { ...filters, seller_id: accountId }, options),
      get: async (questionId: string) => (await questionsApi.getQuestion(context, questionId)).data,
      async answer(questionId: string, text: string, options = {}) {
        await questionsApi.answerQuestion(context, questionId, text, options);
        return (await questionsApi.getQuestion(context, questionId)).data;
      },
    }),
  };
}
