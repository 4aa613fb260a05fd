import type { MarketplaceCapabilities } from './client';
import { type FieldIssue, type MarketplaceId, ValidationError } from './errors';

/*
 * Capability modules: how an adapter's lean client (`@mlh/<adapter>/lean`) stays small. The lean
 * client holds what every app needs (catalog, inventory, orders, fulfilment, the raw calls of those
 * areas, `request()`); each optional capability (returns, invoices, messages, ...) is a value the
 * app imports from its own subpath and passes in `capabilities: [...]`. A bundler then keeps only
 * the modules the app imports. The full client of each adapter is the same composition with every
 * module, so both go through one code path.
 */

/** What a module may add to a client's `capabilities` descriptor: the parts that describe optional methods. */
export type ClientModuleCapabilities = Partial<
  Pick<MarketplaceCapabilities, 'categories' | 'missedEventRecovery' | 'returns' | 'shippingLabels'>
>;

/**
 * One optional capability of an adapter's client: the members it adds (methods, raw call
 * namespaces), built over the adapter's per-account context, and what it adds to the app object
 * that makes the clients (`createShopee`'s, ...), if anything (the events module's `webhookSource`).
 *
 * @typeParam Context - the adapter's account context (`ShopeeAccountContext`, ...)
 * @typeParam Members - what the module adds to each client
 * @typeParam AppContext - what the adapter's app gives app-level members (credentials, transport)
 * @typeParam AppMembers - what the module adds to the app
 */
export interface ClientModule<
  Context,
  Members extends object,
  AppContext = never,
  AppMembers extends object = object,
> {
  /** The adapter the module belongs to: a module of another marketplace is refused. */
  readonly marketplace: MarketplaceId;
  /** Short name (`returns`, `invoices`, ...); a client takes each name once. */
  readonly name: string;
  /** What the module adds to the client's `capabilities` (the `returns` descriptor, label formats, ...). */
  readonly capabilities: ClientModuleCapabilities;
  /** Builds the members over one account's context; called once per client. */
  readonly build: (ctx: Context) => Members;
  /** Builds the members the module adds to the app; called once per app. */
  readonly app?: ((app: AppContext) => AppMembers) | undefined;
}

/**
 * A module definition made read-only under its marketplace: each adapter's `meliModule`,
 * `shopeeModule`, `tiktokModule` is this with its own context types.
 */
export function defineClientModule<
  Definition extends { name: string; capabilities: ClientModuleCapabilities },
>(marketplace: MarketplaceId, definition: Definition): Readonly<Definition & { marketplace: MarketplaceId }> {
  return Object.freeze({
    ...definition,
    marketplace,
    capabilities: Object.freeze(definition.capabilities),
  });
}

/** Any module, whatever its contexts (the constraint of lists of modules). */
export type AnyClientModule = ClientModule<never, object, never, object>;

/** The members a module adds (`never` for something that is not a module). */
export type ClientModuleMembersOf<Module> =
  Module extends ClientModule<never, infer Members, never, object> ? Members : never;

/** The members a module adds to the app (`never` for something that is not a module). */
export type ClientModuleAppMembersOf<Module> =
  Module extends ClientModule<never, object, never, infer AppMembers> ? AppMembers : never;

/**
 * The members a list of modules adds, as one type (`unknown`, i.e. nothing, for an empty list):
 * `ShopeeLeanClient & ClientModuleMembers<[typeof shopeeReturns]>` has `listReturns`.
 */
export type ClientModuleMembers<Modules extends readonly AnyClientModule[]> = (
  ClientModuleMembersOf<Modules[number]> extends infer Union
    ? Union extends unknown
      ? (value: Union) => void
      : never
    : never
) extends (value: infer Intersection) => void
  ? Intersection
  : never;

/** The members a list of modules adds to the app, as one type (`unknown` when none adds any). */
export type ClientModuleAppMembers<Modules extends readonly AnyClientModule[]> = (
  ClientModuleAppMembersOf<Modules[number]> extends infer Union
    ? Union extends unknown
      ? (value: Union) => void
      : never
    : never
) extends (value: infer Intersection) => void
  ? Intersection
  : never;

/**
 * Checks the modules an app passed (each one of this marketplace, each name once) and returns the
 * descriptor they make with `base`. Throws a `ValidationError` naming the bad entry of
 * `capabilities` before any client exists.
 */
export function describeClientModules(
  base: MarketplaceCapabilities,
  modules: readonly AnyClientModule[],
): MarketplaceCapabilities {
  const issues: FieldIssue[] = [];
  const names = new Set<string>();
  modules.forEach((module, index) => {
    const path = `capabilities[${index}]`;
    if (typeof module !== 'object' || module === null || typeof module.build !== 'function') {
      issues.push({ path, message: `must be a capability module of @mlh/${base.marketplace}` });
    } else if (module.marketplace !== base.marketplace) {
      issues.push({
        path,
        message: `the ${module.name} module of ${module.marketplace} cannot be added to a ${base.marketplace} client`,
      });
    } else if (names.has(module.name)) {
      issues.push({ path, message: `the ${module.name} module is already in the list` });
    } else names.add(module.name);
  });
  if (issues.length > 0) {
    throw new ValidationError('Invalid client capabilities', issues, { marketplace: base.marketplace });
  }
  let capabilities: MarketplaceCapabilities = base;
  for (const module of modules) capabilities = { ...capabilities, ...module.capabilities };
  return Object.freeze(capabilities);
}

/**
 * Builds checked modules (see {@link describeClientModules}) over one account's context: their
 * members, in order, for the adapter to spread into its client.
 */
export function buildClientModules<Context>(
  ctx: Context,
  modules: readonly ClientModule<Context, object, never, object>[],
): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const module of modules) Object.assign(members, module.build(ctx));
  return members;
}

/** Builds what checked modules add to the app, in order, for the adapter to spread into its app. */
export function buildAppModules<AppContext>(
  app: AppContext,
  modules: readonly ClientModule<never, object, AppContext, object>[],
): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const module of modules) if (module.app) Object.assign(members, module.app(app));
  return members;
}
