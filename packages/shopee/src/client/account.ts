import type {
  MarketplaceCapabilities,
  MarketplaceClient,
  TransportRequest,
  TransportResponse,
} from '@mlh/core';
import { isShopeePublicPath, SHOPEE, SHOPEE_LIMITS } from '../transport';
import { catalogCapability } from './catalog';
import { bindCategoriesApi, categoriesCapability, type ShopeeCategoriesApi } from './categories';
import { createAccountContext, type ShopeeClientOptions } from './context';
import { fulfillmentCapability } from './fulfillment';
import { inventoryCapability } from './inventory';
import { createOrderLoader, ordersCapability } from './orders';
import {
  bindRawApis,
  type ShopeeLogisticsApi,
  type ShopeeMediaApi,
  type ShopeeOrdersApi,
  type ShopeeProductsApi,
} from './raw';

/**
 * One Shopee shop, through the core `MarketplaceClient` interface, plus the typed Shopee calls
 * (`products`, `media`, `orders`, `logistics`) for what the core model does not cover.
 */
export interface ShopeeClient extends MarketplaceClient {
  readonly marketplace: 'shopee';
  readonly products: ShopeeProductsApi;
  readonly media: ShopeeMediaApi;
  readonly orders: ShopeeOrdersApi;
  readonly logistics: ShopeeLogisticsApi;
  /** `get_category` and `category_recommend`, uncached (the core methods read through the cache). */
  readonly categories: ShopeeCategoriesApi;
  suggestCategories: NonNullable<MarketplaceClient['suggestCategories']>;
  getCategoryTree: NonNullable<MarketplaceClient['getCategoryTree']>;
  getCategory: NonNullable<MarketplaceClient['getCategory']>;
  getCategoryRequirements: NonNullable<MarketplaceClient['getCategoryRequirements']>;
}

/** Shopee's capabilities for generic code. */
export const SHOPEE_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  marketplace: SHOPEE,
  // Push code 3 reports order status changes, but a lost push cannot be recovered through the API
  // (no missed-feeds call), so orders are polled every 5 minutes and pushes only make it sooner.
  orderWebhooks: false,
  orderPollIntervalMs: 5 * 60_000,
  missedEventRecovery: false,
  variants: true,
  maxBatch: Object.freeze({
    getProducts: SHOPEE_LIMITS.itemBaseInfoIds,
    getOrders: SHOPEE_LIMITS.orderDetailIds,
    updateInventory: SHOPEE_LIMITS.modelBatchEntries,
    updatePrices: SHOPEE_LIMITS.modelBatchEntries,
  }),
  cancelOrder: true,
  sellerFulfillment: true,
  productStatuses: Object.freeze(['active', 'paused'] as const),
  categories: Object.freeze({ suggestions: true, tree: true, requirements: true }),
}) as MarketplaceCapabilities;

/**
 * Creates the `MarketplaceClient` of one Shopee shop. Immutable and cheap: make one per account;
 * they share the transport (and its limits and token manager).
 *
 * @example
 * const client = createShopeeClient({ transport, accountId: shopAccountId(process.env.SHOPEE_SHOP_ID!) });
 * for await (const order of client.listOrders({ since: Date.now() - 3_600_000 })) console.log(order.externalId);
 */
export function createShopeeClient(options: ShopeeClientOptions): ShopeeClient {
  const ctx = createAccountContext(options);
  const { transport, accountId } = ctx;
  const loadOrders = createOrderLoader(ctx);

  function request<T = unknown>(raw: TransportRequest): Promise<TransportResponse<T>> {
    const path = raw.path.startsWith('/') ? raw.path : new URL(raw.path).pathname;
    return transport.request<T>({
      ...raw,
      accountId,
      ...(isShopeePublicPath(path) ? { auth: false } : {}),
    });
  }

  const client: ShopeeClient = {
    marketplace: SHOPEE,
    accountId,
    capabilities: SHOPEE_CAPABILITIES,
    ...bindRawApis(ctx.scope),
    ...catalogCapability(ctx),
    categories: bindCategoriesApi(ctx),
    ...categoriesCapability(ctx),
    ...inventoryCapability(ctx),
    ...ordersCapability(ctx, loadOrders),
    ...fulfillmentCapability(ctx, loadOrders),
    request,
  };
  return Object.freeze(client);
}
