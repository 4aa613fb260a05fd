export { createMeliClient, MELI_CAPABILITIES, type MeliClient } from './account';
export { createMeli, type Meli, type MeliLeanApp, type MeliOptions } from './app';
export { type MeliAccountAuthorizerOptions, meliAccountAuthorizer } from './authorizer';
export { MeliPartialCreateError } from './catalog';
export {
  type MeliCategoriesApi,
  toMeliAttribute,
  toMeliCategory,
  toMeliCategoryTree,
  toMeliRequirements,
} from './categories';
export { MELI_LEAN_CAPABILITIES, type MeliLeanClient } from './compose';
export type { MeliAccountContext, MeliClientOptions, MeliStockWrites } from './context';
export type { MeliEventsApp } from './events';
export type { MeliLabelsCapability } from './labels';
export type { MeliMessagesApi, MeliMessagesCapability } from './messages';
export type { MeliQuestionListFilters, MeliQuestionsApi } from './questions';
export type {
  MeliItemsApi,
  MeliNotificationsApi,
  MeliOrdersApi,
  MeliRawApis,
  MeliShipmentsApi,
  MeliUsersApi,
} from './raw';
export { MELI_RETURNS_CAPABILITIES, type MeliClaimsApi, type MeliReturnsCapability } from './returns';
