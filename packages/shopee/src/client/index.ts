export {
  createShopeeClient,
  SHOPEE_CAPABILITIES,
  type ShopeeClient,
} from './account';
export {
  type CreateShopeeOptions,
  createShopee,
  type Shopee,
  type ShopeeLeanApp,
  type ShopeeShopSettings,
} from './app';
export { shopeeAccountAuthorizer } from './authorizer';
export {
  type ShopeeCategoriesApi,
  toShopeeAttributes,
  toShopeeCategoryTree,
  toShopeeRequirements,
} from './categories';
export { SHOPEE_LEAN_CAPABILITIES, type ShopeeLeanClient } from './compose';
export type { ShopeeClientOptions } from './context';
export { lostPushEvents, type ShopeeAppPushApi, type ShopeeEventsApp } from './events';
export type { ShopeeInvoicesCapability } from './invoices';
export { SHOPEE_LABEL_POLLING, type ShopeeLabelsCapability } from './labels';
export type { ListEscrowReleasesOptions, ShopeeEscrowRelease, ShopeeProceedsCapability } from './proceeds';
export type {
  BoundShopeeCall,
  ShopeeLogisticsApi,
  ShopeeMediaApi,
  ShopeeOrdersApi,
  ShopeeProductsApi,
} from './raw';
export {
  SHOPEE_RETURNS_CAPABILITIES,
  type ShopeeReturnsApi,
  type ShopeeReturnsCapability,
} from './returns';
