/**
 * `@mlh/shopee`: the Shopee Open Platform v2 adapter of the `@mlh` marketplace SDK.
 *
 * @packageDocumentation
 */

export type { BrandListQuery, GetCategoriesOptions, RecommendCategoryInput } from './api/categories';
export {
  type ShopeeAddItemBody,
  ShopeeAddItemSchema,
  type ShopeeInitTierVariationBody,
  ShopeeInitTierVariationSchema,
  type ShopeeUpdateItemBody,
  ShopeeUpdateItemSchema,
} from './api/inputs';
export {
  SHOPEE_ACCEPTED_CFOPS,
  SHOPEE_INVOICE_FILE_MAX_BYTES,
  SHOPEE_INVOICE_FILE_TYPES,
  type ShopeeInvoiceDataInput,
  type ShopeeInvoiceFile,
} from './api/invoices';
export {
  SHOPEE_DOCUMENT_BATCH_MAX,
  type ShopeeDocumentFile,
  type ShopeeDocumentRef,
  ShopeeDocumentResult,
  type ShopeeShippingDocumentType,
} from './api/labels';
export type { ShipOrderInput, ShopeePackageRef, ShopeeShipMethod } from './api/logistics';
export type { ShopeeImageFile, ShopeeImageUploadResult, UploadImageOptions } from './api/media';
export * as shopeeCategoriesApi from './api/namespaces/categories';
export * as shopeeInvoicesApi from './api/namespaces/invoices';
export * as shopeeLabelsApi from './api/namespaces/labels';
export * as shopeeLogisticsApi from './api/namespaces/logistics';
export * as shopeeMediaApi from './api/namespaces/media';
export * as shopeeOrdersApi from './api/namespaces/orders';
export * as shopeePaymentApi from './api/namespaces/payment';
export * as shopeeProductsApi from './api/namespaces/products';
export * as shopeePushApi from './api/namespaces/push';
export * as shopeeReturnsApi from './api/namespaces/returns';
export * as shopeeShopApi from './api/namespaces/shop';
export {
  type CancelOrderInput,
  type GetOrderDetailOptions,
  type GetOrderListOptions,
  SHOPEE_BRAZIL_ORDER_FIELDS,
  SHOPEE_CANCEL_REASONS,
  SHOPEE_ORDER_DETAIL_FIELDS,
  type ShopeeCancelReason,
  type ShopeeOrderListEntry,
  type ShopeeTimeWindow,
  sliceShopeeTimeRange,
} from './api/orders';
export {
  type GetEscrowListOptions,
  SHOPEE_ESCROW_LIST_PAGE_MAX,
  SHOPEE_ESCROW_TERMS,
  SHOPEE_ESCROW_WINDOW_SECONDS,
  type ShopeeEscrowAmount,
  ShopeeEscrowDetail,
  ShopeeEscrowListEntry,
  ShopeeEscrowListResponse,
  type ShopeeEscrowTerm,
  ShopeeOrderIncome,
} from './api/payment';
export type {
  GetItemListOptions,
  ItemBaseInfoOptions,
  ShopeePriceEntry,
  ShopeeStockEntry,
} from './api/products';
export { ShopeePartialUpdateError } from './api/products';
export {
  checkSetAppPushConfig,
  type DrainLostPushesOptions,
  lostPushBody,
  type SetAppPushConfigInput,
  SHOPEE_PUSH_LIMITS,
  type ShopeeAppScope,
  type ShopeeLostPush,
} from './api/push';
export {
  type GetReturnListOptions,
  SHOPEE_RETURN_LIMITS,
  type ShopeeDisputeEvidence,
  type ShopeeDisputeInput,
  type ShopeeEvidenceImage,
  type ShopeeOfferInput,
  type ShopeeReturnSolution,
  type ShopeeUploadProofInput,
} from './api/returns';
export {
  buildShopeeAuthorizationUrl,
  buildShopeeCancelAuthorizationUrl,
  type ExchangeShopeeCodeOptions,
  exchangeShopeeCode,
  parseShopeeAuthorizationCallback,
  type RefreshShopeeTokensOptions,
  refreshShopeeTokens,
  SHOPEE_ACCESS_TOKEN_GET_PATH,
  SHOPEE_AUTH_PARTNER_PATH,
  SHOPEE_CANCEL_AUTH_PARTNER_PATH,
  SHOPEE_REFRESH_TOKEN_TTL_MS,
  SHOPEE_TOKEN_GET_PATH,
  type ShopeeAuthorizationCallback,
  type ShopeeAuthorizationUrlOptions,
  type ShopeeTokenGrant,
  shopeeExpiresAt,
  shopeeTokenRefresher,
} from './auth';
export type { ListEscrowReleasesOptions, ShopeeEscrowRelease, ShopeeProceedsCapability } from './client';
export {
  type BoundShopeeCall,
  type CreateShopeeOptions,
  createShopee,
  createShopeeClient,
  lostPushEvents,
  SHOPEE_CAPABILITIES,
  SHOPEE_LEAN_CAPABILITIES,
  SHOPEE_RETURNS_CAPABILITIES,
  type Shopee,
  type ShopeeAppPushApi,
  type ShopeeCategoriesApi,
  type ShopeeClient,
  type ShopeeClientOptions,
  type ShopeeEventsApp,
  type ShopeeLeanApp,
  type ShopeeLeanClient,
  type ShopeeLogisticsApi,
  type ShopeeMediaApi,
  type ShopeeOrdersApi,
  type ShopeeProductsApi,
  type ShopeeReturnsApi,
  type ShopeeReturnsCapability,
  type ShopeeShopSettings,
  shopeeAccountAuthorizer,
  toShopeeAttributes,
  toShopeeCategoryTree,
  toShopeeRequirements,
} from './client';
export { JsonNumberLiteral, jsonDecimal, jsonInteger, stringifyShopeeJson } from './json';
export {
  fromShopeeTime,
  isShopeeInvoicePendingStatus,
  type MapItemOptions,
  type MapPackageContext,
  mapShopeeAddress,
  mapShopeeItem,
  mapShopeeItemStatus,
  mapShopeeLogisticsStatus,
  mapShopeeOrder,
  mapShopeeOrderFiscal,
  mapShopeeOrderInvoice,
  mapShopeeOrderStatus,
  mapShopeePackage,
  mapShopeePaymentStatus,
  mapShopeeTaxInfo,
  parseShopeeShipmentId,
  SHOPEE_DEFAULT_ITEM_STATUSES,
  SHOPEE_ITEM_STATUS,
  SHOPEE_ITEM_STATUS_FILTER,
  SHOPEE_LOGISTICS_STATUS,
  SHOPEE_ORDER_STATUS,
  type ShopeeProceedsContext,
  sellerStock,
  shopeeProductTaxData,
  shopeeShipmentId,
  toShopeeOrderProceeds,
} from './mappers';
export {
  mapShopeeReturn,
  mapShopeeReturnStatus,
  mapShopeeReverseLogistics,
  normalizeShopeeReturnStatus,
} from './mappers-returns';
export * from './schemas';
export * from './schemas-returns';
export { type ShopeeSignInput, shopeeBaseString, signShopeeRequest, signShopeeRequestSync } from './signer';
export {
  callShopee,
  callShopeeFlat,
  createShopeeTransport,
  isShopeePublicPath,
  mapShopeeError,
  mapShopeeErrorCode,
  merchantAccountId,
  msUntilShopeeQuotaReset,
  normalizeShopeeErrorCode,
  parseShopeeAccountId,
  SHOPEE_HOSTS,
  SHOPEE_LIMITS,
  SHOPEE_PUBLIC_PATHS,
  SHOPEE_RATE_LIMITS,
  SHOPEE_REAUTHORIZATION_CODES,
  type ShopeeAccount,
  type ShopeeCall,
  type ShopeeEnvironment,
  type ShopeeErrorDetails,
  type ShopeeListEncoding,
  type ShopeePassThroughOptions,
  type ShopeeRegion,
  type ShopeeResult,
  type ShopeeScope,
  type ShopeeTransportOptions,
  shopAccountId,
  shopeeBaseUrl,
  shopeeSigningHook,
} from './transport';
export {
  assertShopeePush,
  parseShopeePush,
  SHOPEE_PUSH_CODES,
  SHOPEE_PUSH_DEFAULT_TOLERANCE_SECONDS,
  type ShopeeWebhookSourceOptions,
  shopeeWebhookSource,
  signShopeePush,
  signShopeePushSync,
  type VerifyShopeePushInput,
  verifyShopeePush,
} from './webhooks';
