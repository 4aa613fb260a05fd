import type {
  MarketplaceClient,
  Product,
  ReturnActionReason,
  ReturnReasonAction,
  TransportRequest,
  TransportResponse,
} from '@mlh/core';
import { TIKTOK } from '../mappers';
import { TIKTOK_CAPABILITIES } from './capabilities';
import { catalog, type TikTokListProductsOptions } from './catalog';
import { bindCategoriesApi, categories, type TikTokCategoriesApi } from './categories';
import { createAccountContext, type TikTokShopClientOptions } from './context';
import { fulfillment } from './fulfillment';
import { inventory } from './inventory';
import { invoicesCapability, type TikTokInvoicesCapability } from './invoices';
import { labelsCapability, type TikTokLabelsCapability } from './labels';
import { messages } from './messages';
import { orders } from './orders';
import { proceedsCapability, type TikTokProceedsCapability } from './proceeds';
import {
  rawApis,
  type TikTokEventsApi,
  type TikTokFulfillmentApi,
  type TikTokLogisticsApi,
  type TikTokOrdersApi,
  type TikTokProductsApi,
} from './raw';
import {
  bindReturnsApi,
  returnsCapability,
  type TikTokReturnsApi,
  type TikTokReturnsCapability,
} from './returns';

/**
 * A TikTok shop through the core `MarketplaceClient` interface, plus TikTok's own calls
 * (`products`, `orders`, `fulfillment`, `logistics`) bound to the same shop.
 */
export interface TikTokShopClient extends MarketplaceClient {
  readonly marketplace: 'tiktok';
  /** Search, detail, create, edit, stock, prices, activate / deactivate / delete, image upload. */
  readonly products: TikTokProductsApi;
  /** Search (page tokens), detail in batches of 50, seller cancellation. */
  readonly orders: TikTokOrdersApi;
  /** Packages: search, detail, ship, batch ship, mark as shipped, tracking, labels, handover slots. */
  readonly fulfillment: TikTokFulfillmentApi;
  /** Warehouses, delivery options, shipping providers. */
  readonly logistics: TikTokLogisticsApi;
  /**
   * The shop's webhook subscriptions (Event API, per shop): `getShopWebhooks`,
   * `updateShopWebhook(eventType, address)`, `deleteShopWebhook(eventType)` and
   * `syncShopWebhooks(desired, { prune })`.
   */
  readonly events: TikTokEventsApi;
  /** Get Categories and Recommend Category, uncached (the core methods read through the cache). */
  readonly categories: TikTokCategoriesApi;
  /** Brazil: uploads the order's NF-e XML for its package (no call reads one back: watch webhook 36). */
  submitInvoice: TikTokInvoicesCapability['submitInvoice'];
  suggestCategories: NonNullable<MarketplaceClient['suggestCategories']>;
  getCategoryTree: NonNullable<MarketplaceClient['getCategoryTree']>;
  getCategory: NonNullable<MarketplaceClient['getCategory']>;
  getCategoryRequirements: NonNullable<MarketplaceClient['getCategoryRequirements']>;
  listProducts(options?: TikTokListProductsOptions): AsyncIterable<Product>;
  cancelOrder(orderExternalId: string, reason?: string): Promise<void>;
  getShippingLabel: TikTokLabelsCapability['getShippingLabel'];
  /** Buyer messages (customer service): only with `customerService: true`, else a `TikTokScopeError`. */
  getOrderConversation: NonNullable<MarketplaceClient['getOrderConversation']>;
  sendOrderMessage: NonNullable<MarketplaceClient['sendOrderMessage']>;
  /** Net proceeds of a settled order (Get Transactions by Order). */
  getOrderProceeds: TikTokProceedsCapability['getOrderProceeds'];
  /** The shop's daily statements (Get Statements). */
  listStatements: TikTokProceedsCapability['listStatements'];
  /** Return and refund calls uncovered by the core model (records, cancellations, reject reasons). */
  readonly returns: TikTokReturnsApi;
  listReturns: TikTokReturnsCapability['listReturns'];
  getReturn: TikTokReturnsCapability['getReturn'];
  acceptReturn: TikTokReturnsCapability['acceptReturn'];
  refuseReturn: TikTokReturnsCapability['refuseReturn'];
  getPartialRefundOptions: TikTokReturnsCapability['getPartialRefundOptions'];
  offerPartialRefund: TikTokReturnsCapability['offerPartialRefund'];
  reviewReturnedItems: TikTokReturnsCapability['reviewReturnedItems'];
  uploadReturnEvidence: TikTokReturnsCapability['uploadReturnEvidence'];
  listReturnActionReasons(externalId: string, action: ReturnReasonAction): Promise<ReturnActionReason[]>;
}

/**
 * Makes the client of one TikTok shop. Cheap: make one per shop, sharing the transport. Each
 * capability (catalog, inventory, orders, fulfillment) is built over the same shop context.
 *
 * @example
 * const client = createTikTokShopClient({ transport, accountId: '7494049642642441621' });
 * for await (const order of client.listOrders({ since: Date.now() - 86_400_000 })) console.log(order.externalId);
 */
export function createTikTokShopClient(options: TikTokShopClientOptions): TikTokShopClient {
  const ctx = createAccountContext(options);
  const { transport, accountId, shopCipher } = ctx;
  return Object.freeze({
    marketplace: TIKTOK,
    accountId,
    capabilities: TIKTOK_CAPABILITIES,
    ...rawApis(ctx.call),
    ...catalog(ctx),
    categories: bindCategoriesApi(ctx),
    ...categories(ctx),
    ...inventory(ctx),
    ...orders(ctx),
    ...fulfillment(ctx),
    ...invoicesCapability(ctx),
    ...labelsCapability(ctx),
    ...messages(ctx),
    ...proceedsCapability(ctx),
    returns: bindReturnsApi(ctx),
    ...returnsCapability(ctx),

    /** Any endpoint, signed and scoped like the typed calls; a JSON answer is parsed losslessly. */
    request<T = unknown>(request: TransportRequest): Promise<TransportResponse<T>> {
      const query = { ...request.query };
      if (shopCipher !== undefined && query.shop_cipher === undefined) query.shop_cipher = shopCipher;
      return transport.request<T>({
        ...request,
        query,
        accountId,
        operation: request.operation ?? `${request.method} ${request.path}`,
      });
    },
  });
}
