import type { MarketplaceCapabilities, ProductStatus } from '@mlh/core';
import * as ordersApi from '../api/orders';
import { TIKTOK } from '../mappers';

/** What the lean TikTok Shop client does, for generic code; each module adds its part (`returns`, ...). */
export const TIKTOK_LEAN_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  marketplace: TIKTOK,
  orderWebhooks: true,
  // Webhooks can be lost (TikTok says so): poll order search by update time as the source of truth.
  orderPollIntervalMs: 10 * 60_000,
  missedEventRecovery: false,
  variants: true,
  maxBatch: {
    getProducts: 1,
    getOrders: ordersApi.TIKTOK_ORDER_DETAIL_BATCH_MAX,
    updateInventory: 100,
    updatePrices: 100,
  },
  cancelOrder: true,
  sellerFulfillment: true,
  productStatuses: Object.freeze(['active', 'paused']) as readonly ProductStatus[],
  skuSearch: 'indexed',
});
