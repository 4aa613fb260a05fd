import type {
  Category,
  CategoryReadOptions,
  CategoryRequirements,
  CategorySuggestion,
  CategoryTree,
  SuggestCategoriesOptions,
} from './categories';
import type { FieldIssue, MarketplaceId, MlhError } from './errors';
import type { InvoicesCapability } from './invoices';
import type { ShippingLabel, ShippingLabelFormat, ShippingLabelOptions } from './labels';
import type {
  Conversation,
  GetConversationOptions,
  Message,
  OutgoingMessage,
  SendMessageOptions,
} from './messages';
import type { Order, OrderStatus, Product, ProductStatus, SettableProductStatus, Shipment } from './models';
import type { Money } from './money';
import type { OrderProceeds } from './proceeds';
import type {
  AcceptReturnInput,
  DisputeReturnInput,
  ListReturnsOptions,
  PartialRefundInput,
  PartialRefundOptions,
  RefuseReturnInput,
  Return,
  ReturnActionReason,
  ReturnEvidence,
  ReturnMessageInput,
  ReturnReasonAction,
  ReturnsCapabilities,
  ReviewReturnInput,
  UploadReturnEvidenceInput,
} from './returns';
import type { TransportRequest, TransportResponse } from './transport/types';
import type { MlhEvent } from './webhooks/events';

/** A moment: a `Date`, an ISO 8601 string or epoch milliseconds. */
export type Instant = Date | string | number;

/** Filters for {@link MarketplaceClient.listProducts}. */
export interface ListProductsOptions {
  status?: ProductStatus | readonly ProductStatus[];
  /** Only products updated at or after this moment (where the marketplace can filter). */
  updatedSince?: Instant;
  updatedUntil?: Instant;
  /** Page size hint; capped at the marketplace's maximum. */
  pageSize?: number;
  signal?: AbortSignal;
}

/** Filters for {@link MarketplaceClient.listOrders}. */
export interface ListOrdersOptions {
  since?: Instant;
  until?: Instant;
  /** Which time `since`/`until` filter on. Default `updated` (what incremental sync needs). */
  by?: 'created' | 'updated';
  status?: OrderStatus | readonly OrderStatus[];
  pageSize?: number;
  signal?: AbortSignal;
}

/** Sets the absolute stock of one SKU of a listing. */
export interface StockUpdate {
  productExternalId: string;
  /** The variant's marketplace id; omit for a product without variants. */
  variantExternalId?: string | undefined;
  sku?: string | undefined;
  /** Absolute available quantity, never negative. */
  quantity: number;
}

/** Sets the price of one SKU of a listing. */
export interface PriceUpdate {
  productExternalId: string;
  variantExternalId?: string | undefined;
  sku?: string | undefined;
  price: Money;
}

/** One item of a batch that failed, with the reason. */
export interface BatchFailure<T> {
  item: T;
  error: MlhError;
}

/** Outcome of a batch call: marketplaces accept some items and refuse others in one response. */
export interface BatchResult<T> {
  succeeded: T[];
  failed: BatchFailure<T>[];
}

/** Options for creating a listing. */
export interface CreateProductOptions {
  /** Marketplace-specific fields the model does not cover (listing type, logistics, warehouse, ...). */
  marketplaceFields?: Record<string, unknown>;
  /**
   * `createProduct` only: check the listing against its category's requirements (read through the
   * cache, 24 h by default) and throw a `ValidationError` naming each missing attribute before any
   * write. Default `true`; `false` skips the read and leaves the check to the marketplace.
   */
  validateRequirements?: boolean | undefined;
}

/** How an order is shipped by the seller. */
export interface FulfillmentInput {
  /** Carrier name or the marketplace's carrier/provider id. */
  carrier?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  /** Marketplace-arranged pickup, drop-off at a point, or the seller's own carrier. */
  method?: 'pickup' | 'dropoff' | 'seller';
  /** Ship one shipment/package of the order; default: the order's only or first shipment. */
  shipmentId?: string;
  marketplaceFields?: Record<string, unknown>;
}

