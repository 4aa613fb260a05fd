/**
 * `@mlh/shopee/returns`: the returns module of the lean Shopee client (`@mlh/shopee/lean`).
 *
 * @packageDocumentation
 */

export {
  SHOPEE_RETURNS_CAPABILITIES,
  type ShopeeReturnsApi,
  type ShopeeReturnsCapability,
  shopeeReturns,
} from './client/returns';
