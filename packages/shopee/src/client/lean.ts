import { type ClientModuleAppMembers, describeClientModules } from '@mlh/core';
import { buildShopee, type CreateShopeeOptions, type ShopeeLeanApp } from './app';
import { composeShopeeClient, SHOPEE_LEAN_CAPABILITIES, type ShopeeClientWith } from './compose';
import type { ShopeeClientOptions } from './context';
import type { ShopeeClientModule } from './module';

/** The lean Shopee app with the members of `Modules`, on the app and on its clients. */
export type ShopeeAppWith<Modules extends readonly ShopeeClientModule[]> = ShopeeLeanApp<
  ShopeeClientWith<Modules>
> &
  ClientModuleAppMembers<Modules>;

/** The capability modules a lean client adds to its lean capabilities, e.g. `[shopeeReturns, shopeeInvoices]`. */
export interface ShopeeModulesOption<Modules extends readonly ShopeeClientModule[]> {
  /**
   * Capability modules, each imported from its own subpath (`@mlh/shopee/raw`, `/events`,
   * `/categories`, `/labels`, `/proceeds`, `/invoices`, `/returns`). Default: none.
   */
  capabilities?: Modules | undefined;
}

/**
 * The Shopee app with the lean client: the app of `createShopee` of `@mlh/shopee` (authorization,
 * tokens, per-shop clients), whose clients hold catalog, inventory, orders and fulfilment, plus
 * the modules in `capabilities` (`shopeeEvents` adds pushes: `webhookSource`, `push`,
 * `recoverMissedEvents`). A bundle keeps only what is imported.
 *
 * @example
 * import { createShopee } from '@mlh/shopee/lean';
 * import { shopeeInvoices } from '@mlh/shopee/invoices';
 * const shopee = createShopee({ partnerId, partnerKey, tokenStore, capabilities: [shopeeInvoices] });
 * const client = shopee.forShop(shopId); // listOrders, fulfillOrder, ..., submitInvoice
 */
export function createShopee<const Modules extends readonly ShopeeClientModule[] = []>(
  options: CreateShopeeOptions & ShopeeModulesOption<Modules>,
): ShopeeAppWith<Modules> {
  const { capabilities: modules = [] as unknown as Modules, ...appOptions } = options;
  // Checked once, before any client: a bad module fails here, not at the first `forShop`.
  const capabilities = describeClientModules(SHOPEE_LEAN_CAPABILITIES, modules);
  return buildShopee(
    appOptions,
    (clientOptions) => composeShopeeClient(clientOptions, modules, capabilities),
    modules,
  ) as ShopeeAppWith<Modules>;
}

/**
 * The lean client of one shop over a Shopee transport: catalog, inventory, orders and
 * fulfilment, plus the modules in `capabilities` (see {@link createShopee}).
 *
 * @example
 * const client = createShopeeClient({ transport, accountId: shopAccountId(shopId), capabilities: [shopeeLabels] });
 */
export function createShopeeClient<const Modules extends readonly ShopeeClientModule[] = []>(
  options: ShopeeClientOptions & ShopeeModulesOption<Modules>,
): ShopeeClientWith<Modules> {
  const { capabilities: modules = [] as unknown as Modules, ...clientOptions } = options;
  return composeShopeeClient(clientOptions, modules);
}