/** What a marketplace supports, so generic code can adapt without knowing which one it is. */
export interface MarketplaceCapabilities {
  marketplace: MarketplaceId;
  /** Order changes arrive by webhook (otherwise poll). */
  orderWebhooks: boolean;
  /** Suggested polling interval for orders in ms (Shopee: 5 minutes). */
  orderPollIntervalMs: number;
  /** Lost notifications can be recovered (Mercado Livre missed feeds, Shopee lost pushes). */
  missedEventRecovery: boolean;
  /** Products can have several SKUs. */
  variants: boolean;
  /** Largest batches the API accepts. */
  maxBatch: {
    getProducts: number;
    getOrders: number;
    /** Most SKUs one `updateInventory` call should carry. */
    updateInventory: number;
    updatePrices: number;
    /**
     * Most products (listings) one `updateInventory` call should carry, where the adapter reads
     * the products it writes in batches of this many: callers fill a call with whole products up to
     * this many (and `updateInventory` SKUs). Absent: only the SKU bound applies.
     */
    updateInventoryProducts?: number;
  };
  /** The seller can cancel an order through the API. */
  cancelOrder: boolean;
  /** The seller can ship with their own carrier and a tracking number. */
  sellerFulfillment: boolean;
  /** Listing statuses the marketplace can set. */
  productStatuses: readonly ProductStatus[];
  /** Formats `getShippingLabel` can download (absent or empty: no labels through the API). */
  shippingLabels?: readonly ShippingLabelFormat[];
  /**
   * How listings are found by SKU: `indexed`, the marketplace searches by SKU (a call or two per
   * lookup); `scan`, it has no such search and the client reads the whole catalogue for each
   * lookup, so bulk tools should read it once instead. Absent means `indexed`.
   */
  skuSearch?: 'indexed' | 'scan';
  /**
   * Category reads the client offers (absent: none): `suggestions` = `suggestCategories`,
   * `tree` = `getCategoryTree` and `getCategory`, `requirements` = `getCategoryRequirements`.
   */
  categories?: { suggestions: boolean; tree: boolean; requirements?: boolean | undefined } | undefined;
  /** Returns, refunds, cancellations and claims the client reads, and the seller's actions it offers (absent: none). */
  returns?: ReturnsCapabilities | undefined;
}

/**
 * One marketplace account, through one interface. A client is bound to one seller account and
 * immutable: make one per account (they are cheap and share transport, limits and tokens).
 */
/** What a whole catalogue read of an account would cost (see `MarketplaceClient.estimateCatalogRead`). */
export interface CatalogReadEstimate {
  /** Listings on the account now. */
  listings: number;
  /** Calls a full `listProducts()` would make for them (at least 1). */
  calls: number;
}

export interface MarketplaceClient {
  readonly marketplace: MarketplaceId;
  readonly accountId: string;
  readonly capabilities: MarketplaceCapabilities;

  /** Checks a product against this marketplace's requirements without sending anything. */
  validateProduct(product: Product): readonly FieldIssue[];

  /** Every listing of the account, paged under the hood. */
  listProducts(options?: ListProductsOptions): AsyncIterable<Product>;
  getProduct(externalId: string): Promise<Product>;
  /** Many listings, fetched in the marketplace's largest batches; unknown ids are omitted. */
  getProducts(externalIds: readonly string[]): Promise<Product[]>;
  /** Listings that carry this seller SKU (on the product or a variant). Used to avoid duplicates after a lost response. */
  findProductsBySku(sku: string): Promise<Product[]>;
  /**
   * Listings that carry any of these SKUs, in fewer calls than one {@link findProductsBySku} per
   * SKU: offered where the marketplace searches many SKUs in one call. Bulk tools use it for a page
   * of products at once.
   */
  findProductsBySkus?(skus: readonly string[]): Promise<Product[]>;
  /**
   * In one call, how many listings the account has and about how many calls a whole
   * {@link listProducts} read takes: bulk tools weigh one catalogue read against one search per SKU.
   */
  estimateCatalogRead?(options?: { signal?: AbortSignal }): Promise<CatalogReadEstimate>;
  /** Creates a listing. Not retried when its outcome is unknown. */
  createProduct(product: Product, options?: CreateProductOptions): Promise<Product>;
  /** Updates a listing's content (title, description, images, attributes, variants' prices). */
  updateProduct(externalId: string, product: Product, options?: CreateProductOptions): Promise<Product>;
  setProductStatus(externalId: string, status: SettableProductStatus): Promise<void>;
  /** Sets absolute stock for many SKUs, batched to the API's maximum. */
  updateInventory(updates: readonly StockUpdate[]): Promise<BatchResult<StockUpdate>>;
  /** Sets prices for many SKUs, batched to the API's maximum. */
  updatePrices(updates: readonly PriceUpdate[]): Promise<BatchResult<PriceUpdate>>;

