/**
 * `@mlh/meli/messages`: the messages-and-questions module of the lean Mercado Livre client
 * (`@mlh/meli/lean`).
 *
 * @packageDocumentation
 */

export { type MeliMessagesApi, type MeliMessagesCapability, meliMessages } from './client/messages';
export type { MeliQuestionListFilters, MeliQuestionsApi } from './client/questions';
