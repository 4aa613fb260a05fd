import * as eventsApi from '../api/events';
import * as fulfillmentApi from '../api/fulfillment';
import * as logisticsApi from '../api/logistics';
import * as ordersApi from '../api/orders';
import * as productsApi from '../api/products';
import type { TikTokCallContext } from '../transport';
import { tiktokModule } from './module';

/** An API function with its call context bound: the same call without the first argument. */
export type Bound<F> = F extends (context: TikTokCallContext, ...args: infer A) => infer R
  ? (...args: A) => R
  : never;
/** The functions of an API module that take a call context, with the context bound. */
export type BoundApi<M> = {
  [K in keyof M as M[K] extends (context: TikTokCallContext, ...args: never[]) => unknown ? K : never]: Bound<
    M[K]
  >;
};

/** Binds every function of an API module that takes a call context to `context`. */
export function bindApi<M extends Record<string, unknown>>(api: M, context: TikTokCallContext): BoundApi<M> {
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(api)) {
    if (typeof value === 'function' && value.length >= 1) {
      bound[name] = (...args: unknown[]) => (value as (...all: unknown[]) => unknown)(context, ...args);
    }
  }
  return bound as BoundApi<M>;
}

/** The raw product calls of `api/products`, bound to the client's shop. */
export type TikTokProductsApi = BoundApi<typeof productsApi>;
/** The raw order calls of `api/orders`, bound to the client's shop. */
export type TikTokOrdersApi = BoundApi<typeof ordersApi>;
/** The raw fulfillment calls of `api/fulfillment`, bound to the client's shop. */
export type TikTokFulfillmentApi = BoundApi<typeof fulfillmentApi>;
/** The raw logistics calls of `api/logistics`, bound to the client's shop. */
export type TikTokLogisticsApi = BoundApi<typeof logisticsApi>;
/** The Event API calls of `api/events` (webhook subscriptions), bound to the client's shop. */
export type TikTokEventsApi = BoundApi<typeof eventsApi>;

/** TikTok's own calls, each bound to the shop of `context` (`events`: the events module's). */
export function rawApis(context: TikTokCallContext) {
  return {
    products: bindApi(productsApi, context),
    orders: bindApi(ordersApi, context),
    fulfillment: bindApi(fulfillmentApi, context),
    logistics: bindApi(logisticsApi, context),
  };
}

/** The Event API calls (webhook subscriptions), bound to the shop of `context`. */
export function bindEventsApi(context: TikTokCallContext): TikTokEventsApi {
  return bindApi(eventsApi, context);
}

/**
 * The raw-calls module: the typed `products`, `orders`, `fulfillment` and `logistics` calls bound
 * to the shop.
 *
 * @example
 * import { tiktokRaw } from '@mlh/tiktok/raw';
 * const client = createTikTokShop({ ...options, capabilities: [tiktokRaw] }).forAccount(shopId);
 * const warehouses = await client.logistics.getWarehouses();
 */
export const tiktokRaw = /* @__PURE__ */ tiktokModule({
  name: 'raw',
  capabilities: {},
  build: (
    ctx,
  ): {
    products: TikTokProductsApi;
    orders: TikTokOrdersApi;
    fulfillment: TikTokFulfillmentApi;
    logistics: TikTokLogisticsApi;
  } => rawApis(ctx.call),
});
