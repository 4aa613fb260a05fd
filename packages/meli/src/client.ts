import {
  asArray,
  type BatchResult,
  type Clock,
  type CreateProductOptions,
  createTokenManager,
  type FieldIssue,
  type FulfillmentInput,
  FulfillmentInputSchema,
  type Instant,
  instantToEpochMs,
  isMlhError,
  type ListOrdersOptions,
  type ListProductsOptions,
  type MarketplaceCapabilities,
  type MarketplaceClient,
  MlhError,
  type MlhEvent,
  mapLimit,
  NotFoundError,
  type Order,
  OrderStatus,
  PermissionError,
  type PriceUpdate,
  PriceUpdateInput,
  Product,
  ProductStatus,
  parseOrThrow,
  SettableProductStatus,
  type Shipment,
  type StockUpdate,
  StockUpdateInput,
  type StoredTokenSet,
  systemClock,
  type TokenManager,
  type TokenStore,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  toFieldIssues,
  ValidationError,
  type WebhookSource,
} from '@mlh/core';
import * as z from 'zod';
import * as itemsApi from './api/items';
import * as notificationsApi from './api/notifications';
import * as ordersApi from './api/orders';
import * as shipmentsApi from './api/shipments';
import * as usersApi from './api/users';
import {
  createMeliAuthorizationRequest,
  exchangeMeliCode,
  MELI_SITE_CURRENCIES,
  type MeliAccountMismatch,
  type MeliAppCredentials,
  type MeliAuthorizationRequest,
  type MeliCallbackInput,
  meliTokenRefresher,
  readMeliCallback,
} from './auth';
import {
  combineUserProductItems,
  DEFAULT_MELI_LISTING,
  findVariation,
  isUserProductItem,
  MELI_ITEM_STATUS_FROM_PRODUCT,
  MELI_ORDER_STATUS,
  type MeliListingDefaults,
  type MeliListingModel,
  type MeliPartialContent,
  type MeliProductRules,
  mapMeliItem,
  mapMeliOrder,
  mapMeliShipment,
  meliPriceIssues,
  productToClassicItem,
  productToClassicUpdate,
  productToUserProductItems,
  productToUserProductUpdate,
  validateMeliProduct,
} from './mappers';
import type {
  MeliCarrier,
  MeliCustomShipmentUpdate,
  MeliDescription,
  MeliItem,
  MeliItemSearch,
  MeliItemUpdate,
  MeliMissedFeeds,
  MeliNewItem,
  MeliOrder,
  MeliOrderSearch,
  MeliOrderShipmentRefs,
  MeliPack,
  MeliSellerNotification,
  MeliShipment,
  MeliShipmentHistory,
  MeliShipmentOrders,
  MeliShipmentStatusCatalogue,
  MeliUser,
  MeliUserProductStock,
  MeliVariation,
} from './schemas';
import {
  createMeliTransport,
  type MeliContext,
  type MeliResponse,
  type MeliTransportOptions,
} from './transport';
import { type MeliNotificationOptions, meliWebhookSource, parseMeliNotification } from './webhooks';

// ---------------------------------------------------------------------------------------------
// Typed API namespaces, bound to the client's account

/** `client.users`: the seller's profile. */
export interface MeliUsersApi {
  me(): Promise<MeliResponse<MeliUser>>;
  get(userId: string): Promise<MeliResponse<MeliUser>>;
}

/** `client.items`: listings of this seller. */
export interface MeliItemsApi {
  get(itemId: string): Promise<MeliResponse<MeliItem>>;
  /** Multiget in chunks of 20; unknown ids land in `notFound`. */
  getMany(itemIds: readonly string[]): Promise<itemsApi.MeliItemsResult>;
  /** `POST /items`: never repeated after an unknown outcome. */
  create(body: MeliNewItem): Promise<MeliResponse<MeliItem>>;
  /** `POST /items/validate`: resolves when valid, throws a `ValidationError` with the causes otherwise. */
  validate(body: MeliNewItem): Promise<void>;
  update(
    itemId: string,
    body: MeliItemUpdate,
    options?: { idempotent?: boolean },
  ): Promise<MeliResponse<MeliItem>>;
  setStatus(itemId: string, status: 'active' | 'paused' | 'closed'): Promise<MeliResponse<MeliItem>>;
  delete(itemId: string): Promise<MeliResponse<MeliItem>>;
  getDescription(itemId: string): Promise<MeliResponse<MeliDescription>>;
  setDescription(itemId: string, plainText: string): Promise<void>;
  /** One page of this seller's item search (ids only). */
  search(
    query?: itemsApi.MeliItemSearchFilters & {
      offset?: number;
      limit?: number;
      search_type?: 'scan';
      scroll_id?: string;
    },
  ): Promise<MeliResponse<MeliItemSearch>>;
  /**
   * Every item id of this seller, each once: offset paging when at most 1000 match, else a scan
   * that starts over (skipping ids already given) when its 5-minute `scroll_id` expires.
   */
  iterateIds(
    filters?: itemsApi.MeliItemSearchFilters,
    options?: itemsApi.MeliItemIdsOptions,
  ): AsyncGenerator<string>;
  getUserProductStock(userProductId: string): Promise<MeliResponse<MeliUserProductStock>>;
}

/** `client.orders`: this seller's orders and packs. */
export interface MeliOrdersApi {
  get(orderId: string): Promise<MeliResponse<MeliOrder>>;
  /** One page of `/orders/search`; `seller` defaults to this account. */
  search(query?: Partial<ordersApi.MeliOrderSearchQuery>): Promise<MeliResponse<MeliOrderSearch>>;
  /** Every order matching the filters; `seller` defaults to this account. */
  iterate(
    filters?: Partial<ordersApi.MeliOrderFilters>,
    options?: { pageSize?: number },
  ): AsyncGenerator<MeliOrder>;
  getPack(packId: string): Promise<MeliResponse<MeliPack>>;
  /** `[{ id, type }]` of the order's shipments (forward, return, ...). */
  getShipments(orderId: string): Promise<MeliResponse<MeliOrderShipmentRefs>>;
}

