import {
  type ClientModule,
  type ClientModuleCapabilities,
  type Clock,
  defineClientModule,
  type Transport,
} from '@mlh/core';
import { SHOPEE } from '../transport';
import type { CreateShopeeOptions } from './app';
import type { ShopeeListingCheck } from './catalog';
import type { ShopeeAccountContext, ShopeeInvoiceIssuerReader } from './context';

/** What a module's app-level members read: the app's options, its transport and clock. */
export interface ShopeeAppContext {
  readonly options: CreateShopeeOptions;
  readonly transport: Transport;
  readonly clock: Clock;
}

/**
 * A capability module of the Shopee client (`shopeeReturns`, `shopeeInvoices`, ...): pass it in
 * `capabilities` of `createShopee` / `createShopeeClient` from `@mlh/shopee/lean`.
 */
export interface ShopeeClientModule<Members extends object = object, AppMembers extends object = object>
  extends ClientModule<ShopeeAccountContext, Members, ShopeeAppContext, AppMembers> {
  /** A check `createProduct` runs before any write (the categories module's requirements check). */
  readonly listingCheck?: ShopeeListingCheck | undefined;
  /** Who issues a Brazilian shop's NF-e, for the orders' invoice state (the invoices module's). */
  readonly invoiceIssuer?: ShopeeInvoiceIssuerReader | undefined;
}

/** Declares a capability module of the Shopee client (and what it adds to the app, if anything). */
export function shopeeModule<Members extends object, AppMembers extends object = object>(definition: {
  name: string;
  capabilities: ClientModuleCapabilities;
  build: (ctx: ShopeeAccountContext) => Members;
  app?: (app: ShopeeAppContext) => AppMembers;
  listingCheck?: ShopeeListingCheck;
  invoiceIssuer?: ShopeeInvoiceIssuerReader;
}): ShopeeClientModule<Members, AppMembers> {
  return defineClientModule(SHOPEE, definition);
}
