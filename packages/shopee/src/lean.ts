/**
 * `@mlh/shopee/lean`: the Shopee app and client with only catalog, inventory, orders and
 * fulfilment, for apps that count their bundle's bytes. Each other capability is a module imported
 * from its own subpath and passed in `capabilities`: `shopeeRaw` (`@mlh/shopee/raw`: the typed
 * calls), `shopeeEvents` (`/events`: pushes and lost pushes), `shopeeCategories`
 * (`@mlh/shopee/categories`), `shopeeLabels` (`/labels`), `shopeeProceeds`
 * (`/proceeds`), `shopeeInvoices` (`/invoices`), `shopeeReturns` (`/returns`). `@mlh/shopee` is the
 * same client with every module.
 *
 * @packageDocumentation
 */

export type { CreateShopeeOptions, ShopeeLeanApp, ShopeeShopSettings } from './client/app';
export type { ShopeeListingCheck } from './client/catalog';
export { SHOPEE_LEAN_CAPABILITIES, type ShopeeClientWith, type ShopeeLeanClient } from './client/compose';
export type { ShopeeAccountContext, ShopeeClientOptions, ShopeeInvoiceIssuerReader } from './client/context';
export {
  createShopee,
  createShopeeClient,
  type ShopeeAppWith,
  type ShopeeModulesOption,
} from './client/lean';
export type { ShopeeAppContext, ShopeeClientModule } from './client/module';
