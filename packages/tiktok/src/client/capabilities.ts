import type { MarketplaceCapabilities, ProductStatus } from '@mlh/core';
import * as ordersApi from '../api/orders';
import { TIKTOK } from '../mappers';
import { TIKTOK_RETURNS_CAPABILITIES } from './returns';

/** The capabilities of TikTok Shop, for generic code. */
export const TIKTOK_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
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
  // ZPL only for Brazilian (and, per the newer spec, Mexican) shops; PDF everywhere.
  shippingLabels: Object.freeze(['pdf', 'zpl'] as const),
  skuSearch: 'indexed',
  categories: Object.freeze({ suggestions: true, tree: true, requirements: true }),
  returns: TIKTOK_RETURNS_CAPABILITIES,
});
