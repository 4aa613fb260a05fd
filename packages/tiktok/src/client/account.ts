import {
  describeClientModules,
  type MarketplaceCapabilities,
  type MarketplaceClient,
  type ReturnActionReason,
  type ReturnReasonAction,
} from '@mlh/core';
import { TIKTOK_LEAN_CAPABILITIES } from './capabilities';
import { type TikTokCategoriesApi, tiktokCategories } from './categories';
import { composeTikTokShopClient, type TikTokLeanClient } from './compose';
import type { TikTokShopClientOptions } from './context';
import { tiktokEvents } from './events';
import { type TikTokInvoicesCapability, tiktokInvoices } from './invoices';
import { type TikTokLabelsCapability, tiktokLabels } from './labels';
import { tiktokMessages } from './messages';
import { type TikTokProceedsCapability, tiktokProceeds } from './proceeds';
import {
  type TikTokEventsApi,
  type TikTokFulfillmentApi,
  type TikTokLogisticsApi,
  type TikTokOrdersApi,
  type TikTokProductsApi,
  tiktokRaw,
} from './raw';
import { type TikTokReturnsApi, type TikTokReturnsCapability, tiktokReturns } from './returns';

/**
 * A TikTok shop through the core `MarketplaceClient` interface, plus TikTok's own calls
 * (`products`, `orders`, `fulfillment`, `logistics`) bound to the same shop.
 */
export interface TikTokShopClient extends TikTokLeanClient {
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

/** Every capability module, in the order the full client adds them. */
export const TIKTOK_MODULES = [
  tiktokRaw,
  tiktokEvents,
  tiktokCategories,
  tiktokInvoices,
  tiktokLabels,
  tiktokMessages,
  tiktokProceeds,
  tiktokReturns,
] as const;

/** The capabilities of TikTok Shop, for generic code: the lean client's and every module's. */
export const TIKTOK_CAPABILITIES: MarketplaceCapabilities = /* @__PURE__ */ describeClientModules(
  TIKTOK_LEAN_CAPABILITIES,
  TIKTOK_MODULES,
);

/**
 * Makes the client of one TikTok shop, with every capability. Cheap: make one per shop, sharing
 * the transport. For a smaller bundle, `createTikTokShopClient` of `@mlh/tiktok/lean` takes only
 * the modules an app uses.
 *
 * @example
 * const client = createTikTokShopClient({ transport, accountId: '7494049642642441621' });
 * for await (const order of client.listOrders({ since: Date.now() - 86_400_000 })) console.log(order.externalId);
 */
export function createTikTokShopClient(options: TikTokShopClientOptions): TikTokShopClient {
  return composeTikTokShopClient(options, TIKTOK_MODULES, TIKTOK_CAPABILITIES);
}
