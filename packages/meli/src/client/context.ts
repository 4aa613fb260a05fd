import {
  type CacheSettings,
  type Clock,
  createMemoryCache,
  createReadThroughCache,
  type Instant,
  instantToEpochMs,
  isMlhError,
  MlhError,
  NotFoundError,
  PermissionError,
  type ReadThroughCache,
  systemClock,
  type Transport,
  ValidationError,
} from '@mlh/core';
import type * as itemsApi from '../api/items';
import * as usersApi from '../api/users';
import { MELI_SITE_CURRENCIES } from '../auth';
import {
  DEFAULT_MELI_LISTING,
  type MeliListingDefaults,
  type MeliListingModel,
  type MeliProductRules,
} from '../mappers';
import type { MeliUser } from '../schemas';
import type { MeliContext } from '../transport';

/*
 * What every capability of one account's client shares: the typed-call context, the options,
 * per-account constants and the lookups made once per client (`/users/me`, the listing model).
 * Only these belong here; an operation lives in its capability file. Capabilities may use each
 * other's exported functions in one direction only: fulfillment → orders, never the reverse.
 */

/** What a classic item's stock PUT names: every variation id (read first), or the changed ones only. */
export type MeliStockWrites = 'every-variation' | 'changed-variations';

const STOCK_WRITES: readonly MeliStockWrites[] = ['every-variation', 'changed-variations'];

/** Options of `createMeliClient`. */
export interface MeliClientOptions {
  transport: Transport;
  /** The seller's Mercado Livre user id (the token set's `accountId`). */
  accountId: string;
  /** Your application id: needed by `recoverMissedEvents` (`/missed_feeds`). */
  applicationId?: string | number | undefined;
  /** The seller's site (`MLB`, ...); read from `/users/me` when needed and not given. */
  siteId?: string | undefined;
  /** `auto` (default) reads the seller's `user_product_seller` tag once. */
  listingModel?: 'auto' | MeliListingModel | undefined;
  /** Listing type, condition and buying mode of new listings. */
  listing?: Partial<MeliListingDefaults> | undefined;
  /** Limits used by `validateProduct` (category settings can be stricter). */
  productRules?: Pick<MeliProductRules, 'maxTitleLength' | 'maxPictures' | 'maxVariations'> | undefined;
  /**
   * When to dry-run `POST /items/validate` before a create (one extra call per item).
   * `'multi-item'` (default): only when one product becomes several items (User Products), so a
   * refusal of a later item cannot leave the product half-created. `true`: before every create.
   * `false`: never. A refused `POST /items` creates nothing and reports the same causes, so the
   * dry run of a single item only moves the refusal earlier.
   */
  validateBeforeCreate?: boolean | 'multi-item' | undefined;
  /**
   * What a classic item's stock PUT names. `'every-variation'` (default): every variation id, after
   * one multiget per 20 items, so the PUT cannot delete a variation added elsewhere.
   * `'changed-variations'`: an update naming its variation id (digits) is written without that
   * read, with only the changed variations. Whether Mercado Livre deletes the variations a
   * stock-only PUT leaves out is uncertain: choose this only where you have confirmed it keeps them.
   */
  stockWrites?: MeliStockWrites | undefined;
  /** `bulk` (default, `/items/bulk`) or `legacy` (`/items?ids=`). */
  multiget?: itemsApi.MeliMultigetEndpoint | undefined;
  /** Fetch each order's shipment (address, tracking, shipping cost, shipped/delivered). Default true. */
  includeShipments?: boolean | undefined;
  /** Which reads fetch item descriptions: `single` (getProduct, default), `all`, `none`. */
  descriptions?: 'single' | 'all' | 'none' | undefined;
  /** Parallel requests inside one call (shipments of a page of orders, item writes). Default 4. */
  concurrency?: number | undefined;
  /** ME1 seller notifications path. Default `v2`. */
  me1NotificationVersion?: 'v1' | 'v2' | undefined;
  /**
   * Topics `recoverMissedEvents` asks for, one call each (`items` per site). Default: one call
   * without a topic filter.
   */
  missedFeedTopics?: readonly string[] | undefined;
  clock?: Clock | undefined;
  /**
   * Mercado Livre's messaging agent per site, added to `MELI_MESSAGING_AGENT_IDS` (the agent's
   * messages are read as `from: 'marketplace'`). The published table changes: keep it as configuration.
   */
  messagingAgentIds?: Readonly<Record<string, string>> | undefined;
  /**
   * Where categories are kept, and for how long (default: an in-memory cache of this client;
   * `createMeli` shares one between its accounts). Keys carry the site or category id only:
   * Mercado Livre's categories are the same for every seller of a site.
   */
  cache?: CacheSettings | undefined;
}

