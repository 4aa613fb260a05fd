import {
  type ClientModule,
  type ClientModuleCapabilities,
  defineClientModule,
  type Transport,
} from '@mlh/core';
import { TIKTOK } from '../mappers';
import type { CreateTikTokShopOptions } from './app';
import type { TikTokListingCheck } from './catalog';
import type { TikTokAccountContext } from './context';

/** What a module's app-level members read: the app's options and its transport. */
export interface TikTokAppContext {
  readonly options: CreateTikTokShopOptions;
  readonly transport: Transport;
}

/**
 * A capability module of the TikTok Shop client (`tiktokReturns`, `tiktokInvoices`, ...): pass it
 * in `capabilities` of `createTikTokShop` / `createTikTokShopClient` from `@mlh/tiktok/lean`.
 */
export interface TikTokClientModule<Members extends object = object, AppMembers extends object = object>
  extends ClientModule<TikTokAccountContext, Members, TikTokAppContext, AppMembers> {
  /** A check `createProduct` runs before any write (the categories module's requirements check). */
  readonly listingCheck?: TikTokListingCheck | undefined;
}

/** Declares a capability module of the TikTok Shop client (and what it adds to the app, if anything). */
export function tiktokModule<Members extends object, AppMembers extends object = object>(definition: {
  name: string;
  capabilities: ClientModuleCapabilities;
  build: (ctx: TikTokAccountContext) => Members;
  app?: (app: TikTokAppContext) => AppMembers;
  listingCheck?: TikTokListingCheck;
}): TikTokClientModule<Members, AppMembers> {
  return defineClientModule(TIKTOK, definition);
}
