import {
  type ClientModule,
  type ClientModuleCapabilities,
  defineClientModule,
  type Transport,
} from '@mlh/core';
import type { MeliOptions } from './app';
import type { MeliListingCheck } from './catalog';
import type { MeliAccountContext } from './context';

/** What a module's app-level members read: the app's options and its transport. */
export interface MeliAppContext {
  readonly options: MeliOptions;
  readonly transport: Transport;
}

/**
 * A capability module of the Mercado Livre client (`meliReturns`, `meliInvoices`, ...): pass it in
 * `capabilities` of `createMeli` / `createMeliClient` from `@mlh/meli/lean`.
 */
export interface MeliClientModule<Members extends object = object, AppMembers extends object = object>
  extends ClientModule<MeliAccountContext, Members, MeliAppContext, AppMembers> {
  /** A check `createProduct` runs before any write (the categories module's requirements check). */
  readonly listingCheck?: MeliListingCheck | undefined;
}

/** Declares a capability module of the Mercado Livre client (and what it adds to the app, if anything). */
export function meliModule<Members extends object, AppMembers extends object = object>(definition: {
  name: string;
  capabilities: ClientModuleCapabilities;
  build: (ctx: MeliAccountContext) => Members;
  app?: (app: MeliAppContext) => AppMembers;
  listingCheck?: MeliListingCheck;
}): MeliClientModule<Members, AppMembers> {
  return defineClientModule('meli', definition);
}
