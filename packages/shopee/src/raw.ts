/**
 * `@mlh/shopee/raw`: the raw-calls module of the lean Shopee client (`@mlh/shopee/lean`): the
 * typed `products`, `media`, `orders` and `logistics` calls bound to the shop.
 *
 * @packageDocumentation
 */

export {
  type BoundShopeeCall,
  type ShopeeLogisticsApi,
  type ShopeeMediaApi,
  type ShopeeOrdersApi,
  type ShopeeProductsApi,
  shopeeRaw,
} from './client/raw';
