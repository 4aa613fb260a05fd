export { SHOPEE_SANDBOX_BRANDS, SHOPEE_SANDBOX_CATEGORIES, type ShopeeSandboxCategory } from './api-category';
export { SHOPEE_IMAGE_LIMITS } from './api-media';
export { SHOPEE_ORDER_LIMITS } from './api-order';
export { SHOPEE_DEFAULT_ESCROW_RATES, SHOPEE_ESCROW_BATCH_MAX, type ShopeeEscrowRates } from './api-payment';
export { SHOPEE_ITEM_LIMITS } from './api-product';
export { LOST_PUSH_PAGE_SIZE, LOST_PUSH_RETENTION_SECONDS } from './api-push';
export { SHOPEE_LIFETIMES, type ShopeeLifetimes } from './context';
export type { ShopeeOrderLineInput, ShopeePlaceOrderInput } from './orders';
export { ShopeeSandboxError } from './orders';
export type { ShopeeIdInput } from './params';
export { makeShopeePushRequest, SHOPEE_PUSH_HEALTH, type ShopeePushRequestOptions } from './push';
export {
  createShopeeSandbox,
  SHOPEE_HOSTS,
  type ShopeeAddItemInput,
  type ShopeeIssuedTokens,
  type ShopeeMerchantInput,
  type ShopeeModelInput,
  type ShopeePartnerInput,
  type ShopeeSandbox,
  type ShopeeSandboxImage,
  type ShopeeSandboxItem,
  type ShopeeSandboxOptions,
  type ShopeeSandboxOrder,
  type ShopeeSandboxShop,
  type ShopeeShopInput,
} from './sandbox';
export type {
  ShopeeChannelRecord,
  ShopeeImageRecord,
  ShopeeInvoiceDataRecord,
  ShopeeItemRecord,
  ShopeeItemStatus,
  ShopeeLivePushStatus,
  ShopeeLostPushRecord,
  ShopeeMerchantRecord,
  ShopeeModelRecord,
  ShopeeOrderLineRecord,
  ShopeeOrderRecord,
  ShopeeOrderStatus,
  ShopeePackageRecord,
  ShopeePickupAddressRecord,
  ShopeeShopRecord,
  ShopeeTierVariationRecord,
  ShopeeTrackingEventRecord,
} from './state';
export type { ShopeeAccount } from './tokens';
