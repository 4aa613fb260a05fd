import {
  buildClientModules,
  type ClientModuleMembers,
  describeClientModules,
  type MarketplaceCapabilities,
  type MarketplaceClient,
  type Product,
  type TransportRequest,
  type TransportResponse,
} from '@mlh/core';
import { TIKTOK } from '../mappers';
import { TIKTOK_LEAN_CAPABILITIES } from './capabilities';
import { catalog, type TikTokListProductsOptions } from './catalog';
import { createAccountContext, type TikTokShopClientOptions } from './context';
import { fulfillment } from './fulfillment';
import { inventory } from './inventory';
import type { TikTokClientModule } from './module';
import { orders } from './orders';

/*
 * The one way a TikTok Shop client is assembled: the lean client's capabilities (catalog,
 * inventory, orders, fulfilment) over one shop's context, plus the capability modules given.
 * `createTikTokShopClient` of `@mlh/tiktok` passes every module; the one of `@mlh/tiktok/lean` the app's.
 */

/**
 * The TikTok Shop client without optional modules: the core `MarketplaceClient` (catalog,
 * inventory, orders, fulfilment), order cancellation and `request()`. Each module passed in
 * `capabilities` adds its members (`tiktokRaw`: the typed `products`, `orders`, `fulfillment` and
 * `logistics` calls).
 */
export interface TikTokLeanClient extends MarketplaceClient {
  readonly marketplace: 'tiktok';
  listProducts(options?: TikTokListProductsOptions): AsyncIterable<Product>;
  cancelOrder(orderExternalId: string, reason?: string): Promise<void>;
}

/** A lean TikTok Shop client with the members of `Modules`. */
export type TikTokClientWith<Modules extends readonly TikTokClientModule[]> = TikTokLeanClient &
  ClientModuleMembers<Modules>;

/**
 * Builds the client of one shop with the lean capabilities and `modules`. `capabilities` is the
 * descriptor of `modules` when already made (an app makes it once for all its shops).
 */
export function composeTikTokShopClient<const Modules extends readonly TikTokClientModule[]>(
  options: TikTokShopClientOptions,
  modules: Modules,
  capabilities: MarketplaceCapabilities = describeClientModules(TIKTOK_LEAN_CAPABILITIES, modules),
): TikTokClientWith<Modules> {
  const ctx = createAccountContext(options);
  const { transport, accountId, shopCipher } = ctx;
  const lean: TikTokLeanClient = {
    marketplace: TIKTOK,
    accountId,
    capabilities,
    ...catalog(
      ctx,
      modules.flatMap((module) => (module.listingCheck ? [module.listingCheck] : [])),
    ),
    ...inventory(ctx),
    ...orders(ctx),
    ...fulfillment(ctx),

    /** Any endpoint, signed and scoped like the typed calls; a JSON answer is parsed losslessly. */
    request<T = unknown>(request: TransportRequest): Promise<TransportResponse<T>> {
      const query = { ...request.query };
      if (shopCipher !== undefined && query.shop_cipher === undefined) query.shop_cipher = shopCipher;
      // Not a spread with more properties: see `callTikTok`.
      return transport.request<T>(
        Object.assign({}, request, {
          query,
          accountId,
          operation: request.operation ?? `${request.method} ${request.path}`,
        }),
      );
    },
  };
  return Object.freeze({ ...lean, ...buildClientModules(ctx, modules) }) as TikTokClientWith<Modules>;
}