  /** Orders of the account, with full detail, paged and batched under the hood. */
  listOrders(options?: ListOrdersOptions): AsyncIterable<Order>;
  getOrder(externalId: string): Promise<Order>;
  getOrders(externalIds: readonly string[]): Promise<Order[]>;
  /** Ships an order with the seller's carrier / tracking number, or arranges pickup/drop-off. */
  fulfillOrder(orderExternalId: string, input: FulfillmentInput): Promise<Shipment>;
  getShipment(externalId: string): Promise<Shipment>;
  /**
   * Downloads the shipping label of a shipment (as `getShipment` names it) once the marketplace
   * has one: ready to ship and arranged with the marketplace's logistics. Before that the
   * marketplace's refusal is thrown as it comes. Formats: `capabilities.shippingLabels`.
   */
  getShippingLabel?(shipmentId: string, options?: ShippingLabelOptions): Promise<ShippingLabel>;
  /** Cancels an order where the marketplace lets the seller (see `capabilities.cancelOrder`). */
  cancelOrder?(orderExternalId: string, reason?: string): Promise<void>;
  /**
   * Notifications the marketplace failed to deliver (Mercado Livre missed feeds, Shopee lost
   * pushes). A source may acknowledge what it yielded once the consumer asks for the next event
   * (Shopee confirms its lost pushes then): stop iterating at an event you could not process and it
   * is delivered again. Events may name other accounts of the same app (Shopee's list is per app).
   */
  recoverMissedEvents?(options?: { since?: Instant }): AsyncIterable<MlhEvent>;

  /** Categories the marketplace suggests for a product title, best first (see `capabilities.categories`). */
  suggestCategories?(title: string, options?: SuggestCategoriesOptions): Promise<CategorySuggestion[]>;
  /** The whole category tree for this account, read through the client's cache. */
  getCategoryTree?(options?: CategoryReadOptions): Promise<CategoryTree>;
  /** One category with its path and children, read through the client's cache; `NotFoundError` when unknown. */
  getCategory?(categoryId: string, options?: CategoryReadOptions): Promise<Category>;
  /** What a listing in this leaf needs (attributes, brand, certifications, package...), read through the cache. */
  getCategoryRequirements?(categoryId: string, options?: CategoryReadOptions): Promise<CategoryRequirements>;

  /**
   * The conversation with the buyer about an order, every message oldest first, with what it says
   * about writing now (`limits`). Offered where the marketplace lets this kind of app read it.
   */
  getOrderConversation?(orderExternalId: string, options?: GetConversationOptions): Promise<Conversation>;
  /**
   * Writes to the buyer of an order. The conversation's limits are read first and the text checked
   * against them; a refusal is thrown before anything is sent. Sent once, never retried.
   */
  sendOrderMessage?(
    orderExternalId: string,
    message: OutgoingMessage,
    options?: SendMessageOptions,
  ): Promise<Message>;
  /**
   * Fees and net proceeds of one order: gross, each fee, shipping, rebate and withholding under the
   * marketplace's own label, and the net, checked against the net the marketplace reports.
   */
  getOrderProceeds?(orderExternalId: string, options?: { signal?: AbortSignal }): Promise<OrderProceeds>;

