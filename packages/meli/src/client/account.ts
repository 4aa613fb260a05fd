import { describeClientModules, type MarketplaceCapabilities, type MarketplaceClient } from '@mlh/core';
import { type MeliCategoriesApi, meliCategories } from './categories';
import { composeMeliClient, MELI_LEAN_CAPABILITIES, type MeliLeanClient } from './compose';
import type { MeliClientOptions } from './context';
import { meliEvents } from './events';
import { meliInvoices } from './invoices';
import { type MeliLabelsCapability, meliLabels } from './labels';
import { type MeliMessagesApi, meliMessages } from './messages';
import { meliProceeds } from './proceeds';
import type { MeliQuestionsApi } from './questions';
import {
  type MeliItemsApi,
  type MeliNotificationsApi,
  type MeliOrdersApi,
  type MeliShipmentsApi,
  type MeliUsersApi,
  meliRaw,
} from './raw';
import { type MeliClaimsApi, type MeliReturnsCapability, meliReturns } from './returns';

/**
 * The Mercado Livre client of one seller account: the core `MarketplaceClient` plus typed
 * calls to the API areas (`users`, `items`, `orders`, `shipments`, `notifications`).
 */
export interface MeliClient extends MeliLeanClient {
  readonly users: MeliUsersApi;
  readonly items: MeliItemsApi;
  readonly orders: MeliOrdersApi;
  readonly shipments: MeliShipmentsApi;
  readonly notifications: MeliNotificationsApi;
  /** Notifications Mercado Livre could not deliver (`/missed_feeds`), as core events. */
  recoverMissedEvents: NonNullable<MarketplaceClient['recoverMissedEvents']>;
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

/** Every capability module, in the order the full client adds them. */
export const MELI_MODULES = [
  meliRaw,
  meliEvents,
  meliCategories,
  meliLabels,
  meliMessages,
  meliInvoices,
  meliProceeds,
  meliReturns,
] as const;

/** What Mercado Livre lets this SDK do, for generic code: the lean client's and every module's. */
export const MELI_CAPABILITIES: MarketplaceCapabilities = /* @__PURE__ */ describeClientModules(
  MELI_LEAN_CAPABILITIES,
  MELI_MODULES,
);

/**
 * Creates the Mercado Livre client of one seller account, with every capability. Cheap: make one
 * per account per request if you like; they share the transport (and its limits and token
 * manager). For a smaller bundle, `createMeliClient` of `@mlh/meli/lean` takes only the modules an
 * app uses.
 *
 * @example
 * const client = createMeliClient({ transport, accountId: '123456789' });
 * for await (const order of client.listOrders({ since: lastRun })) await save(order);
 */
export function createMeliClient(options: MeliClientOptions): MeliClient {
  return composeMeliClient(options, MELI_MODULES, MELI_CAPABILITIES);
}
