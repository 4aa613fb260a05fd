import { type ClientModuleAppMembers, describeClientModules } from '@mlh/core';
import { buildMeli, type MeliLeanApp, type MeliOptions } from './app';
import { composeMeliClient, MELI_LEAN_CAPABILITIES, type MeliClientWith } from './compose';
import type { MeliClientOptions } from './context';
import type { MeliClientModule } from './module';

/** The lean Mercado Livre app with the members of `Modules`, on the app and on its clients. */
export type MeliAppWith<Modules extends readonly MeliClientModule[]> = MeliLeanApp<MeliClientWith<Modules>> &
  ClientModuleAppMembers<Modules>;

/** The capability modules a lean client adds to its lean capabilities, e.g. `[meliReturns, meliInvoices]`. */
export interface MeliModulesOption<Modules extends readonly MeliClientModule[]> {
  /**
   * Capability modules, each imported from its own subpath (`@mlh/meli/raw`, `/events`,
   * `/categories`, `/labels`, `/messages`, `/proceeds`, `/invoices`, `/returns`). Default: none.
   */
  capabilities?: Modules | undefined;
}

/**
 * The Mercado Livre app with the lean client: the app of `createMeli` of `@mlh/meli` (authorization,
 * tokens, per-account clients), whose clients hold catalog, inventory, orders and fulfilment, plus
 * the modules in `capabilities` (`meliEvents` adds notifications: `webhookSource`,
 * `recoverMissedEvents`). A bundle keeps only what is imported.
 *
 * @example
 * import { createMeli } from '@mlh/meli/lean';
 * import { meliInvoices } from '@mlh/meli/invoices';
 * const meli = createMeli({ clientId, clientSecret, redirectUri, tokenStore, capabilities: [meliInvoices] });
 * const client = meli.forAccount(sellerId); // listOrders, fulfillOrder, ..., submitInvoice
 */
export function createMeli<const Modules extends readonly MeliClientModule[] = []>(
  options: MeliOptions & MeliModulesOption<Modules>,
): MeliAppWith<Modules> {
  const { capabilities: modules = [] as unknown as Modules, ...appOptions } = options;
  // Checked once, before any client: a bad module fails here, not at the first `forAccount`.
  const capabilities = describeClientModules(MELI_LEAN_CAPABILITIES, modules);
  return buildMeli(
    appOptions,
    (clientOptions) => composeMeliClient(clientOptions, modules, capabilities),
    modules,
  ) as MeliAppWith<Modules>;
}

/**
 * The lean client of one seller account over a Mercado Livre transport: catalog, inventory,
 * orders and fulfilment, plus the modules in `capabilities` (see {@link createMeli}).
 *
 * @example
 * const client = createMeliClient({ transport, accountId: '123456789', capabilities: [meliLabels] });
 */
export function createMeliClient<const Modules extends readonly MeliClientModule[] = []>(
  options: MeliClientOptions & MeliModulesOption<Modules>,
): MeliClientWith<Modules> {
  const { capabilities: modules = [] as unknown as Modules, ...clientOptions } = options;
  return composeMeliClient(clientOptions, modules);
}
