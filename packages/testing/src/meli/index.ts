export {
  type MeliAuthorization,
  MeliAuthorizationError,
  type MeliAuthorizeInput,
} from './auth';
export { MELI_SANDBOX_TREE, type MeliTreeNode } from './categories';
export {
  MELI_DEFAULT_CLAIM_TIMINGS,
  type MeliClaim,
  type MeliClaimAction,
  type MeliClaimMessage,
  type MeliClaimPlayer,
  type MeliClaimReturn,
  type MeliClaimTimings,
  type MeliExpectedResolution,
  type MeliOpenClaimInput,
} from './claims';
export type { MeliCause, MeliErrorBody } from './errors';
export type { MeliSendMessageDriverInput } from './messages';
export {
  MELI_SANDBOX_APP_ID,
  type MeliNotificationInput,
  type MeliNotificationRequestInput,
  makeMeliNotification,
  makeMeliNotificationRequest,
} from './notifications';
export {
  type MeliCancelOrderInput,
  type MeliOrderLineInput,
  type MeliPlacedOrder,
  type MeliPlaceOrderInput,
  MeliSandboxError,
} from './orders';
export {
  MELI_QUESTION_TEXT_MAX,
  type MeliAskQuestionInput,
  type MeliQuestion,
  type MeliQuestionStatus,
} from './questions';
export {
  createMeliSandbox,
  MELI_DEFAULT_BEHAVIOUR,
  MELI_DEFAULT_LIMITS,
  type MeliAddItemInput,
  type MeliItemBody,
  type MeliSandbox,
  type MeliUserInput,
} from './sandbox';
export type { MeliAddressInput } from './shipments';
export { MELI_API_BASE, MELI_API_HOST, MELI_SITES, type MeliSite } from './sites';
export type * from './types';
