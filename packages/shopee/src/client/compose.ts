import {
  buildClientModules,
  type ClientModuleMembers,
  describeClientModules,
  type MarketplaceCapabilities,
  type MarketplaceClient,
  type TransportRequest,
  type TransportResponse,
} from '@mlh/core';
import { isShopeePublicPath, SHOPEE, SHOPEE_LIMITS } from '../transport';
import { catalogCapability } from './catalog';
import { createAccountContext, type ShopeeClientOptions } from './context';
import { fulfillmentCapability } from './fulfillment';
import { inventoryCapability } from './inventory';
import type { ShopeeClientModule } from './module';
import { createOrderLoader, ordersCapability } from './orders';

/*
 * The one way a Shopee client is assembled: the lean client's capabilities (catalog, inventory,
 * orders, fulfilment) over one shop's context, plus the
 * capability modules given. `createShopeeClient` of `@mlh/shopee` passes every module; the one of
 * `@mlh/shopee/lean` passes the app's.
 */

/**
 * The Shopee client without optional modules: the core `MarketplaceClient` (catalog, inventory,
 * orders, fulfilment), order cancellation and `request()`. Each module passed in `capabilities`
 * adds its members (`shopeeRaw`: the typed `products`, `media`, `orders` and `logistics` calls).
 */
export interface ShopeeLeanClient extends MarketplaceClient {
  readonly marketplace: 'shopee';
  cancelOrder(orderExternalId: string, reason?: string): Promise<void>;
}

/** A lean Shopee client with the members of `Modules`. */
export type ShopeeClientWith<Modules extends readonly ShopeeClientModule[]> = ShopeeLeanClient &
  ClientModuleMembers<Modules>;

/** What the lean Shopee client does, for generic code; each module adds its part (`returns`, ...). */
export const SHOPEE_LEAN_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  marketplace: SHOPEE,
  // Push code 3 reports order status changes, but pushes are hints that a suspended subscription
  // stops and the lost list keeps only 3 days: orders are polled every 5 minutes, pushes make it
  // sooner, and `recoverMissedEvents` replays the lost pushes on top.
  orderWebhooks: false,
  orderPollIntervalMs: 5 * 60_000,
  // Lost pushes come back through the events module (`shopeeEvents`).
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
  // No SKU search in the API: findProductsBySku reads the catalogue.
  skuSearch: 'scan',
}) as MarketplaceCapabilities;

/**
 * Builds the client of one shop with the lean capabilities and `modules`. `capabilities` is the
 * descriptor of `modules` when already made (an app makes it once for all its shops).
 */
export function composeShopeeClient<const Modules extends readonly ShopeeClientModule[]>(
  options: ShopeeClientOptions,
  modules: Modules,
  capabilities: MarketplaceCapabilities = describeClientModules(SHOPEE_LEAN_CAPABILITIES, modules),
): ShopeeClientWith<Modules> {
  const ctx = createAccountContext(options, modules.find((module) => module.invoiceIssuer)?.invoiceIssuer);
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

  const lean: ShopeeLeanClient = {
    marketplace: SHOPEE,
    accountId,
    capabilities,
    ...catalogCapability(
      ctx,
      modules.flatMap((module) => (module.listingCheck ? [module.listingCheck] : [])),
    ),
    ...inventoryCapability(ctx),
    ...ordersCapability(ctx, loadOrders),
    ...fulfillmentCapability(ctx, loadOrders),
    request,
  };
  return Object.freeze({ ...lean, ...buildClientModules(ctx, modules) }) as ShopeeClientWith<Modules>;
}
