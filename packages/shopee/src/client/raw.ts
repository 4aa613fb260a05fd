import * as logisticsApi from '../api/logistics';
import * as mediaApi from '../api/media';
import * as ordersApi from '../api/orders';
import * as productsApi from '../api/products';
import type { ShopeeScope } from '../transport';
import { shopeeModule } from './module';

/** A function of `api/*` with its scope bound: the rest of its parameters, the same result. */
export type BoundShopeeCall<F> = F extends (scope: never, ...args: infer A) => infer R
  ? (...args: A) => R
  : never;

/** The `product` calls bound to one account. */
export interface ShopeeProductsApi {
  getItemList: BoundShopeeCall<typeof productsApi.getItemList>;
  iterateItemList: BoundShopeeCall<typeof productsApi.iterateItemList>;
  getItemBaseInfo: BoundShopeeCall<typeof productsApi.getItemBaseInfo>;
  getModelList: BoundShopeeCall<typeof productsApi.getModelList>;
  addItem: BoundShopeeCall<typeof productsApi.addItem>;
  updateItem: BoundShopeeCall<typeof productsApi.updateItem>;
  initTierVariation: BoundShopeeCall<typeof productsApi.initTierVariation>;
  updatePrice: BoundShopeeCall<typeof productsApi.updatePrice>;
  updateStock: BoundShopeeCall<typeof productsApi.updateStock>;
  unlistItems: BoundShopeeCall<typeof productsApi.unlistItems>;
  deleteItem: BoundShopeeCall<typeof productsApi.deleteItem>;
}

/** The `media_space` calls (Public APIs; the account only keys rate limiting). */
export interface ShopeeMediaApi {
  uploadImage: BoundShopeeCall<typeof mediaApi.uploadImage>;
  uploadImages: BoundShopeeCall<typeof mediaApi.uploadImages>;
}

/** The `order` calls bound to one account. */
export interface ShopeeOrdersApi {
  getOrderList: BoundShopeeCall<typeof ordersApi.getOrderList>;
  iterateOrderList: BoundShopeeCall<typeof ordersApi.iterateOrderList>;
  getOrderDetail: BoundShopeeCall<typeof ordersApi.getOrderDetail>;
  getShipmentList: BoundShopeeCall<typeof ordersApi.getShipmentList>;
  iterateShipmentList: BoundShopeeCall<typeof ordersApi.iterateShipmentList>;
  cancelOrder: BoundShopeeCall<typeof ordersApi.cancelOrder>;
}

/** The `logistics` calls bound to one account. */
export interface ShopeeLogisticsApi {
  getShippingParameter: BoundShopeeCall<typeof logisticsApi.getShippingParameter>;
  shipOrder: BoundShopeeCall<typeof logisticsApi.shipOrder>;
  getTrackingNumber: BoundShopeeCall<typeof logisticsApi.getTrackingNumber>;
  getTrackingInfo: BoundShopeeCall<typeof logisticsApi.getTrackingInfo>;
}

/** The typed Shopee calls of one shop: each `api/*` function with the shop's scope bound. */
export function bindRawApis(scope: ShopeeScope): {
  products: ShopeeProductsApi;
  media: ShopeeMediaApi;
  orders: ShopeeOrdersApi;
  logistics: ShopeeLogisticsApi;
} {
  const products: ShopeeProductsApi = Object.freeze({
    getItemList: (o) => productsApi.getItemList(scope, o),
    iterateItemList: (o) => productsApi.iterateItemList(scope, o),
    getItemBaseInfo: (ids, o) => productsApi.getItemBaseInfo(scope, ids, o),
    getModelList: (id) => productsApi.getModelList(scope, id),
    addItem: (body) => productsApi.addItem(scope, body),
    updateItem: (body) => productsApi.updateItem(scope, body),
    initTierVariation: (body) => productsApi.initTierVariation(scope, body),
    updatePrice: (id, prices) => productsApi.updatePrice(scope, id, prices),
    updateStock: (id, stock) => productsApi.updateStock(scope, id, stock),
    unlistItems: (items) => productsApi.unlistItems(scope, items),
    deleteItem: (id) => productsApi.deleteItem(scope, id),
  } satisfies ShopeeProductsApi);
  const media: ShopeeMediaApi = Object.freeze({
    uploadImage: (file, o) => mediaApi.uploadImage(scope, file, o),
    uploadImages: (files, o) => mediaApi.uploadImages(scope, files, o),
  } satisfies ShopeeMediaApi);
  const orders: ShopeeOrdersApi = Object.freeze({
    getOrderList: (o) => ordersApi.getOrderList(scope, o),
    iterateOrderList: (o) => ordersApi.iterateOrderList(scope, o),
    getOrderDetail: (sns, o) => ordersApi.getOrderDetail(scope, sns, o),
    getShipmentList: (o) => ordersApi.getShipmentList(scope, o),
    iterateShipmentList: (o) => ordersApi.iterateShipmentList(scope, o),
    cancelOrder: (input) => ordersApi.cancelOrder(scope, input),
  } satisfies ShopeeOrdersApi);
  const logistics: ShopeeLogisticsApi = Object.freeze({
    getShippingParameter: (ref) => logisticsApi.getShippingParameter(scope, ref),
    shipOrder: (input) => logisticsApi.shipOrder(scope, input),
    getTrackingNumber: (ref) => logisticsApi.getTrackingNumber(scope, ref),
    getTrackingInfo: (ref) => logisticsApi.getTrackingInfo(scope, ref),
  } satisfies ShopeeLogisticsApi);
  return { products, media, orders, logistics };
}

/**
 * The raw-calls module: the typed `products`, `media`, `orders` and `logistics` calls bound to the
 * shop (each `api/*` function without its scope argument).
 *
 * @example
 * import { shopeeRaw } from '@mlh/shopee/raw';
 * const client = createShopee({ ...options, capabilities: [shopeeRaw] }).forShop(shopId);
 * const { item } = await client.products.getItemBaseInfo(['123'], { needTaxInfo: true });
 */
export const shopeeRaw = /* @__PURE__ */ shopeeModule({
  name: 'raw',
  capabilities: {},
  build: (ctx) => bindRawApis(ctx.scope),
});
