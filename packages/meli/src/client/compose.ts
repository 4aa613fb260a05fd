import {
  buildClientModules,
  type ClientModuleMembers,
  describeClientModules,
  type MarketplaceCapabilities,
  type MarketplaceClient,
  type Order,
  type TransportRequest,
  type TransportResponse,
} from '@mlh/core';
import * as itemsApi from '../api/items';
import type { MeliListingModel } from '../mappers';
import type { MeliPack } from '../schemas';
import { catalogCapability } from './catalog';
import { createAccountContext, type MeliClientOptions } from './context';
import { fulfillmentCapability } from './fulfillment';
import { inventoryCapability } from './inventory';
import type { MeliClientModule } from './module';
import { ordersCapability } from './orders';

/*
 * The one way a Mercado Livre client is assembled: the lean client's capabilities (catalog,
 * inventory, orders, fulfilment) over one account's context, plus the capability modules given.
 * `createMeliClient` of `@mlh/meli` passes every module; the one of `@mlh/meli/lean` the app's.
 */

/**
 * The Mercado Livre client without optional modules: the core `MarketplaceClient` (catalog,
 * inventory, orders, fulfilment), packs, the listing model and `request()`. Each module passed in
 * `capabilities` adds its members (`meliRaw`: the typed `users`, `items`, `orders`, `shipments` calls).
 */
export interface MeliLeanClient extends MarketplaceClient {
  readonly marketplace: 'meli';
  /** The listing model this seller publishes with (configured, or read from the `user_product_seller` tag). */
  listingModel(): Promise<MeliListingModel>;
  /** A pack (cart) with its orders mapped. */
  getPack(packId: string): Promise<{ pack: MeliPack; orders: Order[] }>;
}

/** A lean Mercado Livre client with the members of `Modules`. */
export type MeliClientWith<Modules extends readonly MeliClientModule[]> = MeliLeanClient &
  ClientModuleMembers<Modules>;

/** What the lean Mercado Livre client does, for generic code; each module adds its part (`returns`, ...). */
export const MELI_LEAN_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  marketplace: 'meli',
  orderWebhooks: true,
  orderPollIntervalMs: 15 * 60_000,
  // Missed feeds come back through the events module (`meliEvents`).
  missedEventRecovery: false,
  variants: true,
  maxBatch: {
    getProducts: itemsApi.MELI_MULTIGET_MAX,
    getOrders: 1,
    // A stock write reads its items 20 to a multiget, then PUTs each with all its variations (at
    // most 250): a call of 20 whole items costs 21 requests whatever their variations.
    updateInventory: itemsApi.MELI_MULTIGET_MAX * 250,
    updateInventoryProducts: itemsApi.MELI_MULTIGET_MAX,
    updatePrices: 20,
  },
  cancelOrder: false,
  sellerFulfillment: true,
  productStatuses: Object.freeze(['active', 'paused', 'inactive'] as const),
  skuSearch: 'indexed',
});

/**
 * Builds the client of one account with the lean capabilities and `modules`. `capabilities` is the
 * descriptor of `modules` when already made (an app makes it once for all its accounts).
 */
export function composeMeliClient<const Modules extends readonly MeliClientModule[]>(
  options: MeliClientOptions,
  modules: Modules,
  capabilities: MarketplaceCapabilities = describeClientModules(MELI_LEAN_CAPABILITIES, modules),
): MeliClientWith<Modules> {
  const ctx = createAccountContext(options);
  const { transport, accountId } = ctx;
  const fulfillment = fulfillmentCapability(ctx);
  const lean: MeliLeanClient = {
    marketplace: 'meli' as const,
    accountId,
    capabilities,
    listingModel: ctx.listingModel,
    ...catalogCapability(
      ctx,
      modules.flatMap((module) => (module.listingCheck ? [module.listingCheck] : [])),
    ),
    ...inventoryCapability(ctx),
    ...ordersCapability(ctx),
    fulfillOrder: fulfillment.fulfillOrder,
    getShipment: (externalId: string) => fulfillment.getShipment(externalId),
    request<T = unknown>(raw: TransportRequest): Promise<TransportResponse<T>> {
      // Not `{ ...raw, accountId }`: see `callMeli`.
      return transport.request<T>(Object.assign({}, raw, { accountId }));
    },
  };
  return Object.freeze({ ...lean, ...buildClientModules(ctx, modules) }) as MeliClientWith<Modules>;
}