/** The shared state of one account's client. Capabilities read it; none writes it. */
export interface MeliAccountContext {
  /** The transport and account of the typed calls in `api/`. */
  readonly context: MeliContext;
  readonly transport: Transport;
  readonly accountId: string;
  readonly options: MeliClientOptions;
  readonly concurrency: number;
  readonly clock: Clock;
  readonly includeShipments: boolean;
  readonly descriptions: 'single' | 'all' | 'none';
  readonly multiget: { readonly endpoint: itemsApi.MeliMultigetEndpoint };
  readonly stockWrites: MeliStockWrites;
  readonly listingDefaults: MeliListingDefaults;
  /** Reads category data through the configured cache. */
  readonly cache: ReadThroughCache;
  /** `/users/me`, asked once (again after a failure). */
  me(): Promise<MeliUser>;
  /** The configured listing model, or the one read from the seller's tags. */
  listingModel(): Promise<MeliListingModel>;
  /** The listing model when already known, without asking. */
  knownListingModel(): MeliListingModel | undefined;
  /** The configured site, or the seller's from `/users/me`. */
  siteId(): Promise<string | undefined>;
  /** The site when known without a new call (configured, or `/users/me` already asked). */
  knownSiteId(): Promise<string | undefined>;
  /** The rules `validateMeliProduct` checks for this account. */
  rules(model: MeliListingModel | undefined, site: string | undefined): MeliProductRules;
}

/** Builds the context of one account; throws a `ValidationError` for an account id that is not a user id. */
export function createAccountContext(options: MeliClientOptions): MeliAccountContext {
  const { transport, accountId } = options;
  if (!/^\d+$/.test(accountId)) {
    throw new ValidationError('Invalid Mercado Livre client options', [
      { path: 'accountId', message: 'must be the seller user id (digits)' },
    ]);
  }
  if (options.stockWrites !== undefined && !STOCK_WRITES.includes(options.stockWrites)) {
    throw new ValidationError('Invalid Mercado Livre client options', [
      { path: 'stockWrites', message: `must be one of ${STOCK_WRITES.join(', ')}` },
    ]);
  }
  let mePromise: Promise<MeliUser> | undefined;
  let resolvedModel: MeliListingModel | undefined =
    options.listingModel && options.listingModel !== 'auto' ? options.listingModel : undefined;
  const context: MeliContext = { transport, accountId };
  const clock = options.clock ?? systemClock;

  const me = (): Promise<MeliUser> => {
    mePromise ??= usersApi.getMe(context).then(
      (response) => response.data,
      (error: unknown) => {
        mePromise = undefined;
        throw error;
      },
    );
    return mePromise;
  };
  const siteId = async (): Promise<string | undefined> => options.siteId ?? (await me()).site_id ?? undefined;

  return Object.freeze({
    context,
    transport,
    accountId,
    options,
    concurrency: Math.max(1, options.concurrency ?? 4),
    clock,
    cache: createReadThroughCache({
      ...options.cache,
      cache: options.cache?.cache ?? createMemoryCache({ clock }),
    }),
    includeShipments: options.includeShipments ?? true,
    descriptions: options.descriptions ?? 'single',
    multiget: Object.freeze({ endpoint: options.multiget ?? 'bulk' }),
    stockWrites: options.stockWrites ?? 'every-variation',
    listingDefaults: Object.freeze({ ...DEFAULT_MELI_LISTING, ...options.listing }),
    me,
    async listingModel(): Promise<MeliListingModel> {
      if (resolvedModel) return resolvedModel;
      const user = await me();
      resolvedModel = user.tags.includes('user_product_seller') ? 'user_products' : 'classic';
      return resolvedModel;
    },
    knownListingModel: () => resolvedModel,
    siteId,
    knownSiteId: async () => options.siteId ?? (mePromise ? await siteId() : undefined),
    rules: (model: MeliListingModel | undefined, site: string | undefined): MeliProductRules => ({
      ...options.productRules,
      model,
      siteId: site,
      currencies: MELI_SITE_CURRENCIES,
    }),
  });
}

export const ITEM_ID = /^[A-Z]{3}\d+$/;

export function toTime(instant: Instant | undefined, path: string): number | undefined {
  if (instant === undefined) return undefined;
  const time = instantToEpochMs(instant);
  if (time === undefined) throw new ValidationError('Invalid date', [{ path, message: 'not a date' }]);
  return time;
}

export function isAbsent(error: unknown): boolean {
  return error instanceof NotFoundError || error instanceof PermissionError;
}

export function asMlhError(error: unknown): MlhError {
  return isMlhError(error)
    ? error
    : new MlhError(error instanceof Error ? error.message : String(error), { marketplace: 'meli' });
}
