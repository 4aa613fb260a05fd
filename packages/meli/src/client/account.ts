import type {
  MarketplaceCapabilities,
  MarketplaceClient,
  Order,
  TransportRequest,
  TransportResponse,
} from '@mlh/core';
import * as itemsApi from '../api/items';
import type { MeliListingModel } from '../mappers';
import type { MeliPack } from '../schemas';
import { catalogCapability } from './catalog';
import { bindCategoriesApi, categoriesCapability, type MeliCategoriesApi } from './categories';
import { createAccountContext, type MeliClientOptions } from './context';
import { eventsCapability } from './events';
import { fulfillmentCapability } from './fulfillment';
import { inventoryCapability } from './inventory';
import { invoicesCapability } from './invoices';
import { labelsCapability, type MeliLabelsCapability } from './labels';
import { type MeliMessagesApi, messagesCapability } from './messages';
import { ordersCapability } from './orders';
import { proceedsCapability } from './proceeds';
import { type MeliQuestionsApi, questionsCapability } from './questions';
import {
  type MeliItemsApi,
  type MeliNotificationsApi,
  type MeliOrdersApi,
  type MeliShipmentsApi,
  type MeliUsersApi,
  rawApis,
} from './raw';
import {
  MELI_RETURNS_CAPABILITIES,
  type MeliClaimsApi,
  type MeliReturnsCapability,
  returnsCapability,
} from './returns';

/**
 * The Mercado Livre client of one seller account: the core `MarketplaceClient` plus typed
 * calls to the API areas (`users`, `items`, `orders`, `shipments`, `notifications`).
 */
export interface MeliClient extends MarketplaceClient {
  readonly marketplace: 'meli';
  readonly users: MeliUsersApi;
  readonly items: MeliItemsApi;
  readonly orders: MeliOrdersApi;
  readonly shipments: MeliShipmentsApi;
  readonly notifications: MeliNotificationsApi;
  /** Pre-sale questions: search, list, get, answer (`questions` notifications point here). */
  readonly questions: MeliQuestionsApi;
  /** Post-sale messages by pack: conversation, one message, send, attachments, the ME2 action guide. */
  readonly messages: MeliMessagesApi;
  getOrderConversation: NonNullable<MarketplaceClient['getOrderConversation']>;
  sendOrderMessage: NonNullable<MarketplaceClient['sendOrderMessage']>;
  /** Domain discovery, top level, one category, the site dump: uncached (the core methods read through the cache). */
  readonly categories: MeliCategoriesApi;
  suggestCategories: NonNullable<MarketplaceClient['suggestCategories']>;
  getCategoryTree: NonNullable<MarketplaceClient['getCategoryTree']>;
  getCategory: NonNullable<MarketplaceClient['getCategory']>;
  getCategoryRequirements: NonNullable<MarketplaceClient['getCategoryRequirements']>;
  /** The listing model this seller publishes with (configured, or read from the `user_product_seller` tag). */
  listingModel(): Promise<MeliListingModel>;
  /** A pack (cart) with its orders mapped. */
  getPack(packId: string): Promise<{ pack: MeliPack; orders: Order[] }>;
  getShippingLabel: MeliLabelsCapability['getShippingLabel'];
  getShippingLabelFiles: MeliLabelsCapability['getShippingLabelFiles'];
  /** Net proceeds of an order: items, sale fees and the seller's shipping cost (no reported net to check). */
  getOrderProceeds: NonNullable<MarketplaceClient['getOrderProceeds']>;
  /** Claims under Mercado Livre's names (search, get, the return of a claim); the core methods map them. */
  readonly claims: MeliClaimsApi;
  listReturns: MeliReturnsCapability['listReturns'];
  getReturn: MeliReturnsCapability['getReturn'];
  acceptReturn: MeliReturnsCapability['acceptReturn'];
  getPartialRefundOptions: MeliReturnsCapability['getPartialRefundOptions'];
  offerPartialRefund: MeliReturnsCapability['offerPartialRefund'];
  disputeReturn: MeliReturnsCapability['disputeReturn'];
  uploadReturnEvidence: MeliReturnsCapability['uploadReturnEvidence'];
  reviewReturnedItems: MeliReturnsCapability['reviewReturnedItems'];
  sendReturnMessage: MeliReturnsCapability['sendReturnMessage'];
  listReturnActionReasons: MeliReturnsCapability['listReturnActionReasons'];
  /** Brazil: imports the NF-e XML into the order's shipment (releasing its label) and reads it back. */
  submitInvoice: NonNullable<MarketplaceClient['submitInvoice']>;
  getInvoice: NonNullable<MarketplaceClient['getInvoice']>;
}

/** What Mercado Livre lets this SDK do, for generic code. */
export const MELI_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  marketplace: 'meli',
  orderWebhooks: true,
  orderPollIntervalMs: 15 * 60_000,
  missedEventRecovery: true,
  variants: true,
  maxBatch: { getProducts: itemsApi.MELI_MULTIGET_MAX, getOrders: 1, updateInventory: 20, updatePrices: 20 },
  cancelOrder: false,
  sellerFulfillment: true,
  productStatuses: Object.freeze(['active', 'paused', 'inactive'] as const),
  shippingLabels: Object.freeze(['pdf', 'zpl'] as const),
  skuSearch: 'indexed',
  categories: Object.freeze({ suggestions: true, tree: true, requirements: true }),
  returns: MELI_RETURNS_CAPABILITIES,
});

/**
 * Creates the Mercado Livre client of one seller account. Cheap: make one per account per
 * request if you like; they share the transport (and its limits and token manager).
 *
 * @example
 * const client = createMeliClient({ transport, accountId: '123456789' });
 * for await (const order of client.listOrders({ since: lastRun })) await save(order);
 */
export function createMeliClient(options: MeliClientOptions): MeliClient {
  const ctx = createAccountContext(options);
  const { transport, accountId } = ctx;
  const fulfillment = fulfillmentCapability(ctx);
  return Object.freeze({
    marketplace: 'meli' as const,
    accountId,
    capabilities: MELI_CAPABILITIES,
    ...rawApis(ctx),
    listingModel: ctx.listingModel,
    ...catalogCapability(ctx),
    categories: bindCategoriesApi(ctx),
    ...categoriesCapability(ctx),
    ...inventoryCapability(ctx),
    ...ordersCapability(ctx),
    fulfillOrder: fulfillment.fulfillOrder,
    getShipment: (externalId: string) => fulfillment.getShipment(externalId),
    ...labelsCapability(ctx),
    ...questionsCapability(ctx),
    ...invoicesCapability(ctx),
    ...messagesCapability(ctx),
    ...eventsCapability(ctx),
    ...proceedsCapability(ctx),
    ...returnsCapability(ctx),
    request<T = unknown>(raw: TransportRequest): Promise<TransportResponse<T>> {
      return transport.request<T>({ ...raw, accountId });
    },
  });
}
