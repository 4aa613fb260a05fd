import { type ClientModuleAppMembers, describeClientModules } from '@mlh/core';
import { buildTikTokShop, type CreateTikTokShopOptions, type TikTokShopLeanApp } from './app';
import { TIKTOK_LEAN_CAPABILITIES } from './capabilities';
import { composeTikTokShopClient, type TikTokClientWith } from './compose';
import type { TikTokShopClientOptions } from './context';
import type { TikTokClientModule } from './module';

/** The lean TikTok Shop app with the members of `Modules`, on the app and on its clients. */
export type TikTokShopAppWith<Modules extends readonly TikTokClientModule[]> = TikTokShopLeanApp<
  TikTokClientWith<Modules>
> &
  ClientModuleAppMembers<Modules>;

/** The capability modules a lean client adds to its lean capabilities, e.g. `[tiktokReturns, tiktokInvoices]`. */
export interface TikTokModulesOption<Modules extends readonly TikTokClientModule[]> {
  /**
   * Capability modules, each imported from its own subpath (`@mlh/tiktok/raw`, `/events`,
   * `/categories`, `/labels`, `/messages`, `/proceeds`, `/invoices`, `/returns`). Default: none.
   */
  capabilities?: Modules | undefined;
}

/**
 * The TikTok Shop app with the lean client: the app of `createTikTokShop` of `@mlh/tiktok`
 * (authorization, tokens, shop ciphers, per-shop clients), whose clients hold catalog, inventory,
 * orders and fulfilment, plus the modules in `capabilities` (`tiktokEvents` adds webhooks:
 * `webhookSource`, the shop's `events` subscriptions). A bundle keeps only what is imported.
 *
 * @example
 * import { createTikTokShop } from '@mlh/tiktok/lean';
 * import { tiktokInvoices } from '@mlh/tiktok/invoices';
 * const tiktok = createTikTokShop({ appKey, appSecret, tokenStore, capabilities: [tiktokInvoices] });
 * const client = tiktok.forAccount(shopId); // listOrders, fulfillOrder, ..., submitInvoice
 */
export function createTikTokShop<const Modules extends readonly TikTokClientModule[] = []>(
  options: CreateTikTokShopOptions & TikTokModulesOption<Modules>,
): TikTokShopAppWith<Modules> {
  const { capabilities: modules = [] as unknown as Modules, ...appOptions } = options;
  // Checked once, before any client: a bad module fails here, not at the first `forAccount`.
  const capabilities = describeClientModules(TIKTOK_LEAN_CAPABILITIES, modules);
  return buildTikTokShop(
    appOptions,
    (clientOptions) => composeTikTokShopClient(clientOptions, modules, capabilities),
    modules,
  ) as TikTokShopAppWith<Modules>;
}

/**
 * The lean client of one shop over a TikTok Shop transport: catalog, inventory, orders and
 * fulfilment, plus the modules in `capabilities` (see {@link createTikTokShop}).
 *
 * @example
 * const client = createTikTokShopClient({ transport, accountId: shopId, capabilities: [tiktokLabels] });
 */
export function createTikTokShopClient<const Modules extends readonly TikTokClientModule[] = []>(
  options: TikTokShopClientOptions & TikTokModulesOption<Modules>,
): TikTokClientWith<Modules> {
  const { capabilities: modules = [] as unknown as Modules, ...clientOptions } = options;
  return composeTikTokShopClient(clientOptions, modules);
}
