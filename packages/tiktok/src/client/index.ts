export { createTikTokShopClient, TIKTOK_CAPABILITIES, type TikTokShopClient } from './account';
export {
  type CreateTikTokShopOptions,
  createTikTokShop,
  type TikTokAuthorization,
  type TikTokShop,
  type TikTokShopLeanApp,
} from './app';
export * from './authorizer';
export { TIKTOK_LEAN_CAPABILITIES } from './capabilities';
export {
  type TikTokCatalogCapability,
  type TikTokListProductsOptions,
  validateTikTokProduct,
} from './catalog';
export {
  type TikTokCategoriesApi,
  toTikTokAttribute,
  toTikTokCategoryTree,
  toTikTokRequirements,
  toTikTokSuggestions,
} from './categories';
export type { TikTokLeanClient } from './compose';
export { type TikTokShopClientOptions, WAREHOUSE_LIST_TTL_MS } from './context';
export type { TikTokEventsApp } from './events';
export type { TikTokFulfillmentCapability } from './fulfillment';
export { type TikTokInventoryCapability, tiktokInventoryRows } from './inventory';
export type { TikTokInvoicesCapability } from './invoices';
export type { TikTokLabelsCapability } from './labels';
export { TIKTOK_CUSTOMER_SERVICE_SCOPE } from './messages';
export type { TikTokOrdersCapability } from './orders';
export type { ListTikTokStatementsOptions, TikTokProceedsCapability, TikTokStatement } from './proceeds';
export type {
  Bound,
  BoundApi,
  TikTokEventsApi,
  TikTokFulfillmentApi,
  TikTokLogisticsApi,
  TikTokOrdersApi,
  TikTokProductsApi,
} from './raw';
export {
  TIKTOK_RETURNS_CAPABILITIES,
  type TikTokReturnsApi,
  type TikTokReturnsCapability,
} from './returns';
