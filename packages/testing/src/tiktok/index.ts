export {
  TIKTOK_SANDBOX_CATEGORIES,
  TIKTOK_SANDBOX_CATEGORY_RULES,
  type TikTokSandboxAttribute,
  type TikTokSandboxCategory,
  type TikTokSandboxCategoryRules,
} from './categories';
export type { TikTokEmptyBodySignature, TikTokProductStatusField } from './context';
export {
  TIKTOK_SANDBOX_ERRORS,
  TikTokApiError,
  type TikTokErrorKind,
  type TikTokItemError,
  type TikTokSandboxErrorName,
} from './errors';
export {
  TIKTOK_INVOICE_VERIFICATION_SECONDS,
  type TikTokCancelInitiator,
  type TikTokOrderItemInput,
  type TikTokPlaceOrderInput,
  TikTokSandboxError,
} from './lifecycle';
export {
  TIKTOK_RETURN_DEADLINES,
  TIKTOK_SANDBOX_REJECT_REASONS,
  type TikTokApproveDecisionInput,
  type TikTokOpenReturnInput,
  type TikTokReturnDeadlines,
  type TikTokReturnStatus,
  type TikTokSandboxReturn,
  type TikTokSandboxReturnCopy,
  type TikTokSandboxReturnRecord,
  type TikTokSandboxReturns,
  type TikTokSellerNextAction,
} from './returns';
export { TIKTOK_SANDBOX_BRANDS } from './routes/categories';
export { TIKTOK_CUSTOMER_SERVICE_SCOPE } from './routes/customer-service';
export {
  TIKTOK_DEFAULT_FINANCE_RATES,
  type TikTokExtraFee,
  type TikTokFinanceRates,
} from './routes/finance';
export { TIKTOK_ORDER_DETAIL_MAX_IDS } from './routes/orders';
export {
  createTikTokSandbox,
  TIKTOK_API_BASE_URL,
  TIKTOK_AUTH_BASE_URL,
  TIKTOK_SANDBOX_SHIPPING_PROVIDERS,
  type TikTokAddProductInput,
  type TikTokAddShopInput,
  type TikTokAddSkuInput,
  type TikTokSandbox,
  type TikTokSandboxOptions,
  type TikTokSellerSelector,
} from './sandbox';
export {
  signTikTokRequest,
  signTikTokWebhook,
  type TikTokSignatureInput,
  tiktokSignatureBaseString,
} from './signing';
export type {
  TikTokOrderStatus,
  TikTokPackageStatus,
  TikTokProductStatus,
  TikTokSandboxAddress,
  TikTokSandboxApp,
  TikTokSandboxCancellation,
  TikTokSandboxChatMessage,
  TikTokSandboxConversation,
  TikTokSandboxDistrict,
  TikTokSandboxInvoiceUpload,
  TikTokSandboxLineItem,
  TikTokSandboxOrder,
  TikTokSandboxPackage,
  TikTokSandboxProduct,
  TikTokSandboxSalesAttribute,
  TikTokSandboxSeller,
  TikTokSandboxShippingProvider,
  TikTokSandboxShop,
  TikTokSandboxSku,
  TikTokSandboxTrackingEvent,
  TikTokSandboxWarehouse,
  TikTokSandboxWebhookSubscription,
  TikTokShippingType,
} from './state';
export { TIKTOK_SANDBOX_SCOPES, type TikTokSandboxTokens } from './tokens';
export {
  type MakeTikTokWebhookRequestOptions,
  makeTikTokWebhookRequest,
  TIKTOK_EVENT_API_TYPES,
  TIKTOK_WEBHOOK_TYPES,
  type TikTokWebhookBody,
  type TikTokWebhookEventName,
} from './webhooks';
