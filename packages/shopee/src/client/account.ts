import type {
  Instant,
  MarketplaceCapabilities,
  MarketplaceClient,
  MlhEvent,
  TransportRequest,
  TransportResponse,
} from '@mlh/core';
import { isShopeePublicPath, SHOPEE, SHOPEE_LIMITS } from '../transport';
import { catalogCapability } from './catalog';
import { bindCategoriesApi, categoriesCapability, type ShopeeCategoriesApi } from './categories';
import { createAccountContext, type ShopeeClientOptions } from './context';
import { eventsCapability } from './events';
import { fulfillmentCapability } from './fulfillment';
import { inventoryCapability } from './inventory';
import { labelsCapability, type ShopeeLabelsCapability } from './labels';
import { createOrderLoader, ordersCapability } from './orders';
import { proceedsCapability, type ShopeeProceedsCapability } from './proceeds';
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
  getShippingLabel: ShopeeLabelsCapability['getShippingLabel'];
  /**
   * The app's lost pushes as core events (`push/get_lost_push_message`), each page confirmed only
   * after you asked for the event past it: stop iterating when one fails and it comes back. The
   * list is the app's, so events may name other shops of the app; `since` is ignored (Shopee keeps
   * 3 days). `OrderSync.reconcile` runs it before each poll.
   */
  recoverMissedEvents(options?: { since?: Instant }): AsyncIterable<MlhEvent>;
  /** `get_category` and `category_recommend`, uncached (the core methods read through the cache). */
  readonly categories: ShopeeCategoriesApi;
  suggestCategories: NonNullable<MarketplaceClient['suggestCategories']>;
  getCategoryTree: NonNullable<MarketplaceClient['getCategoryTree']>;
  getCategory: NonNullable<MarketplaceClient['getCategory']>;
  getCategoryRequirements: NonNullable<MarketplaceClient['getCategoryRequirements']>;
  /** Net proceeds of an order from its escrow (`payment/get_escrow_detail`). */
  getOrderProceeds: ShopeeProceedsCapability['getOrderProceeds'];
  /** Escrows released in a period (`payment/get_escrow_list`). */
  listEscrowReleases: ShopeeProceedsCapability['listEscrowReleases'];
}

/** Shopee's capabilities for generic code. */
export const SHOPEE_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  marketplace: SHOPEE,
  // Push code 3 reports order status changes, but pushes are hints that a suspended subscription
  // stops and the lost list keeps only 3 days: orders are polled every 5 minutes, pushes make it
  // sooner, and `recoverMissedEvents` replays the lost pushes on top.
  orderWebhooks: false,
  orderPollIntervalMs: 5 * 60_000,
  missedEventRecovery: true,
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
  // ZPL is Brazil's thermal air waybill; elsewhere Shopee's documents are PDF.
  shippingLabels: Object.freeze(['pdf', 'zpl'] as const),
  // No SKU search in the API: findProductsBySku reads the catalogue.
  skuSearch: 'scan',
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
    ...catalogCapability(ctx, (categoryId) => categoriesCapability(ctx).getCategoryRequirements(categoryId)),
    categories: bindCategoriesApi(ctx),
    ...categoriesCapability(ctx),
    ...inventoryCapability(ctx),
    ...ordersCapability(ctx, loadOrders),
    ...fulfillmentCapability(ctx, loadOrders),
    ...labelsCapability(ctx),
    ...eventsCapability(ctx),
    ...proceedsCapability(ctx),
    request,
  };
  return Object.freeze(client);
}
