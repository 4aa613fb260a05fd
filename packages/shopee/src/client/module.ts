import type { ClientModule, ClientModuleCapabilities, Clock, Transport } from '@mlh/core';
import { SHOPEE } from '../transport';
import type { CreateShopeeOptions } from './app';
import type { ShopeeAccountContext } from './context';

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
export type ShopeeClientModule<
  Members extends object = object,
  AppMembers extends object = object,
> = ClientModule<ShopeeAccountContext, Members, ShopeeAppContext, AppMembers>;

/** Declares a capability module of the Shopee client (and what it adds to the app, if anything). */
export function shopeeModule<Members extends object, AppMembers extends object = object>(
  name: string,
  capabilities: ClientModuleCapabilities,
  build: (ctx: ShopeeAccountContext) => Members,
  app?: (app: ShopeeAppContext) => AppMembers,
): ShopeeClientModule<Members, AppMembers> {
  return Object.freeze({ marketplace: SHOPEE, name, capabilities: Object.freeze(capabilities), build, app });
}
