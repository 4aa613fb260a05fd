/**
 * `@mlh/meli/lean`: the Mercado Livre app and client with only catalog, inventory, orders and
 * fulfilment, for apps that count their bundle's bytes. Each other capability is a module imported
 * from its own subpath and passed in `capabilities`: `meliRaw` (`@mlh/meli/raw`: the typed calls),
 * `meliEvents` (`/events`: notifications and missed feeds), `meliCategories` (`/categories`),
 * `meliLabels` (`/labels`), `meliMessages` (`/messages`: messages and questions), `meliProceeds`
 * (`/proceeds`), `meliInvoices` (`/invoices`), `meliReturns` (`/returns`). `@mlh/meli` is the same
 * client with every module.
 *
 * @packageDocumentation
 */

export type { MeliLeanApp, MeliOptions } from './client/app';
export type { MeliListingCheck } from './client/catalog';
export { MELI_LEAN_CAPABILITIES, type MeliClientWith, type MeliLeanClient } from './client/compose';
export type { MeliAccountContext, MeliClientOptions, MeliStockWrites } from './client/context';
export { createMeli, createMeliClient, type MeliAppWith, type MeliModulesOption } from './client/lean';
export type { MeliAppContext, MeliClientModule } from './client/module';
