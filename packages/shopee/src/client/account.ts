import type {
  Instant,
  MarketplaceCapabilities,
  MarketplaceClient,
  MlhEvent,
  ReturnActionReason,
  ReturnReasonAction,
} from '@mlh/core';
import { describeClientModules } from '@mlh/core';
import { type ShopeeCategoriesApi, shopeeCategories } from './categories';
import { composeShopeeClient, SHOPEE_LEAN_CAPABILITIES, type ShopeeLeanClient } from './compose';
import type { ShopeeClientOptions } from './context';
import { shopeeEvents } from './events';
import { type ShopeeInvoicesCapability, shopeeInvoices } from './invoices';
import { type ShopeeLabelsCapability, shopeeLabels } from './labels';
import { type ShopeeProceedsCapability, shopeeProceeds } from './proceeds';
import {
  type ShopeeLogisticsApi,
  type ShopeeMediaApi,
  type ShopeeOrdersApi,
  type ShopeeProductsApi,
  shopeeRaw,
} from './raw';
import { type ShopeeReturnsApi, type ShopeeReturnsCapability, shopeeReturns } from './returns';

/**
 * One Shopee shop, through the core `MarketplaceClient` interface, plus the typed Shopee calls
 * (`products`, `media`, `orders`, `logistics`) for what the core model does not cover.
 */
export interface ShopeeClient extends ShopeeLeanClient {
  readonly products: ShopeeProductsApi;
  readonly media: ShopeeMediaApi;
  readonly orders: ShopeeOrdersApi;
  readonly logistics: ShopeeLogisticsApi;
  /**
   * The app's lost pushes as core events (`push/get_lost_push_message`), each page confirmed only
   * after you asked for the event past it: stop iterating when one fails and it comes back. The
   * list is the app's, so events may name other shops of the app; `since` is ignored (Shopee keeps
   * 3 days). `OrderSync.reconcile` runs it before each poll.
   */
  recoverMissedEvents(options?: { since?: Instant }): AsyncIterable<MlhEvent>;
  getShippingLabel: ShopeeLabelsCapability['getShippingLabel'];
  /** `get_category` and `category_recommend`, uncached (the core methods read through the cache). */
  readonly categories: ShopeeCategoriesApi;
  suggestCategories: NonNullable<MarketplaceClient['suggestCategories']>;
  getCategoryTree: NonNullable<MarketplaceClient['getCategoryTree']>;
  getCategory: NonNullable<MarketplaceClient['getCategory']>;
  getCategoryRequirements: NonNullable<MarketplaceClient['getCategoryRequirements']>;
  /** Net proceeds of an order from its escrow (`payment/get_escrow_detail`). */
  getOrderProceeds: ShopeeProceedsCapability['getOrderProceeds'];
  /** Escrows released in a period (`payment/get_escrow_list`). */
  listEscrowReleases: ShopeeProceedsCapability['listEscrowReleases'];
  /** Brazil: attaches the NF-e (XML upload, PDF, or invoice data) and reads `invoice_data` back. */
  submitInvoice: ShopeeInvoicesCapability['submitInvoice'];
  getInvoice: ShopeeInvoicesCapability['getInvoice'];
  downloadInvoiceDocument: ShopeeInvoicesCapability['downloadInvoiceDocument'];
  /** The `returns` module's calls, uncovered by the core model (cancel a dispute, read the proof, …). */
  readonly returns: ShopeeReturnsApi;
  listReturns: ShopeeReturnsCapability['listReturns'];
  getReturn: ShopeeReturnsCapability['getReturn'];
  acceptReturn: ShopeeReturnsCapability['acceptReturn'];
  getPartialRefundOptions: ShopeeReturnsCapability['getPartialRefundOptions'];
  offerPartialRefund: ShopeeReturnsCapability['offerPartialRefund'];
  acceptBuyerOffer: ShopeeReturnsCapability['acceptBuyerOffer'];
  disputeReturn: ShopeeReturnsCapability['disputeReturn'];
  uploadReturnEvidence: ShopeeReturnsCapability['uploadReturnEvidence'];
  listReturnActionReasons(externalId: string, action: ReturnReasonAction): Promise<ReturnActionReason[]>;
}

/** Every capability module, in the order the full client adds them. */
export const SHOPEE_MODULES = [
  shopeeRaw,
  shopeeEvents,
  shopeeCategories,
  shopeeLabels,
  shopeeProceeds,
  shopeeInvoices,
  shopeeReturns,
] as const;

/** Shopee's capabilities for generic code: the lean client's and every module's. */
export const SHOPEE_CAPABILITIES: MarketplaceCapabilities = /* @__PURE__ */ describeClientModules(
  SHOPEE_LEAN_CAPABILITIES,
  SHOPEE_MODULES,
);

/**
 * Creates the `MarketplaceClient` of one Shopee shop, with every capability. Immutable and cheap:
 * make one per account; they share the transport (and its limits and token manager). For a smaller
 * bundle, `createShopeeClient` of `@mlh/shopee/lean` takes only the modules an app uses.
 *
 * @example
 * const client = createShopeeClient({ transport, accountId: shopAccountId(process.env.SHOPEE_SHOP_ID!) });
 * for await (const order of client.listOrders({ since: Date.now() - 3_600_000 })) console.log(order.externalId);
 */
export function createShopeeClient(options: ShopeeClientOptions): ShopeeClient {
  return composeShopeeClient(options, SHOPEE_MODULES, SHOPEE_CAPABILITIES);
}
