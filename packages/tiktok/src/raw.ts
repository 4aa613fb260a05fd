/**
 * `@mlh/tiktok/raw`: the raw-calls module of the lean TikTok Shop client (`@mlh/tiktok/lean`): the
 * typed `products`, `orders`, `fulfillment` and `logistics` calls bound to the shop.
 *
 * @packageDocumentation
 */

export {
  type TikTokFulfillmentApi,
  type TikTokLogisticsApi,
  type TikTokOrdersApi,
  type TikTokProductsApi,
  tiktokRaw,
} from './client/raw';
