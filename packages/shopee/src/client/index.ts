export {
  createShopeeClient,
  SHOPEE_CAPABILITIES,
  type ShopeeClient,
} from './account';
export { type CreateShopeeOptions, createShopee, type Shopee, type ShopeeShopSettings } from './app';
export {
  type ShopeeCategoriesApi,
  toShopeeAttributes,
  toShopeeCategoryTree,
  toShopeeRequirements,
} from './categories';
export type { ShopeeClientOptions } from './context';
export type {
  BoundShopeeCall,
  ShopeeLogisticsApi,
  ShopeeMediaApi,
  ShopeeOrdersApi,
  ShopeeProductsApi,
} from './raw';