  /**
   * Returns, refunds, cancellations and claims of the account, with full detail, paged under the
   * hood; pass `updatedSince` to read only what changed (see `capabilities.returns`).
   */
  listReturns?(options?: ListReturnsOptions): AsyncIterable<Return>;
  /** One return by the id `listReturns` and `return.updated` events name; `NotFoundError` when unknown. */
  getReturn?(externalId: string): Promise<Return>;
  /** Agrees to the request (the return, the refund, the cancellation); resolves to the return re-read. Never applied twice: not retried, or retried under the marketplace's idempotency key (TikTok). */
  acceptReturn?(externalId: string, input?: AcceptReturnInput): Promise<Return>;
  /** Refuses the request with a reason from `listReturnActionReasons`; resolves to the return re-read. */
  refuseReturn?(externalId: string, input: RefuseReturnInput): Promise<Return>;
  /** What a partial refund may be for this return right now (percentages or an amount range). */
  getPartialRefundOptions?(externalId: string): Promise<PartialRefundOptions>;
  /** Offers part of the money back, the buyer keeping the goods; resolves to the return re-read. */
  offerPartialRefund?(externalId: string, input: PartialRefundInput): Promise<Return>;
  /** Accepts the buyer's latest counter-proposal; resolves to the return re-read. */
  acceptBuyerOffer?(externalId: string): Promise<Return>;
  /** Asks the marketplace to mediate; resolves to the return re-read. */
  disputeReturn?(externalId: string, input?: DisputeReturnInput): Promise<Return>;
  /** Uploads files to the case; the evidence they became, whose `id`s later actions take. */
  uploadReturnEvidence?(externalId: string, input: UploadReturnEvidenceInput): Promise<ReturnEvidence[]>;
  /** Says whether the goods that came back are as they should be; resolves to the return re-read. */
  reviewReturnedItems?(externalId: string, input: ReviewReturnInput): Promise<Return>;
  /** Writes to the buyer (or the mediator, during a dispute) within the case. */
  sendReturnMessage?(externalId: string, input: ReturnMessageInput): Promise<void>;
  /** The reasons the marketplace accepts for an action on this return right now. */
  listReturnActionReasons?(externalId: string, action: ReturnReasonAction): Promise<ReturnActionReason[]>;
  /** Brazil: attaches the order's NF-e (see `InvoicesCapability`); absent where the marketplace has no invoice API. */
  submitInvoice?: InvoicesCapability['submitInvoice'];
  /** Brazil: the order's NF-e as the marketplace stores it; absent where the API cannot read it back. */
  getInvoice?: InvoicesCapability['getInvoice'];

  /** Escape hatch: any endpoint, through the same signing, auth, retry and limits, scoped to this account. */
  request<T = unknown>(request: TransportRequest): Promise<TransportResponse<T>>;
}

/**
 * The listing calls of a {@link MarketplaceClient}: the slice an adapter's catalog module builds.
 * Adapters assemble their client from these slices, one module per capability.
 */
export type CatalogCapability = Pick<
  MarketplaceClient,
  | 'validateProduct'
  | 'listProducts'
  | 'getProduct'
  | 'getProducts'
  | 'findProductsBySku'
  | 'findProductsBySkus'
  | 'estimateCatalogRead'
  | 'createProduct'
  | 'updateProduct'
  | 'setProductStatus'
>;

/** The stock and price writes of a {@link MarketplaceClient}. */
export type InventoryCapability = Pick<MarketplaceClient, 'updateInventory' | 'updatePrices'>;

/** The order reads of a {@link MarketplaceClient}. */
export type OrdersCapability = Pick<MarketplaceClient, 'listOrders' | 'getOrder' | 'getOrders'>;

/** Shipping an order and reading its shipment, on a {@link MarketplaceClient}. */
export type FulfillmentCapability = Pick<MarketplaceClient, 'fulfillOrder' | 'getShipment'>;

/** Post-sale messages with the buyer of an order, on a {@link MarketplaceClient}. */
export type MessagesCapability = Required<
  Pick<MarketplaceClient, 'getOrderConversation' | 'sendOrderMessage'>
>;

/** The fees-and-proceeds read of a {@link MarketplaceClient}, required. */
export type ProceedsCapability = Required<Pick<MarketplaceClient, 'getOrderProceeds'>>;
/** Returns, refunds, cancellations and claims: reading them and the seller's actions, on a {@link MarketplaceClient}. */
export type ReturnsCapability = Pick<
  MarketplaceClient,
  | 'listReturns'
  | 'getReturn'
  | 'acceptReturn'
  | 'refuseReturn'
  | 'getPartialRefundOptions'
  | 'offerPartialRefund'
  | 'acceptBuyerOffer'
  | 'disputeReturn'
  | 'uploadReturnEvidence'
  | 'reviewReturnedItems'
  | 'sendReturnMessage'
  | 'listReturnActionReasons'
>;

/**
 * Epoch milliseconds of an {@link Instant}, or `undefined` when it names no valid moment
 * (an unparsable string, NaN, or beyond the range of `Date`).
 *
 * @example
 * instantToEpochMs('2026-01-31T12:00:00Z') // 1769860800000
 * instantToEpochMs('yesterday') // undefined
 */
export function instantToEpochMs(instant: Instant): number | undefined {
  const ms =
    instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  return Number.isNaN(new Date(ms).getTime()) ? undefined : ms;
}
