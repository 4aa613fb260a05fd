import {
  type CacheSettings,
  type Clock,
  createMemoryCache,
  createReadThroughCache,
  type ReadThroughCache,
  systemClock,
  type Transport,
  ValidationError,
} from '@mlh/core';
import * as logisticsApi from '../api/logistics';
import { TIKTOK } from '../mappers';
import type { TikTokWarehouse } from '../schemas';
import type { TikTokCallContext } from '../transport';

/** Options of {@link createTikTokShopClient}. */
export interface TikTokShopClientOptions {
  /** The TikTok transport (`createTikTokTransport`), shared by every shop. */
  transport: Transport;
  /** The shop id (what webhooks call `shop_id`). */
  accountId: string;
  /** The shop's cipher, when known; otherwise the transport's resolver finds it. */
  shopCipher?: string | undefined;
  /**
   * Where `updateInventory` puts the units it adds or takes; default the shop's default sales
   * warehouse (asked once). The other warehouses keep their stock whenever the total allows.
   */
  warehouseId?: string | undefined;
  /**
   * The shop's currency, used only where TikTok omits one. No default: without it, a payload
   * with no currency is refused (a `ValidationError`) rather than given a made-up one.
   */
  currency?: string | undefined;
  /** Downloads product images before they are uploaded to TikTok. Default global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** `cancel_reason` sent by `cancelOrder` when none is given. */
  defaultCancelReason?: string | undefined;
  /** How many product details are fetched at once by `getProducts` / `listProducts({ detail })`. Default 4. */
  concurrency?: number | undefined;
  /**
   * Category tree version: `v1` (3 levels; Brazil and most markets, TikTok's default) or `v2`
   * (7 levels; US shops must send it, and one integrator says SEA too). Default: not sent.
   */
  categoryVersion?: 'v1' | 'v2' | undefined;
  /**
   * Where category trees are kept, and for how long (default: an in-memory cache of this client;
   * `createTikTokShop` shares one between its shops). TikTok says categories change often: keep
   * the tree TTL in hours, not days. Keys carry the shop id, locale and version.
   */
  cache?: CacheSettings | undefined;
  /** Clock of the cache's expiry and of `fetchedAt`. */
  clock?: Clock | undefined;
  /**
   * The app holds the `seller.customer_service` scope (TikTok reviews it and, integrators report,
   * grants it only to apps of the "Customer Service/Support" category). Default `false`:
   * `getOrderConversation` and `sendOrderMessage` then throw a `TikTokScopeError` before any call.
   */
  customerService?: boolean | undefined;
}

/**
 * What every capability of one shop's client shares: the shop, its call context, its settings,
 * and the lookups made once per client (the write warehouse). Nothing else lives here.
 */
export interface TikTokAccountContext {
  readonly transport: Transport;
  /** The shop id. */
  readonly accountId: string;
  readonly shopCipher: string | undefined;
  /** The shop bound into every TikTok call. */
  readonly call: TikTokCallContext;
  /** The shop's currency, only for payloads that omit one. */
  readonly currency: string | undefined;
  readonly concurrency: number;
  readonly download: typeof fetch;
  readonly defaultCancelReason: string | undefined;
  readonly categoryVersion: 'v1' | 'v2' | undefined;
  /** Reads category data through the configured cache. */
  readonly cache: ReadThroughCache;
  readonly clock: Clock;
  /** Buyer messages are enabled: the app holds `seller.customer_service`. */
  readonly customerService: boolean;
  /** The warehouse stock is written to: the option, else the shop's default sales warehouse (asked once). */
  warehouseId(): Promise<string>;
  /**
   * True when the write warehouse, picked from the shop's list (no `warehouseId` option), is its only
   * sales warehouse (the list is read again after {@link WAREHOUSE_LIST_TTL_MS}): a stock write then
   * needs no read of the other warehouses' stock.
   */
  writeWarehouseIsAlone(): Promise<boolean>;
}

/**
 * How long a shop's warehouse list is trusted to decide that a stock write touches its only sales
 * warehouse. A warehouse added in Seller Center is noticed within this time; until then a write
 * could leave the new warehouse's units on top of the total.
 */
export const WAREHOUSE_LIST_TTL_MS = 5 * 60_000;

/** Builds the context of one shop's client. */
export function createAccountContext(options: TikTokShopClientOptions): TikTokAccountContext {
  const { transport, accountId } = options;
  const call: TikTokCallContext = { transport, accountId, shopCipher: options.shopCipher };
  let warehouse: Promise<string> | undefined;
  const clock = options.clock ?? systemClock;

  function warehouseId(): Promise<string> {
    if (options.warehouseId) return Promise.resolve(options.warehouseId);
    warehouse ??= warehouseList().then((list) => {
      const picked = logisticsApi.pickSalesWarehouse(list);
      if (!picked) {
        throw new ValidationError(
          `TikTok shop ${accountId} has no warehouse`,
          [
            {
              path: 'warehouseId',
              message: 'no warehouse found: create one in Seller Center or pass warehouseId',
            },
          ],
          { marketplace: TIKTOK },
        );
      }
      return picked.id;
    });
    warehouse.catch(() => {
      warehouse = undefined;
    });
    return warehouse;
  }

  let warehouses: { readAt: number; list: Promise<TikTokWarehouse[]> } | undefined;
  function warehouseList(): Promise<TikTokWarehouse[]> {
    const now = clock.now();
    if (!warehouses || now - warehouses.readAt > WAREHOUSE_LIST_TTL_MS) {
      const read = { readAt: now, list: logisticsApi.getWarehouses(call) };
      warehouses = read;
      read.list.catch(() => {
        if (warehouses === read) warehouses = undefined;
      });
    }
    return warehouses.list;
  }

  async function writeWarehouseIsAlone(): Promise<boolean> {
    // A warehouse named in the options is written without reading the shop's list: the other
    // warehouses' stock is read at each write, as the safe default.
    if (options.warehouseId) return false;
    const [list, written] = await Promise.all([warehouseList(), warehouseId()]);
    const ids = logisticsApi.salesWarehouseIds(list);
    return ids.length === 1 && ids[0] === written;
  }

  return {
    transport,
    accountId,
    shopCipher: options.shopCipher,
    call,
    currency: options.currency,
    concurrency: Math.max(1, options.concurrency ?? 4),
    download:
      options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    defaultCancelReason: options.defaultCancelReason,
    categoryVersion: options.categoryVersion,
    customerService: options.customerService === true,
    cache: createReadThroughCache({
      ...options.cache,
      cache: options.cache?.cache ?? createMemoryCache({ clock }),
    }),
    clock,
    warehouseId,
    writeWarehouseIsAlone,
  };
}