/** `client.shipments`: shipments (always with `x-format-new: true`). */
export interface MeliShipmentsApi {
  get(shipmentId: string): Promise<MeliResponse<MeliShipment>>;
  getOrders(shipmentId: string): Promise<MeliResponse<MeliShipmentOrders>>;
  getHistory(shipmentId: string): Promise<MeliResponse<MeliShipmentHistory>>;
  getCarrier(shipmentId: string): Promise<MeliResponse<MeliCarrier>>;
  getStatuses(): Promise<MeliResponse<MeliShipmentStatusCatalogue>>;
  /** ME1 progress report (shipped, delivered, returning). */
  notifySeller(shipmentId: string, notification: MeliSellerNotification): Promise<void>;
  /** Custom-shipping status and tracking. */
  updateCustom(shipmentId: string, update: MeliCustomShipmentUpdate): Promise<void>;
}

/** `client.notifications`: missed-feeds recovery. */
export interface MeliNotificationsApi {
  missedFeeds(query?: Partial<notificationsApi.MissedFeedsQuery>): Promise<MeliResponse<MeliMissedFeeds>>;
  iterateMissedFeeds(
    query?: Partial<Omit<notificationsApi.MissedFeedsQuery, 'offset'>>,
  ): AsyncGenerator<unknown>;
}

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
  /** The listing model this seller publishes with (configured, or read from the `user_product_seller` tag). */
  listingModel(): Promise<MeliListingModel>;
  /** A pack (cart) with its orders mapped. */
  getPack(packId: string): Promise<{ pack: MeliPack; orders: Order[] }>;
}

/** Options of {@link createMeliClient}. */
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
  /** Dry-run `POST /items/validate` before each create. Default true. */
  validateBeforeCreate?: boolean | undefined;
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
}

