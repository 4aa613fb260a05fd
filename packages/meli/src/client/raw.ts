import { ValidationError } from '@mlh/core';
import * as itemsApi from '../api/items';
import * as notificationsApi from '../api/notifications';
import * as ordersApi from '../api/orders';
import * as shipmentsApi from '../api/shipments';
import * as usersApi from '../api/users';
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
} from '../schemas';
import type { MeliResponse } from '../transport';
import type { MeliAccountContext } from './context';
import { meliModule } from './module';

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

/** The namespaces of raw typed calls (`users`, `items`, ...), bound to one account. */
export interface MeliRawApis {
  readonly users: MeliUsersApi;
  readonly items: MeliItemsApi;
  readonly orders: MeliOrdersApi;
  readonly shipments: MeliShipmentsApi;
  readonly notifications: MeliNotificationsApi;
}

/** Binds the typed calls of `api/` to the account (`notifications`: see {@link bindNotificationsApi}). */
export function rawApis(ctx: MeliAccountContext): Omit<MeliRawApis, 'notifications'> {
  const { context, accountId, options, multiget } = ctx;

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

  return Object.freeze({
    users: Object.freeze({
      me: () => usersApi.getMe(context),
      get: (userId: string) => usersApi.getUser(context, userId),
    }),
    items: Object.freeze(items),
    orders: Object.freeze(orders),
    shipments: Object.freeze(shipments),
  });
}

/** Binds the missed-feeds calls to the account (the events module adds them as `notifications`). */
export function bindNotificationsApi(ctx: MeliAccountContext): MeliNotificationsApi {
  const { context, options } = ctx;
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
  return Object.freeze(notifications);
}

/**
 * The raw-calls module: the typed `users`, `items`, `orders` and `shipments` calls bound to the
 * account.
 *
 * @example
 * import { meliRaw } from '@mlh/meli/raw';
 * const client = createMeli({ ...options, capabilities: [meliRaw] }).forAccount(sellerId);
 * const { data: item } = await client.items.get('MLB123');
 */
export const meliRaw = /* @__PURE__ */ meliModule({ name: 'raw', capabilities: {}, build: rawApis });
