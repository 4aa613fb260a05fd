/**
 * `@mlh/tiktok/lean`: the TikTok Shop app and client with only catalog, inventory, orders and
 * fulfilment, for apps that count their bundle's bytes. Each other capability is a module imported
 * from its own subpath and passed in `capabilities`: `tiktokRaw` (`@mlh/tiktok/raw`: the typed
 * calls), `tiktokEvents` (`/events`: webhooks and subscriptions), `tiktokCategories`
 * (`/categories`), `tiktokLabels` (`/labels`), `tiktokMessages` (`/messages`), `tiktokProceeds`
 * (`/proceeds`), `tiktokInvoices` (`/invoices`), `tiktokReturns` (`/returns`). `@mlh/tiktok` is
 * the same client with every module.
 *
 * @packageDocumentation
 */

export type { CreateTikTokShopOptions, TikTokAuthorization, TikTokShopLeanApp } from './client/app';
export { TIKTOK_LEAN_CAPABILITIES } from './client/capabilities';
export type { TikTokListingCheck } from './client/catalog';
export type { TikTokClientWith, TikTokLeanClient } from './client/compose';
export type { TikTokAccountContext, TikTokShopClientOptions } from './client/context';
export {
  createTikTokShop,
  createTikTokShopClient,
  type TikTokModulesOption,
  type TikTokShopAppWith,
} from './client/lean';
export type { TikTokAppContext, TikTokClientModule } from './client/module';