/** A User Products creation that stopped after some items were created. */
export class MeliPartialCreateError extends MlhError {
  /** The items created before the failure: they exist on Mercado Livre. */
  readonly createdItemIds: readonly string[];
  constructor(createdItemIds: readonly string[], cause: unknown) {
    super(
      `Mercado Livre created ${createdItemIds.length} item(s) (${createdItemIds.join(', ')}) of the product, then failed: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      {
        marketplace: 'meli',
        code: 'partial_create',
        cause,
        status: isMlhError(cause) ? cause.status : undefined,
      },
    );
    this.createdItemIds = createdItemIds;
  }
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
});

/** Core product status → the statuses to ask the seller item search for. */
const ITEM_SEARCH_STATUSES: Readonly<Record<ProductStatus, readonly string[] | undefined>> = {
  active: ['active'],
  // `payment_required` reads as paused (it comes back once paid), so a paused filter asks for it.
  paused: ['paused', 'payment_required'],
  inactive: ['closed', 'under_review', 'inactive', 'pending', 'not_yet_active', 'programmed'],
  // An unknown status cannot be asked for by name: search every status and keep the unknown ones.
  unknown: undefined,
};

const ITEM_ID = /^[A-Z]{3}\d+$/;

/** Mercado Livre shipment ids are numeric. */
const MeliFulfillmentInput = FulfillmentInputSchema.extend({
  shipmentId: z.string().regex(/^\d+$/).optional(),
});

function toTime(instant: Instant | undefined, path: string): number | undefined {
  if (instant === undefined) return undefined;
  const time = instantToEpochMs(instant);
  if (time === undefined) throw new ValidationError('Invalid date', [{ path, message: 'not a date' }]);
  return time;
}

function isAbsent(error: unknown): boolean {
  return error instanceof NotFoundError || error instanceof PermissionError;
}

function asMlhError(error: unknown): MlhError {
  return isMlhError(error)
    ? error
    : new MlhError(error instanceof Error ? error.message : String(error), { marketplace: 'meli' });
}

/**
 * Creates the Mercado Livre client of one seller account. Cheap: make one per account per
 * request if you like; they share the transport (and its limits and token manager).
 *
 * @example
 * const client = createMeliClient({ transport, accountId: '123456789' });
 * for await (const order of client.listOrders({ since: lastRun })) await save(order);
 */
export function createMeliClient(options: MeliClientOptions): MeliClient {
  const { transport, accountId } = options;
  if (!/^\d+$/.test(accountId)) {
    throw new ValidationError('Invalid Mercado Livre client options', [
      { path: 'accountId', message: 'must be the seller user id (digits)' },
    ]);
  }
  const context: MeliContext = { transport, accountId };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const clock = options.clock ?? systemClock;
  const includeShipments = options.includeShipments ?? true;
  const descriptions = options.descriptions ?? 'single';
  const multiget = { endpoint: options.multiget ?? 'bulk' } as const;
  const listingDefaults: MeliListingDefaults = { ...DEFAULT_MELI_LISTING, ...options.listing };

  let mePromise: Promise<MeliUser> | undefined;
  let resolvedModel: MeliListingModel | undefined =
    options.listingModel && options.listingModel !== 'auto' ? options.listingModel : undefined;

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

  const listingModel = async (): Promise<MeliListingModel> => {
    if (resolvedModel) return resolvedModel;
    const user = await me();
    resolvedModel = user.tags.includes('user_product_seller') ? 'user_products' : 'classic';
    return resolvedModel;
  };

  const siteId = async (): Promise<string | undefined> => options.siteId ?? (await me()).site_id ?? undefined;

  const rules = (model: MeliListingModel | undefined, site: string | undefined): MeliProductRules => ({
    ...options.productRules,
    model,
    siteId: site,
    currencies: MELI_SITE_CURRENCIES,
  });

  async function descriptionOf(itemId: string): Promise<string | undefined> {
    try {
      const description = await itemsApi.getItemDescription(context, itemId);
      return description.data.plain_text ?? description.data.text ?? undefined;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async function mapItems(items: readonly MeliItem[], partial: MeliPartialContent | undefined) {
    return mapLimit(items, concurrency, async (item) =>
      mapMeliItem(item, {
        description: descriptions === 'all' ? await descriptionOf(item.id) : undefined,
        partial,
      }),
    );
  }

  async function getProducts(externalIds: readonly string[]): Promise<Product[]> {
    if (externalIds.length === 0) return [];
    const result = await itemsApi.getItems(context, externalIds, multiget);
    return mapItems(result.items, result.partial);
  }

  async function getProduct(externalId: string): Promise<Product> {
    const item = await itemsApi.getItem(context, externalId);
    const description = descriptions === 'none' ? undefined : await descriptionOf(externalId);
    return mapMeliItem(item.data, { description, partial: item.partial });
  }

  /** After a successful create, a failed description must not look like a failed create. */
  async function describeCreated(itemIds: readonly string[], text: string): Promise<FieldIssue[]> {
    if (text === '') return [];
    const warnings: FieldIssue[] = [];
    for (const itemId of itemIds) {
      try {
        await itemsApi.setItemDescription(context, itemId, text);
      } catch (error) {
        warnings.push({
          path: 'description',
          message: `item ${itemId} was created but its description was not saved: ${asMlhError(error).message}`,
          code: 'description_not_saved',
        });
      }
    }
    return warnings;
  }

  function withWarnings(product: Product, warnings: FieldIssue[]): Product {
    return warnings.length > 0 ? { ...product, warnings } : product;
  }

  async function createProduct(input: Product, createOptions: CreateProductOptions = {}): Promise<Product> {
    const product = parseOrThrow(Product, input, 'product', { marketplace: 'meli' });
    const model = await listingModel();
    const site = options.siteId ?? (mePromise ? await siteId() : undefined);
    const issues = validateMeliProduct(product, rules(model, site));
    if (issues.length > 0) {
      throw new ValidationError('Product cannot be listed on Mercado Livre', issues, { marketplace: 'meli' });
    }
    const fields = createOptions.marketplaceFields ?? {};
    const validate = options.validateBeforeCreate ?? true;

    if (model === 'classic') {
      const body = productToClassicItem(product, listingDefaults, fields) as MeliNewItem;
      if (validate) await itemsApi.validateItem(context, body);
      const created = await itemsApi.createItem(context, body);
      const warnings = await describeCreated([created.data.id], product.description);
      return withWarnings(
        mapMeliItem(created.data, { description: product.description, partial: created.partial }),
        warnings,
      );
    }

    const bodies = productToUserProductItems(product, listingDefaults, fields) as MeliNewItem[];
    if (validate) {
      for (const body of bodies) await itemsApi.validateItem(context, body);
    }
    const created: MeliItem[] = [];
    for (const body of bodies) {
      try {
        created.push((await itemsApi.createItem(context, body)).data);
      } catch (error) {
        if (created.length === 0) throw error;
        throw new MeliPartialCreateError(
          created.map((item) => item.id),
          error,
        );
      }
    }
    const warnings = await describeCreated(
      created.map((item) => item.id),
      product.description,
    );
    return withWarnings(
      combineUserProductItems(created, { title: product.title, description: product.description }),
      warnings,
    );
  }

  async function updateDescriptions(itemIds: readonly string[], text: string, current: string | undefined) {
    if ((current ?? '') === text) return;
    for (const itemId of itemIds) await itemsApi.setItemDescription(context, itemId, text);
  }

  async function updateProduct(
    externalId: string,
    input: Product,
    updateOptions: CreateProductOptions = {},
  ): Promise<Product> {
    const product = parseOrThrow(Product, input, 'product', { marketplace: 'meli' });
    const current = (await itemsApi.getItem(context, externalId)).data;
    const model: MeliListingModel = isUserProductItem(current) ? 'user_products' : 'classic';
    const issues = validateMeliProduct(
      product,
      rules(model, options.siteId ?? current.site_id ?? undefined),
    ).filter((issue) => issue.path !== 'categoryId');
    // The listing's own currency is the authority: a price in another one would be misread.
    if (current.currency_id && product.price.currency !== current.currency_id) {
      if (!issues.some((issue) => issue.path === 'price.currency')) {
        issues.push({
          path: 'price.currency',
          message: `item ${current.id} sells in ${current.currency_id}, not ${product.price.currency}`,
        });
      }
    }
    const fields = updateOptions.marketplaceFields ?? {};

    if (model === 'classic') {
      if (issues.length > 0) {
        throw new ValidationError('Product cannot be listed on Mercado Livre', issues, {
          marketplace: 'meli',
        });
      }
      const plan = productToClassicUpdate(current, product);
      await itemsApi.updateItem(context, externalId, { ...plan.body, ...fields } as MeliItemUpdate, {
        idempotent: !plan.addsVariations,
      });
      await updateDescriptions([externalId], product.description, await descriptionOf(externalId));
      return getProduct(externalId);
    }

    const targets = product.variants.map((variant, index) => {
      const itemId =
        variant.externalId && ITEM_ID.test(variant.externalId)
          ? variant.externalId
          : product.variants.length === 1
            ? externalId
            : undefined;
      if (!itemId) {
        issues.push({
          path: `variants.${index}.externalId`,
          message: 'a new variant of a User Products listing is a new item: publish it with createProduct',
        });
      }
      return { index, itemId: itemId ?? '' };
    });
    if (issues.length > 0) {
      throw new ValidationError('Product cannot be listed on Mercado Livre', issues, { marketplace: 'meli' });
    }
    const items = await itemsApi.getItems(
      context,
      targets.map((target) => target.itemId),
      multiget,
    );
    const byId = new Map(items.items.map((item) => [item.id, item]));
    for (const target of targets) {
      const item = byId.get(target.itemId);
      if (!item) {
        throw new NotFoundError(`Mercado Livre item ${target.itemId} not found`, {
          marketplace: 'meli',
          status: 404,
        });
      }
      const body = {
        ...productToUserProductUpdate(item, product, target.index),
        ...fields,
      } as MeliItemUpdate;
      await itemsApi.updateItem(context, target.itemId, body, { idempotent: true });
    }
    const ids = targets.map((target) => target.itemId);
    await updateDescriptions(ids, product.description, await descriptionOf(externalId));
    const updated = await itemsApi.getItems(context, ids, multiget);
    return combineUserProductItems(updated.items, { title: product.title, description: product.description });
  }

  interface Resolved<U> {
    update: U;
    index: number;
    variation: MeliVariation | undefined;
  }

  /**
   * Applies stock or price updates grouped by item: one multiget for the current items, then one
   * PUT per item carrying every variation id (a classic PUT deletes the variations it omits).
   */
  async function writeGrouped<U extends StockUpdate | PriceUpdate>(
    updates: readonly U[],
    schema: z.ZodType,
    what: string,
    buildBody: (item: MeliItem, entries: Resolved<U>[]) => MeliItemUpdate | MlhError,
    checkEntry: (item: MeliItem, update: U) => MlhError | undefined = () => undefined,
  ): Promise<BatchResult<U>> {
    const succeeded: Array<{ update: U; index: number }> = [];
    const failed: Array<{ item: U; error: MlhError; index: number }> = [];
    const groups = new Map<string, Array<{ update: U; index: number }>>();

    updates.forEach((update, index) => {
      const parsed = schema.safeParse(update);
      if (!parsed.success) {
        failed.push({
          item: update,
          index,
          error: new ValidationError(`Invalid ${what}`, toFieldIssues(parsed.error.issues), {
            marketplace: 'meli',
          }),
        });
        return;
      }
      const itemId =
        update.variantExternalId && ITEM_ID.test(update.variantExternalId)
          ? update.variantExternalId
          : update.productExternalId;
      if (!ITEM_ID.test(itemId)) {
        failed.push({
          item: update,
          index,
          error: new ValidationError(`Invalid ${what}`, [
            { path: 'productExternalId', message: 'not a Mercado Livre item id (e.g. MLB123)' },
          ]),
        });
        return;
      }
      const group = groups.get(itemId) ?? [];
      group.push({ update, index });
      groups.set(itemId, group);
    });

    const failGroup = (entries: Array<{ update: U; index: number }>, error: MlhError) => {
      for (const entry of entries) failed.push({ item: entry.update, index: entry.index, error });
    };

    let current: Map<string, MeliItem> = new Map();
    try {
      const result = await itemsApi.getItems(context, [...groups.keys()], multiget);
      current = new Map(result.items.map((item) => [item.id, item]));
    } catch (error) {
      for (const entries of groups.values()) failGroup(entries, asMlhError(error));
      groups.clear();
    }

    await mapLimit([...groups], concurrency, async ([itemId, entries]) => {
      const item = current.get(itemId);
      if (!item) {
        failGroup(
          entries,
          new NotFoundError(`Mercado Livre item ${itemId} not found`, { marketplace: 'meli' }),
        );
        return;
      }
      const resolved: Resolved<U>[] = [];
      for (const entry of entries) {
        const { update } = entry;
        const refused = checkEntry(item, update);
        if (refused) {
          failGroup([entry], refused);
          continue;
        }
        const pointsAtItem = update.variantExternalId === undefined || update.variantExternalId === item.id;
        if (item.variations.length > 0) {
          const variation = findVariation(item, {
            variantExternalId: pointsAtItem ? undefined : update.variantExternalId,
            sku: update.sku,
          });
          if (!variation) {
            failGroup(
              [entry],
              new NotFoundError(
                `No variation of ${item.id} matches ${update.variantExternalId ?? update.sku ?? '(none)'}`,
                {
                  marketplace: 'meli',
                },
              ),
            );
            continue;
          }
          resolved.push({ ...entry, variation });
        } else if (!pointsAtItem) {
          failGroup(
            [entry],
            new NotFoundError(`Item ${item.id} has no variation ${update.variantExternalId}`, {
              marketplace: 'meli',
            }),
          );
        } else {
          resolved.push({ ...entry, variation: undefined });
        }
      }
      if (resolved.length === 0) return;
      const body = buildBody(item, resolved);
      if (body instanceof MlhError) {
        failGroup(resolved, body);
        return;
      }
      try {
        await itemsApi.updateItem(context, item.id, body, { idempotent: true, operation: `items.${what}` });
        succeeded.push(...resolved);
      } catch (error) {
        failGroup(resolved, asMlhError(error));
      }
    });

    return {
      succeeded: succeeded.sort((a, b) => a.index - b.index).map((entry) => entry.update),
      failed: failed.sort((a, b) => a.index - b.index).map(({ item, error }) => ({ item, error })),
    };
  }

  function updateInventory(updates: readonly StockUpdate[]): Promise<BatchResult<StockUpdate>> {
    return writeGrouped(updates, StockUpdateInput, 'stock', (item, entries) => {
      if (item.variations.length === 0) {
        return { available_quantity: entries[entries.length - 1]?.update.quantity ?? 0 };
      }
      const quantities = new Map(
        entries.map((entry) => [String(entry.variation?.id), entry.update.quantity]),
      );
      return {
        variations: item.variations.map((variation) => {
          const quantity = quantities.get(String(variation.id));
          return quantity === undefined
            ? { id: variation.id }
            : { id: variation.id, available_quantity: quantity };
        }),
      };
    });
  }

  function updatePrices(updates: readonly PriceUpdate[]): Promise<BatchResult<PriceUpdate>> {
    return writeGrouped(
      updates,
      PriceUpdateInput,
      'price',
      (item, entries) => {
        const numbers = new Map(
          entries.map((entry) => [String(entry.variation?.id ?? item.id), Number(entry.update.price.amount)]),
        );
        if (item.variations.length === 0) return { price: [...numbers.values()].pop() as number };
        const finalPrices = item.variations.map((variation) => ({
          id: variation.id,
          price: numbers.get(String(variation.id)) ?? Number(variation.price ?? item.price),
        }));
        if (!isUserProductItem(item) && new Set(finalPrices.map((variation) => variation.price)).size > 1) {
          return new ValidationError('Invalid price update', [
            {
              path: 'price.amount',
              message: `the variations of classic listing ${item.id} share one price: set the same price on all of them`,
            },
          ]);
        }
        return { variations: finalPrices };
      },
      (item, update) => {
        if (update.price.currency !== item.currency_id) {
          return new ValidationError('Invalid price update', [
            {
              path: 'price.currency',
              message: `item ${item.id} sells in ${item.currency_id ?? '?'}, not ${update.price.currency}`,
            },
          ]);
        }
        const issues = meliPriceIssues(update.price, 'price.amount');
        return issues.length > 0
          ? new ValidationError('Invalid price update', issues, { marketplace: 'meli' })
          : undefined;
      },
    );
  }

  async function* listProducts(listOptions: ListProductsOptions = {}): AsyncGenerator<Product> {
    const statuses = asArray(listOptions.status);
    if (statuses) parseOrThrow(z.array(ProductStatus), statuses, 'listProducts status');
    const since = toTime(listOptions.updatedSince, 'updatedSince');
    const until = toTime(listOptions.updatedUntil, 'updatedUntil');
    const searchStatuses = statuses?.every((status) => ITEM_SEARCH_STATUSES[status] !== undefined)
      ? [...new Set(statuses.flatMap((status) => ITEM_SEARCH_STATUSES[status] ?? []))]
      : [undefined];
    const pageSize = Math.min(listOptions.pageSize ?? itemsApi.MELI_MULTIGET_MAX, itemsApi.MELI_MULTIGET_MAX);

    const accept = (product: Product): boolean => {
      if (statuses && !statuses.includes(product.status)) return false;
      const updated = product.updatedAt ? Date.parse(product.updatedAt) : undefined;
      if (since !== undefined && (updated === undefined || updated < since)) return false;
      if (until !== undefined && updated !== undefined && updated >= until) return false;
      return true;
    };

    // An item that changes status between two searches must come out once.
    const seen = new Set<string>();
    for (const status of searchStatuses) {
      let batch: string[] = [];
      const flush = async () => {
        const products = await getProducts(batch);
        batch = [];
        return products.filter(accept);
      };
      for await (const id of itemsApi.iterateSellerItemIds(context, accountId, { status })) {
        listOptions.signal?.throwIfAborted();
        if (seen.has(id)) continue;
        seen.add(id);
        batch.push(id);
        if (batch.length >= pageSize) yield* await flush();
      }
      if (batch.length > 0) yield* await flush();
    }
  }

  async function findProductsBySku(sku: string): Promise<Product[]> {
    if (!sku) throw new ValidationError('Invalid SKU', [{ path: 'sku', message: 'required' }]);
    // `seller_sku` finds the SELLER_SKU attribute, `sku` finds seller_custom_field: the two are not
    // linked, and a seller may keep the SKU in either.
    const ids = new Set<string>();
    for (const filter of [{ seller_sku: sku }, { sku }]) {
      for await (const id of itemsApi.iterateSellerItemIds(context, accountId, filter)) ids.add(id);
    }
    return getProducts([...ids]);
  }

  async function setProductStatus(externalId: string, status: SettableProductStatus): Promise<void> {
    const checked = parseOrThrow(SettableProductStatus, status, 'product status', { marketplace: 'meli' });
    await itemsApi.setItemStatus(context, externalId, MELI_ITEM_STATUS_FROM_PRODUCT[checked]);
  }

  async function shipmentOf(order: MeliOrder): Promise<MeliShipment | undefined> {
    const shipmentId = order.shipping?.id;
    if (!includeShipments || shipmentId == null) return undefined;
    try {
      return (await shipmentsApi.getShipment(context, String(shipmentId))).data;
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  async function toOrder(order: MeliOrder, partial: MeliPartialContent | undefined): Promise<Order> {
    return mapMeliOrder(order, { accountId, shipment: await shipmentOf(order), partial });
  }

  async function getOrder(externalId: string): Promise<Order> {
    const response = await ordersApi.getOrder(context, externalId);
    return toOrder(response.data, response.partial);
  }

  async function getOrders(externalIds: readonly string[]): Promise<Order[]> {
    const orders = await mapLimit([...new Set(externalIds)], concurrency, async (id) => {
      try {
        return await getOrder(id);
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    });
    return orders.filter((order): order is Order => order !== undefined);
  }

  async function* listOrders(listOptions: ListOrdersOptions = {}): AsyncGenerator<Order> {
    const statuses = asArray(listOptions.status);
    if (statuses) parseOrThrow(z.array(OrderStatus), statuses, 'listOrders status');
    const by = listOptions.by ?? 'updated';
    const field = by === 'updated' ? 'order.date_last_updated' : 'order.date_created';
    const since = toTime(listOptions.since, 'since');
    const until = toTime(listOptions.until, 'until');
    // An unknown status has no name to ask for: then every status is searched and filtered here.
    const rawStatuses =
      statuses && !statuses.includes('unknown')
        ? Object.entries(MELI_ORDER_STATUS)
            .filter(
              ([, core]) =>
                statuses.includes(core) ||
                (core === 'paid' && statuses.some((s) => s === 'shipped' || s === 'delivered')),
            )
            .map(([raw]) => raw)
        : undefined;
    const base: ordersApi.MeliOrderFilters = {
      seller: accountId,
      sort: 'date_asc',
      [`${field}.from`]: since === undefined ? undefined : ordersApi.meliSearchDate(since, 'from', 'since'),
      [`${field}.to`]: until === undefined ? undefined : ordersApi.meliSearchDate(until, 'to', 'until'),
    };
    // A seller search without `order.status` may leave cancelled orders out (reference §4.2), so
    // an unfiltered listing asks for them in a second search.
    const searches: ordersApi.MeliOrderFilters[] = rawStatuses
      ? [{ ...base, 'order.status': rawStatuses.join(',') }]
      : [base, { ...base, 'order.status': 'cancelled' }];
    const accept = (order: Order): boolean => {
      if (statuses && !statuses.includes(order.status)) return false;
      const time = Date.parse(by === 'updated' ? order.updatedAt : order.createdAt);
      if (since !== undefined && time < since) return false;
      if (until !== undefined && time >= until) return false;
      return true;
    };
    const pageSize = Math.min(
      listOptions.pageSize ?? ordersApi.MELI_ORDER_SEARCH_MAX_LIMIT,
      ordersApi.MELI_ORDER_SEARCH_MAX_LIMIT,
    );
    let batch: MeliOrder[] = [];
    const flush = async () => {
      const mapped = await mapLimit(batch, concurrency, (order) => toOrder(order, undefined));
      batch = [];
      return mapped.filter(accept);
    };
    const seen = new Set<string>();
    for (const filters of searches) {
      for await (const order of ordersApi.iterateOrders(context, filters, { pageSize })) {
        listOptions.signal?.throwIfAborted();
        if (seen.has(String(order.id))) continue;
        seen.add(String(order.id));
        batch.push(order);
        if (batch.length >= pageSize) yield* await flush();
      }
    }
    if (batch.length > 0) yield* await flush();
  }

  async function shipmentOrderIds(shipmentId: string): Promise<string[]> {
    try {
      const orders = await shipmentsApi.getShipmentOrders(context, shipmentId);
      return [...new Set(orders.data.map((entry) => String(entry.order_id)))];
    } catch (error) {
      if (isAbsent(error)) return [];
      throw error;
    }
  }

  async function getShipment(externalId: string, knownOrderIds?: readonly string[]): Promise<Shipment> {
    const shipment = await shipmentsApi.getShipment(context, externalId);
    const orderIds = knownOrderIds ?? (await shipmentOrderIds(externalId));
    return mapMeliShipment(shipment.data, { accountId, orderIds });
  }

  async function fulfillOrder(orderExternalId: string, input: FulfillmentInput): Promise<Shipment> {
    const request = parseOrThrow(MeliFulfillmentInput, input, 'fulfillment', { marketplace: 'meli' });
    const fields = request.marketplaceFields ?? {};
    const order = (await ordersApi.getOrder(context, orderExternalId)).data;
    const shipmentId =
      request.shipmentId ?? (order.shipping?.id == null ? undefined : String(order.shipping.id));
    if (!shipmentId) {
      throw new ValidationError('Order cannot be fulfilled through Mercado Livre', [
        {
          path: 'shipmentId',
          message:
            'the order has no shipment (shipping "not_specified": the seller delivers outside Mercado Envios)',
        },
      ]);
    }
    const shipment = (await shipmentsApi.getShipment(context, shipmentId)).data;
    const mode = shipment.logistic?.mode ?? 'unknown';
    const alreadyGone = ['shipped', 'delivered', 'not_delivered', 'cancelled'].includes(shipment.status);

    if (mode === 'me1' && !alreadyGone) {
      const site = order.context?.site ?? shipment.source?.site_id ?? (await siteId());
      const serviceId = Number(
        fields.service_id ?? (site ? shipmentsApi.MELI_ME1_SERVICE_IDS[site] : undefined),
      );
      if (!Number.isInteger(serviceId) || serviceId <= 0) {
        throw new ValidationError('Order cannot be fulfilled through Mercado Livre', [
          {
            path: 'marketplaceFields.service_id',
            message: `no ME1 service id is known for site ${site ?? '?'}`,
          },
        ]);
      }
      await shipmentsApi.sendSellerNotification(
        context,
        shipmentId,
        {
          payload: {
            service_id: serviceId,
            date: new Date(clock.now()).toISOString(),
            ...(typeof fields.comment === 'string' ? { comment: fields.comment } : {}),
          },
          ...(request.trackingNumber ? { tracking_number: request.trackingNumber } : {}),
          ...(request.trackingUrl ? { tracking_url: request.trackingUrl } : {}),
          status: 'shipped',
          substatus: null,
        },
        { version: options.me1NotificationVersion ?? 'v2' },
      );
    } else if (mode === 'custom' && !alreadyGone) {
      const receiverId = order.buyer?.id ?? shipment.destination?.receiver_id;
      if (receiverId == null) {
        throw new ValidationError('Order cannot be fulfilled through Mercado Livre', [
          { path: 'buyer', message: 'the order has no buyer id to report as receiver' },
        ]);
      }
      await shipmentsApi.updateCustomShipment(context, shipmentId, {
        status: 'shipped',
        receiver_id: receiverId,
        ...(request.trackingNumber ? { tracking_number: request.trackingNumber } : {}),
        ...(typeof fields.speed === 'number' ? { speed: fields.speed } : {}),
        ...(typeof fields.comments === 'string' ? { comments: fields.comments } : {}),
      });
    } else if (
      mode !== 'me1' &&
      mode !== 'custom' &&
      (request.trackingNumber || request.method === 'seller')
    ) {
      throw new ValidationError('Order cannot be fulfilled this way on Mercado Livre', [
        {
          path: request.trackingNumber ? 'trackingNumber' : 'method',
          message: `shipment ${shipmentId} is ${mode}: Mercado Livre and its carrier move it (print the label and dispatch); there is no call to mark it shipped`,
        },
      ]);
    }
    return getShipment(shipmentId, [orderExternalId]);
  }

  async function* recoverMissedEvents(recoverOptions: { since?: Instant } = {}): AsyncGenerator<MlhEvent> {
    const applicationId = options.applicationId;
    if (applicationId === undefined || String(applicationId) === '') {
      throw new ValidationError('Missed feeds need the application id', [
        { path: 'applicationId', message: 'pass applicationId to createMeliClient (createMeli does)' },
      ]);
    }
    const since = toTime(recoverOptions.since, 'since');
    const topics = options.missedFeedTopics ?? [undefined];
    for (const topic of topics) {
      const site = topic === 'items' ? await siteId() : undefined;
      for await (const message of notificationsApi.iterateMissedFeeds(context, {
        applicationId,
        topic,
        siteId: site,
      })) {
        const result = parseMeliNotification(message, { applicationId, now: clock.now });
        if (!result.ok || result.event.accountId !== accountId) continue;
        if (since !== undefined && Date.parse(result.event.occurredAt) < since) continue;
        yield result.event;
      }
    }
  }

  function validateProduct(product: Product) {
    const parsed = Product.safeParse(product);
    if (!parsed.success) return toFieldIssues(parsed.error.issues);
    return validateMeliProduct(parsed.data, rules(resolvedModel, options.siteId));
  }

  function request<T = unknown>(raw: TransportRequest): Promise<TransportResponse<T>> {
    return transport.request<T>({ ...raw, accountId });
  }

  const items: MeliItemsApi = {
    get: (itemId) => itemsApi.getItem(context, itemId),
    getMany: (itemIds) => itemsApi.getItems(context, itemIds, multiget),
    create: (body) => itemsApi.createItem(context, body),
    validate: (body) => itemsApi.validateItem(context, body),
    update: (itemId, body, updateOptions) => itemsApi.updateItem(context, itemId, body, updateOptions),
    setStatus: (itemId, status) => itemsApi.setItemStatus(context, itemId, status),
    delete: (itemId) => itemsApi.deleteItem(context, itemId),
    getDescription: (itemId) => itemsApi.getItemDescription(context, itemId),
    setDescription: (itemId, plainText) => itemsApi.setItemDescription(context, itemId, plainText),
    search: (query = {}) => itemsApi.searchSellerItems(context, accountId, query),
    iterateIds: (filters, iterateOptions) =>
      itemsApi.iterateSellerItemIds(context, accountId, filters, iterateOptions),
    getUserProductStock: (userProductId) => itemsApi.getUserProductStock(context, userProductId),
  };

  const orders: MeliOrdersApi = {
    get: (orderId) => ordersApi.getOrder(context, orderId),
    search: (query = {}) => ordersApi.searchOrders(context, { ...query, seller: query.seller ?? accountId }),
    iterate: (filters = {}, iterateOptions) =>
      ordersApi.iterateOrders(context, { ...filters, seller: filters.seller ?? accountId }, iterateOptions),
    getPack: (packId) => ordersApi.getPack(context, packId),
    getShipments: (orderId) => ordersApi.getOrderShipments(context, orderId),
  };

  const shipments: MeliShipmentsApi = {
    get: (shipmentId) => shipmentsApi.getShipment(context, shipmentId),
    getOrders: (shipmentId) => shipmentsApi.getShipmentOrders(context, shipmentId),
    getHistory: (shipmentId) => shipmentsApi.getShipmentHistory(context, shipmentId),
    getCarrier: (shipmentId) => shipmentsApi.getShipmentCarrier(context, shipmentId),
    getStatuses: () => shipmentsApi.getShipmentStatuses(context),
    notifySeller: (shipmentId, notification) =>
      shipmentsApi.sendSellerNotification(context, shipmentId, notification, {
        version: options.me1NotificationVersion ?? 'v2',
      }),
    updateCustom: (shipmentId, update) => shipmentsApi.updateCustomShipment(context, shipmentId, update),
  };

  const applicationIdOrThrow = (): string | number => {
    if (options.applicationId === undefined) {
      throw new ValidationError('Missed feeds need the application id', [
        { path: 'applicationId', message: 'required' },
      ]);
    }
    return options.applicationId;
  };

  const notifications: MeliNotificationsApi = {
    missedFeeds: (query = {}) =>
      notificationsApi.getMissedFeeds(context, {
        ...query,
        applicationId: query.applicationId ?? applicationIdOrThrow(),
      }),
    iterateMissedFeeds: (query = {}) =>
      notificationsApi.iterateMissedFeeds(context, {
        ...query,
        applicationId: query.applicationId ?? applicationIdOrThrow(),
      }),
  };

  return Object.freeze({
    marketplace: 'meli' as const,
    accountId,
    capabilities: MELI_CAPABILITIES,
    users: Object.freeze({
      me: () => usersApi.getMe(context),
      get: (userId: string) => usersApi.getUser(context, userId),
    }),
    items: Object.freeze(items),
    orders: Object.freeze(orders),
    shipments: Object.freeze(shipments),
    notifications: Object.freeze(notifications),
    listingModel,
    validateProduct,
    listProducts,
    getProduct,
    getProducts,
    findProductsBySku,
    createProduct,
    updateProduct,
    setProductStatus,
    updateInventory,
    updatePrices,
    listOrders,
    getOrder,
    getOrders,
    fulfillOrder,
    getShipment: (externalId: string) => getShipment(externalId),
    recoverMissedEvents,
    async getPack(packId: string) {
      const pack = await ordersApi.getPack(context, packId);
      const packOrders = await getOrders(pack.data.orders.map((order) => String(order.id)));
      return { pack: pack.data, orders: packOrders };
    },
    request,
  });
}

// ---------------------------------------------------------------------------------------------
// createMeli: the entry most applications start from

/** Options of {@link createMeli}. */
export interface MeliOptions extends MeliAppCredentials {
  /** The redirect URI registered on the app (`MELI_REDIRECT_URI`). */
  redirectUri: string;
  /** Where sellers' tokens live (wrap it in core's `EncryptedTokenStore`). */
  tokenStore: TokenStore;
  /** Default site of authorization URLs. Default `MLB`. */
  siteId?: string | undefined;
  /** Use PKCE; match the app's setting in the DevCenter. Default false. */
  pkce?: boolean | undefined;
  /** Extra or replacement authorization domains per site. */
  authBaseUrls?: Readonly<Record<string, string>> | undefined;
  /** Pass-through options of the shared transport (fetch, clock, retry, rate limits, logger, ...). */
  transport?: Omit<MeliTransportOptions, 'tokens'> | undefined;
  /** Refresh this long before expiry. Default 5 minutes. */
  refreshMarginMs?: number | undefined;
  /**
   * After a refused refresh, how long to wait for another process that may have just rotated
   * the same token to store its result, before asking the seller to authorize again. Default 1 s.
   */
  invalidGrantGraceMs?: number | undefined;
  /** Defaults of every client made by `forAccount`. */
  client?: Omit<MeliClientOptions, 'transport' | 'accountId' | 'applicationId'> | undefined;
  /**
   * Called when a refresh returns tokens of another `user_id` than the account they are stored
   * under. The rotated tokens are kept (the used refresh token is dead); a warning is logged too.
   */
  onAccountMismatch?: ((mismatch: MeliAccountMismatch) => void) | undefined;
}

/** What {@link createMeli} returns: one per application, shared by every seller account. */
export interface Meli {
  readonly transport: Transport;
  readonly tokens: TokenManager;
  /** Starts an authorization: redirect the seller to `url`, keep `state` (and `codeVerifier`) server-side. */
  authorizationUrl(options?: {
    siteId?: string;
    state?: string;
    pkce?: boolean;
  }): Promise<MeliAuthorizationRequest>;
  /**
   * Finishes it: checks the callback's `state` against the stored one, exchanges the code and
   * saves the seller's tokens in the store. The result's `accountId` is the seller's user id.
   */
  exchangeCode(
    callback: MeliCallbackInput,
    started: Pick<MeliAuthorizationRequest, 'state'> & { codeVerifier?: string | undefined },
  ): Promise<StoredTokenSet>;
  /** The client of one seller account. */
  forAccount(accountId: string, overrides?: MeliOptions['client']): MeliClient;
  /** The notification source for core's `createWebhookHandler`, with this app's id. */
  webhookSource(options?: Omit<MeliNotificationOptions, 'applicationId'>): WebhookSource;
}

/**
 * The entry point: app credentials + a token store → a shared transport, a token manager that
 * refreshes single-use refresh tokens safely, the OAuth flow, per-account clients and the
 * notification source.
 *
 * @example
 * const meli = createMeli({
 *   clientId: process.env.MELI_CLIENT_ID!, clientSecret: process.env.MELI_CLIENT_SECRET!,
 *   redirectUri: process.env.MELI_REDIRECT_URI!, tokenStore,
 * });
 * const client = meli.forAccount('123456789');
 */
export function createMeli(options: MeliOptions): Meli {
  const issues = [
    ...(options.clientId ? [] : [{ path: 'clientId', message: 'required (MELI_CLIENT_ID)' }]),
    ...(options.clientSecret ? [] : [{ path: 'clientSecret', message: 'required (MELI_CLIENT_SECRET)' }]),
    ...(options.redirectUri ? [] : [{ path: 'redirectUri', message: 'required (MELI_REDIRECT_URI)' }]),
  ];
  if (issues.length > 0)
    throw new ValidationError('Invalid Mercado Livre options', issues, { marketplace: 'meli' });

  const transportOptions = options.transport ?? {};
  const credentials = {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    ...(transportOptions.clock ? { clock: transportOptions.clock } : {}),
  };
  const onAccountMismatch = (mismatch: MeliAccountMismatch) => {
    transportOptions.logger?.warn(
      `Mercado Livre refreshed the tokens of account ${mismatch.accountId} for user ${mismatch.tokenUserId}; kept them, check the account`,
      { marketplace: 'meli', ...mismatch },
    );
    options.onAccountMismatch?.(mismatch);
  };
  let transport: Transport | undefined;
  const tokens = createTokenManager({
    marketplace: 'meli',
    store: options.tokenStore,
    refresh: meliTokenRefresher(() => transport as Transport, { ...credentials, onAccountMismatch }),
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
    ...(options.invalidGrantGraceMs === undefined
      ? {}
      : { invalidGrantGraceMs: options.invalidGrantGraceMs }),
    ...(transportOptions.clock ? { clock: transportOptions.clock } : {}),
    ...(transportOptions.logger ? { logger: transportOptions.logger } : {}),
  });
  transport = createMeliTransport({ ...transportOptions, tokens });
  const shared = transport;

  return Object.freeze({
    transport: shared,
    tokens,
    authorizationUrl: (authOptions: { siteId?: string; state?: string; pkce?: boolean } = {}) => {
      const siteId = authOptions.siteId ?? options.siteId ?? 'MLB';
      const authBaseUrl = options.authBaseUrls?.[siteId];
      return createMeliAuthorizationRequest({
        clientId: options.clientId,
        redirectUri: options.redirectUri,
        siteId,
        pkce: authOptions.pkce ?? options.pkce ?? false,
        ...(authOptions.state ? { state: authOptions.state } : {}),
        ...(authBaseUrl ? { authBaseUrl } : {}),
      });
    },
    async exchangeCode(
      callback: MeliCallbackInput,
      started: { state: string; codeVerifier?: string | undefined },
    ) {
      const { code } = readMeliCallback(callback, started.state);
      const tokenSet = await exchangeMeliCode(shared, {
        ...credentials,
        code,
        redirectUri: options.redirectUri,
        codeVerifier: started.codeVerifier,
      });
      return tokens.saveTokenSet(tokenSet);
    },
    forAccount: (accountId: string, overrides: MeliOptions['client'] = {}) =>
      createMeliClient({
        ...options.client,
        ...overrides,
        transport: shared,
        accountId,
        applicationId: options.clientId,
        ...(transportOptions.clock ? { clock: transportOptions.clock } : {}),
      }),
    webhookSource: (sourceOptions: Omit<MeliNotificationOptions, 'applicationId'> = {}) =>
      meliWebhookSource({ ...sourceOptions, applicationId: options.clientId }),
  });
}
